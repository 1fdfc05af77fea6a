#!/usr/bin/env bash
# Pipeline overhead (issue 17), all in one worker process and one run, submitted over the HTTP API
# (no CLI start in any figure):
#   plain    10 noop jobs submitted together (queued while noop is paused, then resumed at once);
#   chain    10 bench_chain jobs, each enqueued as a follow-up by the one before (benchmarks/pipelines/ChainPlugin);
#   pipeline a 10-step linear pipeline of noop steps.
# Each figure is the worker's own: first job's start to last job's completion (jobs.started_at /
# completed_at), and for chain and pipeline the hand-over from one job's completion to the next one's start.
# Usage: benchmarks/pipelines/run.sh [rounds]   (needs ./publish: ./start_worker.sh --build-only)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-20}"
bin="$PWD/publish/mediaworker"
work="$(mktemp -d)"
worker=""
trap '[ -n "$worker" ] && kill "$worker" 2>/dev/null; rm -rf "$work"' EXIT
dotnet build benchmarks/pipelines/ChainPlugin -c Release -o "$work/plugins/Chain" --nologo -v q -clp:ErrorsOnly >&2
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export BROADCAST_TYPE=noop LOG_LEVEL=warning WORKER_ENV_FILE=/dev/null CL_SERVER_DIR="$work" DATABASE_URL="sqlite:///${work#/}/bench.db" \
  PLUGIN_DIR="$work/plugins" HTTP_LISTEN="127.0.0.1:$port" WORKER_CONCURRENCY=10
api="http://127.0.0.1:$port"
post() { curl -sf -X POST -H 'Content-Type: application/json' "$api$1" --data "${2:-}" >/dev/null; }
"$bin" run --worker-id bench >"$work/worker.log" 2>&1 & worker=$!
for _ in $(seq 300); do curl -sf "$api/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
steps="$(python3 -c 'import json; print(json.dumps({"name": "linear10", "steps": [{"name": f"s{i}", "task": "noop"} | ({"needs": f"s{i-1}"} if i else {}) for i in range(10)]}))')"
post /api/pipelines "$steps"
count() { python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$work/bench.db" "$1"; }
until_count() { for _ in $(seq 600); do [ "$(count "$1")" -ge "$2" ] && return 0; sleep 0.05; done; echo "timed out waiting for: $1" >&2; cat "$work/worker.log" >&2; exit 1; }
for round in $(seq "$rounds"); do
  post /api/queues/noop/pause
  for _ in $(seq 10); do post /api/jobs '{"task_type": "noop", "params": {}}'; done
  post /api/queues/noop/resume
  until_count "SELECT COUNT(*) FROM jobs WHERE task_type = 'noop' AND created_by NOT LIKE 'pipeline:%' AND status = 'completed'" $((round * 10))
  post /api/jobs '{"task_type": "bench_chain", "params": {"remaining": 9}}'
  until_count "SELECT COUNT(*) FROM jobs WHERE task_type = 'bench_chain' AND status = 'completed'" $((round * 10))
  post /api/pipelines/linear10/runs '{"input": {}}'
  until_count "SELECT COUNT(*) FROM pipeline_runs WHERE status = 'completed'" "$round"
done
python3 - "$work/bench.db" "$rounds" <<'PY'
import sqlite3, sys, statistics
db = sqlite3.connect(sys.argv[1])
rounds = int(sys.argv[2])
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]
def runs_of(rows):
    # rows: (started_at, completed_at) in start order, 10 per round
    return [rows[i:i + 10] for i in range(0, len(rows), 10)]
plain = runs_of(db.execute("SELECT started_at, completed_at FROM jobs WHERE task_type = 'noop' AND created_by NOT LIKE 'pipeline:%' ORDER BY created_at, started_at").fetchall())
chain = runs_of(db.execute("SELECT started_at, completed_at FROM jobs WHERE task_type = 'bench_chain' ORDER BY created_at, started_at").fetchall())
pipeline = []
for (run,) in db.execute("SELECT run_id FROM pipeline_runs ORDER BY created_at"):
    pipeline.append(db.execute("""SELECT j.started_at, j.completed_at FROM pipeline_step_jobs s JOIN jobs j ON j.job_id = s.job_id
                                  WHERE s.run_id = ? ORDER BY CAST(substr(s.step, 2) AS INTEGER)""", (run,)).fetchall())
span = lambda group: max(c for _, c in group) - min(s for s, _ in group)
gaps = lambda groups: [g[i][0] - g[i - 1][1] for g in groups for i in range(1, len(g))]
spans = {name: [span(g) for g in groups] for name, groups in (("plain", plain), ("chain", chain), ("pipeline", pipeline))}
for name, values in spans.items():
    print(f"{name:9s} 10 jobs, first start to last completion over {len(values)} rounds: median {statistics.median(values):.0f} ms, p90 {pct(values, 0.9)} ms")
ratio_plain = statistics.median(p / max(q, 1) for p, q in zip(spans["pipeline"], spans["plain"]))
ratio_chain = statistics.median(p / max(q, 1) for p, q in zip(spans["pipeline"], spans["chain"]))
print(f"pipeline / plain (median of per-round ratios): {ratio_plain:.1f}x; pipeline / chain: {ratio_chain:.2f}x")
for name, groups in (("pipeline", pipeline), ("chain", chain)):
    g = gaps(groups)
    print(f"{name:9s} completion -> next start over {len(g)} hand-overs: p50 {pct(g, 0.5)} ms, p90 {pct(g, 0.9)} ms, max {max(g)} ms")
PY
