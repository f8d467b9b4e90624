// casefhir/fhir.h — FHIR R4 output: CaseFacts → Bundle (JSON text).
//
//   casefhir::BundleText b = casefhir::build_bundle(doc, facts, mappings, {.pretty = true});
//   std::fwrite(b.json.data(), 1, b.json.size(), stdout);
//
// Conventions (one place each, in converters/fhir/): resourceType first and a stable key order;
// ids are name-based UUIDs (v5) of the source text's SHA-1 and the fact's identity, so the same
// input and mappings give byte-identical output and a re-import updates instead of duplicating;
// every text-derived resource carries derivation-reference extensions whose offset and length
// count Unicode code points of the decoded text held by the bundle's DocumentReference.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "casefhir/document.h"
#include "casefhir/facts.h"
#include "casefhir/mapping.h"

namespace casefhir {

enum class BundleType { collection, transaction };

struct BundleOptions {
  BundleType type = BundleType::collection;
  bool pretty = false;   // indented JSON; compact (one line) by default
};

struct BundleText {
  std::string json;           // the Bundle, ending with '\n'
  std::size_t resources = 0;  // number of entries
};

// The Bundle is written directly as text: building a JSON tree first cost more than the whole
// text pipeline (bench/README.md).
BundleText build_bundle(const SourceDocument& doc, const CaseFacts& facts, const Mappings& mappings,
                        const BundleOptions& options);
// A case series: one Bundle, one Patient per case with that case's resources, one DocumentReference.
BundleText build_bundle(const SourceDocument& doc, const std::vector<CaseFacts>& cases, const Mappings& mappings,
                        const BundleOptions& options);

// Where a Bundle goes as it is written, for one too large to hold whole (a report of tens of MB
// gives a Bundle six times its size): the same bytes, handed over in pieces of about a megabyte.
// BundleText::json is then empty.
using BundleSink = std::function<void(std::string_view)>;
BundleText build_bundle(const SourceDocument& doc, const CaseFacts& facts, const Mappings& mappings,
                        const BundleOptions& options, const BundleSink& sink);
BundleText build_bundle(const SourceDocument& doc, const std::vector<CaseFacts>& cases, const Mappings& mappings,
                        const BundleOptions& options, const BundleSink& sink);

}  // namespace casefhir
