#!/usr/bin/env bash
# Regenerates the golden Bundles samples/<name>.bundle.json from samples/<name>.txt with the built
# casefhir binary (the `samples` test suite compares them byte for byte). Then READ THE DIFF: a
# golden file is a reviewed statement of what the converter says about a case report, and a change
# a clinician would object to is a bug, not a new golden.
#
#   tests/update-goldens.sh                    # uses build/casefhir
#   tests/update-goldens.sh path/to/casefhir   # or CASEFHIR=path/to/casefhir tests/update-goldens.sh
#
# Build first: cmake --build build
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
casefhir="${1:-${CASEFHIR:-build/casefhir}}"

if [ ! -x "$casefhir" ]; then
  echo "update-goldens: no casefhir binary at '$casefhir'; build first (cmake --build build) or pass its path" >&2
  exit 2
fi

shopt -s nullglob
inputs=(samples/*.txt)
if [ ${#inputs[@]} -eq 0 ]; then
  echo "update-goldens: no samples/*.txt" >&2
  exit 2
fi

for input in "${inputs[@]}"; do
  # The same command a user runs, so the golden is what the CLI writes (it names the document by
  # the path given, and the Bundle keeps only the file name as the attachment title).
  "$casefhir" convert "$input" --pretty -o "${input%.txt}.bundle.json"
  echo "wrote ${input%.txt}.bundle.json"
done

# Goldens whose sample is gone are not deleted silently: the samples suite fails on them.
for golden in samples/*.bundle.json; do
  [ -e "${golden%.bundle.json}.txt" ] || echo "update-goldens: $golden has no sample ${golden%.bundle.json}.txt (delete it?)" >&2
done

echo
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$root" --no-pager diff --stat -- samples/
  untracked="$(git -C "$root" ls-files --others --exclude-standard -- 'samples/*.bundle.json')"
  [ -z "$untracked" ] || printf 'new goldens (not yet in git):\n%s\n' "$untracked"
fi
echo
echo "Now read the diff (git diff samples/) as a clinician would: every changed code, status,"
echo "value and span must be one you would sign. Commit the goldens only with the change that caused them."
