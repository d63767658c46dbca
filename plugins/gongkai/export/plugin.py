"""MkDocs plugin `gongkai/export`: the open-data files (下载: CSV / Excel / JSON) in site/data/.

The all-items list and each unit's page link them (themes/gongkai/gongkai/powers.html, unit.html);
`gongkai export` packs the same files into the offline bundle.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

from ..catalog.plugin import catalog_of
from .config import ExportConfig
from .data import data_files

log = logging.getLogger("mkdocs.plugins.gongkai.export")


class ExportPlugin(BasePlugin[ExportConfig]):
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Runs before gongkai/catalog swaps the finished site in (that one runs last)."""
        if not (self.config.enabled and self.config.downloads):
            return
        catalog = catalog_of(config, "gongkai/export")
        files = data_files(catalog, directory_urls=config.use_directory_urls, site_url=config.site_url)
        site = Path(config.site_dir)
        for rel in sorted(files):
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[rel])
        log.info("open data: %d files in %s", len(files), site / "data")
