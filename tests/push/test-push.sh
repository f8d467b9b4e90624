#!/usr/bin/env bash
# `casefhir push` against real servers on loopback. Registered as the ctest test `push_fhir_server`.
#
#   tests/push/test-push.sh [CASEFHIR_BINARY [SHARED_DIR]]
#
# 1. The FHIR R4 server of ../shared/tools/fhir-server (installed here if its node_modules is
#    missing): converts samples/*.txt (collection Bundles, casefhir's default), pushes the folder;
#    every entry must be created, searchable by code and by subject; pushing them again (as NDJSON,
#    and one on stdin) must create nothing (counts by _summary=count before and after); a Bundle the
#    server finds invalid is reported with its OperationOutcome while the rest go in.
# 2. tests/push/flaky-server.mjs: 503 twice (Retry-After in seconds, then as an HTTP-date) then
#    200, 429 with Retry-After, 400 with an OperationOutcome: the retries succeed after the waits
#    the server asked for, the rejected Bundle is reported with its OperationOutcome, the rest go in
#    (exit 3), and the bearer token comes from the environment. `batch --push` killed (kill -9)
#    while the server holds its requests: `--resume` posts the Bundles written but never answered.
# 3. The flaky server over HTTPS with a self-signed certificate (openssl): refused at once without
#    --ca-file, accepted with it.
# 4. Nothing listening: exit 1 after the retries; the Bundles after it are not sent.
#
# Exit 77 (ctest: skipped) when node or the shared folder is absent, unless CASEFHIR_REQUIRE_SHARED
# is set (CI), which turns absence into a failure. Servers started here are stopped at exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
casefhir="${1:-$root/build/casefhir}"
shared="${CASEFHIR_SHARED:-${2:-$root/../shared}}"
server_dir="$shared/tools/fhir-server"

required() { [ -n "${CASEFHIR_REQUIRE_SHARED:-}" ] && [ "${CASEFHIR_REQUIRE_SHARED}" != 0 ]; }
unavailable() {
  if required; then
    echo "test-push: $1 (CASEFHIR_REQUIRE_SHARED is set, so this fails)" >&2
    exit 1
  fi
  echo "test-push: $1; skipped (set CASEFHIR_REQUIRE_SHARED=1 to make this an error)"
  exit 77
}

[ -x "$casefhir" ] || { echo "test-push: no casefhir binary at $casefhir" >&2; exit 1; }
[ -f "$server_dir/server.mjs" ] || unavailable "no FHIR server at $server_dir"
command -v node >/dev/null 2>&1 || unavailable "node is not installed"
if [ ! -d "$server_dir/node_modules/@medplum/fhir-router" ]; then
  command -v npm >/dev/null 2>&1 || unavailable "npm is not installed, so the server's packages cannot be installed"
  echo "test-push: installing the FHIR server's packages ($server_dir/install.sh)"
  "$server_dir/install.sh"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/casefhir-push.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

failures=0
check() {   # name, expected, actual
  if [ "$2" = "$3" ]; then
    echo "ok   $1"
  else
    echo "FAIL $1: expected $2, got $3"
    failures=$((failures + 1))
  fi
}
# A JavaScript expression over the JSON on stdin (`d`); NDJSON gives an array of its lines.
json() {
  node -e '
    let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => {
      let d; try { d = JSON.parse(s); } catch { d = s.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)); }
      const r = eval(process.argv[1]);
      console.log(typeof r === "string" ? r : JSON.stringify(r));
    });' "$1"
}
get() {
  node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(20000) }).then(async (r) => {
             if (!r.ok) { console.error(`GET ${process.argv[1]}: HTTP ${r.status}`); process.exit(1); }
             process.stdout.write(await r.text()); })' "$1"
}
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
wait_for() {   # url, log
  for _ in $(seq 1 120); do
    get "$1" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  echo "test-push: no server at $1:"; cat "$2"; exit 1
}
# One line: how many resources of each type casefhir writes the server holds (_summary=count).
counts() {
  node -e '
    const types = ["Patient", "DocumentReference", "Encounter", "Condition", "Observation", "Procedure", "FamilyMemberHistory", "BodyStructure"];
    Promise.all(types.map((t) => fetch(`${process.argv[1]}/${t}?_summary=count`, { signal: AbortSignal.timeout(20000) }).then((r) => r.json())))
      .then((all) => console.log(all.map((b, i) => `${types[i]}=${b.total}`).join(" ")));' "$base"
}
run() {   # expected exit code, command...; stdout and stderr go to $tmp/out, $tmp/err
  local expected="$1" rc=0
  shift
  "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ "$rc" != "$expected" ]; then
    echo "FAIL exit code of ${*:1:3}…: expected $expected, got $rc"; cat "$tmp/err"
    failures=$((failures + 1))
  fi
}

# ---- the samples, converted as casefhir writes them by default (collection) ----
mkdir -p "$tmp/bundles"
shopt -s nullglob
samples=("$root"/samples/*.txt)
[ ${#samples[@]} -gt 0 ] || { echo "test-push: no samples/*.txt" >&2; exit 1; }
for input in "${samples[@]}"; do
  "$casefhir" convert "$input" -o "$tmp/bundles/$(basename "$input" .txt).json"
done
cat "$tmp"/bundles/*.json > "$tmp/all.ndjson"
n=${#samples[@]}

# ---- 1. the real FHIR server ----
port="$(free_port)"
base="http://127.0.0.1:$port/fhir"
node "$server_dir/server.mjs" --port="$port" >"$tmp/server.log" 2>&1 &
pids+=($!)
wait_for "$base/metadata" "$tmp/server.log"

run 0 "$casefhir" push "$tmp/bundles" --dry-run
check "dry run: one transaction per sample on stdout" "$n" "$(grep -c '"type":"transaction"' "$tmp/out")"
check "dry run: nothing posted" "Patient=0 DocumentReference=0 Encounter=0 Condition=0 Observation=0 Procedure=0 FamilyMemberHistory=0 BodyStructure=0" "$(counts)"

run 0 "$casefhir" push "$tmp/bundles" --server "$base" --concurrency 3 --timeout 300 --report "$tmp/first.json"
first="$(cat "$tmp/first.json")"
entries="$(echo "$first" | json d.summary.entries)"
created="$(echo "$first" | json d.summary.created)"
check "first push: every Bundle accepted" "$n" "$(echo "$first" | json d.summary.bundles_ok)"
check "first push: every entry created" "$entries" "$created"
check "first push: nothing already there" "0" "$(echo "$first" | json d.summary.existing)"
before="$(counts)"
check "the server holds what was created" "$created" "$(echo "$before" | tr ' ' '\n' | awk -F= 'NF == 2 { s += $2 } END { print s }')"

# Searchable by subject: each sample's Conditions and Observations, found under the Patient the
# server created for it. Lines "sample type expected found".
node -e '
  const fs = require("fs");
  const [report, base] = [JSON.parse(fs.readFileSync(process.argv[1], "utf8")), process.argv[2]];
  (async () => {
    for (const b of report.bundles) {
      const bundle = JSON.parse(fs.readFileSync(b.source, "utf8"));
      const patient = bundle.entry.find((e) => e.resource.resourceType === "Patient").fullUrl;
      const created = b.entries.find((e) => e.resourceType === "Patient").location.split("/").slice(0, 2).join("/");
      for (const t of ["Condition", "Observation"]) {
        const expected = bundle.entry.filter((e) => e.resource.resourceType === t && e.resource.subject?.reference === patient).length;
        const found = (await (await fetch(`${base}/${t}?subject=${created}&_summary=count`)).json()).total;
        console.log(`${b.source.replace(/.*\//, "").replace(".json", "")} ${t} ${expected} ${found}`);
      }
    }
  })();' "$tmp/first.json" "$base" > "$tmp/by-subject.txt"
while read -r sample type expected found; do
  check "$sample: ${type}s by subject" "$expected" "$found"
done < "$tmp/by-subject.txt"
check "searched by subject: every sample" "$((2 * n))" "$(wc -l < "$tmp/by-subject.txt")"
condition_code="$(json "(() => { const c = d.entry.find((e) => e.resource.resourceType === 'Condition').resource.code.coding[0]; return c.system + '|' + c.code; })()" < "$tmp/bundles/pulmonary-embolism.json")"
check "Condition found by code ($condition_code)" "true" \
  "$(get "$base/Condition?code=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$condition_code")" | json 'd.total >= 1')"
lab_code="$(json "(() => { const o = d.entry.find((e) => e.resource.resourceType === 'Observation' && e.resource.code.coding.some((c) => c.system === 'http://loinc.org')).resource.code.coding.find((c) => c.system === 'http://loinc.org'); return o.system + '|' + o.code; })()" < "$tmp/bundles/hellp-syndrome.json")"
check "Observation found by LOINC code ($lab_code) and subject" "true" \
  "$(get "$base/Observation?code=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$lab_code")&subject:Patient.gender=female" | json 'd.total >= 1')"

# Pushed again, as NDJSON this time: nothing new.
run 0 "$casefhir" push "$tmp/all.ndjson" --server "$base" --timeout 300 --report "$tmp/second.ndjson"
check "second push: nothing created" "0" "$(json 'd.reduce((s, b) => s + b.created, 0)' < "$tmp/second.ndjson")"
check "second push: every entry already there" "$entries" "$(json 'd.reduce((s, b) => s + b.existing, 0)' < "$tmp/second.ndjson")"
check "second push: the same resource counts" "$before" "$(counts)"
run 0 "$casefhir" push - --server "$base" < "$tmp/bundles/hellp-syndrome.json"
check "a Bundle on stdin, pushed a third time: the same counts" "$before" "$(counts)"
# Converted and pushed in one pass (casefhir batch --push): every Bundle in, nothing new.
run 0 "$casefhir" batch "${samples[@]}" -o "$tmp/batch.ndjson" --push "$base" --push-report "$tmp/batch-push.ndjson" -q
check "batch --push: a report line per Bundle" "$n" "$(wc -l < "$tmp/batch-push.ndjson")"
check "batch --push: every Bundle accepted, nothing created" "$n 0" \
  "$(json 'd.filter((b) => b.ok).length + " " + d.reduce((s, b) => s + b.created, 0)' < "$tmp/batch-push.ndjson")"
check "batch --push: the same resource counts" "$before" "$(counts)"
second_created="$(json 'd.reduce((s, b) => s + b.created, 0)' < "$tmp/second.ndjson")"

# A Bundle the server finds invalid (an Observation without its required status): reported with the
# server's OperationOutcome; the Bundles around it go in.
json "(() => { const o = d.entry.find((e) => e.resource.resourceType === 'Observation'); delete o.resource.status; return JSON.stringify(d); })()" \
  < "$tmp/bundles/calcinosis-cutis.json" > "$tmp/invalid.json"
{ head -1 "$tmp/all.ndjson"; cat "$tmp/invalid.json"; sed -n 2p "$tmp/all.ndjson"; } > "$tmp/mixed.ndjson"
run 3 "$casefhir" push "$tmp/mixed.ndjson" --server "$base" --report "$tmp/mixed.ndjson.report.ndjson"
mixed="$tmp/mixed.ndjson.report.ndjson"
check "invalid Bundle: rejected with HTTP 400" "rejected 400" "$(json 'd[1].failure + " " + d[1].http_status' < "$mixed")"
check "invalid Bundle: the server's OperationOutcome in the report" "OperationOutcome" "$(json 'd[1].outcome.resourceType' < "$mixed")"
check "the Bundles around it went in" "true true" "$(json 'd[0].ok + " " + d[2].ok' < "$mixed")"
check "stderr names the rejected Bundle, not its text" "1" "$(grep -c "^casefhir: push: $tmp/mixed.ndjson:2: HTTP 400 Bad Request" "$tmp/err")"

# ---- 2. the flaky server ----
fport="$(free_port)"
fbase="http://127.0.0.1:$fport/fhir"
for name in hellp-syndrome community-acquired-pneumonia guillain-barre-syndrome pernicious-anaemia; do
  cat "$tmp/bundles/$name.json"
done > "$tmp/flaky.ndjson"
key() { json 'd.entry[0].fullUrl' < "$tmp/bundles/$1.json"; }
cat > "$tmp/rules.json" <<EOF
{"$(key hellp-syndrome)": ["503:1", "503:date:2", "200"],
 "$(key community-acquired-pneumonia)": ["429:2", "200"],
 "$(key guillain-barre-syndrome)": ["400"],
 "default": ["200"]}
EOF
node "$root/tests/push/flaky-server.mjs" --port="$fport" --rules="$tmp/rules.json" --log="$tmp/requests.ndjson" >"$tmp/flaky.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do grep -q "flaky-server on" "$tmp/flaky.log" && break; sleep 0.25; done
CASEFHIR_TOKEN=test-token-123 run 3 "$casefhir" push "$tmp/flaky.ndjson" --server "$fbase" --concurrency 2 --report "$tmp/flaky.json"
flaky="$(cat "$tmp/flaky.json")"
check "503, 503, 200: accepted on the third attempt" "true 3" "$(echo "$flaky" | json 'd.bundles[0].ok + " " + d.bundles[0].attempts')"
gaps() { json "(() => { const a = d.filter((r) => r.key === '$(key "$1")').map((r) => r.arrived); return a.slice(1).map((t, i) => (t - a[i]) / 1000); })()" < "$tmp/requests.ndjson"; }
hellp_gaps="$(gaps hellp-syndrome)"
check "Retry-After: 1 (seconds) waited at least 1 s" "true" "$(echo "$hellp_gaps" | json 'd[0] >= 1.0')"
check "Retry-After as an HTTP-date (2 s ahead, whole seconds) waited at least 1 s" "true" "$(echo "$hellp_gaps" | json 'd[1] >= 1.0')"
check "429 with Retry-After: 2: accepted on the second attempt" "true 2" "$(echo "$flaky" | json 'd.bundles[1].ok + " " + d.bundles[1].attempts')"
pneumonia_gap="$(gaps community-acquired-pneumonia)"
check "Retry-After: 2 waited at least 2 s" "true" "$(echo "$pneumonia_gap" | json 'd[0] >= 2.0')"
check "400: reported as rejected after one attempt" "false rejected 400 1" \
  "$(echo "$flaky" | json 'd.bundles[2].ok + " " + d.bundles[2].failure + " " + d.bundles[2].http_status + " " + d.bundles[2].attempts')"
check "400: the Bundle's OperationOutcome in the report" "flaky-server rejects this Bundle" "$(echo "$flaky" | json 'd.bundles[2].outcome.issue[0].details.text')"
check "400: the issue on entry 1 given to that entry" "OperationOutcome" "$(echo "$flaky" | json 'd.bundles[2].entries[1].outcome.resourceType')"
check "the rest of the batch went in" "true" "$(echo "$flaky" | json 'd.bundles[3].ok')"
check "collections were posted as transactions" "transaction" "$(json '[...new Set(d.map((r) => r.type))].join(",")' < "$tmp/requests.ndjson")"
check "the bearer token from CASEFHIR_TOKEN on every request" "Bearer test-token-123" \
  "$(json '[...new Set(d.map((r) => r.authorization))].join(",")' < "$tmp/requests.ndjson")"
check "the token is in no report or message" "0" "$(cat "$tmp/flaky.json" "$tmp/err" "$tmp/out" | grep -c test-token-123 || true)"
measured_waits="$(echo "$hellp_gaps" | json 'd.map((x) => x.toFixed(2)).join(" s, ")') s and $(echo "$pneumonia_gap" | json 'd[0].toFixed(2)') s"

# ---- 2b. batch --push killed outright (kill -9) with Bundles written but not answered ----
# The server holds every request while $tmp/hold exists. The killed run has written Bundles the
# server never answered; --resume posts them again before going on, so every Bundle goes in.
hport="$(free_port)"
hbase="http://127.0.0.1:$hport/fhir"
echo '{"default": ["200"]}' > "$tmp/hold-rules.json"
touch "$tmp/hold"
node "$root/tests/push/flaky-server.mjs" --port="$hport" --rules="$tmp/hold-rules.json" --log="$tmp/hold-requests.ndjson" \
  --hold="$tmp/hold" >"$tmp/hold.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do grep -q "flaky-server on" "$tmp/hold.log" && break; sleep 0.25; done
killed=("$casefhir" batch "${samples[@]}" -o "$tmp/killed.ndjson" --push "$hbase" --push-concurrency 1 -j 1)
"${killed[@]}" -q >/dev/null 2>&1 &
bpid=$!
for _ in $(seq 1 200); do
  [ -f "$tmp/killed.ndjson" ] && [ "$(wc -l < "$tmp/killed.ndjson")" -ge 3 ] && break
  sleep 0.1
done
sleep 0.5   # the run is stalled on the held server: nothing more is written
kill -9 "$bpid"
wait "$bpid" 2>/dev/null || true
written_before="$(wc -l < "$tmp/killed.ndjson")"
answered_before="$( [ -f "$tmp/hold-requests.ndjson" ] && wc -l < "$tmp/hold-requests.ndjson" || echo 0)"
check "killed: Bundles written, none answered" "true 0" "$([ "$written_before" -ge 3 ] && echo true || echo false) $answered_before"
rm "$tmp/hold"
run 0 "${killed[@]}" --resume
check "resumed: the output holds every Bundle" "$n" "$(wc -l < "$tmp/killed.ndjson")"
check "resumed: the Bundles written before the kill are posted again" "1" \
  "$(grep -c "posting again $written_before Bundles written before the interruption" "$tmp/err")"
check "resumed: every Bundle of the output answered 200" "$n" "$(node -e '
  const fs = require("fs");
  const keys = fs.readFileSync(process.argv[1], "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l).entry[0].fullUrl);
  const ok = new Set(fs.readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l))
    .filter((r) => r.status === 200).map((r) => r.key));
  console.log(keys.filter((k) => ok.has(k)).length);' "$tmp/killed.ndjson" "$tmp/hold-requests.ndjson")"
check "resumed: one push report line per Bundle, each ok" "$n $n" \
  "$(json 'd.length + " " + d.filter((b) => b.ok).length' < "$tmp/killed.ndjson.push.ndjson")"

# ---- 3. TLS: the peer is verified; --ca-file names the CA to trust ----
if command -v openssl >/dev/null 2>&1; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1
  tport="$(free_port)"
  echo '{"default": ["200"]}' > "$tmp/tls-rules.json"
  node "$root/tests/push/flaky-server.mjs" --port="$tport" --rules="$tmp/tls-rules.json" --log="$tmp/tls.ndjson" \
    --cert="$tmp/cert.pem" --key="$tmp/key.pem" >"$tmp/tls.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 40); do grep -q "flaky-server on" "$tmp/tls.log" && break; sleep 0.25; done
  run 1 "$casefhir" push "$tmp/bundles/hellp-syndrome.json" --server "https://127.0.0.1:$tport/fhir"
  check "TLS: a certificate no trusted CA signed is refused, without retrying" "1" "$(grep -c "server unreachable: .*certificate.*(after 1 attempt)" "$tmp/err")"
  run 0 "$casefhir" push "$tmp/bundles/hellp-syndrome.json" --server "https://127.0.0.1:$tport/fhir" --ca-file "$tmp/cert.pem"
  check "TLS: accepted with --ca-file" "1" "$(grep -c "1 accepted" "$tmp/err")"
else
  echo "skip TLS checks: openssl is not installed"
fi

# ---- 4. nothing listening ----
dead_port="$(free_port)"
run 1 "$casefhir" push "$tmp/bundles/hellp-syndrome.json" "$tmp/bundles/calcinosis-cutis.json" --server "http://127.0.0.1:$dead_port/fhir" \
  --max-attempts 2 --concurrency 1 --report "$tmp/dead.json"
check "unreachable: the first Bundle after 2 attempts, the second not sent" "unreachable 2 unreachable 0" \
  "$(json 'd.bundles.map((b) => b.failure + " " + (b.attempts ?? 0)).join(" ")' < "$tmp/dead.json")"
check "unreachable: said on stderr" "2" "$(grep -c "server unreachable" "$tmp/err")"

echo "test-push: $n samples, $entries entries: first push $created created; second push $second_created created;" \
     "flaky server: retries waited $measured_waits"
if [ "$failures" -gt 0 ]; then
  echo "test-push: $failures checks failed"
  exit 1
fi
echo "test-push: all checks passed"
