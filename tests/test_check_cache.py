"""The check cache never changes a result: cached and uncached checks compared on changed trees.

Seeded random edits of the sample content (values, references copied between files, lines
dropped and inserted, bodies, drafts, files removed and added, vocabularies) are each followed by
a check through the cache and one without; they must agree on every problem, count, category and
allowance. Targeted cases: an edit that breaks another file, a damaged or foreign cache, a change
that keeps a file's size and times, the pre-commit form, a cache that cannot be written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, gongkai_check
from gongkai.model.schema.records import Record
from gongkai.model.assembly import check_cache
from gongkai.check import check_content
from gongkai.model.primitives.frontmatter import Source

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def site(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def outcome(result) -> dict:
    return {"problems": [p.as_dict() for p in result.problems], "counts": result.counts,
            "categories": result.categories, "allowances": result.allowances}


def both(site: Path):
    """(cached result, uncached result) of the site's check as it is now."""
    content, config = site / "content", site / "mkdocs.yml"
    cached = check_content(content, config, site / ".cache" / "check", today=TODAY)
    plain = check_content(content, config, None, today=TODAY)
    return cached, plain


def record_files(site: Path) -> list[Path]:
    return sorted((site / "content" / "units").rglob("*.md"))


def split(text: str) -> tuple[list[str], str]:
    """Front-matter lines and the rest (from the closing ---)."""
    lines = text.split("\n")
    end = lines.index("---", 1) if "---" in lines[1:] else len(lines)
    return lines[1:end], "\n".join(lines[end:])


FIELD = re.compile(r"^(\s*(?:- )?)([A-Za-z_]+): (.+)$")


class Mutator:
    """Random edits an editor (or a careless one) makes, over the whole sample."""

    def __init__(self, site: Path, seed: int):
        self.site, self.random = site, random.Random(seed)
        self.original = {p: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()}
        self.values: dict[str, list[str]] = {}  # every value of each field name, to copy between files
        for path in record_files(site):
            for line in split(path.read_text("utf-8"))[0]:
                match = FIELD.match(line)
                if match:
                    self.values.setdefault(match[2], []).append(match[3])

    def edit(self) -> str:
        files = record_files(self.site)
        path = self.random.choice(files)
        text = path.read_text("utf-8")
        front, rest = split(text)
        how = self.random.choice(["value", "value", "value", "copy", "copy", "drop", "shift", "body", "body",
                                  "draft", "remove", "add", "revert", "vocab"])
        fields = [i for i, line in enumerate(front) if FIELD.match(line)]
        if how in ("value", "copy", "drop") and fields:
            i = self.random.choice(fields)
            indent, name, value = FIELD.match(front[i]).groups()
            if how == "drop":
                del front[i]
            elif how == "copy":
                front[i] = f"{indent}{name}: {self.random.choice(self.values[name])}"
            else:
                front[i] = f"{indent}{name}: {self._changed(value)}"
        elif how == "shift":
            front.insert(self.random.randrange(len(front) + 1), "# 编辑备注")
        elif how == "body":
            rest += self.random.choice(["\n补充说明一句。\n", "\n见[附件](files/不存在.pdf)。\n", "\n<b>加粗</b>\n",
                                        "\n见[上级文件](../../../../index.md)。\n", "\n联系电话：13912345678\n",
                                        "\n```procedure\ntemplate: 不存在的模板\n```\n"])
        elif how == "draft":
            front.append("draft: true")
        elif how == "remove":
            path.unlink()
            return f"remove {path.name}"
        elif how == "add":
            copy = path.with_name(f"copy-{self.random.randrange(1000)}.md")
            copy.write_text(text, "utf-8")
            return f"add {copy.name}"
        elif how == "revert":
            original = self.random.choice([p for p in self.original if p.suffix == ".md" and "units" in p.parts])
            original.write_bytes(self.original[original])
            return f"revert {original.name}"
        elif how == "vocab":
            vocab = self.site / "content" / "_vocab" / "unit-types.yml"
            vocab.write_text(vocab.read_text("utf-8") + "- 新增类型\n", "utf-8")
            return "vocab"
        path.write_text("---\n" + "\n".join(front) + "\n" + rest, "utf-8")
        return f"{how} {path.name}"

    def _changed(self, value: str) -> str:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value) + dt.timedelta(days=self.random.choice([-400, -30, 1, 200]))
            return day.isoformat()
        if value.isdigit():
            return str(int(value) + self.random.choice([-1, 1, 100]))
        if value in ("true", "false"):
            return "false" if value == "true" else "true"
        return self.random.choice([value + "改", value[:-1], "13812345678", "某某", value.upper()])


@pytest.mark.parametrize("seed", [1, 2])
def test_cached_equals_uncached_over_random_edits(site, seed):
    mutator = Mutator(site, seed)
    both(site)  # the cache filled
    modes = []
    for step in range(35):
        what = mutator.edit()
        cached, plain = both(site)
        assert outcome(cached) == outcome(plain), f"step {step}: {what}"
        modes.append(cached.cache)
    # Both ways were taken: an edit assembly does not see is served from the cache, one it does
    # (or a new file, a vocabulary) checks everything.
    assert modes.count("reused") >= 5, modes
    assert modes.count("full") >= 5, modes


def test_an_edit_that_breaks_another_file_is_found(site):
    """A power item's code changed: the guide that names it now points nowhere, and that problem
    (on the unchanged guide) is in the cached result."""
    both(site)
    guides = [p for p in record_files(site) if p.parent.name == "guides" and "\npower: " in p.read_text("utf-8")]
    guide = guides[0]
    code = re.search(r"^power: (.+)$", guide.read_text("utf-8"), re.M)[1].strip()
    power = next(p for p in record_files(site) if p.parent.name == "powers" and f"code: {code}\n" in p.read_text("utf-8"))
    power.write_text(power.read_text("utf-8").replace(f"code: {code}\n", f"code: {code}-X\n"), "utf-8")
    cached, plain = both(site)
    assert cached.cache == "full"  # the code is read by the cross-file rules
    assert outcome(cached) == outcome(plain)
    shown = guide.relative_to(site).as_posix()
    assert any(p.path == shown and f"unknown power item '{code}'" in p.message for p in cached.problems)


def test_an_edit_assembly_does_not_read_is_served_from_the_cache(site):
    both(site)
    power = next(p for p in record_files(site) if p.parent.name == "powers")
    power.write_text(power.read_text("utf-8") + "\n补充说明一句，联系电话：13912345678。\n", "utf-8")
    cached, plain = both(site)
    assert (cached.cache, cached.examined) == ("reused", 1)
    assert outcome(cached) == outcome(plain)
    # The per-file finding of the changed file is new: an unmasked mobile number in its body.
    assert any(p.path.endswith(power.name) and p.severity.value == "error" for p in cached.problems)


def test_what_the_report_counts_is_read_as_assembly_reads(site):
    """The categories reported are counted from what the cross-file stage reads: an item's
    category changed where no rule reads it (no disclosure body) still moves the counts."""
    for guides in (site / "content" / "units").glob("*/disclosure-guides"):
        shutil.rmtree(guides)
    both(site)
    item = site / "content/units/county/powers/QR-001.md"
    item.write_text(re.sub(r"^category: .+$", "category: 行政许可", item.read_text("utf-8"), count=1, flags=re.M),
                    "utf-8")
    cached, plain = both(site)
    assert outcome(cached) == outcome(plain)


def test_the_same_folder_under_another_name(site):
    """Messages name files by the folder as given: content reached through a link is checked anew."""
    check_content(site / "content", None, site / ".cache" / "check", today=TODAY)
    (site / "other").symlink_to(site / "content", target_is_directory=True)
    cached = check_content(site / "other", None, site / ".cache" / "check", today=TODAY)
    plain = check_content(site / "other", None, None, today=TODAY)
    assert outcome(cached) == outcome(plain)
    assert any(p.path.startswith("other/") for p in cached.problems)


def test_a_vocabulary_saved_during_a_check_is_judged_again(site, monkeypatch):
    """A settings file saved while a check runs (after the cache hashed it, before it was read):
    the next check does not trust the findings made from it."""
    from gongkai import check

    both(site)
    vocab = site / "content/_vocab/unit-types.yml"
    real = check.prepare

    def saved_meanwhile(*args, **kwargs):
        vocab.write_text(vocab.read_text("utf-8").replace("- 网格\n", ""), "utf-8")
        monkeypatch.setattr(check, "prepare", real)
        return real(*args, **kwargs)

    monkeypatch.setattr(check, "prepare", saved_meanwhile)
    check_content(site / "content", site / "mkdocs.yml", site / ".cache" / "check", today=TODAY)
    cached, plain = both(site)
    assert cached.cache == "full"
    assert outcome(cached) == outcome(plain)
    assert any("'网格' is not a unit type" in p.message for p in plain.problems)


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty", "shape"])
def test_a_damaged_cache_is_ignored(site, damage):
    both(site)
    [file] = (site / ".cache" / "check").glob("check-*.bin")
    raw = bytearray(file.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0x40
    elif damage == "truncate":
        raw = raw[: len(raw) // 3]
    elif damage == "garbage":
        raw = bytearray(os.urandom(4000))
    elif damage == "empty":
        raw = bytearray()
    else:  # a well-sealed file of the wrong shape: never trusted either
        import hashlib
        import marshal
        payload = marshal.dumps({"format": check_cache.FORMAT, "files": "x"})
        raw = bytearray(check_cache.MAGIC + hashlib.blake2b(payload, digest_size=32).digest() + payload)
    file.write_bytes(bytes(raw))
    cached, plain = both(site)
    assert cached.cache == "full"
    assert outcome(cached) == outcome(plain)
    if damage != "empty":
        assert "damaged" in cached.note
    assert both(site)[0].cache == "reused"  # written anew


def test_another_version_of_the_code_checks_everything(site, monkeypatch):
    both(site)
    monkeypatch.setattr(check_cache, "code_fingerprint", lambda: b"another version")
    assert both(site)[0].cache == "full"


def test_a_change_that_keeps_size_and_times_is_seen(site):
    """Same size, mtime set back: the ctime (which no tool sets) and the hash give it away."""
    both(site)
    power = next(p for p in record_files(site) if p.parent.name == "powers")
    text = power.read_text("utf-8")
    code = re.search(r"^code: (.+)$", text, re.M)[1]
    other = code[:-1] + ("1" if code[-1] != "1" else "2")  # same length
    stat = power.stat()
    power.write_text(text.replace(f"code: {code}", f"code: {other}"), "utf-8")
    os.utime(power, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    cached, plain = both(site)
    assert cached.cache == "full"
    assert outcome(cached) == outcome(plain)


def test_a_file_changed_just_before_a_check_is_hashed_again(site):
    """Files changed within the last seconds are not known by their stat next time (their times
    might not move at a second change in the same tick)."""
    cache = check_cache.CheckCache(site / ".cache", site / "content")
    power = next(p for p in record_files(site) if p.parent.name == "powers")
    power.write_text(power.read_text("utf-8") + "\n", "utf-8")
    rel = power.relative_to(site / "content").as_posix()
    cache.content_hash(rel)
    assert rel not in cache._stats
    old = power.stat().st_mtime_ns - 10 * check_cache.RACY_NS
    os.utime(power, ns=(old, old))  # the ctime stays new: still not recorded
    fresh = check_cache.CheckCache(site / ".cache", site / "content")
    fresh.content_hash(rel)
    assert rel not in fresh._stats


def test_recording_leaves_the_classes_as_they_were():
    from gongkai.model.assembly import reads

    with pytest.raises(ZeroDivisionError):
        with reads.recording([]):
            assert "__getattribute__" in Record.__dict__
            1 / 0
    assert "__getattribute__" not in Record.__dict__ and "__setattr__" not in Record.__dict__
    assert "__getattribute__" not in Source.__dict__


def test_precommit_form_uses_the_cache(site):
    """`gongkai check FILE`, as the pre-commit hook runs it: the changed file examined, the rest
    as checked before, the same output as without the cache."""
    assert gongkai_check(site).returncode in (0, 1)
    power = next(p for p in record_files(site) if p.parent.name == "powers")
    power.write_text(power.read_text("utf-8") + "\n补充说明。\n", "utf-8")
    rel = power.relative_to(site).as_posix()
    cached = gongkai_check(site, rel)
    plain = gongkai_check(site, "--no-cache", rel)
    assert "Traceback" not in cached.output
    assert "examined 1 changed file(s)" in cached.stderr
    assert cached.stdout == plain.stdout and cached.returncode == plain.returncode
    json_cached = json.loads(gongkai_check(site, "--format", "json").stdout)
    json_plain = json.loads(gongkai_check(site, "--format", "json", "--no-cache").stdout)
    assert json_cached.pop("cache")["used"] == "reused" and json_plain.pop("cache")["used"] == "off"
    assert json_cached == json_plain


def test_a_cache_that_cannot_be_written_is_no_error(site):
    (site / ".cache").write_text("not a folder")  # .cache/check cannot be made
    first = gongkai_check(site)
    again = gongkai_check(site, "--no-cache")
    assert "Traceback" not in first.output
    assert (first.stdout, first.returncode) == (again.stdout, again.returncode)
