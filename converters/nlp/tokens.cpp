#include "nlp/tokens.h"

#include <cstring>

#include "readers/utf8.h"

namespace casefhir::nlp {

namespace {

bool is_ascii_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Code point of the UTF-8 sequence at text[i] (text is valid UTF-8).
std::uint32_t decode(std::string_view text, std::size_t i, std::size_t len) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + i;
  switch (len) {
    case 2: return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    case 3: return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    case 4: return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    default: return s[0];
  }
}

bool is_unicode_space(std::uint32_t cp) {
  return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x1680 ||
         cp == 0xFEFF || cp == 0x3000 || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

// ASCII stand-in for Unicode punctuation, or 0 when the code point is a letter.
char unicode_punct(std::uint32_t cp) {
  if (cp >= 0x2010 && cp <= 0x2015) return '-';
  if (cp == 0x2212) return '-';
  if (cp >= 0x2018 && cp <= 0x201B) return '\'';
  if (cp >= 0x201C && cp <= 0x201F) return '"';
  if (cp == 0xD7 || cp == 0x2715 || cp == 0x2A2F) return 'x';   // multiplication signs
  if (cp == 0x2264) return '{';                                 // ≤ (stand-in, see attributes)
  if (cp == 0x2265) return '}';                                 // ≥
  if (cp == 0xB0 || cp == 0xBA) return 'o';                     // degree
  if (cp == 0xB1) return '+';                                   // ±
  if (cp == 0x2026) return '.';
  if (cp == 0xB7 || cp == 0x2022 || cp == 0x25CF) return '*';   // bullets, middle dot
  if (cp == 0xAB || cp == 0xBB) return '"';
  if (cp == 0xA7 || cp == 0xB6 || cp == 0xA9 || cp == 0xAE || cp == 0x2122) return '#';
  if (cp == 0x2191 || cp == 0x2193 || cp == 0x2192 || cp == 0x2190) return '#';
  return 0;
}

// Folds Latin-1 letters (U+00C0..U+00FF) to ASCII lower case; 0 when there is none.
char fold_latin1(std::uint32_t cp) {
  static const char* table =
      "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"   // C0..DF (D7 × and DE/DF handled)
      "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";  // E0..FF
  if (cp < 0xC0 || cp > 0xFF) return 0;
  return table[cp - 0xC0];
}

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

bool all_alpha(const std::string& s) {
  for (const char c : s)
    if (!is_ascii_alpha(static_cast<unsigned char>(c))) return false;
  return true;
}

// Plural → singular, the same rule for terms and text (so errors cancel out).
void singularize(std::string& w) {
  const std::size_t n = w.size();
  if (n <= 3 || !all_alpha(w)) return;
  // "headache" and "headaches", "patch" and "patches" must meet: a singular "-che"/"-she" loses
  // its "e", as its plural loses "es".
  if (n > 4 && (ends_with(w, "che") || ends_with(w, "she"))) {
    w.pop_back();
    return;
  }
  if (w.back() != 's') return;
  // (resize + push_back rather than replace: GCC 12 warns falsely on short replaces.)
  if ((n >= 9 && (ends_with(w, "ases") || ends_with(w, "eses"))) || (n >= 8 && ends_with(w, "oses"))) {
    w[n - 2] = 'i';   // "metastases" → "metastasis"
    return;
  }
  if (n > 4 && ends_with(w, "ies")) {
    w.resize(n - 3);
    w.push_back('y');
    return;
  }
  if (ends_with(w, "sses") || ends_with(w, "xes") || ends_with(w, "ches") || ends_with(w, "shes")) {
    w.resize(n - 2);
    return;
  }
  if (ends_with(w, "ss") || ends_with(w, "us") || ends_with(w, "is") || ends_with(w, "ous")) return;
  w.pop_back();
}

}  // namespace

std::uint64_t hash_bytes(std::string_view s) {
  // FNV-1a, then a final mix: short keys, no need for more.
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : s) { h ^= static_cast<unsigned char>(c); h *= 1099511628211ULL; }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

namespace {
bool is_term_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
}  // namespace

std::string as_written(std::string_view text) {
  std::string out;
  as_written(text, out);
  return out;
}

void as_written(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  bool space = false;
  auto plain = [&](std::size_t k) {   // ASCII, not a space: copied as it is
    const auto c = static_cast<unsigned char>(text[k]);
    return c < 0x80 && !is_term_space(static_cast<char>(c));
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    if (plain(i)) {   // a run of them at once: most of the text
      while (i + len < text.size() && plain(i + len)) ++len;
    } else {
      len = std::min<std::size_t>(readers::sequence_length(c), text.size() - i);
      if (is_term_space(static_cast<char>(c)) || (len > 1 && is_unicode_space(decode(text, i, len)))) {
        space = !out.empty();
        i += len;
        continue;
      }
    }
    if (space) out.push_back(' ');
    space = false;
    out.append(text.substr(i, len));
    i += len;
  }
}

std::string ascii_lower(std::string_view s) {
  std::string out;
  ascii_lower(s, out);
  return out;
}

void ascii_lower(std::string_view s, std::string& out) {
  out.assign(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
}

std::string fold_term(std::string_view term, bool keep_case) {
  std::string out;
  out.reserve(term.size());
  bool space = false;
  for (const char c : term) {
    if (is_term_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(!keep_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string_view unfolded_prefix(std::string_view term, std::size_t n) {
  // Walks the term as fold_term does; each folded character comes from one original character
  // (a run of white space gives its one space when the next word starts).
  std::size_t folded = 0;
  bool space = false;
  for (std::size_t i = 0; i < term.size(); ++i) {
    if (is_term_space(term[i])) {
      space = folded != 0;
      continue;
    }
    const std::size_t before = folded + (space ? 1 : 0);   // folded length before this character
    if (before >= n) return term.substr(0, i);
    folded = before + 1;
    space = false;
  }
  return term;
}

void normalize_word(std::string_view raw, std::string& out) {
  out.clear();
  // Possessive 's / ’s.
  if (raw.size() > 2 && (raw.ends_with("'s") || raw.ends_with("'S"))) raw.remove_suffix(2);
  else if (raw.size() > 4 && (raw.ends_with("\xE2\x80\x99s") || raw.ends_with("\xE2\x80\x99S"))) raw.remove_suffix(4);
  for (std::size_t i = 0; i < raw.size();) {
    const auto c = static_cast<unsigned char>(raw[i]);
    const std::size_t len = readers::sequence_length(c);
    if (len == 1) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    } else {
      const std::uint32_t cp = decode(raw, i, len);
      if (char f = fold_latin1(cp)) out.push_back(f);
      else if (cp == 0xB5 || cp == 0x3BC) out.push_back('u');   // micro sign, Greek mu
      else out.append(raw.substr(i, len));
    }
    i += len;
  }
  singularize(out);
}

Respeller::Respeller(std::vector<Rule> rules) : rules_(std::move(rules)) {
  written_pairs_.reserve(rules_.size());
  for (const Rule& r : rules_) written_pairs_.push_back(pairs_in(r.written));
}

std::uint64_t Respeller::pairs_in(std::string_view s) {
  std::uint64_t bits = 0;
  for (std::size_t k = 1; k < s.size(); ++k) {
    const unsigned pair = static_cast<unsigned char>(s[k - 1]) * 31u + static_cast<unsigned char>(s[k]);
    bits |= std::uint64_t{1} << (pair & 63);
  }
  return bits;
}

void Respeller::apply(std::string& word) const {
  std::uint64_t in_word = pairs_in(word);
  for (std::size_t k = 0; k < rules_.size(); ++k) {
    if ((written_pairs_[k] & ~in_word) != 0) continue;
    const Rule& r = rules_[k];
    if (r.at_word_start && r.at_word_end) {
      if (word != r.written) continue;
      word = r.read;
    } else if (r.at_word_end) {
      if (!word.ends_with(r.written)) continue;
      word.replace(word.size() - r.written.size(), r.written.size(), r.read);
    } else if (r.at_word_start) {
      if (!word.starts_with(r.written)) continue;
      word.replace(0, r.written.size(), r.read);
    } else {
      std::size_t at = word.find(r.written);
      if (at == std::string::npos) continue;
      for (; at != std::string::npos; at = word.find(r.written, at + r.read.size())) word.replace(at, r.written.size(), r.read);
    }
    in_word = pairs_in(word);   // the word changed: later rules test what it now holds
  }
}

void tokenize(std::string_view text, Span range, std::vector<Token>& out) {
  std::size_t i = range.begin;
  const std::size_t end = range.end;
  int newlines = 2;   // the start of the range counts as a paragraph start
  auto push = [&](std::size_t b, std::size_t e, std::uint8_t flags, char punct) {
    if (newlines >= 1) flags |= kLineStart;
    if (newlines >= 2) flags |= kParagraphStart;
    newlines = 0;
    out.push_back(Token{Span{static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)}, kNoTerm, kNoTerm, flags, punct});
  };
  while (i < end) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++newlines;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') { ++i; continue; }
    if (is_digit(c)) {
      std::size_t j = i + 1;
      while (j < end) {
        const auto d = static_cast<unsigned char>(text[j]);
        if (is_digit(d)) { ++j; continue; }
        // A decimal point or thousands separator is part of the number only between digits.
        if ((d == '.' || d == ',') && j + 1 < end && is_digit(static_cast<unsigned char>(text[j + 1]))) { j += 2; continue; }
        break;
      }
      push(i, j, kNumber, 0);
      i = j;
      continue;
    }
    std::size_t len = readers::sequence_length(c);
    if (i + len > end) len = end - i;
    if (len == 1 && !is_ascii_alpha(c)) {
      push(i, i + 1, kPunct, static_cast<char>(c));
      ++i;
      continue;
    }
    if (len > 1) {
      const std::uint32_t cp = decode(text, i, len);
      if (is_unicode_space(cp)) { i += len; continue; }
      if (char p = unicode_punct(cp)) {
        push(i, i + len, kPunct, p);
        i += len;
        continue;
      }
    }
    // A word: letters, then letters or digits (non-ASCII letters included).
    std::size_t j = i;
    int letters = 0, upper = 0;
    bool first_upper = c >= 'A' && c <= 'Z';
    while (j < end) {
      const auto d = static_cast<unsigned char>(text[j]);
      // The common case first: ASCII letters and digits.
      if (d >= 'a' && d <= 'z') { ++letters; ++j; continue; }
      if (d >= 'A' && d <= 'Z') { ++letters; ++upper; ++j; continue; }
      if (d >= '0' && d <= '9') { ++j; continue; }
      std::size_t l = readers::sequence_length(d);
      if (j + l > end) break;
      if (l == 1) {
        // Possessive or elided apostrophe inside a word: "Crohn's".
        if (d == '\'' && j + 1 < end && is_ascii_alpha(static_cast<unsigned char>(text[j + 1])) &&
            (j + 2 >= end || !is_ascii_alpha(static_cast<unsigned char>(text[j + 2])))) { j += 2; continue; }
        break;
      }
      const std::uint32_t cp = decode(text, j, l);
      if (is_unicode_space(cp) || unicode_punct(cp)) {
        // ’s possessive
        if (cp == 0x2019 && j + l < end && (text[j + l] == 's' || text[j + l] == 'S') &&
            (j + l + 1 >= end || !is_ascii_alpha(static_cast<unsigned char>(text[j + l + 1])))) { j += l + 1; continue; }
        break;
      }
      ++letters;
      j += l;
    }
    std::uint8_t flags = kWord;
    if (first_upper) flags |= kCapitalized;
    if (letters >= 2 && upper == letters) flags |= kAllCaps;
    push(i, j, flags, 0);
    i = j;
  }
}

// Both tables are open addressing kept at most half full, so a probe meets an empty slot soon; the
// probes are still counted, so that a table with no empty slot (a damaged dictionary that was not
// verified, like the trusted built-in one) answers "absent" instead of looping forever.
std::uint32_t WordTable::find(std::string_view s, std::uint64_t hash) const {
  if (slots_.empty()) return kNoTerm;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t p = hash & mask, probes = 0; probes < slots_.size(); p = (p + 1) & mask, ++probes) {
    const std::uint32_t id = slots_[p];
    if (id == kNoTerm) return kNoTerm;
    if (at(id) == s) return id;
  }
  return kNoTerm;
}

std::uint32_t Vocabulary::find_own(std::string_view s, std::uint64_t hash) const {
  if (slots_.empty()) return kNoTerm;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t p = hash & mask, probes = 0; probes < slots_.size(); p = (p + 1) & mask, ++probes) {
    const std::uint32_t id = slots_[p];
    if (id == kNoTerm) return kNoTerm;
    if (strings_[id] == s) return id;
  }
  return kNoTerm;
}

std::uint32_t Vocabulary::find(std::string_view s, std::uint64_t hash) const {
  if (base_) {
    if (const auto id = base_->find(s, hash); id != kNoTerm) return id;
  }
  const auto own = find_own(s, hash);
  return own == kNoTerm ? kNoTerm : first_ + own;
}

std::uint32_t Vocabulary::intern(std::string_view s) {
  if (const auto id = find(s); id != kNoTerm) return id;
  if ((strings_.size() + 1) * 2 > slots_.size()) grow();
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.emplace_back(s);
  const std::size_t mask = slots_.size() - 1;
  std::size_t p = hash_bytes(s) & mask;
  while (slots_[p] != kNoTerm) p = (p + 1) & mask;
  slots_[p] = id;
  return first_ + id;
}

void Vocabulary::grow() {
  const std::size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(capacity, kNoTerm);
  const std::size_t mask = capacity - 1;
  for (std::uint32_t id = 0; id < strings_.size(); ++id) {
    std::size_t p = hash_bytes(strings_[id]) & mask;
    while (slots_[p] != kNoTerm) p = (p + 1) & mask;
    slots_[p] = id;
  }
}

Vocabulary::Frozen Vocabulary::freeze() const {
  Frozen f;
  f.slots = slots_.empty() ? std::vector<std::uint32_t>(1, kNoTerm) : slots_;
  f.offsets.reserve(strings_.size() + 1);
  for (const auto& s : strings_) {
    f.offsets.push_back(static_cast<std::uint32_t>(f.pool.size()));
    f.pool += s;
  }
  f.offsets.push_back(static_cast<std::uint32_t>(f.pool.size()));
  return f;
}

}  // namespace casefhir::nlp
