"""MkDocs plugin `gongkai/history`: 最后更新 and 修订记录 from git, and the 清单动态调整 page.

Git is read once per build, in on_config (history.git); pages only look up what was read. The
adjustments are history.adjustments', the masking and the field diffs history.diff's.
"""

from __future__ import annotations

import logging

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..catalog.plugin import catalog_of
from ..model.assembly.catalog import Catalog
from ..model.schema import POWER_CATEGORIES, PowerItem, Record, ServiceGuide
from .adjustments import adjustments, by_unit, counts_by_category, power_snapshot, totals_by_category
from .config import HistoryConfig
from .diff import masked_text, masking_warning
from .git import GitError, History, Revision

log = logging.getLogger("mkdocs.plugins.gongkai")

CHANGES_PAGE = "powers/changes.md"
CHANGES_TITLE = "清单动态调整"
SHALLOW = ("gongkai/history: the repository is a shallow clone, so 最后更新 dates and 修订记录 would be "
           "wrong; fetch the full history (git fetch --unshallow), or check out with full depth in CI "
           "(e.g. actions/checkout with fetch-depth: 0)")


class HistoryPlugin(BasePlugin[HistoryConfig]):
    history: History
    # Each release tag with its totals and the adjustments since the tag before it, newest first:
    # what the 清单动态调整 page shows.
    releases: list[dict]
    records: dict[str, Record]  # by the site path of their page
    # Public notes and authors already masked this build: each is scanned, and its findings
    # reported, once, however many files the commit touched.
    _masked_texts: dict[str, str]

    # --- configuration: read git once, before anything is rendered -----------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        catalog = catalog_of(config, "gongkai/history")
        try:
            self.history = History(catalog.content_dir)
            self._masked_texts = {}
            if self.history.shallow:
                if config.strict:
                    raise PluginError(SHALLOW)
                log.warning(SHALLOW)
            elif not self.history.available:
                log.info(f"gongkai/history: {self.history.note}")
            self.records = {record.page: record for record in catalog.records()}
            self.history.read_field_changes([r.source.rel for r in self.records.values()
                                             if isinstance(r, (PowerItem, ServiceGuide))])
            self.releases = self._releases(catalog)
        except GitError as exc:  # git itself failed (a damaged repository …): say so, no traceback
            raise PluginError(f"gongkai/history: {exc}") from None
        return config

    def _releases(self, catalog: Catalog) -> list[dict]:
        """Each release tag with the adjustments since the tag before it, newest first."""
        releases, previous = [], None
        for tag in self.history.tags(self.config.release_tags):
            snapshot = power_snapshot(self.history, tag.commit)
            totals = totals_by_category(snapshot, POWER_CATEGORIES)
            release = {"tag": tag, "total": sum(n for _, n in totals), "baseline": previous is None,
                       "totals": totals}
            if previous is not None:
                changes = adjustments(previous[1], snapshot, {u: unit.name for u, unit in catalog.units.items()})
                for change in changes:
                    if change.hidden:
                        log.warning(masking_warning(f"{catalog.content_dir.name}/{change.path}",
                                                    f"清单动态调整 {previous[0].name} → {tag.name}",
                                                    list(change.hidden)).format())
                release.update(since=previous[0], changes=changes,
                               counts=counts_by_category(changes, POWER_CATEGORIES),
                               units=by_unit(changes, catalog))
            releases.append(release)
            previous = (tag, snapshot)
        return releases[::-1]

    # --- files: the 清单动态调整 page, reached from the list of all items -----------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.config.enabled:
            files.append(File.generated(config, CHANGES_PAGE, content="", inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.config.enabled and page.file.src_uri == CHANGES_PAGE:
            page.meta["title"] = CHANGES_TITLE
            page.meta["template"] = "gongkai/changes.html"
        return markdown

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        if self.config.enabled:
            env.globals["changes_page"] = CHANGES_PAGE
        return env

    # --- pages: each content page's dates and revisions ----------------------------------------
    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
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

    def file_date(self, rel: str):
        """The date of the last commit of a content file (None: not in git, or not committed):
        gongkai/catalog dates every page with it (model.assembly.dates)."""
        history = getattr(self, "history", None)
        revisions = history.revisions(rel) if self.config.enabled and history is not None else []
        return revisions[0].date if revisions else None

    def _page_history(self, record: Record) -> dict:
        revisions = self.history.revisions(record.source.rel)
        if not revisions:  # not a repository, or a file not committed yet: the content's own date
            return {"updated": record.own_date, "from_git": False, "revisions": []}
        entries = ([self._revision_entry(r, record.source.path) for r in revisions]
                   if isinstance(record, (PowerItem, ServiceGuide)) else [])
        return {"updated": revisions[0].date, "from_git": True, "revisions": entries}

    def _masked(self, text: str) -> tuple[str, list[str]]:
        """A note or author masked, with its findings the first time it is seen: a commit touches
        many files, and its note is scanned, and reported, once a build."""
        if text in self._masked_texts:
            return self._masked_texts[text], []
        masked, hidden = masked_text(text)
        self._masked_texts[text] = masked
        return masked, hidden

    def _revision_entry(self, revision: Revision, path: str) -> dict:
        """One 修订记录 entry: the date, the field changes and the commit's public note (its
        修订说明 trailer; history.git never keeps the subject or body, which are internal).
        Notes, authors and old values were never checked as content is: each goes through the
        sensitive-data scan, masked on the page, and the editor is told."""
        note, hidden = self._masked(revision.note) if revision.note else ("", [])
        author = None
        if self.config.show_authors:
            author, in_author = self._masked(revision.author)
            hidden += in_author
        for change in revision.changes:
            hidden += change.hidden
        if hidden:
            log.warning(masking_warning(path, f"commit {revision.commit[:10]}", hidden).format())
        return {"date": revision.date, "note": note, "commit": revision.commit[:10],
                "author": author, "created": revision.status == "A",
                "changes": [c.text for c in revision.changes]}
