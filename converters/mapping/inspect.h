// mapping/inspect.h — what `casefhir mappings stats` and `mappings check` report about a set of
// mappings: counts by kind, source and code system, and terms that name concepts of different
// kinds (read from the compiled phrase indexes, so the built-in dictionary is inspected as it is
// matched).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "casefhir/mapping.h"

namespace casefhir::mapping {

// Of the concepts in effect: a dictionary's concept that a mapping file replaced or removed is not
// counted (its replacement is).
struct VocabularyStats {
  std::size_t concepts = 0;
  std::map<std::string, std::size_t> by_kind;      // "disorder" → concepts
  std::map<std::string, std::size_t> by_source;    // source id ("" = hand-written) → concepts
  std::map<std::string, std::size_t> codings;      // system → codings
  std::size_t terms = 0;                           // terms compiled (after term rules), of both layers
  std::size_t dictionary_bytes = 0;                // the base dictionary
};

VocabularyStats vocabulary_stats(const Mappings& mappings);

// A term (as the matcher normalises it) that names concepts of more than one kind.
struct TermConflict {
  std::string term;
  std::vector<std::string> concepts;   // "doid-10763 (disorder)"
};

// Terms that name concepts of different kinds once the layers are joined (a file's term against
// the dictionary's as well as within each), sorted by term; `total` counts them all, at most `max`
// are returned. With `files_only`, only terms that name a concept of the mapping files (the
// overlay) count.
std::vector<TermConflict> kind_conflicts(const Mappings& mappings, std::size_t max, std::size_t& total, bool files_only = false);

}  // namespace casefhir::mapping
