// Procedures and treatments (issue 7 item 7): a procedure named in the text is a Procedure with its
// SNOMED CT code; its status comes from the text, and one not done says why when the text does.
#include <boost/test/unit_test.hpp>

#include <map>

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

// Each Procedure's status, by CodeableConcept.text, when `sentence` follows `context`.
std::map<std::string, std::string> procedure_statuses(const std::string& context, const std::string& sentence) {
  std::map<std::string, std::string> out;
  for (const auto& [text, p] : procedures_of(convert_text(context + "\n" + sentence + "\n"))) out[text] = p["status"].get<std::string>();
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

// The GPS names the operation "Excision of appendix" only; the words surgeons write name it too.
BOOST_AUTO_TEST_CASE(an_appendectomy_is_the_excision_of_the_appendix) {
  for (const std::string word : {"appendectomy", "appendicectomy"}) {
    const auto p = procedures_of(convert_text("A 20-year-old man underwent an " + word + ".\n"));
    BOOST_REQUIRE(p.count(word));
    BOOST_TEST(p.at(word)["status"] == "completed");
    BOOST_TEST(p.at(word)["code"]["coding"][0]["code"] == "80146002");
  }
  BOOST_TEST(procedures_of(convert_text("A 20-year-old man underwent a laparoscopic appendectomy.\n"))
                 .at("laparoscopic appendectomy")["code"]["coding"][0]["code"] == "6025007");
}

// The GPS names other operations only by their formal names too ("Excision of lamina of
// vertebra"); the words and abbreviations reports use for them reach the same codes.
BOOST_AUTO_TEST_CASE(operations_named_as_surgeons_write_them_have_their_gps_codes) {
  for (const auto& [sentence, name, code] :
       {std::tuple{"He underwent a laminectomy.", "laminectomy", "387731002"},
        std::tuple{"He underwent mitral valve repair.", "mitral valve repair", "384641003"},
        std::tuple{"He underwent tricuspid valve repair.", "tricuspid valve repair", "384643000"},
        std::tuple{"He was treated with TIPS.", "TIPS", "233445008"},
        std::tuple{"PEG tube insertion was performed.", "PEG tube insertion", "235159007"}}) {
    const auto p = procedures_of(convert_text(std::string("A 60-year-old man. ") + sentence + "\n"));
    BOOST_REQUIRE_MESSAGE(p.count(name), sentence);
    BOOST_TEST(p.at(name)["code"]["coding"][0]["code"] == code, sentence);
    BOOST_TEST(p.at(name)["status"] == "completed", sentence);
  }
  // The abbreviation is one in capitals only: "tips" is advice; a trial of that name is no shunt.
  BOOST_TEST(procedures_of(convert_text("A 60-year-old man. Tips for clinicians follow.\n")).empty());
  BOOST_TEST(procedures_of(convert_text("A 60-year-old man. He was enrolled in the TIPS trial.\n")).empty());
  // Suggested, advised or recommended is not done; only the procedure right before "was
  // recommended" is the one recommended, and one recommended and performed was done.
  for (const char* text : {"PEG tube placement was suggested.", "Laminectomy was advised.", "PEG tube placement was recommended.",
                           "Surgical resection was recommended, but the patient refused.",
                           "He was recommended to undergo coronary artery bypass grafting.",
                           "It was recommended that he undergo radiotherapy.",
                           "Colonoscopy was recommended and was scheduled for the following month."})
    for (const auto& [name, p] : procedures_of(convert_text(std::string("A 60-year-old man. ") + text + "\n")))
      BOOST_TEST(p["status"] != "completed", text);
  // "as was suggested" says why it was done.
  for (const char* text : {"He underwent mitral valve repair as was suggested by the heart team.",
                           "He underwent mitral valve repair as was recommended by the heart team.",
                           "A mitral valve repair was recommended and performed.",
                           "A mitral valve repair was recommended and was performed uneventfully.",
                           "After mitral valve repair, adjuvant chemotherapy was recommended."})
    BOOST_TEST(procedures_of(convert_text(std::string("A 60-year-old man. ") + text + "\n")).at("mitral valve repair")["status"] ==
                   "completed", text);
}

BOOST_AUTO_TEST_CASE(administrative_events_and_purposes_are_not_procedures) {
  // Admissions, visits, consultations, referrals, follow-up, prevention, counselling and care
  // regimes are encounters or purposes (mappings/administrative-events.json); a real procedure in
  // the same text still is one.
  const Conversion c = convert_text(
      "A 50-year-old man was admitted. Hospital admission was arranged for primary prevention. He underwent a follow-up "
      "visit and a skin biopsy. He had a consultation with a cardiologist and a referral to a dermatologist, genetic "
      "counseling and palliative care. Stroke prevention was discussed. He later required hemodialysis.\n");
  const auto p = procedures_of(c);
  BOOST_TEST(p.size() == 2u);
  BOOST_TEST(p.count("skin biopsy"));
  BOOST_TEST(p.count("hemodialysis"));
  for (const auto& [text, procedure] : p) BOOST_TEST(procedure["status"] == "completed");
  // The words inside a purpose name nothing either: stroke prevention is no stroke.
  const FhirJson bundle = FhirJson::parse(c.bundle);
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == "Condition") BOOST_TEST(e["resource"]["code"]["text"] != "stroke");
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

// A procedure that was not needed, put off, cancelled or only considered did not happen: not done
// (with the reason the text gives), or nothing; never completed.
BOOST_AUTO_TEST_CASE(a_procedure_not_needed_postponed_cancelled_or_considered_did_not_happen) {
  auto status_of = [](const std::string& sentence, const std::string& procedure) {
    const auto p = procedures_of(convert_text("A 50-year-old man was admitted.\n" + sentence + "\n"));
    return p.count(procedure) ? p.at(procedure)["status"].get<std::string>() : std::string("(none)");
  };
  BOOST_TEST(status_of("Liver transplantation was not needed.", "Liver transplantation") == "not-done");
  BOOST_TEST(status_of("Further surgery was not required.", "surgery") == "not-done");
  BOOST_TEST(status_of("The surgery was cancelled due to his medical instability.", "surgery") == "not-done");
  BOOST_TEST(status_of("Surgical resection was not feasible because of the tumour extent.", "Surgical resection") == "not-done");
  BOOST_TEST(status_of("Surgery was considered but the patient improved with antibiotics.", "Surgery") == "(none)");
  // Partly done is done: "could not be completely performed".
  BOOST_TEST(status_of("Colonoscopy could not be completely performed because of poor bowel preparation.", "Colonoscopy") ==
             "completed");
  BOOST_TEST(status_of("His request for surgery was denied.", "surgery") == "not-done");
  BOOST_TEST(status_of("Because of his weight, he was denied a heart transplant.", "heart transplant") == "not-done");
  BOOST_TEST(status_of("Surgery was denied and chemotherapy was started.", "chemotherapy") == "completed");
  BOOST_TEST(status_of("Carboxyhemoglobin measured by CO-oximeter was 30%.", "oximeter") == "(none)");
  const auto p = procedures_of(convert_text("A 50-year-old man was admitted.\nDialysis was postponed because his potassium normalised.\n"));
  BOOST_REQUIRE(p.count("Dialysis"));
  BOOST_TEST(p.at("Dialysis")["status"] == "not-done");
  BOOST_TEST(p.at("Dialysis")["statusReason"]["text"] == "because his potassium normalised");
  // What was done stays done.
  BOOST_TEST(status_of("He underwent hemodialysis and was discharged.", "hemodialysis") == "completed");
}

// A negation after procedures is about the one right before it and those listed with it, not one
// the sentence named before.
BOOST_AUTO_TEST_CASE(a_negation_after_a_procedure_leaves_an_earlier_one_done) {
  auto statuses = [](const std::string& sentence) { return procedure_statuses("A 50-year-old man was admitted.", sentence); };
  using S = std::map<std::string, std::string>;
  BOOST_TEST((statuses("After hemodialysis, further surgery was not needed.") == S{{"hemodialysis", "completed"}, {"surgery", "not-done"}}));
  BOOST_TEST((statuses("Following the biopsy, a colonoscopy was not performed.") == S{{"biopsy", "completed"}, {"colonoscopy", "not-done"}}));
  BOOST_TEST((statuses("Surgery, chemotherapy and radiotherapy were not needed.") ==
              S{{"Surgery", "not-done"}, {"chemotherapy", "not-done"}, {"radiotherapy", "not-done"}}));
  BOOST_TEST((statuses("A biopsy of the liver and a CT were not performed.") == S{{"biopsy of the liver", "not-done"}, {"CT", "not-done"}}));
  // A singular verb has one subject: the procedure before the "and" was done.
  BOOST_TEST((statuses("He was treated with intravenous fluids, and hemodialysis was not needed.") ==
              S{{"intravenous fluids", "completed"}, {"hemodialysis", "not-done"}}));
}

BOOST_AUTO_TEST_CASE(a_refused_treatment_is_not_done_and_refused) {
  const auto p = procedures_of(convert_text("A 60-year-old man was offered chemotherapy. He declined chemotherapy.\n"));
  BOOST_REQUIRE(p.count("chemotherapy"));
  BOOST_TEST(p.at("chemotherapy")["status"] == "not-done");
  BOOST_TEST(p.at("chemotherapy")["statusReason"]["text"] == "He declined");
}

BOOST_AUTO_TEST_CASE(a_procedure_recommended_for_something_is_a_recommendation) {
  // The longer trigger "was recommended for" reaches back to the procedure as "was recommended" does.
  BOOST_TEST(procedures_of(convert_text("A 20-year-old man had abdominal pain.\nAn appendectomy was recommended for acute appendicitis.\n"))
                 .empty());
  // "was recommended for" before a procedure makes it a recommendation too.
  BOOST_TEST(procedures_of(convert_text("A 50-year-old woman had cirrhosis.\nShe was recommended for liver transplantation.\n")).empty());
  // What it was recommended for is as often what is screened for as the patient's disorder
  // ("screening was recommended for colorectal cancer"): no Condition. A clause that goes on "and
  // was performed" or ", which was performed" says it was done.
  for (const Fact& x : patient_facts_of("Screening was recommended for colorectal cancer.").facts)
    BOOST_TEST((x.code.kind != ConceptKind::disorder || x.assertion != Assertion::present), x.code.text);
  BOOST_TEST((procedure_statuses("A 50-year-old man had gallstones.", "He was scheduled for cholecystectomy, which was performed uneventfully.") ==
              std::map<std::string, std::string>{{"cholecystectomy", "completed"}}));
  BOOST_TEST((procedure_statuses("A 50-year-old man had lymphoma.", "Chemotherapy was planned and was given on day 3.") ==
              std::map<std::string, std::string>{{"Chemotherapy", "completed"}}));
  const auto done = procedures_of(convert_text(
      "A 20-year-old man had abdominal pain.\nAn appendectomy was recommended for acute appendicitis and was performed the same day.\n"));
  BOOST_REQUIRE(done.count("appendectomy"));
  BOOST_TEST(done.at("appendectomy")["status"] == "completed");
  BOOST_TEST(procedures_of(convert_text("A 20-year-old man had abdominal pain.\nA biopsy was recommended and a CT was performed.\n"))
                 .count("biopsy") == 0u);
  // A search for something is no diagnosis of it.
  for (const Fact& x : patient_facts_of("A colonoscopy was recommended for exclusion of colon cancer.").facts)
    BOOST_TEST((x.code.kind != ConceptKind::disorder || x.assertion != Assertion::present), x.code.text);
  BOOST_TEST((fact_named(patient_facts_of("A CT was performed for exclusion of pulmonary embolism."), "pulmonary embolism").assertion ==
              Assertion::possible));
}

BOOST_AUTO_TEST_CASE(a_procedure_offered_and_declined_is_only_not_done) {
  const auto p = procedures_of(convert_text("A 60-year-old man was offered chemotherapy. He declined chemotherapy.\n"));
  BOOST_REQUIRE(p.size() == 1u);   // the offer is no chemotherapy given
  BOOST_TEST(p.at("chemotherapy")["status"] == "not-done");
}

BOOST_AUTO_TEST_CASE(a_procedure_declined_at_the_end_of_its_clause_is_not_done) {
  auto statuses = [](const std::string& sentence) { return procedure_statuses("A 50-year-old woman had breast cancer.", sentence); };
  using S = std::map<std::string, std::string>;
  BOOST_TEST((statuses("A breast reconstruction was discussed but declined.") == S{{"breast reconstruction", "not-done"}}));
  BOOST_TEST((statuses("A mastectomy was discussed with her, which she refused.") == S{{"mastectomy", "not-done"}}));
  BOOST_TEST((statuses("A mastectomy was offered, but the patient declined.") == S{{"mastectomy", "not-done"}}));
  // "Declined" with no proposal before it is as often a value or a patient getting worse; what was
  // refused later was done first.
  BOOST_TEST((statuses("Her platelet count improved after the transfusion but later declined.") == S{{"transfusion", "completed"}}));
  BOOST_TEST((statuses("She was intubated but later refused.") == S{{"intubated", "completed"}}));
  // The refusal is of the procedure whose clause it ends, not of one done before.
  BOOST_TEST((statuses("She was intubated and a tracheostomy was discussed with the family, who refused.") ==
              S{{"intubated", "completed"}, {"tracheostomy", "not-done"}}));
  BOOST_TEST((statuses("After thyroidectomy, radioactive iodine therapy was recommended, which the patient refused.").at("thyroidectomy") ==
              "completed"));
  BOOST_TEST((statuses("Chemotherapy and radiotherapy were discussed but she declined.") ==
              S{{"Chemotherapy", "not-done"}, {"radiotherapy", "not-done"}}));
  BOOST_TEST((statuses("Chemotherapy was offered, which she declined.") == S{{"Chemotherapy", "not-done"}}));
  BOOST_TEST((statuses("Although a mastectomy was recommended, the patient declined.") == S{{"mastectomy", "not-done"}}));
  BOOST_TEST((statuses("A mastectomy was performed, the patient declined.") == S{{"mastectomy", "completed"}}));
  // What she did not decline is no refusal; what was not clearly indicated was not done.
  BOOST_TEST((statuses("She did not decline chemotherapy.").at("chemotherapy") != "not-done"));
  BOOST_TEST((statuses("A mastectomy was not clearly indicated.").count("mastectomy") == 0));
  // Its own clause says it was done: "was not indicated" after "was performed" is a judgement.
  BOOST_TEST((statuses("A mastectomy was performed but was not indicated.") == S{{"mastectomy", "completed"}}));
  // Where the clause goes on, what follows is what was declined; what came before was done.
  BOOST_TEST((statuses("She was treated with chemotherapy but declined radiotherapy.") ==
              S{{"chemotherapy", "completed"}, {"radiotherapy", "not-done"}}));
  BOOST_TEST((statuses("A colonoscopy was performed but she declined a biopsy.") == S{{"colonoscopy", "completed"}, {"biopsy", "not-done"}}));
  const auto p = procedures_of(convert_text("A 50-year-old woman had breast cancer.\nA breast reconstruction was discussed but declined.\n"));
  BOOST_REQUIRE(p.count("breast reconstruction"));
  BOOST_TEST(p.at("breast reconstruction").contains("statusReason"));
}

BOOST_AUTO_TEST_CASE(a_decline_in_a_value_is_no_refusal) {
  const auto p = procedures_of(convert_text(
      "A 50-year-old man had a rapid decline in renal function requiring hemodialysis. His hemoglobin declined to "
      "7 g/dL and a transfusion was given.\n"));
  BOOST_REQUIRE(p.count("hemodialysis"));
  BOOST_TEST(p.at("hemodialysis")["status"] == "completed");
  BOOST_TEST(!p.at("hemodialysis").contains("statusReason"));
  BOOST_REQUIRE(p.count("transfusion"));
  BOOST_TEST(p.at("transfusion")["status"] == "completed");
}

BOOST_AUTO_TEST_CASE(a_procedure_in_a_sentence_about_recovery_was_done) {
  const auto p = procedures_of(convert_text(
      "A 40-year-old woman was anemic. She was stable after the second blood transfusion and completely recovered.\n"));
  BOOST_REQUIRE(p.count("blood transfusion"));
  BOOST_TEST(p.at("blood transfusion")["status"] == "completed");
}

BOOST_AUTO_TEST_CASE(what_a_procedure_did_not_find_does_not_undo_the_procedure) {
  // The negation is about what was looked for; the procedure was done.
  const auto p = procedures_of(convert_text(
      "A 70-year-old man had melena. There were no lesions in upper gastrointestinal endoscopy. No complications "
      "occurred during intubation. The absence of dissection was confirmed by angiography. Abdominal ultrasound "
      "showed free fluid.\n"));
  for (const char* name : {"upper gastrointestinal endoscopy", "intubation", "angiography", "ultrasound"}) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_REQUIRE(p.count(name));
      BOOST_TEST(p.at(name)["status"] == "completed");
    }
  }
  // A procedure the text says was not done still is not done.
  const auto q = procedures_of(convert_text(
      "A 70-year-old man had melena. No endoscopy was performed. A biopsy was not performed. He had no history of "
      "dialysis.\n"));
  for (const char* name : {"endoscopy", "biopsy", "dialysis"}) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_REQUIRE(q.count(name));
      BOOST_TEST(q.at(name)["status"] == "not-done");
    }
  }
}

// What surgeons write in the past participle ("was intubated", "was transfused") and the
// operations named without their SNOMED CT wording ("mastectomy" is the excision of breast tissue).
BOOST_AUTO_TEST_CASE(a_procedure_written_as_a_verb_or_by_its_common_name_is_coded) {
  const std::pair<const char*, const char*> cases[] = {
      {"She was intubated in the emergency room.", "447996002"},
      {"He was transfused with two units of packed cells.", "116859006"},
      {"A tracheostomy was performed on day 10.", "48387007"},
      {"She underwent a left mastectomy.", "69031006"},
      {"He underwent a total gastrectomy.", "53442002"},
      {"Surgery was done under cardiopulmonary bypass.", "63697000"},
      {"Stent placement relieved the obstruction.", "103716009"},
      {"A percutaneous endoscopic gastrostomy was placed.", "235159007"},
      {"The mass was surgically excised.", "65801008"},
      {"The tumor was resected with clear margins.", "65801008"},
      {"She was placed on a ventilator.", "40617009"}};
  for (const auto& [text, code] : cases) {
    const auto p = procedures_of(convert_text(std::string("A 60-year-old patient was admitted. ") + text + "\n"));
    bool found = false;
    for (const auto& [name, procedure] : p)
      found = found || (procedure["code"]["coding"][0]["code"] == code && procedure["status"] == "completed");
    BOOST_TEST(found, text);
  }
  // Not yet done is no completed procedure.
  BOOST_TEST(procedures_of(convert_text("A 60-year-old patient was admitted. A tracheostomy will be performed next week.\n")).empty());
  // Not done is still not done.
  const auto p = procedures_of(convert_text("A 60-year-old patient was admitted. She was not intubated.\n"));
  BOOST_REQUIRE(p.count("intubated"));
  BOOST_TEST(p.at("intubated")["status"] == "not-done");
}

// The vocabulary has no code of its own for many operations ("esophagectomy", "hemicolectomy",
// "thoracotomy", "ileostomy"); the word's ending says what kind of procedure it is. Each is a
// Procedure of its own, named with the report's word and coded as its kind (SNOMED CT Excision,
// Surgical procedure), with its status read from the text as any procedure's.
BOOST_AUTO_TEST_CASE(an_operation_the_vocabulary_does_not_name_is_read_by_its_word_ending) {
  const auto p = procedures_of(convert_text(
      "A 60-year-old man underwent a right hemicolectomy and a left nephrectomy through a midline laparotomy. A "
      "thoracotomy was not performed, and an ileostomy was planned. There was a dichotomy between the findings.\n"));
  BOOST_REQUIRE(p.count("hemicolectomy"));
  BOOST_REQUIRE(p.count("nephrectomy"));
  for (const char* name : {"hemicolectomy", "nephrectomy"}) {
    BOOST_TEST(p.at(name)["status"] == "completed", name);
    BOOST_TEST(p.at(name)["code"]["coding"][0]["code"] == "65801008", name);   // Excision
  }
  BOOST_REQUIRE(p.count("thoracotomy"));
  BOOST_TEST(p.at("thoracotomy")["status"] == "not-done");
  BOOST_TEST(p.at("thoracotomy")["code"]["coding"][0]["code"] == "387713003");   // Surgical procedure
  // A known operation keeps its own code; what is planned is not done; a word of the same ending
  // that names no procedure is none.
  BOOST_REQUIRE(p.count("laparotomy"));
  BOOST_TEST(p.at("laparotomy")["code"]["coding"][0]["code"] != "387713003");
  BOOST_TEST(!p.count("ileostomy"));
  BOOST_TEST(!p.count("dichotomy"));
  // A word made an adjective of the time before or after the operation names none of its own.
  for (const char* text : {"Presplenectomy vaccination was administered.", "Pre-esophagectomy chemotherapy was given.",
                           "She had postmastectomy lymphedema."})
    for (const auto& [name, procedure] : procedures_of(convert_text(std::string("A 60-year-old woman was admitted. ") + text + "\n")))
      BOOST_TEST(procedure["code"]["coding"][0]["code"] != "65801008", text << ": " << name);
}

// Discussed, scheduled, possibly needed, avoided: none of these is an operation done (the review
// of the ending rule found them all written as completed, as they were for known operations).
BOOST_AUTO_TEST_CASE(a_procedure_discussed_scheduled_or_avoided_was_not_done) {
  auto statuses = [](const std::string& sentence) { return procedure_statuses("A 60-year-old man had esophageal cancer.", sentence); };
  using S = std::map<std::string, std::string>;
  BOOST_TEST((statuses("The risks and benefits of esophagectomy were discussed.") == S{}));
  // A plan in a clause of its own after ", and" leaves the procedure done before it; a list of
  // three with its commas is one subject.
  BOOST_TEST((statuses("He underwent colonoscopy, and colectomy may be required.") == S{{"colonoscopy", "completed"}}));
  BOOST_TEST((statuses("He underwent colonoscopy and biopsy, and colectomy may be required.") ==
              S{{"colonoscopy", "completed"}, {"biopsy", "completed"}}));
  BOOST_TEST((statuses("He received hemodialysis, and renal transplantation is scheduled.").at("hemodialysis") == "completed"));
  // A refusal does not reach a treatment given after "and", or one chosen instead.
  BOOST_TEST((statuses("Although surgery was recommended, he declined and chemotherapy was started.") == S{{"chemotherapy", "completed"}}));
  BOOST_TEST((statuses("A mastectomy was recommended, but he declined and opted for a lumpectomy.").at("lumpectomy") == "completed"));
  // A general statement names no procedure of the patient's.
  BOOST_TEST((statuses("Adrenalectomy is the treatment of choice for aldosterone-producing adenoma.") == S{}));
  // Its results discussed, or discussed with colleagues, it was done; a plan reaches its object,
  // not the same procedure done later in the sentence.
  BOOST_TEST((statuses("The CT was discussed with the radiologist.") == S{{"CT", "completed"}}));
  BOOST_TEST((statuses("Informed consent for colonoscopy was obtained and colonoscopy was performed.") == S{{"colonoscopy", "completed"}}));
  BOOST_TEST((statuses("The option of amputation was declined.") == S{{"amputation", "not-done"}}));
  BOOST_TEST((statuses("Hemodynamic instability precluded surgery.") == S{{"surgery", "not-done"}}));
  BOOST_TEST((statuses("The biopsy results were discussed with the patient.") == S{{"biopsy", "completed"}}));
  BOOST_TEST((statuses("He underwent a CT scan, which was discussed with the radiologist.") == S{{"CT scan", "completed"}}));
  BOOST_TEST((statuses("Esophagectomy may be required.") == S{}));
  BOOST_TEST((statuses("A gastrojejunostomy was scheduled for the following week.") == S{}));
  BOOST_TEST((statuses("Splenectomy is being considered.") == S{}));
  BOOST_TEST((statuses("Early treatment obviated the need for esophagectomy.") == S{{"esophagectomy", "not-done"}}));
  BOOST_TEST((statuses("A diverting ileostomy was avoided.") == S{{"ileostomy", "not-done"}}));
  // A patient who died before it never had it; "before surgery" alone dates something else.
  BOOST_TEST((statuses("He died while awaiting liver transplantation.") == S{{"liver transplantation", "not-done"}}));
  BOOST_TEST((statuses("She died prior to the planned resection.") == S{{"resection", "not-done"}}));
  BOOST_TEST((statuses("Before surgery, he received antibiotics.") == S{{"surgery", "completed"}}));
  // A refusal at the end of the clause settles the proposal.
  BOOST_TEST((statuses("A mastectomy was discussed with him, which he refused.") == S{{"mastectomy", "not-done"}}));
  // The margin of a resection is a finding of the specimen, not another resection.
  const auto facts = patient_facts_of("The resected margin was positive.");
  BOOST_TEST(facts.facts.size() == 1u);
  if (!facts.facts.empty()) BOOST_TEST((facts.facts.front().code.kind == ConceptKind::lab));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
