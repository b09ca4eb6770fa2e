"""The right words on the problem list: one official name for each united-front office, on the page, in
refusals and in the ledger; no escalation offered to the province of a problem it already holds; the
action forms of one page never share a control's name."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Region
from core.lifecycle import INVALID_MOVE
from problems import services
from problems.exports import responsible_unit
from problems.lifecycle import Action
from problems.tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "office"),
    [
        ("370000", "中共山东省委统战部"),
        ("370100", "中共济南市委统战部"),
        ("370102", "中共济南市历下区委统战部"),
        ("370103", "中共济南市市中区委统战部"),
        ("370402", "中共枣庄市市中区委统战部"),  # a district's name repeats across cities: its city tells them apart
        ("370124", "中共平阴县委统战部"),
        ("370982", "中共新泰市委统战部"),
        ("370176", "中共济南高新技术产业开发区工委统战部"),
    ],
)
def test_each_region_has_one_official_name_for_its_united_front_office(code, office):
    assert Region.objects.select_related("parent").get(code=code).united_front_office == office


def test_the_problem_page_names_the_office_officially(cast, problem):
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(cast["county_staff"])
    html = page.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert html.count("中共济南市历下区委统战部") >= 2  # the holder and the office in charge
    assert "济南市 历下区委统战部" not in html and "历下区统战部" not in html


def test_the_ledger_names_the_office_holding_a_problem_officially(cast, problem):
    assert responsible_unit(problem) == "中共济南市历下区委统战部"
    escalated = services.escalate(actor=cast["county_staff"], problem=problem, justification="需省级统筹。")
    assert responsible_unit(escalated) == "中共山东省委统战部"


def test_refusals_name_the_office_officially(cast, problem):
    with pytest.raises(ValidationError, match="Only 中共济南市历下区委统战部 can do this"):
        services.escalate(actor=cast["other_county_staff"], problem=problem, justification="x")


@pytest.fixture
def held_by_the_province(cast, enterprise):
    """A problem raised at the province: its office is the province's, with no one above it."""
    return services.raise_problem(
        actor=cast["province_staff"], enterprise=enterprise, category=category(), description="跨市问题。"
    )


def test_the_province_is_not_offered_to_escalate_a_problem_it_holds(cast, held_by_the_province, problem):
    assert held_by_the_province.handling_region_id == "370000"
    assert Action.ESCALATE not in services.available_actions(cast["province_staff"], held_by_the_province)
    assert Action.ESCALATE in services.available_actions(cast["county_staff"], problem)


def test_escalating_a_problem_the_province_holds_is_refused_with_a_reason(cast, held_by_the_province):
    with pytest.raises(ValidationError) as refused:
        services.escalate(actor=cast["province_staff"], problem=held_by_the_province, justification="x")
    assert refused.value.code == INVALID_MOVE
    assert "中共山东省委统战部" in refused.value.messages[0]
    held_by_the_province.refresh_from_db()
    assert held_by_the_province.escalated_at is None


def test_the_problem_page_of_the_province_offers_no_escalation(cast, held_by_the_province):
    client = Client()
    client.force_login(cast["province_staff"])
    page = client.get(reverse("problems:detail", args=[held_by_the_province.pk])).content.decode()
    assert "escalate-justification" not in page
    assert "solve-proposed_solution" in page  # the province triages it as any office does


def test_the_action_forms_of_one_page_name_their_shared_fields_apart(cast, problem):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast["county_staff"])
    page = client.get(reverse("problems:detail", args=[problem.pk])).content.decode()
    for label in ("Documents (Refer)", "Documents (Escalate to the province)", "Deadline (Refer)", "Note (Refer)"):
        assert f'aria-label="{label}"' in page
