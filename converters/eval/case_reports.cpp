// eval/case_reports.cpp — scoring converted case reports against annotated spans.
//
// What counts (the same for every corpus):
//   finding resources  Conditions, FamilyMemberHistory, and Observations that state a finding's
//                      presence or absence (not lab values, not the age)
//   recall             a gold finding is found when a derivation-reference span of a finding
//                      resource overlaps it; precision: a finding resource's span overlaps a gold
//                      finding
//   negation           over gold findings that were found: the resource is negated (refuted,
//                      Absent) exactly when the gold is
//   false patient facts  spans of patient Conditions asserted as present (not refuted, not
//                      resolved there) that fall on a gold finding marked negated, or in a
//                      sentence that the gold gives to someone else (a family history annotation)
//   (a resolved Condition counts as negated in the sentence its abatementString's words stand in,
//   or everywhere when the Bundle does not say where: MACCROBAT marks "the anemia was corrected"
//   NEG and the mentions before it not)
//   age, sex           Patient.gender and the Age Observation against the first annotation
//   lab values         a gold lab value is found when a laboratory Observation's span overlaps it
//                      or the test it is linked to
//   procedures         a gold therapeutic or diagnostic procedure is found when a Procedure's span
//                      overlaps it (reported, no floor: diagnostic procedures include lab tests)
//   principal diagnosis  (with --principal) the Condition the Bundle's Encounter ranks first has a
//                      code of the diagnosis a reader named, or of one named as equally central;
//                      ICD-10-CM codes also match a code above or below them ("I21" and "I21.9")
#include "eval/case_reports.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <sstream>

#include "casefhir/errors.h"
#include "eval/bundle_view.h"
#include "eval/metrics.h"
#include "readers/file.h"
#include "nlp/reading.h"
#include "nlp/tokens.h"

namespace casefhir::eval {

namespace {

bool is_finding_resource(const ResourceView& v) {
  return v.type == "Condition" || v.type == "FamilyMemberHistory" || (v.type == "Observation" && !v.presence.empty());
}

bool is_lab_resource(const ResourceView& v) {
  return v.type == "Observation" && v.presence.empty() && v.age < 0;
}

struct Tally {
  std::map<std::string, Counts> recall_by_class;   // tp / fn per gold class
  Counts findings;                                  // tp/fn by gold, tp/fp by prediction
  std::size_t predicted_spans = 0, predicted_hits = 0;
  Confusion negation;
  std::size_t gold_negated = 0, gold_negated_found = 0, gold_negated_agree = 0;
  std::size_t patient_condition_spans = 0, false_patient_condition_spans = 0;
  std::size_t age_docs = 0, age_right = 0, age_not_numeric = 0;
  std::size_t sex_docs = 0, sex_right = 0;
  std::size_t lab_values = 0, lab_values_found = 0;
  std::size_t lab_numbers = 0, lab_numbers_right = 0;   // gold lab values with a number; the Observation on it has it
  std::size_t lab_resources = 0, lab_resources_on_gold = 0;   // result Observations, and those on a gold lab value
  std::size_t principal_docs = 0, principal_right = 0, principal_named = 0, principal_present = 0;
  std::size_t principal_stated = 0, principal_stated_right = 0;   // reports that name it as the patient's
  std::map<std::string, std::size_t> principal_unstated;          // the others, by how they give it
  std::map<std::string, Counts> procedures;   // tp / fn per gold procedure class
};

bool same_code(const std::pair<std::string, std::string>& gold, const std::pair<std::string, std::string>& output) {
  if (gold.first != output.first) return false;
  if (gold.second == output.second) return true;
  if (gold.first != "http://hl7.org/fhir/sid/icd-10-cm") return false;
  const std::string& a = gold.second.size() < output.second.size() ? gold.second : output.second;
  const std::string& b = gold.second.size() < output.second.size() ? output.second : gold.second;
  return a.size() >= 3 && b.compare(0, a.size(), a) == 0;
}

// Code point offsets of the text's line breaks and sentence stops (". "), to find the sentence
// around a span. The brat corpora put one sentence on each line.
std::vector<std::uint32_t> sentence_breaks(const std::string& text) {
  std::vector<std::uint32_t> breaks;
  std::uint32_t cp = 0;
  for (std::size_t b = 0; b < text.size(); ++cp) {
    const auto c = static_cast<unsigned char>(text[b]);
    if (c == '\n' || (c == '.' && b + 1 < text.size() && text[b + 1] == ' ')) breaks.push_back(cp);
    b += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
  }
  return breaks;
}

std::pair<std::uint32_t, std::uint32_t> sentence_around(const std::vector<std::uint32_t>& breaks, std::uint32_t offset) {
  const auto it = std::upper_bound(breaks.begin(), breaks.end(), offset);
  const std::uint32_t begin = it == breaks.begin() ? 0 : *(it - 1) + 1;
  const std::uint32_t end = it == breaks.end() ? 0xFFFFFFFFu : *it;
  return {begin, end};
}

std::string snippet(const std::string& text, std::uint32_t begin, std::uint32_t end) {
  // Code point offsets → bytes (the corpora are UTF-8).
  std::size_t cp = 0, b = 0, bb = std::string::npos, be = std::string::npos;
  for (; b <= text.size(); ++cp) {
    if (cp == begin) bb = b;
    if (cp == end) { be = b; break; }
    if (b == text.size()) break;
    const auto c = static_cast<unsigned char>(text[b]);
    b += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
  }
  if (bb == std::string::npos) return "";
  std::string s = text.substr(bb, (be == std::string::npos ? text.size() : be) - bb);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// The first number a gold value writes, read as the converter reads numbers (nlp::parse_number:
// "8,800" → 8800, "1,24" → 1.24, "2,50,000" → 250000).
std::optional<double> first_number(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && !(text[i] >= '0' && text[i] <= '9')) ++i;
  if (i == text.size()) return std::nullopt;
  const bool negative = (i >= 1 && text[i - 1] == '-') || (i >= 3 && text.substr(i - 3, 3) == "\u2212");
  std::size_t end = i;
  auto digit = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
  while (digit(end) || (end < text.size() && (text[end] == '.' || text[end] == ',') && digit(end + 1))) ++end;
  double value = 0;
  std::string normal;
  if (!nlp::parse_number(text.substr(i, end - i), value, normal)) return std::nullopt;
  return negative ? -value : value;
}

}  // namespace

std::optional<double> parse_age_years(const std::string& text) {
  const std::string t = nlp::ascii_lower(text);
  std::size_t i = 0;
  while (i < t.size() && !(t[i] >= '0' && t[i] <= '9')) ++i;
  if (i == t.size()) return std::nullopt;
  double value = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') value = value * 10 + (t[i++] - '0');
  // "60s", "early 70s": a decade, not an age a converter could state exactly.
  if (i < t.size() && t[i] == 's') return std::nullopt;
  if (t.compare(i, 11, " and a half") == 0) value += 0.5;
  if (t.find("month") != std::string::npos || t.find(" mo") != std::string::npos) return value / 12;
  if (t.find("week") != std::string::npos || t.find(" wk") != std::string::npos) return value * 7 / 365.25;
  if (t.find("day") != std::string::npos) return value / 365.25;
  return value;
}

std::optional<Gender> parse_sex(const std::string& text) {
  const std::string t = " " + nlp::ascii_lower(text) + " ";
  for (const char* w : {"woman", "female", "girl", "lady", "primipara", "mother", "she", "her"})
    if (t.find(std::string(" ") + w) != std::string::npos) return Gender::female;
  for (const char* w : {"man", "male", "boy", "gentleman", "he ", "his "})
    if (t.find(std::string(" ") + w) != std::string::npos) return Gender::male;
  return std::nullopt;
}

Report score_case_reports(const Converter& converter, const CorpusDescription& corpus,
                          const std::vector<GoldDocument>& documents, const Options& options) {
  Tally total;
  std::ostringstream per_doc, errors;
  std::size_t not_converted = 0;
  per_doc << "  document            gold  found  recall  predicted  precision  negation  age  sex\n";
  for (const GoldDocument& doc : documents) {
    Tally t;
    std::vector<ResourceView> resources;
    try {
      const Conversion c = converter.convert(doc.text, doc.id);
      resources = view_bundle(c.bundle, converter.mappings());
    } catch (const Error& e) {
      ++not_converted;
      errors << "  " << doc.id << ": not converted: " << e.what() << "\n";
    }
    // The sentence a gold span stands in, quoted by --errors.
    const auto breaks = sentence_breaks(doc.text);
    auto in_sentence = [&](const GoldEntity& g) {
      const auto [b, e] = sentence_around(breaks, g.spans.front().begin);
      return " in \"" + snippet(doc.text, b, std::min<std::uint32_t>(e, b + 300)) + "\"";
    };
    // Findings: recall per gold entity, negation on the ones found.
    for (const GoldEntity& g : doc.findings) {
      const ResourceView* hit = nullptr;
      SpanRef hit_span;
      for (const auto& v : resources) {
        if (!is_finding_resource(v)) continue;
        for (const auto& s : v.spans)
          if (g.overlaps(s.offset, s.offset + s.length) && (!hit || s.length < hit_span.length)) { hit = &v; hit_span = s; }
      }
      Counts& by_class = t.recall_by_class[g.type];
      if (!hit) {
        ++t.findings.fn;
        ++by_class.fn;
        if (options.list_errors)
          errors << "  " << doc.id << ": missed " << g.type << " \"" << g.text << "\"" << (g.negated ? " (negated)" : "")
                 << in_sentence(g) << "\n";
        continue;
      }
      ++t.findings.tp;
      ++by_class.tp;
      // A Condition whose clinicalStatus is resolved is no longer present where the report says so:
      // what MACCROBAT marks with POLARITY NEG ("the anemia was corrected", "epistaxis was cured").
      const bool predicted_negated = hit->negated_at(hit_span, breaks);
      t.negation.add(g.negated ? "negated" : "affirmed", predicted_negated ? "negated" : "affirmed");
      if (g.negated) {
        ++t.gold_negated_found;
        if (predicted_negated) ++t.gold_negated_agree;
      }
      if (options.list_errors && predicted_negated != g.negated)
        errors << "  " << doc.id << ": negation differs for \"" << g.text << "\": gold " << (g.negated ? "negated" : "affirmed")
               << ", output " << (predicted_negated ? (hit->negated() ? "negated" : "negated (resolved)") : "affirmed") << in_sentence(g) << "\n";
    }
    for (const GoldEntity& g : doc.findings) t.gold_negated += g.negated;
    // Precision: every span of every finding resource.
    for (const auto& v : resources) {
      if (!is_finding_resource(v)) continue;
      for (const auto& s : v.spans) {
        ++t.predicted_spans;
        const bool hit = std::any_of(doc.findings.begin(), doc.findings.end(),
                                     [&](const GoldEntity& g) { return g.overlaps(s.offset, s.offset + s.length); });
        t.predicted_hits += hit;
        if (!hit && options.list_errors)
          errors << "  " << doc.id << ": " << v.type << " \"" << snippet(doc.text, s.offset, s.offset + s.length)
                 << "\" is not a gold finding\n";
      }
    }
    // Conditions asserted about the patient from a sentence the gold marks as negated (the
    // Condition's words are a negated event) or as about someone else (the sentence holds a family
    // history annotation).
    for (const auto& v : resources) {
      if (v.type != "Condition" || v.negated()) continue;
      for (const auto& s : v.spans) {
        if (v.negated_at(s, breaks)) continue;
        ++t.patient_condition_spans;
        const auto e = s.offset + s.length;
        const bool negated = std::any_of(doc.findings.begin(), doc.findings.end(),
                                         [&](const GoldEntity& g) { return g.negated && g.overlaps(s.offset, e); });
        const auto [sentence_begin, sentence_end] = sentence_around(breaks, s.offset);
        const bool other = std::any_of(doc.other_person.begin(), doc.other_person.end(),
                                       [&](const GoldEntity& g) { return g.overlaps(sentence_begin, sentence_end); });
        if (negated || other) {
          ++t.false_patient_condition_spans;
          if (options.list_errors)
            errors << "  " << doc.id << ": Condition \"" << snippet(doc.text, s.offset, e) << "\" asserted, but the gold marks it "
                   << (negated ? "negated" : "as another person's") << "\n";
        }
      }
    }
    // Age and sex.
    std::string age_cell = "  -", sex_cell = "  -";
    if (!doc.age_text.empty()) {
      const auto gold = parse_age_years(doc.age_text);
      if (!gold) {
        ++t.age_not_numeric;
      } else {
        ++t.age_docs;
        double predicted = -1;   // the first Patient's (a case series: the gold is its first case's)
        for (const auto& v : resources)
          if (v.age >= 0 && predicted < 0) predicted = v.age;
        const bool right = predicted >= 0 && std::fabs(predicted - *gold) < 0.5;
        t.age_right += right;
        age_cell = right ? " ok" : " NO";
        if (!right && options.list_errors)
          errors << "  " << doc.id << ": age \"" << doc.age_text << "\", output " << (predicted < 0 ? std::string("none") : fixed(predicted, 1)) << "\n";
      }
    }
    if (const auto gold = parse_sex(doc.sex_text); !doc.sex_text.empty() && gold) {
      ++t.sex_docs;
      std::string predicted;
      for (const auto& v : resources)
        if (v.type == "Patient") {
          predicted = v.gender;   // the first Patient's, as for the age
          break;
        }
      const bool right = predicted == (*gold == Gender::male ? "male" : "female");
      t.sex_right += right;
      sex_cell = right ? " ok" : " NO";
      if (!right && options.list_errors)
        errors << "  " << doc.id << ": sex \"" << doc.sex_text << "\", output " << (predicted.empty() ? "none" : predicted) << "\n";
    }
    // Procedures.
    for (const GoldEntity& g : doc.procedures) {
      bool found = false;
      for (const auto& v : resources)
        if (v.type == "Procedure")
          for (const auto& s : v.spans) found = found || g.overlaps(s.offset, s.offset + s.length);
      (found ? t.procedures[g.type].tp : t.procedures[g.type].fn) += 1;
    }
    // The principal diagnosis.
    if (!doc.principal.empty()) {
      ++t.principal_docs;
      const ResourceView* condition = nullptr;
      for (const auto& v : resources)
        if (v.type == "Encounter" && !v.principal.empty())
          for (const auto& c : resources)
            if (c.full_url == v.principal) condition = &c;
      t.principal_named += condition != nullptr;
      bool right = false;
      for (const auto& accepted : doc.principal)
        for (const auto& gold : accepted)
          for (const auto& code : condition ? condition->codes : std::vector<std::pair<std::string, std::string>>{})
            right = right || same_code(gold, code);
      t.principal_right += right;
      if (doc.principal_in_text.empty()) {
        ++t.principal_stated;
        t.principal_stated_right += right;
      } else {
        ++t.principal_unstated[doc.principal_in_text];
      }
      // Whether the Bundle holds the diagnosis at all, ranked first or not: tells a ranking miss
      // from a vocabulary one.
      bool present = right;
      for (const auto& v : resources)
        if (v.type == "Condition" && !v.negated())
          for (const auto& accepted : doc.principal)
            for (const auto& gold : accepted)
              for (const auto& code : v.codes) present = present || same_code(gold, code);
      t.principal_present += present;
      if (!right && options.list_errors) {
        std::string said = "none";
        if (condition && !condition->spans.empty())
          said = "\"" + snippet(doc.text, condition->spans.front().offset, condition->spans.front().offset + condition->spans.front().length) + "\"";
        if (condition && !condition->codes.empty()) said += " (" + condition->codes.front().second + ")";
        errors << "  " << doc.id << ": principal diagnosis " << doc.principal_name << ", output " << said
               << (present ? "; the diagnosis is among the Conditions" : "") << "\n";
      }
    }
    // Lab values.
    for (const GoldEntity& g : doc.lab_values) {
      ++t.lab_values;
      bool found = false;
      for (const auto& v : resources) {
        if (!is_lab_resource(v)) continue;
        for (const auto& s : v.spans) {
          const auto e = s.offset + s.length;
          found = found || g.overlaps(s.offset, e) ||
                  std::any_of(g.related.begin(), g.related.end(), [&](const GoldSpan& r) { return r.overlaps(s.offset, e); });
        }
      }
      t.lab_values_found += found;
      // A value with a number: is it the number of an Observation on the value's own words?
      if (const std::optional<double> number = first_number(g.text)) {
        ++t.lab_numbers;
        bool right = false;
        std::vector<double> said;
        for (const auto& v : resources) {
          if (!is_lab_resource(v)) continue;
          const bool on = std::any_of(v.spans.begin(), v.spans.end(), [&](const SpanRef& s) { return g.overlaps(s.offset, s.offset + s.length); });
          if (!on) continue;
          said.insert(said.end(), v.values.begin(), v.values.end());
          right = right || std::any_of(v.values.begin(), v.values.end(),
                                       [&](double x) { return std::abs(x - *number) <= 1e-9 * std::max(1.0, std::abs(*number)); });
        }
        t.lab_numbers_right += right;
        if (!right && !said.empty() && options.list_errors) {
          errors << "  " << doc.id << ": lab value \"" << g.text << "\": the Observation on it says";
          for (const double x : said) errors << " " << x;
          errors << in_sentence(g) << "\n";
        }
      }
      if (!found && options.list_errors)
        errors << "  " << doc.id << ": lab value \"" << g.text << "\" not in a laboratory or vital-sign Observation" << in_sentence(g)
               << "\n";
    }
    // Precision of the same: result Observations on a gold lab value or the test it belongs to.
    if (!doc.lab_values.empty() || corpus.has_lab_values)
      for (const auto& v : resources) {
        if (!is_lab_resource(v)) continue;
        ++t.lab_resources;
        bool on_gold = false;
        for (const auto& s : v.spans)
          for (const GoldEntity& g : doc.lab_values) {
            const auto e = s.offset + s.length;
            on_gold = on_gold || g.overlaps(s.offset, e) ||
                      std::any_of(g.related.begin(), g.related.end(), [&](const GoldSpan& r) { return r.overlaps(s.offset, e); });
          }
        t.lab_resources_on_gold += on_gold;
        if (!on_gold && options.list_errors && !v.spans.empty())
          errors << "  " << doc.id << ": Observation \"" << snippet(doc.text, v.spans.front().offset, v.spans.front().offset + v.spans.front().length)
                 << "\" is on no gold lab value\n";
      }

    char line[256];
    std::snprintf(line, sizeof line, "  %-18s %5zu  %5zu  %6s  %9zu  %9s  %8s  %3s  %3s\n", doc.id.substr(0, 18).c_str(),
                  t.findings.tp + t.findings.fn, t.findings.tp, fixed(t.findings.recall(), 2).c_str(), t.predicted_spans,
                  t.predicted_spans ? fixed(static_cast<double>(t.predicted_hits) / static_cast<double>(t.predicted_spans), 2).c_str() : "-",
                  t.negation.total() ? fixed(t.negation.accuracy(), 2).c_str() : "-", age_cell.c_str(), sex_cell.c_str());
    per_doc << line;

    // Add to the corpus totals.
    for (const auto& [k, c] : t.recall_by_class) {
      total.recall_by_class[k].tp += c.tp;
      total.recall_by_class[k].fn += c.fn;
    }
    total.findings.tp += t.findings.tp;
    total.findings.fn += t.findings.fn;
    total.predicted_spans += t.predicted_spans;
    total.predicted_hits += t.predicted_hits;
    total.gold_negated += t.gold_negated;
    total.gold_negated_found += t.gold_negated_found;
    total.gold_negated_agree += t.gold_negated_agree;
    total.patient_condition_spans += t.patient_condition_spans;
    total.false_patient_condition_spans += t.false_patient_condition_spans;
    total.age_docs += t.age_docs;
    total.age_right += t.age_right;
    total.age_not_numeric += t.age_not_numeric;
    total.sex_docs += t.sex_docs;
    total.sex_right += t.sex_right;
    total.lab_values += t.lab_values;
    total.lab_values_found += t.lab_values_found;
    total.lab_numbers += t.lab_numbers;
    total.lab_numbers_right += t.lab_numbers_right;
    total.lab_resources += t.lab_resources;
    total.lab_resources_on_gold += t.lab_resources_on_gold;
    total.principal_docs += t.principal_docs;
    total.principal_right += t.principal_right;
    total.principal_named += t.principal_named;
    total.principal_present += t.principal_present;
    total.principal_stated += t.principal_stated;
    total.principal_stated_right += t.principal_stated_right;
    for (const auto& [how, n] : t.principal_unstated) total.principal_unstated[how] += n;
    for (const auto& [k, c] : t.procedures) {
      total.procedures[k].tp += c.tp;
      total.procedures[k].fn += c.fn;
    }
    total.negation.merge(t.negation);
  }

  auto ratio = [](std::size_t a, std::size_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; };
  Report r;
  const double precision = ratio(total.predicted_hits, total.predicted_spans);
  const double recall = total.findings.recall();
  r.metrics["findings.recall"] = recall;
  r.metrics["findings.precision"] = precision;
  r.metrics["findings.f1"] = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  for (const auto& cls : corpus.classes) r.metrics["recall." + cls] = total.recall_by_class[cls].recall();
  r.metrics["negation.agreement"] = total.negation.accuracy();
  r.metrics["negation.negated_recall"] = ratio(total.gold_negated_agree, total.gold_negated_found);
  // Of the affirmed gold findings the output found, the share it reads as negated.
  r.metrics["negation.affirmed_read_negated"] =
      ratio(total.negation.cell("affirmed", "negated"), total.negation.cell("affirmed", "negated") + total.negation.cell("affirmed", "affirmed"));
  r.metrics["false_patient_conditions.rate"] = ratio(total.false_patient_condition_spans, total.patient_condition_spans);
  r.metrics["age.accuracy"] = ratio(total.age_right, total.age_docs);
  r.metrics["sex.accuracy"] = ratio(total.sex_right, total.sex_docs);
  if (corpus.has_lab_values) {
    r.metrics["lab_values.recall"] = ratio(total.lab_values_found, total.lab_values);
    r.metrics["lab_values.precision"] = ratio(total.lab_resources_on_gold, total.lab_resources);
    r.metrics["lab_values.number_right"] = ratio(total.lab_numbers_right, total.lab_numbers);
  }
  for (const auto& [k, c] : total.procedures) r.metrics["procedures.recall." + k] = c.recall();
  if (total.principal_docs) {
    r.metrics["principal.accuracy"] = ratio(total.principal_right, total.principal_docs);
    r.metrics["principal.named"] = ratio(total.principal_named, total.principal_docs);
    r.metrics["principal.among_conditions"] = ratio(total.principal_present, total.principal_docs);
    r.metrics["principal.stated"] = ratio(total.principal_stated, total.principal_docs);
    if (total.principal_stated) r.metrics["principal.accuracy_where_stated"] = ratio(total.principal_stated_right, total.principal_stated);
  }
  r.metrics["documents"] = static_cast<double>(documents.size());
  r.metrics["documents.not_converted"] = static_cast<double>(not_converted);

  std::ostringstream t;
  t << corpus.name << ": " << corpus.path << " (" << documents.size() << " documents";
  if (not_converted) t << ", " << not_converted << " not converted";
  t << ")\n\n";
  t << "Findings (gold " << total.findings.tp + total.findings.fn << "; output spans " << total.predicted_spans << ")\n";
  t << "  recall " << fixed(recall) << "  precision " << fixed(precision) << "  F1 " << fixed(r.metrics["findings.f1"]) << "\n";
  for (const auto& cls : corpus.classes) {
    const Counts c = total.recall_by_class[cls];
    t << "  " << cls << " recall " << fixed(c.recall()) << " (" << c.tp << " of " << c.tp + c.fn << ")\n";
  }
  t << "\nNegation, over gold findings the output found (" << corpus.negation_rule << ")\n";
  t << "  agreement " << fixed(total.negation.accuracy()) << " (" << total.negation.total() << " findings); gold-negated found "
    << total.gold_negated_found << " of " << total.gold_negated << ", output negated for " << total.gold_negated_agree << "\n";
  t << total.negation.table({"negated", "affirmed"});
  t << "  affirmed findings read as negated: " << percent(r.metrics["negation.affirmed_read_negated"]) << "\n";
  t << "\nPatient Conditions asserted where the gold says negated or another person's: " << total.false_patient_condition_spans
    << " of " << total.patient_condition_spans << " spans (" << percent(r.metrics["false_patient_conditions.rate"]) << ")\n";
  t << "\nAge correct " << total.age_right << " of " << total.age_docs << " (" << fixed(r.metrics["age.accuracy"]) << ")";
  if (total.age_not_numeric) t << "; " << total.age_not_numeric << " documents give no exact age (\"young\", \"newborn\", \"60s\") and are not scored";
  t << "\nSex correct " << total.sex_right << " of " << total.sex_docs << " (" << fixed(r.metrics["sex.accuracy"]) << ")\n";
  if (corpus.has_lab_values)
    t << "Lab values in a laboratory or vital-sign Observation: " << total.lab_values_found << " of " << total.lab_values << " ("
      << fixed(r.metrics["lab_values.recall"]) << "); result Observations on a gold lab value or its test: "
      << total.lab_resources_on_gold << " of " << total.lab_resources << " (" << fixed(r.metrics["lab_values.precision"]) << ")\n"
      << "Lab values with a number that an Observation on their words has as its value: " << total.lab_numbers_right << " of "
      << total.lab_numbers << " (" << fixed(r.metrics["lab_values.number_right"]) << ")\n";
  for (const auto& [k, c] : total.procedures)
    t << k << " in a Procedure: " << c.tp << " of " << c.tp + c.fn << " (" << fixed(c.recall()) << ")\n";
  if (total.principal_docs)
    t << "Principal diagnosis (Encounter diagnosis rank 1) right: " << total.principal_right << " of " << total.principal_docs << " ("
      << fixed(r.metrics["principal.accuracy"]) << "); a diagnosis ranked first in " << total.principal_named
      << "; the right one among the Conditions in " << total.principal_present << "\n";
  if (total.principal_docs && total.principal_stated < total.principal_docs) {
    t << "  the report names it as the patient's in " << total.principal_stated << " (" << fixed(r.metrics["principal.stated"])
      << ", the most any reading of the text can get right); right in " << total.principal_stated_right << " of those ("
      << fixed(r.metrics["principal.accuracy_where_stated"]) << "). Not named:";
    for (const auto& [how, n] : total.principal_unstated) t << " " << how << " " << n;
    t << "\n";
  }
  t << "\nPer document:\n" << per_doc.str();
  if (options.list_errors) t << "\nMisses and disagreements:\n" << errors.str();
  r.text = t.str();

  r.json["corpus"] = corpus.name;
  r.json["path"] = corpus.path;
  nlohmann::ordered_json metrics;
  for (const auto& [k, v] : r.metrics) metrics[k] = v;
  r.json["metrics"] = metrics;
  r.json["confusion"]["negation"] = total.negation.json();
  return r;
}

void attach_principal_diagnoses(const std::filesystem::path& file, std::vector<GoldDocument>& documents) {
  const auto text = readers::read_file(file);
  if (!text) throw Error(ErrorKind::input_missing, Location{file.string(), 0, 0, {}}, "cannot be read");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorKind::input_malformed, Location{file.string(), 0, 0, {}}, std::string("not valid JSON: ") + e.what());
  }
  auto bad = [&](const std::string& pointer, const char* why) {
    throw Error(ErrorKind::input_malformed, Location{file.string(), 0, 0, pointer}, why);
  };
  if (!j.is_object() || !j.contains("documents") || !j["documents"].is_array()) bad("/documents", "must be an array of documents");
  std::map<std::string, const nlohmann::json*> by_id;
  for (std::size_t i = 0; i < j["documents"].size(); ++i) {
    const auto& d = j["documents"][i];
    // Keyed by "pmid" (MACCROBAT's file names) or "id" (the key the corpus reader gives a document).
    const char* key = d.is_object() && d.contains("id") ? "id" : "pmid";
    if (!d.is_object() || !d.contains(key) || !d[key].is_string()) bad("/documents/" + std::to_string(i), "needs an \"id\" or a \"pmid\"");
    by_id[d[key].get<std::string>()] = &d;
  }
  auto codes_of = [&](const nlohmann::json& entry, const std::string& pointer) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!entry.contains("codes") || !entry["codes"].is_array()) bad(pointer + "/codes", "must be an array of codings");
    for (const auto& c : entry["codes"]) {
      if (!c.is_object() || !c.contains("system") || !c.contains("code")) bad(pointer + "/codes", "a coding needs system and code");
      out.emplace_back(c["system"].get<std::string>(), c["code"].get<std::string>());
    }
    return out;
  };
  for (GoldDocument& doc : documents) {
    const auto it = by_id.find(doc.id);
    if (it == by_id.end()) continue;
    const auto& d = *it->second;
    const std::string pointer = "/documents/" + doc.id;
    doc.principal_name = d.value("diagnosis", "");
    if (d.contains("in_text")) {
      const auto& how = d["in_text"];
      if (!how.is_string() || (how != "described" && how != "hedged" && how != "abbreviation"))
        bad(pointer + "/in_text", "must be \"described\", \"hedged\" or \"abbreviation\"");
      doc.principal_in_text = how.get<std::string>();
    }
    doc.principal.push_back(codes_of(d, pointer));
    for (const auto& alternative : d.value("alternatives", nlohmann::json::array()))
      doc.principal.push_back(codes_of(alternative, pointer + "/alternatives"));
  }
}

}  // namespace casefhir::eval
