// cli/io.cpp — see io.h.
#include "cli/io.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "casefhir/errors.h"
#include "readers/file.h"

namespace casefhir::cli {

namespace fs = std::filesystem;

std::string read_input(const std::string& path, std::size_t max_bytes) {
  if (path == "-") {
    std::string data;
    char buffer[1 << 16];
    std::size_t got = 0, total = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
      total += got;
      if (total <= max_bytes) data.append(buffer, got);   // past the limit: count, do not keep
    }
    if (std::ferror(stdin)) throw Error(ErrorKind::input_missing, Location{"-", 0, 0, {}}, "cannot read standard input");
    if (total > max_bytes)
      throw Error(ErrorKind::input_too_large, Location{"-", 0, 0, {}},
                  "input is " + std::to_string(total) + " bytes; the limit is " + std::to_string(max_bytes) + " bytes");
    return data;
  }
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw Error(ErrorKind::input_missing, Location{path, 0, 0, {}}, "no such file");
  if (fs::is_directory(status)) throw Error(ErrorKind::input_missing, Location{path, 0, 0, {}}, "is a directory, not a file");
  const auto size = fs::file_size(path, ec);
  if (!ec && size > max_bytes)
    throw Error(ErrorKind::input_too_large, Location{path, 0, 0, {}},
                "input is " + std::to_string(size) + " bytes; the limit is " + std::to_string(max_bytes) + " bytes");
  auto data = readers::read_file(path, max_bytes);
  if (!data) throw Error(ErrorKind::input_missing, Location{path, 0, 0, {}}, "cannot be read");
  if (data->size() > max_bytes)   // a device or pipe: its size was not known beforehand
    throw Error(ErrorKind::input_too_large, Location{path, 0, 0, {}},
                "input is more than " + std::to_string(max_bytes) + " bytes, the limit");
  return std::move(*data);
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (std::fflush(stdout) != 0) throw Error(ErrorKind::output_failed, Location{"-", 0, 0, {}}, "cannot write standard output");
    return;
  }
  // A device, pipe or symlink target ("-o /dev/stdout") is written in place: renaming over it would
  // replace it.
  std::error_code status_error;
  const auto status = fs::symlink_status(path, status_error);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    std::ofstream out(path, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be written");
    return;
  }
  // Write beside the target and rename, so a failed run never leaves half a Bundle behind.
  const std::string temporary = path + ".part";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be written");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      std::remove(temporary.c_str());
      throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be written");
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    std::remove(temporary.c_str());
    throw Error(ErrorKind::output_failed, Location{path, 0, 0, {}}, "cannot be written: " + ec.message());
  }
}

}  // namespace casefhir::cli
