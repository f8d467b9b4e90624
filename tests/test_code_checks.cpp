// Code checks (converters/mapping/code_checks.*): a code in a mapping file is a fact that can be
// checked without a terminology server. Real codes pass; every one-digit typo of them fails
// (Verhoeff and LOINC's mod 10 both catch any single substituted digit), so a mistyped code
// never reaches a Bundle.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "mapping/code_checks.h"

namespace casefhir::test {
namespace {

using mapping::check_code;
using mapping::icd10cm_format_valid;
using mapping::loinc_check_valid;
using mapping::verhoeff_valid;

// Present, Absent, Biopsy of skin, Right, Left (SNOMED CT).
const std::vector<std::string> kSnomedCodes = {"52101004", "2667000", "240977001", "24028007", "7771000"};
// Calcium, Phosphate, Age, Hemoglobin, Glucose (LOINC).
const std::vector<std::string> kLoincCodes = {"17861-6", "2777-1", "30525-0", "718-7", "2345-7"};

// Every code that differs from `code` in exactly one digit.
std::vector<std::string> one_digit_typos(const std::string& code) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] < '0' || code[i] > '9') continue;
    for (char d = '0'; d <= '9'; ++d) {
      if (d == code[i]) continue;
      std::string typo = code;
      typo[i] = d;
      out.push_back(typo);
    }
  }
  return out;
}

std::string reason(std::string_view system, std::string_view code) {
  return check_code(system, code).value_or("");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(code_checks)

// --- SNOMED CT -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(real_snomed_identifiers_pass_verhoeff) {
  for (const auto& code : kSnomedCodes) {
    BOOST_TEST(verhoeff_valid(code), code);
    BOOST_TEST(!check_code(mapping::kSnomed, code).has_value(), code);
  }
}

BOOST_AUTO_TEST_CASE(snomed_identifier_with_one_digit_changed_fails_verhoeff) {
  for (const auto& code : kSnomedCodes) {
    const auto typos = one_digit_typos(code);
    BOOST_REQUIRE_EQUAL(typos.size(), code.size() * 9);
    for (const auto& typo : typos) BOOST_TEST(!verhoeff_valid(typo), code << " → " << typo);
  }
}

BOOST_AUTO_TEST_CASE(snomed_identifier_with_swapped_neighbours_fails_verhoeff) {
  // 52101004 → 25101004, 52011004, …: Verhoeff also catches adjacent transpositions.
  for (const auto& code : kSnomedCodes) {
    for (std::size_t i = 0; i + 1 < code.size(); ++i) {
      if (code[i] == code[i + 1]) continue;
      std::string swapped = code;
      std::swap(swapped[i], swapped[i + 1]);
      BOOST_TEST(!verhoeff_valid(swapped), code << " → " << swapped);
    }
  }
}

BOOST_AUTO_TEST_CASE(verhoeff_refuses_empty_and_non_digit_input) {
  BOOST_TEST(!verhoeff_valid(""));
  BOOST_TEST(!verhoeff_valid("abc"));
  BOOST_TEST(!verhoeff_valid("5210100A"));
  BOOST_TEST(!verhoeff_valid(" 52101004"));
  BOOST_TEST(!verhoeff_valid("52101004 "));
  BOOST_TEST(!verhoeff_valid("5210-1004"));
}

BOOST_AUTO_TEST_CASE(snomed_typo_is_reported_as_a_failed_check_digit) {
  BOOST_TEST(reason(mapping::kSnomed, "52101005") == "SNOMED CT identifier 52101005 fails its Verhoeff check digit");
}

BOOST_AUTO_TEST_CASE(snomed_identifier_must_be_numeric) {
  BOOST_TEST(reason(mapping::kSnomed, "5210100A") == "SNOMED CT identifier 5210100A is not numeric");
  BOOST_TEST(reason(mapping::kSnomed, "22298006x") == "SNOMED CT identifier 22298006x is not numeric");
}

BOOST_AUTO_TEST_CASE(snomed_identifier_must_have_6_to_18_digits) {
  BOOST_TEST(reason(mapping::kSnomed, "10004") == "SNOMED CT identifier 10004 must have 6 to 18 digits");
  BOOST_TEST(reason(mapping::kSnomed, "1234567890123456789") ==
             "SNOMED CT identifier 1234567890123456789 must have 6 to 18 digits");
  BOOST_TEST(!check_code(mapping::kSnomed, "106004").has_value());               // 6 digits
  BOOST_TEST(!check_code(mapping::kSnomed, "999000011000000103").has_value());   // 18 digits, extension
}

BOOST_AUTO_TEST_CASE(snomed_identifier_must_not_start_with_zero) {
  // "052101004" passes Verhoeff (a leading zero adds nothing), but it is not how SNOMED CT writes ids.
  BOOST_TEST(verhoeff_valid("052101004"));
  BOOST_TEST(reason(mapping::kSnomed, "052101004") == "SNOMED CT identifier 052101004 starts with 0");
}

BOOST_AUTO_TEST_CASE(snomed_identifier_must_be_a_concept_identifier) {
  // Partitions 01 (description) and 02 (relationship) pass Verhoeff here but name no concept.
  BOOST_TEST(verhoeff_valid("52101015"));
  BOOST_TEST(verhoeff_valid("52101027"));
  BOOST_TEST(reason(mapping::kSnomed, "52101015") ==
             "SNOMED CT identifier 52101015 is not a concept identifier (partition 01)");
  BOOST_TEST(reason(mapping::kSnomed, "52101027") ==
             "SNOMED CT identifier 52101027 is not a concept identifier (partition 02)");
  // Partition 10: a concept identifier of an extension namespace.
  BOOST_TEST(!check_code(mapping::kSnomed, "1631000175102").has_value());
}

// --- LOINC ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(real_loinc_codes_pass_their_check_digit) {
  for (const auto& code : kLoincCodes) {
    BOOST_TEST(loinc_check_valid(code), code);
    BOOST_TEST(!check_code(mapping::kLoinc, code).has_value(), code);
  }
}

BOOST_AUTO_TEST_CASE(loinc_code_with_one_digit_changed_fails_its_check_digit) {
  for (const auto& code : kLoincCodes) {
    const auto typos = one_digit_typos(code);
    BOOST_REQUIRE_EQUAL(typos.size(), (code.size() - 1) * 9);   // every digit but the dash
    for (const auto& typo : typos) BOOST_TEST(!loinc_check_valid(typo), code << " → " << typo);
  }
}

BOOST_AUTO_TEST_CASE(loinc_code_must_have_the_nnnnn_n_shape) {
  BOOST_TEST(!loinc_check_valid(""));
  BOOST_TEST(!loinc_check_valid("178616"));      // no dash
  BOOST_TEST(!loinc_check_valid("17861-"));      // no check digit
  BOOST_TEST(!loinc_check_valid("-6"));          // no body
  BOOST_TEST(!loinc_check_valid("17861-66"));    // two check digits
  BOOST_TEST(!loinc_check_valid("1786a-6"));
  BOOST_TEST(!loinc_check_valid("17861-x"));
  BOOST_TEST(!loinc_check_valid("12345678-4"));  // body longer than seven digits
  BOOST_TEST(!loinc_check_valid(" 17861-6"));
  BOOST_TEST(!loinc_check_valid("LP17861-6"));   // a LOINC part, not a code
}

BOOST_AUTO_TEST_CASE(loinc_typo_is_reported_with_the_code) {
  BOOST_TEST(reason(mapping::kLoinc, "17861-5") == "LOINC code 17861-5 is malformed or fails its mod-10 check digit");
  BOOST_TEST(reason(mapping::kLoinc, "17861") == "LOINC code 17861 is malformed or fails its mod-10 check digit");
}

// --- ICD-10-CM -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(icd10cm_codes_of_every_length_have_a_valid_form) {
  for (const char* code : {"A00", "L94.2", "E83.59", "M11.20", "S72.001A", "C7A.00", "Z99.89"}) {
    BOOST_TEST(icd10cm_format_valid(code), code);
    BOOST_TEST(!check_code(mapping::kIcd10cm, code).has_value(), code);
  }
}

BOOST_AUTO_TEST_CASE(malformed_icd10cm_codes_are_refused) {
  for (const char* code : {"", "L9", "L942", "l94.2", "194.2", "LA4.2", "L94.", "L94.12345", "L94-2", "L94.2 ",
                           "L94 .2", "L94.x"}) {
    BOOST_TEST(!icd10cm_format_valid(code), '"' << code << '"');
  }
}

BOOST_AUTO_TEST_CASE(icd10cm_format_failure_is_reported_with_the_code) {
  BOOST_TEST(reason(mapping::kIcd10cm, "L942") == "ICD-10-CM code L942 is not of the form A00 or A00.0000");
  BOOST_TEST(reason(mapping::kIcd10cm, "l94.2") == "ICD-10-CM code l94.2 is not of the form A00 or A00.0000");
}

// --- any system ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(empty_code_is_refused_in_every_system) {
  for (const auto system : {mapping::kSnomed, mapping::kLoinc, mapping::kIcd10cm, std::string_view("urn:example:x")})
    BOOST_TEST(reason(system, "") == "code is empty", system);
}

BOOST_AUTO_TEST_CASE(code_with_surrounding_white_space_is_refused_in_every_system) {
  BOOST_TEST(reason(mapping::kSnomed, " 52101004") == "code \" 52101004\" has leading or trailing white space");
  BOOST_TEST(reason(mapping::kLoinc, "17861-6\t") == "code \"17861-6\t\" has leading or trailing white space");
  BOOST_TEST(reason("urn:example:x", "GS-1 ") == "code \"GS-1 \" has leading or trailing white space");
}

BOOST_AUTO_TEST_CASE(systems_without_a_check_accept_any_code) {
  BOOST_TEST(!check_code("urn:example:local-codes", "GS-1").has_value());
  BOOST_TEST(!check_code("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "N").has_value());
  // A SNOMED-looking typo under another system is not SNOMED's business.
  BOOST_TEST(!check_code("http://example.org/codes", "52101005").has_value());
}

BOOST_AUTO_TEST_CASE(system_comparison_is_exact) {
  // "https" or a trailing slash is another system (and gets no SNOMED check).
  BOOST_TEST(!check_code("https://snomed.info/sct", "52101005").has_value());
  BOOST_TEST(check_code("http://snomed.info/sct", "52101005").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
