#!/usr/bin/env bash
# Submits a corpus conversion as a Slurm array of N shards plus a merge job that runs once every
# shard succeeded (--dependency=afterok): what deploy/slurm/README.md describes, in one command.
#
#   deploy/slurm/submit.sh -n N -o OUTDIR [--cpus J] [--wait] [--casefhir PATH] \
#       (INPUT... | --list FILE) [-- BATCH-OPTIONS...]
#
# Writes OUTDIR/shard-K.* (the tasks), OUTDIR/casefhir.ndjson and OUTDIR/casefhir.ndjson.errors.ndjson
# (the merge), and the jobs' logs in OUTDIR/logs/. Prints the two job ids. With --wait it returns
# when the merge job ends: 0 merged, 1 a shard or the merge failed (the merge job is then
# cancelled, never left pending: --kill-on-invalid-dep). Partition, account, time limit and the like come from
# sbatch's own environment variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
usage() {
  echo "usage: submit.sh -n N -o OUTDIR [--cpus J] [--wait] [--casefhir PATH] (INPUT... | --list FILE) [-- BATCH-OPTIONS...]" >&2
  exit 2
}
n="" out="" cpus=1 wait=0 pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) [ $# -ge 2 ] || usage; n="$2"; shift 2 ;;
    -o|--out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    --cpus) [ $# -ge 2 ] || usage; cpus="$2"; shift 2 ;;
    --wait) wait=1; shift ;;
    --casefhir|--list) [ $# -ge 2 ] || usage; pass+=("$1" "$2"); shift 2 ;;
    --) pass+=("$@"); break ;;
    -h|--help) usage ;;
    -*) echo "submit.sh: unknown option $1" >&2; usage ;;
    *) pass+=("$1"); shift ;;
  esac
done
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: -n N (the number of shards) is required" >&2; usage; }
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: --cpus must be a positive number" >&2; usage; }
[ -n "$out" ] || { echo "submit.sh: -o OUTDIR is required" >&2; usage; }
command -v sbatch >/dev/null || { echo "submit.sh: no sbatch on PATH: run this on a Slurm login node" >&2; exit 1; }

# Slurm does not create the folders of --output; an earlier run's merged files would be mistaken
# for this one's until the merge replaces them, so they go.
mkdir -p "$out/logs"
rm -f "$out/casefhir.ndjson" "$out/casefhir.ndjson.errors.ndjson"

array_job=$(sbatch --parsable --array=1-"$n" --cpus-per-task="$cpus" \
  --output="$out/logs/casefhir-batch-%A_%a.out" \
  "$here/casefhir-batch.sbatch" -o "$out" "${pass[@]}")
array_job="${array_job%%;*}"   # --parsable prints "jobid[;cluster]"
echo "submit.sh: array job $array_job: $n shards into $out"

merge_job=$(sbatch --parsable --job-name=casefhir-merge --dependency=afterok:"$array_job" \
  --kill-on-invalid-dep=yes --output="$out/logs/casefhir-merge-%j.out" \
  "$here/merge.sh" "$out" -n "$n")
merge_job="${merge_job%%;*}"
echo "submit.sh: merge job $merge_job (after job $array_job succeeds): $out/casefhir.ndjson"
[ $wait = 1 ] || exit 0

# --wait: not `sbatch --wait`, which checks back less and less often (a minute late on a job of
# seconds) and exits 0 for a job cancelled because its dependency failed. Polls `scontrol show
# job` every CASEFHIR_SLURM_POLL seconds (default 5) until the merge job ends; Slurm keeps an ended
# job there for MinJobAge (300 s by default), which is what gives its state and exit code.
poll="${CASEFHIR_SLURM_POLL:-5}"
while :; do
  info="$(scontrol show job -o "$merge_job" 2>/dev/null)" || {
    echo "submit.sh: Slurm no longer knows job $merge_job: see $out/logs/" >&2
    exit 1
  }
  state="$(sed -n 's/.* JobState=\([A-Z_]*\).*/\1/p' <<<"$info")"
  case "$state" in
    PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|REQUEUE_HOLD|REQUEUE_FED|RESIZING|SIGNALING|STAGE_OUT) sleep "$poll" ;;
    *) break ;;
  esac
done
reason="$(sed -n 's/.* Reason=\([^ ]*\).*/\1/p' <<<"$info")"
exit_code="$(sed -n 's/.* ExitCode=\([0-9]*\):.*/\1/p' <<<"$info")"
if [ "$state" = COMPLETED ] && [ "${exit_code:-1}" = 0 ]; then
  echo "submit.sh: merged: $out/casefhir.ndjson"
  exit 0
fi
if [ "$reason" = DependencyNeverSatisfied ]; then
  echo "submit.sh: shards of job $array_job failed, so the merge job $merge_job was cancelled: see $out/logs/casefhir-batch-${array_job}_*.out" >&2
else
  echo "submit.sh: the merge job $merge_job ended $state (exit ${exit_code:-?}, reason ${reason:-none}): see $out/logs/casefhir-merge-$merge_job.out" >&2
fi
exit 1
