from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A translated page instead of Django's technical one when a form's CSRF token is missing or stale."""
    return render(request, "403_csrf.html", status=403)
