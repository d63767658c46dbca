"""`gongkai preview`: the site as an editor's save makes it, within seconds at city scale.

`mkdocs serve` builds every page again after each save (at 10,000 items a hundred seconds before a
one-word change shows; MkDocs' --dirty does not help, generated pages count as changed). This
server loads the content once as a build does, then renders a page when it is asked for. After a
save:

- a record file whose new version reads the same to assembly (model/assembly/reads.py: a changed
  text, list or body that keeps its links) is examined alone and its record updated in place;
  the pages are planned again and each is rendered anew when next asked for;
- anything else — a code, a date, a draft flag, a unit, a vocabulary, a file added or removed,
  mkdocs.yml — loads everything again, as a build would.

A file with errors shows them, located as `gongkai check` does, instead of the page, until fixed.

It is a preview, not a build: no archive index (检索 finds nothing), no open data, no
precompression; the egress gate judges each page and file as it is served, and nothing is written to site/; pages go to a temporary folder. It serves this
machine only by default.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .gate.inspect import site_gate
from .model.assembly.load import examine, record_files
from .model.assembly.reads import replay
from .model.primitives.problems import Severity
from .model.primitives.tree import is_hidden, walk
from .model.schema.kinds import UNIT

log = logging.getLogger("gongkai.preview")

# What watchdog reports that changes a file or folder.
CHANGES = {"created", "modified", "moved", "deleted"}
# Left out of a preview: they work over the whole site once every page is built.
LEFT_OUT = {"gongkai/search", "gongkai/export", "search"}


def _plugin_entries(config_file: Path) -> list:
    """mkdocs.yml's plugins without those left out, the catalog's writing in place (the preview's
    folder is its own, no lock or swap needed)."""
    from mkdocs.config.base import _open_config_file
    from mkdocs.utils.yaml import yaml_load

    with _open_config_file(str(config_file)) as fd:
        raw = yaml_load(fd)
    entries = []
    for entry in raw.get("plugins") or []:
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name in LEFT_OUT:
            continue
        if name == "gongkai/catalog":
            options = {} if isinstance(entry, str) else dict(entry[name] or {})
            entry = {name: {**options, "atomic": False, "precompress": False}}
        entries.append(entry)
    return entries


class Preview:
    """The loaded site, its pages rendered on demand, and the changes seen since."""

    def __init__(self, config_file: Path):
        self.config_file = config_file.resolve()
        self.site_dir = Path(tempfile.mkdtemp(prefix="gongkai-preview-"))
        self.lock = threading.Lock()  # one request renders at a time: MkDocs' pages are shared state
        self.pending: set[str] = set()  # paths seen changing, not yet applied
        self.pending_lock = threading.Lock()
        self.rendered: dict[str, bytes] = {}
        self.errors: dict[str, list[str]] = {}  # a file's errors (or "" for the whole site's) → shown instead of pages
        self.loaded_in = 0.0
        self.docs_dir: Path | None = None  # known once mkdocs.yml is read
        self.load()

    # --- loading: what a build does before it renders pages ------------------------------------
    def load(self) -> None:
        from mkdocs.commands.build import _build_theme_template
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation

        started = time.perf_counter()
        self.rendered.clear()
        self.errors.clear()
        for child in self.site_dir.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        try:
            config = load_config(str(self.config_file), plugins=_plugin_entries(self.config_file),
                                 site_dir=str(self.site_dir))
            self.docs_dir = Path(config.docs_dir).resolve()
            catalog_plugin = config.plugins["gongkai/catalog"]
            catalog_plugin.reads = {}
            config.plugins.on_startup(command="serve", dirty=False)
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            files = get_files(config)
            env = config.theme.get_env()
            files.add_files_from_theme(env, config)
            files = config.plugins.on_files(files, config=config)
            set_exclusions(files, config)
            nav = get_navigation(files, config)
            nav = config.plugins.on_nav(nav, config=config, files=files)
            env = config.plugins.on_env(env, config=config, files=files)
            files.copy_static_files()
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
        except (MkDocsException, KeyError) as exc:  # content errors: shown until a save fixes them
            self.errors[""] = str(exc).splitlines() or [repr(exc)]
            self.ready = False
            return
        self.config, self.files, self.nav, self.env = config, files, nav, env
        self.plugin = catalog_plugin
        self.doc_files = files.documentation_pages()
        self.by_dest = {f.dest_uri: f for f in self.doc_files}
        catalog = catalog_plugin.catalog
        tree = walk(self.docs_dir)
        self.tree_files = tree.files
        self.record_files = {f.rel: f for f in record_files(tree)[0]}
        self.published = {r.source.rel: r for r in catalog.records()}
        # The egress gate, file by file as they are served: a value the source scan cannot see (an
        # ID number written with a character reference, split by markup) is refused here too.
        self.gate, self.theme_files = site_gate(catalog, files)
        self.judged: set[str] = set()  # static files the gate passed
        self.ready = True
        self.loaded_in = time.perf_counter() - started

    # --- changes: applied before the next request is answered ------------------------------------
    def saw(self, path: str) -> None:
        with self.pending_lock:
            self.pending.add(path)

    def apply_changes(self) -> str:
        """What the changes seen since the last request did: "", "updated", "reloaded"."""
        with self.pending_lock:
            paths, self.pending = self.pending, set()
        if not paths:
            return ""
        done = [self._update(Path(p)) for p in sorted(paths)] if self.ready else [False]
        if False in done:
            self.load()
            return "reloaded"
        if True not in done:
            return ""  # swap files, a file rewritten as it was
        self.rendered.clear()
        self.judged.clear()
        return "updated"

    def _update(self, path: Path) -> bool | None:
        """A changed file updated in place (True); False when everything must be loaded again;
        None when it changes nothing the site shows."""
        from .catalog.pages import plan_pages

        # Not resolved: a link is judged as the link it is (the load reports it), never as its target.
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.docs_dir).as_posix()
        except ValueError:
            return False  # mkdocs.yml, or a file outside the content
        if path.is_symlink():
            return False
        if is_hidden(rel) or (rel not in self.tree_files and not os.path.lexists(path)):
            return None  # an editor's swap or backup file, come and gone: no content of the site
        file, reads = self.record_files.get(rel), self.plugin.reads.get(rel)
        if file is None or reads is None or file.kind is UNIT or not path.is_file():
            return False  # a unit names its section of the navigation: loaded again
        catalog = self.plugin.catalog
        record, problems = examine(catalog, file)
        errors = [p.format() for p in problems if p.severity is Severity.ERROR]
        for problem in problems:
            if problem.severity is Severity.WARNING:
                print(f"gongkai preview: {problem.format()}", file=sys.stderr)
        if errors:
            self.errors[rel] = errors
            return True  # the last good version stays loaded; its page shows the errors
        self.errors.pop(rel, None)
        if record is None or replay(record, reads.keys) != reads.digest():
            return False
        old = self.published.get(rel)
        if old is not None:  # a draft's changes show nowhere
            for name in type(old).model_fields:
                if ("field", name) not in reads.written:  # what assembly wrote stays as it wrote it
                    old.__dict__[name] = record.__dict__[name]
            old.bind(record.source, old.unit_id, old.slug, record.body)
            # Planned again: pages copy titles and lists from the records.
            self.plugin.pages = {page.src_uri: page for page in plan_pages(catalog)}
            generated = self.files.get_file_from_path(old.page)
            if generated is not None:
                generated.content_string = self.plugin.pages[old.page].body
        return True

    # --- pages --------------------------------------------------------------------------------
    def respond(self, target: str) -> tuple[int, str, bytes, dict]:
        """(status, content type, body, extra headers) for a request's path."""
        with self.lock:
            started = time.perf_counter()
            done = self.apply_changes()
            if done:
                print(f"gongkai preview: {done} in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
            if self.errors:
                return self._errors_page([line for errors in self.errors.values() for line in errors])
            path = unquote(urlsplit(target).path).lstrip("/")
            dest = path + "index.html" if path == "" or path.endswith("/") else path
            file = self.by_dest.get(dest)
            if file is None and f"{path}/index.html" in self.by_dest:
                return HTTPStatus.MOVED_PERMANENTLY, "text/plain", b"", {"Location": f"/{path}/"}
            if file is not None:
                if dest not in self.rendered:
                    try:
                        html_page = self._render(file)
                    except Exception as exc:  # noqa: BLE001 - the editor sees why, the server goes on
                        log.exception("rendering %s", file.src_uri)
                        return self._errors_page([f"{file.src_uri}: the page could not be made: "
                                                  f"{type(exc).__name__}: {exc}"])
                    leaks = self.gate.inspect_files(self.site_dir, [dest], "preview")
                    if leaks:
                        return self._errors_page([p.format() for p in leaks])
                    self.rendered[dest] = html_page
                return HTTPStatus.OK, "text/html; charset=utf-8", self.rendered[dest], {}
            static = (self.site_dir / dest).resolve()
            if static.is_relative_to(self.site_dir.resolve()) and static.is_file():
                if dest not in self.theme_files and dest not in self.judged:
                    leaks = self.gate.inspect_files(self.site_dir, [dest], "preview")
                    if leaks:
                        return self._errors_page([p.format() for p in leaks])
                    self.judged.add(dest)
                kind = mimetypes.guess_type(static.name)[0] or "application/octet-stream"
                return HTTPStatus.OK, kind, static.read_bytes(), {}
            missing = self.site_dir / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"404"
            return HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, {}

    def _render(self, file) -> bytes:
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.pages import Page

        if file.page is None:
            Page(None, file, self.config)
        _populate_page(file.page, self.config, self.files)
        _build_page(file.page, self.config, self.doc_files, self.nav, self.env)
        return Path(file.abs_dest_path).read_bytes()

    def _errors_page(self, lines: list[str]) -> tuple[int, str, bytes, dict]:
        items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
        body = ("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>预览：内容有错误</title>"
                "<h1>预览：内容有错误</h1><p>改正后保存，刷新本页即可看到预览。</p>"
                f"<ul>{items}</ul></html>")
        return HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", body.encode("utf-8"), {}

    def close(self) -> None:
        shutil.rmtree(self.site_dir, ignore_errors=True)


def _handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            status, kind, body, headers = preview.respond(self.path)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")  # a preview is never the same twice
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:
            pass  # the editor watches pages, not a request log

    return Handler


def _watch(preview: Preview):
    """Tell the preview of every file changed in the content folder and beside mkdocs.yml."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Changes(FileSystemEventHandler):
        def __init__(self, only: str | None = None):
            self.only = only  # beside mkdocs.yml, only it matters (not logs, not site/)

        def on_any_event(self, event) -> None:
            # Opening or reading a file (an editor, git status) changes nothing.
            if event.event_type not in CHANGES or (event.is_directory and event.event_type == "modified"):
                return
            for path in (event.src_path, getattr(event, "dest_path", "")):
                path = path.decode() if isinstance(path, bytes) else path
                if path and (self.only is None or path == self.only):
                    preview.saw(path)

    observer = Observer()
    # mkdocs.yml unreadable at start: its default docs_dir; a fixed mkdocs.yml loads it all again
    content = preview.docs_dir or preview.config_file.parent / "docs"
    if content.is_dir():
        observer.schedule(Changes(), str(content), recursive=True)
    observer.schedule(Changes(str(preview.config_file)), str(preview.config_file.parent), recursive=False)
    observer.start()
    return observer


def command(args) -> int:
    config_file = Path(args.config)
    if not config_file.is_file():
        print(f"gongkai preview: {config_file}: no such file", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    print("gongkai preview: loading the content …", file=sys.stderr)
    preview = Preview(config_file)
    try:
        server = ThreadingHTTPServer((args.host, args.port), _handler(preview))
    except (OSError, OverflowError) as exc:
        print(f"gongkai preview: cannot listen on {args.host}:{args.port}: {getattr(exc, 'strerror', None) or exc}",
              file=sys.stderr)
        preview.close()
        return 2
    observer = _watch(preview)
    signal.signal(signal.SIGTERM, _stop)  # stopped like Ctrl+C: the rendered pages are removed
    host, port = server.server_address[:2]
    state = f"loaded in {preview.loaded_in:.1f} s" if preview.ready else "the content has errors"
    print(f"gongkai preview: {state}; http://{host}:{port}/ (saved changes show on the next page load; "
          "Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.server_close()
        preview.close()
    return 0


def _stop(*_) -> None:
    raise KeyboardInterrupt


def add_command(commands) -> None:
    """`gongkai preview` on the command line."""
    preview = commands.add_parser("preview", help="serve the site as you edit it: a saved item shows within seconds")
    preview.add_argument("--config", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    preview.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    preview.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    preview.set_defaults(run=command)
