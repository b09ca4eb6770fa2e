"""No hard delete of records with history in Django's admin: every registered model says how its records may be
deleted, a record with history answers 403 on its delete page and its changelist has no bulk "delete selected",
and a draft is still deleted, one at a time. The reason of each decision is a comment in the app's admin.py."""

from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from accounts.tests.factories import UserFactory
from assessment.models import PeriodStatus
from assessment.tests.factories import AssessmentPeriodFactory, SchemeFactory
from cases.tests.factories import CaseFactory
from enterprises.tests.factories import EnterpriseFactory
from forums.models import ForumStatus, Opinion
from forums.tests.factories import AttendanceFactory, ForumFactory
from notifications.services import notify
from problems.tests.factories import ProblemFactory
from reviews.models import ReviewStatus
from reviews.tests.factories import PracticeFactory, ReviewFactory
from visits import services
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

NEVER = "never"  # records with history: no delete at all
WHILE = "while"  # only in some states (a draft, an open period), one at a time: no bulk action
ALLOWED = "allowed"  # settings, working files and withdrawable marks, deleted as the portal does

DELETION = {
    "accounts.region": NEVER,
    "accounts.unittype": NEVER,
    "accounts.department": NEVER,
    "accounts.user": NEVER,
    "auth.group": NEVER,
    "axes.accessattempt": NEVER,
    "axes.accesslog": NEVER,
    "axes.accessfailurelog": NEVER,
    "assessment.assessmentperiod": NEVER,
    "assessment.scheme": WHILE,
    "assessment.indicatorvalue": NEVER,
    "assessment.regionscore": NEVER,
    "assessment.regionapproval": NEVER,
    "assessment.approvalevent": NEVER,
    "cases.case": NEVER,
    "door.enterpriseaccess": NEVER,  # revoked through the portal, read-only here
    "door.doorevent": NEVER,  # the security log's
    "enterprises.industry": NEVER,
    "enterprises.tag": NEVER,
    "enterprises.enterprise": ALLOWED,  # only one without records: they protect it
    "enterprises.liaisonassignment": NEVER,
    "enterprises.importjob": ALLOWED,
    "exports.exportjob": ALLOWED,
    "forums.forumcadence": ALLOWED,
    "forums.forum": NEVER,
    "forums.opinion": NEVER,
    "forums.forumreply": NEVER,  # the enterprise's answer, with history
    "notifications.notification": NEVER,
    "problems.category": NEVER,
    "problems.timelimit": ALLOWED,
    "problems.calendarday": ALLOWED,
    "problems.problem": NEVER,
    "problems.verdict": NEVER,
    "reviews.reviewcadence": NEVER,
    "reviews.review": WHILE,
    "reviews.recommendation": ALLOWED,
    "visits.cadencerule": ALLOWED,
    "visits.policy": NEVER,
    "visits.visit": WHILE,
}


def admin_url(record, view):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[record.pk] if view != "changelist" else [])


@pytest.fixture
def client():
    client = Client()
    # A superuser has every permission: a refusal below comes from the admin classes alone.
    client.force_login(UserFactory(username="t_superuser", region_id="370000", is_superuser=True, is_staff=True))
    client.cookies["django_language"] = "en"
    return client


def visit(status, **fields):
    enterprise = EnterpriseFactory(region_id="370102")
    cadre = UserFactory(region_id="370102")
    if status == VisitStatus.VOIDED:
        fields.update(voided_at=timezone.now(), void_reason="同一次走访登记了两次")
    return Visit.objects.create(enterprise=enterprise, region_id="370102", cadre=cadre, level="county", status=status, **fields)


@pytest.fixture
def protected(cast):
    """A record of each kind the brief names, in a state that has history."""
    enterprise = EnterpriseFactory(region_id="370102")
    forum = ForumFactory(status=ForumStatus.HELD, minutes="纪要")
    now = timezone.now()
    return {
        "submitted visit": visit(VisitStatus.SUBMITTED),
        "voided visit": visit(VisitStatus.VOIDED),
        "held forum": forum,
        "opinion": Opinion.objects.create(forum=forum, region_id="370102", enterprise=enterprise, text="融资难"),
        "case": CaseFactory(enterprise=enterprise, nominated_by=cast["cadre"]),
        "submitted review": ReviewFactory(status=ReviewStatus.SUBMITTED),
        "returned review": ReviewFactory(status=ReviewStatus.RETURNED, on=date(2025, 9, 1)),
        "problem": ProblemFactory(enterprise=enterprise, raised_by=cast["cadre"]),
        "notification": notify(recipients=[cast["cadre"]], key="admin-test", title="测试通知")[0],
        "scheme of a closed period": SchemeFactory(period=AssessmentPeriodFactory(label="2024", status=PeriodStatus.CLOSED)),
        "login": AccessLog.objects.create(username="t_lx_cadre", ip_address="10.0.0.1", user_agent="test"),
        "failed login": AccessFailureLog.objects.create(username="t_lx_cadre", ip_address="10.0.0.1", user_agent="test"),
        "lockout": AccessAttempt.objects.create(
            username="t_lx_cadre", ip_address="10.0.0.1", user_agent="test", failures_since_start=5, attempt_time=now
        ),
        "official": cast["cadre"],
        "region": Region.objects.get(code="370102"),
    }


def bulk_actions(client, model):
    meta = model._meta
    form = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).context["action_form"]
    return [] if form is None else [name for name, _label in form.fields["action"].choices if name]


def test_every_model_in_the_admin_says_how_its_records_may_be_deleted():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(DELETION), (
        "decide whether the new admin's records have history (has_delete_permission -> False, with the reason in a "
        "comment) and list it here"
    )


@pytest.mark.parametrize("label", sorted(label for label, rule in DELETION.items() if rule == NEVER))
def test_a_model_with_history_has_no_delete_at_all(client, label):
    model_admin = next(model_admin for model, model_admin in admin.site._registry.items() if model._meta.label_lower == label)
    request = client.get(reverse("admin:index")).wsgi_request
    assert model_admin.has_delete_permission(request) is False
    assert "delete_selected" not in bulk_actions(client, model_admin.model)
    # Django asks the permission before it looks the record up: 403 whether or not the row exists.
    meta = model_admin.model._meta
    assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[0])).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "submitted visit",
        "voided visit",
        "held forum",
        "opinion",
        "case",
        "submitted review",
        "returned review",
        "problem",
        "notification",
        "scheme of a closed period",
        "login",
        "failed login",
        "lockout",
        "official",
        "region",
    ],
)
def test_a_record_with_history_is_neither_deleted_alone_nor_in_bulk(client, protected, name):
    record = protected[name]
    model = type(record)
    assert client.get(admin_url(record, "delete")).status_code == 403
    assert client.post(admin_url(record, "delete"), {"post": "yes"}).status_code == 403
    assert "delete_selected" not in bulk_actions(client, model)
    response = client.post(
        admin_url(record, "changelist"), {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert model.objects.filter(pk=record.pk).exists(), f"the {name} is still there"


def test_a_submitted_visit_is_read_only_in_the_admin(client, protected):
    record = protected["submitted visit"]
    page = client.get(admin_url(record, "change"))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    assert client.post(admin_url(record, "change"), {"purpose": "改过的目的"}).status_code == 403
    assert Visit.objects.get(pk=record.pk).purpose == ""


def test_a_draft_visit_or_review_is_still_deleted_one_at_a_time(client):
    draft_visit, draft_review = visit(VisitStatus.DRAFT), ReviewFactory(status=ReviewStatus.DRAFT)
    for draft in (draft_visit, draft_review):
        assert "delete_selected" not in bulk_actions(client, type(draft))
        assert client.get(admin_url(draft, "delete")).status_code == 200
        assert client.post(admin_url(draft, "delete"), {"post": "yes"}).status_code == 302
        assert not type(draft).objects.filter(pk=draft.pk).exists()


def test_a_scheme_of_an_open_period_is_still_deleted(client):
    scheme = SchemeFactory()
    assert client.post(admin_url(scheme, "delete"), {"post": "yes"}).status_code == 302
    assert not type(scheme).objects.filter(pk=scheme.pk).exists()


def inline_can_delete(client, record, model):
    """Whether the change page of `record` lets its rows of `model` (an inline) be deleted."""
    formsets = client.get(admin_url(record, "change")).context["inline_admin_formsets"]
    [formset] = [inline.formset for inline in formsets if inline.formset.model is model]
    return formset.can_delete


def test_the_rows_of_a_record_with_history_are_not_deleted_through_its_page(client, protected):
    submitted, draft = protected["submitted review"], ReviewFactory(status=ReviewStatus.DRAFT, on=date(2024, 3, 1))
    practice_model = type(PracticeFactory(review=submitted))
    PracticeFactory(review=draft)
    assert (inline_can_delete(client, submitted, practice_model), inline_can_delete(client, draft, practice_model)) == (
        False,
        True,
    )
    held, planned = protected["held forum"], ForumFactory()
    attendance_model = type(AttendanceFactory(forum=held))
    AttendanceFactory(forum=planned)
    assert (inline_can_delete(client, held, attendance_model), inline_can_delete(client, planned, attendance_model)) == (
        False,
        True,
    )
    closed, open_scheme = protected["scheme of a closed period"], SchemeFactory()
    item_model = closed.items.model
    assert (inline_can_delete(client, closed, item_model), inline_can_delete(client, open_scheme, item_model)) == (False, True)


def test_a_submitted_or_voided_visit_is_not_turned_back_from_its_history_page(client, cast):
    """simple_history's version page would save an earlier version (a draft) over the visit on a view permission."""
    record = visit(VisitStatus.DRAFT, purpose="了解情况")
    record.status = VisitStatus.SUBMITTED
    record.save()
    draft_version = record.history.earliest("history_date")
    for move in ("submitted", "voided"):
        if move == "voided":
            services.void_visit(actor=cast["county_staff"], visit=record, reason="同一次走访登记了两次")
        url = reverse("admin:visits_visit_simple_history", args=[record.pk, draft_version.history_id])
        assert client.get(url).status_code == 200, "the version may still be read"
        assert client.post(url, {"purpose": "了解情况", "status": VisitStatus.DRAFT}).status_code == 403
        assert Visit.objects.get(pk=record.pk).status == move


def test_every_admin_with_history_only_shows_it():
    """A version page that saves would bypass the services: every admin with an audit trail is a HistoryAdmin."""
    from django.contrib import admin as django_admin
    from simple_history.admin import SimpleHistoryAdmin

    from core.admin import HistoryAdmin

    with_history = {
        model._meta.label: model_admin
        for model, model_admin in django_admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    }
    assert len(with_history) > 10, "the audited models show their history in the admin"
    assert [label for label, model_admin in with_history.items() if not isinstance(model_admin, HistoryAdmin)] == []


def test_an_official_is_not_restored_from_an_earlier_version(client, cast):
    """Restoring an official's earlier version would give back roles or a region without the security log."""
    official = cast["cadre"]
    official.full_name = "改过的名字"
    official.save()
    earlier = official.history.earliest("history_date")
    url = reverse("admin:accounts_user_simple_history", args=[official.pk, earlier.history_id])
    assert client.get(url).status_code == 200, "the version may still be read"
    assert client.post(url, {"username": official.username, "full_name": "旧名字"}).status_code == 403
    official.refresh_from_db()
    assert official.full_name == "改过的名字"


def test_the_doors_records_are_read_only_and_show_no_digest(client, cast):
    """An access link, an attempt at the door and an enterprise's reply to a forum are read in the admin, never
    changed or added; no digest of a token is shown (it would let a reader test guesses offline), and a sign-in
    code is not in the admin at all."""
    from door.models import DoorEvent, EventKind, SignInCode
    from door.tests.factories import issued
    from forums.models import ForumReply

    access, _token = issued(EnterpriseFactory(region_id="370102"), issued_by=cast["county_staff"])
    event = DoorEvent.objects.create(access=access, enterprise=access.enterprise, kind=EventKind.OPENED, address="10.0.0.9")
    forum = ForumFactory()
    reply = ForumReply.objects.create(
        forum=forum,
        region=forum.region,
        enterprise=access.enterprise,
        attending=True,
        attendees="王经理",
        replied_at=timezone.now(),
    )
    for record in (access, event, reply):
        page = client.get(admin_url(record, "change"))
        assert page.status_code == 200 and page.context["has_change_permission"] is False
        assert client.post(admin_url(record, "change"), {}).status_code == 403
        meta = record._meta
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
    assert "王经理" in client.get(admin_url(reply, "change")).content.decode()
    page = client.get(admin_url(access, "change")).content.decode()
    listed = client.get(admin_url(access, "changelist")).content.decode()
    assert access.contact_name in page and access.contact_name in listed
    assert access.token_digest not in page + listed and "token digest" not in page.lower()
    assert SignInCode not in admin.site._registry
