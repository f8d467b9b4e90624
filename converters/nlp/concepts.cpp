// nlp/concepts.cpp — match_concepts: concepts, body sites (with laterality) and methods.
#include <algorithm>

#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

// The preferred payload of a rule's match: the entry loaded last (a user's override beats a default).
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

// A word written in two halves joined by a hyphen ("schizo-affective", "anti-phospholipid")
// matches a term that writes it as one word: the concept of the longest term that starts with the
// joined word, when it reaches at least as far as the plain match. `match.end` counts tokens of
// the text, hyphen included.
bool match_joined(std::string_view text, const Annotations& a, const CompiledMappings& m, std::uint32_t i, std::uint32_t limit,
                  detail::ConceptMatch& match) {
  const auto& t = a.tokens;
  if (i + 2 >= limit || !t[i].is(kWord) || !t[i + 2].is(kWord) || !(t[i + 1].is(kPunct) && t[i + 1].punct == '-') ||
      t[i].span.end != t[i + 1].span.begin || t[i + 1].span.end != t[i + 2].span.begin)
    return false;
  thread_local std::string joined, norm;
  joined.assign(text.substr(t[i].span.begin, t[i].span.size()));
  joined.append(text.substr(t[i + 2].span.begin, t[i + 2].span.size()));
  normalize_word(joined, norm);
  m.respeller.apply(norm);
  const std::uint32_t id = m.vocabulary.find(norm);
  if (id == kNoTerm) return false;
  thread_local std::vector<Token> window;
  window.assign(t.begin() + i + 2, t.begin() + std::min<std::uint32_t>(limit, i + 2 + 12));
  window.front().term = id;
  window.front().abbrev = kNoTerm;
  detail::ConceptMatch joined_match;
  if (!m.match_concept(window, 0, window.size(), joined_match)) return false;
  joined_match.end += i + 2;
  if (joined_match.end < match.end) return false;
  match = joined_match;
  return true;
}

// An abbreviation the report defines inside a term ("left ventricular (LV) failure", "growth
// hormone (GH) deficiency") does not break the term: the concept of the longest term that reads
// through the bracket, when it goes on past it and reaches at least as far as the plain match. The
// bracket must follow a word of the term within a few words and hold only capitals or digits.
bool match_bracketed(const Annotations& a, const CompiledMappings& m, std::uint32_t i, std::uint32_t limit, detail::ConceptMatch& match) {
  const auto& t = a.tokens;
  constexpr std::uint32_t kReach = 6, kInside = 3;
  std::uint32_t open = i;
  while (open < limit && open < i + kReach && t[open].is(kWord)) ++open;
  if (open == i || open + 2 >= limit || !(t[open].is(kPunct) && t[open].punct == '(')) return false;
  std::uint32_t close = open + 1;
  while (close < limit && close <= open + kInside && (t[close].is(kAllCaps) || t[close].is(kNumber))) ++close;
  if (close == open + 1 || close + 1 >= limit || !(t[close].is(kPunct) && t[close].punct == ')') || !t[close + 1].is(kWord))
    return false;
  thread_local std::vector<Token> window;
  window.assign(t.begin() + i, t.begin() + open);
  window.insert(window.end(), t.begin() + close + 1, t.begin() + std::min<std::uint32_t>(limit, close + 1 + 12));
  detail::ConceptMatch through;
  const std::uint32_t before = open - i;
  if (!m.match_concept(window, 0, static_cast<std::uint32_t>(window.size()), through) || through.end <= before) return false;
  through.end += i + (close + 1 - open);
  if (through.end < match.end) return false;
  match = through;
  return true;
}

// Past the words a writer puts between "of" and a site, from `k`: determiners (site-determiners)
// and at most one laterality, whose index and first token go to `laterality` and `laterality_begin`.
std::uint32_t skip_site_words(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t k,
                              std::uint32_t limit, std::uint32_t& laterality, std::uint32_t& laterality_begin) {
  const WordSet& determiners = m.words(mapping::WordList::site_determiners);
  laterality = kNone;
  while (k < limit) {
    PhraseIndex::Match side;
    if (a.tokens[k].is(kWord) && determiners.contains_folded(doc.view(a.tokens[k].span))) {
      ++k;
    } else if (laterality == kNone && m.laterality_terms.longest(a.tokens, k, limit, side)) {
      laterality = preferred(m.laterality_terms.payloads(side));
      laterality_begin = k;
      k = side.end;
    } else {
      break;
    }
  }
  return k;
}

// A body site with its laterality, read inside a term: the structure at [begin, structure.end),
// the laterality's words from `side_begin`. Already its mention's (attached).
SiteMention site_with_side(const Annotations& a, std::uint32_t begin, const detail::ConceptMatch& structure, std::uint32_t side,
                           std::uint32_t side_begin) {
  SiteMention site;
  site.token_begin = begin;
  site.token_end = structure.end;
  site.concept_index = structure.concept_index;
  site.laterality = side;
  site.span = Span{a.tokens[side_begin].span.begin, a.tokens[structure.end - 1].span.end};
  site.attached = true;
  return site;
}

// A term "X of Y" read through the words a writer puts between "of" and the site: a determiner
// (site-determiners) and a laterality. "Dissection of the right vertebral artery" is the term
// "dissection of vertebral artery", "fracture of his left femur" a "fracture of femur": the concept
// of the longest term that reads through them, when it goes on past them and reaches at least as
// far as the plain match. `of` is the position of the "of" (within a few words of `i`). A
// laterality skipped is kept: `site` gets it, with the body structure the words after it name.
bool match_through_site_words(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t i,
                              std::uint32_t of, std::uint32_t limit, detail::ConceptMatch& match, SiteMention& site) {
  const auto& t = a.tokens;
  std::uint32_t laterality = kNone, laterality_begin = kNone;
  const std::uint32_t k = skip_site_words(doc, a, m, of + 1, limit, laterality, laterality_begin);
  if (k == of + 1 || k >= limit) return false;
  thread_local std::vector<Token> window;
  window.assign(t.begin() + i, t.begin() + of + 1);
  window.insert(window.end(), t.begin() + k, t.begin() + std::min<std::uint32_t>(limit, k + 12));
  detail::ConceptMatch through;
  const std::uint32_t before = of + 1 - i;
  if (!m.match_concept(window, 0, static_cast<std::uint32_t>(window.size()), through) || through.end <= before) return false;
  through.end += i + k - (of + 1);
  if (through.end < match.end) return false;
  // "Fracture of the neck of the femur": the site goes on, and "neck" is the femur's, not the
  // body's neck. (A term that reads through to its end, "fracture of neck of femur", is not stopped.)
  if (through.end < limit && t[through.end].is(kWord) && doc.view(t[through.end].span) == "of") return false;
  // "Biopsy of the liver lesion", "repair of the inguinal hernia": the words after "the" name a
  // lesion or a disorder of their own, which the term "biopsy of liver" would leave without its
  // site or lose.
  detail::ConceptMatch own;
  if (m.match_concept(t, k, limit, own) && own.end >= through.end &&
      (own.concept_index == mapping::kNotAConcept || m.concept_at(own.concept_index).kind() != ConceptKind::body_structure))
    return false;
  // "Swelling of the hands and feet" names one finding at two sites: the term of the first site
  // ("swelling of hand") would leave the second without its finding.
  std::uint32_t next = through.end;
  if (next < limit && (t[next].is(kPunct) ? t[next].punct == ',' : doc.view(t[next].span) == "and" || doc.view(t[next].span) == "or")) {
    std::uint32_t listed_side = kNone, listed_side_begin = kNone;
    next = skip_site_words(doc, a, m, next + 1, limit, listed_side, listed_side_begin);
    detail::ConceptMatch listed;
    if (m.match_concept(t, next, limit, listed) && listed.concept_index != mapping::kNotAConcept &&
        m.concept_at(listed.concept_index).kind() == ConceptKind::body_structure)
      return false;
  }
  match = through;
  site = SiteMention{};
  detail::ConceptMatch structure;
  if (laterality != kNone && m.match_concept(t, k, match.end, structure) && structure.concept_index != mapping::kNotAConcept &&
      m.concept_at(structure.concept_index).kind() == ConceptKind::body_structure)
    site = site_with_side(a, k, structure, laterality, laterality_begin);
  return true;
}

// A negating prefix attached to the word at `i` ("non-" in "non-malignant"): a trigger of an
// `attached` negation rule that ends right before it, with at most a hyphen between.
bool negating_prefix_before(const Annotations& a, const CompiledMappings& m, std::uint32_t sentence_begin, std::uint32_t i) {
  std::uint32_t end = i;
  if (end > sentence_begin && a.tokens[end - 1].is(kPunct) && a.tokens[end - 1].punct == '-') --end;
  for (std::uint32_t start = end; start-- > sentence_begin && start + 3 >= end;) {
    PhraseIndex::Match match;
    if (!m.trigger_terms.longest(a.tokens, start, end, match) || match.end != end) continue;
    for (const std::uint32_t p : m.trigger_terms.payloads(match)) {
      const ContextTrigger& rule = m.set.triggers[p];
      if (rule.attached && rule.category == ContextCategory::negation) return true;
    }
  }
  return false;
}

// Whether a term of a finding, disorder or procedure starts at a word in [from, to). A lab test
// does not count: "non-elevated creatinine" denies the elevation, and the result reader would
// read "elevated" as the value.
bool names_finding_within(const Annotations& a, const CompiledMappings& m, std::uint32_t from, std::uint32_t to,
                          std::uint32_t limit) {
  for (std::uint32_t j = from; j < to; ++j) {
    detail::ConceptMatch sub;
    if (!m.match_concept(a.tokens, j, limit, sub) || sub.concept_index == mapping::kNotAConcept) continue;
    const ConceptKind kind = m.concept_at(sub.concept_index).kind();
    if (kind == ConceptKind::disorder || kind == ConceptKind::finding || kind == ConceptKind::procedure) return true;
  }
  return false;
}

}  // namespace

void read_capitals(const SourceDocument& doc, Annotations& a) {
  auto& t = a.tokens;
  auto has_lower = [&](const Token& token) {
    for (const char c : doc.view(token.span))
      if (c >= 'a' && c <= 'z') return true;
    return false;
  };
  auto has_digit = [&](const Token& token) {
    for (const char c : doc.view(token.span))
      if (c >= '0' && c <= '9') return true;
    return false;
  };
  for (const Sentence& sentence : a.sentences) {
    // Shouted: three words or more in capitals and none in small letters.
    std::uint32_t capitals = 0;
    bool lower = false;
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end && !lower; ++i) {
      if (!t[i].is(kWord)) continue;
      capitals += t[i].is(kAllCaps);
      lower = has_lower(t[i]);
    }
    if (lower || capitals < 3) continue;
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      t[i].abbrev = kNoTerm;
      t[i].flags = static_cast<std::uint8_t>(t[i].flags & ~kAllCaps);
    }
  }
  // Part of a symbol: a hyphen written against the word joins it to a part in capitals or with a
  // digit in it ("IL-7R", "RP11-173M11"); "HIV-1", "T-ALL" and "ANCA-associated" stay readable.
  auto joined = [&](std::uint32_t hyphen) {
    return hyphen > 0 && hyphen + 1 < t.size() && t[hyphen].is(kPunct) && t[hyphen].punct == '-' &&
           t[hyphen - 1].span.end == t[hyphen].span.begin && t[hyphen].span.end == t[hyphen + 1].span.begin &&
           !t[hyphen - 1].is(kPunct) && !t[hyphen + 1].is(kPunct);
  };
  // The characters written against token `from` (through tokens that touch, in one direction),
  // up to any punctuation: "7R" in "IL-7R" is two tokens, a number and a word.
  auto symbol_part = [&](std::uint32_t from, bool forward) {   // capitals, or letters and digits together
    bool digit = false, lower = false;
    std::size_t letters = 0;
    for (std::uint32_t i = from;;) {
      for (const char c : doc.view(t[i].span)) {
        letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        lower |= c >= 'a' && c <= 'z';
        digit |= c >= '0' && c <= '9';
      }
      const std::uint32_t next = forward ? i + 1 : i - 1;
      if ((forward && next >= t.size()) || (!forward && i == 0) || t[next].is(kPunct)) break;
      if (forward ? t[i].span.end != t[next].span.begin : t[next].span.end != t[i].span.begin) break;
      i = next;
    }
    return (letters > 0 && digit) || (letters > 1 && !lower);   // "T-ALL" is T-cell ALL
  };
  for (std::uint32_t i = 0; i < t.size(); ++i) {
    if (t[i].abbrev == kNoTerm) continue;
    const bool before = i >= 2 && joined(i - 1), after = joined(i + 1);
    if ((before && (has_digit(t[i]) || symbol_part(i - 2, false))) || (after && (has_digit(t[i]) || symbol_part(i + 2, true))))
      t[i].abbrev = kNoTerm;
  }
}

bool names_a_gene(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t i, std::uint32_t limit) {
  return i < limit && a.tokens[i].is(kWord) && m.words(mapping::WordList::gene_heads).contains_folded(doc.view(a.tokens[i].span));
}

// Whether a disorder or finding written in capitalised words (not an abbreviation) is part of an
// organisation's name: a word of organisation-heads right after it, or one capitalised word after
// it ("Memorial Sloan Kettering Cancer Center", "Shock Trauma Center"), or before it with "of"
// between, through capitalised words joined by "of", "and", "the" or "&" ("the Department of
// Infectious Diseases", "the National Institute of Neurology and Cerebrovascular Diseases"). The
// disorder is the organisation's field, not the patient's. "Admitted to the Intensive Care Unit for
// Guillain-Barre Syndrome" is the patient's; so are "New York Heart Association Class III Heart
// Failure", "the HIV Clinic" and "the Intensive Care Unit and ARDS developed".
bool names_an_organisation(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, const Mention& named,
                           std::uint32_t sentence_begin, std::uint32_t sentence_end) {
  const ConceptKind kind = m.concept_at(named.concept_index).kind();
  if (kind != ConceptKind::disorder && kind != ConceptKind::finding) return false;
  const auto& t = a.tokens;
  auto capitalised = [&](std::uint32_t i) { return t[i].is(kWord) && (t[i].is(kCapitalized) || t[i].is(kAllCaps)); };
  for (std::uint32_t i = named.token_begin; i < named.token_end; ++i)
    if (t[i].is(kWord) && (!t[i].is(kCapitalized) || t[i].is(kAllCaps))) return false;
  const WordSet& heads = m.words(mapping::WordList::organisation_heads);
  auto head = [&](std::uint32_t i) { return capitalised(i) && heads.contains_folded(doc.view(t[i].span)); };
  // A name does not run over a line break: a title's last word is not the next line's "Hospital".
  for (std::uint32_t i = named.token_end; i < sentence_end && i < named.token_end + 2 && capitalised(i) && !t[i].is(kLineStart); ++i)
    if (head(i)) return true;
  auto word = [&](std::uint32_t i, std::string_view w) { return doc.view(t[i].span) == w; };
  auto joins = [&](std::uint32_t i) { return word(i, "of") || word(i, "and") || word(i, "the") || word(i, "&"); };
  // "the Department of Neurology and Parkinson Disease was diagnosed": after "and", a disorder that
  // is the subject of its own verb is the patient's.
  const std::string_view after = named.token_end < sentence_end ? doc.view(t[named.token_end].span) : std::string_view();
  const bool own_verb = after == "was" || after == "were" || after == "is" || after == "are" || after == "had" || after == "has" ||
                        m.words(mapping::WordList::finding_verbs).contains_folded(after);
  bool of = false;   // an "of" between the mention and the head before it
  for (std::uint32_t i = named.token_begin; i > sentence_begin && !t[i].is(kLineStart);) {
    --i;
    if (capitalised(i)) {
      if (of && head(i)) return true;
    } else if (joins(i) && i > sentence_begin && capitalised(i - 1) && !(word(i, "and") && own_verb)) {
      of = of || word(i, "of");
    } else {
      break;
    }
  }
  return false;
}

// "esophagectomy", "ileostomy": a word that no concept names, whose ending names a kind of
// procedure (word lists excision-word-endings, operation-word-endings), is a mention of that kind
// ("excision", "surgical-procedure"), named with the report's word. kNone otherwise, and when the
// mappings have no such concept.
std::uint32_t procedure_by_ending(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t i) {
  constexpr std::size_t kLetters = 3;   // at least before the ending: "ostomy" alone is no operation
  const Token& t = a.tokens[i];
  if (!t.is(kWord)) return kNone;
  const std::string_view word = doc.view(t.span);
  // Every ending of the default lists ends in "y": most words are ruled out here.
  if (word.size() < kLetters + 4 || (word.back() | 0x20) != 'y' || m.words(mapping::WordList::not_procedure_words).contains_folded(word))
    return kNone;
  // "postmastectomy lymphedema", "pre-esophagectomy chemotherapy": a word made an adjective of a
  // time before or after the operation names no operation of its own.
  const auto starts_with = [&](std::string_view w, std::string_view lower) {
    return w.size() >= lower.size() && std::equal(lower.begin(), lower.end(), w.begin(), [](char x, char y) { return x == (y | 0x20); });
  };
  if (starts_with(word, "post") || starts_with(word, "pre")) return kNone;
  if (i >= 2 && a.tokens[i - 1].is(kPunct) && a.tokens[i - 1].punct == '-' && a.tokens[i - 2].is(kWord)) {
    const std::string_view before = doc.view(a.tokens[i - 2].span);
    if ((before.size() == 4 && starts_with(before, "post")) || (before.size() == 3 && starts_with(before, "pre"))) return kNone;
  }
  for (const auto& [list, id] : {std::pair{mapping::WordList::excision_word_endings, std::string_view("excision")},
                                 std::pair{mapping::WordList::operation_word_endings, std::string_view("surgical-procedure")}}) {
    const WordSet& endings = m.words(list);
    for (std::size_t n = 2; n + kLetters <= word.size() && n <= WordSet::kLongest; ++n) {
      if (!endings.contains_folded(word.substr(word.size() - n))) continue;
      const auto concept_index = m.find_concept(id);
      if (!concept_index || m.concept_at(*concept_index).kind() != ConceptKind::procedure) return kNone;
      return *concept_index;
    }
  }
  return kNone;
}

void match_concepts(const SourceDocument& doc, Annotations& a, const CompiledMappings& m) {
  a.mentions.clear();
  a.sites.clear();
  a.methods.clear();
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    const std::size_t first_of_sentence = a.mentions.size();
    const std::size_t first_method = a.methods.size();
    const std::size_t first_site = a.sites.size();
    // The next "of" followed by a site determiner or a laterality, for match_through_site_words.
    const WordSet& determiners = m.words(mapping::WordList::site_determiners);
    auto of_before_site_words = [&](std::uint32_t from) {
      for (std::uint32_t j = from; j + 1 < sentence.token_end; ++j) {
        if (!a.tokens[j].is(kWord) || doc.view(a.tokens[j].span) != "of" || !a.tokens[j + 1].is(kWord)) continue;
        PhraseIndex::Match side;
        if (determiners.contains_folded(doc.view(a.tokens[j + 1].span)) ||
            m.laterality_terms.longest(a.tokens, j + 1, sentence.token_end, side))
          return j;
      }
      return sentence.token_end;
    };
    std::uint32_t next_of = of_before_site_words(sentence.token_begin);
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end;) {
      if (next_of < i) next_of = of_before_site_words(i);
      detail::ConceptMatch match;
      const bool plain = m.match_concept(a.tokens, i, sentence.token_end, match);
      if (!plain) match.end = 0;
      const bool joined = match_joined(doc.text, a, m, i, sentence.token_end, match);
      const bool bracketed = match_bracketed(a, m, i, sentence.token_end, match);
      constexpr std::uint32_t kWordsBeforeOf = 5;
      SiteMention lateral_site;
      const bool through = next_of < sentence.token_end && next_of > i && next_of - i <= kWordsBeforeOf &&
                           match_through_site_words(doc, a, m, i, next_of, sentence.token_end, match, lateral_site);
      if (!plain && !joined && !bracketed && !through) {
        if (const std::uint32_t by_ending = procedure_by_ending(doc, a, m, i); by_ending != kNone) {
          Mention mention;
          mention.token_begin = i;
          mention.token_end = i + 1;
          mention.span = a.tokens[i].span;
          mention.concept_index = by_ending;
          mention.sentence = s;
          mention.named_by_ending = true;
          a.mentions.push_back(std::move(mention));
        }
        ++i;
        continue;
      }
      if (match.concept_index == mapping::kNotAConcept) {   // "mass effect", "tumor necrosis factor"
        i = match.end;
        continue;
      }
      // "non-malignant pheochromocytoma" is a pheochromocytoma that is not malignant: a negating
      // prefix denies only the word it is attached to, so a term that goes on past that word is not
      // what the text names when the rest names a finding of its own; that is matched instead.
      // "non-carious teeth" (no finding after the prefixed word) stays the caries denied.
      if (match.end > i + 1 && negating_prefix_before(a, m, sentence.token_begin, i) &&
          names_finding_within(a, m, i + 1, match.end, sentence.token_end)) {
        ++i;
        continue;
      }
      const Span span{a.tokens[i].span.begin, a.tokens[match.end - 1].span.end};
      if (m.concept_at(match.concept_index).kind() == ConceptKind::body_structure) {
        SiteMention site;
        site.token_begin = i;
        site.token_end = match.end;
        site.concept_index = match.concept_index;
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
        mention.concept_index = match.concept_index;
        mention.sentence = s;
        mention.needs_neighbour = (match.term_flags & mapping::kNeedsNeighbour) != 0;
        // "Left hand numbness", "right toe amputation": a term that starts with its site ("hand
        // numbness") keeps the laterality written before it, on that site.
        std::uint32_t side_begin = i;
        std::uint32_t side = through || match.end < i + 2 ? kNone : laterality_before(a, m, sentence.token_begin, i, side_begin);
        // Not a direction ("right-to-left cardiac shunt") or the last of two sides ("left and
        // right lung nodules"): the term's site has no one side there.
        if (side != kNone && side_begin > sentence.token_begin) {
          std::uint32_t before = side_begin - 1;
          if (a.tokens[before].is(kPunct) && a.tokens[before].punct == '-' && before > sentence.token_begin) --before;
          const std::string_view w = doc.view(a.tokens[before].span);
          std::uint32_t other = side_begin;
          if (w == "to" || ((w == "and" || w == "or") && before > sentence.token_begin &&
                            laterality_before(a, m, sentence.token_begin, before, other) != kNone))
            side = kNone;
        }
        detail::ConceptMatch structure;
        bool starts_with_site = false;
        for (std::uint32_t end = match.end - 1; side != kNone && end > i && !starts_with_site; --end)
          starts_with_site = m.match_concept(a.tokens, i, end, structure) && structure.concept_index != mapping::kNotAConcept &&
                             m.concept_at(structure.concept_index).kind() == ConceptKind::body_structure;
        if (starts_with_site) lateral_site = site_with_side(a, i, structure, side, side_begin);
        if (lateral_site.attached) {
          lateral_site.sentence = s;
          mention.sites.push_back(static_cast<std::uint32_t>(a.sites.size()));
          a.sites.push_back(lateral_site);
        }
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
    // A term the rules mark as needing a clinical neighbour ("cold", "discharge") counts only
    // with another concept, a body site or a method nearby in the sentence.
    const auto window = static_cast<std::uint32_t>(m.set.term_rules.neighbour_window);
    auto near = [&](std::uint32_t b, std::uint32_t e, const Mention& x) {
      const std::uint32_t gap = e <= x.token_begin ? x.token_begin - e : b >= x.token_end ? b - x.token_end : 0;
      return window == 0 || gap <= window;
    };
    for (std::size_t k = first_of_sentence; k < a.mentions.size();) {
      const Mention& x = a.mentions[k];
      if (!x.needs_neighbour) { ++k; continue; }
      bool has = false;
      for (std::size_t j = first_of_sentence; j < a.mentions.size() && !has; ++j)
        has = j != k && !a.mentions[j].needs_neighbour && near(a.mentions[j].token_begin, a.mentions[j].token_end, x);
      for (std::size_t j = first_site; j < a.sites.size() && !has; ++j)
        has = near(a.sites[j].token_begin, a.sites[j].token_end, x);
      for (std::size_t j = first_method; j < a.methods.size() && !has; ++j)
        has = near(a.methods[j].token_begin, a.methods[j].token_end, x);
      if (has) ++k;
      else a.mentions.erase(a.mentions.begin() + static_cast<std::ptrdiff_t>(k));
    }
    // A disorder named right before a lab test names the test's target, not a diagnosis:
    // "measles IgM" (an analyte), "tuberculosis test", "HIV antibody" (a laboratory method word).
    auto starts_test = [&](std::uint32_t token, std::size_t after) {
      if (after < a.mentions.size() && a.mentions[after].sentence == s && a.mentions[after].token_begin == token &&
          m.concept_at(a.mentions[after].concept_index).kind() == ConceptKind::lab)
        return true;
      for (std::size_t k = first_method; k < a.methods.size(); ++k)
        if (a.methods[k].token_begin == token && m.set.methods[a.methods[k].method].observation_category == "laboratory")
          return true;
      return false;
    };
    // A symbol before a word of gene-heads names a gene: "a deletion within the DMD gene" (but
    // "Duchenne muscular dystrophy gene deletion" is still the disease).
    auto names_gene = [&](const Mention& named) {
      const std::string_view letters = doc.view(named.span);
      return named.token_end - named.token_begin == 1 &&
             std::none_of(letters.begin(), letters.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
             names_a_gene(doc, a, m, named.token_end, sentence.token_end);
    };
    for (std::size_t k = first_of_sentence; k < a.mentions.size();) {
      const Mention& named = a.mentions[k];
      if ((m.concept_at(named.concept_index).kind() != ConceptKind::lab && (starts_test(named.token_end, k + 1) || names_gene(named))) ||
          names_an_organisation(doc, a, m, named, sentence.token_begin, sentence.token_end))
        a.mentions.erase(a.mentions.begin() + static_cast<std::ptrdiff_t>(k));
      else
        ++k;
    }
  }
}

}  // namespace casefhir::nlp
