#!/bin/sh
# ctest wrapper: the shipped mappings against mappings/schema/mappings.schema.json, with the ajv that
# ../shared/tools/fhir-validate installs. Exit 77 (skipped) when node or ajv is missing, unless
# CASEFHIR_REQUIRE_SHARED is set (CI), where that is a failure.
shared=${1:-../shared}
skip() { echo "check-mappings-schema: $1"; if [ -n "$CASEFHIR_REQUIRE_SHARED" ]; then exit 1; fi; exit 77; }
command -v node >/dev/null 2>&1 || skip "node is not installed"
node tests/tools/check-mappings-schema.mjs "$shared/tools/fhir-validate/node_modules" mappings/schema/mappings.schema.json mappings
rc=$?
[ $rc = 77 ] && skip "ajv is not installed (run $shared/tools/fhir-validate/install.sh)"
exit $rc
