"""Store validation at scale: main's `validate_store` against this branch's, side by side.

    flock /work/wt/heavy.lock .venv/bin/python bench/validate_checks.py STORE [--repeats 3]
        [--per-check]

STORE is a built store folder (opened read-only). Runs `validate_store(store, path=STORE,
guaranteed=ASSEMBLY_GUARANTEES)` as the large build does, alternating the version in git's
`main` branch and the working tree's, and prints wall and CPU seconds (this process plus its
waited-for children: the check worker). With --per-check, also each check's seconds
(this branch's queries: probe, then the check if the probe finds something).
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from chainkg import validate
from chainkg.mapping import ASSEMBLY_GUARANTEES


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _main_module(folder: Path):  # noqa: ANN202 - a module object
    text = subprocess.run(
        ["git", "show", "main:graph/chainkg/validate.py"], check=True, capture_output=True
    ).stdout
    path = folder / "validate_main.py"
    path.write_bytes(text)
    spec = importlib.util.spec_from_file_location("validate_main", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["validate_main"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def per_check(store: ox.Store) -> None:
    checks, _ = validate.compile_shapes()
    checks = [c for c in checks if not validate.is_guaranteed(c, ASSEMBLY_GUARANTEES)]
    sizes = {t: validate._count(store, f"?s a <{t}>") for t in {c.target for c in checks}}
    rows = []
    for check in checks:
        wall, cpu = time.perf_counter(), time.process_time()
        found = sizes[check.target] > 0
        if found and check.probe:
            found = bool(store.query(check.probe, prefixes=validate.PREFIXES))
        if found:
            triples = validate._count(store, f"?s <{check.path}> ?o") if check.path else None
            validate._select(store, check.for_size(sizes[check.target], triples) + " LIMIT 20")
        rows.append((time.process_time() - cpu, time.perf_counter() - wall, check, found))
    rows.sort(key=lambda r: -r[0])
    print("| CPU s | wall s | class | path | check | ran |\n|---|---|---|---|---|---|")
    for cpu, wall, c, found in rows[:15]:
        name, path = c.target.rsplit("#", 1)[-1], c.path.rsplit("#", 1)[-1]
        print(f"| {cpu:.2f} | {wall:.2f} | {name} | {path} | {c.what[:40]} | {found} |")
    print(f"| {sum(r[0] for r in rows):.2f} | {sum(r[1] for r in rows):.2f} | all {len(rows)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--per-check", action="store_true")
    args = parser.parse_args()
    store = ox.Store.read_only(str(args.store))
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"main": _main_module(Path(tmp)), "branch": validate}
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
        for _ in range(args.repeats):
            for name, module in versions.items():
                wall, cpu = time.perf_counter(), _cpu()
                result = module.validate_store(
                    store, path=args.store, guaranteed=ASSEMBLY_GUARANTEES
                )
                times[name].append((time.perf_counter() - wall, _cpu() - cpu))
                print(
                    f"{name}: {times[name][-1][0]:.2f} s wall, {times[name][-1][1]:.2f} CPU-s,"
                    f" conforms={result.conforms}",
                    flush=True,
                )
    for name, runs in times.items():
        walls, cpus = sorted(w for w, _ in runs), sorted(c for _, c in runs)
        print(
            f"{name}: wall median {walls[len(walls) // 2]:.2f} s, CPU median "
            f"{cpus[len(cpus) // 2]:.2f} s over {len(runs)}"
        )
    if args.per_check:
        per_check(store)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
