// mapping/importers/umls_rrf.cpp — the UMLS Metathesaurus in Rich Release Format (UMLS Reference
// Manual §3.3): MRCONSO.RRF, one row per atom, 18 '|'-separated fields and a trailing '|':
//   CUI|LAT|TS|LUI|STT|SUI|ISPREF|AUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|
// and MRSTY.RRF, one row per semantic type of a concept: CUI|TUI|STN|STY|ATUI|CVF|.
//
// One concept per CUI from its English atoms that are not suppressible (LAT ENG, SUPPRESS N),
// optionally only those of chosen sources (SAB). The label is the concept's preferred name (the
// atom with TS P, STT PF, ISPREF Y); the other strings are exact terms, acronyms and abbreviations
// (TTY ACR, AB) go to abbreviations. Codings: the CUI, then each atom's source code through the
// shared prefix table (SNOMEDCT_US, ICD10CM, MSH, NCI, HPO, LNC, …). MRSTY is read first, so
// MRCONSO (several GB in a full release) streams through and only concepts of a kept kind are held.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "casefhir/errors.h"
#include "mapping/importers/formats.h"
#include "mapping/importers/source_file.h"

namespace casefhir::mapping::importers {

namespace {

// Semantic types → kinds (UMLS Semantic Network). Not imported, among others: T059 Laboratory
// Procedure (lab tests are LOINC analytes, not Procedures), T031 Body Substance (a substance, not
// a structure), T034 Laboratory or Test Result.
struct TypeKind {
  std::string_view tui;
  std::string_view kind;
};
constexpr std::array kTypeKinds = {
    TypeKind{"T047", "disorder"},  TypeKind{"T191", "disorder"},       TypeKind{"T046", "disorder"},
    TypeKind{"T048", "disorder"},  TypeKind{"T019", "disorder"},       TypeKind{"T020", "disorder"},
    TypeKind{"T037", "disorder"},  TypeKind{"T190", "disorder"},       TypeKind{"T184", "finding"},
    TypeKind{"T033", "finding"},   TypeKind{"T061", "procedure"},      TypeKind{"T060", "procedure"},
    TypeKind{"T058", "procedure"}, TypeKind{"T023", "body-structure"}, TypeKind{"T029", "body-structure"},
    TypeKind{"T030", "body-structure"},
};
// A concept with several semantic types takes the first of these kinds it has.
constexpr std::array<std::string_view, 4> kKindOrder = {"disorder", "finding", "procedure", "body-structure"};

enum Conso {
  kCui, kLat, kTs, kLui, kStt, kSui, kIspref, kAui, kSaui, kScui, kSdui, kSab, kTty, kCode, kStr, kSrl, kSuppress, kCvf,
  kConsoFields
};
enum Sty { kStyCui, kTui, kStn, kSty, kAtui, kStyCvf, kStyFields };

// The fields of an RRF row; the trailing '|' ends the last field and adds none.
void split_fields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  for (std::size_t bar; (bar = line.find('|', start)) != std::string_view::npos; start = bar + 1)
    fields.push_back(line.substr(start, bar - start));
  if (start < line.size()) fields.push_back(line.substr(start));
}

void expect_fields(LineReader& lines, const std::vector<std::string_view>& fields, std::size_t wanted) {
  if (fields.size() != wanted)
    lines.file().fail(lines.number(), 0,
                      "expected " + std::to_string(wanted) + " fields, got " + std::to_string(fields.size()));
}

// What MRSTY says about a CUI: the rank of its kind in kKindOrder, or why it is not imported (an
// index into the reasons: a full MRSTY has millions of rows and about 130 semantic types).
struct CuiType {
  int rank = -1;
  std::size_t other = 0;   // "semantic type T059 Laboratory Procedure": its first type without a kind
};

struct CuiEntry {
  ImportedConcept imported;
  std::string label;                    // the preferred name, when seen
  std::unordered_set<std::string> sources;   // "SAB|CODE" already turned into a coding
};

// The UMLS release ("2024AA") in a path like .../2024AA/META/MRCONSO.RRF.
std::string release_in(const std::string& path) {
  for (std::size_t i = 0; i + 6 <= path.size(); ++i) {
    const auto digit = [&](std::size_t k) { return path[k] >= '0' && path[k] <= '9'; };
    const bool match = digit(i) && digit(i + 1) && digit(i + 2) && digit(i + 3) && path[i + 4] == 'A' &&
                       (path[i + 5] == 'A' || path[i + 5] == 'B') && (i == 0 || !digit(i - 1));
    if (match && (i + 6 == path.size() || !std::isalnum(static_cast<unsigned char>(path[i + 6])))) return path.substr(i, 6);
  }
  return {};
}

}  // namespace

Vocabulary read_umls_rrf(const ImportRequest& request, ImportSummary& summary) {
  const std::filesystem::path* conso_path = nullptr;
  const std::filesystem::path* sty_path = nullptr;
  for (const auto& f : request.files) {
    std::string name = f.filename().string();
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (name.find("MRCONSO") != std::string::npos) conso_path = &f;
    else if (name.find("MRSTY") != std::string::npos) sty_path = &f;
  }
  if (!conso_path || !sty_path)
    throw Error(ErrorKind::usage, Location{}, "umls-mrconso reads MRCONSO.RRF and MRSTY.RRF (told apart by their names)");
  const std::set<std::string, std::less<>> sabs(request.umls_sources.begin(), request.umls_sources.end());
  std::vector<std::string_view> fields;

  // MRSTY: the kind of each CUI.
  std::unordered_map<std::string, CuiType> types;
  std::vector<std::string> reasons = {"no semantic type in MRSTY"};
  std::unordered_map<std::string, std::size_t> reason_index;
  {
    SourceFile file(*sty_path);
    LineReader lines(file);
    for (std::string_view line; lines.next(line);) {
      if (line.empty()) continue;
      split_fields(line, fields);
      expect_fields(lines, fields, kStyFields);
      if (fields[kStyCui].empty() || fields[kTui].empty()) file.fail(lines.number(), 0, "CUI and TUI must not be empty");
      CuiType& t = types[std::string(fields[kStyCui])];
      const auto it =
          std::find_if(kTypeKinds.begin(), kTypeKinds.end(), [&](const TypeKind& k) { return k.tui == fields[kTui]; });
      if (it == kTypeKinds.end()) {
        if (t.other == 0) {
          const std::string reason = "semantic type " + std::string(fields[kTui]) + " " + std::string(fields[kSty]);
          const auto [r, fresh] = reason_index.emplace(reason, reasons.size());
          if (fresh) reasons.push_back(reason);
          t.other = r->second;
        }
        continue;
      }
      const int rank = static_cast<int>(std::find(kKindOrder.begin(), kKindOrder.end(), it->kind) - kKindOrder.begin());
      if (t.rank < 0 || rank < t.rank) t.rank = rank;
    }
  }

  // MRCONSO: the atoms of the concepts kept.
  std::unordered_map<std::string, CuiEntry> entries;
  std::unordered_set<std::string> dropped;   // CUIs counted as not imported
  SourceFile file(*conso_path);
  LineReader lines(file);
  for (std::string_view line; lines.next(line);) {
    if (line.empty()) continue;
    split_fields(line, fields);
    expect_fields(lines, fields, kConsoFields);
    if (fields[kLat] != "ENG") continue;
    if (!sabs.empty() && !sabs.count(fields[kSab])) continue;
    if (fields[kSuppress] != "N") {
      ++summary.dropped_terms["suppressible atom (SUPPRESS " + std::string(fields[kSuppress]) + ")"];
      continue;
    }
    const std::string cui(fields[kCui]);
    const auto type = types.find(cui);
    if (type == types.end() || type->second.rank < 0) {
      if (dropped.insert(cui).second) ++summary.dropped_concepts[reasons[type == types.end() ? 0 : type->second.other]];
      continue;
    }
    auto [it, fresh] = entries.try_emplace(cui);
    CuiEntry& e = it->second;
    if (fresh) {
      e.imported.code = cui;
      auto id = make_concept_id("umls", cui);
      if (!id) file.fail(lines.number(), 1, "the CUI \"" + cui + "\" cannot form a mapping id");
      e.imported.id = std::move(*id);
      e.imported.kind = std::string(kKindOrder[static_cast<std::size_t>(type->second.rank)]);
    }
    const std::string_view text = fields[kStr];
    if (fields[kTs] == "P" && fields[kStt] == "PF" && fields[kIspref] == "Y" && e.label.empty()) e.label = text;
    else if (fields[kTty] == "AB" || fields[kTty] == "ACR") e.imported.abbreviations.emplace_back(text);
    else e.imported.add_term(text, TermScope::exact);

    const std::string_view code = fields[kCode];
    if (!code.empty() && code != "NOCODE" && e.sources.insert(std::string(fields[kSab]) + "|" + std::string(code)).second)
      if (auto coding = xref_coding(fields[kSab], code, summary)) add_coding(e.imported, std::move(*coding));
  }

  Vocabulary v;
  v.origin = file.name();
  v.source.id = "umls";
  v.source.name = "UMLS Metathesaurus";
  v.source.version = !request.version.empty() ? request.version : release_in(conso_path->string());
  v.source.licence =
      "UMLS Metathesaurus License (https://uts.nlm.nih.gov/uts/license/license-agreement.html) and the terms of each source "
      "vocabulary";
  v.source.url = "https://www.nlm.nih.gov/research/umls/";
  v.source.attribution = "Contains content from the UMLS Metathesaurus" +
                         (v.source.version.empty() ? std::string() : " " + v.source.version) +
                         ", U.S. National Library of Medicine; use is limited to UMLS licensees and the source "
                         "vocabularies' licences.";
  if (!sabs.empty()) {
    std::string list;
    for (const auto& s : sabs) list += (list.empty() ? "" : ", ") + s;
    summary.notes.push_back("only atoms of these sources were read: " + list);
  }
  v.concepts.reserve(entries.size());
  for (auto& [cui, e] : entries) {
    ImportedConcept& c = e.imported;
    // Without a preferred English atom among those read, the first string is the label.
    if (!e.label.empty()) c.terms.insert(c.terms.begin(), ScopedTerm{e.label, TermScope::exact});
    c.display = c.terms.empty() ? std::string() : c.terms.front().text;
    c.codes.insert(c.codes.begin(), ImportedCoding{std::string(kUmlsSystem), cui, c.display, {}});
    v.concepts.push_back(std::move(c));
  }
  return v;
}

}  // namespace casefhir::mapping::importers
