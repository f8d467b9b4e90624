// cli/conversion_options.h — the options the converting subcommands share (convert, batch, and the
// mapping options of eval, mappings check and stats): each registered by one function, so its check
// and its form (one folder per --mappings) are set in one place, and read into the library's
// ConvertOptions and MappingOptions by one function each. Help texts stay each command's own.
//
//   ConversionFlags flags;
//   add_from_option(*command, flags.from, "Input format, as for convert");
//   const Converter converter(Mappings::from_options(flags.mappings.options()), flags.convert_options());
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "casefhir/converter.h"
#include "casefhir/mapping.h"

namespace casefhir::cli {

std::vector<std::filesystem::path> as_paths(const std::vector<std::string>& v);

// --mappings (or a command's INPUT folders), --dictionary, --no-default-mappings.
struct MappingFlags {
  std::vector<std::string> folders;
  std::string dictionary;
  bool no_defaults = false;

  MappingOptions options() const;
};

// What `convert` and `batch` read into ConvertOptions, and the mappings they load.
struct ConversionFlags {
  std::string from = "auto";
  std::string bundle_type = "collection";
  bool narrative = false;
  bool split_cases = false;
  std::size_t max_bytes = ReadLimits{}.max_bytes;
  MappingFlags mappings;

  ConvertOptions convert_options() const;
};

// --from: "auto" or the name of an input format.
CLI::Option* add_from_option(CLI::App& command, std::string& from, const std::string& help);
// --bundle-type: collection or transaction.
CLI::Option* add_bundle_type_option(CLI::App& command, std::string& bundle_type);
// --max-input-bytes: 1 to 2^32 - 1 (offsets in the model are 32-bit).
CLI::Option* add_max_input_bytes_option(CLI::App& command, std::size_t& max_bytes, const std::string& help);
// --mappings DIR, repeatable: one folder per --mappings, so "--mappings DIR FILE" keeps FILE.
CLI::Option* add_mappings_option(CLI::App& command, std::vector<std::string>& folders, const std::string& help);
// --mappings and --dictionary as the commands after convert describe them ("as for convert").
void add_mapping_options_as_for_convert(CLI::App& command, MappingFlags& flags);

}  // namespace casefhir::cli
