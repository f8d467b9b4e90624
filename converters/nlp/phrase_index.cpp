#include "nlp/phrase_index.h"

#include <algorithm>

namespace casefhir::nlp {

namespace {
constexpr std::uint64_t kEmpty = PhraseIndex::kEmptyKey;
std::uint64_t mix(std::uint64_t k) {
  k ^= k >> 31;
  k *= 0x7fb5d329728ea185ULL;
  k ^= k >> 27;
  return k;
}
}  // namespace

PhraseIndex PhraseIndex::over(const Arrays& arrays, bool exact) {
  PhraseIndex index(exact);
  index.a_ = arrays;
  index.derive_filters();
  return index;
}

namespace {
// The sketch's bit of a transition: another mix of the key than the table's, so that a collision
// in one is not a collision in the other.
std::uint64_t sketch_bit(std::uint64_t key) { return mix(key * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL); }
}  // namespace

void PhraseIndex::derive_filters() {
  // Which terms start a phrase: those with a state in `starts`, or, for an index that keeps no
  // such array, the transitions from the root.
  std::size_t used = 0;
  std::uint32_t last_start = 0;
  bool any_start = false;
  for (const auto k : a_.keys) {
    if (k == kEmpty) continue;
    ++used;
    if ((k >> 32) == 0 && a_.starts.empty()) {
      any_start = true;
      last_start = std::max(last_start, static_cast<std::uint32_t>(k));
    }
  }
  start_limit_ = !a_.starts.empty() ? a_.starts.size() : any_start ? std::size_t{last_start} + 1 : 0;
  start_bits_.assign(start_limit_ / 64 + 1, 0);
  for (std::size_t t = 0; t < a_.starts.size(); ++t)
    if (a_.starts[t]) start_bits_[t >> 6] |= std::uint64_t{1} << (t & 63);
  const std::size_t states = a_.payload_offsets.empty() ? 0 : a_.payload_offsets.size() - 1;
  final_bits_.assign(states / 64 + 1, 0);
  for (std::size_t s = 0; s < states; ++s)
    if (a_.payload_offsets[s + 1] > a_.payload_offsets[s]) final_bits_[s >> 6] |= std::uint64_t{1} << (s & 63);
  // About eight bits per transition: one in twenty steps that lead nowhere still probes the table.
  std::size_t bits = 64;
  while (bits < used * 8) bits *= 2;
  step_bits_.assign(bits / 64, 0);
  for (const auto k : a_.keys) {
    if (k == kEmpty) continue;
    if ((k >> 32) == 0 && a_.starts.empty()) start_bits_[(k & 0xFFFFFFFFu) >> 6] |= std::uint64_t{1} << (k & 63);
    const std::uint64_t b = sketch_bit(k) & (bits - 1);
    step_bits_[b >> 6] |= std::uint64_t{1} << (b & 63);
  }
}

bool PhraseIndex::may_step(std::uint32_t state, std::uint32_t term) const {
  const std::uint64_t b = sketch_bit((static_cast<std::uint64_t>(state) << 32) | term) & (step_bits_.size() * 64 - 1);
  return step_bits_[b >> 6] >> (b & 63) & 1;
}

std::uint32_t PhraseIndex::step(std::uint32_t state, std::uint32_t term) const {
  const auto keys = a_.keys.empty() ? std::span<const std::uint64_t>(keys_) : a_.keys;
  const auto targets = a_.keys.empty() ? std::span<const std::uint32_t>(targets_) : a_.targets;
  if (keys.empty()) return 0;
  const std::uint64_t key = (static_cast<std::uint64_t>(state) << 32) | term;
  const std::size_t mask = keys.size() - 1;
  // Tables are kept at most half full (a dictionary read from a file is checked for it); counting
  // the probes keeps a table with no empty slot (the trusted built-in dictionary is not checked)
  // from looping forever.
  for (std::size_t p = mix(key) & mask, probes = 0; probes < keys.size(); p = (p + 1) & mask, ++probes) {
    if (keys[p] == key) return targets[p];
    if (keys[p] == kEmpty) return 0;
  }
  return 0;
}

void PhraseIndex::grow() {
  const std::size_t capacity = keys_.empty() ? 256 : keys_.size() * 2;
  std::vector<std::uint64_t> old_keys(capacity, kEmpty);
  std::vector<std::uint32_t> old_targets(capacity, 0);
  old_keys.swap(keys_);
  old_targets.swap(targets_);
  const std::size_t mask = capacity - 1;
  for (std::size_t i = 0; i < old_keys.size(); ++i) {
    if (old_keys[i] == kEmpty) continue;
    std::size_t p = mix(old_keys[i]) & mask;
    while (keys_[p] != kEmpty) p = (p + 1) & mask;
    keys_[p] = old_keys[i];
    targets_[p] = old_targets[i];
  }
}

std::uint32_t PhraseIndex::add_step(std::uint32_t state, std::uint32_t term) {
  if (const auto next = step(state, term)) return next;
  if ((used_ + 1) * 2 > keys_.size()) grow();
  const std::uint64_t key = (static_cast<std::uint64_t>(state) << 32) | term;
  const std::size_t mask = keys_.size() - 1;
  std::size_t p = mix(key) & mask;
  while (keys_[p] != kEmpty) p = (p + 1) & mask;
  keys_[p] = key;
  targets_[p] = states_++;
  ++used_;
  return targets_[p];
}

void PhraseIndex::add(std::span<const std::uint32_t> terms, std::uint32_t payload) {
  if (terms.empty()) return;
  std::uint32_t state = 0;
  for (const auto t : terms) state = add_step(state, t);
  if (pending_.size() <= state) pending_.resize(state + 1);
  pending_[state].push_back(payload);
  last_start_ = std::max(last_start_, terms[0]);
}

void PhraseIndex::compile(const std::function<bool(std::uint32_t, std::uint32_t)>& before) {
  payloads_.clear();
  payload_offsets_.assign(states_ + 1, 0);
  for (std::uint32_t s = 0; s < states_; ++s) {
    payload_offsets_[s] = static_cast<std::uint32_t>(payloads_.size());
    if (s >= pending_.size() || pending_[s].empty()) continue;
    auto& list = pending_[s];
    if (before) std::stable_sort(list.begin(), list.end(), before);
    else std::sort(list.begin(), list.end());
    for (const auto p : list)
      if (std::find(payloads_.begin() + payload_offsets_[s], payloads_.end(), p) == payloads_.end()) payloads_.push_back(p);
  }
  payload_offsets_[states_] = static_cast<std::uint32_t>(payloads_.size());
  pending_.clear();
  pending_.shrink_to_fit();
  // The first step of a walk reads an array by term id instead of the hash table, where that
  // array is dense enough to pay for itself. Word ids come from a vocabulary of hundreds of
  // thousands of words: a run-time index of a few hundred rules whose first words are scattered
  // over them keeps no array (it cost megabytes of fresh memory per index) and steps from the
  // root through the table.
  std::size_t roots = 0;
  for (const auto k : keys_) roots += k != kEmpty && (k >> 32) == 0;
  starts_.clear();
  if (roots != 0 && roots * kDenseStarts > std::size_t{last_start_}) {
    starts_.assign(std::size_t{last_start_} + 1, 0);
    for (std::size_t k = 0; k < keys_.size(); ++k)
      if (keys_[k] != kEmpty && (keys_[k] >> 32) == 0) starts_[keys_[k] & 0xFFFFFFFFu] = targets_[k];
  }
  if (keys_.empty()) {   // no phrase at all: one empty slot keeps lookups branch-free
    keys_.assign(1, kEmpty);
    targets_.assign(1, 0);
  }
  a_ = Arrays{keys_, targets_, payload_offsets_, payloads_, starts_};
  derive_filters();
}

bool PhraseIndex::walk(std::span<const Token> tokens, std::size_t i, std::size_t limit, Match& match) const {
  std::uint32_t state = 0;
  bool found = false;
  const std::size_t states = a_.payload_offsets.size() - 1;
  for (std::size_t j = i; j < limit; ++j) {
    const Token& t = tokens[j];
    if (j > i && is_connector(t)) continue;
    const std::uint32_t term = exact_ ? t.abbrev : t.term;
    if (term == kNoTerm) break;
    state = j == i ? first_step(term) : may_step(state, term) ? step(state, term) : 0;
    if (state == 0 || state >= states) break;
    if (ends_phrase(state)) {
      match.end = static_cast<std::uint32_t>(j + 1);
      match.payload_begin = a_.payload_offsets[state];
      match.payload_end = a_.payload_offsets[state + 1];
      found = true;
    }
  }
  return found;
}

std::size_t PhraseIndex::all_ends(std::span<const Token> tokens, std::size_t i, std::size_t limit, Match* out,
                                  std::size_t max) const {
  if (i >= limit || max == 0) return 0;
  const std::uint32_t first = exact_ ? tokens[i].abbrev : tokens[i].term;
  if (!may_start(first)) return 0;
  std::uint32_t state = 0;
  std::size_t n = 0;
  const std::size_t states = a_.payload_offsets.size() - 1;
  for (std::size_t j = i; j < limit; ++j) {
    const Token& t = tokens[j];
    if (j > i && is_connector(t)) continue;
    const std::uint32_t term = exact_ ? t.abbrev : t.term;
    if (term == kNoTerm) break;
    state = j == i ? first_step(term) : step(state, term);
    if (state == 0 || state >= states) break;
    if (ends_phrase(state)) {
      // Keep the longest `max`: shift when full.
      if (n == max) {
        std::move(out + 1, out + max, out);
        --n;
      }
      out[n++] = Match{static_cast<std::uint32_t>(j + 1), a_.payload_offsets[state], a_.payload_offsets[state + 1]};
    }
  }
  std::reverse(out, out + n);
  return n;
}

}  // namespace casefhir::nlp
