// mapping/inspect.cpp — counts and kind conflicts of compiled mappings.
#include "mapping/inspect.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "mapping/compiled.h"

namespace casefhir::mapping {

VocabularyStats vocabulary_stats(const Mappings& mappings) {
  const detail::CompiledMappings& c = mappings.compiled();
  VocabularyStats s;
  s.concepts = c.visible_count();
  s.dictionary_bytes = c.base->byte_size();
  s.terms = c.base->term_count() + c.overlay->term_count();
  auto count = [&](const Dictionary& d, const ConceptRecord& r) {
    ++s.by_kind[std::string(to_string(static_cast<ConceptKind>(r.kind)))];
    ++s.by_source[std::string(d.str(r.source))];
    for (std::uint32_t k = 0; k < r.codes_count; ++k) ++s.codings[std::string(d.str(d.codings()[r.codes_begin + k].system))];
  };
  // The concepts in effect: the dictionary's that the files neither replaced nor removed, then the files'.
  const auto base = c.base->concept_records();
  std::size_t next_hidden = 0;
  for (std::uint32_t i = 0; i < base.size(); ++i) {
    if (next_hidden < c.hidden.size() && c.hidden[next_hidden] == i) {
      ++next_hidden;
      continue;
    }
    count(*c.base, base[i]);
  }
  for (const ConceptRecord& r : c.overlay->concept_records()) count(*c.overlay, r);
  return s;
}

std::vector<TermConflict> kind_conflicts(const Mappings& mappings, std::size_t max, std::size_t& total, bool files_only) {
  const detail::CompiledMappings& c = mappings.compiled();
  const auto n_base = static_cast<std::uint32_t>(c.base->concept_count());
  // Every term of both layers by its words (both layers number words alike: the overlay's
  // vocabulary extends the base's), with the concepts it leads to once the layers are joined.
  struct Named {
    bool exact = false;
    std::vector<std::uint32_t> words;
    std::vector<std::uint32_t> concepts;
  };
  std::vector<Named> named;
  std::unordered_map<std::string, std::size_t> by_words;
  auto scan = [&](const nlp::PhraseIndex& index, bool in_base, bool exact) {
    const auto& a = index.arrays();
    const std::size_t states = a.payload_offsets.empty() ? 0 : a.payload_offsets.size() - 1;
    // Each state's parent and the word that leads to it, to spell the term back.
    std::vector<std::uint32_t> parent(states, 0), word(states, nlp::kNoTerm);
    for (std::size_t p = 0; p < a.keys.size(); ++p) {
      if (a.keys[p] == ~0ULL) continue;
      parent[a.targets[p]] = static_cast<std::uint32_t>(a.keys[p] >> 32);
      word[a.targets[p]] = static_cast<std::uint32_t>(a.keys[p] & 0xFFFFFFFFu);
    }
    std::vector<std::uint32_t> words;
    std::string key;
    for (std::uint32_t state = 1; state < states; ++state) {
      if (a.payload_offsets[state] == a.payload_offsets[state + 1]) continue;
      words.clear();
      for (std::uint32_t s = state; s != 0 && words.size() < 64; s = parent[s]) words.push_back(word[s]);
      std::reverse(words.begin(), words.end());
      key.assign(1, exact ? 'e' : 'n');
      key.append(reinterpret_cast<const char*>(words.data()), words.size() * sizeof(std::uint32_t));
      const auto [it, fresh] = by_words.emplace(key, named.size());
      if (fresh) named.push_back(Named{exact, words, {}});
      Named& n = named[it->second];
      for (std::uint32_t k = a.payload_offsets[state]; k < a.payload_offsets[state + 1]; ++k) {
        const std::uint32_t global = c.resolve(a.payloads[k], in_base);
        if (global == kNotAConcept || global == detail::CompiledMappings::kRemoved) continue;
        if (std::find(n.concepts.begin(), n.concepts.end(), global) == n.concepts.end()) n.concepts.push_back(global);
      }
    }
  };
  scan(c.overlay->terms(), false, false);
  scan(c.overlay->abbreviations(), false, true);
  scan(c.base->terms(), true, false);
  scan(c.base->abbreviations(), true, true);

  std::vector<TermConflict> out;
  total = 0;
  for (const Named& n : named) {
    std::set<ConceptKind> kinds;
    for (const std::uint32_t g : n.concepts) kinds.insert(c.concept_at(g).kind());
    if (kinds.size() < 2) continue;
    if (files_only && std::none_of(n.concepts.begin(), n.concepts.end(), [&](std::uint32_t g) { return g >= n_base; })) continue;
    ++total;
    TermConflict conflict;
    const auto& vocabulary = n.exact ? c.exact_vocabulary : c.vocabulary;
    for (const std::uint32_t w : n.words)
      conflict.term += (conflict.term.empty() ? "" : " ") + (w < vocabulary.size() ? std::string(vocabulary.at(w)) : std::string("?"));
    for (const std::uint32_t g : n.concepts) {
      const ConceptView v = c.concept_at(g);
      conflict.concepts.push_back(std::string(v.id()) + " (" + std::string(to_string(v.kind())) + ")");
    }
    out.push_back(std::move(conflict));
  }
  std::sort(out.begin(), out.end(), [](const TermConflict& x, const TermConflict& y) {
    return x.term != y.term ? x.term < y.term : x.concepts < y.concepts;
  });
  if (out.size() > max) out.resize(max);
  return out;
}

}  // namespace casefhir::mapping
