// Patient vs. discussion (issue 3 item 5): statements of general knowledge in the discussion of a
// case report are not facts about the patient, while a discussion sentence about "our patient" is.
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "support.h"

namespace casefhir::test {
namespace {

const Fact* fact_for(const Conversion& c, const std::string& id) {
  // The id must name a default mapping entry, or the checks below could pass by naming nothing.
  BOOST_TEST_REQUIRE(default_mappings().find_concept(id).has_value(), id);
  for (const Fact& f : c.facts.facts)
    if (f.code.id == id) return &f;
  return nullptr;
}

bool set_aside_as_general(const Conversion& c, const std::string& id) {
  return std::any_of(c.facts.set_aside.begin(), c.facts.set_aside.end(), [&](const SetAside& s) {
    return s.concept_id == id && s.reason.find("general statement") == 0;
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(patient_vs_discussion)

BOOST_AUTO_TEST_CASE(general_sentences_under_a_discussion_heading_are_not_patient_facts) {
  const Conversion c = convert_text(
      "A 38-year-old woman presented with sudden dyspnea. CT pulmonary angiography showed a pulmonary embolism.\n\n"
      "Discussion\n\n"
      "Risk factors for pulmonary embolism include immobilization, malignancy, pregnancy and thrombophilia. "
      "Sarcoidosis is associated with hypercalcemia. Our patient had no history of malignancy.\n");
  const Fact* pe = fact_for(c, "pulmonary-embolism");
  BOOST_REQUIRE(pe);
  BOOST_TEST((pe->assertion == Assertion::present));
  BOOST_TEST(!fact_for(c, "sarcoidosis"));
  BOOST_TEST(set_aside_as_general(c, "sarcoidosis"));
  // "Our patient had no history of malignancy": about the patient, and negated.
  for (const Fact& f : c.facts.facts)
    if (f.code.kind == ConceptKind::disorder && f.code.id != "pulmonary-embolism")
      BOOST_TEST((f.assertion == Assertion::absent), f.code.id << " from the discussion must not be asserted");
}

// A report written a sentence per line, with no blank line anywhere, labels a sentence inline:
// "Conclusions: …" after an MRI is the scan's conclusion, not the start of the article's. The
// label reaches to the end of its sentence's line, and the report goes on about the patient.
BOOST_AUTO_TEST_CASE(an_inline_label_in_a_text_of_one_sentence_per_line_labels_its_line) {
  const Conversion c = convert_text(
      "A 21-year-old man presented with headache.\n"
      "Conclusions: there was a small infarct.\n"
      "Fever developed on the third day.\n");
  const Fact* fever = fact_for(c, "fever");
  BOOST_REQUIRE(fever);
  BOOST_TEST((fever->assertion == Assertion::present));
  // Paragraphs apart, a conclusion section runs to the next heading: textbook sentences after it
  // stay general.
  const Conversion article = convert_text(
      "A 38-year-old woman presented with fever.\n\n"
      "Conclusions: pulmonary embolism is a rare cause of fever.\n"
      "Sarcoidosis is associated with hypercalcemia.\n");
  BOOST_TEST(!fact_for(article, "sarcoidosis"));
}

// A reference list run into the text (a web page or a PDF read as one block): an author list names
// no patient fact, neither the diseases of its title nor initials that read as abbreviations.
BOOST_AUTO_TEST_CASE(a_reference_run_into_the_text_names_no_patient_fact) {
  const Conversion c = convert_text(
      "A 49-year-old man presented with weakness. He had dry beriberi. "
      "References Corcoran TB, O'Hare B, Phelan D: Shoshin beri-beri precipitated by intravenous glucose. "
      "Crit Care Resusc. 2002, 4 (1): 31-34. Milicevic Z, Newlon PG, Pittenger GL, Stansberry KB: Anti-ganglioside "
      "antibody and distal symmetric diabetic polyneuropathy. Diabetologia. 1997, 40 (11): 1364-1365.\n");
  BOOST_TEST(!fact_for(c, "tuberculosis"));
  // Lists of the patient's results in the same shape are not references.
  const Conversion results = convert_text("Hepatitis B, Hepatitis C and HIV were positive.\n");
  BOOST_TEST(fact_for(results, "hepatitis-b"));
  // Tests named by one word and a letter repeat the word; authors do not.
  const Conversion tests = convert_text("Protein C, Protein S: decreased; the patient had deep vein thrombosis.\n");
  BOOST_TEST(fact_for(tests, "deep-vein-thrombosis"));
}

BOOST_AUTO_TEST_CASE(a_discussion_without_a_heading_is_recognised_by_its_sentences) {
  // Like the seed: the case, then paragraphs of textbook statements, with no heading between.
  const Conversion c = convert_text(
      "A 52-year-old man presented with polyuria. We diagnosed type 2 diabetes mellitus.\n\n"
      "Type 2 diabetes mellitus is a common metabolic disorder. It is often associated with obesity and "
      "hypertension. Diabetic ketoacidosis may occur in severe cases.\n\n"
      "Our patient had no retinopathy.\n");
  BOOST_REQUIRE(fact_for(c, "type-2-diabetes"));
  BOOST_TEST(!fact_for(c, "obesity"));
  BOOST_TEST(!fact_for(c, "hypertension"));
  BOOST_TEST(!fact_for(c, "diabetic-ketoacidosis"));
  BOOST_TEST(set_aside_as_general(c, "hypertension"));
}

BOOST_AUTO_TEST_CASE(nothing_in_the_samples_discussions_becomes_a_resource) {
  // The samples' Discussion sections hold only statements of general knowledge (risk factors,
  // incidence, advice); none of their concepts may reach the Bundle, each must be reported as set
  // aside, and at least one per discussion is.
  std::size_t discussions = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "samples")) {
    if (entry.path().extension() != ".txt") continue;
    const Conversion c = convert_text(read_text_file(entry.path()));
    for (const Section& s : c.document.sections) {
      if (s.role != "discussion") continue;
      ++discussions;
      for (const Fact& f : c.facts.facts)
        for (const SourceRef& src : f.sources)
          BOOST_TEST(!s.body.contains(src.span), entry.path().filename() << ": " << f.code.id << " from the discussion: \""
                                                                         << c.document.view(src.span) << "\"");
      const auto set_aside = std::count_if(c.facts.set_aside.begin(), c.facts.set_aside.end(), [&](const SetAside& a) {
        return s.body.contains(a.source.span) && a.reason.find("general statement") == 0;
      });
      BOOST_TEST(set_aside > 0, entry.path().filename() << ": no discussion statement reported as general");
    }
  }
  BOOST_TEST(discussions >= 4u, "samples with a Discussion heading");
}

BOOST_AUTO_TEST_CASE(a_list_of_other_causes_is_general_knowledge) {
  // MACCROBAT 23242090: a differential written as textbook knowledge, with no heading before it.
  const Conversion c = convert_text(
      "A 16-year-old girl presented with progressive ataxia. "
      "Other important causes of ataxia would be vitamin E deficiency and multiple sclerosis.\n");
  BOOST_TEST(!fact_for(c, "multiple-sclerosis"));
  BOOST_TEST(set_aside_as_general(c, "multiple-sclerosis"));
}

BOOST_AUTO_TEST_CASE(literature_cases_are_not_the_patient) {
  const Conversion c = convert_text(
      "A 60-year-old man presented with fever.\n\nDiscussion\n\n"
      "Smith et al. reported a woman with sarcoidosis and hypercalcemia [12].\n");
  BOOST_TEST(!fact_for(c, "sarcoidosis"));
  BOOST_TEST(!fact_for(c, "hypercalcemia"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
