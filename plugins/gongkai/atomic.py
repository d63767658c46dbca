"""Swap a finished output directory into place, so that readers never see half of one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def replace_directory(staging: Path, final: Path) -> None:
    """Move staging to final; the old final goes aside first and is removed afterwards."""
    previous = final.with_name(final.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if final.exists():
        os.replace(final, previous)
    os.replace(staging, final)
    shutil.rmtree(previous, ignore_errors=True)
