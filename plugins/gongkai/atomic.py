"""Swap a finished output directory into place, so that readers never see half of one; and clear
what writers killed mid-way left behind."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path


def replace_directory(staging: Path, final: Path) -> None:
    """Move staging to final; the old final goes aside first and is removed afterwards."""
    previous = final.with_name(final.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if final.exists():
        os.replace(final, previous)
    os.replace(staging, final)
    shutil.rmtree(previous, ignore_errors=True)


STALE_AFTER = 60  # seconds


def remove_stale(directory: Path, prefix: str, suffix: str) -> None:
    """Remove what a killed writer (kill -9, a power cut) left: entries of directory named
    prefix<pid>….suffix, of this user, whose writer process is gone. One without a pid (written
    by an earlier version) goes when untouched for STALE_AFTER seconds. A pid alone, not an age,
    protects a live export: its build directory is not touched while the pages render."""
    try:
        entries = list(directory.iterdir())
    except OSError:
        return
    for path in entries:
        name = path.name
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        try:
            info = path.lstat()
        except OSError:
            continue
        if info.st_uid != os.getuid():
            continue
        pid = name[len(prefix):].split(".", 1)[0].split("-", 1)[0]
        if pid.isdigit():
            stale = not _alive(int(pid))
        else:
            stale = time.time() - info.st_mtime > STALE_AFTER
        if stale:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    path.unlink()
                except OSError:
                    pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True
