// report.cpp — conversion_report: what a conversion read but did not convert, or converted
// without a code, as the JSON of `casefhir convert --report`. The evaluations read it too, so that
// they measure what a user receives: the Bundle and this report.
#include <nlohmann/json.hpp>

#include "casefhir/converter.h"

namespace casefhir {

std::string conversion_report(const Conversion& c) {
  nlohmann::ordered_json r;
  r["source"] = c.document.name;
  r["media_type"] = c.document.media_type;
  if (!c.document.title.empty()) r["title"] = c.document.title;
  for (const Identifier& i : c.document.identifiers) r["identifiers"].push_back({{"system", i.system}, {"value", i.value}});
  if (!c.not_converted.empty()) {   // no Bundle: the reason is the report
    r["not_converted"] = c.not_converted;
    return r.dump(2) + "\n";
  }
  auto span_json = [&](const SourceRef& s) {
    nlohmann::ordered_json j;
    if (!s.xpath.empty()) {   // structured input: the element, and where in its text (facts.h)
      j["path"] = s.xpath;
      if (!s.span.empty()) {
        j["offset"] = s.span.begin;
        j["length"] = s.span.size();
      }
      return j;
    }
    j["offset"] = c.document.code_points.offset(s.span.begin);
    j["length"] = c.document.code_points.offset(s.span.end) - c.document.code_points.offset(s.span.begin);
    j["text"] = std::string(c.document.view(s.span));
    return j;
  };
  nlohmann::ordered_json sections = nlohmann::ordered_json::array();
  for (const auto& s : c.document.sections) {
    nlohmann::ordered_json j;
    j["role"] = s.role.empty() ? "unlabelled" : s.role;
    if (!s.heading.empty()) j["heading"] = s.heading;
    j["offset"] = c.document.code_points.offset(s.body.begin);
    j["length"] = c.document.code_points.offset(s.body.end) - c.document.code_points.offset(s.body.begin);
    sections.push_back(std::move(j));
  }
  r["sections"] = std::move(sections);
  r["resources"] = c.resources;
  nlohmann::ordered_json aside = nlohmann::ordered_json::array();
  for (const auto& s : c.facts.set_aside) {
    auto j = span_json(s.source);
    j["concept"] = s.concept_id;
    j["reason"] = s.reason;
    aside.push_back(std::move(j));
  }
  r["set_aside"] = std::move(aside);
  nlohmann::ordered_json unmapped = nlohmann::ordered_json::array();
  for (const auto& s : c.facts.unmapped) unmapped.push_back(span_json(s));
  r["unmapped_sentences"] = std::move(unmapped);
  // Results of tests the mappings have no code for: written as Observations named by their words.
  nlohmann::ordered_json uncoded = nlohmann::ordered_json::array();
  for (const auto& f : c.facts.facts)
    if (f.code.kind == ConceptKind::lab && f.code.codes.empty() && !f.sources.empty()) {
      auto j = span_json(f.sources.front());
      if (f.sources.size() > 1 && f.sources[1].xpath.empty()) j["result"] = std::string(c.document.view(f.sources[1].span));
      j["reason"] = f.result && f.result->unit_contradicts_code
                        ? "the unit " + f.result->value->unit + " measures another property than the code of " + f.code.id
                        : std::string("no mapping names this test");
      uncoded.push_back(std::move(j));
    }
  r["uncoded_results"] = std::move(uncoded);
  return r.dump(2) + "\n";
}


}  // namespace casefhir
