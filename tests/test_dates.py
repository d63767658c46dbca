"""Dates as editors write them, and impossible dates rejected in words an editor understands."""

import datetime as dt

import pytest

from gongkai.model.primitives.dates import DateError, chinese_number, format_date, parse_date


@pytest.mark.parametrize("text, expected", [
    ("2021-05-20", dt.date(2021, 5, 20)),
    ("2021-5-20", dt.date(2021, 5, 20)),
    ("2021/5/20", dt.date(2021, 5, 20)),
    ("2021.05.20", dt.date(2021, 5, 20)),
    ("2021年5月20日", dt.date(2021, 5, 20)),
    ("2021年05月20日", dt.date(2021, 5, 20)),
    (" 2021 年 5 月 20 日 ", dt.date(2021, 5, 20)),
    ("二〇〇八年五月十八日", dt.date(2008, 5, 18)),
    ("二零二一年十二月三十一日", dt.date(2021, 12, 31)),
    ("二〇二〇年十月十日", dt.date(2020, 10, 10)),
    ("二〇二〇年二月二十九日", dt.date(2020, 2, 29)),
    ("二〇一九年一月二十一日", dt.date(2019, 1, 21)),
    ("２０２１年５月２０日", dt.date(2021, 5, 20)),  # full-width digits
    ("２０２１－０５－２０".replace("－", "-"), dt.date(2021, 5, 20)),
])
def test_accepted_forms(text, expected):
    assert parse_date(text) == expected


def test_date_objects_pass_through():
    assert parse_date(dt.date(2021, 5, 20)) == dt.date(2021, 5, 20)
    assert parse_date(dt.datetime(2021, 5, 20, 13, 5)) == dt.date(2021, 5, 20)


@pytest.mark.parametrize("text, month_length", [
    ("2021年2月30日", "2021年2月 has 28 days"),
    ("2021-02-29", "2021年2月 has 28 days"),
    ("2020-02-30", "2020年2月 has 29 days"),
    ("2021-04-31", "2021年4月 has 30 days"),
    ("二〇二一年二月三十日", "2021年2月 has 28 days"),
    ("２０２１年２月３０日", "2021年2月 has 28 days"),
])
def test_impossible_day_names_the_month_length(text, month_length):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert str(info.value) == f"'{text}' is not a date: {month_length}"


def test_2021_02_30_message_exactly():
    with pytest.raises(DateError, match=r"^'2021年2月30日' is not a date: 2021年2月 has 28 days$"):
        parse_date("2021年2月30日")


def test_month_13_rejected():
    with pytest.raises(DateError, match="there is no month 13"):
        parse_date("2021-13-01")


@pytest.mark.parametrize("value", [
    "", "明天", "2021-05", "20210520", "2021年5月", "5/20/2021", "2021-05-20 extra", 20210520, None, ["2021-05-20"],
])
def test_not_a_date(value):
    with pytest.raises(DateError, match="is not a date"):
        parse_date(value)


@pytest.mark.parametrize("value", [
    "二〇二一年五月十十日",   # 十 twice: not a Chinese numeral
    "二〇二一年十十月一日",
    "二〇二一年五月二二十日",
    "0000-01-01",            # there is no year 0
    "〇〇〇〇年一月一日",
], ids=["day-shi-shi", "month-shi-shi", "day-er-er-shi", "year-0000", "chinese-year-0000"])
def test_garbage_raises_date_error_not_something_else(value):
    """parse_date promises DateError (a readable message) for every string that is no date."""
    with pytest.raises(DateError):
        parse_date(value)


@pytest.mark.parametrize("text, number", [
    ("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("二〇〇八", 2008),
])
def test_chinese_number(text, number):
    assert chinese_number(text) == number


def test_format_date():
    assert format_date(dt.date(2008, 5, 18)) == "2008年5月18日"
    assert format_date(None) == ""


# --- the date every page shows (model.assembly.dates) ----------------------------------------------
from conftest import SMALL_SITE, write_site  # noqa: E402
from gongkai.model import load_catalog  # noqa: E402
from gongkai.model.assembly.dates import CONTENT, ENTRIES, GIT, PageDates, undated_pages  # noqa: E402


@pytest.fixture
def catalog(tmp_path):
    site = write_site(tmp_path / "site")
    (site / "content/help.md").write_text("---\nupdated: 2026-03-01\n---\n# 使用帮助\n", encoding="utf-8")
    loaded, problems = load_catalog(site / "content", today=dt.date(2026, 11, 21))
    assert [p for p in problems if p.severity.value == "error"] == []
    return loaded


def records_by_slug(catalog):
    return {r.slug: r for r in catalog.records()}


def test_a_record_is_dated_by_the_later_of_its_commit_and_its_own_date(catalog):
    commits = {"units/zrj/documents/2021-gz.md": dt.date(2025, 1, 10),
               "units/zrj/notices/2026-gs.md": dt.date(2026, 11, 1)}
    dates = PageDates(catalog, commits.get)
    records = records_by_slug(catalog)
    doc, notice = dates.record(records["2021-gz"]), dates.record(records["2026-gs"])
    assert (doc.date, doc.basis) == (dt.date(2025, 1, 10), GIT)
    # Committed before its start: the notice's own date is the later, and the honest one.
    assert (notice.date, notice.basis) == (dt.date(2026, 11, 15), CONTENT)
    assert dates.record(records["XK-001"]) is None  # no commit, no date of its own


def test_a_unit_is_as_new_as_its_newest_record(catalog, tmp_path):
    dates = PageDates(catalog)
    zrj, county = catalog.units["zrj"], catalog.units["county"]
    assert (dates.record(zrj).date, dates.record(zrj).basis) == (dt.date(2026, 11, 15), ENTRIES)
    # The county's annual report carries its 发布日期; an older commit of unit.md does not win.
    assert (dates.record(county).date, dates.record(county).basis) == (dt.date(2026, 3, 20), ENTRIES)
    older = PageDates(catalog, {"units/county/unit.md": dt.date(2026, 1, 2)}.get)
    assert older.record(county) == dates.record(county)
    newer = PageDates(catalog, {"units/county/unit.md": dt.date(2026, 4, 2)}.get)
    assert (newer.record(county).date, newer.record(county).basis) == (dt.date(2026, 4, 2), GIT)
    # Without its report, none of the county's records carries a date: outside git, it has none.
    files = {rel: text for rel, text in SMALL_SITE.items() if "/annual-reports/" not in rel}
    bare, _ = load_catalog(write_site(tmp_path / "bare", files) / "content", today=dt.date(2026, 11, 21))
    assert PageDates(bare).record(bare.units["county"]) is None
    committed = PageDates(bare, {"units/county/unit.md": dt.date(2026, 1, 2)}.get)
    assert committed.record(bare.units["county"]).date == dt.date(2026, 1, 2)


def test_lists_take_their_newest_entry_and_site_pages_the_newest_of_the_site(catalog):
    dates = PageDates(catalog)
    listed = dates.listing({"docs": catalog.documents, "years": [(2021, 1)], "heading": "2021年"})
    assert (listed.date, listed.basis) == (dt.date(2021, 5, 20), ENTRIES)
    grouped = dates.listing({"groups": [("县直部门", [catalog.units["zrj"]])]})
    assert grouped.date == dt.date(2026, 11, 15)
    # A page listing no record (search, 网站地图) is as new as the site: its records and free pages.
    assert dates.listing({"units": [("县直部门", ["测试县自然资源局"])]}).date == dt.date(2026, 11, 15)
    assert dates.free_page("help.md").date == dt.date(2026, 3, 1)
    assert dates.free_page("index.md") is None


def test_undated_pages_only_outside_git(catalog):
    outside = {p.path for p in undated_pages(catalog, in_git=False)}
    assert outside == {"content/units/county/powers/QR-001.md",
                       "content/units/zrj/powers/XK-001.md", "content/units/zrj/powers/CF-001.md",
                       "content/units/zrj/powers/JC-001.md", "content/units/zrj/guides/xk-001.md"}
    assert all(p.severity.value == "warning" and (p.line, p.column) == (1, 1) for p in undated_pages(catalog, False))
    assert undated_pages(catalog, in_git=True) == []
