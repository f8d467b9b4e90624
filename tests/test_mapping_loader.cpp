// The mapping loader (converters/mapping/loader.cpp, mappings.cpp): how a user extends and
// overrides the built-in mappings with their own files, and the exact messages they get when a
// file is wrong (file, JSON pointer, reason; mappings/README.md).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>

#include "casefhir/errors.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

// The error a load throws, or nullopt when it loads.
std::optional<Error> load_error(const std::function<void()>& load) {
  try {
    load();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// The message of loading one in-memory file "user.json" on top of the defaults.
std::string message_for(const std::string& json) {
  const auto e = load_error([&] { Mappings::from_sources({{"user.json", json}}); });
  if (!e) return "(loaded without error)";
  BOOST_TEST(to_string(e->kind()) == to_string(ErrorKind::mapping_invalid));
  BOOST_TEST(e->ends_run());
  return e->what();
}

// One concept entry; `extra` is spliced in as more members.
std::string concept_file(const std::string& id, const std::string& system, const std::string& code,
                         const std::string& terms = R"(["glitter syndrome"])", const std::string& kind = "disorder") {
  return R"({"concepts": [{"id": ")" + id + R"(", "kind": ")" + kind + R"(", "terms": )" + terms +
         R"(, "codes": [{"system": ")" + system + R"(", "code": ")" + code + R"(", "display": "Test code"}]}]})";
}

const char* kText = "A 40-year-old woman presented to our clinic.\nWe diagnosed the patient with glitter syndrome.\n";
const char* kSeedSentence = "A 46-year-old man came to our clinic.\nWe diagnosed the patient as calcinosis cutis.\n";

std::vector<ordered_json> resources(const Conversion& c, const std::string& type) {
  std::vector<ordered_json> out;
  const ordered_json bundle = ordered_json::parse(c.bundle);
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == type) out.push_back(e["resource"]);
  return out;
}

// The codings of every Condition, as "system|code".
std::vector<std::string> condition_codes(const Conversion& c) {
  std::vector<std::string> out;
  for (const auto& r : resources(c, "Condition"))
    for (const auto& coding : r["code"]["coding"])
      out.push_back(coding["system"].get<std::string>() + "|" + coding["code"].get<std::string>());
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::size_t index_of(const Mappings& m, const std::string& id) {
  for (std::size_t i = 0; i < m.concept_count(); ++i)
    if (m.concept_at(i).id == id) return i;
  return m.concept_count();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mapping_loader)

// --- extending and overriding --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(user_concept_file_in_a_folder_adds_a_concept_with_its_own_code_system) {
  const fs::path dir = temp_dir("mapping-loader-add");
  write_text_file(dir / "extra.json", concept_file("glitter-syndrome", "urn:example:local-codes", "GS-1"));
  const Mappings m = Mappings::load({dir});
  const std::optional<Concept> c = m.find_concept("glitter-syndrome");
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST((c->kind == ConceptKind::disorder));
  BOOST_REQUIRE_EQUAL(c->codes.size(), 1u);
  BOOST_TEST(c->codes[0].system == "urn:example:local-codes");
  BOOST_TEST(c->codes[0].code == "GS-1");
  BOOST_TEST(c->origin == (dir / "extra.json").string() + "#/concepts/0");
  // The defaults are still there.
  BOOST_TEST(m.find_concept("calcinosis-cutis").has_value());
  BOOST_TEST(m.concept_count() == default_mappings().concept_count() + 1);
  BOOST_TEST(!default_mappings().find_concept("glitter-syndrome").has_value());
}

BOOST_AUTO_TEST_CASE(disorder_from_a_user_file_becomes_a_condition) {
  const fs::path dir = temp_dir("mapping-loader-condition");
  write_text_file(dir / "extra.json", concept_file("glitter-syndrome", "urn:example:local-codes", "GS-1"));
  const Conversion c = Converter(Mappings::load({dir})).convert(kText, "case.txt");
  const auto conditions = resources(c, "Condition");
  BOOST_REQUIRE_EQUAL(conditions.size(), 1u);
  BOOST_TEST(conditions[0]["code"]["coding"][0]["system"] == "urn:example:local-codes");
  BOOST_TEST(conditions[0]["code"]["coding"][0]["code"] == "GS-1");
  BOOST_TEST(conditions[0]["code"]["text"] == "glitter syndrome");
  BOOST_TEST(conditions[0]["verificationStatus"]["coding"][0]["code"] == "confirmed");
  // Without the file the same text has no Condition.
  BOOST_TEST(resources(convert_text(kText), "Condition").empty());
}

BOOST_AUTO_TEST_CASE(entry_with_a_default_id_replaces_the_default) {
  const Mappings m = default_mappings().extended(
      {{"override.json", concept_file("calcinosis-cutis", "urn:example:local-codes", "CC-1", R"(["calcinosis cutis"])")}});
  const std::optional<Concept> c = m.find_concept("calcinosis-cutis");
  BOOST_REQUIRE(c.has_value());
  BOOST_REQUIRE_EQUAL(c->codes.size(), 1u);
  BOOST_TEST(c->codes[0].code == "CC-1");
  BOOST_TEST(c->terms == (std::vector<std::string>{"calcinosis cutis"}), boost::test_tools::per_element());
  // Replaced in place: no second entry, same position.
  BOOST_TEST(m.find_concept("calcinosis-cutis").has_value());
  BOOST_TEST(index_of(m, "calcinosis-cutis") == index_of(default_mappings(), "calcinosis-cutis"));
  // And the conversion uses the new codes only.
  const auto codes = condition_codes(convert_text(kSeedSentence, m));
  BOOST_TEST(contains(codes, "urn:example:local-codes|CC-1"));
  BOOST_TEST(!contains(codes, "http://hl7.org/fhir/sid/icd-10-cm|L94.2"));
}

BOOST_AUTO_TEST_CASE(extended_leaves_the_original_mappings_unchanged) {
  const Mappings m = default_mappings().extended(
      {{"override.json", concept_file("calcinosis-cutis", "urn:example:local-codes", "CC-1", R"(["calcinosis cutis"])")}});
  BOOST_TEST(m.find_concept("calcinosis-cutis")->codes[0].code == "CC-1");
  BOOST_TEST(default_mappings().find_concept("calcinosis-cutis")->codes[0].code == "L94.2");
  BOOST_TEST(contains(condition_codes(convert_text(kSeedSentence)), "http://hl7.org/fhir/sid/icd-10-cm|L94.2"));
}

BOOST_AUTO_TEST_CASE(remove_true_deletes_a_default_entry) {
  const Mappings m =
      default_mappings().extended({{"remove.json", R"({"concepts": [{"id": "calcinosis-cutis", "remove": true}]})"}});
  BOOST_TEST(!m.find_concept("calcinosis-cutis").has_value());
  BOOST_TEST(default_mappings().find_concept("calcinosis-cutis").has_value());
  const Conversion c = convert_text(kSeedSentence, m);
  for (const Fact& f : c.facts.facts) BOOST_TEST(f.code.id != "calcinosis-cutis");
}

BOOST_AUTO_TEST_CASE(removing_an_entry_nobody_defined_is_an_error) {
  BOOST_TEST(message_for(R"({"concepts": [{"id": "no-such-concept", "remove": true}]})") ==
             "user.json: /concepts/0: \"remove\" names \"no-such-concept\", which no earlier mapping defines");
}

BOOST_AUTO_TEST_CASE(later_folders_win_over_earlier_ones) {
  const fs::path a = temp_dir("mapping-loader-a");
  const fs::path b = temp_dir("mapping-loader-b");
  write_text_file(a / "x.json", concept_file("glitter-syndrome", "urn:example:local-codes", "FROM-A"));
  write_text_file(b / "x.json", concept_file("glitter-syndrome", "urn:example:local-codes", "FROM-B"));
  BOOST_TEST(Mappings::load({a, b}).find_concept("glitter-syndrome")->codes[0].code == "FROM-B");
  BOOST_TEST(Mappings::load({b, a}).find_concept("glitter-syndrome")->codes[0].code == "FROM-A");
  const auto codes = condition_codes(Converter(Mappings::load({a, b})).convert(kText, "case.txt"));
  BOOST_TEST(contains(codes, "urn:example:local-codes|FROM-B"));
  BOOST_TEST(!contains(codes, "urn:example:local-codes|FROM-A"));
}

BOOST_AUTO_TEST_CASE(files_in_a_folder_are_read_in_sorted_path_order) {
  const fs::path dir = temp_dir("mapping-loader-order");
  fs::create_directories(dir / "b-sub");
  write_text_file(dir / "c.json", concept_file("glitter-syndrome", "urn:example:local-codes", "FROM-C"));
  write_text_file(dir / "a.json", concept_file("glitter-syndrome", "urn:example:local-codes", "FROM-A"));
  write_text_file(dir / "b-sub" / "b.json", concept_file("glitter-syndrome", "urn:example:local-codes", "FROM-B"));
  BOOST_TEST(Mappings::load({dir}).find_concept("glitter-syndrome")->codes[0].code == "FROM-C");
}

BOOST_AUTO_TEST_CASE(files_that_are_not_json_are_ignored_in_a_folder) {
  const fs::path dir = temp_dir("mapping-loader-other-files");
  write_text_file(dir / "README.md", "not a mapping file {");
  write_text_file(dir / "extra.json", concept_file("glitter-syndrome", "urn:example:local-codes", "GS-1"));
  BOOST_TEST(Mappings::load({dir}).find_concept("glitter-syndrome").has_value());
}

// --- errors: file, JSON pointer, reason ----------------------------------------------------

BOOST_AUTO_TEST_CASE(file_that_is_not_json_is_reported_with_line_and_column) {
  BOOST_TEST(message_for("{\n  \"concepts\": [\n    {\"id\": \"x\",}\n  ]\n}") ==
             "user.json:3:16: not valid JSON: syntax error while parsing object key - unexpected '}'; "
             "expected string literal");
}

BOOST_AUTO_TEST_CASE(json_error_column_counts_code_points) {
  // The stray x is the 28th code point of the line (29th byte: ö takes two).
  const auto e = load_error([] { Mappings::from_sources({{"user.json", "{\"description\": \"Sj\xC3\xB6gren\", x}"}}); });
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->where().line == 1u);
  BOOST_TEST(e->where().column == 28u);
  BOOST_TEST(std::string(e->what()).rfind("user.json:1:28: not valid JSON: syntax error", 0) == 0, e->what());
}

BOOST_AUTO_TEST_CASE(unknown_key_is_reported_at_its_pointer_with_the_allowed_keys) {
  BOOST_TEST(message_for(R"({"concepts": [{"id": "x", "kind": "disorder", "term": ["glitter syndrome"],
                              "codes": [{"system": "urn:example:c", "code": "1"}]}]})") ==
             "user.json: /concepts/0/term: unknown key \"term\" (allowed: id, kind, terms, related, narrow, broad, "
             "abbreviations, not_in, codes, display, source, specimen, remove)");
}

BOOST_AUTO_TEST_CASE(unknown_top_level_key_is_reported) {
  BOOST_TEST(message_for(R"({"concept": []})") ==
             "user.json: /concept: unknown key \"concept\" (allowed: $schema, description, sources, concepts, analytes, "
             "units, laterality, methods, triggers, sections, resources, demographics, observation_values, interpretations, "
             "term_rules, excluded_codes, measured_findings, word_lists)");
}

BOOST_AUTO_TEST_CASE(keys_with_slash_or_tilde_are_escaped_in_the_pointer) {
  BOOST_TEST(message_for(R"({"concepts": [{"id": "x", "a/b~c": 1}]})") ==
             "user.json: /concepts/0/a~1b~0c: unknown key \"a/b~c\" (allowed: id, kind, terms, related, narrow, broad, "
             "abbreviations, not_in, codes, display, source, specimen, remove)");
}

BOOST_AUTO_TEST_CASE(missing_terms_is_reported_at_the_entry) {
  BOOST_TEST(message_for(R"({"concepts": [{"id": "x", "kind": "disorder",
                              "codes": [{"system": "urn:example:c", "code": "1"}]}]})") ==
             "user.json: /concepts/0: missing required key \"terms\"");
}

BOOST_AUTO_TEST_CASE(unknown_kind_is_reported_with_the_kinds_allowed) {
  BOOST_TEST(message_for(concept_file("x", "urn:example:c", "1", R"(["glitter syndrome"])", "illness")) ==
             "user.json: /concepts/0/kind: must be one of disorder, finding, procedure, body-structure, lab, "
             "morphology (got \"illness\")");
}

BOOST_AUTO_TEST_CASE(empty_terms_are_reported) {
  BOOST_TEST(message_for(concept_file("x", "urn:example:c", "1", "[]")) == "user.json: /concepts/0/terms: must not be empty");
}

BOOST_AUTO_TEST_CASE(termination_options_on_another_category_are_reported) {
  BOOST_TEST(message_for(R"({"triggers": [{"id": "t", "category": "negation", "direction": "forward",
                              "terms": ["sans"], "unless_followed_by": ["or"]}]})") ==
             "user.json: /triggers/0/unless_followed_by: \"unless_followed_by\" applies only to category termination");
  BOOST_TEST(message_for(R"({"triggers": [{"id": "t", "category": "negation", "direction": "forward",
                              "terms": ["sans"], "fronted_clause": true}]})") ==
             "user.json: /triggers/0/fronted_clause: \"fronted_clause\" applies only to category termination");
  BOOST_TEST(message_for(R"({"triggers": [{"id": "t", "category": "negation", "direction": "forward",
                              "terms": ["sans"], "clause_opener": true}]})") ==
             "user.json: /triggers/0/clause_opener: \"clause_opener\" applies only to category termination");
  BOOST_TEST(message_for(R"({"triggers": [{"id": "t", "category": "negation", "direction": "forward",
                              "terms": ["sans"], "one_subject": true}]})") ==
             "user.json: /triggers/0/one_subject: \"one_subject\" applies only to direction backward");
  BOOST_TEST(message_for(R"({"triggers": [{"id": "t", "category": "negation", "direction": "forward",
                              "terms": ["sans"], "clause_final": true}]})") ==
             "user.json: /triggers/0/clause_final: \"clause_final\" applies only to direction backward");
}

BOOST_AUTO_TEST_CASE(unless_followed_by_takes_single_words) {
  BOOST_TEST(message_for(R"({"triggers": [{"id": "t", "category": "termination", "terms": [", a"],
                              "unless_followed_by": ["or", "and also"]}]})") ==
             "user.json: /triggers/0/unless_followed_by/1: must be one word (letters and digits only)");
  BOOST_TEST(message_for(R"({"triggers": [{"id": "t", "category": "termination", "terms": [", a"],
                              "unless_followed_by": ["and/or"]}]})") ==
             "user.json: /triggers/0/unless_followed_by/0: must be one word (letters and digits only)");
}

BOOST_AUTO_TEST_CASE(snomed_code_failing_its_check_digit_is_reported_at_its_pointer) {
  BOOST_TEST(message_for(R"({"concepts": [{"id": "x", "kind": "finding", "terms": ["glitter"], "codes": [
                               {"system": "urn:example:c", "code": "1"},
                               {"system": "http://snomed.info/sct", "code": "52101005"}]}]})") ==
             "user.json: /concepts/0/codes/1/code: SNOMED CT identifier 52101005 fails its Verhoeff check digit");
}

BOOST_AUTO_TEST_CASE(loinc_code_failing_its_check_digit_is_reported_at_its_pointer) {
  BOOST_TEST(message_for(R"({"analytes": [{"id": "calcium-test", "terms": ["test calcium"], "unit": "mg/dL",
                              "codes": [{"system": "http://loinc.org", "code": "17861-5"}]}]})") ==
             "user.json: /analytes/0/codes/0/code: LOINC code 17861-5 is malformed or fails its mod-10 check digit");
}

BOOST_AUTO_TEST_CASE(malformed_icd10cm_code_is_reported_at_its_pointer) {
  BOOST_TEST(message_for(concept_file("x", "http://hl7.org/fhir/sid/icd-10-cm", "L942")) ==
             "user.json: /concepts/0/codes/0/code: ICD-10-CM code L942 is not of the form A00 or A00.0000");
}

BOOST_AUTO_TEST_CASE(system_that_is_not_a_uri_is_reported) {
  BOOST_TEST(message_for(concept_file("x", "snomed", "52101004")) ==
             "user.json: /concepts/0/codes/0/system: \"snomed\" is not an absolute URI");
  BOOST_TEST(message_for(concept_file("x", "http://snomed.info/sct ", "52101004")) ==
             "user.json: /concepts/0/codes/0/system: \"http://snomed.info/sct \" is not an absolute URI");
}

BOOST_AUTO_TEST_CASE(id_given_twice_in_one_file_is_reported_with_both_places) {
  BOOST_TEST(message_for(R"({"concepts": [
      {"id": "glitter-syndrome", "kind": "disorder", "terms": ["glitter syndrome"], "codes": [{"system": "urn:example:c", "code": "1"}]},
      {"id": "glitter-syndrome", "kind": "disorder", "terms": ["glitter disease"], "codes": [{"system": "urn:example:c", "code": "2"}]}]})") ==
             "user.json: /concepts/1: \"glitter-syndrome\" is defined twice in this file (first at /concepts/0)");
}

BOOST_AUTO_TEST_CASE(file_that_defines_nothing_is_reported) {
  BOOST_TEST(message_for("{}") ==
             "user.json: /: the file defines nothing (expected keys such as \"concepts\" or \"triggers\")");
}

BOOST_AUTO_TEST_CASE(error_in_a_folder_names_the_file_path) {
  const fs::path dir = temp_dir("mapping-loader-bad-file");
  write_text_file(dir / "good.json", concept_file("glitter-syndrome", "urn:example:local-codes", "GS-1"));
  fs::create_directories(dir / "labs");
  write_text_file(dir / "labs" / "bad.json", concept_file("x", "http://snomed.info/sct", "52101005"));
  const auto e = load_error([&] { Mappings::load({dir}); });
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(std::string(e->what()) == (dir / "labs" / "bad.json").string() +
                                           ": /concepts/0/codes/0/code: SNOMED CT identifier 52101005 fails its "
                                           "Verhoeff check digit");
  BOOST_TEST(e->where().file == (dir / "labs" / "bad.json").string());
  BOOST_TEST(e->where().pointer == "/concepts/0/codes/0/code");
}

BOOST_AUTO_TEST_CASE(folder_that_does_not_exist_is_reported) {
  const fs::path missing = temp_dir("mapping-loader-missing") / "no-such-folder";
  const auto e = load_error([&] { Mappings::load({missing}); });
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(to_string(e->kind()) == to_string(ErrorKind::mapping_invalid));
  BOOST_TEST(std::string(e->what()) == missing.string() + ": is not a mapping file (*.json, *.json.gz) or a folder of them");
}

BOOST_AUTO_TEST_CASE(a_single_mapping_file_may_be_given_instead_of_a_folder) {
  const fs::path file = temp_dir("mapping-loader-file") / "extra.json";
  write_text_file(file, concept_file("glitter-syndrome", "urn:example:local-codes", "GS-1"));
  BOOST_TEST(Mappings::load({file}).find_concept("glitter-syndrome").has_value());
  const fs::path text = temp_dir("mapping-loader-file") / "notes.txt";
  write_text_file(text, "concepts go here");
  const auto e = load_error([&] { Mappings::load({text}); });
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(std::string(e->what()) == text.string() + ": is not a mapping file (*.json, *.json.gz) or a folder of them");
}

BOOST_AUTO_TEST_CASE(folder_with_no_json_files_is_reported) {
  const fs::path dir = temp_dir("mapping-loader-empty");
  write_text_file(dir / "notes.txt", "concepts go here");
  const auto e = load_error([&] { Mappings::load({dir}); });
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(to_string(e->kind()) == to_string(ErrorKind::mapping_invalid));
  BOOST_TEST(std::string(e->what()) == dir.string() + ": contains no *.json mapping files");
}

// --- word lists ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_word_list_is_data_a_user_file_can_replace) {
  // The default "test-heads" with one word more: "kit" now ends the name of a test.
  auto reading = nlohmann::json::parse(read_text_file(source_dir() / "mappings" / "reading.json"));
  nlohmann::json heads;
  for (const auto& list : reading["word_lists"])
    if (list["id"] == "test-heads") heads = list;
  BOOST_REQUIRE(!heads.is_null());
  const std::string text = "A 40-year-old woman was admitted. She had a negative rapid kit.";
  const auto kit_results = [&](const Mappings& m) {
    std::size_t n = 0;
    for (const auto& o : resources(Converter(m).convert(text, "case.txt"), "Observation"))
      n += o["code"].value("text", "") == "rapid kit";
    return n;
  };
  BOOST_TEST(kit_results(default_mappings()) == 0u);
  heads["words"].push_back("KIT");   // compared in any case
  const Mappings m = Mappings::from_sources({{"user.json", nlohmann::json{{"word_lists", {heads}}}.dump()}});
  BOOST_TEST(kit_results(m) == 1u);
}

BOOST_AUTO_TEST_CASE(a_word_list_must_be_one_the_readers_know_and_hold_single_words) {
  BOOST_TEST(message_for(R"({"word_lists": [{"id": "test-tails", "words": ["x"]}]})") ==
             "user.json: /word_lists/0/id: no reader consults a word list \"test-tails\" (the lists: test-name-boundaries, "
             "test-heads, serology-heads, value-fillers, trend-words, target-words, result-adverbs, reference-range-labels, "
             "course-verbs, uncoded-value-fillers, body-measurement-heads, lesion-size-words, unitless-result-heads, "
             "ratio-result-heads, other-specimens, gene-heads, generic-heads, showing-verbs, times-of-stay, score-verbs, done-verbs, scale-heads, "
             "name-filler-words, organisation-heads, finding-verbs, clause-verbs, cause-search-heads, site-determiners, trigger-adverbs, degree-adverbs, frequency-adverbs, "
             "excision-word-endings, operation-word-endings, not-procedure-words, given-verbs, lasting-condition-categories, lasting-condition-exceptions)");
  BOOST_TEST(message_for(R"({"word_lists": [{"id": "test-heads", "words": ["work-up"]}]})") ==
             "user.json: /word_lists/0/words/0: \"work-up\" is not one word (letters and digits only: a hyphen or a space "
             "splits it into tokens)");
  BOOST_TEST(message_for(R"({"word_lists": [{"id": "test-heads", "remove": true}]})") ==
             "the default mappings, user.json: /word_lists: no word list \"test-heads\" (mappings/README.md, \"Word lists\"; "
             "a dictionary compiled before word lists existed must be compiled again)");
  BOOST_TEST(message_for(R"({"word_lists": [{"id": "test-heads", "words": ["abcdefghijklmnopqrstuvwxyzabcdefghijklmno"]}]})") ==
             "user.json: /word_lists/0/words/0: \"abcdefghijklmnopqrstuvwxyzabcdefghijklmno\" is longer than 40 bytes, the "
             "longest word a list may hold");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
