"""Safe serving: `gongkai serve` answers GET and HEAD only, never reaches outside site/, sends
nosniff and a Content-Security-Policy the site satisfies (checked in Chromium), binds 127.0.0.1.

Real server, real sockets: raw request lines keep the un-normalised paths a client library would
clean up before sending.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import GONGKAI, MKDOCS, ROOT, SMALL_SITE, BrowserSession, run, run_env, write_site
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
        # A page or an error: 'self'; any other file: nothing at all ('none').
        assert re.search(r"default-src '(self|none)'", policy) and "object-src 'none'" in policy, target
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0], target
    assert "Python" not in get(served, "/")[1]["server"]


def test_the_policy_allows_the_recorded_template_scripts_only(served, sample_site):
    """The hashes come from the build's record (gongkai.pagescripts), never from the file served."""
    from gongkai.pagescripts import inline_script_hashes, read_record

    pages, hashes = read_record(sample_site)
    assert "index.html" in pages and "units/zrzyj/index.html" in pages and "404.html" in pages
    assert hashes and len(hashes) < 20  # the templates' few scripts, not one per page
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert inline_script_hashes(home) <= set(hashes)
    _, headers, _ = get(served, "/")
    assert all(h in headers["content-security-policy"] for h in inline_script_hashes(home))
    page = (b'<script>a()</script><script id="x" type="application/json">{"a":1}</script>'
            b'<script src="b.js"></script><SCRIPT>a()</SCRIPT>')
    assert len(inline_script_hashes(page.decode())) == 1
    assert content_security_policy(["'sha256-AAAA'"]).count("'sha256-") == 1


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
        # every 适老化 setting on: its head script, toolbar and cursor images run under the policy too
        session.context.add_init_script("localStorage.setItem('gongkai.aids', JSON.stringify("
                                        "{open: true, size: 150, contrast: true, cursor: true, simple: false, speech: true}))")
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


# --- an HTML attachment is not a page of the site: its script never runs -------------------------

ATTACHMENT = ('<!doctype html><html><head><meta charset="utf-8"><title>附件</title></head><body><p>附件正文</p>'
              '<script>document.title = "RAN"; window.__ran = 1;</script></body></html>')


@pytest.fixture(scope="module")
def attachment_site(tmp_path_factory):
    """An HTML and an SVG file in the site that are not pages of it, served by `gongkai serve`.
    The build refuses such files in content/ (test_gate.py); the server's policy is the second
    line, for what reaches site/ another way (a site built by an older version, a file copied in)."""
    root = write_site(tmp_path_factory.mktemp("attachment") / "root")
    result = run([MKDOCS, "build", "-f", str(root / "mkdocs.yml")], cwd=root)
    assert result.returncode == 0, result.output[-3000:]
    folder = root / "site/units/zrj/documents/files"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text(ATTACHMENT, encoding="utf-8")
    (folder / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>window.__ran = 1</script></svg>',
                                    encoding="utf-8")
    attached = folder / "page.html"
    port = _free_port()
    proc = subprocess.Popen([GONGKAI, "serve", "--site", str(root / "site"), "--port", str(port),
                             "--index", str(root / ".cache" / "search-index"), "--content", str(root / "content")],
                            env=run_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if "Serving" in proc.stderr.readline().decode("utf-8", "replace"):
                break
        yield port, "/" + attached.relative_to(root / "site").as_posix()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_an_html_attachment_gets_no_script_allowance(attachment_site):
    port, path = attachment_site
    status, headers, body = get(port, quote(path))
    assert status == 200 and b"window.__ran" in body
    policy = headers["content-security-policy"]
    assert "script-src 'none'" in policy and "'sha256-" not in policy and "sandbox" in policy
    assert headers["content-disposition"].startswith("attachment")
    status, headers, _ = get(port, quote(path.replace("page.html", "pic.svg")))
    assert status == 200 and headers["content-disposition"].startswith("attachment")
    assert "script-src 'none'" in headers["content-security-policy"]
    # The site's own pages keep their templates' scripts.
    _, headers, _ = get(port, "/")
    assert "'sha256-" in headers["content-security-policy"]


@pytest.mark.browser
def test_an_html_attachment_does_not_run_its_script_in_chromium(browser, attachment_site):
    """Opened in the browser (the download header taken away, as an old browser or a proxy might
    ignore it): the policy alone keeps the attachment's script from running."""
    port, path = attachment_site
    session = BrowserSession(browser, f"http://127.0.0.1:{port}")

    def without_download(route):
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-disposition"}
        route.fulfill(response=response, headers=headers)

    try:
        session.page.route("**/page.html", without_download)
        page = session.goto(quote(path.lstrip("/")))
        page.wait_for_timeout(300)
        assert "附件正文" in page.content()
        assert page.title() == "附件" and page.evaluate("window.__ran") is None
    finally:
        session.close()
