"""The content tree: which files under content/ exist as regular files, found without following links.

Only regular files inside content/ are ever read or published (DESIGN, egress). A symbolic link
would let a commit publish whatever the build machine can read (/proc/self/environ, /etc/passwd,
a whole folder elsewhere), so the walk never follows one: each link, to a file or a folder, inside
content/ or out, is an error at its own path, and nothing behind it is listed. Devices, FIFOs and
sockets are errors too (reading a FIFO would hang the build). Every reader of content/ asks this
tree first instead of globbing the file system.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .problems import Problem

_LINK_HINT = "put the file itself in content/ (a copy, not a link), or remove the link"


@dataclass
class ContentTree:
    root: Path
    files: set[str] = field(default_factory=set)  # regular files, content-relative, '/'-separated
    dirs: set[str] = field(default_factory=set)  # real folders (not links), likewise
    problems: list[Problem] = field(default_factory=list)

    def __contains__(self, rel: str) -> bool:
        return rel in self.files

    def under(self, folder: str, suffix: str = "", depth: int | None = None) -> list[str]:
        """The regular files below folder ('' for all), ending with suffix, at most depth levels
        down (1: the folder's own files), sorted."""
        prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
        found = []
        for rel in self.files:
            if rel.startswith(prefix) and rel.endswith(suffix):
                if depth is None or rel[len(prefix):].count("/") < depth:
                    found.append(rel)
        return sorted(found)

    def folders(self, folder: str) -> list[str]:
        """The names of the real folders directly in folder, sorted."""
        prefix = f"{folder.strip('/')}/"
        return sorted(rel[len(prefix):] for rel in self.dirs if rel.startswith(prefix) and "/" not in rel[len(prefix):])

    def path(self, rel: str) -> Path:
        return self.root / rel


def walk(root: Path) -> ContentTree:
    """Every regular file under root, and an error for each link or special file (never followed)."""
    tree = ContentTree(root)
    display_base = root.parent

    def display(path: str) -> str:
        try:
            return Path(path).relative_to(display_base).as_posix()
        except ValueError:
            return Path(path).as_posix()

    todo = [(str(root), "")]
    while todo:
        folder, rel_folder = todo.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            tree.problems.append(Problem(display(folder), 1, 1, "", f"cannot read folder: {exc.strerror}"))
            continue
        for entry in listed:
            rel = posixpath.join(rel_folder, entry.name) if rel_folder else entry.name
            try:
                if entry.is_symlink():
                    tree.problems.append(_link_problem(entry.path, display(entry.path)))
                elif entry.is_dir(follow_symlinks=False):
                    tree.dirs.add(rel)
                    todo.append((entry.path, rel))
                elif entry.is_file(follow_symlinks=False):
                    tree.files.add(rel)
                else:
                    tree.problems.append(Problem(display(entry.path), 1, 1, "", "not a regular file (a device, FIFO or socket)",
                                                 "content/ holds only files and folders; remove it"))
            except OSError as exc:
                tree.problems.append(Problem(display(entry.path), 1, 1, "", f"cannot read: {exc.strerror}"))
    return tree


def _link_problem(path: str, shown: str) -> Problem:
    """A link is reported with where it points (the link's own text: nothing behind it is read)."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return Problem(shown, 1, 1, "", f"symbolic link to '{target}' is not followed: only regular files are published",
                   _LINK_HINT)


# What MkDocs renders as a page (mkdocs.utils.markdown_extensions): scanned as pages, not files.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
# Link and image targets in Markdown and raw HTML: ](target) and src="…"/href="…".
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|(?:src|href)\s*=\s*[\"']([^\"']+)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def is_hidden(rel: str) -> bool:
    """A path with a part starting with '.': MkDocs leaves these out (exclude_docs), and so do we."""
    return any(part.startswith(".") for part in rel.split("/"))


def inside(rel_base: str, target: str) -> str | None:
    """A path written in the file at content-relative rel_base, as a content-relative path; None
    when it is absolute (/x, \\x, C:\\x, file:…) or leaves the content tree (../../..)."""
    if target.startswith(("/", "\\")) or _DRIVE.match(target) or target.lower().startswith("file:"):
        return None
    # A backslash is a separator to Windows and to browsers: '..\\..' leaves as '../..' does.
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel_base), target.replace("\\", "/")))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


@dataclass(frozen=True)
class Link:
    """A link or image target in a body that names a file (not a URL of another site or scheme)."""

    line: int  # 0-based, in the body
    column: int  # 1-based
    target: str  # as written, without #anchor and ?query
    path: str | None  # content-relative; None: absolute or out of content/


def file_links(rel_base: str, body: str) -> list[Link]:
    """The files a body at content-relative rel_base links or embeds. Targets are URL-decoded as
    MkDocs decodes them to find the file (%2E%2E/ is ../)."""
    found = []
    for match in _LINK_TARGET.finditer(body):
        written = match.group(1) or match.group(2)
        target = unquote(written.split("#", 1)[0].split("?", 1)[0])
        if not target or target.startswith("//") or (_SCHEME.match(target) and not _DRIVE.match(target)
                                                     and not target.lower().startswith("file:")):
            continue  # an anchor, another site, mailto:, tel: … (the guard judges schemes)
        start = match.start(1) if match.group(1) else match.start(2)
        line = body.count("\n", 0, start)
        column = start - (body.rfind("\n", 0, start) + 1) + 1
        found.append(Link(line, column, target, inside(rel_base, target)))
    return found
