// eval/jats.cpp — `casefhir eval jats FILE --expected JSON`: JATS articles through casefhir, against
// what a person read in each (tests/data/jats-visible-expected.json): whether the article reports
// a case (a Bundle) or not (none); for a case report, the Patient's sex and age, the diagnosis as a
// patient Condition, and the laboratory values its text states as Observations.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "casefhir/errors.h"
#include "eval/eval.h"
#include "readers/file.h"
#include "nlp/tokens.h"

namespace casefhir::eval {

namespace {

using Json = nlohmann::json;

// The words a resource's code is known by: its text and every coding's display, lower case.
std::string words_of(const Json& code) {
  std::string w = nlp::ascii_lower(code.value("text", ""));
  for (const Json& c : code.value("coding", Json::array())) w += " " + nlp::ascii_lower(c.value("display", ""));
  return w;
}

std::string pmcid_of(const Conversion& c) {
  for (const Identifier& i : c.document.identifiers)
    if (i.system == "https://www.ncbi.nlm.nih.gov/pmc") return i.value;
  return "";
}

struct Counts {
  std::size_t articles = 0, kind_right = 0;
  std::size_t sex = 0, sex_right = 0, age = 0, age_right = 0, diagnosis = 0, diagnosis_found = 0, labs = 0, labs_found = 0;
};

}  // namespace

Report evaluate_jats(const Converter& converter, const std::filesystem::path& file, const Options& options) {
  if (options.expected.empty()) throw Error(ErrorKind::usage, {}, "eval jats needs --expected FILE (what each article is about)");
  const auto expected_text = readers::read_file(options.expected);
  if (!expected_text) throw Error(ErrorKind::input_missing, Location{options.expected.string(), 0, 0, {}}, "cannot be read");
  Json expected;
  try {
    expected = Json::parse(*expected_text).at("articles");
  } catch (const Json::exception& e) {
    throw Error(ErrorKind::input_malformed, Location{options.expected.string(), 0, 0, {}}, std::string("not the expected form: ") + e.what());
  }
  const auto bytes = readers::read_file(file);
  if (!bytes) throw Error(ErrorKind::input_missing, Location{file.string(), 0, 0, {}}, "cannot be read");
  const std::vector<Conversion> all = converter.convert_all(*bytes, file.string());

  Counts n;
  std::ostringstream misses;
  Json per_article = Json::array();
  for (const Conversion& c : all) {
    const std::string id = pmcid_of(c);
    if (!expected.contains(id)) continue;
    const Json& want = expected[id];
    ++n.articles;
    const bool is_case = want.value("case_report", false);
    const bool converted = c.not_converted.empty();
    if (is_case == converted) ++n.kind_right;
    else misses << id << ": " << (is_case ? "a case report with no Bundle (" + c.not_converted + ")" : "not a case report, but a Bundle") << "\n";
    Json row = {{"article", id}, {"case_report", is_case}, {"bundle", converted}};
    if (!is_case || !converted) {
      per_article.push_back(row);
      continue;
    }
    const Json bundle = Json::parse(c.bundle);
    std::string gender;
    double age = -1;
    std::vector<const Json*> conditions, observations;
    for (const Json& e : bundle.at("entry")) {
      const Json& r = e.at("resource");
      const std::string type = r.value("resourceType", "");
      if (type == "Patient") gender = r.value("gender", "");
      if (type == "Condition") conditions.push_back(&r);
      if (type == "Observation") {
        observations.push_back(&r);
        for (const Json& coding : r["code"].value("coding", Json::array()))
          if (coding.value("code", "") == "30525-0" && r.contains("valueQuantity")) age = r["valueQuantity"].value("value", -1.0);
      }
    }
    if (want.contains("sex") && want["sex"].is_string()) {
      ++n.sex;
      if (gender == want["sex"].get<std::string>()) ++n.sex_right;
      else misses << id << ": sex " << (gender.empty() ? "(none)" : gender) << ", expected " << want["sex"].get<std::string>() << "\n";
    }
    if (want.contains("age") && want["age"].is_number()) {
      ++n.age;
      if (std::fabs(age - want["age"].get<double>()) < 0.5) ++n.age_right;
      else misses << id << ": age " << (age < 0 ? std::string("(none)") : std::to_string(age)) << ", expected " << want["age"].get<double>() << "\n";
    }
    bool diagnosis = false;
    if (want.contains("diagnosis")) {
      ++n.diagnosis;
      for (const Json* r : conditions) {
        if (r->value("verificationStatus", Json::object()).value("coding", Json::array()).empty()) continue;
        const std::string status = (*r)["verificationStatus"]["coding"][0].value("code", "");
        if (status == "refuted" || status == "entered-in-error") continue;
        const std::string words = words_of((*r)["code"]);
        for (const Json& w : want["diagnosis"])
          if (words.find(w.get<std::string>()) != std::string::npos) diagnosis = true;
      }
      if (diagnosis) ++n.diagnosis_found;
      else misses << id << ": no patient Condition for the diagnosis (" << want["diagnosis"].dump() << ")\n";
    }
    std::size_t labs_found = 0;
    for (const Json& lab : want.value("labs", Json::array())) {
      ++n.labs;
      const std::string words = lab.at(0).get<std::string>();
      const double value = lab.at(1).get<double>();
      const bool found = std::any_of(observations.begin(), observations.end(), [&](const Json* r) {
        return r->contains("valueQuantity") && std::fabs((*r)["valueQuantity"].value("value", static_cast<double>(NAN)) - value) < 1e-9 &&
               words_of((*r)["code"]).find(words) != std::string::npos;
      });
      if (found) ++labs_found;
      else misses << id << ": no Observation \"" << words << "\" with value " << value << "\n";
    }
    n.labs_found += labs_found;
    row["sex"] = gender;
    row["age"] = age;
    row["diagnosis_found"] = diagnosis;
    row["labs_found"] = labs_found;
    per_article.push_back(row);
  }
  auto ratio = [](std::size_t a, std::size_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); };
  Report r;
  r.metrics["articles"] = static_cast<double>(n.articles);
  r.metrics["kind.accuracy"] = ratio(n.kind_right, n.articles);
  r.metrics["sex.accuracy"] = ratio(n.sex_right, n.sex);
  r.metrics["age.accuracy"] = ratio(n.age_right, n.age);
  r.metrics["diagnosis.recall"] = ratio(n.diagnosis_found, n.diagnosis);
  r.metrics["labs.recall"] = ratio(n.labs_found, n.labs);
  r.json["articles"] = per_article;
  r.json["metrics"] = r.metrics;
  std::ostringstream t;
  t << "JATS articles: " << n.articles << " with expectations, of " << all.size() << " in the file\n";
  t << "  case report or not (a Bundle, or none):  " << n.kind_right << " of " << n.articles << "\n";
  t << "  Patient's sex:                           " << n.sex_right << " of " << n.sex << "\n";
  t << "  Patient's age:                           " << n.age_right << " of " << n.age << "\n";
  t << "  diagnosis as a patient Condition:        " << n.diagnosis_found << " of " << n.diagnosis << "\n";
  t << "  laboratory values stated in the text:    " << n.labs_found << " of " << n.labs << "\n";
  if (options.list_errors) t << misses.str();
  r.text = t.str();
  return r;
}

}  // namespace casefhir::eval
