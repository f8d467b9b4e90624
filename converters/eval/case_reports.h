// eval/case_reports.h — scoring converted case reports against span annotations, shared by the
// brat (MACCROBAT) and BioC (Ada) evaluations: each reader turns its format into GoldDocuments,
// and score_case_reports converts every text and compares the Bundle with the gold.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "casefhir/facts.h"
#include "eval/eval.h"

namespace casefhir::eval {

struct GoldSpan {
  std::uint32_t begin = 0;   // code points
  std::uint32_t end = 0;
  bool overlaps(std::uint32_t b, std::uint32_t e) const { return begin < e && b < end; }
};

struct GoldEntity {
  std::vector<GoldSpan> spans;        // discontinuous entities have several
  std::string type;                   // "Disease_disorder", "Sign_symptom", "condition", "finding", …
  std::string text;
  bool negated = false;
  std::vector<GoldSpan> related;      // Lab_value: the test it is linked to
  bool overlaps(std::uint32_t b, std::uint32_t e) const {
    for (const auto& s : spans)
      if (s.overlaps(b, e)) return true;
    return false;
  }
};

struct GoldDocument {
  std::string id;
  std::string text;
  std::vector<GoldEntity> findings;       // the disorders and signs/symptoms the converter should find
  std::vector<GoldEntity> other_person;   // spans about someone else (family history)
  std::vector<GoldEntity> lab_values;     // lab results (empty when the corpus has none)
  std::vector<GoldEntity> procedures;     // therapeutic and diagnostic procedures (empty when none)
  std::string age_text;                   // as annotated, "" when none
  std::string sex_text;
  // The principal diagnosis, when a --principal file names this document: each accepted
  // diagnosis (the main one, then alternatives) as its codes (system, code).
  std::string principal_name;
  std::vector<std::vector<std::pair<std::string, std::string>>> principal;
  // How the report states it: "" by name (or an abbreviation it defines), "described" (by its
  // features only), "hedged" (only as suspected), "abbreviation" (only by one it never defines).
  std::string principal_in_text;
};

// Reads a --principal file and gives each document it names its accepted diagnoses.
void attach_principal_diagnoses(const std::filesystem::path& file, std::vector<GoldDocument>& documents);

struct CorpusDescription {
  std::string name;                  // "MACCROBAT (brat)"
  std::string path;
  std::vector<std::string> classes;  // finding types to report recall for, e.g. Disease_disorder
  bool has_lab_values = false;
  std::string negation_rule;         // how gold negation was read, for the report
};

// Age in years from an annotation such as "34-yr-old", "13 months of age" (nullopt if no number).
std::optional<double> parse_age_years(const std::string& text);
// Gender from a sex annotation ("woman", "male", "boy"); nullopt when the word says neither.
std::optional<Gender> parse_sex(const std::string& text);

Report score_case_reports(const Converter& converter, const CorpusDescription& corpus,
                          const std::vector<GoldDocument>& documents, const Options& options);

}  // namespace casefhir::eval
