"""Security that travels with the pages: each page built carries its Content-Security-Policy in
a <meta> at the top of its <head>, with the hashes of its own inline scripts, so a plain static
host serves it; and precompressed twins (X.gz) for nginx's gzip_static.

Every browser test's session (conftest.BrowserSession) fails on anything a page's policy refused:
those tests run the whole site under the <meta> policy, served by a plain HTTP server."""

from __future__ import annotations

import gzip
import re
import shutil
import zipfile

from conftest import BrowserSession
from gongkai.pagescripts import inline_script_hashes, read_record

META = re.compile(r'<head>\s*<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_every_page_carries_its_policy_before_any_script(sample_site):
    pages, recorded = read_record(sample_site)
    assert len(pages) > 400
    for rel in pages:
        html = (sample_site / rel).read_text(encoding="utf-8")
        match = META.search(html)
        assert match and html.count("Content-Security-Policy") == 1, rel
        policy = match[1]
        assert "frame-ancestors" not in policy  # ignored in a <meta>; serve's header says it
        allowed = set(re.findall(r"'sha256-[^']+'", policy))
        assert inline_script_hashes(html) == allowed, rel  # exactly the page's own scripts
        assert allowed <= set(recorded)
        assert "<script" not in html[: match.start()], rel


def test_an_inline_script_not_built_with_the_page_is_refused(browser, sample_site, tmp_path):
    """What an attacker writes into a page on the host (or a leftover of an old build) does not run."""
    import functools
    import http.server
    import threading

    root = tmp_path / "site"
    shutil.copytree(sample_site, root)
    page = root / "units/scjgj/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<script>document.title='injected'</script></body>"), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        session = BrowserSession(browser, f"http://127.0.0.1:{server.server_address[1]}")
        try:
            shown = session.goto("units/scjgj/")
            assert shown.title() != "injected"
            assert any("inline script" in text for text in session.refused), session.refused
            # The page's own scripts ran: the reading aids' toolbar is there.
            assert shown.locator(".gk-aids").is_visible()
        finally:
            session.close()
    finally:
        server.shutdown()
        server.server_close()


def test_text_files_have_deterministic_gzip_twins(sample_site):
    # sitemap.xml.gz is MkDocs' own, as search engines fetch it.
    twins = [t for t in sample_site.rglob("*.gz") if t.name != "sitemap.xml.gz"]
    assert len(twins) > 400
    for twin in twins:
        source = twin.with_suffix("")
        data = twin.read_bytes()
        assert gzip.decompress(data) == source.read_bytes(), twin
        assert data[4:8] == b"\0\0\0\0" and not data[3] & 0x08  # no time, no file name: same site, same bytes
    assert (sample_site / "index.html.gz").is_file() and (sample_site / "assets/stylesheets/gongkai.css.gz").is_file()
    assert not list(sample_site.rglob("*.png.gz")) and not list(sample_site.rglob("*.xlsx.gz"))
    assert not list(sample_site.rglob(".*.gz"))  # hidden files get no twin


def test_the_offline_bundle_has_no_twins_and_no_page_policy(bundle):
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        assert [n for n in names if n.endswith(".gz")] == [n for n in names if n.endswith("sitemap.xml.gz")]
        index = next(n for n in names if n.endswith("/index.html") and n.count("/") == 1)
        assert "Content-Security-Policy" not in zf.read(index).decode("utf-8")
