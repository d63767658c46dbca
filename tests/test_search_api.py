"""GET /api/search of `gongkai serve`: make_server over the sample content's index, in a thread on
127.0.0.1 (a free port), spoken to over real sockets. Every bad input is a 400 with a JSON error
or an empty result, never a 500; costly queries are bounded; 20 concurrent clients are served."""

from __future__ import annotations

import concurrent.futures
import http.client
import inspect
import json
import socket
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from gongkai.model import load_catalog
from gongkai.search.documents import search_documents
from gongkai.search.archive import Archive
from gongkai.search.index import update_index
from gongkai.search.server import make_server

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("api")
    catalog, problems = load_catalog(ROOT / "content")
    update_index(work / "search-index", search_documents(catalog), catalog.synonyms)
    site = work / "site"
    (site / "units").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>安澜县政务公开</title>\n", encoding="utf-8")
    archive = Archive(work / "search-index")
    httpd = make_server(site, archive, port=0, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[:2]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
        archive.close()


def get(server, target: str | bytes, timeout: float = 30) -> tuple[int, dict, str]:
    """A raw GET of target (a str is sent as UTF-8; bytes as they are): status, headers, body."""
    host, port = server
    with socket.create_connection((host, port), timeout=timeout) as sock:
        target = target if isinstance(target, bytes) else target.encode("utf-8")
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = response.read().decode("utf-8")
        return response.status, dict(response.getheaders()), body


def api(server, params: dict | None = None, raw: str | None = None) -> tuple[int, dict]:
    query = raw if raw is not None else urllib.parse.urlencode(params or {})
    status, headers, body = get(server, f"/api/search?{query}")
    assert headers["Content-Type"] == "application/json; charset=utf-8", (status, body)
    return status, json.loads(body)


def test_binds_loopback_by_default():
    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"


def test_serves_the_site(server):
    status, headers, body = get(server, "/")
    assert status == 200 and "安澜县政务公开" in body
    assert get(server, "/no/such/page.html")[0] == 404


def test_search_answers_with_the_documented_json(server):
    status, result = api(server, {"q": "低保"})
    assert status == 200
    assert {"total", "page", "hits", "facets"} <= set(result)
    assert result["hits"] and {"url", "title", "kind", "unit", "category", "snippet"} <= set(result["hits"][0])
    assert set(result["facets"]) == {"unit", "category", "kind", "year"}
    assert any("<mark>" in h["snippet"] for h in result["hits"])


@pytest.mark.parametrize("params, first", [
    ({"q": "安府发(2021)3号"}, "units/county/documents/2021/2021-qzqd/"),
    ({"q": "〔2020〕12号"}, "units/zfb/documents/2020/2020-12345/"),
    ({"q": "11469027MB0010052Q/2020-00001"}, "units/zfb/documents/2020/2020-12345/"),
    ({"q": "mzj-jf-001"}, "units/mzj/powers/MZJ-JF-001/"),
    ({"q": "權責清單"}, "units/county/documents/2021/2021-qzqd/"),
    ({"q": "最低生活保障", "unit": "清水镇为民服务中心"}, "units/qingshui-spj/powers/QSSP-JF-002/"),
    ({"q": "最低生活保障", "kind": "guide"}, "units/mzj/guides/zuidi-shenghuo-baozhang-shenqing/"),
    ({"q": "最低生活保障", "year": "2019", "validity": "废止"}, "units/mzj/documents/2019/2019-db-bf/"),
    ({"q": "", "category": "行政给付", "unit": "民政局"}, None),
])
def test_the_same_parameters_as_the_command(server, params, first):
    status, result = api(server, params)
    assert status == 200, result
    if first:
        assert result["hits"][0]["url"] == first
    else:
        assert result["total"] >= 4 and all(h["category"] == "行政给付" for h in result["hits"])


def test_pages(server):
    status, page1 = api(server, {"q": "政务服务"})
    status, page2 = api(server, {"q": "政务服务", "page": "2"})
    assert page2["page"] == 2 and page2["total"] == page1["total"]
    assert not {h["url"] for h in page1["hits"]} & {h["url"] for h in page2["hits"]}


# --- bad input: 400 with a JSON error, or an empty result; never a 500 ------------------------------

@pytest.mark.parametrize("params, message", [
    ({}, "empty query"),
    ({"q": ""}, "empty query"),
    ({"q": "   "}, "empty query"),
    ({"q": "x" * 201}, "too long"),
    ({"q": "低保" * 1000}, "too long"),
    ({"q": "低保", "page": "0"}, "page must be 1 or more"),
    ({"q": "低保", "page": "-3"}, "page must be 1 or more"),
    ({"q": "低保", "page": "x"}, "page must be a whole number"),
    ({"q": "低保", "unit": "不存在局"}, "unknown unit"),
    ({"q": "低保", "category": "不存在的类别"}, "unknown category"),
    ({"q": "低保", "kind": "文件"}, "unknown kind"),
    ({"q": "低保", "year": "1e3"}, "four digits"),
    ({"q": "低保", "validity": "作废"}, "unknown validity"),
    ({"q": "低保", "sort": "date"}, "unknown parameter"),
    ({"q": "低保", "unit": "\x00"}, "unknown unit"),
])
def test_bad_parameters_are_400_with_a_json_error(server, params, message):
    status, result = api(server, params)
    assert status == 400, result
    assert message in result["error"]


@pytest.mark.parametrize("raw, message", [
    ("q=%FF%FE", "malformed"),  # not UTF-8
    ("q=%E4%BD", "malformed"),  # a truncated UTF-8 sequence
    ("q=%ED%A0%80", "malformed"),  # an encoded surrogate
    ("q=a&q=b", "more than once"),
    ("&".join(f"p{i}=1" for i in range(50)), "malformed"),  # too many parameters
])
def test_malformed_query_strings_are_400(server, raw, message):
    status, result = api(server, raw=raw)
    assert status == 400 and message in result["error"]


@pytest.mark.parametrize("query", ["*", "**", "?", "，。！", '"低保', "低保)", "((", "%", "低*保", "\x01\x02",
                                   "<script>alert(1)</script>", "title:低保", "低保 OR OR"])
def test_odd_queries_are_200_or_400_never_500(server, query):
    status, result = api(server, {"q": query})
    assert status in (200, 400), result
    if status == 200:
        assert result["page"] == 1 and isinstance(result["hits"], list)
    else:
        assert result["error"]


def test_a_page_far_past_the_end_is_empty(server):
    status, result = api(server, {"q": "低保", "page": str(10**9)})
    assert status == 200 and result["hits"] == [] and result["total"] > 0


def test_raw_utf8_in_the_request_line(server):
    status, headers, body = get(server, "/api/search?q=低保".encode("utf-8"))
    assert status == 200 and json.loads(body)["total"] > 0
    status, headers, body = get(server, b"/api/search?q=\xff\xfe")
    assert status == 400 and "error" in json.loads(body)


def test_costly_queries_are_bounded_in_time(server):
    words = "权责清单 低保 营业执照 结婚登记 不动产 社保卡 失业金 工伤 法律援助 宅基地 烟花爆竹 老年证 "
    for query in [(words * 20)[:200], "*" * 200, "?*" * 100, " OR ".join(["低保"] * 40)[:200],
                  "".join(chr(0x4E00 + i * 37) for i in range(200))]:
        started = time.perf_counter()
        status, result = api(server, {"q": query})
        assert time.perf_counter() - started < 5.0, query
        assert status in (200, 400)


def test_twenty_concurrent_clients(server):
    """20 clients, each asking in a loop for about two seconds: every answer right, no error."""
    queries = [({"q": "低保"}, 200), ({"q": "安府发[2021]3号"}, 200), ({"q": "權責清單", "kind": "document"}, 200),
               ({"q": "结婚登记", "unit": "民政局"}, 200), ({"q": "x" * 300}, 400), ({"q": "低保", "page": "0"}, 400),
               ({"q": "政务服务", "page": "3"}, 200), ({"q": "*"}, 200)]
    expected = {json.dumps(p, ensure_ascii=False): api(server, p) for p, _ in queries}
    stop = time.perf_counter() + 2.0

    def client(number: int) -> tuple[int, list[str]]:
        done, errors = 0, []
        while time.perf_counter() < stop:
            params, status = queries[(number + done) % len(queries)]
            try:
                got = api(server, params)
            except Exception as exc:  # noqa: BLE001 - every failure is an error
                errors.append(f"{params}: {type(exc).__name__}: {exc}")
            else:
                if got[0] != status or got != expected[json.dumps(params, ensure_ascii=False)]:
                    errors.append(f"{params}: {got[0]}")
            done += 1
        return done, errors

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        results = list(pool.map(client, range(20)))
    errors = [e for _, errs in results for e in errs]
    assert not errors, errors[:5]
    assert sum(done for done, _ in results) >= 40


def test_serve_follows_a_rebuilt_index(tmp_path):
    """`gongkai serve` kept running while a build swaps a new index in: the next request is
    answered from the new one, so a document the site stopped publishing is not found."""
    catalog, _ = load_catalog(ROOT / "content")
    docs = search_documents(catalog)
    update_index(tmp_path / "index", docs, catalog.synonyms)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>安澜县政务公开</title>\n", encoding="utf-8")
    httpd = make_server(site, Archive(tmp_path / "index"), port=0, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        address = httpd.server_address[:2]
        gone = next(d for d in docs if d.kind == "document")
        target = "/api/search?q=" + "".join(f"%{b:02X}" for b in gone.title.encode())
        status, _, body = get(address, target)
        assert status == 200 and gone.url in [hit["url"] for hit in json.loads(body)["hits"]]
        update_index(tmp_path / "index", [d for d in docs if d is not gone], catalog.synonyms)
        status, _, body = get(address, target)
        assert status == 200 and gone.url not in [hit["url"] for hit in json.loads(body)["hits"]]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
