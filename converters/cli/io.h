// cli/io.h — the command line's input and output files: read with the converter's checks,
// written whole or not at all.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace casefhir::cli {

// The bytes of a file, or of standard input for "-". Throws Error(input_missing) for a file that
// does not exist, is a folder or cannot be read, and Error(input_too_large) past max_bytes.
std::string read_input(const std::string& path, std::size_t max_bytes);

// A file written as its text comes ("" or "-": standard output), opened at the first write. A
// regular file (or a symlink's target) is written beside it under a name of this run's own
// ("FILE.XXXXXX.part") and renamed over it by commit(), so a failed run never leaves half a file
// and two runs never mix theirs (destroyed uncommitted, it removes what it wrote); a device or
// pipe is written in place. Throws Error(output_failed).
class OutputFile {
 public:
  explicit OutputFile(std::string path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();
  void write(std::string_view text);
  void commit();

 private:
  void open();
  std::string path_;        // as given, for messages
  std::string target_;      // the file renamed over: the path, or a symlink's target
  std::string temporary_;   // "" when written in place
  std::FILE* file_ = nullptr;
  bool to_stdout_ = false;
  bool committed_ = false;
};

// Writes text to a file whole, as OutputFile does.
void write_output(const std::string& path, std::string_view text);

}  // namespace casefhir::cli
