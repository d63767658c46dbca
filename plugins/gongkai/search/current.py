"""The archive a running server answers from: the index as the last build left it.

A build swaps a new index directory in; a server that kept the reader it opened first would go on
finding what the site stopped publishing. `gongkai serve` and the WSGI application (under
gunicorn) both ask this for the archive on each request.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from .archive import Archive, IndexUnusable

log = logging.getLogger("gongkai.api")


class CurrentArchive:
    """The archive of an index directory as the last build left it: opened on first use, and again
    whenever a build swapped a new index in (each build's FINGERPRINT is a new file), so what the
    site stopped publishing is not found by a server that kept running. Per process: a whoosh
    reader is not shared across a fork (gunicorn's workers each open their own)."""

    UNAVAILABLE = "the search index is being built; try again shortly"

    def __init__(self, index_dir: Path, archive: Archive | None = None):
        self.index_dir = Path(index_dir)
        self._archive, self._pid, self._opened = None, 0, None
        if archive is not None:  # opened by the caller just now
            self._archive, self._pid, self._opened = archive, os.getpid(), self._version()
        self._lock = threading.Lock()  # threads of one server open the index once

    def _version(self):
        try:
            stat = os.stat(self.index_dir / "FINGERPRINT")
        except OSError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def get(self) -> tuple[Archive | None, str]:
        """(the archive, "") or (None, why not, for the public: the reason with the server's paths
        goes to the log)."""
        with self._lock:
            version = self._version()
            if self._archive is None or self._pid != os.getpid() or version != self._opened:
                # The old reader is left to the garbage collector: a request of another thread may
                # still be reading it.
                self._archive = None
                try:
                    self._archive, self._pid, self._opened = Archive(self.index_dir), os.getpid(), version
                except IndexUnusable as exc:
                    log.warning("search index unusable: %s", exc)
                    return None, self.UNAVAILABLE
            return self._archive, ""
