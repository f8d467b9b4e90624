// mapping/mappings.cpp — Mappings: a compiled dictionary (the base) with mapping files layered on
// top, compiled into the phrase indexes that the text pipeline matches against.
#include <algorithm>
#include <atomic>
#include <cstring>

#include "casefhir/errors.h"
#include "casefhir/mapping.h"
#include "mapping/compiled.h"
#include "mapping/embedded.h"
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

CompiledMappings::CompiledMappings(std::shared_ptr<const mapping::Dictionary> base_dictionary)
    : generation(next_generation()),
      base(std::move(base_dictionary)),
      overlay(mapping::Dictionary::empty()),
      vocabulary(&base->words()),
      exact_vocabulary(&base->exact_words()) {}

void CompiledMappings::look_up(std::string_view text, std::vector<nlp::Token>& tokens) const {
  thread_local std::string norm;
  thread_local LookupCache cache;
  if (cache.owner != this || cache.generation != generation) {
    cache.owner = this;
    cache.generation = generation;
    cache.entries.assign(LookupCache::kSize, LookupCache::Entry{});
  }
  const bool any_exact = exact_vocabulary.size() != 0;
  for (nlp::Token& t : tokens) {
    const std::string_view raw = text.substr(t.span.begin, t.span.size());
    if (t.is(nlp::kPunct)) {
      const auto c = static_cast<unsigned char>(t.punct);
      if (c < punct_terms.size()) {
        t.term = punct_terms[c];
      } else {
        norm.assign(1, t.punct);
        t.term = vocabulary.find(norm);
      }
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
    if (any_exact) t.abbrev = exact_vocabulary.find(raw);
    if (slot) {
      slot->length = static_cast<std::uint8_t>(raw.size());
      std::memcpy(slot->word, raw.data(), raw.size());
      slot->term = t.term;
      slot->abbrev = t.abbrev;
    }
  }
}

std::optional<std::uint32_t> CompiledMappings::find_concept(std::string_view id) const {
  if (const auto i = overlay->find(id)) return static_cast<std::uint32_t>(base->concept_count()) + *i;
  if (const auto i = base->find(id); i && !(any_hidden && hidden[*i])) return *i;
  return std::nullopt;
}

bool CompiledMappings::match_concept(std::span<const nlp::Token> tokens, std::size_t i, std::size_t limit,
                                     ConceptMatch& match) const {
  bool found = false;
  // The first payload of a state that may be used: a blocked phrase, or a concept not hidden and
  // not named in small letters where the report writes capitals.
  const bool capitals = tokens[i].is(nlp::kAllCaps);
  auto usable = [&](std::span<const std::uint32_t> payloads, bool in_base, std::uint32_t& out) {
    for (const std::uint32_t p : payloads) {
      const std::uint32_t local = p & mapping::kConceptMask;
      if (in_base && local != mapping::kNotAConcept && any_hidden && hidden[local]) continue;
      if (capitals && (p & mapping::kNotInCapitals)) continue;
      out = p;
      return true;
    }
    return false;
  };
  // Layers in order of preference: a later candidate wins only by being longer.
  auto consider = [&](const nlp::PhraseIndex& index, bool in_base, bool abbreviation) {
    nlp::PhraseIndex::Match m;
    if (!index.longest(tokens, i, limit, m)) return;
    std::uint32_t payload = 0;
    if (!usable(index.payloads(m), in_base, payload)) {
      // Every concept of the longest term is hidden: a shorter term may still name one.
      nlp::PhraseIndex::Match ends[8];
      const std::size_t n = index.all_ends(tokens, i, limit, ends, 8);
      bool any = false;
      for (std::size_t k = 0; k < n && !any; ++k)
        if (ends[k].end < m.end && usable(index.payloads(ends[k]), in_base, payload)) {
          m = ends[k];
          any = true;
        }
      if (!any) return;
    }
    if (found && m.end <= match.end) return;
    const std::uint32_t local = payload & mapping::kConceptMask;
    match.end = m.end;
    match.concept_index = local == mapping::kNotAConcept ? mapping::kNotAConcept
                          : in_base                      ? local
                                                         : static_cast<std::uint32_t>(base->concept_count()) + local;
    match.term_flags = payload & ~mapping::kConceptMask;
    match.abbreviation = abbreviation;
    found = true;
  };
  consider(overlay->terms(), false, false);
  consider(overlay->abbreviations(), false, true);
  consider(base->terms(), true, false);
  consider(base->abbreviations(), true, true);
  return found;
}

const SectionRule* CompiledMappings::section_rule(std::string_view role) const {
  const auto it = set.section_index.find(std::string(role));
  return it == set.section_index.end() ? nullptr : &set.sections[it->second];
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

// Compiles the layers: the set's concepts into an overlay dictionary on the base, the rules into
// phrase indexes.
std::shared_ptr<const CompiledMappings> compile(mapping::MappingSet set, std::shared_ptr<const mapping::Dictionary> base) {
  mapping::check_complete(set);
  auto c = std::make_shared<CompiledMappings>(std::move(base));
  c->set = std::move(set);
  const auto& s = c->set;
  auto overlay_bytes = std::make_shared<std::string>(mapping::build_dictionary(
      {s.concepts, s.term_rules, {}, c->vocabulary, c->exact_vocabulary, /*standalone=*/false}));
  c->overlay = mapping::Dictionary::from_memory(*overlay_bytes, "mapping files", overlay_bytes);
  if (!s.hidden_base_ids.empty()) {
    c->hidden.assign(c->base->concept_count(), false);
    for (const std::string& id : s.hidden_base_ids)
      if (const auto i = c->base->find(id)) c->hidden[*i] = c->any_hidden = true;
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
  for (nlp::PhraseIndex* index : {&c->interpretation_terms, &c->method_terms, &c->laterality_terms, &c->trigger_terms,
                                  &c->heading_terms, &c->sex_terms, &c->unit_terms})
    index->compile();
  c->punct_terms.resize(128);
  for (std::size_t p = 0; p < 128; ++p) c->punct_terms[p] = c->vocabulary.find(std::string(1, static_cast<char>(p)));
  return c;
}

std::string read_mapping_file(const std::filesystem::path& path) {
  auto content = readers::read_file(path);
  if (!content) throw Error(ErrorKind::mapping_invalid, Location{path.string(), 0, 0, {}}, "cannot be read");
  return std::move(*content);
}

bool is_mapping_file(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  return name.ends_with(".json") || name.ends_with(".json.gz");
}

// A mapping file, or every mapping file in a folder (recursively, in sorted path order).
std::vector<MappingSource> folder_sources(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(folder, ec) && is_mapping_file(folder)) return {{folder.string(), read_mapping_file(folder)}};
  if (!fs::is_directory(folder, ec))
    throw Error(ErrorKind::mapping_invalid, Location{folder.string(), 0, 0, {}},
                "is not a mapping file (*.json, *.json.gz) or a folder of them");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    // The JSON Schema of the format sits beside the default files; it is not a mapping file.
    if (it->is_directory() && it->path().filename() == "schema") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && is_mapping_file(it->path())) files.push_back(it->path());
  }
  if (ec) throw Error(ErrorKind::mapping_invalid, Location{folder.string(), 0, 0, {}}, "cannot be listed: " + ec.message());
  if (files.empty())
    throw Error(ErrorKind::mapping_invalid, Location{folder.string(), 0, 0, {}}, "contains no *.json mapping files");
  std::sort(files.begin(), files.end());
  std::vector<MappingSource> sources;
  for (const auto& f : files) sources.push_back({f.string(), read_mapping_file(f)});
  return sources;
}

std::shared_ptr<const mapping::Dictionary> default_dictionary() {
  static const std::shared_ptr<const mapping::Dictionary> d = [] {
    const std::string_view bytes = mapping::embedded_dictionary();
    return bytes.empty() ? mapping::Dictionary::empty() : mapping::Dictionary::built_in(bytes);
  }();
  return d;
}

// The set a base dictionary starts from: its rules, and a way to ask for its concepts' ids.
mapping::MappingSet set_on(const std::shared_ptr<const mapping::Dictionary>& base) {
  mapping::MappingSet set;
  for (const MappingSource& s : base->rule_sources()) mapping::merge_source(set, s);
  const mapping::Dictionary* d = base.get();
  set.base_has = [d](std::string_view id) { return d->find(id).has_value(); };
  return set;
}

}  // namespace

std::vector<MappingSource> mapping::read_mapping_sources(const std::filesystem::path& file_or_folder) {
  return folder_sources(file_or_folder);
}

Mappings Mappings::from_options(const MappingOptions& options) {
  std::shared_ptr<const mapping::Dictionary> base = !options.dictionary.empty() ? mapping::Dictionary::open(options.dictionary)
                                                    : options.with_defaults     ? default_dictionary()
                                                                                : mapping::Dictionary::empty();
  mapping::MappingSet set = set_on(base);
  for (const auto& folder : options.folders)
    for (const auto& source : folder_sources(folder)) mapping::merge_source(set, source);
  Mappings m;
  m.compiled_ = compile(std::move(set), std::move(base));
  return m;
}

Mappings Mappings::load(const std::vector<std::filesystem::path>& folders, bool with_defaults) {
  MappingOptions options;
  options.folders = folders;
  options.with_defaults = with_defaults;
  return from_options(options);
}

Mappings Mappings::from_sources(const std::vector<MappingSource>& sources, bool with_defaults) {
  auto base = with_defaults ? default_dictionary() : mapping::Dictionary::empty();
  mapping::MappingSet set = set_on(base);
  for (const auto& source : sources) mapping::merge_source(set, source);
  Mappings m;
  m.compiled_ = compile(std::move(set), std::move(base));
  return m;
}

Mappings Mappings::extended(const std::vector<MappingSource>& sources) const {
  mapping::MappingSet set = compiled_->set;
  const mapping::Dictionary* d = compiled_->base.get();
  set.base_has = [d](std::string_view id) { return d->find(id).has_value(); };
  for (const auto& source : sources) mapping::merge_source(set, source);
  Mappings m;
  m.compiled_ = compile(std::move(set), compiled_->base);
  return m;
}

std::string compile_dictionary(const std::vector<std::filesystem::path>& folders, bool with_defaults) {
  mapping::MappingSet set;
  if (with_defaults)
    for (const auto& file : mapping::embedded_sources()) mapping::merge_source(set, {file.path, std::string(file.bytes)});
  for (const auto& folder : folders)
    for (const auto& source : folder_sources(folder)) mapping::merge_source(set, source);
  mapping::check_complete(set);
  nlp::Vocabulary words, exact;
  return mapping::build_dictionary({set.concepts, set.term_rules, set.rule_sources, words, exact, /*standalone=*/true});
}

std::size_t Mappings::concept_count() const { return compiled_->concept_count(); }
Concept Mappings::concept_at(std::size_t index) const {
  // The mapping files' own entries (the overlay, in the same order) still have their terms and origin.
  const std::size_t in_base = compiled_->base->concept_count();
  if (index >= in_base) return compiled_->set.concepts.at(index - in_base);
  return compiled_->concept_at(static_cast<std::uint32_t>(index)).to_concept();
}
std::optional<Concept> Mappings::find_concept(std::string_view id) const {
  const auto i = compiled_->find_concept(id);
  if (!i) return std::nullopt;
  return concept_at(*i);
}
const std::vector<Concept>& Mappings::methods() const { return compiled_->set.methods; }
const std::vector<Concept>& Mappings::laterality() const { return compiled_->set.laterality; }
const std::vector<UnitSpelling>& Mappings::units() const { return compiled_->set.units; }
const std::vector<ContextTrigger>& Mappings::triggers() const { return compiled_->set.triggers; }
const std::vector<SectionRule>& Mappings::sections() const { return compiled_->set.sections; }
const std::vector<ResourceRule>& Mappings::resource_rules() const { return compiled_->set.resources; }
const Demographics& Mappings::demographics() const { return compiled_->set.demographics; }
const ObservationValues& Mappings::observation_values() const { return compiled_->set.observation_values; }
const std::vector<InterpretationTerms>& Mappings::interpretations() const { return compiled_->set.interpretations; }
const std::vector<SourceInfo>& Mappings::sources() const { return compiled_->set.sources; }

const ResourceRule* Mappings::rule_for(ConceptKind kind) const { return compiled_->resource_rule(kind); }
const SectionRule* Mappings::section_rule(std::string_view role) const { return compiled_->section_rule(role); }

std::string_view to_string(ConceptKind kind) {
  switch (kind) {
    case ConceptKind::disorder: return "disorder";
    case ConceptKind::finding: return "finding";
    case ConceptKind::procedure: return "procedure";
    case ConceptKind::body_structure: return "body-structure";
    case ConceptKind::lab: return "lab";
    case ConceptKind::morphology: return "morphology";
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
