// mapping/mappings.cpp — Mappings: layers mapping files (defaults, then user folders), then
// compiles the phrase indexes that the text pipeline matches against.
#include <algorithm>
#include <atomic>
#include <cstring>

#include "casefhir/errors.h"
#include "casefhir/mapping.h"
#include "mapping/compiled.h"
#include "mapping/embedded_mappings.h"
#include "readers/file.h"

namespace casefhir {

namespace detail {

std::vector<std::uint32_t> CompiledMappings::term_ids(std::string_view term, bool intern) {
  std::vector<nlp::Token> tokens;
  nlp::tokenize(term, Span{0, static_cast<std::uint32_t>(term.size())}, tokens);
  std::vector<std::uint32_t> ids;
  std::string norm;
  for (const nlp::Token& t : tokens) {
    // Connectors inside a term are skipped, as the matcher skips them; a leading one is kept
    // ("/mm3", "-ve"), because the matcher starts on it.
    if (nlp::is_connector(t) && !ids.empty()) continue;
    if (t.is(nlp::kPunct)) norm.assign(1, t.punct);
    else nlp::normalize_word(term.substr(t.span.begin, t.span.size()), norm);
    ids.push_back(intern ? vocabulary.intern(norm) : vocabulary.find(norm));
  }
  return ids;
}

namespace {

// Words repeat ("the", "patient", "was"): a small direct-mapped cache, per thread and per
// CompiledMappings, saves normalizing and looking up the same word again. Measured: the lookups
// were a tenth of conversion time before it.
struct LookupCache {
  static constexpr std::size_t kSize = 4096;
  static constexpr std::size_t kMaxWord = 22;
  struct Entry {
    std::uint8_t length = 0xFF;   // 0xFF: empty
    char word[kMaxWord];
    std::uint32_t term;
    std::uint32_t abbrev;
  };
  const CompiledMappings* owner = nullptr;
  std::uint64_t generation = 0;
  std::vector<Entry> entries;
};

std::uint64_t next_generation() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

}  // namespace

CompiledMappings::CompiledMappings() : generation(next_generation()) {}

void CompiledMappings::look_up(std::string_view text, std::vector<nlp::Token>& tokens) const {
  thread_local std::string norm;
  thread_local LookupCache cache;
  if (cache.owner != this || cache.generation != generation) {
    cache.owner = this;
    cache.generation = generation;
    cache.entries.assign(LookupCache::kSize, LookupCache::Entry{});
  }
  for (nlp::Token& t : tokens) {
    const std::string_view raw = text.substr(t.span.begin, t.span.size());
    if (t.is(nlp::kPunct)) {
      norm.assign(1, t.punct);
      t.term = vocabulary.find(norm);
      continue;
    }
    LookupCache::Entry* slot = nullptr;
    if (raw.size() <= LookupCache::kMaxWord) {
      slot = &cache.entries[nlp::hash_bytes(raw) & (LookupCache::kSize - 1)];
      if (slot->length == raw.size() && std::memcmp(slot->word, raw.data(), raw.size()) == 0) {
        t.term = slot->term;
        t.abbrev = slot->abbrev;
        continue;
      }
    }
    nlp::normalize_word(raw, norm);
    t.term = vocabulary.find(norm);
    if (exact_vocabulary.size() != 0) t.abbrev = exact_vocabulary.find(raw);
    if (slot) {
      slot->length = static_cast<std::uint8_t>(raw.size());
      std::memcpy(slot->word, raw.data(), raw.size());
      slot->term = t.term;
      slot->abbrev = t.abbrev;
    }
  }
}

const SectionRule* CompiledMappings::section_rule(std::string_view role) const {
  for (const auto& s : set.sections)
    if (s.id == role) return &s;
  return nullptr;
}

const ResourceRule* CompiledMappings::resource_rule(ConceptKind kind) const {
  for (const auto& r : set.resources)
    if (r.kind == kind) return &r;
  return nullptr;
}

}  // namespace detail

namespace {

using detail::CompiledMappings;

void add_terms(CompiledMappings& c, nlp::PhraseIndex& index, const std::vector<std::string>& terms, std::uint32_t payload) {
  for (const std::string& term : terms) {
    const auto ids = c.term_ids(term, true);
    index.add(ids, payload);
  }
}

std::shared_ptr<const CompiledMappings> compile(mapping::MappingSet set) {
  mapping::check_complete(set);
  auto c = std::make_shared<CompiledMappings>();
  c->set = std::move(set);
  const auto& s = c->set;
  for (std::size_t i = 0; i < s.concepts.size(); ++i) {
    const Concept& entry = s.concepts[i];
    c->concept_by_id.emplace(entry.id, i);
    add_terms(*c, c->concept_terms, entry.terms, static_cast<std::uint32_t>(i));
    add_terms(*c, c->concept_terms, entry.not_in, detail::kNotAConcept);
    for (const std::string& a : entry.abbreviations) {
      std::vector<nlp::Token> tokens;
      nlp::tokenize(a, Span{0, static_cast<std::uint32_t>(a.size())}, tokens);
      std::vector<std::uint32_t> ids;
      for (const nlp::Token& t : tokens)
        if (!nlp::is_connector(t)) ids.push_back(c->exact_vocabulary.intern(std::string_view(a).substr(t.span.begin, t.span.size())));
      c->concept_abbreviations.add(ids, static_cast<std::uint32_t>(i));
    }
  }
  for (std::size_t i = 0; i < s.methods.size(); ++i)
    add_terms(*c, c->method_terms, s.methods[i].terms, static_cast<std::uint32_t>(i));
  for (std::size_t i = 0; i < s.laterality.size(); ++i)
    add_terms(*c, c->laterality_terms, s.laterality[i].terms, static_cast<std::uint32_t>(i));
  c->trigger_followers.resize(s.triggers.size());
  for (std::size_t i = 0; i < s.triggers.size(); ++i) {
    add_terms(*c, c->trigger_terms, s.triggers[i].terms, static_cast<std::uint32_t>(i));
    for (const std::string& word : s.triggers[i].unless_followed_by)
      for (const std::uint32_t id : c->term_ids(word, true)) c->trigger_followers[i].push_back(id);
  }
  for (std::size_t i = 0; i < s.sections.size(); ++i)
    add_terms(*c, c->heading_terms, s.sections[i].headings, static_cast<std::uint32_t>(i));
  add_terms(*c, c->sex_terms, s.demographics.male_terms, detail::kMale);
  add_terms(*c, c->sex_terms, s.demographics.female_terms, detail::kFemale);
  for (std::size_t i = 0; i < s.units.size(); ++i) {
    add_terms(*c, c->unit_terms, s.units[i].spellings, static_cast<std::uint32_t>(i));
    add_terms(*c, c->unit_terms, {s.units[i].code}, static_cast<std::uint32_t>(i));
  }
  for (std::size_t i = 0; i < s.interpretations.size(); ++i)
    add_terms(*c, c->interpretation_terms, s.interpretations[i].terms, static_cast<std::uint32_t>(i));
  for (nlp::PhraseIndex* index : {&c->interpretation_terms, &c->concept_terms, &c->concept_abbreviations, &c->method_terms, &c->laterality_terms,
                                  &c->trigger_terms, &c->heading_terms, &c->sex_terms, &c->unit_terms})
    index->compile();
  return c;
}

std::string read_mapping_file(const std::filesystem::path& path) {
  auto content = readers::read_file(path);
  if (!content) throw Error(ErrorKind::mapping_invalid, Location{path.string(), 0, 0, {}}, "cannot be read");
  return std::move(*content);
}

std::vector<MappingSource> folder_sources(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw Error(ErrorKind::mapping_invalid, Location{folder.string(), 0, 0, {}}, "is not a folder of mapping files");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) throw Error(ErrorKind::mapping_invalid, Location{folder.string(), 0, 0, {}}, "cannot be listed: " + ec.message());
  if (files.empty())
    throw Error(ErrorKind::mapping_invalid, Location{folder.string(), 0, 0, {}}, "contains no *.json mapping files");
  std::sort(files.begin(), files.end());
  std::vector<MappingSource> sources;
  for (const auto& f : files) sources.push_back({f.string(), read_mapping_file(f)});
  return sources;
}

mapping::MappingSet default_set() {
  mapping::MappingSet set;
  for (const auto& file : mapping::embedded_mapping_files()) mapping::merge_source(set, {file.path, file.text});
  return set;
}

}  // namespace

Mappings Mappings::from_sources(const std::vector<MappingSource>& sources, bool with_defaults) {
  mapping::MappingSet set = with_defaults ? default_set() : mapping::MappingSet{};
  for (const auto& source : sources) mapping::merge_source(set, source);
  Mappings m;
  m.compiled_ = compile(std::move(set));
  return m;
}

Mappings Mappings::load(const std::vector<std::filesystem::path>& folders, bool with_defaults) {
  std::vector<MappingSource> sources;
  for (const auto& folder : folders) {
    auto more = folder_sources(folder);
    sources.insert(sources.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return from_sources(sources, with_defaults);
}

Mappings Mappings::extended(const std::vector<MappingSource>& sources) const {
  mapping::MappingSet set = compiled_->set;
  for (const auto& source : sources) mapping::merge_source(set, source);
  Mappings m;
  m.compiled_ = compile(std::move(set));
  return m;
}

const Concept* Mappings::find_concept(std::string_view id) const {
  const auto it = compiled_->concept_by_id.find(std::string(id));
  return it == compiled_->concept_by_id.end() ? nullptr : &compiled_->set.concepts[it->second];
}
const std::vector<Concept>& Mappings::concepts() const { return compiled_->set.concepts; }
const std::vector<Concept>& Mappings::methods() const { return compiled_->set.methods; }
const std::vector<Concept>& Mappings::laterality() const { return compiled_->set.laterality; }
const std::vector<UnitSpelling>& Mappings::units() const { return compiled_->set.units; }
const std::vector<ContextTrigger>& Mappings::triggers() const { return compiled_->set.triggers; }
const std::vector<SectionRule>& Mappings::sections() const { return compiled_->set.sections; }
const std::vector<ResourceRule>& Mappings::resource_rules() const { return compiled_->set.resources; }
const Demographics& Mappings::demographics() const { return compiled_->set.demographics; }
const ObservationValues& Mappings::observation_values() const { return compiled_->set.observation_values; }
const std::vector<InterpretationTerms>& Mappings::interpretations() const { return compiled_->set.interpretations; }

const ResourceRule* Mappings::rule_for(ConceptKind kind) const { return compiled_->resource_rule(kind); }
const SectionRule* Mappings::section_rule(std::string_view role) const { return compiled_->section_rule(role); }

std::string_view to_string(ConceptKind kind) {
  switch (kind) {
    case ConceptKind::disorder: return "disorder";
    case ConceptKind::finding: return "finding";
    case ConceptKind::procedure: return "procedure";
    case ConceptKind::body_structure: return "body-structure";
    case ConceptKind::lab: return "lab";
    case ConceptKind::method: return "method";
    case ConceptKind::laterality: return "laterality";
  }
  return "unknown";
}

std::string_view to_string(ResourceType type) {
  switch (type) {
    case ResourceType::none: return "none";
    case ResourceType::Condition: return "Condition";
    case ResourceType::Observation: return "Observation";
    case ResourceType::Procedure: return "Procedure";
    case ResourceType::FamilyMemberHistory: return "FamilyMemberHistory";
  }
  return "none";
}

}  // namespace casefhir
