"""Every query an officer runs, timed on a built graph (not a test).

    python bench/officer_queries.py --sizes 10000 100000 [--work /tmp/officer-queries]
    python bench/officer_queries.py --store /tmp/out1m/store      # reuse a build
    flock /work/wt/heavy.lock python bench/officer_queries.py --sizes 100000

For each size: synthetic seeds (`chainkg.synth.synthesize(n, seed=1)`) and the streaming
build (no gap reports; its stage seconds are printed too), unless `--store` names a built
store (the name index `names.sqlite` beside it is used when present). Then each officer
query as `chainkg query` runs it (`run_named_query`: parameters given as ids or names and
resolved through the name index, the answers written in the listings side table
`listings.sqlite` beside it unless `--no-listings`, the first page of `--limit` rows and the
total), each in a forked child with a time limit (`--timeout`), best of `--repeat`.
Parameters are picked from the graph itself: the enterprise with the most supplier ties (a
hub), a median one, a chain and a segment. Prints a Markdown table: case, rows (page /
total), seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

LIST_QUERIES = (
    "list-main-enterprises",
    "list-leading-enterprises",
    "list-research-institutes",
    "list-associations",
    "list-experts",
    "list-fairs-forums",
    "list-early-stage-projects",
)
SEARCH_TEXTS = ("半导体", "新能源汽车", "智能", "股份有限公司1", "宏鑫华", "Rail")


def pick_params(store_path: str) -> dict[str, str]:
    """Ids of a supplier hub, a median enterprise and the first chain (one with segments
    where there is one). On a registry data set (no `ent-N` ids, perhaps no supply ties or
    segments): the median enterprise id in identifier order, which is also the hub when no
    enterprise supplies another."""
    import pyoxigraph as ox

    from chainkg.queries import run_query

    store = ox.Store.read_only(store_path)
    hub = run_query(
        store,
        "SELECT ?id (COUNT(*) AS ?n) WHERE { ?s ckg:supplierOf ?c . ?s dct:identifier ?id }"
        " GROUP BY ?id ORDER BY DESC(?n) ?id LIMIT 1",
    ).records()
    chain = run_query(
        store,
        "SELECT ?id WHERE { ?c a ckg:IndustrialChain ; dct:identifier ?id ."
        " OPTIONAL { ?s skos:inScheme ?c } } ORDER BY (!BOUND(?s)) ?id LIMIT 1",
    ).records()
    count = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?e a ckg:Enterprise }").records()
    middle = int(count[0]["n"]) // 2
    firm = f"ent-{middle}"
    known = f'ASK {{ ?e a ckg:Enterprise ; dct:identifier "{firm}" }}'
    if not store.query(known, prefixes=_prefixes()):
        firm = run_query(
            store,
            "SELECT ?id WHERE { ?e a ckg:Enterprise ; dct:identifier ?id }"
            f" ORDER BY ?id OFFSET {middle} LIMIT 1",
        ).records()[0]["id"]
    return {"hub": hub[0]["id"] if hub else firm, "firm": firm, "chain": chain[0]["id"]}


def _prefixes() -> dict[str, str]:
    from chainkg.vocab import PREFIXES

    return PREFIXES


def cases(picked: dict[str, str]) -> list[tuple[str, str, dict[str, str], int]]:
    """(label, query, params, offset) of every measured query."""
    hub, firm, chain = picked["hub"], picked["firm"], picked["chain"]
    out = [(f"entity-search '{t}'", "entity-search", {"text": t}, 0) for t in SEARCH_TEXTS]
    out += [
        ("enterprise-profile (supplier hub)", "enterprise-profile", {"company": hub}, 0),
        ("enterprise-profile (median id)", "enterprise-profile", {"company": firm}, 0),
        ("evidence-for-entity (supplier hub)", "evidence-for-entity", {"name": hub}, 0),
        ("evidence-for-entity (median id)", "evidence-for-entity", {"name": firm}, 0),
        ("suppliers-of (supplier hub)", "suppliers-of", {"company": hub}, 0),
        ("suppliers-of (median id)", "suppliers-of", {"company": firm}, 0),
        ("suppliers-of (all)", "suppliers-of", {}, 0),
        ("relations-with-evidence", "relations-with-evidence", {}, 0),
        ("relations-with-evidence, offset 5,000", "relations-with-evidence", {}, 5000),
        ("chain-enterprises (one chain)", "chain-enterprises", {"chain": chain}, 0),
        (
            "chain-enterprises (one chain), offset 5,000",
            "chain-enterprises",
            {"chain": chain},
            5000,
        ),
        ("chain-enterprises (all chains)", "chain-enterprises", {}, 0),
        ("segment-enterprises (one chain)", "segment-enterprises", {"chain": chain}, 0),
        ("segment-enterprises (all chains)", "segment-enterprises", {}, 0),
        ("local-enterprises", "local-enterprises", {}, 0),
        ("nonlocal-enterprises-in-chains", "nonlocal-enterprises-in-chains", {}, 0),
    ]
    out += [(f"{q} (one chain)", q, {"chain": chain}, 0) for q in LIST_QUERIES]
    out += [(f"{q} (all chains)", q, {}, 0) for q in LIST_QUERIES]
    return out


def run_case(store_path: str, case: tuple[str, dict[str, str], int], limit: int, listings: bool):
    """Seconds, page rows and total of one case (query, params, offset)."""
    import pyoxigraph as ox

    from chainkg.listings import open_beside
    from chainkg.queries import get_query, run_named_query
    from chainkg.search import INDEX_FILE, NameIndex

    store = ox.Store.read_only(store_path)
    index_path = Path(store_path).parent / INDEX_FILE
    index = NameIndex(index_path) if index_path.is_file() else None
    query, params, offset = case
    named = get_query(query)
    start = time.perf_counter()  # opening the side table (and its staleness check) counts
    table = open_beside(store_path) if listings else None
    result = run_named_query(store, named, params, index, limit, offset, table)
    return time.perf_counter() - start, len(result.rows), result.total


def _child(send, *args) -> None:  # noqa: ANN001
    try:
        send.send(("ok", run_case(*args)))
    except BaseException as exc:  # noqa: BLE001 - reported, not raised
        send.send(("error", f"{type(exc).__name__}: {exc}"[:200]))


def timed(args: tuple, timeout: float, repeat: int) -> tuple[str, str]:
    """(rows 'page / total', seconds) of the best of `repeat` runs, each in a forked child."""
    context = multiprocessing.get_context("fork")
    best, rows = None, ""
    for _ in range(repeat):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(send, *args))
        child.start()
        send.close()
        if not receive.poll(timeout):
            child.kill()
            child.join()
            return rows or "-", f"timeout {timeout:.0f} s"
        kind, value = receive.recv()
        child.join()
        if kind == "error":
            return "-", value
        seconds, page, total = value
        rows = f"{page:,} / {total:,}" if total is not None else f"{page:,}"
        best = seconds if best is None else min(best, seconds)
    return rows, f"{best:.3f}"


def build(n: int, work: Path) -> tuple[str, dict[str, float]]:
    from chainkg.pipeline import build as build_graph
    from chainkg.synth import synthesize

    seeds, out = work / f"seeds-{n}", work / f"out-{n}"
    if not (seeds / "enterprises.csv").is_file():
        synthesize(n, seeds, seed=1)
    start = time.perf_counter()
    report = build_graph(seeds, out, large=True, gap_reports=False)
    seconds = {"build (whole)": time.perf_counter() - start, **report.seconds}
    return str(out / "store"), seconds


def measure(
    store_path: str,
    limit: int,
    timeout: float,
    repeat: int,
    only: list[str] | None = None,
    use_listings: bool = True,
) -> dict[str, tuple]:
    picked = pick_params(store_path)
    print(f"  parameters: {picked}", file=sys.stderr, flush=True)
    results = {}
    for label, query, params, offset in cases(picked):
        if only and not any(part in label for part in only):
            continue
        args = (store_path, (query, params, offset), limit, use_listings)
        results[label] = timed(args, timeout, repeat)
        print(f"  {label}: {results[label]}", file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--store", type=Path, action="append", help="a built store (repeatable)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/officer-queries"))
    parser.add_argument("--limit", type=int, default=100, help="rows per page")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", nargs="+", help="only the cases whose label contains one")
    parser.add_argument("--no-listings", action="store_true", help="ignore listings.sqlite")
    args = parser.parse_args()
    columns: dict[str, dict[str, tuple]] = {}
    builds: dict[str, dict[str, float]] = {}
    targets = [(str(s), str(s)) for s in args.store or []]
    if not targets:
        args.work.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            store_path, seconds = build(n, args.work)
            builds[f"{n:,}"] = seconds
            targets.append((f"{n:,}", store_path))
    for name, store_path in targets:
        print(f"{name}: {store_path}", file=sys.stderr, flush=True)
        columns[name] = measure(
            store_path, args.limit, args.timeout, args.repeat, args.only, not args.no_listings
        )
    print(" ".join(["python bench/officer_queries.py", *sys.argv[1:]]) + "\n")
    if builds:
        stages = list(dict.fromkeys(k for b in builds.values() for k in b))
        print("| build stage (s) | " + " | ".join(builds) + " |")
        print("|---|" + "---|" * len(builds))
        for stage in stages:
            cells = [f"{b[stage]:.2f}" if stage in b else "-" for b in builds.values()]
            print(f"| {stage} | " + " | ".join(cells) + " |")
        print()
    print("| query | " + " | ".join(f"{c}: rows (page / total) | s" for c in columns) + " |")
    print("|---|" + "---|---|" * len(columns))
    labels = list(next(iter(columns.values())))
    for label in labels:
        cells = [f"{col[label][0]} | {col[label][1]}" for col in columns.values()]
        print(f"| {label} | " + " | ".join(cells) + " |")
    for name, col in columns.items():
        secs = {k: float(v[1]) for k, v in col.items() if v[1].replace(".", "").isdigit()}
        failed = len(col) - len(secs)
        if secs:
            slowest = max(secs, key=secs.__getitem__)
            print(
                f"\n{name}: median {statistics.median(secs.values()):.3f} s, slowest "
                f"{slowest} {secs[slowest]:.3f} s, {failed} not finished"
            )


if __name__ == "__main__":
    main()
