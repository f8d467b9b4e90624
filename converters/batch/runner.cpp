// batch/runner.cpp — the worker pool, input listing and sharding behind `casefhir batch` and
// `casefhir convert --ndjson`.
#include "batch/runner.h"

#include <fnmatch.h>
#include <malloc.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <exception>
#include <system_error>
#include <thread>

#include <nlohmann/json.hpp>

#include "readers/file.h"

namespace casefhir::batch {

namespace fs = std::filesystem;

Runner::Runner(const Converter& converter, RunnerOptions options) : converter_(converter), options_(options) {
  if (options_.jobs == 0) options_.jobs = 1;
  if (options_.window == 0) options_.window = 4 * options_.jobs;
  options_.window = std::max(options_.window, options_.jobs);
}

namespace {

// The bytes of a file, with the checks `casefhir convert` makes (exists, not a folder, the limit).
std::string read_item(const Item& item, std::size_t max_bytes) {
  std::error_code ec;
  const auto status = fs::status(item.path, ec);
  if (ec || !fs::exists(status)) throw Error(ErrorKind::input_missing, Location{item.name, 0, 0, {}}, "no such file");
  if (fs::is_directory(status)) throw Error(ErrorKind::input_missing, Location{item.name, 0, 0, {}}, "is a directory, not a file");
  auto data = readers::read_file(item.path, max_bytes);
  if (!data) throw Error(ErrorKind::input_missing, Location{item.name, 0, 0, {}}, "cannot be read");
  if (data->size() > max_bytes)
    throw Error(ErrorKind::input_too_large, Location{item.name, 0, 0, {}},
                "input is more than " + std::to_string(max_bytes) + " bytes, the limit");
  return std::move(*data);
}

}  // namespace

Result Runner::convert(Item& item) const {
  Result r;
  r.index = item.index;
  r.name = item.name;
  r.id = item.id;
  try {
    if (item.error) throw *item.error;
    std::string owned;
    std::string_view bytes = item.bytes;
    if (!item.in_memory) {
      owned = read_item(item, converter_.options().limits.max_bytes);
      bytes = owned;
    }
    r.input_bytes = bytes.size();
    std::vector<Conversion> all = converter_.convert_all(bytes, item.name);
    for (Conversion& c : all) {
      if (!c.not_converted.empty()) r.not_converted.push_back(std::move(c.not_converted));
      else r.bundles.push_back(std::move(c.bundle));
    }
  } catch (const Error& e) {
    r.error = e;
  } catch (const std::bad_alloc&) {
    r.error = Error(ErrorKind::input_too_large, Location{item.name, 0, 0, {}}, "out of memory");
  } catch (const std::exception& e) {
    r.error = Error(ErrorKind::input_malformed, Location{item.name, 0, 0, {}}, std::string("internal error: ") + e.what());
  }
  item.bytes.clear();
  item.bytes.shrink_to_fit();
  if (options_.release_after_bytes > 0 && r.input_bytes >= options_.release_after_bytes) {
    release_thread_buffers();
    malloc_trim(0);
  }
  return r;
}

std::size_t Runner::run(const std::function<bool(Item&)>& next, const std::function<void(Result&&)>& emit,
                        const std::atomic<bool>* stop) const {
  // One job: read, convert and write on this thread. Handing each item to a worker and its result
  // back would cost two thread wake-ups per item and overlap nothing worth having. Each result is
  // written before the next item is asked for, so a source that blocks holds up no result.
  if (options_.jobs == 1) {
    std::size_t emitted = 0;
    while (!(stop && stop->load())) {
      Item item;
      item.index = emitted;
      if (!next(item)) break;
      item.index = emitted;
      emit(convert(item));
      ++emitted;
    }
    return emitted;
  }

  // Several jobs. Two locks: `m` for the window and the results, `source` around next(). A source
  // may block (a driver that sends the next record only after reading this one's answer): it must
  // not hold up writing. Lock order: source, then m. There is no writer thread: the worker whose
  // result is next in order writes it, and the results waiting after it, one worker at a time
  // (`writing`), outside `m`; a result that comes in while another worker writes is left to it.
  std::mutex m, source;
  std::condition_variable room;   // a worker may take the next item (the window has room)
  std::map<std::size_t, Result> waiting;   // results not yet written, by index
  std::size_t taken = 0;       // items handed out
  std::size_t emitted = 0;     // results written (the next index to write)
  bool writing = false;        // a worker is writing results
  bool exhausted = false;      // the source has no more items, or the run ends early: take no more
  std::exception_ptr source_failed;   // what next() threw: the run ends with it, never as if complete
  std::exception_ptr emit_failed;     // what emit() threw (a full disk): the same
  auto stopped = [&] { return exhausted || (stop && stop->load()); };

  // Called with `lock` held on m; returns with it held.
  auto write_in_order = [&](std::unique_lock<std::mutex>& lock) {
    if (writing || emit_failed) return;
    writing = true;
    for (auto it = waiting.find(emitted); it != waiting.end(); it = waiting.find(emitted)) {
      Result r = std::move(it->second);
      waiting.erase(it);
      lock.unlock();
      try {
        emit(std::move(r));
      } catch (...) {
        lock.lock();
        emit_failed = std::current_exception();
        exhausted = true;   // the workers finish what they hold and take nothing more
        room.notify_all();
        break;
      }
      lock.lock();
      ++emitted;
      room.notify_all();
    }
    writing = false;
  };

  auto worker = [&] {
    for (;;) {
      Item item;
      {
        // The window is checked while this worker holds the source, so that workers queued on
        // it cannot take more than the window between them.
        std::lock_guard from_source(source);
        {
          std::unique_lock lock(m);
          room.wait(lock, [&] { return stopped() || taken < emitted + options_.window; });
          if (stopped()) break;
          item.index = taken;
        }
        bool more = false;
        try {
          more = next(item);
        } catch (...) {
          std::lock_guard lock(m);
          source_failed = std::current_exception();
        }
        std::lock_guard lock(m);
        if (!more) {
          exhausted = true;
          room.notify_all();
          break;
        }
        item.index = taken++;
      }
      Result r = convert(item);
      std::unique_lock lock(m);
      waiting.emplace(r.index, std::move(r));
      write_in_order(lock);
    }
  };

  std::vector<std::thread> threads;
  threads.reserve(options_.jobs);
  try {
    for (std::size_t i = 0; i < options_.jobs; ++i) threads.emplace_back(worker);
  } catch (const std::system_error& e) {
    {
      std::lock_guard lock(m);
      exhausted = true;
    }
    room.notify_all();
    for (std::thread& t : threads) t.join();
    throw Error(ErrorKind::usage, {}, "cannot start " + std::to_string(options_.jobs) + " worker threads: " + e.what());
  }
  for (std::thread& t : threads) t.join();
  if (emit_failed) std::rethrow_exception(emit_failed);
  if (source_failed) std::rethrow_exception(source_failed);
  return emitted;
}

// ---- Inputs ----

namespace {

bool included(const fs::path& file, const std::string& relative, const std::vector<std::string>& include) {
  if (include.empty()) return true;
  const std::string name = file.filename().string();
  for (const std::string& glob : include) {
    const bool by_path = glob.find('/') != std::string::npos;
    if (fnmatch(glob.c_str(), by_path ? relative.c_str() : name.c_str(), by_path ? FNM_PATHNAME : 0) == 0) return true;
  }
  return false;
}

void walk(const fs::path& root, std::vector<Input>& out, const std::vector<std::string>& include) {
  std::vector<Input> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) throw Error(ErrorKind::usage, Location{root.string(), 0, 0, {}}, "cannot read the folder: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(ErrorKind::usage, Location{root.string(), 0, 0, {}}, "cannot read the folder: " + ec.message());
    const fs::path& p = it->path();
    if (p.filename().string().rfind('.', 0) == 0) {   // hidden: neither read nor descended into
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string relative = p.lexically_relative(root).generic_string();
    if (included(p, relative, include)) found.push_back({p.string(), relative});
  }
  std::sort(found.begin(), found.end(), [](const Input& a, const Input& b) { return a.relative < b.relative; });
  out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
}

}  // namespace

std::vector<Input> list_inputs(const std::vector<std::string>& arguments, const std::vector<std::string>& include) {
  std::vector<Input> out;
  for (const std::string& a : arguments) {
    if (a == "-") {
      std::string line;
      while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        out.push_back({line, fs::path(line).filename().string()});
      }
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(a, ec)) walk(a, out, include);
    else out.push_back({a, fs::path(a).filename().string()});
  }
  return out;
}

std::pair<std::size_t, std::size_t> shard_slice(const std::string& spec, std::size_t count) {
  const auto slash = spec.find('/');
  std::size_t k = 0, n = 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    k = std::stoul(spec.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("K");
    n = std::stoul(spec.substr(slash + 1), &used);
    if (used != spec.size() - slash - 1) throw std::invalid_argument("N");
  } catch (const std::exception&) {
    throw Error(ErrorKind::usage, {}, "--shard takes K/N (1 <= K <= N), got \"" + spec + "\"");
  }
  if (n == 0 || k == 0 || k > n) throw Error(ErrorKind::usage, {}, "--shard takes K/N (1 <= K <= N), got \"" + spec + "\"");
  return {count * (k - 1) / n, count * k / n};
}

std::string operation_outcome(const Error& error) {
  const char* code = "processing";
  switch (error.kind()) {
    case ErrorKind::input_missing: code = "not-found"; break;
    case ErrorKind::input_too_large: code = "too-long"; break;
    case ErrorKind::input_empty:
    case ErrorKind::input_binary:
    case ErrorKind::input_encoding:
    case ErrorKind::input_malformed: code = "invalid"; break;
    case ErrorKind::input_not_case_report: code = "not-supported"; break;
    default: break;
  }
  nlohmann::ordered_json o = {{"resourceType", "OperationOutcome"},
                              {"issue", nlohmann::ordered_json::array({{{"severity", "error"}, {"code", code}, {"diagnostics", error.what()}}})}};
  return o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace casefhir::batch
