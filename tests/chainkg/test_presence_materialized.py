"""The zone presence the build materializes (`ckg:zoneStage`, from `chainkg.presence`) equals
the presence computed directly from the graph by one SPARQL query over locatedIn/partOf*,
sites, projects and subsidiaries, for every enterprise and organization: on the seeds and on a
synthetic set of 2,000 enterprises."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.assemble import assemble
from chainkg.config import DEFAULT_SEEDS
from chainkg.queries import run_query
from chainkg.store import store_from_quads
from chainkg.synth import synthesize
from chainkg.tables import load_seeds
from tests.helpers import REPO

PRESENCE_CASE = REPO / "tests" / "cases" / "gaps" / "presence" / "seeds"

# presence.py's rule, read off the graph: an actor is present where it, or any subsidiary of
# it (transitively), is located in the focal zone or a place inside it (producing), has a site
# there (the site's status; producing without one) or invests in a project there (the
# project's status; signed without one). Planned and failed make no presence. The most
# advanced stage wins: 1 producing, 2 building, 3 signed.
DIRECT = """
SELECT ?actor (MIN(?level) AS ?stage) (GROUP_CONCAT(DISTINCT ?how) AS ?hows) WHERE {
  ?ds ckg:focalZone ?zone .
  VALUES ?class { ckg:Enterprise ckg:Organization }
  ?actor a ?class .
  ?actor (^ckg:subsidiaryOf)* ?holder .
  {
    ?holder ckg:locatedIn/ckg:partOf* ?zone . BIND(1 AS ?rank) BIND("located" AS ?kind)
  } UNION {
    ?holder org:hasSite ?site . ?site ckg:locatedIn/ckg:partOf* ?zone .
    OPTIONAL { ?site ckg:status ?site_status }
    BIND(IF(BOUND(?site_status), ?site_status, ckg:InProduction) AS ?status)
    BIND("site" AS ?kind)
  } UNION {
    ?project ckg:investor ?holder ; ckg:locatedIn/ckg:partOf* ?zone .
    OPTIONAL { ?project ckg:status ?project_status }
    BIND(IF(BOUND(?project_status), ?project_status, ckg:Signed) AS ?status)
    BIND("project" AS ?kind)
  }
  BIND(COALESCE(?rank,
       IF(?status IN (ckg:InProduction, ckg:Completed), 1,
       IF(?status IN (ckg:Started, ckg:UnderConstruction), 2,
       IF(?status = ckg:Signed, 3, 0)))) AS ?level)
  FILTER(?level > 0)
  BIND(IF(?holder = ?actor, ?kind, "subsidiary") AS ?how)
}
GROUP BY ?actor
"""
MATERIALIZED = """
SELECT ?actor ?stage WHERE {
  ?actor ckg:zoneStage ?present .
  VALUES (?present ?stage) {
    (ckg:PresentProducing 1) (ckg:PresentBuilding 2) (ckg:PresentSigned 3)
  }
}
"""


def _direct(store: ox.Store) -> tuple[dict[str, int], set[str]]:
    rows = run_query(store, DIRECT).records()
    return {r["actor"]: int(r["stage"]) for r in rows}, {
        how for r in rows for how in r["hows"].split()
    }


def _materialized(store: ox.Store) -> dict[str, int]:
    return {r["actor"]: int(r["stage"]) for r in run_query(store, MATERIALIZED).records()}


@pytest.mark.parametrize(
    ("seeds", "rules"),
    [
        (DEFAULT_SEEDS, {"located", "project", "subsidiary"}),
        (PRESENCE_CASE, {"located", "site", "project"}),
    ],
    ids=["seeds", "presence-case"],
)
def test_materialized_presence_equals_direct(seeds: Path, rules: set[str]) -> None:
    store = store_from_quads(assemble(load_seeds(seeds)))
    direct, hows = _direct(store)
    assert hows >= rules  # the rules are exercised
    assert _materialized(store) == direct


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    seeds = tmp_path_factory.mktemp("synth")
    synthesize(2_000, seeds, seed=7)
    return store_from_quads(assemble(load_seeds(seeds)))


def test_materialized_presence_equals_direct_at_2000(synthetic_store: ox.Store) -> None:
    direct, hows = _direct(synthetic_store)
    assert hows >= {"located", "project", "subsidiary"}
    stages = set(direct.values())
    assert len(direct) > 500 and stages >= {1, 2}, (len(direct), stages)
    materialized = _materialized(synthetic_store)
    differ = sorted(
        a for a in direct.keys() | materialized.keys() if direct.get(a) != materialized.get(a)
    )
    assert differ == [], f"{len(differ)} actors differ, e.g. {differ[:5]}"
