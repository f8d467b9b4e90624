// readers/registry.cpp — which reader reads which bytes.
#include "readers/reader.h"

#include "casefhir/errors.h"

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

std::string_view xml_root_name(std::string_view bytes) {
  std::size_t p = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") p = 3;
  for (;;) {
    while (p < bytes.size() && (bytes[p] == ' ' || bytes[p] == '\t' || bytes[p] == '\r' || bytes[p] == '\n')) ++p;
    if (p >= bytes.size() || bytes[p] != '<') return {};
    if (bytes.compare(p, 4, "<!--") == 0) {
      const std::size_t e = bytes.find("-->", p + 4);
      if (e == std::string_view::npos) return {};
      p = e + 3;
    } else if (bytes.compare(p, 9, "<!DOCTYPE") == 0) {
      // Its internal subset holds declarations with '>' of their own: skip to "]>" when there is one.
      const std::size_t bracket = bytes.find('[', p), close = bytes.find('>', p);
      const std::size_t e = bracket != std::string_view::npos && bracket < close ? bytes.find("]>", bracket) : close;
      if (e == std::string_view::npos) return {};
      p = e + (bytes[e] == ']' ? 2 : 1);
    } else if (bytes.compare(p, 2, "<?") == 0 || bytes.compare(p, 2, "<!") == 0) {
      const std::size_t e = bytes.find('>', p + 2);
      if (e == std::string_view::npos) return {};
      p = e + 1;
    } else {
      const char first = p + 1 < bytes.size() ? bytes[p + 1] : ' ';
      if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_')) return {};   // "<5 mm"
      std::size_t e = p + 1;
      while (e < bytes.size() && bytes[e] != ' ' && bytes[e] != '>' && bytes[e] != '/' && bytes[e] != '\t' &&
             bytes[e] != '\r' && bytes[e] != '\n')
        ++e;
      std::string_view name = bytes.substr(p + 1, e - p - 1);
      if (const auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
      return name;
    }
  }
}

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
