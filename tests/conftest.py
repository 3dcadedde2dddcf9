"""Shared fixtures: one build of the real seeds per test session, and small helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.config import DEFAULT_SEEDS
from chainkg.pipeline import BuildReport, build
from chainkg.store import open_store

REPO = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.skip_policy", "tests.registry_fixture"]


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The real seeds built once into a temporary out/ folder."""
    out = tmp_path_factory.mktemp("out")
    return build(DEFAULT_SEEDS, out)


@pytest.fixture(scope="session")
def seed_store(seed_build: BuildReport) -> ox.Store:
    """The seed graph loaded from the N-Quads the build wrote."""
    return open_store(seed_build.files["graph.nq"])


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the real seeds folder, for tests that break it on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(DEFAULT_SEEDS, target)
    return target


@pytest.fixture(scope="session")
def streamed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """A small synthetic data set built by the streaming (large) path: an on-disk store and
    the gap reports, no static site (what `chainkg serve` renders pages from at scale)."""
    from chainkg.synth import synthesize

    root = tmp_path_factory.mktemp("streamed")
    synthesize(1_000, root / "seeds", seed=11)
    return build(root / "seeds", root / "out", large=True)
