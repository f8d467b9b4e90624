// mapping/compiled.h — the merged mapping entries, and the layers the text pipeline matches
// against: a compiled dictionary (the base), the concepts of run-time mapping files compiled the
// same way (the overlay), and the phrase indexes of the rules.
// Built by loader.cpp (entries), dictionary.cpp (the flat form) and mappings.cpp (layers); read by
// the nlp stages and the FHIR writer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "casefhir/mapping.h"
#include "mapping/dictionary.h"
#include "nlp/phrase_index.h"
#include "nlp/tokens.h"

namespace casefhir::mapping {

// Every entry after merging all layers, in a deterministic order (first definition's position).
struct MappingSet {
  std::vector<Concept> concepts;       // kinds disorder … lab (concepts and analytes)
  std::vector<Concept> methods;
  std::vector<Concept> laterality;
  std::vector<UnitSpelling> units;
  std::vector<ContextTrigger> triggers;
  std::vector<SectionRule> sections;
  std::vector<ResourceRule> resources;
  Demographics demographics;
  ObservationValues observation_values;
  std::vector<InterpretationTerms> interpretations;
  std::vector<SourceInfo> sources;
  TermRules term_rules;
  // Codes a source has but did not import as concepts (a SNOMED CT event or qualifier), by
  // "system|code": a merge drops other sources' cross-references to them.
  std::unordered_map<std::string, std::string> excluded_codes;
  // Files as read, without their concepts: what a compiled dictionary carries of its rules.
  std::vector<MappingSource> rule_sources;
  // Layered on a dictionary: which of its concepts the files replaced or removed, and how to ask
  // whether it has an id.
  std::vector<std::string> hidden_base_ids;
  std::function<bool(std::string_view)> base_has;
  // Position of each entry by key, so merging stays linear in the number of entries.
  std::unordered_map<std::string, std::size_t> concept_index, method_index, laterality_index, unit_index, trigger_index,
      section_index, interpretation_index, source_index;
};

// Merges one mapping file into the set. Throws Error(mapping_invalid) with file and pointer.
// A file named *.gz is gunzipped first.
void merge_source(MappingSet& set, const MappingSource& source);

// Checks that hold across files (after all layers): unique unit spellings, a resource rule for
// every kind, age codes present. Throws Error(mapping_invalid).
void check_complete(const MappingSet& set);

// The text of a mapping file as read from disk or memory: gunzipped when the name ends in .gz.
std::string mapping_text(const MappingSource& source);

// A mapping file, or every *.json / *.json.gz file under a folder (recursively, in sorted path
// order, skipping schema/), as --mappings reads them. Throws Error(mapping_invalid) naming the path.
std::vector<MappingSource> read_mapping_sources(const std::filesystem::path& file_or_folder);

}  // namespace casefhir::mapping

namespace casefhir::detail {

// Payload of a sex term in CompiledMappings::sex_terms.
enum SexPayload : std::uint32_t { kMale = 0, kFemale = 1 };

// A concept named at a token: its global index (base concepts first, then the overlay's) and how
// the term was written.
struct ConceptMatch {
  std::uint32_t end = 0;                      // one past the last token
  std::uint32_t concept_index = 0;            // or mapping::kNotAConcept for a blocked phrase
  std::uint32_t term_flags = 0;               // mapping::kNeedsNeighbour, scope
  bool abbreviation = false;
};

struct CompiledMappings {
  CompiledMappings(std::shared_ptr<const mapping::Dictionary> base_dictionary);

  mapping::MappingSet set;
  const std::uint64_t generation;      // distinguishes instances for per-thread caches

  std::shared_ptr<const mapping::Dictionary> base;      // never null (empty when there is none)
  std::shared_ptr<const mapping::Dictionary> overlay;   // the concepts of the mapping files; never null
  std::vector<bool> hidden;                             // base concepts an overlay replaced or removed
  bool any_hidden = false;

  nlp::Vocabulary vocabulary;          // normal forms: the base dictionary's words, then the rest
  nlp::Vocabulary exact_vocabulary;    // exact forms of abbreviations
  // The vocabulary id of each ASCII punctuation character (every punctuation token is one), once
  // the vocabulary is complete (compile); empty before.
  std::vector<std::uint32_t> punct_terms;
  nlp::PhraseIndex method_terms;       // payload: index into set.methods
  nlp::PhraseIndex laterality_terms;   // payload: index into set.laterality
  nlp::PhraseIndex trigger_terms;      // payload: index into set.triggers
  std::vector<std::vector<std::uint32_t>> trigger_followers;  // per trigger: ids of unless_followed_by
  nlp::PhraseIndex heading_terms;      // payload: index into set.sections
  nlp::PhraseIndex sex_terms;          // payload: SexPayload
  nlp::PhraseIndex unit_terms;         // payload: index into set.units (spellings, tokenized)
  nlp::PhraseIndex interpretation_terms;  // payload: index into set.interpretations

  // Concepts of both layers.
  std::uint32_t concept_count() const { return static_cast<std::uint32_t>(base->concept_count() + overlay->concept_count()); }
  mapping::ConceptView concept_at(std::uint32_t index) const {
    const auto n = static_cast<std::uint32_t>(base->concept_count());
    return index < n ? base->concept_at(index) : overlay->concept_at(index - n);
  }
  std::optional<std::uint32_t> find_concept(std::string_view id) const;
  // The longest concept term (or abbreviation) at tokens[i], before limit: the overlay wins a tie,
  // a hidden base concept never matches. False when none starts there.
  bool match_concept(std::span<const nlp::Token> tokens, std::size_t i, std::size_t limit, ConceptMatch& match) const;

  // The rule of a section role, or of a kind (nullptr when there is none): the one lookup both
  // the pipeline and Mappings use.
  const SectionRule* section_rule(std::string_view role) const;
  const ResourceRule* resource_rule(ConceptKind kind) const;

  // Tokenizes a term and returns its normal-form ids (interning new words when `intern`).
  std::vector<std::uint32_t> term_ids(std::string_view term, bool intern);
  // Sets Token::term and Token::abbrev for tokens of a document.
  void look_up(std::string_view text, std::vector<nlp::Token>& tokens) const;
};

}  // namespace casefhir::detail
