// nlp/tokens.h — tokens and the normal form that every phrase match compares.
//
// Reads the document text; writes Tokens (spans plus a vocabulary id). One tokenizer serves both
// the text and the mapping terms, so a term and the text it should match are normalized alike:
// ASCII case folded, Latin-1 accents folded, possessive 's dropped, plural endings removed
// ("nodules" → "nodule", "arteries" → "artery", "stenoses" → "stenosis").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casefhir/document.h"

namespace casefhir::nlp {

enum TokenFlag : std::uint8_t {
  kWord = 1,            // letters (and digits after a letter): "cheek", "CD68", "HbA1c"
  kNumber = 2,          // digits with an optional decimal part: "46", "0.5", "1,000"
  kPunct = 4,           // one punctuation character (ASCII or a known Unicode one)
  kCapitalized = 8,     // first letter upper case
  kAllCaps = 16,        // every letter upper case (and at least two letters)
  kLineStart = 32,      // first token on its line
  kParagraphStart = 64, // first token after a blank line (or of the document)
};

inline constexpr std::uint32_t kNoTerm = 0xFFFFFFFFu;

struct Token {
  Span span;
  std::uint32_t term = kNoTerm;   // vocabulary id of the normal form, kNoTerm if unknown
  std::uint32_t abbrev = kNoTerm; // vocabulary id of the exact form, for case-sensitive entries
  std::uint8_t flags = 0;
  char punct = 0;                 // the ASCII punctuation character, or a stand-in for Unicode ones

  bool is(TokenFlag f) const { return (flags & f) != 0; }
};

// Unicode punctuation that reads like ASCII punctuation is given an ASCII stand-in:
// dashes → '-', quotes → '\'' or '"', × → 'x', ≤ → '{', ≥ → '}' (stand-ins that ASCII text never
// uses as comparators), ° → 'o', ± → '+'.
// Non-breaking and thin spaces are white space.

// Splits text[range] into tokens, appending to out. term/abbrev ids are left kNoTerm.
void tokenize(std::string_view text, Span range, std::vector<Token>& out);

// Text of the document as a FHIR string carries it: every run of white space (ASCII or Unicode:
// no-break, thin, ideographic spaces) folded to one space, none at either end.
std::string as_written(std::string_view text);
// The same into `out` (replaced), reusing its buffer: for callers that read many such texts.
void as_written(std::string_view text, std::string& out);

// The normal form of one word token's text, written into out (cleared first).
void normalize_word(std::string_view raw, std::string& out);

std::uint64_t hash_bytes(std::string_view s);

// Word parts read in another spelling ("oedema" as "edema", "haem" as "hem"): applied to the
// normal form of every term when mappings are compiled and of every word of the text when it is
// looked up, so that either spelling of a word matches a term written in one. The rules are data
// (the mappings' term_rules.spellings); a rule with at_word_start applies only to a word that starts
// with it ("oesophag", not the "oesophag" of "gastroesophageal"), one with at_word_end only to a
// word that ends with it (an adjective read as its noun: "lymphopenic" as "lymphopenia"), one with
// both only to the whole word.
class Respeller {
 public:
  struct Rule {
    std::string written;   // lower case, as normalize_word writes it
    std::string read;
    bool at_word_start = false;
    bool at_word_end = false;   // with at_word_start: the whole word
  };
  Respeller() = default;
  explicit Respeller(std::vector<Rule> rules);
  // Rewrites a normal form in place.
  void apply(std::string& word) const;

 private:
  // A bit (of 64, by a hash) per pair of adjacent bytes that a string holds. A rule whose `written`
  // has a pair the word lacks cannot apply: most words are ruled out by every rule this way,
  // without a search (measured: respelling was 4 % of the text pipeline's instructions).
  static std::uint64_t pairs_in(std::string_view s);
  std::vector<Rule> rules_;
  std::vector<std::uint64_t> written_pairs_;   // pairs_in(rule.written), by rule
};

// A frozen table of words, found by open addressing: what a compiled dictionary holds, as spans
// into its memory. Ids are dense, in the order the words were interned.
class WordTable {
 public:
  WordTable() = default;
  // slots: power-of-two open-addressing table of ids (kNoTerm = empty); offsets: size() + 1 string
  // starts into pool.
  WordTable(std::span<const std::uint32_t> slots, std::span<const std::uint32_t> offsets, std::string_view pool)
      : slots_(slots), offsets_(offsets), pool_(pool) {}
  std::uint32_t find(std::string_view s) const { return find(s, hash_bytes(s)); }   // kNoTerm if absent
  std::uint32_t find(std::string_view s, std::uint64_t hash) const;                  // hash: hash_bytes(s)
  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::string_view at(std::uint32_t id) const { return pool_.substr(offsets_[id], offsets_[id + 1] - offsets_[id]); }

 private:
  std::span<const std::uint32_t> slots_;
  std::span<const std::uint32_t> offsets_;
  std::string_view pool_;
};

// Interns strings to dense ids; lookups do not allocate. A vocabulary may extend a frozen base
// table: the base keeps its ids, and new words are numbered after them.
class Vocabulary {
 public:
  explicit Vocabulary(const WordTable* base = nullptr) : base_(base), first_(base ? static_cast<std::uint32_t>(base->size()) : 0) {}
  std::uint32_t intern(std::string_view s);
  std::uint32_t find(std::string_view s) const { return find(s, hash_bytes(s)); }   // kNoTerm if absent
  std::uint32_t find(std::string_view s, std::uint64_t hash) const;                  // hash: hash_bytes(s)
  std::size_t size() const { return first_ + strings_.size(); }
  std::string_view at(std::uint32_t id) const { return id < first_ ? base_->at(id) : std::string_view(strings_[id - first_]); }

  // The words this vocabulary added, as the arrays of a WordTable (for a standalone dictionary,
  // where there is no base).
  struct Frozen {
    std::vector<std::uint32_t> slots;
    std::vector<std::uint32_t> offsets;
    std::string pool;
  };
  Frozen freeze() const;

 private:
  std::uint32_t find_own(std::string_view s, std::uint64_t hash) const;
  void grow();
  const WordTable* base_ = nullptr;
  std::uint32_t first_ = 0;            // id of the first word added here
  std::vector<std::string> strings_;
  std::vector<std::uint32_t> slots_;   // open addressing; kNoTerm = empty; own ids (without first_)
};

// ASCII letters in lower case, every other byte as it is (headings, attribute values, OIDs).
std::string ascii_lower(std::string_view s);
// The same into `out` (replaced), reusing its buffer.
void ascii_lower(std::string_view s, std::string& out);

// A term's identity when mapping terms are compared with each other (by the term rules, the
// dictionary compiler and the vocabulary merge, never against a report): ASCII letters in lower
// case (unless keep_case), each run of white space (space, tab, line feed, carriage return, form
// feed, vertical tab) one space, none at the ends. "Renal  Dysplasia\t" and "renal dysplasia" are
// one term. Unlike normalize_word it keeps plurals, accents and punctuation.
std::string fold_term(std::string_view term, bool keep_case = false);

// The shortest prefix of `term` whose fold_term is the first `n` characters of fold_term(term)
// (trailing white space included): where a cut made on the folded text falls in the original.
std::string_view unfolded_prefix(std::string_view term, std::size_t n);

}  // namespace casefhir::nlp
