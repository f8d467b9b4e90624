// Expected facts (issue 8, item 7): for a sample with samples/<name>.expected.json, the facts a
// clinician reads in the text, written down before the converter first ran on it. Each fact is
// looked for in the Bundle the sample converts to; the golden-file test only says the output did
// not change, this one says whether it is right.
//
// A fact the converter does not yet get right carries `"open": "why"`. The test then expects it
// NOT to hold, so that the file stays true both ways: a fix that makes an open fact hold fails
// here until its mark is removed. Each sample's tally goes to the log (--log_level=message).
//
// The format (one object per fact; every key but `resource` is optional):
//   resource      Condition | Observation | Procedure | FamilyMemberHistory
//   words         contained (case-insensitively) in the code's text (a FamilyMemberHistory's
//                 condition); `code` "system|code": a coding the CodeableConcept must hold
//   not           true: no resource of this kind asserts it (a Condition that is not refuted,
//                 an Observation whose finding is not absent)
//   verification, clinical   a Condition's statuses;  principal: the Encounter's rank-1 diagnosis
//   finding       present | absent: an Observation's presence value, or a Condition's verification
//                 (confirmed | refuted), since a finding the vocabulary holds as a disorder is
//                 written as a Condition and says the same
//   value, unit   valueQuantity (unit as the UCUM code);  components: [systolic, diastolic]
//   interpretation  a v3 ObservationInterpretation code (N, L, H, POS, NEG)
//   status        a Procedure's status;  relationship  a v3 RoleCode of a FamilyMemberHistory
//   site          contained in a bodySite's text
//   when          a date ("2024-03", "2015") the resource's onset/effective/performed starts with;
//                 or a relative time as the report words it ("day 5", "follow-up", "after eight
//                 weeks"): the element carries cqf-relativeDateTime, after the end of its target for
//                 a follow-up, after the start otherwise, with the number the words give as offset
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>

#include "mapping/code_checks.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
namespace data = boost::unit_test::data;

std::vector<std::string> samples_with_expected_facts() {
  std::vector<std::string> names;
  std::error_code ec;
  const std::string suffix = ".expected.json";
  for (const auto& e : fs::directory_iterator(source_dir() / "samples", ec)) {
    const std::string file = e.path().filename().string();
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(file.substr(0, file.size() - suffix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool contains_folded(const std::string& haystack, const std::string& needle) {
  return lower(haystack).find(lower(needle)) != std::string::npos;
}

std::string text_of(const FhirJson& cc) { return cc.is_object() ? member(cc, "text") : std::string(); }

bool has_coding(const FhirJson& cc, const std::string& system_code) {
  const auto bar = system_code.find('|');
  const std::string system = system_code.substr(0, bar), code = system_code.substr(bar + 1);
  if (!cc.is_object() || !cc.contains("coding")) return false;
  for (const auto& c : cc["coding"])
    if (c.value("system", "") == system && c.value("code", "") == code) return true;
  return false;
}

// The first coding's code of a CodeableConcept field, or "".
std::string first_code(const FhirJson& r, const char* field) {
  if (!r.contains(field) || !r[field].contains("coding") || r[field]["coding"].empty()) return {};
  return r[field]["coding"][0].value("code", "");
}

// The CodeableConcepts a fact's words or code are looked for in.
std::vector<FhirJson> named_concepts(const FhirJson& r) {
  if (r.value("resourceType", "") != "FamilyMemberHistory") return {r.value("code", FhirJson::object())};
  std::vector<FhirJson> out;
  for (const auto& c : r.value("condition", FhirJson::array())) out.push_back(c.value("code", FhirJson::object()));
  return out;
}

bool names(const FhirJson& r, const FhirJson& fact) {
  for (const auto& cc : named_concepts(r)) {
    if (fact.contains("words") && !contains_folded(text_of(cc), fact["words"].get<std::string>())) continue;
    if (fact.contains("code") && !has_coding(cc, fact["code"].get<std::string>())) continue;
    return true;
  }
  return false;
}

// SNOMED CT 52101004 Present / 2667000 Absent / 415684004 Suspected, as the README writes findings;
// for a Condition, what its verification status says of presence.
std::string finding_of(const FhirJson& r) {
  if (r.value("resourceType", "") == "Condition") {
    const std::string verification = first_code(r, "verificationStatus");
    return verification == "confirmed" ? "present" : verification == "refuted" ? "absent" : "suspected";
  }
  const std::string code = first_code(r, "valueCodeableConcept");
  if (code == "52101004") return "present";
  if (code == "2667000") return "absent";
  if (code == "415684004") return "suspected";
  return {};
}

bool asserts(const FhirJson& r) {
  const std::string type = r.value("resourceType", "");
  if (type == "Condition") return first_code(r, "verificationStatus") != "refuted";
  if (type == "Observation") return finding_of(r) != "absent";
  return true;
}

bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

std::string when_of(const FhirJson& r) {
  for (const char* field : {"onsetDateTime", "effectiveDateTime", "performedDateTime"})
    if (r.contains(field)) return r[field].get<std::string>();
  return {};
}

// The cqf-relativeDateTime extension on the resource's time element, or null.
const FhirJson* relative_time_of(const FhirJson& r) {
  for (const char* element : {"_effectiveDateTime", "_recordedDate", "_performedDateTime", "_onsetDateTime"}) {
    if (!r.contains(element) || !r[element].contains("extension")) continue;
    for (const auto& x : r[element]["extension"])   // a reference into the Bundle, never a copy
      if (x.value("url", "") == "http://hl7.org/fhir/StructureDefinition/cqf-relativeDateTime") return &x;
  }
  return nullptr;
}

bool relative_time_matches(const FhirJson& r, const std::string& words) {
  const FhirJson* t = relative_time_of(r);
  if (!t) return false;
  std::string relationship;
  double offset = -1;
  for (const auto& part : (*t)["extension"]) {
    if (part.value("url", "") == "relationship") relationship = part.value("valueCode", "");
    if (part.value("url", "") == "offset" && part.contains("valueDuration")) offset = part["valueDuration"].value("value", -1.0);
  }
  static const std::vector<std::pair<std::string, double>> kNumbers = {
      {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}};
  double said = -1;
  for (const auto& [word, n] : kNumbers)
    if (words.find(word) != std::string::npos) said = n;
  for (char c : words)
    if (c >= '0' && c <= '9') said = (said < 0 ? 0 : said) * 10 + (c - '0');
  // After the end of something: a follow-up, or "after <an event>" ("two days after delivery"),
  // not "after <a duration>" ("after eight weeks" counts from the start).
  const std::size_t after = words.find("after ");
  bool after_an_event = false;
  if (after != std::string::npos) {
    after_an_event = true;
    for (const auto& [word, n] : kNumbers)
      if (words.compare(after + 6, word.size(), word) == 0) after_an_event = false;
    if (after + 6 < words.size() && words[after + 6] >= '0' && words[after + 6] <= '9') after_an_event = false;
  }
  const bool from_the_end = words.find("follow-up") != std::string::npos || after_an_event;
  if (relationship != (from_the_end ? "after-end" : "after-start")) return false;
  return said < 0 || near(offset, said);
}

bool site_matches(const FhirJson& r, const std::string& words) {
  if (!r.contains("bodySite")) return false;
  const FhirJson& site = r["bodySite"];
  if (site.is_array()) {
    for (const auto& s : site)
      if (contains_folded(text_of(s), words)) return true;
    return false;
  }
  return contains_folded(text_of(site), words);
}

// Every attribute the fact states holds of this resource.
bool matches(const FhirJson& r, const FhirJson& fact, const std::string& principal_ref) {
  if (fact.contains("verification") && first_code(r, "verificationStatus") != fact["verification"].get<std::string>()) return false;
  if (fact.contains("clinical") && first_code(r, "clinicalStatus") != fact["clinical"].get<std::string>()) return false;
  if (fact.value("principal", false) && "urn:uuid:" + r.value("id", "") != principal_ref) return false;
  if (fact.contains("finding") && finding_of(r) != fact["finding"].get<std::string>()) return false;
  if (fact.contains("status") && r.value("status", "") != fact["status"].get<std::string>()) return false;
  if (fact.contains("relationship") && first_code(r, "relationship") != fact["relationship"].get<std::string>()) return false;
  if (fact.contains("site") && !site_matches(r, fact["site"].get<std::string>())) return false;
  if (fact.contains("when")) {
    const std::string when = fact["when"].get<std::string>();
    const bool date = !when.empty() && when[0] >= '0' && when[0] <= '9';
    if (date ? when_of(r).rfind(when, 0) != 0 : !relative_time_matches(r, when)) return false;
  }
  if (fact.contains("interpretation")) {
    bool found = false;
    for (const auto& i : r.value("interpretation", FhirJson::array()))
      if (first_code(FhirJson{{"i", i}}, "i") == fact["interpretation"].get<std::string>()) found = true;
    if (!found) return false;
  }
  if (fact.contains("value")) {
    if (!r.contains("valueQuantity") || !near(r["valueQuantity"].value("value", 0.0), fact["value"].get<double>())) return false;
    if (fact.contains("unit") && r["valueQuantity"].value("code", "") != fact["unit"].get<std::string>()) return false;
  }
  if (fact.contains("components")) {
    const auto& want = fact["components"];
    const auto& have = r.value("component", FhirJson::array());
    if (have.size() != want.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i)
      if (!have[i].contains("valueQuantity") || !near(have[i]["valueQuantity"].value("value", 0.0), want[i].get<double>())) return false;
  }
  return true;
}

bool holds(const FhirJson& bundle, const FhirJson& fact) {
  std::string principal_ref;
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    if (r.value("resourceType", "") == "Encounter")
      for (const auto& d : r.value("diagnosis", FhirJson::array()))
        if (d.value("rank", 0) == 1) principal_ref = d["condition"].value("reference", "");
  }
  const std::string type = fact.at("resource").get<std::string>();
  const bool negative = fact.value("not", false);
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    const std::string kind = r.value("resourceType", "");
    const bool finding_as_condition = type == "Observation" && fact.contains("finding") && kind == "Condition";
    if ((kind != type && !finding_as_condition) || !names(r, fact)) continue;
    if (negative) {
      if (asserts(r) && matches(r, fact, principal_ref)) return false;
    } else if (matches(r, fact, principal_ref)) {
      return true;
    }
  }
  return negative;
}

std::string patient_problem(const FhirJson& bundle, const FhirJson& expected) {
  std::string gender;
  double age = -1;
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    if (r.value("resourceType", "") == "Patient") gender = r.value("gender", "");
    if (r.value("resourceType", "") == "Observation" && has_coding(r.value("code", FhirJson::object()), "http://loinc.org|30525-0"))
      age = r["valueQuantity"].value("value", -1.0);
  }
  if (gender != expected.at("gender").get<std::string>()) return "patient gender is '" + gender + "'";
  if (!near(age, expected.at("age").get<double>())) return "patient age is " + std::to_string(age);
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expected_facts)

BOOST_AUTO_TEST_CASE(at_least_five_samples_have_expected_facts) {
  BOOST_TEST(samples_with_expected_facts().size() >= 5u);
}

BOOST_DATA_TEST_CASE(every_code_an_expected_fact_names_passes_its_check_digit, data::make(samples_with_expected_facts()), name) {
  const FhirJson expected = FhirJson::parse(read_text_file(source_dir() / "samples" / (name + ".expected.json")));
  for (const auto& fact : expected.at("facts")) {
    if (!fact.contains("code")) continue;
    const std::string coding = fact["code"].get<std::string>();
    const auto bar = coding.find('|');
    const std::string system = coding.substr(0, bar), code = coding.substr(bar + 1);
    if (system == "http://loinc.org") BOOST_TEST(mapping::loinc_check_valid(code), name << ": " << coding);
    else if (system == "http://hl7.org/fhir/sid/icd-10-cm") BOOST_TEST(mapping::icd10cm_format_valid(code), name << ": " << coding);
    else if (system == "http://snomed.info/sct") BOOST_TEST(mapping::verhoeff_valid(code), name << ": " << coding);
    else BOOST_TEST(false, name << ": a code system the checks do not know: " << coding);
  }
}

BOOST_DATA_TEST_CASE(each_fact_of_the_sample_holds_unless_marked_open, data::make(samples_with_expected_facts()), name) {
  const fs::path dir = source_dir() / "samples";
  const FhirJson expected = FhirJson::parse(read_text_file(dir / (name + ".expected.json")));
  const Conversion c = Converter(default_mappings()).convert(read_text_file(dir / (name + ".txt")), name + ".txt");
  const FhirJson bundle = FhirJson::parse(c.bundle);

  const std::string patient = patient_problem(bundle, expected.at("patient"));
  BOOST_TEST(patient.empty(), name << ": " << patient);

  std::size_t held = 0, open = 0;
  const auto& facts = expected.at("facts");
  for (const auto& fact : facts) {
    const bool ok = holds(bundle, fact);
    if (ok) ++held;
    if (fact.contains("open")) {
      ++open;
      BOOST_TEST(!ok, name << ": a fact marked open now holds; remove its \"open\" mark: " << fact.dump());
    } else {
      BOOST_TEST(ok, name << ": expected fact does not hold: " << fact.dump());
    }
  }
  BOOST_TEST_MESSAGE(name << ": " << held << " of " << facts.size() << " expected facts hold (" << open << " marked open)");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
