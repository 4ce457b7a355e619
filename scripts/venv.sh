#!/usr/bin/env bash
# Create .venv and install the locked dependencies; reinstall only when the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo ">> Creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.lock.installed
if [[ ! -f $stamp ]] || ! cmp -s requirements.lock "$stamp"; then
  echo ">> Installing locked dependencies (requirements.lock)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.lock
  cp requirements.lock "$stamp"
fi
