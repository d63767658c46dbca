"""`gongkai import document`: Word 公文 (GB/T 9704) built here with python-docx, read into front
matter and a Markdown body; 涉密, damaged and unknown files refused with a located error."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib

import docx
import openpyxl
import pytest
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from gongkai.importing.documents import genre_of, initials, read_document
from gongkai.importing.sources import REFUSED
from gongkai.importing.units import UnitMatcher
from gongkai.model.primitives.problems import Severity
from gongkai.model.schema.placeholders import PLACEHOLDER
from gongkai.model.schema.records import Document, Unit

CENTER, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

UNITS = {
    "county": {"name": "安澜县人民政府", "short_name": "县政府", "type": "县人民政府"},
    "zfb": {"name": "安澜县人民政府办公室", "short_name": "县政府办", "aliases": ["县府办", "县人民政府督查室"],
            "type": "县直部门"},
    "jyj": {"name": "安澜县教育局", "short_name": "县教育局", "type": "县直部门"},
    "czj": {"name": "安澜县财政局", "short_name": "县财政局", "type": "县直部门"},
    "zrzyj": {"name": "安澜县自然资源局", "short_name": "县自然资源局", "type": "县直部门"},
}


def matcher(units: dict = UNITS) -> UnitMatcher:
    return UnitMatcher({unit_id: Unit.model_validate(data) for unit_id, data in units.items()})


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 1×1 PNG of one colour (distinct colours: python-docx stores equal pictures once)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb))) + chunk(b"IEND", b""))


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "任务"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Gongwen:
    """A .docx written paragraph by paragraph, as an office types a 公文."""

    def __init__(self):
        self.doc = docx.Document()

    def p(self, text: str = "", align=None):
        paragraph = self.doc.add_paragraph(text)
        paragraph.alignment = align
        return paragraph

    def picture(self, data: bytes):
        self.doc.add_picture(io.BytesIO(data))

    def page_break(self):
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def embed(self, name: str, blob: bytes, content_type: str, reltype: str, prog_id: str):
        """An embedded object as Word writes it: w:object with a preview picture and o:OLEObject."""
        part = Part(PackURI(f"/word/embeddings/{name}"), content_type, blob, self.doc.part.package)
        rid = self.doc.part.relate_to(part, reltype)
        preview, _ = self.doc.part.get_or_add_image(io.BytesIO(png((90, 90, 90))))
        run = parse_xml(
            f'<w:r {nsdecls("w", "r")} xmlns:v="urn:schemas-microsoft-com:vml" '
            f'xmlns:o="urn:schemas-microsoft-com:office:office"><w:object>'
            f'<v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:60pt;height:40pt" o:ole="">'
            f'<v:imagedata r:id="{preview}" o:title=""/></v:shape>'
            f'<o:OLEObject Type="Embed" ProgID="{prog_id}" ShapeID="_x0000_i1025" DrawAspect="Icon" '
            f'ObjectID="_1" r:id="{rid}"/></w:object></w:r>')
        self.p()._p.append(run)

    def save(self, path):
        self.doc.save(str(path))
        return path


def read(path, **kwargs):
    return read_document(path, f"import/{path.name}", matcher(), **kwargs)


def errors(problems):
    return [p for p in problems if p.severity is Severity.ERROR]


def valid_with(front: dict, **filled) -> Document:
    """The front matter as written to the file, with the editor's 待填写 filled in, checked by the schema."""
    data = yaml.safe_load(yaml.safe_dump(front, allow_unicode=True, sort_keys=False))
    for name, value in filled.items():
        assert data[name] == PLACEHOLDER
        data[name] = value
    assert PLACEHOLDER not in yaml.safe_dump(data, allow_unicode=True)
    return Document.model_validate(data)


# --- a 通知 with 附件 -------------------------------------------------------------------------------

XLSX = workbook()
BODY_PICTURE, FLOWCHART = png((200, 30, 30)), png((30, 30, 200))


def notice(path):
    g = Gongwen()
    g.p("000123")
    g.p("特急")
    g.p("安澜县人民政府办公室文件", CENTER)
    g.p("安府办发〔２０２４〕3号", CENTER)
    g.p()
    g.p("关于印发《安澜县2024年政务公开", CENTER)
    g.p("工作要点》的通知", CENTER)
    g.p()
    g.p("各乡镇人民政府，县直各单位：")
    g.p("　　现将《安澜县2024年政务公开工作要点》印发给你们，请认真贯彻执行。")
    g.p("一、总体要求")
    g.p("（一）工作目标")
    g.p("1.公开范围")
    g.p("（二）受理。申请人通过县政务服务中心提交申请。")
    g.p("2.按季度在县政府网站公开进展情况，接受社会监督。")
    g.picture(BODY_PICTURE)
    g.p("附件：1.安澜县2024年政务公开重点任务分工表")
    g.p("　　　2.政务公开工作流程图")
    g.p()
    g.p("安澜县人民政府办公室", RIGHT)
    g.p("二〇二四年三月五日", RIGHT)
    g.p("（此件公开发布）")
    g.page_break()
    g.p("附件1")
    g.p("安澜县2024年政务公开重点任务分工表", CENTER)
    g.embed("Microsoft_Excel_Worksheet.xlsx", XLSX, CT.SML_SHEET, RT.PACKAGE, "Excel.Sheet.12")
    g.page_break()
    g.p("附件2")
    g.p("政务公开工作流程图", CENTER)
    g.picture(FLOWCHART)
    g.p("抄送：县委办，县人大办，县政协办。")
    g.p("安澜县人民政府办公室　　　　　　2024年3月6日印发")
    return g.save(path / "通知.docx")


def test_notice_front_matter(tmp_path):
    imported, problems = read(notice(tmp_path))
    assert errors(problems) == []
    assert imported.unit_id == "zfb" and imported.year == 2024 and imported.slug == "2024-afbf-3"
    assert imported.front == {
        "title": "关于印发《安澜县2024年政务公开工作要点》的通知",
        "doc_no": "安府办发〔2024〕3号",
        "issuers": ["zfb"],
        "genre": "通知",
        "topic": PLACEHOLDER,
        "written": dt.date(2024, 3, 5),
        "published": PLACEHOLDER,
        "disclosure": "主动公开",
        "attachments": [
            {"title": "安澜县2024年政务公开重点任务分工表", "file": "files/2024-afbf-3-2.xlsx"},
            {"title": "政务公开工作流程图", "file": "files/2024-afbf-3-3.png"},
        ],
    }
    assert list(imported.front) == [f for f in Document.model_fields if f in imported.front]
    assert imported.attachments == [("2024-afbf-3-1.png", BODY_PICTURE), ("2024-afbf-3-2.xlsx", XLSX),
                                    ("2024-afbf-3-3.png", FLOWCHART)]
    assert problems == []


def test_notice_body(tmp_path):
    imported, _ = read(notice(tmp_path))
    assert imported.body == (
        "各乡镇人民政府，县直各单位：\n\n"
        "现将《安澜县2024年政务公开工作要点》印发给你们，请认真贯彻执行。\n\n"
        "## 一、总体要求\n\n"
        "### （一）工作目标\n\n"
        "#### 1.公开范围\n\n"
        "（二）受理。申请人通过县政务服务中心提交申请。\n\n"
        "2.按季度在县政府网站公开进展情况，接受社会监督。\n\n"
        "![图1](files/2024-afbf-3-1.png)\n")
    for left_out in ("000123", "特急", "安府办发", "附件", "二〇二四", "此件公开发布", "抄送", "印发\n"):
        assert left_out not in imported.body


def test_notice_validates_once_filled_in(tmp_path):
    imported, _ = read(notice(tmp_path), published=dt.date(2024, 3, 8))
    assert imported.front["published"] == dt.date(2024, 3, 8)
    doc = valid_with(imported.front, topic="综合政务\\政务公开")
    assert doc.doc_no == "安府办发〔2024〕3号" and doc.written == dt.date(2024, 3, 5)
    assert [a.file for a in doc.attachments] == ["files/2024-afbf-3-2.xlsx", "files/2024-afbf-3-3.png"]


def test_appendix_text_stays_in_the_body_under_a_heading(tmp_path):
    g = Gongwen()
    g.p("安澜县自然资源局文件", CENTER)
    g.p("安自然资发[2022]9号", CENTER)
    g.p("关于印发建设项目用地预审办理规程的通知", CENTER)
    g.p("局机关各股室：")
    g.p("现将办理规程印发给你们，请遵照执行。")
    g.p("附件：建设项目用地预审办理规程")
    g.p("安澜县自然资源局", RIGHT)
    g.p("2022年8月15日", RIGHT)
    g.p("（此件依申请公开）")
    g.p("附件")
    g.p("建设项目用地预审办理规程", CENTER)
    g.p("一、适用范围")
    g.p("本规程适用于本县行政区域内的建设项目。")
    imported, problems = read(g.save(tmp_path / "规程.docx"))
    assert errors(problems) == [] and imported.slug == "2022-azrzf-9"
    assert imported.front["doc_no"] == "安自然资发〔2022〕9号"
    assert imported.front["disclosure"] == "依申请公开"
    assert "attachments" not in imported.front
    assert imported.body.endswith("## 附件1：建设项目用地预审办理规程\n\n### 一、适用范围\n\n"
                                  "本规程适用于本县行政区域内的建设项目。\n")


# --- a 实施方案 with tables ---------------------------------------------------------------------------

def plan(path):
    g = Gongwen()
    g.p("安澜县2024年农村义务教育学生营养改善计划实施方案", CENTER)
    g.p()
    g.p("为做好2024年学生营养改善计划工作，制定本方案。")
    g.p("一、实施范围")
    g.p("全县农村义务教育学校，涉及学生见下表。")
    table = g.doc.add_table(rows=5, cols=3)
    for r, row in enumerate([["", "", ""], ["乡镇", "学校", "学生数"], ["河西镇", "河西中心小学", "420"],
                             ["", "河西中学", "380"], ["滨河镇", "滨河小学|分校", "300"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(0, 2)).text = "表1 学生分布"
    table.cell(2, 0).merge(table.cell(3, 0))
    g.p("二、补助标准")
    prices = g.doc.add_table(rows=2, cols=2)
    for r, row in enumerate([["项目", "标准（元/生/天）"], ["营养膳食补助", "5"]]):
        for c, text in enumerate(row):
            prices.cell(r, c).text = text
    g.p()
    g.p("安澜县教育局", RIGHT)
    g.p("2024年5月20日", RIGHT)
    return g.save(path / "方案.docx")


def test_plan_with_tables(tmp_path):
    imported, problems = read(plan(tmp_path))
    assert errors(problems) == []
    assert imported.unit_id == "jyj" and imported.year == 2024
    assert re.fullmatch(r"2024-[0-9a-f]{6}", imported.slug)
    assert imported.front == {
        "title": "安澜县2024年农村义务教育学生营养改善计划实施方案", "issuers": ["jyj"], "genre": "实施方案",
        "topic": PLACEHOLDER, "written": dt.date(2024, 5, 20), "published": PLACEHOLDER, "disclosure": PLACEHOLDER,
    }
    assert imported.body == (
        "为做好2024年学生营养改善计划工作，制定本方案。\n\n"
        "## 一、实施范围\n\n"
        "全县农村义务教育学校，涉及学生见下表。\n\n"
        "表1 学生分布\n\n"
        "| 乡镇 | 学校 | 学生数 |\n"
        "| --- | --- | --- |\n"
        "| 河西镇 | 河西中心小学 | 420 |\n"
        "| 河西镇 | 河西中学 | 380 |\n"
        "| 滨河镇 | 滨河小学\\|分校 | 300 |\n\n"
        "## 二、补助标准\n\n"
        "| 项目 | 标准（元/生/天） |\n"
        "| --- | --- |\n"
        "| 营养膳食补助 | 5 |\n")
    # No 文号 and no 公开属性 附注: both named, neither guessed.
    assert {(p.field, p.severity) for p in problems} == {("文号", Severity.WARNING), ("公开属性", Severity.WARNING)}
    valid_with(imported.front, topic="教育", published="2024-05-24", disclosure="主动公开")


# --- a 督查通报 in a series -------------------------------------------------------------------------

def bulletin(path):
    g = Gongwen()
    g.p("政务督查", CENTER)
    g.p("第3期", CENTER)
    g.p("安澜县人民政府督查室　　　　　　2025年6月10日")
    g.p()
    g.p("关于2025年第一季度重点工作推进情况的督查通报", CENTER)
    g.p("各乡镇人民政府，县直各单位：")
    g.p("　　县政府督查室对第一季度重点工作推进情况开展了督查。现将有关情况通报如下。")
    g.p("一、总体情况")
    g.p("全县42项重点工作中，已完成序时进度的38项。")
    g.p("二、存在问题")
    g.p("（一）项目推进慢。个别项目前期工作滞后。")
    g.p("报：县委、县政府领导。")
    g.p("送：各乡镇人民政府，县直各单位。")
    return g.save(path / "督查.docx")


def test_series_bulletin(tmp_path):
    imported, problems = read(bulletin(tmp_path))
    assert errors(problems) == []
    assert imported.unit_id == "zfb" and imported.slug == "2025-zwdc-3"
    assert imported.front == {
        "title": "《政务督查》第3期：关于2025年第一季度重点工作推进情况的督查通报", "issuers": ["zfb"],
        "genre": "督查通报", "topic": PLACEHOLDER, "written": dt.date(2025, 6, 10), "published": PLACEHOLDER,
        "disclosure": PLACEHOLDER, "series": "政务督查", "issue": 3,
    }
    assert imported.body == (
        "各乡镇人民政府，县直各单位：\n\n"
        "县政府督查室对第一季度重点工作推进情况开展了督查。现将有关情况通报如下。\n\n"
        "## 一、总体情况\n\n全县42项重点工作中，已完成序时进度的38项。\n\n"
        "## 二、存在问题\n\n（一）项目推进慢。个别项目前期工作滞后。\n")
    assert [p.field for p in problems] == ["公开属性"]
    valid_with(imported.front, topic="综合政务\\政务督查", published="2025-06-12", disclosure="主动公开")


def test_genre_from_the_title():
    assert genre_of("关于印发《安澜县2024年政务公开工作要点》的通知") == "通知"
    assert genre_of("安澜县农村宅基地管理办法（试行）") == "管理办法"
    assert genre_of("关于2025年一季度工作的督查通报") == "通报"
    assert genre_of("关于2025年一季度工作的督查通报", "政务督查") == "督查通报"
    assert genre_of("关于同意设立安澜县乡村振兴示范区的批复") == "批复"
    assert genre_of("安澜县政务公开工作情况") is None


def test_pinyin_initials_of_agency_codes():
    assert initials("安府办发") == "afbf"
    assert initials("安自然资发") == "azrzf"
    assert initials("政务督查") == "zwdc"
    assert initials("ＡＢ发") == "abf"


# --- other layouts ----------------------------------------------------------------------------------

def test_request_with_signer_and_withheld(tmp_path):
    """上行文: 文号 on the 签发人 line; （此件不予公开） is kept as 不予公开 (the site does not publish it)."""
    g = Gongwen()
    g.p("安澜县人民政府办公室", CENTER)
    g.p("安府办文（2024）8号　　　　　　签发人：王五")
    g.p("关于申请安排2024年政务服务中心改造资金的请示", CENTER)
    g.p("县人民政府：")
    g.p("为提升政务服务水平，拟对县政务服务中心进行改造。妥否，请批示。")
    g.p("安澜县人民政府办公室", RIGHT)
    g.p("2024年4月2日", RIGHT)
    g.p("（此件不予公开）")
    imported, problems = read(g.save(tmp_path / "请示.docx"))
    assert problems == []
    assert imported.front["doc_no"] == "安府办文〔2024〕8号"
    assert imported.front["genre"] == "请示" and imported.front["disclosure"] == "不予公开"
    assert imported.body == "县人民政府：\n\n为提升政务服务水平，拟对县政务服务中心进行改造。妥否，请批示。\n"


def test_joint_document_names_every_issuer(tmp_path):
    g = Gongwen()
    g.p("安澜县教育局", CENTER)
    g.p("安澜县财政局", CENTER)
    g.p("文件", CENTER)
    g.p("安教发〔2024〕12号", CENTER)
    g.p("关于下达2024年学生资助资金的通知", CENTER)
    g.p("各学校：")
    g.p("现将资金下达给你们。")
    g.p("安澜县教育局", RIGHT)
    g.p("安澜县财政局", RIGHT)
    g.p("2024年6月1日", RIGHT)
    g.p("（此件公开发布）")
    imported, problems = read(g.save(tmp_path / "联合.docx"))
    assert problems == []
    assert imported.front["issuers"] == ["jyj", "czj"] and imported.unit_id == "jyj"
    assert imported.slug == "2024-ajf-12"
    assert imported.body == "各学校：\n\n现将资金下达给你们。\n"


def test_masthead_in_a_text_box(tmp_path):
    """Templates often put the 发文机关标志 in a text box, which has no paragraph of its own text."""
    g = Gongwen()
    g.p()._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:t>安澜县财政局文件</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    g.p("安财发〔2024〕4号", CENTER)
    g.p("关于做好2024年预算公开工作的通知", CENTER)
    g.p("各预算单位：")
    g.p("请按时公开部门预算。")
    g.p("2024年2月20日", RIGHT)
    g.p("（此件公开发布）")
    imported, problems = read(g.save(tmp_path / "预算.docx"))
    assert problems == []
    assert imported.unit_id == "czj" and imported.front["issuers"] == ["czj"]


def test_word_headings_numbering_and_markdown_marks(tmp_path):
    g = Gongwen()
    g.p("安府办发〔2024〕9号", CENTER)
    g.p("关于加强政务新媒体管理的通知", CENTER)
    g.p("各乡镇：")
    g.doc.add_paragraph("工作安排", style="Heading 1")
    g.doc.add_paragraph("每月检查一次。", style="List Number")
    g.p("1. 账号*清理*要_彻底_，<不留>死角。")
    g.p("# 号开头的一段")
    g.p("安澜县人民政府办公室", RIGHT)
    g.p("2024年9月2日", RIGHT)
    g.p("（此件公开发布）")
    imported, problems = read(g.save(tmp_path / "新媒体.docx"))
    assert imported.body == ("各乡镇：\n\n## 工作安排\n\n每月检查一次。\n\n"
                             "1\\. 账号\\*清理\\*要\\_彻底\\_，&lt;不留>死角。\n\n\\# 号开头的一段\n")
    [problem] = problems  # 每月检查一次 is numbered by Word: its number is not in the text
    assert (problem.line, problem.severity) == (5, Severity.WARNING) and "自动编号" in problem.message


def test_embedded_ole_package_is_reported_not_written(tmp_path):
    g = Gongwen()
    g.p("安澜县人民政府办公室文件", CENTER)
    g.p("安府办发〔2024〕7号", CENTER)
    g.p("关于公布2024年政务公开考核结果的通报", CENTER)
    g.p("各乡镇：")
    g.p("考核结果见附件。")
    g.p("附件：考核结果")
    g.p("安澜县人民政府办公室", RIGHT)
    g.p("2024年12月30日", RIGHT)
    g.p("（此件公开发布）")
    g.p("附件")
    g.p("考核结果", CENTER)
    g.embed("oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), CT.OFC_OLE_OBJECT, RT.OLE_OBJECT,
            "Package")
    imported, problems = read(g.save(tmp_path / "通报.docx"))
    assert imported.attachments == []
    assert imported.front["attachments"] == [{"title": "考核结果", "file": PLACEHOLDER}]
    assert sorted((p.field, p.line, p.severity) for p in problems) == [
        ("附件", 6, Severity.WARNING), ("附件", 12, Severity.WARNING)]
    assert any("Package" in p.message for p in problems)


# --- refused --------------------------------------------------------------------------------------

def test_classified_document_is_refused(tmp_path):
    g = Gongwen()
    g.p("秘密★1年")
    g.p("特急")
    g.p("安澜县人民政府办公室文件", CENTER)
    g.p("安府办发〔2024〕5号", CENTER)
    g.p("关于做好防汛工作的通知", CENTER)
    g.p("各乡镇：")
    g.p("请做好防汛工作。")
    g.p("二〇二四年五月二十日")
    imported, problems = read(g.save(tmp_path / "密件.docx"))
    assert imported is None
    [problem] = problems
    assert (problem.path, problem.line, problem.field, problem.severity) == (
        "import/密件.docx", 1, "涉密状态", Severity.ERROR)
    assert "秘密★1年" in problem.message


def test_a_letter_is_not_a_gongwen(tmp_path):
    g = Gongwen()
    g.p("张三同志：")
    g.p("你好！来信收悉，我们将认真研究。")
    g.p("李四")
    imported, problems = read(g.save(tmp_path / "来信.docx"))
    assert imported is None
    [problem] = problems
    assert problem.severity is Severity.ERROR and problem.field == "文号"
    assert "来信.docx" in problem.message and "gongkai new document" in problem.hint


@pytest.mark.parametrize("content, kind", [
    (b"PK\x03\x04" + bytes(60), "unknown"),  # a zip cut short
    (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "pdf"),  # a PDF renamed .docx
])
def test_not_a_docx(tmp_path, content, kind):
    path = tmp_path / "文件.docx"
    path.write_bytes(content)
    imported, [problem] = read(path)
    assert imported is None
    assert (problem.path, problem.line, problem.severity) == ("import/文件.docx", 1, Severity.ERROR)
    assert problem.hint == REFUSED[kind]


def test_damaged_docx(tmp_path):
    path = tmp_path / "坏.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body>")
    imported, [problem] = read(path)
    assert imported is None and problem.severity is Severity.ERROR
    assert "cannot be opened" in problem.message


def unknown_issuer(path):
    g = Gongwen()
    g.p("安澜县林业局文件", CENTER)
    g.p("安林发〔2024〕2号", CENTER)
    g.p("关于做好森林防火工作的通知", CENTER)
    g.p("各乡镇：")
    g.p("请做好森林防火工作。")
    g.p("安澜县林业局", RIGHT)
    g.p("2024年2月1日", RIGHT)
    g.p("（此件公开发布）")
    return g.save(path / "林业.docx")


def test_issuer_matching_no_unit(tmp_path):
    imported, [problem] = read(unknown_issuer(tmp_path))
    assert imported is None
    assert (problem.line, problem.field, problem.severity) == (1, "发文机关", Severity.ERROR)
    assert "安澜县林业局" in problem.message and "--unit" in problem.hint


def test_unit_given(tmp_path):
    imported, [problem] = read(unknown_issuer(tmp_path), unit="zrzyj")
    assert imported.unit_id == "zrzyj" and imported.front["issuers"] == ["zrzyj"]
    assert (problem.field, problem.severity) == ("发文机关", Severity.WARNING)
    assert imported.front["title"] == "关于做好森林防火工作的通知"


def test_unknown_unit_given(tmp_path):
    imported, [problem] = read(unknown_issuer(tmp_path), unit="zrzj")
    assert imported is None and "zrzj" in problem.message and "zrzyj" in problem.hint


def test_issuer_naming_two_units(tmp_path):
    units = {**UNITS, "lyj": {"name": "安澜县林业局", "type": "县直部门"},
             "lyj2": {"name": "安澜县林业和草原局", "aliases": ["安澜县林业局"], "type": "县直部门"}}
    imported, problems = read_document(unknown_issuer(tmp_path), "林业.docx", matcher(units))
    assert imported is None
    [problem] = problems
    assert problem.field == "发文机关" and "lyj" in problem.message and "lyj2" in problem.message


# --- the command: files written under content/, updates, all or nothing ----------------------------

import shutil  # noqa: E402

import yaml  # noqa: E402

from conftest import ROOT, tree_hashes  # noqa: E402
from gongkai.cli import main  # noqa: E402


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def run_import(capsys, *args):
    code = main(["import", "document", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def front_of(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_command_imports_a_folder_with_attachments(tmp_path, content, capsys):
    folder = tmp_path / "公文"
    folder.mkdir()
    notice(folder)
    plan(folder)
    code, out, err = run_import(capsys, str(folder), "--published", "2024-03-08", "--content", str(content))
    assert code == 0, err
    written = content / "units/zfb/documents/2024-afbf-3.md"
    data = front_of(written)
    assert data["doc_no"] == "安府办发〔2024〕3号" and data["published"] == dt.date(2024, 3, 8)
    assert data["attachments"][0] == {"title": "安澜县2024年政务公开重点任务分工表", "file": "files/2024-afbf-3-2.xlsx"}
    assert (content / "units/zfb/documents/files/2024-afbf-3-2.xlsx").read_bytes() == XLSX
    assert (content / "units/zfb/documents/files/2024-afbf-3-1.png").read_bytes() == BODY_PICTURE
    assert "![图1](files/2024-afbf-3-1.png)" in written.read_text(encoding="utf-8")
    assert "新增 units/jyj/documents/" in out
    # The closing check names what is left to the editor: the 主题分类 here.
    assert "2024-afbf-3.md:" in out and "still to fill in (主题分类)" in out


def test_command_update_keeps_the_editors_fields(tmp_path, content, capsys):
    source = notice(tmp_path)
    assert run_import(capsys, str(source), "--content", str(content))[0] == 0
    written = content / "units/zfb/documents/2024-afbf-3.md"
    edited = written.read_text(encoding="utf-8").replace("topic: 待填写", "topic: 综合政务\\政务公开").replace(
        "published: 待填写", "published: 2024-03-08\nsummary: 部署2024年政务公开工作。")
    edited += "\n相关解读：[图解](../2024-jd/)\n"  # the editor's addition to the text
    written.write_text(edited, encoding="utf-8")
    before = tree_hashes(content)
    code, out, err = run_import(capsys, str(source), "--content", str(content))
    assert code == 1 and "is already in units/zfb/documents/2024-afbf-3.md; give --update" in err
    code, out, err = run_import(capsys, str(source), "--update", "--content", str(content))
    assert code == 0 and "0 new, 0 updated, 1 unchanged" in err
    assert "warning: 正文: the 公文's text differs from units/zfb/documents/2024-afbf-3.md's; the file's is kept" in err
    assert tree_hashes(content) == before and written.read_text(encoding="utf-8") == edited


def test_command_refuses_a_classified_file_and_writes_nothing(tmp_path, content, capsys):
    folder = tmp_path / "公文"
    folder.mkdir()
    notice(folder)
    g = Gongwen()
    for line in ("机密★5年", "安澜县人民政府办公室文件", "安府办发〔2024〕9号", "关于某事项的通知", "各乡镇：", "正文。",
                 "二〇二四年五月二十日"):
        g.p(line)
    g.save(folder / "密件.docx")
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "旧文件.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    before = tree_hashes(content)
    code, out, err = run_import(capsys, str(folder), "--content", str(content))
    assert code == 1 and tree_hashes(content) == before and "nothing written" in err
    assert "密件.docx:1:1: error: 涉密状态:" in err
    # Found in a folder, what cannot be imported is skipped with a warning; named, it is an error.
    assert "扫描件.pdf:1:1: warning: cannot import this file (skipped)" in err
    assert "旧文件.wps:1:1: warning:" in err and "save it as .docx" in err
    code, out, err = run_import(capsys, str(folder / "扫描件.pdf"), "--content", str(content))
    assert code == 1 and "扫描件.pdf:1:1: error: " in err


@pytest.mark.parametrize("marking", ["密级：秘密", "秘密（1年）", "【秘密】", "★秘密", "秘密·1年", "机密▲", "秘密 一年",
                                     "绝密★启用前", "header:秘密★1年", "footer:机密", "even:秘密★1年",
                                     "秘\u200b密★1年"])
def test_every_way_offices_type_a_classification_is_refused(tmp_path, marking):
    g = Gongwen()
    where, _, text = marking.rpartition(":") if marking.startswith(("header:", "footer:", "even:")) else ("", "", marking)
    if where == "even":  # a template with odd and even page headers
        g.doc.settings.odd_and_even_pages_header_footer = True
        g.doc.sections[0].even_page_header.paragraphs[0].text = text
    elif where:
        section = g.doc.sections[0]
        (section.header if where == "header" else section.footer).paragraphs[0].text = text
    else:
        g.p(text)
    for line in ("安澜县人民政府办公室文件", "安府办发〔2024〕5号", "关于做好保守商业秘密工作的通知", "各乡镇：",
                 "请做好工作。", "二〇二四年五月二十日"):
        g.p(line)
    imported, problems = read(g.save(tmp_path / "件.docx"))
    assert imported is None and [p.field for p in problems] == ["涉密状态"], problems
    assert text in problems[0].message


def test_doc_no_with_di_and_the_fourth_heading_level(tmp_path):
    g = Gongwen()
    for line in ("安澜县人民政府办公室文件", "安府办发〔2024〕第7号", "关于开展安全检查的通知", "各乡镇："):
        g.p(line, CENTER if "文件" in line or "号" in line or "通知" in line else None)
    for line in ("一、检查范围", "（一）重点场所", "1.人员密集场所", "（1）商场", "请认真落实。", "二〇二四年六月一日"):
        g.p(line)
    imported, problems = read(g.save(tmp_path / "通知.docx"))
    assert imported.front["doc_no"] == "安府办发〔2024〕7号" and imported.front["title"] == "关于开展安全检查的通知"
    assert "## 一、检查范围\n\n### （一）重点场所\n\n#### 1.人员密集场所\n\n##### （1）商场" in imported.body
