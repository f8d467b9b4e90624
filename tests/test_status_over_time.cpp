// Status over time (issue 8, item 5): a past condition that is treated now is active; the dates a
// report writes reach the facts they date, at the precision written; a diagnosis takes no body site
// from findings spread over the body.
#include <boost/test/unit_test.hpp>

#include <map>

#include "support.h"

namespace casefhir::test {
namespace {

std::string date_of(const Fact& f) { return f.date ? f.date->iso : std::string("none"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(status_over_time)

BOOST_AUTO_TEST_CASE(a_history_on_treatment_now_is_current_and_a_dated_past_episode_is_not) {
  const CaseFacts f = patient_facts_of("She had a history of hypertension, on amlodipine, and of cholecystitis in 2015.");
  BOOST_TEST((fact_named(f, "hypertension").temporality == Temporality::current));
  BOOST_TEST((fact_named(f, "cholecystitis").temporality == Temporality::historical));
}

BOOST_AUTO_TEST_CASE(what_resolved_is_the_part_not_the_disease_it_is_part_of) {
  const CaseFacts f = patient_facts_of("She has sarcoidosis. The cutaneous manifestations of sarcoidosis resolved with steroids.");
  BOOST_TEST((fact_named(f, "sarcoidosis").temporality == Temporality::current), "its manifestations resolved, not the disease");
  const CaseFacts g = patient_facts_of("She had pneumonia, which resolved with antibiotics.");
  BOOST_TEST((fact_named(g, "pneumonia").temporality == Temporality::resolved), "without a part, the disease itself resolved");
}

BOOST_AUTO_TEST_CASE(a_resolved_condition_says_how_it_ended_and_where) {
  // An EHR reading the Condition sees that it ended and which words say so: the mention before
  // them ("showed a left pleural effusion") was present when it was written.
  const std::string text = "A 50-year-old woman. Chest X-ray showed a left pleural effusion. After drainage, the pleural effusion resolved.";
  const Conversion c = convert_text(text);
  const FhirJson bundle = FhirJson::parse(c.bundle);
  bool seen = false;
  for (const auto& entry : bundle["entry"]) {
    const FhirJson& r = entry["resource"];
    if (member(r, "resourceType") != "Condition") continue;
    seen = true;
    BOOST_TEST(member(r["clinicalStatus"]["coding"][0], "code") == "resolved");
    BOOST_TEST(member(r, "abatementString") == "resolved");
    BOOST_REQUIRE(r.contains("_abatementString"));
    const FhirJson& reference = r["_abatementString"]["extension"][0];
    BOOST_TEST(member(reference, "url") == "http://hl7.org/fhir/StructureDefinition/derivation-reference");
    std::size_t offset = 0, length = 0;
    for (const auto& x : reference["extension"]) {
      if (member(x, "url") == "offset") offset = x["valueInteger"].get<std::size_t>();
      if (member(x, "url") == "length") length = x["valueInteger"].get<std::size_t>();
    }
    BOOST_TEST(text.substr(offset, length) == "resolved");
  }
  BOOST_TEST(seen);
  // Still present: no abatement.
  const FhirJson current = FhirJson::parse(convert_text("A 50-year-old woman. Chest X-ray showed a left pleural effusion.").bundle);
  for (const auto& entry : current["entry"]) BOOST_TEST(!entry["resource"].contains("abatementString"));
}

BOOST_AUTO_TEST_CASE(on_of_a_time_or_a_test_is_not_a_treatment) {
  for (const char* text : {"She had a history of stroke on the left side.", "She had a history of stroke on admission.",
                           "She had a history of stroke on examination."}) {
    const CaseFacts f = patient_facts_of(text);
    BOOST_TEST((fact_named(f, "stroke").temporality == Temporality::historical), text);
  }
}

BOOST_AUTO_TEST_CASE(a_date_dates_the_current_facts_of_its_sentence_at_the_precision_written) {
  const CaseFacts f = patient_facts_of("She presented on 3 May 2021 with epigastric pain and vomiting.");
  BOOST_TEST(date_of(fact_named(f, "epigastric pain")) == "2021-05-03");
  BOOST_TEST(date_of(fact_named(f, "vomiting")) == "2021-05-03");
  BOOST_TEST(date_of(fact_named(patient_facts_of("She was admitted in June 2023 with weakness."), "weakness")) == "2023-06");
  BOOST_TEST(date_of(fact_named(patient_facts_of("CT was performed on 2021-05-05."), "CT")) == "2021-05-05");
  BOOST_TEST(date_of(fact_named(patient_facts_of("Surgery was done on March 12, 2019."), "Surgery")) == "2019-03-12");
}

BOOST_AUTO_TEST_CASE(a_date_right_after_a_past_condition_is_its_onset_and_dates_nothing_else) {
  const CaseFacts f = patient_facts_of("She had a history of hypertension, on amlodipine, and of cholecystitis in 2015.");
  const Fact& past = fact_named(f, "cholecystitis");
  BOOST_TEST(date_of(past) == "2015");
  BOOST_TEST((past.date && past.date->onset));
  BOOST_TEST(date_of(fact_named(f, "hypertension")) == "none");
}

BOOST_AUTO_TEST_CASE(what_is_not_a_date_dates_nothing) {
  // No year, an impossible day, a count of patients, "may" the verb.
  for (const char* text : {"She presented on 3 May with vomiting.", "She presented on 31 February 2021 with vomiting.",
                           "In 2015 patients vomiting was common.", "She may 2021 have had vomiting."}) {
    const CaseFacts f = patient_facts_of(text);
    for (const Fact& x : f.facts) BOOST_TEST(!x.date, text << ": " << x.code.text << " dated " << date_of(x));
  }
}

BOOST_AUTO_TEST_CASE(the_bundle_writes_dates_where_each_resource_keeps_them) {
  const Conversion c = convert_text("A 50-year-old woman presented on 3 May 2021 with vomiting. She had a history of "
                                    "cholecystitis in 2015. CT was performed on 5 May 2021.\n");
  const FhirJson bundle = FhirJson::parse(c.bundle);
  std::map<std::string, std::string> when;
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    for (const char* field : {"effectiveDateTime", "onsetDateTime", "performedDateTime", "recordedDate"})
      if (r.contains(field)) when[member(r["code"], "text") + " " + field] = member(r, field);
  }
  BOOST_TEST(when["vomiting effectiveDateTime"] == "2021-05-03");
  BOOST_TEST(when["cholecystitis onsetDateTime"] == "2015");
  BOOST_TEST(when["CT performedDateTime"] == "2021-05-05");
}

BOOST_AUTO_TEST_CASE(a_diagnosis_takes_no_site_from_findings_spread_over_the_body) {
  const CaseFacts f = patient_facts_of("He had dark urine and muscle pain. Both thighs were tender. "
                               "He was diagnosed with acute kidney injury.");
  BOOST_TEST(fact_named(f, "acute kidney injury").sites.empty());
}

BOOST_AUTO_TEST_CASE(where_a_pain_radiates_is_not_its_site) {
  const CaseFacts f = patient_facts_of("She had severe epigastric pain radiating to the back.");
  BOOST_TEST(fact_named(f, "epigastric pain").sites.empty());
}

// "after-start 5 d", "after-end 2 wk", "procedure after-end 120 d", "after-end none", or "none".
std::string relative_of(const Fact& f) {
  if (!f.relative_time) return "none";
  const RelativeTime& t = *f.relative_time;
  std::string out = t.anchor == RelativeTime::Anchor::procedure ? "procedure after-end"
                    : t.anchor == RelativeTime::Anchor::stay_start ? "after-start" : "after-end";
  out += t.offset ? " " + t.offset->value_text + " " + t.offset->unit : std::string(" none");
  return out;
}

BOOST_AUTO_TEST_CASE(times_relative_to_the_stay_or_a_procedure_reach_the_facts_they_time) {
  const CaseFacts f = patient_facts_of("She presented with vomiting. On day 5, the creatinine was 1.4 mg/dL. At follow-up two "
                               "weeks later she had no pain. She underwent liver transplantation. On day 120 "
                               "post-transplantation, she complained of a cough. After eight weeks, she had fever.");
  BOOST_TEST(relative_of(fact_named(f, "creatinine")) == "after-start 5 d");
  BOOST_TEST(relative_of(fact_named(f, "pain")) == "after-end 2 wk");
  BOOST_TEST(relative_of(fact_named(f, "cough")) == "procedure after-end 120 d");
  BOOST_TEST(relative_of(fact_named(f, "transplantation")) == "none");   // what the time counts from
  // "After eight weeks" counts from the last time point given: 120 + 56 days after the transplant.
  BOOST_TEST(relative_of(fact_named(f, "fever")) == "procedure after-end 176 d");
  BOOST_TEST(relative_of(fact_named(f, "vomiting")) == "none");
}

BOOST_AUTO_TEST_CASE(a_time_after_a_procedure_named_later_or_earlier_counts_from_it) {
  const CaseFacts f = patient_facts_of("Fever developed 3 days after the appendectomy. On postoperative day 2, she had nausea.");
  BOOST_TEST(relative_of(fact_named(f, "Fever")) == "procedure after-end 3 d");
  BOOST_TEST(relative_of(fact_named(f, "nausea")) == "procedure after-end 2 d");
  const Fact& fever = fact_named(f, "Fever");
  BOOST_TEST_REQUIRE(fever.relative_time->procedure.has_value());
  BOOST_TEST(f.facts[*fever.relative_time->procedure].code.text == "appendectomy");
}

BOOST_AUTO_TEST_CASE(later_after_a_calendar_date_or_an_open_follow_up_is_not_written) {
  const CaseFacts f = patient_facts_of("On day 5 she had fever. On 12 May 2024 she had cough. Two weeks later she had nausea.");
  BOOST_TEST(relative_of(fact_named(f, "nausea")) == "none");
  const CaseFacts g = patient_facts_of("At follow-up she had cough. Two weeks later she had nausea.");
  BOOST_TEST(relative_of(fact_named(g, "cough")) == "after-end none");
  BOOST_TEST(relative_of(fact_named(g, "nausea")) == "none");
}

BOOST_AUTO_TEST_CASE(a_day_counted_from_something_not_named_is_not_written) {
  for (const char* text : {"Desquamation appeared on day 12 of illness.", "On day 3 after initiating chemotherapy, she had fever."}) {
    const CaseFacts f = patient_facts_of(text);
    for (const Fact& x : f.facts) BOOST_TEST(!x.relative_time, text << ": " << x.code.text << " " << relative_of(x));
  }
}

BOOST_AUTO_TEST_CASE(a_relative_time_is_written_as_cqf_relative_date_time_on_the_element_of_the_date) {
  const Conversion c = convert_text("A 50-year-old woman presented with vomiting. On day 5, she had fever.\n");
  const FhirJson bundle = FhirJson::parse(c.bundle);
  std::string encounter;
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"].get<std::string>() == "Encounter") encounter = e["fullUrl"].get<std::string>();
  BOOST_TEST_REQUIRE(!encounter.empty(), "a fact timed relative to the stay needs the stay's Encounter");
  bool found = false;
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    if (!r.contains("code") || r["code"].value("text", "") != "fever") continue;
    BOOST_TEST(!r.contains("effectiveDateTime"));
    BOOST_TEST_REQUIRE(r.contains("_effectiveDateTime"));
    const auto& x = r["_effectiveDateTime"]["extension"][0];
    BOOST_TEST(x["url"].get<std::string>() == "http://hl7.org/fhir/StructureDefinition/cqf-relativeDateTime");
    std::map<std::string, FhirJson> part;
    for (const auto& p : x["extension"]) part[p["url"].get<std::string>()] = p;
    BOOST_TEST(part["target"]["valueReference"]["reference"].get<std::string>() == encounter);
    BOOST_TEST(part["targetPath"]["valueString"].get<std::string>() == "period");
    BOOST_TEST(part["relationship"]["valueCode"].get<std::string>() == "after-start");
    BOOST_TEST(part["offset"]["valueDuration"]["value"].get<double>() == 5.0);
    BOOST_TEST(part["offset"]["valueDuration"]["code"].get<std::string>() == "d");
    found = true;
  }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
