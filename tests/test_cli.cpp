// The `casefhir` executable as a user runs it: what goes to stdout (the Bundle and nothing else),
// what goes to stderr (one line naming the file and the reason), and the exit codes of the
// table in converters/cli/commands.h: 0 converted, 1 input not converted, 2 usage or mappings.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>

#include "casefhir/errors.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::string sample() { return (source_dir() / "samples/calcinosis-cutis.txt").string(); }

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

std::string terminology_fixture(const std::string& name) { return (source_dir() / "tests/fixtures/terminology" / name).string(); }

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

// stdout holds exactly one compact JSON Bundle and a final newline.
void check_one_bundle(const std::string& out) {
  BOOST_REQUIRE(!out.empty());
  BOOST_TEST(out.back() == '\n');
  BOOST_TEST(lines(out) == 1u);
  BOOST_REQUIRE(ordered_json::accept(out));
  const auto bundle = ordered_json::parse(out);
  BOOST_TEST(bundle["resourceType"] == "Bundle");
  BOOST_TEST(bundle.begin().key() == "resourceType");
  BOOST_TEST(!bundle["entry"].empty());
}

// A failed run: the exit code, nothing on stdout, exactly this one line on stderr.
void check_failure(const RunResult& r, int exit_code, const std::string& line) {
  BOOST_TEST(r.exit_code == exit_code);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err == line + "\n");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

// --- help and version ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(help_names_convert_and_the_exit_codes) {
  const RunResult r = run_casefhir({"--help"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err.empty());
  BOOST_TEST(contains(r.out, "convert"));
  BOOST_TEST(contains(r.out, "Exit codes"));
  BOOST_TEST(contains(r.out, "0 converted"));
  BOOST_TEST(contains(r.out, "1 the input could not be converted"));
  BOOST_TEST(contains(r.out, "2 usage error"));
  BOOST_TEST(contains(r.out, "3 some inputs failed"));
  BOOST_TEST(contains(r.out, "130/143 batch interrupted"));
  BOOST_TEST(contains(r.out, "batch"));
  BOOST_TEST(contains(r.out, "push"));
}

BOOST_AUTO_TEST_CASE(convert_help_lists_its_options) {
  const RunResult r = run_casefhir({"convert", "--help"});
  BOOST_TEST(r.exit_code == 0);
  for (const char* option : {"--output", "--mappings", "--bundle-type", "--pretty", "--max-input-bytes"})
    BOOST_TEST(contains(r.out, option), option);
}

BOOST_AUTO_TEST_CASE(version_prints_the_library_version) {
  const RunResult r = run_casefhir({"--version"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out == "casefhir " + std::string(version()) + "\n");
  BOOST_TEST(r.err.empty());
}

// --- converting ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(convert_file_writes_one_bundle_to_stdout_and_nothing_else) {
  const RunResult r = run_casefhir({"convert", sample()});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err.empty());
  check_one_bundle(r.out);
  // The same Bundle the library builds.
  const Conversion c = Converter(default_mappings()).convert(read_text_file(sample()), sample());
  BOOST_TEST(r.out == c.bundle);
}

BOOST_AUTO_TEST_CASE(convert_reads_stdin_given_as_dash_or_no_file) {
  const RunResult dash = run_casefhir({"convert", "-"}, sample());
  const RunResult none = run_casefhir({"convert"}, sample());
  BOOST_TEST(dash.exit_code == 0);
  BOOST_TEST(none.exit_code == 0);
  BOOST_TEST(dash.err.empty());
  check_one_bundle(dash.out);
  BOOST_TEST(dash.out == none.out);
  // The content is the file's: same Bundle id and the same resources as converting the file.
  const auto from_stdin = ordered_json::parse(dash.out);
  const auto from_file = ordered_json::parse(run_casefhir({"convert", sample()}).out);
  BOOST_TEST(from_stdin["id"] == from_file["id"]);
  BOOST_TEST(from_stdin["entry"].size() == from_file["entry"].size());
}

BOOST_AUTO_TEST_CASE(output_option_writes_the_bundle_to_a_file) {
  const fs::path dir = temp_dir("cli-output");
  const fs::path out = dir / "bundle.json";
  const RunResult r = run_casefhir({"convert", sample(), "-o", out.string()});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.empty());
  BOOST_REQUIRE(fs::exists(out));
  BOOST_TEST(read_text_file(out) == run_casefhir({"convert", sample()}).out);
  BOOST_TEST(!fs::exists(dir / "bundle.json.part"));
  // --output is the long form.
  const fs::path out2 = dir / "bundle2.json";
  BOOST_TEST(run_casefhir({"convert", sample(), "--output", out2.string()}).exit_code == 0);
  BOOST_TEST(read_text_file(out2) == read_text_file(out));
}

BOOST_AUTO_TEST_CASE(failed_conversion_leaves_no_output_file) {
  const fs::path dir = temp_dir("cli-output-failed");
  write_text_file(dir / "empty.txt", "");
  const RunResult r = run_casefhir({"convert", (dir / "empty.txt").string(), "-o", (dir / "bundle.json").string()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(!fs::exists(dir / "bundle.json"));
  BOOST_TEST(!fs::exists(dir / "bundle.json.part"));
}

BOOST_AUTO_TEST_CASE(output_through_a_symlink_is_replaced_only_when_the_run_succeeds) {
  // The Bundle is written as it is built, beside the symlink's target, and renamed over the target
  // at the end: a failed run leaves the target as it was; a good one writes through the link.
  const fs::path dir = temp_dir("cli-output-symlink");
  write_text_file(dir / "keep.json", "earlier");
  fs::create_symlink("keep.json", dir / "link.json");
  write_text_file(dir / "bad.xml", "<?xml version=\"1.0\"?><ClinicalDocument xmlns=\"urn:hl7-org:v3\"><component>");
  BOOST_TEST(run_casefhir({"convert", (dir / "bad.xml").string(), "-o", (dir / "link.json").string()}).exit_code == 1);
  BOOST_TEST(read_text_file(dir / "keep.json") == "earlier");
  BOOST_TEST(run_casefhir({"convert", sample(), "-o", (dir / "link.json").string()}).exit_code == 0);
  BOOST_TEST(fs::is_symlink(dir / "link.json"));
  BOOST_TEST(read_text_file(dir / "keep.json") == run_casefhir({"convert", sample()}).out);
  std::size_t others = 0;
  for (const auto& e : fs::directory_iterator(dir)) others += e.path().filename() != "keep.json" && e.path().filename() != "link.json" &&
                                                             e.path().filename() != "bad.xml";
  BOOST_TEST(others == 0u, "no temporary file is left");
}

BOOST_AUTO_TEST_CASE(unwritable_output_is_one_line_and_exit_1) {
  const fs::path out = temp_dir("cli-output-unwritable") / "no-such-folder" / "bundle.json";
  const RunResult r = run_casefhir({"convert", sample(), "-o", out.string()});
  check_failure(r, 1, "casefhir: " + out.string() + ": cannot be written");
}

BOOST_AUTO_TEST_CASE(pretty_indents_the_same_bundle) {
  const RunResult pretty = run_casefhir({"convert", sample(), "--pretty"});
  const RunResult compact = run_casefhir({"convert", sample()});
  BOOST_TEST(pretty.exit_code == 0);
  BOOST_TEST(pretty.out.rfind("{\n  \"resourceType\": \"Bundle\",\n", 0) == 0u);
  BOOST_TEST(lines(pretty.out) > 100u);
  BOOST_TEST(pretty.out.back() == '\n');
  BOOST_TEST(ordered_json::parse(pretty.out) == ordered_json::parse(compact.out));
}

BOOST_AUTO_TEST_CASE(transaction_bundle_posts_every_entry_with_conditional_create) {
  const RunResult r = run_casefhir({"convert", sample(), "--bundle-type", "transaction"});
  BOOST_TEST(r.exit_code == 0);
  check_one_bundle(r.out);
  const auto bundle = ordered_json::parse(r.out);
  BOOST_TEST(bundle["type"] == "transaction");
  BOOST_REQUIRE(!bundle["entry"].empty());
  for (const auto& e : bundle["entry"]) {
    const std::string type = e["resource"]["resourceType"];
    BOOST_REQUIRE_MESSAGE(e.contains("request"), type << " has no request");
    BOOST_TEST(e["request"]["method"] == "POST", type);
    BOOST_TEST(e["request"]["url"] == type);
    BOOST_REQUIRE_MESSAGE(e["request"].contains("ifNoneExist"), type << " has no ifNoneExist");
    BOOST_TEST(e["request"]["ifNoneExist"].get<std::string>().rfind("identifier=", 0) == 0u, type);
  }
}

BOOST_AUTO_TEST_CASE(collection_is_the_default_bundle_type) {
  const auto bundle = ordered_json::parse(run_casefhir({"convert", sample()}).out);
  BOOST_TEST(bundle["type"] == "collection");
  for (const auto& e : bundle["entry"]) BOOST_TEST(!e.contains("request"));
}

BOOST_AUTO_TEST_CASE(converting_the_same_file_twice_gives_identical_bytes) {
  const RunResult a = run_casefhir({"convert", sample()});
  const RunResult b = run_casefhir({"convert", sample()});
  BOOST_TEST(a.exit_code == 0);
  BOOST_TEST(!a.out.empty());
  BOOST_TEST(a.out == b.out);
  const RunResult c = run_casefhir({"convert", sample(), "--bundle-type", "transaction", "--pretty"});
  const RunResult d = run_casefhir({"convert", sample(), "--bundle-type", "transaction", "--pretty"});
  BOOST_TEST(c.out == d.out);
}

BOOST_AUTO_TEST_CASE(fifty_megabyte_report_converts) {
  const fs::path dir = temp_dir("cli-large");
  const std::string one = read_text_file(sample());
  BOOST_REQUIRE(!one.empty());
  std::string big;
  big.reserve(50u * 1024u * 1024u + one.size());
  while (big.size() < 50u * 1024u * 1024u) big += one;
  write_text_file(dir / "large.txt", big);
  BOOST_REQUIRE_EQUAL(fs::file_size(dir / "large.txt"), big.size());
  big.clear();
  big.shrink_to_fit();

  const RunResult r = run_casefhir({"convert", (dir / "large.txt").string()});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err.empty());
  BOOST_TEST(r.out.rfind("{\"resourceType\":\"Bundle\",", 0) == 0u);
  BOOST_TEST(r.out.back() == '\n');
  BOOST_TEST(lines(r.out) == 1u);
  BOOST_TEST(contains(r.out, "\"resourceType\":\"Condition\""));
  BOOST_TEST(ordered_json::accept(r.out));   // well-formed, without building a 100 MB tree
}

// --- usage errors (exit 2) -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(unknown_option_is_a_usage_error) {
  const RunResult r = run_casefhir({"convert", sample(), "--bogus"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(contains(r.err, "--bogus"));
}

BOOST_AUTO_TEST_CASE(unknown_bundle_type_is_a_usage_error) {
  const RunResult r = run_casefhir({"convert", sample(), "--bundle-type", "batch"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(contains(r.err, "batch"));
}

BOOST_AUTO_TEST_CASE(missing_subcommand_is_a_usage_error) {
  const RunResult r = run_casefhir({});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(!r.err.empty());
}

BOOST_AUTO_TEST_CASE(broken_mapping_folder_is_one_line_naming_file_and_pointer_and_exit_2) {
  const fs::path dir = temp_dir("cli-bad-mappings");
  write_text_file(dir / "bad.json", R"({"concepts": [{"id": "x", "kind": "finding", "terms": ["glitter"],
      "codes": [{"system": "http://snomed.info/sct", "code": "52101005"}]}]})");
  const std::string line = "casefhir: " + (dir / "bad.json").string() +
                           ": /concepts/0/codes/0/code: SNOMED CT identifier 52101005 fails its Verhoeff check digit";
  check_failure(run_casefhir({"convert", sample(), "--mappings", dir.string()}), 2, line);
  // Mappings are checked before any input is read.
  check_failure(run_casefhir({"convert", (dir / "no-such-report.txt").string(), "--mappings", dir.string()}), 2, line);
}

BOOST_AUTO_TEST_CASE(mapping_folder_that_does_not_exist_is_one_line_and_exit_2) {
  const fs::path missing = temp_dir("cli-missing-mappings") / "no-such-folder";
  const RunResult r = run_casefhir({"convert", sample(), "--mappings", missing.string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(lines(r.err) == 1u, "stderr: " << r.err);
  BOOST_TEST(contains(r.err, missing.string()), "stderr: " << r.err);
}

BOOST_AUTO_TEST_CASE(user_mapping_folder_extends_the_conversion) {
  const fs::path dir = temp_dir("cli-user-mappings");
  write_text_file(dir / "extra.json", R"({"concepts": [{"id": "glitter-syndrome", "kind": "disorder",
      "terms": ["glitter syndrome"], "codes": [{"system": "urn:example:local-codes", "code": "GS-1"}]}]})");
  write_text_file(dir / "case.txt", "A 40-year-old woman presented.\nWe diagnosed the patient with glitter syndrome.\n");
  const RunResult with = run_casefhir({"convert", (dir / "case.txt").string(), "--mappings", dir.string()});
  BOOST_TEST(with.exit_code == 0);
  BOOST_TEST(contains(with.out, "\"code\":\"GS-1\""));
  const RunResult without = run_casefhir({"convert", (dir / "case.txt").string()});
  BOOST_TEST(without.exit_code == 0);
  BOOST_TEST(!contains(without.out, "GS-1"));
}

// --- inputs that cannot be converted (exit 1, one line) ------------------------------------

BOOST_AUTO_TEST_CASE(empty_file_is_one_line_and_exit_1) {
  const fs::path file = temp_dir("cli-empty") / "empty.txt";
  write_text_file(file, "");
  check_failure(run_casefhir({"convert", file.string()}), 1, "casefhir: " + file.string() + ": input is empty");
  write_text_file(file, "  \n\n\t \r\n");
  check_failure(run_casefhir({"convert", file.string()}), 1, "casefhir: " + file.string() + ": input is empty");
}

BOOST_AUTO_TEST_CASE(empty_stdin_is_one_line_and_exit_1) {
  check_failure(run_casefhir({"convert"}), 1, "casefhir: -: input is empty");
}

BOOST_AUTO_TEST_CASE(binary_file_is_one_line_with_position_and_exit_1) {
  const fs::path file = temp_dir("cli-binary") / "figure.png";
  write_text_file(file, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  check_failure(run_casefhir({"convert", file.string()}), 1,
                "casefhir: " + file.string() + ":2:1: not a text file: control byte 0x1a");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_one_line_with_line_and_column_and_exit_1) {
  const fs::path file = temp_dir("cli-encoding") / "latin1.txt";
  write_text_file(file, "The patient had dry eyes.\nSj\xF6gren syndrome was diagnosed.\n");
  check_failure(run_casefhir({"convert", file.string()}), 1, "casefhir: " + file.string() + ":2:3: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(missing_file_is_one_line_and_exit_1) {
  const fs::path file = temp_dir("cli-missing") / "no-such-report.txt";
  check_failure(run_casefhir({"convert", file.string()}), 1, "casefhir: " + file.string() + ": no such file");
}

BOOST_AUTO_TEST_CASE(directory_is_one_line_and_exit_1) {
  const fs::path dir = temp_dir("cli-directory");
  check_failure(run_casefhir({"convert", dir.string()}), 1, "casefhir: " + dir.string() + ": is a directory, not a file");
}

BOOST_AUTO_TEST_CASE(input_over_max_input_bytes_is_one_line_and_exit_1) {
  const auto size = fs::file_size(sample());
  check_failure(run_casefhir({"convert", sample(), "--max-input-bytes", "100"}), 1,
                "casefhir: " + sample() + ": input is " + std::to_string(size) + " bytes; the limit is 100 bytes");
  check_failure(run_casefhir({"convert", "-", "--max-input-bytes", "100"}, sample()), 1,
                "casefhir: -: input is " + std::to_string(size) + " bytes; the limit is 100 bytes");
  // At the limit it converts.
  BOOST_TEST(run_casefhir({"convert", sample(), "--max-input-bytes", std::to_string(size)}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(stdin_over_max_input_bytes_never_misstates_its_size) {
  // Standard input has no size to ask for; the reader may stop early, but a size it reports
  // must be the real one ("input is 131072 bytes" for a 1 MB input would send a user astray).
  const fs::path file = temp_dir("cli-stdin-large") / "report.txt";
  std::string text;
  while (text.size() < 1000000) text += read_text_file(sample());
  write_text_file(file, text);
  const RunResult r = run_casefhir({"convert", "-", "--max-input-bytes", "100000"}, file.string());
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(lines(r.err) == 1u);
  BOOST_TEST(r.err.rfind("casefhir: -: ", 0) == 0u, r.err);
  BOOST_TEST(contains(r.err, "100000 bytes"), r.err);
  const std::string stated = "input is ";
  if (const auto at = r.err.find(stated); at != std::string::npos) {
    const std::string number = r.err.substr(at + stated.size(), r.err.find(' ', at + stated.size()) - at - stated.size());
    BOOST_TEST(number == std::to_string(text.size()), r.err);
  }
}

BOOST_AUTO_TEST_CASE(max_input_bytes_must_be_a_positive_number) {
  for (const char* bad : {"0", "-5", "lots"}) {
    const RunResult r = run_casefhir({"convert", sample(), "--max-input-bytes", bad});
    BOOST_TEST(r.exit_code == 2, bad);
    BOOST_TEST(r.out.empty(), bad);
  }
}

// --- mappings import | compile | check | stats, and convert --dictionary ----------------------

BOOST_AUTO_TEST_CASE(mappings_import_writes_one_mapping_file_and_exits_0) {
  const fs::path out = temp_dir("cli-import") / "out";
  const RunResult r = run_casefhir({"mappings", "import", "--from", "obo", terminology_fixture("doid-mini.obo"), "-o", out.string()});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err.empty());
  BOOST_TEST(r.out.rfind("doid 2024-01-31: 3 concepts", 0) == 0u, r.out);
  BOOST_REQUIRE(fs::exists(out / "doid.json"));
  const auto file = ordered_json::parse(read_text_file(out / "doid.json"));
  BOOST_TEST(file["sources"][0]["id"] == "doid");
  BOOST_TEST(file["concepts"].size() == 3u);
}

BOOST_AUTO_TEST_CASE(mappings_import_of_a_release_it_cannot_read_is_one_line_exit_1_and_writes_nothing) {
  const fs::path dir = temp_dir("cli-import-bad");
  const fs::path missing = dir / "no-such.obo";
  check_failure(run_casefhir({"mappings", "import", "--from", "obo", missing.string(), "-o", (dir / "out").string()}), 1,
                "casefhir: " + missing.string() + ": no such file");
  write_text_file(dir / "bad.obo", "format-version: 1.2\n[Term]\nname: glitter\n");
  check_failure(run_casefhir({"mappings", "import", "--from", "obo", (dir / "bad.obo").string(), "-o", (dir / "out").string()}), 1,
                "casefhir: " + (dir / "bad.obo").string() + ":2: a [Term] stanza without an id");
  BOOST_TEST(!fs::exists(dir / "out"));
  const RunResult usage = run_casefhir({"mappings", "import", "--from", "nonsense", (dir / "bad.obo").string(), "-o", (dir / "out").string()});
  BOOST_TEST(usage.exit_code == 2);
  BOOST_TEST(usage.out.empty());
}

BOOST_AUTO_TEST_CASE(mappings_check_and_stats_read_files_on_the_defaults_or_alone) {
  const fs::path dir = temp_dir("cli-check");
  const fs::path imported = dir / "imported";
  BOOST_REQUIRE(run_casefhir({"mappings", "import", "--from", "obo", terminology_fixture("doid-mini.obo"), "-o", imported.string()}).exit_code == 0);
  const RunResult on_defaults = run_casefhir({"mappings", "check", imported.string()});
  BOOST_TEST(on_defaults.exit_code == 0);
  BOOST_TEST(on_defaults.err.empty());
  BOOST_TEST(contains(on_defaults.out, "; 0 errors, "), on_defaults.out);
  // Imported concepts alone hold no rules: they are checked on the built-in rules, and the run says so.
  const RunResult alone = run_casefhir({"mappings", "check", "--no-default-mappings", imported.string()});
  BOOST_TEST(alone.exit_code == 0, alone.err);
  BOOST_TEST(contains(alone.out, "the files alone cannot convert with --no-default-mappings"), alone.out);
  BOOST_TEST(contains(alone.out, "mappings check: 3 concepts loaded; 0 errors"), alone.out);
  // A file that does not load: exit 2, one line naming the file and the pointer.
  write_text_file(dir / "bad.json", R"({"concepts": [{"id": "x", "kind": "finding", "terms": ["glitter"],
      "codes": [{"system": "http://snomed.info/sct", "code": "52101005"}]}]})");
  check_failure(run_casefhir({"mappings", "check", (dir / "bad.json").string()}), 2,
                "casefhir: " + (dir / "bad.json").string() +
                    ": /concepts/0/codes/0/code: SNOMED CT identifier 52101005 fails its Verhoeff check digit");
  check_failure(run_casefhir({"mappings", "stats", (dir / "bad.json").string()}), 2,
                "casefhir: " + (dir / "bad.json").string() +
                    ": /concepts/0/codes/0/code: SNOMED CT identifier 52101005 fails its Verhoeff check digit");
  // Stats count the concepts in effect.
  const RunResult stats = run_casefhir({"mappings", "stats", "--json"});
  BOOST_TEST(stats.exit_code == 0);
  BOOST_TEST(ordered_json::parse(stats.out)["concepts"] == default_mappings().concept_count());
  const RunResult stats_alone = run_casefhir({"mappings", "stats", "--json", "--no-default-mappings", imported.string()});
  BOOST_TEST(stats_alone.exit_code == 0, stats_alone.err);
  BOOST_TEST(ordered_json::parse(stats_alone.out)["concepts"] == 3);
}

BOOST_AUTO_TEST_CASE(a_compiled_dictionary_converts_every_sample_as_the_built_in_one_does) {
  const fs::path dir = temp_dir("cli-compile");
  const fs::path dict = dir / "defaults.dict";
  const RunResult compiled = run_casefhir({"mappings", "compile", "-o", dict.string()});
  BOOST_TEST(compiled.exit_code == 0, compiled.err);
  BOOST_TEST(compiled.out.rfind(dict.string() + ": " + std::to_string(default_mappings().concept_count()) + " concepts, ", 0) == 0u,
             compiled.out);
  BOOST_TEST(!fs::exists(dir / "defaults.dict.part"));
  for (const auto& entry : fs::directory_iterator(source_dir() / "samples")) {
    if (entry.path().extension() != ".txt") continue;
    const std::string sample_file = entry.path().string();
    const RunResult built_in = run_casefhir({"convert", sample_file});
    const RunResult from_file = run_casefhir({"convert", sample_file, "--dictionary", dict.string()});
    BOOST_TEST(from_file.exit_code == 0, sample_file);
    BOOST_TEST(from_file.err.empty(), sample_file);
    BOOST_TEST((from_file.out == built_in.out), sample_file << ": --dictionary gives other bytes");
  }
  // Mapping files layer on a dictionary as on the built-in one.
  fs::create_directories(dir / "user");
  write_text_file(dir / "user" / "local.json", R"({"concepts": [{"id": "glitter-syndrome", "kind": "disorder",
      "terms": ["glitter syndrome"], "codes": [{"system": "urn:example:local-codes", "code": "GS-1"}]}]})");
  write_text_file(dir / "case.txt", "A 40-year-old woman presented.\nWe diagnosed the patient with glitter syndrome.\n");
  const RunResult layered = run_casefhir({"convert", (dir / "case.txt").string(), "--dictionary", dict.string(), "--mappings", (dir / "user").string()});
  BOOST_TEST(layered.exit_code == 0);
  BOOST_TEST(contains(layered.out, "\"code\":\"GS-1\""));
  BOOST_TEST(layered.out == run_casefhir({"convert", (dir / "case.txt").string(), "--mappings", (dir / "user").string()}).out);
}

BOOST_AUTO_TEST_CASE(a_damaged_or_missing_dictionary_and_a_broken_input_to_compile_are_one_line_and_exit_2) {
  const fs::path dir = temp_dir("cli-compile-bad");
  const fs::path dict = dir / "small.dict";
  BOOST_REQUIRE(run_casefhir({"mappings", "compile", "-o", dict.string()}).exit_code == 0);
  const std::string bytes = read_text_file(dict);
  const fs::path truncated = dir / "truncated.dict";
  write_text_file(truncated, bytes.substr(0, bytes.size() / 2));
  const std::string line = "casefhir: " + truncated.string() + ": is truncated or has trailing bytes (" +
                           std::to_string(bytes.size() / 2) + " bytes, header says " + std::to_string(bytes.size()) + ")";
  check_failure(run_casefhir({"convert", sample(), "--dictionary", truncated.string()}), 2, line);
  check_failure(run_casefhir({"mappings", "check", "--dictionary", truncated.string()}), 2, line);
  check_failure(run_casefhir({"mappings", "stats", "--dictionary", truncated.string()}), 2, line);
  const fs::path missing = dir / "no-such.dict";
  const RunResult gone = run_casefhir({"convert", sample(), "--dictionary", missing.string()});
  BOOST_TEST(gone.exit_code == 2);
  BOOST_TEST(gone.out.empty());
  BOOST_TEST(gone.err.rfind("casefhir: " + missing.string() + ": cannot be opened", 0) == 0u, gone.err);
  // A mapping file that does not load: exit 2 and no dictionary written.
  write_text_file(dir / "bad.json", R"({"concepts": [{"id": "x", "kind": "glitter"}]})");
  const RunResult bad = run_casefhir({"mappings", "compile", (dir / "bad.json").string(), "-o", (dir / "bad.dict").string()});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(bad.out.empty());
  BOOST_TEST(bad.err.rfind("casefhir: " + (dir / "bad.json").string() + ": /concepts/0", 0) == 0u, bad.err);
  BOOST_TEST(!fs::exists(dir / "bad.dict"));
  // An output that cannot be written: exit 1.
  const fs::path nowhere = dir / "no-such-folder" / "x.dict";
  const RunResult unwritable = run_casefhir({"mappings", "compile", "-o", nowhere.string()});
  check_failure(unwritable, 1, "casefhir: " + nowhere.string() + ": cannot be written");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
