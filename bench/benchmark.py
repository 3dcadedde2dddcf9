"""Scale benchmark (not a test): synth -> streaming build -> queries, with baselines.

    python bench/benchmark.py --sizes 10000 100000 1000000 [--rdflib-max 100000]

For each size, in fresh child processes (so peak RSS is per step): generate seeds with
`chainkg.synth`, build with `chainkg.stream.build_streaming` (per-stage seconds), bulk-load
the same N-Quads file into an empty on-disk store with pyoxigraph alone (the ceiling), build
the same graph the plain rdflib way (object assembly into an in-memory rdflib Dataset) up to
`--rdflib-max`, then time every named query in queries/ and the full gap report on the built
store. Results go to bench/out/results.json (one record per size) and a Markdown table on
stdout; data lives under bench/out/ (gitignored).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
REQUIRED_PARAMS = {"name": "ent-0", "subject": "chain-0", "text": "合成", "year": "2020"}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- steps, each run in a child process: `benchmark.py --step NAME N` prints one JSON line --


def step_synth(n: int) -> dict:
    from chainkg.synth import synthesize

    seeds = OUT / f"seeds-{n}"
    shutil.rmtree(seeds, ignore_errors=True)
    start = time.perf_counter()
    counts = synthesize(n, seeds, seed=0)
    return {"seconds": time.perf_counter() - start, "counts": counts, "rss_mb": _rss_mb()}


def step_build(n: int) -> dict:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from chainkg.stream import build_streaming

    columns = (TextColumn("{task.description:>10}"), BarColumn(), TimeElapsedColumn())
    start = time.perf_counter()
    with Progress(*columns, transient=False, redirect_stdout=False) as progress:
        report = build_streaming(OUT / f"seeds-{n}", OUT / f"build-{n}", progress=progress)
    total = time.perf_counter() - start
    return {
        "seconds": report.seconds,
        "total": total,
        "quads": report.quads,
        "triples": report.triples,
        "conforms": report.conforms,
        "rss_mb": _rss_mb(),
        "sizes": {name: _du(path) for name, path in report.files.items()},
        "class_counts": report.class_counts,
    }


def step_bulk(n: int) -> dict:
    import pyoxigraph as ox

    target = OUT / f"bulk-{n}"
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    store = ox.Store(str(target))
    store.bulk_load(path=str(OUT / f"build-{n}" / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    seconds = time.perf_counter() - start
    quads = len(store)
    del store
    shutil.rmtree(target, ignore_errors=True)
    return {"seconds": seconds, "quads": quads, "rss_mb": _rss_mb()}


def step_rdflib(n: int) -> dict:
    """The plain rdflib pipeline: same tables and checks, object quads into rdflib."""
    import rdflib

    from chainkg.assemble import assemble
    from chainkg.evidence import check_evidence
    from chainkg.tables import load_seeds

    start = time.perf_counter()
    seeds = load_seeds(OUT / f"seeds-{n}")
    check_evidence(seeds)
    dataset = rdflib.Dataset()
    for q in assemble(seeds):
        graph = dataset.graph(rdflib.URIRef(q.graph_name.value))
        graph.add(tuple(_to_rdflib(t) for t in (q.subject, q.predicate, q.object)))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss_mb": _rss_mb()}


def _to_rdflib(term):
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    return rdflib.Literal(
        term.value,
        lang=term.language,
        datatype=None if term.language else rdflib.URIRef(term.datatype.value),
    )


def step_queries(n: int) -> dict:
    import pyoxigraph as ox

    from chainkg.queries import list_queries, run_query

    store = ox.Store.read_only(str(OUT / f"build-{n}" / "store"))
    latencies: dict[str, float] = {}
    rows: dict[str, int] = {}
    for query in list_queries():
        params = {k: v for k, v in REQUIRED_PARAMS.items() if k in query.params}
        params = {k: v for k, v in params.items() if "optional" not in query.params[k]}
        start = time.perf_counter()
        try:
            result = run_query(store, query.text, params)
            rows[query.name] = len(result.rows)
        except Exception as exc:  # record, do not stop the benchmark
            rows[query.name] = -1
            print(f"{query.name}: {exc}", file=sys.stderr)
        latencies[query.name] = time.perf_counter() - start
        print(f"{query.name}: {latencies[query.name]:.3f} s", file=sys.stderr, flush=True)
    gaps: dict[str, float] = {}
    try:
        from chainkg import gaps as gap_module

        for name in ("compute_gaps", "chain_summaries"):
            start = time.perf_counter()
            getattr(gap_module, name)(store)
            gaps[name] = time.perf_counter() - start
    except Exception as exc:
        gaps["error"] = str(exc)  # type: ignore[assignment]
    return {"latencies": latencies, "rows": rows, "gaps": gaps, "rss_mb": _rss_mb()}


STEPS = {
    "synth": step_synth,
    "build": step_build,
    "bulk": step_bulk,
    "rdflib": step_rdflib,
    "queries": step_queries,
}


def run_step(step: str, n: int, timeout: float) -> dict:
    """Run one step in a child process; a timeout or crash is recorded, not raised."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--step", step, str(n)],
            stdout=subprocess.PIPE,
            timeout=timeout,
            check=True,
            text=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:
        return {"error": f"exit {exc.returncode} after {time.perf_counter() - start:.0f} s"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--rdflib-max", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--step", nargs=2, metavar=("STEP", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step, n = args.step
        print(json.dumps(STEPS[step](int(n)), ensure_ascii=False))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    results_file = OUT / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    for n in args.sizes:
        record: dict = {"enterprises": n}
        for step in ("synth", "build", "bulk", "rdflib", "queries"):
            if step == "rdflib" and n > args.rdflib_max:
                record[step] = {"skipped": f"not run above {args.rdflib_max:,} enterprises"}
                continue
            record[step] = run_step(step, n, args.timeout)
            print(f"{n:>9,} {step}: {json.dumps(record[step], ensure_ascii=False)[:300]}")
        results[str(n)] = record
        results_file.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(table(results))


def table(results: dict) -> str:
    """The Markdown table of BENCHMARKS.md."""
    head = (
        "| enterprises | quads | build s (load/evidence/assemble/store/validate/count/write)"
        " | build total s | quads/s | bulk-load alone s | build ÷ bulk | rdflib s | rdflib ÷ build"
        " | peak RSS build MB | graph.nq MB | store MB | median query s | slowest query"
        " | gap report s |\n|" + "---|" * 15
    )
    lines = [head]
    for n, r in sorted(results.items(), key=lambda kv: int(kv[0])):
        b, bulk, rd, q = (
            r.get("build", {}),
            r.get("bulk", {}),
            r.get("rdflib", {}),
            r.get("queries", {}),
        )
        if "seconds" not in b:
            lines.append(f"| {int(n):,} | {b.get('error', '?')} |")
            continue
        total = b["total"]
        stages = "/".join(
            f"{b['seconds'].get(s, 0):.1f}"
            for s in ("load", "evidence", "assemble", "store", "validate", "count", "write")
        )
        lat = sorted(q.get("latencies", {}).items(), key=lambda kv: kv[1])
        median = lat[len(lat) // 2][1] if lat else float("nan")
        slowest = f"{lat[-1][0]} {lat[-1][1]:.2f}" if lat else "-"
        gaps = q.get("gaps", {})
        gap = (
            f"{gaps['compute_gaps']:.2f}" if "compute_gaps" in gaps else str(gaps or q.get("error"))
        )
        rd_s = rd.get("seconds")
        lines.append(
            f"| {int(n):,} | {b['quads']:,} | {stages} | {total:.1f} | {b['quads'] / total:,.0f}"
            f" | {bulk.get('seconds', float('nan')):.1f}"
            f" | {total / bulk['seconds'] if 'seconds' in bulk else float('nan'):.2f}"
            f" | {f'{rd_s:.1f}' if rd_s else rd.get('skipped', rd.get('error', '-'))}"
            f" | {f'{rd_s / total:.1f}x' if rd_s else '-'}"
            f" | {b['rss_mb']:,.0f} | {b['sizes'].get('graph.nq', 0) / 2**20:,.0f}"
            f" | {b['sizes'].get('store', 0) / 2**20:,.0f} | {median:.3f} | {slowest} | {gap} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
