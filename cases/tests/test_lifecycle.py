"""The case's lifecycle, table-driven: for each state × each action × each role, the move through its
service function is allowed (and leads to the expected state) or refused with the expected code and
sentence, and the page's offer (`available_actions`) agrees.

The expectations below are written out independently of cases.lifecycle, as the rules read to a user.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from cases import lifecycle, services
from cases.lifecycle import Action
from cases.models import CasePhoto, CaseStatus, Quality, Subject
from cases.tests.factories import PNG, CaseFactory, png
from tests.cast import CAST_ROLES

pytestmark = pytest.mark.django_db

S = CaseStatus

# Which states allow each action, and the state it leads to.
LEADS_TO = {
    Action.APPROVE: {S.NOMINATED: S.APPROVED},
    Action.RETURN: {S.NOMINATED: S.RETURNED},
    Action.REJECT: {S.NOMINATED: S.REJECTED},
    Action.RESUBMIT: {S.RETURNED: S.NOMINATED},
    Action.CONSENT: {S.NOMINATED: S.NOMINATED, S.RETURNED: S.RETURNED, S.APPROVED: S.APPROVED},
    Action.PHOTOS: {S.NOMINATED: S.NOMINATED, S.RETURNED: S.RETURNED},
    Action.PUBLISH: {S.APPROVED: S.PUBLISHED},
    Action.PUBLICITY: {S.PUBLISHED: S.PUBLISHED},
    Action.WITHDRAW: {S.PUBLISHED: S.WITHDRAWN},
    Action.EDIT: {S.NOMINATED: S.NOMINATED, S.RETURNED: S.RETURNED},
}

# The cast of the root conftest, plus the nominator: a liaison cadre of 历下区, or (to show that nobody
# reviews their own nomination) a united-front official of 历下区.
INSIDE_STAFF = {"admin", "province_staff", "city_staff", "county_staff", "county_admin"}
EDITORS = INSIDE_STAFF | {"nominator", "staff_nominator"}
REVIEWERS = INSIDE_STAFF
PUBLISHERS = INSIDE_STAFF | {"staff_nominator"}
OUTSIDERS = {"other_county_staff", "other_county_cadre"}
WHO = {
    Action.APPROVE: REVIEWERS,
    Action.RETURN: REVIEWERS,
    Action.REJECT: REVIEWERS,
    Action.RESUBMIT: EDITORS,
    Action.CONSENT: EDITORS,
    Action.PHOTOS: EDITORS,
    Action.PUBLISH: PUBLISHERS,
    Action.PUBLICITY: PUBLISHERS,
    Action.WITHDRAW: PUBLISHERS,
    Action.EDIT: EDITORS,
}
ROLES = [*CAST_ROLES, "nominator", "staff_nominator"]

# The sentences users read, as they read them before the lifecycle had one table.
WRONG_STATE = {
    Action.APPROVE: "This case cannot be reviewed now: it is “{status}”.",
    Action.RETURN: "This case cannot be reviewed now: it is “{status}”.",
    Action.REJECT: "This case cannot be reviewed now: it is “{status}”.",
    Action.RESUBMIT: "This case cannot be resubmitted now: it is “{status}”.",
    Action.CONSENT: "Consent cannot be recorded for this case now: it is “{status}”.",
    Action.PHOTOS: "This case cannot be changed now: it is “{status}”.",
    Action.PUBLISH: "This case cannot be published now: it is “{status}”.",
    Action.PUBLICITY: "Publicity can be recorded only for a published case; this one is “{status}”.",
    Action.WITHDRAW: "This case cannot be withdrawn now: it is “{status}”.",
    Action.EDIT: "This case cannot be changed now: it is “{status}”.",
}
UNREVIEWED = "This case has not been reviewed yet: it must be approved before it is published."
REFUSED = {
    Action.APPROVE: "Only united-front staff can review model cases.",
    Action.RETURN: "Only united-front staff can review model cases.",
    Action.REJECT: "Only united-front staff can review model cases.",
    Action.RESUBMIT: "Only the nominator can resubmit this case.",
    Action.CONSENT: "Only the nominator or the united-front staff can record consent.",
    Action.PHOTOS: "Only the nominator or the united-front staff can change this case.",
    Action.PUBLISH: "Only united-front staff can publish model cases.",
    Action.PUBLICITY: "Only united-front staff can record publicity.",
    Action.WITHDRAW: "Only united-front staff can withdraw model cases.",
    Action.EDIT: "Only the nominator or the united-front staff can change this case.",
}
OUTSIDE = "This case is outside your region."
OWN_NOMINATION = "You nominated this case: someone else must review it."


def expected(role, state, action):
    """(None, new state) when allowed, else (code, message)."""
    if role in OUTSIDERS:
        return "not_allowed", OUTSIDE
    if state not in LEADS_TO[action]:
        if action == Action.PUBLISH and state in (S.NOMINATED, S.RETURNED):
            return "invalid_move", UNREVIEWED
        return "invalid_move", WRONG_STATE[action].format(status=S(state).label)
    if role not in WHO[action]:
        if role == "staff_nominator" and action in (Action.APPROVE, Action.RETURN, Action.REJECT):
            return "not_allowed", OWN_NOMINATION
        return "not_allowed", REFUSED[action]
    return None, LEADS_TO[action][state]


def take(action, actor, case):
    """The service function of `action`, called with valid details."""
    today = timezone.localdate()
    if action == Action.APPROVE:
        return services.approve(actor=actor, case=case, comment="同意")
    if action == Action.RETURN:
        return services.return_for_changes(actor=actor, case=case, comment="请补充数据")
    if action == Action.REJECT:
        return services.reject(actor=actor, case=case, reason="不符合条件")
    if action == Action.RESUBMIT:
        return services.resubmit(actor=actor, case=case, note="已补充")
    if action == Action.CONSENT:
        return services.record_consent(actor=actor, case=case, consent_on=today, consent_by="企业办公室主任")
    if action == Action.PHOTOS:
        return services.add_photos(actor=actor, case=case, photos=[png()])
    if action == Action.PUBLISH:
        return services.publish(actor=actor, case=case)
    if action == Action.PUBLICITY:
        services.record_publicity(actor=actor, case=case, outlet="大众日报", published_on=today, title="报道")
        return case
    if action == Action.WITHDRAW:
        return services.withdraw(actor=actor, case=case, reason="暂停宣传")
    if action == Action.EDIT:
        return services.update_case(
            actor=actor, case=case, title="新标题", story="新事迹", qualities=[Quality.PATRIOTIC], subject=Subject.ENTERPRISE
        )
    raise AssertionError(action)


@pytest.fixture
def everyone(cast):
    return {
        **cast,
        "nominator": UserFactory(username="t_lx_nominator", region_id="370102", roles=[Role.CADRE]),
        "staff_nominator": UserFactory(username="t_lx_staff_nominator", region_id="370102", roles=[Role.STAFF]),
    }


def case_in(state, nominator, enterprise):
    """A case in `state`, its enterprise consented (so that only the table decides whether it is published)."""
    return CaseFactory(
        enterprise=enterprise,
        nominated_by=nominator,
        status=state,
        consent_given=True,
        consent_on=timezone.localdate(),
        consent_by="企业办公室主任",
        published_at=timezone.now() if state in (S.PUBLISHED, S.WITHDRAWN) else None,
    )


def owner_of(role, everyone):
    return everyone["staff_nominator"] if role == "staff_nominator" else everyone["nominator"]


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", Action.values)
def test_every_role_in_every_state(everyone, enterprise, state, action):
    action = Action(action)
    wrong = []
    for role in ROLES:
        actor = everyone[role]
        case = case_in(state, owner_of(role, everyone), enterprise)
        code, outcome = expected(role, state, action)
        offered = action in lifecycle.available_actions(actor, case)
        if offered != (code is None):
            wrong.append(f"{role}: offered={offered}, expected {code or 'allowed'}")
        try:
            after = take(action, actor, case)
        except ValidationError as error:
            refusal = (error.code, " ".join(error.messages))
            if refusal != (code, outcome):
                wrong.append(f"{role}: refused {refusal}, expected {code or 'allowed'} {outcome}")
            case.refresh_from_db()
            if case.status != state:
                wrong.append(f"{role}: refused, yet the case moved to {case.status}")
        else:
            if code is not None:
                wrong.append(f"{role}: allowed, expected {code} {outcome}")
            elif after.status != outcome:
                wrong.append(f"{role}: allowed, the case is {after.status}, expected {outcome}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("role", ROLES)
def test_removing_a_photo_is_an_edit(everyone, enterprise, state, role):
    case = case_in(state, owner_of(role, everyone), enterprise)
    photo = CasePhoto.objects.create(case=case, file=png(), original_name="p.png", content_type="image/png", size=len(PNG))
    code, outcome = expected(role, state, Action.EDIT)
    if code is None:
        services.remove_photo(actor=everyone[role], photo=photo)
        assert not CasePhoto.objects.filter(pk=photo.pk).exists()
    else:
        with pytest.raises(ValidationError) as error:
            services.remove_photo(actor=everyone[role], photo=photo)
        assert (error.value.code, " ".join(error.value.messages)) == (code, outcome)
        assert CasePhoto.objects.filter(pk=photo.pk).exists()


def test_an_approved_case_without_consent_is_offered_for_publication_and_refused_with_the_reason(everyone, enterprise):
    case = CaseFactory(enterprise=enterprise, nominated_by=everyone["nominator"], status=S.APPROVED)
    staff = everyone["county_staff"]
    assert Action.PUBLISH in lifecycle.available_actions(staff, case)
    assert lifecycle.LIFECYCLE.offers(staff, case) == {"consent": True, "publish": True}
    with pytest.raises(ValidationError) as error:
        services.publish(actor=staff, case=case)
    assert error.value.code == "invalid_move"
    assert error.value.messages == ["The enterprise has not consented to publication: record its consent first."]
    case.refresh_from_db()
    assert case.status == S.APPROVED and case.published_at is None


def test_the_table_names_every_state_and_action_the_tests_expect():
    assert {(state, action) for action, states in LEADS_TO.items() for state in states} == set(lifecycle.TRANSITIONS)
