"""Scanning a content file: every front-matter value and the body, located, with allowances.

An editor allows one finding with `allow: [{rule, match, reason}]` in the front matter, where
`match` is the masked text the report shows (or the text itself). A masked form fits other
people's numbers too, so an allowance that fits two different values in its file is an error.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..primitives.problems import Problem, Severity
from .detection import MARKING, MOBILE, BANK_CARD, ID_CARD, RULES, Finding, scan, value_of


# --- allowances ---------------------------------------------------------------------------------

@dataclass
class Allowance:
    """An editor's `allow:` entry: this finding in this file is meant to be public."""

    path: str
    line: int
    column: int
    rule: str
    match: str
    reason: str
    used: int = 0
    # The values it covered: a masked form such as 139****0148 fits many numbers, and an
    # allowance names exactly one, so a second value is an error (see scan_file).
    values: set = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if finding.rule == self.rule and self.match.strip() in (finding.masked, finding.text):
            self.values.add(value_of(finding.rule, finding.text))
            return True
        return False

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "rule": self.rule,
                "match": self.match, "reason": self.reason, "used": self.used}


def read_allowances(data: Any, path: str, where) -> tuple[list[Allowance], list[Problem]]:
    """The `allow:` list of a front matter (already parsed); `where(*field)` gives positions."""
    entries = data.get("allow") if isinstance(data, dict) else None
    if entries is None:
        return [], []
    if not isinstance(entries, list):
        line, col = where("allow")
        return [], [Problem(path, line, col, "allow", "expected a list",
                            "write e.g. allow: [{rule: 手机号码, match: '139****1024', reason: 公开的服务热线}]")]
    allowances, problems = [], []
    for i, entry in enumerate(entries):
        line, col = where("allow", i)
        rule = entry.get("rule") if isinstance(entry, dict) else None
        match = entry.get("match") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not (isinstance(rule, str) and rule.strip() in RULES):
            problems.append(Problem(path, line, col, f"allow.{i}.rule", f"'{rule}' is not a sensitive-data rule",
                                    "one of: " + "、".join(RULES)))
        elif not (isinstance(match, (str, int)) and str(match).strip()):
            problems.append(Problem(path, line, col, f"allow.{i}.match", "name the finding to allow",
                                    "copy the masked text from the report, e.g. match: '139****1024'"))
        elif not (isinstance(reason, str) and reason.strip()):
            problems.append(Problem(path, line, col, f"allow.{i}.reason", "an allowance needs a reason",
                                    "say why it may be published, e.g. reason: 对外公布的服务热线"))
        else:
            allowances.append(Allowance(path, line, col, rule.strip(), str(match).strip(), reason.strip()))
    return allowances, problems


# --- scanning a content file ----------------------------------------------------------------------

_HINTS = {
    ID_CARD: "never publish an ID number; mask it (e.g. 3301**********1234) or remove it",
    BANK_CARD: "never publish a bank card number; mask it (e.g. 6222*********1234) or remove it",
    MOBILE: "personal phone numbers belong only in the public contact fields (phone, contacts, roster); "
            "mask it (e.g. 138****5678), or if it is a published hotline add "
            "allow: [{rule: 手机号码, match: '%s', reason: …}]",
    MARKING: "a page with a secrecy marking must not be published: check the source document; "
             "if this is ordinary text, add allow: [{rule: 密级标志, match: '%s', reason: …}]",
}


def _problem(path: str, line: int, column: int, field: str, finding: Finding, severity: Severity) -> Problem:
    hint = _HINTS[finding.rule]
    if "%s" in hint:
        hint = hint % finding.masked
    return Problem(path, line, column, field, f"{finding.rule} '{finding.masked}'", hint, severity)


def _strings(data: Any, where: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        yield where, str(data)  # fee: 13907861024 unquoted is published as the text it becomes
    elif isinstance(data, bytes):  # !!binary: the schema reads it as the text it decodes to
        yield where, data.decode("utf-8", errors="replace")
    elif isinstance(data, dict):
        for key, value in data.items():
            if where == () and key == "allow":
                continue  # allowances name findings; they are not content
            yield from _strings(value, where + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, where + (i,))


def _locate(lines: list[str], line: int, column: int, text: str) -> tuple[int, int]:
    """The exact position of text at or after a value's start (multi-line and quoted values)."""
    for number in range(line, min(line + 200, len(lines) + 1)):
        start = column - 1 if number == line else 0
        found = lines[number - 1].find(text, start)
        if found >= 0:
            return number, found + 1
    return line, column


def scan_file(path: str, data: dict, positions: dict, front_text: str, body: str, body_line: int,
              allowances: list[Allowance], is_contact, severity: Severity = Severity.ERROR,
              published: set[tuple[str, str]] | None = None) -> list[Problem]:
    """Problems for the findings of one file not covered by its allowances.

    front_text is the file's text from its first line (positions count from there); is_contact(field
    path) tells the fields the schema declares public contacts. Each value published on purpose
    (a public contact's mobile, an allowed finding) is added to `published` as (rule, value): the
    egress gate lets exactly those through wherever the site shows them.
    """
    problems: list[Problem] = []
    lines = front_text.split("\n")

    def allowed(finding: Finding) -> bool:
        for allowance in allowances:
            if allowance.covers(finding):
                allowance.used += 1
                if published is not None:
                    published.add((finding.rule, value_of(finding.rule, finding.text)))
                return True
        return False

    strings = list(_strings(data))
    # One pass over all values first: joined by newlines they give at least the findings of the
    # values one by one (a digit run never crosses a line), and most files have none.
    if not scan("\n".join(value for _, value in strings)):
        strings = []
    for field_path, value in strings:
        findings = scan(value)
        if any(f.rule == MOBILE for f in findings) and is_contact(field_path):
            if published is not None:
                published.update((MOBILE, value_of(MOBILE, f.text)) for f in findings if f.rule == MOBILE)
            findings = [f for f in findings if f.rule != MOBILE]
        if not findings:
            continue
        line, column = _where(positions, field_path)
        name = ".".join(str(p) for p in field_path)
        for finding in findings:
            if not allowed(finding):
                at = _locate(lines, line, column, finding.text)
                problems.append(_problem(path, *at, name, finding, severity))
    starts = None
    for finding in scan(body):
        if not allowed(finding):
            if starts is None:  # offsets of line starts, computed once and only when needed
                starts = [0] + [m.end() for m in re.finditer("\n", body)]
            number = bisect.bisect_right(starts, finding.start) - 1
            problems.append(_problem(path, body_line + number, finding.start - starts[number] + 1, "",
                                     finding, severity))
    for allowance in allowances:
        if len(allowance.values) > 1:
            problems.append(Problem(
                path, allowance.line, allowance.column, "allow",
                f"the allowance of {allowance.rule} '{allowance.match}' fits {len(allowance.values)} different values",
                "an allowance names one value: mask or remove the others (a masked form fits other people's numbers)",
                severity))
    return problems


def unused(allowances: list[Allowance]) -> list[Problem]:
    """Allowances that match nothing: stale after an edit, or mistyped; either way, say so."""
    return [Problem(a.path, a.line, a.column, "allow", f"the allowance of {a.rule} '{a.match}' matches nothing",
                    "remove it, or copy the masked text from the report", Severity.WARNING)
            for a in allowances if not a.used]


def _where(positions: dict, field_path: tuple) -> tuple[int, int]:
    path = tuple(field_path)
    while path:
        if path in positions:
            return positions[path]
        path = path[:-1]
    return positions.get((), (1, 1))


