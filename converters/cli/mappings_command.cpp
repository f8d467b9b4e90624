// cli/mappings_command.cpp — `casefhir mappings …`: import terminology releases, merge them into one
// vocabulary, compile mapping files into a dictionary, check them, and count what they hold.
#include "cli/mappings_command.h"

#include <cstdio>
#include <optional>

#include <nlohmann/json.hpp>

#include "casefhir/errors.h"
#include "casefhir/mapping.h"
#include "cli/commands.h"
#include "cli/conversion_options.h"
#include "cli/io.h"
#include "mapping/compiled.h"
#include "mapping/importers/importer.h"
#include "mapping/inspect.h"
#include "mapping/merge.h"

namespace casefhir::cli {

namespace {

std::vector<MappingSource> read_all(const std::vector<std::string>& inputs) {
  std::vector<MappingSource> files;
  for (const auto& input : inputs)
    for (auto& source : mapping::read_mapping_sources(input)) files.push_back(std::move(source));
  return files;
}

// What `check` and `stats` inspect. Files given with --no-default-mappings are read on the built-in
// rules (triggers, resources, term rules: none of the built-in concepts), so a file of imported
// concepts alone, which holds no rules, can be inspected as it would be compiled.
Mappings load_for_inspection(const std::vector<std::string>& inputs, const std::string& dictionary, bool no_defaults) {
  if (no_defaults && dictionary.empty() && !inputs.empty()) {
    std::vector<MappingSource> sources = Mappings::load({}).compiled().base->rule_sources();
    for (auto& file : read_all(inputs)) sources.push_back(std::move(file));
    return Mappings::from_sources(sources, /*with_defaults=*/false);
  }
  return Mappings::from_options(MappingFlags{inputs, dictionary, no_defaults}.options());
}

// Whether files hold every rule a conversion needs by themselves (for --no-default-mappings), and
// if not, why; format and code errors throw as when loading.
std::optional<std::string> incomplete_alone(const std::vector<std::string>& inputs) {
  mapping::MappingSet alone;
  for (const auto& file : read_all(inputs)) mapping::merge_source(alone, file);
  std::string names;
  for (const auto& input : inputs) names += (names.empty() ? "" : ", ") + input;
  try {
    mapping::check_complete(alone, names);
  } catch (const Error& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

}  // namespace

MappingsCommand::MappingsCommand(CLI::App& app) {
  root_ = app.add_subcommand("mappings", "Build and inspect vocabularies: import, merge, compile, check, stats");
  root_->require_subcommand(1);

  import_ = root_->add_subcommand(
      "import", "Turn a terminology release into a mapping file (OUTPUT/<source id>.json); gzipped inputs are read directly");
  import_->add_option("--from", format_, std::string(mapping::import_format_names()))->required();
  import_->add_option("FILE", inputs_, "The release file (umls-mrconso: MRCONSO.RRF and MRSTY.RRF)")->required();
  import_->add_option("-o,--output", output_, "Folder to write the mapping file into")->required();
  import_->add_option("--source-id", source_id_, "Id of the source (names the file and each concept's source)");
  import_->add_option("--version", version_, "The release's version, when the file does not say it");
  import_->add_option("--kind", kind_, "Kind of concepts whose source gives none (a non-SNOMED ValueSet)");
  import_->add_option("--umls-sources", umls_sources_, "umls-mrconso: keep only these sources (SAB), e.g. SNOMEDCT_US,MSH")
      ->delimiter(',');
  import_->add_flag("--billable-only", billable_only_, "icd10cm-order: only billable codes, no headers");

  merge_ = root_->add_subcommand("merge", "Merge imported mapping files into one vocabulary (one concept per shared code)");
  merge_->add_option("INPUT", inputs_, "Mapping files or folders written by `mappings import`")->required();
  merge_->add_option("-o,--output", output_, "The merged vocabulary (.json, or .json.gz to gzip it)")->required();
  merge_->add_option("--precedence", precedence_,
                     "Source ids, highest first: the source whose id, name and kind a merged concept takes")
      ->delimiter(',');
  merge_->add_option("--report", merge_report_, "Write every conflict to this file (JSON)");

  compile_ = root_->add_subcommand(
      "compile", "Compile mapping files (with the built-in defaults) into a dictionary for --dictionary");
  compile_->add_option("INPUT", inputs_, "Mapping files or folders, layered in order");
  compile_->add_option("-o,--output", output_, "The dictionary file to write")->required();
  compile_->add_flag("--no-default-mappings", no_defaults_, "Compile only the given files, not the built-in defaults");

  check_ = root_->add_subcommand(
      "check", "Check mapping files: format, check digits, duplicate ids, and terms that name concepts of different kinds");
  check_->add_option("INPUT", inputs_, "Mapping files or folders (none: the built-in defaults)");
  check_->add_option("--dictionary", dictionary_, "Check on top of this compiled dictionary");
  check_->add_flag("--no-default-mappings", no_defaults_,
                   "Check the files' concepts alone (on the built-in rules), not layered on the built-in vocabulary");
  check_->add_option("--list", max_listed_, "How many conflicts to list")->capture_default_str();

  stats_ = root_->add_subcommand("stats", "Count concepts, terms and codes by kind, source and code system");
  stats_->add_option("INPUT", inputs_, "Mapping files or folders layered on the defaults (none: the defaults)");
  stats_->add_option("--dictionary", dictionary_, "Count this compiled dictionary instead of the built-in one");
  stats_->add_flag("--no-default-mappings", no_defaults_, "Count only the given files' concepts");
  stats_->add_flag("--json", as_json_, "Print the counts as JSON");
}

int MappingsCommand::run() const {
  if (import_->parsed()) return run_import();
  if (merge_->parsed()) return run_merge();
  if (compile_->parsed()) return run_compile();
  if (check_->parsed()) return run_check();
  return run_stats();
}

int MappingsCommand::run_import() const {
  mapping::ImportRequest request;
  const auto format = mapping::import_format_from_name(format_);
  if (!format)
    throw Error(ErrorKind::usage, {}, "--from: unknown format \"" + format_ + "\" (one of " +
                                          std::string(mapping::import_format_names()) + ")");
  request.format = *format;
  request.files = as_paths(inputs_);
  request.output_dir = output_;
  request.source_id = source_id_;
  request.version = version_;
  if (!kind_.empty()) {
    request.kind = mapping::import_kind_from_name(kind_);
    if (!request.kind) throw Error(ErrorKind::usage, {}, "--kind: unknown kind \"" + kind_ + "\"");
  }
  request.umls_sources = umls_sources_;
  request.billable_only = billable_only_;
  const mapping::ImportSummary summary = mapping::import_terminology(request);
  std::printf("%s\n", summary.to_string().c_str());
  for (const auto& note : summary.notes) std::printf("  note: %s\n", note.c_str());
  return kConverted;
}

int MappingsCommand::run_merge() const {
  mapping::MergeOptions options;
  options.precedence = precedence_;
  const mapping::MergeResult result = mapping::merge_vocabularies(as_paths(inputs_), options);
  if (!merge_report_.empty()) {
    nlohmann::ordered_json report;
    report["conflicts"] = nlohmann::ordered_json::array();
    for (const auto& c : result.conflicts) report["conflicts"].push_back({{"what", c.what}, {"message", c.message}});
    write_output(merge_report_, report.dump(2) + "\n");
  }
  mapping::write_vocabulary(result, output_);
  std::printf("%s", mapping::describe(result).c_str());
  return kConverted;
}

int MappingsCommand::run_compile() const {
  const std::string bytes = compile_dictionary(as_paths(inputs_), !no_defaults_);
  write_output(output_, bytes);
  // Load what was written, as --dictionary will: the file is checked and counted.
  MappingOptions options;
  options.dictionary = output_;
  const Mappings written = Mappings::from_options(options);
  const auto stats = mapping::vocabulary_stats(written);
  std::printf("%s: %zu concepts, %zu terms, %zu bytes\n", output_.c_str(), stats.concepts, stats.terms, bytes.size());
  return kConverted;
}

int MappingsCommand::run_check() const {
  // Loading checks the format, every code's check digit and ids given twice in one file.
  const bool alone = no_defaults_ && dictionary_.empty() && !inputs_.empty();
  const std::optional<std::string> incomplete = alone ? incomplete_alone(inputs_) : std::nullopt;
  const Mappings m = load_for_inspection(inputs_, dictionary_, no_defaults_);
  // Files layered on a dictionary: the terms that name one of their concepts (against each other
  // or the dictionary's); the dictionary's own conflicts are its compiler's to check.
  const bool files_only = !inputs_.empty() && !alone;
  std::size_t total = 0;
  const auto conflicts = mapping::kind_conflicts(m, max_listed_, total, files_only);
  for (const auto& c : conflicts) {
    std::string names;
    for (const auto& n : c.concepts) names += (names.empty() ? "" : ", ") + n;
    std::printf("warning: \"%s\" names concepts of different kinds: %s\n", c.term.c_str(), names.c_str());
  }
  if (total > conflicts.size()) std::printf("warning: … and %zu more terms that name concepts of different kinds\n", total - conflicts.size());
  if (incomplete)
    std::printf("note: %s; the files alone cannot convert with --no-default-mappings, so their concepts were checked on "
                "the built-in rules\n",
                incomplete->c_str());
  std::printf("mappings check: %zu concepts loaded; 0 errors, %zu terms%s under conflicting kinds (the preferred concept is matched)\n",
              m.concept_count(), total, files_only ? " of these files" : "");
  return kConverted;
}

int MappingsCommand::run_stats() const {
  const Mappings m = load_for_inspection(inputs_, dictionary_, no_defaults_);
  const auto stats = mapping::vocabulary_stats(m);
  if (as_json_) {
    nlohmann::ordered_json j;
    j["concepts"] = stats.concepts;
    j["terms"] = stats.terms;
    j["dictionary_bytes"] = stats.dictionary_bytes;
    j["by_kind"] = stats.by_kind;
    nlohmann::ordered_json sources = nlohmann::ordered_json::object();
    for (const auto& [id, n] : stats.by_source) sources[id.empty() ? "hand-written" : id] = n;
    j["by_source"] = sources;
    j["codings"] = stats.codings;
    nlohmann::ordered_json attribution = nlohmann::ordered_json::array();
    for (const SourceInfo& s : m.sources())
      attribution.push_back({{"id", s.id}, {"name", s.name}, {"version", s.version}, {"licence", s.licence}, {"url", s.url},
                             {"attribution", s.attribution}});
    j["sources"] = attribution;
    std::printf("%s\n", j.dump(2).c_str());
    return kConverted;
  }
  std::printf("%zu concepts, %zu terms; dictionary %zu bytes\n", stats.concepts, stats.terms, stats.dictionary_bytes);
  std::printf("by kind:\n");
  for (const auto& [k, n] : stats.by_kind) std::printf("  %-16s %8zu\n", k.c_str(), n);
  std::printf("by source:\n");
  for (const auto& [k, n] : stats.by_source) std::printf("  %-16s %8zu\n", k.empty() ? "hand-written" : k.c_str(), n);
  std::printf("codings by system:\n");
  for (const auto& [k, n] : stats.codings) std::printf("  %-60s %8zu\n", k.c_str(), n);
  if (!m.sources().empty()) std::printf("sources:\n");
  for (const SourceInfo& s : m.sources())
    std::printf("  %s: %s%s%s; licence %s%s%s\n", s.id.c_str(), s.name.c_str(), s.version.empty() ? "" : ", version ",
                s.version.c_str(), s.licence.c_str(), s.attribution.empty() ? "" : "; ", s.attribution.c_str());
  return kConverted;
}

}  // namespace casefhir::cli
