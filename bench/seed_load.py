"""Time `load_seeds` (the build's `load` stage) of two versions of tables.py side by side.

    python bench/seed_load.py SEEDS [--old REF] [--repeat 3] [--same] [--fork-min-bytes N]

Each timing runs in a fresh process (as a build's first stage does), the versions
alternating: OLD is `graph/chainkg/tables.py` at the git ref REF (default main), loaded as a
module of its own; NEW is this checkout's. It prints, per run, wall seconds and the CPU
seconds of the process and of its reaped children (the forked readers). With `--same` it
first loads the seeds with both in one process and checks that the `Seeds` agree: every
frame `equals` with the same dtypes, and the same articles, files, ids, kinds, registry.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _module(version: str, ref: str) -> ModuleType:
    """chainkg.tables (new) or the file at `ref` as a separate module (old)."""
    if version == "new":
        import chainkg.tables

        return chainkg.tables
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:graph/chainkg/tables.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="seed-load-")) / "tables_old.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("tables_old", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _time_one(version: str, seeds: str, ref: str, fork_min: int | None) -> dict[str, float]:
    module = _module(version, ref)
    if fork_min is not None and version == "new":
        module.FORK_MIN_BYTES = fork_min
    load_seeds = module.load_seeds
    before, wall = os.times(), time.perf_counter()
    load_seeds(seeds)
    wall, after = time.perf_counter() - wall, os.times()
    own = after.user + after.system - before.user - before.system
    children = (
        after.children_user + after.children_system - before.children_user - before.children_system
    )
    return {"wall": wall, "cpu": own, "children_cpu": children}


def _same(seeds: str, ref: str, fork_min: int | None) -> str:
    module = _module("new", ref)
    if fork_min is not None:
        module.FORK_MIN_BYTES = fork_min
    old, new = _module("old", ref).load_seeds(seeds), module.load_seeds(seeds)
    assert list(old.tables) == list(new.tables), "the tables differ"
    for name, frame in old.tables.items():
        other = new.tables[name]
        assert frame.equals(other), f"{name}: the frames differ"
        assert list(frame.columns) == list(other.columns), f"{name}: the columns differ"
        assert list(frame.dtypes) == list(other.dtypes), f"{name}: the dtypes differ"
    assert old.articles == new.articles, "the articles differ"
    assert old.files == new.files, "the files differ"
    assert old.table_of == new.table_of, "the id index differs"
    assert list(old.table_of) == list(new.table_of), "the id index's order differs"
    assert old.source_kinds == new.source_kinds, "the source kinds differ"
    assert old.registry == new.registry, "the registry files differ"
    assert old.config == new.config, "the config differs"
    rows = sum(len(f) for f in old.tables.values())
    return f"same Seeds: {len(old.tables)} tables, {rows:,} rows, {len(old.articles):,} articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds")
    parser.add_argument("--old", default="main", help="git ref of the old tables.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--same", action="store_true", help="check the Seeds agree first")
    parser.add_argument(
        "--fork-min-bytes", type=int, help="the new version's FORK_MIN_BYTES (to try others)"
    )
    parser.add_argument("--one", choices=["old", "new"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_time_one(args.one, args.seeds, args.old, args.fork_min_bytes)))
        return
    if args.same:
        print(_same(args.seeds, args.old, args.fork_min_bytes), flush=True)
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for i in range(args.repeat):
        for version in ("old", "new"):
            command = [sys.executable, __file__, args.seeds, "--old", args.old, "--one", version]
            if args.fork_min_bytes is not None:
                command += ["--fork-min-bytes", str(args.fork_min_bytes)]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            run = json.loads(out.strip().splitlines()[-1])
            runs[version].append(run)
            print(
                f"run {i + 1} {version}: wall {run['wall']:.2f} s, CPU {run['cpu']:.2f} s"
                f" + children {run['children_cpu']:.2f} s",
                flush=True,
            )
    medians = {v: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for v, rs in runs.items()}
    old, new = medians["old"], medians["new"]
    print(
        f"median wall: old {old['wall']:.2f} s, new {new['wall']:.2f} s "
        f"({new['wall'] / old['wall']:.0%} of old); CPU old {old['cpu'] + old['children_cpu']:.2f}"
        f" s, new {new['cpu']:.2f} s + children {new['children_cpu']:.2f} s"
    )


if __name__ == "__main__":
    main()
