"""What the reader finds in a 公文: its 版头, its 主体 sorted into what goes where, and the 附件
printed after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .blocks import Block
from .lines import tidy_title


@dataclass
class Head:
    """The 版头: where it ends and what it says."""

    end: int = 0  # index of the first block after it
    masthead: list[tuple[int, str]] = field(default_factory=list)  # 发文机关标志 lines (number, text)
    doc_no: str | None = None
    series: str | None = None
    issue: int | None = None
    written: tuple[int, dt.date] | None = None
    secrecy: tuple[int, str] | None = None  # the 密级 line (number, text)


@dataclass
class Appendix:
    """An 附件 printed after the 公文, headed 附件1."""

    number: int
    label: Block
    title_lines: list[str] = field(default_factory=list)
    title_centred: bool = False
    title_open: bool = True  # until a blank line or the first line that is no title
    blocks: list[Block] = field(default_factory=list)

    @property
    def title(self) -> str:
        return tidy_title(self.title_lines)


@dataclass
class Parts:
    """The 主体 after the 标题, sorted into what goes where."""

    main: list[Block] = field(default_factory=list)
    after_date: list[Block] = field(default_factory=list)  # text after the 成文日期 that is none of the below
    appendices: list[Appendix] = field(default_factory=list)
    listed: dict[int, tuple[str, int]] = field(default_factory=dict)  # 附件说明: number → (title, line)
    listed_at: int = 0  # len(main) at the 附件说明: the 署名 comes below it
    signature: list[tuple[int, str]] = field(default_factory=list)
    written: tuple[int, dt.date] | None = None
    disclosure: str | None = None
