"""The listing queries rewritten to start from the few nodes they list (institutes,
associations, posts, fairs, projects, leaders, a chain's segments) give exactly the answer of
their previous text (`previous_queries/`): on the seed graph and a small synthetic graph, for
every chain and with no chain, row for row and in the same order."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.assemble import assemble
from chainkg.dialects import uses_lateral
from chainkg.queries import get_query, run_query
from chainkg.store import store_from_quads
from chainkg.synth import synthesize
from chainkg.tables import load_seeds
from chainkg.vocab import PREFIXES
from tests.helpers import EXPERTS

PREVIOUS = Path(__file__).parent / "previous_queries"
REWRITTEN = sorted(p.stem for p in PREVIOUS.glob("*.rq"))


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    seeds = tmp_path_factory.mktemp("synth")
    synthesize(400, seeds, seed=7)
    store = store_from_quads(assemble(load_seeds(seeds)))
    store.update(EXPERTS, prefixes=PREFIXES)
    return store


def _answers(store: ox.Store, name: str) -> list[tuple[list[list[str]], list[list[str]]]]:
    """(previous text's rows, rewritten query's rows) with no chain and for every chain."""
    previous = (PREVIOUS / f"{name}.rq").read_text(encoding="utf-8")
    current = get_query(name).text
    chains = run_query(store, "SELECT ?c WHERE { ?c a ckg:IndustrialChain } ORDER BY ?c").rows
    out = []
    for params in [{}, *({"chain": c} for (c,) in chains)]:
        out.append(
            (run_query(store, previous, params).rows, run_query(store, current, params).rows)
        )
    return out


def test_the_rewritten_queries_are_the_named_ones() -> None:
    assert len(REWRITTEN) == 7
    for name in REWRITTEN:
        assert "chain" in get_query(name).params
        assert uses_lateral(get_query(name).text)  # details looked up per row


@pytest.mark.parametrize("graph", ["seed_store", "synth_store"])
@pytest.mark.parametrize("name", REWRITTEN)
def test_same_answer_as_before(request: pytest.FixtureRequest, graph: str, name: str) -> None:
    answers = _answers(request.getfixturevalue(graph), name)
    for before, after in answers:
        assert after == before
    assert len(answers) > 3


def test_the_comparison_sees_rows(seed_store: ox.Store, synth_store: ox.Store) -> None:
    """Each rewritten query answers something on one of the two graphs (an empty answer on
    both would prove nothing)."""
    for name in REWRITTEN:
        unbound = [_answers(s, name)[0][0] for s in (seed_store, synth_store)]
        assert any(unbound), name
