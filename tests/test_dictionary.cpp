// Compiled dictionaries (converters/mapping/dictionary.cpp) and the term rules applied when one is
// compiled (mappings/README.md "Term rules", "Compiled dictionaries"): what `casefhir mappings
// compile` writes loads back as the same mappings, a damaged file is refused with a clear message,
// mapping files layer on a dictionary, and imported terms are matched only as the rules allow.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <optional>

#include "casefhir/errors.h"
#include "mapping/compiled.h"
#include "mapping/inspect.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;

std::optional<Error> load_error(const fs::path& dictionary) {
  try {
    MappingOptions options;
    options.dictionary = dictionary;
    Mappings::from_options(options);
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// A dictionary of the given files alone (no defaults), written to a temporary file.
fs::path compiled(const std::string& name, const std::vector<MappingSource>& files, bool with_defaults = false) {
  const fs::path dir = temp_dir("dictionary-" + name);
  std::vector<fs::path> inputs;
  for (const auto& f : files) {
    write_text_file(dir / f.name, f.json);
    inputs.push_back(dir / f.name);
  }
  const fs::path file = dir / (name + ".dict");
  write_text_file(file, compile_dictionary(inputs, with_defaults));
  return file;
}

Mappings open(const fs::path& dictionary, const std::vector<fs::path>& folders = {}) {
  MappingOptions options;
  options.dictionary = dictionary;
  options.folders = folders;
  return Mappings::from_options(options);
}

// The concept ids of the facts a conversion reads.
std::vector<std::string> fact_ids(const std::string& text, const Mappings& m) {
  std::vector<std::string> out;
  for (const Fact& f : convert_text(text, m).facts.facts) out.push_back(f.code.id);
  return out;
}

// The words of each mention of one concept's facts, in source order.
std::vector<std::string> mentions_of(const std::string& text, const Mappings& m, const std::string& id) {
  std::vector<std::string> out;
  for (const Fact& f : convert_text(text, m).facts.facts)
    if (f.code.id == id)
      for (const SourceRef& s : f.sources) out.push_back(text.substr(s.span.begin, s.span.size()));
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// An imported source and its concepts (one line each), with the default rules around them.
std::string imported(const std::string& concepts) {
  return R"({"sources": [{"id": "test-source", "name": "Test source", "licence": "CC0 1.0"}], "concepts": [)" + concepts + "]}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dictionary)

BOOST_AUTO_TEST_CASE(a_compiled_dictionary_converts_as_the_mappings_it_was_compiled_from) {
  const fs::path file = compiled("defaults", {}, /*with_defaults=*/true);
  const Mappings from_file = open(file);
  BOOST_TEST(from_file.concept_count() == default_mappings().concept_count());
  const std::string text = read_text_file(source_dir() / "samples/calcinosis-cutis.txt");
  BOOST_TEST(convert_text(text, from_file).bundle == convert_text(text).bundle);
}

BOOST_AUTO_TEST_CASE(mapping_files_layer_on_a_dictionary_and_may_replace_or_remove_its_concepts) {
  const fs::path file = compiled("layers", {{"base.json", R"({"concepts": [
    {"id": "glitter-syndrome", "kind": "disorder", "terms": ["glitter syndrome"], "codes": [{"system": "urn:example:c", "code": "G-1"}]},
    {"id": "sparkle-fever", "kind": "disorder", "terms": ["sparkle fever"], "codes": [{"system": "urn:example:c", "code": "S-1"}]}]})"}},
                                 true);
  const fs::path overlay = temp_dir("dictionary-layers-overlay");
  write_text_file(overlay / "user.json", R"({"concepts": [
    {"id": "glitter-syndrome", "kind": "disorder", "terms": ["glitter disease"], "codes": [{"system": "urn:example:c", "code": "G-2"}]},
    {"id": "sparkle-fever", "remove": true}]})");
  const Mappings m = open(file, {overlay});
  BOOST_TEST(m.find_concept("glitter-syndrome")->codes[0].code == "G-2");
  BOOST_TEST(!m.find_concept("sparkle-fever").has_value());
  const auto ids = fact_ids("A 30-year-old man had glitter disease, glitter syndrome and sparkle fever.\n", m);
  BOOST_TEST(has(ids, "glitter-syndrome"));     // by the overlay's term
  BOOST_TEST(!has(ids, "sparkle-fever"));       // removed
  // The dictionary's own term for the replaced concept no longer names it.
  BOOST_TEST(std::count(ids.begin(), ids.end(), "glitter-syndrome") == 1);
}

BOOST_AUTO_TEST_CASE(a_damaged_truncated_or_foreign_file_is_refused_with_a_clear_message) {
  const fs::path good = compiled("damaged", {}, true);
  const std::string bytes = read_text_file(good);
  const fs::path dir = good.parent_path();

  std::string flipped = bytes;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5A);
  write_text_file(dir / "flipped.dict", flipped);
  auto e = load_error(dir / "flipped.dict");
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(std::string(e->what()) == (dir / "flipped.dict").string() + ": is damaged (checksum mismatch)");
  BOOST_TEST(to_string(e->kind()) == to_string(ErrorKind::mapping_invalid));

  write_text_file(dir / "truncated.dict", bytes.substr(0, bytes.size() / 3));
  e = load_error(dir / "truncated.dict");
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(std::string(e->what()).find("is truncated or has trailing bytes") != std::string::npos, e->what());

  write_text_file(dir / "report.dict", "A 46-year-old man.\n");
  e = load_error(dir / "report.dict");
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(std::string(e->what()).find("is not a casefhir dictionary") != std::string::npos, e->what());

  e = load_error(dir / "missing.dict");
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(std::string(e->what()).find("cannot be opened") != std::string::npos, e->what());
}

BOOST_AUTO_TEST_CASE(the_same_files_compile_to_the_same_bytes) {
  BOOST_TEST(compile_dictionary({}, true) == compile_dictionary({}, true));
}

// ---- term rules (applied to imported entries only) -----------------------------------------------

BOOST_AUTO_TEST_CASE(generic_and_coders_terms_of_an_imported_source_are_not_matched) {
  const Mappings m = Mappings::from_sources({{"imported.json", imported(R"(
    {"id": "x-1", "kind": "disorder", "source": "test-source", "terms": ["Disease"], "codes": [{"system": "urn:example:x", "code": "1"}]},
    {"id": "x-2", "kind": "disorder", "source": "test-source", "terms": ["Other specified glitter disorders"], "codes": [{"system": "urn:example:x", "code": "2"}]},
    {"id": "x-3", "kind": "disorder", "source": "test-source", "terms": ["Sparkle fever, unspecified"], "codes": [{"system": "urn:example:x", "code": "3"}]},
    {"id": "x-4", "kind": "finding", "source": "test-source", "terms": ["Denies glitter use"], "codes": [{"system": "urn:example:x", "code": "4"}]})")}});
  const auto ids = fact_ids("A 30-year-old man had a disease. Other specified glitter disorders were noted. He had sparkle fever. "
                            "He denies glitter use.\n", m);
  BOOST_TEST(!has(ids, "x-1"));   // a stop term
  BOOST_TEST(!has(ids, "x-2"));   // "other", "specified": coders' words
  BOOST_TEST(has(ids, "x-3"));    // ", unspecified" stripped: "sparkle fever" is matched
  BOOST_TEST(!has(ids, "x-4"));   // carries its own negation
}

BOOST_AUTO_TEST_CASE(short_imported_terms_in_capitals_are_case_sensitive_abbreviations) {
  const Mappings m = Mappings::from_sources({{"imported.json", imported(R"(
    {"id": "x-the", "kind": "disorder", "source": "test-source", "terms": ["trichoglitter syndrome", "THE"], "codes": [{"system": "urn:example:x", "code": "1"}]},
    {"id": "x-glica", "kind": "disorder", "source": "test-source", "terms": ["Glica"], "codes": [{"system": "urn:example:x", "code": "2"}]},
    {"id": "x-ms", "kind": "disorder", "source": "test-source", "terms": ["multiple glitter", "MG"], "codes": [{"system": "urn:example:x", "code": "3"}]})")}});
  // (A made-up "Glica": the defaults' own Pica, hand-written or of a higher-precedence source, wins
  // "pica" over a file's imported term.)
  const std::string text = "A 30-year-old man saw the doctor. He had glica. The GLICA was occluded. MG was suspected.\n";
  const auto ids = fact_ids(text, m);
  BOOST_TEST(!has(ids, "x-the"));   // "THE" is an abbreviation: not the word "the"
  // "glica", not GLICA (as Pica is not the artery PICA).
  BOOST_TEST(mentions_of(text, m, "x-glica") == (std::vector<std::string>{"glica"}), boost::test_tools::per_element());
  BOOST_TEST(!has(ids, "x-ms"));                                 // two letters: only where a report defines them
  // Defined by the report, the letters name the concept wherever they are used afterwards. Mentions
  // of one concept make one fact with a source per mention: the long form, the bracket and the
  // later "MG".
  const std::string defined = "A 30-year-old man had multiple glitter (MG). MG was treated.\n";
  const auto defined_ids = fact_ids(defined, m);
  BOOST_TEST(std::count(defined_ids.begin(), defined_ids.end(), "x-ms") == 1);
  BOOST_TEST(mentions_of(defined, m, "x-ms") == (std::vector<std::string>{"multiple glitter", "MG", "MG"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(one_word_inclusion_terms_and_morphologies_name_nothing) {
  const Mappings m = Mappings::from_sources({{"imported.json", imported(R"(
    {"id": "x-fracture", "kind": "disorder", "source": "test-source", "terms": ["Fracture of second glitter vertebra"], "narrow": ["Axis", "Glitter axis fracture"], "codes": [{"system": "urn:example:x", "code": "1"}]},
    {"id": "x-morph", "kind": "morphology", "source": "test-source", "terms": ["Glitteroma"], "codes": [{"system": "urn:example:x", "code": "2"}]})")}});
  const auto ids = fact_ids("A 30-year-old man had a glitter axis fracture of the axis. A glitteroma was found.\n", m);
  BOOST_TEST(std::count(ids.begin(), ids.end(), "x-fracture") == 1);   // the two-word inclusion term only
  BOOST_TEST(!has(ids, "x-morph"));
}

BOOST_AUTO_TEST_CASE(hand_written_entries_are_taken_as_written) {
  const Mappings m = Mappings::from_sources({{"hand.json", R"({"concepts": [
    {"id": "h-1", "kind": "disorder", "terms": ["Other glitter disorder", "GD"], "codes": [{"system": "urn:example:h", "code": "1"}]}]})"}});
  const auto ids = fact_ids("A 30-year-old man had other glitter disorder.\n", m);
  BOOST_TEST(has(ids, "h-1"));
}

BOOST_AUTO_TEST_CASE(an_imported_concept_sharing_a_code_with_a_hand_written_one_lends_it_its_synonyms) {
  // DOID-like synonyms of the hand-written hypertension (same SNOMED CT code) name it, not a second concept.
  const Mappings m = Mappings::from_sources({{"imported.json", imported(R"(
    {"id": "x-htn", "kind": "disorder", "source": "test-source", "terms": ["hypertensive glitter state"], "codes": [{"system": "http://snomed.info/sct", "code": "38341003"}]})")}});
  const auto ids = fact_ids("A 30-year-old man had a hypertensive glitter state.\n", m);
  BOOST_TEST(has(ids, "hypertension"));
  BOOST_TEST(!has(ids, "x-htn"));
}

// ---- layers: mapping files on a dictionary ------------------------------------------------------

// The dictionary's hand-written dyspnea takes imported synonyms ("trouble breathing") when the
// dictionary is compiled; a file that replaces it must not lose them.
BOOST_AUTO_TEST_CASE(a_replaced_concept_keeps_the_words_the_dictionary_matched_for_it) {
  const std::string text = "A 60-year-old man was admitted. He complained of trouble breathing.\n";
  BOOST_TEST(has(fact_ids(text, default_mappings()), "dyspnea"));
  const std::string copy = R"({"concepts": [{"id": "dyspnea", "kind": "finding", "terms": ["dyspnea", "shortness of breath"],
    "codes": [{"system": "http://snomed.info/sct", "code": "267036007"}]}]})";
  const Mappings replaced = Mappings::from_sources({{"dyspnea.json", copy}});
  const Conversion c = convert_text(text, replaced);
  BOOST_REQUIRE(c.facts.facts.size() == 1u);
  BOOST_TEST(c.facts.facts[0].code.id == "dyspnea");
  BOOST_TEST(c.facts.facts[0].code.codes.size() == 1u);   // the replacement's codes (the dictionary's entry has ICD-10-CM too)
  // Removed, the concept takes its words with it.
  const Mappings removed = Mappings::from_sources({{"rm.json", R"({"concepts": [{"id": "dyspnea", "remove": true}]})"}});
  BOOST_TEST(!has(fact_ids(text, removed), "dyspnea"));
  // A replacement stops one of those words with not_in.
  const Mappings stopped = Mappings::from_sources({{"dyspnea.json", R"({"concepts": [{"id": "dyspnea", "kind": "finding",
    "terms": ["dyspnea"], "not_in": ["trouble breathing"], "codes": [{"system": "http://snomed.info/sct", "code": "267036007"}]}]})"}});
  BOOST_TEST(!has(fact_ids(text, stopped), "dyspnea"));
  BOOST_TEST(has(fact_ids("A 60-year-old man had shortness of breath.\n", stopped), "dyspnea"));
}

BOOST_AUTO_TEST_CASE(a_files_imported_concept_does_not_outrank_the_dictionarys_hand_written_one) {
  // UMLS-style, coded by its CUI only: the hand-written hypertension (SNOMED CT, ICD-10-CM) keeps
  // "hypertension" and "HTN", as it would had both been compiled together.
  const Mappings m = Mappings::from_sources({{"umls.json", R"({"sources": [{"id": "umls", "name": "UMLS test", "licence": "test"}],
    "concepts": [{"id": "umls-c0020538", "kind": "disorder", "source": "umls", "terms": ["Hypertension", "HTN", "glitter pressure disorder"],
                  "codes": [{"system": "http://www.nlm.nih.gov/research/umls", "code": "C0020538"}]}]})"}});
  const auto ids = fact_ids("A 60-year-old man had hypertension. He had HTN.\n", m);
  BOOST_TEST(has(ids, "hypertension"));
  BOOST_TEST(!has(ids, "umls-c0020538"));
  // Its own words still name it.
  BOOST_TEST(has(fact_ids("A 60-year-old man had a glitter pressure disorder.\n", m), "umls-c0020538"));
  // A hand-written entry of a file wins a tie with the dictionary's (the later entry wins, as in one file).
  const Mappings local = Mappings::from_sources({{"local.json", R"({"concepts": [{"id": "local-htn", "kind": "disorder",
    "terms": ["hypertension"], "codes": [{"system": "urn:example:local", "code": "H"}]}]})"}});
  BOOST_TEST(has(fact_ids("A 60-year-old man had hypertension.\n", local), "local-htn"));
}

BOOST_AUTO_TEST_CASE(a_files_hand_written_concept_takes_the_synonyms_of_a_dictionary_concept_sharing_its_identifier) {
  // The Disease Ontology's Glanzmann thrombasthenia (SNOMED CT 32942005) is imported in the
  // dictionary; a hand-written concept of a file with that code is the same thing.
  const std::string text = "A 30-year-old man had thrombocytasthenia.\n";
  BOOST_TEST(has(fact_ids(text, default_mappings()), "doid-2219"));
  const Mappings m = Mappings::from_sources({{"local.json", R"({"concepts": [{"id": "glanzmann-local", "kind": "disorder",
    "terms": ["glanzmann glitter"], "codes": [{"system": "http://snomed.info/sct", "code": "32942005"}]}]})"}});
  const auto ids = fact_ids(text, m);
  BOOST_TEST(has(ids, "glanzmann-local"));
  BOOST_TEST(!has(ids, "doid-2219"));
  BOOST_TEST(m.find_concept("doid-2219").has_value());   // it keeps its record
}

BOOST_AUTO_TEST_CASE(term_rules_that_apply_when_compiling_are_refused_on_a_dictionary) {
  try {
    Mappings::from_sources({{"rules.json", R"({"term_rules": {"stop_terms": ["irritable"]}})"}});
    BOOST_FAIL("stop_terms on the built-in dictionary were accepted");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()) ==
               "rules.json: /term_rules/stop_terms: term rules apply when a dictionary is compiled, and the built-in dictionary "
               "was compiled with its own: compile these files into one (`casefhir mappings compile`) and convert with "
               "--dictionary; at run time only blocked_phrases and neighbour_window apply");
  }
  // Restating a rule as it is changes nothing and is accepted.
  const auto& scopes = default_mappings().compiled().set.term_rules.scopes;
  std::string list;
  for (const auto& scope : scopes) list += (list.empty() ? "\"" : ", \"") + scope + "\"";
  BOOST_CHECK_NO_THROW(Mappings::from_sources({{"rules.json", R"({"term_rules": {"scopes": [)" + list + "]}}"}}));
  // Blocked phrases apply at run time: they win over the dictionary's terms.
  // ("stroke of luck" is blocked by the defaults; "stroke of fate" is not, until a file blocks it.)
  const std::string text = "A 3-year-old boy was well. It was a stroke of fate.\n";
  BOOST_TEST(!fact_ids(text, default_mappings()).empty());
  const Mappings blocked = Mappings::from_sources({{"rules.json", R"({"term_rules": {"blocked_phrases": ["stroke of fate"]}})"}});
  BOOST_TEST(fact_ids(text, blocked).empty());
  // With no dictionary beneath, the files are compiled with their rules: they apply.
  std::vector<MappingSource> files = default_mappings().compiled().base->rule_sources();
  files.push_back({"imported.json", imported(R"({"id": "x-irr", "kind": "finding", "source": "test-source",
    "terms": ["glitter irritability", "glitterish"], "codes": [{"system": "urn:example:x", "code": "1"}]})")});
  const std::string glitter = "A 3-year-old boy had glitter irritability. He was glitterish.\n";
  BOOST_TEST(mentions_of(glitter, Mappings::from_sources(files, false), "x-irr").size() == 2u);
  files.push_back({"rules.json", R"({"term_rules": {"stop_terms": ["glitterish"]}})"});
  BOOST_TEST(mentions_of(glitter, Mappings::from_sources(files, false), "x-irr") == (std::vector<std::string>{"glitter irritability"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(either_spelling_of_a_word_matches_a_term_written_in_one) {
  // The defaults read British spellings as American ones (term_rules.spellings), in the text and in
  // every term, hand-written or imported: a term written either way matches both.
  const Mappings m = Mappings::from_sources({{"hand.json", R"({"concepts": [
    {"id": "h-glitter-oedema", "kind": "finding", "terms": ["glitter oedema"], "codes": [{"system": "urn:example:h", "code": "1"}]},
    {"id": "h-glitteremia", "kind": "disorder", "terms": ["glitteremia"], "codes": [{"system": "urn:example:h", "code": "2"}]},
    {"id": "h-gastroglitter", "kind": "disorder", "terms": ["gastroesophageal glitter"], "codes": [{"system": "urn:example:h", "code": "3"}]}]})"}});
  const std::string text = "A 30-year-old man had glitter edema and glitter oedema, glitteraemia and gastro-oesophageal glitter. "
                           "Gastroesophageal glitter recurred.\n";
  BOOST_TEST(mentions_of(text, m, "h-glitter-oedema") == (std::vector<std::string>{"glitter edema", "glitter oedema"}),
             boost::test_tools::per_element());
  BOOST_TEST(mentions_of(text, m, "h-glitteremia") == (std::vector<std::string>{"glitteraemia"}), boost::test_tools::per_element());
  // "oesophag" is read as "esophag" only where a word starts with it; the "o" of "gastro" joins it.
  const auto gastro = mentions_of(text, m, "h-gastroglitter");
  BOOST_TEST(has(gastro, "gastro-oesophageal glitter"));
  BOOST_TEST(has(gastro, "Gastroesophageal glitter"));
  // A spelling rule is a term rule: it applies when a dictionary is compiled, so a file cannot change
  // it on the built-in dictionary; a malformed rule names its place.
  BOOST_CHECK_THROW(Mappings::from_sources({{"rules.json", R"({"term_rules": {"spellings": []}})"}}), Error);
  try {
    std::vector<MappingSource> files = default_mappings().compiled().base->rule_sources();
    files.push_back({"rules.json", R"({"term_rules": {"spellings": [{"written": "Ae", "read": "e"}]}})"});
    Mappings::from_sources(files, false);
    BOOST_FAIL("a spelling in capitals was accepted");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()) == "rules.json: /term_rules/spellings/0/written: must be small ASCII letters (a word part as the matcher reads it)");
  }
}

BOOST_AUTO_TEST_CASE(an_adjective_reads_as_its_noun_and_a_whole_word_as_another) {
  // at_word_end: the end of a word ("penic" in "glitterpenic" read as "penia"); at_word_start and
  // at_word_end together: the whole word only ("glimmer" as "glitter", not "glimmering").
  std::vector<MappingSource> files = default_mappings().compiled().base->rule_sources();
  files.push_back({"hand.json", R"({"concepts": [
    {"id": "h-glitterpenia", "kind": "finding", "terms": ["glitterpenia"], "codes": [{"system": "urn:example:h", "code": "1"}]},
    {"id": "h-glitter-fever", "kind": "disorder", "terms": ["glitter fever"], "codes": [{"system": "urn:example:h", "code": "2"}]}]})"});
  files.push_back({"rules.json", R"({"term_rules": {"spellings": [{"written": "penic", "read": "penia", "at_word_end": true},
    {"written": "glimmer", "read": "glitter", "at_word_start": true, "at_word_end": true}]}})"});
  const Mappings m = Mappings::from_sources(files, false);
  const std::string text = "A 30-year-old man was glitterpenic, then had glitterpenia, glimmer fever and glimmering fever. "
                           "The penicillin glitter was stopped.\n";
  BOOST_TEST(mentions_of(text, m, "h-glitterpenia") == (std::vector<std::string>{"glitterpenic", "glitterpenia"}),
             boost::test_tools::per_element());
  BOOST_TEST(mentions_of(text, m, "h-glitter-fever") == (std::vector<std::string>{"glimmer fever"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_imported_concept_with_a_blocked_code_names_nothing_and_hides_what_it_contains) {
  // Blocked codes are a term rule: the files are compiled with them (no dictionary beneath).
  std::vector<MappingSource> files = default_mappings().compiled().base->rule_sources();
  files.push_back({"imported.json", imported(R"({"id": "x-visit", "kind": "procedure", "source": "test-source",
    "terms": ["glitter visit", "glitter prevention"], "codes": [{"system": "urn:example:x", "code": "visit"}]},
    {"id": "x-glitter", "kind": "finding", "source": "test-source",
    "terms": ["glitter"], "codes": [{"system": "urn:example:x", "code": "glitter"}]},
    {"id": "x-spa", "kind": "procedure", "source": "test-source",
    "terms": ["glitter spa"], "codes": [{"system": "urn:example:x", "code": "spa"}]},
    {"id": "x-spa-visit", "kind": "procedure", "source": "test-source",
    "terms": ["glitter spa", "glitter session"], "codes": [{"system": "urn:example:x", "code": "spa-visit"}]})")});
  const std::string text = "A 3-year-old boy had a glitter visit for glitter prevention. He had a glitter spa and glitter.\n";
  BOOST_TEST(mentions_of(text, Mappings::from_sources(files, false), "x-visit").size() == 2u);
  files.push_back({"rules.json", R"({"term_rules": {"blocked_codes": [{"system": "urn:example:x", "code": "visit"},
    {"system": "urn:example:x", "code": "spa-visit"}]}})"});
  const Mappings blocked = Mappings::from_sources(files, false);
  BOOST_TEST(mentions_of(text, blocked, "x-visit").empty());
  BOOST_TEST(blocked.find_concept("x-visit").has_value());   // it keeps its record and codes
  // What a blocked term contains is hidden ("stroke prevention" names no stroke) ...
  BOOST_TEST(mentions_of(text, blocked, "x-glitter") == (std::vector<std::string>{"glitter"}), boost::test_tools::per_element());
  // ... but a term that another concept also has still names that concept.
  BOOST_TEST(mentions_of(text, blocked, "x-spa") == (std::vector<std::string>{"glitter spa"}), boost::test_tools::per_element());
  // On the built-in dictionary they cannot change at run time.
  BOOST_CHECK_THROW(Mappings::from_sources({{"rules.json", R"({"term_rules": {"blocked_codes": [{"system": "urn:example:x", "code": "visit"}]}})"}}),
                    Error);
}

BOOST_AUTO_TEST_CASE(counts_and_listings_are_of_the_concepts_in_effect) {
  const std::size_t n = default_mappings().concept_count();
  BOOST_TEST(mapping::vocabulary_stats(default_mappings()).concepts == n);
  const Mappings removed = Mappings::from_sources({{"rm.json", R"({"concepts": [{"id": "dyspnea", "remove": true}]})"}});
  BOOST_TEST(removed.concept_count() == n - 1);
  BOOST_TEST(mapping::vocabulary_stats(removed).concepts == n - 1);
  const Mappings replaced = Mappings::from_sources({{"htn.json", R"({"concepts": [{"id": "hypertension", "kind": "disorder",
    "terms": ["hypertension"], "codes": [{"system": "urn:example:local", "code": "H"}]}]})"}});
  BOOST_TEST(replaced.concept_count() == n);
  BOOST_TEST(mapping::vocabulary_stats(replaced).concepts == n);
  const auto ids = [](const Mappings& m) {
    std::vector<std::string> out;
    for (const Concept& c : all_concepts(m)) out.push_back(c.id);
    return out;
  };
  const auto after_removal = ids(removed);
  BOOST_TEST(!has(after_removal, "dyspnea"));
  const auto after_replacement = ids(replaced);
  BOOST_TEST(std::count(after_replacement.begin(), after_replacement.end(), "hypertension") == 1);
  BOOST_TEST(replaced.concept_at(static_cast<std::size_t>(std::find(after_replacement.begin(), after_replacement.end(), "hypertension") -
                                                           after_replacement.begin()))
                 .codes[0]
                 .code == "H");
  BOOST_CHECK_THROW(replaced.concept_at(n), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(a_files_term_that_names_a_dictionary_concept_of_another_kind_is_a_conflict) {
  const Mappings m = Mappings::from_sources({{"p.json", R"({"concepts": [{"id": "glitter-procedure", "kind": "procedure",
    "terms": ["hypertension", "glitter wash"], "codes": [{"system": "urn:example:p", "code": "P1"}]}]})"}});
  std::size_t total = 0;
  const auto conflicts = mapping::kind_conflicts(m, 10, total, /*files_only=*/true);
  BOOST_TEST(total == 1u);
  BOOST_REQUIRE(conflicts.size() == 1u);
  BOOST_TEST(conflicts[0].term == "hypertension");
  BOOST_TEST(conflicts[0].concepts == (std::vector<std::string>{"glitter-procedure (procedure)", "hypertension (disorder)"}),
             boost::test_tools::per_element());
  // Every conflict, the dictionary's own included.
  std::size_t all = 0;
  mapping::kind_conflicts(default_mappings(), 0, all);
  std::size_t with_file = 0;
  mapping::kind_conflicts(m, 0, with_file);
  BOOST_TEST(with_file == all + 1);
}

BOOST_AUTO_TEST_CASE(an_error_in_a_dictionarys_rules_names_the_dictionary) {
  const fs::path dir = temp_dir("dictionary-rules");
  auto write = [&](const std::string& name, const std::vector<MappingSource>& rule_sources) {
    nlp::Vocabulary words, exact;
    const std::vector<Concept> concepts;
    const TermRules rules;
    write_text_file(dir / name, mapping::build_dictionary({concepts, rules, rule_sources, words, exact, true}));
    return dir / name;
  };
  const fs::path broken = write("broken.dict", {{"hand/context.json", "{\"triggers\": [}"}});
  auto e = load_error(broken);
  BOOST_REQUIRE(e.has_value());
  const std::string message = e->what();
  BOOST_TEST(message.rfind(broken.string() + ", compiled from hand/context.json:1:15: not valid JSON: ", 0) == 0u, message);
  BOOST_TEST(message.ends_with(" (compile the dictionary again)"), message);
  // Rules that do not make a whole set: the dictionary (and the files on it) are named, not "mapping files".
  const fs::path bare = write("bare.dict", {});
  e = load_error(bare);
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(std::string(e->what()) == bare.string() + ": /resources: no resource rule for kind \"disorder\"");
  // Files alone, without the defaults: the error says what is missing and why.
  try {
    Mappings::from_sources({{"imported.json", imported(R"({"id": "x-1", "kind": "disorder", "source": "test-source",
      "terms": ["glitter"], "codes": [{"system": "urn:example:x", "code": "1"}]})")}}, false);
    BOOST_FAIL("an incomplete set loaded");
  } catch (const Error& incomplete) {
    BOOST_TEST(std::string(incomplete.what()) ==
               "imported.json: /resources: no resource rule for kind \"disorder\" (without the default mappings, the files must "
               "hold every rule a conversion needs; layer them on the defaults or on a dictionary instead)");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
