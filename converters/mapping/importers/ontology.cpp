#include "mapping/importers/ontology.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <unordered_map>

#include "casefhir/errors.h"

namespace casefhir::mapping::importers {

namespace {

// The ontologies whose kinds and licence the importer knows. HPO's licence asks that its version
// be shown wherever its content is, so its codings carry the version.
struct KnownOntology {
  std::string_view id;
  std::string_view source_id;
  std::string_view system;
  std::string_view name;
  std::string_view licence;
  std::string_view url;
  std::string_view attribution;   // "{version}" is replaced by the release's version
  std::string_view kind;          // of every term, or of every term below `branch`
  std::string_view branch;        // when set, only terms below it get `kind`
  bool coding_version = false;
};

constexpr std::array kKnownOntologies = {
    KnownOntology{"doid", "doid", kDoidSystem, "Human Disease Ontology", "CC0 1.0",
                  "http://purl.obolibrary.org/obo/doid.owl",
                  "Human Disease Ontology (https://disease-ontology.org), release {version}, CC0 1.0 Universal. "
                  "Cite: Schriml LM et al., The Human Disease Ontology 2022 update, Nucleic Acids Res. "
                  "2022;50(D1):D1255-D1261.",
                  "disorder", {}, false},
    KnownOntology{"hp", "hpo", kHpoSystem, "Human Phenotype Ontology",
                  "HPO licence (https://hpo.jax.org/app/license): free use; acknowledge and cite HPO, show its "
                  "version, do not alter its content",
                  "http://purl.obolibrary.org/obo/hp.owl",
                  "This product uses the Human Phenotype Ontology (version {version}). Find out more at "
                  "http://www.human-phenotype-ontology.org. Cite: Köhler S et al., The Human Phenotype Ontology "
                  "project: linking molecular biology and disease through phenotype data, Nucleic Acids Res. "
                  "2014;42(D1):D966-D974. HPO terms are written as the release writes them.",
                  "finding", "HP:0000118", true},
};

std::string_view id_space(std::string_view curie) {
  const auto colon = curie.find(':');
  return colon == std::string_view::npos ? std::string_view{} : curie.substr(0, colon);
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t p = 0; (p = text.find(from, p)) != std::string::npos; p += to.size()) text.replace(p, from.size(), to);
  return text;
}

// For an ontology with a kind branch: the kind of each term (by index), or the reason it has none.
// Below the branch root (not the root itself) a term has the branch's kind; any other term is
// counted under the top-level term (a child of a root) it descends from, in id order.
std::vector<std::string> branch_reasons(const Ontology& o, const std::unordered_map<std::string, std::size_t>& index,
                                        std::string_view branch, std::vector<bool>& in_branch) {
  const std::size_t n = o.terms.size();
  std::vector<std::vector<std::size_t>> children(n);
  std::vector<bool> has_parent(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& p : o.terms[i].parents) {
      const auto it = index.find(p);
      if (it == index.end()) continue;
      children[it->second].push_back(i);
      has_parent[i] = true;
    }
  }
  // Everything reachable downwards from `start` (not `start` itself), breadth first.
  const auto descendants = [&](std::size_t start, const auto& visit) {
    std::vector<bool> seen(n, false);
    std::deque<std::size_t> queue(children[start].begin(), children[start].end());
    while (!queue.empty()) {
      const std::size_t t = queue.front();
      queue.pop_front();
      if (seen[t]) continue;
      seen[t] = true;
      visit(t);
      queue.insert(queue.end(), children[t].begin(), children[t].end());
    }
  };

  in_branch.assign(n, false);
  if (const auto root = index.find(std::string(branch)); root != index.end())
    descendants(root->second, [&](std::size_t t) { in_branch[t] = true; });

  std::vector<std::size_t> tops;
  for (std::size_t i = 0; i < n; ++i)
    if (!has_parent[i])
      for (std::size_t c : children[i]) tops.push_back(c);
  std::sort(tops.begin(), tops.end(), [&](std::size_t a, std::size_t b) { return o.terms[a].id < o.terms[b].id; });
  tops.erase(std::unique(tops.begin(), tops.end()), tops.end());

  std::vector<std::string> reasons(n);
  for (std::size_t top : tops) {
    const std::string label = o.terms[top].id + " " + o.terms[top].name;
    const std::string reason = o.terms[top].id == branch ? "branch root " + label : "branch " + label;
    if (reasons[top].empty()) reasons[top] = reason;
    descendants(top, [&](std::size_t t) {
      if (reasons[t].empty()) reasons[t] = reason;
    });
  }
  for (std::size_t i = 0; i < n; ++i)
    if (reasons[i].empty()) reasons[i] = (has_parent[i] ? "no branch " : "root ") + o.terms[i].id + " " + o.terms[i].name;
  return reasons;
}

}  // namespace

SynonymType synonym_type_from_name(std::string_view name) {
  const auto cut = name.find_last_of("#/");
  std::string last(cut == std::string_view::npos ? name : name.substr(cut + 1));
  for (char& c : last) c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (last == "abbreviation") return SynonymType::abbreviation;
  if (last == "obsolete_synonym") return SynonymType::obsolete;
  return SynonymType::plain;
}

Vocabulary vocabulary_from_ontology(Ontology& o, const ImportRequest& request, ImportSummary& summary) {
  const auto known_it = std::find_if(kKnownOntologies.begin(), kKnownOntologies.end(),
                                     [&](const KnownOntology& k) { return k.id == o.id; });
  const KnownOntology* known = known_it == kKnownOntologies.end() ? nullptr : &*known_it;
  if (!known && !request.kind)
    throw Error(ErrorKind::usage, Location{o.origin, 0, 0, {}},
                "the importer does not know the kinds of the ontology \"" + o.id +
                    "\" (it knows doid and hp); set the kind of its concepts (disorder, finding, procedure, "
                    "body-structure, lab)");
  if (known && request.kind)
    summary.notes.push_back("the kind option was not used: " + std::string(known->name) + " gives kinds itself");

  std::string space = o.id;
  for (char& c : space) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string system = known ? std::string(known->system) : "http://purl.obolibrary.org/obo/" + o.id + ".owl";
  const std::string_view id_prefix = known ? id_prefix_of_system(system) : std::string_view(o.id);

  Vocabulary v;
  v.origin = o.origin;
  v.source.id = known ? std::string(known->source_id) : o.id;
  v.source.name = !o.title.empty() ? o.title : known ? std::string(known->name) : o.id;
  v.source.version = !request.version.empty() ? request.version : o.version;
  if (known) {
    v.source.licence = std::string(known->licence);
    v.source.url = std::string(known->url);
    v.source.attribution = replace_all(std::string(known->attribution), "{version}",
                                       v.source.version.empty() ? "not stated" : v.source.version);
  }

  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < o.terms.size(); ++i)
    if (!index.emplace(o.terms[i].id, i).second)
      throw Error(ErrorKind::input_malformed, Location{o.origin, 0, 0, {}}, o.terms[i].id + " is defined twice");

  std::vector<bool> in_branch;
  std::vector<std::string> reasons;
  if (known && !known->branch.empty()) reasons = branch_reasons(o, index, known->branch, in_branch);

  for (std::size_t i = 0; i < o.terms.size(); ++i) {
    OboTerm& t = o.terms[i];
    if (id_space(t.id) != space) {
      ++summary.dropped_concepts["other id space " + std::string(id_space(t.id))];
      continue;
    }
    if (t.obsolete) {
      ++summary.dropped_obsolete;
      continue;
    }
    if (!reasons.empty() && !in_branch[i]) {
      ++summary.dropped_concepts[reasons[i]];
      continue;
    }
    ImportedConcept c;
    c.code = t.id;
    const std::string_view local = std::string_view(t.id).substr(space.size() + 1);
    auto id = make_concept_id(id_prefix, local);
    if (!id)
      throw Error(ErrorKind::input_malformed, Location{o.origin, 0, 0, {}},
                  t.id + " cannot form a mapping id (letters, digits, '.', '_', '-')");
    c.id = std::move(*id);
    c.kind = known ? std::string(known->kind) : std::string(to_string(*request.kind));
    c.display = t.name;
    c.add_term(t.name, TermScope::exact);
    for (auto& s : t.synonyms) {
      if (s.type == SynonymType::abbreviation) c.abbreviations.push_back(std::move(s.text));
      else if (s.type == SynonymType::obsolete) ++summary.dropped_terms["obsolete synonym"];
      else c.terms.push_back({std::move(s.text), s.scope});
    }
    c.codes.push_back({system, t.id, t.name, known && known->coding_version ? v.source.version : std::string()});
    for (const auto& x : t.xrefs) {
      const auto colon = x.find(':');
      auto coding = colon == std::string::npos ? xref_coding({}, x, summary)
                                               : xref_coding(std::string_view(x).substr(0, colon),
                                                             std::string_view(x).substr(colon + 1), summary);
      if (coding) add_coding(c, std::move(*coding));
    }
    v.concepts.push_back(std::move(c));
  }
  return v;
}

}  // namespace casefhir::mapping::importers
