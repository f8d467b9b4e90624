// mapping/compiled.h — the merged mapping entries, and the layers the text pipeline matches
// against: a compiled dictionary (the base), the concepts of run-time mapping files compiled the
// same way (the overlay), and the phrase indexes of the rules.
// Built by loader.cpp (entries), dictionary.cpp (the flat form) and mappings.cpp (layers); read by
// the nlp stages and the FHIR writer.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "casefhir/mapping.h"
#include "mapping/dictionary.h"
#include "nlp/phrase_index.h"
#include "nlp/tokens.h"
#include "nlp/word_set.h"

namespace casefhir::mapping {

// Lists of words the text readers consult by name (`word_lists` in mappings/reading.json): the
// English a reading stage relies on is data a user can change, not code. Each id names one list.
enum class WordList : std::uint8_t {
  test_name_boundaries,   // words that end a test's name, read leftwards from its value
  test_heads,             // words that name a test when they end a phrase ("blood cultures")
  serology_heads,         // words after a disorder's name that make it a test ("HIV serology")
  value_fillers,          // words between an analyte and its value that say nothing of the value
  trend_words,            // words of a value's course ("rising", "ranged")
  target_words,           // words before an analyte that make its value a target ("keep", "goal")
  result_adverbs,         // words between a copula and a result word ("were all negative")
  reference_range_labels, // words that label a reference range ("normal range", "ref")
  course_verbs,           // verbs that take a value somewhere ("rose to", "fell to")
  uncoded_value_fillers,  // words between an uncoded test's name and its value
  body_measurement_heads, // names of a body measurement a length or mass can be a result of
  lesion_size_words,      // words that make a length a lesion's size ("maximal diameter")
  unitless_result_heads,  // names a number without a unit can be a result of ("score", "index")
  ratio_result_heads,     // names a value out of a maximum is a result of ("score 17/30", "acuity 20/40")
  other_specimens,        // specimens other than blood that change what an analyte's value is ("urine")
  gene_heads,             // words after a disorder's name that make it a gene's name ("the DMD gene")
  generic_heads,          // words that name no test by themselves ("level", "ratio", "right")
  showing_verbs,          // verbs by which a test gives its result ("the ECG showed …")
  times_of_stay,          // moments of a stay a test is dated by ("on admission")
  score_verbs,            // verbs that give a score before its scale ("scored 15 on the GCS")
  done_verbs,             // participles of doing a test ("the biopsy, performed at …, was normal")
  scale_heads,            // words that end the name of a scale a score is given on ("scored 15 on the GCS")
  name_filler_words,      // words that make no disorder's name more specific ("of", "disease")
  organisation_heads,     // capitalised words that make a name an organisation's ("Cancer Center")
  finding_verbs,          // verbs a finding takes as its own predicate ("fever persisted")
  clause_verbs,           // verbs that make the words before an "and" a clause ("he *had* fever and …")
  cause_search_heads,     // words that name a search for a finding's cause ("fever *workup*")
  site_determiners,       // words between "of" and the site of a term ("dissection of *the* right …")
  trigger_adverbs,        // adverbs read through inside a context trigger ("was *also* denied")
  degree_adverbs,         // adverbs that make a "not" a hedge ("did not *clearly* show a mass")
  frequency_adverbs,      // adverbs that make a "not" say "at times" ("not *consistently* present")
  excision_word_endings,  // endings of a word that names an excision ("nephr*ectomy*"): the concept "excision"
  operation_word_endings, // endings of a word that names an operation ("thorac*otomy*"): the concept "surgical-procedure"
  not_procedure_words,    // words with such an ending that name no procedure ("dichotomy")
  given_verbs,            // participles that say a treatment was given ("chemotherapy was *started*")
  lasting_condition_categories,   // ICD-10-CM categories of conditions that, once had, last (E11, I10, N18)
  lasting_condition_exceptions,   // ICD-10-CM codes of those categories that are acute events (E11.1 ketoacidosis)
};
inline constexpr std::size_t kWordListCount = 37;
std::string_view to_string(WordList list);   // its id in mapping files ("test-heads")
std::optional<WordList> word_list_named(std::string_view id);

struct WordListRule {
  std::string id;
  std::string origin;               // file#/word_lists/N
  std::vector<std::string> words;   // lower case, one word each
};

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
  std::vector<WordListRule> word_lists;
  std::vector<SourceInfo> sources;
  TermRules term_rules;
  // Codes a source has but did not import as concepts (a SNOMED CT event or qualifier), by
  // "system|code": a merge drops other sources' cross-references to them.
  std::unordered_map<std::string, std::string> excluded_codes;
  // "febrile at 39.4 °C" is a body temperature: the analyte whose values a finding's value
  // measures, as (finding concept id, analyte id), from `measured_findings`; a later file's pair
  // for a finding replaces an earlier one.
  std::vector<std::pair<std::string, std::string>> measured_findings;
  // Files as read, without their concepts: what a compiled dictionary carries of its rules. Kept
  // only when asked for (keep_rule_sources): writing them out again was a third of the start-up
  // of every conversion, which never reads them.
  bool keep_rule_sources = false;
  std::vector<MappingSource> rule_sources;
  // Layered on a dictionary: which of its concepts the files replaced or removed, and how to ask
  // whether it has an id.
  std::vector<std::string> hidden_base_ids;
  std::function<bool(std::string_view)> base_has;
  // The name of the dictionary the set is layered on, when that dictionary holds imported concepts:
  // their terms were chosen by its term rules when it was compiled, so a file may not change those
  // rules here (only blocked_phrases and neighbour_window apply at run time). Empty otherwise.
  std::string rules_compiled_into;
  // What was merged, as the user named it (a dictionary, folders, files): where a check across
  // files (check_complete) says the problem is.
  std::vector<std::string> layer_names;
  // Position of each entry by key, so merging stays linear in the number of entries.
  std::unordered_map<std::string, std::size_t> concept_index, method_index, laterality_index, unit_index, trigger_index,
      section_index, interpretation_index, source_index, word_list_index;
};

// Merges one mapping file into the set. Throws Error(mapping_invalid) with file and pointer.
// A file named *.gz is gunzipped first.
void merge_source(MappingSet& set, const MappingSource& source);

// Checks that hold across files (after all layers): unique unit spellings, a resource rule for
// every kind, age codes present. Throws Error(mapping_invalid) located at `what` (the layers that
// were loaded, as the user named them: "my.dict, my-mappings").
void check_complete(const MappingSet& set, const std::string& what = "mapping files");

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

  // How the layers meet. A concept index is global: the base's concepts, then the overlay's.
  // A term whose payload names a concept of one layer may lead elsewhere (mappings.cpp, compile):
  //   - a base concept the overlay removed names nothing (kRemoved);
  //   - a base concept the overlay replaced leads to the replacement, so the terms the dictionary
  //     matched for it (its own, and the synonyms imported concepts lent it when it was compiled)
  //     still find it;
  //   - an imported concept that shares a concept identifier (SNOMED CT, DOID, HPO, UMLS) with
  //     exactly one hand-written concept of the other layer leads to it, as it would had both been
  //     compiled together (dictionary.cpp, stands_for).
  static constexpr std::uint32_t kSelf = 0xFFFFFFFFu;      // names itself
  static constexpr std::uint32_t kRemoved = 0xFFFFFFFEu;   // names nothing
  std::vector<std::uint32_t> base_leads_to;      // per base concept (empty: every one names itself)
  std::vector<std::uint32_t> overlay_leads_to;   // per overlay concept (empty: every one names itself)
  std::vector<std::uint32_t> hidden;             // base concepts the overlay replaced or removed, ascending
  std::vector<std::uint32_t> removed;            // of those, the ones removed, ascending
  std::vector<std::uint32_t> added;              // overlay concepts that replace nothing, ascending

  nlp::Vocabulary vocabulary;          // normal forms: the base dictionary's words, then the rest
  nlp::Respeller respeller;            // the term rules' spellings: applied to a normal form before it is looked up
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
  std::array<nlp::WordSet, mapping::kWordListCount> word_sets;   // set.word_lists by mapping::WordList
  const nlp::WordSet& words(mapping::WordList list) const { return word_sets[static_cast<std::size_t>(list)]; }
  // set.measured_findings by global index: a finding's concept → the analyte its values measure
  // (nlp/lab_results.cpp). Pairs naming a concept not in effect are left out.
  std::unordered_map<std::uint32_t, std::uint32_t> analyte_measuring;

  // Concepts of both layers by global index, hidden ones included (a mention's concept_index).
  std::uint32_t concept_count() const { return static_cast<std::uint32_t>(base->concept_count() + overlay->concept_count()); }
  mapping::ConceptView concept_at(std::uint32_t index) const {
    const auto n = static_cast<std::uint32_t>(base->concept_count());
    return index < n ? base->concept_at(index) : overlay->concept_at(index - n);
  }
  // The concepts in effect, as the files were merged: the base's in order, each replacement in the
  // place of the concept it replaced and without the removed ones, then the overlay's additions.
  // visible_at maps 0 … visible_count() - 1 to global indexes.
  std::uint32_t visible_count() const {
    return static_cast<std::uint32_t>(base->concept_count() - removed.size() + added.size());
  }
  std::uint32_t visible_at(std::uint32_t n) const;
  bool is_hidden(std::uint32_t base_index) const { return std::binary_search(hidden.begin(), hidden.end(), base_index); }
  std::optional<std::uint32_t> find_concept(std::string_view id) const;
  // The global concept a payload of one layer's phrase index names (mapping::kNotAConcept for a
  // blocked phrase), or kRemoved when it names nothing in effect.
  std::uint32_t resolve(std::uint32_t payload, bool in_base) const;
  // How a term of a concept ranks against a term of another layer that ends at the same word: a
  // blocked phrase first, then hand-written concepts, then imported ones by the term rules'
  // source_precedence (mappings/README.md, "Term rules"). Smaller is preferred.
  std::uint32_t rank(std::uint32_t global_index) const;
  // The longest concept term (or abbreviation) at tokens[i], before limit. On a tie between the
  // layers the better rank wins, then the overlay. False when none starts there.
  // Called on every word of a report, most of which start no term: that answer comes from the
  // four indexes' start bits, inline, without the walk and its bookkeeping.
  bool match_concept(std::span<const nlp::Token> tokens, std::size_t i, std::size_t limit, ConceptMatch& match) const {
    if (i >= limit) return false;
    const nlp::Token& t = tokens[i];
    if (!base->terms().may_start_with(t) && !base->abbreviations().may_start_with(t) &&
        !overlay->terms().may_start_with(t) && !overlay->abbreviations().may_start_with(t))
      return false;
    return longest_concept(tokens, i, limit, match);
  }

  // The rule of a section role, or of a kind (nullptr when there is none): the one lookup both
  // the pipeline and Mappings use.
  const SectionRule* section_rule(std::string_view role) const;
  const ResourceRule* resource_rule(ConceptKind kind) const;

  // Tokenizes a term and returns its normal-form ids (interning new words when `intern`).
  std::vector<std::uint32_t> term_ids(std::string_view term, bool intern);
  // Sets Token::term and Token::abbrev for tokens of a document.
  void look_up(std::string_view text, std::vector<nlp::Token>& tokens) const;

 private:
  // match_concept past its start test (i < limit, and some index may start at tokens[i]): the
  // walks of the same four indexes that test names, so an index added here is added there too.
  bool longest_concept(std::span<const nlp::Token> tokens, std::size_t i, std::size_t limit, ConceptMatch& match) const;
};

}  // namespace casefhir::detail
