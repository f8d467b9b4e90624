// mapping/importers/vocabulary.h — what every importer builds and how it is written.
//
// An importer reads its format into a Vocabulary: the source's description and its concepts, each
// with terms in their scope (label and exact synonyms, related, narrow, broad), abbreviations and
// codings. This file also owns the two rules every importer shares: which code system a
// cross-reference prefix, URI or OID names (one table, canonical FHIR system URIs), and how the
// mapping file is written (terms checked and de-duplicated, concepts sorted by code, one concept
// per line, written to a temporary file and renamed).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/importers/importer.h"

namespace casefhir::mapping::importers {

// Canonical FHIR system URIs of the code systems importers meet.
inline constexpr std::string_view kSnomedSystem = "http://snomed.info/sct";
inline constexpr std::string_view kIcd10cmSystem = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr std::string_view kIcd10System = "http://hl7.org/fhir/sid/icd-10";
inline constexpr std::string_view kIcd9cmSystem = "http://hl7.org/fhir/sid/icd-9-cm";
inline constexpr std::string_view kUmlsSystem = "http://www.nlm.nih.gov/research/umls";
inline constexpr std::string_view kLoincSystem = "http://loinc.org";
inline constexpr std::string_view kHpoSystem = "http://human-phenotype-ontology.org";
inline constexpr std::string_view kDoidSystem = "http://purl.obolibrary.org/obo/doid.owl";

// Scopes from strongest to weakest: a term given in several scopes is kept in the strongest.
enum class TermScope : std::uint8_t { exact, related, narrow, broad };

struct ImportedCoding {
  std::string system;
  std::string code;
  std::string display;   // optional
  std::string version;   // optional
};

struct ScopedTerm {
  std::string text;
  TermScope scope = TermScope::exact;
};

// One concept, or one LOINC analyte (kind empty, unit set).
struct ImportedConcept {
  std::string code;                        // the source's own code: the sort key
  std::string id;                          // mapping id, from make_concept_id
  std::string kind;                        // disorder, finding, procedure, body-structure, lab
  std::string display;                     // default: the first term written
  std::vector<ScopedTerm> terms;           // in source order, the label first
  std::vector<std::string> abbreviations;  // in source order
  std::vector<ImportedCoding> codes;       // the source's own coding first
  std::string unit;                        // analytes: UCUM

  void add_term(std::string_view text, TermScope scope) { terms.push_back({std::string(text), scope}); }
};

struct SourceInfo {
  std::string id;
  std::string name;
  std::string version;
  std::string licence;
  std::string url;
  std::string attribution;
};

// A code of the release that is not imported as a concept (a SNOMED CT event, observable or
// qualifier): written so that a merge can drop other sources' cross-references to it.
struct ExcludedCode {
  std::string system;
  std::string code;
  std::string why;                         // "semantic tag event"
};

struct Vocabulary {
  std::string origin;                      // the input file, for messages
  SourceInfo source;
  bool analytes = false;                   // written under "analytes" instead of "concepts"
  std::vector<ImportedConcept> concepts;
  std::vector<ExcludedCode> excluded;
};

// --- code systems ---------------------------------------------------------------------------

// A system URI, "urn:oid:…" or bare OID, made canonical: the OIDs of the known systems become
// their URIs; anything else is returned unchanged.
std::string canonical_system(std::string_view system);

// The short prefix of a system's concept ids ("sct", "icd10cm", "hp"), or "" for other systems.
std::string_view id_prefix_of_system(std::string_view system);

// "<prefix>-<code lower-cased>", or nullopt when that is not a valid mapping id.
std::optional<std::string> make_concept_id(std::string_view prefix, std::string_view code);

// The coding of the cross-reference PREFIX:LOCAL (an OBO xref, a UMLS SAB and CODE): the prefix
// names the system (date-stamped SNOMEDCT_US_2023_03_01 included), the code is normalised (dot
// after the third character of ICD-10 codes) and checked (SNOMED CT Verhoeff, LOINC mod 10,
// ICD-10-CM shape). Unknown prefixes and failing codes give nullopt and are counted in
// summary.dropped_xrefs.
std::optional<ImportedCoding> xref_coding(std::string_view prefix, std::string_view local, ImportSummary& summary);

// Appends the coding unless the concept already has that system and code.
void add_coding(ImportedConcept& target, ImportedCoding coding);

// --- terms --------------------------------------------------------------------------------

// The text terms are compared by: ASCII letters lower-cased, runs of white space folded to one
// space, no white space at either end.
std::string term_key(std::string_view text);

// The first YYYY-MM-DD date in the text ("releases/2024-01-31/doid.obo" → "2024-01-31").
std::optional<std::string> find_iso_date(std::string_view text);

// --- writing ------------------------------------------------------------------------------

// Checks and de-duplicates every concept's terms (counting what is dropped), sorts the concepts
// by code, fills the summary's counts, and returns the mapping file's text.
std::string render_mapping_file(Vocabulary& vocabulary, ImportSummary& summary);

// Writes `text` to dir/name through a temporary file in dir renamed at the end; on failure the
// temporary file and any folder created here are removed. Error(output_failed).
void write_atomically(const std::filesystem::path& dir, const std::string& name, std::string_view text);

}  // namespace casefhir::mapping::importers
