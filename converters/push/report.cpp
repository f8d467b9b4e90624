// push/report.cpp — BundleOutcome as JSON, and the totals of a run.
#include "push/report.h"

namespace casefhir::push {

namespace {

using Json = nlohmann::ordered_json;

// An entry the server applied, found an existing match for (a conditional create that matched:
// 200), or did not apply.
std::size_t count_created(const BundleOutcome& o) {
  std::size_t n = 0;
  for (const auto& e : o.entries) if (e.created()) ++n;
  return n;
}
std::size_t count_existing(const BundleOutcome& o) {
  std::size_t n = 0;
  for (const auto& e : o.entries) if (e.ok() && !e.created()) ++n;
  return n;
}

}  // namespace

Json to_json(const BundleOutcome& o) {
  Json j;
  j["source"] = o.source;
  j["ok"] = o.ok;
  if (o.failure != Failure::none) j["failure"] = std::string(to_string(o.failure));
  if (o.http_status) j["http_status"] = o.http_status;
  if (o.attempts) j["attempts"] = o.attempts;
  if (o.waited_seconds > 0) j["waited_seconds"] = static_cast<double>(static_cast<long long>(o.waited_seconds * 1000)) / 1000;
  if (!o.error.empty()) j["error"] = o.error;
  if (!o.outcome.is_null()) j["outcome"] = o.outcome;
  if (o.http_status) {
    j["created"] = count_created(o);
    j["existing"] = count_existing(o);
  }
  Json entries = Json::array();
  for (const auto& e : o.entries) {
    Json x;
    x["resourceType"] = e.resource_type;
    if (!e.full_url.empty()) x["fullUrl"] = e.full_url;
    if (!e.if_none_exist.empty()) x["ifNoneExist"] = e.if_none_exist;
    if (!e.status.empty()) x["status"] = e.status;
    if (!e.location.empty()) x["location"] = e.location;
    if (!e.outcome.is_null()) x["outcome"] = e.outcome;
    entries.push_back(std::move(x));
  }
  j["entries"] = std::move(entries);
  return j;
}

void Totals::add(const BundleOutcome& o) {
  ++bundles;
  switch (o.failure) {
    case Failure::none: ++bundles_ok; break;
    case Failure::invalid: ++invalid; break;
    case Failure::rejected: ++rejected; break;
    case Failure::unreachable: ++unreachable; break;
  }
  entries += o.entries.size();
  created += count_created(o);
  existing += count_existing(o);
  if (o.http_status)
    for (const auto& e : o.entries)
      if (!e.ok()) ++entries_failed;
}

Json Totals::to_json() const {
  return Json{{"bundles", bundles},   {"bundles_ok", bundles_ok}, {"invalid", invalid},
              {"rejected", rejected}, {"unreachable", unreachable}, {"entries", entries},
              {"created", created},   {"existing", existing},     {"entries_failed", entries_failed}};
}

}  // namespace casefhir::push
