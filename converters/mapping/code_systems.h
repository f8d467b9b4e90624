// mapping/code_systems.h — HL7 code-system OIDs and the canonical FHIR URIs of those systems
// (HL7 Terminology, terminology.hl7.org, and the FHIR R4 code-system list): one table for every
// reader that meets an OID (a CDA codeSystem, a ValueSet's urn:oid: system).
#pragma once

#include <string>
#include <string_view>

namespace casefhir::mapping {

// The URI of the system an OID names ("2.16.840.1.113883.6.96" → "http://snomed.info/sct"), or ""
// when FHIR has none this table knows (then "urn:oid:" + the OID is the system).
std::string_view fhir_uri_of_oid(std::string_view oid);
// The system to write for an OID: its URI, or urn:oid:OID (which FHIR accepts) when it has none.
std::string system_of_oid(std::string_view oid);

}  // namespace casefhir::mapping
