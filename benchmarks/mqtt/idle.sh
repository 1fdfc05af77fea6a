#!/usr/bin/env bash
# Idle CPU of workers connected to MQTT, several builds at the same time (one broker, one window),
# so a noisy machine affects them alike. Prints user+system CPU of each worker over the window and
# each build's ratio to the first.
#   benchmarks/mqtt/idle.sh PUBLISH_DIR[@noop] [PUBLISH_DIR[@noop] ...]
# A build named with @noop runs with BROADCAST_TYPE=noop (no broker link), to tell the link's cost
# from the rest. MQTT_IDLE_SECONDS (default 60) is the window; MQTT_IDLE_THREADS=1 also prints each
# worker's busiest threads. Every worker gets its own empty plugin directory and database, `--tasks noop`.
# With perf installed, each worker's exact CPU time (task-clock) and context switches (wake-ups) over
# the same window are printed too: /proc's ticks are sampled, and charge a whole tick to whoever runs
# when it falls, so they overstate a process that wakes often.
set -euo pipefail
seconds=${MQTT_IDLE_SECONDS:-60}
[ $# -ge 1 ] || { echo "usage: $0 PUBLISH_DIR[@noop] [PUBLISH_DIR[@noop] ...]" >&2; exit 2; }
work="$(mktemp -d)"
pids=()
broker_pid=""
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  [ -n "$broker_pid" ] && kill -TERM "$broker_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$(shuf -i 20000-60000 -n 1)
while listening "$port"; do port=$(shuf -i 20000-60000 -n 1); done
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
pid_file $work/mosquitto.pid
log_dest file $work/mosquitto.log
user $(id -un)
CONF
mosquitto -c "$work/mosquitto.conf" -d </dev/null >>"$work/mosquitto.log" 2>&1
for _ in $(seq 1 50); do listening "$port" && break; sleep 0.1; done
broker_pid="$(cat "$work/mosquitto.pid")"

broadcast_of() { case "$1" in *@noop) echo noop ;; *) echo mqtt ;; esac; }
i=0
for build in "$@"; do
  publish="${build%@noop}"
  broadcast="$(broadcast_of "$build")"
  mkdir -p "$work/w$i/plugins"
  PLUGIN_DIR="$work/w$i/plugins" CL_SERVER_DIR="$work/w$i/server" BROADCAST_TYPE="$broadcast" MQTT_URL="mqtt://127.0.0.1:$port" \
    LOG_LEVEL=warning WORKER_ID="idle-$i" "$publish/mediaworker" run --tasks noop --concurrency 4 >"$work/w$i/worker.log" 2>&1 &
  pids+=($!)
  i=$((i + 1))
done
j=0
for build in "$@"; do
  [ "$(broadcast_of "$build")" = mqtt ] && mosquitto_sub -h 127.0.0.1 -p "$port" -t "inference/workers/idle-$j" -C 1 -W 60 >/dev/null
  j=$((j + 1))
done
sleep 5 # start-up work (JIT, first heartbeats) is over

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -a c0 c1
# Per thread: "tid name ticks", to see which loop wakes up.
thread_ticks() { for t in /proc/"$1"/task/*; do echo "${t##*/} $(tr ' ' '_' <"$t/comm") $(awk '{print $14 + $15}' "$t/stat")"; done 2>/dev/null; }
perf_pids=()
for j in "${!pids[@]}"; do
  c0[j]=$(ticks "${pids[j]}")
  thread_ticks "${pids[j]}" >"$work/threads0.$j"
  if command -v perf >/dev/null 2>&1; then
    perf stat -x, -e task-clock,context-switches -p "${pids[j]}" -o "$work/perf.$j" -- sleep "$seconds" >/dev/null 2>&1 &
    perf_pids+=($!)
  fi
done
sleep "$seconds"
for p in "${perf_pids[@]}"; do wait "$p" || true; done
for j in "${!pids[@]}"; do c1[j]=$(ticks "${pids[j]}"); thread_ticks "${pids[j]}" >"$work/threads1.$j"; done
hz=$(getconf CLK_TCK)
base=$((c1[0] - c0[0]))
j=0
for build in "$@"; do
  used=$((c1[j] - c0[j]))
  awk -v p="${build%@noop}" -v u="$used" -v b="$base" -v hz="$hz" -v s="$seconds" -v bc="$(broadcast_of "$build")" \
    'BEGIN { printf "%s: BROADCAST_TYPE=%s, idle %d s: %d ticks, %.2f%% of one core, x%.2f of the first\n", p, bc, s, u, u / hz / s * 100, (b > 0 ? u / b : 0) }'
  if [ -s "$work/perf.$j" ]; then
    awk -F, -v s="$seconds" '$3 == "task-clock" { ms = $1 } $3 == "context-switches" { cs = $1 }
      END { if (ms != "") printf "    perf: %.1f ms CPU (%.3f%% of one core), %d context switches (%.1f/s)\n", ms, ms / 10 / s, cs, cs / s }' "$work/perf.$j"
  fi
  if [ "${MQTT_IDLE_THREADS:-0}" = 1 ]; then
    awk 'NR == FNR { before[$1] = $3; next } { d = $3 - before[$1]; if (d > 0) printf "    %-24s %d ticks\n", $2, d }' "$work/threads0.$j" "$work/threads1.$j" | sort -k2 -n -r | head -8
  fi
  j=$((j + 1))
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
