// nlp/stages.h — the stages of the text pipeline, in the order pipeline.cpp runs them.
// Each says what it reads and what it writes (see annotations.h for the data).
#pragma once

#include "casefhir/document.h"
#include "casefhir/facts.h"
#include "mapping/compiled.h"
#include "nlp/annotations.h"

namespace casefhir::nlp {

using detail::CompiledMappings;

// Reads tokens and their line/paragraph flags; writes SourceDocument::sections (tiling the text)
// and Annotations::paragraph_starts. Headings come from the `sections` mappings; the first line
// of a document is its title when it looks like one. A window of a larger text (windows.cpp)
// gives the section it begins in: it has no title, and its text before a heading is that section.
void find_sections(SourceDocument& doc, Annotations& a, const CompiledMappings& m, const std::string* continued_section = nullptr);

// Reads tokens and sections; writes sentences (never across a section or paragraph boundary).
void split_sentences(const SourceDocument& doc, Annotations& a);

// Reads sentences; rewrites token flags where capitals are not abbreviations: a sentence written
// all in capitals ("CAN HEAT STROKE PRESENT WITH ODD SIGNS?") is read as ordinary words, and letters
// joined by a hyphen into a longer symbol ("IL-7R", "RP11-173M11") abbreviate nothing by themselves.
void read_capitals(const SourceDocument& doc, Annotations& a);

// Reads tokens and sentences; writes mentions (concepts, longest match first, abbreviations
// case-sensitively), sites (body structures with laterality) and methods.
void match_concepts(const SourceDocument& doc, Annotations& a, const CompiledMappings& m);

// Whether tokens[i], before `limit`, is a word of gene-heads: the name before it is a gene's, not
// a diagnosis ("no deletion within the DMD gene").
bool names_a_gene(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m, std::uint32_t i, std::uint32_t limit);

// Reads tokens, sentences, mentions and sites; writes mentions and sites: an abbreviation the
// report defines ("giant cell arteritis (GCA)") names that concept wherever it is used afterwards.
void expand_abbreviations(const SourceDocument& doc, Annotations& a, const CompiledMappings& m);

// Reads tokens, sentences and mentions; writes triggers (context cues outside mentions, with
// pseudo-triggers removed). A trigger is also read through an adverb among the three words after
// its first ("was *also* denied", "could not be *completely* excluded": word list trigger-adverbs).
void find_triggers(const SourceDocument& doc, Annotations& a, const CompiledMappings& m);

// Reads sentences, triggers and sections; writes Sentence::subject (patient, family, general, none).
void classify_statements(const SourceDocument& doc, Annotations& a, const CompiledMappings& m);

// Reads triggers and sentences; writes each mention's assertion, experiencer, temporality and
// hypothetical flag (ConText scopes: direction, max_scope, termination terms).
void apply_context(const SourceDocument& doc, Annotations& a, const CompiledMappings& m);

// Reads tokens, sentences and mentions; writes the results of lab analytes (Mention::result) and
// of other tests (Annotations::test_results): values, interpretations, reference ranges.
void find_lab_results(const SourceDocument& doc, Annotations& a, const CompiledMappings& m);

// Reads tokens, sentences, mentions and lab results; writes sizes, onsets, sites and methods of
// mentions, and the patient's age and sex.
void find_attributes(const SourceDocument& doc, Annotations& a, const CompiledMappings& m);

// Reads tokens, sentences and mentions; writes the calendar dates and the times relative to the
// stay or a procedure (Annotations::dates, relative_times), and which mentions they time
// (Mention::date, Mention::relative_time).
void find_dates(const SourceDocument& doc, Annotations& a, const CompiledMappings& m);

// Runs every stage above, in order, on one document (pipeline.cpp), or on one window of a larger
// text that begins in `continued_section`.
void annotate(SourceDocument& doc, const CompiledMappings& m, Annotations& a, const std::string* continued_section = nullptr);

// How the mentions of one fact combine, within one text (facts_from_text) and across windows
// (windows.cpp). Within one Condition, present beats absent beats differential beats possible: a
// diagnosis made outweighs the doubts voiced on the way to it.
int assertion_strength(Assertion a);
// The temporality of a fact named again: a later "resolved" outweighs earlier mentions; a current
// mention outweighs "history of".
Temporality later_temporality(Temporality earlier, Temporality later);

// A text larger than this is read in windows of about this size, cut between paragraphs
// (windows.cpp), so that the memory of reading it is bounded by the window, not the text.
inline constexpr std::size_t kWindowBytes = std::size_t{1} << 20;

// extract_facts for a text larger than kWindowBytes: each window read as a document, its facts
// merged into the whole's as mentions of one text merge (windows.cpp).
CaseFacts facts_in_windows(SourceDocument& doc, const CompiledMappings& m, Annotations& a);

// Reads everything above; returns the facts about the patient, merged and linked, with what was
// set aside and why. `merge_keys`, when given, gets for each fact the keys its mentions were merged
// by (none for a test's result, a measurement of its own): windows.cpp merges the facts of several
// windows by them.
CaseFacts facts_from_text(const SourceDocument& doc, const Annotations& a, const CompiledMappings& m,
                          std::vector<std::vector<std::string>>* merge_keys = nullptr);

}  // namespace casefhir::nlp
