// cli/io.cpp — see io.h.
#include "cli/io.h"

#include <cstdio>
#include <filesystem>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

OutputFile::OutputFile(std::string path) : path_(std::move(path)) { to_stdout_ = path_.empty() || path_ == "-"; }

// Opened at the first write, so a conversion that fails before it leaves the target as it was.
void OutputFile::open() {
  if (to_stdout_) {
    file_ = stdout;
    return;
  }
  // A symlink is written through to its target; a device or pipe ("-o /dev/stdout") in place, since
  // renaming over it would replace it; a regular file beside itself under a name of this run's
  // own, renamed over it when complete.
  std::error_code ec;
  target_ = fs::is_symlink(fs::symlink_status(path_, ec)) ? fs::weakly_canonical(path_, ec).string() : path_;
  if (ec) target_ = path_;
  const auto status = fs::status(target_, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    file_ = std::fopen(target_.c_str(), "wb");
  } else {
    std::string name = target_ + ".XXXXXX.part";
    const int fd = ::mkstemps(name.data(), 5);
    if (fd >= 0) {
      temporary_ = name;
      file_ = ::fdopen(fd, "wb");
      if (!file_) {
        ::close(fd);
        std::remove(temporary_.c_str());
        temporary_.clear();
      }
    }
  }
  if (!file_) throw Error(ErrorKind::output_failed, Location{path_, 0, 0, {}}, "cannot be written");
}

OutputFile::~OutputFile() {
  if (!file_ || to_stdout_) return;
  std::fclose(file_);
  if (!temporary_.empty()) std::remove(temporary_.c_str());
}

void OutputFile::write(std::string_view text) {
  if (committed_) throw Error(ErrorKind::output_failed, Location{path_, 0, 0, {}}, "written after it was closed");
  if (!file_) open();
  if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw Error(ErrorKind::output_failed, Location{to_stdout_ ? "-" : path_, 0, 0, {}},
                to_stdout_ ? "cannot write standard output" : "cannot be written");
}

void OutputFile::commit() {
  if (committed_) return;
  if (!file_) open();   // nothing written: the file is made, empty
  committed_ = true;
  if (to_stdout_) {
    file_ = nullptr;
    if (std::fflush(stdout) != 0) throw Error(ErrorKind::output_failed, Location{"-", 0, 0, {}}, "cannot write standard output");
    return;
  }
  const bool written = std::fflush(file_) == 0 && !std::ferror(file_);
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!written || !closed) {
    if (!temporary_.empty()) std::remove(temporary_.c_str());
    throw Error(ErrorKind::output_failed, Location{path_, 0, 0, {}}, "cannot be written");
  }
  if (temporary_.empty()) return;
  // mkstemps makes the file private; a Bundle is an ordinary file, made as the umask says.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(temporary_.c_str(), 0666 & ~mask);
  std::error_code ec;
  fs::rename(temporary_, target_, ec);
  if (ec) {
    std::remove(temporary_.c_str());
    throw Error(ErrorKind::output_failed, Location{path_, 0, 0, {}}, "cannot be written: " + ec.message());
  }
}

void write_output(const std::string& path, std::string_view text) {
  OutputFile out(path);
  out.write(text);
  out.commit();
}

}  // namespace casefhir::cli
