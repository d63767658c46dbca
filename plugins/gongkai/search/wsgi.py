"""The archive search API as a WSGI application, for a production server behind nginx:

    GONGKAI_INDEX=/srv/anlan/.cache/search-index \
    gunicorn --workers 4 --bind 127.0.0.1:8081 'gongkai.search.wsgi:create_app()'

It answers GET and HEAD /api/search exactly as `gongkai serve` does (search/api.py) and nothing
else (404; 405 for other methods). Each worker process opens the read-only index itself, on its
first request: a whoosh reader is not shared across a fork; and again whenever a build swaps a new
index in (checked on every request), so what the site stopped publishing is not found here. An
index that cannot be opened is a 503 (its reason, with server paths, only in the log), retried on
the next request.
"""

from __future__ import annotations

import json
import logging
import os
from http import HTTPStatus
from pathlib import Path

from .api import PATH, answer
from .archive import Archive
from .current import CurrentArchive

log = logging.getLogger("gongkai.api")
DEFAULT_INDEX = ".cache/search-index"
HEADERS = [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"),
           ("X-Content-Type-Options", "nosniff")]


class SearchApp:
    def __init__(self, index: Path):
        self.index = index
        self.current = CurrentArchive(index)

    def archive(self) -> tuple[Archive | None, str]:
        return self.current.get()

    def __call__(self, environ, start_response):
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        if path.rstrip("/") != PATH:
            status, data = 404, {"error": "not found", "endpoint": PATH}
        elif method not in ("GET", "HEAD"):
            status, data = 405, {"error": f"{method} is not allowed", "allow": ["GET", "HEAD"]}
        else:
            try:
                archive, unavailable = self.archive()
                # WSGI hands the query string over as Latin-1 text of the bytes sent: as server.py gets it.
                status, data = answer(archive, environ.get("QUERY_STRING", ""), unavailable)
            except Exception:  # a bug, never bad input: the client still gets JSON, the log the trace
                log.exception("%s %s?%s", method, path, environ.get("QUERY_STRING", ""))
                status, data = 500, {"error": "internal error"}
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        headers = [*HEADERS, ("Content-Length", str(len(body)))]
        if status == 405:
            headers.append(("Allow", "GET, HEAD"))
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [b""] if method == "HEAD" else [body]


def create_app(index: str | None = None) -> SearchApp:
    """The application over the index directory: the argument, else $GONGKAI_INDEX, else
    .cache/search-index (as mkdocs.yml names it)."""
    return SearchApp(Path(index or os.environ.get("GONGKAI_INDEX") or DEFAULT_INDEX))
