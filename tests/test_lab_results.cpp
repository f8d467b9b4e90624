// Lab results wherever reports put them (issue 8 item 1): values given in order, values before
// their analyte, titres, signs, results of tests the mappings know only as procedures or not at
// all, and what is not a result (targets, doses). Checked on the Observations a user receives.
#include <boost/test/unit_test.hpp>

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
    if (r["resourceType"] != "Observation" || r["code"].value("text", "") == "Age") continue;
    Obs o;
    o.text = r["code"].value("text", "");
    if (r["code"].contains("coding")) o.loinc = r["code"]["coding"][0]["code"].get<std::string>();
    if (r.contains("valueQuantity")) {
      o.value = r["valueQuantity"]["value"].dump();
      o.unit = r["valueQuantity"].value("code", "");
    }
    if (r.contains("interpretation")) o.interpretation = r["interpretation"][0]["coding"][0]["code"].get<std::string>();
    if (r.contains("category")) o.category = r["category"][0]["coding"][0]["code"].get<std::string>();
    o.resource = r;
    out.push_back(std::move(o));
  }
  return out;
}

const Obs* find(const std::vector<Obs>& all, const std::string& text) {
  for (const Obs& o : all)
    if (o.text == text) return &o;
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lab_results)

BOOST_AUTO_TEST_CASE(analytes_listed_before_their_values_take_them_in_order) {
  const auto all = observations("Sodium, potassium and chloride were 131, 3.2 and 98 mmol/L.");
  const Obs* na = find(all, "Sodium");
  const Obs* k = find(all, "potassium");
  const Obs* cl = find(all, "chloride");
  BOOST_REQUIRE(na && k && cl);
  BOOST_TEST(na->value == "131");
  BOOST_TEST(k->value == "3.2");
  BOOST_TEST(cl->value == "98");
  BOOST_TEST(cl->unit == "mmol/L", "the unit written once after the last value is every value's");
  BOOST_TEST(na->loinc == "2951-2");
}

BOOST_AUTO_TEST_CASE(respectively_pairs_a_shared_name_with_the_analyte_the_mappings_know) {
  const auto all = observations("Total and direct bilirubin were 4.1 and 2.9 mg/dL, respectively.");
  const Obs* total = find(all, "Total and direct bilirubin");
  const Obs* direct = find(all, "direct bilirubin");
  BOOST_REQUIRE(total && direct);
  BOOST_TEST(total->loinc == "1975-2", "\"Total … bilirubin\" is total bilirubin");
  BOOST_TEST(total->value == "4.1");
  BOOST_TEST(direct->loinc == "1968-7");
  BOOST_TEST(direct->value == "2.9");
}

BOOST_AUTO_TEST_CASE(one_analyte_with_several_values_respectively_has_each) {
  const auto all = observations("Serum and urine amylase were 386 and 928 U/L, respectively.");
  std::vector<std::string> values;
  for (const Obs& o : all)
    if (o.loinc == "1798-8") values.push_back(o.value);
  BOOST_TEST(values == (std::vector<std::string>{"386", "928"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_list_of_values_that_does_not_match_the_analytes_pairs_nothing) {
  const auto all = observations("Sodium and potassium were 131, 3.2 and 98 mmol/L.");
  for (const Obs& o : all) BOOST_TEST(o.value.empty(), o.text << " took " << o.value << " from a list it cannot be paired with");
}

BOOST_AUTO_TEST_CASE(a_value_written_before_its_analyte_is_its_value) {
  const auto all = observations("The white cell count was 12.1 x 10^9/L with 87% neutrophils.");
  const Obs* n = find(all, "neutrophils");
  BOOST_REQUIRE(n);
  BOOST_TEST(n->value == "87");
  BOOST_TEST(n->unit == "%");
}

BOOST_AUTO_TEST_CASE(an_interpretation_after_and_belongs_to_the_next_analyte) {
  const auto all = observations("There was a leukocytosis with 97.4% neutrophils, and elevated procalcitonin of 5.16 ng/mL.");
  const Obs* n = find(all, "neutrophils");
  const Obs* pct = find(all, "procalcitonin");
  BOOST_REQUIRE(n && pct);
  BOOST_TEST(n->interpretation == "", "\"elevated\" is procalcitonin's");
  BOOST_TEST(pct->interpretation == "H");
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

BOOST_AUTO_TEST_CASE(a_sign_in_brackets_is_a_positive_or_negative_result) {
  const auto all = observations("Serum CRP (+) was noted.");
  const Obs* crp = find(all, "CRP");
  BOOST_REQUIRE(crp);
  BOOST_TEST(crp->interpretation == "POS");
}

BOOST_AUTO_TEST_CASE(an_analyte_without_a_mapping_is_kept_with_its_words_and_value) {
  const auto all = observations("Her beta-D glucan was 370.8 pg/mL (normal < 20 pg/mL).");
  const Obs* g = find(all, "beta-D glucan");
  BOOST_REQUIRE(g);
  BOOST_TEST(g->loinc == "", "no code is invented");
  BOOST_TEST(g->value == "370.8");
  BOOST_TEST(g->unit == "pg/mL");
  BOOST_TEST(g->interpretation == "H", "interpreted from the range the report states");
  BOOST_TEST(g->category == "laboratory", "a concentration is measured in a specimen");
  BOOST_REQUIRE(g->resource.contains("referenceRange"));
}

BOOST_AUTO_TEST_CASE(an_uncoded_result_is_listed_in_the_report) {
  const auto dir = temp_dir("lab-report");
  write_text_file(dir / "in.txt", "A 50-year-old man. His ejection fraction was 35%.\n");
  const RunResult r = run_casefhir({"convert", (dir / "in.txt").string(), "--report", (dir / "report.json").string(), "-o",
                                    (dir / "out.json").string()});
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  const FhirJson report = FhirJson::parse(read_text_file(dir / "report.json"));
  BOOST_REQUIRE_EQUAL(report["uncoded_results"].size(), 1u);
  BOOST_TEST(report["uncoded_results"][0]["text"] == "ejection fraction");
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
  const Obs* c = find(all, "Blood cultures");
  BOOST_REQUIRE(c);
  BOOST_TEST(c->interpretation == "NEG");
  BOOST_TEST(c->value == "");
}

BOOST_AUTO_TEST_CASE(each_test_of_a_list_before_the_result_has_it) {
  const auto all = observations("Blood counts and serum chemistries were found to be normal.");
  BOOST_REQUIRE(find(all, "Blood counts"));
  BOOST_REQUIRE(find(all, "serum chemistries"));
  BOOST_TEST(find(all, "Blood counts")->interpretation == "N");
  BOOST_TEST(find(all, "serum chemistries")->interpretation == "N");
}

BOOST_AUTO_TEST_CASE(a_disease_named_as_a_serology_is_a_test_result_not_a_diagnosis) {
  const Conversion c = convert_text("A 40-year-old man. HIV and HHV-8 serology were negative.\n");
  const FhirJson bundle = FhirJson::parse(c.bundle);
  for (const auto& e : bundle["entry"])
    BOOST_TEST(e["resource"]["resourceType"] != "Condition", "no Condition from a serology: " << e["resource"].dump());
  const auto all = observations("HIV and HHV-8 serology were negative.");
  BOOST_REQUIRE(find(all, "HIV"));
  BOOST_REQUIRE(find(all, "HHV-8 serology"));
  BOOST_TEST(find(all, "HIV")->interpretation == "NEG");
}

BOOST_AUTO_TEST_CASE(markers_after_positive_for_each_have_the_result) {
  const auto all = observations("The tumour cells were positive for S-100, Melan-A and vimentin, but negative for cytokeratin 7.");
  for (const char* marker : {"S-100", "Melan-A", "vimentin"}) {
    BOOST_REQUIRE_MESSAGE(find(all, marker), marker);
    BOOST_TEST(find(all, marker)->interpretation == "POS", marker);
  }
  BOOST_REQUIRE(find(all, "cytokeratin 7"));
  BOOST_TEST(find(all, "cytokeratin 7")->interpretation == "NEG");
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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
