"""The site's identity (网站标识): who runs the site and its registrations, shown in every footer.

A government site's footer carries 主办单位, 承办单位, 网站标识码, ICP备案号 and 公安机关备案号
(reference/disclosure-rules.md, 扣分 and practice). They are site-wide settings, written in
mkdocs.yml under the gongkai/catalog plugin's `identity:`; this module checks their form and
locates a wrong one in mkdocs.yml, which MkDocs itself reports without a line. No MkDocs import:
the build (catalog.plugin) and `gongkai check` call the same checks.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from ..primitives.frontmatter import Source, parse_yaml
from ..primitives.problems import Problem, Severity, did_you_mean

PLUGIN = "gongkai/catalog"
OPTION = "identity"

# Field → its name on the page, in the order of the footer.
FIELDS = {"sponsor": "主办单位", "organizer": "承办单位", "site_code": "网站标识码",
          "icp": "ICP备案号", "police": "公安机关备案号"}
# What every real site has (承办单位 only where another body runs the site): a missing one is a
# warning of `gongkai check`.
EXPECTED = ("sponsor", "site_code", "icp", "police")

# Registrations are made per province and carry its one-character abbreviation (简称).
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"
# The first two digits of an administrative division code (GB/T 2260): the province.
PROVINCE_CODES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                  "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}

# 网站标识码 (《政府网站发展指引》): 10 characters; local governments' are digits beginning with
# their administrative division code (e.g. 3406000012), the State Council departments' 'bm' and 8 digits.
SITE_CODE = re.compile(r"^([0-9]{10}|bm[0-9]{8})$")  # [0-9]: \\d takes full-width digits too
ICP = re.compile(rf"^[{PROVINCES}]ICP备[0-9]{{6,10}}号(-[0-9]{{1,3}})?$")
POLICE = re.compile(rf"^[{PROVINCES}]公网安备[0-9]{{14}}号$")

HINTS = {
    "site_code": "write the 10-character code the 政府网站 registry assigned, e.g. 3607000099 (quote it in mkdocs.yml)",
    "icp": "write it as registered: province, ICP备, the number, 号 and any -n suffix, e.g. 赣ICP备2023001234号-1",
    "police": "write it as registered: province, 公网安备, the 14-digit number and 号, e.g. 赣公网安备36072702000123号",
}


def identity_problems(values: dict[str, Any] | None, source: Source, at: tuple) -> list[Problem]:
    """Every wrong value of the identity, located at `at + (field,)` in mkdocs.yml (error)."""
    problems: list[Problem] = []
    for name, value in (values or {}).items():
        where = at + (name,)
        if name not in FIELDS:
            hint = did_you_mean(name, FIELDS) or f"the fields are {', '.join(FIELDS)}"
            problems.append(_problem(source, where, f"'{name}' is not a field of the site identity", hint))
            continue
        if value is None:
            continue
        text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is None or not text.strip():
            problems.append(_problem(source, where, f"{FIELDS[name]} must be text", HINTS.get(name, "")))
            continue
        message = _form_problem(name, text)
        if message:
            problems.append(_problem(source, where, message, HINTS[name]))
    return problems


def _problem(source: Source, where: tuple, message: str, hint: str = "",
             severity: Severity = Severity.ERROR) -> Problem:
    """A problem at a place in mkdocs.yml, named from the plugin's option on (identity.site_code)."""
    line, column = source.where(*where)
    name = ".".join(str(p) for p in where[where.index(OPTION):]) if OPTION in where else OPTION
    return Problem(source.path, line, column, name, message, hint, severity)


def _form_problem(name: str, text: str) -> str:
    """Why a 网站标识码 or registration number is not of its form ('' when it is)."""
    label = FIELDS[name]
    if name == "site_code":
        if SITE_CODE.match(text):
            if text[:2] != "bm" and text[:2] not in PROVINCE_CODES:
                return f"'{text}' is not a {label}: it does not begin with a province's division code"
            return ""
        if unicodedata.normalize("NFKC", text) != text:
            return f"'{text}' is not a {label}: write half-width characters"
        return f"'{text}' is not a {label}: it has {len(text)} characters, a {label} has 10 digits"
    if name in ("icp", "police"):
        if (ICP if name == "icp" else POLICE).match(text):
            return ""
        if unicodedata.normalize("NFKC", text) != text:
            return f"'{text}' is not an {label}: write half-width digits and '-'"
        return f"'{text}' is not {'an' if name == 'icp' else 'a'} {label}"
    return ""


def missing_problems(values: dict[str, Any] | None, source: Source, at: tuple) -> list[Problem]:
    """The identity fields every real site has that this one lacks (warnings: `gongkai check`)."""
    if not values:
        names = "、".join(FIELDS[f] for f in EXPECTED)
        return [_problem(source, at, f"the site has no identity: the footer shows no {names}",
                               f"add '{OPTION}:' with {', '.join(EXPECTED)} under the {PLUGIN} plugin in mkdocs.yml",
                               severity=Severity.WARNING)]
    return [_problem(source, at + (name,), f"no {FIELDS[name]}: every page's footer should show it",
                           f"add '{name}:' under '{OPTION}:'", severity=Severity.WARNING)
            for name in EXPECTED if values.get(name) in (None, "")]


def locate(config_text: str, shown: str) -> tuple[Source, tuple, Any]:
    """mkdocs.yml parsed with positions: (its Source, the field path of the plugin's `identity`,
    the identity as written or None). Tags the loader does not know (!ENV, !!python/name) only
    cost their own values, which the identity never needs."""
    data, positions, _ = parse_yaml(config_text, shown, line_offset=1)
    source = Source(shown, positions)
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        entries = [((PLUGIN,), plugins.get(PLUGIN))] if PLUGIN in plugins else []
    elif isinstance(plugins, list):
        entries = [((i, PLUGIN), p[PLUGIN]) for i, p in enumerate(plugins) if isinstance(p, dict) and PLUGIN in p]
        entries += [((i,), None) for i, p in enumerate(plugins) if p == PLUGIN]
    else:
        entries = []
    if not entries:
        return source, ("plugins",), None
    where, options = entries[0]
    at = ("plugins", *where, OPTION)
    identity = options.get(OPTION) if isinstance(options, dict) else None
    if identity is None:  # point at the plugin's entry: that is where it goes
        return source, ("plugins", *where), None
    return source, at, identity


def check_config_file(path: Path, shown: str) -> list[Problem]:
    """`gongkai check`: the identity in mkdocs.yml, wrong values (errors) and missing ones (warnings)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(shown, 1, 1, "", f"cannot read the configuration: {getattr(exc, 'strerror', None) or exc}")]
    source, at, identity = locate(text, shown)
    if identity is not None and not isinstance(identity, dict):
        return [_problem(source, at, "the site identity must be fields (sponsor:, site_code: …)",
                               HINTS["site_code"])]
    return identity_problems(identity, source, at) + missing_problems(identity, source, at)
