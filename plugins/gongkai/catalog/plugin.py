"""MkDocs plugin `gongkai/catalog`: content/ → Catalog → the pages of the disclosure site."""

from __future__ import annotations

import calendar
import datetime as dt
import html
import logging
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from ..precompress import precompress
from ..atomic import Busy, DirectoryLock, replace_directory, restore_interrupted
from ..model import Catalog, load_catalog
from ..model.assembly.dates import PageDate, PageDates
from ..model.primitives.dates import format_date
from ..gate.inspect import inspect_site
from ..model.primitives.problems import Severity, has_errors, sort_problems
from ..model.schema import LABELS, Record
from ..model.primitives.text import book_title
from .chart import category_chart
from .config import CatalogConfig
from .directory import topic_listing
from .identity import footer_identity, site_identity_problems
from .links import SourceLinks
from .pages import SitePage, navigation, plan_pages
from .sitemap import SITEMAP_PAGE, sitemap_data

log = logging.getLogger("mkdocs.plugins.gongkai")

HOME = "index.md"


def catalog_of(config: MkDocsConfig, plugin_name: str) -> Catalog:
    """The Catalog loaded by gongkai/catalog this build: every other plugin reads that one."""
    plugin = config.plugins.get("gongkai/catalog")
    if plugin is None:
        raise PluginError(f"{plugin_name} needs the gongkai/catalog plugin: list it first under plugins")
    return plugin.catalog


# The SOURCE_DATE_EPOCH that Gongkai put in the environment, when it did. At module level, not
# on the plugin: `mkdocs serve` loads the configuration, and so new plugin instances, for each
# rebuild, while the environment lives as long as the process.
_epoch_set_by_gongkai: str | None = None


def _drop_earlier_builds_epoch() -> None:
    """Take out a SOURCE_DATE_EPOCH that an earlier build of this process set, so that this build
    takes its own date (from the last commit). One the user set is not Gongkai's: it stays, and
    dates every build."""
    if _epoch_set_by_gongkai is not None and os.environ.get("SOURCE_DATE_EPOCH") == _epoch_set_by_gongkai:
        del os.environ["SOURCE_DATE_EPOCH"]


def _pin_build_date(date: dt.date) -> None:
    """MkDocs dates the sitemap from SOURCE_DATE_EPOCH; pin it to the catalog's build date (from
    the last commit) so the same commit gives the same bytes (DESIGN principle 3)."""
    global _epoch_set_by_gongkai
    if "SOURCE_DATE_EPOCH" not in os.environ:
        _epoch_set_by_gongkai = os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(date.timetuple()))


class CatalogPlugin(BasePlugin[CatalogConfig]):
    catalog: Catalog
    pages: dict[str, SitePage]  # the generated pages by src_uri: records, lists, unit pages
    # With `atomic`: the site_dir the user configured, while MkDocs writes to site_dir.building
    # (swapped in on_post_build); None when the build writes in place.
    final_site_dir: str | None = None
    files: Files  # this build's files, for href() in the templates
    links: SourceLinks  # re-roots record bodies' links at their source files (links.py)
    # With `atomic`: the lock on site/ (.site.lock beside it), held from on_config to the swap.
    site_lock: DirectoryLock | None = None

    command = "build"  # or serve, gh-deploy: what MkDocs was asked to do (on_startup)
    # `gongkai preview` sets a dict: what assembly read of each record goes in it (load_catalog).
    reads: dict | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    # --- configuration: load and check all content before anything is cleaned or rendered ----
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        self.final_site_dir = None
        if self.config.atomic:
            self._hold_site(Path(config.site_dir))
        logging.getLogger("mkdocs.commands.build").addFilter(_said_once)
        _drop_earlier_builds_epoch()  # before load_catalog: build_date() reads SOURCE_DATE_EPOCH first
        catalog, problems = load_catalog(config.docs_dir, keep_reads=self.reads)
        problems = sort_problems(site_identity_problems(config, self.config.identity) + problems)
        for problem in problems:
            if problem.severity is Severity.WARNING:
                log.warning(problem.format())
        if has_errors(problems):
            errors = [p.format() for p in problems if p.severity is Severity.ERROR]
            raise PluginError(
                "Gongkai: the content has {} error(s); {}.\n{}".format(
                    len(errors), output_state(Path(config.site_dir)), "\n".join(errors)))
        self.catalog = catalog
        _pin_build_date(catalog.build_date)
        self.pages = {page.src_uri: page for page in plan_pages(catalog)}
        self.links = SourceLinks(catalog)
        config.markdown_extensions.append(self.links)
        if self.config.navigation and config.nav is None:
            config.nav = navigation(catalog)
        if self.config.atomic:
            self.final_site_dir = config.site_dir
            config.site_dir = config.site_dir.rstrip("/\\") + ".building"
            shutil.rmtree(config.site_dir, ignore_errors=True)
        return config

    def _hold_site(self, site: Path) -> None:
        """Lock site/ for this build: a second build in the same checkout waits for the first (at
        most `lock_wait` seconds), never writes the same staging directory at the same time. Under
        the lock, a site/ that a swap killed half-way left missing is restored first."""
        self.site_lock = DirectoryLock(site)
        try:
            self.site_lock.acquire(self.config.lock_wait, waiting=lambda holder: log.warning(
                f"Gongkai: another build ({holder}) is writing {site.name}/; waiting for it "
                f"(at most {self.config.lock_wait:g} s)"))
            if restore_interrupted(site):
                log.warning(f"Gongkai: {site.name}/ was missing (a build was killed while swapping it in); "
                            f"restored the last good one from {site.name}.previous/")
        except Busy as exc:
            self.site_lock = None
            raise PluginError(f"Gongkai: another build ({exc}) is still writing {site.name}/ after "
                              f"{self.config.lock_wait:g} s; this build stopped and wrote nothing") from None
        except OSError as exc:
            self.site_lock = None
            raise PluginError(f"Gongkai: cannot write beside {site.name}/ ({site.parent}): "
                              f"{exc.strerror or exc}; {output_state(site)}") from None

    def _release_site(self) -> None:
        if self.site_lock is not None:
            self.site_lock.release()
            self.site_lock = None

    # --- files: content files make way for the generated pages --------------------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        # MkDocs walks docs_dir following links (os.walk(followlinks=True)) and would copy what
        # they point to. Only what the model found as a regular file and scanned goes on: no link
        # or anything behind one, no data file, under units/ only what published records use.
        # (A link is also an error of load_catalog, so a build with one has stopped in on_config.)
        docs_dir = os.path.abspath(config.docs_dir)
        for file in list(files):
            from_content = file.src_dir is not None and os.path.abspath(file.src_dir) == docs_dir
            if from_content and not self.catalog.publishes(file.src_uri):
                files.remove(file)
        if files.get_file_from_path(HOME) is None:
            files.append(File.generated(config, HOME, content=""))
        # Record pages are reached through lists, never through the navigation (DESIGN §2).
        for page in self.pages.values():
            files.append(File.generated(config, page.src_uri, content=page.body,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        record = spec.data.get("record") if spec is not None else None
        self.links.convert(record.source.rel if isinstance(record, Record) else None, page.file.src_uri)
        if spec is not None:
            # Material prints the title unescaped; content text like 面积<500平方米 must survive.
            page.meta["title"] = html.escape(spec.title, quote=False)
            page.meta.setdefault("template", spec.template)
        elif page.file.src_uri == HOME:
            page.meta.setdefault("template", "gongkai/home.html")
        return markdown

    # --- templates: every page sees the catalog, its own data and a link helper -----------------
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        # MkDocs renders with autoescape off, as Material's templates expect; ours print content
        # written by editors, so they are compiled with autoescape on.
        material_autoescape = env.autoescape
        env.autoescape = lambda name: (name or "").startswith("gongkai/") or (
            material_autoescape(name) if callable(material_autoescape) else material_autoescape)
        env.globals["catalog"] = self.catalog
        env.globals["LABELS"] = LABELS
        env.globals["site_identity"] = footer_identity(self.config.identity)
        env.globals["category_chart"] = lambda counts: Markup(category_chart(counts))
        env.globals["topic_listing"] = lambda topic: topic_listing(self.catalog, topic)  # 公开目录
        env.filters["cn_date"] = format_date
        history = config.plugins.get("gongkai/history")  # git's dates, when that plugin runs
        self.dates = PageDates(self.catalog, getattr(history, "file_date", None))
        env.filters["book"] = book_title
        self.files = files
        return env

    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        spec = self.pages.get(page.file.src_uri)
        context["gk"] = spec.data if spec is not None else {}
        if page.file.src_uri == SITEMAP_PAGE:  # every page has its title now: map them all
            context["gk"] = self._sitemap(config)
        context["href"] = self._linker(page)
        context["page_date"] = self._page_date(page, spec)
        return context

    def _sitemap(self, config: MkDocsConfig) -> dict:
        """The 网站地图 from the navigation as built (ours, or the one mkdocs.yml gives), the planned
        list pages and every other page of the site that is not a record's: free pages of content/,
        other plugins' pages (清单动态调整)."""
        others = [(f.src_uri, f.page.title) for f in self.files.documentation_pages()
                  if f.src_uri not in self.pages and f.src_uri != HOME and f.page is not None and f.page.title]
        return sitemap_data(self.catalog, config.nav or [], list(self.pages.values()), others)

    def _page_date(self, page: Page, spec: SitePage | None) -> PageDate | None:
        """最后更新 of any page (model.assembly.dates): its record's, its list's, its own file's."""
        uri = page.file.src_uri
        if spec is not None:
            record = spec.data.get("record")
            if isinstance(record, Record):
                return self.dates.record(record)
            return self.dates.listing(spec.data if spec.dated is None else spec.dated)
        if uri == HOME:  # it shows the newest documents and notices of the whole site
            own, site = self.dates.free_page(uri), self.dates.site()
            return own if site is None or (own is not None and own.date >= site.date) else site
        if page.file.generated_by is None and self.catalog.publishes(uri):  # a free page of content/
            return self.dates.free_page(uri)
        # Another plugin's page (清单动态调整 under powers/): as new as its section's list, or the site.
        section = self.pages.get(uri.split("/", 1)[0] + "/index.md") if "/" in uri else None
        return self.dates.listing(section.data) if section is not None else self.dates.site()

    def _linker(self, page: Page) -> Callable[[Record | str], str]:
        """href(target): a relative link from this page to a record or a site path."""
        files = self.files

        def href(target: Record | str) -> str:
            path = target.page if isinstance(target, Record) else str(target)
            file = files.get_file_from_path(path)
            url = file.url if file is not None else path
            return get_relative_url(url, page.url) if page.url is not None else url

        return href

    # --- output: swap the finished site in, or leave the previous one untouched -----------------
    # Last of all plugins: the others (search, export) still write into the staging directory in
    # their on_post_build, and the site is swapped in only once everything is there.
    # The egress gate judges the finished outputs first: nothing it rejects is swapped in.
    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        shown_as = Path(self.final_site_dir or config.site_dir).name
        started = time.perf_counter()
        leaks = inspect_site(self.catalog, self.files, Path(config.site_dir), shown_as)
        # Read by bench/gate.py: the gate's share of the build.
        log.info("egress gate: outputs judged in %.2f s", time.perf_counter() - started)
        if leaks:
            raise PluginError("Gongkai: the egress gate found {} value(s) that readers would receive; {}.\n{}".format(
                len(leaks), site_state(config), "\n".join(p.format() for p in sort_problems(leaks))))
        # Not for `mkdocs serve`: its server sends no .gz, and the editor waits for each rebuild.
        if self.config.precompress and self.command != "serve":
            log.info("precompressed: %d files", precompress(Path(config.site_dir)))
        if not self.final_site_dir:
            return
        replace_directory(Path(config.site_dir), Path(self.final_site_dir), locked=True)  # site_lock held
        config.site_dir = self.final_site_dir
        self._release_site()

    # Last of all plugins too: the others (search stops its index process) clean up first.
    @event_priority(-100)
    def on_build_error(self, error: Exception) -> None:
        if self.final_site_dir:
            staging = self.final_site_dir.rstrip("/\\") + ".building"
            shutil.rmtree(staging, ignore_errors=True)
        self._release_site()
        logging.getLogger("mkdocs.commands.build").removeFilter(_said_once)
        if isinstance(error, OSError):
            # MkDocs shows a traceback for an OSError; a full disk or a read-only folder is no bug.
            path = error.filename2 or error.filename  # copying: filename2 is the file written
            state = output_state(Path(self.final_site_dir)) if self.final_site_dir else "site/ may be incomplete"
            log.error(f"Gongkai: the build failed: {error.strerror or error}" + (f" ({path})" if path else "")
                      + f"; {state}")
            raise Abort("Aborted with a BuildError!") from None


class _SaidOnce(logging.Filter):
    """MkDocs logs "Error building page 'x': [Errno 28] …" before on_build_error, which says it
    again in one line with what became of site/: its own line is held back."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not re.match(r"Error building page '.*': \[Errno \d+\]", record.getMessage())


_said_once = _SaidOnce()


def site_state(config: MkDocsConfig) -> str:
    """What became of the site when this build fails now (for other plugins' messages)."""
    plugin = config.plugins.get("gongkai/catalog")
    if plugin is None or not plugin.final_site_dir:
        return f"{Path(config.site_dir).name}/ may be incomplete (built in place: gongkai/catalog atomic is off)"
    return output_state(Path(plugin.final_site_dir))


def output_state(site: Path) -> str:
    """What a failed build says of site/: only what is true (there may be none yet)."""
    return f"{site.name}/ was left as it was" if site.is_dir() else f"no {site.name}/ was written"
