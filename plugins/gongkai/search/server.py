"""`gongkai serve`: the built site and GET /api/search over HTTP, for a hall kiosk or an intranet.

The standard library's threading HTTP server is enough for this: one process, loopback by
default, static files plus one JSON endpoint; every bad parameter is a 400 with a JSON message.

It serves what is in site/ and nothing else: GET and HEAD only (405 otherwise; HEAD of the search too), no path that
climbs out ('..', encoded or not, encoded slashes, backslashes, absolute-form targets: 400), no
symlink that resolves outside site/ (404, the index.html served for a directory included), no
directory listings. Every response says nosniff and
carries a Content-Security-Policy; an HTML page's policy allows exactly its own inline scripts
(Material's, by their sha256), so a script injected into content would not run.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import logging
import os
import re
import sys
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .archive import Archive, QueryError

PARAMS = {"q", "unit", "category", "kind", "year", "validity", "page"}
METHODS = ("GET", "HEAD")
# Everything from this host; images may be data: URIs (Material's icons are CSS masks of them);
# styles may be inline (the author's style attributes, already stripped of URLs by gongkai/guard).
POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
          "base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
_INLINE_SCRIPT = re.compile(rb"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_NOT_JAVASCRIPT = re.compile(rb"""\b(src\s*=|type\s*=\s*["']?application/(?:ld\+)?json)""", re.I)


def content_security_policy(html: bytes | None = None) -> str:
    """The policy of a response: for an HTML page, with the hashes of its own inline scripts."""
    hashes = []
    for m in _INLINE_SCRIPT.finditer(html or b""):
        if not _NOT_JAVASCRIPT.search(m.group("attrs")):
            digest = base64.b64encode(hashlib.sha256(m.group("body")).digest()).decode("ascii")
            if f" 'sha256-{digest}'" not in hashes:
                hashes.append(f" 'sha256-{digest}'")
    return POLICY.format(scripts="".join(hashes))


class Handler(http.server.SimpleHTTPRequestHandler):
    archive: Archive
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
        super().end_headers()

    def do_GET(self):  # noqa: N802 - the base class's name
        if urlsplit(self.path).path.rstrip("/") == "/api/search":
            return self._search()
        return super().do_GET()

    def do_HEAD(self):  # noqa: N802 - the base class's name
        # HEAD answers what GET would, without the body (the search endpoint too).
        if urlsplit(self.path).path.rstrip("/") == "/api/search":
            return self._search()
        return super().do_HEAD()

    def send_head(self):
        """Refuse what could reach outside site/, then serve the file as the base class does."""
        self._policy = None
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
        if path.endswith((".html", ".htm")) and os.path.isfile(path):
            with open(path, "rb") as page:
                self._policy = content_security_policy(page.read())
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
        query = urlsplit(self.path).query
        try:
            if not query.isascii():  # raw UTF-8 bytes in the request line, read as Latin-1
                query = query.encode("latin-1").decode("utf-8")
            params = parse_qs(query, keep_blank_values=True, strict_parsing=False,
                              errors="strict", max_num_fields=20)
        except (ValueError, UnicodeError):
            return self._json(400, {"error": "malformed query string: not UTF-8, or too many parameters"})
        unknown = sorted(set(params) - PARAMS)
        if unknown:
            return self._json(400, {"error": f"unknown parameter(s): {', '.join(unknown)}",
                                    "parameters": sorted(PARAMS)})
        repeated = sorted(k for k, v in params.items() if len(v) > 1)
        if repeated:
            return self._json(400, {"error": f"parameter given more than once: {', '.join(repeated)}"})
        args = {k: v[0] for k, v in params.items()}
        try:
            result = self.archive.search(args.pop("q", ""), page=args.pop("page", "1") or "1",
                                         **{k: v or None for k, v in args.items()})
        except QueryError as exc:
            return self._json(400, {"error": str(exc)})
        return self._json(200, result)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def _decodes(path: str) -> bool:
    try:
        unquote(path, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections of a burst of clients


def make_server(site_dir: Path, archive: Archive, host: str = "127.0.0.1", port: int = 8000,
                quiet: bool = False) -> Server:
    """A threading HTTP server for site_dir and /api/search (port 0: any free port)."""
    handler = partial(type("BoundHandler", (Handler,), {"archive": archive, "quiet": quiet}),
                      directory=str(site_dir))
    return Server((host, port), handler)
