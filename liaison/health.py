"""`/healthz/`: 200 when the database and the Celery broker answer, 503 when either does not.

Load balancers and monitoring call it without logging in, so it says only "ok" or which part failed.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not healthy", whatever the driver raised
        logger.exception("Health check: the database does not answer")
        return False


def broker_answers():
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    try:
        with Connection(settings.CELERY_BROKER_URL, transport_options=options, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.warning("Health check: the broker at %s does not answer", settings.CELERY_BROKER_URL.split("@")[-1])
        return False


@require_safe
@never_cache
@login_not_required
def healthz(request):
    checks = {"database": database_answers(), "broker": broker_answers()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", **{name: "ok" if up else "down" for name, up in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
