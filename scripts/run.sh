#!/usr/bin/env bash
# Set up and run the portal on SQLite with the filesystem broker: web server, Celery worker and beat.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export DEBUG=${DEBUG:-1}
PORT=${PORT:-8000}
PY=.venv/bin/python

$PY manage.py migrate --verbosity 0
$PY manage.py seed_demo

echo "==> Starting the Celery worker with beat (reminders)"
.venv/bin/celery -A liaison worker --beat --loglevel=INFO --concurrency=2 \
  --schedule var/celerybeat-schedule >var/celery.log 2>&1 &
CELERY_PID=$!
trap 'kill $CELERY_PID 2>/dev/null; wait $CELERY_PID 2>/dev/null' EXIT INT TERM

echo "==> Liaison is running at http://127.0.0.1:${PORT}/  (Celery log: var/celery.log; stop with Ctrl-C)"
$PY manage.py runserver "127.0.0.1:${PORT}"
