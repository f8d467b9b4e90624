// cli/push_command.h — `casefhir push`: posts Bundles (files, folders, NDJSON, stdin) to a FHIR
// server as transactions of conditional creates through push::Pusher, and reports every entry.
// Registered on the root command by commands.cpp; run when parsed.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace casefhir::cli {

class PushCommand {
 public:
  explicit PushCommand(CLI::App& app);
  PushCommand(const PushCommand&) = delete;   // CLI11 holds pointers to the members
  PushCommand& operator=(const PushCommand&) = delete;

  bool parsed() const { return push_->parsed(); }
  // Pushes; returns the exit code (0 every entry accepted, 1 an input could not be read or the
  // server could not be reached, 3 some Bundles or entries failed). Throws casefhir::Error.
  int run() const;

 private:
  CLI::App* push_;
  std::vector<std::string> inputs_;
  std::string server_;
  std::string report_;
  std::string token_env_;
  std::string ca_file_;
  std::size_t concurrency_ = 4;
  int max_attempts_ = 6;
  long timeout_seconds_ = 60;
  bool dry_run_ = false;
  bool verbose_ = false;
};

// The bearer token for a server: from the environment variable `variable` (which must then be
// set), or from CASEFHIR_TOKEN when `variable` is "" and it is set; "" for none. Never from the
// command line. Throws Error(usage) for a named variable that is not set or a token with a control
// character.
std::string bearer_token(const std::string& variable);

}  // namespace casefhir::cli
