"""MkDocs plugin `gongkai/guard`: the author's raw HTML is sanitised, and what went is reported."""

from __future__ import annotations

import html
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..catalog.plugin import catalog_of
from ..pagescripts import inline_script_hashes, with_policy_meta, write_record
from ..model.primitives.problems import Problem, Severity
from .config import GuardConfig
from .extension import GuardExtension

log = logging.getLogger("mkdocs.plugins.gongkai.guard")


class GuardPlugin(BasePlugin[GuardConfig]):
    # The Markdown extension added to this build's config: it sanitises while each page converts
    # and keeps a report of what it removed, read (and reset) once the page is done.
    extension: GuardExtension
    # Page src_uri → (the file to name in warnings, lines above the page's Markdown in it), so a
    # warning points at the line of the content file, not of the generated page.
    origins: dict[str, tuple[str, int]]

    # For `gongkai serve`'s Content-Security-Policy (gongkai.pagescripts): the HTML files this
    # build rendered from templates, and the hashes of the inline scripts the templates put in them.
    # Recorded whether or not sanitising is enabled: it is about what the templates wrote.
    pages_rendered: set[str]
    template_scripts: set[str]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.pages_rendered, self.template_scripts = set(), set()
        if not self.config.enabled:
            return config
        self.extension = GuardExtension()
        config.markdown_extensions.append(self.extension)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Where each page's Markdown starts in its source file, for located warnings."""
        if not self.config.enabled:
            return files
        content = Path(config.docs_dir)
        # Sanitising needs no Catalog; with one, record pages point into their content files.
        records = catalog_of(config, "gongkai/guard").records() if "gongkai/catalog" in config.plugins else []
        self.origins = {
            record.page: (record.source.path, record.source.body_line - 1) for record in records}
        for file in files.documentation_pages():
            if file.src_uri not in self.origins and file.abs_src_path:
                self.origins[file.src_uri] = (f"{content.name}/{file.src_uri}", _front_matter_lines(file.abs_src_path))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.config.enabled:
            self.extension.reset()
            self._plain_meta(page)
        return markdown

    def _plain_meta(self, page: Page) -> None:
        """MkDocs and Material print these meta values into the page as they are (the <title>,
        the header, the <h1>, <meta name="description">): they are made plain text."""
        for key in PRINTED_META:
            value = page.meta.get(key)
            if not isinstance(value, str) or not _MARKUP.search(value):
                continue
            text, tags = strip_markup(value)
            page.meta[key] = text
            if tags:
                path = self.origins.get(page.file.src_uri, (page.file.src_uri, 0))[0]
                line, column = _meta_position(page.file.abs_src_path, key)
                log.warning(Problem(path, line, column, key, "markup removed: " + ", ".join(tags),
                                    f"write the {key} as plain text", Severity.WARNING).format())

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html
        path, offset = self.origins.get(page.file.src_uri, (page.file.src_uri, 0))
        for problem in self.extension.reset().problems(path, offset):
            log.warning(problem.format())
        return html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # The content's own HTML is taken out first: only what the templates wrote is allowed.
        own = inline_script_hashes(output.replace(page.content or "", "") if page.content else output)
        self.template_scripts |= own
        self.pages_rendered.add(page.file.dest_uri)
        return with_policy_meta(output, own) if self.config.policy_meta else output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        if template_name.endswith(".html"):  # 404.html: a page of the theme's, written at the root
            own = inline_script_hashes(output_content)
            self.template_scripts |= own
            self.pages_rendered.add(template_name)
            if self.config.policy_meta:
                return with_policy_meta(output_content, own)
        return output_content

    def on_post_build(self, config: MkDocsConfig) -> None:
        write_record(Path(config.site_dir), self.pages_rendered, self.template_scripts)


# Meta values MkDocs and Material print without escaping.
PRINTED_META = ("title", "description", "subtitle")
_MARKUP = re.compile(r'[<>"]')


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(f"<{tag}>")
        self._skipping += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skipping -= tag in ("script", "style") and self._skipping > 0

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)

    def handle_comment(self, data):
        self.tags.append("<!-- comment -->")


def strip_markup(value: str) -> tuple[str, list[str]]:
    """The text of a meta value, tags dropped and escaped for printing; and the tags dropped."""
    parser = _Text()
    parser.feed(value)
    parser.close()
    text = " ".join("".join(parser.parts).split())
    return html.escape(text, quote=True), parser.tags


def _meta_position(path: str | None, key: str) -> tuple[int, int]:
    """Line and column of `key:` in a page's front matter (1, 1 when it is not there)."""
    if not path:
        return 1, 1
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeError):
        return 1, 1
    for number, line in enumerate(lines[1:_front_matter_lines(path)], 2):
        if re.match(rf"{key}\s*:", line):
            return number, len(key) + 2 + len(line[len(key) + 1:]) - len(line[len(key) + 1:].lstrip())
    return 1, 1


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
