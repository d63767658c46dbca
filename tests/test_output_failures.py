"""Outputs that cannot be written: a full disk, a read-only folder, a damaged archive index.

Every failure is one line for the operator, never a traceback, and the previous site/ and archive
index stay as they were. Real builds on small tmpfs mounts (root in the test container; skipped
where mounting is not permitted). The export zip's own cases are in test_export.py.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import GONGKAI, mkdocs_build, run, tree_hashes


def mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")


@pytest.fixture
def mounts():
    made: list[Path] = []
    yield made
    for where in reversed(made):
        subprocess.run(["umount", str(where)], check=False)


def read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def change_content(site: Path) -> None:
    """A change that needs a new site and a new archive index."""
    notice = site / "content" / "units" / "zrj" / "notices" / "2026-gs.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("公示内容。", "公示内容已更新。"), encoding="utf-8")


def site_in(site: Path, out: Path) -> None:
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_dir"] = str(out / "site")
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def one_line_failure(result) -> str:
    assert result.returncode == 1, result.output[-3000:]
    assert "Traceback" not in result.output, result.output[-3000:]
    errors = [line for line in result.output.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, result.output[-3000:]
    return errors[0]


def test_a_read_only_output_folder(fresh_site, mounts):
    out = fresh_site / "out"
    mount_tmpfs(out, "20m")
    mounts.append(out)
    site_in(fresh_site, out)
    assert mkdocs_build(fresh_site).returncode == 0
    before = tree_hashes(out / "site")
    read_only(out)
    change_content(fresh_site)
    line = one_line_failure(mkdocs_build(fresh_site))
    assert "Read-only file system" in line and "site/ was left as it was" in line
    assert tree_hashes(out / "site") == before


def test_a_full_output_disk(fresh_site, mounts):
    """The first site fits (~3 MB of 5), the second beside it does not: ENOSPC mid-build."""
    out = fresh_site / "out"
    mount_tmpfs(out, "5m")
    mounts.append(out)
    site_in(fresh_site, out)
    assert mkdocs_build(fresh_site).returncode == 0
    before = tree_hashes(out / "site")
    change_content(fresh_site)
    line = one_line_failure(mkdocs_build(fresh_site))
    assert "No space left on device" in line and "site/ was left as it was" in line
    assert tree_hashes(out / "site") == before
    assert sorted(p.name for p in out.iterdir()) == [".site.lock", "site"]  # no staging left behind


@pytest.mark.parametrize("trouble", ["read-only", "full"])
def test_an_archive_index_that_cannot_be_written(fresh_site, mounts, trouble):
    cache = fresh_site / ".cache"
    mount_tmpfs(cache, "1m")
    mounts.append(cache)
    assert mkdocs_build(fresh_site).returncode == 0
    site_before, index_before = tree_hashes(fresh_site / "site"), tree_hashes(cache / "search-index")
    if trouble == "read-only":
        read_only(cache)
    else:  # leave a few kilobytes: the new index does not fit
        subprocess.run(["dd", "if=/dev/zero", f"of={cache / 'filler'}", "bs=4k"], capture_output=True)
        (cache / "filler").write_bytes((cache / "filler").read_bytes()[:-16384])
    change_content(fresh_site)
    line = one_line_failure(mkdocs_build(fresh_site))
    assert "search index" in line and ("Read-only file system" in line or "No space left on device" in line)
    assert "site/ was left as it was" in line
    assert tree_hashes(fresh_site / "site") == site_before
    assert tree_hashes(cache / "search-index") == index_before


# --- a damaged archive index ------------------------------------------------------------------

def damage(index: Path) -> None:
    victim = max((p for p in index.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 3])


def test_search_says_a_damaged_index_is_damaged_in_one_line(small_site):
    damage(small_site / ".cache" / "search-index")
    result = run([GONGKAI, "search", "规划", "--content", "no-content"], cwd=small_site)
    assert result.returncode == 2 and "Traceback" not in result.output
    assert [line for line in result.stderr.splitlines() if "damaged" in line] == [
        line for line in result.stderr.splitlines() if line.startswith("gongkai search: ")]
    assert "damaged" in result.stderr


def test_search_with_the_content_repairs_a_damaged_index(small_site):
    damage(small_site / ".cache" / "search-index")
    result = run([GONGKAI, "search", "规划许可", "--format", "json"], cwd=small_site)
    assert result.returncode == 0 and '"total"' in result.stdout, result.output[-2000:]


def test_the_next_build_rebuilds_a_damaged_index(small_site):
    from gongkai.search.index import index_damage

    index = small_site / ".cache" / "search-index"
    damage(index)
    assert index_damage(index) is not None
    result = mkdocs_build(small_site)
    assert result.returncode == 0 and "archive search index rebuilt" in result.output, result.output[-2000:]
    assert index_damage(index) is None
    result = run([GONGKAI, "search", "规划许可", "--content", "no-content"], cwd=small_site)
    assert result.returncode == 0 and "建设工程规划许可证核发" in result.stdout
