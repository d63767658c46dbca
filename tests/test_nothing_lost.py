"""Nothing lost: a build killed mid-way leaves the previous site/ (and archive index) complete and
unchanged, and the next build succeeds."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

from conftest import MKDOCS, ROOT, mkdocs_build, run_env, site_config, tree_hashes


def test_a_killed_build_leaves_the_previous_site(tmp_path: Path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    (root / "mkdocs.yml").write_text(site_config("安澜县政务公开"), encoding="utf-8")
    first = mkdocs_build(root)
    assert first.returncode == 0, first.output
    site, index = root / "site", root / ".cache" / "search-index"
    before, index_before = tree_hashes(site), tree_hashes(index)
    assert "index.html" in before and len(before) > 300

    # An edit, so that a finished build would change the site; then kill the build once it
    # has written pages into its staging directory.
    notice = next((root / "content/units").glob("*/notices/*.md"))
    notice.write_text(notice.read_text(encoding="utf-8") + "\n补充说明：本次构建将被中断。\n", encoding="utf-8")
    staging = root / "site.building"
    proc = subprocess.Popen([MKDOCS, "build", "-f", str(root / "mkdocs.yml")], cwd=root, env=run_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if staging.is_dir() and sum(1 for _ in staging.rglob("*.html")) >= 20:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the build finished before it could be interrupted"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert tree_hashes(site) == before  # complete and unchanged, byte for byte
    assert tree_hashes(index) == index_before

    # The next build clears the leftover staging directory and publishes the edit.
    again = mkdocs_build(root)
    assert again.returncode == 0, again.output
    assert not staging.exists()
    after = tree_hashes(site)
    assert {p for p in before if p.endswith(".html")} <= set(after) and after != before
    assert any("本次构建将被中断" in p.read_text(encoding="utf-8") for p in site.rglob("index.html"))
