"""The case workflow: nominated, reviewed (approved, returned, rejected), published, withdrawn, and every
refusal, which changes nothing and says why."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import Case, CaseEvent, CasePhoto, CaseStatus, EventKind, Quality, Subject
from cases.tests.factories import png
from enterprises.tests.factories import EnterpriseFactory
from notifications.models import Notification
from problems import services as problem_services
from problems.tests.factories import ProblemFactory
from visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db(transaction=False)


def nominate(cast, enterprise, **fields):
    values = {
        "actor": cast["cadre"],
        "enterprise": enterprise,
        "title": "匠心制造三十年",
        "story": "企业扎根历下三十年，坚持自主创新。",
        "qualities": [Quality.ENTERPRISING, Quality.GIVING_BACK],
        "entrepreneur_name": "李大成",
        "entrepreneur_title": "董事长",
        **fields,
    }
    return services.nominate(**values)


def message(error):
    return " ".join(error.value.messages)


def approved(cast, enterprise, **fields):
    case = nominate(cast, enterprise, **fields)
    return services.approve(actor=cast["county_staff"], case=case, comment="事迹扎实，同意。")


def with_consent(cast, case):
    return services.record_consent(actor=cast["cadre"], case=case, consent_on=timezone.localdate(), consent_by="李大成 董事长")


def test_nomination_records_who_where_and_notifies_the_reviewers_of_the_region_and_above(
    cast, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = nominate(cast, enterprise)
    assert case.status == CaseStatus.NOMINATED
    assert (case.region_id, case.nominating_region_id, case.nominated_by) == ("370102", "370102", cast["cadre"])
    assert case.qualities == [Quality.ENTERPRISING, Quality.GIVING_BACK]
    assert CaseEvent.objects.filter(case=case, kind=EventKind.NOMINATED).exists()
    notified = set(Notification.objects.filter(key=f"case-{case.pk}-submitted-1").values_list("recipient__username", flat=True))
    assert notified == {"t_lx_staff", "t_jn_staff", "t_sd_staff"}


def test_nomination_needs_a_quality_and_a_named_entrepreneur(cast, enterprise):
    with pytest.raises(ValidationError) as error:
        nominate(cast, enterprise, qualities=[])
    assert "at least one quality" in message(error)
    with pytest.raises(ValidationError) as error:
        nominate(cast, enterprise, subject=Subject.ENTREPRENEUR, entrepreneur_name="")
    assert "Name the entrepreneur" in message(error)
    assert not Case.objects.exists()


def test_an_enterprise_only_case_needs_no_entrepreneur(cast, enterprise):
    case = nominate(cast, enterprise, subject=Subject.ENTERPRISE, entrepreneur_name="某人")
    assert case.entrepreneur_name == "" and case.display_name == enterprise.name


def test_cannot_nominate_an_enterprise_of_another_county(cast):
    other = EnterpriseFactory(region_id="370103")
    with pytest.raises(ValidationError) as error:
        nominate(cast, other)
    assert "outside your region" in message(error)


def test_evidence_must_be_the_enterprises_own_records(cast, enterprise):
    own = Visit.objects.create(
        enterprise=enterprise, region_id="370102", cadre=cast["cadre"], level="county", status=VisitStatus.SUBMITTED
    )
    stranger = EnterpriseFactory()
    foreign = Visit.objects.create(
        enterprise=stranger, region_id="370102", cadre=cast["cadre"], level="county", status=VisitStatus.SUBMITTED
    )
    unsolved = ProblemFactory(enterprise=enterprise)
    with pytest.raises(ValidationError) as error:
        nominate(cast, enterprise, evidence_visits=[own, foreign])
    assert "submitted visits to this enterprise" in message(error)
    with pytest.raises(ValidationError) as error:
        nominate(cast, enterprise, evidence_problems=[unsolved])
    assert "were solved" in message(error)
    case = nominate(cast, enterprise, evidence_visits=[own])
    assert list(case.evidence_visits.all()) == [own]


def test_nominated_from_a_solved_problem_links_it_as_evidence(cast, enterprise, departments_and_handler):
    department, handler = departments_and_handler
    problem = problem_services.raise_problem(
        actor=cast["cadre"], enterprise=enterprise, category=_category(), description="用地难"
    )
    with pytest.raises(ValidationError) as error:
        nominate(cast, enterprise, source_problem=problem)
    assert "solved problem" in message(error)
    problem = problem_services.triage_solve(
        actor=cast["county_staff"], problem=problem, proposed_solution="协调", department=department
    )
    problem = problem_services.complete(actor=handler, problem=problem, result="已解决")
    case = nominate(cast, enterprise, source_problem=problem)
    assert case.source_problem == problem and list(case.evidence_problems.all()) == [problem]

    # The problem is reopened later: the nomination can still be edited, and keeps its source linked.
    problem_services.reopen(actor=cast["county_staff"], problem=problem, reason="企业反映仍未落实")
    case = services.update_case(
        actor=cast["cadre"],
        case=case,
        title="修改后的标题",
        story=case.story,
        qualities=[Quality.ENTERPRISING],
        subject=case.subject,
        entrepreneur_name=case.entrepreneur_name,
    )
    assert case.title == "修改后的标题" and list(case.evidence_problems.all()) == [problem]


def _category():
    from problems.tests.factories import category

    return category("land")


@pytest.fixture
def departments_and_handler(cast):
    from accounts.models import Department
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    department = Department.objects.create(region_id="370102", name="历下区自然资源局")
    handler = UserFactory(username="t_case_handler", region_id="370102", department=department, roles=[Role.HANDLER])
    return department, handler


def test_full_workflow_to_the_showcase_and_back(cast, enterprise, django_capture_on_commit_callbacks):
    case = approved(cast, enterprise)
    assert case.status == CaseStatus.APPROVED and case.reviewed_by == cast["county_staff"]
    case = with_consent(cast, case)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.publish(actor=cast["city_staff"], case=case)
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    assert Notification.objects.filter(recipient=cast["cadre"], key__startswith=f"case-{case.pk}-published").exists()
    publicity = services.record_publicity(
        actor=cast["county_staff"],
        case=case,
        outlet="大众日报",
        published_on=timezone.localdate(),
        title="匠心三十年",
        link="https://example.com/a",
    )
    assert publicity.case == case
    case = services.withdraw(actor=cast["county_staff"], case=case, reason="企业涉诉，暂停宣传。")
    assert case.status == CaseStatus.WITHDRAWN
    assert not Case.objects.published().exists()
    # The history is kept: every step on the event log, every version in the history table.
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["nominated", "approved", "consent", "published", "publicity", "withdrawn"]
    assert case.history.count() >= 5


def test_returned_case_is_edited_and_resubmitted_by_its_nominator(cast, enterprise, django_capture_on_commit_callbacks):
    case = nominate(cast, enterprise)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.return_for_changes(actor=cast["county_staff"], case=case, comment="请补充带动就业的具体数据。")
    assert case.status == CaseStatus.RETURNED
    assert Notification.objects.filter(recipient=cast["cadre"], key=f"case-{case.pk}-returned-1").exists()
    case = services.update_case(
        actor=cast["cadre"],
        case=case,
        title="匠心制造三十年",
        story="带动就业1200人。",
        qualities=[Quality.GIVING_BACK],
        subject=Subject.ENTERPRISE,
    )
    assert case.status == CaseStatus.RETURNED and case.qualities == [Quality.GIVING_BACK]
    with django_capture_on_commit_callbacks(execute=True):
        case = services.resubmit(actor=cast["cadre"], case=case)
    assert case.status == CaseStatus.NOMINATED and case.submission_round == 2
    assert Notification.objects.filter(key=f"case-{case.pk}-submitted-2").exists()
    case = services.approve(actor=cast["county_staff"], case=case)
    assert case.status == CaseStatus.APPROVED


def test_rejected_case_keeps_its_reason_and_cannot_move_on(cast, enterprise):
    case = nominate(cast, enterprise)
    with pytest.raises(ValidationError) as error:
        services.reject(actor=cast["county_staff"], case=case, reason="  ")
    assert "reason" in message(error)
    case = services.reject(actor=cast["county_staff"], case=case, reason="近三年有行政处罚记录。")
    assert case.status == CaseStatus.REJECTED and case.rejection_reason == "近三年有行政处罚记录。"
    for move in (services.approve, services.publish):
        with pytest.raises(ValidationError):
            move(actor=cast["city_staff"], case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED


def test_nobody_reviews_their_own_nomination(cast, enterprise):
    case = nominate(cast, enterprise, actor=cast["county_staff"])
    with pytest.raises(ValidationError) as error:
        services.approve(actor=cast["county_staff"], case=case)
    assert "someone else must review it" in message(error)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOMINATED
    assert services.approve(actor=cast["city_staff"], case=case).status == CaseStatus.APPROVED


def test_a_cadre_cannot_review_and_another_county_cannot_touch_the_case(cast, enterprise):
    case = nominate(cast, enterprise)
    with pytest.raises(ValidationError) as error:
        services.approve(actor=cast["cadre"], case=case)
    assert "outside" not in message(error) and "Only united-front staff" in message(error)
    with pytest.raises(ValidationError) as error:
        services.approve(actor=cast["other_county_staff"], case=case)
    assert "outside your region" in message(error)


def test_publishing_without_review_is_refused(cast, enterprise):
    case = with_consent(cast, nominate(cast, enterprise))
    with pytest.raises(ValidationError) as error:
        services.publish(actor=cast["county_staff"], case=case)
    assert "must be approved before it is published" in message(error)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOMINATED and case.published_at is None


def test_publishing_without_consent_is_refused(cast, enterprise):
    case = approved(cast, enterprise)
    with pytest.raises(ValidationError) as error:
        services.publish(actor=cast["county_staff"], case=case)
    assert "has not consented" in message(error)
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED


def test_consent_needs_a_date_and_a_name(cast, enterprise):
    case = nominate(cast, enterprise)
    with pytest.raises(ValidationError) as error:
        services.record_consent(actor=cast["cadre"], case=case, consent_on=None, consent_by="")
    assert "date" in message(error) and "Name who consented" in message(error)
    case.refresh_from_db()
    assert not case.consent_given


def test_actions_in_the_wrong_state_are_refused(cast, enterprise):
    case = nominate(cast, enterprise)
    with pytest.raises(ValidationError) as error:
        services.withdraw(actor=cast["county_staff"], case=case, reason="x")
    assert "cannot be withdrawn now" in message(error)
    with pytest.raises(ValidationError) as error:
        services.resubmit(actor=cast["cadre"], case=case)
    assert "cannot be resubmitted now" in message(error)
    with pytest.raises(ValidationError):
        services.record_publicity(
            actor=cast["county_staff"], case=case, outlet="大众日报", published_on=timezone.localdate(), title="t"
        )
    case = services.approve(actor=cast["county_staff"], case=case)
    with pytest.raises(ValidationError) as error:
        services.update_case(
            actor=cast["cadre"], case=case, title="t", story="s", qualities=[Quality.PATRIOTIC], subject=Subject.ENTERPRISE
        )
    assert "cannot be changed now" in message(error)
    with pytest.raises(ValidationError):
        services.approve(actor=cast["city_staff"], case=case)


def test_only_the_nominator_or_staff_may_change_a_nomination(cast, enterprise):
    case = nominate(cast, enterprise)
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    colleague = UserFactory(username="t_lx_cadre2", region_id="370102", roles=[Role.CADRE])
    with pytest.raises(ValidationError) as error:
        services.update_case(
            actor=colleague, case=case, title="t", story="s", qualities=[Quality.PATRIOTIC], subject=Subject.ENTERPRISE
        )
    assert "Only the nominator" in message(error)


def test_photos_must_be_images_of_a_reasonable_size(cast, enterprise, settings):
    pdf = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        nominate(cast, enterprise, photos=[pdf])
    assert "only JPG, PNG and WebP images" in message(error)
    renamed = SimpleUploadedFile("fake.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        nominate(cast, enterprise, photos=[renamed])
    assert "content does not match its name" in message(error)
    huge = png("huge.png")
    huge.size = 11 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        nominate(cast, enterprise, photos=[huge])
    assert "at most" in message(error)
    assert not Case.objects.exists() and not CasePhoto.objects.exists()
    case = nominate(cast, enterprise, photos=[png()])
    photo = case.photos.get()
    assert (photo.content_type, photo.original_name, photo.uploaded_by) == ("image/png", "photo.png", cast["cadre"])
    assert photo.file.name.startswith("cases/") and photo.file.name.endswith(".png")


def test_a_photo_removed_is_gone_from_disk(cast, enterprise, django_capture_on_commit_callbacks):
    case = nominate(cast, enterprise, photos=[png()])
    photo = case.photos.get()
    storage, name = photo.file.storage, photo.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_photo(actor=cast["cadre"], photo=photo)
    assert not CasePhoto.objects.exists() and not storage.exists(name)
