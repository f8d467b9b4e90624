// build_bundle (converters/fhir/bundle.cpp) given CaseFacts a caller filled by hand: CaseFacts is a
// public struct, so the indexes between its facts are checked, and a bad one fails the document
// with where and why instead of reading out of range.
#include <boost/test/unit_test.hpp>

#include <string>

#include "casefhir/errors.h"
#include "casefhir/fhir.h"
#include "support.h"

namespace casefhir::test {
namespace {

// The facts of a small report, to spoil one index at a time.
const Conversion& sample() {
  static const Conversion c = convert_text(
      "A 46-year-old man had a plaque on his right cheek. A skin biopsy was performed. Histopathology showed calcium deposits. "
      "We diagnosed calcinosis cutis. His mother had diabetes.\n");
  return c;
}

std::string error_of(const CaseFacts& facts) {
  try {
    build_bundle(sample().document, facts, default_mappings(), BundleOptions{});
  } catch (const Error& e) {
    BOOST_TEST(to_string(e.kind()) == to_string(ErrorKind::input_malformed));
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bundle_facts)

BOOST_AUTO_TEST_CASE(the_facts_as_read_build_a_bundle) {
  BOOST_REQUIRE(sample().facts.principal_diagnosis.has_value());
  BOOST_TEST(error_of(sample().facts).empty());
}

BOOST_AUTO_TEST_CASE(an_index_past_the_facts_is_an_error_naming_where_it_is) {
  const std::string n = std::to_string(sample().facts.facts.size());
  CaseFacts facts = sample().facts;
  facts.principal_diagnosis = 99;
  BOOST_TEST(error_of(facts) == "CaseFacts: /principal_diagnosis: names fact 99, but there are " + n + " facts");

  facts = sample().facts;
  facts.facts[1].part_of = facts.facts.size();
  BOOST_TEST(error_of(facts) == "CaseFacts: /facts/1/part_of: names fact " + n + ", but there are " + n + " facts");

  facts = sample().facts;
  facts.facts[0].evidence = {0, 1000};
  BOOST_TEST(error_of(facts) == "CaseFacts: /facts/0/evidence/1: names fact 1000, but there are " + n + " facts");
}

BOOST_AUTO_TEST_CASE(a_relatives_fact_without_its_relationship_is_an_error) {
  CaseFacts facts = sample().facts;
  std::size_t relative = facts.facts.size();
  for (std::size_t i = 0; i < facts.facts.size(); ++i)
    if (facts.facts[i].experiencer == Experiencer::family) relative = i;
  BOOST_REQUIRE(relative < facts.facts.size());
  facts.facts[relative].relationship.reset();
  BOOST_TEST(error_of(facts) == "CaseFacts: /facts/" + std::to_string(relative) +
                                    "/relationship: a relative's fact needs the relationship (v3 RoleCode) to become a "
                                    "FamilyMemberHistory");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
