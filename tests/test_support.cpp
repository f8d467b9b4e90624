// The shared helpers of tests/support.h (this file holds no test suite).
#include "support.h"

#include <sys/wait.h>

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <cstdint>
#include <sstream>
#include <stdexcept>

namespace casefhir::test {

namespace fs = std::filesystem;

const Mappings& default_mappings() {
  static const Mappings m = Mappings::load({});
  return m;
}

std::vector<Concept> all_concepts(const Mappings& mappings) {
  std::vector<Concept> out;
  out.reserve(mappings.concept_count());
  for (std::size_t i = 0; i < mappings.concept_count(); ++i) out.push_back(mappings.concept_at(i));
  return out;
}

Conversion convert_text(const std::string& text, const Mappings& mappings, BundleType type) {
  ConvertOptions options;
  options.bundle.type = type;
  return Converter(mappings, options).convert(text, "test.txt");
}

std::string member(const FhirJson& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

CaseFacts patient_facts_of(const std::string& sentences) {
  return convert_text("A 50-year-old woman. " + sentences + "\n").facts;
}

const Fact& fact_named(const CaseFacts& facts, const std::string& text) {
  for (const Fact& x : facts.facts)
    if (x.code.text == text) return x;
  BOOST_TEST_REQUIRE(false, "no fact named \"" << text << "\"");
  throw std::logic_error("unreachable");
}

std::string read_text_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string base64_decode(const std::string& in) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const auto pos = alphabet.find(c);
    if (pos == std::string::npos) throw std::runtime_error(std::string("not base64: '") + c + "'");
    buffer = (buffer << 6) | static_cast<std::uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFFu));
    }
  }
  return out;
}

FhirJson minimal_collection() {
  return FhirJson::parse(R"({"resourceType":"Bundle","type":"collection","entry":[
    {"fullUrl":"urn:uuid:11111111-1111-5111-8111-111111111111","resource":{"resourceType":"Patient","id":"11111111-1111-5111-8111-111111111111",
      "identifier":[{"system":"urn:ietf:rfc:3986","value":"urn:uuid:22222222-2222-5222-8222-222222222222"}],"gender":"female"}},
    {"fullUrl":"urn:uuid:33333333-3333-5333-8333-333333333333","resource":{"resourceType":"Condition","id":"33333333-3333-5333-8333-333333333333",
      "identifier":[{"value":"no system"},{"system":"http://example.org/ids","value":"a|b,c$d\\e f&g"}],
      "subject":{"reference":"urn:uuid:11111111-1111-5111-8111-111111111111"}}}]})");
}

fs::path temp_dir(const std::string& name) {
  static const fs::path root = [] {
    fs::path r = fs::temp_directory_path() / ("casefhir-tests-" + std::to_string(::getpid()));
    fs::create_directories(r);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(fs::temp_directory_path() / ("casefhir-tests-" + std::to_string(::getpid())), ec);
    });
    return r;
  }();
  fs::path dir = root / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

namespace {
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}
}  // namespace

RunResult run_casefhir(const std::vector<std::string>& args, const std::string& stdin_path) {
  static int counter = 0;
  const fs::path dir = temp_dir("run-" + std::to_string(counter++));
  std::string command = quote(CASEFHIR_EXE);
  for (const auto& a : args) command += " " + quote(a);
  command += " <" + quote(stdin_path.empty() ? "/dev/null" : stdin_path);
  command += " >" + quote((dir / "out").string()) + " 2>" + quote((dir / "err").string());
  const int status = std::system(command.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text_file(dir / "out");
  r.err = read_text_file(dir / "err");
  return r;
}

}  // namespace casefhir::test
