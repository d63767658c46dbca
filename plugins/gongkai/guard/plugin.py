"""MkDocs plugin `gongkai/guard`: the author's raw HTML is sanitised, and what went is reported."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import BasePlugin

from ..catalog.plugin import catalog_of
from .config import GuardConfig
from .extension import GuardExtension

log = logging.getLogger("mkdocs.plugins.gongkai.guard")


class GuardPlugin(BasePlugin[GuardConfig]):
    extension: GuardExtension

    def on_config(self, config):
        if not self.config.enabled:
            return config
        self.extension = GuardExtension()
        config.markdown_extensions.append(self.extension)
        self.mkdocs_config = config
        return config

    def on_files(self, files, config):
        """Where each page's Markdown starts in its source file, for located warnings."""
        if not self.config.enabled:
            return files
        content = Path(config.docs_dir)
        # Sanitising needs no Catalog; with one, record pages point into their content files.
        records = catalog_of(config, "gongkai/guard").records() if "gongkai/catalog" in config.plugins else []
        self.origins: dict[str, tuple[str, int]] = {
            record.page: (record.source.path, record.source.body_line - 1) for record in records}
        for file in files.documentation_pages():
            if file.src_uri not in self.origins and file.abs_src_path:
                self.origins[file.src_uri] = (f"{content.name}/{file.src_uri}", _front_matter_lines(file.abs_src_path))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if self.config.enabled:
            self.extension.reset()
        return markdown

    def on_page_content(self, html, page, config, files):
        if not self.config.enabled:
            return html
        path, offset = self.origins.get(page.file.src_uri, (page.file.src_uri, 0))
        for problem in self.extension.reset().problems(path, offset):
            log.warning(problem.format())
        return html


def _front_matter_lines(path: str) -> int:
    """Lines MkDocs strips from a page's top as its YAML meta."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeError):
        return 0
    if not lines or lines[0].rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index + 1
    return 0
