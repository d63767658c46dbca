"""Province scale: every build writes its search documents as NDJSON in the OpenSearch /
Elasticsearch bulk format, with the mapping to create the index, beside the search page."""

from __future__ import annotations

import json

from gongkai.search.documents import search_documents


def test_the_build_writes_bulk_lines_for_every_search_document(sample_site, catalog):
    lines = (sample_site / "search/bulk.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) % 2 == 0 and lines
    actions, docs = [json.loads(l) for l in lines[::2]], [json.loads(l) for l in lines[1::2]]
    assert all(set(a) == {"index"} and set(a["index"]) == {"_id"} for a in actions)  # the index is the province's choice
    ids = [a["index"]["_id"] for a in actions]
    # No site_url in the sample: the site's name in front keeps ids apart across counties.
    assert len(set(ids)) == len(ids) and ids == [f"安澜县政务公开/{d['url']}" for d in docs]
    expected = search_documents(catalog)
    assert len(docs) == len(expected)
    assert {d["kind"] for d in docs} >= {"unit", "power", "guide", "document", "notice"}
    power = next(d for d in docs if d["kind"] == "power")
    assert power["kind_label"] == "权责事项" and power["code"] and power["title"] and power["unit_name"]
    assert all(d["site_name"] == "安澜县政务公开" for d in docs)
    document = next(d for d in docs if d.get("doc_no"))
    assert document["doc_no_key"] and "year" in document


def test_the_mapping_names_a_chinese_analyzer_for_every_text_field(sample_site):
    mapping = json.loads((sample_site / "search/mapping.json").read_text(encoding="utf-8"))["mappings"]
    fields = mapping["properties"]
    assert {f for f, spec in fields.items() if spec["type"] == "text"} == {"title", "unit_name", "aliases", "text"}
    assert all(spec["analyzer"] == "ik_max_word" and spec["search_analyzer"] == "ik_smart"
               for spec in fields.values() if spec["type"] == "text")
    assert "smartcn" in mapping["_meta"]["analyzers"]


def test_the_offline_bundle_leaves_them_out(bundle):
    import zipfile

    with zipfile.ZipFile(bundle) as zf:
        assert not [n for n in zf.namelist() if n.endswith(("search/bulk.ndjson", "search/mapping.json"))]
