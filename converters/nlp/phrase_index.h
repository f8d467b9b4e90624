// nlp/phrase_index.h — longest-match lookup of multi-word phrases over tokens.
//
// Built once from mapping terms (concepts, triggers, headings, methods, …) and shared read-only
// by every document. A phrase is a sequence of vocabulary ids; matching skips the connector
// punctuation that writers put inside terms ("non-Hodgkin", "p.o.", "and/or"), never commas,
// brackets or sentence punctuation.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nlp/tokens.h"

namespace casefhir::nlp {

class PhraseIndex {
 public:
  // exact: match Token::abbrev (case-sensitive forms) instead of Token::term.
  explicit PhraseIndex(bool exact = false) : exact_(exact) {}

  void add(std::span<const std::uint32_t> terms, std::uint32_t payload);

  struct Match {
    std::uint32_t end = 0;        // one past the last token of the match
    std::uint32_t payload_begin = 0;
    std::uint32_t payload_end = 0;
  };
  // The longest phrase that starts at tokens[i] and ends before tokens[limit]. Most tokens start
  // no phrase, so that test is inline; the walk is not.
  bool longest(std::span<const Token> tokens, std::size_t i, std::size_t limit, Match& match) const {
    if (i >= limit) return false;
    const std::uint32_t first = exact_ ? tokens[i].abbrev : tokens[i].term;
    if (first >= starts_.size() || !starts_[first]) return false;   // kNoTerm is always out of range
    // The first step is the array above, not the hash table: most walks end at the second word.
    return walk(tokens, i, limit, match);
  }
  std::span<const std::uint32_t> payloads(const Match& m) const {
    return std::span<const std::uint32_t>(payloads_).subspan(m.payload_begin, m.payload_end - m.payload_begin);
  }
  bool empty() const { return states_ <= 1; }

 private:
  bool walk(std::span<const Token> tokens, std::size_t i, std::size_t limit, Match& match) const;
  std::uint32_t step(std::uint32_t state, std::uint32_t term) const;
  std::uint32_t add_step(std::uint32_t state, std::uint32_t term);
  void grow();

  bool exact_;
  std::uint32_t states_ = 1;                     // state 0 is the root
  // Transitions, open addressing: key = state << 32 | term.
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> targets_;
  std::size_t used_ = 0;
  // Per state, the payload range of phrases that end there (filled by add; ranges fixed in place).
  std::vector<std::vector<std::uint32_t>> pending_;
  mutable std::vector<std::uint32_t> payloads_;
  std::vector<std::uint32_t> payload_begin_, payload_end_;
  std::vector<std::uint32_t> starts_;            // by term id: the state after it from the root (0: none)

 public:
  // Called once after the last add().
  void compile();
};

// Tokens that may sit inside a term without breaking it.
inline bool is_connector(const Token& t) {
  return t.is(kPunct) && (t.punct == '-' || t.punct == '/' || t.punct == '\'' || t.punct == '.');
}

}  // namespace casefhir::nlp
