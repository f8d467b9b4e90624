// tests/test_fhir_transaction.cpp — a written Bundle made a transaction (fhir/transaction.h) by the
// same rule `convert --bundle-type transaction` follows: what `casefhir push` posts.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "casefhir/errors.h"
#include "fhir/transaction.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::vector<fs::path> sample_texts() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(source_dir() / "samples"))
    if (e.path().extension() == ".txt") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The error to_transaction throws for `bundle`, or "" when it throws none.
std::string transaction_error(ordered_json bundle) {
  try {
    fhir::to_transaction(bundle);
  } catch (const Error& e) {
    BOOST_TEST((e.kind() == ErrorKind::input_malformed));
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_transaction)

// One rule: the collection casefhir writes by default, made a transaction for push, is entry for
// entry the transaction `convert --bundle-type transaction` writes for the same report.
BOOST_AUTO_TEST_CASE(a_collection_becomes_the_transaction_convert_writes_for_every_sample) {
  const auto samples = sample_texts();
  BOOST_REQUIRE(!samples.empty());
  for (const auto& path : samples) {
    BOOST_TEST_CONTEXT(path.filename().string()) {
      const std::string text = read_text_file(path);
      ordered_json collection = ordered_json::parse(convert_text(text).bundle);
      const ordered_json written = ordered_json::parse(convert_text(text, default_mappings(), BundleType::transaction).bundle);
      BOOST_TEST(collection["type"] == "collection");
      fhir::to_transaction(collection);
      BOOST_TEST(collection["type"] == "transaction");
      BOOST_REQUIRE_EQUAL(collection["entry"].size(), written["entry"].size());
      for (std::size_t i = 0; i < written["entry"].size(); ++i)
        BOOST_TEST(collection["entry"][i].dump() == written["entry"][i].dump(), "entry " << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_case_series_collection_becomes_the_same_transaction_too) {
  const std::string text =
      "Case 1\nA 40-year-old man had fever and pneumonia.\n\nCase 2\nA 62-year-old woman had anaemia and no fever.\n";
  ordered_json collection = ordered_json::parse(convert_text(text).bundle);
  const ordered_json written = ordered_json::parse(convert_text(text, default_mappings(), BundleType::transaction).bundle);
  fhir::to_transaction(collection);
  BOOST_TEST(collection["entry"].dump() == written["entry"].dump());
}

BOOST_AUTO_TEST_CASE(the_conditional_create_uses_the_first_identifier_with_system_and_value) {
  ordered_json b = minimal_collection();
  fhir::to_transaction(b);
  BOOST_TEST(b["type"] == "transaction");
  const auto& patient = b["entry"][0];
  BOOST_TEST(!patient["resource"].contains("id"), "the server assigns ids");
  BOOST_TEST(patient["request"].dump() ==
             R"({"method":"POST","url":"Patient","ifNoneExist":"identifier=urn:ietf:rfc:3986|urn:uuid:22222222-2222-5222-8222-222222222222"})");
  // Search separators escaped with '\' (FHIR search), then percent-encoded for the query.
  BOOST_TEST(b["entry"][1]["request"]["ifNoneExist"] == "identifier=http://example.org/ids|a%5C%7Cb%5C%2Cc%5C%24d%5C%5Ce%20f%26g");
  BOOST_TEST(b["entry"][1]["resource"]["subject"]["reference"] == "urn:uuid:11111111-1111-5111-8111-111111111111");
}

BOOST_AUTO_TEST_CASE(an_identifier_that_repeats_its_full_url_gets_a_new_full_url_and_the_references_follow) {
  // casefhir wrote identifier.value == fullUrl before; a server rewrites such an identifier in a
  // transaction, so the next import would match nothing.
  ordered_json b = minimal_collection();
  b["entry"][0]["resource"]["identifier"][0]["value"] = "urn:uuid:11111111-1111-5111-8111-111111111111";
  fhir::to_transaction(b);
  const std::string full_url = b["entry"][0]["fullUrl"];
  BOOST_TEST(full_url != "urn:uuid:11111111-1111-5111-8111-111111111111");
  BOOST_TEST(full_url.rfind("urn:uuid:", 0) == 0u);
  BOOST_TEST(b["entry"][1]["resource"]["subject"]["reference"] == full_url);
  BOOST_TEST(b["entry"][0]["resource"]["identifier"][0]["value"] == "urn:uuid:11111111-1111-5111-8111-111111111111");
  BOOST_TEST(b["entry"][0]["request"]["ifNoneExist"] == "identifier=urn:ietf:rfc:3986|urn:uuid:11111111-1111-5111-8111-111111111111");
  // Deterministic: the same Bundle gets the same new fullUrl.
  ordered_json again = minimal_collection();
  again["entry"][0]["resource"]["identifier"][0]["value"] = "urn:uuid:11111111-1111-5111-8111-111111111111";
  fhir::to_transaction(again);
  BOOST_TEST(again["entry"][0]["fullUrl"] == full_url);
}

BOOST_AUTO_TEST_CASE(a_transaction_keeps_its_requests) {
  ordered_json b = minimal_collection();
  b["type"] = "transaction";
  b["entry"][0]["request"] = {{"method", "PUT"}, {"url", "Patient/x"}};
  b["entry"][1]["request"] = {{"method", "POST"}, {"url", "Condition"}};
  const std::string before = b.dump();
  fhir::to_transaction(b);
  BOOST_TEST(b.dump() == before);
}

BOOST_AUTO_TEST_CASE(what_cannot_be_posted_is_named_by_json_pointer) {
  BOOST_TEST(transaction_error(ordered_json::array()) == "not a JSON object, so not a FHIR Bundle");
  BOOST_TEST(transaction_error({{"resourceType", "Patient"}}) == "/resourceType: is \"Patient\", not Bundle");
  BOOST_TEST(transaction_error({{"resourceType", "Bundle"}, {"type", "document"}}) ==
             "/type: is \"document\": only a collection, transaction or batch Bundle can be posted");
  BOOST_TEST(transaction_error({{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", ordered_json::array()}}) ==
             "/entry: no entries: nothing to post");
  ordered_json b = minimal_collection();
  b["entry"][1]["resource"]["identifier"] = ordered_json::array({{{"value", "no system"}}});
  BOOST_TEST(transaction_error(b) ==
             "/entry/1/resource/identifier: no identifier with a system and a value: a conditional create needs one, so a re-import "
             "creates nothing new");
  b = minimal_collection();
  b["entry"][1]["resource"]["subject"]["reference"] = "urn:uuid:44444444-4444-5444-8444-444444444444";
  BOOST_TEST(transaction_error(b) ==
             "/entry/1/resource: the reference urn:uuid:44444444-4444-5444-8444-444444444444 names no entry's fullUrl");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
