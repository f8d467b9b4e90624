// nlp/attributes.cpp — find_attributes: what the text says about each mention beyond its concept.
//
//   age and sex       "A 46-year-old male patient"            → Annotations::age, gender
//   sizes             "0.5 cm x 1 cm in size"                 → Mention::sizes of the nearest finding
//   body sites        "on his right cheek"                    → Mention::sites
//   methods           "Histopathological examination … revealed X" → Mention::method of X
//   onset             "approximately 25 years ago", "since childhood", "for 6 days"
//
// Every pattern is local (a few tokens around a mention), so the stage is linear in the text.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "nlp/reading.h"

namespace casefhir::nlp {

namespace {

bool is_length_unit(const std::string& ucum) {
  return ucum == "mm" || ucum == "cm" || ucum == "m" || ucum == "um" || ucum == "[in_i]" || ucum == "nm";
}

bool is_finding_like(ConceptKind k) { return k == ConceptKind::finding || k == ConceptKind::disorder; }

// The mention (of the given kinds) nearest to [begin, end) in the same sentence, preferring one
// before it within `before_words` words, else one after within `after_words`.
std::uint32_t nearest_mention(const TextReader& c, std::uint32_t sentence, std::uint32_t begin, std::uint32_t end,
                              std::uint32_t before_words, std::uint32_t after_words, bool (*accept)(ConceptKind)) {
  std::uint32_t best_before = kNone, best_after = kNone;
  const auto [first, last] = TextReader::of_sentence(c.a.mentions, sentence);
  for (std::uint32_t k = first; k < last; ++k) {
    const Mention& mention = c.a.mentions[k];
    if (!accept(c.m.concept_at(mention.concept_index).kind())) continue;
    if (mention.token_end <= begin) best_before = k;
    else if (mention.token_begin >= end && best_after == kNone) best_after = k;
  }
  auto words = [&](std::uint32_t from, std::uint32_t to) {
    std::uint32_t n = 0;
    for (std::uint32_t i = from; i < to; ++i) {
      if (c.punct_is(i, ';')) return kNone;
      n += c.a.tokens[i].is(kPunct) ? 0u : 1u;
    }
    return n;
  };
  if (best_before != kNone && words(c.a.mentions[best_before].token_end, begin) <= before_words) return best_before;
  if (best_after != kNone && words(end, c.a.mentions[best_after].token_begin) <= after_words) return best_after;
  return kNone;
}

// ---- age and sex -------------------------------------------------------------------------------

// "his 70-year-old mother", "His mother (primipara, 32 years old)": words that describe a relative
// or another person, not the patient.
bool about_someone_else(const TextReader& c, std::uint32_t sentence, std::uint32_t begin, std::uint32_t end) {
  const auto [first, last] = TextReader::of_sentence(c.a.triggers, sentence);
  for (std::uint32_t x = first; x < last; ++x) {
    const TriggerMatch& t = c.a.triggers[x];
    if (t.category != ContextCategory::family && t.category != ContextCategory::other) continue;
    if ((t.token_begin >= end && t.token_begin <= end + 2) || (t.token_end <= begin && t.token_end + 6 >= begin)) return true;
  }
  return false;
}

void find_age_and_sex(TextReader& c) {
  auto& a = c.a;
  for (std::uint32_t s = 0; s < a.sentences.size() && !a.age; ++s) {
    const Sentence& sentence = a.sentences[s];
    if (sentence.subject != Subject::patient) continue;
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      if (!c.number(i)) continue;
      // 46-year-old, 46 year old, 46 years old, 3-month-old, 46 years of age, aged 46 years,
      // 4 and a half years old
      const bool aged = i > sentence.token_begin && c.word_in(i - 1, {"aged", "age"});
      std::uint32_t j = i + 1;
      if (c.word_is(j, "and") && c.word_is(j + 1, "a") && c.word_is(j + 2, "half")) j += 3;
      if (c.punct_is(j, '-')) ++j;
      std::string unit, written;
      const std::uint32_t after_unit = match_unit(c, j, sentence.token_end, unit, written);
      if (after_unit == j || !is_time_unit(unit) || unit == "h" || unit == "min") continue;
      std::uint32_t k = after_unit;
      if (c.punct_is(k, '-')) ++k;
      std::uint32_t end = kNone;
      if (c.word_is(k, "old")) end = k + 1;
      else if (c.word_is(k, "of") && c.word_is(k + 1, "age")) end = k + 2;
      else if (aged) end = after_unit;
      if (end == kNone) continue;
      const std::uint32_t start = aged ? i - 1 : i;
      if (about_someone_else(c, s, i, end)) continue;
      Quantity q;
      std::string normal;
      if (!parse_number(c.text(i), q.value, normal)) continue;
      q.value_text = normal;
      if (c.word_is(i + 1, "and") && c.word_is(i + 3, "half")) {
        q.value += 0.5;
        q.value_text += ".5";
      }
      q.unit = unit;
      q.unit_text = written;
      a.age = q;
      a.age_mention = DemographicMention{Span{a.tokens[start].span.begin, a.tokens[end - 1].span.end}, s};
      break;
    }
  }
  // Sex: a sex word in the sentence that gives the age, else in the first patient sentence with one.
  auto find_sex = [&](std::uint32_t s) {
    const Sentence& sentence = a.sentences[s];
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      PhraseIndex::Match match;
      if (!c.m.sex_terms.longest(a.tokens, i, sentence.token_end, match)) continue;
      if (about_someone_else(c, s, i, match.end)) continue;
      const auto payloads = c.m.sex_terms.payloads(match);
      a.gender = payloads.back() == detail::kMale ? Gender::male : Gender::female;
      a.gender_mention = DemographicMention{Span{a.tokens[i].span.begin, a.tokens[match.end - 1].span.end}, s};
      return true;
    }
    return false;
  };
  if (a.age_mention && find_sex(a.age_mention->sentence)) return;
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s)
    if (a.sentences[s].subject == Subject::patient && find_sex(s)) return;
  // No sex word: the pronouns of the case narrative (English grammar, not clinical knowledge).
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    if (a.sentences[s].subject != Subject::patient) continue;
    for (std::uint32_t i = a.sentences[s].token_begin; i < a.sentences[s].token_end; ++i) {
      const bool male = c.word_in(i, {"he", "his", "him"});
      const bool female = c.word_in(i, {"she", "her", "hers"});
      if (!male && !female) continue;
      a.gender = male ? Gender::male : Gender::female;
      a.gender_mention = DemographicMention{a.tokens[i].span, s};
      return;
    }
  }
}

// ---- sizes -------------------------------------------------------------------------------------

void find_sizes(TextReader& c) {
  auto& a = c.a;
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      if (!c.number(i)) continue;
      // NUMBER [UNIT] (x|×|by NUMBER [UNIT])*, with a length unit at the end at least.
      std::vector<Quantity> dims;
      std::uint32_t j = i;
      std::string last_unit, last_written;
      std::uint32_t unitless_from = 0;
      while (j < sentence.token_end && c.number(j)) {
        Quantity q;
        std::string normal;
        if (!parse_number(c.text(j), q.value, normal)) break;
        q.value_text = normal;
        std::string unit, written;
        const std::uint32_t after = match_unit(c, j + 1, sentence.token_end, unit, written);
        if (after > j + 1) {
          if (!is_length_unit(unit)) { dims.clear(); break; }
          q.unit = unit;
          q.unit_text = written;
          for (std::uint32_t d = unitless_from; d < dims.size(); ++d) {
            dims[d].unit = unit;
            dims[d].unit_text = written;
          }
          unitless_from = static_cast<std::uint32_t>(dims.size()) + 1;
          last_unit = unit;
        }
        dims.push_back(q);
        j = after;
        if (j < sentence.token_end && (c.word_in(j, {"x", "by"}) || c.punct_is(j, 'x') || c.punct_is(j, '*')) && c.number(j + 1)) {
          ++j;
          continue;
        }
        break;
      }
      if (dims.empty() || last_unit.empty() || dims.size() > 3 || unitless_from < dims.size()) { i = std::max(i, j); continue; }
      const std::uint32_t target = nearest_mention(c, s, i, j, 15, 4, is_finding_like);
      if (target != kNone && a.mentions[target].sizes.empty()) a.mentions[target].sizes = dims;
      i = j;
    }
  }
}

// ---- body sites and methods --------------------------------------------------------------------

// "Chest radiograph showed pneumonia": a site right before a method names what was imaged.
bool method_between(const TextReader& c, std::uint32_t sentence, std::uint32_t from) {
  const auto [first, last] = TextReader::of_sentence(c.a.methods, sentence);
  for (std::uint32_t k = first; k < last; ++k)
    if (c.a.methods[k].token_begin >= from && c.a.methods[k].token_begin <= from + 1) return true;
  return false;
}

bool accepts_site(ConceptKind k) {
  return k == ConceptKind::finding || k == ConceptKind::disorder || k == ConceptKind::procedure;
}
bool is_procedure(ConceptKind k) { return k == ConceptKind::procedure; }

void attach_sites(TextReader& c) {
  auto& a = c.a;
  std::vector<std::uint32_t> target_of(a.sites.size(), kNone);
  // Sites read inside a term ("dissection of the right vertebral artery") are already their mention's.
  for (std::uint32_t k = 0; k < a.mentions.size(); ++k)
    for (const std::uint32_t s : a.mentions[k].sites) target_of[s] = k;
  for (std::uint32_t s = 0; s < a.sites.size(); ++s) {
    SiteMention& site = a.sites[s];
    if (site.attached) continue;
    std::uint32_t begin = site.token_begin;
    // Skip back over possessives and determiners to find a preposition: "on his right cheek".
    std::uint32_t p = begin;
    for (std::uint32_t back = 0; back < 4 && p > a.sentences[site.sentence].token_begin; ++back) {
      const std::uint32_t q = p - 1;
      if (c.word_in(q, {"the", "a", "an", "his", "her", "their", "its", "both", "left", "right", "bilateral",
                        "upper", "lower", "entire", "whole"})) { p = q; continue; }
      break;
    }
    const bool prepositional = p > a.sentences[site.sentence].token_begin &&
                               c.word_in(p - 1, {"on", "in", "of", "over", "at", "to", "involving", "within", "from",
                                                 "around", "along", "into", "across", "affecting", "near", "above",
                                                 "below", "beneath", "under", "throughout"});
    // Where a pain spreads is not where it is: "epigastric pain radiating to the back".
    if (prepositional && c.word_is(p - 1, "to") && p >= 2 &&
        c.word_in(p - 2, {"radiating", "radiated", "radiates", "radiation", "spreading", "spread", "referred"}))
      continue;
    std::uint32_t target = kNone;
    // A site listed with the one before it is a site of the same mention: "abscesses in the liver
    // and the lung", "pain in the right knee and the left shoulder".
    if (!prepositional && s > 0 && target_of[s - 1] != kNone && a.sites[s - 1].sentence == site.sentence &&
        p > a.sites[s - 1].token_end && p - a.sites[s - 1].token_end <= 2) {
      bool listed = false, only_list_words = true;
      for (std::uint32_t i = a.sites[s - 1].token_end; i < p; ++i) {
        if (c.punct_is(i, ',') || c.word_in(i, {"and", "or"})) listed = true;
        else only_list_words = false;
      }
      // … and the list ends there: in "the knee and ankle reflexes" the sites name the reflexes.
      std::uint32_t last = s;
      while (last + 1 < a.sites.size() && a.sites[last + 1].sentence == site.sentence &&
             a.sites[last + 1].token_begin >= a.sites[last].token_end && a.sites[last + 1].token_begin - a.sites[last].token_end <= 3) {
        bool joined = true;
        for (std::uint32_t i = a.sites[last].token_end; i < a.sites[last + 1].token_begin; ++i)
          joined = joined && (c.punct_is(i, ',') || c.word_in(i, {"and", "or", "the", "both", "left", "right"}));
        if (!joined) break;
        ++last;
      }
      const std::uint32_t after = a.sites[last].token_end;
      const bool ends = after >= a.sentences[site.sentence].token_end || a.tokens[after].is(kPunct) ||
                        c.word_in(after, {"and", "or", "but", "with", "without", "was", "were", "is", "are", "which", "that",
                                          "on", "in", "at", "of", "to", "for", "by", "since", "after", "before", "during"});
      if (listed && only_list_words && ends) target = target_of[s - 1];
    }
    // A site after a preposition belongs to a finding up to 15 words back; to a procedure only when
    // it follows closely ("ultrasound of the legs", not "a radiograph showed … of the right lobe").
    if (target != kNone) {
      // listed: attached above
    } else if (prepositional) {
      target = nearest_mention(c, site.sentence, begin, site.token_end, 15, 0, is_finding_like);
      if (target == kNone) target = nearest_mention(c, site.sentence, begin, site.token_end, 3, 0, is_procedure);
    }
    else if (!method_between(c, site.sentence, site.token_end)) target = nearest_mention(c, site.sentence, begin, site.token_end, 0, 1, accepts_site);
    if (target == kNone) continue;
    site.attached = true;
    target_of[s] = target;
    a.mentions[target].sites.push_back(s);
  }
}

void attach_methods(TextReader& c) {
  auto& a = c.a;
  for (Mention& mention : a.mentions) {
    const ConceptKind kind = c.m.concept_at(mention.concept_index).kind();
    if (kind != ConceptKind::finding) continue;
    // "CT showed X" (the method before the finding, in the same clause) or "X on CT" / "X by
    // echocardiography" (right after it); a method elsewhere in the sentence says nothing about X.
    std::uint32_t before = kNone, after = kNone;
    const auto [first, last] = TextReader::of_sentence(a.methods, mention.sentence);
    for (std::uint32_t k = first; k < last; ++k) {
      const MethodMention& method = a.methods[k];
      if (method.token_end <= mention.token_begin) before = k;
      else if (method.token_begin >= mention.token_end && after == kNone) after = k;
    }
    auto clause_between = [&](std::uint32_t from, std::uint32_t to) {
      for (std::uint32_t i = from; i < to; ++i)
        if (c.punct_is(i, ';') || c.word_in(i, {"because", "due", "since", "after", "before", "although", "but"})) return false;
      return true;
    };
    if (before != kNone && clause_between(a.methods[before].token_end, mention.token_begin)) {
      mention.method = before;
    } else if (after != kNone) {
      std::uint32_t p = a.methods[after].token_begin;
      while (p > mention.token_end && c.word_in(p - 1, {"the", "a", "an", "repeat", "follow-up", "chest", "abdominal"})) --p;
      if (p > mention.token_end && c.word_in(p - 1, {"on", "by", "at", "in", "with", "via", "using"}) && p - 1 - mention.token_end <= 6)
        mention.method = after;
    }
  }
}

// ---- onset -------------------------------------------------------------------------------------

void find_onsets(TextReader& c) {
  auto& a = c.a;
  for (std::uint32_t s = 0; s < a.sentences.size(); ++s) {
    const Sentence& sentence = a.sentences[s];
    if (sentence.subject != Subject::patient && sentence.subject != Subject::family) continue;
    for (std::uint32_t i = sentence.token_begin; i < sentence.token_end; ++i) {
      // Every pattern starts with a number or with since / in / during / at / for.
      if (!c.number(i)) {
        if (!a.tokens[i].is(kWord)) continue;
        const auto length = a.tokens[i].span.size();
        const char first = static_cast<char>(c.doc.text[a.tokens[i].span.begin] | 0x20);
        const bool may_start = (length == 2 && (first == 'i' || first == 'a')) || (length == 3 && first == 'f') ||
                               (length == 5 && first == 's') || (length == 6 && first == 'd');
        if (!may_start) continue;
      }
      std::uint32_t begin = i, end = kNone;
      std::optional<Quantity> age;
      bool duration = false;
      // [approximately] N years ago
      if (c.number(i)) {
        std::string unit, written;
        std::uint32_t j = match_unit(c, i + 1, sentence.token_end, unit, written);
        if (j > i + 1 && is_time_unit(unit) && c.word_is(j, "ago")) {
          end = j + 1;
          if (i > sentence.token_begin && c.word_in(i - 1, {"approximately", "about", "around", "nearly", "almost",
                                                             "roughly", "some", "over", "circa", "approx"}))
            begin = i - 1;
        }
        // 3-day history of
        if (end == kNone && j > i + 1 && is_time_unit(unit) && c.word_is(j, "history")) { end = j; duration = true; }
      }
      // since childhood / birth / infancy / N years / the age of N
      if (end == kNone && c.word_is(i, "since")) {
        if (c.word_in(i + 1, {"childhood", "birth", "infancy", "adolescence", "youth", "puberty", "then"})) end = i + 2;
        else if (c.word_is(i + 1, "early") && c.word_in(i + 2, {"childhood", "infancy", "adolescence"})) end = i + 3;
        else if (c.number(i + 1)) {
          std::string unit, written;
          const std::uint32_t j = match_unit(c, i + 2, sentence.token_end, unit, written);
          if (j > i + 2 && is_time_unit(unit)) end = j;
        }
      }
      // in childhood, at birth, at the age of N, at age N
      if (end == kNone && c.word_in(i, {"in", "during"}) && c.word_in(i + 1, {"childhood", "infancy", "adolescence"})) end = i + 2;
      if (end == kNone && c.word_is(i, "at") && c.word_is(i + 1, "birth")) end = i + 2;
      if (end == kNone && c.word_is(i, "at")) {
        std::uint32_t j = i + 1;
        if (c.word_is(j, "the") && c.word_is(j + 1, "age") && c.word_is(j + 2, "of")) j += 3;
        else if (c.word_is(j, "age")) j += 1;
        if (j > i + 1 && c.number(j)) {
          Quantity q;
          std::string normal;
          if (parse_number(c.text(j), q.value, normal)) {
            q.value_text = normal;
            q.unit = "a";
            end = j + 1;
            std::string unit, written;
            const std::uint32_t u = match_unit(c, j + 1, sentence.token_end, unit, written);
            if (u > j + 1 && is_time_unit(unit)) { q.unit = unit; end = u; }
            age = q;
          }
        }
      }
      // for [the past] [approximately] N days
      if (end == kNone && c.word_is(i, "for")) {
        std::uint32_t j = i + 1;
        if (c.word_is(j, "the") && c.word_in(j + 1, {"past", "last", "previous"})) j += 2;
        if (c.word_in(j, {"approximately", "about", "around", "nearly", "almost", "over", "more"})) ++j;
        if (c.word_is(j, "than")) ++j;
        if (c.number(j)) {
          std::string unit, written;
          const std::uint32_t u = match_unit(c, j + 1, sentence.token_end, unit, written);
          if (u > j + 1 && is_time_unit(unit) && unit != "min") { end = u; duration = true; }
        }
      }
      if (end == kNone) continue;
      OnsetMention onset;
      onset.span = Span{a.tokens[begin].span.begin, a.tokens[end - 1].span.end};
      onset.text = std::string(c.doc.view(onset.span));
      onset.sentence = s;
      onset.token_begin = begin;
      onset.age = age;
      onset.ongoing = duration || c.word_is(begin, "since");
      const auto index = static_cast<std::uint32_t>(a.onsets.size());
      // A duration belongs to the finding right before it ("fever for 6 days") or after it
      // ("3-day history of cough"); other onsets to the nearest finding or disorder in the sentence.
      const std::uint32_t target = duration ? nearest_mention(c, s, begin, end, 3, 2, is_finding_like)
                                            : nearest_mention(c, s, begin, end, 12, 6, is_finding_like);
      // An onset dates something that happened, never a negated mention ("no trauma … in childhood").
      if (target != kNone && a.mentions[target].onset == kNone && a.mentions[target].assertion != Assertion::absent) {
        a.mentions[target].onset = index;
        onset.attached = true;
      }
      a.onsets.push_back(std::move(onset));
      i = end - 1;
    }
  }
}

}  // namespace

void find_attributes(const SourceDocument& doc, Annotations& a, const CompiledMappings& m) {
  TextReader c{doc, a, m};
  a.onsets.clear();
  a.age.reset();
  a.age_mention.reset();
  a.gender.reset();
  a.gender_mention.reset();
  find_age_and_sex(c);
  find_sizes(c);
  attach_sites(c);
  attach_methods(c);
  find_onsets(c);
}

}  // namespace casefhir::nlp
