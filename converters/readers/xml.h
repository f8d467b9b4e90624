// readers/xml.h — XML parsed one safe way for every reader of XML input (CDA, and the terminology
// importers' DOCTYPE rule): libxml2 with no network, no DTD, no entity substitution, libxml2's
// default depth (256) and text-size limits (never XML_PARSE_HUGE), an entity loader that loads nothing,
// and a DOCTYPE refused twice: by a scan of the bytes before parsing, and by the parser's
// internal-subset handler, which stops the parse before any entity is declared (Debian's libxml2
// 2.9.14 has no XML_PARSE_NO_XXE). So no external entity is read and no entity expands. Errors
// name the file, line and column.
//
//   readers::XmlDocument xml(bytes, "report.xml");
//   for (const xmlNode* n : readers::element_children(xml.root())) ... readers::attribute(n, "code") ...
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

namespace casefhir::readers {

// The prolog of bytes that may be XML, read without parsing: a byte-order mark, then white space,
// comments, processing instructions and a DOCTYPE, up to the root element's start tag. The one
// scan behind format detection (xml_root_name) and the refusal of a DOCTYPE before any parse.
struct XmlProlog {
  std::size_t doctype = std::string_view::npos;   // the offset of "<!DOCTYPE", else npos
  std::string_view root_name;                     // the root's local name; "" when there is none, or text
                                                  // comes before it (prose: "<5 mm", "Seen 3 < 5")
};
XmlProlog read_prolog(std::string_view bytes);

class XmlDocument {
 public:
  // Throws Error(input_malformed) with line and column: not UTF-8, a DOCTYPE, not well-formed.
  // `mixed_content`: when given, text that is only white space is kept only inside elements of
  // these local names (and their descendants): the rest is the indentation of element-only
  // content, which means nothing and is up to half a pretty-printed document's nodes. Empty: every
  // text node is kept (a format with mixed content everywhere, such as JATS).
  XmlDocument(std::string_view bytes, const std::string& file, std::vector<std::string_view> mixed_content = {});
  ~XmlDocument();
  XmlDocument(const XmlDocument&) = delete;
  XmlDocument& operator=(const XmlDocument&) = delete;

  const xmlNode* root() const;
  // Problems that do not stop the parse (an undeclared namespace prefix), "line L: message".
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Free {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
  };
  std::unique_ptr<xmlDoc, Free> doc_;
  std::vector<std::string> warnings_;
};

// Element helpers. Names compare by local name, whatever the namespace, because CDA fragments in
// the wild come with and without the urn:hl7-org:v3 namespace (an undeclared prefix is dropped
// when the document is parsed).
std::string_view local_name(const xmlNode* n);
// Whether an element's or attribute's name is `wanted`, without measuring the name first.
bool name_is(const xmlChar* name, std::string_view wanted);

// The element children of a node (of one local name, when given), for a range-for; nothing is
// allocated, so walking a large document costs no more than its nodes.
class ElementChildren {
 public:
  ElementChildren(const xmlNode* parent, std::string_view name) : first_(next(parent ? parent->children : nullptr, name)), name_(name) {}
  class iterator {
   public:
    iterator(const xmlNode* n, std::string_view name) : n_(n), name_(name) {}
    const xmlNode* operator*() const { return n_; }
    iterator& operator++() {
      n_ = next(n_->next, name_);
      return *this;
    }
    bool operator!=(const iterator& o) const { return n_ != o.n_; }

   private:
    const xmlNode* n_;
    std::string_view name_;
  };
  iterator begin() const { return {first_, name_}; }
  iterator end() const { return {nullptr, name_}; }

 private:
  static const xmlNode* next(const xmlNode* n, std::string_view name) {
    while (n && (n->type != XML_ELEMENT_NODE || (!name.empty() && !name_is(n->name, name)))) n = n->next;
    return n;
  }
  const xmlNode* first_;
  std::string_view name_;
};
inline ElementChildren element_children(const xmlNode* n, std::string_view name = {}) { return {n, name}; }
const xmlNode* first_child(const xmlNode* n, std::string_view name);
// An attribute by local name ("type" finds xsi:type, declared or not); "" when absent.
std::string attribute(const xmlNode* n, std::string_view name);
bool has_attribute(const xmlNode* n, std::string_view name);
// Whether the attribute is there with this value; allocates nothing (for tests run on every element).
bool attribute_is(const xmlNode* n, std::string_view name, std::string_view value);
// The text content, white space collapsed as collapse_white_space does.
std::string text_of(const xmlNode* n);
// XML's white space (space, tab, line feed, carriage return) as prose has it: each run one space,
// none at either end.
std::string collapse_white_space(std::string_view s);
// /ClinicalDocument/component/structuredBody/component[3]/section/entry[2]/act: local names, an
// index where the element has siblings of its name (XPath's 1-based position among them). For the
// elements of an XmlDocument, read by one thread at a time: positions are kept in the nodes.
std::string xpath_of(const xmlNode* n);
// The line libxml2 recorded for an element (0 when unknown).
long line_of(const xmlNode* n);

}  // namespace casefhir::readers
