#!/usr/bin/env bash
# scene_detect's two detectors side by side on one input, through a real worker:
# colour (HSV, the default) against luma (ffmpeg's scene score). farm-bench alternates them
# (A B A B ...) and prints the paired ratio colour/luma; the colour detector is the default only
# while that ratio stays at or below 1.2.
#
#   benchmarks/video/scene-detectors.sh [runs]     # default 5 runs each
#
# Needs the published layout (./start_worker.sh --build-only; this script runs it) and farm-bench.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-5}"
[ "${MW_BENCH_NO_BUILD:-0}" = 1 ] || "$ROOT/start_worker.sh" --build-only >/dev/null
MW="$ROOT/publish/mediaworker"

WORK="$(mktemp -d /tmp/mw-scene-bench-XXXXXX)"
cleanup() {
  [ -n "${WORKER_PID:-}" ] && kill -TERM "$WORKER_PID" 2>/dev/null && wait "$WORKER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export CL_SERVER_DIR="$WORK" DATABASE_URL="$WORK/media_store.db" PLUGIN_DIR="$WORK/plugins" \
  MEDIA_ALLOWED_ROOTS="$WORK" BROADCAST_TYPE=noop WORKER_CONCURRENCY=1 LOG_LEVEL=warning
unset WORKER_ENV_FILE
cd "$WORK"
mkdir -p "$PLUGIN_DIR"
cp -r "$ROOT/publish/plugins/Video" "$PLUGIN_DIR/Video"

IN="$WORK/input_720p_20s.mp4"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=s=1280x720:r=30:d=20 \
  -c:v libx264 -preset veryfast -crf 23 -g 60 -pix_fmt yuv420p "$IN"
cat "$IN" >/dev/null

"$MW" run --worker-id scene-bench >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
for _ in $(seq 1 100); do grep -q started "$WORK/worker.log" && break; sleep 0.2; done

for detector in colour luma; do
  printf '#!/bin/sh\nexec %s submit scene_detect --wait --max-retries 0 --params %s\n' "$MW" \
    "'{\"input_path\":\"$IN\",\"detector\":\"$detector\"}'" >"$WORK/$detector.sh"
done
sh "$WORK/colour.sh" | tail -n 1 | grep -q '"completed"' || { echo "the colour job did not complete" >&2; exit 1; }
echo "input: testsrc2 1280x720, 30 fps, 20 s (600 frames), h264; WORKER_CONCURRENCY=1; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
farm-bench -n "$RUNS" --warmup 1 --timeout 900 --vs "sh $WORK/luma.sh" -- sh "$WORK/colour.sh"
