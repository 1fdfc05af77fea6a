#!/usr/bin/env bash
# Hangfire peer of the queue benchmark: builds benchmarks/peers/hangfire (Release, its own output
# directory) and runs it. Prints one line with jobs/s.
#   benchmarks/peers/hangfire/run.sh [JOBS] [WORKERS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/bin/peer"
dotnet build "$here/HangfirePeer.csproj" -c Release -o "$out" --nologo -v q -clp:ErrorsOnly >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet "$out/HangfirePeer.dll" "$work/hangfire.db" "${1:-2000}" "${2:-20}"
