"""The site build makes the archive index, into the directory mkdocs.yml names (outside site/),
and rebuilds it only when the content changed. The browser index is another test's business:
it is switched off here, so that this checks the archive engine alone."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import GONGKAI, mkdocs_build, run, write_site
from gongkai.search.archive import Archive

INDEX = ".cache/search-index"


def archive_only_site(root: Path) -> Path:
    write_site(root)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = []
    for plugin in config["plugins"]:
        name = next(iter(plugin)) if isinstance(plugin, dict) else plugin
        if name == "gongkai/search":
            plugin = {"gongkai/search": {"index_dir": INDEX, "browser": False}}
        plugins.append(plugin)
    assert {"gongkai/search": {"index_dir": INDEX, "browser": False}} in plugins
    config["plugins"] = plugins
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_build_makes_the_index_once_and_again_when_content_changes(tmp_path):
    root = archive_only_site(tmp_path / "site-root")
    index = root / INDEX

    first = mkdocs_build(root)
    assert first.returncode == 0, first.output
    assert "archive search index rebuilt" in first.output
    assert (index / "FINGERPRINT").is_file() and (index / "meta.json").is_file()
    assert not (root / "site" / ".cache").exists() and not list((root / "site").rglob("FINGERPRINT"))
    stamp = (index / "FINGERPRINT").stat()
    files = {p.name: p.stat().st_mtime_ns for p in index.iterdir()}

    second = mkdocs_build(root)  # nothing changed
    assert second.returncode == 0, second.output
    assert "archive search index unchanged" in second.output
    assert {p.name: p.stat().st_mtime_ns for p in index.iterdir()} == files
    assert (index / "FINGERPRINT").stat().st_ino == stamp.st_ino

    notice = root / "content/units/zrj/notices/2026-gs.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("公示内容。", "公示内容：蓝莓种植基地规划。"),
                      encoding="utf-8")
    third = mkdocs_build(root)
    assert third.returncode == 0, third.output
    assert "archive search index rebuilt" in third.output
    assert (index / "FINGERPRINT").read_text() != ""
    archive = Archive(index)
    try:
        assert archive.search("蓝莓")["hits"][0]["url"] == "units/zrj/notices/2026-gs/"
    finally:
        archive.close()

    # the command line searches the index the build made, without rebuilding it
    before = (index / "FINGERPRINT").stat().st_mtime_ns
    result = run([GONGKAI, "search", "蓝莓", "--format", "json", "--index", INDEX], cwd=root)
    assert result.returncode == 0, result.output
    assert '"units/zrj/notices/2026-gs/"' in result.stdout
    assert (index / "FINGERPRINT").stat().st_mtime_ns == before


def test_a_failed_build_leaves_the_index_alone(tmp_path):
    root = archive_only_site(tmp_path / "site-root")
    assert mkdocs_build(root).returncode == 0
    index = root / INDEX
    stamp = (index / "FINGERPRINT").read_text()
    broken = root / "content/units/zrj/powers/XK-001.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("category: 行政许可", "category: 行政许可证"),
                      encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert (index / "FINGERPRINT").read_text() == stamp
