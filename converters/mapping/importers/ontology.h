// mapping/importers/ontology.h — the OBO content model both OBO formats share (the flat file and
// OBO Graphs JSON carry the same labels, scoped and typed synonyms, xrefs, is_a and obsolete
// flags), and the one conversion of an ontology into a Vocabulary: its kinds (Disease Ontology:
// disorder; HPO: finding below HP:0000118 Phenotypic abnormality, other branches dropped),
// synonyms by scope and type, xrefs as canonical codings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/importers/vocabulary.h"

namespace casefhir::mapping::importers {

// What a synonym's type says about the synonym (OBO synonymtypedef, OBO Graphs synonymType).
enum class SynonymType : std::uint8_t { plain, abbreviation, obsolete };

// "abbreviation" → abbreviation; "obsolete_synonym" / "obsolete synonym" → obsolete; by the
// name's last part, so "HP:0045077" needs its description and ".../hp#abbreviation" does not.
SynonymType synonym_type_from_name(std::string_view name);

struct OboSynonym {
  std::string text;
  TermScope scope = TermScope::exact;
  SynonymType type = SynonymType::plain;
};

struct OboTerm {
  std::string id;                     // CURIE: "HP:0000010"
  std::string name;
  std::vector<OboSynonym> synonyms;
  std::vector<std::string> xrefs;     // "PREFIX:LOCAL"
  std::vector<std::string> parents;   // is_a, CURIEs
  bool obsolete = false;
};

struct Ontology {
  std::string origin;    // the input file, for messages
  std::string id;        // lower case: "doid", "hp"
  std::string title;     // from the file, when it has one
  std::string version;
  std::vector<OboTerm> terms;
};

// The ontology's concepts as a Vocabulary. Throws Error(usage) for an ontology whose kinds the
// importer does not know when the request sets no kind.
Vocabulary vocabulary_from_ontology(Ontology& ontology, const ImportRequest& request, ImportSummary& summary);

}  // namespace casefhir::mapping::importers
