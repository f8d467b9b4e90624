// The JATS reader: a journal article as a case report (sections by their markup, inline markup read
// as it means, captions and references not converted, lab tables → Observations with cell paths),
// articles that are not case reports, collections, DOCTYPEs, and the visible PMC articles.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "casefhir/errors.h"
#include "eval/eval.h"
#include "fhir/encoding.h"
#include "readers/reader.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace casefhir;
using namespace casefhir::test;

namespace {

// An article written for these tests, as PubMed Central delivers one (a DOCTYPE naming the DTD).
const std::string kArticle = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.2 20190208//EN" "JATS-journalpublishing1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="case-report">
  <front><article-meta>
    <article-id pub-id-type="pmid">12345678</article-id>
    <article-id pub-id-type="pmc">PMC7654321</article-id>
    <article-id pub-id-type="doi">10.1000/example.2024.1</article-id>
    <title-group><article-title>Community-acquired pneumonia in a young man</article-title></title-group>
    <abstract><p>We report a young man with community-acquired pneumonia.</p></abstract>
  </article-meta></front>
  <body>
    <sec sec-type="intro"><title>Introduction</title>
      <p>Tuberculosis should be considered in every such patient.<sup><xref ref-type="bibr" rid="B1">1</xref></sup></p>
    </sec>
    <sec><title>Case presentation</title>
      <p>A 34-year-old man presented with fever and productive cough. His white blood cell count was 15.2 &#215; 10<sup>9</sup>/L.
         Chest radiography confirmed <italic>community-acquired pneumonia</italic> (<xref ref-type="fig" rid="F1">Figure 1</xref>).</p>
      <fig id="F1"><label>Figure 1</label><caption><p>Chest radiograph with a pleural effusion.</p></caption></fig>
      <table-wrap id="T1"><label>Table 1</label><caption><p>Laboratory results on admission</p></caption>
        <table><thead><tr><th>Test</th><th>Result</th><th>Unit</th><th>Reference range</th></tr></thead>
          <tbody>
            <tr><td>Hemoglobin</td><td>10.2</td><td>g/dL</td><td>13.5&#8211;17.5</td></tr>
            <tr><td>Sodium</td><td>131</td><td>mmol/L</td><td>135&#8211;145</td></tr>
          </tbody></table></table-wrap>
      <table-wrap id="T2"><label>Table 2</label><caption><p>C-reactive protein over the stay</p></caption>
        <table><thead><tr><th>Parameter</th><th>Unit</th><th>Day 1</th><th>Day 3</th></tr></thead>
          <tbody><tr><td>C-reactive protein</td><td>mg/L</td><td>120</td><td>45</td></tr>
                 <tr><td>Sodium</td><td>mmol/L</td><td>131</td><td>138</td></tr></tbody></table></table-wrap>
    </sec>
    <sec sec-type="discussion"><title>Discussion</title>
      <p>Malaria is a common cause of fever in travellers<sup><xref ref-type="bibr" rid="B2">2</xref></sup>.</p>
    </sec>
  </body>
  <back><ref-list><title>References</title>
    <ref id="B1"><label>1</label><mixed-citation>Doe J. Tuberculosis in adults. J Example. 2001;1:1-2.</mixed-citation></ref>
    <ref id="B2"><label>2</label><mixed-citation>Roe R. Malaria and fever. J Example. 2002;2:3-4.</mixed-citation></ref>
  </ref-list></back>
</article>
)xml";

const std::string kResearch = R"xml(<article article-type="research-article"><front><article-meta>
  <article-id pub-id-type="pmcid">1111111</article-id>
  <title-group><article-title>Gene expression in leukocytes</article-title></title-group></article-meta></front>
  <body><sec><title>Results</title><p>Fever was associated with high CRP in 40 patients.</p></sec></body></article>)xml";

std::vector<FhirJson> resources(const std::string& bundle, const std::string& type) {
  std::vector<FhirJson> out;
  const FhirJson parsed = FhirJson::parse(bundle);
  for (const auto& e : parsed["entry"])
    if (e["resource"]["resourceType"] == type) out.push_back(e["resource"]);
  return out;
}

std::string words(const FhirJson& r) {
  std::string w = member(r["code"], "text");
  if (r["code"].contains("coding"))
    for (const auto& c : r["code"]["coding"]) w += " " + member(c, "display");
  return w;
}

// Derivation-reference parts of a resource: (path, offset, length); offset -1 without one.
struct Ref {
  std::string path;
  long offset = -1, length = -1;
};
std::vector<Ref> refs(const FhirJson& r) {
  std::vector<Ref> out;
  if (!r.contains("extension")) return out;
  for (const auto& ext : r["extension"]) {
    if (ext["url"] != "http://hl7.org/fhir/StructureDefinition/derivation-reference") continue;
    Ref ref;
    for (const auto& e : ext["extension"]) {
      if (e["url"] == "path") ref.path = e["valueString"];
      if (e["url"] == "offset") ref.offset = e["valueInteger"];
      if (e["url"] == "length") ref.length = e["valueInteger"];
    }
    out.push_back(ref);
  }
  return out;
}

// The code points [offset, offset + length) of UTF-8 text, as derivation-reference counts them.
std::string code_points(const std::string& text, long offset, long length) {
  std::size_t byte = 0;
  long point = 0;
  auto advance = [&] {
    ++byte;
    while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80) ++byte;
    ++point;
  };
  while (point < offset && byte < text.size()) advance();
  const std::size_t begin = byte;
  while (point < offset + length && byte < text.size()) advance();
  return text.substr(begin, byte - begin);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jats_reader)

BOOST_AUTO_TEST_CASE(a_case_report_article_reads_as_a_case_report) {
  const Converter converter(default_mappings());
  const Conversion c = converter.convert(kArticle, "article.xml");
  const auto patients = resources(c.bundle, "Patient");
  BOOST_REQUIRE_EQUAL(patients.size(), 1u);
  BOOST_CHECK_EQUAL(patients[0]["gender"], "male");
  bool age = false, pneumonia = false;
  for (const auto& o : resources(c.bundle, "Observation"))
    if (o["code"]["coding"][0]["code"] == "30525-0") age = o["valueQuantity"]["value"] == 34;
  for (const auto& cond : resources(c.bundle, "Condition")) {
    const std::string w = words(cond);
    pneumonia = pneumonia || w.find("pneumonia") != std::string::npos;
    // The introduction's and the discussion's diseases are the literature's, and the caption's
    // and the references' words are not converted.
    BOOST_CHECK_MESSAGE(w.find("uberculosis") == std::string::npos, w);
    BOOST_CHECK_MESSAGE(w.find("alaria") == std::string::npos, w);
    BOOST_CHECK_MESSAGE(w.find("effusion") == std::string::npos, w);
  }
  BOOST_CHECK(age);
  BOOST_CHECK(pneumonia);
  // The text the Bundle holds: the superscript power and the citation read as they mean.
  const auto docs = resources(c.bundle, "DocumentReference");
  BOOST_REQUIRE_EQUAL(docs.size(), 1u);
  const FhirJson& doc = docs[0];
  BOOST_REQUIRE_EQUAL(doc["content"].size(), 2u);
  BOOST_CHECK_EQUAL(doc["content"][0]["attachment"]["contentType"], "text/plain; charset=utf-8");
  BOOST_CHECK_EQUAL(doc["content"][1]["attachment"]["contentType"], "application/jats+xml; charset=utf-8");
  const std::string text = base64_decode(doc["content"][0]["attachment"]["data"]);
  BOOST_CHECK_MESSAGE(text.find("15.2 \xC3\x97 10^9/L") != std::string::npos, text);
  BOOST_CHECK_MESSAGE(text.find("every such patient [1].") != std::string::npos, text);
  BOOST_CHECK(text.find("Case presentation\n") != std::string::npos);
  // The article's identifiers and type.
  std::set<std::string> ids;
  for (const auto& i : doc["identifier"]) ids.insert(i["system"].get<std::string>() + "|" + i["value"].get<std::string>());
  BOOST_CHECK(ids.count("https://doi.org|10.1000/example.2024.1"));
  BOOST_CHECK(ids.count("https://pubmed.ncbi.nlm.nih.gov|12345678"));
  BOOST_CHECK(ids.count("https://www.ncbi.nlm.nih.gov/pmc|PMC7654321"));
  BOOST_CHECK_EQUAL(doc["category"][0]["text"], "case-report");
  // A text fact's offsets count code points of the first attachment: they land on its words.
  for (const auto& cond : resources(c.bundle, "Condition")) {
    if (words(cond).find("pneumonia") == std::string::npos) continue;
    for (const Ref& r : refs(cond)) {
      BOOST_REQUIRE_GE(r.offset, 0);
      BOOST_CHECK(r.path.empty());
      const std::string said = code_points(text, r.offset, r.length);
      BOOST_CHECK_MESSAGE(said.find("pneumonia") != std::string::npos, said);
    }
  }
}

BOOST_AUTO_TEST_CASE(lab_tables_give_observations_that_point_at_their_cells) {
  const Converter converter(default_mappings());
  const Conversion c = converter.convert(kArticle, "article.xml");
  const auto obs = resources(c.bundle, "Observation");
  auto find = [&](const std::string& code, double value) -> FhirJson {
    for (const auto& o : obs)
      if (o.contains("valueQuantity") && o["valueQuantity"]["value"] == value && o["code"].contains("coding"))
        for (const auto& k : o["code"]["coding"])
          if (k["code"] == code) return o;
    return FhirJson();
  };
  const FhirJson hb = find("718-7", 10.2);
  BOOST_REQUIRE_MESSAGE(!hb.is_null(), c.bundle);
  BOOST_CHECK_EQUAL(hb["valueQuantity"]["code"], "g/dL");
  BOOST_CHECK_EQUAL(hb["referenceRange"][0]["low"]["value"], 13.5);
  BOOST_CHECK_EQUAL(hb["referenceRange"][0]["high"]["value"], 17.5);
  const auto hb_refs = refs(hb);
  BOOST_REQUIRE(!hb_refs.empty());
  BOOST_CHECK_EQUAL(hb_refs[0].path, "/article/body/sec[2]/table-wrap[1]/table/tbody/tr[1]/td[2]");
  BOOST_CHECK(!find("2951-2", 131).is_null());   // sodium, LOINC 2951-2
  // A row over days: one result per day, each from its own cell.
  std::set<std::string> crp_paths;
  for (const auto& o : obs)
    if (o.contains("valueQuantity") && (o["valueQuantity"]["value"] == 120 || o["valueQuantity"]["value"] == 45) &&
        words(o).find("eactive") != std::string::npos)
      crp_paths.insert(refs(o).at(0).path);
  BOOST_CHECK_EQUAL(crp_paths.size(), 2u);
  BOOST_CHECK(crp_paths.count("/article/body/sec[2]/table-wrap[2]/table/tbody/tr[1]/td[3]"));
}

BOOST_AUTO_TEST_CASE(articles_that_are_not_case_reports_give_no_bundle) {
  const Converter converter(default_mappings());
  try {
    converter.convert(kResearch, "research.xml");
    BOOST_FAIL("a research article was converted");
  } catch (const Error& e) {
    BOOST_CHECK(e.kind() == ErrorKind::input_not_case_report);
    BOOST_CHECK_MESSAGE(std::string(e.what()).find("research-article") != std::string::npos, e.what());
  }
  // A collection: one Conversion per article, in order; the research article with no Bundle.
  std::string collection = "<articles>" + kArticle.substr(kArticle.find("<article ")) + kResearch + "</articles>";
  const auto all = converter.convert_all(collection, "set.xml");
  BOOST_REQUIRE_EQUAL(all.size(), 2u);
  BOOST_CHECK(all[0].not_converted.empty());
  BOOST_CHECK(!all[0].bundle.empty());
  BOOST_CHECK(!all[1].not_converted.empty());
  BOOST_CHECK(all[1].bundle.empty());
  BOOST_CHECK_THROW(converter.convert(collection, "set.xml"), Error);
}

BOOST_AUTO_TEST_CASE(a_doctype_may_name_its_dtd_but_never_declare_entities) {
  const Converter converter(default_mappings());
  // Naming a DTD (here a local file) is accepted and the file is never read.
  const std::string named = "<!DOCTYPE article SYSTEM \"/etc/passwd\">" + kArticle.substr(kArticle.find("<article "));
  const Conversion c = converter.convert(named, "named.xml");
  BOOST_CHECK(c.bundle.find("root:") == std::string::npos);
  for (const auto& doc : resources(c.bundle, "DocumentReference"))
    for (const auto& content : doc["content"])
      BOOST_CHECK(base64_decode(content["attachment"]["data"].get<std::string>()).find("root:") == std::string::npos);
  // An internal subset is refused, before any entity is declared.
  try {
    converter.convert("<!DOCTYPE article [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><article article-type=\"case-report\"><front/><body><p>&x;</p></body></article>",
                      "xxe.xml");
    BOOST_FAIL("an internal subset was accepted");
  } catch (const Error& e) {
    BOOST_CHECK(e.kind() == ErrorKind::input_malformed);
    BOOST_CHECK_MESSAGE(std::string(e.what()).find("internal subset") != std::string::npos, e.what());
  }
  // A named entity only the (unloaded) DTD defines would lose its word: refused, saying which.
  try {
    converter.convert("<!DOCTYPE article PUBLIC \"-//NLM//DTD JATS//EN\" \"x.dtd\"><article article-type=\"case-report\"><front/>"
                      "<body><p>Raised &alpha;-fetoprotein.</p></body></article>",
                      "entity.xml");
    BOOST_FAIL("an entity defined only in the DTD was accepted");
  } catch (const Error& e) {
    BOOST_CHECK_MESSAGE(std::string(e.what()).find("&alpha;") != std::string::npos, e.what());
  }
  // DocBook has an <article> too: not JATS, not read as one.
  BOOST_CHECK_THROW(converter.convert("<article><title>Notes</title><para>A case.</para></article>", "docbook.xml"), Error);
}

BOOST_AUTO_TEST_CASE(table_cells_read_as_the_text_means_them) {
  // A unit with a superscript, and a unit cell spanning two rows.
  const std::string article =
      "<article article-type=\"case-report\"><front><article-meta><title-group><article-title>A case</article-title></title-group>"
      "</article-meta></front><body><sec><title>Case presentation</title><p>A 50-year-old woman presented with fatigue.</p>"
      "<table-wrap><caption><p>Laboratory findings</p></caption><table><thead><tr><th>Test</th><th>Result</th><th>Unit</th>"
      "<th>Reference range</th></tr></thead><tbody>"
      "<tr><td>White blood cells</td><td>15.2</td><td>&#215;10<sup>9</sup>/L</td><td>4.0&#8211;11.0</td></tr>"
      "<tr><td>Sodium</td><td>131</td><td rowspan=\"2\">mmol/L</td><td>135&#8211;145</td></tr>"
      "<tr><td>Potassium</td><td>3.1</td><td>3.5&#8211;5.1</td></tr>"
      "</tbody></table></table-wrap></sec></body></article>";
  const Converter converter(default_mappings());
  const auto obs = resources(converter.convert(article, "t.xml").bundle, "Observation");
  bool wbc = false, potassium = false;
  for (const auto& o : obs) {
    if (!o.contains("valueQuantity")) continue;
    if (o["valueQuantity"]["value"] == 15.2) wbc = member(o["valueQuantity"], "code") == "10*9/L";
    if (o["valueQuantity"]["value"] == 3.1)
      potassium = member(o["valueQuantity"], "code") == "mmol/L" && o["referenceRange"][0]["low"]["value"] == 3.5;
  }
  BOOST_CHECK(wbc);
  BOOST_CHECK(potassium);
}

// The visible PMC articles (../shared/eval/jats-tidypmc) against what was read in each by hand
// (tests/data/jats-visible-expected.json). The figures are in the README.
BOOST_AUTO_TEST_CASE(visible_pmc_articles) {
  const fs::path file = shared_dir() / "eval" / "jats-tidypmc" / "case-reports-visible.xml";
  if (!fs::exists(file)) {
    BOOST_TEST_MESSAGE("jats-tidypmc is absent: skipped");
    if (const char* required = std::getenv("CASEFHIR_REQUIRE_SHARED"); required && std::string(required) != "0")
      BOOST_ERROR("CASEFHIR_REQUIRE_SHARED is set but " << file << " is absent");
    return;
  }
  const Converter converter(default_mappings());
  eval::Options options;
  options.expected = source_dir() / "tests" / "data" / "jats-visible-expected.json";
  const eval::Report r = eval::evaluate_jats(converter, file, options);
  BOOST_TEST_MESSAGE(r.text);
  BOOST_CHECK_EQUAL(r.metrics.at("articles"), 8);
  BOOST_CHECK_EQUAL(r.metrics.at("kind.accuracy"), 1.0);
  BOOST_CHECK_EQUAL(r.metrics.at("sex.accuracy"), 1.0);
  BOOST_CHECK_EQUAL(r.metrics.at("age.accuracy"), 1.0);
  BOOST_CHECK_GE(r.metrics.at("diagnosis.recall"), 0.75);
  BOOST_CHECK_GE(r.metrics.at("labs.recall"), 0.6);
}

BOOST_AUTO_TEST_SUITE_END()
