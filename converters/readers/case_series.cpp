// readers/case_series.cpp — several patients in one report: each case's section read as the report
// of its own patient.
//
// A case is a section whose heading names it ("Case 1", "Case 2:", "Patient 3", "Case report 2",
// "The second case"). With two or more, each case runs from its heading to the next case's, or to
// the first section after it that is about the series rather than a patient (an introduction, a
// discussion, a conclusion, the references). Without such headings, a sentence of a case section
// that opens with a case's number and says who the patient is ("The second patient, a 45-year-old
// woman, …") opens that case, and the first case opens with the first sentence before it that
// introduces a patient ("A 62-year-old man presented …"). Each case is read by the text pipeline on the whole
// text with everything outside the case blanked out, byte for byte, so every offset still points
// into the document the Bundle holds, and the patient's age and sex are the case's own.
#include <algorithm>
#include <cctype>

#include "readers/reader.h"
#include "nlp/tokens.h"

namespace casefhir::readers {

namespace {

// 2 for "second"; 0 for a word that is not an ordinal up to "tenth".
int ordinal_of(std::string_view w) {
  static const char* const ordinals[] = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"};
  for (int i = 0; i < 10; ++i)
    if (w == ordinals[i]) return i + 1;
  return 0;
}

// 2 for "2", "ii" or "two"; 0 for a word that is not a number up to 99 (Roman and words: to ten).
int number_of(std::string_view w) {
  static const char* const cardinals[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
  static const char* const romans[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"};
  for (int i = 0; i < 10; ++i)
    if (w == cardinals[i] || w == romans[i]) return i + 1;
  if (!w.empty() && w.size() <= 2 && std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return std::stoi(std::string(w));
  return 0;
}

// Whether a heading names one case of a series.
bool names_a_case(const std::string& heading) {
  std::string h = nlp::ascii_lower(heading);
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
  if (words.size() == 2 && ordinal_of(words[0]) > 0 && (words[1] == "case" || words[1] == "patient")) return true;
  if (words.empty() || (words[0] != "case" && words[0] != "patient")) return false;
  std::size_t i = 1;
  if (i < words.size() && (words[i] == "report" || words[i] == "presentation" || words[i] == "description")) ++i;
  if (i < words.size() && (words[i] == "no" || words[i] == "no." || words[i] == "#")) ++i;
  return i + 1 == words.size() && number_of(words[i]) > 0;
}

// Roles that are about the series, not one of its patients.
bool ends_a_case(const std::string& role) {
  return role == "introduction" || role == "discussion" || role == "conclusion" || role == "references" ||
         role == "back-matter" || role == "abstract" || role == "title" || role == "keywords";
}

// Where each case of a series runs: [begin, end) byte offsets.
struct CaseRange {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

std::uint32_t section_start(const Section& s) { return s.heading.empty() ? s.body.begin : s.heading_span.begin; }

// Cases under headings of their own ("Case 1", "Patient 2"); fewer than two: none.
std::vector<CaseRange> headed_cases(const SourceDocument& doc) {
  std::vector<std::size_t> starts;   // indices into doc.sections of the case headings
  for (std::size_t i = 0; i < doc.sections.size(); ++i)
    if (!doc.sections[i].heading.empty() && names_a_case(doc.sections[i].heading)) starts.push_back(i);
  if (starts.size() < 2) return {};
  std::vector<CaseRange> out;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    CaseRange r{doc.sections[starts[k]].heading_span.begin, static_cast<std::uint32_t>(doc.text.size())};
    const std::size_t next = k + 1 < starts.size() ? starts[k + 1] : doc.sections.size();
    for (std::size_t i = starts[k] + 1; i < doc.sections.size(); ++i)
      if (i == next || ends_a_case(doc.sections[i].role)) {
        r.end = section_start(doc.sections[i]);
        break;
      }
    out.push_back(r);
  }
  return out;
}

// ---- Cases told apart in prose: "The second patient, a 45-year-old woman, …" ----

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The next word of `t` at or after `p` (letters, digits, '.', '#'), lower-cased; p moves past it.
std::string next_word(std::string_view t, std::size_t& p) {
  while (p < t.size() && (t[p] == ' ' || t[p] == '\t')) ++p;
  const std::size_t b = p;
  while (p < t.size() && (is_letter(t[p]) || std::isdigit(static_cast<unsigned char>(t[p])) || t[p] == '#')) ++p;
  return nlp::ascii_lower(t.substr(b, p - b));
}

// The end of the sentence that starts at p (its full stop, or the end of the paragraph).
std::size_t sentence_end(std::string_view t, std::size_t p) {
  for (std::size_t i = p; i < t.size(); ++i) {
    if (t[i] == '\n' && i + 1 < t.size() && t[i + 1] == '\n') return i;
    if ((t[i] == '.' || t[i] == '?' || t[i] == '!') && (i + 1 == t.size() || t[i + 1] == ' ' || t[i + 1] == '\n') &&
        !(i >= 1 && std::isdigit(static_cast<unsigned char>(t[i - 1])) && i + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[i + 1]))))
      return i + 1;
  }
  return t.size();
}

// Whether a sentence introduces a patient: it gives an age ("45-year-old", "aged 3 years",
// "8-month-old") or names the patient by sex ("a woman", "a boy").
bool introduces_a_patient(std::string_view sentence) {
  const std::string s = " " + nlp::ascii_lower(sentence) + " ";
  for (const char* cue : {"year-old", "year old", "years old", "month-old", "months old", "week-old", "day-old", "aged ", " age of ",
                          " man ", " man,", " woman", " boy", " girl", " male", " female", " gentleman", " lady", " infant", " neonate",
                          " newborn", " child "})
    if (s.find(cue) != std::string::npos) return true;
  return false;
}

// A patient's number when a sentence at p opens with one ("The second patient", "A third case",
// "Patient 2 was", "Case II:"), and goes on to say who the patient is; 0 otherwise.
int case_number_opening(std::string_view t, std::size_t p) {
  if (p >= t.size() || !(t[p] >= 'A' && t[p] <= 'Z')) return 0;
  std::size_t q = p;
  std::string w = next_word(t, q);
  if (w == "the" || w == "a" || w == "our") w = next_word(t, q);
  int n = 0;
  if (const int ord = ordinal_of(w); ord > 0) {   // "second patient", "third case"
    const std::string noun = next_word(t, q);
    if (noun != "patient" && noun != "case") return 0;
    n = ord;
  } else if (w == "patient" || w == "case") {
    std::string num = next_word(t, q);
    if (num == "no" || num == "#") num = next_word(t, q);
    n = number_of(num);
  }
  if (n <= 0) return 0;
  // What follows the noun: an apposition or a verb that describes the patient, not "of our series".
  std::size_t r = q;
  while (r < t.size() && (t[r] == ' ' || t[r] == '.')) ++r;
  if (r < t.size() && std::string_view(",:;(").find(t[r]) == std::string_view::npos) {
    std::size_t s = r;
    const std::string verb = next_word(t, s);
    static const char* const describing[] = {"was", "is", "involved", "involves", "presented", "concerned", "concerns", "had", "has", "a", "an"};
    if (std::none_of(std::begin(describing), std::end(describing), [&](const char* v) { return verb == v; })) return 0;
  }
  return introduces_a_patient(t.substr(p, sentence_end(t, p) - p)) ? n : 0;
}

// Where sentences start: the start of a line, or after a full stop and a space.
std::vector<std::uint32_t> sentence_starts(std::string_view t, std::uint32_t begin, std::uint32_t end) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = begin; i < end; ++i) {
    const bool line_start = i == 0 || t[i - 1] == '\n';
    const bool after_stop = i >= 2 && t[i - 1] == ' ' && (t[i - 2] == '.' || t[i - 2] == '?' || t[i - 2] == '!');
    if ((line_start || after_stop) && t[i] != ' ' && t[i] != '\n') out.push_back(i);
  }
  return out;
}

std::vector<CaseRange> prose_cases(const SourceDocument& doc) {
  const std::string_view t = doc.text;
  // The stretches that may hold patients: every section but the series' own (introduction,
  // discussion …). A text without sections is one such stretch.
  std::vector<CaseRange> stretches;
  if (doc.sections.empty()) stretches.push_back({0, static_cast<std::uint32_t>(t.size())});
  for (std::size_t i = 0; i < doc.sections.size(); ++i) {
    if (ends_a_case(doc.sections[i].role)) continue;
    const std::uint32_t b = i == 0 ? 0 : section_start(doc.sections[i]);
    const std::uint32_t e = i + 1 < doc.sections.size() ? section_start(doc.sections[i + 1]) : static_cast<std::uint32_t>(t.size());
    if (!stretches.empty() && stretches.back().end == b) stretches.back().end = e;   // neighbouring: one stretch
    else stretches.push_back({b, e});
  }
  for (const CaseRange& stretch : stretches) {
    std::vector<std::uint32_t> opening(12, UINT32_MAX);   // by case number: where its first mention opens
    const std::vector<std::uint32_t> starts = sentence_starts(t, stretch.begin, stretch.end);
    for (std::uint32_t s : starts)
      if (const int n = case_number_opening(t, s); n > 0 && n <= 10 && opening[static_cast<std::size_t>(n)] == UINT32_MAX)
        opening[static_cast<std::size_t>(n)] = s;
    if (opening[2] == UINT32_MAX) continue;
    // The first case opens where it says so, or with the first sentence before the second that
    // introduces a patient ("A 62-year-old man presented …").
    if (opening[1] == UINT32_MAX || opening[1] > opening[2])
      for (std::uint32_t s : starts) {
        if (s >= opening[2]) break;
        if (introduces_a_patient(t.substr(s, sentence_end(t, s) - s))) {
          opening[1] = s;
          break;
        }
      }
    if (opening[1] == UINT32_MAX) continue;
    std::vector<CaseRange> out;
    for (std::size_t n = 1; n <= 10 && opening[n] != UINT32_MAX && (out.empty() || opening[n] > out.back().begin); ++n)
      out.push_back({opening[n], stretch.end});
    for (std::size_t k = 0; k + 1 < out.size(); ++k) out[k].end = out[k + 1].begin;
    return out;
  }
  return {};
}

}  // namespace

std::vector<CaseFacts> split_case_series(const SourceDocument& doc, const Mappings& mappings) {
  std::vector<CaseRange> ranges = headed_cases(doc);
  if (ranges.empty()) ranges = prose_cases(doc);
  std::vector<CaseFacts> cases;
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    SourceDocument one = doc;
    for (std::size_t b = 0; b < one.text.size(); ++b)
      if ((b < ranges[k].begin || b >= ranges[k].end) && one.text[b] != '\n') one.text[b] = ' ';
    CaseFacts facts = extract_facts(one, mappings);
    facts.case_id = "case-" + std::to_string(k + 1);
    cases.push_back(std::move(facts));
  }
  return cases;
}

}  // namespace casefhir::readers
