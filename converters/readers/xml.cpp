#include "readers/xml.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "casefhir/errors.h"
#include "readers/utf8.h"

namespace casefhir::readers {

namespace {

// Never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE; diagnostics stay in the parser.
// The bytes are checked to be UTF-8 before parsing, and read as UTF-8 whatever the declaration says
// (IGNORE_ENC): naming the encoding instead would send every byte through libxml2's converter, a
// copy of the document. COMPACT keeps short text in its node rather than in an allocation of its own.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                              XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT;

// Nesting: libxml2's own limit (256 levels without XML_PARSE_HUGE, far deeper than any CDA or JATS
// document) stops the parse, so no reader walks a deeper tree; a million-deep document is refused
// in milliseconds with the line and column.

// No document this library reads may pull in another file or URL, whatever its markup says.
xmlParserInputPtr refuse_external_entity(const char*, const char*, xmlParserCtxtPtr) { return nullptr; }

// What the SAX handlers below share with the constructor, through the parser's _private.
struct ParseState {
  std::string refusal;                            // why the parse was stopped ("" when it was not)
  std::vector<std::string_view> mixed_content;    // see XmlDocument's constructor
  // The element whose content was last found mixed or not: the blanks between an element's
  // children come one after another, so one answer serves them all.
  const xmlNode* last_parent = nullptr;
  bool last_parent_mixed = false;
};

// The parser's own refusal of an internal subset, behind the byte scan: called at the DOCTYPE's
// name and external identifiers, it stops the parse when a '[' follows, before any entity is
// declared, so none can be substituted (libxml2 substitutes internal entities in attribute values
// whatever the options). A DOCTYPE that only names its DTD (as PubMed Central's JATS files do) is
// let through: the DTD is never loaded (no DTDLOAD, and the entity loader loads nothing).
void refuse_internal_subset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  const xmlChar* cur = ctxt->input ? ctxt->input->cur : nullptr;
  while (cur && (*cur == ' ' || *cur == '\n' || *cur == '\t' || *cur == '\r')) ++cur;
  if (cur && *cur != '[') return;
  ctxt->wellFormed = 0;
  static_cast<ParseState*>(ctxt->_private)->refusal =
      "a DOCTYPE with an internal subset is not accepted (its entities could read local files or expand without limit)";
  xmlStopParser(ctxt);
}

// A named entity that only the DTD defines (&alpha; in a JATS file): the DTD is never loaded, and
// libxml2 would leave the reference empty, losing the word. The document is refused, saying which.
void refuse_undefined_entity(void* ctx, const xmlChar* name) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  ctxt->wellFormed = 0;
  static_cast<ParseState*>(ctxt->_private)->refusal =
      "the entity &" + std::string(reinterpret_cast<const char*>(name)) +
      "; is defined only in the DTD, which casefhir never loads (write the character itself, or a numeric reference)";
  xmlStopParser(ctxt);
}

// Whether the DOCTYPE at `at` has an internal subset ('[' before its closing '>', outside quotes).
bool has_internal_subset(std::string_view text, std::size_t at) {
  char quote = 0;
  for (std::size_t p = at + 9; p < text.size(); ++p) {
    const char c = text[p];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      return true;
    } else if (c == '>') {
      return false;
    }
  }
  return true;   // unterminated: refused as if it had one
}

bool is_blank(const xmlChar* ch, int len) {
  for (int i = 0; i < len; ++i)
    if (ch[i] != ' ' && ch[i] != '\n' && ch[i] != '\t' && ch[i] != '\r') return false;
  return true;
}

// Text as libxml2 delivers it: white space alone, between elements outside mixed content, is left
// out of the tree. A blank run that continues a text node is kept, so no text loses its spaces.
void characters(void* ctx, const xmlChar* ch, int len) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(ctx);
  auto* state = static_cast<ParseState*>(ctxt->_private);
  const xmlNode* node = ctxt->node;
  if (node && is_blank(ch, len) && (!node->last || node->last->type == XML_ELEMENT_NODE)) {
    if (node != state->last_parent) {
      bool mixed = false;
      for (const xmlNode* n = node; n && n->type == XML_ELEMENT_NODE && !mixed; n = n->parent)
        mixed = std::find(state->mixed_content.begin(), state->mixed_content.end(), local_name(n)) != state->mixed_content.end();
      state->last_parent = node;
      state->last_parent_mixed = mixed;
    }
    if (!state->last_parent_mixed) return;
  }
  xmlSAX2Characters(ctx, ch, len);
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

}  // namespace

XmlProlog read_prolog(std::string_view bytes) {
  XmlProlog prolog;
  bool markup_only = true;   // no markup but comments, processing instructions and the DOCTYPE so far
  std::size_t p = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (;;) {
    while (p < bytes.size() && (bytes[p] == ' ' || bytes[p] == '\t' || bytes[p] == '\r' || bytes[p] == '\n')) ++p;
    if (p >= bytes.size() || bytes[p] != '<') return prolog;
    // Comments and processing instructions are skipped whole: a '<' inside one is not the root.
    if (bytes.compare(p, 4, "<!--") == 0) {
      const std::size_t e = bytes.find("-->", p + 4);   // "<!-->" does not close itself
      if (e == std::string_view::npos) return prolog;
      p = e + 3;
    } else if (bytes.compare(p, 2, "<?") == 0) {
      const std::size_t e = bytes.find("?>", p + 2);
      if (e == std::string_view::npos) return prolog;
      p = e + 2;
    } else if (bytes.compare(p, 9, "<!DOCTYPE") == 0) {
      if (markup_only && prolog.doctype == std::string_view::npos) prolog.doctype = p;
      // Its internal subset holds declarations with '>' of their own: skip to "]>" when there is one.
      const std::size_t bracket = bytes.find('[', p), close = bytes.find('>', p);
      const std::size_t e = bracket != std::string_view::npos && bracket < close ? bytes.find("]>", bracket) : close;
      if (e == std::string_view::npos) return prolog;
      p = e + (bytes[e] == ']' ? 2 : 1);
    } else if (bytes.compare(p, 2, "<!") == 0) {
      // Not XML's prolog ("<!ELEMENT" outside a DOCTYPE): the parse will fail on it, before any DOCTYPE after it.
      markup_only = false;
      const std::size_t e = bytes.find('>', p + 2);
      if (e == std::string_view::npos) return prolog;
      p = e + 1;
    } else {
      const char first = p + 1 < bytes.size() ? bytes[p + 1] : ' ';
      if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_')) return prolog;   // "<5 mm"
      std::size_t e = p + 1;
      while (e < bytes.size() && bytes[e] != ' ' && bytes[e] != '>' && bytes[e] != '/' && bytes[e] != '\t' &&
             bytes[e] != '\r' && bytes[e] != '\n')
        ++e;
      std::string_view name = bytes.substr(p + 1, e - p - 1);
      if (const auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
      prolog.root_name = name;
      return prolog;
    }
  }
}

namespace {
// A name with an undeclared prefix ("xsi:type" without xmlns:xsi, "cda:section") reaches the tree
// whole; every name is compared by its local part, so the prefix is dropped once, here, and the
// helpers compare names as they stand. Only a document with namespace errors has such names.
void drop_undeclared_prefixes(xmlNode* n) {
  for (xmlNode* c = n; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    auto local = [](const xmlChar* name) -> const xmlChar* {
      const xmlChar* colon = name ? xmlStrchr(name, ':') : nullptr;
      return colon ? colon + 1 : nullptr;
    };
    // A copy first: the new name is part of the old one, which setting it may free.
    auto set_local_name = [](xmlNode* node, const xmlChar* l) {
      const std::string copy(reinterpret_cast<const char*>(l));
      xmlNodeSetName(node, reinterpret_cast<const xmlChar*>(copy.c_str()));
    };
    if (const xmlChar* l = local(c->name)) set_local_name(c, l);
    for (xmlAttr* a = c->properties; a; a = a->next)
      if (const xmlChar* l = local(a->name)) set_local_name(reinterpret_cast<xmlNode*>(a), l);
    drop_undeclared_prefixes(c->children);
  }
}
}  // namespace

XmlDocument::XmlDocument(std::string_view bytes, const std::string& file, std::vector<std::string_view> mixed_content) {
  init_libxml2();
  // UTF-8 only: the DOCTYPE check below reads bytes, and a document in UTF-16 would slip past it.
  if (const auto bad = find_invalid_utf8(bytes); bad || bytes.find('\0') != std::string_view::npos) {
    const std::size_t at = bad ? *bad : bytes.find('\0');
    const auto lc = line_column(bytes, at);
    throw Error(ErrorKind::input_encoding, Location{file, lc.line, lc.column, {}},
                "XML input must be UTF-8 (byte " + std::to_string(at) + " is not)");
  }
  if (const std::size_t p = read_prolog(bytes).doctype; p != std::string_view::npos && has_internal_subset(bytes, p)) {
    const auto lc = line_column(bytes, p);
    throw Error(ErrorKind::input_malformed, Location{file, lc.line, lc.column, {}},
                "a DOCTYPE with an internal subset is not accepted (its entities could read local files or expand without limit)");
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(ErrorKind::input_too_large, Location{file, 0, 0, {}}, "an XML document over 2 GiB is not supported");
  std::unique_ptr<xmlParserCtxt, void (*)(xmlParserCtxtPtr)> ctxt(xmlNewParserCtxt(), xmlFreeParserCtxt);
  if (!ctxt) throw Error(ErrorKind::input_malformed, Location{file, 0, 0, {}}, "cannot start the XML parser");
  ParseState state{"", std::move(mixed_content)};
  ctxt->_private = &state;
  ctxt->sax->internalSubset = refuse_internal_subset;
  ctxt->sax->reference = refuse_undefined_entity;
  if (!state.mixed_content.empty()) {
    ctxt->sax->characters = characters;
    ctxt->sax->ignorableWhitespace = characters;
  }
  // Comments and processing instructions are not content (XPath's string-value leaves them out)
  // and no reader reads them: they are not built into the tree.
  ctxt->sax->comment = nullptr;
  ctxt->sax->processingInstruction = nullptr;
  doc_.reset(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), file.c_str(), nullptr, kParseOptions));
  if (!state.refusal.empty()) {
    doc_.reset();
    throw Error(ErrorKind::input_malformed, Location{file, static_cast<std::size_t>(std::max(0, ctxt->input ? ctxt->input->line : 0)), 0, {}},
                state.refusal);
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
    drop_undeclared_prefixes(xmlDocGetRootElement(doc_.get()));
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    warnings_.push_back("line " + std::to_string(e ? e->line : 0) + ": " +
                        (e && e->message ? trimmed(e->message) : std::string("namespace error")));
  }
}

XmlDocument::~XmlDocument() = default;

const xmlNode* XmlDocument::root() const { return xmlDocGetRootElement(doc_.get()); }

std::string_view local_name(const xmlNode* n) {
  if (!n || !n->name) return {};
  return reinterpret_cast<const char*>(n->name);   // prefixes are gone: see drop_undeclared_prefixes
}

bool name_is(const xmlChar* name, std::string_view wanted) {
  const auto* s = reinterpret_cast<const char*>(name);
  return s && std::strncmp(s, wanted.data(), wanted.size()) == 0 && s[wanted.size()] == '\0';
}

const xmlNode* first_child(const xmlNode* n, std::string_view name) {
  if (!n) return nullptr;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && name_is(c->name, name)) return c;
  return nullptr;
}

namespace {
const xmlAttr* find_attribute(const xmlNode* n, std::string_view name) {
  if (!n || n->type != XML_ELEMENT_NODE) return nullptr;
  for (const xmlAttr* a = n->properties; a; a = a->next)
    if (name_is(a->name, name)) return a;
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

bool attribute_is(const xmlNode* n, std::string_view name, std::string_view value) {
  const xmlAttr* a = find_attribute(n, name);
  if (!a) return false;
  const xmlNode* c = a->children;
  if (c && !c->next)   // the value in one text node, as libxml2 stores it without entities
    return c->content && std::string_view(reinterpret_cast<const char*>(c->content)) == value;
  return attribute(n, name) == value;
}

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
  return collapse_white_space(raw);
}

std::string collapse_white_space(std::string_view raw) {
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
