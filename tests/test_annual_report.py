"""政府信息公开工作年度报告 (2021 format): the page's tables against the format, every 勾稽 rule one
by one, the year and file rules, 第二部分 counted from the sample's documents, the missing-report
warning around 1月31日 and 3月31日, open data and search, and nothing of a draft published."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SMALL_SITE, mkdocs_build, write_site
from html_dom import load

from gongkai.export.data import data_files
from gongkai.model import load_catalog
from gongkai.search.documents import search_documents

TODAY = dt.date(2026, 11, 21)
REPORT = "content/units/county/annual-reports/2025.md"

# The format as disclosure-rules.md gives it (国办公开办函〔2021〕30号), written out here on purpose,
# independently of the code's own table.
SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
PART2 = {
    "第二十条第（一）项": (["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
    "第二十条第（五）项": (["信息内容", "本年处理决定数量"], ["行政许可"]),
    "第二十条第（六）项": (["信息内容", "本年处理决定数量"], ["行政处罚", "行政强制"]),
    "第二十条第（八）项": (["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费"]),
}
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
# Each row of 第三部分 as the row headers it opens: (label, colspan, rowspan).
PART3_ROWS = [
    [("一、本年新收政府信息公开申请数量", 3, 1)],
    [("二、上年结转政府信息公开申请数量", 3, 1)],
    [("三、本年度办理结果", 1, 22), ("（一）予以公开", 2, 1)],
    [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2, 1)],
    [("（三）不予公开", 1, 8), ("1.属于国家秘密", 1, 1)],
    [("2.其他法律行政法规禁止公开", 1, 1)],
    [('3.危及"三安全一稳定"', 1, 1)],
    [("4.保护第三方合法权益", 1, 1)],
    [("5.属于三类内部事务信息", 1, 1)],
    [("6.属于四类过程性信息", 1, 1)],
    [("7.属于行政执法案卷", 1, 1)],
    [("8.属于行政查询事项", 1, 1)],
    [("（四）无法提供", 1, 3), ("1.本机关不掌握相关政府信息", 1, 1)],
    [("2.没有现成信息需要另行制作", 1, 1)],
    [("3.补正后申请内容仍不明确", 1, 1)],
    [("（五）不予处理", 1, 5), ("1.信访举报投诉类申请", 1, 1)],
    [("2.重复申请", 1, 1)],
    [("3.要求提供公开出版物", 1, 1)],
    [("4.无正当理由大量反复申请", 1, 1)],
    [("5.要求行政机关确认或重新出具已获取信息", 1, 1)],
    [("（六）其他处理", 1, 3), ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1, 1)],
    [("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1, 1)],
    [("3.其他", 1, 1)],
    [("（七）总计", 2, 1)],
    [("四、结转下年度继续办理", 3, 1)],
]
ORGANISATIONS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
REVIEW = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def report_data() -> dict:
    """The small site's report front matter, as data to break."""
    return yaml.safe_load(SMALL_SITE[REPORT].split("---\n")[1])


def report_file(data: dict, body: str = "总体情况。\n") -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None) + "---\n" + body


def load_site(tmp_path: Path, files: dict[str, str], today: dt.date = TODAY, drop: tuple = ()):
    content = {k: v for k, v in {**SMALL_SITE, **files}.items() if k not in drop}
    root = write_site(tmp_path / "site-root", content)
    return load_catalog(root / "content", today=today)


def problems_of(problems, path: str = REPORT) -> list[str]:
    return [f"{p.field}: {p.message}" + (f"; {p.hint}" if p.hint else "") for p in problems if p.path == path]


def located(problems, path: str = REPORT) -> list[str]:
    return [p.format() for p in problems if p.path == path]


# --- the page against the format --------------------------------------------------------------
def test_report_page_has_the_six_sections_and_the_tables_of_the_format(built_small_site):
    page = load(built_small_site / "site", "units/county/annual-reports/2025/index.html").one("article")
    data = report_data()
    assert page.one("h1").norm_text() == "测试县人民政府2025年政府信息公开工作年度报告"
    assert "统计期限为2025年1月1日至12月31日" in page.one("p", class_="gk-report__preamble").norm_text()
    assert [h.norm_text() for h in page.find_all("h2")] == SECTIONS
    # Its own table of contents lists the six parts (Material's would list only 一's sub-headings).
    toc = page.one("nav", class_="gk-report__toc")
    assert [(a.norm_text(), a.get("href")) for a in toc.find_all("a")] == [
        (title, "#" + h.get("id")) for title, h in zip(SECTIONS, page.find_all("h2"))]
    assert "测试县2025年政府信息公开总体情况。" in page.norm_text()
    tables = {t.one("caption").norm_text(): t for t in page.find_all("table")}

    # 第二部分: four blocks, titled by the item, with their headers and rows.
    for title, (columns, rows) in PART2.items():
        table = tables[title]
        assert [th.norm_text() for th in table.one("thead").find_all("th")] == columns
        assert [th.get("scope") for th in table.one("thead").find_all("th")] == ["col"] * len(columns)
        assert [th.norm_text() for th in table.one("tbody").find_all("th")] == rows
    cells = lambda title: [td.norm_text() for td in tables[title].find_all("td")]  # noqa: E731
    assert cells("第二十条第（一）项") == ["0"] * 6  # counted: the small site has no 规范性文件
    assert cells("第二十条第（五）项") == ["3"] and cells("第二十条第（六）项") == ["1", "0"]
    assert cells("第二十条第（八）项") == ["0.5"]

    # 第三部分: the two-level header under 申请人情况, the note top left, every row with its spans.
    table = tables["收到和处理政府信息公开申请情况"]
    head = table.one("thead").find_all("tr")
    assert len(head) == 3
    corner = head[0].one("td")
    assert corner.norm_text() == NOTE and (corner.get("colspan"), corner.get("rowspan")) == ("3", "3")
    applicant = head[0].one("th")
    assert (applicant.norm_text(), applicant.get("colspan")) == ("申请人情况", "7")
    assert [(th.norm_text(), th.get("colspan"), th.get("rowspan")) for th in head[1].find_all("th")] == [
        ("自然人", None, "2"), ("法人或其他组织", "5", None), ("总计", None, "2")]
    assert [th.norm_text() for th in head[2].find_all("th")] == ORGANISATIONS
    rows = table.one("tbody").find_all("tr")
    assert [[(th.norm_text(), int(th.get("colspan", 1)), int(th.get("rowspan", 1))) for th in tr.find_all("th")]
            for tr in rows] == PART3_ROWS
    ids = {el.get("id") for el in table.iter() if el.get("id")}
    values = []
    for tr in rows:
        tds = tr.find_all("td")
        assert len(tds) == 7
        for td in tds:
            assert td.get("headers") and set(td.get("headers").split()) <= ids  # every header exists
        values.append([int(td.norm_text()) for td in tds])
    assert values[0] == data["applications"]["new"] and values[-1] == data["applications"]["carried_forward"]
    assert values[7] == data["applications"]["refused"]["third_party"]
    # A cell of 4.保护第三方合法权益 / 商业企业 is named by its row, its group, and both column levels.
    names = {el.get("id"): el.norm_text() for el in table.iter() if el.get("id")}
    assert [names[i] for i in rows[7].find_all("td")[1].get("headers").split()] == [
        "三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益", "申请人情况", "法人或其他组织", "商业企业"]

    # 第四部分: 行政复议 | 行政诉讼 (未经复议直接起诉, 复议后起诉), 15 numbers.
    table = tables["政府信息公开行政复议、行政诉讼情况"]
    head = table.one("thead").find_all("tr")
    assert [(th.norm_text(), th.get("colspan"), th.get("rowspan")) for th in head[0].find_all("th")] == [
        ("行政复议", "5", "2"), ("行政诉讼", "10", None)]
    assert [(th.norm_text(), th.get("colspan")) for th in head[1].find_all("th")] == [
        ("未经复议直接起诉", "5"), ("复议后起诉", "5")]
    assert [th.norm_text() for th in head[2].find_all("th")] == REVIEW * 3
    tds = table.one("tbody").find_all("td")
    assert len(tds) == 15
    names = {el.get("id"): el.norm_text() for el in table.iter() if el.get("id")}
    assert [names[i] for i in tds[13].get("headers").split()] == ["行政诉讼", "复议后起诉", "尚未审结"]

    assert page.find_all("h2")[-1].norm_text() == "六、其他需要报告的事项"
    assert "本年度未收取信息处理费。" in page.norm_text()
    assert "测试县政务公开改进情况。" in page.norm_text()


def test_the_list_page_lists_reports_by_year_then_body(built_small_site):
    page = load(built_small_site / "site", "disclosure/reports/index.html").one("article")
    assert page.one("h1").norm_text() == "政府信息公开工作年度报告"
    assert [h.norm_text() for h in page.find_all("h2")] == ["2025年度"]
    link = page.one("table").one("a")
    assert link.norm_text() == "测试县人民政府2025年政府信息公开工作年度报告"
    assert link.get("href") == "../../units/county/annual-reports/2025/"
    unit = load(built_small_site / "site", "units/county/index.html").one("article")
    assert unit.one("h2", id="annual-reports").norm_text() == "政府信息公开工作年度报告"
    assert [(a.norm_text(), a.get("href")) for a in unit.one("h2", id="annual-reports").parent.find_all("a")
            if "年度报告" in a.norm_text()] == [("2025年度报告", "annual-reports/2025/")]
    nav = load(built_small_site / "site", "index.html").find("nav", class_="md-nav--primary")
    assert "年度报告" not in nav.norm_text()  # not in the navigation


def test_print_styles_fit_a4_and_keep_tables_whole():
    css = (ROOT / "themes/gongkai/assets/stylesheets/gongkai.css").read_text(encoding="utf-8")
    prints = " ".join(re.findall(r"@media print \{(.*?)\n\}", css, re.S))
    assert "size: A4" in prints
    assert re.search(r"gk-report-table \{[^}]*break-inside: avoid", prints)
    assert re.search(r"gk-report-table thead \{ display: table-header-group", prints)


# --- 勾稽 rules, one by one -------------------------------------------------------------------
def broken(tmp_path, change) -> list[str]:
    data = report_data()
    change(data)
    catalog, problems = load_site(tmp_path, {REPORT: report_file(data)})
    return located(problems)


def test_the_small_sites_report_passes_every_rule(tmp_path):
    catalog, problems = load_site(tmp_path, {})
    assert located(problems) == []
    assert [r.page for r in catalog.collections["annual-reports"]] == ["units/county/annual-reports/2025.md"]


def test_total_column_is_the_sum_of_the_six(tmp_path):
    def change(d):
        d["applications"]["refused"]["third_party"] = [1, 1, 0, 0, 0, 0, 1]
    found = broken(tmp_path, change)
    assert any(p.startswith(f"{REPORT}:") and "applications.refused.third_party.6: （三）不予公开 4.保护第三方合法权益: "
               "总计 is 1, but its six columns add up to 2 (自然人 1 + 商业企业 1 + 科研机构 0 + 社会公益组织 0 + "
               "法律服务机构 0 + 其他 0); 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他" in p
               for p in found), found


def test_total_column_rule_names_the_row_and_its_place(tmp_path):
    def change(d):
        d["applications"]["new"] = [4, 1, 0, 0, 0, 0, 6]
    found = broken(tmp_path, change)
    line = SMALL_SITE[REPORT].splitlines().index("  new: [4, 1, 0, 0, 0, 0, 5]") + 1
    assert any(p.startswith(f"{REPORT}:{line}:") and "error: applications.new.6: 一、本年新收政府信息公开申请数量: 总计 is 6, "
               "but its six columns add up to 5" in p for p in found), found


def test_one_plus_two_equals_three_seven_plus_four_per_column(tmp_path):
    def change(d):
        d["applications"]["carried_over"] = [2, 0, 0, 0, 0, 0, 2]
    found = broken(tmp_path, change)
    # Column 自然人 (and, consistently, 总计): 一 + 二 = 4 + 2 = 6, but 三（七） + 四 = 5 + 0.
    assert [p.split(": error: ", 1)[1] for p in found] == [
        "applications.carried_forward.0: in column 自然人, 一 + 二 = 4 + 2 = 6, but 三（七）总计 + 四 = 5 + 0 = 5; "
        "第一项加第二项之和，等于第三项加第四项之和: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
        "applications.carried_forward.6: in column 总计, 一 + 二 = 5 + 2 = 7, but 三（七）总计 + 四 = 6 + 0 = 6; "
        "第一项加第二项之和，等于第三项加第四项之和: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度"]


def test_seven_is_the_sum_of_one_to_six(tmp_path):
    def change(d):
        d["applications"]["granted"] = [3, 1, 0, 0, 0, 0, 4]  # one more granted, total left as it was
    found = [p.split(": error: ", 1)[1] for p in broken(tmp_path, change)]
    assert ("applications.total.0: （七）总计 is 5 in column 自然人, but （一）–（六） add up to 6 (（一）予以公开 3 + "
            "（二）部分公开 1 + （三）不予公开 1 + （四）无法提供 1 + （五）不予处理 0 + （六）其他处理 0)") in [
        p.split("; ")[0] for p in found]
    assert any(p.startswith("applications.total.6: （七）总计 is 6 in column 总计, but （一）–（六） add up to 7") for p in found)
    assert not any(p.startswith("applications.carried_forward") for p in found)  # 一+二 still equals 三（七）+四


def test_each_group_equals_its_sub_rows(tmp_path):
    for group, sub, rows in (("refused", "third_party", 8), ("unavailable", "not_held", 3),
                             ("not_processed", "petitions", 5), ("other", "others", 3)):
        def change(d, group=group):
            sums = [sum(c) for c in zip(*d["applications"][group].values())]
            d["applications"][group]["subtotal"] = [sums[0] + 1, *sums[1:6], sums[6] + 1]
        found = [p.split(": error: ", 1)[1] for p in broken(tmp_path / group, change)]
        subtotal = [p for p in found if p.startswith(f"applications.{group}.subtotal.")]
        label = {"refused": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理",
                 "other": "（六）其他处理"}[group]
        assert [p.split(" is ")[0] for p in subtotal] == [
            f"applications.{group}.subtotal.{column}: {label}小计" for column in (0, 6)], found
        assert f"the sum of its {rows} sub-rows, per column" in subtotal[0]
        assert "小计" not in "".join(p for p in found if p not in subtotal)


def test_a_group_subtotal_that_adds_up_passes(tmp_path):
    def change(d):
        d["applications"]["refused"]["subtotal"] = [1, 0, 0, 0, 0, 0, 1]
    assert broken(tmp_path, change) == []


def test_part_four_totals(tmp_path):
    def change(d):
        d["reviews"]["direct_suit"] = [1, 0, 0, 1, 1]
    found = broken(tmp_path, change)
    assert [p.split(": error: ", 1)[1] for p in found] == [
        "reviews.direct_suit.4: 未经复议直接起诉: 总计 is 1, but its four columns add up to 2 "
        "(结果维持 1 + 结果纠正 0 + 其他结果 0 + 尚未审结 1); 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"]


def test_rows_of_the_wrong_length_or_negative_are_schema_errors(tmp_path):
    def change(d):
        d["applications"]["granted"] = [2, 1, 0, 0, 0, 3]
        d["applications"]["partly_granted"] = [1, 0, 0, -1, 0, 0, 1]
        d["reviews"]["review"] = [0, 0, 0, 0]
    found = [p.split(": error: ", 1)[1] for p in broken(tmp_path, change)]
    assert "applications.granted: expected 7 numbers (one per applicant column), got 6; write the row as " \
           "[自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]" in found
    assert "applications.partly_granted.3: must be at least 0, got -1" in found
    assert any(p.startswith("reviews.review: expected 5 numbers") for p in found)


# --- year, file, body ------------------------------------------------------------------------
def test_a_future_year_a_premature_one_and_a_date_before_the_year_ended(tmp_path):
    data = report_data()
    files = {
        "content/units/zrj/annual-reports/2027.md": report_file({**data, "year": 2027, "published": "2028-01-20"}),
        # The build year's own report: premature when it would be published ...
        "content/units/county/annual-reports/2026.md": report_file({**data, "year": 2026, "published": "2026-11-01"}),
        # ... fine as a draft.
        "content/units/zrj/annual-reports/2026.md": report_file({**data, "year": 2026, "published": "2027-01-20",
                                                                  "draft": True}),
    }
    catalog, problems = load_site(tmp_path, files)
    assert problems_of(problems, "content/units/zrj/annual-reports/2027.md") == [
        "year: the year 2027 is in the future (the build date is 2026年11月21日); "
        "a report covers a year that has ended: the report on 2025 is due in 2026"]
    assert problems_of(problems, "content/units/county/annual-reports/2026.md") == [
        "year: the year 2026 has not ended (the build date is 2026年11月21日); "
        "the report on 2026 is published in 2027; mark it 'draft: true' until then",
        "published: 发布日期 2026年11月1日 is before the end of 2026, the year the report covers; "
        "a report on 2026 is published from 2027年1月1日 on"]
    assert problems_of(problems, "content/units/zrj/annual-reports/2026.md") == []


def test_the_file_name_must_be_the_year_and_one_report_per_body_and_year(tmp_path):
    data = report_data()
    files = {"content/units/county/annual-reports/2025-bg.md": report_file(data)}
    catalog, problems = load_site(tmp_path, files)
    assert problems_of(problems, "content/units/county/annual-reports/2025-bg.md") == [
        "year: a second report for 2025: content/units/county/annual-reports/2025.md is the first; "
        "a body publishes one report a year: merge them, or correct 'year'",
        "year: the file is named 2025-bg.md, but the report is for 2025; name the file 2025.md "
        "(its page is …/annual-reports/2025/), or correct 'year'"]
    assert problems_of(problems) == []


def test_a_report_of_a_body_that_does_not_exist(tmp_path):
    files = {"content/units/nobody/annual-reports/2025.md": SMALL_SITE[REPORT]}
    catalog, problems = load_site(tmp_path, files)
    assert [p.format() for p in problems if "nobody" in p.path] == [
        "content/units/nobody:1:1: error: unit folder has no unit.md; "
        "add content/units/nobody/unit.md with the unit's name and type"]
    assert all(r.unit_id != "nobody" for r in catalog.collections["annual-reports"])


# --- 第二部分 counted from the sample's documents ---------------------------------------------
@pytest.fixture(scope="module")
def sample():
    return load_catalog(ROOT / "content", today=TODAY)


def test_part_two_is_counted_from_the_samples_documents(sample):
    catalog, problems = sample
    reports = {r.unit_id: r for r in catalog.collections["annual-reports"]}
    assert sorted(reports) == ["county", "mzj", "scjgj"]
    numbers = lambda r: [r.document_count("normative", k) for k in ("issued", "repealed", "in_force")]  # noqa: E731
    # 县政府: its only 规范性文件 is 安府发〔2024〕5号 (published 2024-03-15, 失效 2029-04-30): none
    # issued or repealed in 2025, one in force. 安府发〔2019〕12号 is a 管理办法, not counted.
    assert numbers(reports["county"]) == [0, 0, 1]
    assert [d.doc_no for d in reports["county"].counted("normative").in_force] == ["安府发〔2024〕5号"]
    # 民政局: issued 安民发〔2025〕4号 (2025-06-20); repealed 安民发〔2021〕7号 (by that one, on
    # 2025-06-20); in force at 2025-12-31: 安民发〔2022〕5号 and 安民发〔2025〕4号. The draft
    # 安民发〔2025〕9号 is not counted; 安民发〔2019〕8号 is a 管理办法.
    counted = reports["mzj"].counted("normative")
    assert numbers(reports["mzj"]) == [1, 1, 2]
    assert [[d.doc_no for d in docs] for docs in (counted.issued, counted.repealed, counted.in_force)] == [
        ["安民发〔2025〕4号"], ["安民发〔2021〕7号"], ["安民发〔2022〕5号", "安民发〔2025〕4号"]]
    # 市场监管局: no 规范性文件 at all.
    assert numbers(reports["scjgj"]) == [0, 0, 0]
    # 规章: a county has none.
    assert all(r.document_count("rules", k) == 0 for r in reports.values() for k in ("issued", "repealed", "in_force"))
    # The sample's reports pass every check, and have nothing to warn about.
    assert [p.format() for p in problems if "annual-reports" in p.path] == []


def test_an_entered_count_that_differs_is_a_warning_with_both_and_the_documents(tmp_path):
    data = report_data()
    data["proactive"]["normative"] = {"issued": 2, "in_force": 1}
    files = {
        REPORT: report_file(data),
        "content/units/county/documents/2025-gfxwj.md": "---\ntitle: 测试县规范性文件管理规定\ndoc_no: 测政发〔2025〕2号\n"
                                                        "genre: 行政规范性文件\ntopic: 综合政务\\政务公开\npublished: 2025-04-01\n---\n",
        "content/units/county/documents/2025-gfxwj-draft.md": "---\ntitle: 测试县规范性文件草稿\ngenre: 规范性文件\n"
                                                              "topic: 综合政务\\政务公开\npublished: 2025-05-01\ndraft: true\n---\n",
    }
    catalog, problems = load_site(tmp_path, files)
    assert [(p.severity.value, p.field, p.message, p.hint) for p in problems if p.path == REPORT] == [
        ("warning", "proactive.normative.issued", "行政规范性文件 本年制发件数: entered 2, but the site's documents count 1",
         "counted (行政规范性文件 of 2025): 测政发〔2025〕2号; correct the number, or leave it out to show the count")]
    report = catalog.collections["annual-reports"][0]
    assert [report.document_count("normative", k) for k in ("issued", "repealed", "in_force")] == [2, 0, 1]


# --- the missing report, from the build date --------------------------------------------------
def missing(tmp_path: Path, today: dt.date, files: dict, drop=(REPORT,)) -> list[str]:
    catalog, problems = load_site(tmp_path / today.isoformat(), files, today, drop)
    return [p.format() for p in problems if "annual" in p.message or "年度报告" in p.message]


def test_a_missing_report_is_a_warning_after_its_deadline(tmp_path):
    data = report_data()
    earlier = {"content/units/county/annual-reports/2024.md": report_file({**data, "year": 2024, "published": "2025-03-01"}),
               "content/units/zrj/annual-reports/2024.md": report_file({**data, "year": 2024, "published": "2025-01-20"})}
    # Departments by 1月31日, the government by 3月31日.
    assert missing(tmp_path, dt.date(2026, 1, 31), earlier) == []
    assert missing(tmp_path, dt.date(2026, 2, 1), earlier) == [
        "content/units/zrj/unit.md:1:1: warning: no published 2025年 政府信息公开工作年度报告: it was due by 2026年1月31日 "
        "(it reported on 2024); add content/units/zrj/annual-reports/2025.md"]
    assert len(missing(tmp_path, dt.date(2026, 3, 31), earlier)) == 1
    assert missing(tmp_path, dt.date(2026, 4, 1), earlier) == [
        "content/units/county/unit.md:1:1: warning: no published 2025年 政府信息公开工作年度报告: it was due by 2026年3月31日 "
        "(it reported on 2024); add content/units/county/annual-reports/2025.md",
        "content/units/zrj/unit.md:1:1: warning: no published 2025年 政府信息公开工作年度报告: it was due by 2026年1月31日 "
        "(it reported on 2024); add content/units/zrj/annual-reports/2025.md"]
    # With last year's report published, nothing; a draft of it is not a report.
    assert missing(tmp_path, dt.date(2026, 4, 2), earlier, drop=()) == [
        "content/units/zrj/unit.md:1:1: warning: no published 2025年 政府信息公开工作年度报告: it was due by 2026年1月31日 "
        "(it reported on 2024); add content/units/zrj/annual-reports/2025.md"]
    draft = {**earlier, "content/units/zrj/annual-reports/2025.md": report_file({**data, "draft": True})}
    assert len(missing(tmp_path / "draft", dt.date(2026, 4, 2), draft, drop=())) == 1
    # A body that never reported and has no 公开指南 is not expected to.
    assert missing(tmp_path / "none", dt.date(2026, 4, 2), {}) == []


def test_a_body_with_a_disclosure_guide_owes_a_report(tmp_path):
    """公开指南 is another kind (plural disclosure-guides, made in parallel): a unit the Catalog
    holds one for owes a report. The guide is put in the Catalog's index by hand, so this runs with
    or without that kind in the registry."""
    from gongkai.model.assembly.report_rules import missing_reports
    catalog, _ = load_site(tmp_path, {}, dt.date(2026, 2, 1), drop=(REPORT,))
    assert missing_reports(catalog) == []
    catalog._by_unit["zrj"]["disclosure-guides"].append(object())
    assert [p.message for p in missing_reports(catalog)] == [
        "no published 2025年 政府信息公开工作年度报告: it was due by 2026年1月31日 (it has a 公开指南)"]


# --- open data, search, and drafts -------------------------------------------------------------
def test_open_data_and_search_carry_the_sample_reports(sample):
    catalog, _ = sample
    files = data_files(catalog)
    rows = json.loads(files["data/annual-reports.json"])["records"]
    mzj = [r for r in rows if r["unit_id"] == "mzj"]
    assert len(mzj) == 6 + 1 + 2 + 1 + 25 * 7 + 15 + 1  # every number of the report
    assert {"unit": "安澜县民政局", "unit_id": "mzj", "year": 2025, "published": "2026-01-22",
            "part": "三、收到和处理政府信息公开申请情况", "row": "三、本年度办理结果 （三）不予公开 4.保护第三方合法权益",
            "column": "自然人", "value": 1, "source": "填报", "url": "units/mzj/annual-reports/2025/"} in mzj
    county = [r for r in rows if r["unit_id"] == "county" and r["row"] == "第二十条第（一）项 行政规范性文件"]
    assert [(r["column"], r["value"], r["source"]) for r in county] == [
        ("本年制发件数", 0, "按网站文件统计"), ("本年废止件数", 0, "按网站文件统计"), ("现行有效件数", 1, "按网站文件统计")]
    csv = files["data/annual-reports.csv"].decode("utf-8-sig").splitlines()
    assert csv[0] == "单位,单位标识,年度,发布日期,部分,项目,栏目,数值,来源,页面地址"
    assert "安澜县人民政府,county,2025,2026-03-20,四、政府信息公开行政复议、行政诉讼情况,行政诉讼 未经复议直接起诉,尚未审结,1,填报," \
           "units/county/annual-reports/2025/" in csv
    docs = [d for d in search_documents(catalog) if d.kind == "annual_report"]
    assert {(d.title, d.year, d.url) for d in docs} == {
        ("安澜县人民政府2025年政府信息公开工作年度报告", 2025, "units/county/annual-reports/2025/"),
        ("安澜县民政局2025年政府信息公开工作年度报告", 2025, "units/mzj/annual-reports/2025/"),
        ("安澜县市场监督管理局2025年政府信息公开工作年度报告", 2025, "units/scjgj/annual-reports/2025/")}


def test_nothing_of_a_draft_or_unpublished_report_is_published(tmp_path):
    data = report_data()
    draft = {**data, "improvements": "草稿年报改进情况DRAFTCANARY。"}
    scheduled = {**data, "year": 2025, "published": "2026-12-20", "improvements": "未到发布日期LATERCANARY。"}
    files = {**SMALL_SITE,
             "content/units/zrj/annual-reports/2025.md": report_file({**draft, "draft": True}, "草稿正文DRAFTCANARY。\n"),
             REPORT: report_file(scheduled, "未到发布日期LATERCANARY。\n")}
    root = write_site(tmp_path / "site-root", files)
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    site = root / "site"
    assert not (site / "units/zrj/annual-reports").exists() and not (site / "units/county/annual-reports").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".js", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "DRAFTCANARY" not in text and "LATERCANARY" not in text, path
    listing = load(site, "disclosure/reports/index.html").one("article")
    assert "暂无公开的年度报告" in listing.norm_text()


def test_gongkai_new_writes_last_years_report_to_fill_in(tmp_path):
    from gongkai.scaffold import new_content
    root = write_site(tmp_path / "site-root")
    path, text = new_content(root / "content", "annual_report", "zrj", today=dt.date(2026, 1, 5))
    assert path == root / "content/units/zrj/annual-reports/2025.md"
    data = yaml.safe_load(text.split("---\n")[1])
    assert data["year"] == 2025 and data["published"] == "待填写"
    assert "normative" not in data["proactive"] and "rules" not in data["proactive"]  # counted by the site
    assert "subtotal" not in text and set(data["applications"]["refused"]) == {
        "state_secret", "prohibited", "three_safeties", "third_party", "internal_affairs", "process_information",
        "enforcement_files", "inquiry"}
