"""A Markdown extension that sanitises the author's raw HTML, and only that.

Python-Markdown keeps raw HTML out of its tree in `md.htmlStash`: block HTML is stashed by the
`html_block` preprocessor (md_in_html's too), inline tags one by one by the `html` inline pattern.
Our own output goes through the same stash (superfences' fences, the ```procedure flowchart SVG),
so the extension does not clean the whole stash: it notes the stash length just before
`html_block` runs and cleans what `html_block` added; inline tags are cleaned as they are matched.
Every element of the tree is checked last (after attr_list and toc): Markdown links and images
([x](javascript:…), ![x](http://elsewhere/…)) and the attributes attr_list writes ({: onclick=…}).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from markdown import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..model.primitives.problems import Problem, Severity
from .sanitizer import ABSOLUTE_URL, TAGS, safe_url, sanitize, sanitize_tag, style_loads

# What `gongkai check` converts bodies with: the sample site's extensions that change what
# counts as raw HTML (md_in_html) or keep it out of the stash's reach (fences).
CHECK_EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.superfences"]
HINT = ("only safe HTML is published: no scripts, frames, event handlers, javascript:/data: links "
        "or images from other sites")


@dataclass
class Removal:
    line: int  # in the page's Markdown, from 1
    column: int
    what: list[str]


@dataclass
class Report:
    """What was removed from the page being converted; read by the plugin afterwards."""

    source: str = ""
    removals: list[Removal] = field(default_factory=list)
    _cursor: int = 0

    def at(self, text: str) -> tuple[int, int]:
        """Line and column of text in the source, searching on from the last one found."""
        needle = text.strip().split("\n", 1)[0][:200]
        found = self.source.find(needle, self._cursor) if needle else -1
        if found < 0:
            found = self.source.find(needle) if needle else -1
        if found < 0:
            return 1, 1
        self._cursor = found + 1
        before = self.source[:found]
        return before.count("\n") + 1, found - (before.rfind("\n") + 1) + 1

    def add(self, text: str, what: list[str]) -> None:
        if what:
            self.removals.append(Removal(*self.at(text), what))

    def problems(self, path: str, line_offset: int) -> list[Problem]:
        """Each removal as a warning located in the content file."""
        return [Problem(path, r.line + line_offset, r.column, "", "raw HTML: removed " + ", ".join(r.what),
                        HINT, Severity.WARNING) for r in self.removals]


class _Mark(Preprocessor):
    def __init__(self, md, guard: GuardExtension):
        super().__init__(md)
        self.guard = guard

    def run(self, lines):
        self.guard.report.source = "\n".join(lines)
        self.guard.report._cursor = 0
        self.guard.stash_start = len(self.md.htmlStash.rawHtmlBlocks)
        return lines


class _CleanBlocks(Preprocessor):
    def __init__(self, md, guard: GuardExtension):
        super().__init__(md)
        self.guard = guard

    def run(self, lines):
        stash = self.md.htmlStash.rawHtmlBlocks
        for index in range(self.guard.stash_start, len(stash)):
            entry = stash[index]
            if isinstance(entry, str):
                cleaned, gone = sanitize(entry)
                stash[index] = cleaned
                self.guard.report.add(entry, gone)
            elif isinstance(entry, Element):  # md_in_html: <div markdown> … kept as an element
                self.guard.report.add(f"<{entry.tag}", _clean_element(entry))
        return lines


def _clean_element(root: Element) -> list[str]:
    """Attributes of md_in_html elements go through the same rules as raw HTML."""
    gone: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag not in TAGS:
            gone.append(f"<{element.tag}>")
            element.tag = "div"
        attrs = " ".join(f'{k}="{v}"' for k, v in element.attrib.items() if k != "markdown")
        cleaned, removed = sanitize(f"<{element.tag} {attrs}>")
        if removed:
            gone += removed
            keep = _attributes(cleaned)
            for name in list(element.attrib):
                if name != "markdown" and name not in keep:
                    del element.attrib[name]
    return gone


def _attributes(tag_html: str) -> set[str]:
    from html.parser import HTMLParser

    names: set[str] = set()

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names.update(name for name, _ in attrs)

    P().feed(tag_html)
    return names


class _InlineHtml(HtmlInlineProcessor):
    def __init__(self, pattern, md, guard: GuardExtension):
        super().__init__(pattern, md)
        self.guard = guard

    def handleMatch(self, m, data):  # noqa: N802 - Markdown's name
        raw = m.group(1)
        cleaned, gone = sanitize_tag(raw)
        self.guard.report.add(raw, gone)
        if not cleaned:
            return "", m.start(0), m.end(0)
        return self.md.htmlStash.store(cleaned), m.start(0), m.end(0)


# Attributes whose value is an address the browser follows or fetches.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "cite", "poster", "background", "data",
                  "longdesc", "srcset", "xlink:href", "ping", "manifest", "codebase"}
# Browsers skip these inside a scheme ('java\tscript:' runs), so they are gone before the check.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def plain_url(value: str) -> str:
    """An attribute's address as the browser reads it: entities decoded, blanks and controls gone."""
    return _IGNORED_IN_URL.sub("", html.unescape(value))


class _CheckAttributes(Treeprocessor):
    """Every element Markdown built, its attributes too: attr_list ({: onclick=…}) writes any
    attribute on headings, links and paragraphs, and an address may hide its scheme in entities
    (javascript&#58;…). The rules are raw HTML's: no on*, no style that loads, no unsafe address."""

    def __init__(self, md, guard: GuardExtension):
        super().__init__(md)
        self.guard = guard

    def run(self, root):
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in list(element.attrib.items()):
                reason = self._unsafe(element, name.lower(), value)
                if reason is None:
                    continue
                self.guard.report.add(value or name, [f'{name}="{value[:60]}" on <{element.tag}>'])
                if name.lower() in ("href", "src") and element.tag in ("a", "img"):
                    # MkDocs expects every <a> and <img> to have its address: the link becomes
                    # its text, the image its alt text.
                    if element.tag == "img":
                        element.text = element.get("alt", "")
                    element.tag = "span"
                    element.attrib.clear()
                    break
                del element.attrib[name]

    @staticmethod
    def _unsafe(element: Element, name: str, value: str) -> str | None:
        if name.startswith("on"):
            return "event handler"
        if name == "style" and style_loads(html.unescape(value)):
            return "style that loads"
        if name in URL_ATTRIBUTES:
            url = plain_url(value)
            if element.tag == "img" and name == "src" and ABSOLUTE_URL.match(url):
                return "image from elsewhere"
            if not safe_url(url):
                return "address"
        return None


class GuardExtension(Extension):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.report = Report()
        self.stash_start = 0

    def reset(self) -> Report:
        """A fresh report for the next page; returns the last one."""
        last, self.report = self.report, Report()
        return last

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's name
        md.registerExtension(self)
        md.preprocessors.register(_Mark(md, self), "gk_guard_mark", 20.1)
        md.preprocessors.register(_CleanBlocks(md, self), "gk_guard_blocks", 19.9)
        md.inlinePatterns.register(_InlineHtml(HTML_RE, md, self), "html", 90)
        # After attr_list (8) and toc (5): the attributes they wrote are checked too.
        md.treeprocessors.register(_CheckAttributes(md, self), "gk_guard_attributes", 0)


# Raw HTML, attr_list's {…}, inline links and reference definitions; nothing else sets attributes.
_MAY_HAVE_HTML = re.compile(r"[<{&]|\]\s*[(\[:]")


def check_markdown(markdown: str, path: str, line_offset: int = 0) -> list[Problem]:
    """What the build would remove from this Markdown, for `gongkai check` (no page build)."""
    if not _MAY_HAVE_HTML.search(markdown):
        return []
    import markdown as markdown_lib

    guard = GuardExtension()
    markdown_lib.Markdown(extensions=[*CHECK_EXTENSIONS, guard]).convert(markdown)
    return guard.report.problems(path, line_offset)
