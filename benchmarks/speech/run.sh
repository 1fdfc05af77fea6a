#!/usr/bin/env bash
# Speech plugin benchmark: a transcribe job through the daemon next to a direct Whisper.net call
# in one process (benchmarks/speech/SpeechBench) with the same model, threads and parameters, on
# an 11 s clip spoken by espeak-ng (jfk.wav's length, on which the old hand-built library measured
# 682 ms direct and 930 ms as a job). Also the worker's idle CPU with the model loaded, and, when
# WHISPER_MODEL_PATH names a real ggml model, the real-time factor of both. Prints Markdown for
# RESULTS.md.
#
# Usage: benchmarks/speech/run.sh [runs]          (default 5 rounds; medians reported)
# Environment: WHISPER_MODEL_PATH (optional real model), WHISPER_THREADS (default 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
threads="${WHISPER_THREADS:-2}"
test_model="$PWD/tests/MediaWorker.Plugins.Speech.Tests/TestData/for-tests-ggml-tiny.en.bin"
real_model="${WHISPER_MODEL_PATH:-}"
unset WHISPER_MODEL_PATH WHISPER_MODEL

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

dotnet publish benchmarks/speech/SpeechBench -c Release -o "$work/bench" --nologo -v q -clp:ErrorsOnly >&2
espeak-ng -v en-us -s 140 -w "$work/raw.wav" "And so my fellow Americans, ask not what your country can do for you. Ask what you can do for your country. Hey media worker, start the recording."
ffmpeg -hide_banner -loglevel error -y -i "$work/raw.wav" -ar 16000 -ac 1 -c:a pcm_s16le "$work/speech.wav"
audio="$work/speech.wav"
audio_seconds="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$audio")"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a" } else if (NR % 2) { print v[(NR + 1) / 2] } else { printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }
field() { grep -o "\"$1\": *\[\?[0-9.]*" | head -n 1 | sed 's/.*: *\[\?//'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# measure <model>: "direct_load direct_transcribe daemon_load daemon_first daemon_job idle_cpu_percent".
# One worker serves every daemon job; after a first job (which warms it), each round runs one
# direct call and one daemon job right after it, so both see the same machine load.
measure() {
  local model="$1" server="$work/server-$RANDOM" i line row started completed first="" t0 t1
  local loads=() transcribes=() jobs=()
  mkdir -p "$server"
  cp "$audio" "$server/speech.wav"
  export CL_SERVER_DIR="$server" DATABASE_URL="$server/media_store.db" PLUGIN_DIR="$MW_PUBLISH/plugins" \
    MEDIA_ALLOWED_ROOTS="$server" BROADCAST_TYPE=noop WHISPER_MODEL_PATH="$model" WHISPER_THREADS="$threads" \
    WORKER_ENV_FILE=/dev/null LOG_LEVEL=information
  "$MW_PUBLISH/mediaworker" run --worker-id "bench-speech-$RANDOM" --tasks transcribe --concurrency 1 >"$server/worker.log" 2>&1 &
  worker_pid=$!
  for ((i = 0; i < 900; i++)); do
    grep -q " started (pid" "$server/worker.log" && break
    sleep 0.1
  done
  for ((i = 0; i <= runs; i++)); do
    if ((i > 0)); then
      line="$("$work/bench/SpeechBench" "$model" "$audio" "$threads" 1 2>/dev/null)"
      loads+=("$(field load_ms <<<"$line")")
      transcribes+=("$(field transcribe_ms <<<"$line")")
    fi
    row="$("$MW_PUBLISH/mediaworker" submit transcribe --params "{\"input_path\": \"$server/speech.wav\", \"language\": \"en\"}" --wait 2>/dev/null | tail -n 1)"
    if ! grep -q '"status": *"completed"' <<<"$row"; then
      echo "job failed: $row" >&2
      cat "$server/worker.log" >&2
      return 1
    fi
    started="$(field started_at <<<"$row")"
    completed="$(field completed_at <<<"$row")"
    if [ -z "$first" ]; then first=$((completed - started)); else jobs+=($((completed - started))); fi
  done
  # Idle: IDLE_SECONDS (default 30) with the model loaded and no job (clock ticks are 1/100 s),
  # after IDLE_SETTLE_SECONDS (default 60). The settling matters: for the first minute after start
  # the runtime's tiered JIT recompiles the methods the 1 s claim poll keeps calling (perf: three
  # quarters of the samples 15-45 s after start are in ".NET Tiered Com"), which is warm-up, not idle.
  sleep "${IDLE_SETTLE_SECONDS:-60}"
  t0="$(cpu_ticks "$worker_pid")"
  sleep "${IDLE_SECONDS:-30}"
  t1="$(cpu_ticks "$worker_pid")"
  kill -TERM "$worker_pid"
  wait "$worker_pid" 2>/dev/null || true
  worker_pid=""
  local load
  load="$(grep -o 'Whisper model .* in [0-9]* ms' "$server/worker.log" | grep -o 'in [0-9]* ms' | grep -o '[0-9]*' | head -n 1)"
  echo "$(printf '%s\n' "${loads[@]}" | median) $(printf '%s\n' "${transcribes[@]}" | median) ${load:-n/a} $first $(printf '%s\n' "${jobs[@]}" | median) $(awk -v a="$t0" -v b="$t1" -v s="${IDLE_SECONDS:-30}" 'BEGIN { printf "%.2f", (b - a) / s }')"
}

rtf() { awk -v ms="$1" -v s="$audio_seconds" 'BEGIN { if (ms == "n/a") print "n/a"; else printf "%.3f", ms / 1000 / s }'; }
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r d_load d_transcribe w_load w_first w_job w_idle < <(measure "$test_model")

cat <<EOF
Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(date -u +%Y-%m-%d), load average before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg).
Command: \`benchmarks/speech/run.sh $runs\` (WHISPER_THREADS=$threads; medians of $runs interleaved rounds).

### whisper.cpp test model (for-tests-ggml-tiny.en.bin: real format, no weights), espeak-ng speech (${audio_seconds%????} s)

| figure | direct Whisper.net call | through the daemon | old build (hand-built libwhisper.so), jfk.wav 11 s |
| --- | --- | --- | --- |
| model load (ms) | $d_load | $w_load (the plugin's log line) | 29.2 direct, 36 daemon |
| transcribe (ms) | $d_transcribe (processor build + ProcessAsync + dispose) | $w_job (job started_at → completed_at: ffprobe + ffmpeg decode, whisper, 3 files) | 681.9 direct, 930 daemon |
| real-time factor (transcribe time / audio length; the test model decodes no words) | $(rtf "$d_transcribe") | $(rtf "$w_job") | 0.062 direct, 0.085 daemon |
| first job incl. warm-up (ms) | | $w_first | 1039 |
| worker CPU while idle, model loaded (% of a core, ${IDLE_SECONDS:-30} s after ${IDLE_SETTLE_SECONDS:-60} s) | | $w_idle | |
EOF

if [ -n "$real_model" ] && [ -f "$real_model" ]; then
  read -r r_load r_transcribe rw_load rw_first rw_job rw_idle < <(measure "$real_model")
  cat <<EOF

### $(basename "$real_model") (real model), espeak-ng speech (${audio_seconds%????} s)

| figure | direct Whisper.net call | through the daemon |
| --- | --- | --- |
| model load (ms) | $r_load | $rw_load |
| transcribe (ms) | $r_transcribe | $rw_job |
| real-time factor (time / audio length) | $(rtf "$r_transcribe") | $(rtf "$rw_job") |
| worker CPU while idle (% of a core) | | $rw_idle |
EOF
else
  echo
  echo "Real-model figures: not measured (WHISPER_MODEL_PATH is not set to a model file; \`mediaworker models pull base.en\` fetches one)."
fi
