#!/usr/bin/env bash
# Django's deployment checks with the production variables of the README ("Production"): DEBUG off, a long
# random SECRET_KEY, the host names, behind a proxy that terminates HTTPS. Any warning fails. scripts/test.sh
# runs it, and so does tests/test_security_headers.py. PYTHON names the interpreter (default: the venv's).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}

# The test suite's own switches (scripts/test.sh) are not production's: the check runs without them.
unset DJANGO_ALLOW_ASYNC_UNSAFE
SECRET_KEY=$($PY -c "import secrets; print(secrets.token_urlsafe(50))") \
DEBUG=0 \
ALLOWED_HOSTS=liaison.example.gov.cn \
CSRF_TRUSTED_ORIGINS=https://liaison.example.gov.cn \
BEHIND_HTTPS_PROXY=1 \
AXES_PROXY_COUNT=1 \
  $PY manage.py check --deploy --fail-level WARNING
