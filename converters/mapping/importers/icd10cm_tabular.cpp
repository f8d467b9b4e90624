// mapping/importers/icd10cm_tabular.cpp — the CDC's ICD-10-CM tabular list (icd10cm_tabular_YYYY.xml).
//
// Every <diag> (they nest: A01 > A01.0 > A01.00) with its <name> (the dotted code) and <desc>
// becomes a concept; the <note>s of its own <inclusionTerm> are narrow synonyms. The chapter is
// the enclosing <chapter>'s <name> (1–22). The 7th-character codes a <sevenChrDef> implies are not
// listed as <diag> and are not generated here (the order file lists them).
#include <charconv>
#include <unordered_map>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/importers/formats.h"
#include "mapping/importers/icd10cm_chapters.h"
#include "mapping/importers/source_file.h"
#include "mapping/importers/xml_input.h"

namespace casefhir::mapping::importers {

namespace {

struct OpenDiag {
  int depth = 0;
  std::size_t ordinal = 0;   // which <diag> of the document, for messages
  bool has_name = false, has_desc = false;
  std::string name, desc;
  std::vector<std::string> inclusion_terms;
};

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

Vocabulary read_icd10cm_tabular(const ImportRequest& request, ImportSummary& summary) {
  SourceFile file(request.files.front());
  const std::string text = read_all(file);
  XmlStream xml(text, file.name());

  Vocabulary v;
  v.origin = file.name();
  std::string version;
  bool in_chapter = false;
  int chapter = 0;                 // of the enclosing <chapter>, 0 before its <name>
  int inclusion_depth = -1;        // depth of the innermost diag's own <inclusionTerm>, when open
  std::vector<OpenDiag> diags;     // the <diag>s open around the current element
  std::unordered_map<std::string, std::size_t> seen;   // code → its <diag> ordinal

  const auto close_diag = [&](OpenDiag& d) {
    if (!d.has_name) xml.fail_at("diag", d.ordinal, "<diag> without <name>");
    if (!d.has_desc) xml.fail_at("diag", d.ordinal, "<diag> without <desc>");
    const std::string code = trimmed(d.name);
    if (!icd10cm_format_valid(code)) xml.fail_at("diag", d.ordinal, "<name> \"" + code + "\" is not an ICD-10-CM code");
    if (const auto [it, fresh] = seen.emplace(code, d.ordinal); !fresh)
      xml.fail_at("diag", d.ordinal, code + " is listed twice");
    const std::string_view kind = icd10cm_chapter_kind(chapter);
    if (kind.empty()) {
      ++summary.dropped_concepts["chapter " + std::to_string(chapter)];
      return;
    }
    ImportedConcept c;
    c.code = code;
    c.id = *make_concept_id("icd10cm", code);
    c.kind = std::string(kind);
    c.display = d.desc;
    c.add_term(d.desc, TermScope::exact);
    for (auto& t : d.inclusion_terms) c.add_term(t, TermScope::narrow);
    c.codes.push_back({std::string(kIcd10cmSystem), code, d.desc, {}});
    v.concepts.push_back(std::move(c));
  };

  while (xml.next()) {
    const std::string_view name = xml.name();
    const int depth = xml.depth();
    if (!xml.is_start()) {
      if (name == "diag") {
        close_diag(diags.back());
        diags.pop_back();
      } else if (name == "inclusionTerm" && depth == inclusion_depth) {
        inclusion_depth = -1;
      } else if (name == "chapter" && depth == 1) {
        in_chapter = false;
        chapter = 0;
      }
      continue;
    }
    if (depth == 0 && name != "ICD10CM.tabular")
      xml.fail_here("not an ICD-10-CM tabular list: the root element is <" + std::string(name) + ">, not <ICD10CM.tabular>");
    if (depth == 1 && name == "version") {
      version = trimmed(xml.text());
    } else if (depth == 1 && name == "chapter") {
      in_chapter = !xml.is_empty_element();
      chapter = 0;
    } else if (depth == 2 && name == "name" && in_chapter) {   // the chapter's <name>
      const std::string number = trimmed(xml.text());
      const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), chapter);
      if (error != std::errc() || end != number.data() + number.size() || chapter < 1)
        xml.fail_here("chapter <name> \"" + number + "\" is not a chapter number");
    } else if (name == "diag") {
      if (chapter == 0) xml.fail_here("<diag> outside a numbered <chapter>");
      diags.push_back({depth, xml.ordinal(), false, false, {}, {}, {}});
      if (xml.is_empty_element()) {
        close_diag(diags.back());
        diags.pop_back();
      }
    } else if (!diags.empty() && depth == diags.back().depth + 1) {
      if (name == "name") {
        diags.back().name = xml.text();
        diags.back().has_name = true;
      } else if (name == "desc") {
        diags.back().desc = xml.text();
        diags.back().has_desc = true;
      } else if (name == "inclusionTerm" && !xml.is_empty_element()) {
        inclusion_depth = depth;
      }
    } else if (name == "note" && inclusion_depth >= 0 && depth == inclusion_depth + 1) {
      diags.back().inclusion_terms.push_back(xml.text());
    }
  }
  if (seen.empty()) file.fail(0, 0, "no <diag> found: not an ICD-10-CM tabular list");

  v.source = icd10cm_source(!request.version.empty() ? request.version : version);
  return v;
}

}  // namespace casefhir::mapping::importers
