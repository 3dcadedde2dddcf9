"""The listings builders of `chainkg.listings.ties` give the named queries' answers: on the
seed graph and on a small synthetic graph with supplier hubs, for the unbound answer and for
every key a builder yields, the builder's rows equal `run_named_query`'s, row for row in the
query's order (rows the ORDER BY leaves tied compared as multisets); and a key a builder does
not yield is one whose answer is small (or empty) for SPARQL to give."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest

from chainkg.assemble import assemble
from chainkg.config import DEFAULT_SEEDS
from chainkg.listings import ties
from chainkg.queries import get_query, run_named_query, run_query
from chainkg.registry_import import import_enterprises
from chainkg.store import store_from_quads
from chainkg.synth import synthesize
from chainkg.synth_registry import synthesize_registry, synthesize_registry_dataset
from chainkg.tables import Seeds, load_seeds

HUB_ROWS = 40  # the synthetic graph's threshold: its biggest supplier hubs exceed it


@dataclass(frozen=True)
class Case:
    query: str
    param: str | None  # the parameter a key binds (None: the query has none)
    build: Callable[..., Iterator[ties.ListingRows]]
    ordered_by: tuple[str, ...]  # the ORDER BY's columns (those among the answer's)
    hubs_only: bool  # keys only for answers above the threshold (`min_rows`)
    keys: str  # SPARQL listing the keys a complete builder (min_rows=0) would yield


_ENTERPRISES = "SELECT ?k WHERE { ?k a ckg:Enterprise } ORDER BY ?k"
CASES = [
    Case(
        "suppliers-of",
        "company",
        ties.build_suppliers_of,
        ("customer_label", "supplier_label"),
        True,
        _ENTERPRISES,
    ),
    Case(
        "relations-with-evidence",
        None,
        ties.build_relations_with_evidence,
        ("predicate_label", "subject_label", "object_label", "quote"),
        False,
        "",
    ),
    Case(
        "list-main-enterprises",
        "chain",
        ties.build_list_main_enterprises,
        ("stage_order", "detail", "label", "item", "source", "quote"),
        False,
        "SELECT ?k WHERE { ?k a ckg:IndustrialChain } ORDER BY ?k",
    ),
    Case(
        "list-early-stage-projects",
        "chain",
        ties.build_list_early_stage_projects,
        ("label", "item", "source", "quote"),
        False,
        "SELECT ?k WHERE { ?k a ckg:IndustrialChain } ORDER BY ?k",
    ),
    Case(
        "enterprise-profile",
        "company",
        ties.build_enterprise_profile,
        ("enterprise", "field", "value", "reason"),
        True,
        _ENTERPRISES,
    ),
    Case(
        "evidence-for-entity",
        "name",
        ties.build_evidence_for_entity,
        ("fact_type", "fact", "article"),
        True,
        "SELECT ?k WHERE { ?e a ckg:Enterprise ; dct:identifier ?k } ORDER BY ?k",
    ),
]
IDS = [c.query for c in CASES]


def runs(columns: list[str], rows: list[list[str]], keys: tuple[str, ...]) -> list:
    """The rows as consecutive runs of equal ORDER BY values, each run a multiset."""
    at = [columns.index(k) for k in keys]
    out: list[tuple[tuple[str, ...], Counter]] = []
    for row in rows:
        key = tuple(row[i] for i in at)
        if not out or out[-1][0] != key:
            out.append((key, Counter()))
        out[-1][1][tuple(row)] += 1
    return out


def assert_same_answer(store: ox.Store, case: Case, key: str, frame: pd.DataFrame) -> None:
    params = {case.param: key} if case.param and key else {}
    expected = run_named_query(store, get_query(case.query), params)
    assert list(frame.columns) == expected.columns, (case.query, key)
    assert all(frame[c].map(type).eq(str).all() for c in frame.columns), (case.query, key)
    rows = frame.to_numpy().tolist()
    assert len(rows) == len(expected.rows), (case.query, key)
    assert runs(expected.columns, rows, case.ordered_by) == runs(
        expected.columns, expected.rows, case.ordered_by
    ), (case.query, key)


@pytest.fixture(scope="module")
def seeds() -> Seeds:
    return load_seeds(DEFAULT_SEEDS)


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Seeds, ox.Store]:
    """2,000 synthetic enterprises (a few supplier hubs with over HUB_ROWS ties) and their
    graph, the quads the build loads (`pipeline.build` stores `assemble`'s quads)."""
    root: Path = tmp_path_factory.mktemp("synth")
    synthesize(2_000, root, seed=7)
    seeds = load_seeds(root)
    return seeds, store_from_quads(assemble(seeds))


def _answers(case: Case, seeds: Seeds, min_rows: int) -> dict[str, pd.DataFrame]:
    kwargs = {"min_rows": min_rows} if case.hubs_only else {}
    answers: dict[str, pd.DataFrame] = {}
    for key, frame in case.build(seeds, **kwargs):
        assert key not in answers, f"{case.query}: key {key!r} yielded twice"
        answers[key] = frame
    return answers


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_key_on_the_seeds(case: Case, seeds: Seeds, seed_store: ox.Store) -> None:
    """With no threshold a builder yields every key with a non-empty answer (and the unbound
    answer), each equal to SPARQL's; the keys it leaves out have an empty answer."""
    answers = _answers(case, seeds, min_rows=0)
    if case.query not in ("enterprise-profile", "evidence-for-entity"):
        assert "" in answers and len(answers[""]) > 0
    for key, frame in answers.items():
        assert_same_answer(seed_store, case, key, frame)
    if case.keys:
        every = [r[0] for r in run_query(seed_store, case.keys).rows]
        assert set(every) & set(answers), case.query
        for key in [k for k in every if k not in answers]:
            assert_same_answer(seed_store, case, key, _empty(answers))


def _empty(answers: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return next(iter(answers.values())).iloc[:0]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_hubs_of_a_synthetic_graph(case: Case, synth: tuple[Seeds, ox.Store]) -> None:
    """Above the threshold: every yielded key has more rows than it and equals SPARQL; the
    biggest hub is among them; small answers are left to SPARQL."""
    seeds, store = synth
    answers = _answers(case, seeds, min_rows=HUB_ROWS)
    if case.hubs_only:
        hubs = [k for k in answers if k]
        assert hubs, f"{case.query}: no answer above {HUB_ROWS} rows"
        assert all(len(answers[k]) > HUB_ROWS for k in hubs)
        complete = _answers(case, seeds, min_rows=0)
        big = {k for k, f in complete.items() if k and len(f) > HUB_ROWS}
        assert set(hubs) == big
        small = [k for k, f in complete.items() if k and 0 < len(f) <= HUB_ROWS]
        checked = {k: complete[k] for k in sorted(small)[:: max(1, len(small) // 8)]}
        answers.update(checked)  # a few small ones too (SPARQL answers those in use)
    for key, frame in answers.items():
        assert_same_answer(store, case, key, frame)
    if case.param:
        absent = {"company": "https://w3id.org/chainkg/synth/enterprise/ent-0", "name": "无此名"}
        if case.query == "suppliers-of":
            lonely = _without_ties(seeds)
            absent["company"] = f"https://w3id.org/chainkg/synth/enterprise/{lonely}"
        key = absent.get(case.param)
        if key and case.query != "enterprise-profile":
            assert key not in answers
            assert_same_answer(store, case, key, _empty(answers))


def _without_ties(seeds: Seeds) -> str:
    """An enterprise that neither supplies nor buys (its suppliers-of answer is empty)."""
    relations = seeds.tables["relations"]
    ties_ = relations[relations["predicate"].isin(["supplier_of", "customer_of"])]
    tied = set(ties_["subject"]) | set(ties_["object"])
    return next(e for e in seeds.tables["enterprises"]["id"] if e not in tied)


def test_rows_are_deterministic(synth: tuple[Seeds, ox.Store]) -> None:
    """The same seeds give the same keys and rows in the same order (the side table is
    written byte for byte the same)."""
    seeds, _store = synth
    for case in CASES:
        first, second = _answers(case, seeds, 0), _answers(case, seeds, 0)
        assert list(first) == list(second)
        assert all(first[k].equals(second[k]) for k in first)


def test_registry_rows_leave_their_answers_to_sparql(tmp_path: Path) -> None:
    """Registry rows add enterprises, their fields and evidence, presences and placements
    by rules the builders of ties do not repeat: on such a data set those they affect yield
    nothing (SPARQL answers); `relations-with-evidence`, `suppliers-of` and
    `list-early-stage-projects` (no relations or projects here) and `list-main-enterprises`
    (registry rows read as table rows) still equal SPARQL."""
    export = synthesize_registry(60, tmp_path / "export.csv", seed=1).path
    root = synthesize_registry_dataset(tmp_path / "seeds", "registry-export")
    import_enterprises(export, root, date="2024-01-31")
    seeds = load_seeds(root)
    assert seeds.registry
    store = store_from_quads(assemble(seeds))
    for case in CASES:
        answers = _answers(case, seeds, min_rows=0)
        if case.query in ("relations-with-evidence", "suppliers-of"):
            assert list(answers) == [""] and answers[""].empty
            assert_same_answer(store, case, "", answers[""])
        elif case.query in ("list-main-enterprises", "list-early-stage-projects"):
            if case.query == "list-main-enterprises":
                assert len(answers[""]) > 5  # the chains' members, no segment known
            assert len(answers) > 5  # and each chain's
            for key, frame in answers.items():
                assert_same_answer(store, case, key, frame)
        else:
            assert answers == {}, case.query


def test_list_main_enterprises_with_registry_rows(registry_built) -> None:  # noqa: ANN001
    """Registry firms present in the zone and placed in a chain's segments or the chain,
    with curated firms matched to registry rows: the rows equal SPARQL for every chain."""
    (case,) = [c for c in CASES if c.query == "list-main-enterprises"]
    answers = _answers(case, registry_built.seeds, min_rows=0)
    rows = answers[""]
    assert {"环节未知", "上游", "中游"} <= set(rows["kind"]) and "龙头" in set(rows["detail"])
    assert (rows["quote"] == "").sum() > 100 and (rows["quote"] != "").any()
    for key, frame in answers.items():
        assert_same_answer(registry_built.store, case, key, frame)


def test_suppliers_of_with_registry_rows(registry_built) -> None:  # noqa: ANN001
    """Curated supply ties between firms matched to registry rows (present by their
    registered address, or located by their own row) and curated ones: every key equals
    SPARQL, the stages the registry gives included."""
    (case,) = [c for c in CASES if c.query == "suppliers-of"]
    answers = _answers(case, registry_built.seeds, min_rows=0)
    assert len(answers) == 5  # every tie, and the four firms' own
    # placed by its registered address; not present (the supplier from outside the zone)
    assert set(answers[""]["supplier_stage"]) == {"在产", ""}
    assert set(answers[""]["customer_stage"]) == {"在产", "在建"}  # (a base being built)
    for key, frame in answers.items():
        assert_same_answer(registry_built.store, case, key, frame)
