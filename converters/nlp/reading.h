// nlp/reading.h — TextReader: word tests over the tokens of one annotated document, and the
// quantities every attribute stage reads (numbers, units, comparators).
//
// Shared by the attribute stages (attributes.cpp, lab_results.cpp); words are compared folded to
// lower case, so the lists in these stages are written in lower case. Long lists live in the
// mappings (word_lists, mappings/reading.json) and are tested with word_in(i, WordList).
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "nlp/stages.h"
#include "nlp/word_set.h"

namespace casefhir::nlp {

struct TextReader {
  const SourceDocument& doc;
  Annotations& a;
  const CompiledMappings& m;

  // A token lies within the text, so its view needs no bounds check: substr's throw kept this,
  // read at nearly every token, from being inlined.
  std::string_view text(std::uint32_t i) const {
    const Span s = a.tokens[i].span;
    return {doc.text.data() + s.begin, s.end - s.begin};
  }
  bool word_is(std::uint32_t i, std::string_view w) const { return i < a.tokens.size() && a.tokens[i].is(kWord) && equal_folded(text(i), w); }
  // The token's text is read once and each word tested by its length first: these lists are
  // tested at most tokens of every sentence, and most words differ in length.
  bool word_in(std::uint32_t i, std::initializer_list<std::string_view> words) const {
    if (i >= a.tokens.size() || !a.tokens[i].is(kWord)) return false;
    const auto t = text(i);
    for (const std::string_view w : words)
      if (equal_folded(t, w)) return true;
    return false;
  }
  // A word of one of the mappings' word lists (mappings/reading.json).
  bool word_in(std::uint32_t i, mapping::WordList list) const { return word(i) && m.words(list).contains_folded(text(i)); }
  bool punct_is(std::uint32_t i, char c) const { return i < a.tokens.size() && a.tokens[i].is(kPunct) && a.tokens[i].punct == c; }
  bool number(std::uint32_t i) const { return i < a.tokens.size() && a.tokens[i].is(kNumber); }
  bool word(std::uint32_t i) const { return i < a.tokens.size() && a.tokens[i].is(kWord); }

  // Text in any case against a word written in lower case.
  static bool equal_folded(std::string_view text, std::string_view lower) {
    if (text.size() != lower.size()) return false;
    for (std::size_t k = 0; k < text.size(); ++k) {
      const char c = text[k] >= 'A' && text[k] <= 'Z' ? static_cast<char>(text[k] + 32) : text[k];
      if (c != lower[k]) return false;
    }
    return true;
  }

  // [first, last) positions of the items of one sentence in a vector sorted by sentence.
  template <class T>
  static std::pair<std::uint32_t, std::uint32_t> of_sentence(const std::vector<T>& items, std::uint32_t s) {
    const auto lo = std::lower_bound(items.begin(), items.end(), s, [](const T& x, std::uint32_t v) { return x.sentence < v; });
    const auto hi = std::upper_bound(lo, items.end(), s, [](std::uint32_t v, const T& x) { return v < x.sentence; });
    return {static_cast<std::uint32_t>(lo - items.begin()), static_cast<std::uint32_t>(hi - items.begin())};
  }
};

// "1,000" → 1000; "2,50,000" → 250000 (Indian grouping: several commas are all separators);
// "0,5" → 0.5 (a single comma followed by other than three digits is a decimal comma).
// `normal` gets the number as a FHIR decimal keeps it (written precision, no leading zeros).
bool parse_number(std::string_view raw, double& value, std::string& normal);

// "× 10^6", "x 10^9", "× 106" (the superscript lost): a power of ten at tokens[i], before `limit`.
// Sets its exponent as written and returns the index after it (i when there is none); whether the
// exponent is a power a report means is valid_exponent's to say.
std::uint32_t power_of_ten_at(const TextReader& r, std::uint32_t i, std::uint32_t limit, std::string& exponent);
// One or two digits, not starting with 0.
bool valid_exponent(std::string_view exponent);
// The UCUM volumes a count or a concentration is given per: L, mL, uL, dL, mm3.
bool is_volume_unit(std::string_view ucum);

// A unit at tokens[i] (before `limit`): sets the UCUM code and the words as written, and returns
// the index after the unit (i when there is none).
std::uint32_t match_unit(const TextReader& r, std::uint32_t i, std::uint32_t limit, std::string& code, std::string& written);

// A UCUM unit of time a report counts in: years, months, weeks, days, hours, minutes.
inline bool is_time_unit(const std::string& ucum) {
  return ucum == "a" || ucum == "mo" || ucum == "wk" || ucum == "d" || ucum == "h" || ucum == "min";
}

// "<", "<=", "less than", "below", "above", …: advances i past the comparator.
Comparator comparator_at(const TextReader& r, std::uint32_t& i);

// A number with an optional comparator before it and a unit after it, at tokens[i]; advances i
// past it.
bool quantity_at(const TextReader& r, std::uint32_t& i, std::uint32_t limit, Quantity& q);

// Whether quantity_at may find one at tokens[i]: it begins at a number, a comparator or a minus
// sign, and reads nothing else there (kept in step with quantity_at's first tests). Cheaper than a
// call that fails, at the many tokens tried.
inline bool may_begin_quantity(const TextReader& r, std::uint32_t i) {
  std::uint32_t j = i;
  return r.number(i) || r.punct_is(i, '-') || comparator_at(r, j) != Comparator::none;
}

}  // namespace casefhir::nlp
