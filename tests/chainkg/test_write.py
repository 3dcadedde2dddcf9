"""Stage 5: outputs are atomic, deterministic and say the same thing in three syntaxes."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from chainkg import write
from chainkg.pipeline import build
from tests.helpers import REPO, copy_tiny


def test_same_seeds_give_byte_identical_files(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    first = build(seeds, tmp_path / "one").files
    second = build(seeds, tmp_path / "two").files
    for name in ("graph.nq", "graph.ttl", "graph.jsonld"):
        assert first[name].read_bytes() == second[name].read_bytes(), name


def test_real_seeds_byte_identical(seed_build, tmp_path: Path) -> None:
    from chainkg.config import DEFAULT_SEEDS

    again = build(DEFAULT_SEEDS, tmp_path / "again").files
    for name in ("graph.nq", "graph.ttl", "graph.jsonld"):
        assert again[name].read_bytes() == seed_build.files[name].read_bytes(), name


def test_three_serializations_hold_the_same_triples(tmp_path: Path) -> None:
    files = build(copy_tiny(tmp_path), tmp_path / "out").files
    ttl = rdflib.Graph().parse(files["graph.ttl"], format="turtle")
    jsonld = rdflib.Graph().parse(files["graph.jsonld"], format="json-ld")
    dataset = rdflib.Dataset()
    dataset.parse(files["graph.nq"], format="nquads")
    merged = rdflib.Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    assert isomorphic(ttl, merged)
    assert isomorphic(ttl, jsonld)


def test_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"previous")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(write.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write.atomic_write(target, b"new content")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]  # no temp file left behind


def test_outputs_are_readable_by_others(tmp_path: Path) -> None:
    path = write.atomic_write(tmp_path / "x.ttl", b"x")
    assert path.stat().st_mode & 0o044  # group/other read under the usual umask


def test_whole_out_folder_identical_across_processes(tmp_path: Path) -> None:
    """Two builds in fresh processes with different hash seeds: every file byte-identical
    (graph files, gap reports, site). Set iteration order must never reach an output."""
    import os
    import subprocess
    import sys

    repo = REPO
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "build_graph.py", "--out", str(out)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        outs.append(out)
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*") if p.is_file())
    different = [str(f) for f in files if (outs[0] / f).read_bytes() != (outs[1] / f).read_bytes()]
    assert different == []
