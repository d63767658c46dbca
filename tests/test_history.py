"""Git history on the site and in `gongkai changes`: real repositories made here with git.

The repository below is the small site with a history an editor could make: an edit, a tag, a
rename with an edit in one commit, a commit whose message is not UTF-8, a deletion, a side
branch of two commits merged with a merge commit, the deleted file added again, a second tag.
Some commits carry a public note (a `修订说明:` trailer, with an ASCII or a full-width colon, in
UTF-8 or GBK); the others' subjects, English or Chinese, are internal and never published.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import GONGKAI, MKDOCS, ROOT, SMALL_SITE, gongkai_check, mkdocs_build, run, run_env, write_site

XK = "content/units/zrj/powers/XK-001.md"
CF = "content/units/zrj/powers/CF-001.md"
JC_OLD, JC_NEW = "content/units/zrj/powers/JC-001.md", "content/units/zrj/powers/jc-land.md"
QR = "content/units/county/powers/QR-001.md"
GUIDE = "content/units/zrj/guides/xk-001.md"
NEW_ITEM = "content/units/zrj/powers/XK-002.md"
NON_UTF8_SUBJECT = "补充监督电话".encode("gb18030")  # GBK bytes, no encoding header
SIDE_CF = "取消对未取得建设工程规划许可证进行建设的处罚"
SIDE_NEW = "新增乡村建设规划许可证核发事项"  # committed in GBK, declared in the commit
# The public notes (修订说明 trailers) of some of those commits.
SHORTEN_NOTE = "承诺时限由10个工作日压缩为5个工作日"
SIDE_CF_NOTE = "根据2025年12月20日清单调整决定取消该处罚事项"
SIDE_NEW_NOTE = "新增乡村建设规划许可证核发（行政许可）"  # in GBK, like its subject
GUIDE_NOTE = "办事指南承诺时限同步压缩为5个工作日"  # after a full-width colon, in GBK
RENAME_SUBJECT = "Rename JC-001.md to jc-land.md, add art. 67 (per review w/ Zhang)"  # no note
BODY_SUBJECT = "wip: reflow QR-001 body, ask Wang before merging"  # no note, no field changed


def noted(subject: str, note: str, colon: str = ":") -> str:
    """A commit message with a public note: `git commit -m subject -m "修订说明: note"`."""
    return f"{subject}\n\n修订说明{colon} {note}\n"


def git_env(date: str) -> dict[str, str]:
    return run_env(GIT_AUTHOR_NAME="李编辑", GIT_AUTHOR_EMAIL="li.editor@example.gov.cn",
                   GIT_COMMITTER_NAME="李编辑", GIT_COMMITTER_EMAIL="li.editor@example.gov.cn",
                   GIT_AUTHOR_DATE=f"{date}T09:00:00+08:00", GIT_COMMITTER_DATE=f"{date}T09:00:00+08:00",
                   GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)


def git(repo: Path, *args: str, date: str = "2025-01-01", message: bytes | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, env=git_env(date), input=message, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8", "replace").strip()


def commit(repo: Path, date: str, subject: str, encoding: str = "utf-8") -> str:
    """A commit; with another encoding, git records it in the commit (i18n.commitEncoding)."""
    git(repo, "add", "-A", date=date)
    git(repo, "-c", f"i18n.commitEncoding={encoding}", "commit", "-q", "-F", "-", date=date,
        message=subject.encode(encoding))
    return git(repo, "rev-parse", "HEAD")


def raw_commit(repo: Path, date: str, message: bytes) -> str:
    """A commit whose message bytes are not UTF-8 and say nothing of their encoding: `git commit`
    would repair them, so the commit object is written as it is, as other tools may write it."""
    git(repo, "add", "-A", date=date)
    tree, parent = git(repo, "write-tree"), git(repo, "rev-parse", "HEAD")
    when = int(subprocess.run(["date", "-d", f"{date}T09:00:00+08:00", "+%s"], capture_output=True,
                              text=True, check=True).stdout)
    person = f"李编辑 <li.editor@example.gov.cn> {when} +0800".encode()
    body = (f"tree {tree}\nparent {parent}\n".encode() + b"author " + person + b"\ncommitter " + person
            + b"\n\n" + message + b"\n")
    sha = git(repo, "hash-object", "-t", "commit", "-w", "--stdin", message=body)
    git(repo, "update-ref", "HEAD", sha)
    return sha


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_repository(root: Path) -> dict[str, str]:
    write_site(root)
    (root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commits = {"initial": commit(root, "2025-01-10", "建立测试县权责清单")}
    edit(root, XK, "promised_limit: 10", "promised_limit: 5")
    commits["shorten"] = commit(root, "2025-03-01", noted("压缩建设工程规划许可承诺时限", SHORTEN_NOTE))
    git(root, "tag", "release-2025")
    # Renamed and edited in one commit.
    git(root, "mv", JC_OLD, JC_NEW)
    edit(root, JC_NEW, "  - law: 中华人民共和国土地管理法\n",
         "  - law: 中华人民共和国土地管理法\n    article: 第六十七条\n")
    commits["rename"] = commit(root, "2025-06-01", RENAME_SUBJECT)
    edit(root, CF, "    article: 第六十四条\n", "    article: 第六十四条\nsupervision_phone: 0000-7654321\n")
    commits["non_utf8"] = raw_commit(root, "2025-07-01", NON_UTF8_SUBJECT)
    (root / QR).unlink()
    commits["delete"] = commit(root, "2025-08-01", "撤下行政区域界线争议确认事项")
    # A side branch merged with a merge commit: its changes are dated by the merge and described
    # by the side commits that made them.
    git(root, "checkout", "-q", "-b", "adjust-2026")
    edit(root, CF, "supervision_phone: 0000-7654321\n",
         "supervision_phone: 0000-7654321\nstatus:\n  - action: 取消\n    date: 2025-12-20\n")
    commits["side"] = commit(root, "2025-12-20", noted(SIDE_CF, SIDE_CF_NOTE))
    (root / NEW_ITEM).write_text(
        "---\ncode: ZRJ-XK-002\nname: 乡村建设规划许可证核发\ncategory: 行政许可\nbasis:\n"
        "  - law: 中华人民共和国城乡规划法\n    article: 第四十一条\n---\n", encoding="utf-8")
    commits["side_new"] = commit(root, "2025-12-22", noted(SIDE_NEW, SIDE_NEW_NOTE), encoding="gb18030")
    git(root, "checkout", "-q", "main")
    edit(root, GUIDE, "promised_limit: 10", "promised_limit: 5")
    commits["guide"] = commit(root, "2025-12-28", noted("办事指南承诺时限同步调整", GUIDE_NOTE, "："),
                              encoding="gb18030")
    git(root, "merge", "-q", "--no-ff", "-m", "合并2026年度清单调整", "adjust-2026", date="2026-01-05")
    commits["merge"] = git(root, "rev-parse", "HEAD")
    (root / QR).write_text(SMALL_SITE[QR].replace("行政区域界线争议的确认", "行政区域界线争议调处结果的确认"),
                           encoding="utf-8")
    commits["readd"] = commit(root, "2026-02-01", "恢复行政区域界线争议确认事项")
    git(root, "tag", "release-2026")
    # Only the body changes, and the message has no note: the page still says it changed that day.
    (root / QR).write_text((root / QR).read_text(encoding="utf-8") + "\n本事项由县人民政府办公室承办。\n",
                           encoding="utf-8")
    commits["body"] = commit(root, "2026-03-01", BODY_SUBJECT)
    return commits


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("history") / "county"
    return root, make_repository(root)


@pytest.fixture(scope="module")
def built_repo(repo, tmp_path_factory) -> Path:
    root, _ = repo
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    return root / "site"


def page(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def revisions_section(html: str) -> list[str]:
    """The 修订记录 entries as text, newest first."""
    section = html.split('<h2 id="revisions">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r"\n  <li>(.*?)</li>(?=\n)", section, re.S)
    return [re.sub(r"<[^>]+>", " ", item).split() and " ".join(re.sub(r"<[^>]+>", " ", item).split())
            for item in items]


# --- the model: History ---------------------------------------------------------------------------
def test_history_follows_renames_and_attributes_merges(repo):
    from gongkai.history.git import History

    root, commits = repo
    history = History(root / "content")
    assert history.available and not history.shallow
    jc = history.revisions("units/zrj/powers/jc-land.md")
    assert [r.commit for r in jc] == [commits["rename"], commits["initial"]]
    assert jc[0].status == "R" and jc[0].path == "units/zrj/powers/jc-land.md"
    cf = history.revisions("units/zrj/powers/CF-001.md")
    # The side branch's commits are not on the first-parent line: the merge carries their changes,
    # each file described by the public notes of the side commits that changed it.
    assert [r.commit for r in cf] == [commits["merge"], commits["non_utf8"], commits["initial"]]
    assert cf[0].note == SIDE_CF_NOTE and cf[0].date.isoformat() == "2026-01-05"
    new_item = history.revisions("units/zrj/powers/XK-002.md")
    assert [(r.commit, r.status, r.note) for r in new_item] == [(commits["merge"], "A", SIDE_NEW_NOTE)]
    assert cf[1].note == ""  # not UTF-8 and no note: nothing, never a crash
    guide = history.revisions("units/zrj/guides/xk-001.md")
    assert guide[0].note == GUIDE_NOTE  # GBK, declared in the commit; a full-width colon
    assert history.revisions("units/zrj/powers/jc-land.md")[0].note == ""  # a subject is no note
    assert not hasattr(jc[0], "subject")  # subjects are not even kept
    # Deleted and added again: the new file's history starts at its re-addition.
    qr = history.revisions("units/county/powers/QR-001.md")
    assert [r.commit for r in qr] == [commits["body"], commits["readd"]] and qr[1].status == "A"
    history.read_field_changes(["units/zrj/powers/XK-001.md", "units/zrj/powers/CF-001.md", "units/zrj/powers/jc-land.md"])
    xk = history.revisions("units/zrj/powers/XK-001.md")
    assert [c.text for c in xk[0].changes] == ["承诺时限 10 → 5 个工作日"]
    assert xk[0].date.isoformat() == "2025-03-01"
    assert [c.text for c in jc[0].changes] == ["依据 新增 《中华人民共和国土地管理法》第六十七条；删除 《中华人民共和国土地管理法》"]
    assert [c.text for c in cf[0].changes] == ["动态调整 新增 取消（2025-12-20）"]
    assert [c.text for c in cf[1].changes] == ["监督电话 新增 0000-7654321"]


def test_merges_described_by_their_merged_commits(tmp_path):
    """A merge is described by its own note and the notes of the merged commits that changed the
    file: newest first, each once, renames on the side followed, side merges' notes too; with no
    note anywhere, by nothing (its subject and theirs are internal)."""
    from gongkai.history.git import History

    root = tmp_path / "county"
    write_site(root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "2025-01-10", "建立测试县权责清单")
    git(root, "checkout", "-q", "-b", "pr-1")
    edit(root, XK, "promised_limit: 10", "promised_limit: 8")
    commit(root, "2025-02-01", noted("压缩建设工程规划许可承诺时限", "承诺时限压缩为8个工作日"))
    edit(root, JC_OLD, "对土地使用情况的监督检查", "对土地利用情况的监督检查")
    commit(root, "2025-02-02", noted("检查事项名称调整", "规范检查事项名称"))
    edit(root, XK, "statutory_limit: 20", "statutory_limit: 15")
    raw_commit(root, "2025-02-03", NON_UTF8_SUBJECT)
    git(root, "mv", JC_OLD, JC_NEW)
    commit(root, "2025-02-04", "Rename JC-001.md")
    edit(root, JC_NEW, "  - law: 中华人民共和国土地管理法\n",
         "  - law: 中华人民共和国土地管理法\n    article: 第六十七条\n")
    commit(root, "2025-02-05", noted("补充检查依据条款", "补充《中华人民共和国土地管理法》第六十七条"))
    edit(root, XK, "promised_limit: 8", "promised_limit: 6")
    commit(root, "2025-02-06", noted("压缩建设工程规划许可承诺时限", "承诺时限压缩为6个工作日"))
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge pull request #12 from zhang/pr-1", "pr-1", date="2025-03-01")
    # Changed on the side, and (CF) only by the merge itself, as when resolving a conflict; the
    # merge has a note of its own.
    git(root, "checkout", "-q", "-b", "pr-2")
    edit(root, QR, "行政区域界线争议的确认", "行政区域界线争议调处结果的确认")
    commit(root, "2025-04-01", noted("确认事项名称调整", "确认事项名称调整为行政区域界线争议调处结果的确认"))
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "--no-commit", "pr-2", date="2025-04-10")
    edit(root, CF, "    article: 第六十四条\n", "    article: 第六十四条\nsupervision_phone: 0000-7654321\n")
    commit(root, "2025-04-10", noted("Merge pull request #13 from wang/pr-2", "2025年第二季度权责清单调整"))
    # The side's only change to the guide is a merge of its own, which has a note.
    git(root, "checkout", "-q", "-b", "pr-3")
    git(root, "checkout", "-q", "-b", "pr-3b")
    (root / "NOTES.txt").write_text("outside the content\n", encoding="utf-8")
    commit(root, "2025-05-01", "编辑说明")
    git(root, "checkout", "-q", "pr-3")
    git(root, "merge", "-q", "--no-ff", "--no-commit", "pr-3b", date="2025-05-02")
    edit(root, GUIDE, "promised_limit: 10", "promised_limit: 6")
    commit(root, "2025-05-02", noted("Merge branch 'pr-3b' into pr-3", "办事指南承诺时限压缩为6个工作日"))
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge pull request #14 from li/pr-3", "pr-3", date="2025-05-10")
    # No note on the side or on the merge.
    git(root, "checkout", "-q", "-b", "pr-4")
    edit(root, CF, "supervision_phone: 0000-7654321\n", "supervision_phone: 0000-7654322\n")
    commit(root, "2025-06-01", "fix phone (typo, see ticket #88)")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge pull request #15 from wang/pr-4", "pr-4", date="2025-06-10")

    history = History(root / "content")
    xk = history.revisions("units/zrj/powers/XK-001.md")
    assert len(xk) == 2 and xk[0].date.isoformat() == "2025-03-01"
    # The non-UTF-8 commit has no (readable) note: nothing from it, never a crash.
    assert xk[0].note == "承诺时限压缩为6个工作日；承诺时限压缩为8个工作日"
    jc = history.revisions("units/zrj/powers/jc-land.md")
    assert jc[0].status == "R"
    assert jc[0].note == "补充《中华人民共和国土地管理法》第六十七条；规范检查事项名称"
    qr = history.revisions("units/county/powers/QR-001.md")
    assert qr[0].note == "2025年第二季度权责清单调整；确认事项名称调整为行政区域界线争议调处结果的确认"
    assert qr[0].date.isoformat() == "2025-04-10"
    cf = history.revisions("units/zrj/powers/CF-001.md")
    assert [(r.date.isoformat(), r.note) for r in cf[:2]] == [("2025-06-10", ""), ("2025-04-10", "2025年第二季度权责清单调整")]
    guide = history.revisions("units/zrj/guides/xk-001.md")
    assert guide[0].note == "办事指南承诺时限压缩为6个工作日" and guide[0].date.isoformat() == "2025-05-10"
    # The field changes are still those against the merge's first parent, all side commits together.
    history.read_field_changes(["units/zrj/powers/XK-001.md"])
    assert [c.text for c in xk[0].changes] == ["法定时限 20 → 15 个工作日", "承诺时限 10 → 6 个工作日"]


def test_release_tags_in_commit_order(repo):
    from gongkai.history.git import History

    root, commits = repo
    tags = History(root / "content").tags("release-*")
    assert [(t.name, t.commit) for t in tags] == [("release-2025", commits["shorten"]),
                                                  ("release-2026", commits["readd"])]


def test_not_a_repository_falls_back(tmp_path):
    from gongkai.history.git import GitError, History

    write_site(tmp_path)
    history = History(tmp_path / "content")
    assert not history.available and "not in a git repository" in history.note
    assert history.revisions("units/zrj/powers/XK-001.md") == []
    with pytest.raises(GitError):
        history.resolve("HEAD")


# --- gongkai changes -------------------------------------------------------------------------------
def changes(root: Path, *args: str):
    return run([GONGKAI, "changes", "--content", "content", *args], cwd=root)


def test_changes_text(repo):
    root, _ = repo
    result = changes(root, "--since", "release-2025", "--until", "release-2026")
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "权责清单调整：release-2025 → release-2026"
    zrj = lines.index("测试县自然资源局（zrj）")
    county = lines.index("测试县人民政府（county）")
    assert county < zrj  # units in the catalog's order
    assert "  调整 XZF-QR-001 行政区域界线争议调处结果的确认（行政确认）" in lines
    assert "      名称 行政区域界线争议的确认 → 行政区域界线争议调处结果的确认" in lines
    body = lines[zrj + 1:]
    assert body[:2] == ["  新增 ZRJ-XK-002 乡村建设规划许可证核发（行政许可）",
                        "  取消 ZRJ-CF-001 对未取得建设工程规划许可证进行建设的处罚（行政处罚）"]
    assert "  调整 ZRJ-JC-001 对土地使用情况的监督检查（行政检查）" in body
    assert "      依据 新增 《中华人民共和国土地管理法》第六十七条；删除 《中华人民共和国土地管理法》" in body
    # Nothing else changed between the tags: the edit of XK-001 came before release-2025.
    assert "ZRJ-XK-001" not in result.stdout


def test_changes_json_and_markdown(repo):
    root, _ = repo
    result = changes(root, "--since", "release-2025", "--format", "json")
    assert result.returncode == 0, result.output
    report = json.loads(result.stdout)
    assert report["until"] == "HEAD"
    assert {c: {k: n for k, n in row.items() if n} for c, row in report["counts"].items()} == {
        "行政许可": {"新增": 1}, "行政处罚": {"取消": 1}, "行政检查": {"调整": 1}, "行政确认": {"调整": 1}}
    kinds = {(i["code"], i["kind"]) for u in report["units"] for i in u["items"]}
    assert kinds == {("ZRJ-XK-002", "新增"), ("ZRJ-CF-001", "取消"), ("ZRJ-JC-001", "调整"),
                     ("XZF-QR-001", "调整")}
    md = changes(root, "--since", commits_of(root, "initial"), "--until", commits_of(root, "shorten"),
                 "--format", "md")
    assert md.returncode == 0, md.output
    assert md.stdout.splitlines()[2:] == [
        "## 测试县自然资源局（zrj）", "",
        "- 调整 ZRJ-XK-001 建设工程规划许可证核发（行政许可）",
        "    - 承诺时限 10 → 5 个工作日"]


def commits_of(root: Path, name: str) -> str:
    subjects = {"initial": "建立测试县权责清单", "shorten": "压缩建设工程规划许可承诺时限"}
    return git(root, "log", "--format=%H", "-1", f"--grep={subjects[name]}")


def test_changes_deleted_item(repo):
    root, commits = repo
    result = changes(root, "--since", commits["non_utf8"], "--until", commits["delete"], "--format", "json")
    report = json.loads(result.stdout)
    assert [(i["code"], i["kind"]) for u in report["units"] for i in u["items"]] == [("XZF-QR-001", "删除")]


def test_changes_bad_ref(repo, tmp_path):
    root, _ = repo
    result = changes(root, "--since", "release-1999")
    assert result.returncode == 2
    assert "gongkai changes: 'release-1999' is not a commit, branch or tag" in result.stderr
    assert "Traceback" not in result.output
    outside = write_site(tmp_path / "plain")
    result = changes(outside, "--since", "HEAD")
    assert result.returncode == 2 and "not in a git repository" in result.stderr


# --- the site --------------------------------------------------------------------------------------
def test_pages_show_git_dates_and_revisions(built_repo):
    xk = page(built_repo, "units/zrj/powers/ZRJ-XK-001")
    assert '最后更新：<time datetime="2025-03-01">2025年3月1日</time></p>' in xk
    # The public note and the field changes; a commit without a note shows no commit text.
    assert revisions_section(xk) == [f"2025年3月1日 {SHORTEN_NOTE} 承诺时限 10 → 5 个工作日",
                                     "2025年1月10日 新建"]
    cf = page(built_repo, "units/zrj/powers/ZRJ-CF-001")
    entries = revisions_section(cf)
    assert entries[0] == f"2026年1月5日 {SIDE_CF_NOTE} 动态调整 新增 取消（2025-12-20）"
    assert "合并2026年度清单调整" not in cf and SIDE_NEW_NOTE not in cf and SIDE_CF not in cf
    assert revisions_section(page(built_repo, "units/zrj/powers/ZRJ-XK-002")) == [f"2026年1月5日 {SIDE_NEW_NOTE} 新建"]
    assert len(entries) == 3 and entries[1] == "2025年7月1日 监督电话 新增 0000-7654321"
    jc = page(built_repo, "units/zrj/powers/ZRJ-JC-001")
    assert revisions_section(jc) == [
        "2025年6月1日 依据 新增 《中华人民共和国土地管理法》第六十七条；删除 《中华人民共和国土地管理法》",
        "2025年1月10日 新建"]
    guide = page(built_repo, "units/zrj/guides/xk-001")
    assert revisions_section(guide)[0] == f"2025年12月28日 {GUIDE_NOTE} 承诺时限 10 → 5 个工作日"
    doc = page(built_repo, "units/zrj/documents/2021/2021-gz")
    # A document keeps its 发布日期; the page's own update date comes from git beside it.
    assert "2021年5月20日" in doc and '最后更新：<time datetime="2025-01-10">' in doc
    for html_file in built_repo.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert "@example.gov.cn" not in text and "李编辑" not in text, html_file


def test_changes_page(built_repo):
    html = page(built_repo, "powers/changes")
    assert "<h1>清单动态调整</h1>" in html
    newest, oldest = html.index('id="release-release-2026"'), html.index('id="release-release-2025"')
    assert newest < oldest
    latest = html[newest:oldest]
    assert "较 release-2025（2025年3月1日）调整 <strong>4</strong> 项" in latest
    rows = {re.sub(r"<[^>]+>", "|", row).replace("||", "|").strip("|")
            for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", latest)}
    assert rows == {"行政许可|1|0|0|0|0|1", "行政处罚|0|1|0|0|0|1", "行政检查|0|0|0|0|1|1",
                    "行政确认|0|0|0|0|1|1"}
    assert "本版本共 <strong>4</strong> 项权责事项（不含已取消、下放的事项）" in latest  # 5 items, one 取消
    assert "首个发布版本，共 <strong>4</strong> 项权责事项" in html[oldest:]
    assert '历次调整见<a href="changes/">清单动态调整</a>' in page(built_repo, "powers")


def test_author_names_only_when_allowed(repo, tmp_path):
    root, _ = repo
    copy = tmp_path / "county"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".cache"))
    config = (copy / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("- gongkai/history:\n", "- gongkai/history:\n    show_authors: true\n", 1)
    (copy / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = mkdocs_build(copy)
    assert result.returncode == 0, result.output
    xk = page(copy / "site", "units/zrj/powers/ZRJ-XK-001")
    assert f"{SHORTEN_NOTE}（李编辑）" in xk and "@" not in xk.split('id="revisions"')[1]
    assert "2025年1月10日</time>（李编辑）" in xk  # no note: the author right after the date


def test_shallow_clone_warns_and_strict_fails(repo, tmp_path):
    root, _ = repo
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(clone))
    result = mkdocs_build(clone)
    assert result.returncode == 0, result.output
    assert "WARNING" in result.output and "shallow clone" in result.output
    assert "git fetch --unshallow" in result.output
    # The 清单动态调整 page says why it lists no version and how to fix it (not "no releases").
    text = page(clone / "site", "powers/changes")
    assert "暂无已发布的清单版本" not in text
    assert "历史不完整（浅克隆）" in text and "git fetch --unshallow" in text
    missing = changes(clone, "--since", "release-2025")
    assert missing.returncode == 2 and "shallow clone" in missing.stderr and "git fetch --unshallow" in missing.stderr
    (clone / "site" / "marker").write_text("previous site", encoding="utf-8")
    strict = mkdocs_build(clone, "--strict")
    assert strict.returncode != 0
    assert "git fetch --unshallow" in strict.output
    assert (clone / "site" / "marker").is_file()  # the previous site is left as it was


def test_outside_git_pages_use_their_own_dates(small_site):
    doc = page(small_site / "site", "units/zrj/documents/2021/2021-gz")
    assert '最后更新：<time datetime="2021-05-20">2021年5月20日</time>（据内容所载日期）' in doc
    xk = page(small_site / "site", "units/zrj/powers/ZRJ-XK-001")
    assert 'id="revisions"' not in xk
    changes_page = page(small_site / "site", "powers/changes")
    assert "暂无已发布的清单版本（本站未从版本库构建）" in changes_page


# --- the sample site: the project's own history ---------------------------------------------------
def project_git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def test_sample_site_shows_its_own_history(sample_site, tmp_path):
    """Complete checkout: the sample's adjustments are on its pages. Shallow checkout (some CI):
    the build says so instead of printing wrong dates."""
    if project_git("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        pytest.skip("the project is not a git checkout here")
    if project_git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        result = run([MKDOCS, "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site")], cwd=ROOT)
        assert result.returncode == 0 and "shallow clone" in result.output
        assert "git fetch --unshallow" in result.output
        return
    # The sample's commits were merged into main with a merge commit ("Merge issue 6: …"): the
    # field changes are against the merge's first parent, dated by the merge. Their subjects
    # (and the developers' subjects of the commits before) are internal: no page shows one.
    item = page(sample_site, "units/scjgj/powers/SCJG-XK-001")
    assert "2026年11月21日 承诺时限 5 → 3 个工作日 流程图 修改" in revisions_section(item)
    assert "gk-page-updated" in item and "（据内容所载日期）" not in item and "Merge issue" not in item
    added = page(sample_site, "units/zrzyj/powers/ZRZY-XK-006")
    assert revisions_section(added)[-1] == "2026年11月21日 新建"
    subjects = set(project_git("log", "--all", "--format=%s", "--", "content").stdout.splitlines())
    assert "县市场监管局：食品经营许可承诺时限由5个工作日压缩至3个工作日" in subjects
    records = [path for path in sample_site.rglob("index.html") if 'id="revisions"' in path.read_text(encoding="utf-8")]
    assert len(records) > 150
    for path in records:
        entries = " ".join(revisions_section(path.read_text(encoding="utf-8")))
        assert not [s for s in subjects if s in entries], path
    # One sample commit carries a public note (修订说明): that note, and only there.
    noted_item = page(sample_site, "units/mzj/powers/MZJ-XK-002")
    note = "民办非企业单位成立、变更、注销登记承诺时限由15个工作日压缩为10个工作日，审查环节由9个工作日压缩为5个工作日"
    assert revisions_section(noted_item)[0].endswith(f" {note} 承诺时限 15 → 10 个工作日 流程图 修改")
    assert sum(note in path.read_text(encoding="utf-8") for path in records) == 1
    if project_git("rev-parse", "--verify", "--quiet", "release-2026^{commit}").returncode == 0:
        changes_page = page(sample_site, "powers/changes")
        latest = changes_page.split('id="release-release-2026"', 1)[1].split("</section>", 1)[0]
        for expected in ("承诺时限 5 → 3 个工作日", "依据 新增 《安澜省城乡规划条例》第十二条",
                         "临时建设工程规划许可", "基层法律服务工作者执业核准初审"):
            assert expected in latest


# --- review findings: each test fails without its fix ----------------------------------------------
def commit_at(repo: Path, when: str, message: bytes, *, encoding: str = "utf-8", author: str = "李编辑") -> str:
    """A commit dated `when` (ISO with its UTC offset), its message bytes in `encoding` as declared."""
    env = run_env(GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL="editor@example.gov.cn", GIT_COMMITTER_NAME=author,
                  GIT_COMMITTER_EMAIL="editor@example.gov.cn", GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when,
                  GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    message_file = repo.parent / "message.txt"
    message_file.write_bytes(message)
    for args in (["add", "-A"], ["-c", f"i18n.commitEncoding={encoding}", "commit", "-q", "-F", str(message_file)]):
        proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True)
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return git(repo, "rev-parse", "HEAD")


def test_dates_are_the_committers_own_and_gbk_messages_read(tmp_path):
    """Defects 4 and 5: 07:30 in Beijing on 1 October is 1 October (30 September in UTC); a message
    written in GBK and declared so reads as itself, not as mojibake."""
    from gongkai.model import build_date
    from gongkai.history.git import History

    root = tmp_path / "county"
    write_site(root)
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2025-09-01T09:00:00+08:00", "建立测试县权责清单".encode())
    edit(root, XK, "promised_limit: 10", "promised_limit: 5")
    commit_at(root, "2025-10-01T07:30:00+08:00", noted("国庆节前压缩承诺时限", "承诺时限压缩为5个工作日").encode("gbk"),
              encoding="GBK", author="Li Bianji")
    git(root, "tag", "release-2025")
    history = History(root / "content")
    latest = history.revisions("units/zrj/powers/XK-001.md")[0]
    assert latest.date.isoformat() == "2025-10-01"
    assert latest.note == "承诺时限压缩为5个工作日" and latest.author == "Li Bianji"
    assert [t.date.isoformat() for t in history.tags("release-*")] == ["2025-10-01"]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        assert build_date(root / "content").isoformat() == "2025-10-01"
    finally:
        os.environ.clear()
        os.environ.update(env)


def test_drafts_stay_out_of_the_adjustments(repo, tmp_path):
    """Defect 2: `draft: True` (and yes, 'true') is a draft to the loader, so to the list too; a
    file the loader rejects does not stop the comparison."""
    root, _ = repo
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{root}", str(clone))
    for number, flag in ((3, "True"), (4, "yes"), (5, "'true'")):
        (clone / f"content/units/zrj/powers/XK-00{number}.md").write_text(
            f"---\ncode: ZRJ-XK-00{number}\nname: 草稿事项{number}\ncategory: 行政许可\ndraft: {flag}\n---\n",
            encoding="utf-8")
    (clone / "content/units/zrj/powers/XK-009.md").write_text("---\ncode: [unclosed\n---\n", encoding="utf-8")
    commit(clone, "2026-03-01", "起草新事项")
    result = changes(clone, "--since", "release-2026", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["units"] == []
    assert "草稿事项" not in changes(clone, "--since", "release-2026").stdout


def test_moved_item_names_its_units(repo, tmp_path):
    """Defect 7: a move between units names them as the catalog does, not by folder ids."""
    root, _ = repo
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{root}", str(clone))
    git(clone, "mv", "content/units/zrj/powers/XK-002.md", "content/units/county/powers/XK-002.md")
    commit(clone, "2026-03-01", "事项调整至县政府")
    result = changes(clone, "--since", "release-2026")
    assert result.returncode == 0, result.stderr
    assert "实施主体 测试县自然资源局 → 测试县人民政府" in result.stdout
    assert "zrj →" not in result.stdout


def test_changes_outside_git_says_it_needs_git(tmp_path):
    """Defect 8: not the page builder's 'own dates' note: `changes` needs a repository."""
    write_site(tmp_path)
    result = changes(tmp_path, "--since", "release-2025")
    assert result.returncode == 2
    assert "needs the content in a git repository" in result.stderr and "own dates" not in result.stderr


# --- what git kept is checked too ---------------------------------------------------------------
LEAKED_PHONE, LEAKED_ID = "13912341024", "330102199003071230"


def make_leaky_repository(root: Path) -> dict[str, str]:
    """An editor commits a phone and an ID number (and a marking and a phone in public notes), then
    fixes it: the content is clean again, git still has the old values."""
    write_site(root)
    (root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commits = {"initial": commit(root, "2025-01-10", "建立测试县权责清单")}
    edit(root, XK, "handled_by: 规划股\n",
         f'handled_by: 规划股\nfee: "请联系张三 {LEAKED_PHONE} 或身份证 {LEAKED_ID}"\n')
    commits["leak"] = commit(root, "2025-02-01", noted(f"办理费用 联系人 {LEAKED_PHONE}",
                                                     f"补充收费标准，咨询电话 {LEAKED_PHONE}"))
    edit(root, XK, f'fee: "请联系张三 {LEAKED_PHONE} 或身份证 {LEAKED_ID}"\n', "fee: 不收费\n")
    commits["fix"] = commit(root, "2025-02-02", "更正收费标准")
    edit(root, XK, "promised_limit: 10", "promised_limit: 5")
    commits["marked"] = commit(root, "2025-03-01", noted("秘密★ 压缩承诺时限", "秘密★ 承诺时限压缩为5个工作日"))
    return commits


def test_history_masks_what_the_checks_never_saw(tmp_path):
    root = tmp_path / "county"
    commits = make_leaky_repository(root)
    checked = gongkai_check(root)
    assert checked.returncode == 0, checked.output  # the content itself is clean now
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    xk = page(root / "site", "units/zrj/powers/ZRJ-XK-001")
    entries = revisions_section(xk)
    # The notes are masked as the subjects were (the subjects themselves are not shown at all).
    assert entries[0] == "2025年3月1日 〔已隐去〕 承诺时限压缩为5个工作日 承诺时限 10 → 5 个工作日"
    assert entries[1] == ("2025年2月2日 收费依据及标准 请联系张三 139****1024 或身份证 "
                          "3301**********1230 → 不收费")
    assert entries[2].startswith("2025年2月1日 补充收费标准，咨询电话 139****1024 收费依据及标准 新增 ")
    assert "办理费用 联系人" not in xk
    for path in (root / "site").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (LEAKED_PHONE, LEAKED_ID, "秘密★"):
                assert secret.encode("utf-8") not in data, (path, secret)
    # Each commit that showed something is named, with the file; the report masks too.
    for name in ("leak", "fix"):
        assert f"{XK}:1:1: warning: 修订记录: commit {commits[name][:10]}: masked on the page: " in result.output
    assert "手机号码 '139****1024'" in result.output and "居民身份证号 '3301**********1230'" in result.output
    assert f"commit {commits['marked'][:10]}: masked on the page: 密级标志 '秘密★'" in result.output
    assert LEAKED_PHONE not in result.output and LEAKED_ID not in result.output
    assert f"commit {commits['initial'][:10]}" not in result.output


def test_masked_text():
    from gongkai.history.diff import masked_text

    assert masked_text("王五 13912341024") == ("王五 139****1024", ["手机号码 '139****1024'"])
    assert masked_text("监督电话 13912341024", contact=True) == ("监督电话 13912341024", [])
    assert masked_text("机密★ 事项")[0] == "〔已隐去〕 事项"
    assert masked_text("压缩建设工程规划许可承诺时限") == ("压缩建设工程规划许可承诺时限", [])


# --- 修订记录 shows public notes, never commit subjects ---------------------------------------------
@pytest.mark.parametrize("message, note", [
    (noted("调整承诺时限", "承诺时限由10个工作日压缩为5个工作日"), "承诺时限由10个工作日压缩为5个工作日"),
    ("调整承诺时限\n\n修订说明：承诺时限由10个工作日压缩为5个工作日\n", "承诺时限由10个工作日压缩为5个工作日"),
    ("调整\n\n修订说明 : 冒号前有空格\n", "冒号前有空格"),
    ("修订说明: 只有标题行\n", ""),  # the subject is never a trailer, as in git
    ("调整\n\n修订说明: 不在最后一段\n\n另有正文说明。\n", ""),
    ("调整\n\n正文说明\n修订说明: 与正文同段\n", ""),  # a paragraph of prose, not trailers
    ("调整\n\n修订说明: 承诺时限\n  压缩为5个工作日\nSigned-off-by: Li <li@example.gov.cn>\n", "承诺时限压缩为5个工作日"),
    ("Fix\n\nNote: reviewed\n修订说明: folded\n over two lines\n", "folded over two lines"),
    # git commit -s, --trailer or a Change-Id hook add their own paragraph after one git does not
    # recognise (a key in Chinese is no trailer to git): the note is still read.
    ("调整\n\n修订说明: 新增事项\n\nSigned-off-by: Li <li@example.gov.cn>\n", "新增事项"),
    ("调整\n\n修订说明: 一\n修订说明：二\n修订说明: 一\n", "一；二"),
    ("调整\n\nReviewed-by: Zhang\n", ""),
    ("Update XK-001.md\n", ""),
])
def test_public_note_is_the_trailer_only(message, note):
    from gongkai.history.notes import public_note

    assert public_note(message) == note


def test_commit_text_without_a_note_is_never_published(repo, built_repo):
    """No subject of any commit reaches the site: not the pages, the search index (the browser's
    and the server's), the sitemap or the open data; the notes do."""
    from test_canary import leaks

    root, commits = repo
    subjects = [s for s in git(root, "log", "--all", "--format=%s").splitlines() if "\ufffd" not in s]
    assert RENAME_SUBJECT in subjects and BODY_SUBJECT in subjects and "合并2026年度清单调整" in subjects
    site, index_dir = built_repo, root / ".cache" / "search-index"
    assert (site / "sitemap.xml").is_file() and (site / "search").is_dir()
    assert leaks([site], [index_dir], subjects) == []
    assert leaks([site], [index_dir], [SHORTEN_NOTE])  # and the scan sees what the pages show


def test_a_public_note_is_on_the_revision_record_of_the_item_it_changed(built_repo):
    xk = revisions_section(page(built_repo, "units/zrj/powers/ZRJ-XK-001"))
    assert xk[0] == f"2025年3月1日 {SHORTEN_NOTE} 承诺时限 10 → 5 个工作日"
    guide = revisions_section(page(built_repo, "units/zrj/guides/xk-001"))  # GBK, full-width colon
    assert guide[0] == f"2025年12月28日 {GUIDE_NOTE} 承诺时限 10 → 5 个工作日"
    assert SHORTEN_NOTE not in page(built_repo, "units/zrj/powers/ZRJ-CF-001")


def test_a_merge_shows_the_notes_of_the_side_branch(built_repo):
    """Dated by the merge; each file described by the notes of the side commits that changed it,
    never by the merge's subject or theirs."""
    cf = page(built_repo, "units/zrj/powers/ZRJ-CF-001")
    assert revisions_section(cf)[0] == f"2026年1月5日 {SIDE_CF_NOTE} 动态调整 新增 取消（2025-12-20）"
    assert revisions_section(page(built_repo, "units/zrj/powers/ZRJ-XK-002")) == [f"2026年1月5日 {SIDE_NEW_NOTE} 新建"]
    for text in ("合并2026年度清单调整", SIDE_CF, SIDE_NEW, SIDE_NEW_NOTE):
        assert text not in cf


def test_a_change_without_note_or_field_change_still_shows_its_date(built_repo):
    qr = page(built_repo, "units/county/powers/XZF-QR-001")
    assert revisions_section(qr) == ["2026年3月1日 内容修订", "2026年2月1日 新建"]
    assert '最后更新：<time datetime="2026-03-01">' in qr


def test_an_allowance_is_never_a_public_change(tmp_path):
    """`allow:` tells the reviewer why a finding may be published: an internal note, not a change
    of the item, so 修订记录 never describes it (it named the rule, the value and the reason)."""
    root = tmp_path / "county"
    make_repository(root)
    item = root / "content/units/zrj/powers/XK-001.md"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("---\n", "---\nallow:\n  - {rule: 手机号码, match: '139****0148', "
                                 "reason: 内部说明canaryallowreason}\n", 1).rstrip("\n")
                    + "\n值班电话 13907860148。\n", encoding="utf-8")
    commit(root, "2026-03-01", noted("allow a hotline", "补充值班电话"))
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    page = (root / "site/units/zrj/powers/ZRJ-XK-001/index.html").read_text(encoding="utf-8")
    assert "补充值班电话" in page
    assert "允许公开" not in page and "canaryallowreason" not in page
