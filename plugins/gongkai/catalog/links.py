"""Links in a record's body resolve from its source file, as the editor wrote them.

A record's page is not where its source is: a document written as units/<u>/documents/<slug>.md
is the page units/<u>/documents/<year>/<slug>/, a power item's page is named by its code. MkDocs
resolves a relative link from the page's own file, so `[附件](附件1.pdf)` in a document would
point one folder too deep. This Markdown tree processor runs just before MkDocs' own ("relpath",
priority 0) and re-roots each relative link and image of a record page from the source's folder
to the page's: MkDocs then finds the file, checks it (a missing one is still its warning) and
makes the URL. It works on the parsed tree, so code blocks and inline code are never touched; a
link to another record's source file (`other.md`) is sent to that record's page.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit, urlunsplit
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from ..model import Catalog
from ..model.primitives.tree import inside


class SourceLinks(Extension):
    """One per build; on_page_markdown tells it which page converts next (pages convert one at a time)."""

    def __init__(self, catalog: Catalog, **kwargs):
        super().__init__(**kwargs)
        # Content-relative source file → the src_uri of its page, for links between records.
        self.pages = {record.source.rel: record.page for record in catalog.records()}
        self.source: str | None = None  # the source of the page converting now (None: not a record)
        self.page: str = ""

    def convert(self, source: str | None, page: str) -> None:
        self.source, self.page = source, page

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's name
        md.registerExtension(self)
        md.treeprocessors.register(_Reroot(md, self), "gk_source_links", 0.5)

    def reroot(self, url: str) -> str:
        """A link as written in the source, relative to the page's file instead."""
        if self.source is None:
            return url
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc or not path or url.startswith(("/", "\\")) or AMP_SUBSTITUTE in url:
            return url  # another site, the site's root, an anchor of this page, an e-mail address
        target = inside(self.source, unquote(path))
        if target is None:
            return url  # out of content/: an error of the model, the build has stopped before this
        target = self.pages.get(target, target)
        page_dir = posixpath.dirname(self.page)
        if posixpath.normpath(posixpath.join(page_dir, unquote(path))) == target:
            return url  # MkDocs finds it as written: leave the editor's text alone
        moved = posixpath.relpath(target, page_dir or ".")
        if path.endswith("/") and not moved.endswith("/"):
            moved += "/"
        # MkDocs unquotes the path to find the file: only what would change its meaning is quoted.
        for char, code in (("%", "%25"), ("#", "%23"), ("?", "%3F"), (" ", "%20")):
            moved = moved.replace(char, code)
        return urlunsplit(("", "", moved, query, anchor))


class _Reroot(Treeprocessor):
    def __init__(self, md: Markdown, links: SourceLinks):
        super().__init__(md)
        self.links = links

    def run(self, root: Element) -> None:
        if self.links.source is None:
            return
        for element in root.iter():
            key = {"a": "href", "img": "src"}.get(element.tag)
            url = element.get(key) if key else None
            if url is not None:
                element.set(key, self.links.reroot(url))
