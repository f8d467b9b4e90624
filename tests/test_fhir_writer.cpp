// The FHIR output stage (converters/fhir/): the JSON text writer, SHA-1 and name-based UUIDs, and
// the Bundle a small text turns into — key order, deterministic ids, collection and transaction
// entries, code-point offsets, and how each kind of fact is spelled as a resource.
#include <boost/test/unit_test.hpp>

#include <map>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "fhir/encoding.h"
#include "fhir/json_writer.h"
#include "support.h"

namespace casefhir::test {
namespace {

using fhir::JsonWriter;
using Strings = std::vector<std::string>;

// What `write` produces, compact or indented.
std::string written(bool pretty, const std::function<void(JsonWriter&)>& write) {
  std::string out;
  JsonWriter w(out, pretty);
  write(w);
  return out;
}

// One string value written on its own.
std::string string_json(const std::string& s) {
  return written(false, [&](JsonWriter& w) { w.value(s); });
}

// A document with every kind of value, nested.
void write_sample(JsonWriter& w) {
  w.begin_object();
  w.field("resourceType", "Observation");
  w.field("text", std::string("say \"hi\"\\ µmol/L\n"));
  w.key("numbers");
  w.begin_array();
  w.value(0);
  w.value(-42);
  w.value(std::size_t{7});
  w.value(0.5);
  w.number_text("1.10");
  w.end_array();
  w.key("flags");
  w.begin_array();
  w.value(true);
  w.value(false);
  w.end_array();
  w.key("empty_array");
  w.begin_array();
  w.end_array();
  w.key("empty_object");
  w.begin_object();
  w.end_object();
  w.key("nested");
  w.begin_array();
  w.begin_object();
  w.field("a", std::string("b"));
  w.key("c");
  w.begin_array();
  w.begin_object();
  w.end_object();
  w.end_array();
  w.end_object();
  w.end_array();
  w.end_object();
}

// ---- an independent SHA-1 (FIPS 180-4, written plainly) to check the library's against ----

std::string reference_sha1_hex(const std::string& message) {
  std::uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  std::vector<std::uint8_t> m(message.begin(), message.end());
  const std::uint64_t bits = static_cast<std::uint64_t>(message.size()) * 8;
  m.push_back(0x80);
  while (m.size() % 64 != 56) m.push_back(0);
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  auto rotl = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  for (std::size_t chunk = 0; chunk < m.size(); chunk += 64) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int b = 0; b < 4; ++b) w[i] = (w[i] << 8) | m[chunk + static_cast<std::size_t>(4 * i + b)];
    }
    for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f = 0, k = 0;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999u; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1u; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDCu; }
      else { f = b ^ c ^ d; k = 0xCA62C1D6u; }
      const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
      e = d; d = c; c = rotl(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (const std::uint32_t word : h)
    for (int shift = 28; shift >= 0; shift -= 4) out.push_back(hex[(word >> shift) & 15]);
  return out;
}

// Bytes 0..255 in a pattern that is not periodic in 64 (so block boundaries see varied data).
std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7 + 17) & 0xFF);
  return s;
}

// ---- Bundles ----

using nlohmann::ordered_json;
const char* kDerivationReference = "http://hl7.org/fhir/StructureDefinition/derivation-reference";

std::vector<ordered_json> resources(const ordered_json& bundle, const std::string& type) {
  std::vector<ordered_json> out;
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == type) out.push_back(e["resource"]);
  return out;
}

bool has_code(const ordered_json& cc, const std::string& system, const std::string& code) {
  for (const auto& c : cc.value("coding", ordered_json::array()))
    if (c["system"] == system && c["code"] == code) return true;
  return false;
}

// The resources of a type whose code has this coding.
std::vector<ordered_json> with_code(const ordered_json& bundle, const std::string& type, const std::string& system,
                                    const std::string& code) {
  std::vector<ordered_json> out;
  for (const auto& r : resources(bundle, type))
    if (r.contains("code") && has_code(r["code"], system, code)) out.push_back(r);
  return out;
}

// Code point offset → byte offset in UTF-8 text (independent of the library's CodePointIndex).
std::size_t byte_of_code_point(const std::string& text, std::size_t cp) {
  std::size_t b = 0;
  for (std::size_t seen = 0; b < text.size(); ++b) {
    if ((static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) continue;   // continuation byte
    if (seen++ == cp) return b;
  }
  return b;
}

// The source text each derivation-reference extension of a resource points at.
Strings evidence_text(const std::string& text, const ordered_json& resource) {
  Strings out;
  for (const auto& ext : resource.value("extension", ordered_json::array())) {
    if (ext["url"] != kDerivationReference) continue;
    std::size_t offset = 0, length = 0;
    for (const auto& x : ext["extension"]) {
      if (x["url"] == "offset") offset = x["valueInteger"].get<std::size_t>();
      if (x["url"] == "length") length = x["valueInteger"].get<std::size_t>();
    }
    const std::size_t b = byte_of_code_point(text, offset);
    const std::size_t e = byte_of_code_point(text, offset + length);
    out.push_back(text.substr(b, e - b));
  }
  return out;
}

std::string code_of(const ordered_json& r, const char* element) {
  return r.contains(element) ? r[element]["coding"][0]["code"].get<std::string>() : std::string();
}

const char* kSnomed = "http://snomed.info/sct";
const char* kLoinc = "http://loinc.org";
const char* kUcum = "http://unitsofmeasure.org";

}  // namespace

// ---- json_writer --------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(quotes_and_backslashes_are_escaped) {
  BOOST_TEST(string_json("a\"b\\c") == "\"a\\\"b\\\\c\"");
  BOOST_TEST(ordered_json::parse(string_json("a\"b\\c")).get<std::string>() == "a\"b\\c");
}

BOOST_AUTO_TEST_CASE(control_characters_are_escaped_with_short_forms_where_json_has_them) {
  BOOST_TEST(string_json("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
  BOOST_TEST(string_json(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
  BOOST_TEST(string_json(std::string("a\0b", 3)) == "\"a\\u0000b\"");
}

BOOST_AUTO_TEST_CASE(every_control_character_at_every_position_round_trips) {
  // The writer skips clean bytes eight at a time; a character to escape must be found wherever it is.
  for (int c = 0; c < 0x20; ++c)
    for (std::size_t at = 0; at < 24; ++at) {
      std::string s(24, 'x');
      s[at] = static_cast<char>(c);
      const std::string json = string_json(s);
      for (const char ch : json) BOOST_TEST_REQUIRE(static_cast<unsigned char>(ch) >= 0x20, "raw control byte " << c << " at " << at);
      BOOST_TEST_REQUIRE(ordered_json::parse(json).get<std::string>() == s, "control " << c << " at " << at);
    }
  for (const char special : {'"', '\\'})
    for (std::size_t at = 0; at < 24; ++at) {
      std::string s(24, 'y');
      s[at] = special;
      BOOST_TEST_REQUIRE(ordered_json::parse(string_json(s)).get<std::string>() == s, special << " at " << at);
    }
}

BOOST_AUTO_TEST_CASE(utf8_text_passes_through_unescaped) {
  const std::string text = "Née — 150 µmol/L, 37.8 °C ✓";
  BOOST_TEST(string_json(text) == "\"" + text + "\"");
  BOOST_TEST(string_json("\x7f") == "\"\x7f\"");   // DEL is not a control character in JSON
}

BOOST_AUTO_TEST_CASE(compact_and_pretty_output_parse_to_the_same_json) {
  const std::string compact = written(false, write_sample);
  const std::string pretty = written(true, write_sample);
  const ordered_json a = ordered_json::parse(compact);
  const ordered_json b = ordered_json::parse(pretty);
  BOOST_TEST(a == b);
  BOOST_TEST(a.dump() == b.dump());   // key order too
  // Compact output is one line without insignificant white space; pretty output is indented.
  BOOST_TEST(compact.find('\n') == std::string::npos);
  BOOST_TEST(compact.find(": ") == std::string::npos);
  BOOST_TEST(pretty.find("\n  \"resourceType\": \"Observation\"") != std::string::npos);
  BOOST_TEST(a.begin().key() == "resourceType");
}

BOOST_AUTO_TEST_CASE(empty_arrays_and_objects_are_written_empty) {
  auto empties = [](JsonWriter& w) {
    w.begin_object();
    w.key("a");
    w.begin_array();
    w.end_array();
    w.key("o");
    w.begin_object();
    w.end_object();
    w.end_object();
  };
  BOOST_TEST(written(false, empties) == "{\"a\":[],\"o\":{}}");
  const std::string pretty = written(true, empties);
  BOOST_TEST(pretty.find("\"a\": []") != std::string::npos);
  BOOST_TEST(pretty.find("\"o\": {}") != std::string::npos);
  BOOST_TEST(written(false, [](JsonWriter& w) { w.begin_array(); w.end_array(); }) == "[]");
  BOOST_TEST(written(true, [](JsonWriter& w) { w.begin_object(); w.end_object(); }) == "{}");
}

BOOST_AUTO_TEST_CASE(numbers_are_written_as_json_numbers) {
  auto array_of = [](const std::function<void(JsonWriter&)>& values) {
    return written(false, [&](JsonWriter& w) {
      w.begin_array();
      values(w);
      w.end_array();
    });
  };
  BOOST_TEST(array_of([](JsonWriter& w) { w.value(0); w.value(-42); w.value(46); }) == "[0,-42,46]");
  BOOST_TEST(array_of([](JsonWriter& w) { w.value(std::numeric_limits<long long>::min()); }) == "[-9223372036854775808]");
  BOOST_TEST(array_of([](JsonWriter& w) { w.value(std::numeric_limits<unsigned long long>::max()); }) == "[18446744073709551615]");
  BOOST_TEST(array_of([](JsonWriter& w) { w.value(std::uint32_t{4000000000u}); }) == "[4000000000]");
  BOOST_TEST(array_of([](JsonWriter& w) { w.value(0.5); w.value(-2.25); }) == "[0.5,-2.25]");
  // A number as the report wrote it keeps its precision.
  BOOST_TEST(array_of([](JsonWriter& w) { w.number_text("1.10"); }) == "[1.10]");
  // Doubles read back exactly.
  for (const double d : {1.0 / 3.0, 1e-7, 6.02214076e23, 37.8}) {
    const ordered_json j = ordered_json::parse(array_of([&](JsonWriter& w) { w.value(d); }));
    BOOST_TEST(j[0].get<double>() == d);
  }
  // JSON has no NaN or infinity.
  BOOST_TEST(array_of([](JsonWriter& w) { w.value(std::nan("")); w.value(HUGE_VAL); }) == "[null,null]");
  BOOST_TEST(array_of([](JsonWriter& w) { w.value(true); w.value(false); }) == "[true,false]");
}

BOOST_AUTO_TEST_CASE(long_keys_are_written_whole) {
  const std::string key(70, 'k');
  for (const bool pretty : {false, true}) {
    const std::string json = written(pretty, [&](JsonWriter& w) {
      w.begin_object();
      w.field(key, std::string("v"));
      w.field("short", std::string("w"));
      w.end_object();
    });
    const ordered_json j = ordered_json::parse(json);
    BOOST_TEST(j[key] == "v");
    BOOST_TEST(j["short"] == "w");
  }
}

BOOST_AUTO_TEST_CASE(base64_values_match_the_rfc_4648_test_vectors) {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [data, encoded] : vectors)
    BOOST_TEST(written(false, [&](JsonWriter& w) { w.base64_value(data); }) == "\"" + encoded + "\"");
  // Inside a container, after other values.
  BOOST_TEST(written(false, [](JsonWriter& w) {
               w.begin_array();
               w.value(1);
               w.base64_value(std::string("\xff\x00\x80", 3));
               w.end_array();
             }) == "[1,\"/wCA\"]");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- encoding -----------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(encoding)

BOOST_AUTO_TEST_CASE(sha1_matches_the_fips_180_test_vectors) {
  BOOST_TEST(fhir::to_hex(fhir::sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  BOOST_TEST(fhir::to_hex(fhir::sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  BOOST_TEST(fhir::to_hex(fhir::sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
             "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  BOOST_TEST(fhir::to_hex(fhir::sha1(
                 "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")) ==
             "a49b2446a02c645bf419f995b67091253a04a259");
}

BOOST_AUTO_TEST_CASE(sha1_of_a_million_a_matches_fips_180_in_one_update_and_in_pieces) {
  const std::string million(1000000, 'a');
  BOOST_TEST(fhir::to_hex(fhir::sha1(million)) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  fhir::Sha1 s;
  for (std::size_t at = 0; at < million.size(); at += 999) s.update(std::string_view(million).substr(at, 999));
  BOOST_TEST(fhir::to_hex(s.finish()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

BOOST_AUTO_TEST_CASE(every_length_hashed_in_pieces_equals_one_update) {
  for (std::size_t n = 0; n <= 200; ++n) {
    const std::string data = pattern(n);
    const std::string whole = fhir::to_hex(fhir::sha1(data));
    for (const std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{55}, std::size_t{63}, std::size_t{64}, std::size_t{65}}) {
      fhir::Sha1 s;
      for (std::size_t at = 0; at < n; at += piece) s.update(std::string_view(data).substr(at, piece));
      BOOST_TEST_REQUIRE(fhir::to_hex(s.finish()) == whole, "length " << n << " in pieces of " << piece);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_length_matches_an_independent_sha1) {
  // Whichever block function the CPU selects (SHA-NI or portable), every padding case agrees
  // with a plain implementation of FIPS 180-4.
  for (std::size_t n = 0; n <= 200; ++n) {
    const std::string data = pattern(n);
    BOOST_TEST_REQUIRE(fhir::to_hex(fhir::sha1(data)) == reference_sha1_hex(data), "length " << n);
  }
}

BOOST_AUTO_TEST_CASE(finish_leaves_the_state_as_it_was) {
  fhir::Sha1 s;
  s.update("ab");
  BOOST_TEST(fhir::to_hex(s.finish()) == fhir::to_hex(fhir::sha1("ab")));
  s.update("c");
  BOOST_TEST(fhir::to_hex(s.finish()) == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

// Expected values from Python: str(uuid.uuid5(namespace, name)).
BOOST_AUTO_TEST_CASE(uuid_v5_matches_python_uuid5) {
  const char* dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
  const char* url = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
  const char* oid = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";
  BOOST_TEST(fhir::uuid_v5(dns, "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  BOOST_TEST(fhir::uuid_v5(dns, "") == "4ebd0208-8328-5d69-8c44-ec50939c0967");
  BOOST_TEST(fhir::uuid_v5(oid, "Née µmol/L") == "59999ff9-5ab9-585f-b1ab-e0184bdd1967");
  // The namespace of casefhir's resource ids is itself a v5 UUID (resources.cpp).
  BOOST_TEST(fhir::uuid_v5(url, "https://casefhir.invalid/resource-ids") == "1029a587-b0b0-5b99-8fcc-e0165f8790fb");
  // Names that end just before, at and well past a SHA-1 block boundary (16-byte namespace + name).
  BOOST_TEST(fhir::uuid_v5(url, std::string(47, 'a')) == "60100e11-180f-59cb-911f-bdb3aa734c9d");
  BOOST_TEST(fhir::uuid_v5(url, std::string(48, 'a')) == "aa33c522-9edc-58a5-b5af-e2a12995886e");
  BOOST_TEST(fhir::uuid_v5(url, std::string(200, 'a')) == "7f4631a0-b493-5760-92a5-27e642bfb142");
}

BOOST_AUTO_TEST_CASE(uuid_v5_reads_an_upper_case_namespace) {
  BOOST_TEST(fhir::uuid_v5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

BOOST_AUTO_TEST_CASE(namer_with_a_shared_prefix_gives_the_uuid_of_the_whole_name) {
  const char* ns = "1029a587-b0b0-5b99-8fcc-e0165f8790fb";
  // The prefix every id of a document shares: SHA-1 of its text, hex, then "|ids:v1|" (48 bytes).
  const std::string prefix = "84ddf0d9449e45b2ce4e5f3b7238a55505465ca3|ids:v1|";
  const fhir::UuidV5Namer namer(ns, prefix);
  BOOST_TEST(namer.uuid("Patient|patient") == "387710d2-113e-556e-a795-62a190cce1ec");   // Python
  for (const std::string& rest : std::vector<std::string>{"", "x", "Condition|pneumonia/0", std::string(130, 'z')})
    BOOST_TEST(namer.uuid(rest) == fhir::uuid_v5(ns, prefix + rest));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- fhir_builder -------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(fhir_builder)

BOOST_AUTO_TEST_CASE(resource_type_is_the_first_key_of_the_bundle_and_of_every_resource) {
  const Conversion c = convert_text(
      "A 46-year-old man had a plaque on his right cheek and no pneumonia. His mother had diabetes. "
      "A biopsy was done. Serum sodium was 128 mmol/L.\n");
  const ordered_json bundle = ordered_json::parse(c.bundle);
  BOOST_TEST(bundle.begin().key() == "resourceType");
  BOOST_TEST(bundle["resourceType"] == "Bundle");
  BOOST_REQUIRE(bundle["entry"].size() >= 7u);
  for (const auto& e : bundle["entry"]) BOOST_TEST(e["resource"].begin().key() == "resourceType");
  BOOST_TEST(bundle["entry"].size() == c.resources);
}

BOOST_AUTO_TEST_CASE(same_text_gives_a_byte_identical_bundle_and_other_text_other_ids) {
  const std::string text = "A 46-year-old man had fever and no cough.\n";
  const Conversion first = convert_text(text);
  const Conversion second = convert_text(text);
  BOOST_TEST(first.bundle == second.bundle);
  const ordered_json a = ordered_json::parse(first.bundle);
  const ordered_json b = ordered_json::parse(convert_text("A 46-year-old man had fever and no cough!\n").bundle);
  BOOST_TEST(a["id"] != b["id"]);
  BOOST_TEST(resources(a, "Patient")[0]["id"] != resources(b, "Patient")[0]["id"]);
}

BOOST_AUTO_TEST_CASE(ids_are_the_documented_name_based_uuids_of_the_source_text) {
  // uuid5(1029a587-…, sha1_hex(text) + "|ids:v1|" + type + "|" + identity), computed with Python;
  // a changed id would make a re-import duplicate instead of update.
  const Conversion c = convert_text("A 46-year-old man had fever.\n");
  const ordered_json bundle = ordered_json::parse(c.bundle);
  BOOST_TEST(bundle["id"] == "bb4afec5-4b27-5136-ace5-8bfecc0cbf70");
  BOOST_TEST(resources(bundle, "Patient")[0]["id"] == "387710d2-113e-556e-a795-62a190cce1ec");
  BOOST_TEST(resources(bundle, "DocumentReference")[0]["id"] == "2e11c0e3-01ae-5902-9767-7fef3da32069");
}

BOOST_AUTO_TEST_CASE(document_reference_holds_the_text_with_its_sha1_hash_and_size) {
  const Conversion c = convert_text("A 46-year-old man had fever.\n");
  const ordered_json bundle = ordered_json::parse(c.bundle);
  const auto docs = resources(bundle, "DocumentReference");
  BOOST_REQUIRE_EQUAL(docs.size(), 1u);
  const auto& attachment = docs[0]["content"][0]["attachment"];
  BOOST_TEST(attachment["data"] == "QSA0Ni15ZWFyLW9sZCBtYW4gaGFkIGZldmVyLgo=");   // Python base64
  BOOST_TEST(attachment["hash"] == "hN3w2USeRbLOTl87cjilVQVGXKM=");               // base64 of the SHA-1 digest
  BOOST_TEST(attachment["size"] == 29);
  BOOST_TEST(attachment["contentType"] == "text/plain; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(collection_entries_have_the_resource_id_in_their_full_url) {
  const Conversion c = convert_text("A 46-year-old man had fever and no pneumonia. His mother had diabetes.\n");
  const ordered_json bundle = ordered_json::parse(c.bundle);
  BOOST_TEST(bundle["type"] == "collection");
  for (const auto& e : bundle["entry"]) {
    BOOST_REQUIRE(e["resource"].contains("id"));
    BOOST_TEST(e["fullUrl"] == "urn:uuid:" + e["resource"]["id"].get<std::string>());
    BOOST_TEST(!e.contains("request"));
  }
}

BOOST_AUTO_TEST_CASE(transaction_entries_post_with_a_conditional_create_on_their_identifier) {
  const Conversion c = convert_text("A 46-year-old man had fever and no pneumonia. His mother had diabetes.\n", default_mappings(),
                                    BundleType::transaction);
  const ordered_json bundle = ordered_json::parse(c.bundle);
  BOOST_TEST(bundle["type"] == "transaction");
  BOOST_REQUIRE(!bundle["entry"].empty());
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    BOOST_TEST(!r.contains("id"), "the server assigns ids in a transaction");
    BOOST_REQUIRE(r.contains("identifier"));
    const auto& identifier = r["identifier"][0];
    BOOST_TEST(identifier["system"] == "urn:ietf:rfc:3986");
    // Never the fullUrl: a server rewrites every string equal to a fullUrl in a transaction
    // (Medplum, identifier values included), and the next import would then match nothing.
    BOOST_TEST(identifier["value"].get<std::string>().rfind("urn:uuid:", 0) == 0u);
    BOOST_TEST(identifier["value"] != e["fullUrl"]);
    BOOST_REQUIRE(e.contains("request"));
    BOOST_TEST(e["request"]["method"] == "POST");
    BOOST_TEST(e["request"]["url"] == r["resourceType"]);
    BOOST_TEST(e["request"]["ifNoneExist"] == "identifier=urn:ietf:rfc:3986|" + identifier["value"].get<std::string>());
  }
}

BOOST_AUTO_TEST_CASE(derivation_reference_offsets_count_code_points_of_non_ascii_text) {
  const std::string text = "Née Dupont, a 50-year-old woman, had creatinine 150 µmol/L and fever.";
  const Conversion c = convert_text(text);
  const ordered_json bundle = ordered_json::parse(c.bundle);
  const auto fever = with_code(bundle, "Observation", kSnomed, "386661006");
  BOOST_REQUIRE_EQUAL(fever.size(), 1u);
  BOOST_TEST(evidence_text(text, fever[0]) == (Strings{"fever"}), boost::test_tools::per_element());
  // "fever" starts at code point 63 (byte 65: "é" and "µ" take two bytes each).
  std::size_t offset = 0;
  for (const auto& x : fever[0]["extension"][0]["extension"])
    if (x["url"] == "offset") offset = x["valueInteger"].get<std::size_t>();
  BOOST_TEST(offset == 63u);
  // µmol/L: creatinine as a substance concentration (LOINC 14682-9), not 2160-0 [Mass/volume].
  const auto creatinine = with_code(bundle, "Observation", kLoinc, "14682-9");
  BOOST_REQUIRE_EQUAL(creatinine.size(), 1u);
  BOOST_TEST(evidence_text(text, creatinine[0]) == (Strings{"creatinine", "150 µmol/L"}), boost::test_tools::per_element());
  BOOST_TEST(evidence_text(text, resources(bundle, "Patient")[0]) == (Strings{"woman"}), boost::test_tools::per_element());
  // The derivation-reference points at the bundle's DocumentReference.
  const std::string document = "urn:uuid:" + resources(bundle, "DocumentReference")[0]["id"].get<std::string>();
  BOOST_TEST(fever[0]["extension"][0]["extension"][0]["valueReference"]["reference"] == document);
}

// Codings of one CodeableConcept are codes for the same concept: an imported concept that carries
// several codes of one system (the Disease Ontology cites SNOMED CT 70142008 Atrial septal defect
// and 405752007 Congenital atrial septal defect for one disease) writes only the first of each.
BOOST_AUTO_TEST_CASE(a_codeable_concept_holds_one_coding_per_code_system) {
  const std::string text = "A 40-year-old woman had an atrial septal defect, a patent foramen ovale and uveitis.\n";
  std::size_t concepts = 0;
  std::function<void(const ordered_json&)> check = [&](const ordered_json& j) {
    if (j.is_object() && j.contains("coding")) {
      ++concepts;
      std::set<std::string> systems;
      for (const auto& c : j["coding"]) BOOST_TEST(systems.insert(c["system"].get<std::string>()).second, j.dump());
    }
    if (j.is_structured())
      for (const auto& v : j) check(v);
  };
  for (const bool pretty : {false, true}) {
    ConvertOptions options;
    options.bundle.pretty = pretty;
    const ordered_json bundle = ordered_json::parse(Converter(default_mappings(), options).convert(text, "test.txt").bundle);
    BOOST_REQUIRE_EQUAL(with_code(bundle, "Condition", kSnomed, "70142008").size(), 1u);
    check(bundle);
  }
  BOOST_TEST(concepts > 6u);
}

BOOST_AUTO_TEST_CASE(negated_disorder_becomes_a_refuted_inactive_condition) {
  const ordered_json bundle = ordered_json::parse(convert_text("The patient had no pneumonia.\n").bundle);
  const auto pneumonia = with_code(bundle, "Condition", kSnomed, "233604007");
  BOOST_REQUIRE_EQUAL(pneumonia.size(), 1u);
  BOOST_TEST(code_of(pneumonia[0], "verificationStatus") == "refuted");
  BOOST_TEST(code_of(pneumonia[0], "clinicalStatus") == "inactive");
}

// A past medical history of a condition that lasts once had (diabetes, hypertension: ICD-10-CM
// categories of `lasting-condition-categories`; "chronic" in its name) is a patient who has it:
// active. One of the past (pneumonia, myocardial infarction) is inactive.
BOOST_AUTO_TEST_CASE(a_history_of_a_lasting_condition_is_active_and_of_a_past_one_inactive) {
  const ordered_json bundle = ordered_json::parse(
      convert_text("She had a past medical history of hypertension, chronic renal insufficiency and type 2 diabetes. "
                   "She had a history of pneumonia and myocardial infarction.\n").bundle);
  std::map<std::string, std::string> status;
  for (const auto& c : resources(bundle, "Condition")) status[c["code"]["text"].get<std::string>()] = code_of(c, "clinicalStatus");
  BOOST_TEST(status["hypertension"] == "active");
  BOOST_TEST(status["chronic renal insufficiency"] == "active");
  BOOST_TEST(status["type 2 diabetes"] == "active");
  BOOST_TEST(status["pneumonia"] == "inactive");
  BOOST_TEST(status["myocardial infarction"] == "inactive");
  // An acute event inside a lasting category (E11.1x diabetic ketoacidosis) is over.
  const ordered_json dka = ordered_json::parse(convert_text("He had a history of diabetic ketoacidosis.\n").bundle);
  for (const auto& c : resources(dka, "Condition")) BOOST_TEST(code_of(c, "clinicalStatus") == "inactive");
  // A refuted one stays inactive, lasting or not.
  const ordered_json refuted = ordered_json::parse(convert_text("She had no history of diabetes.\n").bundle);
  for (const auto& c : resources(refuted, "Condition")) BOOST_TEST(code_of(c, "clinicalStatus") == "inactive");
}

BOOST_AUTO_TEST_CASE(mothers_disease_becomes_family_member_history_not_a_condition) {
  const ordered_json bundle = ordered_json::parse(convert_text("His mother had diabetes.\n").bundle);
  BOOST_TEST(resources(bundle, "Condition").empty());
  const auto history = resources(bundle, "FamilyMemberHistory");
  BOOST_REQUIRE_EQUAL(history.size(), 1u);
  const auto& h = history[0];
  BOOST_TEST(h["status"] == "completed");
  BOOST_TEST(has_code(h["relationship"], "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH"));
  BOOST_REQUIRE_EQUAL(h["condition"].size(), 1u);
  BOOST_TEST(has_code(h["condition"][0]["code"], kSnomed, "73211009"));
  const std::string patient = "urn:uuid:" + resources(bundle, "Patient")[0]["id"].get<std::string>();
  BOOST_TEST(h["patient"]["reference"] == patient);
}

BOOST_AUTO_TEST_CASE(negated_procedure_has_status_not_done) {
  const ordered_json bundle = ordered_json::parse(convert_text("No biopsy was performed.\n").bundle);
  const auto biopsy = resources(bundle, "Procedure");
  BOOST_REQUIRE_EQUAL(biopsy.size(), 1u);
  BOOST_TEST(biopsy[0]["status"] == "not-done");
}

BOOST_AUTO_TEST_CASE(procedure_that_was_not_performed_has_status_not_done) {
  // "not performed" / "not done" after a procedure say it did not happen; a completed Procedure
  // would record one that never took place.
  for (const char* text : {"A biopsy was not performed.\n", "Skin biopsy was not done.\n"}) {
    const ordered_json bundle = ordered_json::parse(convert_text(text).bundle);
    const auto procedures = resources(bundle, "Procedure");
    BOOST_REQUIRE_EQUAL(procedures.size(), 1u);
    BOOST_TEST(procedures[0]["status"] == "not-done", "\"" << text << "\" gives status " << procedures[0]["status"]);
  }
}

BOOST_AUTO_TEST_CASE(lab_observation_has_a_ucum_value_interpretation_and_the_stated_reference_range) {
  const ordered_json bundle =
      ordered_json::parse(convert_text("Serum sodium was 128 mmol/L (reference range 135-145 mmol/L).\n").bundle);
  const auto sodium = with_code(bundle, "Observation", kLoinc, "2951-2");
  BOOST_REQUIRE_EQUAL(sodium.size(), 1u);
  const auto& o = sodium[0];
  BOOST_TEST(o["category"][0]["coding"][0]["code"] == "laboratory");
  const auto& q = o["valueQuantity"];
  BOOST_TEST(q["value"] == 128);
  BOOST_TEST(q["system"] == kUcum);
  BOOST_TEST(q["code"] == "mmol/L");
  BOOST_TEST(o["interpretation"][0]["coding"][0]["code"] == "L");
  BOOST_REQUIRE(o.contains("referenceRange"));
  const auto& range = o["referenceRange"][0];
  BOOST_TEST(range["low"]["value"] == 135);
  BOOST_TEST(range["low"]["system"] == kUcum);
  BOOST_TEST(range["low"]["code"] == "mmol/L");
  BOOST_TEST(range["high"]["value"] == 145);
  BOOST_TEST(!o.contains("valueCodeableConcept"));
}

BOOST_AUTO_TEST_CASE(finding_observation_states_present_or_absent_with_the_mappings_codes) {
  const std::string text = "He had fever but no cough.\n";
  const ObservationValues& values = default_mappings().observation_values();
  BOOST_REQUIRE(values.present.has_value());
  BOOST_REQUIRE(values.absent.has_value());
  const ordered_json bundle = ordered_json::parse(convert_text(text).bundle);
  const auto fever = with_code(bundle, "Observation", kSnomed, "386661006");
  const auto cough = with_code(bundle, "Observation", kSnomed, "49727002");
  BOOST_REQUIRE_EQUAL(fever.size(), 1u);
  BOOST_REQUIRE_EQUAL(cough.size(), 1u);
  BOOST_TEST(has_code(fever[0]["valueCodeableConcept"], values.present->system, values.present->code));
  BOOST_TEST(has_code(cough[0]["valueCodeableConcept"], values.absent->system, values.absent->code));
  BOOST_TEST(values.present->code == "52101004");
  BOOST_TEST(values.absent->code == "2667000");
  // The codes are the mappings', not the program's: a user file changes them.
  const Mappings local = default_mappings().extended({{"values.json", R"({"observation_values": {
      "present": {"system": "urn:example:presence", "code": "yes"},
      "absent": {"system": "urn:example:presence", "code": "no"}}})"}});
  const ordered_json relabelled = ordered_json::parse(convert_text(text, local).bundle);
  BOOST_TEST(has_code(with_code(relabelled, "Observation", kSnomed, "386661006").at(0)["valueCodeableConcept"], "urn:example:presence", "yes"));
  BOOST_TEST(has_code(with_code(relabelled, "Observation", kSnomed, "49727002").at(0)["valueCodeableConcept"], "urn:example:presence", "no"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
