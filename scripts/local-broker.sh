# Presence out of the box (docs/mqtt.md): sourced by start_worker.sh, not run.
# With the default broker (MQTT_BROKER=localhost, port 1883, no MQTT_URL) and nothing listening
# there, start the installed mosquitto on 127.0.0.1 with its own config, persistence and pid file
# under the data directory. A broker someone already runs (anything listening on the port) is never
# touched. MQTT_LOCAL_BROKER=off (environment or worker.env) or --no-local-broker turns it off.

# mw_setting NAME DEFAULT FLAG [run args...]: the flag's value in the args (FLAG may be empty:
# none), else the environment, else the last NAME=value line of worker.env (--env-file,
# WORKER_ENV_FILE), else DEFAULT: the daemon's order.
mw_setting() {
  local name="$1" default="$2" flag="$3" value="" found=""
  shift 3
  local args=("$@")
  while [ -n "$flag" ] && [ $# -gt 0 ]; do
    case "$1" in
      "$flag") [ $# -gt 1 ] && { value="$2"; found=1; } ;;
      "$flag="*) value="${1#*=}"; found=1 ;;
    esac
    shift
  done
  if [ -n "$found" ]; then
    printf '%s' "$value"
    return
  fi
  if [ -n "${!name+x}" ]; then
    printf '%s' "${!name}"
    return
  fi
  local file line
  file="$(mw_env_file "${args[@]}")"
  if [ -f "$file" ]; then
    line="$(grep -E "^[[:space:]]*(export[[:space:]]+)?$name=" "$file" | tail -n 1)"
    if [ -n "$line" ]; then
      value="${line#*=}"
      value="${value%\"}"; value="${value#\"}"; value="${value%\'}"; value="${value#\'}"
      printf '%s' "$value"
      return
    fi
  fi
  printf '%s' "$default"
}

# mw_env_file [run args...]: the worker.env file the daemon would read.
mw_env_file() {
  local file="${WORKER_ENV_FILE:-$PWD/worker.env}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --env-file) [ $# -gt 1 ] && file="$2" ;;
      --env-file=*) file="${1#*=}" ;;
    esac
    shift
  done
  printf '%s' "$file"
}

# mw_port_listening PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
mw_port_listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# mw_local_broker_wanted [run args...]: true when the worker would talk to the default local
# broker and the local broker is not turned off.
mw_local_broker_wanted() {
  local arg
  for arg in "$@"; do
    [ "$arg" = "--no-local-broker" ] && return 1
  done
  local off broadcast tls
  off="$(mw_setting MQTT_LOCAL_BROKER auto "" "$@")"
  broadcast="$(mw_setting BROADCAST_TYPE mqtt --broadcast "$@")"
  tls="$(mw_setting MQTT_TLS false "" "$@")"
  [ "${off,,}" = "off" ] && return 1
  [ "${broadcast,,}" = "mqtt" ] || return 1
  [ -z "$(mw_setting MQTT_URL "" --mqtt-url "$@")" ] || return 1
  case "${tls,,}" in false | 0 | no | "") ;; *) return 1 ;; esac
  case "$(mw_setting MQTT_BROKER localhost --mqtt-broker "$@")" in
    localhost | 127.0.0.1) return 0 ;;
    *) return 1 ;;
  esac
}

# mw_local_broker_start DATA_DIR PORT: starts mosquitto on 127.0.0.1:PORT (config, persistence, log
# and pid file in DATA_DIR/mosquitto) unless something listens there already; one line when it does.
mw_local_broker_start() {
  local data="$1" port="$2" dir conf i
  if mw_port_listening "$port"; then
    return 0 # a broker (ours from an earlier start, or someone's) is there: leave it alone
  fi
  if ! command -v mosquitto >/dev/null 2>&1; then
    printf '[setup] no MQTT broker on 127.0.0.1:%s and mosquitto is not installed; presence waits for a broker (apt-get install mosquitto)\n' "$port" >&2
    return 0
  fi
  dir="$data/mosquitto"
  conf="$dir/mosquitto.conf"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  conf="$dir/mosquitto.conf"
  cat >"$conf" <<EOF
# Written by start_worker.sh (scripts/local-broker.sh): the local presence broker.
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $dir/
pid_file $dir/mosquitto.pid
log_dest file $dir/mosquitto.log
# Run as the user who started it (as root, mosquitto would switch to 'mosquitto' and lose this folder).
user $(id -un)
EOF
  # Its own stdio goes to the log: a daemon must not hold the caller's terminal or pipes open.
  if ! mosquitto -c "$conf" -d </dev/null >>"$dir/mosquitto.log" 2>&1; then
    printf '[setup] mosquitto did not start on 127.0.0.1:%s; see %s/mosquitto.log\n' "$port" "$dir" >&2
    return 1
  fi
  for i in $(seq 1 50); do
    mw_port_listening "$port" && break
    sleep 0.1
  done
  if ! mw_port_listening "$port"; then
    printf '[setup] mosquitto did not start listening on 127.0.0.1:%s; see %s/mosquitto.log\n' "$port" "$dir" >&2
    return 1
  fi
  printf '[setup] started mosquitto on 127.0.0.1:%s for worker presence (pid %s, data in %s; MQTT_LOCAL_BROKER=off or --no-local-broker to skip)\n' \
    "$port" "$(cat "$dir/mosquitto.pid" 2>/dev/null || echo '?')" "$dir" >&2
}

# mw_ensure_local_broker DATA_DIR [run args...]: the start_worker.sh step.
mw_ensure_local_broker() {
  local data="$1"
  shift
  mw_local_broker_wanted "$@" || return 0
  mw_local_broker_start "$data" "$(mw_setting MQTT_PORT 1883 --mqtt-port "$@")"
}

# mw_without_local_broker_flag [run args...]: the args minus --no-local-broker (the daemon does not know it).
mw_without_local_broker_flag() {
  local arg
  MW_RUN_ARGS=()
  for arg in "$@"; do
    [ "$arg" = "--no-local-broker" ] || MW_RUN_ARGS+=("$arg")
  done
}
