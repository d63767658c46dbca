from mkdocs.config import base
from mkdocs.config import config_options as c


class SearchConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # The archive engine's whoosh index: outside site/, relative to mkdocs.yml.
    index_dir = c.Type(str, default=".cache/search-index")
    # The browser search index (small static files under site/search/data/), written into the site.
    browser = c.Type(bool, default=True)
    # For the offline bundle (`gongkai export`): write the browser index also as script files,
    # which a page opened from the file system can load where fetch() is refused; no archive index.
    offline = c.Type(bool, default=False)
    # The search documents as OpenSearch/Elasticsearch bulk NDJSON and the index mapping, in
    # site/search/ (search/bulk.py): for a province's engine. Not in the offline bundle.
    bulk = c.Type(bool, default=True)
