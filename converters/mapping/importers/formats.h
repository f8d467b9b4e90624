// mapping/importers/formats.h — one reader per release format, each in its own file. A reader
// reads request.files (importer.cpp has checked how many), fills the summary's drop counts and
// notes, and returns the vocabulary that importer.cpp renders and writes.
#pragma once

#include "mapping/importers/importer.h"
#include "mapping/importers/vocabulary.h"

namespace casefhir::mapping::importers {

Vocabulary read_obo(const ImportRequest& request, ImportSummary& summary);              // obo.cpp
Vocabulary read_obographs_json(const ImportRequest& request, ImportSummary& summary);   // obographs_json.cpp
Vocabulary read_icd10cm_tabular(const ImportRequest& request, ImportSummary& summary);  // icd10cm_tabular.cpp
Vocabulary read_icd10cm_order(const ImportRequest& request, ImportSummary& summary);    // icd10cm_order.cpp
Vocabulary read_fhir_valueset(const ImportRequest& request, ImportSummary& summary);    // fhir_valueset.cpp
Vocabulary read_umls_rrf(const ImportRequest& request, ImportSummary& summary);         // umls_rrf.cpp
Vocabulary read_loinc_csv(const ImportRequest& request, ImportSummary& summary);        // loinc_csv.cpp

}  // namespace casefhir::mapping::importers
