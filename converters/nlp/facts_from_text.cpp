// nlp/facts_from_text.cpp — facts_from_text: annotated mentions → CaseFacts.
//
// Decides which mentions are facts about the patient (or a relative) and which are set aside
// (general statements, hypotheticals, captions, another person), merges repeated mentions of one
// fact, and links facts: a diagnosis to the findings that preceded it in its section
// (Condition.evidence), a specimen finding to the procedure that took the specimen
// (Observation.partOf), and an onset to the diagnosis that follows it: the onset of its first dated
// finding, or one stated without a concept of its own ("it began 25 years ago").
#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <unordered_map>

#include "mapping/code_checks.h"
#include "mapping/ucum.h"
#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

// Whether a Condition is coded only as a symptom, sign or abnormal finding: an ICD-10-CM code of
// chapter 18 (R00-R99) and no Disease Ontology class.
bool signs_and_symptoms_only(const CodedConcept& c) {
  bool sign = false;
  for (const Coding& x : c.codes) {
    if (x.system == mapping::kDoid) return false;
    if (x.system == mapping::kIcd10cm && !x.code.empty() && x.code[0] == 'R') sign = true;
  }
  return sign;
}

// The words of a disorder's name that make it specific: lower case, without the fillers
// (name-filler-words: "of", "disease"), each as its number in `ids` (numbered as first seen), in
// ascending order, once each. Bytes of UTF-8 beyond ASCII are part of words.
using WordIds = std::unordered_map<std::string, std::uint32_t>;
void specific_words(std::string_view name, const CompiledMappings& m, WordIds& ids, std::string& word,
                    std::vector<std::uint32_t>& out) {
  out.clear();
  // Each run of word bytes taken at once, lower-cased in ASCII only, whatever the locale.
  auto in_word = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u >= 0x80;
  };
  for (std::size_t i = 0; i < name.size();) {
    if (!in_word(name[i])) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < name.size() && in_word(name[end])) ++end;
    ascii_lower(name.substr(i, end - i), word);
    if (!m.words(mapping::WordList::name_filler_words).contains_folded(word))
      out.push_back(ids.try_emplace(word, static_cast<std::uint32_t>(ids.size())).first->second);
    i = end;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

CodedConcept coded(const Concept& c) { return CodedConcept{c.id, c.kind, c.codes, c.display}; }
CodedConcept coded(const mapping::ConceptView& c) {
  return CodedConcept{std::string(c.id()), c.kind(), c.codes(), std::string(c.display())};
}
// With another text than the display (the words as written): the display is then not copied only
// to be replaced.
CodedConcept coded(const mapping::ConceptView& c, std::string text) {
  return CodedConcept{std::string(c.id()), c.kind(), c.codes(), std::move(text)};
}

// Texts are the words as the report wrote them (as_written): CodeableConcept.text is "the concept as
// seen/selected/uttered" (FHIR), so "calcium deposits" rather than the code's display.

ResourceType resource_of(const CompiledMappings& m, ConceptKind kind) {
  const ResourceRule* rule = m.resource_rule(kind);
  return rule ? rule->resource : ResourceType::none;
}


// The relative a family mention is about: the family trigger that named one, else the relative the
// family-history section's rule names ("Family history: diabetes.").
const Coding* relationship_of(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m,
                              const Mention& mention) {
  if (mention.relationship_trigger != kNone && m.set.triggers[mention.relationship_trigger].relationship)
    return &*m.set.triggers[mention.relationship_trigger].relationship;
  const SectionRule* rule = m.section_rule(doc.sections[a.sentences[mention.sentence].section].role);
  return rule && rule->relationship ? &*rule->relationship : nullptr;
}

std::string set_aside_reason(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, const Mention& mention) {
  const Sentence& sentence = a.sentences[mention.sentence];
  const mapping::ConceptView entry = m.concept_at(mention.concept_index);
  switch (sentence.subject) {
    case Subject::none: {
      const std::string& role = doc.sections[sentence.section].role;
      return "not case content (" + (role.empty() ? std::string("unknown section") : role) + ")";
    }
    case Subject::general: return "general statement, not about the patient";
    default: break;
  }
  if (mention.hypothetical) return "hypothetical";
  if (mention.experiencer == Experiencer::other) return "about another person";
  if (mention.experiencer == Experiencer::family) {
    if (mention.assertion == Assertion::absent) return "negated family history";
    if (mention.assertion != Assertion::present) return "uncertain family history";
    if (!relationship_of(doc, a, m, mention)) return "family history that names no relative";
    if (const ResourceRule* r = m.resource_rule(entry.kind()); r && r->family_resource == ResourceType::none)
      return "a relative's " + std::string(to_string(entry.kind()));
  }
  if (mention.value_of_test) return "the result of the test before it, written as that test's value";
  if (mention.names_test)
    return entry.kind() == ConceptKind::lab ? "part of a longer test's name, not that analyte"
                                            : "names a test, not a finding";
  if (entry.kind() == ConceptKind::lab && mention.result == kNone) return "lab test named without a result";
  if (resource_of(m, entry.kind()) == ResourceType::none) return "kind " + std::string(to_string(entry.kind())) + " is not converted";
  return {};
}

// Why a procedure was not done, when its sentence says: the clause a reason cue opens ("because of
// severe thrombocytopenia", coded by the concept it names), else the refusal ("refused").
std::optional<CodedConcept> status_reason(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m,
                                          const Mention& mention, std::size_t first_trigger, Span& where) {
  const Sentence& sentence = a.sentences[mention.sentence];
  const TriggerMatch* reason = nullptr;
  const TriggerMatch* refusal = nullptr;
  for (std::size_t k = first_trigger; k < a.triggers.size() && a.triggers[k].sentence == mention.sentence; ++k) {
    if (a.triggers[k].category == ContextCategory::reason && !reason && a.triggers[k].token_begin >= mention.token_end) reason = &a.triggers[k];
    if (a.triggers[k].category == ContextCategory::refusal && !refusal) refusal = &a.triggers[k];
  }
  if (reason) {
    std::uint32_t end = reason->token_end;
    while (end < sentence.token_end && !(a.tokens[end].is(kPunct) && (a.tokens[end].punct == ',' || a.tokens[end].punct == ';' ||
                                                                         a.tokens[end].punct == '.')))
      ++end;
    if (end == reason->token_end) return std::nullopt;
    where = Span{a.tokens[reason->token_begin].span.begin, a.tokens[end - 1].span.end};
    CodedConcept c;
    c.text = as_written(doc.view(where));
    const auto first = std::lower_bound(a.mentions.begin(), a.mentions.end(), mention.sentence,
                                        [](const Mention& x, std::uint32_t s) { return x.sentence < s; });
    for (auto it = first; it != a.mentions.end() && it->sentence == mention.sentence; ++it) {
      const Mention& x = *it;
      if (x.token_begin < reason->token_end || x.token_end > end) continue;
      const mapping::ConceptView named = m.concept_at(x.concept_index);
      if (named.kind() != ConceptKind::disorder && named.kind() != ConceptKind::finding) continue;
      c.id = std::string(named.id());
      c.kind = named.kind();
      c.codes = named.codes();
      break;
    }
    return c;
  }
  if (refusal) {
    where = Span{a.tokens[refusal->token_begin].span.begin, a.tokens[refusal->token_end - 1].span.end};
    CodedConcept c;
    c.text = as_written(doc.view(where));
    return c;
  }
  return std::nullopt;
}

// A unit of something measured in a specimen (a concentration, a count, an activity), rather than
// at the bedside or on an image (%, mmHg, beats per minute, seconds).
bool is_specimen_unit(const std::string& ucum) {
  return ucum.find('/') != std::string::npos && ucum != "/min" && ucum != "mL/min" && ucum != "L/min" &&
         ucum != "kg/m2" && ucum != "mm/h";
}

// The LOINC code of an analyte that fits the value's unit. An analyte may carry several LOINC
// codes, one per property ("Calcium [Mass/volume]" for mg/dL, "Calcium [Moles/volume]" for
// mmol/L): the UCUM dimension of the unit picks the one whose property it fits, and only that one
// is kept. When the first code's property is known and none fits, the codes are left out (the
// value and unit stay, and the report says why) rather than a code that contradicts the value.
void choose_code_for_unit(Fact& f) {
  if (!f.result || !f.result->value || f.result->value->unit.empty()) return;
  const auto dimension = mapping::ucum_dimension(f.result->value->unit);
  if (!dimension) return;
  constexpr std::string_view kLoinc = "http://loinc.org";
  std::optional<std::size_t> first, fitting;
  bool first_known = false;
  for (std::size_t k = 0; k < f.code.codes.size(); ++k) {
    if (f.code.codes[k].system != kLoinc) continue;
    const auto fits = mapping::fits_loinc_property(mapping::loinc_property(f.code.codes[k].display), *dimension);
    if (!first) {
      first = k;
      first_known = fits.has_value();
    }
    if (fits.value_or(false) && !fitting) fitting = k;
  }
  if (!first) return;
  if (!fitting && !first_known) fitting = first;   // nothing known against it
  if (!fitting) {
    f.result->unit_contradicts_code = true;
    f.code.codes.clear();
    return;
  }
  // The fitting code first, then the other systems' codes in their order: rearranged in place.
  std::vector<Coding>& codes = f.code.codes;
  std::rotate(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(*fitting), codes.begin() + static_cast<std::ptrdiff_t>(*fitting) + 1);
  codes.erase(std::remove_if(codes.begin() + 1, codes.end(), [&](const Coding& c) { return c.system == kLoinc; }), codes.end());
}

// A fact as it is made, with what linking facts and choosing the principal diagnosis need. Made in
// place and put in source order by pointer: a Fact is large, and moving each into the vector and
// again into source order cost 1 % of conversion (it is moved once, into CaseFacts).
struct Built {
  Built(std::uint32_t anchor_at, std::uint32_t in_section, std::uint32_t in_sentence, DiagnosisCue with_cue)
      : anchor(anchor_at), section(in_section), sentence(in_sentence), cue(with_cue) {}
  Fact fact;
  std::uint32_t anchor;       // byte offset of the mention that gave the fact its assertion
  std::uint32_t section;
  std::uint32_t sentence;     // of the anchor
  DiagnosisCue cue = DiagnosisCue::none;   // the strongest cue of the sentences naming it
  bool headline = false;      // named in the title or the abstract
  bool from_title = false;    // every mention so far is in the title
  std::size_t name_words = 0; // words of the concept's name: how specifically it is named ("NSCLC" names
                              // non-small cell lung carcinoma)
  std::size_t created = 0;    // its index when created, before facts are put in source order
  std::uint32_t time_from_mention = kNone;   // the procedure mention its relative time counts from
};

// The facts made, in source order: sorted by pointer, so that none is moved. The pointers are
// into `made` (facts_from_text), which must not grow once they are taken.
class InOrder {
 public:
  explicit InOrder(std::vector<Built*> order) : order_(std::move(order)) {}
  Built& operator[](std::size_t i) { return *order_[i]; }
  const Built& operator[](std::size_t i) const { return *order_[i]; }
  std::size_t size() const { return order_.size(); }

 private:
  std::vector<Built*> order_;
};

// For each confirmed patient Condition, the mentions of the others named by a shorter name its own
// holds, when the shorter name first comes after the full one. A report names the diagnosis in full
// and then by part of its name: "primary biliary cholangitis" … "the cholangitis", "pulmonary
// tuberculosis" … "TB"; those mentions are of the diagnosis too. A shorter name used before the
// full one is another disorder ("hypertension" in the history, "portal hypertension" later). Names
// are a fact's words as written and its codes' displays. Two facts whose names hold each other are synonyms, and
// neither counts the other. Near-linear in the Conditions: a name of up to kMostWords words looks up
// its proper subsets; a longer one holds no other.
std::vector<std::size_t> mentions_by_shorter_names(const InOrder& built, const std::vector<std::size_t>& conditions,
                                                   const CompiledMappings& m) {
  constexpr std::size_t kMostWords = 6;
  // A name is the numbers of its words, ascending: two names are the same words exactly when their
  // numbers are equal, so a shorter name is looked up by the numbers of the words a subset selects,
  // not by a string built for each subset (which cost 2 % of conversion).
  using Name = std::vector<std::uint32_t>;
  WordIds ids;
  std::string word;
  Name words;
  std::vector<std::vector<Name>> names(conditions.size());
  // Only a name of fewer than kMostWords words can be a proper subset of one of up to kMostWords,
  // so only those are keys: its numbers, the rest of the key kNoWord.
  constexpr std::uint32_t kNoWord = ~0u;
  using Key = std::array<std::uint32_t, kMostWords - 1>;
  std::vector<std::pair<Key, std::size_t>> by_name;   // (key, condition), sorted to be looked up
  for (std::size_t k = 0; k < conditions.size(); ++k) {
    const CodedConcept& code = built[conditions[k]].fact.code;
    auto add = [&](std::string_view name) {
      specific_words(name, m, ids, word, words);
      if (words.empty() || std::find(names[k].begin(), names[k].end(), words) != names[k].end()) return;
      if (words.size() < kMostWords) {
        Key key;
        key.fill(kNoWord);
        std::copy(words.begin(), words.end(), key.begin());
        by_name.emplace_back(key, k);
      }
      names[k].push_back(words);
    };
    add(code.text);
    for (const Coding& c : code.codes) add(c.display);
  }
  std::sort(by_name.begin(), by_name.end());
  auto holds = [](const Name& longer, const Name& shorter) {
    return std::includes(longer.begin(), longer.end(), shorter.begin(), shorter.end());
  };
  std::vector<std::size_t> extra(conditions.size(), 0);
  std::vector<std::size_t> shorter;
  for (std::size_t k = 0; k < conditions.size(); ++k) {
    shorter.clear();
    for (const auto& name : names[k]) {
      if (name.size() < 2 || name.size() > kMostWords) continue;
      const std::uint32_t all = (1u << name.size()) - 1;
      for (std::uint32_t subset = 1; subset < all; ++subset) {
        std::pair<Key, std::size_t> probe;
        probe.first.fill(kNoWord);
        probe.second = 0;
        std::size_t n = 0;
        for (std::size_t w = 0; w < name.size(); ++w)
          if (subset >> w & 1u) probe.first[n++] = name[w];
        for (auto it = std::lower_bound(by_name.begin(), by_name.end(), probe); it != by_name.end() && it->first == probe.first; ++it)
          if (it->second != k) shorter.push_back(it->second);
      }
    }
    std::sort(shorter.begin(), shorter.end());
    shorter.erase(std::unique(shorter.begin(), shorter.end()), shorter.end());
    for (const std::size_t j : shorter) {
      bool synonyms = false;
      for (const auto& mine : names[k])
        for (const auto& theirs : names[j]) synonyms = synonyms || holds(theirs, mine);
      // A shorter name the report used before the full one is another disorder: "hypertension" in
      // the history, "portal hypertension" later.
      const Fact& full = built[conditions[k]].fact;
      const Fact& part = built[conditions[j]].fact;
      if (!synonyms && part.sources.front().span.begin > full.sources.front().span.begin) extra[k] += part.sources.size();
    }
  }
  return extra;
}

std::string merge_key(std::string_view id, Experiencer experiencer, const Coding* relationship, Assertion assertion,
                      const std::optional<LabResult>& result, ResourceType type) {
  // Appended piece by piece: every mention makes a key, and joining temporaries allocated for each piece.
  auto number = [](std::string& key, int n) {
    char digits[12];
    key.append(digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, n).ptr - digits));
  };
  std::string key;
  key.reserve(id.size() + 16);
  key += id;
  key += '|';
  key += static_cast<char>('0' + static_cast<int>(experiencer));
  if (relationship) (key += '|') += relationship->code;
  // A diagnosis suspected, then made, is one Condition; but a statement that the patient has X and
  // another that X was absent are kept apart (two resources, each with its own evidence), since a
  // converter cannot tell which the report meant to be final. Observations are kept apart by value.
  key += '|';
  if (type != ResourceType::Condition) key += static_cast<char>('0' + static_cast<int>(assertion));
  else key += assertion == Assertion::absent ? "absent" : "asserted";
  if (result) {
    key += '|';
    number(key, static_cast<int>(result->interpretation));
    // "<20 mg/dL" and "20 mg/dL" are different results.
    if (result->value) {
      key += '|';
      number(key, static_cast<int>(result->value->comparator));
      ((key += result->value->value_text) += ' ') += result->value->unit;
    }
    for (const auto& c : result->components) (key += '|') += c.value_text;
    if (result->ratio) (((key += '|') += result->ratio->first.value_text) += ':') += result->ratio->second.value_text;
    if (result->between) (((key += '|') += result->between->first.value_text) += '-') += result->between->second.value_text;
  }
  return key;
}


}  // namespace

// (Absent mentions of a Condition form a Condition of their own; see merge_key.)
int assertion_strength(Assertion a) {
  switch (a) {
    case Assertion::present: return 3;
    case Assertion::absent: return 2;
    case Assertion::differential: return 1;
    case Assertion::possible: return 0;
  }
  return 0;
}

Temporality later_temporality(Temporality earlier, Temporality later) {
  if (later == Temporality::resolved || (later == Temporality::current && earlier != Temporality::resolved)) return later;
  return earlier;
}

CaseFacts facts_from_text(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m,
                          std::vector<std::vector<std::string>>* merge_keys) {
  CaseFacts out;
  if (a.gender) {
    out.patient.gender = a.gender;
    out.patient.gender_sources.push_back(SourceRef{a.gender_mention->span, {}});
  }
  if (a.age) {
    out.patient.age = a.age;
    out.patient.age_sources.push_back(SourceRef{a.age_mention->span, {}});
  }

  // At most a fact per mention and per test result: reserved at that bound, since a Built is large
  // and growing the vector moved every fact made so far (1 % of conversion). Capped: in a long text
  // most mentions join a fact, and the bound would hold far more memory than the facts.
  constexpr std::size_t kReservedFacts = 4096;
  std::vector<Built> made;   // in the order made; not grown once put in source order (InOrder)
  made.reserve(std::min(a.mentions.size() + a.test_results.size(), kReservedFacts));
  std::unordered_map<std::string, std::size_t> by_key;   // only looked up; iterated only to list merge_keys, then sorted
  by_key.reserve(a.mentions.size());
  // The first trigger of each sentence (triggers come in sentence order).
  std::vector<std::size_t> first_trigger(a.sentences.size() + 1, a.triggers.size());
  for (std::size_t k = a.triggers.size(); k-- > 0;) first_trigger[a.triggers[k].sentence] = k;
  for (std::size_t s = a.sentences.size(); s-- > 0;) first_trigger[s] = std::min(first_trigger[s], first_trigger[s + 1]);
  // One fact per place: a mention of one concept at several sites ("abscesses in the liver and the
  // lung") gives one fact per site, each with its own; a site seen twice with the laterality said
  // once ("the right knee" … "the knee") is one place.
  auto site_of = [&](std::uint32_t s) -> std::string_view {
    const SiteMention& site = a.sites[s];
    return m.concept_at(site.concept_index).id();
  };
  auto side_of = [&](std::uint32_t s) -> std::string_view {
    const SiteMention& site = a.sites[s];
    return site.laterality != kNone ? std::string_view(m.set.laterality[site.laterality].id) : std::string_view();
  };
  auto same_place = [&](std::uint32_t x, std::uint32_t y) {
    return site_of(x) == site_of(y) && (side_of(x).empty() || side_of(y).empty() || side_of(x) == side_of(y));
  };
  struct Item {
    const Mention* mention;
    std::vector<std::uint32_t> sites;
  };
  std::vector<Item> items;
  items.reserve(a.mentions.size());
  // Sites listed with "and", "or" or a comma are places of their own; a site that locates the one
  // before it ("a tender lymph node in the left axilla") is the same place.
  auto listed_after = [&](std::uint32_t previous, std::uint32_t s) {
    const SiteMention& x = a.sites[previous];
    const SiteMention& y = a.sites[s];
    if (y.sentence != x.sentence || y.token_begin < x.token_end) return false;
    bool listed = false;
    for (std::uint32_t i = x.token_end; i < y.token_begin; ++i) {
      const Token& t = a.tokens[i];
      const std::string_view w = doc.view(t.span);
      if (t.is(kPunct) && t.punct == ',') listed = true;
      else if (w == "and" || w == "or") listed = true;
      else if (!(w == "the" || w == "a" || w == "an" || w == "both" || w == "his" || w == "her" || w == "left" || w == "right"))
        return false;
    }
    return listed;
  };
  for (const Mention& mention : a.mentions) {
    if (mention.sites.size() < 2) { items.push_back(Item{&mention, mention.sites}); continue; }
    const std::size_t first = items.size();
    items.push_back(Item{&mention, {mention.sites.front()}});
    for (std::size_t k = 1; k < mention.sites.size(); ++k) {
      const std::uint32_t s = mention.sites[k];
      if (!listed_after(mention.sites[k - 1], s)) { items.back().sites.push_back(s); continue; }
      auto place = std::find_if(items.begin() + static_cast<std::ptrdiff_t>(first), items.end(),
                                [&](const Item& i) { return same_place(i.sites.front(), s); });
      if (place == items.end()) items.push_back(Item{&mention, {s}});
      else place->sites.push_back(s);
    }
  }
  // A fact's other places: by_key also holds "key@site" for each place a fact was read at.
  auto place_key = [&](const std::string& key, std::uint32_t s) {
    std::string at;
    at.reserve(key.size() + 32);
    ((((at += key) += '@') += site_of(s)) += '/') += side_of(s);
    return at;
  };
  // A site of a fact that is the place of site mention s (a side said once is the same side).
  auto at_place = [&](const BodySite& b, std::uint32_t s) {
    const std::string_view side = b.laterality ? std::string_view(b.laterality->id) : std::string_view();
    return b.site.id == site_of(s) && (side.empty() || side_of(s).empty() || side == side_of(s));
  };

  // The fact each mention became (a relative time may name a procedure's fact).
  std::vector<std::size_t> fact_of_mention(a.mentions.size(), std::numeric_limits<std::size_t>::max());
  for (const Item& item : items) {
    const Mention& mention = *item.mention;
    const auto mention_index = static_cast<std::size_t>(item.mention - a.mentions.data());
    const std::vector<std::uint32_t>& mention_sites = item.sites;
    const mapping::ConceptView entry = m.concept_at(mention.concept_index);
    const ConceptKind kind = entry.kind();
    const std::string reason = set_aside_reason(doc, a, m, mention);
    if (!reason.empty()) {
      const bool first_place = &item == items.data() || (&item - 1)->mention != item.mention;
      if (first_place) out.set_aside.push_back(SetAside{SourceRef{mention.span, {}}, std::string(entry.id()), reason});
      continue;
    }
    // First what identifies the fact (cheap), then — only for a new fact — everything else.
    Assertion assertion = mention.assertion;
    Temporality temporality = mention.temporality;
    // A finding that resolved is, from then on, absent (an Observation has no clinical status). A
    // disorder that resolved keeps its status in the Condition; a procedure is done all the same.
    // A lab result that "normalised" or "returned to normal" is a normal result, not an absent test.
    if (temporality == Temporality::resolved && resource_of(m, kind) == ResourceType::Observation) {
      if (assertion == Assertion::present && !(kind == ConceptKind::lab && mention.result != kNone)) assertion = Assertion::absent;
      temporality = Temporality::current;
    }
    std::optional<LabResult> result;
    if (const LabResult* read = a.result_of(mention)) result = *read;
    // A negated lab result negates its interpretation, not the test: "no elevated troponin" is a
    // troponin that is not high. When the negation is the result's own words ("troponin was
    // negative"), the result already says it.
    // "CRP was not raised and procalcitonin was normal": a negation that is another analyte's result
    // ("not raised") says nothing of this one.
    // ("Lipase was not elevated, nor was amylase elevated": a negation of its own between them —
    // "nor was" is matched as a pseudo-trigger — still negates this one.)
    const auto cue_is_another_result = [&] {
      bool another = false;
      for (const Mention& other : in_sentence(a.mentions, mention.sentence))
        if (&other != &mention && other.result != kNone && mention.assertion_cue.overlaps(other.result_span)) another = true;
      if (!another) return false;
      for (const TriggerMatch& t : in_sentence(a.triggers, mention.sentence))
        if ((t.category == ContextCategory::negation || t.category == ContextCategory::pseudo) &&
            a.tokens[t.token_begin].span.begin >= mention.assertion_cue.end && a.tokens[t.token_end - 1].span.end <= mention.span.begin)
          return false;
      return true;
    };
    if (result && assertion == Assertion::absent && (mention.assertion_cue.overlaps(mention.result_span) || cue_is_another_result())) {
      assertion = Assertion::present;
    } else if (result && assertion == Assertion::absent) {
      Interpretation& i = result->interpretation;
      // "No fever, and procalcitonin was normal": a normal result its own clause states after the
      // analyte stays normal; the negation before the analyte does not turn it into nothing.
      const bool normal_stated_after = i == Interpretation::normal && mention.result_span.begin >= mention.span.end &&
                                       mention.assertion_cue.end <= mention.span.begin;
      i = normal_stated_after ? Interpretation::normal
          : (i == Interpretation::high || i == Interpretation::low || i == Interpretation::abnormal) ? Interpretation::normal
          : i == Interpretation::positive ? Interpretation::negative
          : i == Interpretation::negative ? Interpretation::positive
                                          : Interpretation::none;
      assertion = Assertion::present;
      if (i == Interpretation::none && !result->value && result->components.empty() && !result->ratio && !result->between) result.reset();
    }
    const Coding* relationship = mention.experiencer == Experiencer::family ? relationship_of(doc, a, m, mention) : nullptr;
    // A procedure read by its word's ending ("esophagectomy" as an excision) is that word's: an
    // esophagectomy and a nephrectomy are two Procedures.
    std::string id(entry.id());
    if (mention.named_by_ending) (id += ':') += ascii_lower(doc.view(mention.span));
    std::string key = merge_key(id, mention.experiencer, relationship, assertion, result, resource_of(m, kind));
    // A differential that is excluded later is one refuted Condition ("X was considered … X was
    // ruled out"), not a differential beside a refuted one.
    if (assertion == Assertion::absent && resource_of(m, kind) == ResourceType::Condition) {
      const std::string hedged = merge_key(id, mention.experiencer, relationship, Assertion::possible, result, ResourceType::Condition);
      if (const auto h = by_key.find(hedged); h != by_key.end()) {
        const Assertion earlier = made[h->second].fact.assertion;
        if (earlier == Assertion::differential || earlier == Assertion::possible) {
          by_key.emplace(std::move(key), h->second);   // a later "no X" joins the same refuted Condition
          key = hedged;
        }
      }
    }
    const DiagnosisCue cue = a.sentences[mention.sentence].diagnosis_cue;
    // A view: compared with literals for every mention, without a strlen and a call each.
    const std::string_view role = doc.sections[a.sentences[mention.sentence].section].role;
    const bool in_headline = role == "title" || role == "abstract";
    std::vector<SourceRef> sources{SourceRef{mention.span, {}}};
    // A lab result is traceable to its analyte and to the words that state the result.
    if (mention.result != kNone && !mention.result_span.empty() && !mention.result_span.overlaps(mention.span))
      sources.push_back(SourceRef{mention.result_span, {}});
    auto body_site = [&](std::uint32_t s) {
      const SiteMention& site = a.sites[s];
      BodySite b;
      b.site = coded(m.concept_at(site.concept_index));
      if (site.laterality != kNone) b.laterality = coded(m.set.laterality[site.laterality]);
      b.text = as_written(doc.view(site.span));
      b.source = SourceRef{site.span, {}};
      return b;
    };
    auto onset = [&](Temporality& t) {
      const OnsetMention& o = a.onsets[mention.onset];
      if (o.ongoing && t == Temporality::historical) t = Temporality::current;
      return Onset{as_written(o.text), o.age, o.ongoing, SourceRef{o.span, {}}};
    };
    auto resolution = [&](const Mention& x) {
      return Resolution{as_written(doc.view(x.temporality_cue)), SourceRef{x.temporality_cue, {}}};
    };
    auto date = [&](ConceptKind k) {
      const DateMention& d = a.dates[mention.date];
      return FactDate{d.iso, d.of_one_mention && k == ConceptKind::disorder, SourceRef{d.span, {}}};
    };
    // A time counting from a procedure names its fact once every fact is made and in order (the
    // procedure may be named after what it times: "fever 3 days after the surgery").
    auto relative_time = [&](Built& into) {
      const RelativeTimeMention& t = a.relative_times[mention.relative_time];
      into.fact.relative_time = RelativeTime{t.anchor, std::nullopt, t.offset, SourceRef{t.span, {}}};
      if (t.anchor == RelativeTime::Anchor::procedure) into.time_from_mention = t.procedure_mention;
    };
    auto method = [&](Fact& f) {
      const Concept& entry_method = m.set.methods[a.methods[mention.method].method];
      f.method = coded(entry_method);
      f.observation_category = entry_method.observation_category;
    };

    // The place decides which fact of the concept this is: the one read at this site, else the
    // first one if it has no site yet or this one, else a new fact of its own.
    if (!mention_sites.empty()) {
      const std::string at = place_key(key, mention_sites.front());
      if (by_key.count(at)) {
        key = at;
      } else if (const auto first = by_key.find(key); first != by_key.end()) {
        const Fact& there = made[first->second].fact;
        const bool elsewhere = !there.sites.empty() && std::none_of(there.sites.begin(), there.sites.end(), [&](const BodySite& b) {
          return at_place(b, mention_sites.front());
        });
        if (elsewhere) key = at;
        else by_key.emplace(at, first->second);
      } else {
        by_key.emplace(at, made.size());
      }
    }
    const auto found = by_key.find(key);
    fact_of_mention[mention_index] = found == by_key.end() ? made.size() : found->second;
    if (found == by_key.end()) {
      by_key.emplace(key, made.size());
      made.emplace_back(mention.span.begin, a.sentences[mention.sentence].section, mention.sentence, cue);
      made.back().headline = in_headline;
      made.back().from_title = role == "title";
      {
        const std::string_view name = entry.display();
        made.back().name_words = 1 + static_cast<std::size_t>(std::count(name.begin(), name.end(), ' '));
      }
      Fact& f = made.back().fact;
      f.code = coded(entry, as_written(doc.view(mention.span)));
      f.assertion = assertion;
      f.experiencer = mention.experiencer;
      if (relationship) f.relationship = *relationship;
      f.temporality = temporality;
      if (temporality == Temporality::resolved) f.resolution = resolution(mention);
      for (const std::uint32_t s : mention_sites) f.sites.push_back(body_site(s));
      f.sizes = mention.sizes;
      if (mention.onset != kNone) f.onset = onset(f.temporality);
      if (mention.date != kNone) f.date = date(kind);
      else if (mention.relative_time != kNone) relative_time(made.back());
      if (result) f.result = std::move(*result);   // moved: Boxed takes an optional only by copy
      if (kind == ConceptKind::lab) {
        f.observation_category = entry.observation_category();
        choose_code_for_unit(f);
      }
      if (mention.method != kNone) method(f);
      if (kind == ConceptKind::procedure && assertion == Assertion::absent) {
        Span where;
        f.status_reason = status_reason(doc, a, m, mention, first_trigger[mention.sentence], where);
        if (f.status_reason) sources.push_back(SourceRef{where, {}});
      }
      f.sources = std::move(sources);
      continue;
    }
    // The same fact again: keep every source; take what the earlier mentions did not say.
    Built& into = made[found->second];
    Fact& g = into.fact;
    g.sources.insert(g.sources.end(), sources.begin(), sources.end());
    // A title names the case's subject in few words ("Calcinosis cutis on the face"); the report's
    // own mention says it as the report does, where the report does: its words and sites stand.
    if (into.from_title && role != "title") {
      into.from_title = false;
      g.code.text = as_written(doc.view(mention.span));
      g.sites.clear();
      for (const std::uint32_t s : mention_sites) g.sites.push_back(body_site(s));
      g.sizes = mention.sizes;
      if (mention.date != kNone) g.date = date(kind);
      else if (mention.relative_time != kNone) relative_time(into);
      into.anchor = mention.span.begin;
      into.section = a.sentences[mention.sentence].section;
      into.sentence = mention.sentence;
    }
    if (assertion_strength(assertion) > assertion_strength(g.assertion) || (cue > into.cue && assertion == g.assertion)) {
      g.assertion = assertion;
      into.anchor = mention.span.begin;
      into.section = a.sentences[mention.sentence].section;
      into.sentence = mention.sentence;
    }
    into.cue = std::max(into.cue, cue);
    into.headline = into.headline || in_headline;
    if (mention.onset != kNone && !g.onset) g.onset = onset(temporality);
    // A fact's time is the time of the mention that stated it first (after the title): a later
    // mention names it again, at a time of its own ("the pleural effusion … two months later").
    g.temporality = later_temporality(g.temporality, temporality);
    if (temporality == Temporality::resolved && !g.resolution) g.resolution = resolution(mention);
    for (const std::uint32_t s : mention_sites) {
      const SiteMention& site = a.sites[s];
      const std::string_view where = m.concept_at(site.concept_index).id();
      const std::string_view side = site.laterality != kNone ? std::string_view(m.set.laterality[site.laterality].id) : std::string_view();
      const bool known = std::any_of(g.sites.begin(), g.sites.end(), [&](const BodySite& x) {
        return x.site.id == where && (x.laterality ? std::string_view(x.laterality->id) : std::string_view()) == side;
      });
      if (!known) g.sites.push_back(body_site(s));
    }
    if (g.sizes.empty()) g.sizes = mention.sizes;
    if (!g.method && mention.method != kNone) method(g);
  }

  // Results of tests the mappings do not know as analytes: an Observation named with the report's
  // words (with the procedure's codes when the mappings know the test as one), never dropped.
  for (const TestResult& t : a.test_results) {
    const Sentence& sentence = a.sentences[t.sentence];
    if (sentence.subject != Subject::patient) {
      const std::string& role = doc.sections[sentence.section].role;
      out.set_aside.push_back(SetAside{SourceRef{t.test, {}}, "",
                                       sentence.subject == Subject::general ? "general statement, not about the patient"
                                       : sentence.subject == Subject::none ? "not case content (" + (role.empty() ? std::string("unknown section") : role) + ")"
                                                                           : "a test result not about the patient"});
      continue;
    }
    made.emplace_back(t.test.begin, sentence.section, t.sentence, DiagnosisCue::none);
    Fact& f = made.back().fact;
    if (t.concept_index != kNone) {
      const mapping::ConceptView test = m.concept_at(t.concept_index);
      f.code = coded(test);
      f.observation_category = test.kind() == ConceptKind::lab ? test.observation_category() : "procedure";
      f.result = t.result;
      if (test.kind() == ConceptKind::lab) choose_code_for_unit(f);
    } else if (t.result.value && is_specimen_unit(t.result.value->unit)) {
      f.observation_category = "laboratory";
    }
    f.code.kind = ConceptKind::lab;
    if (!t.name.empty()) f.code.text = t.name;
    else if (!t.measures_finding) f.code.text = as_written(doc.view(t.test));
    if (!f.result) f.result = t.result;
    if (t.value_concept != kNone) {
      f.result->coded_value = coded(m.concept_at(t.value_concept));
      f.result->coded_value->text = as_written(doc.view(t.result_span));
    }
    f.sources = {SourceRef{t.test, {}}, SourceRef{t.result_span, {}}};
  }
  // Facts in source order: each is created at its first mention, and mentions come in text order
  // (merging only appends later sources); test results join them where they begin.
  // (Two results of one test named once, "fell from 798 to 98", go in the order of their values.)
  auto where = [](const Built& b) {
    const auto& s = b.fact.sources;
    return std::pair(s.front().span.begin, s.size() > 1 && b.fact.result ? s[1].span.begin : 0u);
  };
  InOrder built = [&] {
    std::vector<Built*> order(made.size());
    for (std::size_t k = 0; k < made.size(); ++k) {
      made[k].created = k;
      order[k] = &made[k];
    }
    std::stable_sort(order.begin(), order.end(), [&](const Built* x, const Built* y) { return where(*x) < where(*y); });
    return InOrder(std::move(order));
  }();
  // Relative times that count from a procedure: its fact, in source order; never the fact itself,
  // and only a procedure that was done.
  {
    std::vector<std::size_t> now_at(built.size());
    for (std::size_t i = 0; i < built.size(); ++i) now_at[built[i].created] = i;
    for (std::size_t i = 0; i < built.size(); ++i) {
      Built& b = built[i];
      if (b.time_from_mention == kNone) continue;
      const std::size_t was = fact_of_mention[b.time_from_mention];
      const std::size_t at = was < now_at.size() ? now_at[was] : i;
      const Fact& target = built[at].fact;
      if (at != i && target.code.kind == ConceptKind::procedure && target.assertion == Assertion::present &&
          target.experiencer == Experiencer::patient)
        b.fact.relative_time->procedure = at;
      else
        b.fact.relative_time.reset();
    }
  }
  std::stable_sort(out.set_aside.begin(), out.set_aside.end(),
                   [](const SetAside& x, const SetAside& y) { return x.source.span.begin < y.source.span.begin; });
  // A diagnosis is a Condition named where the report states one ("we diagnosed", "consistent
  // with"); a disorder merely seen on examination (acanthosis nigricans on the neck) is not.
  auto is_diagnosis = [&](const Built& b) {
    return b.cue != DiagnosisCue::none && resource_of(m, b.fact.code.kind) == ResourceType::Condition && b.fact.experiencer == Experiencer::patient &&
           b.fact.assertion == Assertion::present && b.fact.temporality == Temporality::current;
  };
  auto is_supporting_finding = [&](const Built& b) {
    if (b.fact.experiencer != Experiencer::patient || b.fact.assertion != Assertion::present) return false;
    if (b.fact.code.kind == ConceptKind::finding) return true;
    return b.fact.code.kind == ConceptKind::lab && b.fact.result && b.fact.result->interpretation != Interpretation::none &&
           b.fact.result->interpretation != Interpretation::normal && b.fact.result->interpretation != Interpretation::negative;
  };

  // Each link below sorts or scans once: a document with many facts stays near-linear.
  auto position = [&](std::size_t i) { return built[i].fact.sources.front().span.begin; };
  std::vector<std::size_t> diagnoses, findings;
  for (std::size_t i = 0; i < built.size(); ++i) {
    if (is_diagnosis(built[i])) diagnoses.push_back(i);
    if (is_supporting_finding(built[i])) findings.push_back(i);
  }
  std::sort(diagnoses.begin(), diagnoses.end(), [&](std::size_t x, std::size_t y) {
    return std::pair(built[x].section, built[x].anchor) < std::pair(built[y].section, built[y].anchor);
  });
  std::sort(findings.begin(), findings.end(), [&](std::size_t x, std::size_t y) {
    return std::pair(built[x].section, position(x)) < std::pair(built[y].section, position(y));
  });

  // A diagnosis read off a test's result ("echocardiography showed trace mitral regurgitation") is
  // not the case's conclusion when its section states one later ("a diagnosis of Kawasaki disease
  // was made"): it keeps the findings of its own sentence, and the stated diagnosis takes the rest.
  std::vector<bool> deferred(diagnoses.size(), false);
  bool stated_later = false;
  for (std::size_t k = diagnoses.size(); k-- > 0;) {
    const Built& d = built[diagnoses[k]];
    if (k + 1 < diagnoses.size() && built[diagnoses[k + 1]].section != d.section) stated_later = false;
    deferred[k] = d.cue == DiagnosisCue::result && stated_later;
    stated_later = stated_later || d.cue >= DiagnosisCue::stated;
  }

  // A finding that says where on the body the disease is: not a specimen's finding (the dermis of a
  // biopsy is not the lesion's site).
  auto seen_on_the_body = [](const Fact& e) {
    return e.code.kind == ConceptKind::finding && e.observation_category != "laboratory";
  };

  // Evidence: the findings between the previous (not deferred) diagnosis of the section and this one.
  std::optional<std::size_t> previous_conclusion;
  for (std::size_t k = 0; k < diagnoses.size(); ++k) {
    Built& d = built[diagnoses[k]];
    if (k > 0 && built[diagnoses[k - 1]].section != d.section) previous_conclusion.reset();
    const std::uint32_t previous = previous_conclusion ? built[*previous_conclusion].anchor : 0;
    auto it = std::lower_bound(findings.begin(), findings.end(), std::pair(d.section, previous),
                               [&](std::size_t x, const std::pair<std::uint32_t, std::uint32_t>& v) {
                                 return std::pair(built[x].section, position(x)) < v;
                               });
    for (; it != findings.end() && built[*it].section == d.section && position(*it) < d.anchor; ++it)
      if (!deferred[k] || built[*it].sentence == d.sentence) d.fact.evidence.push_back(*it);
    if (!deferred[k]) previous_conclusion = diagnoses[k];
    std::sort(d.fact.evidence.begin(), d.fact.evidence.end());
    // A diagnosis without a site of its own is where its findings are seen, when they are all seen
    // in one place (the lesion and the plaque on the right cheek). Findings spread over the body, or
    // one with a site beside others with none (tender thighs beside dark urine, for acute kidney
    // injury), say nothing about where the disease is.
    if (d.fact.sites.empty()) {
      const std::vector<BodySite>* only = nullptr;
      bool one_place = true;
      for (const std::size_t j : d.fact.evidence) {
        const Fact& e = built[j].fact;
        if (!seen_on_the_body(e)) continue;
        if (e.sites.empty()) one_place = false;
        else if (!only) only = &e.sites;
        else if (only->front().site.id != e.sites.front().site.id) one_place = false;
      }
      if (only && one_place) d.fact.sites = *only;
    }
    // A diagnosis without an onset of its own began when the first dated current finding at its
    // site did: the lesion on the right cheek that "occurred approximately 25 years ago" is the
    // calcinosis cutis of the right cheek. A finding elsewhere (back pain for two years) says
    // nothing about when pneumonia began.
    if (!d.fact.onset && !d.fact.sites.empty()) {
      for (const std::size_t j : d.fact.evidence) {
        const Fact& e = built[j].fact;
        const bool same_site = !e.sites.empty() && e.sites.front().site.id == d.fact.sites.front().site.id;
        if (e.onset && same_site && e.temporality == Temporality::current && seen_on_the_body(e)) {
          d.fact.onset = e.onset;
          break;
        }
      }
    }
  }

  // partOf: a finding seen in a specimen comes from the last specimen-taking procedure before it;
  // the result of a procedure ("the echocardiogram was normal") from that procedure.
  std::optional<std::size_t> last_specimen;
  std::unordered_map<std::string_view, std::size_t> last_procedure;   // by concept id; only looked up
  for (std::size_t i = 0; i < built.size(); ++i) {
    Fact& f = built[i].fact;
    if (f.code.kind == ConceptKind::lab && f.observation_category == "procedure" && !f.code.id.empty()) {
      if (const auto p = last_procedure.find(f.code.id); p != last_procedure.end()) f.part_of = p->second;
      continue;
    }
    if (f.code.kind == ConceptKind::procedure && f.assertion == Assertion::present && f.experiencer == Experiencer::patient)
      last_procedure[f.code.id] = i;
    if (f.code.kind == ConceptKind::procedure) {
      const auto index = m.find_concept(f.code.id);
      if (f.assertion == Assertion::present && f.experiencer == Experiencer::patient && index && m.concept_at(*index).specimen())
        last_specimen = i;
      continue;
    }
    if (!f.method || f.code.kind != ConceptKind::finding || !last_specimen) continue;
    const auto method = std::find_if(m.set.methods.begin(), m.set.methods.end(),
                                     [&](const Concept& x) { return x.id == f.method->id; });
    if (method != m.set.methods.end() && method->specimen) f.part_of = last_specimen;
  }

  // An onset stated without a concept of its own belongs to the next diagnosis of its section that
  // has none. `next_free[k]` skips diagnoses already dated (path-halving), so this stays linear.
  std::vector<std::size_t> next_free(diagnoses.size() + 1);
  for (std::size_t k = 0; k <= diagnoses.size(); ++k) next_free[k] = k;
  auto free_from = [&](std::size_t k) {
    while (next_free[k] != k) k = next_free[k] = next_free[next_free[k]];
    return k;
  };
  for (const OnsetMention& onset : a.onsets) {
    if (onset.attached || a.sentences[onset.sentence].subject != Subject::patient) continue;
    const std::uint32_t section = a.sentences[onset.sentence].section;
    const auto first = std::upper_bound(diagnoses.begin(), diagnoses.end(), std::pair(section, onset.span.begin),
                                        [&](const std::pair<std::uint32_t, std::uint32_t>& v, std::size_t x) {
                                          return v < std::pair(built[x].section, built[x].anchor);
                                        });
    for (std::size_t k = free_from(static_cast<std::size_t>(first - diagnoses.begin())); k < diagnoses.size();
         k = free_from(k + 1)) {
      Built& d = built[diagnoses[k]];
      if (d.section != section) break;
      if (d.fact.onset) {
        next_free[k] = k + 1;
        continue;
      }
      d.fact.onset = Onset{as_written(onset.text), onset.age, onset.ongoing, SourceRef{onset.span, {}}};
      next_free[k] = k + 1;
      break;
    }
  }

  // The diagnosis the case is about: of the confirmed, current patient Conditions, the one the report
  // presents as its subject ("we present a case of"), names in its title or abstract, states as a
  // diagnosis or reads off a test, names often, with the findings that support it, specifically
  // ("lung adenocarcinoma" rather than "cancer"), and late: a case report reaches its diagnosis
  // after the history and the work-up.
  std::vector<std::size_t> conditions;   // the confirmed, current patient Conditions
  for (std::size_t i = 0; i < built.size(); ++i) {
    const Fact& f = built[i].fact;
    if (resource_of(m, f.code.kind) == ResourceType::Condition && f.experiencer == Experiencer::patient &&
        f.assertion == Assertion::present && f.temporality != Temporality::historical)
      conditions.push_back(i);
  }
  const std::vector<std::size_t> all_named_shorter = mentions_by_shorter_names(built, conditions, m);
  std::vector<std::size_t> candidates, named_shorter;
  for (std::size_t k = 0; k < conditions.size(); ++k) {
    const Built& b = built[conditions[k]];
    // A Condition named once in passing (by none of its names again), with no cue, no place in the
    // title or abstract and no finding to support it, is not what the case is about ("it was a
    // stroke of luck"): better no principal diagnosis than a guess.
    if (b.cue == DiagnosisCue::none && !b.headline && b.fact.sources.size() + all_named_shorter[k] < 2 && b.fact.evidence.empty())
      continue;
    candidates.push_back(conditions[k]);
    named_shorter.push_back(all_named_shorter[k]);
  }
  double best = 0;
  const double length = static_cast<double>(std::max<std::size_t>(doc.text.size(), 1));
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const std::size_t i = candidates[k];
    const Built& b = built[i];
    const Fact& f = b.fact;
    double score = 1;
    if (b.cue == DiagnosisCue::case_subject) score += 4;
    if (b.cue != DiagnosisCue::none) score += 1;
    if (b.headline) score += 2;
    score += static_cast<double>(std::min<std::size_t>(f.sources.size() + named_shorter[k], 4));
    score += 0.5 * static_cast<double>(std::min<std::size_t>(f.evidence.size(), 4));
    score += static_cast<double>(std::min<std::size_t>(b.name_words, 3));
    score += static_cast<double>(f.sources.front().span.begin + f.sources.back().span.begin) / length;
    if (f.temporality == Temporality::resolved) score -= 1;
    // A symptom or sign ("syncope", "failure to thrive") is what brought the patient in, rarely
    // what the case is about.
    if (signs_and_symptoms_only(f.code)) score -= 2;
    // Ties go to the later one: a report states its conclusion after the work-up.
    if (score >= best) {
      best = score;
      out.principal_diagnosis = i;
    }
  }

  out.facts.reserve(built.size());
  for (std::size_t i = 0; i < built.size(); ++i) out.facts.push_back(std::move(built[i].fact));
  // The keys each fact's mentions were merged by (none for a test's result: a measurement of its
  // own), for merging the facts of several windows of one text (windows.cpp).
  if (merge_keys) {
    std::vector<std::vector<std::string>> by_created(built.size());
    for (const auto& [key, index] : by_key)
      if (index < by_created.size()) by_created[index].push_back(key);
    merge_keys->assign(built.size(), {});
    for (std::size_t i = 0; i < built.size(); ++i) {
      (*merge_keys)[i] = std::move(by_created[built[i].created]);
      std::sort((*merge_keys)[i].begin(), (*merge_keys)[i].end());
    }
  }

  // Patient sentences with nothing the converter knows: reported, never silently dropped.
  std::vector<bool> has_result(a.sentences.size(), false);
  for (const TestResult& t : a.test_results) has_result[t.sentence] = true;
  std::size_t mention = 0;
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    bool any = has_result[s];
    while (mention < a.mentions.size() && a.mentions[mention].sentence < s) ++mention;
    any = any || (mention < a.mentions.size() && a.mentions[mention].sentence == s);
    if (a.age_mention && a.age_mention->sentence == s) any = true;
    if (!any && a.sentences[s].subject == Subject::patient) out.unmapped.push_back(SourceRef{a.sentences[s].span, {}});
  }
  return out;
}

}  // namespace casefhir::nlp
