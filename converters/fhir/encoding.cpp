#include "fhir/encoding.h"

#include <cstring>

#include "fhir/sha1_x86.inc"

namespace casefhir::fhir {

namespace {

std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

std::string namespace_bytes(std::string_view namespace_uuid) {
  std::string bytes;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < namespace_uuid.size(); ++i) {
    if (namespace_uuid[i] == '-') continue;
    bytes.push_back(static_cast<char>(nibble(namespace_uuid[i]) * 16 + nibble(namespace_uuid[i + 1])));
    ++i;
  }
  return bytes;
}

UuidText format_uuid(Sha1Digest d) {
  d[6] = static_cast<std::uint8_t>((d[6] & 0x0F) | 0x50);   // version 5
  d[8] = static_cast<std::uint8_t>((d[8] & 0x3F) | 0x80);   // RFC 4122 variant
  // A byte's two hex digits in one lookup (every resource id and identifier is formatted here).
  static constexpr auto pairs = [] {
    constexpr const char* hex = "0123456789abcdef";
    std::array<char, 2 * 256> t{};
    for (std::size_t b = 0; b < 256; ++b) {
      t[2 * b] = hex[b >> 4];
      t[2 * b + 1] = hex[b & 15];
    }
    return t;
  }();
  UuidText text;
  char* o = text.chars.data();
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *o++ = '-';
    std::memcpy(o, &pairs[2 * d[i]], 2);
    o += 2;
  }
  return text;
}

}  // namespace

void Sha1::block(const std::uint8_t* p) {
#ifdef CASEFHIR_HAVE_SHA_NI
  if (cpu_has_sha_ni()) {
    sha1_blocks_sha_ni(h_, p, 1);
    return;
  }
#endif
  std::uint32_t w[80];
  for (int i = 0; i < 16; ++i)
    w[i] = (static_cast<std::uint32_t>(p[4 * i]) << 24) | (static_cast<std::uint32_t>(p[4 * i + 1]) << 16) |
           (static_cast<std::uint32_t>(p[4 * i + 2]) << 8) | static_cast<std::uint32_t>(p[4 * i + 3]);
  for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  std::uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4];
  for (int i = 0; i < 80; ++i) {
    std::uint32_t f, k;
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999u; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1u; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDCu; }
    else { f = b ^ c ^ d; k = 0xCA62C1D6u; }
    const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
    e = d; d = c; c = rotl(b, 30); b = a; a = t;
  }
  h_[0] += a; h_[1] += b; h_[2] += c; h_[3] += d; h_[4] += e;
}

void Sha1::update(std::string_view data) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
  std::size_t n = data.size();
  length_ += n;
  if (buffered_) {
    const std::size_t take = std::min(n, 64 - buffered_);
    std::memcpy(buffer_ + buffered_, p, take);
    buffered_ += take;
    p += take;
    n -= take;
    if (buffered_ < 64) return;
    block(buffer_);
    buffered_ = 0;
  }
#ifdef CASEFHIR_HAVE_SHA_NI
  // The whole blocks in one call: the state stays in registers from one block to the next (the
  // source text of every document is hashed whole).
  if (n >= 64 && cpu_has_sha_ni()) {
    sha1_blocks_sha_ni(h_, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
  }
#endif
  for (; n >= 64; p += 64, n -= 64) block(p);
  std::memcpy(buffer_, p, n);
  buffered_ = n;
}

Sha1Digest Sha1::finish() const {
  Sha1 s = *this;
  std::uint8_t tail[128] = {};
  std::memcpy(tail, s.buffer_, s.buffered_);
  tail[s.buffered_] = 0x80;
  const std::size_t total = s.buffered_ + 1 + 8 <= 64 ? 64 : 128;
  const std::uint64_t bits = length_ * 8;
  for (int k = 0; k < 8; ++k) tail[total - 1 - static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(bits >> (8 * k));
  s.block(tail);
  if (total == 128) s.block(tail + 64);
  Sha1Digest d{};
  for (int k = 0; k < 5; ++k)
    for (int b = 0; b < 4; ++b) d[static_cast<std::size_t>(4 * k + b)] = static_cast<std::uint8_t>(s.h_[k] >> (24 - 8 * b));
  return d;
}

Sha1Digest sha1(std::string_view data) {
  Sha1 s;
  s.update(data);
  return s.finish();
}

std::string to_hex(const Sha1Digest& digest) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : digest) {
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
  return out;
}

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  Sha1 s;
  s.update(namespace_bytes(namespace_uuid));
  s.update(name);
  return std::string(format_uuid(s.finish()).view());
}

UuidV5Namer::UuidV5Namer(std::string_view namespace_uuid, std::string_view prefix) {
  state_.update(namespace_bytes(namespace_uuid));
  state_.update(prefix);
}

UuidText UuidV5Namer::uuid_text(std::initializer_list<std::string_view> rest_of_name) const {
  Sha1 s = state_;
  for (const std::string_view piece : rest_of_name) s.update(piece);
  return format_uuid(s.finish());
}

}  // namespace casefhir::fhir
