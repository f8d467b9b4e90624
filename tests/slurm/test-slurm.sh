#!/usr/bin/env bash
# make test-slurm: a single-node Slurm cluster on this machine, and deploy/slurm/ run on it.
#
#   tests/slurm/test-slurm.sh [CASEFHIR]      (default: build/casefhir)
#
# 1. Installs Debian's slurm-wlm and munge if missing (apt-get).
# 2. Starts, all inside one temporary folder: munged (its own key and socket), slurmctld and slurmd
#    (a one-node slurm.conf: this host, its CPUs, proctrack/linuxproc and task/none, so no cgroups,
#    no accounting; free ports), and waits for the node to be idle.
# 3. The corpus: the MACCROBAT texts from ../shared plus their .ann files (left out by
#    --include '*.txt') and three inputs that must fail (empty, not UTF-8, binary).
# 4. deploy/slurm/submit.sh: an array job of 4 shards (ids 1-4) and the merge job that depends on
#    it. Its merged NDJSON and error records must equal, byte for byte, one `casefhir batch` run.
# 5. The sbatch script directly as an array with ids 0-3 over a list of paths (`--list`), then
#    merge.sh: equal to one `casefhir batch -` run over the same list.
# 6. A casefhir that fails: the tasks fail, the merge job is cancelled (not left pending) and
#    submit.sh --wait says so; merge.sh refuses missing, partial and stale shards.
# Everything it started is stopped and the folder removed on exit, pass or fail (CASEFHIR_KEEP_TMP=1
# keeps the folder). Skips without ../shared unless CASEFHIR_REQUIRE_SHARED=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
casefhir="${1:-$root/build/casefhir}"
shared="${CASEFHIR_SHARED:-$root/../shared}"
corpus="$shared/eval/maccrobat/MACCROBAT2020"
deploy="$root/deploy/slurm"
start=$SECONDS

say() { echo "test-slurm: $*"; }
tmp=""
show_logs() {
  [ -n "$tmp" ] || return 0
  local f
  for f in "$tmp"/log/munged.log "$tmp"/log/slurmctld.log "$tmp"/log/slurmd.log "$tmp"/out*/logs/*.out; do
    [ -s "$f" ] || continue
    echo "----- tail of ${f#"$tmp"/}" >&2
    tail -n 25 "$f" >&2
  done
}
fail() {
  echo "test-slurm: FAILED: $*" >&2
  show_logs
  exit 1
}

if [ ! -d "$corpus" ]; then
  if [ "${CASEFHIR_REQUIRE_SHARED:-0}" = 1 ]; then
    fail "$corpus is missing (CASEFHIR_REQUIRE_SHARED=1): ../shared must sit beside the checkout"
  fi
  say "skipped: $corpus is missing (../shared beside the checkout; CASEFHIR_REQUIRE_SHARED=1 makes this fail)"
  exit 0
fi
case "$casefhir" in /*) ;; *) casefhir="$PWD/$casefhir" ;; esac
[ -x "$casefhir" ] || fail "no casefhir binary at $casefhir (make build)"

# --- 1. packages --------------------------------------------------------------------------------
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
missing=()
for cmd in slurmctld slurmd sbatch; do command -v "$cmd" >/dev/null 2>&1 || { missing+=(slurm-wlm); break; }; done
command -v munged >/dev/null 2>&1 || missing+=(munge)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt-get)"
  $sudo apt-get update -qq || fail "apt-get update"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    fail "apt-get install ${missing[*]}"
fi
# slurmd starts every job as its owner; as root it needs nothing more, so the test runs as root.
[ "$(id -u)" = 0 ] || fail "run as root: this single-node cluster runs slurmctld, slurmd and the jobs as root (e.g. sudo make test-slurm)"

# --- 2. the cluster -----------------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/casefhir-slurm.XXXXXX")"
conf="$tmp/slurm.conf"
export SLURM_CONF="$conf"
declare -A pids=()

# Stops what this script started, and only that: the jobs, the daemons by the pids they wrote when
# they started, any slurmstepd whose environment names this slurm.conf.
cleanup() {
  local rc=$? p i alive=()
  set +e
  trap - EXIT INT TERM
  [ -z "${bg_pid:-}" ] || kill "$bg_pid" 2>/dev/null
  if [ -n "${pids[ctld]:-}" ] && kill -0 "${pids[ctld]}" 2>/dev/null; then
    scancel --quiet --user="$(id -un)" 2>/dev/null
    for ((i = 0; i < 40; i++)); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.25; done
    scontrol shutdown >/dev/null 2>&1
  fi
  for p in $(pgrep -x slurmstepd 2>/dev/null); do
    if tr '\0' '\n' 2>/dev/null <"/proc/$p/environ" | grep -qxF "SLURM_CONF=$conf"; then pids[stepd$p]=$p; kill "$p" 2>/dev/null; fi
  done
  # A daemon that exited stays a zombie until init reaps it: that counts as stopped.
  running() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
  # stop PID...: waits up to 5 s, then SIGTERM, then after 10 s SIGKILL; leaves the survivors in alive.
  stop() {
    for ((i = 0; i < 60; i++)); do
      alive=()
      for p in "$@"; do running "$p" && alive+=("$p"); done
      [ ${#alive[@]} = 0 ] && return 0
      [ $i = 20 ] && kill "${alive[@]}" 2>/dev/null
      [ $i = 40 ] && kill -9 "${alive[@]}" 2>/dev/null
      sleep 0.25
    done
  }
  local slurm=()
  for i in "${!pids[@]}"; do [ "$i" = munged ] || slurm+=("${pids[$i]}"); done
  alive=()
  [ ${#slurm[@]} = 0 ] || stop "${slurm[@]}"
  local left=("${alive[@]}")
  if [ -n "${pids[munged]:-}" ]; then kill "${pids[munged]}" 2>/dev/null; stop "${pids[munged]}"; left+=("${alive[@]}"); fi
  alive=("${left[@]}")
  if [ ${#alive[@]} -gt 0 ]; then echo "test-slurm: still running after the teardown: ${alive[*]}" >&2; rc=1; fi
  if [ "${CASEFHIR_KEEP_TMP:-0}" = 1 ]; then echo "test-slurm: kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# in_background COMMAND...: runs it and waits for it. Bash runs a trap only once the foreground
# command ends, which for submit.sh --wait is when the jobs end; `wait` returns at once on a signal,
# and the teardown then stops the command too.
bg_pid=""
in_background() {
  local rc=0
  "$@" &
  bg_pid=$!
  wait "$bg_pid" || rc=$?
  bg_pid=""
  return $rc
}

# munged checks that everyone may traverse to its socket, and that its key is private.
chmod 711 "$tmp"
mkdir -p "$tmp/log" "$tmp/state" "$tmp/spool" "$tmp/corpus" "$tmp/out0/logs"
mkdir -m 755 "$tmp/munge"
mungekey --create --keyfile="$tmp/munge/munge.key" 2>/dev/null ||
  { dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none && chmod 600 "$tmp/munge/munge.key"; }
munged --socket="$tmp/munge/munge.socket" --key-file="$tmp/munge/munge.key" --log-file="$tmp/log/munged.log" \
  --pid-file="$tmp/munged.pid" --seed-file="$tmp/munge/munged.seed" || fail "munged did not start"
pids[munged]="$(cat "$tmp/munged.pid")"
munge -S "$tmp/munge/munge.socket" -n </dev/null | unmunge -S "$tmp/munge/munge.socket" >/dev/null ||
  fail "munge cannot encode and decode a credential"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 20000))
while ! port_free $port || ! port_free $((port + 1)); do port=$((port + 2)); done
host="$(hostname -s)"
# This machine as slurmd sees it (CPUs, sockets, cores, memory), under the name slurmctld expects.
node="$(slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* //p' | head -1)"
[ -n "$node" ] || node="CPUs=$(nproc)"
cat >"$conf" <<EOF
# single-node cluster of tests/slurm/test-slurm.sh
ClusterName=casefhir-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
# pid_of NAME: the pid the daemon wrote to $tmp/NAME.pid (it writes it just after forking).
pid_of() {
  local i
  for ((i = 0; i < 40; i++)); do [ -s "$tmp/$1.pid" ] && { cat "$tmp/$1.pid"; return 0; }; sleep 0.25; done
  return 1
}
slurmctld -f "$conf" || fail "slurmctld did not start"
pids[ctld]="$(pid_of slurmctld)" || fail "slurmctld wrote no pid file"
slurmd -f "$conf" || fail "slurmd did not start"
pids[slurmd]="$(pid_of slurmd)" || fail "slurmd wrote no pid file"
state=""
for ((i = 0; i < 120; i++)); do
  state="$(sinfo -h -N -o %t 2>/dev/null | head -1)"
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || fail "the node is '${state:-unknown}', not idle, after 60 s"
say "single-node Slurm up on $host (ports $port-$((port + 1)), $node) in $((SECONDS - start)) s"

# --- 3. the corpus ------------------------------------------------------------------------------
cp "$corpus"/*.txt "$corpus"/*.ann "$tmp/corpus/"
: >"$tmp/corpus/10000000-empty.txt"
printf 'A 45-year-old man with fi\xe8vre.\n' >"$tmp/corpus/25000000-not-utf8.txt"
printf 'PK\003\004\000\001\002binary' >"$tmp/corpus/99999999-binary.txt"
inputs=$(find "$tmp/corpus" -name '*.txt' | wc -l)
find "$tmp/corpus" -name '*.txt' | LC_ALL=C sort >"$tmp/list.txt"

# batch_once OUT ARGS...: one `casefhir batch` over the whole corpus; it must exit 0 or 3.
batch_once() {
  local out="$1" rc=0
  shift
  "$casefhir" batch "$@" --jobs 2 -o "$out" || rc=$?
  [ $rc = 0 ] || [ $rc = 3 ] || fail "casefhir batch $* exited $rc"
  [ -e "$out.errors.ndjson" ] || : >"$out.errors.ndjson"   # no failed input may mean no errors file
}
# same MERGED ONE WHAT: the merged shards equal one run, Bundles and error records.
same() {
  cmp "$1" "$2" || fail "$3: the merged Bundles differ from one casefhir batch run"
  cmp "$1.errors.ndjson" "$2.errors.ndjson" || fail "$3: the merged error records differ from one casefhir batch run"
  local lines errors
  lines=$(wc -l <"$1") errors=$(wc -l <"$1.errors.ndjson")
  [ "$errors" = 3 ] || fail "$3: $errors error records, expected 3 (empty, not UTF-8, binary)"
  [ "$lines" = $((inputs - 3)) ] || fail "$3: $lines Bundle lines, expected $((inputs - 3))"
  say "$3: $lines Bundles and $errors error records, byte for byte those of one casefhir batch run"
}

# --- 4. submit.sh: array 1-4 and the dependent merge job -----------------------------------------
t=$SECONDS
export CASEFHIR_SLURM_POLL=0.5   # submit.sh --wait: check every half second, not every 5
in_background timeout 600 "$deploy/submit.sh" -n 4 -o "$tmp/out" --wait --casefhir "$casefhir" "$tmp/corpus" -- --include '*.txt' ||
  fail "submit.sh -n 4 --wait exited $?"
say "array job of 4 shards + merge job: $((SECONDS - t)) s"
for k in 1 2 3 4; do [ -s "$tmp/out/shard-$k.done" ] || fail "no shard-$k.done"; done
batch_once "$tmp/one.ndjson" "$tmp/corpus" --include '*.txt'
same "$tmp/out/casefhir.ndjson" "$tmp/one.ndjson" "shards 1-4 (submit.sh)"

# --- 5. the sbatch script alone: ids 0-3, a list of paths, merge.sh by hand ----------------------
t=$SECONDS
job=$(sbatch --parsable --array=0-3 --output="$tmp/out0/logs/casefhir-batch-%A_%a.out" \
  "$deploy/casefhir-batch.sbatch" -o "$tmp/out0" --casefhir "$casefhir" --list "$tmp/list.txt") ||
  fail "sbatch --array=0-3 casefhir-batch.sbatch exited $?"
# Not sbatch --wait: it checks back less and less often (up to a minute late here).
for ((i = 0; i < 1200; i++)); do [ -z "$(squeue -h -j "$job" -o %i 2>/dev/null)" ] && break; sleep 0.5; done
states="$(scontrol show job -o "$job" | sed -n 's/.* JobState=\([A-Z_]*\).*/\1/p' | sort | uniq -c | xargs)"
[ "$states" = "4 COMPLETED" ] || fail "array job $job (ids 0-3): task states '$states', expected 4 COMPLETED"
"$deploy/merge.sh" "$tmp/out0" -o "$tmp/out0/merged.ndjson" || fail "merge.sh exited $?"
say "array job of ids 0-3 + merge.sh: $((SECONDS - t)) s"
batch_once "$tmp/one-list.ndjson" - <"$tmp/list.txt"
same "$tmp/out0/merged.ndjson" "$tmp/one-list.ndjson" "shards 0-3 (--list)"

# --- 6. failures are reported, not merged ------------------------------------------------------
t=$SECONDS
rc=0
in_background timeout 300 "$deploy/submit.sh" -n 2 -o "$tmp/out-fail" --wait --casefhir /bin/false "$tmp/corpus" >"$tmp/fail.log" 2>&1 || rc=$?
[ $rc != 0 ] && [ $rc != 124 ] || { cat "$tmp/fail.log" >&2; fail "submit.sh with a failing casefhir exited $rc, not a failure"; }
[ ! -e "$tmp/out-fail/casefhir.ndjson" ] || fail "a merged file despite failed shards"
ls "$tmp/out-fail"/shard-* >/dev/null 2>&1 && fail "failed tasks left shard files: $(ls "$tmp/out-fail")"
say "failing tasks: submit.sh --wait exited $rc, merge job cancelled, no shard files ($((SECONDS - t)) s)"

# expect_refusal WHAT PATTERN: merge.sh on $tmp/bad must exit 1 and say PATTERN.
expect_refusal() {
  local rc=0 msg
  msg="$("$deploy/merge.sh" "$tmp/bad" -o "$tmp/bad.ndjson" 2>&1)" || rc=$?
  [ $rc = 1 ] || fail "merge.sh with $1 exited $rc, expected 1: $msg"
  grep -q -- "$2" <<<"$msg" || fail "merge.sh with $1 did not say '$2': $msg"
  [ ! -e "$tmp/bad.ndjson" ] || fail "merge.sh with $1 wrote $tmp/bad.ndjson"
}
rm -rf "$tmp/bad" && cp -r "$tmp/out0" "$tmp/bad" && rm "$tmp/bad/shard-3.done"
expect_refusal "shard 3 unfinished" "shards not finished: 3 (of 4)"
rm -rf "$tmp/bad" && cp -r "$tmp/out0" "$tmp/bad" && touch "$tmp/bad/shard-2.ndjson.part"
expect_refusal "a .part file" "shard-2.ndjson.part: a task is still running or died"
rm -rf "$tmp/bad" && cp -r "$tmp/out0" "$tmp/bad" && printf 'shard 5/5\n' >"$tmp/bad/shard-5.done"
expect_refusal "a shard of another run" "different shard counts"
rm -rf "$tmp/bad" && cp -r "$tmp/out0" "$tmp/bad" && cp "$tmp/bad/shard-1.done" "$tmp/bad/shard-5.done"
expect_refusal "a stale shard above N" "shard-5.done is above shard 4"
rm -rf "$tmp/bad" && cp -r "$tmp/out0" "$tmp/bad" && head -n 2 "$tmp/out0/shard-2.ndjson" >"$tmp/bad/shard-2.ndjson"
expect_refusal "a short shard" "shard-2.ndjson has 2 lines"
say "merge.sh refuses unfinished, partial, foreign, stale and short shards"

say "passed in $((SECONDS - start)) s"
