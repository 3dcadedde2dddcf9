"""The seven lists: on the hand-made case (known by construction) and on the seed graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from chainkg.cli import app
from chainkg.gap_report import lists_frame
from chainkg.lists import EMPTY_NOTE, EMPTY_NOTES, LISTS, seven_lists
from chainkg.pipeline import BuildReport
from tests.chainkg.test_gaps import EXPECTED, basic_build, basic_store  # noqa: F401  (fixtures)


def test_seven_lists_known_by_construction(basic_store: ox.Store) -> None:  # noqa: F811
    lists = seven_lists(basic_store, "电池")
    assert list(lists) == list(LISTS)
    assert {k: [i.label for i in v] for k, v in lists.items()} == EXPECTED["lists"]
    main = lists["main_enterprises"]
    assert [(i.label, i.kind, i.detail) for i in main[:2]] == [
        ("甲材料公司", "上游", "正极材料"),
        ("甲电芯二厂", "中游", "电芯"),
    ]
    assert lists["leading_enterprises"][0].kind == "本链龙头"
    assert lists["early_stage_projects"][0].evidence[0].quote.startswith("乙回收公司在甲高新区")


def test_empty_list_shown_as_data_gap(basic_store: ox.Store) -> None:  # noqa: F811
    frame = lists_frame(seven_lists(basic_store, "battery"))
    experts = frame[frame["list"] == "experts"]
    assert list(experts["note"]) == [EMPTY_NOTES["experts"]]
    empty = lists_frame(seven_lists(basic_store, "空链"))
    assert set(empty["note"]) == {EMPTY_NOTE, EMPTY_NOTES["experts"]} and len(empty) == len(LISTS)


def test_lists_cli(basic_build: BuildReport) -> None:  # noqa: F811
    graph = str(basic_build.files["graph.nq"])
    runner = CliRunner()
    result = runner.invoke(app, ["lists", "--graph", graph, "--chain", "电池", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["associations"][0]["label"] == "甲电池协会" and data["experts"] == []
    md = runner.invoke(app, ["lists", "--graph", graph, "--chain", "电池", "-f", "md"])
    assert md.exit_code == 0 and "| experts |" in md.stdout and "未点名" in md.stdout
    missing = runner.invoke(app, ["lists", "--graph", graph])
    assert missing.exit_code == 2
    unknown = runner.invoke(app, ["lists", "--graph", graph, "--chain", "x"])
    assert unknown.exit_code == 2 and "names no IndustrialChain" in unknown.stderr


@pytest.mark.parametrize("chain", ["nev", "electronics", "hsinchu-ic"])
def test_seed_lists_have_all_seven(seed_store: ox.Store, chain: str) -> None:
    lists = seven_lists(seed_store, chain)
    assert list(lists) == list(LISTS)
    for items in lists.values():
        labels = [(i.label, i.kind, i.detail) for i in items]
        assert len(labels) == len(set(labels))


def test_seed_nev_fairs_and_projects(seed_store: ox.Store) -> None:
    lists = seven_lists(seed_store, "新能源汽车")
    # 株洲市汽车零部件产业合作对接会 (hz-70years-2019), about the NEV chain's parts
    assert "株洲市汽车零部件产业合作对接会" in [i.label for i in lists["fairs_forums"]]
    assert lists["early_stage_projects"], "the articles name NEV projects under way"
    assert all(i.local for i in lists["main_enterprises"])
