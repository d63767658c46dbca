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
