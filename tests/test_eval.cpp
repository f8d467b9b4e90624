// `casefhir eval` (converters/eval/): tiny corpora in each supported format, built here, whose
// metrics can be worked out by hand; the --fail-under floors and --json output of the CLI; and
// the located errors a malformed corpus gives.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "casefhir/errors.h"
#include "eval/eval.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

const Converter& converter() {
  static const Converter c(default_mappings());
  return c;
}

// Four rows of the NegEx/ConText kit's format (header, then id, concept, sentence, negation,
// temporality, experiencer). The converter gets rows 1-3 right; row 4's gold label says
// "Negated" for a sentence that affirms the cough, so exactly one negation label disagrees:
//   negation  gold N→N, A→A, A→A, N→A: accuracy 3/4; Negated P 1/1, R 1/2, F1 2/3; Affirmed P 2/3, R 1, F1 4/5
//   temporality and experiencer all agree (row 2 historical, row 3 another person).
fs::path negex_kit() {
  const fs::path dir = temp_dir("eval-negex");
  write_text_file(dir / "kit.tsv",
                  "ID\tConcept\tSentence\tNegation\tTemporality\tExperiencer\n"
                  "1\tfever\tThe patient denies fever.\tNegated\tRecent\tPatient\n"
                  "2\ttuberculosis\tHe has a history of tuberculosis.\tAffirmed\tHistorical\tPatient\n"
                  "3\tdiabetes\tHer mother had diabetes.\tAffirmed\tRecent\tOther\n"
                  "4\tcough\tShe has a cough.\tNegated\tRecent\tPatient\n");
  return dir / "kit.tsv";
}

// A brat line for the entity `phrase` (its first occurrence; the texts are ASCII, so byte offsets
// are the code point offsets brat uses).
std::string entity(const std::string& text, const std::string& id, const std::string& type, const std::string& phrase) {
  const auto at = text.find(phrase);
  BOOST_TEST_REQUIRE(at != std::string::npos, phrase);
  return id + "\t" + type + " " + std::to_string(at) + " " + std::to_string(at + phrase.size()) + "\t" + phrase + "\n";
}

// Two MACCROBAT-style documents.
//   001: fever (found), cough with POLARITY NEG (found, output Absent), hypertension with POLARITY
//        NEG although the text asserts it (found, output confirmed: a negation disagreement and a
//        false patient Condition), "mother had diabetes" as Family_history (the FamilyMemberHistory
//        span is no gold finding), and a Lab_value "2.1 mg/dL" that MODIFYs the creatinine event.
//   002: wobbliness with POLARITY NEG (no default concept: missed), headache (found); the Age
//        annotation "young" gives no number, so the document is not scored for age.
//   findings: gold 5, found 4 → recall 0.8; output spans 5 (fever, cough, hypertension, diabetes,
//   headache), 4 on gold → precision 0.8; Sign_symptom 3 of 4, Disease_disorder 1 of 1;
//   negation over found: 3 of 4 agree, gold-negated found 2, output negated 1 → 0.5;
//   patient Conditions 1, on a gold-negated span 1 → rate 1; age 1 of 1; sex 2 of 2; labs 1 of 1.
fs::path brat_corpus() {
  const fs::path dir = temp_dir("eval-brat");
  const std::string t1 =
      "A 45-year-old man presented with fever. He denied cough. He has hypertension. His mother had diabetes. "
      "Creatinine was 2.1 mg/dL.\n";
  write_text_file(dir / "001.txt", t1);
  write_text_file(dir / "001.ann", entity(t1, "T1", "Age", "45-year-old") + entity(t1, "T2", "Sex", "man") +
                                       entity(t1, "T3", "Sign_symptom", "fever") + "E1\tSign_symptom:T3\n" +
                                       entity(t1, "T4", "Sign_symptom", "cough") + "E2\tSign_symptom:T4\n" +
                                       "A1\tPOLARITY E2 NEG\n" + entity(t1, "T5", "Disease_disorder", "hypertension") +
                                       "E3\tDisease_disorder:T5\n" + "A2\tPOLARITY E3 NEG\n" +
                                       entity(t1, "T6", "Family_history", "mother had diabetes") +
                                       entity(t1, "T7", "Diagnostic_procedure", "Creatinine") + "E4\tDiagnostic_procedure:T7\n" +
                                       entity(t1, "T8", "Lab_value", "2.1 mg/dL") + "R1\tMODIFY Arg1:T8 Arg2:E4\n" +
                                       "#1\tAnnotatorNotes T3\tnotes are not annotations\n");
  const std::string t2 = "A young woman had no wobbliness. She had headache.\n";
  write_text_file(dir / "002.txt", t2);
  write_text_file(dir / "002.ann", entity(t2, "T1", "Age", "young") + entity(t2, "T2", "Sex", "woman") +
                                       entity(t2, "T3", "Sign_symptom", "wobbliness") + "E1\tSign_symptom:T3\n" +
                                       "A1\tPOLARITY E1 NEG\n" + entity(t2, "T4", "Sign_symptom", "headache") +
                                       "E2\tSign_symptom:T4\n");
  // A text without annotations is not part of the corpus.
  write_text_file(dir / "003.txt", "Not annotated.\n");
  return dir;
}

// One BioC document whose passage starts at offset 10 (annotation offsets count from the
// document start): fever, wobbliness (missed: no default concept), cough negated by the modifier "no",
// and the condition pneumonia.
//   findings: gold 4, found 3 → recall 0.75; output spans 3, all on gold → precision 1; F1 6/7;
//   finding 2 of 3, condition 1 of 1; negation 3 of 3 agree, negated 1 of 1; no false Condition.
fs::path bioc_corpus() {
  const std::string text = "A 52-year-old male had fever and wobbliness but no cough. Pneumonia was diagnosed.";
  auto annotation = [&](const std::string& id, const std::string& type, const std::string& phrase) {
    const auto at = text.find(phrase);
    BOOST_TEST_REQUIRE(at != std::string::npos, phrase);
    return ordered_json{{"id", id},
                        {"infons", {{"entityType", type}}},
                        {"text", phrase},
                        {"locations", ordered_json::array({{{"offset", 10 + at}, {"length", phrase.size()}}})}};
  };
  ordered_json passage = {{"offset", 10}, {"text", text}};
  passage["annotations"] = ordered_json::array({annotation("F1", "factor", "52-year-old"), annotation("F2", "factor", "male"),
                                                annotation("A1", "finding", "fever"), annotation("A2", "finding", "wobbliness"),
                                                annotation("M1", "modifier", "no"), annotation("A3", "finding", "cough"),
                                                annotation("C1", "condition", "Pneumonia")});
  passage["relations"] = ordered_json::array(
      {{{"id", "R1"},
        {"infons", {{"type", "modifies"}}},
        {"nodes", ordered_json::array({{{"refid", "M1"}, {"role", "Governor"}}, {{"refid", "A3"}, {"role", "Dependent"}}})}}});
  ordered_json collection = {{"source", "casefhir tests"}, {"documents", ordered_json::array()}};
  collection["documents"].push_back({{"id", "cases/0001/"}, {"passages", ordered_json::array({passage})}});
  const fs::path dir = temp_dir("eval-bioc");
  write_text_file(dir / "corpus.json", collection.dump(1));
  return dir / "corpus.json";
}

void check_metric(const eval::Report& r, const std::string& name, double expected) {
  const auto it = r.metrics.find(name);
  BOOST_TEST_REQUIRE(r.metrics.count(name) == 1u, "no metric " << name);
  BOOST_TEST(it->second == expected, name << " = " << it->second << ", expected " << expected);
}

// The Error an evaluation throws (fails the test when it throws none).
Error error_of(void (*evaluate)(const fs::path&), const fs::path& path) {
  try {
    evaluate(path);
  } catch (const Error& e) {
    return e;
  } catch (const std::exception& e) {
    BOOST_FAIL("not a located casefhir::Error for " << path << ": " << e.what());
  }
  BOOST_FAIL("no error for " << path);
  return Error(ErrorKind::usage, {}, "");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(evaluation)

// ---- metrics ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(negex_kit_scores_negation_temporality_and_experiencer_per_row) {
  const eval::Report r = eval::evaluate_negex(converter(), negex_kit(), {});
  check_metric(r, "rows", 4);
  check_metric(r, "rows.concept_not_found", 0);
  check_metric(r, "negation.accuracy", 0.75);
  check_metric(r, "negation.negated.precision", 1.0);
  check_metric(r, "negation.negated.recall", 0.5);
  BOOST_TEST(r.metrics.at("negation.negated.f1") == 2.0 / 3.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.metrics.at("negation.affirmed.f1") == 0.8, boost::test_tools::tolerance(1e-12));
  check_metric(r, "temporality.accuracy", 1.0);
  check_metric(r, "temporality.historical.f1", 1.0);
  check_metric(r, "experiencer.accuracy", 1.0);
}

BOOST_AUTO_TEST_CASE(negex_errors_option_lists_the_row_that_disagrees) {
  const eval::Report quiet = eval::evaluate_negex(converter(), negex_kit(), {});
  BOOST_TEST(!contains(quiet.text, "line 5"));
  const eval::Report r = eval::evaluate_negex(converter(), negex_kit(), eval::Options{true, {}, {}});
  BOOST_TEST(contains(r.text, "line 5: concept \"cough\""));
  BOOST_TEST(contains(r.text, "gold: Negated, Recent, Patient; output: Affirmed, Recent, Patient"));
  for (const char* agreeing : {"line 2:", "line 3:", "line 4:"}) BOOST_TEST(!contains(r.text, agreeing), agreeing);
}

BOOST_AUTO_TEST_CASE(brat_corpus_scores_findings_negation_people_age_sex_and_labs) {
  const eval::Report r = eval::evaluate_brat(converter(), brat_corpus(), {});
  check_metric(r, "documents", 2);
  check_metric(r, "documents.not_converted", 0);
  check_metric(r, "findings.recall", 0.8);
  check_metric(r, "findings.precision", 0.8);
  BOOST_TEST(r.metrics.at("findings.f1") == 0.8, boost::test_tools::tolerance(1e-12));
  check_metric(r, "recall.Sign_symptom", 0.75);
  check_metric(r, "recall.Disease_disorder", 1.0);
  check_metric(r, "negation.agreement", 0.75);
  check_metric(r, "negation.negated_recall", 0.5);
  check_metric(r, "false_patient_conditions.rate", 1.0);
  check_metric(r, "age.accuracy", 1.0);
  check_metric(r, "sex.accuracy", 1.0);
  check_metric(r, "lab_values.recall", 1.0);
  check_metric(r, "lab_values.number_right", 1.0);   // "2.1 mg/dL": the creatinine Observation's value is 2.1
  BOOST_TEST(contains(r.text, "1 documents give no exact age"));
}

// --principal: right when the Encounter's rank-1 Condition has a code of the diagnosis or of an
// alternative; a report that never names its diagnosis ("in_text") counts in the score over all
// reports, and the score over the reports that name it is printed beside it.
BOOST_AUTO_TEST_CASE(brat_principal_diagnosis_is_scored_over_all_reports_and_over_those_that_name_it) {
  const fs::path dir = temp_dir("eval-brat-principal");
  const std::string named = "A 60-year-old man presented with cough. Chest X-ray showed pneumonia. He was diagnosed with pneumonia.\n";
  const std::string described = "A 30-year-old woman had painless swelling of both cheeks.\n";
  write_text_file(dir / "001.txt", named);
  write_text_file(dir / "001.ann", entity(named, "T1", "Disease_disorder", "pneumonia") + "E1\tDisease_disorder:T1\n");
  write_text_file(dir / "002.txt", described);
  write_text_file(dir / "002.ann", entity(described, "T1", "Sign_symptom", "swelling") + "E1\tSign_symptom:T1\n");
  // Pneumonia: SNOMED CT 233604007, ICD-10-CM J18.9. Cherubism: ICD-10-CM M27.8.
  write_text_file(dir / "principal.json", R"({"documents": [
    {"pmid": "001", "diagnosis": "Pneumonia", "codes": [{"system": "http://snomed.info/sct", "code": "233604007"}]},
    {"pmid": "002", "diagnosis": "Cherubism", "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M27.8"}],
     "in_text": "described"}]})");
  eval::Options options;
  options.principal = dir / "principal.json";
  const eval::Report r = eval::evaluate_brat(converter(), dir, options);
  check_metric(r, "principal.accuracy", 0.5);
  check_metric(r, "principal.stated", 0.5);
  check_metric(r, "principal.accuracy_where_stated", 1.0);
  BOOST_TEST(contains(r.text, "the report names it as the patient's in 1"));
  BOOST_TEST(contains(r.text, "Not named: described 1"));
  // A value the file format does not know is an error at its pointer, not a silent "named".
  write_text_file(dir / "principal.json", R"({"documents": [
    {"pmid": "002", "diagnosis": "Cherubism", "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M27.8"}],
     "in_text": "implied"}]})");
  BOOST_CHECK_EXCEPTION(eval::evaluate_brat(converter(), dir, options), Error, [](const Error& e) {
    return contains(e.what(), "/documents/002/in_text") && contains(e.what(), "described");
  });
}

BOOST_AUTO_TEST_CASE(brat_reads_a_resolved_condition_as_negated_only_where_the_report_says_it_resolved) {
  // MACCROBAT marks "the pleural effusion resolved" NEG and the mention before it not: the
  // Condition's abatementString points at "resolved", so only the mention of that sentence counts as
  // negated, and the earlier one is a patient Condition asserted where the gold says so.
  const fs::path dir = temp_dir("eval-brat-resolved");
  const std::string t = "A 45-year-old man. Chest X-ray showed a pleural effusion.\nAfter drainage, the pleural effusion resolved.\n";
  const auto second = t.rfind("pleural effusion");
  write_text_file(dir / "001.txt", t);
  write_text_file(dir / "001.ann", entity(t, "T1", "Age", "45-year-old") + entity(t, "T2", "Sex", "man") +
                                       entity(t, "T3", "Disease_disorder", "pleural effusion") + "E1\tDisease_disorder:T3\n" +
                                       "T4\tDisease_disorder " + std::to_string(second) + " " + std::to_string(second + 16) +
                                       "\tpleural effusion\n" + "E2\tDisease_disorder:T4\n" + "A1\tPOLARITY E2 NEG\n");
  const eval::Report r = eval::evaluate_brat(converter(), dir, {});
  check_metric(r, "findings.recall", 1.0);
  check_metric(r, "negation.agreement", 1.0);
  check_metric(r, "negation.affirmed_read_negated", 0.0);
  check_metric(r, "false_patient_conditions.rate", 0.0);
}

BOOST_AUTO_TEST_CASE(bioc_corpus_scores_findings_with_negation_modifiers) {
  const eval::Report r = eval::evaluate_bioc(converter(), bioc_corpus(), {});
  check_metric(r, "documents", 1);
  check_metric(r, "findings.recall", 0.75);
  check_metric(r, "findings.precision", 1.0);
  BOOST_TEST(r.metrics.at("findings.f1") == 6.0 / 7.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(r.metrics.at("recall.finding") == 2.0 / 3.0, boost::test_tools::tolerance(1e-12));
  check_metric(r, "recall.condition", 1.0);
  check_metric(r, "negation.agreement", 1.0);
  check_metric(r, "negation.negated_recall", 1.0);
  check_metric(r, "false_patient_conditions.rate", 0.0);
  check_metric(r, "age.accuracy", 1.0);
  check_metric(r, "sex.accuracy", 1.0);
  // The BioC corpus has no lab values, so there is no lab metric to hold a floor against.
  BOOST_TEST(r.metrics.count("lab_values.recall") == 0u);
  // The document id is the last part of a path-like BioC id.
  BOOST_TEST(contains(r.text, "\n  0001 "));
}

// ---- the CLI: floors and JSON ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(fail_under_exits_4_and_names_the_metric_when_it_is_below_its_floor) {
  const RunResult r = run_casefhir({"eval", "negex", negex_kit().string(), "--fail-under", "negation.accuracy=0.9"});
  BOOST_TEST(r.exit_code == 4);
  BOOST_TEST(r.err == "casefhir: eval: negation.accuracy = 0.7500 is below its floor 0.9000\n");
  BOOST_TEST(contains(r.out, "NegEx/ConText kit"));   // the report is still printed
}

BOOST_AUTO_TEST_CASE(fail_under_exits_0_when_every_floor_is_met) {
  const RunResult r = run_casefhir({"eval", "negex", negex_kit().string(), "--fail-under", "negation.accuracy=0.75",
                                    "--fail-under", "experiencer.accuracy=1"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err.empty());
}

BOOST_AUTO_TEST_CASE(fail_under_with_an_unknown_metric_is_a_usage_error_that_lists_the_metrics) {
  const RunResult r = run_casefhir({"eval", "negex", negex_kit().string(), "--fail-under", "negation.acuracy=0.5"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "no metric \"negation.acuracy\""));
  BOOST_TEST(contains(r.err, "negation.accuracy"));
}

BOOST_AUTO_TEST_CASE(fail_under_applies_to_brat_metrics_too) {
  const std::string corpus = brat_corpus().string();
  BOOST_TEST(run_casefhir({"eval", "brat", corpus, "--fail-under", "findings.recall=0.8"}).exit_code == 0);
  const RunResult below = run_casefhir({"eval", "brat", corpus, "--fail-under", "findings.recall=0.81"});
  BOOST_TEST(below.exit_code == 4);
  BOOST_TEST(below.err == "casefhir: eval: findings.recall = 0.8000 is below its floor 0.8100\n");
}

BOOST_AUTO_TEST_CASE(json_option_prints_the_report_as_json_with_the_same_metrics) {
  const RunResult r = run_casefhir({"eval", "negex", negex_kit().string(), "--json"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_REQUIRE(ordered_json::accept(r.out));
  const ordered_json j = ordered_json::parse(r.out);
  BOOST_TEST(j["rows"] == 4);
  BOOST_TEST(j["metrics"]["negation.accuracy"].get<double>() == 0.75);
  BOOST_TEST(j["confusion"]["negation"]["Negated"]["Affirmed"] == 1);
  BOOST_TEST(j["confusion"]["experiencer"]["Other"]["Other"] == 1);

  const RunResult brat = run_casefhir({"eval", "brat", brat_corpus().string(), "--json"});
  BOOST_TEST(brat.exit_code == 0);
  BOOST_REQUIRE(ordered_json::accept(brat.out));
  BOOST_TEST(ordered_json::parse(brat.out)["metrics"]["findings.recall"].get<double>() == 0.8);
  const RunResult bioc = run_casefhir({"eval", "bioc", bioc_corpus().string(), "--json"});
  BOOST_TEST(bioc.exit_code == 0);
  BOOST_REQUIRE(ordered_json::accept(bioc.out));
  BOOST_TEST(ordered_json::parse(bioc.out)["metrics"]["findings.precision"].get<double>() == 1.0);
}

// ---- malformed corpora ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tsv_row_with_too_few_columns_is_an_error_at_its_line) {
  const fs::path dir = temp_dir("eval-bad-tsv");
  const fs::path tsv = dir / "kit.tsv";
  write_text_file(tsv, "ID\tConcept\tSentence\tNegation\tTemporality\tExperiencer\n"
                       "1\tfever\tNo fever.\tNegated\tRecent\tPatient\n"
                       "2\tcough\tShe has a cough.\n");
  const Error e = error_of([](const fs::path& p) { eval::evaluate_negex(converter(), p, {}); }, tsv);
  BOOST_TEST(to_string(e.kind()) == "input-malformed");
  BOOST_TEST(e.where().file == tsv.string());
  BOOST_TEST(e.where().line == 3u);
  const RunResult r = run_casefhir({"eval", "negex", tsv.string()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err == "casefhir: " + tsv.string() + ":3: expected 6 tab-separated columns, found 3\n");
}

BOOST_AUTO_TEST_CASE(brat_offsets_that_are_not_numbers_are_an_error_at_their_line) {
  const fs::path dir = temp_dir("eval-bad-brat");
  write_text_file(dir / "001.txt", "A 45-year-old man presented with fever.\n");
  write_text_file(dir / "001.ann", "T1\tAge 2 13\t45-year-old\nT2\tSign_symptom 33 x\tfever\n");
  const fs::path ann = dir / "001.ann";
  const RunResult r = run_casefhir({"eval", "brat", dir.string()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err == "casefhir: " + ann.string() + ":2: offsets must be numbers\n");
}

BOOST_AUTO_TEST_CASE(brat_entity_line_without_offsets_is_an_error_at_its_line) {
  const fs::path dir = temp_dir("eval-bad-brat-offsets");
  write_text_file(dir / "001.txt", "A 45-year-old man presented with fever.\n");
  write_text_file(dir / "001.ann", "T1\tAge 2 13\t45-year-old\nT2\tSign_symptom\tfever\n");
  const fs::path ann = dir / "001.ann";
  const Error e = error_of([](const fs::path& p) { eval::evaluate_brat(converter(), p, {}); }, dir);
  BOOST_TEST(to_string(e.kind()) == "input-malformed");
  BOOST_TEST(e.where().file == ann.string());
  BOOST_TEST(e.where().line == 2u);
  const RunResult r = run_casefhir({"eval", "brat", dir.string()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "casefhir: " + ann.string() + ":2: "), "stderr: " << r.err);
}

BOOST_AUTO_TEST_CASE(bioc_file_that_is_not_json_is_an_error_naming_the_file_and_line) {
  const fs::path dir = temp_dir("eval-bad-bioc");
  const fs::path file = dir / "corpus.json";
  write_text_file(file, "{\"documents\": [\n {\"id\": \"1\",\n  \"passages\": [}\n]}\n");
  const Error e = error_of([](const fs::path& p) { eval::evaluate_bioc(converter(), p, {}); }, file);
  BOOST_TEST(to_string(e.kind()) == "input-malformed");
  BOOST_TEST(e.where().file == file.string());
  const RunResult r = run_casefhir({"eval", "bioc", file.string()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "casefhir: " + file.string() + ": not valid JSON"), "stderr: " << r.err);
  BOOST_TEST(contains(r.err, "line 3"), "stderr: " << r.err);
}

BOOST_AUTO_TEST_CASE(bioc_collection_without_documents_is_an_error_naming_the_pointer) {
  const fs::path dir = temp_dir("eval-bioc-no-documents");
  const fs::path file = dir / "corpus.json";
  write_text_file(file, "{\"source\": \"x\"}\n");
  const RunResult r = run_casefhir({"eval", "bioc", file.string()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err == "casefhir: " + file.string() + ": /documents: a BioC collection needs a documents array\n");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
