// readers/reader.h — the seam between input formats and the rest of the converter. A reader turns
// the bytes of one input into a SourceDocument and the CaseFacts it states; everything after that
// (the FHIR builder, reports, evaluation) is the same for every format. Adding a format is adding
// a Reader to the registry (registry.cpp).
//
//   const readers::Reader& r = readers::reader_for(bytes, options.from);   // "" detects by content
//   readers::Reading in = r.read(bytes, name, options, mappings);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "casefhir/converter.h"
#include "casefhir/document.h"
#include "casefhir/facts.h"
#include "casefhir/mapping.h"

namespace casefhir::readers {

struct Reading {
  SourceDocument document;
  CaseFacts facts;
  // Why this document gives no Bundle ("" when it does): a journal article that is not a case
  // report (a research article, a review, an editorial).
  std::string not_converted;
};

struct Reader {
  std::string_view name;          // what --from names: "text", "cda"
  std::string_view summary;       // one line for --help
  // Whether these bytes are this format, by content (never by file name).
  bool (*recognises)(std::string_view bytes);
  // One Reading per document the input holds: one, or several for a collection (JATS <articles>).
  std::vector<Reading> (*read)(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings);
};

// Every reader, in the order detection tries them; plain text, which takes anything, is last.
const std::vector<Reader>& registry();

// The reader --from names, or (for "" or "auto") the first that recognises the bytes. Throws
// Error(usage) for a name no reader has, and Error(input_malformed) for XML that no XML reader
// reads (it would otherwise be read as prose; --from text still does that on request).
const Reader& reader_for(std::string_view bytes, std::string_view from, const std::string& file);

// The first element's name of bytes that look like XML ("" when they do not): detection's test.
std::string_view xml_root_name(std::string_view bytes);

// Readers of each format (one file each).
std::vector<Reading> read_plain_text(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings);
bool is_cda(std::string_view bytes);
std::vector<Reading> read_cda(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings);
bool is_jats(std::string_view bytes);
std::vector<Reading> read_jats(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings);
bool is_pdf(std::string_view bytes);
std::vector<Reading> read_pdf(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings);

// A case series in a text (plain, JATS or PDF): the document's sections headed "Case 1", "Case 2",
// "Patient 3", "The second case" …, or without headings opened in prose ("The second patient, a
// 45-year-old woman, …"), each read as the report of its own patient (facts outside them, an
// introduction, a discussion, are the series', not one patient's). Fewer than two cases: empty.
std::vector<CaseFacts> split_case_series(const SourceDocument& doc, const Mappings& mappings);

// The checks every reader makes of its bytes before reading them: not empty, not over the limit.
void check_input_size(std::string_view bytes, const std::string& name, const ReadLimits& limits);

}  // namespace casefhir::readers
