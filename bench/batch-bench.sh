#!/usr/bin/env bash
# Archive-scale throughput of `casefhir batch` (issue 11): documents/s and MB/s with 1 and 2 jobs,
# against `wc -w` over the same files in the same run, and whether memory stays flat.
#
#   bench/batch-bench.sh [--docs N] [--repeats R] [--casefhir PATH] [--keep]
#
# The corpus: N case reports written to a temporary folder, the visible MACCROBAT texts of
# ../shared/eval (or the repository's samples when ../shared is absent) copied round-robin, each a
# file of its own. All files are read once before timing, so every run reads from the page cache.
# Bundles go to /dev/null: the figures are conversion and JSON writing, not the disk. Each of the
# R repeats runs wc -w, batch -j 1 and batch -j 2 in turn; the medians are reported. Peak RSS is
# GNU time's; "RSS after warm-up" samples /proc every 0.5 s during the 2-job run and gives the
# value at a quarter and at the end of the run, so a flat line shows as two equal numbers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
docs=100000 repeats=3 exe="$root/build/casefhir" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --casefhir) exe="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: bench/batch-bench.sh [--docs N] [--repeats R] [--casefhir PATH] [--keep]" >&2; exit 2 ;;
  esac
done
[ -x "$exe" ] || { echo "batch-bench: $exe is not built (make build)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "batch-bench: needs GNU time (apt-get install time)" >&2; exit 2; }

seeds="$root/../shared/eval/maccrobat/MACCROBAT2020"
[ -d "$seeds" ] || seeds="$root/samples"
corpus="${TMPDIR:-/tmp}/casefhir-batch-bench-$docs"
if [ ! -f "$corpus/.complete" ]; then
  rm -rf "$corpus"
  mkdir -p "$corpus"
  mapfile -t files < <(find "$seeds" -maxdepth 1 -name '*.txt' | LC_ALL=C sort)
  echo "batch-bench: writing $docs documents from ${#files[@]} texts of $seeds to $corpus"
  texts=()
  for f in "${files[@]}"; do texts+=("$(cat "$f"; printf x)"); done   # the x keeps trailing newlines
  for ((i = 0; i < docs; i++)); do
    d="$corpus/$((i / 1000))"
    [ $((i % 1000)) -eq 0 ] && mkdir -p "$d"
    t="${texts[$((i % ${#texts[@]}))]}"
    printf '%s' "${t%x}" >"$d/doc-$i.txt"   # a shell builtin: no process per document
  done
  touch "$corpus/.complete"
fi
[ $keep = 1 ] || trap 'rm -rf "$corpus"' EXIT
bytes=$(find "$corpus" -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
find "$corpus" -name '*.txt' -print0 | xargs -0 cat >/dev/null   # into the page cache
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "batch-bench: $docs documents, $mb MB; $(nproc) cores; $repeats repeats"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -a wc_t j1_t j2_t j1_rss j2_rss
rss_quarter="" rss_end=""
for ((r = 1; r <= repeats; r++)); do
  t=$( { /usr/bin/time -f '%e' bash -c "find '$corpus' -name '*.txt' -print0 | wc -w --files0-from=- | tail -1 >/dev/null"; } 2>&1 | tail -1)
  wc_t+=("$t")
  out=$( { /usr/bin/time -f '%e %M' "$exe" batch "$corpus" -o /dev/null -j 1 -q; } 2>&1 | tail -1)
  j1_t+=("${out% *}"); j1_rss+=("${out#* }")
  samples="$(mktemp)"
  { /usr/bin/time -f '%e %M' "$exe" batch "$corpus" -o /dev/null -j 2 -q 2>"$samples.time"; } &
  sleep 0.2
  pid=$(pgrep -n -f "batch $corpus -o /dev/null -j 2" || true)
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
    awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null >>"$samples" || true
    sleep 0.5
  done
  wait
  out=$(tail -1 "$samples.time")
  j2_t+=("${out% *}"); j2_rss+=("${out#* }")
  n=$(wc -l <"$samples")
  if [ "$n" -ge 4 ]; then
    rss_quarter=$(sed -n "$((n / 4))p" "$samples"); rss_end=$(tail -1 "$samples")
  fi
  rm -f "$samples" "$samples.time"
  echo "  repeat $r: wc -w ${wc_t[-1]} s; batch -j 1 ${j1_t[-1]} s; batch -j 2 ${j2_t[-1]} s"
done

wc_m=$(printf '%s\n' "${wc_t[@]}" | median)
j1_m=$(printf '%s\n' "${j1_t[@]}" | median)
j2_m=$(printf '%s\n' "${j2_t[@]}" | median)
awk -v d="$docs" -v b="$bytes" -v w="$wc_m" -v a="$j1_m" -v c="$j2_m" 'BEGIN {
  printf "wc -w:          %6.2f s  %9.0f documents/s  %7.1f MB/s\n", w, d / w, b / 1e6 / w
  printf "batch -j 1:     %6.2f s  %9.0f documents/s  %7.1f MB/s  (%.3f of wc -w)\n", a, d / a, b / 1e6 / a, w / a
  printf "batch -j 2:     %6.2f s  %9.0f documents/s  %7.1f MB/s  (%.2fx of -j 1)\n", c, d / c, b / 1e6 / c, a / c
}'
echo "peak RSS: -j 1 $(printf '%s\n' "${j1_rss[@]}" | median) KB, -j 2 $(printf '%s\n' "${j2_rss[@]}" | median) KB (medians)"
[ -n "$rss_quarter" ] && echo "RSS after warm-up (-j 2, last repeat): ${rss_quarter} KB at a quarter of the run, ${rss_end} KB at its end"
