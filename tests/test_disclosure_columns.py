"""政府信息公开: the 公开指南 (第十二条), the 法定主动公开内容 column tree, its freshness report and pages.

Small sites of their own, with 主题分类 from the national two-level list, and the project's real
column mapping (content/_vocab/disclosure-columns.yml).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import threading
from pathlib import Path

import pytest

from conftest import (ROOT, SMALL_SITE, BrowserSession, _QuietHandler, commit_site, gongkai_check, mkdocs_build,
                      write_site)
from html_dom import load, resolve

from gongkai.model import load_catalog
from gongkai.model.assembly.columns import column_problems

BUILD_DATE = dt.date(2026, 11, 21)  # conftest's SOURCE_DATE_EPOCH, for the in-process loads too
MAPPING = (ROOT / "content/_vocab/disclosure-columns.yml").read_text(encoding="utf-8")
GUIDE = "content/units/zrj/disclosure-guides/guide.md"

# Line numbers matter: the missing-field test asserts the line of each removed element.
GUIDE_TEXT = """\
---
title: 测试县自然资源局政府信息公开指南
updated: 2026-01-05
classification:
  - 主动公开的政府信息
  - 依申请公开的政府信息
arrangement: 按法定主动公开内容栏目编排。
obtaining:
  proactive:
    - 本网站
  on_request: 提交政府信息公开申请表，20个工作日内答复。
office:
  name: 测试县自然资源局办公室
  address: 测试县人民路1号
  hours: 工作日 8:30—17:30
  phone: 0000-1234567
  fax: 0000-1234568
  web: https://zrj.example.gov.cn/
not_applicable: [plans, statistics]
---
本指南的其他说明。
"""


def guide(title: str, *extra: str) -> str:
    lines = GUIDE_TEXT.splitlines()
    lines[1] = f"title: {title}"
    lines[19:19] = list(extra)
    return "\n".join(lines) + "\n"


def document(title: str, topic: str, published: str, genre: str = "通知", extra: str = "") -> str:
    return f"---\ntitle: {title}\ntopic: {topic}\ngenre: {genre}\npublished: {published}\n{extra}---\n正文。\n"


SITE = {
    **SMALL_SITE,
    "content/_vocab/unit-types.yml": "- 县人民政府\n- 县直部门\n- 乡镇\n",
    "content/_vocab/disclosure-columns.yml": MAPPING,
    # The small site's document, filed under a national topic.
    "content/units/zrj/documents/2021-gz.md": SMALL_SITE["content/units/zrj/documents/2021-gz.md"].replace(
        "topic: 国土资源", "topic: 国土资源、能源\\土地"),
    GUIDE: GUIDE_TEXT,
    "content/units/zrj/documents/2026-ys.md": document("测试县自然资源局2026年部门预算", "财政、金融、审计\\财政",
                                                       "2026-02-10", "预算"),
    "content/units/zrj/documents/2026-js.md": document("测试县自然资源局2025年部门决算", "财政、金融、审计\\审计",
                                                       "2026-08-03"),
    "content/units/zrj/documents/2025-gf.md": document("测试县土地储备管理办法", "国土资源、能源\\土地", "2025-04-01",
                                                       "规范性文件"),
    # Placed by its override instead of its topic (社会保障 → livelihood).
    "content/units/zrj/documents/2026-override.md": document(
        "测试县被征地农民养老保险实施细则", "劳动、人事、监察\\社会保障", "2026-11-10", "通知",
        "columns: [land-expropriation, 22]\n"),
    # Issued by the county with zrj as co-issuer: in both bodies' columns.
    "content/units/county/documents/2026-lh.md": document(
        "测试县人民政府关于2026年土地征收成片开发方案的通知", "国土资源、能源\\土地", "2026-09-01", "通知",
        "issuers: [county, zrj]\n"),
    "content/units/county/disclosure-guides/guide.md": guide("测试县人民政府政府信息公开指南"),
    # 公开制度: 综合政务\政务公开 and a rule-making 文种; a 通知 on the same topic is not one, nor a draft.
    "content/units/county/documents/2026-zd.md": document("测试县政府信息公开保密审查制度", "综合政务\\政务公开",
                                                          "2026-03-01", "制度"),
    "content/units/county/documents/2026-tz.md": document("测试县关于做好政务公开工作的通知", "综合政务\\政务公开",
                                                          "2026-03-02"),
    "content/units/county/documents/2026-draft.md": document("测试县政府信息公开草稿制度", "综合政务\\政务公开",
                                                             "2026-03-03", "制度", "draft: true\n"),
    "content/units/town/unit.md": "---\nname: 测试县清水镇人民政府\nshort_name: 清水镇\ntype: 乡镇\n"
                                   "code: TESTTOWN00000001\nparents: [county]\norder: 20\n---\n",
    "content/units/town/disclosure-guides/guide.md": guide("测试县清水镇人民政府政府信息公开指南"),
    "content/units/town/documents/2026-nc.md": document("清水镇2026年高标准农田建设实施方案",
                                                        "农业、林业、水利\\农业、畜牧业、渔业", "2026-11-18",
                                                        "实施方案"),
}


def columns_of(catalog, unit_id: str) -> dict[str, list[str]]:
    """{column slug: titles of its items, newest first} of a body."""
    return {c.spec.slug: [r.page_title for r in c.items] for c in catalog.disclosure[unit_id].columns}


@pytest.fixture
def site(tmp_path) -> Path:
    return write_site(tmp_path / "site-root", SITE)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp("disclosure") / "site-root", SITE)
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    return root / "site"


def page_date(article) -> str:
    """The page's one 最后更新 element, as its datetime."""
    dates = article.find_all("p", class_="gk-page-updated")
    assert len(dates) == 1, dates
    return dates[0].one("time").get("datetime")


def load_site(root: Path):
    return load_catalog(root / "content", today=BUILD_DATE)


def errors(problems):
    return [p for p in problems if p.severity.value == "error"]


# --- the 公开指南 ------------------------------------------------------------------------------

@pytest.mark.parametrize("drop, field, where, label", [
    ("classification:", "classification", "2:1", "政府信息的分类"),
    ("arrangement:", "arrangement", "2:1", "编排体系"),
    ("obtaining:", "obtaining", "2:1", "获取方式"),
    ("  proactive:", "obtaining.proactive", "9:3", "主动公开信息的获取方式"),
    ("  on_request:", "obtaining.on_request", "9:3", "依申请公开的程序"),
    ("office:", "office", "2:1", "政府信息公开工作机构"),
    ("  name:", "office.name", "13:3", "政府信息公开工作机构名称"),
    ("  address:", "office.address", "13:3", "办公地址"),
    ("  hours:", "office.hours", "13:3", "办公时间"),
    ("  phone:", "office.phone", "13:3", "联系电话"),
    ("  fax:", "office.fax", "13:3", "传真号码"),
    ("  web:", "office.web", "13:3", "互联网联系方式"),
    ("updated:", "updated", "2:1", "更新日期"),
])
def test_a_guide_missing_an_article_12_element_is_a_located_error_naming_it(site, drop, field, where, label):
    lines = GUIDE_TEXT.splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith(drop))
    end = start + 1  # a mapping or list field takes its indented lines with it
    while end < len(lines) and lines[end].startswith(" " * (len(drop) - len(drop.lstrip()) + 2)):
        end += 1
    (site / GUIDE).write_text("\n".join(lines[:start] + lines[end:]) + "\n", encoding="utf-8")
    _, problems = load_site(site)
    found = [p for p in errors(problems) if p.path.endswith("zrj/disclosure-guides/guide.md")]
    assert [(f"{p.line}:{p.column}", p.field, p.message) for p in found] == [(where, field, "required field is missing")]
    assert f"({label})" in found[0].hint
    assert found[0].format() == (f"content/units/zrj/disclosure-guides/guide.md:{where}: error: {field}: "
                                 f"required field is missing; add '{field.split('.')[-1]}:' ({label})")


def test_a_guide_with_an_empty_element_is_an_error(site):
    (site / GUIDE).write_text(GUIDE_TEXT.replace("  fax: 0000-1234568", '  fax: ""'), encoding="utf-8")
    _, problems = load_site(site)
    assert [(p.line, p.field, p.message) for p in errors(problems)] == [(17, "office.fax", "must not be empty")]


def test_a_second_guide_for_a_unit_is_a_located_error(site):
    (site / "content/units/zrj/disclosure-guides/guide2.md").write_text(GUIDE_TEXT, encoding="utf-8")
    _, problems = load_site(site)
    assert [p.format() for p in errors(problems)] == [
        "content/units/zrj/disclosure-guides/guide2.md:2:1: error: a second 公开指南 for this unit; the first is "
        "content/units/zrj/disclosure-guides/guide.md; a body has one 政府信息公开指南: merge them into one file"]


def test_a_draft_guide_makes_no_disclosing_body(site):
    (site / GUIDE).write_text(GUIDE_TEXT.replace("updated: 2026-01-05", "updated: 2026-01-05\ndraft: true"),
                              encoding="utf-8")
    catalog, problems = load_site(site)
    assert not errors(problems)
    assert list(catalog.disclosure) == ["county", "town"]


# --- filling the columns ------------------------------------------------------------------------

def test_the_mapping_fills_the_columns_of_each_body(site):
    catalog, problems = load_site(site)
    assert not errors(problems), [p.format() for p in problems]
    assert list(catalog.disclosure) == ["county", "zrj", "town"]
    zrj = columns_of(catalog, "zrj")
    # 行政法规、规章和规范性文件: by 文种.
    assert zrj["regulations"] == ["测试县土地储备管理办法"]
    # The unit's own record: 机关职能、机构设置 ….
    assert zrj["organization"] == ["测试县自然资源局"]
    # 财政预算、决算: the topic 财政、金融、审计\财政, or the 文种 预算/决算 (审计 is another subtopic).
    assert zrj["budgets"] == ["测试县自然资源局2026年部门预算"]
    # Power items by category.
    assert zrj["licensing"] == ["建设工程规划许可证核发", "建设工程规划许可证核发办事指南"]
    assert zrj["enforcement"] == ["对未取得建设工程规划许可证进行建设的处罚"]
    assert zrj["inspections"] == []
    # 土地征收: the topic prefix 国土资源、能源\土地, the county's joint document, the override.
    assert zrj["land-expropriation"] == ["测试县被征地农民养老保险实施细则",
                                         "测试县人民政府关于2026年土地征收成片开发方案的通知",
                                         "测试县土地储备管理办法", "测试县自然资源局关于规范用地审批的通知"]
    # The override replaces the mapping: not in livelihood, where its topic would put it.
    assert "测试县被征地农民养老保险实施细则" not in zrj["livelihood"]
    assert zrj["social-assistance"] == ["测试县被征地农民养老保险实施细则"]
    # 公示 and 公告 notices.
    assert zrj["others"] == ["关于测试项目规划许可的公示"]
    county = columns_of(catalog, "county")
    assert county["land-expropriation"] == ["测试县人民政府关于2026年土地征收成片开发方案的通知"]
    assert county["licensing"] == ["行政区域界线争议的确认"]  # a 行政确认: 其他对外管理服务事项
    zrj_columns = {c.spec.slug: c for c in catalog.disclosure["zrj"].columns}
    assert zrj_columns["land-expropriation"].newest == dt.date(2026, 11, 10)
    assert zrj_columns["organization"].newest is None
    assert zrj_columns["plans"].not_applicable and not zrj_columns["plans"].is_empty()


def test_a_township_has_the_township_items_and_a_county_body_the_county_items(site):
    catalog, _ = load_site(site)
    town = catalog.disclosure["town"]
    assert town.township and not catalog.disclosure["zrj"].township
    titles = [c.spec.title for c in town.columns]
    assert titles[15:] == ["土地征收", "房屋征收", "社会救助", "贯彻落实农业农村政策", "农田水利工程建设运营",
                           "农村土地承包经营权流转", "宅基地使用情况审核", "筹资筹劳"]
    assert [c.spec.title for c in catalog.disclosure["zrj"].columns][15:] == [
        "市政建设", "公共服务", "公益事业", "土地征收", "房屋征收", "治安管理", "社会救助"]
    assert columns_of(catalog, "town")["rural-policy"] == ["清水镇2026年高标准农田建设实施方案"]


@pytest.mark.parametrize("where, text, field, hint", [
    ("content/units/zrj/documents/2026-ys.md", "columns: [budget]\n", "columns.0", "did you mean budgets?"),
    ("content/units/zrj/documents/2026-ys.md", "columns: [7, 财政预算决算信息]\n", "columns.1",
     "did you mean 财政预算、决算信息?"),
    (GUIDE, None, "not_applicable.1", "did you mean statistics?"),
])
def test_an_unknown_column_is_a_located_error_with_did_you_mean(site, where, text, field, hint):
    path = site / where
    if text is None:
        path.write_text(GUIDE_TEXT.replace("[plans, statistics]", "[plans, statistic]"), encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8").replace("---\n正文", text + "---\n正文"), encoding="utf-8")
    _, problems = load_site(site)
    [problem] = errors(problems)
    assert (problem.path, problem.field, problem.hint) == (where, field, hint)
    assert problem.message.startswith("unknown column '")
    line = path.read_text(encoding="utf-8").splitlines().index(
        next(t for t in path.read_text(encoding="utf-8").splitlines() if t.startswith(field.split(".")[0]))) + 1
    assert problem.line == line


# --- the section's settings and the column vocabulary ------------------------------------------

def test_bad_settings_are_located_errors(site):
    (site / "content/_vocab/disclosure.yml").write_text(
        "freshness:\n  动态: -3\n  通知: 90\nrequire_interpretation: 也许\n", encoding="utf-8")
    _, problems = load_site(site)
    assert [(p.path, p.line, p.field, p.message) for p in errors(problems)] == [
        ("content/_vocab/disclosure.yml", 2, "freshness.动态", "must be at least 1, got -3"),
        ("content/_vocab/disclosure.yml", 3, "freshness.通知", "unknown field '通知'"),
        ("content/_vocab/disclosure.yml", 4, "require_interpretation", "expected true or false, got '也许'"),
    ]


@pytest.mark.parametrize("old, new, field, message", [
    ("  freshness: 动态\n", "  freshness: 动太\n", "columns.14.freshness", "'动太' is not a freshness class"),
    ("- number: 14\n", "- number: 13\n", "columns.13.number", "column number 13 is also column 12's"),
    ("  slug: fees\n", "  slug: budgets\n", "columns.7.slug", "'budgets' is also the name of column 6"),
])
def test_a_bad_column_list_is_a_located_error(site, old, new, field, message):
    (site / "content/_vocab/disclosure-columns.yml").write_text(MAPPING.replace(old, new), encoding="utf-8")
    _, problems = load_site(site)
    [problem] = errors(problems)
    assert (problem.path, problem.line, problem.field, problem.message) == (
        "content/_vocab/disclosure-columns.yml", MAPPING.splitlines().index(old.rstrip("\n")) + 1, field, message)


def test_a_selector_topic_not_in_the_topic_list_is_a_located_error(site):
    """A misspelt 主题分类 in the mapping would leave its column empty without a word."""
    (site / "content/_vocab/topics.yml").write_text(
        (ROOT / "content/_vocab/topics.yml").read_text(encoding="utf-8"), encoding="utf-8")
    old = "      - topics: [城乡建设、环境保护\\城市规划]\n"
    (site / "content/_vocab/disclosure-columns.yml").write_text(
        MAPPING.replace(old, old.replace("城市规划", "城市规化")), encoding="utf-8")
    _, problems = load_site(site)
    [problem] = [p for p in errors(problems) if p.path.endswith("disclosure-columns.yml")]
    assert (problem.line, problem.field) == (MAPPING.splitlines().index(old.rstrip("\n")) + 1,
                                             "columns.2.select.documents.1.topics.0")
    assert problem.message == "'城乡建设、环境保护\\城市规化' is neither a category nor a topic of content/_vocab/topics.yml"
    assert "城乡建设、环境保护\\城市规划" in problem.hint


def test_settings_reach_the_catalog(site):
    (site / "content/_vocab/disclosure.yml").write_text(
        "freshness:\n  动态: 30\n  常态: 400\nrequire_interpretation: true\n", encoding="utf-8")
    catalog, problems = load_site(site)
    assert not errors(problems)
    settings = catalog.disclosure_settings
    assert (settings.freshness.window("动态"), settings.freshness.window("通知公告"),
            settings.freshness.window("常态"), settings.require_interpretation) == (30, 183, 400, True)


# --- the freshness report -----------------------------------------------------------------------

def test_empty_and_stale_columns_are_warnings_dated_from_the_build_date(site):
    catalog, problems = load_site(site)
    report = [p for p in column_problems(catalog) if "zrj" in p.path]
    assert all(p.severity.value == "warning" and p.path == GUIDE and p.line == 2 for p in report)
    # Empty: every zrj column with nothing in it and not declared not applicable.
    empty = sorted(p.message.split()[2] for p in report if p.message.endswith("is empty (空白栏目)"))
    assert empty == ["civil-service", "emergencies", "fees", "housing-expropriation", "inspections", "livelihood",
                     "major-projects", "municipal", "procurement", "public-security", "public-services",
                     "public-welfare"]
    assert "column 08 fees (行政事业性收费项目及其依据、标准) is empty (空白栏目)" in [p.message for p in report]
    # 行政法规、规章和规范性文件 (通知公告, 183 days): newest 2025-04-01, 599 days before 2026-11-21.
    stale = [p.message for p in report if "last updated" in p.message]
    assert stale == ["column 01 regulations (行政法规、规章和规范性文件) was last updated on 2025-04-01, 599 days "
                     "before the build date 2026-11-21 (a 通知公告 column is updated within 183 days)"]
    # The 公示 of 2026-11-15 is 6 days old: a 动态 column within its 14 days. The budget column
    # (常态) has no window. Neither is reported.
    assert not [p for p in report if " others " in p.message or " budgets " in p.message]
    # Ten days later the 动态 column is stale too.
    catalog.build_date = BUILD_DATE + dt.timedelta(days=10)
    later = [p.message for p in column_problems(catalog) if "zrj" in p.path and "others" in p.message]
    assert later == ["column 15 others (法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息) was last updated "
                     "on 2026-11-15, 16 days before the build date 2026-12-01 (a 动态 column is updated within 14 days)"]
    # The audit's count of empty columns over the site.
    site_wide = [p for p in column_problems(catalog) if p.path.endswith("disclosure-columns.yml")]
    assert len(site_wide) == 1 and site_wide[0].message.startswith(
        f"{sum(len(b.empty) for b in catalog.disclosure.values())} empty columns (空白栏目) in the site")


def test_a_configured_window_changes_the_report(site):
    (site / "content/_vocab/disclosure.yml").write_text("freshness:\n  通知公告: 700\n", encoding="utf-8")
    catalog, _ = load_site(site)
    assert not [p for p in column_problems(catalog) if "last updated" in p.message and "zrj" in p.path]


def test_check_reports_the_columns_and_strict_fails_on_them(site):
    plain = gongkai_check(site)
    assert plain.returncode == 0, plain.output
    assert ("content/units/zrj/disclosure-guides/guide.md:2:1: warning: column 13 inspections "
            "(环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况) is empty (空白栏目)") in plain.stdout
    strict = gongkai_check(site, "--strict")
    assert strict.returncode == 1
    assert strict.stdout == plain.stdout
    report = json.loads(gongkai_check(site, "--format", "json").stdout)
    assert {"path": GUIDE, "line": 2, "column": 1, "field": "", "severity": "warning",
            "message": "column 13 inspections (环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况) is empty (空白栏目)",
            "hint": "publish its information, or list the column under not_applicable if the body has none"
            } in report["problems"]


def test_strict_passes_when_every_column_is_filled_or_not_applicable(tmp_path):
    # The columns zrj has nothing for (those with items must not be declared so: check warns).
    every = ("[plans, statistics, fees, procurement, major-projects, livelihood, emergencies, inspections, "
             "civil-service, municipal, public-services, public-welfare, housing-expropriation, public-security]")
    files = {**SITE, GUIDE: GUIDE_TEXT.replace("[plans, statistics]", every),
             # zrj's newest 规范性文件 is older than six months: a window that the site keeps.
             "content/_vocab/disclosure.yml": "freshness: {动态: 3650, 通知公告: 3650}\n"}
    for key in [k for k in files if k.startswith(("content/units/county/disclosure", "content/units/town/"))]:
        del files[key]
    # A body with a 公开指南 owes last year's 年度报告: zrj publishes one too. Committed, so every
    # page has its date (outside git, undated pages are warnings that --strict fails on).
    files["content/units/zrj/annual-reports/2025.md"] = SMALL_SITE["content/units/county/annual-reports/2025.md"]
    root = write_site(tmp_path / "site-root", files)
    commit_site(root)
    result = gongkai_check(root, "--strict")
    assert result.returncode == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.stderr


# --- the pages ----------------------------------------------------------------------------------

def test_the_section_is_in_the_navigation_and_lists_each_body(built):
    home = load(built, "index.html")
    assert any(a.norm_text() == "政府信息公开" and a.get("href") == "disclosure/" for a in home.find_all("a"))
    page = load(built, "disclosure/index.html").one("article")
    assert page.one("h1").norm_text() == "政府信息公开"
    # 最后更新: the newest of what it shows (the town's 实施方案 in its tree), not the build date.
    assert page_date(page) == "2026-11-18"
    table = page.one("table", class_="gk-disclosure-bodies")
    assert table.one("caption").norm_text()
    rows = table.one("tbody").find_all("tr")
    assert [r.one("th").norm_text() for r in rows] == ["测试县人民政府", "测试县自然资源局", "测试县清水镇人民政府"]
    links = {a.norm_text(): resolve("disclosure/index.html", a.get("href")) for a in rows[1].find_all("a")}
    assert links["测试县自然资源局政府信息公开指南"] == "units/zrj/disclosure-guides/guide/index.html"
    assert links["法定主动公开内容（22 个栏目）"] == "disclosure/columns/zrj/index.html"
    # 公开目录 and 年度报告 are pages of their own: linked where the site has them, never a broken link.
    for text, target in (("政府信息公开目录", "disclosure/catalog/index.html"),
                         ("政府信息公开工作年度报告", "disclosure/reports/index.html")):
        anchors = [a for a in page.find_all("a") if a.norm_text() == text]
        if (built / target).exists():
            assert anchors and {resolve("disclosure/index.html", a.get("href")) for a in anchors} == {target}
        else:
            assert not anchors and text in page.norm_text()
    # 公开制度: the default selector, 综合政务\政务公开 and a rule-making 文种; published ones only.
    assert page.one("h2", id="policies").norm_text() == "政府信息公开制度（1）"
    policies = page.one("table", class_="gk-documents")
    assert [a.norm_text() for a in policies.find_all("a")] == ["测试县政府信息公开保密审查制度"]
    assert "草稿制度" not in (built / "disclosure/index.html").read_text(encoding="utf-8")


def test_the_guide_page_shows_every_element_and_its_date(built):
    page = load(built, "units/zrj/disclosure-guides/guide/index.html").one("article")
    text = page.norm_text()
    for shown in ("政府信息的分类", "主动公开的政府信息", "编排体系", "按法定主动公开内容栏目编排。", "获取方式",
                  "本网站", "依申请公开的程序", "20个工作日内答复", "测试县自然资源局办公室", "测试县人民路1号",
                  "工作日 8:30—17:30", "0000-1234567", "0000-1234568", "https://zrj.example.gov.cn/",
                  "更新日期：2026年1月5日", "本指南的其他说明。"):
        assert shown in text, shown
    office = {tr.one("th").norm_text(): tr.one("td").norm_text()
              for tr in page.one("table", class_="gk-fields").find_all("tr")}
    assert office["传真号码"] == "0000-1234568" and office["联系电话"] == "0000-1234567"


def test_the_column_tree_shows_counts_newest_dates_and_empty_columns(built):
    page = load(built, "disclosure/columns/zrj/index.html").one("article")
    assert page.one("h1").norm_text() == "测试县自然资源局法定主动公开内容"
    tables = page.find_all("table", class_="gk-column-tree")
    assert [t.one("caption").norm_text() for t in tables] == [
        "测试县自然资源局：第二十条规定的主动公开内容", "测试县自然资源局：第二十一条规定的主动公开内容"]
    rows = {tr.one("th").norm_text(): [td.norm_text() for td in tr.find_all("td")]
            for t in tables for tr in t.one("tbody").find_all("tr")}
    assert len(rows) == 22
    # 最后更新: its newest entry (the 公示 of 2026-11-15), the latest of the 最新日期 above.
    newest = max(time.get("datetime") for t in tables for time in t.find_all("time"))
    assert page_date(page) == newest == "2026-11-15"
    assert rows["行政法规、规章和规范性文件"] == ["1", "1 条", "2025年4月1日"]
    assert rows["土地征收"] == ["19", "4 条", "2026年11月10日"]
    assert rows["机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"][1:] == ["1 条", "—"]
    assert rows["环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"][1:] == ["暂无信息", "—"]
    assert rows["国民经济和社会发展规划、专项规划、区域规划及相关政策"][1:] == ["本机关不涉及", "—"]
    assert "贯彻落实农业农村政策" not in rows
    town = load(built, "disclosure/columns/town/index.html").one("article")
    assert "贯彻落实农业农村政策" in town.norm_text() and "市政建设" not in town.norm_text()


def test_a_column_page_lists_its_items_newest_first(built):
    rel = "disclosure/columns/zrj/land-expropriation/index.html"
    page = load(built, rel).one("article")
    assert page.one("h1").norm_text() == "土地征收"
    assert page_date(page) == "2026-11-10"  # its newest entry
    table = page.one("table", class_="gk-column-items")
    assert table.one("caption").norm_text() == "土地征收（4 条，按日期从新到旧）"
    rows = [[td.norm_text() for td in tr.find_all("td")] for tr in table.one("tbody").find_all("tr")]
    assert [r[2] for r in rows] == ["2026年11月10日", "2026年9月1日", "2025年4月1日", "2021年5月20日"]
    first = table.one("tbody").find_all("a")[0]
    assert first.norm_text() == "测试县被征地农民养老保险实施细则"
    assert (built / resolve(rel, first.get("href"))).is_file()
    empty = load(built, "disclosure/columns/zrj/inspections/index.html").one("article")
    assert "暂无信息" in empty.norm_text() and empty.find("table", class_="gk-column-items") is None
    assert page_date(empty) == "2026-01-05"  # as its body's 公开指南 (更新日期) sets the column tree


# --- in the browser -----------------------------------------------------------------------------

@pytest.mark.browser
def test_the_column_tree_is_walked_by_keyboard(built, browser):
    handler = functools.partial(_QuietHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with BrowserSession.clean(browser, f"http://127.0.0.1:{server.server_address[1]}") as session:
            page = session.goto("disclosure/")
            # From the section page to the body's tree, by keyboard only.
            page.locator("article a", has_text="法定主动公开内容（22 个栏目）").nth(1).focus()
            page.keyboard.press("Enter")
            page.wait_for_url("**/disclosure/columns/zrj/")
            # Tab through the tree's links until the column 土地征收 has the focus, then open it.
            page.locator("article h1").click()
            for _ in range(60):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.textContent.trim()") == "土地征收":
                    break
            else:
                pytest.fail("the column 土地征收 was not reached by Tab")
            page.keyboard.press("Enter")
            page.wait_for_url("**/disclosure/columns/zrj/land-expropriation/")
            assert page.locator("article table.gk-column-items tbody tr").count() == 4
    finally:
        server.shutdown()
        server.server_close()


def test_the_unit_page_links_its_guide_and_column_tree(built):
    rel = "units/zrj/index.html"
    links = load(built, rel).one("p", class_="gk-disclosure-links").find_all("a")
    assert [(a.norm_text(), resolve(rel, a.get("href"))) for a in links] == [
        ("政府信息公开指南", "units/zrj/disclosure-guides/guide/index.html"),
        ("法定主动公开内容", "disclosure/columns/zrj/index.html")]
    assert load(built, "units/county/index.html").find("p", class_="gk-disclosure-links") is not None


def test_a_guide_is_searched_by_its_elements(site):
    from gongkai.search.documents import search_documents

    catalog, _ = load_site(site)
    [doc] = [d for d in search_documents(catalog) if d.url == "units/zrj/disclosure-guides/guide/"]
    assert (doc.kind, doc.title, doc.year) == ("disclosure_guide", "测试县自然资源局政府信息公开指南", 2026)
    assert "测试县自然资源局办公室" in doc.text and "20个工作日内答复" in doc.text


def test_the_office_phone_and_fax_are_public_contacts_and_nothing_else_is(site):
    mobile = "13912345678"
    (site / GUIDE).write_text(GUIDE_TEXT.replace("phone: 0000-1234567", f'phone: "{mobile}"'), encoding="utf-8")
    _, problems = load_site(site)
    assert not errors(problems)
    (site / GUIDE).write_text(GUIDE_TEXT.replace("按法定主动公开内容栏目编排。", f"咨询{mobile}。"), encoding="utf-8")
    _, problems = load_site(site)
    assert [(p.line, p.field) for p in errors(problems)] == [(7, "arrangement")]


def test_the_sample_county_discloses_with_warnings_only():
    catalog, problems = load_catalog(ROOT / "content", today=BUILD_DATE)
    assert not errors(problems)
    assert list(catalog.disclosure) == ["county", "zrzyj", "scjgj", "mzj"]
    assert not any(body.township for body in catalog.disclosure.values())
    report = column_problems(catalog)
    # Some columns are deliberately thin: the report has something to say, and only warnings.
    assert report and all(p.severity.value == "warning" for p in report)
    assert any("is empty (空白栏目)" in p.message for p in report)
    assert any("was last updated on" in p.message for p in report)
