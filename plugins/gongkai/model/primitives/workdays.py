"""Working days (工作日): the one place they are computed.

A working day is Monday to Friday, except the days off of the State Council's holiday schedule
(国务院办公厅关于××年部分节假日安排的通知, announced each autumn for the next year), plus the
调休 Saturdays and Sundays that schedule makes working days. Deadlines in law count them
(行政处罚法 第八十五条: 三日 = 工作日; 双公示: 7 working days).

The schedules come from the library `chinesecalendar` (PyPI, `import chinese_calendar`), pinned at
1.11.0, whose data covers 2004 to 2026; it raises NotImplementedError for any other year. A county
adds the schedule of a year the library does not know yet — or corrects one — in
content/_vocab/holidays.yml (`read_holidays`); a year given there replaces the library's year
whole, as the notice does. A year neither knows is counted Monday to Friday, and the calendar
remembers it (`years_without_data`), so that `check` can ask for the schedule
(`missing_schedule_problems`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

import chinese_calendar

from .dates import DateError, parse_date
from .frontmatter import Source, parse_yaml, read_text
from .problems import Problem, Severity, did_you_mean, sort_problems
from .tree import ContentTree

HOLIDAYS_FILE = "_vocab/holidays.yml"
HOLIDAYS_HINT = ("write each year as '2027:' with 'holidays:' (放假, dates or ranges like "
                 "'2月6日至13日') and 'workdays:' (调休上班 weekend days)")
_KEYS = ("holidays", "workdays")
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class YearSchedule:
    """One year's exceptions to Monday-to-Friday: weekdays off, and weekend days worked."""

    days_off: tuple[dt.date, ...] = ()  # Monday to Friday days that are holidays, sorted
    days_on: tuple[dt.date, ...] = ()  # Saturdays and Sundays that are working days, sorted

    @classmethod
    def of(cls, holidays, workdays) -> YearSchedule:
        return cls(tuple(sorted(d for d in set(holidays) if d.weekday() < 5)),
                   tuple(sorted(d for d in set(workdays) if d.weekday() >= 5)))


def _library_year(year: int) -> YearSchedule | None:
    """The library's schedule of a year, or None when it has no data for it."""
    day = dt.date(year, 1, 1)
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    off, on = [], []
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        if day.weekday() < 5 and not working:
            off.append(day)
        elif day.weekday() >= 5 and working:
            on.append(day)
        day += _ONE_DAY
    return YearSchedule(tuple(off), tuple(on))


@dataclass
class WorkCalendar:
    """Working days from the library's schedules and the content's (which win, year by year)."""

    schedules: dict[int, YearSchedule] = field(default_factory=dict)  # from content/_vocab/holidays.yml
    # The holidays file as messages show it, and whether it exists: where check's warnings point.
    file: str = "content/" + HOLIDAYS_FILE
    file_present: bool = False
    _years: dict[int, YearSchedule | None] = field(default_factory=dict, repr=False)  # resolved, once
    _missing: set[int] = field(default_factory=set, repr=False)

    def _schedule(self, year: int) -> YearSchedule | None:
        if year not in self._years:
            self._years[year] = self.schedules[year] if year in self.schedules else _library_year(year)
        return self._years[year]

    def _year(self, year: int) -> YearSchedule | None:
        """A year's schedule for a computation, which is remembered when it has none."""
        schedule = self._schedule(year)
        if schedule is None:
            self._missing.add(year)
        return schedule

    def years_without_data(self) -> set[int]:
        """The years computations reached that neither the library nor the content knows: their
        working days were counted Monday to Friday."""
        return set(self._missing)

    def has_data(self, year: int) -> bool:
        """Whether a year's schedule is known (asking does not count as reaching the year)."""
        return self._schedule(year) is not None

    def is_working_day(self, day: dt.date) -> bool:
        schedule = self._year(day.year)
        if day.weekday() < 5:
            return schedule is None or not _contains(schedule.days_off, day)
        return schedule is not None and _contains(schedule.days_on, day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after start (start itself not counted); start when n is 0."""
        if n < 0:
            raise ValueError(f"cannot add {n} working days")
        day = start
        while n:
            day += _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        if day == start:
            self._year(start.year)  # even a zero-day deadline was computed in that year
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start up to and including end; 0 when end is not after start.

        Counted year by year (Monday-to-Friday arithmetic, then each year's exceptions by
        bisection), so a span of years costs no more than a span of days."""
        if end <= start:
            return 0
        total = 0
        first = start + _ONE_DAY
        for year in range(first.year, end.year + 1):
            low = max(first, dt.date(year, 1, 1))
            high = min(end, dt.date(year, 12, 31))
            total += _weekdays(low, high)
            schedule = self._year(year)
            if schedule is not None:
                total -= _count(schedule.days_off, low, high)
                total += _count(schedule.days_on, low, high)
        return total


def _contains(days: tuple[dt.date, ...], day: dt.date) -> bool:
    i = bisect.bisect_left(days, day)
    return i < len(days) and days[i] == day


def _count(days: tuple[dt.date, ...], low: dt.date, high: dt.date) -> int:
    return bisect.bisect_right(days, high) - bisect.bisect_left(days, low)


def _weekdays(low: dt.date, high: dt.date) -> int:
    """Mondays to Fridays from low to high, both included."""
    span = (high - low).days + 1
    weeks, rest = divmod(span, 7)
    first = low.weekday()
    return weeks * 5 + sum(1 for k in range(rest) if (first + k) % 7 < 5)


# --- content/_vocab/holidays.yml ------------------------------------------------------------------

# As the notice writes them: '1月1日（周四）至3日（周六）', '2027-02-06 ~ 2027-02-13', '10月1日至7日'.
_WEEKDAY_NOTE = re.compile(r"[（(]\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）]")
_RANGE = re.compile(r"\s*(?:至|到|~|～|—|–)\s*")
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*(?:月\s*(\d{1,2})\s*日|[-/.]\s*(\d{1,2}))\s*$")
_DAY = re.compile(r"^\s*(\d{1,2})\s*日\s*$")


def _parse_day(text: str, year: int, month: int | None) -> dt.date:
    """A date in the notice's forms: a full date, '2月6日' (the block's year), or '13日' (the
    month of the range's start)."""
    digits = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    match = _MONTH_DAY.match(digits)
    if match:
        full = f"{year}-{match[1]}-{match[2] or match[3]}"
    else:
        match = _DAY.match(digits)
        full = f"{year}-{month}-{match[1]}" if match and month is not None else digits
    try:
        return parse_date(full)
    except DateError as exc:  # quoted as the editor wrote it, not as completed here
        raise DateError(str(exc).replace(f"'{full}'", f"'{text.strip()}'", 1)) from None


def _parse_range(value: object, year: int) -> tuple[dt.date, dt.date]:
    """An entry of a list: one day, or a range of days (both ends included): (first, last)."""
    if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
        day = parse_date(value if isinstance(value, dt.date) else str(value))
        return day, day
    if isinstance(value, (list, dict)):
        raise DateError("a list or fields where a date should be")
    if not isinstance(value, str):
        raise DateError(f"'{value}' is not a date")
    text = _WEEKDAY_NOTE.sub("", value).strip()
    parts = _RANGE.split(text)
    if len(parts) == 1:
        day = _parse_day(parts[0], year, None)
        return day, day
    if len(parts) != 2 or not all(parts):
        raise DateError(f"'{value}' is not a date or a range of dates")
    first = _parse_day(parts[0], year, None)
    last = _parse_day(parts[1], first.year, first.month)
    if last < first:
        raise DateError(f"the range '{value}' ends before it starts")
    return first, last


def read_holidays(text: str, display: str) -> tuple[WorkCalendar, list[Problem]]:
    """content/_vocab/holidays.yml into a WorkCalendar, with every problem located in it. A year
    with a problem is left to the library (or Monday to Friday), the others are used."""
    data, positions, problems = parse_yaml(text, display, line_offset=1)
    calendar = WorkCalendar()
    if problems or data is None or data == {}:
        return calendar, problems
    source = Source(display, positions)
    if not isinstance(data, dict):
        return calendar, [Problem(display, 1, 1, "", "holidays.yml is not a list of years", HOLIDAYS_HINT)]
    for key, block in data.items():
        year_problems: list[Problem] = []
        if not re.fullmatch(r"\d{4}", key.strip()):
            problems.append(source.problem((key,), f"'{key}' is not a year", HOLIDAYS_HINT))
            continue
        year = int(key)
        if not isinstance(block, dict):
            problems.append(source.problem((key,), f"{year} is not a schedule", HOLIDAYS_HINT))
            continue
        for name in block:
            if name not in _KEYS:
                year_problems.append(source.problem(
                    (key, name), f"'{name}' is not a field of a year",
                    did_you_mean(name, _KEYS) or "a year has 'holidays:' (放假) and 'workdays:' (调休上班)"))
        found: dict[str, dict[dt.date, tuple]] = {}
        for name in _KEYS:
            entries = block.get(name)
            found[name] = {}
            if entries is None:
                continue
            if not isinstance(entries, list):
                year_problems.append(source.problem(
                    (key, name), f"{name} is not a list",
                    f"write one date or range per line, e.g. '  - 2月6日至13日'"))
                continue
            for i, entry in enumerate(entries):
                where = (key, name, i)
                try:
                    first, last = _parse_range(entry, year)
                except DateError as exc:
                    year_problems.append(source.problem(where, str(exc), "write e.g. 2027-02-06, 2月6日 or 2月6日至13日"))
                    continue
                stray = first if first.year != year else last
                if stray.year != year:
                    year_problems.append(source.problem(
                        where, f"{stray.isoformat()} is not in {year}",
                        f"put it under '{stray.year}:' (a notice may name a day of another year; "
                        "split a range across the new year)"))
                    continue
                while first <= last:
                    found[name].setdefault(first, where)
                    first += _ONE_DAY
        for day, where in sorted(found["workdays"].items()):
            if day in found["holidays"]:
                line = source.where(*found["holidays"][day])[0]
                year_problems.append(source.problem(
                    where, f"{day.isoformat()} is both a holiday (line {line}) and a working day",
                    "keep it in one of the lists"))
            elif day.weekday() < 5:
                problems.append(source.problem(
                    where, f"{day.isoformat()} is a {day.strftime('%A')}, a working day anyway",
                    "workdays lists the Saturdays and Sundays worked (调休上班)", Severity.WARNING))
        problems += year_problems
        if not year_problems:
            calendar.schedules[year] = YearSchedule.of(found["holidays"], found["workdays"])
    return calendar, sort_problems(problems)


def load_work_calendar(tree: ContentTree) -> tuple[WorkCalendar, list[Problem]]:
    """The site's calendar: the library's schedules and content/_vocab/holidays.yml's, if any."""
    path = tree.path(HOLIDAYS_FILE)
    display = path.relative_to(tree.root.parent).as_posix()
    if HOLIDAYS_FILE not in tree:
        return WorkCalendar(file=display), []
    text, problems = read_text(path.read_bytes(), display)
    calendar, found = read_holidays(text, display) if text is not None else (WorkCalendar(), [])
    calendar.file, calendar.file_present = display, True
    return calendar, problems + found


def missing_schedule_problems(calendar: WorkCalendar, display: str | None = None,
                              present: bool | None = None) -> list[Problem]:
    """A warning for each year a computation reached without its schedule, located at the holidays
    file (`display`, as messages show it; the calendar's own by default), or where it would be
    when it does not exist."""
    display = calendar.file if display is None else display
    present = calendar.file_present if present is None else present
    if present:
        hint = "add the year's schedule from the State Council's notice"
    else:
        hint = f"create {display} with the year's schedule from the State Council's notice"
    return [Problem(display, 1, 1, "", f"working days of {year} are counted Monday to Friday: add the State "
                    f"Council's schedule to {display}", hint, Severity.WARNING)
            for year in sorted(calendar.years_without_data())]
