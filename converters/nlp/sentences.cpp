// nlp/sentences.cpp — split_sentences: sentence boundaries inside each section and paragraph.
#include <algorithm>
#include <array>
#include <string_view>

#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

// Words that take a period without ending a sentence (compared lower-case).
bool is_abbreviation(std::string_view w) {
  static constexpr std::array<std::string_view, 44> kAbbreviations = {
      "dr", "mr", "mrs", "ms", "prof", "vs", "etc", "fig", "figs", "no", "nos", "approx", "st", "al", "cf",
      "inc", "ltd", "jr", "sr", "dept", "univ", "vol", "pp", "ed", "eds", "resp", "ref", "refs", "max", "min",
      "sp", "spp", "var", "ca", "cap", "tab", "tabs", "vs", "viz", "eg", "ie", "nb", "hr", "wk"};
  if (w.size() > 6) return false;
  std::array<char, 8> lower{};
  for (std::size_t i = 0; i < w.size(); ++i) lower[i] = static_cast<char>(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
  const std::string_view l(lower.data(), w.size());
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), l) != kAbbreviations.end();
}

bool starts_item(const Token& t, const Token* next) {
  if (t.is(kPunct) && (t.punct == '-' || t.punct == '*')) return true;
  return t.is(kNumber) && next && next->is(kPunct) && (next->punct == '.' || next->punct == ')') &&
         next->span.begin == t.span.end;
}

}  // namespace

void split_sentences(const SourceDocument& doc, Annotations& a) {
  a.sentences.clear();
  const auto& tokens = a.tokens;
  const auto n = static_cast<std::uint32_t>(tokens.size());
  std::uint32_t t = 0;
  for (std::uint32_t s = 0; s < doc.sections.size(); ++s) {
    const Span body = doc.sections[s].body;
    while (t < n && tokens[t].span.begin < body.begin) ++t;
    std::uint32_t begin = t;
    auto close = [&](std::uint32_t end) {
      if (end > begin) {
        Sentence sentence;
        sentence.token_begin = begin;
        sentence.token_end = end;
        sentence.span = Span{tokens[begin].span.begin, tokens[end - 1].span.end};
        sentence.section = s;
        sentence.paragraph = static_cast<std::uint32_t>(
            std::upper_bound(a.paragraph_starts.begin(), a.paragraph_starts.end(), begin) - a.paragraph_starts.begin());
        a.sentences.push_back(sentence);
      }
      begin = end;
    };
    for (; t < n && tokens[t].span.end <= body.end; ++t) {
      const Token& tok = tokens[t];
      if (t > begin) {
        const Token& prev = tokens[t - 1];
        const bool new_paragraph = tok.is(kParagraphStart);
        const bool new_item = tok.is(kLineStart) && (starts_item(tok, t + 1 < n ? &tokens[t + 1] : nullptr) ||
                                                     (prev.is(kPunct) && prev.punct == ':'));
        if (new_paragraph || new_item || t - begin >= kMaxSentenceTokens) close(t);
      }
      if (!tok.is(kPunct)) continue;
      const char c = tok.punct;
      if (c != '.' && c != '?' && c != '!') continue;
      // Closing brackets and quotes after the stop belong to this sentence.
      std::uint32_t end = t + 1;
      while (end < n && tokens[end].is(kPunct) && tokens[end].span.begin == tokens[end - 1].span.end &&
             (tokens[end].punct == ')' || tokens[end].punct == ']' || tokens[end].punct == '"' || tokens[end].punct == '\''))
        ++end;
      if (end >= n || tokens[end].span.end > body.end) { t = end - 1; continue; }
      const Token& next = tokens[end];
      if (c == '.' && t > begin) {
        const Token& prev = tokens[t - 1];
        const std::string_view word = doc.view(prev.span);
        if (prev.is(kWord) && prev.span.end == tok.span.begin) {
          // "No." is an abbreviation only before a number ("No. 5"); "Fever: no." ends a sentence.
          const bool number_follows = t + 1 < n && tokens[t + 1].is(kNumber);
          if (is_abbreviation(word) && (number_follows || (word != "no" && word != "No" && word != "NO"))) continue;
          // "p.o.", "i.v.": a lone lower-case letter — but not a unit after a number ("finger
          // counting at 0.5 m." ends its sentence).
          if (word.size() == 1 && word[0] >= 'a' && word[0] <= 'z' && !(t >= begin + 2 && tokens[t - 2].is(kNumber))) continue;
        }
      }
      const bool next_starts = next.is(kCapitalized) || next.is(kNumber) || next.is(kLineStart) ||
                               (next.is(kPunct) && (next.punct == '(' || next.punct == '[' || next.punct == '"'));
      if (c == '.' && !next_starts) continue;
      t = end - 1;
      close(end);
    }
    close(t);
  }
}

}  // namespace casefhir::nlp
