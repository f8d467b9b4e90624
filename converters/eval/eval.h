// eval/eval.h — `casefhir eval`: measures what the converter writes against annotated corpora.
//
//   casefhir::eval::Report r = casefhir::eval::evaluate_negex(converter, "negex-annotations.tsv", {});
//   std::cout << r.text;            // per-class precision / recall / F1, confusion table
//   double f1 = r.metrics.at("negation.negated.f1");
//
// Every evaluation runs the ordinary conversion (Converter::convert, the code path of `convert`)
// and reads the labels from the FHIR resources it produced, never from internal annotations.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "casefhir/converter.h"

namespace casefhir::eval {

struct Options {
  bool list_errors = false;   // --errors: every miss with its sentence
  // --principal FILE: the principal diagnosis of each document, read by a person (JSON, see
  // tests/data/README.md); scored against the Bundle's Encounter diagnosis of rank 1.
  std::filesystem::path principal;
  // --expected FILE (eval jats): what each article is about, read by a person
  // (tests/data/jats-visible-expected.json).
  std::filesystem::path expected;
};

struct Report {
  std::string text;                       // human-readable
  nlohmann::ordered_json json;            // the same, for machines
  std::map<std::string, double> metrics;  // flat names, for --fail-under
};

Report evaluate_negex(const Converter& converter, const std::filesystem::path& tsv, const Options& options);
Report evaluate_brat(const Converter& converter, const std::filesystem::path& folder, const Options& options);
Report evaluate_bioc(const Converter& converter, const std::filesystem::path& file, const Options& options);
// A checkout of Microsoft's FHIR-Converter (or CDC's eICR fork): its CDA samples through casefhir,
// their Conditions and Observations looked for in casefhir's Bundles.
Report evaluate_fhir_converter(const Converter& converter, const std::filesystem::path& folder, const Options& options);
// JATS articles (one file, a collection or one article) against what a person read in each.
Report evaluate_jats(const Converter& converter, const std::filesystem::path& file, const Options& options);

}  // namespace casefhir::eval
