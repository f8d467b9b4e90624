// readers/case_series.cpp — several patients in one report: each case's section read as the report
// of its own patient.
//
// A case is a section whose heading names it ("Case 1", "Case 2:", "Patient 3", "Case report 2",
// "The second case"). With two or more, each case runs from its heading to the next case's, or to
// the first section after it that is about the series rather than a patient (an introduction, a
// discussion, a conclusion, the references). Each case is read by the text pipeline on the whole
// text with everything outside the case blanked out, byte for byte, so every offset still points
// into the document the Bundle holds, and the patient's age and sex are the case's own.
#include <algorithm>
#include <cctype>

#include "readers/reader.h"

namespace casefhir::readers {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_ordinal_word(std::string_view w) {
  for (const char* o : {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})
    if (w == o) return true;
  return false;
}

bool is_number_word(std::string_view w) {
  if (w.empty()) return false;
  if (std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) return true;
  if (w.find_first_not_of("ivx") == std::string_view::npos && w.size() <= 4) return true;
  for (const char* n : {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
    if (w == n) return true;
  return false;
}

// Whether a heading names one case of a series.
bool names_a_case(const std::string& heading) {
  std::string h = lower(heading);
  while (!h.empty() && (h.back() == ':' || h.back() == '.' || h.back() == ' ')) h.pop_back();
  std::vector<std::string> words;
  for (std::size_t p = 0; p < h.size();) {
    const std::size_t e = h.find(' ', p);
    std::string w = h.substr(p, e == std::string::npos ? std::string::npos : e - p);
    if (!w.empty()) words.push_back(w);
    if (e == std::string::npos) break;
    p = e + 1;
  }
  if (words.size() >= 2 && words.size() <= 4 && words.front() == "the") words.erase(words.begin());
  if (words.size() == 2 && is_ordinal_word(words[0]) && (words[1] == "case" || words[1] == "patient")) return true;
  if (words.empty() || (words[0] != "case" && words[0] != "patient")) return false;
  std::size_t i = 1;
  if (i < words.size() && (words[i] == "report" || words[i] == "presentation" || words[i] == "description")) ++i;
  if (i < words.size() && (words[i] == "no" || words[i] == "no." || words[i] == "#")) ++i;
  return i + 1 == words.size() && is_number_word(words[i]);
}

// Roles that are about the series, not one of its patients.
bool ends_a_case(const std::string& role) {
  return role == "introduction" || role == "discussion" || role == "conclusion" || role == "references" ||
         role == "back-matter" || role == "abstract" || role == "title" || role == "keywords";
}

}  // namespace

std::vector<CaseFacts> split_case_series(const SourceDocument& doc, const Mappings& mappings) {
  std::vector<std::size_t> starts;   // indices into doc.sections of the case headings
  for (std::size_t i = 0; i < doc.sections.size(); ++i)
    if (!doc.sections[i].heading.empty() && names_a_case(doc.sections[i].heading)) starts.push_back(i);
  if (starts.size() < 2) return {};
  std::vector<CaseFacts> cases;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const Section& first = doc.sections[starts[k]];
    const std::uint32_t begin = first.heading_span.begin;
    std::uint32_t end = static_cast<std::uint32_t>(doc.text.size());
    const std::size_t next = k + 1 < starts.size() ? starts[k + 1] : doc.sections.size();
    for (std::size_t i = starts[k] + 1; i < doc.sections.size(); ++i) {
      if (i == next || ends_a_case(doc.sections[i].role)) {
        end = doc.sections[i].heading.empty() ? doc.sections[i].body.begin : doc.sections[i].heading_span.begin;
        break;
      }
    }
    SourceDocument one = doc;
    for (std::size_t b = 0; b < one.text.size(); ++b)
      if ((b < begin || b >= end) && one.text[b] != '\n') one.text[b] = ' ';
    CaseFacts facts = extract_facts(one, mappings);
    facts.case_id = "case-" + std::to_string(k + 1);
    cases.push_back(std::move(facts));
  }
  return cases;
}

}  // namespace casefhir::readers
