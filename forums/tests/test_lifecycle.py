"""The forum's lifecycle, table by table: every status × every action × every role of the `cast`, taken
through the service functions, is either allowed (the forum moves to the expected status) or refused with
the expected code and the sentence users have always seen (and changes nothing); `available_actions`
offers exactly the allowed ones.

The tables below are written out by hand, not read from forums.lifecycle: they are what the campaign's
rules say, and the lifecycle must agree with them.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Region
from enterprises.tests.factories import EnterpriseFactory
from forums import services
from forums.lifecycle import LIFECYCLE, NEW, Action, available_actions
from forums.models import Forum, ForumStatus, Opinion
from forums.tests.factories import ForumFactory, at
from problems.models import Problem
from problems.tests.factories import category
from tests.cast import CAST_ROLES

pytestmark = pytest.mark.django_db

S, A = ForumStatus, Action
TODAY = date(2026, 5, 20)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ROLES = [*CAST_ROLES]
STATES = list(ForumStatus)
ACTIONS = [A.CHANGE, A.RECORD_HELD, A.CANCEL, A.MINUTES, A.ATTACH, A.OPINION, A.PROBLEM, A.PRINT]

# The forum is 历下区's (370102), below 济南市 (370100), below the province (370000).
ORGANISERS = {"admin", "province_staff", "city_staff", "county_staff", "county_admin"}  # record forums, see it
READERS = ORGANISERS | {"reviewer", "cadre", "handler"}  # see it
PLANNERS = ORGANISERS | {"other_county_staff"}  # plan forums (of their own region)
RECORDERS = PLANNERS  # hold the permission to record forums, wherever the forum is

# (status, action) -> who may take it, and the status it leads to.
ALLOWED = {
    (S.PLANNED, A.CHANGE): (ORGANISERS, S.PLANNED),
    (S.PLANNED, A.RECORD_HELD): (ORGANISERS, S.HELD),
    (S.PLANNED, A.CANCEL): (ORGANISERS, S.CANCELLED),
    (S.PLANNED, A.PRINT): (READERS, S.PLANNED),
    (S.HELD, A.MINUTES): (ORGANISERS, S.HELD),
    (S.HELD, A.ATTACH): (ORGANISERS, S.HELD),
    (S.HELD, A.OPINION): (ORGANISERS, S.HELD),
    (S.HELD, A.PROBLEM): (ORGANISERS, S.HELD),
    (S.HELD, A.PRINT): (READERS, S.HELD),
}

ONLY_HELD_OPINIONS = "Opinions can be recorded only for a forum that has been held."
ONLY_HELD_MINUTES = "Minutes can be written only for a forum that has been held."
ONLY_HELD_ATTACHMENTS = "Attachments can be added only to a forum that has been held."
ONLY_PLANNED = "Only a planned forum can be changed."
# Any other (status, action): refused `invalid_move`, whoever asks, with this sentence.
INVALID = {
    (S.PLANNED, A.MINUTES): ONLY_HELD_MINUTES,
    (S.PLANNED, A.ATTACH): ONLY_HELD_ATTACHMENTS,
    (S.PLANNED, A.OPINION): ONLY_HELD_OPINIONS,
    (S.PLANNED, A.PROBLEM): ONLY_HELD_OPINIONS,
    (S.HELD, A.CHANGE): ONLY_PLANNED,
    (S.HELD, A.RECORD_HELD): "This forum has already been recorded as held.",
    (S.HELD, A.CANCEL): "A forum that has been held cannot be cancelled.",
    (S.CANCELLED, A.CHANGE): ONLY_PLANNED,
    (S.CANCELLED, A.RECORD_HELD): "A cancelled forum cannot be recorded as held.",
    (S.CANCELLED, A.CANCEL): "This forum has already been cancelled.",
    (S.CANCELLED, A.MINUTES): ONLY_HELD_MINUTES,
    (S.CANCELLED, A.ATTACH): ONLY_HELD_ATTACHMENTS,
    (S.CANCELLED, A.OPINION): ONLY_HELD_OPINIONS,
    (S.CANCELLED, A.PROBLEM): ONLY_HELD_OPINIONS,
    (S.CANCELLED, A.PRINT): "This forum has been cancelled: there is nothing to print.",
}

NOT_RECORDING = "You cannot plan or record forums."
OUTSIDE = "This forum is outside your region."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_tables_cover_every_status_and_action():
    assert set(ALLOWED) | set(INVALID) == {(state, action) for state in STATES for action in ACTIONS}
    assert not set(ALLOWED) & set(INVALID)
    assert set(LIFECYCLE.actions()) == {A.PLAN, *ACTIONS}
    # A cancelled forum is final: no move leaves it.
    assert set(LIFECYCLE.states()) == {NEW, S.PLANNED, S.HELD}


def refusal_to(role, action):
    """The sentence a role the table does not name is refused with (code `not_allowed`)."""
    if action == A.PRINT or role in RECORDERS:
        return OUTSIDE
    return NOT_RECORDING


def forum_in(status):
    """A forum of 历下区 of 10 May 2026 in `status`, complete enough that only the state can refuse a move."""
    if status == S.HELD:
        return ForumFactory(starts_at=at(2026, 5, 10), status=status, minutes="纪要")
    if status == S.CANCELLED:
        return ForumFactory(starts_at=at(2026, 5, 10), status=status, cancel_reason="改期")
    return ForumFactory(starts_at=at(2026, 5, 10), status=status)


def take(action, user, forum, enterprise):
    """Take `action` on `forum` as `user`, through the service that does it; the forum as it is after."""
    if action == A.CHANGE:
        arguments = {"region": forum.region, "starts_at": forum.starts_at, "venue": "新会场", "theme": forum.theme}
        return services.change_plan(actor=user, forum=forum, today=TODAY, **arguments)
    if action == A.RECORD_HELD:
        attendance = [(enterprise, "张三", "董事长")]
        return services.record_held(actor=user, forum=forum, minutes="纪要", attendance=attendance, today=TODAY)
    if action == A.CANCEL:
        return services.cancel(actor=user, forum=forum, reason="改期")
    if action == A.MINUTES:
        return services.update_minutes(actor=user, forum=forum, minutes="修订后的纪要")
    if action == A.ATTACH:
        photo = SimpleUploadedFile("合影.png", PNG, content_type="image/png")
        services.add_attachments(actor=user, forum=forum, attachments=[photo])
        return forum
    if action == A.OPINION:
        services.add_opinion(actor=user, forum=forum, enterprise=enterprise, text="融资难")
        return forum
    if action == A.PROBLEM:
        opinion = Opinion.objects.create(forum=forum, region_id=forum.region_id, enterprise=enterprise, text="用地难")
        services.opinion_to_problem(actor=user, opinion=opinion, category=category())
        return forum
    # Printing writes nothing: the page asks the lifecycle (forums.views.forum_print).
    LIFECYCLE.check(forum, A.PRINT, user)
    return forum


def snapshot(forum):
    forum = Forum.objects.get(pk=forum.pk)
    return (
        forum.status,
        forum.venue,
        forum.minutes,
        forum.cancel_reason,
        forum.attendances.count(),
        forum.attachments.count(),
        forum.opinions.filter(problem__isnull=False).count(),
        forum.opinions.exclude(text="用地难").count(),  # not the one `take` sets up to put on the problem list
    )


def outcome(action, user, forum, enterprise):
    """`("allowed", new status)`, or `(code, message)` of the refusal, which must change nothing."""
    before = snapshot(forum)
    try:
        after = take(action, user, forum, enterprise)
    except ValidationError as error:
        assert snapshot(forum) == before, (user.username, action)
        return (error.code, " ".join(error.messages))
    return ("allowed", Forum.objects.get(pk=after.pk).status)


def expected(state, action, role):
    if (state, action) in INVALID:
        return ("invalid_move", INVALID[(state, action)])
    roles, to = ALLOWED[(state, action)]
    if role in roles:
        return ("allowed", to)
    return ("not_allowed", refusal_to(role, action))


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_action_and_role(cast, state, action):
    enterprise = EnterpriseFactory(region_id="370102")
    found, wanted = {}, {}
    for role in ROLES:
        user = cast[role]
        forum = forum_in(state)
        offered = action in available_actions(user, forum)
        found[role] = (outcome(action, user, forum, enterprise), offered)
        wanted[role] = (expected(state, action, role), expected(state, action, role)[0] == "allowed")
    assert found == wanted


def test_planning_is_the_creation(cast):
    """A forum is planned by staff, for their own region (or one below it); nobody else plans one."""
    found, wanted = {}, {}
    for role in ROLES:
        user = cast[role]
        region = Region.objects.get(code=user.region_id)
        arguments = {"region": region, "starts_at": at(2026, 6, 1), "venue": "会议室", "theme": f"{role}座谈会"}
        try:
            forum = services.plan_forum(actor=user, today=TODAY, **arguments)
        except ValidationError as error:
            found[role] = (error.code, " ".join(error.messages))
        else:
            found[role] = ("allowed", forum.status)
        wanted[role] = ("allowed", S.PLANNED) if role in PLANNERS else ("not_allowed", NOT_RECORDING)
        assert LIFECYCLE.allows(user, Forum(status=NEW), A.PLAN) == (role in PLANNERS)
    assert found == wanted
    assert set(Forum.objects.values_list("theme", flat=True)) == {f"{role}座谈会" for role in PLANNERS}
    # Planning is offered on no forum: a planned, held or cancelled forum is planned already.
    for state in STATES:
        assert A.PLAN not in available_actions(cast["county_staff"], forum_in(state))


def test_an_opinion_goes_on_the_problem_list_once(cast):
    """Its forum's organisers are told it is there already; the others, that they may not act at all."""
    forum = forum_in(S.HELD)
    opinion = Opinion.objects.create(forum=forum, region_id=forum.region_id, enterprise=EnterpriseFactory(), text="意见")
    services.opinion_to_problem(actor=cast["county_staff"], opinion=opinion, category=category())
    found, wanted = {}, {}
    for role in ROLES:
        try:
            services.opinion_to_problem(actor=cast[role], opinion=opinion, category=category())
        except ValidationError as error:
            found[role] = (error.code, " ".join(error.messages))
        else:
            found[role] = ("allowed",)
        if role in ORGANISERS:
            wanted[role] = ("invalid_move", "This opinion is already on the problem list.")
        else:
            wanted[role] = ("not_allowed", refusal_to(role, A.PROBLEM))
    assert found == wanted
    assert Problem.objects.count() == 1
