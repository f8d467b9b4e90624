// mapping/importers/source_file.h — a terminology release file read as a stream of bytes or lines.
// Gzip is recognised by its magic bytes (whatever the file is called) and inflated on the fly with
// zlib; a gzip stream that stops before its end marker is an error, never a short file. Lines are
// checked to be UTF-8, so every string an importer takes from them can be written as JSON.
//
//   SourceFile file("hp.obo.gz");
//   LineReader lines(file);
//   for (std::string_view line; lines.next(line);) { ... lines.number() ... }
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace casefhir::mapping::importers {

class SourceFile {
 public:
  // Error(input_missing) when the file does not exist, is not a regular file or cannot be opened;
  // Error(input_empty) when it has no bytes at all.
  explicit SourceFile(const std::filesystem::path& path);
  ~SourceFile();
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  // Up to `size` bytes of the (inflated) content; 0 at the end. Error(input_malformed) when a
  // gzip stream is truncated or corrupt, Error(input_missing) when reading fails.
  std::size_t read(char* buffer, std::size_t size);

  // The path as the user gave it: every message about this file starts with it.
  const std::string& name() const { return name_; }
  bool gzipped() const { return inflater_ != nullptr; }

  // Error(input_malformed) at name:line:column (0 leaves the part out).
  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& reason) const;

 private:
  struct Inflater;
  std::size_t read_raw(char* buffer, std::size_t size);
  std::size_t inflate_into(char* buffer, std::size_t size);

  std::string name_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::unique_ptr<Inflater> inflater_;
};

// The whole content (JSON and XML sources, which are parsed as one text).
std::string read_all(SourceFile& file);

class LineReader {
 public:
  explicit LineReader(SourceFile& file) : file_(file) {}

  // The next line without its line break (LF or CRLF), checked to be UTF-8 (a byte order mark
  // at the start of the file is skipped); false after the last line.
  bool next(std::string_view& line);
  // 1-based number of the line `next` returned last.
  std::size_t number() const { return number_; }
  SourceFile& file() const { return file_; }

 private:
  // One line may not be longer: a binary file or a one-line 2 GB file must not exhaust memory.
  static constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;

  SourceFile& file_;
  std::string buffer_;
  std::size_t begin_ = 0;   // first unread byte of buffer_
  std::size_t number_ = 0;
  bool end_of_file_ = false;
};

}  // namespace casefhir::mapping::importers
