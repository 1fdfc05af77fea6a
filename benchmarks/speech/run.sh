#!/usr/bin/env bash
# Speech plugin benchmark: whisper.cpp model load time, and transcribe of jfk.wav through the daemon
# next to a direct C call of the same libwhisper.so (benchmarks/speech/whisper_direct.c) with the
# same threads and parameters. With WHISPER_MODEL_PATH set to a real ggml model it also reports
# the real-time factor of both. Prints Markdown for RESULTS.md.
#
# Usage: benchmarks/speech/run.sh [runs]          (default 5 runs per figure; medians reported)
# Environment: WHISPER_MODEL_PATH (optional real model), WHISPER_THREADS (default 2),
#              MW_TESTDATA_DIR (default ../shared/testdata)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
threads="${WHISPER_THREADS:-2}"
testdata="${MW_TESTDATA_DIR:-$(cd .. && pwd)/shared/testdata}"
test_model="$testdata/for-tests-ggml-tiny.en.bin"
audio="$testdata/jfk.wav"

source scripts/setup.sh
mw_ensure_system_packages
mw_build_publish >&2

work="$(mktemp -d /tmp/mw-speech-bench.XXXXXX)"
worker_pid=""
cleanup() {
  if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
    kill -TERM "$worker_pid"
    wait "$worker_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -I.cache/whisper/include benchmarks/speech/whisper_direct.c -L.cache/whisper -lwhisper \
  -Wl,-rpath,"$PWD/.cache/whisper" -o "$work/whisper_direct"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a" } else if (NR % 2) { print v[(NR + 1) / 2] } else { printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }
field() { grep -o "\"$1\": *[0-9.]*" | head -n 1 | sed 's/.*: *//'; }

# measure <model>: "direct_load direct_transcribe daemon_load daemon_first daemon_job" (milliseconds).
# One worker serves every daemon job; after a first job (which loads the model), each of the $runs
# rounds runs the C program once and one daemon job right after it, so both see the same machine
# load (this box is shared); the medians of the rounds are reported.
measure() {
  local model="$1" server="$work/server-$RANDOM" i line row started completed first=""
  local loads=() transcribes=() jobs=()
  mkdir -p "$server"
  : >"$server/worker.log"
  cp "$audio" "$server/jfk.wav"
  export CL_SERVER_DIR="$server" DATABASE_URL="$server/media_store.db" PLUGIN_DIR="$MW_PUBLISH/plugins" \
    MEDIA_ALLOWED_ROOTS="$server" BROADCAST_TYPE=noop WHISPER_MODEL_PATH="$model" WHISPER_THREADS="$threads" \
    WORKER_ENV_FILE=/dev/null LOG_LEVEL=information
  "$MW_PUBLISH/mediaworker" run --worker-id "bench-speech-$RANDOM" --tasks transcribe --concurrency 1 >"$server/worker.log" 2>&1 &
  worker_pid=$!
  for ((i = 0; i < 600; i++)); do
    grep -q " started (pid" "$server/worker.log" && break
    sleep 0.1
  done
  for ((i = 0; i <= runs; i++)); do
    if ((i > 0)); then
      line="$("$work/whisper_direct" "$model" "$audio" "$threads" 2>/dev/null)"
      loads+=("$(field load_ms <<<"$line")")
      transcribes+=("$(field transcribe_ms <<<"$line")")
    fi
    row="$("$MW_PUBLISH/mediaworker" submit transcribe --params "{\"input_path\": \"$server/jfk.wav\"}" --wait 2>/dev/null | tail -n 1)"
    if ! grep -q '"status": *"completed"' <<<"$row"; then
      echo "job failed: $row" >&2
      cat "$server/worker.log" >&2
      kill -TERM "$worker_pid"
      return 1
    fi
    started="$(field started_at <<<"$row")"
    completed="$(field completed_at <<<"$row")"
    if [ -z "$first" ]; then first=$((completed - started)); else jobs+=($((completed - started))); fi
  done
  kill -TERM "$worker_pid"
  wait "$worker_pid" 2>/dev/null || true
  worker_pid=""
  local load
  load="$(grep -o 'Whisper model .* in [0-9]* ms' "$server/worker.log" | grep -o 'in [0-9]* ms' | grep -o '[0-9]*' | head -n 1)"
  echo "$(printf '%s\n' "${loads[@]}" | median) $(printf '%s\n' "${transcribes[@]}" | median) ${load:-n/a} $first $(printf '%s\n' "${jobs[@]}" | median)"
}

audio_seconds=11.0
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r d_load d_transcribe w_load w_first w_job < <(measure "$test_model")

cat <<EOF
Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(date -u +%Y-%m-%d), load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg).
Command: \`benchmarks/speech/run.sh $runs\` (WHISPER_THREADS=$threads; medians of $runs interleaved rounds).

### whisper.cpp test model (for-tests-ggml-tiny.en.bin: real format, no weights), jfk.wav (11 s)

| figure | direct C call | through the daemon |
| --- | --- | --- |
| model load (ms) | $d_load | $w_load (the plugin's log line) |
| transcribe jfk.wav (ms) | $d_transcribe (whisper_init_state + whisper_full) | $w_job (job started_at → completed_at: ffprobe + ffmpeg decode, whisper, 3 files) |
| first job incl. model load (ms) | | $w_first |
EOF

if [ -n "${WHISPER_MODEL_PATH:-}" ] && [ -f "$WHISPER_MODEL_PATH" ]; then
  real="$WHISPER_MODEL_PATH"
  read -r r_load r_transcribe rw_load rw_first rw_job < <(measure "$real")
  rtf() { awk -v ms="$1" -v s="$audio_seconds" 'BEGIN { if (ms == "n/a") print "n/a"; else printf "%.3f", ms / 1000 / s }'; }
  cat <<EOF

### $(basename "$real") (real model), jfk.wav (11 s)

| figure | direct C call | through the daemon |
| --- | --- | --- |
| model load (ms) | $r_load | $rw_load |
| transcribe jfk.wav (ms) | $r_transcribe | $rw_job |
| real-time factor (time / audio length) | $(rtf "$r_transcribe") | $(rtf "$rw_job") |
EOF
else
  echo
  echo "Real-model figures: not measured (WHISPER_MODEL_PATH is not set to a model file)."
fi
