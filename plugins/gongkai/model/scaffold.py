"""New content files with every field present, and the rule that keeps unfinished ones unpublished.

`gongkai new power|guide|document|notice` writes a file whose every field the editor has to
decide holds the placeholder 待填写. The loader treats a placeholder as a field still to fill:
an error at its line, so `gongkai check` lists what is left and no build publishes the file.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from .frontmatter import Source
from .problems import Problem, Severity
from .schema import KIND_SCHEMAS, LABELS

PLACEHOLDER = "待填写"

# Letters of each power category in item codes (ZRZY-XK-001), as in the sample county.
CATEGORY_LETTERS = {
    "行政许可": "XK", "行政处罚": "CF", "行政强制": "QZ", "行政征收": "ZS", "行政给付": "JF",
    "行政检查": "JC", "行政确认": "QR", "行政奖励": "JL", "行政裁决": "CJ", "其他行政权力": "QT",
    "公共服务": "GG",
}
# Fields a new file leaves out: a draft flag and allowances of the sensitive-data rules are added
# only when an editor needs them, never filled in by default.
NOT_SCAFFOLDED = ("draft", "allow")
KIND_WORDS = {"power": "powers", "guide": "guides", "document": "documents", "notice": "notices"}
CODE_LINE = re.compile(r"^code:\s*['\"]?([A-Za-z0-9][A-Za-z0-9_.-]*)", re.M)


# --- the rule ---------------------------------------------------------------------------------------
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


# --- new files ---------------------------------------------------------------------------------------
class ScaffoldError(Exception):
    pass


def skeleton(annotation: Any) -> Any:
    """A value of the annotation's shape with 待填写 in every leaf."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return skeleton(args[0])
    if origin in (Union, types.UnionType):
        return skeleton(next(a for a in args if a is not type(None)))
    if origin is list:
        return [skeleton(args[0])]
    if origin is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {name: skeleton(f.annotation) for name, f in annotation.model_fields.items()}
    return PLACEHOLDER


def new_content(content_dir: Path, kind: str, unit_id: str, *, category: str | None = None,
                name: str | None = None, today: dt.date | None = None) -> tuple[Path, str]:
    """Where the new file goes and its text. Raises ScaffoldError on a bad unit or category."""
    units = content_dir / "units"
    if not (units / unit_id / "unit.md").is_file():
        known = sorted(p.name for p in units.iterdir() if (p / "unit.md").is_file()) if units.is_dir() else []
        from .validation import did_you_mean

        raise ScaffoldError(f"no unit '{unit_id}' in {units}" + (f"; {did_you_mean(unit_id, known)}"
                                                                 if did_you_mean(unit_id, known) else ""))
    folder = KIND_WORDS[kind]
    schema = KIND_SCHEMAS[folder]
    data = {f: skeleton(info.annotation) for f, info in schema.model_fields.items()
            if f not in NOT_SCAFFOLDED}
    year = (today or dt.date.today()).year
    if "procedure" in data:
        data["procedure"] = {"template": PLACEHOLDER}
    if kind == "power":
        if category not in CATEGORY_LETTERS:
            raise ScaffoldError(f"'{category}' is not a power category; one of: " + "、".join(CATEGORY_LETTERS))
        data["code"], slug = fresh_code(content_dir, unit_id, category)
        data["category"] = category
        data["name"] = name or PLACEHOLDER
        for citation in data["basis"]:
            citation["kind"] = "设定依据"
        data["status"] = [{"action": "新增", "date": PLACEHOLDER, "document": PLACEHOLDER, "note": PLACEHOLDER}]
    else:
        data["title"] = name or PLACEHOLDER
        slug = fresh_slug(units / unit_id / folder, str(year) if kind in ("document", "notice") else kind)
        if kind == "document":
            data["issuers"] = [unit_id]
    path = units / unit_id / folder / f"{slug}.md"
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return path, f"---\n{front}---\n"


def fresh_code(content_dir: Path, unit_id: str, category: str) -> tuple[str, str]:
    """The next free item code of the unit and category, e.g. ZRZY-XK-003, and its file name.

    Codes are read from every item file as text (drafts and files with errors included), so the
    new code collides with none of them, nor with a code the git history ever had: a deleted
    item's code stays its own, so 删除 and a later 新增 remain two adjustments."""
    letters = CATEGORY_LETTERS[category]
    codes = codes_in_history(content_dir)
    unit_codes = []
    for path in sorted((content_dir / "units").glob("*/powers/*.md")):
        match = CODE_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
        if match:
            codes.add(match.group(1).upper())
            if path.parent.parent.name == unit_id:
                unit_codes.append(match.group(1))
    prefixes = sorted({c.rsplit("-", 2)[0] for c in unit_codes if c.count("-") >= 2})
    prefix = prefixes[0] if len(prefixes) == 1 else unit_id.upper()
    files = {p.stem.upper() for p in (content_dir / "units" / unit_id / "powers").glob("*.md")}
    number = 1
    while f"{prefix}-{letters}-{number:03d}".upper() in codes or f"{letters}-{number:03d}" in files:
        number += 1
    return f"{prefix}-{letters}-{number:03d}", f"{letters}-{number:03d}"


HISTORY_CODE_LINE = re.compile(r"^[-+]code:\s*['\"]?([A-Za-z0-9][A-Za-z0-9_.-]*)", re.M)


def codes_in_history(content_dir: Path) -> set[str]:
    """Every item code added or removed in any commit of any branch or tag (one `git log`: only the
    diffs that change a code line are printed). Empty outside git."""
    try:
        out = subprocess.run(["git", "log", "--all", "--format=", "-p", "--no-ext-diff", "-G^code:", "--",
                              "units/*/powers/*.md"], cwd=content_dir, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return set()
    if out.returncode != 0:
        return set()
    text = out.stdout.decode("utf-8", "replace")
    return {code.upper() for code in HISTORY_CODE_LINE.findall(text)}


def fresh_slug(folder: Path, stem: str) -> str:
    number = 1
    while (folder / f"{stem}-new-{number}.md").exists():
        number += 1
    return f"{stem}-new-{number}"
