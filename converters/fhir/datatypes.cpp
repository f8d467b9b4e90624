#include "fhir/datatypes.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <unordered_map>

#include "mapping/compiled.h"

namespace casefhir::fhir {

void write_coding(JsonWriter& w, const Coding& c) {
  w.begin_object();
  w.field("system", c.system);
  if (!c.version.empty()) w.field("version", c.version);
  w.field("code", c.code);
  if (!c.display.empty()) w.field("display", c.display);
  w.end_object();
}

namespace {

// The core bodySite extension, pointing at the BodyStructure that holds the site's laterality.
void write_body_site_extension(JsonWriter& w, const std::string& structure_ref) {
  w.key("extension");
  w.begin_array();
  w.begin_object();
  w.field("url", kBodySiteExtension);
  w.key("valueReference");
  write_reference(w, structure_ref);
  w.end_object();
  w.end_array();
}

}  // namespace

namespace {

// The codings of a CodeableConcept: each one a code for the same concept, so one per code system.
// An imported concept can carry several codes of one system (the Disease Ontology cites SNOMED CT
// 70142008 Atrial septal defect and 405752007 Congenital atrial septal defect for one disease);
// they are not the same concept, so only the first is written: the concept's own code, or its
// highest-ranked cross-reference (the merge orders them so).
void write_codings(JsonWriter& w, const std::vector<Coding>& codes) {
  w.begin_array();
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const bool repeated = std::any_of(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(i),
                                      [&](const Coding& earlier) { return earlier.system == codes[i].system; });
    if (!repeated) write_coding(w, codes[i]);
  }
  w.end_array();
}

}  // namespace

void write_codeable_concept(JsonWriter& w, const std::vector<Coding>& codes, const std::string& text,
                            const std::string& extension_ref) {
  w.begin_object();
  if (!extension_ref.empty()) write_body_site_extension(w, extension_ref);
  if (!codes.empty()) {
    w.key("coding");
    write_codings(w, codes);
  }
  if (!text.empty()) w.field("text", text);
  w.end_object();
}

namespace {

std::string render_codings(const std::vector<Coding>& codes) {
  std::string out;
  std::size_t size = 2;   // reserved, so that the text is not copied as it grows
  for (const Coding& c : codes) size += c.system.size() + c.code.size() + c.display.size() + c.version.size() + 64;
  out.reserve(size);
  JsonWriter w(out, false);
  write_codings(w, codes);
  return out;
}

}  // namespace

void write_codeable_concept(JsonWriter& w, const CodedConcept& c, const Mappings& mappings, const std::string& extension_ref) {
  write_codeable_concept(w, c, c.text, mappings, extension_ref);
}

void write_codeable_concept(JsonWriter& w, const CodedConcept& c, const std::string& text, const Mappings& mappings,
                            const std::string& extension_ref) {
  const auto& compiled = mappings.compiled();
  if (w.pretty() || c.codes.empty()) {
    write_codeable_concept(w, c.codes, text, extension_ref);
    return;
  }
  // A concept's codings, rendered once per thread: sparse, since a vocabulary is large and a
  // document names few of its concepts. Keyed by the concept id as the fact carries it, so that a
  // concept written again costs one lookup in this small table, not one in the dictionary's.
  struct Rendered {
    std::optional<std::uint32_t> index;   // the concept the id names in the mappings, if any
    std::vector<Coding> codes;
    std::string json;
  };
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
  };
  thread_local std::uint64_t generation = 0;
  thread_local std::unordered_map<std::string, Rendered, IdHash, std::equal_to<>> rendered;
  if (generation != compiled.generation) {
    generation = compiled.generation;
    rendered.clear();
  }
  auto it = rendered.find(std::string_view(c.id));
  if (it == rendered.end()) {
    Rendered r;
    r.index = compiled.find_concept(c.id);
    if (r.index) {
      r.codes = compiled.concept_at(*r.index).codes();
      r.json = render_codings(r.codes);
    }
    it = rendered.emplace(c.id, std::move(r)).first;
  }
  // Only when the fact still carries the mapping's codes (a reader of coded input may not).
  if (!it->second.index || it->second.codes != c.codes) {
    write_codeable_concept(w, c.codes, text, extension_ref);
    return;
  }
  const std::string& json = it->second.json;
  w.begin_object();
  if (!extension_ref.empty()) write_body_site_extension(w, extension_ref);
  w.key("coding");
  w.raw_value(json);
  if (!text.empty()) w.field("text", text);
  w.end_object();
}

void write_mapped_coding(JsonWriter& w, const Coding& c, const Mappings& mappings) {
  if (w.pretty()) {
    write_codeable_concept(w, {c}, "");
    return;
  }
  // Keyed by address: the coding lives in the (immutable) mappings, identified by generation.
  thread_local std::uint64_t generation = 0;
  thread_local std::map<const Coding*, std::string> rendered;
  if (generation != mappings.compiled().generation) {
    generation = mappings.compiled().generation;
    rendered.clear();
  }
  std::string& json = rendered[&c];
  if (json.empty()) {
    JsonWriter r(json, false);
    write_codeable_concept(r, {c}, "");
  }
  w.raw_value(json);
}

void write_hl7_concept(JsonWriter& w, const char* system, const char* code, const char* display) {
  // The arguments are literals of the builders: a whole CodeableConcept per (system, code), kept.
  thread_local std::map<std::pair<const char*, const char*>, std::string> rendered;
  std::string& json = rendered[{system, code}];
  if (json.empty()) {
    JsonWriter r(json, false);
    write_codeable_concept(r, {Coding{std::string("http://terminology.hl7.org/CodeSystem/") + system, code, display, {}}}, "");
  }
  if (w.pretty()) write_codeable_concept(w, {Coding{std::string("http://terminology.hl7.org/CodeSystem/") + system, code, display, {}}}, "");
  else w.raw_value(json);
}

void write_reference(JsonWriter& w, const std::string& target) {
  w.begin_object();
  w.key("reference");
  w.trusted_value(target);   // always a generated "urn:uuid:…"
  w.end_object();
}

void write_reference(JsonWriter& w, const UuidText& id) {
  if (!w.pretty()) {
    // Compact, the reference is one piece of text around the id (every resource writes several).
    constexpr std::string_view head = "{\"reference\":\"urn:uuid:", tail = "\"}";
    char rest[sizeof(UuidText::chars) + tail.size()];
    std::copy(tail.begin(), tail.end(), std::copy(id.chars.begin(), id.chars.end(), rest));
    w.raw_value(head, std::string_view(rest, sizeof rest));
    return;
  }
  w.begin_object();
  w.key("reference");
  w.trusted_value(kUrnUuid, id.view());
  w.end_object();
}

void write_decimal(JsonWriter& w, const Quantity& q) {
  if (!q.value_text.empty()) w.number_text(q.value_text);
  else w.value(q.value);
}

void write_quantity(JsonWriter& w, const Quantity& q, bool simple) {
  w.begin_object();
  w.key("value");
  write_decimal(w, q);
  if (!simple) {
    switch (q.comparator) {
      case Comparator::lt: w.field("comparator", "<"); break;
      case Comparator::le: w.field("comparator", "<="); break;
      case Comparator::ge: w.field("comparator", ">="); break;
      case Comparator::gt: w.field("comparator", ">"); break;
      case Comparator::none: break;
    }
  }
  if (!q.unit.empty()) {
    w.field("unit", q.unit_text.empty() ? q.unit : q.unit_text);
    w.field("system", kUcumSystem);
    w.field("code", q.unit);
  } else if (!q.unit_text.empty()) {
    w.field("unit", q.unit_text);
  }
  w.end_object();
}

void write_age(JsonWriter& w, const Quantity& q) {
  w.begin_object();
  w.key("value");
  write_decimal(w, q);
  w.field("unit", q.unit_text.empty() ? q.unit : q.unit_text);
  w.field("system", kUcumSystem);
  w.field("code", q.unit);
  w.end_object();
}

void write_derivation_references(JsonWriter& w, const SourceDocument& doc, const std::string& document_ref,
                                 const std::vector<SourceRef>& sources) {
  // Compact output: everything before the offset is the same for every text span of a document,
  // so it is written as one piece (these extensions are most of a Bundle's bytes).
  thread_local std::string head, head_for;
  if (!w.pretty() && head_for != document_ref) {
    head = std::string("{\"url\":\"") + kDerivationReference + "\",\"extension\":[{\"url\":\"reference\",\"valueReference\":"
           "{\"reference\":\"" + document_ref + "\"}},{\"url\":\"offset\",\"valueInteger\":";
    head_for = document_ref;
  }
  for (const SourceRef& source : sources) {
    if (!w.pretty() && source.xpath.empty()) {
      const std::uint32_t begin = doc.code_points.offset(source.span.begin);
      const std::uint32_t end = doc.code_points.offset(source.span.end);
      // The rest, after the shared head: the offset, then the length element.
      constexpr std::string_view length_head = "},{\"url\":\"length\",\"valueInteger\":", closing = "}]}";
      char rest[2 * 10 + length_head.size() + closing.size()];   // two 32-bit numbers of at most 10 digits
      char* at = std::to_chars(rest, rest + 10, begin).ptr;
      at = std::copy(length_head.begin(), length_head.end(), at);
      at = std::to_chars(at, at + 10, end - begin).ptr;
      at = std::copy(closing.begin(), closing.end(), at);
      w.raw_value(head, std::string_view(rest, static_cast<std::size_t>(at - rest)));
      continue;
    }
    w.begin_object();
    w.field("url", kDerivationReference);
    w.key("extension");
    w.begin_array();
    w.begin_object();
    w.field("url", "reference");
    w.key("valueReference");
    write_reference(w, document_ref);
    w.end_object();
    if (!source.xpath.empty()) {
      w.begin_object();
      w.field("url", "path");
      w.field("valueString", source.xpath);
      w.end_object();
    }
    if (!source.span.empty() || source.xpath.empty()) {
      // With a path, the span already counts code points of that element's text (facts.h).
      const bool in_element = !source.xpath.empty();
      const std::uint32_t begin = in_element ? source.span.begin : doc.code_points.offset(source.span.begin);
      const std::uint32_t end = in_element ? source.span.end : doc.code_points.offset(source.span.end);
      w.begin_object();
      w.field("url", "offset");
      w.field("valueInteger", begin);
      w.end_object();
      w.begin_object();
      w.field("url", "length");
      w.field("valueInteger", end - begin);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
}

void write_trigger_flags(JsonWriter& w, const std::vector<TriggerCode>& triggers) {
  for (const TriggerCode& t : triggers) {
    w.begin_object();
    w.field("url", "http://hl7.org/fhir/us/ecr/StructureDefinition/eicr-trigger-code-flag-extension");
    w.key("extension");
    w.begin_array();
    w.begin_object();
    w.field("url", "triggerCodeValueSet");
    w.key("valueOid");
    w.value("urn:oid:" + t.value_set);
    w.end_object();
    if (!t.value_set_version.empty()) {
      w.begin_object();
      w.field("url", "triggerCodeValueSetVersion");
      w.field("valueString", t.value_set_version);
      w.end_object();
    }
    w.begin_object();
    w.field("url", "triggerCode");
    w.key("valueCoding");
    write_coding(w, t.code);
    w.end_object();
    w.end_array();
    w.end_object();
  }
}

}  // namespace casefhir::fhir
