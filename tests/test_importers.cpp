// The terminology importers (converters/mapping/importers/): what a user relies on when turning a
// public release into a casefhir mapping file. Small hand-written fixtures in every format
// (tests/fixtures/terminology/) pin the rules: synonym scopes kept, obsolete entries dropped, kinds
// by HPO branch, ICD-10-CM chapter, SNOMED CT semantic tag and UMLS semantic type, canonical
// code systems (OIDs too), terms written exactly as the release writes them, byte-identical
// output, and errors that name the file and the line, column or JSON pointer — with nothing
// written. The real releases in ../shared/terminology are imported too, and their counts compared
// with ../shared/terminology/README.md (skipped when ../shared is absent, unless
// CASEFHIR_REQUIRE_SHARED is set).
//
// The mapping loader does not read "sources", "source", "related", "broad", "narrow" and coding
// "version" yet, so every file written here is checked against the format with nlohmann::json
// (check_shape) and the loader's code checks instead of being loaded.
#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/importers/importer.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using mapping::ImportFormat;
using mapping::ImportRequest;
using mapping::ImportSummary;

const std::string kSnomed = "http://snomed.info/sct";
const std::string kIcd10cm = "http://hl7.org/fhir/sid/icd-10-cm";
const std::string kUmls = "http://www.nlm.nih.gov/research/umls";
const std::string kHpo = "http://human-phenotype-ontology.org";
const std::string kLoinc = "http://loinc.org";

fs::path fixture(const std::string& name) { return source_dir() / "tests/fixtures/terminology" / name; }

// A fresh output folder that does not exist yet (the importer creates it).
fs::path fresh_output(const std::string& name) {
  static const fs::path root = temp_dir("importers");   // temp_dir empties its folder: once
  static int counter = 0;
  return root / (name + "-" + std::to_string(counter++));
}

struct Imported {
  ImportSummary summary;
  std::string text;   // the file written
  Json file;          // the same, parsed
};

using Adjust = std::function<void(ImportRequest&)>;

ImportRequest request_for(ImportFormat format, std::vector<fs::path> files, const fs::path& out, const Adjust& adjust) {
  ImportRequest r;
  r.format = format;
  r.files = std::move(files);
  r.output_dir = out;
  if (adjust) adjust(r);
  return r;
}

Imported import_into(const fs::path& out, ImportFormat format, std::vector<fs::path> files, const Adjust& adjust = {}) {
  Imported i;
  i.summary = mapping::import_terminology(request_for(format, std::move(files), out, adjust));
  BOOST_TEST_REQUIRE(fs::exists(i.summary.written));
  i.text = read_text_file(i.summary.written);
  i.file = Json::parse(i.text);
  return i;
}

Imported import_fresh(ImportFormat format, std::vector<fs::path> files, const Adjust& adjust = {}) {
  return import_into(fresh_output("run"), format, std::move(files), adjust);
}

// The error an import throws (nullopt when it succeeds).
std::optional<Error> import_error(ImportFormat format, std::vector<fs::path> files, const fs::path& out, const Adjust& adjust = {}) {
  try {
    mapping::import_terminology(request_for(format, std::move(files), out, adjust));
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

const Json& entries(const Json& file) { return file.contains("analytes") ? file["analytes"] : file["concepts"]; }

const Json& by_id(const Json& file, const std::string& id) {
  for (const auto& c : entries(file))
    if (c["id"] == id) return c;
  BOOST_FAIL("no concept " << id);
  static const Json none;
  return none;
}

bool mentions(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

bool has_concept(const Json& file, const std::string& id) {
  return std::any_of(entries(file).begin(), entries(file).end(), [&](const Json& c) { return c["id"] == id; });
}

std::vector<std::string> list(const Json& c, const char* key) {
  return c.contains(key) ? c[key].get<std::vector<std::string>>() : std::vector<std::string>{};
}

// "system|code" of every coding, in order.
std::vector<std::string> codings(const Json& c) {
  std::vector<std::string> out;
  for (const auto& x : c["codes"]) out.push_back(x["system"].get<std::string>() + "|" + x["code"].get<std::string>());
  return out;
}

std::vector<std::string> ids(const Json& file) {
  std::vector<std::string> out;
  for (const auto& c : entries(file)) out.push_back(c["id"]);
  return out;
}

using Ids = std::vector<std::string>;

bool is_word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }

std::string folded(std::string s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

// The mapping format (mappings/README.md, extended with sources, source, related, broad, narrow
// and coding version), checked as the loader will check it.
// The loader's id rule, [a-z0-9][a-z0-9._-]* (spelt out: <regex> trips GCC 12's
// -Wmaybe-uninitialized under the sanitizers, which breaks `make test-asan`).
bool is_mapping_id(const std::string& id) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return !id.empty() && lower_or_digit(id[0]) &&
         std::all_of(id.begin(), id.end(), [&](char c) { return lower_or_digit(c) || c == '.' || c == '_' || c == '-'; });
}

void check_shape(const Json& file) {
  BOOST_TEST_REQUIRE(file.is_object());
  const bool analytes = file.contains("analytes");
  BOOST_TEST(file.size() == (file.contains("excluded_codes") ? 3u : 2u));
  BOOST_TEST_REQUIRE(file.contains("sources"));
  for (const Json& e : file.value("excluded_codes", Json::array())) {
    BOOST_TEST((e.size() == 3u && e.contains("system") && e.contains("code") && e.contains("why")), e.dump());
  }
  BOOST_TEST_REQUIRE(file.contains(analytes ? "analytes" : "concepts"));
  BOOST_TEST_REQUIRE(file["sources"].size() == 1u);
  const Json& source = file["sources"][0];
  for (const auto& [key, value] : source.items()) {
    BOOST_TEST((key == "id" || key == "name" || key == "version" || key == "licence" || key == "url" || key == "attribution"), key);
    BOOST_TEST((value.is_string() && !value.get<std::string>().empty()), key);
  }
  BOOST_TEST(is_mapping_id(source["id"].get<std::string>()));

  const std::set<std::string> concept_keys = {"id", "kind", "source", "display", "terms", "related", "broad", "narrow", "abbreviations", "codes"};
  const std::set<std::string> analyte_keys = {"id", "source", "display", "terms", "abbreviations", "codes", "unit"};
  const std::set<std::string> kinds = {"disorder", "finding", "procedure", "body-structure", "lab", "morphology"};
  std::set<std::string> seen;
  for (const Json& c : entries(file)) {
    const std::string id = c.value("id", "");
    BOOST_TEST(is_mapping_id(id), id);
    BOOST_TEST(seen.insert(id).second, "id given twice: " << id);
    for (const auto& [key, value] : c.items()) BOOST_TEST((analytes ? analyte_keys : concept_keys).count(key) == 1u, id << ": " << key);
    BOOST_TEST(c.value("source", "") == source["id"]);
    if (analytes) BOOST_TEST(!c.value("unit", "").empty(), id);
    else BOOST_TEST(kinds.count(c.value("kind", "")) == 1u, id);
    BOOST_TEST(c.contains("terms"), id);
    std::set<std::string> keys;
    for (const char* scope : {"terms", "related", "broad", "narrow", "abbreviations"}) {
      if (!c.contains(scope)) continue;
      BOOST_TEST(!c[scope].empty(), id << ": empty " << scope);
      for (const auto& t : c[scope]) {
        const std::string term = t.get<std::string>();
        BOOST_TEST((!term.empty() && !std::isspace(static_cast<unsigned char>(term.front())) &&
                    !std::isspace(static_cast<unsigned char>(term.back()))), id << ": \"" << term << "\"");
        BOOST_TEST(std::any_of(term.begin(), term.end(), is_word_byte), id << ": \"" << term << "\"");
        if (std::string(scope) != "abbreviations") BOOST_TEST(keys.insert(folded(term)).second, id << ": term twice: " << term);
      }
    }
    if (c.contains("display")) BOOST_TEST(!c["display"].get<std::string>().empty());
    BOOST_TEST_REQUIRE(!c["codes"].empty(), id);
    for (const auto& coding : c["codes"]) {
      const std::string system = coding["system"], code = coding["code"];
      BOOST_TEST((system.find(':') != std::string::npos && system.find(' ') == std::string::npos), system);
      const auto problem = mapping::check_code(system, code);
      BOOST_TEST(!problem, id << ": " << problem.value_or(""));
      for (const auto& [key, value] : coding.items()) {
        BOOST_TEST((key == "system" || key == "code" || key == "display" || key == "version"), key);
        BOOST_TEST(!value.get<std::string>().empty(), id << ": empty " << key);
      }
    }
  }
}

void gzip(const fs::path& from, const fs::path& to) {
  const std::string data = read_text_file(from);
  gzFile out = gzopen(to.c_str(), "wb");
  BOOST_TEST_REQUIRE(out != nullptr);
  BOOST_TEST_REQUIRE(gzwrite(out, data.data(), static_cast<unsigned>(data.size())) == static_cast<int>(data.size()));
  BOOST_TEST_REQUIRE(gzclose(out) == Z_OK);
}

// A copy of a fixture in a fresh folder with `from` replaced by `to` (which must occur once).
fs::path edited_copy(const std::string& name, const std::string& from, const std::string& to, const std::string& as = "") {
  std::string text = read_text_file(fixture(name));
  const auto at = text.find(from);
  BOOST_TEST_REQUIRE(at != std::string::npos, "fixture " << name << " has no \"" << from << "\"");
  text.replace(at, from.size(), to);
  const fs::path path = fresh_output("edited") / (as.empty() ? name : as);
  fs::create_directories(path.parent_path());
  write_text_file(path, text);
  return path;
}

// A copy of the first `bytes` bytes of a file.
fs::path truncated_copy(const fs::path& from, std::size_t bytes, const std::string& name) {
  const fs::path path = fresh_output("truncated") / name;
  fs::create_directories(path.parent_path());
  write_text_file(path, read_text_file(from).substr(0, bytes));
  return path;
}

// Runs an import that must fail and returns its message; the output folder must not appear.
std::string failure(ImportFormat format, std::vector<fs::path> files, ErrorKind kind, const Adjust& adjust = {}) {
  const fs::path out = fresh_output("failed");
  const auto e = import_error(format, std::move(files), out, adjust);
  BOOST_TEST_REQUIRE(e.has_value(), "the import did not fail");
  BOOST_TEST(to_string(e->kind()) == to_string(kind), e->what());
  BOOST_TEST(!fs::exists(out), "the failed import left " << out);
  return e->what();
}

// --- ../shared/terminology -----------------------------------------------------------------

fs::path terminology(const std::string& path) { return shared_dir() / "terminology" / path; }

bool shared_terminology() {
  if (have_shared()) return true;
  std::cout << "importers: " << (shared_dir() / "terminology").string()
            << " is absent, so the real releases were NOT imported" << std::endl;
  const char* required = std::getenv("CASEFHIR_REQUIRE_SHARED");
  if (required != nullptr && *required != '\0' && std::string(required) != "0")
    BOOST_ERROR("CASEFHIR_REQUIRE_SHARED is set but ../shared/terminology is absent");
  return false;
}

std::size_t with_system(const Json& file, const std::string& system) {
  return static_cast<std::size_t>(std::count_if(entries(file).begin(), entries(file).end(), [&](const Json& c) {
    return std::any_of(c["codes"].begin(), c["codes"].end(), [&](const Json& x) { return x["system"] == system; });
  }));
}

std::size_t count(const std::map<std::string, std::size_t>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(importers)

// --- the API the CLI wraps --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_format_has_a_command_line_name) {
  for (const char* name : {"obo", "obographs-json", "icd10cm-tabular", "icd10cm-order", "fhir-valueset", "umls-mrconso", "loinc-csv"}) {
    const auto format = mapping::import_format_from_name(name);
    BOOST_TEST_REQUIRE(format.has_value(), name);
    BOOST_TEST(mapping::to_string(*format) == name);
    BOOST_TEST(std::string(mapping::import_format_names()).find(name) != std::string::npos);
  }
  BOOST_TEST(!mapping::import_format_from_name("owl"));
  BOOST_TEST(!mapping::import_format_from_name("OBO"));
  BOOST_TEST((mapping::import_kind_from_name("body-structure") == ConceptKind::body_structure));
  BOOST_TEST(!mapping::import_kind_from_name("method"));
}

BOOST_AUTO_TEST_CASE(summary_is_one_line_with_counts_and_the_file_written) {
  const auto i = import_fresh(ImportFormat::obo, {fixture("doid-mini.obo")});
  const std::string line = i.summary.to_string();
  BOOST_TEST(line.find('\n') == std::string::npos);
  BOOST_TEST(line.rfind("doid 2024-01-31: 3 concepts (disorder 3); ", 0) == 0, line);
  BOOST_TEST(line.find("dropped 1 obsolete") != std::string::npos, line);
  BOOST_TEST(line.find("GARD 1") != std::string::npos, line);
  BOOST_TEST(line.find("written to " + i.summary.written.string()) != std::string::npos, line);
  BOOST_TEST(i.summary.written.filename() == "doid.json");
}

BOOST_AUTO_TEST_CASE(source_id_option_names_the_file_and_each_concepts_source_not_the_concept_ids) {
  const auto i = import_fresh(ImportFormat::obo, {fixture("hp-mini.obo")}, [](ImportRequest& r) {
    r.source_id = "hpo-2017";
    r.version = "2017-04-13-test";
  });
  BOOST_TEST(i.summary.written.filename() == "hpo-2017.json");
  BOOST_TEST(i.file["sources"][0]["id"] == "hpo-2017");
  BOOST_TEST(i.file["sources"][0]["version"] == "2017-04-13-test");
  BOOST_TEST(by_id(i.file, "hp-0001250")["source"] == "hpo-2017");
  BOOST_TEST(by_id(i.file, "hp-0001250")["codes"][0]["version"] == "2017-04-13-test");
  check_shape(i.file);
}

BOOST_AUTO_TEST_CASE(a_request_that_cannot_work_is_a_usage_error) {
  BOOST_TEST(failure(ImportFormat::obo, {fixture("doid-mini.obo"), fixture("hp-mini.obo")}, ErrorKind::usage) ==
             "obo reads one file; got 2");
  BOOST_TEST(failure(ImportFormat::umls_mrconso, {fixture("MRCONSO.RRF")}, ErrorKind::usage) ==
             "umls-mrconso reads two files, MRCONSO.RRF and MRSTY.RRF; got 1");
  BOOST_TEST(failure(ImportFormat::obo, {fixture("doid-mini.obo")}, ErrorKind::usage,
                     [](ImportRequest& r) { r.source_id = "My Source"; }) ==
             "the source id \"My Source\" is not valid (lower-case letters, digits, '.', '_', '-')");
  BOOST_TEST(failure(ImportFormat::obo, {fixture("doid-mini.obo")}, ErrorKind::usage,
                     [](ImportRequest& r) { r.billable_only = true; }) == "billable-only applies to icd10cm-order");
  const std::string missing = (fixture("no-such-file.obo")).string();
  BOOST_TEST(failure(ImportFormat::obo, {fixture("no-such-file.obo")}, ErrorKind::input_missing) == missing + ": no such file");
}

// --- OBO ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(obo_synonyms_keep_their_scope_and_a_term_appears_once_in_its_strongest_scope) {
  const auto i = import_fresh(ImportFormat::obo, {fixture("doid-mini.obo")});
  check_shape(i.file);
  const Json& c = by_id(i.file, "doid-0001816");
  BOOST_TEST(c["kind"] == "disorder");
  BOOST_TEST(c["display"] == "angiosarcoma");
  // "Hemangiosarcoma" (EXACT, other case) and "hemangiosarcoma" (RELATED) repeat an exact term.
  BOOST_TEST(list(c, "terms") == (Ids{"angiosarcoma", "hemangiosarcoma"}));
  BOOST_TEST(list(c, "related") == (Ids{"malignant hemangioendothelioma", "\"malignant\" angioma\\variant"}));
  BOOST_TEST(list(c, "broad") == (Ids{"vascular sarcoma"}));
  BOOST_TEST(list(c, "narrow") == (Ids{"angiosarcoma of the liver"}));
  BOOST_TEST(list(c, "abbreviations") == (Ids{"AS"}));
  BOOST_TEST(count(i.summary.dropped_terms, "duplicate") == 2u);
  BOOST_TEST(count(i.summary.dropped_terms, "leading or trailing white space") == 1u);   // "  "
  BOOST_TEST(i.summary.exact == 5u);
  BOOST_TEST(i.summary.terms == 10u);
  // Keys appear only when they have something: vascular cancer has no related synonyms.
  BOOST_TEST(!by_id(i.file, "doid-175").contains("related"));
}

BOOST_AUTO_TEST_CASE(obo_obsolete_terms_and_other_stanzas_are_not_imported) {
  const auto i = import_fresh(ImportFormat::obo, {fixture("doid-mini.obo")});
  BOOST_TEST(ids(i.file) == (Ids{"doid-0001816", "doid-175", "doid-4"}));   // sorted by code
  BOOST_TEST(i.summary.dropped_obsolete == 1u);
  BOOST_TEST(!mentions(i.text, "derives"));   // the [Typedef]
  // The root "disease" is active in the Disease Ontology, so it is imported like any term.
  BOOST_TEST(by_id(i.file, "doid-4")["kind"] == "disorder");
  BOOST_TEST(i.file["sources"][0]["version"] == "2024-01-31");   // from data-version
  BOOST_TEST(i.file["sources"][0]["licence"] == "CC0 1.0");
}

BOOST_AUTO_TEST_CASE(obo_xrefs_become_codings_with_canonical_systems_after_the_sources_own_code) {
  const auto i = import_fresh(ImportFormat::obo, {fixture("doid-mini.obo")});
  const Json& c = by_id(i.file, "doid-0001816");
  BOOST_TEST(codings(c) == (Ids{"http://purl.obolibrary.org/obo/doid.owl|DOID:0001816",
                                "https://www.nlm.nih.gov/mesh|D006394",
                                "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl|C3088",
                                kSnomed + "|39000009",   // SNOMEDCT_US_2023_03_01: the edition date is not part of the system
                                kUmls + "|C0018923",
                                kIcd10cm + "|C49.9"}));   // ICD10CM:C499, dotted
  BOOST_TEST(c["codes"][0]["display"] == "angiosarcoma");
  BOOST_TEST(codings(by_id(i.file, "doid-175")).back() == kIcd10cm + "|C49");   // three characters: no dot
  BOOST_TEST(count(i.summary.dropped_xrefs, "GARD") == 1u);
  BOOST_TEST(count(i.summary.dropped_xrefs, "ICDO") == 1u);
  BOOST_TEST(count(i.summary.dropped_xrefs, "SNOMEDCT_US invalid code") == 1u);   // 12345: not a SNOMED CT id
}

BOOST_AUTO_TEST_CASE(hpo_terms_below_phenotypic_abnormality_are_findings_and_other_branches_are_counted) {
  const auto i = import_fresh(ImportFormat::obo, {fixture("hp-mini.obo")});
  check_shape(i.file);
  BOOST_TEST(i.summary.source_id == "hpo");
  BOOST_TEST(ids(i.file) == (Ids{"hp-0000707", "hp-0000957", "hp-0001250", "hp-0003812", "hp-0010850"}));
  for (const auto& c : entries(i.file)) BOOST_TEST(c["kind"] == "finding");
  // Phenotypic variability is below both a clinical modifier and a phenotypic abnormality.
  BOOST_TEST(has_concept(i.file, "hp-0003812"));
  const auto& dropped = i.summary.dropped_concepts;
  BOOST_TEST(count(dropped, "branch HP:0000005 Mode of inheritance") == 2u);
  BOOST_TEST(count(dropped, "branch HP:0012823 Clinical modifier") == 2u);
  BOOST_TEST(count(dropped, "branch root HP:0000118 Phenotypic abnormality") == 1u);
  BOOST_TEST(count(dropped, "root HP:0000001 All") == 1u);
  BOOST_TEST(i.summary.dropped_obsolete == 1u);
  // Synonym types come from synonymtypedef: HP:0045077 is "abbreviation"; layperson is a plain type.
  const Json& seizure = by_id(i.file, "hp-0001250");
  BOOST_TEST(list(seizure, "abbreviations") == (Ids{"SZ"}));
  BOOST_TEST(list(seizure, "terms") == (Ids{"Seizure", "Epileptic seizure", "Seizures"}));
  BOOST_TEST(list(seizure, "related") == (Ids{"Fits"}));
  BOOST_TEST(codings(seizure) == (Ids{kHpo + "|HP:0001250", kUmls + "|C0036572", kSnomed + "|91175000",
                                      "https://www.nlm.nih.gov/mesh|D012640"}));
  BOOST_TEST(seizure["codes"][0]["version"] == "2017-04-13");   // HPO's licence: show the version
  BOOST_TEST(i.file["sources"][0]["attribution"].get<std::string>().find("version 2017-04-13") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(hpo_terms_are_written_exactly_as_the_release_writes_them) {
  for (const char* name : {"hp-mini.obo", "hp-mini.json"}) {
    const auto i = import_fresh(name == std::string("hp-mini.obo") ? ImportFormat::obo : ImportFormat::obographs_json,
                                {fixture(name)});
    BOOST_TEST(list(by_id(i.file, "hp-0000957"), "terms") == (Ids{"Café-au-lait spot", "Cafe au lait spots, multiple"}), name);
    const std::string source = read_text_file(fixture(name));
    for (const auto& c : entries(i.file))
      for (const char* scope : {"terms", "related", "broad", "narrow", "abbreviations"})
        for (const auto& t : list(c, scope))
          BOOST_TEST((mentions(source, "\"" + t + "\"") || mentions(source, "name: " + t + "\n")),
                     name << ": \"" << t << "\" is not in the source as written");
  }
  const auto obo = import_fresh(ImportFormat::obo, {fixture("hp-mini.obo")});
  // Two spaces and mixed case stay as they are; only the comparison for duplicates folds them.
  BOOST_TEST(by_id(obo.file, "hp-0010850")["display"] == "EEG with generalized 3-Hz  Spike-Wave complexes");
  BOOST_TEST(list(by_id(obo.file, "hp-0010850"), "related") == (Ids{"EEG: 3-Hz SW (generalised)"}));
}

// --- OBO Graphs JSON ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(obographs_json_reads_classes_synonym_scopes_types_and_the_is_a_graph) {
  const auto i = import_fresh(ImportFormat::obographs_json, {fixture("hp-mini.json")});
  check_shape(i.file);
  BOOST_TEST(i.summary.source_id == "hpo");
  BOOST_TEST(i.file["sources"][0]["version"] == "2024-04-26");   // from meta.version
  BOOST_TEST(i.file["sources"][0]["name"] == "Human Phenotype Ontology");
  BOOST_TEST(ids(i.file) == (Ids{"hp-0000707", "hp-0000957", "hp-0001250"}));
  const Json& seizure = by_id(i.file, "hp-0001250");
  BOOST_TEST(seizure["kind"] == "finding");
  BOOST_TEST(list(seizure, "terms") == (Ids{"Seizure", "Epileptic seizure", "Seizures"}));
  BOOST_TEST(list(seizure, "related") == (Ids{"Fits"}));
  BOOST_TEST(list(seizure, "broad") == (Ids{"Paroxysmal event"}));
  BOOST_TEST(list(seizure, "narrow") == (Ids{"Epileptic seizures"}));
  BOOST_TEST(list(seizure, "abbreviations") == (Ids{"SZ"}));   // synonymType ...#abbreviation
  BOOST_TEST(!mentions(i.text, "Convulsion disorder"));            // synonymType ...#obsolete_synonym
  BOOST_TEST(count(i.summary.dropped_terms, "obsolete synonym") == 1u);
  BOOST_TEST(codings(seizure) == (Ids{kHpo + "|HP:0001250", kUmls + "|C0036572", kSnomed + "|91175000"}));
  BOOST_TEST(seizure["codes"][0]["version"] == "2024-04-26");
  BOOST_TEST(count(i.summary.dropped_xrefs, "Fyler") == 1u);
  BOOST_TEST(i.summary.dropped_obsolete == 1u);                                             // deprecated
  BOOST_TEST(count(i.summary.dropped_concepts, "branch HP:0012823 Clinical modifier") == 2u);   // via edges
  BOOST_TEST(!mentions(i.text, "part of"));                                                  // a PROPERTY node
}

// --- ICD-10-CM ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(icd10cm_tabular_reads_nested_diags_with_inclusion_terms_as_narrow_synonyms) {
  const auto i = import_fresh(ImportFormat::icd10cm_tabular, {fixture("icd10cm-tabular-mini.xml")});
  check_shape(i.file);
  BOOST_TEST(ids(i.file) == (Ids{"icd10cm-a00", "icd10cm-a00.0", "icd10cm-a00.9", "icd10cm-a01", "icd10cm-a01.0",
                                 "icd10cm-a01.02", "icd10cm-r50", "icd10cm-r50.9", "icd10cm-s01", "icd10cm-s01.0",
                                 "icd10cm-s01.00", "icd10cm-u07", "icd10cm-u07.1"}));   // no S01.00XA: not generated
  const Json& a0102 = by_id(i.file, "icd10cm-a01.02");
  BOOST_TEST(list(a0102, "terms") == (Ids{"Typhoid fever with heart involvement"}));
  BOOST_TEST(list(a0102, "narrow") == (Ids{"Typhoid endocarditis", "Typhoid myocarditis"}));
  BOOST_TEST(!mentions(i.text, "paratyphoid fever (A01.1-A01.4)"));   // excludes1 notes are not synonyms
  BOOST_TEST(codings(a0102) == (Ids{kIcd10cm + "|A01.02"}));
  // "fever, unspecified" repeats the label: it stays a term, not also a narrow synonym.
  BOOST_TEST(list(by_id(i.file, "icd10cm-r50.9"), "narrow") == (Ids{"Fever NOS", "Hyperpyrexia NOS"}));
  BOOST_TEST(i.file["sources"][0]["version"] == "2021");
}

BOOST_AUTO_TEST_CASE(icd10cm_kinds_come_from_the_chapter) {
  const auto i = import_fresh(ImportFormat::icd10cm_tabular, {fixture("icd10cm-tabular-mini.xml")});
  BOOST_TEST(by_id(i.file, "icd10cm-a00")["kind"] == "disorder");     // chapter 1
  BOOST_TEST(by_id(i.file, "icd10cm-r50.9")["kind"] == "finding");    // 18: symptoms and signs
  BOOST_TEST(by_id(i.file, "icd10cm-s01.00")["kind"] == "disorder");  // 19: injuries
  BOOST_TEST(by_id(i.file, "icd10cm-u07.1")["kind"] == "disorder");   // 22: U codes
  BOOST_TEST(count(i.summary.dropped_concepts, "chapter 20") == 1u);     // external causes
  BOOST_TEST(count(i.summary.dropped_concepts, "chapter 21") == 2u);     // Z factors
  BOOST_TEST(!has_concept(i.file, "icd10cm-v00"));

  const auto order = import_fresh(ImportFormat::icd10cm_order, {fixture("icd10cm-order-2021-mini.txt")});
  BOOST_TEST(by_id(order.file, "icd10cm-d50.0")["kind"] == "disorder");      // D50-D89: chapter 3
  BOOST_TEST(by_id(order.file, "icd10cm-h60.0")["kind"] == "disorder");      // H60-H95: chapter 8
  BOOST_TEST(by_id(order.file, "icd10cm-r50.81")["kind"] == "finding");
  BOOST_TEST(by_id(order.file, "icd10cm-s01.00xa")["kind"] == "disorder");   // 7th character, as listed
  BOOST_TEST(count(order.summary.dropped_concepts, "chapter 20") == 1u);
  BOOST_TEST(count(order.summary.dropped_concepts, "chapter 21") == 1u);
}

BOOST_AUTO_TEST_CASE(icd10cm_order_file_gives_dotted_codes_long_titles_and_short_titles_that_read_as_words) {
  const auto i = import_fresh(ImportFormat::icd10cm_order, {fixture("icd10cm-order-2021-mini.txt")});
  check_shape(i.file);
  const Json& a000 = by_id(i.file, "icd10cm-a00.0");
  BOOST_TEST(codings(a000) == (Ids{kIcd10cm + "|A00.0"}));
  BOOST_TEST(a000["display"] == "Cholera due to Vibrio cholerae 01, biovar cholerae");
  // The short title leaves words out: a synonym. An abbreviated one ("w", "classd") is not.
  BOOST_TEST(list(by_id(i.file, "icd10cm-a05.2"), "terms") ==
             (Ids{"Foodborne Clostridium perfringens [Clostridium welchii] intoxication", "Foodborne Clostridium perfringens intoxication"}));
  BOOST_TEST(list(by_id(i.file, "icd10cm-r50.81"), "terms") == (Ids{"Fever presenting with conditions classified elsewhere"}));
  BOOST_TEST(list(by_id(i.file, "icd10cm-s01.00xa"), "terms") == (Ids{"Unspecified open wound of scalp, initial encounter"}));
  // Headers are codes too, unless only billable codes are asked for.
  BOOST_TEST(has_concept(i.file, "icd10cm-a00"));
  BOOST_TEST(i.file["sources"][0]["version"] == "2021");   // the year in the file name
  const auto billable = import_fresh(ImportFormat::icd10cm_order, {fixture("icd10cm-order-2021-mini.txt")},
                                     [](ImportRequest& r) { r.billable_only = true; r.version = "2021-jan"; });
  BOOST_TEST(!has_concept(billable.file, "icd10cm-a00"));
  BOOST_TEST(!has_concept(billable.file, "icd10cm-h60.0"));
  BOOST_TEST(count(billable.summary.dropped_concepts, "header, not billable") == 2u);
  BOOST_TEST(billable.file["sources"][0]["version"] == "2021-jan");
}

// --- FHIR ValueSet --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(fhir_valueset_snomed_kinds_come_from_the_semantic_tag_and_oids_become_uris) {
  const auto i = import_fresh(ImportFormat::fhir_valueset, {fixture("ValueSet-snomed-mini.json")});
  check_shape(i.file);
  BOOST_TEST(i.summary.source_id == "snomed-gps-mini");   // the ValueSet's id
  BOOST_TEST(by_id(i.file, "sct-22298006")["kind"] == "disorder");
  BOOST_TEST(by_id(i.file, "sct-386661006")["kind"] == "finding");
  BOOST_TEST(by_id(i.file, "sct-1522000")["kind"] == "morphology");     // morphologic abnormality
  BOOST_TEST(by_id(i.file, "sct-86273004")["kind"] == "procedure");
  BOOST_TEST(by_id(i.file, "sct-19997007")["kind"] == "procedure");     // regime/therapy
  BOOST_TEST(by_id(i.file, "sct-64033007")["kind"] == "body-structure");
  const auto& dropped = i.summary.dropped_concepts;
  BOOST_TEST(count(dropped, "semantic tag organism") == 1u);
  BOOST_TEST(count(dropped, "semantic tag qualifier value") == 1u);
  BOOST_TEST(count(dropped, "no semantic tag (give a kind to import these)") == 1u);
  BOOST_TEST(count(dropped, "excluded by compose.exclude") == 1u);
  // urn:oid:2.16.840.1.113883.6.96 is SNOMED CT; the term is the FSN without its tag.
  const Json& mi = by_id(i.file, "sct-22298006");
  BOOST_TEST(mi["codes"][0]["system"] == kSnomed);
  BOOST_TEST(mi["codes"][0]["display"] == "Myocardial infarction");
  BOOST_TEST(mi["codes"][0]["version"] == "http://snomed.info/sct/900000000000207008/version/20200731");
  BOOST_TEST(list(mi, "terms") == (Ids{"Myocardial infarction", "Heart attack"}));   // English designations only
  // expansion.contains, nested, with a bare OID; the include part defined by a filter is reported.
  BOOST_TEST(by_id(i.file, "sct-274640006")["codes"][0]["system"] == kSnomed);
  BOOST_TEST(i.summary.notes.size() == 1u);
  BOOST_TEST(i.summary.notes.front() == "/compose/include/1 is defined by a filter: its codes are not listed and were not imported");
}

BOOST_AUTO_TEST_CASE(fhir_valueset_of_another_system_needs_a_kind) {
  const std::string message = failure(ImportFormat::fhir_valueset, {fixture("ValueSet-loinc-oid.json")}, ErrorKind::usage);
  BOOST_TEST(message == fixture("ValueSet-loinc-oid.json").string() +
                            ": /compose/include/0/concept/0: the codes of http://loinc.org carry no kind; give the kind of "
                            "this ValueSet's concepts (disorder, finding, procedure, body-structure, lab)");
  const auto i = import_fresh(ImportFormat::fhir_valueset, {fixture("ValueSet-loinc-oid.json")},
                              [](ImportRequest& r) { r.kind = ConceptKind::lab; });
  check_shape(i.file);
  const Json& glucose = by_id(i.file, "loinc-2345-7");   // the bare OID 2.16.840.1.113883.6.1 is LOINC
  BOOST_TEST(glucose["kind"] == "lab");
  BOOST_TEST(codings(glucose) == (Ids{kLoinc + "|2345-7"}));
}

// --- UMLS -----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(umls_concepts_take_their_kind_from_the_semantic_type_and_their_codes_from_each_source) {
  const auto i = import_fresh(ImportFormat::umls_mrconso, {fixture("MRSTY.RRF"), fixture("MRCONSO.RRF")});
  check_shape(i.file);
  BOOST_TEST(ids(i.file) == (Ids{"umls-c0005558", "umls-c0012634", "umls-c0015967", "umls-c0018923", "umls-c0022646"}));
  BOOST_TEST(by_id(i.file, "umls-c0018923")["kind"] == "disorder");        // T191 Neoplastic Process
  BOOST_TEST(by_id(i.file, "umls-c0012634")["kind"] == "disorder");        // T047 wins over T033 Finding
  BOOST_TEST(by_id(i.file, "umls-c0015967")["kind"] == "finding");         // T184 Sign or Symptom
  BOOST_TEST(by_id(i.file, "umls-c0005558")["kind"] == "procedure");       // T060 Diagnostic Procedure
  BOOST_TEST(by_id(i.file, "umls-c0022646")["kind"] == "body-structure");  // T023
  BOOST_TEST(count(i.summary.dropped_concepts, "semantic type T059 Laboratory Procedure") == 1u);
  BOOST_TEST(count(i.summary.dropped_concepts, "no semantic type in MRSTY") == 1u);

  const Json& c = by_id(i.file, "umls-c0018923");
  BOOST_TEST(c["display"] == "Hemangiosarcoma");   // TS P, STT PF, ISPREF Y
  BOOST_TEST(list(c, "terms") == (Ids{"Hemangiosarcoma", "Angiosarcoma", "Malignant neoplasm of connective and soft tissue, unspecified",
                                      "Haemangiosarcoma"}));   // not the suppressible one, nor French
  BOOST_TEST(list(c, "abbreviations") == (Ids{"HAS"}));   // TTY AB
  BOOST_TEST(codings(c) == (Ids{kUmls + "|C0018923", "https://www.nlm.nih.gov/mesh|D006394", kSnomed + "|39000009",
                                "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl|C3088", kIcd10cm + "|C49.9"}));
  BOOST_TEST(count(i.summary.dropped_xrefs, "MDR") == 1u);
  BOOST_TEST(count(i.summary.dropped_terms, "suppressible atom (SUPPRESS O)") == 1u);
  BOOST_TEST(codings(by_id(i.file, "umls-c0015967")).back() == kHpo + "|HP:0001945");   // SAB HPO
}

BOOST_AUTO_TEST_CASE(umls_import_can_keep_only_chosen_sources) {
  const auto i = import_fresh(ImportFormat::umls_mrconso, {fixture("MRCONSO.RRF"), fixture("MRSTY.RRF")},
                              [](ImportRequest& r) { r.umls_sources = {"SNOMEDCT_US"}; });
  const Json& c = by_id(i.file, "umls-c0018923");
  BOOST_TEST(list(c, "terms") == (Ids{"Angiosarcoma"}));   // no preferred atom among SNOMED CT's: the first
  BOOST_TEST(codings(c) == (Ids{kUmls + "|C0018923", kSnomed + "|39000009"}));
  BOOST_TEST(i.summary.notes == (Ids{"only atoms of these sources were read: SNOMEDCT_US"}));
}

// --- LOINC ----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(loinc_csv_gives_active_laboratory_analytes_with_units_and_the_licence_notice) {
  const auto i = import_fresh(ImportFormat::loinc_csv, {fixture("Loinc.csv")});
  check_shape(i.file);
  BOOST_TEST(ids(i.file) == (Ids{"loinc-17861-6", "loinc-20454-5", "loinc-2345-7", "loinc-2951-2"}));
  const Json& calcium = by_id(i.file, "loinc-17861-6");
  BOOST_TEST(list(calcium, "terms") == (Ids{"Calcium [Mass/volume] in Serum or Plasma", "Calcium"}));
  BOOST_TEST(calcium["unit"] == "mg/dL");   // the first of "mg/dL;mmol/L"
  BOOST_TEST(codings(calcium) == (Ids{kLoinc + "|17861-6"}));
  BOOST_TEST(by_id(i.file, "loinc-20454-5")["unit"] == "1");   // no example unit
  BOOST_TEST(i.summary.dropped_obsolete == 1u);   // DEPRECATED
  BOOST_TEST(count(i.summary.dropped_concepts, "status DISCOURAGED") == 1u);
  BOOST_TEST(count(i.summary.dropped_concepts, "status TRIAL") == 1u);
  BOOST_TEST(count(i.summary.dropped_concepts, "class type 2 (not laboratory)") == 1u);
  const Json& source = i.file["sources"][0];
  BOOST_TEST(source["attribution"].get<std::string>().rfind("This material contains content from LOINC", 0) == 0);
  BOOST_TEST(source["version"] == "2.71");   // the newest VersionLastChanged
}

BOOST_AUTO_TEST_CASE(loinc_code_failing_its_check_digit_stops_the_import) {
  const fs::path bad = edited_copy("Loinc.csv", "\"2951-2\"", "\"2951-3\"");
  BOOST_TEST(failure(ImportFormat::loinc_csv, {bad}, ErrorKind::input_malformed) ==
             bad.string() + ":5: LOINC code \"2951-3\" is malformed or fails its mod-10 check digit");
}

// --- output: determinism, shape, atomic writing -------------------------------------------------

BOOST_AUTO_TEST_CASE(the_same_release_gives_byte_identical_files) {
  const std::vector<std::pair<ImportFormat, std::vector<fs::path>>> runs = {
      {ImportFormat::obo, {fixture("doid-mini.obo")}},
      {ImportFormat::obo, {fixture("hp-mini.obo")}},
      {ImportFormat::obographs_json, {fixture("hp-mini.json")}},
      {ImportFormat::icd10cm_tabular, {fixture("icd10cm-tabular-mini.xml")}},
      {ImportFormat::icd10cm_order, {fixture("icd10cm-order-2021-mini.txt")}},
      {ImportFormat::fhir_valueset, {fixture("ValueSet-snomed-mini.json")}},
      {ImportFormat::umls_mrconso, {fixture("MRCONSO.RRF"), fixture("MRSTY.RRF")}},
      {ImportFormat::loinc_csv, {fixture("Loinc.csv")}},
  };
  for (const auto& [format, files] : runs) {
    const auto a = import_fresh(format, files);
    const auto b = import_fresh(format, files);
    BOOST_TEST(a.text == b.text, mapping::to_string(format));
    check_shape(a.file);
    // One concept per line, between the sources and "concepts" lines and the closing line; then the
    // excluded codes, one per line, after their own opening line.
    const auto lines = static_cast<std::size_t>(std::count(a.text.begin(), a.text.end(), '\n'));
    const std::size_t excluded = a.file.contains("excluded_codes") ? a.file["excluded_codes"].size() + 2 : 0;
    BOOST_TEST(lines == entries(a.file).size() + 3 + excluded, mapping::to_string(format));
  }
}

BOOST_AUTO_TEST_CASE(gzipped_sources_read_like_plain_ones_whatever_their_name) {
  const fs::path dir = fresh_output("gz");
  fs::create_directories(dir);
  const auto plain = import_fresh(ImportFormat::obo, {fixture("doid-mini.obo")});
  gzip(fixture("doid-mini.obo"), dir / "doid-mini.obo.gz");
  BOOST_TEST(import_fresh(ImportFormat::obo, {dir / "doid-mini.obo.gz"}).text == plain.text);
  gzip(fixture("doid-mini.obo"), dir / "doid-mini.obo");   // gzip by its magic bytes, not its name
  BOOST_TEST(import_fresh(ImportFormat::obo, {dir / "doid-mini.obo"}).text == plain.text);
  // A .gz of two members (RFC 1952 §2.2) reads as their concatenation.
  const std::string text = read_text_file(fixture("doid-mini.obo"));
  const auto half = text.find("[Term]\nid: DOID:175");
  write_text_file(dir / "first", text.substr(0, half));
  write_text_file(dir / "second", text.substr(half));
  gzip(dir / "first", dir / "first.gz");
  gzip(dir / "second", dir / "second.gz");
  write_text_file(dir / "two-members.obo.gz", read_text_file(dir / "first.gz") + read_text_file(dir / "second.gz"));
  BOOST_TEST(import_fresh(ImportFormat::obo, {dir / "two-members.obo.gz"}).text == plain.text);

  gzip(fixture("hp-mini.json"), dir / "hp-mini.json.gz");
  BOOST_TEST(import_fresh(ImportFormat::obographs_json, {dir / "hp-mini.json.gz"}).text ==
             import_fresh(ImportFormat::obographs_json, {fixture("hp-mini.json")}).text);
  gzip(fixture("MRCONSO.RRF"), dir / "MRCONSO.RRF.gz");
  BOOST_TEST(import_fresh(ImportFormat::umls_mrconso, {dir / "MRCONSO.RRF.gz", fixture("MRSTY.RRF")}).text ==
             import_fresh(ImportFormat::umls_mrconso, {fixture("MRCONSO.RRF"), fixture("MRSTY.RRF")}).text);
}

BOOST_AUTO_TEST_CASE(an_existing_file_is_replaced_whole_and_a_failed_import_leaves_it_alone) {
  const fs::path out = fresh_output("replace");
  const auto first = import_into(out, ImportFormat::obo, {fixture("doid-mini.obo")});
  write_text_file(out / "doid.json", "old");
  const auto second = import_into(out, ImportFormat::obo, {fixture("doid-mini.obo")});
  BOOST_TEST(second.text == first.text);

  const fs::path broken = edited_copy("doid-mini.obo", "synonym: \"hemangiosarcoma\" EXACT []", "synonym: \"hemangiosarcoma EXACT []");
  BOOST_TEST(import_error(ImportFormat::obo, {broken}, out).has_value());
  BOOST_TEST(read_text_file(out / "doid.json") == first.text);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
  BOOST_TEST(names == (Ids{"doid.json"}));   // no temporary file left
}

BOOST_AUTO_TEST_CASE(an_unwritable_output_folder_is_an_output_error) {
  const fs::path blocker = fresh_output("file-in-the-way");
  fs::create_directories(blocker.parent_path());
  write_text_file(blocker, "not a folder");
  const auto e = import_error(ImportFormat::obo, {fixture("doid-mini.obo")}, blocker / "sub");
  BOOST_TEST_REQUIRE(e.has_value());
  BOOST_TEST(to_string(e->kind()) == to_string(ErrorKind::output_failed), e->what());
  BOOST_TEST(read_text_file(blocker) == "not a folder");
}

// --- malformed, truncated and mistaken inputs --------------------------------------------------

BOOST_AUTO_TEST_CASE(malformed_obo_is_reported_at_its_line_and_column) {
  const fs::path quote = edited_copy("doid-mini.obo", "synonym: \"vascular sarcoma\" BROAD []", "synonym: \"vascular sarcoma BROAD []");
  BOOST_TEST(failure(ImportFormat::obo, {quote}, ErrorKind::input_malformed) == quote.string() + ":28:10: synonym without closing quote");
  const fs::path scope = edited_copy("doid-mini.obo", "\"vascular sarcoma\" BROAD", "\"vascular sarcoma\" WIDE");
  BOOST_TEST(failure(ImportFormat::obo, {scope}, ErrorKind::input_malformed) ==
             scope.string() + ":28:29: synonym scope \"WIDE\" is not EXACT, RELATED, BROAD or NARROW");
  const fs::path line = edited_copy("doid-mini.obo", "name: vascular cancer", "vascular cancer");
  BOOST_TEST(failure(ImportFormat::obo, {line}, ErrorKind::input_malformed) ==
             line.string() + ":46:1: expected \"tag: value\", a [Stanza] header or a \"!\" comment");
  const fs::path id = edited_copy("doid-mini.obo", "id: DOID:175\n", "");
  BOOST_TEST(failure(ImportFormat::obo, {id}, ErrorKind::input_malformed) == id.string() + ":44: a [Term] stanza without an id");
  const fs::path twice = edited_copy("doid-mini.obo", "id: DOID:175", "id: DOID:4");
  BOOST_TEST(failure(ImportFormat::obo, {twice}, ErrorKind::input_malformed) ==
             twice.string() + ":44: DOID:4 is defined twice (first [Term] at line 12)");
  const fs::path utf8 = edited_copy("doid-mini.obo", "name: vascular cancer", "name: vascular \xC3\x28 cancer");
  BOOST_TEST(failure(ImportFormat::obo, {utf8}, ErrorKind::input_malformed) == utf8.string() + ":46:16: not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(a_truncated_gzip_stream_is_an_error_not_a_short_file) {
  const fs::path dir = fresh_output("gz-truncated");
  fs::create_directories(dir);
  gzip(fixture("doid-mini.obo"), dir / "doid.obo.gz");
  const std::string whole = read_text_file(dir / "doid.obo.gz");
  for (std::size_t cut : {whole.size() - 4, whole.size() / 2, std::size_t{12}}) {
    const fs::path truncated = truncated_copy(dir / "doid.obo.gz", cut, "doid.obo.gz");
    const std::string message = failure(ImportFormat::obo, {truncated}, ErrorKind::input_malformed);
    BOOST_TEST(message == truncated.string() + ": the gzip stream is truncated: the file ends inside the compressed data");
  }
  std::string corrupt = whole;
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x55);
  write_text_file(dir / "corrupt.obo.gz", corrupt);
  BOOST_TEST(failure(ImportFormat::obo, {dir / "corrupt.obo.gz"}, ErrorKind::input_malformed).find(": the gzip data is corrupt") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_obographs_json_is_reported_at_its_json_pointer_or_line) {
  const fs::path wrong = edited_copy("hp-mini.json", "\"val\" : \"Fits\"", "\"val\" : 42");
  BOOST_TEST(failure(ImportFormat::obographs_json, {wrong}, ErrorKind::input_malformed) ==
             wrong.string() + ": /graphs/0/nodes/7/meta/synonyms/2: \"val\" must be a string");
  const fs::path pred = edited_copy("hp-mini.json", "\"hasBroadSynonym\"", "\"hasWideSynonym\"");
  BOOST_TEST(failure(ImportFormat::obographs_json, {pred}, ErrorKind::input_malformed) ==
             pred.string() + ": /graphs/0/nodes/7/meta/synonyms/3: \"pred\" must be hasExactSynonym, hasRelatedSynonym, "
                             "hasBroadSynonym or hasNarrowSynonym (got \"hasWideSynonym\")");
  const fs::path edge = edited_copy("hp-mini.json", "\"pred\" : \"is_a\",\n      \"obj\" : \"http://purl.obolibrary.org/obo/HP_0000118\"",
                                    "\"pred\" : \"is_a\"");
  BOOST_TEST(failure(ImportFormat::obographs_json, {edge}, ErrorKind::input_malformed) ==
             edge.string() + ": /graphs/0/edges/3: missing \"obj\"");
  const std::string text = read_text_file(fixture("hp-mini.json"));
  const std::size_t at = text.find("\"Paroxysmal");
  const fs::path cut = truncated_copy(fixture("hp-mini.json"), at, "hp.json");
  const std::string message = failure(ImportFormat::obographs_json, {cut}, ErrorKind::input_malformed);
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;   // where it stops
  BOOST_TEST(message.rfind(cut.string() + ":" + std::to_string(line) + ":", 0) == 0, message);
  BOOST_TEST(message.find("unexpected end of input") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(malformed_icd10cm_tabular_is_reported_at_its_element) {
  const fs::path no_name = edited_copy("icd10cm-tabular-mini.xml", "<name>A00.9</name>", "");
  BOOST_TEST(failure(ImportFormat::icd10cm_tabular, {no_name}, ErrorKind::input_malformed) ==
             no_name.string() + ":27:9: <diag> without <name>");
  const fs::path bad_code = edited_copy("icd10cm-tabular-mini.xml", "<name>A00.9</name>", "<name>A00.9.1</name>");
  BOOST_TEST(failure(ImportFormat::icd10cm_tabular, {bad_code}, ErrorKind::input_malformed) ==
             bad_code.string() + ":27:9: <name> \"A00.9.1\" is not an ICD-10-CM code");
  const std::string text = read_text_file(fixture("icd10cm-tabular-mini.xml"));
  const std::size_t at = text.find("<desc>Open wound of head</desc>") + 10;
  const fs::path cut = truncated_copy(fixture("icd10cm-tabular-mini.xml"), at, "tabular.xml");
  const std::string message = failure(ImportFormat::icd10cm_tabular, {cut}, ErrorKind::input_malformed);
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1;   // where it stops
  BOOST_TEST(message.rfind(cut.string() + ":" + std::to_string(line) + ":", 0) == 0, message);
  const fs::path doctype = edited_copy("icd10cm-tabular-mini.xml", "<ICD10CM.tabular>\n",
                                       "<!DOCTYPE t [<!ENTITY a \"aaaaaaaaaa\">]>\n<ICD10CM.tabular>\n");
  BOOST_TEST(failure(ImportFormat::icd10cm_tabular, {doctype}, ErrorKind::input_malformed) ==
             doctype.string() + ":2:1: a DOCTYPE is not accepted (its entity declarations could expand without limit)");
}

BOOST_AUTO_TEST_CASE(malformed_order_file_umls_and_loinc_lines_are_reported_at_their_line) {
  const fs::path flag = edited_copy("icd10cm-order-2021-mini.txt", "00003 A009    1", "00003 A009    2");
  BOOST_TEST(failure(ImportFormat::icd10cm_order, {flag}, ErrorKind::input_malformed) ==
             flag.string() + ":3:15: column 15 must be 1 (billable) or 0 (header)");
  const fs::path rrf = edited_copy("MRCONSO.RRF", "C0005558|ENG|P|L0005558|PF|S0013838|Y|A0037463||M0002561|D001706|MSH|MH|D001706|Biopsy|0|N|256|",
                                   "C0005558|ENG|P|L0005558|PF|S0013838|Y|");
  BOOST_TEST(failure(ImportFormat::umls_mrconso, {rrf, fixture("MRSTY.RRF")}, ErrorKind::input_malformed) ==
             rrf.string() + ":16: expected 18 fields, got 7");
  const fs::path csv = fixture("Loinc.csv");
  const std::string text = read_text_file(csv);
  const fs::path cut = truncated_copy(csv, text.find("serum; Level"), "Loinc.csv");   // inside a quoted field
  BOOST_TEST(failure(ImportFormat::loinc_csv, {cut}, ErrorKind::input_malformed) == cut.string() + ":3: unterminated quoted field");
  const fs::path short_row = edited_copy("Loinc.csv", "\"2951-2\",\"Sodium\",", "\"2951-2\",");
  BOOST_TEST(failure(ImportFormat::loinc_csv, {short_row}, ErrorKind::input_malformed) ==
             short_row.string() + ":5: expected 40 fields, got 39");
}

BOOST_AUTO_TEST_CASE(a_file_of_another_format_is_a_clear_error) {
  BOOST_TEST(failure(ImportFormat::obographs_json, {fixture("doid-mini.obo")}, ErrorKind::input_malformed) ==
             fixture("doid-mini.obo").string() + ":1:1: not JSON: the file starts with \"f\"");
  BOOST_TEST(failure(ImportFormat::obo, {fixture("hp-mini.json")}, ErrorKind::input_malformed) ==
             fixture("hp-mini.json").string() + ":1:1: not an OBO flat file: it starts with \"{\" (JSON or XML); OBO lines are \"tag: value\"");
  BOOST_TEST(failure(ImportFormat::icd10cm_order, {fixture("icd10cm-tabular-mini.xml")}, ErrorKind::input_malformed) ==
             fixture("icd10cm-tabular-mini.xml").string() +
                 ":1: an order-file line has the long title from column 78; this line has 38 characters: not an ICD-10-CM order file");
  BOOST_TEST(failure(ImportFormat::fhir_valueset, {fixture("hp-mini.json")}, ErrorKind::input_malformed) ==
             fixture("hp-mini.json").string() + ": /: not a FHIR ValueSet (resourceType is \"\")");
  BOOST_TEST(failure(ImportFormat::icd10cm_tabular, {fixture("ValueSet-snomed-mini.json")}, ErrorKind::input_malformed)
                 .rfind(fixture("ValueSet-snomed-mini.json").string() + ":1:1: ", 0) == 0);
  BOOST_TEST(failure(ImportFormat::loinc_csv, {fixture("MRCONSO.RRF")}, ErrorKind::input_malformed) ==
             fixture("MRCONSO.RRF").string() + ":1: the header has no column LOINC_NUM: not LOINC's Loinc.csv");
  BOOST_TEST(failure(ImportFormat::umls_mrconso, {fixture("MRSTY.RRF"), edited_copy("Loinc.csv", "LOINC_NUM", "LOINC_NUM", "MRCONSO.RRF")},
                     ErrorKind::input_malformed)
                 .find(":1: expected 18 fields, got 1") != std::string::npos);
  const fs::path empty = fresh_output("empty") / "empty.obo";
  fs::create_directories(empty.parent_path());
  write_text_file(empty, "");
  BOOST_TEST(failure(ImportFormat::obo, {empty}, ErrorKind::input_empty) == empty.string() + ": the file is empty");
}

// --- the real releases in ../shared/terminology --------------------------------------------------

BOOST_AUTO_TEST_CASE(real_disease_ontology_gives_every_active_term_as_a_disorder) {
  if (!shared_terminology()) return;
  const auto i = import_fresh(ImportFormat::obo, {terminology("doid/doid.obo.gz")});
  check_shape(i.file);
  std::cout << "importers: " << i.summary.to_string() << std::endl;
  // README: 13,982 [Term] = 11,501 active + 2,481 obsolete.
  BOOST_TEST(i.summary.concepts == 11501u);
  BOOST_TEST(i.summary.kinds.at("disorder") == 11501u);
  BOOST_TEST(i.summary.dropped_obsolete == 2481u);
  BOOST_TEST(i.summary.dropped_concepts.empty());
  BOOST_TEST(i.summary.version == "2024-01-31");
  // README: 4,815 active DOIDs carry a SNOMED CT xref, 3,529 an ICD10CM one (a few of those are
  // ranges like "A00-A09" or daggered codes, which are not codes and are dropped).
  BOOST_TEST(with_system(i.file, kSnomed) == 4815u);
  const std::size_t icd = with_system(i.file, kIcd10cm);
  BOOST_TEST((icd <= 3529u && icd + count(i.summary.dropped_xrefs, "ICD10CM invalid code") >= 3529u), icd);
  // Byte-identical on a second run.
  BOOST_TEST(import_fresh(ImportFormat::obo, {terminology("doid/doid.obo.gz")}).text == i.text);
}

BOOST_AUTO_TEST_CASE(real_hpo_json_gives_the_phenotypic_abnormalities_as_findings_with_unaltered_terms) {
  if (!shared_terminology()) return;
  const auto i = import_fresh(ImportFormat::obographs_json, {terminology("hpo/hp.v2024-04-26.json.gz")});
  check_shape(i.file);
  std::cout << "importers: " << i.summary.to_string() << std::endl;
  // README: 18,961 HP classes, 18,536 active. Below HP:0000118 (not itself): 17,957.
  BOOST_TEST(i.summary.dropped_obsolete == 18961u - 18536u);
  BOOST_TEST(i.summary.concepts == 17957u);
  BOOST_TEST(i.summary.kinds.at("finding") == 17957u);
  std::size_t by_branch = 0;
  for (const auto& [reason, n] : i.summary.dropped_concepts) by_branch += n;
  BOOST_TEST(i.summary.concepts + by_branch == 18536u);
  BOOST_TEST(count(i.summary.dropped_concepts, "branch HP:0000005 Mode of inheritance") == 41u);
  BOOST_TEST(count(i.summary.dropped_concepts, "branch HP:0012823 Clinical modifier") == 293u);
  BOOST_TEST(count(i.summary.dropped_concepts, "branch HP:0040279 Frequency") == 7u);
  BOOST_TEST(i.summary.version == "2024-04-26");
  BOOST_TEST(by_id(i.file, "hp-0001250")["codes"][0]["version"] == "2024-04-26");

  // Every term written is a label or synonym of the release, character for character.
  std::set<std::string> source_strings;
  {
    // The release read independently (zlib, nlohmann): every lbl and synonym val.
    gzFile in = gzopen(terminology("hpo/hp.v2024-04-26.json.gz").c_str(), "rb");
    BOOST_TEST_REQUIRE(in != nullptr);
    std::string text;
    char buffer[1 << 16];
    for (int n; (n = gzread(in, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
    gzclose(in);
    const Json hp = Json::parse(text);
    for (const auto& node : hp["graphs"][0]["nodes"]) {
      if (node.contains("lbl")) source_strings.insert(node["lbl"].get<std::string>());
      if (node.contains("meta") && node["meta"].contains("synonyms"))
        for (const auto& s : node["meta"]["synonyms"]) source_strings.insert(s["val"].get<std::string>());
    }
  }
  std::size_t checked = 0, altered = 0;
  for (const auto& c : entries(i.file))
    for (const char* scope : {"terms", "related", "broad", "narrow", "abbreviations"})
      for (const auto& t : list(c, scope)) {
        ++checked;
        if (!source_strings.count(t)) ++altered;
      }
  BOOST_TEST(checked == i.summary.terms);
  BOOST_TEST(altered == 0u);
}

BOOST_AUTO_TEST_CASE(real_hpo_obo_of_2017_imports_with_its_own_version) {
  if (!shared_terminology()) return;
  const auto i = import_fresh(ImportFormat::obo, {terminology("hpo/hp.obo.gz")}, [](ImportRequest& r) { r.source_id = "hpo-2017"; });
  check_shape(i.file);
  std::cout << "importers: " << i.summary.to_string() << std::endl;
  std::size_t dropped = 0;
  for (const auto& [reason, n] : i.summary.dropped_concepts) dropped += n;
  BOOST_TEST(i.summary.concepts + dropped + i.summary.dropped_obsolete == 12358u);   // README: 12,358 terms
  BOOST_TEST(i.summary.version == "2017-04-13");
  BOOST_TEST(i.summary.abbreviations > 0u);   // synonymtypedef HP:0045077 "abbreviation"
}

BOOST_AUTO_TEST_CASE(real_icd10cm_tabular_gives_every_diag_of_the_imported_chapters) {
  if (!shared_terminology()) return;
  const auto i = import_fresh(ImportFormat::icd10cm_tabular, {terminology("icd10cm/icd10cm_tabular_2021.xml")});
  check_shape(i.file);
  std::cout << "importers: " << i.summary.to_string() << std::endl;
  // README: 45,017 <diag>; chapter 20 (V-Y) has 3,399 and chapter 21 (Z) 1,658 of them.
  BOOST_TEST(count(i.summary.dropped_concepts, "chapter 20") == 3399u);
  BOOST_TEST(count(i.summary.dropped_concepts, "chapter 21") == 1658u);
  BOOST_TEST(i.summary.concepts == 45017u - 3399u - 1658u);
  BOOST_TEST(i.summary.kinds.at("finding") == 804u);   // chapter 18, R00-R99
  BOOST_TEST(i.summary.version == "2021");
  BOOST_TEST(i.summary.narrow > 9000u);                 // inclusion terms (11,617 notes in all chapters)
  BOOST_TEST(list(by_id(i.file, "icd10cm-a00.0"), "narrow") == (Ids{"Classical cholera"}));
}

BOOST_AUTO_TEST_CASE(real_icd10cm_order_file_gives_every_code_line_of_the_imported_chapters) {
  if (!shared_terminology()) return;
  const auto i = import_fresh(ImportFormat::icd10cm_order, {terminology("icd10cm/icd10cm-order-Jan-2021.txt")});
  check_shape(i.file);
  std::cout << "importers: " << i.summary.to_string() << std::endl;
  // README: 95,358 lines = 72,621 billable codes + 22,737 headers.
  BOOST_TEST(i.summary.concepts + count(i.summary.dropped_concepts, "chapter 20") + count(i.summary.dropped_concepts, "chapter 21") ==
             95358u);
  BOOST_TEST(std::count(i.summary.notes.begin(), i.summary.notes.end(), "72621 billable codes and 22737 headers read") == 1);
  BOOST_TEST(count(i.summary.dropped_concepts, "chapter 21") == 1658u);   // Z has no 7th characters: as in the tabular list
  BOOST_TEST(i.summary.version == "2021");
  BOOST_TEST(has_concept(i.file, "icd10cm-s01.00xa"));
}

BOOST_AUTO_TEST_CASE(real_snomed_global_patient_set_gives_kinds_by_semantic_tag) {
  if (!shared_terminology()) return;
  const auto i = import_fresh(ImportFormat::fhir_valueset, {terminology("snomed/ValueSet-snomed-intl-gps.json")});
  check_shape(i.file);
  std::cout << "importers: " << i.summary.to_string() << std::endl;
  // README: 26,158 concepts: disorder 6,999, finding 5,219, procedure 2,606, body structure 1,639,
  // morphologic abnormality 272, regime/therapy 237, organism 4,081, ...
  BOOST_TEST(i.summary.kinds.at("disorder") == 6999u);
  BOOST_TEST(i.summary.kinds.at("finding") == 5219u);
  BOOST_TEST(i.summary.kinds.at("morphology") == 272u);
  BOOST_TEST(i.summary.kinds.at("procedure") == 2606u + 237u);
  BOOST_TEST(i.summary.kinds.at("body-structure") == 1639u);
  BOOST_TEST(count(i.summary.dropped_concepts, "semantic tag organism") == 4081u);
  BOOST_TEST(count(i.summary.dropped_concepts, "semantic tag qualifier value") == 750u);
  std::size_t dropped = 0;
  for (const auto& [reason, n] : i.summary.dropped_concepts) dropped += n;
  BOOST_TEST(i.summary.concepts + dropped == 26158u);
  BOOST_TEST(by_id(i.file, "sct-386661006")["display"] == "Fever");
  BOOST_TEST(by_id(i.file, "sct-386661006")["codes"][0]["version"] == "http://snomed.info/sct/900000000000207008/version/20200731");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
