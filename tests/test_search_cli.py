"""`gongkai search` as a subprocess of the project's environment, over the sample content, with
its index in a temporary directory: text and JSON output, exact lookups, filters, paging, and
every bad input a clear message with exit status 2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import GONGKAI, ROOT, run_env

CONTENT = ROOT / "content"


def search(index: Path, *args: str | bytes, timeout: int = 120) -> subprocess.CompletedProcess:
    cmd = [os.fsencode(GONGKAI), b"search", b"--content", os.fsencode(CONTENT), b"--index", os.fsencode(index),
           *(a if isinstance(a, bytes) else a.encode("utf-8") for a in args)]
    proc = subprocess.run(cmd, cwd=index.parent, env=run_env(), capture_output=True, timeout=timeout)
    proc.out = proc.stdout.decode("utf-8", "replace")  # type: ignore[attr-defined]
    proc.err = proc.stderr.decode("utf-8", "replace")  # type: ignore[attr-defined]
    return proc


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("cli") / "search-index"
    first = search(index, "低保")  # builds the index
    assert first.returncode == 0, first.err
    return index


def as_json(proc) -> dict:
    assert proc.returncode == 0, proc.err
    assert "Traceback" not in proc.err
    return json.loads(proc.out)


def test_json_output_has_the_documented_shape(index):
    result = as_json(search(index, "低保", "--format", "json"))
    assert {"total", "page", "hits", "facets"} <= set(result)
    assert result["page"] == 1 and result["total"] >= len(result["hits"]) > 0
    for hit in result["hits"]:
        assert {"url", "title", "kind", "unit", "category", "snippet"} <= set(hit)
    assert set(result["facets"]) == {"unit", "category", "kind", "year"}
    assert any("<mark>" in hit["snippet"] for hit in result["hits"])


def test_the_index_is_built_once(index):
    stamp = (index / "FINGERPRINT").stat().st_mtime_ns
    assert search(index, "权责清单").returncode == 0
    assert (index / "FINGERPRINT").stat().st_mtime_ns == stamp


def test_text_output_lists_numbered_hits_with_marks(index):
    proc = search(index, "结婚登记")
    assert proc.returncode == 0, proc.err
    lines = proc.out.splitlines()
    assert lines[0].startswith("共 ") and "条结果" in lines[0]
    assert "1. 内地居民结婚登记办事指南" in proc.out or "1. 内地居民婚姻登记" in proc.out
    assert "units/mzj/guides/jiehun-dengji/" in proc.out
    assert "【结婚】" in proc.out or "【结婚登记】" in proc.out  # the marks, as brackets in a terminal
    assert "<mark>" not in proc.out


@pytest.mark.parametrize("query, first", [
    ("安府发[2021]3号", "units/county/documents/2021/2021-qzqd/"),
    ("〔2020〕12号", "units/zfb/documents/2020/2020-12345/"),
    ("11469027MB0015637D/2023-00001", "units/scjgj/documents/2023/2023-ssj-fa/"),
    ("ＺＲＺＹ－ＱＲ－００１", "units/zrzyj/powers/ZRZY-QR-001/"),
    ("權責清單", "units/county/documents/2021/2021-qzqd/"),
])
def test_exact_lookups(index, query, first):
    assert as_json(search(index, query, "--format", "json"))["hits"][0]["url"] == first


def test_filters_and_pages(index):
    result = as_json(search(index, "最低生活保障", "--unit", "民政局", "--kind", "document", "--format", "json"))
    assert result["hits"] and all(h["unit"] == "安澜县民政局" and h["kind"] == "政策文件" for h in result["hits"])
    result = as_json(search(index, "最低生活保障", "--category", "行政给付", "--year", "2025", "--format", "json"))
    assert all(h["category"] == "行政给付" for h in result["hits"])
    result = as_json(search(index, "最低生活保障", "--validity", "废止", "--format", "json"))
    assert result["hits"][0]["url"] == "units/mzj/documents/2019/2019-db-bf/"
    page2 = as_json(search(index, "政务服务", "--page", "2", "--format", "json"))
    page1 = as_json(search(index, "政务服务", "--format", "json"))
    assert page2["page"] == 2 and not {h["url"] for h in page1["hits"]} & {h["url"] for h in page2["hits"]}


@pytest.mark.parametrize("args, message", [
    ([""], "empty query"),
    ([], "empty query"),
    (["   "], "empty query"),
    (["x" * 2000], "too long"),
    (["低保", "--page", "0"], "page must be 1 or more"),
    (["低保", "--page", "abc"], "page must be a whole number"),
    (["低保", "--unit", "不存在局"], "unknown unit"),
    (["低保", "--category", "行政许可证"], "did you mean 行政许可"),
    (["低保", "--kind", "文件"], "unknown kind"),
    (["低保", "--year", "21"], "four digits"),
    (["低保", "--validity", "作废"], "unknown validity"),
    (["低保", "--unit", b"\xff\xfe"], "unknown unit"),  # bytes that are not UTF-8
])
def test_bad_input_exits_2_with_a_message(index, args, message):
    proc = search(index, *args)
    assert proc.returncode == 2, (proc.returncode, proc.out, proc.err)
    assert message in proc.err
    assert "Traceback" not in proc.err and proc.out == ""


@pytest.mark.parametrize("query", ["*", "，。！", '"低保', "(低保", "低保)", "\x01\x02", b"\xff\xfe\xfd",
                                   "低保" + "\u200b", "((((", "?"])
def test_odd_queries_answer_without_a_traceback(index, query):
    proc = search(index, query, "--format", "json")
    assert proc.returncode in (0, 2), proc.err
    assert "Traceback" not in proc.err
    if proc.returncode == 0:
        assert json.loads(proc.out)["page"] == 1


def test_a_page_far_past_the_end_is_empty(index):
    result = as_json(search(index, "低保", "--page", "1000000000", "--format", "json"))
    assert result["hits"] == [] and result["total"] > 0 and result["page"] == 1_000_000_000
    proc = search(index, "低保", "--page", "1000000000")
    assert proc.returncode == 0 and "共 " in proc.out


def test_help_names_every_option():
    proc = subprocess.run([GONGKAI, "search", "--help"], env=run_env(), capture_output=True, text=True, timeout=60)
    for option in ("--unit", "--category", "--kind", "--year", "--validity", "--page", "--format", "--content", "--index"):
        assert option in proc.stdout
    proc = subprocess.run([GONGKAI, "serve", "--help"], env=run_env(), capture_output=True, text=True, timeout=60)
    assert "--port" in proc.stdout and "--host" in proc.stdout and "127.0.0.1" in proc.stdout


def test_without_content_or_index_exits_2(tmp_path):
    proc = subprocess.run([GONGKAI, "search", "低保", "--content", str(tmp_path / "none"), "--index",
                           str(tmp_path / "index")], env=run_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "no content directory" in proc.stderr and "Traceback" not in proc.stderr


def test_without_content_the_index_is_searched_as_it_is(index, tmp_path):
    proc = subprocess.run([GONGKAI, "search", "低保", "--format", "json", "--content", str(tmp_path / "none"),
                           "--index", str(index)], env=run_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and json.loads(proc.stdout)["total"] > 0
    assert "searching the index" in proc.stderr


def test_serve_answers_and_refuses_a_taken_port(index, tmp_path):
    import re
    import socket
    import time
    import urllib.request

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    cmd = [GONGKAI, "serve", "--site", str(site), "--content", str(CONTENT), "--index", str(index), "--port", "0"]
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=run_env(), stdout=out, stderr=out)
    try:
        deadline = time.time() + 120
        while not (match := re.search(r"http://(127\.0\.0\.1):(\d+)/", log.read_text(encoding="utf-8"))):
            assert proc.poll() is None and time.time() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        host, port = match[1], int(match[2])
        with urllib.request.urlopen(f"http://{host}:{port}/api/search?q=%E4%BD%8E%E4%BF%9D", timeout=30) as response:
            assert json.loads(response.read())["total"] > 0
        taken = subprocess.run([*cmd[:-1], str(port)], env=run_env(), capture_output=True, text=True, timeout=120)
        assert taken.returncode == 2 and "cannot listen" in taken.stderr and "Traceback" not in taken.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=30)
