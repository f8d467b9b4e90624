// fhir/transaction.cpp — conditional creates, and a written Bundle turned into a transaction.
#include "fhir/transaction.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "casefhir/errors.h"
#include "fhir/encoding.h"
#include "fhir/resources.h"

namespace casefhir::fhir {

namespace {

using Json = nlohmann::ordered_json;

[[noreturn]] void fail(const std::string& pointer, const std::string& reason) {
  throw Error(ErrorKind::input_malformed, Location{{}, 0, 0, pointer}, reason);
}

// A token's system or value in a search: FHIR escapes its separators with '\' (R4 search §3.1.1.4.8
// "Escaping Search Parameters"), then the query is percent-encoded except for characters a URI
// keeps as they are. casefhir's own identifiers ("urn:ietf:rfc:3986", "urn:uuid:…") are unchanged.
void append_search_token(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  auto append_encoded = [&](unsigned char c) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                       c == '_' || c == '~' || c == ':' || c == '/';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  };
  for (const char c : s) {
    if (c == '\\' || c == '|' || c == ',' || c == '$') append_encoded('\\');
    append_encoded(static_cast<unsigned char>(c));
  }
}

// Visits every string inside `root` with the key of the object member that holds it ("" in arrays),
// without recursion (a Bundle's depth is the input's).
template <class Visit>
void for_each_string(Json& root, Visit&& visit) {
  std::vector<std::pair<Json*, const std::string*>> stack{{&root, nullptr}};
  static const std::string kNoKey;
  while (!stack.empty()) {
    auto [node, key] = stack.back();
    stack.pop_back();
    if (node->is_string()) {
      visit(*node, key ? *key : kNoKey);
    } else if (node->is_object()) {
      for (auto it = node->begin(); it != node->end(); ++it) stack.emplace_back(&it.value(), &it.key());
    } else if (node->is_array()) {
      for (auto& item : *node) stack.emplace_back(&item, nullptr);
    }
  }
}

// An entry's fullUrl that a resource also writes as a value of its own (not as a reference) gets a
// new one, and the references follow (see the header).
void separate_full_urls_from_values(Json& entries) {
  std::set<std::string> full_urls;
  for (const auto& e : entries)
    if (e.is_object() && e.contains("fullUrl") && e["fullUrl"].is_string()) full_urls.insert(e["fullUrl"].get<std::string>());
  if (full_urls.empty()) return;
  std::map<std::string, std::string> renamed;
  for (auto& e : entries) {
    if (!e.is_object() || !e.contains("resource")) continue;
    for_each_string(e["resource"], [&](const Json& s, const std::string& key) {
      if (key == "reference") return;
      const auto& text = s.get_ref<const std::string&>();
      if (full_urls.count(text) && !renamed.count(text))
        renamed[text] = "urn:uuid:" + uuid_v5(kIdNamespace, "fullUrl:v1|" + text);
    });
  }
  if (renamed.empty()) return;
  for (auto& e : entries) {
    if (!e.is_object()) continue;
    if (e.contains("fullUrl") && e["fullUrl"].is_string()) {
      const auto it = renamed.find(e["fullUrl"].get<std::string>());
      if (it != renamed.end()) e["fullUrl"] = it->second;
    }
    if (!e.contains("resource")) continue;
    for_each_string(e["resource"], [&](Json& s, const std::string& key) {
      if (key != "reference") return;
      const auto it = renamed.find(s.get_ref<const std::string&>());
      if (it != renamed.end()) s = it->second;
    });
  }
}

// A transaction's "urn:uuid:" and "urn:oid:" references are placeholders for its own entries: one
// that names no entry's fullUrl is an error a server rejects the whole transaction for.
void check_placeholders(Json& entries) {
  std::set<std::string> full_urls;
  for (const auto& e : entries)
    if (e.is_object() && e.contains("fullUrl") && e["fullUrl"].is_string()) full_urls.insert(e["fullUrl"].get<std::string>());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].is_object() || !entries[i].contains("resource")) continue;
    for_each_string(entries[i]["resource"], [&](const Json& s, const std::string& key) {
      if (key != "reference") return;
      const auto& target = s.get_ref<const std::string&>();
      if ((target.rfind("urn:uuid:", 0) == 0 || target.rfind("urn:oid:", 0) == 0) && !full_urls.count(target))
        fail("/entry/" + std::to_string(i) + "/resource", "the reference " + target + " names no entry's fullUrl");
    });
  }
}

// The first identifier of `resource` with a system and a value, as (system, value); fails naming
// the entry when there is none.
std::pair<std::string, std::string> identifier_of(const Json& resource, const std::string& at) {
  if (resource.contains("identifier") && resource["identifier"].is_array())
    for (const auto& i : resource["identifier"]) {
      if (!i.is_object() || !i.contains("system") || !i.contains("value")) continue;
      const auto& system = i["system"];
      const auto& value = i["value"];
      if (system.is_string() && value.is_string() && !system.get_ref<const std::string&>().empty() &&
          !value.get_ref<const std::string&>().empty())
        return {system.get<std::string>(), value.get<std::string>()};
    }
  fail(at + "/identifier", "no identifier with a system and a value: a conditional create needs one, so a re-import creates nothing new");
}

}  // namespace

ConditionalCreate conditional_create(std::string_view resource_type, std::string_view system, std::string_view value) {
  ConditionalCreate c;
  c.url = resource_type;
  c.if_none_exist.reserve(11 + system.size() + 1 + value.size());
  c.if_none_exist = "identifier=";
  append_search_token(c.if_none_exist, system);
  c.if_none_exist += '|';
  append_search_token(c.if_none_exist, value);
  return c;
}

void to_transaction(Json& bundle) {
  if (!bundle.is_object()) fail("", "not a JSON object, so not a FHIR Bundle");
  const std::string resource_type = bundle.contains("resourceType") && bundle["resourceType"].is_string()
                                        ? bundle["resourceType"].get<std::string>()
                                        : std::string();
  if (resource_type != "Bundle")
    fail("/resourceType", resource_type.empty() ? "missing: not a FHIR resource" : "is \"" + resource_type + "\", not Bundle");
  const std::string type = bundle.contains("type") && bundle["type"].is_string() ? bundle["type"].get<std::string>() : "";
  if (type != "collection" && type != "transaction" && type != "batch")
    fail("/type", (type.empty() ? std::string("missing") : "is \"" + type + "\"") +
                      ": only a collection, transaction or batch Bundle can be posted");
  if (!bundle.contains("entry") || !bundle["entry"].is_array() || bundle["entry"].empty())
    fail("/entry", "no entries: nothing to post");
  Json& entries = bundle["entry"];
  if (type == "collection") {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      Json& e = entries[i];
      const std::string at = "/entry/" + std::to_string(i);
      if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) fail(at + "/resource", "missing");
      Json& resource = e["resource"];
      if (!resource.contains("resourceType") || !resource["resourceType"].is_string() ||
          resource["resourceType"].get_ref<const std::string&>().empty())
        fail(at + "/resource/resourceType", "missing");
      const auto [system, value] = identifier_of(resource, at + "/resource");
      const ConditionalCreate request = conditional_create(resource["resourceType"].get_ref<const std::string&>(), system, value);
      resource.erase("id");
      e["request"] = Json{{"method", ConditionalCreate::method}, {"url", request.url}, {"ifNoneExist", request.if_none_exist}};
    }
    bundle["type"] = "transaction";
  }
  separate_full_urls_from_values(entries);
  check_placeholders(entries);
}

}  // namespace casefhir::fhir
