// fhir/datatypes.h — FHIR datatypes built from the facts model, each convention in one place:
// CodeableConcept, Quantity with UCUM, references, and the derivation-reference extension that
// ties a resource to the characters it came from.
#pragma once

#include <string>
#include <vector>

#include "casefhir/document.h"
#include "casefhir/facts.h"
#include "casefhir/fhir.h"
#include "casefhir/mapping.h"

namespace casefhir::fhir {

inline constexpr const char* kUcumSystem = "http://unitsofmeasure.org";
inline constexpr const char* kDerivationReference = "http://hl7.org/fhir/StructureDefinition/derivation-reference";
inline constexpr const char* kBodySiteExtension = "http://hl7.org/fhir/StructureDefinition/bodySite";

FhirJson coding(const Coding& c);
FhirJson codeable_concept(const std::vector<Coding>& codes, const std::string& text);
FhirJson codeable_concept(const CodedConcept& c);
// A code of a FHIR-defined code system (http://terminology.hl7.org/CodeSystem/<system>).
FhirJson hl7_concept(const char* system, const char* code, const char* display);
FhirJson reference(const std::string& target);
// A FHIR decimal from the number as the report wrote it (integers stay integers).
FhirJson decimal(const Quantity& q);
// Quantity (with comparator) or SimpleQuantity (without), UCUM-coded when the unit is known.
FhirJson quantity(const Quantity& q, bool simple = false);

// One derivation-reference extension: the DocumentReference and the evidence span in code points.
FhirJson derivation_reference(const SourceDocument& doc, const std::string& document_ref, const SourceRef& source);
FhirJson derivation_references(const SourceDocument& doc, const std::string& document_ref,
                               const std::vector<SourceRef>& sources);

}  // namespace casefhir::fhir
