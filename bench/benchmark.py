"""Scale benchmark (not a test): synth -> streaming build -> queries, with baselines.

    python bench/benchmark.py --sizes 10000 100000 1000000 [--rdflib-max 100000]

For each size, in fresh child processes (so peak RSS is per step): generate seeds with
`chainkg.synth`, build with `chainkg.pipeline.build(large=True)` (the streaming path;
per-stage seconds), bulk-load the built store's triples as one N-Triples file into an empty
on-disk store with pyoxigraph alone (the ceiling; default and lenient), build the same graph
the plain rdflib way (object assembly into an in-memory rdflib Dataset, then graph.nq written by
rdflib) up to `--rdflib-max`, then time every named query in queries/ and the full gap report on
the built store. Results go to bench/out/results.json (one record per size) and a Markdown table on
stdout; data lives under bench/out/ (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

# where data and results.json go: bench/out/, or $CHAINKG_BENCH_OUT (e.g. a roomier disk)
OUT = Path(os.environ.get("CHAINKG_BENCH_OUT") or Path(__file__).resolve().parent / "out")
SYNTH = "https://w3id.org/chainkg/synth/"  # the synthetic data set's base IRI
REQUIRED_PARAMS = {
    "name": "ent-0",
    "subject": "chain-0",
    "text": "合成",
    "year": "2020",
    "segment": SYNTH + "segment/seg-0-1",
    "entity": SYNTH + "enterprise/ent-0",
    "chain": SYNTH + "chain/chain-0",
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (the build's workers): beside
    the wall clock, a measure that other work on a shared machine does not inflate."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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

    from chainkg.pipeline import build

    columns = (TextColumn("{task.description:>15}"), BarColumn(), TimeElapsedColumn())
    start, cpu = time.perf_counter(), _cpu()
    progress = Progress(*columns, transient=False, redirect_stdout=False)  # started by build
    report = build(
        OUT / f"seeds-{n}", OUT / f"build-{n}", large=True, progress=progress, gap_reports=False
    )
    total = time.perf_counter() - start
    return {
        "seconds": report.seconds,
        "total": total,
        "cpu": _cpu() - cpu,
        "quads": report.quads,
        "triples": report.triples,
        "conforms": report.conforms,
        "rss_mb": _rss_mb(),
        "sizes": {name: _du(path) for name, path in report.files.items()},
        "class_counts": report.class_counts,
    }


def step_bulk(n: int) -> dict:
    """pyoxigraph's bulk loader alone, on the built store's triples as an N-Triples file:
    default settings, and `lenient` (no IRI re-validation) as the build uses it."""
    import pyoxigraph as ox

    source = OUT / f"triples-{n}.nt"
    ox.Store.read_only(str(OUT / f"build-{n}" / "store")).dump(
        str(source), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()
    )
    target = OUT / f"bulk-{n}"
    seconds, cpu = {}, {}
    for lenient in (False, True):
        shutil.rmtree(target, ignore_errors=True)
        start, cpu_start = time.perf_counter(), _cpu()
        store = ox.Store(str(target))
        store.bulk_load(path=str(source), format=ox.RdfFormat.N_TRIPLES, lenient=lenient)
        seconds["lenient" if lenient else "default"] = time.perf_counter() - start
        cpu["lenient" if lenient else "default"] = _cpu() - cpu_start
        triples = len(store)
        del store
    shutil.rmtree(target, ignore_errors=True)
    size = source.stat().st_size
    source.unlink()
    return {
        "seconds": seconds["lenient"],
        "seconds_default": seconds["default"],
        "cpu": cpu["lenient"],
        "triples": triples,
        "nt_bytes": size,
        "rss_mb": _rss_mb(),
    }


def step_rdflib(n: int) -> dict:
    """The plain rdflib pipeline: same tables and quote check, object quads into an rdflib
    Dataset, then graph.nq written by rdflib (the large build's file output). No SHACL
    (pyshacl needs ~40 s for 48k triples), so it is a generous baseline. Prints each
    stage's seconds as it ends, so a run stopped at the time limit still tells them."""
    import rdflib

    from chainkg.assemble import assemble
    from chainkg.evidence import check_evidence
    from chainkg.tables import load_seeds

    out = OUT / f"rdflib-{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    stages: dict[str, float] = {}
    start = last = time.perf_counter()

    def done(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        stages[stage] = now - last
        last = now
        print(json.dumps({"partial": stages, "rss_mb": _rss_mb()}), flush=True)

    seeds = load_seeds(OUT / f"seeds-{n}")
    check_evidence(seeds)
    done("load+evidence")
    dataset = rdflib.Dataset()
    for q in assemble(seeds):
        graph = dataset.graph(rdflib.URIRef(q.graph_name.value))
        graph.add(tuple(_to_rdflib(t) for t in (q.subject, q.predicate, q.object)))
    done("assemble+store")
    store_seconds = time.perf_counter() - start
    dataset.serialize(destination=str(out / "graph.nq"), format="nquads")
    done("write graph.nq")
    shutil.rmtree(out, ignore_errors=True)
    return {
        "seconds": time.perf_counter() - start,
        "store_seconds": store_seconds,
        "stages": stages,
        "rss_mb": _rss_mb(),
    }


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


def step_query(n: int, name: str) -> dict:
    """One named query (or `gap-report`: the full gap analysis) on the built store."""
    import pyoxigraph as ox

    from chainkg.queries import get_query, run_query

    store = ox.Store.read_only(str(OUT / f"build-{n}" / "store"))
    start = time.perf_counter()
    if name == "gap-report":
        from chainkg.gaps import gap_report_data

        rows = len(gap_report_data(store))
    else:
        query = get_query(name)
        params = {k: v for k, v in REQUIRED_PARAMS.items() if k in query.params}
        params = {k: v for k, v in params.items() if "optional" not in query.params[k]}
        rows = len(run_query(store, query.text, params).rows)
    return {"seconds": time.perf_counter() - start, "rows": rows, "rss_mb": _rss_mb()}


def step_queries(n: int, timeout: float) -> dict:
    """Every named query and the gap report, each in a child process with a time limit."""
    from chainkg.queries import list_queries

    latencies: dict[str, float | str] = {}
    rows: dict[str, int] = {}
    for name in [q.name for q in list_queries()] + ["gap-report"]:
        result = run_step("query", n, timeout, name)
        if "seconds" in result:
            latencies[name], rows[name] = result["seconds"], result["rows"]
        else:
            latencies[name] = result["error"]
        print(f"  {name}: {latencies[name]}", file=sys.stderr, flush=True)
    gap = latencies.pop("gap-report")
    return {"latencies": latencies, "rows": rows, "gaps": {"gap_report_data": gap}}


STEPS = {
    "synth": step_synth,
    "build": step_build,
    "bulk": step_bulk,
    "rdflib": step_rdflib,
    "query": step_query,
}


def run_step(step: str, n: int, timeout: float, *extra: str) -> dict:
    """Run one step in a child process; a timeout or crash is recorded, not raised."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--step", step, str(n), *extra],
            stdout=subprocess.PIPE,
            timeout=timeout,
            check=True,
            text=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout
        partial = [json.loads(x) for x in (lines or "").splitlines() if x.startswith('{"partial"')]
        return {"error": f"timeout {timeout:.0f} s", **(partial[-1] if partial else {})}
    except subprocess.CalledProcessError as exc:
        return {"error": f"exit {exc.returncode} after {time.perf_counter() - start:.0f} s"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--rdflib-max", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--query-timeout", type=float, default=60)
    parser.add_argument("--table", action="store_true", help="print the table and stop")
    parser.add_argument(
        "--steps",
        nargs="+",
        default=["synth", "build", "bulk", "rdflib", "queries"],
        help="steps to run (the others keep their recorded results)",
    )
    parser.add_argument("--step", nargs="+", metavar="STEP N [NAME]", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step, n, *extra = args.step
        print(json.dumps(STEPS[step](int(n), *extra), ensure_ascii=False))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    results_file = OUT / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    if args.table:
        print(table(results))
        return
    for n in args.sizes:
        record: dict = results.get(str(n), {"enterprises": n})
        for step in args.steps:
            if step == "rdflib" and n > args.rdflib_max:
                record[step] = {"skipped": f"not run above {args.rdflib_max:,} enterprises"}
                continue
            record[step] = (
                step_queries(n, args.query_timeout)
                if step == "queries"
                else run_step(step, n, args.timeout)
            )
            print(f"{n:>9,} {step}: {json.dumps(record[step], ensure_ascii=False)[:300]}")
        results[str(n)] = record
        results_file.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(table(results))


STAGES = (
    "load",
    "evidence",
    "assemble",
    "bulk-load",
    "optimize",
    "names",  # until 2026-11-30: since then read in the count stage, beside the validation
    "validate",
    "count",
    "write",
)


def table(results: dict) -> str:
    """The Markdown tables of BENCHMARKS.md: builds, then query latencies."""
    head = (
        f"| enterprises | triples (quads) | build s ({' / '.join(STAGES)}) | build total s"
        " | triples/s | bulk-load alone s (lenient / default) | build ÷ bulk (lenient)"
        " | rdflib s (store only / with files) | rdflib ÷ build (store only / with files)"
        " | peak RSS build MB | graph.nq / store MB | median query s"
        " | slowest query s | gap report s |\n|" + "---|" * 14
    )
    lines = [head]
    for n, r in sorted(results.items(), key=lambda kv: int(kv[0])):
        b, bulk, rd, q = (r.get(k, {}) for k in ("build", "bulk", "rdflib", "queries"))
        if "seconds" not in b:
            lines.append(f"| {int(n):,} | {b.get('error', '?')} |")
            continue
        total = b["total"]
        stages = " / ".join(f"{b['seconds'].get(s, 0):.1f}" for s in STAGES)
        lat = q.get("latencies", {})
        timed = sorted((v, k) for k, v in lat.items() if isinstance(v, float))
        slow = [k for k, v in lat.items() if not isinstance(v, float)]
        ranked = [v for v, _k in timed] + [float("inf")] * len(slow)
        median = sorted(ranked)[len(ranked) // 2] if ranked else float("nan")
        slowest = (
            f"{len(slow)} of {len(lat)} hit the limit ({lat[slow[0]]})"
            if slow
            else f"{timed[-1][1]} {timed[-1][0]:.2f}"
            if timed
            else "-"
        )
        gap = q.get("gaps", {}).get("gap_report_data", "-")
        gap = f"{gap:.2f}" if isinstance(gap, float) else gap
        rd_s, rd_store = rd.get("seconds"), rd.get("store_seconds", rd.get("seconds"))
        if rd_s is None and "partial" in rd:  # stopped at the limit while writing
            rd_store = rd["partial"].get("load+evidence", 0) + rd["partial"].get(
                "assemble+store", 0
            )
        sizes = " / ".join(f"{b['sizes'].get(k, 0) / 2**20:,.0f}" for k in ("graph.nq", "store"))
        bulk_s, bulk_default = bulk.get("seconds"), bulk.get("seconds_default")
        rd_cell = rd.get("skipped", rd.get("error", "-"))
        ratio = "-"
        if rd_store:
            full = f"{rd_s:.1f}" if rd_s else f"> {rd.get('error', '?')}"
            rd_cell = f"{rd_store:.1f} / {full}"
            ratio = f"{rd_store / total:.1f}x / " + (f"{rd_s / total:.1f}x" if rd_s else "more")
        lines.append(
            f"| {int(n):,} | {b['triples']:,} ({b['quads']:,}) | {stages} | {total:.1f}"
            f" | {b['triples'] / total:,.0f}"
            f" | {f'{bulk_s:.1f}' if bulk_s else bulk.get('error', '-')}"
            f"{f' / {bulk_default:.1f}' if bulk_default else ''}"
            f" | {f'{total / bulk_s:.2f}' if bulk_s else '-'}"
            f" | {rd_cell} | {ratio}"
            f" | {b['rss_mb']:,.0f} | {sizes}"
            f" | {'over the limit' if median == float('inf') else f'{median:.3f}'}"
            f" | {slowest} | {gap} |"
        )
    lines += ["", "Latency of every named query (s; `timeout N s` = stopped at the limit):", ""]
    sizes_run = sorted(results, key=int)
    names = sorted({k for r in results.values() for k in r.get("queries", {}).get("latencies", {})})
    lines.append("| query | " + " | ".join(f"{int(n):,}" for n in sizes_run) + " |")
    lines.append("|---|" + "---|" * len(sizes_run))
    for name in names:
        cells = []
        for n in sizes_run:
            v = results[n].get("queries", {}).get("latencies", {}).get(name, "-")
            cells.append(f"{v:.3f}" if isinstance(v, float) else str(v))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
