// readers/jats_reader.cpp — JATS XML journal articles (PubMed Central, publishers) → one Reading
// per article: the article laid out as the text of a case report, its sections with the roles the
// markup gives them, and lab results from its tables.
//
// The text the pipeline reads, and the DocumentReference holds as its first attachment, is the
// title, the abstract and the body in document order: each section's title on a line of its own,
// each paragraph a paragraph. Inline markup is read as the text means it: a superscript after a
// digit is a power ("10<sup>9</sup>/L" reads "10^9/L"), a citation (<xref ref-type="bibr">) reads
// "[12]", which the pipeline counts as a general-statement cue, and emphasis is just its words.
// Figure and table captions, references, acknowledgements and notes are laid out too, under roles
// whose sentences are not converted. A table whose columns are analyte / value(s) / unit /
// reference range gives lab facts, each pointing at its value cell by XPath into the article's
// XML, which the DocumentReference holds as its second attachment.
//
// An article whose article-type says it is not a case report (a research article, a review, an
// editorial) gives no Bundle: Reading::not_converted says why.
#include <algorithm>
#include <cctype>
#include <cstring>

#include <libxml/tree.h>

#include "casefhir/errors.h"
#include "readers/reader.h"
#include "readers/utf8.h"
#include "readers/xml.h"
#include "nlp/sections.h"
#include "nlp/tokens.h"

namespace casefhir::readers {

namespace {

bool is_article_root(std::string_view name) { return name == "article" || name == "articles" || name == "pmc-articleset"; }

bool has_letter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80); });
}
bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// ---- what kind of article ----

// Article types of JATS (and PMC's usage) that are not the report of a case.
bool is_case_report_type(std::string_view type) { return type == "case-report" || type == "case-reports"; }

// A section role from the markup: the sec-type first, else the title by the heading rule of plain
// text (nlp/sections.h: "2. Case presentation" → case-presentation). "" when neither says.
std::string role_of(const xmlNode* sec, const Mappings& mappings) {
  const std::string type = nlp::ascii_lower(attribute(sec, "sec-type"));
  if (type == "intro" || type == "introduction" || type == "background") return "introduction";
  if (type == "cases" || type == "case" || type == "case-report" || type == "case-presentation" || type == "case description")
    return "case-presentation";
  if (type == "discussion") return "discussion";
  if (type == "conclusions" || type == "conclusion") return "conclusion";
  if (type == "supplementary-material" || type == "display-objects") return "figure-caption";
  if (type == "coi-statement" || type == "funding" || type == "acknowledgment" || type == "acknowledgement" ||
      type == "author-contributions" || type == "ethics-statement" || type == "data-availability")
    return "back-matter";
  return nlp::role_of_heading(text_of(first_child(sec, "title")), mappings.compiled());
}

// ---- the article as text ----

struct LabCell {
  std::string analyte, value, unit, range, when;   // `when`: the value column's header, for series over dates
  std::string value_path, analyte_path;
};

class ArticleText {
 public:
  ArticleText(const Mappings& mappings, const xmlNode* article) : mappings_(mappings), article_(article) {}

  SourceDocument document;
  std::vector<LabCell> lab_cells;
  std::size_t tables_read = 0, tables_set_aside = 0;
  bool case_section = false;   // a section the markup or its title names as the case

  void read() {
    const xmlNode* meta = first_child(first_child(article_, "front"), "article-meta");
    const std::string title = text_of(first_child(first_child(meta, "title-group"), "article-title"));
    document.title = title;
    if (!title.empty()) {
      start_section("title", "", false);
      append(title);
      end_paragraph();
    }
    for (const xmlNode* abstract : element_children(meta, "abstract")) {
      const std::string type = attribute(abstract, "abstract-type");
      if (type == "teaser" || type == "graphical" || type == "toc") continue;
      heading("Abstract", "abstract");
      blocks(abstract, "abstract", true);
    }
    // Body text under no heading of a known role is read as a case report's text is.
    if (const xmlNode* body = first_child(article_, "body")) blocks(body, "");
    if (const xmlNode* back = first_child(article_, "back")) blocks(back, "back-matter");
    close_section();
  }

 private:
  const Mappings& mappings_;
  const xmlNode* article_;
  std::string role_;
  bool open_ = false;

  void append(std::string_view s) { document.text.append(s); }

  void end_paragraph() {
    while (!document.text.empty() && document.text.back() == ' ') document.text.pop_back();
    if (!document.text.empty() && document.text.back() != '\n') document.text += "\n\n";
    else if (document.text.size() >= 1 && document.text.compare(document.text.size() - 1, 1, "\n") == 0 &&
             (document.text.size() < 2 || document.text[document.text.size() - 2] != '\n'))
      document.text += '\n';
  }

  void close_section() {
    if (!open_) return;
    document.sections.back().body.end = static_cast<std::uint32_t>(document.text.size());
    open_ = false;
  }

  // A new stretch of text with this role, headed by `heading` on a line of its own when given.
  void start_section(const std::string& role, const std::string& heading_text, bool with_heading) {
    close_section();
    Section s;
    s.role = role;
    s.heading = heading_text;
    const auto at = static_cast<std::uint32_t>(document.text.size());
    if (with_heading && !heading_text.empty()) {
      append(heading_text);
      s.heading_span = Span{at, static_cast<std::uint32_t>(document.text.size())};
      append("\n");
    } else {
      s.heading_span = Span{at, at};
    }
    s.body = Span{static_cast<std::uint32_t>(document.text.size()), static_cast<std::uint32_t>(document.text.size())};
    document.sections.push_back(std::move(s));
    role_ = role;
    open_ = true;
  }

  void heading(const std::string& text, const std::string& role) { start_section(role, text, true); }

  // Text goes on under `role`: a new section only when the role changes.
  void continue_as(const std::string& role) {
    if (!open_ || role_ != role) start_section(role, "", false);
  }

  // The block-level children of a section, the abstract, the body or the back matter.
  // `keep_role`: the sections of a structured abstract stay the abstract's ("Case presentation"
  // there summarises the body's case, which is read there).
  void blocks(const xmlNode* parent, const std::string& role, bool keep_role = false) {
    for (const xmlNode* c : element_children(parent)) {
      const std::string_view name = local_name(c);
      if (name == "title" || name == "label" || name == "sec-meta" || name == "object-id") continue;
      if (name == "sec" || name == "app" || name == "ack" || name == "ref-list" || name == "fn-group" || name == "notes" ||
          name == "glossary" || name == "bio") {
        std::string own = name == "ref-list" ? "references" : name == "sec" || name == "app" ? role_of(c, mappings_) : "back-matter";
        if (keep_role) own.clear();
        if (own == "case-presentation") case_section = true;
        const std::string sub_role = own.empty() ? role : own;
        const std::string title = text_of(first_child(c, "title"));
        if (!title.empty()) heading(title, sub_role);
        else continue_as(sub_role);
        if (name == "ref-list") references(c);
        else blocks(c, sub_role, keep_role);
        continue_as(role);
        continue;
      }
      if (name == "fig" || name == "fig-group" || name == "supplementary-material" || name == "media" || name == "graphic") {
        caption(c);
        continue_as(role);
        continue;
      }
      if (name == "table-wrap" || name == "table-wrap-group") {
        for (const xmlNode* t : name == "table-wrap" ? std::vector<const xmlNode*>{c} : children_named(c, "table-wrap")) table(t);
        continue_as(role);
        continue;
      }
      if (name == "list") {
        continue_as(role);
        for (const xmlNode* item : element_children(c, "list-item")) blocks(item, role);
        continue;
      }
      if (name == "p") {
        continue_as(role);
        paragraph(c);
        continue;
      }
      if (name == "disp-quote" || name == "boxed-text" || name == "statement" || name == "list-item" || name == "def-list" ||
          name == "def-item" || name == "def" || name == "abstract" || name == "trans-abstract") {
        blocks(c, role);
        continue;
      }
      // Anything else with words (a disp-formula, a preformat, a speech): a paragraph of its own.
      continue_as(role);
      inline_text(c);
      end_paragraph();
    }
  }

  static std::vector<const xmlNode*> children_named(const xmlNode* n, std::string_view name) {
    std::vector<const xmlNode*> out;
    for (const xmlNode* c : element_children(n, name)) out.push_back(c);
    return out;
  }

  // A paragraph: its words inline; figures, tables and lists inside it come after it.
  void paragraph(const xmlNode* p) {
    std::vector<const xmlNode*> floats;
    inline_text(p, &floats);
    end_paragraph();
    if (floats.empty()) return;
    const std::string role = role_;
    for (const xmlNode* f : floats) {
      const std::string_view name = local_name(f);
      if (name == "table-wrap") table(f);
      else if (name == "list") {
        continue_as(role);
        for (const xmlNode* item : element_children(f, "list-item")) blocks(item, role);
      } else if (name == "boxed-text" || name == "disp-quote") {
        continue_as(role);
        blocks(f, role);
      } else caption(f);
    }
    continue_as(role);
  }

  void inline_text(const xmlNode* n, std::vector<const xmlNode*>* floats = nullptr) { inline_words(n, document.text, floats); }

  // The words of an element as the text means them, appended to `out`. Figures, tables, lists and
  // boxes inside it go to `floats` when given (they are laid out after the paragraph).
  static void inline_words(const xmlNode* n, std::string& out, std::vector<const xmlNode*>* floats = nullptr) {
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (!c->content) continue;
        const std::string_view t(reinterpret_cast<const char*>(c->content));
        for (const char ch : t) {
          const bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
          if (!space) out += ch;
          else if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
        }
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      const std::string_view name = local_name(c);
      if (name == "xref" && attribute(c, "ref-type") == "bibr") {
        citation(c, out);
      } else if (name == "sup" && only_citations(c)) {
        for (const xmlNode* x : element_children(c, "xref")) citation(x, out);
      } else if (name == "sup") {
        // A power after a digit ("10<sup>9</sup>", "10<sup>-3</sup>"); "3<sup>rd</sup>" and
        // "CD4<sup>+</sup>" are words as they stand.
        std::string inner;
        inline_words(c, inner);
        const char before = out.empty() ? ' ' : out.back();
        const char first = inner.empty() ? ' ' : inner.front();
        if (std::isdigit(static_cast<unsigned char>(before)) && (std::isdigit(static_cast<unsigned char>(first)) || first == '-'))
          out += '^';
        out += inner;
      } else if (floats && (name == "fig" || name == "table-wrap" || name == "list" || name == "boxed-text" ||
                            name == "supplementary-material" || name == "disp-quote")) {
        floats->push_back(c);
      } else if (name == "break") {
        out += ' ';
      } else if (name == "inline-graphic" || name == "graphic" || name == "fn") {
        continue;
      } else if (name == "alternatives") {   // the same thing twice (MathML and a TeX string): once
        for (const xmlNode* first : element_children(c)) {
          inline_words(first, out, floats);
          break;
        }
      } else {
        inline_words(c, out, floats);
      }
    }
  }

  // A superscript that holds citations and the punctuation between them ("<sup>1,3–5</sup>").
  static bool only_citations(const xmlNode* sup) {
    bool any = false;
    for (const xmlNode* c = sup->children; c; c = c->next) {
      if (c->type == XML_ELEMENT_NODE) {
        if (local_name(c) != "xref" || attribute(c, "ref-type") != "bibr") return false;
        any = true;
      } else if (c->type == XML_TEXT_NODE && c->content) {
        for (const xmlChar* p = c->content; *p; ++p)
          if (!std::strchr(" ,;-\n\t", *p) && *p < 0x80) return false;
      }
    }
    return any;
  }

  // A citation reads "[12]": the pipeline's cue that a sentence reports the literature.
  static void citation(const xmlNode* xref, std::string& t) {
    std::string label = text_of(xref);
    if (!has_digit(label)) {   // an empty or lettered xref: the number in its (first) rid ("B12")
      std::string rid = attribute(xref, "rid");
      rid = rid.substr(0, rid.find(' '));
      label.clear();
      for (const char ch : rid)
        if (std::isdigit(static_cast<unsigned char>(ch))) label += ch;
      if (label.empty()) label = "0";
    }
    // Already in brackets or parentheses the article wrote ("[<xref>1</xref>]"): the label alone.
    if (!t.empty() && (t.back() == '[' || t.back() == '(' || t.back() == ',' || t.back() == '-')) {
      t += label;
      return;
    }
    // Journals set the citation after the sentence's full stop ("in humans.<sup>1</sup>"): it goes
    // before the stop, so it cues the sentence it belongs to, not the next one ("et al." keeps its stop).
    std::size_t at = t.size();
    while (at > 0 && t[at - 1] == ' ') --at;
    std::size_t stop = at;
    while (stop > 0 && (t[stop - 1] == '.' || t[stop - 1] == ',' || t[stop - 1] == ';' || t[stop - 1] == ':')) --stop;
    if (stop >= 2 && t.compare(stop - 2, 2, "al") == 0 && at > stop && t[stop] == '.') stop = at;
    const std::string trailing = t.substr(stop, at - stop);
    t.resize(stop);
    if (!t.empty() && t.back() != ' ' && t.back() != '\n') t += ' ';
    t += "[" + label + "]" + trailing;
    if (!trailing.empty()) t += ' ';
  }

  // A figure's (or table's, or supplementary file's) label and caption: a paragraph under the
  // caption role, whose sentences are not converted.
  void caption(const xmlNode* f) {
    start_section("figure-caption", "", false);
    const std::string label = text_of(first_child(f, "label"));
    if (!label.empty()) append(label + (label.back() == '.' ? " " : ". "));
    if (const xmlNode* cap = first_child(f, "caption")) {
      for (const xmlNode* c : element_children(cap)) {
        inline_text(c);
        if (!document.text.empty() && document.text.back() != ' ') document.text += ' ';
      }
    }
    end_paragraph();
  }

  void references(const xmlNode* list) {
    for (const xmlNode* ref : element_children(list, "ref")) {
      const std::string label = text_of(first_child(ref, "label"));
      std::string words;
      for (const xmlNode* c : element_children(ref))
        if (local_name(c) != "label") words += (words.empty() ? "" : " ") + text_of(c);
      append((label.empty() ? "" : label + " ") + words);
      end_paragraph();
    }
  }

  // ---- tables ----

  struct Cell {
    std::string text;
    const xmlNode* node = nullptr;
  };

  // The table as a grid: a cell spanning columns or rows fills each place it covers.
  static std::vector<std::vector<Cell>> rows_of(const xmlNode* table) {
    std::vector<std::vector<Cell>> rows;
    std::vector<std::pair<int, Cell>> pending;   // per column: rows still covered by a rowspan above, and its cell
    auto span_of = [](const xmlNode* cell, const char* what) {
      const std::string v = attribute(cell, what);
      const int n = v.empty() ? 1 : std::atoi(v.c_str());
      return n < 1 || n > 50 ? 1 : n;
    };
    auto add_rows = [&](const xmlNode* parent) {
      for (const xmlNode* tr : element_children(parent, "tr")) {
        std::vector<Cell> row;
        auto fill_pending = [&] {
          while (row.size() < pending.size() && pending[row.size()].first > 0) {
            --pending[row.size()].first;
            row.push_back(pending[row.size()].second);
          }
        };
        fill_pending();
        for (const xmlNode* cell : element_children(tr)) {
          const std::string_view n = local_name(cell);
          if (n != "td" && n != "th") continue;
          std::string text;
          inline_words(cell, text);
          const Cell c{collapse_white_space(text), cell};
          const int down = span_of(cell, "rowspan") - 1;
          for (int k = 0; k < span_of(cell, "colspan"); ++k) {
            if (pending.size() <= row.size()) pending.resize(row.size() + 1, {0, Cell{}});
            pending[row.size()] = {down, c};
            row.push_back(c);
          }
          fill_pending();
        }
        rows.push_back(std::move(row));
      }
    };
    add_rows(table);
    for (const char* part : {"thead", "tbody", "tfoot"})
      for (const xmlNode* p : element_children(table, part)) add_rows(p);
    return rows;
  }

  void table(const xmlNode* wrap) {
    caption(wrap);
    const xmlNode* t = first_child(wrap, "table");
    if (!t) t = first_child(first_child(wrap, "alternatives"), "table");
    if (!t || !lab_table(wrap, t)) {
      ++tables_set_aside;
      // Its cells, row by row, under the caption role: kept in the text, not converted.
      if (t) {
        for (const auto& row : rows_of(t)) {
          std::string line;
          for (const Cell& c : row)
            if (!c.text.empty()) line += (line.empty() ? "" : " | ") + c.text;
          if (!line.empty()) {
            append(line);
            end_paragraph();
          }
        }
      }
    } else {
      ++tables_read;
    }
  }

  // Columns named by the header: analyte, unit, reference range; the rest are values (one column
  // "Result", or one per date or day). A table is read when its header names a unit or a
  // reference range column, or its values are results, and its rows hold numbers.
  bool lab_table(const xmlNode* wrap, const xmlNode* t) {
    const auto rows = rows_of(t);
    if (rows.size() < 2) return false;
    const auto& header = rows.front();
    if (header.size() < 2) return false;
    std::size_t analyte = 0;
    std::optional<std::size_t> unit, range;
    std::vector<std::size_t> values;
    bool result_header = false;
    for (std::size_t i = 0; i < header.size(); ++i) {
      const std::string h = nlp::ascii_lower(header[i].text);
      if (i > 0 && header[i].node == header[i - 1].node) continue;   // a spanned header counts once
      if (h.find("unit") != std::string::npos) unit = i;
      else if (h.find("reference") != std::string::npos || h.find("normal") != std::string::npos || h.find("range") != std::string::npos)
        range = i;
      else if (i == 0 && (h.empty() || !has_digit(h))) analyte = 0;
      else {
        values.push_back(i);
        if (h.find("result") != std::string::npos || h.find("value") != std::string::npos || h.find("patient") != std::string::npos ||
            h.find("admission") != std::string::npos)
          result_header = true;
      }
    }
    const std::string caption_words = nlp::ascii_lower(text_of(first_child(wrap, "caption")));
    const bool lab_caption = caption_words.find("laborator") != std::string::npos || caption_words.find("lab ") != std::string::npos ||
                             caption_words.find("blood") != std::string::npos || caption_words.find("investigation") != std::string::npos;
    if (values.empty() || !(unit || range || result_header || lab_caption)) return false;
    std::vector<LabCell> found;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      const auto& row = rows[r];
      if (row.size() <= analyte || !has_letter(row[analyte].text)) continue;
      for (const std::size_t v : values) {
        if (v >= row.size() || !has_digit(row[v].text) || row[v].node == row[analyte].node) continue;
        LabCell cell;
        cell.analyte = row[analyte].text;
        cell.value = row[v].text;
        if (unit && *unit < row.size()) cell.unit = row[*unit].text;
        if (range && *range < row.size()) cell.range = row[*range].text;
        if (values.size() > 1) cell.when = header[v].text;
        cell.value_path = article_path(row[v].node);
        cell.analyte_path = article_path(row[analyte].node);
        found.push_back(std::move(cell));
      }
    }
    if (found.size() < 2) return false;
    for (auto& c : found) lab_cells.push_back(std::move(c));
    return true;
  }

  // An XPath from the article element, as the DocumentReference's second attachment holds it.
  std::string article_path(const xmlNode* n) const {
    const std::string full = xpath_of(n), root = xpath_of(article_);
    return "/article" + full.substr(root.size());
  }
};

// Lab facts from table cells: each cell's row as a sentence of its own ("Hemoglobin 10.2 g/dL
// (reference range 13.5-17.5).") through the text pipeline, so analytes, units and codes are read
// as in prose; each result keeps the value cell's XPath (and the analyte cell's) as its source.
void table_facts(const std::vector<LabCell>& cells, const Mappings& mappings, CaseFacts& facts) {
  if (cells.empty()) return;
  SourceDocument d;
  d.name = "table";
  d.media_type = "text/plain";
  std::vector<std::uint32_t> starts;
  for (const LabCell& c : cells) {
    starts.push_back(static_cast<std::uint32_t>(d.text.size()));
    std::string value = c.value;
    if (!c.unit.empty()) value += " " + c.unit;
    d.text += (c.when.empty() ? "" : c.when + ": ") + c.analyte + " " + value;
    if (!c.range.empty()) d.text += " (reference range " + c.range + ")";
    d.text += ".\n\n";
  }
  d.code_points = CodePointIndex(d.text);
  CaseFacts found = extract_facts(d, mappings);
  std::vector<bool> read(cells.size(), false);
  for (Fact& f : found.facts) {
    if (f.code.kind != ConceptKind::lab || !f.result || f.sources.empty()) continue;
    const auto row = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), f.sources.front().span.begin) - starts.begin()) - 1;
    const LabCell& c = cells[row];
    read[row] = true;
    const SourceRef cell{{}, c.value_path};
    f.sources = {cell, SourceRef{{}, c.analyte_path}};
    f.identity = c.value_path + "/" + f.code.id;
    f.evidence.clear();
    f.part_of.reset();
    // Only results come from the table: a time counted from a procedure has no procedure here.
    if (f.relative_time && f.relative_time->anchor == RelativeTime::Anchor::procedure) f.relative_time.reset();
    for (BodySite& s : f.sites) s.source = cell;
    if (f.onset) f.onset->source = cell;
    if (f.date) f.date->source = cell;
    if (f.end) f.end->source = cell;
    if (f.relative_time) f.relative_time->source = cell;
    if (f.resolution) f.resolution->source = cell;
    facts.facts.push_back(std::move(f));
  }
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (!read[i]) facts.set_aside.push_back(SetAside{SourceRef{{}, cells[i].value_path}, "", "table cell not read as a lab result"});
}

Reading read_article(const xmlNode* article, const std::string& name, std::size_t ordinal, std::size_t count, const Mappings& mappings) {
  Reading r;
  const xmlNode* meta = first_child(first_child(article, "front"), "article-meta");
  r.document.name = name;
  r.document.media_type = "text/plain";
  r.document.kind = attribute(article, "article-type");
  std::string pmcid;
  for (const xmlNode* id : element_children(meta, "article-id")) {
    const std::string type = attribute(id, "pub-id-type"), value = text_of(id);
    if (value.empty()) continue;
    if (type == "doi") r.document.identifiers.push_back(Identifier{"https://doi.org", value});
    else if (type == "pmid") r.document.identifiers.push_back(Identifier{"https://pubmed.ncbi.nlm.nih.gov", value});
    else if (type == "pmcid" || type == "pmc") {
      pmcid = value.rfind("PMC", 0) == 0 ? value : "PMC" + value;
      r.document.identifiers.push_back(Identifier{"https://www.ncbi.nlm.nih.gov/pmc", pmcid});
    }
  }
  const std::string which = count > 1 ? "article " + std::to_string(ordinal + 1) + " of " + std::to_string(count) + (pmcid.empty() ? "" : " (" + pmcid + ")")
                                       : (pmcid.empty() ? "the article" : pmcid);
  ArticleText text(mappings, article);
  text.read();
  r.document.text = std::move(text.document.text);
  r.document.sections = std::move(text.document.sections);
  r.document.sections_from_reader = true;
  r.document.title = std::move(text.document.title);
  // The article's own XML, where table cells' paths resolve.
  xmlBufferPtr buffer = xmlBufferCreate();
  if (buffer) {
    xmlNodeDump(buffer, article->doc, const_cast<xmlNode*>(article), 0, 0);
    r.document.original.assign(reinterpret_cast<const char*>(xmlBufferContent(buffer)), static_cast<std::size_t>(xmlBufferLength(buffer)));
    xmlBufferFree(buffer);
    r.document.original_media_type = "application/jats+xml";
  }
  const std::string& type = r.document.kind;
  const bool case_report = is_case_report_type(type) || ((type.empty() || type == "other") && text.case_section);
  if (!case_report) {
    r.not_converted = which + " is " + (type.empty() ? std::string("not marked as a case report and has no case section")
                                                       : "a " + type + ", not a case report");
    return r;
  }
  if (!has_letter(r.document.text)) {
    r.not_converted = which + " has no text";
    return r;
  }
  r.document.code_points = CodePointIndex(r.document.text);
  r.facts = extract_facts(r.document, mappings);
  table_facts(text.lab_cells, mappings, r.facts);
  if (text.tables_set_aside > 0)
    r.facts.set_aside.push_back(SetAside{SourceRef{{}, "/article"}, "",
                                         std::to_string(text.tables_set_aside) + " table(s) not laid out as lab results: kept as text, not converted"});
  return r;
}

}  // namespace

// <articles> and <pmc-articleset> are JATS collections; an <article> is JATS when it has the front
// matter JATS requires (DocBook has an <article> too).
bool is_jats(std::string_view bytes) {
  const std::string_view root = xml_root_name(bytes);
  return is_article_root(root) && (root != "article" || bytes.find("<front") != std::string_view::npos);
}

std::vector<Reading> read_jats(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings) {
  check_input_size(bytes, name, options.limits);
  const XmlDocument xml(bytes, name);
  const xmlNode* root = xml.root();
  std::vector<const xmlNode*> articles;
  if (local_name(root) == "article") articles.push_back(root);
  else
    for (const xmlNode* a : element_children(root, "article")) articles.push_back(a);
  if (articles.empty()) throw Error(ErrorKind::input_malformed, Location{name, 0, 0, {}}, "<" + std::string(local_name(root)) + "> holds no <article>");
  std::vector<Reading> out;
  out.reserve(articles.size());
  for (std::size_t i = 0; i < articles.size(); ++i) out.push_back(read_article(articles[i], name, i, articles.size(), mappings));
  return out;
}

}  // namespace casefhir::readers
