// fhir/encoding.h — SHA-1 and name-based UUIDs (RFC 4122 version 5).
//
// SHA-1 serves two FHIR needs: Attachment.hash is "the calculated hash of the data using SHA-1,
// represented using base64", and version-5 UUIDs are SHA-1 based. It is not used for security.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace casefhir::fhir {

using Sha1Digest = std::array<std::uint8_t, 20>;

// Incremental SHA-1; copyable, so a hashed prefix can be reused for many names.
class Sha1 {
 public:
  void update(std::string_view data);
  Sha1Digest finish() const;   // does not change the state

 private:
  void block(const std::uint8_t* p);
  std::uint32_t h_[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  std::uint8_t buffer_[64] = {};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;
};

Sha1Digest sha1(std::string_view data);
std::string to_hex(const Sha1Digest& digest);

// What makes a UUID a URI: the Bundle's fullUrls and references, and casefhir's identifiers.
inline constexpr std::string_view kUrnUuid = "urn:uuid:";

// A UUID as text (lower case, 8-4-4-4-12), of fixed size: making one allocates nothing.
struct UuidText {
  std::array<char, 36> chars;
  std::string_view view() const { return {chars.data(), chars.size()}; }
};

// A version-5 UUID of `name` in `namespace_uuid` (lower case, 8-4-4-4-12).
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

// Version-5 UUIDs of many names that share a prefix: the namespace and prefix are hashed once.
class UuidV5Namer {
 public:
  UuidV5Namer(std::string_view namespace_uuid, std::string_view prefix);
  std::string uuid(std::string_view rest_of_name) const { return std::string(uuid_text({rest_of_name}).view()); }
  // The rest of the name may come in pieces, hashed as if joined: no name string is built.
  UuidText uuid_text(std::initializer_list<std::string_view> rest_of_name) const;

 private:
  Sha1 state_;
};

}  // namespace casefhir::fhir
