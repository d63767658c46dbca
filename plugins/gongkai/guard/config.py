from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GuardConfig(Config):
    enabled = c.Type(bool, default=True)
    # Each page carries its Content-Security-Policy in a <meta> (gongkai.pagescripts), with the
    # hashes of its own inline scripts: any static host serves it. Off for the offline bundle.
    policy_meta = c.Type(bool, default=True)
