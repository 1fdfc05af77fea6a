#!/usr/bin/env bash
# Queue benchmark of issue 10, side by side in one run: this checkout's `mediaworker bench`, an
# older build's (before the store migration), and the Hangfire peer (benchmarks/peers/hangfire),
# one after the other on the same machine, then the ratios of the shared figures.
#   benchmarks/queue/compare.sh OLD_PUBLISH_DIR [JOBS] [HANGFIRE_JOBS]
# JOBS (default 20000) no-op jobs per batch-256 run (the new build runs a tenth at batch 1);
# HANGFIRE_JOBS (default 300) for the peer, which is three orders of magnitude slower.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
old="${1:?usage: $0 OLD_PUBLISH_DIR [JOBS] [HANGFIRE_JOBS]}"
jobs="${2:-20000}"
hangfire_jobs="${3:-300}"
cd "$root"
./start_worker.sh --build-only >/dev/null
args=(bench --jobs "$jobs" --latency-samples 100 --idle-seconds 5)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== old: $old/mediaworker ${args[*]}"
old_out="$("$old/mediaworker" "${args[@]}")"
echo "$old_out"
echo "== new: ./publish/mediaworker ${args[*]}"
new_out="$(./publish/mediaworker "${args[@]}")"
echo "$new_out"
echo "== peer: benchmarks/peers/hangfire/run.sh $hangfire_jobs 20"
peer_out="$(benchmarks/peers/hangfire/run.sh "$hangfire_jobs" 20)"
echo "$peer_out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

field() { grep '^bench:' <<<"$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
peer_rate="$(sed -E 's/.*: ([0-9]+) jobs\/s$/\1/' <<<"$peer_out")"
echo "== ratios (new / old; above 1 the new build is faster)"
echo "1 process, batch 256: x$(ratio "$(field "$new_out" jobs_per_s_1p_b256)" "$(field "$old_out" jobs_per_s_1p)")"
echo "4 processes, batch 256: x$(ratio "$(field "$new_out" jobs_per_s_4p_b256)" "$(field "$old_out" jobs_per_s_4p)")"
echo "idle CPU: x$(ratio "$(field "$new_out" idle_cpu_percent)" "$(grep -oE 'idle worker over [0-9]+ s: [0-9.]+%' <<<"$old_out" | grep -oE '[0-9.]+%' | tr -d %)") (below 1 the new build idles cheaper)"
echo "new build vs Hangfire peer, 1 process: x$(ratio "$(field "$new_out" jobs_per_s_1p_b256)" "$peer_rate") (batch 256), x$(ratio "$(field "$new_out" jobs_per_s_1p_b1)" "$peer_rate") (batch 1)"
