// nlp/tokens.h — tokens and the normal form that every phrase match compares.
//
// Reads the document text; writes Tokens (spans plus a vocabulary id). One tokenizer serves both
// the text and the mapping terms, so a term and the text it should match are normalized alike:
// ASCII case folded, Latin-1 accents folded, possessive 's dropped, plural endings removed
// ("nodules" → "nodule", "arteries" → "artery", "stenoses" → "stenosis").
#pragma once

#include <cstdint>
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

// The normal form of one word token's text, written into out (cleared first).
void normalize_word(std::string_view raw, std::string& out);

// Interns strings to dense ids; lookups do not allocate.
class Vocabulary {
 public:
  std::uint32_t intern(std::string_view s);
  std::uint32_t find(std::string_view s) const;   // kNoTerm if absent
  std::size_t size() const { return strings_.size(); }
  std::string_view at(std::uint32_t id) const { return strings_[id]; }

 private:
  void grow();
  std::vector<std::string> strings_;
  std::vector<std::uint32_t> slots_;   // open addressing; kNoTerm = empty
};

std::uint64_t hash_bytes(std::string_view s);

}  // namespace casefhir::nlp
