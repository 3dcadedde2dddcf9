"""The orchestrator and the build command: exit codes, and out/ kept intact on failure."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.progress import Progress

from chainkg import pipeline
from chainkg.pipeline import build, is_large
from tests.helpers import REPO, copy_tiny, edit_csv


def run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build_graph.py"), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def test_build_reports_counts_and_stages(tmp_path: Path) -> None:
    report = build(copy_tiny(tmp_path), tmp_path / "out")
    assert report.class_counts["Enterprise"] == 3
    assert report.class_counts["Relation"] == 3
    assert report.class_counts["Evidence"] == 12  # 11 rows + the derived presence of 乙集团
    assert report.class_counts["ZonePresence"] == 1
    assert set(report.seconds) >= {"load", "evidence", "assemble", "validate", "write"}
    assert report.conforms and report.triples > 100


def test_build_command_exit_0_and_summary(tmp_path: Path) -> None:
    result = run_build("--seeds", str(copy_tiny(tmp_path)), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "Enterprise" in result.stdout and "SHACL: conforms" in result.stdout
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_build_command_takes_the_streaming_path_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_build("--seeds", str(copy_tiny(tmp_path)), "--out", str(out), "--large")
    assert result.returncode == 0, result.stderr
    assert "SHACL: conforms" in result.stdout and "not written for large graphs" in result.stdout
    assert (out / "store").is_dir() and (out / "graph.nq").is_file()
    assert not (out / "graph.ttl").exists()


def test_one_entry_point_runs_both_paths_with_the_same_counts(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    stages: list[str] = []
    bars = Progress(disable=True)
    large = build(seeds, tmp_path / "large", on_stage=stages.append, large=True, progress=bars)
    assert large.streaming and not bars.live.is_started  # started for the build, then stopped
    assert {"load", "assemble", "bulk-load", "validate"} <= set(stages)
    small = build(seeds, tmp_path / "small", large=False)
    assert not small.streaming
    assert large.class_counts == small.class_counts and large.triples == small.triples


def test_bad_input_exit_2_and_previous_out_untouched(tmp_path: Path) -> None:
    seeds, out = copy_tiny(tmp_path), tmp_path / "out"
    assert run_build("--seeds", str(seeds), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    edit_csv(seeds / "enterprises.csv", 0, quote="这句话不在文章里")
    result = run_build("--seeds", str(seeds), "--out", str(out))
    assert result.returncode == 2
    assert "enterprises.csv, line 2, field 'quote'" in result.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before


def _strict_shapes(tmp_path: Path) -> Path:
    """The packaged shapes plus one that no enterprise of the tiny seeds meets."""
    shapes = tmp_path / "strict.ttl"
    shapes.write_text(
        (REPO / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
        + """
ckgsh:EveryEnterpriseNeedsADescription a sh:NodeShape ; sh:targetClass ckg:Enterprise ;
    sh:property [ sh:path dct:description ; sh:minCount 1 ] .
""",
        encoding="utf-8",
    )
    return shapes


def test_shacl_failure_exit_1_and_nothing_written(tmp_path: Path) -> None:
    seeds, out = copy_tiny(tmp_path), tmp_path / "out"
    shapes = _strict_shapes(tmp_path)
    result = run_build("--seeds", str(seeds), "--out", str(out), "--shapes", str(shapes))
    assert result.returncode == 1, result.stderr
    assert "SHACL validation failed" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("compiled", [False, True])
def test_small_build_validates_with_the_compiled_checks_above_the_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled: bool
) -> None:
    """Above PYSHACL_MAX_QUADS the small path checks the compiled SPARQL shapes over an
    in-memory store (every node) instead of pyshacl over the whole graph: a violation is
    still found and named, nothing is written; the tiny seeds otherwise conform."""
    from chainkg import pipeline
    from chainkg.errors import ValidationFailed

    if compiled:
        monkeypatch.setattr(pipeline, "PYSHACL_MAX_QUADS", 0)
    seeds = copy_tiny(tmp_path)
    with pytest.raises(ValidationFailed) as failed:
        build(seeds, tmp_path / "strict", shapes=_strict_shapes(tmp_path))
    assert ("Store validation:" in str(failed.value)) is compiled
    assert "description" in str(failed.value)
    assert not (tmp_path / "strict").exists()
    assert build(seeds, tmp_path / "out").conforms


def test_streaming_shacl_failure_keeps_previous_out(tmp_path: Path) -> None:
    """The name index is written by a child process while the store is validated: a
    failing validation stops it, and out/ keeps the previous build's files and no others."""
    seeds, out = copy_tiny(tmp_path), tmp_path / "out"
    assert run_build("--seeds", str(seeds), "--out", str(out), "--large").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    names_before = sorted(p.name for p in out.iterdir())
    assert {"graph.nq", "names.sqlite"} <= set(before) and "store" in names_before
    shapes = _strict_shapes(tmp_path)
    result = run_build("--seeds", str(seeds), "--out", str(out), "--large", "--shapes", str(shapes))
    assert result.returncode == 1, result.stderr
    assert "SHACL validation failed" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == names_before


def test_name_index_worker_reports_its_error(tmp_path: Path) -> None:
    from chainkg.stream import _fork_index, _wait_index

    pid = _fork_index([("only", "two")], tmp_path / "names")  # a row needs four fields
    with pytest.raises(RuntimeError, match="name index worker .* failed: Traceback"):
        _wait_index(pid, tmp_path / "names")
    pid = _fork_index([("iri", "名字", "label_zh", "Enterprise")], tmp_path / "ok")
    _wait_index(pid, tmp_path / "ok")
    assert (tmp_path / "ok" / "names.sqlite").is_file()


def test_unknown_seeds_folder_exit_2(tmp_path: Path) -> None:
    result = run_build("--seeds", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "seeds folder not found" in result.stderr


def test_forked_stage_returns_its_value_and_raises_its_error() -> None:
    # `_Forked` itself, whatever `_can_fork()` says here: it answered False on CI once,
    # because a server an earlier test failed to stop still had threads running
    from chainkg.pipeline import _Forked

    assert _Forked(sorted, [3, 1, 2]).result() == [1, 2, 3]
    with pytest.raises(ZeroDivisionError):
        _Forked(divmod, 1, 0).result()
    sleeper = _Forked(time.sleep, 60)
    sleeper.stop()  # what happens when the build fails before asking for the result
    assert not sleeper._process.is_alive()


def test_a_firm_in_two_yearly_exports_counts_once_for_the_large_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The streaming build (no site) starts above LARGE_ENTERPRISES firms, not rows: the
    exports' distinct credit codes, beside enterprises.csv's rows."""
    monkeypatch.setattr(pipeline, "LARGE_ENTERPRISES", 20)
    (tmp_path / "registry").mkdir()
    (tmp_path / "enterprises.csv").write_text("id,label_zh\n" + "e,甲\n" * 5, "utf-8")

    def export(name: str, codes: range) -> None:
        rows = "".join(f"91430200MA4L{n:05d},firm {n}\n" for n in codes)
        (tmp_path / "registry" / name).write_text("统一社会信用代码,企业名称\n" + rows, "utf-8")

    export("2024.csv", range(15))
    export("2025.csv", range(15))  # the same 15 firms a year later: 5 + 15 firms
    assert not is_large(tmp_path)
    export("2025.csv", range(1, 16))  # one firm more: 21
    assert is_large(tmp_path)
