#!/usr/bin/env bash
# Converts every samples/*.txt four ways (collection and transaction, compact and pretty), every
# CDA input of ../shared/eval two ways, its JATS case reports, and each sample typeset as a PDF, and runs the independent FHIR R4 validator (../shared/tools/fhir-validate, Node.js) over the Bundles;
# fails on any error the validator reports. Registered as the ctest test `fhir_validator`.
#
#   tests/validate-samples.sh [CASEFHIR_BINARY [SHARED_DIR]]
#
# Defaults: build/casefhir and ../shared beside the checkout (CASEFHIR_SHARED overrides, as for the
# test suites). Exit 77 (ctest: skipped) when node or the shared folder is absent, unless
# CASEFHIR_REQUIRE_SHARED is set (CI), which turns absence into a failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
casefhir="${1:-$root/build/casefhir}"
shared="${CASEFHIR_SHARED:-${2:-$root/../shared}}"
validator="$shared/tools/fhir-validate"

required() { [ -n "${CASEFHIR_REQUIRE_SHARED:-}" ] && [ "${CASEFHIR_REQUIRE_SHARED}" != 0 ]; }
unavailable() {
  if required; then
    echo "validate-samples: $1 (CASEFHIR_REQUIRE_SHARED is set, so this fails)" >&2
    exit 1
  fi
  echo "validate-samples: $1; skipped (set CASEFHIR_REQUIRE_SHARED=1 to make this an error)"
  exit 77
}

[ -x "$casefhir" ] || { echo "validate-samples: no casefhir binary at $casefhir" >&2; exit 1; }
[ -f "$validator/validate.mjs" ] || unavailable "no FHIR validator at $validator"
command -v node >/dev/null 2>&1 || unavailable "node is not installed"
if [ ! -d "$validator/node_modules" ]; then
  command -v npm >/dev/null 2>&1 || unavailable "npm is not installed, so the validator's packages cannot be installed"
  echo "validate-samples: installing the validator's packages ($validator/install.sh)"
  "$validator/install.sh"
fi

out="$(mktemp -d "${TMPDIR:-/tmp}/casefhir-validate.XXXXXX")"
trap 'rm -rf "$out"' EXIT

shopt -s nullglob
inputs=("$root"/samples/*.txt)
[ ${#inputs[@]} -gt 0 ] || { echo "validate-samples: no samples/*.txt" >&2; exit 1; }
for input in "${inputs[@]}"; do
  name="$(basename "$input" .txt)"
  for type in collection transaction; do
    "$casefhir" convert "$input" --bundle-type "$type" -o "$out/$name.$type.json"
    "$casefhir" convert "$input" --bundle-type "$type" --pretty -o "$out/$name.$type.pretty.json"
  done
done

# Every CDA document and fragment of the shared evaluation data (HL7's C-CDA examples, the
# FHIR-Converter and eICR samples), as collection and transaction.
cda=0
while IFS= read -r -d '' input; do
  cda=$((cda + 1))
  for type in collection transaction; do
    "$casefhir" convert "$input" --bundle-type "$type" -o "$out/cda-$cda.$type.json"
  done
done < <(find "$shared/eval/hl7-ccda-examples" "$shared/eval/ms-fhir-converter/data/SampleData/Ccda" "$shared/eval/dibbs-ecr/data" \
           -type f \( -iname '*.xml' -o -name '*.ccda' \) -print0 2>/dev/null | sort -z)

# The JATS case reports of the shared data: one Bundle per line (exit 5: the collection's research
# articles give none), each line a file of its own for the validator.
jats=0
for input in "$shared"/eval/jats-tidypmc/*.xml; do
  rc=0
  "$casefhir" convert "$input" -o "$out/jats.ndjson" 2>/dev/null || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 5 ] || { echo "validate-samples: $input: exit $rc" >&2; exit 1; }
  while IFS= read -r line; do
    jats=$((jats + 1))
    printf '%s\n' "$line" > "$out/jats-$jats.json"
  done < "$out/jats.ndjson"
  rm -f "$out/jats.ndjson"
done

# Each sample typeset as a two-column PDF (groff, as the PDF tests do), read back.
pdfs=0
if command -v groff >/dev/null 2>&1; then
  for input in "${inputs[@]}"; do
    pdfs=$((pdfs + 1))
    "$root/tests/tools/text-to-pdf.sh" "$input" "$out/sample-$pdfs.pdf" --two-column
    "$casefhir" convert "$out/sample-$pdfs.pdf" -o "$out/pdf-$pdfs.json"
    rm -f "$out/sample-$pdfs.pdf"
  done
fi

echo "validate-samples: validating $(ls "$out" | wc -l) Bundles from ${#inputs[@]} samples, $cda CDA documents, $jats JATS case reports and $pdfs PDFs"
# --quiet prints only failing files and the summary; exit 1 means at least one error.
node "$validator/validate.mjs" --quiet "$out"
