#include "nlp/phrase_index.h"

namespace casefhir::nlp {

namespace {
constexpr std::uint64_t kEmpty = ~0ULL;
std::uint64_t mix(std::uint64_t k) {
  k ^= k >> 31;
  k *= 0x7fb5d329728ea185ULL;
  k ^= k >> 27;
  return k;
}
}  // namespace

std::uint32_t PhraseIndex::step(std::uint32_t state, std::uint32_t term) const {
  if (keys_.empty()) return 0;
  const std::uint64_t key = (static_cast<std::uint64_t>(state) << 32) | term;
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t p = mix(key) & mask;; p = (p + 1) & mask) {
    if (keys_[p] == key) return targets_[p];
    if (keys_[p] == kEmpty) return 0;
  }
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
  if (starts_.size() <= terms[0]) starts_.resize(terms[0] + 1, 0);
  starts_[terms[0]] = step(0, terms[0]);
}

void PhraseIndex::compile() {
  payloads_.clear();
  payload_begin_.assign(states_, 0);
  payload_end_.assign(states_, 0);
  for (std::uint32_t s = 0; s < states_ && s < pending_.size(); ++s) {
    payload_begin_[s] = static_cast<std::uint32_t>(payloads_.size());
    payloads_.insert(payloads_.end(), pending_[s].begin(), pending_[s].end());
    payload_end_[s] = static_cast<std::uint32_t>(payloads_.size());
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

bool PhraseIndex::walk(std::span<const Token> tokens, std::size_t i, std::size_t limit, Match& match) const {
  std::uint32_t state = 0;
  bool found = false;
  for (std::size_t j = i; j < limit; ++j) {
    const Token& t = tokens[j];
    if (j > i && is_connector(t)) continue;
    const std::uint32_t term = exact_ ? t.abbrev : t.term;
    if (term == kNoTerm) break;
    state = j == i ? starts_[term] : step(state, term);
    if (state == 0) break;
    if (state < payload_end_.size() && payload_end_[state] > payload_begin_[state]) {
      match.end = static_cast<std::uint32_t>(j + 1);
      match.payload_begin = payload_begin_[state];
      match.payload_end = payload_end_[state];
      found = true;
    }
  }
  return found;
}

}  // namespace casefhir::nlp
