// mapping/importers/fhir_valueset.cpp — a FHIR R4 ValueSet in JSON that lists its codes: the
// concepts of compose.include[].concept[] and of expansion.contains[] (nested), merged by system
// and code. Systems are made canonical (urn:oid:2.16.840.1.113883.6.96 is SNOMED CT); the
// include's version goes on each coding.
//
// SNOMED CT displays are Fully Specified Names whose semantic tag gives the kind: disorder;
// finding → finding; procedure and regime/therapy → procedure; body structure → body-structure;
// morphologic abnormality → morphology (a tissue change, which diseases cross-reference: kept
// apart from them, and not matched in text by the default term rules); any other tag is not
// imported. The term is the FSN without
// its tag. Other systems carry no kind: the request must give one. English designations are
// further exact terms. Parts of the ValueSet defined by a filter or another ValueSet list no
// codes and are reported in the summary's notes.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/importers/formats.h"
#include "mapping/importers/json_input.h"
#include "mapping/importers/source_file.h"

namespace casefhir::mapping::importers {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kSnomedTagKinds = {{
    {"disorder", "disorder"},
    {"finding", "finding"},
    {"procedure", "procedure"},
    {"regime/therapy", "procedure"},
    {"body structure", "body-structure"},
    {"morphologic abnormality", "morphology"},
}};

// "Fever (finding)" → {"Fever", "finding"}; no tag → {display, ""}.
std::pair<std::string, std::string> split_semantic_tag(const std::string& display) {
  if (display.empty() || display.back() != ')') return {display, {}};
  const auto open = display.rfind('(');
  if (open == std::string::npos || open < 2 || display[open - 1] != ' ') return {display, {}};
  return {display.substr(0, open - 1), display.substr(open + 1, display.size() - open - 2)};
}

class ValueSetReader {
 public:
  ValueSetReader(const ImportRequest& request, ImportSummary& summary, const std::string& file, std::string source_id)
      : request_(request), summary_(summary), file_(file), source_id_(std::move(source_id)) {}

  // compose.exclude[]: codes listed there are left out wherever they appear.
  void read_exclude(const JsonInput& exclude) {
    exclude.expect_object();
    const auto concepts = exclude.optional_array("concept");
    if (!concepts) return;
    const std::string system = canonical_system(exclude.string("system"));
    for (const auto& c : concepts->elements()) excluded_.insert(system + "|" + c.string("code"));
  }

  void read_include(const JsonInput& include) {
    include.expect_object();
    if (include.has("filter"))
      summary_.notes.push_back(include.pointer() + " is defined by a filter: its codes are not listed and were not imported");
    if (include.has("valueSet"))
      summary_.notes.push_back(include.pointer() + " includes other ValueSets, which were not read");
    const auto concepts = include.optional_array("concept");
    if (!concepts) return;
    const std::string system = canonical_system(include.string("system"));
    const std::string version = include.optional_string("version").value_or("");
    for (const auto& c : concepts->elements()) add(c, system, version);
  }

  // expansion.contains[], with nested contains[] (a hierarchy of the same codes).
  void read_contains(const JsonInput& list) {
    for (const auto& item : list.elements()) {
      item.expect_object();
      if (item.has("code")) {
        if (item.optional_bool("inactive")) ++summary_.dropped_obsolete;
        else add(item, canonical_system(item.string("system")), item.optional_string("version").value_or(""));
      }
      if (const auto nested = item.optional_array("contains")) read_contains(*nested);
    }
  }

  // Codes of the ValueSet not imported for their kind: a merge drops cross-references to them.
  std::vector<ExcludedCode> take_other_codes() { return std::move(other_codes_); }

  std::vector<ImportedConcept> take() {
    std::vector<ImportedConcept> out;
    out.reserve(concepts_.size());
    for (auto& [key, c] : concepts_) {
      if (excluded_.count(key)) ++summary_.dropped_concepts["excluded by compose.exclude"];
      else out.push_back(std::move(c));
    }
    return out;
  }

 private:
  void add(const JsonInput& entry, const std::string& system, const std::string& version) {
    entry.expect_object();
    const std::string code = entry.string("code");
    const std::string display = entry.optional_string("display").value_or("");
    if (const auto problem = check_code(system, code)) entry.fail(*problem);

    std::string term = display;
    std::string kind = request_.kind ? std::string(to_string(*request_.kind)) : "";
    if (system == kSnomedSystem) {
      auto [text, tag] = split_semantic_tag(display);
      if (!tag.empty()) {
        const auto it =
            std::find_if(kSnomedTagKinds.begin(), kSnomedTagKinds.end(), [&](const auto& p) { return p.first == tag; });
        if (it == kSnomedTagKinds.end()) {
          ++summary_.dropped_concepts["semantic tag " + tag];
          other_codes_.push_back(ExcludedCode{system, code, "semantic tag " + tag});
          return;
        }
        term = std::move(text);
        kind = std::string(it->second);
      } else if (kind.empty()) {
        ++summary_.dropped_concepts["no semantic tag (give a kind to import these)"];
        return;
      }
    } else if (kind.empty()) {
      throw Error(ErrorKind::usage, Location{file_, 0, 0, entry.pointer()},
                  "the codes of " + system + " carry no kind; give the kind of this ValueSet's concepts "
                  "(disorder, finding, procedure, body-structure, lab)");
    }

    const std::string_view prefix = id_prefix_of_system(system);
    const std::string key = system + "|" + code;
    auto [it, fresh] = concepts_.try_emplace(key);
    ImportedConcept& c = it->second;
    if (fresh) {
      c.code = code;
      auto id = make_concept_id(prefix.empty() ? std::string_view(source_id_) : prefix, code);
      if (!id) entry.fail("the code \"" + code + "\" cannot form a mapping id (letters, digits, '.', '_', '-')");
      c.id = std::move(*id);
      c.kind = kind;
      c.display = term;
      c.codes.push_back({system, code, term, version});
    }
    c.add_term(term, TermScope::exact);
    if (const auto designations = entry.optional_array("designation")) {
      for (const auto& d : designations->elements()) {
        const std::string language = d.optional_string("language").value_or("en");
        if (language == "en" || language.rfind("en-", 0) == 0) c.add_term(d.string("value"), TermScope::exact);
      }
    }
  }

  const ImportRequest& request_;
  ImportSummary& summary_;
  const std::string& file_;
  std::string source_id_;                             // id prefix for systems without one
  std::map<std::string, ImportedConcept> concepts_;   // by "system|code"
  std::set<std::string> excluded_;                    // "system|code"
  std::vector<ExcludedCode> other_codes_;
};

std::string source_id_from(const std::string& text) {
  std::string id;
  for (char c : text) {
    const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.' || l == '_' || l == '-';
    if (ok) id.push_back(l);
    else if (!id.empty() && id.back() != '-') id.push_back('-');
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id;
}

}  // namespace

Vocabulary read_fhir_valueset(const ImportRequest& request, ImportSummary& summary) {
  SourceFile file(request.files.front());
  const std::string text = read_all(file);
  const json root = parse_json(text, file.name());
  const JsonInput vs(root, "", file.name());
  vs.expect_object();
  const std::string type = vs.has("resourceType") ? vs.string("resourceType") : "";
  if (type != "ValueSet")
    (vs.has("resourceType") ? vs.at("resourceType") : vs)
        .fail("not a FHIR ValueSet (resourceType is \"" + type + "\")");

  Vocabulary v;
  v.origin = file.name();
  const std::string name = vs.optional_string("name").value_or("");
  v.source.id = !request.source_id.empty() ? request.source_id : source_id_from(vs.optional_string("id").value_or(name));
  v.source.name = vs.optional_string("title").value_or(name.empty() ? v.source.id : name);
  v.source.version = !request.version.empty() ? request.version : vs.optional_string("version").value_or("");
  v.source.url = vs.optional_string("url").value_or("");
  // The copyright travels with the content; its first line is the licence statement.
  const std::string copyright = vs.optional_string("copyright").value_or("");
  v.source.licence = copyright.substr(0, copyright.find('\n'));
  v.source.attribution = copyright;

  ValueSetReader reader(request, summary, file.name(), v.source.id);
  if (const auto compose = vs.optional_object("compose")) {
    if (const auto includes = compose->optional_array("include"))
      for (const auto& include : includes->elements()) reader.read_include(include);
    if (const auto excludes = compose->optional_array("exclude"))
      for (const auto& exclude : excludes->elements()) reader.read_exclude(exclude);
  }
  if (const auto expansion = vs.optional_object("expansion"))
    if (const auto contains = expansion->optional_array("contains")) reader.read_contains(*contains);
  v.concepts = reader.take();
  v.excluded = reader.take_other_codes();
  return v;
}

}  // namespace casefhir::mapping::importers
