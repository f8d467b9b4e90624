// eval/bioc.cpp — `casefhir eval bioc`: case reports in BioC JSON (the Ada Health corpus).
//
// Gold read from each document's passages: `condition` and `finding` annotations are the
// findings; a finding is negated when a `modifier` annotation that `modifies` it is a negation cue
// (no, not, without, negative, denied, …; "normal" and values are not); `factor` annotations give
// the age ("42-year-old") and sex ("male").
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "casefhir/errors.h"
#include "eval/case_reports.h"
#include "readers/file.h"

namespace casefhir::eval {

namespace {

std::string lower_trim(std::string s) {
  for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  return s;
}

// The corpus's negation modifiers, by their words (the annotators' cue, not casefhir's lexicon).
bool is_negation_cue(const std::string& modifier) {
  const std::string m = lower_trim(modifier);
  static const char* cues[] = {"no", "not", "without", "negative", "were negative", "was negative", "denied", "denies",
                               "nor", "neither", "absent", "absence", "absence of", "no features", "no associated",
                               "no history", "no evidence", "no signs", "none", "free", "non-reactive", "ruled out",
                               "excluded", "negative or normal", "never"};
  return std::any_of(std::begin(cues), std::end(cues), [&](const char* c) { return m == c; });
}

bool looks_like_age(const std::string& text) {
  const std::string t = lower_trim(text);
  if (t.empty() || !(t[0] >= '0' && t[0] <= '9')) return false;
  return t.find("year") != std::string::npos || t.find("yr") != std::string::npos || t.find("month") != std::string::npos ||
         t.find("week") != std::string::npos || t.find("day") != std::string::npos;
}

// An infon of an annotation or relation ("" when absent; BioC allows an empty or missing infons).
std::string infon(const nlohmann::json& x, const char* key) {
  if (!x.contains("infons") || !x["infons"].is_object()) return {};
  return x["infons"].value(key, "");
}

}  // namespace

Report evaluate_bioc(const Converter& converter, const std::filesystem::path& file, const Options& options) {
  const auto content = readers::read_file(file);
  if (!content) throw Error(ErrorKind::input_missing, Location{file.string(), 0, 0, {}}, "cannot be read");
  nlohmann::json collection;
  try {
    collection = nlohmann::json::parse(*content);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorKind::input_malformed, Location{file.string(), 0, 0, {}}, std::string("not valid JSON: ") + e.what());
  }
  if (!collection.contains("documents") || !collection["documents"].is_array())
    throw Error(ErrorKind::input_malformed, Location{file.string(), 0, 0, "/documents"}, "a BioC collection needs a documents array");

  std::vector<GoldDocument> documents;
  std::size_t index = 0;
  for (const auto& d : collection["documents"]) {
    const std::string where = "/documents/" + std::to_string(index++);
    if (!d.contains("passages") || d["passages"].empty()) continue;
    const auto& passage = d["passages"][0];   // the corpus holds one passage per case report
    GoldDocument doc;
    doc.id = d.value("id", where);
    if (const auto slash = doc.id.find_last_of('/', doc.id.size() - 2); slash != std::string::npos)
      doc.id = doc.id.substr(slash + 1);
    while (!doc.id.empty() && doc.id.back() == '/') doc.id.pop_back();
    doc.text = passage.value("text", "");
    const std::uint32_t base = passage.value("offset", 0u);
    // References into the parsed document (value() would copy, and the pointers would dangle).
    static const nlohmann::json kNoItems = nlohmann::json::array();
    const nlohmann::json& annotations = passage.contains("annotations") ? passage["annotations"] : kNoItems;
    const nlohmann::json& relations = passage.contains("relations") ? passage["relations"] : kNoItems;
    std::map<std::string, const nlohmann::json*> by_id;
    for (const auto& a : annotations) by_id[a.value("id", "")] = &a;
    // Findings a negation modifier modifies.
    std::vector<std::string> negated;
    for (const auto& r : relations) {
      if (infon(r, "type") != "modifies") continue;
      std::string governor, dependent;
      for (const auto& n : r.value("nodes", nlohmann::json::array())) (n.value("role", "") == "Governor" ? governor : dependent) = n.value("refid", "");
      const auto g = by_id.find(governor);
      if (g != by_id.end() && infon(*g->second, "entityType") == "modifier" && is_negation_cue((*g->second).value("text", "")))
        negated.push_back(dependent);
    }
    std::uint32_t age_at = 0xFFFFFFFFu, sex_at = 0xFFFFFFFFu;
    for (const auto& a : annotations) {
      const std::string type = infon(a, "entityType");
      if (!a.contains("locations") || a["locations"].empty()) continue;
      const auto& loc = a["locations"].is_array() ? a["locations"][0] : a["locations"];
      const std::uint32_t begin = loc.value("offset", 0u) - base;
      const std::uint32_t end = begin + loc.value("length", 0u);
      const std::string text = a.value("text", "");
      if (type == "finding" || type == "condition") {
        const bool neg = std::find(negated.begin(), negated.end(), a.value("id", "")) != negated.end();
        doc.findings.push_back(GoldEntity{{GoldSpan{begin, end}}, type, text, neg, {}});
      } else if (type == "factor") {
        if (looks_like_age(text) && begin < age_at) {
          age_at = begin;
          doc.age_text = text;
        } else if (parse_sex(text) && lower_trim(text).size() <= 16 && begin < sex_at && text.find("history") == std::string::npos) {
          sex_at = begin;
          doc.sex_text = text;
        }
      }
    }
    std::sort(doc.findings.begin(), doc.findings.end(),
              [](const GoldEntity& x, const GoldEntity& y) { return x.spans[0].begin < y.spans[0].begin; });
    documents.push_back(std::move(doc));
  }
  if (documents.empty()) throw Error(ErrorKind::input_empty, Location{file.string(), 0, 0, {}}, "holds no documents");
  CorpusDescription corpus{"BioC case reports", file.string(), {"condition", "finding"}, false,
                           "gold negated = a negation modifier (no, not, without, negative, denied, …) modifies the finding"};
  if (!options.principal.empty()) attach_principal_diagnoses(options.principal, documents);
  return score_case_reports(converter, corpus, documents, options);
}

}  // namespace casefhir::eval
