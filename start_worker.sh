#!/usr/bin/env bash
# Sets up and runs a MediaWorker daemon on this machine.
#   ./start_worker.sh                      install what is missing, build, run with the defaults
#   ./start_worker.sh --build-only         stop after the build (./publish)
#   ./start_worker.sh --worker-id w1 --tasks noop,sleep    any `mediaworker run` flag
#   ./start_worker.sh --no-local-broker    do not start a local mosquitto (also MQTT_LOCAL_BROKER=off)
# worker.env in this folder is read by the daemon when present; CL_SERVER_DIR defaults to ./data.
# With the default broker (localhost:1883) and nothing listening there, the installed mosquitto is
# started on 127.0.0.1:1883 for presence, with its files in $CL_SERVER_DIR/mosquitto (docs/mqtt.md).
# The compute API (docs/compute-service.md) listens on 127.0.0.1:8002 unless COMPUTE_API_LISTEN says otherwise.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
source scripts/local-broker.sh
mw_ensure_system_packages
mw_build_publish
if [ "${1:-}" = "--build-only" ]; then
  echo "built: $MW_PUBLISH/mediaworker (plugins in $MW_PUBLISH/plugins)"
  exit 0
fi
export CL_SERVER_DIR="${CL_SERVER_DIR:-$PWD/data}"
# The seed-compatible compute API on the seed's port, unless the environment or worker.env says otherwise.
if [ -z "${COMPUTE_API_LISTEN+set}" ] && ! grep -qsE '^[[:space:]]*COMPUTE_API_LISTEN=' "${WORKER_ENV_FILE:-worker.env}"; then
  export COMPUTE_API_LISTEN=127.0.0.1:8002
fi
# The dashboard and HTTP API run beside the worker (set HTTP_LISTEN to move them; API_TOKEN beyond loopback).
if [ -z "${HTTP_LISTEN:-}" ]; then
  HTTP_LISTEN="$(sed -n 's/^HTTP_LISTEN=//p' "${WORKER_ENV_FILE:-worker.env}" 2>/dev/null | tail -n 1)"
  export HTTP_LISTEN="${HTTP_LISTEN:-127.0.0.1:8780}"
fi
echo "Dashboard: http://$HTTP_LISTEN/"
mw_ensure_local_broker "$CL_SERVER_DIR" "$@"
mw_without_local_broker_flag "$@"
exec "$MW_PUBLISH/mediaworker" run "${MW_RUN_ARGS[@]}"
