"""Writes to forums: plan, record as held, cancel, attach, record opinions and turn them into problems.

Every move is keyword-only, takes `actor` first, runs in one transaction with the forum's row locked
(`core.lifecycle.lock`), asks forums.lifecycle whether the forum's state and the actor allow it, and
returns the object saved. A refused move raises a ValidationError whose message says why (coded
`invalid_move` or `not_allowed`; a field at fault names the field), and changes nothing. Forums keep no
timeline of their own: a move records itself in the forum's timestamps (`held_at`, `cancelled_at`).

An invited enterprise answers the invitation through its own door (`reply_to_invitation`): not a move of
the forum, whose state it leaves alone, but refused in the same way (coded `not_allowed` for an enterprise
not invited, `invalid_move` once the forum is held, cancelled or begun).
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ancestor_codes, region_code_prefix
from accounts.models import Department, Region, User
from core.attachments import MAX_FILES, checked_uploads
from core.lifecycle import lock, required_text
from problems.models import Source, Urgency
from problems.services import raise_problem

from . import access
from .lifecycle import LIFECYCLE, NEW, OPINION_LIFECYCLE, Action
from .models import Forum, ForumAttachment, ForumAttendance, ForumReply, ForumStatus, Opinion, ReplyChannel

EARLIEST_DATE = date(2018, 1, 1)
MAX_YEARS_AHEAD = 2


def _latest_date(today):
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def _check_date(starts_at, *, today):
    day = timezone.localtime(starts_at).date()
    if day < EARLIEST_DATE or day > _latest_date(today):
        raise ValidationError(
            {
                "starts_at": _("A forum must be dated between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_DATE.isoformat(), "latest": _latest_date(today).isoformat()}
            }
        )
    return day


def _refuse_outsiders(field, message, host, names):
    if names:
        raise ValidationError({field: message % {"region": host.name, "names": "、".join(names)}})


def _check_enterprises(host, enterprises, field):
    """Enterprises must be of the host region or a region below it."""
    outside = [enterprise.name for enterprise in enterprises if not host.contains(enterprise.region_id)]
    _refuse_outsiders(field, _("These enterprises are outside %(region)s: %(names)s."), host, outside)


def official_in_reach(host, official):
    """An official of the host region, a region above it (who may come down) or one below it."""
    if official.region_id is None:
        return False
    return host.contains(official.region_id) or host.code.startswith(region_code_prefix(official.region_id))


def _reach_codes(region):
    """(prefix of the region and the regions below it, codes of the regions above it) for `region`."""
    return region_code_prefix(region.code), ancestor_codes(region.code)


def _anchor(actor_or_region):
    """A region: the one given, or the official's own; None for an official who sees every region."""
    if isinstance(actor_or_region, Region):
        return actor_or_region
    return actor_or_region.region


def officials_in_reach(actor_or_region):
    """Active officials who may be invited to a forum of the region (or of the official's region):
    those of the region, of the regions below it, and of the regions above it."""
    officials = User.objects.filter(is_active=True).select_related("region")
    region = _anchor(actor_or_region)
    if region is None:
        return officials.filter(region__isnull=False)
    prefix, above = _reach_codes(region)
    return officials.filter(Q(region__code__startswith=prefix) | Q(region_id__in=above))


def departments_in_reach(actor_or_region):
    """Active departments that may organise a forum of the region: its own and those of the regions above;
    for an official, also those of the regions below their own, where they may plan forums too."""
    departments = Department.objects.active()
    region = _anchor(actor_or_region)
    if region is None:
        return departments
    prefix, above = _reach_codes(region)
    codes = Q(region_id__in=[*above, region.code])
    if not isinstance(actor_or_region, Region):
        codes |= Q(region__code__startswith=prefix)
    return departments.filter(codes)


def _check_officials(host, officials, field):
    outside = [official.display_name for official in officials if not official_in_reach(host, official)]
    _refuse_outsiders(field, _("These officials are outside %(region)s's reach: %(names)s."), host, outside)


def _check_organisers(host, departments):
    """Organisers are departments of the host region or of a region above it."""
    outside = [
        department.name for department in departments if not host.code.startswith(region_code_prefix(department.region_id))
    ]
    message = _("These departments cannot organise a forum of %(region)s: %(names)s.")
    _refuse_outsiders("organisers", message, host, outside)


def _checked_plan(actor, *, region, starts_at, venue, theme, organisers, invited_enterprises, invited_officials, today):
    """The plan's fields, cleaned; a ValidationError naming the field at fault otherwise."""
    if not access.reaches(actor, region.code):
        raise ValidationError({"region": _("You can plan forums only for your region and the regions below it.")})
    _check_date(starts_at, today=today)
    plan = {
        "region": region,
        "starts_at": starts_at,
        "venue": required_text(venue, _("Say where the forum takes place."), field="venue"),
        "theme": required_text(theme, _("Give the forum a theme."), field="theme"),
        "organisers": list(organisers),
        "invited_enterprises": list(invited_enterprises),
        "invited_officials": list(invited_officials),
    }
    _check_organisers(region, plan["organisers"])
    _check_enterprises(region, plan["invited_enterprises"], "invited_enterprises")
    _check_officials(region, plan["invited_officials"], "invited_officials")
    return plan


def _save_plan(forum, plan):
    forum.region, forum.level = plan["region"], plan["region"].level
    forum.starts_at, forum.venue, forum.theme = plan["starts_at"], plan["venue"], plan["theme"]
    forum.save()
    forum.organisers.set(plan["organisers"])
    forum.invited_enterprises.set(plan["invited_enterprises"])
    forum.invited_officials.set(plan["invited_officials"])
    return forum


@transaction.atomic
def plan_forum(*, actor, today=None, **fields):
    """Plan a forum: region, starts_at, venue, theme, and optionally organisers, invited enterprises
    and invited officials, all within the host region's reach."""
    forum = Forum(created_by=actor, status=NEW)
    forum.status = LIFECYCLE.check(forum, Action.PLAN, actor)
    fields = {"organisers": (), "invited_enterprises": (), "invited_officials": (), **fields}
    plan = _checked_plan(actor, today=today or timezone.localdate(), **fields)
    return _save_plan(forum, plan)


@transaction.atomic
def change_plan(*, actor, forum, today=None, **fields):
    """Change a planned forum: its date, venue, theme, host region, organisers or invitations."""
    forum = lock(forum, "region")
    LIFECYCLE.check(forum, Action.CHANGE, actor)
    fields = {"organisers": (), "invited_enterprises": (), "invited_officials": (), **fields}
    plan = _checked_plan(actor, today=today or timezone.localdate(), **fields)
    return _save_plan(forum, plan)


@transaction.atomic
def record_held(*, actor, forum, minutes, attendance, attending_officials=(), today=None):
    """Record a planned forum as held: its minutes and its attendance list, both required.

    `attendance` is a list of (enterprise, entrepreneur name, title) for each entrepreneur who came.
    """
    today = today or timezone.localdate()
    forum = lock(forum, "region")
    status = LIFECYCLE.check(forum, Action.RECORD_HELD, actor)
    if forum.starts_date > today:
        raise ValidationError({"starts_at": _("A forum dated in the future cannot be recorded as held yet.")})
    minutes = required_text(minutes, _("Write the minutes of the forum."), field="minutes")
    rows = []
    for enterprise, name, title in attendance:
        name = required_text(name, _("Name each entrepreneur who attended."), field="attendance")
        rows.append((enterprise, name, (title or "").strip()))
    if not rows:
        raise ValidationError({"attendance": _("List the enterprises and entrepreneurs who attended.")})
    if len({(enterprise.pk, name) for enterprise, name, _title in rows}) != len(rows):
        raise ValidationError({"attendance": _("An entrepreneur is listed twice.")})
    _check_enterprises(forum.region, [enterprise for enterprise, _name, _title in rows], "attendance")
    attending_officials = list(attending_officials)
    _check_officials(forum.region, attending_officials, "attending_officials")
    ForumAttendance.objects.bulk_create(
        ForumAttendance(forum=forum, enterprise=enterprise, entrepreneur_name=name, title=title)
        for enterprise, name, title in rows
    )
    forum.attending_officials.set(attending_officials)
    forum.status, forum.minutes, forum.held_at = status, minutes, timezone.now()
    forum.save(update_fields=["status", "minutes", "held_at"])
    return forum


@transaction.atomic
def update_minutes(*, actor, forum, minutes):
    """Correct the minutes of a held forum; a forum not held has no minutes yet."""
    forum = lock(forum, "region")
    LIFECYCLE.check(forum, Action.MINUTES, actor)
    forum.minutes = required_text(minutes, _("Write the minutes of the forum."), field="minutes")
    forum.save(update_fields=["minutes"])
    return forum


@transaction.atomic
def cancel(*, actor, forum, reason):
    """Cancel a planned forum, saying why."""
    forum = lock(forum, "region")
    status = LIFECYCLE.check(forum, Action.CANCEL, actor)
    forum.cancel_reason = required_text(reason, _("Say why the forum is cancelled."), field="cancel_reason")
    forum.status, forum.cancelled_at = status, timezone.now()
    forum.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    return forum


@transaction.atomic
def add_attachments(*, actor, forum, attachments):
    """Attach photos, sign-in sheets or signed minutes to a held forum. Every file is checked first."""
    forum = lock(forum, "region")
    LIFECYCLE.check(forum, Action.ATTACH, actor)
    attachments = list(attachments)
    if forum.attachments.count() + len(attachments) > MAX_FILES:
        raise ValidationError(_("A forum can have at most %(count)d attachments.") % {"count": MAX_FILES})
    checked = checked_uploads(attachments)
    return [
        ForumAttachment.objects.create(
            forum=forum,
            file=uploaded,
            original_name=uploaded.name[:200],
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=actor,
        )
        for uploaded, content_type in checked
    ]


@transaction.atomic
def add_opinion(*, actor, forum, enterprise, text):
    """Record an opinion or suggestion an enterprise raised at a held forum."""
    forum = lock(forum, "region")
    LIFECYCLE.check(forum, Action.OPINION, actor)
    _check_enterprises(forum.region, [enterprise], "enterprise")
    text = required_text(text, _("Write the opinion or suggestion."), field="text")
    return Opinion.objects.create(forum=forum, region_id=forum.region_id, enterprise=enterprise, text=text, recorded_by=actor)


@transaction.atomic
def opinion_to_problem(*, actor, opinion, category, description="", urgency=Urgency.NORMAL):
    """Put an opinion on the problem list in one step, raised at the forum, and link it back.

    The opinion's row is locked first, so two clicks (or two officials) raise one problem, not two.
    """
    opinion = lock(opinion, "forum", "enterprise")
    forum = opinion.forum
    LIFECYCLE.check(forum, Action.PROBLEM, actor)
    OPINION_LIFECYCLE.check(opinion, Action.PROBLEM, actor)
    note = _("Forum %(date)s: %(theme)s") % {"date": forum.starts_date.isoformat(), "theme": forum.theme}
    problem = raise_problem(
        actor=actor,
        enterprise=opinion.enterprise,
        category=category,
        description=(description or "").strip() or opinion.text,
        urgency=urgency,
        source=Source.FORUM,
        source_note=note[:200],
        raised_on=min(forum.starts_date, timezone.localdate()),
    )
    opinion.problem = problem
    opinion.save(update_fields=["problem"])
    return opinion


# An enterprise names who will come: a few people, not a delegation.
MAX_ATTENDEES = 5
MAX_ATTENDEE_NAME = 30
_NAME_SEPARATORS = re.compile(r"[,，、;；\n]+")


def _attendee_names(attendees):
    """The names in `attendees` (a text, names separated by commas, 、 or lines), each stripped, none twice."""
    names = []
    for name in _NAME_SEPARATORS.split(attendees or ""):
        name = " ".join(name.split())
        if name and name not in names:
            names.append(name)
    return names


def _refuse_reply(forum, *, now):
    """Why the invitation can no longer be answered, or None while it can."""
    if forum.status == ForumStatus.HELD:
        return _("This forum has already been held: the reply can no longer be given or changed.")
    if forum.status == ForumStatus.CANCELLED:
        return _("This forum has been cancelled: there is nothing to reply to.")
    if not forum.takes_replies(now=now):
        return _("The date of this forum has passed: the reply can no longer be given or changed.")
    return None


@transaction.atomic
def reply_to_invitation(*, enterprise, forum, attending, attendees="", via=ReplyChannel.DOOR, now=None):
    """The enterprise's answer to the forum's invitation: it will come, naming who (a few people), or it will
    not. Answering again changes the answer (the history keeps the earlier ones) until the forum is held,
    cancelled or begins. A forum that did not invite the enterprise refuses it as if it had none to answer.

    The forum's row is locked first, so the answer cannot cross the forum being recorded held or cancelled,
    and two answers of the same enterprise at once end as one row.
    """
    now = now or timezone.now()
    forum = lock(forum)
    if not forum.invited_enterprises.filter(pk=enterprise.pk).exists():
        raise ValidationError(_("Your enterprise is not invited to this forum."), code="not_allowed")
    refusal = _refuse_reply(forum, now=now)
    if refusal:
        raise ValidationError(refusal, code="invalid_move")
    names = _attendee_names(attendees) if attending else []
    if attending and not names:
        raise ValidationError({"attendees": _("Name who will come.")}, code="required")
    if len(names) > MAX_ATTENDEES:
        raise ValidationError({"attendees": _("Name at most %(count)d people.") % {"count": MAX_ATTENDEES}}, code="too_many")
    if any(len(name) > MAX_ATTENDEE_NAME for name in names):
        message = _("A name can be at most %(count)d characters long.") % {"count": MAX_ATTENDEE_NAME}
        raise ValidationError({"attendees": message}, code="too_long")
    reply, _created = ForumReply.objects.update_or_create(
        forum=forum,
        enterprise=enterprise,
        defaults={
            "region_id": forum.region_id,
            "attending": bool(attending),
            "attendees": "、".join(names),
            "replied_at": now,
            "replied_via": via,
        },
    )
    return reply
