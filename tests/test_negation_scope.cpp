// Negation, hedging and relatives on the right concept (issue 8 item 3): a cue belongs to what it
// modifies, not to every concept within reach. Checked on the facts a conversion writes.
#include <tuple>

#include <boost/test/unit_test.hpp>

#include "support.h"

namespace casefhir::test {

BOOST_AUTO_TEST_SUITE(negation_scope)

BOOST_AUTO_TEST_CASE(a_cause_ruled_out_leaves_what_it_would_have_caused) {
  const CaseFacts f = patient_facts_of("Echocardiography ruled out any cardiologic cause for the stroke.");
  BOOST_TEST((fact_named(f, "stroke").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(no_treatment_or_no_effect_leaves_what_it_was_for) {
  for (const char* text : {"She had not received any treatment for the eczema.", "The colectomy had no effect on her eczema.",
                           "There was no improvement in her eczema."}) {
    const CaseFacts f = patient_facts_of(text);
    BOOST_TEST((fact_named(f, "eczema").assertion == Assertion::present), text);
  }
  const CaseFacts f = patient_facts_of("She had no eczema and received no treatment.");
  BOOST_TEST((fact_named(f, "eczema").assertion == Assertion::absent), "a negation before the finding still holds");
}

BOOST_AUTO_TEST_CASE(presented_to_ends_a_negation_of_the_history) {
  const CaseFacts f = patient_facts_of("A man without significant past medical history presented to our hospital with a history of cough.");
  BOOST_TEST((fact_named(f, "cough").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(confirmed_ends_what_excluded_began) {
  const CaseFacts f = patient_facts_of("Computed tomography excluded pulmonary embolism and confirmed severe pulmonary oedema.");
  BOOST_TEST((fact_named(f, "pulmonary embolism").assertion == Assertion::absent));
  for (const Fact& x : f.facts)
    if (x.code.text.find("oedema") != std::string::npos) BOOST_TEST((x.assertion == Assertion::present), x.code.text);
}

BOOST_AUTO_TEST_CASE(a_negating_prefix_denies_the_word_it_is_attached_to) {
  // "non-malignant pheochromocytoma" is a benign one: the pheochromocytoma is there.
  const CaseFacts f = patient_facts_of("Pathology of the adrenal gland was consistent with a non-malignant pheochromocytoma.");
  BOOST_TEST((fact_named(f, "pheochromocytoma").assertion == Assertion::present));
  for (const Fact& x : f.facts) BOOST_TEST(x.code.text.find("malignant") == std::string::npos, x.code.text);
  // With nothing after the prefixed word, the prefix still denies it.
  const CaseFacts g = patient_facts_of("Her abdomen was soft and non-tender.");
  BOOST_TEST((fact_named(g, "tender").assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_test_negative_during_an_episode_leaves_the_episode) {
  const CaseFacts f = patient_facts_of("Urine was negative for ketones during the hypoglycaemia.");
  BOOST_TEST((fact_named(f, "hypoglycaemia").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(a_negative_culture_beside_a_diagnosis_leaves_the_diagnosis) {
  const CaseFacts f = patient_facts_of("The findings were consistent with an abscess, with a negative culture.");
  BOOST_TEST((fact_named(f, "abscess").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(a_relatives_condition_stays_the_relatives_and_the_patients_the_patients) {
  const CaseFacts f = patient_facts_of("Her sister suffers from migraine, and she was admitted with chest pain.");
  BOOST_TEST((fact_named(f, "migraine").experiencer == Experiencer::family));
  BOOST_TEST((fact_named(f, "chest pain").experiencer == Experiencer::patient));
  // The other way round: the patient's before "and his mother", the relative's after it.
  for (const auto& [text, patients, relatives] :
       {std::tuple{"He had diabetes and his mother had hypertension.", "diabetes", "hypertension"},
        std::tuple{"She had asthma, and her sister had eczema.", "asthma", "eczema"}}) {
    const CaseFacts g = patient_facts_of(text);
    BOOST_TEST((fact_named(g, patients).experiencer == Experiencer::patient), text);
    BOOST_TEST((fact_named(g, relatives).experiencer == Experiencer::family), text);
  }
  BOOST_TEST((fact_named(patient_facts_of("He reported fever and his wife had similar symptoms."), "fever").experiencer ==
              Experiencer::patient));
  // What runs in the family is the family's, and only what is said to run in it.
  for (const auto& [text, name] : {std::pair{"Diabetes ran in his family and his father died of a myocardial infarction.", "Diabetes"},
                                   std::pair{"Hypertension runs in her family.", "Hypertension"},
                                   std::pair{"Diabetes and hypertension run in the family.", "Diabetes"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).experiencer == Experiencer::family), text);
  BOOST_TEST((fact_named(patient_facts_of("She had seizures, and epilepsy ran in her family."), "seizures").experiencer ==
              Experiencer::patient));
  BOOST_TEST((fact_named(patient_facts_of("He had coronary artery disease, which runs in his family."), "coronary artery disease")
                  .experiencer == Experiencer::patient));
  // "whereas" still opens a clause of its own: the brother's epilepsy is his, not denied.
  BOOST_TEST((fact_named(patient_facts_of("He had no seizures, whereas his brother had epilepsy."), "epilepsy").experiencer ==
              Experiencer::family));
}

BOOST_AUTO_TEST_CASE(a_negation_of_another_subject_after_and_the_leaves_the_earlier_finding) {
  // "the knee and ankle reflexes were absent": the reflexes are absent, not the weakness.
  const CaseFacts f = patient_facts_of("There was symmetric weakness of the lower limbs, and the knee and ankle reflexes were absent.");
  BOOST_TEST((fact_named(f, "weakness").assertion == Assertion::present));
  const CaseFacts g = patient_facts_of("Fever and cough were absent.");
  BOOST_TEST((fact_named(g, "cough").assertion == Assertion::absent));
  BOOST_TEST((fact_named(g, "Fever").assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_hedge_on_the_cause_of_a_finding_leaves_the_finding) {
  // "an infectious cause of the fever was unlikely": the cause is unlikely; the fever is there.
  BOOST_TEST((fact_named(patient_facts_of("An infectious cause of the fever was unlikely."), "fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("The cause of her anemia was not found."), "anemia").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("Pneumonia was unlikely."), "Pneumonia").assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_grade_down_to_absent_is_no_negation) {
  // "weak to absent tendon reflexes" grades the reflexes; the weakness listed before is there.
  const auto facts = patient_facts_of("He had mild muscle weakness, weak to absent tendon reflexes, and exercise intolerance.");
  BOOST_TEST((fact_named(facts, "muscle weakness").assertion == Assertion::present));
  BOOST_TEST((fact_named(facts, "exercise intolerance").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(a_clause_that_goes_on_with_so_or_describing_ends_the_negation) {
  BOOST_TEST((fact_named(patient_facts_of("There was no other uptake, so we diagnosed malignant lymphoma."), "malignant lymphoma").assertion ==
              Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("CT excluded a tumor, describing a calcified esophageal mass."), "esophageal mass").assertion ==
              Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("CT excluded a tumor, describing a calcified esophageal mass."), "tumor").assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_subordinate_clause_ends_at_its_comma) {
  // A negation inside "Although …," or ", which …," stays in that clause.
  const auto f = patient_facts_of("Although the patient had no ascites, her aneurysm had grown.");
  BOOST_TEST((fact_named(f, "ascites").assertion == Assertion::absent));
  BOOST_TEST((fact_named(f, "aneurysm").assertion == Assertion::present));
  const auto g = patient_facts_of("She had sensory deficits of both legs, which could not move, hyperalgesia of the hands and impaired intelligence.");
  BOOST_TEST((fact_named(g, "hyperalgesia").assertion == Assertion::present));
  // A list after the clause's comma is still the clause's: ", cough or rash".
  const auto h = patient_facts_of("She was seen by the team, which found no fever, cough or rash.");
  BOOST_TEST((fact_named(h, "rash").assertion == Assertion::absent));
  // A list inside the clause goes on past its commas; the clause ends at the comma after it.
  const auto k = patient_facts_of("The woman, who denied fever, chills and weight loss, presented with cough.");
  BOOST_TEST((fact_named(k, "weight loss").assertion == Assertion::absent));
  BOOST_TEST((fact_named(k, "cough").assertion == Assertion::present));
  for (const char* text : {"When examined she had no jaundice, ascites and edema.", "She denied jaundice, ascites, as well as edema."})
    BOOST_TEST((fact_named(patient_facts_of(text), "edema").assertion == Assertion::absent), text);
}

BOOST_AUTO_TEST_CASE(a_qualified_item_after_a_negated_list_is_there) {
  // ", mild proteinuria" after "no sign of hemolysis" is a new finding; ", severe pain or
  // vomiting" closed by "or" is still the negated list.
  const auto f = patient_facts_of("Blood analysis revealed no sign of hemolysis, elevated C-reactive protein, mild proteinuria.");
  BOOST_TEST((fact_named(f, "mild proteinuria").assertion == Assertion::present));
  for (const char* text : {"She denied fever, severe headache or vomiting.", "She had no nausea, severe abdominal pain, diarrhea, or vomiting.",
                           "There was no nausea, elevated temperature or vomiting."})
    BOOST_TEST((fact_named(patient_facts_of(text), "vomiting").assertion == Assertion::absent), text);
  const auto h = patient_facts_of("Histology showed no residual carcinoma and multiple fibroadenomas in both breasts.");
  BOOST_TEST((fact_named(h, "fibroadenomas").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(what_was_not_done_to_a_disorder_leaves_the_disorder) {
  // Treating, correcting or approaching a disorder that was not done or not possible: the
  // disorder is there; so is one whose grade did not change.
  const std::pair<const char*, const char*> cases[] = {
      {"It was never possible to correct the metabolic acidosis.", "metabolic acidosis"},
      {"Direct approach to the aneurysm was not considered.", "aneurysm"},
      {"Bone marrow analysis showed no evident change in the grading of bone marrow fibrosis.", "bone marrow fibrosis"}};
  for (const auto& [text, name] : cases)
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);
  // The procedure that was not done stays not done; what it was for is there.
  const auto f = patient_facts_of("Surgery to remove the tumor was not performed.");
  BOOST_TEST((fact_named(f, "Surgery").assertion == Assertion::absent));
  BOOST_TEST((fact_named(f, "tumor").assertion == Assertion::present));
  // What did not progress or worsen is there; a pseudo-negation must not swallow the list after it.
  for (const char* text : {"There was no progression of the pulmonary nodules.", "There was no worsening of her rash."})
    for (const Fact& x : patient_facts_of(text).facts) BOOST_TEST((x.assertion == Assertion::present), text << ": " << x.code.text);
  BOOST_TEST((fact_named(patient_facts_of("There was no progression or metastasis."), "metastasis").assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_unit_letter_ends_its_sentence) {
  // "m." after a number is a unit that ends the sentence, not "p.o."; the "no more than" before it
  // stays in its own sentence.
  const auto f = patient_facts_of("Finger counting was no more than 0.5 m.\nEnlarged lymph nodes were palpable in the right groin.");
  BOOST_TEST((fact_named(f, "Enlarged lymph nodes").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(free_from_and_ruling_out_negate) {
  const std::pair<const char*, const char*> cases[] = {
      {"Since then she has been free from recurrent hemoptysis.", "hemoptysis"},
      {"She remained seizure-free from then on.", "seizure"},
      {"Troponin was normal, thereby ruling out acute coronary syndrome.", "acute coronary syndrome"},
      {"She did not appear to have jaundice.", "jaundice"}};
  for (const auto& [text, name] : cases)
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
  // Ruling out as a purpose is a hedge; what did not appear until later appeared.
  BOOST_TEST((fact_named(patient_facts_of("CT angiography was performed for ruling out aortic dissection."), "aortic dissection").assertion ==
              Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("The rash did not appear until day 5."), "rash").assertion == Assertion::present));
  // Nor does a clause opened after a comma.
  BOOST_TEST((fact_named(patient_facts_of("There was no fever, as she had received antipyretics for her arthritis."), "arthritis").assertion ==
              Assertion::present));
  // "since" ends a negation: the reason after it is not denied.
  BOOST_TEST((fact_named(patient_facts_of("She denied chest pain, since she had been sedated for a seizure."), "seizure").assertion ==
              Assertion::present));
}

BOOST_AUTO_TEST_CASE(a_cue_after_and_is_about_its_own_clause) {
  // ", and" after a concept that is no item of a list starts another clause: the cue after it
  // is about that clause's subject.
  const std::pair<const char*, const char*> cases[] = {
      {"She had severe anemia, and malignancy was ruled out.", "anemia"},
      {"The patient had hepatomegaly, and splenomegaly was absent.", "hepatomegaly"},
      {"She had anemia, and lymphoma was considered.", "anemia"},
      {"He had portal hypertension, and stent-grafting was not considered.", "portal hypertension"}};
  for (const auto& [text, name] : cases)
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);
  BOOST_TEST((fact_named(patient_facts_of("She had severe anemia, and malignancy was ruled out."), "malignancy").assertion ==
              Assertion::absent));
  // A list before the cue stays under it, Oxford comma or not, whatever its items hold.
  for (const char* text : {"Fever, cough, and dyspnea were absent.", "Fever, cough and dyspnea were absent.",
                           "Fever, cough (productive), and dyspnea were absent."})
    BOOST_TEST((fact_named(patient_facts_of(text), "cough").assertion == Assertion::absent), text);
  BOOST_TEST((fact_named(patient_facts_of("Cardiac tamponade, tension pneumothorax, and hypovolemia were excluded."), "pneumothorax").assertion ==
              Assertion::absent));
}

BOOST_AUTO_TEST_CASE(other_forms_ruled_out_leave_the_form_the_patient_has) {
  // The patient has hypermobile Ehlers-Danlos syndrome; the other forms were not found.
  const auto f = patient_facts_of("Testing on peripheral blood did not reveal mutations associated with other forms of Ehlers-Danlos syndrome.");
  BOOST_TEST((fact_named(f, "Ehlers-Danlos syndrome").assertion != Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_new_finding_not_seen_before_is_there) {
  // "not present on earlier imaging" says the effusion is new, not absent.
  BOOST_TEST((fact_named(patient_facts_of("She developed a pleural effusion that was not present on earlier imaging."), "pleural effusion")
                  .assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("A pleural effusion was not present."), "pleural effusion").assertion == Assertion::absent));
  // "and with" opens another phrase: the pain after it is not under the "no longer" before.
  const auto f = patient_facts_of("The surgeons felt this to no longer be a surgical problem and with continued severe pain she was transferred.");
  BOOST_TEST((fact_named(f, "severe pain").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(no_reports_of_and_did_not_reported_negate) {
  // "reports"/"reported" end a negation as verbs of a new clause; after "no" or "did not" they are
  // the negation (the second written as non-native authors often write it).
  const std::pair<const char*, const char*> cases[] = {
      {"One year later she remained off narcotics with no reports of abdominal pain.", "abdominal pain"},
      {"He did not reported arthralgias, rash, or cough.", "cough"}};
  for (const auto& [text, name] : cases)
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
  BOOST_TEST((fact_named(patient_facts_of("She reports abdominal pain."), "abdominal pain").assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(a_place_named_after_a_negated_thing_is_there) {
  // What was not found in a place leaves the place: the cells, the mass and the aneurysm are there.
  const std::pair<const char*, const char*> cases[] = {
      {"Electron microscopy failed to demonstrate any Birbeck granules in the cytoplasm of the tumor cells.", "tumor"},
      {"A pedicle was not identified around the esophageal mass.", "esophageal mass"},
      {"No thrombus was seen within the aneurysm.", "aneurysm"}};
  for (const auto& [text, name] : cases)
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);
  BOOST_TEST((fact_named(patient_facts_of("No thrombus was seen within the aneurysm."), "thrombus").assertion == Assertion::absent));
  // The place ends nothing else: the list after it stays negated, and a body site is the place
  // when there is one.
  BOOST_TEST((fact_named(patient_facts_of("There was no tenderness in the abdomen, guarding or rigidity."), "rigidity").assertion ==
              Assertion::absent));
  const std::pair<const char*, const char*> listed[] = {{"He had no pain in the abdomen or diarrhea.", "diarrhea"},
                                                        {"There was no edema in both legs or cyanosis.", "cyanosis"},
                                                        {"Nodules in the lungs or lymphadenopathy were not seen.", "lymphadenopathy"}};
  for (const auto& [text, name] : listed)
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
}

BOOST_AUTO_TEST_CASE(a_disorder_named_as_a_gene_is_no_fact) {
  // "the DMD gene" names a gene: neither the patient's nor her mother's muscular dystrophy.
  const auto f = patient_facts_of("Duchenne muscular dystrophy (DMD) was diagnosed. Southern blots revealed no deletion within the DMD gene "
                                  "in the patient or in her mother.");
  for (const Fact& x : f.facts) BOOST_TEST(x.code.text != "DMD");
  BOOST_TEST((fact_named(f, "Duchenne muscular dystrophy").assertion == Assertion::present));
  // The disease's name before "gene" is still the disease.
  BOOST_TEST((fact_named(patient_facts_of("A boy with Duchenne muscular dystrophy gene deletion was admitted."), "Duchenne muscular dystrophy")
                  .assertion == Assertion::present));
}

BOOST_AUTO_TEST_CASE(a_result_after_another_clause_leaves_the_first_clause_alone) {
  // The cultures were negative, the fever was there.
  for (const char* text : {"Fever persisted, blood cultures were negative.", "Fever persisted and blood cultures were negative.",
                           "Her cough worsened, but the chest radiograph was negative.",
                           "Fever recurred on day 3, blood cultures were negative.",
                           "Fever spiked daily, blood cultures were negative.",
                           "Her cough worsened at night, and the chest radiograph was negative."}) {
    const CaseFacts f = patient_facts_of(text);
    for (const Fact& x : f.facts)
      if (x.code.text == "Fever" || x.code.text == "cough") BOOST_TEST((x.assertion == Assertion::present), text);
  }
  BOOST_TEST((fact_named(patient_facts_of("Fever persisted, blood cultures were negative."), "Fever").assertion == Assertion::present));
  // A list is one subject, even when a participle describes its first item; a relative clause is
  // still about the noun before it.
  const CaseFacts listed = patient_facts_of("Fever, cough and dyspnea were absent.");
  for (const char* name : {"Fever", "cough", "dyspnea"}) BOOST_TEST((fact_named(listed, name).assertion == Assertion::absent), name);
  for (const auto& [text, name] : {std::pair{"Rash localized to the trunk, arthralgia and myalgia were absent.", "Rash"},
                                   std::pair{"Rash distributed over the trunk, arthralgia and myalgia were absent.", "Rash"},
                                   std::pair{"Hepatomegaly with increased echogenicity, splenomegaly and ascites were absent.", "Hepatomegaly"},
                                   std::pair{"Headache that is worse in the morning, vomiting and papilledema were absent.", "Headache"},
                                   std::pair{"Thrombosis associated with the catheter, pulmonary embolism and endocarditis were ruled out.",
                                             "Thrombosis"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
  const CaseFacts relative = patient_facts_of("She had a liver hematoma sized 20 cm, which had resolved spontaneously.");
  BOOST_TEST((fact_named(relative, "hematoma").assertion == Assertion::absent));   // resolved: no longer there
  // A clause that starts with its verb shares the subject, and so does what has no subject of its
  // own after a comma: a participle, a phrase.
  for (const auto& [text, name] :
       {std::pair{"Acute fatty liver of pregnancy was considered but was ruled out.", "Acute fatty liver of pregnancy"},
        std::pair{"Small bowel obstruction was suspected with nausea and vomiting and was ruled out by CT.", "Small bowel obstruction"},
        std::pair{"Lymphoma was suspected, given the weight loss, and was ruled out by biopsy.", "Lymphoma"},
        std::pair{"Metastases were, at the 2-year follow-up, not detected.", "Metastases"},
        std::pair{"Malignancy was, therefore, unlikely.", "Malignancy"},
        std::pair{"Lymphoma was considered improbable.", "Lymphoma"},
        std::pair{"Allergic angiitis had not occurred.", "angiitis"},
        std::pair{"Seizures have not recurred.", "Seizures"},
        std::pair{"Lymphoma was suspected, a possibility that was excluded on biopsy.", "Lymphoma"},
        std::pair{"Lymphoma and tuberculosis were considered, both were ruled out.", "tuberculosis"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
}

// "Not … until" says when it began, not that it never did.
BOOST_AUTO_TEST_CASE(not_until_is_a_beginning_not_a_negation) {
  BOOST_TEST((fact_named(patient_facts_of("Fever did not occur until day 5."), "Fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("The rash was not noted until the third day."), "rash").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He did not develop fever until day 5."), "fever").assertion == Assertion::present));
  // Free of it until then is free of it all along.
  BOOST_TEST((fact_named(patient_facts_of("She did not have any seizures until the end of follow-up."), "seizures").assertion ==
              Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("He remained without fever until discharge."), "fever").assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_result_after_and_and_a_new_subject_is_not_the_earlier_clauses) {
  // The words before "and" make a clause (a verb of clause-verbs), what follows is a new subject
  // running into the result's copula: the result is that subject's.
  for (const auto& [text, name] : {std::pair{"He presented with fever and blood cultures were negative.", "fever"},
                                   std::pair{"She had headache and a head CT was negative.", "headache"},
                                   std::pair{"Lesions were found in the liver and blood cultures were negative.", "Lesions"},
                                   std::pair{"He had a cough and fever was absent.", "cough"},
                                   std::pair{"She developed a rash and syphilis was ruled out.", "rash"},
                                   std::pair{"He presented with fever and SARS-CoV-2 RT-PCR was negative.", "fever"},
                                   std::pair{"He presented with chest pain and acute coronary syndrome was considered unlikely.", "chest pain"},
                                   std::pair{"She presented with jaundice and hepatitis A and hepatitis E were excluded.", "jaundice"},
                                   std::pair{"He presented with fever and chills and blood cultures were negative.", "chills"},
                                   std::pair{"She had fever and cough and influenza was suspected.", "cough"},
                                   std::pair{"She had fever and pneumonia and tuberculosis was excluded.", "pneumonia"},
                                   std::pair{"He presented with fever and cough and dyspnea was absent.", "cough"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);
  // A mention after another "and" or a "that" is one of the new subjects, not the verb's object.
  for (const auto& [text, name] : {std::pair{"A thorough workup was performed and tuberculosis and sarcoidosis were excluded.", "tuberculosis"},
                                   std::pair{"He had fever and HIV and hepatitis B infections were excluded.", "HIV"},
                                   std::pair{"He had cough and lung cancer and metastases were excluded.", "lung cancer"},
                                   std::pair{"She presented with jaundice and hepatitis A and hepatitis E were excluded.", "hepatitis A"},
                                   std::pair{"Laboratory tests revealed that HIV and HBsAg were negative.", "HIV"},
                                   std::pair{"Neurological examination was performed and nystagmus and ataxia were absent.", "nystagmus"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
  BOOST_TEST((fact_named(patient_facts_of("He had a cough and fever was absent."), "fever").assertion == Assertion::absent));
  // No verb before "and": one subject. A pronoun after it stands for what came before; a comma
  // before the clause starts a new one, where the finding is not.
  for (const auto& [text, name] : {std::pair{"Fever and blood cultures were negative.", "Fever"},
                                   std::pair{"Tuberculosis and syphilis were ruled out.", "Tuberculosis"},
                                   std::pair{"On admission, malaria and dengue were excluded.", "malaria"},
                                   std::pair{"Malaria was considered and both were excluded.", "Malaria"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
}

BOOST_AUTO_TEST_CASE(what_is_present_or_confirmed_after_an_absence_is_not_absent) {
  // "coupled with", "and presence of", "with confirmation of" end a negation's reach; a presence
  // inside the negation ("no evidence of the presence of") is still denied.
  for (const auto& [text, name] :
       {std::pair{"MRI was not done given the absence of other myelopathic features coupled with the confirmation of a severe neuropathy.",
                  "neuropathy"},
        std::pair{"There was absence of fever and presence of a rash.", "rash"},
        std::pair{"No fever was noted, with confirmation of pneumonia on CT.", "pneumonia"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);
  BOOST_TEST((fact_named(patient_facts_of("There was absence of fever and presence of a rash."), "fever").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("There was no evidence of the presence of malignancy."), "malignancy").assertion ==
              Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_negative_search_for_a_findings_cause_leaves_the_finding) {
  // A workup, evaluation or investigation of a finding looks for its cause: nothing found, the
  // finding is still there, and it is not suspected either.
  for (const auto& [text, name] : {std::pair{"Fever workup was negative.", "Fever"}, std::pair{"Her fever work-up was negative.", "fever"},
                                   std::pair{"A cough evaluation was negative.", "cough"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);
  // After the search, the finding is what it looked for; a disorder a workup looks for is still
  // only suspected, and one its test refutes is absent.
  BOOST_TEST((fact_named(patient_facts_of("Evaluation for papilledema was negative."), "papilledema").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("He underwent a workup for lymphoma."), "lymphoma").assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("Malaria workup was negative."), "Malaria").assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(what_a_test_looks_for_is_no_diagnosis) {
  // The diseases a test looks for, each of a list, are no Condition of the patient, whatever the
  // result ("all were negative" stands for the tests).
  for (const char* text : {"Serologies for HIV, hepatitis B and tuberculosis were obtained, and all were negative.",
                           "Tests for syphilis and tuberculosis were performed.", "He was tested for tuberculosis.",
                           "Tests for syphilis and tuberculosis were performed, and both were negative.",
                           "Tests for pregnancy, HIV and syphilis were done.",
                           "Tests for pregnancy, HIV, and syphilis were done, and all were negative.",
                           "Tests for HIV, and syphilis were done.", "The patient was screened for HIV.",
                           "Testing was performed for HIV and syphilis and the results were negative.",
                           "Serologies were sent for HIV and hepatitis C.", "The hepatitis B virus e-antigen was negative.",
                           "HIV and hepatitis B serology is pending."}) {
    for (const Fact& x : patient_facts_of(text).facts) {
      BOOST_TEST((x.code.kind != ConceptKind::disorder || x.assertion != Assertion::present), text << ": " << x.code.text);
      BOOST_TEST(x.code.text != "all", text);
      BOOST_TEST(x.code.text != "both", text);
    }
  }
  BOOST_TEST((fact_named(patient_facts_of("He tested positive for tuberculosis."), "tuberculosis").assertion == Assertion::present));
  // An antigen of the virus, or an antibody to one, is the test: a negative one refutes no
  // hepatitis, and the Observation is named for the whole test.
  for (const char* text : {"Hepatitis B surface antigen was negative.", "Hepatitis B e antigen was negative.",
                           "Hepatitis B core antibody was negative.", "Hepatitis C virus antibody was negative."}) {
    const auto facts = patient_facts_of(text);
    for (const Fact& x : facts.facts) BOOST_TEST((x.code.kind != ConceptKind::disorder), text << ": " << x.code.text);
    BOOST_TEST(facts.facts.size() == 1u, text);
    if (!facts.facts.empty()) BOOST_TEST(facts.facts.front().code.text == std::string_view(text).substr(0, std::string_view(text).find(" was")), text);
  }
  // Its DNA or RNA, or its genotype, says the patient has the disease; so does carrying the antigen.
  BOOST_TEST((fact_named(patient_facts_of("Hepatitis C virus RNA was detectable."), "Hepatitis C").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("Hepatitis C virus genotype 3 was identified."), "Hepatitis C").assertion ==
              Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He was a hepatitis B surface antigen carrier."), "hepatitis B").assertion ==
              Assertion::present));
  // A result said after "tested for" is read; a disorder with a verb of its own after ", and" is
  // the patient's.
  BOOST_TEST((fact_named(patient_facts_of("He was tested for HIV, which was positive."), "HIV").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He was tested for HIV, which was negative."), "HIV").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("Testing was performed for HIV and was positive."), "HIV").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("A PCR was performed for influenza and was negative."), "influenza").assertion ==
              Assertion::absent));
  // A finding a test was done for is its reason, still there; so is a clause after "and a".
  BOOST_TEST((fact_named(patient_facts_of("Blood cultures were obtained for fever."), "fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He was screened for colon cancer and a mass was found in the sigmoid colon."), "mass")
                  .assertion == Assertion::present));
  // A disorder that is a verb's object is the patient's, not a test of a list after it; a virus's
  // DNA or RNA measures the disease.
  BOOST_TEST((fact_named(patient_facts_of("He had cirrhosis and hepatitis C virus RNA was detectable."), "cirrhosis").assertion ==
              Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He had chronic hepatitis B and hepatitis B virus DNA was 2000 IU/mL."), "chronic hepatitis B")
                  .assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He had cirrhosis and hepatitis C virus RNA was detectable."), "hepatitis C").assertion ==
              Assertion::present));
  for (const auto& [text, name] :
       {std::pair{"He was tested for HIV and hepatitis C, and chronic hepatitis C was confirmed.", "chronic hepatitis C"},
        std::pair{"He was tested for HIV, and tuberculosis was confirmed by culture.", "tuberculosis"}}) {
    const CaseFacts f = patient_facts_of(text);
    BOOST_TEST((fact_named(f, name).assertion == Assertion::present), text);
    for (const Fact& x : f.facts) BOOST_TEST(x.code.text != "HIV", text);
  }
  // A negative result whose subject is a test is the test's: the findings of the clause before
  // stay, a disorder inside the test's name does not.
  const CaseFacts clause = patient_facts_of("He had fever and cough, blood cultures were negative.");
  for (const char* name : {"fever", "cough"}) BOOST_TEST((fact_named(clause, name).assertion == Assertion::present), name);
  BOOST_TEST((fact_named(patient_facts_of("He had pneumonia, blood cultures were obtained, and all were negative."), "pneumonia")
                  .assertion == Assertion::present));
  // Joined by "and", the finding and the test are one subject of the result: both negative.
  for (const auto& [text, name] : {std::pair{"Fever and blood cultures were negative.", "Fever"},
                                   std::pair{"Proteinuria, hematuria and urine culture were negative.", "hematuria"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
  // A test that names what it looks for refutes it, whatever the punctuation in its name; so does a
  // negative result about a disorder named before ("Regarding tuberculosis, …").
  for (const auto& [text, name] : {std::pair{"Streptococcal and Legionella urinary antigens were negative.", "Legionella"},
                                   std::pair{"COVID-19 RT-PCR was negative.", "COVID-19"},
                                   std::pair{"HIV-1/2 antibodies were negative.", "HIV"},
                                   std::pair{"Influenza A and B PCR were negative.", "Influenza"},
                                   std::pair{"Malaria thick and thin smears were negative.", "Malaria"},
                                   std::pair{"Regarding tuberculosis, sputum cultures were negative.", "tuberculosis"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::absent), text);
  // One subject with two predicates: "were assessed, and were negative".
  BOOST_TEST((fact_named(patient_facts_of("Meningeal signs, including Kernig and Brudzinski signs, were assessed, and were negative."),
                         "Meningeal signs")
                  .assertion == Assertion::absent));
  // The last item of an Oxford-comma list after "for", and a result "tested for" left unread, are
  // no diagnosis either.
  for (const char* text : {"Serologies for HIV, hepatitis B, and syphilis were sent.", "He was tested for tuberculosis, and the result was negative.",
                           "She was tested for COVID-19 and was found to be negative."})
    for (const Fact& x : patient_facts_of(text).facts)
      BOOST_TEST((x.code.kind != ConceptKind::disorder || x.assertion != Assertion::present), text << ": " << x.code.text);
  // A result of tests in a clause of its own leaves the diagnoses of the clauses before alone.
  for (const auto& [text, name] :
       {std::pair{"He was treated for pneumonia, and all of the blood cultures were negative.", "pneumonia"},
        std::pair{"She had pneumonia, and all cultures were negative.", "pneumonia"},
        std::pair{"She had fever and cellulitis, and both of the blood cultures were negative.", "cellulitis"},
        std::pair{"CT showed a right lower lobe pneumonia, sputum and blood cultures were sent, and both were negative.", "pneumonia"},
        std::pair{"A diagnosis of pyelonephritis was made, urine and blood cultures were obtained, and both were negative.",
                  "pyelonephritis"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);
}

BOOST_AUTO_TEST_CASE(a_disorder_in_an_organisation_name_is_no_fact) {
  // The field of a hospital or a department is not the patient's disease.
  for (const char* text : {"He was transferred to Memorial Sloan Kettering Cancer Center.",
                           "She was referred to the Department of Infectious Diseases for consultation.",
                           "He was sent to the National Institute of Neurology and Cerebrovascular Diseases.",
                           "He was flown to the R Adams Cowley Shock Trauma Center."}) {
    const CaseFacts f = patient_facts_of(text);
    for (const Fact& x : f.facts) BOOST_TEST((x.code.kind != ConceptKind::disorder && x.code.kind != ConceptKind::finding), text << ": " << x.code.text);
  }
  // A name that the sentence goes on from in small letters is the patient's; so is an abbreviation
  // after the name, and a disorder a classification's name qualifies.
  for (const auto& [text, name] : {std::pair{"He had Hodgkin Lymphoma and went to the University hospital.", "Hodgkin Lymphoma"},
                                   std::pair{"He was transferred to the Intensive Care Unit and ARDS developed.", "ARDS"},
                                   std::pair{"New York Heart Association Class III Heart Failure was present.", "Heart Failure"},
                                   std::pair{"He was admitted to the Intensive Care Unit for Guillain-Barre Syndrome.", "Guillain-Barre Syndrome"},
                                   std::pair{"She was referred to the Department of Rheumatology for Systemic Lupus Erythematosus.",
                                             "Systemic Lupus Erythematosus"},
                                   std::pair{"Diagnosis: Acute Myeloid Leukemia Treated At The University Hospital.", "Acute Myeloid Leukemia"},
                                   std::pair{"He was referred to the Department of Neurology and Parkinson Disease was diagnosed.", "Parkinson Disease"},
                                   std::pair{"He had Acute Pancreatitis\nHospital course was uneventful.", "Acute Pancreatitis"},
                                   std::pair{"Laboratory Diagnosis of Dengue Fever in a Returning Traveler.", "Dengue Fever"}})
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);
}

BOOST_AUTO_TEST_CASE(a_preserved_or_normal_item_ends_a_negated_list) {
  // (", normal" and ", intact" are left out: "no weakness, intact sensation, ataxia or dysarthria" goes on.)
  BOOST_TEST((fact_named(patient_facts_of("He showed no weakness, intact sensation, ataxia or dysarthria."), "ataxia").assertion ==
              Assertion::absent));
  const std::pair<const char*, const char*> cases[] = {
      {"There was no muscle weakness, retained reflexes, and sensory neuropathy.", "sensory neuropathy"},
      {"Echocardiography showed no pericardial effusion, preserved ejection fraction, and biatrial enlargement.", "enlargement"}};
  for (const auto& [text, name] : cases)
    BOOST_TEST((fact_named(patient_facts_of(text), name).assertion == Assertion::present), text);

}

BOOST_AUTO_TEST_CASE(a_partial_resolution_leaves_the_finding) {
  // Most of the lesions gone, a rash partly resolved: what is left is still there.
  const std::pair<const char*, const char*> partial[] = {
      {"A repeat CT scan showed disappearance of most of the lesions.", "lesions"},
      {"The rash had partially resolved.", "rash"},
      {"Follow-up imaging showed partial regression of the mass.", "mass"}};
  for (const auto& [text, name] : partial) {
    const auto facts = patient_facts_of(text);   // kept: fact_named returns a reference into it
    const Fact& x = fact_named(facts, name);
    BOOST_TEST((x.assertion == Assertion::present && x.temporality == Temporality::current), text);
  }
  const auto gone_facts = patient_facts_of("A repeat CT scan showed disappearance of the lesions.");
  const Fact& gone = fact_named(gone_facts, "lesions");
  BOOST_TEST((gone.temporality == Temporality::resolved || gone.assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_negated_aside_negates_only_itself) {
  // "many, but not fatal, episodes": the episodes happened; "not" is about "fatal".
  BOOST_TEST((fact_named(patient_facts_of("He developed many, but not fatal, episodes of pulmonary edema."), "pulmonary edema").assertion ==
              Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He had fever, but not cough."), "cough").assertion == Assertion::absent));
  // The aside keeps the clause break at "but": a negation after it stays in its own clause.
  BOOST_TEST((fact_named(patient_facts_of("The hemorrhage was massive, but not fatal, and sepsis was ruled out."), "hemorrhage").assertion ==
              Assertion::present));
}

BOOST_AUTO_TEST_CASE(findings_listed_before_were_denied_are_absent) {
  const auto f = patient_facts_of("Chest pain, shortness of breath, and syncope were denied.");
  for (const char* name : {"Chest pain", "shortness of breath", "syncope"}) BOOST_TEST((fact_named(f, name).assertion == Assertion::absent), name);
  // The subject of "was denied" and what is listed with it, not a concept inside another phrase.
  BOOST_TEST((fact_named(patient_facts_of("Coverage for his hepatitis C treatment was denied."), "hepatitis C").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He had pneumonia, and his request for transfer was denied."), "pneumonia").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("Surgery for the aortic stenosis was denied because of frailty."), "aortic stenosis").assertion ==
              Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("A history of fever was denied."), "fever").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("The presence of ascites was denied."), "ascites").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("Evidence of ascites was denied."), "ascites").assertion == Assertion::absent));
}

BOOST_AUTO_TEST_CASE(a_negation_after_the_verb_is_read_through_an_adverb) {
  // "was also denied", "were subsequently ruled out": the adverb after the copula changes nothing.
  BOOST_TEST((fact_named(patient_facts_of("Ascites was also denied."), "Ascites").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("The presence of ascites was also denied."), "ascites").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("Fever was also excluded."), "Fever").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("Pulmonary embolism was subsequently ruled out."), "Pulmonary embolism").assertion ==
              Assertion::absent));
  // An adverb that no trigger reads through leaves the finding as it was.
  BOOST_TEST((fact_named(patient_facts_of("Fever was also present."), "Fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("Fever was then treated."), "Fever").assertion == Assertion::present));
  // Further in: "could not be completely excluded" hedges as "could not be excluded" does.
  BOOST_TEST((fact_named(patient_facts_of("Malignancy could not be completely excluded."), "Malignancy").assertion ==
              Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("Malignancy was not definitively excluded."), "Malignancy").assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("He did not subsequently develop fever."), "fever").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("Tuberculosis could not, therefore, be ruled out."), "Tuberculosis").assertion ==
              Assertion::possible));
  // After "not", an adverb of degree makes the negation a hedge: neither negated nor stated; one of
  // frequency says the finding was there at times.
  BOOST_TEST((fact_named(patient_facts_of("Fever was not consistently present."), "Fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("The lesion was not clearly seen on CT."), "lesion").assertion == Assertion::possible));
  // So it does right after a negation that ends in "not" or "never", whose words are read again.
  BOOST_TEST((fact_named(patient_facts_of("He did not consistently have fever."), "fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He did not clearly have fever."), "fever").assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("The CT scan did not clearly show a mass."), "mass").assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("She did not fully meet the criteria for Kawasaki disease."), "Kawasaki disease")
                  .assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("The pain was not completely absent."), "pain").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("He had no fever and was not clearly jaundiced."), "fever").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("He had no fever and was not clearly jaundiced."), "jaundiced").assertion ==
              Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("He did not have fever."), "fever").assertion == Assertion::absent));
  // The adverb may come after the verb of the negation, or after "been"; the "not" inside is not
  // read again as a negation of its own; and an earlier negation does not reach past "and did".
  BOOST_TEST((fact_named(patient_facts_of("She did not have all of the features of lupus."), "lupus").assertion ==
              Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("He had not been consistently febrile."), "febrile").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("She had no headache and did not always have nausea."), "nausea").assertion ==
              Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("She had no headache and did have nausea."), "nausea").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("She had no headache and did have nausea."), "headache").assertion == Assertion::absent));
  // After a negation that looks back, the adverb belongs to what follows.
  BOOST_TEST((fact_named(patient_facts_of("Ascites was not detected both on ultrasound and on CT."), "Ascites").assertion ==
              Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("He has not been found to have metastases."), "metastases").assertion == Assertion::absent));
  // "has not been present" negates as "was not present" does; "had not been present" tells of
  // before, and of a finding that is there now ("had not been noted on a CT two years earlier").
  BOOST_TEST((fact_named(patient_facts_of("Fever has not been present since discharge."), "Fever").assertion == Assertion::absent));
  BOOST_TEST((fact_named(patient_facts_of("The mass had not been present on a CT scan two years earlier."), "mass").assertion ==
              Assertion::present));
  // What never (fully) subsided, or she was never free of, is there.
  BOOST_TEST((fact_named(patient_facts_of("The fever never fully subsided."), "fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("She was never entirely free of pain."), "pain").assertion == Assertion::present));
  // What was never ruled out stays possible, as what was not ruled out does.
  BOOST_TEST((fact_named(patient_facts_of("Infection was never completely ruled out."), "Infection").assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("Infection has not been excluded."), "Infection").assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("The pain was not absent."), "pain").assertion == Assertion::present));
  // What never (fully) resolved, healed or cleared, or was not recovered from, is still there.
  for (const char* sentence : {"The patient never fully recovered from the stroke.", "She has not recovered from the stroke."}) {
    const auto facts = patient_facts_of(sentence);   // the Fact below refers into it
    const Fact& stroke = fact_named(facts, "stroke");
    BOOST_TEST_CONTEXT(sentence) {
      BOOST_TEST((stroke.assertion == Assertion::present));
      BOOST_TEST((stroke.temporality != Temporality::resolved));
    }
  }
  BOOST_TEST((fact_named(patient_facts_of("The rash never completely resolved."), "rash").temporality != Temporality::resolved));
  BOOST_TEST((fact_named(patient_facts_of("Her fever never fully resolved."), "fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("The ulcer never completely healed."), "ulcer").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("The patient recovered from the stroke."), "stroke").temporality == Temporality::resolved));
  // "initially" tells of a reversal to come: it is not read through.
  BOOST_TEST((fact_named(patient_facts_of("Tuberculosis was initially ruled out but later confirmed by culture."), "Tuberculosis")
                  .assertion != Assertion::absent));
}

// What prophylaxis, prevention or a vaccine is against is no disorder of the patient's.
BOOST_AUTO_TEST_CASE(what_is_to_be_prevented_is_not_the_patients) {
  for (const char* text : {"Enoxaparin was given for DVT prophylaxis.", "Enoxaparin was recommended for DVT prophylaxis.",
                           "Pneumococcal vaccine was recommended for pneumonia prevention.",
                           "HBV vaccination was recommended for hepatitis B immunity."})
    for (const Fact& x : patient_facts_of(text).facts)
      BOOST_TEST((x.code.kind != ConceptKind::disorder || x.assertion != Assertion::present), text << ": " << x.code.text);
  // An aneurysm excluded by a stent graft was there: "exclusion of" is no negation.
  BOOST_TEST((fact_named(patient_facts_of("Angiography showed complete exclusion of the aneurysm."), "aneurysm").assertion ==
              Assertion::present));
}

BOOST_AUTO_TEST_CASE(the_possibility_of_a_disorder_is_a_hedge_and_an_excluded_one_is_refuted) {
  BOOST_TEST((fact_named(patient_facts_of("CT revealed multiple pulmonary nodules, considering the possibility of metastases."),
                         "metastases")
                  .assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("The biopsy excluded the possibility of lymphoma."), "lymphoma").assertion ==
              Assertion::absent));
  // The possibility is of a disorder: the biopsy that excluded it was done.
  BOOST_TEST((fact_named(patient_facts_of("The possibility of malignancy was excluded by biopsy."), "biopsy").assertion ==
              Assertion::present));
}

BOOST_AUTO_TEST_CASE(a_list_of_tests_all_negative_negates_each_and_unreliable_is_no_negation) {
  // "were all negative" reaches the first of the list, not only the last.
  BOOST_TEST((fact_named(patient_facts_of("Anti-HIV, HBsAg, anti-HCV were all negative."), "HIV").assertion == Assertion::absent));
  // "not reliable" says the test is unreliable, not that the disorder is absent.
  BOOST_TEST((fact_named(patient_facts_of("The culture might not be reliable in tuberculous pleurisy."), "tuberculous pleurisy").assertion !=
              Assertion::absent));
  // No confirmation is a hedge, not a confirmation; "no histological confirmation" still refutes.
  BOOST_TEST((fact_named(patient_facts_of("There was no confirmation of malignancy."), "malignancy").assertion == Assertion::possible));
  BOOST_TEST((fact_named(patient_facts_of("There was no histological confirmation of malignancy."), "malignancy").assertion ==
              Assertion::absent));
  // A list closed by its own "and" is over at ", and": the cultures' result is not the symptoms'.
  const CaseFacts f = patient_facts_of("He had fever, cough and pneumonia, and blood cultures were negative.");
  BOOST_TEST((fact_named(f, "fever").assertion == Assertion::present));
  BOOST_TEST((fact_named(f, "cough").assertion == Assertion::present));
  BOOST_TEST((fact_named(f, "pneumonia").assertion == Assertion::present));
  BOOST_TEST((fact_named(patient_facts_of("Tamponade, tension pneumothorax, and hypovolemia were excluded."), "hypovolemia").assertion ==
              Assertion::absent));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
