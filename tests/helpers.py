"""Small helpers shared by the core tests (not fixtures)."""

from __future__ import annotations

import contextlib
import csv
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent  # the checkout
CASES = Path(__file__).parent / "cases"  # hand-made inputs, one folder per case
TINY = CASES / "tiny"


def command_beside_python(name: str) -> str:
    """The console script `name` installed next to the running Python (a venv's bin/, which
    `.venv/bin/python -m pytest` does not put on PATH), else on PATH. A test extra that is
    missing is an install error, not a reason to skip: this raises."""
    beside = Path(sys.executable).parent / name  # not resolved: the venv's bin/, not /usr/bin
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(
            f"'{name}' is neither beside {sys.executable} nor on PATH; "
            "install the test extras: pip install -e '.[test]'"
        )
    return found


def stop_process(process: subprocess.Popen, grace: float = 10) -> None:
    """Stop a process a test started: SIGTERM, then SIGKILL after `grace` seconds."""
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(grace)
    process.kill()  # a no-op once it has exited
    process.wait()
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


def copy_tiny(tmp_path: Path) -> Path:
    """A writable copy of the tiny seeds folder."""
    target = tmp_path / "seeds"
    shutil.copytree(TINY / "seeds", target)
    return target


def edit_csv(path: Path, row: int | None = None, **changes: str) -> None:
    """Change cells of data row `row` (0-based), or append a row when row is None."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    if row is None:
        rows.append({f: changes.get(f, "") for f in fields})
    else:
        rows[row].update(changes)
    write_csv(path, fields, rows)


def write_csv(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# Neither the seeds nor the synthetic data name an expert; this INSERT adds posts held in a
# chain, in a segment and in a member firm.
EXPERTS = """INSERT { ?p1 a ckg:Post ; ckg:holder ?who ; ckg:postKind "expert" ;
                          ckg:roleText "首席专家" ; ckg:postIn ?chain .
             ?p2 a ckg:Post ; ckg:holder ?who ; ckg:postKind "chain_chief" ;
                          ckg:roleText "链长" ; ckg:postIn ?segment .
             ?p3 a ckg:Post ; ckg:holder ?who ; ckg:postKind "expert" ;
                          ckg:roleText "技术顾问" ; ckg:postIn ?firm .
             ?p4 a ckg:Post ; ckg:holder ?who ; ckg:postKind "other" ;
                          ckg:roleText "董事" ; ckg:postIn ?chain .
             ?who a ckg:Person ; rdfs:label "张专家"@zh . }
WHERE { { SELECT ?chain ?segment ?firm WHERE {
          ?segment skos:inScheme ?chain . ?firm ckg:inChain ?chain } ORDER BY ?firm LIMIT 1 }
        BIND(IRI(CONCAT(STR(?chain), "/expert")) AS ?who)
        BIND(IRI(CONCAT(STR(?chain), "/post1")) AS ?p1)
        BIND(IRI(CONCAT(STR(?chain), "/post2")) AS ?p2)
        BIND(IRI(CONCAT(STR(?chain), "/post3")) AS ?p3)
        BIND(IRI(CONCAT(STR(?chain), "/post4")) AS ?p4) }"""
