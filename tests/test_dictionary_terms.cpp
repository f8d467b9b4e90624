// Which terms a compiled dictionary matches (converters/mapping/dictionary.cpp, build_dictionary;
// mappings/README.md, "Term rules"): the term rules for imported entries, hand-written entries
// taken as written, and which concept an imported term names when a hand-written concept has the
// same codes. Each case converts a sentence through the ordinary path, with the defaults and a
// small mapping file of its own (compiled as the overlay, the same builder as the defaults).
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <utility>

#include "nlp/tokens.h"
#include "support.h"

namespace casefhir::test {
namespace {

using nlohmann::ordered_json;

// (system, code) of every coding of the Conditions and Observations of a conversion.
using Codes = std::set<std::pair<std::string, std::string>>;

Codes codes_in(const std::string& text, const Mappings& mappings = default_mappings()) {
  const ordered_json bundle = ordered_json::parse(convert_text(text, mappings).bundle);
  Codes out;
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    if (r["resourceType"] != "Condition" && r["resourceType"] != "Observation") continue;
    if (!r.contains("code")) continue;
    for (const auto& coding : r["code"].value("coding", ordered_json::array())) out.emplace(coding["system"], coding["code"]);
  }
  return out;
}

bool has(const Codes& codes, const std::string& system, const std::string& code) { return codes.contains({system, code}); }

const std::string kCodes = "urn:example:codes";

// The defaults plus one mapping file whose imported entries name the source "test".
Mappings with_file(const std::string& concepts) {
  const std::string json = R"({"sources": [{"id": "test", "name": "Test terminology", "licence": "CC0 1.0"}], "concepts": [)" +
                           concepts + "]}";
  return Mappings::from_sources({{"test.json", json}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dictionary_terms)

// --- one fold for comparing terms (review D4), a stripped suffix (review D5) ---------------------

// The dictionary compiler and the vocabulary merge compare terms by one function; the compiler's
// own copy did not fold form feed and vertical tab.
BOOST_AUTO_TEST_CASE(terms_compare_by_one_fold) {
  BOOST_TEST(nlp::fold_term("  Renal \t Dysplasia\f\v") == "renal dysplasia");
  BOOST_TEST(nlp::fold_term("CKD\vStage  3", true) == "CKD Stage 3");
  // Where a cut made on the folded text falls in the term as written.
  const std::string term = "Glimmer   fever,\t NOS";
  const std::string folded = nlp::fold_term(term);
  BOOST_TEST(folded == "glimmer fever, nos");
  BOOST_TEST(nlp::unfolded_prefix(term, folded.size() - 5) == "Glimmer   fever");
  BOOST_TEST(nlp::unfolded_prefix(term, 0) == "");
  BOOST_TEST(nlp::unfolded_prefix(term, folded.size()) == term);
}


// "QXZ NOS" is the abbreviation QXZ: stripping " NOS" used to fold the rest to small letters, so it
// was taken for a three-letter word (too short to match) instead of a capitalised abbreviation.
BOOST_AUTO_TEST_CASE(a_term_without_its_stripped_suffix_keeps_its_case) {
  const Mappings m = with_file(R"(
    {"id": "test-qxz", "kind": "disorder", "source": "test", "terms": ["QXZ NOS"], "codes": [{"system": "urn:example:codes", "code": "QXZ"}]})");
  BOOST_TEST(has(codes_in("The patient had QXZ.", m), kCodes, "QXZ"));
  BOOST_TEST(!has(codes_in("The patient had qxz.", m), kCodes, "QXZ"));
}

// The cut is made where the suffix starts in the term as written: white space that folding takes
// out of the suffix used to shift the cut ("Glimmer fever, n", then refused for its comma).
BOOST_AUTO_TEST_CASE(a_stripped_suffix_is_cut_where_it_starts_in_the_term_as_written) {
  const Mappings m = with_file(R"(
    {"id": "test-glimmer", "kind": "disorder", "source": "test", "terms": ["Glimmer fever, not    elsewhere classified"],
     "codes": [{"system": "urn:example:codes", "code": "GL"}]})");
  BOOST_TEST(has(codes_in("The patient had glimmer fever.", m), kCodes, "GL"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
