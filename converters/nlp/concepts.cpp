// nlp/concepts.cpp — match_concepts: concepts, body sites (with laterality) and methods.
#include <algorithm>

#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

// The preferred payload of a match: the entry loaded last (a user's override beats a default).
std::uint32_t preferred(std::span<const std::uint32_t> payloads) {
  return *std::max_element(payloads.begin(), payloads.end());
}

// A laterality word right before a site ("right cheek", "left-sided", "both lungs").
std::uint32_t laterality_before(const Annotations& a, const CompiledMappings& m, std::uint32_t sentence_begin,
                                std::uint32_t site_begin, std::uint32_t& begin) {
  for (std::uint32_t back = 1; back <= 3 && site_begin >= sentence_begin + back; ++back) {
    const std::uint32_t start = site_begin - back;
    PhraseIndex::Match match;
    if (m.laterality_terms.longest(a.tokens, start, site_begin, match)) {
      // Allow "-sided" between the laterality and the site.
      std::uint32_t gap = match.end;
      while (gap < site_begin && (is_connector(a.tokens[gap]) || a.tokens[gap].term == m.vocabulary.find("sided"))) ++gap;
      if (gap == site_begin) {
        begin = start;
        return preferred(m.laterality_terms.payloads(match));
      }
    }
  }
  return kNone;
}

}  // namespace

void match_concepts(Annotations& a, const CompiledMappings& m) {
  a.mentions.clear();
  a.sites.clear();
  a.methods.clear();
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    const std::size_t first_of_sentence = a.mentions.size();
    const std::size_t first_method = a.methods.size();
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end;) {
      PhraseIndex::Match by_term{}, by_abbrev{};
      const bool term = m.concept_terms.longest(a.tokens, i, sentence.token_end, by_term);
      const bool abbrev = m.concept_abbreviations.longest(a.tokens, i, sentence.token_end, by_abbrev);
      if (!term && !abbrev) { ++i; continue; }
      const bool use_abbrev = abbrev && (!term || by_abbrev.end > by_term.end);
      const PhraseIndex::Match& match = use_abbrev ? by_abbrev : by_term;
      const std::uint32_t entry_index =
          preferred(use_abbrev ? m.concept_abbreviations.payloads(match) : m.concept_terms.payloads(match));
      if (entry_index == detail::kNotAConcept) {   // "mass effect", "tumor necrosis factor"
        i = match.end;
        continue;
      }
      const Span span{a.tokens[i].span.begin, a.tokens[match.end - 1].span.end};
      if (m.set.concepts[entry_index].kind == ConceptKind::body_structure) {
        SiteMention site;
        site.token_begin = i;
        site.token_end = match.end;
        site.concept_index = entry_index;
        site.sentence = s;
        std::uint32_t begin = i;
        site.laterality = laterality_before(a, m, sentence.token_begin, i, begin);
        site.span = Span{a.tokens[begin].span.begin, span.end};
        a.sites.push_back(site);
      } else {
        Mention mention;
        mention.token_begin = i;
        mention.token_end = match.end;
        mention.span = span;
        mention.concept_index = entry_index;
        mention.sentence = s;
        a.mentions.push_back(std::move(mention));
      }
      i = match.end;
    }
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end;) {
      PhraseIndex::Match match;
      if (!m.method_terms.longest(a.tokens, i, sentence.token_end, match)) { ++i; continue; }
      MethodMention method;
      method.token_begin = i;
      method.token_end = match.end;
      method.span = Span{a.tokens[i].span.begin, a.tokens[match.end - 1].span.end};
      method.method = preferred(m.method_terms.payloads(match));
      method.sentence = s;
      a.methods.push_back(method);
      i = match.end;
    }
    // A disorder named right before a lab test names the test's target, not a diagnosis:
    // "measles IgM" (an analyte), "tuberculosis test", "HIV antibody" (a laboratory method word).
    auto starts_test = [&](std::uint32_t token, std::size_t after) {
      if (after < a.mentions.size() && a.mentions[after].sentence == s && a.mentions[after].token_begin == token &&
          m.set.concepts[a.mentions[after].concept_index].kind == ConceptKind::lab)
        return true;
      for (std::size_t k = first_method; k < a.methods.size(); ++k)
        if (a.methods[k].token_begin == token && m.set.methods[a.methods[k].method].observation_category == "laboratory")
          return true;
      return false;
    };
    for (std::size_t k = first_of_sentence; k < a.mentions.size();) {
      const Mention& named = a.mentions[k];
      if (m.set.concepts[named.concept_index].kind != ConceptKind::lab && starts_test(named.token_end, k + 1))
        a.mentions.erase(a.mentions.begin() + static_cast<std::ptrdiff_t>(k));
      else
        ++k;
    }
  }
}

}  // namespace casefhir::nlp
