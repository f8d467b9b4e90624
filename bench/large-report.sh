#!/usr/bin/env bash
# One very large report (issue 11): peak memory and wall time of `casefhir convert` on a single
# text of SIZE MB (default 50), the repository's samples repeated with a blank line between
# copies, the Bundle written to a file. Whole process, GNU time's peak RSS; R repeats (default 3),
# the median reported.
#
#   bench/large-report.sh [--size-mb N] [--repeats R] [--casefhir PATH]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mb=50 repeats=3 exe="$root/build/casefhir"
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --casefhir) exe="$2"; shift 2 ;;
    *) echo "usage: bench/large-report.sh [--size-mb N] [--repeats R] [--casefhir PATH]" >&2; exit 2 ;;
  esac
done
[ -x "$exe" ] || { echo "large-report: $exe is not built (make build)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "large-report: needs GNU time (apt-get install time)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/casefhir-large.XXXXXX")"
trap 'rm -rf "$work"' EXIT
target=$((size_mb * 1000000))
: > "$work/report.txt"
while [ "$(stat -c%s "$work/report.txt")" -lt "$target" ]; do
  for f in "$root"/samples/*.txt; do cat "$f"; printf '\n\n'; done >> "$work/report.txt"
done
echo "large-report: $(stat -c%s "$work/report.txt") bytes, $repeats runs"
for r in $(seq "$repeats"); do
  /usr/bin/time -f "%M %e" -o "$work/time.$r" "$exe" convert "$work/report.txt" -o "$work/bundle.json"
  read -r kb s < "$work/time.$r"
  echo "  run $r: peak RSS $((kb * 1024 / 1000000)) MB, wall $s s, Bundle $(stat -c%s "$work/bundle.json") bytes"
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
kb=$(cat "$work"/time.* | awk '{print $1}' | median)
s=$(cat "$work"/time.* | awk '{print $2}' | median)
echo "median: peak RSS $((kb * 1024 / 1000000)) MB, wall $s s"
