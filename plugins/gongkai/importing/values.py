"""Cell text into the values of a power item's fields.

Lists write citations, 责任事项 and other lists as one cell of free text; each reader below
returns the value, or None when the text cannot be read as one (the caller then writes 待填写
and reports the cell). Empty-looking cells (无, /, —) are no value at all.
"""

from __future__ import annotations

import re
import unicodedata

from ..model.primitives.dates import DateError, chinese_number, parse_date
from ..model.schema.fields import STATUS_ACTIONS

NOTHING = {"", "无", "/", "／", "-", "—", "——", "－", "暂无", "空", "null", "none", "n/a"}


def is_nothing(text: str) -> bool:
    return text.strip().lower() in NOTHING


# --- lists ------------------------------------------------------------------------------------

# The marks that number the entries of a list in one cell: 1. 1、 1） (1) （一） 一、 ①.
_MARK = (r"(?:\d{1,2}[.．、)）](?!\d)|[(（]\d{1,2}[)）]|[(（][一二三四五六七八九十]{1,3}[)）]"
         r"|[一二三四五六七八九十]{1,3}、|[①-⑳])")
_MARKED = re.compile(rf"(?:(?:^|(?<=[\s。；;：:]))\s*{_MARK}|[①-⑳])\s*")  # ① needs no separator before it


def split_list(text: str) -> list[str]:
    """The entries of a list written in one cell: numbered, else one per line, else separated by
    ；(the separator of the site's own export)."""
    text = text.strip()
    if is_nothing(text):
        return []
    marks = list(_MARKED.finditer(text))
    if len(marks) >= 2 or (marks and marks[0].start() == 0):
        pieces, head = [], text[: marks[0].start()].strip()
        for mark, following in zip(marks, [*marks[1:], None]):
            pieces.append(text[mark.end(): following.start() if following else len(text)])
        if head:
            pieces.insert(0, head)
    elif "\n" in text:
        pieces = text.split("\n")
    else:
        pieces = re.split(r"[；;]", text)
    return [p.strip() for p in pieces if p.strip() and not is_nothing(p)]


# --- 设定依据 -----------------------------------------------------------------------------------

LEVELS = {"法律": "法律", "行政法规": "行政法规", "地方性法规": "地方性法规", "部门规章": "规章",
          "政府规章": "规章", "地方政府规章": "规章", "规章": "规章", "规范性文件": "规范性文件",
          "其他规范性文件": "规范性文件", "行政规范性文件": "规范性文件"}
_LEVEL = "|".join(sorted(LEVELS, key=len, reverse=True))
_LEVEL_MARK = re.compile(rf"[\[【〔(（]\s*({_LEVEL})\s*[\]】〕)）]")
_KIND_LABEL = re.compile(r"(设定依据|实施依据)\s*[：:]")
_TITLE = re.compile(r"《([^《》]+)》")
_NUMBER = r"[一二三四五六七八九十百千零〇两\d]+"
_ARTICLE = re.compile(rf"第{_NUMBER}条(?:之{_NUMBER})?(?:第{_NUMBER}款)?(?:第[（(]?{_NUMBER}[)）]?项)?")
# The site's own export: 《…》第三条（行政法规·实施依据）.
_EXPORT_NOTE = re.compile(rf"[（(]\s*({_LEVEL})?\s*[·・]?\s*(设定依据|实施依据)?\s*[)）]")
# A law named without title marks: 行政许可法第十二条.
_BARE_LAW = re.compile(rf"^([\u4e00-\u9fff（）()、]{{2,60}}?(?<!办)(?:法|条例|办法|规定|细则|决定|规则|目录))"
                       rf"((?:第{_NUMBER}条[^，。；;：:]*)?)")


def read_citations(text: str, kind: str = "设定依据") -> list[dict] | None:
    """[{law, article, level, kind}] from a cell: 《…》第X条 (one or several), a level in brackets
    before a title ([部门规章]《…》), 设定依据：/实施依据： labels switching the kind. None when
    the cell names no law."""
    text = _CJK_GAP.sub("", text.strip())  # 《中华人民共和国 食品安全法》 第 三十五 条
    if "《" not in text:  # <…> for 《…》, typed on a keyboard without the Chinese marks
        text = text.replace("<", "《").replace(">", "》")
    if is_nothing(text):
        return []
    titles = list(_TITLE.finditer(text))
    if not titles:
        return _bare_citations(text, kind)
    out = []
    previous_end = quoted_until = 0
    for title, following in zip(titles, [*titles[1:], None]):
        if title.start() < quoted_until:
            continue  # a law named in the quoted text of an article (…第十条：…依照《…》处罚) is no citation
        before = text[previous_end: title.start()]
        labels = _KIND_LABEL.findall(before)
        if labels:
            kind = labels[-1]
        level_marks = _LEVEL_MARK.findall(before)
        level = LEVELS[level_marks[-1]] if level_marks else None
        after = text[title.end(): following.start() if following else len(text)]
        # The articles cited come before the quoted text (…第十条：县级以上…), which may cite others.
        head = re.split(r"[：:“\"\n。；;]", after, maxsplit=1)[0]
        own_kind = kind  # a note after one title is that citation's own
        for note in _EXPORT_NOTE.finditer(head):
            if note[1] or note[2]:
                level = LEVELS[note[1]] if note[1] else level
                own_kind = note[2] or kind
        law = title[1].strip()
        citation = {"law": law, "article": _articles(head), "level": level or infer_level(law), "kind": own_kind}
        out.append(citation)
        previous_end = title.end() + len(head)
        if text[previous_end: previous_end + 1] in ("：", ":"):
            end = _QUOTE_END.search(text, previous_end)
            quoted_until = previous_end = end.start() if end else len(text)
    return out


# Spaces between Chinese characters, title marks and numbers typed to spread a line out.
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff《》〈〉])[ \t\u3000]+(?=[\u4e00-\u9fff《》〈〉])")
# Where an article's quoted text ends: the next entry of the cell.
_QUOTE_END = re.compile(r"\n|[；;]|(?<=[。\s])(?:\d{1,2}[.．、]|[（(]\d{1,2}[)）]|[①-⑳])|[\[【]\s*(?:法律|行政法规|地方性法规|部门规章|规章)")


# Text that is only article numbers: 第三条、第十一条, 第五条第二款, 附件第101项.
_ONLY_ARTICLES = re.compile(rf"(?:附件|附录)?\d*(?:第[（(]?{_NUMBER}[)）]?[条款项目章节]|之{_NUMBER}|[、，,和及与]|\s)+")


def _articles(head: str) -> str | None:
    """The articles cited after a title: as written when the text is only articles, else the
    第X条 in it (the rest being a 令 number in brackets, a 规定, …)."""
    text = re.sub(r"[（(][^（）()]*[)）]", "", head).strip(" 、，,")
    if text and _ONLY_ARTICLES.fullmatch(text):
        return text
    return "、".join(_ARTICLE.findall(head)) or None


def _bare_citations(text: str, kind: str) -> list[dict] | None:
    out = []
    for piece in split_list(text) or [text]:
        piece = re.sub(r"^[\[【〔(（]?\s*(?:" + _LEVEL + r")\s*[\]】〕)）]", "", piece.strip())
        match = _BARE_LAW.match(piece)
        if not match or match[1].startswith(_NOT_A_LAW):
            return None
        law = match[1]
        out.append({"law": law, "article": _articles(match[2]),
                    "level": infer_level(law), "kind": kind})
    return out


# A province, region or city naming the law: only they make 地方性法规 (海南省…条例, 三亚市…条例).
# 国家有关规定, 相关法律法规: a reference to no law in particular.
_NOT_A_LAW = ("国家有关", "有关", "相关", "其他", "上级", "按照", "依照", "根据")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:省|自治区|市|自治州)")


def infer_level(law: str) -> str | None:
    """The level a law's name shows beyond doubt: a 法 is a 法律; a 条例 a 行政法规, or a
    地方性法规 when a place names it. 办法, 规定 … may be a 规章 or a 规范性文件: left open."""
    name = law.strip()
    if name.endswith("法") and not name.endswith("办法"):
        return "法律"
    if name.endswith("条例"):
        return "地方性法规" if _PLACE.match(name.removeprefix("中华人民共和国")) else "行政法规"
    return None


# --- 责任事项 -----------------------------------------------------------------------------------

_STAGE = re.compile(r"([\u4e00-\u9fff]{2,10}?)(?:(?:阶段|环节)?责任|阶段|环节)\s*[：:]")


def read_responsibilities(text: str) -> tuple[list[dict], bool]:
    """[{stage, duty}] from 1.受理阶段责任：…2.审查阶段责任：…, and whether every stage was
    named (an entry without one gets stage None, to be filled in)."""
    text = text.strip()
    if is_nothing(text):
        return [], True
    out, named = [], True
    for piece in split_list(text) if _MARKED.search(text) else [text]:
        stages = [m for m in _STAGE.finditer(piece)
                  if m.start() == 0 or piece[m.start() - 1] in "。；;\n "]
        head = piece[: stages[0].start()].strip() if stages else piece
        if head:  # text before any named stage: 其他…责任 names its own, the rest is to fill in
            stage = "其他" if not stages and head.startswith("其他") else None
            out.append({"stage": stage, "duty": head})
            named = named and stage is not None
        for stage, following in zip(stages, [*stages[1:], None]):
            duty = piece[stage.end(): following.start() if following else len(piece)].strip()
            out.append({"stage": stage[1], "duty": duty or None})
    return out, named


# --- numbers, yes/no, money, status --------------------------------------------------------------

_DAYS = re.compile(r"([\d]+|[一二三四五六七八九十百零〇两]+)\s*个?\s*(工作日|日|天)?")
AT_ONCE = ("即办", "即时办结", "当场办结", "当场", "立即", "即时")


def read_days(text: str) -> int | None | str:
    """A time limit in working days: 20, 20个工作日, 二十个工作日, 即办 (0); '' for no value;
    None when the text is not one number of days."""
    text = unicodedata.normalize("NFKC", text).strip()
    if is_nothing(text):
        return ""
    if text.startswith(AT_ONCE):
        return 0
    match = _DAYS.fullmatch(text) or re.search(r"(\d+|[一二三四五六七八九十百]+)\s*个?\s*(工作日)", text)
    if not match:
        return None
    number = match[1]
    try:
        return int(number) if number.isdigit() else chinese_number(number.replace("两", "二"))
    except KeyError:
        return None


YES = {"是", "√", "✓", "有", "true", "yes", "y", "1", "可网办", "网办", "全程网办", "可以"}
NO = {"否", "×", "✗", "无", "false", "no", "n", "0", "不可网办", "不能", "不可以"}


def read_yes_no(text: str) -> bool | None | str:
    key = text.strip().lower()
    if key in YES:
        return True
    if key in NO:
        return False
    return "" if is_nothing(key) else None


def read_count(text: str) -> int | None | str:
    text = unicodedata.normalize("NFKC", text).strip()
    if is_nothing(text):
        return ""
    match = re.fullmatch(r"(\d{1,2}|[零〇一二三四五六七八九十])\s*次?", text)
    if not match:
        return None
    return int(match[1]) if match[1].isdigit() else chinese_number(match[1].replace("〇", "零"))


FREE = {"否", "不收费", "免费", "无", "0", "零", "不收取费用"}


def read_fee(text: str) -> str:
    return "不收费" if text.strip() in FREE or is_nothing(text) else text.strip()


_STATUS = re.compile(r"^(\S+)\s+(" + "|".join(STATUS_ACTIONS) + r")(?:[（(](.+)[)）])?$")


def read_status(text: str) -> list[dict] | None:
    """动态调整 as the site's export writes it: 2016-09-20 新增（安府发〔2016〕21号）；…"""
    out = []
    for entry in split_list(text):
        match = _STATUS.match(entry)
        if not match:
            return None
        try:
            date = parse_date(match[1])
        except DateError:
            return None
        out.append({"action": match[2], "date": date, **({"document": match[3]} if match[3] else {})})
    return out
