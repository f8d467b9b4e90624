// push/client.h — Pusher: posts Bundles to a FHIR server as transactions of conditional creates,
// with `concurrency` workers over libcurl, and says what became of every entry.
//
//   casefhir::push::Options options;
//   options.server = "https://fhir.example.org/fhir";
//   options.bearer_token = token;                       // from the environment, never argv
//   casefhir::push::Pusher pusher(options);
//   pusher.submit(bundle_json, "cases.ndjson:3");       // from any thread; blocks while the queue is full
//   std::vector<casefhir::push::BundleOutcome> outcomes = pusher.finish();   // in submission order
//
// Reads Bundle JSON (a collection, casefhir's default output, is made the transaction
// `convert --bundle-type transaction` writes: fhir/transaction.h); writes nothing but HTTP requests
// and the outcomes. Like the rest of the library it never prints: the caller reports, through
// Options::on_outcome as bundles finish or from finish(). Retries 429 and 5xx (honouring
// Retry-After) and network failures; a retry is safe because every entry is a conditional create.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace casefhir::push {

struct BundleOutcome;

struct Options {
  std::string server;                 // the FHIR base URL; transactions are POSTed to it
  std::size_t concurrency = 4;        // workers, each with its own connection (kept alive)
  bool dry_run = false;               // check and prepare each Bundle; no network
  std::string bearer_token;           // sent as "Authorization: Bearer …" when not empty
  std::string ca_file;                // PEM bundle of the CAs to trust instead of the system's
  int max_attempts = 6;               // per Bundle, the first included
  double max_backoff_seconds = 30;    // the longest wait between attempts when the server names none
  double max_retry_after_seconds = 300;   // a longer Retry-After ends the Bundle's attempts
  long timeout_seconds = 60;          // per request, connecting included
  // Called once per Bundle, in submission order, as soon as it and every Bundle before it are done
  // (from a worker thread, one call at a time; it must not throw, nor call submit or finish).
  std::function<void(const BundleOutcome&)> on_outcome;
  // Whether finish() returns every outcome. A caller that reads them through on_outcome (a batch of
  // a million Bundles) sets false: each is then dropped once delivered, so memory stays flat.
  bool keep_outcomes = true;
};

// What the server did with one entry.
struct EntryOutcome {
  std::string resource_type;
  std::string full_url;
  std::string if_none_exist;          // the conditional create posted ("" for a non-conditional request)
  std::string status;                 // the server's, e.g. "201 Created", "200 OK"; "" when not applied
  std::string location;               // "Condition/123/_history/1"
  nlohmann::json outcome;             // the server's OperationOutcome for this entry, when it gave one
  bool created() const;               // 201: a new resource
  bool ok() const;                    // 2xx
};

enum class Failure {
  none,
  invalid,       // not a Bundle casefhir can post (nothing was sent)
  rejected,      // the server answered, but not every entry went in (a 4xx, or 5xx/429 after every attempt)
  unreachable,   // no answer: connection, TLS or timeout failures after every attempt, or not sent
                 // because the server had already proved unreachable
};

struct BundleOutcome {
  std::string source;                 // where the Bundle came from: "file:line"
  std::size_t index = 0;              // submission order, from 0
  int http_status = 0;                // of the last attempt; 0 when none was answered
  int attempts = 0;
  double waited_seconds = 0;          // total wait between attempts
  bool ok = false;                    // every entry accepted (dry run: the Bundle can be posted)
  Failure failure = Failure::none;
  std::string error;                  // why not ok; never quotes the Bundle or the server's text
  nlohmann::json outcome;             // the server's OperationOutcome for the whole Bundle (a rejected transaction)
  std::vector<EntryOutcome> entries;  // one per entry, in Bundle order (empty when not a Bundle)
  std::string transaction;            // dry run only, and only for on_outcome: the Bundle that would be posted
};

std::string_view to_string(Failure failure);

// A Bundle made ready to post: the transaction text and its entries (statuses empty). Throws
// casefhir::Error(input_malformed) naming what is wrong by JSON pointer (never quoting the input):
// not JSON, not a Bundle casefhir can post (fhir::to_transaction), or a urn:uuid reference that
// names no entry's fullUrl (a server rejects those).
struct PreparedBundle {
  std::string json;
  std::vector<EntryOutcome> entries;
};
PreparedBundle prepare_bundle(std::string_view bundle_json);

class Pusher {
 public:
  // Throws casefhir::Error(usage) when the options cannot work (no server without dry_run, a
  // concurrency of 0, a server URL that is not http or https).
  explicit Pusher(Options options);
  ~Pusher();   // waits for the workers; outcomes not collected with finish() are dropped
  Pusher(const Pusher&) = delete;
  Pusher& operator=(const Pusher&) = delete;

  // Queues one Bundle (JSON text). Thread-safe; blocks while 2 × concurrency Bundles wait.
  void submit(std::string bundle_json, std::string source);
  // Waits for every submitted Bundle; returns their outcomes in submission order. Call once.
  std::vector<BundleOutcome> finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace casefhir::push
