"""Problems are data: every check reports located problems instead of raising."""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass

from ..sensitive.detection import mask_all


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __post_init__(self):
        # Any rule may quote what an editor wrote ('… is not a power category'); masking here,
        # where every problem is made, keeps ID and phone numbers out of every report.
        for name in ("message", "hint"):
            text = getattr(self, name)
            masked = mask_all(text)
            if masked != text:
                object.__setattr__(self, name, masked)

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity.value}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f"; {self.hint}"
        return text

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "field": self.field,
                "message": self.message, "hint": self.hint, "severity": self.severity.value}


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.field, p.message))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def did_you_mean(word: str, options, cutoff: float = 0.5) -> str:
    """A hint naming the closest of the options, or ''."""
    match = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=cutoff)
    return f"did you mean {match[0]}?" if match else ""
