"""In production as a web team runs it: Debian's nginx (installed by `make test` when missing) on a
loopback port with the configuration `gongkai nginx` writes, over the built sample site, and the
search API under gunicorn (gongkai.search.wsgi), several workers over one read-only index.

Asserted through nginx as a reader's browser receives it: security headers, cache lifetimes,
precompressed pages and assets, the 404 page, hidden files, the API's answers; and a browser
session through it (home, an item, the search page with a query) with nothing refused."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BrowserSession, ROOT, free_port, run, run_env, wait_for
from gongkai.nginx import server_block, standalone

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
GONGKAI = str(Path(sys.executable).with_name("gongkai"))


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found is None:
        pytest.fail("nginx is not installed: `make test` installs Debian's (apt-get install nginx)")
    return found



def wait_listening(port: int, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"exited {proc.returncode}: {log.read_text(errors='replace')[-3000:] if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing listens on {port} after {timeout} s")


@pytest.fixture(scope="module")
def production(sample_site, tmp_path_factory):
    """(nginx port, API port): gunicorn with 2 workers, nginx with the generated configuration."""
    from gongkai.model import load_catalog
    from gongkai.search.documents import search_documents
    from gongkai.search.index import update_index

    work = tmp_path_factory.mktemp("production")
    catalog, _ = load_catalog(ROOT / "content")
    update_index(work / "search-index", search_documents(catalog), catalog.synonyms)
    api_port, web_port = free_port(), free_port()
    api_log = work / "gunicorn.log"
    api = subprocess.Popen([GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{api_port}", "--error-logfile",
                            str(api_log), "gongkai.search.wsgi:create_app()"], cwd=work,
                           env=run_env(GONGKAI_INDEX=str(work / "search-index")),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    prefix = work / "nginx"
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / kind).mkdir(parents=True)
    conf = prefix / "nginx.conf"
    conf.write_text(standalone(server_block(sample_site, listen=f"127.0.0.1:{web_port}", server_name="_",
                                            api=f"127.0.0.1:{api_port}"), prefix,
                                user="root" if os.getuid() == 0 else None),  # the tests' files are the runner's
                    encoding="utf-8")
    nginx = subprocess.Popen([nginx_binary(), "-p", str(prefix), "-c", str(conf)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(api_port, api, api_log)
        wait_listening(web_port, nginx, prefix / "error.log")
        yield web_port, api_port
    finally:
        for proc in (nginx, api):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def get(port: int, target: str, method: str = "GET", gzip_ok: bool = False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, target, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_pages_carry_security_headers_a_short_lifetime_and_come_precompressed(production, sample_site):
    port, _ = production
    status, headers, body = get(port, "/units/scjgj/", gzip_ok=True)
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (sample_site / "units/scjgj/index.html").read_bytes()
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert headers["x-frame-options"] == "SAMEORIGIN" and headers["cache-control"] == "public, max-age=300"
    assert "server" not in headers or headers["server"] == "nginx"  # no version
    status, headers, body = get(port, "/units/scjgj/")
    assert status == 200 and "content-encoding" not in headers and b'http-equiv="Content-Security-Policy"' in body


def test_hashed_assets_are_immutable_others_an_hour(production, sample_site):
    port, _ = production
    bundle = next((sample_site / "assets/stylesheets").glob("main.*.min.css")).name
    status, headers, body = get(port, f"/assets/stylesheets/{bundle}", gzip_ok=True)
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip" and len(body) < (sample_site / "assets/stylesheets" / bundle).stat().st_size / 3
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, _ = get(port, "/assets/stylesheets/gongkai.css")
    assert status == 200 and headers["cache-control"] == "public, max-age=3600"
    assert headers["content-type"].startswith("text/css")


def test_not_found_hidden_files_and_the_404_page(production, sample_site):
    port, _ = production
    status, headers, body = get(port, "/no/such/page/")
    assert status == 404 and body == (sample_site / "404.html").read_bytes()
    assert headers["x-content-type-options"] == "nosniff"
    assert get(port, "/.gongkai-pages.json")[0] == 404


def test_the_api_under_gunicorn_through_nginx(production, tmp_path):
    port, api_port = production
    status, headers, body = get(port, "/api/search?q=%E9%A3%9F%E5%93%81", gzip_ok=True)
    assert status == 200 and headers["content-type"] == "application/json; charset=utf-8"
    assert headers["cache-control"] == "no-store" and headers["x-content-type-options"] == "nosniff"
    data = json.loads(gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body)
    assert data["total"] > 0 and data["hits"]
    # Bad queries are a 400 with a message, never a trace; other methods and paths are refused.
    status, _, body = get(port, "/api/search?q=x&nosuch=1")
    assert status == 400 and "unknown parameter" in json.loads(body)["error"]
    status, _, body = get(port, "/api/search?q=%FF")
    assert status == 400 and "not UTF-8" in json.loads(body)["error"]
    status, headers, _ = get(api_port, "/api/search?q=x", method="POST")
    assert status == 405 and headers["allow"] == "GET, HEAD"
    assert get(api_port, "/elsewhere")[0] == 404
    # The archive's own answer, as `gongkai search` gives it (and serve: one module answers for both).
    result = run([GONGKAI, "search", "食品", "--format", "json", "--content", str(ROOT / "content"),
                  "--index", str(tmp_path / "index")], cwd=ROOT)
    assert result.returncode == 0 and json.loads(result.stdout)["total"] == data["total"]


def test_a_reader_through_nginx(production, browser):
    port, _ = production
    with BrowserSession.clean(browser, f"http://127.0.0.1:{port}") as session:
        session.goto("")
        session.goto("units/scjgj/powers/SCJG-CF-002/")
        page = session.goto("search/?q=食品")
        wait_for(page, "() => document.querySelectorAll('#gk-search-results > li').length > 0")


def test_gongkai_nginx_writes_the_server_block_and_refuses_bad_options(tmp_path):
    result = run([GONGKAI, "nginx", "--listen", "8080", "--api", "127.0.0.1:9000"], cwd=ROOT)
    assert result.returncode == 0, result.output
    assert f"root {(ROOT / 'site').as_posix()};" in result.stdout and "listen 8080;" in result.stdout
    assert "proxy_pass http://127.0.0.1:9000;" in result.stdout and "gzip_static on;" in result.stdout
    assert "proxy_pass" not in run([GONGKAI, "nginx", "--no-api"], cwd=ROOT).stdout
    for bad, message in ((["--listen", "http://x"], "--listen 'http://x' is not an address"),
                         (["--api", "9000"], "--api '9000' is not an address: write HOST:PORT"),
                         (["--server-name", "a b"], "server name 'a b' is not a host name"),
                         (["--config", "missing.yml"], "cannot load missing.yml")):
        result = run([GONGKAI, "nginx", *bad], cwd=ROOT)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.output


def test_the_wsgi_application_answers_as_serve_does(tmp_path):
    """Called as a WSGI server calls it: every status with a JSON body, an index that is not there
    yet a 503 retried on the next request."""
    from gongkai.model import load_catalog
    from gongkai.search.documents import search_documents
    from gongkai.search.index import update_index
    from gongkai.search.wsgi import create_app

    app = create_app(str(tmp_path / "index"))

    def call(method: str, path: str, query: str = "") -> tuple[str, dict, dict]:
        seen = {}
        body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query},
                            lambda status, headers: seen.update(status=status, headers=dict(headers))))
        return seen["status"], seen["headers"], json.loads(body) if body else {}

    status, _, data = call("GET", "/api/search", "q=x")
    assert status == "503 Service Unavailable" and "unavailable" in data["error"]
    catalog, _ = load_catalog(ROOT / "content")
    update_index(tmp_path / "index", search_documents(catalog), catalog.synonyms)
    status, headers, data = call("GET", "/api/search", "q=%E4%BD%8F%E6%88%BF")
    assert status == "200 OK" and data["total"] > 0 and headers["Cache-Control"] == "no-store"
    assert call("GET", "/api/search", "page=abc")[0] == "400 Bad Request"
    assert call("GET", "/api/search", "q=a&q=b")[0] == "400 Bad Request"
    # Raw UTF-8 in the request line, as a WSGI server passes it (Latin-1 text of the bytes).
    assert call("GET", "/api/search", "q=" + "住房".encode().decode("latin-1"))[2]["total"] == data["total"]
    status, headers, _ = call("HEAD", "/api/search", "q=x")
    assert status == "200 OK" and int(headers["Content-Length"]) > 0
    assert call("DELETE", "/api/search")[0] == "405 Method Not Allowed"
    assert call("GET", "/")[0] == "404 Not Found"


def test_the_api_follows_a_rebuilt_index(tmp_path):
    """A build swaps a new index in: the running application answers from it on the next request,
    so a document the site no longer publishes is not found by the API either."""
    from gongkai.model import load_catalog
    from gongkai.search.documents import search_documents
    from gongkai.search.index import update_index
    from gongkai.search.wsgi import create_app

    catalog, _ = load_catalog(ROOT / "content")
    docs = search_documents(catalog)
    update_index(tmp_path / "index", docs, catalog.synonyms)
    app = create_app(str(tmp_path / "index"))

    def total(query: str) -> int:
        body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/api/search", "QUERY_STRING": query},
                            lambda status, headers: None))
        return json.loads(body)["total"]

    gone = next(d for d in docs if d.kind == "document")
    query = "q=" + "".join(f"%{b:02X}" for b in gone.title.encode())
    assert total(query) > 0
    update_index(tmp_path / "index", [d for d in docs if d is not gone], catalog.synonyms)
    body = json.loads(b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": "/api/search", "QUERY_STRING": query},
                                   lambda status, headers: None)))
    assert gone.url not in [hit["url"] for hit in body["hits"]]
