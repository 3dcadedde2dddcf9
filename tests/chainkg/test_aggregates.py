"""The gap summary (chainkg.aggregates): what the build precomputes equals what the graph
answers directly, on both build paths, and a changed graph never reads an old summary."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from chainkg.aggregates import (
    SUMMARY_FILE,
    Answers,
    Summary,
    graph_identity,
    summary_for,
    write_summary,
)
from chainkg.config import DEFAULT_SEEDS
from chainkg.gaps import TOP, WEAK_THRESHOLD, analyse
from chainkg.gaps.early import ASKED_TABLE, confirm_summary, precompute_summary
from chainkg.gaps.fetch import rows, stream
from chainkg.gaps.tables import COMPUTED, UNSTATED, TableAnswers
from chainkg.mapping_panorama import registry_firms, registry_ties
from chainkg.panorama import PANORAMA_QUERY, panorama_status
from chainkg.pipeline import build
from chainkg.presence import places_in_zone
from chainkg.report import BuildReport
from chainkg.store import open_store
from chainkg.synth import synthesize
from chainkg.tables import load_seeds


def _report(data) -> str:
    """The whole analysis as text: every field of every chain summary and segment gap."""
    return json.dumps(
        [[a.summary.to_dict(), [g.to_dict() for g in a.gaps]] for a in data],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )


def _key(row: dict[str, str]) -> tuple:
    return tuple(sorted(row.items()))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, BuildReport]]:
    """A synthetic data set built by each path: the graph a reader opens, and the report."""
    root = tmp_path_factory.mktemp("aggregates")
    out = {}
    for path, n, large in (("streaming", 2_000, True), ("small", 1_000, False)):
        seeds = root / f"seeds-{path}"
        synthesize(n, seeds, seed=3)
        report = build(seeds, root / f"out-{path}", large=large, gap_reports=True)
        graph = report.out_dir / ("store" if large else "graph.nq")
        out[path] = (graph, report)
    return out


@pytest.mark.parametrize("path", ["streaming", "small"])
def test_both_builds_write_the_summary_of_their_graph(builds, path: str) -> None:
    graph, report = builds[path]
    assert report.files[SUMMARY_FILE] == graph.parent / SUMMARY_FILE
    summary = summary_for(graph)
    assert summary is not None
    assert graph_identity(graph) in summary.identities()
    names = Counter(name for (name, _params), _a in summary.items())
    # the whole-graph aggregates, and per-entity answers: listings and leads' ties
    for name in ("gap-segment-counts", "gap-chain-counts", "gap-chain-suppliers", "gap-projects"):
        assert names[name] == 1, name
    assert names["gap-entity-ties"] > 10 and names["gap-segment-actors"] > 10


@pytest.mark.parametrize("path", ["streaming", "small"])
def test_precomputed_answers_equal_the_graphs_answers(builds, path: str) -> None:
    """Every answer the summary holds, asked again of the built graph by SPARQL: the same
    rows; a listing read only in part holds the first rows the graph gives, in the query's
    order (by label), whichever store it was read from."""
    graph, _built = builds[path]
    store = open_store(graph)
    summary = summary_for(graph)
    assert summary is not None
    partial = 0
    for (name, params_text), answer in summary.items():
        params = json.loads(params_text)
        if answer.complete:
            live = rows(store, name, **params)
            assert Counter(map(_key, answer.rows)) == Counter(map(_key, live)), (name, params)
        else:
            partial += 1
            live = list(stream(store, name, params))
            assert not Counter(map(_key, answer.rows)) - Counter(map(_key, live)), (name, params)
            assert len(answer.rows) < len(live)
            assert answer.rows == live[: len(answer.rows)], (name, params)
    assert partial, "no listing was cut short: the test does not cover partial answers"


@pytest.mark.parametrize("path", ["streaming", "small"])
def test_the_analysis_from_the_summary_equals_the_live_one(builds, path: str) -> None:
    graph, _built = builds[path]
    store = open_store(graph)
    summary = summary_for(graph)
    assert summary is not None
    live = analyse(store)
    assert _report(analyse(store, summary=summary)) == _report(live)
    assert any(g.candidate_total for a in live for g in a.gaps)  # leads were ranked


def test_other_parameters_read_the_rest_from_the_graph(builds) -> None:
    """A summary recorded with --top 20 serves --top 40, --top 3 and another threshold: what it
    lacks (longer listings, other segments' leads) is asked of the store."""
    graph, _built = builds["streaming"]
    store = open_store(graph)
    summary = summary_for(graph)
    assert summary is not None
    for threshold, top in ((2, 40), (5, 3)):
        assert _report(analyse(store, None, threshold, top, summary)) == _report(
            analyse(store, None, threshold, top)
        )


def test_a_summary_records_only_while_recording(builds) -> None:
    graph, _built = builds["small"]
    store = open_store(graph)
    idle, recording = Answers(), Answers(recording=True)
    analyse(store, summary=idle)
    analyse(store, summary=recording)
    assert not idle.items() and recording.items()


def test_changed_data_rebuilds_the_summary(tmp_path: Path) -> None:
    """Rebuilt from changed tables, the summary answers for the new graph; an old summary
    beside a new graph is never read."""
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    synthesize(600, seeds, seed=4)
    first = build(seeds, out, large=True, gap_reports=True)
    store_dir = first.out_dir / "store"
    old = summary_for(store_dir)
    assert old is not None
    kept = tmp_path / "old.sqlite"
    shutil.copy(store_dir.parent / SUMMARY_FILE, kept)
    before = {s["segment"]: s for s in old.get("gap-segment-counts", {}).rows}
    old.close()

    # every enterprise located in the focal zone moves out of it
    inside = places_in_zone(load_seeds(seeds))
    table = seeds / "enterprises.csv"
    frame = pd.read_csv(table, dtype=str, keep_default_na=False)
    outside = next(p for p in frame["located_in"] if p and p not in inside)
    moved = frame["located_in"].isin(inside)
    assert moved.any() and any(int(s["local_enterprises"]) for s in before.values())
    frame.loc[moved, "located_in"] = outside
    frame.to_csv(table, index=False)
    second = build(seeds, out, large=True, gap_reports=True)
    new = summary_for(second.out_dir / "store")
    assert new is not None
    store = open_store(second.out_dir / "store")
    after = new.get("gap-segment-counts", {})
    assert after is not None
    assert after.rows == rows(store, "gap-segment-counts")
    assert after.rows != list(before.values())
    new.close()
    del store

    # the first build's summary put back beside the second graph: stale, not used
    shutil.copy(kept, second.out_dir / SUMMARY_FILE)
    assert summary_for(second.out_dir / "store") is None
    assert graph_identity(second.out_dir / "store") not in Summary(kept).identities()


def test_no_summary_beside_a_graph_without_one(tmp_path: Path) -> None:
    graph = tmp_path / "graph.nq"
    graph.write_text("", encoding="utf-8")
    assert summary_for(graph) is None


def _panorama_key(row: dict[str, str]) -> tuple:
    """A panorama-status row with its segments in label order."""
    return _key({**row, "segments": "、".join(sorted(row["segments"].split("、")))})


def _table_cases(request: pytest.FixtureRequest, which: str) -> tuple[Any, Any]:
    """(seed tables, the graph built from them) for the real seeds, a synthetic build or a
    registry data set (`registry_built`: an imported export with curated firms and ties)."""
    if which == "seeds":
        return load_seeds(DEFAULT_SEEDS), request.getfixturevalue("seed_store")
    if which == "registry":
        built = request.getfixturevalue("registry_built")
        return built.seeds, built.store
    graph, report = request.getfixturevalue("builds")[which]
    return load_seeds(graph.parent.parent / f"seeds-{which}"), open_store(graph)


_NONE_IN = {
    "seeds": {"gap-chain-suppliers"},
    # (synthetic sets: no segment count, no chain aligned to the reference)
    "streaming": {"gap-segment-statistics", "panorama-status"},
    "small": {"gap-segment-statistics", "panorama-status"},
    # (a registry export and the reference: no article, statistic or project)
    "registry": {"gap-chain-statistics", "gap-segment-statistics", "gap-projects", "gap-sources"},
}
CASES = ["seeds", "streaming", "small", "registry"]


@pytest.mark.parametrize("which", CASES)
def test_table_answers_equal_the_named_queries(request, which: str) -> None:
    """Each answer computed from the seed tables (`TableAnswers`) holds the rows the named
    query gives on the graph built from them, in the query's order where it has one; the
    ties of every enterprise and organization with relations, and of some without."""
    seeds, store = _table_cases(request, which)
    answers = TableAnswers(seeds)
    for name in sorted(set(COMPUTED) - {"gap-entity-ties", "gap-segment-actors"}):
        computed = answers.get(name, {})
        assert computed is not None and computed.complete, name
        live = rows(store, name)
        # (the real seeds name no supplier outside the zone, synthetic sets no segment count)
        assert live or name in _NONE_IN[which], f"{name}: no rows, the comparison proves nothing"
        if name == "gap-chain-suppliers":  # the analysis takes the first `top`: order counts
            assert computed.rows == live, name
        elif name == PANORAMA_QUERY:  # (GROUP_CONCAT's order is the store's: not compared)
            assert Counter(map(_panorama_key, computed.rows)) == Counter(map(_panorama_key, live))
        else:
            assert Counter(map(_key, computed.rows)) == Counter(map(_key, live)), name
    for segment in sorted(answers.index.segment_chain):  # every listing, in the same order
        iri = answers.index.iri(segment)
        computed = answers.get("gap-segment-actors", {"segment": iri})
        assert computed is not None and not computed.kept
        assert list(computed.rows) == rows(store, "gap-segment-actors", segment=iri), segment
    related = sorted(answers.index.neighbours.keys())
    quiet = sorted((answers.index.enterprises | answers.index.organizations) - set(related))
    entities = related[:: max(1, len(related) // 150)] + quiet[:: max(1, len(quiet) // 10)]
    assert any(answers.index.quotes) and len(entities) > 10
    supplying = 0
    for entity in entities:
        iri = answers.index.iri(entity)
        computed = answers.get("gap-entity-ties", {"entity": iri})
        assert computed is not None, entity
        live = rows(store, "gap-entity-ties", entity=iri)
        assert Counter(map(_key, computed.rows)) == Counter(map(_key, live)), entity
        supplying += any(r["supplies"] == "true" for r in live)
    assert supplying, "no supply tie among the entities compared"
    # a node that is no enterprise or organization: its ties are asked of the store
    chain = next(iter(sorted(answers.index.chains)))
    assert answers.get("gap-entity-ties", {"entity": answers.index.iri(chain)}) is None


def test_the_registry_case_covers_what_registry_rows_add(registry_built) -> None:
    """The registry case above compares what only registry rows make: firms of the registry
    alone counted in segments and chains, ties no statement quotes (empty quote, source and
    mode) beside stated ones, places and presence by registered address."""
    answers = TableAnswers(registry_built.seeds)
    x = answers.index
    added = set(registry_firms(registry_built.seeds)["id"])
    unstated = x.relations.frame[x.relations.frame["assertion"] == UNSTATED]
    assert set(unstated["predicate"]) == {"located_in", "in_chain", "operates_in_segment"}
    assert added & set(unstated["subject"]) and added & {a for a, s in x.stage.items() if s}
    actors = answers.get("gap-chain-actors", {})
    assert actors is not None
    quotes = {(r["actor"].rsplit("/", 1)[-1], r["quote"] != "") for r in actors.rows}
    assert {q for _a, q in quotes} == {True, False}
    assert any(a in added for a, q in quotes if not q)
    counts = answers.get("gap-segment-counts", {})
    assert counts is not None and sum(int(r["local_enterprises"]) for r in counts.rows) > 1
    panoramas = answers.get(PANORAMA_QUERY, {})  # firms by category: registry placements
    assert panoramas is not None and any(int(r["local_firms"]) for r in panoramas.rows)
    assert {r["registry_source"] != "" for r in panoramas.rows} == {True}
    # a tie a relation row states and a placement makes too: the row's quote alone
    triple, stated = ["subject", "predicate", "object"], registry_built.seeds.tables["relations"]
    assert len(registry_ties(registry_built.seeds).merge(stated, on=triple))
    assert not unstated.merge(stated, on=triple).shape[0]


@pytest.mark.parametrize("path", ["streaming", "small"])
def test_the_stored_report_equals_the_one_composed_from_the_answers(builds, path: str) -> None:
    """The build keeps the report it composed (default --top and threshold): read back, it
    equals the report composed again from the summary's answers alone (no store at all:
    the answers hold everything the defaults read), and the live one; other parameters are
    composed (nothing kept for them)."""
    graph, _built = builds[path]
    summary = summary_for(graph)
    assert summary is not None
    kept = summary.report({"top": TOP, "weak_threshold": WEAK_THRESHOLD})
    assert kept is not None and [p for p, _r in summary.reports()] == [
        json.dumps({"top": TOP, "weak_threshold": WEAK_THRESHOLD})
    ]
    assert summary.report({"top": TOP + 1, "weak_threshold": WEAK_THRESHOLD}) is None
    answers_only = Answers()
    answers_only._answers = dict(summary.items())
    recomposed = analyse(None, summary=answers_only)
    stored = analyse(None, summary=summary)
    assert _report(stored) == _report(recomposed)
    assert _report(stored) == _report(analyse(open_store(graph)))
    assert [type(a.summary).__name__ for a in stored] == ["ChainSummary"] * len(stored)
    # one chain from the stored report: that chain's entry, as composed alone
    store = open_store(graph)
    chain = next(a.summary for a in stored if a.gaps)
    assert _report(analyse(store, chain.id, summary=summary)) == _report(analyse(store, chain.id))


def _summary_tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of a written summary's answers and reports (the graphs it names apart)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            "answers": con.execute("SELECT * FROM answers ORDER BY query, params").fetchall(),
            "reports": con.execute("SELECT * FROM reports ORDER BY params").fetchall(),
        }
    finally:
        con.close()


@pytest.mark.parametrize("which", CASES)
def test_the_summary_precomputed_from_the_tables_equals_the_stages(
    request, tmp_path: Path, which: str
) -> None:
    """The gap stage before the store exists (`chainkg.gaps.early`): the analysis run on the
    seed tables and the partial graph made from them, confirmed against the built graph,
    writes the very answers and report the stage writes from the built graph, and names it."""
    seeds, store = _table_cases(request, which)
    staged = TableAnswers(seeds)
    analyse(store, summary=staged)
    panorama_status(store, summary=staged)  # as the stage does: the panoramas' rows kept
    graph = tmp_path / "graph.nq"  # a file standing for the graph the summary names
    graph.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    write_summary(staged, tmp_path / "staged.sqlite", [graph])

    early, dest = tmp_path / "early.tmp", tmp_path / "early.sqlite"
    precompute_summary(seeds, early)
    con = sqlite3.connect(early)
    asked = {name for (name,) in con.execute(f"SELECT query FROM {ASKED_TABLE}")}
    con.close()
    assert asked >= {"gap-chains", "gap-segments"}
    assert confirm_summary(early, store, dest, [graph])
    assert not early.exists()
    assert _summary_tables(dest) == _summary_tables(tmp_path / "staged.sqlite")
    assert Summary(dest).identities() == {graph_identity(graph)}


def test_a_graph_that_answers_otherwise_is_not_confirmed(builds, tmp_path: Path) -> None:
    """A precomputed summary checked against a graph whose chains differ (another data set's
    graph): not confirmed, nothing written, the temporary files removed."""
    graph, _built = builds["streaming"]
    other_seeds = load_seeds(builds["small"][0].parent.parent / "seeds-small")
    early, dest = tmp_path / "early.tmp", tmp_path / "early.sqlite"
    precompute_summary(other_seeds, early)
    assert not confirm_summary(early, open_store(graph), dest, [graph])
    assert not dest.exists() and not early.exists()
    assert not confirm_summary(early, open_store(graph), dest, [graph])  # nothing to confirm


def test_the_large_build_keeps_the_summary_its_child_precomputed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The large build computes the gap summary in a child process while the store loads,
    and keeps it once the store confirms it: the gaps stage runs no analysis of its own (the
    parent's `TableAnswers` is never made), and the summary equals the analysis of the
    built store, the gap pages included."""
    import chainkg.gaps.tables as gap_tables

    seeds = tmp_path / "seeds"
    synthesize(600, seeds, seed=5)

    class NotHere(TableAnswers):
        def __init__(self, seeds) -> None:
            raise AssertionError("the gaps stage ran the analysis itself")

    monkeypatch.setattr(gap_tables, "TableAnswers", NotHere)
    built = build(seeds, tmp_path / "out", large=True, gap_reports=True)
    monkeypatch.undo()
    store_dir = built.out_dir / "store"
    assert not (built.out_dir / ".gaps-early.sqlite").exists()
    summary = summary_for(store_dir)
    assert summary is not None and "gaps/index.html" in " ".join(map(str, built.files))
    assert _report(analyse(None, summary=summary)) == _report(analyse(open_store(store_dir)))
    assert _summary_tables(store_dir.parent / SUMMARY_FILE)["answers"]


def test_a_build_failing_after_the_child_leaves_no_precomputed_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large build failing in the write stage (after the child's summary moved out of its
    folder) removes that summary with the other temporary files, and keeps no output."""
    import chainkg.stream as stream

    seeds = tmp_path / "seeds"
    synthesize(300, seeds, seed=6)

    def failing(path: Path, graphs: list[Path]) -> None:
        assert (tmp_path / "out" / ".gaps-early.sqlite").is_file()  # the case under test
        raise OSError("disk full")

    monkeypatch.setattr(stream, "name_graphs", failing)
    with pytest.raises(OSError, match="disk full"):
        build(seeds, tmp_path / "out", large=True, gap_reports=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
