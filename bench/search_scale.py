"""Name search, parameter resolution and paged listings at scale (not a test).

    python bench/search_scale.py --sizes 10000 100000 [--work /tmp/search-scale] [--sparql 2]

For each size: synthetic seeds (`chainkg synth`), the streaming build (no gap reports), then,
side by side in the same run:
- the name index: rows from the seed tables + the other named classes by type (what the build
  does) vs all names collected from the store by SPARQL (`search.name_rows`), and
  `build_index` on them;
- entity search: `NameIndex.search` (50 texts: parts of enterprise, chain and segment names,
  2 to 6 characters) vs the SPARQL `entity-search` query (`--sparql` texts, it scans);
- resolving a `company` parameter by name: through the index vs the SPARQL comparison;
- listing queries: the first page (100 rows and the total, `run_paged`: one pass over the
  answer as for a local store, and LIMIT/OFFSET + a COUNT query as for an endpoint) vs the
  whole answer, and rendering them as a table.
Prints Markdown tables (seconds unless marked ms).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import time
from pathlib import Path

LISTINGS = ("chain-enterprises", "local-enterprises", "relations-with-evidence")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def measure(n: int, work: Path, sparql_texts: int) -> dict[str, str]:
    import pyoxigraph as ox

    from chainkg.names import other_name_rows, seed_name_rows
    from chainkg.pipeline import build
    from chainkg.queries import (
        format_result,
        get_query,
        resolve_entity,
        run_named_query,
        run_paged,
    )
    from chainkg.search import INDEX_FILE, NameIndex, build_index, name_rows
    from chainkg.synth import synthesize
    from chainkg.tables import load_seeds

    seeds_dir, out = work / f"seeds-{n}", work / f"out-{n}"
    if not (seeds_dir / "enterprises.csv").is_file():
        synthesize(n, seeds_dir, seed=1)
    start = time.perf_counter()
    report = build(seeds_dir, out, large=True, gap_reports=False)
    row: dict[str, str] = {"enterprises": f"{n:,}", "build": f"{time.perf_counter() - start:.1f}"}
    # the store's own names: a stage until 2026-11-30, since then read beside the validation
    # and waited for in the count stage
    stage = "names" if "names" in report.seconds else "count"
    row[f"build: {stage} stage"] = f"{report.seconds[stage]:.2f}"
    store = ox.Store.read_only(str(out / "store"))
    seeds = load_seeds(seeds_dir)

    start = time.perf_counter()
    rows = list(seed_name_rows(seeds)) + list(other_name_rows(store))
    row["names from tables + by class"] = f"{time.perf_counter() - start:.2f}"
    start = time.perf_counter()
    build_index(rows, work / "bench-names.sqlite")
    row["build_index"] = f"{time.perf_counter() - start:.2f}"
    row["index rows"] = f"{len(set(rows)):,}"
    start = time.perf_counter()
    scanned = set(name_rows(store))
    row["names by SPARQL (old)"] = f"{time.perf_counter() - start:.2f}"
    row["same rows"] = "yes" if scanned == set(rows) else f"NO ({len(scanned ^ set(rows))})"

    rng = random.Random(1)
    labels = [r[1] for r in rows if r[2] == "label_zh" and r[3] == "Enterprise"]
    texts = []
    for _ in range(50):
        label = rng.choice(labels)
        size = rng.randint(2, min(6, len(label)))
        at = rng.randint(0, len(label) - size)
        texts.append(label[at : at + size])
    index = NameIndex(out / INDEX_FILE)
    times = []
    for text in texts:
        start = time.perf_counter()
        index.search(text, limit=100)
        index.count(text)
        times.append(time.perf_counter() - start)
    row["search+count, index (median / max)"] = f"{ms(statistics.median(times))} / {ms(max(times))}"
    query = get_query("entity-search")
    times = []
    for text in texts[:sparql_texts]:
        start = time.perf_counter()
        run_named_query(store, query, {"text": text}, limit=100)
        times.append(time.perf_counter() - start)
    row[f"entity-search, SPARQL ({sparql_texts} texts, median)"] = (
        f"{statistics.median(times):.2f}" if times else "-"
    )

    names = [rng.choice(labels) for _ in range(20)]
    times = []
    for name in names:
        start = time.perf_counter()
        with contextlib.suppress(KeyError):  # a name two firms hold: ambiguous, as by SPARQL
            resolve_entity(store, "company", name, index)
        times.append(time.perf_counter() - start)
    row["resolve company, index (median / max)"] = (
        f"{ms(statistics.median(times))} / {ms(max(times))}"
    )
    start = time.perf_counter()
    with contextlib.suppress(KeyError):
        resolve_entity(store, "company", names[0])
    row["resolve company, SPARQL (1 name)"] = f"{time.perf_counter() - start:.2f}"

    for name in LISTINGS:
        query = get_query(name)
        start = time.perf_counter()
        whole = run_paged(store, query.text, {})
        row[f"{name}: rows"] = f"{whole.total:,}"
        row[f"{name}: all"] = f"{time.perf_counter() - start:.2f}"
        start = time.perf_counter()
        format_result(whole, "table")
        row[f"{name}: all, table rendered"] = f"{time.perf_counter() - start:.2f}"
        for rewrite, how in ((False, "one pass"), (True, "LIMIT + COUNT")):
            start = time.perf_counter()
            page = run_paged(store, query.text, {}, limit=100, rewrite=rewrite)
            row[f"{name}: first page, {how}"] = f"{time.perf_counter() - start:.2f}"
            assert page.total == len(whole.rows) and page.rows == whole.rows[:100], name
        start = time.perf_counter()
        format_result(page, "table")
        row[f"{name}: page, table rendered"] = f"{time.perf_counter() - start:.2f}"
    index.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-scale"))
    parser.add_argument("--sparql", type=int, default=2, help="texts searched by SPARQL")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = [measure(n, args.work, args.sparql) for n in args.sizes]
    print(f"python bench/search_scale.py --sizes {' '.join(map(str, args.sizes))}\n")
    print("| measure | " + " | ".join(r["enterprises"] for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for key in results[0]:
        if key != "enterprises":
            print(f"| {key} | " + " | ".join(r.get(key, "-") for r in results) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
