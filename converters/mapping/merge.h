// mapping/merge.h — merges imported vocabularies (one mapping file per terminology: DOID, HPO,
// ICD-10-CM, the SNOMED CT GPS, ...) into one vocabulary in which each clinical concept appears
// once, with the synonyms and codes of every source that names it.
//
//   mapping::MergeOptions options;
//   options.precedence = {"snomed-gps", "doid", "hpo", "icd10cm"};
//   mapping::MergeResult merged = mapping::merge_vocabularies({"imported/doid.json", "imported/hpo.json.gz"}, options);
//   mapping::write_vocabulary(merged, "vocabulary.json.gz");
//
// Reads mapping files (through the loader, so every file is checked as at start-up) and keeps
// their `sources`, `concepts` and `analytes`; every other key is checked and left out. Writes one
// mapping file of the same format. The rules are at the top of merge.cpp and in mappings/README.md
// ("Imported vocabularies"). Nothing here depends on hash order: identical inputs give
// byte-identical output.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "casefhir/mapping.h"

namespace casefhir::mapping {

struct MergeOptions {
  // Source ids, highest first. Sources not listed come after, in the order the inputs define
  // them. Hand-written entries (no `source`) always come before every source.
  std::vector<std::string> precedence;
  // How many examples of each kind of conflict MergeResult::conflicts keeps (all are counted).
  std::size_t examples = 10;
  // The order of a merged concept's codes by system; systems not listed follow, sorted by URI.
  // The first coding is the one FHIR output prefers.
  std::vector<std::string> code_order = {"http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm",
                                         "http://purl.obolibrary.org/obo/doid.owl", "http://human-phenotype-ontology.org",
                                         "http://www.nlm.nih.gov/research/umls"};
};

// Something the merge decided that a terminologist may want to check. `what` is one of:
//   "shared-code"   a code several concepts of one source claim: that source merges nothing through it
//   "same-source"   a merge refused: the group would hold two concepts of one source
//   "kind-link"     a merge refused: the two concepts are different kinds of thing (a disorder and
//                   a body structure); disorder and finding may merge
//   "kind"          a merged concept whose members disagree (disorder / finding): it has the kind
//                   of its highest-precedence member
//   "kind-code"     a SNOMED CT cross-reference dropped: the GPS gives that code another kind
//   "unknown-code"  an ICD-10-CM cross-reference dropped: not a code of the ICD-10-CM source
//   "hand-written"  imported concepts that a hand-written entry stands for (not written)
//   "id"            one id defined by two inputs: the later input (or the hand-written one) is kept
//   "source"        one source id described differently by two inputs: the later description is kept
//   "analyte-terms" related / narrow / broad synonyms of a lab analyte, which the analyte format
//                   cannot hold: not written
struct MergeConflict {
  std::string what;
  std::string message;
};

struct MergeCounts {
  std::size_t inputs = 0;             // paths given
  std::size_t files = 0;              // mapping files read
  std::size_t concepts_read = 0;      // concepts and analytes read (after same-id replacement)
  std::size_t hand_written = 0;       // of those, entries without a `source`
  std::map<std::string, std::size_t> read_by_source;   // imported entries read, by source id
  std::size_t merged_groups = 0;      // written imported concepts made of two or more entries
  std::size_t merged_members = 0;     // imported entries in those groups
  std::size_t absorbed = 0;           // imported entries a hand-written entry stands for
  std::size_t concepts_written = 0;   // concepts and analytes in the result
  // Terms of the written entries by scope: "exact" (the `terms` list), "related", "narrow",
  // "broad", "abbreviations".
  std::map<std::string, std::size_t> terms;
  // Cross-references dropped, by reason ("unknown-code", "kind-code").
  std::map<std::string, std::size_t> dropped_codes;
  // Every conflict counted, by `what` (MergeResult::conflicts keeps only examples).
  std::map<std::string, std::size_t> conflicts;
};

struct MergeResult {
  std::vector<Concept> concepts;        // sorted by id
  std::vector<SourceInfo> sources;      // every input source, in precedence order
  std::vector<MergeConflict> conflicts; // up to MergeOptions::examples of each kind, in a stable order
  MergeCounts counts;
};

// Merges the mapping files given (files, or folders read like --mappings folders). Throws
// Error(mapping_invalid) naming the file and the reason when an input cannot be read or breaks
// the format (a concept whose `source` has no `sources` entry in that or an earlier file).
MergeResult merge_vocabularies(const std::vector<std::filesystem::path>& inputs, const MergeOptions& options);

// Writes the result as one mapping file: `sources`, then `concepts` (and `analytes`), one entry
// per line, sorted by id. A name ending in .json.gz is gzipped (zlib, fixed level, no time
// stamp), one ending in .json is plain; anything else is Error(usage). Written beside the target
// and renamed, so a failure (Error(output_failed)) leaves no partial file.
void write_vocabulary(const MergeResult& result, const std::filesystem::path& output);

// The mapping file write_vocabulary writes, as text (not gzipped).
std::string vocabulary_json(const MergeResult& result);

// A few lines for a person: the counts, then the conflict examples.
std::string describe(const MergeResult& result);

}  // namespace casefhir::mapping
