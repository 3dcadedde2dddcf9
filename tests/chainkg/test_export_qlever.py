"""`chainkg export` writes what QLever's index builder reads, and it round-trips.

QLever indexes N-Triples/Turtle (`-F nt|ttl`) and, in recent versions, N-Quads (`-F nq`);
docs/serving.md ("Past one machine: QLever") says which file to index. Parsed back, the
files hold exactly the store's triples (default graph) and quads (every graph).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph as ox
import rdflib

from chainkg.pipeline import BuildReport
from tests.chainkg.test_remote import CLI


def _export(seed_build: BuildReport, target: Path) -> Path:
    graph = str(seed_build.files["graph.nq"])
    result = subprocess.run(
        [*CLI, "export", str(target), "--graph", graph], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return target


def test_ntriples_export_round_trips(
    tmp_path: Path, seed_build: BuildReport, seed_store: ox.Store
) -> None:
    path = _export(seed_build, tmp_path / "graph.nt")
    back = {q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)}
    expected = {q.triple for q in seed_store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert len(expected) > 10_000 and back == expected
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert len(lines) == len(expected)  # one triple a line, no prefixes: splittable input
    assert len(rdflib.Graph().parse(str(path), format="nt")) == len(expected)  # a second parser


def test_nquads_export_round_trips(
    tmp_path: Path, seed_build: BuildReport, seed_store: ox.Store
) -> None:
    path = _export(seed_build, tmp_path / "graph.nq")
    back = set(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    assert back == set(seed_store)
    graphs = {q.graph_name for q in back}
    assert ox.DefaultGraph() in graphs and len(graphs) > 3
    dataset = rdflib.Dataset()
    dataset.parse(str(path), format="nquads")
    assert len(list(dataset.quads())) == len(back)
