// nlp/windows.cpp — facts_in_windows: a text of tens of MB read a window at a time.
//
// The annotations of a text (tokens, mentions, triggers, results) take about 25 bytes per byte of
// it; held for a 50 MB report that is over a gigabyte. A text larger than kWindowBytes is cut
// between paragraphs into windows of about that size; each is read as a document of its own, and
// its facts are merged into the whole's as the mentions of one text merge: the same concept with
// the same assertion, subject, sites and result is one fact, with the sources of every window.
//
// What a window does not see of the ones before it: the section it begins in is carried over (so a
// discussion stays general); abbreviations defined in an earlier window, and the patient's age and
// sex stated in a later one, are not. A fact keeps the evidence of the window that first stated it,
// and the diagnosis of the case is taken from the first window that names one (a report states it
// in its title and opening). A finding named without a site joins the first fact of its concept in
// its window, which may be at another place than the first in the whole text. Windows are cut
// between paragraphs where they can be, never inside a sentence where that can be helped. Texts
// below the window size, every report of ordinary length, are read whole and never come here.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Where the next window ends: at most `size` bytes after `begin`, in the second half of that, never
// inside a sentence where it can be helped (a negation would lose what it negates). In order of
// preference: after the last blank line (white space allowed on it, "\r\n" line ends too), after a
// line that ends a sentence, after a sentence end inside a line, after a space, else on a UTF-8
// character boundary.
std::size_t window_end(std::string_view text, std::size_t begin, std::size_t size) {
  if (text.size() - begin <= size) return text.size();
  const std::size_t limit = begin + size;
  const std::size_t half = begin + size / 2;
  // The character before position `at` and the blanks before it: what a line ends with.
  auto last_before = [&](std::size_t at) {
    while (at > begin && is_blank(text[at - 1])) --at;
    return at > begin ? text[at - 1] : '\n';
  };
  for (std::size_t at = limit; at > half; --at)
    if (text[at - 1] == '\n' && last_before(at - 1) == '\n') return at;
  for (std::size_t at = limit; at > half; --at)
    if (text[at - 1] == '\n') {
      const char c = last_before(at - 1);
      if (c == '.' || c == '!' || c == '?' || c == ':') return at;
    }
  for (std::size_t at = limit; at > half + 1; --at)
    if (text[at - 1] == ' ' && (text[at - 2] == '.' || text[at - 2] == '!' || text[at - 2] == '?')) return at;
  for (std::size_t at = limit; at > half; --at)
    if (text[at - 1] == ' ') return at;
  std::size_t end = limit;
  while (end > begin && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return end;
}

void shift(SourceRef& s, std::uint32_t by) {
  if (!s.span.empty() || s.span.begin > 0) {
    s.span.begin += by;
    s.span.end += by;
  }
}

// Moves every span of a window's facts to where the window lies in the whole text.
void shift(CaseFacts& f, std::uint32_t by) {
  for (Fact& fact : f.facts) {
    for (SourceRef& s : fact.sources) shift(s, by);
    for (BodySite& site : fact.sites) shift(site.source, by);
    if (fact.onset) shift(fact.onset->source, by);
    if (fact.date) shift(fact.date->source, by);
    if (fact.end) shift(fact.end->source, by);
    if (fact.resolution) shift(fact.resolution->source, by);
    if (fact.relative_time) shift(fact.relative_time->source, by);
  }
  for (SourceRef& s : f.patient.gender_sources) shift(s, by);
  for (SourceRef& s : f.patient.age_sources) shift(s, by);
  for (SourceRef& s : f.patient.record_sources) shift(s, by);
  for (SetAside& s : f.set_aside) shift(s.source, by);
  for (SourceRef& s : f.unmapped) shift(s, by);
}

// Merges the facts of each window into the whole's by the keys that merged the mentions of each
// window (facts_from_text): the concept, its subject, whether a Condition is asserted or absent,
// the result, the place. A window's fact that shares a key with a fact of the whole is another
// mention of it; a test's result (no key) is always a fact of its own.
class Merger {
 public:
  explicit Merger(CaseFacts& into) : into_(into) {}

  void add(CaseFacts&& part, const std::vector<std::vector<std::string>>& keys) {
    if (!into_.patient.gender && part.patient.gender) {
      into_.patient.gender = part.patient.gender;
      into_.patient.gender_sources = std::move(part.patient.gender_sources);
    }
    if (!into_.patient.age && part.patient.age) {
      into_.patient.age = part.patient.age;
      into_.patient.age_sources = std::move(part.patient.age_sources);
    }
    // Where each of the window's facts went in the whole.
    std::vector<std::size_t> at(part.facts.size());
    std::vector<bool> fresh(part.facts.size(), true);
    for (std::size_t i = 0; i < part.facts.size(); ++i) {
      Fact& f = part.facts[i];
      const std::size_t target = find(f, keys[i]);
      for (const std::string& key : keys[i]) index_.emplace(key, target);
      at[i] = target;
      if (target == into_.facts.size()) {
        into_.facts.push_back(std::move(f));
        continue;
      }
      fresh[i] = false;
      // A diagnosis keeps the findings of the window that first stated it, as one text keeps those
      // of the mention that first did.
      join(into_.facts[target], std::move(f));
    }
    // Links inside the window (evidence, partOf, a time counted from a procedure) now point into
    // the whole.
    for (std::size_t i = 0; i < part.facts.size(); ++i) {
      if (!fresh[i]) continue;
      Fact& g = into_.facts[at[i]];
      for (std::size_t& e : g.evidence) e = at[e];
      if (g.part_of) g.part_of = at[*g.part_of];
      if (g.relative_time && g.relative_time->procedure) g.relative_time->procedure = at[*g.relative_time->procedure];
    }
    if (!into_.principal_diagnosis && part.principal_diagnosis) into_.principal_diagnosis = at[*part.principal_diagnosis];
    into_.set_aside.insert(into_.set_aside.end(), std::make_move_iterator(part.set_aside.begin()),
                           std::make_move_iterator(part.set_aside.end()));
    into_.unmapped.insert(into_.unmapped.end(), part.unmapped.begin(), part.unmapped.end());
  }

  void finish() {
    for (Fact& f : into_.facts) {
      std::sort(f.evidence.begin(), f.evidence.end());
      f.evidence.erase(std::unique(f.evidence.begin(), f.evidence.end()), f.evidence.end());
    }
  }

 private:
  // The fact of the whole that the window's fact `f` is another mention of, else a new one (the
  // index it will take), as facts_from_text places a mention: the fact read at its place first
  // ("key@site/side"); else the concept's first fact, if that has no place yet or this one.
  std::size_t find(const Fact& f, const std::vector<std::string>& keys) const {
    for (const std::string& key : keys)
      if (key.find('@') != std::string::npos)
        if (const auto found = index_.find(key); found != index_.end()) return found->second;
    for (const std::string& key : keys) {
      if (key.find('@') != std::string::npos) continue;
      const auto found = index_.find(key);
      if (found == index_.end()) continue;
      const Fact& there = into_.facts[found->second];
      const bool here = f.sites.empty() || there.sites.empty() ||
                        std::any_of(there.sites.begin(), there.sites.end(), [&](const BodySite& b) {
                          return std::any_of(f.sites.begin(), f.sites.end(), [&](const BodySite& x) {
                            return b.site.id == x.site.id && (!b.laterality || !x.laterality || b.laterality->id == x.laterality->id);
                          });
                        });
      if (here) return found->second;
    }
    return into_.facts.size();
  }

  // A later mention of a fact: every source kept; what the earlier ones did not say taken.
  static void join(Fact& g, Fact&& f) {
    g.sources.insert(g.sources.end(), f.sources.begin(), f.sources.end());
    if (assertion_strength(f.assertion) > assertion_strength(g.assertion)) g.assertion = f.assertion;
    g.temporality = later_temporality(g.temporality, f.temporality);
    if (!g.resolution && f.resolution) g.resolution = std::move(f.resolution);
    for (BodySite& s : f.sites)
      if (std::none_of(g.sites.begin(), g.sites.end(), [&](const BodySite& x) {
            return x.site.id == s.site.id && (x.laterality ? x.laterality->id : "") == (s.laterality ? s.laterality->id : "");
          }))
        g.sites.push_back(std::move(s));
    if (g.sizes.empty()) g.sizes = std::move(f.sizes);
    if (!g.onset && f.onset) g.onset = std::move(f.onset);
    if (!g.method && f.method) {
      g.method = std::move(f.method);
      g.observation_category = std::move(f.observation_category);
    }
  }

  CaseFacts& into_;
  std::unordered_map<std::string, std::size_t> index_;   // merge keys → facts of the whole; only looked up
};

}  // namespace

CaseFacts facts_in_windows(SourceDocument& doc, const CompiledMappings& m, Annotations& a) {
  CaseFacts whole;
  Merger merger(whole);
  std::vector<Section> sections;
  std::vector<std::vector<std::string>> keys;
  SourceDocument window;
  window.name = doc.name;
  window.media_type = doc.media_type;
  for (std::size_t begin = 0; begin < doc.text.size();) {
    const std::size_t end = window_end(doc.text, begin, kWindowBytes);
    window.text.assign(doc.text, begin, end - begin);
    window.sections.clear();
    const std::string continued = sections.empty() ? std::string() : sections.back().role;
    annotate(window, m, a, sections.empty() ? nullptr : &continued);
    CaseFacts part = facts_from_text(window, a, m, &keys);
    const auto by = static_cast<std::uint32_t>(begin);
    shift(part, by);
    merger.add(std::move(part), keys);
    for (Section& s : window.sections) {
      s.body.begin += by;
      s.body.end += by;
      if (!s.heading_span.empty()) {
        s.heading_span.begin += by;
        s.heading_span.end += by;
      }
      // The text before the window's first heading goes on with the section the last window ended in.
      if (!sections.empty() && s.heading.empty() && s.role == sections.back().role && s.body.begin == by) {
        sections.back().body.end = s.body.end;
        continue;
      }
      sections.push_back(std::move(s));
    }
    begin = end;
  }
  merger.finish();   // set_aside and unmapped are in source order already: windows come in order
  doc.sections = std::move(sections);
  return whole;
}

}  // namespace casefhir::nlp
