"""The Catalog: all published content of a site, loaded once, indexed and cross-referenced.

load.py fills it; every plugin and command reads the same one. It holds only what is published
(drafts and unpublished documents never reach it) and answers the questions pages ask: a unit's
records of a kind, a document by 文号 or 索引号, who replaced a document, a record's flowchart.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..primitives.problems import Problem, Severity
from ..primitives.text import reference_key
from ..primitives.tree import MARKDOWN_SUFFIXES, inside, is_hidden
from ..primitives.workdays import WorkCalendar
from ..sensitive.files import Allowance
from ..schema.disclosure import ColumnSpec, DisclosureSettings
from ..schema.fields import POWER_CATEGORIES
from ..schema.kinds import OFFICERS, RECORD_KINDS, UNIT, Kind
from ..schema.procedure import Flow, ProcedureTemplate
from ..schema.records import Document, Notice, PowerItem, Record, ServiceGuide, Unit
from ..schema.topics import TopicList
from . import officers
from .interpretation import Interpretations

UNITS_PREFIX = "units/"
DATA_PREFIXES = ("_vocab/", "_procedures/")  # site-wide data, read by the model, never published as files
DEFAULT_UNIT_TYPES = ["县人民政府", "县直部门", "垂直管理部门", "乡镇", "街道", "职能机构", "村(社区)", "网格"]


@dataclass
class Catalog:
    """Everything the site publishes, with the indexes every plugin and command reads."""

    content_dir: Path
    build_date: dt.date
    unit_types: list[str] = field(default_factory=lambda: list(DEFAULT_UNIT_TYPES))
    units: dict[str, Unit] = field(default_factory=dict)
    # The published records of every other kind, by Kind.plural (catalog.powers … name them).
    collections: dict[str, list[Record]] = field(default_factory=lambda: {k.plural: [] for k in RECORD_KINDS})
    synonyms: list[list[str]] = field(default_factory=list)  # content/_vocab/synonyms.yml
    topics: TopicList | None = None  # 主题分类, content/_vocab/topics.yml (None: topics are free text)
    templates: dict[str, ProcedureTemplate] = field(default_factory=dict)  # procedure templates by name
    flows: dict[int, Flow] = field(default_factory=dict)  # resolved procedures by id(record)
    allowances: list[Allowance] = field(default_factory=list)  # `allow:` of every file
    # (rule, value) of each finding published on purpose: public contacts' mobiles, allowed findings.
    published_values: set[tuple[str, str]] = field(default_factory=set)
    # Free pages (Markdown outside units/): (path as shown, body, first line of the body).
    free_pages: list[tuple[str, str, int]] = field(default_factory=list)
    page_rels: list[str] = field(default_factory=list)  # each free page's content-relative path, in that order
    page_dates: dict[str, dt.date] = field(default_factory=dict)  # a free page's `updated:` by that path (dates.py)
    # Attachments of the documents that are not published (drafts, not 主动公开, dated later; load
    # sees them, the Catalog holds only the published): content-relative path → the document's
    # path as shown. None is published, even when a published body links it.
    withheld: dict[str, str] = field(default_factory=dict)
    # The regular files of content/ (content-relative): the only ones read or published. Links and
    # what lies behind them are not here (primitives.tree).
    files: set[str] = field(default_factory=set)
    # 政府信息公开: content/_vocab/disclosure.yml, the statutory columns (disclosure-columns.yml) and
    # each disclosing body's filled column tree by unit id (assembly/columns.py).
    disclosure_settings: DisclosureSettings = field(default_factory=DisclosureSettings)
    disclosure_columns: list[ColumnSpec] = field(default_factory=list)
    disclosure: dict = field(default_factory=dict)
    # 行政执法公示: the period rules (content/_vocab/enforcement.yml) and the withdrawn decisions
    # whose withdrawal notice replaces their page (assembly/enforcement.py).
    enforcement_rules: object = None
    withdrawals: list = field(default_factory=list)
    decisions_made: list = field(default_factory=list)  # published by the build date, taken down since included
    # Working days: the State Council's schedules, the library's and content/_vocab/holidays.yml's.
    work_calendar: WorkCalendar = field(default_factory=WorkCalendar)
    _published: set[str] | None = field(default=None, repr=False)  # published_files(), once indexed

    @property
    def powers(self) -> list[PowerItem]:
        return self.collections["powers"]

    @property
    def guides(self) -> list[ServiceGuide]:
        return self.collections["guides"]

    @property
    def documents(self) -> list[Document]:
        return self.collections["documents"]

    @property
    def notices(self) -> list[Notice]:
        return self.collections["notices"]

    # --- indexes, filled by index() once every record is in ----------------------------------
    @property
    def decisions(self) -> list:
        return self.collections["decisions"]

    def index(self) -> None:
        self.units = dict(sorted(self.units.items(), key=lambda kv: (kv[1].order, kv[0])))
        for records in self.collections.values():
            records.sort(key=lambda r: (r.unit_id, r.slug))
        # The power list follows the unit directory; archives show the newest first.
        unit_order = {unit_id: i for i, unit_id in enumerate(self.units)}
        self.powers.sort(key=lambda p: (unit_order[p.unit_id], p.code))
        self.documents.sort(key=lambda d: (d.published, d.doc_no or "", d.page), reverse=True)
        self.notices.sort(key=lambda n: (n.start, n.page), reverse=True)
        self.decisions.sort(key=lambda d: (d.decided, d.doc_no, d.page), reverse=True)
        self.decisions_by_power: dict[str, list] = defaultdict(list)
        for decision in self.decisions:
            self.decisions_by_power[decision.power].append(decision)
        self.power_by_code = {p.code: p for p in self.powers}
        self._by_unit: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for kind, records in self.collections.items():
            for record in records:
                self._by_unit[record.unit_id][kind].append(record)
        self.guides_by_power: dict[str, list[ServiceGuide]] = defaultdict(list)
        for guide in self.guides:
            if guide.power:
                self.guides_by_power[guide.power].append(guide)
        self._documents_by_key = {}
        for doc in self.documents:
            for key in doc.reference_keys:
                self._documents_by_key.setdefault(key, doc)
        # Who replaced a document: the one that supersedes it, or the one named in repealed_by.
        self.successor: dict[int, Document] = {}
        for doc in self.documents:
            for ref in doc.supersedes:
                target = self.find_document(ref)
                if target is not None:
                    self.successor.setdefault(id(target), doc)
        for doc in self.documents:
            if doc.repealed_by and id(doc) not in self.successor:
                target = self.find_document(doc.repealed_by)
                if target is not None:
                    self.successor[id(doc)] = target
        self.interpretations = Interpretations(self.documents, self.find_document)  # 政策解读 ↔ policy
        self._officers = officers.index(self.collections[OFFICERS.plural], self.build_date)
        self.children: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.units.values():
            for parent in unit.parents:
                self.children[parent].append(unit)

    # --- lookups ------------------------------------------------------------------------------
    def unit(self, unit_id: str) -> Unit | None:
        return self.units.get(unit_id)

    def top_units(self) -> list[Unit]:
        """The county and the units directly under it: the home page's units at a glance."""
        return [u for u in self.units.values()
                if all(not self.units[p].parents for p in u.parents if p in self.units)]

    def officer(self, cert_no: str):
        """The 执法人员 the site shows with this 执法证号, or None (unknown, a draft list, or an
        expired certificate). Link it with `officer_url(officer)` (its page + '#' + its anchor)."""
        return self._officers.get(officers.cert_key(cert_no))

    def officer_url(self, cert_no: str) -> str | None:
        """units/<unit>/officers/#officer-<执法证号> of a shown officer, else None."""
        found = self.officer(cert_no)
        return officers.officer_url(found) if found is not None else None

    def officers_of(self, unit_id: str) -> list:
        """A unit's 执法人员 shown as of the build date (expired certificates left out)."""
        lists = self.of_unit(unit_id, OFFICERS.plural)
        return [o for officer_list in lists for o in officer_list.shown(self.build_date)]

    def of_kind(self, kind: Kind) -> list[Record]:
        """Every published record of a kind, units included, in the Catalog's order."""
        return list(self.units.values()) if kind is UNIT else self.collections[kind.plural]

    def of_unit(self, unit_id: str, plural: str) -> list:
        """A unit's records of the kind named by its plural (`of_unit(u, "powers")`)."""
        return self._by_unit.get(unit_id, {}).get(plural, [])

    def find_document(self, ref: str | None) -> Document | None:
        """A published document by 文号 (any bracket form) or 索引号."""
        if not ref:
            return None
        return self._documents_by_key.get(reference_key(ref))

    def attachment_path(self, doc: Document, attachment) -> str:
        """Where an attachment sits in the site, relative to the content directory (one that is
        absolute or leaves content/ is an error of the rules, and the build stops before pages)."""
        return inside(doc.source.rel, attachment.file) or posixpath.normpath(attachment.file).lstrip("/")

    def withhold(self, doc: Document) -> None:
        """Keep the attachments of a document that is not published off the site."""
        for attachment in doc.attachments:
            self.withheld.setdefault(self.attachment_path(doc, attachment), doc.source.path)

    def published_files(self) -> set[str]:
        """The files beside the records that may be published (content-relative paths): the
        attachments of published documents and what published bodies link or embed, when they are
        regular files in content/. Any other file under units/ (an excluded document's attachment,
        a stray scan) stays out, and so does an excluded document's attachment that a published body
        links (links_to_withheld)."""
        files = {inside(doc.source.rel, a.file) for doc in self.documents for a in doc.attachments}
        refused = self.withheld.keys() - files  # a published document's own attachment is its to publish
        for record in self.records():
            files.update(link.path for link in record.body_links if link.path not in refused)
        return {f for f in files if f in self.files}

    def links_to_withheld(self) -> list[Problem]:
        """A warning at each link of a published body to the attachment of an unpublished document.
        Not an error: the file is withheld all the same, so the site is safe, and the link starts
        working once the document is published (a notice dated before its document's 发布日期)."""
        published = {inside(doc.source.rel, a.file) for doc in self.documents for a in doc.attachments}
        problems = []
        for record in self.records():
            for link in record.body_links:
                if link.path in self.withheld and link.path not in published:
                    problems.append(Problem(
                        record.source.path, record.source.body_line + link.line, link.column, "",
                        f"links an attachment of an unpublished document ({self.withheld[link.path]})",
                        "the file is not published with this page: remove the link, or link it once the "
                        "document is published (主动公开, not a draft, its 发布日期 reached)", Severity.WARNING))
        return problems

    def static_files(self) -> list[str]:
        """The files MkDocs publishes from content/ as they are, outside units/: every regular file
        but pages and the site's data (_vocab/, _procedures/) and hidden ones, which MkDocs leaves out."""
        return sorted(rel for rel in self.files
                      if not rel.startswith((UNITS_PREFIX, *DATA_PREFIXES)) and not is_hidden(rel)
                      and not rel.endswith(MARKDOWN_SUFFIXES))

    def publishes(self, rel: str) -> bool:
        """Whether a file MkDocs found in content/ may reach the site: a regular file (never one
        through a link), scanned by the model, not the attachment of an unpublished document.
        Record pages are generated, not copied."""
        if rel not in self.files or is_hidden(rel) or rel.startswith(DATA_PREFIXES):
            return False
        if self._published is None:
            self._published = self.published_files()
        if rel.startswith(UNITS_PREFIX):
            return not rel.endswith(MARKDOWN_SUFFIXES) and rel in self._published
        return rel not in self.withheld or rel in self._published

    def flow_of(self, record: Record) -> Flow | None:
        """The record's resolved procedure, ready to draw."""
        return self.flows.get(id(record))

    def successor_of(self, doc: Document) -> Document | None:
        return self.successor.get(id(doc))

    def notice_is_current(self, notice: Notice) -> bool:
        return notice.is_current(self.build_date)

    def counts(self) -> dict[str, int]:
        """How many published records of each kind, by Kind.plural."""
        return {"units": len(self.units), **{kind: len(records) for kind, records in self.collections.items()}}

    def categories(self, powers: list[PowerItem] | None = None) -> dict[str, int]:
        """Item counts per power category, in the official order; categories with none are kept."""
        counts = dict.fromkeys(POWER_CATEGORIES, 0)
        for item in self.powers if powers is None else powers:
            counts[item.category] += 1
        return counts

    def records(self):
        yield from self.units.values()
        for records in self.collections.values():
            yield from records
