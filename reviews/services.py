"""Writes to reviews: start, save, submit, acknowledge, return; recommend practices of the library.

Every function is keyword-only, takes `actor` first, runs in one transaction and returns the object
saved. A refused move raises a ValidationError whose message says why, and changes nothing. The review
is locked (select_for_update) before its state is read, so two clicks or two officials cannot both
move it.

Who may do what, beyond the role's permission:
- the region's own staff start, edit and submit its review;
- the staff of the region directly above acknowledge it or return it with comments;
- a region with nobody above (the province) has its review acknowledged when it is submitted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.services import staff_of
from notifications.services import notify

from .models import (
    OPEN_STATES,
    Practice,
    PracticeTopic,
    Recommendation,
    Review,
    ReviewEvent,
    ReviewEventKind,
    ReviewStatus,
)
from .periods import active_cadences, writable_periods

MAX_PRACTICES = 30
TEXT_SECTIONS = {
    "lessons": gettext_lazy("Write the lessons learnt."),
    "measures": gettext_lazy("Describe the institutional measures set up."),
    "plan": gettext_lazy("Write the plan for the next period."),
}


def _require(actor, permission, message):
    if not actor.has_perm(permission):
        raise ValidationError(message, code="not_allowed")


def _check_own_region(actor, region):
    if actor.region_id is None or actor.region_id != region.pk:
        raise ValidationError(
            _("Only the staff of %(region)s can write its review.") % {"region": region.name}, code="not_allowed"
        )


def can_edit(user, review):
    """Whether the review's page offers `user` to edit and submit it (the services check it again)."""
    return review.is_editable and user.region_id == review.region_id and user.has_perm("reviews.change_review")


def can_decide(user, review):
    """Whether the review's page offers `user` to acknowledge or return it."""
    return (
        review.status == ReviewStatus.SUBMITTED
        and review.region.parent_id is not None
        and user.region_id == review.region.parent_id
        and user.has_perm("reviews.acknowledge_reviews")
    )


def _locked(review):
    """The review's row, locked until the transaction ends, with what the checks read."""
    return Review.objects.select_for_update(of=("self",)).select_related("region", "cadence").get(pk=review.pk)


@transaction.atomic
def start_review(*, actor, region, cadence, period_label, today=None):
    """Start the draft review of `region` for a period it may write now (the one under way or the last)."""
    today = today or timezone.localdate()
    _require(actor, "reviews.add_review", _("You cannot write reviews."))
    _check_own_region(actor, region)
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


def _editable(actor, review):
    _require(actor, "reviews.change_review", _("You cannot write reviews."))
    review = _locked(review)
    _check_own_region(actor, review.region)
    if review.status not in OPEN_STATES:
        raise ValidationError(
            _("A review that is %(status)s can no longer be changed.") % {"status": review.get_status_display().lower()},
            code="invalid_state",
        )
    return review


@transaction.atomic
def save_review(*, actor, review, lessons, measures, plan, practices, removed=()):
    """Save a draft (or returned) review with its good practices.

    `practices` are the Practice instances to save (new ones without a pk) with title, description and
    topic set; `removed` are the ones the user deleted. Practices in neither (a colleague's, added since
    the page was opened) are left alone.
    """
    review = _editable(actor, review)
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
    review = _editable(actor, review)
    missing = {field: message for field, message in TEXT_SECTIONS.items() if not getattr(review, field).strip()}
    if not review.practices.exists():
        missing["practices"] = _("List at least one good practice.")
    if missing:
        raise ValidationError(missing, code="incomplete")
    now = timezone.now()
    review.revision += 1
    review.submitted_at = now
    ReviewEvent.objects.create(review=review, kind=ReviewEventKind.SUBMITTED, actor=actor)
    parent_id = review.region.parent_id
    if parent_id is None:
        # Nobody above the province to acknowledge its review: handing it in is the last step.
        review.status, review.acknowledged_at, review.acknowledged_by = ReviewStatus.ACKNOWLEDGED, now, None
        ReviewEvent.objects.create(review=review, kind=ReviewEventKind.ACKNOWLEDGED)
    else:
        review.status = ReviewStatus.SUBMITTED
    review.save(update_fields=["status", "revision", "submitted_at", "acknowledged_at", "acknowledged_by", "updated_at"])
    if parent_id is not None:
        _tell(
            staff_of([parent_id]),
            review,
            key=f"review-submitted:{review.pk}:{review.revision}",
            title=lambda values: _("%(region)s submitted its %(kind)s review for %(period)s") % values,
            body=lambda values: _("Read it, then acknowledge it or return it with your comments."),
        )
    return review


def _decidable(actor, review):
    _require(actor, "reviews.acknowledge_reviews", _("You cannot acknowledge or return reviews."))
    review = _locked(review)
    if actor.region_id == review.region_id:
        raise ValidationError(
            _("A region cannot acknowledge or return its own review: the region above does."), code="not_allowed"
        )
    if review.region.parent_id is None or actor.region_id != review.region.parent_id:
        raise ValidationError(
            _("Only the staff of the region directly above %(region)s can acknowledge or return its review.")
            % {"region": review.region.name},
            code="not_allowed",
        )
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted review can be acknowledged or returned; this one is %(status)s.")
            % {"status": review.get_status_display().lower()},
            code="invalid_state",
        )
    return review


@transaction.atomic
def acknowledge_review(*, actor, review, comment=""):
    """The region above accepts the review; its good practices enter the practice library."""
    review = _decidable(actor, review)
    comment = (comment or "").strip()
    review.status, review.acknowledged_at, review.acknowledged_by = ReviewStatus.ACKNOWLEDGED, timezone.now(), actor
    review.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    ReviewEvent.objects.create(review=review, kind=ReviewEventKind.ACKNOWLEDGED, actor=actor, comment=comment)
    _tell(
        staff_of([review.region_id]),
        review,
        key=f"review-acknowledged:{review.pk}",
        title=lambda values: _("Your %(kind)s review for %(period)s was acknowledged") % values,
        body=lambda values: comment,
    )
    return review


@transaction.atomic
def return_review(*, actor, review, comment):
    """The region above sends the review back with comments; the region revises and submits it again."""
    review = _decidable(actor, review)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should be revised.")})
    review.status = ReviewStatus.RETURNED
    review.save(update_fields=["status", "updated_at"])
    ReviewEvent.objects.create(review=review, kind=ReviewEventKind.RETURNED, actor=actor, comment=comment)
    _tell(
        staff_of([review.region_id]),
        review,
        key=f"review-returned:{review.pk}:{review.revision}",
        title=lambda values: _("Your %(kind)s review for %(period)s was returned for revision") % values,
        body=lambda values: comment,
    )
    return review


def _tell(recipients, review, *, key, title, body):
    # A notification's text is stored, not translated when read: write it in the portal's language.
    with override(settings.LANGUAGE_CODE):
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
    _require(actor, "reviews.recommend_practices", _("You cannot recommend practices."))
    if actor.region_id is None:
        raise ValidationError(_("Only an official with a region can recommend practices."), code="not_allowed")
    if not Practice.objects.in_library().filter(pk=practice.pk).exists():
        raise ValidationError(_("Only practices of acknowledged reviews can be recommended."), code="invalid_state")
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
    _require(actor, "reviews.recommend_practices", _("You cannot recommend practices."))
    deleted, _rows = Recommendation.objects.filter(practice=practice, region_id=actor.region_id or "").delete()
    if not deleted:
        raise ValidationError(_("Your region does not recommend this practice."), code="invalid_state")
    return practice
