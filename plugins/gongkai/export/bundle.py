"""The offline bundle: the whole site built for the file system, its open data, a manifest, in one zip.

    index.html, …      the site built without directory URLs (links end in .html) and with the
                       browser search index's script twins, so that it opens by double-clicking
                       index.html and searches with no server (gongkai/search `offline`)
    data/              the open data (gongkai/export): CSV, XLSX, JSON, schema.json
    manifest.json      path, size and SHA-256 of every other member; source commit, build date,
                       Gongkai version
    说明.txt           how to open and verify the bundle, in Chinese

Same commit, same bytes: members in sorted order, each dated the build date, mode 0644. The zip is
written to a temporary file beside the target and renamed over it only when complete, so an
interrupted or failed export never leaves a half-written file under the final name.

Material's `offline` plugin is not used: besides turning directory URLs off (done here) it adds a
script from unpkg.com to every page, and the site loads nothing from another host (DESIGN §4).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import stat
import subprocess
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import __version__
from ..atomic import remove_stale
from ..pagescripts import RECORD
from .formats import zip_time

MANIFEST = "manifest.json"
README = "说明.txt"
FORMAT = 1
CHUNK = 1 << 20


class ExportError(Exception):
    """What went wrong, said for the person running the command."""


# --- the offline build -------------------------------------------------------------------------

class _HeldErrors(logging.Filter):
    """Holds back MkDocs' report of a failed build: it speaks of site/ ("site/ was left as it was"),
    which an export never touches; the export says what became of the bundle instead."""

    def __init__(self):
        super().__init__()
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            self.messages.append(re.sub(r"; (?:site/ was left as it was|no site/ was written)\.", ":",
                                        record.getMessage()))
            return False
        return True


def build_offline_site(config_file: Path, site_dir: Path, outcome: str = "nothing was exported"):
    """Build the site of config_file into site_dir for the file system; returns its Catalog and
    the MkDocs configuration it was built with. outcome: what a failure means, said last."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    try:
        config = load_config(str(config_file), site_dir=str(site_dir), use_directory_urls=False)
    except (ConfigurationError, Abort, OSError) as exc:
        raise ExportError(f"cannot load {config_file}: {exc}") from None
    for needed in ("gongkai/catalog", "gongkai/search", "gongkai/export"):
        if needed not in config.plugins:
            raise ExportError(f"{config_file}: the bundle needs the {needed} plugin; list it under plugins")
    search = config.plugins["gongkai/search"].config
    search.offline = True
    search.browser = True
    config.plugins["gongkai/export"].config.downloads = True
    # Opened from the disk (file://), where 'self' is no origin: a page policy would block the
    # site's own scripts. The bundle is read offline, with nothing to protect it from.
    config.plugins["gongkai/catalog"].config.precompress = False  # no server to send .gz files
    if "gongkai/guard" in config.plugins:
        config.plugins["gongkai/guard"].config.policy_meta = False
    held = _HeldErrors()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(held)
    try:
        build(config)
    except (PluginError, Abort, ConfigurationError) as exc:
        # Abort only says "Aborted with a BuildError!"; the reason is what MkDocs logged.
        reason = "\n".join(held.messages) or str(exc)
        raise ExportError(f"the site could not be built: {reason}\n{outcome}") from None
    except OSError as exc:  # the temporary directory's disk is full …
        raise ExportError(f"the site could not be built in {site_dir.parent}: {exc.strerror or exc}; "
                          f"{outcome}") from None
    finally:
        build_log.removeFilter(held)
    return config.plugins["gongkai/catalog"].catalog, config


def source_commit(directory: Path) -> tuple[str, bool]:
    """The commit the content comes from, and whether the working tree differs from it."""
    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(["git", *args], cwd=directory, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout.strip() if proc.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return "unknown", False
    # Untracked files count (a new notice not yet committed is exported all the same); ignored
    # ones (.gitignore: site/, .venv/ …) do not.
    return commit, bool(git("status", "--porcelain", "--untracked-files=normal"))


# --- the zip -----------------------------------------------------------------------------------

# Only a web server shows it (for a missing address), and MkDocs writes its links from the site's
# root ("/…"), which from the file system would lead to the root of the disk.
# The record of the site's own pages and scripts is for `gongkai serve` alone.
SERVER_ONLY = {"404.html", RECORD}
# What no page of the bundle loads: source maps, fetched only by a browser's developer tools
# (named in a comment of the script, not by a page). Material's search worker stays: every page
# names it in its configuration (tests/test_export.py checks both).
UNUSED = re.compile(r".*\.map")


def site_members(site_dir: Path) -> list[tuple[str, Path]]:
    """(member name, file) of every file of the built site but SERVER_ONLY, sorted by name."""
    out = []
    for path in site_dir.rglob("*"):
        rel = path.relative_to(site_dir).as_posix()
        if rel in SERVER_ONLY or UNUSED.fullmatch(rel):
            continue
        if path.is_symlink():
            raise ExportError(f"the built site holds a symbolic link, which a bundle cannot carry: {path}")
        if path.is_file():
            out.append((path.relative_to(site_dir).as_posix(), path))
    return sorted(out)


def readme_text(site_name: str, build_date: str, commit: str, modified: bool, counts: dict) -> str:
    state = "（导出时工作区有未提交的修改）" if modified else ""
    return f"""{site_name} 离线版
==============================

生成日期：{build_date}
源内容版本（git 提交）：{commit}{state}
生成工具：Gongkai {__version__}
内容：单位 {counts['units']} 个，权责事项 {counts['powers']} 项，办事指南 {counts['guides']} 个，政策文件 {counts['documents']} 份，公示公告 {counts['notices']} 条。

一、打开
  将本压缩包完整解压到一个文件夹，双击其中的 index.html，即可用浏览器（Chromium、Chrome、
  Edge、Firefox 等）离线浏览，无需联网，也无需安装其他软件。页面右上角的检索框可离线检索全部
  内容，简体、繁体均可，文号的括号可写作 〔〕、[] 或 ()。检索需要浏览器启用 JavaScript；不启用时
  可从单位目录、权责清单等列表浏览全部内容。

二、数据下载（data 文件夹）
  powers.csv / powers.xlsx / powers.json   权责清单（Excel 文件每个单位一个工作表，另有“汇总”表）
  units、guides、documents、notices        单位目录、办事指南、政策文件、公示公告（CSV 和 JSON）
  units/<单位标识>/powers.*                各单位的权责事项
  schema.json                              每一列的名称、类型和含义
  CSV 文件为 UTF-8 编码（带 BOM），可直接用 Excel 或 WPS 打开。

三、核验完整性
  manifest.json 列出了本包中其余每个文件的路径、大小和 SHA-256 校验值。
  用 Gongkai 核验：  gongkai verify 本文件.zip
  结果为“完整”表示没有缺失、多余或被改动的文件。也可以用 sha256sum 等工具逐个计算文件的
  SHA-256，与 manifest.json 中的值比对。
  manifest.json 在压缩包之内，改动文件的人也能改动它。导出时显示整个压缩包的 SHA-256，请将其
  另行登记保存；核验时写：  gongkai verify 本文件.zip --expect 登记的SHA-256
  本包可重现：用同一版本的 Gongkai 导出同一提交的内容，得到逐字节相同的压缩包，SHA-256 相同。
"""


def write_bundle(site_dir: Path, target: Path, *, build_date, site_name: str, commit: str, modified: bool,
                 counts: dict) -> dict:
    """Zip the built site with its manifest and 说明.txt into target, atomically; returns the manifest."""
    members = site_members(site_dir)
    taken = {name for name, _ in members}
    for own in (MANIFEST, README):
        if own in taken:
            raise ExportError(f"the site has a file named {own}, which the bundle writes itself; rename it")
    readme = readme_text(site_name, build_date.isoformat(), commit, modified, counts).encode("utf-8")
    when = zip_time(build_date)

    def info(name: str) -> zipfile.ZipInfo:
        member = zipfile.ZipInfo(name, when)
        member.compress_type = zipfile.ZIP_DEFLATED
        member.create_system = 3  # unix, so that the mode below is read
        member.external_attr = (stat.S_IFREG | 0o644) << 16
        return member

    with atomic_file(target) as handle, zipfile.ZipFile(handle, "w") as zf:
        files = []
        for name, path in sorted([*members, (README, None)]):
            digest, size = hashlib.sha256(), 0
            with zf.open(info(name), "w") as out, (path.open("rb") if path else io.BytesIO(readme)) as source:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            files.append({"path": name, "size": size, "sha256": digest.hexdigest()})
        manifest = {"format": FORMAT, "generator": "Gongkai", "gongkai_version": __version__,
                    "site_name": site_name, "build_date": build_date.isoformat(),
                    "source_commit": commit, "source_modified": modified, "counts": counts, "files": files}
        zf.writestr(info(MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return manifest


def _temporary_beside(target: Path) -> tuple[int, Path]:
    """A new temporary file in target's directory (open descriptor, path), or a clear error."""
    parent = target.parent
    if not parent.exists():
        raise ExportError(f"cannot write {target}: the directory {parent} does not exist")
    if not parent.is_dir():
        raise ExportError(f"cannot write {target}: {parent} is not a directory")
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a directory")
    remove_stale(parent, f".{target.name}.", ".part")
    try:
        # The writer's pid in the name tells a later export whether the file is still being written.
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise ExportError(f"cannot write in {parent}: {exc.strerror or exc}") from None
    return fd, Path(name)


def check_target(target: Path) -> None:
    """Raise ExportError now if target cannot be written (before a long build)."""
    fd, temp = _temporary_beside(target)
    os.close(fd)
    temp.unlink()


class atomic_file:
    """A temporary file beside target, renamed over it on success and removed on any failure."""

    def __init__(self, target: Path):
        self.target = target
        fd, self.temp = _temporary_beside(target)
        self.handle = os.fdopen(fd, "w+b")

    def __enter__(self):
        return self.handle

    def __exit__(self, kind, error, traceback):
        if kind is None:
            try:
                self.handle.flush()
                os.fsync(self.handle.fileno())
                self.handle.close()
                os.chmod(self.temp, 0o644)
                os.replace(self.temp, self.target)
                return False
            except OSError as exc:
                error = exc
        self._discard()
        if isinstance(error, OSError):  # a full disk, a quota, a file size limit …
            raise ExportError(f"cannot write {self.target}: {error.strerror or error}; "
                              "any earlier file of that name was left as it was") from None
        return False

    def _discard(self):
        try:
            self.handle.close()
        except OSError:
            pass
        self.temp.unlink(missing_ok=True)


BUILD_PREFIX = "gongkai-export-"  # the offline site's build directory in TMPDIR: gongkai-export-<pid>-…


def export(config_file: Path, target: Path) -> dict:
    """Build the offline site and write the bundle to target; returns the manifest."""
    config_file, target = Path(config_file), Path(target).absolute()
    check_target(target)  # before the build, which takes a while
    if not config_file.is_file():
        raise ExportError(f"no MkDocs configuration {config_file} (give --config FILE)")
    outcome = "nothing was exported" + (f"; the previous {target} is unchanged" if target.exists() else "")
    build_root = Path(tempfile.gettempdir())
    remove_stale(build_root, BUILD_PREFIX, "")
    with tempfile.TemporaryDirectory(prefix=f"{BUILD_PREFIX}{os.getpid()}-") as tmp:
        catalog, config = build_offline_site(config_file, Path(tmp) / "site", outcome)
        commit, modified = source_commit(config_file.parent.absolute())
        return write_bundle(Path(config.site_dir), target, build_date=catalog.build_date,
                            site_name=config.site_name, commit=commit, modified=modified,
                            counts=catalog.counts())


# --- verification ------------------------------------------------------------------------------

@dataclass
class Verdict:
    refused: list[str] = field(default_factory=list)  # members that cannot be safely read
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    manifest: dict | None = None

    @property
    def intact(self) -> bool:
        return not (self.refused or self.missing or self.extra or self.altered)


def unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    """Why a member must not be trusted (or ever extracted), or None."""
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if "\\" in name:
        return "a backslash in its path"
    if ".." in PurePosixPath(name).parts:
        return "a path leaving the bundle's folder (..)"
    return None


def verify(path: Path) -> Verdict:
    """Check the zip's members against its manifest, reading them without extracting anything."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExportError(f"{path} is not a zip file ({exc})") from None
    verdict = Verdict()
    with zf:
        infos = zf.infolist()
        for info in infos:
            reason = unsafe_reason(info)
            if reason:
                verdict.refused.append(f"{info.filename}: {reason}")
        counts = Counter(i.filename for i in infos)
        verdict.refused += [f"{name}: appears more than once" for name, n in sorted(counts.items()) if n > 1]
        if verdict.refused:
            return verdict
        try:
            manifest = json.loads(zf.read(MANIFEST))
        except KeyError:
            verdict.missing.append(MANIFEST)
            return verdict
        except (ValueError, zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError):
            verdict.altered.append(MANIFEST)
            return verdict
        if not manifest_is_sound(manifest):
            verdict.altered.append(MANIFEST)
            return verdict
        verdict.manifest = manifest
        listed = {f["path"]: (f["size"], f["sha256"]) for f in manifest["files"]}
        # Directory entries too: a bundle has none, so one is something added.
        present = {i.filename: i for i in infos if i.filename != MANIFEST}
        verdict.missing = sorted(set(listed) - set(present))
        verdict.extra = sorted(set(present) - set(listed))
        for name in sorted(set(listed) & set(present)):
            size, expected = listed[name]
            digest, length = hashlib.sha256(), 0
            try:
                with zf.open(present[name]) as member:
                    for chunk in iter(lambda: member.read(CHUNK), b""):
                        digest.update(chunk)
                        length += len(chunk)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError):
                # damaged (bad CRC …), encrypted, or compressed in a way this Python cannot read
                verdict.altered.append(name)
                continue
            if length != size or digest.hexdigest() != expected:
                verdict.altered.append(name)
    return verdict


MANIFEST_FIELDS = {"format": int, "generator": str, "gongkai_version": str, "site_name": str, "build_date": str,
                   "source_commit": str, "source_modified": bool, "counts": dict, "files": list}
FILE_FIELDS = {"path": str, "size": int, "sha256": str}
SHA256 = re.compile(r"[0-9a-f]{64}")
# What every bundle holds: a manifest listing fewer (down to none at all) was cut down to pass.
CORE_MEMBERS = ("index.html", README, "data/schema.json", "data/powers.csv", "data/units.csv",
                "search/data/manifest.json", "search/data/manifest.js")


def manifest_is_sound(manifest) -> bool:
    """Whether manifest has the shape export writes: every key, of its type, every core member
    listed once. A hand-made or cut-down manifest is an altered one."""
    def typed(value, kind) -> bool:
        # bool is an int to Python; a size or format of true is not.
        return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))

    if not isinstance(manifest, dict) or set(manifest) != set(MANIFEST_FIELDS):
        return False
    if not all(typed(manifest[k], kind) for k, kind in MANIFEST_FIELDS.items()):
        return False
    if manifest["format"] != FORMAT or manifest["generator"] != "Gongkai":
        return False
    if not all(isinstance(k, str) and typed(v, int) for k, v in manifest["counts"].items()):
        return False
    paths = []
    for entry in manifest["files"]:
        if not (isinstance(entry, dict) and set(entry) == set(FILE_FIELDS)
                and all(typed(entry[k], kind) for k, kind in FILE_FIELDS.items())
                and entry["size"] >= 0 and SHA256.fullmatch(entry["sha256"])):
            return False
        paths.append(entry["path"])
    return len(paths) == len(set(paths)) and set(CORE_MEMBERS) <= set(paths)


def zip_sha256(path: Path) -> str:
    """The SHA-256 of the whole zip: what an archivist records elsewhere (a register, a letter)
    and compares with `gongkai verify FILE --expect`; the same commit exports the same bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
