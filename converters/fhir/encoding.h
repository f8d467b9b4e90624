// fhir/encoding.h — SHA-1, base64 and name-based UUIDs (RFC 4122 version 5).
//
// SHA-1 serves two FHIR needs: Attachment.hash is "the calculated hash of the data using SHA-1,
// represented using base64", and version-5 UUIDs are SHA-1 based. It is not used for security.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace casefhir::fhir {

using Sha1Digest = std::array<std::uint8_t, 20>;

Sha1Digest sha1(std::string_view data);
std::string to_hex(const Sha1Digest& digest);
std::string base64(std::string_view data);

// A version-5 UUID of `name` in `namespace_uuid` (lower case, 8-4-4-4-12).
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

}  // namespace casefhir::fhir
