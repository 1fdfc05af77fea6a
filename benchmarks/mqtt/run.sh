#!/usr/bin/env bash
# MQTT benchmark (docs/mqtt.md): a burst of job events through a real mosquitto, and the daemon's
# idle CPU and RSS with MQTT on. Records its output in benchmarks/mqtt/RESULTS.md.
#   benchmarks/mqtt/run.sh                         this checkout's ./publish (built first)
#   benchmarks/mqtt/run.sh OTHER_PUBLISH_DIR ...   also other builds, side by side in the same run
# Builds are measured in turn, ROUNDS times (MQTT_BENCH_ROUNDS, default 3), and the medians compared,
# so a noisy machine affects them alike. MQTT_BENCH_JOBS no-op jobs (default 5000) send two events each
# (processing, completed); MQTT_BENCH_IDLE_SECONDS (default 20) is the idle window. Every build
# runs with this checkout's plugins (PLUGIN_DIR), which take most of the RSS.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
jobs=${MQTT_BENCH_JOBS:-5000}
events=$((2 * jobs))
idle=${MQTT_BENCH_IDLE_SECONDS:-20}
rounds=${MQTT_BENCH_ROUNDS:-3}
./start_worker.sh --build-only >/dev/null
builds=("$root/publish" "$@")
work="$(mktemp -d)"
broker_pid="" worker_pid=""
cleanup() {
  [ -n "$worker_pid" ] && kill -KILL "$worker_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill -TERM "$broker_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port
  while true; do
    port=$(shuf -i 20000-60000 -n 1)
    listening "$port" || { echo "$port"; return; }
  done
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure PUBLISH_DIR: prints "seconds events_per_s span_s idle_cpu_pct rss_mib"
measure() {
  local publish="$1" dir port started cpu0 cpu1 rss first last t0 t1 sub_pid
  dir="$(mktemp -d "$work/run.XXXX")"
  port="$(free_port)"
  cat >"$dir/mosquitto.conf" <<EOF
listener $port 127.0.0.1
allow_anonymous true
persistence false
# The subscriber must not lose events when it falls behind a burst (the default queue is 1,000).
max_queued_messages 0
pid_file $dir/mosquitto.pid
log_dest file $dir/mosquitto.log
user $(id -un)
EOF
  mosquitto -c "$dir/mosquitto.conf" -d </dev/null >>"$dir/mosquitto.log" 2>&1
  for _ in $(seq 1 50); do listening "$port" && break; sleep 0.1; done
  broker_pid="$(cat "$dir/mosquitto.pid")"

  # Every build loads this checkout's plugins, so they differ in the daemon alone.
  PLUGIN_DIR="$root/publish/plugins" CL_SERVER_DIR="$dir/server" BROADCAST_TYPE=mqtt MQTT_URL="mqtt://127.0.0.1:$port" LOG_LEVEL=warning WORKER_ID=bench-mqtt \
    "$publish/mediaworker" run --tasks noop --concurrency 64 >"$dir/worker.log" 2>&1 &
  worker_pid=$!
  mosquitto_sub -h 127.0.0.1 -p "$port" -t inference/workers/bench-mqtt -C 1 -W 60 >/dev/null
  sleep 3 # start-up work (JIT, first heartbeat) is over

  cpu0=$(cpu_ticks "$worker_pid")
  sleep "$idle"
  cpu1=$(cpu_ticks "$worker_pid")
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$worker_pid/status")

  stdbuf -oL mosquitto_sub -h 127.0.0.1 -p "$port" -t inference/events -q 1 -F '%U' -C "$events" -W 300 >"$dir/events.txt" &
  sub_pid=$!
  sleep 1 # subscribed
  t0=$(date +%s.%N)
  sqlite3 "$dir/server/media_store.db" >/dev/null <<EOF
PRAGMA busy_timeout = 10000;
BEGIN IMMEDIATE;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $jobs)
INSERT INTO jobs (job_id, task_type, params, status, priority, progress, created_at, updated_at, retry_count, max_retries, attempts, run_after)
SELECT 'bench-' || i, 'noop', '{}', 'queued', 5, 0, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 0, 0, 0, 0 FROM n;
COMMIT;
EOF
  wait "$sub_pid"
  t1=$(date +%s.%N)
  first=$(head -n 1 "$dir/events.txt")
  last=$(tail -n 1 "$dir/events.txt")
  if [ "$(wc -l <"$dir/events.txt")" -ne "$events" ]; then
    echo "only $(wc -l <"$dir/events.txt") of $events events arrived; see $dir" >&2
    exit 1
  fi

  kill -TERM "$worker_pid"
  wait "$worker_pid" || true
  worker_pid=""
  kill -TERM "$broker_pid"
  broker_pid=""
  awk -v t0="$t0" -v t1="$t1" -v f="$first" -v l="$last" -v n="$events" -v c0="$cpu0" -v c1="$cpu1" -v hz="$(getconf CLK_TCK)" -v idle="$idle" -v rss="$rss" \
    'BEGIN { printf "%.3f %.0f %.3f %.2f %.1f\n", t1 - t0, n / (t1 - t0), l - f, (c1 - c0) / hz / idle * 100, rss / 1024 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A results
for round in $(seq 1 "$rounds"); do
  for i in "${!builds[@]}"; do
    line="$(measure "${builds[$i]}")"
    results[$i]+="$line"$'\n'
    echo "round $round, ${builds[$i]}: $line (seconds events/s first-to-last-s idle-cpu-% rss-MiB)" >&2
  done
done

out=""
declare -a secs cpu rss
for i in "${!builds[@]}"; do
  rows="${results[$i]}"
  secs[i]=$(awk 'NF {print $1}' <<<"$rows" | median)
  rate=$(awk 'NF {print $2}' <<<"$rows" | median)
  cpu[i]=$(awk 'NF {print $4}' <<<"$rows" | median)
  rss[i]=$(awk 'NF {print $5}' <<<"$rows" | median)
  out+="${builds[$i]}: $events job events ($jobs no-op jobs) through mosquitto in ${secs[i]} s ($rate events/s), idle over $idle s: ${cpu[i]}% of one core, RSS ${rss[i]} MiB (medians of $rounds)"$'\n'
done
for i in "${!builds[@]}"; do
  [ "$i" -eq 0 ] && continue
  out+="$(awk -v s0="${secs[0]}" -v s1="${secs[i]}" -v c0="${cpu[0]}" -v c1="${cpu[i]}" -v r0="${rss[0]}" -v r1="${rss[i]}" -v other="${builds[$i]}" \
    'BEGIN { printf "this build vs %s: burst time x%.2f, idle CPU x%.2f, RSS x%.2f (below 1: this build is better)", other, s0 / s1, (c1 > 0 ? c0 / c1 : 0), r0 / r1 }')"$'\n'
done
echo "$out"
{
  echo "## MQTT (job events through mosquitto, idle with MQTT on)"
  echo
  echo "Command: \`benchmarks/mqtt/run.sh $*\`, $(date -u +%Y-%m-%d), $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg). Each round starts a fresh mosquitto (persistence off) and a worker (\`--tasks noop --concurrency 64\`), waits for its capability, measures ${idle} s idle (CPU from /proc, RSS at the end), then inserts $jobs no-op jobs in one transaction and times until \`mosquitto_sub -q 1\` has received all $events events."
  echo
  echo '```'
  echo -n "$out"
  echo '```'
} >benchmarks/mqtt/RESULTS.md
