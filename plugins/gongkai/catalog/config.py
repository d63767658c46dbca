from mkdocs.config import base
from mkdocs.config import config_options as c


class IdentityConfig(base.Config):
    """The site's identity in every footer (网站标识); the form of each is checked by
    model.schema.identity, which locates a wrong one in mkdocs.yml."""

    # Any YAML value is taken here (a 网站标识码 is often written unquoted; a list by mistake) and
    # checked by model.schema.identity, so that a wrong value is reported at its line rather than
    # by MkDocs without one.
    sponsor = c.Optional(c.Type(object))  # 主办单位
    organizer = c.Optional(c.Type(object))  # 承办单位
    site_code = c.Optional(c.Type(object))  # 网站标识码, e.g. 3607000099
    icp = c.Optional(c.Type(object))  # ICP备案号, e.g. 赣ICP备2023001234号-1
    police = c.Optional(c.Type(object))  # 公安机关备案号, e.g. 赣公网安备36072702000123号


class CatalogConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # Build into a sibling staging directory and swap it in only when the build succeeded, so
    # that a failed build never damages the last good site/.
    atomic = c.Type(bool, default=True)
    # Seconds a build waits for another build of the same site_dir to finish (see _hold_site).
    lock_wait = c.Type((int, float), default=600)
    # Write X.gz beside every text file worth compressing (gongkai.precompress), for nginx's
    # gzip_static. Off for the offline bundle.
    precompress = c.Type(bool, default=True)
    # Write the navigation (top-level and unit pages only) when mkdocs.yml has no `nav`.
    navigation = c.Type(bool, default=True)
    # 主办单位, 承办单位, 网站标识码, ICP备案号, 公安机关备案号: shown in every page's footer.
    identity = c.SubConfig(IdentityConfig)
