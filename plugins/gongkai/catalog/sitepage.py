"""A generated page: a virtual MkDocs file whose template renders `data` as `gk` (pages.py plans them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.schema import Record


@dataclass
class SitePage:
    src_uri: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    # The records the page's 最后更新 is the newest of, where its data holds them inside other
    # structures (a column tree: its columns' entries); None: the records its data lists.
    dated: list[Record] | None = None
