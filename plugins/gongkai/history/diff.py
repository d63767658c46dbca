"""What changed between two versions of a content file, masked and said in Chinese.

No git here: this module works on the bytes git gives back (history.git feeds it blobs, and
history.adjustments the files of two refs). Lowest of the three history modules: git and
adjustments import it, it imports neither.

- top_level_blocks, block_value: a file's front matter cut into its top-level fields, each parsed
  only when needed (with the model's own YAML loader)
- diff_blocks → FieldChange: the fields whose value changed, described with the schema's labels
  (describe_change, shown)
- masked_text, masked_value, masking_warning: git keeps what a commit recorded, and old versions
  were never checked as the content is: every text taken from them is masked before it is shown,
  and the editor is told
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model.primitives.dates import DateError, parse_date
from ..model.primitives.frontmatter import parse_yaml, reads_as_text
from ..model.primitives.problems import Problem, Severity
from ..model.schema import LABELS, PowerItem, ServiceGuide
from ..model.schema.fields import is_public_contact
from ..model.sensitive.detection import MOBILE, replace_findings, scan

DAY_FIELDS = ("statutory_limit", "promised_limit")


@dataclass(frozen=True)
class FieldChange:
    field: str
    text: str  # in Chinese, e.g. '承诺时限 10 → 5 个工作日'
    hidden: tuple[str, ...] = ()  # what was masked in text, as reports show it: "手机号码 '139****1024'"


# --- front matter, block by block -------------------------------------------------------------------
FRONT_END = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?:\n|$)")
TOP_LEVEL = re.compile(r"^(?=[^\s#-])", re.M)  # a line that starts a top-level field


def top_level_blocks(raw: bytes) -> dict[str, str]:
    """{field: its YAML text} for each top-level field of a file's front matter."""
    text = raw.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---") or "\n" not in text:
        return {}
    first = text.index("\n")  # the end of the opening '---' line
    end = FRONT_END.search(text, first)
    if end is None:
        return {}
    blocks: dict[str, str] = {}
    for part in TOP_LEVEL.split(text[first + 1:end.start()]):
        if part and not part[0].isspace() and part[0] not in "#-":
            blocks.setdefault(part.split(":", 1)[0].strip().strip("'\""), part.rstrip())
    return blocks


PLAIN_SCALAR = re.compile(r"^[A-Za-z_]+:[ ]+([^\s'\"#&*!|>%@`\[\]{},:?-][^#:]*?)\s*$")


def block_value(block: str | None) -> Any:
    """The value of one top-level block ('key: value' YAML text); None when absent or unreadable."""
    if block is None:
        return None
    if "\n" not in block:  # most fields are one 'key: text' line: no YAML parser needed for those
        match = PLAIN_SCALAR.match(block)
        if match and reads_as_text(match.group(1)):  # 'draft: True' is a bool, never the text 'True'
            return match.group(1)
    data, _, problems = parse_yaml(block, "", 1)
    if problems or not isinstance(data, dict):
        return None
    return next(iter(data.values()), None)


# Fields that are not content: an editor's allowances of the sensitive-data rules say which
# finding may be published and why (an internal note to the reviewer), never a change to the item.
NOT_PUBLIC_FIELDS = ("allow",)


def diff_blocks(old: dict[str, str], new: dict[str, str]) -> list[FieldChange]:
    changes = []
    for key in [*new, *(k for k in old if k not in new)]:
        if key in NOT_PUBLIC_FIELDS or old.get(key) == new.get(key):
            continue
        before, after = block_value(old.get(key)), block_value(new.get(key))
        if before == after:
            continue  # a comment or the layout changed, not the value
        # An old version was never checked: what it held is masked before it is described (and
        # before it is shortened, which could cut a number past recognition).
        hidden: list[str] = []
        before, after = masked_value(before, (key,), hidden), masked_value(after, (key,), hidden)
        text = describe_change(key, before, after)
        if text:
            changes.append(FieldChange(key, text, tuple(dict.fromkeys(hidden))))
    return changes


# --- what git kept that the content checks never saw ---------------------------------------------
HIDDEN_MARKING = "〔已隐去〕"
MASKED_HINT = ("the git history keeps what a commit recorded: the page shows it masked; to remove it from "
               "the repository too, rewrite the history (e.g. git filter-repo) and force-push")


def masked_text(text: str, contact: bool = False) -> tuple[str, list[str]]:
    """text with its sensitive findings masked (139****1024; a secrecy marking dropped), and the
    findings as reports show them. contact: a public contact field, where mobile numbers pass."""
    findings = [f for f in scan(text) if not (contact and f.rule == MOBILE)]
    if not findings:
        return text, []
    return replace_findings(text, findings, HIDDEN_MARKING), [f"{f.rule} '{f.masked}'" for f in findings]


def masked_value(value: Any, path: tuple, hidden: list[str]) -> Any:
    """A front matter value with every text in it masked; what was masked is added to hidden."""
    if isinstance(value, dict):
        return {k: masked_value(v, (*path, k), hidden) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_value(v, (*path, i), hidden) for i, v in enumerate(value)]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return value
    text, found = masked_text(str(value), _is_contact(path))
    if not found:
        return value
    hidden += found
    return text


def _is_contact(path: tuple) -> bool:
    return is_public_contact(PowerItem, path) or is_public_contact(ServiceGuide, path)


def masking_warning(path: str, where: str, hidden: list[str]) -> Problem:
    """The located warning that tells the editor what a page shows masked (the findings as every
    report shows them) and how to remove it from the repository too."""
    what = "、".join(dict.fromkeys(hidden))
    return Problem(path, 1, 1, "修订记录", f"{where}: masked on the page: {what}", MASKED_HINT, Severity.WARNING)


# --- a change in words ------------------------------------------------------------------------------
def describe_change(key: str, before: Any, after: Any) -> str:
    label = LABELS.get(key, key)
    if key == "basis":
        label = "依据"
    if key == "procedure":  # a graph: the page's flowchart shows it, a diff in words would not
        return f"{label} " + ("新增" if before is None else "删除" if after is None else "修改")
    if isinstance(before, list) or isinstance(after, list):
        old = [shown(key, v) for v in before or []]
        new = [shown(key, v) for v in after or []]
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        parts = [f"{verb} {_some(values)}" for verb, values in (("新增", added), ("删除", removed)) if values]
        if not parts:
            parts.append("调整顺序")
        return f"{label} " + "；".join(parts)
    unit = " 个工作日" if key in DAY_FIELDS else ""
    if before is None:
        return f"{label} 新增 {shown(key, after)}{unit}"
    if after is None:
        return f"{label} 删除（原为 {shown(key, before)}{unit}）"
    return f"{label} {shown(key, before)} → {shown(key, after)}{unit}"


def shown(key: str, value: Any) -> str:
    """A field value as a reader sees it: 《law》第X条 for citations, 是/否 for yes/no."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if "law" in value:
            law = str(value.get("law") or "").strip("《》<>〈〉 ")
            text = f"《{law}》{value.get('article') or ''}"
            return f"{text}（{value['kind']}）" if value.get("kind") and value.get("kind") != "设定依据" else text
        if "action" in value:
            try:
                date = parse_date(value.get("date")).isoformat()
            except DateError:
                date = value.get("date")
            extra = "，".join(str(v) for v in (date, value.get("document")) if v)
            return f"{value['action']}（{extra}）" if extra else str(value["action"])
        if "stage" in value:
            return f"{value['stage']}：{_one_line(value.get('duty'))}"
        return "，".join(f"{LABELS.get(k, k)} {_one_line(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(shown(key, v) for v in value)
    return _one_line(value)


def _some(values: list[str], limit: int = 3) -> str:
    """A few of many values: a revision record stays readable when a whole list was filled in."""
    if len(values) <= limit:
        return "、".join(values)
    return "、".join(values[:limit]) + f" 等 {len(values)} 项"


def _one_line(value: Any, limit: int = 60) -> str:
    """A value as one line of at most `limit` characters (runs of white space become one space;
    a longer text is cut with '…'), so one long field does not swamp a revision record."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
