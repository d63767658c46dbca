"""政策解读: a document that interprets a policy (`interprets:` its 文号 or 索引号), linked both ways.

The rules here see every document, drafts included: a 解读 naming no document at all is an
error; one naming a policy that is not published (a draft, not yet dated, not 主动公开) is a
warning, and the link stays off the site until the policy is published — a published page never
links an unpublished one. The Catalog's Interpretations index holds published documents only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ..primitives.problems import Problem, Severity, did_you_mean
from ..primitives.text import reference_key
from ..schema.records import Document

SETTING = "require_interpretation"


def check_interpretations(documents: list[Document], build_date: dt.date) -> list[Problem]:
    """Each `interprets:` reference resolved against every document (drafts included)."""
    problems: list[Problem] = []
    by_key: dict[str, Document] = {}
    for doc in sorted(documents, key=lambda d: d.source.path):
        for key in doc.reference_keys:
            by_key.setdefault(key, doc)
    known_numbers = sorted({d.doc_no for d in documents if d.doc_no})
    for doc in documents:
        for i, ref in enumerate(doc.interprets):
            target = by_key.get(reference_key(ref))
            # A single reference may be written as a string, not a list: located at the field.
            where = ("interprets", i) if ("interprets", i) in doc.source.positions else ("interprets",)
            if target is None:
                hint = did_you_mean(ref, known_numbers) or "give the 文号 or 索引号 of a document in the archive"
                problems.append(doc.source.problem(where, f"unknown document '{ref}': nothing to interpret", hint))
            elif target is doc:
                problems.append(doc.source.problem(where, "a document cannot interpret itself",
                                                   "give the 文号 or 索引号 of the policy it interprets"))
            elif not target.is_published(build_date):
                problems.append(doc.source.problem(
                    where, f"the policy it interprets ({target.source.path}) is not published",
                    "the link is left off the site until the policy is published (主动公开, not a draft, "
                    "its 发布日期 reached)", Severity.WARNING))
    return problems


def missing_interpretations(documents: list[Document], build_date: dt.date, required: bool) -> list[Problem]:
    """With `required`, a warning at each published 规范性文件 that no 解读 interprets (drafts
    and unpublished 解读 do not count: readers would not find them)."""
    if not required:
        return []
    interpreted: set[str] = set()
    for doc in documents:
        if doc.is_published(build_date):
            interpreted.update(reference_key(ref) for ref in doc.interprets)
    problems = []
    for doc in documents:
        if doc.is_normative and doc.is_published(build_date) and not interpreted & set(doc.reference_keys):
            problems.append(doc.source.problem(
                ("genre",), "a 规范性文件 without a 政策解读",
                "publish a 解读 with 'interprets:' giving this document's 文号 "
                f"(required by {SETTING} in content/_vocab/disclosure.yml)", Severity.WARNING))
    return problems


def interpretation_required(catalog: Any) -> bool:
    """The switch `require_interpretation` of the site's disclosure settings (off by default).

    The settings come from content/_vocab/disclosure.yml once its loader puts them on the
    Catalog as `disclosure_settings` (a mapping, or an object with the attribute)."""
    settings = getattr(catalog, "disclosure_settings", None) or {}
    value = settings.get(SETTING, False) if isinstance(settings, dict) else getattr(settings, SETTING, False)
    return value is True


class Interpretations:
    """Published 解读 and the published policies they interpret, both ways."""

    def __init__(self, documents: list[Document], find: Callable[[str], Document | None]):
        self._policies: dict[int, list[Document]] = {}
        self._interpretations: dict[int, list[Document]] = defaultdict(list)
        for doc in documents:  # the Catalog's order: newest first
            policies = []
            for ref in doc.interprets:
                target = find(ref)
                if target is not None and target is not doc and target not in policies:
                    policies.append(target)
                    self._interpretations[id(target)].append(doc)
            if policies:
                self._policies[id(doc)] = policies

    def policies_of(self, doc: Document) -> list[Document]:
        """The published policies a 解读 interprets (解读的文件)."""
        return self._policies.get(id(doc), [])

    def of(self, doc: Document) -> list[Document]:
        """The published 解读 of a policy (政策解读), newest first."""
        return self._interpretations.get(id(doc), [])
