// The diagnosis of the case (issue 7 item 6): what a report presents as its subject or concludes is
// a confirmed Condition, marked as the Encounter's diagnosis of rank 1; a differential the report
// later excludes is refuted, not left standing.
#include <boost/test/unit_test.hpp>

#include "support.h"

namespace casefhir::test {
namespace {

std::vector<const Fact*> facts_for(const Conversion& c, const std::string& id) {
  BOOST_TEST_REQUIRE(default_mappings().find_concept(id).has_value(), id);
  std::vector<const Fact*> out;
  for (const Fact& f : c.facts.facts)
    if (f.code.id == id) out.push_back(&f);
  return out;
}

std::string principal_id(const Conversion& c) {
  return c.facts.principal_diagnosis ? c.facts.facts[*c.facts.principal_diagnosis].code.id : std::string();
}

// The Condition the Bundle's Encounter ranks first, as an EHR reads it.
FhirJson principal_condition(const Conversion& c) {
  const FhirJson bundle = FhirJson::parse(c.bundle);
  std::string reference;
  std::size_t encounters = 0;
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == "Encounter") {
      ++encounters;
      for (const auto& d : e["resource"]["diagnosis"])
        if (d["rank"] == 1) reference = d["condition"]["reference"];
    }
  BOOST_TEST(encounters == 1u);
  for (const auto& e : bundle["entry"])
    if (e["fullUrl"] == reference) return e["resource"];
  return FhirJson();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(diagnosis_of_the_case)

BOOST_AUTO_TEST_CASE(we_present_a_case_of_x_in_the_abstract_is_about_the_patient) {
  const Conversion c = convert_text(
      "Abstract\n\nWe present a case of sarcoidosis in a 40-year-old woman. Sarcoidosis is a multisystem disease "
      "that is often associated with hypercalcemia.\n\n"
      "Case report\n\nA 40-year-old woman presented with cough. A chest radiograph showed hilar lymphadenopathy.\n");
  const auto sarcoidosis = facts_for(c, "sarcoidosis");
  BOOST_REQUIRE(sarcoidosis.size() == 1u);
  BOOST_TEST((sarcoidosis[0]->assertion == Assertion::present));
  BOOST_TEST(principal_id(c) == "sarcoidosis");
  // The abstract's textbook sentence stays general.
  BOOST_TEST(facts_for(c, "hypercalcemia").empty());
  const FhirJson condition = principal_condition(c);
  BOOST_REQUIRE(condition.is_object());
  BOOST_TEST(condition["verificationStatus"]["coding"][0]["code"] == "confirmed");
  BOOST_TEST(condition["code"]["coding"][0]["code"] == "31541009");
}

BOOST_AUTO_TEST_CASE(a_stated_final_diagnosis_is_confirmed_after_differentials_and_is_the_principal) {
  const Conversion c = convert_text(
      "A 30-year-old man presented with fever and night sweats. The differential diagnosis included lymphoma and "
      "tuberculosis. A lymph node biopsy showed caseating granulomas, and a diagnosis of tuberculosis was made.\n");
  const auto tb = facts_for(c, "tuberculosis");
  BOOST_REQUIRE(tb.size() == 1u);
  BOOST_TEST((tb[0]->assertion == Assertion::present));
  BOOST_TEST(principal_id(c) == "tuberculosis");
  const auto lymphoma = facts_for(c, "lymphoma");
  BOOST_REQUIRE(lymphoma.size() == 1u);
  BOOST_TEST((lymphoma[0]->assertion == Assertion::differential));
}

BOOST_AUTO_TEST_CASE(a_differential_excluded_later_is_one_refuted_condition) {
  const Conversion c = convert_text(
      "A 30-year-old man presented with fever and night sweats. Lymphoma was considered. A lymph node biopsy "
      "ruled out lymphoma and a diagnosis of tuberculosis was made.\n");
  const auto lymphoma = facts_for(c, "lymphoma");
  BOOST_REQUIRE(lymphoma.size() == 1u);
  BOOST_TEST((lymphoma[0]->assertion == Assertion::absent));
  BOOST_TEST(lymphoma[0]->sources.size() == 2u);   // both statements are its evidence
  BOOST_TEST(principal_id(c) == "tuberculosis");
}

BOOST_AUTO_TEST_CASE(a_title_names_the_subject_of_the_case) {
  const Conversion c = convert_text(
      "Pulmonary embolism in a young woman\n\nA 28-year-old woman presented with sudden dyspnea. She had a history of "
      "hypertension. CT pulmonary angiography was performed.\n");
  BOOST_TEST(principal_id(c) == "pulmonary-embolism");
  const auto pe = facts_for(c, "pulmonary-embolism");
  BOOST_REQUIRE(pe.size() == 1u);
  BOOST_TEST((pe[0]->assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(no_confirmed_condition_gives_no_encounter) {
  const Conversion c = convert_text("A 30-year-old man presented with cough. There was no evidence of pneumonia.\n");
  BOOST_TEST(!c.facts.principal_diagnosis.has_value());
  const FhirJson bundle = FhirJson::parse(c.bundle);
  for (const auto& e : bundle["entry"]) BOOST_TEST(e["resource"]["resourceType"] != "Encounter");
}

BOOST_AUTO_TEST_CASE(an_excluded_differential_negated_again_is_still_one_refuted_condition) {
  const Conversion c = convert_text(
      "A 30-year-old man had dyspnea. Pulmonary embolism was considered. CT angiography ruled out pulmonary "
      "embolism. There was no pulmonary embolism on the follow-up scan.\n");
  const auto pe = facts_for(c, "pulmonary-embolism");
  BOOST_REQUIRE(pe.size() == 1u);
  BOOST_TEST((pe[0]->assertion == Assertion::absent));
  BOOST_TEST(pe[0]->sources.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_condition_named_once_in_passing_is_not_the_diagnosis_of_the_case) {
  // Named once, with no cue, not in a title or abstract, and nothing supporting it: no guess.
  const Conversion c = convert_text("A 30-year-old man presented with cough. His father's friend had hypertension once, he said.\n"
                                    "He had hypertension.\n");
  BOOST_TEST(!c.facts.principal_diagnosis.has_value());
  const FhirJson bundle = FhirJson::parse(c.bundle);
  for (const auto& e : bundle["entry"]) BOOST_TEST(e["resource"]["resourceType"] != "Encounter");
}

BOOST_AUTO_TEST_CASE(a_title_in_capitals_is_read_as_words_not_abbreviations) {
  const Conversion c = convert_text(
      "CAN HEAT STROKE PRESENT WITH ODD SIGNS? ALL FINDINGS IN A COLD CLIMATE\n\nA 30-year-old man was found "
      "confused after a run.\n");
  BOOST_TEST(facts_for(c, "acute-lymphoblastic-leukemia").empty());
  for (const Fact& f : c.facts.facts)
    for (const Coding& code : f.code.codes) {
      BOOST_TEST_CONTEXT(f.code.text) {
        BOOST_TEST(code.code != "J44.9");    // COLD read as COPD
        BOOST_TEST(code.code != "C91.00");   // ALL read as acute lymphoblastic leukaemia
      }
    }
}

BOOST_AUTO_TEST_CASE(an_abbreviation_defined_after_a_site_with_laterality_names_the_site) {
  const Conversion c = convert_text(
      "A 60-year-old man had chest pain. Angiography showed a dissection of the left coronary artery (LCA) ostium. "
      "The LCA was stented.\n");
  for (const Fact& f : c.facts.facts)
    BOOST_TEST(f.code.text != "LCA", "LCA read as a condition: " << f.code.id);
}

BOOST_AUTO_TEST_CASE(a_symptom_named_often_is_not_the_diagnosis_of_the_case) {
  // The rash brought the infant in and is named four times; the disorder that explains it is the case.
  const Conversion c = convert_text(
      "A 3-month-old boy presented with a rash around the mouth. The rash spread to the perineum, and the rash worsened. "
      "Biopsy of the rash was consistent with acrodermatitis enteropathica. Zinc supplementation cleared the rash.\n");
  BOOST_REQUIRE(c.facts.principal_diagnosis.has_value());
  const Fact& principal = c.facts.facts[*c.facts.principal_diagnosis];
  BOOST_TEST(principal.code.text == "acrodermatitis enteropathica");
}

BOOST_AUTO_TEST_CASE(a_diagnosis_named_later_by_part_of_its_name_counts_those_mentions) {
  // "primary biliary cholangitis" once, then "the cholangitis" twice: three mentions of the case's
  // diagnosis, which outweigh the portal hypertension a test revealed later.
  const std::string text =
      "A 58-year-old woman had pruritus, and a liver biopsy confirmed primary biliary cholangitis. Ursodeoxycholic acid "
      "was given for the cholangitis. She was admitted with ascites and splenomegaly. Doppler ultrasound revealed portal "
      "hypertension. The cholangitis progressed despite treatment, and the portal hypertension was managed with "
      "propranolol.\n";
  const Conversion c = convert_text(text);
  BOOST_REQUIRE(c.facts.principal_diagnosis.has_value());
  BOOST_TEST(c.facts.facts[*c.facts.principal_diagnosis].code.text == "primary biliary cholangitis");
  // Before the full name, the shorter one is another disorder: the hypertension of the history is
  // no mention of the portal hypertension found later, and the carcinoma stays the case.
  const Conversion other = convert_text(
      "A 70-year-old man with hypertension presented with abdominal pain. His hypertension was treated with "
      "lisinopril. CT showed a liver mass and signs of portal hypertension. Biopsy confirmed hepatocellular carcinoma. "
      "His hypertension remained controlled, and the hepatocellular carcinoma was treated with sorafenib.\n");
  BOOST_REQUIRE(other.facts.principal_diagnosis.has_value());
  BOOST_TEST(other.facts.facts[*other.facts.principal_diagnosis].code.text == "hepatocellular carcinoma");
}

BOOST_AUTO_TEST_CASE(a_condition_named_again_by_part_of_its_name_is_not_named_in_passing) {
  // Named once in full, with no cue, and once more as "the cardiomyopathy": twice, so it can be the
  // case's diagnosis.
  const Conversion c = convert_text(
      "A 60-year-old man had dyspnea. Although the cause of his dilated cardiomyopathy remained unclear, gemcitabine was "
      "suspected. The cardiomyopathy improved with carvedilol.\n");
  BOOST_REQUIRE(c.facts.principal_diagnosis.has_value());
  BOOST_TEST(c.facts.facts[*c.facts.principal_diagnosis].code.text == "dilated cardiomyopathy");
}

BOOST_AUTO_TEST_CASE(led_us_to_diagnose_states_a_diagnosis) {
  const Conversion c = convert_text(
      "A 60-year-old woman had pleural effusions and heart failure. A fat pad biopsy led us to diagnose AL amyloidosis.\n");
  BOOST_REQUIRE(c.facts.principal_diagnosis.has_value());
  BOOST_TEST(c.facts.facts[*c.facts.principal_diagnosis].code.text == "AL amyloidosis");
}

BOOST_AUTO_TEST_CASE(a_fat_pad_biopsied_is_a_site_not_localized_adiposity) {
  // ICD-10-CM lists "fat pad" under localized adiposity (E65); in a report it is where a biopsy was taken.
  const Conversion c = convert_text("A 70-year-old man presented with dyspnea. A fat pad biopsy showed amyloidosis.\n");
  for (const Fact& f : c.facts.facts) BOOST_TEST(f.code.text != "fat pad");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
