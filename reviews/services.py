"""Writes to reviews: start, save, submit, acknowledge, return; recommend practices of the library.

Every function is keyword-only, takes `actor` first, runs in one transaction and returns the object
saved. A move locks the review's row (core.lifecycle.lock) before its state is read, so two clicks or two
officials cannot both move it, then asks the table of reviews.lifecycle whether the state allows it and
whether the actor may take it (the predicates of reviews.access): a refused move raises a ValidationError
coded `invalid_move` or `not_allowed`, whose message says why, and changes nothing. Each step of the
round trip is recorded on the review's history (core.lifecycle.record).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import staff_of
from core.lifecycle import NOT_ALLOWED, lock, record, required_text
from notifications.services import notify
from notifications.texts import Text

from . import access
from .lifecycle import LIFECYCLE, Action, check_start
from .models import PracticeTopic, Recommendation, Review, ReviewEventKind
from .periods import active_cadences, writable_periods

MAX_PRACTICES = 30
TEXT_SECTIONS = {
    "lessons": gettext_lazy("Write the lessons learnt."),
    "measures": gettext_lazy("Describe the institutional measures set up."),
    "plan": gettext_lazy("Write the plan for the next period."),
}


def _lock(review):
    """The review's row, locked until the transaction ends, with what the checks and notices read."""
    return lock(review, "region", "cadence")


@transaction.atomic
def start_review(*, actor, region, cadence, period_label, today=None):
    """Start the draft review of `region` for a period it may write now (the one under way or the last)."""
    today = today or timezone.localdate()
    check_start(actor, region)
    periods = {
        (pair_cadence.pk, period.label): period for pair_cadence, period in writable_periods(active_cadences(), today=today)
    }
    period = periods.get((cadence.pk, period_label))
    if period is None:
        raise ValidationError(
            _("A %(kind)s review cannot be written for %(period)s now: choose the period under way or the last one.")
            % {"kind": cadence.name, "period": period_label},
            code="invalid_period",
        )
    existing = Review.objects.filter(region=region, cadence=cadence, period_label=period.label).first()
    if existing is not None:
        raise ValidationError(_duplicate_message(existing), code="duplicate")
    try:
        # A savepoint: a review started at the same moment by a colleague fails here alone.
        with transaction.atomic():
            return Review.objects.create(
                region=region,
                cadence=cadence,
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                created_by=actor,
            )
    except IntegrityError as error:
        existing = Review.objects.get(region=region, cadence=cadence, period_label=period.label)
        raise ValidationError(_duplicate_message(existing), code="duplicate") from error


def _duplicate_message(review):
    return _("%(region)s already has a %(kind)s review for %(period)s (%(status)s): open it rather than starting another.") % {
        "region": review.region.name,
        "kind": review.cadence.name,
        "period": review.period_label,
        "status": review.get_status_display(),
    }


@transaction.atomic
def save_review(*, actor, review, lessons, measures, plan, practices, removed=()):
    """Save a draft (or returned) review with its good practices.

    `practices` are the Practice instances to save (new ones without a pk) with title, description and
    topic set; `removed` are the ones the user deleted. Practices in neither (a colleague's, added since
    the page was opened) are left alone.
    """
    review = _lock(review)
    LIFECYCLE.check(review, Action.EDIT, actor)
    practices, removed = list(practices), [practice.pk for practice in removed if practice.pk is not None]
    own = set(review.practices.values_list("pk", flat=True))
    if any(pk not in own for pk in [*removed, *(practice.pk for practice in practices if practice.pk is not None)]):
        raise ValidationError(_("A practice of another review cannot be moved here."), code="not_allowed")
    if len(own - set(removed)) + sum(practice.pk is None for practice in practices) > MAX_PRACTICES:
        raise ValidationError(_("A review can list at most %(count)d practices.") % {"count": MAX_PRACTICES})
    for practice in practices:
        practice.title, practice.description = (practice.title or "").strip(), (practice.description or "").strip()
        if not practice.title or not practice.description:
            raise ValidationError({"practices": _("Give every practice a title and a description.")})
        if practice.topic not in PracticeTopic.values:
            raise ValidationError({"practices": _("Choose the topic of every practice.")})
    review.practices.filter(pk__in=removed).delete()
    for practice in practices:
        practice.review, practice.region_id = review, review.region_id
        practice.save()
    review.lessons, review.measures, review.plan = (lessons or "").strip(), (measures or "").strip(), (plan or "").strip()
    review.save(update_fields=["lessons", "measures", "plan", "updated_at"])
    return review


@transaction.atomic
def submit_review(*, actor, review):
    """Hand the review to the region above. It needs every text section and at least one practice."""
    review = _lock(review)
    status = LIFECYCLE.check(review, Action.SUBMIT, actor)
    missing = {field: message for field, message in TEXT_SECTIONS.items() if not getattr(review, field).strip()}
    if not review.practices.exists():
        missing["practices"] = _("List at least one good practice.")
    if missing:
        raise ValidationError(missing, code="incomplete")
    now = timezone.now()
    review.revision += 1
    review.status, review.submitted_at = status, now
    record(review, ReviewEventKind.SUBMITTED, actor)
    parent_id = review.region.parent_id
    if parent_id is None:
        # Nobody above the province to acknowledge its review: the portal does (actor None), at once.
        review.status = LIFECYCLE.check(review, Action.ACKNOWLEDGE, None)
        review.acknowledged_at, review.acknowledged_by = now, None
        record(review, ReviewEventKind.ACKNOWLEDGED, None)
    review.save(update_fields=["status", "revision", "submitted_at", "acknowledged_at", "acknowledged_by", "updated_at"])
    if parent_id is not None:
        _tell(
            staff_of([parent_id]),
            review,
            key=f"review-submitted:{review.pk}:{review.revision}",
            title=lambda values: Text(gettext_lazy("%(region)s submitted its %(kind)s review for %(period)s"), **values),
            body=lambda values: Text(gettext_lazy("Read it, then acknowledge it or return it with your comments.")),
        )
    return review


@transaction.atomic
def acknowledge_review(*, actor, review, comment=""):
    """The region above accepts the review; its good practices enter the practice library."""
    review = _lock(review)
    status = LIFECYCLE.check(review, Action.ACKNOWLEDGE, actor)
    comment = (comment or "").strip()
    review.status, review.acknowledged_at, review.acknowledged_by = status, timezone.now(), actor
    review.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    record(review, ReviewEventKind.ACKNOWLEDGED, actor, comment=comment)
    _tell(
        staff_of([review.region_id]),
        review,
        key=f"review-acknowledged:{review.pk}",
        title=lambda values: Text(gettext_lazy("Your %(kind)s review for %(period)s was acknowledged"), **values),
        body=lambda values: comment,
    )
    return review


@transaction.atomic
def return_review(*, actor, review, comment):
    """The region above sends the review back with comments; the region revises and submits it again."""
    review = _lock(review)
    status = LIFECYCLE.check(review, Action.RETURN, actor)
    comment = required_text(comment, _("Say what should be revised."), field="comment")
    review.status = status
    review.save(update_fields=["status", "updated_at"])
    record(review, ReviewEventKind.RETURNED, actor, comment=comment)
    _tell(
        staff_of([review.region_id]),
        review,
        key=f"review-returned:{review.pk}:{review.revision}",
        title=lambda values: Text(gettext_lazy("Your %(kind)s review for %(period)s was returned for revision"), **values),
        body=lambda values: comment,
    )
    return review


def _tell(recipients, review, *, key, title, body):
    # The words are stored as messages, put into each reader's language when read (notifications.texts).
    values = {"region": review.region.name, "kind": review.cadence.name, "period": review.period_label}
    notify(
        recipients=recipients,
        key=key,
        title=title(values),
        body=body(values),
        link=reverse("reviews:detail", args=[review.pk]),
    )


@transaction.atomic
def recommend_practice(*, actor, practice):
    """Recommend a practice of the library to the actor's region and every region below it."""
    LIFECYCLE.check(_lock(practice.review), Action.RECOMMEND, actor)
    if Recommendation.objects.filter(practice=practice, region_id=actor.region_id).exists():
        raise ValidationError(_("Your region already recommends this practice."), code="duplicate")
    try:
        with transaction.atomic():
            return Recommendation.objects.create(practice=practice, region_id=actor.region_id, recommended_by=actor)
    except IntegrityError as error:  # a colleague recommended it at the same moment
        raise ValidationError(_("Your region already recommends this practice."), code="duplicate") from error


@transaction.atomic
def unrecommend_practice(*, actor, practice):
    """Withdraw the actor's region's recommendation; other regions' recommendations stay."""
    if not access.can_withdraw_recommendation(actor):
        raise ValidationError(_("You cannot recommend practices."), code=NOT_ALLOWED)
    deleted, _rows = Recommendation.objects.filter(practice=practice, region_id=actor.region_id or "").delete()
    if not deleted:
        raise ValidationError(_("Your region does not recommend this practice."), code="not_recommended")
    return practice
