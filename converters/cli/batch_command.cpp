// cli/batch_command.cpp — `casefhir batch` and `casefhir convert --ndjson`.
//
// Outputs are written in input order whatever the number of jobs. Each record (a Bundle line, a
// Bundle file, an error line) is written with one write(2), and after each input the sizes of the
// output files go to a journal, so an interrupted run (Ctrl-C, SIGTERM, a kill) is finished by
// `--resume`: the files are cut back to the journal's last sizes and the run goes on from the next
// input, without duplicates or gaps. The journal is removed when the run completes.
//
// With `--push`, each journal line also counts the Bundles written so far and the Bundles the
// server has answered (the push client answers in submission order). A run killed outright leaves
// Bundles written but never answered; `--resume` converts their inputs again (conversion is
// deterministic) and posts them before going on. A Bundle answered just before the kill may so be
// posted twice: its entries are conditional creates, so the second post creates nothing.
#include "cli/batch_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "batch/runner.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "cli/push_command.h"
#include "fhir/encoding.h"
#include "push/client.h"
#include "push/report.h"

namespace casefhir::cli {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// ---- Interruption ----

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
  std::signal(sig, SIG_DFL);   // a second Ctrl-C ends the process at once
}

// ---- Files written one whole record at a time ----

class RecordFile {
 public:
  RecordFile() = default;
  RecordFile(const RecordFile&) = delete;
  RecordFile& operator=(const RecordFile&) = delete;
  ~RecordFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Writes to a copy of a standard stream's descriptor (1 or 2): never cut back.
  void attach(int standard_fd, std::string name) {
    path_ = std::move(name);
    fd_ = ::dup(standard_fd);
    if (fd_ < 0) throw Error(ErrorKind::output_failed, Location{path_, 0, 0, {}}, "cannot be written: " + std::string(std::strerror(errno)));
  }

  // Opens for appending; a regular file is cut back to `keep` bytes (0 empties it). A file shorter
  // than `keep` changed since the journal was written: refused rather than padded.
  void open(const std::string& path, std::uint64_t keep) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be written: " + std::string(std::strerror(errno)));
    struct stat st {};
    regular_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    if (regular_ && static_cast<std::uint64_t>(st.st_size) < keep)
      throw Error(ErrorKind::usage, Location{path, 0, 0, {}},
                  "is shorter than the journal says (" + std::to_string(st.st_size) + " < " + std::to_string(keep) +
                      " bytes): it changed since the interrupted run; run again without --resume");
    if (regular_ && ::ftruncate(fd_, static_cast<off_t>(keep)) != 0)
      throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be cut back for --resume: " + std::string(std::strerror(errno)));
    size_ = keep;
  }
  bool is_open() const { return fd_ >= 0; }
  bool regular() const { return regular_; }   // a device or pipe ("-o /dev/null") is never cut back
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  std::uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

  void write(std::string_view record) {
    while (!record.empty()) {
      const ssize_t n = ::write(fd_, record.data(), record.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error(ErrorKind::output_failed, Location{path_, 0, 0, {}}, "cannot be written: " + std::string(std::strerror(errno)));
      record.remove_prefix(static_cast<std::size_t>(n));
      size_ += static_cast<std::uint64_t>(n);
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool regular_ = false;
  std::uint64_t size_ = 0;
};

// The size of a file up to the end of its last whole line (0 when it does not exist).
// Read backwards, a block at a time: a push report of a million Bundles is large.
std::uint64_t whole_lines_size(const std::string& path) {
  std::error_code missing;
  if (!fs::exists(path, missing)) return 0;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be read to resume it");
  std::uint64_t end = static_cast<std::uint64_t>(in.tellg());
  char block[4096];
  while (end > 0) {
    const std::uint64_t n = std::min<std::uint64_t>(end, sizeof block);
    in.seekg(static_cast<std::streamoff>(end - n));
    if (!in.read(block, static_cast<std::streamsize>(n))) throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be read to resume it");
    for (std::uint64_t k = n; k > 0; --k)
      if (block[k - 1] == '\n') return end - n + k;
    end -= n;
  }
  return 0;
}

// ---- Where results go ----

enum class Layout { ndjson, folder, split };

// "index" is the input's position in the whole sorted list, not in the shard, so that the error
// records of shards 1..N concatenate to those of one run.
std::string error_record(const batch::Result& r, std::size_t shard_begin, const Error& e) {
  Json j = {{"index", shard_begin + r.index},
            {"input", r.name},
            {"error", std::string(to_string(e.kind()))},
            {"message", e.what()},
            {"outcome", Json::parse(batch::operation_outcome(e))}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Bulk Data NDJSON: each resource on its own, its Bundle-internal references (urn:uuid fullUrls)
// made relative ("Patient/<id>").
void split_bundle(const std::string& bundle, std::map<std::string, std::string>& by_type) {
  Json b = Json::parse(bundle);
  std::map<std::string, std::string> local;   // fullUrl → Type/id
  for (const Json& e : b["entry"]) {
    const Json& r = e["resource"];
    if (e.contains("fullUrl") && r.contains("id")) local[e["fullUrl"].get<std::string>()] = r["resourceType"].get<std::string>() + "/" + r["id"].get<std::string>();
  }
  std::function<void(Json&)> relink = [&](Json& j) {
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "reference" && it.value().is_string()) {
          if (auto f = local.find(it.value().get<std::string>()); f != local.end()) it.value() = f->second;
        } else {
          relink(it.value());
        }
      }
    } else if (j.is_array()) {
      for (Json& x : j) relink(x);
    }
  };
  for (Json& e : b["entry"]) {
    Json& r = e["resource"];
    relink(r);
    by_type[r["resourceType"].get<std::string>()] += r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
}

// What the split layout names its files after: "Patient", "FamilyMemberHistory".
bool is_resource_type(const std::string& s) {
  return s.size() >= 2 && s[0] >= 'A' && s[0] <= 'Z' &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

class Output {
 public:
  Output(Layout layout, std::string out, std::string errors, const std::vector<std::string>& names, std::size_t shard_begin)
      : layout_(layout), to_stdout_(out == "-"), out_(std::move(out)), names_(names), shard_begin_(shard_begin) {
    if (layout_ != Layout::ndjson) {
      std::error_code ec;
      fs::create_directories(out_, ec);
      if (ec) throw Error(ErrorKind::output_failed, Location{out_, 0, 0, {}}, "cannot create the folder: " + ec.message());
    }
    journal_path_ = layout_ == Layout::ndjson ? out_ + ".journal" : (fs::path(out_) / ".casefhir-batch.journal").string();
    // Standard output, a pipe or a device ("-o /dev/null"): written as it comes, with no journal
    // (there is nothing to cut back), so such a run cannot be resumed; its error records go to
    // standard error unless --errors says where.
    std::error_code ec;
    const auto status = fs::symlink_status(out_, ec);   // "/dev/stdout" is a link to whatever fd 1 is
    journaled_ = layout_ != Layout::ndjson || (!to_stdout_ && (ec || !fs::exists(status) || fs::is_regular_file(status)));
    errors_path_ = !errors.empty()          ? errors
                   : !journaled_            ? "-"   // standard error
                   : layout_ == Layout::ndjson ? out_ + ".errors.ndjson"
                                            : (fs::path(out_) / "errors.ndjson").string();
  }

  const std::string& errors_path() const { return errors_path_; }
  const std::string& journal_path() const { return journal_path_; }

  // Starts the run: fresh (every output emptied) or resumed from the journal. Returns the index of
  // the first input still to convert.
  std::size_t start(const std::string& fingerprint, bool resume, std::size_t inputs) {
    std::map<std::string, std::uint64_t> sizes;
    std::size_t first = 0;
    std::uint64_t journal_kept = 0;   // bytes of the journal's whole lines
    if (resume && !journaled_)
      throw Error(ErrorKind::usage, Location{out_, 0, 0, {}}, "is not a regular file: a run writing there cannot be resumed");
    if (resume) {
      std::ifstream in(journal_path_, std::ios::binary);
      if (!in) {
        if (fs::exists(layout_ == Layout::ndjson ? out_ : errors_path_))
          throw Error(ErrorKind::usage, Location{journal_path_, 0, 0, {}},
                      "no journal: the run that wrote " + out_ + " completed (or never started with this output); nothing to resume");
      } else {
        std::string line;
        bool header = true;
        while (std::getline(in, line)) {
          if (in.eof()) break;   // a last line without its newline was cut short: not done
          Json j;
          try {
            j = Json::parse(line);
          } catch (const std::exception&) {
            break;
          }
          journal_kept = static_cast<std::uint64_t>(in.tellg());   // the resumed run appends after this line
          if (header) {
            if (j.value("fingerprint", "") != fingerprint)
              throw Error(ErrorKind::usage, Location{journal_path_, 0, 0, {}},
                          "the inputs, shard, layout or options differ from the interrupted run's; --resume needs the same command");
            header = false;
            continue;
          }
          first = j.value("next", std::size_t{0});
          // Bundles written after each input (the progress line for `next` = i + 1), and those the
          // server had answered by then: absent in a run without --push, so none.
          const std::uint64_t written = j.value("bundles", std::uint64_t{0});
          if (bundles_after_.size() <= first) bundles_after_.resize(first + 1, written);
          bundles_after_[first] = written;
          bundles_written_ = written;
          confirmed_ = j.value("confirmed", std::uint64_t{0});
          sizes.clear();
          for (const auto& [k, v] : j["sizes"].items()) sizes[k] = v.get<std::uint64_t>();
        }
      }
    }
    if (first > inputs) first = inputs;
    // A resumed run goes on with the journal it resumes, so that a run interrupted again still
    // knows what every earlier one wrote.
    if (journaled_) journal_.open(journal_path_, journal_kept);
    if (journaled_ && journal_kept == 0)
      journal_.write(Json({{"casefhir_batch", 1}, {"fingerprint", fingerprint}, {"inputs", inputs}}).dump() + "\n");
    if (errors_path_ == "-") errors_.attach(STDERR_FILENO, "standard error");
    else errors_.open(errors_path_, sizes.count(errors_path_) ? sizes[errors_path_] : 0);
    if (to_stdout_) bundles_.attach(STDOUT_FILENO, "standard output");
    else if (layout_ == Layout::ndjson) bundles_.open(out_, sizes.count(out_) ? sizes[out_] : 0);
    if (layout_ == Layout::split) {
      for (const auto& [path, size] : sizes)
        if (path != errors_path_) by_type_[fs::path(path).stem().string()].open(path, size);
      // A type file the journal does not know was begun after its last entry: empty again.
      for (const auto& e : fs::directory_iterator(out_))
        if (e.path().extension() == ".ndjson" && is_resource_type(e.path().stem().string()) && !sizes.count(e.path().string()))
          fs::remove(e.path());   // only files named as this layout names them ("Patient.ndjson")
    }
    record_progress(first);
    return first;
  }

  // The inputs before `first` whose Bundles were written but not answered by the server in the
  // interrupted run: [begin, first), and how many Bundles of input `begin` were answered. Empty
  // when the run starts afresh.
  struct Unanswered {
    std::size_t begin = 0;
    std::uint64_t answered_of_first = 0;
  };
  Unanswered unanswered(std::size_t first) const {
    Unanswered u{first, 0};
    if (confirmed_ >= bundles_written_) return u;
    // bundles_after_[i + 1] counts the Bundles of inputs 0..i: the first input whose Bundles run
    // past the answered ones.
    std::size_t i = first;
    while (i > 0 && i < bundles_after_.size() && bundles_after_[i] > confirmed_) --i;
    u.begin = std::min(i, first);
    u.answered_of_first = confirmed_ - (u.begin < bundles_after_.size() ? bundles_after_[u.begin] : 0);
    return u;
  }

  // With --push: Bundles the server has answered, counted over the whole run (resumed ones
  // included), as the push client reports them from its threads.
  void count_answered(std::uint64_t n) { confirmed_ += n; }
  void write_progress(std::size_t next) { record_progress(next); }
  void journal_answers() { pushing_ = true; }

  // Writes one input's result; returns the Bundles written.
  std::size_t write(const batch::Result& r) {
    if (r.error) errors_.write(error_record(r, shard_begin_, *r.error));
    for (const std::string& why : r.not_converted)
      errors_.write(error_record(r, shard_begin_, Error(ErrorKind::input_not_case_report, Location{r.name, 0, 0, {}}, why + ": no Bundle")));
    switch (layout_) {
      case Layout::ndjson:
        if (!r.bundles.empty()) bundles_.write(one_record(r.bundles));
        break;
      case Layout::folder:
        if (!r.bundles.empty()) {
          const fs::path target = fs::path(out_) / (names_[r.index] + (r.bundles.size() == 1 ? ".json" : ".ndjson"));
          std::error_code ec;
          fs::create_directories(target.parent_path(), ec);
          if (ec) throw Error(ErrorKind::output_failed, Location{target.parent_path().string(), 0, 0, {}}, "cannot create the folder: " + ec.message());
          write_output(target.string(), one_record(r.bundles));
        }
        break;
      case Layout::split: {
        std::map<std::string, std::string> by_type;
        for (const std::string& b : r.bundles) split_bundle(b, by_type);
        for (const auto& [type, lines] : by_type) {
          RecordFile& f = by_type_[type];
          if (!f.is_open()) f.open((fs::path(out_) / (type + ".ndjson")).string(), 0);
          f.write(lines);
        }
        break;
      }
    }
    bundles_written_ += r.bundles.size();
    record_progress(r.index + 1);
    return r.bundles.size();
  }

  // The run completed: the journal goes (a later --resume finds nothing to do).
  void finish() {
    if (!journaled_) return;
    journal_.close();
    std::remove(journal_path_.c_str());
  }

 private:
  // An input's Bundles as one write, so that an interrupted run leaves its lines whole or absent.
  // Most inputs have one Bundle: it is written as it is, not copied.
  std::string_view one_record(const std::vector<std::string>& bundles) {
    if (bundles.size() == 1) return bundles.front();
    joined_.clear();
    for (const std::string& b : bundles) joined_ += b;
    return joined_;
  }

  void record_progress(std::size_t next) {
    if (!journaled_) return;
    Json sizes = Json::object();
    if (bundles_.is_open()) sizes[bundles_.path()] = bundles_.size();
    sizes[errors_.path()] = errors_.size();
    for (const auto& [type, f] : by_type_) sizes[f.path()] = f.size();
    Json line = {{"next", next}, {"sizes", sizes}};
    if (pushing_) {
      line["bundles"] = bundles_written_;
      line["confirmed"] = confirmed_.load();
    }
    journal_.write(line.dump() + "\n");
  }

  Layout layout_;
  bool to_stdout_ = false;
  std::string out_;
  bool journaled_ = true;
  const std::vector<std::string>& names_;   // per input: its file name in a folder layout
  std::size_t shard_begin_;                  // --shard: the index of this shard's first input in the whole list
  std::string errors_path_, journal_path_;
  RecordFile journal_, errors_, bundles_;
  std::map<std::string, RecordFile> by_type_;
  bool pushing_ = false;
  std::uint64_t bundles_written_ = 0;            // Bundles of every input so far, resumed runs included
  std::atomic<std::uint64_t> confirmed_{0};      // of those, answered by the server (in order)
  std::vector<std::uint64_t> bundles_after_;     // resumed: [next] = Bundles written before input `next`
  std::string joined_;                           // one_record's buffer for inputs of several Bundles
};

// ---- Progress on a terminal ----

std::string duration(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  return buf;
}

struct Tally {
  std::size_t inputs = 0, converted = 0, failed = 0, bundles = 0;
  std::uint64_t bytes = 0;
};

}  // namespace

BatchCommand::BatchCommand(CLI::App& app) {
  command_ = app.add_subcommand(
      "batch",
      "Convert many case reports (files, folders, or a list of paths on stdin) on every core: one NDJSON file of Bundles, a folder of "
      "Bundles, or Bulk Data NDJSON per resource type; every input gives a Bundle or an error record");
  command_->add_option("INPUT", inputs_, "Files, folders (walked recursively, hidden entries skipped), or '-' for a list of paths on stdin")
      ->required();
  command_->add_option("-o,--output", output_,
                       "An NDJSON file of Bundles (one line per Bundle, in input order); a folder (an existing one, or a path ending in "
                       "'/') of one Bundle per input; with --split, a folder of NDJSON per resource type")
      ->required();
  command_->add_flag("--split", split_, "Write Bulk Data NDJSON: OUT/Patient.ndjson, OUT/Condition.ndjson ... with references made relative");
  command_->add_option("--include", include_, "Only files in folders whose name matches this glob ('*.txt'; with a '/', the path below the folder); repeatable")
      ->allow_extra_args(false);
  command_->add_option("-j,--jobs", jobs_, "Worker threads (default: the number of cores)");
  command_->add_option("--errors", errors_, "Where the error records go (default: OUT.errors.ndjson, or OUT/errors.ndjson for a folder)");
  command_->add_flag("--resume", resume_, "Finish an interrupted run of the same command: no input converted twice, none left out; with --push, Bundles written "
                     "before the interruption that the server had not answered are posted again first");
  command_->add_option("--shard", shard_, "K/N: convert only the K-th of N contiguous slices of the sorted inputs (outputs of 1..N concatenate to the whole)");
  command_->add_flag("-q,--quiet", quiet_, "No progress and no summary on stderr");
  command_->add_option("--push", push_url_,
                       "Also post every Bundle to this FHIR server as it is written (a transaction of conditional creates, as `casefhir "
                       "push` does): convert and import in one pass");
  command_->add_option("--push-concurrency", push_concurrency_, "--push: Bundles in flight to the server")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}));
  command_->add_option("--push-report", push_report_, "--push: one JSON line per Bundle with what the server did with each entry (default: OUT.push.ndjson, or OUT/push.ndjson for a folder)");
  command_->add_option("--token-env", token_env_, "--push: read the bearer token from this environment variable (default: CASEFHIR_TOKEN, when set)");
  add_from_option(*command_, flags_.from, "Input format, as for convert (default: detected per input)");
  command_->add_flag("--narrative", flags_.narrative, "CDA: also read the sections' narrative, as for convert");
  command_->add_flag("--split-cases", flags_.split_cases, "A case series: one Bundle per case, as for convert");
  add_bundle_type_option(*command_, flags_.bundle_type);
  add_mapping_options_as_for_convert(*command_, flags_.mappings);
  command_->add_flag("--no-default-mappings", flags_.mappings.no_defaults, "Only the --mappings folders, as for convert");
  add_max_input_bytes_option(*command_, flags_.max_bytes, "Refuse larger inputs (each gets an error record)");
}

int BatchCommand::run() const {
  using Clock = std::chrono::steady_clock;
  std::vector<batch::Input> inputs = batch::list_inputs(inputs_, include_);
  const std::size_t listed = inputs.size();
  std::size_t begin = 0, end = inputs.size();
  if (!shard_.empty()) std::tie(begin, end) = batch::shard_slice(shard_, inputs.size());
  inputs = std::vector<batch::Input>(inputs.begin() + static_cast<std::ptrdiff_t>(begin), inputs.begin() + static_cast<std::ptrdiff_t>(end));

  std::error_code ec;
  const Layout layout = split_ ? Layout::split
                        : (fs::is_directory(output_, ec) || (!output_.empty() && output_.back() == '/')) ? Layout::folder
                                                                                                         : Layout::ndjson;
  // In a folder, each input's Bundle is named after its path below its folder argument.
  std::vector<std::string> names;
  if (layout == Layout::folder) {
    std::map<std::string, std::string> seen;
    for (const batch::Input& in : inputs) {
      if (in.relative == "errors" || in.relative == "push")
        throw Error(ErrorKind::usage, Location{in.path, 0, 0, {}},
                    "would be written over " + output_ + "/" + in.relative + ".ndjson, where this run's records go; rename it");
      auto [it, fresh] = seen.emplace(in.relative, in.path);
      if (!fresh)
        throw Error(ErrorKind::usage, Location{in.path, 0, 0, {}},
                    "would be written to the same file in " + output_ + " as " + it->second + " (two inputs with the same name below their folders)");
      names.push_back(in.relative);
    }
  }

  const Converter converter(Mappings::from_options(flags_.mappings.options()), flags_.convert_options());

  // What --resume must find unchanged: the inputs in order, the slice, the layout and the options.
  std::string fingerprint_source = std::string(version()) + "\n" + shard_ + "\n" + std::to_string(static_cast<int>(layout)) + "\n" +
                                   flags_.bundle_type + flags_.from + (flags_.narrative ? "n" : "") + (flags_.split_cases ? "s" : "") +
                                   std::to_string(flags_.max_bytes) + "\n";
  for (const std::string& m : flags_.mappings.folders) fingerprint_source += "mappings " + m + "\n";
  fingerprint_source += "dictionary " + flags_.mappings.dictionary + (flags_.mappings.no_defaults ? " no-defaults" : "") + "\n";
  for (const batch::Input& in : inputs) fingerprint_source += in.path + "\n";
  const std::string fingerprint = fhir::to_hex(fhir::sha1(fingerprint_source));

  Output out(layout, output_, errors_, names, begin);
  if (!push_url_.empty()) out.journal_answers();
  const std::size_t first = out.start(fingerprint, resume_, inputs.size());

  const std::size_t jobs = jobs_ > 0 ? jobs_ : std::max(1u, std::thread::hardware_concurrency());
  batch::RunnerOptions runner_options;
  runner_options.jobs = jobs;
  const batch::Runner runner(converter, runner_options);

  // --push: each Bundle goes to the server as soon as it is written, in order; what the server did
  // with every entry goes to the push report as Bundles finish.
  push::Totals push_totals;
  std::mutex push_report_mutex;
  std::optional<RecordFile> push_report;
  std::optional<push::Pusher> pusher;   // after what its callback uses: destroyed (and joined) first
  if (!push_url_.empty()) {
    const std::string report_path = !push_report_.empty() ? push_report_
                                    : layout == Layout::ndjson ? output_ + ".push.ndjson"
                                                               : (fs::path(output_) / "push.ndjson").string();
    push_report.emplace();
    // Resumed: the first run's whole lines stay (a line the kill cut short goes).
    push_report->open(report_path, resume_ ? whole_lines_size(report_path) : 0);
    push::Options push_options;
    push_options.server = push_url_;
    push_options.concurrency = push_concurrency_;
    push_options.bearer_token = bearer_token(token_env_);
    push_options.keep_outcomes = false;   // read through on_outcome: memory stays flat
    push_options.on_outcome = [&, answered_run_broken = false](const push::BundleOutcome& o) mutable {
      std::lock_guard lock(push_report_mutex);
      push_totals.add(o);
      // Answered: the server gave an answer (accepted or rejected). A Bundle never sent (the server
      // unreachable, or the run stopping) ends the answered run: --resume posts it and all after it.
      if (o.http_status == 0) answered_run_broken = true;
      if (!answered_run_broken) out.count_answered(1);
      try {
        push_report->write(push::to_json(o).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      } catch (const Error&) {
        // counted below: the totals say what went in even when the report cannot be written
      }
    };
    pusher.emplace(push_options);
  }
  // Resumed: the Bundles the interrupted run wrote but the server never answered go first. Their
  // inputs are converted again (the same Bundles: conversion is deterministic).
  std::size_t posted_again = 0;
  if (pusher && resume_) {
    const Output::Unanswered u = out.unanswered(first);
    for (std::size_t i = u.begin; i < first; ++i) {
      batch::Item item;
      item.index = i;
      item.path = item.name = inputs[i].path;
      batch::Result r = runner.convert(item);
      if (r.error) {
        std::fprintf(stderr, "casefhir batch: %s: cannot be converted again to post the Bundles the server did not answer: %s\n",
                     inputs[i].path.c_str(), r.error->what());
        continue;
      }
      for (std::size_t b = i == u.begin ? static_cast<std::size_t>(u.answered_of_first) : 0; b < r.bundles.size(); ++b, ++posted_again)
        pusher->submit(std::move(r.bundles[b]), r.name);
    }
    if (posted_again > 0 && !quiet_)
      std::fprintf(stderr, "casefhir batch: posting again %zu Bundles written before the interruption that the server had not answered\n",
                   posted_again);
  }

  const auto t0 = Clock::now();   // the conversion's time: listing inputs and loading mappings are not in it
  g_stop = false;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  const bool progress = !quiet_ && ::isatty(STDERR_FILENO);
  Tally tally;
  tally.inputs = inputs.size();
  std::size_t next_input = first;
  auto last_draw = Clock::now() - std::chrono::seconds(1);
  std::size_t done = first;
  const std::size_t to_do = inputs.size() - first;

  runner.run(
      [&](batch::Item& item) {
        if (next_input >= inputs.size()) return false;
        item.path = inputs[next_input].path;
        item.name = inputs[next_input].path;
        ++next_input;
        return true;
      },
      [&](batch::Result&& r) {
        r.index += first;   // the runner counts from 0; the journal and the names from the first input
        tally.bytes += r.input_bytes;
        if (r.ok()) ++tally.converted;
        else ++tally.failed;
        tally.bundles += out.write(r);
        if (pusher)
          for (std::string& b : r.bundles) pusher->submit(std::move(b), r.name);
        ++done;
        if (progress) {
          const auto now = Clock::now();
          if (now - last_draw >= std::chrono::milliseconds(200) || done == inputs.size()) {
            last_draw = now;
            const double secs = std::chrono::duration<double>(now - t0).count();
            const std::size_t here = done - first;
            const double rate = secs > 0 ? static_cast<double>(here) / secs : 0;
            const double eta = rate > 0 ? static_cast<double>(to_do - here) / rate : 0;
            std::fprintf(stderr, "\r\033[Kcasefhir batch: %zu/%zu inputs  %.1f MB/s  %zu failed  ETA %s", done, inputs.size(),
                         secs > 0 ? static_cast<double>(tally.bytes) / 1e6 / secs : 0.0, tally.failed, duration(eta).c_str());
          }
        }
      },
      &g_stop);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (progress) std::fprintf(stderr, "\n");

  if (pusher) pusher->finish();   // every Bundle written so far is posted, interrupted or not
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const bool push_failed = pusher && push_totals.bundles_ok < push_totals.bundles;
  if (pusher && !quiet_)
    std::fprintf(stderr, "casefhir batch: pushed %zu Bundles to %s: %zu went in (%zu resources created, %zu already there), %zu failed%s\n",
                 push_totals.bundles, push_url_.c_str(), push_totals.bundles_ok, push_totals.created, push_totals.existing,
                 push_totals.bundles - push_totals.bundles_ok, push_failed ? " (see the push report)" : "");
  if (g_stop && done < inputs.size()) {
    if (pusher) out.write_progress(done);   // what the server answered while the last Bundles went out
    std::fprintf(stderr, "casefhir batch: interrupted after %zu of %zu inputs; the outputs hold only whole records. Run the same command with --resume to finish.\n",
                 done, inputs.size());
    return 128 + g_signal.load();
  }
  out.finish();
  if (!quiet_) {
    std::fprintf(stderr, "casefhir batch: %zu inputs%s: %zu converted (%zu Bundles), %zu failed%s%s; %.1f MB in %.1f s (%.1f MB/s, %.0f inputs/s, %zu jobs)\n",
                 tally.inputs, shard_.empty() ? "" : (" (shard " + shard_ + " of " + std::to_string(listed) + ")").c_str(), tally.converted,
                 tally.bundles, tally.failed, tally.failed ? ": see " : "", tally.failed ? (out.errors_path() == "-" ? "the records above" : out.errors_path().c_str()) : "",
                 static_cast<double>(tally.bytes) / 1e6, secs, secs > 0 ? static_cast<double>(tally.bytes) / 1e6 / secs : 0.0,
                 secs > 0 ? static_cast<double>(to_do) / secs : 0.0, jobs);
    if (first > 0) std::fprintf(stderr, "casefhir batch: resumed at input %zu; the counts are of this run\n", first + 1);
  }
  return tally.failed > 0 || push_failed ? kSomeFailed : kConverted;
}

// ---- convert --ndjson ----

namespace {
bool is_fhir_id(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}
}  // namespace

int convert_ndjson_records(const Converter& converter, std::size_t jobs) {
  batch::RunnerOptions runner_options;
  runner_options.jobs = jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
  const batch::Runner runner(converter, runner_options);
  std::size_t line_number = 0, failed = 0;
  std::string line;
  runner.run(
      [&](batch::Item& item) {
        while (std::getline(std::cin, line)) {
          ++line_number;
          if (line.find_first_not_of(" \t\r") == std::string::npos) continue;   // blank lines are not records
          const std::string where = "stdin:" + std::to_string(line_number);
          std::string id;
          try {
            const nlohmann::json rec = nlohmann::json::parse(line);
            if (!rec.is_object()) throw std::invalid_argument("a record is a JSON object");
            if (rec.contains("id")) id = rec["id"].is_string() ? rec["id"].get<std::string>() : rec["id"].dump();
            if (rec.contains("text") && rec["text"].is_string()) {
              item.bytes = rec["text"].get<std::string>();
              item.in_memory = true;
            } else if (rec.contains("path") && rec["path"].is_string()) {
              item.path = rec["path"].get<std::string>();
            } else {
              throw std::invalid_argument("a record needs \"text\" or \"path\" (a string)");
            }
            item.name = id.empty() ? (item.in_memory ? where : item.path) : id;
            item.id = id;
          } catch (const nlohmann::json::parse_error& e) {
            // Its own words: the parser's message quotes the record, which may be patient text.
            item.name = where;
            item.error = Error(ErrorKind::input_malformed, Location{where, 0, 0, {}}, "not a record: not JSON (byte " + std::to_string(e.byte) + ")");
          } catch (const std::exception& e) {
            item.name = id.empty() ? where : id;
            item.id = id;
            item.error = Error(ErrorKind::input_malformed, Location{where, 0, 0, {}}, std::string("not a record: ") + e.what());
          }
          return true;
        }
        return false;
      },
      [&](batch::Result&& r) {
        std::string out;
        for (const std::string& b : r.bundles) out += b;
        auto fail = [&](const Error& e) {
          ++failed;
          std::fprintf(stderr, "casefhir: %s\n", e.what());
          Json o = Json::parse(batch::operation_outcome(e));
          if (is_fhir_id(r.id)) o["id"] = r.id;   // else the diagnostics name the record
          out += o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        };
        if (r.error) fail(*r.error);
        for (const std::string& why : r.not_converted) fail(Error(ErrorKind::input_not_case_report, Location{r.name, 0, 0, {}}, why + ": no Bundle"));
        // A driving engine reads each record's answer as it comes: flushed per record.
        if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0)
          throw Error(ErrorKind::output_failed, Location{"-", 0, 0, {}}, "cannot write standard output");
      });
  return failed > 0 ? kSomeFailed : kConverted;
}

}  // namespace casefhir::cli
