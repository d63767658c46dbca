"""The Catalog: all content of a site, loaded once, validated, indexed and cross-referenced.

Layout of a content directory (what editors commit):

    content/_vocab/unit-types.yml         the unit types, in the order the directory shows them
    content/units/<unit>/unit.md          the unit (部门/单位)
    content/units/<unit>/powers/*.md      its power items (权责事项)
    content/units/<unit>/guides/*.md      its service guides (办事指南)
    content/units/<unit>/documents/*.md   its documents (政策文件 …); attachments beside them
    content/units/<unit>/notices/*.md     its notices (公示/公告)

Any other Markdown file is a free page of the site and is left to MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import rules, sensitive
from .frontmatter import Source, load_content_file, parse_yaml, read_text, split_front_matter
from .problems import Problem, Severity, sort_problems
from .procedure import TEMPLATES_DIR, Flow
from .scaffold import PLACEHOLDER, covered, unfilled
from .schema import KIND_SCHEMAS, Document, Notice, PowerItem, Record, ServiceGuide, Unit, is_public_contact
from .validation import validate

UNITS_DIR = "units"
VOCAB_DIR = "_vocab"
UNIT_FILE = "unit.md"
KINDS = ("powers", "guides", "documents", "notices")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Link and image targets in Markdown and raw HTML: ](target) and src="…"/href="…".
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|(?:src|href)\s*=\s*[\"']([^\"']+)")
DEFAULT_UNIT_TYPES = ["县人民政府", "县直部门", "垂直管理部门", "乡镇", "街道", "职能机构", "村(社区)", "网格"]


@dataclass
class Catalog:
    """Everything the site publishes, with the indexes every plugin and command reads."""

    content_dir: Path
    build_date: dt.date
    unit_types: list[str] = field(default_factory=lambda: list(DEFAULT_UNIT_TYPES))
    units: dict[str, Unit] = field(default_factory=dict)
    powers: list[PowerItem] = field(default_factory=list)
    guides: list[ServiceGuide] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)  # content/_vocab/synonyms.yml
    templates: dict = field(default_factory=dict)  # procedure templates by name
    flows: dict[int, Flow] = field(default_factory=dict)  # resolved procedures by id(record)
    allowances: list[sensitive.Allowance] = field(default_factory=list)  # `allow:` of every file
    # Free pages (Markdown outside units/): (path as shown, body, first line of the body).
    free_pages: list[tuple[str, str, int]] = field(default_factory=list)

    # --- indexes, filled by _index() --------------------------------------------------------
    def _index(self) -> None:
        self.units = dict(sorted(self.units.items(), key=lambda kv: (kv[1].order, kv[0])))
        self.powers.sort(key=lambda p: (self.units[p.unit_id].order, p.unit_id, p.code))
        self.guides.sort(key=lambda g: (g.unit_id, g.slug))
        self.documents.sort(key=lambda d: (d.published, d.doc_no or "", d.page), reverse=True)
        self.notices.sort(key=lambda n: (n.start, n.page), reverse=True)
        self.power_by_code = {p.code: p for p in self.powers}
        self._by_unit: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for kind, records in (("powers", self.powers), ("guides", self.guides),
                              ("documents", self.documents), ("notices", self.notices)):
            for record in records:
                self._by_unit[record.unit_id][kind].append(record)
        self.guides_by_power: dict[str, list[ServiceGuide]] = defaultdict(list)
        for guide in self.guides:
            if guide.power:
                self.guides_by_power[guide.power].append(guide)
        self._documents_by_key = {}
        for doc in self.documents:
            for key in rules.document_keys(doc):
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

    def of_unit(self, unit_id: str, kind: str) -> list:
        return self._by_unit.get(unit_id, {}).get(kind, [])

    def find_document(self, ref: str | None) -> Document | None:
        """A published document by 文号 (any bracket form) or 索引号."""
        if not ref:
            return None
        return self._documents_by_key.get(rules.reference_key(ref))

    def attachment_path(self, doc: Document, attachment) -> str:
        """Where an attachment sits in the site, relative to the content directory."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(doc.source.rel), attachment.file))

    def published_files(self) -> set[str]:
        """The files beside the records that may be published (content-relative paths): the
        attachments of published documents and what published bodies link or embed. Any other
        file under units/ (an excluded document's attachment, a stray scan) stays out."""
        files = {self.attachment_path(doc, a) for doc in self.documents for a in doc.attachments}
        for record in self.records():
            base = posixpath.dirname(record.source.rel)
            for link in _LINK_TARGET.finditer(record.body):
                target = (link.group(1) or link.group(2)).split("#", 1)[0].split("?", 1)[0]
                if target and "://" not in target and not target.startswith(("/", "mailto:")):
                    files.add(posixpath.normpath(posixpath.join(base, target)))
        return files

    def flow_of(self, record: Record) -> Flow | None:
        """The record's resolved procedure, ready to draw."""
        return self.flows.get(id(record))

    def successor_of(self, doc: Document) -> Document | None:
        return self.successor.get(id(doc))

    def notice_end(self, notice: Notice) -> dt.date:
        return rules.notice_end(notice)

    def notice_is_current(self, notice: Notice) -> bool:
        return notice.start <= self.build_date <= self.notice_end(notice)

    def counts(self) -> dict[str, int]:
        return {"units": len(self.units), "powers": len(self.powers), "guides": len(self.guides),
                "documents": len(self.documents), "notices": len(self.notices)}

    def categories(self, powers: list[PowerItem] | None = None) -> dict[str, int]:
        """Item counts per power category, in the official order; categories with none are kept."""
        from .schema import POWER_CATEGORIES

        counts = dict.fromkeys(POWER_CATEGORIES, 0)
        for item in self.powers if powers is None else powers:
            counts[item.category] += 1
        return counts

    def records(self):
        yield from self.units.values()
        yield from self.powers
        yield from self.guides
        yield from self.documents
        yield from self.notices


def build_date(content_dir: Path) -> dt.date:
    """The date the site is built 'as of': SOURCE_DATE_EPOCH, else the last commit, else today.

    Deterministic builds (DESIGN principle 3) need a date that does not depend on the clock.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    try:
        # The committer's own date (%cI keeps their UTC offset): a commit at 07:30 in Beijing is
        # that day's, not the day before's as in UTC.
        out = subprocess.run(["git", "log", "-1", "--format=%cI"], cwd=content_dir,
                             capture_output=True, text=True, timeout=20, check=False).stdout.strip()
        if out:
            return dt.date.fromisoformat(out[:10])
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.date.today()


def load_catalog(content_dir: str | os.PathLike, today: dt.date | None = None) -> tuple[Catalog, list[Problem]]:
    """Load, validate and cross-check a content directory. Never raises on bad content."""
    root = Path(content_dir)
    catalog = Catalog(root, today or build_date(root))
    problems: list[Problem] = []
    if not root.is_dir():
        return catalog, [Problem(str(root), 1, 1, "", "content directory not found", "pass --content DIR")]

    types, type_problems = _load_vocab(root, "unit-types.yml", _is_names, "write one type per line, e.g. '- 县直部门'")
    problems += type_problems
    if types:
        catalog.unit_types = [t.strip() for t in types]
    synonyms, synonym_problems = _load_vocab(root, "synonyms.yml", lambda d: all(_is_names(g) for g in d),
                                             "write one group per line, e.g. '- [督查, 督察]'")
    problems += synonym_problems
    catalog.synonyms = synonyms

    records: list[tuple[str, Record]] = []
    units_root = root / UNITS_DIR
    for unit_dir in sorted(p for p in units_root.iterdir() if p.is_dir()) if units_root.is_dir() else []:
        unit_id = unit_dir.name
        unit_files = sorted(unit_dir.rglob("*.md"))
        rel_dir = _display(root, unit_dir)
        if not SLUG.match(unit_id):
            problems.append(Problem(rel_dir, 1, 1, "", f"'{unit_id}' cannot be a unit id",
                                    "name unit folders with lower-case letters, digits and '-' (e.g. zrzyj)"))
            continue
        if not (unit_dir / UNIT_FILE).is_file():
            problems.append(Problem(rel_dir, 1, 1, "", f"unit folder has no {UNIT_FILE}",
                                    f"add {rel_dir}/{UNIT_FILE} with the unit's name and type"))
        for path in unit_files:
            rel = path.relative_to(unit_dir).parts
            if rel == (UNIT_FILE,):
                kind, slug = "unit", unit_id
            elif len(rel) == 2 and rel[0] in KINDS:
                kind, slug = rel[0], path.stem
            else:
                problems.append(Problem(_display(root, path), 1, 1, "",
                                        "not a place for content",
                                        f"put it in {rel_dir}/powers, guides, documents or notices"))
                continue
            display = _display(root, path)
            if not SLUG.match(slug):
                problems.append(Problem(display, 1, 1, "", f"'{path.name}' cannot be used in a web address",
                                        "name the file with letters, digits and '-' (e.g. 2020-gzyd.md)"))
                continue
            content, file_problems = load_content_file(path, display)
            problems += file_problems
            if content is None:
                continue
            # 待填写 left by `gongkai new`: one error per field still to fill, not its schema echo.
            # (Only files that hold one are walked for them.)
            data, unfinished, names = (unfilled(content.data, content.source) if PLACEHOLDER in content.text
                                       else (content.data, [], []))
            problems += unfinished
            record, schema_problems = validate(KIND_SCHEMAS[kind], data, content.source)
            problems += [p for p in schema_problems if not covered(p.field, names)]
            problems += _scan_sensitive(catalog, content, KIND_SCHEMAS[kind],
                                        record is None or rules.is_published(record, catalog.build_date))
            if record is None:
                continue
            content.source.rel = path.relative_to(root).as_posix()
            record.bind(content.source, unit_id, slug, content.body)
            records.append((kind, record))

    problems += rules.check(catalog, records)
    problems += _check_free_pages(root, catalog)
    problems += sensitive.unused(catalog.allowances)
    # Only published records reach the catalog's collections (drafts never leave the build).
    # Records of a unit whose unit.md is missing or invalid stay out; that unit's problem is
    # already reported, and the catalog never holds an item without its unit.
    catalog.units = {r.unit_id: r for kind, r in records if kind == "unit"}
    records = [(k, r) for k, r in records if r.unit_id in catalog.units]
    for kind, record in records:
        if kind != "unit" and rules.is_published(record, catalog.build_date):
            getattr(catalog, kind).append(record)
    for kind, record in records:
        record.place_at(page_path(kind, record))
    catalog._index()
    problems += _scan_attachments(root, catalog)
    return catalog, sort_problems(problems)


def _scan_attachments(root: Path, catalog: Catalog) -> list[Problem]:
    """Every file published beside the records reaches the site as it is: scan it too. Document
    attachments that cannot be read (PDF, images) get a warning to check them by hand; a file a
    body links or embeds is scanned when it is text or an office file (an embedded image is not
    worth a warning). A missing one is reported by the rules; Markdown pages are records."""
    attachments = {catalog.attachment_path(doc, a) for doc in catalog.documents for a in doc.attachments}
    problems: list[Problem] = []
    for rel in sorted(catalog.published_files()):
        path = root / rel
        suffix = path.suffix.lower()
        if suffix == ".md" or not path.is_file():
            continue
        if rel in attachments or suffix in sensitive.TEXT_FILES or suffix in sensitive.OFFICE_FILES:
            problems += sensitive.scan_attachment(path, _display(root, path))
    return problems


def _check_free_pages(root: Path, catalog: Catalog) -> list[Problem]:
    """Free pages (Markdown outside units/) are MkDocs' own; only their procedure blocks are ours."""
    problems: list[Problem] = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).parts
        if rel[0] in (UNITS_DIR, VOCAB_DIR, TEMPLATES_DIR) or rel[0].startswith("."):
            continue
        display = _display(root, path)
        text, read_problems = read_text(path.read_bytes(), display)
        problems += read_problems
        if text is None:
            continue
        if "procedure" in text:
            problems += rules.check_fences(text, display, 1, catalog.templates)
        problems += _scan_free_page(catalog, text, display)
    return problems


def _scan_sensitive(catalog: Catalog, content, schema, published: bool) -> list[Problem]:
    """Sensitive-data findings of a content file. In a file that is not published (a draft, a
    document not 主动公开 …) they are warnings: nothing of it leaves the build, but it is in git."""
    source = content.source
    allowances, problems = sensitive.read_allowances(content.data, source.path, source.where)
    catalog.allowances += allowances
    problems += sensitive.scan_file(source.path, content.data, source.positions, content.text, content.body,
                                    source.body_line, allowances, lambda path: is_public_contact(schema, path),
                                    Severity.ERROR if published else Severity.WARNING)
    return problems


def _scan_free_page(catalog: Catalog, text: str, display: str) -> list[Problem]:
    """A free page is published as it is: its body and any front matter MkDocs reads as meta."""
    data, positions, body, body_line, problems = {}, {}, text, 1, []
    if text.startswith("---"):
        yaml_text, rest, rest_line, _ = split_front_matter(text, display)
        if yaml_text is not None:
            # Malformed meta is MkDocs' to report; what parses is scanned.
            parsed, parsed_positions, _ = parse_yaml(yaml_text, display, line_offset=2)
            if isinstance(parsed, dict):
                data, positions, body, body_line = parsed, parsed_positions, rest, rest_line
    catalog.free_pages.append((display, body, body_line))
    source = Source(display, positions, body_line)
    allowances, allow_problems = sensitive.read_allowances(data, display, source.where)
    catalog.allowances += allowances
    problems += allow_problems
    problems += sensitive.scan_file(display, data, positions, text, body, body_line, allowances,
                                    lambda path: False)
    return problems


def page_path(kind: str, record: Record) -> str:
    """The stable site path of a record's page (DESIGN principle 7)."""
    base = f"{UNITS_DIR}/{record.unit_id}"
    if kind == "unit":
        return f"{base}/index.md"
    if kind == "powers":
        return f"{base}/powers/{record.code}.md"
    if kind == "documents":
        return f"{base}/documents/{record.published.year}/{record.slug}.md"
    return f"{base}/{kind}/{record.slug}.md"


def _is_names(data) -> bool:
    return isinstance(data, list) and all(isinstance(t, str) and t.strip() for t in data)


def _load_vocab(root: Path, name: str, valid, hint: str) -> tuple[list, list[Problem]]:
    """A site-wide vocabulary in content/_vocab/: a YAML list, checked by `valid`."""
    path = root / VOCAB_DIR / name
    if not path.is_file():
        return [], []
    display = _display(root, path)
    text, problems = read_text(path.read_bytes(), display)
    if text is None:
        return [], problems
    data, positions, problems = parse_yaml(text, display, line_offset=1)
    if problems:
        return [], problems
    # Vocabularies reach pages and the search index: their words are scanned like any content.
    problems = sensitive.scan_file(display, data, positions, text, "", 1, [], lambda path: False)
    if data is None:
        return [], problems
    if not isinstance(data, list) or not valid(data):
        return [], problems + [Problem(display, 1, 1, "", f"{name} is not a list in the expected form", hint)]
    return data, problems


def _display(root: Path, path: Path) -> str:
    """Paths in messages are relative to the directory holding content/, as editors see them."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


__all__ = ["Catalog", "Source", "build_date", "load_catalog", "page_path"]
