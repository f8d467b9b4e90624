// push/report.h — what `casefhir push` (and any caller of Pusher) writes down about a run: one JSON
// object per Bundle, and the totals. Reads BundleOutcomes; knows nothing of files or HTTP.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "push/client.h"

namespace casefhir::push {

// {"source", "ok", "failure" (when not ok), "http_status", "attempts", "waited_seconds", "error",
//  "outcome" (a rejected Bundle's OperationOutcome), "created", "existing", "entries": [{"resourceType",
//  "fullUrl", "ifNoneExist", "status", "location", "outcome" (a rejected entry's OperationOutcome)}]}.
// Empty members are left out. The OperationOutcomes are the server's and may quote the report.
nlohmann::ordered_json to_json(const BundleOutcome& outcome);

struct Totals {
  std::size_t bundles = 0, bundles_ok = 0, invalid = 0, rejected = 0, unreachable = 0;
  std::size_t entries = 0, created = 0, existing = 0, entries_failed = 0;

  void add(const BundleOutcome& outcome);
  nlohmann::ordered_json to_json() const;
};

}  // namespace casefhir::push
