"""执法人员 (行政执法公示): one list per unit, checked, paged, searched, exported, linkable by 执法证号.

Small sites built by the real loader and, once, by `mkdocs build`; the officers' fields are public
by law, so the sensitive-data rules let them through while the rest of the file is still scanned.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from conftest import SMALL_SITE, commit_site, mkdocs_build, write_site
from html_dom import load

from gongkai.model import load_catalog
from gongkai.search.documents import search_documents

BUILD = dt.date(2026, 11, 21)  # conftest's BUILD_EPOCH, the date of every test build
LIST = "content/units/zrj/officers.md"


def id_number(first17: str) -> str:
    """first17 + the check character of a 居民身份证号."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    check = (12 - sum(int(d) * w for d, w in zip(first17, weights)) % 11) % 11
    return first17 + ("X" if check == 10 else str(check))


def officers_file(*rows: str, extra: str = "") -> str:
    return "---\n" + extra + "officers:\n" + "".join(rows) + "---\n"


def row(name: str, cert: str, internal: str = "规划股", field: str = "规划监督", more: str = "") -> str:
    return (f"  - name: {name}\n    cert_no: \"{cert}\"\n    field: {field}\n    internal_unit: {internal}\n"
            + more)


VALID = officers_file(row("赵明远", "46000000001"), row("钱雅琴", "46000000002", "办公室", "法制审核"),
                      row("孙旧证", "46000000003", more="    valid_until: 2025-12-31\n"))


def load_site(tmp_path, files: dict[str, str]):
    return load_catalog(write_site(tmp_path, {**SMALL_SITE, **files}) / "content", today=BUILD)


def located(problems, severity: str = "error") -> list[str]:
    return [str(p) for p in problems if p.severity.value == severity]


def test_officers_load_and_are_linkable_by_cert_number(tmp_path):
    catalog, problems = load_site(tmp_path, {LIST: VALID})
    assert not located(problems)
    officer = catalog.officer("46000000001")
    assert officer.name == "赵明远" and officer.unit_id == "zrj" and officer.internal_unit == "规划股"
    assert officer.page == "units/zrj/officers/index.md"
    assert catalog.officer_url("46000000001") == "units/zrj/officers/#officer-46000000001"
    full_width = "46000000002".translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert catalog.officer(full_width).name == "钱雅琴"  # full-width digits as an editor may type them
    assert catalog.officer("46999999999") is None
    assert [o.name for o in catalog.officers_of("zrj")] == ["赵明远", "钱雅琴"]


def test_a_certificate_number_that_is_not_one_is_a_located_error(tmp_path):
    _, problems = load_site(tmp_path, {LIST: officers_file(row("赵明远", "46000000001"),
                                                           row("钱雅琴", "待补"), row("孙立", "12-34"))})
    errors = [p for p in problems if p.severity.value == "error"]
    assert [(p.path, p.line, p.field) for p in errors] == [
        (LIST, 8, "officers.1.cert_no"), (LIST, 12, "officers.2.cert_no")]
    assert "'待补' is not a 执法证号" in errors[0].message and "11–13 digits" in errors[0].hint


def test_a_province_prefix_and_digits_is_a_certificate_number(tmp_path):
    _, problems = load_site(tmp_path, {LIST: officers_file(row("赵明远", "琼12345678901"))})
    assert not located(problems)


def test_a_duplicate_certificate_number_across_the_site_is_located(tmp_path):
    county_unit = SMALL_SITE["content/units/county/unit.md"].replace("order: 1\n", "order: 1\ninternal_units:\n  - name: 办公室\n")
    county = officers_file(row("李重号", "46000000002", "办公室", "综合执法"))
    _, problems = load_site(tmp_path, {LIST: VALID, "content/units/county/unit.md": county_unit,
                                       "content/units/county/officers.md": county})
    errors = [p for p in problems if p.severity.value == "error"]
    assert len(errors) == 1
    # Reported at the second file (by path), naming the first holder and where.
    assert (errors[0].path, errors[0].line, errors[0].field) == (LIST, 8, "officers.1.cert_no")
    assert errors[0].message == "执法证号 46000000002 is already 李重号's (content/units/county/officers.md:4)"


def test_an_unknown_internal_unit_is_located_with_did_you_mean(tmp_path):
    _, problems = load_site(tmp_path, {LIST: officers_file(row("赵明远", "46000000001", "规划科"))})
    errors = [p for p in problems if p.severity.value == "error"]
    assert [(p.path, p.line, p.field) for p in errors] == [(LIST, 6, "officers.0.internal_unit")]
    assert "'规划科' is not an internal unit of 测试县自然资源局" in errors[0].message
    assert errors[0].hint == "did you mean 规划股?"


def test_an_expired_certificate_warns_and_the_officer_is_not_shown(tmp_path):
    catalog, problems = load_site(tmp_path, {LIST: VALID})
    warnings = [p for p in problems if p.field.startswith("officers.")]
    assert [(p.severity.value, p.line, p.field) for p in warnings] == [("warning", 15, "officers.2.valid_until")]
    assert "孙旧证's 执法证 expired on 2025-12-31" in warnings[0].message
    assert catalog.officer("46000000003") is None
    docs = [d for d in search_documents(catalog) if d.kind == "officers"]
    assert len(docs) == 1 and "46000000001" in docs[0].text and "赵明远" in docs[0].text
    assert "孙旧证" not in docs[0].text and "46000000003" not in docs[0].text


def test_public_fields_pass_the_sensitive_rules_but_a_planted_mobile_or_id_does_not(tmp_path):
    id_no = id_number("33010219900307123")
    # A certificate number shaped like a mobile is published by law in 执法证号: not a finding.
    text = officers_file(row("赵明远", "13912341024"),
                         row("钱雅琴", "46000000002", more=f"    note: 手机13712344321，身份证{id_no}\n"))
    _, problems = load_site(tmp_path, {LIST: text})
    errors = [p for p in problems if p.severity.value == "error"]
    assert [(p.line, p.field) for p in errors] == [(11, "officers.1.note"), (11, "officers.1.note")]
    assert {p.message.split(" ")[0] for p in errors} == {"手机号码", "居民身份证号"}


def test_pages_and_open_data(tmp_path):
    site = write_site(tmp_path, {**SMALL_SITE, LIST: VALID})
    commit_site(site, "2026-11-02")
    result = mkdocs_build(site)
    assert result.returncode == 0, result.output
    page = load(site / "site", "units/zrj/officers/index.html").one("article")
    assert page.one("h1").norm_text() == "测试县自然资源局执法人员"
    # The standard date element, right after the heading: the list's last commit.
    assert page.one("p", class_="gk-page-updated").one("time").get("datetime") == "2026-11-02"
    table = page.one("table")
    assert table.one("caption").norm_text() == "测试县自然资源局执法人员名单"
    assert [th.norm_text() for th in table.one("thead").find_all("th")] == ["姓名", "执法证号", "执法类别/领域", "所属机构"]
    assert all(th.get("scope") == "col" for th in table.one("thead").find_all("th"))
    rows = table.one("tbody").find_all("tr")
    assert [r.get("id") for r in rows] == ["officer-46000000001", "officer-46000000002"]
    assert [[c.norm_text() for c in r.find_all()] for r in rows][0] == ["赵明远", "46000000001", "规划监督", "规划股"]
    assert rows[0].one("th").get("scope") == "row"
    built = "".join(p.read_text(encoding="utf-8") for p in (site / "site").rglob("*.html"))
    assert "孙旧证" not in built and "46000000003" not in built  # expired: on no page
    # The unit page links the list; the navigation never holds it.
    unit = load(site / "site", "units/zrj/index.html")
    section = unit.one("h2", id="officers")
    assert section.norm_text() == "执法人员"
    assert any(a.get("href") == "officers/" for a in unit.one("article").find_all("a"))
    nav = unit.one("nav", class_="md-nav--primary")
    assert not any("officers" in (a.get("href") or "") for a in nav.find_all("a"))
    # Open data: one row per officer shown.
    data = (site / "site" / "data" / "officers.csv").read_text(encoding="utf-8-sig")
    table_rows = list(csv.DictReader(io.StringIO(data)))
    assert [(r["姓名"], r["执法证号"], r["所属机构"], r["所属单位"]) for r in table_rows] == [
        ("赵明远", "46000000001", "规划股", "测试县自然资源局"), ("钱雅琴", "46000000002", "办公室", "测试县自然资源局")]
    assert table_rows[0]["页面地址"] == "units/zrj/officers/#officer-46000000001"
    rows_json = json.loads((site / "site" / "data" / "officers.json").read_text(encoding="utf-8"))
    assert "46000000003" not in json.dumps(rows_json, ensure_ascii=False)
    assert "officers" in json.loads((site / "site" / "data" / "schema.json").read_text(encoding="utf-8"))["tables"]
