#!/usr/bin/env bash
# Pipeline overhead (issue 17): a 10-step linear pipeline of noop steps against 10 noop jobs each
# submitted when the previous one completed (`submit --wait` in a loop), on one worker, side by
# side; and the time from one step's completion to the next step's start (jobs.started_at minus
# the previous step's completed_at). Usage: benchmarks/pipelines/run.sh [rounds]  (needs ./publish)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
bin="$PWD/publish/mediaworker"
work="$(mktemp -d)"
trap 'kill "$worker" 2>/dev/null || true; rm -rf "$work"' EXIT
export BROADCAST_TYPE=noop LOG_LEVEL=warning WORKER_ENV_FILE=/dev/null CL_SERVER_DIR="$work" DATABASE_URL="sqlite:///${work#/}/bench.db"
python3 - "$work/linear.json" <<'PY'
import json, sys
steps = [{"name": f"s{i}", "task": "noop"} | ({"needs": f"s{i-1}"} if i else {}) for i in range(10)]
json.dump({"name": "linear10", "steps": steps}, open(sys.argv[1], "w"))
PY
"$bin" run --worker-id bench >"$work/worker.log" 2>&1 & worker=$!
sleep 2
ms() { date +%s%3N; }
for round in $(seq "$rounds"); do
  start=$(ms); for _ in $(seq 10); do "$bin" submit noop --wait >/dev/null; done; plain=$(( $(ms) - start ))
  start=$(ms); "$bin" pipeline run "$work/linear.json" --wait >/dev/null 2>&1; pipeline=$(( $(ms) - start ))
  echo "round $round: 10 chained plain jobs ${plain} ms, 10-step pipeline ${pipeline} ms"
done
python3 - "$work/bench.db" <<'PY'
import sqlite3, sys, statistics
db = sqlite3.connect(sys.argv[1])
gaps = []
for (run,) in db.execute("SELECT run_id FROM pipeline_runs"):
    rows = db.execute("""SELECT j.started_at, j.completed_at FROM pipeline_step_jobs s JOIN jobs j ON j.job_id = s.job_id
                         WHERE s.run_id = ? ORDER BY CAST(substr(s.step, 2) AS INTEGER)""", (run,)).fetchall()
    gaps += [rows[i][0] - rows[i - 1][1] for i in range(1, len(rows))]
gaps.sort()
print(f"step completion -> next step start over {len(gaps)} steps: median {statistics.median(gaps)} ms, p90 {gaps[int(len(gaps) * 0.9)]} ms, max {gaps[-1]} ms")
PY
