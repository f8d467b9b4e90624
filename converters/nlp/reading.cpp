// nlp/reading.cpp — numbers, units and comparators as the attribute stages read them.
#include "nlp/reading.h"

#include <charconv>
#include <cmath>

#include "mapping/ucum.h"

namespace casefhir::nlp {

bool parse_number(std::string_view raw, double& value, std::string& normal) {
  const auto commas = std::count(raw.begin(), raw.end(), ',');
  const bool grouped = commas > 1;
  normal.clear();
  if (commas == 0) normal.assign(raw);   // most numbers: nothing to rewrite, copied at once
  for (std::size_t k = 0; commas != 0 && k < raw.size(); ++k) {
    if (raw[k] == ',') {
      if (grouped) continue;
      std::size_t digits = 0;
      while (k + 1 + digits < raw.size() && raw[k + 1 + digits] >= '0' && raw[k + 1 + digits] <= '9') ++digits;
      if (digits == 3) continue;
      normal.push_back('.');
    } else {
      normal.push_back(raw[k]);
    }
  }
  // A whole number of up to 15 digits is below 2^53, so summing its digits gives exactly the
  // double from_chars would; most numbers in a report are such, and from_chars costs more.
  if (!normal.empty() && normal.size() <= 15 && std::all_of(normal.begin(), normal.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::uint64_t whole = 0;
    for (const char c : normal) whole = whole * 10 + static_cast<std::uint64_t>(c - '0');
    value = static_cast<double>(whole);
  } else {
    const auto result = std::from_chars(normal.data(), normal.data() + normal.size(), value);
    if (result.ec != std::errc() || !std::isfinite(value)) return false;
  }
  std::size_t lead = 0;
  while (lead + 1 < normal.size() && normal[lead] == '0' && normal[lead + 1] != '.') ++lead;
  normal.erase(0, lead);
  return true;
}

namespace {

bool equal_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const char x = a[k] >= 'A' && a[k] <= 'Z' ? static_cast<char>(a[k] + 32) : a[k];
    const char y = b[k] >= 'A' && b[k] <= 'Z' ? static_cast<char>(b[k] + 32) : b[k];
    if (x != y) return false;
  }
  return true;
}

bool has_unit(const TextReader& r, const std::string& code) {
  return std::any_of(r.m.set.units.begin(), r.m.set.units.end(), [&](const UnitSpelling& u) { return u.code == code; });
}

// "mM", "µM", "nM": molar, the laboratory's way of writing a substance concentration; UCUM writes
// it mmol/L. Returns the UCUM code, or "" when the word is not one.
std::string molar(std::string_view w) {
  if (w.size() < 2 || w.back() != 'M') return {};
  const std::string_view prefix = w.substr(0, w.size() - 1);
  if (prefix == "m") return "mmol/L";
  if (prefix == "u" || prefix == "\u00b5" || prefix == "\u03bc") return "umol/L";
  if (prefix == "n") return "nmol/L";
  if (prefix == "p") return "pmol/L";
  return {};
}

bool all_digits(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "× 10^6 IU/mL", "× 106 copies/mL", "x 10^9/mL": a power of ten before a unit the mappings know
// (or "/" and a volume), for the combinations no spelling lists. The exponent written flat ("106",
// a superscript lost) counts only after the multiplication sign. The UCUM code must have a
// dimension ("10*6.[IU]/mL"). Returns the index after it, or `i` when there is none.
std::uint32_t power_of_ten_unit(const TextReader& r, std::uint32_t i, std::uint32_t limit, std::string& code, std::string& written) {
  // power_of_ten_at's own first test, made here: most tokens after a number are no "x", and are
  // ruled out without the call and the exponent's buffer.
  if (!(r.punct_is(i, 'x') || r.word_is(i, "x"))) return i;
  std::string exponent;
  const std::uint32_t j = power_of_ten_at(r, i, limit, exponent);
  if (j == i || !valid_exponent(exponent)) return i;
  std::string base, base_written;
  std::uint32_t end = j;
  if (r.punct_is(j, '/')) {
    end = match_unit(r, j + 1, limit, base, base_written);
    if (end == j + 1 || !is_volume_unit(base)) return i;
    base = "/" + base;
  } else {
    end = match_unit(r, j, limit, base, base_written);
    if (end == j || base.front() == '1') return i;   // not a second power of ten
    // "30 x 105 mm" is a size written badly, not 30 × 10⁵ mm: no lengths, areas or volumes.
    const auto d = mapping::ucum_dimension(base);
    if (!d || d->exponent[mapping::UcumDimension::length] > 0) return i;
    base = "." + base;
  }
  std::string ucum = "10*" + std::string(exponent) + base;
  if (!mapping::ucum_dimension(ucum)) return i;
  code = std::move(ucum);
  as_written(r.doc.view(Span{r.a.tokens[i].span.begin, r.a.tokens[end - 1].span.end}), written);
  return end;
}

}  // namespace

std::uint32_t power_of_ten_at(const TextReader& r, std::uint32_t i, std::uint32_t limit, std::string& exponent) {
  std::uint32_t j = i;
  if (!(r.punct_is(j, 'x') || r.word_is(j, "x"))) return i;
  ++j;
  if (!r.number(j) || j >= limit) return i;
  const std::string_view ten = r.text(j);
  if (ten == "10" && r.punct_is(j + 1, '^') && r.number(j + 2)) {
    exponent = std::string(r.text(j + 2));
    return j + 3;
  }
  if (ten.size() >= 3 && ten.size() <= 4 && ten.substr(0, 2) == "10") {
    exponent = std::string(ten.substr(2));
    return j + 1;
  }
  return i;
}

bool valid_exponent(std::string_view exponent) { return exponent.size() <= 2 && all_digits(exponent) && exponent.front() != '0'; }

bool is_volume_unit(std::string_view ucum) { return ucum == "L" || ucum == "mL" || ucum == "uL" || ucum == "dL" || ucum == "mm3"; }

std::uint32_t match_unit(const TextReader& r, std::uint32_t i, std::uint32_t limit, std::string& code, std::string& written) {
  PhraseIndex::Match match;
  if (i >= limit) return i;
  if (!r.m.unit_terms.longest(r.a.tokens, i, limit, match)) {
    if (const std::uint32_t end = power_of_ten_unit(r, i, limit, code, written); end > i) return end;
    const std::string m = molar(r.text(i));
    if (m.empty() || !has_unit(r, m))
      return i;
    code = m;
    written = std::string(r.text(i));
    return i + 1;
  }
  const auto payloads = r.m.unit_terms.payloads(match);
  const UnitSpelling& unit = r.m.set.units[*std::max_element(payloads.begin(), payloads.end())];
  as_written(r.doc.view(Span{r.a.tokens[i].span.begin, r.a.tokens[match.end - 1].span.end}), written);
  // Spellings are matched in any case, but a UCUM code only in its own: "mM" is millimolar, never
  // the millimetre "mm". The spellings are searched only for the rare unit written as its code in
  // another case.
  const auto spelled = [&] {
    return std::any_of(unit.spellings.begin(), unit.spellings.end(), [&](const std::string& s) { return equal_folded(s, written); });
  };
  if (written != unit.code && equal_folded(written, unit.code) && !spelled()) {
    const std::string m = molar(written);
    if (m.empty() || !has_unit(r, m))
      return i;
    code = m;
    return match.end;
  }
  code = unit.code;
  return match.end;
}

Comparator comparator_at(const TextReader& r, std::uint32_t& i) {
  if (i >= r.a.tokens.size()) return Comparator::none;
  const Token& t = r.a.tokens[i];
  if (t.is(kPunct)) {
    switch (t.punct) {
      case '<': ++i; if (r.punct_is(i, '=')) { ++i; return Comparator::le; } return Comparator::lt;
      case '>': ++i; if (r.punct_is(i, '=')) { ++i; return Comparator::ge; } return Comparator::gt;
      case '{': ++i; return Comparator::le;
      case '}': ++i; return Comparator::ge;
      default: return Comparator::none;
    }
  }
  // Most tokens here are numbers; a word is tested against the lists only when it could be one
  // of them. Every word below has four to nine letters: a word added outside that range must
  // widen this test, or it never matches.
  if (!t.is(kWord) || t.span.size() < 4 || t.span.size() > 9) return Comparator::none;
  // The "than" of the two-word ones first: few words have it after them.
  if (r.word_is(i + 1, "than")) {
    if (r.word_in(i, {"less", "lower"})) { i += 2; return Comparator::lt; }
    if (r.word_in(i, {"greater", "more", "higher"})) { i += 2; return Comparator::gt; }
  }
  if (r.word_in(i, {"below", "under"})) { ++i; return Comparator::lt; }
  if (r.word_in(i, {"above", "over", "exceeding"})) { ++i; return Comparator::gt; }
  return Comparator::none;
}

bool quantity_at(const TextReader& r, std::uint32_t& i, std::uint32_t limit, Quantity& q) {
  // Where one may begin (a comparator, a minus sign, a number) is also may_begin_quantity's test,
  // which the lab-value passes use to skip tokens: a new way to begin one goes into both.
  std::uint32_t j = i;
  q.comparator = comparator_at(r, j);
  // "T-score: −3.1", "BE -5.5": a minus sign written against the number, not between two numbers.
  const auto& t = r.a.tokens;
  const bool negative = r.punct_is(j, '-') && j + 1 < limit && r.number(j + 1) && t[j].span.end == t[j + 1].span.begin &&
                        (j == 0 || (!r.number(j - 1) && t[j - 1].span.end < t[j].span.begin));
  if (negative) ++j;
  if (!r.number(j) || j >= limit) return false;
  std::string normal;
  // "36 790", "625 000": thousands grouped by a space (or a no-break or thin space) are one
  // number — groups of three digits after a first group of one to three.
  std::string grouped;
  if (r.text(j).size() <= 3 && all_digits(r.text(j))) {
    grouped = std::string(r.text(j));
    while (j + 1 < limit && r.number(j + 1) && r.text(j + 1).size() == 3 && all_digits(r.text(j + 1))) {
      const std::string_view gap = std::string_view(r.doc.text).substr(t[j].span.end, t[j + 1].span.begin - t[j].span.end);
      if (gap != " " && gap != "\u00a0" && gap != "\u2009" && gap != "\u202f") break;
      grouped += r.text(j + 1);
      ++j;
    }
    if (grouped.size() == r.text(j).size()) grouped.clear();   // no group followed
  }
  if (!parse_number(grouped.empty() ? r.text(j) : std::string_view(grouped), q.value, normal)) return false;
  if (negative) {
    q.value = -q.value;
    normal.insert(normal.begin(), '-');
  }
  q.value_text = std::move(normal);
  ++j;
  std::string unit, written;
  const std::uint32_t after = match_unit(r, j, limit, unit, written);
  if (after > j) {
    q.unit = std::move(unit);
    q.unit_text = std::move(written);
    j = after;
  }
  i = j;
  return true;
}

}  // namespace casefhir::nlp
