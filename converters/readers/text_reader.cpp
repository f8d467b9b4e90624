// readers/text_reader.cpp — plain text → SourceDocument. Reads bytes, writes `text`, `name`,
// `media_type` and the code point index; leaves `sections` to the pipeline.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "casefhir/document.h"
#include "casefhir/errors.h"
#include "readers/utf8.h"

namespace casefhir {

namespace {

[[noreturn]] void fail_at(ErrorKind kind, const std::string& name, std::string_view text, std::size_t offset,
                          std::string reason) {
  const auto lc = readers::line_column(text, offset);
  throw Error(kind, Location{name, lc.line, lc.column, {}}, std::move(reason));
}

// Text files carry tabs, line breaks and form feeds; any other C0 control character (NUL above
// all) means the bytes are not text. One is enough: a converter must not guess at binary data.
std::optional<std::size_t> find_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Eight bytes at a time while none is below 0x20 or is 0x7F (most blocks of prose).
    while (i + 8 <= text.size()) {
      std::uint64_t v;
      std::memcpy(&v, text.data() + i, 8);
      constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
      const std::uint64_t below_space = (v - ones * 0x20) & ~v & highs;
      const std::uint64_t x = v ^ (ones * 0x7F);
      const std::uint64_t del = (x - ones) & ~x & highs;
      if (below_space | del) break;
      i += 8;
    }
    if (i >= text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return i;
    if (c == 0x7F) return i;
  }
  return std::nullopt;
}

}  // namespace

CodePointIndex::CodePointIndex(std::string_view text) {
  std::uint32_t extra = 0;
  for (std::size_t i = 0; i < text.size();) {
    // Skip ASCII eight bytes at a time: only multi-byte characters are recorded.
    while (i + 8 <= text.size()) {
      std::uint64_t v;
      std::memcpy(&v, text.data() + i, 8);
      if (v & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= text.size()) break;
    const auto len = readers::sequence_length(static_cast<unsigned char>(text[i]));
    i += len;
    if (len > 1) {
      extra += static_cast<std::uint32_t>(len - 1);
      ends_.push_back(static_cast<std::uint32_t>(i));
      extra_.push_back(extra);
    }
  }
}

std::uint32_t CodePointIndex::offset(std::uint32_t byte_offset) const {
  if (ends_.empty()) return byte_offset;
  // Number of multi-byte characters that end at or before byte_offset.
  const auto it = std::upper_bound(ends_.begin(), ends_.end(), byte_offset);
  if (it == ends_.begin()) return byte_offset;
  return byte_offset - extra_[static_cast<std::size_t>(it - ends_.begin()) - 1];
}

SourceDocument read_text(std::string_view bytes, std::string name, const ReadLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    throw Error(ErrorKind::input_too_large, Location{name, 0, 0, {}},
                "input is " + std::to_string(bytes.size()) + " bytes; the limit is " +
                    std::to_string(limits.max_bytes) + " bytes");
  }
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (auto bad = find_control_character(bytes)) {
    fail_at(ErrorKind::input_binary, name, bytes, *bad,
            "not a text file: control byte 0x" + [&] {
              static const char* hex = "0123456789abcdef";
              const auto c = static_cast<unsigned char>(bytes[*bad]);
              return std::string{hex[c >> 4], hex[c & 15]};
            }());
  }
  if (auto bad = readers::find_invalid_utf8(bytes)) {
    fail_at(ErrorKind::input_encoding, name, bytes, *bad, "not valid UTF-8");
  }
  const bool blank = std::all_of(bytes.begin(), bytes.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
  if (blank) throw Error(ErrorKind::input_empty, Location{name, 0, 0, {}}, "input is empty");

  SourceDocument doc;
  doc.name = std::move(name);
  doc.media_type = "text/plain";
  doc.text.assign(bytes);
  doc.code_points = CodePointIndex(doc.text);
  return doc;
}

}  // namespace casefhir
