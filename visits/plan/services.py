"""Keeping each liaison's `last_visit_on` and `next_due_on` true, so the due-visit plan is read from indexes.

Every write that can move a due date calls one of these: a visit submitted (visits.services.save_visit), a
liaison started (enterprises.services.assign_liaison and the admin, through visits/liaisons.py) or ended (which clears
`next_due_on` itself), a cadence rule changed (the admin, through `cadence_changed`). A bulk loader (an
import written with bulk inserts, the scale data generator) calls `refresh_due_dates()` when it is done.
Each is one or two UPDATE statements, whatever the number of rows.
"""

from datetime import date

from django.db import transaction
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf

from enterprises.models import LiaisonAssignment

from ..models import Visit, VisitStatus
from .cadence import AddMonths, cadence_rules, interval_months_by_level

# Below every real visit date: lets GREATEST skip a missing lead or companion visit on SQLite as on PostgreSQL.
NEVER = date(1, 1, 1)


def last_visit_expression():
    """The cadre's last submitted visit to the enterprise since the liaison started, led or accompanied (an
    expression on an assignment): two correlated subqueries, served by the (cadre, enterprise, -visited_on)
    and (enterprise, -visited_on) indexes of visits."""
    since_start = Visit.objects.filter(
        status=VisitStatus.SUBMITTED, enterprise=OuterRef("enterprise_id"), visited_on__gte=OuterRef("started_on")
    ).order_by("-visited_on")
    led = since_start.filter(cadre=OuterRef("official_id")).values("visited_on")[:1]
    accompanied = since_start.filter(companions=OuterRef("official_id")).values("visited_on")[:1]
    return NullIf(Greatest(Coalesce(Subquery(led), Value(NEVER)), Coalesce(Subquery(accompanied), Value(NEVER))), Value(NEVER))


def next_due_expression(rules):
    """An interval of the level's rule after the last visit, or after the start; nothing once the liaison ended."""
    return Case(
        When(ended_on__isnull=False, then=Value(None)),
        default=AddMonths(Coalesce(F("last_visit_on"), F("started_on")), interval_months_by_level(rules)),
    )


@transaction.atomic
def refresh_due_dates(assignments=None):
    """Recompute `last_visit_on` and `next_due_on` of `assignments` (a queryset; every liaison by default).

    Two UPDATE statements and the rules' query, whatever the number of rows: the data migration's backfill,
    and what a bulk loader calls after it has written liaisons or visits without the services.
    """
    assignments = LiaisonAssignment.objects.all() if assignments is None else assignments
    assignments.update(last_visit_on=last_visit_expression())
    return assignments.update(next_due_on=next_due_expression(cadence_rules()))


def refresh_visited(*, enterprise_id, official_ids):
    """After a visit to `enterprise_id` was submitted, changed or removed: the liaisons of its officials."""
    official_ids = {official_id for official_id in official_ids if official_id is not None}
    if official_ids:
        refresh_due_dates(LiaisonAssignment.objects.filter(enterprise_id=enterprise_id, official_id__in=official_ids))


def officials_on(visit):
    """The ids of the visit's lead cadre and companions, as saved."""
    return {visit.cadre_id, *visit.companions.values_list("pk", flat=True)}


def refresh_visit(visit, *, former_official_ids=()):
    """Keep the due dates of everyone on `visit` (its lead cadre and companions, and any official it named
    before a change, as the admin may make) true: two statements, plus one to read its companions."""
    refresh_visited(enterprise_id=visit.enterprise_id, official_ids=officials_on(visit) | set(former_official_ids))


@transaction.atomic
def cadence_changed(*, levels=None):
    """A cadence rule was saved or deleted: every current liaison of its level(s) (all by default) gets its
    next due date from it, in one UPDATE that rewrites only the rows whose date moves (a changed due-soon
    window moves none: the states follow at the next read). Returns the number of liaisons rewritten.
    """
    current = LiaisonAssignment.objects.filter(ended_on__isnull=True)
    if levels is not None:
        current = current.filter(level__in=levels)
    next_due_on = next_due_expression(cadence_rules())
    return current.exclude(next_due_on=next_due_on).update(next_due_on=next_due_on)


def liaison_saved(assignment):
    """Set the due dates of a liaison just started or changed (a start may be back-dated past visits made)."""
    refresh_due_dates(LiaisonAssignment.objects.filter(pk=assignment.pk))
    assignment.refresh_from_db(fields=["last_visit_on", "next_due_on"])
