// nlp/context.cpp — find_triggers and apply_context: ConText-style modifiers of mentions.
//
// A trigger modifies the mentions in its scope: after it (forward), before it (backward) or both,
// up to max_scope words, never past a termination term, a semicolon, or the end of the sentence.
// When several triggers of one group reach a mention, the nearest one decides ("no fever,
// possible pneumonia": fever is negated, pneumonia possible).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <span>

#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

enum class Group { assertion, experiencer, temporality, hypothetical, ongoing };

Group group_of(ContextCategory c) {
  switch (c) {
    case ContextCategory::family:
    case ContextCategory::other: return Group::experiencer;
    case ContextCategory::historical:
    case ContextCategory::resolved: return Group::temporality;
    case ContextCategory::hypothetical: return Group::hypothetical;
    case ContextCategory::ongoing: return Group::ongoing;
    default: return Group::assertion;
  }
}

// Which scopes a token ends: one bit per (category, direction) — see scope_broken().
using TerminationMask = std::uint64_t;
static_assert(2 * kContextCategoryCount <= 64, "a TerminationMask has two bits per category");
constexpr TerminationMask bit(ContextCategory c, bool forward) {
  return TerminationMask{1} << (2 * static_cast<unsigned>(c) + (forward ? 0u : 1u));
}

// Does anything between tokens [from, to) end a scope of this category? `forward` says which way
// the scope runs: a bracket closed after a forward trigger (or opened before a backward one) ends
// it, so a trigger inside a parenthesis stays inside ("(slides not submitted) indicates a diagnosis
// of X"). A colon ends a scope unless it touches the trigger ("negative for: fever", "Fever: absent").
bool scope_broken(const Annotations& a, const std::vector<TerminationMask>& terminates, std::uint32_t from,
                  std::uint32_t to, std::uint32_t trigger_edge, bool forward, ContextCategory category) {
  int depth = 0;
  const TerminationMask mask = bit(category, forward);
  for (std::uint32_t k = 0; k < to - from; ++k) {
    const std::uint32_t i = forward ? from + k : to - 1 - k;
    if (terminates[i] & mask) return true;
    const Token& t = a.tokens[i];
    if (!t.is(kPunct)) continue;
    if (t.punct == ';') return true;
    if (t.punct == ':' && i != trigger_edge) return true;
    const char open = forward ? '(' : ')';
    const char close = forward ? ')' : '(';
    if (t.punct == open || t.punct == (forward ? '[' : ']')) ++depth;
    if (t.punct == close || t.punct == (forward ? ']' : '[')) {
      if (depth == 0) return true;
      --depth;
    }
  }
  return false;
}

// "Fever: no." — a forward trigger that answers a label: right after "<mention>:", with nothing
// after it in the sentence but punctuation. It applies to the label.
bool answers_label(const Annotations& a, const Mention& mention, const TriggerMatch& t) {
  if (t.token_begin != mention.token_end + 1) return false;
  const Token& colon = a.tokens[mention.token_end];
  if (!(colon.is(kPunct) && colon.punct == ':')) return false;
  const Sentence& s = a.sentences[mention.sentence];
  for (std::uint32_t i = t.token_end; i < s.token_end; ++i)
    if (!a.tokens[i].is(kPunct) || a.tokens[i].punct == ':') return false;
  return true;
}

std::uint32_t words_between(const Annotations& a, std::uint32_t from, std::uint32_t to) {
  std::uint32_t n = 0;
  for (std::uint32_t i = from; i < to; ++i) n += a.tokens[i].is(kPunct) ? 0u : 1u;
  return n;
}

// A word of the text in any case against one written in lower case.
bool is_word(std::string_view word, std::string_view lower) {
  return word.size() == lower.size() &&
         std::equal(lower.begin(), lower.end(), word.begin(), [](char x, char y) { return x == (y | 0x20); });
}
// A word of the text against several written in lower case.
bool is_any_word(std::string_view word, std::initializer_list<std::string_view> lower) {
  return std::any_of(lower.begin(), lower.end(), [&](std::string_view x) { return is_word(word, x); });
}

// The text of tokens[i]; empty for punctuation.
std::string_view word_at(const SourceDocument& doc, const Annotations& a, std::uint32_t i) {
  const Token& t = a.tokens[i];
  return t.is(kPunct) ? std::string_view() : std::string_view(doc.text).substr(t.span.begin, t.span.size());
}

// Whether a "not" or "never" stands in tokens [begin, end): a negation that a degree adverb or an
// "until" after it can qualify.
bool has_not(const SourceDocument& doc, const Annotations& a, std::uint32_t begin, std::uint32_t end) {
  for (std::uint32_t k = begin; k < end; ++k)
    if (is_any_word(word_at(doc, a, k), {"not", "never"})) return true;
  return false;
}

// "was also denied", "could not be completely excluded", "could not, therefore, be ruled out":
// the longest trigger that starts at tokens[i] when the first adverb (word list trigger-adverbs)
// among the three words after it is read through, with the commas around it if it has two. The
// match must reach past the adverb; its end is in `tokens`. After "not" or "never", an adverb of
// degree-adverbs makes a negation a hedge (`hedge`: "the lesion was not clearly seen"; a hedge stays
// one: "could not be completely excluded"), and a negation is not read through one of
// frequency-adverbs ("fever was not consistently present" is read as find_triggers reads it). A
// clause-final trigger is not read through an adverb: "he was intubated but later refused" was
// intubated first.
bool longest_through_adverb(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t i,
                            std::uint32_t limit, PhraseIndex::Match& match, bool& hedge) {
  if (!a.tokens[i].is(kWord) || !m.trigger_terms.may_start_with(a.tokens[i])) return false;
  const WordSet& adverbs = m.words(mapping::WordList::trigger_adverbs);
  const auto is_comma = [&](std::uint32_t k) { return k < limit && a.tokens[k].is(kPunct) && a.tokens[k].punct == ','; };
  std::uint32_t skip_begin = 0, skip_end = 0;   // the tokens read through (none: 0, 0)
  for (std::uint32_t k = i + 1; k <= i + 3 && k + 1 < limit && skip_end == 0; ++k) {
    if (is_comma(k) && k + 3 < limit && a.tokens[k + 1].is(kWord) && is_comma(k + 2) &&
        adverbs.contains_folded(word_at(doc, a, k + 1))) {
      skip_begin = k;
      skip_end = k + 3;
    } else if (!a.tokens[k].is(kWord)) {
      return false;
    } else if (adverbs.contains_folded(word_at(doc, a, k))) {
      skip_begin = k;
      skip_end = k + 1;
    }
  }
  if (skip_end == 0) return false;
  constexpr std::uint32_t kLongestTrigger = 12;   // tokens: longer than any trigger of the mappings
  std::array<Token, kLongestTrigger> without;
  std::uint32_t n = 0;
  for (std::uint32_t k = i; k < limit && n < kLongestTrigger; ++k)
    if (k < skip_begin || k >= skip_end) without[n++] = a.tokens[k];
  PhraseIndex::Match inner;
  const std::uint32_t before_skip = skip_begin - i;   // tokens of `without` before the skipped ones
  if (!m.trigger_terms.longest(std::span<const Token>(without.data(), n), 0, n, inner) || inner.end <= before_skip) return false;
  const std::uint32_t adverb = skip_end - skip_begin == 1 ? skip_begin : skip_begin + 1;
  bool after_not = false;   // "not" before the adverb, inside the trigger
  for (std::uint32_t k = i; k < skip_begin; ++k) after_not = after_not || is_any_word(word_at(doc, a, k), {"not", "never", "cannot"});
  const auto payloads = m.trigger_terms.payloads(inner);
  if (std::any_of(payloads.begin(), payloads.end(), [&](std::uint32_t p) { return m.set.triggers[p].clause_final; })) return false;
  if (after_not && m.words(mapping::WordList::frequency_adverbs).contains_folded(word_at(doc, a, adverb)) &&
      std::any_of(payloads.begin(), payloads.end(), [&](std::uint32_t p) { return m.set.triggers[p].category == ContextCategory::negation; }))
    return false;
  hedge = after_not && m.words(mapping::WordList::degree_adverbs).contains_folded(word_at(doc, a, adverb));
  match = inner;
  match.end = i + (skip_end - skip_begin) + inner.end;
  return true;
}

}  // namespace

void find_triggers(const SourceDocument& doc, Annotations& a, const CompiledMappings& m) {
  a.triggers.clear();
  std::size_t next_mention = 0;
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    while (next_mention < a.mentions.size() && a.mentions[next_mention].sentence < s) ++next_mention;
    std::size_t mi = next_mention;
    // The end of the last negation read as a hedge or dropped before its adverb: the negations
    // inside it, read again, are part of it ("did not have all of the features": not the "not").
    std::uint32_t qualified_until = 0;
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end;) {
      // Words inside a concept are not triggers ("absence seizure" is a seizure, not a negation).
      while (mi < a.mentions.size() && a.mentions[mi].sentence == s && a.mentions[mi].token_end <= i) ++mi;
      if (mi < a.mentions.size() && a.mentions[mi].sentence == s && a.mentions[mi].token_begin <= i) {
        i = a.mentions[mi].token_end;
        continue;
      }
      const std::uint32_t limit =
          (mi < a.mentions.size() && a.mentions[mi].sentence == s) ? a.mentions[mi].token_begin : sentence.token_end;
      PhraseIndex::Match match;
      bool found = m.trigger_terms.longest(a.tokens, i, limit, match);
      bool hedge = false;   // a negation read as a hedge (the adverb of degree after its "not")
      if (PhraseIndex::Match through; longest_through_adverb(doc, a, m, i, limit, through, hedge) && (!found || through.end > match.end)) {
        match = through;
        found = true;
      } else {
        hedge = false;
      }
      if (!found) {
        ++i;
        continue;
      }
      const auto payloads = m.trigger_terms.payloads(match);
      // A negation with "not" or "never" and an adverb right after it: one of degree makes
      // it a hedge ("the CT did not clearly show a mass", as when the adverb is read through inside
      // a trigger, longest_through_adverb); one of frequency, no negation ("he did not consistently
      // have fever": at times he did; "she did not have all of the features of lupus": she may
      // have lupus). "Be" or "been" may come between the "not" and the adverb ("had not been
      // consistently febrile").
      // After a backward trigger ("was not detected both in the serum and the CSF") the adverb
      // belongs to what follows, unless the trigger ends in its "not".
      std::uint32_t adverb = match.end;
      bool before_not_adverb = false;
      if (is_any_word(word_at(doc, a, match.end - 1), {"not", "never"})) {
        before_not_adverb = true;
        if (adverb + 1 < sentence.token_end && is_any_word(word_at(doc, a, adverb), {"be", "been"})) ++adverb;
      } else if (std::none_of(payloads.begin(), payloads.end(), [&](std::uint32_t p) { return m.set.triggers[p].direction == Direction::backward; })) {
        before_not_adverb = has_not(doc, a, i, match.end);
      }
      before_not_adverb = before_not_adverb && adverb < sentence.token_end;
      const bool before_degree_adverb =
          before_not_adverb && m.words(mapping::WordList::degree_adverbs).contains_folded(word_at(doc, a, adverb));
      const bool before_frequency_adverb =
          before_not_adverb && m.words(mapping::WordList::frequency_adverbs).contains_folded(word_at(doc, a, adverb));
      const auto has_category = [&](std::span<const std::uint32_t> ps, ContextCategory c) {
        return std::any_of(ps.begin(), ps.end(), [&](std::uint32_t p) { return m.set.triggers[p].category == c; });
      };
      // A trigger that starts inside this match and reaches past it replaces this one when it is a
      // pseudo-trigger, a clause-final one that ends its clause, of the same category, or a modifier
      // where this one only terminates ("has no specific diagnosis for": the pseudo "no specific
      // diagnosis", not the negation "has no"; "there was no reported evidence of": one negation;
      // "suspected but was ruled out": the negation, not "but was"; "was offered, but she
      // declined": the refusal, not the offer). Of another category, both apply ("no known history
      // of": a negation, then the history; "ruled out X and a diagnosis of Y": the end of the
      // negation, then the diagnosis cue), and the scan goes on from where the inner one starts.
      const bool terminates_only = std::all_of(payloads.begin(), payloads.end(), [&](std::uint32_t p) {
        return m.set.triggers[p].category == ContextCategory::termination;
      });
      std::uint32_t replaced_by = 0;   // 0: not replaced (an inner match never starts at 0)
      std::uint32_t next = match.end;
      for (std::uint32_t j = i + 1; j < match.end && replaced_by == 0; ++j) {
        PhraseIndex::Match inner;
        if (!m.trigger_terms.longest(a.tokens, j, limit, inner) || inner.end <= match.end) continue;
        const auto inner_payloads = m.trigger_terms.payloads(inner);
        const bool inner_modifies = std::any_of(inner_payloads.begin(), inner_payloads.end(),
                                                [&](std::uint32_t p) { return is_modifier(m.set.triggers[p].category); });
        const bool inner_ends_clause = inner.end >= sentence.token_end || a.tokens[inner.end].is(kPunct);
        const bool inner_settles = inner_ends_clause && std::any_of(inner_payloads.begin(), inner_payloads.end(), [&](std::uint32_t p) {
                                     return m.set.triggers[p].clause_final;
                                   });
        bool replaces = (terminates_only && inner_modifies) || has_category(inner_payloads, ContextCategory::pseudo) || inner_settles;
        for (const std::uint32_t p : payloads) replaces = replaces || has_category(inner_payloads, m.set.triggers[p].category);
        if (replaces) replaced_by = j;
        else if (next == match.end) next = j;
      }
      if (replaced_by != 0) {
        i = replaced_by;
        continue;
      }
      bool pseudo = has_category(payloads, ContextCategory::pseudo);
      // "raised by her grandmother, who had tuberculosis": a pseudo-trigger that a relative clause
      // follows names the one the clause is about; it cancels nothing, and the words in it are read
      // again as triggers of their own.
      if (pseudo && match.end + 1 < sentence.token_end && a.tokens[match.end].is(kPunct) && a.tokens[match.end].punct == ',' &&
          is_any_word(word_at(doc, a, match.end + 1), {"who", "whose"})) {
        ++i;
        continue;
      }
      const bool clause_ends = match.end >= sentence.token_end || a.tokens[match.end].is(kPunct);
      // After a negation read as a hedge or dropped before its adverb, or a clause-final trigger
      // whose clause goes on (dropped), the words inside are read again ("not completely absent":
      // the pseudo-trigger "not absent").
      bool read_again = false;
      for (const std::uint32_t p : payloads) {
        ContextCategory category = m.set.triggers[p].category;
        if (pseudo && is_modifier(category)) continue;   // a pseudo-trigger cancels the modifiers it spells
        if (m.set.triggers[p].clause_final && !clause_ends) {
          read_again = true;
          continue;
        }
        if (category == ContextCategory::negation && match.end <= qualified_until) continue;
        if (category == ContextCategory::negation && before_frequency_adverb) {
          read_again = true;
          qualified_until = match.end;
          continue;
        }
        const bool qualified = category == ContextCategory::negation && (hedge || before_degree_adverb);
        if (qualified) {
          category = ContextCategory::possible;
          read_again = read_again || before_degree_adverb;
          if (before_degree_adverb) qualified_until = match.end;
        }
        a.triggers.push_back(TriggerMatch{i, match.end, p, s, category, qualified});
      }
      i = read_again ? i + 1 : next;
    }
  }
}

namespace {

// The bits of the categories a termination ends (all when `ends` is empty), in the directions
// given.
TerminationMask ends_mask(const ContextTrigger& rule, bool forward, bool backward) {
  TerminationMask mask = 0;
  for (unsigned c = 0; c < kContextCategoryCount; ++c) {
    const auto category = static_cast<ContextCategory>(c);
    if (!rule.ends.empty() && std::find(rule.ends.begin(), rule.ends.end(), category) == rule.ends.end()) continue;
    if (forward) mask |= bit(category, true);
    if (backward) mask |= bit(category, false);
  }
  return mask;
}

// The first mention that starts at or after tokens[token] (mentions are sorted by position).
std::vector<Mention>::const_iterator first_mention_from(const Annotations& a, std::uint32_t token) {
  return std::lower_bound(a.mentions.begin(), a.mentions.end(), token,
                          [](const Mention& x, std::uint32_t v) { return x.token_begin < v; });
}

// How the words between two mentions join them: as items of a list ("fever, cough", "fever and
// cough", "a biopsy of the liver and a CT": the last word, articles aside, is "and", "or" or
// "nor"), by commas alone, or otherwise.
enum class Gap { coordinated, commas, other };
Gap list_gap(const SourceDocument& doc, const Annotations& a, std::uint32_t from, std::uint32_t to) {
  bool comma = false;
  std::string_view last_word;
  for (std::uint32_t i = from; i < to; ++i) {
    const Token& t = a.tokens[i];
    if (t.is(kPunct)) {
      comma = comma || t.punct == ',' || t.punct == '/';
      continue;
    }
    const std::string_view word = word_at(doc, a, i);
    if (!is_word(word, "a") && !is_word(word, "an") && !is_word(word, "the")) last_word = word;   // "… and a CT"
  }
  if (is_word(last_word, "and") || is_word(last_word, "or") || is_word(last_word, "nor")) return Gap::coordinated;
  return last_word.empty() && comma ? Gap::commas : Gap::other;
}

// Which tokens end which scopes: the termination triggers, and the comma that closes a fronted
// clause ("Because of the weight loss, lymphoma was considered": weight loss is not hedged).
constexpr std::uint32_t kListLookahead = 6;

std::vector<TerminationMask> termination_masks(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m) {
  std::vector<TerminationMask> terminates(a.tokens.size(), 0);
  std::vector<bool> triggered(a.tokens.size(), false);   // tokens inside any trigger
  for (const TriggerMatch& t : a.triggers)
    for (std::uint32_t i = t.token_begin; i < t.token_end; ++i) triggered[i] = true;
  constexpr TerminationMask kAll = ~TerminationMask{0};
  for (const TriggerMatch& t : a.triggers) {
    if (t.category != ContextCategory::termination) continue;
    const ContextTrigger& rule = m.set.triggers[t.trigger];
    if (!rule.kinds.empty()) continue;   // ends scopes only for some kinds: see ended_for_kind()
    if (rule.object_only) continue;      // ends scopes only for its object: see object_of_a_head()
    const Sentence& sentence = a.sentences[t.sentence];
    // A word of unless_followed_by soon after token `from` keeps the scope open: within
    // kListLookahead words, before a comma (except one right before the word: ", or"), a
    // semicolon, a colon or another trigger. "No jaundice, a soft abdomen with hepatomegaly of 2 or
    // 3 cm" stays terminated.
    const auto& followers = m.trigger_followers[t.trigger];
    const auto is_follower = [&](std::uint32_t i) {
      return a.tokens[i].is(kWord) && std::find(followers.begin(), followers.end(), a.tokens[i].term) != followers.end();
    };
    const auto list_goes_on = [&](std::uint32_t from) {
      std::uint32_t words = 0;
      for (std::uint32_t i = from; i < sentence.token_end && !followers.empty() && words <= kListLookahead; ++i) {
        if (is_follower(i)) return true;
        const Token& token = a.tokens[i];
        if (triggered[i]) break;
        if (token.is(kPunct)) {
          if (token.punct == ';' || token.punct == ':') break;
          if (token.punct == ',' && !(i + 1 < sentence.token_end && is_follower(i + 1))) break;
        } else {
          ++words;
        }
      }
      return false;
    };
    const bool fronted = t.token_begin == sentence.token_begin;
    if (rule.fronted_clause && fronted) {
      for (std::uint32_t i = t.token_end; i < sentence.token_end; ++i)
        if (a.tokens[i].is(kPunct) && a.tokens[i].punct == ',') { terminates[i] = kAll; break; }
    }
    if (rule.clause_opener) {
      // The clause ends at its first comma that no list goes on after ("who denied fever, chills
      // and weight loss, presented with cough"). A clause that names no concept before a comma has
      // no list there: "which could not move, hyperalgesia of the hands and mouth".
      const bool opens = fronted || (a.tokens[t.token_begin - 1].is(kPunct) && a.tokens[t.token_begin - 1].punct == ',');
      const auto names_a_concept = [&](std::uint32_t from, std::uint32_t to) {
        const auto next = first_mention_from(a, from);
        return next != a.mentions.end() && next->token_begin < to;
      };
      for (std::uint32_t i = t.token_end; opens && i < sentence.token_end; ++i) {
        if (!(a.tokens[i].is(kPunct) && a.tokens[i].punct == ',')) continue;
        if (names_a_concept(t.token_end, i) && list_goes_on(i + 1)) continue;
        terminates[i] = kAll;
        break;
      }
      // After a comma, no scope runs into the clause from before it: "There was no fever, as she
      // had received antipyretics for her arthritis". ("as well as" is a pseudo-trigger, no clause.)
      if (opens && !fronted) terminates[t.token_begin - 1] |= ends_mask(rule, true, false);
      continue;   // the opening word itself ends nothing
    }
    if (list_goes_on(t.token_end)) continue;
    // "She had anemia, and malignancy was ruled out": with no comma before it in its clause, ", and"
    // joins two clauses, and the one before is another's; after an earlier comma it closes a list
    // ("tamponade, tension pneumothorax, and hypovolemia were excluded").
    // A list that closed with its own "and" before the comma is over: "he had fever, cough and
    // pneumonia, and blood cultures were negative" joins two clauses.
    if (rule.unless_listed) {
      // "blood cultures were obtained, and all were negative": a clause that ends in what was done,
      // before a subject of its own, is no list item ("were assessed, and were negative" is one
      // subject's).
      const bool clause_before = t.token_begin >= sentence.token_begin + 2 && t.token_end < sentence.token_end &&
                                 !is_word(word_at(doc, a, t.token_end), "was") && !is_word(word_at(doc, a, t.token_end), "were") &&
                                 m.words(mapping::WordList::done_verbs).contains_folded(word_at(doc, a, t.token_begin - 1)) &&
                                 (is_word(word_at(doc, a, t.token_begin - 2), "was") || is_word(word_at(doc, a, t.token_begin - 2), "were"));
      bool listed = false;
      for (std::uint32_t i = t.token_begin; i > sentence.token_begin && !listed; --i) {
        const Token& before = a.tokens[i - 1];
        if (before.is(kPunct) && (before.punct == ';' || before.punct == ':')) break;
        if (const std::string_view w = word_at(doc, a, i - 1); is_word(w, "and") || is_word(w, "or")) break;
        listed = before.is(kPunct) && before.punct == ',';
      }
      if (listed && !clause_before) continue;
    }
    // A backward termination ends the scope of a negation after it unless what it opens names a
    // procedure: "weakness, and the knee reflexes were absent" (the reflexes are absent, not the
    // weakness), but "a biopsy and a CT were not performed" is one list, both not done. (Lists of
    // findings written this way are rarer than a new subject: measured on MACCROBAT and Ada.)
    if (rule.direction == Direction::backward) {
      const auto next = first_mention_from(a, t.token_end);
      bool next_is_procedure = false;
      if (next != a.mentions.end() && next->token_begin < sentence.token_end) {
        next_is_procedure = m.concept_at(next->concept_index).kind() == ConceptKind::procedure;
        for (std::uint32_t i = t.token_end; i < next->token_begin; ++i)
          if (triggered[i]) next_is_procedure = false;
      }
      if (next_is_procedure) continue;
    }
    const TerminationMask mask = ends_mask(rule, rule.direction != Direction::backward, rule.direction != Direction::forward);
    for (std::uint32_t i = t.token_begin; i < t.token_end; ++i) terminates[i] |= mask;
  }
  return terminates;
}

// Does a termination that applies to this kind only lie between tokens [from, to)? "No lesions
// were seen on endoscopy": "on" ends the negation's reach for a procedure — the test was done,
// what it looked for was not found — while "no history of X or dialysis" still reaches it.
bool ended_for_kind(const Annotations& a, const CompiledMappings& m, std::size_t first_trigger, std::uint32_t sentence,
                    ConceptKind kind, std::uint32_t from, std::uint32_t to, bool forward, ContextCategory category) {
  for (std::size_t k = first_trigger; k < a.triggers.size() && a.triggers[k].sentence == sentence; ++k) {
    const TriggerMatch& e = a.triggers[k];
    if (e.category != ContextCategory::termination || e.token_begin < from || e.token_end > to) continue;
    const ContextTrigger& rule = m.set.triggers[e.trigger];
    if (rule.kinds.empty() || std::find(rule.kinds.begin(), rule.kinds.end(), kind) == rule.kinds.end()) continue;
    if (!rule.ends.empty() && std::find(rule.ends.begin(), rule.ends.end(), category) == rule.ends.end()) continue;
    if (rule.direction == (forward ? Direction::backward : Direction::forward)) continue;
    return true;
  }
  return false;
}

// A negation written after procedures ("… was not needed") is about the procedure right before it
// and those listed with it ("surgery, chemotherapy and radiotherapy were not needed"), not one the
// sentence named before: "After hemodialysis, further surgery was not needed" leaves the dialysis
// done. True when a procedure between `mention` and the trigger is not listed with it: a list's
// last gap ends with "and", "or" or "nor" (after any words: "a biopsy of the liver and a CT"),
// and every earlier gap does too or is only commas. A trigger with one subject ("was not needed")
// has none listed: any procedure between makes it another's; so does a singular verb right after
// the last procedure between ("she was intubated and a tracheostomy was discussed, but she
// refused": the tracheostomy's clause).
bool after_another_procedure(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m,
                             std::size_t sentence_first, const Mention& mention, std::uint32_t trigger_begin, bool one_subject) {
  const auto gap = [&](std::uint32_t from, std::uint32_t to) { return list_gap(doc, a, from, to); };
  std::uint32_t previous_end = mention.token_end;
  bool any = false, listed = true;
  std::size_t between = 0;
  // Which gaps have a comma: "she underwent colonoscopy (and biopsy), and colectomy may be
  // required" is two clauses, "a biopsy, a CT, and an MRI were planned" one list.
  bool comma_in_last = false, bare_gap_before_last = false;
  Gap last = Gap::other;
  for (std::size_t k = sentence_first; k < a.mentions.size() && a.mentions[k].sentence == mention.sentence; ++k) {
    const Mention& other = a.mentions[k];
    if (other.token_begin < mention.token_end || other.token_end > trigger_begin) continue;
    if (m.concept_at(other.concept_index).kind() != ConceptKind::procedure) continue;
    last = gap(previous_end, other.token_begin);
    listed = listed && last != Gap::other;
    if (between++ > 0 && !comma_in_last) bare_gap_before_last = true;
    comma_in_last = false;
    for (std::uint32_t i = previous_end; i < other.token_begin; ++i) comma_in_last = comma_in_last || (a.tokens[i].is(kPunct) && a.tokens[i].punct == ',');
    any = true;
    previous_end = other.token_end;
  }
  const bool singular_after = any && previous_end < trigger_begin && is_any_word(word_at(doc, a, previous_end), {"was", "is", "has"});
  // ", and" after a gap without a comma (or after the first procedure) joins two clauses: a list of
  // two takes no comma, and a longer one has one in every gap.
  // (Unless the mention is itself an item after a comma: "a biopsy, a CT, and an MRI were planned".)
  std::uint32_t before = mention.token_begin;
  while (before > 0 && is_any_word(word_at(doc, a, before - 1), {"a", "an", "the"})) --before;
  const bool item_after_comma = before > 0 && a.tokens[before - 1].is(kPunct) && a.tokens[before - 1].punct == ',';
  const bool two_clauses =
      comma_in_last && last == Gap::coordinated && ((between == 1 && !item_after_comma) || bare_gap_before_last);
  return any && (one_subject || singular_after || two_clauses || !(listed && last == Gap::coordinated));
}

// Whether tokens[i] and the next say a procedure was done or given: "was performed", "were
// started" ("was" or "were", then a word of done-verbs or given-verbs).
bool says_done(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t i) {
  if (i + 1 >= a.tokens.size() || !is_any_word(word_at(doc, a, i), {"was", "were"})) return false;
  const std::string_view verb = word_at(doc, a, i + 1);
  return m.words(mapping::WordList::done_verbs).contains_folded(verb) || m.words(mapping::WordList::given_verbs).contains_folded(verb);
}

// Whether "was performed", "were started" (says_done) stands in tokens [from, to).
bool said_done_between(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t from, std::uint32_t to) {
  for (std::uint32_t i = from; i + 1 < to; ++i)
    if (says_done(doc, a, m, i)) return true;
  return false;
}

// Whether "until" follows the mention in its clause, within six tokens: "he did not develop fever
// until day 5" says when the fever began.
// Not "until now", "until discharge", "until the end of follow-up", "until the last visit": those
// say how long it stayed away.
bool until_after(const SourceDocument& doc, const Annotations& a, std::uint32_t from, std::uint32_t to) {
  for (std::uint32_t i = from; i < to && i < from + 6; ++i) {
    if (a.tokens[i].is(kPunct) && (a.tokens[i].punct == ',' || a.tokens[i].punct == ';')) return false;
    if (!is_word(word_at(doc, a, i), "until")) continue;
    std::uint32_t next = i + 1;
    if (next < to && is_word(word_at(doc, a, next), "the")) ++next;
    return next < to && !is_any_word(word_at(doc, a, next), {"now", "today", "date", "present", "discharge", "death", "end", "last",
                                                             "latest", "follow", "time", "recently"});
  }
  return false;
}

// Whether the clause after tokens[from] goes on "and was performed" or ", which was given"
// (says_done), before a semicolon and before another procedure: "… was
// recommended for appendicitis and was performed", "he was scheduled for cholecystectomy, which
// was performed", "chemotherapy was planned and was given on day 3".
bool done_after(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t from, std::uint32_t to) {
  auto next = first_mention_from(a, from);
  for (std::uint32_t i = from; i + 2 < to; ++i) {
    if (a.tokens[i].is(kPunct) && a.tokens[i].punct == ';') return false;
    while (next != a.mentions.end() && next->token_end <= i) ++next;
    const bool in_a_concept = next != a.mentions.end() && next->token_begin <= i;
    if (in_a_concept && m.concept_at(next->concept_index).kind() == ConceptKind::procedure) return false;
    if (is_any_word(word_at(doc, a, i), {"and", "which"}) && says_done(doc, a, m, i + 1)) return true;
  }
  return false;
}

// Whether only other concepts of the sentence, commas and "and"/"or" stand between the mention and
// the trigger, and no preposition before the list makes it another head's object ("surgery for the
// aortic stenosis was denied"): the mention is the trigger's subject, or listed with it.
bool only_a_list_between(const SourceDocument& doc, const Annotations& a, std::size_t sentence_first, const Mention& mention,
                         std::uint32_t trigger_begin) {
  auto mention_ending_at = [&](std::uint32_t at) -> const Mention* {
    for (std::size_t j = sentence_first; j < a.mentions.size() && a.mentions[j].sentence == mention.sentence; ++j)
      if (a.mentions[j].token_end == at && a.mentions[j].token_begin < at) return &a.mentions[j];
    return nullptr;
  };
  // Back over the list (other concepts, commas, "and"/"or", determiners) to the word before it.
  std::uint32_t before = mention.token_begin;
  while (before > a.sentences[mention.sentence].token_begin) {
    const std::uint32_t p = before - 1;
    const std::string_view w = word_at(doc, a, p);
    if (is_word(w, "the") || is_word(w, "a") || is_word(w, "an") || is_word(w, "his") || is_word(w, "her") || is_word(w, "their") || is_word(w, "and") || is_word(w, "or") ||
        (a.tokens[p].is(kPunct) && a.tokens[p].punct == ',')) {
      before = p;
    } else if (const Mention* listed = mention_ending_at(before)) {
      before = listed->token_begin;
    } else if (is_word(w, "of") && p > 0 &&
               is_any_word(word_at(doc, a, p - 1), {"history", "symptoms", "episodes", "presence", "signs", "evidence"})) {
      before = p - 1;   // "a history of fever was denied", "the presence of ascites was denied": the fever's, the ascites'
    } else {
      for (const std::string_view prep : {"for", "of", "in", "on", "with", "to", "from", "about", "after", "before", "against"})
        if (is_word(w, prep)) return false;
      break;
    }
  }
  // Forward over the rest of the list to the trigger.
  for (std::uint32_t i = mention.token_end; i < trigger_begin;) {
    if (const auto next = first_mention_from(a, i); next != a.mentions.end() && next->token_begin == i && next->token_end > i) {
      i = next->token_end;
      continue;
    }
    const Token& t = a.tokens[i];
    const std::string_view word = word_at(doc, a, i);
    if (!(t.is(kPunct) ? t.punct == ',' : is_word(word, "and") || is_word(word, "or"))) return false;
    ++i;
  }
  return true;
}

// Whether the mention is the subject of a clause of its own that ends before the trigger: one of
// its verbs (finding-verbs) comes right after it ("Fever *persisted*, blood cultures were
// negative"; "her cough *worsened* at night, and the radiograph was negative"), and after a comma,
// semicolon or conjunction a new subject begins. A cue after that clause is about the next one. A
// participle that describes the finding ("rash *localized* to the trunk, arthralgia and myalgia
// were absent"), a relative clause ("headache that began at rest, …") and a test's participle
// ("HIV serology, *performed* twice, was negative") are no such verb. What follows a joint without
// a subject of its own is still the mention's: a verb ("was suspected, and was ruled out"), a
// participle ("was noted, managed with fluid restriction, and resolved"), a phrase ("were, on
// follow-up, not seen"), a relative clause (", which had resolved").
bool clause_ends_between(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, const Mention& mention,
                         std::uint32_t trigger_begin) {
  auto verb_at = [&](std::uint32_t i) { return m.words(mapping::WordList::finding_verbs).contains_folded(word_at(doc, a, i)); };
  auto adverb = [](std::string_view w) { return w.size() > 4 && is_word(w.substr(w.size() - 2), "ly"); };
  // Words that may come between a subject and its verb: "fever *had* resolved".
  auto before_verb = [&](std::uint32_t i) {
    const std::string_view w = word_at(doc, a, i);
    return is_any_word(w, {"had", "has", "have", "then", "also", "later", "again"}) || adverb(w);
  };
  auto mention_at = [&](std::uint32_t i) {
    const auto other = first_mention_from(a, i);
    return other != a.mentions.end() && other->token_begin == i && other->sentence == mention.sentence ? &*other : nullptr;
  };
  // Whether a subject of its own starts at tokens[i], after a joint: a concept or a noun, not a
  // verb, a participle, a preposition, a pronoun for the mention or a relative word.
  auto new_subject_at = [&](std::uint32_t i) {
    while (i < trigger_begin && (a.tokens[i].is(kPunct) || is_any_word(word_at(doc, a, i), {"and", "but", "the", "a", "an", "his", "her", "their"})))
      ++i;
    if (i >= trigger_begin) return false;
    if (mention_at(i)) return true;
    const std::string_view w = word_at(doc, a, i);
    if (!a.tokens[i].is(kWord) || verb_at(i) || adverb(w)) return false;
    if (w.size() >= 4 && (is_word(w.substr(w.size() - 2), "ed") || is_word(w.substr(w.size() - 2), "en"))) return false;
    return !is_any_word(w, {"which", "who", "that", "it", "they", "all", "both", "each", "such", "this", "these", "not", "no", "then",
                       "also", "later", "again", "therefore", "however", "thus", "according", "considering", "upon", "given",
                       "on", "in", "at", "with", "by", "for", "after", "before", "during", "from", "to", "as", "despite",
                       "although", "had", "has", "have", "being", "requiring", "needing", "without"});
  };
  std::uint32_t i = mention.token_end;
  while (i < trigger_begin && a.tokens[i].is(kWord) && before_verb(i)) ++i;
  if (i >= trigger_begin || !a.tokens[i].is(kWord) || !verb_at(i)) return false;
  for (; i < trigger_begin; ++i) {
    if (const Mention* other = mention_at(i)) {
      i = other->token_end - 1;   // "with nausea and vomiting": the "and" of a concept joins nothing
      continue;
    }
    const Token& t = a.tokens[i];
    const std::string_view w = word_at(doc, a, i);
    const bool joint = t.is(kPunct) ? t.punct == ',' || t.punct == ';' : is_any_word(w, {"and", "but", "while", "whereas"});
    if (joint && new_subject_at(i + 1)) return true;
  }
  return false;
}

// "He presented with fever and blood cultures were negative", "she had headache and a head CT was
// negative": when the words before an "and" make a clause that holds the mention (a verb of
// clause-verbs among them, back to the sentence's start or a comma) and the plain words after it
// are a new subject that runs straight into the cue's copula, the cue is that subject's. With no
// verb before the "and" the two are one subject ("Fever and blood cultures were negative"); a
// pronoun ("and both were negative") stands for what came before.
bool and_opens_a_subject(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, const Mention& mention,
                         std::uint32_t trigger_begin) {
  auto copula_at = [&](std::uint32_t i) { return is_any_word(word_at(doc, a, i), {"was", "were", "is", "are"}); };
  // The copula: the cue's first word, or up to two words before it ("was considered unlikely").
  std::uint32_t copula = trigger_begin;
  while (copula > mention.token_end && copula + 2 > trigger_begin && !copula_at(copula) && a.tokens[copula - 1].is(kWord)) --copula;
  if (!copula_at(copula)) return false;
  // The subject: words, numbers and hyphens ("chest X-ray", "SARS-CoV-2 RT-PCR") back to "and".
  auto subject_token = [&](std::uint32_t i) {
    const Token& t = a.tokens[i];
    return (t.is(kWord) && !is_any_word(word_at(doc, a, i), {"and", "or"})) || t.is(kNumber) || (t.is(kPunct) && t.punct == '-');
  };
  std::uint32_t subject = copula;
  while (subject > mention.token_end && subject_token(subject - 1)) --subject;
  if (subject == copula || subject <= mention.token_end || !is_word(word_at(doc, a, subject - 1), "and")) return false;
  for (std::uint32_t i = subject; i < copula; ++i)
    if (is_any_word(word_at(doc, a, i), {"which", "who", "that", "all", "both", "each", "it", "they", "these", "this", "those",
                                    "none", "neither", "either", "not", "no"}))
      return false;
  const std::uint32_t joint = subject - 1;
  std::uint32_t start = joint;
  while (start > a.sentences[mention.sentence].token_begin) {
    const Token& t = a.tokens[start - 1];
    if (t.is(kPunct) && (t.punct == ',' || t.punct == ';' || t.punct == ':')) break;
    --start;
  }
  if (mention.token_begin < start) return false;
  // The verb is the mention's own: nothing between them joins another clause or opens one ("a
  // workup was performed *and* tuberculosis and sarcoidosis were excluded", "tests revealed *that*
  // HIV and HBsAg were negative": there the mention is one of the new subjects). An "and" between
  // two concepts lists the verb's objects ("presented with fever *and* chills and blood cultures
  // were negative"), unless a plural copula after a subject that is no plural says the mention is
  // part of that subject ("with jaundice and hepatitis A and hepatitis E *were* excluded").
  const auto& verbs = m.words(mapping::WordList::clause_verbs);
  auto plural_word = [](std::string_view w) {
    return w.size() > 2 && (w.back() == 's' || w.back() == 'S') && !is_word(w.substr(w.size() - 2), "ss") &&
           !is_word(w.substr(w.size() - 2), "is") && !is_word(w.substr(w.size() - 2), "us");
  };
  // … or, with a plural copula, a subject that starts with a concept of the mention's kind ("fever
  // and HIV and hepatitis B infections were excluded": two disorders, one subject; "fever and
  // pneumonia and tuberculosis was excluded" has one).
  std::uint32_t subject_start = subject;
  if (subject_start < copula && is_any_word(word_at(doc, a, subject_start), {"a", "an", "the"})) ++subject_start;
  const auto subject_mention = first_mention_from(a, subject_start);
  const bool same_kind = subject_mention != a.mentions.end() && subject_mention->token_begin == subject_start &&
                         m.concept_at(subject_mention->concept_index).kind() == m.concept_at(mention.concept_index).kind();
  const bool plural_copula = is_any_word(word_at(doc, a, copula), {"were", "are"});
  const bool joint_subject = plural_copula && (same_kind || !plural_word(word_at(doc, a, copula - 1)));
  auto lists_concepts = [&](std::uint32_t i) {
    if (joint_subject || !is_any_word(word_at(doc, a, i), {"and", "or"}) || i == 0) return false;
    const auto after = first_mention_from(a, i + 1);
    std::uint32_t next = i + 1;
    if (next < copula && is_any_word(word_at(doc, a, next), {"a", "an", "the"})) ++next;
    const auto before = first_mention_from(a, i);   // the first mention at or after i
    const bool ends_before = before != a.mentions.begin() && std::prev(before)->token_end == i;
    return ends_before && after != a.mentions.end() && after->token_begin == next;
  };
  auto opens_or_joins = [&](std::uint32_t i) {
    return is_any_word(word_at(doc, a, i), {"that", "whether", "but"}) || (is_any_word(word_at(doc, a, i), {"and", "or"}) && !lists_concepts(i));
  };
  for (std::uint32_t i = start; i < joint; ++i) {
    if ((i >= mention.token_begin && i < mention.token_end) || !a.tokens[i].is(kWord) || !verbs.contains_folded(word_at(doc, a, i)))
      continue;
    bool own = true;
    for (std::uint32_t k = std::min(i + 1, mention.token_end); k < std::max(i, mention.token_begin) && own; ++k)
      own = !opens_or_joins(k);
    if (own) return true;
  }
  return false;
}

// "Fever workup was negative", "a syncope work-up was negative": the subject of the cue is a search
// for the finding's cause (cause-search-heads) written right after the finding. Nothing was found;
// the finding it started from is still there. (After it, "evaluation for papilledema was
// negative" most often looked for the finding itself.)
bool reason_of_a_cause_search(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, const Mention& mention,
                              std::uint32_t trigger_begin) {
  const std::uint32_t i = mention.token_end;
  if (i >= trigger_begin || !a.tokens[i].is(kWord)) return false;
  for (std::uint32_t k = i; k < trigger_begin; ++k)
    if (a.tokens[k].is(kPunct) && a.tokens[k].punct != '-') return false;
  const std::string_view w = word_at(doc, a, i);
  if (m.words(mapping::WordList::cause_search_heads).contains_folded(w)) return true;
  // "work-up", "work up"
  std::uint32_t next = i + 1;
  while (next < trigger_begin && a.tokens[next].is(kPunct)) ++next;
  return is_word(w, "work") && next < trigger_begin && is_word(word_at(doc, a, next), "up");
}

// Is the mention the object of a head before it ("an infectious cause of the fever")? Then a
// modifier written after it is about the head, not the mention. With `site_after` set, only a place
// ("in the cytoplasm of the tumor cells") that starts at or after that token counts: the mention is
// then out of the reach of a cue before the place too.
bool object_of_a_head(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::size_t first_trigger,
                      const Mention& mention, ContextCategory category, std::uint32_t site_after = kNone) {
  for (std::size_t k = first_trigger; k < a.triggers.size() && a.triggers[k].sentence == mention.sentence; ++k) {
    const TriggerMatch& t = a.triggers[k];
    if (t.token_end > mention.token_begin) break;
    if (t.category != ContextCategory::termination) continue;
    const ContextTrigger& rule = m.set.triggers[t.trigger];
    if (site_after != kNone ? !rule.object_only || t.token_begin < site_after : !(rule.heads_object || rule.object_only)) continue;
    if (!rule.ends.empty() && std::find(rule.ends.begin(), rule.ends.end(), category) == rule.ends.end()) continue;
    bool punctuation = false;
    for (std::uint32_t i = t.token_end; i < mention.token_begin; ++i) punctuation = punctuation || a.tokens[i].is(kPunct);
    if (punctuation || words_between(a, t.token_end, mention.token_begin) > 3) continue;
    // The head's object is the first concept after it, with no body site and no "or" before it:
    // in "no pain in the abdomen or diarrhea" the abdomen is the place, the diarrhea still denied.
    if (first_mention_from(a, t.token_end)->token_begin != mention.token_begin) continue;
    if (list_gap(doc, a, t.token_end, mention.token_begin) == Gap::coordinated) continue;
    // Sites are sorted by position: only the first one at or after the head can lie between.
    const auto site = std::lower_bound(a.sites.begin(), a.sites.end(), t.token_end,
                                       [](const SiteMention& x, std::uint32_t v) { return x.token_begin < v; });
    if (site == a.sites.end() || site->token_end > mention.token_begin) return true;
  }
  return false;
}

}  // namespace

void apply_context(const SourceDocument& doc, Annotations& a, const CompiledMappings& m) {
  const std::vector<TerminationMask> terminates = termination_masks(doc, a, m);

  std::size_t first_trigger = 0;
  std::size_t sentence_first = 0;   // index of the first mention of the current mention's sentence
  for (std::size_t index = 0; index < a.mentions.size(); ++index) {
    Mention& mention = a.mentions[index];
    if (index == 0 || a.mentions[index - 1].sentence != mention.sentence) sentence_first = index;
    const Sentence& sentence = a.sentences[mention.sentence];
    const SectionRule* section = m.section_rule(doc.sections[sentence.section].role);
    if (section && section->historical) mention.temporality = Temporality::historical;
    if (sentence.subject == Subject::family) mention.experiencer = Experiencer::family;

    while (first_trigger < a.triggers.size() && a.triggers[first_trigger].sentence < mention.sentence) ++first_trigger;
    struct Best {
      std::uint32_t distance = kNone;
      const TriggerMatch* trigger = nullptr;
    } best[5], negation;
    const ConceptKind kind = m.concept_at(mention.concept_index).kind();
    for (std::size_t k = first_trigger; k < a.triggers.size() && a.triggers[k].sentence == mention.sentence; ++k) {
      const TriggerMatch& t = a.triggers[k];
      if (!is_modifier(t.category)) continue;
      const ContextTrigger& rule = m.set.triggers[t.trigger];
      if (!rule.kinds.empty() && std::find(rule.kinds.begin(), rule.kinds.end(), kind) == rule.kinds.end()) continue;
      if (t.qualified && kind == ConceptKind::procedure) continue;
      std::uint32_t distance = kNone;
      const bool before = t.token_end <= mention.token_begin;
      const bool after = t.token_begin >= mention.token_end;
      if (before && (rule.direction == Direction::forward || rule.direction == Direction::bidirectional ||
                     rule.direction == Direction::sentence)) {
        const std::uint32_t words = words_between(a, t.token_end, mention.token_begin);
        const bool in_scope = rule.direction == Direction::sentence ||
                              ((rule.attached ? words == 0 : rule.max_scope == 0 || words <= static_cast<std::uint32_t>(rule.max_scope)) &&
                               !scope_broken(a, terminates, t.token_end, mention.token_begin, t.token_end, true, t.category) &&
                               !object_of_a_head(doc, a, m, first_trigger, mention, t.category, t.token_end) &&
                               !ended_for_kind(a, m, first_trigger, mention.sentence, kind, t.token_end, mention.token_begin, true, t.category));
        // "He was scheduled for cholecystectomy, which was performed": done after all. "The patient
        // declined and chemotherapy was started": after "and", the procedure's own verb says it was
        // done ("no biopsy was performed" is the negation's own subject).
        if (in_scope && kind == ConceptKind::procedure && t.category == ContextCategory::hypothetical &&
            done_after(doc, a, m, mention.token_end, sentence.token_end))
          continue;
        const auto and_between = [&] {
          for (std::uint32_t i = t.token_end; i < mention.token_begin; ++i)
            if (is_word(word_at(doc, a, i), "and")) return true;
          return false;
        };
        if (in_scope && kind == ConceptKind::procedure &&
            (t.category == ContextCategory::negation || t.category == ContextCategory::hypothetical) && and_between() &&
            said_done_between(doc, a, m, mention.token_end, std::min(mention.token_end + 2, sentence.token_end)))
          continue;
        // "He did not develop fever until day 5": it began on day 5. Not "without" or "free of"
        // ("he remained without fever until discharge" was free of it all along).
        if (in_scope && t.category == ContextCategory::negation && until_after(doc, a, mention.token_end, sentence.token_end) &&
            has_not(doc, a, t.token_begin, t.token_end))
          continue;
        if (in_scope) distance = mention.token_begin - t.token_end;
      } else if (after && rule.direction == Direction::forward && answers_label(a, mention, t)) {
        distance = t.token_begin - mention.token_end;
      } else if (after && (rule.direction == Direction::backward || rule.direction == Direction::bidirectional ||
                           rule.direction == Direction::sentence)) {
        if (rule.direction != Direction::sentence && object_of_a_head(doc, a, m, first_trigger, mention, t.category)) continue;
        const std::uint32_t words = words_between(a, mention.token_end, t.token_begin);
        // "Fever: absent" answers the label; "features of X: absent C1 vertebra" describes what follows.
        const bool answers = t.token_end >= sentence.token_end || a.tokens[t.token_end].is(kPunct);
        const bool in_scope = rule.direction == Direction::sentence ||
                              ((rule.attached ? words == 0 && t.token_begin == mention.token_end
                                              : rule.max_scope == 0 || words <= static_cast<std::uint32_t>(rule.max_scope)) &&
                               !scope_broken(a, terminates, mention.token_end, t.token_begin, answers ? t.token_begin - 1 : kNone,
                                             false, t.category) &&
                               !ended_for_kind(a, m, first_trigger, mention.sentence, kind, mention.token_end, t.token_begin, false, t.category));
        if (in_scope && (t.category == ContextCategory::negation || t.category == ContextCategory::hypothetical) &&
            kind == ConceptKind::procedure && after_another_procedure(doc, a, m, sentence_first, mention, t.token_begin, rule.one_subject))
          continue;
        // "A CT scan was performed but was not indicated": its own clause says it was done; so does
        // "an appendectomy was recommended for appendicitis and was performed".
        if (in_scope && kind == ConceptKind::procedure &&
            (t.category == ContextCategory::negation || t.category == ContextCategory::hypothetical) &&
            (said_done_between(doc, a, m, mention.token_end, t.token_begin) ||
             (t.category == ContextCategory::hypothetical && done_after(doc, a, m, t.token_end, sentence.token_end))))
          continue;
        if (in_scope && rule.list_subject && !only_a_list_between(doc, a, sentence_first, mention, t.token_begin)) continue;
        if (in_scope && rule.direction != Direction::sentence &&
            (clause_ends_between(doc, a, m, mention, t.token_begin) || and_opens_a_subject(doc, a, m, mention, t.token_begin)))
          continue;
        if (in_scope && kind == ConceptKind::finding && t.category == ContextCategory::negation &&
            reason_of_a_cause_search(doc, a, m, mention, t.token_begin))
          continue;
        // "He had fever and cough, blood cultures were negative": a negative result whose subject is
        // a test named on its own after a comma (plain words ending in a word of test-heads) is that
        // test's, not a finding's before it. A test that names what it looks for ("COVID-19 RT-PCR
        // was negative", "Legionella and pneumococcal urinary antigens were negative") still
        // refutes it.
        if (in_scope && kind == ConceptKind::finding && t.category == ContextCategory::negation && t.token_begin >= 2 &&
            is_word(word_at(doc, a, t.token_end - 1), "negative") && a.tokens[t.token_begin - 1].is(kWord) &&
            m.words(mapping::WordList::test_heads).contains_folded(word_at(doc, a, t.token_begin - 1))) {
          std::uint32_t p = t.token_begin - 1;   // the test's name: words back to a comma or conjunction
          while (p > mention.token_end && a.tokens[p - 1].is(kWord) && !is_word(word_at(doc, a, p - 1), "and") &&
                 !is_word(word_at(doc, a, p - 1), "or") && first_mention_from(a, p - 1)->token_begin != p - 1)
            --p;
          // After a comma only: "Fever and blood cultures were negative" is one subject, both negative.
          const Token& joint = a.tokens[p - 1];
          const bool after_joint = p > mention.token_end && joint.is(kPunct) && joint.punct == ',';
          const auto inside = first_mention_from(a, p);
          if (after_joint && (inside == a.mentions.end() || inside->token_begin >= t.token_begin)) continue;
        }
        if (in_scope) distance = t.token_begin - mention.token_end;
      }
      if (distance == kNone) continue;
      Best& b = best[static_cast<int>(group_of(t.category))];
      if (distance < b.distance) b = Best{distance, &t};
      if (t.category == ContextCategory::negation && distance < negation.distance) negation = Best{distance, &t};
    }
    // A negation outweighs a nearer hedge when it governs the hedge ("no signs suggesting X",
    // "without apparent X") or settles it afterwards ("X was considered …, which was excluded").
    const TriggerMatch* hedge = best[static_cast<int>(Group::assertion)].trigger;
    if (hedge && hedge->category != ContextCategory::negation && negation.trigger) {
      const TriggerMatch* n = negation.trigger;
      const bool settles_later = n->token_begin >= mention.token_end;
      bool governs = n->token_end <= hedge->token_begin && hedge->token_end <= mention.token_begin;
      for (std::size_t k = sentence_first; k < a.mentions.size() && a.mentions[k].sentence == mention.sentence; ++k)
        if (a.mentions[k].token_begin >= n->token_end && a.mentions[k].token_end <= hedge->token_begin) governs = false;
      if (settles_later || governs) best[static_cast<int>(Group::assertion)] = negation;
    }
    if (const TriggerMatch* t = best[static_cast<int>(Group::assertion)].trigger) {
      mention.assertion_cue = Span{a.tokens[t->token_begin].span.begin, a.tokens[t->token_end - 1].span.end};
      mention.assertion = t->category == ContextCategory::negation ? Assertion::absent
                          : t->category == ContextCategory::possible ? Assertion::possible
                                                                     : Assertion::differential;
    }
    if (const TriggerMatch* t = best[static_cast<int>(Group::experiencer)].trigger) {
      mention.experiencer = t->category == ContextCategory::family ? Experiencer::family : Experiencer::other;
      if (t->category == ContextCategory::family) mention.relationship_trigger = t->trigger;
    }
    if (const TriggerMatch* t = best[static_cast<int>(Group::temporality)].trigger) {
      mention.temporality = t->category == ContextCategory::resolved ? Temporality::resolved : Temporality::historical;
      mention.temporality_cue = Span{a.tokens[t->token_begin].span.begin, a.tokens[t->token_end - 1].span.end};
    }
    // A negation after a proposed procedure settles it: "a mastectomy was discussed with her, which
    // she refused", "the option of amputation was declined" were not done, no longer plans.
    const TriggerMatch* proposal = best[static_cast<int>(Group::hypothetical)].trigger;
    const TriggerMatch* refusal = negation.trigger;
    const bool refused = proposal && refusal && kind == ConceptKind::procedure &&
                         refusal == best[static_cast<int>(Group::assertion)].trigger && refusal->token_begin >= proposal->token_end;
    if (proposal && !refused) mention.hypothetical = true;
    // "history of hypothyroidism, treated with levothyroxine": past in onset, present in fact.
    if (best[static_cast<int>(Group::ongoing)].trigger && mention.temporality == Temporality::historical)
      mention.temporality = Temporality::current;
  }
}

}  // namespace casefhir::nlp
