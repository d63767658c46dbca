from mkdocs.config import base
from mkdocs.config import config_options as c


class FlowchartConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # The Markdown fence that draws a chart anywhere: ```procedure
    fence = c.Type(str, default="procedure")
