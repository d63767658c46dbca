from mkdocs.config import base
from mkdocs.config import config_options as c


class ExportConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # Write the open-data files (CSV, XLSX, JSON, schema.json) into site/data/.
    downloads = c.Type(bool, default=True)
