#include "eval/bundle_view.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "fhir/datatypes.h"

namespace casefhir::eval {

namespace {

using FhirJson = nlohmann::ordered_json;

std::string first_code(const FhirJson& cc) {
  if (!cc.is_object() || !cc.contains("coding") || cc["coding"].empty()) return {};
  return cc["coding"][0].value("code", "");
}

void add_codes(const FhirJson& cc, ResourceView& v) {
  if (!cc.is_object() || !cc.contains("coding")) return;
  for (const auto& c : cc["coding"]) v.codes.emplace_back(c.value("system", ""), c.value("code", ""));
}

}  // namespace

bool ResourceView::has_code(const std::string& system, const std::string& code) const {
  for (const auto& [s, c] : codes)
    if (s == system && c == code) return true;
  return false;
}

bool ResourceView::negated_at(const SpanRef& mention, std::span<const std::uint32_t> sentence_breaks) const {
  if (negated()) return true;
  if (type != "Condition" || clinical != "resolved") return false;
  if (!resolution) return true;   // no words to place the resolution: every mention says it
  const auto sentence = [&](std::uint32_t offset) {
    return std::upper_bound(sentence_breaks.begin(), sentence_breaks.end(), offset) - sentence_breaks.begin();
  };
  return sentence(mention.offset) == sentence(resolution->offset);
}

bool ResourceView::negated() const {
  if (type == "Condition") return verification == "refuted";
  if (type == "Observation") return presence == "absent";
  if (type == "Procedure") return verification == "not-done";
  return false;
}

std::vector<ResourceView> view_bundle(std::string_view bundle_json, const Mappings& mappings) {
  const FhirJson bundle = FhirJson::parse(bundle_json);
  const ObservationValues& values = mappings.observation_values();
  const auto is = [](const std::optional<Coding>& c, const std::string& code) { return c && c->code == code; };
  std::vector<ResourceView> out;
  if (!bundle.contains("entry")) return out;
  for (const auto& entry : bundle["entry"]) {
    const auto& r = entry["resource"];
    ResourceView v;
    v.type = r.value("resourceType", "");
    if (v.type == "DocumentReference" || v.type == "BodyStructure") continue;
    v.full_url = entry.value("fullUrl", "");
    for (const auto& d : r.value("diagnosis", FhirJson::array()))
      if (d.value("rank", 0) == 1 && d.contains("condition")) v.principal = d["condition"].value("reference", "");
    if (r.contains("code")) add_codes(r["code"], v);
    if (r.contains("condition"))
      for (const auto& c : r["condition"]) add_codes(c["code"], v);
    if (r.contains("verificationStatus")) v.verification = first_code(r["verificationStatus"]);
    if (r.contains("clinicalStatus")) v.clinical = first_code(r["clinicalStatus"]);
    if (r.contains("category") && !r["category"].empty()) v.category = first_code(r["category"][0]);
    if (v.type == "Procedure") v.verification = r.value("status", "");
    if (r.contains("valueCodeableConcept")) {
      const std::string code = first_code(r["valueCodeableConcept"]);
      // A finding's presence; any other coded value ("ECG: normal sinus rhythm") is a result.
      v.presence = is(values.absent, code) ? "absent" : is(values.present, code) ? "present" : is(values.possible, code) ? "possible" : "";
    }
    if (r.contains("interpretation")) v.interpretation = first_code(r["interpretation"][0]);
    v.has_value = r.contains("valueQuantity");
    auto number_of = [&](const FhirJson& quantity) {
      if (quantity.is_object() && quantity.contains("value") && quantity["value"].is_number()) v.values.push_back(quantity["value"].get<double>());
    };
    if (r.contains("valueQuantity")) number_of(r["valueQuantity"]);
    if (r.contains("valueRange")) {
      number_of(r["valueRange"].value("low", FhirJson::object()));
      number_of(r["valueRange"].value("high", FhirJson::object()));
    }
    if (r.contains("valueRatio")) {
      number_of(r["valueRatio"].value("numerator", FhirJson::object()));
      number_of(r["valueRatio"].value("denominator", FhirJson::object()));
    }
    for (const auto& c : r.value("component", FhirJson::array())) number_of(c.value("valueQuantity", FhirJson::object()));
    if (r.contains("relationship")) v.relationship = first_code(r["relationship"]);
    v.gender = r.value("gender", "");
    bool is_age = false;
    for (const auto& c : mappings.demographics().age_codes) is_age = is_age || v.has_code(c.system, c.code);
    if (is_age && r.contains("valueQuantity")) {
      const auto& q = r["valueQuantity"];
      const double value = q["value"].get<double>();
      const std::string unit = q.value("code", "a");
      v.age = unit == "a" ? value : unit == "mo" ? value / 12 : unit == "wk" ? value / 52.1775 : unit == "d" ? value / 365.25 : value;
    }
    auto span_of = [](const FhirJson& ext) {
      SpanRef s;
      for (const auto& x : ext["extension"]) {
        if (x["url"] == "offset") s.offset = x["valueInteger"].get<std::uint32_t>();
        if (x["url"] == "length") s.length = x["valueInteger"].get<std::uint32_t>();
      }
      return s;
    };
    for (const auto& ext : r.value("extension", FhirJson::array()))
      if (ext.value("url", "") == fhir::kDerivationReference) v.spans.push_back(span_of(ext));
    if (r.contains("_abatementString"))
      for (const auto& ext : r["_abatementString"].value("extension", FhirJson::array()))
        if (ext.value("url", "") == fhir::kDerivationReference) v.resolution = span_of(ext);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace casefhir::eval
