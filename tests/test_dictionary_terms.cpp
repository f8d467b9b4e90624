// Which terms a compiled dictionary matches (converters/mapping/dictionary.cpp, build_dictionary;
// mappings/README.md, "Term rules"): the term rules for imported entries, hand-written entries
// taken as written, and which concept an imported term names when a hand-written concept has the
// same codes. Each case converts a sentence through the ordinary path, with the defaults and a
// small mapping file of its own (compiled as the overlay, the same builder as the defaults).
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <utility>

#include "nlp/tokens.h"
#include "support.h"

namespace casefhir::test {
namespace {

using nlohmann::ordered_json;

// (system, code) of every coding of the Conditions and Observations of a conversion.
using Codes = std::set<std::pair<std::string, std::string>>;

Codes codes_in(const std::string& text, const Mappings& mappings = default_mappings()) {
  const ordered_json bundle = ordered_json::parse(convert_text(text, mappings).bundle);
  Codes out;
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    if (r["resourceType"] != "Condition" && r["resourceType"] != "Observation") continue;
    if (!r.contains("code")) continue;
    for (const auto& coding : r["code"].value("coding", ordered_json::array())) out.emplace(coding["system"], coding["code"]);
  }
  return out;
}

bool has(const Codes& codes, const std::string& system, const std::string& code) { return codes.contains({system, code}); }

const std::string kSnomed = "http://snomed.info/sct";
const std::string kDoid = "http://purl.obolibrary.org/obo/doid.owl";
const std::string kHand = "urn:example:hand";
const std::string kCodes = "urn:example:codes";

// The defaults plus one mapping file whose imported entries name the source "test".
Mappings with_file(const std::string& concepts) {
  const std::string json = R"({"sources": [{"id": "test", "name": "Test terminology", "licence": "CC0 1.0"}], "concepts": [)" +
                           concepts + "]}";
  return Mappings::from_sources({{"test.json", json}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dictionary_terms)

// --- which concept an imported term names (review B6) -------------------------------------------

// ICD-10-CM M31.1 "Thrombotic microangiopathy" lists TTP as an inclusion term and carries the
// code of the hand-written TTP; it made the report's thrombotic microangiopathy a TTP Condition.
BOOST_AUTO_TEST_CASE(a_broader_imported_concept_does_not_lend_its_name_to_a_narrower_hand_written_one) {
  const Codes tma = codes_in("A 30-year-old woman was admitted. Renal biopsy showed thrombotic microangiopathy.");
  BOOST_TEST(!has(tma, kSnomed, "78129009"));   // Thrombotic thrombocytopenic purpura
  BOOST_TEST(has(tma, "http://hl7.org/fhir/sid/icd-10-cm", "M31.1"));
  BOOST_TEST(has(codes_in("A 30-year-old woman had thrombotic thrombocytopenic purpura."), kSnomed, "78129009"));

  const Mappings m = with_file(R"(
    {"id": "glitter-purpura", "kind": "disorder", "terms": ["glitter purpura"],
     "codes": [{"system": "urn:example:hand", "code": "GP-H"}, {"system": "urn:example:codes", "code": "GP"}]},
    {"id": "test-gp", "kind": "disorder", "source": "test", "terms": ["Glitter angiopathy"], "narrow": ["Glitter purpura"],
     "codes": [{"system": "urn:example:codes", "code": "GP"}]})");
  const Codes angiopathy = codes_in("Biopsy showed glitter angiopathy.", m);
  BOOST_TEST(has(angiopathy, kCodes, "GP"));
  BOOST_TEST(!has(angiopathy, kHand, "GP-H"));
}

// ICD-10-CM I26.99 "Other pulmonary embolism without acute cor pulmonale" includes "Pulmonary
// embolism NOS": the code is where the hand-written pulmonary embolism is coded, and its inclusion
// "Acute pulmonary embolism NOS" names that concept, not a second Condition beside it.
BOOST_AUTO_TEST_CASE(an_inclusion_written_nos_makes_a_classification_code_the_hand_written_concept) {
  const Mappings m = with_file(R"(
    {"id": "glitter-fever", "kind": "disorder", "terms": ["glitter fever"],
     "codes": [{"system": "urn:example:hand", "code": "GF-H"}, {"system": "urn:example:codes", "code": "GF"}]},
    {"id": "test-gf", "kind": "disorder", "source": "test", "terms": ["Other glitter fever without sparkle"],
     "narrow": ["Acute glitter fever NOS", "Glitter fever NOS"], "codes": [{"system": "urn:example:codes", "code": "GF"}]})");
  const Codes acute = codes_in("He had acute glitter fever.", m);
  BOOST_TEST(has(acute, kHand, "GF-H"));
  BOOST_TEST(acute.size() == 2u);   // one Condition: the hand-written concept's two codings

  const Codes pe = codes_in("A 38-year-old woman had an acute pulmonary embolism.");
  BOOST_TEST(has(pe, kSnomed, "59282003"));
}

// --- hand-written entries are taken as written (review B11) --------------------------------------

BOOST_AUTO_TEST_CASE(a_hand_written_synonym_of_any_scope_is_matched) {
  const Mappings m = with_file(R"(
    {"id": "sparkle-syndrome", "kind": "disorder", "terms": ["sparkle syndrome"], "broad": ["sparkle disease"],
     "codes": [{"system": "urn:example:hand", "code": "SP-1"}]},
    {"id": "test-twinkle", "kind": "disorder", "source": "test", "terms": ["twinkle syndrome"], "broad": ["twinkle disease"],
     "codes": [{"system": "urn:example:codes", "code": "TW-1"}]})");
  BOOST_TEST(has(codes_in("The patient had sparkle disease.", m), kHand, "SP-1"));
  // The scopes the term rules match (exact, related, narrow) still decide for imported entries.
  BOOST_TEST(!has(codes_in("The patient had twinkle disease.", m), kCodes, "TW-1"));
  BOOST_TEST(has(codes_in("The patient had twinkle syndrome.", m), kCodes, "TW-1"));
}

// --- one fold for comparing terms (review D4), a stripped suffix (review D5) ---------------------

// The dictionary compiler and the vocabulary merge compare terms by one function; the compiler's
// own copy did not fold form feed and vertical tab.
BOOST_AUTO_TEST_CASE(terms_compare_by_one_fold) {
  BOOST_TEST(nlp::fold_term("  Renal \t Dysplasia\f\v") == "renal dysplasia");
  BOOST_TEST(nlp::fold_term("CKD\vStage  3", true) == "CKD Stage 3");
  // Where a cut made on the folded text falls in the term as written.
  const std::string term = "Glimmer   fever,\t NOS";
  const std::string folded = nlp::fold_term(term);
  BOOST_TEST(folded == "glimmer fever, nos");
  BOOST_TEST(nlp::unfolded_prefix(term, folded.size() - 5) == "Glimmer   fever");
  BOOST_TEST(nlp::unfolded_prefix(term, 0) == "");
  BOOST_TEST(nlp::unfolded_prefix(term, folded.size()) == term);
}


// "QXZ NOS" is the abbreviation QXZ: stripping " NOS" used to fold the rest to small letters, so it
// was taken for a three-letter word (too short to match) instead of a capitalised abbreviation.
BOOST_AUTO_TEST_CASE(a_term_without_its_stripped_suffix_keeps_its_case) {
  const Mappings m = with_file(R"(
    {"id": "test-qxz", "kind": "disorder", "source": "test", "terms": ["QXZ NOS"], "codes": [{"system": "urn:example:codes", "code": "QXZ"}]})");
  BOOST_TEST(has(codes_in("The patient had QXZ.", m), kCodes, "QXZ"));
  BOOST_TEST(!has(codes_in("The patient had qxz.", m), kCodes, "QXZ"));
}

// The cut is made where the suffix starts in the term as written: white space that folding takes
// out of the suffix used to shift the cut ("Glimmer fever, n", then refused for its comma).
BOOST_AUTO_TEST_CASE(a_stripped_suffix_is_cut_where_it_starts_in_the_term_as_written) {
  const Mappings m = with_file(R"(
    {"id": "test-glimmer", "kind": "disorder", "source": "test", "terms": ["Glimmer fever, not    elsewhere classified"],
     "codes": [{"system": "urn:example:codes", "code": "GL"}]})");
  BOOST_TEST(has(codes_in("The patient had glimmer fever.", m), kCodes, "GL"));
}

// --- imported abbreviations (review B9, compile-time part) ---------------------------------------

// The vocabulary writes "odd", "cold", "can" in small letters inside its own terms ("odd ears",
// "common cold"): ordinary words, which a title in capitals writes the same way as abbreviations.
BOOST_AUTO_TEST_CASE(an_imported_abbreviation_that_is_an_ordinary_word_is_not_matched) {
  const Codes title = codes_in("CAN HEAT STROKE PRESENT WITH ODD SIGNS? ALL FINDINGS IN A COLD CLIMATE\n\nA 30-year-old man was admitted.");
  BOOST_TEST(!has(title, kSnomed, "18941000"));   // Oppositional defiant disorder (ODD)
  BOOST_TEST(!has(title, kSnomed, "13645005"));   // Chronic obstructive lung disease (COLD)
  BOOST_TEST(!has(title, kDoid, "DOID:0111161"));  // Crouzon syndrome-acanthosis nigricans (CAN)

  const Mappings m = with_file(R"(
    {"id": "test-glow", "kind": "disorder", "source": "test", "terms": ["generalized lustre of the whole body"], "abbreviations": ["GLOW"],
     "codes": [{"system": "urn:example:codes", "code": "GLOW"}]},
    {"id": "test-dark", "kind": "disorder", "source": "test", "terms": ["glow in the dark syndrome"], "abbreviations": ["GITD"],
     "codes": [{"system": "urn:example:codes", "code": "GITD"}]})");
  BOOST_TEST(!has(codes_in("The patient had GLOW.", m), kCodes, "GLOW"));
  BOOST_TEST(has(codes_in("The patient had GITD.", m), kCodes, "GITD"));
  BOOST_TEST(has(codes_in("The patient had generalized lustre of the whole body.", m), kCodes, "GLOW"));
}

// An abbreviation with a digit is most often a gene, protein or clone symbol that an ontology gives
// its disease too: it counts only beside a clinical neighbour, as `needs_neighbour` terms do.
BOOST_AUTO_TEST_CASE(an_imported_abbreviation_with_a_digit_needs_a_clinical_neighbour) {
  const Codes genes = codes_in("A 30-year-old man was admitted. Gene panel showed variants in CD3D and IL-7R; the SCAN2 clone was used.");
  BOOST_TEST(!has(genes, kDoid, "DOID:0060016"));   // CD3delta deficiency
  BOOST_TEST(!has(genes, kDoid, "DOID:0060015"));   // interleukin-7 receptor alpha deficiency
  BOOST_TEST(!has(genes, kDoid, "DOID:0050755"));   // SCAN2

  const Mappings m = with_file(R"(
    {"id": "test-zq7", "kind": "disorder", "source": "test", "terms": ["zircon quartz syndrome type 7"], "abbreviations": ["ZQ7"],
     "codes": [{"system": "urn:example:codes", "code": "ZQ7"}]},
    {"id": "test-zq8", "kind": "disorder", "source": "test", "terms": ["ZQ8"], "codes": [{"system": "urn:example:codes", "code": "ZQ8"}]})");
  BOOST_TEST(!has(codes_in("The list names ZQ7.", m), kCodes, "ZQ7"));
  BOOST_TEST(has(codes_in("He had ZQ7 with fever.", m), kCodes, "ZQ7"));
  BOOST_TEST(!has(codes_in("The list names ZQ8.", m), kCodes, "ZQ8"));
  BOOST_TEST(has(codes_in("He had ZQ8 with fever.", m), kCodes, "ZQ8"));
}

// "Stroke of luck" named the stroke (review): a blocked phrase names nothing.
BOOST_AUTO_TEST_CASE(an_idiom_names_no_concept) {
  const Codes luck = codes_in("A 50-year-old man was admitted with fever. It was a stroke of luck that he came early.");
  BOOST_TEST(!has(luck, kSnomed, "230690007"));   // Cerebrovascular accident
  BOOST_TEST(has(codes_in("A 50-year-old man had a stroke."), kSnomed, "230690007"));
}

// HPO calls every abnormality a finding, malformations and diseases too; ICD-10-CM's "Cor
// triatriatum" (Q24.2) is a disorder. A term both name is read as the disorder (source_precedence
// puts the phenotype ontology last): a Condition, as a clinician files a congenital heart defect.
BOOST_AUTO_TEST_CASE(a_term_a_phenotype_ontology_shares_with_a_classification_names_the_disorder) {
  const std::string icd10cm = "http://hl7.org/fhir/sid/icd-10-cm";
  const std::string text = "A 30-year-old woman had dyspnea. Echocardiography showed cor triatriatum.";
  BOOST_TEST(has(codes_in(text), icd10cm, "Q24.2"));
  const ordered_json bundle = ordered_json::parse(convert_text(text).bundle);
  std::size_t conditions = 0;
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == "Condition" && e["resource"]["code"]["text"] == "cor triatriatum") ++conditions;
  BOOST_TEST(conditions == 1u);
  // ICD-10-CM's plain "Galactorrhea" is O92.6, a puerperal code: the hand-written galactorrhea (HPO)
  // keeps it from a woman who is not pregnant.
  BOOST_TEST(!has(codes_in("A 40-year-old woman had galactorrhea and amenorrhea."), icd10cm, "O92.6"));
}

// The vocabularies name an infection by the adjective ("Adenoviral pneumonia", SNOMED CT 41207000);
// reports write the organism ("adenovirus pneumonia"). The spelling rule reads one as the other.
BOOST_AUTO_TEST_CASE(an_organism_named_before_a_disease_reads_as_its_adjective) {
  BOOST_TEST(has(codes_in("A 40-year-old man was treated for adenovirus pneumonia."), kSnomed, "41207000"));
  BOOST_TEST(has(codes_in("A 40-year-old man was treated for adenoviral pneumonia."), kSnomed, "41207000"));
  // ICD-10-CM's "Herpesviral infection" is herpes simplex (B00.9): a herpesvirus infection is broader.
  BOOST_TEST(!has(codes_in("A 40-year-old man had a herpesvirus infection."), kSnomed, "88594005"));
}

// ICD-10-CM's latent tuberculosis is a Z code (Z22.7), which the import leaves out: "latent
// tuberculosis" read as active tuberculosis (A15.9, SNOMED CT 56717001) before the hand-written
// concept. Infected without disease is not the disease.
BOOST_AUTO_TEST_CASE(latent_tuberculosis_is_not_active_tuberculosis) {
  const std::string icd10cm = "http://hl7.org/fhir/sid/icd-10-cm";
  for (const char* text : {"A 40-year-old man had latent tuberculosis.", "A 40-year-old man was treated for latent TB.",
                           "A 40-year-old man had LTBI."}) {
    const Codes codes = codes_in(text);
    BOOST_TEST(has(codes, icd10cm, "Z22.7"), text);
    BOOST_TEST(!has(codes, kSnomed, "56717001"), text);
  }
  BOOST_TEST(has(codes_in("A 40-year-old man had tuberculosis."), kSnomed, "56717001"));
}

// The GPS files "Discharged from hospital" as a finding; it is an event of care, not the patient's
// state (administrative-events.json blocks it with the procedures of that kind).
BOOST_AUTO_TEST_CASE(a_discharge_is_no_finding) {
  BOOST_TEST(!has(codes_in("A 40-year-old man had pneumonia. He was discharged from hospital on day 5."), kSnomed, "183665006"));
}

// Terminologies write "fracture of femur", "dissection of vertebral artery"; reports write "femur
// fracture" as often. A term "X of Y" is matched the other way round (inverted_site_words), unless
// another concept has that term of its own.
BOOST_AUTO_TEST_CASE(a_term_x_of_y_is_matched_as_y_x) {
  const std::string icd10cm = "http://hl7.org/fhir/sid/icd-10-cm";
  BOOST_TEST(has(codes_in("A 40-year-old woman had a vertebral artery dissection."), icd10cm, "I77.74"));
  // ICD-10-CM G95.19 includes "Edema of spinal cord"; the bare edema (R60.9) was all that was read.
  const Codes edema = codes_in("A 40-year-old man had spinal cord edema.");
  BOOST_TEST(has(edema, icd10cm, "G95.19"));
  BOOST_TEST(!has(edema, icd10cm, "R60.9"));
  const Mappings m = with_file(R"(
    {"id": "test-glimmer-kidney", "kind": "disorder", "source": "test", "terms": ["Glimmer of kidney"],
     "codes": [{"system": "urn:example:codes", "code": "GK"}]},
    {"id": "test-glimmer-other", "kind": "disorder", "source": "test", "terms": ["Shimmer of liver", "zx liver shimmer"],
     "codes": [{"system": "urn:example:codes", "code": "SL"}]},
    {"id": "test-liver-shimmer", "kind": "disorder", "source": "test", "terms": ["liver shimmer"],
     "codes": [{"system": "urn:example:codes", "code": "LS"}]})");
  BOOST_TEST(has(codes_in("The patient had kidney glimmer.", m), kCodes, "GK"));
  BOOST_TEST(has(codes_in("The patient had renal glimmer.", m), kCodes, "GK"));   // the spelling rules still apply
  // Another concept's own term is that concept's.
  const Codes shimmer = codes_in("The patient had liver shimmer.", m);
  BOOST_TEST(has(shimmer, kCodes, "LS"));
  BOOST_TEST(!has(shimmer, kCodes, "SL"));
  // Not for a site of several phrases ("of", "the", "with" in it).
  const Mappings n = with_file(R"(
    {"id": "test-glimmer-neck", "kind": "disorder", "source": "test", "terms": ["Glimmer of neck of femur"],
     "codes": [{"system": "urn:example:codes", "code": "GN"}]})");
  BOOST_TEST(!has(codes_in("The patient had neck of femur glimmer.", n), kCodes, "GN"));
  // A site that also names a part of something else is not inverted (uninverted_sites): the
  // humerus's neck is not the neck (S12.9), the pancreas's head not the head.
  BOOST_TEST(!has(codes_in("A 70-year-old woman had a humeral neck fracture."), icd10cm, "S12.9"));
  BOOST_TEST(!has(codes_in("A 70-year-old woman had a pancreatic head mass."), kSnomed, "432525007"));   // Mass of head
  // Not where Y is a disorder of its own: "subdural hematoma evacuation" keeps the hematoma
  // (ICD-10-CM "Evacuation of subdural hematoma" would have been the only fact).
  BOOST_TEST(has(codes_in("A 70-year-old man underwent subdural hematoma evacuation."), kSnomed, "35486000"));   // Subdural intracranial hemorrhage
  // "Joint position sense" is an examination, not the finding "position of joint".
  BOOST_TEST(!has(codes_in("A 40-year-old man was examined. Joint position sense was intact."), kSnomed, "276334009"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
