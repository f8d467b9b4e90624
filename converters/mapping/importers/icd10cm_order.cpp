// mapping/importers/icd10cm_order.cpp — the CDC's ICD-10-CM order file (icd10cm_order_YYYY.txt),
// read line by line. Fixed width, 1-based columns: 1–5 order number, 7–13 the code without its dot
// (space-padded), 15 the flag (1: valid for HIPAA-covered transactions, a billable leaf; 0: a
// header), 17–76 the short title (padded), 78 to the end the long title. Every code is a concept,
// 7th-character codes included, as the file lists them; the long title is its label.
//
// The version is not in the file: it is the request's, or else the four-digit year in the file
// name ("icd10cm-order-Jan-2021.txt", "icd10cm_order_2026.txt"), which is the fiscal year of the
// CDC's releases.
#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/importers/formats.h"
#include "mapping/importers/icd10cm_chapters.h"
#include "mapping/importers/source_file.h"

namespace casefhir::mapping::importers {

namespace {

std::string_view right_trimmed(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::set<std::string> words_of(std::string_view s) {
  std::set<std::string> words;
  std::string w;
  for (char c : s) {
    if (is_alnum(c)) {
      w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!w.empty()) {
      words.insert(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.insert(std::move(w));
  return words;
}

// The short title is a synonym when it is a shortening of the long title by leaving words out
// ("Foodborne Clostridium perfringens intoxication"), not by abbreviating them ("Oth", "unsp",
// "w/o", "skin/ eyelid"): every word and every punctuation mark of it occurs in the long title.
bool reads_as_words(std::string_view short_title, std::string_view long_title) {
  const auto long_words = words_of(long_title);
  for (const auto& w : words_of(short_title))
    if (!long_words.count(w)) return false;
  for (char c : short_title)
    if (!is_alnum(c) && c != ' ' && long_title.find(c) == std::string_view::npos) return false;
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The first four-digit year (19xx or 20xx) in a file name.
std::string year_in(const std::string& name) {
  for (std::size_t i = 0; i + 4 <= name.size(); ++i) {
    const bool digits = is_digit(name[i]) && is_digit(name[i + 1]) && is_digit(name[i + 2]) && is_digit(name[i + 3]);
    const bool alone = (i == 0 || !is_digit(name[i - 1])) && (i + 4 == name.size() || !is_digit(name[i + 4]));
    if (digits && alone && (name.compare(i, 2, "19") == 0 || name.compare(i, 2, "20") == 0)) return name.substr(i, 4);
  }
  return {};
}

}  // namespace

Vocabulary read_icd10cm_order(const ImportRequest& request, ImportSummary& summary) {
  SourceFile file(request.files.front());
  LineReader lines(file);
  Vocabulary v;
  v.origin = file.name();
  std::unordered_map<std::string, std::size_t> seen;   // code → line
  std::size_t billable = 0, headers = 0;

  for (std::string_view line; lines.next(line);) {
    if (right_trimmed(line).empty()) continue;
    const auto fail = [&](std::size_t column, const std::string& reason) { file.fail(lines.number(), column, reason); };
    if (line.size() < 78)
      fail(0, "an order-file line has the long title from column 78; this line has " + std::to_string(line.size()) +
                  " characters: not an ICD-10-CM order file");
    if (!std::all_of(line.begin(), line.begin() + 5, is_digit))
      fail(1, "columns 1-5 must be the order number");
    for (std::size_t blank : {6u, 14u, 16u, 77u})
      if (line[blank - 1] != ' ') fail(blank, "column " + std::to_string(blank) + " must be blank");
    const std::string_view raw = right_trimmed(line.substr(6, 7));
    if (raw.size() < 3 || !std::all_of(raw.begin(), raw.end(), [](char c) { return (c >= 'A' && c <= 'Z') || is_digit(c); }))
      fail(7, "columns 7-13 must hold an ICD-10-CM code without its dot");
    std::string code(raw);
    if (code.size() > 3) code.insert(3, ".");
    if (!icd10cm_format_valid(code)) fail(7, "\"" + std::string(raw) + "\" is not an ICD-10-CM code");
    const char flag = line[14];
    if (flag != '0' && flag != '1') fail(15, "column 15 must be 1 (billable) or 0 (header)");
    if (const auto [it, fresh] = seen.emplace(code, lines.number()); !fresh)
      fail(7, code + " is listed twice (first at line " + std::to_string(it->second) + ")");
    const std::string_view short_title = right_trimmed(line.substr(16, 60));
    const std::string_view long_title = right_trimmed(line.substr(77));
    if (long_title.empty()) fail(78, "the long title is empty");

    if (flag == '1') ++billable;
    else ++headers;
    if (request.billable_only && flag == '0') {
      ++summary.dropped_concepts["header, not billable"];
      continue;
    }
    const int chapter = icd10cm_chapter_of(code);
    const std::string_view kind = icd10cm_chapter_kind(chapter);
    if (kind.empty()) {
      ++summary.dropped_concepts["chapter " + std::to_string(chapter)];
      continue;
    }
    ImportedConcept c;
    c.code = code;
    c.id = *make_concept_id("icd10cm", code);
    c.kind = std::string(kind);
    c.display = std::string(long_title);
    c.add_term(long_title, TermScope::exact);
    if (term_key(short_title) != term_key(long_title) && reads_as_words(short_title, long_title))
      c.add_term(short_title, TermScope::exact);
    c.codes.push_back({std::string(kIcd10cmSystem), code, std::string(long_title), {}});
    v.concepts.push_back(std::move(c));
  }
  if (seen.empty()) file.fail(0, 0, "no code lines: not an ICD-10-CM order file");

  std::string version = request.version;
  if (version.empty()) {
    version = year_in(request.files.front().filename().string());
    if (version.empty())
      summary.notes.push_back("no version: the file name has no four-digit year and none was given");
  }
  v.source = icd10cm_source(version);
  summary.notes.push_back(std::to_string(billable) + " billable codes and " + std::to_string(headers) + " headers read");
  return v;
}

}  // namespace casefhir::mapping::importers
