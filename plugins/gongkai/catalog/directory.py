"""公开目录 (条例第十二条): every published document's 索引号、名称、内容概述、生成日期, with its 文号
and 发布机构, browsable by 主题分类, 发布机构, 文种 and year — static pages, readable without
JavaScript, out of the navigation (the 政府信息公开 section page links the index).

Each facet lists a document once (by issuer: once per issuing unit), so the pages and their rows
grow linearly with the documents. Addresses are ASCII and stable: a topic's page is named by its
category's number in the national list, an issuer's by its unit id, a genre's by a fixed slug,
a year's by the year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Catalog
from ..model.schema.records import Document

DIRECTORY = "disclosure/catalog"
INDEX = f"{DIRECTORY}/index.md"
TITLE = "政府信息公开目录"
TEMPLATE = "gongkai/directory.html"
NO_GENRE = "未注明文种"

# 文种 → address. The 15 公文文种 of the 党政机关公文处理工作条例 and the kinds county documents
# carry; a genre not listed gets a slug from a hash of its name, so adding genres (here or in
# content) never moves another genre's page.
GENRE_SLUGS = {
    "决议": "jueyi", "决定": "jueding", "命令": "mingling", "公报": "gongbao", "公告": "gonggao",
    "通告": "tonggao", "意见": "yijian", "通知": "tongzhi", "通报": "tongbao", "报告": "baogao",
    "请示": "qingshi", "批复": "pifu", "议案": "yian", "函": "han", "纪要": "jiyao",
    "规范性文件": "guifanxingwenjian", "政策解读": "zhengcejiedu", "实施方案": "shishifangan",
    "工作方案": "gongzuofangan", "管理办法": "guanlibanfa", "办法": "banfa", "规定": "guiding",
    "细则": "xize", "实施细则": "shishixize", "规划": "guihua", "计划": "jihua", "工作要点": "gongzuoyaodian",
    "工作总结": "gongzuozongjie", "考察报告": "kaochabaogao", "督查通报": "duchatongbao",
    "年度报告": "niandubaogao", "应急预案": "yingjiyuan", "清单": "qingdan", "指南": "zhinan",
    NO_GENRE: "unspecified",
}


def genre_slug(genre: str) -> str:
    """A genre's page name: from the table, else g- and a hash of its NFC name."""
    if genre in GENRE_SLUGS:
        return GENRE_SLUGS[genre]
    digest = hashlib.sha1(unicodedata.normalize("NFC", genre).encode("utf-8")).hexdigest()
    return f"g-{digest[:10]}"


def generated_on(doc: Document) -> dt.date:
    """生成日期 of the 公开目录: the 成文日期 when given, else the 发布日期."""
    return doc.written or doc.published


def newest_first(docs: list[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: (generated_on(d), d.published, d.doc_no or "", d.page), reverse=True)


@dataclass(frozen=True)
class Row:
    """A line of a listing: the document, its 生成日期, the names of its 发布机构."""

    doc: Document
    generated: dt.date
    issuers: tuple[str, ...]


@dataclass
class Entry:
    """One value of a facet: its label, its page (and anchor), how many documents, sub-entries."""

    label: str
    page: str
    count: int
    anchor: str = ""
    children: list[Entry] = field(default_factory=list)


@dataclass
class Facet:
    key: str
    label: str  # 主题分类, 发布机构 …
    entries: list[Entry]


def topic_anchor(number: int, sub: int) -> str:
    return f"t{number}-{sub}"


def topic_listing(catalog: Catalog, topic: str) -> tuple[str, str] | None:
    """(page, anchor) of a topic's place in the 公开目录, when the site has a topic list."""
    topics = catalog.topics
    category = topics.category_of(topic) if topics is not None else None
    if category is None:
        return None
    number, sub = topics.order(topic)
    return f"{DIRECTORY}/topics/{number}.md", topic_anchor(number, sub + 1) if category.subtopics else ""


@dataclass
class Planned:
    """A page of the 公开目录: pages.plan_pages makes it a SitePage with TEMPLATE."""

    src_uri: str
    title: str
    data: dict


def directory_pages(catalog: Catalog) -> list[Planned]:
    """The index page and one page per facet value that has documents."""
    docs = newest_first(catalog.documents)
    rows = {id(doc): _row(catalog, doc) for doc in docs}
    pages: list[Planned] = []
    facets: list[Facet] = []
    for build in (_topic_pages, _issuer_pages, _genre_pages, _year_pages):
        facet, facet_pages = build(catalog, docs)
        for page in facet_pages:
            page.data["groups"] = [(caption, anchor, [rows[id(d)] for d in listed])
                                   for caption, anchor, listed in page.data["groups"]]
        if facet is not None and facet.entries:
            facets.append(facet)
            pages += facet_pages
    pages.insert(0, Planned(INDEX, TITLE, {"view": "index", "facets": facets, "total": len(docs)}))
    return pages


def _row(catalog: Catalog, doc: Document) -> Row:
    units = [catalog.unit(u) for u in dict.fromkeys(doc.issuers or [doc.unit_id])]
    return Row(doc, generated_on(doc), tuple(u.short_name or u.name for u in units if u is not None))


def _listing(path: str, facet: Facet, value: str, groups: list[tuple[str, str, list[Document]]]) -> Planned:
    """A facet value's page: its groups (caption, anchor, documents), each one table."""
    return Planned(path, f"{TITLE}：{value}",
                    {"view": "listing", "facet": facet.label, "facet_key": facet.key, "value": value, "groups": groups,
                     "total": sum(len(g[2]) for g in groups)})


def _topic_pages(catalog: Catalog, docs: list[Document]):
    """One page per first-level category, a table per second level, in the national order.
    Without a topic list (content/_vocab/topics.yml) the facet is left out."""
    topics = catalog.topics
    if topics is None:
        return None, []
    by_topic: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        if topics.is_valid(doc.topic):
            by_topic[doc.topic].append(doc)
    facet = Facet("topics", "主题分类", [])
    pages = []
    for category in topics.categories:
        path = f"{DIRECTORY}/topics/{category.number}.md"
        groups, children = [], []
        for sub_index, full in enumerate(category.full_names(), start=1):
            listed = by_topic.get(full)
            if not listed:
                continue
            anchor = topic_anchor(category.number, sub_index) if category.subtopics else ""
            caption = topics.subtopic_of(full) or category.name
            groups.append((caption, anchor, listed))
            if category.subtopics:
                children.append(Entry(caption, path, len(listed), anchor))
        if groups:
            count = sum(len(g[2]) for g in groups)
            facet.entries.append(Entry(category.name, path, count, "", children))
            pages.append(_listing(path, facet, category.name, groups))
    return facet, pages


def _issuer_pages(catalog: Catalog, docs: list[Document]):
    """One page per issuing unit, in the unit directory's order; a joint document is listed
    under each of its issuers."""
    by_unit: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        for unit_id in dict.fromkeys(doc.issuers or [doc.unit_id]):
            by_unit[unit_id].append(doc)
    facet = Facet("issuers", "发布机构", [])
    pages = []
    for unit_id, unit in catalog.units.items():
        listed = by_unit.get(unit_id)
        if listed:
            path = f"{DIRECTORY}/issuers/{unit_id}.md"
            facet.entries.append(Entry(unit.name, path, len(listed)))
            pages.append(_listing(path, facet, unit.name, [(unit.name, "", listed)]))
    return facet, pages


def _genre_pages(catalog: Catalog, docs: list[Document]):
    """One page per 文种, the most used first (then by name); documents without one together."""
    by_genre: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        by_genre[doc.genre or NO_GENRE].append(doc)
    facet = Facet("genres", "文种", [])
    pages = []
    for genre in sorted(by_genre, key=lambda g: (g == NO_GENRE, -len(by_genre[g]), g)):
        path = f"{DIRECTORY}/genres/{genre_slug(genre)}.md"
        facet.entries.append(Entry(genre, path, len(by_genre[genre])))
        pages.append(_listing(path, facet, genre, [(genre, "", by_genre[genre])]))
    return facet, pages


def _year_pages(catalog: Catalog, docs: list[Document]):
    """One page per year of 生成日期, the newest first."""
    by_year: dict[int, list[Document]] = defaultdict(list)
    for doc in docs:
        by_year[generated_on(doc).year].append(doc)
    facet = Facet("years", "年份", [])
    pages = []
    for year in sorted(by_year, reverse=True):
        path = f"{DIRECTORY}/years/{year}.md"
        facet.entries.append(Entry(f"{year}年", path, len(by_year[year])))
        pages.append(_listing(path, facet, f"{year}年", [(f"{year}年", "", by_year[year])]))
    return facet, pages
