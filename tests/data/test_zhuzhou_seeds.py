"""Facts of the Zhuzhou data set (seeds/): what loads, what the build checks, where facts sit.

Data tests: editing the seeds may change these, never a code test (tests/chainkg/)."""

from __future__ import annotations

import pyoxigraph as ox

from chainkg.config import DEFAULT_SEEDS
from chainkg.pipeline import BuildReport
from chainkg.tables import load_seeds


def test_every_table_has_rows_and_five_articles() -> None:
    seeds = load_seeds(DEFAULT_SEEDS)
    assert len(seeds.articles) == 5
    for name in (
        "places",
        "enterprises",
        "organizations",
        "chains",
        "segments",
        "projects",
        "programs",
        "events",
        "statistics",
        "relations",
        "frameworks",
    ):
        assert len(seeds.tables[name]) > 0, name


def test_real_seed_quotes_all_found(seed_build: BuildReport) -> None:
    assert seed_build.quotes_checked > 500


def test_multi_source_row_goes_into_each_source_graph(seed_store: ox.Store) -> None:
    zone = ox.NamedNode("https://w3id.org/chainkg/zhuzhou-hitech/place/zhuzhou-hitech-zone")
    graphs = {
        q.graph_name.value.rsplit("/", 1)[-1]
        for q in seed_store.quads_for_pattern(zone, None, None)
        if not isinstance(q.graph_name, ox.DefaultGraph)
    }
    assert {"hz-70years-2019", "tianyuan-survey-2023"} <= graphs


def test_seed_graph_conforms(seed_build: BuildReport) -> None:
    assert seed_build.conforms and seed_build.violations == 0
