"""Open data: the Catalog's published records as tables, written as CSV, XLSX and JSON.

One table per kind (units, powers, guides, documents, notices). A column has an English key (the
JSON field), a Chinese label (the CSV/XLSX header, from model/schema/fields.py LABELS where the field is
an editor's field) and a type; schema.json documents every column of every table.

Only what the site shows goes out: the Catalog's collections hold published records only (no
drafts, no documents that are not 主动公开 or dated after the build date), and the unit table
leaves out grid rosters and contacts beyond the unit's own public phones.

Same Catalog, same bytes: rows in the Catalog's order; formats.py writes the files (XLSX with fixed
document dates and zip timestamps: openpyxl stamps both with the clock).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable
from urllib.parse import urljoin

from ..model import Catalog
from ..model.schema import LABELS, POWER_CATEGORIES
from ..model.schema.kinds import KIND_BY_PLURAL, url_of
from ..model.primitives.text import book_title
from .formats import DATA_DIR, Column, Table, schema, sheet_names, to_csv, to_json, to_xlsx
from .reports import report_values


def _field(key: str, type_: str = "string", description: str = "", label: str | None = None,
           get: Callable[[Any], Any] | None = None) -> Column:
    """A column of a schema field: labelled as the site labels it."""
    return Column(key, label or LABELS[key], type_, description, get or (lambda r, k=key: getattr(r, k)))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _citations(item) -> list[str]:
    out = []
    for c in item.basis:
        extra = "·".join(filter(None, [c.level, c.kind]))
        out.append(f"{book_title(c.law)}{c.article or ''}" + (f"（{extra}）" if extra else ""))
    return out


def columns(catalog: Catalog, page_url: Callable[[str], str]) -> dict[str, list[Column]]:
    """{table name: columns}: what each exported table holds. A table is named by its kind's plural
    (Kind.plural) and titled as the kind's list; a kind without columns here is not exported."""
    def unit_name(unit_id: str) -> str:
        unit = catalog.unit(unit_id)
        return unit.name if unit else unit_id

    url = Column("url", "页面地址", "string", "本记录在网站上的页面（网站配置了 site_url 时为完整网址，否则相对于网站根目录）",
                 lambda r: page_url(r.page))
    unit_id = Column("unit_id", "单位标识", "string", "所属单位的标识（units.csv 的 id 列）", lambda r: r.unit_id)
    unit = Column("unit", "单位", "string", "所属单位全称", lambda r: unit_name(r.unit_id))
    return {
        "units": [
            Column("id", "单位标识", "string", "单位的唯一标识，也是网址中的单位目录名", lambda u: u.unit_id),
            _field("name", label="单位全称"),
            _field("short_name"),
            _field("aliases", "list", "单位的其他名称"),
            _field("type"),
            _field("code", description="机构代码，用于索引号", label="机构代码"),
            _field("parents", "list", "上级单位的标识"),
            _field("plaques", "list"),
            _field("address"), _field("hours"), _field("phone"), _field("supervision_phone"),
            _field("email"),
            _field("functions", "list"),
            url,
        ],
        "powers": [
            _field("code", description="事项编码，全站唯一", label="事项编码"),
            _field("name", label="事项名称"),
            _field("category", description="、".join(POWER_CATEGORIES) + "之一"),
            Column("unit", "实施主体", "string", "实施本事项的单位全称", lambda r: unit_name(r.unit_id)),
            unit_id,
            _field("sub_items", "list"),
            Column("basis", "设定依据", "list", "法律依据：《名称》条款（层级·依据类别）", _citations),
            _field("handled_by"), _field("level"),
            _field("statutory_limit", "integer", "工作日"), _field("promised_limit", "integer", "工作日"),
            _field("fee"), _field("conditions", "list"), _field("materials", "list"), _field("place"),
            _field("online", "boolean"), _field("visits", "integer"),
            _field("supervision"), _field("supervision_phone"),
            Column("status", "动态调整", "list", "调整记录：日期 调整类型（决定文件）",
                   lambda r: [f"{s.date.isoformat()} {s.action}" + (f"（{s.document}）" if s.document else "")
                              for s in r.status]),
            url,
        ],
        "guides": [
            Column("id", "指南标识", "string", "单位内唯一的指南标识", lambda g: g.slug),
            _field("title", label="指南名称"), unit, unit_id,
            # Only a published item's code: a guide may serve an item that is still a draft.
            _field("power", description="对应权责事项的事项编码（该事项已公开时）",
                   get=lambda g: g.power if g.power in catalog.power_by_code else None),
            _field("conditions", "list"), _field("materials", "list"), _field("steps", "list"),
            _field("statutory_limit", "integer", "工作日"), _field("promised_limit", "integer", "工作日"),
            _field("fee"), _field("place"), _field("hours"), _field("online_url"), _field("visits", "integer"),
            _field("phone"),
            Column("updated", LABELS["updated"], "date", "", lambda g: _iso(g.updated)),
            url,
        ],
        "documents": [
            _field("index_no"), _field("title", label="文件标题"), _field("doc_no"),
            Column("issuers", LABELS["issuers"], "list", "发布机构全称",
                   lambda d: [unit_name(i) for i in (d.issuers or [d.unit_id])]),
            unit_id, _field("genre"), _field("topic"),
            *(Column(k, LABELS[k], "date", "", lambda d, k=k: _iso(getattr(d, k)))
              for k in ("written", "published", "effective", "expires")),
            _field("validity"), _field("series"), _field("issue", "integer"),
            _field("summary"), _field("keywords", "list"),
            _field("implements", "list", "所依据文件的文号"), _field("amends", "list"),
            _field("supersedes", "list"), _field("repealed_by"),
            # 政策解读: only the published policies, as the pages link them.
            Column("interprets", LABELS["interprets"], "list", "所解读政策的文号（无文号的为索引号）",
                   lambda d: [p.doc_no or p.index_no for p in catalog.interpretations.policies_of(d)]),
            url,
        ],
        "notices": [
            Column("id", "公告标识", "string", "单位内唯一的公示公告标识", lambda n: n.slug),
            _field("title", label="公示公告标题"), _field("kind"), unit, unit_id, _field("subject"),
            Column("start", LABELS["start"], "date", "", lambda n: _iso(n.start)),
            Column("end", LABELS["end"], "date", "未写结束日期时按公示期计算",
                   lambda n: _iso(n.last_day)),
            Column("published", LABELS["published"], "date", "", lambda n: _iso(n.published)),
            _field("contact"),
            url,
        ],
        # 行政执法公示: the decisions in their display period, the party as published (masked).
        "decisions": [
            Column("doc_no", "决定文号", "string", "", lambda d: d.doc_no),
            Column("kind", "决定类别", "string", "", lambda d: d.kind),
            Column("unit", "执法机关", "string", "作出决定的单位全称", lambda d: unit_name(d.unit_id)), unit_id,
            Column("power", "对应事项", "string", "所行使权责事项的事项编码", lambda d: d.power),
            Column("party", "当事人", "string", "自然人姓名已按规定隐去", lambda d: d.party.name),
            Column("credit_code", "统一社会信用代码", "string", "", lambda d: d.party.credit_code),
            Column("offence", "违法行为/事由", "string", "", lambda d: d.offence),
            Column("basis", "依据", "list", "", lambda d: d.basis),
            Column("outcomes", "处罚/决定内容", "list", "类型（罚款金额，元；期限）",
                   lambda d: [o.type + (f"（{o.amount:g}元）" if o.amount is not None else "")
                              + (f"（期限{o.length}）" if o.length else "") for o in d.outcomes]),
            Column("decided", "决定日期", "date", "", lambda d: _iso(d.decided)),
            Column("published", "公示日期", "date", "", lambda d: _iso(d.published)),
            Column("shown_until", "公示期至", "date", "公示期满后不再公示", lambda d: _iso(d.shown_until)),
            url,
        ],
        # One row per number of a report (export/reports.py): filter or pivot it in a spreadsheet.
        "annual-reports": [
            Column("unit", "单位", "string", "发布年度报告的单位全称", lambda v: unit_name(v.unit_id)),
            unit_id,
            Column("year", LABELS["year"], "integer", "报告所属年度", lambda v: v.report.year),
            Column("published", LABELS["published"], "date", "", lambda v: _iso(v.report.published)),
            Column("part", "部分", "string", "年度报告的部分（2021年格式）", lambda v: v.part),
            Column("row", "项目", "string", "表格的行，含其所属各级栏目名称", lambda v: v.row),
            Column("column", "栏目", "string", "表格的列", lambda v: v.column),
            Column("value", "数值", "number", "", lambda v: v.value),
            Column("source", "来源", "string", "填报，或按网站发布的文件统计（第二十条第（一）项未填报时）",
                   lambda v: v.source),
            url,
        ],
        # One row per 执法人员 shown (valid certificate on the build date): public by law.
        "officers": [
            Column("name", LABELS["officers.name"], "string", "", lambda o: o.name),
            Column("cert_no", LABELS["officers.cert_no"], "string", "行政执法证件号码，全站唯一", lambda o: o.cert_no),
            Column("field", LABELS["officers.field"], "string", "", lambda o: o.field),
            Column("internal_unit", LABELS["officers.internal_unit"], "string", "所属单位的内设机构",
                   lambda o: o.internal_unit),
            Column("unit", "所属单位", "string", "所属单位全称", lambda o: unit_name(o.unit_id)),
            Column("unit_id", "单位标识", "string", "所属单位的标识（units.csv 的 id 列）", lambda o: o.unit_id),
            Column("valid_until", LABELS["officers.valid_until"], "date", "执法证件有效期，空表示未填写",
                   lambda o: _iso(o.valid_until)),
            Column("url", "页面地址", "string", "执法人员名单页面中本人所在行",
                   lambda o: f"{page_url(o.page)}#{o.anchor}"),
        ],
    }


def _officer_rows(catalog: Catalog) -> list:
    return [o for officer_list in catalog.collections["officers"] for o in officer_list.shown(catalog.build_date)]


# Tables whose rows are not the records themselves: what makes their rows from the Catalog.
ROWS = {"annual-reports": report_values, "officers": _officer_rows}


def tables(catalog: Catalog, directory_urls: bool = True, site_url: str | None = None) -> dict[str, Table]:
    """Every exported table of the catalog, rows in the Catalog's order. With site_url (mkdocs.yml)
    page addresses are full URLs of the online site, also in the offline bundle: data passed on
    from the bundle should lead to the published page, not to a file of someone's disk."""
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        page_url = lambda page: urljoin(base, url_of(page))  # noqa: E731
    elif directory_urls:
        page_url = url_of
    else:
        page_url = lambda page: page[: -len(".md")] + ".html"  # noqa: E731
    out = {}
    for name, cols in columns(catalog, page_url).items():
        kind = KIND_BY_PLURAL[name]
        items = ROWS[name](catalog) if name in ROWS else catalog.of_kind(kind)
        rows = [[_clean(col.get(r)) for col in cols] for r in items]
        out[name] = Table(name, kind.title, cols, rows)
    return out


def _clean(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return value


def only(table: Table, unit_id: str) -> Table:
    """The rows of one unit."""
    at = [c.key for c in table.columns].index("unit_id")
    return Table(table.name, table.title, table.columns, [r for r in table.rows if r[at] == unit_id])


def power_summary(catalog: Catalog) -> list[list[Any]]:
    """The summary sheet: per unit with items, its counts by category."""
    categories = [c for c, n in catalog.categories().items() if n]
    rows: list[list[Any]] = [["单位", "单位标识", "单位类型", "事项总数", *categories]]
    for unit in catalog.units.values():
        items = catalog.of_unit(unit.unit_id, "powers")
        if items:
            counts = catalog.categories(items)
            rows.append([unit.name, unit.unit_id, unit.type, len(items), *(counts[c] for c in categories)])
    rows.append(["合计", "", "", len(catalog.powers), *(catalog.categories()[c] for c in categories)])
    return rows


def data_files(catalog: Catalog, directory_urls: bool = True, site_url: str | None = None) -> dict[str, bytes]:
    """{path under the site: bytes} of every data file: DATA_DIR/<table>.<format>, schema.json,
    and per unit with items DATA_DIR/units/<unit id>/powers.<format>."""
    all_tables = tables(catalog, directory_urls, site_url)
    date = catalog.build_date
    files: dict[str, bytes] = {f"{DATA_DIR}/schema.json": schema(all_tables)}
    for name, table in all_tables.items():
        files[f"{DATA_DIR}/{name}.csv"] = to_csv(table)
        files[f"{DATA_DIR}/{name}.json"] = to_json(table, date)
    powers = all_tables["powers"]
    units = [u for u in catalog.units.values() if catalog.of_unit(u.unit_id, "powers")]
    names = sheet_names([u.short_name or u.name for u in units])
    per_unit = [(name, only(powers, u.unit_id)) for name, u in zip(names, units)]
    files[f"{DATA_DIR}/powers.xlsx"] = to_xlsx(per_unit, date, power_summary(catalog))
    for (name, table), unit in zip(per_unit, units):
        base = f"{DATA_DIR}/units/{unit.unit_id}/powers"
        files[f"{base}.csv"] = to_csv(table)
        files[f"{base}.json"] = to_json(table, date)
        files[f"{base}.xlsx"] = to_xlsx([(name, table)], date)
    return files
