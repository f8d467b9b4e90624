// Golden samples (STYLE.md §8): every samples/<name>.txt, found at run time, converts byte for byte
// to samples/<name>.bundle.json, and every Bundle the samples give keeps the invariants a FHIR
// consumer relies on. A new sample is a new test: drop <name>.txt into samples/ and run
// tests/update-goldens.sh, then read the diff it prints.
//
// The invariants are checked with code of their own (base64, SHA-1, UTF-8 decoding), not with the
// library's, so a bug there cannot hide itself.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
namespace data = boost::unit_test::data;

const char* const kDerivationReference = "http://hl7.org/fhir/StructureDefinition/derivation-reference";
const char* const kRegenerate =
    "if the change is intended, regenerate the goldens with tests/update-goldens.sh "
    "(after cmake --build build) and read `git diff samples/` before committing";

// --- the samples folder ----------------------------------------------------------------------

fs::path samples_dir() { return source_dir() / "samples"; }

// Sample names (file stems), sorted so that test numbering is stable across file systems.
std::vector<std::string> sample_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(samples_dir(), ec))
    if (e.is_regular_file() && e.path().extension() == ".txt") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

fs::path input_path(const std::string& name) { return samples_dir() / (name + ".txt"); }
fs::path golden_path(const std::string& name) { return samples_dir() / (name + ".bundle.json"); }

// Converts a sample as `casefhir convert samples/<name>.txt` does (the CLI names the document by
// the path it was given; only its last component reaches the Bundle, as the attachment title).
Conversion convert_sample(const std::string& name, BundleType type, bool pretty,
                          const Mappings& mappings = default_mappings()) {
  ConvertOptions options;
  options.bundle.type = type;
  options.bundle.pretty = pretty;
  const fs::path relative = fs::path("samples") / (name + ".txt");
  return Converter(mappings, options).convert(read_text_file(input_path(name)), relative.string());
}

// --- a readable JSON diff --------------------------------------------------------------------

std::string shorten(const std::string& s, std::size_t max = 160) {
  return s.size() <= max ? s : s.substr(0, max) + "… (" + std::to_string(s.size()) + " chars)";
}

// "Observation 'Serum calcium'" for a path under /entry/N, so a reader knows which resource moved.
std::string entry_label(const FhirJson& bundle, const std::string& path) {
  if (path.rfind("/entry/", 0) != 0) return {};
  const std::size_t end = path.find('/', 7);
  const std::string index = path.substr(7, end == std::string::npos ? std::string::npos : end - 7);
  if (index.empty() || !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; })) return {};
  const std::size_t i = std::stoul(index);
  if (!bundle.contains("entry") || i >= bundle["entry"].size()) return {};
  const auto& r = bundle["entry"][i].value("resource", FhirJson::object());
  std::string label = r.value("resourceType", "?");
  if (r.contains("code") && r["code"].contains("text")) label += " '" + r["code"]["text"].get<std::string>() + "'";
  return " [" + label + "]";
}

std::string value_at(const FhirJson& doc, const std::string& path) {
  if (path.find("/-") != std::string::npos) return "(absent)";
  const FhirJson::json_pointer pointer(path);
  return doc.contains(pointer) ? shorten(doc.at(pointer).dump()) : "(absent)";
}

// The first differing JSON pointers, each with the golden's value and the new one.
std::string json_difference(const std::string& expected_text, const std::string& actual_text) {
  std::ostringstream out;
  FhirJson expected, actual;
  try {
    expected = FhirJson::parse(expected_text);
  } catch (const std::exception& e) {
    return std::string("the golden file is not JSON: ") + e.what();
  }
  actual = FhirJson::parse(actual_text);
  const FhirJson patch = FhirJson::diff(expected, actual);
  if (patch.empty()) {
    // Same JSON values: key order or layout changed. Show the first line that differs.
    std::istringstream e(expected_text), a(actual_text);
    std::string el, al;
    for (std::size_t line = 1;; ++line) {
      const bool he = static_cast<bool>(std::getline(e, el)), ha = static_cast<bool>(std::getline(a, al));
      if (!he && !ha) break;
      if (!he || !ha || el != al) {
        out << "the JSON values are equal but the text differs (key order, number format or layout); first at line "
            << line << ":\n  golden: " << (he ? shorten(el) : "(end of file)") << "\n  now:    " << (ha ? shorten(al) : "(end of file)");
        break;
      }
    }
    return out.str();
  }
  constexpr std::size_t kShown = 15;
  out << patch.size() << " JSON difference(s) (golden → now):";
  for (std::size_t i = 0; i < patch.size() && i < kShown; ++i) {
    const auto& op = patch[i];
    const std::string path = op["path"];
    out << "\n  " << op["op"].get<std::string>() << " " << path << entry_label(expected.contains("entry") ? expected : actual, path)
        << "\n    golden: " << value_at(expected, path)
        << "\n    now:    " << (op.contains("value") ? shorten(op["value"].dump()) : "(absent)");
  }
  if (patch.size() > kShown) out << "\n  … and " << patch.size() - kShown << " more";
  return out.str();
}

// --- independent decoders: base64, SHA-1, UTF-8 ----------------------------------------------

std::string base64_encode(const std::string& in) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t(std::uint8_t(in[i])) << 16) | (std::uint32_t(std::uint8_t(in[i + 1])) << 8) | std::uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(alphabet[(v >> s) & 63u]);
  }
  if (i + 1 == in.size()) {
    const std::uint32_t v = std::uint32_t(std::uint8_t(in[i])) << 16;
    out += {alphabet[(v >> 18) & 63u], alphabet[(v >> 12) & 63u], '=', '='};
  } else if (i + 2 == in.size()) {
    const std::uint32_t v = (std::uint32_t(std::uint8_t(in[i])) << 16) | (std::uint32_t(std::uint8_t(in[i + 1])) << 8);
    out += {alphabet[(v >> 18) & 63u], alphabet[(v >> 12) & 63u], alphabet[(v >> 6) & 63u], '='};
  }
  return out;
}

// SHA-1 (FIPS 180-4), the digest FHIR Attachment.hash carries.
std::string sha1(const std::string& message) {
  std::array<std::uint32_t, 5> h = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
  std::string m = message;
  const std::uint64_t bit_length = std::uint64_t(message.size()) * 8u;
  m.push_back(static_cast<char>(0x80));
  while (m.size() % 64 != 56) m.push_back('\0');
  for (int s = 56; s >= 0; s -= 8) m.push_back(static_cast<char>((bit_length >> s) & 0xFFu));
  auto rotl = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  for (std::size_t block = 0; block < m.size(); block += 64) {
    std::array<std::uint32_t, 80> w{};
    for (int t = 0; t < 16; ++t)
      for (int b = 0; b < 4; ++b) w[t] = (w[t] << 8) | std::uint8_t(m[block + std::size_t(t * 4 + b)]);
    for (int t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; ++t) {
      std::uint32_t f, k;
      if (t < 20) f = (b & c) | (~b & d), k = 0x5A827999u;
      else if (t < 40) f = b ^ c ^ d, k = 0x6ED9EBA1u;
      else if (t < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDCu;
      else f = b ^ c ^ d, k = 0xCA62C1D6u;
      const std::uint32_t temp = rotl(a, 5) + f + e + k + w[t];
      e = d, d = c, c = rotl(b, 30), b = a, a = temp;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  std::string digest;
  for (std::uint32_t v : h)
    for (int s = 24; s >= 0; s -= 8) digest.push_back(static_cast<char>((v >> s) & 0xFFu));
  return digest;
}

// UTF-8 → code points (the unit derivation-reference offsets count). The samples are valid UTF-8.
std::u32string code_points(const std::string& utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = std::uint8_t(utf8[i]);
    const int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1Fu) : extra == 2 ? (c & 0x0Fu) : (c & 0x07u);
    for (int k = 1; k <= extra && i + std::size_t(k) < utf8.size(); ++k) cp = (cp << 6) | (std::uint8_t(utf8[i + std::size_t(k)]) & 0x3Fu);
    out.push_back(cp);
    i += std::size_t(extra) + 1;
  }
  return out;
}

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 || c == 0x2009 || c == 0x202F; }

std::string to_utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) out.push_back(char(c));
    else if (c < 0x800) out += {char(0xC0 | (c >> 6)), char(0x80 | (c & 0x3F))};
    else if (c < 0x10000) out += {char(0xE0 | (c >> 12)), char(0x80 | ((c >> 6) & 0x3F)), char(0x80 | (c & 0x3F))};
    else out += {char(0xF0 | (c >> 18)), char(0x80 | ((c >> 12) & 0x3F)), char(0x80 | ((c >> 6) & 0x3F)), char(0x80 | (c & 0x3F))};
  }
  return out;
}

// --- one sample, converted once per test process ---------------------------------------------

struct Derivation {
  std::string reference;
  long long offset = -1;
  long long length = -1;
};

struct Sample {
  std::string name;
  std::string file_text;        // the sample file, byte order mark removed
  std::string pretty;           // collection, pretty
  FhirJson bundle;
  std::string document_url;     // fullUrl of the DocumentReference
  FhirJson attachment;
  std::string source;           // decoded from the attachment
  std::u32string source_cp;
};

const Sample& sample(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Sample>> cache;
  auto& slot = cache[name];
  if (slot) return *slot;
  auto s = std::make_unique<Sample>();
  s->name = name;
  s->file_text = read_text_file(input_path(name));
  if (s->file_text.rfind("\xEF\xBB\xBF", 0) == 0) s->file_text.erase(0, 3);
  s->pretty = convert_sample(name, BundleType::collection, true).bundle;
  s->bundle = FhirJson::parse(s->pretty);
  for (const auto& e : s->bundle["entry"]) {
    if (e["resource"]["resourceType"] != "DocumentReference") continue;
    s->document_url = e["fullUrl"];
    s->attachment = e["resource"]["content"][0]["attachment"];
    s->source = base64_decode(s->attachment.value("data", ""));
    s->source_cp = code_points(s->source);
  }
  slot = std::move(s);
  return *slot;
}

std::vector<Derivation> derivations(const FhirJson& resource) {
  std::vector<Derivation> out;
  if (!resource.contains("extension")) return out;
  for (const auto& ext : resource["extension"]) {
    if (ext.value("url", "") != kDerivationReference) continue;
    Derivation d;
    for (const auto& x : ext.value("extension", FhirJson::array())) {
      const std::string url = x.value("url", "");
      if (url == "reference") d.reference = x["valueReference"].value("reference", "");
      if (url == "offset") d.offset = x.value("valueInteger", -1LL);
      if (url == "length") d.length = x.value("valueInteger", -1LL);
    }
    out.push_back(d);
  }
  return out;
}

// Every value of a "reference" key, anywhere in the tree.
void collect_references(const FhirJson& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key == "reference" && value.is_string()) out.push_back(value);
      else collect_references(value, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_references(v, out);
  }
}

// The numbers written in a stretch of text: "9.2", "150,000" (thousands), ".5", and, for a
// decimal comma ("9,2"), that reading too.
std::vector<double> numbers_in(std::u32string_view text) {
  std::vector<double> out;
  auto digit = [](char32_t c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 0; i < text.size();) {
    const bool leading_point = text[i] == '.' && i + 1 < text.size() && digit(text[i + 1]) && (i == 0 || !digit(text[i - 1]));
    if (!digit(text[i]) && !leading_point) {
      ++i;
      continue;
    }
    std::string token;
    while (i < text.size() && (digit(text[i]) || ((text[i] == '.' || text[i] == ',') && i + 1 < text.size() && digit(text[i + 1]))))
      token.push_back(char(text[i++]));
    std::string plain;   // commas as thousands separators
    std::string comma_decimal;
    for (char c : token) {
      if (c != ',') plain.push_back(c);
      comma_decimal.push_back(c == ',' ? '.' : c);
    }
    for (const std::string& t : {plain, comma_decimal, token.substr(0, token.find_first_of(".,"))}) {
      if (t.empty() || std::count(t.begin(), t.end(), '.') > 1) continue;
      try {
        out.push_back(std::stod(t[0] == '.' ? "0" + t : t));
      } catch (const std::exception&) {
      }
    }
  }
  return out;
}

// How far from a resource's evidence a value may be written. Lab and vital-sign values lie inside
// an evidence span of their own ("131 mmol/L"); a size or an age at onset follows the finding it
// belongs to within its clause ("white plaque with an irregular surface 0.5 cm x 1 cm": 36 code
// points in the samples).
constexpr long long kNear = 80;   // code points

}  // namespace

// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(samples)

BOOST_AUTO_TEST_CASE(samples_folder_has_case_reports) {
  BOOST_TEST(!sample_names().empty(), "no samples/*.txt under " << samples_dir());
}

BOOST_AUTO_TEST_CASE(every_golden_bundle_has_its_sample) {
  for (const auto& e : fs::directory_iterator(samples_dir())) {
    const std::string file = e.path().filename().string();
    const std::string suffix = ".bundle.json";
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    const std::string stem = file.substr(0, file.size() - suffix.size());
    BOOST_TEST(fs::exists(input_path(stem)), "samples/" << file << " has no samples/" << stem << ".txt; delete it or add the sample");
  }
}

BOOST_DATA_TEST_CASE(sample_converts_byte_for_byte_to_its_golden_bundle, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  BOOST_TEST_REQUIRE(fs::exists(golden_path(name)),
                     "samples/" << name << ".bundle.json is missing; create it with tests/update-goldens.sh and read it");
  const std::string expected = read_text_file(golden_path(name));
  const std::string actual = convert_sample(name, BundleType::collection, true).bundle;
  if (expected == actual) return;
  BOOST_ERROR("samples/" << name << ".bundle.json differs from the conversion of samples/" << name << ".txt\n"
                         << json_difference(expected, actual) << "\n"
                         << kRegenerate);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(sample_invariants)

BOOST_DATA_TEST_CASE(bundle_has_exactly_one_patient, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  const auto& s = sample(name);
  const auto patients = std::count_if(s.bundle["entry"].begin(), s.bundle["entry"].end(),
                                      [](const FhirJson& e) { return e["resource"]["resourceType"] == "Patient"; });
  BOOST_TEST(patients == 1);
}

BOOST_DATA_TEST_CASE(full_urls_and_resource_ids_are_unique, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  const auto& s = sample(name);
  std::set<std::string> urls, ids;
  for (const auto& e : s.bundle["entry"]) {
    BOOST_TEST_REQUIRE(e.contains("fullUrl"));
    const std::string url = e["fullUrl"], id = e["resource"].value("id", "");
    BOOST_TEST(urls.insert(url).second, "duplicate fullUrl " << url);
    BOOST_TEST(!id.empty(), "resource without id: " << url);
    BOOST_TEST(ids.insert(id).second, "duplicate resource id " << id);
    BOOST_TEST(url == "urn:uuid:" + id, "fullUrl " << url << " does not name id " << id);
  }
}

BOOST_DATA_TEST_CASE(every_reference_resolves_to_an_entry_of_the_bundle, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  const auto& s = sample(name);
  std::set<std::string> urls;
  for (const auto& e : s.bundle["entry"]) urls.insert(e["fullUrl"].get<std::string>());
  std::vector<std::string> references;
  collect_references(s.bundle, references);
  BOOST_TEST(!references.empty());
  for (const auto& r : references) BOOST_TEST(urls.count(r) == 1u, "unresolved reference " << r);
}

BOOST_DATA_TEST_CASE(document_reference_holds_the_sample_text_with_its_size_and_sha1, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  const auto& s = sample(name);
  BOOST_TEST_REQUIRE(!s.document_url.empty(), "no DocumentReference");
  BOOST_TEST(s.source == s.file_text, "the attachment is not the sample text");
  BOOST_TEST(s.attachment.value("size", -1LL) == static_cast<long long>(s.source.size()));
  BOOST_TEST(s.attachment.value("hash", "") == base64_encode(sha1(s.source)), "Attachment.hash is not the base64 SHA-1 of the data");
}

BOOST_DATA_TEST_CASE(every_resource_points_at_non_blank_source_text, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  const auto& s = sample(name);
  const auto size = static_cast<long long>(s.source_cp.size());
  for (const auto& e : s.bundle["entry"]) {
    const auto& r = e["resource"];
    if (r["resourceType"] == "DocumentReference") continue;
    BOOST_TEST_CONTEXT(r["resourceType"].get<std::string>() << " " << e["fullUrl"].get<std::string>()) {
      const auto ds = derivations(r);
      BOOST_TEST(!ds.empty(), "no derivation-reference");
      for (const auto& d : ds) {
        BOOST_TEST(d.reference == s.document_url, "derivation-reference points at " << d.reference);
        BOOST_TEST((d.offset >= 0 && d.length > 0 && d.offset + d.length <= size),
                   "span [" << d.offset << ", +" << d.length << ") outside the " << size << " code points of the source");
        if (d.offset < 0 || d.length <= 0 || d.offset + d.length > size) continue;
        const std::u32string_view covered(s.source_cp.data() + d.offset, std::size_t(d.length));
        BOOST_TEST(!std::all_of(covered.begin(), covered.end(), is_space), "span covers only white space");
      }
    }
  }
}

BOOST_DATA_TEST_CASE(every_quantity_value_is_written_in_the_source_at_or_near_its_evidence, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  const auto& s = sample(name);
  const auto size = static_cast<long long>(s.source_cp.size());
  std::size_t checked = 0;
  for (const auto& e : s.bundle["entry"]) {
    const auto& r = e["resource"];
    std::vector<std::pair<std::string, double>> values;
    if (r.contains("valueQuantity") && r["valueQuantity"].contains("value"))
      values.emplace_back("valueQuantity", r["valueQuantity"]["value"].get<double>());
    if (r.contains("onsetAge") && r["onsetAge"].contains("value")) values.emplace_back("onsetAge", r["onsetAge"]["value"].get<double>());
    if (r.contains("condition"))   // FamilyMemberHistory: "a deep vein thrombosis at the age of 29"
      for (std::size_t i = 0; i < r["condition"].size(); ++i) {
        const auto& c = r["condition"][i];
        if (c.contains("onsetAge") && c["onsetAge"].contains("value"))
          values.emplace_back("condition/" + std::to_string(i) + "/onsetAge", c["onsetAge"]["value"].get<double>());
      }
    if (r.contains("component"))
      for (std::size_t i = 0; i < r["component"].size(); ++i) {
        const auto& c = r["component"][i];
        if (c.contains("valueQuantity") && c["valueQuantity"].contains("value"))
          values.emplace_back("component/" + std::to_string(i) + "/valueQuantity", c["valueQuantity"]["value"].get<double>());
      }
    if (values.empty()) continue;
    const auto ds = derivations(r);
    for (const auto& [where, value] : values) {
      ++checked;
      bool found = false;
      std::string windows;
      for (const auto& d : ds) {
        const long long begin = std::max(0LL, d.offset - kNear), end = std::min(size, d.offset + d.length + kNear);
        if (begin >= end) continue;
        const std::u32string_view window(s.source_cp.data() + begin, std::size_t(end - begin));
        for (double n : numbers_in(window)) found = found || std::fabs(n - value) <= 1e-9 * std::max(1.0, std::fabs(value));
        windows += "\n    near: \"" + to_utf8(window) + "\"";
      }
      BOOST_TEST(found, r["resourceType"].get<std::string>() << " '" << r.value("code", FhirJson::object()).value("text", "")
                                                           << "' " << where << " = " << value
                                                           << " is not written within " << kNear
                                                           << " code points of its evidence" << windows);
    }
  }
  BOOST_TEST_MESSAGE(name << ": " << checked << " quantity values checked");
}

BOOST_DATA_TEST_CASE(converting_twice_gives_identical_bytes, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  // Same converter, a freshly loaded set of mappings, and both bundle types and layouts.
  const Mappings fresh = Mappings::load({});
  for (const BundleType type : {BundleType::collection, BundleType::transaction})
    for (const bool pretty : {false, true}) {
      const std::string first = convert_sample(name, type, pretty).bundle;
      BOOST_TEST((first == convert_sample(name, type, pretty).bundle));
      BOOST_TEST((first == convert_sample(name, type, pretty, fresh).bundle), "differs with freshly loaded mappings");
    }
  BOOST_TEST((convert_sample(name, BundleType::collection, true).bundle == sample(name).pretty));
}

BOOST_DATA_TEST_CASE(transaction_has_a_request_on_every_entry_and_no_resource_ids, data::make(sample_names()), sample_name) {
  const std::string name = sample_name;   // the body is a template; a plain string keeps it non-dependent
  const FhirJson t = FhirJson::parse(convert_sample(name, BundleType::transaction, false).bundle);
  BOOST_TEST(t["type"] == "transaction");
  BOOST_TEST((!t.contains("id") || t["id"].is_string()));
  BOOST_TEST_REQUIRE(t.contains("entry"));
  BOOST_TEST(t["entry"].size() == sample(name).bundle["entry"].size());
  std::set<std::string> urls;
  for (const auto& e : t["entry"]) {
    const std::string url = e.value("fullUrl", "");
    const std::string type = e["resource"].value("resourceType", "");
    BOOST_TEST_CONTEXT(type << " " << url) {
      BOOST_TEST(!url.empty(), "entry without fullUrl");
      urls.insert(url);
      BOOST_TEST(!e["resource"].contains("id"), "a transaction resource carries an id");
      BOOST_TEST_REQUIRE(e.contains("request"));
      BOOST_TEST(e["request"].value("method", "") == "POST");
      BOOST_TEST(e["request"].value("url", "") == type);
      // Conditional create (DESIGN.md): a re-import finds the resource instead of duplicating it.
      BOOST_TEST(!e["request"].value("ifNoneExist", "").empty(), "POST without ifNoneExist");
    }
  }
  std::vector<std::string> references;
  collect_references(t, references);
  for (const auto& r : references) BOOST_TEST(urls.count(r) == 1u, "unresolved reference " << r << " in the transaction");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
