// Merging imported vocabularies (converters/mapping/merge.cpp; mappings/README.md, "Imported
// vocabularies"). The fixtures in tests/fixtures/merge/ are small mapping files as the importers
// write them:
//
//   world/         four sources: a few SNOMED CT GPS concepts, DOID and HPO terms with a subset of
//                  their real synonyms and cross-references, three ICD-10-CM FY2021 codes
//   chain/         DOID epilepsy and visual epilepsy, and HPO's Seizure, which cites codes of both
//   hand-written/  entries without a source, as in mappings/
//   names/         names one source gives a concept and another a synonym (GPS, DOID, HPO)
//   broken/        a concept whose source has no `sources` entry
//
// Every SNOMED CT, ICD-10-CM and LOINC code in them is real: the last case checks them against
// ../shared/terminology when it is there.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "casefhir/errors.h"
#include "mapping/compiled.h"
#include "mapping/merge.h"
#include "support.h"

namespace casefhir::test {
namespace {

namespace fs = std::filesystem;
using mapping::MergeResult;
using Json = nlohmann::json;

const std::string kSnomed = "http://snomed.info/sct";
const std::string kIcd = "http://hl7.org/fhir/sid/icd-10-cm";
const std::string kDoid = "http://purl.obolibrary.org/obo/doid.owl";
const std::string kHpo = "http://human-phenotype-ontology.org";
const std::string kUmls = "http://www.nlm.nih.gov/research/umls";
const std::string kMesh = "https://www.nlm.nih.gov/mesh";
const std::string kNcit = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl";
const std::string kOmim = "https://omim.org";

// The precedence the shipped vocabulary will use.
const std::vector<std::string> kShipped = {"snomed-gps", "doid", "hpo", "icd10cm"};

fs::path fixtures() { return source_dir() / "tests/fixtures/merge"; }
fs::path world() { return fixtures() / "world"; }

MergeResult merged(const std::vector<fs::path>& inputs, const std::vector<std::string>& precedence = kShipped) {
  mapping::MergeOptions options;
  options.precedence = precedence;
  return mapping::merge_vocabularies(inputs, options);
}

const Concept* find(const MergeResult& r, const std::string& id) {
  for (const Concept& c : r.concepts)
    if (c.id == id) return &c;
  return nullptr;
}

const Concept& get(const MergeResult& r, const std::string& id) {
  const Concept* c = find(r, id);
  BOOST_TEST_REQUIRE(c != nullptr, id << " is not in the merged vocabulary");
  return *c;
}

const Coding* code_of(const Concept& c, const std::string& system, const std::string& code) {
  for (const Coding& coding : c.codes)
    if (coding.system == system && coding.code == code) return &coding;
  return nullptr;
}
bool has_code(const Concept& c, const std::string& system, const std::string& code) { return code_of(c, system, code) != nullptr; }

std::vector<std::string> codes_of(const Concept& c) {
  std::vector<std::string> out;
  for (const Coding& coding : c.codes) out.push_back(coding.system + "|" + coding.code);
  return out;
}

std::size_t counted(const MergeResult& r, const std::string& what) {
  const auto it = r.counts.conflicts.find(what);
  return it == r.counts.conflicts.end() ? 0 : it->second;
}

// The example messages of one kind of conflict.
std::vector<std::string> examples(const MergeResult& r, const std::string& what) {
  std::vector<std::string> out;
  for (const auto& c : r.conflicts)
    if (c.what == what) out.push_back(c.message);
  return out;
}

bool mentions(const std::vector<std::string>& messages, std::initializer_list<std::string> words) {
  return std::any_of(messages.begin(), messages.end(), [&](const std::string& m) {
    return std::all_of(words.begin(), words.end(), [&](const std::string& w) { return m.find(w) != std::string::npos; });
  });
}

std::optional<Error> error_of(const std::function<void()>& run) {
  try {
    run();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// The entry with this id in a mapping file's text (concepts or analytes), as JSON.
Json entry_in(const std::string& text, const std::string& id) {
  const Json doc = Json::parse(text);
  for (const char* list : {"concepts", "analytes"})
    if (doc.contains(list))
      for (const auto& e : doc[list])
        if (e["id"] == id) return e;
  return Json();
}

std::string sources_file(const std::string& id) {
  return R"({"id": ")" + id + R"(", "name": "Test source )" + id + R"(", "licence": "CC0 1.0"})";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(merge)

// --- rule 1: one concept per shared code --------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_entry_whose_anchor_another_source_cites_merges_with_it) {
  const MergeResult r = merged({world()});
  // HPO's Fever cites SNOMED CT 386661006, the anchor of the GPS entry.
  const Concept& fever = get(r, "sct-386661006");
  BOOST_TEST(has_code(fever, kHpo, "HP:0001945"));
  BOOST_TEST(fever.source == "snomed-gps");
  BOOST_TEST(!find(r, "hp-0001945"));
  // DOID's obesity cites ICD-10-CM E66.9, the anchor of the ICD-10-CM entry: the code keeps the
  // display and version the ICD-10-CM source gives it (DOID's cross-reference has neither).
  const Concept& obesity = get(r, "sct-414916001");
  BOOST_TEST(has_code(obesity, kDoid, "DOID:9970"));
  const Coding* e66 = code_of(obesity, kIcd, "E66.9");
  BOOST_TEST_REQUIRE(e66 != nullptr);
  BOOST_TEST(e66->display == "Obesity, unspecified");
  BOOST_TEST(e66->version == "2021");
  BOOST_TEST(!find(r, "icd10cm-e66.9"));
  BOOST_TEST(!find(r, "doid-9970"));

  BOOST_TEST(r.counts.inputs == 1u);
  BOOST_TEST(r.counts.files == 4u);
  BOOST_TEST(r.counts.concepts_read == 22u);
  BOOST_TEST(r.counts.read_by_source.at("doid") == 6u);
  BOOST_TEST(r.counts.merged_groups == 5u);     // hypertension, fever, leiomyosarcoma, obesity, migraine
  BOOST_TEST(r.counts.merged_members == 14u);
  BOOST_TEST(r.counts.concepts_written == 13u);
  BOOST_TEST(r.concepts.size() == 13u);
}

BOOST_AUTO_TEST_CASE(entries_that_share_a_cross_reference_merge) {
  // DOID's migraine and HPO's Migraine share MeSH D008881 and UMLS C0149931; neither cites the
  // other's code, and the GPS entry HPO cites is not in the fixture.
  const MergeResult r = merged({world()});
  const Concept& migraine = get(r, "doid-6364");
  BOOST_TEST(has_code(migraine, kHpo, "HP:0002076"));
  BOOST_TEST(has_code(migraine, kUmls, "C0744641"));   // HPO's own cross-reference comes along
  BOOST_TEST(!find(r, "hp-0002076"));
  BOOST_TEST(mentions(examples(r, "kind"), {"doid-6364", "hp-0002076 finding"}));
}

BOOST_AUTO_TEST_CASE(a_code_claimed_by_two_entries_of_one_source_merges_nothing) {
  // DOID's hypertension and essential hypertension both cite ICD-10-CM I10.
  const MergeResult r = merged({world()});
  const Concept& i10 = get(r, "icd10cm-i10");
  BOOST_TEST(codes_of(i10) == std::vector<std::string>{kIcd + "|I10"});
  const Concept& essential = get(r, "doid-10825");
  BOOST_TEST(!has_code(essential, kHpo, "HP:0000822"));
  BOOST_TEST(has_code(essential, kIcd, "I10"));   // the cross-reference itself stays
  BOOST_TEST(counted(r, "shared-code") == 1u);
  BOOST_TEST(mentions(examples(r, "shared-code"), {"ICD-10-CM I10", "2 entries of doid", "doid-10763, doid-10825"}));
}

// Through codes of no source's own system (MeSH, UMLS), two entries join only under one name; a
// name is one whoever spells it: a possessive or a hyphen does not make another disease.
BOOST_AUTO_TEST_CASE(a_name_spelt_with_a_possessive_or_a_hyphen_is_the_same_name) {
  const fs::path dir = temp_dir("merge-names");
  write_text_file(dir / "doid.json", R"({"sources": [)" + sources_file("doid") + R"(],
    "concepts": [
      {"id": "doid-11486", "kind": "disorder", "source": "doid", "terms": ["Horner's syndrome"],
       "codes": [{"system": "http://purl.obolibrary.org/obo/doid.owl", "code": "DOID:11486", "display": "Horner's syndrome"},
                 {"system": "https://www.nlm.nih.gov/mesh", "code": "D006732"}]},
      {"id": "doid-1826", "kind": "disorder", "source": "doid", "terms": ["epilepsy"],
       "codes": [{"system": "http://purl.obolibrary.org/obo/doid.owl", "code": "DOID:1826", "display": "epilepsy"},
                 {"system": "https://www.nlm.nih.gov/mesh", "code": "D004827"}]}]})");
  write_text_file(dir / "hpo.json", R"({"sources": [)" + sources_file("hpo") + R"(],
    "concepts": [
      {"id": "hp-0002277", "kind": "finding", "source": "hpo", "terms": ["Horner syndrome"],
       "codes": [{"system": "http://human-phenotype-ontology.org", "code": "HP:0002277", "display": "Horner syndrome"},
                 {"system": "https://www.nlm.nih.gov/mesh", "code": "D006732"}]},
      {"id": "hp-0001250", "kind": "finding", "source": "hpo", "terms": ["Seizure"],
       "codes": [{"system": "http://human-phenotype-ontology.org", "code": "HP:0001250", "display": "Seizure"},
                 {"system": "https://www.nlm.nih.gov/mesh", "code": "D004827"}]}]})");
  const MergeResult r = merged({dir / "doid.json", dir / "hpo.json"});
  BOOST_TEST(has_code(get(r, "doid-11486"), kHpo, "HP:0002277"));
  BOOST_TEST(!find(r, "hp-0002277"));
  BOOST_TEST(!has_code(get(r, "doid-1826"), kHpo, "HP:0001250"));
  BOOST_TEST(r.concepts.size() == 3u);
}

// Entries of different sources under one preferred name are one concept, though no code joins
// them: the GPS's Achondroplasia, DOID's (which cites a SNOMED CT code outside the GPS, and an
// ICD-10-CM code it shares with hypochondroplasia) and ICD-10-CM's.
BOOST_AUTO_TEST_CASE(entries_with_one_preferred_name_and_no_code_in_common_merge) {
  const fs::path dir = temp_dir("merge-same-name");
  write_text_file(dir / "gps.json", R"({"sources": [)" + sources_file("snomed-gps") + R"(],
    "concepts": [
      {"id": "sct-86268005", "kind": "disorder", "source": "snomed-gps", "display": "Achondroplasia", "terms": ["Achondroplasia"],
       "codes": [{"system": "http://snomed.info/sct", "code": "86268005", "display": "Achondroplasia"}]},
      {"id": "sct-28670008", "kind": "disorder", "source": "snomed-gps", "display": "Esophageal varices", "terms": ["Esophageal varices"],
       "codes": [{"system": "http://snomed.info/sct", "code": "28670008", "display": "Esophageal varices"}]}]})");
  write_text_file(dir / "doid.json", R"({"sources": [)" + sources_file("doid") + R"(],
    "concepts": [
      {"id": "doid-4480", "kind": "disorder", "source": "doid", "display": "achondroplasia", "terms": ["achondroplasia", "Chondrodystrophia"],
       "codes": [{"system": "http://purl.obolibrary.org/obo/doid.owl", "code": "DOID:4480", "display": "achondroplasia"},
                 {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Q77.4"},
                 {"system": "http://snomed.info/sct", "code": "268273004"}]},
      {"id": "doid-0080041", "kind": "disorder", "source": "doid", "display": "hypochondroplasia", "terms": ["hypochondroplasia"],
       "codes": [{"system": "http://purl.obolibrary.org/obo/doid.owl", "code": "DOID:0080041", "display": "hypochondroplasia"},
                 {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Q77.4"}]}]})");
  write_text_file(dir / "icd10cm.json", R"({"sources": [)" + sources_file("icd10cm") + R"(],
    "concepts": [
      {"id": "icd10cm-q77.4", "kind": "disorder", "source": "icd10cm", "display": "Achondroplasia", "terms": ["Achondroplasia"],
       "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Q77.4", "display": "Achondroplasia"}]},
      {"id": "icd10cm-i85", "kind": "disorder", "source": "icd10cm", "display": "Esophageal varices", "terms": ["Esophageal varices"],
       "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I85", "display": "Esophageal varices"}]},
      {"id": "icd10cm-i85.0", "kind": "disorder", "source": "icd10cm", "display": "Esophageal varices", "terms": ["Esophageal varices"],
       "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "I85.0", "display": "Esophageal varices"}]}]})");
  const MergeResult r = merged({dir / "gps.json", dir / "doid.json", dir / "icd10cm.json"});
  const Concept& a = get(r, "sct-86268005");
  BOOST_TEST(codes_of(a) == (std::vector<std::string>{kSnomed + "|86268005", kSnomed + "|268273004", kIcd + "|Q77.4", kDoid + "|DOID:4480"}));
  BOOST_TEST(std::count(a.terms.begin(), a.terms.end(), "Chondrodystrophia") == 1);
  BOOST_TEST(!find(r, "doid-4480"));
  BOOST_TEST(!find(r, "icd10cm-q77.4"));
  BOOST_TEST(!has_code(get(r, "doid-0080041"), kSnomed, "86268005"));
  // ICD-10-CM names its category I85 and the code I85.0 alike: which of the two the GPS's
  // oesophageal varices are is not for a name to say.
  BOOST_TEST(codes_of(get(r, "sct-28670008")) == std::vector<std::string>{kSnomed + "|28670008"});
  BOOST_TEST(find(r, "icd10cm-i85"));
  BOOST_TEST(find(r, "icd10cm-i85.0"));
}

// A name joins what goes by that name, nothing else: ICD-10-CM's Precocious puberty, which codes
// have joined to DOID's aromatase excess syndrome (it cites E30.1), is in a concept named
// otherwise, so the GPS's Precocious puberty does not take that syndrome along. And an ICD-10-CM
// title reads in its chapter: O92.6 "Galactorrhea" is the puerperium's, not HPO's sign.
BOOST_AUTO_TEST_CASE(a_name_joins_only_concepts_that_go_by_it) {
  const fs::path dir = temp_dir("merge-named-otherwise");
  write_text_file(dir / "gps.json", R"({"sources": [)" + sources_file("snomed-gps") + R"(],
    "concepts": [
      {"id": "sct-400179000", "kind": "disorder", "source": "snomed-gps", "display": "Precocious puberty", "terms": ["Precocious puberty"],
       "codes": [{"system": "http://snomed.info/sct", "code": "400179000", "display": "Precocious puberty"}]}]})");
  write_text_file(dir / "doid.json", R"({"sources": [)" + sources_file("doid") + R"(],
    "concepts": [
      {"id": "doid-0090122", "kind": "disorder", "source": "doid", "display": "aromatase excess syndrome", "terms": ["aromatase excess syndrome"],
       "codes": [{"system": "http://purl.obolibrary.org/obo/doid.owl", "code": "DOID:0090122", "display": "aromatase excess syndrome"},
                 {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E30.1"}]}]})");
  write_text_file(dir / "hpo.json", R"({"sources": [)" + sources_file("hpo") + R"(],
    "concepts": [
      {"id": "hp-0100829", "kind": "finding", "source": "hpo", "display": "Galactorrhea", "terms": ["Galactorrhea"],
       "codes": [{"system": "http://human-phenotype-ontology.org", "code": "HP:0100829", "display": "Galactorrhea"}]}]})");
  write_text_file(dir / "icd10cm.json", R"({"sources": [)" + sources_file("icd10cm") + R"(],
    "concepts": [
      {"id": "icd10cm-e30.1", "kind": "disorder", "source": "icd10cm", "display": "Precocious puberty", "terms": ["Precocious puberty"],
       "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E30.1", "display": "Precocious puberty"}]},
      {"id": "icd10cm-o92.6", "kind": "disorder", "source": "icd10cm", "display": "Galactorrhea", "terms": ["Galactorrhea"],
       "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "O92.6", "display": "Galactorrhea"}]}]})");
  const MergeResult r = merged({dir / "gps.json", dir / "doid.json", dir / "hpo.json", dir / "icd10cm.json"});
  BOOST_TEST(codes_of(get(r, "sct-400179000")) == std::vector<std::string>{kSnomed + "|400179000"});
  BOOST_TEST(has_code(get(r, "doid-0090122"), kIcd, "E30.1"));
  BOOST_TEST(!find(r, "icd10cm-e30.1"));   // codes joined it to the syndrome
  BOOST_TEST(mentions(examples(r, "named-otherwise"), {"sct-400179000", "icd10cm-e30.1", "aromatase excess syndrome"}));
  BOOST_TEST(codes_of(get(r, "hp-0100829")) == std::vector<std::string>{kHpo + "|HP:0100829"});
  BOOST_TEST(find(r, "icd10cm-o92.6"));
}

// A name does not join an entry that cites another entry of the other source by that source's own
// code: it says it is that other concept. A source whose entries are all of one kind (HPO's are
// all findings) says nothing about kind; one that tells kinds apart does: ICD-10-CM's chapters
// (symptoms and signs in R, disorders elsewhere) make Cor triatriatum a disorder.
BOOST_AUTO_TEST_CASE(a_name_does_not_join_an_entry_citing_another_code_of_the_other_source) {
  const fs::path dir = temp_dir("merge-name-conflict");
  auto hpo = [&](const std::string& cited) {
    write_text_file(dir / "hpo.json", R"({"sources": [)" + sources_file("hpo") + R"(],
      "concepts": [
        {"id": "hp-0010774", "kind": "finding", "source": "hpo", "display": "Cor triatriatum", "terms": ["Cor triatriatum", "Triatrial heart"],
         "codes": [{"system": "http://human-phenotype-ontology.org", "code": "HP:0010774", "display": "Cor triatriatum"},
                   {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": ")" + cited + R"("}]},
        {"id": "hp-0001250", "kind": "finding", "source": "hpo", "display": "Seizure", "terms": ["Seizure"],
         "codes": [{"system": "http://human-phenotype-ontology.org", "code": "HP:0001250", "display": "Seizure"}]}]})");
  };
  write_text_file(dir / "icd10cm.json", R"({"sources": [)" + sources_file("icd10cm") + R"(],
    "concepts": [
      {"id": "icd10cm-q24.2", "kind": "disorder", "source": "icd10cm", "display": "Cor triatriatum", "terms": ["Cor triatriatum"],
       "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Q24.2", "display": "Cor triatriatum"}]},
      {"id": "icd10cm-q24.1", "kind": "disorder", "source": "icd10cm", "display": "Levocardia", "terms": ["Levocardia"],
       "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "Q24.1", "display": "Levocardia"}]},
      {"id": "icd10cm-r56.9", "kind": "finding", "source": "icd10cm", "display": "Unspecified convulsions", "terms": ["Unspecified convulsions"],
       "codes": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "R56.9", "display": "Unspecified convulsions"}]}]})");
  hpo("Q24.1");
  const MergeResult apart = merged({dir / "hpo.json", dir / "icd10cm.json"});
  BOOST_TEST(find(apart, "icd10cm-q24.2"));
  BOOST_TEST(!has_code(get(apart, "hp-0010774"), kIcd, "Q24.2"));
  hpo("Q24.9");   // a code no entry of ICD-10-CM here has: no conflict
  const MergeResult one = merged({dir / "hpo.json", dir / "icd10cm.json"});
  const Concept& cor = get(one, "hp-0010774");
  BOOST_TEST(has_code(cor, kIcd, "Q24.2"));
  BOOST_TEST(!find(one, "icd10cm-q24.2"));
  BOOST_TEST((cor.kind == ConceptKind::disorder));
  BOOST_TEST(mentions(examples(one, "kind"), {"hp-0010774", "it is a disorder as icd10cm says"}));
  BOOST_TEST((get(one, "hp-0001250").kind == ConceptKind::finding));   // alone, HPO's kind stands
}

BOOST_AUTO_TEST_CASE(a_merged_concept_never_holds_two_entries_of_one_source) {
  // HPO's Seizure shares two codes with DOID's epilepsy (UMLS C0014544, MeSH D004827) and one with
  // visual epilepsy (MeSH D012640): joining both would make epilepsy and visual epilepsy one concept.
  for (const auto& inputs : {std::vector<fs::path>{fixtures() / "chain"},
                             std::vector<fs::path>{fixtures() / "chain/hpo.json", fixtures() / "chain/doid.json"}}) {
    const MergeResult r = merged(inputs);
    const Concept& visual = get(r, "doid-11832");
    BOOST_TEST(!has_code(visual, kHpo, "HP:0001250"));
    // The link to visual epilepsy rests on one MeSH code that both cite and no name: refused as weak
    // before the same-source rule would refuse it. The link to epilepsy rests only on codes of
    // systems no source is anchored in, and epilepsy is not named Seizure: a disease is not its
    // phenotype, so that is refused too.
    const Concept& epilepsy = get(r, "doid-1826");
    BOOST_TEST(!has_code(epilepsy, kHpo, "HP:0001250"));
    BOOST_TEST(find(r, "hp-0001250"));
    BOOST_TEST(r.concepts.size() == 3u);
    BOOST_TEST(counted(r, "weak-link") == 2u);
    BOOST_TEST(mentions(examples(r, "weak-link"), {"doid-11832", "hp-0001250", "MeSH D012640"}));
    BOOST_TEST(mentions(examples(r, "weak-link"), {"doid-1826 (epilepsy)", "hp-0001250 (Seizure)", "not their name"}));
  }
  // Over every fixture: each DOID and HPO entry is in exactly one written concept, never two in one.
  const MergeResult all = merged({world(), fixtures() / "chain"});
  std::unordered_map<std::string, int> seen;
  for (const Concept& c : all.concepts) {
    int doid = 0, hpo = 0;
    for (const Coding& coding : c.codes) {
      doid += coding.system == kDoid;
      hpo += coding.system == kHpo;
      if (coding.system == kDoid || coding.system == kHpo) ++seen[coding.code];
    }
    BOOST_TEST(doid <= 1, c.id << " holds " << doid << " DOID entries");
    BOOST_TEST(hpo <= 1, c.id << " holds " << hpo << " HPO entries");
  }
  BOOST_TEST(seen.size() == 6u + 6u + 2u + 1u);
  for (const auto& [code, n] : seen) BOOST_TEST(n == 1, code << " is in " << n << " concepts");
}

BOOST_AUTO_TEST_CASE(different_kinds_of_thing_do_not_merge) {
  // A disorder citing a body structure's code (an error in a source) is not that body structure;
  // as the cross-reference names another kind, it is dropped too.
  const fs::path dir = temp_dir("merge-kind-link");
  write_text_file(dir / "gps.json", R"({"sources": [)" + sources_file("snomed-gps") + R"(], "concepts": [
    {"id": "sct-80891009", "kind": "body-structure", "source": "snomed-gps", "terms": ["Heart structure"],
     "codes": [{"system": "http://snomed.info/sct", "code": "80891009"}]}]})");
  write_text_file(dir / "doid.json", R"({"sources": [)" + sources_file("doid") + R"(], "concepts": [
    {"id": "doid-114", "kind": "disorder", "source": "doid", "terms": ["heart disease"],
     "codes": [{"system": "http://purl.obolibrary.org/obo/doid.owl", "code": "DOID:114"}, {"system": "http://snomed.info/sct", "code": "80891009"}]}]})");
  const MergeResult r = merged({dir});
  BOOST_TEST(r.concepts.size() == 2u);
  BOOST_TEST(codes_of(get(r, "doid-114")) == std::vector<std::string>{kDoid + "|DOID:114"});
  BOOST_TEST(counted(r, "kind-link") == 1u);
  BOOST_TEST(mentions(examples(r, "kind-link"), {"doid-114 (disorder)", "sct-80891009 (body-structure)"}));
  BOOST_TEST(r.counts.dropped_codes.at("kind-code") == 1u);
}

// --- rule 2 and 4: the merged concept, precedence ----------------------------------------------

BOOST_AUTO_TEST_CASE(precedence_decides_id_kind_and_display) {
  const MergeResult gps_first = merged({world()});
  const Concept& h = get(gps_first, "sct-38341003");
  BOOST_TEST((h.kind == ConceptKind::disorder));
  BOOST_TEST(h.display == "Hypertensive disorder, systemic arterial");
  BOOST_TEST(h.source == "snomed-gps");
  BOOST_TEST(has_code(h, kDoid, "DOID:10763"));
  BOOST_TEST(has_code(h, kHpo, "HP:0000822"));
  BOOST_TEST(mentions(examples(gps_first, "kind"), {"sct-38341003", "hp-0000822 finding", "it is a disorder as snomed-gps says"}));
  BOOST_TEST(gps_first.sources.front().id == "snomed-gps");

  // The same group, with HPO first: HPO's id and display. Not its kind: HPO calls every phenotype
  // a finding, which says nothing about this one; the GPS, which tells kinds apart, decides.
  const MergeResult hpo_first = merged({world()}, {"hpo", "doid", "snomed-gps", "icd10cm"});
  const Concept& p = get(hpo_first, "hp-0000822");
  BOOST_TEST((p.kind == ConceptKind::disorder));
  BOOST_TEST(p.display == "Hypertension");
  BOOST_TEST(p.source == "hpo");
  BOOST_TEST(p.terms.front() == "Hypertension");
  BOOST_TEST(has_code(p, kSnomed, "38341003"));
  BOOST_TEST(has_code(p, kDoid, "DOID:10763"));
  BOOST_TEST(!find(hpo_first, "sct-38341003"));
  BOOST_TEST(!find(hpo_first, "doid-10763"));
  // The merged SNOMED CT entry's own code still comes before HPO's cross-references.
  BOOST_TEST(p.codes[0].code == "38341003");
  BOOST_TEST(mentions(examples(hpo_first, "kind"), {"hp-0000822", "it is a disorder as snomed-gps says"}));
  BOOST_TEST(hpo_first.sources.front().id == "hpo");

  // Without a precedence, sources rank in the order the inputs define them: doid.json is the
  // first file of the folder.
  const MergeResult unlisted = merged({world()}, {});
  BOOST_TEST(get(unlisted, "doid-10763").display == "hypertension");
  BOOST_TEST(unlisted.sources.front().id == "doid");
}

BOOST_AUTO_TEST_CASE(terms_are_united_once_each_in_their_strongest_scope) {
  const MergeResult r = merged({world()});
  const Concept& h = get(r, "sct-38341003");
  // GPS, then DOID, then HPO; HPO's "Hypertension" is DOID's "hypertension".
  BOOST_TEST(h.terms == (std::vector<std::string>{"Hypertensive disorder, systemic arterial", "hypertension", "hyperpiesia",
                                                  "vascular hypertensive disorder", "Arterial hypertension", "Systemic hypertension"}),
             boost::test_tools::per_element());
  BOOST_TEST(h.related == (std::vector<std::string>{"hypertensive disease", "High blood pressure"}), boost::test_tools::per_element());
  BOOST_TEST(h.abbreviations == std::vector<std::string>{"HTN"});

  // Case and white space do not make another term; the strongest scope wins; abbreviations are
  // compared with their case.
  const fs::path dir = temp_dir("merge-terms");
  write_text_file(dir / "a.json", R"({"sources": [)" + sources_file("a") + R"(], "concepts": [
    {"id": "a-1", "kind": "finding", "source": "a", "terms": ["Foo bar"], "related": ["baz  qux", "Quux"], "abbreviations": ["FB"],
     "codes": [{"system": "urn:example:a", "code": "1"}, {"system": "urn:example:shared", "code": "X"}]}]})");
  write_text_file(dir / "b.json", R"({"sources": [)" + sources_file("b") + R"(], "concepts": [
    {"id": "b-1", "kind": "finding", "source": "b", "terms": ["foo  BAR", "Baz qux"], "narrow": ["quux", "Corge"], "broad": ["FOO bar"],
     "abbreviations": ["FB", "fb"], "codes": [{"system": "urn:example:b", "code": "1"}, {"system": "urn:example:shared", "code": "X"}]}]})");
  const MergeResult t = merged({dir}, {"a", "b"});
  const Concept& c = get(t, "a-1");
  BOOST_TEST(c.terms == (std::vector<std::string>{"Foo bar", "baz  qux"}), boost::test_tools::per_element());
  BOOST_TEST(c.related == std::vector<std::string>{"Quux"});
  BOOST_TEST(c.narrow == std::vector<std::string>{"Corge"});
  BOOST_TEST(c.broad.empty());
  BOOST_TEST(c.abbreviations == (std::vector<std::string>{"FB", "fb"}), boost::test_tools::per_element());
  BOOST_TEST(t.counts.terms.at("exact") == 2u);
  BOOST_TEST(t.counts.terms.at("related") == 1u);
  BOOST_TEST(t.counts.terms.at("narrow") == 1u);
  BOOST_TEST(t.counts.terms.at("broad") == 0u);
}

BOOST_AUTO_TEST_CASE(a_synonym_that_names_another_concept_is_that_concepts) {
  // "Long QT syndrome" is the disorder's name: the finding Prolonged QT interval does not keep it.
  const MergeResult r = merged({fixtures() / "names"});
  const Concept& finding = get(r, "sct-111975006");
  BOOST_TEST((finding.terms == std::vector<std::string>{"Prolonged QT interval"}));
  BOOST_TEST(get(r, "sct-9651007").terms.front() == "Long QT syndrome");
  BOOST_TEST(counted(r, "name-of-another") == 1u);
  BOOST_TEST(mentions(examples(r, "name-of-another"), {"sct-111975006", "Long QT syndrome"}));
  // A lower source's name stays a synonym of the higher one (HPO's Cerebral ischemia, DOID's
  // brain ischemia), and a morphology's name stays a disease's synonym.
  const Concept& ischemia = get(r, "doid-2316");
  BOOST_TEST(std::count(ischemia.terms.begin(), ischemia.terms.end(), "cerebral ischemia") == 1);
  const Concept& fibroadenoma = get(r, "doid-1618");
  BOOST_TEST(std::count(fibroadenoma.terms.begin(), fibroadenoma.terms.end(), "Juvenile fibroadenoma") == 1);
}

BOOST_AUTO_TEST_CASE(imported_term_text_is_kept_as_the_source_wrote_it) {
  // HPO's licence: its terms are not altered (case, abbreviations, punctuation).
  const MergeResult r = merged({world()});
  const Concept& h = get(r, "sct-38341003");
  for (const char* t : {"Arterial hypertension", "Systemic hypertension"})
    BOOST_TEST((std::find(h.terms.begin(), h.terms.end(), t) != h.terms.end()), t);
  BOOST_TEST((std::find(h.related.begin(), h.related.end(), "High blood pressure") != h.related.end()));
  BOOST_TEST(get(r, "hp-0004421").terms == (std::vector<std::string>{"Elevated systolic blood pressure", "Elevated systolic BP"}),
             boost::test_tools::per_element());
  const std::string text = mapping::vocabulary_json(r);
  for (const char* t : {R"("Elevated systolic BP")", R"("Having too much body fat")", R"("Intermittent migraine headaches")"})
    BOOST_TEST(text.find(t) != std::string::npos, t);
}

BOOST_AUTO_TEST_CASE(codes_are_united_once_each_in_system_order) {
  const MergeResult r = merged({world()});
  // GPS obesity + DOID obesity + HPO Obesity + ICD-10-CM E66.9. MeSH D009765 and UMLS C0028754
  // are cited by both DOID and HPO: once each. HPO's 414915002 (Obese, a finding) is dropped.
  BOOST_TEST(codes_of(get(r, "sct-414916001")) ==
                 (std::vector<std::string>{kSnomed + "|414916001", kSnomed + "|5476005", kIcd + "|E66.9", kDoid + "|DOID:9970",
                                           kHpo + "|HP:0001513", kUmls + "|C0028754", kNcit + "|C159658", kOmim + "|601665",
                                           kMesh + "|D009765"}),
             boost::test_tools::per_element());
  const Concept& h = get(r, "sct-38341003");
  BOOST_TEST(h.codes.front().display == "Hypertensive disorder, systemic arterial (disorder)");
  BOOST_TEST(h.codes.front().version == "http://snomed.info/sct/900000000000207008/version/20200731");
  BOOST_TEST(code_of(h, kDoid, "DOID:10763")->display == "hypertension");
  for (const Concept& c : r.concepts) {
    std::unordered_set<std::string> once;
    for (const Coding& coding : c.codes) BOOST_TEST(once.insert(coding.system + "|" + coding.code).second, c.id << ": " << coding.code << " twice");
  }
}

// --- rule 3: codes checked against the sources ---------------------------------------------------

BOOST_AUTO_TEST_CASE(an_icd10cm_code_the_icd10cm_source_lacks_is_dropped) {
  // DOID 2024 cites G93.32, which ICD-10-CM added after FY2021.
  const MergeResult r = merged({world()});
  BOOST_TEST(!has_code(get(r, "doid-8544"), kIcd, "G93.32"));
  BOOST_TEST(r.counts.dropped_codes.at("unknown-code") == 1u);
  BOOST_TEST(mentions(examples(r, "unknown-code"), {"doid-8544", "ICD-10-CM G93.32", "icd10cm FY2021"}));
  // Without an ICD-10-CM source there is nothing to check against.
  const MergeResult without = merged({world() / "doid.json", world() / "gps.json", world() / "hpo.json"});
  BOOST_TEST(has_code(get(without, "doid-8544"), kIcd, "G93.32"));
  BOOST_TEST(!without.counts.dropped_codes.contains("unknown-code"));
}

BOOST_AUTO_TEST_CASE(a_snomed_code_of_another_kind_that_did_not_merge_is_dropped) {
  // HPO's Hypertension cites the disorder 38341003 (merged) and the finding 24184005, which stays
  // a concept of its own: in a disorder, it is dropped. The same for Obesity's "Obese (finding)".
  const MergeResult r = merged({world()});
  BOOST_TEST(!has_code(get(r, "sct-38341003"), kSnomed, "24184005"));
  BOOST_TEST(!has_code(get(r, "sct-414916001"), kSnomed, "414915002"));
  BOOST_TEST(codes_of(get(r, "sct-24184005")) == std::vector<std::string>{kSnomed + "|24184005"});
  BOOST_TEST(r.counts.dropped_codes.at("kind-code") == 2u);
  BOOST_TEST(mentions(examples(r, "kind-code"), {"sct-38341003 (disorder)", "SNOMED CT 24184005", "is a finding"}));
  BOOST_TEST(mentions(examples(r, "same-source"), {"sct-38341003 and sct-24184005 of snomed-gps"}));
  // A cross-reference to a GPS code of the same kind stays; one outside the GPS stays.
  BOOST_TEST(has_code(get(r, "sct-386661006"), kSnomed, "50177009"));
  BOOST_TEST(has_code(get(r, "doid-10825"), kSnomed, "194757006"));
  BOOST_TEST(has_code(get(r, "sct-443719001"), kSnomed, "51549004"));
  // HPO first does not make the concept a finding (HPO says nothing about kind): the finding's code
  // goes all the same.
  BOOST_TEST(!has_code(get(merged({world()}, {"hpo", "doid", "snomed-gps", "icd10cm"}), "hp-0000822"), kSnomed, "24184005"));
  // Without the GPS there is nothing to check against.
  const MergeResult without = merged({world() / "doid.json", world() / "hpo.json"});
  BOOST_TEST(has_code(get(without, "doid-10763"), kSnomed, "24184005"));
}

// --- rule 4: hand-written entries ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(hand_written_entries_win_and_are_written_unchanged) {
  const fs::path hand = fixtures() / "hand-written/concepts.json";
  const MergeResult r = merged({world(), hand});
  const std::string text = mapping::vocabulary_json(r);
  const Json original = Json::parse(read_text_file(hand));
  for (const auto& [list, id] : std::vector<std::pair<std::string, std::string>>{{"concepts", "hypertension"},
                                                                                  {"concepts", "doid-8544"},
                                                                                  {"concepts", "excision-biopsy-of-skin-lesion"},
                                                                                  {"analytes", "calcium-serum"}}) {
    Json expected;
    for (const auto& e : original[list])
      if (e["id"] == id) expected = e;
    BOOST_TEST(entry_in(text, id) == expected, id << " was written as " << entry_in(text, id).dump());
  }
  // What the hand-written hypertension stands for (through SNOMED CT 38341003 and ICD-10-CM I10)
  // is not written; nothing of it is added to the hand-written entry.
  for (const char* id : {"sct-38341003", "doid-10763", "hp-0000822", "icd10cm-i10", "icd10cm-g93.3"}) BOOST_TEST(!find(r, id), id);
  BOOST_TEST(get(r, "hypertension").source.empty());
  // The hand-written doid-8544 replaced the imported entry of that id, whichever input came first.
  const MergeResult reversed = merged({hand, world()});
  BOOST_TEST(mapping::vocabulary_json(reversed) == text);
  BOOST_TEST(get(reversed, "doid-8544").display == "Chronic fatigue syndrome");
  BOOST_TEST(counted(r, "id") == 1u);
  BOOST_TEST(r.counts.hand_written == 4u);
  BOOST_TEST(r.counts.absorbed == 5u);
  BOOST_TEST(counted(r, "hand-written") == 2u);
  BOOST_TEST(mentions(examples(r, "hand-written"), {"hypertension", "sct-38341003, doid-10763, hp-0000822, icd10cm-i10"}));
}

// --- rule 5: output ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(output_is_byte_identical_whatever_the_input_order) {
  const std::string folder = mapping::vocabulary_json(merged({world()}));
  BOOST_TEST(mapping::vocabulary_json(merged({world()})) == folder);
  const std::string shuffled = mapping::vocabulary_json(
      merged({world() / "icd10cm.json", world() / "hpo.json", world() / "gps.json", world() / "doid.json"}));
  BOOST_TEST(shuffled == folder);
  const std::string everything = mapping::vocabulary_json(merged({world(), fixtures() / "chain", fixtures() / "hand-written"}));
  BOOST_TEST(mapping::vocabulary_json(merged({fixtures() / "hand-written", fixtures() / "chain/hpo.json", world(),
                                             fixtures() / "chain/doid.json"})) == everything);

  // The file: sources, then one entry per line, sorted by id.
  std::istringstream lines(folder);
  std::string line;
  std::vector<std::string> ids;
  while (std::getline(lines, line))
    if (line.starts_with(R"({"id":)") && line.find(R"("kind":)") != std::string::npos) ids.push_back(Json::parse(line.substr(0, line.size() - (line.back() == ',')))["id"]);
  BOOST_TEST(ids.size() == 13u);
  BOOST_TEST(std::is_sorted(ids.begin(), ids.end()));
  BOOST_TEST(folder.starts_with("{\"sources\": [\n{\"id\":\"snomed-gps\""));

  const fs::path dir = temp_dir("merge-determinism");
  const MergeResult r = merged({world()});
  for (const char* name : {"v.json", "v.json.gz"}) {
    mapping::write_vocabulary(r, dir / (std::string("1-") + name));
    mapping::write_vocabulary(merged({world()}), dir / (std::string("2-") + name));
    BOOST_TEST(read_text_file(dir / (std::string("1-") + name)) == read_text_file(dir / (std::string("2-") + name)), name);
  }
  BOOST_TEST(read_text_file(dir / "1-v.json") == folder);
}

BOOST_AUTO_TEST_CASE(gzipped_output_loads_through_the_loader) {
  const fs::path dir = temp_dir("merge-gzip");
  const fs::path out = dir / "vocabulary.json.gz";
  mapping::write_vocabulary(merged({world()}), out);
  const std::string bytes = read_text_file(out);
  BOOST_TEST_REQUIRE(bytes.size() > 10u);
  BOOST_TEST((static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b));
  BOOST_TEST((bytes[4] == 0 && bytes[5] == 0 && bytes[6] == 0 && bytes[7] == 0), "a gzip time stamp is set");
  BOOST_TEST(!fs::exists(dir / "vocabulary.json.gz.part"));

  mapping::MappingSet set;
  mapping::merge_source(set, {out.string(), bytes});
  BOOST_TEST(set.concepts.size() == 13u);
  BOOST_TEST(set.sources.size() == 4u);

  // Layered on the defaults, as --mappings would: the merged concept is found, and a synonym only
  // DOID gives names it in a report.
  const Mappings m = Mappings::load({out});
  const std::optional<Concept> h = m.find_concept("sct-38341003");
  BOOST_TEST_REQUIRE(h.has_value());
  BOOST_TEST(h->source == "snomed-gps");
  BOOST_TEST(h->codes.front().code == "38341003");
  BOOST_TEST(has_code(*h, kHpo, "HP:0000822"));
  const Conversion c = convert_text("A 50-year-old man presented.\nWe diagnosed hyperpiesia.\n", m);
  BOOST_TEST(c.bundle.find(R"("code":"38341003")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_source_described_twice_keeps_the_later_description) {
  const fs::path dir = temp_dir("merge-source-twice");
  write_text_file(dir / "doid-2026.json", R"({"sources": [{"id": "doid", "name": "Human Disease Ontology", "version": "2026-07-31", "licence": "CC0 1.0"}]})");
  const MergeResult r = merged({world(), dir / "doid-2026.json"});
  BOOST_TEST(counted(r, "source") == 1u);
  BOOST_TEST(mentions(examples(r, "source"), {"source \"doid\"", "doid-2026.json", "the later is kept"}));
  const auto doid = std::find_if(r.sources.begin(), r.sources.end(), [](const SourceInfo& s) { return s.id == "doid"; });
  BOOST_TEST_REQUIRE((doid != r.sources.end()));
  BOOST_TEST(doid->version == "2026-07-31");
  BOOST_TEST(r.sources.size() == 4u);
}

// --- errors --------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_input_that_cannot_be_read_is_an_error_naming_it) {
  const auto missing = error_of([] { merged({fixtures() / "missing.json"}); });
  BOOST_TEST_REQUIRE(missing.has_value());
  BOOST_TEST((missing->kind() == ErrorKind::mapping_invalid));
  BOOST_TEST(missing->where().file == (fixtures() / "missing.json").string());

  const fs::path broken = fixtures() / "broken/no-source.json";
  const auto no_source = error_of([&] { merged({world(), broken}); });
  BOOST_TEST_REQUIRE(no_source.has_value());
  BOOST_TEST((no_source->kind() == ErrorKind::mapping_invalid));
  BOOST_TEST(no_source->where().file == broken.string());
  BOOST_TEST(no_source->where().pointer == "/concepts/0/source");
  BOOST_TEST(no_source->reason() == R"("umls" is not the id of an entry of "sources" (in this or an earlier file))");
}

BOOST_AUTO_TEST_CASE(a_failed_write_leaves_no_file) {
  const MergeResult r = merged({world()});
  const fs::path dir = temp_dir("merge-write");
  const auto no_folder = error_of([&] { mapping::write_vocabulary(r, dir / "absent/vocabulary.json"); });
  BOOST_TEST_REQUIRE(no_folder.has_value());
  BOOST_TEST((no_folder->kind() == ErrorKind::output_failed));
  const auto wrong_name = error_of([&] { mapping::write_vocabulary(r, dir / "vocabulary.txt"); });
  BOOST_TEST_REQUIRE(wrong_name.has_value());
  BOOST_TEST((wrong_name->kind() == ErrorKind::usage));
  BOOST_TEST(fs::is_empty(dir));
}

// --- the fixtures' codes are real ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(fixture_codes_are_codes_of_the_terminology_releases) {
  if (!have_shared()) {
    BOOST_TEST_MESSAGE("../shared/terminology is absent: the fixture codes were not checked against the releases");
    return;
  }
  const fs::path dir = shared_dir() / "terminology";
  std::unordered_set<std::string> icd;
  {
    std::istringstream in(read_text_file(dir / "icd10cm/icd10cm-order-Jan-2021.txt"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.size() < 15) continue;
      std::string code = line.substr(6, 7);
      code.erase(code.find_last_not_of(' ') + 1);
      if (code.size() > 3) code.insert(3, ".");
      icd.insert(code);
    }
  }
  std::unordered_map<std::string, std::string> gps;
  const Json valueset = Json::parse(read_text_file(dir / "snomed/ValueSet-snomed-intl-gps.json"));
  for (const auto& c : valueset.at("compose").at("include").at(0).at("concept")) gps[c.at("code")] = c.at("display");
  const Json loinc = Json::parse(read_text_file(dir / "loinc/loinc_unit.json"));

  std::size_t checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fixtures())) {
    if (!entry.is_regular_file() || entry.path().parent_path().filename() == "broken") continue;
    mapping::MappingSet set;
    mapping::merge_source(set, {entry.path().string(), read_text_file(entry.path())});
    for (const Concept& c : set.concepts) {
      for (const Coding& coding : c.codes) {
        const std::string where = entry.path().filename().string() + " " + c.id + ": " + coding.code;
        if (coding.system == kIcd) {
          // G93.32 is the deliberate exception: a code newer than FY2021.
          BOOST_TEST((icd.contains(coding.code) != (coding.code == "G93.32")), where);
          ++checked;
        } else if (coding.system == "http://loinc.org") {
          BOOST_TEST(loinc.contains(coding.code), where);
          ++checked;
        } else if (coding.system == kSnomed && c.source == "snomed-gps") {
          // A GPS entry: the FSN and semantic tag the GPS gives.
          const auto it = gps.find(coding.code);
          BOOST_TEST_REQUIRE((it != gps.end()), where);
          BOOST_TEST(coding.display == it->second, where);
          const std::string tag = it->second.substr(it->second.rfind('(') + 1, it->second.size() - it->second.rfind('(') - 2);
          const std::string kind = c.kind == ConceptKind::body_structure ? "body structure"
                                   : c.kind == ConceptKind::morphology   ? "morphologic abnormality"
                                                                         : std::string(to_string(c.kind));
          BOOST_TEST(tag == kind, where);
          ++checked;
        }
      }
    }
  }
  BOOST_TEST(checked >= 18u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace casefhir::test
