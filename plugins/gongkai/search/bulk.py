"""The search documents for a province's search engine: NDJSON in the OpenSearch/Elasticsearch
bulk format, and the index mapping to create first, published beside the search page:

    search/bulk.ndjson    {"index": {"_id": …}} and the document, a line each
    search/mapping.json   fields and analyzers for `PUT /<index>`

A province that runs its counties' sites (政府网站集约化) fetches each county's two files after its
build and loads them into its existing engine:

    curl -XPUT  https://search.example/anlan -H 'Content-Type: application/json' -d @mapping.json
    curl -XPOST https://search.example/anlan/_bulk -H 'Content-Type: application/x-ndjson' \\
         --data-binary @bulk.ndjson

The bulk lines name no index: the province chooses it in the URL (one per county, or one for all,
told apart by `site`). `_id` is the page's full address when mkdocs.yml has a site_url, else the
site's name and the page's path: unique across counties either way. Each build's file is the
whole site: load it into a new index and move an alias onto it (or delete the site's documents
first), so what a county stopped publishing leaves the province's engine too. The text fields use the IK analyzer (ik_max_word to index,
ik_smart to search), the Chinese analyzer most provincial Elasticsearch clusters have installed;
smartcn (analysis-smartcn, Elastic's own plugin) is named as the alternative in the mapping's
_meta. The documents are the same the site's own searches read (search/documents.py): only what
the site publishes, judged by the egress gate with the rest of the site.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from .documents import KIND_LABELS, SearchDoc

BULK_FILE = "search/bulk.ndjson"
MAPPING_FILE = "search/mapping.json"

_TEXT = {"type": "text", "analyzer": "ik_max_word", "search_analyzer": "ik_smart"}
_KEYWORD = {"type": "keyword"}
MAPPING = {
    "_meta": {
        "source": "Gongkai (公开) search documents",
        "analyzers": "IK (elasticsearch-analysis-ik / opensearch-analysis-ik): ik_max_word, ik_smart; "
                     "without IK, use analysis-smartcn: replace both with smartcn",
    },
    "properties": {
        "site": _KEYWORD, "site_name": _KEYWORD, "url": _KEYWORD,
        "kind": _KEYWORD, "kind_label": _KEYWORD,
        "title": {**_TEXT, "fields": {"raw": _KEYWORD}},
        "unit": _KEYWORD, "unit_name": {**_TEXT, "fields": {"raw": _KEYWORD}},
        "category": _KEYWORD, "year": {"type": "integer"},
        "code": _KEYWORD, "doc_no": _KEYWORD, "doc_no_key": _KEYWORD, "index_no": _KEYWORD,
        "validity": _KEYWORD, "aliases": _TEXT, "text": _TEXT,
    },
}


def bulk_files(docs: list[SearchDoc], site_name: str, site_url: str | None) -> dict[str, bytes]:
    """{path under the site: bytes}: the bulk NDJSON (documents in the given order) and the mapping."""
    base = (site_url if site_url.endswith("/") else site_url + "/") if site_url else ""
    lines = []
    for doc in docs:
        # Without a site_url the site path is unique only within the site: the site's name goes
        # in front, so counties loaded into one index do not overwrite each other.
        address = urljoin(base, doc.url) if base else doc.url
        key = address if base else f"{site_name}/{doc.url}"
        record = {"site": base or site_name, "site_name": site_name, "url": address, "kind": doc.kind,
                  "kind_label": KIND_LABELS.get(doc.kind, doc.kind), "title": doc.title, "unit": doc.unit,
                  "unit_name": doc.unit_name, "category": doc.category or None, "year": doc.year,
                  "code": doc.code or None, "doc_no": doc.doc_no or None, "doc_no_key": doc.doc_no_key or None,
                  "index_no": doc.index_no or None, "validity": doc.validity or None,
                  "aliases": doc.aliases or None, "text": doc.text}
        lines.append(json.dumps({"index": {"_id": key}}, ensure_ascii=False))
        lines.append(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False))
    bulk = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    mapping = (json.dumps({"mappings": MAPPING}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return {BULK_FILE: bulk, MAPPING_FILE: mapping}
