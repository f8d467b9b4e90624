// converter.cpp — Converter: the one path from bytes to Bundle (CLI, evaluation and benchmark
// all call it).
#include "casefhir/converter.h"

namespace casefhir {

Converter::Converter(Mappings mappings, ConvertOptions options) : mappings_(std::move(mappings)), options_(options) {}

Conversion Converter::convert(std::string_view bytes, std::string name) const {
  Conversion c;
  c.document = read_text(bytes, std::move(name), options_.limits);
  c.facts = extract_facts(c.document, mappings_);
  BundleText b = build_bundle(c.document, c.facts, mappings_, options_.bundle);
  c.bundle = std::move(b.json);
  c.resources = b.resources;
  return c;
}

std::string_view version() { return CASEFHIR_VERSION; }

}  // namespace casefhir
