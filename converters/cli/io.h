// cli/io.h — the command line's input and output files: read with the converter's checks,
// written whole or not at all.
#pragma once

#include <cstddef>
#include <string>

namespace casefhir::cli {

// The bytes of a file, or of standard input for "-". Throws Error(input_missing) for a file that
// does not exist, is a folder or cannot be read, and Error(input_too_large) past max_bytes.
std::string read_input(const std::string& path, std::size_t max_bytes);

// Writes text to a file ("" or "-": standard output). A regular file is written beside its target
// and renamed over it, so a failed run never leaves half a file; a device or pipe is written in
// place. Throws Error(output_failed).
void write_output(const std::string& path, const std::string& text);

}  // namespace casefhir::cli
