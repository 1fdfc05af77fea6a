#!/usr/bin/env bash
# Sets up and runs a MediaWorker daemon on this machine.
#   ./start_worker.sh                      install what is missing, build, run with the defaults
#   ./start_worker.sh --build-only         stop after the build (./publish)
#   ./start_worker.sh --worker-id w1 --tasks noop,sleep    any `mediaworker run` flag
# worker.env in this folder is read by the daemon when present; CL_SERVER_DIR defaults to ./data.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
mw_ensure_system_packages
mw_build_publish
if [ "${1:-}" = "--build-only" ]; then
  echo "built: $MW_PUBLISH/mediaworker (plugins in $MW_PUBLISH/plugins)"
  exit 0
fi
export CL_SERVER_DIR="${CL_SERVER_DIR:-$PWD/data}"
# The dashboard and HTTP API run beside the worker (set HTTP_LISTEN to move them; API_TOKEN beyond loopback).
if [ -z "${HTTP_LISTEN:-}" ]; then
  HTTP_LISTEN="$(sed -n 's/^HTTP_LISTEN=//p' "${WORKER_ENV_FILE:-worker.env}" 2>/dev/null | tail -n 1)"
  export HTTP_LISTEN="${HTTP_LISTEN:-127.0.0.1:8780}"
fi
echo "Dashboard: http://$HTTP_LISTEN/"
exec "$MW_PUBLISH/mediaworker" run "$@"
