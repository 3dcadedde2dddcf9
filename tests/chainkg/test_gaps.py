"""Gap analysis: on a hand-made graph whose answers are known by construction
(tests/cases/gaps/basic), then on the seed graph for what the articles support."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from chainkg.cli import app
from chainkg.gaps import (
    LEVEL_ZH,
    chain_summaries,
    compute_gaps,
    gap_report_data,
    resolve_chain,
)
from chainkg.pipeline import BuildReport, build
from chainkg.queries import run_query
from chainkg.store import open_store
from chainkg.synth import synthesize
from chainkg_viz.analysis import ChainReport
from chainkg_viz.reports import Links, report_html, report_markdown, write_reports

CASE = Path(__file__).parents[1] / "cases" / "gaps" / "basic"
EXPECTED = json.loads((CASE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def basic_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The hand-made case built through the real pipeline."""
    return build(CASE / "seeds", tmp_path_factory.mktemp("gaps-basic"))


@pytest.fixture(scope="module")
def basic_store(basic_build: BuildReport) -> ox.Store:
    return open_store(basic_build.files["graph.nq"])


def _by_segment(store: ox.Store, **kwargs: object) -> dict[str, object]:
    return {g.segment_id: g for g in compute_gaps(store, **kwargs)}  # type: ignore[arg-type]


# ---------------------------------------------------------------- hand-made case


def test_levels_and_candidates_known_by_construction(basic_store: ox.Store) -> None:
    got = [g.to_dict() for g in compute_gaps(basic_store)]
    keys = EXPECTED["gaps"][0].keys()
    assert [{k: g[k] for k in keys} for g in got] == EXPECTED["gaps"]


def test_weak_threshold_moves_levels(basic_store: ox.Store) -> None:
    three = _by_segment(basic_store, weak_threshold=3)
    assert three["bat-cells"].level == "weak"  # two local firms < 3
    one = _by_segment(basic_store, weak_threshold=1)
    assert one["bat-cathode"].level == "covered" and one["bat-cathode"].candidates == []
    with pytest.raises(ValueError, match="at least 1"):
        compute_gaps(basic_store, weak_threshold=0)


def test_candidate_reasons_paths_and_evidence(basic_store: ox.Store) -> None:
    packs = _by_segment(basic_store)["bat-packs"]
    first, second = packs.candidate_details
    assert (first.label, first.rank, second.label, second.rank) == ("丙包装公司", 1, "丁包公司", 2)
    assert first.reason_kinds == ["operates-in-segment", "supplies-local-leader"]
    assert first.reasons == ["在电池包环节有业务", "为本区龙头甲龙头公司供货"]
    assert {e.quote for e in first.evidence} == {"丙包装公司生产电池包", "是甲龙头公司的供应商"}
    assert first.local_ties == 1 and second.local_ties == 0
    assert first.profile_href == "../entities/bing-packs.html"
    recycling = _by_segment(basic_store)["bat-recycling"]
    # 乙回收公司 (the benchmark's recycler) signed a project in the zone: a follow-up
    assert recycling.candidate_details == [] and recycling.level == "pipeline"
    [follow] = recycling.follow_ups
    assert (follow.label, follow.stage_zh) == ("乙回收公司", "已签约")
    assert [p.label for p in follow.projects] == ["乙回收公司甲市项目"]


def test_basis_separates_missing_in_zone_from_missing_in_data(basic_store: ox.Store) -> None:
    gaps = _by_segment(basic_store)
    assert "none in the zone" in gaps["bat-packs"].basis_note
    assert "bases or projects there are signed" in gaps["bat-recycling"].basis_note
    assert "乙回收公司甲市项目" in gaps["bat-recycling"].basis_note  # a project under way
    assert [e.quote for e in gaps["bat-cathode"].evidence] == ["甲材料公司生产正极材料"]


def test_chain_summaries(basic_store: ox.Store) -> None:
    got = {s.id: s for s in chain_summaries(basic_store)}
    assert sorted(got) == sorted(EXPECTED["chains"])
    for chain_id, want in EXPECTED["chains"].items():
        s = got[chain_id]
        assert (s.segments, s.missing, s.weak, s.covered) == (
            want["segments"],
            want["missing"],
            want["weak"],
            want["covered"],
        )
        assert s.local_supply_rate == want["local_supply_rate"]
        assert [f.value_text for f in s.benchmark_supply_rates] == want["benchmark_supply_rates"]
        assert {ld.label: ld.linked_local for ld in s.leaders} == want["leaders"]
        assert s.local_enterprises == want["local_enterprises"]
    assert any("no segments" in note for note in got["empty-chain"].data_gaps)
    assert got["battery"].local_enterprises_without_segment == ["甲配套公司"]


@pytest.mark.parametrize("name", ["电池", "电池产业链", "BATTERIES", "battery"])
def test_resolve_chain_by_label_alias_or_id(basic_store: ox.Store, name: str) -> None:
    assert resolve_chain(basic_store, name).endswith("/chain/battery")


def test_unknown_chain_lists_the_chains(basic_store: ox.Store) -> None:
    with pytest.raises(KeyError) as info:
        compute_gaps(basic_store, chain="不存在")
    message = info.value.args[0]
    assert "不存在" in message and "battery (电池)" in message
    assert "yi-battery" in message


def test_cli_json_and_errors(basic_build: BuildReport, tmp_path: Path) -> None:
    graph = str(basic_build.files["graph.nq"])
    runner = CliRunner()
    result = runner.invoke(app, ["gaps", "--graph", graph, "--chain", "电池", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["segment"] for r in rows] == ["正极材料", "电芯", "电池包", "电池回收"]
    for key in ("chain", "order", "stage", "level", "local_enterprises", "candidates", "evidence"):
        assert key in rows[0]
    bad = runner.invoke(app, ["gaps", "--graph", graph, "--chain", "nope"])
    assert bad.exit_code == 2 and "empty-chain" in bad.stderr
    no_out = runner.invoke(app, ["gaps", "--graph", graph, "-f", "xlsx"])
    assert no_out.exit_code == 2 and "--output" in no_out.stderr
    xlsx = tmp_path / "gaps.xlsx"
    ok = runner.invoke(app, ["gaps", "--graph", graph, "-f", "xlsx", "-o", str(xlsx)])
    assert ok.exit_code == 0
    sheet = pd.read_excel(xlsx, sheet_name="缺链弱链")
    assert list(sheet["状态"]) == [LEVEL_ZH[g["level"]] for g in EXPECTED["gaps"]]
    csv = runner.invoke(app, ["gaps", "--graph", graph, "-f", "csv", "-w", "3"])
    assert "bat-cells" not in csv.stdout and ",电芯,midstream,weak," in csv.stdout
    table = runner.invoke(app, ["gaps", "--graph", graph])
    assert table.exit_code == 0 and "丙包装公司" in table.stdout


def test_build_writes_gap_reports(basic_build: BuildReport) -> None:
    html = basic_build.out_dir / "site" / "gaps" / "battery.html"
    assert basic_build.files["site/gaps/battery.html"] == html
    text = html.read_text(encoding="utf-8")
    assert text.index("缺链") < text.index("missing")  # Chinese first
    assert "丙包装公司" in text and "是甲龙头公司的供应商" in text
    assert "<script" not in text and 'href="http' not in text
    md = (basic_build.out_dir / "site" / "gaps" / "empty-chain.md").read_text(encoding="utf-8")
    assert "数据缺口" in md


def test_report_escapes_data(basic_build: BuildReport, tmp_path: Path) -> None:
    store = open_store(basic_build.files["graph.nq"])  # a private copy to tamper with
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    old = list(store.quads_for_pattern(None, label, ox.Literal("甲龙头公司", language="zh")))
    assert old
    for quad in old:
        store.remove(quad)
        evil = ox.Literal("<script>alert(1)</script>", language="zh")
        store.add(ox.Quad(quad.subject, label, evil, quad.graph_name))
    write_reports(store, tmp_path)
    text = (tmp_path / "battery.html").read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# ---------------------------------------------------------------- capped lists, full totals

SYNTH = "https://w3id.org/chainkg/synth/"


@pytest.fixture(scope="module")
def synth_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """A synthetic graph big enough that segments hold more enterprises than `top`."""
    seeds = tmp_path_factory.mktemp("synth-seeds")
    synthesize(2_000, seeds, seed=3)
    return seeds, build(seeds, tmp_path_factory.mktemp("synth-out"), large=True)


def _csv_counts(seeds: Path) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """From the synth CSVs alone: (local, elsewhere) enterprises per segment IRI, and local
    enterprises per chain IRI (in one of its segments or leading it)."""
    places = pd.read_csv(seeds / "places.csv", dtype=str).fillna("")
    parent = dict(zip(places["id"], places["part_of"], strict=True))
    zone = "zone-0"

    def in_zone(place: str) -> bool:
        while place:
            if place == zone:
                return True
            place = parent.get(place, "")
        return False

    firms = pd.read_csv(seeds / "enterprises.csv", dtype=str).fillna("")
    local = {e for e, at in zip(firms["id"], firms["located_in"], strict=True) if in_zone(at)}
    rel = pd.read_csv(seeds / "relations.csv", dtype=str).fillna("")
    # producing in the zone also through a producing project there or a local subsidiary
    projects = pd.read_csv(seeds / "projects.csv", dtype=str).fillna("")
    producing = projects[projects["status"].isin(["in_production", "completed"])]
    local |= {
        i
        for i, at in zip(producing["investor"], producing["site"], strict=True)
        if in_zone(at) and i
    }
    subs = rel[rel["predicate"] == "subsidiary_of"]
    local |= {
        parent for sub, parent in zip(subs["subject"], subs["object"], strict=True) if sub in local
    }
    rel = rel[rel["subject"].isin(set(firms["id"]))]
    works = rel[rel["predicate"] == "operates_in_segment"].drop_duplicates(["subject", "object"])
    works = works.assign(local=works["subject"].isin(local))
    per_segment = {
        f"{SYNTH}segment/{seg}": (int(g["local"].sum()), int((~g["local"]).sum()))
        for seg, g in works.groupby("object")
    }
    segments = pd.read_csv(seeds / "segments.csv", dtype=str)
    chain_of = dict(zip(segments["id"], segments["chain"], strict=True))
    members = {(chain_of[o], s) for s, o in zip(works["subject"], works["object"], strict=True)}
    leads = rel[rel["predicate"].isin(["leads_chain", "in_chain"])]
    members |= set(zip(leads["object"], leads["subject"], strict=True))
    per_chain: dict[str, int] = {}
    for chain, firm in members:
        if firm in local:
            key = f"{SYNTH}chain/{chain}"
            per_chain[key] = per_chain.get(key, 0) + 1
    return per_segment, per_chain


def test_lists_capped_and_totals_counted_independently(synth_build) -> None:
    seeds, report = synth_build
    store = ox.Store.read_only(str(report.files["store"]))
    top = 5
    data = gap_report_data(store, top=top)
    per_segment, per_chain = _csv_counts(seeds)
    gaps = [g for _s, gs in data for g in gs]
    assert len(gaps) == len(pd.read_csv(seeds / "segments.csv"))
    assert any(g.local_total > top for g in gaps) and any(g.non_local_total > top for g in gaps)
    for g in gaps:
        # not located in the zone = signed or building there (pipeline) + not present at all
        elsewhere = g.non_local_total + g.pipeline_total
        assert (g.local_total, elsewhere) == per_segment.get(g.segment_iri, (0, 0))
        assert len(g.local_enterprises) == min(top, g.local_total)
        assert len(g.non_local_enterprises) == min(top, g.non_local_total)
        assert len(g.candidates) == min(top, g.candidate_total)
        assert g.local_enterprises == sorted(g.local_enterprises)
    query = """SELECT ?seg (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e ckg:operatesInSegment ?seg ; a ckg:Enterprise ; ckg:zoneStage ckg:PresentProducing .
    } GROUP BY ?seg"""
    by_query = {r["seg"]: int(r["n"]) for r in run_query(store, query).records()}
    assert {g.segment_iri: g.local_total for g in gaps if g.local_total} == by_query
    for s, _gaps in data:
        assert s.local_enterprise_total == per_chain.get(s.iri, 0), s.id
        assert len(s.local_enterprises) == min(top, s.local_enterprise_total)
        assert len(s.chain_candidates) <= top and s.chain_candidate_total >= len(s.chain_candidates)
        for leader in s.leaders:
            assert len(leader.linked_local) == min(top, leader.linked_total)
    assert any(s.local_enterprise_total > top for s, _g in data)


def test_report_says_how_many_more(synth_build) -> None:
    _seeds, report = synth_build
    store = ox.Store.read_only(str(report.files["store"]))
    top = 5
    summary, gaps = next((s, g) for s, g in gap_report_data(store, top=top) if g)
    big = max(gaps, key=lambda g: g.local_total)
    assert big.local_total > top
    rest = f"另有 {big.local_total - top} 家"
    command = f"chainkg query segment-enterprises --param chain={summary.id}"
    md = report_markdown(ChainReport(summary, gaps, {}))
    html = report_html(ChainReport(summary, gaps, {}), Links(), "test")
    for text in (md, html):
        assert rest in text and command in text
        assert text.index(rest) < text.index(f"and {big.local_total - top} more")
    assert f"区内企业 (local enterprises): {summary.local_enterprise_total}" in md


# ---------------------------------------------------------------- the seed graph


def test_seed_every_chain_is_reported(seed_store: ox.Store) -> None:
    summaries = chain_summaries(seed_store)
    gaps = compute_gaps(seed_store)
    assert len(summaries) >= 20 and len({s.id for s in summaries}) == len(summaries)
    assert {g.chain_id for g in gaps} <= {s.id for s in summaries}
    assert all(g.level in ("missing", "pipeline", "weak", "covered") for g in gaps)
    for s in summaries:
        assert s.segments == s.missing + s.pipeline + s.weak + s.covered
        assert s.no_panorama == (s.segments == 0 and not s.reference_panorama)
        if s.no_panorama:
            assert s.levels_text.startswith("全景图缺失") and "0" not in s.levels_text


def test_seed_local_supply_rates_next_to_benchmarks(seed_store: ox.Store) -> None:
    by_id = {s.id: s for s in chain_summaries(seed_store)}
    # 200余家链上企业的本地配套率才30% ; 上下游本地配套率仅20% ; 本地就近配套率达到60%
    assert "30%" in by_id["nev"].local_supply_rate
    assert "20%" in by_id["electronics"].local_supply_rate
    assert "60%" in [f.value_text for f in by_id["nev"].benchmark_supply_rates]


def test_seed_hsinchu_ic_segments_in_order(seed_store: ox.Store) -> None:
    # IC design upstream, wafer fabrication midstream, packaging and testing downstream
    ic = compute_gaps(seed_store, chain="hsinchu-ic")
    assert [g.stage for g in ic] == ["upstream", "midstream", "downstream"]
    assert [g.order for g in ic] == sorted(g.order for g in ic)
    assert all(g.level == "missing" for g in ic)  # nothing of it in the zone


def test_seed_nev_vehicle_makers_cover_their_segment(seed_store: ox.Store) -> None:
    # 依托北汽株洲公司、中车时代电动、奇点汽车,一个集新能源轿车、客车、专用车...
    nev = {g.segment: g for g in compute_gaps(seed_store, chain="新能源汽车")}
    makers = [g for g in nev.values() if "北汽株洲公司" in g.local_enterprises]
    assert makers and makers[0].level == "covered"


def test_seed_own_chain_wins_an_ambiguous_name(seed_store: ox.Store) -> None:
    # 电子信息 names both the zone's chain and Changsha's benchmark chain
    assert resolve_chain(seed_store, "电子信息").endswith("/chain/electronics")


def test_cli_json_with_panorama_keeps_the_gap_list(seed_build: BuildReport) -> None:
    """`--with-panorama` puts the chain's reference panorama (category statuses) beside the
    unchanged list of segment gaps; without it the JSON stays the plain list."""
    from chainkg.panorama import panorama_status

    graph = str(seed_build.files["graph.nq"])
    runner = CliRunner()
    plain = runner.invoke(app, ["gaps", "--graph", graph, "--chain", "nev", "-f", "json"])
    both = runner.invoke(
        app, ["gaps", "--graph", graph, "--chain", "nev", "-f", "json", "--with-panorama"]
    )
    assert plain.exit_code == both.exit_code == 0, both.output
    listed, obj = json.loads(plain.stdout), json.loads(both.stdout)
    assert isinstance(listed, list) and listed and obj["gaps"] == listed
    (panorama,) = obj["panorama"]
    (expected,) = panorama_status(open_store(seed_build.files["graph.nq"]), "nev")
    assert panorama["chain_id"] == "nev" and panorama["counts"] == expected.counts()
    assert [(c["label"], c["status"]) for c in panorama["categories"]] == [
        (c.label, c.status) for c in expected.categories
    ]
    assert {"present", "no-data"} <= {c["status"] for c in panorama["categories"]}
    md = runner.invoke(
        app, ["gaps", "--graph", graph, "--chain", "nev", "-f", "md", "--with-panorama"]
    )
    assert (
        md.exit_code == 0
        and "参考全景图与现状" in md.stdout
        and "新能源汽车储能装置制造" in md.stdout
    )
