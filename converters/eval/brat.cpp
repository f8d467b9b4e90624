// eval/brat.cpp — `casefhir eval brat`: case reports with brat standoff annotations (MACCROBAT).
//
// Gold read from each PMID.ann: Disease_disorder and Sign_symptom entities (the findings), their
// events' POLARITY NEG attributes (negation), Family_history spans (another person's), Lab_value
// entities with the tests they MODIFY, and the first Age and Sex entities.
#include <algorithm>
#include <map>
#include <sstream>

#include "casefhir/errors.h"
#include "eval/case_reports.h"
#include "readers/file.h"

namespace casefhir::eval {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

GoldDocument read_document(const fs::path& txt, const fs::path& ann) {
  GoldDocument doc;
  doc.id = txt.stem().string();
  auto text = readers::read_file(txt);
  auto annotations = readers::read_file(ann);
  if (!text) throw Error(ErrorKind::input_missing, Location{txt.string(), 0, 0, {}}, "cannot be read");
  if (!annotations) throw Error(ErrorKind::input_missing, Location{ann.string(), 0, 0, {}}, "cannot be read");
  doc.text = std::move(*text);

  struct Entity {
    std::string type, text;
    std::vector<GoldSpan> spans;
  };
  std::map<std::string, Entity> entities;          // T id → entity
  std::map<std::string, std::string> event_trigger;  // E id → T id
  std::vector<std::string> negated_ids;             // E or T ids with POLARITY NEG
  std::vector<std::pair<std::string, std::string>> modify;   // MODIFY relations (Arg1, Arg2)
  std::istringstream in(*annotations);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const auto fields = split(line, '\t');
    const std::string& id = fields[0];
    auto bad = [&](const char* why) {
      throw Error(ErrorKind::input_malformed, Location{ann.string(), number, 0, {}}, why);
    };
    if (id[0] == 'T') {
      if (fields.size() < 3) bad("a T line needs an id, a type with offsets, and the text");
      const auto head = split(fields[1], ' ');
      if (head.size() < 3) bad("a T line needs a type followed by start and end offsets");
      Entity e;
      e.type = head[0];
      e.text = fields[2];
      // "Type 10 20;25 30": discontinuous spans are separated by ';'.
      const std::string offsets = fields[1].substr(head[0].size() + 1);
      for (const auto& part : split(offsets, ';')) {
        const auto be = split(part, ' ');
        if (be.size() != 2) bad("offsets must be \"start end\" pairs");
        try {
          e.spans.push_back(GoldSpan{static_cast<std::uint32_t>(std::stoul(be[0])), static_cast<std::uint32_t>(std::stoul(be[1]))});
        } catch (const std::exception&) {
          bad("offsets must be numbers");
        }
      }
      entities[id] = std::move(e);
    } else if (id[0] == 'E' && fields.size() >= 2) {
      const auto colon = fields[1].find(':');
      const auto space = fields[1].find(' ');
      if (colon != std::string::npos) event_trigger[id] = fields[1].substr(colon + 1, space == std::string::npos ? std::string::npos : space - colon - 1);
    } else if (id[0] == 'A' && fields.size() >= 2) {
      const auto parts = split(fields[1], ' ');
      if (parts.size() == 3 && parts[0] == "POLARITY" && parts[2] == "NEG") negated_ids.push_back(parts[1]);
    } else if (id[0] == 'R' && fields.size() >= 2) {
      const auto parts = split(fields[1], ' ');
      if (parts.size() >= 3 && parts[0] == "MODIFY") modify.emplace_back(parts[1].substr(parts[1].find(':') + 1), parts[2].substr(parts[2].find(':') + 1));
    }
  }
  auto entity_of = [&](const std::string& ref) -> const Entity* {
    std::string t = ref;
    if (!ref.empty() && ref[0] == 'E') {
      const auto it = event_trigger.find(ref);
      if (it == event_trigger.end()) return nullptr;
      t = it->second;
    }
    const auto it = entities.find(t);
    return it == entities.end() ? nullptr : &it->second;
  };
  std::vector<const Entity*> negated;
  for (const auto& ref : negated_ids)
    if (const Entity* e = entity_of(ref)) negated.push_back(e);

  const Entity* age = nullptr;
  const Entity* sex = nullptr;
  for (const auto& [id, e] : entities) {
    if (e.type == "Disease_disorder" || e.type == "Sign_symptom") {
      GoldEntity g{e.spans, e.type, e.text, std::find(negated.begin(), negated.end(), &e) != negated.end(), {}};
      doc.findings.push_back(std::move(g));
    } else if (e.type == "Therapeutic_procedure" || e.type == "Diagnostic_procedure") {
      doc.procedures.push_back(GoldEntity{e.spans, e.type, e.text, false, {}});
    } else if (e.type == "Family_history") {
      doc.other_person.push_back(GoldEntity{e.spans, e.type, e.text, false, {}});
    } else if (e.type == "Lab_value") {
      GoldEntity g{e.spans, e.type, e.text, false, {}};
      for (const auto& [a, b] : modify) {
        const Entity* x = entity_of(a);
        const Entity* y = entity_of(b);
        if (x == &e && y) g.related.insert(g.related.end(), y->spans.begin(), y->spans.end());
        if (y == &e && x) g.related.insert(g.related.end(), x->spans.begin(), x->spans.end());
      }
      doc.lab_values.push_back(std::move(g));
    } else if (e.type == "Age" && (!age || e.spans[0].begin < age->spans[0].begin)) {
      age = &e;
    } else if (e.type == "Sex" && (!sex || e.spans[0].begin < sex->spans[0].begin)) {
      sex = &e;
    }
  }
  if (age) doc.age_text = age->text;
  if (sex) doc.sex_text = sex->text;
  auto by_position = [](const GoldEntity& x, const GoldEntity& y) { return x.spans[0].begin < y.spans[0].begin; };
  std::sort(doc.findings.begin(), doc.findings.end(), by_position);
  std::sort(doc.lab_values.begin(), doc.lab_values.end(), by_position);
  return doc;
}

}  // namespace

Report evaluate_brat(const Converter& converter, const fs::path& folder, const Options& options) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw Error(ErrorKind::input_missing, Location{folder.string(), 0, 0, {}}, "is not a folder of .txt/.ann pairs");
  std::vector<fs::path> texts;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().extension() == ".txt") texts.push_back(entry.path());
  std::sort(texts.begin(), texts.end());
  std::vector<GoldDocument> documents;
  for (const auto& txt : texts) {
    fs::path ann = txt;
    ann.replace_extension(".ann");
    if (!fs::exists(ann)) continue;   // a stray .txt without annotations is not part of the corpus
    documents.push_back(read_document(txt, ann));
  }
  if (documents.empty())
    throw Error(ErrorKind::input_empty, Location{folder.string(), 0, 0, {}}, "holds no .txt file with an .ann beside it");
  if (!options.principal.empty()) attach_principal_diagnoses(options.principal, documents);
  CorpusDescription corpus{"brat case reports", folder.string(), {"Disease_disorder", "Sign_symptom"}, true,
                           "gold negated = the event has POLARITY NEG"};
  return score_case_reports(converter, corpus, documents, options);
}

}  // namespace casefhir::eval
