"""Read a content file: bytes → text → YAML front matter (with positions) + Markdown body.

PyYAML's own loaders lose positions once data is constructed and silently keep the last of
duplicate keys, so we compose the node graph and build the data ourselves, recording where every
value sits. Timestamps are not resolved implicitly: dates are parsed by `dates.parse_date`, which
accepts Chinese forms and rejects impossible dates with a readable message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

Position = tuple[int, int]
FieldPath = tuple


# libyaml's parser when PyYAML has it: composing thousands of files is most of a large build
# with the pure-Python one.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    pass


# Drop the implicit timestamp resolver: '2021-02-30' must reach our date parser as text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

# YAML nesting this deep is never content; it is a mistake or an attack on the loader.
MAX_DEPTH = 50
# Nor are this many values in one front matter: aliases (&a … *a) can make a few lines expand
# to billions ('billion laughs'); building stops here instead of hanging.
MAX_VALUES = 100_000


@dataclass
class Source:
    """Where a content object came from, and where each of its fields sits in the file."""

    path: str  # as shown in messages
    positions: dict[FieldPath, Position] = field(default_factory=dict)
    body_line: int = 1
    rel: str = ""  # relative to the content directory, '/'-separated

    def where(self, *field_path: Any) -> Position:
        """Line and column of a field, falling back to its nearest enclosing field."""
        path = tuple(field_path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, field_path: tuple, message: str, hint: str = "", severity=None) -> Problem:
        line, column = self.where(*field_path)
        name = ".".join(str(p) for p in field_path)
        kwargs = {"severity": severity} if severity is not None else {}
        return Problem(self.path, line, column, name, message, hint, **kwargs)


@dataclass
class ContentFile:
    source: Source
    data: dict[str, Any]
    body: str
    text: str = ""  # the whole file, for positions inside values (sensitive/files.py)


# Sizes no real content reaches, refused before any parsing: a pathological file (a whole
# archive pasted as one line) made Markdown and the search analysis take gigabytes (a 5-million-
# character line: 2.1 GB). The longest Chinese law, the Civil Code (民法典), is about 110,000
# characters in all; a 公文 is a few thousand, and a paragraph rarely more than two thousand. So a
# file may hold ten Civil Codes, and a single line two, written as one paragraph; with these a
# build stays near its usual memory (~150 MB for the small test site at the limits).
MAX_FILE_CHARS = 1_000_000
MAX_LINE_CHARS = 200_000
MAX_FILE_BYTES = 32 * MAX_FILE_CHARS  # decoding up to this costs little; it locates an over-long line


def _too_large(text: str, path: str) -> Problem | None:
    for number, line in enumerate(text.split("\n"), start=1):  # the place first: more use to the editor
        if len(line) > MAX_LINE_CHARS:
            return Problem(path, number, MAX_LINE_CHARS + 1, "",
                           f"line is {len(line):,} characters long, over the limit of {MAX_LINE_CHARS:,}",
                           "break it into paragraphs (an empty line between them)")
    if len(text) > MAX_FILE_CHARS:
        return Problem(path, 1, 1, "", f"file is {len(text):,} characters long, over the limit of "
                       f"{MAX_FILE_CHARS:,}", "split it into several documents, or publish it as an attachment")
    return None


def read_text(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (with or without BOM); CRLF and CR become LF. None, with the problem, for a
    file over MAX_FILE_CHARS or with a line over MAX_LINE_CHARS."""
    if len(raw) > MAX_FILE_BYTES:  # not even decoded (a scan or an archive renamed .md)
        return None, [Problem(path, 1, 1, "", f"file is {len(raw):,} bytes long, over the limit of "
                              f"{MAX_FILE_CHARS:,} characters",
                              "split it into several documents, or publish it as an attachment")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        hint = "save the file as UTF-8"
        for guess in ("gb18030", "big5", "utf-16"):
            try:
                raw.decode(guess)
            except UnicodeDecodeError:
                continue
            hint = f"it looks like {guess.upper()}; save the file as UTF-8"
            break
        message = f"file is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
        return None, [Problem(path, line, column, "", message, hint)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    too_large = _too_large(text, path)
    return (None, [too_large]) if too_large else (text, [])


def split_front_matter(text: str, path: str) -> tuple[str | None, str, int, list[Problem]]:
    """Return (yaml_text, body, body_first_line, problems)."""
    if not text.strip():
        return None, "", 1, [Problem(path, 1, 1, "", "file is empty", "start it with '---', the front matter, and '---'")]
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, 1, [
            Problem(path, 1, 1, "", "missing front matter",
                    "a content file starts with a line '---', YAML fields, and a closing '---'")
        ]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2, []
    return None, "", 1, [
        Problem(path, 1, 1, "", "front matter is not closed", "add a line '---' after the last field")
    ]


def parse_yaml(text: str, path: str, line_offset: int) -> tuple[Any, dict, list[Problem]]:
    """Parse YAML into plain data plus a {field path: (line, column)} map."""
    problems: list[Problem] = []
    positions: dict[FieldPath, Position] = {}
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + line_offset) if mark else line_offset
        column = (mark.column + 1) if mark else 1
        message = f"malformed YAML: {exc.problem or exc.context}"
        hint = "check indentation, and quote values that contain ': ' or start with a special character"
        return None, positions, [Problem(path, line, column, "", message, hint)]
    except yaml.YAMLError as exc:  # errors without a mark (e.g. reader errors)
        return None, positions, [Problem(path, line_offset, 1, "", f"malformed YAML: {exc}")]
    finally:
        loader.dispose()
    if node is None:
        return {}, positions, problems

    def pos(n: yaml.Node) -> Position:
        return (n.start_mark.line + line_offset, n.start_mark.column + 1)

    built = 0

    def build(n: yaml.Node, where: tuple, depth: int) -> Any:
        nonlocal built
        built += 1
        if built > MAX_VALUES:
            if built == MAX_VALUES + 1:
                problems.append(Problem(path, *pos(n), _name(where), f"more than {MAX_VALUES} values",
                                        "is an alias (*name) repeated many times over?"))
            return None
        positions.setdefault(where, pos(n))
        if depth > MAX_DEPTH:
            problems.append(Problem(path, *pos(n), _name(where), "nesting is too deep"))
            return None
        if isinstance(n, yaml.MappingNode):
            out: dict = {}
            key_lines: dict[str, int] = {}
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(Problem(path, *pos(key_node), _name(where), "a field name must be plain text"))
                    continue
                key = str(loader.construct_scalar(key_node))
                child = where + (key,)
                if key in out:
                    problems.append(Problem(
                        path, *pos(key_node), _name(child),
                        f"duplicate field (first given on line {key_lines[key]})",
                        "keep one of them; YAML would silently use the last",
                    ))
                    continue
                key_lines[key] = pos(key_node)[0]
                # Point at the value: that is what the editor has to change.
                out[key] = build(value_node, child, depth + 1)
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(item, where + (i,), depth + 1) for i, item in enumerate(n.value)]
        if n.tag == "tag:yaml.org,2002:str":  # most values: skip PyYAML's generic constructor
            return n.value
        try:
            return loader.construct_object(n, deep=True)
        except yaml.YAMLError as exc:
            problems.append(Problem(path, *pos(n), _name(where), f"cannot read value: {exc}"))
            return None

    data = build(node, (), 0)
    return data, positions, problems


def reads_as_text(scalar: str) -> bool:
    """Whether an unquoted scalar is read as text by this loader (not a number, bool or null)."""
    return not any(rx.match(scalar) for _, rx in _Loader.yaml_implicit_resolvers.get(scalar[:1], []))


def _name(where: tuple) -> str:
    return ".".join(str(p) for p in where)


def load_content_file(file_path: Path, display_path: str) -> tuple[ContentFile | None, list[Problem]]:
    """Read one content file; on problems return None and every problem found."""
    try:
        raw = file_path.read_bytes()
    except OSError as exc:
        return None, [Problem(display_path, 1, 1, "", f"cannot read file: {exc.strerror}")]
    return parse_content(raw, display_path)


def parse_content(raw: bytes, display_path: str) -> tuple[ContentFile | None, list[Problem]]:
    text, problems = read_text(raw, display_path)
    if text is None:
        return None, problems
    if "\x00" in text:
        return None, [Problem(display_path, 1, 1, "", "file contains NUL characters", "is this a binary file?")]
    yaml_text, body, body_line, problems = split_front_matter(text, display_path)
    if yaml_text is None:
        return None, problems
    # Malformed YAML gives no data; duplicate keys and the like give data and problems, and
    # validation goes on so that the editor sees everything at once.
    data, positions, problems = parse_yaml(yaml_text, display_path, line_offset=2)
    if data is None and problems:
        return None, problems
    if data is None or data == {}:
        return None, [Problem(display_path, 2, 1, "", "front matter is empty", "fill in the required fields")]
    if not isinstance(data, dict):
        return None, [Problem(display_path, 2, 1, "", "front matter must be a set of 'field: value' lines")]
    return ContentFile(Source(display_path, positions, body_line), data, body, text), problems
