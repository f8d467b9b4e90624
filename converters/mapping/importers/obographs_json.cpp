// mapping/importers/obographs_json.cpp — OBO Graphs JSON (hp.json): graphs[].nodes[] and edges[].
//
// The file is parsed as a stream of nodes and edges: nlohmann's parser callback hands over each
// element of a graph's "nodes" and "edges" arrays when it is complete; it is turned into an OboTerm
// or an is_a edge and then discarded, so the 20 MB HPO file never becomes one JSON tree. Parts of a
// graph that carry no terms (logical definition axioms, ...) are discarded unread.
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "casefhir/errors.h"
#include "mapping/importers/formats.h"
#include "mapping/importers/json_input.h"
#include "mapping/importers/ontology.h"
#include "mapping/importers/source_file.h"

namespace casefhir::mapping::importers {

namespace {

using nlohmann::json;

constexpr std::string_view kOboIri = "http://purl.obolibrary.org/obo/";

// "http://purl.obolibrary.org/obo/HP_0000010" → "HP:0000010"; "" for IRIs outside OBO's id space.
std::string curie_of(std::string_view iri) {
  if (iri.substr(0, kOboIri.size()) != kOboIri) return {};
  std::string rest(iri.substr(kOboIri.size()));
  const auto underscore = rest.find('_');
  if (underscore == std::string::npos || underscore == 0 || rest.find_first_of("/#") != std::string::npos) return {};
  rest[underscore] = ':';
  return rest;
}

TermScope scope_of(const JsonInput& synonym) {
  const std::string pred = synonym.string("pred");
  if (pred == "hasExactSynonym") return TermScope::exact;
  if (pred == "hasRelatedSynonym") return TermScope::related;
  if (pred == "hasBroadSynonym") return TermScope::broad;
  if (pred == "hasNarrowSynonym") return TermScope::narrow;
  synonym.fail("\"pred\" must be hasExactSynonym, hasRelatedSynonym, hasBroadSynonym or hasNarrowSynonym (got \"" + pred +
               "\")");
}

class GraphReader {
 public:
  GraphReader(const std::string& file, ImportSummary& summary) : file_(file), summary_(summary) {
    ontology_.origin = file;
  }

  // nlohmann's parser callback: depth 1 is a key of the root object, depth 3 a key of a graph,
  // depth 4 an element of a graph's "nodes" or "edges" array.
  bool on_event(int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::key:
        if (depth == 1) key1_ = parsed.get<std::string>();
        if (depth == 3 && in_graph_) {
          key3_ = parsed.get<std::string>();
          return key3_ == "id" || key3_ == "meta" || key3_ == "nodes" || key3_ == "edges";
        }
        return true;
      case json::parse_event_t::array_start:
        if (depth == 1 && key1_ == "graphs") in_graphs_ = true;
        if (depth == 3 && in_graph_ && (key3_ == "nodes" || key3_ == "edges")) {
          list_ = key3_ == "nodes" ? List::nodes : List::edges;
          element_ = 0;
        }
        return true;
      case json::parse_event_t::array_end:
        if (depth == 1) in_graphs_ = false;
        if (depth == 3) list_ = List::none;
        return true;
      case json::parse_event_t::object_start:
        if (depth == 2 && in_graphs_) {
          in_graph_ = true;
          ++graph_;
        }
        return true;
      case json::parse_event_t::object_end:
      case json::parse_event_t::value:
        if (depth == 2) in_graph_ = false;
        if (depth != 4 || list_ == List::none) return true;
        {
          const JsonInput element(parsed, "/graphs/" + std::to_string(graph_) + "/" + key3_ + "/" + std::to_string(element_++),
                                  file_);
          if (list_ == List::nodes) read_node(element);
          else read_edge(element);
        }
        return false;   // read: not kept in the tree
    }
    return true;
  }

  Ontology finish(const json& root) {
    const JsonInput doc(root, "", file_);
    doc.expect_object();
    if (!doc.has("graphs")) doc.fail("not an OBO Graphs document: no \"graphs\" array");
    const auto graphs = doc.at("graphs").elements();
    if (graphs.empty()) doc.at("graphs").fail("must not be empty");
    const JsonInput& graph = graphs.front();
    graph.expect_object();

    // "http://purl.obolibrary.org/obo/hp.json" → "hp"; else the id space of the first class.
    if (const auto id = graph.optional_string("id")) {
      const auto slash = id->rfind('/');
      const std::string last = id->substr(slash == std::string::npos ? 0 : slash + 1);
      ontology_.id = last.substr(0, last.find('.'));
    }
    if (ontology_.id.empty() && !ontology_.terms.empty())
      ontology_.id = ontology_.terms.front().id.substr(0, ontology_.terms.front().id.find(':'));
    for (char& c : ontology_.id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

    std::string version_info;
    if (const auto meta = graph.optional_object("meta")) {
      if (const auto version = meta->optional_string("version")) {
        const auto date = find_iso_date(*version);
        ontology_.version = date ? *date : *version;
      }
      if (const auto values = meta->optional_array("basicPropertyValues")) {
        for (const auto& pv : values->elements()) {
          const std::string pred = pv.string("pred");
          if (pred.ends_with("/title")) ontology_.title = pv.string("val");
          else if (pred.ends_with("#versionInfo")) version_info = pv.string("val");
        }
      }
    }
    if (ontology_.version.empty()) ontology_.version = version_info;

    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < ontology_.terms.size(); ++i) index.emplace(ontology_.terms[i].id, i);
    for (auto& [sub, obj] : is_a_)
      if (const auto it = index.find(sub); it != index.end()) ontology_.terms[it->second].parents.push_back(std::move(obj));
    return std::move(ontology_);
  }

 private:
  enum class List { none, nodes, edges };

  void read_node(const JsonInput& node) {
    node.expect_object();
    const std::string iri = node.string("id");
    if (node.optional_string("type").value_or("") != "CLASS") return;   // properties, individuals
    OboTerm term;
    term.id = curie_of(iri);
    if (term.id.empty()) {
      ++summary_.dropped_concepts["class outside the OBO id space"];
      return;
    }
    term.name = node.optional_string("lbl").value_or("");
    if (const auto meta = node.optional_object("meta")) {
      term.obsolete = meta->optional_bool("deprecated");
      if (const auto synonyms = meta->optional_array("synonyms")) {
        for (const auto& s : synonyms->elements()) {
          OboSynonym synonym;
          synonym.scope = scope_of(s);
          synonym.text = s.string("val");
          if (const auto type = s.optional_string("synonymType")) synonym.type = synonym_type_from_name(*type);
          term.synonyms.push_back(std::move(synonym));
        }
      }
      if (const auto xrefs = meta->optional_array("xrefs"))
        for (const auto& x : xrefs->elements()) term.xrefs.push_back(x.string("val"));
    }
    ontology_.terms.push_back(std::move(term));
  }

  void read_edge(const JsonInput& edge) {
    const std::string sub = edge.string("sub"), pred = edge.string("pred"), obj = edge.string("obj");
    if (pred == "is_a") is_a_.emplace_back(curie_of(sub), curie_of(obj));
  }

  const std::string& file_;
  ImportSummary& summary_;
  Ontology ontology_;
  std::vector<std::pair<std::string, std::string>> is_a_;
  std::string key1_, key3_;
  bool in_graphs_ = false, in_graph_ = false;
  List list_ = List::none;
  int graph_ = -1;
  std::size_t element_ = 0;
};

}  // namespace

Vocabulary read_obographs_json(const ImportRequest& request, ImportSummary& summary) {
  SourceFile file(request.files.front());
  const std::string text = read_all(file);
  GraphReader reader(file.name(), summary);
  const json root = parse_json(text, file.name(), [&](int depth, json::parse_event_t event, json& parsed) {
    return reader.on_event(depth, event, parsed);
  });
  Ontology ontology = reader.finish(root);
  return vocabulary_from_ontology(ontology, request, summary);
}

}  // namespace casefhir::mapping::importers
