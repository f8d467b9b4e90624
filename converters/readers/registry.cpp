// readers/registry.cpp — which reader reads which bytes.
#include "readers/reader.h"

#include "casefhir/errors.h"
#include "readers/xml.h"

namespace casefhir::readers {

namespace {
bool any_bytes(std::string_view) { return true; }
}  // namespace

std::vector<Reading> read_plain_text(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings) {
  Reading r;
  r.document = read_text(bytes, std::move(name), options.limits);
  r.facts = extract_facts(r.document, mappings);
  std::vector<Reading> out;
  out.push_back(std::move(r));
  return out;
}

void check_input_size(std::string_view bytes, const std::string& name, const ReadLimits& limits) {
  if (bytes.empty()) throw Error(ErrorKind::input_empty, Location{name, 0, 0, {}}, "input is empty");
  if (bytes.size() > limits.max_bytes)
    throw Error(ErrorKind::input_too_large, Location{name, 0, 0, {}},
                "input is " + std::to_string(bytes.size()) + " bytes; the limit is " + std::to_string(limits.max_bytes) + " bytes");
}

const std::vector<Reader>& registry() {
  static const std::vector<Reader> readers = {
      {"cda", "HL7 CDA R2 documents: C-CDA R2.1, eICR, and bare C-CDA <section> fragments", is_cda, read_cda},
      {"jats", "JATS XML journal articles: one <article>, or a collection (<articles>, <pmc-articleset>), a Bundle each", is_jats, read_jats},
      {"pdf", "PDF case reports with a text layer (one or two columns; running heads and page numbers dropped)", is_pdf, read_pdf},
      {"text", "plain-text case reports (UTF-8)", any_bytes, read_plain_text},
  };
  return readers;
}

std::string_view xml_root_name(std::string_view bytes) { return read_prolog(bytes).root_name; }

const Reader& reader_for(std::string_view bytes, std::string_view from, const std::string& file) {
  const auto& readers = registry();
  if (!from.empty() && from != "auto") {
    for (const Reader& r : readers)
      if (r.name == from) return r;
    std::string known = "auto";
    for (const Reader& r : readers) known += ", " + std::string(r.name);
    throw Error(ErrorKind::usage, {}, "--from: no input format \"" + std::string(from) + "\" (formats: " + known + ")");
  }
  for (const Reader& r : readers)
    if (r.name != "text" && r.recognises(bytes)) return r;
  if (const std::string_view root = xml_root_name(bytes); !root.empty())
    throw Error(ErrorKind::input_malformed, Location{file, 1, 1, {}},
                "XML whose root element is <" + std::string(root) +
                    "> is not a format casefhir reads (CDA and JATS are; --from text reads the file as prose)");
  return readers.back();
}

}  // namespace casefhir::readers
