// cli/mappings_command.h — `casefhir mappings import|merge|compile|check|stats`: building and
// inspecting vocabularies. Registered on the root command by commands.cpp; run when parsed.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace casefhir::cli {

class MappingsCommand {
 public:
  explicit MappingsCommand(CLI::App& app);
  MappingsCommand(const MappingsCommand&) = delete;   // CLI11 holds pointers to the members
  MappingsCommand& operator=(const MappingsCommand&) = delete;

  bool parsed() const { return root_->parsed(); }
  // Runs the parsed subcommand; returns the exit code. Throws casefhir::Error.
  int run() const;

 private:
  int run_import() const;
  int run_merge() const;
  int run_compile() const;
  int run_check() const;
  int run_stats() const;

  CLI::App* root_;
  CLI::App* import_;
  CLI::App* merge_;
  CLI::App* compile_;
  CLI::App* check_;
  CLI::App* stats_;

  std::vector<std::string> inputs_;      // files or folders, per subcommand
  std::string output_;
  // import
  std::string format_, source_id_, version_, kind_;
  std::vector<std::string> umls_sources_;
  bool billable_only_ = false;
  // merge
  std::vector<std::string> precedence_;
  std::string merge_report_;
  // compile, check, stats
  bool no_defaults_ = false;
  std::string dictionary_;
  bool as_json_ = false;
  std::size_t max_listed_ = 20;
};

}  // namespace casefhir::cli
