"""Writes to model cases: nominate, edit, resubmit, review, record consent, publish, withdraw, publicity
and photos.

Which move is allowed in which state, and who may take it, is cases.lifecycle's table; who may act is
cases.access. Every function here is keyword-only, takes `actor` first, runs in one transaction and
returns the object saved. A move locks the case's row (so two reviewers acting at once cannot both move
it), checks the move against the table, changes the case and records the step on its timeline. A refused
move raises a ValidationError whose message says why (coded `invalid_move` or `not_allowed` when the
state or the actor does not allow it), and changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.attachments import check_attachment
from core.lifecycle import INVALID_MOVE, NOT_ALLOWED, lock, record, required_text
from forums.models import Forum
from notifications.services import notify
from notifications.texts import Text
from problems.models import Outcome, Problem, ProblemStatus
from visits.models import Visit, VisitStatus

from . import access, lifecycle
from .lifecycle import Action
from .models import Case, CasePhoto, CaseQuality, CaseStatus, EventKind, Publicity, Quality, Subject

MAX_PHOTOS = 12


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


# ---------------------------------------------------------------------------------------------------
# Checks shared by the moves.


def _lock(case):
    return lock(case, "region", "enterprise")


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


def check_photos(photos, already=0):
    """The uploaded photos with their checked content types; a ValidationError under `photos` for too many,
    or for a file that is not a JPG, PNG or WebP image."""
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
            recipients=access.reviewers_of(case),
            key=f"case-{case.pk}-submitted-{case.submission_round}",
            title=Text(gettext_lazy("Model case to review: %(title)s"), title=case.title),
            body=Text(
                gettext_lazy("%(name)s nominated %(enterprise)s as a model case."),
                name=case.nominated_by.display_name,
                enterprise=case.enterprise.name,
            ),
            link=_case_link(case),
        )

    transaction.on_commit(send, robust=True)


def _notify_nominator(case, kind):
    def send():
        notify(
            recipients=[case.nominated_by],
            key=f"case-{case.pk}-{kind}-{case.submission_round}",
            title=Text(
                gettext_lazy("Your model case “%(title)s”: %(status)s"),
                title=case.title,
                status=CaseStatus(case.status).label,
            ),
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
    if not actor.has_perm(access.NOMINATE_PERMISSION):
        raise ValidationError(_("You cannot nominate model cases."), code=NOT_ALLOWED)
    if actor.region_id is None:
        raise ValidationError(_("Only an official of a region can nominate a model case."), code=NOT_ALLOWED)
    from enterprises.models import Enterprise

    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise ValidationError(_("This enterprise is outside your region."), code=NOT_ALLOWED)
    title = required_text(title, _("Give the case a headline."), field="title")
    story = required_text(story, _("Tell the case's story."), field="story")
    qualities = _clean_qualities(qualities)
    _clean_subject(subject, entrepreneur_name)
    if source_problem is not None:
        if not solved_problems(enterprise).filter(pk=source_problem.pk).exists():
            raise ValidationError(_("A case can be nominated only from a solved problem of the same enterprise."))
        evidence_problems = {*evidence_problems, source_problem}
    visits, forums, problems = _check_evidence(enterprise, evidence_visits, evidence_forums, evidence_problems)
    consent = _clean_consent(consent_given, consent_on, consent_by, consent_note)
    checked = check_photos(photos)
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
    record(case, EventKind.NOMINATED, actor, note=case.nomination_note)
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
    lifecycle.check(case, Action.EDIT, actor)
    title = required_text(title, _("Give the case a headline."), field="title")
    story = required_text(story, _("Tell the case's story."), field="story")
    qualities = _clean_qualities(qualities)
    _clean_subject(subject, entrepreneur_name)
    visits, forums, problems = _check_evidence(case.enterprise, evidence_visits, evidence_forums, evidence_problems)
    # The problem it was nominated from stays linked, even if it was reopened since.
    if case.source_problem_id and case.source_problem not in problems:
        problems = [*problems, case.source_problem]
    checked = check_photos(photos, already=case.photos.count())
    case.title, case.story, case.subject = title, story, subject
    case.entrepreneur_name = (entrepreneur_name or "").strip() if subject != Subject.ENTERPRISE else ""
    case.entrepreneur_title = (entrepreneur_title or "").strip() if subject != Subject.ENTERPRISE else ""
    case.achievements = (achievements or "").strip()
    case.nomination_note = (nomination_note or "").strip()
    case.save()
    _set_qualities(case, qualities)
    _set_evidence(case, visits, forums, problems)
    _save_photos(case, checked, actor)
    record(case, EventKind.EDITED, actor)
    return case


@transaction.atomic
def resubmit(*, actor, case, note=""):
    """The nominator sends a returned case back for review, once changed as the reviewer asked."""
    case = _lock(case)
    case.status = lifecycle.check(case, Action.RESUBMIT, actor)
    case.submission_round += 1
    case.save()
    record(case, EventKind.RESUBMITTED, actor, note=(note or "").strip())
    _notify_reviewers(case)
    return case


def _start_review(actor, case, action):
    case = _lock(case)
    case.status = lifecycle.check(case, action, actor)
    return case


def _finish_review(case, actor, kind, note):
    case.reviewed_by = actor
    case.reviewed_at = timezone.now()
    case.save()
    record(case, kind, actor, note=note)
    _notify_nominator(case, kind)
    return case


@transaction.atomic
def approve(*, actor, case, comment=""):
    case = _start_review(actor, case, Action.APPROVE)
    case.review_comment = (comment or "").strip()
    return _finish_review(case, actor, EventKind.APPROVED, case.review_comment)


@transaction.atomic
def return_for_changes(*, actor, case, comment):
    """Send the nomination back to its nominator with what to change; they may edit and resubmit."""
    case = _start_review(actor, case, Action.RETURN)
    case.review_comment = required_text(comment, _("Say what the nominator should change."), field="comment")
    return _finish_review(case, actor, EventKind.RETURNED, case.review_comment)


@transaction.atomic
def reject(*, actor, case, reason):
    case = _start_review(actor, case, Action.REJECT)
    case.rejection_reason = required_text(reason, _("Give the reason for rejecting the case."), field="reason")
    return _finish_review(case, actor, EventKind.REJECTED, case.rejection_reason)


@transaction.atomic
def record_consent(*, actor, case, consent_on, consent_by, consent_note=""):
    """Record that the enterprise agreed to its case being published (a signed form, usually)."""
    case = _lock(case)
    lifecycle.check(case, Action.CONSENT, actor)
    for field, value in _clean_consent(True, consent_on, consent_by, consent_note).items():
        setattr(case, field, value)
    case.save()
    record(case, EventKind.CONSENT, actor)
    return case


@transaction.atomic
def publish(*, actor, case):
    """Put an approved case, whose enterprise consented, on the public showcase."""
    case = _lock(case)
    status = lifecycle.check(case, Action.PUBLISH, actor)
    if lifecycle.lacks_consent(case):
        raise ValidationError(_("The enterprise has not consented to publication: record its consent first."), code=INVALID_MOVE)
    case.status = status
    case.published_at = timezone.now()
    case.published_by = actor
    case.withdrawn_at = None
    case.save()
    record(case, EventKind.PUBLISHED, actor)
    _notify_nominator(case, EventKind.PUBLISHED)
    return case


@transaction.atomic
def withdraw(*, actor, case, reason):
    """Take a published case off the showcase. Its record and history stay in the portal."""
    case = _lock(case)
    status = lifecycle.check(case, Action.WITHDRAW, actor)
    case.withdrawal_reason = required_text(reason, _("Give the reason for withdrawing the case."), field="reason")
    case.status = status
    case.withdrawn_at = timezone.now()
    case.save()
    record(case, EventKind.WITHDRAWN, actor, note=case.withdrawal_reason)
    return case


@transaction.atomic
def record_publicity(*, actor, case, outlet, published_on, title, link=""):
    case = _lock(case)
    lifecycle.check(case, Action.PUBLICITY, actor)
    outlet = required_text(outlet, _("Name the outlet."), field="outlet")
    title = required_text(title, _("Give the report's title."), field="title")
    if published_on is None:
        raise ValidationError({"published_on": _("Give the date of the report.")})
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": _("The date of the report cannot be in the future.")})
    publicity = Publicity.objects.create(
        case=case, outlet=outlet, published_on=published_on, title=title, link=(link or "").strip(), recorded_by=actor
    )
    record(case, EventKind.PUBLICITY, actor, note=f"{outlet} · {title}")
    return publicity


@transaction.atomic
def add_photos(*, actor, case, photos, caption=""):
    case = _lock(case)
    lifecycle.check(case, Action.PHOTOS, actor)
    if not list(photos or ()):
        raise ValidationError({"photos": _("Choose at least one photo.")})
    checked = check_photos(photos, already=case.photos.count())
    _save_photos(case, checked, actor, caption)
    record(case, EventKind.PHOTO_ADDED, actor, note=", ".join(uploaded.name for uploaded, _type in checked))
    return case


@transaction.atomic
def remove_photo(*, actor, photo):
    case = _lock(photo.case)
    lifecycle.check(case, Action.EDIT, actor)
    name, stored = photo.original_name, photo.file
    photo.delete()
    # The file goes only once the row is gone for good: a rolled-back removal keeps its photo.
    transaction.on_commit(lambda: stored.storage.delete(stored.name), robust=True)
    record(case, EventKind.PHOTO_REMOVED, actor, note=name)
    return case
