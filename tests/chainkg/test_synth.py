"""The synthetic generator: valid seeds, realistic shapes, deterministic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from chainkg.evidence import check_evidence
from chainkg.synth import synthesize
from chainkg.tables import load_seeds


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("synth")
    return out, synthesize(2_000, out, seed=7)


def test_synth_seeds_pass_validation_and_quote_check(synth_dir):
    out, counts = synth_dir
    seeds = load_seeds(out)
    assert len(seeds.tables["enterprises"]) == counts["enterprises"] == 2_000
    assert check_evidence(seeds) == counts["quotes"]


def test_synth_shapes(synth_dir):
    out, counts = synth_dir
    segments = pd.read_csv(out / "segments.csv", dtype=str)
    relations = pd.read_csv(out / "relations.csv", dtype=str)
    assert segments.chain.nunique() == counts["chains"] >= 8
    used = set(relations.loc[relations.predicate == "operates_in_segment", "object"])
    assert counts["empty_segments"] == len(set(segments.id) - used) > 0
    suppliers = relations.loc[relations.predicate == "supplier_of", "subject"].value_counts()
    assert suppliers.iloc[0] >= 20 * suppliers.median()  # heavy tail: hubs
    projects = pd.read_csv(out / "projects.csv", dtype=str)
    assert projects.amount_yuan.astype(float).gt(0).all() and projects.year.notna().all()


def test_synth_is_deterministic(tmp_path: Path, synth_dir):
    out, _ = synth_dir
    synthesize(2_000, tmp_path, seed=7)
    for path in sorted(out.glob("*.csv")) + [out / "dataset.toml"]:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
    other = tmp_path / "other"
    synthesize(2_000, other, seed=8)
    assert (other / "enterprises.csv").read_bytes() != (out / "enterprises.csv").read_bytes()
