"""GET /api/search: a query string in, a status and a JSON object out. One answer for every
server that runs the API: `gongkai serve` (server.py) and a production WSGI server (wsgi.py).

Every bad parameter is a 400 with a message: unknown or repeated parameters, a query string that
is not UTF-8 or has too many fields, a value the archive refuses (QueryError)."""

from __future__ import annotations

from urllib.parse import parse_qs

from .archive import Archive, QueryError

PATH = "/api/search"
PARAMS = {"q", "unit", "category", "kind", "year", "validity", "page"}


def answer(archive: Archive | None, query: str, unavailable: str = "") -> tuple[int, dict]:
    """(HTTP status, JSON object) for the query string (as sent: percent-encoded, or raw UTF-8
    bytes read as Latin-1 by a server that decodes request lines so)."""
    if archive is None:
        return 503, {"error": f"the archive search is unavailable: {unavailable}"}
    try:
        if not query.isascii():
            query = query.encode("latin-1").decode("utf-8")
        params = parse_qs(query, keep_blank_values=True, strict_parsing=False, errors="strict", max_num_fields=20)
    except (ValueError, UnicodeError):
        return 400, {"error": "malformed query string: not UTF-8, or too many parameters"}
    unknown = sorted(set(params) - PARAMS)
    if unknown:
        return 400, {"error": f"unknown parameter(s): {', '.join(unknown)}", "parameters": sorted(PARAMS)}
    repeated = sorted(k for k, v in params.items() if len(v) > 1)
    if repeated:
        return 400, {"error": f"parameter given more than once: {', '.join(repeated)}"}
    args = {k: v[0] for k, v in params.items()}
    try:
        result = archive.search(args.pop("q", ""), page=args.pop("page", "1") or "1",
                                **{k: v or None for k, v in args.items()})
    except QueryError as exc:
        return 400, {"error": str(exc)}
    return 200, result
