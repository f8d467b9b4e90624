// Tokens and their normal form (converters/nlp/tokens.*, phrase_index.*): the rules that decide
// whether a mapping term matches the words of a report. One tokenizer serves both, so these are
// the promises mappings/README.md makes to users who write terms ("write each term once, in the
// singular").
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "mapping/compiled.h"
#include "nlp/phrase_index.h"
#include "nlp/tokens.h"
#include "nlp/word_set.h"

namespace casefhir::test {
namespace {

using nlp::Token;

std::string norm(std::string_view word) {
  std::string out;
  nlp::normalize_word(word, out);
  return out;
}

std::vector<Token> tokens_of(std::string_view text) {
  std::vector<Token> out;
  nlp::tokenize(text, Span{0, static_cast<std::uint32_t>(text.size())}, out);
  return out;
}

// The source text of every token, for compact comparisons.
std::vector<std::string> texts(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : tokens_of(text)) out.emplace_back(text.substr(t.span.begin, t.span.size()));
  return out;
}

using Strings = std::vector<std::string>;

// A phrase index built through the same path the mappings use (term_ids, look_up).
struct Phrases {
  detail::CompiledMappings compiled{mapping::Dictionary::empty()};
  nlp::PhraseIndex index;
  std::vector<std::string> terms;

  explicit Phrases(std::vector<std::string> t) : terms(std::move(t)) {
    for (std::size_t i = 0; i < terms.size(); ++i)
      index.add(compiled.term_ids(terms[i], true), static_cast<std::uint32_t>(i));
    index.compile();
  }

  // The term matched at the token that starts at byte `begin` of the text, with the text it covers;
  // "" when nothing matches there.
  std::pair<std::string, std::string> at(std::string_view text, std::string_view word_start) const {
    std::vector<Token> tokens = tokens_of(text);
    compiled.look_up(text, tokens);
    const auto begin = text.find(word_start);
    BOOST_REQUIRE(begin != std::string_view::npos);
    std::size_t i = 0;
    while (i < tokens.size() && tokens[i].span.begin != begin) ++i;
    BOOST_REQUIRE(i < tokens.size());
    nlp::PhraseIndex::Match m;
    if (!index.longest(tokens, i, tokens.size(), m)) return {"", ""};
    const auto payloads = index.payloads(m);
    BOOST_REQUIRE(!payloads.empty());
    const std::uint32_t end = tokens[m.end - 1].span.end;
    return {terms[payloads.front()], std::string(text.substr(begin, end - begin))};
  }
  std::string term_at(std::string_view text, std::string_view word_start) const { return at(text, word_start).first; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(tokens)

// --- normal form ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(plural_words_normalize_to_their_singular) {
  BOOST_TEST(norm("nodules") == "nodule");
  BOOST_TEST(norm("arteries") == "artery");
  BOOST_TEST(norm("masses") == "mass");
  BOOST_TEST(norm("metastases") == "metastasis");
  BOOST_TEST(norm("stenoses") == "stenosis");
  BOOST_TEST(norm("lesions") == "lesion");
  BOOST_TEST(norm("diseases") == "disease");
  BOOST_TEST(norm("boxes") == "box");
}

BOOST_AUTO_TEST_CASE(singular_and_plural_normalize_alike) {
  for (const auto& [singular, plural] : std::vector<std::pair<std::string, std::string>>{
           {"nodule", "nodules"}, {"artery", "arteries"}, {"mass", "masses"}, {"metastasis", "metastases"},
           {"stenosis", "stenoses"}, {"papule", "papules"}, {"biopsy", "biopsies"}})
    BOOST_TEST(norm(singular) == norm(plural), singular << " / " << plural);
}

BOOST_AUTO_TEST_CASE(diabetes_and_diabete_normalize_alike) {
  BOOST_TEST(norm("diabetes") == norm("diabete"));
  BOOST_TEST(norm("Diabetes") == norm("diabetes"));
}

BOOST_AUTO_TEST_CASE(words_that_only_end_in_s_keep_it) {
  BOOST_TEST(norm("abscess") == "abscess");
  BOOST_TEST(norm("status") == "status");
  BOOST_TEST(norm("metastasis") == "metastasis");
  BOOST_TEST(norm("analysis") == "analysis");
  BOOST_TEST(norm("gas") == "gas");
  BOOST_TEST(norm("nervous") == "nervous");
}

BOOST_AUTO_TEST_CASE(case_is_folded) {
  BOOST_TEST(norm("FEVER") == "fever");
  BOOST_TEST(norm("Calcinosis") == "calcinosis");
}

BOOST_AUTO_TEST_CASE(possessive_s_is_dropped) {
  BOOST_TEST(norm("Crohn's") == "crohn");
  BOOST_TEST(norm("CROHN'S") == "crohn");
  BOOST_TEST(norm("Crohn\xE2\x80\x99s") == "crohn");   // right single quotation mark
  BOOST_TEST(norm("Crohn's") == norm("Crohn"));
}

BOOST_AUTO_TEST_CASE(latin1_accents_are_folded) {
  BOOST_TEST(norm("Sj\xC3\xB6gren") == "sjogren");                 // Sjögren
  BOOST_TEST(norm("SJ\xC3\x96GREN") == "sjogren");                 // SJÖGREN
  BOOST_TEST(norm("M\xC3\xA9ni\xC3\xA8re") == "meniere");          // Ménière
  BOOST_TEST(norm("Beh\xC3\xA7" "et") == "behcet");                // Behçet
  BOOST_TEST(norm("Sj\xC3\xB6gren's") == norm("Sjogren"));
}

BOOST_AUTO_TEST_CASE(micro_sign_and_greek_mu_become_u) {
  BOOST_TEST(norm("\xC2\xB5g") == "ug");   // µ MICRO SIGN
  BOOST_TEST(norm("\xCE\xBCg") == "ug");   // μ GREEK SMALL LETTER MU
  BOOST_TEST(norm("\xC2\xB5mol") == norm("umol"));
}

// --- tokens --------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(possessive_stays_inside_its_word) {
  BOOST_TEST(texts("Crohn's disease") == (Strings{"Crohn's", "disease"}));
  BOOST_TEST(texts("Crohn\xE2\x80\x99s disease") == (Strings{"Crohn\xE2\x80\x99s", "disease"}));
  const auto t = tokens_of("Crohn's disease");
  BOOST_TEST(t[0].is(nlp::kWord));
}

BOOST_AUTO_TEST_CASE(accented_words_are_single_tokens) {
  BOOST_TEST(texts("Sj\xC3\xB6gren syndrome") == (Strings{"Sj\xC3\xB6gren", "syndrome"}));
}

BOOST_AUTO_TEST_CASE(decimal_and_thousands_numbers_are_single_tokens) {
  BOOST_TEST(texts("0.5 cm") == (Strings{"0.5", "cm"}));
  BOOST_TEST(texts("1,000 cells") == (Strings{"1,000", "cells"}));
  BOOST_TEST(texts("platelets 250,000/mm3") == (Strings{"platelets", "250,000", "/", "mm3"}));
  for (const Token& t : tokens_of("0.5 1,000 46")) {
    BOOST_TEST(t.is(nlp::kNumber));
    BOOST_TEST(!t.is(nlp::kWord));
  }
}

BOOST_AUTO_TEST_CASE(sentence_full_stop_after_a_number_is_punctuation) {
  BOOST_TEST(texts("was 0.5.") == (Strings{"was", "0.5", "."}));
  BOOST_TEST(texts("in 2019, he") == (Strings{"in", "2019", ",", "he"}));
}

BOOST_AUTO_TEST_CASE(age_with_hyphens_is_number_and_words) {
  BOOST_TEST(texts("A 46-year-old male") == (Strings{"A", "46", "-", "year", "-", "old", "male"}));
  const auto t = tokens_of("46-year-old");
  BOOST_REQUIRE_EQUAL(t.size(), 5u);
  BOOST_TEST(t[0].is(nlp::kNumber));
  BOOST_TEST(t[1].is(nlp::kPunct));
  BOOST_TEST(t[1].punct == '-');
  BOOST_TEST(t[2].is(nlp::kWord));
}

BOOST_AUTO_TEST_CASE(number_glued_to_its_unit_is_number_then_word) {
  BOOST_TEST(texts("0.5cm") == (Strings{"0.5", "cm"}));
  const auto t = tokens_of("0.5cm");
  BOOST_REQUIRE_EQUAL(t.size(), 2u);
  BOOST_TEST(t[0].is(nlp::kNumber));
  BOOST_TEST(t[1].is(nlp::kWord));
  BOOST_TEST(texts("10mg/dL") == (Strings{"10", "mg", "/", "dL"}));
}

BOOST_AUTO_TEST_CASE(unicode_dashes_get_an_ascii_hyphen_stand_in) {
  // hyphen U+2010, en dash U+2013, em dash U+2014, minus sign U+2212
  for (const char* dash : {"\xE2\x80\x90", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x88\x92"}) {
    const std::string text = std::string("5") + dash + "10";
    const auto t = tokens_of(text);
    BOOST_REQUIRE_EQUAL(t.size(), 3u);
    BOOST_TEST(t[1].is(nlp::kPunct));
    BOOST_TEST(t[1].punct == '-');
    BOOST_TEST(t[1].span.size() == std::string(dash).size());
    BOOST_TEST(t[2].is(nlp::kNumber));
  }
}

BOOST_AUTO_TEST_CASE(multiplication_sign_gets_an_x_stand_in) {
  const std::string text = "0.5 \xC3\x97 1 cm";   // 0.5 × 1 cm
  const auto t = tokens_of(text);
  BOOST_REQUIRE_EQUAL(t.size(), 4u);
  BOOST_TEST(t[1].is(nlp::kPunct));
  BOOST_TEST(t[1].punct == 'x');
  BOOST_TEST(texts(text) == (Strings{"0.5", "\xC3\x97", "1", "cm"}));
  // Without spaces too: "0.5×1cm".
  BOOST_TEST(texts("0.5\xC3\x97" "1cm") == (Strings{"0.5", "\xC3\x97", "1", "cm"}));
}

BOOST_AUTO_TEST_CASE(curly_quotes_get_ascii_stand_ins) {
  const auto t = tokens_of("\xE2\x80\x9C" "fever\xE2\x80\x9D");   // “fever”
  BOOST_REQUIRE_EQUAL(t.size(), 3u);
  BOOST_TEST(t[0].punct == '"');
  BOOST_TEST(t[2].punct == '"');
}

BOOST_AUTO_TEST_CASE(non_breaking_and_thin_spaces_separate_tokens) {
  BOOST_TEST(texts("0.5\xC2\xA0" "cm") == (Strings{"0.5", "cm"}));          // NO-BREAK SPACE
  BOOST_TEST(texts("right\xE2\x80\x89" "cheek") == (Strings{"right", "cheek"}));   // THIN SPACE
}

BOOST_AUTO_TEST_CASE(word_shape_flags) {
  const auto t = tokens_of("Fever CD68 HbA1c cheek");
  BOOST_REQUIRE_EQUAL(t.size(), 4u);
  BOOST_TEST(t[0].is(nlp::kCapitalized));
  BOOST_TEST(!t[0].is(nlp::kAllCaps));
  BOOST_TEST(t[1].is(nlp::kWord));
  BOOST_TEST(t[1].is(nlp::kAllCaps));
  BOOST_TEST(t[2].is(nlp::kWord));
  BOOST_TEST(!t[2].is(nlp::kAllCaps));
  BOOST_TEST(!t[3].is(nlp::kCapitalized));
}

BOOST_AUTO_TEST_CASE(token_spans_are_byte_offsets_into_the_text) {
  const std::string text = "Sj\xC3\xB6gren  syndrome";
  const auto t = tokens_of(text);
  BOOST_REQUIRE_EQUAL(t.size(), 2u);
  BOOST_TEST(t[0].span.begin == 0u);
  BOOST_TEST(t[0].span.end == 8u);
  BOOST_TEST(t[1].span.begin == 10u);
  BOOST_TEST(t[1].span.end == 18u);
}

BOOST_AUTO_TEST_CASE(tokenizing_a_range_keeps_offsets_of_the_whole_text) {
  const std::string text = "Title\n\nA white plaque.";
  std::vector<Token> out;
  nlp::tokenize(text, Span{9, 14}, out);   // "white"
  BOOST_REQUIRE_EQUAL(out.size(), 1u);
  BOOST_TEST(out[0].span.begin == 9u);
  BOOST_TEST(out[0].span.end == 14u);
  BOOST_TEST(out[0].is(nlp::kParagraphStart));   // the start of a range starts a paragraph
}

BOOST_AUTO_TEST_CASE(line_and_paragraph_starts_are_flagged) {
  const std::string text = "Case report\nA 46-year-old man\n\nDiscussion here\r\n\r\nLast  \n \t\n words";
  const auto t = tokens_of(text);
  auto flags_of = [&](std::string_view word) {
    for (const Token& tok : t)
      if (std::string_view(text).substr(tok.span.begin, tok.span.size()) == word) return tok;
    BOOST_FAIL("no token " << word);
    return Token{};
  };
  BOOST_TEST(flags_of("Case").is(nlp::kLineStart));
  BOOST_TEST(flags_of("Case").is(nlp::kParagraphStart));
  BOOST_TEST(!flags_of("report").is(nlp::kLineStart));
  BOOST_TEST(flags_of("A").is(nlp::kLineStart));
  BOOST_TEST(!flags_of("A").is(nlp::kParagraphStart));
  BOOST_TEST(!flags_of("man").is(nlp::kLineStart));
  BOOST_TEST(flags_of("Discussion").is(nlp::kParagraphStart));   // after a blank line
  BOOST_TEST(flags_of("Last").is(nlp::kParagraphStart));         // CRLF blank line
  BOOST_TEST(flags_of("words").is(nlp::kParagraphStart));        // a line of only white space is blank
  BOOST_TEST(flags_of("words").is(nlp::kLineStart));
}

// --- phrase matching -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(longest_term_wins) {
  const Phrases p({"embolism", "pulmonary embolism", "pulmonary"});
  const auto [term, covered] = p.at("Acute pulmonary embolism was seen.", "pulmonary");
  BOOST_TEST(term == "pulmonary embolism");
  BOOST_TEST(covered == "pulmonary embolism");
  BOOST_TEST(p.term_at("no embolism", "embolism") == "embolism");
  BOOST_TEST(p.term_at("pulmonary artery", "pulmonary") == "pulmonary");
}

BOOST_AUTO_TEST_CASE(terms_match_plural_and_capitalized_text) {
  const Phrases p({"pulmonary nodule", "artery"});
  BOOST_TEST(p.at("Multiple Pulmonary Nodules.", "Pulmonary").second == "Pulmonary Nodules");
  BOOST_TEST(p.term_at("coronary arteries", "arteries") == "artery");
}

BOOST_AUTO_TEST_CASE(hyphenated_term_matches_spaced_text_and_back) {
  const Phrases p({"non-Hodgkin lymphoma", "sjogren syndrome"});
  BOOST_TEST(p.term_at("a non hodgkin lymphoma", "non") == "non-Hodgkin lymphoma");
  BOOST_TEST(p.term_at("a non-Hodgkin lymphoma", "non") == "non-Hodgkin lymphoma");
  BOOST_TEST(p.term_at("a non-Hodgkin's lymphoma", "non") == "non-Hodgkin lymphoma");
  BOOST_TEST(p.term_at("a non\xE2\x80\x93Hodgkin lymphoma", "non") == "non-Hodgkin lymphoma");   // en dash
  BOOST_TEST(p.term_at("Sj\xC3\xB6gren's syndrome", "Sj") == "sjogren syndrome");
  BOOST_TEST(p.term_at("Sjogren-syndrome", "Sj") == "sjogren syndrome");
  const Phrases q({"non hodgkin lymphoma"});
  BOOST_TEST(q.at("non-Hodgkin lymphoma", "non").second == "non-Hodgkin lymphoma");
}

BOOST_AUTO_TEST_CASE(slash_and_full_stop_inside_a_term_are_skipped) {
  const Phrases p({"and/or", "p.o."});
  BOOST_TEST(p.term_at("fever and or chills", "and") == "and/or");
  BOOST_TEST(p.term_at("fever and/or chills", "and") == "and/or");
  BOOST_TEST(p.at("given p.o. daily", "p.o.").second == "p.o");   // a match ends at its last word
}

BOOST_AUTO_TEST_CASE(commas_and_brackets_break_a_term) {
  const Phrases p({"pulmonary embolism"});
  BOOST_TEST(p.term_at("pulmonary, embolism", "pulmonary") == "");
  BOOST_TEST(p.term_at("pulmonary (embolism)", "pulmonary") == "");
  BOOST_TEST(p.term_at("pulmonary embolism", "pulmonary") == "pulmonary embolism");
}

BOOST_AUTO_TEST_CASE(match_stops_at_the_limit) {
  const Phrases p({"pulmonary embolism", "pulmonary"});
  const std::string text = "pulmonary embolism";
  std::vector<Token> tokens = tokens_of(text);
  p.compiled.look_up(text, tokens);
  nlp::PhraseIndex::Match m;
  BOOST_REQUIRE(p.index.longest(tokens, 0, 1, m));   // the limit excludes "embolism"
  BOOST_TEST(m.end == 1u);
  BOOST_REQUIRE(p.index.longest(tokens, 0, 2, m));
  BOOST_TEST(m.end == 2u);
}

BOOST_AUTO_TEST_CASE(a_term_written_twice_keeps_both_payloads) {
  // Two entries that share a term both reach the matcher (which orders them by preference).
  detail::CompiledMappings c{mapping::Dictionary::empty()};
  nlp::PhraseIndex index;
  index.add(c.term_ids("calcinosis cutis", true), 3);
  index.add(c.term_ids("Calcinosis Cutis", true), 7);
  index.compile();
  const std::string text = "calcinosis cutis";
  std::vector<Token> tokens = tokens_of(text);
  c.look_up(text, tokens);
  nlp::PhraseIndex::Match m;
  BOOST_REQUIRE(index.longest(tokens, 0, tokens.size(), m));
  const auto payloads = index.payloads(m);
  BOOST_TEST(std::vector<std::uint32_t>(payloads.begin(), payloads.end()) == (std::vector<std::uint32_t>{3, 7}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_word_list_matches_a_word_in_any_case_and_nothing_else) {
  const std::vector<std::string> words{"also", "then", "5q", "x"};
  const nlp::WordSet set(words);
  for (const char* yes : {"also", "Also", "ALSO", "then", "THEN", "5q", "5Q", "x", "X"}) BOOST_TEST(set.contains_folded(yes), yes);
  // Same first letter or same length is not enough; nor is a word of another list's shape.
  for (const char* no : {"alsi", "als", "alsoo", "than", "5", "q5", "y", "", "Thenceforth", "-also"}) BOOST_TEST(!set.contains_folded(no), no);
  BOOST_TEST(!nlp::WordSet().contains_folded("also"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
