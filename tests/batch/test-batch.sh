#!/usr/bin/env bash
# What a user of `casefhir batch` and `casefhir convert --ndjson` relies on, checked on the repo's
# own samples: output order independent of --jobs; each Bundle as `convert` writes it; shards that
# concatenate to the whole; every input a Bundle or an error record (exit 3); an interrupted run
# (kill -9, SIGINT) finished by --resume with the same bytes as one uninterrupted run; folder and
# Bulk Data layouts; the NDJSON filter.
#
#   tests/batch/test-batch.sh path/to/casefhir
set -uo pipefail
exe="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/casefhir-batch-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failures=0
check() {   # check NAME COMMAND...: one line per check
  local name="$1"
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

mkdir -p "$work/in/more"
cp "$root"/samples/*.txt "$work/in/"
cp "$root"/samples/*.txt "$work/in/more/"
n=$(find "$work/in" -name '*.txt' | wc -l)

# Order and content.
"$exe" batch "$work/in" -o "$work/j1.ndjson" -j 1 -q; rc1=$?
"$exe" batch "$work/in" -o "$work/j2.ndjson" -j 2 -q; rc2=$?
check "exit 0 when every input converts" test "$rc1$rc2" = "00"
check "one Bundle line per input ($n)" test "$(wc -l <"$work/j1.ndjson")" -eq "$n"
check "the same bytes with 1 and 2 jobs" cmp -s "$work/j1.ndjson" "$work/j2.ndjson"
first=$(find "$work/in" -maxdepth 1 -name '*.txt' | LC_ALL=C sort | head -1)
"$exe" convert "$first" >"$work/one.json"
check "a line is what convert writes for that input" cmp -s <(head -1 "$work/j1.ndjson") "$work/one.json"
check "no journal left after a complete run" test ! -e "$work/j1.ndjson.journal"

# Shards.
for k in 1 2 3; do "$exe" batch "$work/in" -o "$work/shard-$k.ndjson" --shard "$k/3" -j 2 -q; done
check "shards 1..3 of 3 concatenate to the whole" cmp -s <(cat "$work"/shard-{1,2,3}.ndjson) "$work/j1.ndjson"
"$exe" batch "$work/in" -o "$work/x.ndjson" --shard 4/3 -q 2>/dev/null
check "--shard 4/3 is a usage error (exit 2)" test $? -eq 2

# Nothing lost: an empty file, a binary file and a missing one each get an error record.
mkdir -p "$work/bad"
cp "$root"/samples/*.txt "$work/bad/"
: >"$work/bad/empty.txt"
printf 'abc\0def' >"$work/bad/binary.txt"
"$exe" batch "$work/bad" "$work/no-such-file.txt" -o "$work/bad.ndjson" -q; rc=$?
check "exit 3 when some inputs fail" test $rc -eq 3
check "3 error records" test "$(wc -l <"$work/bad.ndjson.errors.ndjson")" -eq 3
check "the good inputs still converted" test "$(wc -l <"$work/bad.ndjson")" -eq "$(ls "$root"/samples/*.txt | wc -l)"
check "an error record names its input and has an OperationOutcome" \
  grep -q '"input":"'"$work"'/no-such-file.txt".*"resourceType":"OperationOutcome"' "$work/bad.ndjson.errors.ndjson"
# ... and in shards: a record's index is the input's place in the whole list, so the error records
# of shards 1..3 concatenate to those of one run too.
for k in 1 2 3; do "$exe" batch "$work/bad" "$work/no-such-file.txt" -o "$work/bad-$k.ndjson" --shard "$k/3" -q; done
check "error records of shards 1..3 concatenate to the whole" \
  cmp -s <(cat "$work"/bad-{1,2,3}.ndjson.errors.ndjson) "$work/bad.ndjson.errors.ndjson"

# Interrupted runs, finished by --resume. A corpus large enough to stop half way.
mkdir -p "$work/big"
for i in $(seq 1 40); do for f in "$root"/samples/*.txt; do cp "$f" "$work/big/$i-$(basename "$f")"; done; done
"$exe" batch "$work/big" -o "$work/whole.ndjson" -j 2 -q
for how in KILL INT; do
  rm -f "$work/cut.ndjson"*
  "$exe" batch "$work/big" -o "$work/cut.ndjson" -j 1 -q &
  pid=$!
  for _ in $(seq 1 1000); do   # until some records are out
    [ -s "$work/cut.ndjson" ] && [ "$(wc -l <"$work/cut.ndjson")" -ge 20 ] && break
    sleep 0.01
  done
  kill -s "$how" "$pid" 2>/dev/null
  wait "$pid"; rc=$?
  lines=$(wc -l <"$work/cut.ndjson")
  check "SIG$how stops the run before the end ($lines of $(wc -l <"$work/whole.ndjson") lines, exit $rc)" test "$rc" -ne 0 -a "$lines" -lt "$(wc -l <"$work/whole.ndjson")"
  if [ "$how" = INT ]; then check "SIGINT exits 130" test "$rc" -eq 130; fi
  "$exe" batch "$work/big" -o "$work/cut.ndjson" -j 2 --resume -q; rc=$?
  check "--resume after SIG$how: exit 0 and the same bytes as one run" test $rc -eq 0
  check "--resume after SIG$how: identical output" cmp -s "$work/cut.ndjson" "$work/whole.ndjson"
done
rm -f "$work/cut.ndjson"*
"$exe" batch "$work/big" -o "$work/cut.ndjson" -j 1 -q &
pid=$!
for _ in $(seq 1 1000); do   # until its journal exists (a slow build, under a sanitizer, starts late)
  [ -s "$work/cut.ndjson" ] && break
  sleep 0.01
done
kill -KILL "$pid" 2>/dev/null
wait "$pid"
"$exe" batch "$work/in" -o "$work/cut.ndjson" --resume -q 2>/dev/null
check "--resume with other inputs is refused (exit 2)" test $? -eq 2

# Layouts: a folder of Bundles, and Bulk Data NDJSON per resource type.
"$exe" batch "$work/in" -o "$work/folder/" -q
check "a folder holds one Bundle per input, named after it" test -s "$work/folder/more/$(basename "$first").json"
check "the folder's Bundle is the NDJSON line" cmp -s "$work/folder/$(basename "$first").json" "$work/one.json"
"$exe" batch "$work/in" -o "$work/bulk" --split -q
check "--split: one Patient line per Bundle" test "$(wc -l <"$work/bulk/Patient.ndjson")" -eq "$n"
check "--split: references are relative, no urn:uuid left" bash -c "! grep -q '\"reference\":\"urn:uuid:' '$work'/bulk/*.ndjson"

# The NDJSON filter.
printf '%s\n' '{"id":"r1","text":"A 40-year-old woman presented with fever."}' \
  "{\"id\":\"r2\",\"path\":\"$first\"}" 'not json' '{"id":"r4","text":""}' >"$work/records.ndjson"
"$exe" convert --ndjson -j 2 <"$work/records.ndjson" >"$work/filtered.ndjson" 2>"$work/filter.err"; rc=$?
check "--ndjson: exit 3 when a record fails" test $rc -eq 3
check "--ndjson: one line per record" test "$(wc -l <"$work/filtered.ndjson")" -eq 4
check "--ndjson: a path record gives convert's Bundle (named by its id)" grep -q '"resourceType":"Bundle"' <(sed -n 2p "$work/filtered.ndjson")
check "--ndjson: a bad record gives an OperationOutcome in its place" grep -q '"resourceType":"OperationOutcome"' <(sed -n 3p "$work/filtered.ndjson")
check "--ndjson: the message does not quote the record" bash -c "! grep -q 'not json' '$work/filter.err'"

echo "batch: $failures failed"
[ $failures -eq 0 ]
