#!/usr/bin/env bash
# Operations surface figures (issue 15): API submit/get requests per second (ApacheBench, keep-alive,
# 8 connections), and idle CPU and RSS of `serve`, of `run` and of `run` with HTTP_LISTEN, side by side.
# Usage: benchmarks/http/run.sh [requests] [idle seconds]   (needs ./publish: ./start_worker.sh --build-only)
set -euo pipefail
cd "$(dirname "$0")/../.."
requests="${1:-5000}"
idle="${2:-20}"
bin="$PWD/publish/mediaworker"
command -v ab >/dev/null || { echo "ab (apache2-utils) is needed" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
export BROADCAST_TYPE=noop LOG_LEVEL=warning WORKER_ENV_FILE=/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_ready() { for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0; sleep 0.1; done; return 1; }

# idle <label> <pid>: CPU % of one core and RSS after $idle quiet seconds
idle_figures() {
  local before after hz
  hz=$(getconf CLK_TCK)
  sleep 3
  before=$(ticks "$2"); sleep "$idle"; after=$(ticks "$2")
  printf '| %s | %.2f %% | %d MiB |\n' "$1" "$(echo "($after - $before) * 100 / $hz / $idle" | bc -l)" $(( $(rss_kb "$2") / 1024 ))
}

echo "## Idle, ${idle} s after start (one core = 100 %)"
echo
echo "| process | CPU | RSS |"
echo "|---|---|---|"
CL_SERVER_DIR="$work/run" "$bin" run --worker-id bench-run >/dev/null 2>&1 & pids+=($!); run_pid=$!
port=$(free_port)
CL_SERVER_DIR="$work/runhttp" HTTP_LISTEN="127.0.0.1:$port" "$bin" run --worker-id bench-http >/dev/null 2>&1 & pids+=($!); runhttp_pid=$!
wait_ready "$port"
serve_port=$(free_port)
CL_SERVER_DIR="$work/serve" HTTP_LISTEN="127.0.0.1:$serve_port" "$bin" serve >/dev/null 2>&1 & pids+=($!); serve_pid=$!
wait_ready "$serve_port"
idle_figures "run" "$run_pid"
idle_figures "run with HTTP_LISTEN" "$runhttp_pid"
idle_figures "serve" "$serve_pid"
kill "$run_pid" "$runhttp_pid"

echo
echo "## API throughput against \`serve\` ($requests requests, 8 connections, keep-alive)"
echo
echo '{"task_type": "noop", "params": {"n": 1}}' >"$work/body.json"
ab -q -k -n 200 -c 8 -p "$work/body.json" -T application/json "http://127.0.0.1:$serve_port/api/jobs" >/dev/null # warm-up
submit=$(ab -q -k -n "$requests" -c 8 -p "$work/body.json" -T application/json "http://127.0.0.1:$serve_port/api/jobs" | awk '/Requests per second/ {print $4}')
id=$(curl -s "http://127.0.0.1:$serve_port/api/jobs?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["job_id"])')
get=$(ab -q -k -n "$requests" -c 8 "http://127.0.0.1:$serve_port/api/jobs/$id" | awk '/Requests per second/ {print $4}')
list=$(ab -q -k -n "$requests" -c 8 "http://127.0.0.1:$serve_port/api/jobs?limit=50" | awk '/Requests per second/ {print $4}')
echo "| request | requests/s |"
echo "|---|---|"
echo "| POST /api/jobs (submit, one IMMEDIATE transaction each) | $submit |"
echo "| GET /api/jobs/{id} | $get |"
echo "| GET /api/jobs?limit=50 | $list |"
echo
echo "RSS of serve after the load: $(( $(rss_kb "$serve_pid") / 1024 )) MiB"
