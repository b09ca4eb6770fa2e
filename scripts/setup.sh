#!/usr/bin/env bash
# Create the virtual environment, install the pinned requirements and compile the translations.
# Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi
if ! cmp -s requirements.txt .venv/.installed-requirements 2>/dev/null; then
  echo "==> Installing requirements"
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -r requirements.txt
  cp requirements.txt .venv/.installed-requirements
fi

# Django's compilemessages needs GNU gettext's msgfmt.
if ! command -v msgfmt >/dev/null 2>&1; then
  echo "==> Installing gettext (msgfmt)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq gettext >/dev/null
fi
mkdir -p var
# A development checkout runs in DEBUG mode, so plain `manage.py` commands work without a SECRET_KEY.
# Never in CI, and never over a .env someone wrote: production sets DEBUG=0 and its own SECRET_KEY.
if [ -z "${CI:-}" ] && [ ! -f .env ]; then
  printf '# Written by scripts/setup.sh for local development; see .env.example.\nDEBUG=1\n' > .env
fi
DEBUG=${DEBUG:-1} .venv/bin/python manage.py compilemessages --ignore=.venv --verbosity 0
