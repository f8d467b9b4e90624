// mapping/code_checks.h — codes are facts that can be checked without a terminology server.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace casefhir::mapping {

inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kIcd10cm = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
inline constexpr std::string_view kDoid = "http://purl.obolibrary.org/obo/doid.owl";

// Verhoeff check digit over a string of decimal digits (SNOMED CT identifiers).
bool verhoeff_valid(std::string_view digits);
// LOINC's mod-10 check digit ("17861-6").
bool loinc_check_valid(std::string_view code);
// ICD-10-CM code shape: letter, digit, alphanumeric, optional '.' and 1–4 alphanumerics.
bool icd10cm_format_valid(std::string_view code);

// The reason a code fails the checks of its system, or nullopt when it passes (systems with no
// check accept any non-empty code without surrounding white space).
std::optional<std::string> check_code(std::string_view system, std::string_view code);

}  // namespace casefhir::mapping
