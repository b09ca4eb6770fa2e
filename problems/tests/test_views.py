"""The problem list's pages: lists and their fence, the ledger, raising, and every move through the view."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from enterprises.tests.factories import EnterpriseFactory
from problems import services
from problems.exports import HEADERS
from problems.models import Problem, ProblemStatus, Source
from problems.tests.factories import ProblemFactory, category
from visits.models import Visit, VisitStatus


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def act(client, problem, action, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(reverse("problems:act", args=[problem.pk, action]), data)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def other_county_problem(db):
    return ProblemFactory(enterprise=EnterpriseFactory(region_id="370103", name="市中区某企业"), description="市中区企业用地问题")


# ---------------------------------------------------------------------------------------------------
# Lists and the fence


def test_county_staff_list_never_shows_another_county(login, cast, problem, other_county_problem):
    response = login(cast["county_staff"]).get(reverse("problems:list"))
    assert response.status_code == 200
    assert problem.description in response.content.decode()
    assert other_county_problem.description not in response.content.decode()


def test_problem_referred_to_the_city_is_on_its_list_and_its_departments(login, cast, problem, departments, handlers):
    services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"], note="市级事权")
    response = login(cast["city_staff"]).get(reverse("problems:list"), {"department": departments["jn_dev"].pk})
    assert problem.description in response.content.decode()
    response = login(handlers["jn_dev"]).get(reverse("problems:list"), {"mine": "1"})
    assert problem.description in response.content.decode()


def test_mine_lists_only_what_the_user_holds(login, cast, problem, in_progress, handlers):
    other = ProblemFactory(description="另一家企业的问题")
    response = login(handlers["lx_dev"]).get(reverse("problems:list"), {"mine": "1"})
    text = response.content.decode()
    assert in_progress.description in text
    assert other.description not in text


def test_filters_by_status_and_text(login, cast, problem):
    other = ProblemFactory(description="厂房审批迟迟未办")
    client = login(cast["county_staff"])
    text = client.get(reverse("problems:list"), {"q": "厂房"}).content.decode()
    assert other.description in text and problem.description not in text
    text = client.get(reverse("problems:list"), {"status": ProblemStatus.IN_PROGRESS}).content.decode()
    assert other.description not in text and problem.description not in text


def test_overdue_filter_and_red_badge(login, cast, in_progress):
    Problem.objects.filter(pk=in_progress.pk).update(deadline=timezone.localdate() - timedelta(days=10))
    response = login(cast["county_staff"]).get(reverse("problems:list"), {"overdue": "yes"})
    text = response.content.decode()
    assert in_progress.description in text
    assert 'data-testid="deadline-overdue"' in text


def test_a_region_filter_outside_the_fence_matches_nothing(login, cast, problem):
    response = login(cast["county_staff"]).get(reverse("problems:list"), {"region": "370103"})
    assert response.status_code == 200
    assert problem.description not in response.content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_list_queries_are_bounded(login, cast, django_assert_max_num_queries, count, departments):
    enterprise = EnterpriseFactory()
    for problem in ProblemFactory.create_batch(count, enterprise=enterprise):
        Problem.objects.filter(pk=problem.pk).update(
            status=ProblemStatus.IN_PROGRESS, handling_department=departments["lx_dev"], deadline=timezone.localdate()
        )
    client = login(cast["county_staff"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("problems:list"))
    assert response.status_code == 200


def test_escalated_list_is_the_provinces(login, cast, problem, other_county_problem):
    services.escalate(actor=cast["county_staff"], problem=problem, justification="涉及省级政策")
    text = login(cast["province_staff"]).get(reverse("problems:escalated")).content.decode()
    assert problem.description in text
    assert other_county_problem.description not in text
    # 市中区 sees none of 历下区's escalations; 历下区 sees its own through the fence.
    assert problem.description not in login(cast["other_county_staff"]).get(reverse("problems:escalated")).content.decode()
    assert problem.description in login(cast["county_staff"]).get(reverse("problems:escalated")).content.decode()


# ---------------------------------------------------------------------------------------------------
# The ledger


def test_ledger_has_the_official_headers_and_the_filtered_problems(login, cast, solved, other_county_problem):
    ProblemFactory(enterprise=solved.enterprise, description='=HYPERLINK("x")')
    response = login(cast["county_staff"]).get(reverse("problems:ledger"), {"status": ProblemStatus.SOLVED})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value.startswith("问题台账") and "济南市 历下区" in sheet["A1"].value, "the title row"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert (
        list(rows[0])
        == HEADERS
        == ["序号", "企业名称", "问题描述", "问题类别", "责任单位", "办理时限", "办理状态", "办理结果", "企业评价"]
    )
    assert len(rows) == 2
    number, enterprise, description, category_name, unit, deadline, status, result, verdict = rows[1]
    assert (number, enterprise, description) == (1, solved.enterprise.name, solved.description)
    assert unit == "历下区发展和改革局"
    with translation.override("zh-hans"):  # the ledger is written in the portal's own language
        assert status == str(ProblemStatus.SOLVED.label)
    assert result == "银行已办理续贷500万元。"


def test_ledger_keeps_formula_like_text_as_text(login, cast, enterprise):
    ProblemFactory(enterprise=enterprise, description="=1+1")
    response = login(cast["county_staff"]).get(reverse("problems:ledger"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet["C3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True), "shown as typed, never run"


# ---------------------------------------------------------------------------------------------------
# Raising


def test_raising_from_a_visit_links_the_visit_and_its_enterprise(login, cast, enterprise):
    visit = Visit.objects.create(
        enterprise=enterprise, region_id="370102", cadre=cast["cadre"], level="county", status=VisitStatus.SUBMITTED
    )
    client = login(cast["cadre"])
    url = reverse("problems:create") + f"?visit={visit.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"visit": visit.pk, "category": category("financing").pk, "urgency": "normal", "description": "贷款难"},
    )
    problem = Problem.objects.get(description="贷款难")
    assert response.status_code == 302 and response["Location"] == reverse("problems:detail", args=[problem.pk])
    assert (problem.visit, problem.enterprise, problem.source) == (visit, enterprise, Source.VISIT)


def test_visit_page_offers_to_raise_a_problem(login, cast, enterprise):
    visit = Visit.objects.create(
        enterprise=enterprise, region_id="370102", cadre=cast["cadre"], level="county", status=VisitStatus.SUBMITTED
    )
    text = login(cast["cadre"]).get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert reverse("problems:create") + f"?visit={visit.pk}" in text


def test_raising_for_an_enterprise_of_another_county_is_refused(login, cast):
    outside = EnterpriseFactory(region_id="370103")
    response = login(cast["cadre"]).post(
        reverse("problems:create"),
        {"enterprise": outside.pk, "category": category().pk, "urgency": "normal", "description": "x", "source": "other"},
    )
    assert response.status_code == 200
    assert not Problem.objects.exists()


def test_a_visit_of_another_county_is_missing(login, cast):
    outside = EnterpriseFactory(region_id="370103")
    visit = Visit.objects.create(
        enterprise=outside, region_id="370103", cadre=cast["other_county_cadre"], level="county", status=VisitStatus.SUBMITTED
    )
    assert login(cast["cadre"]).get(reverse("problems:create") + f"?visit={visit.pk}").status_code == 404


# ---------------------------------------------------------------------------------------------------
# Moves through the view


def test_detail_offers_the_actions_the_user_may_take(login, cast, problem):
    response = login(cast["county_staff"]).get(reverse("problems:detail", args=[problem.pk]))
    text = response.content.decode()
    assert reverse("problems:act", args=[problem.pk, "solve"]) in text
    assert reverse("problems:act", args=[problem.pk, "escalate"]) in text
    text = login(cast["reviewer"]).get(reverse("problems:detail", args=[problem.pk])).content.decode()
    assert reverse("problems:act", args=[problem.pk, "solve"]) not in text


def test_the_status_and_deadline_badges_are_coloured_from_python(login, cast, problem, in_progress):
    def detail():
        url = reverse("problems:detail", args=[in_progress.pk])
        return login(cast["county_staff"]).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    def badge(text, attribute):
        found = re.search(rf'<span class="badge text-bg-(\w+)"\s+{attribute}[^>]*>([^<]*)</span>', text)
        return found and found.groups()

    text = detail()
    assert badge(text, 'data-status="in_progress" data-testid="problem-status"') == ("secondary", "In progress")
    assert badge(text, 'data-state="on_track"') == ("success", f"Deadline {in_progress.deadline:%Y-%m-%d}")
    Problem.objects.filter(pk=in_progress.pk).update(deadline=timezone.localdate())
    text = detail()
    due = f"{timezone.localdate():%Y-%m-%d}"
    assert badge(text, 'data-state="due_soon" data-testid="deadline-due-soon"') == ("warning", f"Due soon · {due}")
    assert ' style="' not in text


def test_nominating_a_case_is_offered_on_a_solved_problem_to_who_may_nominate(login, cast, problem, handlers):
    detail = reverse("problems:detail", args=[problem.pk])
    assert 'data-testid="nominate-case"' not in login(cast["county_staff"]).get(detail).content.decode()
    problem = services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="x", department=handlers["lx_dev"].department
    )
    solved = services.complete(actor=handlers["lx_dev"], problem=problem, result="已解决。")
    assert solved.ended_in_solution
    assert 'data-testid="nominate-case"' in login(cast["county_staff"]).get(detail).content.decode()
    assert 'data-testid="nominate-case"' in login(cast["cadre"]).get(detail).content.decode()
    assert 'data-testid="nominate-case"' not in login(handlers["lx_dev"]).get(detail).content.decode()
    reopened = services.reopen(actor=cast["county_staff"], problem=solved, reason="企业再次反映。")
    assert not reopened.ended_in_solution
    assert 'data-testid="nominate-case"' not in login(cast["county_staff"]).get(detail).content.decode()


def test_solve(login, cast, problem, departments):
    response = act(
        login(cast["county_staff"]), problem, "solve", proposed_solution="协调银行", department=departments["lx_dev"].pk
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.IN_PROGRESS and problem.handling_department == departments["lx_dev"]
    assert problem.deadline is not None


def test_solve_without_a_department_shows_the_form_again(login, cast, problem):
    response = act(login(cast["county_staff"]), problem, "solve", proposed_solution="协调银行")
    assert response.status_code == 200
    assert response.context["action_forms"][0][1].errors
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.NEW


def test_refer_then_sign(login, cast, problem, departments, handlers):
    act(login(cast["county_staff"]), problem, "refer", department=departments["jn_dev"].pk, note="市级事权")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.REFERRED and problem.handling_region_id == "370100"
    response = act(login(handlers["jn_dev"]), problem, "sign", note="已签收")
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.IN_PROGRESS and problem.handling_department == departments["jn_dev"]


def test_return_a_referral(login, cast, problem, departments, handlers):
    services.refer(actor=cast["county_staff"], problem=problem, department=departments["jn_dev"])
    act(login(handlers["jn_dev"]), problem, "return_to_office", reason="非我局事权", basis="三定方案")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RETURNED


def test_escalate_then_decide(login, cast, problem, departments):
    act(login(cast["county_staff"]), problem, "escalate", justification="涉及省级政策")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ESCALATED
    response = act(
        login(cast["province_staff"]), problem, "decide", decision="由省发改委牵头", department=departments["sd_dev"].pk
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.IN_PROGRESS and problem.handling_department == departments["sd_dev"]


def test_explain(login, cast, problem):
    response = act(
        login(cast["county_staff"]),
        problem,
        "explain",
        explanation="不符合贴息条件",
        given_on=timezone.localdate().isoformat(),
        given_how="phone",
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.EXPLAINED


def test_complete_with_a_document(login, handlers, in_progress, client):
    client.force_login(handlers["lx_dev"])
    response = client.post(
        reverse("problems:act", args=[in_progress.pk, "complete"]),
        {"complete-result": "已续贷", "complete-attachments": SimpleUploadedFile("reply.pdf", b"%PDF-1.4 ok")},
    )
    assert response.status_code == 302
    in_progress.refresh_from_db()
    assert in_progress.status == ProblemStatus.SOLVED
    attachment = in_progress.events.get(kind="solved").attachments.get()
    assert client.get(reverse("problems:attachment", args=[attachment.pk])).status_code == 200


def test_pause_resume_and_note(login, handlers, in_progress):
    client = login(handlers["lx_dev"])
    act(client, in_progress, "pause", reason="补充材料")
    in_progress.refresh_from_db()
    assert in_progress.status == ProblemStatus.WAITING
    act(client, in_progress, "resume", note="材料已到")
    act(client, in_progress, "note", note="已与银行对接")
    in_progress.refresh_from_db()
    assert in_progress.status == ProblemStatus.IN_PROGRESS
    assert in_progress.events.filter(kind="note", note="已与银行对接").exists()


def test_phone_verdict_close_and_reopen(login, cast, solved):
    client = login(cast["county_staff"])
    response = act(
        client,
        solved,
        "accept",
        verdict="satisfied",
        called_by=cast["county_staff"].pk,
        called_at=(timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 302, response.context and response.context["action_forms"]
    solved.refresh_from_db()
    assert solved.status == ProblemStatus.CLOSED and solved.final_verdict == "satisfied"
    act(client, solved, "reopen", reason="企业再次反映")
    solved.refresh_from_db()
    assert solved.status == ProblemStatus.REOPENED


def test_a_refused_move_is_a_message_not_an_error(login, cast, handlers, problem):
    response = act(login(handlers["lx_dev"]), problem, "complete", result="已办")
    assert response.status_code == 302
    assert messages_of(response)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.NEW


def test_a_refusal_from_the_transition_shows_on_the_form(login, cast, problem):
    # Nothing written and nothing attached: add_note refuses, and the page shows why.
    response = act(login(cast["county_staff"]), problem, "note", note="")
    assert response.status_code == 200
    [note_form] = [form for action, form in response.context["action_forms"] if action == "note"]
    assert "note" in note_form.errors
    assert not problem.events.filter(kind="note").exists()


def test_a_refusal_without_a_field_is_a_message(login, cast, problem, departments):
    # The deadline may not lie in the past: a ValidationError of the transition, as a message.
    response = act(
        login(cast["county_staff"]),
        problem,
        "refer",
        department=departments["jn_dev"].pk,
        deadline=(timezone.localdate() - timedelta(days=1)).isoformat(),
    )
    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.NEW


def test_unknown_action_is_missing(login, cast, problem):
    assert act(login(cast["county_staff"]), problem, "teleport").status_code == 404


def test_acting_on_another_countys_problem_is_missing(login, cast, other_county_problem):
    assert act(login(cast["county_staff"]), other_county_problem, "note", note="x").status_code == 404


def test_a_cadre_may_not_act(login, cast, problem):
    assert act(login(cast["cadre"]), problem, "note", note="x").status_code == 403


def test_acting_is_post_only(login, cast, problem):
    assert login(cast["county_staff"]).get(reverse("problems:act", args=[problem.pk, "note"])).status_code == 405


# ---------------------------------------------------------------------------------------------------
# The enterprise's timeline


def test_enterprise_timeline_shows_the_problem(login, cast, in_progress):
    text = login(cast["county_staff"]).get(reverse("enterprises:detail", args=[in_progress.enterprise_id])).content.decode()
    assert reverse("problems:detail", args=[in_progress.pk]) in text
