// fhir/bundle.cpp — build_bundle: decides which fact becomes which resource (the `resources`
// mapping rules: kind → resource; a relative's finding → FamilyMemberHistory), gives each a
// deterministic id, and writes a collection or transaction Bundle in source order.
#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "casefhir/errors.h"
#include "casefhir/fhir.h"
#include "fhir/encoding.h"
#include "fhir/resources.h"
#include "fhir/transaction.h"

namespace casefhir {

namespace {

using fhir::BuildContext;
using fhir::JsonWriter;
using fhir::ResourceId;
using fhir::reference_to;

ResourceType resource_for(const Mappings& m, const Fact& f) {
  const ResourceRule* rule = m.rule_for(f.code.kind);
  if (!rule) return ResourceType::none;
  if (f.experiencer == Experiencer::family) return rule->family_resource;
  if (f.experiencer == Experiencer::other) return ResourceType::none;
  return rule->resource;
}

// CaseFacts is a public struct that a caller may fill by hand: the indexes between facts (and, below,
// a relative's relationship) are checked before anything is written, and a fact that breaks them
// fails the document with Error(input_malformed) saying where and why, never an out-of-range read.
void check_facts(const CaseFacts& facts) {
  const std::size_t n = facts.facts.size();
  auto fail = [&](const std::string& pointer, const std::string& reason) {
    throw Error(ErrorKind::input_malformed, Location{"CaseFacts", 0, 0, pointer}, reason);
  };
  // The pointer is spelled only when a check fails (`pointer` makes it).
  auto check_index = [&](std::size_t index, auto&& pointer) {
    if (index >= n)
      fail(pointer(), "names fact " + std::to_string(index) + ", but there are " + std::to_string(n) + " facts");
  };
  if (facts.principal_diagnosis) check_index(*facts.principal_diagnosis, [] { return std::string("/principal_diagnosis"); });
  for (std::size_t i = 0; i < n; ++i) {
    const Fact& f = facts.facts[i];
    const auto at = [i](const char* rest) { return "/facts/" + std::to_string(i) + rest; };
    if (f.part_of) check_index(*f.part_of, [&] { return at("/part_of"); });
    if (f.relative_time && f.relative_time->anchor == RelativeTime::Anchor::procedure) {
      if (!f.relative_time->procedure) fail(at("/relative_time"), "is relative to a procedure but names none");
      check_index(*f.relative_time->procedure, [&] { return at("/relative_time/procedure"); });
    }
    for (std::size_t k = 0; k < f.evidence.size(); ++k)
      check_index(f.evidence[k], [&] { return at("/evidence/") + std::to_string(k); });
  }
}

// One FamilyMemberHistory per relative: by relationship, and by which relative when the source
// tells two of one relationship apart (two brothers).
std::string relative_key(const Fact& f) {
  return f.relative.empty() ? f.relationship->code : f.relationship->code + "|" + f.relative;
}

}  // namespace

namespace {

BundleText build_cases(const SourceDocument& doc, const std::vector<const CaseFacts*>& cases, const Mappings& mappings,
                       const BundleOptions& options, const BundleSink* sink) {
  std::size_t all_facts = 0;
  for (const CaseFacts* c : cases) {
    check_facts(*c);
    all_facts += c->facts.size();
  }
  const BuildContext shared(doc, *cases.front(), mappings, options);
  const ResourceId document_id(shared.id_for("DocumentReference", "source"));

  BundleText result;
  std::string& out = result.json;
  // One allocation: the source text's base64 plus about 1.5 KB per resource (measured on the
  // samples), so appending never reallocates and copies the Bundle written so far.
  // Streaming, the string holds about a megabyte at a time.
  constexpr std::size_t kFlushAt = std::size_t{1} << 20;
  JsonWriter w(out, options.pretty, sink);
  if (w.streaming()) out.reserve(kFlushAt + (std::size_t{1} << 16));
  else out.reserve(doc.text.size() * 4 / 3 + doc.original.size() * 4 / 3 + (all_facts + 4 * cases.size()) * 1536 + 8192);
  w.begin_object();
  w.field("resourceType", "Bundle");
  w.key("id");
  w.trusted_value(shared.id_for("Bundle", options.type == BundleType::transaction ? "transaction" : "collection").view());
  w.field("type", options.type == BundleType::transaction ? "transaction" : "collection");
  w.key("entry");
  w.begin_array();
  // One entry: fullUrl, the resource (written by `write`), and for a transaction the request.
  auto entry = [&](const char* type, const ResourceId& id, auto&& write) {
    w.begin_object();
    w.key("fullUrl");
    w.trusted_value(fhir::kUrnUuid, id.view());
    w.key("resource");
    write();
    if (options.type == BundleType::transaction) {
      w.key("request");
      w.begin_object();
      // Conditional create: importing the same report twice does not duplicate it.
      const fhir::ConditionalCreate request = fhir::conditional_create(type, fhir::kIdentifierSystem, id.identifier.view());
      w.field("method", fhir::ConditionalCreate::method);
      w.field("url", request.url);
      w.field("ifNoneExist", request.if_none_exist);
      w.end_object();
    }
    w.end_object();
    ++result.resources;
    if (out.size() >= kFlushAt) w.flush();
  };

  for (std::size_t k = 0; k < cases.size(); ++k) {
    const CaseFacts& facts = *cases[k];
    BuildContext ctx(shared, facts);
    if (!facts.case_id.empty()) ctx.case_prefix = facts.case_id + "/";
    ctx.several_patients = cases.size() > 1 || !facts.case_id.empty();
    const ResourceId patient_id(ctx.id_for("Patient", "patient"));
    ctx.patient_id = patient_id.uuid;
    ctx.document_ref = reference_to(document_id.uuid);
    // Ids: one per fact that is a resource of its own, numbered per concept for repeats; one
    // FamilyMemberHistory per relative; one BodyStructure per laterality-qualified site.
    std::vector<ResourceType> types(facts.facts.size(), ResourceType::none);
    ctx.fact_ids.assign(facts.facts.size(), std::nullopt);
    // Per resource type, so that no "type|identity" key is built for them; only looked up, so
    // hashed, and the ordinals keyed by the facts' own strings (they outlive this loop).
    constexpr std::size_t kTypes = static_cast<std::size_t>(ResourceType::FamilyMemberHistory) + 1;   // the last type
    std::array<std::unordered_map<std::string_view, int>, kTypes> ordinal;
    std::array<std::unordered_set<std::string>, kTypes> identities_in_use;
    std::map<std::string, std::vector<std::size_t>> relatives;   // relative_key → facts
    std::string identity;
    for (std::size_t i = 0; i < facts.facts.size(); ++i) {
      const Fact& f = facts.facts[i];
      types[i] = resource_for(mappings, f);
      if (types[i] == ResourceType::none) continue;
      if (types[i] == ResourceType::FamilyMemberHistory) {
        if (!f.relationship)   // facts_from_text sets aside a relative without one
          throw Error(ErrorKind::input_malformed, Location{"CaseFacts", 0, 0, "/facts/" + std::to_string(i) + "/relationship"},
                      "a relative's fact needs the relationship (v3 RoleCode) to become a FamilyMemberHistory");
        relatives[relative_key(f)].push_back(i);
        continue;
      }
      // A source's own identity for the fact (a coded entry's id), else the concept and its ordinal.
      // A source that repeats an id (copied entries) still gets one resource per fact.
      const std::string& base = f.identity.empty() ? f.code.id : f.identity;
      const auto type = static_cast<std::size_t>(types[i]);
      do {   // until free: a source's own id may already read "…#1"
        const int n = ordinal[type][base]++;
        identity = base;
        if (f.identity.empty() || n != 0) {
          char digits[12];
          identity += f.identity.empty() ? '/' : '#';
          identity.append(digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, n).ptr - digits));
        }
      } while (!identities_in_use[type].insert(identity).second);
      ctx.fact_ids[i] = ctx.id_for(to_string(types[i]), identity);
      for (const BodySite& site : f.sites) {
        if (!site.laterality) continue;
        std::string key = fhir::site_key(site);
        if (!ctx.body_structures.count(key)) {
          std::string reference = reference_to(ctx.id_for("BodyStructure", key));
          ctx.body_structures.emplace(std::move(key), std::move(reference));
        }
      }
    }

    entry("Patient", patient_id, [&] { fhir::write_patient(w, ctx, patient_id); });
    if (k == 0) entry("DocumentReference", document_id, [&] { fhir::write_document_reference(w, ctx, document_id); });
    if (facts.patient.age) {
      const ResourceId id(ctx.id_for("Observation", "age"));
      entry("Observation", id, [&] { fhir::write_age_observation(w, ctx, id); });
    }
    // The Encounter: when the report names the diagnosis of the case, or dates a fact of the patient
    // relative to the stay.
    std::optional<std::size_t> principal;
    if (facts.principal_diagnosis && types[*facts.principal_diagnosis] == ResourceType::Condition) principal = facts.principal_diagnosis;
    std::vector<SourceRef> stay_times;
    for (std::size_t i = 0; i < facts.facts.size(); ++i) {
      const Fact& f = facts.facts[i];
      const bool written = types[i] == ResourceType::Observation || types[i] == ResourceType::Condition ||
                           (types[i] == ResourceType::Procedure && f.assertion == Assertion::present);
      if (written && !f.date && f.relative_time && f.relative_time->anchor != RelativeTime::Anchor::procedure &&
          std::find(stay_times.begin(), stay_times.end(), f.relative_time->source) == stay_times.end())
        stay_times.push_back(f.relative_time->source);
    }
    if (principal || !stay_times.empty()) {
      const ResourceId id(ctx.id_for("Encounter", "case"));
      ctx.encounter_id = id.uuid;
      entry("Encounter", id, [&] {
        fhir::write_encounter(w, ctx, id, principal, principal ? facts.facts[*principal].sources : stay_times);
      });
    }
    std::map<std::string, bool> emitted_sites, emitted_relatives;
    for (std::size_t i = 0; i < facts.facts.size(); ++i) {
      const Fact& f = facts.facts[i];
      if (types[i] == ResourceType::none) continue;
      if (types[i] == ResourceType::FamilyMemberHistory) {
        const std::string code = relative_key(f);
        if (emitted_relatives[code]) continue;
        emitted_relatives[code] = true;
        const ResourceId id(ctx.id_for("FamilyMemberHistory", code));
        entry("FamilyMemberHistory", id, [&] { fhir::write_family_member_history(w, ctx, id, relatives[code]); });
        continue;
      }
      for (const BodySite& site : f.sites) {
        if (!site.laterality) continue;
        const std::string key = fhir::site_key(site);
        if (emitted_sites[key]) continue;
        emitted_sites[key] = true;
        const ResourceId id(ctx.id_for("BodyStructure", key));
        entry("BodyStructure", id, [&] { fhir::write_body_structure(w, ctx, id, site); });
      }
      const ResourceId id(*ctx.fact_ids[i]);
      switch (types[i]) {
        case ResourceType::Condition: entry("Condition", id, [&] { fhir::write_condition(w, ctx, id, i); }); break;
        case ResourceType::Observation: entry("Observation", id, [&] { fhir::write_observation(w, ctx, id, i); }); break;
        case ResourceType::Procedure: entry("Procedure", id, [&] { fhir::write_procedure(w, ctx, id, i); }); break;
        default: break;
      }
    }
  }
  w.end_array();
  w.end_object();
  out.push_back('\n');
  w.flush();
  return result;
}

std::vector<const CaseFacts*> each_case(const std::vector<CaseFacts>& cases) {
  if (cases.empty()) throw Error(ErrorKind::input_malformed, Location{"CaseFacts", 0, 0, {}}, "a case series with no case");
  std::vector<const CaseFacts*> all;
  for (const CaseFacts& c : cases) all.push_back(&c);
  return all;
}

}  // namespace

BundleText build_bundle(const SourceDocument& doc, const CaseFacts& facts, const Mappings& mappings,
                        const BundleOptions& options) {
  return build_cases(doc, {&facts}, mappings, options, nullptr);
}

BundleText build_bundle(const SourceDocument& doc, const CaseFacts& facts, const Mappings& mappings, const BundleOptions& options,
                        const BundleSink& sink) {
  return build_cases(doc, {&facts}, mappings, options, &sink);
}

BundleText build_bundle(const SourceDocument& doc, const std::vector<CaseFacts>& cases, const Mappings& mappings,
                        const BundleOptions& options) {
  return build_cases(doc, each_case(cases), mappings, options, nullptr);
}

BundleText build_bundle(const SourceDocument& doc, const std::vector<CaseFacts>& cases, const Mappings& mappings,
                        const BundleOptions& options, const BundleSink& sink) {
  return build_cases(doc, each_case(cases), mappings, options, &sink);
}

}  // namespace casefhir
