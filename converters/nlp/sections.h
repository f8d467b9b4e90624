// nlp/sections.h — the one rule that names a section's role from its heading: numbering ("1.",
// "2)", "IV.") skipped, then the longest heading of the `sections` mappings, matched on tokens as
// every phrase is (case, accents and plurals folded). find_sections applies it to the lines of
// plain text; readers of markup apply it to the titles the markup gives (JATS <sec><title>).
//
//   const std::string role = nlp::role_of_heading("2. Case presentation:", mappings.compiled());   // "case-presentation"
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "mapping/compiled.h"
#include "nlp/phrase_index.h"
#include "nlp/tokens.h"

namespace casefhir::nlp {

// The section rule whose heading opens tokens[begin, end) of `text` once any numbering is
// skipped, with the match (its end: the first token after the heading); nullptr when no heading
// opens it. What follows the heading is the caller's to judge (plain text wants it alone on its
// line, or before a colon; a title from markup is a heading whatever follows).
const SectionRule* opening_heading(std::span<const Token> tokens, std::string_view text, std::uint32_t begin, std::uint32_t end,
                                   const detail::CompiledMappings& m, PhraseIndex::Match& match);

// The role the heading of a titled section gives it ("Case presentation" → case-presentation):
// the rule of opening_heading over the whole title; "" when none opens it.
std::string role_of_heading(std::string_view heading, const detail::CompiledMappings& m);

}  // namespace casefhir::nlp
