"""A generated page: a virtual MkDocs file whose template renders `data` as `gk` (pages.py plans them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SitePage:
    src_uri: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
