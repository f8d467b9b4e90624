// casefhir/converter.h — Converter: bytes in, FHIR Bundle out; the one path every command uses.
//
//   casefhir::Converter converter(casefhir::Mappings::load({}));
//   casefhir::Conversion c = converter.convert(bytes, "report.txt");
//   std::cout << c.bundle;                      // the Bundle as JSON text
//
// A Converter is immutable and may be shared between threads. convert() throws Error for input
// that cannot be converted (empty, binary, not UTF-8, too large); the error ends that document,
// not the run.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "casefhir/document.h"
#include "casefhir/facts.h"
#include "casefhir/fhir.h"
#include "casefhir/mapping.h"

namespace casefhir {

struct ConvertOptions {
  BundleOptions bundle;
  ReadLimits limits;
  // The input format: "" (or "auto") detects it from the bytes; "text" or "cda" says it
  // (input_formats() lists them).
  std::string from;
  // Structured input: also read each section's narrative through the text pipeline (facts that a
  // coded entry already states add their words to its provenance instead of a second resource).
  bool narrative = false;
  // A case series (sections "Case 1", "Case 2", …): one Bundle per case instead of one Bundle
  // with a Patient per case.
  bool split_cases = false;
};

// The formats convert() reads, with a one-line description each, in the order detection tries them.
std::vector<std::pair<std::string, std::string>> input_formats();

struct Conversion {
  SourceDocument document;
  CaseFacts facts;
  std::string bundle;          // JSON text, ending with '\n'; "" when not_converted says why
  std::size_t resources = 0;   // entries in the Bundle
  // Why this document gave no Bundle: a journal article that is not a case report ("a
  // research-article, not a case report"). "" for every document that was converted.
  std::string not_converted;
  // A case series: each case's facts (its own Patient), in order; `facts` then holds what the
  // whole text states, for the report. Empty for a report of one patient.
  std::vector<CaseFacts> cases;
};

class Converter {
 public:
  explicit Converter(Mappings mappings, ConvertOptions options = {});

  // Every document the input holds, in order: one for text and CDA, one per article for a JATS
  // collection. A document that is not a case report comes back with not_converted set.
  std::vector<Conversion> convert_all(std::string_view bytes, std::string name) const;
  // The same, with each Bundle handed to `sink` as it is written (one after another, each ending
  // with '\n') instead of held in Conversion::bundle, which is left empty: a report of tens of MB
  // never has its Bundle in memory whole.
  std::vector<Conversion> convert_all(std::string_view bytes, std::string name, const BundleSink& sink) const;
  // An input that holds one document. Throws Error(input_not_case_report) when it is not a case
  // report, and Error(usage) when the input holds several (convert_all reads those).
  Conversion convert(std::string_view bytes, std::string name) const;
  const Mappings& mappings() const { return mappings_; }
  const ConvertOptions& options() const { return options_; }

 private:
  std::vector<Conversion> convert_all(std::string_view bytes, std::string name, const BundleSink* sink) const;
  Mappings mappings_;
  ConvertOptions options_;
};

// The JSON of `casefhir convert --report` for a conversion: its sections, the statements set aside
// (with why), the patient sentences with no concept, and the results of tests written without a
// code (with why). It quotes the source text: output the user asked for, never a log.
std::string conversion_report(const Conversion& c);

// Gives back the memory that the calling thread's reusable buffers grew to (they keep their
// high-water mark between documents so that converting allocates nothing once warm). A worker
// calls it after an unusually large document.
void release_thread_buffers();

std::string_view version();

}  // namespace casefhir
