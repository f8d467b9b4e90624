#include "readers/xml.h"

#include <libxml/parser.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "casefhir/errors.h"
#include "readers/utf8.h"

namespace casefhir::readers {

namespace {

// Never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE; diagnostics stay in the parser.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                              XML_PARSE_NOCDATA;

// Deeper than any CDA or JATS document (C-CDA entries sit about 15 levels down); libxml2's own
// limit of 256 applies to the parse too.
constexpr std::size_t kMaxDepth = 256;

// No document this library reads may pull in another file or URL, whatever its markup says.
xmlParserInputPtr refuse_external_entity(const char*, const char*, xmlParserCtxtPtr) { return nullptr; }

// The parser's own refusal of a DOCTYPE, behind the byte scan: the parse stops at the declaration,
// before any entity is declared, so none can be substituted (libxml2 substitutes internal entities
// in attribute values whatever the options).
void refuse_internal_subset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  ctxt->wellFormed = 0;
  ctxt->_private = const_cast<char*>("a DOCTYPE is not accepted");
  xmlStopParser(ctxt);
}

void init_libxml2() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(refuse_external_entity);
  });
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Where the element nesting first exceeds `limit`, or npos. A linear scan of the bytes before
// parsing, so that neither libxml2 nor a reader's walk of the tree ever meets a document nested a
// million deep. Comments, CDATA, processing instructions and quoted attribute values are skipped.
std::size_t too_deep(std::string_view t, std::size_t limit) {
  std::size_t depth = 0;
  for (std::size_t p = t.find('<'); p != std::string_view::npos; p = t.find('<', p + 1)) {
    auto skip_to = [&](std::string_view end) {
      const std::size_t e = t.find(end, p);
      return e == std::string_view::npos ? t.size() : e + end.size() - 1;
    };
    if (t.compare(p, 4, "<!--") == 0) p = skip_to("-->");
    else if (t.compare(p, 9, "<![CDATA[") == 0) p = skip_to("]]>");
    else if (t.compare(p, 2, "<?") == 0) p = skip_to("?>");
    else if (t.compare(p, 2, "<!") == 0) p = skip_to(">");
    else if (t.compare(p, 2, "</") == 0) {
      if (depth > 0) --depth;
      p = skip_to(">");
    } else {
      const std::size_t start = p;
      char quote = 0;
      std::size_t e = p + 1;
      for (; e < t.size(); ++e) {
        if (quote) {
          if (t[e] == quote) quote = 0;
        } else if (t[e] == '"' || t[e] == '\'') {
          quote = t[e];
        } else if (t[e] == '>') {
          break;
        }
      }
      if (e >= t.size()) return std::string_view::npos;   // unterminated: the parser says where
      if (t[e - 1] != '/' && ++depth > limit) return start;
      p = e;
    }
    if (p >= t.size()) break;
  }
  return std::string_view::npos;
}

}  // namespace

std::size_t doctype_offset(std::string_view text) {
  for (std::size_t p = text.find('<'); p != std::string_view::npos; p = text.find('<', p + 1)) {
    if (text.compare(p, 9, "<!DOCTYPE") == 0) return p;
    // Comments and processing instructions are skipped whole: a '<' inside one is not the root.
    const std::string_view end = text.compare(p, 4, "<!--") == 0 ? "-->" : text.compare(p, 2, "<?") == 0 ? "?>" : "";
    if (end.empty()) return std::string_view::npos;   // the root element: no DOCTYPE before it
    p = text.find(end, p + 2);
    if (p == std::string_view::npos) return p;
  }
  return std::string_view::npos;
}

XmlDocument::XmlDocument(std::string_view bytes, const std::string& file) {
  init_libxml2();
  // UTF-8 only: the DOCTYPE check below reads bytes, and a document in UTF-16 would slip past it.
  if (const auto bad = find_invalid_utf8(bytes); bad || bytes.find('\0') != std::string_view::npos) {
    const std::size_t at = bad ? *bad : bytes.find('\0');
    const auto lc = line_column(bytes, at);
    throw Error(ErrorKind::input_encoding, Location{file, lc.line, lc.column, {}},
                "XML input must be UTF-8 (byte " + std::to_string(at) + " is not)");
  }
  if (const std::size_t p = doctype_offset(bytes); p != std::string_view::npos) {
    const auto lc = line_column(bytes, p);
    throw Error(ErrorKind::input_malformed, Location{file, lc.line, lc.column, {}},
                "a DOCTYPE is not accepted (its entities could read local files or expand without limit)");
  }
  if (const std::size_t p = too_deep(bytes, kMaxDepth); p != std::string_view::npos) {
    const auto lc = line_column(bytes, p);
    throw Error(ErrorKind::input_malformed, Location{file, lc.line, lc.column, {}},
                "elements nested more than " + std::to_string(kMaxDepth) + " deep");
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(ErrorKind::input_too_large, Location{file, 0, 0, {}}, "an XML document over 2 GiB is not supported");
  std::unique_ptr<xmlParserCtxt, void (*)(xmlParserCtxtPtr)> ctxt(xmlNewParserCtxt(), xmlFreeParserCtxt);
  if (!ctxt) throw Error(ErrorKind::input_malformed, Location{file, 0, 0, {}}, "cannot start the XML parser");
  ctxt->sax->internalSubset = refuse_internal_subset;
  doc_.reset(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), file.c_str(), "UTF-8", kParseOptions));
  if (ctxt->_private) {
    doc_.reset();
    throw Error(ErrorKind::input_malformed, Location{file, static_cast<std::size_t>(std::max(0, ctxt->input ? ctxt->input->line : 0)), 0, {}},
                std::string(static_cast<const char*>(ctxt->_private)) + " (its entities could read local files or expand without limit)");
  }
  if (!doc_ || !ctxt->wellFormed) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string reason = e && e->message ? trimmed(e->message) : "not well-formed XML";
    const std::size_t line = e && e->line > 0 ? static_cast<std::size_t>(e->line) : 0;
    const std::size_t column = e && e->int2 > 0 ? static_cast<std::size_t>(e->int2) : 0;
    doc_.reset();
    throw Error(ErrorKind::input_malformed, Location{file, line, column, {}}, "not well-formed XML: " + reason);
  }
  if (!doc_->children || !xmlDocGetRootElement(doc_.get()))
    throw Error(ErrorKind::input_malformed, Location{file, 0, 0, {}}, "the XML document has no root element");
  if (!ctxt->nsWellFormed) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    warnings_.push_back("line " + std::to_string(e ? e->line : 0) + ": " +
                        (e && e->message ? trimmed(e->message) : std::string("namespace error")));
  }
}

XmlDocument::~XmlDocument() = default;

const xmlNode* XmlDocument::root() const { return xmlDocGetRootElement(doc_.get()); }

std::string_view local_name(const xmlNode* n) {
  if (!n || !n->name) return {};
  std::string_view name(reinterpret_cast<const char*>(n->name));
  // An undeclared prefix leaves "xsi:type" as the whole name.
  if (const auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}

const xmlNode* first_child(const xmlNode* n, std::string_view name) {
  if (!n) return nullptr;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && local_name(c) == name) return c;
  return nullptr;
}

namespace {
const xmlAttr* find_attribute(const xmlNode* n, std::string_view name) {
  if (!n || n->type != XML_ELEMENT_NODE) return nullptr;
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    std::string_view an(reinterpret_cast<const char*>(a->name));
    if (const auto colon = an.find(':'); colon != std::string_view::npos) an.remove_prefix(colon + 1);
    if (an == name) return a;
  }
  return nullptr;
}
}  // namespace

std::string attribute(const xmlNode* n, std::string_view name) {
  const xmlAttr* a = find_attribute(n, name);
  if (!a) return {};
  std::string out;
  for (const xmlNode* c = a->children; c; c = c->next)
    if (c->content) out += reinterpret_cast<const char*>(c->content);
  return out;
}

bool has_attribute(const xmlNode* n, std::string_view name) { return find_attribute(n, name) != nullptr; }

namespace {
void append_text(const xmlNode* n, std::string& out) {
  for (const xmlNode* c = n->children; c; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
      out += reinterpret_cast<const char*>(c->content);
    } else if (c->type == XML_ELEMENT_NODE) {
      // Cells, rows and paragraphs of a narrative are separate words.
      out += ' ';
      append_text(c, out);
      out += ' ';
    }
  }
}
}  // namespace

std::string text_of(const xmlNode* n) {
  if (!n) return {};
  std::string raw;
  append_text(n, raw);
  std::string out;
  out.reserve(raw.size());
  bool space = false;
  for (const char c : raw) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

namespace {

// Each element's XPath position among the siblings of its name is kept in its _private field
// (libxml2 leaves it to applications): position << 2 | 1 when it has siblings of its name | 2 once
// its own children are numbered. Children are numbered the first time a path passes through their
// parent, all at once, so xpath_of costs the depth of the node and each family is counted once: a
// section of 40,000 entries would otherwise be rescanned for every entry.
constexpr std::uintptr_t kHasSiblings = 1, kChildrenNumbered = 2;

std::uintptr_t mark_of(const xmlNode* n) { return reinterpret_cast<std::uintptr_t>(n->_private); }
void set_mark(const xmlNode* n, std::uintptr_t mark) { const_cast<xmlNode*>(n)->_private = reinterpret_cast<void*>(mark); }

void number_children(const xmlNode* parent) {
  // By local name, as the steps are written ("hl7:entry" with an undeclared prefix is an entry).
  thread_local std::unordered_map<std::string_view, std::uintptr_t> count;
  count.clear();
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) set_mark(c, (mark_of(c) & kChildrenNumbered) | (++count[local_name(c)] << 2));
  for (const xmlNode* c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && count[local_name(c)] > 1) set_mark(c, mark_of(c) | kHasSiblings);
  set_mark(parent, mark_of(parent) | kChildrenNumbered);
}

}  // namespace

std::string xpath_of(const xmlNode* n) {
  std::vector<std::string> steps;
  for (const xmlNode* e = n; e && e->type == XML_ELEMENT_NODE; e = e->parent) {
    const xmlNode* parent = e->parent && e->parent->type == XML_ELEMENT_NODE ? e->parent : nullptr;
    if (parent && !(mark_of(parent) & kChildrenNumbered)) number_children(parent);
    std::string step(local_name(e));
    if (parent && (mark_of(e) & kHasSiblings)) step += "[" + std::to_string(mark_of(e) >> 2) + "]";
    steps.push_back(std::move(step));
  }
  std::string out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) out += "/" + *it;
  return out;
}

long line_of(const xmlNode* n) { return n ? xmlGetLineNo(n) : 0; }

}  // namespace casefhir::readers
