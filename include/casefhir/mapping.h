// casefhir/mapping.h — Mappings: every piece of clinical knowledge, loaded from JSON files.
//
//   casefhir::Mappings m = casefhir::Mappings::load({"my-mappings"});     // defaults + overrides
//   std::optional<casefhir::Concept> c = m.find_concept("calcinosis-cutis");
//   casefhir::Mappings row = m.extended({{"row.json", R"({"concepts": [...]})"}});
//
// Mappings are immutable after loading and safe to share between threads. They are layered: a
// compiled dictionary (the built-in default, or a file from `casefhir mappings compile`, memory-
// mapped) holds the vocabulary and the rules it was compiled with; mapping files given at run time
// (`--mappings`) extend or override it. Loading checks every file against the format in
// mappings/README.md and every code against its check digit; any problem throws
// Error(mapping_invalid) naming the file, the JSON pointer and the reason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace casefhir {

// The clinical words are the mapping-file words: "disorder", "finding", "procedure",
// "body-structure", "lab", "morphology" (a tissue change as pathology names it: SNOMED CT's
// morphologic abnormalities, which diseases cross-reference but a report's words rarely mean
// alone). method and laterality are the kinds of `methods` and `laterality` entries, which are not
// written in `concepts` files.
enum class ConceptKind : std::uint8_t { disorder, finding, procedure, body_structure, lab, morphology, method, laterality };

struct Coding {
  std::string system;
  std::string code;
  std::string display;
  std::string version;   // Coding.version: the release of the code system ("" when not stated)
  friend bool operator==(const Coding&, const Coding&) = default;
};

struct ReferenceRange {
  std::optional<double> low;
  std::optional<double> high;
};

// One entry of a `concepts`, `analytes`, `methods` or `laterality` list. An entry read from a
// compiled dictionary carries its codes and attributes, not its terms (they are compiled into the
// dictionary's phrase index).
struct Concept {
  std::string id;
  ConceptKind kind = ConceptKind::finding;
  std::vector<std::string> terms;          // the name and its exact synonyms
  std::vector<std::string> related;        // synonyms by scope, as an imported source gives them
  std::vector<std::string> narrow;
  std::vector<std::string> broad;
  std::vector<std::string> abbreviations;  // matched case-sensitively
  std::vector<std::string> not_in;         // phrases with a term that do not name it: "mass effect"
  std::vector<Coding> codes;               // first is preferred
  std::string display;                     // CodeableConcept.text
  std::string source;                      // the `sources` id of an imported entry; "" = written by hand
  std::string origin;                      // "file#/pointer", for messages
  // kind lab:
  std::string unit;                        // UCUM
  std::optional<ReferenceRange> reference_range;
  std::vector<Coding> components;          // a value written "A/B" (blood pressure): one code each
  // kind method: the Observation category a finding gets when this method observed it, and
  // whether the method examines a specimen (then the finding is linked to the procedure that
  // took it). kind procedure: whether the procedure yields a specimen.
  std::string observation_category;
  bool specimen = false;
};

struct UnitSpelling {
  std::string code;                     // UCUM code
  std::vector<std::string> spellings;
};

// Context triggers, after ConText (Harkema et al. 2009) and medspaCy's rule format.
enum class ContextCategory : std::uint8_t {
  negation,       // "no", "denies", "without", "ruled out"
  possible,       // "possible", "suggestive of", "cannot be excluded" → provisional
  differential,   // "differential diagnosis includes", "mimicking" → differential
  family,         // "mother", "family history of" → FamilyMemberHistory
  other,          // another person who is not family: "donor", "her husband"
  historical,     // "history of", "previous" → inactive / past
  resolved,       // "resolved", "disappeared", "was cured" → no longer present
  ongoing,        // "currently", "treated with", "on" → a past condition that goes on
  hypothetical,   // "if", "return if", "should be kept in mind" → not a fact
  pseudo,         // looks like a trigger, is not: "no increase", "gram negative"
  termination,    // ends a scope: "but", "however", "which"
  general,        // a statement of general knowledge: "is associated with", "in general"
  patient,        // the sentence is about this patient: "our patient", "the patient"
  diagnosis,      // the sentence states a diagnosis: "we diagnosed", "consistent with", "a diagnosis of"
  result,         // the sentence reports a test's result, which may name a diagnosis: "showed", "revealed"
  case_subject,   // the sentence names what the case is about: "we present a case of", "a rare case of"
  refusal,        // the patient refused what the sentence names: "refused", "declined" (Procedure.statusReason)
  reason,         // introduces why: "because of", "due to" (a procedure not done: its statusReason)
};
inline constexpr unsigned kContextCategoryCount = static_cast<unsigned>(ContextCategory::reason) + 1;

// A modifier changes the mentions in its scope (and so needs a direction); the other categories
// are scope terminators and sentence cues.
constexpr bool is_modifier(ContextCategory c) {
  switch (c) {
    case ContextCategory::negation:
    case ContextCategory::possible:
    case ContextCategory::differential:
    case ContextCategory::family:
    case ContextCategory::other:
    case ContextCategory::historical:
    case ContextCategory::resolved:
    case ContextCategory::ongoing:
    case ContextCategory::hypothetical:
      return true;
    default:
      return false;
  }
}

enum class Direction : std::uint8_t { forward, backward, bidirectional, sentence };

struct ContextTrigger {
  std::string id;
  std::vector<std::string> terms;
  ContextCategory category = ContextCategory::negation;
  Direction direction = Direction::forward;
  int max_scope = 0;                    // in words; 0 = to the end of the clause
  // Only the concept that starts right after it, with no word between: "non-tender mass" negates
  // the tenderness, not the mass ("non-keratinizing SCC" negates nothing).
  bool attached = false;
  // Backward only: its verb is singular ("was not needed"), so among procedures it reaches only the
  // one right before it: "intravenous fluids, and hemodialysis was not needed" leaves the fluids
  // given, where "surgery and chemotherapy were not needed" negates both.
  bool one_subject = false;
  // Backward only: it reaches only its subject and the concepts listed with it, with nothing but
  // other concepts, commas and "and"/"or" between: "chest pain, dyspnea and syncope were denied",
  // but not "coverage for his hepatitis C treatment was denied".
  bool list_subject = false;
  // Backward only: it applies only where its clause ends with it (punctuation or the sentence's end
  // comes next), and is never read through an adverb: "a mastectomy was discussed but declined."
  // declines the mastectomy, where in "treated with chemotherapy but declined radiotherapy" what was
  // declined comes after it. Where it ends its clause it settles an offer it starts inside ("was
  // offered, but she declined"), and where the clause goes on its words are read again.
  bool clause_final = false;
  std::optional<Coding> relationship;   // family: v3 RoleCode of the relative
  // termination: the categories whose scopes it ends (empty: all); with direction forward it ends
  // only scopes that run forward across it, backward only those running backward, else both.
  std::vector<ContextCategory> ends;
  // termination: words that keep the scope open when one follows later in the clause — a list
  // closed by "or" is still under its negation ("denied fever, a cough or asthma").
  std::vector<std::string> unless_followed_by;
  // termination at the start of a sentence: the fronted clause it opens ends at its first comma,
  // and no scope crosses that comma ("Because of the weight loss, lymphoma was considered").
  bool fronted_clause = false;
  // termination that opens a subordinate clause ("although", "which"): where it starts the
  // sentence or follows a comma, the clause ends at its next comma and no scope crosses that comma
  // ("Although she had no ascites, the aneurysm grew"; "deficits of the legs, which could not move,
  // hyperalgesia of the hands"). A comma soon followed by a word of unless_followed_by (", chills
  // and weight loss") continues a list of the clause, and the clause ends at a later comma. After
  // a comma, no forward scope runs into the clause ("no fever, as she had received antipyretics
  // for her arthritis"). The word itself ends nothing.
  bool clause_opener = false;
  // termination ending in a head and its "of" ("cause of", "source of"): the mention right after it
  // is the head's object, so a modifier written after that mention is about the head ("an
  // infectious cause of the fever was unlikely" does not hedge the fever).
  bool heads_object = false;
  // termination written as a place ("in the", "around the"): it ends no scope, but the concept right
  // after it (within three words, no punctuation) is where something is, not what a cue either side
  // speaks of ("no Birbeck granules in the cytoplasm of the tumor cells": the cells are there; "no
  // tenderness in the abdomen, guarding or rigidity": the list stays negated).
  bool object_only = false;
  // backward termination (", and"): ends nothing after an earlier comma of its clause, where it
  // closes a list ("fever, cough, and dyspnea were absent"); with none it joins two clauses, and
  // the one before is another's ("she had anemia, and malignancy was ruled out").
  bool unless_listed = false;
  int weight = 1;                       // general / patient cues: how much the cue counts
  std::vector<ConceptKind> kinds;       // the kinds of concept it applies to (empty: all) — "refused"
                                        // negates a treatment, not the pain it was for; a termination
                                        // with kinds ends scopes over those kinds only
  std::string origin;
};

// What a section heading starts, and what its sentences are about by default.
enum class Subject : std::uint8_t { patient, family, general, none };

struct SectionRule {
  std::string id;                      // the role written to Section::role
  std::vector<std::string> headings;   // may be empty for roles found by layout (the title)
  Subject subject = Subject::patient;
  bool historical = false;             // past medical history: findings are historical
  bool paragraph = false;              // the section ends with its paragraph (figure captions)
  int general_at = 2;                  // subject patient: a sentence with this many general cues and no patient cue is general
  std::optional<Coding> relationship;  // subject family: the relative when a sentence names none
  std::string origin;
};

// FamilyMemberHistory stays last: the Bundle writer sizes its per-type tables by it.
enum class ResourceType : std::uint8_t { none, Condition, Observation, Procedure, FamilyMemberHistory };

struct ResourceRule {
  ConceptKind kind = ConceptKind::finding;
  ResourceType resource = ResourceType::none;
  std::optional<Coding> category;
  ResourceType family_resource = ResourceType::none;   // when the experiencer is a relative
  std::string origin;
};

// Words that give the patient's sex, and the code of the age observation.
struct Demographics {
  std::vector<std::string> male_terms;
  std::vector<std::string> female_terms;
  std::vector<Coding> age_codes;
  std::string origin;
};

// How a finding Observation states its presence, and how sizes are coded (DESIGN: "A finding
// recorded as an Observation states presence in its value").
struct ObservationValues {
  std::optional<Coding> present;
  std::optional<Coding> absent;
  std::optional<Coding> possible;
  std::vector<Coding> size_components;   // first, second, third dimension
};

// Words that state a lab interpretation ("normal", "elevated"), by v3 ObservationInterpretation code.
struct InterpretationTerms {
  std::string code;                      // N, H, L, A, POS, NEG
  std::vector<std::string> terms;
};

// A terminology an imported vocabulary came from: shown by `casefhir mappings stats`, with its
// licence and attribution.
struct SourceInfo {
  std::string id;          // "doid", "hpo", "icd10cm", "snomed-gps"
  std::string name;
  std::string version;
  std::string licence;
  std::string url;
  std::string attribution;
  std::string origin;
};

// Which terms of imported entries (those with a `source`) the matcher uses: rules in data, so a
// large vocabulary keeps the precision of a hand-written one (mappings/README.md, "Term rules").
// Hand-written entries are taken as written. Applied when a dictionary is compiled.
// A word part read in another spelling (term_rules.spellings): "oedem" as "edem".
struct SpellingRule {
  std::string written;          // lower case ASCII letters
  std::string read;
  bool at_word_start = false;   // only where a word starts with it
  bool at_word_end = false;     // only where a word ends with it ("penic": lymphopenic as lymphopenia)
  friend bool operator==(const SpellingRule&, const SpellingRule&) = default;
};

struct TermRules {
  std::vector<std::string> scopes = {"exact", "related", "narrow"};   // synonym scopes matched
  std::vector<std::string> stop_terms;        // never matched: "cold", "lead", "disease"
  std::vector<std::string> blocked_phrases;   // name nothing, whatever they contain: "stroke of luck"
  std::vector<std::string> skip_words;        // a term with one of these words is not matched: "other", "unspecified"
  std::vector<std::string> strip_suffixes;    // matched without them: ", unspecified" (the term stays as written)
  std::string skip_characters;                // a term with one of these characters is not matched: ",;[("
  int min_length = 0;                         // shorter one-word terms are matched only as abbreviations
  int max_words = 0;                          // longer terms are not matched (0: no limit)
  int narrow_min_words = 0;                   // narrow synonyms shorter than this are not matched (a
                                              // classification's inclusion terms: "Axis" under a fracture)
  int inverted_site_words = 0;                // a term "X of Y" (Y up to this many words) is also matched as
                                              // "Y X": "fracture of femur" as "femur fracture" (0: never)
  std::vector<std::string> uninverted_sites;  // one-word sites that also name a part of something else
                                              // ("neck" of the femur): "X of neck" is not read as "neck X"
  int abbreviation_max_length = 0;            // a term in capitals up to this length is an abbreviation (case-sensitive)
  int abbreviation_min_length = 0;            // shorter abbreviations match only where a report defines them
  std::vector<std::string> stop_abbreviations;   // imported abbreviations never matched ("CT", "MRI")
  std::vector<std::string> needs_neighbour;   // terms matched only near another concept, a body site or a method
  int neighbour_window = 0;                   // in words; 0: the sentence
  std::vector<std::string> source_precedence; // which source's concept a term shared by several names
  std::vector<ConceptKind> unmatched_kinds;   // imported concepts of these kinds keep their codes, not their terms
  std::vector<Coding> blocked_codes;          // imported concepts with one of these codes keep their codes, and their
                                              // terms name nothing (administrative events: "hospital admission")
  std::vector<SpellingRule> spellings;        // word parts read in another spelling, in every term (hand-written
                                              // ones too) and in the text: British "oedema" as "edema"
  std::string origin;
};

// A mapping file given as text (for tests, tools and the evaluation command).
struct MappingSource {
  std::string name;   // shown in error messages
  std::string json;
};

namespace detail { struct CompiledMappings; }

// Where the mappings come from: the base (the built-in compiled default, or a dictionary file),
// then mapping files layered on top.
struct MappingOptions {
  std::vector<std::filesystem::path> folders;   // *.json / *.json.gz mapping files, later folders win
  std::filesystem::path dictionary;             // a compiled dictionary replacing the built-in one
  bool with_defaults = true;                    // without a dictionary: start from the built-in one
};

class Mappings {
 public:
  static Mappings from_options(const MappingOptions& options);
  // The defaults compiled into the library, then every mapping file under each folder, in order.
  static Mappings load(const std::vector<std::filesystem::path>& folders, bool with_defaults = true);
  static Mappings from_sources(const std::vector<MappingSource>& sources, bool with_defaults = true);
  // A copy with more files layered on top (same override rules); the original is unchanged.
  Mappings extended(const std::vector<MappingSource>& sources) const;

  // Concepts and analytes of every layer: the dictionary's, then those of the mapping files.
  std::size_t concept_count() const;
  Concept concept_at(std::size_t index) const;                // a copy (codes and attributes)
  std::optional<Concept> find_concept(std::string_view id) const;
  const std::vector<Concept>& methods() const;
  const std::vector<Concept>& laterality() const;
  const std::vector<UnitSpelling>& units() const;
  const std::vector<ContextTrigger>& triggers() const;
  const std::vector<SectionRule>& sections() const;
  const std::vector<ResourceRule>& resource_rules() const;
  const Demographics& demographics() const;
  const ObservationValues& observation_values() const;
  const std::vector<InterpretationTerms>& interpretations() const;
  const std::vector<SourceInfo>& sources() const;            // of the dictionary and the files
  const ResourceRule* rule_for(ConceptKind kind) const;
  const SectionRule* section_rule(std::string_view role) const;

  // The compiled phrase indexes used by the text pipeline (internal).
  const detail::CompiledMappings& compiled() const { return *compiled_; }

 private:
  Mappings() = default;
  std::shared_ptr<const detail::CompiledMappings> compiled_;
};

// Compiles mapping files (with the built-in default sources first unless with_defaults is false)
// into a dictionary: the bytes `casefhir mappings compile` writes and `--dictionary` loads.
std::string compile_dictionary(const std::vector<std::filesystem::path>& folders, bool with_defaults);

std::string_view to_string(ConceptKind kind);
std::string_view to_string(ResourceType type);

}  // namespace casefhir
