"""The assessment's lifecycles, table by table: every state × action × role of the `cast`, taken through
the service functions, is either allowed (the record moves to the expected state) or refused with the
expected code (and changes nothing); `available_actions` offers exactly the allowed ones.

The tables below are written out by hand, not read from assessment.lifecycle: they are what the
campaign's rules say (a region's staff confirm, the region directly above accepts, an accepted county is
reopened only by its city, the province's administrators close and reopen a period), and the lifecycle
must agree with them.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Region
from assessment import services
from assessment.lifecycle import APPROVAL, PERIOD, SCHEME, Action, approval_offers
from assessment.models import (
    ApprovalEvent,
    ApprovalStatus,
    AssessmentPeriod,
    PeriodStatus,
    RegionApproval,
    Scheme,
    SchemeItem,
)
from tests.cast import CAST_ROLES

pytestmark = pytest.mark.django_db

S, A = ApprovalStatus, Action
ROLES = [*CAST_ROLES]
APPROVAL_STATES = list(ApprovalStatus)
APPROVAL_ACTIONS = [A.CONFIRM, A.ACCEPT, A.REOPEN]

# 历下区 (370102) is assessed below 济南市 (370100), below the province (370000).
COUNTY = {
    "confirmers": {"county_staff", "county_admin"},  # 历下区's own staff (an administrator has every permission)
    "acceptors": {"city_staff"},  # 济南市's staff, directly above
}
CITY = {
    "confirmers": {"city_staff"},
    "acceptors": {"admin", "province_staff"},
}


def approval_table(region):
    roles = COUNTY if region == "370102" else CITY
    return {
        (S.OPEN, A.CONFIRM): (roles["confirmers"], S.CONFIRMED),
        (S.CONFIRMED, A.ACCEPT): (roles["acceptors"], S.ACCEPTED),
        (S.CONFIRMED, A.REOPEN): (roles["confirmers"] | roles["acceptors"], S.OPEN),
        (S.ACCEPTED, A.REOPEN): (roles["acceptors"], S.OPEN),  # only the region above reopens what it accepted
    }


def ended_period(label="2025"):
    return AssessmentPeriod.objects.create(label=label, start=date(2025, 1, 1), end=date(2025, 12, 31))


def approval(period, code, status):
    region = Region.objects.get(code=code)
    if region.level == "city":  # a city confirms once every one of its counties is accepted
        RegionApproval.objects.bulk_create(
            [RegionApproval(period=period, region=county, status=S.ACCEPTED) for county in Region.objects.filter(parent=region)]
        )
    return RegionApproval.objects.create(period=period, region=region, status=status)


def take(action, user, record):
    kwargs = {"actor": user, "period": record.period, "region": record.region}
    if action == A.CONFIRM:
        return services.confirm_figures(explanation="数据正常", **kwargs)
    if action == A.ACCEPT:
        return services.accept_figures(**kwargs)
    return services.reopen_figures(reason="数据有误", **kwargs)


def snapshot(record):
    return RegionApproval.objects.get(pk=record.pk).status, ApprovalEvent.objects.count(), RegionApproval.objects.count()


def test_the_approval_lifecycle_is_the_table_of_this_test():
    assert {key: move.to for key, move in APPROVAL.table.items()} == {
        key: to for key, (_who, to) in approval_table("370102").items()
    }
    assert APPROVAL.actions() == APPROVAL_ACTIONS


@pytest.mark.parametrize("code", ["370102", "370100"])
@pytest.mark.parametrize("state", APPROVAL_STATES)
@pytest.mark.parametrize("action", APPROVAL_ACTIONS)
def test_each_state_action_and_role_on_a_regions_figures(cast, code, state, action):
    table = approval_table(code)
    allowed_roles, to = table.get((state, action), (set(), None))
    period = ended_period()
    for role in ROLES:
        user = cast[role]
        record = approval(period, code, state)
        allowed = role in allowed_roles
        assert (action in APPROVAL.available_actions(user, record)) == allowed, (code, role, state, action)
        assert bool(approval_offers(user, record, period).get(str(action))) == allowed, (code, role, state, action)
        before = snapshot(record)
        if allowed:
            take(action, user, record)
            assert RegionApproval.objects.get(pk=record.pk).status == to, (code, role, state, action)
            assert ApprovalEvent.objects.filter(region=record.region).count() == 1
        else:
            with pytest.raises(ValidationError) as refusal:
                take(action, user, record)
            expected = "invalid_move" if (state, action) not in table else "not_allowed"
            assert refusal.value.code == expected, (code, role, state, action, refusal.value.messages)
            assert snapshot(record) == before, (code, role, state, action)
        RegionApproval.objects.filter(period=period).delete()
        ApprovalEvent.objects.all().delete()


@pytest.mark.parametrize("code", ["370102", "370100"])
@pytest.mark.parametrize("state", APPROVAL_STATES)
def test_available_actions_are_the_allowed_ones_in_the_tables_order(cast, code, state):
    table = approval_table(code)
    record = approval(ended_period(), code, state)
    for role in ROLES:
        expected = [action for action in APPROVAL_ACTIONS if role in table.get((state, action), (set(), None))[0]]
        assert APPROVAL.available_actions(cast[role], record) == expected, (code, role, state)


def test_nothing_is_offered_while_the_period_is_under_way_or_closed(cast):
    under_way = AssessmentPeriod.objects.create(label="2099", start=date(2099, 1, 1), end=date(2099, 12, 31))
    assert APPROVAL.available_actions(cast["county_staff"], approval(under_way, "370102", S.OPEN)) == []
    closed = AssessmentPeriod.objects.create(
        label="2024", start=date(2024, 1, 1), end=date(2024, 12, 31), status=PeriodStatus.CLOSED
    )
    assert APPROVAL.available_actions(cast["city_staff"], approval(closed, "370102", S.CONFIRMED)) == []


# The refusal each role reads, for the move it may not take on 历下区's figures in the state that allows it.
CONFIRM_REFUSALS = {
    "admin": "Only the staff of 历下区 can confirm its figures.",
    "province_staff": "Only the staff of 历下区 can confirm its figures.",
    "city_staff": "Only the staff of 历下区 can confirm its figures.",
    "other_county_staff": "Only the staff of 历下区 can confirm its figures.",
    "reviewer": "You cannot confirm, accept or reopen figures.",
    "cadre": "You cannot confirm, accept or reopen figures.",
    "handler": "You cannot confirm, accept or reopen figures.",
    "other_county_cadre": "You cannot confirm, accept or reopen figures.",
}
ACCEPT_REFUSALS = {
    "county_staff": "A region cannot accept its own figures: the region directly above accepts them.",
    "county_admin": "A region cannot accept its own figures: the region directly above accepts them.",
    "admin": "Only the staff of the region directly above 历下区 can accept its figures.",
    "province_staff": "Only the staff of the region directly above 历下区 can accept its figures.",
    "other_county_staff": "Only the staff of the region directly above 历下区 can accept its figures.",
    "reviewer": "You cannot confirm, accept or reopen figures.",
}
REOPEN_ACCEPTED_REFUSALS = {
    "county_staff": "Accepted figures of 历下区 can only be reopened by the region directly above, which accepted them.",
    "admin": "Accepted figures of 历下区 can only be reopened by the region directly above, which accepted them.",
    "cadre": "You cannot confirm, accept or reopen figures.",
}


@pytest.mark.parametrize(
    "state, action, refusals",
    [
        (S.OPEN, A.CONFIRM, CONFIRM_REFUSALS),
        (S.CONFIRMED, A.ACCEPT, ACCEPT_REFUSALS),
        (S.ACCEPTED, A.REOPEN, REOPEN_ACCEPTED_REFUSALS),
    ],
)
def test_who_may_not_act_reads_why(cast, state, action, refusals):
    record = approval(ended_period(), "370102", state)
    for role, message in refusals.items():
        with pytest.raises(ValidationError) as refusal:
            take(action, cast[role], record)
        assert refusal.value.messages == [message], role


STATE_REFUSALS = {
    (S.CONFIRMED, A.CONFIRM): "The figures of 历下区 are already confirmed: reopen them to confirm them again.",
    (S.ACCEPTED, A.CONFIRM): "The figures of 历下区 are already accepted by the region directly above.",
    (S.OPEN, A.ACCEPT): "Only confirmed figures can be accepted: 历下区 has not confirmed its figures yet.",
    (S.ACCEPTED, A.ACCEPT): "The figures of 历下区 are already accepted.",
    (S.OPEN, A.REOPEN): "The figures of 历下区 are not confirmed: there is nothing to reopen.",
}


def test_a_move_the_state_does_not_allow_reads_why(cast):
    period = ended_period()
    for (state, action), message in STATE_REFUSALS.items():
        record = approval(period, "370102", state)
        with pytest.raises(ValidationError) as refusal:
            take(action, cast["city_staff"], record)
        assert refusal.value.messages == [message], (state, action)
        record.delete()


# ---------------------------------------------------------------------------------------------------
# The period

CLOSERS = {"admin"}  # the province's administrator; 历下区's administrator has the permission, not the place
PERIOD_TABLE = {
    (PeriodStatus.OPEN, A.CLOSE): (CLOSERS, PeriodStatus.CLOSED),
    (PeriodStatus.CLOSED, A.REOPEN_PERIOD): (CLOSERS, PeriodStatus.OPEN),
}
PERIOD_ACTIONS = [A.CLOSE, A.REOPEN_PERIOD]


def take_on_period(action, user, period):
    if action == A.CLOSE:
        return services.close_period(actor=user, period=period, force=True, reason="省里决定按期关闭")
    return services.reopen_period(actor=user, period=period, reason="补录数据")


def test_the_period_lifecycle_is_the_table_of_this_test():
    assert {key: move.to for key, move in PERIOD.table.items()} == {key: to for key, (_who, to) in PERIOD_TABLE.items()}
    assert PERIOD.actions() == PERIOD_ACTIONS


@pytest.mark.parametrize("state", list(PeriodStatus))
@pytest.mark.parametrize("action", PERIOD_ACTIONS)
def test_each_state_action_and_role_on_a_period(cast, state, action):
    allowed_roles, to = PERIOD_TABLE.get((state, action), (set(), None))
    period = ended_period()
    for role in ROLES:
        AssessmentPeriod.objects.filter(pk=period.pk).update(status=state)
        period.refresh_from_db()
        allowed = role in allowed_roles
        assert (action in PERIOD.available_actions(cast[role], period)) == allowed, (role, state, action)
        events = ApprovalEvent.objects.count()
        if allowed:
            take_on_period(action, cast[role], period)
            assert AssessmentPeriod.objects.get(pk=period.pk).status == to
            assert ApprovalEvent.objects.count() == events + 1
        else:
            with pytest.raises(ValidationError) as refusal:
                take_on_period(action, cast[role], period)
            expected = "invalid_move" if (state, action) not in PERIOD_TABLE else "not_allowed"
            assert refusal.value.code == expected, (role, state, action, refusal.value.messages)
            assert AssessmentPeriod.objects.get(pk=period.pk).status == state
            assert ApprovalEvent.objects.count() == events


def test_who_may_not_close_a_period_reads_why(cast):
    period = ended_period()
    for role, message in {
        "county_admin": "Only the province's administrators can close or reopen a period.",
        "province_staff": "You cannot close or reopen assessment periods.",
        "reviewer": "You cannot close or reopen assessment periods.",
    }.items():
        with pytest.raises(ValidationError) as refusal:
            take_on_period(A.CLOSE, cast[role], period)
        assert refusal.value.messages == [message], role


# ---------------------------------------------------------------------------------------------------
# Schemes: changed while their period is open, by whoever sets their owner's schemes

SCHEME_SETTERS = {"admin"}  # the province's schemes: its administrators (no city administrator in the cast)


@pytest.mark.parametrize("closed", [False, True])
def test_each_role_on_the_provinces_scheme(cast, closed):
    period = ended_period()
    scheme = Scheme.objects.create(period=period, owner_id="370000", assessed_level="city", name="省级方案")
    SchemeItem.objects.create(scheme=scheme, indicator="liaison_coverage", weight=100, target=100)
    if closed:
        AssessmentPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
        scheme = Scheme.objects.get(pk=scheme.pk)
    items = [{"indicator": "visit_coverage", "weight": 100, "target": 90, "rule": "linear"}]
    for role in ROLES:
        allowed = role in SCHEME_SETTERS and not closed
        assert (A.EDIT in SCHEME.available_actions(cast[role], scheme)) == allowed, role
        if allowed:
            services.set_scheme_items(actor=cast[role], scheme=scheme, items=items)
            assert list(scheme.items.values_list("indicator", flat=True)) == ["visit_coverage"]
            SchemeItem.objects.filter(scheme=scheme).update(indicator="liaison_coverage")
        else:
            with pytest.raises(ValidationError) as refusal:
                services.set_scheme_items(actor=cast[role], scheme=scheme, items=items)
            assert refusal.value.code == ("invalid_move" if closed else "not_allowed"), role
            assert list(scheme.items.values_list("indicator", flat=True)) == ["liaison_coverage"]
