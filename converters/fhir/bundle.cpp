// fhir/bundle.cpp — build_bundle: decides which fact becomes which resource (the `resources`
// mapping rules: kind → resource; a relative's finding → FamilyMemberHistory), gives each a
// deterministic id, and assembles a collection or transaction Bundle in source order.
#include <map>

#include "casefhir/fhir.h"
#include "fhir/encoding.h"
#include "fhir/resources.h"

namespace casefhir {

namespace {

using fhir::BuildContext;

ResourceType resource_for(const Mappings& m, const Fact& f) {
  const ResourceRule* rule = m.rule_for(f.code.kind);
  if (!rule) return ResourceType::none;
  if (f.experiencer == Experiencer::family) return rule->family_resource;
  if (f.experiencer == Experiencer::other) return ResourceType::none;
  return rule->resource;
}

}  // namespace

FhirJson build_bundle(const SourceDocument& doc, const CaseFacts& facts, const Mappings& mappings, const BundleOptions& options) {
  BuildContext ctx{doc, facts, mappings, options, fhir::to_hex(fhir::sha1(doc.text)), {}, {}, {}, {}};
  const std::string patient_id = ctx.id_for("Patient", "patient");
  const std::string document_id = ctx.id_for("DocumentReference", "source");
  ctx.patient_ref = "urn:uuid:" + patient_id;
  ctx.document_ref = "urn:uuid:" + document_id;

  // Ids: one per fact that is a resource of its own, numbered per concept for repeats; one
  // FamilyMemberHistory per relative; one BodyStructure per laterality-qualified site.
  std::vector<std::string> fact_ids(facts.facts.size());
  std::vector<ResourceType> types(facts.facts.size(), ResourceType::none);
  ctx.fact_refs.assign(facts.facts.size(), "");
  std::map<std::string, int> ordinal;
  std::map<std::string, std::vector<std::size_t>> relatives;   // relationship code → facts
  std::vector<std::string> relative_order;
  for (std::size_t i = 0; i < facts.facts.size(); ++i) {
    const Fact& f = facts.facts[i];
    types[i] = resource_for(mappings, f);
    if (types[i] == ResourceType::none) continue;
    if (types[i] == ResourceType::FamilyMemberHistory) {
      const std::string code = f.relationship ? f.relationship->code : "FAMMEMB";
      if (!relatives.count(code)) relative_order.push_back(code);
      relatives[code].push_back(i);
      continue;
    }
    const std::string type(to_string(types[i]));
    const std::string identity = f.code.id + "/" + std::to_string(ordinal[type + f.code.id]++);
    fact_ids[i] = ctx.id_for(type, identity);
    ctx.fact_refs[i] = "urn:uuid:" + fact_ids[i];
    for (const BodySite& site : f.sites)
      if (site.laterality && !ctx.body_structures.count(fhir::site_key(site)))
        ctx.body_structures[fhir::site_key(site)] = "urn:uuid:" + ctx.id_for("BodyStructure", fhir::site_key(site));
  }

  FhirJson entries = FhirJson::array();
  auto add = [&](const std::string& id, FhirJson resource) {
    FhirJson entry;
    entry["fullUrl"] = "urn:uuid:" + id;
    const std::string type = resource["resourceType"].get<std::string>();
    entry["resource"] = std::move(resource);
    if (options.type == BundleType::transaction) {
      FhirJson request;
      request["method"] = "POST";
      request["url"] = type;
      // Conditional create: importing the same report twice does not duplicate it.
      request["ifNoneExist"] = "identifier=urn:ietf:rfc:3986|urn:uuid:" + id;
      entry["request"] = std::move(request);
    }
    entries.push_back(std::move(entry));
  };

  add(patient_id, fhir::build_patient(ctx, patient_id));
  add(document_id, fhir::build_document_reference(ctx, document_id));
  if (facts.patient.age) {
    const std::string id = ctx.id_for("Observation", "age");
    add(id, fhir::build_age_observation(ctx, id));
  }
  std::map<std::string, bool> emitted_sites;
  std::map<std::string, bool> emitted_relatives;
  for (std::size_t i = 0; i < facts.facts.size(); ++i) {
    const Fact& f = facts.facts[i];
    if (types[i] == ResourceType::none) continue;
    if (types[i] == ResourceType::FamilyMemberHistory) {
      const std::string code = f.relationship ? f.relationship->code : "FAMMEMB";
      if (emitted_relatives[code]) continue;
      emitted_relatives[code] = true;
      const std::string id = ctx.id_for("FamilyMemberHistory", code);
      add(id, fhir::build_family_member_history(ctx, id, relatives[code]));
      continue;
    }
    for (const BodySite& site : f.sites) {
      const std::string key = fhir::site_key(site);
      if (!site.laterality || emitted_sites[key]) continue;
      emitted_sites[key] = true;
      const std::string id = ctx.id_for("BodyStructure", key);
      add(id, fhir::build_body_structure(ctx, id, site));
    }
    switch (types[i]) {
      case ResourceType::Condition: add(fact_ids[i], fhir::build_condition(ctx, fact_ids[i], i)); break;
      case ResourceType::Observation: add(fact_ids[i], fhir::build_observation(ctx, fact_ids[i], i)); break;
      case ResourceType::Procedure: add(fact_ids[i], fhir::build_procedure(ctx, fact_ids[i], i)); break;
      default: break;
    }
  }

  FhirJson bundle;
  bundle["resourceType"] = "Bundle";
  bundle["id"] = ctx.id_for("Bundle", options.type == BundleType::transaction ? "transaction" : "collection");
  bundle["type"] = options.type == BundleType::transaction ? "transaction" : "collection";
  bundle["entry"] = std::move(entries);
  return bundle;
}

}  // namespace casefhir
