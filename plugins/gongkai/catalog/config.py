from mkdocs.config import base
from mkdocs.config import config_options as c


class CatalogConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # Build into a sibling staging directory and swap it in only when the build succeeded, so
    # that a failed build never damages the last good site/.
    atomic = c.Type(bool, default=True)
    # Seconds a build waits for another build of the same site_dir to finish (see _hold_site).
    lock_wait = c.Type((int, float), default=600)
    # Write the navigation (top-level and unit pages only) when mkdocs.yml has no `nav`.
    navigation = c.Type(bool, default=True)
