"""`gongkai preview`: the real server over a copy of the sample, edited as an editor edits.

A text edit shows on the next page load without loading everything again; an edit the cross-file
stage reads (a code) loads everything again; a file with errors shows them located, and the page
comes back once fixed; editors' swap files change nothing. Pages after in-place updates are the
pages a preview started afresh on the same content renders.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import GONGKAI, ROOT, free_port, run_env



class Server:
    def __init__(self, site: Path):
        self.port = free_port()
        self.log = site / f"preview-{self.port}.log"
        self.process = subprocess.Popen([GONGKAI, "preview", "--port", str(self.port)], cwd=site, env=run_env(),
                                        stdout=subprocess.DEVNULL, stderr=self.log.open("wb"))
        deadline = time.monotonic() + 120
        while "http://" not in self.stderr():
            assert self.process.poll() is None, self.stderr()
            assert time.monotonic() < deadline, self.stderr()
            time.sleep(0.1)

    def stderr(self) -> str:
        return self.log.read_text("utf-8", "replace") if self.log.exists() else ""

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=60) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def until(self, path: str, test, timeout: float = 20) -> tuple[int, str]:
        """GET path until test(status, body) holds (the save reaches the server through inotify)."""
        deadline = time.monotonic() + timeout
        while True:
            status, body = self.get(path)
            if test(status, body) or time.monotonic() > deadline:
                return status, body
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def site(tmp_path) -> Path:
    for name in ("content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@pytest.fixture
def server(site):
    running = Server(site)
    yield running
    running.stop()


ITEM = "content/units/fgw/powers/QR-001.md"  # named by no other file: its code may change


def edit(site: Path, rel: str, change) -> None:
    path = site / rel
    path.write_text(change(path.read_text("utf-8")), "utf-8")


def page_of(site: Path) -> str:
    code = re.search(r"^code: (.+)$", (site / ITEM).read_text("utf-8"), re.M)[1].strip()
    return f"/units/fgw/powers/{code}/"


def test_a_text_edit_shows_on_the_next_load(site, server):
    status, before = server.get(page_of(site))
    assert status == 200
    name = re.search(r"^name: (.+)$", (site / ITEM).read_text("utf-8"), re.M)[1].strip()
    assert name in before
    edit(site, ITEM, lambda t: t.replace(f"name: {name}", f"name: {name}（修订稿）") + "\n新增一段说明文字。\n")
    status, after = server.until(page_of(site), lambda s, b: "新增一段说明文字" in b)
    assert status == 200 and f"{name}（修订稿）" in after and "新增一段说明文字" in after
    assert "updated" in server.stderr() and "reloaded" not in server.stderr()
    # The unit's page lists the item under its new name too.
    assert f"{name}（修订稿）" in server.get("/units/fgw/")[1]


def test_an_edit_assembly_reads_loads_everything(site, server):
    old = page_of(site)
    edit(site, ITEM, lambda t: re.sub(r"^code: (.+)$", r"code: \1-9", t, count=1, flags=re.M))
    status, _ = server.until(page_of(site), lambda s, b: s == 200)
    assert status == 200
    assert "reloaded" in server.stderr()
    assert server.get(old)[0] == 404


def test_errors_are_shown_until_fixed(site, server):
    original = (site / ITEM).read_text("utf-8")
    edit(site, ITEM, lambda t: re.sub(r"^category: .+$", "category: 不存在的类别", t, count=1, flags=re.M))
    status, body = server.until("/", lambda s, b: s == 500)
    assert status == 500
    assert re.search(r"content/units/fgw/powers/QR-001\.md:\d+:\d+: error: category: ", body), body
    (site / ITEM).write_text(original, "utf-8")
    status, body = server.until(page_of(site), lambda s, b: s == 200)
    assert status == 200


def test_what_the_gate_refuses_is_not_shown(site, server):
    """An ID number the source scan cannot read (a character reference) and a secrecy marking split
    by a zero-width space: a build's gate refuses them, so does the preview, as it serves the page."""
    edit(site, ITEM, lambda t: t + "\n联系人身份证号：110105&#49;9491231002X\n\n机\u200b密★10年\n")
    status, body = server.until(page_of(site), lambda s, b: s != 200 or "1231002X" in b)
    assert status == 500, body
    assert "reaches" in body and "11010519491231002X" not in body


def test_a_link_made_while_running_is_reported(site, server):
    server.get(page_of(site))
    (site / "content/units/fgw/powers/XK-009.md").symlink_to("QR-001.md")
    status, body = server.until("/", lambda s, b: s == 500)
    assert status == 500 and "symbolic link" in body
    assert "reloaded" in server.stderr()


def test_swap_files_change_nothing(site, server):
    server.get(page_of(site))
    for read in (site / ITEM, site / "content/index.md"):  # readers (an editor, git status), not changes
        subprocess.run(["cat", str(read)], stdout=subprocess.DEVNULL, check=True)
    time.sleep(1)
    assert server.get(page_of(site))[0] == 200
    swap = site / "content/units/fgw/powers/.QR-001.md.swp"
    backup = site / "content/units/fgw/powers/4913"
    swap.write_bytes(b"\x00vim swap")
    backup.write_text("x")
    backup.unlink()
    time.sleep(1)
    assert server.get(page_of(site))[0] == 200
    swap.unlink()
    time.sleep(1)
    assert server.get("/")[0] == 200
    assert "reloaded" not in server.stderr() and "updated" not in server.stderr()


def test_pages_after_updates_are_those_of_a_fresh_start(site, server):
    name = re.search(r"^name: (.+)$", (site / ITEM).read_text("utf-8"), re.M)[1].strip()
    server.get(page_of(site))
    for n in range(3):
        edit(site, ITEM, lambda t: t.replace(name, f"{name}{n}", 1) + f"\n第{n}次补充。\n")
        server.until(page_of(site), lambda s, b, n=n: f"第{n}次补充" in b)
    assert "reloaded" not in server.stderr()
    fresh = Server(site)
    try:
        for path in (page_of(site), "/units/fgw/", "/powers/", "/"):
            assert server.get(path) == fresh.get(path), path
    finally:
        fresh.stop()


def test_static_files_and_missing_pages(site, server):
    status, body = server.get("/units/fgw")
    assert status == 200  # redirected to the folder's page
    assert server.get("/no/such/page/")[0] == 404
    assert server.get("/../../../etc/passwd")[0] == 404
    status, css = server.get("/assets/stylesheets/gongkai.css")  # a theme file, copied as a build does
    assert status == 200 and "{" in css
