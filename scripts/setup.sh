#!/usr/bin/env bash
# One-time (and idempotent) set-up of a fresh machine: Debian packages, Python 3.10 venv with the pinned
# dependencies (runtime; with WITH_DEV=1 also the development tools), npm test assets and local secrets.
# Safe to run again: each step is skipped when its result is already there and up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
DATA_DIR=${DATA_DIR:-var}
WITH_BROWSER=${WITH_BROWSER:-0}   # 1: also install Chromium for the browser tests
# 1: also the development and test tools (requirements-dev.lock: pytest, ruff, Playwright); on by default when
# the browser tests are set up. `make run` (and the container images) need the runtime lock only.
WITH_DEV=${WITH_DEV:-$WITH_BROWSER}

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- Python 3.10 (Rasa 3.6 supports 3.8-3.10 only) -------------------------------------------
find_python310() {
  local candidates=()
  [ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
  command -v pyenv >/dev/null 2>&1 && for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    candidates+=("$(pyenv root)/versions/$v/bin/python3.10")
  done
  candidates+=(python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

# --- Debian packages -----------------------------------------------------------------------
debian_packages=(libvoikko1 voikko-fi)
[ "$WITH_BROWSER" = 1 ] && debian_packages+=(chromium fonts-dejavu-core)
missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# --- virtual environment with pinned dependencies ---------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  if ! PY=$(find_python310); then
    cat >&2 <<'MSG'
No Python 3.10 found. Rasa Open Source 3.6 runs on Python 3.8-3.10 only.
Install one, for example:
  pyenv install 3.10.13            (then run this again; pyenv versions are found automatically)
  sudo apt-get install python3.10 python3.10-venv   (distributions that package it)
or point PYTHON310=/path/to/python3.10 at an existing interpreter.
MSG
    exit 1
  fi
  say "creating $VENV with $PY"
  "$PY" -m venv "$VENV"
fi
# A changed lock reinstalls: .lock-hash is the runtime lock's hash, .lock-hash-dev that of both locks.
lock_hash=$(sha256sum requirements.lock | cut -c1-16)
if [ "$(cat "$VENV/.lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
  say "installing pinned Python dependencies (first time: about 5 minutes, 3 GB)"
  "$VENV/bin/python" -m pip install -q --upgrade pip==24.2
  "$VENV/bin/python" -m pip install -q -r requirements.lock
  echo "$lock_hash" > "$VENV/.lock-hash"
  rm -f "$VENV/.lock-hash-dev"  # the tools are checked against the new runtime pins again
fi
if [ "$WITH_DEV" = 1 ]; then
  dev_hash=$(cat requirements.lock requirements-dev.lock | sha256sum | cut -c1-16)
  if [ "$(cat "$VENV/.lock-hash-dev" 2>/dev/null)" != "$dev_hash" ]; then
    say "installing pinned development and test tools (requirements-dev.lock)"
    "$VENV/bin/python" -m pip install -q -r requirements.lock -r requirements-dev.lock
    echo "$dev_hash" > "$VENV/.lock-hash-dev"
  fi
fi

# --- npm test assets (axe-core for the accessibility scan) -----------------------------------
if [ "$WITH_BROWSER" = 1 ] && [ -f package.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    say "installing npm test assets"
    npm ci --silent --no-audit --no-fund
  fi
fi

# --- local data folder and secrets (never committed) -----------------------------------------
mkdir -p "$DATA_DIR/logs"
chmod 700 "$DATA_DIR" "$DATA_DIR/logs"
# One secret per trust boundary: worker tokens, action server -> gateway, gateway -> Rasa, Rasa -> action
# server, the MAC key of conversation ids. A key missing from an older secrets.env is added; existing keys are never changed.
umask 077
touch "$DATA_DIR/secrets.env"
chmod 600 "$DATA_DIR/secrets.env"
for key in JWT_SECRET ACTION_SERVICE_TOKEN RASA_TOKEN ACTION_SERVER_SECRET CONVERSATION_KEY; do
  if ! grep -q "^$key=" "$DATA_DIR/secrets.env"; then
    say "generating $key in $DATA_DIR/secrets.env"
    echo "$key=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))')" >> "$DATA_DIR/secrets.env"
  fi
done
say "ready"
