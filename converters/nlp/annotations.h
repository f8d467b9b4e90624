// nlp/annotations.h — what the text pipeline stages write about one document.
//
// The stages run in this order (the list lives in pipeline.cpp), each reading what the earlier
// ones wrote:
//   tokenize          text                              → tokens
//   find_sections     tokens                            → SourceDocument::sections, paragraphs
//   split_sentences   tokens, sections                  → sentences
//   match_concepts    tokens, sentences                 → mentions, methods, sites, laterality
//   expand_abbreviations tokens, mentions, sites        → mentions, sites (abbreviations the report defines)
//   find_triggers     tokens, sentences, mentions       → triggers
//   classify_statements sentences, triggers, sections   → Sentence::subject
//   apply_context     triggers, sentences               → Mention assertion / experiencer / time
//   find_lab_results  tokens, mentions, sentences       → Mention::result, test_results
//   find_attributes   tokens, mentions, sentences       → sizes, sites, methods, onsets, age and sex
//   find_dates        tokens, mentions, sentences       → dates, relative times, Mention::date / relative_time
//   facts_from_text   all of the above                  → CaseFacts
// Indexes (token, sentence, mention, concept) are positions in these vectors; nothing holds a
// pointer into a vector that a later stage may grow. A text over kWindowBytes runs through them a
// window at a time (windows.cpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "casefhir/document.h"
#include "casefhir/facts.h"
#include "casefhir/mapping.h"
#include "nlp/tokens.h"

namespace casefhir::nlp {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// How a sentence names a diagnosis: not at all, as a test's result ("CT showed a pulmonary
// embolism"), as the report's conclusion ("a diagnosis of Kawasaki disease was made"), or as what
// the whole case is about ("We present a case of Kawasaki disease").
// Ordered by strength: where mentions merge, the strongest cue stands.
enum class DiagnosisCue : std::uint8_t { none, result, stated, case_subject };

struct Sentence {
  Span span;
  std::uint32_t token_begin = 0;
  std::uint32_t token_end = 0;
  std::uint32_t section = 0;       // index into SourceDocument::sections
  std::uint32_t paragraph = 0;
  Subject subject = Subject::patient;
  int patient_cues = 0;
  int general_cues = 0;
  DiagnosisCue diagnosis_cue = DiagnosisCue::none;
};

// A concept (disorder, finding, procedure, lab) found in the text.
struct Mention {
  std::uint32_t token_begin = 0;
  std::uint32_t token_end = 0;
  Span span;
  std::uint32_t concept_index = 0;       // index into the mapping's concepts
  std::uint32_t sentence = 0;
  Assertion assertion = Assertion::present;
  Experiencer experiencer = Experiencer::patient;
  std::uint32_t relationship_trigger = kNone;   // the family trigger that named the relative
  Temporality temporality = Temporality::current;
  Span temporality_cue;                         // the words that made it historical or resolved
  Span assertion_cue;                           // the words that negated or hedged it
  bool hypothetical = false;
  bool needs_neighbour = false;                 // its term counts only near another clinical word
  bool names_test = false;                      // "HIV serology", "CMV PCR": the name of a test, not a diagnosis
  bool value_of_test = false;                   // "the ECG showed normal sinus rhythm": a test's result (TestResult::value_concept)
  bool named_by_ending = false;                 // "esophagectomy": a procedure no concept names, read by its word's ending
  // Attributes (find_attributes):
  std::vector<std::uint32_t> sites;             // indexes into Annotations::sites
  std::vector<Quantity> sizes;
  std::uint32_t result = kNone;                 // index into Annotations::results (few mentions have one)
  Span result_span;                             // where the value or interpretation was written
  std::uint32_t onset = kNone;                  // index into Annotations::onsets
  std::uint32_t date = kNone;                   // index into Annotations::dates
  std::uint32_t relative_time = kNone;          // index into Annotations::relative_times
  std::uint32_t method = kNone;                 // index into Annotations::methods
};

// A phrase that names a body structure (with its laterality, when given).
struct SiteMention {
  std::uint32_t token_begin = 0;
  std::uint32_t token_end = 0;
  Span span;
  std::uint32_t concept_index = 0;       // body-structure concept
  std::uint32_t laterality = kNone;  // index into the mapping's laterality list
  std::uint32_t sentence = 0;
  bool attached = false;
};

// A phrase that names how a finding was observed ("histopathological examination").
struct MethodMention {
  std::uint32_t token_begin = 0;
  std::uint32_t token_end = 0;
  Span span;
  std::uint32_t method = 0;        // index into the mapping's methods
  std::uint32_t sentence = 0;
};

struct TriggerMatch {
  std::uint32_t token_begin = 0;
  std::uint32_t token_end = 0;
  std::uint32_t trigger = 0;       // index into the mapping's triggers
  std::uint32_t sentence = 0;
  ContextCategory category = ContextCategory::negation;
  // A negation read as a hedge because an adverb of degree follows its "not" ("did not clearly
  // show", "could not be completely performed"): it leaves procedures alone, as what was not
  // completely done was done.
  bool qualified = false;
};

struct OnsetMention {
  Span span;
  std::uint32_t sentence = 0;
  std::uint32_t token_begin = 0;
  std::string text;
  std::optional<Quantity> age;
  bool ongoing = false;            // a duration ("for 10 years", "since childhood"): still going on
  bool attached = false;
};

// A calendar date the text writes ("12 March 2024", "June 2023", "in 2015", "2021-05-03").
struct DateMention {
  Span span;
  std::uint32_t sentence = 0;
  std::string iso;                 // ISO 8601 at the precision written: "2024-03-12", "2023-06", "2015"
  bool of_one_mention = false;     // dates the mention right before it ("cholecystitis in 2015")
};

// A time relative to the stay or to a procedure ("on day 5", "two weeks later", "at follow-up",
// "3 days after the surgery").
struct RelativeTimeMention {
  Span span;
  std::uint32_t sentence = 0;
  RelativeTime::Anchor anchor = RelativeTime::Anchor::stay_start;
  std::uint32_t procedure_mention = kNone;   // Anchor::procedure
  std::optional<Quantity> offset;
  std::uint32_t token_begin = 0, token_end = 0;
};

// The result of a test that is not an analyte of the mappings: a procedure the mappings know
// ("the echocardiogram was normal") or only the words the report uses ("beta-D glucan (370.8
// pg/mL)"). Written as an Observation with those words as its code's text, never dropped.
struct TestResult {
  Span test;                               // the words that name the test
  std::uint32_t sentence = 0;
  std::uint32_t concept_index = kNone;     // a procedure concept, when the mappings know the test
  bool measures_finding = false;           // `test` names a finding the value measures ("fever of 39 °C"):
                                           // the analyte (concept_index) names the Observation
  LabResult result;
  Span result_span;                        // where the value or interpretation was written
  std::uint32_t value_concept = kNone;     // a finding the test showed ("normal sinus rhythm"): its coded value
  std::string name;                        // the classification's name when the report writes only its
                                           // value ("T3N1M0": "TNM classification"); else the test's words
};

struct DemographicMention {
  Span span;
  std::uint32_t sentence = 0;
};

// The elements of `v` that belong to sentence `s`: mentions and triggers each come in sentence
// order, so this is a binary search, not a scan of the document.
template <class T>
std::span<const T> in_sentence(const std::vector<T>& v, std::uint32_t s) {
  const auto lo = std::lower_bound(v.begin(), v.end(), s, [](const T& x, std::uint32_t n) { return x.sentence < n; });
  const auto hi = std::upper_bound(lo, v.end(), s, [](std::uint32_t n, const T& x) { return n < x.sentence; });
  return {lo, hi};
}

struct Annotations {
  std::vector<Token> tokens;
  std::vector<std::uint32_t> paragraph_starts;   // token index of each paragraph's first token
  std::vector<Sentence> sentences;
  std::vector<Mention> mentions;
  std::vector<SiteMention> sites;
  std::vector<MethodMention> methods;
  std::vector<TriggerMatch> triggers;
  std::vector<OnsetMention> onsets;
  std::vector<DateMention> dates;
  std::vector<RelativeTimeMention> relative_times;
  std::vector<LabResult> results;                // of mentions (Mention::result)
  std::vector<TestResult> test_results;          // in text order
  // Age and sex of the patient, from the first sentence that states them.
  std::optional<Quantity> age;
  std::optional<DemographicMention> age_mention;
  std::optional<Gender> gender;
  std::optional<DemographicMention> gender_mention;

  void clear();
  // The lab result read for a mention, or nullptr.
  const LabResult* result_of(const Mention& m) const { return m.result == kNone ? nullptr : &results[m.result]; }
  LabResult* result_of(const Mention& m) { return m.result == kNone ? nullptr : &results[m.result]; }
  void set_result(Mention& m, LabResult r, Span said) {
    if (m.result == kNone) {
      m.result = static_cast<std::uint32_t>(results.size());
      results.push_back(std::move(r));
    } else {
      results[m.result] = std::move(r);
    }
    m.result_span = said;
  }
};

// Sentence boundaries never cross sections or paragraphs; a sentence has at most this many tokens
// (longer runs, such as tables flattened to text, are cut), so every later stage stays linear.
inline constexpr std::uint32_t kMaxSentenceTokens = 400;

}  // namespace casefhir::nlp
