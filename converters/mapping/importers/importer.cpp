// mapping/importers/importer.cpp — the entry point: checks the request, runs the format's reader,
// renders the vocabulary and writes it atomically. Nothing touches the output folder before the
// whole source has been read and rendered, so a malformed source leaves no trace.
#include "mapping/importers/importer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "casefhir/errors.h"
#include "mapping/importers/formats.h"
#include "mapping/importers/vocabulary.h"

namespace casefhir::mapping {

namespace {

using importers::Vocabulary;

constexpr std::array<std::pair<std::string_view, ImportFormat>, 7> kFormats = {{
    {"obo", ImportFormat::obo},
    {"obographs-json", ImportFormat::obographs_json},
    {"icd10cm-tabular", ImportFormat::icd10cm_tabular},
    {"icd10cm-order", ImportFormat::icd10cm_order},
    {"fhir-valueset", ImportFormat::fhir_valueset},
    {"umls-mrconso", ImportFormat::umls_mrconso},
    {"loinc-csv", ImportFormat::loinc_csv},
}};

[[noreturn]] void usage(const std::string& reason) { throw Error(ErrorKind::usage, Location{}, reason); }

bool valid_source_id(std::string_view id) {
  if (id.empty() || !((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9'))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

void check_request(const ImportRequest& r) {
  const std::size_t wanted = r.format == ImportFormat::umls_mrconso ? 2 : 1;
  if (r.files.size() != wanted)
    usage(std::string(to_string(r.format)) + " reads " +
          (wanted == 1 ? "one file" : "two files, MRCONSO.RRF and MRSTY.RRF") + "; got " + std::to_string(r.files.size()));
  if (r.output_dir.empty()) usage("no output folder");
  if (!r.source_id.empty() && !valid_source_id(r.source_id))
    usage("the source id \"" + r.source_id + "\" is not valid (lower-case letters, digits, '.', '_', '-')");
  if (r.format != ImportFormat::umls_mrconso && !r.umls_sources.empty())
    usage("sources (SAB) can only be chosen for umls-mrconso");
  if (r.format != ImportFormat::icd10cm_order && r.billable_only)
    usage("billable-only applies to icd10cm-order");
}

Vocabulary read(const ImportRequest& r, ImportSummary& summary) {
  switch (r.format) {
    case ImportFormat::obo: return importers::read_obo(r, summary);
    case ImportFormat::obographs_json: return importers::read_obographs_json(r, summary);
    case ImportFormat::icd10cm_tabular: return importers::read_icd10cm_tabular(r, summary);
    case ImportFormat::icd10cm_order: return importers::read_icd10cm_order(r, summary);
    case ImportFormat::fhir_valueset: return importers::read_fhir_valueset(r, summary);
    case ImportFormat::umls_mrconso: return importers::read_umls_rrf(r, summary);
    case ImportFormat::loinc_csv: return importers::read_loinc_csv(r, summary);
  }
  usage("unknown import format");
}

// "a 3, b 2, c 1, +2 more": the largest counts first, at most four.
std::string top_counts(const std::map<std::string, std::size_t>& counts) {
  std::vector<std::pair<std::string, std::size_t>> v(counts.begin(), counts.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < 4; ++i) out += (i ? ", " : "") + v[i].first + " " + std::to_string(v[i].second);
  if (v.size() > 4) out += ", +" + std::to_string(v.size() - 4) + " more";
  return out;
}

std::size_t total(const std::map<std::string, std::size_t>& counts) {
  std::size_t n = 0;
  for (const auto& [_, c] : counts) n += c;
  return n;
}

}  // namespace

std::optional<ImportFormat> import_format_from_name(std::string_view name) {
  for (const auto& [n, f] : kFormats)
    if (n == name) return f;
  return std::nullopt;
}

std::string_view to_string(ImportFormat format) {
  for (const auto& [n, f] : kFormats)
    if (f == format) return n;
  return "unknown";
}

std::string_view import_format_names() {
  return "obo, obographs-json, icd10cm-tabular, icd10cm-order, fhir-valueset, umls-mrconso, loinc-csv";
}

std::optional<ConceptKind> import_kind_from_name(std::string_view name) {
  for (ConceptKind k : {ConceptKind::disorder, ConceptKind::finding, ConceptKind::procedure, ConceptKind::body_structure,
                        ConceptKind::lab, ConceptKind::morphology})
    if (to_string(k) == name) return k;
  return std::nullopt;
}

std::string ImportSummary::to_string() const {
  std::string s = source_id + (version.empty() ? "" : " " + version) + ": " + std::to_string(concepts) + " concepts";
  if (!kinds.empty()) s += " (" + top_counts(kinds) + ")";
  s += "; " + std::to_string(terms) + " terms (exact " + std::to_string(exact) + ", related " + std::to_string(related) +
       ", narrow " + std::to_string(narrow) + ", broad " + std::to_string(broad) + ", abbreviations " +
       std::to_string(abbreviations) + "); " + std::to_string(codings) + " codings";
  std::string dropped;
  const auto add = [&](std::size_t n, const std::string& what, const std::map<std::string, std::size_t>& detail) {
    if (n == 0) return;
    dropped += (dropped.empty() ? "" : ", ") + std::to_string(n) + " " + what;
    if (!detail.empty()) dropped += " (" + top_counts(detail) + ")";
  };
  add(dropped_obsolete, "obsolete", {});
  add(total(dropped_concepts), "concepts", dropped_concepts);
  add(total(dropped_xrefs), "cross-references", dropped_xrefs);
  add(total(dropped_terms), "terms", dropped_terms);
  if (!dropped.empty()) s += "; dropped " + dropped;
  if (!written.empty()) s += "; written to " + written.string();
  return s;
}

ImportSummary import_terminology(const ImportRequest& request) {
  check_request(request);
  ImportSummary summary;
  Vocabulary vocabulary = read(request, summary);
  if (!request.source_id.empty()) vocabulary.source.id = request.source_id;
  if (!valid_source_id(vocabulary.source.id))
    usage("the source id \"" + vocabulary.source.id + "\" taken from " + vocabulary.origin +
          " is not valid (lower-case letters, digits, '.', '_', '-'): set one");
  summary.source_id = vocabulary.source.id;
  summary.version = vocabulary.source.version;
  if (vocabulary.concepts.empty()) summary.notes.push_back("the source gave no concepts to write");
  const std::string text = importers::render_mapping_file(vocabulary, summary);
  const std::string name = vocabulary.source.id + ".json";
  importers::write_atomically(request.output_dir, name, text);
  summary.written = request.output_dir / name;
  return summary;
}

}  // namespace casefhir::mapping
