"""The gap rules on a hand-made case whose answers are known by construction
(tests/cases/gaps/presence): presence through a project, stated counts, institutions, and
the ranking of leads; plus parameter resolution."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from chainkg.cli import app
from chainkg.gaps import Level, analyse, segment_level
from chainkg.pipeline import BuildReport, build
from chainkg.queries import AmbiguousName, UnknownName, resolve_entity
from chainkg.store import open_store
from tests.helpers import CASES

CASE = CASES / "gaps" / "presence" / "seeds"


@pytest.fixture(scope="module")
def case_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    return build(CASE, tmp_path_factory.mktemp("presence"))


@pytest.fixture(scope="module")
def gaps(case_build: BuildReport) -> dict:
    [chain] = analyse(open_store(case_build.files["graph.nq"]))
    return {g.segment_id: g for g in chain.gaps}


def test_firm_with_started_project_is_pipeline_and_follow_up_not_target(gaps) -> None:
    # 戊电机公司在丁市生产电机电控,其丙高新区电机基地项目已开工
    motor = gaps["car-motor"]
    assert (motor.level, motor.basis) == ("pipeline", "pipeline")
    assert motor.candidates == [] and motor.local_enterprises == []
    [follow] = motor.follow_ups
    assert (follow.label, follow.stage, follow.stage_zh) == ("戊电机公司", "building", "在建")
    assert [p.text for p in follow.projects] == ["戊电机公司丙高新区电机基地项目(开工)"]
    assert follow.evidence[0].quote == "其丙高新区电机基地项目已开工"


def test_stated_count_beside_one_named_firm(gaps) -> None:
    # 丙零件公司生产零部件。区内有近40家零部件企业。
    parts = gaps["car-parts"]
    assert (parts.level, parts.basis) == ("covered", "stated-count")
    # 辛配件公司 is registered elsewhere but produces in its factory here (a site)
    assert parts.local_enterprises == ["丙零件公司", "辛配件公司"]
    [count] = parts.stated_counts
    assert count.value_text == "近40家" and count.evidence[0].quote == "区内有近40家零部件企业"
    assert "近40家" in parts.basis_note and "具名在产 2 家" in parts.basis_note


def test_institute_covers_rd_segment(gaps) -> None:
    rd = gaps["car-rd"]
    assert (rd.level, rd.basis) == ("covered", "local-institutions")
    assert rd.local_institutions == ["丙研究院"] and rd.local_enterprises == []


def test_lead_supplying_the_local_leader_ranks_first(gaps) -> None:
    body = gaps["car-body"]
    assert body.level == "weak" and body.local_enterprises == ["丙龙头公司"]
    first, second = body.candidate_details
    assert (first.label, first.rank, second.label, second.rank) == (
        "己车身公司",
        1,
        "庚车身公司",
        2,
    )
    assert first.reasons == ["在车身环节有业务", "为本区龙头丙龙头公司供货"]
    assert second.reasons == ["在车身环节有业务"]
    assert first.strength > second.strength
    supply = first.reason_details[1]
    assert [e.quote for e in supply.evidence] == ["为丙龙头公司供货"]
    assert supply.evidence[0].cite == "丙区测试文章,2024-05"  # title and date, not the id
    assert first.profile_href == "../entities/ji-body.html"


def test_level_rule_table() -> None:
    # (producing, stated, institutions, pipeline, elsewhere) -> level, basis
    assert segment_level(2, 0, 0, 0, 0) == (Level.COVERED, "local-enterprises")
    assert segment_level(1, 40, 0, 0, 0) == (Level.COVERED, "stated-count")
    assert segment_level(0, 0, 1, 0, 0) == (Level.COVERED, "local-institutions")
    assert segment_level(1, 0, 0, 3, 0) == (Level.WEAK, "local-enterprises")
    assert segment_level(0, 0, 0, 1, 5) == (Level.PIPELINE, "pipeline")
    assert segment_level(0, 0, 0, 0, 5) == (Level.MISSING, "non-local-only")
    assert segment_level(0, 0, 0, 0, 0) == (Level.MISSING, "no-enterprise-in-graph")
    assert segment_level(2, 0, 0, 0, 0, threshold=3)[0] == Level.WEAK
    assert [lv.zh for lv in Level] == ["已覆盖", "弱链", "在建补链", "缺链"]


def test_presence_is_materialized_once(case_build: BuildReport) -> None:
    store = open_store(case_build.files["graph.nq"])
    rows = store.query(
        "SELECT ?e ?stage WHERE { ?e ckg:zoneStage ?stage } ORDER BY ?e",
        prefixes={"ckg": "https://w3id.org/chainkg/def#"},
    )
    got = {s["e"].value.rsplit("/", 1)[1]: s["stage"].value.rsplit("#", 1)[1] for s in rows}
    assert got == {
        "bing-institute": "PresentProducing",
        "bing-leader": "PresentProducing",
        "bing-parts": "PresentProducing",
        "wu-motor": "PresentBuilding",
        "xin-parts": "PresentProducing",  # through its factory (org:hasSite) in the zone
    }
    sites = store.query(
        "SELECT ?owner ?site WHERE { ?owner org:hasSite ?site . ?site a ckg:Site }",
        prefixes={"ckg": "https://w3id.org/chainkg/def#", "org": "http://www.w3.org/ns/org#"},
    )
    assert [(s["owner"].value, s["site"].value) for s in sites] == [
        (
            "https://example.org/presence/enterprise/xin-parts",
            "https://example.org/presence/site/xin-parts-factory",
        )
    ]


@pytest.mark.parametrize(
    "value", ["汽车", "汽车产业链", "CARS", "car", "https://example.org/presence/chain/car"]
)
def test_parameter_resolution(case_build: BuildReport, value: str) -> None:
    store = open_store(case_build.files["graph.nq"])
    assert resolve_entity(store, "chain", value) == "https://example.org/presence/chain/car"


def test_parameter_errors(case_build: BuildReport, seed_store: ox.Store) -> None:
    store = open_store(case_build.files["graph.nq"])
    with pytest.raises(UnknownName, match="names no IndustrialChain.*car"):
        resolve_entity(store, "chain", "氢能")
    # 电子信息 names the zone's chain and Changsha's: the zone's own wins
    assert resolve_entity(seed_store, "chain", "电子信息").endswith("/chain/electronics")
    with pytest.raises(AmbiguousName, match="人工智能"):
        resolve_entity(
            seed_store, "chain", "人工智能"
        )  # Zhuzhou's and Suzhou's, neither the zone's
    graph = str(case_build.files["graph.nq"])
    result = CliRunner().invoke(
        app, ["query", "chain-leaders", "--graph", graph, "-p", "chain=氢能"]
    )
    assert result.exit_code == 2 and "names no IndustrialChain" in result.stderr
    ok = CliRunner().invoke(
        app, ["query", "chain-leaders", "--graph", graph, "-p", "chain=汽车", "-f", "csv"]
    )
    assert ok.exit_code == 0 and "丙龙头公司" in ok.stdout


def test_internal_queries_hidden_from_list() -> None:
    listed = CliRunner().invoke(app, ["query", "--list"]).stdout
    assert "gap-segment-counts" not in listed and "suppliers-of" in listed
    everything = CliRunner().invoke(app, ["query", "--list", "--all"]).stdout
    assert "gap-segment-counts" in everything


def test_a_candidates_evidence_is_added_once_and_in_order_whatever_its_reasons():
    """`_add_reason` keeps the set of a candidate's evidence between calls: each quote once,
    in the order first given, even when its list was changed or replaced in between."""
    from chainkg.gaps.compose import _add_reason
    from chainkg.gaps.model import Candidate, Evidence

    a, b, c, d = (Evidence(f"src-{i}", f"quote {i}") for i in range(4))
    cand = Candidate("http://example.org/e/1", "某某公司")
    _add_reason(cand, "operates-in-segment", "在甲环节有业务", [b, a])
    _add_reason(cand, "operates-in-segment", "在乙环节有业务", [a, c, b])
    assert cand.evidence == [b, a, c]
    cand.evidence.append(d)  # added elsewhere: the kept set must not miss it
    _add_reason(cand, "operates-in-segment", "在丙环节有业务", [d, a])
    assert cand.evidence == [b, a, c, d]
    cand.evidence = [c]  # replaced by a list of another size
    _add_reason(cand, "operates-in-segment", "在丁环节有业务", [c, a])
    assert cand.evidence == [c, a]
    cand.evidence = [d, b]  # replaced by another list of the same size
    _add_reason(cand, "operates-in-segment", "在戊环节有业务", [b, c])
    assert cand.evidence == [d, b, c]
    assert cand.reasons == [
        "在甲环节有业务",
        "在乙环节有业务",
        "在丙环节有业务",
        "在丁环节有业务",
        "在戊环节有业务",
    ]
