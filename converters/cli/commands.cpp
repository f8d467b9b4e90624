// cli/commands.cpp — `casefhir convert` and `casefhir eval`; `mappings` and `push` are classes of
// their own, registered here.
#include "cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "casefhir/converter.h"
#include "cli/batch_command.h"
#include "cli/conversion_options.h"
#include "cli/io.h"
#include "cli/mappings_command.h"
#include "cli/push_command.h"
#include "eval/eval.h"
#include "readers/file.h"

namespace casefhir::cli {

namespace {

struct Floor {
  std::string metric, value;
};

// "--fail-under negation.negated.f1=0.97" → {"negation.negated.f1", "0.97"}: the form checked
// before a long evaluation (the metric's name is checked against the report, after it).
Floor parse_floor(const std::string& f) {
  const auto eq = f.find('=');
  char* end = nullptr;
  if (eq == std::string::npos || eq == 0 || (std::strtod(f.c_str() + eq + 1, &end), end == f.c_str() + eq + 1 || *end))
    throw Error(ErrorKind::usage, {}, "--fail-under takes METRIC=NUMBER, got \"" + f + "\"");
  return {f.substr(0, eq), f.substr(eq + 1)};
}

// Returns false (and says why) when a metric is lower than its floor.
bool check_floors(const eval::Report& report, const std::vector<std::string>& floors) {
  bool ok = true;
  for (const std::string& f : floors) {
    const auto [name, value] = parse_floor(f);
    double floor = 0;
    try {
      floor = std::stod(value);
    } catch (const std::exception&) {   // out of a double's range: strtod took it, stod does not
      throw Error(ErrorKind::usage, {}, "--fail-under " + name + ": \"" + value + "\" is not a number");
    }
    const auto it = report.metrics.find(name);
    if (it == report.metrics.end()) {
      std::string known;
      for (const auto& [k, _] : report.metrics) known += (known.empty() ? "" : ", ") + k;
      throw Error(ErrorKind::usage, {}, "--fail-under: no metric \"" + name + "\" (metrics: " + known + ")");
    }
    if (it->second < floor) {
      std::fprintf(stderr, "casefhir: eval: %s = %.4f is below its floor %.4f\n", name.c_str(), it->second, floor);
      ok = false;
    }
  }
  return ok;
}

}  // namespace

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::mapping_invalid:
      return kUsage;
    case ErrorKind::input_missing:
    case ErrorKind::input_empty:
    case ErrorKind::input_binary:
    case ErrorKind::input_encoding:
    case ErrorKind::input_too_large:
    case ErrorKind::input_malformed:
    case ErrorKind::output_failed:
      return kInputFailed;
    case ErrorKind::input_not_case_report:
      return kNotCaseReport;
  }
  return kInputFailed;
}

int run(int argc, char** argv) {
  CLI::App app{"casefhir " + std::string(version()) +
               " — turns clinical case reports (free text, HL7 CDA / C-CDA / eICR) into FHIR R4 Bundles, offline;\n"
               "`casefhir push` posts them to a FHIR server.\n"
               "Every resource points back at the characters (text) or the element (XML) it came from (derivation-reference)."};
  app.set_version_flag("--version", "casefhir " + std::string(version()));
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 converted (or evaluation floors met; push: every entry accepted);\n"
      "1 the input could not be converted, read or written, or push: the server could not be reached\n"
      "(one line on stderr names the file and the reason); 2 usage error or a mapping file that does not\n"
      "load; 3 some inputs failed, the rest went through (batch, convert --ndjson: each has its error\n"
      "record; push: Bundles or entries rejected, or not a Bundle casefhir can post); 4 an evaluation\n"
      "metric fell below its --fail-under floor; 5 a journal article (or some of a collection's) is not\n"
      "a case report (a research article, review or editorial): no Bundle for it, a line on stderr says\n"
      "which, the collection's case reports are written; 130/143 batch interrupted by SIGINT/SIGTERM\n"
      "(the outputs hold whole records; the same command with --resume finishes it).");

  ConversionFlags flags;   // convert's; eval reads its mappings options

  auto* convert = app.add_subcommand("convert",
                                     "Convert one case report (plain UTF-8 text, a PDF, an HL7 CDA document, or a JATS article) to a FHIR R4 Bundle on "
                                     "stdout; a JATS collection gives one Bundle per case report, one per line (NDJSON)");
  std::string input = "-", output, report_path;
  bool pretty = false, verbose = false, ndjson = false;
  std::size_t jobs = 0;
  convert->add_option("FILE", input, "The case report; '-' or nothing reads standard input")->capture_default_str();
  convert->add_option("-o,--output", output, "Write the Bundle to this file instead of stdout (as it is built, beside it, renamed over it when complete)");
  convert->add_flag("--ndjson", ndjson,
                    "Filter mode, for Spark's pipe, Hadoop Streaming or GNU parallel: read records {\"id\": ..., \"text\": ...} or {\"id\": ..., "
                    "\"path\": ...} one per line from stdin and write one Bundle line per record to stdout, in order (a failed record: "
                    "an OperationOutcome line with its id; exit 3)");
  convert->add_option("-j,--jobs", jobs, "--ndjson: worker threads (default: the number of cores)");
  {
    std::string formats = "Input format: auto (detected from the content, never the file name)";
    for (const auto& [name, summary] : input_formats()) formats += "; " + name + ": " + summary;
    add_from_option(*convert, flags.from, formats)->capture_default_str();
  }
  convert->add_flag("--narrative", flags.narrative,
                    "CDA: also read each section's narrative text as a case report; what a coded entry already states adds its words "
                    "to that entry's provenance instead of a second resource");
  convert->add_flag("--split-cases", flags.split_cases,
                    "A case series (\"Case 1\", \"Case 2\" ... headings, or \"The second patient, a 45-year-old woman\" ...): one Bundle per case, one per line (NDJSON), instead of "
                    "one Bundle with a Patient per case");
  add_mappings_option(*convert, flags.mappings.folders,
                      "A folder of mapping files (*.json) that extends or overrides the defaults; repeatable, later wins");
  convert->add_option("--dictionary", flags.mappings.dictionary,
                      "A compiled dictionary (casefhir mappings compile) to use instead of the built-in one");
  convert->add_flag("--no-default-mappings", flags.mappings.no_defaults, "Use only the --mappings folders, not the built-in defaults");
  add_bundle_type_option(*convert, flags.bundle_type)->capture_default_str();
  convert->add_flag("--pretty", pretty, "Indent the JSON (default: one line)");
  convert->add_option("--report", report_path,
                      "Write a JSON report of sections, statements set aside (with why), unmapped sentences and results of tests without a code; "
                      "it quotes the source text");
  convert->add_flag("-v,--verbose", verbose, "Print a summary and every statement set aside to stderr (quotes the source text)");
  add_max_input_bytes_option(*convert, flags.max_bytes, "Refuse larger inputs")->capture_default_str();

  auto* evaluate = app.add_subcommand("eval", "Measure the converter against annotated corpora");
  evaluate->require_subcommand(1);
  bool list_errors = false, as_json = false;
  std::vector<std::string> floors;
  std::string corpus, principal_file, expected_file;
  auto add_eval = [&](const char* name, const char* what, const char* arg_help) {
    auto* sub = evaluate->add_subcommand(name, what);
    sub->add_option("PATH", corpus, arg_help)->required();
    add_mapping_options_as_for_convert(*sub, flags.mappings);
    sub->add_flag("--errors", list_errors, "List every miss with its sentence (quotes the corpus text)");
    sub->add_flag("--json", as_json, "Print the report as JSON");
    sub->add_option("--fail-under", floors, "METRIC=VALUE: exit 4 when the metric is lower (repeatable)")->allow_extra_args(false);
    if (std::string(name) == "brat" || std::string(name) == "bioc")
      sub->add_option("--principal", principal_file,
                      "JSON file naming each document's principal diagnosis (tests/data/maccrobat-principal-diagnoses.json): "
                      "scored against the Encounter's rank-1 diagnosis");
    if (std::string(name) == "jats")
      sub->add_option("--expected", expected_file,
                      "JSON file saying what each article is about (tests/data/jats-visible-expected.json)")
          ->required();
    return sub;
  };
  auto* eval_negex = add_eval("negex", "NegEx/ConText test kit (TSV): negation, temporality and experiencer per row",
                              "negex-annotations TSV file");
  auto* eval_brat = add_eval("brat", "Case reports with brat standoff annotations (MACCROBAT): spans, negation, age, sex, labs",
                             "folder of PMID.txt + PMID.ann pairs");
  const MappingsCommand mappings_command(app);
  const BatchCommand batch_command(app);
  const PushCommand push_command(app);
  auto* eval_bioc = add_eval("bioc", "BioC JSON case reports (Ada corpus): spans, negation, age, sex",
                             "BioC JSON collection file");
  auto* eval_fhir_converter =
      add_eval("fhir-converter", "Microsoft's FHIR-Converter (or CDC's eICR fork): their CDA samples, their Conditions and Observations looked for in ours",
               "a checkout of the converter (data/SampleData and its functional tests' Expected bundles)");
  auto* eval_jats = add_eval("jats", "JATS articles: case report or not, the Patient's sex and age, the diagnosis, the lab values",
                             "a JATS file (one <article>, or a collection)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? kConverted : kUsage;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e) == 0 ? kConverted : kUsage;
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e) == 0 ? kConverted : kUsage;
  } catch (const CLI::ParseError& e) {
    // One line in the same form as every other error.
    std::fprintf(stderr, "casefhir: %s (see casefhir --help)\n", e.what());
    return kUsage;
  }

  try {
    if (mappings_command.parsed()) return mappings_command.run();
    if (batch_command.parsed()) return batch_command.run();
    if (push_command.parsed()) return push_command.run();
    Mappings mappings = Mappings::from_options(flags.mappings.options());
    if (convert->parsed()) {
      ConvertOptions options = flags.convert_options();
      options.bundle.pretty = pretty;
      Converter converter(std::move(mappings), options);
      if (ndjson) {
        if (input != "-" || !output.empty() || pretty || !report_path.empty())
          throw Error(ErrorKind::usage, {}, "--ndjson reads records from stdin and writes Bundle lines to stdout: no FILE, -o, --pretty or --report");
        return convert_ndjson_records(converter, jobs);
      }
      const std::string bytes = read_input(input, flags.max_bytes);
      // Bundles are written as they are built, so a report of tens of MB never holds its Bundle (six
      // times its size) in memory: to a file beside it until all went well, to standard output at
      // once. Standard output holds them with --report (written first) and with --pretty (which
      // several Bundles refuse).
      std::optional<OutputFile> streamed;
      if ((!output.empty() && output != "-") || (report_path.empty() && !pretty)) streamed.emplace(output);
      std::vector<Conversion> all = streamed ? converter.convert_all(bytes, input, [&](std::string_view text) { streamed->write(text); })
                                             : converter.convert_all(bytes, input);
      if (all.size() > 1 && pretty)
        throw Error(ErrorKind::usage, Location{input, 0, 0, {}},
                    "gives " + std::to_string(all.size()) + " Bundles (articles or cases), written one per line (NDJSON): --pretty does not apply");
      // The report first: if it cannot be written, no Bundle has gone out as if all were well.
      std::string bundles, reports;
      std::size_t not_converted = 0;
      for (std::size_t i = 0; i < all.size(); ++i) {
        Conversion& c = all[i];
        // Every document has its report entry, in input order, with the reason when it has no Bundle.
        if (!report_path.empty()) reports += (reports.empty() ? "" : ",\n") + conversion_report(c);
        if (!c.not_converted.empty()) {
          ++not_converted;
          std::fprintf(stderr, "casefhir: %s: %s: no Bundle\n", input.c_str(), c.not_converted.c_str());
          continue;
        }
        if (bundles.empty()) bundles = std::move(c.bundle);   // one Bundle (most inputs): not copied
        else bundles += c.bundle;
      }
      if (!report_path.empty()) write_output(report_path, all.size() > 1 ? "[\n" + reports + "]\n" : reports);
      // With -o, the file holds what this run converted, even nothing (never an earlier run's Bundles).
      if (streamed) streamed->commit();
      else if (not_converted < all.size() || !output.empty()) write_output(output, bundles);
      for (const Conversion& c : all) {
        if (!verbose || !c.not_converted.empty()) continue;
        const auto uncoded = std::count_if(c.facts.facts.begin(), c.facts.facts.end(), [](const Fact& f) {
          return f.code.kind == ConceptKind::lab && f.code.codes.empty();
        });
        std::fprintf(stderr, "casefhir: %s: %zu resources, %zu statements set aside, %zu sentences unmapped, %zu results of uncoded tests\n",
                     input.c_str(), c.resources, c.facts.set_aside.size(), c.facts.unmapped.size(), static_cast<std::size_t>(uncoded));
        for (const auto& s : c.facts.set_aside)
          std::fprintf(stderr, "  set aside (%s): %s\n", s.reason.c_str(),
                       s.source.xpath.empty() ? std::string(c.document.view(s.source.span)).c_str() : s.source.xpath.c_str());
      }
      return not_converted > 0 ? kNotCaseReport : kConverted;
    }
    for (const std::string& f : floors) parse_floor(f);   // the form, before a long evaluation
    Converter converter(std::move(mappings));
    eval::Options options;
    options.list_errors = list_errors;
    options.principal = principal_file;
    options.expected = expected_file;
    eval::Report report;
    if (eval_negex->parsed()) report = eval::evaluate_negex(converter, corpus, options);
    else if (eval_brat->parsed()) report = eval::evaluate_brat(converter, corpus, options);
    else if (eval_bioc->parsed()) report = eval::evaluate_bioc(converter, corpus, options);
    else if (eval_fhir_converter->parsed()) report = eval::evaluate_fhir_converter(converter, corpus, options);
    else if (eval_jats->parsed()) report = eval::evaluate_jats(converter, corpus, options);
    const std::string text = as_json ? report.json.dump(2) + "\n" : report.text;
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return check_floors(report, floors) ? kConverted : kBelowFloor;
  } catch (const Error& e) {
    std::fprintf(stderr, "casefhir: %s\n", e.what());
    return exit_code_for(e.kind());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "casefhir: %s: out of memory\n", input.c_str());
    return kInputFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "casefhir: internal error: %s\n", e.what());
    return kInputFailed;
  }
}

}  // namespace casefhir::cli
