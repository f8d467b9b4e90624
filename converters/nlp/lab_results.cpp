// nlp/lab_results.cpp — find_lab_results: the results a report gives for its tests, wherever it
// puts them.
//
//   an analyte and its value        "CRP 86 mg/L (normal < 5)", "prolactin was very high—7443 µg/L"
//   values given in order           "Total and direct bilirubin were 4.1 and 2.9 mg/dL, respectively",
//                                   "sodium, potassium and chloride of 131, 3.2 and 98 mmol/L"
//   one interpretation for a list   "normal calcium and phosphate levels"
//   signs                           "HBsAg (−)", "CMV IgM (+)"
//   results of tests                "Blood cultures were negative", "the ECG was normal"
//   analytes the mappings lack      "beta-D glucan (370.8 pg/mL)", "an ejection fraction of 30%"
//
// Results of analytes the mappings know go to Mention::result; the others (a test the mappings
// know as a procedure, or only the words the report uses for it) to Annotations::test_results, so
// that no stated value is lost. A target or a threshold is not a result ("insulin was titrated to
// keep glucose above 100 mg/dL").
//
// Every pattern is local (a few tokens around a value or a mention), so the stage is linear.
#include <algorithm>
#include <cctype>
#include <optional>

#include "mapping/code_checks.h"
#include "mapping/ucum.h"
#include "nlp/reading.h"

namespace casefhir::nlp {

namespace {

using Reader = TextReader;
using mapping::WordList;

// Per token, whether a result or a concept has read it (claimed_tokens): a byte each rather than
// a bit of std::vector<bool>, since the passes test it at every token of the document.
using Claimed = std::vector<std::uint8_t>;

bool is_lab(const Reader& r, const Mention& x) { return r.m.concept_at(x.concept_index).kind() == ConceptKind::lab; }

Interpretation interpretation_at(const Reader& r, std::uint32_t i, std::uint32_t limit, std::uint32_t& end) {
  PhraseIndex::Match match;
  if (i >= limit || !r.m.interpretation_terms.longest(r.a.tokens, i, limit, match)) return Interpretation::none;
  end = match.end;
  const auto payloads = r.m.interpretation_terms.payloads(match);
  const std::string& code = r.m.set.interpretations[payloads.back()].code;
  if (code == "N") return Interpretation::normal;
  if (code == "H") return Interpretation::high;
  if (code == "L") return Interpretation::low;
  if (code == "A") return Interpretation::abnormal;
  if (code == "POS") return Interpretation::positive;
  return Interpretation::negative;
}

// "(+)", "(−)", "(+++)": a sign in brackets after a test. Returns the index after it.
Interpretation sign_at(const Reader& r, std::uint32_t i, std::uint32_t limit, std::uint32_t& end) {
  if (!r.punct_is(i, '(')) return Interpretation::none;
  std::uint32_t j = i + 1;
  const char sign = j < limit && r.a.tokens[j].is(kPunct) ? r.a.tokens[j].punct : 0;
  if (sign != '+' && sign != '-') return Interpretation::none;
  while (j < limit && r.punct_is(j, sign)) ++j;
  if (!r.punct_is(j, ')')) return Interpretation::none;
  end = j + 1;
  return sign == '+' ? Interpretation::positive : Interpretation::negative;
}

// "1:320", "1 : 40": a titre (the tokens written together or spaced alike).
bool titre_at(const Reader& r, std::uint32_t i, std::uint32_t limit, std::pair<Quantity, Quantity>& titre, std::uint32_t& end) {
  if (i + 2 >= limit || !r.number(i) || !r.punct_is(i + 1, ':') || !r.number(i + 2)) return false;
  const auto& t = r.a.tokens;
  const bool tight = t[i].span.end == t[i + 1].span.begin && t[i + 1].span.end == t[i + 2].span.begin;
  if (!tight) return false;
  std::string normal;
  if (!parse_number(r.text(i), titre.first.value, normal)) return false;
  titre.first.value_text = normal;
  if (!parse_number(r.text(i + 2), titre.second.value, normal)) return false;
  titre.second.value_text = normal;
  end = i + 3;
  return true;
}

// Units that measure something about the patient; not a length or an area (a size), a duration,
// a mass or a volume given (a dose, an infusion), or a dose per body weight.
bool is_measurement_unit(std::string_view ucum) {
  static const std::string_view not_measurements[] = {
      "mm", "cm", "m", "um", "nm", "[in_i]", "cm2", "mm2", "min", "h", "d", "wk", "mo", "a", "kg", "g", "mg", "ug",
      "ng", "pg", "[lb_av]", "L", "dL", "mL", "uL", "mg/kg", "ug/kg", "mg/kg/d", "mL/h"};
  return !ucum.empty() && std::find(std::begin(not_measurements), std::end(not_measurements), ucum) == std::end(not_measurements);
}

// "65–70%", "3% to 5%", "10%–12%": a value given as a range, with the unit of its upper bound when
// the lower has none. `low` is the quantity read at tokens[i], ending before tokens[j] (callers that
// read it anyway pass it, so that it is read once). Returns the index after the range.
bool value_range_from(const Reader& r, std::uint32_t i, std::uint32_t j, const Quantity& low, std::uint32_t limit,
                      std::pair<Quantity, Quantity>& between, std::uint32_t& end) {
  if (!r.number(i) || low.comparator != Comparator::none) return false;
  // "52-69", "52 to 69", and after "between": "52 and 69".
  const bool after_between = i > 0 && r.word_is(i - 1, "between");
  if (!(r.punct_is(j, '-') || r.word_is(j, "to") || (after_between && r.word_is(j, "and"))) || !r.number(j + 1)) return false;
  ++j;
  Quantity high;
  if (!quantity_at(r, j, limit, high) || high.comparator != Comparator::none || high.unit.empty()) return false;
  if ((!low.unit.empty() && low.unit != high.unit) || low.value > high.value) return false;
  between = {low, high};
  if (low.unit.empty()) {
    between.first.unit = high.unit;
    between.first.unit_text = high.unit_text;
  }
  end = j;
  return true;
}

// The same, with its lower bound read here.
bool value_range_at(const Reader& r, std::uint32_t i, std::uint32_t limit, std::pair<Quantity, Quantity>& between, std::uint32_t& end) {
  std::uint32_t j = i;
  Quantity low;
  return r.number(i) && quantity_at(r, j, limit, low) && value_range_from(r, i, j, low, limit, between, end);
}

// "(normal 8.5-10.5 mg/dL)", "(reference range: < 5)", "(4.0–11.0)", "[0.7-1.3]", "(N<20)"
bool reference_range_at(const Reader& r, std::uint32_t i, std::uint32_t limit, LabResult& result, std::uint32_t& end) {
  if (!(r.punct_is(i, '(') || r.punct_is(i, '[') || r.punct_is(i, ',') || r.punct_is(i, ';'))) return false;
  const std::uint32_t open = i;
  ++i;
  bool labelled = false;
  while (i < limit && r.a.tokens[i].is(kWord) &&
         r.word_in(i, WordList::reference_range_labels)) {
    labelled = true;
    ++i;
  }
  if (r.punct_is(i, ':') || r.punct_is(i, '=')) ++i;
  if ((r.punct_is(open, ',') || r.punct_is(open, ';')) && !labelled) return false;
  // Nothing is written to `result` unless the whole range reads: "(<10th percentile)" is none.
  std::optional<Quantity> low, high;
  std::uint32_t j = i;
  if (r.punct_is(j, '<') || r.punct_is(j, '{') || r.punct_is(j, '>') || r.punct_is(j, '}') ||
      r.word_in(j, {"less", "below", "under", "greater", "above", "over", "up"})) {
    if (r.word_is(j, "up") && r.word_is(j + 1, "to")) j += 2;
    Quantity bound;
    if (!quantity_at(r, j, limit, bound)) return false;
    const bool upper = bound.comparator == Comparator::lt || bound.comparator == Comparator::le || bound.comparator == Comparator::none;
    bound.comparator = Comparator::none;
    (upper ? high : low) = bound;
  } else {
    Quantity from, to;
    if (!quantity_at(r, j, limit, from)) return false;
    if (!(r.punct_is(j, '-') || r.word_is(j, "to"))) return false;
    ++j;
    if (!quantity_at(r, j, limit, to)) return false;
    if (from.unit.empty()) { from.unit = to.unit; from.unit_text = to.unit_text; }
    low = from;
    high = to;
  }
  if (!r.punct_is(open, ',') && !r.punct_is(open, ';') && !(r.punct_is(j, ')') || r.punct_is(j, ']'))) return false;
  if (low) result.range_low = *low;
  if (high) result.range_high = *high;
  end = j + 1;
  result.range_text = std::string(r.doc.view(Span{r.a.tokens[open].span.begin, r.a.tokens[std::min(j, limit - 1)].span.end}));
  // The text of the range, without its brackets.
  std::string& t = result.range_text;
  if (!t.empty() && (t.front() == '(' || t.front() == '[' || t.front() == ',' || t.front() == ';')) t.erase(0, 1);
  if (!t.empty() && (t.back() == ')' || t.back() == ']')) t.pop_back();
  t = as_written(t);
  return true;
}

// "Hemoglobin 10.2 g/dL 13.5–17.5": a lab line of a table flattened to text, the reference range
// right after the value with no word or bracket, in the value's unit (or none). The range must
// hold numbers of the value's magnitude, so "2-3 days later" is never one.
bool bare_range_after(const Reader& r, std::uint32_t i, std::uint32_t limit, LabResult& result, std::uint32_t& end) {
  if (!result.value || result.value->unit.empty() || !r.number(i)) return false;
  std::pair<Quantity, Quantity> range;
  std::uint32_t j = i;
  Quantity low;
  if (!quantity_at(r, j, limit, low) || low.comparator != Comparator::none || !(r.punct_is(j, '-') || r.word_is(j, "to"))) return false;
  ++j;
  Quantity high;
  if (!quantity_at(r, j, limit, high) || high.comparator != Comparator::none) return false;
  const std::string& unit = result.value->unit;
  if ((!low.unit.empty() && low.unit != unit) || (!high.unit.empty() && high.unit != unit)) return false;
  if (!(low.value < high.value) || result.value->value > 3 * high.value || result.value->value * 3 < low.value) return false;
  // The range ends the statement: punctuation or the sentence's end follows.
  if (j < limit && !(r.a.tokens[j].is(kPunct) && (r.punct_is(j, ',') || r.punct_is(j, ';') || r.punct_is(j, '.')))) return false;
  low.unit = high.unit = unit;
  result.range_low = low;
  result.range_high = high;
  result.range_text = as_written(std::string(r.doc.view(Span{r.a.tokens[i].span.begin, r.a.tokens[j - 1].span.end})));
  end = j;
  return true;
}

Interpretation interpret(const LabResult& r) {
  if (!r.value || r.value->comparator != Comparator::none) return Interpretation::none;
  const double v = r.value->value;
  if (r.range_low && !r.range_low->unit.empty() && !r.value->unit.empty() && r.range_low->unit != r.value->unit) return Interpretation::none;
  if (r.range_high && !r.range_high->unit.empty() && !r.value->unit.empty() && r.range_high->unit != r.value->unit) return Interpretation::none;
  if (r.range_low && v < r.range_low->value) return Interpretation::low;
  if (r.range_high && v > r.range_high->value) return Interpretation::high;
  if (r.range_low || r.range_high) return Interpretation::normal;
  return Interpretation::none;
}

// The reference range of `from` (as stated, or from the mappings), given to `to`.
void copy_reference_range(const LabResult& from, LabResult& to) {
  to.range_low = from.range_low;
  to.range_high = from.range_high;
  to.range_text = from.range_text;
  to.range_from_mappings = from.range_from_mappings;
}

// The interpretation of a value the report does not interpret: from the range it states, else from
// the mappings' typical range for the analyte (said so in the range's text), else none.
void interpret_value(LabResult& result, const Concept& analyte) {
  if (result.interpretation == Interpretation::none) result.interpretation = interpret(result);
  if (result.interpretation != Interpretation::none || result.range_low || result.range_high || !analyte.reference_range ||
      !result.value || result.value->unit != analyte.unit || result.value->comparator != Comparator::none)
    return;
  Quantity low, high;
  if (analyte.reference_range->low) { low.value = *analyte.reference_range->low; low.unit = analyte.unit; result.range_low = low; }
  if (analyte.reference_range->high) { high.value = *analyte.reference_range->high; high.unit = analyte.unit; result.range_high = high; }
  result.range_from_mappings = true;
  result.range_text = "typical range from casefhir mapping " + analyte.id + ", not stated in the report";
  result.interpretation = interpret(result);
}

// Words of a course between an analyte and its value ("rising to", "that increased to", "ranged
// between"): read through only when the value follows "to", "at", "of", "between" or a bracket, so
// that "creatinine was rising, and 40 mg furosemide" or "fell further 2 days later" give no value.
bool is_trend_word(const Reader& r, std::uint32_t i) { return r.word_in(i, WordList::trend_words); }

// Words between an analyte and its value that say nothing of the value itself.
bool is_filler(const Reader& r, std::uint32_t i) {
  if (r.punct_is(i, ':') || r.punct_is(i, '=') || r.punct_is(i, '(') || r.punct_is(i, ',')) return true;
  // "very high—7443 µg/L": a dash before a number introduces the value.
  if (r.punct_is(i, '-') && r.number(i + 1) && i > 0 && !r.number(i - 1)) return true;
  return r.word_in(i, WordList::value_fillers) || is_trend_word(r, i);
}

// "to keep glucose above 100 mg/dL", "target INR 2-3", "goal of": what a value should be, not
// what it was. Looks a few words back from the analyte.
bool is_target(const Reader& r, std::uint32_t sentence_begin, std::uint32_t analyte_begin) {
  const std::uint32_t from = analyte_begin > sentence_begin + 6 ? analyte_begin - 6 : sentence_begin;
  for (std::uint32_t i = from; i < analyte_begin; ++i)
    if (r.word_in(i, WordList::target_words)) return true;
  return false;
}

// The first token from i on that is a number or one of the two before one (where a value, after a
// comparator, may begin), or `limit` when there is none before it.
std::uint32_t first_near_a_number(const Reader& r, std::uint32_t i, std::uint32_t limit) {
  std::uint32_t n = i;
  while (n < limit + 2 && !r.number(n)) ++n;
  return n < i + 2 ? i : std::min(n - 2, limit);
}

// The first token from i on, before `limit`, where a value may begin that no earlier pass has
// claimed (`limit` when there is none): the passes that look for values step over the rest, most
// of a report, in a tight loop instead of trying each token.
std::uint32_t next_value_start(const Reader& r, const Claimed& claimed, std::uint32_t i, std::uint32_t limit) {
  for (i = first_near_a_number(r, i, limit); i < limit; i = first_near_a_number(r, i + 1, limit))
    if (!claimed[i] && may_begin_quantity(r, i)) return i;
  return limit;
}

// Whether a quantity ("18%", "2.5 g") ends right before tokens[end].
bool value_ends_at(const Reader& r, std::uint32_t sentence_begin, std::uint32_t end) {
  for (std::uint32_t back = 1; back <= 5 && end >= sentence_begin + back; ++back) {   // "30 mg / dL"
    std::uint32_t j = end - back;
    Quantity q;
    if (r.number(j) && quantity_at(r, j, end, q) && j == end) return true;
  }
  return false;
}

// Whether tokens[k] is where the next analyte begins (`limit`), or "of" right before it: a value
// ending there is written before that analyte ("94% lymphocytes", "91% of neutrophils").
bool at_next_analyte(const Reader& r, std::uint32_t k, std::uint32_t limit) {
  return k == limit || (r.word_is(k, "of") && k + 1 == limit);
}

// "108/64 mmHg", "85/55": two values written as one, with the unit after the second (both have
// it). Returns the index after them.
bool value_pair_at(const Reader& r, std::uint32_t i, std::uint32_t limit, std::vector<Quantity>& pair, std::uint32_t& end) {
  if (!(i + 2 < limit && r.number(i) && r.punct_is(i + 1, '/') && r.number(i + 2))) return false;
  Quantity first, second;
  std::string normal;
  if (parse_number(r.text(i), first.value, normal)) first.value_text = normal;
  if (parse_number(r.text(i + 2), second.value, normal)) second.value_text = normal;
  end = i + 3;
  std::string unit, written;
  const std::uint32_t u = match_unit(r, end, limit, unit, written);
  if (u > end) {
    first.unit = second.unit = unit;
    first.unit_text = second.unit_text = written;
    end = u;
  }
  pair = {first, second};
  return true;
}

// The values of a list: "131, 3.2 and 98 mmol/L", "<20 mg/dL and <167 mg/dL". A unit written
// only after the last value belongs to every value before it that has none.
struct ValueList {
  std::vector<Quantity> values;
  std::vector<std::vector<Quantity>> pairs;   // per value: "94/30 mmHg" as two, for an analyte of two components; else empty
  std::vector<Span> spans;
  std::vector<LabResult> ranges;              // per value: the reference range written right after it, if any
  std::uint32_t begin = 0, end = 0;   // tokens
  std::uint32_t value_end = 0;        // after the last value, before a range written after it

  // Empty again, keeping the vectors' room: a caller that reads many lists keeps one.
  void clear() {
    values.clear();
    pairs.clear();
    spans.clear();
    ranges.clear();
    begin = end = value_end = 0;
  }
};

bool value_list_at(const Reader& r, std::uint32_t i, std::uint32_t limit, ValueList& list) {
  list.clear();
  list.begin = i;
  std::uint32_t j = i;
  for (;;) {
    const std::uint32_t start = j;
    Quantity q;
    std::vector<Quantity> pair;
    if (std::uint32_t after = 0; value_pair_at(r, j, limit, pair, after)) {
      q = pair.back();   // its unit, for the list's unit rule below
      j = after;
    } else if (!quantity_at(r, j, limit, q)) {
      break;
    }
    // "135 to 140", "3.5-5.0": a range is one statement, not two values. After a list that follows
    // "from", "to" begins the list the values went to ("from 130 and 3.1 mmol/L to 140 and 4.0").
    const bool went_to = r.word_is(j, "to") && !list.values.empty() && i > 0 && r.word_is(i - 1, "from");
    if ((r.punct_is(j, '-') || r.word_is(j, "to")) && r.number(j + 1) && !went_to) return false;
    const std::uint32_t value_end = j;
    // "30.9 mU/L (normal >20) and 447 nmol/L (normal >500)": each value's own range.
    LabResult range;
    if (std::uint32_t after = 0; reference_range_at(r, j, limit, range, after)) j = after;
    const bool more = r.punct_is(j, ',') || r.word_in(j, {"and", "or"});
    // A value with none after it, as most values of a text are, is no list: nothing to keep.
    if (list.values.empty() && !more) return false;
    list.values.push_back(std::move(q));
    list.pairs.push_back(std::move(pair));
    list.spans.push_back(Span{r.a.tokens[start].span.begin, r.a.tokens[value_end - 1].span.end});
    list.ranges.push_back(std::move(range));
    list.value_end = value_end;
    list.end = j;
    if (!more) break;
    j += r.punct_is(j, ',') && r.word_is(j + 1, "and") ? 2u : 1u;
  }
  if (list.values.size() < 2) return false;
  // A range after the last value only ("130 and 5.9 mmol/L (normal 135-145)") is not the last
  // value's: the ranges count only when every value has its own.
  if (std::any_of(list.ranges.begin(), list.ranges.end(), [](const LabResult& x) { return !x.range_low && !x.range_high && x.range_text.empty(); })) {
    for (LabResult& x : list.ranges) x = LabResult{};
    list.end = list.value_end;
  }
  // Only when no other value has a unit of its own: "pH, PaCO2 … were 7.50, 34 mmHg" keeps the pH
  // without one.
  const bool unit_once = std::none_of(list.values.begin(), list.values.end() - 1, [](const Quantity& q) { return !q.unit.empty(); });
  if (unit_once)
    for (std::size_t k = 0; k + 1 < list.values.size(); ++k) {
      list.values[k].unit = list.values.back().unit;
      list.values[k].unit_text = list.values.back().unit_text;
    }
  return true;
}

// Two analyte mentions joined as one list: "calcium and phosphate", "sodium, potassium".
bool joined(const Reader& r, const Mention& left, const Mention& right) {
  if (left.sentence != right.sentence || !is_lab(r, right) || left.names_test || right.names_test) return false;
  for (std::uint32_t t = left.token_end; t < right.token_begin; ++t)
    if (!(r.punct_is(t, ',') || r.word_in(t, {"and", "or", "as", "well", "serum", "levels", "level"}))) return false;
  return true;
}

// The analyte whose values a finding's value measures ("febrile at 39.4 °C" is a body
// temperature), as the mappings' measured_findings say; kNone for any other finding: a unit
// alone does not tell ("hyperferritinemia of 15,000 µg/L" is no troponin).
std::uint32_t analyte_measuring(const Reader& r, const Mention& finding) {
  const auto it = r.m.analyte_measuring.find(finding.concept_index);
  return it == r.m.analyte_measuring.end() ? kNone : it->second;
}

// "10/15", "20/100": the maximum written after value `q` and the '/' at tokens[slash] — a number
// without a unit, not another fraction ("10/15/15"), not below the value. Sets `end` after it.
bool maximum_after(const Reader& r, std::uint32_t slash, std::uint32_t limit, const Quantity& q, Quantity& most, std::uint32_t& end) {
  if (!r.punct_is(slash, '/') || !r.number(slash + 1)) return false;
  end = slash + 1;
  return quantity_at(r, end, limit, most) && most.unit.empty() && !r.punct_is(end, '/') && most.value >= q.value;
}

// ---- one analyte, one result -----------------------------------------------------------------

std::uint32_t mention_at(const Reader& r, std::uint32_t t);
bool in_context(const Reader& r, std::uint32_t s, std::uint32_t begin, std::uint32_t end, bool negations);

// Another value the analyte of `mention` had, read beside its result ("fell from 798 to 98", "was
// 92 and rose to 159"): a result of its own, never lost.
void add_other_value(Reader& r, const Mention& mention, const Concept& analyte, const Quantity& value, Span said) {
  TestResult other;
  other.test = mention.span;
  other.sentence = mention.sentence;
  other.concept_index = mention.concept_index;
  other.result.value = value;
  interpret_value(other.result, analyte);
  other.result_span = said;
  r.a.test_results.push_back(std::move(other));
}

// "The platelet count was 92 × 10³/µL and rose to 159 × 10³/µL a week later": a second value the
// analyte went to, after its first, is a result of its own (a later one), never lost. Reads from
// tokens[i], right after the first value; the unit of the first serves a second written without one.
void read_value_it_went_to(Reader& r, const Mention& mention, const Concept& analyte, const Quantity& first, std::uint32_t i,
                           std::uint32_t limit) {
  auto& a = r.a;
  if (r.punct_is(i, ',')) ++i;
  if (r.word_in(i, {"and", "but", "then"})) ++i;
  if (r.word_in(i, {"later", "subsequently", "then", "gradually", "further"})) ++i;
  if (!r.word_in(i, WordList::course_verbs))
    return;
  ++i;
  if (r.word_is(i, "further")) ++i;
  if (!r.word_is(i, "to") && !r.word_is(i, "at")) return;
  const std::uint32_t value_begin = ++i;
  Quantity second;
  if (value_begin >= limit || !quantity_at(r, i, limit, second)) return;
  if (r.number(i + 1) && (r.punct_is(i, '-') || r.word_is(i, "to"))) return;   // a range
  if (second.unit.empty()) {
    if (first.unit.empty() && !(analyte.unit.empty() || analyte.unit == "1" || analyte.unit == "%")) return;
    second.unit = first.unit;
    second.unit_text = first.unit_text;
  }
  add_other_value(r, mention, analyte, second, Span{a.tokens[value_begin].span.begin, a.tokens[i - 1].span.end});
}

// "decreased from 115 to 40 mmol/L after 6 weeks and 52 mmol/L after 41 weeks": values the
// analyte had later, each after the words of when the one before was taken, in the unit of the
// one before (or none). Each is a result of its own. Reads from tokens[i], right after the value
// `last`; returns where the reading stopped.
std::uint32_t read_later_values(Reader& r, const Mention& mention, const Concept& analyte, Quantity last, std::uint32_t i,
                                std::uint32_t limit) {
  auto& a = r.a;
  for (;;) {
    std::uint32_t w = i;
    if (r.word_in(w, {"after", "at", "on", "by", "in", "within"})) {
      const std::uint32_t when = w++;
      while (w < limit && w < when + 5 && (r.word(w) || r.number(w)) && !r.word_in(w, {"and", "then"})) ++w;
    }
    if (r.punct_is(w, ',')) ++w;
    if (!r.word_in(w, {"and", "then"})) return i;
    const std::uint32_t value_begin = ++w;
    Quantity next;
    if (value_begin >= limit || !r.number(value_begin) || !quantity_at(r, w, limit, next)) return i;
    if (r.number(w + 1) && (r.punct_is(w, '-') || r.word_is(w, "to") || r.punct_is(w, '/'))) return i;   // a range, a pair
    // "and 2 units of packed red cells were transfused": a number without a unit is a later value
    // only before the words of when it was taken, or where the clause ends.
    if (next.unit.empty() && w < limit && (!r.word_in(w, {"after", "at", "on", "by", "in", "within"}) || r.number(w + 1)) &&
        !r.a.tokens[w].is(kPunct))
      return i;   // "and 2 in 3 stools were positive": a count, not a value
    if (next.unit.empty()) {
      next.unit = last.unit;
      next.unit_text = last.unit_text;
    } else if (next.unit != last.unit) {
      return i;
    }
    add_other_value(r, mention, analyte, next, Span{a.tokens[value_begin].span.begin, a.tokens[w - 1].span.end});
    last = next;
    i = w;
  }
}

// What the words around one analyte mention say of it: an interpretation before it ("normal
// calcium", "elevated serum CRP"), then, to the right, fillers, a value or an interpretation or a
// sign, and a reference range.
void read_result(Reader& r, std::uint32_t k) {
  auto& a = r.a;
  Mention& mention = a.mentions[k];
  const Concept analyte = r.m.concept_at(mention.concept_index).to_concept();
  const Sentence& sentence = a.sentences[mention.sentence];
  // The next concept in the sentence bounds the search to the right.
  std::uint32_t limit = sentence.token_end;
  if (k + 1 < a.mentions.size() && a.mentions[k + 1].sentence == mention.sentence) limit = a.mentions[k + 1].token_begin;
  LabResult result;
  Span said;   // the words that state the result
  auto note = [&](std::uint32_t from, std::uint32_t to) {
    const Span s{a.tokens[from].span.begin, a.tokens[to - 1].span.end};
    said = said.empty() ? s : Span{std::min(said.begin, s.begin), std::max(said.end, s.end)};
  };
  // Left: "normal calcium", "elevated serum CRP".
  for (std::uint32_t back = 1; back <= 4 && mention.token_begin >= sentence.token_begin + back; ++back) {
    std::uint32_t end = 0;
    const Interpretation i = interpretation_at(r, mention.token_begin - back, mention.token_begin, end);
    if (i != Interpretation::none) {
      bool only_filler = true;
      for (std::uint32_t f = end; f < mention.token_begin; ++f) only_filler = only_filler && r.word_in(f, {"serum", "blood", "plasma", "total", "the"});
      if (only_filler) {
        result.interpretation = i;
        result.qualitative = std::string(r.doc.view(Span{a.tokens[mention.token_begin - back].span.begin, a.tokens[end - 1].span.end}));
        note(mention.token_begin - back, end);
        break;
      }
    }
  }
  // Right: fillers, then a value, an interpretation or a sign, then a reference range.
  std::uint32_t i = mention.token_end;
  bool past_separator = false;   // a "," or "and": what follows may modify the next analyte
  bool through_trend = false;    // a trend word read through (is_trend_word)
  Interpretation verb_said = Interpretation::none;   // "increased to": high, unless a range says otherwise
  auto leads_a_value = [&](std::uint32_t at) {
    return !through_trend || r.word_in(at - 1, {"to", "at", "of", "between"}) || r.punct_is(at - 1, '(');
  };
  for (std::uint32_t steps = 0; i < limit && steps < 8; ++steps) {
    std::uint32_t end = 0;
    Interpretation interp = interpretation_at(r, i, limit, end);
    if (interp == Interpretation::none) interp = sign_at(r, i, limit, end);
    // "97.4% neutrophils, and elevated procalcitonin": the interpretation is procalcitonin's.
    if (interp != Interpretation::none && past_separator && end < sentence.token_end && !r.punct_is(end, '.') &&
        !r.punct_is(end, ',') && !r.punct_is(end, ';'))
      break;
    // "LVEF increased from 0.20 to 0.55", "platelet count increased to 93 × 10³/µL": a verb of
    // change says how the value moved. Between two values it says nothing of the range; before
    // one ("creatinine increased to 350 µmol/L") it counts only when no range decides
    // (verb_said). "Elevated to 12 ng/mL" says it is high.
    const bool moved = end == i + 1 && r.word_in(i, {"increased", "decreased", "reduced"}) && r.word_in(end, {"from", "to"}) &&
                       r.number(end + 1);
    if (moved && r.word_is(end, "to") && verb_said == Interpretation::none) verb_said = interp;
    if (interp != Interpretation::none) {
      if (result.interpretation == Interpretation::none && !moved) {
        result.interpretation = interp;
        result.qualitative = std::string(r.doc.view(Span{a.tokens[i].span.begin, a.tokens[end - 1].span.end}));
        note(i, end);
      }
      i = end;
      continue;
    }
    // "The platelet count at EOT was 92", "hemoglobin at the time of our consultation was 75 g/L",
    // "oxygen saturation by pulse oximeter in room air was 97%", "INR for coagulation values was
    // 1.02", "sodium level in serum was 130 mmol/L": when, how or in what blood the value was
    // taken, up to its copula. After "in", only blood: another specimen, another person or a
    // time makes the value another test's.
    if (r.word_in(i, {"at", "during", "by", "on", "under", "for", "in"}) && !r.number(i + 1)) {
      // A method on the way ("by pulse oximetry") is no other analyte or finding. "glucose in the
      // cerebrospinal fluid" is another test (analyte_in_specimen).
      const bool in = r.word_is(i, "in");
      auto passable = [&](std::uint32_t t) {
        if (in) return r.word_in(t, {"the", "serum", "plasma", "blood", "whole", "venous", "arterial", "capillary", "peripheral"});
        const std::uint32_t on_the_way = mention_at(r, t);
        return on_the_way == kNone || r.m.concept_at(a.mentions[on_the_way].concept_index).kind() == ConceptKind::procedure;
      };
      const std::uint32_t end_of_sentence = sentence.token_end;
      std::uint32_t copula = i + 1;
      // A number only as the count of a day ("on day 3", "by hospital day 5", "on POD 2").
      auto day_number = [&](std::uint32_t t) {
        return r.number(t) && t > i + 1 && r.word_in(t - 1, {"day", "week", "pod", "month", "cycle"});
      };
      while (copula < end_of_sentence && copula < i + 7 && (r.word(copula) || day_number(copula)) &&
             !r.word_in(copula, {"was", "were", "is", "are"}) && passable(copula))
        ++copula;
      if (copula > i + 1 && copula < end_of_sentence && r.word_in(copula, {"was", "were", "is", "are"})) {
        // The search now ends at the first concept after the copula.
        if (copula >= limit) {
          limit = end_of_sentence;
          for (std::size_t n = k + 1; n < a.mentions.size() && a.mentions[n].sentence == mention.sentence; ++n)
            if (a.mentions[n].token_begin > copula) {
              limit = a.mentions[n].token_begin;
              break;
            }
        }
        i = copula;
        continue;
      }
    }
    Quantity q;
    std::uint32_t j = i;
    if (std::pair<Quantity, Quantity> titre; titre_at(r, i, limit, titre, end)) {
      result.ratio = titre;
      note(i, end);
      i = end;
      break;
    }
    // "108/64 mmHg": two values for an analyte with two components.
    if (std::vector<Quantity> pair; analyte.components.size() == 2 && value_pair_at(r, i, limit, pair, end)) {
      result.components = std::move(pair);
      note(i, end);
      i = end;
      break;
    }
    // "creatinine ranged from 1.2 to 3.4 mg/dL": one range, not a value and the next.
    if (r.word_is(i, "from") && r.number(i + 1) && i > 0 &&
        r.word_in(i - 1, {"ranged", "ranging", "varied", "varying", "fluctuated", "fluctuating"})) {
      if (std::pair<Quantity, Quantity> between; value_range_at(r, i + 1, limit, between, end) &&
                                                 is_measurement_unit(between.second.unit)) {
        result.between = between;
        note(i + 1, end);
        i = end;
        break;
      }
    }
    // "creatinine fell from 798 to 98 µmol/L": the value it had, then the value it has; words of
    // when may follow the first ("from 115 mmol/L before treatment to 40 mmol/L", "from 61 × 10⁹/L
    // in June 2007 to 38 × 10⁹/L") when the first has its unit.
    if (r.word_is(i, "from") && r.number(i + 1)) {
      std::uint32_t to = i + 1, second_at = 0;
      Quantity first, second;
      const bool read_first = quantity_at(r, to, limit, first);
      const std::uint32_t first_end = to;
      bool numbers_between = false;   // "on days 5 to 7", "in 2010 to 2015": the "to" is theirs
      if (read_first && !first.unit.empty() && !r.word_is(to, "to")) {
        std::uint32_t w = to;
        while (w < limit && w < first_end + 5 && (r.word(w) || r.number(w)) && !r.word_is(w, "to") && mention_at(r, w) == kNone) {
          numbers_between = numbers_between || r.number(w);
          ++w;
        }
        if (r.word_is(w, "to") && r.number(w + 1)) to = w;
      }
      if (read_first && r.word_is(to, "to") && (second_at = ++to, quantity_at(r, to, limit, second)) &&
          (first_end + 1 == second_at || (second.unit.empty() ? !numbers_between : second.unit == first.unit))) {
        if (first.unit.empty()) { first.unit = second.unit; first.unit_text = second.unit_text; }
        if (second.unit.empty()) { second.unit = first.unit; second.unit_text = first.unit_text; }
        add_other_value(r, mention, analyte, first, Span{a.tokens[i + 1].span.begin, a.tokens[first_end - 1].span.end});
        result.value = second;
        note(second_at, to);
        i = read_later_values(r, mention, analyte, second, to, limit);
        break;
      }
    }
    if (r.number(i) && !leads_a_value(i)) break;
    const bool read = quantity_at(r, j, limit, q);
    if (std::pair<Quantity, Quantity> between;
        read && value_range_from(r, i, j, q, limit, between, end) && is_measurement_unit(between.second.unit)) {
      result.between = between;
      note(i, end);
      i = end;
      break;
    }
    if (read) {
      // "135 to 140 mmol/L", "3.5-5.0": a range, not one value; "9 and 4 mg/dL": values of a list,
      // which pair_value_lists pairs when it can. Neither is taken as this analyte's value.
      if (r.number(j + 1)) {
        if (r.punct_is(j, '-') || r.word_is(j, "to")) break;
        // "36.6 °C and 97% saturation": the next value is written right before the next analyte,
        // so this one, with its own unit, is not the first of a list.
        std::uint32_t after = j + 1;
        Quantity next;
        const bool next_analytes = !q.unit.empty() && limit < sentence.token_end && quantity_at(r, after, limit, next) &&
                                   at_next_analyte(r, after, limit);
        if ((r.word_is(j, "and") || r.punct_is(j, ',')) && !next_analytes) break;
      }
      // "Hemoglobin, recorded 3 days later, was 8 g/dL", "sodium at 6 hours was 130 mmol/L": a time
      // that dates the value is not it, for an analyte that is not itself a time.
      const auto is_time = [](std::string_view u) { return u == "s" || u == "min" || u == "h" || u == "d" || u == "wk" || u == "mo" || u == "a"; };
      if (is_time(q.unit) && !is_time(analyte.unit)) {
        i = r.word_in(j, {"later", "earlier", "ago", "after", "postoperatively", "postpartum"}) ? j + 1 : j;
        continue;
      }
      // A score ("GCS 14", "GCS 10/15": the total, written out of the scale's maximum) has no
      // unit of its own: "GCS 2 days later was 14" is no score of 2 days.
      if (analyte.unit == "{score}") {
        if (!q.unit.empty()) break;
        std::uint32_t end_of_value = j;
        if (Quantity most; r.punct_is(j, '/') && r.number(j + 1) && !maximum_after(r, j, limit, q, most, end_of_value)) break;
        q.unit = analyte.unit;
        result.value = q;
        note(i, end_of_value);
        i = end_of_value;
        break;
      }
      // "120/98 U/L": two values written as one belong to two analytes (pair_slashed_analytes), or
      // to one with two components (above); never the first of them to one.
      if (r.punct_is(j, '/') && r.number(j + 1)) break;
      // "2% neutrophils, 94% lymphocytes": past a separator, a value right before the next analyte
      // is that analyte's, written before it (read_value_before).
      if (past_separator && limit < sentence.token_end && at_next_analyte(r, j, limit) &&
          value_ends_at(r, sentence.token_begin, mention.token_begin))
        break;
      // A bare number is a value only with a unit, a comparator, or a unitless analyte.
      // "mean corpuscular volume, 88.4;": a table's row flattened to text.
      const bool row = (r.punct_is(i - 1, ',') && i - 1 == mention.token_end && (j >= sentence.token_end || r.punct_is(j, ';'))) ||
                       // "pH 7.33, PaO2 71 mm Hg": a number right after the analyte, closed by punctuation.
                       (i == mention.token_end && (j >= sentence.token_end || (r.a.tokens[j].is(kPunct) && !r.punct_is(j, '/') &&
                                                                                !r.punct_is(j, '-') && !r.punct_is(j, 'x'))));
      // "international normalized ratio (1.53; normal range …)": a number opening a bracket right
      // after the analyte.
      const bool unitless = analyte.unit.empty() || analyte.unit == "1" || analyte.unit.front() == '{';
      const bool bracketed = (i == mention.token_end + 1 && r.punct_is(i - 1, '(') &&
                              (r.punct_is(j, ';') || r.punct_is(j, ',') || (unitless && r.punct_is(j, ')')))) ||
                             // "international normalized ratio (INR) 6.9": right after the abbreviation's bracket.
                             (i == mention.token_end + 1 && r.punct_is(i - 1, ')') && (j >= sentence.token_end || r.a.tokens[j].is(kPunct)));
      if (!q.unit.empty() || q.comparator != Comparator::none || analyte.unit == "1" || analyte.unit == "%" || row || bracketed ||
          r.punct_is(i - 1, ':') || r.punct_is(i - 1, '=') || r.word_in(i - 1, {"of", "was", "were", "is", "at", "to"})) {
        result.value = q;
        note(i, j);
        i = j;
      }
      break;
    }
    // "creatinine (Cre) 6.50 mg/dL", "CRP (nephelometry) was 65.6 mg/L": an abbreviation the
    // mappings do not know, or a method, in brackets right after the analyte's name says nothing of
    // the value. Up to three words, no number, no result word ("(elevated)" is one).
    // A specimen other than blood ("sodium (urine)") or a target ("HbA1c (target)") changes what
    // the value is: the reading stops there.
    // "sweat chloride level (Macroduct®)": after the analyte's own words of what is measured, and
    // with a trademark sign.
    const auto right_after_name = [&](std::uint32_t at) {
      for (std::uint32_t w = mention.token_end; w < at; ++w)
        if (!r.word_in(w, {"level", "levels", "concentration", "concentrations", "value", "values"})) return false;
      return true;
    };
    if (right_after_name(i) && r.punct_is(i, '(')) {
      std::uint32_t close = i + 1;
      std::uint32_t unused_end = 0;
      while (close < limit && close < i + 5 && (r.word(close) || (close > i + 1 && r.punct_is(close, '#'))) &&
             interpretation_at(r, close, close + 1, unused_end) == Interpretation::none && !r.word_in(close, WordList::other_specimens) &&
             !r.word_in(close, WordList::target_words))
        ++close;
      if (close > i + 1 && close < limit && r.punct_is(close, ')')) {
        i = close + 1;
        continue;
      }
    }
    // "carcinoembryonic antigen (CEA) level of …": the bracket that closes an abbreviation.
    if (!is_filler(r, i) && !(i == mention.token_end && r.punct_is(i, ')'))) break;
    past_separator = past_separator || r.punct_is(i, ',') || r.word_is(i, "and");
    through_trend = through_trend || is_trend_word(r, i);
    ++i;
  }
  if ((result.value || result.ratio || result.between) && is_target(r, sentence.token_begin, mention.token_begin)) return;
  if (result.value) {
    std::uint32_t end = 0;
    if (reference_range_at(r, i, limit, result, end) || bare_range_after(r, i, limit, result, end)) {
      note(i, end);
      i = end;
    }
    interpret_value(result, analyte);
    if (result.interpretation == Interpretation::none) result.interpretation = verb_said;
    read_value_it_went_to(r, mention, analyte, *result.value, i, limit);
  }
  if (result.value || result.ratio || result.between || !result.components.empty() || result.interpretation != Interpretation::none)
    a.set_result(mention, std::move(result), said);
}

// "AST/ALT were 120/98 U/L", "Na/K 131/5.2 mmol/L": two analytes written as one, then their two
// values written as one: each takes its own.
void pair_slashed_analytes(Reader& r) {
  auto& a = r.a;
  for (std::uint32_t k = 0; k + 1 < a.mentions.size(); ++k) {
    Mention& left = a.mentions[k];
    Mention& right = a.mentions[k + 1];
    if (!is_lab(r, left) || !is_lab(r, right) || left.sentence != right.sentence || right.token_begin != left.token_end + 1 ||
        !r.punct_is(left.token_end, '/') || left.result != kNone || right.result != kNone || left.names_test || right.names_test)
      continue;
    const std::uint32_t limit = k + 2 < a.mentions.size() && a.mentions[k + 2].sentence == right.sentence
                                    ? a.mentions[k + 2].token_begin
                                    : a.sentences[right.sentence].token_end;
    std::uint32_t i = right.token_end;
    while (i < limit && i < right.token_end + 4 && is_filler(r, i) && !r.word_is(i, "and") && !r.punct_is(i, ',')) ++i;
    std::vector<Quantity> pair;
    std::uint32_t end = 0;
    if (!value_pair_at(r, i, limit, pair, end)) continue;
    const Span first{a.tokens[i].span.begin, a.tokens[i].span.end};
    const Span second{a.tokens[i + 2].span.begin, a.tokens[end - 1].span.end};
    // "Hgb/Hct 8.1/24.5%": the unit written once is the second value's; the first has it only
    // when it is the first analyte's own.
    const Concept left_analyte = r.m.concept_at(left.concept_index).to_concept();
    if (pair[0].unit != left_analyte.unit) {
      pair[0].unit.clear();
      pair[0].unit_text.clear();
    }
    LabResult lr, rr;
    lr.value = pair[0];
    rr.value = pair[1];
    interpret_value(lr, left_analyte);
    interpret_value(rr, r.m.concept_at(right.concept_index).to_concept());
    a.set_result(left, std::move(lr), first);
    a.set_result(right, std::move(rr), second);
    ++k;
  }
}

// "281 × 10³ platelets per microliter", "4 leukocytes/µL": a count written before the cells it
// counts, with its volume after them. The unit must measure what the analyte's unit does.
bool count_before(Reader& r, const Claimed& claimed, std::uint32_t k) {
  auto& a = r.a;
  Mention& mention = a.mentions[k];
  const Sentence& sentence = a.sentences[mention.sentence];
  // The volume after the cells: "/µL", "per microliter", "per cubic millimeter". (Tested before
  // the analyte's unit is looked up: most analytes have none of these after them.)
  const std::uint32_t after = mention.token_end;
  if (!(r.punct_is(after, '/') || r.word_is(after, "per"))) return false;
  const auto analyte = mapping::ucum_dimension(r.m.concept_at(mention.concept_index).to_concept().unit);
  if (!analyte) return false;
  std::string volume, written;
  const std::uint32_t unit_end = match_unit(r, after + 1, sentence.token_end, volume, written);
  if (unit_end == after + 1 || !is_volume_unit(volume)) return false;
  // The number, and a power of ten after it ("× 10^3", "×103" with the superscript lost).
  const std::uint32_t begin = mention.token_begin;
  std::uint32_t number = begin - 1;
  std::string exponent;
  for (const std::uint32_t width : {2u, 4u}) {   // "× 103", "× 10 ^ 3"
    std::string power;
    if (begin < sentence.token_begin + width + 1 || power_of_ten_at(r, begin - width, begin, power) != begin) continue;
    if (!valid_exponent(power)) return false;
    exponent = std::move(power);
    number = begin - width - 1;
    break;
  }
  if (number < sentence.token_begin || number >= begin || !r.number(number) || claimed[number]) return false;
  if (number > sentence.token_begin && (r.number(number - 1) || r.punct_is(number - 1, '-') || r.punct_is(number - 1, '/'))) return false;
  Quantity q;
  std::string normal;
  if (!parse_number(r.text(number), q.value, normal)) return false;
  q.value_text = normal;
  q.unit = (exponent.empty() ? std::string() : "10*" + exponent) + "/" + volume;
  const std::string power =
      exponent.empty() ? std::string()
                       : as_written(r.doc.view(Span{a.tokens[number + 1].span.begin, a.tokens[begin - 1].span.end})) + " ";
  q.unit_text = power + as_written(r.doc.view(Span{a.tokens[after].span.begin, a.tokens[unit_end - 1].span.end}));
  if (const auto d = mapping::ucum_dimension(q.unit); !d || !(*d == *analyte)) return false;
  LabResult result;
  result.value = q;
  interpret_value(result, r.m.concept_at(mention.concept_index).to_concept());
  a.set_result(mention, std::move(result), Span{a.tokens[number].span.begin, a.tokens[unit_end - 1].span.end});
  return true;
}

// "97.4% neutrophils", "2.5 g of protein": a value written before its analyte, when no other
// analyte has taken it.
void read_value_before(Reader& r, const Claimed& claimed, std::uint32_t k) {
  auto& a = r.a;
  Mention& mention = a.mentions[k];
  const Sentence& sentence = a.sentences[mention.sentence];
  if (count_before(r, claimed, k)) return;
  std::uint32_t end = mention.token_begin;
  if (end > sentence.token_begin && r.word_is(end - 1, "of")) --end;
  for (std::uint32_t back = 1; back <= 4 && end >= sentence.token_begin + back; ++back) {
    std::uint32_t begin = end - back, j = begin;
    Quantity q;
    if (claimed[begin] || !quantity_at(r, j, end, q) || j != end) continue;
    if (q.unit.empty() || !is_measurement_unit(q.unit)) return;
    if (begin > sentence.token_begin && (r.number(begin - 1) || r.punct_is(begin - 1, '-') || r.punct_is(begin - 1, 'x'))) return;
    LabResult result;
    result.value = q;
    interpret_value(result, r.m.concept_at(mention.concept_index).to_concept());
    a.set_result(mention, std::move(result), Span{a.tokens[begin].span.begin, a.tokens[end - 1].span.end});
    return;
  }
}

// "normal calcium and phosphate levels", "sodium, potassium and chloride were normal": analytes
// joined as a list share an interpretation stated once for the list.
void share_list_interpretations(Reader& r) {
  auto& a = r.a;
  for (std::uint32_t k = 0; k + 1 < a.mentions.size(); ++k) {
    if (!is_lab(r, a.mentions[k])) continue;
    std::uint32_t run_end = k + 1;
    while (run_end < a.mentions.size() && joined(r, a.mentions[run_end - 1], a.mentions[run_end])) ++run_end;
    if (run_end == k + 1) continue;
    const LabResult* shared = nullptr;
    for (std::uint32_t x = k; x < run_end; ++x)
      if (const LabResult* res = a.result_of(a.mentions[x]); res && !res->value) shared = res;
    if (shared) {
      const LabResult copy = *shared;
      Span said;
      for (std::uint32_t x = k; x < run_end; ++x)
        if (a.mentions[x].result != kNone) said = a.mentions[x].result_span;
      for (std::uint32_t x = k; x < run_end; ++x)
        if (a.mentions[x].result == kNone) a.set_result(a.mentions[x], copy, said);
    }
    k = run_end - 1;
  }
}


// ---- tests the mappings do not know as analytes ----------------------------------------------

bool is_length_or_mass_unit(std::string_view ucum) {
  return ucum == "mm" || ucum == "cm" || ucum == "m" || ucum == "kg" || ucum == "g" || ucum == "[lb_av]";
}

// Words that end the name of a test, read leftwards from its value: what a sentence puts before a
// test's name (articles, verbs, prepositions, conjunctions) and words of time. Not one inside a
// hyphenated compound: "the right-to-left ventricular diameter ratio".
bool ends_test_name(const Reader& r, std::uint32_t i) {
  return r.word_in(i, WordList::test_name_boundaries) && !(i > 0 && r.punct_is(i - 1, '-') && r.punct_is(i + 1, '-'));
}

// "800 mg/day", "2.5 mg per day": a rate per day written as a day is a dose; an excretion is
// written per collection ("3.2 g/24 h").
bool is_daily_dose(const Quantity& q) {
  const std::string_view unit = q.unit;   // compared inline, length first
  if (unit != "mg/(24.h)" && unit != "g/(24.h)" && unit != "mmol/(24.h)") return false;
  return q.unit_text.find("24") == std::string::npos;
}

// "patient's", "her mother’s": whose the test is, not its name.
bool is_possessive(std::string_view word) {
  return (word.size() > 2 && word.substr(word.size() - 2) == "'s") || (word.size() > 4 && word.substr(word.size() - 4) == "\u2019s");
}

// Words that name a test when they end a phrase: "blood cultures", "acute vasodilator testing",
// "anti-nuclear antibodies", "physical examination".
bool is_test_head(const Reader& r, std::uint32_t i) { return r.word_in(i, WordList::test_heads); }

// The name of a test that ends right before tokens[end] (inside the sentence): up to five words,
// hyphens inside it, and one parenthesised abbreviation ("ejection fraction (EF)"). Returns false
// when there is none, or when the words right before belong to a concept the text already names
// (the value then belongs to that concept: "fever of 39.5 °C").
bool test_name_before(const Reader& r, const Claimed& claimed, std::uint32_t sentence_begin, std::uint32_t end,
                      std::uint32_t& begin) {
  std::uint32_t i = end;
  std::uint32_t words = 0;
  bool any = false;   // a word or a number of a hyphenated name taken
  if (i >= sentence_begin + 3 && r.punct_is(i - 1, ')') && r.word(i - 2) && r.punct_is(i - 3, '(') && !claimed[i - 2]) i -= 3;
  // (A hyphenated compound is taken whole, even past the limit: "Pre-operative serum …".)
  while (i > sentence_begin && (words < 5 || r.punct_is(i - 1, '-') || r.punct_is(i, '-'))) {
    const std::uint32_t t = i - 1;
    if ((r.punct_is(t, '-') || r.punct_is(t, '/')) && any && t > sentence_begin && r.word(t - 1)) {   // "beta-D", "E/e'"
      i = t;
      continue;
    }
    // "CA 19-9", "CYFRA 21-1": a number, a hyphen and a number after a word are one part of a name.
    if (r.punct_is(t, '-') && any && t > sentence_begin + 1 && r.number(t - 1) && r.word(t - 2) && r.number(t + 1) &&
        r.a.tokens[t - 1].span.end == r.a.tokens[t].span.begin && r.a.tokens[t].span.end == r.a.tokens[t + 1].span.begin) {
      i = t - 1;
      continue;
    }
    // "HHV-8", "IL-6": a number that ends a hyphenated name.
    const bool hyphenated_number = r.number(t) && t > sentence_begin && r.punct_is(t - 1, '-') &&
                                   r.a.tokens[t - 1].span.end == r.a.tokens[t].span.begin;
    // "Hasegawa Dementia Scale (HDS-R) score": an abbreviation in brackets inside the name.
    if (any && r.punct_is(t, ')')) {
      std::uint32_t open = t;
      while (open > sentence_begin && open + 5 > t && !r.punct_is(open - 1, '(') &&
             (r.word(open - 1) || r.number(open - 1) || r.punct_is(open - 1, '-')))
        --open;
      if (open > sentence_begin + 1 && open < t && r.punct_is(open - 1, '(') && (r.word(open - 2) || r.number(open - 2)) &&
          !ends_test_name(r, open - 2)) {
        i = open - 1;
        continue;
      }
    }
    // "closure time", "deceleration time": "time", a word of time, ends a name after a word that
    // says what was timed.
    const bool timed = words == 0 && t == end - 1 && r.word_in(t, {"time"}) && t > sentence_begin && r.word(t - 1) &&
                       !ends_test_name(r, t - 1) && !claimed[t - 1];
    // "Romberg's was positive": an eponym's possessive names the test; before a name it says whose.
    if (!(r.word(t) || hyphenated_number) || (ends_test_name(r, t) && !timed) || (any && is_possessive(r.text(t)))) break;
    // "PFA collagen/epinephrine closure time": two words or more of a name that ends in a test's
    // head, after a concept, are a test of their own.
    if (claimed[t]) {
      // "platelet-associated IgG level": a concept's word joined by a hyphen is part of the name.
      if (any && r.punct_is(t + 1, '-') && r.a.tokens[t].span.end == r.a.tokens[t + 1].span.begin && r.word(t)) {
        ++words;
        i = t;
        continue;
      }
      if (words >= 2 && (is_test_head(r, end - 1) || r.word_in(end - 1, WordList::unitless_result_heads) ||
                         r.word_in(end - 1, {"time", "clearance", "velocity", "pressure", "gradient"})))
        break;
      return false;
    }
    // "HHV-8" is one word, and so is "right-to-left": a word joined to the word after it by a hyphen.
    const bool joined = r.punct_is(t + 1, '-') && r.a.tokens[t].span.end == r.a.tokens[t + 1].span.begin && r.word(t + 2);
    words += hyphenated_number || joined ? 0 : 1;
    any = true;
    i = t;
  }
  if (words == 0) return false;
  // "from 115 mmol/l before ivacaftor to 40 mmol/l", "the platelet count at EOT was 92": words
  // after a word of time name an event.
  if (i > sentence_begin && r.word_in(i - 1, {"before", "after", "since", "following", "until", "at", "during"})) return false;
  while (r.punct_is(i, '-')) ++i;
  // "antigen 19–9 indicated 3.6 ng/mL": a name does not start with a number; "(Z = 10.2)", "a ratio
  // of 33": one letter, or one word that names no test alone, is no name.
  if (r.number(i)) return false;
  // "HIV serology, performed twice, was negative": a participle's phrase of when, how often or by
  // what means is no name ("Repeated blood cultures" is one).
  if (r.word_in(i, WordList::done_verbs) &&
      (i + 1 == end || r.word_in(i + 1, {"twice", "again", "once", "thrice", "previously", "earlier", "later", "at", "on", "in",
                                         "during", "after", "before", "by"})))
    return false;
  // "Fever had resolved, blood cultures were negative", "none was positive": a finding's verb, or
  // "none", names no test (the other words that stand for something named before, "all", "they",
  // "which", are test-name-boundaries and never begin a name).
  if (words == 1 && i + 1 == end &&
      (r.text(i).size() == 1 || r.word_in(i, WordList::generic_heads) || r.word_in(i, WordList::finding_verbs) ||
       r.word_is(i, "none")))
    return false;
  // "from 130 and 3.1 mmol/L to 140": the unit of the value before is no name.
  if (std::string unit, written; i > sentence_begin && r.number(i - 1) && match_unit(r, i, end, unit, written) == end) return false;
  begin = i;
  return true;
}

// The mention that covers tokens[t], if any (mentions are sorted and do not overlap), a disorder
// named as what a test looks for included.
std::uint32_t mention_covering(const Reader& r, std::uint32_t t) {
  const auto& ms = r.a.mentions;
  const auto it = std::upper_bound(ms.begin(), ms.end(), t, [](std::uint32_t v, const Mention& x) { return v < x.token_begin; });
  if (it == ms.begin()) return kNone;
  const auto k = static_cast<std::uint32_t>(it - ms.begin() - 1);
  return t < ms[k].token_end ? k : kNone;
}

// The concept mention that covers tokens[t], if any: not a disorder that names a test.
std::uint32_t mention_at(const Reader& r, std::uint32_t t) {
  const std::uint32_t k = mention_covering(r, t);
  return k != kNone && !r.a.mentions[k].names_test ? k : kNone;
}

// Words after a disorder's name that make it the name of a test: "HIV serology", "CMV PCR",
// "HIV and HHV-8 serology", "Glasgow Coma Scale".
bool is_serology_head(const Reader& r, std::uint32_t i) { return r.word_in(i, WordList::serology_heads); }

void find_tests_named_by_disorders(Reader& r) {
  auto& a = r.a;
  // "CMV IgM (+)", "EBV IgG was positive": an antibody class after the name of what it is against
  // is part of the test's name, not the total immunoglobulin.
  for (Mention& x : a.mentions) {
    const std::uint32_t b = x.token_begin;
    if (!is_lab(r, x) || b == a.sentences[x.sentence].token_begin || !r.word(b - 1) || !is_serology_head(r, b)) continue;
    std::uint32_t unused = 0;
    if (is_filler(r, b - 1) || ends_test_name(r, b - 1) || interpretation_at(r, b - 1, b, unused) != Interpretation::none) continue;
    if (const std::uint32_t before = mention_at(r, b - 1); before != kNone && is_lab(r, a.mentions[before])) continue;
    // "IgG 1500 mg/dL IgA 30 mg/dL": after a value, the class is the next analyte.
    if (value_ends_at(r, a.sentences[x.sentence].token_begin, b)) continue;
    x.names_test = true;
  }
  for (Mention& x : a.mentions) {
    const ConceptKind kind = r.m.concept_at(x.concept_index).kind();
    if (kind != ConceptKind::disorder && kind != ConceptKind::finding) continue;
    const std::uint32_t end = a.sentences[x.sentence].token_end;
    const std::uint32_t begin = a.sentences[x.sentence].token_begin;
    std::uint32_t j = x.token_end;
    // "hepatitis B virus e-antigen", "hepatitis B surface antigen", "hepatitis B core antibody":
    // an antigen of the virus, or an antibody to one, is a test. (Its DNA or RNA after "virus" is
    // read as the disease being measured: "hepatitis C virus RNA was detectable".)
    // (After "virus" only an antigen or an antibody: "hepatitis C virus genotype 3" is the disease.)
    // A carrier of the antigen has the disease: "a hepatitis B surface antigen carrier".
    std::uint32_t h = j;
    bool virus = false;
    if (h + 1 < end && r.word_is(h, "virus")) {
      ++h;
      virus = true;
    }
    if (h + 1 < end && r.word_in(h, {"e", "s", "surface", "core"})) {
      ++h;
      virus = false;
      if (h + 1 < end && r.punct_is(h, '-')) ++h;
    }
    const bool antigen_or_antibody = !virus || r.word_in(h, {"antibody", "antibodies", "antigen", "antigens", "serology", "igg", "igm"});
    if (h < end && antigen_or_antibody && is_serology_head(r, h) && !r.word_in(h + 1, {"carrier", "carriers"})) {
      x.names_test = true;
      continue;
    }
    // "a test for the human immunodeficiency virus", "screening for hepatitis B", "tested for
    // tuberculosis", and each disorder of a list there ("serologies for HIV, hepatitis B and
    // tuberculosis"): what a test looks for is no diagnosis.
    std::uint32_t b = x.token_begin;
    // "tested for HIV, and tuberculosis was confirmed": after ", and", a disorder with a verb of its
    // own is the subject of a clause of its own, no item of the list; after an Oxford comma the
    // verb is the list's ("Serologies for HIV, hepatitis B, and syphilis were sent").
    const Mention* previous = &x == &a.mentions.front() ? nullptr : &x - 1;
    const bool oxford = previous && previous->token_begin > begin && r.punct_is(previous->token_begin - 1, ',');
    // So is one after "and a", "and an", "and the" with a verb: "screened for colon cancer and a mass
    // was found".
    const auto own_verb = [&] {
      return r.word_in(j, {"was", "were", "is", "are", "has", "had", "developed"}) &&
             !r.word_in(j + 1, WordList::done_verbs);   // "Tests for HIV, and syphilis were done"
    };
    // (The verb last: most disorders follow no "and".)
    const bool own_clause = x.token_begin >= begin + 2 &&
                            ((r.punct_is(x.token_begin - 2, ',') && r.word_is(x.token_begin - 1, "and") && !oxford) ||
                             (r.word_is(x.token_begin - 2, "and") && r.word_in(x.token_begin - 1, {"a", "an", "the"}))) &&
                            own_verb();
    // An item of the list is a disorder or finding the mappings name, or up to three plain words
    // they do not ("tests for pregnancy, HIV and syphilis").
    for (std::uint32_t items = 0; items < 16 && !own_clause; ++items) {
      std::uint32_t e = b;
      if (e > begin && r.word_in(e - 1, {"the", "a", "an"})) --e;
      bool joined = false;
      if (e > begin && r.word_in(e - 1, {"and", "or"})) { --e; joined = true; }
      if (e > begin && r.punct_is(e - 1, ',')) { --e; joined = true; }
      if (!joined || e <= begin) break;
      if (const std::uint32_t c = mention_covering(r, e - 1); c != kNone) {
        const Mention* covering = &a.mentions[c];
        const ConceptKind k = r.m.concept_at(covering->concept_index).kind();
        if (covering->token_end != e || (k != ConceptKind::disorder && k != ConceptKind::finding)) break;
        b = covering->token_begin;
        continue;
      }
      std::uint32_t q = e, words = 0;
      while (q > begin && words < 3 && r.word(q - 1) && !r.word_in(q - 1, {"and", "or", "for", "the", "a", "an"}) &&
             !ends_test_name(r, q - 1) && mention_at(r, q - 1) == kNone)
        --q, ++words;
      if (words == 0 || (q > begin && !r.word_is(q - 1, "for") && !r.punct_is(q - 1, ',') && !r.word_in(q - 1, {"and", "or", "the", "a", "an"})))
        break;
      b = q;
    }
    if (b > begin && r.word_in(b - 1, {"the", "a", "an"})) --b;
    // "He was tested for tuberculosis." says nothing of the result, "… and the results were
    // negative" nothing the context stage reads; "…, which was positive" or "… and was found to be
    // positive" is read as the result says.
    // "Testing was performed for HIV", "serologies sent for HIV": the test's name before its verb
    // says the same of a disorder ("blood cultures were obtained for fever": the fever is the
    // reason, still there).
    std::uint32_t head = b - 2;
    if (b > begin + 2 && r.word_in(head, WordList::done_verbs)) {
      --head;
      if (head > begin && r.word_in(head, {"was", "were"})) --head;
    }
    const bool named_before_verb = head != b - 2 && head >= begin && is_serology_head(r, head) && kind == ConceptKind::disorder;
    bool tested_only = r.word_in(b - 2, {"tested", "screened"}) || named_before_verb;
    // (", and tuberculosis was confirmed" is another clause's.)
    const bool new_clause = j + 2 < end && r.punct_is(j, ',') && r.word_in(j + 1, {"and", "but"}) &&
                            !r.word_in(j + 2, {"it", "this", "which", "the", "all", "both", "was", "were"});
    for (std::uint32_t k = j; tested_only && !new_clause && k < end && k < j + 8; ++k)
      tested_only = !r.word_in(k, {"which", "positive", "confirmed", "detected", "reactive", "seropositive"});
    // "A PCR was performed for influenza and was negative": the result, said with the list's own
    // verb, is read as the result says.
    if (tested_only && j + 2 < end && r.word_is(j, "and") && r.word_in(j + 1, {"was", "were"}) && r.word_in(j + 2, {"negative", "positive"}))
      tested_only = false;
    if (b > begin + 1 && r.word_is(b - 1, "for") && (is_serology_head(r, b - 2) || tested_only)) {
      x.names_test = true;
      continue;
    }
    // "HIV and HHV-8 serology": the last name of the list carries the word that makes it a test.
    if (j >= end || !(r.word_in(j, {"and", "or"}) || r.punct_is(j, ','))) continue;
    std::uint32_t k = j + 1;
    if (r.punct_is(j, ',') && r.word_in(k, {"and", "or"})) ++k;
    std::uint32_t words = 0;
    for (std::uint32_t unused = 0; k < end && words < 4 && !is_serology_head(r, k); ++k, ++words) {
      (void)unused;
      // The words between are the list's next name ("HHV-8"), not a specimen: "fever, cough and
      // pneumonia, and blood cultures" names no culture of pneumonia.
      if (!(r.word(k) || r.number(k) || r.punct_is(k, '-')) || ends_test_name(r, k) || interpretation_at(r, k, end, unused) != Interpretation::none ||
          r.word_in(k, WordList::value_fillers) || r.word_in(k, WordList::other_specimens))
        break;
    }
    // The object of a verb before it is the patient's: "He had cirrhosis and hepatitis C virus RNA
    // was detectable" tests no cirrhosis.
    std::uint32_t before_x = x.token_begin;
    if (before_x > begin && r.word_in(before_x - 1, {"a", "an", "the"})) --before_x;
    const bool object_of_verb = before_x > begin && (r.word_in(before_x - 1, WordList::clause_verbs) || r.word_is(before_x - 1, "with"));
    if (words > 0 && k < end && is_serology_head(r, k) && !object_of_verb) x.names_test = true;
  }
}

// The specimen words written right before an analyte mention ("urine", "pleural fluid"), when the
// specimen is not blood; returns the first of them (the mention's own first token when none).
std::uint32_t other_specimen_before(const Reader& r, const Mention& x) {
  const std::uint32_t sentence_begin = r.a.sentences[x.sentence].token_begin;
  std::uint32_t b = x.token_begin;
  // "urinary free cortisol", "urine total protein": one word of what is measured between.
  const std::uint32_t modifier = b > sentence_begin + 1 && r.word_in(b - 1, {"free", "total"}) && r.word_in(b - 2, WordList::other_specimens) ? 1 : 0;
  b -= modifier;
  const std::uint32_t words = b;
  while (b > sentence_begin && b + 2 > words && r.word_in(b - 1, WordList::other_specimens)) --b;
  return b == words ? x.token_begin : b;
}

// A sentence about a specimen other than blood, named as its subject: "Cerebrospinal fluid (CSF)
// showed a leukocyte count of 487/μL … and glucose 20 mg/dL", "Pleural fluid analysis revealed LDH
// 500 U/L". The specimen word stands among the sentence's first three words, and no blood word
// ("serum glucose", the analyte's own or before it) nor a semicolon stands between it and the
// analyte's end.
bool of_sentence_specimen(const Reader& r, const Mention& x) {
  const std::uint32_t sentence_begin = r.a.sentences[x.sentence].token_begin;
  std::uint32_t specimen = kNone;
  for (std::uint32_t i = sentence_begin; i < x.token_begin && i < sentence_begin + 3; ++i)
    if (r.word_in(i, WordList::other_specimens)) {
      specimen = i;
      break;
    }
  if (specimen == kNone) return false;
  // The specimen is what the sentence reports on: a showing verb or an analysis within five
  // words ("CSF examination showed", "Cerebrospinal fluid (CSF) revealed"), not "urine output",
  // "peritoneal dialysis" or "after CSF drainage".
  bool reported = false;
  for (std::uint32_t i = specimen + 1; i < x.token_begin && i <= specimen + 5 && !reported; ++i)
    reported = r.word_in(i, WordList::showing_verbs) ||
               r.word_in(i, {"analysis", "analyses", "examination", "exam", "findings", "results", "cytology", "biochemistry", "contained"});
  if (!reported) return false;
  // A blood word names another specimen ("; serum glucose was 110"), unless it is part of an
  // analyte's name ("white blood cells"): the analyte's own first word, or a word outside any.
  for (std::uint32_t i = specimen + 1; i <= x.token_begin; ++i) {
    if (r.punct_is(i, ';')) return false;
    if (!r.word_in(i, {"blood", "serum", "plasma", "peripheral"})) continue;
    const std::uint32_t in = mention_covering(r, i);
    if (in == kNone || r.a.mentions[in].token_begin == i) return false;
  }
  return true;
}

// An analyte the mappings already know in a specimen other than blood ("urine protein-to-creatinine
// ratio"): the System part of its LOINC name, after the last " in " ("Protein/Creatinine [Mass
// Ratio] in Urine", "… in 24 hour Urine"), names one of those specimens.
bool of_other_specimen(const Reader& r, const mapping::ConceptView& analyte) {
  for (const Coding& c : analyte.codes()) {
    if (c.system != mapping::kLoinc) continue;
    const std::size_t in = c.display.rfind(" in ");
    if (in == std::string::npos) continue;
    std::string_view system = std::string_view(c.display).substr(in + 4);
    while (!system.empty()) {
      const std::size_t space = system.find(' ');
      if (r.m.words(WordList::other_specimens).contains_folded(system.substr(0, space))) return true;
      system = space == std::string_view::npos ? std::string_view() : system.substr(space + 1);
    }
  }
  return false;
}

// "urine sodium 40 mmol/L", "pleural fluid LDH", "sweat chloride decreased from 115 to 40 mmol/L":
// a specimen other than blood makes another test than the analyte the mappings know in blood, with
// another code and other ranges. Its values, read as the analyte's, are kept under the words the
// report uses, uncoded, without the blood analyte's typical range.
void give_other_specimens_their_results(Reader& r) {
  auto& a = r.a;
  const auto without_blood_range = [](LabResult result) {
    if (result.range_from_mappings) {
      result.range_low.reset();
      result.range_high.reset();
      result.range_text.clear();
      result.range_from_mappings = false;
      result.interpretation = Interpretation::none;
    }
    return result;
  };
  for (Mention& x : a.mentions) {
    if (!is_lab(r, x) || x.names_test) continue;
    const std::uint32_t b = other_specimen_before(r, x);
    const bool named_before = b != x.token_begin;   // "urine sodium"; else the sentence's specimen
    if ((!named_before && !of_sentence_specimen(r, x)) || of_other_specimen(r, r.m.concept_at(x.concept_index))) continue;
    const Span test{a.tokens[b].span.begin, x.span.end};
    // "serum and urine amylase were 386 and 928 U/L, respectively": the first value is the blood
    // analyte's, the others the specimen's.
    const bool blood_first = named_before && b >= a.sentences[x.sentence].token_begin + 2 && r.word_in(b - 1, {"and", "or"}) &&
                             r.word_in(b - 2, {"serum", "plasma", "blood"});
    for (TestResult& t : a.test_results)   // the other values it had (add_other_value)
      if (t.concept_index == x.concept_index && t.test == x.span) {
        t.concept_index = kNone;
        t.test = test;
        t.result = without_blood_range(std::move(t.result));
      }
    if (blood_first) continue;
    if (x.result != kNone) {
      TestResult t;
      t.test = test;
      t.sentence = x.sentence;
      t.result = without_blood_range(a.results[x.result]);
      t.result_span = x.result_span;
      a.test_results.push_back(std::move(t));
      x.result = kNone;
      x.result_span = Span{};
    }
    x.names_test = true;
  }
}

// "cortisol to insulin-induced hypoglycaemia", "response to hypoglycaemia": a finding a test
// responds to (a stimulus), not what the test's value measures. Returns the index of "to", or
// kNone when the finding is no stimulus.
std::uint32_t stimulus_begin(const Reader& r, std::uint32_t sentence_begin, const Mention& finding) {
  for (std::uint32_t b = finding.token_begin; b > sentence_begin + 1 && b + 4 > finding.token_begin; --b) {
    if (r.word_is(b - 1, "to")) {
      const std::uint32_t before = mention_at(r, b - 2);
      const bool responds = (before != kNone && is_lab(r, r.a.mentions[before])) || r.word_in(b - 2, {"response", "responses", "reaction"});
      return responds ? b - 1 : kNone;
    }
    if (!(r.word(b - 1) || r.punct_is(b - 1, '-'))) break;
  }
  return kNone;
}

// The token that begins at a byte offset (a span's first token).
std::uint32_t token_at(const Reader& r, std::uint32_t offset) {
  const auto& t = r.a.tokens;
  return static_cast<std::uint32_t>(
      std::lower_bound(t.begin(), t.end(), offset, [](const Token& k, std::uint32_t v) { return k.span.begin < v; }) - t.begin());
}

// Tokens already read: concept mentions, and the words of the results found so far.
Claimed claimed_tokens(const Reader& r) {
  const auto& a = r.a;
  Claimed claimed(a.tokens.size(), false);
  auto mark = [&](Span span) {
    if (span.empty()) return;
    for (std::uint32_t t = token_at(r, span.begin); t < a.tokens.size() && a.tokens[t].span.end <= span.end; ++t) claimed[t] = true;
  };
  for (const Mention& x : a.mentions) {
    if (!x.names_test)
      for (std::uint32_t t = x.token_begin; t < x.token_end; ++t) claimed[t] = true;
    mark(x.result_span);
  }
  for (const TestResult& x : a.test_results) {
    mark(x.test);
    mark(x.result_span);
  }
  return claimed;
}

// "hypotension (85/55 mmHg)", "hypertensive at 180/100 mm Hg": two values after a finding whose
// value measures an analyte of two components (measured_findings) are that analyte's.
void find_pairs_measuring_findings(Reader& r, Claimed& claimed) {
  auto& a = r.a;
  for (const Mention& x : a.mentions) {
    if (x.assertion != Assertion::present || x.experiencer != Experiencer::patient) continue;
    const std::uint32_t analyte = analyte_measuring(r, x);
    if (analyte == kNone || r.m.concept_at(analyte).to_concept().components.size() != 2) continue;
    const Sentence& sentence = a.sentences[x.sentence];
    const std::uint32_t limit = sentence.token_end;
    std::uint32_t i = x.token_end;
    while (i < limit && i < x.token_end + 2 && (r.punct_is(i, '(') || r.punct_is(i, ':') || r.word_in(i, {"of", "at", "with", "was", "were"})))
      ++i;
    std::vector<Quantity> pair;
    std::uint32_t end = 0;
    if (i >= limit || claimed[i] || !value_pair_at(r, i, limit, pair, end) || pair.front().unit.empty()) continue;
    if (is_target(r, sentence.token_begin, x.token_begin)) continue;
    TestResult t;
    t.test = x.span;
    t.sentence = x.sentence;
    t.concept_index = analyte;
    t.measures_finding = true;
    t.result.components = std::move(pair);
    t.result_span = Span{a.tokens[i].span.begin, a.tokens[end - 1].span.end};
    for (std::uint32_t k = i; k < end; ++k) claimed[k] = true;
    a.test_results.push_back(std::move(t));
  }
}

// "scored 15 on the Glasgow coma scale (GCS)", "was scored 2 based on the Nutrition Risk Screening
// 2002": a score written before the name of its scale. The name runs to the clause's end and must
// end in a word that names a result a bare number can be (unitless-result-heads) or a test.
void find_scores_written_first(Reader& r, Claimed& claimed) {
  auto& a = r.a;
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    for (std::uint32_t i = sentence.token_begin; i + 3 < sentence.token_end; ++i) {
      // (The word list last: it is the dearest test, and few words have a number after them.)
      if (!r.number(i + 1) || claimed[i + 1] || !r.word_in(i, WordList::score_verbs)) continue;
      if (in_context(r, s, i, i + 2, false)) continue;   // "her sister scored 10 on the Glasgow coma scale"
      std::uint32_t j = i + 1;
      Quantity q;
      if (!quantity_at(r, j, sentence.token_end, q) || !q.unit.empty()) continue;
      std::optional<std::pair<Quantity, Quantity>> out_of;
      Quantity most;
      if (std::uint32_t e = 0; r.punct_is(j, '/') && maximum_after(r, j, sentence.token_end, q, most, e)) {
        out_of = std::make_pair(q, most);
        j = e;
      }
      const std::uint32_t value_end = j;
      if (r.word_is(j, "based") && r.word_is(j + 1, "on")) j += 2;
      else if (r.word_in(j, {"on", "in", "by"})) ++j;
      else continue;
      if (r.word_in(j, {"the", "a"})) ++j;
      // "scored 3 on day 2 of the study": a name does not start with a number or a word of time.
      if (j >= sentence.token_end || !r.word(j) || ends_test_name(r, j)) continue;
      const std::uint32_t name_begin = j;
      std::uint32_t name_end = j, last_head = kNone;
      while (name_end < sentence.token_end && name_end < name_begin + 8 &&
             (r.word(name_end) || r.number(name_end) || r.punct_is(name_end, '-') || r.punct_is(name_end, '&')) &&
             !r.word_in(name_end, {"for", "and", "with", "at", "which", "that", "after", "before", "on", "in"})) {
        if (r.word_in(name_end, WordList::scale_heads)) last_head = name_end;
        ++name_end;
      }
      if (last_head == kNone) continue;
      name_end = last_head + 1;
      // "scored 5 in the assessment": one common word names no scale.
      if (name_end == name_begin + 1 && !a.tokens[name_begin].is(kAllCaps)) continue;
      // "(GCS)", "(NRS 2002)": its abbreviation.
      if (r.punct_is(name_end, '(')) {
        std::uint32_t close = name_end + 1;
        while (close < sentence.token_end && close < name_end + 4 && (r.word(close) || r.number(close))) ++close;
        if (close > name_end + 1 && r.punct_is(close, ')')) name_end = close + 1;
      }
      TestResult t;
      t.sentence = s;
      t.test = Span{a.tokens[name_begin].span.begin, a.tokens[name_end - 1].span.end};
      // "the Glasgow coma scale": a scale the mappings know as an analyte gives its code.
      for (std::uint32_t k = name_begin; k < name_end && t.concept_index == kNone; ++k)
        if (const std::uint32_t x = mention_at(r, k); x != kNone && is_lab(r, a.mentions[x])) t.concept_index = a.mentions[x].concept_index;
      if (out_of) {
        t.result.ratio = out_of;
      } else {
        q.unit = "{score}";
        t.result.value = q;
      }
      t.result_span = Span{a.tokens[i + 1].span.begin, a.tokens[value_end - 1].span.end};
      for (std::uint32_t k = i + 1; k < name_end; ++k) claimed[k] = true;
      a.test_results.push_back(std::move(t));
      i = name_end - 1;
    }
  }
}

// Where a participle's phrase set off by commas ("…, performed twice, …") begins, when the comma
// at tokens[end] closes one: the comma before it; `end` otherwise.
std::uint32_t before_participle_phrase(const Reader& r, std::uint32_t sentence_begin, std::uint32_t end) {
  if (end <= sentence_begin + 3 || !r.punct_is(end, ',')) return end;
  for (std::uint32_t p = end; p > sentence_begin + 1 && p + 8 > end; --p) {
    if (r.punct_is(p - 1, ',')) return p < end && r.word_in(p, WordList::done_verbs) ? p - 1 : end;
    if (!(r.word(p - 1) || r.number(p - 1))) return end;
  }
  return end;
}

// "Blood and urine cultures were obtained, and all were negative", "… were drawn, which were
// negative", "… were sent, both of which were normal": a word that stands for the tests a clause
// before named. Given where the subject before a copula ends, returns where the tests' names end
// (before "were obtained"); kNone when the subject is no such word.
std::uint32_t antecedent_end(const Reader& r, std::uint32_t sentence_begin, std::uint32_t subject_end) {
  if (subject_end <= sentence_begin + 4) return kNone;
  std::uint32_t q = subject_end - 1;
  if (r.word_in(q, {"which", "them"}) && r.word_is(q - 1, "of") && r.word_in(q - 2, {"all", "both", "each"})) q -= 2;
  else if (!r.word_in(q, {"all", "both", "each", "which"})) return kNone;
  std::uint32_t e = q;
  if (e > sentence_begin && r.word_is(e - 1, "and")) --e;
  if (e > sentence_begin && r.punct_is(e - 1, ',')) --e;
  if (e == q || e < sentence_begin + 3) return kNone;
  // What was done with them: "were obtained", "were also sent".
  std::uint32_t v = e;
  if (r.word_in(v - 1, {"also", "then"})) --v;
  if (!(r.word_in(v - 1, WordList::done_verbs) && r.word_in(v - 2, {"was", "were"}))) return kNone;
  return v - 2;
}

// The disorder mention, written as one abbreviation in capitals, that names the analyte a value
// measured: the mention ends right before tokens[name_end] (or before a word of level there: "ADA
// level"), the disorder has no analyte of its own, and the unit is an amount of substance, mass or
// enzyme activity per volume ("U/L", "mg/dL"), not a rate ("when VT increased to 150 beats/min")
// nor a count ("HIV 80,000 copies/mL" is the patient's HIV). kNone if none.
std::uint32_t abbreviation_measured(const Reader& r, std::uint32_t sentence_begin, std::uint32_t name_end, const Quantity& q) {
  const std::size_t slash = q.unit.find('/');
  if (slash == std::string::npos || !is_volume_unit(std::string_view(q.unit).substr(slash + 1))) return kNone;
  const std::string_view amount = std::string_view(q.unit).substr(0, slash);
  static constexpr std::string_view kAmounts[] = {"g", "mg", "ug", "ng", "pg", "mol", "mmol", "umol", "nmol", "pmol",
                                                  "U", "mU", "kU", "[IU]", "m[IU]", "u[IU]", "k[IU]", "meq", "mmeq"};
  if (std::find(std::begin(kAmounts), std::end(kAmounts), amount) == std::end(kAmounts)) return kNone;
  std::uint32_t e = name_end;
  if (e > sentence_begin + 1 && r.word_in(e - 1, {"level", "levels", "activity", "concentration"})) --e;
  if (e <= sentence_begin) return kNone;
  const std::uint32_t k = mention_at(r, e - 1);
  if (k == kNone) return kNone;
  const Mention& x = r.a.mentions[k];
  if (x.token_end != e || x.token_end != x.token_begin + 1 || !r.a.tokens[x.token_begin].is(kAllCaps) ||
      r.m.concept_at(x.concept_index).kind() != ConceptKind::disorder || analyte_measuring(r, x) != kNone)
    return kNone;
  return k;
}

// "glucose in the cerebrospinal fluid was 20 mg/dL", "ADA activity in pleural fluid was 60 U/L":
// the words [name_begin, name_end) before a value name a specimen other than blood, after "in
// (the)"; the test is what was measured in it. Returns where the test's name begins (the analyte,
// marked as naming the test: it has no value of its own in blood), or kNone.
std::uint32_t analyte_in_specimen(Reader& r, const Claimed& claimed, std::uint32_t sentence_begin,
                                  std::uint32_t name_begin, std::uint32_t name_end, const Quantity& q) {
  for (std::uint32_t w = name_begin; w < name_end; ++w)
    if (!r.word_in(w, WordList::other_specimens)) return kNone;
  std::uint32_t in = name_begin;
  if (in > sentence_begin && r.word_is(in - 1, "the")) --in;
  if (!(in > sentence_begin + 1 && r.word_is(in - 1, "in"))) return kNone;
  --in;
  std::uint32_t e = in;
  if (r.word_in(e - 1, {"level", "levels", "activity", "concentration"})) --e;
  if (e <= sentence_begin) return kNone;
  if (const std::uint32_t named = abbreviation_measured(r, sentence_begin, in, q); named != kNone) {
    r.a.mentions[named].names_test = true;
    return r.a.mentions[named].token_begin;
  }
  if (const std::uint32_t k = mention_at(r, e - 1); k != kNone && r.a.mentions[k].token_end == e) {
    Mention& analyte = r.a.mentions[k];
    if (!is_lab(r, analyte) || analyte.result != kNone) return kNone;
    analyte.names_test = true;
    return analyte.token_begin;
  }
  std::uint32_t begin = 0;
  return test_name_before(r, claimed, sentence_begin, e, begin) ? begin : kNone;
}

// "beta-D glucan (370.8 pg/mL)", "an ejection fraction of 30%", "PaO2 62 mmHg": a value with a
// unit that measures something, after words that name a test no concept covers.
void find_uncoded_values(Reader& r, Claimed& claimed) {
  auto& a = r.a;
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    for (std::uint32_t i = next_value_start(r, claimed, sentence.token_begin, sentence.token_end); i < sentence.token_end;
         i = next_value_start(r, claimed, i + 1, sentence.token_end)) {
      std::uint32_t j = i;
      Quantity q;
      if (!quantity_at(r, j, sentence.token_end, q)) continue;
      std::optional<std::pair<Quantity, Quantity>> between;
      if (std::pair<Quantity, Quantity> b; value_range_from(r, i, j, q, sentence.token_end, b, j)) {
        between = b;
        q = b.second;   // for the checks on its unit below
      }
      const std::uint32_t value_begin = i;
      // "Glasgow Coma Scale 10/15", "HDS-R score was 17/30", "visual acuity was 20/40": a value
      // out of a maximum (a ratio), when the name before ends in a word of ratio-result-heads.
      std::optional<std::pair<Quantity, Quantity>> out_of;
      // Whole numbers only: "0.3/0.8" are two decimal acuities, not one out of a maximum.
      const auto whole = [](const Quantity& x) { return x.value_text.find_first_not_of("0123456789") == std::string::npos; };
      if (std::uint32_t e = 0; q.unit.empty() && q.comparator == Comparator::none && !between && whole(q) &&
                               !r.punct_is(value_begin - 1, '/')) {
        if (Quantity most; maximum_after(r, j, sentence.token_end, q, most, e) && most.comparator == Comparator::none && whole(most)) {
          out_of = std::make_pair(q, most);
          j = e;
        }
      }
      const std::uint32_t number = j - 1;   // the quantity ends at its number or its unit
      i = j - 1;
      if (is_daily_dose(q)) continue;
      const bool measurement = is_measurement_unit(q.unit);
      const bool size_or_mass = !q.unit.empty() && !measurement && is_length_or_mass_unit(q.unit);
      if (!(q.unit.empty() || measurement || size_or_mass)) continue;
      // "in her early 70s": a decade, not seconds.
      if (q.unit == "s" && a.tokens[j - 1].span.begin == a.tokens[j - 2].span.end) continue;
      // Not a size ("2 x 3 cm"), a fraction ("120/80"), or the bound of a range ("3.5-5.0").
      if (r.punct_is(value_begin - 1, '/') || r.punct_is(value_begin - 1, 'x') || r.word_is(value_begin - 1, "x") ||
          r.punct_is(j, 'x') || r.word_is(j, "x") || r.punct_is(j, '/') ||
          ((r.punct_is(j, '-') || r.word_is(j, "to")) && r.number(j + 1)) || r.punct_is(value_begin - 1, '-'))
        continue;
      // "LVEF increased from 0.20 to 0.55": the value before, and the name before "from".
      std::optional<Quantity> earlier;
      Span earlier_span;
      std::uint32_t from_to = value_begin;
      if (r.word_is(value_begin - 1, "to") && !between) {
        for (std::uint32_t p = value_begin - 1; p > sentence.token_begin + 1 && p + 4 > value_begin; --p) {
          std::uint32_t e = p;
          Quantity first;
          if (r.word_is(p - 1, "from") && quantity_at(r, e, sentence.token_end, first) && e == value_begin - 1) {
            if (first.unit.empty()) { first.unit = q.unit; first.unit_text = q.unit_text; }
            earlier = first;
            earlier_span = Span{a.tokens[p].span.begin, a.tokens[e - 1].span.end};
            from_to = p - 1;
            while (from_to > sentence.token_begin &&
                   r.word_in(from_to - 1, {"increased", "decreased", "rose", "fell", "improved", "declined", "dropped", "changed", "went", "was", "were", "had"}))
              --from_to;
            break;
          }
        }
      }
      (void)number;
      // Between the test's name and its value: "of", "was", ":", "(", "," (a table flattened to
      // text), and what the report says of the value ("was markedly elevated at").
      std::uint32_t name_end = from_to;
      Interpretation said = Interpretation::none;
      Span said_span;
      LabResult range_before;   // "The LCI (normal < 8) … was 7.8": a range between the name and its value
      Span range_before_span;
      while (name_end > sentence.token_begin) {
        const std::uint32_t t = name_end - 1;
        std::uint32_t e = 0;
        // "measured by N2-MBW", "assessed by echocardiography": how the value was taken.
        std::uint32_t by = t;
        while (by > sentence.token_begin && by + 3 > t && !r.word_is(by, "by") && (r.word(by) || r.punct_is(by, '-'))) --by;
        if (r.word_is(by, "by") && by > sentence.token_begin && by < t &&
            (r.word_in(by - 1, WordList::uncoded_value_fillers) || r.word_in(by - 1, WordList::done_verbs))) {
          name_end = by - 1;
          continue;
        }
        if (r.punct_is(t, ')') && range_before_span.empty()) {
          std::uint32_t open = t;
          while (open > sentence.token_begin && open + 8 > t && !r.punct_is(open, '(')) --open;
          // It must say it is a range ("normal", "reference", "<"): "(2015-2017)" is a span of years.
          bool labelled = false;
          for (std::uint32_t k = open + 1; k < t && !labelled; ++k)
            labelled = r.word_in(k, WordList::reference_range_labels) || r.punct_is(k, '<') || r.punct_is(k, '>');
          if (std::uint32_t after = 0; labelled && r.punct_is(open, '(') && reference_range_at(r, open, sentence.token_end, range_before, after) &&
                                       after == t + 1) {
            range_before_span = Span{a.tokens[open].span.begin, a.tokens[t].span.end};
            name_end = open;
            continue;
          }
          range_before = LabResult{};
        }
        if (r.punct_is(t, ':') || r.punct_is(t, '=') || r.punct_is(t, '(') || r.punct_is(t, ',') ||
            r.word_in(t, WordList::uncoded_value_fillers)) {
          name_end = t;
        } else if (said == Interpretation::none && (said = interpretation_at(r, t, name_end, e)) != Interpretation::none && e == name_end) {
          said_span = a.tokens[t].span;
          name_end = t;
        } else {
          if (said != Interpretation::none && said_span.empty()) said = Interpretation::none;
          break;
        }
      }
      if (name_end == value_begin && !r.word(value_begin - 1)) continue;
      std::uint32_t name_begin = 0;
      std::uint32_t measured = kNone;   // the analyte the finding's value measures
      // "Pleural fluid ADA was 60 U/L", "ADA level was 60 U/L": a disorder's abbreviation names what
      // was measured (adenosine deaminase), not the disorder (its deficiency).
      if (const std::uint32_t named = abbreviation_measured(r, sentence.token_begin, name_end, q); named != kNone) {
        a.mentions[named].names_test = true;
        name_begin = a.mentions[named].token_begin;
      } else if (const std::uint32_t k = name_end > sentence.token_begin ? mention_at(r, name_end - 1) : kNone;
          k != kNone && a.mentions[k].token_end == name_end && a.mentions[k].assertion == Assertion::present) {
        const ConceptKind kind = r.m.concept_at(a.mentions[k].concept_index).kind();
        if (kind != ConceptKind::finding && kind != ConceptKind::disorder) continue;
        // "His mother had fever of 40 °C": not the patient's temperature.
        if (a.mentions[k].experiencer != Experiencer::patient) continue;
        // "cortisol to insulin-induced hypoglycaemia was 447 nmol/L": a finding a test responds
        // to is not what the value measures.
        if (stimulus_begin(r, sentence.token_begin, a.mentions[k]) != kNone) continue;
        name_begin = a.mentions[k].token_begin;
        measured = analyte_measuring(r, a.mentions[k]);
      } else if (!test_name_before(r, claimed, sentence.token_begin, name_end, name_begin)) {
        continue;
      } else if (const std::uint32_t analyte = analyte_in_specimen(r, claimed, sentence.token_begin, name_begin, name_end, q);
                 analyte != kNone) {
        name_begin = analyte;
      } else if (std::uint32_t e = 0; said == Interpretation::none && name_end - name_begin >= 2) {
        // "a low mitotic frequency (4/50 HPF)": the word before the name says what the value is.
        if (const Interpretation before = interpretation_at(r, name_begin, name_end - 1, e); before != Interpretation::none) {
          said = before;
          said_span = Span{a.tokens[name_begin].span.begin, a.tokens[e - 1].span.end};
          name_begin = e;
        }
      }
      if (is_target(r, sentence.token_begin, name_begin)) continue;
      // A length or a mass is a result only of a measurement of the body ("head circumference
      // 32 cm", "birth weight was 2.3 kg", "length 47 cm"), not one of something the sentence has
      // named before ("worms … with a length of 10 cm"); otherwise it is a size or a dose.
      const bool a_things = name_end - name_begin == 1 && r.word_in(name_begin - 1, {"a", "an"});
      if (size_or_mass && (!r.word_in(name_end - 1, WordList::body_measurement_heads) || a_things ||
                           r.word_in(name_begin, WordList::lesion_size_words)))   // a lesion's size
        continue;
      // "34 mmHg, 67 mmHg": the unit of the value before is not a name.
      if (name_begin > sentence.token_begin && r.number(name_begin - 1)) continue;
      // A number without a unit is a result only of a score or a ratio ("Glasgow Coma Scale score
      // of 15", "performance status (PS) was 3", "ejection fraction of 0.20"), or when an equals
      // sign gives it ("GCS = 15").
      const std::uint32_t head = r.punct_is(name_end - 1, ')') && name_end >= name_begin + 4 ? name_end - 4 : name_end - 1;
      if (q.unit.empty() && !out_of && !(q.comparator == Comparator::none &&
                              (r.word_in(head, WordList::unitless_result_heads) ||
                               (r.punct_is(name_end - 1, ')') && r.word_in(name_end - 2, WordList::unitless_result_heads)) ||
                               r.punct_is(value_begin - 1, '=') || earlier)))
        continue;
      if (out_of && !r.word_in(head, WordList::ratio_result_heads)) continue;   // "murmur grade 3/6" grades a finding
      TestResult t;
      t.test = Span{a.tokens[name_begin].span.begin, a.tokens[name_end - 1].span.end};
      t.sentence = s;
      // "fever of 39.5 °C" is a body temperature (measured_findings), when the value is one
      // number of a measurement, not a size.
      if (measured != kNone && !size_or_mass && !q.unit.empty() && r.m.concept_at(measured).to_concept().components.empty()) {
        t.concept_index = measured;
        t.measures_finding = true;
      }
      if (between) t.result.between = between;
      else if (out_of) t.result.ratio = out_of;
      else t.result.value = q;
      t.result_span = Span{a.tokens[value_begin].span.begin, a.tokens[j - 1].span.end};
      if (!said_span.empty()) {
        t.result.interpretation = said;
        t.result.qualitative = std::string(r.doc.view(said_span));
        t.result_span.begin = said_span.begin;
      }
      std::uint32_t end = 0;
      if (reference_range_at(r, j, sentence.token_end, t.result, end)) {
        t.result_span.end = a.tokens[end - 1].span.end;
        j = end;
      } else if (!range_before_span.empty()) {
        copy_reference_range(range_before, t.result);
      }
      if (t.result.interpretation == Interpretation::none) t.result.interpretation = interpret(t.result);
      if (earlier) {   // the value it had before, against the same range
        TestResult before = t;
        before.result = LabResult{};
        before.result.value = earlier;
        copy_reference_range(t.result, before.result);
        before.result.interpretation = interpret(before.result);
        before.result_span = earlier_span;
        a.test_results.push_back(std::move(before));
      }
      for (std::uint32_t k = name_begin; k < j; ++k) claimed[k] = true;
      a.test_results.push_back(std::move(t));
      i = j - 1;
    }
  }
}

// The test named right before tokens[end]: a procedure mention (coded), or words ending in a
// test's name ("blood cultures"), or — when `any_words` — any words no concept covers ("the right
// ventricle"). A lab mention is its own result's business (read_result), never a test here.
bool test_ending_at(const Reader& r, const Claimed& claimed, std::uint32_t sentence_begin, std::uint32_t end,
                    bool any_words, TestResult& t) {
  if (end <= sentence_begin) return false;
  const std::uint32_t k = mention_at(r, end - 1);
  if (k != kNone) {
    const Mention& x = r.a.mentions[k];
    if (r.m.concept_at(x.concept_index).kind() != ConceptKind::procedure || x.token_end != end) return false;
    t.concept_index = x.concept_index;
    t.test = x.span;
    return true;
  }
  std::uint32_t begin = 0;
  if (!(any_words || is_test_head(r, end - 1)) || !test_name_before(r, claimed, sentence_begin, end, begin)) return false;
  // "laboratory tests for systemic diseases", "screening for infectious pathogens": the test is
  // named before what it looks for.
  std::uint32_t outer = 0;
  if (begin > sentence_begin && r.word_in(begin - 1, {"the", "a", "an"}) && begin >= sentence_begin + 3 &&
      r.word_in(begin - 2, {"for", "of"}) && is_test_head(r, begin - 3))
    --begin;
  if (begin >= sentence_begin + 2 && r.word_in(begin - 1, {"for", "of"}) && is_test_head(r, begin - 2)) {
    if (const std::uint32_t p = mention_at(r, begin - 2);
        p != kNone && r.a.mentions[p].token_end == begin - 1 && r.m.concept_at(r.a.mentions[p].concept_index).kind() == ConceptKind::procedure) {
      t.concept_index = r.a.mentions[p].concept_index;
      begin = r.a.mentions[p].token_begin;
    } else if (test_name_before(r, claimed, sentence_begin, begin - 1, outer)) {
      begin = outer;
    }
  }
  t.test = Span{r.a.tokens[begin].span.begin, r.a.tokens[end - 1].span.end};
  return true;
}

// "the ECG showed", "coronary angiography on admission revealed", "cardiac catheterization was
// performed and revealed": the test whose result the words at tokens[i] are. Sets t.test (and
// t.concept_index for a procedure the mappings know).
bool test_that_showed(const Reader& r, const Claimed& claimed, std::uint32_t sentence_begin, std::uint32_t i, TestResult& t) {
  std::uint32_t v = i;
  if (v > sentence_begin && r.word_in(v - 1, {"a", "an"})) --v;
  if (!(v > sentence_begin + 1 && r.word_in(v - 1, WordList::showing_verbs))) return false;
  std::uint32_t end = v - 1;
  // "… was performed and revealed": the test is named before what was done with it.
  if (end >= sentence_begin + 4 && r.word_is(end - 1, "and") && r.word_in(end - 2, WordList::done_verbs) &&
      r.word_in(end - 3, {"was", "were"}))
    end -= 3;
  // "ECG on admission showed": when it was done, between the test and its verb.
  if (end >= sentence_begin + 3 && r.word_in(end - 1, WordList::times_of_stay) && r.word_in(end - 2, {"on", "at", "upon"})) end -= 2;
  if (!test_ending_at(r, claimed, sentence_begin, end, false, t)) return false;
  // "repeat ECG after cardioversion showed": the procedure after a word of time dates the test.
  const std::uint32_t b = token_at(r, t.test.begin);
  return !(b > sentence_begin && r.word_in(b - 1, {"after", "following", "before", "post", "during"}));
}

// "the ECG showed normal sinus rhythm", "coronary angiography revealed normal coronary arteries":
// a normal finding that a test showed is that test's result, its code the result's value; it is
// written once, as the test's Observation, not also as a finding.
void find_normal_findings_tests_showed(Reader& r, Claimed& claimed) {
  auto& a = r.a;
  for (Mention& x : a.mentions) {
    const ConceptKind kind = r.m.concept_at(x.concept_index).kind();
    if ((kind != ConceptKind::finding && kind != ConceptKind::disorder) || x.names_test || x.assertion != Assertion::present ||
        x.experiencer != Experiencer::patient || x.hypothetical)
      continue;
    std::uint32_t e = 0;
    if (interpretation_at(r, x.token_begin, x.token_end, e) != Interpretation::normal || e >= x.token_end) continue;
    TestResult t;
    t.sentence = x.sentence;
    if (!test_that_showed(r, claimed, a.sentences[x.sentence].token_begin, x.token_begin, t) ||
        in_context(r, x.sentence, x.token_begin, x.token_end, false))   // "if the ECG showed normal sinus rhythm"
      continue;
    t.result.interpretation = Interpretation::normal;
    t.result_span = x.span;
    t.value_concept = x.concept_index;
    for (std::uint32_t k = token_at(r, t.test.begin); k < x.token_end; ++k) claimed[k] = true;
    x.value_of_test = true;
    a.test_results.push_back(std::move(t));
  }
}

// "X was (also) negative", "X: normal", "X were found to be normal", "X was reported as normal",
// "X tested negative", "X came back negative":
// the test before a result word. Returns where the words before the copula end (kNone if none).
std::uint32_t copula_before(const Reader& r, std::uint32_t sentence_begin, std::uint32_t i) {
  // "the liver function returned to normal", "ANCA levels normalized": the result word is the verb.
  if (r.word_in(i, {"returned", "normalized", "normalised", "turned"})) return i;
  std::uint32_t c = i;
  while (c > sentence_begin && r.word_in(c - 1, WordList::result_adverbs)) --c;
  if (c >= sentence_begin + 3 && r.word_is(c - 1, "be") && r.word_is(c - 2, "to") && r.word_in(c - 3, {"found", "noted", "shown"})) c -= 3;
  else if (c >= sentence_begin + 2 && r.word_is(c - 1, "as") && r.word_in(c - 2, {"reported", "interpreted", "read"})) c -= 2;
  else if (c >= sentence_begin + 2 && r.word_is(c - 1, "back") && r.word_in(c - 2, {"came", "come", "comes"})) c -= 1;   // "came back negative"
  if (c > sentence_begin + 1 &&
      (r.word_in(c - 1, {"was", "were", "is", "are", "remained", "proved", "appeared", "tested", "came", "come", "comes", "became", "turned"}) ||
       r.punct_is(c - 1, ':')))
    return c > sentence_begin + 2 && r.punct_is(c - 2, ',') ? c - 2 : c - 1;   // "X, as well as Y, were negative"
  return kNone;
}

// "positive for S-100, HMB-45 and vimentin", "strongly positive to p16": one result per marker
// named after the result word. A disorder named there ("negative for malignancy") is a negated
// finding, which context has read; the list stops at it.
bool markers_after(Reader& r, Claimed& claimed, std::uint32_t s, std::uint32_t end, const TestResult& said) {
  auto& a = r.a;
  const Sentence& sentence = a.sentences[s];
  // "positive immunoreactivity for", "negative staining for".
  if (r.word_in(end, {"immunoreactivity", "reactivity", "staining", "immunostaining", "expression", "reaction"})) ++end;
  if (!r.word_in(end, {"for", "to"})) return false;
  std::uint32_t j = end + 1;
  bool any = false;
  while (j < sentence.token_end) {
    const std::uint32_t k = mention_at(r, j);
    std::uint32_t item_end = j;
    if (k != kNone) {
      if (!is_lab(r, a.mentions[k]) || a.mentions[k].token_begin != j) break;
      item_end = a.mentions[k].token_end;
      if (a.mentions[k].result == kNone) a.set_result(a.mentions[k], said.result, said.result_span);
    } else {
      while (item_end < sentence.token_end && item_end < j + 4 && !claimed[item_end]) {
        if (r.punct_is(item_end, '-') && item_end > j && (r.word(item_end + 1) || r.number(item_end + 1))) item_end += 2;   // "Melan-A"
        else if (r.number(item_end) || (r.word(item_end) && !ends_test_name(r, item_end))) ++item_end;
        else break;
      }
      item_end = std::min(item_end, sentence.token_end);
      if (item_end == j || (item_end < sentence.token_end && mention_at(r, item_end) != kNone)) break;
      TestResult t = said;
      t.test = Span{a.tokens[j].span.begin, a.tokens[item_end - 1].span.end};
      for (std::uint32_t x = j; x < item_end; ++x) claimed[x] = true;
      a.test_results.push_back(std::move(t));
    }
    any = true;
    // Skip a bracketed aside after the marker: "(Fig.4b)", "(clone KP1)".
    if (r.punct_is(item_end, '(')) {
      std::uint32_t close = item_end + 1;
      while (close < sentence.token_end && close < item_end + 8 && !r.punct_is(close, ')')) ++close;
      if (r.punct_is(close, ')')) item_end = close + 1;
    }
    if (r.punct_is(item_end, ',') && r.word_in(item_end + 1, {"and", "or"})) j = item_end + 2;
    else if (r.punct_is(item_end, ',') || r.word_in(item_end, {"and", "or"})) j = item_end + 1;
    else break;
  }
  return any;
}

// A word that says where or in what a test looked, and so can share a list's head ("Blood and urine
// cultures", "renal and liver function tests", "HIV and HHV-8 serology"): a specimen, an organ's
// adjective in small letters (a capital only to start the sentence), or a disorder the test looks
// for. A test's own name does not ("HBsAg and anti-HIV antibodies", "CBC and blood cultures",
// "Coagulation and liver function tests").
bool qualifies_a_test(const Reader& r, std::uint32_t i, std::uint32_t sentence_begin) {
  if (r.word_in(i, WordList::other_specimens) || r.word_in(i, {"blood", "serum", "plasma", "liver", "thyroid", "kidney", "lung", "heart"}))
    return true;
  if (const std::uint32_t k = mention_at(r, i); k != kNone) return false;
  // A disorder named as what the test looks for ("HIV"): mention_at skips it.
  if (const std::uint32_t k = mention_covering(r, i);
      k != kNone && r.a.mentions[k].token_begin == i && r.a.mentions[k].token_end == i + 1 && r.a.mentions[k].names_test)
    return true;
  const std::string_view w = r.text(i);
  const bool lower = !w.empty() && (i == sentence_begin || (w[0] >= 'a' && w[0] <= 'z')) &&
                     w.substr(1).find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == std::string_view::npos;
  return lower && (w.ends_with("al") || w.ends_with("ic") || w.ends_with("ary") || w.ends_with("ory") || w.ends_with("ar"));
}

// "Blood cultures were negative", "the echocardiogram was normal", "a normal chest radiograph",
// "positive for S-100 and vimentin", "coronary angiography showed normal coronary arteries": a test
// (a procedure the mappings know, or words naming one) with what its result says.
void find_test_interpretations(Reader& r, Claimed& claimed) {
  auto& a = r.a;
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      if (claimed[i]) continue;
      // Most tokens begin no result word and open no sign: ruled out before the lookups.
      if (!r.m.interpretation_terms.may_start_with(a.tokens[i]) && !r.punct_is(i, '(')) continue;
      std::uint32_t end = 0;
      Interpretation interp = interpretation_at(r, i, sentence.token_end, end);
      // "CD34 (+), S-100 (-)": a sign in brackets right after the name of a marker.
      if (interp == Interpretation::none && (interp = sign_at(r, i, sentence.token_end, end)) != Interpretation::none) {
        TestResult t;
        t.sentence = s;
        t.result.interpretation = interp;
        t.result.qualitative = std::string(r.doc.view(Span{a.tokens[i].span.begin, a.tokens[end - 1].span.end}));
        t.result_span = t.result.qualitative.empty() ? Span{} : Span{a.tokens[i].span.begin, a.tokens[end - 1].span.end};
        if (test_ending_at(r, claimed, sentence.token_begin, i, true, t)) {
          for (std::uint32_t k = i; k < end; ++k) claimed[k] = true;
          a.test_results.push_back(std::move(t));
        }
        i = end - 1;
        continue;
      }
      if (interp == Interpretation::none) continue;
      TestResult t;
      t.sentence = s;
      t.result.interpretation = interp;
      t.result.qualitative = std::string(r.doc.view(Span{a.tokens[i].span.begin, a.tokens[end - 1].span.end}));
      t.result_span = Span{a.tokens[i].span.begin, a.tokens[end - 1].span.end};
      const bool normal_or_not = interp == Interpretation::normal || interp == Interpretation::abnormal;
      const bool sign = interp == Interpretation::positive || interp == Interpretation::negative;
      bool found = false;
      if (sign && markers_after(r, claimed, s, end, t)) {
        i = end - 1;
        continue;
      }
      // The test before: "X was negative"; any words for a state ("the right ventricle was normal").
      if (std::uint32_t copula = copula_before(r, sentence.token_begin, i); copula != kNone) {
        // "Brain ultrasound performed at age 5 days was normal": the test is named before it was done.
        for (std::uint32_t p = copula; p > sentence.token_begin + 1 && p + 6 > copula; --p) {
          if (!(r.word(p - 1) || r.number(p - 1)) || r.word_in(p - 1, {"and", "or", "the", "a", "an"})) break;
          // "performed at age 5 days was": nothing, or a phrase of when or where, after the participle.
          if (r.word_in(p - 1, WordList::done_verbs) && (p == copula || r.word_in(p, {"at", "on", "in", "during", "after", "before", "under", "by", "with"}))) {
            copula = p - 1;
            break;
          }
        }
        // "HIV serology, performed twice, was negative": the participle's phrase set off by commas
        // (copula_before stops at the second comma, the loop above at the participle).
        if (copula > sentence.token_begin + 1 && r.word_in(copula, WordList::done_verbs) && r.punct_is(copula - 1, ','))
          --copula;
        else if (const std::uint32_t named = antecedent_end(r, sentence.token_begin, copula); named != kNone)
          copula = named;
        else
          copula = before_participle_phrase(r, sentence.token_begin, copula);
        found = test_ending_at(r, claimed, sentence.token_begin, copula, true, t);
        // "Blood counts and serum chemistries were normal", "HIV, HBV and HCV serologies were
        // negative": each test of the list before the copula has the result.
        std::uint32_t before = found ? token_at(r, t.test.begin) : kNone;
        const std::uint32_t last_begin = before;
        // The words at the end of the list's last test that name a test ("cultures" of "urine
        // cultures"), which one-word items before it share: "Blood, urine and sputum cultures",
        // "HIV and HHV-8 serology".
        std::string shared_head;
        if (found && t.concept_index == kNone && r.word_is(last_begin - 1, "and")) {
          const std::uint32_t last_end = token_at(r, t.test.end);
          std::uint32_t head = last_end;
          while (head > last_begin + 1 && r.word(head - 1) && is_test_head(r, head - 1)) --head;
          if (head < last_end) shared_head = std::string(r.doc.view(Span{a.tokens[head].span.begin, t.test.end}));
        }
        bool one_word_items = true;   // every item after the last test so far is one word
        while (found && before != kNone && before > sentence.token_begin + 1) {
          std::uint32_t e = before;
          // "… and a urine culture"; after ", and" an article more often starts a clause of its own
          // ("the absence of Koplik spots, and a respiratory adenovirus PCR was also negative").
          bool after_article = false;
          if (e > sentence.token_begin + 3 && r.word_in(e - 1, {"a", "an", "the"}) && r.word_in(e - 2, {"and", "or"}) &&
              !r.punct_is(e - 3, ',')) {
            --e;
            after_article = true;
          }
          if (e > sentence.token_begin + 3 && r.word_is(e - 1, "as") && r.word_is(e - 2, "well") && r.word_is(e - 3, "as")) e -= 3;
          else if (r.punct_is(e - 1, ',') || r.word_in(e - 1, {"and", "or"})) --e;
          else break;
          if (e > sentence.token_begin && r.punct_is(e - 1, ',')) --e;
          e = before_participle_phrase(r, sentence.token_begin, e);   // "Blood cultures, performed twice, and …"
          TestResult other = t;
          other.concept_index = kNone;
          other.name.clear();
          if (!test_ending_at(r, claimed, sentence.token_begin, e, true, other)) break;
          // An item names a test: a procedure, words that end in a test's name ("serum
          // chemistries"), or one word of a list of them before the last test ("the liver and
          // spleen"). Not the end of the clause before: a participle ("He was extubated and the
          // blood cultures were negative"), nor a word after a verb ("a diagnosis was made, urine
          // and blood cultures were obtained").
          const std::uint32_t b = token_at(r, other.test.begin);
          const bool next_to_last = before == last_begin;
          // The object of a preposition further back ("arthritis of the knee, and blood and
          // synovial fluid cultures") ends the clause before as well.
          const std::uint32_t lead = b > sentence.token_begin + 1 && r.word_in(b - 1, {"the", "a", "an"}) ? b - 1 : b;
          const bool after_preposition = lead > sentence.token_begin && r.word_in(lead - 1, {"of", "in", "on", "at", "from", "into"});
          const bool clause_joint = r.punct_is(e, ',') && r.word_is(e + 1, "and");
          const bool predicate = (b + 1 == e && (r.text(b).ends_with("ed") || r.word_in(b, WordList::done_verbs) ||
                                                 r.word_in(b, WordList::finding_verbs))) ||
                                 (b > sentence.token_begin && r.word_in(b - 1, {"was", "were", "is", "are", "be", "been", "had", "has", "have"})) ||
                                 (!next_to_last && clause_joint && after_preposition);
          one_word_items = one_word_items && b + 1 == e && !predicate;
          const bool names_a_test = other.concept_index != kNone || is_test_head(r, e - 1);
          // After "and the", only a test by its name: "sent to our laboratory and the PCR was negative".
          if (!names_a_test && (predicate || after_article)) break;
          // A plural is a thing of its own ("normal in both eyes and slit lamp examination"), and so
          // is a preposition's object ("lesions in the liver and blood cultures"). A head
          // of two words is shared by the item before "and" only: "Haemogram, renal and liver
          // function tests".
          if (other.concept_index == kNone && one_word_items && !shared_head.empty() && !is_test_head(r, b) && !r.text(b).ends_with('s') &&
              (next_to_last || shared_head.find(' ') == std::string::npos) && qualifies_a_test(r, b, sentence.token_begin) &&
              !after_preposition && !(lead > sentence.token_begin && r.word_in(lead - 1, {"to", "with"})))
            other.name = std::string(r.doc.view(other.test)) + " " + shared_head;
          for (std::uint32_t k = b; k < e; ++k) claimed[k] = true;
          before = b;
          a.test_results.push_back(std::move(other));
        }
      }
      // The test after: "a normal echocardiogram", "negative blood cultures".
      if (!found && !r.word_in(end, {"for", "to", "in", "at", "on"}) && end < sentence.token_end) {
        const std::uint32_t k = mention_at(r, end);
        if (k != kNone) {
          if (r.m.concept_at(a.mentions[k].concept_index).kind() == ConceptKind::procedure && a.mentions[k].token_begin == end) {
            t.concept_index = a.mentions[k].concept_index;
            t.test = a.mentions[k].span;
            found = true;
          }
        } else {
          for (std::uint32_t h = end; h < sentence.token_end && h < end + 4 && r.word(h) && !claimed[h] && !ends_test_name(r, h); ++h)
            if (is_test_head(r, h)) {
              t.test = Span{a.tokens[end].span.begin, a.tokens[h].span.end};
              found = true;
              break;
            }
        }
      }
      // The test that showed it: "coronary angiography showed normal coronary arteries".
      if (!found && normal_or_not) {
        if (test_that_showed(r, claimed, sentence.token_begin, i, t)) {
          found = true;
          // What was normal: the words after the result word, up to the clause's end.
          std::uint32_t w = end;
          while (w < sentence.token_end && w < end + 5 && (r.word(w) || r.punct_is(w, '-')) && !r.word_in(w, {"and", "with", "but", "or", "which"})) ++w;
          if (w > end) t.result.qualitative = std::string(r.doc.view(Span{a.tokens[i].span.begin, a.tokens[w - 1].span.end}));
        }
      }
      if (found) {
        for (std::uint32_t k = i; k < end; ++k) claimed[k] = true;
        a.test_results.push_back(std::move(t));
      }
      i = end - 1;
    }
  }
}

// ---- classifications -------------------------------------------------------------------------

// "III", "IIA", "IVb", "Ⅱ": a Roman numeral, with the letter or digit of a substage.
bool roman_stage(std::string_view w) {
  if (w.size() == 3 && static_cast<unsigned char>(w[0]) == 0xE2 && static_cast<unsigned char>(w[1]) == 0x85 &&
      static_cast<unsigned char>(w[2]) >= 0xA0 && static_cast<unsigned char>(w[2]) <= 0xAB)
    return true;   // Ⅰ … Ⅻ, the numerals Unicode has as letters
  std::size_t n = 0;
  while (n < w.size() && (w[n] == 'I' || w[n] == 'V' || w[n] == 'X')) ++n;
  if (n == 0 || n > 4) return false;
  const std::string_view numeral = w.substr(0, n), rest = w.substr(n);
  static constexpr std::string_view numerals[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"};
  if (std::find(std::begin(numerals), std::end(numerals), numeral) == std::end(numerals)) return false;
  return rest.empty() || (rest.size() == 1 && (std::isalpha(static_cast<unsigned char>(rest[0])) || std::isdigit(static_cast<unsigned char>(rest[0])))) ||
         (rest.size() == 2 && std::isalpha(static_cast<unsigned char>(rest[0])) && std::isdigit(static_cast<unsigned char>(rest[1])));
}

// The part of a TNM classification at w[i] ("T3", "pT1b", "N0", "M1a"): its letter `letter`, then
// "is", "X" or a digit, then a sublevel. Returns the index after it, or `i` when there is none.
std::size_t tnm_part(std::string_view w, std::size_t i, char letter) {
  if (i >= w.size() || w[i] != letter) return i;
  std::size_t j = i + 1;
  if (letter == 'T' && w.substr(j, 2) == "is") return j + 2;
  if (j >= w.size() || !(w[j] == 'X' || (w[j] >= '0' && w[j] <= '4'))) return i;
  ++j;
  while (j < w.size() && j < i + 5 && ((w[j] >= 'a' && w[j] <= 'd') || std::isdigit(static_cast<unsigned char>(w[j])) || w[j] == 'i')) ++j;
  return j;
}

// "T3N1M0", "pT1bN0M0", "ypT2", "pT3 N0": a TNM classification — a T part and an N part at least
// (a T alone is as often a vertebra or an MRI weighting). Returns the index after it, or `i`.
std::uint32_t tnm_at(const Reader& r, std::uint32_t i, std::uint32_t limit) {
  if (!r.word(i)) return i;
  std::string_view w = r.text(i);
  // Most words have no T among their first three letters, where a classification has it.
  const auto t_at = [&](std::size_t n) { return n < w.size() && w[n] == 'T'; };
  if (!t_at(0) && !t_at(1) && !t_at(2)) return i;
  std::size_t k = 0;
  while (k < 2 && k < w.size() && (w[k] == 'y' || w[k] == 'r' || w[k] == 'p' || w[k] == 'c' || w[k] == 'a')) ++k;
  const std::size_t t = tnm_part(w, k, 'T');
  if (t == k) return i;
  std::uint32_t end = i + 1;
  // The next word, one space after the one before it.
  const auto next_word = [&](std::uint32_t e) {
    return e < limit && r.word(e) && r.a.tokens[e].span.begin == r.a.tokens[e - 1].span.end + 1;
  };
  bool apart = false;
  std::size_t n = tnm_part(w, t, 'N');
  if (n == t) {   // "pT3 N0": the N part written apart
    if (t != w.size() || !next_word(end)) return i;
    w = r.text(end);
    n = tnm_part(w, 0, 'N');
    if (n == 0) return i;
    ++end;
    apart = true;
  }
  std::size_t m = tnm_part(w, n, 'M');
  bool has_m = m > n;
  if (!has_m && n == w.size() && next_word(end) && tnm_part(r.text(end), 0, 'M') == r.text(end).size()) {   // "pT3 N1 M1"
    ++end;
    has_m = true;
    m = n;
  }
  if (m != w.size()) return i;   // "T2weighted", "N2O": letters after it
  // "T2 N2 weighted images": parts written apart are a classification only after a prefix ("pT3
  // N0") or with their M part.
  if (apart && k == 0 && !has_m) return i;
  return end;
}

// What may keep a value read at tokens [begin, end) from being a fact about the patient as it
// stands: a relative or another person named just before it in its clause ("his mother had
// T2N1M0 breast cancer"), a hypothesis whose reach covers it ("if the ECG showed …"), and, when
// `negations` is set, a negation, hedge or differential whose reach covers it ("stage IV disease
// was ruled out"). The stage, class and score readers tie their value to no concept that context
// could qualify, so they ask this instead. A trigger reaches the value only in its direction, a
// few words away, with no ';' between ("she had no chest pain; NYHA class II").
bool in_context(const Reader& r, std::uint32_t s, std::uint32_t begin, std::uint32_t end, bool negations = false) {
  const auto semicolon_between = [&](std::uint32_t from, std::uint32_t to) {
    for (std::uint32_t k = from; k < to; ++k)
      if (r.punct_is(k, ';')) return true;
    return false;
  };
  for (const TriggerMatch& t : in_sentence(r.a.triggers, s)) {
    const bool person = t.category == ContextCategory::family || t.category == ContextCategory::other;
    const bool negating = t.category == ContextCategory::negation || t.category == ContextCategory::possible ||
                          t.category == ContextCategory::differential;
    if (!(person || t.category == ContextCategory::hypothetical || (negations && negating))) continue;
    const Direction direction = r.m.set.triggers[t.trigger].direction;
    const bool before = t.token_end <= begin && t.token_end + 8 > begin && direction != Direction::backward &&
                        !semicolon_between(t.token_end, begin);
    const bool after = !person && t.token_begin >= end && t.token_begin < end + 6 && direction != Direction::forward &&
                       !semicolon_between(end, t.token_begin);
    const bool inside = t.token_begin < end && t.token_end > begin;
    if (before || after || inside) return true;
  }
  return false;
}

// The disorder a stage stages: the disorder right before it ("CKD stage 3", "colon cancer, stage
// IV"), else one starting a few words after it with nothing but modifiers, commas and a TNM
// classification between ("stage IIA, T1bN1, left-sided breast cancer", "stage 3 CKD"); kNone
// when there is none. "CKD stage 3 due to diabetic nephropathy" stages the CKD.
std::uint32_t staged_disorder(const Reader& r, std::uint32_t s, std::uint32_t stage_begin, std::uint32_t stage_end) {
  std::uint32_t after = kNone;
  for (const Mention& x : in_sentence(r.a.mentions, s)) {
    const auto k = static_cast<std::uint32_t>(&x - r.a.mentions.data());
    if (x.names_test || r.m.concept_at(x.concept_index).kind() != ConceptKind::disorder) continue;
    if (x.token_end == stage_begin || (x.token_end + 1 == stage_begin && r.punct_is(x.token_end, ','))) return k;
    if (after == kNone && x.token_begin >= stage_end && x.token_begin < stage_end + 6) {
      bool plain = true;
      for (std::uint32_t w = stage_end; w < x.token_begin && plain; ++w)
        plain = r.punct_is(w, ',') || r.punct_is(w, '-') || (r.word(w) && !ends_test_name(r, w) &&
                                                              !r.word_in(w, {"due", "secondary", "with", "without", "and", "or"}));
      if (plain) after = k;
    }
  }
  return after;
}
// A stage, a class, a classification: "T3N1M0" (TNM), "stage IIA", "NYHA class III", "NYHA
// functional class II", "function class II (New York Heart Association)". Each is a result
// (valueString: the stage as written) of the classification named before it. A stage counts only
// with the disorder it stages, a TNM classification in its sentence, or a name before it ("Tanner
// stage 3", "FIGO stage IB2"): "at this stage I recommended surgery" is none.
void find_classifications(Reader& r, Claimed& claimed) {
  auto& a = r.a;
  const auto add = [&](std::uint32_t s, Span test, std::uint32_t value_begin, std::uint32_t value_end, std::string name) {
    TestResult t;
    t.sentence = s;
    t.test = test;
    t.name = std::move(name);
    t.result.string_value = std::string(r.doc.view(Span{a.tokens[value_begin].span.begin, a.tokens[value_end - 1].span.end}));
    t.result_span = Span{a.tokens[value_begin].span.begin, a.tokens[value_end - 1].span.end};
    for (std::uint32_t k = token_at(r, test.begin); k < value_end; ++k) claimed[k] = true;
    a.test_results.push_back(std::move(t));
  };
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    bool tnm = false;
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      if (claimed[i]) continue;
      if (const std::uint32_t end = tnm_at(r, i, sentence.token_end); end > i) {
        tnm = true;   // a stage beside it is the tumour's, whoever's the classification is
        // A TNM classification states its own negatives ("N0"): only a relative or a hypothesis
        // keeps it from the patient. Its words are no test's name either way.
        if (!in_context(r, s, i, end, false)) add(s, Span{a.tokens[i].span.begin, a.tokens[end - 1].span.end}, i, end, "TNM classification");
        for (std::uint32_t k = i; k < end; ++k) claimed[k] = true;
        i = end - 1;
      }
    }
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      if (claimed[i]) continue;
      // "stage IIA", "stage of IVA", "stage was classified as IA2"; "NYHA class III", "NYHA
      // functional class II", "NYHA (New York Heart Association) class Ⅱ".
      const bool stage = r.word_in(i, {"stage"});
      const bool nyha_class = r.word_in(i, {"class"}) && i > sentence.token_begin &&
                              (r.word_in(i - 1, {"nyha", "functional", "function"}) || (r.punct_is(i - 1, ')') && i >= sentence.token_begin + 3));
      if (!stage && !nyha_class) continue;
      std::uint32_t v = i + 1;
      if (stage) {
        if (r.word_is(v, "of")) ++v;
        else if (r.word_is(v, "was") && r.word_is(v + 1, "classified") && r.word_is(v + 2, "as")) v += 3;
      }
      // "stage 1 sarcoidosis", "stage 5 CKD": a stage may be a digit; a class is NYHA's Roman numeral.
      const bool digit_stage = stage && r.number(v) && r.text(v).size() == 1 && r.text(v)[0] <= '5';
      if (v >= sentence.token_end || claimed[v] || !(digit_stage || (r.word(v) && roman_stage(r.text(v))))) continue;
      std::uint32_t name_begin = i;
      std::string name;
      if (stage) {
        const std::uint32_t disorder = staged_disorder(r, s, i, v + 1);
        // "Tanner stage", "FIGO stage", "Ann Arbor stage": the staging system's name before it,
        // when no disorder names the stage.
        const auto capital = [&](std::uint32_t w) {
          return w > sentence.token_begin && r.word(w) && !ends_test_name(r, w) && !claimed[w] &&
                 (a.tokens[w].is(kCapitalized) || a.tokens[w].is(kAllCaps));
        };
        const bool named = disorder == kNone && capital(i - 1);
        if (named) {
          --name_begin;
          if (capital(name_begin - 1)) --name_begin;   // "Ann Arbor"
        } else if (i > sentence.token_begin && r.word_in(i - 1, {"clinical", "pathological", "pathologic"})) {
          --name_begin;
        }
        if (disorder == kNone && !named && !tnm) continue;
        // The disorder's own context decides ("her mother had stage IV breast cancer"); without
        // one, the words around the stage ("stage IV disease was ruled out").
        if (disorder != kNone) {
          const Mention& d = a.mentions[disorder];
          if (d.assertion != Assertion::present || d.experiencer != Experiencer::patient || d.hypothetical || in_context(r, s, i, v + 1, false)) continue;
          name = as_written(r.doc.view(d.span)) + " stage";
        } else if (in_context(r, s, name_begin, v + 1, true)) {
          continue;
        }
      }
      if (nyha_class && in_context(r, s, i, v + 1, false)) continue;   // a class states itself: relatives and hypotheses only
      if (nyha_class) {
        // Back over "functional" and "(New York Heart Association)" to "NYHA"; without NYHA, the
        // class must be NYHA's by the words after it.
        std::uint32_t b = i;
        if (r.word_in(b - 1, {"functional", "function"})) --b;
        if (r.punct_is(b - 1, ')')) {
          std::uint32_t open = b - 1;
          while (open > sentence.token_begin && open + 6 > b && !r.punct_is(open, '(')) --open;
          if (r.punct_is(open, '(')) b = open;
        }
        const bool after = r.punct_is(v + 1, '(') && r.word_in(v + 2, {"new", "nyha"});
        if (b > sentence.token_begin && r.word_in(b - 1, {"nyha"})) name_begin = b - 1;
        else if (after) name_begin = b;
        else continue;
      }
      add(s, Span{a.tokens[name_begin].span.begin, a.tokens[i].span.end}, v, v + 1, std::move(name));
      i = v;
    }
  }
}

// ---- values in order -------------------------------------------------------------------------

// One name of a list of tests, read leftwards from tokens[end]: an analyte mention ending there,
// or the words of a test no concept covers.
struct ListItem {
  std::uint32_t begin = 0, end = 0;      // tokens
  std::uint32_t mention = kNone;         // a lab mention, when the item is one
  std::uint32_t concept_index = kNone;   // the analyte a name of one word stands for (complete_elliptic_names)
};

bool list_item_before(const Reader& r, const Claimed& claimed, std::uint32_t sentence_begin, std::uint32_t end, ListItem& item) {
  if (end <= sentence_begin) return false;
  const std::uint32_t k = mention_at(r, end - 1);
  if (k != kNone) {
    if (!is_lab(r, r.a.mentions[k]) || r.a.mentions[k].token_end != end) return false;
    item = ListItem{r.a.mentions[k].token_begin, end, k};
    return true;
  }
  std::uint32_t begin = 0;
  if (!test_name_before(r, claimed, sentence_begin, end, begin)) return false;
  item = ListItem{begin, end, kNone};
  return true;
}

// "Total and direct bilirubin": a name of one word, listed before an analyte of several, shares the
// analyte's last words; when the mappings know the whole name ("total bilirubin"), the item is
// that analyte. The item keeps its own words as its text.
void complete_elliptic_names(const Reader& r, std::vector<ListItem>& items) {
  const auto& a = r.a;
  for (std::size_t x = 0; x + 1 < items.size(); ++x) {
    ListItem& item = items[x];
    const ListItem& next = items[x + 1];
    if (item.mention != kNone || item.end != item.begin + 1 || next.mention == kNone || next.end - next.begin < 2) continue;
    std::vector<Token> name{a.tokens[item.begin]};
    name.insert(name.end(), a.tokens.begin() + next.begin + 1, a.tokens.begin() + next.end);
    detail::ConceptMatch match;
    if (!r.m.match_concept(name, 0, name.size(), match) || match.end != name.size() || match.concept_index == mapping::kNotAConcept)
      continue;
    if (r.m.concept_at(match.concept_index).kind() == ConceptKind::lab) item.concept_index = match.concept_index;
  }
}

// "sodium, potassium and chloride of 131, 3.2 and 98 mmol/L", "lactate and pyruvate were 1.6 and
// 0.096 mmol/l, respectively": as many tests, listed right before the values, as there are values:
// each test takes its value in order. One test with several values "respectively" ("serum and
// urine amylase were 386 and 928 U/L") has each of them. With other counts nothing is paired: a
// value then belongs to no test rather than to the wrong one.
void pair_value_lists(Reader& r, Claimed& claimed, std::uint32_t s) {
  auto& a = r.a;
  const Sentence& sentence = a.sentences[s];
  auto says_respectively = [&] {
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i)
      if (r.word_is(i, "respectively")) return true;
    return false;
  };
  // The value list before the one at hand, when the sentence has one: "rose from 130 and 3.1 to
  // 140 and 4.0" gives the names before "from" to both.
  std::optional<ValueList> previous;
  ValueList list;
  for (std::uint32_t i = next_value_start(r, claimed, sentence.token_begin, sentence.token_end); i < sentence.token_end;
       i = next_value_start(r, claimed, i + 1, sentence.token_end)) {
    if (!value_list_at(r, i, sentence.token_end, list)) continue;
    i = list.end - 1;
    // Fillers between the names and the values: "were", "levels of", ":".
    std::uint32_t end = list.begin;
    const auto back_over_fillers = [&] {
      while (end > sentence.token_begin && !claimed[end - 1] && is_filler(r, end - 1) && !r.word_in(end - 1, {"and", "with", "a", "an"}))
        --end;
    };
    // "albumin and protein improved from 2.7 and 5.8 g/dL to 4.2 and 6.8 g/dL": the second list
    // belongs to the names before the first, and the first to the names before "from".
    if (previous && end > previous->end && end - previous->end == 1 && r.word_is(previous->end, "to") &&
        previous->begin > sentence.token_begin && r.word_is(previous->begin - 1, "from"))
      end = previous->begin;
    const bool course = end > sentence.token_begin && r.word_is(end - 1, "from");
    if (course) --end;
    back_over_fillers();
    previous = list;
    // "growth hormone and cortisol to insulin-induced hypoglycaemia were …": past the stimulus.
    if (const std::uint32_t k = end > sentence.token_begin ? mention_at(r, end - 1) : kNone; k != kNone && !is_lab(r, a.mentions[k]))
      if (const std::uint32_t to = stimulus_begin(r, sentence.token_begin, a.mentions[k]); to != kNone) end = to;
    std::vector<ListItem> items;
    ListItem item;
    while (items.size() <= list.values.size() && list_item_before(r, claimed, sentence.token_begin, end, item)) {
      // "in room air, pH, PaCO2 … were 7.50, 34 mmHg …": words that are no analyte before a full
      // list of analytes are not one of its names.
      const bool all_analytes = std::all_of(items.begin(), items.end(), [](const ListItem& x) { return x.mention != kNone; });
      if (items.size() == list.values.size() && all_analytes && item.mention == kNone) break;
      // "with 18% lymphocytes, and glucose and protein levels <20 and <167 mg/dL": a name with its
      // value written before it ends an earlier statement, not this list.
      if (!items.empty() && value_ends_at(r, sentence.token_begin, item.begin)) break;
      items.push_back(item);
      end = item.begin;
      if (end > sentence.token_begin + 1 && r.punct_is(end - 2, ',') && r.word_is(end - 1, "and")) end -= 2;
      else if (end > sentence.token_begin && (r.punct_is(end - 1, ',') || r.word_in(end - 1, {"and", "or"}))) --end;
      else break;
    }
    if (items.empty() || is_target(r, sentence.token_begin, items.back().begin)) continue;
    std::reverse(items.begin(), items.end());
    complete_elliptic_names(r, items);
    const bool one_each = items.size() == list.values.size();
    const bool one_test_several = items.size() == 1 && list.values.size() > 1 && says_respectively();
    if (!one_each && !one_test_several) continue;
    // A pair of values ("94/30 mmHg") only for an analyte of two components, and such an analyte
    // only with a pair: otherwise the list is not what it seems, and nothing is paired.
    auto analyte_of = [&](const ListItem& listed) {
      return listed.mention != kNone ? a.mentions[listed.mention].concept_index : listed.concept_index;
    };
    bool fits = true;
    for (std::size_t x = 0; x < list.values.size(); ++x) {
      const std::uint32_t analyte = analyte_of(items[one_each ? x : 0]);
      const bool two = analyte != kNone && r.m.concept_at(analyte).to_concept().components.size() == 2;
      fits = fits && two == !list.pairs[x].empty();
    }
    if (!fits) continue;
    for (std::size_t x = 0; x < list.values.size(); ++x) {
      const ListItem& named = items[one_each ? x : 0];
      LabResult result = std::move(list.ranges[x]);
      if (list.pairs[x].empty()) result.value = list.values[x];
      else result.components = list.pairs[x];
      const std::uint32_t analyte = analyte_of(named);
      if (analyte != kNone) interpret_value(result, r.m.concept_at(analyte).to_concept());
      else result.interpretation = interpret(result);
      if ((one_each || x == 0) && named.mention != kNone && a.mentions[named.mention].result == kNone) {
        a.set_result(a.mentions[named.mention], std::move(result), list.spans[x]);
        continue;
      }
      TestResult t;
      // A test named once for several values: the words from the first name of the list.
      t.test = Span{a.tokens[named.begin].span.begin, a.tokens[named.end - 1].span.end};
      // "Total and direct bilirubin": the name as uttered runs to the shared last word.
      if (one_each && named.concept_index != kNone && x + 1 < items.size()) t.test.end = a.tokens[items[x + 1].end - 1].span.end;
      t.sentence = s;
      if (named.mention != kNone) t.concept_index = a.mentions[named.mention].concept_index;
      else if (one_each) t.concept_index = named.concept_index;
      t.result = result;
      t.result_span = list.spans[x];
      a.test_results.push_back(std::move(t));
    }
    for (std::uint32_t k = list.begin; k < list.end; ++k) claimed[k] = true;
  }
}

}  // namespace

void find_lab_results(const SourceDocument& doc, Annotations& a, const CompiledMappings& m) {
  Reader r{doc, a, m};
  a.results.clear();
  a.test_results.clear();
  find_tests_named_by_disorders(r);
  Claimed claimed = claimed_tokens(r);
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) pair_value_lists(r, claimed, s);
  pair_slashed_analytes(r);
  for (std::uint32_t k = 0; k < a.mentions.size(); ++k)
    if (is_lab(r, a.mentions[k]) && !a.mentions[k].names_test && a.mentions[k].result == kNone) read_result(r, k);
  share_list_interpretations(r);
  claimed = claimed_tokens(r);
  for (std::uint32_t k = 0; k < a.mentions.size(); ++k)
    if (is_lab(r, a.mentions[k]) && !a.mentions[k].names_test && a.mentions[k].result == kNone) read_value_before(r, claimed, k);
  give_other_specimens_their_results(r);
  claimed = claimed_tokens(r);
  find_pairs_measuring_findings(r, claimed);
  find_classifications(r, claimed);
  find_scores_written_first(r, claimed);
  find_uncoded_values(r, claimed);
  find_normal_findings_tests_showed(r, claimed);
  find_test_interpretations(r, claimed);
  std::sort(a.test_results.begin(), a.test_results.end(),
            [](const TestResult& x, const TestResult& y) {
              return std::pair(x.test.begin, x.result_span.begin) < std::pair(y.test.begin, y.result_span.begin);
            });
}

}  // namespace casefhir::nlp
