// nlp/statements.cpp — classify_statements: is a sentence about this patient, about relatives,
// general knowledge, or not content at all (titles, captions, references)?
//
// The section's rule gives the default (discussion → general, case presentation → patient).
// Sentence cues from the `general` and `patient` triggers, and citations ("[12]"), move a sentence
// away from that default: "Our patient had no history of trauma" in a discussion is about the
// patient; "Conditions associated with X include Y" is not, wherever it stands. In text without
// headings, a sentence with no cues takes its paragraph's majority, and a paragraph with none
// takes the previous paragraph's.
#include <algorithm>

#include "nlp/reading.h"
#include "nlp/stages.h"

namespace casefhir::nlp {

namespace {

// An author list as references write it: "Surname AB," names in a row ("Corcoran TB,
// O'Hare B, Phelan D: Shoshin beri-beri …"). A reference names diseases in its title, and its
// initials read as abbreviations ("TB"); neither is the patient's. Surnames and initials only:
// a capitalised word, then one to three capital letters.
bool is_author_list(const TextReader& r, const Sentence& s) {
  auto initials = [&](std::uint32_t i) {
    const auto t = r.text(i);
    return r.word(i) && t.size() <= 3 && std::all_of(t.begin(), t.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  };
  auto surname = [&](std::uint32_t i) {
    const auto t = r.text(i);
    return r.word(i) && t.size() >= 2 && t[0] >= 'A' && t[0] <= 'Z' &&
           std::any_of(t.begin() + 1, t.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  };
  // Two names before the colon that ends the list, three before anything else, each another
  // name: "Factor V, Factor VIII", "Troponin I, Troponin T:" are tests, no author list.
  int run = 0;
  std::string_view previous;
  for (std::uint32_t i = s.token_begin; i + 1 < s.token_end;) {
    if (!(surname(i) && initials(i + 1))) {
      run = 0;
      ++i;
      continue;
    }
    const bool same_name = run > 0 && r.text(i) == previous;
    previous = r.text(i);
    run = same_name ? 1 : run + 1;
    i += 2;
    if (run >= 3 || (run >= 2 && i < s.token_end && r.punct_is(i, ':'))) return true;
    if (i < s.token_end && r.punct_is(i, ',')) ++i;
    else run = 0;
  }
  return false;
}

// "[12]", "[3, 4]", "[5-7]": a bracket holding only numbers.
int count_citations(const Annotations& a, const Sentence& s) {
  int citations = 0;
  for (std::uint32_t i = s.token_begin; i < s.token_end; ++i) {
    if (!(a.tokens[i].is(kPunct) && a.tokens[i].punct == '[')) continue;
    std::uint32_t j = i + 1;
    bool numbers = false;
    while (j < s.token_end && (a.tokens[j].is(kNumber) || (a.tokens[j].is(kPunct) && (a.tokens[j].punct == ',' || a.tokens[j].punct == '-')))) {
      numbers = numbers || a.tokens[j].is(kNumber);
      ++j;
    }
    if (numbers && j < s.token_end && a.tokens[j].is(kPunct) && a.tokens[j].punct == ']') ++citations;
  }
  return citations;
}

// The results a sentence states, up to three: a lab test followed within a few words by a number
// with a unit ("serum amylase (227 IU/L", "creatinine that increased to 350 µmol/l"). A result is
// someone's; in a case report, the patient's ("including AST (178 IU/L) and ALT (225 IU/L)" is a
// list of results). A threshold ("glucose above 250 mg/dL"), a dose or a duration is not one:
// criteria and reviews write those as often as case reports do.
int results_stated(const TextReader& r, std::size_t first_mention, const Sentence& s) {
  constexpr std::uint32_t kReach = 6;
  const auto& a = r.a;
  int n = 0;
  for (std::size_t k = first_mention; k < a.mentions.size() && &a.sentences[a.mentions[k].sentence] == &s && n < 3; ++k) {
    const Mention& mention = a.mentions[k];
    if (r.m.concept_at(mention.concept_index).kind() != ConceptKind::lab) continue;
    const std::uint32_t end = std::min(s.token_end, mention.token_end + kReach);
    for (std::uint32_t i = mention.token_end; i + 1 < end; ++i) {
      if (!r.number(i)) continue;
      // "glucose above 250 mg/dL" is a threshold, as criteria and discussions write them.
      if (i > mention.token_end && (r.punct_is(i - 1, '<') || r.punct_is(i - 1, '>') || r.punct_is(i - 1, '{') ||
                                    r.punct_is(i - 1, '}') ||
                                    r.word_in(i - 1, {"above", "below", "over", "under", "exceeding", "than", "least", "to"})))
        break;
      std::string unit, written;
      if (match_unit(r, i + 1, s.token_end, unit, written) == i + 1 || is_time_unit(unit) || unit == "s") continue;
      ++n;
      break;
    }
  }
  return n;
}

}  // namespace

void classify_statements(const SourceDocument& doc, Annotations& a, const CompiledMappings& m) {
  for (Sentence& s : a.sentences) {
    s.patient_cues = 0;
    s.general_cues = count_citations(a, s);
    s.diagnosis_cue = DiagnosisCue::none;
  }
  for (const TriggerMatch& t : a.triggers) {
    if (t.category == ContextCategory::patient) a.sentences[t.sentence].patient_cues += m.set.triggers[t.trigger].weight;
    if (t.category == ContextCategory::general) a.sentences[t.sentence].general_cues += m.set.triggers[t.trigger].weight;
    DiagnosisCue& cue = a.sentences[t.sentence].diagnosis_cue;
    if (t.category == ContextCategory::case_subject) cue = DiagnosisCue::case_subject;
    if (t.category == ContextCategory::diagnosis && cue < DiagnosisCue::stated) cue = DiagnosisCue::stated;
    if (t.category == ContextCategory::result && a.sentences[t.sentence].diagnosis_cue == DiagnosisCue::none)
      a.sentences[t.sentence].diagnosis_cue = DiagnosisCue::result;
  }
  // First pass: sentences whose section or cues decide.
  enum class Vote { none, patient, general };
  std::vector<Vote> vote(a.sentences.size(), Vote::none);
  std::vector<bool> undecided(a.sentences.size(), false);
  std::vector<bool> rule_of(a.sentences.size(), false);   // the section has a rule (a heading)
  std::size_t first_mention = 0;                            // of the sentence at hand
  const TextReader reader{doc, a, m};
  for (std::size_t k = 0; k < a.sentences.size(); ++k) {
    Sentence& s = a.sentences[k];
    const SectionRule* rule = m.section_rule(doc.sections[s.section].role);
    const Subject base = rule ? rule->subject : Subject::patient;
    rule_of[k] = rule != nullptr;
    // Results the sentence states outweigh as many general cues ("including"), where the text is
    // about a patient by default (a discussion quotes reference values). They are no vote of their
    // own: a paragraph of a review that quotes values stays what its other sentences make it.
    while (first_mention < a.mentions.size() && a.mentions[first_mention].sentence < k) ++first_mention;
    if (base == Subject::patient && s.general_cues > 0)
      s.general_cues = std::max(0, s.general_cues - results_stated(reader, first_mention, s));
    const bool patient = s.patient_cues > s.general_cues;
    const bool general = s.general_cues > s.patient_cues;
    if (patient) vote[k] = Vote::patient;
    if (general) vote[k] = Vote::general;
    if (!rule) {
      // No heading said what this text is: the cues, then the paragraph, decide.
      s.subject = general ? Subject::general : Subject::patient;
      undecided[k] = !patient && !general;
      continue;
    }
    switch (base) {
      case Subject::none: s.subject = Subject::none; break;
      // "Family history: …" then "On examination he had fever": a sentence about the patient.
      case Subject::family: s.subject = s.patient_cues > 0 ? Subject::patient : Subject::family; break;
      case Subject::general: s.subject = patient ? Subject::patient : Subject::general; break;
      case Subject::patient:
        // A case section holds the odd general remark; it takes two cues (the rule's general_at)
        // and no patient cue.
        s.subject = (s.general_cues >= rule->general_at && s.patient_cues == 0) ? Subject::general : Subject::patient;
        break;
    }
  }
  // Second pass for text without headings. A paragraph's leaning is the vote of its sentences;
  // a sentence with no cues of its own takes the leaning of the others in its paragraph (or of
  // the previous paragraph). A lone general cue ("commonly") is enough only when the sentences
  // around it lean general too: one word does not turn a case note into a textbook.
  Subject previous_paragraph = Subject::patient;
  for (std::size_t k = 0; k < a.sentences.size();) {
    std::size_t end = k;
    int patient = 0, general = 0;
    while (end < a.sentences.size() && a.sentences[end].paragraph == a.sentences[k].paragraph &&
           a.sentences[end].section == a.sentences[k].section) {
      patient += vote[end] == Vote::patient;
      general += vote[end] == Vote::general;
      ++end;
    }
    for (std::size_t j = k; j < end; ++j) {
      if (!undecided[j] && vote[j] != Vote::general) continue;
      if (!undecided[j] && rule_of[j]) continue;
      // The others' votes, without this sentence's own.
      const int p = patient - (vote[j] == Vote::patient);
      const int g = general - (vote[j] == Vote::general);
      const Subject others = p > g ? Subject::patient : g > p ? Subject::general : previous_paragraph;
      Sentence& s = a.sentences[j];
      if (undecided[j]) s.subject = others;
      else if (s.general_cues < 2 && others != Subject::general) s.subject = Subject::patient;
    }
    if (patient != general) previous_paragraph = patient > general ? Subject::patient : Subject::general;
    k = end;
  }
  // A reference is no content, wherever it stands ("Corcoran TB, O'Hare B, Phelan D: Shoshin
  // beri-beri …" in a reference list run into the text). Its vote above stays what its words make
  // it: the references of a review lean its paragraphs general, as they did before.
  for (Sentence& s : a.sentences)
    if (is_author_list(reader, s)) s.subject = Subject::none;
}

}  // namespace casefhir::nlp
