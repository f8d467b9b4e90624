// readers/file.h — whole-file reads, shared by the CLI, the mapping loader and the evaluators.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace casefhir::readers {

// The bytes of a file, or nullopt when it cannot be opened or read. At most `max_bytes` + 1 bytes
// are read, so a device or a pipe that never ends (/dev/zero) cannot exhaust memory: a result
// longer than max_bytes means "too large".
std::optional<std::string> read_file(const std::filesystem::path& path,
                                     std::size_t max_bytes = static_cast<std::size_t>(-1) - 1);

}  // namespace casefhir::readers
