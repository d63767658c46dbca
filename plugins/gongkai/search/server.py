"""`gongkai serve`: the built site and GET /api/search over HTTP, for a hall kiosk or an intranet.

The standard library's threading HTTP server is enough for this: one process, loopback by
default, static files plus one JSON endpoint; every bad parameter is a 400 with a JSON message.
"""

from __future__ import annotations

import http.server
import json
import logging
import sys
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .engine import Archive, QueryError

PARAMS = {"q", "unit", "category", "kind", "year", "validity", "page"}


class Handler(http.server.SimpleHTTPRequestHandler):
    archive: Archive
    quiet = False
    server_version = "gongkai"

    def do_GET(self):  # noqa: N802 - the base class's name
        if urlsplit(self.path).path.rstrip("/") == "/api/search":
            return self._search()
        return super().do_GET()

    def _json(self, status: int, data: dict) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
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


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections of a burst of clients


def make_server(site_dir: Path, archive: Archive, host: str = "127.0.0.1", port: int = 8000,
                quiet: bool = False) -> Server:
    """A threading HTTP server for site_dir and /api/search (port 0: any free port)."""
    handler = partial(type("BoundHandler", (Handler,), {"archive": archive, "quiet": quiet}),
                      directory=str(site_dir))
    return Server((host, port), handler)
