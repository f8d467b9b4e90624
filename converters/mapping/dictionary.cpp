// mapping/dictionary.cpp — building, writing and mapping compiled dictionaries.
#include "mapping/dictionary.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "casefhir/errors.h"
#include "mapping/term_ids.h"

namespace casefhir::mapping {

// Detects a damaged or truncated file, not tampering: four independent multiply-rotate lanes run
// at memory speed (a few milliseconds for tens of megabytes).
std::uint64_t dictionary_format::checksum(std::string_view bytes) {
  std::uint64_t lane[4] = {0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL, 0x27D4EB2F165667C5ULL};
  constexpr std::uint64_t kPrime = 0x9FB21C651E98DF25ULL;
  std::size_t i = 0;
  for (; i + 32 <= bytes.size(); i += 32) {
    for (int k = 0; k < 4; ++k) {
      std::uint64_t w;
      std::memcpy(&w, bytes.data() + i + 8 * static_cast<std::size_t>(k), 8);
      lane[k] = (lane[k] ^ w) * kPrime;
      lane[k] = (lane[k] << 31) | (lane[k] >> 33);
    }
  }
  std::uint64_t h = lane[0] ^ (lane[1] << 1) ^ (lane[2] << 2) ^ (lane[3] << 3) ^ bytes.size();
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * kPrime;
  h ^= h >> 29;
  return h;
}

using namespace dictionary_format;

namespace {

// ---- building ------------------------------------------------------------------------------

class StringPool {
 public:
  StrRef add(std::string_view s) {
    if (s.empty()) return StrRef{};
    const auto it = seen_.find(std::string(s));
    if (it != seen_.end()) return it->second;
    const StrRef r{static_cast<std::uint32_t>(pool_.size()), static_cast<std::uint32_t>(s.size())};
    pool_ += s;
    seen_.emplace(std::string(s), r);
    return r;
  }
  const std::string& bytes() const { return pool_; }

 private:
  std::string pool_;
  std::unordered_map<std::string, StrRef> seen_;
};

// Appends sections to one buffer, each 8-byte aligned, and fills the header's table.
class Writer {
 public:
  Writer() { out_.assign(sizeof(Header), '\0'); }
  template <class T>
  void section(Section s, std::span<const T> items) {
    raw(s, std::string_view(reinterpret_cast<const char*>(items.data()), items.size_bytes()));
  }
  void raw(Section s, std::string_view bytes) {
    while (out_.size() % 8) out_.push_back('\0');
    header_.sections[s] = SectionEntry{out_.size(), bytes.size()};
    out_.append(bytes);
  }
  std::string finish() {
    while (out_.size() % 8) out_.push_back('\0');
    std::memcpy(header_.magic, kMagic, sizeof kMagic);
    header_.format_version = kFormatVersion;
    header_.section_count = kSectionCount;
    header_.file_size = out_.size();
    header_.checksum = checksum(std::string_view(out_).substr(sizeof(Header)));
    std::memcpy(out_.data(), &header_, sizeof header_);
    return std::move(out_);
  }

 private:
  std::string out_;
  Header header_{};
};

using nlp::fold_term;

bool ends_with_folded(const std::string& folded, const std::string& suffix) {
  return folded.size() > suffix.size() && folded.compare(folded.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// A term without a suffix the rules strip (", unspecified", " NOS"), as written (case and all),
// and its fold; the term itself when it has none.
std::pair<std::string, std::string> without_suffix(const std::string& term, const std::vector<std::string>& suffixes) {
  std::string text = term;
  std::string folded = fold_term(term);
  for (const auto& suffix : suffixes) {
    if (!ends_with_folded(folded, suffix)) continue;
    // The cut is made on the folded text; unfolded_prefix finds where it falls in the original,
    // whose case the matcher keeps (an abbreviation's shape, kNotInCapitals).
    text = std::string(nlp::unfolded_prefix(term, folded.size() - suffix.size()));
    folded.resize(folded.size() - suffix.size());
    while (!text.empty() && (text.back() == ',' || is_space(text.back()))) text.pop_back();
    while (!folded.empty() && (folded.back() == ',' || folded.back() == ' ')) folded.pop_back();
    break;
  }
  return {std::move(text), std::move(folded)};
}

// The term rules, folded once for comparison.
struct Rules {
  explicit Rules(const TermRules& r) : raw(r) {
    for (const auto& t : r.stop_terms) stop.push_back(fold_term(t));
    for (const auto& t : r.needs_neighbour) neighbour.push_back(fold_term(t));
    for (const auto& t : r.skip_words) skip_words.push_back(fold_term(t));
    for (const auto& t : r.strip_suffixes) suffixes.push_back(fold_term(t));
    for (const auto& t : r.uninverted_sites) uninverted_sites.push_back(fold_term(t));
    for (const auto& s : r.scopes) {
      if (s == "exact") scopes[0] = true;
      if (s == "related") scopes[1] = true;
      if (s == "narrow") scopes[2] = true;
      if (s == "broad") scopes[3] = true;
    }
    std::sort(stop.begin(), stop.end());
    std::sort(neighbour.begin(), neighbour.end());
    std::sort(skip_words.begin(), skip_words.end());
    std::sort(uninverted_sites.begin(), uninverted_sites.end());
  }
  static bool has(const std::vector<std::string>& sorted, const std::string& s) {
    return std::binary_search(sorted.begin(), sorted.end(), s);
  }
  const TermRules& raw;
  std::vector<std::string> stop, neighbour, skip_words, suffixes, uninverted_sites;
  bool scopes[4] = {false, false, false, false};
  // Words the compiled concepts write in small letters inside a term of several words ("common
  // cold", "hypermobility of all joints", "odd ears"): ordinary words of the language, not
  // abbreviations (see abbreviation_use).
  std::unordered_set<std::string> small_words;
};

// Collects Rules::small_words from every term of the concepts (hand-written and imported, any
// scope) and the phrases that name nothing. A word here is a run of letters and digits; only runs
// of ASCII small letters count.
void collect_small_words(const std::vector<Concept>& concepts, const TermRules& rules, std::unordered_set<std::string>& out) {
  std::vector<std::string_view> runs;
  auto scan = [&](const std::string& term) {
    runs.clear();
    for (std::size_t i = 0; i < term.size();) {
      auto word_char = [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80; };
      if (!word_char(static_cast<unsigned char>(term[i]))) { ++i; continue; }
      std::size_t j = i;
      while (j < term.size() && word_char(static_cast<unsigned char>(term[j]))) ++j;
      runs.push_back(std::string_view(term).substr(i, j - i));
      i = j;
    }
    if (runs.size() < 2) return;
    for (const std::string_view w : runs)
      if (std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) out.emplace(w);
  };
  for (const Concept& c : concepts)
    for (const auto* list : {&c.terms, &c.related, &c.narrow, &c.broad, &c.not_in})
      for (const std::string& term : *list) scan(term);
  for (const std::string& phrase : rules.blocked_phrases) scan(phrase);
}

// Whether an imported abbreviation (a term in capitals, or one of an entry's `abbreviations`) is
// matched, and how. Not when it is shorter than abbreviation_min_length (only a report's own
// definition gives it a meaning), a stop abbreviation, or an ordinary word (the vocabulary writes
// it in small letters inside its terms: COLD, ODD, CAN in a title written in capitals). One with a
// digit is most often a gene, protein or clone symbol that an ontology also gives its disease
// ("CD3D" for CD3delta deficiency, "WT1" for hereditary Wilms' tumor, "RP11" for retinitis
// pigmentosa 11): it needs a clinical neighbour, like the terms of `needs_neighbour`.
struct AbbreviationUse {
  bool matched = false;
  bool needs_neighbour = false;
};
AbbreviationUse abbreviation_use(const std::string& a, const Rules& rules) {
  AbbreviationUse use;
  if (static_cast<int>(a.size()) < rules.raw.abbreviation_min_length) return use;
  const auto& stop = rules.raw.stop_abbreviations;
  if (std::find(stop.begin(), stop.end(), a) != stop.end()) return use;
  std::string lower = a;
  for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  if (rules.small_words.contains(lower)) return use;
  use.matched = true;
  use.needs_neighbour = std::any_of(a.begin(), a.end(), [](char c) { return c >= '0' && c <= '9'; });
  return use;
}

// What the matcher does with one term of an imported entry.
struct TermUse {
  enum class As { skip, term, abbreviation } as = As::skip;
  std::string text;            // the words to match (a stripped suffix removed)
  bool needs_neighbour = false;
  bool not_in_capitals = false;
};

TermUse use_of(const std::string& term, const Rules& rules, TermScope scope) {
  TermUse use;
  auto [text, folded] = without_suffix(term, rules.suffixes);
  if (folded.empty() || Rules::has(rules.stop, folded)) return use;
  if (!rules.raw.skip_characters.empty() && text.find_first_of(rules.raw.skip_characters) != std::string::npos) return use;
  std::size_t words = 1, start = 0;
  for (std::size_t i = 0; i <= folded.size(); ++i) {
    if (i == folded.size() || folded[i] == ' ') {
      if (Rules::has(rules.skip_words, folded.substr(start, i - start))) return use;
      start = i + 1;
      if (i < folded.size()) ++words;
    }
  }
  if (rules.raw.max_words > 0 && words > static_cast<std::size_t>(rules.raw.max_words)) return use;
  if (scope == TermScope::narrow && words < static_cast<std::size_t>(rules.raw.narrow_min_words)) return use;
  const bool lower = std::any_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  const bool upper = std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  const auto length = static_cast<int>(text.size());
  if (words == 1 && upper && !lower && length <= rules.raw.abbreviation_max_length) {
    const AbbreviationUse abbreviation = abbreviation_use(text, rules);
    if (!abbreviation.matched) return use;
    use.as = TermUse::As::abbreviation;
    use.needs_neighbour = abbreviation.needs_neighbour;
    use.text = std::move(text);
    return use;
  }
  if (words == 1 && length < rules.raw.min_length) return use;
  use.as = TermUse::As::term;
  use.needs_neighbour = Rules::has(rules.neighbour, folded);
  use.not_in_capitals = words == 1 && lower;
  use.text = std::move(text);
  return use;
}


// A term "X of Y" written the other way round, "Y X", as reports name many disorders and
// procedures that a terminology writes with "of" ("fracture of femur" as "femur fracture",
// "transplantation of liver" as "liver transplantation"): X one word, Y one to `max_site_words`
// words with no word that makes it a phrase of its own ("of", "the", "and", …). "" when the term
// is not of that shape.
std::string inverted_of_term(const std::string& term, int max_site_words, const std::vector<std::string>& uninverted_sites) {
  if (max_site_words <= 0) return {};
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < term.size();) {
    const std::size_t end = std::min(term.find(' ', i), term.size());
    if (end > i) words.push_back(std::string_view(term).substr(i, end - i));
    i = end + 1;
  }
  if (words.size() < 3 || words.size() > static_cast<std::size_t>(2 + max_site_words) || fold_term(std::string(words[1])) != "of")
    return {};
  auto letters = [](std::string_view w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; });
  };
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (k == 1) continue;
    if (!letters(words[k])) return {};
    const std::string w = fold_term(std::string(words[k]));
    for (const char* joining : {"of", "the", "a", "an", "and", "or", "with", "without", "in", "to", "by", "for", "due", "on", "at"})
      if (w == joining) return {};
  }
  if (words.size() == 3 && Rules::has(uninverted_sites, fold_term(std::string(words[2])))) return {};
  std::string out;
  for (std::size_t k = 2; k < words.size(); ++k) out.append(words[k]).push_back(' ');
  out.append(words[0]);
  return out;
}

// The Y of a term "X of Y" that inverted_of_term reads the other way round.
std::string site_of_inverted(const std::string& inverted) { return inverted.substr(0, inverted.rfind(' ')); }

std::vector<std::uint32_t> exact_ids(std::string_view term, nlp::Vocabulary& exact) {
  std::vector<nlp::Token> tokens;
  nlp::tokenize(term, Span{0, static_cast<std::uint32_t>(term.size())}, tokens);
  std::vector<std::uint32_t> ids;
  for (const nlp::Token& t : tokens)
    if (!nlp::is_connector(t)) ids.push_back(exact.intern(term.substr(t.span.begin, t.span.size())));
  return ids;
}

std::vector<std::uint32_t> id_table(const std::vector<Concept>& concepts) {
  std::size_t capacity = 16;
  while (capacity < concepts.size() * 2) capacity *= 2;
  std::vector<std::uint32_t> slots(capacity, nlp::kNoTerm);
  const std::size_t mask = capacity - 1;
  for (std::uint32_t i = 0; i < concepts.size(); ++i) {
    std::size_t p = nlp::hash_bytes(concepts[i].id) & mask;
    while (slots[p] != nlp::kNoTerm) p = (p + 1) & mask;
    slots[p] = i;
  }
  return slots;
}

void write_index(Writer& w, const nlp::PhraseIndex& index, Section first) {
  const auto& a = index.arrays();
  w.section(static_cast<Section>(first + 0), a.keys);
  w.section(static_cast<Section>(first + 1), a.targets);
  w.section(static_cast<Section>(first + 2), a.payload_offsets);
  w.section(static_cast<Section>(first + 3), a.payloads);
  w.section(static_cast<Section>(first + 4), a.starts);
}

void write_words(Writer& w, const nlp::Vocabulary& words, Section first) {
  const auto f = words.freeze();
  w.section(static_cast<Section>(first + 0), std::span<const std::uint32_t>(f.slots));
  w.section(static_cast<Section>(first + 1), std::span<const std::uint32_t>(f.offsets));
  w.raw(static_cast<Section>(first + 2), f.pool);
}

}  // namespace

nlp::Respeller respeller_of(const TermRules& rules) {
  std::vector<nlp::Respeller::Rule> out;
  for (const SpellingRule& r : rules.spellings) out.push_back({r.written, r.read, r.at_word_start, r.at_word_end});
  return nlp::Respeller(std::move(out));
}

std::string build_dictionary(const DictionaryInput& in) {
  const nlp::Respeller respell = respeller_of(in.rules);
  Rules rules(in.rules);
  collect_small_words(in.concepts, in.rules, rules.small_words);
  StringPool strings;
  std::vector<ConceptRecord> records;
  std::vector<CodingRecord> codings;
  std::vector<LabRecord> labs;
  records.reserve(in.concepts.size());
  auto coding_record = [&](const Coding& c) {
    return CodingRecord{strings.add(c.system), strings.add(c.code), strings.add(c.display), strings.add(c.version)};
  };

  // Which concept a term shared by several names: hand-written first, then sources in the
  // precedence order, exact synonyms before related and narrow ones, and the later entry (an
  // override) before the earlier.
  std::vector<std::uint32_t> rank(in.concepts.size(), 0);
  for (std::size_t i = 0; i < in.concepts.size(); ++i) {
    const Concept& c = in.concepts[i];
    if (c.source.empty()) continue;
    const auto& order = in.rules.source_precedence;
    const auto it = std::find(order.begin(), order.end(), c.source);
    rank[i] = 1 + static_cast<std::uint32_t>(it - order.begin());
  }
  auto before = [&](std::uint32_t x, std::uint32_t y) {
    const std::uint32_t cx = x & kConceptMask, cy = y & kConceptMask;
    if ((cx == kNotAConcept) != (cy == kNotAConcept)) return cx == kNotAConcept;
    if (cx == kNotAConcept) return false;
    if (rank[cx] != rank[cy]) return rank[cx] < rank[cy];
    if (scope_of(x) != scope_of(y)) return scope_of(x) < scope_of(y);
    return cx > cy;
  };

  // An imported concept that a hand-written one also names lends the hand-written concept its
  // synonyms: the report's "high blood pressure" is the hand-written hypertension, not a second
  // Condition beside it. It names it when they share a concept identifier (SNOMED CT, Disease
  // Ontology, HPO or UMLS: a classification code such as ICD-10-CM is shared by many concepts),
  // or when every code of the imported concept is a code of the hand-written one and they share a
  // name (ICD-10-CM's I26.99, whose inclusion term is "Pulmonary embolism NOS", in the hand-written
  // pulmonary embolism; but not C71.9 "Malignant neoplasm of brain" in a glioblastoma coded C71.9).
  // The synonyms stay imported terms (the term rules apply); the imported entry keeps its record.
  std::vector<std::uint32_t> stands_for(in.concepts.size(), kNotAConcept);
  {
    std::unordered_map<std::string, std::uint32_t> hand_written;   // system|code → concept; kNotAConcept when two claim it
    for (std::size_t i = 0; i < in.concepts.size(); ++i) {
      if (!in.concepts[i].source.empty()) continue;
      for (const Coding& code : in.concepts[i].codes) {
        if (!identifies_a_concept(code.system)) continue;
        const auto [it, fresh] = hand_written.emplace(code.system + "|" + code.code, static_cast<std::uint32_t>(i));
        if (!fresh && it->second != i) it->second = kNotAConcept;
      }
    }
    std::unordered_map<std::string, std::vector<std::uint32_t>> holders;   // system|code → hand-written concepts
    for (std::size_t i = 0; i < in.concepts.size(); ++i)
      if (in.concepts[i].source.empty())
        for (const Coding& code : in.concepts[i].codes) holders[code.system + "|" + code.code].push_back(static_cast<std::uint32_t>(i));
    // (Not gated on `hand_written`: a hand-written concept coded only in systems that do not
    // identify a concept, a user's local codes, is still found through its codes below.)
    for (std::size_t i = 0; i < in.concepts.size() && !holders.empty(); ++i) {
      const Concept& c = in.concepts[i];
      if (c.source.empty()) continue;
      for (const Coding& code : c.codes) {
        if (!identifies_a_concept(code.system)) continue;
        const auto it = hand_written.find(code.system + "|" + code.code);
        if (it == hand_written.end() || it->second == kNotAConcept) continue;
        if (kind_family(in.concepts[it->second].kind) != kind_family(c.kind)) continue;
        stands_for[i] = it->second;
        break;
      }
      if (stands_for[i] != kNotAConcept || c.codes.empty()) continue;
      // Every code of c in one hand-written concept, and only one holds them all.
      const auto first = holders.find(c.codes.front().system + "|" + c.codes.front().code);
      if (first == holders.end()) continue;
      std::vector<std::uint32_t> all = first->second;
      for (std::size_t k = 1; k < c.codes.size() && !all.empty(); ++k) {
        const auto h = holders.find(c.codes[k].system + "|" + c.codes[k].code);
        if (h == holders.end()) all.clear();
        else std::erase_if(all, [&](std::uint32_t x) { return std::find(h->second.begin(), h->second.end(), x) == h->second.end(); });
      }
      all.erase(std::unique(all.begin(), all.end()), all.end());
      if (all.size() != 1 || kind_family(in.concepts[all.front()].kind) != kind_family(c.kind)) continue;
      const Concept& h = in.concepts[all.front()];
      auto name = [&](const std::string& term) { return without_suffix(term, rules.suffixes).second; };
      std::unordered_set<std::string> names;
      for (const std::string& t : h.terms) names.insert(name(t));
      // The imported concept's own names: its exact terms, and an inclusion term a classification
      // writes "X NOS" (X itself is coded here: ICD-10-CM I26.99, "Other pulmonary embolism
      // without acute cor pulmonale", holds "Pulmonary embolism NOS"). Not its other narrow or
      // related synonyms: they name something narrower or beside it, so sharing one does not
      // make it the hand-written concept (M31.1 "Thrombotic microangiopathy" includes
      // "Thrombotic thrombocytopenic purpura": it is not the hand-written TTP).
      bool shared = std::any_of(c.terms.begin(), c.terms.end(), [&](const std::string& t) { return names.contains(name(t)); });
      for (const std::string& t : c.narrow) {
        if (shared) break;
        const std::string stripped = name(t);
        shared = stripped != fold_term(t) && names.contains(stripped);
      }
      if (shared) stands_for[i] = all.front();
    }
  }

  // Imported concepts with a blocked code (administrative events and purposes: "hospital
  // admission", "follow-up visit", "primary prevention") keep their codes, and their terms name
  // nothing: like blocked phrases, they hide what they contain ("stroke prevention" names no
  // stroke), unless another concept also has the term as its own.
  std::unordered_set<std::string> blocked_codes;
  for (const Coding& code : in.rules.blocked_codes) blocked_codes.insert(code.system + "|" + code.code);
  auto blocked = [&](const Concept& c) {
    return std::any_of(c.codes.begin(), c.codes.end(), [&](const Coding& x) { return blocked_codes.contains(x.system + "|" + x.code); });
  };
  auto key_of = [](const std::vector<std::uint32_t>& ids) {
    return std::string(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(std::uint32_t));
  };
  // Phrases that name nothing unless another concept names them: the terms of blocked concepts,
  // and a concept's `not_in` phrases ("tumor lysis syndrome" is not a tumor, but it is a syndrome
  // a vocabulary names).
  std::vector<std::vector<std::uint32_t>> unnamed;
  std::unordered_set<std::string> named;             // every term that names a concept
  // Terms "X of Y" read as "Y X" (inverted_site_words): added last, where no term names them and
  // Y is no term of a finding, disorder or procedure of its own ("subdural hematoma evacuation"
  // is the hematoma and its evacuation; read as one procedure, the hematoma would be lost).
  struct Inverted {
    std::vector<std::uint32_t> ids, site;
    std::uint32_t payload;
  };
  std::vector<Inverted> inverted;
  std::unordered_set<std::string> names_no_site;   // every term of a concept that is not a body structure

  nlp::PhraseIndex terms(false), abbreviations(true);
  std::uint64_t term_count = 0;
  for (std::size_t i = 0; i < in.concepts.size(); ++i) {
    const Concept& c = in.concepts[i];
    if (i >= kNotAConcept) throw Error(ErrorKind::mapping_invalid, Location{c.origin, 0, 0, {}}, "too many concepts for one dictionary");
    const auto index = static_cast<std::uint32_t>(i);
    ConceptRecord r;
    r.id = strings.add(c.id);
    r.display = strings.add(c.display);
    r.source = strings.add(c.source);
    r.kind = static_cast<std::uint8_t>(c.kind);
    r.flags = c.specimen ? kSpecimen : 0;
    r.codes_begin = static_cast<std::uint32_t>(codings.size());
    for (const Coding& code : c.codes) codings.push_back(coding_record(code));
    r.codes_count = static_cast<std::uint32_t>(c.codes.size());
    if (c.kind == ConceptKind::lab) {
      LabRecord lab;
      lab.unit = strings.add(c.unit);
      lab.category = strings.add(c.observation_category);
      if (c.reference_range) {
        lab.has_low = c.reference_range->low.has_value();
        lab.has_high = c.reference_range->high.has_value();
        lab.low = c.reference_range->low.value_or(0);
        lab.high = c.reference_range->high.value_or(0);
      }
      lab.components_begin = static_cast<std::uint32_t>(codings.size());
      for (const Coding& code : c.components) codings.push_back(coding_record(code));
      lab.components_count = static_cast<std::uint32_t>(c.components.size());
      r.lab = static_cast<std::uint32_t>(labs.size());
      labs.push_back(lab);
    }
    records.push_back(r);

    const bool imported = !c.source.empty();
    if (imported && std::find(in.rules.unmatched_kinds.begin(), in.rules.unmatched_kinds.end(), c.kind) != in.rules.unmatched_kinds.end())
      continue;   // its codes stay (a merge checks cross-references against them); its words name nothing here
    const std::uint32_t whose = stands_for[i] != kNotAConcept ? stands_for[i] : index;   // whose terms these are
    // (A blocked concept that a hand-written one names lends it its terms: its author chose them.)
    const bool names_nothing = imported && stands_for[i] == kNotAConcept && !blocked_codes.empty() && blocked(c);
    auto add = [&](const std::vector<std::string>& list, TermScope scope) {
      // The scopes matched are a term rule: a hand-written entry's synonyms are taken as written.
      if (imported && !rules.scopes[static_cast<int>(scope)]) return;
      const std::uint32_t payload = whose | (static_cast<std::uint32_t>(scope) << kScopeShift);
      for (const std::string& term : list) {
        if (!imported) {
          std::vector<std::uint32_t> ids = term_ids(term, in.words, true, respell);
          named.insert(key_of(ids));
          if (c.kind != ConceptKind::body_structure) names_no_site.insert(key_of(ids));
          terms.add(ids, payload);
          ++term_count;
          continue;
        }
        const TermUse use = use_of(term, rules, scope);
        if (use.as == TermUse::As::term) {
          std::vector<std::uint32_t> ids = term_ids(use.text, in.words, true, respell);
          if (names_nothing) {
            unnamed.push_back(std::move(ids));
            continue;
          }
          named.insert(key_of(ids));
          if (c.kind != ConceptKind::body_structure) names_no_site.insert(key_of(ids));
          terms.add(ids, payload | (use.needs_neighbour ? kNeedsNeighbour : 0) | (use.not_in_capitals ? kNotInCapitals : 0));
          ++term_count;
          if (const std::string other_way = inverted_of_term(use.text, in.rules.inverted_site_words, rules.uninverted_sites); !other_way.empty())
            inverted.push_back({term_ids(other_way, in.words, true, respell), term_ids(site_of_inverted(other_way), in.words, true, respell),
                                payload | (use.needs_neighbour ? kNeedsNeighbour : 0)});
        } else if (use.as == TermUse::As::abbreviation && !names_nothing) {
          abbreviations.add(exact_ids(use.text, in.exact_words), payload | (use.needs_neighbour ? kNeedsNeighbour : 0));
          ++term_count;
        }
      }
    };
    add(c.terms, TermScope::exact);
    add(c.related, TermScope::related);
    add(c.narrow, TermScope::narrow);
    add(c.broad, TermScope::broad);
    for (const std::string& a : c.abbreviations) {
      if (names_nothing) break;
      std::uint32_t payload = whose;
      if (imported) {
        const AbbreviationUse use = abbreviation_use(a, rules);
        if (!use.matched) continue;
        if (use.needs_neighbour) payload |= kNeedsNeighbour;
      }
      abbreviations.add(exact_ids(a, in.exact_words), payload);
      ++term_count;
    }
    for (const std::string& phrase : c.not_in) unnamed.push_back(term_ids(phrase, in.words, true, respell));
  }
  for (const Inverted& x : inverted) {
    if (named.contains(key_of(x.ids)) || names_no_site.contains(key_of(x.site))) continue;
    terms.add(x.ids, x.payload);
    ++term_count;
  }
  for (const std::string& phrase : in.rules.blocked_phrases) terms.add(term_ids(phrase, in.words, true, respell), kNotAConcept);
  for (const std::vector<std::uint32_t>& ids : unnamed)
    if (!named.contains(key_of(ids))) terms.add(ids, kNotAConcept);
  terms.compile(before);
  abbreviations.compile(before);

  std::vector<StrRef> rule_refs;
  for (const MappingSource& s : in.rule_sources) {
    rule_refs.push_back(strings.add(s.name));
    rule_refs.push_back(strings.add(s.json));
  }
  const std::vector<std::uint32_t> ids = id_table(in.concepts);
  const std::uint64_t counts[1] = {term_count};

  Writer w;
  w.raw(kStrings, strings.bytes());
  w.section(kConcepts, std::span<const ConceptRecord>(records));
  w.section(kCodings, std::span<const CodingRecord>(codings));
  w.section(kLabs, std::span<const LabRecord>(labs));
  w.section(kIdSlots, std::span<const std::uint32_t>(ids));
  if (in.standalone) {
    write_words(w, in.words, kWordSlots);
    write_words(w, in.exact_words, kExactSlots);
  }
  write_index(w, terms, kTermKeys);
  write_index(w, abbreviations, kAbbrevKeys);
  w.section(kRuleSources, std::span<const StrRef>(rule_refs));
  w.section(kCounts, std::span<const std::uint64_t>(counts));
  return w.finish();
}

// ---- reading -------------------------------------------------------------------------------

namespace {

struct Mapping {
  void* address = nullptr;
  std::size_t length = 0;
  ~Mapping() {
    if (address) munmap(address, length);
  }
};

}  // namespace

std::shared_ptr<const Dictionary> Dictionary::open(const std::filesystem::path& path) {
  auto fail = [&](const std::string& why) -> std::shared_ptr<const Dictionary> {
    throw Error(ErrorKind::mapping_invalid, Location{path.string(), 0, 0, {}}, why);
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("cannot be opened: " + std::string(std::strerror(errno)));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail("is not a regular file");
  }
  const auto length = static_cast<std::size_t>(st.st_size);
  if (length < sizeof(Header)) {
    ::close(fd);
    return fail("is not a casefhir dictionary (too short)");
  }
  auto mapping = std::make_shared<Mapping>();
  mapping->address = mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapping->address == MAP_FAILED) {
    mapping->address = nullptr;
    return fail("cannot be mapped: " + std::string(std::strerror(errno)));
  }
  mapping->length = length;
  return from_memory(std::string_view(static_cast<const char*>(mapping->address), length), path.string(), mapping);
}

std::shared_ptr<const Dictionary> Dictionary::empty() {
  static const std::shared_ptr<const Dictionary> none = [] {
    nlp::Vocabulary words, exact;
    const std::vector<Concept> concepts;
    const TermRules rules;
    const std::vector<MappingSource> rule_sources;
    auto bytes = std::make_shared<std::string>(build_dictionary({concepts, rules, rule_sources, words, exact, true}));
    return from_memory(*bytes, "(no dictionary)", bytes);
  }();
  return none;
}

std::shared_ptr<const Dictionary> Dictionary::built_in(std::string_view bytes) {
  auto d = std::shared_ptr<Dictionary>(new Dictionary());
  d->name_ = "built-in dictionary";
  d->bytes_ = bytes;
  d->check_and_map(false);
  return d;
}

std::shared_ptr<const Dictionary> Dictionary::from_memory(std::string_view bytes, std::string name,
                                                          std::shared_ptr<const void> owner) {
  auto d = std::shared_ptr<Dictionary>(new Dictionary());
  d->name_ = std::move(name);
  d->bytes_ = bytes;
  d->owner_ = std::move(owner);
  d->check_and_map();
  return d;
}

void Dictionary::check_and_map(bool verify) {
  auto fail = [&](const std::string& why) { throw Error(ErrorKind::mapping_invalid, Location{name_, 0, 0, {}}, why); };
  if (bytes_.size() < sizeof(Header) || std::memcmp(bytes_.data(), kMagic, sizeof kMagic) != 0)
    fail("is not a casefhir dictionary (compile one with `casefhir mappings compile`)");
  if (reinterpret_cast<std::uintptr_t>(bytes_.data()) % 8 != 0) fail("is not 8-byte aligned in memory");
  Header h;
  std::memcpy(&h, bytes_.data(), sizeof h);
  if (h.format_version != kFormatVersion || h.section_count != kSectionCount)
    fail("was compiled for dictionary format " + std::to_string(h.format_version) + "; this casefhir reads format " +
         std::to_string(kFormatVersion) + " (compile it again)");
  if (h.file_size != bytes_.size())
    fail("is truncated or has trailing bytes (" + std::to_string(bytes_.size()) + " bytes, header says " +
         std::to_string(h.file_size) + ")");
  if (verify && checksum(bytes_.substr(sizeof(Header))) != h.checksum) fail("is damaged (checksum mismatch)");

  // Section bounds are always checked (they cost nothing); the entries only when verifying.
  auto raw = [&](Section s) {
    const SectionEntry e = h.sections[s];
    if (e.offset % 8 != 0 || e.offset > bytes_.size() || e.size > bytes_.size() - e.offset)
      fail("section " + std::to_string(s) + " lies outside the file");
    return bytes_.substr(static_cast<std::size_t>(e.offset), static_cast<std::size_t>(e.size));
  };
  auto array = [&]<class T>(Section s, const T*) {
    const std::string_view r = raw(s);
    if (r.size() % sizeof(T) != 0) fail("section " + std::to_string(s) + " has a partial entry");
    return std::span<const T>(reinterpret_cast<const T*>(r.data()), r.size() / sizeof(T));
  };
  auto u32 = [&](Section s) { return array(s, static_cast<const std::uint32_t*>(nullptr)); };
  strings_ = raw(kStrings);
  auto check_ref = [&](StrRef r) {
    if (r.offset > strings_.size() || r.length > strings_.size() - r.offset) fail("a string lies outside the string pool");
  };
  concepts_ = array(kConcepts, static_cast<const ConceptRecord*>(nullptr));
  codings_ = array(kCodings, static_cast<const CodingRecord*>(nullptr));
  labs_ = array(kLabs, static_cast<const LabRecord*>(nullptr));
  id_slots_ = u32(kIdSlots);
  if (id_slots_.empty() || (id_slots_.size() & (id_slots_.size() - 1)) != 0) fail("the id table is not a power of two");
  // Every hash table (concept ids, words, phrase transitions) is searched until a free slot. The
  // compiler keeps each at most half full; one read from a file must be so too, or a lookup could
  // probe the whole table on every miss (lookups count their probes, so none loops forever).
  auto half_free = [&](std::size_t used, std::size_t slots, const std::string& table) {
    if (used * 2 > slots)
      fail(table + " is more than half full (" + std::to_string(used) + " of " + std::to_string(slots) +
           " slots), which casefhir never writes: the file is damaged");
  };
  if (verify) {
    for (const CodingRecord& c : codings_) {
      check_ref(c.system);
      check_ref(c.code);
      check_ref(c.display);
      check_ref(c.version);
    }
    for (const LabRecord& l : labs_) {
      check_ref(l.unit);
      check_ref(l.category);
      if (l.components_begin > codings_.size() || l.components_count > codings_.size() - l.components_begin)
        fail("a lab's components lie outside the codings");
    }
    for (const ConceptRecord& c : concepts_) {
      check_ref(c.id);
      check_ref(c.display);
      check_ref(c.source);
      if (c.codes_begin > codings_.size() || c.codes_count > codings_.size() - c.codes_begin) fail("a concept's codes lie outside the codings");
      if (c.lab != kNoLab && c.lab >= labs_.size()) fail("a concept names a lab record that does not exist");
      if (c.kind > static_cast<std::uint8_t>(ConceptKind::laterality)) fail("a concept has an unknown kind");
    }
    std::size_t used = 0;
    for (const auto slot : id_slots_) {
      if (slot == nlp::kNoTerm) continue;
      if (slot >= concepts_.size()) fail("the id table names a concept that does not exist");
      ++used;
    }
    half_free(used, id_slots_.size(), "the id table");
  }

  auto words = [&](Section first, nlp::WordTable& out, const char* table) {
    const auto slots = u32(first);
    const auto offsets = u32(static_cast<Section>(first + 1));
    const std::string_view pool = raw(static_cast<Section>(first + 2));
    if (slots.empty()) return;   // an overlay: its words live in memory
    if ((slots.size() & (slots.size() - 1)) != 0 || offsets.empty()) fail(std::string(table) + " is malformed");
    if (offsets.back() > pool.size()) fail("a word of " + std::string(table) + " lies outside its pool");
    if (verify) {
      for (std::size_t i = 0; i + 1 < offsets.size(); ++i)
        if (offsets[i] > offsets[i + 1]) fail(std::string(table) + "'s offsets are out of order");
      std::size_t used = 0;
      for (const auto slot : slots) {
        if (slot == nlp::kNoTerm) continue;
        if (slot + 1 >= offsets.size()) fail(std::string(table) + " names a word that does not exist");
        ++used;
      }
      half_free(used, slots.size(), table);
    }
    out = nlp::WordTable(slots, offsets, pool);
  };
  words(kWordSlots, words_, "the word table");
  words(kExactSlots, exact_words_, "the abbreviation word table");

  // `vocabulary`: the words its transitions step on, when the dictionary holds them (an overlay's
  // words live in memory, in a vocabulary that extends its base's).
  auto index = [&](Section first, bool exact, const nlp::WordTable& vocabulary, const std::string& name) {
    nlp::PhraseIndex::Arrays a;
    a.keys = array(first, static_cast<const std::uint64_t*>(nullptr));
    a.targets = u32(static_cast<Section>(first + 1));
    a.payload_offsets = u32(static_cast<Section>(first + 2));
    a.payloads = u32(static_cast<Section>(first + 3));
    a.starts = u32(static_cast<Section>(first + 4));
    if (a.keys.empty() || (a.keys.size() & (a.keys.size() - 1)) != 0 || a.targets.size() != a.keys.size() || a.payload_offsets.empty())
      fail(name + " is malformed");
    const std::size_t states = a.payload_offsets.size() - 1;
    if (a.payload_offsets.back() > a.payloads.size()) fail(name + "'s payloads lie outside it");
    if (verify) {
      const std::size_t word_count = vocabulary.size();
      std::size_t used = 0;
      for (std::size_t k = 0; k < a.keys.size(); ++k) {
        if (a.targets[k] >= states) fail(name + " leads to a state that does not exist");
        if (a.keys[k] == nlp::PhraseIndex::kEmptyKey) continue;
        ++used;
        if ((a.keys[k] >> 32) >= states) fail(name + " has a transition from a state that does not exist");
        if (word_count != 0 && (a.keys[k] & 0xFFFFFFFFu) >= word_count) fail(name + " has a transition on a word that does not exist");
      }
      half_free(used, a.keys.size(), name + "'s transition table");
      if (word_count != 0 && a.starts.size() > word_count) fail(name + " starts on a word that does not exist");
      for (const auto t : a.starts)
        if (t >= states) fail(name + " starts at a state that does not exist");
      for (std::size_t s = 0; s < states; ++s)
        if (a.payload_offsets[s] > a.payload_offsets[s + 1]) fail(name + "'s payloads are out of order");
      for (const auto p : a.payloads)
        if ((p & kConceptMask) != kNotAConcept && (p & kConceptMask) >= concepts_.size()) fail("a term names a concept that does not exist");
    }
    return nlp::PhraseIndex::over(a, exact);
  };
  terms_ = index(kTermKeys, false, words_, "the term index");
  abbreviations_ = index(kAbbrevKeys, true, exact_words_, "the abbreviation index");

  const auto rules = array(kRuleSources, static_cast<const StrRef*>(nullptr));
  if (rules.size() % 2 != 0) fail("the rule sources are malformed");
  for (std::size_t i = 0; i < rules.size(); i += 2) {
    check_ref(rules[i]);
    check_ref(rules[i + 1]);
    rule_sources_.push_back(MappingSource{std::string(str(rules[i])), std::string(str(rules[i + 1]))});
  }
  const auto counts = array(kCounts, static_cast<const std::uint64_t*>(nullptr));
  if (counts.size() != 1) fail("the counts are malformed");
  term_count_ = static_cast<std::size_t>(counts[0]);
}

std::optional<std::uint32_t> Dictionary::find(std::string_view id) const {
  const std::size_t mask = id_slots_.size() - 1;
  for (std::size_t p = nlp::hash_bytes(id) & mask, probes = 0; probes <= mask; p = (p + 1) & mask, ++probes) {
    const std::uint32_t slot = id_slots_[p];
    if (slot == nlp::kNoTerm) return std::nullopt;
    if (str(concepts_[slot].id) == id) return slot;
  }
  return std::nullopt;
}

// ---- ConceptView ---------------------------------------------------------------------------

const ConceptRecord& ConceptView::record() const { return d_->concept_records()[index_]; }
std::string_view ConceptView::id() const { return d_->str(record().id); }
std::string_view ConceptView::display() const { return d_->str(record().display); }
ConceptKind ConceptView::kind() const { return static_cast<ConceptKind>(record().kind); }
bool ConceptView::specimen() const { return (record().flags & kSpecimen) != 0; }
std::string_view ConceptView::source() const { return d_->str(record().source); }

std::vector<Coding> ConceptView::codes() const {
  // An empty part (a version rarely is stated) is not looked up in the strings: the text pipeline
  // makes a concept's codes for every fact.
  auto text = [&](StrRef ref) { return ref.length == 0 ? std::string() : std::string(d_->str(ref)); };
  std::vector<Coding> out;
  const ConceptRecord& r = record();
  out.reserve(r.codes_count);
  for (std::uint32_t k = 0; k < r.codes_count; ++k) {
    const CodingRecord& c = d_->codings()[r.codes_begin + k];
    out.push_back(Coding{text(c.system), text(c.code), text(c.display), text(c.version)});
  }
  return out;
}

std::string_view ConceptView::observation_category() const {
  const ConceptRecord& r = record();
  return r.lab == kNoLab ? std::string_view() : d_->str(d_->labs()[r.lab].category);
}

Concept ConceptView::to_concept() const {
  Concept c;
  const ConceptRecord& r = record();
  c.id = std::string(id());
  c.kind = kind();
  c.display = std::string(display());
  c.source = std::string(source());
  c.codes = codes();
  c.specimen = specimen();
  c.origin = d_->name() + "#" + c.id;
  if (r.lab != kNoLab) {
    const LabRecord& lab = d_->labs()[r.lab];
    c.unit = std::string(d_->str(lab.unit));
    c.observation_category = std::string(observation_category());
    if (lab.has_low || lab.has_high) {
      ReferenceRange range;
      if (lab.has_low) range.low = lab.low;
      if (lab.has_high) range.high = lab.high;
      c.reference_range = range;
    }
    for (std::uint32_t k = 0; k < lab.components_count; ++k) {
      const CodingRecord& x = d_->codings()[lab.components_begin + k];
      c.components.push_back(Coding{std::string(d_->str(x.system)), std::string(d_->str(x.code)),
                                    std::string(d_->str(x.display)), std::string(d_->str(x.version))});
    }
  }
  return c;
}

std::vector<std::uint32_t> term_ids(std::string_view term, nlp::Vocabulary& words, bool intern, const nlp::Respeller& respell) {
  std::vector<nlp::Token> tokens;
  nlp::tokenize(term, Span{0, static_cast<std::uint32_t>(term.size())}, tokens);
  std::vector<std::uint32_t> ids;
  std::string norm;
  for (const nlp::Token& t : tokens) {
    if (nlp::is_connector(t) && !ids.empty()) continue;
    if (t.is(nlp::kPunct)) {
      norm.assign(1, t.punct);
    } else {
      nlp::normalize_word(term.substr(t.span.begin, t.span.size()), norm);
      respell.apply(norm);
    }
    ids.push_back(intern ? words.intern(norm) : words.find(norm));
  }
  return ids;
}

}  // namespace casefhir::mapping
