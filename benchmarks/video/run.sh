#!/usr/bin/env bash
# Video plugin benchmark: each task through a real worker (mediaworker run + submit --wait) next to
# the raw ffmpeg/ffprobe command a user would otherwise run on the same file, one run each.
#
#   benchmarks/video/run.sh            # writes benchmarks/video/RESULTS.md
#   MW_BENCH_KEEP=1 benchmarks/video/run.sh   # keep the temp folder
#
# Needs the published layout (./start_worker.sh --build-only; this script runs it).
# "job" is the worker's own time for the job (started_at -> completed_at in the row): what the
# daemon adds around ffmpeg. "end to end" adds the queue (created_at -> completed_at). The raw
# command is timed from fork to exit, like the worker's ffmpeg child.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/benchmarks/video/RESULTS.md"
"$ROOT/start_worker.sh" --build-only >/dev/null
MW="$ROOT/publish/mediaworker"

WORK="$(mktemp -d /tmp/mw-video-bench-XXXXXX)"
cleanup() {
  [ -n "${WORKER_PID:-}" ] && kill -TERM "$WORKER_PID" 2>/dev/null && wait "$WORKER_PID" 2>/dev/null || true
  [ "${MW_BENCH_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

export CL_SERVER_DIR="$WORK" DATABASE_URL="$WORK/media_store.db" PLUGIN_DIR="$WORK/plugins" \
  MEDIA_ALLOWED_ROOTS="$WORK" BROADCAST_TYPE=noop WORKER_CONCURRENCY=1 LOG_LEVEL=warning
unset WORKER_ENV_FILE
cd "$WORK"   # so no ./worker.env of the caller is read
mkdir -p "$PLUGIN_DIR" "$WORK/raw"
cp -r "$ROOT/publish/plugins/Video" "$PLUGIN_DIR/Video"
THREADS="$(nproc)"   # what the plugin gives one job when WORKER_CONCURRENCY=1

IN="$WORK/input_1080p_60s.mp4"
echo "making the 1080p 60 s input ..." >&2
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=s=1920x1080:r=30:d=60 -f lavfi -i sine=f=440:d=60 \
  -c:v libx264 -preset veryfast -crf 23 -g 60 -pix_fmt yuv420p -c:a aac -b:a 128k -shortest "$IN"
cat "$IN" >/dev/null   # warm the page cache for both sides

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
"$MW" run --worker-id video-bench >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
for _ in $(seq 1 100); do grep -q started "$WORK/worker.log" && break; sleep 0.2; done

now_ms() { date +%s%3N; }

# raw <label> <command...>: runs the command, prints its wall time in ms.
raw() {
  local start end
  start=$(now_ms)
  "$@" >/dev/null
  end=$(now_ms)
  echo $((end - start))
}

# job <task> <params>: submits, waits, prints "job_ms end_to_end_ms".
job() {
  local row
  row="$("$MW" submit "$1" --params "$2" --wait --max-retries 0 | tail -n 1)"
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["status"]=="completed", r; print(r["completed_at"]-r["started_at"], r["completed_at"]-r["created_at"])' "$row"
}

rows=()
measure() { # measure <name> <raw command string for the table> <task> <params> -- <raw command...>
  local name="$1" shown="$2" task="$3" params="$4"
  shift 5
  echo "$name ..." >&2
  local raw_ms job_ms e2e_ms
  raw_ms=$(raw "$@")
  read -r job_ms e2e_ms < <(job "$task" "$params")
  rows+=("| $name | $raw_ms | $job_ms | $e2e_ms | $(python3 -c "print(f'{($job_ms-$raw_ms):+d} ms ({($job_ms-$raw_ms)/$raw_ms*100:+.1f} %)')") | \`$shown\` | \`$task $params\` |")
}

measure "probe" "ffprobe -print_format json -show_format -show_streams" \
  video_probe "{\"input_path\": \"$IN\"}" -- \
  ffprobe -v error -print_format json -show_format -show_streams "$IN"

measure "keyframes (30 I-frames, 20 kept)" "ffmpeg -skip_frame nokey -i IN -fps_mode vfr -q:v 2 kf_%04d.jpg (all 30)" \
  keyframes "{\"input_path\": \"$IN\", \"max_frames\": 20}" -- \
  ffmpeg -hide_banner -loglevel error -y -skip_frame nokey -i "$IN" -fps_mode vfr -q:v 2 "$WORK/raw/kf_%04d.jpg"

measure "sprite_sheet (every 2 s, 160 px, 5x5)" "ffmpeg -i IN -vf fps=1/2,scale=160:-2,tile=5x5 -q:v 3 sprite_%03d.jpg" \
  sprite_sheet "{\"input_path\": \"$IN\"}" -- \
  ffmpeg -hide_banner -loglevel error -y -i "$IN" -an -vf "fps=1/2,scale=160:-2,tile=5x5" -q:v 3 "$WORK/raw/sprite_%03d.jpg"

measure "transcode 1080p 60 s (h264 veryfast crf 23, aac)" "ffmpeg -i IN -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 128k out.mp4" \
  transcode "{\"input_path\": \"$IN\", \"preset\": \"veryfast\"}" -- \
  ffmpeg -hide_banner -loglevel error -y -i "$IN" -map 0:v:0 -map "0:a:0?" -c:v libx264 -preset veryfast -pix_fmt yuv420p \
    -crf 23 -threads "$THREADS" -c:a aac -b:a 128k -movflags +faststart "$WORK/raw/out.mp4"

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "# Video plugin benchmark"
  echo
  echo "Produced by \`benchmarks/video/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(ffmpeg -version | head -1 | cut -d' ' -f1-3)),"
  echo "one run per row, on a lavfi 1920x1080 30 fps 60 s H.264/AAC file (GOP 60). Times in ms."
  echo
  echo "- **raw**: the command alone, fork to exit."
  echo "- **job**: the worker's time for the job (row started_at -> completed_at): ffmpeg plus everything"
  echo "  the plugin adds (probe for duration and checks, scratch folder, commit, output JSON)."
  echo "- **end to end**: created_at -> completed_at, including the claim by an idle worker."
  echo
  echo "Load average (1, 5, 15 min) before the first row: $LOAD_BEFORE; after the last: $LOAD_AFTER."
  echo "Above $(nproc) other processes competed for the cores during the run, and single-run"
  echo "differences of tens of percent in either direction are that contention, not the daemon."
  echo
  echo "| task | raw | job | end to end | job - raw | raw command | mediaworker submit |"
  echo "|---|---:|---:|---:|---:|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$OUT"
cat "$OUT"
