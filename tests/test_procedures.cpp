// Procedures and treatments (issue 7 item 7): a procedure named in the text is a Procedure with its
// SNOMED CT code; its status comes from the text, and one not done says why when the text does.
#include <boost/test/unit_test.hpp>

#include "support.h"

namespace casefhir::test {
namespace {

// The Procedure resources of a conversion, by CodeableConcept.text.
std::map<std::string, FhirJson> procedures_of(const Conversion& c) {
  std::map<std::string, FhirJson> out;
  const FhirJson bundle = FhirJson::parse(c.bundle);
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == "Procedure") out[e["resource"]["code"]["text"].get<std::string>()] = e["resource"];
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(procedures)

BOOST_AUTO_TEST_CASE(a_procedure_performed_is_completed_with_its_snomed_code) {
  const auto p = procedures_of(convert_text("A 60-year-old man underwent a colonoscopy.\n"));
  BOOST_REQUIRE(p.count("colonoscopy"));
  BOOST_TEST(p.at("colonoscopy")["status"] == "completed");
  BOOST_TEST(p.at("colonoscopy")["code"]["coding"][0]["system"] == "http://snomed.info/sct");
  BOOST_TEST(!p.at("colonoscopy").contains("statusReason"));
}

BOOST_AUTO_TEST_CASE(a_procedure_not_done_says_why_when_the_text_does) {
  const auto p = procedures_of(convert_text(
      "A 60-year-old man with pneumonia was admitted. A liver biopsy was not performed because of pneumonia.\n"));
  BOOST_REQUIRE(p.count("liver biopsy"));
  const FhirJson& biopsy = p.at("liver biopsy");
  BOOST_TEST(biopsy["status"] == "not-done");
  BOOST_REQUIRE(biopsy.contains("statusReason"));
  BOOST_TEST(biopsy["statusReason"]["text"] == "because of pneumonia");
  BOOST_TEST(biopsy["statusReason"]["coding"][0]["code"] == "233604007");   // the reason, coded: pneumonia
}

BOOST_AUTO_TEST_CASE(a_refused_treatment_is_not_done_and_refused) {
  const auto p = procedures_of(convert_text("A 60-year-old man was offered chemotherapy. He declined chemotherapy.\n"));
  BOOST_REQUIRE(p.count("chemotherapy"));
  BOOST_TEST(p.at("chemotherapy")["status"] == "not-done");
  BOOST_TEST(p.at("chemotherapy")["statusReason"]["text"] == "declined");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
