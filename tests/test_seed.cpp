// The seed case report (samples/calcinosis-cutis.txt, issue 2 item 7): what a clinician reading
// the published report would agree with, checked resource by resource.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

#include "support.h"

namespace casefhir::test {
namespace {

using nlohmann::ordered_json;

struct Seed {
  Conversion c = convert_text(read_text_file(source_dir() / "samples/calcinosis-cutis.txt"));
  ordered_json bundle = ordered_json::parse(c.bundle);
  std::vector<ordered_json> resources(const std::string& type) const {
    std::vector<ordered_json> out;
    for (const auto& e : bundle["entry"])
      if (e["resource"]["resourceType"] == type) out.push_back(e["resource"]);
    return out;
  }
  static bool has_code(const ordered_json& cc, const std::string& system, const std::string& code) {
    for (const auto& coding : cc.value("coding", ordered_json::array()))
      if (coding["system"] == system && coding["code"] == code) return true;
    return false;
  }
  std::vector<ordered_json> with_code(const std::string& type, const std::string& system, const std::string& code) const {
    std::vector<ordered_json> out;
    for (const auto& r : resources(type))
      if (has_code(r["code"], system, code)) out.push_back(r);
    return out;
  }
  std::string full_url_of(const ordered_json& resource) const {
    for (const auto& e : bundle["entry"])
      if (e["resource"] == resource) return e["fullUrl"];
    return {};
  }
  // The source text a resource's derivation-reference extensions point at.
  std::vector<std::string> evidence_text(const ordered_json& r) const {
    // The seed is ASCII, so its code point offsets are byte offsets.
    std::vector<std::string> out;
    for (const auto& ext : r.value("extension", ordered_json::array())) {
      if (ext["url"] != "http://hl7.org/fhir/StructureDefinition/derivation-reference") continue;
      std::size_t offset = 0, length = 0;
      for (const auto& x : ext["extension"]) {
        if (x["url"] == "offset") offset = x["valueInteger"];
        if (x["url"] == "length") length = x["valueInteger"];
      }
      out.push_back(c.document.text.substr(offset, length));
    }
    return out;
  }
};

const char* kSnomed = "http://snomed.info/sct";
const char* kLoinc = "http://loinc.org";
const char* kIcd = "http://hl7.org/fhir/sid/icd-10-cm";

std::string status_code(const ordered_json& r, const char* element) {
  return r.contains(element) ? r[element]["coding"][0]["code"].get<std::string>() : "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(seed_case_report)

BOOST_AUTO_TEST_CASE(patient_is_male_and_46_years_old) {
  Seed s;
  const auto patients = s.resources("Patient");
  BOOST_REQUIRE_EQUAL(patients.size(), 1u);
  BOOST_TEST(patients[0]["gender"] == "male");
  const auto age = s.with_code("Observation", kLoinc, "30525-0");
  BOOST_REQUIRE_EQUAL(age.size(), 1u);
  BOOST_TEST(age[0]["valueQuantity"]["value"] == 46);
  BOOST_TEST(age[0]["valueQuantity"]["code"] == "a");
  BOOST_TEST(age[0]["valueQuantity"]["system"] == "http://unitsofmeasure.org");
  BOOST_TEST(s.evidence_text(age[0]).front() == "46-year-old");
}

BOOST_AUTO_TEST_CASE(calcinosis_cutis_is_a_confirmed_active_condition_on_the_right_cheek) {
  Seed s;
  const auto cc = s.with_code("Condition", kIcd, "L94.2");
  const auto confirmed = std::count_if(cc.begin(), cc.end(), [](const auto& r) {
    return status_code(r, "verificationStatus") == "confirmed";
  });
  BOOST_REQUIRE_EQUAL(confirmed, 1);
  const auto& c = *std::find_if(cc.begin(), cc.end(), [](const auto& r) { return status_code(r, "verificationStatus") == "confirmed"; });
  BOOST_TEST(c["code"]["text"] == "calcinosis cutis");
  BOOST_TEST(status_code(c, "clinicalStatus") == "active");
  // Body site: cheek, with laterality right kept (a BodyStructure with locationQualifier Right).
  BOOST_REQUIRE(c.contains("bodySite"));
  const auto& site = c["bodySite"][0];
  BOOST_TEST(Seed::has_code(site, kSnomed, "60819002"));
  BOOST_TEST(site["text"] == "right cheek");
  const std::string structure_ref = site["extension"][0]["valueReference"]["reference"];
  bool right = false;
  for (const auto& e : s.bundle["entry"])
    if (e["fullUrl"] == structure_ref) right = Seed::has_code(e["resource"]["locationQualifier"][0], kSnomed, "24028007");
  BOOST_TEST(right);
  // Onset about 25 years before the visit, as the report words it.
  BOOST_TEST(c["onsetString"] == "approximately 25 years ago");
}

BOOST_AUTO_TEST_CASE(condition_evidence_points_to_the_exam_and_histopathology_observations) {
  Seed s;
  const auto cc = s.with_code("Condition", kIcd, "L94.2");
  const auto& c = cc.front();
  std::set<std::string> evidence;
  for (const auto& d : c["evidence"][0]["detail"]) evidence.insert(d["reference"]);
  const auto plaque = s.with_code("Observation", kSnomed, "1522000");
  const auto deposits = s.with_code("Observation", kSnomed, "18115005");
  BOOST_REQUIRE_EQUAL(plaque.size(), 1u);
  BOOST_REQUIRE_EQUAL(deposits.size(), 1u);
  BOOST_TEST(evidence.count(s.full_url_of(plaque[0])) == 1u);
  BOOST_TEST(evidence.count(s.full_url_of(deposits[0])) == 1u);
}

BOOST_AUTO_TEST_CASE(exam_observation_is_a_white_plaque_on_the_right_cheek_measuring_half_by_one_cm) {
  Seed s;
  const auto plaque = s.with_code("Observation", kSnomed, "1522000");
  BOOST_REQUIRE_EQUAL(plaque.size(), 1u);
  const auto& o = plaque[0];
  BOOST_TEST(o["category"][0]["coding"][0]["code"] == "exam");
  BOOST_TEST(o["code"]["text"] == "white plaque");
  BOOST_TEST(Seed::has_code(o["valueCodeableConcept"], kSnomed, "52101004"));   // Present
  BOOST_TEST(Seed::has_code(o["bodySite"], kSnomed, "60819002"));
  BOOST_TEST(o["bodySite"]["text"] == "right cheek");
  BOOST_REQUIRE_EQUAL(o["component"].size(), 2u);
  BOOST_TEST(o["component"][0]["valueQuantity"]["value"] == 0.5);
  BOOST_TEST(o["component"][1]["valueQuantity"]["value"] == 1);
  for (const auto& comp : o["component"]) {
    BOOST_TEST(comp["valueQuantity"]["code"] == "cm");
    BOOST_TEST(comp["valueQuantity"]["system"] == "http://unitsofmeasure.org");
  }
}

BOOST_AUTO_TEST_CASE(skin_biopsy_is_a_procedure_and_the_histopathology_finding_is_part_of_it) {
  Seed s;
  const auto biopsy = s.with_code("Procedure", kSnomed, "240977001");
  BOOST_REQUIRE_EQUAL(biopsy.size(), 1u);
  BOOST_TEST(biopsy[0]["status"] == "completed");
  const auto deposits = s.with_code("Observation", kSnomed, "18115005");
  BOOST_REQUIRE_EQUAL(deposits.size(), 1u);
  BOOST_TEST(deposits[0]["code"]["text"] == "calcium deposits");
  BOOST_TEST(deposits[0]["bodySite"]["text"] == "dermis");
  BOOST_TEST(deposits[0]["category"][0]["coding"][0]["code"] == "laboratory");
  BOOST_REQUIRE(deposits[0].contains("partOf"));
  BOOST_TEST(deposits[0]["partOf"][0]["reference"] == s.full_url_of(biopsy[0]));
}

BOOST_AUTO_TEST_CASE(calcium_and_phosphate_are_normal_with_no_invented_value) {
  Seed s;
  for (const char* loinc : {"17861-6", "2777-1"}) {
    const auto labs = s.with_code("Observation", kLoinc, loinc);
    BOOST_REQUIRE_EQUAL(labs.size(), 1u);
    const auto& o = labs[0];
    BOOST_TEST(o["category"][0]["coding"][0]["code"] == "laboratory");
    BOOST_TEST(o["interpretation"][0]["coding"][0]["system"] == "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation");
    BOOST_TEST(o["interpretation"][0]["coding"][0]["code"] == "N");
    for (const auto& [key, _] : o.items()) BOOST_TEST(key.rfind("value", 0) != 0, "no value[x]: " << key);
    BOOST_TEST(!o.contains("referenceRange"));
  }
}

BOOST_AUTO_TEST_CASE(discussion_diseases_are_never_asserted_about_the_patient) {
  Seed s;
  // ICD-10-CM chapters of what the discussion lists: renal failure N17-N19, sarcoidosis D86,
  // hyperparathyroidism E21, hypervitaminosis D E67.3, dermatomyositis M33, scleroderma M34,
  // connective tissue disease M35, venous stasis I87, parathyroid neoplasm D35.1/D44.2/D49.7/C75.0,
  // tumoral/scrotal calcinosis and calcified nodules (E83.5x, L94.2 variants).
  const std::vector<std::string> forbidden_ids = {
      "renal-failure", "acute-kidney-injury", "chronic-kidney-disease", "sarcoidosis", "hyperparathyroidism",
      "primary-hyperparathyroidism", "hypervitaminosis-d", "dermatomyositis", "systemic-sclerosis",
      "connective-tissue-disease", "chronic-venous-insufficiency", "parathyroid-neoplasm",
      "tumoral-calcinosis", "scrotal-calcinosis", "subepidermal-calcified-nodule", "calcinosis-universalis",
      "calcinosis-circumscripta", "metastatic-calcinosis", "dystrophic-calcinosis-cutis", "iatrogenic-calcinosis"};
  // The list names real mapping entries, so the check cannot pass by naming nothing.
  for (const auto& id : forbidden_ids) BOOST_TEST_REQUIRE(default_mappings().find_concept(id).has_value(), id);
  for (std::size_t i = 0; i < s.c.facts.facts.size(); ++i) {
    const Fact& f = s.c.facts.facts[i];
    if (f.code.kind != ConceptKind::disorder) continue;
    const bool forbidden = std::find(forbidden_ids.begin(), forbidden_ids.end(), f.code.id) != forbidden_ids.end();
    if (forbidden) BOOST_TEST((f.assertion == Assertion::absent || f.assertion == Assertion::differential), f.code.id);
    if (f.code.id == "idiopathic-calcinosis-cutis") BOOST_TEST((f.assertion == Assertion::differential), f.code.id);
  }
  // Every confirmed Condition is calcinosis cutis: nothing else is asserted as a diagnosis.
  for (const auto& r : s.resources("Condition"))
    if (status_code(r, "verificationStatus") == "confirmed") BOOST_TEST(Seed::has_code(r["code"], kIcd, "L94.2"));
  // And the statements the discussion makes are reported as set aside, with the reason.
  const auto general = std::count_if(s.c.facts.set_aside.begin(), s.c.facts.set_aside.end(),
                                     [](const SetAside& a) { return a.reason.find("general statement") == 0; });
  BOOST_TEST(general >= 15);
}

BOOST_AUTO_TEST_CASE(no_family_history_and_no_trauma_give_no_positive_fact) {
  Seed s;
  BOOST_TEST(s.resources("FamilyMemberHistory").empty());
  for (const Fact& f : s.c.facts.facts) {
    BOOST_TEST((f.experiencer == Experiencer::patient), f.code.id);
    if (f.code.id == "trauma") BOOST_TEST((f.assertion == Assertion::absent));
  }
}

BOOST_AUTO_TEST_CASE(every_text_derived_resource_points_at_its_evidence) {
  Seed s;
  for (const auto& e : s.bundle["entry"]) {
    const auto& r = e["resource"];
    if (r["resourceType"] == "DocumentReference") continue;
    const auto texts = s.evidence_text(r);
    BOOST_TEST(!texts.empty(), r["resourceType"]);
    for (const auto& t : texts) BOOST_TEST(!t.empty());
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
