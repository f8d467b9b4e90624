// Lab results wherever reports put them (issue 8 item 1): values given in order, values before
// their analyte, titres, signs, results of tests the mappings know only as procedures or not at
// all, and what is not a result (targets, doses). Checked on the Observations a user receives.
#include <boost/test/unit_test.hpp>

#include <map>

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "support.h"

namespace casefhir::test {
namespace {

// One Observation, as the Bundle writes it, reduced to what these tests look at.
struct Obs {
  std::string text;                       // code.text
  std::string loinc;                      // first coding's code, "" when uncoded
  std::string value;                      // valueQuantity value as written, "" when none
  std::string unit;                       // valueQuantity code (UCUM)
  std::string interpretation;             // v3 code, "" when none
  std::string category;                   // "" when none
  FhirJson resource;
};

std::vector<Obs> observations(const std::string& text) {
  std::vector<Obs> out;
  const FhirJson bundle = FhirJson::parse(convert_text("A 50-year-old man was admitted. " + text + "\n").bundle);
  for (const auto& e : bundle["entry"]) {
    const FhirJson& r = e["resource"];
    if (r["resourceType"] != "Observation" || member(r["code"], "text") == "Age") continue;
    Obs o;
    o.text = member(r["code"], "text");
    if (r["code"].contains("coding")) o.loinc = r["code"]["coding"][0]["code"].get<std::string>();
    if (r.contains("valueQuantity")) {
      o.value = r["valueQuantity"]["value"].dump();
      o.unit = member(r["valueQuantity"], "code");
    }
    if (r.contains("interpretation")) o.interpretation = r["interpretation"][0]["coding"][0]["code"].get<std::string>();
    if (r.contains("category")) o.category = r["category"][0]["coding"][0]["code"].get<std::string>();
    o.resource = r;
    out.push_back(std::move(o));
  }
  return out;
}

// The Observation named `text`; fails the test when there is none.
const Obs& get(const std::vector<Obs>& all, const std::string& text) {
  for (const Obs& o : all)
    if (o.text == text) return o;
  BOOST_TEST_REQUIRE(false, "no Observation named \"" << text << "\"");
  throw std::logic_error("unreachable");
}

// The Observation named `text` in the conversion of `sentences`, as a copy: safe to use after the
// conversion's other Observations are gone.
Obs observation_named(const std::string& sentences, const std::string& text) { return get(observations(sentences), text); }

}  // namespace

BOOST_AUTO_TEST_SUITE(lab_results)

BOOST_AUTO_TEST_CASE(analytes_listed_before_their_values_take_them_in_order) {
  const auto all = observations("Sodium, potassium and chloride were 131, 3.2 and 98 mmol/L.");
  const Obs& na = get(all, "Sodium");
  const Obs& k = get(all, "potassium");
  const Obs& cl = get(all, "chloride");
  BOOST_TEST(na.value == "131");
  BOOST_TEST(k.value == "3.2");
  BOOST_TEST(cl.value == "98");
  BOOST_TEST(cl.unit == "mmol/L", "the unit written once after the last value is every value's");
  BOOST_TEST(na.loinc == "2951-2");
}

BOOST_AUTO_TEST_CASE(respectively_pairs_a_shared_name_with_the_analyte_the_mappings_know) {
  const auto all = observations("Total and direct bilirubin were 4.1 and 2.9 mg/dL, respectively.");
  const Obs& total = get(all, "Total and direct bilirubin");
  const Obs& direct = get(all, "direct bilirubin");
  BOOST_TEST(total.loinc == "1975-2", "\"Total … bilirubin\" is total bilirubin");
  BOOST_TEST(total.value == "4.1");
  BOOST_TEST(direct.loinc == "1968-7");
  BOOST_TEST(direct.value == "2.9");
}

BOOST_AUTO_TEST_CASE(one_analyte_with_several_values_respectively_has_each) {
  // The serum value is the serum amylase (LOINC 1798-8); the urine value is another test, kept
  // under the report's words rather than given the serum code.
  const auto all = observations("Serum and urine amylase were 386 and 928 U/L, respectively.");
  std::vector<std::string> serum;
  for (const Obs& o : all)
    if (o.loinc == "1798-8") serum.push_back(o.value);
  BOOST_TEST(serum == (std::vector<std::string>{"386"}), boost::test_tools::per_element());
  const Obs& urine = get(all, "urine amylase");
  BOOST_TEST(urine.loinc == "");
  BOOST_TEST(urine.value == "928");
}

BOOST_AUTO_TEST_CASE(a_list_that_went_from_values_to_values_gives_each_analyte_both) {
  // "from 2.7 and 5.8 to 4.2 and 6.8, respectively": each analyte has its value before and after,
  // and the unit of a value is never the name of a test.
  const auto all = observations(
      "Her albumin and total serum protein have improved from 2.7 g/dL and 5.8 g/dL to 4.2 g/dL and 6.8 g/dL, respectively.");
  std::map<std::string, std::vector<std::string>> values;
  for (const Obs& o : all) {
    BOOST_TEST(o.text != "g/dL");
    values[o.text].push_back(o.value);
  }
  BOOST_TEST(values["albumin"] == (std::vector<std::string>{"2.7", "4.2"}), boost::test_tools::per_element());
  BOOST_TEST(values["total serum protein"] == (std::vector<std::string>{"5.8", "6.8"}), boost::test_tools::per_element());
  // A range is still a range: "from 130 to 140" is no list.
  for (const Obs& o : observations("Sodium and potassium were 130 to 140 and 3.5 to 5.0 mmol/L.")) BOOST_TEST(o.text != "mmol/L");
}

BOOST_AUTO_TEST_CASE(a_specimen_other_than_blood_before_an_analyte_is_another_test) {
  // "urine sodium 40 mmol/L" is low for serum and ordinary for urine: neither the serum code nor
  // the serum range may reach it.
  const auto all = observations("Urine sodium was 40 mmol/L. Pleural fluid LDH was 900 U/L. Serum sodium was 120 mmol/L.");
  const Obs& urine = get(all, "Urine sodium");
  BOOST_TEST(urine.loinc == "");
  BOOST_TEST(urine.value == "40");
  BOOST_TEST(urine.interpretation == "");
  BOOST_TEST(get(all, "Pleural fluid LDH").loinc == "");
  const Obs& serum = get(all, "Serum sodium");
  BOOST_TEST(serum.loinc == "2951-2");
  BOOST_TEST(serum.interpretation == "L");
}

// A sentence whose subject is the specimen ("Cerebrospinal fluid showed …") gives every analyte of
// it that specimen: a CSF glucose of 20 mg/dL is no low serum glucose (a MACCROBAT review).
BOOST_AUTO_TEST_CASE(a_specimen_named_as_the_sentences_subject_is_every_analytes) {
  const auto all = observations(
      "Cerebrospinal fluid (CSF) showed a leukocyte count of 487/uL with 18% lymphocytes, glucose 20 mg/dL and "
      "protein 150 mg/dL; serum glucose was 110 mg/dL.");
  for (const char* name : {"leukocyte count", "lymphocytes", "glucose"}) {
    BOOST_TEST(get(all, name).loinc == "", name);
    BOOST_TEST(get(all, name).interpretation == "", name);
  }
  BOOST_TEST(get(all, "serum glucose").loinc == "2345-7");
  BOOST_TEST(get(all, "glucose").value == "20");
  BOOST_TEST(get(observations("Blood tests showed glucose 110 mg/dL."), "glucose").loinc == "2345-7");
  // "White blood cells" is an analyte's name, not a blood specimen; "urine output" is no urine test.
  BOOST_TEST(get(observations("CSF examination showed white blood cells 250/uL, protein 120 mg/dL and glucose 15 mg/dL."), "glucose")
                 .loinc == "");
  BOOST_TEST(get(observations("Urine output was 200 mL and creatinine was 4.5 mg/dL."), "creatinine").loinc == "2160-0");
  BOOST_TEST(get(observations("After CSF drainage, sodium fell to 125 mmol/L."), "sodium").loinc == "2951-2");
}

BOOST_AUTO_TEST_CASE(values_an_analyte_had_later_are_each_a_result) {
  // A third value, after the time of the second: none lost, none given to another analyte.
  const auto all = observations(
      "His sweat chloride level decreased from 115 mmol/l before ivacaftor to 40 mmol/l after 6 weeks and 52 mmol/l "
      "after 41 weeks. Creatinine fell from 798 to 98 umol/l after 2 days and 5 mg of furosemide was given.");
  std::vector<std::string> sweat, creatinine;
  for (const Obs& o : all) {
    if (o.text == "sweat chloride") sweat.push_back(o.value);
    if (o.text == "Creatinine") creatinine.push_back(o.value);
  }
  BOOST_TEST(sweat == (std::vector<std::string>{"115", "40", "52"}), boost::test_tools::per_element());
  BOOST_TEST(creatinine == (std::vector<std::string>{"798", "98"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_disorders_abbreviation_with_a_concentration_names_the_analyte) {
  // ADA is adenosine deaminase deficiency in the vocabulary; with U/L it is the enzyme measured.
  for (const auto& [text, name] : {std::pair{"Pleural fluid ADA was 60 U/L.", "ADA"}, std::pair{"ADA level was 60 U/L.", "ADA level"}}) {
    const CaseFacts f = patient_facts_of(text);
    for (const Fact& x : f.facts) BOOST_TEST((x.code.kind != ConceptKind::disorder), text << ": " << x.code.text);
    const Obs ada = observation_named(text, name);
    BOOST_TEST(ada.value == "60");
    BOOST_TEST(ada.unit == "U/L");
  }
  // A count is no analyte's amount: a viral load is the patient's HIV.
  BOOST_TEST((fact_named(patient_facts_of("HIV was 80,000 copies/mL and CD4 count was 120 cells/uL."), "HIV").code.kind ==
              ConceptKind::disorder));
  // A disorder written out in words and measured stays the patient's disorder.
  BOOST_TEST((fact_named(patient_facts_of("Leukocytosis of 49,500/mm3 was noted."), "Leukocytosis").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(a_phrase_of_what_was_done_between_commas_leaves_the_test_its_result) {
  for (const auto& [text, test] : {std::pair{"HIV serology, performed twice, was negative.", "HIV serology"},
                                   std::pair{"Blood cultures, obtained on admission, were negative.", "Blood cultures"},
                                   std::pair{"Repeated blood cultures were negative.", "Repeated blood cultures"}}) {
    const auto all = observations(text);
    BOOST_TEST(get(all, test).interpretation == "NEG", text);
    // The participle is no test of its own.
    BOOST_TEST(all.size() == 1u, text);
  }
  const auto listed = observations("Blood cultures, performed twice, and urine culture were negative.");
  BOOST_TEST(get(listed, "Blood cultures").interpretation == "NEG");
  BOOST_TEST(get(listed, "urine culture").interpretation == "NEG");
  BOOST_TEST(listed.size() == 2u);
}

BOOST_AUTO_TEST_CASE(tests_named_in_a_list_each_have_the_result) {
  // One word before the list's last test shares its head; an article does not end the list.
  for (const auto& [text, first, second] :
       {std::tuple{"Blood and urine cultures were negative.", "Blood cultures", "urine cultures"},
        std::tuple{"HIV and hepatitis C serology were negative.", "HIV serology", "hepatitis C serology"},
        std::tuple{"Thyroid and liver function tests were normal.", "Thyroid function tests", "liver function tests"},
        std::tuple{"Blood cultures and a urine culture were negative.", "Blood cultures", "urine culture"},
        // A word that stands for the tests a clause before named gives them the result.
        std::tuple{"Blood and urine cultures were obtained, and all were negative.", "Blood cultures", "urine cultures"},
        std::tuple{"Blood cultures and a urine culture were obtained, both of which were negative.", "Blood cultures", "urine culture"}}) {
    const auto all = observations(text);
    BOOST_TEST(all.size() == 2u, text);
    BOOST_TEST(get(all, first).interpretation == (std::string_view(text).find("normal") != std::string_view::npos ? "N" : "NEG"), text);
    BOOST_TEST(get(all, second).interpretation == get(all, first).interpretation, text);
  }
  // A test's own name shares no head ("HBsAg antibodies" would be anti-HBs, another test).
  for (const auto& [text, first] : {std::pair{"Anti-HCV, HBsAg and anti-HIV antibodies were negative.", "HBsAg"},
                                    std::pair{"CBC and blood cultures were normal.", "CBC"},
                                    std::pair{"Coagulation and liver function tests were normal.", "Coagulation"},
                                    std::pair{"Brucella Rose Bengal and Wright agglutination tests were negative.", "Bengal"}})
    (void)get(observations(text), first);
  // Multi-word items with a word in -ed, and items after "of", are still tests of the list.
  for (const char* name : {"Complete blood count", "red cell indices", "iron studies"})
    (void)get(observations("Complete blood count, red cell indices and iron studies were normal."), name);
  for (const char* name : {"C3", "C4", "CH50"}) (void)get(observations("Levels of C3, C4 and CH50 were normal."), name);
  // Three one-word items share the head too; the end of the clause before is no item: a
  // participle, a word after a verb, the object of a preposition, words after "and the".
  const auto three = observations("Blood, urine, and sputum cultures were negative.");
  for (const char* name : {"Blood cultures", "urine cultures", "sputum cultures"}) BOOST_TEST(get(three, name).interpretation == "NEG");
  for (const auto& [text, test] :
       {std::pair{"He was extubated and the blood cultures were negative.", "blood cultures"},
        std::pair{"He was extubated and blood cultures were negative.", "blood cultures"},
        std::pair{"The sample was sent to our laboratory and the PCR was negative.", "PCR"},
        std::pair{"A diagnosis of pyelonephritis was made, urine and blood cultures were obtained, and both were negative.", "blood cultures"},
        std::pair{"He had septic arthritis of the knee, and blood and synovial fluid cultures were obtained, and both came back negative.",
                  "synovial fluid cultures"}}) {
    const auto all = observations(text);
    BOOST_TEST(get(all, test).interpretation == "NEG", text);
    for (const Obs& o : all)
      for (const char* wrong : {"extubated", "laboratory", "made", "made cultures", "knee", "knee cultures"}) BOOST_TEST(o.text != wrong, text);
  }
  for (const Obs& o : observations("Lesions were found in the liver and blood cultures were negative."))
    BOOST_TEST(o.text != "liver cultures");
  // A finding's verb before the comma is no test: "resolved" is not one.
  const auto after_clause = observations("Fever had resolved, blood cultures were negative.");
  for (const Obs& o : after_clause) BOOST_TEST(o.text != "resolved");
  BOOST_TEST(get(after_clause, "blood cultures").interpretation == "NEG");
}

BOOST_AUTO_TEST_CASE(a_vascular_resistance_in_wood_units_is_read) {
  for (const auto& [text, name, unit] :
       {std::tuple{"Pulmonary vascular resistance was 7.3 Wood units.", "Pulmonary vascular resistance", "[wood'U]"},
        std::tuple{"Right heart catheterization showed a PVR of 12 WU.", "PVR", "[wood'U]"},
        // An index is per body surface: the square metres are part of the unit.
        std::tuple{"PVRi was 12 WU·m2.", "PVRi", "[wood'U].m2"}}) {
    const Obs pvr = observation_named(text, name);
    BOOST_TEST(pvr.unit == unit, text);
    BOOST_TEST(!pvr.value.empty(), text);
  }
}

BOOST_AUTO_TEST_CASE(a_value_in_a_specimen_belongs_to_what_was_measured_in_it) {
  // In blood: the analyte's own coded value.
  const Obs sodium = observation_named("The sodium level in serum was 130 mmol/L.", "sodium level");
  BOOST_TEST(sodium.loinc == "2951-2");
  BOOST_TEST(sodium.value == "130");
  // In another specimen: a test of its own, named by analyte and specimen and never given the
  // blood analyte's code; a disorder's abbreviation measured there is no disorder of the patient.
  for (const auto& [text, name, value] :
       {std::tuple{"Sodium in urine was 20 mmol/L.", "Sodium in urine", "20"},
        std::tuple{"Glucose in the cerebrospinal fluid was 20 mg/dL.", "Glucose in the cerebrospinal fluid", "20"},
        std::tuple{"ADA activity in pleural fluid was 60 U/L.", "ADA activity in pleural fluid", "60"}}) {
    const auto all = observations(text);
    BOOST_TEST(all.size() == 1u, text);
    BOOST_TEST(get(all, name).loinc == "", text);
    BOOST_TEST(get(all, name).value == value, text);
  }
  // After "in", only blood is read through: another specimen the word lists do not name, another
  // person, a time: no blood analyte's code.
  for (const char* text : {"Glucose in the joint aspirate was 10 mg/dL.", "Bilirubin in the bile was 12 mg/dL.",
                           "Hemoglobin in the fetus was 6 g/dL.", "The serum sodium in the infant was 120 mmol/L."})
    for (const Obs& o : observations(text)) BOOST_TEST(o.loinc == "", text << ": " << o.text);
  for (const Fact& x : patient_facts_of("ADA activity in pleural fluid was 60 U/L.").facts)
    BOOST_TEST((x.code.kind != ConceptKind::disorder), x.code.text);
}

BOOST_AUTO_TEST_CASE(a_normal_finding_a_test_showed_is_that_tests_result) {
  // One resource: the ECG's Observation with the rhythm as its coded value (SNOMED CT 64730000),
  // not also a finding "normal sinus rhythm: present".
  const auto all = observations("ECG on admission showed normal sinus rhythm, with heart rate of 125 bpm. "
                                "Cardiac catheterization was performed and revealed normal coronary arteries.");
  const Obs& ecg = get(all, "ECG");
  BOOST_TEST(ecg.interpretation == "N");
  BOOST_TEST(ecg.resource["valueCodeableConcept"]["coding"][0]["code"].get<std::string>() == "64730000");
  BOOST_TEST(ecg.resource["valueCodeableConcept"]["text"].get<std::string>() == "normal sinus rhythm");
  BOOST_TEST(get(all, "Cardiac catheterization").resource["valueCodeableConcept"]["text"].get<std::string>() ==
             "normal coronary arteries");
  for (const Obs& o : all) BOOST_TEST(o.text != "normal sinus rhythm", "the rhythm is written twice");
  // Without a test that showed it, the rhythm stays a finding.
  BOOST_TEST(observation_named("He was in normal sinus rhythm.", "normal sinus rhythm").loinc == "64730000");
}

BOOST_AUTO_TEST_CASE(a_score_written_before_its_scale_is_that_scales_result) {
  const auto all = observations("She regained consciousness and scored 15 on the Glasgow coma scale (GCS). "
                                "He scored 24/30 on the Mini-Mental State Examination. The team scored 3 goals in the match.");
  const Obs& gcs = get(all, "Glasgow coma scale (GCS)");
  BOOST_TEST(gcs.value == "15");
  BOOST_TEST(gcs.unit == "{score}");
  const Obs& mmse = get(all, "Mini-Mental State Examination");
  BOOST_TEST(mmse.resource["valueRatio"]["numerator"]["value"].get<double>() == 24.0);
  BOOST_TEST(mmse.resource["valueRatio"]["denominator"]["value"].get<double>() == 30.0);
  BOOST_TEST(all.size() == 2u, "goals in a match are no score of a scale");
}

BOOST_AUTO_TEST_CASE(base_excess_is_read_and_a_deficit_is_no_concentration) {
  const auto all = observations("The arterial blood gas revealed a pH of 7.45 and BE of -5.1 mmol/l. "
                                "Calculated sodium deficit was 500 mmol.");
  const Obs& be = get(all, "BE");
  BOOST_TEST(be.loinc == "11555-0");
  BOOST_TEST(be.value == "-5.1");
  for (const Obs& o : all) BOOST_TEST(o.loinc != "2951-2", "an amount to replace read as the serum sodium");
}

BOOST_AUTO_TEST_CASE(stages_and_classes_are_results_of_their_classification) {
  const auto all = observations(
      "She had been diagnosed with a stage IIA, T1bN1, left-sided breast cancer. Surgical margins were free (pT3 N0). "
      "She had chronic heart failure NYHA class III. He was in function class II (New York Heart Association). "
      "The T2 image showed a lesion at T4 and T12. He had type II diabetes.");
  std::vector<std::pair<std::string, std::string>> got;
  for (const Obs& o : all)
    if (o.resource.contains("valueString")) got.emplace_back(o.text, o.resource["valueString"].get<std::string>());
  const std::vector<std::pair<std::string, std::string>> want = {
      {"stage", "IIA"}, {"TNM classification", "T1bN1"}, {"TNM classification", "pT3 N0"}, {"NYHA class", "III"}, {"function class", "II"}};
  BOOST_TEST(got == want, "an MRI weighting, a vertebra or a type of diabetes is no stage");
}

BOOST_AUTO_TEST_CASE(acuity_documented_as_and_birth_weight_are_read) {
  const auto all = observations("Her visual acuity was documented as 6/18 in both eyes. The patient had right vision of 0.4. "
                                "Her birth weight was 2.3 kg. His weight was 70 kg.");
  const Obs& acuity = get(all, "visual acuity");
  BOOST_TEST(acuity.resource["valueRatio"]["denominator"]["value"].get<double>() == 18.0);
  BOOST_TEST(get(all, "right vision").value == "0.4");
  BOOST_TEST(get(all, "birth weight").loinc == "8339-4");
  BOOST_TEST(get(all, "weight").loinc == "29463-7");
}

BOOST_AUTO_TEST_CASE(timed_tests_complements_and_a_value_after_an_abbreviation_are_read) {
  const auto all = observations(
      "PFA collagen/epinephrine closure time was 195 seconds (normal <174 seconds). The deceleration time was 250 ms. "
      "Complement 3 (0.41 g/L; normal range, 0.785-1.520 g/L) was low. Laboratory tests revealed ratio (INR) 6.9.");
  const Obs& closure = get(all, "PFA collagen/epinephrine closure time");
  BOOST_TEST(closure.value == "195");
  BOOST_TEST(closure.unit == "s");
  BOOST_TEST(closure.interpretation == "H");
  BOOST_TEST(get(all, "deceleration time").unit == "ms");
  BOOST_TEST(get(all, "Complement 3").loinc == "4485-9");
  BOOST_TEST(get(all, "INR").value == "6.9");
  // "time" is still a word of time before a value that is not a test's.
  for (const Obs& o : observations("At that time 5 mg of morphine was given.")) BOOST_TEST(o.text.find("time") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_count_or_a_dose_after_the_values_is_no_later_value) {
  // "and 2 units … were transfused" is a count of units, not a haemoglobin of 2 g/dL.
  std::vector<std::string> hb, na;
  for (const Obs& o : observations("Hemoglobin dropped from 12.1 to 7.2 g/dL and 2 units of packed red cells were transfused. "
                                   "Sodium fell from 140 to 120 mmol/L, then 3 tablets of tolvaptan were given.")) {
    if (o.loinc == "718-7") hb.push_back(o.value);
    if (o.loinc == "2951-2") na.push_back(o.value);
  }
  BOOST_TEST(hb == (std::vector<std::string>{"12.1", "7.2"}), boost::test_tools::per_element());
  BOOST_TEST(na == (std::vector<std::string>{"140", "120"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_range_after_the_last_value_of_a_list_is_not_that_values) {
  // The serum sodium range must not make a potassium of 5.9 low.
  const Obs k = observation_named("Sodium and potassium were 130 and 5.9 mmol/L (normal 135-145).", "potassium");
  BOOST_TEST(k.value == "5.9");
  BOOST_TEST(k.interpretation == "H");
}

BOOST_AUTO_TEST_CASE(a_stage_of_a_relative_a_negated_or_a_process_stage_is_no_result) {
  const auto all = observations(
      "Her mother had stage IV breast cancer. His father had NYHA class III heart failure. Her sister scored 10 on the "
      "Glasgow coma scale. Stage IV disease was ruled out. At this stage I recommended surgery. Stage 2 of the repair "
      "was performed. T2 N2 weighted images were obtained. If the ECG showed normal sinus rhythm, he would go home.");
  for (const Obs& o : all) BOOST_TEST(!o.resource.contains("valueString"), "read as a stage: " << o.text);
  for (const Obs& o : all) BOOST_TEST(o.text != "ECG", "a hypothesis is no result");
  for (const Obs& o : all) BOOST_TEST(o.text != "Glasgow coma scale", "the sister's score is not the patient's");
}

BOOST_AUTO_TEST_CASE(a_tnm_classification_keeps_its_m_part_and_a_stage_names_its_disorder) {
  const auto all = observations("It was staged as pT3 N1 M1 with liver metastases. He had stage 3 CKD and stage IIA breast cancer.");
  BOOST_TEST(get(all, "TNM classification").resource["valueString"].get<std::string>() == "pT3 N1 M1");
  BOOST_TEST(get(all, "CKD stage").resource["valueString"].get<std::string>() == "3");
  BOOST_TEST(get(all, "breast cancer stage").resource["valueString"].get<std::string>() == "IIA");
}

BOOST_AUTO_TEST_CASE(urine_analytes_the_mappings_know_keep_their_code) {
  // The specimen rule is for a blood analyte written after a specimen, not for a urine test.
  BOOST_TEST(observation_named("Urinary protein-to-creatinine ratio was 3.5 g/g.", "protein-to-creatinine ratio").loinc == "2890-2");
  BOOST_TEST(observation_named("Urinary free cortisol was 350 ug/24 h.", "Urinary free cortisol").loinc == "");
}

BOOST_AUTO_TEST_CASE(a_procedure_that_dates_a_test_is_not_the_test) {
  for (const Obs& o : observations("Repeat ECG after cardioversion showed normal sinus rhythm."))
    BOOST_TEST(o.loinc != "250980009", "the cardioversion read as the test that showed the rhythm");
}

BOOST_AUTO_TEST_CASE(a_negation_that_is_another_analytes_result_leaves_the_next_one) {
  const auto all = observations("CRP was not raised and procalcitonin was normal. No fever, and troponin was normal.");
  BOOST_TEST(get(all, "CRP").interpretation == "N");
  BOOST_TEST(get(all, "procalcitonin").interpretation == "N");
  BOOST_TEST(get(all, "troponin").interpretation == "N");
  for (const Obs& o : all)
    if (o.text == "procalcitonin" || o.text == "troponin") BOOST_TEST(!o.resource.contains("valueCodeableConcept"), o.text << " written as a finding");
}

BOOST_AUTO_TEST_CASE(how_a_value_was_taken_and_a_range_before_it_are_read_through) {
  const auto all = observations("The LCI (normal < 8) measured by N2-MBW decreased from 14.5 to 8.3 after 6 weeks. "
                                "Cardiac output assessed by thermodilution was 3.2 L/min.");
  std::vector<std::string> lci;
  for (const Obs& o : all)
    if (o.text == "LCI") lci.push_back(o.value + o.interpretation);
  BOOST_TEST(lci == (std::vector<std::string>{"14.5H", "8.3H"}), boost::test_tools::per_element());
  BOOST_TEST(get(all, "Cardiac output").value == "3.2");
}

BOOST_AUTO_TEST_CASE(a_stage_beside_an_unrelated_negation_or_plan_stays_the_patients) {
  // Context reaches a stage only in its direction, a few words away, within its clause.
  std::vector<std::string> got;
  for (const Obs& o : observations(
           "The tumor was pT2N0M0, ER and PR negative. No lymph node metastasis was found (pT1bN0M0). She had no chest "
           "pain; NYHA class II. Stage IIIA breast cancer was diagnosed, and adjuvant chemotherapy was recommended. "
           "He had CKD stage 3 due to diabetic nephropathy. He had CKD stage 4, with no anemia. He had Ann Arbor stage IV disease."))
    if (o.resource.contains("valueString")) got.push_back(o.text + " = " + o.resource["valueString"].get<std::string>());
  const std::vector<std::string> want = {"TNM classification = pT2N0M0", "TNM classification = pT1bN0M0", "NYHA class = II",
                                         "breast cancer stage = IIIA", "CKD stage = 3", "CKD stage = 4", "Ann Arbor stage = IV"};
  BOOST_TEST(got == want, boost::test_tools::per_element());
  // "and margins were negative" is the margins' result; the classification is no test.
  for (const Obs& o : observations("The tumour was staged as pT3N0M0 and margins were negative."))
    BOOST_TEST(!(o.text == "pT3N0M0"), "the classification read as a negative test");
}

BOOST_AUTO_TEST_CASE(nor_still_negates_and_a_span_of_years_is_no_range) {
  BOOST_TEST(observation_named("Lipase was not elevated, nor was amylase elevated.", "amylase").interpretation == "N");
  for (const Obs& o : observations("The lung clearance index (2015-2017) was 9.1."))
    BOOST_TEST(!o.resource.contains("referenceRange"), "years read as a reference range");
}

BOOST_AUTO_TEST_CASE(units_of_haemodynamics_excretion_and_mitoses_are_read) {
  const auto all = observations("The cardiac index was 1,6 L/min/m2. Norepinephrine was 468 μg/24 h. "
                                "Microscopically, tumor cells with low mitotic frequency (4/50 HPF) were found.");
  const Obs& index = get(all, "cardiac index");
  BOOST_TEST(index.value == "1.6");
  BOOST_TEST(index.unit == "L/min/m2");
  BOOST_TEST(get(all, "Norepinephrine").unit == "ug/(24.h)");
  bool hounsfield = false;   // the lesion's attenuation, beside the finding "lesion"
  for (const Obs& o : observations("The attenuation of the lesion was 20 Hounsfield units."))
    hounsfield = hounsfield || (o.value == "20" && o.unit == "[hnsf'U]");
  BOOST_TEST(hounsfield);
  const Obs& mitoses = get(all, "mitotic frequency");
  BOOST_TEST(mitoses.unit == "/(50.[HPF])");
  BOOST_TEST(mitoses.interpretation == "L");
}

BOOST_AUTO_TEST_CASE(a_list_of_values_that_does_not_match_the_analytes_pairs_nothing) {
  const auto all = observations("Sodium and potassium were 131, 3.2 and 98 mmol/L.");
  for (const Obs& o : all) BOOST_TEST(o.value.empty(), o.text << " took " << o.value << " from a list it cannot be paired with");
}

BOOST_AUTO_TEST_CASE(a_value_the_analyte_rose_or_fell_to_is_its_value) {
  BOOST_TEST(observation_named("Her BUN was rising to 37 mg/dL.", "BUN").value == "37");
  BOOST_TEST(observation_named("He had a creatinine that increased to 350 umol/L.", "creatinine").value == "350");
  BOOST_TEST(observation_named("The platelet count gradually decreased to 45 x 10^9/L.", "platelet count").value == "45");
}

BOOST_AUTO_TEST_CASE(a_value_from_one_time_to_another_is_two_results) {
  // Words of when between the two values: each value is a result, the second in the first's unit.
  for (const char* text : {"Serum chloride decreased from 115 mmol/L before treatment to 40 mmol/L after 6 weeks.",
                           "Serum chloride fell from 115 mmol/L in June 2007 to 40 mmol/L in 2008.",
                           "Serum chloride fell from 115 mmol/L on admission to 40 on day 3."}) {
    std::vector<std::string> values;
    for (const Obs& o : observations(text))
      if (o.text == "Serum chloride") {
        values.push_back(o.value);
        BOOST_TEST(o.unit == "mmol/L", text);
      }
    std::sort(values.begin(), values.end());
    BOOST_TEST((values == std::vector<std::string>{"115", "40"}), text);
  }
  // A "to" between numbers of time is theirs: no creatinine of 2015 mg/dL, no hemoglobin of 5.
  for (const char* text : {"Creatinine rose from 1.2 mg/dL in 2010 to 2015.", "Hemoglobin fell from 12 g/dL on days 3 to 5."})
    for (const Obs& o : observations(text)) BOOST_TEST((o.value == "1.2" || o.value == "12" || o.value.empty()), text << ": " << o.value);
  // A time that dates a value is not it.
  BOOST_TEST(observation_named("Hemoglobin, recorded 3 days later, was 8 g/dL.", "Hemoglobin").value == "8");
  BOOST_TEST(observation_named("Sodium at 6 hours was 130 mmol/L.", "Sodium").value == "130");
  BOOST_TEST(observation_named("Prothrombin time was 14 seconds.", "Prothrombin time").value == "14");
}

BOOST_AUTO_TEST_CASE(when_a_value_was_taken_is_no_test_name) {
  // "at EOT", "at the time of our consultation" say when; the analyte before takes the value.
  BOOST_TEST(observation_named("The platelet count at EOT was 92 × 103 cells/µL.", "platelet count").value == "92");
  BOOST_TEST(observation_named("Her baseline hemoglobin at the time of our consultation was 75 g/L.", "hemoglobin").value == "75");
  BOOST_TEST(observation_named("There was initial recovery of the LVEF (valued 47%).", "LVEF").value == "47");
  // Names with a number, a hyphen and a number; no name of one generic word or starting with a number.
  BOOST_TEST(observation_named("CA 19-9 was 120 U/mL.", "CA 19-9").value == "120");
  for (const Obs& o : observations("The reference level was <225 mg/L. The values of the right and left eyes were 561 and 557."))
    BOOST_TEST((o.text != "level" && o.text != "right" && o.text != "left eyes" && o.text != "values"), o.text);
}

BOOST_AUTO_TEST_CASE(a_value_that_ranged_between_two_is_a_range_and_a_drug_is_no_test) {
  const auto counts = observations("The platelet count had ranged between 52 x 10^9/L and 69 x 10^9/L.");
  const Obs& platelets = get(counts, "platelet count");
  BOOST_TEST(platelets.resource["valueRange"]["low"]["value"].get<double>() == 52);
  BOOST_TEST(platelets.resource["valueRange"]["high"]["value"].get<double>() == 69);
  const auto creatinine = observations("Serum creatinine ranged from 1.2 to 3.4 mg/dL.");
  const Obs& c = get(creatinine, "Serum creatinine");
  BOOST_TEST(c.resource["valueRange"]["low"]["value"].get<double>() == 1.2);
  BOOST_TEST(c.resource["valueRange"]["high"]["value"].get<double>() == 3.4);
  // The words after "before" name an event, not the test a value belongs to.
  const auto all = observations("Her sweat chloride decreased from 115 mmol/l before ivacaftor to 40 mmol/l.");
  for (const Obs& o : all) BOOST_TEST(o.text != "ivacaftor");
}

BOOST_AUTO_TEST_CASE(a_course_word_leads_to_a_value_only_through_to_at_or_of) {
  // A dose or a time after "rising" or "further" is no result of the test.
  for (const char* text : {"Her creatinine was rising, and 40 mg furosemide was given.",
                           "Her hemoglobin fell further 2 days later to 6.1 g/dL.", "CRP decreased gradually 2 weeks after treatment."})
    for (const Obs& o : observations(text)) BOOST_TEST(o.value.empty(), text << ": " << o.text << " = " << o.value);
}

BOOST_AUTO_TEST_CASE(thresholds_of_criteria_are_no_patients_results) {
  // A paragraph of diagnostic criteria after the case quotes values; they are nobody's results.
  const auto all = observations(
      "She was treated.\n\nIn patients with diabetic ketoacidosis, glucose is usually above 250 mg/dL and bicarbonate below "
      "18 mmol/L. Hyperosmolar hyperglycemic state presents with glucose above 600 mg/dL.");
  for (const Obs& o : all) BOOST_TEST(o.value.empty(), o.text << " = " << o.value);
}

BOOST_AUTO_TEST_CASE(results_listed_after_including_are_the_patients) {
  // "including" leans general; a sentence of measured results is about the patient all the same.
  const auto all = observations(
      "Tumor markers, including CEA, were normal, whereas liver function tests [including aspartate aminotransferase "
      "(178 IU/L) and alanine aminotransferase (225 IU/L)] were raised.");
  BOOST_TEST(get(all, "aspartate aminotransferase").value == "178");
  BOOST_TEST(get(all, "alanine aminotransferase").value == "225");
}

BOOST_AUTO_TEST_CASE(a_temperature_in_the_celsius_sign_has_its_unit) {
  const auto all = observations("Her body temperature was 38.5\u2103.");
  const Obs& t = get(all, "body temperature");
  BOOST_TEST(t.value == "38.5");
  BOOST_TEST(t.unit == "Cel");
}

BOOST_AUTO_TEST_CASE(a_value_written_before_its_analyte_is_its_value) {
  const auto all = observations("The white cell count was 12.1 x 10^9/L with 87% neutrophils.");
  const Obs& n = get(all, "neutrophils");
  BOOST_TEST(n.value == "87");
  BOOST_TEST(n.unit == "%");
}

BOOST_AUTO_TEST_CASE(values_written_before_each_analyte_of_a_list_stay_with_their_own) {
  const auto all = observations("The differential count showed 7% neutrophils, 88% lymphocytes and 5% monocytes.");
  BOOST_TEST(get(all, "neutrophils").value == "7", "the value after the comma is the lymphocytes'");
  BOOST_TEST(get(all, "lymphocytes").value == "88");
  BOOST_TEST(get(all, "monocytes").value == "5");
}

BOOST_AUTO_TEST_CASE(an_unknown_abbreviation_between_an_analyte_and_its_value_is_skipped) {
  const auto all = observations("Her serum creatinine (sCr) 2.40 mg/dL and blood urea nitrogen 51 mg/dL were raised.");
  const Obs& cr = get(all, "serum creatinine");
  BOOST_TEST(cr.value == "2.4");
  BOOST_TEST(cr.unit == "mg/dL");
}

BOOST_AUTO_TEST_CASE(a_number_opening_a_bracket_after_an_analyte_is_its_value) {
  BOOST_TEST(observation_named("Coagulation was deranged, with international normalized ratio (2.7; normal, 0.8-1.2).",
                               "international normalized ratio")
                 .value == "2.7");
}

BOOST_AUTO_TEST_CASE(a_value_before_an_earlier_analyte_does_not_join_a_later_list) {
  const auto all = observations(
      "Pleural fluid had 350 cells/uL with 60% lymphocytes, and glucose and protein levels of <40 mg/dL and 5.1 g/dL, respectively.");
  BOOST_TEST(get(all, "lymphocytes").value == "60");
  const Obs& glucose = get(all, "glucose");
  BOOST_TEST(glucose.value == "40");
  BOOST_TEST(glucose.resource["valueQuantity"]["comparator"] == "<");
  BOOST_TEST(get(all, "protein").value == "5.1");
}

BOOST_AUTO_TEST_CASE(a_value_and_the_same_value_with_a_comparator_are_two_results) {
  const auto all = observations("Fasting glucose was <60 mg/dL on the first day. Two days later glucose was 60 mg/dL.");
  std::size_t glucose = 0;
  for (const Obs& o : all) glucose += o.value == "60";
  BOOST_TEST(glucose == 2u, "\"<60\" and \"60\" are not one fact");
}

BOOST_AUTO_TEST_CASE(a_value_measuring_a_finding_is_the_analyte_the_mappings_say_it_measures) {
  const auto all = observations("She was febrile (38.9 °C) and hypotensive at 82/46 mm Hg, with tachycardia of 134/min.");
  const Obs& temperature = get(all, "body temperature");
  BOOST_TEST(temperature.loinc == "8310-5");
  BOOST_TEST(temperature.value == "38.9");
  BOOST_TEST(temperature.category == "vital-signs");
  const Obs& pressure = get(all, "blood pressure");
  BOOST_REQUIRE(pressure.resource.contains("component"));
  BOOST_TEST(pressure.resource["component"][0]["valueQuantity"]["value"].dump() == "82");
  BOOST_TEST(pressure.resource["component"][1]["valueQuantity"]["value"].dump() == "46");
  BOOST_TEST(get(all, "heart rate").value == "134");
}

BOOST_AUTO_TEST_CASE(a_unit_alone_never_says_what_a_findings_value_measures) {
  // Each unit below is the unit of one analyte of the mappings (troponin T, CD4 count, ammonia),
  // which these findings do not measure; and a relative's fever is not the patient's temperature.
  const auto all = observations("He had hyperferritinemia of 15,000 µg/L, thrombocytopenia of 20,000/µL and "
                                "hyperbilirubinemia of 340 µmol/L. She had ocular hypertension (32/28 mmHg). "
                                "His mother had fever of 40 °C.");
  for (const Obs& o : all) {
    if (!o.value.empty()) BOOST_TEST(o.loinc.empty(), o.text << " is coded " << o.loinc << " from its unit");
    BOOST_TEST(o.loinc != "8310-5", "the mother's fever is no body temperature of the patient");
    BOOST_TEST(!o.resource.contains("component"), "ocular hypertension is no blood pressure");
  }
}

BOOST_AUTO_TEST_CASE(a_size_after_a_finding_is_never_a_measurement_of_the_body) {
  const auto all = observations("There was a mass of 3 cm in the left breast.");
  for (const Obs& o : all) BOOST_TEST(o.loinc != "8302-2", "\"mass of 3 cm\" is not a body height");
}

BOOST_AUTO_TEST_CASE(an_interpretation_after_and_belongs_to_the_next_analyte) {
  const auto all = observations("There was a leukocytosis with 97.4% neutrophils, and elevated procalcitonin of 5.16 ng/mL.");
  const Obs& n = get(all, "neutrophils");
  const Obs& pct = get(all, "procalcitonin");
  BOOST_TEST(n.interpretation == "", "\"elevated\" is procalcitonin's");
  BOOST_TEST(pct.interpretation == "H");
}

BOOST_AUTO_TEST_CASE(a_titre_is_a_ratio_not_a_value_of_one) {
  const auto all = observations("The antinuclear antibody titre was 1:320.");
  BOOST_REQUIRE_EQUAL(all.size(), 1u);
  const FhirJson& r = all[0].resource;
  BOOST_TEST(!r.contains("valueQuantity"));
  BOOST_REQUIRE(r.contains("valueRatio"));
  BOOST_TEST(r["valueRatio"]["numerator"]["value"] == 1);
  BOOST_TEST(r["valueRatio"]["denominator"]["value"] == 320);
}

BOOST_AUTO_TEST_CASE(a_score_out_of_its_maximum_is_a_score_or_a_ratio) {
  // The Glasgow coma score is coded (LOINC 9269-2, a total in {score}): "10/15" is a total of 10.
  const Obs gcs = observation_named("On admission, GCS 10/15 and heart rate 110/min.", "GCS");
  BOOST_TEST(gcs.loinc == "9269-2");
  BOOST_TEST(gcs.value == "10");
  BOOST_TEST(gcs.unit == "{score}");
  BOOST_TEST(!gcs.resource.contains("valueRatio"));
  BOOST_TEST(observation_named("The Glasgow coma scale was 15.", "Glasgow coma scale").value == "15");
  // A time after the score's name is no score.
  for (const Obs& o : observations("Her GCS 2 days later was 14."))
    BOOST_TEST(o.unit != "d", o.text);
  // An uncoded score or an acuity keeps both numbers.
  const Obs hds = observation_named("The revised Hasegawa Dementia Scale (HDS-R) score was 17/30.", "revised Hasegawa Dementia Scale (HDS-R) score");
  BOOST_TEST(hds.loinc.empty());
  BOOST_TEST(hds.resource["valueRatio"]["numerator"]["value"] == 17);
  BOOST_TEST(hds.resource["valueRatio"]["denominator"]["value"] == 30);
  const Obs va = observation_named("The best-corrected visual acuity (BCVA) was 20/100.", "best-corrected visual acuity (BCVA)");
  BOOST_TEST(va.resource["valueRatio"]["numerator"]["value"] == 20);
  BOOST_TEST(va.resource["valueRatio"]["denominator"]["value"] == 100);
  BOOST_TEST(observation_named("PET showed a standardized uptake value (SUV) of 3.8.", "standardized uptake value (SUV)").value == "3.8");
  // Not one value out of a maximum: two scores, two decimal acuities, a grade of a finding.
  for (const char* text : {"Apgar scores of 8/9 at 1 and 5 minutes were recorded.", "Visual acuity was 0.3/0.8 in the right and left eyes.",
                           "Examination detected a systolic murmur grade 3/6."})
    for (const Obs& o : observations(text)) BOOST_TEST(!o.resource.contains("valueRatio"), text << ": " << o.text);
  BOOST_TEST(!observations("Examination detected a systolic murmur grade 3/6.").empty(), "the murmur is still a finding");
}

BOOST_AUTO_TEST_CASE(a_method_in_brackets_after_the_analyte_keeps_the_value) {
  const Obs crp = observation_named("CRP (nephelometry) was 65.6 mg/L.", "CRP");
  BOOST_TEST(crp.value == "65.6");
  BOOST_TEST(crp.unit == "mg/L");
  BOOST_TEST(observation_named("Creatinine (Cre) 6.50 mg/dL.", "Creatinine").value == "6.5");
  // A result word in the brackets is the result, not a method.
  BOOST_TEST(observation_named("Glucose (elevated) was found.", "Glucose").interpretation == "H");
  BOOST_TEST(observation_named("Creatinine elevating to 3.2 mg/dL was noted.", "Creatinine").value == "3.2");
  // A specimen other than blood, or a target, in the brackets: not the blood analyte's value.
  for (const char* text : {"Sodium (urine) 20 mmol/L.", "HbA1c (target) 7%."})
    for (const Obs& o : observations(text)) BOOST_TEST(o.value.empty(), text << ": " << o.text << " " << o.value);
}

BOOST_AUTO_TEST_CASE(a_negative_result_is_negative) {
  // "was negative" is both the result and a negation cue: the result says it once.
  for (const char* text : {"Troponin was negative.", "ANA was negative."}) {
    const auto all = observations(text);
    BOOST_REQUIRE_EQUAL(all.size(), 1u);
    BOOST_TEST(all[0].interpretation == "NEG", text);
  }
  // A negated result word still negates it: "no elevated troponin" is not high.
  BOOST_TEST(observation_named("There was no elevated troponin.", "troponin").interpretation == "N");
}

BOOST_AUTO_TEST_CASE(a_sign_in_brackets_is_a_positive_or_negative_result) {
  const auto all = observations("Serum CRP (+) was noted.");
  const Obs& crp = get(all, "CRP");
  BOOST_TEST(crp.interpretation == "POS");
}

BOOST_AUTO_TEST_CASE(an_analyte_without_a_mapping_is_kept_with_its_words_and_value) {
  const auto all = observations("Her beta-D glucan was 370.8 pg/mL (normal < 20 pg/mL).");
  const Obs& g = get(all, "beta-D glucan");
  BOOST_TEST(g.loinc == "", "no code is invented");
  BOOST_TEST(g.value == "370.8");
  BOOST_TEST(g.unit == "pg/mL");
  BOOST_TEST(g.interpretation == "H", "interpreted from the range the report states");
  BOOST_TEST(g.category == "laboratory", "a concentration is measured in a specimen");
  BOOST_REQUIRE(g.resource.contains("referenceRange"));
  // A hyphenated compound is one word of the name, whatever words it holds; a name with a number
  // after its hyphen keeps it.
  (void)get(observations("The right-to-left ventricular diameter ratio was 0.8."), "right-to-left ventricular diameter ratio");
  (void)get(observations("Her kappa-to-lambda free light chain ratio was 2.5."), "kappa-to-lambda free light chain ratio");
  (void)get(observations("Pre-operative serum anti-Mullerian hormone level was 0.5 ng/mL."),
            "Pre-operative serum anti-Mullerian hormone level");
  (void)get(observations("Ki-67 was 40%."), "Ki-67");
}

BOOST_AUTO_TEST_CASE(an_uncoded_result_is_listed_in_the_report) {
  const auto dir = temp_dir("lab-report");
  write_text_file(dir / "in.txt", "A 50-year-old man. His fractional shortening was 35%.\n");
  const RunResult r = run_casefhir({"convert", (dir / "in.txt").string(), "--report", (dir / "report.json").string(), "-o",
                                    (dir / "out.json").string()});
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  const FhirJson report = FhirJson::parse(read_text_file(dir / "report.json"));
  BOOST_REQUIRE_EQUAL(report["uncoded_results"].size(), 1u);
  BOOST_TEST(report["uncoded_results"][0]["text"] == "fractional shortening");
  BOOST_TEST(report["uncoded_results"][0]["result"] == "35%");
  BOOST_TEST(report["unmapped_sentences"].empty(), "a sentence with a result is not unmapped");
}

BOOST_AUTO_TEST_CASE(a_target_is_not_a_result) {
  const auto all = observations("Insulin was titrated to keep glucose above 100 mg/dL.");
  for (const Obs& o : all) BOOST_TEST(o.value.empty(), o.text << " took the target " << o.value);
}

BOOST_AUTO_TEST_CASE(a_daily_dose_is_not_a_result_but_a_daily_excretion_is) {
  BOOST_TEST(observations("He received dexamethasone 40 mg/day.").empty());
  const auto all = observations("Urinary protein excretion was 3.2 g/24 h.");
  BOOST_REQUIRE_EQUAL(all.size(), 1u);
  BOOST_TEST(all[0].value == "3.2");
}

BOOST_AUTO_TEST_CASE(a_decade_of_age_is_not_seconds) {
  for (const Obs& o : observations("A woman in her early 70s presented with chest pain."))
    BOOST_TEST(o.value.empty(), o.text << " took " << o.value << " " << o.unit);
}

BOOST_AUTO_TEST_CASE(a_test_reported_negative_is_a_negative_result_with_its_words) {
  const auto all = observations("Blood cultures were negative.");
  const Obs& c = get(all, "Blood cultures");
  BOOST_TEST(c.interpretation == "NEG");
  BOOST_TEST(c.value == "");
}

BOOST_AUTO_TEST_CASE(each_test_of_a_list_before_the_result_has_it) {
  const auto all = observations("Blood counts and serum chemistries were found to be normal.");
  (void)get(all, "Blood counts");
  (void)get(all, "serum chemistries");
  BOOST_TEST(get(all, "Blood counts").interpretation == "N");
  BOOST_TEST(get(all, "serum chemistries").interpretation == "N");
}

BOOST_AUTO_TEST_CASE(a_disease_named_as_a_serology_is_a_test_result_not_a_diagnosis) {
  const Conversion c = convert_text("A 40-year-old man. HIV and HHV-8 serology were negative.\n");
  const FhirJson bundle = FhirJson::parse(c.bundle);
  for (const auto& e : bundle["entry"])
    BOOST_TEST(e["resource"]["resourceType"] != "Condition", "no Condition from a serology: " << e["resource"].dump());
  const auto all = observations("HIV and HHV-8 serology were negative.");
  // "HIV" shares the list's head: the test is the HIV serology.
  (void)get(all, "HHV-8 serology");
  BOOST_TEST(get(all, "HIV serology").interpretation == "NEG");
  // "tested negative", "came back negative" say the result as "were negative" does.
  BOOST_TEST(observation_named("Blood cultures tested negative.", "Blood cultures").interpretation == "NEG");
  BOOST_TEST(observation_named("Urine culture came back negative.", "Urine culture").interpretation == "NEG");
  // A specimen between is no name of the list: the pneumonia is no culture.
  bool pneumonia = false;
  const FhirJson with_cultures = FhirJson::parse(convert_text("A 40-year-old man. He had pneumonia, and blood cultures were negative.\n").bundle);
  for (const auto& e : with_cultures["entry"])
    pneumonia = pneumonia || (e["resource"]["resourceType"] == "Condition" && e["resource"]["code"]["text"] == "pneumonia");
  BOOST_TEST(pneumonia);
}

BOOST_AUTO_TEST_CASE(markers_after_positive_for_each_have_the_result) {
  const auto all = observations("The tumour cells were positive for S-100, Melan-A and vimentin, but negative for cytokeratin 7.");
  for (const char* marker : {"S-100", "Melan-A", "vimentin"}) {
    BOOST_TEST(get(all, marker).interpretation == "POS", marker);
  }
  (void)get(all, "cytokeratin 7");
  BOOST_TEST(get(all, "cytokeratin 7").interpretation == "NEG");
}

BOOST_AUTO_TEST_CASE(the_result_of_a_known_procedure_is_part_of_it) {
  const FhirJson bundle = FhirJson::parse(convert_text("A 60-year-old man. An echocardiogram was performed. The echocardiogram was normal.\n").bundle);
  std::string procedure;
  const FhirJson* result = nullptr;
  for (const auto& e : bundle["entry"]) {
    if (e["resource"]["resourceType"] == "Procedure") procedure = e["fullUrl"].get<std::string>();
    if (e["resource"]["resourceType"] == "Observation" && e["resource"].contains("interpretation")) result = &e["resource"];
  }
  BOOST_REQUIRE(!procedure.empty());
  BOOST_REQUIRE(result);
  BOOST_TEST((*result)["interpretation"][0]["coding"][0]["code"] == "N");
  BOOST_TEST((*result)["category"][0]["coding"][0]["code"] == "procedure");
  BOOST_TEST((*result)["partOf"][0]["reference"] == procedure);
}

BOOST_AUTO_TEST_CASE(units_written_with_unicode_spaces_are_valid_fhir_strings) {
  const auto all = observations("Her pulmonary artery pressure was 50 mm\u00a0Hg.");
  BOOST_REQUIRE_EQUAL(all.size(), 1u);
  BOOST_TEST(all[0].resource["valueQuantity"]["unit"] == "mm Hg");
}

BOOST_AUTO_TEST_CASE(a_unit_given_only_to_some_values_of_a_list_stays_with_them) {
  const auto all = observations("pH, PaCO2 and bicarbonate were 7.50, 34 mmHg and 26.5 mmol/L, respectively.");
  const Obs& ph = get(all, "pH");
  BOOST_TEST(ph.value == "7.5");
  BOOST_TEST(ph.unit == "", "the pH has no unit, not the mmHg of the next value");
  (void)get(all, "bicarbonate");
  BOOST_TEST(get(all, "bicarbonate").unit == "mmol/L");
}

BOOST_AUTO_TEST_CASE(words_before_a_full_list_of_analytes_are_not_one_of_its_names) {
  const auto all = observations("In room air, sodium and potassium were 131 and 3.2 mmol/L, respectively.");
  (void)get(all, "sodium");
  BOOST_TEST(get(all, "sodium").value == "131");
  BOOST_TEST(get(all, "potassium").value == "3.2");
}

BOOST_AUTO_TEST_CASE(a_value_given_as_a_range_is_a_range) {
  const auto all = observations("The ejection fraction was 65–70%.");
  const Obs& ef = get(all, "ejection fraction");
  BOOST_REQUIRE(ef.resource.contains("valueRange"));
  BOOST_TEST(ef.resource["valueRange"]["low"]["value"] == 65);
  BOOST_TEST(ef.resource["valueRange"]["high"]["value"] == 70);
  BOOST_TEST(ef.resource["valueRange"]["high"]["code"] == "%");
}

BOOST_AUTO_TEST_CASE(a_change_from_one_value_to_another_gives_both) {
  const auto all = observations("Her LVEF increased from 0.20 to 0.55 over 8 months.");
  std::vector<std::string> values;
  for (const Obs& o : all)
    if (o.text == "LVEF") values.push_back(o.value);
  BOOST_TEST(values == (std::vector<std::string>{"0.2", "0.55"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_analyte_that_fell_from_one_value_to_another_has_both_in_order) {
  const auto all = observations("His creatinine fell from 798 to 98 µmol/L.");
  std::vector<std::string> values;
  for (const Obs& o : all)
    if (o.text == "creatinine") values.push_back(o.value + " " + o.unit);
  BOOST_TEST(values == (std::vector<std::string>{"798 umol/L", "98 umol/L"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_minus_sign_against_the_number_is_a_negative_value_a_dash_between_numbers_is_not) {
  BOOST_TEST(observation_named("Bone density was low (T-score: −3.4).", "T-score").value == "-3.4");
  const auto all = observations("Serum sodium was 128 mmol/L (reference range 135-145 mmol/L).");
  BOOST_REQUIRE_EQUAL(all.size(), 1u);
  BOOST_TEST(all[0].resource["referenceRange"][0]["low"]["value"] == 135);
}

BOOST_AUTO_TEST_CASE(a_number_without_a_unit_is_a_result_only_of_a_score_or_after_an_equals_sign) {
  const auto scored = observations("Her Glasgow Coma Scale score was 15.");
  (void)get(scored, "Glasgow Coma Scale score");
  BOOST_TEST(get(scored, "Glasgow Coma Scale score").value == "15");
  BOOST_TEST(observation_named("She was fully conscious (GCS = 15).", "GCS").value == "15");
  for (const Obs& o : observations("The tumour measured 3 on one side and had 2 satellite nodules."))
    BOOST_TEST(o.value.empty(), o.text << " took the bare number " << o.value);
}

BOOST_AUTO_TEST_CASE(a_coma_scale_is_not_a_coma) {
  const FhirJson bundle = FhirJson::parse(convert_text("A 40-year-old man. His Glasgow Coma Scale score was 15.\n").bundle);
  for (const auto& e : bundle["entry"]) BOOST_TEST(e["resource"]["resourceType"] != "Condition", e["resource"].dump());
}

BOOST_AUTO_TEST_CASE(signs_after_each_marker_of_a_list) {
  const auto all = observations("Immunohistochemistry showed CD34 (+), S-100 (-) and SMA (+).");
  BOOST_TEST(get(all, "CD34").interpretation == "POS");
  BOOST_TEST(get(all, "S-100").interpretation == "NEG");
  BOOST_TEST(get(all, "SMA").interpretation == "POS");
}

BOOST_AUTO_TEST_CASE(a_lab_value_that_normalised_is_a_normal_result_not_an_absent_test) {
  const auto all = observations("The serum ammonia normalised.");
  BOOST_REQUIRE_EQUAL(all.size(), 1u);
  BOOST_TEST(all[0].interpretation == "N");
  BOOST_TEST(!all[0].resource.contains("valueCodeableConcept"), "no absent/present value for a lab result");
}

BOOST_AUTO_TEST_CASE(the_unit_picks_the_loinc_code_whose_property_fits) {
  BOOST_TEST(observation_named("Serum calcium was 9.1 mg/dL.", "Serum calcium").loinc == "17861-6", "mass concentration");
  BOOST_TEST(observation_named("Serum calcium was 2.1 mmol/L.", "Serum calcium").loinc == "2000-8",
             "substance concentration");
  BOOST_TEST(observation_named("Serum creatinine was 160 µmol/L.", "Serum creatinine").loinc == "14682-9");
  BOOST_TEST(observation_named("Serum creatinine was 1.8 mg/dL.", "Serum creatinine").loinc == "2160-0");
  // Laboratories write IU and U alike for an enzyme's activity.
  BOOST_TEST(observation_named("ALT was 85 IU/L.", "ALT").loinc == "1742-6");
}

BOOST_AUTO_TEST_CASE(millimolar_is_read_as_ucum_reads_it_never_as_millimetres) {
  const auto all = observations("Glucose was 5.4 mM.");
  const Obs& g = get(all, "Glucose");
  BOOST_TEST(g.unit == "mmol/L");
  BOOST_TEST(g.loinc == "14749-6");
  BOOST_TEST(observation_named("The lesion's depth was 4 mm.", "depth").unit == "mm");
}

BOOST_AUTO_TEST_CASE(a_unit_that_fits_no_code_of_its_analyte_keeps_the_value_and_says_so) {
  const auto dir = temp_dir("lab-unit");
  write_text_file(dir / "in.txt", "A 50-year-old man. His CRP was 5 mmol/L.\n");
  const RunResult r = run_casefhir({"convert", (dir / "in.txt").string(), "--report", (dir / "report.json").string(), "-o",
                                    (dir / "out.json").string()});
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  const FhirJson bundle = FhirJson::parse(read_text_file(dir / "out.json"));
  bool found = false;
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == "Observation" && member(e["resource"]["code"], "text") == "CRP") {
      found = true;
      BOOST_TEST(!e["resource"]["code"].contains("coding"), "no code of a mass concentration for a molar value");
      BOOST_TEST(e["resource"]["valueQuantity"]["value"] == 5);
      BOOST_TEST(e["resource"]["valueQuantity"]["code"] == "mmol/L");
    }
  BOOST_TEST(found);
  const FhirJson report = FhirJson::parse(read_text_file(dir / "report.json"));
  BOOST_REQUIRE_EQUAL(report["uncoded_results"].size(), 1u);
  BOOST_TEST(member(report["uncoded_results"][0], "reason").find("another property") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_value_an_analyte_went_to_is_a_second_result) {
  const auto all = observations("The platelet count was 92 × 10^3/uL and rose to 159 × 10^3/uL a week later.");
  std::vector<std::string> values;
  for (const Obs& o : all)
    if (o.text == "platelet count") {
      values.push_back(o.value);
      BOOST_TEST(o.loinc == "777-3");
    }
  BOOST_TEST(values == (std::vector<std::string>{"92", "159"}), boost::test_tools::per_element());
  // Without a unit of its own the second takes the first's.
  const auto creatinine = observations("Creatinine was 798 µmol/L and then fell to 98.");
  std::vector<std::string> units;
  for (const Obs& o : creatinine)
    if (o.text == "Creatinine") units.push_back(o.value + " " + o.unit);
  BOOST_TEST(units == (std::vector<std::string>{"798 umol/L", "98 umol/L"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_ejection_fraction_written_as_a_fraction_is_a_result) {
  BOOST_TEST(observation_named("Echocardiography showed a left ventricular ejection fraction of 0.20.",
                               "left ventricular ejection fraction")
                 .value == "0.2");
}

BOOST_AUTO_TEST_CASE(an_approximate_or_estimated_value_is_the_value) {
  BOOST_TEST(observation_named("Her systolic blood pressure was approximately 90 mmHg.", "systolic blood pressure").value == "90");
  BOOST_TEST(observation_named("Ki-67 labeling index was about 2 %.", "Ki-67 labeling index").value == "2");
  // The words of the estimate are no test's name.
  const Obs rv = observation_named("Right ventricular systolic pressure was estimated at 60 mmHg.", "Right ventricular systolic pressure");
  BOOST_TEST(rv.value == "60");
  BOOST_TEST(rv.loinc.empty());
}

BOOST_AUTO_TEST_CASE(a_result_said_with_an_adverb_of_degree_is_read) {
  BOOST_TEST(observation_named("CRP was highly elevated.", "CRP").interpretation == "H");
  BOOST_TEST(observation_named("Serum VEGF was highly elevated.", "Serum VEGF").interpretation == "H");
  const Obs ferritin = observation_named("Serum ferritin was severely elevated at 1500 ng/mL.", "Serum ferritin");
  BOOST_TEST(ferritin.value == "1500");
  BOOST_TEST(ferritin.interpretation == "H");
}

BOOST_AUTO_TEST_CASE(systolic_diastolic_and_mean_pressures_are_their_own_vital_signs) {
  const auto all = observations("Her systolic blood pressure was 85 mmHg, diastolic blood pressure 50 mmHg and mean arterial pressure 62 mmHg.");
  BOOST_TEST(get(all, "systolic blood pressure").loinc == "8480-6");
  BOOST_TEST(get(all, "diastolic blood pressure").loinc == "8462-4");
  BOOST_TEST(get(all, "mean arterial pressure").loinc == "8478-0");
  BOOST_TEST(get(all, "mean arterial pressure").category == "vital-signs");
  // A pressure inside the heart, the lungs or a vein is not the blood pressure.
  for (const char* text : {"The pulmonary artery systolic pressure was 45 mmHg.", "A pulmonary systolic arterial pressure of 60 mmHg.",
                           "Systolic pulmonary arterial pressure was estimated at 50 mmHg."})
    for (const Obs& o : observations(text)) BOOST_TEST(o.loinc.empty(), text << ": " << o.loinc);
}

BOOST_AUTO_TEST_CASE(a_length_of_a_thing_is_no_body_measurement_and_a_percentile_no_range) {
  BOOST_TEST(observations("Four worms were vomited, each with a length of about 10 cm.").empty());
  const auto all = observations("The birthweight was 2,330 g (<10th percentile), length 47 cm.");
  BOOST_TEST(get(all, "length").value == "47");
  const Obs& weight = get(all, "birthweight");
  BOOST_TEST(weight.value == "2330");
  BOOST_TEST(!weight.resource.contains("referenceRange"));
  BOOST_TEST(weight.interpretation.empty());
}

BOOST_AUTO_TEST_CASE(a_power_of_ten_before_any_unit_is_read_as_ucum_writes_it) {
  const Obs hcv = observation_named("HCV RNA was 2.12 × 106 IU/mL.", "HCV RNA");
  BOOST_TEST(hcv.value == "2.12");
  BOOST_TEST(hcv.unit == "10*6.[IU]/mL");
  BOOST_TEST(observation_named("The viral load was 3.5 x 10^4 copies/mL.", "viral load").unit == "10*4.{copies}/mL");
  BOOST_TEST(observation_named("Viral load was 35000 copies/mL.", "Viral load").unit == "{copies}/mL");
  BOOST_TEST(observation_named("Leukocytes were 13 × 109/mL.", "Leukocytes").unit == "10*9/mL");
  // A size is no power of ten, even written as one.
  for (const Obs& o : observations("The mass measured 2 x 3 cm and 5 x 10 mm. The tumor measured 30 x 105 mm."))
    BOOST_TEST(o.unit.find("10*") == std::string::npos, o.text);
}

BOOST_AUTO_TEST_CASE(thousands_grouped_by_a_space_are_one_number) {
  // Read as 36 before: a count off by a factor of a thousand.
  BOOST_TEST(observation_named("Platelets were 36 790 per microliter.", "Platelets").value == "36790");
  BOOST_TEST(observation_named("The platelet count was 1 250 000 per microliter.", "platelet count").value == "1250000");
  // Two values that are not groups of three digits stay two.
  const auto all = observations("Heart rate was 120 and respiratory rate 30.");
  BOOST_TEST(get(all, "Heart rate").value == "120");
  BOOST_TEST(get(all, "respiratory rate").value == "30");
}

BOOST_AUTO_TEST_CASE(an_ejection_fraction_is_an_imaging_measurement_with_its_loinc_code) {
  // LOINC 10230-1, category imaging, however the report names it; a fraction keeps its number.
  for (const auto& [text, name, value] : {std::tuple{"TTE showed an LVEF of 37%.", "LVEF", "37"},
                                          std::tuple{"It confirmed the LVEF of 0.20.", "LVEF", "0.2"},
                                          std::tuple{"The left ventricular ejection fraction was 55%.", "left ventricular ejection fraction", "55"}}) {
    const Obs o = observation_named(text, name);
    BOOST_TEST(o.loinc == "10230-1", text);
    BOOST_TEST(o.category == "imaging", text);
    BOOST_TEST(o.value == value, text);
  }
  BOOST_TEST(observation_named("Echocardiography showed reduced EF (0.11).", "EF").interpretation == "L");
  // The right ventricle's ejection fraction is not the left's: kept, uncoded.
  const Obs right = observation_named("The right ventricular ejection fraction was 30%.", "right ventricular ejection fraction");
  BOOST_TEST(right.loinc.empty());
  BOOST_TEST(right.value == "30");
}

BOOST_AUTO_TEST_CASE(a_word_of_change_is_no_interpretation) {
  // "increased from 0.20 to 0.55" says how the value moved, not that 0.55 is above its range.
  for (const Obs& o : observations("Her LVEF increased from 0.20 to 0.55 during an 8-month period."))
    BOOST_TEST(o.interpretation.empty(), o.value);
  // A stated range still interprets the value, and an adjective still says what it is.
  BOOST_TEST(observation_named("Her creatinine increased to 3.5 mg/dL (normal 0.6-1.2).", "creatinine").interpretation == "H");
  BOOST_TEST(observation_named("Her ferritin was increased (900 ng/mL).", "ferritin").interpretation == "H");
  BOOST_TEST(observation_named("Troponin was elevated to 12 ng/mL.", "Troponin").interpretation == "H");
  BOOST_TEST(observation_named("Platelet count gradually increased to 93 × 103 cells/μL.", "Platelet count").interpretation == "L");   // by its range
  BOOST_TEST(observation_named("CRP increased to 250 mg/L.", "CRP").interpretation == "H");   // no range: the verb says it
}

BOOST_AUTO_TEST_CASE(how_a_value_was_taken_is_read_through_to_its_copula) {
  // "by pulse oximeter in room air", "on MPI", "on admission": the method or the time, not a test's name.
  const Obs spo2 = observation_named("The oxygen saturation by pulse oximeter in room air was 97%.", "oxygen saturation");
  BOOST_TEST(spo2.loinc == "59408-5");
  BOOST_TEST(spo2.value == "97");
  BOOST_TEST(observation_named("The ejection fraction on MPI was 35%.", "ejection fraction").value == "35");
  BOOST_TEST(observation_named("Creatinine on admission was 2.1 mg/dL.", "Creatinine").value == "2.1");
  BOOST_TEST(observation_named("The INR for coagulation values was 1.02.", "INR").value == "1.02");
  BOOST_TEST(observation_named("The patient's GCS score was 15.", "GCS").value == "15");
  BOOST_TEST(observation_named("Potassium on day 3 was 2.9 mmol/L.", "Potassium").value == "2.9");
  BOOST_TEST(observation_named("Creatinine by hospital day 5 was 2.1 mg/dL.", "Creatinine").value == "2.1");
  for (const Obs& o : observations("The oxygen saturation by pulse oximeter in room air was 97%.")) BOOST_TEST(o.text != "room air");
}

BOOST_AUTO_TEST_CASE(an_hiv_viral_load_is_a_result_not_a_diagnosis_statement) {
  const Obs load = observation_named("HIV viral load was 35,000 copies/mL.", "HIV viral load");
  BOOST_TEST(load.loinc == "20447-9");
  BOOST_TEST(load.value == "35000");
  BOOST_TEST(load.unit == "{copies}/mL");
  BOOST_TEST(observation_named("HIV RNA was undetectable.", "HIV RNA").interpretation == "NEG");
}

BOOST_AUTO_TEST_CASE(a_count_written_before_its_cells_takes_the_volume_after_them) {
  const Obs p = observation_named("A blood count showed a hematocrit of 34.9% and 281×103 platelets per microliter.", "platelets");
  BOOST_TEST(p.loinc == "777-3");
  BOOST_TEST(p.value == "281");
  BOOST_TEST(p.unit == "10*3/uL");
  BOOST_TEST(observation_named("He had 281,000 platelets/µL.", "platelets").unit == "/uL");
  // A percentage analyte is no count per volume, and a dose is no count.
  for (const char* text : {"The count was 5 × 10^9 neutrophils/L.", "He received 2 units of platelets per day."})
    for (const Obs& o : observations(text)) BOOST_TEST(o.value.empty(), text << ": " << o.text << " " << o.value);
}

BOOST_AUTO_TEST_CASE(values_a_verb_of_showing_introduces_are_paired_in_order) {
  const auto all = observations("The levels of carcinoembryonic antigen and alpha fetoprotein indicated 3.6 ng/mL and 26.7 ng/mL, respectively.");
  std::vector<std::string> got;
  for (const Obs& o : all) got.push_back(o.loinc + "=" + o.value);
  std::sort(got.begin(), got.end());
  BOOST_TEST((got == std::vector<std::string>{"1834-1=26.7", "2039-6=3.6"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
