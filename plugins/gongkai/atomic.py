"""Swap a finished output directory into place, so that readers never see half of one; lock an
output directory against a second writer; and clear what writers killed mid-way left behind."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

SWAP_WAIT = 120  # seconds a swap waits for another one of the same directory (a swap is quick)


class Busy(Exception):
    """Another process holds the lock of an output directory; the message says which."""


class DirectoryLock:
    """An exclusive lock (flock) on .NAME.lock beside the directory NAME, for all who write it: the
    kernel releases it when the holder ends, however it ends, so a killed writer never leaves a
    stale lock. The file holds the holder's pid, for messages; it is never removed (removing it
    would let two writers lock two different files)."""

    def __init__(self, directory: Path):
        directory = Path(directory)
        self.path = directory.parent / f".{directory.name}.lock"
        self.fd: int | None = None

    def holder(self) -> str:
        try:
            pid = self.path.read_text().strip()
        except OSError:
            pid = ""
        return f"pid {pid}" if pid.isdigit() else "another process"

    def acquire(self, wait: float, waiting: Callable[[str], None] | None = None) -> None:
        """Lock, waiting at most `wait` seconds (Busy after that); waiting(holder) is called once
        when the lock is taken. OSError when the lock file cannot be made (a read-only folder …)."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = self.holder()
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise Busy(holder) from None
                if waiting is not None and not told:
                    waiting(holder)
                    told = True
                time.sleep(0.1)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:  # only the pid for messages is lost
            pass
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the flock
            self.fd = None


def _previous(final: Path) -> Path:
    return final.with_name(final.name + ".previous")


def restore_interrupted(final: Path) -> bool:
    """A swap killed between its two renames leaves no final, and the last good one as
    final.previous: move it back. True when it did. Call with the directory's lock held."""
    final = Path(final)
    previous = _previous(final)
    if not final.exists() and previous.is_dir():
        os.replace(previous, final)
        return True
    return False


def replace_directory(staging: Path, final: Path, locked: bool = False) -> None:
    """Move staging to final; the old final goes aside first and is removed afterwards. The two
    renames happen under the directory's lock (locked: the caller holds it already), and a swap
    interrupted earlier is repaired first: its .previous is the last good output, never removed
    while final is missing."""
    final = Path(final)
    lock = None
    if not locked:
        lock = DirectoryLock(final)
        lock.acquire(SWAP_WAIT)
    try:
        restore_interrupted(final)
        previous = _previous(final)
        shutil.rmtree(previous, ignore_errors=True)
        if final.exists():
            os.replace(final, previous)
        os.replace(staging, final)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        if lock is not None:
            lock.release()


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
