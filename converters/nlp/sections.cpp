// nlp/sections.cpp — find_sections: headings (from the `sections` mappings), the title, and
// paragraph-long sections such as figure captions; and the heading rule it shares with readers
// of markup (sections.h).
#include "nlp/sections.h"

#include <algorithm>

#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

struct SectionStart {
  std::uint32_t heading_begin;   // token index of the heading (== body_begin when none)
  std::uint32_t body_begin;      // token index where the body starts
  std::string role;
  std::uint32_t paragraph_end = kNone;   // for paragraph-long sections: token index where it ends
};

bool is_punct(const Token& t, char c) { return t.is(kPunct) && t.punct == c; }
bool ends_sentence(const Token& t) { return is_punct(t, '.') || is_punct(t, '!') || is_punct(t, '?'); }

// "1.", "2)", "2.1.3", "IV.", "I.", "ii)" numbering in front of a heading: numbers joined by dots, or
// a roman numeral in either case before '.' or ')'. (JATS titles come numbered in all these ways.)
std::uint32_t skip_numbering(std::span<const Token> tokens, std::string_view text, std::uint32_t i, std::uint32_t end) {
  if (i < end && tokens[i].is(kNumber)) {
    ++i;
    while (i + 1 < end && is_punct(tokens[i], '.') && tokens[i + 1].is(kNumber)) i += 2;
  } else if (i < end && tokens[i].is(kWord) && tokens[i].span.size() <= 4) {
    const auto word = text.substr(tokens[i].span.begin, tokens[i].span.size());
    if (word.find_first_not_of("IVXLCivxlc") != std::string_view::npos) return i;
    if (i + 1 < end && (is_punct(tokens[i + 1], '.') || is_punct(tokens[i + 1], ')'))) return i + 2;
    return i;
  } else {
    return i;
  }
  if (i < end && (is_punct(tokens[i], '.') || is_punct(tokens[i], ')'))) ++i;
  return i;
}

int count_words(const std::vector<Token>& tokens, std::uint32_t b, std::uint32_t e) {
  int n = 0;
  for (std::uint32_t i = b; i < e; ++i) n += tokens[i].is(kWord) ? 1 : 0;
  return n;
}

}  // namespace

const SectionRule* opening_heading(std::span<const Token> tokens, std::string_view text, std::uint32_t begin, std::uint32_t end,
                                   const CompiledMappings& m, PhraseIndex::Match& match) {
  if (!m.heading_terms.longest(tokens, skip_numbering(tokens, text, begin, end), end, match)) return nullptr;
  return &m.set.sections[m.heading_terms.payloads(match).back()];
}

std::string role_of_heading(std::string_view heading, const CompiledMappings& m) {
  std::vector<Token> tokens;
  tokenize(heading, Span{0, static_cast<std::uint32_t>(heading.size())}, tokens);
  m.look_up(heading, tokens);
  PhraseIndex::Match match;
  const SectionRule* rule = opening_heading(tokens, heading, 0, static_cast<std::uint32_t>(tokens.size()), m, match);
  return rule ? rule->id : std::string();
}

void find_sections(SourceDocument& doc, Annotations& a, const CompiledMappings& m, const std::string* continued_section) {
  const auto& tokens = a.tokens;
  const auto n = static_cast<std::uint32_t>(tokens.size());
  a.paragraph_starts.clear();
  std::vector<std::uint32_t> lines;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (tokens[i].is(kLineStart)) lines.push_back(i);
    if (tokens[i].is(kParagraphStart)) a.paragraph_starts.push_back(i);
  }
  // Sections a reader took from the markup are kept when they are in order, inside the text and do
  // not overlap; otherwise they are found from the headings as for plain text.
  if (doc.sections_from_reader) {
    bool usable = !doc.sections.empty();
    std::uint32_t previous_end = 0;
    for (const Section& s : doc.sections) {
      usable = usable && s.body.begin >= previous_end && s.body.begin <= s.body.end && s.body.end <= doc.text.size();
      previous_end = s.body.end;
    }
    if (usable) return;
  }
  doc.sections.clear();
  auto paragraph_end = [&](std::uint32_t token) {
    const auto it = std::upper_bound(a.paragraph_starts.begin(), a.paragraph_starts.end(), token);
    return it == a.paragraph_starts.end() ? n : *it;
  };

  std::vector<SectionStart> starts;
  starts.push_back({0, 0, continued_section ? *continued_section : ""});
  // The title: a first paragraph of one or two short lines that does not end like a sentence.
  if (n > 0 && !continued_section) {
    const std::uint32_t end = paragraph_end(0);
    const int words = count_words(tokens, 0, end);
    const bool sentence_end = tokens[end - 1].is(kPunct) && (tokens[end - 1].punct == '.' || tokens[end - 1].punct == ':');
    const auto line_count = std::count_if(lines.begin(), lines.end(), [&](std::uint32_t l) { return l < end; });
    nlp::PhraseIndex::Match match;
    const bool heading = opening_heading(tokens, doc.text, 0, end, m, match) != nullptr;
    if (words > 0 && words <= 30 && line_count <= 2 && !sentence_end && !heading && end < n && m.set.sections.size() > 0 &&
        std::any_of(m.set.sections.begin(), m.set.sections.end(), [](const SectionRule& r) { return r.id == "title"; })) {
      starts.back() = {0, 0, "title", end};
    }
  }

  for (std::size_t li = 0; li < lines.size(); ++li) {
    const std::uint32_t line = lines[li];
    const std::uint32_t line_end = li + 1 < lines.size() ? lines[li + 1] : n;
    if (!starts.empty() && starts.back().paragraph_end != kNone && line < starts.back().paragraph_end) continue;
    nlp::PhraseIndex::Match match;
    const SectionRule* const heading_rule = opening_heading(tokens, doc.text, line, line_end, m, match);
    if (!heading_rule) continue;
    const SectionRule& rule = *heading_rule;
    std::uint32_t after = match.end;
    // "Case 2", "Figure 1", "Table 3a": a number after the heading word.
    if (after < line_end && tokens[after].is(kNumber)) ++after;
    if (rule.paragraph && after < line_end && tokens[after].is(kWord) && tokens[after].span.size() == 1) ++after;
    const bool rest_empty = after == line_end ||
                            (after + 1 == line_end && tokens[after].is(kPunct) &&
                             (tokens[after].punct == ':' || tokens[after].punct == '.' || tokens[after].punct == '-'));
    const bool inline_colon = after < line_end && tokens[after].is(kPunct) &&
                              (tokens[after].punct == ':' || (rule.paragraph && (tokens[after].punct == '.' || tokens[after].punct == '|')));
    bool is_heading = false;
    bool inline_heading = false;   // "Family history: mother with diabetes." — the paragraph is the section
    std::uint32_t body = after;
    if (rest_empty && count_words(tokens, line, line_end) <= 10) {
      // A heading alone on its line; a paragraph-long section needs its number ("Figure 1").
      is_heading = !rule.paragraph || after > match.end;
      body = line_end;
    } else if (inline_colon) {
      is_heading = true;
      inline_heading = true;
      body = after + 1;
    }
    if (!is_heading) continue;
    SectionStart s{line, body, rule.id};
    const bool ends_with_paragraph = rule.paragraph || inline_heading;
    if (ends_with_paragraph) s.paragraph_end = paragraph_end(line);
    // A text without blank lines writes a sentence per line, and a line is its paragraph: an
    // inline "Conclusions: there was a dissection." labels its own sentence, not the rest of the
    // report. It ends with the first line that ends a sentence.
    if (inline_heading && a.paragraph_starts.size() == 1) {
      for (std::size_t lj = li; lj < lines.size(); ++lj) {
        const std::uint32_t end = lj + 1 < lines.size() ? lines[lj + 1] : n;
        if (end >= s.paragraph_end) break;
        if (ends_sentence(tokens[end - 1])) {
          s.paragraph_end = end;
          break;
        }
      }
    }
    starts.push_back(s);
    if (ends_with_paragraph) {
      // After a caption or an inline heading's paragraph, the text resumes in the section it interrupted.
      std::string resumed;
      for (auto it = starts.rbegin() + 1; it != starts.rend(); ++it)
        if (it->paragraph_end == kNone) { resumed = it->role; break; }
      starts.push_back({s.paragraph_end, s.paragraph_end, resumed});
    }
  }
  // The title's paragraph ends the title section.
  if (starts.front().role == "title" && starts.front().paragraph_end != kNone) {
    const std::uint32_t end = starts.front().paragraph_end;
    if (starts.size() == 1 || starts[1].heading_begin > end) starts.insert(starts.begin() + 1, {end, end, ""});
  }

  // Drop empty starts (a caption at the very end, two headings in a row keep the later one).
  std::vector<SectionStart> kept;
  for (const auto& s : starts) {
    if (!kept.empty() && kept.back().heading_begin == s.heading_begin) kept.back() = s;
    else kept.push_back(s);
  }
  const auto byte_of = [&](std::uint32_t token) {
    return token < n ? tokens[token].span.begin : static_cast<std::uint32_t>(doc.text.size());
  };
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const std::uint32_t next = i + 1 < kept.size() ? kept[i + 1].heading_begin : n;
    Section section;
    section.role = kept[i].role;
    if (kept[i].body_begin > kept[i].heading_begin) {
      std::uint32_t heading_end = std::min(kept[i].body_begin, next);
      while (heading_end > kept[i].heading_begin && tokens[heading_end - 1].is(kPunct)) --heading_end;
      section.heading_span = Span{byte_of(kept[i].heading_begin), tokens[std::max(heading_end, kept[i].heading_begin + 1) - 1].span.end};
      section.heading = std::string(doc.view(section.heading_span));
    }
    const std::uint32_t body_begin = std::min(kept[i].body_begin, next);
    section.body = Span{byte_of(body_begin), byte_of(next)};
    if (i + 1 == kept.size()) section.body.end = static_cast<std::uint32_t>(doc.text.size());
    if (section.body.begin > section.body.end) section.body.begin = section.body.end;
    doc.sections.push_back(std::move(section));
  }
}

}  // namespace casefhir::nlp
