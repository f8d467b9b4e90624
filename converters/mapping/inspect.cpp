// mapping/inspect.cpp — counts and kind conflicts of compiled mappings.
#include "mapping/inspect.h"

#include <algorithm>
#include <set>

#include "mapping/compiled.h"

namespace casefhir::mapping {

VocabularyStats vocabulary_stats(const Mappings& mappings) {
  const detail::CompiledMappings& c = mappings.compiled();
  VocabularyStats s;
  s.concepts = c.concept_count();
  s.dictionary_bytes = c.base->byte_size();
  s.terms = c.base->term_count() + c.overlay->term_count();
  for (const Dictionary* d : {c.base.get(), c.overlay.get()}) {
    for (const ConceptRecord& r : d->concept_records()) {
      ++s.by_kind[std::string(to_string(static_cast<ConceptKind>(r.kind)))];
      ++s.by_source[std::string(d->str(r.source))];
      for (std::uint32_t k = 0; k < r.codes_count; ++k) ++s.codings[std::string(d->str(d->codings()[r.codes_begin + k].system))];
    }
  }
  return s;
}

std::vector<TermConflict> kind_conflicts(const Mappings& mappings, std::size_t max, std::size_t& total) {
  const detail::CompiledMappings& c = mappings.compiled();
  std::vector<TermConflict> out;
  total = 0;
  auto scan = [&](const Dictionary& d, const nlp::PhraseIndex& index, bool exact) {
    const auto& a = index.arrays();
    const std::size_t states = a.payload_offsets.empty() ? 0 : a.payload_offsets.size() - 1;
    // Each state's parent and the word that leads to it, to spell the term back.
    std::vector<std::uint32_t> parent(states, 0), word(states, nlp::kNoTerm);
    for (std::size_t p = 0; p < a.keys.size(); ++p) {
      if (a.keys[p] == ~0ULL) continue;
      parent[a.targets[p]] = static_cast<std::uint32_t>(a.keys[p] >> 32);
      word[a.targets[p]] = static_cast<std::uint32_t>(a.keys[p] & 0xFFFFFFFFu);
    }
    for (std::uint32_t state = 1; state < states; ++state) {
      std::set<std::uint8_t> kinds;
      for (std::uint32_t k = a.payload_offsets[state]; k < a.payload_offsets[state + 1]; ++k) {
        const std::uint32_t local = a.payloads[k] & kConceptMask;
        if (local != kNotAConcept) kinds.insert(d.concept_records()[local].kind);
      }
      if (kinds.size() < 2) continue;
      ++total;
      if (out.size() >= max) continue;
      TermConflict conflict;
      std::vector<std::string> words;
      for (std::uint32_t s = state; s != 0 && words.size() < 64; s = parent[s]) {
        const std::uint32_t w = word[s];
        const auto& vocabulary = exact ? c.exact_vocabulary : c.vocabulary;
        words.emplace_back(w < vocabulary.size() ? std::string(vocabulary.at(w)) : std::string("?"));
      }
      for (auto it = words.rbegin(); it != words.rend(); ++it) conflict.term += (conflict.term.empty() ? "" : " ") + *it;
      for (std::uint32_t k = a.payload_offsets[state]; k < a.payload_offsets[state + 1]; ++k) {
        const std::uint32_t local = a.payloads[k] & kConceptMask;
        if (local == kNotAConcept) continue;
        const ConceptView v = d.concept_at(local);
        conflict.concepts.push_back(std::string(v.id()) + " (" + std::string(to_string(v.kind())) + ")");
      }
      out.push_back(std::move(conflict));
    }
  };
  for (const Dictionary* d : {c.base.get(), c.overlay.get()}) {
    scan(*d, d->terms(), false);
    scan(*d, d->abbreviations(), true);
  }
  std::sort(out.begin(), out.end(), [](const TermConflict& x, const TermConflict& y) { return x.term < y.term; });
  return out;
}

}  // namespace casefhir::mapping
