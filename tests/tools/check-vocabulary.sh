#!/bin/sh
# ctest: the shipped vocabulary (mappings/vocabulary/vocabulary.json.gz) is exactly what casefhir's
# importers and merge produce from ../shared/terminology now (mappings/vocabulary/regenerate.sh).
# When an importer, the merge or a release changes, `make vocabulary` brings the file up to date.
# Exit 77 (skipped) without ../shared, unless CASEFHIR_REQUIRE_SHARED is set (CI).
casefhir=$1
shared=${2:-../shared}
if [ ! -d "$shared/terminology" ]; then
  echo "check-vocabulary: $shared/terminology is missing"
  if [ -n "$CASEFHIR_REQUIRE_SHARED" ]; then exit 1; fi
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/casefhir-vocabulary-check.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mappings/vocabulary/regenerate.sh "$casefhir" "$shared/terminology" "$work/vocabulary.json.gz" > "$work/log" 2>&1 || {
  cat "$work/log"
  exit 1
}
gzip -dc "$work/vocabulary.json.gz" > "$work/fresh.json"
if gzip -dc mappings/vocabulary/vocabulary.json.gz | cmp -s - "$work/fresh.json"; then
  echo "check-vocabulary: mappings/vocabulary/vocabulary.json.gz is what the importers produce now"
  exit 0
fi
echo "check-vocabulary: mappings/vocabulary/vocabulary.json.gz differs from what the importers produce now; run \`make vocabulary\`"
gzip -dc mappings/vocabulary/vocabulary.json.gz | diff - "$work/fresh.json" | head -20
exit 1
