"""Two yearly exports of one registry at scale: the later export's changes in the graph.

    python bench/registry_years.py --size 100000 --out DIR [--keep]

`chainkg.synth_registry` writes an export of `size` firms (imported as of 2024-06-30) and a
registry-only data set; a 2025 export is made from it (1 firm in 20 left out, 1 in 10
renamed, 1 in 10 with a new capital, 1 in 50 deregistered, 1 in 30 at another firm's
address, `size`/50 new firms) and imported after it; then `build` (the streaming path above
20,000 firms, as `chainkg build` chooses). Times the imports, the build, the two registry
changes queries and the changes page (`chainkg_viz.changes`) on the built store, and counts
the changes. Prints one JSON object for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import time
from pathlib import Path

from chainkg.pipeline import build
from chainkg.queries import get_query, run_named_query, run_query
from chainkg.registry_import import import_enterprises
from chainkg.store import open_store
from chainkg.synth_registry import synthesize_registry, synthesize_registry_dataset


def later_export(export: Path, size: int) -> Path:
    """A year later's export of the same registry (see the module docstring)."""
    with export.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    head, body = rows[0], rows[1:]
    name, status, capital, address = (
        head.index(h) for h in ("企业名称", "登记状态", "注册资本", "注册地址")
    )
    later = [head]
    for i, row in enumerate(body):
        row = list(row)
        if i % 20 == 19:
            continue
        if i % 10 == 1:
            row[name] = row[name] + "(更名)"
        if i % 10 == 2 and row[capital]:
            row[capital] = "9999万元"
        if i % 50 == 3:
            row[status] = "注销"
        if i % 30 == 4:
            row[address] = body[(i + 7) % len(body)][address]
        later.append(row)
    new = synthesize_registry(max(1, size // 50), export.with_name("new.csv"), seed=9).path
    with new.open(encoding="utf-8") as handle:
        for row in list(csv.reader(handle))[1:]:
            later.append([*row[:name], "新设" + row[name], *row[name + 1 :]])
    path = export.with_name("export-2025.csv")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(later)
    return path


def timed(results: dict, key: str, func, *args, **kwargs):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    value = func(*args, **kwargs)
    results[key] = round(time.perf_counter() - start, 3)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--keep", action="store_true", help="keep the data set and its build")
    parser.add_argument(
        "--build-only", action="store_true", help="no queries (e.g. on code before them)"
    )
    args = parser.parse_args()
    folder = args.out / f"years-{args.size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    results: dict = {"size": args.size}
    export = synthesize_registry(args.size, folder / "export.csv", seed=0).path
    seeds = synthesize_registry_dataset(folder / "seeds", "registry-export")
    timed(results, "import 2024 s", import_enterprises, export, seeds, date="2024-06-30")
    later = later_export(export, args.size)
    second = timed(results, "import 2025 s", import_enterprises, later, seeds, date="2025-06-30")
    results["changes file lines"] = second.changes
    built = timed(results, "build s", build, seeds, folder / "out")
    results["triples"] = built.triples
    results["build stages s"] = {k: round(v, 1) for k, v in built.seconds.items()}
    if args.build_only:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    from chainkg.listings import open_beside
    from chainkg_viz.changes import EVENT_TERMS, changes_page, zone_changes  # (not in older code)

    store = open_store(built.files.get("store") or built.files["graph.nq"])
    count = "SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a ckg:{} }}"
    for cls in ("FieldChange", "NewFirmListing"):
        results[cls] = int(run_query(store, count.format(cls)).rows[0][0])
    listings = open_beside(built.files.get("store") or built.files["graph.nq"])
    for how, table in (("SPARQL", None), ("side table", listings)):
        for event, term in EVENT_TERMS.items():  # a first page of each event, and its total
            answer = timed(
                results,
                f"registry-changes-in-zone {event} ({how}) s",
                run_named_query,
                store,
                get_query("registry-changes-in-zone"),
                {"event": str(term)},
                limit=200,
                listings=table,
            )
            results[f"{event} rows"] = answer.total
        timed(results, f"registry-changes-by-chain ({how}) s", run_named_query, store,
              get_query("registry-changes-by-chain"), listings=table)  # fmt: skip
        changes = timed(results, f"zone_changes ({how}) s", zone_changes, store, listings=table)
    results["page bytes"] = len(changes_page(changes, "bench").encode()) if changes else 0
    results["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
