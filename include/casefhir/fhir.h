// casefhir/fhir.h — FHIR R4 output: CaseFacts → Bundle → JSON.
//
//   casefhir::FhirJson bundle = casefhir::build_bundle(doc, facts, mappings, {});
//   std::string text = casefhir::write_json(bundle, /*pretty=*/true);
//
// Conventions (one place each, in converters/fhir/): resourceType first and a stable key order;
// ids are name-based UUIDs (v5) of the source text's SHA-1 and the fact's identity, so the same
// input and mappings give byte-identical output and a re-import updates instead of duplicating;
// every text-derived resource carries derivation-reference extensions whose offset and length
// count Unicode code points of the decoded text held by the bundle's DocumentReference.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "casefhir/document.h"
#include "casefhir/facts.h"
#include "casefhir/mapping.h"

namespace casefhir {

using FhirJson = nlohmann::ordered_json;

enum class BundleType { collection, transaction };

struct BundleOptions {
  BundleType type = BundleType::collection;
};

FhirJson build_bundle(const SourceDocument& doc, const CaseFacts& facts, const Mappings& mappings,
                      const BundleOptions& options);

// JSON text of a resource or Bundle; compact (one line) unless pretty. Always ends with '\n'.
std::string write_json(const FhirJson& resource, bool pretty);

}  // namespace casefhir
