"""The rule that keeps unfinished files unpublished: 待填写 is a field still to fill.

`gongkai new` (gongkai/scaffold.py) writes a file whose every field the editor has to decide
holds the placeholder 待填写. The loader treats a placeholder as a field still to fill: an error
at its line, so `gongkai check` lists what is left and no build publishes the file.
"""

from __future__ import annotations

from typing import Any

from ..primitives.frontmatter import Source
from ..primitives.problems import Problem, Severity
from .fields import LABELS

PLACEHOLDER = "待填写"


def unfilled(data: Any, source: Source) -> tuple[Any, list[Problem], list[str]]:
    """The data without its placeholders, a problem for each (an error; a warning in a draft),
    and their field names."""
    problems: list[Problem] = []
    names: list[str] = []
    # A draft never reaches the site: its unfilled fields are reminders, so work in progress can
    # be committed (and pass pre-commit) as `draft: true`.
    severity = Severity.WARNING if isinstance(data, dict) and data.get("draft") is True else Severity.ERROR

    def strip(value: Any, where: tuple) -> Any:
        if isinstance(value, dict):
            return {k: strip(v, where + (k,)) for k, v in value.items() if not _report(v, where + (k,))}
        if isinstance(value, list):
            return [strip(v, where + (i,)) for i, v in enumerate(value) if not _report(v, where + (i,))]
        return value

    def _report(value: Any, where: tuple) -> bool:
        if not (isinstance(value, str) and value.strip() == PLACEHOLDER):
            return False
        label = label_of(where)
        problems.append(source.problem(
            where, f"still to fill in{f' ({label})' if label else ''}",
            f"replace {PLACEHOLDER} with the value, or delete the line if it does not apply", severity))
        names.append(".".join(str(p) for p in where))
        return True

    return strip(data, ()), problems, names


def label_of(where: tuple) -> str:
    """The label of the field at `where`: a nested field's own ('basis.level' is 依据层级), never
    that of the top-level field it shares a name with (level is 行使层级)."""
    names = [p for p in where if isinstance(p, str)]
    if len(names) > 1:
        return LABELS.get(".".join(names[-2:]), "")
    return LABELS.get(names[0], "") if names else ""


def covered(field: str, names: list[str]) -> bool:
    """Whether a schema problem only restates an unfilled field (its parent or a part of it)."""
    return any(field == n or n.startswith(field + ".") or field.startswith(n + ".") for n in names)
