"""Every audited record's change is recorded with who, when, from which address, in which region, and what
changed; an official's roles are recorded, their password never."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts import services as account_services
from accounts.models import Department, Region, User
from accounts.roles import Role
from accounts.tests.factories import DepartmentFactory, UserFactory
from assessment.models import SchemeItem
from assessment.tests.factories import AssessmentPeriodFactory, SchemeFactory
from cases.tests.factories import CaseFactory
from core.history import PASSWORD_CHANGED
from enterprises.models import LiaisonLevel
from enterprises.tests.factories import AssignmentFactory, EnterpriseFactory
from forums.models import ForumCadence, Opinion
from forums.tests.factories import ForumFactory
from portal.audit.selectors import Criteria, audit_rows, entries
from problems import holidays
from problems.models import CalendarDay, TimeLimit
from reviews.models import ReviewCadence
from reviews.tests.factories import PracticeFactory, ReviewFactory
from visits.models import CadenceRule, Visit
from visits.tests.factories import PolicyFactory

from .helpers import latest, request_by

pytestmark = pytest.mark.django_db

PROVINCE, LIXIA = "370000", "370102"


def _visit():
    enterprise = EnterpriseFactory()
    cadre = UserFactory(roles=[Role.CADRE])
    return Visit.objects.create(enterprise=enterprise, region_id=LIXIA, cadre=cadre, level=LiaisonLevel.COUNTY)


def _opinion():
    forum = ForumFactory()
    return Opinion.objects.create(forum=forum, region_id=forum.region_id, enterprise=EnterpriseFactory(), text="用地难。")


# (make the record, the field changed, its new value, the region the change belongs to)
CHANGES = {
    "official": (lambda: UserFactory(), "title", "区委统战部副部长", LIXIA),
    "department": (lambda: DepartmentFactory(), "name", "区工商联", LIXIA),
    "visit": (_visit, "purpose", "了解融资需求", LIXIA),
    "policy": (lambda: PolicyFactory(), "issuer", "山东省财政厅", PROVINCE),
    "city policy": (lambda: PolicyFactory(region=Region.objects.get(code="370100")), "issuer", "济南市财政局", "370100"),
    "visit cadence": (lambda: CadenceRule.objects.get(level=LiaisonLevel.COUNTY), "due_soon_days", 10, PROVINCE),
    "forum": (lambda: ForumFactory(), "venue", "区政务中心五楼", LIXIA),
    "opinion": (_opinion, "text", "融资难，用地难。", LIXIA),
    "forum cadence": (lambda: ForumCadence.objects.get(level="county"), "lead_days", "20,5", PROVINCE),
    "review": (lambda: ReviewFactory(), "plan", "明年走访全覆盖。", LIXIA),
    "practice": (lambda: PracticeFactory(review__on=date(2026, 9, 1)), "title", "政企早餐会", LIXIA),
    "review cadence": (lambda: ReviewCadence.objects.get(months=6), "due_days", 20, PROVINCE),
    "calendar day": (lambda: CalendarDay.objects.create(date=date(2027, 2, 8), is_working_day=False), "note", "春节", PROVINCE),
    "time limit": (lambda: TimeLimit.objects.order_by("pk").first(), "working_days", 9, PROVINCE),
    "assessment period": (lambda: AssessmentPeriodFactory(), "close_note", "提前结束", PROVINCE),
    "scheme": (lambda: SchemeFactory(owner=Region.objects.get(code="370100")), "name", "济南市考核方案", "370100"),
    "scheme item": (
        lambda: SchemeFactory(owner=Region.objects.get(code="370100"), assessed_level="county").items.get(),
        "target",
        Decimal("90.00"),
        "370100",
    ),
    "enterprise": (lambda: EnterpriseFactory(), "address", "经十路1号", LIXIA),
    "liaison": (lambda: AssignmentFactory(), "reason", "工作调整", LIXIA),
    "case": (lambda: CaseFactory(), "achievements", "获评国家级专精特新企业。", LIXIA),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_a_change_records_who_when_where_and_what(kind):
    make, name, value, region = CHANGES[kind]
    record = make()
    actor = UserFactory(username="changer", region_id=PROVINCE, roles=[Role.ADMINISTRATOR])
    old = getattr(record, name)
    before = timezone.now()
    with request_by(actor, "198.51.100.23"):
        setattr(record, name, value)
        record.save()

    row = latest(record)
    assert row.history_type == "~"
    assert row.history_user == actor
    assert row.ip_address == "198.51.100.23"
    assert row.audit_region == region
    assert row.history_date >= before
    [entry] = entries([(row.history_date, row.history_id, record._meta.label_lower)], actor)
    label = str(record._meta.get_field(name).verbose_name)
    shown = {change.field: (change.old, change.new) for change in entry.changes}
    assert label in shown, entry.changes
    assert shown[label][1] == (f"{value.normalize():f}" if isinstance(value, Decimal) else str(value))
    assert shown[label][0] in {str(old), "—"} or old is None or isinstance(old, Decimal)
    assert entry.address == "198.51.100.23"
    assert entry.who == actor


def test_a_change_made_by_a_task_has_no_address_and_no_person():
    forum = ForumFactory()
    forum.venue = "线上"
    forum.save()
    row = latest(forum)
    assert (row.history_user, row.ip_address, row.audit_region) == (None, None, LIXIA)


def test_a_role_change_is_recorded_with_the_roles_by_name():
    admin = UserFactory(username="admin1", region_id=LIXIA, roles=[Role.ADMINISTRATOR])
    official = UserFactory(roles=[Role.CADRE])
    with request_by(admin):
        account_services.update_official(official=official, roles=[Role.STAFF], title="干事")

    rows = official.history.order_by("history_date", "history_id")
    keys = [(row.history_date, row.history_id, "accounts.user") for row in rows]
    shown = [(change.field, change.old, change.new) for entry in entries(keys, admin) for change in entry.changes]
    roles = str(User._meta.get_field("groups").verbose_name)
    # Removing the cadre's role and adding the staff's are two steps of one save.
    assert (roles, str(Role.CADRE.label), "—") in shown
    assert (roles, "—", str(Role.STAFF.label)) in shown
    assert all(row.history_user == admin for row in rows.filter(history_date__gte=rows.last().history_date))


def test_an_official_created_with_roles_shows_them():
    admin = UserFactory(username="admin1", region_id=LIXIA, roles=[Role.ADMINISTRATOR])
    with request_by(admin):
        official = account_services.create_official(
            username="newcadre", password="Correct-Horse-7", region=Region.objects.get(code=LIXIA), roles=[Role.CADRE]
        )
    keys = [(row.history_date, row.history_id, "accounts.user") for row in official.history.all()]
    shown = [(change.field, change.new) for entry in entries(keys, admin) for change in entry.changes]
    assert (str(User._meta.get_field("groups").verbose_name), str(Role.CADRE.label)) in shown


def test_the_password_is_never_kept_but_its_change_is():
    admin = UserFactory(username="admin1", region_id=LIXIA, roles=[Role.ADMINISTRATOR])
    official = UserFactory()
    with request_by(admin):
        account_services.reset_password(official=official, password="Brand-New-Secret-42")

    row = latest(official)
    assert row.history_change_reason == PASSWORD_CHANGED
    assert not hasattr(row, "password")
    assert "password" not in {field.name for field in official.history.model._meta.get_fields()}
    [entry] = entries([(row.history_date, row.history_id, "accounts.user")], admin)
    assert entry.note and not entry.changes
    assert official.password not in repr(entry) and "Brand-New-Secret-42" not in repr(entry)


def test_a_login_records_nothing(client):
    official = UserFactory()
    count = official.history.count()
    response = client.post(reverse("login"), {"username": official.username, "password": "Correct-Horse-7"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.last_login is not None
    assert official.history.count() == count


def test_deactivation_and_department_are_recorded():
    admin = UserFactory(username="admin1", region_id=LIXIA, roles=[Role.ADMINISTRATOR])
    official = UserFactory()
    department = DepartmentFactory(name="区发改委")
    with request_by(admin):
        official.department = department
        official.save()
        account_services.deactivate_official(official=official, actor=admin)
    keys = [(row.history_date, row.history_id, "accounts.user") for row in official.history.all()]
    shown = {(change.field, change.new) for entry in entries(keys, admin) for change in entry.changes}
    assert (str(User._meta.get_field("department").verbose_name), "区发改委") in shown
    assert (str(User._meta.get_field("is_active").verbose_name), "否") in shown or (
        str(User._meta.get_field("is_active").verbose_name),
        "No",
    ) in shown


def test_a_deleted_department_is_on_the_trail():
    admin = UserFactory(username="admin1", region_id=LIXIA, roles=[Role.ADMINISTRATOR])
    department = DepartmentFactory(name="临时专班")
    pk = department.pk
    with request_by(admin):
        department.delete()
    row = Department.history.filter(id=pk).order_by("-history_date").first()
    assert (row.history_type, row.history_user, row.audit_region) == ("-", admin, LIXIA)


def test_a_holiday_schedule_loaded_in_bulk_is_on_the_trail():
    admin = UserFactory(username="admin1", region_id=PROVINCE, roles=[Role.ADMINISTRATOR])
    CalendarDay.objects.create(date=date(2027, 10, 1), is_working_day=True, note="旧")
    days = [
        holidays.ScheduleDay(date=date(2027, 10, 1), is_working_day=False, name="国庆节"),
        holidays.ScheduleDay(date=date(2027, 10, 9), is_working_day=True, name="国庆节调休上班"),
    ]
    with request_by(admin, "192.0.2.44"):
        holidays.load_schedule(days)
    rows = CalendarDay.history.filter(date__in=[day.date for day in days], history_user=admin)
    assert sorted(rows.values_list("history_type", "ip_address", "audit_region")) == [
        ("+", "192.0.2.44", PROVINCE),
        ("~", "192.0.2.44", PROVINCE),
    ]


def test_scheme_items_replaced_in_bulk_are_on_the_trail_in_the_schemes_region():
    from assessment import services as assessment_services

    period = AssessmentPeriodFactory()
    admin = UserFactory(username="admin1", region_id=PROVINCE, roles=[Role.ADMINISTRATOR])
    scheme = SchemeFactory(period=period)
    with request_by(admin):
        assessment_services.set_scheme_items(
            actor=admin,
            scheme=scheme,
            items=[
                {"indicator": "liaison_coverage", "weight": "60", "target": "100", "rule": "linear"},
                {"indicator": "visit_coverage", "weight": "40", "target": "100", "rule": "linear"},
            ],
        )
    created = SchemeItem.history.filter(scheme_id=scheme.pk, history_type="+", history_user=admin)
    assert created.count() == 2
    assert set(created.values_list("audit_region", "ip_address")) == {(PROVINCE, "203.0.113.9")}
    assert SchemeItem.history.filter(scheme_id=scheme.pk, history_type="-", history_user=admin).count() == 1


def test_a_bulk_write_keeps_the_region_of_each_row():
    rows = [PracticeFactory.build(review=ReviewFactory(region_id=code), region_id=code) for code in (LIXIA, "370103")]
    bulk_create_with_history(rows, rows[0].__class__)
    regions = sorted(rows[0].__class__.history.values_list("audit_region", flat=True))
    assert regions == [LIXIA, "370103"]


def test_the_trail_reads_every_audited_kind():
    """A kind of record added to the audited ones is on the page without further wiring."""
    admin = UserFactory(username="admin1", region_id=PROVINCE, roles=[Role.ADMINISTRATOR])
    for make, name, value, _region in CHANGES.values():
        record = make()
        with request_by(admin):
            setattr(record, name, value)
            record.save()
    kinds = {kind for _when, _id, kind in audit_rows(admin, Criteria(person=admin))}
    assert kinds >= {
        "accounts.user",
        "accounts.department",
        "visits.visit",
        "visits.policy",
        "visits.cadencerule",
        "forums.forum",
        "forums.opinion",
        "forums.forumcadence",
        "reviews.review",
        "reviews.practice",
        "reviews.reviewcadence",
        "problems.calendarday",
        "problems.timelimit",
        "assessment.assessmentperiod",
        "assessment.scheme",
        "assessment.schemeitem",
        "enterprises.enterprise",
        "enterprises.liaisonassignment",
        "cases.case",
    }
