// mapping/term_ids.h — the one rule that turns a mapping term into the ids the phrase matcher
// compares: shared by the dictionary compiler (dictionary.cpp) and the mapping files' overlay
// (CompiledMappings::term_ids), so that a term compiled into a dictionary and the same term in a
// mapping file are matched alike.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "nlp/tokens.h"

namespace casefhir::mapping {

// A term's normal-form ids, as the matcher will see the text. Connectors inside a term are
// skipped, as the matcher skips them; a leading one is kept ("/mm3", "-ve"), because the matcher
// starts on it. Each word is read in the term rules' spelling (`respell`). New words are interned
// when `intern`, else looked up (kNoTerm when unknown).
std::vector<std::uint32_t> term_ids(std::string_view term, nlp::Vocabulary& words, bool intern, const nlp::Respeller& respell);

}  // namespace casefhir::mapping
