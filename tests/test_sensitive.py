"""Sensitive-data rules: ID numbers, mobile and bank card numbers, secrecy markings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import SMALL_SITE, gongkai_check, mkdocs_build, write_site
from gongkai.model import load_catalog
from gongkai.model.sensitive.detection import BANK_CARD, ID_CARD, MARKING, MOBILE, is_id_number, luhn, mask, scan

BUILD_DATE = dt.date(2026, 11, 21)


def id_number(first17: str) -> str:
    """A number with the check digit GB 11643-1999 gives it (computed here independently)."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    check = (12 - sum(int(d) * w for d, w in zip(first17, weights)) % 11) % 11
    return first17 + ("X" if check == 10 else str(check))


def card_number(first: str) -> str:
    """first + the Luhn check digit."""
    for digit in "0123456789":
        if luhn(first + digit):
            return first + digit
    raise AssertionError


ID = id_number("33010219850312457")
ID_X = next(id_number(f"1101051949123100{i}") for i in range(10) if id_number(f"1101051949123100{i}").endswith("X"))
CARD = card_number("622202123456789012")  # 19 digits
CARD16 = card_number("436742012345678")


def rules(text: str, contact: bool = False) -> list[tuple[str, str]]:
    return [(f.rule, f.masked) for f in scan(text, contact)]


# --- the rules on their own ------------------------------------------------------------------------

def test_id_number_check_digit():
    assert is_id_number(ID) and is_id_number(ID_X) and is_id_number(ID_X.lower())
    wrong = ID[:17] + str((int(ID[17]) + 1) % 10) if ID[17] != "X" else ID[:17] + "0"
    assert not is_id_number(wrong)
    assert not is_id_number("330102198502304574")  # 30 February: no such birth date
    assert rules(f"身份证号{ID}。") == [(ID_CARD, ID[:4] + "*" * 10 + ID[-4:])]
    assert rules(f"证号：{ID_X}") == [(ID_CARD, mask(ID_CARD, ID_X))]
    assert rules(wrong) == []


def test_legacy_15_digit_id_numbers():
    assert rules("旧证号330102850312457") == [(ID_CARD, "3301*******2457")]
    assert rules("330102851312457") == []  # month 13


def test_codes_that_look_like_numbers_are_not_findings():
    # 统一社会信用代码 and 索引号 of the sample: letters glued to the digits, impossible dates.
    for text in ("11469027008000001X", "11469027008010201P/2025-00021", "机构代码 11469027008010305W",
                 "项目代码 2020-469027-48-01-012345", "0898-66330135", "12345", "邮编 572300"):
        assert rules(text) == [], text


def test_mobile_numbers():
    assert rules("联系电话13907861024。") == [(MOBILE, "139****1024")]
    assert rules("139-0786-1024 或 139 0786 1025") == [(MOBILE, "139****1024"), (MOBILE, "139****1025")]
    assert rules("12907861024") == []  # 12x is not a mobile prefix
    assert rules("813907861024") == [] and rules("139078610245") == []  # inside longer runs
    assert rules("13907861024", contact=True) == []  # a public contact field


def test_bank_cards():
    assert rules(f"账号{CARD}") == [(BANK_CARD, CARD[:4] + "*" * 11 + CARD[-4:])]
    assert rules(f"卡号 {CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}") == [(BANK_CARD, mask(BANK_CARD, CARD16))]
    not_luhn = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert rules(not_luhn) == []
    # ID and card rules never both report one number, and an ID is never mistaken for a mobile.
    assert [r for r, _ in rules(ID)] == [ID_CARD]


@pytest.mark.parametrize("text", ["秘密★1年", "机密★", "绝密 ☆", "密级：秘密", "密级:机密", "机密",
                                  "【绝密】", "内部资料", "内部文件 注意保管", "此件不宜公开"])
def test_secrecy_markings(text):
    assert rules(text) and all(rule == MARKING for rule, _ in rules(text))


@pytest.mark.parametrize("text", ["泄露申请人商业秘密或者个人信息。", "涉及国家秘密的公文按保密规定另行办理",
                                  "保守工作秘密", "对不宜公开的内容作删除处理", "机密文件的管理", "秘密地"])
def test_prose_about_secrets_is_not_a_marking(text):
    assert rules(text) == []


@pytest.mark.parametrize("text", ["张某", "138****5678", "3301**********1234", "6222 **** **** 0128"])
def test_masked_forms_pass(text):
    assert rules(text) == []


# --- in content files, through load_catalog --------------------------------------------------------

def problems_of(root: Path, files: dict[str, str]) -> list:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    _, problems = load_catalog(root / "content", today=BUILD_DATE)
    return problems


GUIDE = "content/units/zrj/guides/xk-001.md"


def test_located_and_masked_in_front_matter_and_body(fresh_site: Path):
    text = SMALL_SITE[GUIDE].replace("promised_limit: 10\n", f"promised_limit: 10\nplace: 县政务中心，联系人手机 13907861024\n")
    text += f"申请人身份证号：{ID}\n\n> 秘密★1年\n"
    problems = problems_of(fresh_site, {GUIDE: text})
    lines = text.split("\n")
    found = [(p.line, p.column, p.field, p.message, p.severity.value) for p in problems]
    place_line = next(i for i, s in enumerate(lines, 1) if s.startswith("place:"))
    id_line = next(i for i, s in enumerate(lines, 1) if ID in s)
    assert found == [
        (place_line, lines[place_line - 1].index("139") + 1, "place", f"{MOBILE} '139****1024'", "error"),
        (id_line, lines[id_line - 1].index(ID) + 1, "", f"{ID_CARD} '{mask(ID_CARD, ID)}'", "error"),
        (id_line + 2, 3, "", f"{MARKING} '秘密★'", "error"),
    ]
    everything = "\n".join(p.format() for p in problems)
    assert "13907861024" not in everything and ID not in everything


def test_mobile_numbers_only_in_public_contact_fields(fresh_site: Path):
    unit = "content/units/zrj/unit.md"
    text = SMALL_SITE[unit].replace("phone: 0000-1234567\n", """\
phone: 13907861024
supervision_phone: 13907861025
contacts:
  - label: 值班
    phone: 139 0786 1026
roster:
  - role: 网格员
    name: 李某
    phone: "13907861027"
    duties: 手机 13907861028
""")
    problems = problems_of(fresh_site, {unit: text})
    assert [(p.field, p.message) for p in problems] == [("roster.0.duties", f"{MOBILE} '139****1028'")]


def test_findings_in_unpublished_files_are_warnings(fresh_site: Path):
    doc = "content/units/zrj/documents/2021-gz.md"
    text = SMALL_SITE[doc].replace("published: 2021-05-20", "published: 2021-05-20\ndisclosure: 依申请公开")
    problems = problems_of(fresh_site, {doc: text + "内部资料\n"})
    assert [(p.severity.value, p.message) for p in problems] == [("warning", f"{MARKING} '内部资料'")]


def test_free_pages_are_scanned(fresh_site: Path):
    problems = problems_of(fresh_site, {"content/index.md": "测试县。\n\n咨询：13907861024\n",
                                        "content/about/contact.md": "---\ntitle: 联系我们 13907861025\n---\n正文\n"})
    assert [(p.path, p.line, p.column, p.field) for p in problems] == [
        ("content/about/contact.md", 2, 13, "title"), ("content/index.md", 3, 4, "")]


def test_an_allowance_lets_one_finding_pass(fresh_site: Path):
    body = "服务热线：13907861024（工作日）\n另：13907861025\n"
    text = SMALL_SITE[GUIDE].replace("---\n", """---
allow:
  - rule: 手机号码
    match: 139****1024
    reason: 县政务服务中心对外公布的服务热线
""", 1) + body
    # The masked form names the finding; so does the text itself (no need to, but allowed).
    problems = problems_of(fresh_site, {GUIDE: text})
    assert [p.message for p in problems] == [f"{MOBILE} '139****1025'"]
    problems = problems_of(fresh_site, {GUIDE: text.replace("139****1024", "13907861025")})
    assert [p.message for p in problems] == [f"{MOBILE} '139****1024'"]


def test_bad_and_unused_allowances(fresh_site: Path):
    text = SMALL_SITE[GUIDE].replace("---\n", """---
allow:
  - rule: 手机号
    match: 139****1024
    reason: 热线
  - rule: 手机号码
    match: 139****1024
  - rule: 银行卡号
    match: 6222***********0128
    reason: 已经删除
""", 1)
    problems = problems_of(fresh_site, {GUIDE: text})
    assert [(p.line, p.field, p.severity.value) for p in problems] == [
        (3, "allow.0.rule", "error"), (6, "allow.1.reason", "error"), (8, "allow", "warning")]
    assert "matches nothing" in problems[2].message


def test_check_json_lists_allowances_and_the_build_reports_findings(fresh_site: Path):
    text = SMALL_SITE[GUIDE].replace("---\n", """---
allow:
  - {rule: 手机号码, match: 139****1024, reason: 对外公布的服务热线}
""", 1) + "服务热线：13907861024\n"
    (fresh_site / GUIDE).write_text(text, encoding="utf-8")
    result = gongkai_check(fresh_site, "--format", "json")
    assert result.returncode == 0, result.output
    report = json.loads(result.stdout)
    assert report["allowances"] == [{"path": GUIDE, "line": 3, "column": 5, "rule": MOBILE,
                                     "match": "139****1024", "reason": "对外公布的服务热线", "used": 1}]
    (fresh_site / GUIDE).write_text(text + f"身份证 {ID}\n", encoding="utf-8")
    result = mkdocs_build(fresh_site)
    assert result.returncode != 0
    assert f"{GUIDE}:{len(text.split(chr(10)))}:5: error: {ID_CARD} '{mask(ID_CARD, ID)}'" in result.output
    assert ID not in result.output
    assert not (fresh_site / "site").exists()


def test_sample_content_is_clean():
    root = Path(__file__).resolve().parents[1] / "content"
    catalog, problems = load_catalog(root, today=BUILD_DATE)
    from gongkai.model.sensitive.detection import RULES
    assert not [p.format() for p in problems if any(p.message.startswith(rule) for rule in RULES)]
    # The one allowance of the sample: a legal-aid duty mobile published on purpose.
    assert [(a.path, a.rule, a.match, a.used) for a in catalog.allowances] == [
        ("content/units/sfj/guides/falv-yuanzhu-shenqing.md", MOBILE, "139****0148", 1)]


# --- review findings of issue 7 --------------------------------------------------------------------

POWER = "content/units/zrj/powers/XK-001.md"
MOBILE_NO = "13912341024"
ID_NO = "330102199003071230"


def test_unquoted_numbers_are_scanned(fresh_site: Path):
    # YAML reads them as numbers; the schema publishes them as text, so they are scanned as text.
    text = SMALL_SITE[POWER].replace("handled_by: 规划股\n", f"handled_by: 规划股\nfee: {MOBILE_NO}\nplace: {ID_NO}\n")
    problems = problems_of(fresh_site, {POWER: text})
    lines = text.split("\n")
    assert [(p.line, p.field, p.message) for p in problems] == [
        (lines.index(f"fee: {MOBILE_NO}") + 1, "fee", f"{MOBILE} '139****1024'"),
        (lines.index(f"place: {ID_NO}") + 1, "place", f"{ID_CARD} '3301**********1230'")]
    assert problems[0].column == 6


def test_other_rules_never_echo_a_sensitive_value(fresh_site: Path):
    text = SMALL_SITE[POWER].replace("category: 行政许可", f"category: {ID_NO}").replace(
        "statutory_limit: 20", f'statutory_limit: "{MOBILE_NO}"')
    problems = problems_of(fresh_site, {POWER: text})
    everything = "\n".join(p.format() for p in problems)
    assert {p.field for p in problems} >= {"category", "statutory_limit"}, everything
    assert ID_NO not in everything and MOBILE_NO not in everything
    assert "3301**********1230" in everything and "139****1024" in everything


def test_a_masked_allowance_fits_one_value_only(fresh_site: Path):
    head = SMALL_SITE[GUIDE].replace("---\n", """---
allow:
  - {rule: 手机号码, match: 139****0148, reason: 县法律援助中心对外公布的值班手机}
""", 1)
    hotline = "值班手机 139 0786 0148，亦可拨 13907860148。\n"
    assert problems_of(fresh_site, {GUIDE: head + hotline}) == []
    problems = problems_of(fresh_site, {GUIDE: head + hotline + "王五，手机13911110148\n"})
    assert [(p.line, p.field, p.severity.value) for p in problems] == [(3, "allow", "error")]
    assert "2 different values" in problems[0].message and "13911110148" not in problems[0].format()


@pytest.mark.parametrize("text, expected", [
    ("+8613912341024", [(MOBILE, "139****1024")]),
    ("+86-139-1234-1024", [(MOBILE, "139****1024")]),
    ("电话8613912341024", [(MOBILE, "139****1024")]),
    ("００８６ １３９１２３４１０２４", [(MOBILE, "139****1024")]),
    ("１３９１２３４１０２４", [(MOBILE, "139****1024")]),
    ("139.1234.1024", [(MOBILE, "139****1024")]),
    ("Tel13912341024", [(MOBILE, "139****1024")]),
    ("330102 19900307 1230", [(ID_CARD, "3301**********1230")]),
    ("ID330102199003071230", [(ID_CARD, "3301**********1230")]),
    ("身份证３３０１０２１９９００３０７１２３０号", [(ID_CARD, "3301**********1230")]),
    ("★秘密", [(MARKING, "★秘密")]),
    ("機密★", [(MARKING, "機密★")]),
    ("內部資料", [(MARKING, "內部資料")]),
    ("密級：絕密", [(MARKING, "密級：絕密")]),
])
def test_common_ways_of_writing_are_detected(text, expected):
    assert rules(text) == expected


def test_full_width_findings_keep_their_place():
    text = "㈠联系：１３９１２３４１０２４"  # ㈠ becomes three characters under NFKC
    [finding] = scan(text)
    assert text[finding.start:finding.start + len(finding.text)] == "１３９１２３４１０２４" == finding.text


@pytest.mark.parametrize("text", ["2021.03.07", "安府发〔2021〕13号", "11330000002482871X", "91330102MA2H0A1B2C",
                                  "索引号 11330102002509871X/2021-00012", "2020-469027-48-01-012345",
                                  "0571-87654321", "电话 0898-66330135", "★★★★"])
def test_no_new_false_positives(text):
    assert rules(text) == []


SAMPLE = Path(__file__).resolve().parents[1] / "content"


def test_procedure_templates_and_vocabularies_are_scanned(fresh_site: Path):
    template = (SAMPLE / "_procedures/banjian.yml").read_text(encoding="utf-8")
    template = template.replace("by: 业务股室", f"by: 张三 {MOBILE_NO} 内部资料", 1)
    synonyms = f"- [督查, 督察]\n- [热线, '{MOBILE_NO}']\n"
    problems = problems_of(fresh_site, {"content/_procedures/banjian.yml": template,
                                        "content/_vocab/synonyms.yml": synonyms})
    line = template.split("\n").index(f"    by: 张三 {MOBILE_NO} 内部资料") + 1
    assert [p.format().split(";")[0] for p in problems] == [
        f"content/_procedures/banjian.yml:{line}:12: error: steps.3.by: {MOBILE} '139****1024'",
        f"content/_procedures/banjian.yml:{line}:24: error: steps.3.by: {MARKING} '内部资料'",
        f"content/_vocab/synonyms.yml:2:9: error: 1.1: {MOBILE} '139****1024'"]


def test_written_out_procedures_are_front_matter_and_scanned(fresh_site: Path):
    text = SMALL_SITE[POWER].replace("promised_limit: 10\n", f"""promised_limit: 10
procedure:
  steps:
    - id: apply
      name: 申请
      by: 张三 {MOBILE_NO}
""")
    problems = problems_of(fresh_site, {POWER: text})
    assert [(p.field, p.message) for p in problems] == [("procedure.steps.0.by", f"{MOBILE} '139****1024'")]


DOC = "content/units/zrj/documents/2021-gz.md"


def with_attachments(root: Path, files: dict[str, bytes]) -> list:
    listed = "".join(f"  - {{title: 附件{i}, file: {name}}}\n" for i, name in enumerate(files, 1))
    text = SMALL_SITE[DOC].replace("published: 2021-05-20\n", "published: 2021-05-20\nattachments:\n" + listed)
    for name, data in files.items():
        (root / DOC).parent.joinpath(name).parent.mkdir(parents=True, exist_ok=True)
        (root / DOC).parent.joinpath(name).write_bytes(data)
    return problems_of(root, {DOC: text})


def test_text_attachments_are_scanned_and_located(fresh_site: Path):
    csv = f"姓名,证件号码,电话\n张三,{ID_NO},{MOBILE_NO}\n".encode("gb18030")
    problems = with_attachments(fresh_site, {"files/名单.csv": csv, "files/b.txt": "\ufeff内部资料\n".encode()})
    assert [p.format().split(";")[0] for p in problems] == [
        f"content/units/zrj/documents/files/b.txt:1:1: error: {MARKING} '内部资料'",
        f"content/units/zrj/documents/files/名单.csv:2:4: error: {ID_CARD} '3301**********1230'",
        f"content/units/zrj/documents/files/名单.csv:2:23: error: {MOBILE} '139****1024'"]


def test_files_a_body_links_are_scanned_too(fresh_site: Path):
    """A published body's link publishes the file (catalog.published_files): it is scanned like an
    attachment; an embedded image is published without a warning."""
    folder = (fresh_site / DOC).parent
    (folder / "files").mkdir(parents=True, exist_ok=True)
    (folder / "files/名单.csv").write_bytes(f"张三,{MOBILE_NO}\n".encode())
    (folder / "files/图.png").write_bytes(b"\x89PNG")
    text = SMALL_SITE[DOC] + "\n[名单](files/名单.csv) ![图](files/图.png)\n"
    problems = problems_of(fresh_site, {DOC: text})
    assert [p.format().split(";")[0] for p in problems] == [
        f"content/units/zrj/documents/files/名单.csv:1:4: error: {MOBILE} '139****1024'"]


def test_office_attachments_are_scanned_and_other_files_are_a_warning(fresh_site: Path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        # Word splits text into runs: the number is one, the two cells are two.
        docx.writestr("word/document.xml", f"<w:document><w:p><w:r><w:t>电话139</w:t></w:r><w:r><w:t>"
                                           f"{MOBILE_NO[3:]}</w:t></w:r></w:p><w:tc>2021</w:tc><w:tc>0307</w:tc>"
                                           f"</w:document>")
    problems = with_attachments(fresh_site, {"a.docx": buffer.getvalue(), "scan.pdf": b"%PDF-1.4",
                                             "broken.xlsx": b"not a zip"})
    assert [(p.path.rsplit("/", 1)[1], p.field, p.severity.value, p.message.split(":")[0]) for p in problems] == [
        ("a.docx", "word/document.xml", "error", f"{MOBILE} '139****1024'"),
        ("broken.xlsx", "", "warning", "attachment not scanned for personal data"),
        ("scan.pdf", "", "warning", "attachment not scanned for personal data")]
    assert "check it by hand" in problems[2].hint
