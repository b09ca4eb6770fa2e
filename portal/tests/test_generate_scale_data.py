"""`manage.py generate_scale_data`: the small preset's counts, every invariant the services keep (as queries),
the refusal of a database with real data, a second run adding nothing, bulk writes (queries not growing
with the data set) and the pages of a generated official."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from assessment.models import AssessmentPeriod, PeriodStatus
from cases.models import Case, CaseEvent, CaseStatus, HistoricalCase
from enterprises.models import Enterprise, HistoricalEnterprise, HistoricalLiaisonAssignment, LiaisonAssignment
from enterprises.tests.factories import EnterpriseFactory
from forums.models import Forum, ForumAttendance, ForumStatus, Opinion
from notifications.models import Notification
from portal.scale.guard import MARKER_KEY
from problems.models import FEEDBACK_STATES, Problem, ProblemEvent, ProblemStatus, Source, Verdict, VerdictChannel
from reviews.models import Review, ReviewStatus
from visits.models import PolicyDelivery, Visit, VisitAttachment, VisitStatus

TODAY = date(2026, 11, 20)


def generate(*args):
    """Run the command (its messages read in their English source)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("generate_scale_data", "--preset", "small", "--seed", "7", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def generated(db):
    return generate()


def near(value, target, tolerance=0.15):
    return abs(value - target) <= target * tolerance


def test_small_preset_counts_and_progress(generated):
    assert Enterprise.objects.count() == 300
    assert set(Enterprise.objects.values_list("region__parent_id", flat=True)) == {"370100", "370200"}
    assert near(Visit.objects.count(), 3000)
    assert near(Problem.objects.count(), 900)
    assert near(Forum.objects.count(), 60, 0.25)
    assert Case.objects.count() == 20
    assert near(User.objects.count(), 150, 0.3)
    assert LiaisonAssignment.objects.count() >= 300
    assert ProblemEvent.objects.count() > 3 * Problem.objects.count()
    for domain in ("officials", "enterprises", "liaisons", "visits", "forums", "problems", "cases", "reviews", "assessment"):
        assert f"\n{domain} " in "\n" + generated, domain
    assert "rows" in generated and "scale_admin" in generated


def test_visits_keep_the_invariants(generated):
    visits = Visit.objects.all()
    assert not visits.exclude(region_id=F("enterprise__region_id")).exists()
    liaison = LiaisonAssignment.objects.filter(
        enterprise=OuterRef("enterprise"),
        official=OuterRef("cadre"),
        level=OuterRef("level"),
        started_on__lte=OuterRef("visited_on"),
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("visited_on")))
    assert not visits.exclude(Exists(liaison)).exists()
    assert not visits.filter(status=VisitStatus.SUBMITTED, submitted_at__isnull=True).exists()
    assert not visits.filter(status=VisitStatus.DRAFT, submitted_at__isnull=False).exists()
    assert visits.filter(status=VisitStatus.DRAFT).exists()
    assert not visits.filter(visited_on__gt=TODAY).exists()
    companions = Visit.companions.through.objects
    assert companions.exists() and not companions.filter(visit__cadre=F("user")).exists()
    assert Visit.policies_explained.through.objects.exists()
    deliveries = PolicyDelivery.objects.all()
    assert deliveries.exists()
    assert not deliveries.exclude(region_id=F("visit__region_id")).exists()
    assert not deliveries.exclude(enterprise_id=F("visit__enterprise_id")).exists()
    explained = Visit.policies_explained.through.objects.filter(visit=OuterRef("visit"), policy=OuterRef("policy"))
    assert not deliveries.exclude(Exists(explained)).exists()
    assert VisitAttachment.objects.exists()
    assert not VisitAttachment.objects.exclude(visit__status=VisitStatus.SUBMITTED).exists()


def test_liaisons_and_history(generated):
    assignments = LiaisonAssignment.objects.all()
    assert not assignments.exclude(region_id=F("enterprise__region_id")).exists()
    assert not assignments.exclude(level=F("official__region__level")).exists()
    assert set(assignments.values_list("level", flat=True)) == {"province", "city", "county"}
    assert assignments.filter(ended_on__isnull=False).exists()
    assert not assignments.filter(ended_on__isnull=True).values("enterprise", "level").annotate(n=Count("id")).filter(n__gt=1)
    created = HistoricalEnterprise.objects.filter(history_type="+")
    assert created.count() == Enterprise.objects.count()
    assert not Enterprise.objects.exclude(Exists(created.filter(id=OuterRef("pk")))).exists()
    latest = HistoricalEnterprise.objects.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
    assert not Enterprise.objects.exclude(contact_mobile=Subquery(latest.values("contact_mobile")[:1])).exists()
    assert apps.get_model("enterprises", "HistoricalEnterprise_tags").objects.exists()
    assigned = HistoricalLiaisonAssignment.objects.filter(history_type="+")
    assert assigned.count() == assignments.count()
    ended = HistoricalLiaisonAssignment.objects.filter(history_type="~", ended_on__isnull=False)
    assert ended.count() == assignments.filter(ended_on__isnull=False).count()
    assert HistoricalCase.objects.count() == Case.objects.count()


def test_problems_end_their_timelines_in_their_state(generated):
    problems = Problem.objects.all()
    last = ProblemEvent.objects.filter(problem=OuterRef("pk")).order_by("-at", "-id").values("status")[:1]
    assert not problems.annotate(last=Subquery(last)).exclude(last=F("status")).exists()
    first = ProblemEvent.objects.filter(problem=OuterRef("pk")).order_by("at", "id")
    assert not problems.annotate(first=Subquery(first.values("kind")[:1])).exclude(first="raised").exists()
    assert not ProblemEvent.objects.filter(at__lt=F("problem__created_at")).exists()
    assert set(problems.values_list("status", flat=True)) == set(ProblemStatus.values)
    assert not problems.exclude(region_id=F("enterprise__region_id")).exists()
    on_visits = problems.filter(source=Source.VISIT)
    assert on_visits.exists()
    assert not on_visits.exclude(enterprise_id=F("visit__enterprise_id")).exists()
    assert not on_visits.exclude(visit__status=VisitStatus.SUBMITTED).exists()
    assert not on_visits.filter(visit__problems_raised="").exists()
    clock = [ProblemStatus.IN_PROGRESS, ProblemStatus.WAITING, ProblemStatus.REFERRED, ProblemStatus.RETURNED]
    assert not problems.filter(status__in=clock, deadline__isnull=True).exists()
    assert not problems.filter(status__in=clock, handling_department__isnull=True).exclude(status=ProblemStatus.RETURNED).exists()
    assert not problems.filter(deadline__isnull=False, dispatched_at__isnull=True).exists()
    assert not problems.filter(deadline__lt=F("raised_on")).exists()
    assert problems.overdue(today=TODAY).exists()
    assert not problems.filter(status=ProblemStatus.WAITING, paused_on__isnull=True).exists()
    assert not problems.filter(status=ProblemStatus.ESCALATED).exclude(handling_region_id="370000").exists()
    assert not problems.filter(status__in=FEEDBACK_STATES, outcome="").exists()
    # Verdicts: every verdict of a closed problem is its final one, every reopening by verdict has its row.
    verdicts = Verdict.objects.filter(problem=OuterRef("pk"), round=OuterRef("feedback_round"), verdict=OuterRef("final_verdict"))
    closed = problems.filter(status=ProblemStatus.CLOSED)
    assert closed.exclude(final_verdict="").exists() and closed.filter(final_verdict="").exists()
    assert not closed.exclude(final_verdict="").exclude(Exists(verdicts)).exists()
    assert not closed.filter(closed_at__isnull=True).exists()
    assert Verdict.objects.filter(channel=VerdictChannel.PHONE).exists()
    assert not Verdict.objects.filter(channel=VerdictChannel.PHONE, called_by__isnull=True).exists()
    assert problems.filter(status=ProblemStatus.REOPENED, verdicts__verdict="not_satisfied").exists()


def test_forums_opinions_cases_reviews_and_periods(generated):
    held = Forum.objects.filter(status=ForumStatus.HELD)
    assert held.exists() and Forum.objects.filter(status=ForumStatus.PLANNED).exists()
    assert Forum.objects.counting().count() == held.count()
    assert not Forum.objects.exclude(level=F("region__level")).exists()
    assert not held.filter(held_at__isnull=True).exists()
    opinions = Opinion.objects.all()
    assert opinions.exists()
    assert not opinions.exclude(region_id=F("forum__region_id")).exists()
    attended = ForumAttendance.objects.filter(forum=OuterRef("forum"), enterprise=OuterRef("enterprise"))
    assert not opinions.exclude(Exists(attended)).exists()
    on_list = opinions.filter(problem__isnull=False)
    assert on_list.exists() and not on_list.exclude(problem__source=Source.FORUM).exists()
    assert not on_list.exclude(problem__enterprise_id=F("enterprise_id")).exists()
    # Model cases
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-id").values("status")[:1]
    assert not Case.objects.annotate(last=Subquery(last)).exclude(last=F("status")).exists()
    assert Case.objects.filter(status=CaseStatus.PUBLISHED).exists()
    assert not Case.objects.exclude(region_id=F("enterprise__region_id")).exists()
    # Reviews: acknowledged by the region directly above
    acknowledged = Review.objects.filter(status=ReviewStatus.ACKNOWLEDGED)
    assert acknowledged.exists()
    assert not acknowledged.exclude(acknowledged_by__region_id=F("region__parent_id")).exists()
    assert not Review.objects.filter(practices__isnull=True).exists()
    # Assessment periods: the generated years, only the current one open
    assert list(AssessmentPeriod.objects.order_by("label").values_list("label", "status")) == [
        ("2025", PeriodStatus.CLOSED),
        ("2026", PeriodStatus.OPEN),
    ]


def test_officials_have_roles_in_their_regions(generated):
    officials = User.objects.all()
    assert not officials.exclude(username__startswith="scale_").exists()
    assert not officials.filter(groups__isnull=True).exists()
    assert not officials.filter(region__isnull=True).exists()
    for role in Role:
        assert officials.with_role(role).exists(), role
    staff_regions = set(officials.with_role(Role.STAFF).values_list("region_id", flat=True))
    assert {"370000", "370100", "370200", "370102"} <= staff_regions
    assert not officials.with_role(Role.HANDLER).filter(department__isnull=True).exists()
    assert not officials.exclude(department__isnull=True).exclude(department__region_id=F("region_id")).exists()
    assert Notification.objects.filter(key=MARKER_KEY, recipient__username="scale_admin").exists()


def _fingerprint(*args):
    """What a run wrote, in a comparable form; the run is then rolled back."""
    with transaction.atomic():
        generate(*args)
        fingerprint = (
            list(
                Visit.objects.order_by("pk").values_list(
                    "enterprise__credit_code", "cadre__username", "visited_on", "submitted_at"
                )
            ),
            list(Problem.objects.order_by("pk").values_list("enterprise__credit_code", "status", "deadline", "closed_at")),
            list(ProblemEvent.objects.order_by("pk").values_list("problem_id", "kind", "at")),
        )
        transaction.set_rollback(True)
    return fingerprint


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _fingerprint()
    assert first[0] and first == _fingerprint()
    assert _fingerprint("--seed", "8") != first


def test_a_second_run_adds_nothing(generated):
    models = (User, Enterprise, LiaisonAssignment, Visit, Problem, ProblemEvent, Forum, Case, Review, AssessmentPeriod)
    before = [model.objects.count() for model in models]
    output = generate()
    assert "nothing was added" in output
    assert [model.objects.count() for model in models] == before


@pytest.mark.django_db
def test_refuses_a_database_with_real_data_and_says_why():
    EnterpriseFactory()
    with pytest.raises(CommandError, match="enterprises") as refusal:
        generate()
    assert "--allow-existing" in str(refusal.value)
    assert Enterprise.objects.count() == 1 and not User.objects.filter(username__startswith="scale_").exists()


@pytest.mark.django_db
def test_refuses_real_officials_unless_allowed_and_keeps_them():
    official = UserFactory(username="lx_staff", roles=[Role.STAFF])
    with pytest.raises(CommandError, match="officials"):
        generate()
    generate("--allow-existing")
    assert User.objects.filter(pk=official.pk).exists()
    assert Enterprise.objects.count() == 300


@pytest.mark.django_db
def test_refuses_after_an_unfinished_run():
    generate()
    Notification.objects.filter(key=MARKER_KEY).delete()  # as if the run had stopped before its end
    with pytest.raises(CommandError, match="stopped before it finished"):
        generate()


@pytest.mark.django_db
def test_bad_options_are_refused_with_a_message():
    with pytest.raises(CommandError):
        generate("--scale", "-1")
    with pytest.raises(CommandError, match="region-code prefixes"):
        generate("--regions", "jinan")


def _queries(*args):
    """The queries of a whole run, and the visits it wrote; the run is then rolled back."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            generate("--batch-size", "1000000", *args)
        visits = Visit.objects.count()
        transaction.set_rollback(True)
    return len(captured), visits


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data_set():
    small, small_visits = _queries()
    larger, larger_visits = _queries("--scale", "3")
    assert larger_visits > 2.5 * small_visits
    assert larger <= small + 2, (small, larger)
    assert small < 250  # a few per table (ids, the batch, its savepoint), whatever the sizes


def test_pages_render_for_generated_officials(generated, client):
    county = Enterprise.objects.values("region_id").annotate(n=Count("id")).order_by("-n")[0]["region_id"]
    staff = User.objects.with_role(Role.STAFF).filter(region_id=county).first()
    cadre = User.objects.with_role(Role.CADRE).filter(region_id=county, assignments__isnull=False).first()
    pages = ["/", reverse("visits:list"), reverse("problems:list"), reverse("enterprises:list")]
    for official, urls in ((staff, pages), (cadre, [*pages, reverse("visits:mine")])):
        client.force_login(official)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (official.username, url)
    client.force_login(staff)
    visit = Visit.objects.filter(region_id=county).first()
    assert client.get(reverse("visits:detail", args=[visit.pk])).status_code == 200
    problem = Problem.objects.filter(region_id=county).first()
    assert client.get(reverse("problems:detail", args=[problem.pk])).status_code == 200
