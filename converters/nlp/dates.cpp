// nlp/dates.cpp — find_dates: the calendar dates a report writes, and the facts they date.
//
//   "presented on 12 March 2024 with dark urine"   every current finding, disorder, test and
//   "In June 2003, he became ill with fever"       procedure of the sentence is of that date
//   "a history of cholecystitis in 2015"           a date right after a mention dates it alone (its
//                                                  onset, for a disorder)
//   "the tumor resected in 2011"                   elsewhere, a date dates the mention a few words
//                                                  before it, and nothing else
//   "2021-05-03", "March 12, 2024", "June 2023"    the precision written is kept ("2023-06")
//
// Only dates with a year: FHIR's dateTime has no form without one. A date's sentence is the limit
// of what it dates.
//
// Times relative to the stay or to a procedure are read the same way and date the same facts:
//   "On day 5, creatinine had fallen to …"          5 days after the start of the stay
//   "At follow-up two weeks later, …"               2 weeks after its end
//   "two weeks later", "After eight weeks, …"       after the last time point given, in days when
//                                                   the sum can be written so, else not at all
//   "3 days after the surgery", "on postoperative day 2"   after that procedure
#include <algorithm>
#include <array>
#include <charconv>
#include <span>

#include "nlp/reading.h"
#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

// English month names and their usual abbreviations, by month number. "May" is also a modal verb,
// so a month is only read capitalised and with a year after it (and a day before it or after it).
constexpr std::array<std::pair<std::string_view, int>, 24> kMonths = {{
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6}, {"july", 7},
    {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
    {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7}, {"aug", 8}, {"sep", 9}, {"sept", 9},
    {"oct", 10}, {"nov", 11}, {"dec", 12},
}};

int month_at(const TextReader& r, std::uint32_t i) {
  if (!r.word(i) || !r.a.tokens[i].is(kCapitalized)) return 0;
  for (const auto& [name, number] : kMonths)
    if (r.word_is(i, name)) return number;
  return 0;
}

// A whole number of `digits` digits (any count when 0) at token i, else -1.
int integer_at(const TextReader& r, std::uint32_t i, std::size_t digits = 0) {
  if (!r.number(i)) return -1;
  const std::string_view t = r.text(i);
  if (digits != 0 && t.size() != digits) return -1;
  int value = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  return ec == std::errc() && end == t.data() + t.size() ? value : -1;
}

int year_at(const TextReader& r, std::uint32_t i) {
  const int y = integer_at(r, i, 4);
  return y >= 1900 && y <= 2100 ? y : -1;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid_day(int y, int m, int d) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d >= 1 && d <= kDays[static_cast<std::size_t>(m - 1)] + (m == 2 && leap(y) ? 1 : 0);
}

// Tokens i and j touch ("2021-05", "12th").
bool touching(const TextReader& r, std::uint32_t i, std::uint32_t j) {
  return j < r.a.tokens.size() && r.a.tokens[i].span.end == r.a.tokens[j].span.begin;
}

// A day number, with an ordinal suffix written against it ("12th"): advances i past it.
int day_at(const TextReader& r, std::uint32_t& i) {
  const int d = integer_at(r, i);
  if (d < 1 || d > 31 || r.text(i).size() > 2) return -1;
  ++i;
  if (touching(r, i - 1, i) && r.word_in(i, {"st", "nd", "rd", "th"})) ++i;
  return d;
}

std::string iso(int y, int m = 0, int d = 0) {
  char out[11];
  if (d) std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
  else if (m) std::snprintf(out, sizeof out, "%04d-%02d", y, m);
  else std::snprintf(out, sizeof out, "%04d", y);
  return out;
}

// A date starting at token i (before `limit`): sets the ISO form and returns the index after it,
// or i when none starts there. A day that its month does not have ("31 February 2021") is no date,
// and nothing inside it is read as one: the index after it is returned with `out` left empty.
std::uint32_t date_at(const TextReader& r, std::uint32_t i, std::uint32_t limit, std::string& out) {
  // 2021-05-03
  if (const int y = year_at(r, i); y > 0 && i + 4 < limit && r.punct_is(i + 1, '-') && touching(r, i, i + 1) &&
                                     touching(r, i + 1, i + 2) && r.punct_is(i + 3, '-') && touching(r, i + 2, i + 3) &&
                                     touching(r, i + 3, i + 4)) {
    const int m = integer_at(r, i + 2, 2), d = integer_at(r, i + 4, 2);
    if (m >= 1 && m <= 12 && valid_day(y, m, d)) { out = iso(y, m, d); return i + 5; }
  }
  // 12 March 2024, 12th of March 2024
  std::uint32_t j = i;
  if (const int d = day_at(r, j); d > 0) {
    if (r.word_is(j, "of")) ++j;
    const int m = month_at(r, j);
    const int y = j + 1 < limit ? year_at(r, j + 1) : -1;
    if (m > 0 && y > 0) {
      if (valid_day(y, m, d)) out = iso(y, m, d);
      return j + 2;
    }
    return i;
  }
  // March 12, 2024; March 2024
  if (const int m = month_at(r, i); m > 0) {
    j = i + 1;
    if (const int y = j < limit ? year_at(r, j) : -1; y > 0) { out = iso(y, m); return j + 1; }
    const int d = day_at(r, j);
    if (d < 0) return i;
    if (r.punct_is(j, ',')) ++j;
    if (const int y = j < limit ? year_at(r, j) : -1; y > 0) {
      if (valid_day(y, m, d)) out = iso(y, m, d);
      return j + 1;
    }
    return i;
  }
  // in 2015 (a bare year only after "in" or "during", and not counting something: "in 2015 patients")
  if (r.word_in(i, {"in", "during"}) && i + 1 < limit) {
    if (const int y = year_at(r, i + 1); y > 0 && (i + 2 >= limit || !r.word(i + 2) || !r.a.tokens[i + 2].is(kCapitalized))) {
      const bool counts = i + 2 < limit && r.word(i + 2) &&
                          !r.word_in(i + 2, {"and", "or", "but", "when", "with", "at", "after", "before", "while", "where",
                                             "which", "he", "she", "they", "the", "a", "an", "for", "due", "because"});
      if (!counts) { out = iso(y); return i + 2; }
    }
  }
  return i;
}

bool dated_kind(ConceptKind k) {
  return k == ConceptKind::finding || k == ConceptKind::disorder || k == ConceptKind::procedure || k == ConceptKind::lab;
}

// The mention of a dated kind whose last word is at most `words` words before `before`, with no
// punctuation between but brackets ("surgery in January 2009", "the primary tumor resected in 2011").
std::uint32_t mention_before(const TextReader& r, std::uint32_t first, std::uint32_t last, std::uint32_t before,
                             std::uint32_t words) {
  for (std::uint32_t k = last; k-- > first;) {
    const Mention& m = r.a.mentions[k];
    if (m.token_end > before) continue;
    for (std::uint32_t i = m.token_end; i < before; ++i)
      if (r.a.tokens[i].is(kPunct) && !r.punct_is(i, '(') && !r.punct_is(i, ')')) return kNone;
    std::uint32_t n = 0;
    for (std::uint32_t i = m.token_end; i < before; ++i) n += r.word(i) ? 1u : 0u;
    if (n > words) return kNone;
    return dated_kind(r.m.concept_at(m.concept_index).kind()) ? k : kNone;
  }
  return kNone;
}

// A date dates its whole sentence when the sentence opens with it ("In June 2003, this man became
// ill with fever, …") or when it says when the patient came ("was admitted in November 2008 with
// splenomegaly", "presented on 3 May 2021 with"). Elsewhere it dates only what it follows: in
// "Biopsies revealed a LCNEC like the primary tumor resected in 2011", 2011 is not the biopsies'.
bool dates_the_sentence(const TextReader& r, const Sentence& sentence, std::uint32_t begin) {
  std::uint32_t i = sentence.token_begin;
  if (r.word_in(i, {"in", "on", "during", "by", "at"})) ++i;
  if (r.word_in(i, {"early", "mid", "late", "the"})) ++i;
  if (i + 1 < sentence.token_end && r.word_is(i, "beginning") && r.word_is(i + 1, "of")) i += 2;
  if (i >= begin) return true;
  // The verbs of coming to care, a few words before the date.
  for (std::uint32_t j = begin, n = 0; j-- > sentence.token_begin && n < 6;) {
    if (!r.word(j)) continue;
    ++n;
    if (r.word_in(j, {"presented", "admitted", "readmitted", "referred", "transferred", "hospitalized", "hospitalised",
                      "visited", "attended", "consulted", "seen", "evaluated", "came", "brought"}))
      return true;
  }
  return false;
}

// ---- relative times ----------------------------------------------------------------------------

// A count at token i: digits ("5") or a word ("two", "a"); advances i past it.
std::optional<Quantity> count_at(const TextReader& r, std::uint32_t& i) {
  static constexpr std::array<std::string_view, 13> kWords = {"zero", "one", "two", "three", "four", "five", "six",
                                                                "seven", "eight", "nine", "ten", "eleven", "twelve"};
  Quantity q;
  if (r.number(i)) {
    if (!parse_number(r.text(i), q.value, q.value_text)) return std::nullopt;
    ++i;
    return q;
  }
  for (std::size_t n = 1; n < kWords.size(); ++n)
    if (r.word_is(i, kWords[n])) {
      q.value = static_cast<double>(n);
      q.value_text = std::to_string(n);
      ++i;
      return q;
    }
  if (r.word_in(i, {"a", "an"})) {
    q.value = 1;
    q.value_text = "1";
    ++i;
    return q;
  }
  return std::nullopt;
}

// "5 days", "two weeks", "a month": a duration at token i; advances i past it.
std::optional<Quantity> duration_at(const TextReader& r, std::uint32_t& i, std::uint32_t limit) {
  std::uint32_t j = i;
  std::optional<Quantity> q = count_at(r, j);
  if (!q) return std::nullopt;
  std::string unit, written;
  const std::uint32_t end = match_unit(r, j, limit, unit, written);
  if (end == j || !(unit == "d" || unit == "wk" || unit == "mo" || unit == "a" || unit == "h")) return std::nullopt;
  q->unit = unit;
  q->unit_text = written;
  i = end;
  return q;
}

// The procedure mention that starts at token i, after a determiner or a possessive.
std::uint32_t procedure_at(const TextReader& r, std::uint32_t first, std::uint32_t last, std::uint32_t i) {
  if (r.word_in(i, {"the", "a", "an", "his", "her", "their", "this"})) ++i;
  for (std::uint32_t k = first; k < last; ++k) {
    const Mention& m = r.a.mentions[k];
    if (m.token_begin == i) return r.m.concept_at(m.concept_index).kind() == ConceptKind::procedure ? k : kNone;
  }
  return kNone;
}

// A relative time starting at token i (before `limit`): returns the index after it (i when none).
// Written relative to the stay or a procedure; "later" and "after N days" count from the last time
// point the report gave (`last`), or from the start of the stay.
std::uint32_t relative_time_at(const TextReader& r, std::uint32_t i, std::uint32_t limit, std::uint32_t first,
                               std::uint32_t last, const RelativeTimeMention* previous, bool after_a_date,
                               RelativeTimeMention& out) {
  using Anchor = RelativeTime::Anchor;
  auto days = [](const Quantity& q) -> std::optional<double> {
    if (q.unit == "d") return q.value;
    if (q.unit == "wk") return q.value * 7;
    return std::nullopt;
  };
  // What "later" counts from: the last time point, when the sum can be written in days.
  // Not written when the last time point is a calendar date (the sum would be a date this stage
  // does not compute) or a time with no offset ("at follow-up … two weeks later": after what?).
  auto later = [&](Quantity q) {
    if (after_a_date || (previous && !previous->offset)) return false;
    out.anchor = previous ? previous->anchor : Anchor::stay_start;
    out.procedure_mention = previous ? previous->procedure_mention : kNone;
    if (!previous) { out.offset = q; return true; }
    const auto a = days(*previous->offset), b = days(q);
    if (!a || !b) return false;
    Quantity sum;
    sum.value = *a + *b;
    sum.value_text = std::to_string(static_cast<long long>(sum.value));
    if (sum.value != static_cast<double>(static_cast<long long>(sum.value))) return false;
    sum.unit = "d";
    sum.unit_text = "days";
    out.offset = sum;
    return true;
  };
  std::uint32_t j = i;
  // on [hospital | postoperative] day N
  if (r.word_in(j, {"on", "by"})) {
    std::uint32_t k = j + 1;
    bool after_surgery = false;
    if (r.word_in(k, {"hospital", "admission"})) ++k;
    else if (r.word_in(k, {"postoperative", "post-operative"})) { ++k; after_surgery = true; }
    if (r.word_is(k, "day")) {
      std::uint32_t n = k + 1;
      if (std::optional<Quantity> q = count_at(r, n)) {
        q->unit = "d";
        q->unit_text = "days";
        out.offset = q;
        // "day 12 of illness" counts from the illness, "day 3 of admission" from the stay.
        if (r.word_is(n, "of")) {
          if (!r.word_in(n + 1, {"admission", "hospitalization", "hospitalisation", "hospital", "stay"})) return i;
          n += r.word_is(n + 1, "hospital") && r.word_is(n + 2, "stay") ? 3u : 2u;
        }
        // "day 120 post-transplantation", "day 3 after initiating chemotherapy": counted from
        // something else; from a procedure the sentence names right there, else not written.
        if (r.word_in(n, {"after", "following", "post", "since"})) {
          std::uint32_t what = n + 1;
          if (r.punct_is(what, '-')) ++what;
          const std::uint32_t proc = procedure_at(r, first, last, what);
          if (proc == kNone) return i;
          out.anchor = Anchor::procedure;
          out.procedure_mention = proc;
          return r.a.mentions[proc].token_end;
        }
        if (after_surgery) {
          // the last procedure named before this point
          std::uint32_t proc = kNone;
          for (std::uint32_t m = 0; m < r.a.mentions.size() && r.a.mentions[m].token_end <= i; ++m)
            if (r.m.concept_at(r.a.mentions[m].concept_index).kind() == ConceptKind::procedure &&
                r.a.mentions[m].assertion == Assertion::present && r.a.mentions[m].experiencer == Experiencer::patient &&
                !r.a.mentions[m].hypothetical)
              proc = m;
          if (proc == kNone) return i;
          out.anchor = Anchor::procedure;
          out.procedure_mention = proc;
        } else {
          out.anchor = Anchor::stay_start;
        }
        return n;
      }
    }
  }
  // at | on | during [the] [N-unit] follow-up [N units later]
  if (r.word_in(j, {"at", "on", "during"})) {
    std::uint32_t k = j + 1;
    if (r.word_is(k, "the")) ++k;
    std::optional<Quantity> before = duration_at(r, k, limit);
    if (before && r.punct_is(k, '-')) ++k;
    if (r.word_is(k, "follow-up") || (r.word_is(k, "follow") && r.punct_is(k + 1, '-') && r.word_is(k + 2, "up")) ||
        (r.word_is(k, "follow") && r.word_is(k + 1, "up"))) {
      k += r.word_is(k, "follow-up") ? 1u : r.punct_is(k + 1, '-') ? 3u : 2u;
      out.anchor = Anchor::stay_end;
      out.offset = before;
      std::uint32_t n = k;
      if (!before)
        if (std::optional<Quantity> q = duration_at(r, n, limit); q && r.word_is(n, "later")) { out.offset = q; k = n + 1; }
      return k;
    }
  }
  // N units later; after N units
  {
    std::uint32_t k = j;
    const bool after = r.word_is(k, "after");
    if (after) ++k;
    if (std::optional<Quantity> q = duration_at(r, k, limit)) {
      if (!after && r.word_is(k, "later")) return later(*q) ? k + 1 : i;
      // N units after admission | discharge | <procedure>
      if (!after && r.word_in(k, {"after", "following"})) {
        const std::uint32_t what = k + 1;
        if (r.word_in(what, {"admission", "presentation", "hospitalization", "hospitalisation"})) {
          out.anchor = Anchor::stay_start;
          out.offset = q;
          return what + 1;
        }
        if (r.word_is(what, "discharge")) {
          out.anchor = Anchor::stay_end;
          out.offset = q;
          return what + 1;
        }
        if (const std::uint32_t proc = procedure_at(r, first, last, what); proc != kNone) {
          out.anchor = Anchor::procedure;
          out.procedure_mention = proc;
          out.offset = q;
          return r.a.mentions[proc].token_end;
        }
        return i;
      }
      if (after && !r.word(k)) return later(*q) ? k : i;   // "After eight weeks, …"
    }
  }
  // after discharge
  if (r.word_is(j, "after") && r.word_is(j + 1, "discharge")) {
    out.anchor = Anchor::stay_end;
    return j + 2;
  }
  return i;
}

// Can a date or a relative time start with this word? Every pattern above starts with a number or
// with one of these; checking them first keeps the stage off most tokens.
bool may_start_a_time(std::string_view word) {
  static constexpr std::array<std::string_view, 38> kStarts = {
      "a", "on", "by", "at", "in", "an", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
      "nov", "dec", "one", "two", "six", "ten", "june", "july", "sept", "four", "five", "nine", "march", "april",
      "after", "three", "seven", "eight", "during", "august", "twelve", "eleven"};
  static constexpr std::array<std::string_view, 6> kLong = {"january", "october", "february", "november", "december", "september"};
  if (word.empty() || word.size() > 9) return false;
  // This test runs on every word of the patient's sentences: first a bit per length and first
  // letter of the words above, which turns most words away without comparing them to any.
  static constexpr auto kFirstLetters = [] {
    std::array<std::uint32_t, 10> by_length{};
    for (const auto& list : {std::span<const std::string_view>(kStarts), std::span<const std::string_view>(kLong)})
      for (const std::string_view w : list) by_length[w.size()] |= 1u << (w[0] - 'a');
    return by_length;
  }();
  const char first = word[0] >= 'A' && word[0] <= 'Z' ? static_cast<char>(word[0] + 32) : word[0];
  if (first < 'a' || first > 'z' || !(kFirstLetters[word.size()] >> (first - 'a') & 1)) return false;
  auto same = [&](std::string_view w) { return TextReader::equal_folded(word, w); };
  return std::any_of(kStarts.begin(), kStarts.end(), same) || std::any_of(kLong.begin(), kLong.end(), same);
}

}  // namespace

void find_dates(const SourceDocument& doc, Annotations& a, const CompiledMappings& m) {
  TextReader r{doc, a, m};
  a.dates.clear();
  a.relative_times.clear();
  bool after_a_date = false;   // the last time point read is a calendar date
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    if (sentence.subject != Subject::patient) continue;
    const auto [first, last] = TextReader::of_sentence(a.mentions, s);
    std::uint32_t sentence_date = kNone, sentence_time = kNone;
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      if (!r.number(i) && !(r.word(i) && may_start_a_time(r.text(i)))) continue;
      DateMention date;
      const std::uint32_t end = date_at(r, i, sentence.token_end, date.iso);
      if (end == i) {
        RelativeTimeMention time;
        const RelativeTimeMention* previous = a.relative_times.empty() ? nullptr : &a.relative_times.back();
        const std::uint32_t time_end = relative_time_at(r, i, sentence.token_end, first, last, previous, after_a_date, time);
        if (time_end == i) continue;
        time.span = Span{a.tokens[i].span.begin, a.tokens[time_end - 1].span.end};
        time.sentence = s;
        time.token_begin = i;
        time.token_end = time_end;
        const auto index = static_cast<std::uint32_t>(a.relative_times.size());
        if (dates_the_sentence(r, sentence, i)) {
          if (sentence_time == kNone) sentence_time = index;
        } else if (const std::uint32_t near = mention_before(r, first, last, i, 4); near != kNone) {
          if (a.mentions[near].relative_time == kNone) a.mentions[near].relative_time = index;
        }
        a.relative_times.push_back(std::move(time));
        after_a_date = false;
        i = time_end - 1;
        continue;
      }
      if (date.iso.empty()) { i = end - 1; continue; }
      after_a_date = true;
      // "in 2015" is read from the year; the preposition is not part of the date.
      const std::uint32_t begin = r.word_in(i, {"in", "during"}) ? i + 1 : i;
      date.span = Span{a.tokens[begin].span.begin, a.tokens[end - 1].span.end};
      date.sentence = s;
      const auto index = static_cast<std::uint32_t>(a.dates.size());
      const std::uint32_t at = begin > sentence.token_begin && r.word_in(begin - 1, {"in", "on", "during"}) ? begin - 1 : begin;
      if (const std::uint32_t right_before = mention_before(r, first, last, at, 0); right_before != kNone) {
        date.of_one_mention = true;   // "cholecystitis in 2015"
        a.mentions[right_before].date = index;
      } else if (dates_the_sentence(r, sentence, at)) {
        if (sentence_date == kNone) sentence_date = index;
      } else if (const std::uint32_t near = mention_before(r, first, last, at, 4); near != kNone) {
        if (a.mentions[near].date == kNone) a.mentions[near].date = index;
      }
      a.dates.push_back(std::move(date));
      i = end - 1;
    }
    if (sentence_date == kNone && sentence_time == kNone) continue;
    // The date (or time) of the sentence: of everything current it says happened (not a history, a
    // relative's condition, or what did not happen).
    for (std::uint32_t k = first; k < last; ++k) {
      Mention& mention = a.mentions[k];
      if (mention.date != kNone || mention.experiencer != Experiencer::patient || mention.hypothetical ||
          mention.temporality == Temporality::historical || !dated_kind(m.concept_at(mention.concept_index).kind()))
        continue;
      if (sentence_date != kNone) {
        mention.date = sentence_date;
      } else if (mention.relative_time == kNone) {
        // not what the time counts from ("post-transplantation")
        const RelativeTimeMention& t = a.relative_times[sentence_time];
        if (mention.token_begin >= t.token_begin && mention.token_end <= t.token_end) continue;
        mention.relative_time = sentence_time;
      }
    }
  }
}

}  // namespace casefhir::nlp
