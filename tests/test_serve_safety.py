"""Safe serving: `gongkai serve` answers GET and HEAD only, never reaches outside site/, sends
nosniff and a Content-Security-Policy the site satisfies (checked in Chromium), binds 127.0.0.1.

Real server, real sockets: raw request lines keep the un-normalised paths a client library would
clean up before sending.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import GONGKAI, ROOT, BrowserSession, run_env
from gongkai.model import load_catalog
from gongkai.search.documents import search_documents
from gongkai.search.archive import Archive
from gongkai.search.index import update_index
from gongkai.search.server import content_security_policy, make_server

SECRET = "gongkai-secret-outside-the-site"


@pytest.fixture(scope="module")
def served(tmp_path_factory, sample_site):
    """The built sample site (a copy with a symlink planted in it) served on 127.0.0.1."""
    work = tmp_path_factory.mktemp("serve")
    (work / "secret.txt").write_text(SECRET, encoding="utf-8")
    site = work / "site"
    shutil.copytree(sample_site, site)
    os.symlink(work / "secret.txt", site / "leak.txt")
    os.symlink(work, site / "outside")
    (site / "inside.txt").symlink_to(site / "index.html")
    (site / "empty-dir").mkdir()
    (site / "evil").mkdir()
    os.symlink(work / "secret.txt", site / "evil" / "index.html")
    catalog, _ = load_catalog(ROOT / "content")
    update_index(work / "index", search_documents(catalog), catalog.synonyms)
    httpd = make_server(site, Archive(work / "index"), port=0, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; return status, headers (lower-case names) and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def get(port: int, target: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    return raw(port, f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("latin-1"))


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND"])
def test_only_get_and_head(served, method):
    status, headers, body = get(served, "/index.html", method)
    assert status == 405
    assert headers["allow"] == "GET, HEAD"


def test_get_and_head_serve_pages(served):
    status, headers, body = get(served, "/")
    assert status == 200 and "安澜县" in body.decode("utf-8")
    status, headers, body = get(served, "/", "HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000
    status, _, body = get(served, "/api/search?q=" + quote("行政许可"))
    assert status == 200 and b'"hits"' in body
    status, headers, body = get(served, "/api/search?q=" + quote("行政许可"), "HEAD")
    assert status == 200 and body == b"" and headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/units/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
    "/.%2e/secret.txt", "/units%2f..%2f..%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt",
    "//etc/passwd", "http://127.0.0.1/../secret.txt", "/units/./index.html", "/%00index.html", "/%ff%fe",
])
def test_path_traversal_is_refused(served, target):
    status, _, body = get(served, target)
    assert status == 400, target
    assert SECRET.encode() not in body


@pytest.mark.parametrize("target", ["/leak.txt", "/outside/secret.txt", "/outside/", "/evil/", "/evil/index.html"])
def test_symlinks_out_of_the_site_are_not_followed(served, target):
    status, _, body = get(served, target)
    assert status == 404
    assert SECRET.encode() not in body


def test_symlinks_inside_the_site_and_no_listings(served):
    assert get(served, "/inside.txt")[0] == 200
    assert get(served, "/empty-dir/")[0] == 404  # no directory listing
    assert get(served, "/search/data/")[0] == 404


def test_security_headers_on_every_response(served):
    for target in ("/", "/assets/javascripts/gongkai.js", "/api/search?q=x", "/missing", "/../x"):
        _, headers, _ = get(served, target)
        assert headers["x-content-type-options"] == "nosniff", target
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, target
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0], target
    assert "Python" not in get(served, "/")[1]["server"]


def test_the_policy_hashes_exactly_the_inline_scripts():
    page = (b'<script>a()</script><script id="x" type="application/json">{"a":1}</script>'
            b'<script src="b.js"></script><SCRIPT>a()</SCRIPT>')
    policy = content_security_policy(page)
    import base64
    import hashlib
    digest = base64.b64encode(hashlib.sha256(b"a()").digest()).decode()
    assert policy.count("'sha256-") == 1 and f"'sha256-{digest}'" in policy


def test_serve_binds_loopback_by_default(tmp_path, sample_site):
    port = _free_port()
    proc = subprocess.Popen([GONGKAI, "serve", "--site", str(sample_site), "--port", str(port),
                             "--index", str(tmp_path / "index"), "--content", str(ROOT / "content")],
                            env=run_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        line = proc.stderr.readline().decode("utf-8")
        deadline = time.monotonic() + 60
        while "Serving" not in line and time.monotonic() < deadline and proc.poll() is None:
            line = proc.stderr.readline().decode("utf-8")
        assert f"http://127.0.0.1:{port}/" in line
        out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout \
            if shutil.which("ss") else f"127.0.0.1:{port}"
        assert f"127.0.0.1:{port}" in out and f"0.0.0.0:{port}" not in out and f"*:{port}" not in out
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        assert connection.getresponse().status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the policy in Chromium: the sample site raises no violation, and search works --------------

VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


@pytest.mark.browser
def test_the_site_satisfies_its_policy(browser, served):
    session = BrowserSession(browser, f"http://127.0.0.1:{served}")
    console: list[str] = []
    try:
        session.page.on("console", lambda msg: console.append(msg.text))
        session.context.add_init_script(VIOLATIONS)
        pages = ["", "units/", "units/zrzyj/", "units/zrzyj/powers/ZRZY-XK-001/", "documents/",
                 "units/county/documents/2021/2021-qzqd/", "search/?q=" + quote("行政许可")]
        for rel in pages:
            page = session.goto(rel)
            if rel.startswith("search/"):
                page.wait_for_selector("#gk-search-results > li")
                assert page.locator("#gk-search-results > li").count() >= 5
            page.wait_for_timeout(200)
            assert page.evaluate("window.__csp") == [], rel
        assert not [m for m in console if "Content Security Policy" in m], console
        assert session.errors == [] and session.foreign == []
        # The policy is in force: a script that is not the page's own is refused.
        session.goto("")
        blocked = session.page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__ran = 1'; document.body.appendChild(s); return window.__ran === 1; }""")
        assert blocked is False
        assert session.page.evaluate("window.__csp.length") >= 1
    finally:
        session.close()
