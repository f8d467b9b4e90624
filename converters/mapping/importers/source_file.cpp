#include "mapping/importers/source_file.h"

#include <zlib.h>

#include <algorithm>
#include <system_error>

#include "casefhir/errors.h"
#include "readers/utf8.h"

namespace casefhir::mapping::importers {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kChunk = std::size_t{1} << 16;
constexpr unsigned char kGzipMagic[2] = {0x1f, 0x8b};
}  // namespace

// zlib's inflate state plus the compressed bytes read ahead of it.
struct SourceFile::Inflater {
  z_stream stream{};
  std::string input;           // compressed bytes; stream.next_in points into it
  bool input_ended = false;    // the file has no more compressed bytes
  bool member_ended = false;   // the current gzip member reached its end marker
  bool later_member = false;   // past the first member
  ~Inflater() { inflateEnd(&stream); }
};

SourceFile::SourceFile(const fs::path& path) : name_(path.string()), file_(nullptr, &std::fclose) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw Error(ErrorKind::input_missing, Location{name_, 0, 0, {}}, "no such file");
  if (fs::is_directory(status)) throw Error(ErrorKind::input_missing, Location{name_, 0, 0, {}}, "is a folder, not a file");
  // A device or pipe could be endless (/dev/zero): a release is a file.
  if (!fs::is_regular_file(status)) throw Error(ErrorKind::input_missing, Location{name_, 0, 0, {}}, "is not a regular file");
  file_.reset(std::fopen(path.c_str(), "rb"));
  if (!file_) throw Error(ErrorKind::input_missing, Location{name_, 0, 0, {}}, "cannot be opened");

  unsigned char head[2] = {0, 0};
  const std::size_t got = read_raw(reinterpret_cast<char*>(head), sizeof head);
  if (got == 0) throw Error(ErrorKind::input_empty, Location{name_, 0, 0, {}}, "the file is empty");
  if (got == 2 && head[0] == kGzipMagic[0] && head[1] == kGzipMagic[1]) {
    inflater_ = std::make_unique<Inflater>();
    // 15 + 16: the largest window, gzip wrapper only (a zlib or raw stream is not a .gz file).
    if (inflateInit2(&inflater_->stream, 15 + 16) != Z_OK)
      throw Error(ErrorKind::input_malformed, Location{name_, 0, 0, {}}, "cannot start gzip decompression");
    inflater_->input.assign(reinterpret_cast<const char*>(head), got);
    inflater_->stream.next_in = reinterpret_cast<Bytef*>(inflater_->input.data());
    inflater_->stream.avail_in = static_cast<uInt>(got);
  } else {
    std::rewind(file_.get());
  }
}

SourceFile::~SourceFile() = default;

void SourceFile::fail(std::size_t line, std::size_t column, const std::string& reason) const {
  throw Error(ErrorKind::input_malformed, Location{name_, line, line == 0 ? 0 : column, {}}, reason);
}

std::size_t SourceFile::read_raw(char* buffer, std::size_t size) {
  const std::size_t got = std::fread(buffer, 1, size, file_.get());
  if (got < size && std::ferror(file_.get()))
    throw Error(ErrorKind::input_missing, Location{name_, 0, 0, {}}, "cannot be read");
  return got;
}

std::size_t SourceFile::read(char* buffer, std::size_t size) {
  if (size == 0) return 0;
  return inflater_ ? inflate_into(buffer, size) : read_raw(buffer, size);
}

std::size_t SourceFile::inflate_into(char* buffer, std::size_t size) {
  Inflater& z = *inflater_;
  const Location where{name_, 0, 0, {}};
  for (;;) {
    if (z.stream.avail_in == 0 && !z.input_ended) {
      z.input.resize(kChunk);
      const std::size_t got = read_raw(z.input.data(), z.input.size());
      z.input.resize(got);
      z.input_ended = got == 0;
      z.stream.next_in = reinterpret_cast<Bytef*>(z.input.data());
      z.stream.avail_in = static_cast<uInt>(got);
    }
    if (z.member_ended) {
      if (z.stream.avail_in == 0) return 0;   // the file ended right after a member: done
      // Another member follows: a .gz file may hold several, one after another (RFC 1952 §2.2).
      if (inflateReset(&z.stream) != Z_OK) throw Error(ErrorKind::input_malformed, where, "cannot restart gzip decompression");
      z.member_ended = false;
      z.later_member = true;
    }
    if (z.stream.avail_in == 0)
      throw Error(ErrorKind::input_malformed, where, "the gzip stream is truncated: the file ends inside the compressed data");

    z.stream.next_out = reinterpret_cast<Bytef*>(buffer);
    z.stream.avail_out = static_cast<uInt>(std::min<std::size_t>(size, kChunk * 16));
    const uInt room = z.stream.avail_out;
    const int status = inflate(&z.stream, Z_NO_FLUSH);
    const std::size_t produced = room - z.stream.avail_out;
    if (status == Z_STREAM_END) {
      z.member_ended = true;
    } else if (status == Z_DATA_ERROR && z.later_member && z.stream.total_out == 0) {
      throw Error(ErrorKind::input_malformed, where, "unexpected bytes after the end of the gzip stream");
    } else if (status != Z_OK && status != Z_BUF_ERROR) {   // Z_BUF_ERROR: needs more input, read above
      throw Error(ErrorKind::input_malformed, where,
                  std::string("the gzip data is corrupt") + (z.stream.msg ? std::string(" (") + z.stream.msg + ")" : ""));
    }
    if (produced > 0) return produced;
  }
}

std::string read_all(SourceFile& file) {
  std::string text;
  std::size_t used = 0;
  for (;;) {
    if (text.size() - used < kChunk) text.resize(std::max<std::size_t>(text.size() * 2, used + kChunk));
    const std::size_t got = file.read(text.data() + used, text.size() - used);
    if (got == 0) break;
    used += got;
  }
  text.resize(used);
  return text;
}

bool LineReader::next(std::string_view& line) {
  std::size_t search = begin_;
  for (;;) {
    const std::size_t newline = buffer_.find('\n', search);
    if (newline == std::string::npos && !end_of_file_) {
      // Keep the unread tail, read more after it, and look for the line break in the new bytes only.
      buffer_.erase(0, begin_);
      begin_ = 0;
      search = buffer_.size();
      if (buffer_.size() > kMaxLineBytes)
        file_.fail(number_ + 1, 0,
                   "a line is longer than " + std::to_string(kMaxLineBytes >> 20) + " MiB: not a text file of this format");
      buffer_.resize(search + kChunk);
      const std::size_t got = file_.read(buffer_.data() + search, kChunk);
      buffer_.resize(search + got);
      end_of_file_ = got == 0;
      continue;
    }
    if (newline == std::string::npos && begin_ >= buffer_.size()) return false;
    const std::size_t end = newline == std::string::npos ? buffer_.size() : newline;
    std::string_view text(buffer_.data() + begin_, end - begin_);
    begin_ = newline == std::string::npos ? buffer_.size() : newline + 1;
    ++number_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (number_ == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (const auto bad = readers::find_invalid_utf8(text))
      file_.fail(number_, readers::line_column(text, *bad).column, "not valid UTF-8");
    line = text;
    return true;
  }
}

}  // namespace casefhir::mapping::importers
