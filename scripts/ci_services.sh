#!/usr/bin/env bash
# Installs the tools and servers some tests use when present (tests skip with a reason when one is
# missing). Idempotent and quiet: a tool already on the machine is not reinstalled.
#   promtool (Debian package "prometheus"): checks the agent's /metrics text (tests/agent/)
# Add a line "need COMMAND DEBIAN-PACKAGE" below for another tool.
set -uo pipefail

missing=()
need() {
  command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}

need promtool prometheus

[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci_services: apt-get not found; tests needing ${missing[*]} will skip" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ci_services: not root and no sudo; tests needing ${missing[*]} will skip" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "ci_services: could not install ${missing[*]} (log: $log); tests needing them will skip" >&2
  exit 0
fi
rm -f "$log"
# The prometheus package starts a server where systemd runs; the tests need only promtool.
if [[ " ${missing[*]} " == *" prometheus "* ]]; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
exit 0
