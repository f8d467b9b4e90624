// mapping/ucum.cpp — ucum_dimension: a small reader of UCUM's case-sensitive syntax (terms of
// units joined by '.' and '/', exponents, prefixes, annotations in braces) over the atoms below.
#include "mapping/ucum.h"

#include <string>

namespace casefhir::mapping {

namespace {

using D = UcumDimension;

struct Atom {
  std::string_view code;
  bool metric;          // takes a prefix ("mmol", "ug", "m[IU]")
  std::array<std::int8_t, D::kBases> exponent;
};

//                                      L   M   T   N   Θ   Q  cd  IU
constexpr std::array<std::int8_t, D::kBases> kLength{1, 0, 0, 0, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kMass{0, 1, 0, 0, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kTime{0, 0, 1, 0, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kAmount{0, 0, 0, 1, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kTemperature{0, 0, 0, 0, 1, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kCharge{0, 0, 0, 0, 0, 1, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kLuminosity{0, 0, 0, 0, 0, 0, 1, 0};
constexpr std::array<std::int8_t, D::kBases> kInternationalUnit{0, 0, 0, 0, 0, 0, 0, 1};
constexpr std::array<std::int8_t, D::kBases> kVolume{3, 0, 0, 0, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kPressure{-1, 1, -2, 0, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kCatalytic{0, 0, -1, 1, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kFrequency{0, 0, -1, 0, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kConcentration{-3, 0, 0, 1, 0, 0, 0, 0};
constexpr std::array<std::int8_t, D::kBases> kResistance{-4, 1, -1, 0, 0, 0, 0, 0};   // pressure · time / volume
constexpr std::array<std::int8_t, D::kBases> kNone{};

// The atoms of UCUM (ucum-essence.xml) that lab, vital-sign and measurement units use.
constexpr Atom kAtoms[] = {
    {"m", true, kLength},          {"g", true, kMass},           {"s", true, kTime},
    {"mol", true, kAmount},        {"K", true, kTemperature},    {"C", true, kCharge},
    {"cd", true, kLuminosity},     {"L", true, kVolume},         {"l", true, kVolume},
    {"eq", true, kAmount},         {"osm", true, kAmount},       {"U", true, kCatalytic},
    {"kat", true, kCatalytic},     {"[IU]", true, kInternationalUnit}, {"[iU]", true, kInternationalUnit},
    {"Pa", true, kPressure},       {"bar", true, kPressure},     {"m[Hg]", true, kPressure},
    {"m[H2O]", true, kPressure},   {"Hz", true, kFrequency},     {"Cel", true, kTemperature},
    {"min", false, kTime},         {"h", false, kTime},          {"d", false, kTime},
    {"wk", false, kTime},          {"mo", false, kTime},         {"a", false, kTime},
    {"%", false, kNone},           {"[ppm]", false, kNone},      {"[ppb]", false, kNone},
    {"[degF]", false, kTemperature}, {"[lb_av]", false, kMass},  {"[oz_av]", false, kMass},
    {"[in_i]", false, kLength},    {"[ft_i]", false, kLength},   {"[pH]", false, kConcentration},
    {"[HPF]", false, kNone},       {"[LPF]", false, kNone},      {"rad", true, kNone},
    {"[hnsf'U]", false, kNone},    {"[wood'U]", false, kResistance},
};

constexpr std::string_view kPrefixes[] = {"Y", "Z", "E", "P", "T", "G", "M", "k", "h", "da", "d", "c", "m", "u", "n", "p", "f", "a", "z", "y"};

const Atom* atom_named(std::string_view s) {
  for (const Atom& a : kAtoms)
    if (a.code == s) return &a;
  return nullptr;
}

// A unit without exponent: an atom, or a prefix and a metric atom ("mg", "umol", "m[IU]").
const Atom* simple_unit(std::string_view s) {
  if (const Atom* a = atom_named(s)) return a;
  for (const std::string_view p : kPrefixes)
    if (s.size() > p.size() && s.substr(0, p.size()) == p)
      if (const Atom* a = atom_named(s.substr(p.size())); a && a->metric) return a;
  return nullptr;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// One component between '.' and '/': a number, a power of ten, or a unit with an optional
// exponent ("m2", "cm3", "s-1"). Annotations ({cells}) carry no dimension.
bool component(std::string_view c, D& out) {
  std::string bare;
  int depth = 0;
  for (const char ch : c) {
    if (ch == '{') ++depth;
    else if (ch == '}') { if (--depth < 0) return false; }
    else if (depth == 0) bare.push_back(ch);
  }
  if (depth != 0) return false;
  if (bare.empty()) return true;   // an annotation alone is the unity
  std::string_view s = bare;
  if (s.size() > 2 && s.front() == '(' && s.back() == ')') {   // "(24.h)"
    const auto inner = ucum_dimension(s.substr(1, s.size() - 2));
    if (!inner) return false;
    out = *inner;
    return true;
  }
  if (all_digits(s)) return true;   // a factor
  if (s.size() > 3 && s.substr(0, 3) == "10*") return all_digits(s.substr(s[3] == '-' || s[3] == '+' ? 4 : 3));
  if (s.size() > 3 && s.substr(0, 3) == "10^") return all_digits(s.substr(s[3] == '-' || s[3] == '+' ? 4 : 3));
  // The exponent: the longest signed run of digits at the end that leaves a unit before it.
  std::size_t cut = s.size();
  while (cut > 0 && s[cut - 1] >= '0' && s[cut - 1] <= '9') --cut;
  if (cut < s.size() && cut > 0 && (s[cut - 1] == '-' || s[cut - 1] == '+')) --cut;
  int power = 1;
  const Atom* unit = nullptr;
  if (cut < s.size() && cut > 0 && s.back() != ']') {
    if ((unit = simple_unit(s.substr(0, cut)))) power = std::stoi(std::string(s.substr(cut)));
  }
  if (!unit) unit = simple_unit(s);
  if (!unit) return false;
  for (std::size_t k = 0; k < out.exponent.size(); ++k) out.exponent[k] = static_cast<std::int8_t>(out.exponent[k] + unit->exponent[k] * power);
  return true;
}

}  // namespace

std::optional<UcumDimension> ucum_dimension(std::string_view code) {
  if (code.empty() || code.size() > 64) return std::nullopt;
  D total;
  int sign = 1;
  std::size_t start = 0;
  int depth = 0;
  // "/min" divides the unity.
  if (code.front() == '/') {
    sign = -1;
    start = 1;
  }
  for (std::size_t i = start; i <= code.size(); ++i) {
    const char c = i < code.size() ? code[i] : '\0';
    if (c == '[' || c == '{' || c == '(') ++depth;
    if (c == ']' || c == '}' || c == ')') --depth;
    if (depth > 0 || !(c == '.' || c == '/' || c == '\0')) continue;
    D part;
    if (!component(code.substr(start, i - start), part)) return std::nullopt;
    for (std::size_t k = 0; k < total.exponent.size(); ++k)
      total.exponent[k] = static_cast<std::int8_t>(total.exponent[k] + sign * part.exponent[k]);
    if (c == '/') sign = -1;   // UCUM: the '/' divides only the component after it
    else sign = 1;
    start = i + 1;
  }
  return total;
}

std::string_view loinc_property(std::string_view display) {
  const auto open = display.find('[');
  const auto close = display.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return display.substr(open + 1, close - open - 1);
}

std::optional<bool> fits_loinc_property(std::string_view property, const UcumDimension& d) {
  auto is = [&](const std::array<std::int8_t, D::kBases>& e) { return d.exponent == e; };
  //                                                  L   M   T   N  Θ  Q cd IU
  constexpr std::array<std::int8_t, D::kBases> mass_c{-3, 1, 0, 0, 0, 0, 0, 0};
  constexpr std::array<std::int8_t, D::kBases> moles_c{-3, 0, 0, 1, 0, 0, 0, 0};
  constexpr std::array<std::int8_t, D::kBases> activity_c{-3, 0, -1, 1, 0, 0, 0, 0};
  constexpr std::array<std::int8_t, D::kBases> units_c{-3, 0, 0, 0, 0, 0, 0, 1};
  constexpr std::array<std::int8_t, D::kBases> count_c{-3, 0, 0, 0, 0, 0, 0, 0};
  constexpr std::array<std::int8_t, D::kBases> mass_rate{0, 1, -1, 0, 0, 0, 0, 0};
  if (property == "Mass/volume") return is(mass_c);
  if (property == "Moles/volume") return is(moles_c);
  if (property == "Enzymatic activity/volume" || property == "Units/volume") return is(activity_c) || is(units_c);
  if (property == "#/volume") return is(count_c);
  if (property == "Partial pressure" || property == "Pressure") return is(kPressure);
  if (property == "Mass/time") return is(mass_rate);
  if (property == "Entitic volume") return is(kVolume);
  if (property == "Entitic mass") return is(kMass);
  if (property == "Volume Fraction" || property == "Mass Fraction" || property == "Number Fraction" || property == "Fraction")
    return d.dimensionless();
  return std::nullopt;
}

}  // namespace casefhir::mapping
