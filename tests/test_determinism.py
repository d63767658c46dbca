"""Same content, same SOURCE_DATE_EPOCH: the same bytes (DESIGN principle 3)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from conftest import MKDOCS, ROOT, run, tree_hashes


def test_two_builds_are_identical(sample_site: Path, tmp_path: Path):
    second = tmp_path / "site"
    result = run([MKDOCS, "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(second)], cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.output[-4000:]
    first_hashes, second_hashes = tree_hashes(sample_site), tree_hashes(second)
    assert set(first_hashes) == set(second_hashes)
    items = [p for p in first_hashes if re.match(r"^units/[^/]+/powers/[^/]+/index\.html$", p)]
    assert items
    differing = sorted(p for p in first_hashes if first_hashes[p] != second_hashes[p])
    assert [p for p in differing if p in items] == []
    # The sitemap may differ only where it carries dates; with SOURCE_DATE_EPOCH it should not.
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        if name in differing:
            read = gzip.decompress if name.endswith(".gz") else (lambda b: b)
            strip = lambda b: re.sub(rb"<lastmod>[^<]*</lastmod>", b"", read(b))  # noqa: E731
            assert strip((sample_site / name).read_bytes()) == strip((second / name).read_bytes())
            differing.remove(name)
    assert differing == []


def test_sitemap_dates_follow_source_date_epoch(sample_site: Path):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    dates = set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap))
    assert dates <= {"2026-11-21"}
