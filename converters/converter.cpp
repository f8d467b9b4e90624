// converter.cpp — Converter: the one path from bytes to Bundle (CLI, evaluation and benchmark
// all call it).
#include "casefhir/converter.h"

#include "readers/reader.h"

namespace casefhir {

Converter::Converter(Mappings mappings, ConvertOptions options) : mappings_(std::move(mappings)), options_(options) {}

Conversion Converter::convert(std::string_view bytes, std::string name) const {
  Conversion c;
  const readers::Reader& reader = readers::reader_for(bytes, options_.from, name);
  readers::Reading in = reader.read(bytes, std::move(name), options_, mappings_);
  c.document = std::move(in.document);
  c.facts = std::move(in.facts);
  BundleText b = build_bundle(c.document, c.facts, mappings_, options_.bundle);
  c.bundle = std::move(b.json);
  c.resources = b.resources;
  return c;
}

std::vector<std::pair<std::string, std::string>> input_formats() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const readers::Reader& r : readers::registry()) out.emplace_back(r.name, r.summary);
  return out;
}

std::string_view version() { return CASEFHIR_VERSION; }

}  // namespace casefhir
