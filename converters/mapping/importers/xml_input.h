// mapping/importers/xml_input.h — XML release files, read as a stream of element starts and ends
// with libxml2's xmlTextReader, parsed one safe way (STYLE.md §5): no network, no entity
// substitution, no DTD loading, no "huge" limits, diagnostics kept in the parser (never printed),
// big line numbers. A document with a DOCTYPE is refused before parsing (Debian's libxml2 2.9.14
// has no XML_PARSE_NO_XXE, and terminology files have no use for entity declarations).
//
//   XmlStream xml(text, "icd10cm_tabular.xml");
//   while (xml.next())
//     if (xml.is_start() && xml.name() == "diag") ... xml.text() ... xml.fail_here("...");
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace casefhir::mapping::importers {

class XmlStream {
 public:
  // `text` must outlive the stream. Error(input_malformed) for a DOCTYPE.
  XmlStream(const std::string& text, const std::string& file);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Moves to the next element start or end (other nodes are skipped); false after the document.
  // Error(input_malformed) at the line and column libxml2 reports when the XML is not well-formed.
  bool next();

  bool is_start() const { return start_; }
  bool is_empty_element() const { return empty_; }   // <a/>: no end follows
  std::string_view name() const { return name_; }
  int depth() const { return depth_; }
  // The text content of the current element (at its start), unchanged.
  std::string text();

  // Which <name> element of the document this is, counting from 1 (for fail_at after it ended).
  std::size_t ordinal() const;

  // Error(input_malformed) at the current element's start tag (line and column).
  [[noreturn]] void fail_here(const std::string& reason) const { fail_at(name_, ordinal(), reason); }
  // Error(input_malformed) at the start tag of the ordinal-th <element> of the document.
  [[noreturn]] void fail_at(std::string_view element, std::size_t ordinal, const std::string& reason) const;

 private:
  struct Reader;
  const std::string& text_;
  std::string file_;
  std::unique_ptr<Reader> reader_;
  std::unordered_map<std::string, std::size_t> starts_;   // element starts seen, by name
  std::string name_;
  int depth_ = 0;
  bool start_ = false;
  bool empty_ = false;
};

}  // namespace casefhir::mapping::importers
