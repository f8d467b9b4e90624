// The CDA reader (C-CDA R2.1, eICR): format detection, hardened XML, each kind of entry, one bad
// entry never ending the document, ids that do not depend on order, and HL7's own examples.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <set>

#include "casefhir/errors.h"
#include "eval/eval.h"
#include "mapping/code_checks.h"
#include "readers/file.h"
#include "readers/reader.h"
#include "readers/xml.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace casefhir;
using namespace casefhir::test;

namespace {

// A small C-CDA document written for these tests: every kind of entry the reader knows, and two
// entries with a bad value (a date, a number) that must not end the document.
const std::string kDocument = R"(<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>
  <recordTarget><patientRole>
    <id root="2.16.840.1.113883.4.1" extension="123-45-6789"/>
    <id root="1.2.3.4.5" extension="MRN-77"/>
    <addr use="HP"><streetAddressLine>1 Main Street</streetAddressLine><city>Springfield</city>
      <state>OR</state><postalCode>97477</postalCode><country>US</country></addr>
    <telecom use="HP" value="tel:+1-555-0100"/>
    <telecom value="mailto:ann@example.org"/>
    <patient>
      <name use="L"><given>Ann</given><given>Marie</given><family>Example</family></name>
      <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/>
      <birthTime value="19700315"/>
    </patient>
  </patientRole></recordTarget>
  <component><structuredBody>
    <component><section>
      <templateId root="1.3.6.1.4.1.19376.1.5.3.1.3.4"/>
      <code code="10164-2" codeSystem="2.16.840.1.113883.6.1"/>
      <title>History of Present Illness</title>
      <text><paragraph>She reports fever and denies chest pain.</paragraph><paragraph>Asthma since childhood.</paragraph></text>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
      <code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/>
      <entry><act classCode="ACT" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.3"/>
        <statusCode code="active"/>
        <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <id root="1.2.3" extension="asthma"/>
          <code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>
          <effectiveTime><low value="20150601"/></effectiveTime>
          <value xsi:type="CD" code="195967001" codeSystem="2.16.840.1.113883.6.96" displayName="Asthma">
            <translation code="J45.909" codeSystem="2.16.840.1.113883.6.90" displayName="Unspecified asthma, uncomplicated"/>
          </value>
        </observation></entryRelationship>
      </act></entry>
      <entry><act classCode="ACT" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.3"/>
        <statusCode code="completed"/>
        <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN" negationInd="true">
          <templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <id root="1.2.3" extension="no-diabetes"/>
          <code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>
          <value xsi:type="CD" code="44054006" codeSystem="2.16.840.1.113883.6.96" displayName="Diabetes mellitus type 2"/>
        </observation></entryRelationship>
      </act></entry>
      <entry><act classCode="ACT" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.3"/>
        <statusCode code="completed"/>
        <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.4"/>
          <id root="1.2.3" extension="pharyngitis"/>
          <code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>
          <effectiveTime><low value="20140402"/><high value="2014-04-05"/></effectiveTime>
          <value xsi:type="CD" code="363746003" codeSystem="2.16.840.1.113883.6.96" displayName="Acute pharyngitis"/>
          <targetSiteCode code="54066008" codeSystem="2.16.840.1.113883.6.96" displayName="Pharyngeal structure"/>
        </observation></entryRelationship>
      </act></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.3.1"/>
      <code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/>
      <entry><organizer classCode="BATTERY" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.1"/>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.2"/>
          <id root="1.2.4" extension="creatinine"/>
          <code code="2160-0" codeSystem="2.16.840.1.113883.6.1" displayName="Creatinine [Mass/volume] in Serum or Plasma"/>
          <statusCode code="completed"/>
          <effectiveTime value="20240312083000-0500"/>
          <value xsi:type="PQ" value="1.80" unit="mg/dL"/>
          <interpretationCode code="H" codeSystem="2.16.840.1.113883.5.83"/>
          <referenceRange><observationRange><value xsi:type="IVL_PQ"><low value="0.6" unit="mg/dL"/><high value="1.2" unit="mg/dL"/></value></observationRange></referenceRange>
        </observation></component>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.2"/>
          <id root="1.2.4" extension="troponin"/>
          <code code="10839-9" codeSystem="2.16.840.1.113883.6.1" displayName="Troponin I.cardiac [Mass/volume] in Serum or Plasma"/>
          <statusCode code="completed"/>
          <value xsi:type="IVL_PQ"><high value="0.04" unit="ng/mL" inclusive="false"/></value>
        </observation></component>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.2"/>
          <id root="1.2.4" extension="color"/>
          <code code="5778-6" codeSystem="2.16.840.1.113883.6.1" displayName="Color of Urine"/>
          <statusCode code="completed"/>
          <value xsi:type="ST">Amber</value>
        </observation></component>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.2"/>
          <id root="1.2.4" extension="culture"/>
          <code code="548-8" codeSystem="2.16.840.1.113883.6.1" displayName="Bordetella pertussis culture"/>
          <statusCode code="active"/>
          <effectiveTime value="2024031"/>
          <value xsi:type="CD" code="5247005" codeSystem="2.16.840.1.113883.6.96" displayName="Bordetella pertussis"/>
        </observation></component>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.2"/>
          <id root="1.2.4" extension="potassium"/>
          <code code="2823-3" codeSystem="2.16.840.1.113883.6.1" displayName="Potassium [Moles/volume] in Serum or Plasma"/>
          <statusCode code="completed"/>
          <value xsi:type="PQ" value="four" unit="mmol/L"/>
        </observation></component>
      </organizer></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.4.1"/>
      <code code="8716-3" codeSystem="2.16.840.1.113883.6.1"/>
      <entry><organizer classCode="CLUSTER" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.26"/>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.27"/>
          <id root="1.2.5" extension="weight"/>
          <code code="29463-7" codeSystem="2.16.840.1.113883.6.1" displayName="Body weight"/>
          <statusCode code="completed"/>
          <effectiveTime value="20240312"/>
          <value xsi:type="PQ" value="165" unit="[lb_av]"/>
        </observation></component>
      </organizer></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.15"/>
      <code code="10157-6" codeSystem="2.16.840.1.113883.6.1"/>
      <entry><organizer classCode="CLUSTER" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.45"/>
        <id root="1.2.6" extension="brother-1"/>
        <subject><relatedSubject classCode="PRS"><code code="BRO" codeSystem="2.16.840.1.113883.5.111" displayName="Brother"/></relatedSubject></subject>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.46"/>
          <id root="1.2.6" extension="brother-1-hypertension"/>
          <code code="64572001" codeSystem="2.16.840.1.113883.6.96"/>
          <value xsi:type="CD" code="38341003" codeSystem="2.16.840.1.113883.6.96" displayName="Hypertension"/>
        </observation></component>
      </organizer></entry>
      <entry><organizer classCode="CLUSTER" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.45"/>
        <id root="1.2.6" extension="brother-2"/>
        <subject><relatedSubject classCode="PRS"><code code="BRO" codeSystem="2.16.840.1.113883.5.111" displayName="Brother"/></relatedSubject></subject>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.22.4.46"/>
          <id root="1.2.6" extension="brother-2-asthma"/>
          <code code="64572001" codeSystem="2.16.840.1.113883.6.96"/>
          <value xsi:type="CD" code="195967001" codeSystem="2.16.840.1.113883.6.96" displayName="Asthma"/>
        </observation></component>
      </organizer></entry>
    </section></component>
    <component><section>
      <templateId root="2.16.840.1.113883.10.20.22.2.7.1"/>
      <code code="47519-4" codeSystem="2.16.840.1.113883.6.1"/>
      <entry><procedure classCode="PROC" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.14"/>
        <id root="1.2.7" extension="appendectomy"/>
        <code code="80146002" codeSystem="2.16.840.1.113883.6.96" displayName="Appendectomy"/>
        <statusCode code="completed"/>
        <effectiveTime value="20100101"/>
      </procedure></entry>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>
)";

Conversion convert_cda(const std::string& xml, const std::string& name = "test.xml") {
  const Converter converter(default_mappings());
  return converter.convert(xml, name);
}

std::vector<FhirJson> resources_of(const Conversion& c, const std::string& type) {
  const FhirJson bundle = FhirJson::parse(c.bundle);
  std::vector<FhirJson> out;
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == type) out.push_back(e["resource"]);
  return out;
}

// The resource whose code (or value, for a Condition) has this code, or a null json.
FhirJson with_code(const std::vector<FhirJson>& resources, const std::string& code) {
  for (const auto& r : resources)
    if (r.contains("code") && r["code"].contains("coding"))
      for (const auto& c : r["code"]["coding"])
        if (c["code"] == code) return r;
  return FhirJson();
}

std::string path_of(const FhirJson& resource) {
  for (const auto& ext : resource["extension"])
    for (const auto& e : ext["extension"])
      if (e["url"] == "path") return e["valueString"].get<std::string>();
  return "";
}

// The error the converter throws for these bytes; fails the test when it converts them.
Error error_for(const std::string& bytes, const std::string& from = "") {
  ConvertOptions options;
  options.from = from;
  const Converter converter(default_mappings(), options);
  try {
    converter.convert(bytes, "bad.xml");
  } catch (const Error& e) {
    return e;
  }
  BOOST_FAIL("the converter accepted input it should refuse");
  throw;   // not reached
}

// Observation elements with a Problem (4.4), Result (4.2) or Vital Sign (4.27) template.
std::size_t count_observations(const xmlNode* n) {
  std::size_t count = 0;
  for (const xmlNode* c : readers::element_children(n)) {
    if (readers::local_name(c) == "observation")
      for (const xmlNode* t : readers::element_children(c, "templateId")) {
        const std::string root = readers::attribute(t, "root");
        if (root == "2.16.840.1.113883.10.20.22.4.4" || root == "2.16.840.1.113883.10.20.22.4.2" ||
            root == "2.16.840.1.113883.10.20.22.4.27") {
          ++count;
          break;
        }
      }
    count += count_observations(c);
  }
  return count;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cda_reader)

BOOST_AUTO_TEST_CASE(format_is_detected_from_content_and_can_be_named) {
  BOOST_CHECK_EQUAL(readers::reader_for(kDocument, "", "x").name, "cda");
  BOOST_CHECK_EQUAL(readers::reader_for("A 50-year-old man with fever.", "", "x").name, "text");
  BOOST_CHECK_EQUAL(readers::reader_for("<5 mm nodules were seen.", "", "x").name, "text");
  BOOST_CHECK_EQUAL(readers::reader_for(kDocument, "text", "x").name, "text");
  BOOST_CHECK_THROW(readers::reader_for(kDocument, "docx", "x"), Error);
  // XML no reader reads is refused rather than read as prose.
  const Error e = error_for("<?xml version=\"1.0\"?>\n<html><p>A case.</p></html>");
  BOOST_CHECK(e.kind() == ErrorKind::input_malformed);
  BOOST_CHECK(std::string(e.what()).find("<html>") != std::string::npos);
  // Named as text, the same bytes are prose.
  ConvertOptions as_text;
  as_text.from = "text";
  BOOST_CHECK_NO_THROW(Converter(default_mappings(), as_text).convert("<html><p>A case.</p></html>", "a.xml"));
}

BOOST_AUTO_TEST_CASE(patient_demographics_come_from_record_target) {
  const auto patients = resources_of(convert_cda(kDocument), "Patient");
  BOOST_REQUIRE_EQUAL(patients.size(), 1u);
  const FhirJson& p = patients.front();
  BOOST_CHECK_EQUAL(member(p, "gender"), "female");
  BOOST_CHECK_EQUAL(member(p, "birthDate"), "1970-03-15");
  BOOST_CHECK_EQUAL(p["name"][0]["family"], "Example");
  BOOST_CHECK_EQUAL(p["name"][0]["given"].size(), 2u);
  BOOST_CHECK_EQUAL(p["name"][0]["use"], "official");
  BOOST_CHECK_EQUAL(p["address"][0]["city"], "Springfield");
  BOOST_CHECK_EQUAL(p["address"][0]["use"], "home");
  BOOST_CHECK_EQUAL(p["telecom"][0]["system"], "phone");
  BOOST_CHECK_EQUAL(p["telecom"][0]["value"], "+1-555-0100");
  BOOST_CHECK_EQUAL(p["telecom"][1]["system"], "email");
  bool ssn = false, mrn = false;
  for (const auto& id : p["identifier"]) {
    ssn = ssn || (id["system"] == "http://hl7.org/fhir/sid/us-ssn" && id["value"] == "123-45-6789");
    mrn = mrn || (id["system"] == "urn:oid:1.2.3.4.5" && id["value"] == "MRN-77");
  }
  BOOST_CHECK(ssn);
  BOOST_CHECK(mrn);
  BOOST_CHECK_EQUAL(path_of(p), "/ClinicalDocument/recordTarget/patientRole");
}

BOOST_AUTO_TEST_CASE(problems_keep_negation_status_dates_translations_and_site) {
  const auto conditions = resources_of(convert_cda(kDocument), "Condition");
  BOOST_REQUIRE_EQUAL(conditions.size(), 3u);
  const FhirJson asthma = with_code(conditions, "195967001");
  BOOST_REQUIRE(!asthma.is_null());
  BOOST_CHECK_EQUAL(asthma["code"]["coding"][0]["system"], "http://snomed.info/sct");
  BOOST_CHECK_EQUAL(asthma["code"]["coding"][1]["system"], "http://hl7.org/fhir/sid/icd-10-cm");
  BOOST_CHECK_EQUAL(asthma["code"]["coding"][1]["code"], "J45.909");
  BOOST_CHECK_EQUAL(asthma["clinicalStatus"]["coding"][0]["code"], "active");
  BOOST_CHECK_EQUAL(asthma["verificationStatus"]["coding"][0]["code"], "confirmed");
  BOOST_CHECK_EQUAL(member(asthma, "onsetDateTime"), "2015-06-01");
  BOOST_CHECK_EQUAL(path_of(asthma), "/ClinicalDocument/component/structuredBody/component[2]/section/entry[1]/act/entryRelationship/observation");

  // negationInd="true": the concept is kept, refuted, never an ordinary Condition.
  const FhirJson diabetes = with_code(conditions, "44054006");
  BOOST_REQUIRE(!diabetes.is_null());
  BOOST_CHECK_EQUAL(diabetes["verificationStatus"]["coding"][0]["code"], "refuted");

  // An end date makes it resolved; a malformed end date is left out, not the problem.
  const FhirJson pharyngitis = with_code(conditions, "363746003");
  BOOST_REQUIRE(!pharyngitis.is_null());
  BOOST_CHECK_EQUAL(pharyngitis["clinicalStatus"]["coding"][0]["code"], "resolved");   // the concern act is completed
  BOOST_CHECK(!pharyngitis.contains("abatementDateTime"));
  BOOST_CHECK_EQUAL(pharyngitis["bodySite"][0]["coding"][0]["code"], "54066008");
}

BOOST_AUTO_TEST_CASE(results_keep_units_comparators_values_ranges_and_status) {
  const Conversion c = convert_cda(kDocument);
  const auto observations = resources_of(c, "Observation");
  const FhirJson creatinine = with_code(observations, "2160-0");
  BOOST_REQUIRE(!creatinine.is_null());
  BOOST_CHECK(c.bundle.find("\"value\":1.80,") != std::string::npos);   // the precision written
  BOOST_CHECK_EQUAL(creatinine["valueQuantity"]["system"], "http://unitsofmeasure.org");
  BOOST_CHECK_EQUAL(creatinine["valueQuantity"]["code"], "mg/dL");
  BOOST_CHECK_EQUAL(creatinine["interpretation"][0]["coding"][0]["code"], "H");
  BOOST_CHECK_EQUAL(creatinine["referenceRange"][0]["high"]["value"].dump(), "1.2");
  BOOST_CHECK_EQUAL(member(creatinine, "effectiveDateTime"), "2024-03-12T08:30:00-05:00");
  BOOST_CHECK_EQUAL(creatinine["category"][0]["coding"][0]["code"], "laboratory");
  BOOST_CHECK_EQUAL(member(creatinine, "status"), "final");

  const FhirJson troponin = with_code(observations, "10839-9");
  BOOST_REQUIRE(!troponin.is_null());
  BOOST_CHECK_EQUAL(troponin["valueQuantity"]["comparator"], "<");
  BOOST_CHECK_EQUAL(troponin["valueQuantity"]["value"].dump(), "0.04");

  BOOST_CHECK_EQUAL(member(with_code(observations, "5778-6"), "valueString"), "Amber");

  const FhirJson culture = with_code(observations, "548-8");
  BOOST_REQUIRE(!culture.is_null());
  BOOST_CHECK_EQUAL(culture["valueCodeableConcept"]["coding"][0]["code"], "5247005");
  BOOST_CHECK_EQUAL(member(culture, "status"), "preliminary");
  BOOST_CHECK(!culture.contains("effectiveDateTime"));   // "2024031" is not a timestamp

  // "four" is not a number: the result is kept without a value, and the reason is reported.
  const FhirJson potassium = with_code(observations, "2823-3");
  BOOST_REQUIRE(!potassium.is_null());
  BOOST_CHECK(!potassium.contains("valueQuantity"));

  const FhirJson weight = with_code(observations, "29463-7");
  BOOST_REQUIRE(!weight.is_null());
  BOOST_CHECK_EQUAL(weight["category"][0]["coding"][0]["code"], "vital-signs");
  BOOST_CHECK_EQUAL(weight["valueQuantity"]["code"], "[lb_av]");

  std::size_t reported = 0;
  for (const SetAside& s : c.facts.set_aside) {
    const bool date = s.reason.find("\"2024031\"") != std::string::npos || s.reason.find("\"2014-04-05\"") != std::string::npos;
    const bool number = s.reason.find("\"four\"") != std::string::npos;
    if (date || number) {
      ++reported;
      BOOST_CHECK(s.source.xpath.starts_with("/ClinicalDocument/component/structuredBody/component"));
    }
  }
  BOOST_CHECK_EQUAL(reported, 3u);
}

BOOST_AUTO_TEST_CASE(family_history_one_resource_per_relative_and_procedures) {
  const Conversion c = convert_cda(kDocument);
  const auto relatives = resources_of(c, "FamilyMemberHistory");
  BOOST_REQUIRE_EQUAL(relatives.size(), 2u);   // two brothers, not one brother with both conditions
  for (const auto& r : relatives) {
    BOOST_CHECK_EQUAL(r["relationship"]["coding"][0]["code"], "BRO");
    BOOST_CHECK_EQUAL(r["condition"].size(), 1u);
  }
  const auto procedures = resources_of(c, "Procedure");
  BOOST_REQUIRE_EQUAL(procedures.size(), 1u);
  BOOST_CHECK_EQUAL(member(procedures.front(), "status"), "completed");
  BOOST_CHECK_EQUAL(member(procedures.front(), "performedDateTime"), "2010-01-01");
  // The source is held as received, with its media type.
  const auto documents = resources_of(c, "DocumentReference");
  BOOST_REQUIRE_EQUAL(documents.size(), 1u);
  BOOST_CHECK_EQUAL(documents.front()["content"][0]["attachment"]["contentType"], "application/xml; charset=utf-8");
  BOOST_CHECK_EQUAL(documents.front()["content"][0]["attachment"]["size"], kDocument.size());
}

BOOST_AUTO_TEST_CASE(ids_follow_entry_ids_not_order_and_output_is_deterministic) {
  const Conversion a = convert_cda(kDocument);
  BOOST_CHECK_EQUAL(a.bundle, convert_cda(kDocument).bundle);
  // The same entries in another order (and so another document): each entry keeps its id, which
  // follows the source's hash and the entry's own id.
  std::string swapped = kDocument;
  const auto first = swapped.find("<component><observation classCode=\"OBS\" moodCode=\"EVN\">\n          <templateId root=\"2.16.840.1.113883.10.20.22.4.2\"/>\n          <id root=\"1.2.4\" extension=\"creatinine\"/>");
  BOOST_REQUIRE(first != std::string::npos);
  const auto end = swapped.find("</observation></component>", first) + std::string("</observation></component>").size();
  const std::string block = swapped.substr(first, end - first);
  swapped.erase(first, end - first);
  const auto at = swapped.find("</organizer></entry>");
  swapped.insert(at, block);
  const Conversion b = convert_cda(swapped);
  const FhirJson ca = with_code(resources_of(a, "Observation"), "2160-0");
  const FhirJson cb = with_code(resources_of(b, "Observation"), "2160-0");
  BOOST_REQUIRE(!ca.is_null() && !cb.is_null());
  // Same identity (the entry's id) hashed with each source's digest: ids differ with the source,
  // but the entry is found by its id whatever its position.
  BOOST_CHECK_NE(path_of(ca), path_of(cb));
  const auto facts_a = a.facts.facts, facts_b = b.facts.facts;
  auto identity_of = [](const std::vector<Fact>& facts, const std::string& code) {
    for (const Fact& f : facts)
      for (const Coding& c : f.code.codes)
        if (c.code == code) return f.identity;
    return std::string();
  };
  BOOST_CHECK_EQUAL(identity_of(facts_a, "2160-0"), "1.2.4|creatinine");
  BOOST_CHECK_EQUAL(identity_of(facts_b, "2160-0"), "1.2.4|creatinine");
}

// --narrative: the words of a section without entries go through the text pipeline; their
// provenance is the <text> element's path and the code points of its string-value; what a coded
// entry already states becomes more provenance of that entry, not a second resource.
BOOST_AUTO_TEST_CASE(narrative_of_sections_without_entries) {
  const Conversion coded_only = convert_cda(kDocument);
  BOOST_CHECK(with_code(resources_of(coded_only, "Observation"), "386661006").is_null());   // fever: only in words

  ConvertOptions options;
  options.narrative = true;
  const Conversion c = Converter(default_mappings(), options).convert(kDocument, "test.xml");
  const auto observations = resources_of(c, "Observation");
  const FhirJson fever = with_code(observations, "386661006");
  BOOST_REQUIRE(!fever.is_null());
  BOOST_CHECK_EQUAL(fever["valueCodeableConcept"]["coding"][0]["display"], "Present");
  const std::string hpi_text = "/ClinicalDocument/component/structuredBody/component[1]/section/text";
  BOOST_CHECK_EQUAL(path_of(fever), hpi_text);
  // offset and length count code points of string(text): "She reports fever and denies chest pain.Asthma since childhood."
  for (const auto& ext : fever["extension"]) {
    std::int64_t offset = -1, length = -1;
    for (const auto& e : ext["extension"]) {
      if (e["url"] == "offset") offset = e["valueInteger"].get<std::int64_t>();
      if (e["url"] == "length") length = e["valueInteger"].get<std::int64_t>();
    }
    BOOST_CHECK_EQUAL(offset, 12);
    BOOST_CHECK_EQUAL(length, 5);
  }
  const FhirJson chest_pain = with_code(observations, "29857009");
  BOOST_REQUIRE(!chest_pain.is_null());
  BOOST_CHECK_EQUAL(chest_pain["valueCodeableConcept"]["coding"][0]["display"], "Absent");

  // Asthma is a coded problem: still one Condition, now pointing at the entry and at the words.
  std::size_t asthma = 0;
  for (const auto& r : resources_of(c, "Condition"))
    for (const auto& coding : r["code"]["coding"])
      if (coding["code"] == "195967001") {
        ++asthma;
        BOOST_CHECK_EQUAL(r["extension"].size(), 2u);
      }
  BOOST_CHECK_EQUAL(asthma, 1u);
}

// A narrative condition that resolved says where, in the same terms as its other provenance: the
// <text> element's path and code points of its string-value.
BOOST_AUTO_TEST_CASE(narrative_resolution_points_into_the_section_text) {
  std::string document = kDocument;
  const std::string said = "She reports fever and denies chest pain.";
  const std::string now = "She had a pleural effusion. After drainage, the pleural effusion resolved.";
  document.replace(document.find(said), said.size(), now);
  ConvertOptions options;
  options.narrative = true;
  const Conversion c = Converter(default_mappings(), options).convert(document, "test.xml");
  const FhirJson effusion = with_code(resources_of(c, "Condition"), "60046008");
  BOOST_REQUIRE(!effusion.is_null());
  BOOST_CHECK_EQUAL(member(effusion, "abatementString"), "resolved");
  BOOST_REQUIRE(effusion.contains("_abatementString"));
  std::string path;
  std::int64_t offset = -1;
  for (const auto& e : effusion["_abatementString"]["extension"][0]["extension"]) {
    if (e["url"] == "path") path = e["valueString"].get<std::string>();
    if (e["url"] == "offset") offset = e["valueInteger"].get<std::int64_t>();
  }
  BOOST_CHECK_EQUAL(path, "/ClinicalDocument/component/structuredBody/component[1]/section/text");
  BOOST_CHECK_EQUAL(offset, static_cast<std::int64_t>(now.find("resolved")));
}

// Narrative markup read as its layout means: a cue in one row or before a list governs what it
// leads, and nothing else; a coded fact takes the words only when they state the same thing.
BOOST_AUTO_TEST_CASE(narrative_tables_lists_and_merges) {
  const std::string doc = R"(<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <component><structuredBody>
    <component><section><title>Review of Systems</title><text>
      <table><tbody><tr><td>Fever</td><td>No</td></tr><tr><td>Cough</td><td>Yes</td></tr></tbody></table>
      <paragraph>Denies:</paragraph><list><item>nausea</item><item>vomiting</item></list>
      <paragraph>Admission hematocrit 16%.</paragraph>
    </text></section></component>
    <component><section><title>Results</title><code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/>
      <entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>
        <code code="20570-8" codeSystem="2.16.840.1.113883.6.1" displayName="Hematocrit"/>
        <value xsi:type="PQ" value="35" unit="%"/></observation></entry>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>)";
  ConvertOptions options;
  options.narrative = true;
  const Conversion c = Converter(default_mappings(), options).convert(doc, "ros.xml");
  const auto observations = resources_of(c, "Observation");
  auto presence = [&](const std::string& code) {
    const FhirJson r = with_code(observations, code);
    return r.is_null() ? std::string("(none)") : r["valueCodeableConcept"]["coding"][0]["display"].get<std::string>();
  };
  BOOST_CHECK_EQUAL(presence("386661006"), "Absent");    // fever: "No" in its row
  BOOST_CHECK_EQUAL(presence("49727002"), "Present");    // cough: "Yes" in its row
  BOOST_CHECK_EQUAL(presence("422587007"), "Absent");    // nausea, under "Denies:"
  BOOST_CHECK_EQUAL(presence("249497008"), "Absent");    // vomiting, under "Denies:"
  // The narrative's 16% is another result than the coded 35%: two Observations, each its own words.
  std::size_t hematocrits = 0;
  for (const auto& r : observations)
    for (const auto& coding : r["code"]["coding"])
      if (coding["code"] == "20570-8") ++hematocrits;
  BOOST_CHECK_EQUAL(hematocrits, 2u);
}

BOOST_AUTO_TEST_CASE(xpath_positions_count_local_names) {
  const std::string section =
      "<section><entry/><hl7:entry/><entry><observation classCode=\"OBS\" moodCode=\"EVN\">"
      "<templateId root=\"2.16.840.1.113883.10.20.22.4.2\"/><code code=\"2160-0\" codeSystem=\"2.16.840.1.113883.6.1\"/>"
      "</observation></entry></section>";
  const auto obs = resources_of(convert_cda(section), "Observation");
  BOOST_REQUIRE_EQUAL(obs.size(), 1u);
  BOOST_CHECK_EQUAL(path_of(obs.front()), "/section/entry[3]/observation");
}

BOOST_AUTO_TEST_CASE(hostile_xml_is_refused_quickly_and_reads_no_file) {
  const auto start = std::chrono::steady_clock::now();
  // An external entity that would read a local file.
  const Error xxe = error_for(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>&x;</title></ClinicalDocument>");
  BOOST_CHECK(xxe.kind() == ErrorKind::input_malformed);
  BOOST_CHECK(std::string(xxe.what()).find("DOCTYPE") != std::string::npos);
  BOOST_CHECK(std::string(xxe.what()).find("root:") == std::string::npos);
  // A '<' inside a processing instruction before the DOCTYPE does not hide it, and an internal
  // entity is never substituted (libxml2 would, in attribute values).
  const Error hidden = error_for(
      "<?pi <a?><!DOCTYPE ClinicalDocument [<!ENTITY e \"INJECTED\">]>"
      "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"1.2.3\" extension=\"&e;\"/></ClinicalDocument>");
  BOOST_CHECK(std::string(hidden.what()).find("DOCTYPE") != std::string::npos);
  BOOST_CHECK_THROW(readers::XmlDocument("<?pi <a?><!DOCTYPE r [<!ENTITY e \"x\">]><r a=\"&e;\"/>", "r.xml"), Error);
  // Billion laughs.
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i < 10; ++i) {
    std::string ten;
    for (int k = 0; k < 10; ++k) ten += i == 1 ? "&lol;" : "&lol" + std::to_string(i - 1) + ";";
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"" + ten + "\">";
  }
  laughs += "]>\n<ClinicalDocument>&lol9;</ClinicalDocument>";
  BOOST_CHECK(error_for(laughs).kind() == ErrorKind::input_malformed);
  // Nesting deeper than any document: libxml2's depth limit, an error, not a crash.
  std::string deep = "<ClinicalDocument>";
  for (int i = 0; i < 1000000; ++i) deep += "<a>";
  for (int i = 0; i < 1000000; ++i) deep += "</a>";
  deep += "</ClinicalDocument>";
  BOOST_CHECK(error_for(deep).kind() == ErrorKind::input_malformed);
  BOOST_CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}

// A result observation in a bare results section, for cases that vary one thing.
std::string result_section(const std::string& observation_body, const std::string& attributes = "") {
  return "<section xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
         "<templateId root=\"2.16.840.1.113883.10.20.22.2.3.1\"/><entry><observation classCode=\"OBS\" moodCode=\"EVN\"" +
         attributes + "><templateId root=\"2.16.840.1.113883.10.20.22.4.2\"/>" + observation_body + "</observation></entry></section>";
}

BOOST_AUTO_TEST_CASE(values_that_would_make_invalid_fhir_are_reported) {
  const std::string code = "<code code=\"2160-0\" codeSystem=\"2.16.840.1.113883.6.1\"/>";
  // A zone of +14:30 does not exist; an hour without minutes does not gain them.
  auto effective = [&](const std::string& ts) {
    const auto obs = resources_of(convert_cda(result_section(code + "<effectiveTime value=\"" + ts + "\"/>")), "Observation");
    return obs.empty() ? std::string("(none)") : member(obs.front(), "effectiveDateTime");
  };
  BOOST_CHECK_EQUAL(effective("202402291000+1430"), "");
  BOOST_CHECK_EQUAL(effective("202402291000+1400"), "2024-02-29T10:00:00+14:00");
  BOOST_CHECK_EQUAL(effective("2024022910+0530"), "2024-02-29");
  // An empty interval is no value; a prefixed xsi:type is still read.
  const auto empty = resources_of(convert_cda(result_section(code + "<value xsi:type=\"IVL_PQ\"><low value=\"5\" unit=\"mg/dL\"/><high value=\"1\" unit=\"mg/dL\"/></value>")), "Observation");
  BOOST_REQUIRE_EQUAL(empty.size(), 1u);
  BOOST_CHECK(!empty.front().contains("valueRange"));
  const auto prefixed = resources_of(convert_cda(result_section(code + "<value xsi:type=\"cda:PQ\" value=\"1.1\" unit=\"mg/dL\"/>")), "Observation");
  BOOST_REQUIRE_EQUAL(prefixed.size(), 1u);
  BOOST_CHECK_EQUAL(prefixed.front()["valueQuantity"]["code"], "mg/dL");
  // A reference range given only in words is kept as its text.
  const auto worded = resources_of(convert_cda(result_section(code + "<value xsi:type=\"ST\">Positive</value><referenceRange><observationRange><text>Negative</text></observationRange></referenceRange>")), "Observation");
  BOOST_REQUIRE_EQUAL(worded.size(), 1u);
  BOOST_CHECK_EQUAL(worded.front()["referenceRange"][0]["text"], "Negative");
}

BOOST_AUTO_TEST_CASE(repeated_entry_ids_never_give_one_resource_id_twice) {
  const std::string obs = "<code code=\"2160-0\" codeSystem=\"2.16.840.1.113883.6.1\"/>";
  std::string section = "<section xmlns=\"urn:hl7-org:v3\"><templateId root=\"2.16.840.1.113883.10.20.22.2.3.1\"/>";
  for (const char* id : {"a", "a", "a#1"})
    section += std::string("<entry><observation classCode=\"OBS\" moodCode=\"EVN\"><templateId root=\"2.16.840.1.113883.10.20.22.4.2\"/>") +
               "<id root=\"1.2\" extension=\"" + id + "\"/>" + obs + "</observation></entry>";
  section += "</section>";
  const FhirJson bundle = FhirJson::parse(convert_cda(section).bundle);
  std::set<std::string> urls;
  for (const auto& e : bundle["entry"]) BOOST_CHECK_MESSAGE(urls.insert(e["fullUrl"].get<std::string>()).second, "duplicate " << e["fullUrl"]);
  BOOST_CHECK_EQUAL(urls.size(), 5u);   // Patient, DocumentReference, three Observations
}

BOOST_AUTO_TEST_CASE(procedure_observations_are_procedures) {
  const std::string section =
      "<section xmlns=\"urn:hl7-org:v3\"><templateId root=\"2.16.840.1.113883.10.20.22.2.7.1\"/><entry>"
      "<observation classCode=\"OBS\" moodCode=\"EVN\"><templateId root=\"2.16.840.1.113883.10.20.22.4.13\"/>"
      "<code code=\"274025005\" codeSystem=\"2.16.840.1.113883.6.96\" displayName=\"Colonic polypectomy\"/>"
      "<statusCode code=\"completed\"/></observation></entry></section>";
  const Conversion c = convert_cda(section);
  BOOST_CHECK_EQUAL(resources_of(c, "Procedure").size(), 1u);
  BOOST_CHECK(resources_of(c, "Observation").empty());
}

BOOST_AUTO_TEST_CASE(eicr_pregnancy_travel_and_transportation) {
  // The eICR's Pregnancy Observation (coded ASSERTION), and a travel act that tells the purpose of
  // the journey and the vehicle, with the ship's name as a component.
  const std::string section = R"(<section xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <templateId root="2.16.840.1.113883.10.20.22.2.17"/>
    <entry><observation classCode="OBS" moodCode="EVN">
      <templateId root="2.16.840.1.113883.10.20.15.3.8"/><id root="1.9" extension="preg"/>
      <code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/><statusCode code="completed"/>
      <effectiveTime><low value="20170826"/></effectiveTime>
      <value xsi:type="CD" code="77386006" codeSystem="2.16.840.1.113883.6.96" displayName="Pregnant"/>
    </observation></entry>
    <entry><act classCode="ACT" moodCode="EVN">
      <templateId root="2.16.840.1.113883.10.20.15.2.3.1"/><id root="1.9" extension="trip"/>
      <code code="420008001" codeSystem="2.16.840.1.113883.6.96" displayName="Travel"/>
      <text>Cruise to Fiji</text>
      <entryRelationship typeCode="COMP"><observation classCode="OBS" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.15.2.3.51"/><id root="1.9" extension="purpose"/>
        <code code="280147009" codeSystem="2.16.840.1.113883.6.96" displayName="Type of activity"/>
        <value xsi:type="CD" code="C0683587" codeSystem="2.16.840.1.113883.6.86" displayName="tourism"/>
      </observation></entryRelationship>
      <entryRelationship typeCode="COMP"><organizer classCode="CLUSTER" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.15.2.3.50"/><id root="1.9" extension="ship"/>
        <code code="21812002" codeSystem="2.16.840.1.113883.6.1" displayName="Ocean liner" codeSystemName="SNOMED CT"/>
        <effectiveTime><low value="20200425"/><high value="20200515"/></effectiveTime>
        <component><observation classCode="OBS" moodCode="EVN">
          <templateId root="2.16.840.1.113883.10.20.15.2.3.49"/><id root="1.9" extension="ship-name"/>
          <code nullFlavor="OTH"><originalText>Ship Name</originalText></code>
          <value xsi:type="ST">Princess of the Sea</value>
        </observation></component>
      </organizer></entryRelationship>
    </act></entry></section>)";
  const Conversion c = convert_cda(section);
  const auto obs = resources_of(c, "Observation");
  BOOST_CHECK_EQUAL(obs.size(), 5u);   // pregnancy, travel, purpose, transportation, ship name
  const FhirJson pregnancy = with_code(obs, "82810-3");
  BOOST_REQUIRE(!pregnancy.is_null());
  BOOST_CHECK_EQUAL(pregnancy["valueCodeableConcept"]["coding"][0]["code"], "77386006");
  BOOST_CHECK(with_code(obs, "ASSERTION").is_null());
  BOOST_CHECK_EQUAL(with_code(obs, "280147009")["valueCodeableConcept"]["coding"][0]["code"], "C0683587");
  const FhirJson transport = with_code(obs, "424483007");
  BOOST_REQUIRE(!transport.is_null());
  BOOST_CHECK_EQUAL(transport["effectivePeriod"]["end"], "2020-05-15");
  // The vehicle as the document codes it (a SNOMED CT code labelled LOINC), and the mislabel reported.
  BOOST_CHECK_EQUAL(transport["valueCodeableConcept"]["coding"][0]["code"], "21812002");
  BOOST_CHECK(std::any_of(c.facts.set_aside.begin(), c.facts.set_aside.end(), [](const SetAside& s) {
    return s.reason.find("LOINC code 21812002") != std::string::npos;
  }));
  bool ship = false;
  // (member: a const FhirJson's operator[] on a key it lacks is undefined, and not every
  // Observation has code.text or valueString)
  for (const auto& o : obs)
    ship = ship || (o.contains("code") && member(o["code"], "text") == "Ship Name" && member(o, "valueString") == "Princess of the Sea");
  BOOST_CHECK(ship);
  // The codes the reader writes of its own are real: their check digits, and the SNOMED CT one in
  // the Global Patient Set.
  BOOST_CHECK(!mapping::check_code(mapping::kLoinc, "82810-3"));
  BOOST_CHECK(!mapping::check_code(mapping::kSnomed, "424483007"));
  if (have_shared()) {
    const std::string gps = read_text_file(shared_dir() / "terminology/snomed/ValueSet-snomed-intl-gps.json");
    BOOST_CHECK(gps.find("\"code\": \"424483007\",\n            \"display\": \"Transportation details (observable entity)\"") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(eicr_trigger_codes_are_flagged) {
  // The code that triggered the report carries the RCTC value set it matched (sdtc:valueSet): the
  // resource gets the eCR IG's trigger-code flag with that value set, its version and the code.
  const std::string section = R"xml(<section xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
    <entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/>
      <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.4"/><templateId root="2.16.840.1.113883.10.20.15.2.3.3"/>
        <id root="1.7" extension="pertussis"/>
        <code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>
        <value xsi:type="CD" code="27836007" codeSystem="2.16.840.1.113883.6.96" displayName="Pertussis (disorder)"
               sdtc:valueSet="2.16.840.1.114222.4.11.7508" sdtc:valueSetVersion="2020-11-13"/>
      </observation></entryRelationship></act></entry>
    <entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/>
      <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.4"/><id root="1.7" extension="asthma"/>
        <code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>
        <value xsi:type="CD" code="195967001" codeSystem="2.16.840.1.113883.6.96" displayName="Asthma"/>
      </observation></entryRelationship></act></entry></section>)xml";
  const auto conditions = resources_of(convert_cda(section), "Condition");
  BOOST_REQUIRE_EQUAL(conditions.size(), 2u);
  auto flags = [](const FhirJson& r) {
    std::vector<FhirJson> out;
    for (const auto& e : r["extension"])
      if (e["url"] == "http://hl7.org/fhir/us/ecr/StructureDefinition/eicr-trigger-code-flag-extension") out.push_back(e);
    return out;
  };
  const auto pertussis = flags(with_code(conditions, "27836007"));
  BOOST_REQUIRE_EQUAL(pertussis.size(), 1u);
  BOOST_CHECK_EQUAL(pertussis[0]["extension"][0]["valueOid"], "urn:oid:2.16.840.1.114222.4.11.7508");
  BOOST_CHECK_EQUAL(pertussis[0]["extension"][1]["valueString"], "2020-11-13");
  BOOST_CHECK_EQUAL(pertussis[0]["extension"][2]["valueCoding"]["code"], "27836007");
  BOOST_CHECK(flags(with_code(conditions, "195967001")).empty());
}

BOOST_AUTO_TEST_CASE(undeclared_prefixes_and_indentation_do_not_change_what_is_read) {
  // A fragment whose prefixes are never declared (as some exports and HL7's examples write them):
  // names still compare by their local part.
  const std::string prefixed =
      "<cda:section><cda:templateId root=\"2.16.840.1.113883.10.20.22.2.3.1\"/><cda:entry>"
      "<cda:observation classCode=\"OBS\" moodCode=\"EVN\"><cda:templateId root=\"2.16.840.1.113883.10.20.22.4.2\"/>"
      "<cda:code code=\"2160-0\" codeSystem=\"2.16.840.1.113883.6.1\"/>"
      "<cda:value xsi:type=\"PQ\" value=\"1.1\" unit=\"mg/dL\"/></cda:observation></cda:entry></cda:section>";
  const auto obs = resources_of(convert_cda(prefixed), "Observation");
  BOOST_REQUIRE_EQUAL(obs.size(), 1u);
  BOOST_CHECK_EQUAL(obs.front()["valueQuantity"]["value"], 1.1);
  // Indentation between elements is not kept in the tree; white space in mixed content (the
  // narrative, and anything under the names given) is, so string-values and offsets are unchanged.
  const std::string spaced = "<section>\n  <entry>\n    <code code=\"1\"/>\n  </entry>\n"
                             "  <text><paragraph><content>Fever</content> <content>present</content></paragraph>\n</text>\n</section>";
  const readers::XmlDocument xml(spaced, "spaced.xml", {"text"});
  std::size_t text_nodes_outside = 0;
  for (const xmlNode* c = xml.root()->children; c; c = c->next) text_nodes_outside += c->type == XML_TEXT_NODE;
  BOOST_CHECK_EQUAL(text_nodes_outside, 0u);
  const xmlNode* text = readers::first_child(xml.root(), "text");
  xmlChar* value = xmlNodeGetContent(text);
  BOOST_CHECK_EQUAL(std::string(reinterpret_cast<const char*>(value)), "Fever present\n");
  xmlFree(value);
  // Without names, every text node is kept (JATS: mixed content everywhere).
  const readers::XmlDocument all(spaced, "spaced.xml");
  std::size_t kept = 0;
  for (const xmlNode* c = all.root()->children; c; c = c->next) kept += c->type == XML_TEXT_NODE;
  BOOST_CHECK_EQUAL(kept, 3u);
}

BOOST_AUTO_TEST_CASE(malformed_xml_names_line_and_column) {
  const Error e = error_for("<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n  <title>x</titel>\n</ClinicalDocument>");
  BOOST_CHECK(e.kind() == ErrorKind::input_malformed);
  BOOST_CHECK_MESSAGE(std::string(e.what()).find("bad.xml:2:") != std::string::npos, e.what());
  // Not UTF-8 (UTF-16, as some exports are): refused by name, before the parser.
  std::string utf16 = "<\0C\0l\0i\0n\0i\0c\0a\0l\0";
  utf16.insert(0, "\xFF\xFE", 2);
  BOOST_CHECK(error_for(utf16, "cda").kind() == ErrorKind::input_encoding);
}

// HL7's C-CDA examples: every Problem, Result and Vital Sign observation is exactly one resource,
// found by the XPath of its entry; negationInd examples are refuted.
BOOST_AUTO_TEST_CASE(hl7_examples_one_resource_per_observation) {
  const fs::path examples = shared_dir() / "eval" / "hl7-ccda-examples";
  if (!fs::is_directory(examples)) {
    BOOST_TEST_MESSAGE("no " << examples << ": skipped");
    return;
  }
  std::size_t files = 0, observations = 0;
  for (const auto& e : fs::recursive_directory_iterator(examples)) {
    if (!e.is_regular_file() || e.path().extension() != ".xml") continue;
    const auto bytes = readers::read_file(e.path());
    BOOST_REQUIRE(bytes);
    ++files;
    const Conversion c = convert_cda(*bytes, e.path().string());
    // Each observation element with a problem, result or vital-sign template is one fact.
    const std::size_t expected = count_observations(readers::XmlDocument(*bytes, e.path().string()).root());
    std::size_t from_templates = 0;
    for (const Fact& f : c.facts.facts)
      from_templates += (f.code.kind == ConceptKind::disorder && f.experiencer == Experiencer::patient) ||
                        f.observation_category == "laboratory" || f.observation_category == "vital-signs";
    // ... and each such fact is a resource of the Bundle that points back at its element.
    std::size_t written = 0;
    for (const auto& type : {"Condition", "Observation"})
      for (const auto& r : resources_of(c, type)) written += path_of(r).empty() ? 0 : 1;
    BOOST_CHECK_GE(written, from_templates);
    BOOST_CHECK_MESSAGE(from_templates == expected, e.path().filename() << ": " << from_templates << " resources for " << expected
                                                                         << " problem/result/vital-sign observations");
    observations += expected;
    if (e.path().string().find("Does Not Have") != std::string::npos || e.path().string().find("No Known Problems") != std::string::npos) {
      const auto conditions = resources_of(c, "Condition");
      BOOST_REQUIRE_EQUAL(conditions.size(), 1u);
      BOOST_CHECK_EQUAL(conditions.front()["verificationStatus"]["coding"][0]["code"], "refuted");
    }
    if (e.path().string().find("less than") != std::string::npos)
      BOOST_CHECK_EQUAL(resources_of(c, "Observation").front()["valueQuantity"]["comparator"], "<=");
    if (e.path().string().find("non-numeric") != std::string::npos)
      BOOST_CHECK_EQUAL(member(with_code(resources_of(c, "Observation"), "13457-7"), "valueString"), "Unable to calculate");
  }
  BOOST_TEST_MESSAGE(files << " HL7 examples, " << observations << " problem/result/vital-sign observations");
  BOOST_CHECK_GE(files, 20u);
}

// Microsoft's converter and CDC's eICR fork on their own samples: their Conditions and
// Observations found in ours.
BOOST_AUTO_TEST_CASE(against_fhir_converter_samples) {
  const fs::path ms = shared_dir() / "eval" / "ms-fhir-converter", dibbs = shared_dir() / "eval" / "dibbs-ecr";
  if (!fs::is_directory(ms) || !fs::is_directory(dibbs)) {
    BOOST_TEST_MESSAGE("no FHIR-Converter data: skipped");
    return;
  }
  const Converter converter(default_mappings());
  const eval::Report a = eval::evaluate_fhir_converter(converter, ms, {});
  const eval::Report b = eval::evaluate_fhir_converter(converter, dibbs, {});
  BOOST_TEST_MESSAGE("FHIR-Converter: " << a.metrics.at("overall.found") << "; eICR fork: " << b.metrics.at("overall.found")
                                        << " (" << b.metrics.at("overall.found_of_findable") << " of what the source codes)");
  BOOST_CHECK_GE(a.metrics.at("documents"), 15);
  BOOST_CHECK_GE(a.metrics.at("overall.found"), 0.98);
  BOOST_CHECK_GE(b.metrics.at("overall.found"), 0.98);
}

BOOST_AUTO_TEST_SUITE_END()
