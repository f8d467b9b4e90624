#!/usr/bin/env bash
# Builds the default imported vocabulary from public terminology releases with casefhir's own
# importers and merge — the one recipe for mappings/vocabulary/vocabulary.json.gz, used by
# `make vocabulary` and by the test that checks the shipped file is what the importers produce now.
#
#   mappings/vocabulary/regenerate.sh CASEFHIR TERMINOLOGY_DIR OUTPUT.json.gz
#
# Sources (licences that allow shipping; versions and attributions travel in the file's "sources"):
#   Human Disease Ontology (CC0 1.0)                 doid/doid.obo.gz
#   Human Phenotype Ontology (HPO licence: terms unaltered, version shown)  hpo/hp.v2024-04-26.json.gz
#   ICD-10-CM (US Government, public domain)         icd10cm/icd10cm_tabular_2021.xml
#   SNOMED CT Global Patient Set (CC BY 4.0)         snomed/ValueSet-snomed-intl-gps.json
# Precedence (whose id, name and kind a merged concept takes): the GPS's semantic tag is the
# authority on kind; DOID and HPO bring the synonyms; ICD-10-CM its classification.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 CASEFHIR TERMINOLOGY_DIR OUTPUT.json.gz" >&2
  exit 2
fi
casefhir="$1"
terminology="$2"
output="$3"
work="$(mktemp -d "${TMPDIR:-/tmp}/casefhir-vocabulary.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$casefhir" mappings import --from obo "$terminology/doid/doid.obo.gz" --source-id doid -o "$work"
"$casefhir" mappings import --from obographs-json "$terminology/hpo/hp.v2024-04-26.json.gz" --source-id hpo -o "$work"
"$casefhir" mappings import --from icd10cm-tabular "$terminology/icd10cm/icd10cm_tabular_2021.xml" --source-id icd10cm -o "$work"
"$casefhir" mappings import --from fhir-valueset "$terminology/snomed/ValueSet-snomed-intl-gps.json" --source-id snomed-gps -o "$work"
"$casefhir" mappings merge "$work" --precedence snomed-gps,doid,hpo,icd10cm -o "$output"
