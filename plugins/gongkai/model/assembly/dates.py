"""The date every page shows (最后更新), and the pages that would show none.

An audit counts information without a date as not updated (reference/disclosure-rules.md), so
every page carries one, from what is true of its content:

- a record's page: the last commit of its file (git), or the date the record carries itself
  (a document's 发布日期, a notice's, a guide's `updated`), whichever is later; a unit's page
  lists the unit's records, so it is as new as the newest of them;
- a free page (Markdown outside units/): its last commit, or `updated:` / `date:` in its front matter;
- a list: the newest date of the records it lists (never the build date: that is no content date);
  a page about the whole site (the home page, search, 网站地图) the newest of the site.

Git dates come from the caller (the history plugin reads git once per build); without git a page
has only its content's date. `gongkai check` reports, outside git, the pages that would have none.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..primitives.dates import DateError, parse_date
from ..primitives.problems import Problem, Severity
from ..schema.records import Record, Unit
from .catalog import Catalog

# A free page's own date in its front matter (MkDocs keeps it as the page's meta).
DATE_FIELDS = ("updated", "date")
GIT = "git"  # dated by the last commit of its file
CONTENT = "content"  # by the date its content carries
ENTRIES = "entries"  # by the newest of what it lists
HOME = "index.md"

GitDate = Callable[[str], "dt.date | None"]  # content-relative path → the date of its last commit


@dataclass(frozen=True)
class PageDate:
    date: dt.date
    basis: str  # GIT, CONTENT or ENTRIES


def read_free_page_date(catalog: Catalog, rel: str, display: str, data: Any, positions: dict) -> list[Problem]:
    """A free page's `updated:` (or `date:`) into catalog.page_dates; a wrong date is an error."""
    if not isinstance(data, dict):
        return []
    for name in DATE_FIELDS:
        if data.get(name) is None:
            continue
        try:
            catalog.page_dates[rel] = parse_date(data[name])
        except DateError as exc:
            line, column = positions.get((name,), (1, 1))
            return [Problem(display, line, column, name, str(exc), "write the date the page was last updated, "
                            "e.g. 2026-03-01")]
        return []
    return []


def _later(*dates: dt.date | None) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


class PageDates:
    """Each page's date, each record's computed once: linear in the records and list entries."""

    def __init__(self, catalog: Catalog, git_date: GitDate | None = None):
        self.catalog = catalog
        self.git_date = git_date or (lambda rel: None)
        self._records: dict[int, PageDate | None] = {}
        self._newest: PageDate | None | bool = False

    def record(self, record: Record) -> PageDate | None:
        key = id(record)
        if key not in self._records:
            own = self._own(record)
            if isinstance(record, Unit):  # its page lists its records
                listed = self.newest(r for plural in self.catalog.collections
                                     for r in self.catalog.of_unit(record.unit_id, plural))
                own = own if listed is None or (own is not None and own.date >= listed.date) else listed
            self._records[key] = own
        return self._records[key]

    def _own(self, record: Record) -> PageDate | None:
        committed, carried = self.git_date(record.source.rel), record.own_date
        if committed is not None and (carried is None or committed >= carried):
            return PageDate(committed, GIT)
        return PageDate(carried, CONTENT) if carried is not None else None

    def newest(self, records: Iterable[Record]) -> PageDate | None:
        dates = [d for d in (self.record(r) for r in records) if d is not None]
        return PageDate(max(d.date for d in dates), ENTRIES) if dates else None

    def free_page(self, rel: str) -> PageDate | None:
        committed, carried = self.git_date(rel), self.catalog.page_dates.get(rel)
        if committed is not None and (carried is None or committed >= carried):
            return PageDate(committed, GIT)
        return PageDate(carried, CONTENT) if carried is not None else None

    def site(self) -> PageDate | None:
        """The newest date of the whole site: its records and its free pages."""
        if self._newest is False:
            newest = self.newest(self.catalog.records())
            pages = [d for d in (self.free_page(rel) for rel in self.catalog.page_rels) if d is not None]
            dates = [d.date for d in pages] + ([newest.date] if newest else [])
            self._newest = PageDate(max(dates), ENTRIES) if dates else None
        return self._newest or None

    def listing(self, data: Any) -> PageDate | None:
        """A generated page's date from the records its data lists; the site's when it lists none
        (a page about the whole site: search, 网站地图)."""
        records = list(records_in(data))
        return self.newest(records) if records else self.site()


def records_in(data: Any, depth: int = 0) -> Iterable[Record]:
    """The records a page's data holds, in lists, tuples and dicts (a few levels deep)."""
    if isinstance(data, Record):
        yield data
    elif depth < 4 and isinstance(data, dict):
        for value in data.values():
            yield from records_in(value, depth + 1)
    elif depth < 4 and isinstance(data, (list, tuple)):
        for value in data:
            yield from records_in(value, depth + 1)


def committed(content_dir: Path) -> bool:
    """Whether the content is in a git repository with commits: then every page has a date once its
    file is committed (a file not committed yet is being checked before its commit)."""
    try:
        proc = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD^{commit}"], cwd=content_dir,
                              capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def undated_pages(catalog: Catalog, in_git: bool | None = None) -> list[Problem]:
    """The pages that would show no date: outside git, a record that carries no date of its own (a
    unit none of whose records does) and a free page without `updated:` (warnings)."""
    if in_git is None:
        in_git = committed(catalog.content_dir)
    if in_git:
        return []
    dates = PageDates(catalog)
    problems = []
    why = "the page would show no date (最后更新): the content is not in a git repository"
    for record in catalog.records():
        if dates.record(record) is not None:
            continue
        own = "updated" in type(record).model_fields
        hint = ("give 'updated:', or build from a git checkout" if own else
                "build from a git checkout: a page is dated by the last commit of its file")
        problems.append(Problem(record.source.path, 1, 1, "", f"{why}, and the file gives no date", hint,
                                Severity.WARNING))
    for display, rel in zip((p[0] for p in catalog.free_pages), catalog.page_rels):
        # The home page shows the newest documents and notices: it is as new as the site.
        if dates.free_page(rel) is None and not (rel == HOME and dates.site() is not None):
            problems.append(Problem(display, 1, 1, "", f"{why}, and the page gives no 'updated:'",
                                    "add 'updated: YYYY-MM-DD' to its front matter, or build from a git checkout",
                                    Severity.WARNING))
    return problems
