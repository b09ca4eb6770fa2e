from datetime import date

import pytest

from accounts.models import Region
from core.periods import period_containing
from forums.compliance import ComplianceState, compliance_grid
from forums.models import ForumStatus
from forums.tests.factories import AttendanceFactory, ForumFactory, at

pytestmark = pytest.mark.django_db
S = ComplianceState


def states(rows):
    return {row.region.code: [cell.state for cell in row.cells] for row in rows}


def test_each_state_of_a_county(django_assert_max_num_queries):
    lixia = Region.objects.get(code="370102")
    # 2026Q1: held with minutes and attendance. Q2: only planned (ended: past due). Q3: held without an
    # attendance list (does not count). Q4 (current): planned. 2027Q1: nothing yet.
    AttendanceFactory(forum=ForumFactory(starts_at=at(2026, 2, 10), status=ForumStatus.HELD, minutes="纪要"))
    ForumFactory(starts_at=at(2026, 6, 30, 20))
    ForumFactory(starts_at=at(2026, 8, 1), status=ForumStatus.HELD, minutes="纪要")
    ForumFactory(starts_at=at(2026, 12, 20))
    periods = [period_containing(date(2026, month, 1), 3) for month in (1, 4, 7, 10)]
    periods.append(period_containing(date(2027, 1, 1), 3))
    rows = compliance_grid([lixia], periods, today=date(2026, 11, 1))
    assert states(rows)["370102"] == [S.HELD, S.PAST_DUE, S.PAST_DUE, S.PLANNED, S.MISSING]


def test_a_cancelled_forum_does_not_count_and_a_missing_current_period_is_missing():
    lixia = Region.objects.get(code="370102")
    ForumFactory(starts_at=at(2026, 11, 20), status=ForumStatus.CANCELLED, cancel_reason="冲突")
    rows = compliance_grid([lixia], 2, today=date(2026, 11, 1))
    assert [cell.period.label for cell in rows[0].cells] == ["2026Q3", "2026Q4"]
    assert states(rows)["370102"] == [S.PAST_DUE, S.MISSING]


def test_each_region_uses_its_own_cadence():
    jinan, lixia = Region.objects.get(code="370100"), Region.objects.get(code="370102")
    AttendanceFactory(forum=ForumFactory(region=jinan, starts_at=at(2026, 3, 1), status=ForumStatus.HELD, minutes="纪要"))
    rows = compliance_grid([jinan, lixia], 2, today=date(2026, 5, 1))
    assert [cell.period.label for cell in rows[0].cells] == ["2025H2", "2026H1"]
    assert states(rows) == {"370100": [S.PAST_DUE, S.HELD], "370102": [S.PAST_DUE, S.MISSING]}


def test_the_grid_of_every_region_is_a_fixed_number_of_queries(django_assert_max_num_queries):
    for code in ("370102", "370103", "370100"):
        AttendanceFactory(
            forum=ForumFactory(region_id=code, level="county", starts_at=at(2026, 2, 1), status=ForumStatus.HELD, minutes="纪要")
        )
    regions = list(Region.objects.all())
    assert len(regions) == 168
    with django_assert_max_num_queries(2):
        rows = compliance_grid(regions, 8, today=date(2026, 5, 1))
    assert len(rows) == 168 and all(len(row.cells) == 8 for row in rows)
    assert states(rows)["370102"][-2] == S.HELD
