// batch/runner.h — many inputs through one Converter on several threads, results in input order.
//
//   batch::Runner runner(converter, {.jobs = 4});
//   runner.run([&](batch::Item& item) { return next_input(item); },     // called by one thread at a time
//              [&](batch::Result&& r) { write(r); });                    // called in item order, one call at a time
//
// Workers read, convert and write: the worker whose result is next in order writes it and those
// waiting after it (with one job, the caller's thread does all three). At most `window` results
// wait to be written, so memory is bounded by the documents in flight, not by the batch. An item that
// cannot be read or converted gives a Result with its error: no input is ever dropped.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "casefhir/converter.h"
#include "casefhir/errors.h"

namespace casefhir::batch {

// One input: a file to read (path), or bytes already in memory (a record of `convert --ndjson`).
struct Item {
  std::size_t index = 0;   // 0-based position in the batch; results come back in this order
  std::string name;        // what the Bundle's DocumentReference and every message call it
  std::string id;          // the record's own id (convert --ndjson), given back with its result
  std::string path;        // read from here when `bytes` is empty and `in_memory` is false
  std::string bytes;
  bool in_memory = false;
  std::optional<Error> error;   // the source could not give this item (a malformed record): its result
};

struct Result {
  std::size_t index = 0;
  std::string name;
  std::string id;
  std::size_t input_bytes = 0;
  std::vector<std::string> bundles;         // JSON text, one line each (ends with '\n')
  std::vector<std::string> not_converted;   // articles that are not case reports: why
  std::optional<Error> error;               // the input could not be read or converted

  bool ok() const { return !error && not_converted.empty(); }
};

struct RunnerOptions {
  std::size_t jobs = 1;        // worker threads
  std::size_t window = 0;      // results waiting to be written at most (0: 4 per job)
  // After an input at least this large, a worker gives back the memory its reusable buffers and
  // the allocator grew to for it (0: never).
  std::size_t release_after_bytes = 8u << 20;
};

class Runner {
 public:
  Runner(const Converter& converter, RunnerOptions options);

  // Runs until `next` returns false, or `stop` becomes true (no new item is started then; items
  // begun are finished and emitted). `next` fills an Item (its index is set by the runner); it is
  // called by one worker at a time and may block (a record not yet sent) without holding up the
  // results converted before it. `emit` is called in item order, by one thread at a time: the
  // caller's with one job, a worker's with more. When `next` or `emit` throws, the items begun are
  // finished and the exception is rethrown: a run never ends as if complete with inputs left.
  // Returns the number emitted.
  std::size_t run(const std::function<bool(Item&)>& next, const std::function<void(Result&&)>& emit,
                  const std::atomic<bool>* stop = nullptr) const;

  // Converts one item on the calling thread.
  Result convert(Item& item) const;

 private:
  const Converter& converter_;
  RunnerOptions options_;
};

// ---- Inputs ----

// Every input file that the arguments name, in a deterministic order: each argument in turn; a
// folder is walked recursively in byte order of its paths, skipping hidden entries (".name") and
// keeping files whose name matches one of `include` (shell globs; all files when empty). "-"
// reads a list of paths from standard input, one per line. A missing argument is kept (its
// conversion reports it). Throws Error(usage) when a folder cannot be walked.
struct Input {
  std::string path;
  std::string relative;   // the path below the folder argument it came from (a file argument: its name)
};
std::vector<Input> list_inputs(const std::vector<std::string>& arguments, const std::vector<std::string>& include);

// "K/N": the K-th (1-based) of N contiguous slices of `count` items, as [begin, end). Throws
// Error(usage) for anything else. Concatenating slices 1..N in order gives every item once.
std::pair<std::size_t, std::size_t> shard_slice(const std::string& spec, std::size_t count);

// An OperationOutcome for an input that failed (one line of JSON, no patient text).
std::string operation_outcome(const Error& error);

}  // namespace casefhir::batch
