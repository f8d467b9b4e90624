// The text pipeline's stages (converters/nlp/stages.h), each through nlp::annotate with the default
// mappings: where sentences and sections begin, which concepts are found, what context does to
// them (negation, hedging, family, history, hypotheticals), whether a sentence is about the
// patient, and the attributes read around a mention (age, sex, sizes, labs, sites, onset). Where
// the outcome is clearer in CaseFacts (what was set aside, and why), the test converts the text.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nlp/sections.h"
#include "nlp/stages.h"
#include "support.h"

namespace casefhir::test {
namespace {

// One document run through every stage.
struct Annotated {
  SourceDocument doc;
  nlp::Annotations a;
  const Mappings* mappings;

  explicit Annotated(const std::string& text, const Mappings& m = default_mappings())
      : doc(read_text(text, "test.txt")), mappings(&m) {
    nlp::annotate(doc, m.compiled(), a);
  }

  std::vector<std::string> sentences() const {
    std::vector<std::string> out;
    for (const auto& s : a.sentences) out.emplace_back(doc.view(s.span));
    return out;
  }
  Concept concept_of(const nlp::Mention& m) const { return mappings->compiled().concept_at(m.concept_index).to_concept(); }
  // The concept ids of all mentions, in text order.
  std::vector<std::string> concept_ids() const {
    std::vector<std::string> out;
    for (const auto& m : a.mentions) out.push_back(concept_of(m).id);
    return out;
  }
  // The one mention of a concept (fails the test when there is none or more than one).
  const nlp::Mention& mention(const std::string& concept_id) const {
    const nlp::Mention* found = nullptr;
    int count = 0;
    for (const auto& m : a.mentions)
      if (concept_of(m).id == concept_id) {
        found = &m;
        ++count;
      }
    BOOST_TEST_REQUIRE(count == 1, "expected one mention of " << concept_id << ", found " << count << " in \"" << doc.text << "\"");
    return *found;
  }
  bool has_mention(const std::string& concept_id) const {
    const auto ids = concept_ids();
    return std::find(ids.begin(), ids.end(), concept_id) != ids.end();
  }
  // The section holding the first occurrence of `phrase`.
  const Section& section_of(std::string_view phrase) const {
    const auto at = doc.text.find(phrase);
    BOOST_TEST_REQUIRE(at != std::string::npos, "no \"" << phrase << "\" in the text");
    for (const auto& s : doc.sections)
      if (s.body.begin <= at && at < s.body.end) return s;
    BOOST_TEST_REQUIRE(false, "\"" << phrase << "\" lies in no section body");
    return doc.sections.front();
  }
  // The sentence holding the first occurrence of `phrase`.
  const nlp::Sentence& sentence_of(std::string_view phrase) const {
    const auto at = doc.text.find(phrase);
    BOOST_TEST_REQUIRE(at != std::string::npos, "no \"" << phrase << "\" in the text");
    for (const auto& s : a.sentences)
      if (s.span.begin <= at && at < s.span.end) return s;
    BOOST_TEST_REQUIRE(false, "\"" << phrase << "\" lies in no sentence");
    return a.sentences.front();
  }
};

// The defaults plus a few concepts the tests need that the defaults do not have.
const Mappings& test_mappings() {
  static const Mappings m = default_mappings().extended({{"test-concepts.json", R"({"concepts": [
      {"id": "test-rash", "kind": "finding", "terms": ["rash"], "codes": [{"system": "urn:example:test", "code": "rash"}]}
  ]})"}});
  return m;
}

const Fact* fact_of(const CaseFacts& f, const std::string& concept_id) {
  for (const auto& x : f.facts)
    if (x.code.id == concept_id) return &x;
  return nullptr;
}

std::vector<std::string> set_aside_reasons(const CaseFacts& f, const std::string& concept_id) {
  std::vector<std::string> out;
  for (const auto& s : f.set_aside)
    if (s.concept_id == concept_id) out.push_back(s.reason);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

// ---- sentences ----------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(sentences)

BOOST_AUTO_TEST_CASE(full_stop_before_a_capital_ends_a_sentence) {
  const Annotated t("He had fever. She had cough.");
  BOOST_TEST(t.sentences() == (Strings{"He had fever.", "She had cough."}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(title_and_abbreviation_periods_do_not_end_a_sentence) {
  const Annotated t("Dr. Smith saw the patient. Vitamins, e.g. D and K, were given. See Fig. 2 for details.");
  BOOST_TEST(t.sentences() ==
                 (Strings{"Dr. Smith saw the patient.", "Vitamins, e.g. D and K, were given.", "See Fig. 2 for details."}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(decimal_point_does_not_end_a_sentence) {
  const Annotated t("The lesion measured 2.5 cm. It was firm.");
  BOOST_TEST(t.sentences() == (Strings{"The lesion measured 2.5 cm.", "It was firm."}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(dosing_abbreviation_p_o_does_not_end_a_sentence) {
  const Annotated t("Amoxicillin 500 mg p.o. Three times daily was given. Fever resolved.");
  BOOST_TEST(t.sentences() == (Strings{"Amoxicillin 500 mg p.o. Three times daily was given.", "Fever resolved."}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sentence_never_runs_across_a_blank_line) {
  const Annotated t("He had fever\n\nand cough.");
  BOOST_TEST(t.sentences() == (Strings{"He had fever", "and cough."}), boost::test_tools::per_element());
  BOOST_TEST(t.a.sentences[0].paragraph != t.a.sentences[1].paragraph);
}

BOOST_AUTO_TEST_CASE(sentence_never_runs_across_a_heading) {
  const Annotated t("Case report\nHe had fever\nDiscussion\nFever is common.");
  BOOST_TEST(t.sentences() == (Strings{"He had fever", "Fever is common."}), boost::test_tools::per_element());
  BOOST_TEST(t.sentence_of("He had").section != t.sentence_of("Fever is").section);
}

BOOST_AUTO_TEST_CASE(closing_bracket_after_the_stop_stays_with_its_sentence) {
  const Annotated t("He had fever (see below.) She had cough.");
  BOOST_TEST(t.sentences() == (Strings{"He had fever (see below.)", "She had cough."}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- sections -----------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(sections)

// A reader that knows the sections from markup (JATS <sec>, a CDA section) supplies them: the
// pipeline keeps them, roles included, and reads no heading into them.
BOOST_AUTO_TEST_CASE(sections_a_reader_supplies_are_kept) {
  const std::string text = "A 40-year-old man had fever.\nHis mother had diabetes.\n";
  SourceDocument doc = read_text(text, "test.txt");
  const auto split = static_cast<std::uint32_t>(text.find("His mother"));
  doc.sections = {Section{"case-presentation", "", {}, Span{0, split}},
                  Section{"family-history", "", {}, Span{split, static_cast<std::uint32_t>(text.size())}}};
  doc.sections_from_reader = true;
  const CaseFacts facts = extract_facts(doc, default_mappings());
  BOOST_REQUIRE_EQUAL(doc.sections.size(), 2u);
  BOOST_TEST(doc.sections[1].role == "family-history");
  bool relative_diabetes = false;
  for (const Fact& f : facts.facts) relative_diabetes = relative_diabetes || (f.code.text == "diabetes" && f.experiencer == Experiencer::family);
  BOOST_TEST(relative_diabetes);
  // Sections that overlap are not kept: found from the text instead.
  SourceDocument bad = read_text(text, "test.txt");
  bad.sections = {Section{"discussion", "", {}, Span{0, 20}}, Section{"discussion", "", {}, Span{10, 30}}};
  bad.sections_from_reader = true;
  extract_facts(bad, default_mappings());
  BOOST_TEST(bad.sections.front().role != "discussion");
}

BOOST_AUTO_TEST_CASE(heading_alone_on_its_line_starts_a_section_with_its_role) {
  const Annotated t("He had fever.\n\nDiscussion\nFever is common in children.");
  const Section& s = t.section_of("Fever is common");
  BOOST_TEST(s.role == "discussion");
  BOOST_TEST(s.heading == "Discussion");
  BOOST_TEST(t.doc.view(s.body) == "Fever is common in children.");
  BOOST_TEST(t.section_of("He had fever").role == "");
}

BOOST_AUTO_TEST_CASE(heading_with_a_colon_starts_a_section_on_the_same_line) {
  const Annotated t("He had fever.\nFamily history: His mother had diabetes.");
  const Section& s = t.section_of("His mother");
  BOOST_TEST(s.role == "family-history");
  BOOST_TEST(s.heading == "Family history");
  BOOST_TEST(t.doc.view(s.body) == "His mother had diabetes.");
}

BOOST_AUTO_TEST_CASE(multi_word_heading_past_medical_history_starts_a_past_history_section) {
  const Annotated t("He had fever.\n\nPast medical history\nHe had hypertension.");
  const Section& s = t.section_of("He had hypertension");
  BOOST_TEST(s.role == "past-history");
  BOOST_TEST(s.heading == "Past medical history");
}

BOOST_AUTO_TEST_CASE(numbered_heading_starts_a_section_and_keeps_its_number) {
  const Annotated t("1. Introduction\nCalcinosis is rare.\n\n2. Case report\nHe had fever.");
  BOOST_TEST(t.section_of("Calcinosis is rare").role == "introduction");
  const Section& s = t.section_of("He had fever");
  BOOST_TEST(s.role == "case-presentation");
  BOOST_TEST(s.heading == "2. Case report");
}

BOOST_AUTO_TEST_CASE(roman_and_dotted_numbering_before_a_heading_is_skipped) {
  const Annotated t("I. Introduction\nCalcinosis is rare.\n\nii) Case report\nHe had fever.\n\n2.1.3 Discussion\nIt is rare.");
  BOOST_TEST(t.section_of("Calcinosis is rare").role == "introduction");
  BOOST_TEST(t.section_of("He had fever").role == "case-presentation");
  BOOST_TEST(t.section_of("It is rare").role == "discussion");
}

// The rule a reader of markup (JATS <sec><title>) names a titled section's role by: the heading
// rule of plain text, whatever follows the heading.
BOOST_AUTO_TEST_CASE(a_title_gives_its_section_the_role_of_the_heading_it_opens_with) {
  const auto& m = default_mappings().compiled();
  BOOST_TEST(nlp::role_of_heading("Case presentation", m) == "case-presentation");
  BOOST_TEST(nlp::role_of_heading("2. Case Report:", m) == "case-presentation");
  BOOST_TEST(nlp::role_of_heading("IV. Discussion", m) == "discussion");
  BOOST_TEST(nlp::role_of_heading("Conflicts of interests/Disclosure summary", m) == "back-matter");
  BOOST_TEST(nlp::role_of_heading("Materials and methods", m) == "");
  BOOST_TEST(nlp::role_of_heading("", m) == "");
}

BOOST_AUTO_TEST_CASE(heading_word_that_begins_a_sentence_is_not_a_heading) {
  const Annotated t("The patient was seen.\nDiscussion with the family was long. He had fever.");
  for (const auto& s : t.doc.sections) BOOST_TEST(s.role != "discussion");
}

BOOST_AUTO_TEST_CASE(first_short_line_without_a_full_stop_is_the_title) {
  const Annotated t("Calcinosis cutis of the cheek: a case report\n\nA 46-year-old man had a plaque on his cheek.");
  BOOST_REQUIRE(!t.doc.sections.empty());
  BOOST_TEST(t.section_of("Calcinosis cutis of").role == "title");
  BOOST_TEST(t.section_of("A 46-year-old").role == "");
  // A case report's title names its subject: it is about the patient (issue 7).
  BOOST_TEST((t.sentence_of("Calcinosis cutis of").subject == Subject::patient));
}

BOOST_AUTO_TEST_CASE(a_title_that_states_general_knowledge_is_general) {
  const Annotated t("Sarcoidosis is associated with hypercalcemia\n\nA 46-year-old man had a plaque on his cheek.");
  BOOST_TEST(t.section_of("Sarcoidosis is").role == "title");
  BOOST_TEST((t.sentence_of("Sarcoidosis is").subject == Subject::general));
}

BOOST_AUTO_TEST_CASE(first_line_that_ends_like_a_sentence_is_not_a_title) {
  const Annotated t("He had fever.\n\nShe had cough.");
  for (const auto& s : t.doc.sections) BOOST_TEST(s.role != "title");
}

BOOST_AUTO_TEST_CASE(figure_caption_is_a_section_one_paragraph_long) {
  const Annotated t("Case report\nHe had fever.\n\nFigure 1: White plaque on the cheek. Note the erythema.\n\nThe lesion was excised.");
  const Section& caption = t.section_of("White plaque");
  BOOST_TEST(caption.role == "figure-caption");
  BOOST_TEST(caption.heading == "Figure 1");
  BOOST_TEST(t.section_of("Note the erythema").role == "figure-caption");
  // After the caption the text goes on in the section it interrupted.
  BOOST_TEST(t.section_of("The lesion was excised").role == "case-presentation");
  // What a caption names is not a fact about the patient.
  const CaseFacts f = convert_text(t.doc.text).facts;
  BOOST_TEST(fact_of(f, "plaque") == nullptr);
  BOOST_TEST(set_aside_reasons(f, "plaque") == (Strings{"not case content (figure-caption)"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sections_tile_the_whole_text_in_order) {
  const Annotated t("Plaque of the cheek\n\nCase report\nHe had fever.\n\nFigure 1: A plaque.\n\nDiscussion\nPlaques are common.\n");
  const auto& sections = t.doc.sections;
  BOOST_REQUIRE(sections.size() >= 4u);
  auto start = [](const Section& s) { return s.heading.empty() ? s.body.begin : s.heading_span.begin; };
  BOOST_TEST(start(sections.front()) == 0u);
  BOOST_TEST(sections.back().body.end == t.doc.text.size());
  for (std::size_t i = 0; i + 1 < sections.size(); ++i) BOOST_TEST(sections[i].body.end == start(sections[i + 1]));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- concepts -----------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(concepts)

BOOST_AUTO_TEST_CASE(longest_term_wins_over_the_words_inside_it) {
  // "pulmonary" alone names the lung and "embolus" a finding; together they name the disorder.
  const Annotated t("She had a pulmonary embolus.");
  BOOST_TEST(t.concept_ids() == (Strings{"pulmonary-embolism"}), boost::test_tools::per_element());
  BOOST_TEST(t.a.sites.empty());
  BOOST_TEST(t.doc.view(t.mention("pulmonary-embolism").span) == "pulmonary embolus");
}

BOOST_AUTO_TEST_CASE(terms_match_in_any_case_and_in_the_plural) {
  const Annotated t("She had PULMONARY EMBOLISM and Nodules. Both arteries showed stenoses.");
  BOOST_TEST(t.concept_ids() == (Strings{"pulmonary-embolism", "nodule", "stenosis"}), boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(t.a.sites.size(), 1u);
  BOOST_TEST(t.mappings->compiled().concept_at(t.a.sites[0].concept_index).id() == "artery");
}

BOOST_AUTO_TEST_CASE(an_abbreviation_the_report_defines_names_its_concept_afterwards) {
  // "PE" is not the effusion in the vocabulary; the report defines it, so "PE" in the definition
  // (the words that say so) and each later "PE" are the effusion.
  const Annotated t("She had a pleural effusion (PE). The PE was drained.");
  BOOST_TEST(t.concept_ids() == (Strings{"pleural-effusion", "pleural-effusion", "pleural-effusion"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_defined_abbreviation_overrides_the_vocabulary_meaning) {
  // "MI" is myocardial infarction in the vocabulary; this report defines it as mitral insufficiency.
  const Annotated t("Echocardiography showed mitral regurgitation (MR) and mitral insufficiency (MI). The MI was mild.");
  const auto ids = t.concept_ids();
  BOOST_TEST(std::count(ids.begin(), ids.end(), "myocardial-infarction") == 0);
}

BOOST_AUTO_TEST_CASE(a_bracket_that_does_not_spell_the_long_form_defines_nothing) {
  // "(GCA)" after "pleural effusion" is no definition: the letters are not those of the words
  // before it, so "GCA" keeps the vocabulary's meaning.
  const Annotated t("She had a pleural effusion (GCA). GCA was suspected.");
  BOOST_TEST(t.concept_ids() == (Strings{"pleural-effusion", "giant-cell-arteritis", "giant-cell-arteritis"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(plural_of_a_term_ending_in_che_matches_the_term) {
  // "headaches" is the plural of "headache" (as "toothaches" of "toothache").
  const Annotated t("She complained of headaches and toothaches.");
  BOOST_TEST(t.concept_ids() == (Strings{"headache", "toothache"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(abbreviations_match_only_in_the_case_written_in_the_mappings) {
  BOOST_TEST(Annotated("She had an MI.").concept_ids() == (Strings{"myocardial-infarction"}), boost::test_tools::per_element());
  BOOST_TEST(Annotated("She had an mi.").concept_ids().empty());
  BOOST_TEST(Annotated("ALL was diagnosed.").concept_ids() == (Strings{"acute-lymphoblastic-leukemia"}),
             boost::test_tools::per_element());
  BOOST_TEST(Annotated("All tests were done.").concept_ids().empty());
}

BOOST_AUTO_TEST_CASE(user_concept_with_a_default_term_wins_over_the_default) {
  const Mappings m = default_mappings().extended({{"user.json", R"({"concepts": [
      {"id": "local-pe", "kind": "disorder", "terms": ["pulmonary embolism"], "codes": [{"system": "urn:example:local", "code": "PE"}]}
  ]})"}});
  const Annotated t("She had a pulmonary embolism.", m);
  BOOST_TEST(t.concept_ids() == (Strings{"local-pe"}), boost::test_tools::per_element());
  // The default still matches its other terms.
  BOOST_TEST(Annotated("She had a pulmonary thromboembolism.", m).concept_ids() == (Strings{"pulmonary-embolism"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_phrase_in_not_in_names_no_concept) {
  BOOST_TEST(Annotated("It showed mass effect on the ventricle.").concept_ids().empty());
  BOOST_TEST(Annotated("She was given a tumor necrosis factor inhibitor.").concept_ids().empty());
  BOOST_TEST(Annotated("Hypotensive agents were stopped.").concept_ids().empty());
  BOOST_TEST(Annotated("A mass in the liver and a tumour of the colon.").concept_ids() == (Strings{"mass", "tumor"}),
             boost::test_tools::per_element());
  // A user's entry can name its own exclusions.
  const Mappings m = default_mappings().extended({{"user.json", R"({"concepts": [
      {"id": "glitter", "kind": "finding", "terms": ["glitter"], "not_in": ["glitter test"],
       "codes": [{"system": "urn:example:c", "code": "g"}]}]})"}});
  BOOST_TEST(Annotated("Glitter was seen; the glitter test was negative.", m).concept_ids() == (Strings{"glitter"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_phrase_in_not_in_yields_to_a_concept_that_names_it) {
  // "tumor lysis syndrome" is not a tumor (the tumor's not_in), but ICD-10-CM names it E88.3.
  const Annotated t("She developed tumor lysis syndrome.");
  BOOST_TEST(t.concept_ids() == (Strings{"icd10cm-e88.3"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_abbreviation_defined_inside_a_term_does_not_break_it) {
  const Annotated t("He had growth hormone (GH) deficiency.");
  BOOST_TEST(t.concept_ids() == (Strings{"sct-397827003"}), boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(t.a.mentions.size(), 1u);
  BOOST_TEST(t.doc.view(t.a.mentions[0].span) == "growth hormone (GH) deficiency");
  // A bracket of other words, or one that ends the phrase, is not read through.
  const Strings other = Annotated("He had growth hormone (as measured) deficiency.").concept_ids();
  BOOST_TEST((std::find(other.begin(), other.end(), "sct-397827003") == other.end()));
}

BOOST_AUTO_TEST_CASE(a_clinical_adjective_names_the_noun_of_the_vocabulary) {
  // The default spellings read "-penic" as "-penia", "-otic" forms as "-osis", "infarction" as
  // "infarct", "renal" as "kidney" and "hepatic" as "liver", in terms and text alike.
  BOOST_TEST(Annotated("He was lymphopenic and cyanotic.").concept_ids() == (Strings{"sct-48813009", "cyanosis"}), boost::test_tools::per_element());
  BOOST_TEST(Annotated("A lacunar infarct was seen.").concept_ids() == (Strings{"sct-230698000"}), boost::test_tools::per_element());
  BOOST_TEST(Annotated("She had hepatic disease and clear cell renal carcinoma.").concept_ids() == (Strings{"sct-235856003", "sct-254915003"}),
             boost::test_tools::per_element());
  // Only at the end of a word: "penicillin" is no "penia".
  BOOST_TEST(Annotated("He was given penicillin.").concept_ids().empty());
}

BOOST_AUTO_TEST_CASE(body_structure_becomes_a_site_not_a_mention) {
  const Annotated t("He had a plaque on his right cheek.");
  BOOST_TEST(t.concept_ids() == (Strings{"plaque"}), boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(t.a.sites.size(), 1u);
  const auto& site = t.a.sites[0];
  BOOST_TEST(t.mappings->compiled().concept_at(site.concept_index).id() == "cheek");
  BOOST_REQUIRE(site.laterality != nlp::kNone);
  BOOST_TEST(t.mappings->compiled().set.laterality[site.laterality].id == "right");
  BOOST_TEST(t.doc.view(site.span) == "right cheek");
}

BOOST_AUTO_TEST_CASE(back_of_the_neck_is_one_site_the_neck_not_the_back) {
  // SNOMED CT's "back" excludes the neck: reading "back" and "neck" as two sites would be wrong.
  const Annotated t("Acanthosis nigricans was present on the back of the neck.");
  BOOST_REQUIRE_EQUAL(t.a.sites.size(), 1u);
  BOOST_TEST(t.mappings->compiled().concept_at(t.a.sites[0].concept_index).id() == "neck");
  BOOST_TEST(t.doc.view(t.a.sites[0].span) == "back of the neck");
}

BOOST_AUTO_TEST_CASE(disease_named_before_a_lab_test_is_the_tests_target_not_a_diagnosis) {
  const Annotated t("Measles IgM was positive.");
  BOOST_TEST(t.concept_ids() == (Strings{"igm"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- context ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(context)

BOOST_AUTO_TEST_CASE(negation_covers_every_item_of_a_list) {
  const Annotated t("He had no fever, chills or rash.", test_mappings());
  BOOST_TEST(t.concept_ids() == (Strings{"fever", "chills", "test-rash"}), boost::test_tools::per_element());
  for (const auto& m : t.a.mentions) BOOST_TEST(to_string(m.assertion) == "absent");
}

BOOST_AUTO_TEST_CASE(negation_ends_at_but) {
  const Annotated t("He denies chest pain but has cough.");
  BOOST_TEST(to_string(t.mention("chest-pain").assertion) == "absent");
  BOOST_TEST(to_string(t.mention("cough").assertion) == "present");
}

BOOST_AUTO_TEST_CASE(negation_ends_at_a_semicolon) {
  const Annotated t("She reported no fever; she had cough.");
  BOOST_TEST(to_string(t.mention("fever").assertion) == "absent");
  BOOST_TEST(to_string(t.mention("cough").assertion) == "present");
}

BOOST_AUTO_TEST_CASE(an_article_after_a_comma_ends_a_negated_list_unless_the_list_closes_with_or) {
  // ", a" starts a new, positive item ...
  const Annotated ended("He had no jaundice, a soft abdomen with mild epigastric tenderness.");
  BOOST_TEST(to_string(ended.mention("jaundice").assertion) == "absent");
  BOOST_TEST(to_string(ended.mention("tenderness").assertion) == "present");
  // An "or" further on, in another phrase, does not reopen it.
  const Annotated later("No jaundice, a soft abdomen with tenderness and hepatomegaly of 2 or 3 cm.");
  BOOST_TEST(to_string(later.mention("tenderness").assertion) == "present");
  BOOST_TEST(to_string(later.mention("hepatomegaly").assertion) == "present");
  // ... but a list closed by "or" (or ", or") is one negated list.
  BOOST_TEST(to_string(Annotated("She denied fever, a cough, or asthma.").mention("asthma").assertion) == "absent");
  const Annotated kept("She denied fever, a cough or asthma.");
  BOOST_TEST(to_string(kept.mention("fever").assertion) == "absent");
  BOOST_TEST(to_string(kept.mention("cough").assertion) == "absent");
  BOOST_TEST(to_string(kept.mention("asthma").assertion) == "absent");
}

BOOST_AUTO_TEST_CASE(a_fronted_reason_clause_is_outside_the_main_clause_hedge) {
  const Annotated t("Because of the weight loss, lymphoma was considered.");
  BOOST_TEST(to_string(t.mention("weight-loss").assertion) == "present");
  BOOST_TEST(to_string(t.mention("lymphoma").assertion) != "present");
  // Mid-sentence, "because of" is an ordinary termination: the hedge before it still applies.
  const Annotated mid("Lymphoma was suspected because of weight loss.");
  BOOST_TEST(to_string(mid.mention("lymphoma").assertion) == "possible");
}

BOOST_AUTO_TEST_CASE(overlapping_triggers_of_different_categories_both_apply) {
  // "no known" (negation) overlaps "known history of" (historical): the negation must survive.
  const Annotated t("The patient had no known history of pulmonary tuberculosis or asthma.");
  BOOST_TEST(to_string(t.mention("pulmonary-tuberculosis").assertion) == "absent");
  BOOST_TEST(to_string(t.mention("asthma").assertion) == "absent");
  BOOST_TEST((t.mention("asthma").temporality == Temporality::historical));
}

BOOST_AUTO_TEST_CASE(a_negation_inside_a_termination_phrase_still_reaches_back) {
  // "but was ruled out": the negation "was ruled out" replaces the termination "but was".
  BOOST_TEST(to_string(Annotated("Sarcoidosis was suspected but was ruled out.").mention("sarcoidosis").assertion) == "absent");
}

BOOST_AUTO_TEST_CASE(a_duration_history_is_current_not_past) {
  BOOST_TEST((Annotated("She had a two-week history of pneumonia.").mention("pneumonia").temporality == Temporality::current));
  BOOST_TEST((Annotated("She had a history of pneumonia.").mention("pneumonia").temporality == Temporality::historical));
}

BOOST_AUTO_TEST_CASE(ruled_out_after_the_concept_negates_it) {
  BOOST_TEST(to_string(Annotated("Pulmonary embolism was ruled out.").mention("pulmonary-embolism").assertion) == "absent");
  const Annotated t("Fever and chills were absent.");
  BOOST_TEST(to_string(t.mention("fever").assertion) == "absent");
  BOOST_TEST(to_string(t.mention("chills").assertion) == "absent");
}

BOOST_AUTO_TEST_CASE(pseudo_trigger_no_increase_does_not_negate) {
  BOOST_TEST(to_string(Annotated("There was no increase in fever.").mention("fever").assertion) == "present");
}

BOOST_AUTO_TEST_CASE(pseudo_trigger_gram_negative_does_not_negate) {
  BOOST_TEST(to_string(Annotated("Blood cultures grew gram negative bacteremia.").mention("bacteremia").assertion) == "present");
}

BOOST_AUTO_TEST_CASE(not_ruled_out_is_possible_not_absent) {
  BOOST_TEST(to_string(Annotated("Tuberculosis was not ruled out.").mention("tuberculosis").assertion) == "possible");
}

BOOST_AUTO_TEST_CASE(negation_inside_parentheses_stays_inside) {
  const Annotated t("The patient (no fever) had headache.");
  BOOST_TEST(to_string(t.mention("fever").assertion) == "absent");
  BOOST_TEST(to_string(t.mention("headache").assertion) == "present");
}

BOOST_AUTO_TEST_CASE(negation_governing_a_hedge_makes_the_concept_absent) {
  BOOST_TEST(to_string(Annotated("There were no signs suggesting pneumonia.").mention("pneumonia").assertion) == "absent");
}

BOOST_AUTO_TEST_CASE(nearest_trigger_decides_between_negation_and_hedge) {
  const Annotated t("No fever, possible pneumonia.");
  BOOST_TEST(to_string(t.mention("fever").assertion) == "absent");
  BOOST_TEST(to_string(t.mention("pneumonia").assertion) == "possible");
}

BOOST_AUTO_TEST_CASE(hedge_before_or_after_the_concept_makes_it_possible) {
  BOOST_TEST(to_string(Annotated("Possible pneumonia was treated.").mention("pneumonia").assertion) == "possible");
  BOOST_TEST(to_string(Annotated("Pneumonia cannot be excluded.").mention("pneumonia").assertion) == "possible");
}

BOOST_AUTO_TEST_CASE(differential_diagnosis_list_is_differential) {
  const Annotated t("The differential diagnosis included tuberculosis and sarcoidosis.");
  BOOST_TEST(to_string(t.mention("tuberculosis").assertion) == "differential");
  BOOST_TEST(to_string(t.mention("sarcoidosis").assertion) == "differential");
}

BOOST_AUTO_TEST_CASE(mothers_disease_is_family_history_with_relationship_mother) {
  const Annotated t("His mother had diabetes.");
  BOOST_TEST(to_string(t.mention("diabetes-mellitus").experiencer) == "family");
  const CaseFacts facts = convert_text(t.doc.text).facts;
  const Fact* f = fact_of(facts, "diabetes-mellitus");
  BOOST_REQUIRE(f != nullptr);
  BOOST_TEST(to_string(f->experiencer) == "family");
  BOOST_REQUIRE(f->relationship.has_value());
  BOOST_TEST(f->relationship->code == "MTH");
}

BOOST_AUTO_TEST_CASE(each_relative_keeps_their_own_relationship) {
  const CaseFacts f = convert_text("His father had hypertension and his sister had asthma.").facts;
  const Fact* father = fact_of(f, "hypertension");
  const Fact* sister = fact_of(f, "asthma");
  BOOST_REQUIRE(father != nullptr);
  BOOST_REQUIRE(sister != nullptr);
  BOOST_TEST(father->relationship->code == "FTH");
  BOOST_TEST(sister->relationship->code == "SIS");
}

BOOST_AUTO_TEST_CASE(a_relative_clause_or_a_cause_stays_with_the_relative) {
  // "who" and "because of" end a negation or a hedge, not the person a sentence is about.
  for (const char* text : {"His mother, who had diabetes, died at 60.", "Her sister died because of diabetes mellitus."}) {
    const CaseFacts f = convert_text(text).facts;
    const Fact* d = fact_of(f, "diabetes-mellitus");
    BOOST_REQUIRE_MESSAGE(d != nullptr, text);
    BOOST_TEST(to_string(d->experiencer) == "family", text);
  }
  // A new subject does end it.
  const CaseFacts f = convert_text("His mother had diabetes but he has asthma.").facts;
  BOOST_REQUIRE(fact_of(f, "asthma") != nullptr);
  BOOST_TEST(to_string(fact_of(f, "asthma")->experiencer) == "patient");
}

BOOST_AUTO_TEST_CASE(family_history_of_a_disease_names_an_unspecified_family_member) {
  const CaseFacts f = convert_text("There is a family history of hypertension.").facts;
  const Fact* h = fact_of(f, "hypertension");
  BOOST_REQUIRE(h != nullptr);
  BOOST_TEST(to_string(h->experiencer) == "family");
  BOOST_REQUIRE(h->relationship.has_value());
  BOOST_TEST(h->relationship->code == "FAMMEMB");
}

BOOST_AUTO_TEST_CASE(family_history_section_makes_its_diseases_the_familys) {
  const CaseFacts f = convert_text("Family history\nDiabetes and hypertension.").facts;
  for (const char* id : {"diabetes-mellitus", "hypertension"}) {
    const Fact* x = fact_of(f, id);
    BOOST_REQUIRE(x != nullptr);
    BOOST_TEST(to_string(x->experiencer) == "family");
  }
}

BOOST_AUTO_TEST_CASE(negated_family_history_is_set_aside_not_a_fact) {
  const CaseFacts f = convert_text("There was no family history of diabetes.").facts;
  BOOST_TEST(fact_of(f, "diabetes-mellitus") == nullptr);
  BOOST_TEST(set_aside_reasons(f, "diabetes-mellitus") == (Strings{"negated family history"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(another_persons_disease_is_set_aside) {
  const CaseFacts f = convert_text("Her husband had tuberculosis.").facts;
  BOOST_TEST(fact_of(f, "tuberculosis") == nullptr);
  BOOST_TEST(set_aside_reasons(f, "tuberculosis") == (Strings{"about another person"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(history_of_makes_a_disease_historical) {
  const Annotated t("He has a history of tuberculosis.");
  const auto& m = t.mention("tuberculosis");
  BOOST_TEST((m.temporality == Temporality::historical));
  BOOST_TEST(to_string(m.assertion) == "present");
  BOOST_TEST(to_string(m.experiencer) == "patient");
}

BOOST_AUTO_TEST_CASE(past_medical_history_section_makes_its_diseases_historical) {
  const Annotated t("Past medical history\nHe had hypertension.\n\nCase report\nHe had asthma.");
  BOOST_TEST((t.mention("hypertension").temporality == Temporality::historical));
  BOOST_TEST((t.mention("asthma").temporality == Temporality::current));
}

BOOST_AUTO_TEST_CASE(return_if_makes_a_finding_hypothetical_and_it_is_set_aside) {
  const Annotated t("He was advised to return if fever develops.");
  BOOST_TEST(t.mention("fever").hypothetical);
  const CaseFacts f = convert_text(t.doc.text).facts;
  BOOST_TEST(fact_of(f, "fever") == nullptr);
  BOOST_TEST(set_aside_reasons(f, "fever") == (Strings{"hypothetical"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- statements ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(statements)

BOOST_AUTO_TEST_CASE(paragraph_of_general_statements_in_unlabelled_text_is_general) {
  const std::string text =
      "A 40-year-old woman presented with fever and cough.\n\n"
      "Calcinosis cutis is associated with hypercalcemia. "
      "Conditions associated with calcinosis cutis include dermatomyositis and scleroderma.\n\n"
      "Our patient had no history of trauma.";
  const Annotated t(text);
  BOOST_TEST((t.sentence_of("A 40-year-old").subject == Subject::patient));
  BOOST_TEST((t.sentence_of("Calcinosis cutis is associated").subject == Subject::general));
  BOOST_TEST((t.sentence_of("Conditions associated").subject == Subject::general));
  BOOST_TEST((t.sentence_of("Our patient").subject == Subject::patient));

  const CaseFacts f = convert_text(text).facts;
  for (const char* id : {"calcinosis-cutis", "hypercalcemia", "dermatomyositis"}) {
    BOOST_TEST(fact_of(f, id) == nullptr, id << " is not a fact about the patient");
    const auto reasons = set_aside_reasons(f, id);
    BOOST_TEST(!reasons.empty());
    for (const auto& r : reasons) BOOST_TEST(r == "general statement, not about the patient");
  }
  const Fact* trauma = fact_of(f, "trauma");
  BOOST_REQUIRE(trauma != nullptr);
  BOOST_TEST(to_string(trauma->assertion) == "absent");
  BOOST_REQUIRE(fact_of(f, "fever") != nullptr);
}

BOOST_AUTO_TEST_CASE(discussion_is_general_but_its_sentences_about_our_patient_are_patient) {
  const std::string text =
      "Discussion\nCalcinosis cutis is associated with hypercalcemia. In our patient, hypercalcemia was absent.";
  const Annotated t(text);
  BOOST_TEST((t.sentence_of("Calcinosis").subject == Subject::general));
  BOOST_TEST((t.sentence_of("In our patient").subject == Subject::patient));
  const CaseFacts f = convert_text(text).facts;
  const Fact* h = fact_of(f, "hypercalcemia");
  BOOST_REQUIRE(h != nullptr);
  BOOST_TEST(to_string(h->assertion) == "absent");
  BOOST_TEST(fact_of(f, "calcinosis-cutis") == nullptr);
}

BOOST_AUTO_TEST_CASE(discussion_sentence_without_cues_is_general) {
  const CaseFacts f = convert_text("Discussion\nSarcoidosis may involve the skin.").facts;
  BOOST_TEST(fact_of(f, "sarcoidosis") == nullptr);
  BOOST_TEST(set_aside_reasons(f, "sarcoidosis") == (Strings{"general statement, not about the patient"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(one_general_word_in_a_case_section_does_not_make_it_general) {
  const Annotated t("Case report\nHeadache was often severe.");
  BOOST_TEST((t.sentence_of("Headache").subject == Subject::patient));
}

BOOST_AUTO_TEST_CASE(what_was_found_or_noted_is_said_of_the_patient) {
  // A passive past of finding ("were found", "was noted") tells a case narrative: "including"
  // does not make such a sentence general, nor the paragraph after it.
  const std::string text =
      "Signs of portal hypertension were found, including splenomegaly and ascites.\n\n"
      "Splenic infarction was noted later.";
  const Annotated t(text);
  BOOST_TEST((t.sentence_of("Signs of portal").subject == Subject::patient));
  BOOST_TEST((t.sentence_of("Splenic infarction").subject == Subject::patient));
  const CaseFacts f = convert_text(text).facts;
  BOOST_TEST(fact_of(f, "splenomegaly") != nullptr);
}

BOOST_AUTO_TEST_CASE(citation_marks_a_sentence_as_general) {
  const Annotated t("He had cough.\n\nPneumonia follows influenza in the elderly [3].");
  BOOST_TEST((t.sentence_of("He had cough").subject == Subject::patient));
  BOOST_TEST((t.sentence_of("Pneumonia follows").subject == Subject::general));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- attributes ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(attributes)

BOOST_AUTO_TEST_CASE(age_and_sex_of_a_46_year_old_male) {
  const Annotated t("A 46-year-old male presented with a plaque.");
  BOOST_REQUIRE(t.a.age.has_value());
  BOOST_TEST(t.a.age->value == 46.0);
  BOOST_TEST(t.a.age->unit == "a");
  BOOST_TEST(t.doc.view(t.a.age_mention->span) == "46-year-old");
  BOOST_REQUIRE(t.a.gender.has_value());
  BOOST_TEST((*t.a.gender == Gender::male));
  BOOST_TEST(t.doc.view(t.a.gender_mention->span) == "male");
}

BOOST_AUTO_TEST_CASE(infant_age_is_kept_in_months) {
  const Annotated t("A 3-month-old girl presented with fever.");
  BOOST_REQUIRE(t.a.age.has_value());
  BOOST_TEST(t.a.age->value == 3.0);
  BOOST_TEST(t.a.age->unit == "mo");
  BOOST_REQUIRE(t.a.gender.has_value());
  BOOST_TEST((*t.a.gender == Gender::female));
}

BOOST_AUTO_TEST_CASE(aged_n_years_gives_the_age) {
  const Annotated t("The patient, aged 31 years, had fever.");
  BOOST_REQUIRE(t.a.age.has_value());
  BOOST_TEST(t.a.age->value == 31.0);
  BOOST_TEST(t.a.age->unit == "a");
  BOOST_TEST(t.doc.view(t.a.age_mention->span) == "aged 31 years");
}

BOOST_AUTO_TEST_CASE(age_next_to_mother_is_not_the_patients_age) {
  BOOST_TEST(!Annotated("His 70-year-old mother had diabetes.").a.age.has_value());
  const Annotated t("His 70-year-old mother had diabetes. He is 40 years old and had fever.");
  BOOST_REQUIRE(t.a.age.has_value());
  BOOST_TEST(t.a.age->value == 40.0);
}

BOOST_AUTO_TEST_CASE(size_with_a_unit_on_each_dimension) {
  const Annotated t("A plaque measuring 0.5 cm x 1 cm was seen.");
  const auto& sizes = t.mention("plaque").sizes;
  BOOST_REQUIRE_EQUAL(sizes.size(), 2u);
  BOOST_TEST(sizes[0].value_text == "0.5");
  BOOST_TEST(sizes[0].unit == "cm");
  BOOST_TEST(sizes[1].value_text == "1");
  BOOST_TEST(sizes[1].unit == "cm");
}

BOOST_AUTO_TEST_CASE(size_with_one_unit_at_the_end_applies_it_to_every_dimension) {
  const Annotated t("A nodule of 2 x 3 cm was seen.");
  const auto& sizes = t.mention("nodule").sizes;
  BOOST_REQUIRE_EQUAL(sizes.size(), 2u);
  BOOST_TEST(sizes[0].value == 2.0);
  BOOST_TEST(sizes[0].unit == "cm");
  BOOST_TEST(sizes[1].value == 3.0);
  BOOST_TEST(sizes[1].unit == "cm");
}

BOOST_AUTO_TEST_CASE(lab_value_with_unit_and_stated_reference_range_is_interpreted_from_the_range) {
  const Annotated t("Serum sodium was 128 mmol/L (reference range 135-145 mmol/L).");
  const auto& m = t.mention("sodium-serum");
  BOOST_REQUIRE(t.a.result_of(m) != nullptr);
  const LabResult& r = *t.a.result_of(m);
  BOOST_REQUIRE(r.value.has_value());
  BOOST_TEST(r.value->value == 128.0);
  BOOST_TEST(r.value->unit == "mmol/L");
  BOOST_TEST((r.value->comparator == Comparator::none));
  BOOST_REQUIRE(r.range_low.has_value());
  BOOST_REQUIRE(r.range_high.has_value());
  BOOST_TEST(r.range_low->value == 135.0);
  BOOST_TEST(r.range_high->value == 145.0);
  BOOST_TEST(r.range_high->unit == "mmol/L");
  BOOST_TEST(!r.range_from_mappings);
  BOOST_TEST((r.interpretation == Interpretation::low));
}

BOOST_AUTO_TEST_CASE(upper_limit_written_as_normal_less_than_gives_a_high_value) {
  const Annotated t("CRP was 86 mg/L (normal < 5 mg/L).");
  const auto& m = t.mention("crp");
  BOOST_REQUIRE(t.a.result_of(m) != nullptr);
  const LabResult& r = *t.a.result_of(m);
  BOOST_REQUIRE(r.value.has_value());
  BOOST_TEST(r.value->value == 86.0);
  BOOST_TEST(r.value->unit == "mg/L");
  BOOST_TEST(!r.range_low.has_value());
  BOOST_REQUIRE(r.range_high.has_value());
  BOOST_TEST(r.range_high->value == 5.0);
  BOOST_TEST((r.interpretation == Interpretation::high));
}

BOOST_AUTO_TEST_CASE(value_within_the_stated_range_is_normal) {
  const Annotated t("Serum sodium was 140 mmol/L (reference range 135-145 mmol/L).");
  BOOST_REQUIRE(t.a.result_of(t.mention("sodium-serum")) != nullptr);
  BOOST_TEST((t.a.result_of(t.mention("sodium-serum"))->interpretation == Interpretation::normal));
}

BOOST_AUTO_TEST_CASE(comparator_before_a_value_is_kept) {
  const Annotated t("CRP was < 5 mg/L.");
  const auto& m = t.mention("crp");
  BOOST_REQUIRE(t.a.result_of(m) != nullptr);
  const LabResult& r = *t.a.result_of(m);
  BOOST_REQUIRE(r.value.has_value());
  BOOST_TEST(r.value->value == 5.0);
  BOOST_TEST((r.value->comparator == Comparator::lt));
}

BOOST_AUTO_TEST_CASE(value_without_a_stated_range_takes_the_mappings_range_and_says_so) {
  const Annotated t("Serum sodium was 128 mmol/L.");
  const auto& m = t.mention("sodium-serum");
  BOOST_REQUIRE(t.a.result_of(m) != nullptr);
  const LabResult& r = *t.a.result_of(m);
  BOOST_TEST(r.range_from_mappings);
  BOOST_REQUIRE(r.range_low.has_value());
  BOOST_TEST(r.range_low->value == 135.0);
  BOOST_TEST((r.interpretation == Interpretation::low));
  BOOST_TEST(r.range_text.find("not stated in the report") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(qualitative_result_is_shared_by_every_analyte_of_the_list_without_a_value) {
  const Annotated t("She had normal calcium and phosphate levels.");
  for (const char* id : {"calcium-serum", "phosphate-serum"}) {
    const auto& m = t.mention(id);
    BOOST_REQUIRE_MESSAGE(t.a.result_of(m) != nullptr, id);
    const LabResult& r = *t.a.result_of(m);
    BOOST_TEST((r.interpretation == Interpretation::normal), id);
    BOOST_TEST(r.qualitative == "normal");
    BOOST_TEST(!r.value.has_value(), id << " has no value in the text, so none is invented");
  }
}

BOOST_AUTO_TEST_CASE(lab_named_without_a_result_is_set_aside) {
  const Annotated t("Calcium was measured.");
  BOOST_TEST(t.a.result_of(t.mention("calcium-serum")) == nullptr);
  const CaseFacts f = convert_text(t.doc.text).facts;
  BOOST_TEST(fact_of(f, "calcium-serum") == nullptr);
  BOOST_TEST(set_aside_reasons(f, "calcium-serum") == (Strings{"lab test named without a result"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(body_site_after_a_preposition_attaches_with_its_laterality) {
  const CaseFacts f = convert_text("He had a plaque on his right cheek.").facts;
  const Fact* plaque = fact_of(f, "plaque");
  BOOST_REQUIRE(plaque != nullptr);
  BOOST_REQUIRE_EQUAL(plaque->sites.size(), 1u);
  const BodySite& site = plaque->sites[0];
  BOOST_TEST(site.site.id == "cheek");
  BOOST_REQUIRE(site.laterality.has_value());
  BOOST_TEST(site.laterality->id == "right");
  BOOST_TEST(site.text == "right cheek");
}

BOOST_AUTO_TEST_CASE(onset_years_ago_attaches_to_the_finding) {
  const Annotated t("The plaque appeared approximately 25 years ago.");
  const auto& m = t.mention("plaque");
  BOOST_REQUIRE(m.onset != nlp::kNone);
  BOOST_TEST(t.a.onsets[m.onset].text == "approximately 25 years ago");
}

BOOST_AUTO_TEST_CASE(onset_since_childhood_attaches_to_the_disorder) {
  const Annotated t("She had eczema since childhood.");
  const auto& m = t.mention("eczema");
  BOOST_REQUIRE(m.onset != nlp::kNone);
  BOOST_TEST(t.a.onsets[m.onset].text == "since childhood");
}

BOOST_AUTO_TEST_CASE(duration_for_n_days_attaches_to_the_finding_before_it) {
  const Annotated t("She had fever for 6 days.");
  const auto& m = t.mention("fever");
  BOOST_REQUIRE(m.onset != nlp::kNone);
  BOOST_TEST(t.a.onsets[m.onset].text == "for 6 days");
}

BOOST_AUTO_TEST_CASE(at_the_age_of_n_gives_an_onset_age) {
  const CaseFacts f = convert_text("She developed diabetes at the age of 12.").facts;
  const Fact* d = fact_of(f, "diabetes-mellitus");
  BOOST_REQUIRE(d != nullptr);
  BOOST_REQUIRE(d->onset.has_value());
  BOOST_TEST(d->onset->text == "at the age of 12");
  BOOST_REQUIRE(d->onset->age.has_value());
  BOOST_TEST(d->onset->age->value == 12.0);
  BOOST_TEST(d->onset->age->unit == "a");
}

BOOST_AUTO_TEST_CASE(a_diagnosis_begins_when_its_first_dated_finding_did) {
  const CaseFacts f = convert_text(
      "A 30-year-old man had a painful lesion on the left shin that appeared 3 months ago. "
      "We diagnosed pyoderma gangrenosum.").facts;
  const Fact* d = fact_of(f, "pyoderma-gangrenosum");
  BOOST_REQUIRE(d != nullptr);
  BOOST_REQUIRE(d->onset.has_value());
  BOOST_TEST(d->onset->text == "3 months ago");
}

BOOST_AUTO_TEST_CASE(a_finding_elsewhere_does_not_date_a_diagnosis) {
  const CaseFacts f = convert_text("She had back pain for two years. Chest X-ray showed pneumonia.").facts;
  const Fact* d = fact_of(f, "pneumonia");
  BOOST_REQUIRE(d != nullptr);
  BOOST_TEST(!d->onset.has_value());
}

BOOST_AUTO_TEST_CASE(a_test_result_does_not_take_the_evidence_of_the_stated_diagnosis) {
  const CaseFacts f = convert_text(
      "He had fever for 6 days and bilateral conjunctival injection. "
      "Echocardiography showed trace mitral regurgitation. A diagnosis of Kawasaki disease was made.").facts;
  const Fact* kawasaki = fact_of(f, "kawasaki-disease");
  const Fact* regurgitation = fact_of(f, "mitral-regurgitation");
  BOOST_REQUIRE(kawasaki != nullptr);
  BOOST_REQUIRE(regurgitation != nullptr);
  BOOST_TEST(kawasaki->evidence.size() == 2u);
  BOOST_TEST(regurgitation->evidence.empty());
  BOOST_TEST(!regurgitation->onset.has_value());
  // With no stated diagnosis after it, a test's result is the conclusion and takes the findings.
  const CaseFacts pe = convert_text("She had pleuritic chest pain and dyspnea. CT showed a pulmonary embolism.").facts;
  const Fact* embolism = fact_of(pe, "pulmonary-embolism");
  BOOST_REQUIRE(embolism != nullptr);
  if (embolism) BOOST_TEST(embolism->evidence.size() == 2u);
}

BOOST_AUTO_TEST_CASE(onset_never_dates_a_negated_finding) {
  const Annotated t("He had no trauma in childhood.");
  BOOST_TEST(to_string(t.mention("trauma").assertion) == "absent");
  BOOST_TEST(t.mention("trauma").onset == nlp::kNone);
}

BOOST_AUTO_TEST_CASE(a_term_x_of_y_reads_through_the_words_before_its_site) {
  // "fracture of femur" is the term; writers put a determiner and a laterality after the "of".
  const Annotated t("He had a fracture of his left femur.");
  BOOST_TEST(t.concept_ids() == (Strings{"sct-71620000"}), boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(t.a.mentions.size(), 1u);
  BOOST_TEST(t.doc.view(t.a.mentions[0].span) == "fracture of his left femur");
  // The laterality is the site's, and the site is the mention's.
  BOOST_REQUIRE_EQUAL(t.a.mentions[0].sites.size(), 1u);
  const auto& site = t.a.sites[t.a.mentions[0].sites[0]];
  BOOST_TEST(t.doc.view(site.span) == "left femur");
  BOOST_REQUIRE(site.laterality != nlp::kNone);
  BOOST_TEST(t.mappings->compiled().set.laterality[site.laterality].id == "left");
  BOOST_TEST(Annotated("A subacute dissection of the right vertebral artery.").concept_ids() == (Strings{"icd10cm-i77.74"}),
             boost::test_tools::per_element());
  // One finding at two sites stays one finding with both: "swelling of hand" would leave the feet.
  const Annotated listed("There was swelling of the hands and feet.");
  BOOST_TEST(listed.concept_ids() == (Strings{"swelling"}), boost::test_tools::per_element());
  BOOST_TEST(listed.mention("swelling").sites.size() == 2u);
  // Words that are not a determiner or a laterality are not read through.
  BOOST_TEST(Annotated("He had a fracture of the distal femur.").concept_ids().empty());
  // A site that goes on with "of" is a part of what follows: the femur's neck is not the neck
  // (ICD-10-CM S12.9, a cervical fracture). The whole term still reads through.
  const Strings femoral_neck = Annotated("He had a fracture of the neck of the femur.").concept_ids();
  BOOST_TEST((std::find(femoral_neck.begin(), femoral_neck.end(), "icd10cm-s12.9") == femoral_neck.end()));
  BOOST_TEST(Annotated("He had a fracture of the neck of femur.").concept_ids().size() == 1u);
  // Words after "the" that name a lesion or a disorder of their own keep it: "biopsy of liver"
  // would leave the liver lesion a bare lesion.
  const Annotated lesion("Biopsy of the liver lesion was performed.");
  BOOST_REQUIRE_EQUAL(lesion.a.mentions.size(), 2u);
  BOOST_TEST(lesion.doc.view(lesion.a.mentions[1].span) == "liver lesion");
}

BOOST_AUTO_TEST_CASE(a_laterality_before_a_term_that_starts_with_its_site_is_that_site_s) {
  // "hand numbness" is one term; the "left" before it is the hand's.
  const Annotated t("He had left hand numbness.");
  BOOST_REQUIRE_EQUAL(t.a.mentions.size(), 1u);
  BOOST_REQUIRE_EQUAL(t.a.mentions[0].sites.size(), 1u);
  const auto& site = t.a.sites[t.a.mentions[0].sites[0]];
  BOOST_TEST(t.doc.view(site.span) == "left hand");
  BOOST_REQUIRE(site.laterality != nlp::kNone);
  BOOST_TEST(t.mappings->compiled().set.laterality[site.laterality].id == "left");
  // A direction, or the second of two sides, is no side of the term's site.
  for (const char* text : {"He had a right-to-left cardiac shunt.", "He had left and right lung nodules."}) {
    const Annotated other(text);
    BOOST_REQUIRE_EQUAL(other.a.mentions.size(), 1u);
    BOOST_TEST(other.a.mentions[0].sites.empty(), text);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
