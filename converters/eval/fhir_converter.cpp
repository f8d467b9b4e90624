// eval/fhir_converter.cpp — `casefhir eval fhir-converter`: the same CDA inputs through casefhir
// and through Microsoft's FHIR-Converter (or CDC's eICR fork of it), compared by content.
//
// The folder is a checkout of such a converter: its functional tests keep, for each sample input
// (data/SampleData/…/NAME), the Bundle they expect (…/TestData/Expected/…/NAME-expected.json).
// For each expected Bundle whose input is CDA, every Condition of theirs is looked for in ours by
// code (any coding's system and code; by code.text when theirs has no coding), and every
// Observation by code, value and unit (by code alone when theirs has no value); each of our
// resources answers for one of theirs at most. Their
// output is a reference, not ground truth: where casefhir differs on purpose, the report counts it
// (a negated problem kept as refuted; quantities with the UCUM system; one of their Observations
// that casefhir writes as a Procedure; a yes/no value in the source's HL7 table) rather than hiding it.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "casefhir/errors.h"
#include "eval/eval.h"
#include "mapping/code_systems.h"
#include "nlp/tokens.h"
#include "readers/file.h"
#include "readers/reader.h"

namespace casefhir::eval {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Systems as casefhir writes them: their urn:oid: for a system FHIR has a URI for becomes that URI.
std::string normal_system(const std::string& system) {
  return system.rfind("urn:oid:", 0) == 0 ? mapping::system_of_oid(std::string_view(system).substr(8)) : system;
}

struct Resource {
  std::string type;
  std::set<std::string> codes;   // "system|code"
  std::string text;              // code.text folded as a term is (case, white space): what a code-less one is found by
  const Json* json = nullptr;
};

std::vector<Resource> resources_of(const Json& bundle) {
  std::vector<Resource> out;
  if (!bundle.contains("entry") || !bundle["entry"].is_array()) return out;
  for (const Json& e : bundle["entry"]) {
    if (!e.contains("resource")) continue;
    const Json& r = e["resource"];
    Resource res;
    res.type = r.value("resourceType", "");
    res.json = &r;
    if (r.contains("code") && r["code"].contains("text") && r["code"]["text"].is_string()) res.text = nlp::fold_term(r["code"]["text"].get<std::string>());
    if (r.contains("code") && r["code"].contains("coding"))
      for (const Json& c : r["code"]["coding"])
        if (c.contains("code") && c.contains("system")) res.codes.insert(normal_system(c["system"].get<std::string>()) + "|" + c["code"].get<std::string>());
    out.push_back(std::move(res));
  }
  return out;
}

// Whether `ours` names what `theirs` names: a coding in common, or, when theirs has no coding
// (a problem the source states only in words), the same words.
bool share_code(const Resource& theirs, const Resource& ours) {
  if (theirs.codes.empty()) return !theirs.text.empty() && theirs.text == ours.text;
  return std::any_of(theirs.codes.begin(), theirs.codes.end(), [&](const std::string& c) { return ours.codes.count(c) != 0; });
}

// HL7 v2 table 0532 (expanded yes/no) extends table 0136 (yes/no) with the same Y and N. The eICR
// fork writes 0532 for a value the source codes in 0136; casefhir keeps the source's table.
constexpr std::string_view kYesNo0136 = "http://terminology.hl7.org/CodeSystem/v2-0136|";
constexpr std::string_view kYesNo0532 = "http://terminology.hl7.org/CodeSystem/v2-0532|";
bool same_yes_no(const std::string& theirs_value, const std::string& ours_value) {
  for (const char* yn : {"Y ", "N "}) {
    if (theirs_value.find(std::string(kYesNo0532) + yn) != std::string::npos &&
        ours_value.find(std::string(kYesNo0136) + yn) != std::string::npos)
      return true;
  }
  return false;
}

// The value of an Observation, as compared: "q:13.2 g/dL", "c:system|code …", "s:text", or "".
std::string value_key(const Json& r) {
  if (r.contains("valueQuantity")) {
    const Json& q = r["valueQuantity"];
    std::ostringstream s;
    s << "q:" << (q.contains("value") && q["value"].is_number() ? q["value"].get<double>() : NAN) << ' ';
    s << (q.contains("code") ? q["code"].get<std::string>() : q.value("unit", ""));
    return s.str();
  }
  if (r.contains("valueCodeableConcept")) {
    std::set<std::string> codes;
    for (const Json& c : r["valueCodeableConcept"].value("coding", Json::array()))
      if (c.contains("code")) codes.insert(normal_system(c.value("system", "")) + "|" + c["code"].get<std::string>());
    std::string k = "c:";
    for (const auto& c : codes) k += c + " ";
    return k;
  }
  if (r.contains("valueString")) return "s:" + r["valueString"].get<std::string>();
  return "";
}

bool same_value(const Json& theirs, const Json& ours) {
  const std::string a = value_key(theirs), b = value_key(ours);
  if (a == b || a.empty()) return true;   // theirs has no value: the code is what there is to find
  // A coded value known only by its words ("NOT DETECTED" with a null flavor): their string, our
  // CodeableConcept.text.
  if (a.rfind("s:", 0) == 0 && ours.contains("valueCodeableConcept") &&
      ours["valueCodeableConcept"].value("text", "") == a.substr(2))
    return true;
  if (a.rfind("c:", 0) == 0 && b.rfind("c:", 0) == 0) {   // coded: any shared coding
    std::istringstream sa(a.substr(2));
    for (std::string c; sa >> c;)
      if (b.find(c + " ") != std::string::npos) return true;
  }
  return false;
}

// Whether any code of theirs is written in the source document (code="X"): a converter can only
// find what the input says; codes theirs substitutes (a US Core code for a pregnancy status the
// source codes otherwise) are counted apart.
bool code_in_source(const Resource& r, const std::string& source) {
  return std::any_of(r.codes.begin(), r.codes.end(), [&](const std::string& c) {
    const std::string code = c.substr(c.rfind('|') + 1);
    return source.find("code=\"" + code + "\"") != std::string::npos;
  });
}

std::string first_code(const Resource& r) {
  return !r.codes.empty() ? *r.codes.begin() : !r.text.empty() ? "\"" + r.text + "\"" : std::string("(no code)");
}

// The sample an expected Bundle is named after (NAME, NAME.ccda or NAME.xml outside Expected/); the
// first in path order when there are several.
std::optional<fs::path> input_for(const fs::path& root, const std::string& name) {
  std::vector<fs::path> found;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string f = e.path().filename().string();
    if ((f == name || f == name + ".ccda" || f == name + ".xml") && e.path().string().find("/Expected/") == std::string::npos)
      found.push_back(e.path());
  }
  if (found.empty()) return std::nullopt;
  return *std::min_element(found.begin(), found.end());
}

}  // namespace

Report evaluate_fhir_converter(const Converter& converter, const std::filesystem::path& folder, const Options& options) {
  if (!fs::is_directory(folder)) throw Error(ErrorKind::input_missing, Location{folder.string(), 0, 0, {}}, "is not a folder");
  std::vector<fs::path> expected;
  for (const auto& e : fs::recursive_directory_iterator(folder))
    if (e.is_regular_file() && e.path().filename().string().size() > 14 &&
        e.path().filename().string().ends_with("-expected.json"))
      expected.push_back(e.path());
  std::sort(expected.begin(), expected.end());

  std::size_t documents = 0, skipped = 0, conditions = 0, conditions_found = 0, observations = 0, observations_found = 0;
  std::size_t refuted_kept = 0, ucum_added = 0, as_procedure = 0, their_unit_without_system = 0, yes_no_in_source_table = 0;
  std::size_t missed_without_code = 0, missed_code_not_in_source = 0;
  Json per_document = Json::array();
  std::ostringstream misses;
  for (const fs::path& exp : expected) {
    std::string name = exp.filename().string();
    name.resize(name.size() - std::string("-expected.json").size());
    const auto input = input_for(folder, name);
    const auto expected_text = readers::read_file(exp);
    if (!input || !expected_text) {
      ++skipped;
      continue;
    }
    const auto bytes = readers::read_file(*input);
    if (!bytes || !readers::is_cda(*bytes)) {   // HL7 v2, JSON: not an input casefhir reads
      ++skipped;
      continue;
    }
    ++documents;
    Json theirs_json;
    try {
      theirs_json = Json::parse(*expected_text);
    } catch (const Json::exception& e) {
      throw Error(ErrorKind::input_malformed, Location{exp.string(), 0, 0, {}}, std::string("not JSON: ") + e.what());
    }
    const Conversion c = converter.convert(*bytes, input->string());
    const Json ours_json = Json::parse(c.bundle);
    const auto theirs = resources_of(theirs_json);
    const auto ours = resources_of(ours_json);
    std::size_t dc = 0, dcf = 0, dobs = 0, dobsf = 0;
    std::set<const Resource*> used;   // each of ours answers for one of theirs
    for (const Resource& t : theirs) {
      if (t.type == "Condition") {
        ++dc;
        const auto match = std::find_if(ours.begin(), ours.end(), [&](const Resource& o) {
          return o.type == "Condition" && !used.count(&o) && share_code(t, o);
        });
        if (match != ours.end()) {
          used.insert(&*match);
          ++dcf;
          const Json& v = (*match->json)["verificationStatus"]["coding"][0]["code"];
          if (v == "refuted" && !(t.json->contains("verificationStatus"))) ++refuted_kept;
        } else {
          if (t.codes.empty() && t.text.empty()) ++missed_without_code;
          else if (!code_in_source(t, *bytes)) ++missed_code_not_in_source;
          if (options.list_errors) misses << name << ": Condition " << first_code(t) << " not in casefhir's Bundle\n";
        }
      } else if (t.type == "Observation") {
        ++dobs;
        if (t.json->contains("valueQuantity") && !(*t.json)["valueQuantity"].contains("system")) ++their_unit_without_system;
        auto match = std::find_if(ours.begin(), ours.end(), [&](const Resource& o) {
          return o.type == "Observation" && !used.count(&o) && share_code(t, o) && same_value(*t.json, *o.json);
        });
        if (match == ours.end()) {
          match = std::find_if(ours.begin(), ours.end(), [&](const Resource& o) {
            return o.type == "Observation" && !used.count(&o) && share_code(t, o) && same_yes_no(value_key(*t.json), value_key(*o.json));
          });
          if (match != ours.end()) ++yes_no_in_source_table;
        }
        if (match != ours.end()) {
          used.insert(&*match);
          ++dobsf;
          if (match->json->contains("valueQuantity") && (*match->json)["valueQuantity"].contains("system") &&
              t.json->contains("valueQuantity") && !(*t.json)["valueQuantity"].contains("system"))
            ++ucum_added;
        } else if (const auto proc = std::find_if(ours.begin(), ours.end(), [&](const Resource& o) {
                     return o.type == "Procedure" && !used.count(&o) && share_code(t, o);
                   });
                   proc != ours.end()) {
          used.insert(&*proc);
          ++dobsf;
          ++as_procedure;
        } else {
          if (t.codes.empty() && t.text.empty()) ++missed_without_code;
          else if (!code_in_source(t, *bytes)) ++missed_code_not_in_source;
          if (options.list_errors)
            misses << name << ": Observation " << first_code(t) << " " << value_key(*t.json) << " not in casefhir's Bundle\n";
        }
      }
    }
    conditions += dc;
    conditions_found += dcf;
    observations += dobs;
    observations_found += dobsf;
    per_document.push_back({{"input", input->filename().string()},
                            {"conditions", dc},
                            {"conditions_found", dcf},
                            {"observations", dobs},
                            {"observations_found", dobsf}});
  }
  auto ratio = [](std::size_t a, std::size_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); };
  Report r;
  r.metrics["documents"] = static_cast<double>(documents);
  r.metrics["conditions.found"] = ratio(conditions_found, conditions);
  r.metrics["observations.found"] = ratio(observations_found, observations);
  r.metrics["overall.found"] = ratio(conditions_found + observations_found, conditions + observations);
  // The same, leaving out what no reader of the source could find: their resources with neither code nor words,
  // and those whose codes the source does not contain.
  const std::size_t findable = conditions + observations - missed_without_code - missed_code_not_in_source;
  r.metrics["overall.found_of_findable"] = ratio(conditions_found + observations_found, findable);
  r.json["documents"] = documents;
  r.json["skipped_not_cda"] = skipped;
  r.json["conditions"] = {{"theirs", conditions}, {"found", conditions_found}, {"share", ratio(conditions_found, conditions)}};
  r.json["observations"] = {{"theirs", observations}, {"found", observations_found}, {"share", ratio(observations_found, observations)}};
  r.json["overall_share"] = r.metrics["overall.found"];
  r.json["overall_share_of_findable"] = r.metrics["overall.found_of_findable"];
  r.json["missed_theirs_without_code"] = missed_without_code;
  r.json["missed_theirs_code_not_in_source"] = missed_code_not_in_source;
  r.json["differences_on_purpose"] = {
      {"negated_problems_kept_as_refuted", refuted_kept},
      {"their_quantities_without_ucum_system", their_unit_without_system},
      {"matched_quantities_where_casefhir_adds_ucum", ucum_added},
      {"their_observations_written_as_procedures", as_procedure},
      {"yes_no_values_kept_in_the_source_table", yes_no_in_source_table}};
  r.json["per_document"] = per_document;
  std::ostringstream t;
  t << "FHIR-Converter comparison: " << documents << " CDA documents (" << skipped << " expected Bundles of other inputs skipped)\n";
  t << "  their Conditions found in casefhir's Bundle (by code):                 " << conditions_found << " of " << conditions
    << " (" << ratio(conditions_found, conditions) << ")\n";
  t << "  their Observations found (by code, value and unit):                    " << observations_found << " of " << observations
    << " (" << ratio(observations_found, observations) << ")\n";
  t << "  overall:                                                               " << r.metrics["overall.found"] << "\n";
  t << "  overall, of theirs that have a code the source contains:               " << r.metrics["overall.found_of_findable"]
    << " (missed: " << missed_without_code << " of theirs have neither code nor code.text, " << missed_code_not_in_source
    << " a code the source does not contain)\n";
  t << "Differences on purpose:\n";
  t << "  negated problems their Bundle asserts, kept as refuted:                " << refuted_kept << "\n";
  t << "  their quantities without the UCUM system:                             " << their_unit_without_system << "\n";
  t << "  of the matched quantities, ones casefhir writes with system and code:  " << ucum_added << "\n";
  t << "  their procedure observations, written by casefhir as Procedures:       " << as_procedure << "\n";
  t << "  yes/no values kept in the source's table 0136 (theirs: 0532):         " << yes_no_in_source_table << "\n";
  if (options.list_errors) t << misses.str();
  r.text = t.str();
  return r;
}

}  // namespace casefhir::eval
