// cli/push_command.cpp — `casefhir push`: find the Bundles (files, folders, NDJSON, stdin), hand
// them to push::Pusher, write the report, print a summary, choose the exit code.
#include "cli/push_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "casefhir/errors.h"
#include "cli/commands.h"
#include "push/client.h"
#include "push/report.h"

namespace casefhir::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultTokenVariable = "CASEFHIR_TOKEN";

// The files to read, in order: each argument as given ("-" is standard input), a folder as its
// *.json and *.ndjson files, recursively, sorted by path. Checked before anything is posted.
std::vector<std::string> files_to_read(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    if (input == "-") {
      files.push_back(input);
      continue;
    }
    std::error_code ec;
    const auto status = fs::status(input, ec);
    if (ec || !fs::exists(status)) throw Error(ErrorKind::input_missing, Location{input, 0, 0, {}}, "no such file or folder");
    if (!fs::is_directory(status)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const std::string path = it->path().string();
      if ((path.ends_with(".json") || path.ends_with(".ndjson")) && it->is_regular_file(ec)) found.push_back(path);
    }
    if (ec) throw Error(ErrorKind::input_missing, Location{input, 0, 0, {}}, "cannot be listed: " + ec.message());
    if (found.empty()) throw Error(ErrorKind::input_missing, Location{input, 0, 0, {}}, "holds no *.json or *.ndjson file");
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// Submits the Bundles of one file: NDJSON (one Bundle per line, named "file:line") when its first
// non-blank line is a JSON value by itself, else the whole file as one Bundle (pretty JSON). A file
// of one line is named by the file alone. Returns how many were submitted.
std::size_t submit_file(const std::string& path, push::Pusher& pusher) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw Error(ErrorKind::input_missing, Location{path, 0, 0, {}}, "cannot be opened");
    in = &file;
  }
  std::string line;
  std::size_t line_number = 0, submitted = 0;
  auto next_line = [&]() -> bool {
    while (std::getline(*in, line)) {
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!blank(line)) return true;
    }
    return false;
  };
  auto check_read = [&] {
    if (in->bad()) throw Error(ErrorKind::input_missing, Location{path, line_number, 0, {}}, "cannot be read");
  };
  if (!next_line()) {
    check_read();
    return 0;
  }
  if (nlohmann::json::accept(line)) {
    std::string first = std::move(line);
    const std::size_t first_line = line_number;
    if (!next_line()) {   // one Bundle on one line: a .json file written compact
      check_read();
      pusher.submit(std::move(first), path);
      return 1;
    }
    pusher.submit(std::move(first), path + ":" + std::to_string(first_line));
    ++submitted;
    do {
      pusher.submit(std::move(line), path + ":" + std::to_string(line_number));
      ++submitted;
    } while (next_line());
    check_read();
    return submitted;
  }
  std::string all = std::move(line);
  all += '\n';
  char buffer[1 << 16];
  while (in->read(buffer, sizeof buffer) || in->gcount() > 0) all.append(buffer, static_cast<std::size_t>(in->gcount()));
  check_read();
  pusher.submit(std::move(all), path);
  return 1;
}

bool is_loopback_http(const std::string& url) {
  for (const char* prefix : {"http://127.", "http://localhost:", "http://localhost/", "http://[::1]"})
    if (url.rfind(prefix, 0) == 0) return true;
  return url == "http://localhost";
}

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// Where the report goes, as Bundles finish: NDJSON (one object per Bundle) when the file name ends
// in .ndjson, else one JSON object {"server", "dry_run", "bundles": [...], "summary"}. Written in
// place as the run goes, so a run that stops leaves what was done.
class ReportFile {
 public:
  ReportFile(const std::string& path, const std::string& server, bool dry_run) : path_(path), ndjson_(path.ends_with(".ndjson")) {
    if (path.empty()) return;
    out_.open(path, std::ios::binary | std::ios::trunc);
    if (!out_) throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be written");
    if (!ndjson_) {
      nlohmann::ordered_json head{{"server", server}, {"dry_run", dry_run}};
      const std::string text = head.dump();
      out_ << text.substr(0, text.size() - 1) << ",\"bundles\":[\n";   // the object stays open
    }
  }
  void add(const push::BundleOutcome& o) {
    if (path_.empty()) return;
    if (!ndjson_ && written_++) out_ << ",\n";
    out_ << push::to_json(o).dump();
    if (ndjson_) out_ << '\n';
    out_.flush();
  }
  void close(const push::Totals& totals) {
    if (path_.empty()) return;
    if (!ndjson_) out_ << "\n],\"summary\":" << totals.to_json().dump() << "}\n";
    out_.close();
    if (!out_) throw Error(ErrorKind::output_failed, Location{path_, 0, 0, {}}, "cannot be written");
  }

 private:
  std::string path_;
  bool ndjson_;
  std::ofstream out_;
  std::size_t written_ = 0;
};

// The server's issues, for --verbose (they may quote the report).
void print_issues(const nlohmann::json& outcome, const std::string& indent) {
  if (!outcome.is_object() || !outcome.contains("issue") || !outcome["issue"].is_array()) return;
  for (const auto& issue : outcome["issue"]) {
    if (!issue.is_object()) continue;
    std::string text = issue.value("severity", "") + " " + issue.value("code", "");
    if (issue.contains("details") && issue["details"].is_object()) text += ": " + issue["details"].value("text", "");
    if (issue.contains("diagnostics") && issue["diagnostics"].is_string()) text += " (" + issue["diagnostics"].get<std::string>() + ")";
    if (issue.contains("expression") && issue["expression"].is_array() && !issue["expression"].empty() &&
        issue["expression"][0].is_string())
      text += " at " + issue["expression"][0].get<std::string>();
    std::fprintf(stderr, "%s%s\n", indent.c_str(), text.c_str());
  }
}

}  // namespace

PushCommand::PushCommand(CLI::App& app) {
  push_ = app.add_subcommand(
      "push",
      "Post Bundles to a FHIR R4 server as transactions of conditional creates (a collection, casefhir's default output, is made one), "
      "so pushing a report again creates nothing new; retries 429 and 5xx, honouring Retry-After");
  push_->add_option("INPUT", inputs_,
                    "Bundle JSON files, NDJSON files of Bundles (one per line), folders (their *.json and *.ndjson, recursively), "
                    "or '-' for standard input (JSON or NDJSON)")
      ->required();
  push_->add_option("--server", server_, "The FHIR base URL (http:// or https://); required unless --dry-run");
  push_->add_option("--concurrency", concurrency_, "Bundles posted at once, each worker on its own kept-alive connection")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}))
      ->capture_default_str();
  push_->add_option("--report", report_,
                    "Write every Bundle's outcome, with each entry's status and location and the server's OperationOutcome for what it "
                    "rejected: NDJSON (one object per Bundle) when FILE ends in .ndjson, else one JSON object with a summary. It may "
                    "quote the report through the server's messages");
  push_->add_flag("--dry-run", dry_run_,
                  "Check every Bundle and write the transactions that would be posted to stdout (NDJSON); no network");
  push_->add_option("--token-env", token_env_,
                    std::string("Send a bearer token read from this environment variable (default: ") + kDefaultTokenVariable +
                        ", when it is set); a token is never taken from the command line");
  push_->add_option("--ca-file", ca_file_, "Trust the CAs in this PEM file instead of the system's (TLS peers are always verified)")
      ->check(CLI::ExistingFile);
  push_->add_option("--max-attempts", max_attempts_, "Attempts per Bundle on 429, 5xx and network failures, the first included")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  push_->add_option("--timeout", timeout_seconds_, "Seconds per request")->check(CLI::Range(1L, 3600L))->capture_default_str();
  push_->add_flag("-v,--verbose", verbose_, "A line per Bundle on stderr, with the server's messages (which may quote the report)");
  push_->footer(
      "Exit codes: 0 every entry accepted (dry run: every Bundle can be posted); 1 an input could not be read, or the server\n"
      "could not be reached after the retries (Bundles after that are not sent); 2 usage; 3 some Bundles or entries failed\n"
      "(not a Bundle casefhir can post, or rejected by the server: see --report), the rest went in.");
}

int PushCommand::run() const {
  if (!dry_run_ && server_.empty()) throw Error(ErrorKind::usage, {}, "push: --server URL is required (or --dry-run)");
  push::Options options;
  options.server = server_;
  options.concurrency = concurrency_;
  options.dry_run = dry_run_;
  options.ca_file = ca_file_;
  options.max_attempts = max_attempts_;
  options.timeout_seconds = timeout_seconds_;
  options.bearer_token = dry_run_ ? std::string() : bearer_token(token_env_);
  if (!options.bearer_token.empty() && server_.rfind("http://", 0) == 0 && !is_loopback_http(server_))
    std::fprintf(stderr, "casefhir: push: warning: the bearer token goes to %s over plain http\n", server_.c_str());
  const std::vector<std::string> files = files_to_read(inputs_);

  ReportFile report(report_, server_, dry_run_);
  push::Totals totals;
  bool stdout_failed = false, report_failed = false;
  options.on_outcome = [&](const push::BundleOutcome& o) {
    totals.add(o);
    try {
      report.add(o);
    } catch (const std::exception&) {
      report_failed = true;
    }
    if (dry_run_ && o.ok) {
      std::fwrite(o.transaction.data(), 1, o.transaction.size(), stdout);
      if (std::fputc('\n', stdout) == EOF) stdout_failed = true;
    }
    if (!o.ok) {
      std::fprintf(stderr, "casefhir: push: %s: %s\n", o.source.c_str(), o.error.c_str());
    } else if (verbose_) {
      const auto counts = push::to_json(o);
      if (dry_run_)
        std::fprintf(stderr, "casefhir: push: %s: %s would be posted\n", o.source.c_str(), plural(o.entries.size(), "entry", "entries").c_str());
      else
        std::fprintf(stderr, "casefhir: push: %s: HTTP %d after %s: %zu created, %zu already there\n", o.source.c_str(), o.http_status,
                     plural(static_cast<std::size_t>(o.attempts), "attempt", "attempts").c_str(), counts.value("created", std::size_t{0}),
                     counts.value("existing", std::size_t{0}));
    }
    if (verbose_) {
      print_issues(o.outcome, "  ");
      for (const auto& e : o.entries)
        if (!e.outcome.is_null()) {
          std::fprintf(stderr, "  %s %s: %s\n", e.resource_type.c_str(), e.full_url.c_str(), e.status.empty() ? "not applied" : e.status.c_str());
          print_issues(e.outcome, "    ");
        }
    }
  };

  std::size_t empty_files = 0;
  {
    push::Pusher pusher(options);
    for (const std::string& file : files)
      if (submit_file(file, pusher) == 0) {   // reported, and the other files still go
        std::fprintf(stderr, "casefhir: push: %s: holds no Bundle\n", file.c_str());
        ++empty_files;
      }
    pusher.finish();   // the outcomes went to on_outcome
  }
  report.close(totals);
  if (report_failed) throw Error(ErrorKind::output_failed, Location{report_, 0, 0, {}}, "cannot be written");
  if (dry_run_ && (stdout_failed || std::fflush(stdout) != 0))
    throw Error(ErrorKind::output_failed, Location{"-", 0, 0, {}}, "cannot write standard output");

  const std::size_t failed = totals.invalid + totals.rejected + totals.unreachable;
  if (dry_run_)
    std::fprintf(stderr, "casefhir: push --dry-run: %s, %s would be posted as conditional creates; %s cannot be posted\n",
                 plural(totals.bundles, "Bundle", "Bundles").c_str(), plural(totals.entries, "entry", "entries").c_str(),
                 plural(failed, "Bundle", "Bundles").c_str());
  else
    std::fprintf(stderr,
                 "casefhir: push: %s to %s: %zu accepted, %zu rejected, %zu invalid, %zu unreachable; entries: %zu created, %zu already "
                 "there, %zu not accepted\n",
                 plural(totals.bundles, "Bundle", "Bundles").c_str(), server_.c_str(), totals.bundles_ok, totals.rejected, totals.invalid,
                 totals.unreachable, totals.created, totals.existing, totals.entries_failed);
  if (totals.unreachable > 0 || empty_files > 0) return kInputFailed;
  return failed > 0 ? kSomeFailed : kConverted;
}

// The bearer token: from --token-env NAME (which must then be set), else from CASEFHIR_TOKEN when
// it is set; never from the command line.
std::string bearer_token(const std::string& variable) {
  const char* name = variable.empty() ? kDefaultTokenVariable : variable.c_str();
  const char* value = std::getenv(name);
  if (!value || !*value) {
    if (!variable.empty()) throw Error(ErrorKind::usage, {}, "--token-env " + variable + ": the environment variable is not set");
    return {};
  }
  const std::string token = value;
  if (std::any_of(token.begin(), token.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    throw Error(ErrorKind::usage, {}, std::string(name) + ": the token holds a control character (a line break?)");
  return token;
}

}  // namespace casefhir::cli
