#!/usr/bin/env bash
# Image plugin benchmark (issues 4 and 13). Makes a 24-megapixel JPEG, then resizes it into a 320x320
# box as JPEG and as WebP (quality 85) with:
#   - the plugin's image_resize handler in-process (benchmarks/image/ImageBench), timed per image;
#   - the same handler of an older build beside it, when BENCH_OLD_ROOT names that build's worktree
#     (its ImageBench built in Release and its daemon published to $BENCH_OLD_ROOT/publish);
#   - vipsthumbnail, and ImageMagick 6's convert -define jpeg:size=640x640 -thumbnail 320x320
#     (/usr/bin/convert-im6.q16: /usr/local/bin/convert may be a stand-in), timed per process;
# and finally pushes BENCH_JOBS (default 200) such jobs through a real daemon with 2 slots (and
# through the older build's daemon too, when given).
#   [BENCH_OLD_ROOT=/work/wt/image-old] benchmarks/image/run.sh [iterations]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
mw_ensure_system_packages
mw_build_publish >/dev/null
n="${1:-30}"
jobs="${BENCH_JOBS:-200}"
old="${BENCH_OLD_ROOT:-}"
work="${BENCH_WORKDIR:-${TMPDIR:-/tmp}/mw-image-bench}"
mkdir -p "$work"
convert=/usr/bin/convert-im6.q16
input="$work/photo-24mp.jpg"
if [ ! -f "$input" ]; then
  # Plasma fractal noise: smooth gradients and fine detail, closer to a photograph than a test card.
  "$convert" -size 6000x4000 -seed 42 plasma:fractal -quality 92 "$input"
fi

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); input $(basename "$input") 6000x4000 $(stat -c %s "$input") bytes"
dotnet build benchmarks/image/ImageBench -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
bench="dotnet benchmarks/image/ImageBench/bin/Release/net10.0/ImageBench.dll"
# BENCH_ROUNDS > 1 repeats every measurement in turn (new, old, vips, convert; then the daemons, new
# and old alternately), so on a shared machine both builds see the same stretches of load.
rounds="${BENCH_ROUNDS:-1}"
for _round in $(seq 1 "$rounds"); do
for format in jpg webp; do
  $bench "$input" "$format" 320 "$n" "$work/inprocess" | sed 's/^inprocess/inprocess-magicknet/'
  if [ -n "$old" ]; then
    dotnet "$old/benchmarks/image/ImageBench/bin/Release/net10.0/ImageBench.dll" "$input" "$format" 320 "$n" "$work/inprocess-old" | sed 's/^inprocess/inprocess-old/'
  fi
  python3 benchmarks/image/measure.py "vipsthumbnail format=$format" "$n" -- \
    vipsthumbnail "$input" -s 320 -o "$work/vips.$format[Q=85]"
  python3 benchmarks/image/measure.py "convert-thumbnail format=$format" "$n" -- \
    "$convert" -define jpeg:size=640x640 "$input" -thumbnail 320x320 -quality 85 "$work/convert.$format"
done
done

# The whole daemon: 2 slots, jobs inserted by a foreign producer, timed until the last one finished.
# daemon_throughput <label> <published folder>
daemon_throughput() {
  local label="$1" publish="$2" server="$work/daemon-$1" daemon
  rm -rf "$server"
  mkdir -p "$server"
  CL_SERVER_DIR="$server" DATABASE_URL="$server/media_store.db" PLUGIN_DIR="$publish/plugins" \
    MEDIA_ALLOWED_ROOTS="$work" BROADCAST_TYPE=noop LOG_LEVEL=information \
    "$publish/mediaworker" run --worker-id "image-bench-$label" --concurrency 2 --tasks image_resize >"$server/worker.log" 2>&1 &
  daemon=$!
  for _ in $(seq 1 600); do
    grep -q " started " "$server/worker.log" && break
    sleep 0.1
  done
  grep -q " started " "$server/worker.log" || { cat "$server/worker.log"; kill -TERM "$daemon"; return 1; }
  python3 benchmarks/image/throughput.py "$server/media_store.db" "$jobs" \
    "{\"input_path\":\"$input\",\"width\":320,\"height\":320,\"format\":\"jpg\",\"quality\":85}" | sed "s/^daemon/daemon-$label/"
  kill -TERM "$daemon"
  wait "$daemon" || true
}
for _round in $(seq 1 "$rounds"); do
  daemon_throughput magicknet "$MW_PUBLISH"
  if [ -n "$old" ]; then
    daemon_throughput old "$old/publish"
  fi
done
