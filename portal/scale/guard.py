"""Telling generated rows from real ones, so the generator never mixes with a real database by accident.

Generated officials' usernames start with `PREFIX`; generated enterprises' organisation codes (characters
9 to 17 of the credit code) start with `register.MARK`, a letter; every other generated record is made or
led by a generated official. A finished run leaves a notification keyed `MARKER_KEY` to its administrator:
without it, generated officials mean an earlier run stopped half-way.
"""

from django.db.models import Q
from django.db.models.functions import Substr

from accounts.models import User
from cases.models import Case
from enterprises.models import Enterprise
from forums.models import Forum
from notifications.models import Notification
from problems.models import Problem
from reviews.models import Review
from visits.models import Policy, Visit

from .context import PREFIX
from .register import MARK

MARKER_KEY = "scale-data-generated"


def _not_generated(field):
    return ~Q(**{f"{field}__username__startswith": PREFIX}) | Q(**{f"{field}__isnull": True})


def foreign_data():
    """The kinds of records the database holds that the generator did not make (one EXISTS query each)."""
    checks = [
        User.objects.exclude(username__startswith=PREFIX),
        Enterprise.objects.annotate(mark=Substr("credit_code", 9, 1)).exclude(mark=MARK),
        Visit.objects.filter(_not_generated("cadre")),
        Problem.objects.filter(_not_generated("raised_by")),
        Forum.objects.filter(_not_generated("created_by")),
        Case.objects.filter(_not_generated("nominated_by")),
        Review.objects.filter(_not_generated("created_by")),
        Policy.objects.filter(_not_generated("created_by")),
    ]
    return [str(queryset.model._meta.verbose_name_plural) for queryset in checks if queryset.exists()]


def generated_state():
    """ "absent", "complete" (a finished run's marker is there) or "partial" (generated officials, no marker)."""
    if not User.objects.filter(username=f"{PREFIX}admin").exists():
        return "absent"
    if Notification.objects.filter(key=MARKER_KEY, recipient__username=f"{PREFIX}admin").exists():
        return "complete"
    return "partial"
