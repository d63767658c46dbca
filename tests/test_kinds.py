"""The Kind registry: one place declares a kind of content, and a new kind needs nothing else.

The second test is the diff a new kind needs, applied to a copy of the package and the theme:
a schema in model/schema/records.py, an entry in model/schema/kinds.py and a page template.
Then the real `gongkai check`, `mkdocs build` and `gongkai search` run on it, unchanged.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import GONGKAI, MKDOCS, ROOT, THEME_DIR, SMALL_SITE, run_env, write_site
from html_dom import load

from gongkai.model import KINDS, RECORD_KINDS, load_catalog
from gongkai.model.schema.kinds import KIND_BY_NAME, KIND_BY_PLURAL, UNIT
from gongkai.search.documents import search_documents


def test_registry_declares_each_kind_once_with_everything_it_needs():
    assert len({k.name for k in KINDS}) == len({k.plural for k in KINDS}) == len({k.schema for k in KINDS}) == len(KINDS)
    assert KIND_BY_NAME["power"].plural == "powers" and KIND_BY_PLURAL["documents"].name == "document"
    assert UNIT not in RECORD_KINDS and set(RECORD_KINDS) | {UNIT} == set(KINDS)
    for kind in KINDS:
        assert (THEME_DIR / kind.template).is_file(), kind.template
        assert kind.label and kind.title and kind.counted


# The kinds the small site has no file of (its check must stay clean): one file each.
OTHER_KINDS = {
    "content/units/zrj/disclosure-guides/guide.md": """\
---
title: 测试县自然资源局政府信息公开指南
updated: 2026-01-05
classification: [主动公开的政府信息, 依申请公开的政府信息]
arrangement: 按法定主动公开内容栏目编排。
obtaining:
  proactive: [本网站]
  on_request: 提交政府信息公开申请表，20个工作日内答复。
office: {name: 办公室, address: 测试县人民路1号, hours: 工作日, phone: 0000-1234567, fax: 0000-1234568,
         web: https://example.gov.cn/}
---
""",
    "content/units/zrj/decisions/2026-cf-1.md": """\
---
doc_no: 测自然资罚〔2026〕1号
kind: 行政处罚
power: ZRJ-CF-001
party: {name: 测试县某某建材有限公司, credit_code: "91000000MA00000001"}
outcomes: [{type: 罚款, amount: 50000}]
decided: 2026-11-09
published: 2026-11-10
---
""",
    "content/units/zrj/officers.md": """\
---
officers:
  - {name: 赵测试, cert_no: "46000000001", field: 规划监督, internal_unit: 规划股}
---
""",
}


def test_every_kind_is_loaded_paged_counted_and_searched_from_the_registry(tmp_path):
    catalog, problems = load_catalog(write_site(tmp_path, {**SMALL_SITE, **OTHER_KINDS}) / "content")
    assert not [p for p in problems if p.severity.value == "error"]
    assert set(catalog.counts()) == {k.plural for k in KINDS}
    searched = {d.kind for d in search_documents(catalog)}
    for kind in KINDS:
        records = catalog.of_kind(kind)
        assert records, kind.name
        assert kind.name in searched
        for record in records:
            assert record.page == kind.page_path(record)


# --- the diff of a new kind ---------------------------------------------------------------------
SCHEMA = '''

class Interpretation(Record):
    """政策解读: a policy document explained for the public."""

    title: Text
    published: Date
    interprets: str | None = None  # 文号 of the document it explains
    draft: bool = False
'''
KIND_IMPORT = ("from .records import Document, Notice,",
               "from .records import Document, Interpretation, Notice,")
KIND_ENTRY = ('KINDS: tuple[Kind, ...] = (UNIT, POWER, GUIDE, DOCUMENT, NOTICE, DISCLOSURE_GUIDE, ANNUAL_REPORT, DECISION, OFFICERS)',
              'INTERPRETATION = Kind("interpretation", "interpretations", "政策解读", "政策解读", Interpretation,\n'
              '                      "gongkai/interpretation.html", "篇政策解读")\n\n'
              'KINDS: tuple[Kind, ...] = (UNIT, POWER, GUIDE, DOCUMENT, NOTICE, DISCLOSURE_GUIDE, ANNUAL_REPORT, DECISION, OFFICERS,\n'
              '                           INTERPRETATION)')
TEMPLATE = """{% extends "main.html" %}
{% block content %}
{%- set reading = gk.record -%}
<h1>{{ reading.title }}</h1>
<p>解读文件：{{ reading.interprets }}</p>
{{ page.content | safe }}
{% endblock %}
"""


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} no longer has {old!r}: update the diff of a new kind"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_new_kind_is_a_registry_entry_a_schema_and_a_template(tmp_path):
    package = tmp_path / "plugins"
    shutil.copytree(ROOT / "plugins", package, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    theme = tmp_path / "theme"
    shutil.copytree(THEME_DIR, theme)
    schema_dir = package / "gongkai" / "model" / "schema"
    with open(schema_dir / "records.py", "a", encoding="utf-8") as records:
        records.write(SCHEMA)
    _replace_once(schema_dir / "kinds.py", *KIND_IMPORT)
    _replace_once(schema_dir / "kinds.py", *KIND_ENTRY)
    (theme / "gongkai" / "interpretation.html").write_text(TEMPLATE, encoding="utf-8")

    site = write_site(tmp_path / "site", {**SMALL_SITE, "content/units/zrj/interpretations/2021-gz-jd.md": """\
---
title: 《关于规范用地审批的通知》政策解读
published: 2021-05-21
interprets: 测自然资发〔2021〕3号
---
用地审批解读正文。
"""})
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(theme)
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = run_env(PYTHONPATH=str(package))

    def run(*cmd: str) -> subprocess.CompletedProcess:
        return subprocess.run(cmd, cwd=site, env=env, capture_output=True, text=True, timeout=300)

    check = run(GONGKAI, "check", "--content", "content")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "1 篇政策解读" in check.stderr
    build = run(MKDOCS, "build", "-f", str(site / "mkdocs.yml"))
    assert build.returncode == 0, build.stdout + build.stderr
    page = load(site / "site", "units/zrj/interpretations/2021-gz-jd/index.html").one("article")
    assert page.one("h1").norm_text() == "《关于规范用地审批的通知》政策解读"
    assert "用地审批解读正文" in page.norm_text()
    found = run(GONGKAI, "search", "政策解读", "--kind", "interpretation", "--format", "json",
                "--content", "content", "--index", str(tmp_path / "index"))
    assert found.returncode == 0, found.stdout + found.stderr
    hits = json.loads(found.stdout)["hits"]
    assert [h["url"] for h in hits] == ["units/zrj/interpretations/2021-gz-jd/"]
