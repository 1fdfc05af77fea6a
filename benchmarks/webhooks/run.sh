#!/usr/bin/env bash
# Webhook figures (issue 16): deliveries per second from one worker to a local receiver, and the extra
# latency from a job's completion (its completed_at) to its webhook's arrival, p50/p99.
# Usage: benchmarks/webhooks/run.sh [burst jobs] [paced jobs]   (needs ./publish: ./start_worker.sh --build-only)
set -euo pipefail
cd "$(dirname "$0")/../.."
burst="${1:-2000}"
paced="${2:-300}"
exec python3 benchmarks/webhooks/bench.py "$PWD/publish/mediaworker" "$burst" "$paced"
