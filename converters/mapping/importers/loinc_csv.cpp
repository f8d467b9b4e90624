// mapping/importers/loinc_csv.cpp — LOINC's table, Loinc.csv: RFC 4180 CSV (quoted fields may hold
// commas, doubled quotes and line breaks) with a header row; columns are found by name. Rows with
// STATUS ACTIVE and CLASSTYPE 1 (laboratory) become lab analytes (mappings/README.md "Lab
// analytes"): terms LONG_COMMON_NAME and COMPONENT, the LOINC code (its mod-10 check digit checked:
// a row that fails it is a damaged file), unit the first of EXAMPLE_UCUM_UNITS or "1". DEPRECATED
// rows count as obsolete; DISCOURAGED and TRIAL rows and other class types are not imported.
//
// LOINC's licence asks that its notice travel with LOINC content: it is the source's attribution.
// The file does not state its version; it is the request's, or else the newest VersionLastChanged.
#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/importers/formats.h"
#include "mapping/importers/source_file.h"

namespace casefhir::mapping::importers {

namespace {

constexpr std::string_view kLoincNotice =
    "This material contains content from LOINC® (http://loinc.org). LOINC is copyright © Regenstrief Institute, Inc. "
    "and the Logical Observation Identifiers Names and Codes (LOINC) Committee and is available at no cost under the "
    "license at http://loinc.org/license. LOINC® is a registered United States trademark of Regenstrief Institute, Inc.";

// RFC 4180 records over lines: a quoted field may run on to the next line.
class CsvReader {
 public:
  explicit CsvReader(LineReader& lines) : lines_(lines) {}

  // The next record's fields (blank lines are skipped); false at the end.
  bool next(std::vector<std::string>& fields) {
    std::string_view line;
    do {
      if (!lines_.next(line)) return false;
    } while (line.empty());
    start_ = lines_.number();
    fields.assign(1, std::string());
    enum class State { field_start, unquoted, quoted, after_quote } state = State::field_start;
    for (;;) {
      for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        switch (state) {
          case State::field_start:
            if (c == '"') state = State::quoted;
            else if (c == ',') fields.emplace_back();
            else fields.back().push_back(c), state = State::unquoted;
            break;
          case State::unquoted:
            if (c == ',') fields.emplace_back(), state = State::field_start;
            else if (c == '"') fail_at(i, "a quote inside an unquoted field");
            else fields.back().push_back(c);
            break;
          case State::quoted:
            if (c != '"') fields.back().push_back(c);
            else if (i + 1 < line.size() && line[i + 1] == '"') fields.back().push_back('"'), ++i;
            else state = State::after_quote;
            break;
          case State::after_quote:
            if (c != ',') fail_at(i, "a closing quote must be followed by a comma or the end of the line");
            fields.emplace_back();
            state = State::field_start;
            break;
        }
      }
      if (state != State::quoted) return true;
      if (!lines_.next(line)) lines_.file().fail(start_, 0, "unterminated quoted field");
      fields.back().push_back('\n');
    }
  }

  std::size_t line() const { return start_; }   // where the last record began

 private:
  [[noreturn]] void fail_at(std::size_t byte, const std::string& reason) const {
    lines_.file().fail(lines_.number(), byte + 1, reason);
  }
  LineReader& lines_;
  std::size_t start_ = 0;
};

// "2.67" < "2.70" < "2.100": compared number by number ("1.0o" counts as 1.0).
bool older_version(std::string_view a, std::string_view b) {
  const auto numbers = [](std::string_view v) {
    std::vector<long> out;
    for (std::size_t p = 0; p < v.size();) {
      long n = 0;
      const auto [end, error] = std::from_chars(v.data() + p, v.data() + v.size(), n);
      if (error != std::errc()) break;
      out.push_back(n);
      p = static_cast<std::size_t>(end - v.data());
      if (p < v.size() && v[p] != '.') break;
      ++p;
    }
    return out;
  };
  return numbers(a) < numbers(b);
}

}  // namespace

Vocabulary read_loinc_csv(const ImportRequest& request, ImportSummary& summary) {
  SourceFile file(request.files.front());
  LineReader lines(file);
  CsvReader csv(lines);
  std::vector<std::string> fields;
  if (!csv.next(fields)) file.fail(0, 0, "no header row");

  std::unordered_map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < fields.size(); ++i) column.emplace(fields[i], i);
  const auto required = [&](const char* name) {
    const auto it = column.find(name);
    if (it == column.end())
      file.fail(1, 0, std::string("the header has no column ") + name + ": not LOINC's Loinc.csv");
    return it->second;
  };
  const std::size_t num = required("LOINC_NUM"), component = required("COMPONENT"), status = required("STATUS"),
                    class_type = required("CLASSTYPE"), long_name = required("LONG_COMMON_NAME"),
                    units = required("EXAMPLE_UCUM_UNITS");
  const auto changed = column.find("VersionLastChanged");
  const std::size_t width = fields.size();

  Vocabulary v;
  v.origin = file.name();
  v.analytes = true;
  std::string newest;
  std::unordered_map<std::string, std::size_t> seen;
  while (csv.next(fields)) {
    if (fields.size() != width)
      file.fail(csv.line(), 0, "expected " + std::to_string(width) + " fields, got " + std::to_string(fields.size()));
    const std::string& code = fields[num];
    if (!loinc_check_valid(code))
      file.fail(csv.line(), 0, "LOINC code \"" + code + "\" is malformed or fails its mod-10 check digit");
    if (const auto [it, fresh] = seen.emplace(code, csv.line()); !fresh)
      file.fail(csv.line(), 0, code + " is listed twice (first at line " + std::to_string(it->second) + ")");
    if (changed != column.end() && older_version(newest, fields[changed->second])) newest = fields[changed->second];

    if (fields[status] == "DEPRECATED") {
      ++summary.dropped_obsolete;
      continue;
    }
    if (fields[status] != "ACTIVE") {
      ++summary.dropped_concepts["status " + fields[status]];
      continue;
    }
    if (fields[class_type] != "1") {
      ++summary.dropped_concepts["class type " + fields[class_type] + " (not laboratory)"];
      continue;
    }
    ImportedConcept c;
    c.code = code;
    c.id = *make_concept_id("loinc", code);
    c.display = fields[long_name];
    c.add_term(fields[long_name], TermScope::exact);
    c.add_term(fields[component], TermScope::exact);
    c.codes.push_back({std::string(kLoincSystem), code, fields[long_name], {}});
    std::string unit = fields[units].substr(0, fields[units].find(';'));
    unit.erase(0, unit.find_first_not_of(' '));
    unit.erase(unit.find_last_not_of(' ') + 1);
    c.unit = unit.empty() ? "1" : unit;
    v.concepts.push_back(std::move(c));
  }

  v.source.id = "loinc";
  v.source.name = "LOINC";
  v.source.version = !request.version.empty() ? request.version : newest;
  v.source.licence = "LOINC licence (https://loinc.org/license/)";
  v.source.url = "http://loinc.org";
  v.source.attribution = std::string(kLoincNotice);
  if (request.version.empty() && !newest.empty())
    summary.notes.push_back("version " + newest + " is the newest VersionLastChanged in the file");
  return v;
}

}  // namespace casefhir::mapping::importers
