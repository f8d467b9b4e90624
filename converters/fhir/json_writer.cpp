#include "fhir/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace casefhir::fhir {

void JsonWriter::newline() {
  out_.push_back('\n');
  out_.append(2 * depth_, ' ');
}

void JsonWriter::key(std::string_view k) {   // a key that is not a literal (rare; see the header)
  before_value();
  out_.push_back('"');
  out_.append(k);
  out_.append(pretty_ ? "\": " : "\":");
  after_key_ = true;
}

void JsonWriter::value(std::string_view s) {
  before_value();
  write_string(s);
}

namespace {

// True when any of the 8 bytes needs escaping: < 0x20, '"' or '\\' (SWAR: checks 8 bytes per step).
inline bool needs_escape(std::uint64_t v) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  const std::uint64_t control = (v - 0x2020202020202020ULL) & ~v & highs;   // bytes < 0x20
  return control | has_zero(v ^ (ones * '"')) | has_zero(v ^ (ones * '\\'));
}

}  // namespace

void JsonWriter::write_string(std::string_view s) {
  out_.push_back('"');
  std::size_t run = 0;   // start of the current run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Most strings need no escape at all: skip eight clean bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t v;
      std::memcpy(&v, s.data() + i, 8);
      if (needs_escape(v)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out_.append("\\\""); break;
      case '\\': out_.append("\\\\"); break;
      case '\n': out_.append("\\n"); break;
      case '\r': out_.append("\\r"); break;
      case '\t': out_.append("\\t"); break;
      case '\b': out_.append("\\b"); break;
      case '\f': out_.append("\\f"); break;
      default: {
        static const char* hex = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out_.append(escaped, sizeof escaped);
      }
    }
  }
  out_.append(s.data() + run, s.size() - run);
  out_.push_back('"');
}

void JsonWriter::value(long long n) {
  before_value();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void JsonWriter::value(unsigned long long n) {
  before_value();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void JsonWriter::value(double d) {
  before_value();
  if (!std::isfinite(d)) {   // JSON has no NaN or infinity; the converter never produces them
    out_.append("null");
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);   // shortest text that reads back as d
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void JsonWriter::value(bool b) {
  before_value();
  out_.append(b ? "true" : "false");
}

void JsonWriter::number_text(std::string_view digits) {
  before_value();
  out_.append(digits);
}

void JsonWriter::base64_value(std::string_view data) {
  before_value();
  out_.push_back('"');
  // Streaming, in pieces of 768 KiB (a multiple of three bytes, so only the last is padded): the
  // base64 of a large document is never held whole.
  constexpr std::size_t kPiece = std::size_t{3} << 18;
  for (std::size_t at = 0;;) {
    const std::size_t n = streaming() ? std::min(kPiece, data.size() - at) : data.size() - at;
    append_base64(data.substr(at, n));
    at += n;
    if (at >= data.size()) break;
    flush();
  }
  out_.push_back('"');
}

void JsonWriter::append_base64(std::string_view data) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // Twelve bits → two characters: half the lookups of one table per six bits (the document's
  // bytes are most of a Bundle from CDA).
  static const auto pairs = [] {
    std::array<char, 2 * 4096> t{};
    for (std::size_t v = 0; v < 4096; ++v) {
      t[2 * v] = table[v >> 6];
      t[2 * v + 1] = table[v & 63];
    }
    return t;
  }();
  const std::size_t start = out_.size();
  out_.resize(start + (data.size() + 2) / 3 * 4);
  char* o = out_.data() + start;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t i = 0;
  // Six bytes → eight characters from one load of eight (read big-endian: written as the shifts
  // say, which compilers make one load and a byte swap), while eight remain.
  for (; i + 8 <= data.size(); i += 6, o += 8) {
    const unsigned char* b = p + i;
    const std::uint64_t v = (std::uint64_t{b[0]} << 56) | (std::uint64_t{b[1]} << 48) | (std::uint64_t{b[2]} << 40) |
                            (std::uint64_t{b[3]} << 32) | (std::uint64_t{b[4]} << 24) | (std::uint64_t{b[5]} << 16) |
                            (std::uint64_t{b[6]} << 8) | std::uint64_t{b[7]};
    std::memcpy(o, &pairs[2 * (v >> 52)], 2);
    std::memcpy(o + 2, &pairs[2 * ((v >> 40) & 4095)], 2);
    std::memcpy(o + 4, &pairs[2 * ((v >> 28) & 4095)], 2);
    std::memcpy(o + 6, &pairs[2 * ((v >> 16) & 4095)], 2);
  }
  for (; i + 3 <= data.size(); i += 3, o += 4) {
    const std::uint32_t v = (static_cast<std::uint32_t>(p[i]) << 16) | (static_cast<std::uint32_t>(p[i + 1]) << 8) | p[i + 2];
    std::memcpy(o, &pairs[2 * (v >> 12)], 2);
    std::memcpy(o + 2, &pairs[2 * (v & 4095)], 2);
  }
  if (const std::size_t rest = data.size() - i) {
    std::uint32_t v = static_cast<std::uint32_t>(p[i]) << 16;
    if (rest == 2) v |= static_cast<std::uint32_t>(p[i + 1]) << 8;
    *o++ = table[v >> 18];
    *o++ = table[(v >> 12) & 63];
    *o++ = rest == 2 ? table[(v >> 6) & 63] : '=';
    *o++ = '=';
  }
}

}  // namespace casefhir::fhir
