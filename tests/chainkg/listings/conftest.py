"""A small synthetic data set built by the small path, for the listing builders' tests."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.config import DEFAULT_SEEDS
from chainkg.pipeline import BuildReport, build
from chainkg.store import open_store
from chainkg.synth import synthesize
from chainkg.tables import load_seeds
from tests.registry_fixture import Built


@pytest.fixture(scope="session")
def seeds_built(seed_build: BuildReport, seed_store: ox.Store) -> Built:
    return Built(load_seeds(DEFAULT_SEEDS), seed_store, seed_build)


@pytest.fixture(scope="session")
def synthetic_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("listings")
    synthesize(2_000, root / "seeds", seed=3)
    report = build(root / "seeds", root / "out", large=False)
    return Built(load_seeds(root / "seeds"), open_store(Path(report.files["graph.nq"])), report)
