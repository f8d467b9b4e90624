// fhir/resources.cpp — the resource builders. Element order follows the R4 StructureDefinitions
// so that output reads like the specification's examples.
#include "fhir/resources.h"

#include "fhir/datatypes.h"
#include "fhir/encoding.h"

namespace casefhir::fhir {

namespace {

// The UUID namespace of casefhir's resource ids: the v5 UUID of the URL
// "https://casefhir.invalid/resource-ids" in RFC 4122's URL namespace. Changing it changes every id.
constexpr std::string_view kIdNamespace = "1029a587-b0b0-5b99-8fcc-e0165f8790fb";

FhirJson category_list(const std::optional<Coding>& category) {
  FhirJson list = FhirJson::array();
  if (category) list.push_back(codeable_concept({*category}, ""));
  return list;
}

const char* interpretation_code(Interpretation i, const char*& display) {
  switch (i) {
    case Interpretation::normal: display = "Normal"; return "N";
    case Interpretation::high: display = "High"; return "H";
    case Interpretation::low: display = "Low"; return "L";
    case Interpretation::abnormal: display = "Abnormal"; return "A";
    case Interpretation::positive: display = "Positive"; return "POS";
    case Interpretation::negative: display = "Negative"; return "NEG";
    case Interpretation::none: break;
  }
  display = "";
  return nullptr;
}

FhirJson body_site(const BuildContext& ctx, const BodySite& site) {
  FhirJson cc = codeable_concept(site.site.codes, site.text);
  if (site.laterality) {
    const auto it = ctx.body_structures.find(site_key(site));
    if (it != ctx.body_structures.end()) {
      // R4: a CodeableConcept cannot carry laterality; the core bodySite extension points at a
      // BodyStructure whose locationQualifier holds it.
      FhirJson ext;
      ext["url"] = kBodySiteExtension;
      ext["valueReference"] = reference(it->second);
      FhirJson with_ext;
      with_ext["extension"] = FhirJson::array({ext});
      for (auto& [k, v] : cc.items()) with_ext[k] = v;
      return with_ext;
    }
  }
  return cc;
}

FhirJson onset_age(const Quantity& q) {
  FhirJson j;
  j["value"] = decimal(q);
  j["unit"] = q.unit_text.empty() ? q.unit : q.unit_text;
  j["system"] = kUcumSystem;
  j["code"] = q.unit;
  return j;
}

const ResourceRule* rule(const BuildContext& ctx, ConceptKind kind) { return ctx.mappings.rule_for(kind); }

}  // namespace

std::string BuildContext::id_for(std::string_view type, std::string_view identity) const {
  std::string name = source_hash;
  name += '|';
  name += type;
  name += '|';
  name += identity;
  return uuid_v5(kIdNamespace, name);
}

std::string site_key(const BodySite& site) {
  return site.site.id + "/" + (site.laterality ? site.laterality->id : std::string());
}

FhirJson start_resource(const BuildContext& ctx, const char* type, const std::string& id, const std::vector<SourceRef>& sources) {
  FhirJson r;
  r["resourceType"] = type;
  if (ctx.options.type != BundleType::transaction) r["id"] = id;
  if (!sources.empty()) r["extension"] = derivation_references(ctx.doc, ctx.document_ref, sources);
  FhirJson identifier;
  identifier["system"] = "urn:ietf:rfc:3986";
  identifier["value"] = "urn:uuid:" + id;
  r["identifier"] = FhirJson::array({identifier});
  return r;
}

FhirJson build_patient(const BuildContext& ctx, const std::string& id) {
  const PatientFacts& p = ctx.facts.patient;
  FhirJson r = start_resource(ctx, "Patient", id, p.gender_sources);
  if (p.gender) r["gender"] = *p.gender == Gender::male ? "male" : "female";
  return r;
}

FhirJson build_age_observation(const BuildContext& ctx, const std::string& id) {
  const PatientFacts& p = ctx.facts.patient;
  FhirJson r = start_resource(ctx, "Observation", id, p.age_sources);
  r["status"] = "final";
  r["code"] = codeable_concept(ctx.mappings.demographics().age_codes, "Age");
  r["subject"] = reference(ctx.patient_ref);
  r["valueQuantity"] = quantity(*p.age);
  return r;
}

FhirJson build_document_reference(const BuildContext& ctx, const std::string& id) {
  FhirJson r = start_resource(ctx, "DocumentReference", id, {});
  r["status"] = "current";
  r["subject"] = reference(ctx.patient_ref);
  r["description"] = "Source text of the case report; derivation-reference offsets count its Unicode code points";
  FhirJson attachment;
  attachment["contentType"] = ctx.doc.media_type + "; charset=utf-8";
  attachment["data"] = base64(ctx.doc.text);
  attachment["size"] = ctx.doc.text.size();
  const Sha1Digest digest = sha1(ctx.doc.text);
  attachment["hash"] = base64(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  if (ctx.doc.name != "-" && !ctx.doc.name.empty()) {
    const auto slash = ctx.doc.name.find_last_of('/');
    attachment["title"] = slash == std::string::npos ? ctx.doc.name : ctx.doc.name.substr(slash + 1);
  }
  FhirJson content;
  content["attachment"] = std::move(attachment);
  r["content"] = FhirJson::array({content});
  return r;
}

FhirJson build_condition(const BuildContext& ctx, const std::string& id, std::size_t index) {
  const Fact& f = ctx.facts.facts[index];
  FhirJson r = start_resource(ctx, "Condition", id, f.sources);
  // Negated → refuted follows the C-CDA on FHIR IG's negationInd mapping. A refuted condition is
  // not active; R5 made con-3 require a clinical status whenever it is not entered-in-error.
  // A historical condition is inactive unless its onset says it goes on ("for 10 years", "since").
  const bool ongoing = f.onset && (f.onset->text.rfind("for ", 0) == 0 || f.onset->text.rfind("since ", 0) == 0);
  const bool inactive = f.assertion == Assertion::absent || (f.temporality == Temporality::historical && !ongoing);
  r["clinicalStatus"] = hl7_concept("condition-clinical", inactive ? "inactive" : "active", inactive ? "Inactive" : "Active");
  switch (f.assertion) {
    case Assertion::present: r["verificationStatus"] = hl7_concept("condition-ver-status", "confirmed", "Confirmed"); break;
    case Assertion::absent: r["verificationStatus"] = hl7_concept("condition-ver-status", "refuted", "Refuted"); break;
    case Assertion::possible: r["verificationStatus"] = hl7_concept("condition-ver-status", "provisional", "Provisional"); break;
    case Assertion::differential: r["verificationStatus"] = hl7_concept("condition-ver-status", "differential", "Differential"); break;
  }
  if (const ResourceRule* rr = rule(ctx, f.code.kind); rr && rr->category) r["category"] = category_list(rr->category);
  r["code"] = codeable_concept(f.code);
  if (!f.sites.empty()) {
    FhirJson sites = FhirJson::array();
    for (const auto& s : f.sites) sites.push_back(body_site(ctx, s));
    r["bodySite"] = std::move(sites);
  }
  r["subject"] = reference(ctx.patient_ref);
  if (f.onset) {
    if (f.onset->age) r["onsetAge"] = onset_age(*f.onset->age);
    else r["onsetString"] = f.onset->text;
  }
  if (!f.evidence.empty()) {
    FhirJson detail = FhirJson::array();
    for (const std::size_t e : f.evidence)
      if (!ctx.fact_refs[e].empty()) detail.push_back(reference(ctx.fact_refs[e]));
    if (!detail.empty()) {
      FhirJson evidence;
      evidence["detail"] = std::move(detail);
      r["evidence"] = FhirJson::array({evidence});
    }
  }
  return r;
}

FhirJson build_observation(const BuildContext& ctx, const std::string& id, std::size_t index) {
  const Fact& f = ctx.facts.facts[index];
  const ObservationValues& values = ctx.mappings.observation_values();
  FhirJson r = start_resource(ctx, "Observation", id, f.sources);
  if (f.part_of && !ctx.fact_refs[*f.part_of].empty()) r["partOf"] = FhirJson::array({reference(ctx.fact_refs[*f.part_of])});
  r["status"] = "final";
  const ResourceRule* rr = rule(ctx, f.code.kind);
  if (f.code.kind != ConceptKind::lab && !f.observation_category.empty()) {
    const char* display = f.observation_category == "laboratory" ? "Laboratory"
                          : f.observation_category == "imaging"  ? "Imaging"
                          : f.observation_category == "procedure" ? "Procedure"
                          : f.observation_category == "vital-signs" ? "Vital Signs"
                                                                    : "Exam";
    r["category"] = FhirJson::array({hl7_concept("observation-category", f.observation_category.c_str(), display)});
  } else if (rr && rr->category) {
    r["category"] = category_list(rr->category);
  }
  r["code"] = codeable_concept(f.code);
  r["subject"] = reference(ctx.patient_ref);
  if (f.result) {
    if (f.result->value) r["valueQuantity"] = quantity(*f.result->value);
    const char* display = nullptr;
    if (const char* code = interpretation_code(f.result->interpretation, display))
      r["interpretation"] = FhirJson::array({hl7_concept("v3-ObservationInterpretation", code, display)});
  } else {
    const std::optional<Coding>& value = f.assertion == Assertion::present  ? values.present
                                         : f.assertion == Assertion::absent ? values.absent
                                                                            : values.possible;
    if (value) r["valueCodeableConcept"] = codeable_concept({*value}, "");
  }
  if (!f.sites.empty()) r["bodySite"] = body_site(ctx, f.sites.front());
  if (f.method && !f.method->codes.empty()) r["method"] = codeable_concept(*f.method);
  if (f.result && (f.result->range_low || f.result->range_high)) {
    FhirJson range;
    if (f.result->range_low) range["low"] = quantity(*f.result->range_low, true);
    if (f.result->range_high) range["high"] = quantity(*f.result->range_high, true);
    if (!f.result->range_text.empty()) range["text"] = f.result->range_text;
    r["referenceRange"] = FhirJson::array({range});
  }
  if (!f.sizes.empty()) {
    FhirJson components = FhirJson::array();
    for (std::size_t i = 0; i < f.sizes.size() && i < values.size_components.size(); ++i) {
      FhirJson c;
      c["code"] = codeable_concept({values.size_components[i]}, "");
      c["valueQuantity"] = quantity(f.sizes[i]);
      components.push_back(std::move(c));
    }
    if (!components.empty()) r["component"] = std::move(components);
  }
  return r;
}

FhirJson build_procedure(const BuildContext& ctx, const std::string& id, std::size_t index) {
  const Fact& f = ctx.facts.facts[index];
  FhirJson r = start_resource(ctx, "Procedure", id, f.sources);
  r["status"] = f.assertion == Assertion::present ? "completed" : f.assertion == Assertion::absent ? "not-done" : "unknown";
  r["code"] = codeable_concept(f.code);
  r["subject"] = reference(ctx.patient_ref);
  if (!f.sites.empty()) {
    FhirJson sites = FhirJson::array();
    for (const auto& s : f.sites) sites.push_back(body_site(ctx, s));
    r["bodySite"] = std::move(sites);
  }
  return r;
}

FhirJson build_family_member_history(const BuildContext& ctx, const std::string& id, const std::vector<std::size_t>& facts) {
  std::vector<SourceRef> sources;
  for (const std::size_t i : facts)
    for (const auto& s : ctx.facts.facts[i].sources) sources.push_back(s);
  const Fact& first = ctx.facts.facts[facts.front()];
  FhirJson r = start_resource(ctx, "FamilyMemberHistory", id, sources);
  r["status"] = "completed";
  r["patient"] = reference(ctx.patient_ref);
  r["relationship"] = codeable_concept({*first.relationship}, "");
  FhirJson conditions = FhirJson::array();
  for (const std::size_t i : facts) {
    const Fact& f = ctx.facts.facts[i];
    FhirJson c;
    c["code"] = codeable_concept(f.code);
    if (f.onset && f.onset->age) c["onsetAge"] = onset_age(*f.onset->age);
    else if (f.onset) c["onsetString"] = f.onset->text;
    conditions.push_back(std::move(c));
  }
  r["condition"] = std::move(conditions);
  return r;
}

FhirJson build_body_structure(const BuildContext& ctx, const std::string& id, const BodySite& site) {
  FhirJson r = start_resource(ctx, "BodyStructure", id, {site.source});
  r["location"] = codeable_concept(site.site.codes, site.site.text);
  if (site.laterality) r["locationQualifier"] = FhirJson::array({codeable_concept(*site.laterality)});
  r["description"] = site.text;
  r["patient"] = reference(ctx.patient_ref);
  return r;
}

}  // namespace casefhir::fhir
