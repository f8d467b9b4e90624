// converter.cpp — Converter: the one path from bytes to Bundle (CLI, evaluation and benchmark
// all call it).
#include "casefhir/converter.h"

#include "casefhir/errors.h"

#include "readers/reader.h"

namespace casefhir {

Converter::Converter(Mappings mappings, ConvertOptions options) : mappings_(std::move(mappings)), options_(options) {}

std::vector<Conversion> Converter::convert_all(std::string_view bytes, std::string name) const {
  return convert_all(bytes, std::move(name), nullptr);
}

std::vector<Conversion> Converter::convert_all(std::string_view bytes, std::string name, const BundleSink& sink) const {
  return convert_all(bytes, std::move(name), &sink);
}

std::vector<Conversion> Converter::convert_all(std::string_view bytes, std::string name, const BundleSink* sink) const {
  // A Bundle written to `sink` or held in the Conversion.
  auto build = [&](const SourceDocument& doc, const auto& facts) {
    return sink ? build_bundle(doc, facts, mappings_, options_.bundle, *sink) : build_bundle(doc, facts, mappings_, options_.bundle);
  };
  const readers::Reader& reader = readers::reader_for(bytes, options_.from, name);
  std::vector<readers::Reading> readings = reader.read(bytes, std::move(name), options_, mappings_);
  std::vector<Conversion> out;
  out.reserve(readings.size());
  for (readers::Reading& in : readings) {
    Conversion c;
    c.document = std::move(in.document);
    c.facts = std::move(in.facts);
    c.not_converted = std::move(in.not_converted);
    if (!c.not_converted.empty()) {
      out.push_back(std::move(c));
      continue;
    }
    // Text, JATS and PDF (offsets into text): a case series is a Patient per case.
    if (c.document.media_type == "text/plain") c.cases = readers::split_case_series(c.document, mappings_);
    if (options_.split_cases && !c.cases.empty()) {
      for (CaseFacts& one : c.cases) {
        Conversion part;
        part.document = c.document;
        part.facts = std::move(one);
        BundleText b = build(part.document, part.facts);
        part.bundle = std::move(b.json);
        part.resources = b.resources;
        out.push_back(std::move(part));
      }
      continue;
    }
    BundleText b = c.cases.empty() ? build(c.document, c.facts) : build(c.document, c.cases);
    c.bundle = std::move(b.json);
    c.resources = b.resources;
    out.push_back(std::move(c));
  }
  return out;
}

Conversion Converter::convert(std::string_view bytes, std::string name) const {
  const std::string file = name;
  std::vector<Conversion> all = convert_all(bytes, std::move(name));
  if (all.size() != 1)
    throw Error(ErrorKind::usage, Location{file, 0, 0, {}},
                "holds " + std::to_string(all.size()) + " documents; convert_all reads a collection");
  if (!all.front().not_converted.empty())
    throw Error(ErrorKind::input_not_case_report, Location{file, 0, 0, {}}, all.front().not_converted);
  return std::move(all.front());
}

std::vector<std::pair<std::string, std::string>> input_formats() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const readers::Reader& r : readers::registry()) out.emplace_back(r.name, r.summary);
  return out;
}

std::string_view version() { return CASEFHIR_VERSION; }

}  // namespace casefhir
