// One resource per distinct fact (issue 8, item 6): the same concept at different places is
// different facts, each with its site; a site that locates another is the same place; sites that
// name something else ("the knee and ankle reflexes") are no finding's sites.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "nlp/stages.h"
#include "support.h"

namespace casefhir::test {
namespace {

// The sites (words as written) of each fact named `text`, one entry per fact.
std::vector<std::string> places_of(const CaseFacts& f, const std::string& text) {
  std::vector<std::string> out;
  for (const Fact& x : f.facts) {
    if (x.code.text != text) continue;
    std::string places;
    for (const BodySite& s : x.sites) places += (places.empty() ? "" : " + ") + s.text;
    out.push_back(places);
  }
  std::sort(out.begin(), out.end());
  return out;
}

using Places = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(one_resource_per_fact)

BOOST_AUTO_TEST_CASE(one_concept_at_listed_sites_is_one_fact_per_site) {
  BOOST_TEST(places_of(patient_facts_of("She had abscesses in the liver and the lung."), "abscesses") == (Places{"liver", "lung"}),
             boost::test_tools::per_element());
  BOOST_TEST(places_of(patient_facts_of("She had pain in the right knee and the left shoulder."), "pain") ==
                 (Places{"left shoulder", "right knee"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_later_mention_at_one_of_the_places_joins_that_fact) {
  const CaseFacts f = patient_facts_of("She had abscesses in the liver and the lung. The abscess in the lung was drained.");
  BOOST_TEST(places_of(f, "abscesses").size() == 2u);
  std::size_t lung = 0;
  for (const Fact& x : f.facts)
    if (x.code.text == "abscesses" && !x.sites.empty() && x.sites.front().text == "lung") {
      ++lung;
      BOOST_TEST(x.sources.size() == 2u, "the later mention joins the lung's abscess");
    }
  BOOST_TEST_REQUIRE(lung == 1u);
}

BOOST_AUTO_TEST_CASE(the_same_site_on_the_other_side_is_another_place) {
  const CaseFacts f = patient_facts_of("She had pain in the right knee and the left knee. The pain in the left knee improved.");
  BOOST_TEST(places_of(f, "pain") == (Places{"left knee", "right knee"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_site_that_locates_another_is_the_same_place) {
  const CaseFacts f = patient_facts_of("She had a tender lymph node measuring 2 cm in the left axilla.");
  BOOST_TEST(places_of(f, "tender").size() == 1u);
}

BOOST_AUTO_TEST_CASE(sites_that_name_something_else_are_no_findings_sites) {
  const CaseFacts f = patient_facts_of("There was symmetric weakness of the lower limbs, and the knee and ankle reflexes were absent.");
  BOOST_TEST(places_of(f, "weakness") == (Places{"lower limbs"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_symptom_the_patient_reports_is_no_exam_finding) {
  const Conversion c = convert_text("A 50-year-old woman complained of headache and denied nausea. "
                                    "Examination revealed neck stiffness.\n");
  const FhirJson bundle = FhirJson::parse(c.bundle);
  std::map<std::string, std::string> category;
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    if (r.value("resourceType", "") != "Observation" || !r.contains("code") || !r["code"].contains("text")) continue;
    category[r["code"]["text"].get<std::string>()] =
        r.contains("category") ? r["category"][0]["coding"][0]["code"].get<std::string>() : std::string("none");
  }
  BOOST_TEST(category["headache"] == "none");
  BOOST_TEST(category["nausea"] == "none");
  BOOST_TEST(category["neck stiffness"] == "exam");
}

// A text larger than a window read both ways: as convert reads it (a window at a time) and whole
// (every stage over all of it at once). Each fact as kind, concept, assertion, sites and sources.
std::multiset<std::string> facts_read(const CaseFacts& f) {
  std::multiset<std::string> out;
  for (const Fact& x : f.facts) {
    std::string k = std::to_string(static_cast<int>(x.code.kind)) + "|" + x.code.id + "|" + x.code.text + "|" +
                    std::string(to_string(x.assertion)) + "|";
    for (const BodySite& b : x.sites) k += b.site.id + (b.laterality ? "/" + b.laterality->id : "") + ",";
    for (const SourceRef& r : x.sources) k += std::to_string(r.span.begin) + ",";
    out.insert(k);
  }
  return out;
}

void read_both_ways_alike(const std::string& text) {
  BOOST_REQUIRE(text.size() > nlp::kWindowBytes);
  const Conversion windowed = convert_text(text);
  SourceDocument doc = read_text(text, "whole.txt");
  nlp::Annotations a;
  nlp::annotate(doc, default_mappings().compiled(), a);
  const CaseFacts whole = nlp::facts_from_text(doc, a, default_mappings().compiled());
  BOOST_TEST(facts_read(windowed.facts) == facts_read(whole), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_window_is_not_cut_inside_a_sentence) {
  // Lines ending "\r\n" and no blank line: a cut after "denied" would leave the fever, cough and
  // chest pain present in the next window.
  const std::string line = "A 40-year-old woman presented with a rash. She denied\r\nfever, cough or chest pain.\r\n";
  const std::size_t denied_end = line.find("denied\r\n") + 8;
  // Spaces first, so that a "denied\r\n" ends right before the window's limit: the last line break.
  std::string text((nlp::kWindowBytes - 1 - denied_end) % line.size(), ' ');
  while (text.size() < nlp::kWindowBytes + 4096) text += line;
  read_both_ways_alike(text);
  for (const Fact& f : convert_text(text).facts.facts)
    if (f.code.id == "fever" || f.code.id == "cough") BOOST_TEST(to_string(f.assertion) == "absent");
}

BOOST_AUTO_TEST_CASE(a_later_windows_mention_at_a_known_place_joins_that_places_fact) {
  // The knee's pain and the shoulder's pain stay two facts, each with its own mentions.
  std::string text = "A 40-year-old woman presented with pain in the right knee. She also had pain in the left shoulder.\n\n";
  while (text.size() < nlp::kWindowBytes + 4096) text += "The clinic was busy that week and the staff worked long hours.\n\n";
  text += "The pain in the left shoulder worsened. The pain in the right knee improved.\n";
  read_both_ways_alike(text);
}

BOOST_AUTO_TEST_CASE(a_report_larger_than_a_window_keeps_the_facts_and_every_source) {
  // A text larger than nlp::kWindowBytes is read a window at a time. One report repeated across
  // three windows gives the facts of one copy (merged across windows), every mention's source,
  // each pointing at its own words in the whole text.
  const std::string one = read_text_file(source_dir() / "samples" / "pernicious-anaemia.txt") + "\n\n";
  std::string many;
  std::size_t copies = 0;
  for (; many.size() <= 2 * nlp::kWindowBytes; ++copies) many += one;
  const Conversion single = convert_text(one);
  const Conversion whole = convert_text(many);
  auto kinds = [](const CaseFacts& f) {
    std::set<std::string> out;
    for (const Fact& x : f.facts) out.insert(std::to_string(static_cast<int>(x.code.kind)) + "|" + x.code.id + "|" + x.code.text + "|" +
                                             std::string(to_string(x.assertion)));
    return out;
  };
  BOOST_TEST(kinds(whole.facts) == kinds(single.facts), boost::test_tools::per_element());
  auto sources = [](const CaseFacts& f) {
    std::size_t n = 0;
    for (const Fact& x : f.facts) n += x.sources.size();
    return n;
  };
  BOOST_TEST(sources(whole.facts) == copies * sources(single.facts));
  BOOST_TEST(whole.facts.set_aside.size() == copies * single.facts.set_aside.size());
  BOOST_TEST(whole.facts.unmapped.size() == copies * single.facts.unmapped.size());
  std::size_t wrong = 0;
  for (const Fact& x : whole.facts.facts)
    for (const SourceRef& s : x.sources)
      if (s.span.empty() || whole.document.view(s.span) != std::string_view(one).substr(s.span.begin % one.size(), s.span.size())) ++wrong;
  BOOST_TEST(wrong == 0u, wrong << " sources point at other words");
  BOOST_TEST(whole.facts.principal_diagnosis.has_value());
  BOOST_TEST((whole.facts.patient.gender == single.facts.patient.gender));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
