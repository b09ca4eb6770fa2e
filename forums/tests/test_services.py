from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Region
from accounts.tests.factories import DepartmentFactory, UserFactory
from enterprises.tests.factories import EnterpriseFactory
from forums import services
from forums.models import Forum, ForumStatus, Opinion
from forums.tests.factories import ForumFactory, at
from problems.models import Problem, Source
from problems.tests.factories import category

TODAY = date(2026, 5, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def lixia():
    return Region.objects.get(code="370102")


@pytest.fixture
def forum(cast):
    return ForumFactory(created_by=cast["county_staff"])


def hold(cast, forum, enterprise=None, **kwargs):
    enterprise = enterprise or EnterpriseFactory()
    return services.record_held(
        actor=cast["county_staff"],
        forum=forum,
        minutes=kwargs.pop("minutes", "与会企业反映融资、用地问题。"),
        attendance=kwargs.pop("attendance", [(enterprise, "张三", "董事长")]),
        today=TODAY,
        **kwargs,
    )


def test_staff_plans_a_forum_of_their_region(cast, lixia):
    department = DepartmentFactory()
    enterprise = EnterpriseFactory()
    forum = services.plan_forum(
        actor=cast["county_staff"],
        region=lixia,
        starts_at=at(2026, 6, 1),
        venue="区政务中心",
        theme="优化营商环境",
        organisers=[department],
        invited_enterprises=[enterprise],
        invited_officials=[cast["city_staff"], cast["cadre"]],
        today=TODAY,
    )
    assert (forum.status, forum.level, forum.created_by) == (ForumStatus.PLANNED, "county", cast["county_staff"])
    assert list(forum.invited_enterprises.all()) == [enterprise]


@pytest.mark.parametrize("starts_at", [at(2017, 12, 31), at(2028, 5, 21)])
def test_a_forum_dated_outside_the_sensible_range_is_refused(cast, lixia, starts_at):
    with pytest.raises(ValidationError, match="must be dated between"):
        services.plan_forum(
            actor=cast["county_staff"], region=lixia, starts_at=starts_at, venue="会议室", theme="座谈", today=TODAY
        )
    assert not Forum.objects.exists()


def test_planning_is_refused_to_cadres_and_outside_the_region(cast, lixia):
    arguments = {"region": lixia, "starts_at": at(2026, 6, 1), "venue": "会议室", "theme": "座谈", "today": TODAY}
    with pytest.raises(ValidationError, match="cannot plan"):
        services.plan_forum(actor=cast["cadre"], **arguments)
    with pytest.raises(ValidationError, match="only for your region"):
        services.plan_forum(actor=cast["other_county_staff"], **arguments)


def test_invitations_from_outside_the_region_are_refused(cast, lixia):
    arguments = {"region": lixia, "starts_at": at(2026, 6, 1), "venue": "会议室", "theme": "座谈", "today": TODAY}
    other_enterprise = EnterpriseFactory(region_id="370103", credit_code="91370103MA3C000011")
    with pytest.raises(ValidationError, match="enterprises are outside"):
        services.plan_forum(actor=cast["county_staff"], invited_enterprises=[other_enterprise], **arguments)
    with pytest.raises(ValidationError, match="officials are outside"):
        services.plan_forum(actor=cast["county_staff"], invited_officials=[cast["other_county_cadre"]], **arguments)
    with pytest.raises(ValidationError, match="cannot organise"):
        services.plan_forum(actor=cast["county_staff"], organisers=[DepartmentFactory(region_id="370103")], **arguments)
    assert not Forum.objects.exists()


def test_record_held_saves_minutes_attendance_and_officials(cast, forum):
    held = hold(cast, forum, attending_officials=[cast["cadre"], cast["city_staff"]])
    assert held.status == ForumStatus.HELD and held.held_at is not None
    assert held.attendances.get().entrepreneur_name == "张三"
    assert set(held.attending_officials.all()) == {cast["cadre"], cast["city_staff"]}
    assert Forum.objects.counting().filter(pk=forum.pk).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minutes": "  "}, "Write the minutes"),
        ({"attendance": []}, "List the enterprises"),
    ],
)
def test_record_held_requires_minutes_and_attendance(cast, forum, changes, message):
    with pytest.raises(ValidationError, match=message):
        hold(cast, forum, **changes)
    forum.refresh_from_db()
    assert forum.status == ForumStatus.PLANNED and not forum.attendances.exists()


def test_a_forum_in_the_future_cannot_be_recorded_as_held(cast):
    future = ForumFactory(starts_at=at(2026, 5, 21))
    with pytest.raises(ValidationError, match="future"):
        hold(cast, future)


def test_attendees_from_outside_the_region_are_refused(cast, forum):
    other_enterprise = EnterpriseFactory(region_id="370103", credit_code="91370103MA3C000011")
    with pytest.raises(ValidationError, match="enterprises are outside"):
        hold(cast, forum, enterprise=other_enterprise)
    with pytest.raises(ValidationError, match="officials are outside"):
        hold(cast, forum, attending_officials=[cast["other_county_cadre"]])
    forum.refresh_from_db()
    assert forum.status == ForumStatus.PLANNED and not forum.attendances.exists()


def test_minutes_only_on_a_held_forum(cast, forum):
    with pytest.raises(ValidationError, match="only for a forum that has been held"):
        services.update_minutes(actor=cast["county_staff"], forum=forum, minutes="纪要")
    held = hold(cast, forum)
    assert services.update_minutes(actor=cast["county_staff"], forum=held, minutes="修订纪要").minutes == "修订纪要"


def test_cancel_needs_a_reason_and_refuses_a_held_forum(cast, forum):
    with pytest.raises(ValidationError, match="Say why"):
        services.cancel(actor=cast["county_staff"], forum=forum, reason=" ")
    cancelled = services.cancel(actor=cast["county_staff"], forum=forum, reason="防汛工作冲突")
    assert (cancelled.status, cancelled.cancel_reason) == (ForumStatus.CANCELLED, "防汛工作冲突")
    with pytest.raises(ValidationError, match="cancelled forum cannot be recorded"):
        hold(cast, cancelled)
    held = hold(cast, ForumFactory())
    with pytest.raises(ValidationError, match="held cannot be cancelled"):
        services.cancel(actor=cast["county_staff"], forum=held, reason="误录")
    held.refresh_from_db()
    assert held.status == ForumStatus.HELD and held.cancel_reason == ""


def test_staff_outside_the_region_cannot_change_the_forum(cast, forum):
    with pytest.raises(ValidationError, match="outside your region"):
        services.cancel(actor=cast["other_county_staff"], forum=forum, reason="x")


def test_opinions_only_after_the_forum_and_turned_into_a_problem_once(cast, forum):
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError, match="only for a forum that has been held"):
        services.add_opinion(actor=cast["county_staff"], forum=forum, enterprise=enterprise, text="融资难")
    held = hold(cast, forum, enterprise=enterprise)
    opinion = services.add_opinion(actor=cast["county_staff"], forum=held, enterprise=enterprise, text="融资难，盼协调银行")
    linked = services.opinion_to_problem(actor=cast["county_staff"], opinion=opinion, category=category())
    problem = Problem.objects.get()
    assert linked.problem == problem and Opinion.objects.get().problem == problem
    assert (problem.source, problem.enterprise, problem.description) == (Source.FORUM, enterprise, "融资难，盼协调银行")
    assert held.theme in problem.source_note and "2026-05-10" in problem.source_note
    assert problem.raised_on == date(2026, 5, 10)
    with pytest.raises(ValidationError, match="already on the problem list"):
        services.opinion_to_problem(actor=cast["county_staff"], opinion=opinion, category=category())
    assert Problem.objects.count() == 1


def test_opinions_are_fenced_by_the_forum_region(cast, forum):
    held = hold(cast, forum)
    services.add_opinion(actor=cast["county_staff"], forum=held, enterprise=held.attendances.get().enterprise, text="用地")
    assert Opinion.objects.visible_to(cast["city_staff"]).count() == 1
    assert not Opinion.objects.visible_to(cast["other_county_staff"]).exists()
    assert Forum.objects.visible_to(cast["cadre"]).count() == 1
    assert not Forum.objects.visible_to(UserFactory(region_id="370103")).exists()
