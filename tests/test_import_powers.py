"""`gongkai import powers`: a county's 权责清单 spreadsheets into item files.

The fixtures are built with the libraries counties' files come from (openpyxl for .xlsx, xlwt for
.xls, msoffcrypto-tool for a password), laid out as real lists are: title rows, a two-row header
under a merged group, 子项 in rows under a merged name, a section row, free-text citations."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from conftest import ROOT, tree_hashes
from gongkai.cli import main
from gongkai.importing import values
from gongkai.model import load_catalog

CITE = ("1.[法律]《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度。\n"
        "2.[部门规章]《食品经营许可和备案管理办法》第四条、第十条")
DUTY = ("1.受理阶段责任：公示应当提交的材料，一次性告知补正材料。2.审查阶段责任：对申请材料进行审查。"
        "3.决定阶段责任：作出决定。4.其他法律法规规章文件规定应履行的责任。")


@pytest.fixture
def content(tmp_path) -> Path:
    """The sample county's units and vocabularies, without its power items."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    for item in target.glob("units/*/powers/*.md"):
        item.unlink()
    return target


def county_list(path: Path) -> Path:
    """Two sheets: one of a unit's list with title rows and a two-row header, one with codes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "行政许可"
    ws.append(["安澜县市场监督管理局权责清单"])
    ws.append(["（2024年版）"])
    ws.append(["序号", "事项名称", None, "权力类型", "设定依据", "责任主体", None, "责任事项", "追责情形", "备注"])
    ws.append([None, "主项", "子项", None, None, "实施主体", "承办机构", None, None, None])
    ws.append([1, "食品经营许可", "新办", "行政许可", CITE, "县市场监管局", "食品安全监督管理股", DUTY,
               "1.对符合条件的不予受理的；2.违法准予许可的。", "实行告知承诺制。"])
    ws.append([None, None, "变更"])
    ws.append([None, None, "延续"])
    ws.append([2, "药品零售企业检查", None, "其他职权", "《中华人民共和国药品管理法》第九十九条", "安澜县市场监管局"])
    ws.append(["二、行政处罚"])
    ws.append([3, "对未取得食品经营许可从事食品经营活动的处罚", None, None,
               "《中华人民共和国食品安全法》第一百二十二条", "市场监管局", "综合行政执法大队"])
    for rng in ("A1:J1", "A2:J2", "A3:A4", "B3:C3", "D3:D4", "E3:E4", "F3:G3", "H3:H4", "I3:I4", "J3:J4",
                "A5:A7", "B5:B7", "D5:D7", "E5:E7", "F5:F7", "G5:G7", "H5:H7", "I5:I7", "J5:J7", "A9:J9"):
        ws.merge_cells(rng)
    ws2 = wb.create_sheet("自然资源")
    ws2.append(["职权编码", "职权名称", "职权类型", "实施依据", "行使主体", "廉政风险点", "法定时限"])
    ws2.append(["ZRZY-XK-900", "采矿权新立登记", "行政许可", "见附件", "县自然资源局", "1.违规审批；2.收受财物", "二十个工作日"])
    wb.save(path)
    return path


def run_import(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def test_a_county_workbook_becomes_item_files(tmp_path, content, capsys):
    source = county_list(tmp_path / "清单.xlsx")
    code, out, err = run_import(capsys, "powers", str(source), "--content", str(content))
    assert code == 0, err
    # The report shows where each column went.
    assert "行政许可: header on row 3–4, 3 item(s)" in out
    assert "F 责任主体/实施主体 → 实施主体 (the unit)" in out and "G 责任主体/承办机构 → handled_by (承办机构)" in out
    licence = front(content / "units/scjgj/powers/XK-001.md")
    assert licence == {
        "code": "SCJGJ-XK-001", "name": "食品经营许可", "sub_items": ["新办", "变更", "延续"], "category": "行政许可",
        "basis": [{"law": "中华人民共和国食品安全法", "article": "第三十五条", "level": "法律"},
                  {"law": "食品经营许可和备案管理办法", "article": "第四条、第十条", "level": "规章"}],
        "handled_by": "食品安全监督管理股",
        "responsibilities": [{"stage": "受理", "duty": "公示应当提交的材料，一次性告知补正材料。"},
                             {"stage": "审查", "duty": "对申请材料进行审查。"}, {"stage": "决定", "duty": "作出决定。"},
                             {"stage": "其他", "duty": "其他法律法规规章文件规定应履行的责任。"}],
        "accountability": ["对符合条件的不予受理的；", "违法准予许可的。"]}
    assert (content / "units/scjgj/powers/XK-001.md").read_text(encoding="utf-8").endswith("---\n实行告知承诺制。\n")
    # 其他职权 is 其他行政权力; the county's name in front of a short name finds the unit.
    assert front(content / "units/scjgj/powers/QT-001.md")["category"] == "其他行政权力"
    # The section row 二、行政处罚 gives the category of the rows under it; an alias finds the unit.
    penalty = front(content / "units/scjgj/powers/CF-001.md")
    assert penalty["category"] == "行政处罚" and penalty["handled_by"] == "综合行政执法大队"
    # The sheet's own code is kept; a citation it cannot read is 待填写, reported with its cell.
    mining = front(content / "units/zrzyj/powers/ZRZY-XK-900.md")
    assert mining["basis"] == [{"law": "待填写"}] and mining["statutory_limit"] == 20
    assert mining["risks"] == ["违规审批；", "收受财物"]
    assert "清单.xlsx:2:4: warning: 设定依据: 自然资源!D2: '见附件' could not be read; written as 待填写" in err
    # The check of what was written ends the run: the 待填写 is the editor's next step.
    checked = next(line for line in out.splitlines() if "ZRZY-XK-900.md" in line and "still to fill in" in line)
    assert ": error: basis.0.law: still to fill in" in checked and "项权责事项" in err


def test_xls_with_merged_cells_reads_as_the_xlsx(tmp_path, content, capsys):
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("权责清单")
    sheet.write_merge(0, 0, 0, 4, "安澜县自然资源局权责清单")
    for col, name in enumerate(["序号", "权责事项", "子项名称", "权力类别", "法律依据"]):
        sheet.write(1, col, name)
    sheet.write_merge(2, 3, 0, 0, 1)
    sheet.write_merge(2, 3, 1, 1, "建设用地规划许可")
    sheet.write(2, 2, "划拨用地")
    sheet.write(3, 2, "出让用地")
    sheet.write_merge(2, 3, 3, 3, "许可")
    sheet.write_merge(2, 3, 4, 4, "《中华人民共和国城乡规划法》第三十七条、第三十八条")
    path = tmp_path / "old.xls"
    book.save(str(path))
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 0, err
    item = front(content / "units/zrzyj/powers/XK-001.md")  # the unit from the title row
    assert item["name"] == "建设用地规划许可" and item["sub_items"] == ["划拨用地", "出让用地"]
    assert item["category"] == "行政许可"
    assert item["basis"] == [{"law": "中华人民共和国城乡规划法", "article": "第三十七条、第三十八条", "level": "法律"}]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_the_encodings_offices_write(tmp_path, content, capsys, encoding):
    text = ("事项名称,权力类型,设定依据,实施主体,承诺时限,是否网办\r\n"
            "殡葬服务机构设立审批,行政许可,《殡葬管理条例》第八条,县民政局,10个工作日,是\r\n")
    path = tmp_path / "民政.csv"
    path.write_bytes(text.encode(encoding))
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 0, err
    item = front(next((content / "units/mzj/powers").glob("XK-*.md")))
    assert item["name"] == "殡葬服务机构设立审批" and item["promised_limit"] == 10 and item["online"] is True
    assert item["basis"] == [{"law": "殡葬管理条例", "article": "第八条", "level": "行政法规"}]


def exported_powers(tmp_path: Path) -> tuple[Path, list]:
    """The sample site's own powers.xlsx (the open-data download) and the items it holds."""
    from gongkai.export.data import data_files

    catalog, _ = load_catalog(ROOT / "content", today=dt.date(2026, 11, 21))
    path = tmp_path / "powers.xlsx"
    path.write_bytes(data_files(catalog)["data/powers.xlsx"])
    return path, catalog.powers


EXPORTED = ("code", "name", "category", "sub_items", "handled_by", "level", "statutory_limit", "promised_limit",
            "fee", "conditions", "materials", "place", "online", "visits", "supervision", "supervision_phone")


def test_the_sites_own_export_reproduces_its_items(tmp_path, content, capsys):
    source, items = exported_powers(tmp_path)
    code, out, err = run_import(capsys, "powers", str(source), "--content", str(content))
    assert code == 0, err
    assert "汇总: no header row found" in out  # the summary sheet is not a list
    imported, _ = load_catalog(content, today=dt.date(2026, 11, 21))
    by_code = {item.code: item for item in imported.powers}
    assert len(by_code) == len(items) > 100
    for item in items:
        again = by_code[item.code]
        assert again.unit_id == item.unit_id, item.code
        assert {f: getattr(again, f) for f in EXPORTED} == {f: getattr(item, f) for f in EXPORTED}, item.code
        assert [c.model_dump() for c in again.basis] == [c.model_dump() for c in item.basis], item.code
        assert [(s.date, s.action, s.document) for s in again.status] == \
               [(s.date, s.action, s.document) for s in item.status], item.code


def test_importing_the_export_over_its_own_items_changes_nothing(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    source, _ = exported_powers(tmp_path)
    before = tree_hashes(content)
    code, out, err = run_import(capsys, "powers", str(source), "--update", "--content", str(content))
    assert code == 0, err
    assert "0 new, 0 updated" in err and tree_hashes(content) == before


def test_a_second_import_updates_only_what_the_sheet_holds(tmp_path, content, capsys):
    source = county_list(tmp_path / "清单.xlsx")
    assert run_import(capsys, "powers", str(source), "--content", str(content))[0] == 0
    item = content / "units/scjgj/powers/XK-001.md"
    # Editors add what no sheet holds: a comment, the status history, a procedure, a fee.
    edited = item.read_text(encoding="utf-8").replace(
        "handled_by:", "# 2024年机构改革后由审批股承办\nhandled_by:").replace(
        "\n---\n", "\nfee: 不收费\nstatus:\n  - action: 新增\n    date: 2024-01-10\n    document: 安府发〔2024〕1号\n"
                   "procedure:\n  template: 行政许可\n---\n", 1)
    item.write_text(edited, encoding="utf-8")
    # Without --update, an existing item stops the import: nothing is written.
    before = tree_hashes(content)
    code, out, err = run_import(capsys, "powers", str(source), "--content", str(content))
    assert code == 1 and "is already in units/scjgj/powers/XK-001.md; give --update" in err
    assert tree_hashes(content) == before
    # The county changes a citation and a 子项: --update replaces those fields' lines only.
    from openpyxl import load_workbook

    wb = load_workbook(source)
    wb["行政许可"]["E5"] = CITE.replace("第四条、第十条", "第十二条")
    wb["行政许可"]["C7"] = None
    wb.save(source)
    code, out, err = run_import(capsys, "powers", str(source), "--update", "--content", str(content))
    assert code == 0, err
    assert "更新 units/scjgj/powers/XK-001.md  SCJGJ-XK-001 食品经营许可: 子项 (3 → 2), 设定依据 (2 → 2)" in out
    assert "0 new, 1 updated" in err
    after = item.read_text(encoding="utf-8")
    assert after == edited.replace("第四条、第十条", "第十二条").replace("  - 延续\n", "")
    assert "# 2024年机构改革后由审批股承办" in after and "template: 行政许可" in after


def test_dry_run_reports_and_writes_nothing(tmp_path, content, capsys):
    source = county_list(tmp_path / "清单.xlsx")
    before = tree_hashes(content)
    code, out, err = run_import(capsys, "powers", str(source), "--dry-run", "--content", str(content))
    assert code == 0 and "新增 units/scjgj/powers/XK-001.md  SCJGJ-XK-001 食品经营许可" in out
    assert "--dry-run: nothing written" in err and tree_hashes(content) == before


def test_codes_continue_the_units_own_and_are_never_reused(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = tmp_path / "new.csv"
    path.write_text("事项名称,权力类型,设定依据,实施主体\n新的许可,行政许可,《某某条例》第一条,县自然资源局\n"
                    "另一项许可,行政许可,《某某条例》第二条,县自然资源局\n", encoding="utf-8")
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 0, err
    taken = sorted(p.name for p in (content / "units/zrzyj/powers").glob("XK-*.md"))
    assert taken[-2:] == ["XK-007.md", "XK-008.md"]  # the sample's zrzyj has XK-001 … XK-006
    assert front(content / "units/zrzyj/powers/XK-007.md")["code"] == "ZRZY-XK-007"


def test_vocabulary_extends_the_column_and_category_names(tmp_path, content, capsys):
    (content / "_vocab/import-columns.yml").write_text(
        "columns:\n  承办机构: [牵头股室]\ncategories:\n  行政检查: [日常巡查]\n", encoding="utf-8")
    path = tmp_path / "x.csv"
    path.write_text("事项名称,类型,依据,实施主体,牵头股室\n农贸市场巡查,日常巡查,《某某条例》第一条,县市场监管局,市场股\n",
                    encoding="utf-8")
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 0, err
    item = front(content / "units/scjgj/powers/JC-001.md")
    assert item["category"] == "行政检查" and item["handled_by"] == "市场股"
    (content / "_vocab/import-columns.yml").write_text("columns:\n  承办单位x: [甲]\n", encoding="utf-8")
    code, out, err = run_import(capsys, "powers", str(path), "--dry-run", "--content", str(content))
    assert code == 1 and "content/_vocab/import-columns.yml:2:10: error: columns: '承办单位x' is not a field" in err


def workbook_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = [["事项名称", "权力类型", "设定依据", "实施主体"], ["甲许可", "行政许可", "《某某条例》第一条", "县民政局"]]


def encrypted(tmp_path: Path) -> bytes:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain, out = io.BytesIO(workbook_bytes(GOOD)), io.BytesIO()
    OOXMLFile(plain).encrypt("123456", out)
    return out.getvalue()


BAD = {
    "no header.xlsx": (lambda tmp: workbook_bytes([["安澜县权责清单"], ["说明：见下表"], ["1", "甲", "乙"]]),
                       "no sheet has a recognisable header"),
    "locked.xlsx": (encrypted, "password-protected"),
    "broken.xlsx": (lambda tmp: workbook_bytes(GOOD)[:800], "not a spreadsheet"),
    "清单.wps": (lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "WPS"),
    "清单.pdf": (lambda tmp: b"%PDF-1.7\n" + b"x" * 100, "PDF"),
    "清单.ofd": (lambda tmp: b"PK\x03\x04" + b"\0" * 100, "OFD"),
    "two units.xlsx": (lambda tmp: workbook_bytes([GOOD[0], ["甲许可", "行政许可", "《某某条例》第一条", "县政府"]]),
                       "names 2 units"),
    "unknown type.xlsx": (lambda tmp: workbook_bytes([GOOD[0], ["甲许可", "行政神秘", "《某某条例》第一条", "县民政局"]]),
                          "Sheet!B2: '行政神秘' is not a power category"),
    "no unit.xlsx": (lambda tmp: workbook_bytes([GOOD[0], ["甲许可", "行政许可", "《某某条例》第一条", "县魔法局"]]),
                     "'县魔法局' is no unit of the site"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_a_located_error_and_nothing_is_written(tmp_path, content, capsys, name):
    make, expected = BAD[name]
    bad = tmp_path / name
    bad.write_bytes(make(tmp_path))
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes(GOOD))
    if name == "two units.xlsx":  # an alias two units share
        unit = content / "units/fgw/unit.md"
        unit.write_text(unit.read_text(encoding="utf-8").replace("aliases: [", "aliases: [县政府, "), encoding="utf-8")
    before = tree_hashes(content)
    code, out, err = run_import(capsys, "powers", str(good), str(bad), "--content", str(content))
    assert code == 1
    line = next((l for l in err.splitlines() if l.startswith(bad.as_posix())), "")
    assert ": error: " in line, err
    for part in expected.split(" … "):
        assert part in line, err
    assert "nothing written" in err and tree_hashes(content) == before


def test_a_word_document_is_pointed_to_the_document_import(tmp_path, content, capsys):
    docx = pytest.importorskip("docx")
    path = tmp_path / "通知.docx"
    docx.Document().save(path)
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 1 and "import it with 'gongkai import document'" in err


@pytest.mark.parametrize("text, expected", [
    ("《中华人民共和国行政许可法》第十二条", [("中华人民共和国行政许可法", "第十二条", "法律", "设定依据")]),
    ("设定依据：《A条例》第三条。实施依据：[规范性文件]《B目录》", [("A条例", "第三条", "行政法规", "设定依据"),
                                                   ("B目录", None, "规范性文件", "实施依据")]),
    # A law the quoted article text names is no citation of the item's.
    ("《海南省C条例》第五条第二款：……依照《D法》第九条处罚", [("海南省C条例", "第五条第二款", "地方性法规", "设定依据")]),
    ("1.《G法》第一条：依照《H法》处理。\n2.《I条例》第二条", [("G法", "第一条", "法律", "设定依据"),
                                               ("I条例", "第二条", "行政法规", "设定依据")]),
    ("《中华人民共和国 食品安全法》 第 三十五 条", [("中华人民共和国食品安全法", "第三十五条", "法律", "设定依据")]),
    ("《J法》第二十五条第一款第（三）项", [("J法", "第二十五条第一款第（三）项", "法律", "设定依据")]),
    ("国家有关规定", None),
    ("《E办法》第四条（规章·实施依据）；《F法》", [("E办法", "第四条", "规章", "实施依据"), ("F法", None, "法律", "设定依据")]),
    ("行政许可法第十二条；食品安全法第三十五条", [("行政许可法", "第十二条", "法律", "设定依据"),
                                       ("食品安全法", "第三十五条", "法律", "设定依据")]),
    ("见附件", None),
    ("无", []),
])
def test_citations_as_lists_write_them(text, expected):
    found = values.read_citations(text)
    assert (None if found is None else [(c["law"], c["article"], c["level"], c["kind"]) for c in found]) == expected


@pytest.mark.parametrize("text, expected", [
    ("1.甲；2.乙；3.丙", ["甲；", "乙；", "丙"]),
    ("（一）甲\n（二）乙", ["甲", "乙"]),
    ("①甲②乙", ["甲", "乙"]),
    ("甲；乙", ["甲", "乙"]),
    ("依法履行职责，不得违反第1.2条", ["依法履行职责，不得违反第1.2条"]),
    ("/", []),
])
def test_lists_in_one_cell(text, expected):
    assert values.split_list(text) == expected


@pytest.mark.parametrize("text, expected", [("20", 20), ("20个工作日", 20), ("二十个工作日", 20), ("即办", 0),
                                            ("法定20个工作日，承诺5个工作日", 20), ("无", ""), ("视情况而定", None)])
def test_time_limits(text, expected):
    assert values.read_days(text) == expected


def test_sub_item_rows_without_merged_cells_and_a_stray_note(tmp_path, content, capsys):
    """子项 rows that leave every other cell empty (no merges: a CSV) belong to the item above; a
    row with a 序号 and no name is an error at its cell, not a silent skip."""
    path = tmp_path / "sub.csv"
    path.write_text("序号,事项名称,子项,权力类型,设定依据,实施主体\n"
                    "1,食品生产许可,新办,行政许可,《中华人民共和国食品安全法》第三十五条,县市场监管局\n"
                    ",,变更,,,\n,,延续,,,\n"
                    "2,食品生产监督检查,,行政检查,《中华人民共和国食品安全法》第八十七条,县市场监管局\n", encoding="utf-8")
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 0, err
    assert front(content / "units/scjgj/powers/XK-001.md")["sub_items"] == ["新办", "变更", "延续"]
    assert front(content / "units/scjgj/powers/JC-001.md")["name"] == "食品生产监督检查"
    # A footer is no item; a row with its own 序号 and values but no name is an error at its cell.
    path.write_text(path.read_text(encoding="utf-8") + "3,,,行政许可,《某某条例》第一条,县市场监管局\n"
                    "注：本清单自公布之日起施行,,,,,\n合计,2项,,,,\n", encoding="utf-8")
    code, out, err = run_import(capsys, "powers", str(path), "--dry-run", "--update", "--content", str(content))
    assert code == 1 and "sub.csv:6:2: error: 名称: B6: the row has values but no 事项名称" in err
    assert "B7" not in err and "B8" not in err and "A7" not in err and "A8" not in err


def test_layouts_of_real_lists(tmp_path, content, capsys):
    """子项 numbered 1-1 under their item, a flattened list repeating the name on each 子项 row,
    a header repeated mid-sheet, a two-row header whose merge was lost, 其它 for 其他."""
    path = tmp_path / "layouts.csv"
    path.write_text("序号,事项名称,,权力类型,设定依据,实施主体\n"
                    ",主项,子项,,,\n"
                    "1,食品生产许可,,行政许可,《中华人民共和国食品安全法》第三十五条,县市场监管局\n"
                    "1-1,,新办,,,\n1-2,,变更,,,\n"
                    "序号,主项,子项,权力类型,设定依据,实施主体\n"
                    "2,特种设备使用登记,新装,行政许可,《中华人民共和国特种设备安全法》第三十三条,县市场监管局\n"
                    "2,特种设备使用登记,变更,行政许可,《中华人民共和国特种设备安全法》第三十三条,县市场监管局\n"
                    "3,广告发布登记,,其它行政权力（备案类）,《中华人民共和国广告法》第二十九条,县市场监管局\n",
                    encoding="utf-8")
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 0, err
    assert "header on row 1–2, 3 item(s)" in out
    assert front(content / "units/scjgj/powers/XK-001.md")["sub_items"] == ["新办", "变更"]
    assert front(content / "units/scjgj/powers/XK-002.md")["sub_items"] == ["新装", "变更"]
    assert front(content / "units/scjgj/powers/QT-001.md")["name"] == "广告发布登记"


def test_a_row_under_an_item_naming_another_type_or_unit_is_an_error(tmp_path, content, capsys):
    path = tmp_path / "x.csv"
    path.write_text("事项名称,子项,权力类型,设定依据,实施主体\n"
                    "食品经营许可,,行政许可,《中华人民共和国食品安全法》第三十五条,县市场监管局\n"
                    ",新办,,,\n,,行政检查,《某某条例》第二条,县民政局\n", encoding="utf-8")
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 1 and "x.csv:4:3: error: 权力类型: C4: the row continues '食品经营许可' (A2) but names another" in err
    assert "x.csv:4:5: error: 实施主体: E4:" in err


def test_update_keeps_an_editors_file_as_saved_and_their_detail(tmp_path, content, capsys):
    """A file saved with a byte-order mark and CRLF line ends (Notepad), its closing --- with a
    trailing space, a citation's 依据层级 the editor added: an update of the same sheet finds the
    item, changes nothing; a changed field is spliced in with the file's own line ends."""
    path = tmp_path / "x.csv"
    path.write_text("事项编码,事项名称,权力类型,设定依据,实施主体,承办机构\n"
                    "SCJG-XK-900,食品生产许可,行政许可,《食品生产许可管理办法》第二条,县市场监管局,审批股\n", encoding="utf-8")
    assert run_import(capsys, "powers", str(path), "--content", str(content))[0] == 0
    item = content / "units/scjgj/powers/SCJG-XK-900.md"
    text = item.read_text(encoding="utf-8").replace("  - law: 食品生产许可管理办法\n    article: 第二条\n",
                                                    "  - law: 食品生产许可管理办法\n    article: 第二条\n    level: 规章\n")
    text = text.replace("\n---\n", "\n---  \n", 1) if text.count("---\n") == 2 else text
    saved = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    item.write_bytes(saved)
    code, out, err = run_import(capsys, "powers", str(path), "--update", "--content", str(content))
    assert code == 0 and "0 new, 0 updated, 1 unchanged" in err and item.read_bytes() == saved
    path.write_text(path.read_text(encoding="utf-8").replace("审批股", "食品生产股"), encoding="utf-8")
    code, out, err = run_import(capsys, "powers", str(path), "--update", "--content", str(content))
    assert code == 0 and "承办机构: 审批股 → 食品生产股" in out
    assert item.read_bytes() == saved.replace("审批股".encode(), "食品生产股".encode())


def test_a_file_changed_between_reading_and_writing_stops_the_write(tmp_path, content):
    """Two imports, or an editor saving meanwhile: the file is not overwritten with a plan made
    from what it held before, and nothing of the import is written."""
    from gongkai.importing.item_files import plan_powers
    from gongkai.importing.plan import WriteError, write_outputs
    from gongkai.importing.powers import ImportedItem, Cell
    from gongkai.importing.sheets import Grid

    item = content / "units/scjgj/powers/XK-001.md"
    item.write_text("---\ncode: SCJG-XK-001\nname: 甲\ncategory: 行政许可\nbasis:\n  - law: 乙法\n"
                    "handled_by: 审批股\n---\n", encoding="utf-8")
    grid = Grid("Sheet1", [["事项名称"], ["甲"]])
    changed = ImportedItem("x.xlsx", Cell(grid, 1, 0), unit_id="scjgj", code="SCJG-XK-001",
                           values={"name": "甲", "category": "行政许可", "handled_by": "法规股"},
                           held={"name", "category", "handled_by"})
    new = ImportedItem("x.xlsx", Cell(grid, 2, 0), unit_id="scjgj",
                       values={"name": "丙", "category": "行政许可", "basis": [{"law": "丁法"}]}, held={"name"})
    outputs, _, problems = plan_powers(content, [changed, new], update=True)
    assert [o.action for o in outputs] == ["更新", "新增"] and problems == []
    item.write_text(item.read_text(encoding="utf-8").replace("审批股", "政务股"), encoding="utf-8")  # meanwhile
    before = tree_hashes(content)
    with pytest.raises(WriteError, match="XK-001.md was changed meanwhile"):
        write_outputs(content, outputs)
    assert tree_hashes(content) == before


def test_what_excel_hides_is_not_imported(tmp_path, content, capsys):
    """A hidden sheet (withdrawn items), a hidden row, a hidden superseded column before the
    visible one of the same name: left out, each with a warning."""
    wb = Workbook()
    ws = wb.active
    ws.append(["事项名称", "设定依据（2018版）", "设定依据", "权力类型", "实施主体"])
    ws.append(["甲许可", "《旧条例》第一条", "《新条例》第二条", "行政许可", "县民政局"])
    ws.append(["已取消的许可", "《旧条例》第三条", "《旧条例》第三条", "行政许可", "县民政局"])
    ws.column_dimensions["B"].hidden = True
    ws.row_dimensions[3].hidden = True
    gone = wb.create_sheet("已取消事项")
    gone.append(["事项名称", "权力类型", "设定依据", "实施主体"])
    gone.append(["乙许可", "行政许可", "《旧条例》第四条", "县民政局"])
    gone.sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    code, out, err = run_import(capsys, "powers", str(path), "--content", str(content))
    assert code == 0, err
    assert [front(p)["name"] for p in (content / "units/mzj/powers").glob("*.md")] == ["甲许可"]
    assert front(next((content / "units/mzj/powers").glob("*.md")))["basis"][0]["law"] == "新条例"
    assert "warning: 已取消事项: a hidden sheet; not imported" in err
    assert "Sheet!B1: the column '设定依据（2018版）' is hidden; not imported" in err
    assert "Sheet!A3: 1 hidden row(s) not imported (rows 3)" in err
