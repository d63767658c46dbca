"""The sample county's content meets the minimums of the issue, and checks without errors."""

from __future__ import annotations


import json

import pytest

from conftest import GONGKAI, ROOT, run
from gongkai.model.schema import POWER_CATEGORIES


@pytest.fixture(scope="module")
def report() -> dict:
    result = run([GONGKAI, "check", "--format", "json"], cwd=ROOT)
    assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    data["returncode"] = result.returncode
    return data


def test_no_errors(report):
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors == []
    assert report["returncode"] == 0


def test_at_least_12_units(report):
    assert report["counts"]["units"] >= 12


def test_at_least_100_power_items(report):
    assert report["counts"]["powers"] >= 100


def test_every_power_category_used(report):
    assert list(report["categories"]) == list(POWER_CATEGORIES)
    missing = [c for c, n in report["categories"].items() if n < 1]
    assert missing == []


def test_at_least_8_guides(report):
    assert report["counts"]["guides"] >= 8


def test_at_least_30_documents(report):
    assert report["counts"]["documents"] >= 30


def test_at_least_6_notices(report):
    assert report["counts"]["notices"] >= 6


def test_two_townships_or_streets_with_functional_bodies(catalog):
    towns = [u for u in catalog.units.values() if u.type in ("乡镇", "街道")]
    with_bodies = [t for t in towns
                   if any(c.type == "职能机构" for c in catalog.children.get(t.unit_id, []))]
    assert len(with_bodies) >= 2, [t.unit_id for t in towns]


def test_a_grid_roster(catalog):
    grids = [u for u in catalog.units.values() if u.type == "网格" and u.roster]
    assert grids
    assert all(m.role and m.name for m in grids[0].roster)


def test_guides_refer_to_items(catalog):
    assert any(g.power for g in catalog.guides)


def test_the_sample_shows_a_replaced_document(catalog):
    assert any(catalog.successor_of(d) for d in catalog.documents)
