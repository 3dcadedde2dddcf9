"""Gap report and named-query latency on an existing store (not a test).

    python bench/gap_scale.py STORE [--seeds DIR] [--queries] [--timeout 60] [--repeat 3]

Times `chainkg.gaps.gap_report_data(store)` asking the store everything (`gap-report`), the
same analysis recording every answer from the store and writing them beside the store as
the gap summary, as the build did before it computed the heavy answers (`gap-summary-build`;
its "rows" are the file's bytes), the analysis read from that summary (`gap-report-summary`,
`aggregates.summary_for(STORE)`: the report the build composed, read back) and composed again
from the summary's answers alone (`gap-report-answers`); with --seeds (the tables STORE was
built from) the build's gaps stage as it is now (`gap-summary-tables`: loading the tables,
the heavy answers computed from them, `chainkg.gaps.tables.TableAnswers`, the rest asked of
the store, the summary written beside the store; "rows": its bytes); and, with --queries,
every named query in queries/ (required parameters bound as in bench/benchmark.py
REQUIRED_PARAMS: ids, and the `segment`, `entity` and `chain` IRIs of the synthetic graph),
each in a child process with a time limit; prints one Markdown row per item: best of
`--repeat` runs, in seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmark import REQUIRED_PARAMS as PARAMS  # the same bindings as the scale benchmark


def run_one(store_path: str, name: str, seeds_dir: str = "") -> dict:
    """One item in this process: `gap-report` or a named query."""
    import pyoxigraph as ox

    from chainkg import aggregates
    from chainkg.gaps import gap_report_data  # imported before the clock starts
    from chainkg.queries import get_query, run_query

    store = ox.Store.read_only(store_path)
    start = time.perf_counter()
    if name.startswith("gap-report") or name.startswith("gap-summary"):
        summary = None
        if name in ("gap-report-summary", "gap-report-answers"):
            summary = aggregates.summary_for(store_path)
            if summary is None:
                raise SystemExit(f"no gap summary beside {store_path}")
            if name == "gap-report-answers":  # the answers without the composed report
                answers = aggregates.Answers()
                answers._answers = dict(summary.items())
                summary = answers
        elif name == "gap-summary-build":
            summary = aggregates.Answers(recording=True)
        elif name == "gap-summary-tables":
            from chainkg.gaps.tables import TableAnswers
            from chainkg.tables import load_seeds

            summary = TableAnswers(load_seeds(seeds_dir))
        rows = len(gap_report_data(store, summary=summary))
        if name.startswith("gap-summary"):  # written beside the store, as the build does
            path = Path(store_path).parent / aggregates.SUMMARY_FILE
            aggregates.write_summary(summary, path, [Path(store_path)])
            rows = path.stat().st_size  # the summary's size in bytes
    else:
        query = get_query(name)
        params = {
            k: v for k, v in PARAMS.items() if k in query.params and "required" in query.params[k]
        }
        rows = len(run_query(store, query.text, params).rows)
    return {"seconds": time.perf_counter() - start, "rows": rows}


def timed(
    store_path: str, name: str, timeout: float, repeat: int, seeds_dir: str = ""
) -> tuple[float | str, int]:
    """Best of `repeat` child-process runs, or the reason it did not finish."""
    best: float | None = None
    rows = 0
    for _ in range(repeat):
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--one", store_path, name, seeds_dir],
                stdout=subprocess.PIPE,
                timeout=timeout,
                check=True,
                text=True,
            )
        except subprocess.TimeoutExpired:
            return f"timeout {timeout:.0f} s", 0
        except subprocess.CalledProcessError as exc:
            return f"exit {exc.returncode}", 0
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rows = result["rows"]
        best = result["seconds"] if best is None else min(best, result["seconds"])
    return (best if best is not None else "-"), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?")
    parser.add_argument("--queries", action="store_true", help="time every named query too")
    parser.add_argument("--only", nargs="*", default=[], help="only these items")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seeds", default="", help="the seed tables STORE was built from")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return
    from chainkg.queries import list_queries

    names = ["gap-report", "gap-summary-build"]
    names += ["gap-summary-tables"] if args.seeds else []
    names += ["gap-report-summary", "gap-report-answers"]
    names += [q.name for q in list_queries()] if args.queries else []
    names = [n for n in names if not args.only or n in args.only]
    print("| item | seconds | rows (gap-summary-*: bytes) |\n|---|---|---|")
    timings = []
    for name in names:
        seconds, rows = timed(args.store, name, args.timeout, args.repeat, args.seeds)
        shown = f"{seconds:.3f}" if isinstance(seconds, float) else seconds
        print(f"| {name} | {shown} | {rows} |", flush=True)
        if not name.startswith(("gap-report", "gap-summary")):
            timings.append(seconds if isinstance(seconds, float) else float("inf"))
    if timings:
        print(f"\nmedian named query: {statistics.median(timings):.3f} s")


if __name__ == "__main__":
    main()
