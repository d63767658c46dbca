"""`gongkai new`: a new content file with every field present, 待填写 where the editor decides.

The placeholder rule itself (a 待填写 left is an error at its line) is the model's
(model/schema/placeholders.py); this module only writes files. Which kinds it writes, their
folders and schemas come from the Kind registry.
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

from .model.primitives.problems import did_you_mean
from .model.primitives.tree import walk
from .model.schema.kinds import ANNUAL_REPORT, DECISION, DOCUMENT, KIND_BY_NAME, NOTICE, POWER, UNIT_FILE, UNITS_DIR
from .model.schema.placeholders import PLACEHOLDER


# Letters of each power category in item codes (ZRZY-XK-001), as in the sample county.
CATEGORY_LETTERS = {
    "行政许可": "XK", "行政处罚": "CF", "行政强制": "QZ", "行政征收": "ZS", "行政给付": "JF",
    "行政检查": "JC", "行政确认": "QR", "行政奖励": "JL", "行政裁决": "CJ", "其他行政权力": "QT",
    "公共服务": "GG",
}
# Fields a new file leaves out: a draft flag and allowances of the sensitive-data rules are added
# only when an editor needs them, never filled in by default.
NOT_SCAFFOLDED = ("draft", "allow")
# Kinds whose new files are named by the year they are written in (2026-new-1.md).
DATED = (DOCUMENT, NOTICE)
CODE_LINE = re.compile(r"^code:\s*['\"]?([A-Za-z0-9][A-Za-z0-9_.-]*)", re.M)


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


def new_content(content_dir: Path, kind_name: str, unit_id: str, *, category: str | None = None,
                name: str | None = None, today: dt.date | None = None) -> tuple[Path, str]:
    """Where the new file goes and its text. Raises ScaffoldError on a bad unit or category."""
    kind = KIND_BY_NAME[kind_name]
    units = content_dir / UNITS_DIR
    if not (units / unit_id / UNIT_FILE).is_file():
        known = sorted(p.name for p in units.iterdir() if (p / UNIT_FILE).is_file()) if units.is_dir() else []
        hint = did_you_mean(unit_id, known)
        raise ScaffoldError(f"no unit '{unit_id}' in {units}" + (f"; {hint}" if hint else ""))
    folder = units / unit_id / kind.plural
    data = {f: skeleton(info.annotation) for f, info in kind.schema.model_fields.items()
            if f not in NOT_SCAFFOLDED}
    year = (today or dt.date.today()).year
    if "procedure" in data:
        data["procedure"] = {"template": PLACEHOLDER}
    if kind is POWER:
        if category not in CATEGORY_LETTERS:
            raise ScaffoldError(f"'{category}' is not a power category; one of: " + "、".join(CATEGORY_LETTERS))
        data["code"], slug = fresh_code(content_dir, unit_id, category)
        data["category"] = category
        data["name"] = name or PLACEHOLDER
        for citation in data["basis"]:
            citation["kind"] = "设定依据"
        data["status"] = [{"action": "新增", "date": PLACEHOLDER, "document": PLACEHOLDER, "note": PLACEHOLDER}]
    elif kind is ANNUAL_REPORT:
        data, slug = report_skeleton(data, year - 1)
    elif kind is DECISION:
        # A decision is written as decided: a minor's case or a withdrawal is added when it applies.
        for field in ("minor", "withdrawn"):
            data.pop(field)
        slug = fresh_slug(folder, str(year))
    else:
        data["title" if "title" in data else "name"] = name or PLACEHOLDER
        slug = fresh_slug(folder, str(year) if kind in DATED else kind.name)
        if "issuers" in data:
            data["issuers"] = [unit_id]
    path = folder / f"{slug}.md"
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return path, f"---\n{front}---\n"


def report_skeleton(data: dict, year: int) -> tuple[dict, str]:
    """An annual report on last year, in its file named by the year: the counts of 规章 and
    行政规范性文件 left out (the site counts them), no 小计 (not a row of the format)."""
    data["year"] = year
    data["proactive"] = {k: v for k, v in data["proactive"].items() if k not in ("rules", "normative")}
    for group in data["applications"].values():
        if isinstance(group, dict):
            group.pop("subtotal", None)
    return data, str(year)


def fresh_code(content_dir: Path, unit_id: str, category: str) -> tuple[str, str]:
    """The next free item code of the unit and category, e.g. ZRZY-XK-003, and its file name."""
    return CodeBook(content_dir).fresh(unit_id, category)


class CodeBook:
    """The item codes in use, read once, and the next free ones (`gongkai new` takes one, an
    import thousands).

    Codes are read from every item file as text (drafts and files with errors included), so a new
    code collides with none of them, nor with a code the git history ever had: a deleted item's
    code stays its own, so 删除 and a later 新增 remain two adjustments."""

    def __init__(self, content_dir: Path):
        self.codes = codes_in_history(content_dir)
        self.unit_codes: dict[str, list[str]] = {}
        self.files: dict[str, set[str]] = {}  # file stems (upper case) by unit
        self.cursor: dict[tuple[str, str], int] = {}  # the next number to try, by unit and letters
        # The regular files only, as the loader reads them: a link is never followed (primitives.tree).
        for rel in walk(content_dir).under(UNITS_DIR, ".md"):
            parts = rel.split("/")
            if len(parts) != 4 or parts[2] != POWER.plural:
                continue
            self.files.setdefault(parts[1], set()).add(Path(rel).stem.upper())
            match = CODE_LINE.search((content_dir / rel).read_text(encoding="utf-8", errors="replace"))
            if match:
                self.codes.add(match.group(1).upper())
                self.unit_codes.setdefault(parts[1], []).append(match.group(1))

    def __contains__(self, code: str) -> bool:
        return code.upper() in self.codes

    def take(self, code: str, unit_id: str, stem: str) -> None:
        """Mark a code and a file name as used (an imported item's own code)."""
        self.codes.add(code.upper())
        self.files.setdefault(unit_id, set()).add(stem.upper())

    def fresh(self, unit_id: str, category: str) -> tuple[str, str]:
        """The next free code of the unit and category and its file name; taken from then on."""
        letters = CATEGORY_LETTERS[category]
        prefixes = sorted({c.rsplit("-", 2)[0] for c in self.unit_codes.get(unit_id, []) if c.count("-") >= 2})
        prefix = prefixes[0] if len(prefixes) == 1 else unit_id.upper()
        files = self.files.setdefault(unit_id, set())
        number = self.cursor.get((unit_id, letters), 1)
        while f"{prefix}-{letters}-{number:03d}".upper() in self.codes or f"{letters}-{number:03d}" in files:
            number += 1
        self.cursor[(unit_id, letters)] = number + 1
        code, stem = f"{prefix}-{letters}-{number:03d}", f"{letters}-{number:03d}"
        self.take(code, unit_id, stem)
        return code, stem


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
