"""The working-day calendar's years: which ones it knows, a year's official schedule loaded from a small
file, and the warning to administrators when a year it does not know is near.

The holiday library (chinese_calendar) knows the years it was released for; beyond them the calendar
guesses Monday to Friday (problems.workdays), so a deadline in a year not yet known treats 1 January or
the Spring Festival as working days, silently. The State Council publishes each year's holidays and
make-up working days (调休) in the autumn before: an administrator loads them from a file (a CSV or JSON
of date, working day or not, name) in the admin's calendar-day table or with `manage.py load_holidays`,
and is warned on the home page and once by notification while a year within `HORIZON` is unknown.

A year counts as known when the library covers it, or when the calendar-day table holds at least one of
its holidays on a weekday: every official schedule has some (the Spring Festival alone spans weekdays),
while a year with no such row has certainly not been entered.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from accounts.roles import Role
from notifications.services import notify
from notifications.texts import Text

from .models import CalendarDay
from .workdays import library_covers

# How far ahead a year must be known: a quarter covers the longest time limits set before it begins.
HORIZON = timedelta(days=92)
# A year's schedule is a few dozen rows; a file much larger than this is not one.
MAX_FILE_BYTES = 64 * 1024
MAX_ROWS = 366
LOAD_PERMISSION = "problems.add_calendarday"

TRUE_WORDS = {"1", "true", "yes", "y", "是", "上班", "工作日", "班"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "休息", "放假", "休息日", "节假日", "休"}


# ---------------------------------------------------------------------------------------------------
# Which years are known


def known_table_years(years):
    """The years among `years` for which the table holds a holiday on a weekday, in one query."""
    years = set(years)
    if not years:
        return set()
    rows = CalendarDay.objects.filter(
        is_working_day=False, date__gte=date(min(years), 1, 1), date__lte=date(max(years), 12, 31)
    ).values_list("date", flat=True)
    return {day.year for day in rows if day.year in years and day.weekday() < 5}


def unknown_years(*, today, horizon=HORIZON):
    """The years from today to `horizon` ahead whose holidays neither the library nor the table knows."""
    years = range(today.year, (today + horizon).year + 1)
    not_in_library = [year for year in years if not library_covers(date(year, 1, 1))]
    entered = known_table_years(not_in_library)
    return [year for year in not_in_library if year not in entered]


def may_load_holidays(user):
    """Who is warned and may load a year's schedule: administrators who reach the admin's calendar table."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm(LOAD_PERMISSION))


def calendar_table_url():
    return reverse("admin:problems_calendarday_changelist")


def calendar_load_url():
    return reverse("admin:problems_calendarday_load")


def warning_key(year):
    return f"calendar-unknown:{year}"


def warn_administrators(*, today):
    """Tell each administrator, once per unknown year (the key names the year), that deadlines in it are
    counted on Monday to Friday until its schedule is loaded. Returns the notifications created now."""
    years = unknown_years(today=today)
    if not years:
        return []
    # Every region at once: the calendar is the province's, one for every deadline.
    recipients = [
        user
        for user in User.objects.active().with_role(Role.ADMINISTRATOR).filter(is_staff=True).distinct().order_by("pk")
        if may_load_holidays(user)
    ]
    created = []
    for year in years:
        created += notify(
            recipients=recipients,
            key=warning_key(year),
            title=Text(gettext_lazy("The holidays of %(year)s are not in the working-day calendar"), year=year),
            body=Text(
                gettext_lazy(
                    "Deadlines in %(year)s count every Monday to Friday as a working day until the year's official "
                    "holiday schedule is loaded. Load it from a small file (date, working day or not, name) in the "
                    "calendar-day table as soon as the State Council publishes it."
                ),
                year=year,
            ),
            link=calendar_load_url(),
        )
    return created


# ---------------------------------------------------------------------------------------------------
# A year's schedule from a file


@dataclass(frozen=True)
class ScheduleDay:
    date: date
    is_working_day: bool
    name: str


def read_schedule(data, *, filename="", year=None):
    """The days of an official schedule file: CSV (`date,is_working_day,name`, a header row, UTF-8 or GBK)
    or JSON (a list of objects with those keys). Every problem found is a ValidationError listing them
    all, with their row numbers; nothing is read half."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d KB: a year's schedule is a few dozen rows.") % {"size": MAX_FILE_BYTES // 1024},
            code="too_large",
        )
    text = _decode(data)
    records = _json_records(text) if _looks_like_json(filename, text) else _csv_records(text)
    if not records:
        raise ValidationError(_("The file has no days."), code="empty")
    if len(records) > MAX_ROWS:
        raise ValidationError(_("The file has more than %(count)d days.") % {"count": MAX_ROWS}, code="too_large")
    days, errors, seen = [], [], {}
    for number, record in records:
        try:
            day = _schedule_day(record)
        except ValueError as error:
            errors.append(_("Row %(number)d: %(error)s") % {"number": number, "error": error})
            continue
        if day.date in seen:
            errors.append(
                _("Row %(number)d: %(date)s is already on row %(first)d.")
                % {"number": number, "date": day.date.isoformat(), "first": seen[day.date]}
            )
            continue
        seen[day.date] = number
        days.append(day)
    years = {day.date.year for day in days}
    if year is not None and years - {year}:
        errors.append(
            _("The file has days of %(years)s; only %(year)s was to be loaded.")
            % {"years": "、".join(str(other) for other in sorted(years - {year})), "year": year}
        )
    elif len(years) > 1:
        errors.append(
            _("The file mixes several years (%(years)s): load one year at a time.")
            % {"years": "、".join(map(str, sorted(years)))}
        )
    if days and not errors and not any(not day.is_working_day and day.date.weekday() < 5 for day in days):
        errors.append(_("The file has no holiday on a weekday: it is not a year's holiday schedule."))
    if errors:
        raise ValidationError(errors, code="invalid")
    return sorted(days, key=lambda day: day.date)


@transaction.atomic
def load_schedule(days):
    """Write a year's schedule into the calendar-day table: each day added, or changed when it differs.
    Returns (added, changed, unchanged) counts. Days of that year not in the file are left as they are."""
    existing = CalendarDay.objects.select_for_update().in_bulk([day.date for day in days], field_name="date")
    added, changed, unchanged = [], [], 0
    for day in days:
        row = existing.get(day.date)
        if row is None:
            added.append(CalendarDay(date=day.date, is_working_day=day.is_working_day, note=day.name))
        elif (row.is_working_day, row.note) != (day.is_working_day, day.name):
            row.is_working_day, row.note = day.is_working_day, day.name
            changed.append(row)
        else:
            unchanged += 1
    # An administrator's load: each day added or changed is on the audit trail (who, from where: the request's).
    bulk_create_with_history(added, CalendarDay)
    bulk_update_with_history(changed, CalendarDay, ["is_working_day", "note"])
    return len(added), len(changed), unchanged


def _decode(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor GBK text."), code="encoding")


def _looks_like_json(filename, text):
    return filename.lower().endswith(".json") or text.lstrip().startswith(("[", "{"))


def _json_records(text):
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(_("The file is not valid JSON: %(error)s") % {"error": error.msg}, code="format") from error
    if isinstance(loaded, dict):
        loaded = loaded.get("days")
    if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
        raise ValidationError(_("The JSON file must be a list of days, each with date, is_working_day and name."), code="format")
    return list(enumerate(loaded, start=1))


HEADER_NAMES = {
    "date": {"date", "日期"},
    "is_working_day": {"is_working_day", "working_day", "working", "上班", "是否上班", "工作日"},
    "name": {"name", "note", "名称", "节日", "说明", "备注"},
}


def _csv_records(text):
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    columns = {key: next((i for i, cell in enumerate(header) if cell in names), None) for key, names in HEADER_NAMES.items()}
    if columns["date"] is None or columns["is_working_day"] is None:
        raise ValidationError(
            _("The first row must name the columns: date, is_working_day, name (or 日期, 是否上班, 名称)."), code="format"
        )
    records = []
    for number, row in enumerate(rows[1:], start=2):
        records.append(
            (number, {key: (row[index] if index is not None and index < len(row) else "") for key, index in columns.items()})
        )
    return records


def _schedule_day(record):
    raw_date = str(record.get("date") or "").strip()
    try:
        day = date.fromisoformat(raw_date.replace("/", "-"))
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date like 2027-01-01.") % {"value": raw_date}) from None
    working = record.get("is_working_day")
    if isinstance(working, bool):
        is_working_day = working
    else:
        word = str(working if working is not None else "").strip().lower()
        if word in TRUE_WORDS:
            is_working_day = True
        elif word in FALSE_WORDS:
            is_working_day = False
        else:
            raise ValueError(_("say whether %(date)s is a working day with 1 or 0 (上班 or 休息).") % {"date": day.isoformat()})
    name = str(record.get("name") or "").strip()
    if len(name) > CalendarDay._meta.get_field("note").max_length:
        raise ValueError(_("the name of %(date)s is too long.") % {"date": day.isoformat()})
    return ScheduleDay(day, is_working_day, name)
