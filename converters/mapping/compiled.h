// mapping/compiled.h — the merged mapping entries and the phrase indexes compiled from them.
// Built by loader.cpp (entries) and mappings.cpp (indexes); read by the nlp stages.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "casefhir/mapping.h"
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
};

// Merges one mapping file into the set. Throws Error(mapping_invalid) with file and pointer.
void merge_source(MappingSet& set, const MappingSource& source);

// Checks that hold across files (after all layers): unique unit spellings, a resource rule for
// every kind, age codes present. Throws Error(mapping_invalid).
void check_complete(const MappingSet& set);

}  // namespace casefhir::mapping

namespace casefhir::detail {

// Payload of a sex term in CompiledMappings::sex_terms.
enum SexPayload : std::uint32_t { kMale = 0, kFemale = 1 };

// Payload in CompiledMappings::concept_terms of a phrase that names no concept ("mass effect",
// from a concept's not_in): the matcher skips it. The largest payload, so it wins every tie.
inline constexpr std::uint32_t kNotAConcept = 0xFFFFFFFEu;

struct CompiledMappings {
  CompiledMappings();

  mapping::MappingSet set;
  const std::uint64_t generation;      // distinguishes instances for per-thread caches
  std::unordered_map<std::string, std::size_t> concept_by_id;

  nlp::Vocabulary vocabulary;          // normal forms of every word of every term
  nlp::Vocabulary exact_vocabulary;    // exact forms of abbreviations
  nlp::PhraseIndex concept_terms;      // payload: index into set.concepts
  nlp::PhraseIndex concept_abbreviations{true};
  nlp::PhraseIndex method_terms;       // payload: index into set.methods
  nlp::PhraseIndex laterality_terms;   // payload: index into set.laterality
  nlp::PhraseIndex trigger_terms;      // payload: index into set.triggers
  std::vector<std::vector<std::uint32_t>> trigger_followers;  // per trigger: ids of unless_followed_by
  nlp::PhraseIndex heading_terms;      // payload: index into set.sections
  nlp::PhraseIndex sex_terms;          // payload: SexPayload
  nlp::PhraseIndex unit_terms;         // payload: index into set.units (spellings, tokenized)
  nlp::PhraseIndex interpretation_terms;  // payload: index into set.interpretations

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
