"""Safe HTML: what an editor's raw HTML may keep on a public page (nh3), and what was removed.

Kept: text markup, tables, details/summary, sup/sub, links, images from the site itself. Removed:
script, style, iframe, object, embed, form controls and every other tag not listed (their text
stays, except script/style whose content goes too), on* handlers, style attributes that could
load or run something however spelled (url(), image-set() …, CSS escapes, comments),
javascript:/data:/vbscript: URLs, images from other sites (the browser would fetch them:
DESIGN principle 4), comments.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import nh3
import tinycss2

TAGS = (set(nh3.ALLOWED_TAGS) - {"map", "area"}) | {"tfoot", "caption", "figure", "figcaption"}
ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
ATTRIBUTES["*"] = {"class", "id", "title", "lang", "dir", "style", "role"}
ATTRIBUTES["a"] = ATTRIBUTES.get("a", set()) | {"title"}
ATTRIBUTES["details"] = {"open"}
ATTRIBUTES["img"] = ATTRIBUTES.get("img", set()) | {"title", "loading"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DROP_WITH_CONTENT = {"script", "style"}
# What in a style attribute makes the browser load something (or run script, in old browsers),
# matched in the style as the browser reads it (see style_loads): url() and every function that
# takes an image address (image-set, image, cross-fade, src, element), IE's expression() and
# behavior, Firefox's -moz-binding, @import, script addresses.
STYLE_LOADS = re.compile(r"(?:url|src|image|image-set|cross-fade|element|expression)\(|@import|behavior"
                         r"|-moz-binding|javascript:|vbscript:")
# An address with a scheme (group 1: http, data, javascript …) or protocol-relative (//host):
# one that may point off the site. A relative address, the site's own, does not match.
ABSOLUTE_URL = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):|^\s*//")


def style_loads(style: str) -> bool:
    """Whether a style attribute's value (HTML entities already decoded) may load or run something.

    A regex over the raw text misses what CSS decodes: escapes (u\\rl(, \\75 rl(, \\000075rl() and
    comments. tinycss2 tokenises as CSS Syntax says (escapes decoded, comments dropped, url(…)
    one token); the tokens' decoded text is joined with no whitespace, backslashes or comments
    between them, lower-cased, and searched. Joining is stricter than the browser (u/**/rl( and
    url (x) are no url to it): a style that reads as loading in any way goes.
    """
    text = "".join(_decoded(tinycss2.parse_component_value_list(style, skip_comments=True))).lower()
    return STYLE_LOADS.search(text) is not None


def _decoded(tokens) -> list[str]:
    parts: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "url":
            parts.append(f"url({token.value})")
        elif kind == "function":
            parts += [token.name, "(", *_decoded(token.arguments), ")"]
        elif kind in ("() block", "[] block", "{} block"):
            parts += [kind[0], *_decoded(token.content), kind[1]]
        elif kind == "at-keyword":
            parts.append("@" + token.value)
        elif kind == "hash":
            parts.append("#" + token.value)
        elif kind in ("ident", "string"):
            parts.append(token.value)
        elif kind == "literal" and token.value != "\\":
            parts.append(token.value)
        elif kind == "error" and token.kind == "bad-url":
            parts.append("url(")  # url(a b): no load in a browser today, and no reason to keep it
        elif kind in ("number", "percentage", "dimension"):
            parts.append(token.serialize())
    return parts


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style" and style_loads(value):
        return None
    if tag == "img" and attribute == "src" and ABSOLUTE_URL.match(value):
        return None  # only images of the site itself: nothing is fetched from elsewhere
    return value


def strip_unsafe_html(html: str) -> str:
    """The fragment with everything not allowed above taken out (nh3)."""
    return nh3.clean(html, tags=TAGS, clean_content_tags=DROP_WITH_CONTENT, attributes=ATTRIBUTES,
                     attribute_filter=_attribute_filter, url_schemes=URL_SCHEMES, strip_comments=True,
                     link_rel=None)


class _Inventory(HTMLParser):
    """Tags and attributes of a fragment, to tell what the sanitiser took out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        self.items[f"<{tag}>"] += 1
        for name, value in attrs:
            self.items[f"{name}=\"{value or ''}\" on <{tag}>"] += 1

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.items["<!-- comment -->"] += 1


def _inventory(html: str) -> Counter:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items


def removed(before: str, after: str) -> list[str]:
    """What sanitising took out, e.g. ['<script>', 'onclick="…" on <img>'], in first-seen order."""
    gone = _inventory(before) - _inventory(after)
    return [_truncated(item) for item in gone]


def _truncated(item: str) -> str:
    """An item of a removal report cut to 80 characters: an attribute's value may be long."""
    return item if len(item) <= 80 else item[:77] + "…"


def sanitize(html: str) -> tuple[str, list[str]]:
    """The fragment made safe, and what was removed (empty when it was already safe)."""
    cleaned = strip_unsafe_html(html)
    return cleaned, (removed(html, cleaned) if cleaned != html else [])


_TAG = re.compile(r"^<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def sanitize_tag(tag_html: str) -> tuple[str, list[str]]:
    """One inline tag on its own (Markdown stores <sup> and </sup> apart): kept, cleaned or dropped."""
    m = _TAG.match(tag_html)
    if m is None:  # a comment, a processing instruction, a declaration
        return "", [_truncated(tag_html.strip())] if tag_html.strip() else []
    closing, name = m.group(1), m.group(2).lower()
    if closing:
        return (tag_html, []) if name in TAGS else ("", [f"<{name}>"])
    cleaned, gone = sanitize(tag_html)
    closer = f"</{name}>"
    if cleaned.endswith(closer):  # nh3 closes what it opens; the closing tag comes on its own
        cleaned = cleaned[: -len(closer)]
    return cleaned, gone


def safe_url(url: str) -> bool:
    """Whether a link or image address of Markdown ([x](url)) may stay."""
    m = ABSOLUTE_URL.match(url)
    return m is None or (m.group(1) or "").lower() in URL_SCHEMES or url.lstrip().startswith("//")
