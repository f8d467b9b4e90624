// mapping/mappings.cpp — Mappings: a compiled dictionary (the base) with mapping files layered on
// top, compiled into the phrase indexes that the text pipeline matches against.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "casefhir/errors.h"
#include "casefhir/mapping.h"
#include "mapping/compiled.h"
#include "mapping/embedded.h"
#include "mapping/term_ids.h"
#include "readers/file.h"

namespace casefhir {

namespace detail {

std::vector<std::uint32_t> CompiledMappings::term_ids(std::string_view term, bool intern) {
  return mapping::term_ids(term, vocabulary, intern, respeller);
}

namespace {

// Words repeat ("the", "patient", "was"): a small direct-mapped cache, per thread and per
// CompiledMappings, saves normalizing and looking up the same word again. Measured: the lookups
// were a tenth of conversion time before it. 16,384 entries (512 KB per thread): with the full
// vocabulary's spellings and words, 4,096 missed often enough that respelling misses cost 7 % of
// the text pipeline's instructions; the larger cache saved 5 % of them and 5 % of wall time for one
// job over the MACCROBAT texts (2026-12-07; 1.4 % of instructions and no wall time, on 2026-11-23).
struct LookupCache {
  static constexpr std::size_t kSize = 16384;
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
    const std::uint64_t raw_hash = nlp::hash_bytes(raw);   // for the cache and the exact forms
    if (raw.size() <= LookupCache::kMaxWord) {
      slot = &cache.entries[raw_hash & (LookupCache::kSize - 1)];
      if (slot->length == raw.size() && std::memcmp(slot->word, raw.data(), raw.size()) == 0) {
        t.term = slot->term;
        t.abbrev = slot->abbrev;
        continue;
      }
    }
    nlp::normalize_word(raw, norm);
    respeller.apply(norm);
    t.term = vocabulary.find(norm);
    if (any_exact) t.abbrev = exact_vocabulary.find(raw, raw_hash);
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
  if (const auto i = base->find(id); i && !is_hidden(*i)) return *i;
  return std::nullopt;
}

std::uint32_t CompiledMappings::visible_at(std::uint32_t n) const {
  const auto in_base = static_cast<std::uint32_t>(base->concept_count() - removed.size());
  if (n >= in_base) return static_cast<std::uint32_t>(base->concept_count()) + added.at(n - in_base);
  std::uint32_t b = n;   // the n-th base concept not removed: step over each removed one at or before it
  for (const std::uint32_t r : removed) {
    if (r > b) break;
    ++b;
  }
  return is_hidden(b) ? base_leads_to[b] : b;   // a replaced concept: its replacement
}

std::uint32_t CompiledMappings::resolve(std::uint32_t payload, bool in_base) const {
  const std::uint32_t local = payload & mapping::kConceptMask;
  if (local == mapping::kNotAConcept) return mapping::kNotAConcept;
  const std::vector<std::uint32_t>& leads_to = in_base ? base_leads_to : overlay_leads_to;
  const std::uint32_t global = in_base ? local : static_cast<std::uint32_t>(base->concept_count()) + local;
  if (leads_to.empty() || leads_to[local] == kSelf) return global;
  return leads_to[local];
}

std::uint32_t CompiledMappings::rank(std::uint32_t global_index) const {
  if (global_index == mapping::kNotAConcept) return 0;
  const std::string_view source = concept_at(global_index).source();
  if (source.empty()) return 1;
  const auto& order = set.term_rules.source_precedence;
  return 2 + static_cast<std::uint32_t>(std::find(order.begin(), order.end(), source) - order.begin());
}

bool CompiledMappings::longest_concept(std::span<const nlp::Token> tokens, std::size_t i, std::size_t limit,
                                       ConceptMatch& match) const {
  bool found = false, found_in_base = false;
  // The first payload of a state that may be used: a blocked phrase, or a concept in effect that
  // is not named in small letters where the report writes capitals.
  const bool capitals = tokens[i].is(nlp::kAllCaps);
  auto usable = [&](std::span<const std::uint32_t> payloads, bool in_base, std::uint32_t& payload, std::uint32_t& concept_index) {
    for (const std::uint32_t p : payloads) {
      const std::uint32_t resolved = resolve(p, in_base);
      if (resolved == kRemoved) continue;
      if (capitals && (p & mapping::kNotInCapitals)) continue;
      payload = p;
      concept_index = resolved;
      return true;
    }
    return false;
  };
  // Layers in order of preference (the overlay first): a later candidate wins by being longer, or,
  // from the other layer and as long, by its rank.
  auto consider = [&](const nlp::PhraseIndex& index, bool in_base, bool abbreviation) {
    nlp::PhraseIndex::Match m;
    if (!index.longest(tokens, i, limit, m)) return;
    std::uint32_t payload = 0, concept_index = 0;
    if (!usable(index.payloads(m), in_base, payload, concept_index)) {
      // Every concept of the longest term was removed: a shorter term may still name one.
      nlp::PhraseIndex::Match ends[8];
      const std::size_t n = index.all_ends(tokens, i, limit, ends, 8);
      bool any = false;
      for (std::size_t k = 0; k < n && !any; ++k)
        if (ends[k].end < m.end && usable(index.payloads(ends[k]), in_base, payload, concept_index)) {
          m = ends[k];
          any = true;
        }
      if (!any) return;
    }
    if (found && m.end < match.end) return;
    if (found && m.end == match.end) {
      if (in_base == found_in_base) return;   // one layer: its terms before its abbreviations
      const std::uint32_t mine = rank(concept_index), theirs = rank(match.concept_index);
      if (mine > theirs || (mine == theirs && mapping::scope_of(payload) >= mapping::scope_of(match.term_flags))) return;
    }
    match.end = m.end;
    match.concept_index = concept_index;
    match.term_flags = payload & ~mapping::kConceptMask;
    match.abbreviation = abbreviation;
    found = true;
    found_in_base = in_base;
  };
  // The same four indexes as match_concept's start test (compiled.h).
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


// Where the terms of each layer lead (CompiledMappings::base_leads_to, overlay_leads_to): the
// dictionary's concepts the files replaced or removed, and imported concepts that name a
// hand-written concept of the other layer.
void join_layers(CompiledMappings& c) {
  const mapping::MappingSet& s = c.set;
  const auto n_base = static_cast<std::uint32_t>(c.base->concept_count());
  auto lead = [&](std::vector<std::uint32_t>& leads_to, std::size_t size, std::uint32_t from, std::uint32_t to) {
    if (leads_to.empty()) leads_to.assign(size, CompiledMappings::kSelf);
    leads_to[from] = to;
  };
  for (const std::string& id : s.hidden_base_ids) {
    const auto i = c.base->find(id);
    if (!i) continue;
    c.hidden.push_back(*i);
    const auto replacement = c.overlay->find(id);
    if (!replacement) c.removed.push_back(*i);
    lead(c.base_leads_to, n_base, *i, replacement ? n_base + *replacement : CompiledMappings::kRemoved);
  }
  for (auto* list : {&c.hidden, &c.removed}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  for (std::uint32_t k = 0; k < s.concepts.size(); ++k)
    if (!c.base->find(s.concepts[k].id)) c.added.push_back(k);

  // An imported concept of one layer and a hand-written one of the other that share a concept
  // identifier: the same thing, so the imported one's terms name the hand-written one, when no
  // other hand-written concept claims the code. Only the overlay's codes can join the layers, so
  // the base is scanned only for those (the base's own concepts were joined when it was compiled).
  struct Claim {
    std::uint32_t hand_written = CompiledMappings::kSelf;   // the one hand-written holder (global index)
    bool shared = false;                                     // more than one hand-written concept holds it
  };
  std::unordered_map<std::string, Claim> claims;   // "system|code" of the overlay's identifying codes
  std::unordered_set<std::string_view> codes;      // their codes alone, to scan the base quickly
  auto claim_by = [](Claim& claim, std::uint32_t global) {
    if (claim.hand_written == CompiledMappings::kSelf) claim.hand_written = global;
    else if (claim.hand_written != global) claim.shared = true;
  };
  for (std::size_t k = 0; k < s.concepts.size(); ++k)
    for (const Coding& code : s.concepts[k].codes) {
      if (!mapping::identifies_a_concept(code.system)) continue;
      Claim& claim = claims[code.system + "|" + code.code];
      codes.insert(code.code);
      if (s.concepts[k].source.empty()) claim_by(claim, n_base + static_cast<std::uint32_t>(k));
    }
  if (claims.empty()) return;
  const auto records = c.base->concept_records();
  const auto codings = c.base->codings();
  std::size_t next_hidden = 0;
  std::string key;
  std::vector<std::uint32_t> imported_in_base;   // base imported concepts with one of the codes, ascending
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    while (next_hidden < c.hidden.size() && c.hidden[next_hidden] < i) ++next_hidden;
    if (next_hidden < c.hidden.size() && c.hidden[next_hidden] == i) continue;
    const mapping::ConceptRecord& r = records[i];
    for (std::uint32_t k = 0; k < r.codes_count; ++k) {
      const mapping::CodingRecord& code = codings[r.codes_begin + k];
      if (!codes.contains(c.base->str(code.code))) continue;
      const std::string_view system = c.base->str(code.system);
      if (!mapping::identifies_a_concept(system)) continue;
      key.assign(system).append("|").append(c.base->str(code.code));
      const auto it = claims.find(key);
      if (it == claims.end()) continue;
      if (r.source.length == 0) claim_by(it->second, i);
      else if (imported_in_base.empty() || imported_in_base.back() != i) imported_in_base.push_back(i);
    }
  }
  // An imported concept's first identifying code that exactly one hand-written concept of its kind
  // holds decides, as at compile time. When both are in one layer, its compilation joined them.
  auto kind_of = [&](std::uint32_t global) { return mapping::kind_family(c.concept_at(global).kind()); };
  auto holder = [&](std::string_view system, std::string_view code, ConceptKind kind) -> std::optional<std::uint32_t> {
    if (!mapping::identifies_a_concept(system)) return std::nullopt;
    key.assign(system).append("|").append(code);
    const auto it = claims.find(key);
    if (it == claims.end() || it->second.shared || it->second.hand_written == CompiledMappings::kSelf) return std::nullopt;
    if (kind_of(it->second.hand_written) != mapping::kind_family(kind)) return std::nullopt;
    return it->second.hand_written;
  };
  for (std::size_t k = 0; k < s.concepts.size(); ++k) {
    const Concept& imported = s.concepts[k];
    if (imported.source.empty()) continue;
    for (const Coding& code : imported.codes)
      if (const auto h = holder(code.system, code.code, imported.kind)) {
        if (*h < n_base) lead(c.overlay_leads_to, s.concepts.size(), static_cast<std::uint32_t>(k), *h);
        break;
      }
  }
  for (const std::uint32_t j : imported_in_base) {
    const mapping::ConceptRecord& r = records[j];
    for (std::uint32_t k = 0; k < r.codes_count; ++k) {
      const mapping::CodingRecord& code = codings[r.codes_begin + k];
      if (const auto h = holder(c.base->str(code.system), c.base->str(code.code), static_cast<ConceptKind>(r.kind))) {
        if (*h >= n_base) lead(c.base_leads_to, n_base, j, *h);
        break;
      }
    }
  }
}

// Compiles the layers: the set's concepts into an overlay dictionary on the base, the rules into
// phrase indexes.
std::shared_ptr<const CompiledMappings> compile(mapping::MappingSet set, std::shared_ptr<const mapping::Dictionary> base) {
  std::string layers;
  for (const std::string& name : set.layer_names) layers += (layers.empty() ? "" : ", ") + name;
  try {
    mapping::check_complete(set, layers.empty() ? "mapping files" : layers);
  } catch (const Error& e) {
    if (base != mapping::Dictionary::empty()) throw;
    throw Error(e.kind(), e.where(),
                e.reason() + " (without the default mappings, the files must hold every rule a conversion needs; "
                             "layer them on the defaults or on a dictionary instead)");
  }
  auto c = std::make_shared<CompiledMappings>(std::move(base));
  c->set = std::move(set);
  const auto& s = c->set;
  c->respeller = mapping::respeller_of(s.term_rules);
  auto overlay_bytes = std::make_shared<std::string>(mapping::build_dictionary(
      {s.concepts, s.term_rules, {}, c->vocabulary, c->exact_vocabulary, /*standalone=*/false}));
  c->overlay = mapping::Dictionary::from_memory(*overlay_bytes, "mapping files", overlay_bytes);
  join_layers(*c);
  for (const auto& [finding, analyte] : s.measured_findings) {
    const auto f = c->find_concept(finding);
    const auto an = c->find_concept(analyte);
    if (f && an && c->concept_at(*an).kind() == ConceptKind::lab) c->analyte_measuring[*f] = *an;
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
  for (const mapping::WordListRule& w : s.word_lists)
    c->word_sets[static_cast<std::size_t>(*mapping::word_list_named(w.id))] = nlp::WordSet(w.words);
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

// The set a base dictionary starts from: its rules, and a way to ask for its concepts' ids. An
// error in the rules it carries names the dictionary and the file they were compiled from.
mapping::MappingSet set_on(const std::shared_ptr<const mapping::Dictionary>& base, std::string layer_name) {
  mapping::MappingSet set;
  for (const MappingSource& s : base->rule_sources()) {
    try {
      mapping::merge_source(set, s);
    } catch (const Error& e) {
      Location where = e.where();
      where.file = base->name() + ", compiled from " + where.file;
      throw Error(e.kind(), where, e.reason() + " (compile the dictionary again)");
    }
  }
  const mapping::Dictionary* d = base.get();
  set.base_has = [d](std::string_view id) { return d->find(id).has_value(); };
  for (const mapping::ConceptRecord& r : base->concept_records())
    if (r.source.length != 0) {
      set.rules_compiled_into = base == default_dictionary() ? "the built-in dictionary" : "the dictionary " + base->name();
      break;
    }
  if (!layer_name.empty()) set.layer_names.push_back(std::move(layer_name));
  return set;
}

void merge_sources(mapping::MappingSet& set, const std::vector<MappingSource>& sources, std::string layer_name) {
  for (const auto& source : sources) mapping::merge_source(set, source);
  set.layer_names.push_back(std::move(layer_name));
}

}  // namespace

std::vector<MappingSource> mapping::read_mapping_sources(const std::filesystem::path& file_or_folder) {
  return folder_sources(file_or_folder);
}

Mappings Mappings::from_options(const MappingOptions& options) {
  std::shared_ptr<const mapping::Dictionary> base = !options.dictionary.empty() ? mapping::Dictionary::open(options.dictionary)
                                                    : options.with_defaults     ? default_dictionary()
                                                                                : mapping::Dictionary::empty();
  mapping::MappingSet set = set_on(base, !options.dictionary.empty() ? options.dictionary.string()
                                         : options.with_defaults     ? "the default mappings"
                                                                     : "");
  for (const auto& folder : options.folders) merge_sources(set, folder_sources(folder), folder.string());
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
  mapping::MappingSet set = set_on(base, with_defaults ? "the default mappings" : "");
  for (const auto& source : sources) merge_sources(set, {source}, source.name);
  Mappings m;
  m.compiled_ = compile(std::move(set), std::move(base));
  return m;
}

Mappings Mappings::extended(const std::vector<MappingSource>& sources) const {
  mapping::MappingSet set = compiled_->set;
  const mapping::Dictionary* d = compiled_->base.get();
  set.base_has = [d](std::string_view id) { return d->find(id).has_value(); };
  for (const auto& source : sources) merge_sources(set, {source}, source.name);
  Mappings m;
  m.compiled_ = compile(std::move(set), compiled_->base);
  return m;
}

std::string compile_dictionary(const std::vector<std::filesystem::path>& folders, bool with_defaults) {
  mapping::MappingSet set;
  set.keep_rule_sources = true;
  if (with_defaults)
    for (const auto& file : mapping::embedded_sources()) mapping::merge_source(set, {file.path, std::string(file.bytes)});
  for (const auto& folder : folders)
    for (const auto& source : folder_sources(folder)) mapping::merge_source(set, source);
  std::string layers;
  if (with_defaults) layers = "the default mappings";
  for (const auto& folder : folders) layers += (layers.empty() ? "" : ", ") + folder.string();
  mapping::check_complete(set, layers.empty() ? "mapping files" : layers);
  nlp::Vocabulary words, exact;
  return mapping::build_dictionary({set.concepts, set.term_rules, set.rule_sources, words, exact, /*standalone=*/true});
}

namespace {

// A concept by global index, as a copy: the mapping files' own entries (the overlay, in the same
// order) still have their terms and origin.
Concept concept_copy(const CompiledMappings& c, std::uint32_t global) {
  const std::size_t in_base = c.base->concept_count();
  if (global >= in_base) return c.set.concepts.at(global - in_base);
  return c.concept_at(global).to_concept();
}

}  // namespace

std::size_t Mappings::concept_count() const { return compiled_->visible_count(); }
Concept Mappings::concept_at(std::size_t index) const {
  if (index >= compiled_->visible_count()) throw std::out_of_range("Mappings::concept_at: no concept " + std::to_string(index));
  return concept_copy(*compiled_, compiled_->visible_at(static_cast<std::uint32_t>(index)));
}
std::optional<Concept> Mappings::find_concept(std::string_view id) const {
  const auto i = compiled_->find_concept(id);
  if (!i) return std::nullopt;
  return concept_copy(*compiled_, *i);
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
