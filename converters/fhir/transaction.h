// fhir/transaction.h — the one rule by which casefhir's resources go into a FHIR server: every entry
// of a transaction is a conditional create (POST to its type, ifNoneExist on the resource's
// identifier), so importing the same report twice creates nothing new. bundle.cpp writes it for
// `convert --bundle-type transaction`; to_transaction applies it to a Bundle already written (a
// collection, casefhir's default), for `casefhir push`. Reads and changes a parsed Bundle only;
// knows nothing of HTTP.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace casefhir::fhir {

struct ConditionalCreate {
  static constexpr const char* method = "POST";
  std::string url;            // the resource type: "Condition"
  std::string if_none_exist;  // "identifier=SYSTEM|VALUE", search-escaped and percent-encoded where needed
};

// The request of an entry whose resource of `resource_type` carries the identifier system|value.
ConditionalCreate conditional_create(std::string_view resource_type, std::string_view system, std::string_view value);

// Makes `bundle` a transaction casefhir can post, in place:
// - a collection becomes the transaction `convert --bundle-type transaction` writes for the same
//   report: type "transaction"; each entry keeps its fullUrl and its resource, less the resource's
//   id (the server assigns ids), and gets the conditional create on the resource's first identifier
//   that has a system and a value (casefhir writes its own identifier first);
// - a transaction or a batch keeps its requests;
// - then, in every case, an entry whose fullUrl is also written as a value elsewhere in the Bundle
//   (an identifier that repeats it, as casefhir wrote before identifier_for) gets a new fullUrl
//   ("urn:uuid:" + a v5 UUID of the old one) and the references to it follow. A server replaces
//   every string equal to a fullUrl in a transaction, so such an identifier would never match on
//   the next import.
// Throws Error(input_malformed) whose location is the JSON pointer of what is wrong: not a Bundle,
// a type other than collection, transaction or batch, no entries, a collection entry without a
// resource type or without an identifier, a urn:uuid (or urn:oid) reference that names no entry's
// fullUrl (a server rejects the whole transaction for one).
void to_transaction(nlohmann::ordered_json& bundle);

}  // namespace casefhir::fhir
