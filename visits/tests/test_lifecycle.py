"""The visit's lifecycle, table-driven: every status × every action × every role of the cast, plus the
visit's lead cadre, is allowed or refused with the expected code and sentence, and what pages offer
(`available_actions`) agrees. Then the moves and pages refuse as the table does."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.lifecycle import INVALID_MOVE, NOT_ALLOWED
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from tests.cast import CAST_ROLES
from visits import services
from visits.lifecycle import FINAL_STATES, LIFECYCLE, Action, available_actions
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db

CHANGED = "A submitted visit can no longer be changed."
ONLY_DRAFTS = "Only drafts can be deleted; a submitted visit stays on the record."
SUBMIT_FIRST = "Submit the visit before raising its problems."
NOT_THE_WRITER = "Only the cadre who logged the visit can change the draft."
NOT_THE_DISCARDER = "Only the cadre who logged the visit can delete the draft."
CANNOT_RAISE = "You cannot raise problems."
ONLY_SUBMITTED_VOIDED = "Only a submitted visit can be voided; its cadre may delete a draft."
ALREADY_VOIDED = "This visit has already been voided."
VOIDED = "This visit has been voided: it stays on the record as it was, and nothing more can be done with it."
NOT_A_VOIDER = "Only the united-front staff and administrators of the visit's region can void it."

AUTHOR = "author"  # the visit's lead cadre, a cadre of 历下区 besides the cast's
ROLES = [*CAST_ROLES, AUTHOR]
# Who may raise a problem from a submitted visit of 历下区: whoever may raise problems and sees the visit.
RAISERS = {"admin", "province_staff", "city_staff", "county_staff", "cadre", "county_admin", AUTHOR}
# Who may void a submitted visit of 历下区: staff and administrators whose region holds it, never its cadre.
VOIDERS = {"admin", "province_staff", "city_staff", "county_staff", "county_admin"}


def expected(status, action, role):
    """None when allowed, else (code, sentence)."""
    if status == VisitStatus.VOIDED:
        return INVALID_MOVE, ALREADY_VOIDED if action == Action.VOID else VOIDED
    if action == Action.VOID:
        if status == VisitStatus.DRAFT:
            return INVALID_MOVE, ONLY_SUBMITTED_VOIDED
        return None if role in VOIDERS else (NOT_ALLOWED, NOT_A_VOIDER)
    if status == VisitStatus.DRAFT:
        if action == Action.RAISE_PROBLEM:
            return INVALID_MOVE, SUBMIT_FIRST
        if role == AUTHOR:
            return None
        return NOT_ALLOWED, NOT_THE_DISCARDER if action == Action.DELETE else NOT_THE_WRITER
    if action == Action.RAISE_PROBLEM:
        return None if role in RAISERS else (NOT_ALLOWED, CANNOT_RAISE)
    return INVALID_MOVE, ONLY_DRAFTS if action == Action.DELETE else CHANGED


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(cast):
    return {**cast, AUTHOR: UserFactory(username="t_lx_author", region_id="370102", roles=[Role.CADRE])}


def make_visit(author, status):
    enterprise = AssignmentFactory(official=author, enterprise=EnterpriseFactory(region_id="370102")).enterprise
    voided = {"voided_at": timezone.now(), "void_reason": "重复登记的走访"} if status == VisitStatus.VOIDED else {}
    return Visit.objects.create(
        enterprise=enterprise, region_id="370102", cadre=author, created_by=author, level="county", status=status, **voided
    )


def test_the_table_covers_every_state_and_action():
    assert set(LIFECYCLE.states()) | FINAL_STATES == set(VisitStatus.values)
    assert not set(LIFECYCLE.states()) & FINAL_STATES, "a final state has no move out"
    assert set(LIFECYCLE.actions()) == set(Action)


@pytest.mark.parametrize("status", VisitStatus.values)
@pytest.mark.parametrize("role", ROLES)
def test_every_move_is_allowed_or_refused_with_its_reason(people, status, role):
    visit = make_visit(people[AUTHOR], status)
    user = people[role]
    offered = set(available_actions(user, visit))
    for action in Action:
        refusal = expected(status, action, role)
        if refusal is None:
            assert LIFECYCLE.check(visit, action, user) == LIFECYCLE.move(visit, action).to
            assert action in offered, f"{action} allowed but not offered"
            assert LIFECYCLE.offers(user, visit)[str(action)] is True
        else:
            with pytest.raises(ValidationError) as refused:
                LIFECYCLE.check(visit, action, user)
            assert (refused.value.code, refused.value.messages) == (refusal[0], [refusal[1]]), action
            assert action not in offered, f"{action} refused but offered"


def test_a_deactivated_lead_cadre_may_no_longer_act(people):
    author = people[AUTHOR]
    visit = make_visit(author, VisitStatus.DRAFT)
    author.is_active = False
    assert available_actions(author, visit) == []


# The moves refuse as the table does


def save(visit, actor, *, submit):
    return services.save_visit(
        actor=actor,
        visit=visit,
        companions=[],
        policies_explained=[],
        deliveries=[],
        attachments=[],
        submit=submit,
    )


def refusal_of(move, **kwargs):
    with pytest.raises(ValidationError) as refused:
        move(**kwargs)
    return refused.value.code, " ".join(refused.value.messages)


@pytest.mark.parametrize("submit", [False, True])
def test_only_the_lead_cadre_saves_or_submits_a_draft(people, submit):
    visit = make_visit(people[AUTHOR], VisitStatus.DRAFT)
    assert refusal_of(save, visit=visit, actor=people["cadre"], submit=submit) == (NOT_ALLOWED, NOT_THE_WRITER)
    saved = save(Visit.objects.get(pk=visit.pk), people[AUTHOR], submit=submit)
    assert saved.status == (VisitStatus.SUBMITTED if submit else VisitStatus.DRAFT)
    assert bool(saved.submitted_at) == submit


def test_a_submitted_visit_is_neither_changed_nor_deleted(people):
    visit = make_visit(people[AUTHOR], VisitStatus.SUBMITTED)
    stale = Visit.objects.get(pk=visit.pk)
    stale.status = VisitStatus.DRAFT  # a page opened while it was a draft: the locked row decides
    for submit in (False, True):
        assert refusal_of(save, visit=stale, actor=people[AUTHOR], submit=submit) == (INVALID_MOVE, CHANGED)
    assert refusal_of(services.delete_draft, actor=people[AUTHOR], visit=stale) == (INVALID_MOVE, ONLY_DRAFTS)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.SUBMITTED


def test_only_the_lead_cadre_deletes_a_draft(people):
    visit = make_visit(people[AUTHOR], VisitStatus.DRAFT)
    assert refusal_of(services.delete_draft, actor=people["county_staff"], visit=visit) == (NOT_ALLOWED, NOT_THE_DISCARDER)
    services.delete_draft(actor=people[AUTHOR], visit=visit)
    assert not Visit.objects.filter(pk=visit.pk).exists()


def test_a_new_visit_is_logged_as_a_draft_or_submitted_by_whoever_logs_it(people):
    author = people[AUTHOR]
    enterprise = AssignmentFactory(official=author, enterprise=EnterpriseFactory(region_id="370102")).enterprise
    draft = save(Visit(enterprise=enterprise, visited_on=timezone.localdate()), author, submit=False)
    submitted = save(Visit(enterprise=enterprise, visited_on=timezone.localdate()), author, submit=True)
    assert (draft.status, draft.cadre, draft.created_by) == (VisitStatus.DRAFT, author, author)
    assert (submitted.status, submitted.cadre) == (VisitStatus.SUBMITTED, author)


# The pages offer what the table allows and show its refusals


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("status", VisitStatus.values)
@pytest.mark.parametrize("role", ["cadre", "county_staff", "reviewer", AUTHOR])
def test_the_visit_page_offers_the_available_actions(people, status, role):
    visit = make_visit(people[AUTHOR], status)
    response = signed_in(people[role]).get(reverse("visits:detail", args=[visit.pk]))
    assert response.context["actions"] == {str(action): True for action in available_actions(people[role], visit)}
    body = response.content.decode()
    assert ("Complete the draft" in body) == (Action.EDIT in response.context["actions"])
    assert ("Delete draft" in body) == (Action.DELETE in response.context["actions"])
    assert ('data-testid="raise-problem"' in body) == (Action.RAISE_PROBLEM in response.context["actions"])
    assert ('data-testid="void-visit"' in body) == (Action.VOID in response.context["actions"])


def test_the_lead_cadre_reads_why_a_submitted_visit_cannot_be_changed_or_deleted(people):
    visit = make_visit(people[AUTHOR], VisitStatus.SUBMITTED)
    client = signed_in(people[AUTHOR])
    for response in (
        client.get(reverse("visits:update", args=[visit.pk])),
        client.post(reverse("visits:delete", args=[visit.pk])),
    ):
        assert response.status_code == 302 and response["Location"] == reverse("visits:detail", args=[visit.pk])
    assert [str(message) for message in get_messages(response.wsgi_request)] == [CHANGED, ONLY_DRAFTS]
