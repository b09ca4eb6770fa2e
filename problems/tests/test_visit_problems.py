"""A visit's "problems raised" reach the problem list: each line a problem, at the submission, once."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprises.tests.factories import AssignmentFactory
from problems.models import Category, Problem, ProblemStatus, Source
from visits import services as visit_services
from visits.models import Visit, VisitAttachment, VisitStatus


@pytest.fixture
def my_enterprise(cast, enterprise):
    AssignmentFactory(official=cast["cadre"], enterprise=enterprise)
    return enterprise


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def visit_data(enterprise, **overrides):
    return {
        "enterprise": enterprise.pk,
        "visited_on": timezone.localdate().isoformat(),
        "mode": "on_site",
        "purpose": "了解企业生产经营情况",
        "problems_raised": "",
        "action": "submit",
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
        "deliveries-MIN_NUM_FORMS": "0",
        "deliveries-MAX_NUM_FORMS": "1000",
        **overrides,
    }


def save(cadre, enterprise, *, submit, visit=None, problems_raised="", attachments=(), visited_on=None):
    visit = visit or Visit(cadre=cadre)
    visit.enterprise = enterprise
    visit.visited_on = visited_on or timezone.localdate()
    visit.problems_raised = problems_raised
    return visit_services.save_visit(
        actor=cadre,
        visit=visit,
        companions=[],
        policies_explained=[],
        deliveries=[],
        attachments=attachments,
        submit=submit,
    )


def test_submitting_makes_a_problem_of_each_line(cast, my_enterprise):
    visited_on = timezone.localdate() - timedelta(days=2)
    visit = save(
        cast["cadre"],
        my_enterprise,
        submit=True,
        visited_on=visited_on,
        problems_raised="1. 厂房用地指标未落实\n\n（2）用地：二期项目用地审批慢\nLabour and talent: 技术工人招不到\n",
    )
    problems = list(Problem.objects.filter(visit=visit).select_related("category").order_by("pk"))
    assert [(problem.description, problem.category.key) for problem in problems] == [
        ("厂房用地指标未落实", "other"),
        ("二期项目用地审批慢", "land"),
        ("技术工人招不到", "labour-talent"),
    ]
    for problem in problems:
        assert (problem.source, problem.enterprise, problem.raised_by) == (Source.VISIT, my_enterprise, cast["cadre"])
        assert (problem.raised_on, problem.status, problem.office_region_id) == (visited_on, ProblemStatus.NEW, "370102")
        assert problem.events.count() == 1  # "raised", on the problem's timeline
    assert [record.url for record in visit.registered] == [reverse("problems:detail", args=[p.pk]) for p in problems]
    assert visit.registered[0].label == f"#{problems[0].pk} 厂房用地指标未落实"
    visit.refresh_from_db()
    assert visit.problems_registered_at == visit.submitted_at


def test_a_draft_makes_none_and_its_submission_makes_them_once(cast, my_enterprise):
    draft = save(cast["cadre"], my_enterprise, submit=False, problems_raised="融资难\n用工难")
    assert draft.registered == [] and draft.problems_registered_at is None
    assert not Problem.objects.exists()
    draft = save(cast["cadre"], my_enterprise, submit=False, visit=Visit.objects.get(), problems_raised="融资难\n用工难")
    assert not Problem.objects.exists()
    submitted = save(cast["cadre"], my_enterprise, submit=True, visit=Visit.objects.get(), problems_raised="融资难\n用工难")
    assert len(submitted.registered) == 2 and Problem.objects.count() == 2
    # A submitted visit cannot be saved again, and nothing is registered twice.
    with pytest.raises(Exception, match="can no longer be changed"):
        save(cast["cadre"], my_enterprise, submit=True, visit=Visit.objects.get(), problems_raised="融资难\n用工难")
    assert Problem.objects.count() == 2


def test_the_stamp_keeps_the_lines_from_becoming_problems_twice(cast, my_enterprise):
    """Even a visit back in draft (an administrator's correction in the database) registers its lines once."""
    visit = save(cast["cadre"], my_enterprise, submit=True, problems_raised="融资难")
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.DRAFT)
    again = save(cast["cadre"], my_enterprise, submit=True, visit=Visit.objects.get(), problems_raised="融资难\n另一个")
    assert again.registered == []
    assert Problem.objects.filter(visit=visit).count() == 1


def test_a_refused_line_undoes_the_whole_submission(cast, my_enterprise, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Category.objects.update(is_active=False)
    photo = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    with pytest.raises(Exception) as refused:
        save(cast["cadre"], my_enterprise, submit=True, problems_raised="融资难", attachments=[photo])
    assert "no category in use" in str(refused.value)
    assert not Visit.objects.exists() and not Problem.objects.exists() and not VisitAttachment.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))  # no file left behind


def test_a_cadre_who_may_not_raise_problems_cannot_submit_them(cast, my_enterprise):
    cadre = cast["cadre"]
    from django.contrib.auth.models import Permission

    for group in cadre.groups.all():
        group.permissions.remove(Permission.objects.get(codename="add_problem"))
    cadre = type(cadre).objects.get(pk=cadre.pk)  # forget the cached permissions
    with pytest.raises(Exception, match="Problem 1 cannot be registered: You cannot raise problems"):
        save(cadre, my_enterprise, submit=True, problems_raised="融资难")
    assert not Visit.objects.exists()


def test_a_category_without_a_problem_is_refused(cast, my_enterprise):
    with pytest.raises(Exception, match="Problem 2 names the category"):
        save(cast["cadre"], my_enterprise, submit=True, problems_raised="融资难\n用地：")
    assert not Visit.objects.exists() and not Problem.objects.exists()


# Through the form, as the cadre does it.


def test_the_confirmation_counts_the_problems_and_links_them(cast, my_enterprise):
    client = signed_in(cast["cadre"])
    response = client.post(reverse("visits:create"), visit_data(my_enterprise, problems_raised="融资难\n\n用工难\n"), follow=True)
    problems = list(Problem.objects.order_by("pk"))
    assert len(problems) == 2
    page = response.content.decode()
    assert "Visit submitted; 2 problems registered on the problem list:" in page
    for problem in problems:
        assert f'href="/problems/{problem.pk}/"' in page
    # The visit's page lists them, with where they stand.
    assert [record.label for record in response.context["registered"]] == [f"#{p.pk} {p.description}" for p in problems]
    assert "Awaiting triage" in page


def test_a_draft_says_its_problems_wait_for_the_submission(cast, my_enterprise):
    client = signed_in(cast["cadre"])
    response = client.post(
        reverse("visits:create"), visit_data(my_enterprise, problems_raised="融资难\n用工难", action="draft"), follow=True
    )
    assert "its 2 problems go to the problem list when you submit the visit" in response.content.decode()
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n".join(f"问题{n}" for n in range(200)), "List at most 20 problems, one a line (this list has 200)"),
        ("融资难\n2.\n用工难", "Line 2 has a number or a bullet but no problem"),
        ("融资难\n" + "长" * 501, "Line 2 is longer than 500 characters"),
    ],
)
@pytest.mark.parametrize("action", ["submit", "draft"])
def test_bad_problem_lines_are_named_and_nothing_is_saved(cast, my_enterprise, text, message, action):
    response = signed_in(cast["cadre"]).post(
        reverse("visits:create"), visit_data(my_enterprise, problems_raised=text, action=action)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["problems_raised"])
    assert message in response.content.decode()
    assert not Visit.objects.exists() and not Problem.objects.exists()


def test_twenty_lines_and_blank_ones_are_fine(cast, my_enterprise):
    text = "\n\n".join(f"问题{n}" for n in range(20)) + "\n   \n"
    response = signed_in(cast["cadre"]).post(reverse("visits:create"), visit_data(my_enterprise, problems_raised=text))
    assert response.status_code == 302
    assert Problem.objects.count() == 20


def test_a_refusal_after_the_visit_was_written_leaves_a_new_visit_form(cast, my_enterprise):
    Category.objects.update(is_active=False)
    response = signed_in(cast["cadre"]).post(reverse("visits:create"), visit_data(my_enterprise, problems_raised="融资难"))
    assert response.status_code == 200
    assert "no category in use" in " ".join(response.context["form"].errors["problems_raised"])
    assert response.context["visit"].pk is None  # the rolled-back row is not offered as saved
    assert not Visit.objects.exists()


def test_editing_the_submitted_visit_is_refused_and_registers_nothing(cast, my_enterprise):
    client = signed_in(cast["cadre"])
    client.post(reverse("visits:create"), visit_data(my_enterprise, problems_raised="融资难\n用工难"))
    visit = Visit.objects.get()
    edited = visit_data(my_enterprise, problems_raised="融资难\n用工难\n三")
    response = client.post(reverse("visits:update", args=[visit.pk]), edited)
    assert response.status_code == 302
    assert Problem.objects.filter(visit=visit).count() == 2
