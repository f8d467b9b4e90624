// nlp/pipeline.cpp — the text pipeline: the one place that lists its stages, in order.
#include "casefhir/converter.h"
#include "casefhir/facts.h"
#include "nlp/stages.h"

namespace casefhir {

void nlp::Annotations::clear() {
  tokens.clear();
  paragraph_starts.clear();
  sentences.clear();
  mentions.clear();
  sites.clear();
  methods.clear();
  triggers.clear();
  onsets.clear();
  dates.clear();
  relative_times.clear();
  results.clear();
  test_results.clear();
  age.reset();
  age_mention.reset();
  gender.reset();
  gender_mention.reset();
}

namespace nlp {

void annotate(SourceDocument& doc, const CompiledMappings& m, Annotations& a, const std::string* continued_section) {
  a.clear();
  tokenize(doc.text, Span{0, static_cast<std::uint32_t>(doc.text.size())}, a.tokens);
  m.look_up(doc.text, a.tokens);
  find_sections(doc, a, m, continued_section);
  split_sentences(doc, a);
  read_capitals(doc, a);
  match_concepts(doc, a, m);
  expand_abbreviations(doc, a, m);
  find_triggers(doc, a, m);
  classify_statements(doc, a, m);
  apply_context(doc, a, m);
  find_lab_results(doc, a, m);
  find_attributes(doc, a, m);
  find_dates(doc, a, m);
}

}  // namespace nlp

namespace {
// Per-thread buffers, reused from one document to the next (no allocation once warm).
thread_local nlp::Annotations t_annotations;
}  // namespace

CaseFacts extract_facts(SourceDocument& doc, const Mappings& mappings) {
  // A text of tens of MB is read a window at a time: its annotations (about 25 bytes per byte of
  // text) would otherwise be held for all of it at once.
  if (doc.text.size() > nlp::kWindowBytes && !doc.sections_from_reader) {
    CaseFacts facts = nlp::facts_in_windows(doc, mappings.compiled(), t_annotations);
    release_thread_buffers();
    return facts;
  }
  nlp::annotate(doc, mappings.compiled(), t_annotations);
  CaseFacts facts = nlp::facts_from_text(doc, t_annotations, mappings.compiled());
  // Buffers grown for an unusually large document are given back at once (they would hold
  // hundreds of MB while its Bundle is written, and for as long as the thread lives).
  constexpr std::size_t kKeepBuffersUpTo = 4u << 20;
  if (doc.text.size() > kKeepBuffersUpTo) release_thread_buffers();
  return facts;
}

void release_thread_buffers() { t_annotations = nlp::Annotations{}; }

std::string_view to_string(Assertion a) {
  switch (a) {
    case Assertion::present: return "present";
    case Assertion::absent: return "absent";
    case Assertion::possible: return "possible";
    case Assertion::differential: return "differential";
  }
  return "present";
}

std::string_view to_string(Experiencer e) {
  switch (e) {
    case Experiencer::patient: return "patient";
    case Experiencer::family: return "family";
    case Experiencer::other: return "other";
  }
  return "patient";
}

}  // namespace casefhir
