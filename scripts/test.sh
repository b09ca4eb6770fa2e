#!/usr/bin/env bash
# Set up and run the whole test suite: ruff, djLint, Django's checks, missing migrations, then pytest
# (unit, view, URL-policy, Celery-worker and browser tests). Uses DATABASE_URL and REDIS_URL when set
# (CI sets both to PostgreSQL and Redis), SQLite and the filesystem broker otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Browser tests drive Debian's Chromium; no browser is ever downloaded.
if [ ! -x /usr/bin/chromium ]; then
  echo "==> Installing Debian's Chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

export SECRET_KEY=${SECRET_KEY:-test-only-secret-key}
export DJANGO_ALLOW_ASYNC_UNSAFE=true
PY=.venv/bin/python

echo "==> ruff"
.venv/bin/ruff check .
echo "==> djLint (templates: formatted to 120 columns, linted; .djlintrc)"
.venv/bin/djlint templates --check --quiet
.venv/bin/djlint templates --lint --quiet
echo "==> manage.py check"
$PY manage.py check
echo "==> manage.py check --deploy (the README's production variables; any warning fails)"
PYTHON=$PY bash scripts/deploy_check.sh
echo "==> makemigrations --check"
$PY manage.py makemigrations --check --dry-run
echo "==> pytest"
.venv/bin/pytest "$@"
