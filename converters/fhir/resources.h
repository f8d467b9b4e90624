// fhir/resources.h — one writer per FHIR resource type, all reading the same BuildContext.
// bundle.cpp decides which fact becomes which resource (from the `resources` mapping rules) and
// assembles the Bundle; these functions only know how a resource is spelled.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casefhir/facts.h"
#include "casefhir/fhir.h"
#include "casefhir/mapping.h"
#include "fhir/encoding.h"
#include "fhir/json_writer.h"

namespace casefhir::fhir {

// The UUID namespace of casefhir's resource ids: the v5 UUID of the URL
// "https://casefhir.invalid/resource-ids" in RFC 4122's URL namespace. Changing it changes every id.
inline constexpr std::string_view kIdNamespace = "1029a587-b0b0-5b99-8fcc-e0165f8790fb";

struct BuildContext {
  // Hashes the source once, and with it the prefix every id shares.
  BuildContext(const SourceDocument& d, const CaseFacts& f, const Mappings& m, const BundleOptions& o);
  // Another case of the same document: the source's hash and the id prefix are taken from `shared`,
  // not computed again (hashing the text is most of what the first constructor costs).
  BuildContext(const BuildContext& shared, const CaseFacts& f);

  const SourceDocument& doc;
  const CaseFacts& facts;
  const Mappings& mappings;
  const BundleOptions& options;
  Sha1Digest source_digest;                // SHA-1 of the text (Attachment.hash, and every id)
  UuidText patient_id{};                   // the Patient's (every resource refers to it)
  std::string document_ref;
  std::optional<UuidText> encounter_id;    // the Encounter's, when the Bundle has one
  std::vector<std::optional<UuidText>> fact_ids;   // per fact; none when the fact is not a resource of its own
  std::map<std::string, std::string> body_structures;   // site_key → "urn:uuid:…" of its BodyStructure
  // A case series: the case these resources are of ("case-2/"), which every id of theirs includes,
  // so two cases' resources never share one; "" for a report of one patient.
  std::string case_prefix;
  bool several_patients = false;           // the document (DocumentReference) is about more than one

  // Name-based UUID of a resource: same source text, same identity → same id.
  UuidText id_for(std::string_view type, std::string_view identity) const;

 private:
  UuidV5Namer namer_;
};

// casefhir's own identifier on every resource, which a transaction's conditional create matches
// (fhir/transaction.h): system urn:ietf:rfc:3986, value "urn:uuid:" + a version-5 UUID of the
// resource's id. It is never the entry's fullUrl ("urn:uuid:" + id): in a transaction a server may
// replace every string equal to a fullUrl with the new Type/id (Medplum does, identifier values
// included), and the identifier would then never match on the next import.
inline constexpr const char* kIdentifierSystem = "urn:ietf:rfc:3986";
// The identifier's value, held without allocating (every resource has one).
struct IdentifierValue {
  std::array<char, kUrnUuid.size() + sizeof(UuidText::chars)> chars;   // "urn:uuid:" and the UUID
  std::string_view view() const { return {chars.data(), chars.size()}; }
};
IdentifierValue identifier_for(std::string_view id);

// A resource's id and its identifier value, each computed once per resource: the entry's fullUrl,
// Resource.id, the identifier and a transaction's ifNoneExist are all written from them.
struct ResourceId {
  explicit ResourceId(const UuidText& id) : uuid(id), identifier(identifier_for(id.view())) {}
  std::string_view view() const { return uuid.view(); }
  UuidText uuid;
  IdentifierValue identifier;
};

// A reference to a resource of the Bundle: its fullUrl, "urn:uuid:" + id.
std::string reference_to(const UuidText& id);

// A laterality-qualified site gets a BodyStructure (R4 has no laterality on CodeableConcept).
std::string site_key(const BodySite& site);

// Each writes one resource object. The shared opening — resourceType, id (not in transactions:
// the server assigns it), the derivation-reference extensions, and an identifier that makes
// conditional create idempotent — is written by start_resource.
void start_resource(JsonWriter& w, const BuildContext& ctx, const char* type, const ResourceId& id,
                    const std::vector<SourceRef>& sources, const std::vector<Identifier>& identifiers = {},
                    const std::vector<TriggerCode>& triggers = {});
void write_patient(JsonWriter& w, const BuildContext& ctx, const ResourceId& id);
void write_age_observation(JsonWriter& w, const BuildContext& ctx, const ResourceId& id);
void write_document_reference(JsonWriter& w, const BuildContext& ctx, const ResourceId& id);
void write_condition(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, std::size_t fact);
void write_observation(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, std::size_t fact);
void write_procedure(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, std::size_t fact);
void write_family_member_history(JsonWriter& w, const BuildContext& ctx, const ResourceId& id,
                                 const std::vector<std::size_t>& facts);
void write_body_structure(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, const BodySite& site);
// The episode of care the report describes: its diagnosis of rank 1 is the one the case is about,
// when the report names one, and facts dated relative to the stay ("on day 5", "at follow-up") point
// at it. Its derivation-references are the words that name that diagnosis, else those times.
void write_encounter(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, std::optional<std::size_t> principal,
                     const std::vector<SourceRef>& sources);

}  // namespace casefhir::fhir
