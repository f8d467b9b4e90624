#include "mapping/code_systems.h"

namespace casefhir::mapping {

namespace {

struct OidUri {
  std::string_view oid;
  std::string_view uri;
};

constexpr OidUri kSystems[] = {
    // Terminologies
    {"2.16.840.1.113883.6.96", "http://snomed.info/sct"},
    {"2.16.840.1.113883.6.1", "http://loinc.org"},
    {"2.16.840.1.113883.6.90", "http://hl7.org/fhir/sid/icd-10-cm"},
    {"2.16.840.1.113883.6.3", "http://hl7.org/fhir/sid/icd-10"},
    {"2.16.840.1.113883.6.103", "http://hl7.org/fhir/sid/icd-9-cm"},   // diagnoses
    {"2.16.840.1.113883.6.104", "http://hl7.org/fhir/sid/icd-9-cm"},   // procedures
    {"2.16.840.1.113883.6.2", "http://hl7.org/fhir/sid/icd-9-cm"},
    {"2.16.840.1.113883.6.4", "http://www.cms.gov/Medicare/Coding/ICD10"},   // ICD-10-PCS
    {"2.16.840.1.113883.6.88", "http://www.nlm.nih.gov/research/umls/rxnorm"},
    {"2.16.840.1.113883.6.86", "http://www.nlm.nih.gov/research/umls"},
    {"2.16.840.1.113883.6.177", "https://www.nlm.nih.gov/mesh"},
    {"2.16.840.1.113883.3.26.1.1", "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"},
    {"2.16.840.1.113883.6.339", "http://human-phenotype-ontology.org"},
    {"2.16.840.1.113883.6.12", "http://www.ama-assn.org/go/cpt"},
    {"2.16.840.1.113883.6.285", "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"},
    {"2.16.840.1.113883.6.69", "http://hl7.org/fhir/sid/ndc"},
    {"2.16.840.1.113883.12.292", "http://hl7.org/fhir/sid/cvx"},
    {"2.16.840.1.113883.6.8", "http://unitsofmeasure.org"},
    {"2.16.840.1.113883.6.101", "http://nucc.org/provider-taxonomy"},
    {"1.2.840.10008.2.16.4", "http://dicom.nema.org/resources/ontology/DCM"},
    // HL7 v3 and v2 code systems
    {"2.16.840.1.113883.5.1", "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender"},
    {"2.16.840.1.113883.5.2", "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus"},
    {"2.16.840.1.113883.5.4", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
    {"2.16.840.1.113883.5.6", "http://terminology.hl7.org/CodeSystem/v3-ActClass"},
    {"2.16.840.1.113883.5.14", "http://terminology.hl7.org/CodeSystem/v3-ActStatus"},
    {"2.16.840.1.113883.5.83", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"},
    {"2.16.840.1.113883.5.111", "http://terminology.hl7.org/CodeSystem/v3-RoleCode"},
    {"2.16.840.1.113883.5.1008", "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"},
    {"2.16.840.1.113883.5.1063", "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"},
    {"2.16.840.1.113883.5.140", "http://terminology.hl7.org/CodeSystem/v3-TribalEntityUS"},
    {"2.16.840.1.113883.12.136", "http://terminology.hl7.org/CodeSystem/v2-0136"},
    {"2.16.840.1.113883.18.34", "http://terminology.hl7.org/CodeSystem/v2-0085"},   // observation result status
    {"2.16.840.1.113883.18.51", "http://terminology.hl7.org/CodeSystem/v2-0123"},   // result status
    // Identifier systems
    {"2.16.840.1.113883.4.1", "http://hl7.org/fhir/sid/us-ssn"},
    {"2.16.840.1.113883.4.6", "http://hl7.org/fhir/sid/us-npi"},
};

}  // namespace

std::string_view fhir_uri_of_oid(std::string_view oid) {
  for (const auto& s : kSystems)
    if (s.oid == oid) return s.uri;
  return {};
}

std::string system_of_oid(std::string_view oid) {
  if (const std::string_view uri = fhir_uri_of_oid(oid); !uri.empty()) return std::string(uri);
  return "urn:oid:" + std::string(oid);
}

}  // namespace casefhir::mapping
