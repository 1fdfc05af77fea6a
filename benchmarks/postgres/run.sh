#!/usr/bin/env bash
# PostgreSQL store benchmark (issue 19): starts a throw-away PostgreSQL 15 (Debian's postgresql
# package; as the postgres user when run as root) on a free loopback port, with its default
# durability (fsync on), and runs `mediaworker bench` on it and on the SQLite store in the same run.
#   benchmarks/postgres/run.sh [extra bench flags, e.g. --jobs 20000 --claim-batch 256]
# MW_BASELINE=/path/to/older/publish adds the SQLite and PostgreSQL figures of that build for a side-by-side ratio.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
[ -n "${MW_SKIP_BUILD:-}" ] || ./start_worker.sh --build-only >/dev/null
bin=/usr/lib/postgresql/15/bin
work="$(mktemp -d /tmp/mw-pgbench-XXXXXX)"
as_server=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$work"
  as_server=(setpriv --reuid postgres --regid postgres --clear-groups --)
fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop() { "${as_server[@]}" "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap stop EXIT
"${as_server[@]}" "$bin/initdb" -D "$work/data" -U mw --auth=trust -E UTF8 --no-instructions >/dev/null
"${as_server[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100" start >/dev/null
"${as_server[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U mw -d postgres -qc "CREATE DATABASE bench" >/dev/null
url="postgresql://mw@127.0.0.1:$port/bench"

sqlite="$(./publish/mediaworker bench "$@")"
pg="$(./publish/mediaworker bench --database-url "$url" "$@")"
baseline=""
baseline_pg=""
if [ -n "${MW_BASELINE:-}" ]; then
  baseline="$("$MW_BASELINE/mediaworker" bench "$@")"
  baseline_pg="$("$MW_BASELINE/mediaworker" bench --database-url "$url" "$@")"
fi
{
  echo "## PostgreSQL store beside SQLite (mediaworker bench)"
  echo
  echo "Command: \`benchmarks/postgres/run.sh $*\`${MW_BASELINE:+ with MW_BASELINE (an older build, run on the same server)}, $(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on loopback (fsync on), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo '### SQLite (this build)'
  echo '```'
  echo "$sqlite"
  echo '```'
  if [ -n "$baseline" ]; then
    echo '### SQLite (baseline build)'
    echo '```'
    echo "$baseline"
    echo '```'
  fi
  echo '### PostgreSQL (this build)'
  echo '```'
  echo "$pg"
  echo '```'
  if [ -n "$baseline_pg" ]; then
    echo '### PostgreSQL (baseline build)'
    echo '```'
    echo "$baseline_pg"
    echo '```'
  fi
  # What a commit costs on this server (the WAL flush, fsync on) beside a bare round trip: the floor under every transaction above.
  echo '### This server: a round trip and a committed insert (pgbench, 3 s each, one client)'
  echo '```'
  echo 'SELECT 1;' >"$work/rt.sql"
  echo 'INSERT INTO pgbench_commit VALUES (1);' >"$work/commit.sql"
  "$bin/psql" -h 127.0.0.1 -p "$port" -U mw -d bench -qc "CREATE TABLE pgbench_commit (a int)" >/dev/null
  for script in rt commit; do
    echo "$script: $("$bin/pgbench" -h 127.0.0.1 -p "$port" -U mw -n -M prepared -T 3 -f "$work/$script.sql" bench 2>/dev/null | grep 'latency average')"
  done
  echo '```'
} | tee benchmarks/postgres/RESULTS.md
