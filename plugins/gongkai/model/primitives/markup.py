"""Markup as a reader receives it: the text a page shows, not the text an editor typed.

A reader of a page sees its visible text: no HTML or Markdown comments, no script or style text,
character references decoded, no invisible (format) characters, inline markup joined into the
words around it (`139<b></b>0786` reads 1390786), blocks apart. The search documents are made
from this text, and the egress gate (gongkai/gate) judges every published page by it, so that
nothing a page drops reaches an index and no markup trick gets a number past the gate.

Written with regular expressions rather than an HTML parser: the gate reads every page of a
county's site on every build, and a parser costs several times more for the same answer here
(entities and tags only need to be removed or decoded, never trusted or rendered).
"""

from __future__ import annotations

import html
import re

from .text import without_format_characters

# Dropped with everything inside: what a browser never shows as text.
# (An unclosed comment or script hides the rest of the page, in a browser too.)
_HIDDEN = re.compile(r"<!--.*?(?:-->|$)|<(script|style|template)\b[^>]*>.*?(?:</\1\s*>|$)", re.S | re.I)
# Markdown comments: a link reference to '#' that renders as nothing ([//]: # (note), [comment]: <> …).
_MARKDOWN_COMMENT = re.compile(r"^ {0,3}\[[^\]\n]*\]:\s*(?:#|<>)(?:[ \t]+.*)?$", re.M)
_TAG_BODY = r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
# Tags inside a line of text: a reader reads across them (a number split by <b> is one number).
# (tt, strike, acronym, big, rtc and img too: the sanitiser lets them through, and a browser keeps
# the text on either side of them on one line.)
_INLINE_TAG = re.compile(r"</?(?:a|abbr|acronym|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|img|ins|kbd|mark|q|"
                         r"rp|rt|rtc|ruby|s|samp|small|span|strike|strong|sub|sup|time|tt|u|var|wbr)(?=[\s/>])"
                         + _TAG_BODY, re.I)
# Every other tag (and doctype, processing instructions) ends a block: a line break.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*" + _TAG_BODY + r"|<![^>]*>|<\?[^>]*>")
# Attributes whose values a reader sees: image descriptions, tooltips, labels, placeholders.
# (As the build writes them, name=value with no spaces and lower case: Markdown, nh3 and the
# templates all do; a name ending in one, data-title="…", is read too. Looser patterns cost every
# page several times as much.)
_SHOWN_ATTRIBUTES = re.compile(r"""(alt|title|aria-label|placeholder|summary)=(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")


def without_hidden(markup: str) -> str:
    """HTML without what a browser never shows as text: comments, scripts, styles, templates."""
    return _HIDDEN.sub("", markup) if "<" in markup else markup


def visible_text(markup: str, hidden_removed: bool = False) -> str:
    """The text of HTML (or of Markdown with raw HTML) as a reader receives it: comments, script
    and style text and Markdown comments gone, tags removed (a block tag a line break, an inline
    tag nothing), character references decoded, format characters removed."""
    if "<" in markup:
        if not hidden_removed:
            markup = _HIDDEN.sub("", markup)
        markup = _TAG.sub("\n", _INLINE_TAG.sub("", markup))
    if "]:" in markup:
        markup = _MARKDOWN_COMMENT.sub("", markup)
    if "&" in markup:
        markup = html.unescape(markup)
    return without_format_characters(markup)


def shown_attributes(markup: str, hidden_removed: bool = False) -> list[str]:
    """The attribute values of HTML that a reader sees (alt, title, aria-label …), decoded, with
    the text of hidden elements (comments, scripts) left out."""
    if "=" not in markup:
        return []
    values = []
    for match in _SHOWN_ATTRIBUTES.finditer(markup if hidden_removed else _HIDDEN.sub("", markup)):
        value = match.group(2) if match.group(2) is not None else (match.group(3) or match.group(4) or "")
        if value:
            values.append(without_format_characters(html.unescape(value)))
    return values
