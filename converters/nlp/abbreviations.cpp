// nlp/abbreviations.cpp — expand_abbreviations: an abbreviation a report defines ("giant cell
// arteritis (GCA)") names that concept wherever the report uses it afterwards, whatever the
// vocabulary says the letters mean elsewhere ("PG" is pemphigoid gestationis in a report that
// said so, not prostaglandin).
//
// A definition is a long form followed by its short form in brackets. The short form must be
// spelled by the long form (the letters in order, the first at the start of a word: Schwartz and
// Hearst's test), so "fever (38.5 °C)" or "anaemia (Hb 7)" define nothing.
#include <algorithm>

#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
char lower(char c) { return is_upper(c) ? static_cast<char>(c + 32) : c; }

// A short form: one word of 2 to 10 ASCII letters or digits, starting with a letter, with at least
// two capitals ("GCA", "PG", "HbA1c" has two).
bool looks_short(std::string_view s) {
  if (s.size() < 2 || s.size() > 10 || !(is_upper(s[0]) || is_lower(s[0]))) return false;
  int capitals = 0;
  for (const char c : s) {
    if (!(is_upper(c) || is_lower(c) || (c >= '0' && c <= '9'))) return false;
    capitals += is_upper(c);
  }
  return capitals >= 2;
}

// Schwartz and Hearst: every letter and digit of the short form occurs in the long form, in order,
// searching from the end; the first must begin a word of the long form.
bool spells(std::string_view short_form, std::string_view long_form) {
  std::ptrdiff_t l = static_cast<std::ptrdiff_t>(long_form.size()) - 1;
  for (std::ptrdiff_t s = static_cast<std::ptrdiff_t>(short_form.size()) - 1; s >= 0; --s) {
    const char c = lower(short_form[static_cast<std::size_t>(s)]);
    while (l >= 0) {
      const char x = lower(long_form[static_cast<std::size_t>(l)]);
      const bool word_start = l == 0 || !(is_lower(lower(long_form[static_cast<std::size_t>(l - 1)])) ||
                                          (long_form[static_cast<std::size_t>(l - 1)] >= '0' && long_form[static_cast<std::size_t>(l - 1)] <= '9'));
      if (x == c && (s > 0 || word_start)) break;
      --l;
    }
    if (l < 0) return false;
    --l;
  }
  return true;
}

struct Definition {
  std::string short_form;
  std::uint32_t after = 0;        // token index of the short form in its definition: it applies from here
  std::uint32_t concept_index = kNone;   // kNone: the long form names no known concept
};

}  // namespace

void expand_abbreviations(const SourceDocument& doc, Annotations& a, const CompiledMappings& m) {
  const auto& tokens = a.tokens;
  auto text_of = [&](std::uint32_t t) { return doc.view(tokens[t].span); };
  auto punct_at = [&](std::uint32_t t, char p) { return t < tokens.size() && tokens[t].is(kPunct) && tokens[t].punct == p; };

  // Definitions: "<long form> (<SHORT>)" within a sentence.
  std::vector<Definition> definitions;
  std::vector<std::uint32_t> drop;   // mentions the vocabulary read into letters a report defined otherwise
  std::size_t k = 0, first_site = 0;   // first mention and site not before the current sentence
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    while (k < a.mentions.size() && a.mentions[k].sentence < s) ++k;
    while (first_site < a.sites.size() && a.sites[first_site].sentence < s) ++first_site;
    for (std::uint32_t open = sentence.token_begin + 1; open + 2 < sentence.token_end; ++open) {
      if (!punct_at(open, '(') || !punct_at(open + 2, ')') || !tokens[open + 1].is(kWord)) continue;
      const std::string_view short_form = text_of(open + 1);
      if (!looks_short(short_form)) continue;
      // The long form: a concept named right before the bracket, else the words before it.
      std::uint32_t concept_index = kNone;
      std::uint32_t long_begin = open > sentence.token_begin + 8 ? open - 8 : sentence.token_begin;
      for (std::size_t j = k; j < a.mentions.size() && a.mentions[j].sentence == s; ++j)
        if (a.mentions[j].token_end == open) {
          concept_index = a.mentions[j].concept_index;
          long_begin = a.mentions[j].token_begin;
        }
      for (std::size_t j = first_site; j < a.sites.size() && a.sites[j].sentence == s; ++j)
        if (a.sites[j].token_end == open) {
          concept_index = a.sites[j].concept_index;
          long_begin = a.sites[j].token_begin;
        }
      const std::string_view long_form =
          std::string_view(doc.text).substr(tokens[long_begin].span.begin, tokens[open - 1].span.end - tokens[long_begin].span.begin);
      if (!spells(short_form, long_form)) continue;
      definitions.push_back(Definition{std::string(short_form), open + 1, concept_index});   // the short form itself too
    }
  }
  if (definitions.empty()) return;

  // Every later use of a short form, as a word of its own. Most words start with a letter no short
  // form starts with: those are passed over at once.
  bool first_letters[256] = {};
  for (const Definition& d : definitions) first_letters[static_cast<unsigned char>(d.short_form.front())] = true;
  thread_local std::vector<std::uint32_t> sentence_of, mention_at;
  thread_local std::vector<bool> covered;
  sentence_of.assign(tokens.size(), kNone);
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s)
    for (std::uint32_t t = a.sentences[s].token_begin; t < a.sentences[s].token_end; ++t) sentence_of[t] = s;
  mention_at.assign(tokens.size(), kNone);   // a one-word mention at a token
  covered.assign(tokens.size(), false);
  for (std::uint32_t j = 0; j < a.mentions.size(); ++j) {
    for (std::uint32_t t = a.mentions[j].token_begin; t < a.mentions[j].token_end; ++t) covered[t] = true;
    if (a.mentions[j].token_end == a.mentions[j].token_begin + 1) mention_at[a.mentions[j].token_begin] = j;
  }
  for (const SiteMention& site : a.sites)
    for (std::uint32_t t = site.token_begin; t < site.token_end; ++t) covered[t] = true;
  std::vector<Mention> added;
  std::vector<SiteMention> added_sites;
  for (std::uint32_t t = 0; t < tokens.size(); ++t) {
    if (!tokens[t].is(kWord) || !first_letters[static_cast<unsigned char>(doc.text[tokens[t].span.begin])] ||
        sentence_of[t] == kNone)
      continue;
    const std::string_view word = text_of(t);
    const Definition* d = nullptr;   // the latest definition of this short form before t
    for (const Definition& x : definitions)
      if (x.after <= t && x.short_form == word) d = &x;
    if (!d) continue;
    if (mention_at[t] != kNone) {   // the vocabulary's own reading of the letters gives way
      if (d->concept_index == kNone || m.concept_at(d->concept_index).kind() == ConceptKind::body_structure)
        drop.push_back(mention_at[t]);
      else
        a.mentions[mention_at[t]].concept_index = d->concept_index;
      if (d->concept_index == kNone || m.concept_at(d->concept_index).kind() != ConceptKind::body_structure) continue;
    } else if (covered[t] || d->concept_index == kNone) {
      continue;
    }
    if (m.concept_at(d->concept_index).kind() == ConceptKind::body_structure) {
      SiteMention site;
      site.token_begin = t;
      site.token_end = t + 1;
      site.span = tokens[t].span;
      site.concept_index = d->concept_index;
      site.sentence = sentence_of[t];
      added_sites.push_back(site);
      continue;
    }
    Mention mention;
    mention.token_begin = t;
    mention.token_end = t + 1;
    mention.span = tokens[t].span;
    mention.concept_index = d->concept_index;
    mention.sentence = sentence_of[t];
    added.push_back(std::move(mention));
  }

  std::sort(drop.begin(), drop.end());
  drop.erase(std::unique(drop.begin(), drop.end()), drop.end());
  for (auto it = drop.rbegin(); it != drop.rend(); ++it) a.mentions.erase(a.mentions.begin() + static_cast<std::ptrdiff_t>(*it));
  auto by_position = [](const auto& x, const auto& y) { return x.token_begin < y.token_begin; };
  if (!added.empty()) {
    const auto middle = a.mentions.size();
    a.mentions.insert(a.mentions.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
    std::inplace_merge(a.mentions.begin(), a.mentions.begin() + static_cast<std::ptrdiff_t>(middle), a.mentions.end(), by_position);
  }
  if (!added_sites.empty()) {
    const auto middle = a.sites.size();
    a.sites.insert(a.sites.end(), added_sites.begin(), added_sites.end());
    std::inplace_merge(a.sites.begin(), a.sites.begin() + static_cast<std::ptrdiff_t>(middle), a.sites.end(), by_position);
  }
}

}  // namespace casefhir::nlp
