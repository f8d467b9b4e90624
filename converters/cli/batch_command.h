// cli/batch_command.h — `casefhir batch INPUT... -o OUT`: whole archives on every core, every input
// accounted for (a Bundle or an error record), resumable after an interruption. Registered on the
// root command by commands.cpp; run when parsed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "casefhir/converter.h"
#include "cli/conversion_options.h"

namespace casefhir::cli {

class BatchCommand {
 public:
  explicit BatchCommand(CLI::App& app);
  BatchCommand(const BatchCommand&) = delete;   // CLI11 holds pointers to the members
  BatchCommand& operator=(const BatchCommand&) = delete;

  bool parsed() const { return command_->parsed(); }
  // Runs the batch; returns the exit code. Throws casefhir::Error for a run that cannot start.
  int run() const;

 private:
  CLI::App* command_;
  std::vector<std::string> inputs_;
  std::vector<std::string> include_;
  std::string output_;
  std::string errors_;
  std::string shard_;
  ConversionFlags flags_;
  bool split_ = false;
  bool resume_ = false;
  bool quiet_ = false;
  std::string push_url_;
  std::string push_report_;
  std::string token_env_;
  std::size_t push_concurrency_ = 4;
  std::size_t jobs_ = 0;
};

// `casefhir convert --ndjson`: records {"id": …, "text": …} or {"id": …, "path": …}, one per line on
// standard input, each converted to one Bundle line on standard output (a failed record: an
// OperationOutcome line with the record's id), in input order. Returns the exit code.
int convert_ndjson_records(const Converter& converter, std::size_t jobs);

}  // namespace casefhir::cli
