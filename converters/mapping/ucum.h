// mapping/ucum.h — the dimension of a UCUM unit code, case-sensitive as UCUM is.
//
//   ucum_dimension("mg/dL")   → mass · length⁻³           (a mass concentration)
//   ucum_dimension("umol/L")  → amount · length⁻³         (a substance concentration)
//   ucum_dimension("U/L")     → amount · time⁻¹ · length⁻³ (a catalytic activity concentration)
//   ucum_dimension("mm")      → length;  ucum_dimension("mM") → nullopt (not UCUM)
//
// Two units measure the same property exactly when their dimensions are equal, whatever their
// prefixes: that is how a value's unit picks the LOINC code whose property fits, without lists of
// spellings. Covers the UCUM atoms case reports use (SI base and derived units, litre, mole,
// equivalents, osmoles, enzyme and international units, percent, powers of ten, mercury and water
// columns, degrees, counts per field, Wood units); an atom outside them gives nullopt (unknown, never a guess).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace casefhir::mapping {

// Exponents of the base quantities, and of the arbitrary unit UCUM keeps apart from every other
// ([IU]), so that "IU/L" never fits "mg/L".
struct UcumDimension {
  enum Base : std::uint8_t { length, mass, time, amount, temperature, charge, luminosity, international_unit, kBases };
  std::array<std::int8_t, kBases> exponent{};
  friend bool operator==(const UcumDimension&, const UcumDimension&) = default;
  bool dimensionless() const {
    for (const auto e : exponent)
      if (e != 0) return false;
    return true;
  }
};

std::optional<UcumDimension> ucum_dimension(std::string_view code);

// The property a LOINC code measures, read from its display, the LOINC long common name
// ("Calcium [Moles/volume] in Serum or Plasma" → "Moles/volume"); "" when it names none.
std::string_view loinc_property(std::string_view display);

// Whether a value of this dimension can be a result of that LOINC property: a mass concentration
// of "Mass/volume", a substance concentration of "Moles/volume", an activity of "Enzymatic
// activity/volume" or "Units/volume" (laboratories write U and IU alike for enzymes), a count of
// "#/volume". nullopt for a property this does not know (then it decides nothing).
std::optional<bool> fits_loinc_property(std::string_view property, const UcumDimension& d);

}  // namespace casefhir::mapping
