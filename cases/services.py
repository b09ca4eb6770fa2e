"""Writes to model cases: nominate, edit, resubmit, review, record consent, publish, withdraw, publicity
and photos.

Every function is keyword-only, takes `actor` first, runs in one transaction and returns the object
saved. A refused move raises a ValidationError whose message says why, and changes nothing. Moves that
change the state lock the case's row first, so two reviewers acting at once cannot both move it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core.attachments import check_attachment
from forums.models import Forum
from notifications.services import notify
from problems.models import Outcome, Problem, ProblemStatus
from visits.models import Visit, VisitStatus

from .models import (
    CONSENT_STATES,
    EDITABLE_STATES,
    Case,
    CaseEvent,
    CasePhoto,
    CaseQuality,
    CaseStatus,
    EventKind,
    Publicity,
    Quality,
    Subject,
)

MAX_PHOTOS = 12


# ---------------------------------------------------------------------------------------------------
# Who may do what. Views use these to offer actions; the services use them to refuse.


def sees(user, case):
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def may_edit(user, case):
    """The nominator, or staff who may change cases, while the nomination is open to changes."""
    if case.status not in EDITABLE_STATES:
        return False
    return case.nominated_by_id == user.pk or user.has_perm("cases.change_case")


def may_review(user, case):
    """Staff of the case's region or a region above it (the fence), never the nominator."""
    return user.has_perm("cases.review_cases") and case.nominated_by_id != user.pk


def may_record_consent(user, case):
    return case.status in CONSENT_STATES and (case.nominated_by_id == user.pk or user.has_perm("cases.change_case"))


def may_publish(user):
    return user.has_perm("cases.publish_cases")


def solved_problems(enterprise):
    """Problems of the enterprise that ended in a solution (awaiting or given the enterprise's verdict)."""
    return Problem.objects.filter(
        enterprise=enterprise, outcome=Outcome.SOLVED, status__in=[ProblemStatus.SOLVED, ProblemStatus.CLOSED]
    )


def evidence_visits(enterprise):
    return Visit.objects.filter(enterprise=enterprise, status=VisitStatus.SUBMITTED)


def evidence_forums(enterprise):
    """Forums the enterprise attended (an attendance marked as present)."""
    return Forum.objects.filter(attendances__enterprise=enterprise, attendances__attended=True).distinct()


def reviewers_of(case):
    """Active united-front staff who may review the case: of its region or a region above it."""
    regions = [case.region_id, *case.region.ancestors().values_list("code", flat=True)]
    return (
        User.objects.active()
        .with_role(Role.STAFF)
        .filter(region_id__in=regions)
        .exclude(pk=case.nominated_by_id)
        .order_by("pk")
        .distinct()
    )


# ---------------------------------------------------------------------------------------------------
# Checks shared by the moves.


def _lock(case):
    # Lock the row, so two officials acting at once cannot both move the case from the same state.
    return Case.objects.select_for_update(of=("self",)).select_related("region", "enterprise").get(pk=case.pk)


def _record(case, kind, actor, note=""):
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, status=case.status, note=note)


def _required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _refuse_state(case, allowed, message):
    """Refuse a move the case's state does not allow; `message` is a whole sentence naming the move,
    with a %(status)s placeholder, so that every language can order its words."""
    if case.status not in allowed:
        raise ValidationError(message % {"status": case.get_status_display()}, code="wrong_state")


def _check_visible(actor, case):
    if not sees(actor, case):
        raise ValidationError(_("This case is outside your region."), code="not_allowed")


def _clean_qualities(qualities):
    chosen = [quality for quality in Quality.values if quality in set(qualities or ())]
    if not chosen:
        raise ValidationError({"qualities": _("Choose at least one quality the case exemplifies.")})
    return chosen


def _clean_subject(subject, entrepreneur_name):
    if subject not in Subject.values:
        raise ValidationError({"subject": _("Say whether the case is about the enterprise, its entrepreneur or both.")})
    if subject != Subject.ENTERPRISE and not (entrepreneur_name or "").strip():
        raise ValidationError({"entrepreneur_name": _("Name the entrepreneur the case is about.")})


def _check_evidence(enterprise, visits, forums, problems):
    """Evidence must come from the enterprise's own records: its submitted visits, the forums it attended
    and its solved problems."""
    visits, forums, problems = list(visits or ()), list(forums or ()), list(problems or ())
    errors = {}
    allowed = set(evidence_visits(enterprise).filter(pk__in=[v.pk for v in visits]).values_list("pk", flat=True))
    if any(visit.pk not in allowed for visit in visits):
        errors["evidence_visits"] = _("Choose only submitted visits to this enterprise.")
    allowed = set(evidence_forums(enterprise).filter(pk__in=[f.pk for f in forums]).values_list("pk", flat=True))
    if any(forum.pk not in allowed for forum in forums):
        errors["evidence_forums"] = _("Choose only forums this enterprise attended.")
    allowed = set(solved_problems(enterprise).filter(pk__in=[p.pk for p in problems]).values_list("pk", flat=True))
    if any(problem.pk not in allowed for problem in problems):
        errors["evidence_problems"] = _("Choose only problems of this enterprise that were solved.")
    if errors:
        raise ValidationError(errors)
    return visits, forums, problems


def _check_photos(photos, already=0):
    photos = list(photos or ())
    if already + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("A case may have at most %(count)d photos.") % {"count": MAX_PHOTOS}})
    checked, errors = [], []
    for uploaded in photos:
        try:
            content_type = check_attachment(uploaded)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if not content_type.startswith("image/"):
            errors.append(_("%(name)s is not a photo: only JPG, PNG and WebP images can be added.") % {"name": uploaded.name})
            continue
        checked.append((uploaded, content_type))
    if errors:
        raise ValidationError({"photos": errors})
    return checked


def _save_photos(case, checked, actor, caption=""):
    for uploaded, content_type in checked:
        CasePhoto.objects.create(
            case=case,
            caption=(caption or "").strip()[:200],
            file=uploaded,
            original_name=uploaded.name[:200],
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )


def _set_qualities(case, qualities):
    CaseQuality.objects.filter(case=case).exclude(quality__in=qualities).delete()
    existing = set(CaseQuality.objects.filter(case=case).values_list("quality", flat=True))
    CaseQuality.objects.bulk_create(CaseQuality(case=case, quality=quality) for quality in qualities if quality not in existing)


def _set_evidence(case, visits, forums, problems):
    case.evidence_visits.set(visits)
    case.evidence_forums.set(forums)
    case.evidence_problems.set(problems)


def _case_link(case):
    return reverse("cases:detail", kwargs={"pk": case.pk})


def _notify_reviewers(case):
    def send():
        notify(
            recipients=reviewers_of(case),
            key=f"case-{case.pk}-submitted-{case.submission_round}",
            title=_("Model case to review: %(title)s") % {"title": case.title},
            body=_("%(name)s nominated %(enterprise)s as a model case.")
            % {"name": case.nominated_by.display_name, "enterprise": case.enterprise.name},
            link=_case_link(case),
        )

    transaction.on_commit(send, robust=True)


def _notify_nominator(case, kind):
    def send():
        notify(
            recipients=[case.nominated_by],
            key=f"case-{case.pk}-{kind}-{case.submission_round}",
            title=_("Your model case “%(title)s”: %(status)s") % {"title": case.title, "status": case.get_status_display()},
            body=case.rejection_reason or case.review_comment,
            link=_case_link(case),
        )

    transaction.on_commit(send, robust=True)


# ---------------------------------------------------------------------------------------------------
# The moves.


@transaction.atomic
def nominate(
    *,
    actor,
    enterprise,
    title,
    story,
    qualities,
    subject=Subject.BOTH,
    entrepreneur_name="",
    entrepreneur_title="",
    achievements="",
    nomination_note="",
    evidence_visits=(),
    evidence_forums=(),
    evidence_problems=(),
    source_problem=None,
    photos=(),
    consent_given=False,
    consent_on=None,
    consent_by="",
    consent_note="",
):
    """Nominate an enterprise (and/or its entrepreneur) of the actor's region as a model case."""
    if not actor.has_perm("cases.add_case"):
        raise ValidationError(_("You cannot nominate model cases."), code="not_allowed")
    if actor.region_id is None:
        raise ValidationError(_("Only an official of a region can nominate a model case."), code="not_allowed")
    from enterprises.models import Enterprise

    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ValidationError(_("This enterprise is outside your region."), code="not_allowed")
    title = _required(title, "title", _("Give the case a headline."))
    story = _required(story, "story", _("Tell the case's story."))
    qualities = _clean_qualities(qualities)
    _clean_subject(subject, entrepreneur_name)
    if source_problem is not None:
        if not solved_problems(enterprise).filter(pk=source_problem.pk).exists():
            raise ValidationError(_("A case can be nominated only from a solved problem of the same enterprise."))
        evidence_problems = {*evidence_problems, source_problem}
    visits, forums, problems = _check_evidence(enterprise, evidence_visits, evidence_forums, evidence_problems)
    consent = _clean_consent(consent_given, consent_on, consent_by, consent_note)
    checked = _check_photos(photos)
    case = Case.objects.create(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        subject=subject,
        entrepreneur_name=(entrepreneur_name or "").strip() if subject != Subject.ENTERPRISE else "",
        entrepreneur_title=(entrepreneur_title or "").strip() if subject != Subject.ENTERPRISE else "",
        title=title,
        story=story,
        achievements=(achievements or "").strip(),
        nomination_note=(nomination_note or "").strip(),
        source_problem=source_problem,
        nominated_by=actor,
        nominating_region_id=actor.region_id,
        **consent,
    )
    _set_qualities(case, qualities)
    _set_evidence(case, visits, forums, problems)
    _save_photos(case, checked, actor)
    _record(case, EventKind.NOMINATED, actor, note=case.nomination_note)
    _notify_reviewers(case)
    return case


def _clean_consent(consent_given, consent_on, consent_by, consent_note=""):
    """The consent fields to save: all empty without consent, all checked with it."""
    if not consent_given:
        return {"consent_given": False, "consent_on": None, "consent_by": "", "consent_note": ""}
    errors = {}
    if consent_on is None:
        errors["consent_on"] = _("Give the date the enterprise consented.")
    elif consent_on > timezone.localdate():
        errors["consent_on"] = _("The date of consent cannot be in the future.")
    if not (consent_by or "").strip():
        errors["consent_by"] = _("Name who consented for the enterprise.")
    if errors:
        raise ValidationError(errors)
    return {
        "consent_given": True,
        "consent_on": consent_on,
        "consent_by": consent_by.strip(),
        "consent_note": (consent_note or "").strip(),
    }


@transaction.atomic
def update_case(
    *,
    actor,
    case,
    title,
    story,
    qualities,
    subject,
    entrepreneur_name="",
    entrepreneur_title="",
    achievements="",
    nomination_note="",
    evidence_visits=(),
    evidence_forums=(),
    evidence_problems=(),
    photos=(),
):
    """Change a nomination that is waiting for review or was returned (the state stays as it is)."""
    case = _lock(case)
    _check_visible(actor, case)
    _refuse_state(case, EDITABLE_STATES, _("This case cannot be changed now: it is “%(status)s”."))
    if not may_edit(actor, case):
        raise ValidationError(_("Only the nominator or the united-front staff can change this case."), code="not_allowed")
    title = _required(title, "title", _("Give the case a headline."))
    story = _required(story, "story", _("Tell the case's story."))
    qualities = _clean_qualities(qualities)
    _clean_subject(subject, entrepreneur_name)
    visits, forums, problems = _check_evidence(case.enterprise, evidence_visits, evidence_forums, evidence_problems)
    # The problem it was nominated from stays linked, even if it was reopened since.
    if case.source_problem_id and case.source_problem not in problems:
        problems = [*problems, case.source_problem]
    checked = _check_photos(photos, already=case.photos.count())
    case.title, case.story, case.subject = title, story, subject
    case.entrepreneur_name = (entrepreneur_name or "").strip() if subject != Subject.ENTERPRISE else ""
    case.entrepreneur_title = (entrepreneur_title or "").strip() if subject != Subject.ENTERPRISE else ""
    case.achievements = (achievements or "").strip()
    case.nomination_note = (nomination_note or "").strip()
    case.save()
    _set_qualities(case, qualities)
    _set_evidence(case, visits, forums, problems)
    _save_photos(case, checked, actor)
    _record(case, EventKind.EDITED, actor)
    return case


@transaction.atomic
def resubmit(*, actor, case, note=""):
    """The nominator sends a returned case back for review, once changed as the reviewer asked."""
    case = _lock(case)
    _check_visible(actor, case)
    _refuse_state(case, {CaseStatus.RETURNED}, _("This case cannot be resubmitted now: it is “%(status)s”."))
    if case.nominated_by_id != actor.pk and not actor.has_perm("cases.change_case"):
        raise ValidationError(_("Only the nominator can resubmit this case."), code="not_allowed")
    case.status = CaseStatus.NOMINATED
    case.submission_round += 1
    case.save()
    _record(case, EventKind.RESUBMITTED, actor, note=(note or "").strip())
    _notify_reviewers(case)
    return case


def _start_review(actor, case):
    case = _lock(case)
    _check_visible(actor, case)
    if not actor.has_perm("cases.review_cases"):
        raise ValidationError(_("Only united-front staff can review model cases."), code="not_allowed")
    if case.nominated_by_id == actor.pk:
        raise ValidationError(_("You nominated this case: someone else must review it."), code="own_nomination")
    _refuse_state(case, {CaseStatus.NOMINATED}, _("This case cannot be reviewed now: it is “%(status)s”."))
    return case


def _finish_review(case, actor, status, kind, note):
    case.status = status
    case.reviewed_by = actor
    case.reviewed_at = timezone.now()
    case.save()
    _record(case, kind, actor, note=note)
    _notify_nominator(case, kind)
    return case


@transaction.atomic
def approve(*, actor, case, comment=""):
    case = _start_review(actor, case)
    case.review_comment = (comment or "").strip()
    return _finish_review(case, actor, CaseStatus.APPROVED, EventKind.APPROVED, case.review_comment)


@transaction.atomic
def return_for_changes(*, actor, case, comment):
    """Send the nomination back to its nominator with what to change; they may edit and resubmit."""
    case = _start_review(actor, case)
    case.review_comment = _required(comment, "comment", _("Say what the nominator should change."))
    return _finish_review(case, actor, CaseStatus.RETURNED, EventKind.RETURNED, case.review_comment)


@transaction.atomic
def reject(*, actor, case, reason):
    case = _start_review(actor, case)
    case.rejection_reason = _required(reason, "reason", _("Give the reason for rejecting the case."))
    return _finish_review(case, actor, CaseStatus.REJECTED, EventKind.REJECTED, case.rejection_reason)


@transaction.atomic
def record_consent(*, actor, case, consent_on, consent_by, consent_note=""):
    """Record that the enterprise agreed to its case being published (a signed form, usually)."""
    case = _lock(case)
    _check_visible(actor, case)
    _refuse_state(case, CONSENT_STATES, _("Consent cannot be recorded for this case now: it is “%(status)s”."))
    if not may_record_consent(actor, case):
        raise ValidationError(_("Only the nominator or the united-front staff can record consent."), code="not_allowed")
    for field, value in _clean_consent(True, consent_on, consent_by, consent_note).items():
        setattr(case, field, value)
    case.save()
    _record(case, EventKind.CONSENT, actor)
    return case


@transaction.atomic
def publish(*, actor, case):
    """Put an approved case, whose enterprise consented, on the public showcase."""
    case = _lock(case)
    _check_visible(actor, case)
    if not may_publish(actor):
        raise ValidationError(_("Only united-front staff can publish model cases."), code="not_allowed")
    if case.status in (CaseStatus.NOMINATED, CaseStatus.RETURNED):
        raise ValidationError(_("This case has not been reviewed yet: it must be approved before it is published."))
    _refuse_state(case, {CaseStatus.APPROVED}, _("This case cannot be published now: it is “%(status)s”."))
    if not case.consent_given:
        raise ValidationError(_("The enterprise has not consented to publication: record its consent first."))
    case.status = CaseStatus.PUBLISHED
    case.published_at = timezone.now()
    case.published_by = actor
    case.withdrawn_at = None
    case.save()
    _record(case, EventKind.PUBLISHED, actor)
    _notify_nominator(case, EventKind.PUBLISHED)
    return case


@transaction.atomic
def withdraw(*, actor, case, reason):
    """Take a published case off the showcase. Its record and history stay in the portal."""
    case = _lock(case)
    _check_visible(actor, case)
    if not may_publish(actor):
        raise ValidationError(_("Only united-front staff can withdraw model cases."), code="not_allowed")
    _refuse_state(case, {CaseStatus.PUBLISHED}, _("This case cannot be withdrawn now: it is “%(status)s”."))
    case.withdrawal_reason = _required(reason, "reason", _("Give the reason for withdrawing the case."))
    case.status = CaseStatus.WITHDRAWN
    case.withdrawn_at = timezone.now()
    case.save()
    _record(case, EventKind.WITHDRAWN, actor, note=case.withdrawal_reason)
    return case


@transaction.atomic
def record_publicity(*, actor, case, outlet, published_on, title, link=""):
    case = _lock(case)
    _check_visible(actor, case)
    if not may_publish(actor):
        raise ValidationError(_("Only united-front staff can record publicity."), code="not_allowed")
    _refuse_state(
        case, {CaseStatus.PUBLISHED}, _("Publicity can be recorded only for a published case; this one is “%(status)s”.")
    )
    outlet = _required(outlet, "outlet", _("Name the outlet."))
    title = _required(title, "title", _("Give the report's title."))
    if published_on is None:
        raise ValidationError({"published_on": _("Give the date of the report.")})
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("The date of the report cannot be in the future.")})
    publicity = Publicity.objects.create(
        case=case, outlet=outlet, published_on=published_on, title=title, link=(link or "").strip(), recorded_by=actor
    )
    _record(case, EventKind.PUBLICITY, actor, note=f"{outlet} · {title}")
    return publicity


@transaction.atomic
def add_photos(*, actor, case, photos, caption=""):
    case = _lock(case)
    _check_visible(actor, case)
    _refuse_state(case, EDITABLE_STATES, _("This case cannot be changed now: it is “%(status)s”."))
    if not may_edit(actor, case):
        raise ValidationError(_("Only the nominator or the united-front staff can change this case."), code="not_allowed")
    if not list(photos or ()):
        raise ValidationError({"photos": _("Choose at least one photo.")})
    checked = _check_photos(photos, already=case.photos.count())
    _save_photos(case, checked, actor, caption)
    _record(case, EventKind.PHOTO_ADDED, actor, note=", ".join(uploaded.name for uploaded, _type in checked))
    return case


@transaction.atomic
def remove_photo(*, actor, photo):
    case = _lock(photo.case)
    _check_visible(actor, case)
    _refuse_state(case, EDITABLE_STATES, _("This case cannot be changed now: it is “%(status)s”."))
    if not may_edit(actor, case):
        raise ValidationError(_("Only the nominator or the united-front staff can change this case."), code="not_allowed")
    name, stored = photo.original_name, photo.file
    photo.delete()
    # The file goes only once the row is gone for good: a rolled-back removal keeps its photo.
    transaction.on_commit(lambda: stored.storage.delete(stored.name), robust=True)
    _record(case, EventKind.PHOTO_REMOVED, actor, note=name)
    return case


def reviewable_by(user):
    """Cases awaiting the user's review: nominated in their region (the fence), not by themselves."""
    if not user.has_perm("cases.review_cases"):
        return Case.objects.none()
    return Case.objects.visible_to(user).awaiting_review().filter(~Q(nominated_by=user))


HOME_ITEMS_LIMIT = 10


def case_items(user, *, today):
    """The home page's to-do entries: the model cases waiting for the user's review, oldest first."""
    if not user.is_authenticated:
        return []
    cases = reviewable_by(user).select_related("enterprise").order_by("nominated_at", "pk")[:HOME_ITEMS_LIMIT]
    return [
        {
            "title": _("Model case to review: %(title)s") % {"title": case.title},
            "url": reverse("cases:detail", args=[case.pk]),
            "due": None,
        }
        for case in cases
    ]
