"""行政执法公示: decisions as content, period rules as content, publication and take-down.

In-process checks on the small site of conftest.py with decisions added (every bad input located),
the period and deadline arithmetic on known dates of the State Council's schedules, take-down
proven by canaries absent from every output (pages, search indexes, open data, sitemap, the
export, 修订记录), and the pages' HTML.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from conftest import GONGKAI, SMALL_SITE, mkdocs_build, run, run_env, write_site
from gongkai.model import load_catalog
from gongkai.model.assembly.enforcement import Period, display_period, parse_period
from gongkai.model.primitives.workdays import WorkCalendar
from gongkai.model.schema.enforcement import EnforcementDecision, PeriodRule
from html_dom import load as load_html
from test_canary import leaks

TODAY = dt.date(2026, 11, 21)  # the small site's build date (conftest.BUILD_EPOCH)
D = dt.date
DIR = "content/units/zrj/decisions"
RULES = "content/_vocab/enforcement.yml"


def decision(doc_no: str = "测自然资罚〔2026〕1号", *, kind: str = "行政处罚", power: str = "ZRJ-CF-001",
             party: str = '{name: 测试县青禾建材有限公司, credit_code: "91000000MA00000001"}',
             outcomes: str = "[{type: 罚款, amount: 50000}]", decided: str = "2026-11-09",
             published: str = "2026-11-10", extra: str = "", body: str = "本机关依法作出处罚决定。") -> str:
    return (f"---\ndoc_no: {doc_no}\nkind: {kind}\npower: {power}\nparty: {party}\noffence: 未批先建\n"
            f"basis: [《中华人民共和国城乡规划法》第六十四条]\noutcomes: {outcomes}\ndecided: {decided}\n"
            f"published: {published}\n{extra}---\n{body}\n")


MARKET_RULES = """\
rules:
  - name: 市场监管
    units: [zrj]
    kinds: [行政处罚]
    publish_within: 20个工作日
    short_fine_up_to: 10000
    never_alone: [警告]
  - name: 双公示
    publish_within: 7个工作日
    short_fine_up_to: 10000
withdraw_within: 3个工作日
"""


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_site(tmp_path / "site-root", {**SMALL_SITE, **files})


def load(root: Path, today: dt.date = TODAY):
    return load_catalog(root / "content", today=today)


def found(problems, path: str):
    return [(p.line, p.column, p.field, p.message, p.severity.value) for p in problems if p.path == path]


# --- a good decision ----------------------------------------------------------------------------

def test_a_decision_is_published_in_its_period_and_indexed(tmp_path):
    catalog, problems = load(site(tmp_path, {f"{DIR}/2026-cf-1.md": decision()}))
    assert problems == []
    (d,) = catalog.decisions
    assert d.page == "units/zrj/decisions/2026/2026-cf-1.md"
    assert d.shown_until == D(2029, 11, 9) and d.period == "3年"  # a fine over the threshold: 3 years
    assert catalog.decisions_by_power["ZRJ-CF-001"] == [d]
    assert catalog.counts()["decisions"] == 1


# --- bad input, each located ----------------------------------------------------------------------

def test_every_bad_decision_is_a_located_error(tmp_path):
    files = {
        # an unmasked natural person
        f"{DIR}/a.md": decision("测自然资罚〔2026〕2号", party="{name: 张三丰, person: true}"),
        # a credit code of the wrong form; an organisation without one
        f"{DIR}/b.md": decision("测自然资罚〔2026〕3号", party='{name: 测试县甲公司, credit_code: "91000000IO0000000"}'),
        f"{DIR}/c.md": decision("测自然资罚〔2026〕4号", party="{name: 测试县乙公司}"),
        # an unknown power item; one of another category
        f"{DIR}/d.md": decision("测自然资罚〔2026〕5号", power="ZRJ-CF-010"),
        f"{DIR}/e.md": decision("测自然资罚〔2026〕6号", power="ZRJ-XK-001"),
        # 公示日期 before the decision
        f"{DIR}/f.md": decision("测自然资罚〔2026〕7号", decided="2026-11-12", published="2026-11-10"),
        # a withdrawal without date and reason
        f"{DIR}/g.md": decision("测自然资罚〔2026〕8号", extra="withdrawn: {document: 测府复决〔2026〕1号}\n"),
        # a minor's case that is not a draft
        f"{DIR}/h.md": decision("测自然资罚〔2026〕9号", party="{name: 王某, person: true}", extra="minor: true\n"),
        # a 文号 that is not one
        f"{DIR}/i.md": decision("自然资罚2026-10", party="{name: 李**, person: true}"),
    }
    catalog, problems = load(site(tmp_path, files))
    errors = {(p.path.rsplit("/", 1)[1], p.line, p.field, p.message) for p in problems if p.severity.value == "error"}
    assert errors == {
        ("a.md", 5, "party.name", "a natural person's name is published masked"),
        ("b.md", 5, "party.credit_code", "'91000000IO0000000' is not a 统一社会信用代码"),
        ("c.md", 5, "party", "an organisation needs its 统一社会信用代码"),
        ("d.md", 4, "power", "unknown power item 'ZRJ-CF-010'"),
        ("e.md", 4, "power", "'ZRJ-XK-001' is an item of 行政许可, not of 行政处罚"),
        ("f.md", 10, "published", "公示日期 2026-11-10 is before 决定日期 2026-11-12"),
        ("g.md", 11, "withdrawn.date", "a withdrawal needs its 撤回日期"),
        ("g.md", 11, "withdrawn.reason", "a withdrawal needs its 撤回原因"),
        ("h.md", 11, "minor", "a decision about a minor's case (未成年人) is never published"),
        ("i.md", 2, "doc_no", "'自然资罚2026-10' is not a 文号"),
    }
    hints = {p.path.rsplit("/", 1)[1]: p.hint for p in problems}
    assert hints["a.md"] == "write the surname with 某 or *, e.g. 张某某"
    assert "ZRJ-CF-001" in hints["d.md"]  # did you mean
    # Nothing of the refused ones is published; the masked one (李**) and the rest are.
    assert "测自然资罚〔2026〕9号" not in {d.doc_no for d in catalog.decisions}
    assert "测自然资罚〔2026〕8号" not in {d.doc_no for d in catalog.decisions}


def test_an_only_warning_penalty_in_market_regulation_is_refused_unless_a_draft(tmp_path):
    only_warning = decision(outcomes="[{type: 警告}]")
    catalog, problems = load(site(tmp_path, {RULES: MARKET_RULES, f"{DIR}/w.md": only_warning}))
    assert found(problems, "content/units/zrj/decisions/w.md") == [
        (8, 11, "outcomes", "a decision about 警告 only (市场监管) is never published", "error")]
    assert catalog.decisions == []
    catalog, problems = load(site(tmp_path, {RULES: MARKET_RULES, f"{DIR}/w.md": only_warning.replace(
        "---\n本机关", "draft: true\n---\n本机关")}))
    assert problems == [] and catalog.decisions == []
    # A licence is not a penalty: the 市场监管 rule does not take it (the 双公示 one does).
    catalog, problems = load(site(tmp_path, {RULES: MARKET_RULES, f"{DIR}/w.md": decision(
        "测自然资许〔2026〕1号", kind="行政许可", power="ZRJ-XK-001", outcomes="[{type: 准予许可}]")}))
    assert problems == [] and len(catalog.decisions) == 1


def test_review_findings_are_located(tmp_path):
    """Full names passed as masked, ban lengths that do not parse, future withdrawals, dates past the
    calendar, a decision never published after its deadline: each told, none a traceback."""
    files = {
        f"{DIR}/2026-cf-1.md": decision(party="{name: 张三*, person: true}"),
        f"{DIR}/2026-cf-2.md": decision("测自然资罚〔2026〕2号", party="{name: 欧阳某, person: true}"),
        f"{DIR}/2026-cf-7.md": decision("测自然资罚〔2026〕7号", party='{name: 张三, credit_code: "92000000MA00000001"}'),
        f"{DIR}/2026-cf-3.md": decision("测自然资罚〔2026〕3号", outcomes="[{type: 暂扣许可证件, length: 三年半}]"),
        f"{DIR}/2026-cf-4.md": decision("测自然资罚〔2026〕4号", extra=(
            "withdrawn: {date: 2027-01-03, decided: 2026-12-30, reason: 决定被撤销, document: 测府复〔2026〕1号}\n")),
        f"{DIR}/2026-cf-5.md": decision("测自然资罚〔2026〕5号", decided="9999-12-01", published="9999-12-02"),
        f"{DIR}/2026-cf-6.md": decision("测自然资罚〔2026〕6号", decided="2026-10-09", published="2026-10-10").replace(
            "published: 2026-10-10\n", ""),
    }
    _, problems = load(site(tmp_path, files))
    told = {(p.path.rsplit("/", 1)[-1], p.field, p.severity.value) for p in problems if p.path.startswith(DIR)}
    assert ("2026-cf-1.md", "party.name", "error") in told
    assert not [t for t in told if t[0] == "2026-cf-2.md"]
    assert ("2026-cf-3.md", "outcomes.0.length", "error") in told
    assert ("2026-cf-4.md", "withdrawn.date", "error") in told
    assert ("2026-cf-5.md", "decided", "error") in told and ("2026-cf-5.md", "published", "error") in told
    assert ("2026-cf-6.md", "decided", "warning") in told
    assert ("2026-cf-7.md", "party.name", "warning") in told


def test_a_period_that_does_not_parse_is_located_at_its_line(tmp_path):
    bad = MARKET_RULES.replace("publish_within: 20个工作日", "publish_within: 二十天")
    _, problems = load(site(tmp_path, {RULES: bad}))
    got = found(problems, "content/_vocab/enforcement.yml")
    assert got == [(5, 21, "rules.0.publish_within", "'二十天' is not a number of working days", "error")]
    bad = MARKET_RULES.replace("withdraw_within: 3个工作日", "withdraw_within: 3年")
    _, problems = load(site(tmp_path, {RULES: bad}))
    assert [(line, field) for line, _, field, *_ in found(problems, "content/_vocab/enforcement.yml")] == [
        (11, "withdraw_within")]


def test_late_publication_late_withdrawal_and_ended_period_are_warnings(tmp_path):
    files = {
        # decided Fri 2025-09-26; 7 working days end on 2025-10-13 (9/28 Sun and 10/11 Sat are 调休
        # working days, 10/1–10/8 off): published on the 14th is the 8th working day.
        f"{DIR}/late.md": decision("测自然资罚〔2025〕1号", decided="2025-09-26", published="2025-10-14"),
        f"{DIR}/ontime.md": decision("测自然资罚〔2025〕2号", decided="2025-09-26", published="2025-10-13"),
        # the change decided Thu 2026-02-12: 3 working days are 2/13, 2/14 (Sat, 调休) and 2/24.
        f"{DIR}/wlate.md": decision("测自然资罚〔2026〕3号", decided="2026-01-05", published="2026-01-06",
                                    extra="withdrawn: {date: 2026-02-25, decided: 2026-02-12, reason: 经复议撤销}\n"),
        f"{DIR}/wok.md": decision("测自然资罚〔2026〕4号", decided="2026-01-05", published="2026-01-06",
                                  extra="withdrawn: {date: 2026-02-24, decided: 2026-02-12, reason: 经复议撤销}\n"),
        # a fine up to the threshold: 3 months, ended
        f"{DIR}/ended.md": decision("测自然资罚〔2026〕5号", outcomes="[{type: 罚款, amount: 10000}]",
                                    decided="2026-01-05", published="2026-01-06"),
    }
    catalog, problems = load(site(tmp_path, {RULES: MARKET_RULES.replace("units: [zrj]", "units: [nobody]"), **files}))
    assert not [p for p in problems if p.severity.value == "error"], problems
    warned = {(p.path.rsplit("/", 1)[1], p.field, p.message) for p in problems}
    assert warned == {
        ("late.md", "published", "published 8 working days after 决定日期 2025-09-26 (the deadline is 7个工作日 "
                                 "(双公示): by 2025-10-13)"),
        ("wlate.md", "withdrawn.date", "withdrawn 4 working days after the change was decided (2026-02-12)"),
        ("ended.md", "published", "its display period (3个月) ended on 2026-04-05: it is no longer on the site"),
    }
    assert {d.doc_no for d in catalog.decisions} == {"测自然资罚〔2025〕1号", "测自然资罚〔2025〕2号"}
    assert {w.doc_no for w in catalog.withdrawals} == {"测自然资罚〔2026〕3号", "测自然资罚〔2026〕4号"}


def test_sensitive_data_in_a_decision_is_an_error(tmp_path):
    files = {f"{DIR}/s.md": decision(body="当事人身份证号码360727198807150015，账号6222020200112233446，电话13912345678。")}
    _, problems = load(site(tmp_path, files))
    errors = [p for p in problems if p.severity.value == "error" and p.path.endswith("s.md")]
    assert [(p.line, p.message.split(" ")[0]) for p in errors] == [(12, "居民身份证号"), (12, "银行卡号"), (12, "手机号码")]
    # A decision past its period was on the site, and one not yet published will be: still errors,
    # not a draft's warnings.
    for dates in ({"decided": "2020-01-06", "published": "2020-01-07"}, {"published": "2027-01-07"}):
        _, problems = load(site(tmp_path, {f"{DIR}/s.md": decision(**dates, body="身份证号码360727198807150015")}))
        assert [(p.message.split(" ")[0], p.severity.value) for p in problems
                if p.path.endswith("s.md") and p.line == 12] == [("居民身份证号", "error")]


# --- periods and deadlines on known dates ---------------------------------------------------------

def test_periods_across_year_ends():
    assert parse_period("3个月") == Period(3, "months") and parse_period("7个工作日") == Period(7, "working days")
    assert parse_period(7) == Period(7, "working days") and parse_period("三个月") is None
    # The day before the corresponding day; with none in the end month, its last day (民法典 第二百零二条).
    assert Period(3, "months").last_day(D(2025, 11, 30)) == D(2026, 2, 28)
    assert Period(3, "months").last_day(D(2025, 11, 28)) == D(2026, 2, 27)
    assert Period(3, "months").last_day(D(2025, 12, 31)) == D(2026, 3, 30)
    assert Period(3, "years").last_day(D(2024, 2, 29)) == D(2027, 2, 28)
    assert Period(3, "years").last_day(D(2024, 2, 28)) == D(2027, 2, 27)
    assert parse_period("9999年") is None and parse_period("0天") is None  # past the calendar; no period
    assert Period(90, "days").last_day(D(2025, 12, 1)) == D(2026, 2, 28)


def _decision(outcomes: list[dict]) -> EnforcementDecision:
    return EnforcementDecision.model_validate({
        "doc_no": "测罚〔2026〕1号", "kind": "行政处罚", "power": "X", "party": {"name": "甲", "credit_code": "x"},
        "outcomes": outcomes, "decided": "2026-01-05", "published": "2026-01-06"})


def test_display_period_by_outcome():
    rule = PeriodRule(name="市场监管", publish_within="20个工作日", short_fine_up_to=10000)
    assert str(display_period(rule, _decision([{"type": "通报批评"}]))) == "3个月"
    assert str(display_period(rule, _decision([{"type": "罚款", "amount": 10000}]))) == "3个月"
    assert str(display_period(rule, _decision([{"type": "罚款", "amount": 10001}]))) == "3年"
    assert str(display_period(rule, _decision([{"type": "通报批评"}, {"type": "没收违法所得", "amount": 5}]))) == "3年"
    assert str(display_period(rule, _decision([{"type": "限制从业", "length": "5年"}]))) == "5年"
    assert str(display_period(rule, _decision([{"type": "限制从业", "length": "2年"}]))) == "3年"
    # Without a province's threshold no fine is low.
    assert str(display_period(PeriodRule(name="x", publish_within=7), _decision([{"type": "罚款", "amount": 1}]))) == "3年"


def test_working_day_deadlines_on_the_state_councils_schedules():
    calendar = WorkCalendar()
    assert calendar.add_working_days(D(2025, 9, 26), 7) == D(2025, 10, 13)  # 国庆 2025, 调休 9/28 and 10/11
    assert calendar.add_working_days(D(2025, 12, 26), 7) == D(2026, 1, 7)  # 元旦 2026 (1/1–1/3 off, 1/4 Sun on)
    assert calendar.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)  # 春节 2026, Sat 2/14 on
    assert calendar.working_days_between(D(2025, 9, 26), D(2025, 10, 14)) == 8


# --- take-down: canaries in every output -----------------------------------------------------------

CANARY_FILES = {
    # past its period (3 months from 2026-01-06)
    f"{DIR}/canaryslugended.md": decision(
        "测自然资罚〔2026〕11号", party='{name: canarypartyended有限公司, credit_code: "91000000MA0000000E"}',
        outcomes="[{type: 通报批评}]", decided="2026-01-05", published="2026-01-06",
        body="canarybodyended"),
    # withdrawn: its notice keeps the 文号, the date and the reason, nothing of the party or content
    f"{DIR}/2026-withdrawn.md": decision(
        "测自然资罚〔2026〕12号", party='{name: canarypartywithdrawn有限公司, credit_code: "91000000MA0000000W"}',
        outcomes="[{type: 罚款, amount: 77777}]", decided="2026-03-02", published="2026-03-03",
        extra="withdrawn: {date: 2026-06-03, decided: 2026-06-01, reason: 经行政复议撤销, document: 测府复决〔2026〕2号}\n",
        body="canarybodywithdrawn"),
    # in force, beside them: its text must be found where the others' is not
    f"{DIR}/2026-inforce.md": decision("测自然资罚〔2026〕13号", body="公示中的决定正文"),
}
CANARIES = ["canarypartyended", "canarybodyended", "canaryslugended", "canarypartywithdrawn",
            "canarybodywithdrawn", "91000000MA0000000E", "91000000MA0000000W", "77777"]


def _git(root: Path, *args: str, date: str) -> None:
    when = f"{date}T09:00:00+08:00"
    env = run_env(GIT_AUTHOR_NAME="测试编辑", GIT_AUTHOR_EMAIL="editor@example.invalid", GIT_COMMITTER_NAME="测试编辑",
                  GIT_COMMITTER_EMAIL="editor@example.invalid", GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_decisions_past_their_period_or_withdrawn_reach_no_output(tmp_path):
    root = site(tmp_path, {**CANARY_FILES, f"{DIR}/2026-withdrawn.md": CANARY_FILES[f"{DIR}/2026-withdrawn.md"].replace(
        "withdrawn: {date: 2026-06-03, decided: 2026-06-01, reason: 经行政复议撤销, document: 测府复决〔2026〕2号}\n", "")})
    # In git: first published, then withdrawn (修订记录 reads the history of every page's file).
    _git(root, "init", "-q", "-b", "main", date="2026-03-03")
    _git(root, "add", "-A", date="2026-03-03")
    _git(root, "commit", "-q", "-m", "公示", date="2026-03-03")
    write_site(root, {**SMALL_SITE, **CANARY_FILES})
    _git(root, "add", "-A", date="2026-06-03")
    _git(root, "commit", "-q", "-m", "撤回", date="2026-06-03")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    out, index_dir = root / "site", root / ".cache" / "search-index"
    # The test can see: the decision in force is in the pages, the search indexes and the open data.
    assert leaks([out], [index_dir], ["公示中的决定正文"]) and leaks([out / "data"], [], ["测自然资罚〔2026〕13号"])
    assert (out / "sitemap.xml").is_file() or (out / "sitemap.xml.gz").is_file()
    assert leaks([out], [index_dir], CANARIES) == []
    # The withdrawal notice replaces the withdrawn decision at its address: 文号, date, reason only.
    notice = load_html(out, "units/zrj/decisions/2026/2026-withdrawn/index.html").one("article")
    text = notice.norm_text()
    assert "测自然资罚〔2026〕12号" in text and "2026年6月3日" in text and "经行政复议撤销" in text
    assert not (out / "units/zrj/decisions/2026/canaryslugended").exists()
    bundle = root / "export" / "bundle.zip"
    bundle.parent.mkdir()
    exported = run([GONGKAI, "export", "-o", str(bundle), "--config", str(root / "mkdocs.yml")], cwd=root, timeout=600)
    assert exported.returncode == 0, exported.output
    assert leaks([bundle.parent], [], ["公示中的决定正文"])
    assert leaks([bundle.parent], [], CANARIES) == []


# --- pages ------------------------------------------------------------------------------------------

def test_decision_unit_overview_and_power_pages(tmp_path):
    files = {
        f"{DIR}/2026-cf-1.md": decision(),
        f"{DIR}/2025-cf-1.md": decision("测自然资罚〔2025〕1号", decided="2025-03-03", published="2025-03-04",
                                        party="{name: 赵某某, person: true}"),
        f"{DIR}/2026-xk-1.md": decision("测自然资许〔2026〕1号", kind="行政许可", power="ZRJ-XK-001",
                                        outcomes="[{type: 准予许可}]"),
    }
    root = site(tmp_path, files)
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    out = root / "site"
    page = load_html(out, "units/zrj/decisions/2026/2026-cf-1/index.html").one("article")
    assert page.one("h1").norm_text() == "行政处罚决定 测自然资罚〔2026〕1号"
    assert "公示期至2029年11月9日" in page.one("div", "gk-period").norm_text()
    assert "测试县青禾建材有限公司" in page.norm_text() and "50,000.00元" in page.norm_text()
    unit = load_html(out, "units/zrj/decisions/index.html").one("article")
    kinds = unit.one("nav", aria_label="按类别筛选")
    assert [a.get("href") for a in kinds.find_all("a")] == ["#penalty", "#licence"]
    assert [h.norm_text() for h in unit.find_all("h2")] == ["行政处罚（2 件）", "行政许可（1 件）"]
    assert [h.get("id") for h in unit.find_all("h3")] == ["penalty-2026", "penalty-2025", "licence-2026"]
    assert [c.norm_text() for c in unit.find_all("caption")] == [
        "2026年行政处罚决定", "2025年行政处罚决定", "2026年行政许可决定"]
    assert "赵某某" in unit.norm_text()
    unit_page = load_html(out, "units/zrj/index.html").one("article")
    assert "公示期内的执法决定 3 件" in unit_page.norm_text()
    assert any(a.get("href") == "decisions/" for a in unit_page.find_all("a"))
    overview = load_html(out, "enforcement/index.html").one("article")
    assert "共 3 件" in overview.norm_text() and "行政处罚 2 件" in overview.norm_text()
    power = load_html(out, "units/zrj/powers/ZRJ-CF-001/index.html").one("article")
    listed = [a.norm_text() for a in power.find_all("a") if "/decisions/" in (a.get("href") or "")]
    assert listed == ["测自然资罚〔2026〕1号", "测自然资罚〔2025〕1号"]
    assert not (out / "units/zrj/decisions/2026/index.html").exists()


OFFICERS = """\
---
officers:
  - {name: 赵测试, cert_no: "46000000001", field: 规划监督, internal_unit: 规划股}
  - {name: 钱测试, cert_no: "46000000002", field: 规划监督, internal_unit: 规划股, valid_until: 2026-01-31}
---
"""


def test_a_decision_links_its_officers_and_an_unknown_number_is_a_located_error(tmp_path):
    extra = 'officers: ["46000000001", "46000000002"]\n'
    files = {"content/units/zrj/officers.md": OFFICERS, f"{DIR}/2026-cf-1.md": decision(extra=extra),
             f"{DIR}/2026-cf-2.md": decision("测自然资罚〔2026〕2号", extra='officers: ["46000000011"]\n')}
    _, problems = load(site(tmp_path, files))
    assert found(problems, f"{DIR}/2026-cf-2.md") == [
        (11, 12, "officers.0", "no 执法人员 with 执法证号 46000000011 in any unit's officers.md", "error")]
    assert [p.hint for p in problems if p.field == "officers.0"] == ["did you mean 46000000001?"]
    root = site(tmp_path / "good", {**files, f"{DIR}/2026-cf-2.md": decision("测自然资罚〔2026〕2号")})
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    row = next(tr for tr in load_html(root / "site", "units/zrj/decisions/2026/2026-cf-1/index.html").find_all("tr")
               if tr.one("th").norm_text() == "执法人员")
    # The officer the site shows is linked to their row; one whose certificate has expired is named by number.
    assert [(a.norm_text(), a.get("href")) for a in row.find_all("a")] == [
        ("赵测试", "../../../officers/#officer-46000000001")]
    assert "执法证号 46000000002" in row.norm_text() and "钱测试" not in row.norm_text()


def test_the_annual_report_counts_no_fewer_decisions_than_the_site_published(tmp_path):
    county_report = SMALL_SITE["content/units/county/annual-reports/2025.md"]
    assert "penalties: 1," in county_report
    # One decision of 2025 in force, one past its period (both were published: both count), one of
    # 2026 and one draft (neither counts).
    files = {
        "content/units/zrj/annual-reports/2025.md": county_report,
        f"{DIR}/a.md": decision("测自然资罚〔2025〕1号", decided="2025-03-03", published="2025-03-04",
                                 outcomes="[{type: 通报批评}]"),
        f"{DIR}/b.md": decision("测自然资罚〔2025〕2号", decided="2025-06-02", published="2025-06-03"),
        f"{DIR}/c.md": decision("测自然资罚〔2026〕1号"),
        f"{DIR}/d.md": decision("测自然资罚〔2025〕3号", decided="2025-06-02", published="2025-06-03",
                                 extra="draft: true\n"),
    }
    _, problems = load(site(tmp_path, files))
    assert [(p.path, p.field, p.message, p.severity.value) for p in problems if "本年处理决定数量" in p.message] == [
        ("content/units/zrj/annual-reports/2025.md", "proactive.penalties",
         "行政处罚 本年处理决定数量: entered 1, but the site published 2 行政处罚 decisions of 2025 "
         "(those taken down since included)", "warning")]
    files["content/units/zrj/annual-reports/2025.md"] = county_report.replace("penalties: 1,", "penalties: 2,")
    _, problems = load(site(tmp_path, files))
    assert not [p for p in problems if "本年处理决定数量" in p.message]


def test_the_sample_publishes_its_decisions_in_the_enforcement_column():
    from conftest import ROOT

    catalog, problems = load_catalog(ROOT / "content", today=TODAY)
    assert not [p for p in problems if p.severity.value == "error"]
    column = next(c for c in catalog.disclosure["scjgj"].columns if c.spec.slug == "enforcement")
    listed = {r.doc_no for r in column.items if isinstance(r, EnforcementDecision)}
    published = {d.doc_no for d in catalog.of_unit("scjgj", "decisions") if d.kind == "行政处罚"}
    assert listed == published and len(listed) >= 5
    assert "安市监罚〔2025〕1号" not in listed  # past its period (a low fine: 3 months)
    # The sample: four units, two years, one withdrawn, one natural person masked.
    assert {d.unit_id for d in catalog.decisions} == {"scjgj", "rsj", "jyj", "fgw"}
    assert {d.decided.year for d in catalog.decisions} == {2025, 2026}
    assert [w.doc_no for w in catalog.withdrawals] == ["安发改罚〔2026〕4号"]
    assert [d.party.name for d in catalog.decisions if d.party.person] == ["李某某"]


def test_gongkai_new_writes_a_decision_to_fill_in(tmp_path):
    import yaml

    from gongkai.scaffold import new_content

    root = site(tmp_path, {})
    path, text = new_content(root / "content", "decision", "zrj", today=D(2026, 11, 21))
    assert path == root / "content/units/zrj/decisions/2026-new-1.md"
    data = yaml.safe_load(text.split("---\n")[1])
    assert list(data) == ["doc_no", "kind", "power", "party", "offence", "basis", "outcomes", "decided", "officers",
                          "published"]
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    _, problems = load(root)
    mine = [p for p in problems if p.path.endswith("2026-new-1.md")]
    assert mine and all("still to fill in" in p.message for p in mine)  # nothing else, no traceback
