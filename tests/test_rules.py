"""The Catalog and its cross-file rules, in-process on the small site of conftest.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import SMALL_SITE, write_site
from gongkai.model import load_catalog
from gongkai.model.primitives.problems import Severity

TODAY = dt.date(2026, 11, 21)
DOC = "content/units/zrj/documents/2021-gz.md"
NOTICE = "content/units/zrj/notices/2026-gs.md"
XK = "content/units/zrj/powers/XK-001.md"


def site(tmp_path: Path, **changes: str) -> Path:
    files = dict(SMALL_SITE)
    for rel, text in changes.items():
        files[rel.replace("__", "/")] = text
    return write_site(tmp_path / "site-root", files)


def load(root: Path):
    return load_catalog(root / "content", today=TODAY)


def found(problems, path: str) -> list[tuple[int, int, str, str, str]]:
    return [(p.line, p.column, p.field, p.message, p.severity.value) for p in problems if p.path == path]


def with_front_matter(rel: str, extra: str) -> str:
    """The small site's file with extra front-matter lines before the closing '---'."""
    head, _, body = SMALL_SITE[rel][4:].partition("---\n")
    return "---\n" + head + extra + "---\n" + body


def test_the_small_site_is_clean(tmp_path):
    catalog, problems = load(site(tmp_path))
    assert problems == []
    assert catalog.counts() == {"units": 2, "powers": 4, "guides": 1, "documents": 1, "notices": 1,
                                "disclosure-guides": 0, "annual-reports": 1, "decisions": 0, "officers": 0}
    assert list(catalog.units) == ["county", "zrj"]  # by order
    assert [u.unit_id for u in catalog.children["county"]] == ["zrj"]
    assert catalog.power_by_code["ZRJ-XK-001"].category == "行政许可"
    # 《》 around a law name is stripped once on input and added once on display.
    assert catalog.power_by_code["ZRJ-CF-001"].basis[0].law == "中华人民共和国城乡规划法"
    assert [g.slug for g in catalog.guides_by_power["ZRJ-XK-001"]] == ["xk-001"]


def test_problems_are_never_raised_for_a_missing_directory(tmp_path):
    _, problems = load_catalog(tmp_path / "nothing", today=TODAY)
    assert [p.message for p in problems] == ["content directory not found"]


def test_document_lookup_by_any_bracket_form(tmp_path):
    catalog, _ = load(site(tmp_path))
    doc = catalog.documents[0]
    for ref in ("测自然资发〔2021〕3号", "测自然资发[2021]3号", "测自然资发（2021）3号", "测自然资发【２０２１】３号"):
        assert catalog.find_document(ref) is doc
    assert catalog.find_document(doc.index_no) is doc
    assert catalog.find_document("测自然资发〔2021〕4号") is None


def test_supersedes_names_the_successor(tmp_path):
    new = ("---\ntitle: 新通知\ndoc_no: 测自然资发〔2023〕1号\ntopic: 国土资源\npublished: 2023-01-05\n"
           "supersedes:\n  - 测自然资发[2021]3号\n---\n正文。\n")
    catalog, problems = load(site(tmp_path, **{"content/units/zrj/documents/2023-new.md": new}))
    assert problems == []
    old = catalog.find_document("测自然资发〔2021〕3号")
    assert catalog.successor_of(old).title == "新通知"
    assert catalog.successor_of(catalog.find_document("测自然资发〔2023〕1号")) is None


def test_repealed_by_needs_a_validity(tmp_path):
    new = "---\ntitle: 废止决定\ndoc_no: 测自然资发〔2023〕2号\ntopic: 国土资源\npublished: 2023-02-01\n---\n"
    root = site(tmp_path, **{"content/units/zrj/documents/2023-fz.md": new,
                             DOC: with_front_matter(DOC, "repealed_by: 测自然资发〔2023〕2号\n")})
    catalog, problems = load(root)
    assert found(problems, DOC) == [(2, 1, "validity", "a document with repealed_by cannot be 有效", "error")]


def test_document_date_rules(tmp_path):
    root = site(tmp_path, **{DOC: with_front_matter(DOC, "written: 2021-06-01\neffective: 2021-07-01\nexpires: 2021-06-30\n")})
    _, problems = load(root)
    assert found(problems, DOC) == [
        (6, 10, "written", "成文日期 is after 发布日期", "error"),
        (8, 10, "expires", "失效日期 is before 实施日期", "error"),
    ]


def test_issue_needs_a_series(tmp_path):
    _, problems = load(site(tmp_path, **{DOC: with_front_matter(DOC, "issue: 3\n")}))
    assert found(problems, DOC) == [(6, 8, "issue", "an issue number needs a series", "error")]


def test_duplicate_doc_no_in_another_bracket_form(tmp_path):
    copy = SMALL_SITE[DOC].replace("〔2021〕", "[2021]")
    _, problems = load(site(tmp_path, **{"content/units/zrj/documents/2021-gz2.md": copy}))
    messages = [p.message for p in problems if p.severity is Severity.ERROR]
    assert messages == ["文号 '测自然资发[2021]3号' is also used by content/units/zrj/documents/2021-gz.md"]


def test_missing_attachment(tmp_path):
    root = site(tmp_path, **{DOC: with_front_matter(DOC, "attachments:\n  - title: 附件1\n    file: files/a.pdf\n")})
    _, problems = load(root)
    assert found(problems, DOC) == [(8, 11, "attachments.0.file", "attachment 'files/a.pdf' not found", "error")]
    (root / "content/units/zrj/documents/files").mkdir()
    (root / "content/units/zrj/documents/files/a.pdf").write_bytes(b"%PDF-1.4\n")
    # Found; a PDF is not scanned for personal data, which the editor is told (test_sensitive.py).
    assert [(p.severity.value, p.message) for p in load(root)[1]] == [
        ("warning", "attachment not scanned for personal data: .pdf file")]


def test_notice_end_rules(tmp_path):
    text = SMALL_SITE[NOTICE].replace("period_days: 7\n", "end: 2026-11-10\n")
    _, problems = load(site(tmp_path, **{NOTICE: text}))
    assert found(problems, NOTICE) == [(5, 6, "end", "the end date is before the start date", "error")]
    text = SMALL_SITE[NOTICE].replace("period_days: 7\n", "")
    _, problems = load(site(tmp_path / "b", **{NOTICE: text}))
    assert [p.message for p in problems] == ["a notice needs an end date or a period"]
    text = SMALL_SITE[NOTICE].replace("period_days: 7\n", "period_days: 7\nend: 2026-11-25\n")
    _, problems = load(site(tmp_path / "c", **{NOTICE: text}))
    assert [(p.field, p.severity.value) for p in problems] == [("period_days", "warning")]


def test_notice_current_and_ended(tmp_path):
    catalog, _ = load(site(tmp_path))
    notice = catalog.notices[0]
    assert notice.last_day == dt.date(2026, 11, 21)
    assert catalog.notice_is_current(notice)
    later, _ = load_catalog(tmp_path / "site-root/content", today=dt.date(2026, 11, 22))
    assert not later.notice_is_current(later.notices[0])


def test_drafts_and_future_documents_stay_out(tmp_path):
    future = SMALL_SITE[DOC].replace("published: 2021-05-20", "published: 2026-12-01").replace("〔2021〕3号", "〔2026〕9号")
    root = site(tmp_path, **{
        "content/units/zrj/documents/2026-future.md": future,
        "content/units/zrj/powers/XK-009.md": SMALL_SITE[XK].replace("ZRJ-XK-001", "ZRJ-XK-009").replace(
            "promised_limit: 10\n", "promised_limit: 10\ndraft: true\n"),
    })
    catalog, problems = load(root)
    assert problems == []
    assert "ZRJ-XK-009" not in catalog.power_by_code
    assert [d.slug for d in catalog.documents] == ["2021-gz"]


def test_a_broken_draft_is_still_reported(tmp_path):
    text = SMALL_SITE[XK].replace("promised_limit: 10\n", "promised_limit: 30\ndraft: true\n")
    _, problems = load(site(tmp_path, **{XK: text}))
    assert [p.field for p in problems] == ["promised_limit"]


def test_handled_by_must_be_an_internal_unit(tmp_path):
    text = SMALL_SITE[XK].replace("handled_by: 规划股", "handled_by: 规划科")
    _, problems = load(site(tmp_path, **{XK: text}))
    assert found(problems, XK) == [
        (9, 13, "handled_by", "'规划科' is not an internal unit of 测试县自然资源局", "warning")]
    assert problems[0].hint == "did you mean 规划股?"


def test_unit_parent_cycle(tmp_path):
    county = SMALL_SITE["content/units/county/unit.md"].replace("order: 1\n", "order: 1\nparents: [zrj]\n")
    _, problems = load(site(tmp_path, **{"content/units/county/unit.md": county}))
    assert sorted(p.message for p in problems) == ["parents form a cycle back to this unit"] * 2


def test_duplicate_unit_code(tmp_path):
    county = SMALL_SITE["content/units/county/unit.md"].replace("TESTCOUNTY000001", "TESTZRJ000000001")
    _, problems = load(site(tmp_path, **{"content/units/county/unit.md": county}))
    assert [(p.path, p.field) for p in problems] == [("content/units/zrj/unit.md", "code")]


@pytest.mark.parametrize("rel, message", [
    ("content/units/zrj/extra.md", "not a place for content"),
    ("content/units/zrj/powers/sub/XK-1.md", "not a place for content"),
    ("content/units/zrj/powers/事项一.md", "'事项一.md' cannot be used in a web address"),
    ("content/units/Bad Unit/unit.md", "'Bad Unit' cannot be a unit id"),
])
def test_misplaced_files(tmp_path, rel, message):
    root = site(tmp_path)
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SMALL_SITE[XK].replace("ZRJ-XK-001", "ZRJ-XK-077"), encoding="utf-8")
    _, problems = load(root)
    assert [p.message for p in problems] == [message]


def test_unit_folder_without_unit_file(tmp_path):
    root = site(tmp_path)
    (root / "content/units/empty").mkdir()
    _, problems = load(root)
    assert [(p.path, p.message) for p in problems] == [("content/units/empty", "unit folder has no unit.md")]


def test_items_of_a_unit_without_unit_file_do_not_crash(tmp_path):
    """A unit whose unit.md is missing still has its items checked: problems, not a KeyError."""
    root = site(tmp_path)
    (root / "content/units/zrj/unit.md").unlink()
    catalog, problems = load(root)
    assert ("content/units/zrj", "unit folder has no unit.md") in [(p.path, p.message) for p in problems]
