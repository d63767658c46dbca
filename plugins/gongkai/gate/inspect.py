"""The gate's judgement: the source scan's rules over what readers receive, with what was
published on purpose let through.

What may pass is the set of values the source scan let through in published files: a mobile in
a public contact field, a finding an editor allowed (`allow:`). They may appear wherever the site
shows them (a unit's phone on each of its items' pages). Anything else the rules find in an
output is a leak the source scan could not see, and fails the build. Each is reported once per
source file and value, at the source line that holds it when the line can be found, else at the
output itself.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..model.primitives.markup import shown_attributes, visible_text
from ..model.primitives.problems import Problem
from ..model.schema.kinds import url_of
from ..model.sensitive.detection import MARKING, Finding, scan, value_of
from .outputs import is_script_twin, judged_as_search_record, reader_pieces

HINT = ("the source hides it from the check (markup, a character reference or an invisible character "
        "splits it) but readers receive it: remove or mask it in the source")
# Markdown a reader of raw text (the archive's snippets) reads through: emphasis and code marks,
# link targets, the marks that open a heading, quote or list item.
PARALLEL_FROM = 400  # files: below this a worker costs more than it saves
_MARKS = re.compile(r"[*_~`]+|\]\([^)\n]*\)|\[|^[ \t]{0,3}(?:#{1,6}|>|[-+]|\d+[.)])[ \t]+", re.M)


@dataclass
class Leak:
    finding: Finding
    output: str  # where a reader receives it: a site path, or a search document's URL
    where: str = ""  # inside the output: a JSON path, an attribute, an office part
    outputs: list[str] = field(default_factory=list)  # every output it reached


class Gate:
    def __init__(self, published: set[tuple[str, str]], origins: dict[str, str], content_parent: Path):
        """published: (rule, value) let through on purpose; origins: output → the source file it
        was made from, as messages show it (relative to content_parent)."""
        self.published = published
        self.origins = origins
        self.content_parent = content_parent

    def leaks(self, text: str) -> list[Finding]:
        return [f for f in scan(text) if (f.rule, value_of(f.rule, f.text)) not in self.published]

    # --- what the gate reads ------------------------------------------------------------------
    def inspect_directory(self, directory: Path, shown_as: str, skip: set[str] = frozenset()) -> list[Problem]:
        """Every file under directory (its path relative to it not in skip: files the build copied
        from the theme), read as its reader receives it."""
        names = set()
        for root, _, files in os.walk(directory):
            for name in files:
                names.add(Path(root, name).relative_to(directory).as_posix())
        links: list[Problem] = []
        readable: list[str] = []
        for rel in sorted(names - set(skip)):
            path = directory / rel
            if path.is_symlink():  # a web server would follow it out of the site
                links.append(Problem(f"{shown_as}/{rel}", 1, 1, "", "the output is a symbolic link",
                                     "only regular files are published: find what put it there"))
            elif not (is_script_twin(rel, names) or judged_as_search_record(rel)) and path.is_file():
                readable.append(rel)
        # Reading every page is most of the gate's cost, and the build's other work is done by
        # now: the files are read on every core, in forked workers (the gate's state is the
        # published values and the directory; each worker only reads and computes).
        workers = min(os.cpu_count() or 1, 4)
        if workers > 1 and len(readable) >= PARALLEL_FROM:
            chunks = [readable[i::workers] for i in range(workers)]
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                found = pool.map(_file_leaks, [self] * workers, [directory] * workers, chunks)
                leaks = [leak for chunk in found for leak in chunk]
        else:
            leaks = _file_leaks(self, directory, readable)
        return links + self.report(leaks, shown_as)

    def inspect_files(self, directory: Path, rels: list[str], shown_as: str) -> list[Problem]:
        """These files under directory, read as their reader receives them (a preview's page)."""
        return self.report(_file_leaks(self, directory, rels), shown_as)

    def inspect_texts(self, texts: list[tuple[str, str, str]], shown_as: str) -> list[Problem]:
        """(output, where, text) as a reader of raw text receives it (search records): markup and
        references as a page would show them, emphasis marks read across."""
        by_output: dict[str, list[tuple[str, str]]] = {}
        for output, where, text in texts:
            by_output.setdefault(output, []).append((where, text))
        leaks = []
        for output, pieces in by_output.items():
            # One scan of the whole record first (no finding spans a line break); the fields one
            # by one only to say where a finding is.
            if not self._read_leaks("\n".join(text for _, text in pieces)):
                continue
            for where, text in pieces:
                leaks += [Leak(f, output, where) for f in self._read_leaks(text)]
        return self.report(leaks, shown_as)

    def _read_leaks(self, text: str) -> list[Finding]:
        seen = visible_text(text)
        found = self.leaks(seen)
        if _MARKS.search(seen):
            values = {(f.rule, value_of(f.rule, f.text)) for f in found}
            found += [f for f in self.leaks(_MARKS.sub("", seen)) if (f.rule, value_of(f.rule, f.text)) not in values]
        return found

    # --- how it reports ---------------------------------------------------------------------------
    def report(self, leaks: list[Leak], shown_as: str) -> list[Problem]:
        grouped: dict[tuple, Leak] = {}
        for leak in leaks:
            source = self.origins.get(leak.output, "")
            key = (source or leak.output, leak.finding.rule, value_of(leak.finding.rule, leak.finding.text))
            first = grouped.setdefault(key, leak)
            first.outputs.append(leak.output)
        problems = []
        for (source, rule, value), leak in grouped.items():
            output = f"{shown_as}/{leak.output}" if shown_as else leak.output
            others = len(set(leak.outputs)) - 1
            reach = output + (f" and {others} other output(s)" if others else "")
            message = f"{rule} '{leak.finding.masked}' reaches {reach} as a reader sees it"
            if source in self.origins.values():
                line = self.locate(source, rule, value)
                problems.append(Problem(source, line, 1, leak.where, message, HINT))
            else:
                problems.append(Problem(output, 1, 1, leak.where, message,
                                        "nothing in content/ holds it as written: check the templates, mkdocs.yml "
                                        "and the content it is made from"))
        return problems

    def locate(self, source: str, rule: str, value: str) -> int:
        """The line of the source file whose reader's text holds the value, or 1."""
        try:
            lines = (self.content_parent / source).read_text(encoding="utf-8", errors="replace").split("\n")
        except OSError:
            return 1
        for number, line in enumerate(lines, 1):
            shown = " ".join([visible_text(line), *shown_attributes(line)])
            text = unicodedata.normalize("NFKC", _MARKS.sub("", shown))
            if rule == MARKING:
                if value in text:
                    return number
            elif value in re.sub(r"[^0-9Xx]", "", text).upper():
                return number
        return 1


def _file_leaks(gate: Gate, directory: Path, rels: list[str]) -> list[Leak]:
    """The leaks of these files under directory (a worker's share of inspect_directory)."""
    leaks: list[Leak] = []
    frames: set = set()
    for rel in rels:
        pieces = list(reader_pieces(rel, (directory / rel).read_bytes(), frames))
        # One scan of the whole file's text first (no finding spans a line break), and the pieces
        # one by one only to say where a finding is: most files have none.
        if len(pieces) > 1 and not gate.leaks("\n".join(text for _, text in pieces)):
            continue
        for where, text in pieces:
            leaks += [Leak(f, rel, where) for f in gate.leaks(text)]
    return leaks


def site_origins(catalog, files) -> tuple[dict[str, str], set[str]]:
    """For a build's MkDocs files: {output path: the source file it was made from} for record pages,
    free pages and static files of content/, and the outputs copied from the theme (not judged:
    no content reaches them)."""
    docs_dir = Path(catalog.content_dir).resolve()
    parent = docs_dir.parent
    by_page = {record.page: record.source.path for record in catalog.records()}
    origins: dict[str, str] = {}
    theme: set[str] = set()
    for file in files:
        if file.src_uri in by_page and file.abs_src_path is None:
            origins[file.dest_uri] = by_page[file.src_uri]
        elif file.abs_src_path is not None:
            source = Path(file.abs_src_path).resolve()
            if source.is_relative_to(docs_dir):
                origins[file.dest_uri] = source.relative_to(parent).as_posix()
            else:
                theme.add(file.dest_uri)
    return origins, theme


def site_gate(catalog, files) -> tuple[Gate, set[str]]:
    """The gate for a site's outputs, and the outputs copied from the theme (not judged)."""
    origins, theme = site_origins(catalog, files)
    return Gate(catalog.published_values, origins, Path(catalog.content_dir).resolve().parent), theme


def inspect_site(catalog, files, site_dir: Path, shown_as: str) -> list[Problem]:
    """The gate over a finished build in site_dir, before it is swapped in."""
    gate, theme = site_gate(catalog, files)
    return gate.inspect_directory(site_dir, shown_as, theme)


def inspect_search_documents(catalog, docs) -> list[Problem]:
    """The gate over the search documents, before any index is written from them: the archive
    engine returns their text as snippets, the browser index as excerpts."""
    origins = {url_of(record.page): record.source.path for record in catalog.records()}
    gate = Gate(catalog.published_values, origins, Path(catalog.content_dir).resolve().parent)
    texts = [(doc.url, name, str(value)) for doc in docs
             for name, value in vars(doc).items() if isinstance(value, str) and value]
    return gate.inspect_texts(texts, "")
