"""The forums an enterprise attended and the opinions it raised, on the enterprise's timeline."""

from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.timeline import TimelineEvent

from .models import ForumAttendance, Opinion


def enterprise_events(enterprise):
    attendances = ForumAttendance.objects.filter(enterprise=enterprise, attended=True).select_related("forum__region__parent")
    for attendance in attendances:
        forum = attendance.forum
        yield TimelineEvent(
            forum.starts_date,
            "forum",
            _("%(name)s attended the forum “%(theme)s”") % {"name": attendance.entrepreneur_name, "theme": forum.theme},
            f"{forum.region.full_name} · {forum.venue}",
            reverse("forums:detail", args=[forum.pk]),
        )
    for opinion in Opinion.objects.filter(enterprise=enterprise).select_related("forum"):
        detail = opinion.text
        if opinion.problem_id:
            detail = _("%(text)s (on the problem list as #%(number)d)") % {"text": opinion.text, "number": opinion.problem_id}
        yield TimelineEvent(
            opinion.forum.starts_date,
            "forum-opinion",
            _("Raised an opinion at the forum “%(theme)s”") % {"theme": opinion.forum.theme},
            detail,
            reverse("forums:detail", args=[opinion.forum_id]),
        )
