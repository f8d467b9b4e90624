// nlp/abbreviations.cpp — expand_abbreviations: an abbreviation a report defines ("giant cell
// arteritis (GCA)") names that concept wherever the report uses it afterwards, whatever the
// vocabulary says the letters mean elsewhere ("PG" is pemphigoid gestationis in a report that
// said so, not prostaglandin).
//
// A definition is a long form followed by its short form in brackets. The short form must be
// spelled by the long form (the letters in order, the first at the start of a word: Schwartz and
// Hearst's test), so "fever (38.5 °C)" or "anaemia (Hb 7)" define nothing.
#include <algorithm>
#include <unordered_map>

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
  auto is_site = [&](std::uint32_t concept_index) {
    return concept_index != kNone && m.concept_at(concept_index).kind() == ConceptKind::body_structure;
  };

  // The concept named right before each token, if any: a mention or site ending there (a site
  // from its laterality word on: "left coronary artery (LCA)").
  struct NamedBefore {
    std::uint32_t concept_index = kNone;
    std::uint32_t token_begin = 0;
  };
  thread_local std::vector<NamedBefore> named_before;
  named_before.assign(tokens.size() + 1, NamedBefore{});
  for (const Mention& mention : a.mentions) named_before[mention.token_end] = {mention.concept_index, mention.token_begin};
  for (const SiteMention& site : a.sites) {
    std::uint32_t begin = site.token_begin;
    while (begin > 0 && tokens[begin - 1].span.begin >= site.span.begin) --begin;
    named_before[site.token_end] = {site.concept_index, begin};
  }

  // Definitions, in text order: "<long form> (<SHORT>)" within a sentence.
  std::vector<Definition> definitions;
  for (const Sentence& sentence : a.sentences) {
    for (std::uint32_t open = sentence.token_begin + 1; open + 2 < sentence.token_end; ++open) {
      if (!punct_at(open, '(') || !punct_at(open + 2, ')') || !tokens[open + 1].is(kWord)) continue;
      const std::string_view short_form = text_of(open + 1);
      if (!looks_short(short_form)) continue;
      auto spelled_from = [&](std::uint32_t begin) {
        return spells(short_form, std::string_view(doc.text).substr(tokens[begin].span.begin,
                                                                     tokens[open - 1].span.end - tokens[begin].span.begin));
      };
      // The long form: the concept named right before the bracket, else up to eight words before
      // it (the report defines letters the vocabulary has no concept for).
      const NamedBefore named = named_before[open];
      if (named.concept_index != kNone && named.token_begin >= sentence.token_begin && spelled_from(named.token_begin)) {
        definitions.push_back(Definition{std::string(short_form), open + 1, named.concept_index});
        continue;
      }
      const std::uint32_t window = open > sentence.token_begin + 8 ? open - 8 : sentence.token_begin;
      if (spelled_from(window)) definitions.push_back(Definition{std::string(short_form), open + 1, kNone});
    }
  }
  if (definitions.empty()) return;

  // Every later use of a short form, as a word of its own, read by the latest definition before
  // it. Most words start with a letter no short form starts with: those are passed over at once.
  bool first_letters[256] = {};
  for (const Definition& d : definitions) first_letters[static_cast<unsigned char>(d.short_form.front())] = true;
  thread_local std::vector<std::uint32_t> sentence_of, mention_at;
  thread_local std::vector<bool> covered, dropped;
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
  dropped.assign(a.mentions.size(), false);   // mentions the vocabulary read into letters a report defined otherwise
  bool any_dropped = false;
  std::unordered_map<std::string_view, const Definition*> in_force;   // short form -> latest definition
  std::size_t next_definition = 0;
  std::vector<Mention> added;
  std::vector<SiteMention> added_sites;
  for (std::uint32_t t = 0; t < tokens.size(); ++t) {
    for (; next_definition < definitions.size() && definitions[next_definition].after <= t; ++next_definition)
      in_force[definitions[next_definition].short_form] = &definitions[next_definition];
    if (!tokens[t].is(kWord) || !first_letters[static_cast<unsigned char>(doc.text[tokens[t].span.begin])] ||
        sentence_of[t] == kNone)
      continue;
    const auto found = in_force.find(text_of(t));
    if (found == in_force.end()) continue;
    const Definition& d = *found->second;
    if (mention_at[t] != kNone) {   // the vocabulary's own reading of the letters gives way
      if (d.concept_index == kNone || is_site(d.concept_index)) {
        dropped[mention_at[t]] = true;
        any_dropped = true;
      } else {
        a.mentions[mention_at[t]].concept_index = d.concept_index;
      }
      if (!is_site(d.concept_index)) continue;
    } else if (covered[t] || d.concept_index == kNone) {
      continue;
    }
    if (is_site(d.concept_index)) {
      SiteMention site;
      site.token_begin = t;
      site.token_end = t + 1;
      site.span = tokens[t].span;
      site.concept_index = d.concept_index;
      site.sentence = sentence_of[t];
      added_sites.push_back(site);
      continue;
    }
    if (names_a_gene(doc, a, m, t + 1, a.sentences[sentence_of[t]].token_end)) continue;   // "the DMD gene"
    Mention mention;
    mention.token_begin = t;
    mention.token_end = t + 1;
    mention.span = tokens[t].span;
    mention.concept_index = d.concept_index;
    mention.sentence = sentence_of[t];
    added.push_back(std::move(mention));
  }

  if (any_dropped) {
    std::size_t kept = 0;
    for (std::size_t j = 0; j < a.mentions.size(); ++j)
      if (!dropped[j]) a.mentions[kept++] = std::move(a.mentions[j]);
    a.mentions.resize(kept);
  }
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
