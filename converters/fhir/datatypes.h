// fhir/datatypes.h — FHIR datatypes written from the facts model, each convention in one place:
// CodeableConcept, Quantity with UCUM, references, and the derivation-reference extension that
// ties a resource to the characters it came from.
#pragma once

#include <string>
#include <vector>

#include "casefhir/document.h"
#include "casefhir/facts.h"
#include "casefhir/mapping.h"
#include "fhir/encoding.h"
#include "fhir/json_writer.h"

namespace casefhir::fhir {

inline constexpr const char* kUcumSystem = "http://unitsofmeasure.org";
inline constexpr const char* kDerivationReference = "http://hl7.org/fhir/StructureDefinition/derivation-reference";
inline constexpr const char* kBodySiteExtension = "http://hl7.org/fhir/StructureDefinition/bodySite";

void write_coding(JsonWriter& w, const Coding& c);
// A CodeableConcept; `extension_ref`, when given, adds the core bodySite extension pointing at a
// BodyStructure (R4 cannot put laterality on a CodeableConcept).
void write_codeable_concept(JsonWriter& w, const std::vector<Coding>& codes, const std::string& text,
                            const std::string& extension_ref = {});
// A concept from the mappings: its codings, rendered once per thread and mappings, then copied
// (compact output; codings are most of a resource's fields).
void write_codeable_concept(JsonWriter& w, const CodedConcept& c, const Mappings& mappings,
                            const std::string& extension_ref = {});
// The same with another text than the concept's (a body site as written, "right cheek").
void write_codeable_concept(JsonWriter& w, const CodedConcept& c, const std::string& text, const Mappings& mappings,
                            const std::string& extension_ref);
// A coding that lives in the mappings (a category, Present/Absent): rendered once, then copied.
void write_mapped_coding(JsonWriter& w, const Coding& c, const Mappings& mappings);
// A code of a FHIR-defined code system (http://terminology.hl7.org/CodeSystem/<system>).
void write_hl7_concept(JsonWriter& w, const char* system, const char* code, const char* display);
void write_reference(JsonWriter& w, const std::string& target);
// A reference to the resource of the Bundle with this id ("urn:uuid:" + id).
void write_reference(JsonWriter& w, const UuidText& id);
// A FHIR decimal as the report wrote it ("0.5", "1.10"), or the value when there is no text.
void write_decimal(JsonWriter& w, const Quantity& q);
// Quantity (with comparator) or SimpleQuantity (without), UCUM-coded when the unit is known.
void write_quantity(JsonWriter& w, const Quantity& q, bool simple = false);
// An Age: a Quantity that is always UCUM-coded.
void write_age(JsonWriter& w, const Quantity& q);

// The derivation-reference extensions of a resource: the DocumentReference and each evidence
// span, offset and length in code points of the decoded text.
void write_derivation_references(JsonWriter& w, const SourceDocument& doc, const std::string& document_ref,
                                 const std::vector<SourceRef>& sources);
// The eCR IG's eicr-trigger-code-flag-extension, one per trigger code. casefhir writes no
// Composition, so the flag sits on the resource it marks.
void write_trigger_flags(JsonWriter& w, const std::vector<TriggerCode>& triggers);

}  // namespace casefhir::fhir
