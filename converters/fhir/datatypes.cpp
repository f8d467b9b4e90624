#include "fhir/datatypes.h"

#include <charconv>

namespace casefhir::fhir {

FhirJson coding(const Coding& c) {
  FhirJson j;
  j["system"] = c.system;
  j["code"] = c.code;
  if (!c.display.empty()) j["display"] = c.display;
  return j;
}

FhirJson codeable_concept(const std::vector<Coding>& codes, const std::string& text) {
  FhirJson j = FhirJson::object();
  if (!codes.empty()) {
    FhirJson list = FhirJson::array();
    for (const auto& c : codes) list.push_back(coding(c));
    j["coding"] = std::move(list);
  }
  if (!text.empty()) j["text"] = text;
  return j;
}

FhirJson codeable_concept(const CodedConcept& c) { return codeable_concept(c.codes, c.text); }

FhirJson hl7_concept(const char* system, const char* code, const char* display) {
  return codeable_concept({Coding{std::string("http://terminology.hl7.org/CodeSystem/") + system, code, display}}, "");
}

FhirJson reference(const std::string& target) {
  FhirJson j;
  j["reference"] = target;
  return j;
}

FhirJson decimal(const Quantity& q) {
  const std::string& t = q.value_text;
  if (!t.empty() && t.find('.') == std::string::npos && t.size() < 16) {
    long long v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return FhirJson(v);
  }
  return FhirJson(q.value);
}

FhirJson quantity(const Quantity& q, bool simple) {
  FhirJson j;
  j["value"] = decimal(q);
  if (!simple) {
    switch (q.comparator) {
      case Comparator::lt: j["comparator"] = "<"; break;
      case Comparator::le: j["comparator"] = "<="; break;
      case Comparator::ge: j["comparator"] = ">="; break;
      case Comparator::gt: j["comparator"] = ">"; break;
      case Comparator::none: break;
    }
  }
  if (!q.unit.empty()) {
    j["unit"] = q.unit_text.empty() ? q.unit : q.unit_text;
    j["system"] = kUcumSystem;
    j["code"] = q.unit;
  } else if (!q.unit_text.empty()) {
    j["unit"] = q.unit_text;
  }
  return j;
}

FhirJson derivation_reference(const SourceDocument& doc, const std::string& document_ref, const SourceRef& source) {
  FhirJson inner = FhirJson::array();
  FhirJson ref;
  ref["url"] = "reference";
  ref["valueReference"] = reference(document_ref);
  inner.push_back(std::move(ref));
  if (!source.xpath.empty()) {
    FhirJson path;
    path["url"] = "path";
    path["valueString"] = source.xpath;
    inner.push_back(std::move(path));
  }
  if (!source.span.empty() || source.xpath.empty()) {
    const std::uint32_t begin = doc.code_points.offset(source.span.begin);
    const std::uint32_t end = doc.code_points.offset(source.span.end);
    FhirJson offset;
    offset["url"] = "offset";
    offset["valueInteger"] = begin;
    inner.push_back(std::move(offset));
    FhirJson length;
    length["url"] = "length";
    length["valueInteger"] = end - begin;
    inner.push_back(std::move(length));
  }
  FhirJson ext;
  ext["url"] = kDerivationReference;
  ext["extension"] = std::move(inner);
  return ext;
}

FhirJson derivation_references(const SourceDocument& doc, const std::string& document_ref,
                               const std::vector<SourceRef>& sources) {
  FhirJson list = FhirJson::array();
  for (const auto& s : sources) list.push_back(derivation_reference(doc, document_ref, s));
  return list;
}

}  // namespace casefhir::fhir
