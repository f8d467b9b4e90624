// casefhir/document.h — SourceDocument: the decoded text of one input, and its sections.
//
//   casefhir::SourceDocument doc = casefhir::read_text(bytes, "report.txt");
//   std::string_view first_section = doc.view(doc.sections.front().body);
//   std::size_t cp = doc.code_points.offset(span.begin);   // what derivation-reference reports
//
// Every Span in the library is a half-open range of *byte* offsets into SourceDocument::text.
// Output counts Unicode code points of that text (issue 2); CodePointIndex converts, once per
// document, not once per mention.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace casefhir {

struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  std::uint32_t size() const { return end - begin; }
  bool empty() const { return end <= begin; }
  bool contains(const Span& other) const { return begin <= other.begin && other.end <= end; }
  bool overlaps(const Span& other) const { return begin < other.end && other.begin < end; }
  friend bool operator==(const Span&, const Span&) = default;
  friend auto operator<=>(const Span&, const Span&) = default;
};

// Byte offset → code point offset for one text. Costs nothing for ASCII text.
class CodePointIndex {
 public:
  CodePointIndex() = default;
  explicit CodePointIndex(std::string_view utf8_text);
  std::uint32_t offset(std::uint32_t byte_offset) const;

 private:
  // Byte offsets just past each multi-byte character, and how many continuation bytes precede
  // that point (cumulative). Empty for ASCII text.
  std::vector<std::uint32_t> ends_;
  std::vector<std::uint32_t> extra_;
};

// A stretch of the document with one role: "case-presentation", "discussion", "family-history",
// ... (the roles are defined by the `sections` mapping files). Readers of structured formats fill
// sections from the markup; for plain text the pipeline finds them from headings.
struct Section {
  std::string role;      // a section mapping id, or "" when no heading said
  std::string heading;   // the heading text as written, if any
  Span heading_span;
  Span body;
};

// An identifier: of a document (a journal article's DOI, PMCID, PMID) or of a patient.
struct Identifier {
  std::string system;   // a URI ("https://doi.org", "urn:oid:2.16.840.1.113883.4.1")
  std::string value;
};

struct SourceDocument {
  std::string name;        // a path, or "-" for standard input
  std::string media_type;  // e.g. "text/plain"
  std::string text;        // decoded UTF-8; byte order mark removed, nothing else changed
  // When `text` was made from markup (a JATS article laid out as prose): that markup as received,
  // where derivation-reference paths resolve, and its media type. Empty otherwise.
  std::string original;
  std::string original_media_type;
  std::vector<Identifier> identifiers;   // the identifiers the document gives itself
  std::string title;       // the document's own title ("" when it has none)
  std::string kind;        // what the source says it is (a JATS article-type: "case-report")
  std::vector<Section> sections;
  // The reader filled `sections` from the markup (in order, not overlapping): the text pipeline
  // keeps them instead of finding sections from headings.
  bool sections_from_reader = false;
  CodePointIndex code_points;

  std::string_view view(const Span& s) const {
    return std::string_view(text).substr(s.begin, s.end - s.begin);
  }
};

// Limits on input (RE2-style: a number where it is set; exceeding it is a typed error).
struct ReadLimits {
  std::size_t max_bytes = 64u * 1024u * 1024u;
};

// Decodes and checks free text. Throws Error (input_empty, input_binary, input_encoding,
// input_too_large) with the file, line and column of the first offending byte.
SourceDocument read_text(std::string_view bytes, std::string name, const ReadLimits& limits = {});

}  // namespace casefhir
