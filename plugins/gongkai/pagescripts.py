"""The site's Content-Security-Policy, and its own inline scripts, recorded at build time.

The policy is declared here once: `gongkai serve` sends it as a header, and every page built
carries it in a <meta> (gongkai/guard), so a page keeps it on any static host.

The server must not derive the scripts a page may run from the file it serves: an HTML attachment
(or anything else dropped into site/) would then have its own scripts allowed. The build knows
which files are pages rendered from the theme's templates and what inline scripts those templates
put into them; it writes both into RECORD at the root of the site. The server allows exactly those
hashes, and only on those pages; every other file gets no script allowance at all.

The scripts of a page's content (its Markdown turned to HTML) are left out of the hashes even
though gongkai/guard already strips them: what an editor wrote is never what the templates wrote.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

# Everything from this host; images may be data: URIs (Material's icons are CSS masks of them);
# styles may be inline (the author's style attributes, already stripped of URLs by gongkai/guard).
POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
          "base-uri 'self'; form-action 'self'{frames}")
FRAMES = "; frame-ancestors 'self'"  # only in a header: browsers ignore it in a <meta>
# What is not a page of the site: no script, no plugin, no form, a unique origin (sandbox).
NOT_A_PAGE = ("default-src 'none'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'self'; sandbox")
# Files a browser would render as a document that can run script: sent as downloads when they
# are not pages of the site.
ACTIVE = (".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt")


def content_security_policy(script_hashes=(), header: bool = True) -> str:
    """The policy of a page of the site: its templates' inline scripts allowed by their hashes."""
    return POLICY.format(scripts="".join(f" {h}" for h in sorted(script_hashes)), frames=FRAMES if header else "")


_HEAD = re.compile(r"<head(?:\s[^>]*)?>\s*(?:<meta charset=[^>]*>)?", re.I)


def with_policy_meta(html: str, script_hashes) -> str:
    """The page with its policy at the top of its <head> (after its charset): before any script,
    which a policy met later would not cover."""
    match = _HEAD.search(html)
    if match is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(script_hashes, header=False)}">'
    return html[: match.end()] + meta + html[match.end():]


RECORD = ".gongkai-pages.json"  # at the site's root; left out of the offline bundle
FORMAT = 1
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_NOT_JAVASCRIPT = re.compile(r"""\b(src\s*=|type\s*=\s*["']?application/(?:ld\+)?json)""", re.I)


def inline_script_hashes(html: str) -> set[str]:
    """The CSP source expressions ('sha256-…') of the inline JavaScript in html."""
    out = set()
    for m in _INLINE_SCRIPT.finditer(html):
        if not _NOT_JAVASCRIPT.search(m.group("attrs")):
            digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
            out.add("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return out


def write_record(site_dir: Path, pages: set[str], hashes: set[str]) -> None:
    """pages: site-relative paths of the HTML files rendered from templates; hashes: their scripts'."""
    record = {"format": FORMAT, "pages": sorted(pages), "script_hashes": sorted(hashes)}
    (Path(site_dir) / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=0), encoding="utf-8")


def read_record(site_dir: Path) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """(pages, script hashes) as the build recorded them; None when there is no sound record."""
    try:
        record = json.loads((Path(site_dir) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(record, dict) and record.get("format") == FORMAT
            and isinstance(record.get("pages"), list) and isinstance(record.get("script_hashes"), list)
            and all(isinstance(h, str) and re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", h)
                    for h in record["script_hashes"])):
        return None
    return frozenset(p for p in record["pages"] if isinstance(p, str)), tuple(record["script_hashes"])
