"""Voiding a submitted visit: by staff or an administrator of its region, with a reason; the visit stays on the
record, readable with a banner, and counts nowhere a submitted visit counts (the assessment, due dates, the
enterprise's timeline), while the problems raised from it stay. Due dates: test_due_dates; the table of who may
void what: test_lifecycle."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from assessment.figures import window_of
from assessment.indicators import BY_CODE
from assessment.tests.factories import AssessmentPeriodFactory, local, submit_visit
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from problems.models import Problem
from visits import services
from visits.models import Visit, VisitStatus
from visits.timeline import enterprise_events

pytestmark = pytest.mark.django_db

REASON = "同一次走访登记了两次"
ALREADY_VOIDED = "This visit has already been voided."
ONLY_SUBMITTED = "Only a submitted visit can be voided; its cadre may delete a draft."


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def visit(cast):
    """A visit the 历下区 cadre submitted last week, with one problem line (now a problem of the list)."""
    enterprise = AssignmentFactory(official=cast["cadre"], enterprise=EnterpriseFactory(region_id="370102")).enterprise
    return services.save_visit(
        actor=cast["cadre"],
        visit=Visit(enterprise=enterprise, visited_on=timezone.localdate() - timedelta(days=7), problems_raised="厂房审批慢"),
        companions=[],
        policies_explained=[],
        deliveries=[],
        attachments=[],
        submit=True,
    )


def void(client, visit, reason=REASON):
    return client.post(reverse("visits:void", args=[visit.pk]), {"reason": reason})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_county_staff_void_a_visit_which_stays_readable_with_who_when_and_why(cast, visit):
    [problem] = Problem.objects.filter(visit=visit)
    client = signed_in(cast["county_staff"])
    response = void(client, visit, f"  {REASON}  ")
    assert response.status_code == 302 and response["Location"] == reverse("visits:detail", args=[visit.pk])
    visit.refresh_from_db()
    assert (visit.status, visit.voided_by, visit.void_reason) == (VisitStatus.VOIDED, cast["county_staff"], REASON)
    assert timezone.now() - visit.voided_at < timedelta(minutes=1)

    page = client.get(reverse("visits:detail", args=[visit.pk]))
    body = page.content.decode()
    assert 'data-testid="visit-voided"' in body
    assert REASON in body and cast["county_staff"].display_name in body
    assert timezone.localtime(visit.voided_at).strftime("%Y-%m-%d %H:%M") in body
    assert "The problems raised from it stay on the problem list" in body
    assert 'data-status="voided"' in body, "the status badge says voided"
    assert page.context["actions"] == {} and 'data-testid="void-visit"' not in body
    # The problem raised from its line keeps its own history, and the visit's page still lists it.
    assert Problem.objects.get(pk=problem.pk).status == problem.status
    assert [record.url for record in page.context["registered"]] == [reverse("problems:detail", args=[problem.pk])]


def test_a_second_void_is_refused_with_a_message_and_changes_nothing(cast, visit):
    services.void_visit(actor=cast["city_staff"], visit=visit, reason=REASON)
    response = void(signed_in(cast["county_staff"]), visit, "另一个理由")
    assert response.status_code == 302 and messages_of(response) == [ALREADY_VOIDED]
    visit.refresh_from_db()
    assert (visit.voided_by, visit.void_reason) == (cast["city_staff"], REASON)
    with pytest.raises(ValidationError) as refused:
        services.void_visit(actor=cast["county_staff"], visit=visit, reason="另一个理由")
    assert refused.value.code == "invalid_move"


def test_a_draft_is_not_voided_but_deleted_by_its_cadre(cast, visit):
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.DRAFT)
    response = void(signed_in(cast["county_staff"]), visit)
    assert response.status_code == 302 and messages_of(response) == [ONLY_SUBMITTED]
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DRAFT


def test_staff_of_another_county_get_404_and_the_visit_stays(cast, visit):
    assert void(signed_in(cast["other_county_staff"]), visit).status_code == 404
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.SUBMITTED


@pytest.mark.parametrize("role", ["cadre", "reviewer", "handler"])
def test_a_cadre_even_the_visits_own_may_not_void_it(cast, visit, role):
    assert visit.cadre == cast["cadre"]
    assert void(signed_in(cast[role]), visit).status_code == 403
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.SUBMITTED


def test_the_void_page_takes_only_a_post(cast, visit):
    assert signed_in(cast["county_staff"]).get(reverse("visits:void", args=[visit.pk])).status_code == 405


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Say why the visit is voided."),
        ("   ", "Say why the visit is voided."),
        ("重复 ", "Say in at least 5 characters why the visit is voided (for example, “logged twice”)."),
    ],
)
def test_a_missing_or_short_reason_is_shown_beside_the_field_and_nothing_is_saved(cast, visit, reason, error):
    response = void(signed_in(cast["county_staff"]), visit, reason)
    assert response.status_code == 200
    assert response.context["void_form"].errors == {"reason": [error]}
    assert "open" in response.content.decode().split('data-testid="void-visit"')[1].split(">")[0], "the form stays open"
    visit.refresh_from_db()
    assert (visit.status, visit.voided_at, visit.voided_by, visit.void_reason) == (VisitStatus.SUBMITTED, None, None, "")


def test_the_service_refuses_a_short_reason_too(cast, visit):
    with pytest.raises(ValidationError) as refused:
        services.void_visit(actor=cast["county_staff"], visit=visit, reason="重复")
    assert list(refused.value.message_dict) == ["reason"]
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.SUBMITTED


def test_a_voided_visit_counts_no_more_in_the_assessment(cast):
    """Visit coverage, visits per cadre and the support delivered, before and after the visit is voided."""
    period = AssessmentPeriodFactory()
    enterprise = EnterpriseFactory(region_id="370102")
    AssignmentFactory(enterprise=enterprise, official=cast["cadre"], started_on=date(2025, 1, 1))
    visit = submit_visit(cast["cadre"], enterprise, date(2025, 11, 3), local(2025, 11, 3, 18), amounts=["12.50"])
    region = Region.objects.get(code="370102")
    window = window_of(period, region.level, today=date(2026, 1, 20))

    def numerators():
        return {
            code: BY_CODE[code].compute(window, [region])[region.code].numerator
            for code in ("visit_coverage", "visits_per_cadre", "support_amount")
        }

    assert numerators() == {"visit_coverage": 1, "visits_per_cadre": 1, "support_amount": Decimal("12.50")}
    services.void_visit(actor=cast["county_staff"], visit=visit, reason=REASON)
    assert numerators() == {"visit_coverage": 0, "visits_per_cadre": 0, "support_amount": 0}


def test_the_enterprise_timeline_shows_the_voiding_instead_of_the_visit(cast, visit):
    assert [event.kind for event in enterprise_events(visit.enterprise)] == ["visit"]
    services.void_visit(actor=cast["county_staff"], visit=visit, reason=REASON)
    [event] = enterprise_events(visit.enterprise)
    assert (event.kind, event.on, event.url) == ("visit-voided", timezone.localdate(), reverse("visits:detail", args=[visit.pk]))
    assert REASON in event.detail


def test_the_list_marks_voided_visits_and_filters_them(cast, visit, django_assert_max_num_queries):
    kept = services.save_visit(
        actor=cast["cadre"],
        visit=Visit(enterprise=visit.enterprise, visited_on=timezone.localdate() - timedelta(days=1)),
        companions=[],
        policies_explained=[],
        deliveries=[],
        attachments=[],
        submit=True,
    )
    services.void_visit(actor=cast["county_staff"], visit=visit, reason=REASON)
    client = signed_in(cast["county_staff"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("visits:list"))
    body = response.content.decode()
    assert [row.pk for row in response.context["page"]] == [kept.pk, visit.pk]
    assert body.count('data-status="voided"') == 1 and 'data-status="submitted"' not in body
    voided_only = client.get(reverse("visits:list"), {"status": VisitStatus.VOIDED}).context["page"]
    assert [row.pk for row in voided_only] == [visit.pk]
    submitted_only = client.get(reverse("visits:list"), {"status": VisitStatus.SUBMITTED}).context["page"]
    assert [row.pk for row in submitted_only] == [kept.pk]
