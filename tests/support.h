// tests/support.h — what the test suites share: paths, the default mappings, one-call conversion,
// and running the casefhir executable as a user would.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "casefhir/converter.h"

namespace casefhir::test {

// A Bundle read back for inspection, keys in the order written.
using FhirJson = nlohmann::ordered_json;

// A two-entry collection Bundle (a Patient, a Condition about it) with the identifiers a
// transaction needs, one of them with every character a search parameter must escape.
FhirJson minimal_collection();

inline std::filesystem::path source_dir() { return CASEFHIR_SOURCE_DIR; }

// ../shared beside the checkout (CI always has it; CASEFHIR_SHARED overrides the location).
inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("CASEFHIR_SHARED")) return env;
  return CASEFHIR_SHARED_DIR;
}
inline bool have_shared() { return std::filesystem::is_directory(shared_dir() / "terminology"); }

// The built-in mappings, loaded once per test process.
const Mappings& default_mappings();
// Every concept and analyte of the mappings, as copies (codes and attributes, not terms).
std::vector<Concept> all_concepts(const Mappings& mappings);
// Converts text with the default mappings (or the given ones).
Conversion convert_text(const std::string& text, const Mappings& mappings = default_mappings(),
                        BundleType type = BundleType::collection);

// A string member of a JSON object, or "" when there is none (also keeps GCC's null-dereference
// warning quiet, which nlohmann's value() sets off when inlined).
std::string member(const FhirJson& j, const char* key);

// The facts of `sentences` written after a sentence that introduces the patient ("A 50-year-old
// woman."), so that they are read as about her.
CaseFacts patient_facts_of(const std::string& sentences);
// The fact whose words (code.text) are `text`; fails the test case when there is none.
const Fact& fact_named(const CaseFacts& facts, const std::string& text);

std::string read_text_file(const std::filesystem::path& path);
void write_text_file(const std::filesystem::path& path, const std::string& text);

// Base64 (RFC 4648) decoded by code of the tests' own; throws on a character outside the alphabet.
std::string base64_decode(const std::string& in);

// A fresh empty folder under the system temp dir, removed at process exit.
std::filesystem::path temp_dir(const std::string& name);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the casefhir executable with these arguments (and optional stdin file).
RunResult run_casefhir(const std::vector<std::string>& args, const std::string& stdin_path = "");

}  // namespace casefhir::test
