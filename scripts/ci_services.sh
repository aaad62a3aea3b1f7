#!/usr/bin/env bash
# Installs the tools some tests use when present: promtool (Debian package "prometheus") checks the
# agent's /metrics text. Idempotent and quiet; tests skip with a reason when a tool is missing.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ci_services: apt-get not found; promtool checks will be skipped" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ci_services: not root and no sudo; promtool checks will be skipped" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends prometheus; } >/tmp/ci_services.log 2>&1; then
  echo "ci_services: could not install prometheus (see /tmp/ci_services.log); promtool checks will be skipped" >&2
  exit 0
fi
# The package starts a Prometheus server where systemd runs; the tests need only the promtool binary.
$SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
