// Compiled dictionaries read from files (converters/mapping/dictionary.*): Dictionary::open checks
// everything a later lookup relies on, so a damaged or hand-made file is refused at start-up with
// a message, never a hang or a read out of bounds. Each case compiles a small dictionary, damages
// one table the way a crafted file would, writes the header's checksum again with the format's
// own checksum function (so only the new checks can catch it) and opens the file.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "casefhir/errors.h"
#include "mapping/dictionary.h"
#include "nlp/phrase_index.h"
#include "nlp/tokens.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
namespace format = mapping::dictionary_format;

Concept concept_of(std::string id, ConceptKind kind, std::vector<std::string> terms, std::vector<std::string> abbreviations,
                   std::string code) {
  Concept c;
  c.id = std::move(id);
  c.kind = kind;
  c.terms = std::move(terms);
  c.abbreviations = std::move(abbreviations);
  c.display = c.terms.front();
  c.codes = {Coding{"urn:example:codes", std::move(code), "", ""}};
  return c;
}

// A dictionary as `casefhir mappings compile` writes one: standalone, with its word tables.
std::string compiled_dictionary() {
  const std::vector<Concept> concepts = {
      concept_of("fever", ConceptKind::finding, {"fever", "pyrexia"}, {}, "F-1"),
      concept_of("myocardial-infarction", ConceptKind::disorder, {"myocardial infarction", "heart attack"}, {"MI"}, "MI-1"),
      concept_of("chronic-kidney-disease", ConceptKind::disorder, {"chronic kidney disease"}, {"CKD"}, "CKD-1"),
  };
  const TermRules rules;
  const std::vector<MappingSource> rule_sources;
  nlp::Vocabulary words, exact;
  return mapping::build_dictionary({concepts, rules, rule_sources, words, exact, /*standalone=*/true});
}

// The bytes of a dictionary, with the means to damage a section and seal the file again.
class DictionaryBytes {
 public:
  DictionaryBytes() : bytes_(compiled_dictionary()) {}

  format::Header header() const {
    format::Header h;
    std::memcpy(&h, bytes_.data(), sizeof h);
    return h;
  }
  template <class T>
  std::span<T> section(format::Section s) {
    const format::SectionEntry e = header().sections[s];
    return std::span<T>(reinterpret_cast<T*>(bytes_.data() + e.offset), e.size / sizeof(T));
  }
  // Makes a section shorter (a table of fewer slots); the bytes after it stay, as padding.
  void shrink(format::Section s, std::size_t entries, std::size_t entry_size) {
    format::Header h = header();
    BOOST_TEST_REQUIRE(entries * entry_size <= h.sections[s].size);
    h.sections[s].size = entries * entry_size;
    std::memcpy(bytes_.data(), &h, sizeof h);
  }
  // The header's checksum written again, as a crafted file would have it.
  void seal() {
    format::Header h = header();
    h.checksum = format::checksum(std::string_view(bytes_).substr(sizeof h));
    std::memcpy(bytes_.data(), &h, sizeof h);
  }
  fs::path write(const std::string& name) {
    seal();
    const fs::path path = temp_dir("dictionary-format") / name;
    write_text_file(path, bytes_);
    return path;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

// The message Dictionary::open gives for a file, or nothing when it opens.
std::optional<std::string> refusal(const fs::path& path) {
  try {
    mapping::Dictionary::open(path);
  } catch (const Error& e) {
    BOOST_TEST((e.kind() == ErrorKind::mapping_invalid));
    return std::string(e.what());
  }
  return std::nullopt;
}

bool contains(const std::optional<std::string>& message, const std::string& part) {
  return message && message->find(part) != std::string::npos;
}

// The first free slot of a phrase index's transition table.
std::size_t free_key(std::span<std::uint64_t> keys) {
  for (std::size_t k = 0; k < keys.size(); ++k)
    if (keys[k] == nlp::PhraseIndex::kEmptyKey) return k;
  BOOST_FAIL("the transition table has no free slot");
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dictionary_format)

BOOST_AUTO_TEST_CASE(a_dictionary_the_compiler_wrote_opens_and_finds_its_words) {
  DictionaryBytes d;
  const fs::path path = d.write("good.dict");
  BOOST_TEST(!refusal(path).has_value());
  const auto dictionary = mapping::Dictionary::open(path);
  BOOST_TEST(dictionary->concept_count() == 3u);
  BOOST_TEST(dictionary->words().find("pyrexia") != nlp::kNoTerm);
  BOOST_TEST(dictionary->words().find("absent") == nlp::kNoTerm);
  BOOST_TEST(dictionary->exact_words().find("CKD") != nlp::kNoTerm);
}

BOOST_AUTO_TEST_CASE(a_damaged_byte_is_caught_by_the_checksum) {
  DictionaryBytes d;
  d.seal();
  std::string bytes = d.bytes();
  bytes[bytes.size() - 9] ^= 0x20;
  const fs::path path = temp_dir("dictionary-format") / "flipped.dict";
  write_text_file(path, bytes);
  BOOST_TEST(contains(refusal(path), "is damaged (checksum mismatch)"));
}

// Review C1: a word table with no free slot made every lookup of an unknown word loop forever, so
// `casefhir convert --dictionary` hung on the first word of a report.
BOOST_AUTO_TEST_CASE(a_full_word_table_is_refused) {
  DictionaryBytes d;
  d.shrink(format::kWordSlots, 1, sizeof(std::uint32_t));
  d.section<std::uint32_t>(format::kWordSlots)[0] = 0;   // word 0 in the only slot
  const auto message = refusal(d.write("words-full.dict"));
  BOOST_TEST(contains(message, "the word table is more than half full (1 of 1 slots)"), message.value_or("(opened)"));
}

BOOST_AUTO_TEST_CASE(a_full_abbreviation_word_table_is_refused) {
  DictionaryBytes d;
  d.shrink(format::kExactSlots, 1, sizeof(std::uint32_t));
  d.section<std::uint32_t>(format::kExactSlots)[0] = 0;
  const auto message = refusal(d.write("exact-full.dict"));
  BOOST_TEST(contains(message, "the abbreviation word table is more than half full"), message.value_or("(opened)"));
}

BOOST_AUTO_TEST_CASE(a_word_table_more_than_half_full_is_refused) {
  DictionaryBytes d;
  auto slots = d.section<std::uint32_t>(format::kWordSlots);
  std::size_t used = 0;
  for (const auto s : slots) used += s != nlp::kNoTerm;
  // Fill free slots with word 0 until more than half are used: still a free slot, but not a table
  // casefhir writes.
  for (auto& s : slots)
    if (s == nlp::kNoTerm && used * 2 <= slots.size()) {
      s = 0;
      ++used;
    }
  const auto message = refusal(d.write("words-crowded.dict"));
  BOOST_TEST(contains(message, "the word table is more than half full"), message.value_or("(opened)"));
}

// Review C2: the same for the transition tables of the phrase indexes.
BOOST_AUTO_TEST_CASE(a_full_transition_table_is_refused) {
  DictionaryBytes d;
  const auto keys = d.section<std::uint64_t>(format::kTermKeys);
  std::uint64_t used_key = 0;
  std::uint32_t target = 0;
  for (std::size_t k = 0; k < keys.size(); ++k)
    if (keys[k] != nlp::PhraseIndex::kEmptyKey) {
      used_key = keys[k];
      target = d.section<std::uint32_t>(format::kTermTargets)[k];
      break;
    }
  d.shrink(format::kTermKeys, 1, sizeof(std::uint64_t));
  d.shrink(format::kTermTargets, 1, sizeof(std::uint32_t));
  d.section<std::uint64_t>(format::kTermKeys)[0] = used_key;
  d.section<std::uint32_t>(format::kTermTargets)[0] = target;
  const auto message = refusal(d.write("keys-full.dict"));
  BOOST_TEST(contains(message, "the term index's transition table is more than half full (1 of 1 slots)"), message.value_or("(opened)"));
}

BOOST_AUTO_TEST_CASE(a_full_abbreviation_transition_table_is_refused) {
  DictionaryBytes d;
  const auto keys = d.section<std::uint64_t>(format::kAbbrevKeys);
  std::uint64_t used_key = 0;
  for (const auto k : keys)
    if (k != nlp::PhraseIndex::kEmptyKey) used_key = k;
  BOOST_TEST_REQUIRE(used_key != 0u);
  d.shrink(format::kAbbrevKeys, 1, sizeof(std::uint64_t));
  d.shrink(format::kAbbrevTargets, 1, sizeof(std::uint32_t));
  d.section<std::uint64_t>(format::kAbbrevKeys)[0] = used_key;
  d.section<std::uint32_t>(format::kAbbrevTargets)[0] = 1;
  const auto message = refusal(d.write("abbreviations-full.dict"));
  BOOST_TEST(contains(message, "the abbreviation index's transition table is more than half full"), message.value_or("(opened)"));
}

BOOST_AUTO_TEST_CASE(a_transition_from_a_state_that_does_not_exist_is_refused) {
  DictionaryBytes d;
  const auto keys = d.section<std::uint64_t>(format::kTermKeys);
  keys[free_key(keys)] = (std::uint64_t{12345} << 32) | 0u;
  const auto message = refusal(d.write("key-state.dict"));
  BOOST_TEST(contains(message, "the term index has a transition from a state that does not exist"), message.value_or("(opened)"));
}

BOOST_AUTO_TEST_CASE(a_transition_on_a_word_that_does_not_exist_is_refused) {
  DictionaryBytes d;
  const auto keys = d.section<std::uint64_t>(format::kAbbrevKeys);
  keys[free_key(keys)] = (std::uint64_t{0} << 32) | 99999u;
  const auto message = refusal(d.write("key-word.dict"));
  BOOST_TEST(contains(message, "the abbreviation index has a transition on a word that does not exist"), message.value_or("(opened)"));
}

BOOST_AUTO_TEST_CASE(a_phrase_that_starts_on_a_word_that_does_not_exist_is_refused) {
  DictionaryBytes d;
  // The starts table is indexed by word: longer than the word table, it names words that do not
  // exist. Grown into the padding the writer leaves after it (or into the next section).
  const auto header = d.header();
  const auto& starts = header.sections[format::kTermStarts];
  const auto& words = header.sections[format::kWordOffsets];
  BOOST_TEST_REQUIRE(starts.size / 4 <= words.size / 4 - 1);
  format::Header h = header;
  h.sections[format::kTermStarts].size = (words.size / 4) * 4;   // one more entry than there are words
  if (h.sections[format::kTermStarts].offset + h.sections[format::kTermStarts].size > h.file_size) return;
  std::string bytes = d.bytes();
  std::memcpy(bytes.data(), &h, sizeof h);
  // Zero the added entries (state 0: none), so that only the length is wrong.
  std::memset(bytes.data() + starts.offset + starts.size, 0, h.sections[format::kTermStarts].size - starts.size);
  h.checksum = format::checksum(std::string_view(bytes).substr(sizeof h));
  std::memcpy(bytes.data(), &h, sizeof h);
  const fs::path path = temp_dir("dictionary-format") / "starts.dict";
  write_text_file(path, bytes);
  const auto message = refusal(path);
  BOOST_TEST(contains(message, "the term index starts on a word that does not exist"), message.value_or("(opened)"));
}

BOOST_AUTO_TEST_CASE(a_full_id_table_is_refused) {
  DictionaryBytes d;
  d.shrink(format::kIdSlots, 1, sizeof(std::uint32_t));
  d.section<std::uint32_t>(format::kIdSlots)[0] = 0;
  const auto message = refusal(d.write("ids-full.dict"));
  BOOST_TEST(contains(message, "the id table is more than half full"), message.value_or("(opened)"));
}

// The built-in dictionary is trusted (start-up does not read all of it), so its lookups must end
// even on a table with no free slot: they count their probes. Before, these calls never returned.
BOOST_AUTO_TEST_CASE(lookups_in_a_full_table_end_even_when_the_table_was_not_checked) {
  DictionaryBytes d;
  d.shrink(format::kWordSlots, 1, sizeof(std::uint32_t));
  d.section<std::uint32_t>(format::kWordSlots)[0] = 0;
  d.seal();
  const std::string bytes = d.bytes();   // a std::string's buffer is 8-byte aligned
  const auto trusted = mapping::Dictionary::built_in(bytes);
  BOOST_TEST(trusted->words().find("not-a-word") == nlp::kNoTerm);

  // A phrase index whose one slot is taken: "fever" (term 1) starts a phrase; the step on to
  // term 7 probes the whole table and finds nothing.
  const std::vector<std::uint64_t> keys = {(std::uint64_t{1} << 32) | 5u};
  const std::vector<std::uint32_t> targets = {2};
  const std::vector<std::uint32_t> payload_offsets = {0, 1, 2, 2};
  const std::vector<std::uint32_t> payloads = {0, 1};
  const std::vector<std::uint32_t> starts = {0, 1};
  const auto index = nlp::PhraseIndex::over({keys, targets, payload_offsets, payloads, starts}, false);
  std::vector<nlp::Token> tokens(2);
  tokens[0].term = 1;
  tokens[0].flags = nlp::kWord;
  tokens[1].term = 7;
  tokens[1].flags = nlp::kWord;
  nlp::PhraseIndex::Match ends[4];
  BOOST_TEST(index.all_ends(tokens, 0, tokens.size(), ends, 4) == 1u);
  BOOST_TEST(ends[0].end == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
