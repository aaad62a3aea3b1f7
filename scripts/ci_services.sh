#!/usr/bin/env bash
# Installs the tools and servers some tests use when present (tests skip with a reason when one is
# missing). Idempotent and quiet: a tool already on the machine is not reinstalled.
#   promtool (Debian package "prometheus"): checks the agent's /metrics text (tests/agent/)
#   PostgreSQL (Debian package "postgresql"): a throwaway cluster for the PostgreSQL store and server
#   tests (tests/inventory/postgres_store_test.ts, tests/server/postgres_*_test.ts). The cluster lives in
#   a temporary directory, runs as the unprivileged "postgres" user and listens on 127.0.0.1 and a socket
#   in that directory; this script prints "export TAPESYNC_TEST_PG_URL=..." and
#   "export TAPESYNC_TEST_PG_DIR=..." on stdout for the caller to eval, and
#   "scripts/ci_services.sh stop-postgres DIR" stops the cluster and removes the directory.
# Add a line "need COMMAND DEBIAN-PACKAGE" below for another tool.
set -uo pipefail

# Stop a cluster this script started and remove its directory (idempotent).
if [ "${1:-}" = "stop-postgres" ]; then
  dir="${2:-}"
  case "$dir" in /*/tapesync-pg.*) ;; *) echo "ci_services: refusing to remove \"$dir\"" >&2; exit 1 ;; esac
  if [ -f "$dir/data/postmaster.pid" ]; then
    pg_ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -n 1)
    if [ "$(id -u)" -eq 0 ]; then
      su postgres -s /bin/sh -c "$pg_ctl -D '$dir/data' -m immediate stop" >/dev/null 2>&1
    else
      "$pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
    fi
  fi
  rm -rf "$dir"
  exit 0
fi

missing=()
need() {
  command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}

need promtool prometheus
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)

install_missing() {
[ ${#missing[@]} -eq 0 ] && return 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci_services: apt-get not found; tests needing ${missing[*]} will skip" >&2
  return 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ci_services: not root and no sudo; tests needing ${missing[*]} will skip" >&2
    return 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "ci_services: could not install ${missing[*]} (log: $log); tests needing them will skip" >&2
  return 0
fi
rm -f "$log"
# The prometheus package starts a server where systemd runs; the tests need only promtool.
if [[ " ${missing[*]} " == *" prometheus "* ]]; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
# The postgresql package may start the distribution's cluster; the tests use their own.
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  $SUDO systemctl disable --now postgresql >/dev/null 2>&1 || true
fi
}
install_missing

# A throwaway PostgreSQL cluster: initdb into a temporary directory as the unprivileged "postgres" user
# (initdb refuses root), a free port on 127.0.0.1, trust authentication (loopback and socket only), and
# one database "tapesync_test". Skipped quietly when PostgreSQL is absent or a URL is given already.
start_postgres() {
  [ -n "${TAPESYNC_TEST_PG_URL:-}" ] && return 0
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1)
  if [ -z "$bin" ]; then
    echo "ci_services: PostgreSQL not installed; PostgreSQL tests will skip" >&2
    return 0
  fi
  local dir port run=()
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tapesync-pg.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "ci_services: no \"postgres\" user to run the cluster as; PostgreSQL tests will skip" >&2
      rm -rf "$dir"
      return 0
    fi
    chown postgres "$dir"
    run=(su postgres -s /bin/sh -c)
  else
    run=(sh -c)
  fi
  port=""
  for candidate in $(seq 25432 25532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
  done
  local log="$dir/setup.log"
  if ! "${run[@]}" "$bin/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$log' 2>&1 &&
    $bin/pg_ctl -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start >>'$log' 2>&1 &&
    $bin/createdb -h '$dir' -p $port -U postgres tapesync_test >>'$log' 2>&1"; then
    echo "ci_services: could not start a PostgreSQL cluster (log: $log); PostgreSQL tests will skip" >&2
    return 0
  fi
  echo "export TAPESYNC_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/tapesync_test"
  echo "export TAPESYNC_TEST_PG_DIR=$dir"
}
start_postgres
exit 0
