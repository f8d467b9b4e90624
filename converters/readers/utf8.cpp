#include "readers/utf8.h"

#include <cstdint>
#include <cstring>

namespace casefhir::readers {

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Skip ASCII 32 bytes at a time: most clinical text and markup is ASCII.
    while (i + 32 <= n) {
      std::uint64_t b[4];
      std::memcpy(b, s + i, sizeof b);
      if ((b[0] | b[1] | b[2] | b[3]) & 0x8080808080808080ULL) break;
      i += 32;
    }
    while (i + 8 <= n) {
      std::uint64_t block;
      std::memcpy(&block, s + i, sizeof block);
      if (block & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c < 0x80) { ++i; continue; }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1Fu; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0Fu; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07u; }
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      return i;
    i += len;
  }
  return std::nullopt;
}

LineColumn line_column(std::string_view text, std::size_t byte_offset) {
  LineColumn lc;
  const std::size_t end = byte_offset < text.size() ? byte_offset : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') { ++lc.line; lc.column = 1; }
    else if ((c & 0xC0) != 0x80) ++lc.column;
  }
  return lc;
}

}  // namespace casefhir::readers
