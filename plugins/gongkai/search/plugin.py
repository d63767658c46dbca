"""MkDocs plugin `gongkai/search`: the archive index and the browser index, from the Catalog."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import BasePlugin

from ..catalog.plugin import catalog_of
from .documents import search_documents, url_of
from .config import SearchConfig

log = logging.getLogger("mkdocs.plugins.gongkai.search")


class SearchPlugin(BasePlugin[SearchConfig]):
    def on_files(self, files, config):
        # Search documents carry directory URLs; a build without them (the offline bundle) links
        # each result to the page MkDocs actually wrote.
        self.page_urls = {url_of(f.src_uri): f.url for f in files if f.src_uri.endswith(".md")}
        self.docs, self.index_build = None, None
        if self.config.enabled:
            catalog = catalog_of(config, "gongkai/search")
            self.docs = search_documents(catalog)
            if not self.config.offline:  # a bundle has no server to ask the archive engine
                from .index import IndexBuild

                # Written by another process while the pages render; swapped in at the end.
                index_dir = Path(config.config_file_path).parent / self.config.index_dir
                self.index_build = IndexBuild(index_dir, self.docs, catalog.synonyms)
        return files

    def on_post_build(self, config):
        """Runs before gongkai/catalog swaps the finished site in (that one runs last)."""
        if not self.config.enabled:
            return
        catalog = catalog_of(config, "gongkai/search")
        if self.index_build is not None:
            rebuilt = self.index_build.wait()
            log.info("archive search index %s: %s", "rebuilt" if rebuilt else "unchanged", self.index_build.index_dir)
        if self.config.browser:
            from . import browser

            links = None if config.use_directory_urls else self.page_urls
            browser.build_browser_index(Path(config.site_dir), self.docs, catalog.synonyms,
                                        scripts=self.config.offline, links=links)

    def on_build_error(self, error):
        if getattr(self, "index_build", None) is not None:
            self.index_build.cancel()
