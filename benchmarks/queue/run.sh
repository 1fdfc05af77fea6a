#!/usr/bin/env bash
# Queue benchmark (SPEC 10): runs `mediaworker bench` and records its output in RESULTS.md.
#   benchmarks/queue/run.sh [extra bench flags]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./start_worker.sh --build-only >/dev/null
out="$(./publish/mediaworker bench "$@")"
echo "$out"
{
  echo "## Queue (mediaworker bench)"
  echo
  echo "Command: \`./publish/mediaworker bench $*\` (via \`benchmarks/queue/run.sh\`), $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo '```'
  echo "$out"
  echo '```'
} >benchmarks/queue/RESULTS.md
echo "wrote benchmarks/queue/RESULTS.md; copy the figures you keep into BENCHMARKS.md with this command" >&2
