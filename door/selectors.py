"""What an enterprise may see through its door: the one module that says so.

Every page behind the door reads the enterprise's records through the functions below, and nothing else:

- `liaisons_for(enterprise)`: its current liaison cadres, each level's, with their name, post, the office
  they act for (the department and its region) and their office telephone, never an official's mobile
  number, e-mail or username;
- `invitations_for(enterprise)`: the forums that invited it, recent or to come, with its own reply, never
  the minutes, the reason for a cancellation, the officials invited or the other enterprises;
- `policies_for(enterprise)`: the policies of the library in force today that fit it (the library's own
  matching, `Policy.objects.matching`), the only ones whose document the door hands out;
- `visits_for(enterprise)`: the dates, modes and purposes of its submitted visits of the last twelve months,
  never what the cadre wrote of them (situation, needs, problems raised, the people met).

Each starts from the enterprise the door's session opened (`request.door_enterprise`), never from an id the
request carries, and reads only the columns named in `PUBLIC_FIELDS` (`values()`), so a template cannot
reach a private field through a relation: what the functions return are plain values, not records.
`door/tests/test_private_fields.py` fills every other text field of these models, and of every model an
enterprise's records reach, with a marker and looks for it on every page of the door.

Single records (the forum an enterprise replies to, the policy whose document it downloads) are fetched
from the querysets `invited_forums(enterprise)` and `policies_for(enterprise)`: outside them, a 404.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import LiaisonAssignment, LiaisonLevel
from forums.models import Forum, ForumReply, ForumStatus, takes_replies
from visits.models import Policy, Visit, VisitMode, VisitStatus

# The only columns the door reads, model by model (and the enterprise's own name, which the door shows in its
# header). The marker test treats every other text column of these models as private.
PUBLIC_FIELDS = {
    "enterprises.Enterprise": {"name"},
    # The name of the contact the access was issued to: the reader, whom the home page greets.
    "door.EnterpriseAccess": {"contact_name"},
    # The office telephone is the official's public contact (its help text says so); the mobile and the e-mail stay private.
    "accounts.User": {"full_name", "title", "office_phone"},
    "accounts.Department": {"name"},
    "accounts.Region": {"name"},
    "enterprises.LiaisonAssignment": set(),
    "forums.Forum": {"theme", "venue"},
    "forums.ForumReply": {"attendees"},
    "visits.Policy": {"title", "document_number", "issuer", "summary"},
    "visits.Visit": {"purpose"},
}

# What the home page lists at most of each kind: the newest first.
INVITATIONS_SHOWN = 20
POLICIES_SHOWN = 10
VISITS_SHOWN = 24
# How far back the forums and visits shown go.
RECENT_DAYS = 366


def _region_name(name, level, parent_name):
    """济南市 历下区 rather than 历下区 alone, as `Region.full_name` (read from values, not records)."""
    if level == "county" and parent_name:
        return f"{parent_name} {name}"
    return name or ""


def year_before(today):
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


# Liaison cadres


@dataclass(frozen=True)
class Liaison:
    level: str
    name: str
    post: str
    office: str
    phone: str = ""


_DEPARTMENT = ("name", "region__name", "region__level", "region__parent__name")
_LEVEL_ORDER = {level: index for index, level in enumerate(LiaisonLevel.values)}


def liaisons_for(enterprise, *, today=None):
    """The enterprise's liaison cadres in force today, the province's first: level, name, post, office
    (the department the cadre acts for in this liaison, else their own department) and office telephone."""
    rows = (
        LiaisonAssignment.objects.filter(enterprise=enterprise)
        .current(today)
        .values(
            "level",
            "official__full_name",
            "official__title",
            "official__office_phone",
            *(f"department__{column}" for column in _DEPARTMENT),
            *(f"official__department__{column}" for column in _DEPARTMENT),
        )
    )
    levels = dict(LiaisonLevel.choices)
    liaisons = []
    for row in sorted(rows, key=lambda row: _LEVEL_ORDER.get(row["level"], len(_LEVEL_ORDER))):
        unit = "department__" if row["department__name"] else "official__department__"
        office = ""
        if row[f"{unit}name"]:
            region = _region_name(row[f"{unit}region__name"], row[f"{unit}region__level"], row[f"{unit}region__parent__name"])
            office = f"{row[f'{unit}name']}（{region}）"
        liaisons.append(
            Liaison(
                level=levels.get(row["level"], ""),
                name=row["official__full_name"],
                post=row["official__title"],
                office=office,
                phone=row["official__office_phone"],
            )
        )
    return liaisons


# Forum invitations


@dataclass(frozen=True)
class Reply:
    attending: bool
    attendees: str
    replied_at: datetime


@dataclass(frozen=True)
class Invitation:
    pk: int
    theme: str
    venue: str
    starts_at: datetime
    host: str
    state: str
    takes_replies: bool
    # The colour of the state's badge: the invitations still open stand out.
    colour: str
    reply: Reply | None


def invited_forums(enterprise):
    """The forums that invited the enterprise: the only ones it may reply to (others are a 404)."""
    return Forum.objects.filter(invited_enterprises=enterprise)


def _invitation_state(status, open_for_replies):
    if status == ForumStatus.HELD:
        return _("Held")
    if status == ForumStatus.CANCELLED:
        return _("Cancelled")
    if open_for_replies:
        return _("Open for replies")
    return _("Date passed")


def invitations_for(enterprise, *, now=None):
    """The forums of the last year and to come that invited the enterprise, the latest first, each with the
    enterprise's own reply and whether it may still reply."""
    now = now or timezone.now()
    forums = list(
        invited_forums(enterprise)
        .filter(starts_at__gte=now - timedelta(days=RECENT_DAYS))
        .order_by("-starts_at", "-pk")
        .values("pk", "theme", "venue", "starts_at", "status", "region__name", "region__level", "region__parent__name")[
            :INVITATIONS_SHOWN
        ]
    )
    replies = {
        row["forum_id"]: Reply(attending=row["attending"], attendees=row["attendees"], replied_at=row["replied_at"])
        for row in ForumReply.objects.filter(enterprise=enterprise, forum_id__in=[forum["pk"] for forum in forums]).values(
            "forum_id", "attending", "attendees", "replied_at"
        )
    }
    invitations = []
    for forum in forums:
        open_ = takes_replies(forum["status"], forum["starts_at"], now=now)
        invitations.append(
            Invitation(
                pk=forum["pk"],
                theme=forum["theme"],
                venue=forum["venue"],
                starts_at=forum["starts_at"],
                host=_region_name(forum["region__name"], forum["region__level"], forum["region__parent__name"]),
                state=_invitation_state(forum["status"], open_),
                takes_replies=open_,
                colour="primary" if open_ else "secondary",
                reply=replies.get(forum["pk"]),
            )
        )
    return invitations


# Policies


@dataclass(frozen=True)
class PolicyEntry:
    pk: int
    title: str
    document_number: str
    issuer: str
    summary: str
    issued_on: date
    valid_until: date | None
    has_document: bool


_POLICY_COLUMNS = ("pk", "title", "document_number", "issuer", "summary", "issued_on", "valid_until", "document")


def policies_for(enterprise, *, today=None):
    """The policies in force today that fit the enterprise (region, industry, size and tags: the library's
    matching), newest first: what the door lists, and the only policies whose document it hands out."""
    today = today or timezone.localdate()
    return Policy.objects.matching(enterprise).valid_on(today).order_by("-issued_on", "-pk")


def policy_rows(policies):
    """The public columns of `policies`, as values."""
    return policies.values(*_POLICY_COLUMNS)


def policy_entries(rows):
    """Entries for a page of `policy_rows` (or of a slice of them)."""
    return [
        PolicyEntry(
            pk=row["pk"],
            title=row["title"],
            document_number=row["document_number"],
            issuer=row["issuer"],
            summary=row["summary"],
            issued_on=row["issued_on"],
            valid_until=row["valid_until"],
            has_document=bool(row["document"]),
        )
        for row in rows
    ]


# Visits


@dataclass(frozen=True)
class VisitEntry:
    visited_on: date
    mode: str
    purpose: str


def visits_for(enterprise, *, today=None):
    """The enterprise's submitted visits of the last twelve months, the latest first: date, mode, purpose."""
    today = today or timezone.localdate()
    modes = dict(VisitMode.choices)
    rows = (
        Visit.objects.filter(
            enterprise=enterprise, status=VisitStatus.SUBMITTED, visited_on__gt=year_before(today), visited_on__lte=today
        )
        .order_by("-visited_on", "-pk")
        .values_list("visited_on", "mode", "purpose")[:VISITS_SHOWN]
    )
    return [VisitEntry(visited_on=day, mode=modes.get(mode, ""), purpose=purpose) for day, mode, purpose in rows]


def home_context(enterprise, *, today=None, now=None):
    """The context of the enterprise's home page behind the door (templates/door/home.html)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    policies = policy_entries(policy_rows(policies_for(enterprise, today=today))[: POLICIES_SHOWN + 1])
    return {
        "liaisons": liaisons_for(enterprise, today=today),
        "invitations": invitations_for(enterprise, now=now),
        "policies": policies[:POLICIES_SHOWN],
        "more_policies": len(policies) > POLICIES_SHOWN,
        "visits": visits_for(enterprise, today=today),
    }
