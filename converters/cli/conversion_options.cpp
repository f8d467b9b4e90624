// cli/conversion_options.cpp — see conversion_options.h.
#include "cli/conversion_options.h"

namespace casefhir::cli {

std::vector<std::filesystem::path> as_paths(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

MappingOptions MappingFlags::options() const {
  MappingOptions options;
  options.folders = as_paths(folders);
  options.dictionary = dictionary;
  options.with_defaults = !no_defaults;
  return options;
}

ConvertOptions ConversionFlags::convert_options() const {
  ConvertOptions options;
  options.bundle.type = bundle_type == "transaction" ? BundleType::transaction : BundleType::collection;
  options.limits.max_bytes = max_bytes;
  options.from = from;
  options.narrative = narrative;
  options.split_cases = split_cases;
  return options;
}

CLI::Option* add_from_option(CLI::App& command, std::string& from, const std::string& help) {
  std::vector<std::string> names = {"auto"};
  for (const auto& [name, summary] : input_formats()) names.push_back(name);
  return command.add_option("--from", from, help)->check(CLI::IsMember(names));
}

CLI::Option* add_bundle_type_option(CLI::App& command, std::string& bundle_type) {
  return command.add_option("--bundle-type", bundle_type, "collection, or transaction (POST with conditional create)")
      ->check(CLI::IsMember({"collection", "transaction"}));
}

CLI::Option* add_max_input_bytes_option(CLI::App& command, std::size_t& max_bytes, const std::string& help) {
  return command.add_option("--max-input-bytes", max_bytes, help)->check(CLI::Range(std::size_t{1}, std::size_t{0xFFFFFFFFu}));
}

CLI::Option* add_mappings_option(CLI::App& command, std::vector<std::string>& folders, const std::string& help) {
  return command.add_option("--mappings", folders, help)->allow_extra_args(false);
}

void add_mapping_options_as_for_convert(CLI::App& command, MappingFlags& flags) {
  add_mappings_option(command, flags.folders, "Extra mapping folders, as for convert");
  command.add_option("--dictionary", flags.dictionary, "A compiled dictionary instead of the built-in one, as for convert");
}

}  // namespace casefhir::cli
