// mapping/merge.cpp — one vocabulary from several imported ones (merge.h).
//
// The rules, as a terminologist would apply them by hand (mappings/README.md, "Imported
// vocabularies", says the same for users):
//
// 1. One concept per shared code. Two entries of different sources are the same concept when they
//    share a code: one's anchor (its first coding, its own code in its source) is a code of the
//    other, or both cross-reference the same code. A code counts only when exactly one entry of
//    each of the two sources claims it (1:1). A classification is coarser than an ontology, so
//    many DOID terms cross-reference one ICD-10-CM category; such a code merges nothing for the
//    source that claims it several times ("shared-code", counted with a few examples). Groups are
//    made by union-find and never hold two entries of one source: a link that would join them is
//    refused ("same-source"), and so is one between different kinds of thing ("kind-link":
//    disorders and findings may merge, since one source's disease is another's phenotype, but
//    neither merges with a procedure, a body structure or a lab test).
//    A link resting on one cross-reference that both cite, when it is neither entry's own code and
//    they have no name in common, is refused as too weak ("weak-link"). So is a link resting only
//    on codes of systems that are no source's anchor system (UMLS, MeSH, NCIt, OMIM: cited by
//    DOID and HPO alike, and as coarse as a classification), unless the two sides have a preferred
//    name in common (nlp::fold_term of a display): through UMLS C0014544 and MeSH D004827, DOID's
//    epilepsy would take HPO's Seizure, a disease its phenotype.
//    Links are tried strongest first, and the evidence of a group's members adds up as groups
//    join, so that when an entry cross-references two candidates of one source (HPO's
//    Hypertension names SNOMED CT's disorder and its finding) the better-supported one wins: the
//    disorder, which DOID's hypertension also names. Strength: more codes shared 1:1 by the two
//    groups, then a name in common, then a link through an anchor, then agreement on kind (of the
//    groups' highest-precedence entries), then the higher-precedence pair of sources, then by code
//    and id. Every key is a value, never a position in a hash table or in the inputs.
//    Last and weakest, one preferred name (name_key) links imported disorders and findings of
//    different sources that no code links, when each source gives the name to one entry and
//    neither cites another entry's own code of the other's source (add_name_links).
// 2. The merged concept takes id and display from its highest-precedence member, and its kind from
//    the highest-precedence member whose source tells kinds apart (HPO's entries are all findings,
//    which says nothing of any one); members that disagree on kind are reported ("kind"). Terms are the union over members in precedence
//    order, scope by scope (exact, related, narrow, broad; abbreviations apart): a term is kept
//    once (compared case-insensitively with white space folded), in the strongest scope any
//    member gives it, with the text of the first member that wrote it. Text is never altered:
//    HPO's licence forbids changing its terms. Codes are the union, each (system, code) once,
//    with the display and version of the first member that gives them (a later one fills what
//    is missing), ordered by MergeOptions::code_order (SNOMED CT, ICD-10-CM, DOID, HPO, UMLS),
//    then the other systems by URI; within a system, members' own codes before cross-references.
//    A disorder's or finding's synonym that is the preferred name of another disorder or finding of
//    a source ranking at least as high is left to that concept ("name-of-another").
// 3. Cross-references are checked against the sources given. With an ICD-10-CM source (entries
//    whose anchor is ICD-10-CM), an ICD-10-CM cross-reference that is not one of its codes is
//    dropped before grouping ("unknown-code": DOID 2024 cites codes newer than the FY2021 release).
//    With a SNOMED CT source (the GPS), a SNOMED CT cross-reference whose GPS entry did not merge
//    into the concept and has another kind is dropped ("kind-code": a disorder citing a finding).
//    SNOMED CT codes outside the GPS are kept (the loader checked their Verhoeff digit). A code a
//    source lists among its excluded_codes (the GPS's events, observables, qualifier values) is
//    dropped wherever it is cross-referenced ("excluded-code").
// 4. Precedence: hand-written entries (no `source`) first, then MergeOptions::precedence, then
//    other sources in the order the inputs define them. A hand-written entry is written exactly
//    as read; imported entries that merge with it are not written ("hand-written"): its author
//    chose its terms and codes, and the term rules that filter imported synonyms do not apply to
//    hand-written entries, so nothing imported is added to it. One id given twice: the later
//    input wins, except that an imported entry never replaces a hand-written one ("id").
// 5. Output: `sources` (every input source, for attribution), then the entries one per line,
//    sorted by id; the same inputs give the same bytes, whatever their order (only the order of
//    sources missing from the precedence list follows the inputs).
#include "mapping/merge.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/compiled.h"
#include "nlp/tokens.h"

namespace casefhir::mapping {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// ---- small helpers --------------------------------------------------------------------------

// A term's identity is nlp::fold_term (case and runs of white space folded); the text written is
// always the source's own.
using nlp::fold_term;

// "system|code" with a separator no URI holds.
std::string code_key(const Coding& c) { return c.system + '\x1f' + c.code; }

std::string system_label(std::string_view system) {
  static const std::pair<std::string_view, std::string_view> labels[] = {
      {kSnomed, "SNOMED CT"}, {kIcd10cm, "ICD-10-CM"}, {kLoinc, "LOINC"},
      {"http://purl.obolibrary.org/obo/doid.owl", "DOID"}, {"http://human-phenotype-ontology.org", "HPO"},
      {"http://www.nlm.nih.gov/research/umls", "UMLS"}, {"https://www.nlm.nih.gov/mesh", "MeSH"},
      {"http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl", "NCIt"}, {"https://omim.org", "OMIM"},
      {"http://www.orpha.net", "Orphanet"}, {"http://hl7.org/fhir/sid/icd-9-cm", "ICD-9-CM"}};
  for (const auto& [uri, label] : labels)
    if (system == uri) return std::string(label);
  return std::string(system);
}

std::string describe_code(const Coding& c) { return system_label(c.system) + " " + c.code; }
std::string describe_key(const std::string& key) {
  const auto sep = key.find('\x1f');
  return system_label(std::string_view(key).substr(0, sep)) + " " + key.substr(sep + 1);
}

// Disorders and findings may merge (one source's disease is another's phenotype); nothing else
// crosses kinds.
// Disorders and findings may be one concept (one source's disease is another's phenotype); a
// morphology, a procedure, a body structure or a lab test is a different kind of thing.
int kind_family(ConceptKind k) { return k == ConceptKind::finding ? static_cast<int>(ConceptKind::disorder) : static_cast<int>(k); }

std::string source_name(const Concept& c) { return c.source.empty() ? "hand-written" : c.source; }

// Counts every conflict; keeps the message of the first `limit` of each kind (built only then).
class ConflictLog {
 public:
  ConflictLog(MergeResult& result, std::size_t limit) : result_(result), limit_(limit) {}
  void note(const std::string& what, const std::function<std::string()>& message, std::size_t count = 1) {
    result_.counts.conflicts[what] += count;
    if (std::size_t& shown = shown_[what]; shown < limit_) {
      result_.conflicts.push_back({what, message()});
      ++shown;
    }
  }

 private:
  MergeResult& result_;
  std::size_t limit_;
  std::unordered_map<std::string, std::size_t> shown_;
};

// ---- reading --------------------------------------------------------------------------------

struct Inputs {
  std::vector<Concept> concepts;
  std::vector<SourceInfo> sources;   // in the order the inputs define them
  std::unordered_map<std::string, std::string> excluded_codes;   // "system|code" → why
};

bool same_description(const SourceInfo& a, const SourceInfo& b) {
  return a.name == b.name && a.version == b.version && a.licence == b.licence && a.url == b.url && a.attribution == b.attribution;
}

// Every input through the loader. Each file is read into a set of its own that knows the sources
// of the files before it, so a concept's `source` must be described in its file or an earlier one.
Inputs read_inputs(const std::vector<fs::path>& paths, MergeResult& result, ConflictLog& log) {
  Inputs in;
  std::unordered_map<std::string, std::size_t> source_index, concept_index;
  for (const fs::path& path : paths) {
    ++result.counts.inputs;
    for (const MappingSource& file : read_mapping_sources(path)) {
      ++result.counts.files;
      MappingSet set;
      set.sources = in.sources;
      set.source_index = source_index;
      merge_source(set, file);
      in.excluded_codes.insert(set.excluded_codes.begin(), set.excluded_codes.end());
      for (SourceInfo& info : set.sources) {
        const auto [it, fresh] = source_index.emplace(info.id, in.sources.size());
        if (fresh) {
          in.sources.push_back(std::move(info));
          continue;
        }
        SourceInfo& known = in.sources[it->second];
        if (!same_description(known, info))
          log.note("source", [&] {
            return "source \"" + info.id + "\" of " + info.origin + " differs from " + known.origin + ": the later is kept";
          });
        known = std::move(info);
      }
      for (Concept& c : set.concepts) {
        const auto [it, fresh] = concept_index.emplace(c.id, in.concepts.size());
        if (fresh) {
          in.concepts.push_back(std::move(c));
          continue;
        }
        Concept& known = in.concepts[it->second];
        if (known.source.empty() && !c.source.empty()) {
          log.note("id", [&] {
            return c.id + " of " + c.origin + " (" + c.source + ") is not used: the hand-written entry of " + known.origin +
                   " has that id";
          });
          continue;
        }
        if (!known.source.empty() && known.source != c.source)
          log.note("id", [&] {
            return c.id + " of " + c.origin + " (" + source_name(c) + ") replaces the entry of " + known.origin + " (" +
                   known.source + ")";
          });
        known = std::move(c);
      }
    }
  }
  return in;
}

// ---- precedence -----------------------------------------------------------------------------

// Rank 0 is hand-written; each source has a rank of its own, lower first.
class Precedence {
 public:
  Precedence(const std::vector<std::string>& order, const std::vector<SourceInfo>& sources) {
    std::uint32_t next = 1;
    for (const std::string& id : order)
      if (!id.empty() && rank_.emplace(id, next).second) ++next;
    for (const SourceInfo& s : sources)
      if (rank_.emplace(s.id, next).second) ++next;
  }
  std::uint32_t of(const std::string& source) const {
    if (source.empty()) return 0;
    const auto it = rank_.find(source);
    return it == rank_.end() ? static_cast<std::uint32_t>(rank_.size() + 1) : it->second;
  }

 private:
  std::unordered_map<std::string, std::uint32_t> rank_;
};

// ---- grouping -------------------------------------------------------------------------------

struct Claim {
  std::uint32_t concept_index;
  std::uint32_t rank;
  bool anchor;
};

// The evidence that two groups are one concept: the codes their entries share 1:1. Between two
// entries at first; when groups join, the evidence of their members adds up, so a group that
// several sources agree on outweighs one member's stray cross-reference.
// A preferred name as sources spell the same name differently: folded (case, white space), a
// possessive dropped and a hyphen read as a space ("Horner's syndrome" and "Horner syndrome",
// "pure red-cell aplasia" and "Pure red cell aplasia").
std::string name_key(const std::string& display) {
  const std::string folded = fold_term(display);
  std::string out;
  out.reserve(folded.size());
  auto word_ends = [&](std::size_t i) { return i >= folded.size() || folded[i] == ' ' || folded[i] == ','; };
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded[i] == '\'' && i + 1 < folded.size() && folded[i + 1] == 's' && word_ends(i + 2)) {
      ++i;   // "'s"
      continue;
    }
    if (folded.compare(i, 4, "\xE2\x80\x99s") == 0 && word_ends(i + 4)) {
      i += 3;   // "’s"
      continue;
    }
    const char c = folded[i] == '-' ? ' ' : folded[i];
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct Link {
  std::uint32_t weight = 0;            // codes shared 1:1
  bool shares_name = false;            // the groups have a term (or display) in common
  bool anchor = false;                 // a shared code is one entry's anchor
  bool anchor_system = false;          // a shared code is of a system some source anchors its entries in
  bool same_name = false;              // an entry of each group has the same preferred name (display)
  bool same_kind = false;              // the groups' highest-precedence entries are of one kind
  std::uint32_t rank_low = 0, rank_high = 0;   // the best pair of sources
  std::size_t code_rank = 0;           // the best shared code: its system's place in the code order,
  const std::string* code = nullptr;   // and its key
  std::uint32_t a = 0, b = 0;          // the first pair of entries (a < b, canonical positions)
  std::uint64_t stamp = 0;             // which version of a pair of groups' link this is

  void add(const Link& o) {
    weight += o.weight;
    anchor = anchor || o.anchor;
    anchor_system = anchor_system || o.anchor_system;
    if (std::pair(o.rank_low, o.rank_high) < std::pair(rank_low, rank_high)) {
      rank_low = o.rank_low;
      rank_high = o.rank_high;
    }
    if (std::pair(o.code_rank, *o.code) < std::pair(code_rank, *code)) {
      code_rank = o.code_rank;
      code = o.code;
    }
    if (std::pair(o.a, o.b) < std::pair(a, b)) {
      a = o.a;
      b = o.b;
    }
  }
};

// Strongest first: more shared codes, a shared name, an anchor, the same kind, higher-precedence
// sources, a code earlier in the code order, then the entries' canonical positions. A total order
// on values, so the result never depends on hash or input order.
bool stronger(const Link& x, const Link& y) {
  if (x.weight != y.weight) return x.weight > y.weight;
  if (x.shares_name != y.shares_name) return x.shares_name;
  if (x.anchor != y.anchor) return x.anchor;
  if (x.same_kind != y.same_kind) return x.same_kind;
  if (x.rank_low != y.rank_low) return x.rank_low < y.rank_low;
  if (x.rank_high != y.rank_high) return x.rank_high < y.rank_high;
  if (x.code_rank != y.code_rank) return x.code_rank < y.code_rank;
  if (*x.code != *y.code) return *x.code < *y.code;
  return x.a != y.a ? x.a < y.a : x.b < y.b;
}

// Union-find over entries; each root knows its members.
class Groups {
 public:
  explicit Groups(std::size_t n) : parent_(n), members_(n) {
    std::iota(parent_.begin(), parent_.end(), 0u);
    for (std::uint32_t i = 0; i < n; ++i) members_[i] = {i};
  }
  std::uint32_t find(std::uint32_t x) {
    std::uint32_t root = x;
    while (parent_[root] != root) root = parent_[root];
    while (parent_[x] != root) x = std::exchange(parent_[x], root);
    return root;
  }
  const std::vector<std::uint32_t>& members(std::uint32_t root) const { return members_[root]; }
  // Joins two roots; returns the root of the whole.
  std::uint32_t join(std::uint32_t ra, std::uint32_t rb) {
    if (members_[ra].size() < members_[rb].size()) std::swap(ra, rb);
    parent_[rb] = ra;
    members_[ra].insert(members_[ra].end(), members_[rb].begin(), members_[rb].end());
    members_[rb].clear();
    members_[rb].shrink_to_fit();
    return ra;
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::vector<std::uint32_t>> members_;
};

// ---- the merged entry -----------------------------------------------------------------------

// The union of the members' terms, each once, in its strongest scope.
class TermUnion {
 public:
  void add(const std::vector<std::string>& terms, int scope) {
    for (const std::string& t : terms) {
      const auto [it, fresh] = index_.emplace(fold_term(t), slots_.size());
      if (fresh) slots_.push_back({&t, scope});
      else slots_[it->second].scope = std::min(slots_[it->second].scope, scope);
    }
  }
  std::vector<std::string> scope(int s) const {
    std::vector<std::string> out;
    for (const Slot& slot : slots_)
      if (slot.scope == s) out.push_back(*slot.text);
    return out;
  }

 private:
  struct Slot {
    const std::string* text;
    int scope;
  };
  std::vector<Slot> slots_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Each string once, compared by fold (or by exact case for abbreviations), in order.
std::vector<std::string> unique_terms(const std::vector<const std::vector<std::string>*>& lists, bool keep_case) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const auto* list : lists)
    for (const std::string& t : *list)
      if (seen.insert(fold_term(t, keep_case)).second) out.push_back(t);
  return out;
}

class Merger {
 public:
  Merger(const MergeOptions& options, MergeResult& result, ConflictLog& log) : options_(options), result_(result), log_(log) {}

  void run(Inputs in) {
    const Precedence precedence(options_.precedence, in.sources);
    concepts_ = std::move(in.concepts);
    // A canonical order, so nothing below depends on the order of the inputs.
    std::sort(concepts_.begin(), concepts_.end(), [&](const Concept& x, const Concept& y) {
      const auto rx = precedence.of(x.source), ry = precedence.of(y.source);
      return rx != ry ? rx < ry : x.id < y.id;
    });
    rank_.reserve(concepts_.size());
    for (const Concept& c : concepts_) {
      rank_.push_back(precedence.of(c.source));
      if (c.source.empty()) ++result_.counts.hand_written;
      else ++result_.counts.read_by_source[c.source];
    }
    result_.counts.concepts_read = concepts_.size();
    // The sources whose entries are all of one kind (HPO: every phenotype a finding).
    std::unordered_map<std::uint32_t, ConceptKind> kind_of_source;
    std::unordered_set<std::uint32_t> several_kinds;
    for (std::uint32_t i = 0; i < concepts_.size(); ++i) {
      if (!imported(i)) continue;
      const auto [it, first] = kind_of_source.emplace(rank_[i], concepts_[i].kind);
      if (!first && it->second != concepts_[i].kind) several_kinds.insert(rank_[i]);
    }
    for (const auto& [rank, kind] : kind_of_source)
      if (!several_kinds.contains(rank)) one_kind_.insert(rank);
    result_.sources = std::move(in.sources);
    std::stable_sort(result_.sources.begin(), result_.sources.end(),
                     [&](const SourceInfo& x, const SourceInfo& y) { return precedence.of(x.id) < precedence.of(y.id); });

    drop_unknown_icd10cm();
    drop_excluded(in.excluded_codes);
    index_snomed_source();
    Groups groups(concepts_.size());
    link(groups);
    build(groups);
  }

 private:
  bool imported(std::uint32_t i) const { return !concepts_[i].source.empty(); }

  std::size_t code_rank(const std::string& system) const {
    const auto& order = options_.code_order;
    return static_cast<std::size_t>(std::find(order.begin(), order.end(), system) - order.begin());
  }

  // Rule 3, codes a source lists but did not import as concepts (a SNOMED CT event, observable or
  // qualifier value that an HPO term cross-references): not a code of a disorder or finding.
  void drop_excluded(const std::unordered_map<std::string, std::string>& excluded) {
    if (excluded.empty()) return;
    for (Concept& c : concepts_) {
      if (c.source.empty()) continue;
      for (std::size_t i = 1; i < c.codes.size();) {
        const auto it = excluded.find(c.codes[i].system + "|" + c.codes[i].code);
        if (it == excluded.end()) {
          ++i;
          continue;
        }
        ++result_.counts.dropped_codes["excluded-code"];
        log_.note("excluded-code", [&] { return c.id + ": " + describe_code(c.codes[i]) + " is excluded by its source (" + it->second + "): dropped"; });
        c.codes.erase(c.codes.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }

  // Rule 3, ICD-10-CM: only codes of the ICD-10-CM source given.
  void drop_unknown_icd10cm() {
    std::unordered_set<std::string> known;
    std::string release;
    for (const Concept& c : concepts_) {
      if (c.source.empty() || c.codes.front().system != kIcd10cm) continue;
      if (known.empty()) release = c.source;
      known.insert(c.codes.front().code);
    }
    if (known.empty()) return;
    for (const SourceInfo& s : result_.sources)
      if (s.id == release && !s.version.empty()) release += " " + s.version;
    for (Concept& c : concepts_) {
      if (c.source.empty()) continue;
      auto& codes = c.codes;
      for (std::size_t i = 1; i < codes.size();) {
        if (codes[i].system != kIcd10cm || known.contains(codes[i].code)) {
          ++i;
          continue;
        }
        ++result_.counts.dropped_codes["unknown-code"];
        log_.note("unknown-code", [&] { return c.id + ": " + describe_code(codes[i]) + " is not a code of " + release + ": dropped"; });
        codes.erase(codes.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }

  // Rule 3, SNOMED CT: the kind of each code the SNOMED CT source gives (highest precedence first).
  void index_snomed_source() {
    for (std::uint32_t i = 0; i < concepts_.size(); ++i)
      if (imported(i) && concepts_[i].codes.front().system == kSnomed) snomed_source_.emplace(concepts_[i].codes.front().code, i);
  }

  // Whether any entry of one group has a name (exact term or display) of any entry of the other,
  // compared as name_key writes them.
  bool shares_name(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) const {
    std::unordered_set<std::string> names;
    for (const std::uint32_t m : x) {
      for (const std::string& t : concepts_[m].terms) names.insert(name_key(t));
      names.insert(name_key(concepts_[m].display));
    }
    names.erase(std::string());
    return std::any_of(y.begin(), y.end(), [&](std::uint32_t m) {
      const Concept& c = concepts_[m];
      return names.contains(name_key(c.display)) ||
             std::any_of(c.terms.begin(), c.terms.end(), [&](const std::string& t) { return names.contains(name_key(t)); });
    });
  }

  // The preferred name (name_key of the display, else the first term) of an entry, and of the
  // highest-precedence entry of a group.
  std::string name_of(std::uint32_t i) const {
    const Concept& c = concepts_[i];
    return name_key(!c.display.empty() ? c.display : c.terms.empty() ? std::string() : c.terms.front());
  }
  static std::uint32_t top_of(const Groups& groups, std::uint32_t root) {
    const auto& members = groups.members(root);
    return *std::min_element(members.begin(), members.end());
  }
  std::string name_of_top(const Groups& groups, std::uint32_t root) const { return name_of(top_of(groups, root)); }

  // Whether an entry of one group has the preferred name (display) of an entry of the other,
  // compared as name_key writes them.
  bool same_name(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y) const {
    std::unordered_set<std::string> names;
    for (const std::uint32_t m : x) names.insert(name_of(m));
    names.erase(std::string());
    return std::any_of(y.begin(), y.end(), [&](std::uint32_t m) { return names.contains(name_of(m)); });
  }

  // The name and kind evidence of a link between two groups: a candidate that agrees with the kind
  // the group will have (its highest-precedence entry's) beats one that agrees with another member.
  void judge(Link& l, Groups& groups, std::uint32_t ra, std::uint32_t rb) const {
    const auto& x = groups.members(ra);
    const auto& y = groups.members(rb);
    l.shares_name = shares_name(x, y);
    l.same_name = !l.anchor_system && same_name(x, y);   // only needed without an anchor system
    l.same_kind = concepts_[*std::min_element(x.begin(), x.end())].kind == concepts_[*std::min_element(y.begin(), y.end())].kind;
  }

  // Rule 1, names: imported disorders and findings of different sources with one preferred name
  // and no code in common are one concept ("erythema multiforme" of the GPS, DOID and ICD-10-CM),
  // when each source gives that name to one entry only and neither cites another entry's own code
  // of the other's source (DOID's achondroplasia cites a SNOMED CT code outside the GPS: no
  // conflict with the GPS's Achondroplasia). The weakest evidence there is: tried after every code.
  void add_name_links(const std::unordered_map<std::string, std::vector<Claim>>& claims,
                      std::unordered_map<std::uint64_t, Link>& pairs) {
    // An ICD-10-CM title reads in its chapter: "Galactorrhea" under the puerperium (O92.6),
    // "Hypothermia" under injuries (T68) are not the sign a phenotype or the GPS calls so. Such a
    // title joins a disorder of that name (the GPS's Severe pre-eclampsia and O14.1), not a finding.
    auto titled_in_context = [&](std::uint32_t i) {
      const Coding& own = concepts_[i].codes.front();
      return own.system == kIcd10cm && !own.code.empty() && std::string_view("OPST").find(own.code.front()) != std::string_view::npos;
    };
    auto out_of_context = [&](std::uint32_t i, std::uint32_t j) {
      return titled_in_context(i) && concepts_[j].kind == ConceptKind::finding;
    };
    for (std::uint32_t i = 0; i < concepts_.size(); ++i) {
      if (!imported(i) || kind_family(concepts_[i].kind) != static_cast<int>(ConceptKind::disorder)) continue;
      std::string name = name_of(i);
      if (!name.empty()) named_[std::string("name\x1f") + name].push_back(i);
    }
    // Whether `i` cites, in `j`'s own system, a code that is the own code of another entry of j's source.
    auto cites_another = [&](std::uint32_t i, std::uint32_t j) {
      const Coding& own = concepts_[j].codes.front();
      for (const Coding& c : concepts_[i].codes) {
        if (c.system != own.system || c.code == own.code) continue;
        const auto it = claims.find(code_key(c));
        if (it == claims.end()) continue;
        for (const Claim& claim : it->second)
          if (claim.anchor && rank_[claim.concept_index] == rank_[j] && claim.concept_index != j) return true;
      }
      return false;
    };
    const std::size_t weakest = options_.code_order.size() + 1;
    for (const auto& [key, members] : named_) {   // members in canonical order: rank, then id
      if (members.size() < 2) continue;
      // Whether members[k] is the only entry of its source with this name.
      const auto alone = [&](std::size_t k) {
        return (k == 0 || rank_[members[k - 1]] != rank_[members[k]]) &&
               (k + 1 == members.size() || rank_[members[k + 1]] != rank_[members[k]]);
      };
      for (std::size_t x = 0; x < members.size(); ++x) {
        if (!alone(x)) continue;
        const std::uint32_t p = members[x];
        for (std::size_t y = x + 1; y < members.size(); ++y) {
          const std::uint32_t q = members[y];
          if (!alone(y) || cites_another(p, q) || cites_another(q, p) || out_of_context(p, q) || out_of_context(q, p)) continue;
          const std::uint64_t pair = (static_cast<std::uint64_t>(p) << 32) | q;
          if (pairs.contains(pair)) continue;   // codes link them already
          Link& l = pairs[pair];
          l.a = p;
          l.b = q;
          l.rank_low = rank_[p];
          l.rank_high = rank_[q];
          l.code = &key;
          l.code_rank = weakest;
        }
      }
    }
  }

  // Rule 1: links between entries that share codes 1:1, then groups joined strongest link first,
  // unless the group would hold one source twice or mix kinds of thing.
  void link(Groups& groups) {
    std::unordered_map<std::string, std::vector<Claim>> claims;
    for (std::uint32_t i = 0; i < concepts_.size(); ++i) {
      const auto& codes = concepts_[i].codes;
      for (std::size_t k = 0; k < codes.size(); ++k) {
        std::vector<Claim>& list = claims[code_key(codes[k])];
        if (list.empty() || list.back().concept_index != i) list.push_back({i, rank_[i], k == 0});   // a code listed twice counts once
      }
    }
    // The systems sources anchor their entries in (SNOMED CT, DOID, HPO, ICD-10-CM): a code of
    // another system is a cross-reference for every source.
    std::unordered_set<std::string> anchor_systems;
    for (std::uint32_t i = 0; i < concepts_.size(); ++i)
      if (imported(i)) anchor_systems.insert(concepts_[i].codes.front().system);
    std::vector<const std::pair<const std::string, std::vector<Claim>>*> keys;
    keys.reserve(claims.size());
    for (const auto& entry : claims)
      if (entry.second.size() > 1) keys.push_back(&entry);
    std::sort(keys.begin(), keys.end(), [](const auto* x, const auto* y) { return x->first < y->first; });

    // Entry-level links, keyed by the pair.
    std::unordered_map<std::uint64_t, Link> pairs;
    std::vector<Claim> singles;
    for (const auto* entry : keys) {
      const std::vector<Claim>& list = entry->second;   // in canonical order: rank, then id
      singles.clear();
      std::size_t sources = 0;
      for (std::size_t i = 0, j = 0; i < list.size(); i = j) {
        while (j < list.size() && list[j].rank == list[i].rank) ++j;
        ++sources;
        if (j - i == 1) singles.push_back(list[i]);
      }
      if (sources < 2) continue;
      for (std::size_t i = 0, j = 0; i < list.size(); i = j) {
        while (j < list.size() && list[j].rank == list[i].rank) ++j;
        if (j - i == 1) continue;
        log_.note("shared-code", [&] {
          std::string ids;
          for (std::size_t k = i; k < j && k < i + 5; ++k) ids += (ids.empty() ? "" : ", ") + concepts_[list[k].concept_index].id;
          if (j - i > 5) ids += ", ...";
          return describe_key(entry->first) + " is claimed by " + std::to_string(j - i) + " entries of " +
                 source_name(concepts_[list[i].concept_index]) + " (" + ids + "): they merge nothing through it";
        });
      }
      const std::string system = entry->first.substr(0, entry->first.find('\x1f'));
      const std::size_t rank_of_code = code_rank(system);
      const bool of_anchor_system = anchor_systems.contains(system);
      for (std::size_t x = 0; x < singles.size(); ++x) {
        for (std::size_t y = x + 1; y < singles.size(); ++y) {
          const Claim& p = singles[x];   // p.rank < q.rank, so p.concept_index < q.concept_index
          const Claim& q = singles[y];
          Link& l = pairs[(static_cast<std::uint64_t>(p.concept_index) << 32) | q.concept_index];
          if (l.weight == 0) {
            l.a = p.concept_index;
            l.b = q.concept_index;
            l.rank_low = p.rank;
            l.rank_high = q.rank;
            l.code = &entry->first;   // keys arrive sorted: the first is the least by URI and code
            l.code_rank = rank_of_code;
          }
          ++l.weight;
          l.anchor = l.anchor || p.anchor || q.anchor;
          l.anchor_system = l.anchor_system || of_anchor_system || p.anchor || q.anchor;
          if (rank_of_code < l.code_rank) {
            l.code = &entry->first;
            l.code_rank = rank_of_code;
          }
        }
      }
    }

    add_name_links(claims, pairs);

    // Links between groups (at first, single entries), tried strongest first from a heap. A
    // popped link is current only while both ends are roots and its stamp is still the pair's.
    std::vector<std::unordered_map<std::uint32_t, Link>> between(concepts_.size());
    struct Pending {
      Link link;
      std::uint32_t ra, rb;
    };
    auto weaker = [](const Pending& x, const Pending& y) { return stronger(y.link, x.link); };
    std::vector<Pending> heap;
    std::uint64_t stamp = 0;
    std::unordered_set<std::uint64_t> named_apart;   // entry pairs reported as refused for their names
    auto push = [&](const Link& l, std::uint32_t ra, std::uint32_t rb) {
      heap.push_back({l, ra, rb});
      std::push_heap(heap.begin(), heap.end(), weaker);
    };
    for (auto& [_, l] : pairs) {
      judge(l, groups, l.a, l.b);
      l.stamp = ++stamp;
      between[l.a][l.b] = l;
      between[l.b][l.a] = l;
      push(l, l.a, l.b);
    }
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), weaker);
      const Pending p = heap.back();
      heap.pop_back();
      if (groups.find(p.ra) != p.ra || groups.find(p.rb) != p.rb) continue;
      const auto current = between[p.ra].find(p.rb);
      if (current == between[p.ra].end() || current->second.stamp != p.link.stamp) continue;
      const Link& l = p.link;
      const Concept& x = concepts_[l.a];
      const Concept& y = concepts_[l.b];
      std::string refusal;
      if (l.weight == 0 && name_of_top(groups, p.ra) != name_of_top(groups, p.rb)) {
        // A name links only what goes by that name: when codes have already put one of the two
        // entries in a group named otherwise (ICD-10-CM's Precocious puberty with DOID's aromatase
        // excess syndrome, which cites E30.1), the name says nothing about that group.
        log_.note("named-otherwise", [&] {
          const Concept& top_x = concepts_[top_of(groups, groups.find(l.a))];
          const Concept& top_y = concepts_[top_of(groups, groups.find(l.b))];
          return x.id + " and " + y.id + " share the name \"" + x.display + "\", but they are in concepts named \"" + top_x.display +
                 "\" (" + top_x.id + ") and \"" + top_y.display + "\" (" + top_y.id + "): not merged";
        });
        refusal = "named-otherwise";
      } else if (l.weight == 1 && !l.anchor && !l.shares_name) {
        // One cross-reference both cite, neither's own code and no name in common: too weak to say
        // they are one concept (HPO's Seizure and DOID's epilepsy cite one UMLS code).
        log_.note("weak-link", [&] {
          return x.id + " and " + y.id + " share only " + describe_key(*l.code) + ", neither's own code, and no name: not merged";
        });
        refusal = "weak";
      } else if (!l.anchor_system && !l.same_name) {
        // Only cross-references of systems no source is anchored in, and different names: UMLS
        // and MeSH codes join a disease with its phenotype (DOID's epilepsy, HPO's Seizure).
        if (named_apart.insert((static_cast<std::uint64_t>(l.a) << 32) | l.b).second)
          log_.note("weak-link", [&] {
            return x.id + " (" + x.display + ") and " + y.id + " (" + y.display + ") share only cross-references such as " +
                   describe_key(*l.code) + ", of no source's own system, and not their name: not merged";
          });
        refusal = "name";
      } else if (kind_family(concepts_[p.ra].kind) != kind_family(concepts_[p.rb].kind)) {
        log_.note("kind-link", [&] {
          return x.id + " (" + std::string(to_string(x.kind)) + ") and " + y.id + " (" + std::string(to_string(y.kind)) +
                 ") share " + describe_key(*l.code) + ": different kinds of thing, not merged";
        });
        refusal = "kind";
      } else {
        std::string twice;
        for (const std::uint32_t m : groups.members(p.ra))
          for (const std::uint32_t n : groups.members(p.rb))
            if (rank_[m] == rank_[n])
              twice += (twice.empty() ? "" : "; ") + concepts_[m].id + " and " + concepts_[n].id + " of " + source_name(concepts_[m]);
        if (!twice.empty()) {
          log_.note("same-source", [&] {
            return x.id + " and " + y.id + " share " + describe_key(*l.code) + ", but the merged concept would hold " + twice +
                   ": not merged";
          });
          refusal = "same-source";
        }
      }
      if (refusal == "name") continue;   // kept: judged again when either group grows and may name it
      if (!refusal.empty()) {
        between[p.ra].erase(p.rb);
        between[p.rb].erase(p.ra);
        continue;
      }
      const std::uint32_t root = groups.join(p.ra, p.rb);
      const std::uint32_t gone = root == p.ra ? p.rb : p.ra;
      between[root].erase(gone);
      auto moved = std::move(between[gone]);
      between[gone].clear();
      for (auto& [other, evidence] : moved) {
        if (other == root) continue;
        between[other].erase(gone);
        Link& merged_link = between[root][other];
        if (merged_link.weight == 0) merged_link = evidence;
        else merged_link.add(evidence);
      }
      // Every link of the grown group is judged again: its names and kinds are now those of more
      // entries (DOID's pulmonary hypertension, linked by UMLS and MeSH codes to HPO's Pulmonary
      // arterial hypertension, names the group HPO joined with SNOMED CT's Pulmonary hypertension).
      for (auto& [other, grown] : between[root]) {
        judge(grown, groups, root, other);
        grown.stamp = ++stamp;
        between[other][root] = grown;
        push(grown, root, other);
      }
    }
  }

  // Rule 2 (and the SNOMED CT part of rule 3): one entry per group.
  void build(Groups& groups) {
    std::vector<std::uint32_t> written_rank;   // per written concept: its top member's precedence
    for (std::uint32_t i = 0; i < concepts_.size(); ++i) {
      if (groups.find(i) != i) continue;
      std::vector<std::uint32_t> members = groups.members(i);
      std::sort(members.begin(), members.end());   // canonical order: precedence, then id
      const Concept& top = concepts_[members.front()];
      report_kinds(members);
      if (top.source.empty()) {
        if (members.size() > 1) {
          result_.counts.absorbed += members.size() - 1;
          log_.note("hand-written", [&] {
            std::string ids;
            for (std::size_t k = 1; k < members.size(); ++k) ids += (ids.empty() ? "" : ", ") + concepts_[members[k]].id;
            return top.id + " (hand-written, " + top.origin + ") stands for " + ids + ": written as it is";
          });
        }
        result_.concepts.push_back(top);
        written_rank.push_back(rank_[members.front()]);
        continue;
      }
      if (members.size() > 1) {
        ++result_.counts.merged_groups;
        result_.counts.merged_members += members.size();
      }
      result_.concepts.push_back(merged(members, groups));
      written_rank.push_back(rank_[members.front()]);
    }
    give_names_to_their_concepts(written_rank);
    std::sort(result_.concepts.begin(), result_.concepts.end(), [](const Concept& x, const Concept& y) { return x.id < y.id; });
    result_.counts.concepts_written = result_.concepts.size();
    for (const Concept& c : result_.concepts) {
      result_.counts.terms["exact"] += c.terms.size();
      result_.counts.terms["related"] += c.related.size();
      result_.counts.terms["narrow"] += c.narrow.size();
      result_.counts.terms["broad"] += c.broad.size();
      result_.counts.terms["abbreviations"] += c.abbreviations.size();
    }
  }

  // Rule 2, names: a synonym of a disorder or finding that is the preferred name of another
  // disorder or finding, of a source ranking at least as high, names that concept and is not kept as a synonym ("name-of-another").
  // SNOMED CT lists "Long QT syndrome" as the disorder's name and as a synonym of the finding
  // Prolonged QT interval; a disease's name that only a lower source (HPO) uses as its own stays a
  // synonym of the higher one (DOID's necrotizing enterocolitis keeps its name beside HPO's).
  // Hand-written entries are written as read.
  void give_names_to_their_concepts(const std::vector<std::uint32_t>& written_rank) {
    auto name_of = [](const Concept& c) { return fold_term(!c.display.empty() ? c.display : c.terms.empty() ? std::string() : c.terms.front()); };
    // Only between what a report asserts of a patient: a morphology's name ("Juvenile fibroadenoma")
    // stays the disease's synonym too.
    auto clinical = [](const Concept& c) { return c.kind == ConceptKind::disorder || c.kind == ConceptKind::finding; };
    std::unordered_map<std::string, std::uint32_t> best_owner;   // folded name → the highest rank naming it
    for (std::size_t i = 0; i < result_.concepts.size(); ++i) {
      if (!clinical(result_.concepts[i])) continue;
      const std::string key = name_of(result_.concepts[i]);
      if (key.empty()) continue;
      const auto [it, fresh] = best_owner.emplace(key, written_rank[i]);
      if (!fresh) it->second = std::min(it->second, written_rank[i]);
    }
    for (std::size_t i = 0; i < result_.concepts.size(); ++i) {
      Concept& c = result_.concepts[i];
      if (c.source.empty() || !clinical(c)) continue;
      const std::string own = name_of(c);
      auto named_elsewhere = [&](const std::string& t) {
        const std::string key = fold_term(t);
        if (key == own) return false;
        const auto it = best_owner.find(key);
        return it != best_owner.end() && it->second <= written_rank[i];
      };
      for (std::vector<std::string>* list : {&c.terms, &c.related, &c.narrow, &c.broad}) {
        const auto from = std::stable_partition(list->begin(), list->end(), [&](const std::string& t) { return !named_elsewhere(t); });
        const std::size_t n = static_cast<std::size_t>(list->end() - from);
        if (n == 0) continue;
        log_.note("name-of-another", [&] { return c.id + ": \"" + *from + "\" names another concept, not kept as a synonym"; }, n);
        list->erase(from, list->end());
      }
    }
  }

  // Rule 2, kind: the highest-precedence member whose source tells kinds apart says what the
  // concept is. A source whose entries are all of one kind says nothing about any one of them: HPO
  // calls every phenotype a finding, so its Cor triatriatum is the disorder ICD-10-CM's chapter
  // makes it. Without such a member, the highest-precedence one.
  const Concept& kind_member(const std::vector<std::uint32_t>& members) const {
    for (const std::uint32_t m : members)
      if (!one_kind_.contains(rank_[m])) return concepts_[m];
    return concepts_[members.front()];
  }

  void report_kinds(const std::vector<std::uint32_t>& members) {
    const Concept& top = concepts_[members.front()];
    if (std::all_of(members.begin(), members.end(), [&](std::uint32_t m) { return concepts_[m].kind == top.kind; })) return;
    log_.note("kind", [&] {
      const Concept& decides = kind_member(members);
      std::string list;
      for (const std::uint32_t m : members)
        list += (list.empty() ? "" : ", ") + concepts_[m].id + " " + std::string(to_string(concepts_[m].kind));
      return top.id + ": members disagree on kind (" + list + "); it is a " + std::string(to_string(decides.kind)) + " as " +
             source_name(decides) + " says";
    });
  }

  Concept merged(const std::vector<std::uint32_t>& members, Groups& groups) {
    const Concept& top = concepts_[members.front()];
    Concept out;
    out.id = top.id;
    out.kind = kind_member(members).kind;
    out.display = top.display;
    out.source = top.source;
    out.origin = top.origin;
    out.specimen = top.specimen;
    for (const std::uint32_t m : members) {   // a lab test's unit and range, from the first member that has them
      const Concept& c = concepts_[m];
      if (out.kind == ConceptKind::lab && c.kind == ConceptKind::lab && out.unit.empty() && !c.unit.empty()) {
        out.unit = c.unit;
        out.reference_range = c.reference_range;
        out.observation_category = c.observation_category;
        out.components = c.components;
      }
    }

    TermUnion terms;
    for (const std::uint32_t m : members) {
      const Concept& c = concepts_[m];
      terms.add(c.terms, 0);
      terms.add(c.related, 1);
      terms.add(c.narrow, 2);
      terms.add(c.broad, 3);
    }
    out.terms = terms.scope(0);
    out.related = terms.scope(1);
    out.narrow = terms.scope(2);
    out.broad = terms.scope(3);
    std::vector<const std::vector<std::string>*> abbreviations, not_in;
    for (const std::uint32_t m : members) {
      abbreviations.push_back(&concepts_[m].abbreviations);
      not_in.push_back(&concepts_[m].not_in);
    }
    out.abbreviations = unique_terms(abbreviations, true);
    out.not_in = unique_terms(not_in, false);
    if (out.kind == ConceptKind::lab && !out.unit.empty() && !(out.related.empty() && out.narrow.empty() && out.broad.empty())) {
      const std::size_t n = out.related.size() + out.narrow.size() + out.broad.size();
      log_.note("analyte-terms", [&] { return out.id + ": " + std::to_string(n) + " related, narrow or broad synonyms not written"; }, n);
      out.related.clear();
      out.narrow.clear();
      out.broad.clear();
    }

    constexpr std::size_t kDropped = static_cast<std::size_t>(-1);
    std::unordered_map<std::string, std::size_t> seen;   // code → position in out.codes
    std::unordered_set<std::string> anchors;
    for (const std::uint32_t m : members) anchors.insert(code_key(concepts_[m].codes.front()));
    const std::uint32_t root = groups.find(members.front());
    for (const std::uint32_t m : members) {
      for (const Coding& c : concepts_[m].codes) {
        const std::string key = code_key(c);
        const auto [it, fresh] = seen.emplace(key, out.codes.size());
        if (!fresh) {
          if (it->second == kDropped) continue;
          Coding& known = out.codes[it->second];
          if (known.display.empty()) known.display = c.display;
          if (known.version.empty()) known.version = c.version;
          continue;
        }
        if (c.system == kSnomed && !anchors.contains(key)) {
          const auto gps = snomed_source_.find(c.code);
          if (gps != snomed_source_.end() && groups.find(gps->second) != root && concepts_[gps->second].kind != out.kind) {
            ++result_.counts.dropped_codes["kind-code"];
            const Concept& other = concepts_[gps->second];
            log_.note("kind-code", [&] {
              return out.id + " (" + std::string(to_string(out.kind)) + "): " + describe_code(c) + " from " + concepts_[m].id +
                     " is a " + std::string(to_string(other.kind)) + " in " + other.source + " (" + other.id +
                     ", not merged with it): dropped";
            });
            it->second = kDropped;   // later members' copies too
            continue;
          }
        }
        out.codes.push_back(c);
      }
    }
    // By system; within one, the members' own codes (a merged SNOMED CT entry's) before their
    // cross-references, each in precedence order.
    std::stable_sort(out.codes.begin(), out.codes.end(), [&](const Coding& x, const Coding& y) {
      const std::size_t rx = code_rank(x.system), ry = code_rank(y.system);
      if (rx != ry) return rx < ry;
      if (rx == options_.code_order.size() && x.system != y.system) return x.system < y.system;
      return anchors.contains(code_key(x)) && !anchors.contains(code_key(y));
    });
    return out;
  }

  const MergeOptions& options_;
  MergeResult& result_;
  ConflictLog& log_;
  std::vector<Concept> concepts_;              // canonical order: precedence rank, then id
  std::vector<std::uint32_t> rank_;            // per concept
  std::map<std::string, std::vector<std::uint32_t>> named_;   // "name\x1f" + name_key: the disorders and findings so named
  std::unordered_set<std::uint32_t> one_kind_;                 // ranks of the sources whose entries are all of one kind
  std::unordered_map<std::string, std::uint32_t> snomed_source_;   // SNOMED CT code → its entry in the SNOMED CT source
};

// ---- writing --------------------------------------------------------------------------------

Json coding_json(const Coding& c) {
  Json j;
  j["system"] = c.system;
  j["code"] = c.code;
  if (!c.display.empty()) j["display"] = c.display;
  if (!c.version.empty()) j["version"] = c.version;
  return j;
}

Json codings_json(const std::vector<Coding>& codings) {
  Json list = Json::array();
  for (const Coding& c : codings) list.push_back(coding_json(c));
  return list;
}

// Lab tests with a unit are `analytes` entries; every other entry is a `concepts` entry.
bool is_analyte(const Concept& c) { return c.kind == ConceptKind::lab && !c.unit.empty(); }

Json entry_json(const Concept& c) {
  const bool analyte = is_analyte(c);
  Json j;
  j["id"] = c.id;
  if (!analyte) j["kind"] = std::string(to_string(c.kind));
  if (!c.source.empty()) j["source"] = c.source;
  if (c.terms.empty() || c.display != c.terms.front()) j["display"] = c.display;
  j["terms"] = c.terms;
  if (!c.related.empty()) j["related"] = c.related;
  if (!c.narrow.empty()) j["narrow"] = c.narrow;
  if (!c.broad.empty()) j["broad"] = c.broad;
  if (!c.abbreviations.empty()) j["abbreviations"] = c.abbreviations;
  if (!analyte && !c.not_in.empty()) j["not_in"] = c.not_in;
  j["codes"] = codings_json(c.codes);
  if (analyte) {
    j["unit"] = c.unit;
    if (c.reference_range) {
      Json range;
      if (c.reference_range->low) range["low"] = *c.reference_range->low;
      if (c.reference_range->high) range["high"] = *c.reference_range->high;
      j["reference_range"] = range;
    }
    if (!c.observation_category.empty()) j["category"] = c.observation_category;
    if (!c.components.empty()) j["components"] = codings_json(c.components);
  }
  if (c.kind == ConceptKind::procedure && c.specimen) j["specimen"] = true;
  return j;
}

Json source_json(const SourceInfo& s) {
  Json j;
  j["id"] = s.id;
  j["name"] = s.name;
  if (!s.version.empty()) j["version"] = s.version;
  j["licence"] = s.licence;
  if (!s.url.empty()) j["url"] = s.url;
  if (!s.attribution.empty()) j["attribution"] = s.attribution;
  return j;
}

void append_list(std::string& out, const char* key, const std::vector<std::string>& lines, bool& first) {
  out += first ? "{" : ",\n";
  first = false;
  out += "\"";
  out += key;
  out += "\": [";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += i == 0 ? "\n" : ",\n";
    out += lines[i];
  }
  out += lines.empty() ? "]" : "\n]";
}

// gzip with a fixed level and zlib's default header (no name, time stamp 0): the same text gives
// the same bytes.
std::string gzip(const std::string& text, const fs::path& output) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error(ErrorKind::output_failed, Location{output.string(), 0, 0, {}}, "cannot start gzip");
  std::string out;
  char buffer[1 << 16];
  std::size_t offset = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    const std::size_t chunk = std::min<std::size_t>(text.size() - offset, 1u << 30);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data() + offset));
    z.avail_in = static_cast<uInt>(chunk);
    const int flush = offset + chunk == text.size() ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      rc = deflate(&z, flush);
      if (rc == Z_STREAM_ERROR) {
        deflateEnd(&z);
        throw Error(ErrorKind::output_failed, Location{output.string(), 0, 0, {}}, "gzip failed");
      }
      out.append(buffer, sizeof buffer - z.avail_out);
    } while (z.avail_out == 0);
    offset += chunk - z.avail_in;
  }
  deflateEnd(&z);
  return out;
}

}  // namespace

MergeResult merge_vocabularies(const std::vector<fs::path>& inputs, const MergeOptions& options) {
  MergeResult result;
  ConflictLog log(result, options.examples);
  Inputs in = read_inputs(inputs, result, log);
  Merger(options, result, log).run(std::move(in));
  std::stable_sort(result.conflicts.begin(), result.conflicts.end(),
                   [](const MergeConflict& x, const MergeConflict& y) { return x.what < y.what; });
  return result;
}

std::string vocabulary_json(const MergeResult& result) {
  std::vector<std::string> sources, concepts, analytes;
  for (const SourceInfo& s : result.sources) sources.push_back(source_json(s).dump());
  for (const Concept& c : result.concepts) (is_analyte(c) ? analytes : concepts).push_back(entry_json(c).dump());
  std::string out;
  bool first = true;
  if (!sources.empty()) append_list(out, "sources", sources, first);
  if (!concepts.empty() || analytes.empty()) append_list(out, "concepts", concepts, first);
  if (!analytes.empty()) append_list(out, "analytes", analytes, first);
  out += "}\n";
  return out;
}

void write_vocabulary(const MergeResult& result, const fs::path& output) {
  const std::string name = output.filename().string();
  const bool gzipped = name.ends_with(".json.gz");
  if (!gzipped && !name.ends_with(".json"))
    throw Error(ErrorKind::usage, Location{output.string(), 0, 0, {}}, "a vocabulary is written to a .json or .json.gz file");
  const std::string text = vocabulary_json(result);
  const std::string bytes = gzipped ? gzip(text, output) : text;
  fs::path temporary = output;
  temporary += ".part";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::output_failed, Location{output.string(), 0, 0, {}}, "cannot be written");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw Error(ErrorKind::output_failed, Location{output.string(), 0, 0, {}}, "cannot be written");
    }
  }
  std::error_code ec;
  fs::rename(temporary, output, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw Error(ErrorKind::output_failed, Location{output.string(), 0, 0, {}}, "cannot be written: " + ec.message());
  }
}

std::string describe(const MergeResult& result) {
  const MergeCounts& n = result.counts;
  auto list = [](const std::map<std::string, std::size_t>& counts) {
    std::string s;
    for (const auto& [key, count] : counts) s += (s.empty() ? "" : ", ") + key + " " + std::to_string(count);
    return s.empty() ? std::string("none") : s;
  };
  std::string out;
  out += "read " + std::to_string(n.files) + " files from " + std::to_string(n.inputs) + " inputs: " +
         std::to_string(n.concepts_read) + " entries (hand-written " + std::to_string(n.hand_written) +
         (n.read_by_source.empty() ? "" : ", ") + (n.read_by_source.empty() ? "" : list(n.read_by_source)) + ")\n";
  out += "wrote " + std::to_string(n.concepts_written) + " entries: " + std::to_string(n.merged_groups) + " merged from " +
         std::to_string(n.merged_members) + " imported entries; " + std::to_string(n.absorbed) +
         " imported entries stood for by hand-written ones\n";
  out += "terms: " + list(n.terms) + "\n";
  out += "codes dropped: " + list(n.dropped_codes) + "\n";
  out += "conflicts: " + list(n.conflicts) + "\n";
  for (const MergeConflict& c : result.conflicts) out += "  " + c.what + ": " + c.message + "\n";
  return out;
}

}  // namespace casefhir::mapping
