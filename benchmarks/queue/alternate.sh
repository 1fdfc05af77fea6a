#!/usr/bin/env bash
# Old and new build's no-op throughput in alternating short rounds (old, new, old, new, …), so the
# shared machine's load drifts over both alike; prints every round, then per figure the min and
# median of each build and the new/old ratio of each pair (the figure to quote on a noisy box).
#   benchmarks/queue/alternate.sh OLD_PUBLISH_DIR [ROUNDS] [JOBS] [BATCH]
# ROUNDS (default 4) pairs; JOBS (default 20000) per run; BATCH (default 256) the claim batch (the
# old build's --concurrency). At batch 1 both builds run a tenth of JOBS, as the new build's bench does.
# Both builds' bench measure the same thing: fresh SQLite files in the temporary folder, 1 and 4
# worker processes started and ready before the clock starts, then the producer inserts JOBS jobs
# in transactions of 1,000 while the workers run, and the clock stops when all are completed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
old="${1:?usage: $0 OLD_PUBLISH_DIR [ROUNDS] [JOBS] [BATCH]}"
rounds="${2:-4}"
jobs="${3:-20000}"
batch="${4:-256}"
new="${NEW_PUBLISH_DIR:-$root/publish}"
old_jobs="$jobs"
if [ "$batch" = 1 ]; then old_jobs=$((jobs / 10)); fi
quick=(--latency-samples 10 --idle-seconds 1)
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "old: $old/mediaworker bench --jobs $old_jobs --concurrency $batch ${quick[*]}"
echo "new: $new/mediaworker bench --jobs $jobs --claim-batch $batch ${quick[*]}"
for round in $(seq 1 "$rounds"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  o="$("$old/mediaworker" bench --jobs "$old_jobs" --concurrency "$batch" "${quick[@]}" | grep '^bench:')"
  o1="$(field "$o" jobs_per_s_1p)"; o4="$(field "$o" jobs_per_s_4p)"
  n="$("$new/mediaworker" bench --jobs "$jobs" --claim-batch "$batch" "${quick[@]}" | grep '^bench:')"
  n1="$(field "$n" "jobs_per_s_1p_b$batch")"; n4="$(field "$n" "jobs_per_s_4p_b$batch")"
  bare="$(field "$n" bare_sqlite_jobs_per_s)"; bytes="$(field "$n" "bytes_per_job_1p_b$batch")"
  load_after="$(cut -d' ' -f1 /proc/loadavg)"
  echo "round $round (load $load -> $load_after): old 1p $o1, 4p $o4 | new 1p $n1, 4p $n4, bare SQLite $bare, $bytes bytes/job"
  echo "$o1 $o4 $n1 $n4 $bare $load" >>"$results"
done

awk -v b="$batch" '
  { o1[NR] = $1; o4[NR] = $2; n1[NR] = $3; n4[NR] = $4; bare[NR] = $5; r1[NR] = $3 / $1; r4[NR] = $4 / $2; load[NR] = $6 }
  function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }
  function med(a, n) { sort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function mn(a, n) { sort(a, n); return a[1] }
  function mx(a, n) { sort(a, n); return a[n] }
  END {
    n = NR
    printf "batch %s, %d rounds, load %s-%s\n", b, n, mn(load, n), mx(load, n)
    printf "1 process:   old min %.0f median %.0f | new min %.0f median %.0f | new/old per pair min %.2f median %.2f max %.2f\n", mn(o1, n), med(o1, n), mn(n1, n), med(n1, n), mn(r1, n), med(r1, n), mx(r1, n)
    printf "4 processes: old min %.0f median %.0f | new min %.0f median %.0f | new/old per pair min %.2f median %.2f max %.2f\n", mn(o4, n), med(o4, n), mn(n4, n), med(n4, n), mn(r4, n), med(r4, n), mx(r4, n)
    printf "bare SQLite (new build): min %.0f median %.0f\n", mn(bare, n), med(bare, n)
  }' "$results"
