"""Dates as editors write them: 2021-05-20, 2021/5/20, 2021年5月20日, 二〇〇八年五月十八日."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_NUMERAL = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
            "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_ARABIC = re.compile(r"^\s*(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)\s*$")
_CHINESE = re.compile(r"^\s*([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日\s*$")


class DateError(ValueError):
    pass


def chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31."""
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_NUMERAL[tens] if tens else 1) * 10 + (_NUMERAL[units] if units else 0)
    value = 0
    for char in text:
        value = value * 10 + _NUMERAL[char]
    return value


def parse_date(value: object) -> dt.date:
    """Parse a date or raise DateError with a message an editor understands."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise DateError(f"'{value}' is not a date")
    text = value.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    match = _ARABIC.match(text)
    if match:
        year = int(match[1])
        month = int(match[2] or match[4])
        day = int(match[3] or match[5])
    else:
        match = _CHINESE.match(text)
        if not match:
            raise DateError(f"'{value}' is not a date")
        try:
            year = chinese_number(match[1])
            month = chinese_number(match[2])
            day = chinese_number(match[3])
        except KeyError:  # 十十, 二二十: characters in an impossible order
            raise DateError(f"'{value}' is not a date") from None
    if year < 1:
        raise DateError(f"'{value}' is not a date: there is no year {year}")
    if not 1 <= month <= 12:
        raise DateError(f"'{value}' is not a date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"'{value}' is not a date: {year}年{month}月 has {last} days")
    return dt.date(year, month, day)


def format_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
