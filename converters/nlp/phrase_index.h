// nlp/phrase_index.h — longest-match lookup of multi-word phrases over tokens.
//
// Built once from mapping terms (concepts, triggers, headings, methods, …) and shared read-only
// by every document. A phrase is a sequence of vocabulary ids; matching skips the connector
// punctuation that writers put inside terms ("non-Hodgkin", "p.o.", "and/or"), never commas,
// brackets or sentence punctuation.
//
// An index is built (add, then compile) in memory, or is a view over the arrays of a compiled
// dictionary (PhraseIndex::over): lookups read the same flat arrays either way.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "nlp/tokens.h"

namespace casefhir::nlp {

class PhraseIndex {
 public:
  // The flat form: what lookups read, and what a compiled dictionary stores.
  struct Arrays {
    std::span<const std::uint64_t> keys;             // transitions, open addressing: state << 32 | term (kEmptyKey: free)
    std::span<const std::uint32_t> targets;          // the state each key leads to
    std::span<const std::uint32_t> payload_offsets;  // per state (and one past the last): its payload range
    std::span<const std::uint32_t> payloads;
    std::span<const std::uint32_t> starts;           // by term id: the state after it from the root (0: none);
                                                     // may be empty (a sparse index steps from the root)
  };

  // A free slot of `keys`. The table is kept at most half full.
  static constexpr std::uint64_t kEmptyKey = ~0ULL;

  // exact: match Token::abbrev (case-sensitive forms) instead of Token::term.
  explicit PhraseIndex(bool exact = false) : exact_(exact) {}
  // A view over arrays that outlive the index (a mapped dictionary).
  static PhraseIndex over(const Arrays& arrays, bool exact);

  PhraseIndex(PhraseIndex&&) = default;              // vectors move their buffers: the spans stay valid
  PhraseIndex& operator=(PhraseIndex&&) = default;
  PhraseIndex(const PhraseIndex&) = delete;
  PhraseIndex& operator=(const PhraseIndex&) = delete;

  void add(std::span<const std::uint32_t> terms, std::uint32_t payload);
  // Called once after the last add(). A state's payloads are kept once each, ordered by `before`
  // (default: ascending), so the preferred one is first.
  void compile(const std::function<bool(std::uint32_t, std::uint32_t)>& before = {});
  const Arrays& arrays() const { return a_; }

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
    // A bit per term, so that the common case (no phrase starts here) stays in the first-level
    // cache even for a vocabulary of hundreds of thousands of words.
    if (!may_start(first)) return false;
    // The first step is an array (starts), not the hash table, where the index keeps one: most
    // walks end at the second word.
    return walk(tokens, i, limit, match);
  }
  // Every phrase that starts at tokens[i], longest first (at most `max` ends): for callers that
  // must reject the longest match and fall back to a shorter one.
  std::size_t all_ends(std::span<const Token> tokens, std::size_t i, std::size_t limit, Match* out, std::size_t max) const;
  // Whether some phrase may start with this token (no phrase does when false).
  bool may_start_with(const Token& t) const { return may_start(exact_ ? t.abbrev : t.term); }
  std::span<const std::uint32_t> payloads(const Match& m) const {
    return a_.payloads.subspan(m.payload_begin, m.payload_end - m.payload_begin);
  }
  bool empty() const { return a_.payloads.empty(); }

 private:
  // An array of starts is kept when at least one term in kDenseStarts starts a phrase.
  static constexpr std::size_t kDenseStarts = 16;
  bool may_start(std::uint32_t term) const {   // kNoTerm is out of range
    return term < start_limit_ && (start_bits_[term >> 6] >> (term & 63) & 1);
  }
  std::uint32_t first_step(std::uint32_t term) const {
    return term < a_.starts.size() ? a_.starts[term] : a_.starts.empty() ? step(0, term) : 0;
  }
  bool walk(std::span<const Token> tokens, std::size_t i, std::size_t limit, Match& match) const;
  std::uint32_t step(std::uint32_t state, std::uint32_t term) const;
  // Filters derived from the arrays (for a mapped dictionary as for one built in memory): which
  // terms start a phrase, and a one-bit-per-slot sketch of the transitions, so that most steps
  // that lead nowhere are answered without touching the (large) transition table.
  void derive_filters();
  bool may_step(std::uint32_t state, std::uint32_t term) const;
  // Whether a state ends a phrase (has payloads): one bit per state, read instead of two offsets
  // of the much larger payload_offsets array, which most states reached by a walk do not need.
  bool ends_phrase(std::uint32_t state) const { return final_bits_[state >> 6] >> (state & 63) & 1; }
  std::uint32_t add_step(std::uint32_t state, std::uint32_t term);
  void grow();

  bool exact_;
  Arrays a_;
  // Building (and, for an index built in memory, the storage a_ points at).
  std::uint32_t states_ = 1;                     // state 0 is the root
  std::size_t used_ = 0;
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> targets_;
  std::vector<std::vector<std::uint32_t>> pending_;   // per state, until compile()
  std::uint32_t last_start_ = 0;                      // the highest first word added, until compile()
  std::vector<std::uint32_t> payload_offsets_;
  std::vector<std::uint32_t> payloads_;
  std::vector<std::uint32_t> starts_;
  std::vector<std::uint64_t> start_bits_;          // by term id: whether it starts a phrase
  std::size_t start_limit_ = 0;                    // one past the highest term that starts one
  std::vector<std::uint64_t> step_bits_;
  std::vector<std::uint64_t> final_bits_;          // by state: whether it has payloads (ends_phrase)
};

// Tokens that may sit inside a term without breaking it.
inline bool is_connector(const Token& t) {
  return t.is(kPunct) && (t.punct == '-' || t.punct == '/' || t.punct == '\'' || t.punct == '.');
}

}  // namespace casefhir::nlp
