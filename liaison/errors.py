from django.shortcuts import render
from django.views import defaults

from core.security_log import scrubbed_text, security_event


def permission_denied(request, exception):
    """Django's 403 page (templates/403.html), with a line in the security log: a PermissionDenied raised
    anywhere (a role without the permission, a refused move) is a refusal worth knowing of."""
    reason = str(exception) if exception is not None else ""
    security_event(request, "permission_denied", **({"reason": scrubbed_text(reason)} if reason else {}))
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """A translated page instead of Django's technical one when a form's CSRF token is missing or stale."""
    # Django's reason names what failed ("CSRF token missing.", the foreign Origin), never the token itself.
    security_event(request, "csrf_failure", reason=scrubbed_text(reason))
    return render(request, "403_csrf.html", status=403)
