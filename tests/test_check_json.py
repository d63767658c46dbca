"""`gongkai check --format json`: one JSON object with counts, categories and problems."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from conftest import SMALL_SITE, commit_site, gongkai_check
from gongkai.cli import main
from gongkai.model.schema import POWER_CATEGORIES

COUNT_KEYS = {"units", "powers", "guides", "documents", "notices", "disclosure-guides", "annual-reports", "decisions", "officers"}
PROBLEM_KEYS = {"path", "line", "column", "field", "message", "hint", "severity"}


def check_json(root: Path) -> tuple[int, dict]:
    result = gongkai_check(root, "--format", "json")
    assert "Traceback" not in result.output
    return result.returncode, json.loads(result.stdout)


def assert_shape(report: dict) -> None:
    assert set(report) == {"counts", "categories", "problems", "allowances", "cache"}
    assert report["cache"]["used"] in ("off", "full", "reused")
    assert set(report["counts"]) == COUNT_KEYS
    assert all(type(n) is int and n >= 0 for n in report["counts"].values())
    # Every category in the official order, those with no items included.
    assert list(report["categories"]) == list(POWER_CATEGORIES)
    assert all(type(n) is int and n >= 0 for n in report["categories"].values())
    assert sum(report["categories"].values()) == report["counts"]["powers"]
    assert isinstance(report["problems"], list)
    for problem in report["problems"]:
        assert set(problem) == PROBLEM_KEYS
        assert type(problem["line"]) is int and problem["line"] >= 1
        assert type(problem["column"]) is int and problem["column"] >= 1
        assert problem["severity"] in ("error", "warning")
        assert all(isinstance(problem[k], str) for k in ("path", "field", "message", "hint"))


def test_clean_site(fresh_site: Path):
    commit_site(fresh_site)  # in git, as a county's content is: every page is dated
    code, report = check_json(fresh_site)
    assert code == 0
    assert_shape(report)
    assert report["counts"] == {"units": 2, "powers": 4, "guides": 1, "documents": 1, "notices": 1,
                                "disclosure-guides": 0, "annual-reports": 1, "decisions": 0, "officers": 0}
    assert report["categories"]["行政许可"] == 1
    assert report["categories"]["行政处罚"] == 1
    assert report["categories"]["行政检查"] == 1
    assert report["categories"]["行政确认"] == 1
    assert report["categories"]["公共服务"] == 0
    assert report["problems"] == []


def test_problems_as_data(fresh_site: Path):
    rel = "content/units/zrj/powers/XK-001.md"
    (fresh_site / rel).write_text(SMALL_SITE[rel].replace("category: 行政许可", "category: 行政许可证"), encoding="utf-8")
    doc = "content/units/zrj/documents/2021-gz.md"
    (fresh_site / doc).write_text(SMALL_SITE[doc].replace("〔2021〕", "[2021]"), encoding="utf-8")
    code, report = check_json(fresh_site)
    assert code == 1
    assert_shape(report)
    by_path = {p["path"]: p for p in report["problems"]}
    assert by_path[rel] == {
        "path": rel, "line": 4, "column": 11, "field": "category",
        "message": "'行政许可证' is not a power category", "hint": "did you mean 行政许可?", "severity": "error",
    }
    assert by_path[doc]["severity"] == "warning"
    assert by_path[doc]["field"] == "doc_no"
    assert (by_path[doc]["line"], by_path[doc]["column"]) == (3, 9)
    assert "测自然资发〔2021〕3号" in by_path[doc]["hint"]


def test_warnings_only_exit_zero(fresh_site: Path):
    commit_site(fresh_site)  # every page dated: only the warning below
    doc = "content/units/zrj/documents/2021-gz.md"
    (fresh_site / doc).write_text(SMALL_SITE[doc].replace("〔2021〕", "[2021]"), encoding="utf-8")
    code, report = check_json(fresh_site)
    assert code == 0
    assert [p["severity"] for p in report["problems"]] == ["warning"]


def test_in_process_main(fresh_site: Path, capsys, monkeypatch):
    """cli.main in-process gives the same report as the console script, and leaves the signal
    handlers of the process it runs in as they were (a SIGPIPE left at its default killed test
    workers whose HTTP servers later wrote to a closed socket)."""
    monkeypatch.chdir(fresh_site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")
    before = signal.getsignal(signal.SIGPIPE), signal.getsignal(signal.SIGTERM)
    assert main(["check", "--format", "json"]) == 0
    assert (signal.getsignal(signal.SIGPIPE), signal.getsignal(signal.SIGTERM)) == before
    report = json.loads(capsys.readouterr().out)
    assert_shape(report)
    assert report["counts"]["powers"] == 4


def test_missing_content_directory(tmp_path: Path):
    result = gongkai_check(tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    assert "content directory not found" in result.stdout
