"""Working days: the State Council's schedules (library and content/_vocab/holidays.yml), deadlines
across year ends and 调休 weekends, years without data, and the holiday file's bad input.

Known dates are those of the notices (国务院办公厅关于2024年/2025年/2026年部分节假日安排的通知).
"""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from conftest import GONGKAI, commit_site, gongkai_check, mkdocs_build, run_env, write_site
from gongkai.model import load_catalog
from gongkai.model.primitives.problems import Severity
from gongkai.model.primitives.workdays import (WorkCalendar, _weekdays, missing_schedule_problems,
                                              read_holidays)

D = dt.date
HOLIDAYS = "content/_vocab/holidays.yml"

# A schedule for 2027 as a county copies it from the notice (the days here are invented for the
# test: the real 2027 notice is not out when this is written).
HOLIDAYS_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知
2027:
  holidays:
    - 1月1日（周五）至3日（周日）   # 元旦
    - 2027-02-06 ~ 2027-02-13     # 春节
    - 2027年10月1日至7日           # 国庆节
  workdays:
    - 2月14日（周日）
    - 2027-09-26
    - 10月9日
"""


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.mark.parametrize("day, working", [
    # 2024 春节: 2/10–2/17 off, Sundays 2/4 and 2/18 worked.
    (D(2024, 2, 4), True), (D(2024, 2, 9), True), (D(2024, 2, 10), False), (D(2024, 2, 12), False),
    (D(2024, 2, 17), False), (D(2024, 2, 18), True),
    # 2025 春节: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 worked.
    (D(2025, 1, 26), True), (D(2025, 1, 27), True), (D(2025, 1, 28), False), (D(2025, 2, 4), False),
    (D(2025, 2, 5), True), (D(2025, 2, 8), True), (D(2025, 2, 9), False),
    # 2025 国庆节 and 中秋节: 10/1–10/8 off, Sunday 9/28 and Saturday 10/11 worked.
    (D(2025, 9, 28), True), (D(2025, 10, 1), False), (D(2025, 10, 8), False), (D(2025, 10, 9), True),
    (D(2025, 10, 11), True), (D(2025, 10, 12), False),
    # 2026 元旦: 1/1–1/3 off, Sunday 1/4 worked; 春节 2/15–2/23 off, Saturdays 2/14 and 2/28 worked.
    (D(2026, 1, 1), False), (D(2026, 1, 2), False), (D(2026, 1, 4), True), (D(2026, 2, 14), True),
    (D(2026, 2, 23), False), (D(2026, 2, 28), True),
    # Ordinary weeks.
    (D(2025, 11, 21), True), (D(2025, 11, 22), False), (D(2025, 11, 23), False),
])
def test_the_state_councils_schedule(calendar, day, working):
    assert calendar.is_working_day(day) is working
    assert calendar.years_without_data() == set()


def test_a_deadline_across_the_spring_festival(calendar):
    # 双公示: 7 working days from a decision of Friday 2025-01-24: Sunday 1/26 is worked, 1/28–2/4 off.
    assert calendar.add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert calendar.add_working_days(D(2025, 1, 24), 2) == D(2025, 1, 27)
    assert calendar.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert calendar.add_working_days(D(2025, 1, 24), 7) == D(2025, 2, 10)  # 2/8 (Sat) worked, 2/9 not
    assert calendar.working_days_between(D(2025, 1, 24), D(2025, 2, 10)) == 7


def test_a_deadline_across_the_national_day(calendar):
    # 3 working days to withdraw a decision changed on Friday 2025-09-26: 9/28 (Sun), 9/29, 9/30.
    assert calendar.add_working_days(D(2025, 9, 26), 3) == D(2025, 9, 30)
    assert calendar.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert calendar.add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)  # Saturday 10/11 worked
    assert calendar.working_days_between(D(2025, 9, 30), D(2025, 10, 8)) == 0


def test_a_deadline_across_the_year_end(calendar):
    # From Monday 2025-12-29: 12/30, 12/31, then 元旦 1/1–1/3 off, Sunday 1/4 worked, 1/5 … 1/8.
    assert calendar.add_working_days(D(2025, 12, 29), 7) == D(2026, 1, 8)
    assert calendar.working_days_between(D(2025, 12, 29), D(2026, 1, 8)) == 7
    assert calendar.working_days_between(D(2025, 12, 29), D(2026, 1, 3)) == 2


def test_edges(calendar):
    assert calendar.add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 1)  # a holiday stays itself
    assert calendar.working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    assert calendar.working_days_between(D(2025, 3, 5), D(2025, 3, 3)) == 0
    assert calendar.working_days_between(D(2025, 3, 3), D(2025, 3, 4)) == 1  # start not counted, end counted
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2025, 3, 3), -1)


def test_between_agrees_with_adding_day_by_day(calendar):
    """The year-by-year count (bisection) against the plain day-by-day walk, over years of data and
    a year without."""
    start = D(2023, 12, 20)
    day, count = start, 0
    while day < D(2027, 1, 15):
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
        if day.day in (1, 7, 31):
            assert calendar.working_days_between(start, day) == count, day
    assert count == calendar.working_days_between(start, D(2027, 1, 15))
    assert calendar.add_working_days(start, count) <= D(2027, 1, 15)


def test_weekday_arithmetic():
    for low in (D(2025, 1, k) for k in range(1, 8)):
        for span in range(0, 30):
            high = low + dt.timedelta(days=span)
            walk = sum((low + dt.timedelta(days=k)).weekday() < 5 for k in range(span + 1))
            assert _weekdays(low, high) == walk


def test_a_year_without_data_is_counted_monday_to_friday_and_remembered(calendar):
    assert not calendar.has_data(2027) and calendar.has_data(2004) and calendar.has_data(2026)
    assert calendar.years_without_data() == set()  # asking is not computing
    # Friday 2027-01-01 counts as a working day without the schedule.
    assert calendar.add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 1)
    assert calendar.years_without_data() == {2027}
    assert calendar.is_working_day(D(2028, 10, 2))  # a Monday
    assert not calendar.is_working_day(D(2028, 10, 7))  # a Saturday
    assert calendar.years_without_data() == {2027, 2028}
    warnings = missing_schedule_problems(calendar, HOLIDAYS, present=False)
    assert [p.format() for p in warnings] == [
        f"{HOLIDAYS}:1:1: warning: working days of {year} are counted Monday to Friday: add the State "
        f"Council's schedule to {HOLIDAYS}; create {HOLIDAYS} with the year's schedule from the State "
        "Council's notice" for year in (2027, 2028)]
    assert all(p.severity is Severity.WARNING for p in warnings)


def test_the_content_file_gives_a_year_the_library_does_not_know():
    calendar, problems = read_holidays(HOLIDAYS_2027, HOLIDAYS)
    assert problems == []
    assert calendar.has_data(2027)
    assert not calendar.is_working_day(D(2027, 1, 1))
    assert not calendar.is_working_day(D(2027, 2, 8))  # a Monday of 春节
    assert calendar.is_working_day(D(2027, 2, 14))  # the Sunday worked
    assert calendar.is_working_day(D(2027, 9, 26)) and calendar.is_working_day(D(2027, 10, 9))
    assert not calendar.is_working_day(D(2027, 10, 7))
    # 2026-12-31 (Thursday), then 元旦 1/1–1/3 off: the first working day of 2027 is Monday 1/4.
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.working_days_between(D(2027, 2, 5), D(2027, 2, 15)) == 2  # 2/14 (Sun), 2/15
    assert calendar.years_without_data() == set()
    # The library's years stay the library's.
    assert not calendar.is_working_day(D(2025, 10, 8))


def test_the_content_file_corrects_a_year_of_the_library():
    calendar, problems = read_holidays("2025:\n  holidays:\n    - 2025-10-01 至 2025-10-06\n", HOLIDAYS)
    assert problems == []
    # The year is the file's whole: 10/7 and 10/8 are working, and so is no Saturday.
    assert calendar.is_working_day(D(2025, 10, 7))
    assert not calendar.is_working_day(D(2025, 10, 11))
    assert calendar.is_working_day(D(2025, 1, 28))  # 春节 is not in this file's 2025


def test_an_empty_file_is_the_library_alone():
    for text in ("", "# 待补充\n"):
        calendar, problems = read_holidays(text, HOLIDAYS)
        assert problems == [] and calendar.schedules == {}


BAD_HOLIDAYS = """\
2026:
  holidays:
    - 2026-02-30
    - 2027-01-01
    - 2026-05-01 至 2026-05-05
  workdays:
    - 2026-05-02
    - 2026-04-30
2027:
  holidays: 2027-01-01
  workday:
    - 2027-02-14
2028:
  holidays:
    - 1月1日至12月40日
    - 2028-03-09 ~ 2028-03-01
    - 二〇二八年四月四日
    - [2028-05-01]
  workdays:
    - 2028-05-06
20x9:
  holidays: []
2030: [2030-01-01]
"""


def test_every_problem_of_the_holiday_file_at_once():
    calendar, problems = read_holidays(BAD_HOLIDAYS, HOLIDAYS)
    assert [p.format() for p in problems] == [
        f"{HOLIDAYS}:3:7: error: 2026.holidays.0: '2026-02-30' is not a date: 2026年2月 has 28 days; "
        "write e.g. 2027-02-06, 2月6日 or 2月6日至13日",
        f"{HOLIDAYS}:4:7: error: 2026.holidays.1: 2027-01-01 is not in 2026; put it under '2027:' (a notice "
        "may name a day of another year; split a range across the new year)",
        f"{HOLIDAYS}:7:7: error: 2026.workdays.0: 2026-05-02 is both a holiday (line 5) and a working day; "
        "keep it in one of the lists",
        f"{HOLIDAYS}:8:7: warning: 2026.workdays.1: 2026-04-30 is a Thursday, a working day anyway; "
        "workdays lists the Saturdays and Sundays worked (调休上班)",
        f"{HOLIDAYS}:10:13: error: 2027.holidays: holidays is not a list; write one date or range per line, "
        "e.g. '  - 2月6日至13日'",
        f"{HOLIDAYS}:12:5: error: 2027.workday: 'workday' is not a field of a year; did you mean workdays?",
        f"{HOLIDAYS}:15:7: error: 2028.holidays.0: '12月40日' is not a date: 2028年12月 has 31 days; "
        "write e.g. 2027-02-06, 2月6日 or 2月6日至13日",
        f"{HOLIDAYS}:16:7: error: 2028.holidays.1: the range '2028-03-09 ~ 2028-03-01' ends before it starts; "
        "write e.g. 2027-02-06, 2月6日 or 2月6日至13日",
        f"{HOLIDAYS}:18:7: error: 2028.holidays.3: a list or fields where a date should be; "
        "write e.g. 2027-02-06, 2月6日 or 2月6日至13日",
        f"{HOLIDAYS}:22:3: error: 20x9: '20x9' is not a year; " + (
            "write each year as '2027:' with 'holidays:' (放假, dates or ranges like '2月6日至13日') and "
            "'workdays:' (调休上班 weekend days)"),
        f"{HOLIDAYS}:23:7: error: 2030: 2030 is not a schedule; write each year as '2027:' with 'holidays:' "
        "(放假, dates or ranges like '2月6日至13日') and 'workdays:' (调休上班 weekend days)",
    ]
    # Years with an error are not used (a half-copied schedule would count wrong); the library's
    # 2026 stays.
    assert calendar.schedules == {}
    assert calendar.is_working_day(D(2026, 1, 4))


def test_a_non_list_file():
    calendar, problems = read_holidays("- 2027-01-01\n", HOLIDAYS)
    assert [p.format() for p in problems] == [
        f"{HOLIDAYS}:1:1: error: holidays.yml is not a list of years; write each year as '2027:' with "
        "'holidays:' (放假, dates or ranges like '2月6日至13日') and 'workdays:' (调休上班 weekend days)"]
    _, problems = read_holidays("2027:\n  holidays: [2027-01-01\n", HOLIDAYS)
    assert problems[0].message.startswith("malformed YAML")


# --- the site: loaded with the content, warned about by check ----------------------------------

EPOCH_2027 = "1800000000"  # 2027-01-15 UTC: a build in a year the library does not know


def _check(site, epoch: str, *args: str):
    proc = subprocess.run([GONGKAI, "check", "--content", "content", *args], cwd=site,
                          env=run_env(SOURCE_DATE_EPOCH=epoch), capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


def test_check_warns_of_a_year_without_data_until_the_file_gives_it(tmp_path):
    site = write_site(tmp_path / "site")
    commit_site(site)
    code, output = _check(site, EPOCH_2027)
    warning = (f"{HOLIDAYS}:1:1: warning: working days of 2027 are counted Monday to Friday: add the State "
               f"Council's schedule to {HOLIDAYS}; create {HOLIDAYS} with the year's schedule from the State "
               "Council's notice")
    assert warning in output.splitlines(), output
    assert code == 0
    assert _check(site, EPOCH_2027, "--strict")[0] == 1
    # The build date in a year of the library's data: no warning.
    assert "working days of" not in gongkai_check(site).output
    # The county adds the notice's schedule: the warning goes, and the catalog counts with it.
    (site / HOLIDAYS).write_text(HOLIDAYS_2027, encoding="utf-8")
    code, output = _check(site, EPOCH_2027)
    assert "working days of" not in output and code == 0, output
    catalog, problems = load_catalog(site / "content", today=D(2027, 1, 15))
    assert not any("working days" in p.message for p in problems)
    assert catalog.work_calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert catalog.work_calendar.years_without_data() == set()
    # A file for 2028 only still leaves 2027 to be given; the warning points at the file.
    (site / HOLIDAYS).write_text("2028:\n  holidays:\n    - 1月1日\n", encoding="utf-8")
    _, output = _check(site, EPOCH_2027)
    assert (f"{HOLIDAYS}:1:1: warning: working days of 2027 are counted Monday to Friday: add the State "
            f"Council's schedule to {HOLIDAYS}; add the year's schedule from the State Council's notice"
            in output.splitlines()), output


def test_a_bad_holiday_file_fails_check_with_every_problem_located(tmp_path):
    site = write_site(tmp_path / "site")
    (site / HOLIDAYS).write_text(BAD_HOLIDAYS, encoding="utf-8")
    commit_site(site)
    result = gongkai_check(site)
    assert result.returncode == 1
    lines = result.output.splitlines()
    for expected in (f"{HOLIDAYS}:3:7: error: 2026.holidays.0: '2026-02-30' is not a date",
                     f"{HOLIDAYS}:4:7: error: 2026.holidays.1: 2027-01-01 is not in 2026",
                     f"{HOLIDAYS}:7:7: error: 2026.workdays.0: 2026-05-02 is both a holiday (line 5)",
                     f"{HOLIDAYS}:10:13: error: 2027.holidays: holidays is not a list",
                     f"{HOLIDAYS}:23:7: error: 2030: 2030 is not a schedule"):
        assert any(line.startswith(expected) for line in lines), (expected, result.output)
    assert "Traceback" not in result.output
    build = mkdocs_build(site, "-d", str(tmp_path / "out"))
    assert build.returncode != 0 and "2026.holidays.0" in build.output, build.output
    assert not (tmp_path / "out" / "index.html").exists()
