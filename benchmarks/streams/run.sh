#!/usr/bin/env bash
# Live-stream ingest benchmark: CPU per ingested stream (stream copy, and copy plus per-segment audio
# extraction) and the delay from a segment's end to its follow-up job's start, through a real worker.
#
#   benchmarks/streams/run.sh [seconds]     # default 30 s of stream per mode; writes RESULTS.md
#   MW_BASELINE_ROOT=/path/to/old/checkout benchmarks/streams/run.sh 15   # also stream copy on that checkout's ./publish
#
# A live MPEG-TS source (ffmpeg -re, 640x360 25 fps H.264 + AAC, keyframe every second) listens on a
# free loopback port; a worker (mediaworker run) ingests it with 2 s segments and one video_probe
# follow-up per segment (or one run of a stored one-step pipeline per segment, in the pipeline mode),
# and exits on SIGINT once the job completes. CPU is the worker's user+sys
# time including every ffmpeg/ffprobe it started and reaped (wait4 rusage), minus an idle worker's
# CPU over the same wall time, divided by the stream seconds recorded. The source's CPU is not counted.
# Needs the published layout (./start_worker.sh --build-only; this script runs it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER_MODE="${1:-30}"
"$ROOT/start_worker.sh" --build-only >/dev/null
exec python3 "$ROOT/benchmarks/streams/bench.py" "$ROOT" "$SECONDS_PER_MODE" "$ROOT/benchmarks/streams/RESULTS.md"
