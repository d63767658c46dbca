"""`gongkai serve`: the built site and GET /api/search over HTTP, for a hall kiosk or an intranet.

The standard library's threading HTTP server is enough for this: one process, loopback by
default, static files plus one JSON endpoint; every bad parameter is a 400 with a JSON message.

It serves what is in site/ and nothing else: GET and HEAD only (405 otherwise; HEAD of the search too), no path that
climbs out ('..', encoded or not, encoded slashes, backslashes, absolute-form targets: 400), no
symlink that resolves outside site/ (404, the index.html served for a directory included), no
directory listings. Every response says nosniff and carries a Content-Security-Policy. A page of
the site (an HTML file the build rendered from the templates, as gongkai.pagescripts recorded it)
may run exactly the inline scripts the templates wrote (Material's, by their sha256), so a script
injected into content would not run; any other file, an HTML attachment under units/ included,
gets a policy with no scripts at all (and a sandbox), and an HTML or SVG one is sent as a download
(Content-Disposition: attachment). The hashes are never taken from the file served.

Connections: a bounded pool of threads, idle connections closed (search.connections). Without a
usable archive index the site is still served and GET /api/search answers 503.
"""

from __future__ import annotations

import http.server
import json
import logging
import os
import re
import sys
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..pagescripts import ACTIVE, NOT_A_PAGE, content_security_policy, read_record
from .api import PATH, answer
from .archive import Archive
from .current import CurrentArchive
from .connections import IDLE_TIMEOUT, WORKERS, BoundedHTTPServer

METHODS = ("GET", "HEAD")
class Handler(http.server.SimpleHTTPRequestHandler):
    archive: CurrentArchive | None  # reopened when a build swaps a new index in
    unavailable = ""  # why there is no archive: GET /api/search answers 503 with it
    pages: frozenset[str] = frozenset()  # site-relative paths of the site's own pages
    script_hashes: tuple[str, ...] = ()
    quiet = False
    server_version = "gongkai"
    sys_version = ""  # no Python version in the Server header

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.command not in METHODS:
            self.send_response(405)
            self.send_header("Allow", ", ".join(METHODS))
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            return False
        return True

    def end_headers(self):
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("Content-Security-Policy", getattr(self, "_policy", None) or content_security_policy())
        if getattr(self, "_download", None):
            self.send_header("Content-Disposition", self._download)
        super().end_headers()

    def do_GET(self):  # noqa: N802 - the base class's name
        if urlsplit(self.path).path.rstrip("/") == PATH:
            return self._search()
        return super().do_GET()

    def do_HEAD(self):  # noqa: N802 - the base class's name
        # HEAD answers what GET would, without the body (the search endpoint too).
        if urlsplit(self.path).path.rstrip("/") == PATH:
            return self._search()
        return super().do_HEAD()

    def send_head(self):
        """Refuse what could reach outside site/, then serve the file as the base class does."""
        self._policy, self._download = None, None
        # The request line as sent: the base class already folds a leading '//' into '/'.
        words = self.requestline.split()
        target = (words[1] if len(words) >= 2 else self.path).split("?", 1)[0].split("#", 1)[0]
        decoded = unquote(target, errors="strict") if _decodes(target) else None
        if (not target.startswith("/") or target.startswith("//") or decoded is None
                or re.search(r"%(2f|5c|00)", target, re.I)
                or any(segment in (".", "..") for segment in decoded.split("/"))
                or "\\" in decoded or "\x00" in decoded):
            self.send_error(400, "Bad request path")
            return None
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            index = os.path.join(path, "index.html")
            if not os.path.isfile(index):
                self.send_error(404, "File not found")  # no directory listings
                return None
            path = index
        # The file actually served is checked, not only the directory asked for: an index.html
        # may itself be a symlink out of the site.
        root = os.path.realpath(self.directory)
        real = os.path.realpath(path)
        if real != root and not real.startswith(root + os.sep):
            self.send_error(404, "File not found")
            return None
        if os.path.isfile(path):
            relative = os.path.relpath(path, self.directory).replace(os.sep, "/")
            if relative in self.pages:
                self._policy = content_security_policy(self.script_hashes)
            else:
                self._policy = NOT_A_PAGE
                if path.lower().endswith(ACTIVE):
                    self._download = "attachment; filename*=UTF-8''" + quote(os.path.basename(path))
        return super().send_head()

    def _json(self, status: int, data: dict) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _search(self) -> None:
        try:
            self._answer()
        except Exception:  # a bug, never bad input: the client still gets JSON, the log the trace
            logging.getLogger("gongkai.serve").exception("GET %s", self.path)
            self._json(500, {"error": "internal error"})

    def _answer(self) -> None:
        archive, unavailable = self.archive.get() if self.archive is not None else (None, self.unavailable)
        status, data = answer(archive, urlsplit(self.path).query, unavailable)
        self._json(status, data)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def _decodes(path: str) -> bool:
    try:
        unquote(path, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def make_server(site_dir: Path, archive: Archive | CurrentArchive | None, host: str = "127.0.0.1", port: int = 8000,
                quiet: bool = False, unavailable: str = "", idle_timeout: float = IDLE_TIMEOUT,
                workers: int = WORKERS) -> BoundedHTTPServer:
    """An HTTP server for site_dir and /api/search (port 0: any free port). archive None: the
    search answers 503 saying `unavailable`. A site without the build's record of its pages
    (gongkai.pagescripts: built by an older Gongkai) is served with no inline script allowed."""
    pages, hashes = read_record(site_dir) or (frozenset(), ())
    if isinstance(archive, Archive):
        archive = CurrentArchive(archive.index_dir, archive)
    handler = partial(type("BoundHandler", (Handler,), {
        "archive": archive, "unavailable": unavailable, "quiet": quiet, "pages": pages, "script_hashes": hashes}),
        directory=str(site_dir))
    return BoundedHTTPServer((host, port), handler, idle_timeout=idle_timeout, workers=workers)
