"""MkDocs plugin `gongkai/history`: 最后更新 and 修订记录 from git, and the 清单动态调整 page.

Git is read once per build (model/history.py); pages only look up what was read.
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from ..catalog.plugin import catalog_of
from .git import (GitError, History, Revision, adjustments, counts_by_category, is_removed,
                             masked_text)
from ..model.primitives.problems import Problem, Severity
from ..model.schema import POWER_CATEGORIES, Document, Notice, PowerItem, Record, ServiceGuide
from .config import HistoryConfig

log = logging.getLogger("mkdocs.plugins.gongkai")

CHANGES_PAGE = "powers/changes.md"
CHANGES_TITLE = "清单动态调整"
SHALLOW = ("gongkai/history: the repository is a shallow clone, so 最后更新 dates and 修订记录 would be "
           "wrong; fetch the full history (git fetch --unshallow), or check out with full depth in CI "
           "(e.g. actions/checkout with fetch-depth: 0)")


class HistoryPlugin(BasePlugin[HistoryConfig]):
    history: History
    releases: list[dict]

    # --- configuration: read git once, before anything is rendered -----------------------------
    def on_config(self, config):
        if not self.config.enabled:
            return config
        catalog = catalog_of(config, "gongkai/history")
        try:
            self.history = History(catalog.content_dir)
            self._masked_texts: dict[str, str] = {}  # subjects and authors, masked
            if self.history.shallow:
                if config.strict:
                    raise PluginError(SHALLOW)
                log.warning(SHALLOW)
            elif not self.history.available:
                log.info(f"gongkai/history: {self.history.note}")
            self.records = {record.page: record for record in catalog.records()}
            self.history.describe([r.source.rel for r in self.records.values()
                                   if isinstance(r, (PowerItem, ServiceGuide))])
            self.releases = self._releases(catalog)
        except GitError as exc:  # git itself failed (a damaged repository …): say so, no traceback
            raise PluginError(f"gongkai/history: {exc}") from None
        return config

    def _releases(self, catalog) -> list[dict]:
        """Each release tag with the adjustments since the tag before it, newest first."""
        releases, previous = [], None
        for tag in self.history.tags(self.config.release_tags):
            snapshot = self.history.power_snapshot(tag.commit)
            totals = counts_by_category_of(snapshot)
            release = {"tag": tag, "total": sum(n for _, n in totals), "baseline": previous is None,
                       "totals": totals}
            if previous is not None:
                changes = adjustments(previous[1], snapshot, {u: unit.name for u, unit in catalog.units.items()})
                for change in changes:
                    if change.hidden:
                        warn_masked(f"{catalog.content_dir.name}/{change.path}",
                                    f"清单动态调整 {previous[0].name} → {tag.name}", list(change.hidden))
                release.update(since=previous[0], changes=changes,
                               counts=counts_by_category(changes, POWER_CATEGORIES),
                               units=_by_unit(changes, catalog))
            releases.append(release)
            previous = (tag, snapshot)
        return releases[::-1]

    # --- files: the 清单动态调整 page, reached from the list of all items -----------------------
    def on_files(self, files: Files, config) -> Files:
        if self.config.enabled:
            files.append(File.generated(config, CHANGES_PAGE, content="", inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if self.config.enabled and page.file.src_uri == CHANGES_PAGE:
            page.meta["title"] = CHANGES_TITLE
            page.meta["template"] = "gongkai/changes.html"
        return markdown

    def on_env(self, env, config, files):
        if self.config.enabled:
            env.globals["changes_page"] = CHANGES_PAGE
        return env

    # --- pages: each content page's dates and revisions ----------------------------------------
    def on_page_context(self, context, page, config, nav):
        if not self.config.enabled:
            return context
        if page.file.src_uri == CHANGES_PAGE:
            context["gk"] = {"releases": self.releases, "pattern": self.config.release_tags,
                             "available": self.history.available, "shallow": self.history.shallow}
            return context
        record = self.records.get(page.file.src_uri)
        if record is not None:
            context["history"] = self._page_history(record)
        return context

    def _page_history(self, record: Record) -> dict:
        revisions = self.history.revisions(record.source.rel)
        if not revisions:  # not a repository, or a file not committed yet: the content's own date
            return {"updated": own_date(record), "from_git": False, "revisions": []}
        shown = ([self._shown(r, record.source.path) for r in revisions]
                 if isinstance(record, (PowerItem, ServiceGuide)) else [])
        return {"updated": revisions[0].date, "from_git": True, "revisions": shown}

    def _masked(self, text: str) -> tuple[str, list[str]]:
        """A subject or author masked, with its findings the first time it is seen: a commit touches
        many files, and its subject is scanned, and reported, once a build."""
        if text in self._masked_texts:
            return self._masked_texts[text], []
        masked, hidden = masked_text(text)
        self._masked_texts[text] = masked
        return masked, hidden

    def _shown(self, revision: Revision, path: str) -> dict:
        """One 修订记录 entry. Subjects, authors and old values were never checked as content is:
        each goes through the sensitive-data scan, masked on the page, and the editor is told."""
        subject, hidden = self._masked(revision.subject)
        author = None
        if self.config.show_authors:
            author, in_author = self._masked(revision.author)
            hidden += in_author
        for change in revision.changes:
            hidden += change.hidden
        if hidden:
            warn_masked(path, f"commit {revision.commit[:10]}", hidden)
        return {"date": revision.date, "subject": subject, "commit": revision.commit[:10],
                "author": author, "created": revision.status == "A",
                "changes": [c.text for c in revision.changes]}


MASKED_HINT = ("the git history keeps what a commit recorded: the page shows it masked; to remove it from "
               "the repository too, rewrite the history (e.g. git filter-repo) and force-push")


def warn_masked(path: str, where: str, hidden: list[str]) -> None:
    """A located warning (the findings masked, as every report shows them)."""
    what = "、".join(dict.fromkeys(hidden))
    log.warning(Problem(path, 1, 1, "修订记录", f"{where}: masked on the page: {what}", MASKED_HINT,
                        Severity.WARNING).format())


def own_date(record: Record):
    """The date a record carries itself, for sites built outside git."""
    if isinstance(record, Document):
        return record.published
    if isinstance(record, ServiceGuide):
        return record.updated
    if isinstance(record, Notice):
        return record.published or record.start
    if isinstance(record, PowerItem) and record.status:
        return max(s.date for s in record.status)
    return None


def counts_by_category_of(snapshot: dict[str, dict]) -> list[tuple[str, int]]:
    counts = dict.fromkeys(POWER_CATEGORIES, 0)
    for entry in snapshot.values():
        if is_removed(entry["data"]):
            continue
        category = str(entry["data"].get("category", ""))
        counts[category] = counts.get(category, 0) + 1
    return [(c, n) for c, n in counts.items() if n]


def _by_unit(changes, catalog) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for change in changes:
        groups.setdefault(change.unit, []).append(change)
    named = []
    for unit_id, items in groups.items():
        unit = catalog.unit(unit_id)
        named.append((unit, unit.name if unit else unit_id, items))
    order = {u: i for i, u in enumerate(catalog.units)}
    return sorted(named, key=lambda g: (order.get(g[2][0].unit, len(order)), g[1]))
