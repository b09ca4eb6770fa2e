"""Visits and policies delivered on an enterprise's timeline. A voided visit is no visit there: it shows as
the voiding, on the day it was voided, with its reason and a link to the visit as it was."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.timeline import TimelineEvent

from .models import PolicyDelivery, Visit, VisitStatus


def enterprise_events(enterprise):
    visits = Visit.objects.submitted().filter(enterprise=enterprise).select_related("cadre")
    for visit in visits.prefetch_related("policies_explained"):
        explained = "、".join(policy.title for policy in visit.policies_explained.all())
        yield TimelineEvent(
            visit.visited_on,
            "visit",
            _("%(name)s visited (%(mode)s)") % {"name": visit.cadre.display_name, "mode": visit.get_mode_display()},
            " · ".join(
                filter(
                    None, [visit.purpose, _("Policies explained: %(policies)s") % {"policies": explained} if explained else ""]
                )
            ),
            reverse("visits:detail", args=[visit.pk]),
        )
    voided = Visit.objects.filter(enterprise=enterprise, status=VisitStatus.VOIDED).select_related("cadre")
    for visit in voided:
        yield TimelineEvent(
            timezone.localdate(visit.voided_at),
            "visit-voided",
            _("The visit of %(date)s by %(name)s was voided")
            % {"date": visit.visited_on.isoformat(), "name": visit.cadre.display_name},
            _("Reason: %(reason)s") % {"reason": visit.void_reason},
            reverse("visits:detail", args=[visit.pk]),
        )
    deliveries = PolicyDelivery.objects.filter(enterprise=enterprise, visit__status=VisitStatus.SUBMITTED)
    for delivery in deliveries.select_related("policy", "visit"):
        amount = _("%(amount)s (10,000 yuan)") % {"amount": delivery.amount} if delivery.amount else ""
        yield TimelineEvent(
            delivery.visit.visited_on,
            "policy-delivered",
            _("Obtained %(support)s under %(policy)s")
            % {"support": delivery.get_support_type_display(), "policy": delivery.policy.title},
            amount,
            reverse("visits:detail", args=[delivery.visit_id]),
        )
