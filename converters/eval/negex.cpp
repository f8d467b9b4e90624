// eval/negex.cpp — `casefhir eval negex`: the NegEx/ConText test kit.
//
// Each row is a sentence and one concept with gold negation, temporality and experiencer. The
// evaluation adds the row's concept to the mappings (kind disorder, so the concept is always
// known), converts the sentence the ordinary way, and reads the labels off what a user receives:
// the resource written for that concept (refuted → Negated; clinicalStatus inactive/resolved →
// Historical; FamilyMemberHistory → Other), else the statement the --report JSON lists as set
// aside (hypothetical → Not particular; another person's → Other). Nothing internal is read.
// When a longer term of the vocabulary covers the concept's words ("chest pain" inside "chest pain
// on exertion"), the resource written for those words is the concept's: the kit measures context,
// not vocabulary.
#include <algorithm>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "casefhir/converter.h"
#include "casefhir/errors.h"
#include "eval/bundle_view.h"
#include "eval/eval.h"
#include "eval/metrics.h"
#include "readers/file.h"

namespace casefhir::eval {

namespace {

constexpr const char* kRowSystem = "urn:casefhir:eval:negex";
constexpr const char* kRowConcept = "negex-row-concept";

struct Row {
  std::size_t line = 0;
  std::string concept_text;
  std::string sentence;
  std::string negation;      // Negated / Affirmed
  std::string temporality;   // Recent / Historical / Not particular
  std::string experiencer;   // Patient / Other (the kit's "Family member" and "Other")
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

std::vector<Row> read_rows(const std::filesystem::path& path) {
  const auto content = readers::read_file(path);
  if (!content) throw Error(ErrorKind::input_missing, Location{path.string(), 0, 0, {}}, "cannot be read");
  std::vector<Row> rows;
  std::istringstream in(*content);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 || trim(line).empty()) continue;   // header
    const auto cells = split_tabs(line);
    if (cells.size() < 6)
      throw Error(ErrorKind::input_malformed, Location{path.string(), number, 0, {}},
                  "expected 6 tab-separated columns, found " + std::to_string(cells.size()));
    Row r;
    r.line = number;
    r.concept_text = trim(cells[1]);
    r.sentence = cells[2];
    r.negation = trim(cells[3]);
    r.temporality = trim(cells[4]);
    r.experiencer = trim(cells[5]) == "Patient" ? "Patient" : "Other";
    rows.push_back(std::move(r));
  }
  if (rows.empty()) throw Error(ErrorKind::input_empty, Location{path.string(), 0, 0, {}}, "no rows");
  return rows;
}

std::string json_string(const std::string& s) { return nlohmann::json(s).dump(); }

struct Prediction {
  bool found = false;
  std::string negation = "Affirmed";
  std::string temporality = "Recent";
  std::string experiencer = "Patient";
  std::string how;   // what the output held, for --errors
};

// Where the concept's words stand in the sentence (ASCII, case-insensitive): [begin, end), or
// begin == end when the kit spells the concept otherwise.
std::pair<std::uint32_t, std::uint32_t> concept_span(const Row& row) {
  std::string sentence = row.sentence, term = row.concept_text;
  for (auto* s : {&sentence, &term})
    for (char& ch : *s) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  const auto at = term.empty() ? std::string::npos : sentence.find(term);
  if (at == std::string::npos) return {0, 0};
  return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + term.size())};
}

Prediction predict(const Conversion& c, const Mappings& mappings, std::pair<std::uint32_t, std::uint32_t> words) {
  Prediction p;
  const auto views = view_bundle(c.bundle, mappings);
  // The concept's words in code points, as the Bundle's derivation-reference offsets count.
  const std::uint32_t first = c.document.code_points.offset(words.first), last = c.document.code_points.offset(words.second);
  auto covers = [&](const ResourceView& v) {
    if (first == last) return false;
    if (v.type != "Condition" && v.type != "FamilyMemberHistory" && !(v.type == "Observation" && !v.presence.empty())) return false;
    return std::any_of(v.spans.begin(), v.spans.end(), [&](const SpanRef& s) { return s.overlaps(first, last); });
  };
  const bool coded = std::any_of(views.begin(), views.end(), [](const ResourceView& v) { return v.has_code(kRowSystem, "row"); });
  for (const auto& v : views) {
    if (coded ? !v.has_code(kRowSystem, "row") : !covers(v)) continue;
    p.found = true;
    if (v.type == "FamilyMemberHistory") {
      p.experiencer = "Other";
      p.how = "FamilyMemberHistory";
      return p;
    }
    p.how = v.type + " " + v.verification + "/" + v.clinical;
    if (v.negated()) p.negation = "Negated";
    if (!v.negated() && (v.clinical == "inactive" || v.clinical == "resolved" || v.clinical == "remission"))
      p.temporality = "Historical";
    return p;
  }
  // What the Bundle does not hold, the report (casefhir convert --report) says: read from its JSON,
  // as a user would, with offsets in code points.
  const nlohmann::json report = nlohmann::json::parse(conversion_report(c));
  const SpanRef on{c.document.code_points.offset(words.first),
                   c.document.code_points.offset(words.second) - c.document.code_points.offset(words.first)};
  for (const auto& s : report.at("set_aside")) {
    const auto offset = s.at("offset").get<std::uint32_t>();
    const bool on_words = on.length != 0 && on.overlaps(offset, offset + s.at("length").get<std::uint32_t>());
    if (s.at("concept").get<std::string>() != kRowConcept && !on_words) continue;
    const std::string reason = s.at("reason").get<std::string>();
    p.how = "set aside: " + reason;
    if (reason == "hypothetical") p.temporality = "Not particular";
    if (reason == "about another person" || reason.find("family") != std::string::npos) p.experiencer = "Other";
    if (reason == "negated family history") p.negation = "Negated";
    return p;
  }
  p.how = "no resource (concept not found in the sentence)";
  return p;
}

}  // namespace

Report evaluate_negex(const Converter& converter, const std::filesystem::path& tsv, const Options& options) {
  const std::vector<Row> rows = read_rows(tsv);
  Confusion negation, temporality, experiencer;
  std::size_t not_found = 0;
  std::string errors;
  // One extended mapping set per distinct concept text (many rows share a concept).
  std::map<std::string, Mappings> by_concept;
  for (const Row& row : rows) {
    auto it = by_concept.find(row.concept_text);
    if (it == by_concept.end()) {
      nlohmann::json file;
      file["concepts"] = nlohmann::json::array({{{"id", kRowConcept},
                                                 {"kind", "disorder"},
                                                 {"terms", {row.concept_text}},
                                                 {"codes", {{{"system", kRowSystem}, {"code", "row"}}}}}});
      it = by_concept.emplace(row.concept_text, converter.mappings().extended({{"negex row " + std::to_string(row.line), file.dump()}})).first;
    }
    const Converter row_converter(it->second, converter.options());
    Prediction p;
    try {
      p = predict(row_converter.convert(row.sentence, tsv.filename().string() + ":" + std::to_string(row.line)), it->second,
                  concept_span(row));
    } catch (const Error& e) {
      p.how = std::string("not converted: ") + e.what();
    }
    if (!p.found && p.how.rfind("set aside", 0) != 0) ++not_found;
    negation.add(row.negation, p.negation);
    temporality.add(row.temporality, p.temporality);
    experiencer.add(row.experiencer, p.experiencer);
    if (options.list_errors && (p.negation != row.negation || p.temporality != row.temporality || p.experiencer != row.experiencer)) {
      errors += "  line " + std::to_string(row.line) + ": concept " + json_string(row.concept_text) + "\n";
      errors += "    sentence: " + json_string(row.sentence) + "\n";
      errors += "    gold: " + row.negation + ", " + row.temporality + ", " + row.experiencer + "; output: " + p.negation + ", " +
                p.temporality + ", " + p.experiencer + " (" + p.how + ")\n";
    }
  }

  Report r;
  const Counts neg = negation.counts("Negated");
  const Counts aff = negation.counts("Affirmed");
  r.metrics["negation.accuracy"] = negation.accuracy();
  r.metrics["negation.negated.precision"] = neg.precision();
  r.metrics["negation.negated.recall"] = neg.recall();
  r.metrics["negation.negated.f1"] = neg.f1();
  r.metrics["negation.affirmed.f1"] = aff.f1();
  r.metrics["temporality.accuracy"] = temporality.accuracy();
  r.metrics["temporality.historical.f1"] = temporality.counts("Historical").f1();
  r.metrics["experiencer.accuracy"] = experiencer.accuracy();
  r.metrics["rows"] = static_cast<double>(rows.size());
  r.metrics["rows.concept_not_found"] = static_cast<double>(not_found);

  std::ostringstream t;
  t << "NegEx/ConText kit: " << tsv.string() << " (" << rows.size() << " rows; " << not_found
    << " rows where the concept was not found in the sentence)\n\n";
  t << "Negation (Negated = the concept's resource is refuted)\n";
  t << "  accuracy " << fixed(negation.accuracy()) << "\n";
  t << "  Negated:  precision " << fixed(neg.precision()) << "  recall " << fixed(neg.recall()) << "  F1 " << fixed(neg.f1()) << "\n";
  t << "  Affirmed: precision " << fixed(aff.precision()) << "  recall " << fixed(aff.recall()) << "  F1 " << fixed(aff.f1()) << "\n";
  t << negation.table({"Negated", "Affirmed"}) << "\n";
  t << "Temporality (Historical = clinicalStatus inactive/resolved; Not particular = set aside as hypothetical)\n";
  t << "  accuracy " << fixed(temporality.accuracy()) << "\n";
  for (const char* label : {"Recent", "Historical", "Not particular"}) {
    const Counts c = temporality.counts(label);
    t << "  " << label << ": precision " << fixed(c.precision()) << "  recall " << fixed(c.recall()) << "  F1 " << fixed(c.f1()) << "\n";
  }
  t << temporality.table({"Recent", "Historical", "Not particular"}) << "\n";
  t << "Experiencer (Other = FamilyMemberHistory, or set aside as another person's)\n";
  t << "  accuracy " << fixed(experiencer.accuracy()) << "\n";
  t << experiencer.table({"Patient", "Other"});
  if (options.list_errors) t << "\nRows where the output disagrees with the gold labels:\n" << errors;
  r.text = t.str();

  r.json["corpus"] = tsv.string();
  r.json["rows"] = rows.size();
  r.json["rows_concept_not_found"] = not_found;
  nlohmann::ordered_json metrics;
  for (const auto& [k, v] : r.metrics) metrics[k] = v;
  r.json["metrics"] = metrics;
  r.json["confusion"]["negation"] = negation.json();
  r.json["confusion"]["temporality"] = temporality.json();
  r.json["confusion"]["experiencer"] = experiencer.json();
  return r;
}

}  // namespace casefhir::eval
