// mapping/loader.cpp — reads mapping files into a MappingSet, checking each against the format
// of mappings/README.md. Every error names the file, the JSON pointer and what is wrong; unknown
// keys are errors, so a misspelt key never silently does nothing.
#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/compiled.h"
#include "mapping/importers/json_input.h"

namespace casefhir::mapping {

namespace {

using nlohmann::json;

// A JSON value with its pointer, so every check can say where it failed.
class Node {
 public:
  Node(const json& value, std::string pointer, const std::string& file)
      : value_(value), pointer_(std::move(pointer)), file_(file) {}

  [[noreturn]] void fail(const std::string& reason) const {
    throw Error(ErrorKind::mapping_invalid, Location{file_, 0, 0, pointer_.empty() ? "/" : pointer_}, reason);
  }
  const json& value() const { return value_; }
  const std::string& pointer() const { return pointer_; }
  std::string origin() const { return file_ + "#" + pointer_; }

  Node at(const std::string& key) const { return Node(value_.at(key), pointer_ + "/" + importers::json_pointer_token(key), file_); }
  Node at(std::size_t i) const { return Node(value_.at(i), pointer_ + "/" + std::to_string(i), file_); }
  bool has(const std::string& key) const { return value_.contains(key); }

  void expect_object(std::initializer_list<const char*> allowed) const {
    if (!value_.is_object()) fail("must be an object");
    for (const auto& [key, _] : value_.items()) {
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        std::string list;
        for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
        Node(value_.at(key), pointer_ + "/" + importers::json_pointer_token(key), file_).fail("unknown key \"" + key + "\" (allowed: " + list + ")");
      }
    }
  }
  void require(const char* key) const {
    if (!value_.contains(key)) fail(std::string("missing required key \"") + key + "\"");
  }
  std::string string() const {
    if (!value_.is_string()) fail("must be a string");
    std::string s = value_.get<std::string>();
    if (s.empty()) fail("must not be empty");
    return s;
  }
  bool boolean() const {
    if (!value_.is_boolean()) fail("must be true or false");
    return value_.get<bool>();
  }
  double number() const {
    if (!value_.is_number()) fail("must be a number");
    return value_.get<double>();
  }
  std::vector<Node> array(bool allow_empty = false) const {
    if (!value_.is_array()) fail("must be an array");
    if (!allow_empty && value_.empty()) fail("must not be empty");
    std::vector<Node> items;
    for (std::size_t i = 0; i < value_.size(); ++i) items.push_back(at(i));
    return items;
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (const Node& n : array()) out.push_back(n.string());
    return out;
  }
  template <class Enum>
  Enum one_of(std::initializer_list<std::pair<const char*, Enum>> choices) const {
    const std::string s = string();
    for (const auto& [name, e] : choices)
      if (s == name) return e;
    std::string list;
    for (const auto& [name, _] : choices) list += std::string(list.empty() ? "" : ", ") + name;
    fail("must be one of " + list + " (got \"" + s + "\")");
  }

 private:
  const json& value_;
  std::string pointer_;
  const std::string& file_;
};

bool valid_id(const std::string& id) {
  if (id.empty() || !((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9'))) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

std::string read_id_value(const Node& n) {
  const std::string id = n.string();
  if (!valid_id(id)) n.fail("\"" + id + "\" is not a valid id (lower case letters, digits, '.', '_', '-')");
  return id;
}

std::string read_id(const Node& entry, const char* key = "id") {
  entry.require(key);
  const Node n = entry.at(key);
  const std::string id = n.string();
  if (!valid_id(id)) n.fail("\"" + id + "\" is not a valid id (lower case letters, digits, '.', '_', '-')");
  return id;
}

Coding read_coding(const Node& n) {
  n.expect_object({"system", "code", "display", "version"});
  n.require("system");
  n.require("code");
  Coding c;
  c.system = n.at("system").string();
  if (c.system.find(':') == std::string::npos || c.system.find(' ') != std::string::npos)
    n.at("system").fail("\"" + c.system + "\" is not an absolute URI");
  c.code = n.at("code").string();
  if (auto problem = check_code(c.system, c.code)) n.at("code").fail(*problem);
  if (n.has("display")) c.display = n.at("display").string();
  if (n.has("version")) c.version = n.at("version").string();
  return c;
}

std::vector<Coding> read_codings(const Node& n) {
  std::vector<Coding> out;
  for (const Node& c : n.array()) out.push_back(read_coding(c));
  return out;
}

// A letter or digit, ASCII or any byte of a UTF-8 sequence (the tokenizer's word characters).
bool is_word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }

std::vector<std::string> read_terms(const Node& n) {
  std::vector<std::string> terms = n.strings();
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const auto& t = terms[i];
    if (t.front() == ' ' || t.back() == ' ') n.at(i).fail("term \"" + t + "\" has leading or trailing spaces");
    if (std::none_of(t.begin(), t.end(), is_word_byte))
      n.at(i).fail("term \"" + t + "\" has no letters or digits, so it can never match");
  }
  return terms;
}

bool is_removal(const Node& entry) { return entry.has("remove") && entry.at("remove").boolean(); }

// Adds or replaces an entry by key, or removes it. `seen` catches a key given twice in one file;
// `index` (kept by the set) finds an earlier entry without a scan, so loading stays linear.
template <class T, class Key>
void upsert(std::vector<T>& list, std::unordered_map<std::string, std::size_t>& index, T entry, bool remove, const Node& where,
            std::unordered_map<std::string, std::string>& seen, Key key_of) {
  std::string key = key_of(entry);
  if (auto [it, fresh] = seen.emplace(key, where.pointer()); !fresh)
    where.fail("\"" + key + "\" is defined twice in this file (first at " + it->second + ")");
  const auto found = index.find(key);
  if (remove) {
    if (found == index.end()) where.fail("\"remove\" names \"" + key + "\", which no earlier mapping defines");
    // Rare (a user's override): erase, then renumber what follows.
    const std::size_t at = found->second;
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(at));
    index.erase(found);
    for (auto& [_, position] : index)
      if (position > at) --position;
  } else if (found != index.end()) {
    list[found->second] = std::move(entry);
  } else {
    index.emplace(std::move(key), list.size());
    list.push_back(std::move(entry));
  }
}

const std::initializer_list<std::pair<const char*, ConceptKind>> kConceptKinds = {
    {"disorder", ConceptKind::disorder},         {"finding", ConceptKind::finding}, {"procedure", ConceptKind::procedure},
    {"body-structure", ConceptKind::body_structure}, {"lab", ConceptKind::lab}, {"morphology", ConceptKind::morphology}};

Concept read_concept_entry(const Node& e, bool removal) {
  Concept c;
  c.id = read_id(e);
  c.origin = e.origin();
  if (removal) return c;
  e.require("kind");
  e.require("terms");
  e.require("codes");
  c.kind = e.at("kind").one_of<ConceptKind>(kConceptKinds);
  c.terms = read_terms(e.at("terms"));
  if (e.has("related")) c.related = read_terms(e.at("related"));
  if (e.has("narrow")) c.narrow = read_terms(e.at("narrow"));
  if (e.has("broad")) c.broad = read_terms(e.at("broad"));
  if (e.has("abbreviations")) c.abbreviations = read_terms(e.at("abbreviations"));
  if (e.has("not_in")) c.not_in = read_terms(e.at("not_in"));
  c.codes = read_codings(e.at("codes"));
  c.display = e.has("display") ? e.at("display").string() : c.terms.front();
  if (e.has("source")) c.source = e.at("source").string();
  if (e.has("specimen")) {
    if (c.kind != ConceptKind::procedure) e.at("specimen").fail("\"specimen\" applies only to kind procedure");
    c.specimen = e.at("specimen").boolean();
  }
  return c;
}

// A concept or analyte entry, layered on a compiled dictionary when the set has one: an id the
// dictionary holds is hidden there (replaced by this entry, or removed).
void upsert_concept(MappingSet& set, Concept c, bool removal, const Node& e, std::unordered_map<std::string, std::string>& seen) {
  if (set.base_has && !set.concept_index.contains(c.id) && set.base_has(c.id)) {
    if (auto [it, fresh] = seen.emplace(c.id, e.pointer()); !fresh)
      e.fail("\"" + c.id + "\" is defined twice in this file (first at " + it->second + ")");
    set.hidden_base_ids.push_back(c.id);
    if (removal) return;
    set.concept_index.emplace(c.id, set.concepts.size());
    set.concepts.push_back(std::move(c));
    return;
  }
  upsert(set.concepts, set.concept_index, std::move(c), removal, e, seen, [](const Concept& x) { return x.id; });
}

void check_source(const MappingSet& set, const Concept& c, const Node& e) {
  if (!c.source.empty() && !set.source_index.contains(c.source))
    e.at("source").fail("\"" + c.source + "\" is not the id of an entry of \"sources\" (in this or an earlier file)");
}

void read_concepts(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"id", "kind", "terms", "related", "narrow", "broad", "abbreviations", "not_in", "codes", "display", "source",
                     "specimen", "remove"});
    const bool removal = is_removal(e);
    Concept c = read_concept_entry(e, removal);
    check_source(set, c, e);
    upsert_concept(set, std::move(c), removal, e, seen);
  }
}

void read_analytes(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"id", "terms", "abbreviations", "codes", "display", "unit", "reference_range", "category", "components",
                     "source", "remove"});
    Concept c;
    c.id = read_id(e);
    c.origin = e.origin();
    c.kind = ConceptKind::lab;
    const bool removal = is_removal(e);
    if (!removal) {
      e.require("terms");
      e.require("codes");
      e.require("unit");
      c.terms = read_terms(e.at("terms"));
      if (e.has("abbreviations")) c.abbreviations = read_terms(e.at("abbreviations"));
  if (e.has("not_in")) c.not_in = read_terms(e.at("not_in"));
      c.codes = read_codings(e.at("codes"));
      c.display = e.has("display") ? e.at("display").string() : c.terms.front();
      c.unit = e.at("unit").string();
      if (e.has("source")) c.source = e.at("source").string();
      if (e.has("reference_range")) {
        const Node r = e.at("reference_range");
        r.expect_object({"low", "high"});
        ReferenceRange range;
        if (r.has("low")) range.low = r.at("low").number();
        if (r.has("high")) range.high = r.at("high").number();
        if (!range.low && !range.high) r.fail("needs \"low\", \"high\" or both");
        if (range.low && range.high && *range.low > *range.high) r.fail("low is greater than high");
        c.reference_range = range;
      }
      if (e.has("category"))
        c.observation_category = e.at("category").one_of<std::string>(
            {{"laboratory", "laboratory"}, {"vital-signs", "vital-signs"}, {"exam", "exam"}, {"imaging", "imaging"}});
      if (e.has("components")) {
        c.components = read_codings(e.at("components"));
        if (c.components.size() != 2) e.at("components").fail("needs exactly two codings (the parts of a value written A/B)");
      }
    }
    check_source(set, c, e);
    upsert_concept(set, std::move(c), removal, e, seen);
  }
}

void read_methods(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"id", "terms", "codes", "display", "category", "specimen", "remove"});
    Concept c;
    c.id = read_id(e);
    c.origin = e.origin();
    c.kind = ConceptKind::method;
    const bool removal = is_removal(e);
    if (!removal) {
      e.require("terms");
      e.require("category");
      c.terms = read_terms(e.at("terms"));
      if (e.has("codes")) c.codes = read_codings(e.at("codes"));
      c.display = e.has("display") ? e.at("display").string() : c.terms.front();
      c.observation_category = e.at("category").one_of<std::string>(
          {{"exam", "exam"}, {"laboratory", "laboratory"}, {"imaging", "imaging"}, {"procedure", "procedure"},
           {"vital-signs", "vital-signs"}, {"none", "none"}});
      if (e.has("specimen")) c.specimen = e.at("specimen").boolean();
    }
    upsert(set.methods, set.method_index, std::move(c), removal, e, seen, [](const Concept& x) { return x.id; });
  }
}

void read_laterality(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"id", "terms", "codes", "display", "remove"});
    Concept c;
    c.id = read_id(e);
    c.origin = e.origin();
    c.kind = ConceptKind::laterality;
    const bool removal = is_removal(e);
    if (!removal) {
      e.require("terms");
      e.require("codes");
      c.terms = read_terms(e.at("terms"));
      c.codes = read_codings(e.at("codes"));
      c.display = e.has("display") ? e.at("display").string() : c.terms.front();
    }
    upsert(set.laterality, set.laterality_index, std::move(c), removal, e, seen, [](const Concept& x) { return x.id; });
  }
}

void read_units(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"code", "spellings", "remove"});
    e.require("code");
    UnitSpelling u;
    u.code = e.at("code").string();
    if (u.code.find(' ') != std::string::npos) e.at("code").fail("UCUM code \"" + u.code + "\" contains a space");
    const bool removal = is_removal(e);
    if (!removal && e.has("spellings")) u.spellings = read_terms(e.at("spellings"));
    upsert(set.units, set.unit_index, std::move(u), removal, e, seen, [](const UnitSpelling& x) { return x.code; });
  }
}

void read_triggers(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"id", "category", "direction", "terms", "max_scope", "attached", "one_subject", "list_subject", "clause_final", "relationship", "ends", "unless_followed_by", "fronted_clause", "clause_opener", "heads_object", "object_only", "unless_listed", "weight",
                     "kinds", "remove"});
    ContextTrigger t;
    t.id = read_id(e);
    t.origin = e.origin();
    const bool removal = is_removal(e);
    if (!removal) {
      e.require("category");
      e.require("terms");
      t.category = e.at("category").one_of<ContextCategory>(
          {{"negation", ContextCategory::negation}, {"possible", ContextCategory::possible},
           {"differential", ContextCategory::differential}, {"family", ContextCategory::family},
           {"other", ContextCategory::other}, {"historical", ContextCategory::historical},
           {"resolved", ContextCategory::resolved}, {"ongoing", ContextCategory::ongoing},
           {"hypothetical", ContextCategory::hypothetical}, {"pseudo", ContextCategory::pseudo},
           {"termination", ContextCategory::termination}, {"general", ContextCategory::general},
           {"patient", ContextCategory::patient}, {"diagnosis", ContextCategory::diagnosis},
           {"result", ContextCategory::result}, {"case", ContextCategory::case_subject},
           {"refusal", ContextCategory::refusal}, {"reason", ContextCategory::reason}});
      t.terms = read_terms(e.at("terms"));
      const bool needs_direction = is_modifier(t.category);
      if (e.has("direction")) {
        t.direction = e.at("direction").one_of<Direction>({{"forward", Direction::forward},
                                                           {"backward", Direction::backward},
                                                           {"bidirectional", Direction::bidirectional},
                                                           {"sentence", Direction::sentence}});
      } else if (needs_direction) {
        e.fail("missing required key \"direction\"");
      } else {
        t.direction = Direction::sentence;
      }
      if (e.has("max_scope")) {
        const Node m = e.at("max_scope");
        if (!m.value().is_number_integer() || m.value().get<long long>() < 0 || m.value().get<long long>() > 1000)
          m.fail("must be a whole number from 0 to 1000");
        t.max_scope = m.value().get<int>();
      }
      if (e.has("attached")) {
        const Node n = e.at("attached");
        t.attached = n.boolean();
        if (t.attached && t.direction != Direction::forward && t.direction != Direction::backward)
          n.fail("\"attached\" applies only to direction forward or backward");
      }
      if (e.has("one_subject")) {
        const Node n = e.at("one_subject");
        t.one_subject = n.boolean();
        if (t.one_subject && t.direction != Direction::backward) n.fail("\"one_subject\" applies only to direction backward");
      }
      if (e.has("list_subject")) {
        const Node n = e.at("list_subject");
        t.list_subject = n.boolean();
        if (t.list_subject && t.direction != Direction::backward) n.fail("\"list_subject\" applies only to direction backward");
      }
      if (e.has("clause_final")) {
        const Node n = e.at("clause_final");
        t.clause_final = n.boolean();
        if (t.clause_final && t.direction != Direction::backward) n.fail("\"clause_final\" applies only to direction backward");
      }
      if (e.has("ends")) {
        if (t.category != ContextCategory::termination) e.at("ends").fail("\"ends\" applies only to category termination");
        for (const Node& n : e.at("ends").array())
          t.ends.push_back(n.one_of<ContextCategory>(
              {{"negation", ContextCategory::negation}, {"possible", ContextCategory::possible},
               {"differential", ContextCategory::differential}, {"family", ContextCategory::family},
               {"other", ContextCategory::other}, {"historical", ContextCategory::historical},
               {"resolved", ContextCategory::resolved}, {"hypothetical", ContextCategory::hypothetical}}));
      }
      if (e.has("unless_followed_by")) {
        const Node words = e.at("unless_followed_by");
        if (t.category != ContextCategory::termination) words.fail("\"unless_followed_by\" applies only to category termination");
        t.unless_followed_by = read_terms(words);
        for (std::size_t k = 0; k < t.unless_followed_by.size(); ++k)
          if (!std::all_of(t.unless_followed_by[k].begin(), t.unless_followed_by[k].end(), is_word_byte))
            words.at(k).fail("must be one word (letters and digits only)");
      }
      if (e.has("fronted_clause")) {
        const Node f = e.at("fronted_clause");
        if (t.category != ContextCategory::termination) f.fail("\"fronted_clause\" applies only to category termination");
        t.fronted_clause = f.boolean();
      }
      if (e.has("clause_opener")) {
        const Node c = e.at("clause_opener");
        if (t.category != ContextCategory::termination) c.fail("\"clause_opener\" applies only to category termination");
        t.clause_opener = c.boolean();
      }
      if (e.has("heads_object")) {
        const Node h = e.at("heads_object");
        if (t.category != ContextCategory::termination) h.fail("\"heads_object\" applies only to category termination");
        t.heads_object = h.boolean();
      }
      if (e.has("unless_listed")) {
        const Node u = e.at("unless_listed");
        if (t.category != ContextCategory::termination || t.direction != Direction::backward)
          u.fail("\"unless_listed\" applies only to category termination with direction backward");
        t.unless_listed = u.boolean();
      }
      if (e.has("object_only")) {
        const Node o = e.at("object_only");
        if (t.category != ContextCategory::termination) o.fail("\"object_only\" applies only to category termination");
        t.object_only = o.boolean();
      }
      if (e.has("weight")) {
        if (t.category != ContextCategory::general && t.category != ContextCategory::patient)
          e.at("weight").fail("\"weight\" applies only to categories general and patient");
        const Node w = e.at("weight");
        if (!w.value().is_number_integer() || w.value().get<long long>() < 1 || w.value().get<long long>() > 10)
          w.fail("must be a whole number from 1 to 10");
        t.weight = w.value().get<int>();
      }
      if (e.has("kinds")) {
        if (!is_modifier(t.category) && t.category != ContextCategory::termination)
          e.at("kinds").fail("\"kinds\" applies only to triggers that modify or end the context of a concept");
        for (const Node& n : e.at("kinds").array()) t.kinds.push_back(n.one_of<ConceptKind>(kConceptKinds));
      }
      if (e.has("relationship")) {
        if (t.category != ContextCategory::family) e.at("relationship").fail("\"relationship\" applies only to category family");
        t.relationship = read_coding(e.at("relationship"));
      }
    }
    upsert(set.triggers, set.trigger_index, std::move(t), removal, e, seen, [](const ContextTrigger& x) { return x.id; });
  }
}

void read_sections(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"id", "headings", "subject", "historical", "extent", "relationship", "general_at", "remove"});
    SectionRule s;
    s.id = read_id(e);
    s.origin = e.origin();
    const bool removal = is_removal(e);
    if (!removal) {
      e.require("subject");
      if (e.has("headings") && !e.at("headings").value().empty()) s.headings = read_terms(e.at("headings"));
      if (e.has("extent"))
        s.paragraph = e.at("extent").one_of<bool>({{"section", false}, {"paragraph", true}});
      s.subject = e.at("subject").one_of<Subject>({{"patient", Subject::patient}, {"family", Subject::family},
                                                   {"general", Subject::general}, {"none", Subject::none}});
      if (e.has("historical")) s.historical = e.at("historical").boolean();
      if (e.has("relationship")) s.relationship = read_coding(e.at("relationship"));
      if (e.has("general_at")) {
        const Node g = e.at("general_at");
        if (s.subject != Subject::patient) g.fail("\"general_at\" applies only to subject patient");
        if (!g.value().is_number_integer() || g.value().get<long long>() < 1 || g.value().get<long long>() > 10)
          g.fail("must be a whole number from 1 to 10");
        s.general_at = g.value().get<int>();
      }
    }
    upsert(set.sections, set.section_index, std::move(s), removal, e, seen, [](const SectionRule& x) { return x.id; });
  }
}

ResourceType read_resource_type(const Node& n, bool allow_family) {
  if (allow_family)
    return n.one_of<ResourceType>({{"Condition", ResourceType::Condition}, {"Observation", ResourceType::Observation},
                                   {"Procedure", ResourceType::Procedure},
                                   {"FamilyMemberHistory", ResourceType::FamilyMemberHistory}, {"none", ResourceType::none}});
  return n.one_of<ResourceType>({{"Condition", ResourceType::Condition}, {"Observation", ResourceType::Observation},
                                 {"Procedure", ResourceType::Procedure}, {"none", ResourceType::none}});
}

void read_resources(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"kind", "resource", "category", "family_resource"});
    e.require("kind");
    e.require("resource");
    ResourceRule r;
    r.origin = e.origin();
    r.kind = e.at("kind").one_of<ConceptKind>(kConceptKinds);
    r.resource = read_resource_type(e.at("resource"), false);
    if (e.has("category")) r.category = read_coding(e.at("category"));
    r.family_resource = e.has("family_resource") ? read_resource_type(e.at("family_resource"), true) : ResourceType::none;
    if (r.family_resource != ResourceType::none && r.family_resource != ResourceType::FamilyMemberHistory)
      e.at("family_resource").fail("a relative's finding can only become FamilyMemberHistory or none");
    std::unordered_map<std::string, std::size_t> index;   // a handful of kinds: rebuilt per entry
    for (std::size_t i = 0; i < set.resources.size(); ++i) index.emplace(std::string(to_string(set.resources[i].kind)), i);
    upsert(set.resources, index, std::move(r), false, e, seen, [](const ResourceRule& x) { return std::string(to_string(x.kind)); });
  }
}

void read_observation_values(MappingSet& set, const Node& v) {
  v.expect_object({"present", "absent", "possible", "size_components"});
  auto& out = set.observation_values;
  if (v.has("present")) out.present = read_coding(v.at("present"));
  if (v.has("absent")) out.absent = read_coding(v.at("absent"));
  if (v.has("possible")) out.possible = read_coding(v.at("possible"));
  if (v.has("size_components")) out.size_components = read_codings(v.at("size_components"));
}

void read_interpretations(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"code", "terms"});
    e.require("code");
    e.require("terms");
    InterpretationTerms t;
    t.code = e.at("code").one_of<std::string>({{"N", "N"}, {"H", "H"}, {"L", "L"}, {"A", "A"}, {"POS", "POS"}, {"NEG", "NEG"}});
    t.terms = read_terms(e.at("terms"));
    upsert(set.interpretations, set.interpretation_index, std::move(t), false, e, seen, [](const InterpretationTerms& x) { return x.code; });
  }
}

constexpr std::pair<std::string_view, WordList> kWordListIds[] = {
    {"test-name-boundaries", WordList::test_name_boundaries}, {"test-heads", WordList::test_heads},
    {"serology-heads", WordList::serology_heads},             {"value-fillers", WordList::value_fillers},
    {"trend-words", WordList::trend_words},                   {"target-words", WordList::target_words},
    {"result-adverbs", WordList::result_adverbs},
    {"reference-range-labels", WordList::reference_range_labels},
    {"course-verbs", WordList::course_verbs},
    {"uncoded-value-fillers", WordList::uncoded_value_fillers},
    {"body-measurement-heads", WordList::body_measurement_heads},
    {"lesion-size-words", WordList::lesion_size_words},
    {"unitless-result-heads", WordList::unitless_result_heads},
    {"ratio-result-heads", WordList::ratio_result_heads},
    {"other-specimens", WordList::other_specimens},           {"gene-heads", WordList::gene_heads},
    {"generic-heads", WordList::generic_heads},               {"showing-verbs", WordList::showing_verbs},
    {"times-of-stay", WordList::times_of_stay},               {"score-verbs", WordList::score_verbs},
    {"done-verbs", WordList::done_verbs},                     {"scale-heads", WordList::scale_heads},
    {"name-filler-words", WordList::name_filler_words},       {"organisation-heads", WordList::organisation_heads},
    {"finding-verbs", WordList::finding_verbs},               {"clause-verbs", WordList::clause_verbs},
    {"cause-search-heads", WordList::cause_search_heads},     {"site-determiners", WordList::site_determiners},
    {"trigger-adverbs", WordList::trigger_adverbs}, {"degree-adverbs", WordList::degree_adverbs},
    {"frequency-adverbs", WordList::frequency_adverbs},
    {"excision-word-endings", WordList::excision_word_endings},
    {"operation-word-endings", WordList::operation_word_endings},
    {"not-procedure-words", WordList::not_procedure_words},
    {"given-verbs", WordList::given_verbs},
    {"lasting-condition-categories", WordList::lasting_condition_categories},
    {"lasting-condition-exceptions", WordList::lasting_condition_exceptions}};
static_assert(std::size(kWordListIds) == kWordListCount, "every word list has an id");

void read_word_lists(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"id", "description", "words", "remove"});
    WordListRule w;
    w.id = read_id(e);
    w.origin = e.origin();
    if (!word_list_named(w.id)) {
      std::string known;
      for (const auto& [id, _] : kWordListIds) known += (known.empty() ? "" : ", ") + std::string(id);
      e.at("id").fail("no reader consults a word list \"" + w.id + "\" (the lists: " + known + ")");
    }
    const bool removal = is_removal(e);
    if (!removal) {
      e.require("words");
      const Node words = e.at("words");
      w.words = read_terms(words);
      for (std::size_t k = 0; k < w.words.size(); ++k) {
        std::string& word = w.words[k];
        if (!std::all_of(word.begin(), word.end(), is_word_byte))
          words.at(k).fail("\"" + word + "\" is not one word (letters and digits only: a hyphen or a space splits it into tokens)");
        if (word.size() > nlp::WordSet::kLongest)
          words.at(k).fail("\"" + word + "\" is longer than " + std::to_string(nlp::WordSet::kLongest) + " bytes, the longest word a list may hold");
        for (char& c : word) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      }
    }
    upsert(set.word_lists, set.word_list_index, std::move(w), removal, e, seen, [](const WordListRule& x) { return x.id; });
  }
}

void read_sources(MappingSet& set, const Node& list, std::unordered_map<std::string, std::string>& seen) {
  for (const Node& e : list.array(true)) {
    e.expect_object({"id", "name", "version", "licence", "url", "attribution"});
    SourceInfo info;
    info.id = read_id(e);
    info.origin = e.origin();
    e.require("name");
    e.require("licence");
    info.name = e.at("name").string();
    info.licence = e.at("licence").string();
    if (e.has("version")) info.version = e.at("version").string();
    if (e.has("url")) info.url = e.at("url").string();
    if (e.has("attribution")) info.attribution = e.at("attribution").string();
    upsert(set.sources, set.source_index, std::move(info), false, e, seen, [](const SourceInfo& x) { return x.id; });
  }
}

// Term rules decide which terms of imported entries a dictionary holds, so they apply when it is
// compiled. On a dictionary with imported concepts, a file may change only what applies at run
// time: blocked_phrases (compiled into the overlay, where they win over the dictionary's terms)
// and neighbour_window. Any other change fails where it is made, rather than be ignored for the
// dictionary and applied to the file's own entries.
void check_run_time_rules(const MappingSet& set, const Node& r, const TermRules& before) {
  if (set.rules_compiled_into.empty()) return;
  const TermRules& t = set.term_rules;
  const std::pair<const char*, bool> changed[] = {
      {"scopes", t.scopes != before.scopes},
      {"stop_terms", t.stop_terms != before.stop_terms},
      {"skip_words", t.skip_words != before.skip_words},
      {"strip_suffixes", t.strip_suffixes != before.strip_suffixes},
      {"skip_characters", t.skip_characters != before.skip_characters},
      {"min_length", t.min_length != before.min_length},
      {"max_words", t.max_words != before.max_words},
      {"narrow_min_words", t.narrow_min_words != before.narrow_min_words},
      {"inverted_site_words", t.inverted_site_words != before.inverted_site_words},
      {"uninverted_sites", t.uninverted_sites != before.uninverted_sites},
      {"abbreviation_max_length", t.abbreviation_max_length != before.abbreviation_max_length},
      {"abbreviation_min_length", t.abbreviation_min_length != before.abbreviation_min_length},
      {"stop_abbreviations", t.stop_abbreviations != before.stop_abbreviations},
      {"needs_neighbour", t.needs_neighbour != before.needs_neighbour},
      {"source_precedence", t.source_precedence != before.source_precedence},
      {"unmatched_kinds", t.unmatched_kinds != before.unmatched_kinds},
      {"blocked_codes", t.blocked_codes != before.blocked_codes},
      {"spellings", t.spellings != before.spellings}};
  for (const auto& [key, differs] : changed)
    if (differs)
      r.at(key).fail("term rules apply when a dictionary is compiled, and " + set.rules_compiled_into +
                     " was compiled with its own: compile these files into one (`casefhir mappings compile`) and convert "
                     "with --dictionary; at run time only blocked_phrases and neighbour_window apply");
}

// Term rules: one object; each key a later file gives replaces the earlier value.
void read_term_rules(MappingSet& set, const Node& r) {
  const TermRules before = set.term_rules;
  r.expect_object({"scopes", "stop_terms", "blocked_phrases", "skip_words", "strip_suffixes", "skip_characters", "min_length",
                   "max_words", "narrow_min_words", "inverted_site_words", "uninverted_sites", "abbreviation_max_length", "abbreviation_min_length", "stop_abbreviations", "needs_neighbour",
                   "neighbour_window", "source_precedence", "unmatched_kinds", "blocked_codes", "spellings"});
  TermRules& t = set.term_rules;
  auto words = [&](const char* key, std::vector<std::string>& out) {
    if (r.has(key)) out = r.at(key).value().empty() ? std::vector<std::string>{} : read_terms(r.at(key));
  };
  auto whole = [&](const char* key, int& out, int max) {
    if (!r.has(key)) return;
    const Node n = r.at(key);
    if (!n.value().is_number_integer() || n.value().get<long long>() < 0 || n.value().get<long long>() > max)
      n.fail("must be a whole number from 0 to " + std::to_string(max));
    out = n.value().get<int>();
  };
  if (r.has("scopes")) {
    t.scopes.clear();
    for (const Node& n : r.at("scopes").array())
      t.scopes.push_back(n.one_of<std::string>({{"exact", "exact"}, {"related", "related"}, {"narrow", "narrow"}, {"broad", "broad"}}));
  }
  words("stop_terms", t.stop_terms);
  words("blocked_phrases", t.blocked_phrases);
  words("skip_words", t.skip_words);
  if (r.has("strip_suffixes")) {   // may start with a comma or a space: not terms
    t.strip_suffixes.clear();
    for (const Node& n : r.at("strip_suffixes").array(true)) t.strip_suffixes.push_back(n.string());
  }
  if (r.has("skip_characters")) t.skip_characters = r.at("skip_characters").string();
  whole("min_length", t.min_length, 100);
  whole("max_words", t.max_words, 100);
  whole("narrow_min_words", t.narrow_min_words, 100);
  whole("inverted_site_words", t.inverted_site_words, 10);
  words("uninverted_sites", t.uninverted_sites);
  whole("abbreviation_max_length", t.abbreviation_max_length, 100);
  whole("abbreviation_min_length", t.abbreviation_min_length, 100);
  words("stop_abbreviations", t.stop_abbreviations);
  words("needs_neighbour", t.needs_neighbour);
  whole("neighbour_window", t.neighbour_window, 1000);
  if (r.has("source_precedence")) {
    t.source_precedence.clear();
    for (const Node& n : r.at("source_precedence").array(true)) t.source_precedence.push_back(read_id_value(n));
  }
  if (r.has("unmatched_kinds")) {
    t.unmatched_kinds.clear();
    for (const Node& n : r.at("unmatched_kinds").array(true)) t.unmatched_kinds.push_back(n.one_of<ConceptKind>(kConceptKinds));
  }
  if (r.has("blocked_codes")) t.blocked_codes = r.at("blocked_codes").value().empty() ? std::vector<Coding>{} : read_codings(r.at("blocked_codes"));
  if (r.has("spellings")) {
    t.spellings.clear();
    for (const Node& n : r.at("spellings").array(true)) {
      n.expect_object({"written", "read", "at_word_start", "at_word_end"});
      n.require("written");
      n.require("read");
      SpellingRule rule;
      // Compared with a word's normal form: small ASCII letters only.
      auto letters = [](const Node& part) {
        std::string s = part.string();
        if (s.empty() || s.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos)
          part.fail("must be small ASCII letters (a word part as the matcher reads it)");
        return s;
      };
      rule.written = letters(n.at("written"));
      rule.read = letters(n.at("read"));
      if (n.has("at_word_start")) rule.at_word_start = n.at("at_word_start").boolean();
      if (n.has("at_word_end")) rule.at_word_end = n.at("at_word_end").boolean();
      t.spellings.push_back(std::move(rule));
    }
  }
  check_run_time_rules(set, r, before);
  t.origin = r.origin();
}

void read_demographics(MappingSet& set, const Node& d) {
  d.expect_object({"male", "female", "age_codes"});
  if (d.has("male")) set.demographics.male_terms = read_terms(d.at("male"));
  if (d.has("female")) set.demographics.female_terms = read_terms(d.at("female"));
  if (d.has("age_codes")) set.demographics.age_codes = read_codings(d.at("age_codes"));
  set.demographics.origin = d.origin();
}

}  // namespace

std::string mapping_text(const MappingSource& source) {
  const bool gzipped = source.name.ends_with(".gz") ||
                       (source.json.size() >= 2 && static_cast<unsigned char>(source.json[0]) == 0x1F &&
                        static_cast<unsigned char>(source.json[1]) == 0x8B);
  if (!gzipped) return source.json;
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    throw Error(ErrorKind::mapping_invalid, Location{source.name, 0, 0, {}}, "cannot start gunzip");
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(source.json.data()));
  z.avail_in = static_cast<uInt>(source.json.size());
  int rc = Z_OK;
  char buffer[1 << 16];
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buffer, sizeof buffer - z.avail_out);
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;   // input ended before the stream did
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END)
    throw Error(ErrorKind::mapping_invalid, Location{source.name, 0, 0, {}}, "is not a complete gzip file (truncated or damaged)");
  return out;
}

void merge_source(MappingSet& set, const MappingSource& source) {
  const std::string text = mapping_text(source);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann reports a byte position; turn it into line and column.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') { ++line; column = 1; }
      else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    }
    std::string reason = e.what();
    if (const auto pos = reason.find("syntax error"); pos != std::string::npos) reason = reason.substr(pos);
    throw Error(ErrorKind::mapping_invalid, Location{source.name, line, column, {}}, "not valid JSON: " + reason);
  }
  const Node root(doc, "", source.name);
  root.expect_object({"$schema", "description", "sources", "concepts", "analytes", "units", "laterality", "methods", "triggers",
                      "sections", "resources", "demographics", "observation_values", "interpretations", "term_rules",
                      "excluded_codes", "measured_findings", "word_lists"});
  if (doc.empty()) root.fail("the file defines nothing (expected keys such as \"concepts\" or \"triggers\")");
  // Identifiers must be unique within one file, per collection; concepts and analytes share one.
  std::unordered_map<std::string, std::string> concept_ids, method_ids, laterality_ids, unit_codes, trigger_ids,
      section_ids, resource_kinds, interpretation_codes, source_ids, word_list_ids;
  if (root.has("sources")) read_sources(set, root.at("sources"), source_ids);
  if (root.has("term_rules")) read_term_rules(set, root.at("term_rules"));
  if (root.has("excluded_codes")) {
    for (const Node& e : root.at("excluded_codes").array(true)) {
      e.expect_object({"system", "code", "why"});
      e.require("system");
      e.require("code");
      set.excluded_codes[e.at("system").string() + "|" + e.at("code").string()] = e.has("why") ? e.at("why").string() : std::string();
    }
  }
  if (root.has("concepts")) read_concepts(set, root.at("concepts"), concept_ids);
  if (root.has("analytes")) read_analytes(set, root.at("analytes"), concept_ids);
  if (root.has("methods")) read_methods(set, root.at("methods"), method_ids);
  if (root.has("laterality")) read_laterality(set, root.at("laterality"), laterality_ids);
  if (root.has("units")) read_units(set, root.at("units"), unit_codes);
  if (root.has("triggers")) read_triggers(set, root.at("triggers"), trigger_ids);
  if (root.has("sections")) read_sections(set, root.at("sections"), section_ids);
  if (root.has("resources")) read_resources(set, root.at("resources"), resource_kinds);
  if (root.has("demographics")) read_demographics(set, root.at("demographics"));
  if (root.has("observation_values")) read_observation_values(set, root.at("observation_values"));
  if (root.has("interpretations")) read_interpretations(set, root.at("interpretations"), interpretation_codes);
  if (root.has("word_lists")) read_word_lists(set, root.at("word_lists"), word_list_ids);
  if (root.has("measured_findings")) {
    for (const Node& e : root.at("measured_findings").array(true)) {
      e.expect_object({"analyte", "findings"});
      e.require("analyte");
      e.require("findings");
      const std::string analyte = e.at("analyte").string();
      for (const Node& f : e.at("findings").array(true)) {
        const std::string finding = f.string();
        std::erase_if(set.measured_findings, [&](const auto& x) { return x.first == finding; });
        set.measured_findings.emplace_back(finding, analyte);
      }
    }
  }
  // What a compiled dictionary carries of this file: everything but its concepts, which it compiles.
  if (!set.keep_rule_sources) return;
  doc.erase("concepts");
  doc.erase("analytes");
  doc.erase("excluded_codes");   // only a merge reads them
  doc.erase("$schema");
  doc.erase("description");
  if (!doc.empty()) {
    std::string name = source.name;
    if (name.ends_with(".gz")) name.resize(name.size() - 3);
    set.rule_sources.push_back(MappingSource{std::move(name), doc.dump()});
  }
}

void check_complete(const MappingSet& set, const std::string& what) {
  std::unordered_map<std::string, std::string> spelling_owner;
  for (const UnitSpelling& u : set.units) {
    for (const std::string& s : u.spellings) {
      std::string key;
      for (char c : s) key.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      auto [it, fresh] = spelling_owner.emplace(key, u.code);
      if (!fresh && it->second != u.code)
        throw Error(ErrorKind::mapping_invalid, Location{what, 0, 0, "/units"},
                    "unit spelling \"" + s + "\" is given for both " + it->second + " and " + u.code);
    }
  }
  for (ConceptKind kind : {ConceptKind::disorder, ConceptKind::finding, ConceptKind::procedure, ConceptKind::body_structure,
                           ConceptKind::lab}) {
    const bool present = std::any_of(set.resources.begin(), set.resources.end(),
                                     [&](const ResourceRule& r) { return r.kind == kind; });
    if (!present)
      throw Error(ErrorKind::mapping_invalid, Location{what, 0, 0, "/resources"},
                  "no resource rule for kind \"" + std::string(to_string(kind)) + "\"");
  }
  if (!set.observation_values.present || !set.observation_values.absent)
    throw Error(ErrorKind::mapping_invalid, Location{what, 0, 0, "/observation_values"},
                "\"present\" and \"absent\" codings are required");
  if (set.demographics.age_codes.empty())
    throw Error(ErrorKind::mapping_invalid, Location{what, 0, 0, "/demographics"},
                "no \"age_codes\" for the age observation");
  for (const auto& [id, _] : kWordListIds)
    if (!set.word_list_index.contains(std::string(id)))
      throw Error(ErrorKind::mapping_invalid, Location{what, 0, 0, "/word_lists"},
                  "no word list \"" + std::string(id) + "\" (mappings/README.md, \"Word lists\"; a dictionary compiled before "
                  "word lists existed must be compiled again)");
}

std::string_view to_string(WordList list) {
  for (const auto& [id, l] : kWordListIds)
    if (l == list) return id;
  return {};
}

std::optional<WordList> word_list_named(std::string_view id) {
  for (const auto& [name, l] : kWordListIds)
    if (name == id) return l;
  return std::nullopt;
}

}  // namespace casefhir::mapping
