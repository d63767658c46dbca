"""行政执法公示: the period rules applied to each 执法决定, and the rules `check` reports.

content/_vocab/enforcement.yml (schema/enforcement.PeriodRules) says, per scope of units and
kinds, the publish-by deadline in working days, the display periods and what is never published.
`apply` gives each decision its display period before the Catalog takes the published ones, so
a decision past its period, withdrawn or never publishable reaches no output at all (the build
date decides); `check` reports what an editor must fix or know. Working days come from the
catalog.s WorkCalendar (primitives/workdays.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..primitives.frontmatter import Source, parse_yaml, read_text
from ..primitives.problems import Problem, Severity, did_you_mean
from ..primitives.text import canonical_doc_no, reference_key
from ..primitives.tree import ContentTree
from ..schema.enforcement import (BANS, CREDIT_CODE, DECISION_KINDS, MASKED_NAME, EnforcementDecision, PeriodRule,
                                  PeriodRules)
from ..schema.validation import validate
from ..sensitive import files as sensitive_files

if TYPE_CHECKING:
    from .catalog import Catalog

RULES_FILE = "_vocab/enforcement.yml"
WARNING = Severity.WARNING
PERIOD_HINT = "write a period as '3个月', '3年', '90天' or '7个工作日'"
# At most three digits: no period or ban runs past a date the calendar can hold (9999年 would).
_PERIOD = re.compile(r"^\s*([1-9]\d{0,2})\s*(个月|月|年|天|日|个工作日|工作日)\s*$")
_UNIT_WORDS = {"个月": "months", "月": "months", "年": "years", "天": "days", "日": "days",
               "个工作日": "working days", "工作日": "working days"}
# The rules without content/_vocab/enforcement.yml: 双公示 (7 working days, 3 months / 3 years).
DEFAULT_RULES = PeriodRules(rules=[PeriodRule(name="双公示", publish_within="7个工作日")])


@dataclass(frozen=True)
class Period:
    count: int
    unit: str  # months, years, days, working days

    def __str__(self) -> str:
        word = {"months": "个月", "years": "年", "days": "天", "working days": "个工作日"}[self.unit]
        return f"{self.count}{word}"

    def months(self) -> float:
        """For comparing a ban with the long period."""
        return {"months": self.count, "years": self.count * 12, "days": self.count / 30.4}.get(self.unit, 0)

    def last_day(self, start: dt.date) -> dt.date:
        """The last day of a period that starts on `start` (3个月 from 1月10日: through 4月9日). As
        民法典 第二百零二条 counts: the period ends the day before the corresponding day of the end
        month; when that month has no such day (3个月 from 11月30日; 3年 from 2月29日), on its last day."""
        if self.unit == "days":
            return start + dt.timedelta(days=self.count - 1)
        months = self.count * (12 if self.unit == "years" else 1)
        year, month = divmod(start.month - 1 + months, 12)
        year, month = start.year + year, month + 1
        days_in_month = calendar.monthrange(year, month)[1]
        if start.day > days_in_month:
            return dt.date(year, month, days_in_month)
        return dt.date(year, month, start.day) - dt.timedelta(days=1)


def parse_period(value: object) -> Period | None:
    """'3个月' → Period(3, months); a bare number is working days (a deadline); None when it does not parse."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return Period(value, "working days")
    match = _PERIOD.match(str(value)) if isinstance(value, str) else None
    return Period(int(match[1]), _UNIT_WORDS[match[2]]) if match else None


def load_rules(tree: ContentTree, catalog: Catalog) -> list[Problem]:
    """content/_vocab/enforcement.yml into catalog.enforcement_rules; each value checked, located."""
    catalog.enforcement_rules = DEFAULT_RULES
    if RULES_FILE not in tree:
        return []
    path = tree.path(RULES_FILE)
    display = path.relative_to(tree.root.parent).as_posix()
    text, problems = read_text(path.read_bytes(), display)
    if text is None:
        return problems
    data, positions, problems = parse_yaml(text, display, line_offset=1)
    if problems:
        return problems
    # Its words reach no page, but it is content like any other: scanned the same way.
    problems = sensitive_files.scan_file(display, data, positions, text, "", 1, [], lambda _: False)
    source = Source(display, positions, 1, RULES_FILE)
    rules, found = validate(PeriodRules, data if data is not None else {}, source)
    problems += found
    if rules is None:
        return problems
    ok = True
    checks = [(("withdraw_within",), rules.withdraw_within, ("working days",))]
    for i, rule in enumerate(rules.rules):
        checks += [(("rules", i, "publish_within"), rule.publish_within, ("working days",)),
                   (("rules", i, "short_period"), rule.short_period, ("months", "years", "days")),
                   (("rules", i, "long_period"), rule.long_period, ("months", "years", "days"))]
    for where, value, units in checks:
        period = parse_period(value)
        if period is None or period.unit not in units:
            ok = False
            what = "a number of working days" if units == ("working days",) else "a period in 天, 个月 or 年"
            problems.append(source.problem(where, f"'{value}' is not {what}", PERIOD_HINT))
    if ok:
        catalog.enforcement_rules = rules
    return problems


def rule_for(rules: PeriodRules, decision: EnforcementDecision) -> PeriodRule:
    for rule in rules.rules:
        if (not rule.units or decision.unit_id in rule.units) and (not rule.kinds or decision.kind in rule.kinds):
            return rule
    return DEFAULT_RULES.rules[0]


def display_period(rule: PeriodRule, decision: EnforcementDecision) -> Period:
    """3 months when every outcome is a short one (通报批评, a fine up to the threshold); else 3 years,
    or a ban's length when it is longer."""
    def short(outcome) -> bool:
        if outcome.type in rule.short_outcomes:
            return True
        return (outcome.type == "罚款" and rule.short_fine_up_to is not None and outcome.amount is not None
                and outcome.amount <= rule.short_fine_up_to)

    if all(short(o) for o in decision.outcomes):
        return parse_period(rule.short_period)
    period = parse_period(rule.long_period)
    for outcome in decision.outcomes:
        ban = parse_period(outcome.length) if outcome.type in BANS and outcome.length else None
        if ban is not None and ban.unit != "working days" and ban.months() > period.months():
            period = ban
    return period


def is_publishable(rule: PeriodRule, decision: EnforcementDecision) -> bool:
    """Minors' cases never are; nor decisions whose outcomes are all of `never_alone` (警告 only)."""
    if decision.minor:
        return False
    return not (rule.never_alone and all(o.type in rule.never_alone for o in decision.outcomes))


def apply(catalog: Catalog, decisions: list[EnforcementDecision]) -> None:
    """Each decision's display period and publishability, before the Catalog takes the published."""
    for decision in decisions:
        rule = rule_for(catalog.enforcement_rules, decision)
        period = display_period(rule, decision)
        try:
            until = period.last_day(decision.published) if decision.published else None
        except (ValueError, OverflowError):  # past the calendar (a 公示日期 in year 9999): never shown
            until = None
        decision.set_period(is_publishable(rule, decision), until, str(period))


def withdrawal_notices(decisions: list[EnforcementDecision], on: dt.date) -> list[EnforcementDecision]:
    """Withdrawn decisions that had been published: a notice with the reason replaces each."""
    return [d for d in decisions if d.withdrawn is not None and d.withdrawn.date and d.withdrawn.reason
            and not d.draft and d.publishable and d.published is not None and d.published <= on]


def check(catalog: Catalog, decisions: list[EnforcementDecision], powers: dict) -> list[Problem]:
    """Every problem of the decisions (drafts included): party, power item, dates, deadline,
    publishability, withdrawal."""
    problems: list[Problem] = []
    calendar_ = catalog.work_calendar
    rules = catalog.enforcement_rules
    seen: dict[str, EnforcementDecision] = {}
    for d in sorted(decisions, key=lambda d: d.source.path):
        src = d.source
        canonical = canonical_doc_no(d.doc_no)
        if canonical is None:
            problems.append(src.problem(("doc_no",), f"'{d.doc_no}' is not a 文号",
                                        "write 机关代字〔年份〕序号号, e.g. 安市监罚〔2026〕3号"))
        elif canonical != d.doc_no:
            problems.append(src.problem(("doc_no",), f"'{d.doc_no}' is not written in the standard form",
                                        f"write {canonical}", WARNING))
        key = reference_key(d.doc_no)
        if key in seen:
            problems.append(src.problem(("doc_no",), f"决定文号 '{d.doc_no}' is also used by {seen[key].source.path}"))
        seen.setdefault(key, d)
        _check_party(d, problems)
        item = powers.get(d.power)
        if item is None:
            problems.append(src.problem(("power",), f"unknown power item '{d.power}'",
                                        did_you_mean(d.power, powers) or "give the 事项编码 (code) of a power item"))
        elif item.category != DECISION_KINDS[d.kind]:
            problems.append(src.problem(("power",), f"'{d.power}' is an item of {item.category}, not of {DECISION_KINDS[d.kind]}",
                                        f"a {d.kind} decision exercises a {DECISION_KINDS[d.kind]} item"))
        if d.published and d.published < d.decided:
            problems.append(src.problem(("published",), f"公示日期 {d.published} is before 决定日期 {d.decided}"))
        # Dates far ahead are typing errors; the deadline computations below stay within the calendar.
        dated = d.decided <= catalog.build_date
        if not dated:
            problems.append(src.problem(("decided",), f"决定日期 {d.decided} is after the build date {catalog.build_date}",
                                        "write the day the decision was made"))
        if d.published and d.published > catalog.build_date + dt.timedelta(days=366):
            problems.append(src.problem(("published",), f"公示日期 {d.published} is more than a year after the build date",
                                        "write the day it is (to be) published"))
        for i, outcome in enumerate(d.outcomes):
            # A ban's length sets the display period: one that does not parse would take it down early.
            if outcome.length is not None and parse_period(outcome.length) is None:
                problems.append(src.problem(("outcomes", i, "length"), f"'{outcome.length}' is not a period",
                                            PERIOD_HINT))
        rule = rule_for(rules, d)
        if not d.publishable and not d.draft:
            why = "a minor's case (未成年人)" if d.minor else f"{'、'.join(o.type for o in d.outcomes)} only ({rule.name})"
            problems.append(src.problem(("minor",) if d.minor else ("outcomes",),
                                        f"a decision about {why} is never published",
                                        "set 'draft: true' to keep it out of the site, or remove the file"))
        if dated and calendar_ is not None and not d.published and d.publishable and not d.draft and d.withdrawn is None:
            deadline = parse_period(rule.publish_within)
            due = calendar_.add_working_days(d.decided, deadline.count)
            if due < catalog.build_date:
                problems.append(src.problem(
                    ("decided",), f"not published: no 公示日期, and the deadline ({deadline}, {rule.name}) was {due}",
                    "give 'published:' (公示日期), or 'draft: true' while it is not to be published", WARNING))
        if dated and calendar_ is not None and d.published and d.publishable and d.published <= catalog.build_date:
            deadline = parse_period(rule.publish_within)
            late = calendar_.working_days_between(d.decided, d.published)
            if late > deadline.count:
                problems.append(src.problem(
                    ("published",), f"published {late} working days after 决定日期 {d.decided} "
                    f"(the deadline is {deadline} ({rule.name}): by {calendar_.add_working_days(d.decided, deadline.count)})",
                    "publish decisions within the deadline", WARNING))
        if (d.publishable and not d.draft and d.withdrawn is None and d.shown_until
                and d.shown_until < catalog.build_date):
            problems.append(src.problem(("published",), f"its display period ({d.period}) ended on {d.shown_until}: "
                                        "it is no longer on the site", "nothing to do; remove the file when it is "
                                        "no longer needed in the repository", WARNING))
        if d.withdrawn is not None:
            _check_withdrawal(d, rules, calendar_ if dated else None, problems)
            if d.withdrawn.date and d.withdrawn.date > catalog.build_date:
                # The notice would say it was withdrawn on a day still to come, and the decision
                # would leave the site before then.
                problems.append(src.problem(("withdrawn", "date"), f"撤回日期 {d.withdrawn.date} is after the build date "
                                            f"{catalog.build_date}", "write the day it is withdrawn, once it is"))
    return problems


def _check_party(d: EnforcementDecision, problems: list[Problem]) -> None:
    party = d.party
    if party.person:
        if not MASKED_NAME.match(party.name):
            problems.append(d.source.problem(("party", "name"), "a natural person's name is published masked",
                                             f"write the surname with 某 or *, e.g. {party.name[:1]}某某"))
        if party.credit_code:
            problems.append(d.source.problem(("party", "credit_code"),
                                             "a natural person has no 统一社会信用代码 to publish",
                                             "remove it (a 个体工商户 is a party with a code and person: false)"))
    elif _looks_like_a_person(party.name):
        problems.append(d.source.problem(
            ("party", "name"), f"'{party.name}' looks like a person's name, published in full",
            "a natural person is published masked: write 'person: true' and the surname with 某 (e.g. "
            f"{party.name[:1]}某某); a 个体工商户 by its registered name", WARNING))
    if party.person:
        return
    if not party.credit_code:
        problems.append(d.source.problem(("party",), "an organisation needs its 统一社会信用代码",
                                         "add 'credit_code:', or 'person: true' for a natural person (masked name)"))
    elif not CREDIT_CODE.match(party.credit_code):
        problems.append(d.source.problem(("party", "credit_code"),
                                         f"'{party.credit_code}' is not a 统一社会信用代码",
                                         "18 characters: digits and capital letters other than I, O, Z, S, V"))


# Words that end the names of organisations and 个体工商户 (a name without one, of two to four Chinese
# characters, reads as a person's: 张三, 欧阳小明).
_ORGANISATION_WORDS = re.compile(r"(公司|厂|店|部|社|中心|行|馆|院|所|站|场|局|会|队|园|坊|超市|门市|铺|吧|室|处|户)$")


def _looks_like_a_person(name: str) -> bool:
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name)) and not _ORGANISATION_WORDS.search(name)


def _check_withdrawal(d: EnforcementDecision, rules: PeriodRules, calendar_, problems: list[Problem]) -> None:
    w = d.withdrawn
    for field, value, what in (("date", w.date, "撤回日期"), ("reason", w.reason, "撤回原因")):
        if not value:
            problems.append(d.source.problem(("withdrawn", field), f"a withdrawal needs its {what}",
                                             f"add 'withdrawn.{field}:' (the withdrawal notice publishes it)"))
    if w.date and w.date < d.decided:
        problems.append(d.source.problem(("withdrawn", "date"), "撤回日期 is before 决定日期"))
    limit = parse_period(rules.withdraw_within)
    if calendar_ is not None and w.date and w.decided and d.published:
        late = calendar_.working_days_between(w.decided, w.date)
        if late > limit.count:
            problems.append(d.source.problem(
                ("withdrawn", "date"), f"withdrawn {late} working days after the change was decided ({w.decided})",
                f"a changed or revoked decision is withdrawn within {limit} (行政处罚法 第四十八条)", WARNING))


# The annual report's 第二部分 rows counted from decisions: 本年处理决定数量 (report.Proactive).
REPORT_ROWS = (("licensing", "行政许可"), ("penalties", "行政处罚"), ("coercion", "行政强制"))


def decisions_made(decisions: list[EnforcementDecision], on: dt.date) -> list[EnforcementDecision]:
    """The decisions the site has published by `on`, those taken down since included (past their
    period, withdrawn): a count of them is no personal data and stays right after take-down."""
    return [d for d in decisions if not d.draft and d.publishable and d.published is not None and d.published <= on]


def check_report_counts(catalog: Catalog, reports: list) -> list[Problem]:
    """A warning where a report's 本年处理决定数量 is lower than the decisions the site itself
    published for that body and year. A higher number is normal: not every decision is published
    (a penalty without 社会影响, only-警告, minors)."""
    counts: dict[tuple[str, int, str], int] = {}
    bodies = set()
    for d in catalog.decisions_made:
        bodies.add(d.unit_id)
        key = (d.unit_id, d.decided.year, d.kind)
        counts[key] = counts.get(key, 0) + 1
    problems: list[Problem] = []
    for report in reports:
        if report.unit_id not in bodies:
            continue
        for field, kind in REPORT_ROWS:
            entered, counted = getattr(report.proactive, field), counts.get((report.unit_id, report.year, kind), 0)
            if entered < counted:
                problems.append(report.source.problem(
                    ("proactive", field), f"{kind} 本年处理决定数量: entered {entered}, but the site published "
                    f"{counted} {kind} decisions of {report.year} (those taken down since included)",
                    "the report counts every decision of the year, published or not: correct the number", WARNING))
    return problems


def check_officers(catalog: Catalog, decisions: list[EnforcementDecision], lists: list) -> list[Problem]:
    """Each 执法证号 a decision names is an officer of a 执法人员名单 (drafts and expired certificates
    included: the list is what the number is checked against), else a located error with
    did-you-mean. One the site does not show now (an expired certificate, a draft list) is shown
    without a link (decision.html asks catalog.officer)."""
    from .officers import cert_key  # the key the lists are indexed by
    known = {cert_key(o.cert_no): o.cert_no for officer_list in lists for o in officer_list.officers}
    problems: list[Problem] = []
    for d in decisions:
        for i, cert_no in enumerate(d.officers):
            if cert_key(cert_no) in known:
                continue
            hint = did_you_mean(cert_no, list(known.values()), 0.6)
            problems.append(d.source.problem(
                ("officers", i), f"no 执法人员 with 执法证号 {cert_no} in any unit's officers.md",
                hint or "add the officer to the unit's officers.md, or correct the number"))
    return problems
