#!/usr/bin/env bash
# Merges the shards that deploy/slurm/casefhir-batch.sbatch wrote into OUT (one NDJSON of Bundles
# and one of error records), exactly what one `casefhir batch` run over the whole corpus writes:
#
#   deploy/slurm/merge.sh OUTDIR [-n N] [-o FINAL.ndjson]
#
# FINAL defaults to OUTDIR/casefhir.ndjson; the error records go to FINAL.errors.ndjson, the name
# `casefhir batch -o FINAL` gives them. N (the number of shards) defaults to what the finished
# shards say; give -n to insist on it.
#
# It refuses, listing every problem, unless shards 1..N all finished: shard-K.done,
# shard-K.ndjson and shard-K.ndjson.errors.ndjson present for every K, each .done written by shard
# K of the same N, no .part left (a task still running or killed), no shard above N (left by a run
# with more shards), and the line counts the tasks reported. The merged files are written beside
# their final names and renamed, so a failed merge leaves no half file.
#
# Exit codes: 0 merged (the summary says how many inputs failed: see FINAL.errors.ndjson),
# 1 the shards are incomplete or inconsistent, or the output cannot be written, 2 usage.
set -euo pipefail

usage() { echo "usage: merge.sh OUTDIR [-n N] [-o FINAL.ndjson]" >&2; exit 2; }
outdir="" n="" final=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) [ $# -ge 2 ] || usage; n="$2"; shift 2 ;;
    -o) [ $# -ge 2 ] || usage; final="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "merge.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$outdir" ] || usage; outdir="$1"; shift ;;
  esac
done
[ -n "$outdir" ] || usage
[ -d "$outdir" ] || { echo "merge.sh: $outdir is not a folder" >&2; exit 1; }
[ -z "$n" ] || [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "merge.sh: -n must be a positive number" >&2; exit 2; }
final="${final:-$outdir/casefhir.ndjson}"
final_errors="$final.errors.ndjson"

# field FILE NAME: the value of "NAME value" in a .done file.
field() { sed -n "s/^$2 //p" "$1" | head -1; }

problems=()
shopt -s nullglob
for part in "$outdir"/shard-*.part "$outdir"/shard-*.part.*; do
  problems+=("$(basename "$part"): a task is still running or died while writing it")
done

# N: given, or what every finished shard says.
declare -A seen_n=()
for d in "$outdir"/shard-*.done; do
  s="$(field "$d" shard)"
  seen_n["${s#*/}"]=1
done
if [ -z "$n" ]; then
  if [ ${#seen_n[@]} = 0 ]; then
    echo "merge.sh: no finished shard (shard-K.done) in $outdir: did the array job run? Its logs say why it failed." >&2
    exit 1
  fi
  if [ ${#seen_n[@]} -gt 1 ]; then
    echo "merge.sh: the shards in $outdir come from runs with different shard counts (${!seen_n[*]}): clear the folder and rerun, or give -n N" >&2
    exit 1
  fi
  n="${!seen_n[*]}"
fi

missing=() expected_lines=0 expected_errors=0
declare -A jobs=()
for ((k = 1; k <= n; k++)); do
  d="$outdir/shard-$k.done" b="$outdir/shard-$k.ndjson" e="$outdir/shard-$k.ndjson.errors.ndjson"
  if [ ! -f "$d" ]; then missing+=("$k"); continue; fi
  s="$(field "$d" shard)"
  if [ "$s" != "$k/$n" ]; then problems+=("shard-$k.done was written by shard '$s', not $k/$n"); continue; fi
  [ -f "$b" ] || { problems+=("shard-$k.done but no shard-$k.ndjson"); continue; }
  [ -f "$e" ] || { problems+=("shard-$k.done but no shard-$k.ndjson.errors.ndjson"); continue; }
  lines="$(field "$d" bundles)" errs="$(field "$d" errors)"
  [ "$(wc -l <"$b")" = "$lines" ] || problems+=("shard-$k.ndjson has $(wc -l <"$b") lines, the task wrote $lines")
  [ "$(wc -l <"$e")" = "$errs" ] || problems+=("shard-$k.ndjson.errors.ndjson has $(wc -l <"$e") lines, the task wrote $errs")
  expected_lines=$((expected_lines + lines)) expected_errors=$((expected_errors + errs))
  jobs["$(field "$d" job)"]=1
done
[ ${#missing[@]} = 0 ] || problems+=("shards not finished: ${missing[*]} (of $n): see their task logs; rerun them with sbatch --array=<ids> ... --shards $n")
for f in "$outdir"/shard-*; do
  k="$(basename "$f")"; k="${k#shard-}"; k="${k%%.*}"
  if [[ "$k" =~ ^[0-9]+$ ]] && [ "$k" -gt "$n" ]; then
    problems+=("$(basename "$f") is above shard $n: left by a run with more shards? remove it")
  fi
done

if [ ${#problems[@]} -gt 0 ]; then
  echo "merge.sh: cannot merge $outdir ($n shards):" >&2
  printf '  %s\n' "${problems[@]}" | sort -u >&2
  exit 1
fi

shard_files() { for ((k = 1; k <= n; k++)); do printf '%s\0' "$outdir/shard-$k$1"; done; }
tmp="$final.part.$$" tmp_errors="$final_errors.part.$$"
trap 'rm -f "$tmp" "$tmp_errors"' EXIT
shard_files .ndjson | xargs -0 cat -- >"$tmp"
shard_files .ndjson.errors.ndjson | xargs -0 cat -- >"$tmp_errors"
lines=$(wc -l <"$tmp") errs=$(wc -l <"$tmp_errors")
if [ "$lines" != "$expected_lines" ] || [ "$errs" != "$expected_errors" ]; then
  echo "merge.sh: merged $lines lines and $errs error records, the shards reported $expected_lines and $expected_errors: a shard changed while merging?" >&2
  exit 1
fi
mv -f "$tmp_errors" "$final_errors"
mv -f "$tmp" "$final"
trap - EXIT
echo "merge.sh: $n shards (job ${!jobs[*]}) -> $final: $lines Bundle lines; $errs inputs failed -> $final_errors"
