"""The offline bundle (`gongkai export`, `gongkai verify`) and the open-data files (gongkai/export).

The sample site is exported once per session (per xdist worker) by the real command; the data
files are compared with the Catalog loaded independently from content/.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest

from conftest import GONGKAI, MKDOCS, ROOT, run, run_env
from gongkai.model import load_catalog
from gongkai.model.schema import LABELS

BUILD_DATE = dt.date(2026, 11, 21)  # conftest.BUILD_EPOCH


@pytest.fixture(scope="module")
def catalog():
    catalog, _ = load_catalog(ROOT / "content", today=BUILD_DATE)
    return catalog


def export(target: Path, *extra: str):
    return run([GONGKAI, "export", "-o", str(target), "--config", str(ROOT / "mkdocs.yml"), *extra],
               cwd=target.parent if target.parent.is_dir() else ROOT, timeout=600)


@pytest.fixture(scope="session")
def unpacked(bundle, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(out)
    return out


def member(bundle: Path, name: str) -> bytes:
    with zipfile.ZipFile(bundle) as zf:
        return zf.read(name)


def verify(path: Path):
    return run([GONGKAI, "verify", str(path)], cwd=path.parent)


# --- the bundle --------------------------------------------------------------------------------

def test_manifest_lists_every_member_with_size_and_hash(bundle, catalog):
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        listed = {f["path"]: f for f in manifest["files"]}
        assert sorted(listed) == sorted(set(names) - {"manifest.json"})
        for name, entry in listed.items():
            data = zf.read(name)
            assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest(), name
    assert names == sorted(names[:-1]) + ["manifest.json"]  # sorted, the manifest last
    assert {"index.html", "说明.txt", "data/powers.csv", "data/powers.xlsx", "data/schema.json",
            "search/index.html", "search/data/manifest.js", "units/zrzyj/index.html"} <= set(listed)
    assert "404.html" not in listed  # a server's page with links from the disk's root
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["source_commit"])
    assert manifest["build_date"] == BUILD_DATE.isoformat()
    from gongkai import __version__
    assert manifest["gongkai_version"] == __version__
    assert manifest["counts"]["powers"] == len(catalog.powers) > 100


def test_readme_explains_opening_and_verifying(bundle, catalog):
    text = member(bundle, "说明.txt").decode("utf-8")
    assert "双击其中的 index.html" in text and "gongkai verify" in text and "SHA-256" in text
    assert "2026-11-21" in text and f"权责事项 {len(catalog.powers)} 项" in text


def test_members_have_fixed_dates_and_modes(bundle):
    with zipfile.ZipFile(bundle) as zf:
        for info in zf.infolist():
            assert info.date_time == (2026, 11, 21, 0, 0, 0), info.filename
            assert info.external_attr >> 16 == 0o100644, info.filename


def test_two_exports_are_byte_identical(bundle, tmp_path):
    again = tmp_path / "again.zip"
    result = export(again)
    assert result.returncode == 0, result.output[-3000:]
    assert again.read_bytes() == bundle.read_bytes()


def test_every_link_of_the_offline_site_reaches_a_file(unpacked):
    """Over file:// a link to a directory shows a listing, an absolute one leaves the bundle."""
    broken, count = [], 0
    for page in sorted(unpacked.rglob("*.html")):
        for link in re.findall(r'(?:href|src|action)="([^"]*)"', page.read_text(encoding="utf-8")):
            if not link or re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith("#"):  # "": this page
                continue
            count += 1
            path = unquote(link.split("#")[0].split("?")[0])
            if link.startswith("/") or not (page.parent / path).is_file():
                broken.append(f"{page.relative_to(unpacked)}: {link}")
    assert count > 10_000
    assert not broken, broken[:20]


def test_offline_search_index_has_script_twins_with_html_urls(unpacked):
    data = unpacked / "search" / "data"
    manifest = json.loads((data / "manifest.json").read_text())
    for rel in ["manifest.json", *(f"p/{n}.bin" for n in range(manifest["buckets"]))]:
        twin = data / (rel.rsplit(".", 1)[0] + ".js")
        text = twin.read_text(encoding="utf-8")
        assert text.startswith(f'gongkaiSearchFile("{rel}",'), rel
    record = json.loads((data / "r" / "0" / "0.json").read_text(encoding="utf-8"))
    assert record["u"].endswith(".html") and (unpacked / record["u"]).is_file()
    # The archive engine is the server's: the bundle neither needs nor rebuilds it.
    assert not list(unpacked.rglob("FINGERPRINT"))


# --- the open data -----------------------------------------------------------------------------

def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_powers_csv_matches_the_catalog(bundle, catalog):
    rows = csv_rows(member(bundle, "data/powers.csv"))
    assert len(rows) == len(catalog.powers) > 100
    for row, item in zip(rows, catalog.powers):
        assert row["事项编码"] == item.code and row["事项名称"] == item.name
        assert row[LABELS["category"]] == item.category
        assert row["实施主体"] == catalog.unit(item.unit_id).name and row["单位标识"] == item.unit_id
        assert row[LABELS["promised_limit"]] == ("" if item.promised_limit is None else str(item.promised_limit))
        assert row[LABELS["online"]] == ("是" if item.online else "否")
        assert row[LABELS["basis"]].count("《") == len(item.basis)
        assert row["页面地址"] == f"units/{item.unit_id}/powers/{item.code}.html"


def test_powers_xlsx_has_a_sheet_per_unit_and_a_summary(bundle, catalog):
    wb = openpyxl.load_workbook(io.BytesIO(member(bundle, "data/powers.xlsx")), read_only=False)
    units = [u for u in catalog.units.values() if catalog.of_unit(u.unit_id, "powers")]
    assert wb.sheetnames[0] == "汇总" and len(wb.sheetnames) == len(units) + 1
    summary = [[c.value for c in row] for row in wb["汇总"].iter_rows()]
    assert summary[0][:4] == ["单位", "单位标识", "单位类型", "事项总数"]
    assert summary[-1][0] == "合计" and summary[-1][3] == len(catalog.powers)
    for unit, ws, line in zip(units, wb.worksheets[1:], summary[1:]):
        items = catalog.of_unit(unit.unit_id, "powers")
        assert ws.freeze_panes == "A2", ws.title
        header = [c.value for c in ws[1]]
        assert header[:4] == ["事项编码", "事项名称", "权力类型", "实施主体"]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        assert [(r[0], r[1], r[2]) for r in rows] == [(i.code, i.name, i.category) for i in items], ws.title
        limits = [r[header.index(LABELS["statutory_limit"])] for r in rows]
        assert limits == [i.statutory_limit for i in items]  # numbers stay numbers
        assert line[1] == unit.unit_id and line[3] == len(items)
    assert wb.properties.modified == dt.datetime(2026, 11, 21)


def test_other_tables_match_the_catalog_and_leak_nothing(bundle, catalog):
    documents = csv_rows(member(bundle, "data/documents.csv"))
    assert [(r["文件标题"], r["文号"]) for r in documents] == [(d.title, d.doc_no or "") for d in catalog.documents]
    assert not any("征求意见稿" in r["文件标题"] for r in documents)  # the draft in content/units/zfb
    units = json.loads(member(bundle, "data/units.json"))
    assert [r["id"] for r in units["records"]] == list(catalog.units)
    assert not any("roster" in r for r in units["records"])  # grid rosters stay on the pages
    for name, records in (("guides", catalog.guides), ("notices", catalog.notices)):
        data = json.loads(member(bundle, f"data/{name}.json"))
        assert data["count"] == len(records) == len(csv_rows(member(bundle, f"data/{name}.csv")))
        assert [r["title"] for r in data["records"]] == [r.title for r in records]


def test_schema_documents_every_column(bundle):
    schema = json.loads(member(bundle, "data/schema.json"))
    for name, table in schema["tables"].items():
        header = next(csv.reader(io.StringIO(member(bundle, f"data/{name}.csv").decode("utf-8-sig"))))
        assert [c["label"] for c in table["columns"]] == header
        records = json.loads(member(bundle, f"data/{name}.json"))["records"]
        assert list(records[0]) == [c["key"] for c in table["columns"]]
        assert all(c["type"] in schema["types"] for c in table["columns"])


def test_online_site_links_the_downloads(sample_site, catalog):
    page = (sample_site / "powers" / "index.html").read_text(encoding="utf-8")
    for ext in ("csv", "xlsx", "json"):
        assert f'href="../data/powers.{ext}"' in page
        assert (sample_site / "data" / f"powers.{ext}").is_file()
    unit = (sample_site / "units" / "zrzyj" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../data/units/zrzyj/powers.xlsx"' in unit
    rows = csv_rows((sample_site / "data" / "units" / "zrzyj" / "powers.csv").read_bytes())
    assert [r["事项编码"] for r in rows] == [i.code for i in catalog.of_unit("zrzyj", "powers")]
    assert rows[0]["页面地址"].endswith("/")  # the online site's directory URLs
    without = next(u for u in catalog.units if not catalog.of_unit(u, "powers"))
    assert "gk-downloads" not in (sample_site / "units" / without / "index.html").read_text(encoding="utf-8")
    assert not (sample_site / "data" / "units" / without).exists()


# --- verify ------------------------------------------------------------------------------------

def rewrite(source: Path, target: Path, change) -> None:
    """A copy of the bundle with change(name, data) -> data or None (drop) applied to its members."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                out.writestr(info, data)


def test_verify_an_intact_bundle(bundle):
    result = verify(bundle)
    assert result.returncode == 0, result.output
    assert "intact" in result.stdout and "完整" in result.stdout


def test_verify_lists_missing_extra_and_altered_files(bundle, tmp_path):
    tampered = tmp_path / "tampered.zip"

    def change(name, data):
        if name == "data/powers.csv":
            return data.replace("不收费".encode(), "收费100元".encode(), 1)
        if name == "units/zrzyj/index.html":
            return None
        return data

    rewrite(bundle, tampered, change)
    with zipfile.ZipFile(tampered, "a") as zf:
        zf.writestr("data/extra.csv", "a,b\n")
    result = verify(tampered)
    assert result.returncode == 1, result.output
    assert f"{tampered}: altered: data/powers.csv" in result.stdout
    assert f"{tampered}: missing: units/zrzyj/index.html" in result.stdout
    assert f"{tampered}: extra: data/extra.csv" in result.stdout
    assert len(result.stdout.splitlines()) == 4 and "NOT intact" in result.stderr  # 3 + the zip's SHA-256


def test_verify_a_bundle_whose_manifest_is_altered_or_gone(bundle, tmp_path):
    edited = tmp_path / "edited.zip"
    rewrite(bundle, edited, lambda n, d: d.replace(b'"size": ', b'"size": 1', 1) if n == "manifest.json" else d)
    result = verify(edited)
    assert result.returncode == 1 and "altered" in result.stdout
    gone = tmp_path / "gone.zip"
    rewrite(bundle, gone, lambda n, d: None if n == "manifest.json" else d)
    result = verify(gone)
    assert result.returncode == 1 and "missing: manifest.json" in result.stdout


def test_verify_a_damaged_member(bundle, tmp_path):
    damaged = tmp_path / "damaged.zip"
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo("data/powers.csv")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for at in range(start + 100, start + 110):  # inside its compressed bytes
        data[at] ^= 0xFF
    damaged.write_bytes(bytes(data))
    result = verify(damaged)
    assert result.returncode == 1 and "altered: data/powers.csv" in result.stdout, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name, reason", [("../outside.txt", "leaving"), ("/tmp/gongkai-evil.txt", "absolute"),
                                          ("data/../../outside.txt", "leaving"), ("link", "symbolic link")])
def test_verify_refuses_unsafe_members_without_extracting(bundle, tmp_path, name, reason):
    evil = tmp_path / "work" / "evil.zip"
    evil.parent.mkdir()
    shutil.copy(bundle, evil)
    info = zipfile.ZipInfo(name, (2026, 11, 21, 0, 0, 0))
    if name == "link":
        info.create_system = 3
        info.external_attr = (0o120777) << 16
    with zipfile.ZipFile(evil, "a") as zf:
        zf.writestr(info, "/etc/passwd" if name == "link" else "planted")
    result = verify(evil)
    assert result.returncode == 1, result.output
    assert "refused" in result.stdout and reason in result.stdout
    assert sorted(p.name for p in evil.parent.iterdir()) == ["evil.zip"]
    assert not (tmp_path / "outside.txt").exists() and not Path("/tmp/gongkai-evil.txt").exists()


def test_verify_something_that_is_not_a_bundle(tmp_path):
    text = tmp_path / "list.zip"
    text.write_text("不是压缩包", encoding="utf-8")
    result = verify(text)
    assert result.returncode == 2 and "is not a zip file" in result.stderr
    result = verify(tmp_path / "nowhere.zip")
    assert result.returncode == 2 and "no such file" in result.stderr
    assert "Traceback" not in result.output


# --- bad output paths: clear messages, nothing overwritten, no temporary files left -----------

def test_export_into_a_missing_directory(tmp_path):
    result = export(tmp_path / "no" / "such" / "out.zip")
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_export_where_the_directory_cannot_be_written(tmp_path):
    """Tests run as root, whom file modes do not stop: the 'directory' is a regular file."""
    blocker = tmp_path / "readonly"
    blocker.write_text("a file, not a directory")
    result = export(blocker / "out.zip")
    assert result.returncode == 1 and "is not a directory" in result.stderr and "Traceback" not in result.output
    assert blocker.read_text() == "a file, not a directory"


def test_a_full_disk_leaves_the_previous_bundle(tmp_path):
    """The disk fills while the zip is written (a 2 MB file size limit; the zip is ~3.5 MB, every
    file of the built site smaller): a clear message, the earlier bundle untouched, no leftovers."""
    target = tmp_path / "anlan.zip"
    target.write_bytes(b"the previous bundle")
    limit = 2 * 1024 * 1024

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([GONGKAI, "export", "-o", str(target), "--config", str(ROOT / "mkdocs.yml")],
                          cwd=tmp_path, env=run_env(), capture_output=True, timeout=600, preexec_fn=limited)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, stderr[-3000:]
    assert "cannot write" in stderr and "left as it was" in stderr and "Traceback" not in stderr
    assert target.read_bytes() == b"the previous bundle"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anlan.zip"]


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 2 MB tmpfs (a real file system that fills up, and can be made read-only), where mounting
    is permitted (root in most containers); the test is skipped elsewhere."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_export_into_a_read_only_file_system(small_tmpfs):
    (small_tmpfs / "anlan.zip").write_bytes(b"the previous bundle")
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    result = export(small_tmpfs / "anlan.zip")
    assert result.returncode == 1 and "Read-only file system" in result.stderr, result.output[-2000:]
    assert "Traceback" not in result.output
    assert (small_tmpfs / "anlan.zip").read_bytes() == b"the previous bundle"


def test_export_onto_a_full_file_system(small_tmpfs):
    """The sample bundle (~3.5 MB) does not fit in 2 MB: ENOSPC while writing the zip."""
    (small_tmpfs / "anlan.zip").write_bytes(b"the previous bundle")
    result = export(small_tmpfs / "anlan.zip")
    assert result.returncode == 1, result.output[-2000:]
    assert "No space left on device" in result.stderr and "left as it was" in result.stderr
    assert "Traceback" not in result.output
    assert (small_tmpfs / "anlan.zip").read_bytes() == b"the previous bundle"
    assert [p.name for p in small_tmpfs.iterdir()] == ["anlan.zip"]


def test_a_full_temporary_directory_stops_the_build(small_tmpfs, tmp_path):
    """The site (~14 MB) is built in TMPDIR, here the 2 MB tmpfs."""
    target = tmp_path / "anlan.zip"
    proc = subprocess.run([GONGKAI, "export", "-o", str(target), "--config", str(ROOT / "mkdocs.yml")],
                          cwd=tmp_path, env=run_env(TMPDIR=str(small_tmpfs)), capture_output=True, timeout=600)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1, stderr[-2000:]
    assert "No space left on device" in stderr and "nothing was exported" in stderr and "Traceback" not in stderr
    assert not target.exists() and list(small_tmpfs.iterdir()) == []


def start_export(target: Path, tmpdir: Path) -> subprocess.Popen:
    return subprocess.Popen([GONGKAI, "export", "-o", str(target), "--config", str(ROOT / "mkdocs.yml")],
                            cwd=target.parent, env=run_env(TMPDIR=str(tmpdir)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_zip_write(proc: subprocess.Popen, target: Path) -> Path:
    """The .part file once the export has begun writing the zip (after the build, ~1 min)."""
    deadline = time.monotonic() + 500
    while time.monotonic() < deadline and proc.poll() is None:
        parts = [p for p in target.parent.glob(f".{target.name}.*.part") if p.stat().st_size > 0]
        if parts:
            return parts[0]
        time.sleep(0.05)
    pytest.fail("the export never began writing its zip")


def test_an_interrupted_export_leaves_nothing_under_the_final_name(tmp_path):
    target, tmpdir = tmp_path / "out" / "anlan.zip", tmp_path / "tmp"
    target.parent.mkdir()
    tmpdir.mkdir()
    proc = start_export(target, tmpdir)
    wait_for_zip_write(proc, target)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=120) == 143
    assert list(target.parent.iterdir()) == [] and list(tmpdir.iterdir()) == []


def test_a_killed_export_is_cleaned_up_by_the_next(tmp_path):
    """kill -9 runs no clean-up: the next export of the same target removes what it left."""
    target, tmpdir = tmp_path / "out" / "anlan.zip", tmp_path / "tmp"
    target.parent.mkdir()
    tmpdir.mkdir()
    proc = start_export(target, tmpdir)
    part = wait_for_zip_write(proc, target)
    proc.kill()
    proc.wait(timeout=60)
    assert part.exists() and [p.name for p in tmpdir.iterdir()][0].startswith("gongkai-export-")
    # Another export's files, still being written (this process is alive), stay.
    alive = target.parent / f".{target.name}.{os.getpid()}.abcd.part"
    alive.write_bytes(b"PK")
    other = target.parent / ".other.zip.1.abcd.part"  # another target's
    other.write_bytes(b"PK")
    proc = start_export(target, tmpdir)
    assert proc.wait(timeout=600) == 0
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([target.name, alive.name, other.name])
    assert list(tmpdir.iterdir()) == []
    assert verify(target).returncode == 0


def test_export_reports_content_errors(tmp_path, fresh_site):
    bad = fresh_site / "content" / "units" / "zrj" / "powers" / "XK-001.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("行政许可", "行政许可证"), encoding="utf-8")
    result = run([GONGKAI, "export", "-o", str(tmp_path / "out.zip")], cwd=fresh_site)
    assert result.returncode == 1, result.output
    assert "XK-001.md:4:11" in result.stderr and "nothing was exported" in result.stderr
    assert not (tmp_path / "out.zip").exists() and "Traceback" not in result.output
    assert not (fresh_site / "site").exists()
    # The export's own words: it never touches site/, and MkDocs' "Aborted" says nothing more.
    assert "site/" not in result.stderr and "Aborted" not in result.stderr, result.stderr
    (tmp_path / "out.zip").write_bytes(b"an earlier bundle")
    result = run([GONGKAI, "export", "-o", str(tmp_path / "out.zip")], cwd=fresh_site)
    assert result.returncode == 1
    assert f"nothing was exported; the previous {tmp_path / 'out.zip'} is unchanged" in result.stderr
    assert (tmp_path / "out.zip").read_bytes() == b"an earlier bundle"


# --- the data module on its own ----------------------------------------------------------------

def test_sheet_names_are_valid_and_unique():
    from gongkai.export.formats import sheet_names

    names = sheet_names(["县市场监管局", "县市场监管局", "a/b[c]:d*e?f\\g", "汇总", "很" * 40])
    assert names[0] == "县市场监管局" and names[1] == "县市场监管局_2"
    assert names[2] == "a_b_c__d_e_f_g" and names[3] == "汇总_2"
    assert all(len(n) <= 31 for n in names) and len(set(names)) == len(names)


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text():
    from gongkai.export.formats import Column, Table, to_xlsx

    columns = [Column("a", "甲", "string", "", None), Column("n", "乙", "integer", "", None),
               Column("b", "丙", "boolean", "", None), Column("l", "丁", "list", "", None)]
    table = Table("t", "测试", columns, [["=HYPERLINK(\"http://x\")", 5, True, ["一", "二"]]])
    data = to_xlsx([("表", table)], BUILD_DATE)
    assert data == to_xlsx([("表", table)], BUILD_DATE)  # same input, same bytes
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert [c.value for c in ws[2]] == ["=HYPERLINK(\"http://x\")", 5, "是", "一\n二"]
    assert ws["A2"].data_type == "s" and ws["B2"].data_type == "n"


def test_export_needs_the_export_plugin(tmp_path, fresh_site):
    config = fresh_site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "- gongkai/export" in text
    config.write_text(text.replace("- gongkai/export\n", ""), encoding="utf-8")
    result = run([GONGKAI, "export", "-o", str(tmp_path / "out.zip")], cwd=fresh_site)
    assert result.returncode == 1 and "needs the gongkai/export plugin" in result.stderr, result.output
    assert not (tmp_path / "out.zip").exists()


def test_a_small_site_exports_and_verifies(tmp_path, fresh_site):
    result = run([GONGKAI, "export", "-o", str(tmp_path / "small.zip")], cwd=fresh_site)
    assert result.returncode == 0, result.output
    assert verify(tmp_path / "small.zip").returncode == 0
    with zipfile.ZipFile(tmp_path / "small.zip") as zf:
        rows = csv_rows(zf.read("data/powers.csv"))
        manifest = json.loads(zf.read("manifest.json"))
    assert [r["事项编码"] for r in rows] == ["XZF-QR-001", "ZRJ-CF-001", "ZRJ-JC-001", "ZRJ-XK-001"]
    assert manifest["source_commit"] == "unknown"  # not a git repository
    assert not (fresh_site / "site").exists()  # the export builds elsewhere


# --- review findings -----------------------------------------------------------------------------

def git(directory: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", *args],
                   cwd=directory, check=True, capture_output=True, env=run_env())


def test_an_uncommitted_new_file_marks_the_source_modified(fresh_site):
    from gongkai.export.bundle import source_commit

    (fresh_site / ".gitignore").write_text("site/\n", encoding="utf-8")
    git(fresh_site, "init", "-q")
    git(fresh_site, "add", "-A")
    git(fresh_site, "commit", "-q", "-m", "内容")
    commit, modified = source_commit(fresh_site)
    assert re.fullmatch(r"[0-9a-f]{40}", commit) and not modified
    (fresh_site / "site").mkdir()
    (fresh_site / "site" / "index.html").write_text("built", encoding="utf-8")  # ignored
    assert source_commit(fresh_site) == (commit, False)
    notice = fresh_site / "content" / "units" / "zrj" / "notices" / "new.md"
    notice.parent.mkdir(parents=True, exist_ok=True)
    notice.write_text("---\ntitle: 新公告\n---\n", encoding="utf-8")  # untracked, exported all the same
    assert source_commit(fresh_site) == (commit, True)


def forged(path: Path, manifest) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
    return path


def test_verify_refuses_a_manifest_of_the_wrong_shape(bundle, tmp_path):
    real = json.loads(member(bundle, "manifest.json"))
    emptied = {**real, "files": []}
    no_path = {**real, "files": [{k: v for k, v in f.items() if k != "path"} if f["path"] == "index.html" else f
                                 for f in real["files"]]}
    cases = {"files-only": {"files": []}, "no-files": emptied, "no-path": no_path,
             "size-as-text": {**real, "files": [{**f, "size": str(f["size"])} for f in real["files"]]},
             "other-generator": {**real, "generator": "someone"}, "a-list": [], "format-2": {**real, "format": 2}}
    for name, manifest in cases.items():
        if name == "no-path":
            path = tmp_path / f"{name}.zip"
            rewrite(bundle, path, lambda n, d: json.dumps(manifest).encode() if n == "manifest.json" else d)
        else:
            path = forged(tmp_path / f"{name}.zip", manifest)
        result = verify(path)
        assert result.returncode == 1, (name, result.output)
        assert f"{path}: altered: manifest.json" in result.stdout, (name, result.output)
        assert "missing" not in result.stdout and "Traceback" not in result.output, (name, result.output)


def test_verify_counts_an_added_directory_as_extra(bundle, tmp_path):
    added = tmp_path / "added.zip"
    shutil.copy(bundle, added)
    with zipfile.ZipFile(added, "a") as zf:
        zf.writestr(zipfile.ZipInfo("somedir/"), b"")
    result = verify(added)
    assert result.returncode == 1 and f"{added}: extra: somedir/" in result.stdout, result.output


def test_verify_expect_catches_a_member_changed_with_its_manifest_entry(bundle, tmp_path):
    recorded = hashlib.sha256(bundle.read_bytes()).hexdigest()
    result = run([GONGKAI, "verify", str(bundle), "--expect", recorded.upper()], cwd=tmp_path)
    assert result.returncode == 0 and f"SHA-256 {recorded}" in result.stdout, result.output
    changed = tmp_path / "changed.zip"
    new = member(bundle, "data/powers.csv").replace("不收费".encode(), "收费100元".encode(), 1)

    def change(name, data):
        if name == "data/powers.csv":
            return new
        if name == "manifest.json":
            manifest = json.loads(data)
            for f in manifest["files"]:
                if f["path"] == "data/powers.csv":
                    f.update(size=len(new), sha256=hashlib.sha256(new).hexdigest())
            return json.dumps(manifest).encode()
        return data

    rewrite(bundle, changed, change)
    assert verify(changed).returncode == 0  # consistent inside: only the recorded hash tells
    result = run([GONGKAI, "verify", str(changed), "--expect", recorded], cwd=tmp_path)
    assert result.returncode == 1 and "NOT" in result.stderr and "Traceback" not in result.output, result.output
    assert "本包可重现" in member(bundle, "说明.txt").decode("utf-8")


def test_export_prints_the_zip_hash(tmp_path, fresh_site):
    result = run([GONGKAI, "export", "-o", str(tmp_path / "small.zip")], cwd=fresh_site)
    assert result.returncode == 0, result.output
    digest = hashlib.sha256((tmp_path / "small.zip").read_bytes()).hexdigest()
    assert f"SHA-256 {digest}" in result.stderr


def test_control_characters_leave_the_xlsx_but_not_the_csv():
    from gongkai.export.formats import Column, Table, sheet_names, to_csv, to_xlsx

    table = Table("t", "测试", [Column("a", "甲", "string", "", None), Column("l", "乙", "list", "", None)],
                  [["建设\x0b工程\x00许可", ["一\x1f", "二"]]])
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx([("表", table)], BUILD_DATE)))["表"]
    assert [c.value for c in ws[2]] == ["建设工程许可", "一\n二"]
    assert "建设\x0b工程\x00许可" in to_csv(table).decode("utf-8-sig")
    assert sheet_names(["县\x0b局"]) == ["县局"]


def test_csv_neutralises_formulas_but_keeps_numbers_and_phones():
    from gongkai.export.formats import csv_cell

    for formula in ["=HYPERLINK(\"http://x\",\"点击\")", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)",
                    "\t=1", "\r=1", "-A1"]:
        assert csv_cell(formula) == "'" + formula
    for plain in ["+86 571 8888 8888", "-5", "-3.5", "0571-88888888", "(0571) 8888", "不收费", "", None, 12]:
        assert csv_cell(plain) == ("" if plain is None else str(plain))
    assert csv_cell(["=1", "二"]) == "'=1；二"


def test_open_data_documents_the_formula_guard(bundle):
    assert "单引号" in json.loads(member(bundle, "data/schema.json"))["description"]


def test_the_bundle_leaves_out_source_maps_no_page_loads(bundle, unpacked):
    names = zipfile.ZipFile(bundle).namelist()
    assert not [n for n in names if n.endswith(".map")]
    pages = [p.read_text(encoding="utf-8") for p in unpacked.rglob("*.html")]
    assert not [p for p in pages if ".map\"" in p]
    # Material's search worker is named in every page's configuration: it stays.
    worker = next(n for n in names if n.startswith("assets/javascripts/workers/search."))
    assert worker.rsplit("/", 1)[1] in (unpacked / "index.html").read_text(encoding="utf-8")


def site_with_export_settings(root: Path, settings: dict | None, **top) -> Path:
    import yaml

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [{"gongkai/export": settings} if p == "gongkai/export" and settings is not None else p
                         for p in config["plugins"]]
    config.update(top)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.mark.parametrize("settings", [{"downloads": False}, {"enabled": False}])
def test_no_download_links_when_the_data_is_not_written(fresh_site, settings):
    site_with_export_settings(fresh_site, settings)
    result = run([MKDOCS, "build", "-f", str(fresh_site / "mkdocs.yml")], cwd=fresh_site)
    assert result.returncode == 0, result.output
    site = fresh_site / "site"
    assert not (site / "data").exists()
    pages = [p.read_text(encoding="utf-8") for p in (site / "powers" / "index.html", site / "units" / "zrj" / "index.html")]
    assert not [p for p in pages if "gk-downloads" in p or "data/powers" in p]


def test_download_links_name_the_file_and_page_addresses_are_full_urls(fresh_site):
    site_with_export_settings(fresh_site, None, site_url="https://www.ceshi.gov.cn/gk/")
    result = run([MKDOCS, "build", "-f", str(fresh_site / "mkdocs.yml")], cwd=fresh_site)
    assert result.returncode == 0, result.output
    site = fresh_site / "site"
    unit = (site / "units" / "zrj" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../data/units/zrj/powers.csv" download="测试县自然资源局-权责清单.csv"' in unit
    assert 'download="测试县政务公开-权责清单.xlsx"' in (site / "powers" / "index.html").read_text(encoding="utf-8")
    rows = csv_rows((site / "data" / "powers.csv").read_bytes())
    assert rows[0]["页面地址"].startswith("https://www.ceshi.gov.cn/gk/units/")
    assert all(r["页面地址"].endswith("/") for r in rows)
