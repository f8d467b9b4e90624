// mapping/dictionary.h — a compiled dictionary: concepts, their codes and the phrase indexes of
// their terms in one flat, position-independent block of memory.
//
// `casefhir mappings compile` writes one to a file; the built-in default is one compiled at build
// time and linked into the library. Loading is mapping the bytes and checking them (header,
// checksum, every index in range, every hash table with free slots): no parsing and no allocation per entry, so a vocabulary of
// hundreds of thousands of terms loads in milliseconds and is shared by every thread. Mapping
// files given at run time are compiled into a small dictionary of the same form (the overlay).
//
// Layout (all little-endian, each array 8-byte aligned): a Header, then the sections it lists.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casefhir/mapping.h"
#include "nlp/phrase_index.h"
#include "nlp/tokens.h"

namespace casefhir::mapping {

// A term's payload in a dictionary's phrase indexes: the concept's index in the dictionary (low
// bits), the synonym's scope, and whether the term needs a clinical neighbour to count.
inline constexpr std::uint32_t kConceptBits = 28;
inline constexpr std::uint32_t kConceptMask = (1u << kConceptBits) - 1;
inline constexpr std::uint32_t kNotAConcept = kConceptMask;   // a phrase that names nothing ("mass effect")
inline constexpr std::uint32_t kScopeShift = kConceptBits;    // two bits: TermScope
inline constexpr std::uint32_t kNeedsNeighbour = 1u << 30;
// An imported one-word term as the source writes it in small letters ("Pica", "Lead"): the same
// letters in capitals in a report are an abbreviation of something else (PICA, the artery).
inline constexpr std::uint32_t kNotInCapitals = 1u << 31;
enum class TermScope : std::uint8_t { exact, related, narrow, broad };
inline TermScope scope_of(std::uint32_t payload) { return static_cast<TermScope>((payload >> kScopeShift) & 3u); }

// When an imported concept names a hand-written one (at compile time, and across the layers at run
// time): a code of a system that identifies one concept (SNOMED CT, Disease Ontology, HPO, UMLS;
// not a classification such as ICD-10-CM, whose codes many concepts share), between concepts of
// one family of kinds (a disorder and a finding may name one thing).
inline bool identifies_a_concept(std::string_view system) {
  return system == "http://snomed.info/sct" || system == "http://purl.obolibrary.org/obo/doid.owl" ||
         system == "http://human-phenotype-ontology.org" || system == "http://www.nlm.nih.gov/research/umls";
}
inline ConceptKind kind_family(ConceptKind k) { return k == ConceptKind::finding ? ConceptKind::disorder : k; }

struct StrRef {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

struct CodingRecord {
  StrRef system, code, display, version;
};

// ConceptRecord::lab of a concept with no lab record.
inline constexpr std::uint32_t kNoLab = 0xFFFFFFFFu;

struct ConceptRecord {
  StrRef id;
  StrRef display;
  StrRef source;                // `sources` id of an imported entry
  std::uint32_t codes_begin = 0;
  std::uint32_t codes_count = 0;
  std::uint32_t lab = kNoLab;   // index into the lab records, for kind lab
  std::uint8_t kind = 0;        // ConceptKind
  std::uint8_t flags = 0;       // kSpecimen
  std::uint8_t pad[2] = {0, 0};
};
inline constexpr std::uint8_t kSpecimen = 1;

struct LabRecord {
  StrRef unit;
  StrRef category;
  double low = 0, high = 0;
  std::uint32_t components_begin = 0;   // into the codings
  std::uint32_t components_count = 0;
  std::uint8_t has_low = 0, has_high = 0;
  std::uint8_t pad[6] = {0, 0, 0, 0, 0, 0};
};

// The file layout: a Header, then the sections it lists, each 8-byte aligned. Public for the
// dictionary's reader and writer and for tests that damage a file on purpose; a change to it needs
// a new kFormatVersion.
namespace dictionary_format {

inline constexpr char kMagic[8] = {'C', 'F', 'H', 'R', 'D', 'I', 'C', 'T'};
inline constexpr std::uint32_t kFormatVersion = 1;

// The sections of a dictionary, in file order.
enum Section : std::uint32_t {
  kStrings,
  kConcepts,
  kCodings,
  kLabs,
  kIdSlots,
  kWordSlots,
  kWordOffsets,
  kWordPool,
  kExactSlots,
  kExactOffsets,
  kExactPool,
  kTermKeys,
  kTermTargets,
  kTermPayloadOffsets,
  kTermPayloads,
  kTermStarts,
  kAbbrevKeys,
  kAbbrevTargets,
  kAbbrevPayloadOffsets,
  kAbbrevPayloads,
  kAbbrevStarts,
  kRuleSources,   // StrRef pairs: file name, JSON text
  kCounts,        // uint64: terms compiled
  kSectionCount
};

struct SectionEntry {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

struct Header {
  char magic[8];
  std::uint32_t format_version;
  std::uint32_t section_count;
  std::uint64_t file_size;
  std::uint64_t checksum;   // checksum() of every byte after the header
  SectionEntry sections[kSectionCount];
};

std::uint64_t checksum(std::string_view bytes);

}  // namespace dictionary_format

class Dictionary;

// One concept of a dictionary, read in place.
class ConceptView {
 public:
  ConceptView(const Dictionary& d, std::uint32_t index) : d_(&d), index_(index) {}
  std::uint32_t index() const { return index_; }
  std::string_view id() const;
  std::string_view display() const;
  ConceptKind kind() const;
  bool specimen() const;
  std::string_view source() const;
  std::vector<Coding> codes() const;
  std::string_view observation_category() const;   // an analyte's ("" for other concepts)
  Concept to_concept() const;   // a copy with codes and lab attributes (no terms)

 private:
  const ConceptRecord& record() const;
  const Dictionary* d_;
  std::uint32_t index_;
};

class Dictionary {
 public:
  // Maps a compiled dictionary file and checks all of it: header, checksum, every index in range,
  // every hash table at most half full (so no lookup can probe forever). Throws
  // Error(mapping_invalid) naming the file and the problem.
  static std::shared_ptr<const Dictionary> open(const std::filesystem::path& path);
  // Bytes in memory (8-byte aligned) that `owner` keeps alive; checked as a file is.
  static std::shared_ptr<const Dictionary> from_memory(std::string_view bytes, std::string name,
                                                       std::shared_ptr<const void> owner = {});
  // The dictionary linked into the library, written by this build's own compiler: its header is
  // checked, but not its checksum and indexes, so start-up does not read all of it.
  static std::shared_ptr<const Dictionary> built_in(std::string_view bytes);
  static std::shared_ptr<const Dictionary> empty();

  const std::string& name() const { return name_; }
  std::size_t byte_size() const { return bytes_.size(); }
  std::size_t concept_count() const { return concepts_.size(); }
  ConceptView concept_at(std::uint32_t index) const { return ConceptView(*this, index); }
  std::optional<std::uint32_t> find(std::string_view id) const;
  std::size_t term_count() const { return term_count_; }

  const nlp::WordTable& words() const { return words_; }
  const nlp::WordTable& exact_words() const { return exact_words_; }
  const nlp::PhraseIndex& terms() const { return terms_; }
  const nlp::PhraseIndex& abbreviations() const { return abbreviations_; }
  // The rules of the mapping files it was compiled from (everything but concepts), in order.
  const std::vector<MappingSource>& rule_sources() const { return rule_sources_; }

  std::string_view str(StrRef r) const { return strings_.substr(r.offset, r.length); }
  std::span<const ConceptRecord> concept_records() const { return concepts_; }
  std::span<const CodingRecord> codings() const { return codings_; }
  std::span<const LabRecord> labs() const { return labs_; }

 private:
  Dictionary() : terms_(false), abbreviations_(true) {}
  void check_and_map(bool verify = true);   // fills the views; throws on anything out of range (when verify)

  std::string name_;
  std::string_view bytes_;
  std::shared_ptr<const void> owner_;
  std::string_view strings_;
  std::span<const ConceptRecord> concepts_;
  std::span<const CodingRecord> codings_;
  std::span<const LabRecord> labs_;
  std::span<const std::uint32_t> id_slots_;
  nlp::WordTable words_, exact_words_;
  nlp::PhraseIndex terms_, abbreviations_;
  std::vector<MappingSource> rule_sources_;
  std::size_t term_count_ = 0;
};

// What a dictionary is compiled from: merged entries, rules, and the words to intern into.
struct DictionaryInput {
  const std::vector<Concept>& concepts;
  const TermRules& rules;
  const std::vector<MappingSource>& rule_sources;
  nlp::Vocabulary& words;          // normal forms; a standalone dictionary starts from an empty one
  nlp::Vocabulary& exact_words;    // exact forms of abbreviations
  bool standalone = true;          // write the word tables (false: an overlay, whose words live in memory)
};

// The bytes of a dictionary (8-byte aligned when held in a std::string from this function).
std::string build_dictionary(const DictionaryInput& input);

// The spelling rules of term rules, as the matcher applies them to terms and text.
nlp::Respeller respeller_of(const TermRules& rules);

}  // namespace casefhir::mapping
