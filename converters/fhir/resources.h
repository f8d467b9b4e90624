// fhir/resources.h — one builder per FHIR resource type, all reading the same BuildContext.
// bundle.cpp decides which fact becomes which resource (from the `resources` mapping rules) and
// assembles the Bundle; these functions only know how a resource is spelled.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "casefhir/facts.h"
#include "casefhir/fhir.h"
#include "casefhir/mapping.h"

namespace casefhir::fhir {

struct BuildContext {
  const SourceDocument& doc;
  const CaseFacts& facts;
  const Mappings& mappings;
  const BundleOptions& options;
  std::string source_hash;                 // SHA-1 of the text, hex
  std::string patient_ref;                 // "urn:uuid:…"
  std::string document_ref;
  std::vector<std::string> fact_refs;      // per fact; "" when the fact is not a resource of its own
  std::map<std::string, std::string> body_structures;   // site_key → "urn:uuid:…" of its BodyStructure

  // Name-based UUID of a resource: same source text, same identity → same id.
  std::string id_for(std::string_view type, std::string_view identity) const;
};

// Starts a resource: resourceType, id (not in transactions: the server assigns it), the
// derivation-reference extensions of its sources, and an identifier that makes conditional create
// idempotent.
FhirJson start_resource(const BuildContext& ctx, const char* type, const std::string& id,
                        const std::vector<SourceRef>& sources);

// A laterality-qualified site gets a BodyStructure (R4 has no laterality on CodeableConcept).
std::string site_key(const BodySite& site);

FhirJson build_patient(const BuildContext& ctx, const std::string& id);
FhirJson build_age_observation(const BuildContext& ctx, const std::string& id);
FhirJson build_document_reference(const BuildContext& ctx, const std::string& id);
FhirJson build_condition(const BuildContext& ctx, const std::string& id, std::size_t fact);
FhirJson build_observation(const BuildContext& ctx, const std::string& id, std::size_t fact);
FhirJson build_procedure(const BuildContext& ctx, const std::string& id, std::size_t fact);
FhirJson build_family_member_history(const BuildContext& ctx, const std::string& id, const std::vector<std::size_t>& facts);
FhirJson build_body_structure(const BuildContext& ctx, const std::string& id, const BodySite& site);

}  // namespace casefhir::fhir
