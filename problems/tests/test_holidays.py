"""The working-day calendar beyond its data: a near year whose holidays it does not know is flagged to
administrators (home page, one notification), and a year's official schedule loads from a small file."""

import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from liaison.celery import app as celery_app
from notifications.models import Notification
from problems import holidays
from problems.models import CalendarDay
from problems.tasks import warn_unknown_holidays
from problems.workdays import WorkingCalendar

pytestmark = pytest.mark.django_db

# 2027's schedule as a file would give it (the dates are for the test, not the State Council's).
SCHEDULE_2027 = """日期,是否上班,名称
2027-01-01,休息,元旦
2027-02-05,0,春节
2027-02-06,0,春节
2027-02-07,0,春节
2027-02-08,0,春节
2027-02-09,0,春节
2027-02-10,0,春节
2027-02-11,0,春节
2027-02-20,1,春节调休上班
"""


def load(text, **kwargs):
    return holidays.load_schedule(holidays.read_schedule(text.encode(), **kwargs))


def test_a_year_beyond_the_library_is_unknown_until_its_schedule_is_loaded():
    assert holidays.unknown_years(today=date(2026, 6, 1)) == []  # 2027 is more than a quarter away
    assert holidays.unknown_years(today=date(2026, 12, 4)) == [2027]
    load(SCHEDULE_2027)
    assert holidays.unknown_years(today=date(2026, 12, 4)) == []


def test_a_loaded_schedule_moves_deadlines():
    before = WorkingCalendar.load()
    assert before.is_working_day(date(2027, 2, 8)) and not before.is_known(date(2027, 2, 8))
    assert load(SCHEDULE_2027) == (9, 0, 0)
    calendar = WorkingCalendar.load()
    assert not calendar.is_working_day(date(2027, 2, 8))  # a Monday of the Spring Festival
    assert calendar.is_working_day(date(2027, 2, 20))  # a Saturday worked in exchange
    # Five working days from the eve of the festival: none inside it (5 to 11 February).
    assert calendar.add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 18)
    assert before.add_working_days(date(2027, 2, 4), 5) == date(2027, 2, 11)


def test_loading_again_changes_what_differs_only():
    load(SCHEDULE_2027)
    changed = SCHEDULE_2027.replace("2027-02-20,1,春节调休上班", "2027-02-20,1,春节后调休上班")
    assert load(changed) == (0, 1, 8)
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).note == "春节后调休上班"


def test_a_json_schedule_and_english_headers_and_gbk_are_read():
    days = [{"date": "2027-01-01", "is_working_day": False, "name": "元旦"}, {"date": "2027-02-20", "is_working_day": 1}]
    assert [day.date for day in holidays.read_schedule(json.dumps(days).encode(), filename="2027.json")] == [
        date(2027, 1, 1),
        date(2027, 2, 20),
    ]
    english = "date,is_working_day,name\n2027/01/01,0,New Year\n"
    assert holidays.read_schedule(english.encode())[0].date == date(2027, 1, 1)
    assert holidays.read_schedule(SCHEDULE_2027.encode("gbk"))[0].name == "元旦"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"x" * (holidays.MAX_FILE_BYTES + 1), "larger than"),
        (b"date,name\n2027-01-01,x\n", "must name the columns"),
        (b"date,is_working_day\n", "no days"),
        (b"date,is_working_day\n2027-13-01,0\n", "Row 2"),
        (b"date,is_working_day\n2027-01-01,maybe\n", "working day with 1 or 0"),
        (b"date,is_working_day\n2027-01-01,0\n2027-01-01,0\n", "already on row 2"),
        (b"date,is_working_day\n2027-01-01,0\n2028-01-03,0\n", "several years"),
        (b"date,is_working_day\n2027-01-02,0\n2027-02-20,1\n", "no holiday on a weekday"),
        (b"[1, 2]", "list of days"),
        (b"[{", "not valid JSON"),
        ("日期,是否上班\n2027-01-01,0\n".encode("utf-16"), "neither UTF-8 nor GBK"),
    ],
)
def test_a_wrong_file_is_refused_with_its_reason_and_nothing_is_written(data, message):
    with pytest.raises(ValidationError) as refused:
        holidays.read_schedule(data)
    assert any(message in text for text in refused.value.messages), refused.value.messages
    assert not CalendarDay.objects.exists()


def test_a_file_of_another_year_than_asked_is_refused():
    with pytest.raises(ValidationError, match="only 2028 was to be loaded"):
        holidays.read_schedule(SCHEDULE_2027.encode(), year=2028)


def test_administrators_hear_once_per_unknown_year(cast):
    created = holidays.warn_administrators(today=date(2026, 12, 4))
    assert [notification.recipient for notification in created] == [cast["admin"]]  # the county's admin cannot load
    assert created[0].key == "calendar-unknown:2027"
    assert created[0].link == reverse("admin:problems_calendarday_load")
    assert holidays.warn_administrators(today=date(2026, 12, 5)) == []
    load(SCHEDULE_2027)
    assert holidays.warn_administrators(today=date(2026, 12, 6)) == []
    # A year later the next year is unknown in its turn: one new warning, for it.
    assert [notification.key for notification in holidays.warn_administrators(today=date(2027, 12, 4))] == [
        "calendar-unknown:2028"
    ]
    assert Notification.objects.filter(key__startswith="calendar-unknown:").count() == 2


def test_the_daily_task_is_routed_to_the_reminders_queue(cast):
    assert celery_app.amqp.router.route({}, warn_unknown_holidays.name)["queue"].name == "reminders"
    assert warn_unknown_holidays.delay().get() in (0, 1)


def test_the_home_page_warns_those_who_can_load_the_schedule(cast, monkeypatch):
    monkeypatch.setattr(holidays, "unknown_years", lambda *, today, horizon=holidays.HORIZON: [2027])
    for role, warned in [("admin", True), ("county_admin", False), ("county_staff", False), ("cadre", False)]:
        client = Client()
        client.force_login(cast[role])
        page = client.get(reverse("home")).content.decode()
        assert ('data-testid="home-calendar-warning"' in page) is warned, role
        if warned:
            assert reverse("admin:problems_calendarday_load") in page
            assert reverse("admin:problems_calendarday_changelist") in page


def test_an_administrator_loads_the_schedule_in_the_admin(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast["admin"])
    url = reverse("admin:problems_calendarday_load")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("2027.csv", SCHEDULE_2027.encode(), content_type="text/csv")
    response = client.post(url, {"file": upload}, follow=True)
    assert "The holidays of 2027 are loaded: 9 days added" in response.content.decode()
    assert CalendarDay.objects.filter(date__year=2027).count() == 9


def test_a_wrong_file_in_the_admin_is_answered_with_its_rows(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast["admin"])
    upload = SimpleUploadedFile("2027.csv", b"date,is_working_day\n2027-01-01,0\n2027-02-30,0\n", content_type="text/csv")
    response = client.post(reverse("admin:problems_calendarday_load"), {"file": upload})
    assert response.status_code == 200
    assert "Row 3" in response.content.decode() and "not a date" in response.content.decode()
    assert not CalendarDay.objects.exists()
    assert client.post(reverse("admin:problems_calendarday_load"), {}).status_code == 200  # no file: the form says so


def test_only_the_admins_administrators_reach_the_loader(cast):
    client = Client()
    client.force_login(cast["county_admin"])
    response = client.get(reverse("admin:problems_calendarday_load"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_command_loads_a_file_and_refuses_a_wrong_one(tmp_path):
    good = tmp_path / "2027.csv"
    good.write_text(SCHEDULE_2027, encoding="utf-8")
    out = io.StringIO()
    call_command("load_holidays", str(good), "--year", "2027", stdout=out)
    assert "2027: 9 days read; 9 added" in out.getvalue()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("date,is_working_day\n2027-01-01,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Row 2"):
        call_command("load_holidays", str(wrong))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_holidays", str(tmp_path / "missing.csv"))
