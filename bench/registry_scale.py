"""Registry import at scale: synthetic export -> import -> build -> gap reports and panoramas.

    python bench/registry_scale.py --sizes 10000 100000

Each size: `chainkg.synth_registry` writes an export (with the planted bad rows) and a
registry-only data set; `import_enterprises` checks and keeps it; `build` builds it (the
streaming path above 20,000 rows, as `chainkg build` chooses); `panorama_status` and the gap
report data are timed on the built store, and the panoramas as read from the gap summary the
build kept. Prints one Markdown row per size (wall seconds,
peak RSS of this process) for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

from chainkg.aggregates import summary_for
from chainkg.gaps import gap_report_data
from chainkg.panorama import panorama_status
from chainkg.pipeline import build
from chainkg.registry_import import import_enterprises
from chainkg.store import open_store
from chainkg.synth_registry import synthesize_registry, synthesize_registry_dataset


def run(n: int, root: Path) -> dict[str, float]:
    folder = root / f"registry-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    times: dict[str, float] = {}
    start = time.perf_counter()
    export = synthesize_registry(n, folder / "export.csv", seed=0, bad_rows=True).path
    seeds = synthesize_registry_dataset(folder / "seeds", "registry-export")
    times["synth"] = time.perf_counter() - start
    start = time.perf_counter()
    report = import_enterprises(export, seeds, date="2024-01-01")
    times["import"] = time.perf_counter() - start
    start = time.perf_counter()
    built = build(seeds, folder / "out")
    times["build"] = time.perf_counter() - start
    store_path = built.files.get("store") or built.files["graph.nq"]
    store = open_store(store_path)
    start = time.perf_counter()
    gap_report_data(store)
    times["gap analysis"] = time.perf_counter() - start
    start = time.perf_counter()
    panoramas = panorama_status(store)
    times["panoramas"] = time.perf_counter() - start
    start = time.perf_counter()  # as the site, the gap pages and `chainkg gaps` read them
    kept = panorama_status(store, summary=summary_for(store_path))
    times["panoramas kept"] = time.perf_counter() - start
    assert kept == panoramas
    times["rows imported"] = report.imported
    times["rejected"] = report.rejected
    times["triples"] = built.triples
    times["categories"] = sum(len(p.categories) for p in panoramas)
    times["peak RSS MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args()
    print(
        "| rows | synth s | import s | build s | gap analysis s | panoramas s | kept s | "
        "imported | rejected | triples | peak RSS MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        t = run(n, args.out)
        print(
            f"| {n:,} | {t['synth']:.1f} | {t['import']:.1f} | {t['build']:.1f} | "
            f"{t['gap analysis']:.1f} | {t['panoramas']:.1f} | {t['panoramas kept']:.3f} | "
            f"{int(t['rows imported']):,} | "
            f"{int(t['rejected'])} | {int(t['triples']):,} | {t['peak RSS MiB']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
