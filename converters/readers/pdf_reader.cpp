// readers/pdf_reader.cpp — PDF case reports (the article a clinician downloaded) → the text of the
// report, then the text pipeline.
//
// poppler (its C++ interface) gives the words of each page with their boxes; the layout is read
// here rather than left to poppler's reading order, which interleaves the columns of a journal page:
//   - a page whose middle has a vertical gutter that almost no word crosses is two columns: the
//     lines above them (a title) come first, then the left column, then the right, then what spans
//     the page below them;
//   - a running head or foot (the same line, digits aside, at the top or bottom of two or more
//     pages) and a bare page number ("3", "- 3 -", "Page 3 of 8") are dropped;
//   - a line that ends in a hyphen before a word in lower case is joined to it ("infec-" "tion");
//   - a vertical gap wider than the line spacing parts paragraphs, so a figure or table caption
//     ("Figure 2: …") stays a paragraph of its own, which the pipeline reads as a caption.
// The DocumentReference holds that text (offsets count its code points) and the PDF as received.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include "casefhir/errors.h"
#include "readers/reader.h"

namespace casefhir::readers {

namespace {

struct Word {
  std::string text;
  double x0, y0, x1, y1;
};

// A run of words on one baseline, inside one column.
struct Line {
  std::vector<Word> words;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double base = 0;  // the median of its words' bottoms: where a larger or a symbol glyph does not move it
  int column = 0;   // 0 spans the page (or the page has one column), 1 left, 2 right
  std::string text() const {
    std::string t;
    for (const Word& w : words) t += (t.empty() ? "" : " ") + w.text;
    return t;
  }
};

// poppler's own diagnostics about a damaged file are not the user's business: the reader says
// what went wrong in one line.
void quiet(const std::string&, void*) {}

std::string utf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// The x of a gutter between two columns, or a negative number for one column: in the middle
// third, the widest run of x that at most one word in fifty crosses, at least 6 points wide, with
// words on both sides (a page's two columns need not be of one length).
double gutter_of(const std::vector<Word>& words, double page_width) {
  if (words.size() < 40 || page_width <= 0) return -1;
  const int from = static_cast<int>(page_width / 3), to = static_cast<int>(page_width * 2 / 3);
  std::vector<int> crossing(static_cast<std::size_t>(to - from + 1), 0);
  for (const Word& w : words)
    for (int x = std::max(from, static_cast<int>(w.x0)); x <= std::min(to, static_cast<int>(w.x1)); ++x) ++crossing[static_cast<std::size_t>(x - from)];
  const int allowed = static_cast<int>(words.size() / 50);
  int best_start = -1, best_len = 0;
  for (int x = from, start = -1; x <= to + 1; ++x) {
    const bool clear = x <= to && crossing[static_cast<std::size_t>(x - from)] <= allowed;
    if (clear && start < 0) start = x;
    if (!clear && start >= 0) {
      if (x - start > best_len) {
        best_len = x - start;
        best_start = start;
      }
      start = -1;
    }
  }
  if (best_len < 6) return -1;
  const double gutter = best_start + best_len / 2.0;
  const auto left = std::count_if(words.begin(), words.end(), [&](const Word& w) { return w.x1 < gutter; });
  const auto right = std::count_if(words.begin(), words.end(), [&](const Word& w) { return w.x0 > gutter; });
  // The last page's right column may hold a few lines only.
  const long least = std::max(10L, static_cast<long>(words.size() / 20));
  if (left < least || right < least) return -1;
  return gutter;
}

// Words → lines in reading order for one page.
std::vector<Line> lines_of(std::vector<Word> words, double page_width) {
  const double gutter = gutter_of(words, page_width);
  std::sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
    const double ya = (a.y0 + a.y1) / 2, yb = (b.y0 + b.y1) / 2;
    if (std::fabs(ya - yb) > std::min(a.y1 - a.y0, b.y1 - b.y0) / 2) return ya < yb;
    return a.x0 < b.x0;
  });
  std::vector<Line> lines;
  for (const Word& w : words) {
    const double height = std::max(1.0, w.y1 - w.y0);
    Line* line = lines.empty() ? nullptr : &lines.back();
    const bool same_row = line && std::fabs((w.y0 + w.y1) / 2 - (line->y0 + line->y1) / 2) < height / 2;
    // A gap as wide as a gutter, or a word on the other side of it, starts another line.
    const bool across = line && (w.x0 - line->x1 > 2.5 * height || (gutter > 0 && line->x1 < gutter && w.x0 > gutter));
    if (!same_row || across) {
      lines.push_back(Line{});
      line = &lines.back();
      line->x0 = w.x0;
      line->y0 = w.y0;
      line->y1 = w.y1;
    }
    line->words.push_back(w);
    line->x1 = w.x1;
    line->y0 = std::min(line->y0, w.y0);
    line->y1 = std::max(line->y1, w.y1);
  }
  for (Line& l : lines) {
    std::vector<double> bottoms;
    for (const Word& w : l.words) bottoms.push_back(w.y1);
    std::nth_element(bottoms.begin(), bottoms.begin() + static_cast<long>(bottoms.size() / 2), bottoms.end());
    l.base = bottoms[bottoms.size() / 2];
  }
  if (gutter < 0) return lines;
  for (Line& l : lines) l.column = l.x1 < gutter ? 1 : l.x0 > gutter ? 2 : 0;
  // Above the columns: what spans the page before the first column line; then each column; then
  // the rest of what spans the page.
  double columns_top = 1e9;
  for (const Line& l : lines)
    if (l.column != 0) columns_top = std::min(columns_top, l.y0);
  std::vector<Line> ordered;
  for (const Line& l : lines)
    if (l.column == 0 && l.y1 <= columns_top) ordered.push_back(l);
  for (const int c : {1, 2})
    for (const Line& l : lines)
      if (l.column == c) ordered.push_back(l);
  for (const Line& l : lines)
    if (l.column == 0 && l.y1 > columns_top) ordered.push_back(l);
  return ordered;
}

// A line's text with its digits made one, for telling running heads and feet across pages.
std::string furniture_key(const std::string& text) {
  std::string key;
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (key.empty() || key.back() != '#') key += '#';
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return key;
}

bool is_page_number(const std::string& text) {
  const std::string key = furniture_key(text);
  return key == "#" || key == "-#-" || key == "–#–" || key == "page#" || key == "page#of#" || key == "#/#";
}

bool starts_lower(const std::string& s) { return !s.empty() && std::islower(static_cast<unsigned char>(s.front())); }

struct PageLines {
  std::vector<Line> lines;
};

std::string layout_text(std::vector<PageLines>& pages) {
  // Running heads and feet: the first two and last two lines of each page, seen on two or more pages.
  std::map<std::string, int> seen;
  for (const PageLines& p : pages) {
    std::vector<std::string> keys;
    const std::size_t n = p.lines.size();
    for (std::size_t i = 0; i < n; ++i)
      if (i < 2 || i + 2 >= n) keys.push_back(furniture_key(p.lines[i].text()));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto& k : keys) ++seen[k];
  }
  std::vector<const Line*> kept;
  std::vector<double> gaps;
  for (const PageLines& p : pages) {
    const std::size_t n = p.lines.size();
    for (std::size_t i = 0; i < n; ++i) {
      const Line& l = p.lines[i];
      const bool edge = i < 2 || i + 2 >= n;
      if (edge && (is_page_number(l.text()) || (seen[furniture_key(l.text())] >= 2 && pages.size() >= 2))) continue;
      if (!kept.empty() && kept.back()->column == l.column && l.base > kept.back()->base) gaps.push_back(l.base - kept.back()->base);
      kept.push_back(&l);
    }
  }
  // The line spacing of the body: the commonest gap between consecutive lines of one column.
  double spacing = 12;
  if (!gaps.empty()) {
    std::sort(gaps.begin(), gaps.end());
    spacing = gaps[gaps.size() / 2];
  }
  std::string text;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const std::string line = kept[i]->text();
    if (i > 0) {
      const Line& prev = *kept[i - 1];
      const bool below = prev.column == kept[i]->column && kept[i]->base > prev.base;
      const bool flows = below && kept[i]->base - prev.base <= spacing * 1.15;
      // Across a column or a page the paragraph goes on when the next line starts in lower case.
      const bool continues = flows || (!below && starts_lower(line));
      const bool hyphen = text.size() >= 2 && text.back() == '-' && std::isalpha(static_cast<unsigned char>(text[text.size() - 2])) &&
                          starts_lower(line);
      if (continues && hyphen) text.pop_back();
      else text += continues ? "\n" : "\n\n";
    }
    text += line;
  }
  text += '\n';
  return text;
}

}  // namespace

bool is_pdf(std::string_view bytes) { return bytes.substr(0, 5) == "%PDF-"; }

std::vector<Reading> read_pdf(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings) {
  check_input_size(bytes, name, options.limits);
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(quiet, nullptr); });
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
    throw Error(ErrorKind::input_too_large, Location{name, 0, 0, {}}, "a PDF over 2 GiB is not supported");
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) throw Error(ErrorKind::input_malformed, Location{name, 0, 0, {}}, "not a readable PDF (damaged or truncated)");
  if (doc->is_locked())
    throw Error(ErrorKind::input_malformed, Location{name, 0, 0, {}}, "the PDF is encrypted with a password: casefhir cannot read it");
  std::vector<PageLines> pages;
  std::size_t letters = 0;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    std::vector<Word> words;
    for (const poppler::text_box& box : page->text_list()) {
      std::string t = utf8(box.text());
      if (t.empty()) continue;
      // A caret set as the modifier letter circumflex (U+02C6), as typesetters do: "10ˆ9/L" is 10^9/L.
      for (std::size_t p = 0; (p = t.find("\xCB\x86", p)) != std::string::npos;) t.replace(p, 2, "^");
      letters += static_cast<std::size_t>(std::count_if(t.begin(), t.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80); }));
      const poppler::rectf r = box.bbox();
      words.push_back(Word{std::move(t), r.left(), r.top(), r.right(), r.bottom()});
    }
    pages.push_back(PageLines{lines_of(std::move(words), page->page_rect().width())});
  }
  if (letters == 0)
    throw Error(ErrorKind::input_empty, Location{name, 0, 0, {}},
                "the PDF has no text layer (a scanned document?): it needs OCR before casefhir can read it");
  const std::string text = layout_text(pages);
  std::vector<Reading> out(1);
  Reading& r = out.front();
  r.document = read_text(text, name, options.limits);
  r.document.original.assign(bytes.data(), bytes.size());
  r.document.original_media_type = "application/pdf";
  r.facts = extract_facts(r.document, mappings);
  return out;
}

}  // namespace casefhir::readers
