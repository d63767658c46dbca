"""The site identity of mkdocs.yml (主办单位 … 公安机关备案号): checked in the build, shown in footers.

MkDocs reports a configuration error without its line; the form of each value is checked here,
with the model's rules (model.schema.identity), and located in mkdocs.yml, so that a wrong
网站标识码 stops the build among the content's errors, compiler style.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..model.primitives.frontmatter import Source
from ..model.primitives.problems import Problem
from ..model.schema.identity import FIELDS, identity_problems, locate


def shown_path(config: MkDocsConfig) -> str:
    """mkdocs.yml as messages name it: relative to the working directory when inside it."""
    path = Path(config.config_file_path or "mkdocs.yml")
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_posix()


def site_identity_problems(config: MkDocsConfig, identity) -> list[Problem]:
    """The wrong values of the identity as MkDocs read them, located in the file they came from."""
    values = {name: identity[name] for name in FIELDS if identity.get(name) is not None}
    if not values:
        return []
    shown = shown_path(config)
    try:
        text = Path(config.config_file_path).read_text(encoding="utf-8-sig")
        source, at, _ = locate(text, shown)
    except (OSError, TypeError, UnicodeDecodeError):  # a configuration not read from a file
        source, at = Source(shown), ("identity",)
    return identity_problems(values, source, at)


# Where real sites link their registrations to (a link only: nothing is fetched at build time).
ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="


def footer_identity(identity) -> list[tuple[str, str, str | None]]:
    """(label, value, link or None) of each identity value given, in the footer's order."""
    shown = []
    for name, label in FIELDS.items():
        if identity.get(name) in (None, ""):
            continue
        value = str(identity[name])
        link = {"icp": ICP_URL, "police": POLICE_URL + "".join(ch for ch in value if ch.isdigit())}.get(name)
        shown.append((label, value, link))
    return shown
