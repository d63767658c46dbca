"""MkDocs plugin `gongkai/search`: the archive index and the browser index, from the Catalog."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files

from ..catalog.plugin import catalog_of, site_state
from ..gate.inspect import inspect_search_documents
from ..model.primitives.problems import sort_problems
from .config import SearchConfig
from ..model.schema.kinds import url_of
from .documents import SearchDoc, search_documents

if TYPE_CHECKING:  # whoosh is imported only by a build that writes the archive index
    from .index import IndexBuild

log = logging.getLogger("mkdocs.plugins.gongkai.search")


class SearchPlugin(BasePlugin[SearchConfig]):
    # A document's directory URL → the URL MkDocs gives its page in this build (they differ
    # without use_directory_urls, as in the offline bundle).
    page_urls: dict[str, str]
    docs: list[SearchDoc] | None  # this build's search documents; None when disabled
    # The archive index being written by another process; None when disabled, offline or current.
    index_build: IndexBuild | None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # Search documents carry directory URLs; a build without them (the offline bundle) links
        # each result to the page MkDocs actually wrote.
        self.page_urls = {url_of(f.src_uri): f.url for f in files if f.src_uri.endswith(".md")}
        self.docs, self.index_build = None, None
        if self.config.enabled:
            catalog = catalog_of(config, "gongkai/search")
            self.docs = search_documents(catalog)
            # Judged before any index is written from them (the archive index is swapped in by
            # its own writer, ahead of the site).
            started = time.perf_counter()
            leaks = inspect_search_documents(catalog, self.docs)
            log.info("egress gate: search records judged in %.2f s", time.perf_counter() - started)
            if leaks:
                raise PluginError("Gongkai: the egress gate found {} value(s) in the search records; "
                                  "site/ and the search index were left as they were.\n{}".format(
                                      len(leaks), "\n".join(p.format() for p in sort_problems(leaks))))
            if not self.config.offline:  # a bundle has no server to ask the archive engine
                from .index import IndexBuild

                # Written by another process while the pages render; swapped in at the end.
                index_dir = Path(config.config_file_path).parent / self.config.index_dir
                self.index_build = IndexBuild(index_dir, self.docs, catalog.synonyms)
        return files

    def _write_outputs(self, config: MkDocsConfig) -> None:
        """The browser index into the staging site, and the archive index finished (not yet in
        use): both before gongkai/catalog judges the outputs and swaps the site in."""
        if not self.config.enabled:
            return
        catalog = catalog_of(config, "gongkai/search")
        if self.index_build is not None:
            from .index import IndexWriteError

            try:
                rebuilt = self.index_build.wait()
            except IndexWriteError as exc:
                raise PluginError(f"Gongkai: cannot write the archive search index {self.index_build.index_dir} "
                                  f"({exc}); {site_state(config)}, and the index too") from None
            log.info("archive search index %s: %s", "rebuilt" if rebuilt else "unchanged", self.index_build.index_dir)
        if self.config.browser:
            from . import browser

            links = None if config.use_directory_urls else self.page_urls
            browser.build_browser_index(Path(config.site_dir), self.docs, catalog.synonyms,
                                        scripts=self.config.offline, links=links)
        if self.config.bulk and not self.config.offline:
            from .bulk import bulk_files

            for rel, data in bulk_files(self.docs, config.site_name, config.site_url).items():
                path = Path(config.site_dir) / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)

    # After gongkai/catalog's gate and swap (-100): an index is published with its site, never
    # from a build the gate stopped (that build ends in on_build_error instead).
    @event_priority(-110)
    def _publish_index(self, config: MkDocsConfig) -> None:
        if self.config.enabled and self.index_build is not None:
            from .index import IndexWriteError

            try:
                self.index_build.publish()
            except IndexWriteError as exc:
                raise PluginError(f"Gongkai: the site was published, but the archive search index "
                                  f"{self.index_build.index_dir} could not be swapped in ({exc}); it keeps "
                                  "its previous version until the next build") from None

    on_post_build = CombinedEvent(_write_outputs, _publish_index)

    def on_build_error(self, error: Exception) -> None:
        if getattr(self, "index_build", None) is not None:
            self.index_build.cancel()
