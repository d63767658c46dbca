"""`gongkai nginx`: the nginx configuration of a built site, from mkdocs.yml.

What it says, and why:
- the site's files from site/, 404.html for what is not there, hidden files (the build's record
  .gongkai-pages.json) never served;
- `gzip_static`: the build writes X.gz beside each text file (gongkai.precompress), sent as they
  are; the search API's JSON is compressed on the fly;
- cache lifetimes: a year (immutable) for Material's assets, whose names carry their hash; an hour
  for the theme's other assets; five minutes for pages and data, so a published correction
  reaches readers soon;
- security headers on every response (nosniff, a referrer policy, frames from the site only);
  the Content-Security-Policy of each page is in its own <meta> (gongkai.pagescripts): the header
  adds what a <meta> cannot say (frame-ancestors);
- /api/search proxied to the search API under a production WSGI server (gongkai.search.wsgi).

nginx repeats no add_header of the server in a location that has its own, so every location
below lists the headers again (HEADERS).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .pagescripts import FRAMES, RECORD

# Material's bundles: assets/stylesheets/main.57a0d79d.min.css, assets/javascripts/bundle.…min.js.
HASHED_ASSET = r"\.[0-9a-f]{8}\.min\.(css|js)(\.map)?$"
LIFETIMES = {"hashed": "public, max-age=31536000, immutable", "assets": "public, max-age=3600",
             "pages": "public, max-age=300", "api": "no-store"}
HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Content-Security-Policy", FRAMES.lstrip("; ")),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
MIME_TYPES = "/etc/nginx/mime.types"  # Debian's


class NginxError(Exception):
    """A bad option: the message says which and what is expected."""


_HOST_PORT = re.compile(r"^(?:(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):)?(?P<port>\d{1,5})$")


def address(value: str, what: str, host_required: bool = False) -> str:
    """A listen or upstream address: PORT or HOST:PORT, checked."""
    match = _HOST_PORT.match(value.strip())
    if not match or not 0 < int(match["port"]) < 65536 or (host_required and not match["host"]):
        form = "HOST:PORT, e.g. 127.0.0.1:8081" if host_required else "PORT or ADDRESS:PORT, e.g. 80 or 127.0.0.1:8080"
        raise NginxError(f"{what} '{value}' is not an address: write {form}")
    return value.strip()


def _headers(cache: str, indent: str) -> str:
    lines = [*HEADERS, ("Cache-Control", LIFETIMES[cache])]
    return "".join(f'{indent}add_header {name} "{value}" always;\n' for name, value in lines)


def server_block(site_dir: Path, *, listen: str, server_name: str, api: str | None) -> str:
    """The `server { … }` of the site."""
    root = site_dir.resolve().as_posix()
    if any(c in root for c in ' ;{}"\'\\'):
        raise NginxError(f"the site directory '{root}' has a character nginx would read as syntax; "
                         "build it into a plain path")
    api_location = "" if api is None else f"""
    # The archive search: the WSGI application under gunicorn (gongkai.search.wsgi).
    location /api/search {{
        proxy_pass http://{api};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 5s;
        proxy_read_timeout 30s;
{_headers("api", " " * 8)}    }}
"""
    return f"""server {{
    listen {listen};
    server_name {server_name};
    root {root};
    index index.html;
    charset utf-8;
    charset_types text/css application/javascript application/json text/plain text/xml image/svg+xml text/csv;
    server_tokens off;
    gzip_static on;
    gzip_vary on;  # caches and CDNs keep the compressed and the plain answer apart
    gzip on;
    gzip_types application/json;
    gzip_min_length 1024;
    error_page 404 /404.html;

    # Hidden files of the build ({RECORD}): never served. First: regular expressions are tried in order.
    location ~ /\\. {{
        return 404;
    }}

    location / {{
        try_files $uri $uri/ =404;
{_headers("pages", " " * 8)}    }}

    location ~* "{HASHED_ASSET}" {{
{_headers("hashed", " " * 8)}    }}

    location /assets/ {{
{_headers("assets", " " * 8)}    }}
{api_location}}}
"""


def standalone(server: str, prefix: Path, mime_types: str = MIME_TYPES, user: str | None = None) -> str:
    """A whole nginx.conf around the server, its pid, logs and temporary files under prefix: for
    a site run by its own nginx (`nginx -p PREFIX -c nginx.conf`), and the tests. user: the
    account its workers run as when it is started as root (nginx's default is nobody)."""
    p = prefix.resolve().as_posix()
    temps = "".join(f"    {kind}_temp_path {p}/tmp/{kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    body = "".join("    " + line + "\n" if line else "\n" for line in server.splitlines())
    return f"""{f"user {user};" + chr(10) if user else ""}worker_processes 2;
pid {p}/nginx.pid;
error_log {p}/error.log;
daemon off;

events {{
    worker_connections 1024;
}}

http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log {p}/access.log;
    sendfile on;
{temps}
{body}}}
"""


def config_for(mkdocs_yml: Path, *, listen: str, api: str | None, server_name: str | None) -> tuple[str, Path]:
    """The server block of the site mkdocs.yml builds, and its site directory."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        config = load_config(str(mkdocs_yml))
    except (ConfigurationError, Abort, OSError) as exc:
        raise NginxError(f"cannot load {mkdocs_yml}: {exc}") from None
    site = Path(config.site_dir)
    name = server_name or (urlsplit(config.site_url).hostname if config.site_url else None) or "_"
    if not re.fullmatch(r"[A-Za-z0-9.*_-]+", name):
        raise NginxError(f"server name '{name}' is not a host name")
    listen = address(listen, "--listen")
    api = address(api, "--api", host_required=True) if api else None
    return server_block(site, listen=listen, server_name=name, api=api), site


def command(args) -> int:
    """`gongkai nginx`: the configuration to standard output or a file; 2 on a bad option."""
    try:
        server, site = config_for(Path(args.config), listen=args.listen, api=None if args.no_api else args.api,
                                  server_name=args.server_name)
        text = standalone(server, Path(args.standalone)) if args.standalone else server
    except NginxError as exc:
        print(f"gongkai nginx: {exc}", file=sys.stderr)
        return 2
    if not (site / "index.html").is_file():
        print(f"gongkai nginx: note: no built site in {site}/ yet ('make site' builds it)", file=sys.stderr)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"gongkai nginx: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    return 0


def add_command(commands) -> None:
    """`gongkai nginx` on the command line."""
    nginx = commands.add_parser("nginx", help="write the nginx configuration of the built site")
    nginx.add_argument("--config", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    nginx.add_argument("--listen", default="80", help="port or address:port nginx listens on (default 80)")
    nginx.add_argument("--server-name", help="host name (default: site_url's host in mkdocs.yml, else _)")
    nginx.add_argument("--api", default="127.0.0.1:8081",
                       help="where the search API runs (gunicorn 'gongkai.search.wsgi:create_app()'; "
                            "default 127.0.0.1:8081)")
    nginx.add_argument("--no-api", action="store_true", help="no /api/search (the static site only)")
    nginx.add_argument("--standalone", metavar="PREFIX",
                       help="a whole nginx.conf with pid, logs and temporary files under PREFIX "
                            "(run: nginx -p PREFIX -c FILE); default: the server block to include")
    nginx.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    nginx.set_defaults(run=command)
