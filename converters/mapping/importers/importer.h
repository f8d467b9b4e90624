// mapping/importers/importer.h — turns a public terminology release into one casefhir mapping
// file: Disease Ontology and HPO (OBO, OBO Graphs JSON), ICD-10-CM (tabular XML, order file),
// FHIR ValueSets (the SNOMED CT Global Patient Set), UMLS (MRCONSO + MRSTY) and LOINC (Loinc.csv).
//
//   casefhir::mapping::ImportRequest request;
//   request.format = casefhir::mapping::ImportFormat::obo;
//   request.files = {"doid.obo.gz"};
//   request.output_dir = "vocabulary";
//   auto summary = casefhir::mapping::import_terminology(request);   // writes vocabulary/doid.json
//   std::cout << summary.to_string() << '\n';
//
// The file written is OUTPUT_DIR/<source id>.json: a "sources" entry (name, version, licence,
// attribution) and one concept per line, sorted by code, so the same release gives byte-identical
// output. Terms are written exactly as the release writes them (HPO's licence forbids altering
// them). It is written beside the target and renamed at the end: a failed import leaves nothing
// behind. Errors are casefhir::Error: input_missing / input_empty / input_malformed with the file,
// line and column or JSON pointer; usage for a request that cannot work; output_failed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casefhir/mapping.h"

namespace casefhir::mapping {

enum class ImportFormat { obo, obographs_json, icd10cm_tabular, icd10cm_order, fhir_valueset, umls_mrconso, loinc_csv };

// The command-line names: "obo", "obographs-json", "icd10cm-tabular", "icd10cm-order",
// "fhir-valueset", "umls-mrconso", "loinc-csv".
std::optional<ImportFormat> import_format_from_name(std::string_view name);
std::string_view to_string(ImportFormat format);
// Every format name, comma-separated, for help texts and usage errors.
std::string_view import_format_names();

// "disorder", "finding", "procedure", "body-structure", "lab".
std::optional<ConceptKind> import_kind_from_name(std::string_view name);

struct ImportRequest {
  ImportFormat format = ImportFormat::obo;
  // One file; umls-mrconso takes two, MRCONSO.RRF and MRSTY.RRF (told apart by name). Any file
  // may be gzipped.
  std::vector<std::filesystem::path> files;
  std::filesystem::path output_dir;     // created when missing
  // The source id names the output file and each concept's "source"; default from the release:
  // doid, hpo, icd10cm, umls, loinc, or a ValueSet's id. Concept ids keep the code system's
  // prefix (doid-, hp-, icd10cm-, sct-, umls-, loinc-), so two releases of one terminology
  // (HPO 2017 and 2024) give the same ids and the later mapping folder wins.
  std::string source_id;
  // The release's version, when the file does not say it or says it wrongly. Read from the file
  // otherwise: OBO data-version / date, OBO Graphs meta.version, <version> of the tabular XML,
  // the ValueSet's version; the order file's name (its four-digit year: FY); the newest
  // VersionLastChanged of Loinc.csv; the UMLS release name (2024AA) in the MRCONSO path.
  std::string version;
  // The kind of every concept whose source gives none: a FHIR ValueSet of a system other than
  // SNOMED CT (or SNOMED CT displays without a semantic tag), an OBO ontology other than DOID and
  // HPO. Sources that carry kinds (tags, branches, chapters, semantic types) keep theirs.
  std::optional<ConceptKind> kind;
  // umls-mrconso: keep only atoms of these sources (SAB, e.g. SNOMEDCT_US, MSH); empty: all.
  std::vector<std::string> umls_sources;
  // icd10cm-order: only codes valid for HIPAA-covered transactions (billable), no headers.
  bool billable_only = false;
};

struct ImportSummary {
  std::string source_id;
  std::string version;
  std::filesystem::path written;          // OUTPUT_DIR/<source id>.json
  std::size_t concepts = 0;               // concepts (or LOINC analytes) written
  std::map<std::string, std::size_t> kinds;   // "disorder" → count
  // Terms written, by scope: the label and exact synonyms, related, narrow, broad, and
  // abbreviations (matched case-sensitively). `terms` is their sum.
  std::size_t terms = 0, exact = 0, related = 0, narrow = 0, broad = 0, abbreviations = 0;
  std::size_t codings = 0;                // codings written, the source's own included
  std::size_t dropped_obsolete = 0;       // obsolete / deprecated entries
  // Entries not written, by reason: "branch HP:0000005 Mode of inheritance", "chapter 20",
  // "semantic tag organism", "semantic type T059 Laboratory Procedure", "status DISCOURAGED".
  std::map<std::string, std::size_t> dropped_concepts;
  // Cross-references not written, by prefix (GARD, EFO) or "<prefix> invalid code".
  std::map<std::string, std::size_t> dropped_xrefs;
  // Terms not written, by reason: "duplicate", "obsolete synonym", "no letter or digit", ...
  std::map<std::string, std::size_t> dropped_terms;
  std::vector<std::string> notes;         // what the user should know (a filter-defined ValueSet part, ...)

  // One line: "doid 2024-01-31: 11501 concepts (disorder 11501); 30254 terms (exact 29760, ...);
  // 46497 codings; dropped 2481 obsolete, 2786 cross-references (GARD 2111, ...); written to vocabulary/doid.json".
  std::string to_string() const;
};

ImportSummary import_terminology(const ImportRequest& request);

}  // namespace casefhir::mapping
