// Case series: visible MACCROBAT reports joined two or three at a time under "Case 1", "Case 2",
// "Case 3" headings, with a discussion after them. Each case must come out as its own Patient with
// the age, sex and facts its report gives alone; --split-cases gives one Bundle per case.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "readers/file.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace casefhir;
using namespace casefhir::test;

namespace {

struct PatientView {
  std::string sex;
  double age = -1;
  std::set<std::tuple<std::string, std::string, std::string>> facts;   // type, first code, verification
};

// Per Patient (by reference), what a clinician compares.
std::map<std::string, PatientView> patients_of(const std::string& bundle) {
  std::map<std::string, PatientView> out;
  const FhirJson b = FhirJson::parse(bundle);
  for (const auto& e : b["entry"]) {
    const FhirJson& r = e["resource"];
    if (r["resourceType"] == "Patient") out[e["fullUrl"].get<std::string>()].sex = member(r, "gender");
  }
  for (const auto& e : b["entry"]) {
    const FhirJson& r = e["resource"];
    const std::string type = r["resourceType"];
    if ((type != "Condition" && type != "Observation" && type != "Procedure") || !r.contains("subject")) continue;
    PatientView& p = out[r["subject"]["reference"].get<std::string>()];
    const std::string code = r["code"].contains("coding") ? r["code"]["coding"][0]["code"].get<std::string>() : member(r["code"], "text");
    if (code == "30525-0") p.age = r["valueQuantity"]["value"];
    const std::string status = r.contains("verificationStatus") ? r["verificationStatus"]["coding"][0]["code"].get<std::string>() : "";
    p.facts.insert({type, code, status});
  }
  return out;
}

// The visible MACCROBAT reports, in name order (none when the corpus is absent).
std::vector<fs::path> maccrobat_reports() {
  const fs::path dir = shared_dir() / "eval" / "maccrobat" / "MACCROBAT2020";
  std::vector<fs::path> reports;
  if (!fs::is_directory(dir)) {
    BOOST_TEST_MESSAGE("MACCROBAT is absent: skipped");
    if (const char* r = std::getenv("CASEFHIR_REQUIRE_SHARED"); r && std::string(r) != "0") BOOST_ERROR("CASEFHIR_REQUIRE_SHARED is set but " << dir << " is absent");
    return reports;
  }
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".txt") reports.push_back(e.path());
  std::sort(reports.begin(), reports.end());
  return reports;
}

// Joins the texts as one series (join(k, text) gives case k's part, 0-based) and checks that each
// case's Patient has the sex and age its report gives alone, and most of its facts.
struct SeriesScore {
  std::size_t cases = 0, right_patient = 0, facts = 0, kept = 0;
};

void check_series(const std::vector<std::string>& texts, const std::function<std::string(std::size_t, const std::string&)>& join,
                  SeriesScore& score) {
  const Converter converter(default_mappings());
  ConvertOptions split;
  split.split_cases = true;
  const Converter splitter(default_mappings(), split);
  const std::size_t n = texts.size();
  std::string series = "Introduction\nWe describe " + std::to_string(n) + " patients seen at our hospital.\n\n";
  std::vector<PatientView> alone;
  for (std::size_t k = 0; k < n; ++k) {
    series += join(k, texts[k]) + "\n\n";
    const auto one = patients_of(converter.convert(texts[k], "one.txt").bundle);
    BOOST_REQUIRE_EQUAL(one.size(), 1u);
    alone.push_back(one.begin()->second);
  }
  series += "Discussion\nThese cases show how varied the presentation can be.\n";
  const Conversion c = converter.convert(series, "series.txt");
  BOOST_CHECK_EQUAL(c.cases.size(), n);
  const auto together = patients_of(c.bundle);
  BOOST_CHECK_EQUAL(together.size(), n);
  for (std::size_t k = 0; k < n; ++k) {
    // the Patient whose facts overlap report k most
    const PatientView* best = nullptr;
    std::size_t best_common = 0;
    for (const auto& [ref, p] : together) {
      std::size_t common = 0;
      for (const auto& f : alone[k].facts) common += p.facts.count(f);
      if (!best || common > best_common) best = &p, best_common = common;
    }
    ++score.cases;
    if (best && best->sex == alone[k].sex && best->age == alone[k].age) ++score.right_patient;
    score.facts += alone[k].facts.size();
    score.kept += best_common;
  }
  // --split-cases: one Bundle per case, each with one Patient.
  const auto parts = splitter.convert_all(series, "series.txt");
  BOOST_CHECK_EQUAL(parts.size(), n);
  for (const auto& part : parts) BOOST_CHECK_EQUAL(patients_of(part.bundle).size(), 1u);
}

void report(const char* what, const SeriesScore& s) {
  BOOST_TEST_MESSAGE(what << ": " << s.right_patient << " of " << s.cases << " cases with their report's sex and age; " << s.kept << " of "
                          << s.facts << " facts on the right Patient");
  BOOST_CHECK_GT(s.cases, 0u);
  BOOST_CHECK_EQUAL(s.right_patient, s.cases);
  BOOST_CHECK_GE(static_cast<double>(s.kept), 0.9 * static_cast<double>(s.facts));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(case_series)

BOOST_AUTO_TEST_CASE(joined_maccrobat_reports_give_one_patient_per_case) {
  std::vector<fs::path> reports = maccrobat_reports();
  if (reports.empty()) return;
  reports.resize(std::min<std::size_t>(reports.size(), 30));
  SeriesScore score;
  for (std::size_t i = 0; i < reports.size();) {
    const std::size_t n = (i / 5) % 2 == 0 ? 2 : 3;   // series of two and of three
    if (i + n > reports.size()) break;
    std::vector<std::string> texts;
    for (std::size_t k = 0; k < n; ++k) texts.push_back(*readers::read_file(reports[i + k]));
    check_series(texts, [](std::size_t k, const std::string& text) { return "Case " + std::to_string(k + 1) + "\n" + text; }, score);
    i += n;
  }
  report("case series under headings", score);
}

// No headings: "A 62-year-old man presented …" then "The second patient, a 45-year-old woman …".
// The reports used are the visible ones (after the 30 above) whose first sentence opens with "A" or
// "An", so that it reads on after "The second patient, ".
BOOST_AUTO_TEST_CASE(cases_told_apart_in_prose_give_one_patient_per_case) {
  std::vector<fs::path> reports = maccrobat_reports();
  if (reports.empty()) return;
  std::vector<std::string> usable;
  for (std::size_t i = 30; i < reports.size() && usable.size() < 30; ++i) {
    const std::optional<std::string> text = readers::read_file(reports[i]);
    BOOST_REQUIRE(text);
    const std::string_view opening = std::string_view(*text).substr(0, 3);
    if (opening.substr(0, 2) == "A " || opening == "An ") usable.push_back(*text);
  }
  static const char* const ordinals[] = {"first", "second", "third"};
  SeriesScore score;
  for (std::size_t i = 0; i < usable.size();) {
    const std::size_t n = (i / 5) % 2 == 0 ? 2 : 3;
    if (i + n > usable.size()) break;
    const std::vector<std::string> texts(usable.begin() + static_cast<std::ptrdiff_t>(i), usable.begin() + static_cast<std::ptrdiff_t>(i + n));
    check_series(texts,
                 [](std::size_t k, const std::string& text) {
                   if (k == 0) return "Case presentation\n" + text;   // the first case opens with its own words
                   return std::string("The ") + ordinals[k] + " patient, a" + text.substr(1);
                 },
                 score);
    i += n;
  }
  report("case series told apart in prose", score);
}

BOOST_AUTO_TEST_CASE(a_single_report_is_unchanged) {
  const std::string text =
      "Case report\nA 40-year-old woman presented with fever. Case 2 of our series is described elsewhere. The second case of this "
      "disease in a woman was reported in 1990.\n";
  const Converter converter(default_mappings());
  const Conversion c = converter.convert(text, "one.txt");
  BOOST_CHECK(c.cases.empty());
  BOOST_CHECK_EQUAL(patients_of(c.bundle).size(), 1u);
}

BOOST_AUTO_TEST_SUITE_END()
