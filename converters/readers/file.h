// readers/file.h — whole-file reads, shared by the CLI, the mapping loader and the evaluators.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace casefhir::readers {

// The bytes of a regular file, or nullopt when it cannot be opened or read.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace casefhir::readers
