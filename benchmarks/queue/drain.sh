#!/usr/bin/env bash
# One harness for any build: WORKERS worker processes (`mediaworker run --tasks noop`) drain N
# no-op jobs that were inserted before they started, so every build is measured by the same code
# (each build's own `bench` differs). Prints the wall time from the workers' start to the last
# completion and the workers' CPU time (user + system from /usr/bin/time, start-up included) per
# job: on a shared, loaded box the CPU figure moves far less than the wall time.
#   benchmarks/queue/drain.sh PUBLISH_DIR [BATCH] [N] [WORKERS]
# BATCH (default 256) is --concurrency, the claim batch; N (default 50000); WORKERS (default 1).
set -euo pipefail
mw="${1:?usage: $0 PUBLISH_DIR [BATCH] [N] [WORKERS]}/mediaworker"
batch="${2:-256}"
n="${3:-50000}"
workers="${4:-1}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
unset WORKER_ENV_FILE
export CL_SERVER_DIR="$dir" DATABASE_URL="$dir/media_store.db" BROADCAST_TYPE=noop PLUGIN_DIR="$dir/no-plugins" LOG_LEVEL=information
"$mw" submit noop >/dev/null # creates and migrates the database with the build's own schema
python3 - "$dir/media_store.db" "$n" <<'EOF'
import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
db.executemany(
    "INSERT INTO jobs (job_id, task_type, params, status, priority, progress, created_at, updated_at, retry_count, max_retries, created_by, attempts, run_after)"
    " VALUES (?, 'noop', '{}', 'queued', 5, 0, ?, ?, 0, 3, 'drain', 0, 0)",
    ((uuid.uuid4().hex, 1000 + i, 1000 + i) for i in range(int(sys.argv[2]))))
db.commit()
EOF
total=$((n + 1))
completed() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM jobs WHERE status = 'completed'\").fetchone()[0])" "$dir/media_store.db"; }
load="$(cut -d' ' -f1 /proc/loadavg)"
pids=()
start="$(date +%s.%N)"
for w in $(seq 1 "$workers"); do
  /usr/bin/time -f "%U %S" -o "$dir/time.$w" "$mw" run --worker-id "drain-$w" --tasks noop --concurrency "$batch" >"$dir/log.$w" 2>&1 &
  pids+=($!)
done
while [ "$(completed)" != "$total" ]; do sleep 0.1; done
end="$(date +%s.%N)"
for p in "${pids[@]}"; do
  # /usr/bin/time's child is the worker: stop it the way a user would.
  kill -TERM "$(cat /proc/"$p"/task/*/children | head -1)"
done
wait
cpu="$(cat "$dir"/time.* | awk '{ s += $1 + $2 } END { print s }')"
lost="$(cat "$dir"/log.* | grep -c 'Lost the lease' || true)"
awk -v b="$1" -v batch="$batch" -v w="$workers" -v n="$total" -v s="$start" -v e="$end" -v cpu="$cpu" -v lost="$lost" -v load="$load" 'BEGIN {
  printf "drain: build=%s batch=%s workers=%s jobs=%d wall_s=%.2f jobs_per_s=%.0f cpu_s=%.2f cpu_us_per_job=%.0f lost_lease_warnings=%d load=%s\n",
    b, batch, w, n, e - s, n / (e - s), cpu, cpu * 1e6 / n, lost, load }'
