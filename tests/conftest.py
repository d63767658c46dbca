"""Shared fixtures: a small valid site written by the tests, the sample site built once, a server.

Everything runs the real parts: `gongkai check` and `mkdocs build` as subprocesses of the
project's virtual environment, the sample content of content/, Debian's Chromium.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GONGKAI = str(BIN / "gongkai")
MKDOCS = str(BIN / "mkdocs")
THEME_DIR = ROOT / "themes" / "gongkai"
CHROMIUM = "/usr/bin/chromium"

# 2026-11-21 00:00:00 UTC: the build date of every test build.
BUILD_EPOCH = "1795219200"


def run_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=BUILD_EPOCH, PYTHONIOENCODING="utf-8",
               LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.update(extra)
    return env


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def free_port() -> int:
    """A port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], cwd: Path, timeout: int = 300) -> Run:
    proc = subprocess.run(cmd, cwd=cwd, env=run_env(), capture_output=True, timeout=timeout)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def gongkai_check(site: Path, *args: str) -> Run:
    return run([GONGKAI, "check", "--content", "content", *args], cwd=site)


def mkdocs_build(site: Path, *args: str) -> Run:
    return run([MKDOCS, "build", "-f", str(site / "mkdocs.yml"), *args], cwd=site)


def tree_hashes(directory: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under directory."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*")) if path.is_file()
    }


# --- the small valid site the bad-input tests break --------------------------------------------

def site_config(site_name: str = "测试县政务公开") -> str:
    """The project's mkdocs.yml, pointed at a content/ beside it and at the project's theme."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = site_name
    config["docs_dir"] = "content"
    config["site_dir"] = "site"
    config["theme"]["custom_dir"] = str(THEME_DIR)
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


# Line numbers matter: the bad-input tests assert exact positions in these files.
SMALL_SITE: dict[str, str] = {
    "content/index.md": "测试县政务公开网站。\n",
    "content/_vocab/unit-types.yml": "- 县人民政府\n- 县直部门\n",
    "content/units/county/unit.md": """\
---
name: 测试县人民政府
short_name: 县政府
type: 县人民政府
code: "TESTCOUNTY000001"
order: 1
---
测试县人民政府简介。
""",
    "content/units/zrj/unit.md": """\
---
name: 测试县自然资源局
short_name: 县自然资源局
type: 县直部门
code: "TESTZRJ000000001"
parents: [county]
order: 10
internal_units:
  - name: 办公室
  - name: 规划股
address: 测试县人民路1号
phone: 0000-1234567
---
""",
    "content/units/zrj/powers/XK-001.md": """\
---
code: ZRJ-XK-001
name: 建设工程规划许可证核发
category: 行政许可
basis:
  - law: 中华人民共和国城乡规划法
    article: 第四十条
    level: 法律
handled_by: 规划股
statutory_limit: 20
promised_limit: 10
---
可在网上办理。
""",
    "content/units/zrj/powers/CF-001.md": """\
---
code: ZRJ-CF-001
name: 对未取得建设工程规划许可证进行建设的处罚
category: 行政处罚
basis:
  - law: 《中华人民共和国城乡规划法》
    article: 第六十四条
---
""",
    "content/units/zrj/powers/JC-001.md": """\
---
code: ZRJ-JC-001
name: 对土地使用情况的监督检查
category: 行政检查
basis:
  - law: 中华人民共和国土地管理法
---
""",
    "content/units/county/powers/QR-001.md": """\
---
code: XZF-QR-001
name: 行政区域界线争议的确认
category: 行政确认
basis:
  - law: 行政区域界线管理条例
    level: 行政法规
---
""",
    "content/units/zrj/guides/xk-001.md": """\
---
title: 建设工程规划许可证核发办事指南
power: ZRJ-XK-001
materials: [建设工程规划许可申请表]
promised_limit: 10
---
""",
    "content/units/zrj/documents/2021-gz.md": """\
---
title: 测试县自然资源局关于规范用地审批的通知
doc_no: 测自然资发〔2021〕3号
topic: 国土资源
published: 2021-05-20
---
各股室：现将有关事项通知如下。
""",
    "content/units/zrj/notices/2026-gs.md": """\
---
title: 关于测试项目规划许可的公示
kind: 公示
start: 2026-11-15
period_days: 7
---
公示内容。
""",
    "content/units/county/annual-reports/2025.md": """\
---
year: 2025
published: 2026-03-20
proactive: {licensing: 3, penalties: 1, coercion: 0, fees: 0.5}
applications:
  new: [4, 1, 0, 0, 0, 0, 5]
  carried_over: [1, 0, 0, 0, 0, 0, 1]
  granted: [2, 1, 0, 0, 0, 0, 3]
  partly_granted: [1, 0, 0, 0, 0, 0, 1]
  refused: {state_secret: [0, 0, 0, 0, 0, 0, 0], prohibited: [0, 0, 0, 0, 0, 0, 0],
            three_safeties: [0, 0, 0, 0, 0, 0, 0], third_party: [1, 0, 0, 0, 0, 0, 1],
            internal_affairs: [0, 0, 0, 0, 0, 0, 0], process_information: [0, 0, 0, 0, 0, 0, 0],
            enforcement_files: [0, 0, 0, 0, 0, 0, 0], inquiry: [0, 0, 0, 0, 0, 0, 0]}
  unavailable: {not_held: [1, 0, 0, 0, 0, 0, 1], needs_making: [0, 0, 0, 0, 0, 0, 0],
                still_unclear: [0, 0, 0, 0, 0, 0, 0]}
  not_processed: {petitions: [0, 0, 0, 0, 0, 0, 0], repeated: [0, 0, 0, 0, 0, 0, 0],
                  publications: [0, 0, 0, 0, 0, 0, 0], excessive: [0, 0, 0, 0, 0, 0, 0],
                  confirmation: [0, 0, 0, 0, 0, 0, 0]}
  other: {no_correction: [0, 0, 0, 0, 0, 0, 0], fee_unpaid: [0, 0, 0, 0, 0, 0, 0],
          others: [0, 0, 0, 0, 0, 0, 0]}
  total: [5, 1, 0, 0, 0, 0, 6]
  carried_forward: [0, 0, 0, 0, 0, 0, 0]
reviews: {review: [0, 0, 0, 0, 0], direct_suit: [0, 0, 0, 0, 0], suit_after_review: [0, 0, 0, 0, 0]}
improvements: 测试县政务公开改进情况。
---
测试县2025年政府信息公开总体情况。
""",
}


def write_site(root: Path, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(site_config(), encoding="utf-8")
    for rel, text in (SMALL_SITE if files is None else files).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def commit_site(root: Path, date: str = "2026-11-01") -> None:
    """Put a site under git, in one commit dated `date`: its pages are dated by their commits, as a
    county's are. (Outside git, `gongkai check` reports the pages that would show no date.)"""
    when = f"{date}T09:00:00+08:00"
    env = run_env(GIT_AUTHOR_NAME="测试编辑", GIT_AUTHOR_EMAIL="editor@example.invalid", GIT_COMMITTER_NAME="测试编辑",
                  GIT_COMMITTER_EMAIL="editor@example.invalid", GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "site"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture(scope="session")
def built_small_site(tmp_path_factory) -> Path:
    """The small site, checked and built once: a template to copy (never modified by tests)."""
    root = write_site(tmp_path_factory.mktemp("small") / "site-root")
    result = mkdocs_build(root)
    if result.returncode != 0 or not (root / "site" / "index.html").is_file():
        pytest.fail(f"the small valid site does not build:\n{result.output}")
    return root


@pytest.fixture
def small_site(tmp_path, built_small_site) -> Path:
    """A private copy of the small site with a good site/ already built in it."""
    root = tmp_path / "site-root"
    shutil.copytree(built_small_site, root, symlinks=True)
    return root


@pytest.fixture
def fresh_site(tmp_path) -> Path:
    """The small site's content and mkdocs.yml, not built."""
    return write_site(tmp_path / "site-root")


# --- the sample site of content/, built once per session (per xdist worker) ---------------------

@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run([MKDOCS, "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)], cwd=ROOT, timeout=600)
    if result.returncode != 0 or not (out / "index.html").is_file():
        pytest.fail(f"the sample site does not build:\n{result.output[-6000:]}")
    return out


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """The sample site exported once by `gongkai export` (the offline bundle, a zip)."""
    target = tmp_path_factory.mktemp("export") / "anlan.zip"
    result = run([GONGKAI, "export", "-o", str(target), "--config", str(ROOT / "mkdocs.yml")],
                 cwd=target.parent, timeout=600)
    if result.returncode != 0 or not target.is_file():
        pytest.fail(f"the sample site does not export:\n{result.output[-6000:]}")
    return target


@pytest.fixture(scope="session")
def catalog():
    """The sample content's Catalog as of 2026-11-21 (the date its expectations were written for);
    a module that needs another day defines its own."""
    from gongkai.model import load_catalog

    catalog, _ = load_catalog(ROOT / "content", today=datetime.date(2026, 11, 21))
    return catalog


@pytest.fixture(scope="session")
def offline_root(bundle, tmp_path_factory) -> Path:
    """The offline bundle unzipped, to be opened over file:// as a reader would."""
    root = tmp_path_factory.mktemp("offline") / "安澜县政务公开"  # a folder name as people unzip to
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root)
    return root


# One page of each kind the sample site has: home, lists, records of every kind (a repealed
# document too), the sections' pages, search, the sitemap and 404. The browser suites (reflow,
# axe, the 适老化 controls) walk these.
PAGE_KINDS = [
    "", "units/", "units/scjgj/", "powers/", "powers/changes/", "units/scjgj/powers/SCJG-CF-002/",
    "guides/", "units/scjgj/guides/shipin-jingying-xuke/", "documents/", "documents/2026/",
    "documents/repealed/", "units/scjgj/documents/2026/2026-spaq-jc/", "units/county/documents/2019/2019-gfxwj-gl/",
    "notices/", "units/scjgj/notices/2026-xzcf-gg/", "search/", "sitemap/",
    "disclosure/", "units/county/disclosure-guides/guide/", "disclosure/columns/county/",
    "disclosure/columns/county/regulations/", "disclosure/catalog/", "disclosure/catalog/topics/2/",
    "disclosure/catalog/years/2025/", "disclosure/reports/", "units/county/annual-reports/2025/",
    "enforcement/", "units/scjgj/decisions/", "units/scjgj/decisions/2026/2026-cf-002/",
    "units/fgw/decisions/2026/2026-cf-004/", "units/scjgj/officers/", "404.html",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def sample_server(sample_site):
    """The built sample site over HTTP on 127.0.0.1, an ephemeral port."""
    handler = functools.partial(_QuietHandler, directory=str(sample_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- Debian's Chromium through Playwright (never a browser downloaded by a test tool) -----------

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Chromium, and Playwright's driver, fresh for each test module: a driver and browser kept for
    the whole suite grow with every page the axe and reflow sweeps load, and a worker of the full
    suite was taken down that way, where every module alone passed."""
    sync_api = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: apt-get install chromium"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_for(page, expression: str, arg=None, timeout: float = 15.0):
    """page.wait_for_function without eval: Playwright's polls by evaluating a string in the page,
    which the pages' Content-Security-Policy (no 'unsafe-eval') refuses. This polls evaluate()."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg) if arg is not None else page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {expression}")
        time.sleep(0.05)


class BrowserSession:
    """A browser context that blocks and records requests to other hosts, and page errors."""

    def __init__(self, browser, base: str, javascript: bool = True, width: int = 1280):
        self.base = base
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(java_script_enabled=javascript, locale="zh-CN", service_workers="block",
                                           viewport={"width": width, "height": 800})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        # What the page's Content-Security-Policy (its <meta>, or serve's header) refused: Chromium
        # says so on the console. The site's own pages must run whole under their policy.
        self.refused: list[str] = []
        self.page.on("console", lambda msg: self.refused.append(msg.text)
                     if "Content Security Policy" in msg.text else None)

    def _route(self, route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob", "about", "file"):  # file: the offline bundle, local
            return route.continue_()
        if parts.hostname != "127.0.0.1":
            self.foreign.append(route.request.url)
            return route.abort()
        return route.continue_()

    def goto(self, rel: str):
        response = self.page.goto(f"{self.base}/{rel}", wait_until="load")
        assert response is not None and response.ok, rel
        return self.page

    def close(self):
        self.context.close()

    @classmethod
    @contextlib.contextmanager
    def clean(cls, *args, **kwargs):
        """A session that, once closed, asserts no request left the machine and no script failed."""
        session = cls(*args, **kwargs)
        try:
            yield session
        finally:
            session.close()
        assert session.foreign == [], f"requests to other hosts: {session.foreign}"
        assert session.errors == [], f"JavaScript errors: {session.errors}"
        assert session.refused == [], f"refused by the page's policy: {session.refused}"
