from mkdocs.config import base
from mkdocs.config import config_options as c


class HistoryConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # Release tags of the power list (a glob): the 清单动态调整 page compares each with the one before.
    release_tags = c.Type(str, default="release-*")
    # Author names in 修订记录 are personal data: off unless the site decides to publish them.
    # E-mail addresses are never read.
    show_authors = c.Type(bool, default=False)
