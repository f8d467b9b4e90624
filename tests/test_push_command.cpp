// tests/test_push_command.cpp — `casefhir push` as a user runs it, without a server: usage errors,
// inputs, the dry run and the report. tests/push/test-push.sh pushes to real servers.
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

}  // namespace

BOOST_AUTO_TEST_SUITE(push_command)

BOOST_AUTO_TEST_CASE(push_needs_a_server_unless_it_is_a_dry_run) {
  const fs::path dir = temp_dir("push-usage");
  write_text_file(dir / "b.json", minimal_collection().dump());
  const RunResult r = run_casefhir({"push", (dir / "b.json").string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err == "casefhir: push: --server URL is required (or --dry-run)\n");
}

BOOST_AUTO_TEST_CASE(a_token_variable_that_is_not_set_is_a_usage_error) {
  const fs::path dir = temp_dir("push-token");
  write_text_file(dir / "b.json", minimal_collection().dump());
  const RunResult r = run_casefhir(
      {"push", (dir / "b.json").string(), "--server", "http://127.0.0.1:9/fhir", "--token-env", "CASEFHIR_TEST_NO_SUCH_VARIABLE"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err == "casefhir: --token-env CASEFHIR_TEST_NO_SUCH_VARIABLE: the environment variable is not set\n");
}

BOOST_AUTO_TEST_CASE(a_missing_input_is_exit_1_before_anything_is_posted) {
  const RunResult r = run_casefhir({"push", "/nonexistent/cases.ndjson", "--server", "http://127.0.0.1:9/fhir"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err == "casefhir: /nonexistent/cases.ndjson: no such file or folder\n");
}

BOOST_AUTO_TEST_CASE(a_dry_run_writes_the_transactions_and_reports_what_cannot_be_posted) {
  const fs::path dir = temp_dir("push-dry-run");
  const std::string bundle = minimal_collection().dump();
  // A folder: a pretty JSON Bundle, and an NDJSON file with a bad line between two Bundles.
  fs::create_directories(dir / "in" / "sub");
  write_text_file(dir / "in" / "a.json", minimal_collection().dump(2) + "\n");
  write_text_file(dir / "in" / "sub" / "b.ndjson", bundle + "\n\n{\"resourceType\":\"Patient\"}\n" + bundle + "\n");
  write_text_file(dir / "in" / "notes.txt", "not read");
  const RunResult r = run_casefhir({"push", (dir / "in").string(), "--dry-run", "--report", (dir / "report.ndjson").string()});
  BOOST_TEST(r.exit_code == 3);
  const std::string in = (dir / "in").string();
  BOOST_TEST(r.err == "casefhir: push: " + in + "/sub/b.ndjson:3: /resourceType: is \"Patient\", not Bundle\n"
                      "casefhir: push --dry-run: 4 Bundles, 6 entries would be posted as conditional creates; 1 Bundle cannot be posted\n");
  // stdout: the three transactions, one per line.
  std::vector<ordered_json> posted;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) posted.push_back(ordered_json::parse(line));
  BOOST_REQUIRE_EQUAL(posted.size(), 3u);
  for (const auto& b : posted) BOOST_TEST(b["type"] == "transaction");
  // The report: one line per Bundle, in input order.
  std::vector<ordered_json> report;
  std::istringstream report_lines(read_text_file(dir / "report.ndjson"));
  for (std::string line; std::getline(report_lines, line);) report.push_back(ordered_json::parse(line));
  BOOST_REQUIRE_EQUAL(report.size(), 4u);
  BOOST_TEST(report[0]["source"] == in + "/a.json");
  BOOST_TEST(report[1]["source"] == in + "/sub/b.ndjson:1");
  BOOST_TEST(report[2]["source"] == in + "/sub/b.ndjson:3");
  BOOST_TEST(report[2]["failure"] == "invalid");
  BOOST_TEST(report[3]["source"] == in + "/sub/b.ndjson:4");
  BOOST_TEST(report[3]["entries"][0]["ifNoneExist"] == "identifier=urn:ietf:rfc:3986|urn:uuid:22222222-2222-5222-8222-222222222222");
}

BOOST_AUTO_TEST_CASE(a_json_report_holds_the_bundles_and_a_summary) {
  const fs::path dir = temp_dir("push-json-report");
  write_text_file(dir / "b.json", minimal_collection().dump());
  const RunResult r = run_casefhir({"push", (dir / "b.json").string(), "--dry-run", "--report", (dir / "report.json").string()});
  BOOST_TEST(r.exit_code == 0);
  const auto report = ordered_json::parse(read_text_file(dir / "report.json"));
  BOOST_TEST(report["dry_run"] == true);
  BOOST_REQUIRE_EQUAL(report["bundles"].size(), 1u);
  BOOST_TEST(report["bundles"][0]["source"] == (dir / "b.json").string());
  BOOST_TEST(report["summary"]["entries"] == 2);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
