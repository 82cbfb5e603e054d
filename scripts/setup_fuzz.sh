#!/usr/bin/env bash
# The tools virtualenv, .venv-fuzz, with the pinned schemathesis (the fuzz job) and kubernetes-validate
# (scripts/validate_manifests.py), from requirements-fuzz.lock. Separate from .venv because schemathesis'
# hypothesis needs attrs >= 22.2 and kubernetes-validate jsonschema >= 4.18, and Rasa 3.6 pins older ones.
# Idempotent: reinstalls only when the lock file changes. Needs PyPI the first time and fails loudly if it
# cannot build the environment; only outside CI, FUZZ_SKIP_OFFLINE=1 turns that into a warning (and
# scripts/fuzz_gateway.py then prints that the fuzz job was skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-fuzz
say() { printf '\033[1m[setup-fuzz]\033[0m %s\n' "$*"; }
fail() {
  echo "[setup-fuzz] $*" >&2
  if [ "${FUZZ_SKIP_OFFLINE:-0}" = 1 ] && [ "${CI:-}" != true ]; then
    echo "[setup-fuzz] FUZZ_SKIP_OFFLINE=1: going on without $VENV (the fuzz job will be skipped)" >&2
    exit 0
  fi
  exit 1
}

find_python() {
  # The same interpreter as .venv when there is one (Python 3.10), else any python3.10 / python3 >= 3.9.
  local candidates=()
  [ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
  # The base interpreter, not .venv's own python: a venv made from a venv would point its home into .venv.
  [ -x .venv/bin/python ] && candidates+=("$(.venv/bin/python -c 'import os, sys; print(os.path.join(sys.base_prefix, "bin", "python3"))')")
  candidates+=(python3.10 python3)
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys, venv; assert sys.version_info >= (3, 9)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

lock_hash=$(sha256sum requirements-fuzz.lock | cut -c1-16)
if [ -x "$VENV/bin/st" ] && [ -x "$VENV/bin/kubernetes-validate" ] && [ "$(cat "$VENV/.lock-hash" 2>/dev/null)" = "$lock_hash" ]; then
  exit 0
fi
if ! PY=$(find_python); then
  fail "no Python >= 3.9 found for $VENV"
fi
say "creating $VENV with $PY (schemathesis, kubernetes-validate: requirements-fuzz.lock)"
rm -rf "$VENV"
"$PY" -m venv "$VENV"
if ! "$VENV/bin/python" -m pip install -q -r requirements-fuzz.lock; then
  rm -rf "$VENV"  # never leave a half-built environment that looks usable
  fail "could not install requirements-fuzz.lock (is PyPI reachable?)"
fi
echo "$lock_hash" > "$VENV/.lock-hash"
say "ready"
