"""`gongkai new` and the 待填写 rule; `gongkai check FILE…` as pre-commit runs it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import GONGKAI, ROOT, commit_site, gongkai_check, mkdocs_build, run, tree_hashes
from gongkai.model.schema import PowerItem


def new(site: Path, *args: str):
    return run([GONGKAI, "new", *args], cwd=site)


def placeholder_lines(path: Path) -> list[int]:
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "待填写" in line]


def test_new_power_has_every_field_and_a_fresh_code(small_site):
    result = new(small_site, "power", "--unit", "zrj", "--category", "行政许可", "--name", "乡村建设规划许可证核发")
    assert result.returncode == 0, result.output
    path = small_site / "content/units/zrj/powers/XK-002.md"
    assert result.stdout.strip() == "content/units/zrj/powers/XK-002.md"
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert data["code"] == "ZRJ-XK-002"  # ZRJ-XK-001 is taken
    assert data["name"] == "乡村建设规划许可证核发" and data["category"] == "行政许可"
    assert set(data) == set(PowerItem.model_fields) - {"draft", "allow"}
    # A second one takes the next code; the first file is never overwritten.
    again = new(small_site, "power", "--unit", "zrj", "--category", "行政许可")
    assert again.stdout.strip() == "content/units/zrj/powers/XK-003.md"
    assert "ZRJ-XK-002" in path.read_text(encoding="utf-8")


def test_check_names_every_field_to_fill_and_the_build_refuses(small_site):
    commit_site(small_site)  # every page dated: only the placeholders are reported
    new(small_site, "power", "--unit", "zrj", "--category", "行政处罚")
    path = small_site / "content/units/zrj/powers/CF-002.md"
    before = tree_hashes(small_site / "site")
    check = gongkai_check(small_site)
    assert check.returncode == 1
    errors = [line for line in check.stdout.splitlines() if line.startswith("content/units/zrj/powers/CF-002.md:")]
    assert sorted(int(e.split(":")[1]) for e in errors) == placeholder_lines(path)
    assert all("error:" in e and "still to fill in" in e for e in errors)
    assert any(e.split(": ", 3)[2].startswith("promised_limit") and "(承诺时限)" in e for e in errors)
    # Nothing but the placeholders is reported: no schema echo of the same fields.
    assert len(errors) == len(check.stdout.splitlines())
    build = mkdocs_build(small_site)
    assert build.returncode != 0 and "still to fill in" in build.output
    assert tree_hashes(small_site / "site") == before


def test_unfinished_draft_can_be_committed(small_site):
    new(small_site, "power", "--unit", "zrj", "--category", "行政确认")
    path = small_site / "content/units/zrj/powers/QR-001.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    check = gongkai_check(small_site, "content/units/zrj/powers/QR-001.md")
    assert check.returncode == 0, check.output
    lines = check.stdout.splitlines()
    assert lines and all(": warning: " in line and "still to fill in" in line for line in lines)
    assert len(lines) == len(placeholder_lines(path))
    build = mkdocs_build(small_site)
    assert build.returncode == 0, build.output
    assert not (small_site / "site/units/zrj/powers/ZRJ-QR-001").exists()


def test_filled_in_item_passes(small_site):
    new(small_site, "power", "--unit", "zrj", "--category", "行政检查", "--name", "对矿产资源开采的监督检查")
    path = small_site / "content/units/zrj/powers/JC-002.md"
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    filled = {k: v for k, v in data.items() if "待填写" not in yaml.safe_dump(v, allow_unicode=True)}
    filled["basis"] = [{"law": "中华人民共和国矿产资源法", "article": "第十九条", "level": "法律", "kind": "设定依据"}]
    filled["promised_limit"] = 5
    path.write_text("---\n" + yaml.safe_dump(filled, allow_unicode=True, sort_keys=False) + "---\n", encoding="utf-8")
    check = gongkai_check(small_site)
    assert check.returncode == 0, check.output
    build = mkdocs_build(small_site)
    assert build.returncode == 0, build.output
    assert "对矿产资源开采的监督检查" in (small_site / "site/units/zrj/powers/ZRJ-JC-002/index.html").read_text(
        encoding="utf-8")


def test_new_guide_document_notice(small_site):
    for kind, folder in (("guide", "guides"), ("document", "documents"), ("notice", "notices")):
        result = new(small_site, kind, "--unit", "zrj", "--name", f"新的{kind}")
        assert result.returncode == 0, result.output
        path = small_site / result.stdout.strip()
        assert path.parent == small_site / "content/units/zrj" / folder and path.is_file()
        check = gongkai_check(small_site, str(path.relative_to(small_site)))
        assert check.returncode == 1
        lines = [line for line in check.stdout.splitlines() if line]
        assert lines and all(line.startswith(str(path.relative_to(small_site))) for line in lines)
        assert sorted(int(line.split(":")[1]) for line in lines) == placeholder_lines(path)


def test_new_bad_unit_and_category(small_site):
    result = new(small_site, "power", "--unit", "zrjj", "--category", "行政许可")
    assert result.returncode == 2 and "no unit 'zrjj'" in result.stderr and "did you mean zrj?" in result.stderr
    result = new(small_site, "power", "--unit", "zrj", "--category", "行政许可证")
    assert result.returncode == 2 and "'行政许可证' is not a power category" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (small_site / "content/units/zrj/powers").iterdir()) == [
        "CF-001.md", "JC-001.md", "XK-001.md"]


def test_check_of_changed_files_still_sees_cross_file_rules(small_site):
    commit_site(small_site)  # in git, as a county's content is: every page is dated
    dup = small_site / "content/units/zrj/powers/XK-009.md"
    text = (small_site / "content/units/zrj/powers/XK-001.md").read_text(encoding="utf-8")
    dup.write_text(text.replace("建设工程规划许可证核发", "建设工程规划许可证变更"), encoding="utf-8")
    only_new = gongkai_check(small_site, "content/units/zrj/powers/XK-009.md")
    assert only_new.returncode == 1
    assert re.search(r"^content/units/zrj/powers/XK-009\.md:\d+:\d+: error: code: duplicate code 'ZRJ-XK-001'",
                     only_new.stdout, re.M), only_new.output
    assert "XK-001.md:" not in only_new.stdout.replace("first used in content/units/zrj/powers/XK-001.md", "")
    # Files with no problem of their own show none, yet the duplicate elsewhere fails the check;
    # with it gone they pass, and files outside content/ are ignored.
    other = gongkai_check(small_site, "content/units/zrj/powers/CF-001.md", "README.md")
    assert other.returncode == 1 and other.stdout == "" and "other files have 1 error(s)" in other.stderr
    dup.unlink()
    other = gongkai_check(small_site, "content/units/zrj/powers/CF-001.md", "README.md")
    assert other.returncode == 0 and other.stdout == ""


def test_pre_commit_hook_definition(small_site):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "gongkai-check")
    assert hook["entry"].split()[:2] == ["gongkai", "check"] and hook.get("require_serial") is True
    assert re.search(hook["files"], "content/units/zrj/powers/XK-001.md")
    assert not re.search(hook["files"], "README.md")
    # Run as pre-commit runs it: the entry, then the changed file names, from the repository root.
    bad = small_site / "content/units/zrj/powers/CF-001.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("行政处罚", "行政处罚决定"), encoding="utf-8")
    entry = [GONGKAI if word == "gongkai" else word for word in hook["entry"].split()]
    proc = subprocess.run([*entry, "content/units/zrj/powers/CF-001.md"], cwd=small_site, capture_output=True,
                          text=True)
    assert proc.returncode == 1 and "category: '行政处罚决定' is not a power category" in proc.stdout


def test_check_of_a_copy_reports_the_duplicate_on_it(small_site):
    """Review defect 3: a copy sorting before the original gets no problem of its own (the original
    is reported second); the duplicate that names the copy is shown, and the check fails."""
    powers = small_site / "content/units/zrj/powers"
    (powers / "AA.md").write_text((powers / "XK-001.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = gongkai_check(small_site, "content/units/zrj/powers/AA.md")
    assert result.returncode == 1, result.output
    assert "duplicate code 'ZRJ-XK-001', first used in content/units/zrj/powers/AA.md" in result.stdout


def test_check_of_files_fails_on_errors_elsewhere_and_hook_runs_on_deletions(small_site):
    """Review defect 3: deleting an item a guide cites breaks the guide, an unchanged file; the
    hook runs with no file (pre-commit passes no deleted file) and the check of other files fails."""
    commit_site(small_site)  # in git, as a county's content is: every page is dated
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "gongkai-check")
    assert hook.get("always_run") is True and hook.get("pass_filenames", True) is True
    (small_site / "content/units/zrj/powers/XK-001.md").unlink()
    entry = [GONGKAI if word == "gongkai" else word for word in hook["entry"].split()]
    deletion_only = subprocess.run(entry, cwd=small_site, capture_output=True, text=True)
    assert deletion_only.returncode == 1 and "content/units/zrj/guides/" in deletion_only.stdout
    other = gongkai_check(small_site, "content/units/zrj/powers/CF-001.md")
    assert other.returncode == 1 and other.stdout == ""
    assert re.search(r"other files have \d+ error\(s\); run 'gongkai check' to see them", other.stderr)


def test_unfilled_nested_fields_have_their_own_labels(small_site):
    """Review defect 9: basis.0.level is the citation's 依据层级, not the item's 行使层级."""
    new(small_site, "power", "--unit", "zrj", "--category", "行政处罚")
    check = gongkai_check(small_site)
    labels = {line.split(": ", 3)[2]: line for line in check.stdout.splitlines() if "still to fill in" in line}
    expected = {"basis.0.level": "依据层级", "basis.0.law": "法律法规名称", "basis.0.article": "条款",
                "responsibilities.0.stage": "环节", "responsibilities.0.duty": "责任内容",
                "status.0.date": "调整日期", "status.0.document": "调整文件", "level": "行使层级"}
    for field, label in expected.items():
        assert f"still to fill in ({label})" in labels[field], labels[field]


def test_new_code_is_not_a_deleted_items(small_site):
    """Review defect 11: a code that was in git (deleted since) is not given to a new item."""
    env_git = ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.gov.cn"]
    item = small_site / "content/units/zrj/powers/CF-001.md"
    subprocess.run(["git", "init", "-q"], cwd=small_site, check=True)
    subprocess.run([*env_git, "add", "-A"], cwd=small_site, check=True)
    subprocess.run([*env_git, "commit", "-q", "-m", "init"], cwd=small_site, check=True)
    item.unlink()
    subprocess.run([*env_git, "commit", "-q", "-a", "-m", "删除处罚事项"], cwd=small_site, check=True)
    result = new(small_site, "power", "--unit", "zrj", "--category", "行政处罚")
    assert result.returncode == 0, result.output
    assert result.stdout.strip() == "content/units/zrj/powers/CF-002.md"
    assert "code: ZRJ-CF-002" in (small_site / "content/units/zrj/powers/CF-002.md").read_text(encoding="utf-8")


def test_new_where_the_folder_cannot_be_made(small_site):
    """The unit's guides folder is a file: a message and exit 2, no traceback."""
    guides = small_site / "content/units/zrj/guides"
    shutil.rmtree(guides)
    guides.write_text("not a folder\n", encoding="utf-8")
    result = new(small_site, "guide", "--unit", "zrj", "--name", "新的指南")
    assert result.returncode == 2, result.output
    assert "gongkai new: cannot write content/units/zrj/guides/" in result.stderr
    assert "Traceback" not in result.output
