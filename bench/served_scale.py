"""Served site pages at scale: time to first byte and the server's memory (not a test).

    python bench/served_scale.py --sizes 10000 100000 [--work /tmp/served-scale] [--repeat 5]

For each size: synthetic seeds (`chainkg synth`, seed 1), the streaming build (`--large`, no
gap reports), then `chainkg serve --graph out/store --pages live` in its own process (two
general workers, one fast, the defaults). Measured from this process over HTTP on 127.0.0.1:
- start: seconds until /health answers, then until the gap reports answer (the analysis and
  site-wide facts read once per server process, in the background from the start);
- each page: time to first byte (status line and headers; the page is rendered before they
  are sent), first request and median of `--repeat`, and its size: the home page, the
  overview, the largest chain's map, an enterprise page and its ego network (a firm of the
  largest segment), the largest segment's entity page (a hub: capped list) and its listing
  (first and last page), the gap report index and the largest chain's report;
- peak RSS (VmHWM) of the server process and of each worker, read from /proc at the end.
Prints a Markdown table (seconds unless marked ms).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil
from load_test import _free_port  # bench/ is this script's folder


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def get(port: int, path: str, timeout: float = 600) -> tuple[int, float, int]:
    """(status, seconds to the response head, body bytes) of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        began = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        first = time.perf_counter() - began
        return response.status, first, len(response.read())
    finally:
        conn.close()


def wait_for(port: int, path: str, limit: float) -> float:
    began = time.perf_counter()
    while time.perf_counter() - began < limit:
        try:
            if get(port, path, timeout=limit)[0] == 200:
                return time.perf_counter() - began
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{path} did not answer within {limit} s")


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pick_pages(store_dir: Path) -> dict[str, str]:
    """The pages to time, chosen from the store: the largest chain and segment, a firm."""
    import pyoxigraph as ox

    from chainkg.project import local_name
    from chainkg.queries import run_query

    store = ox.Store.read_only(str(store_dir))
    seg = run_query(
        store,
        "SELECT ?seg (COUNT(?a) AS ?n) WHERE { ?a ckg:operatesInSegment ?seg } "
        "GROUP BY ?seg ORDER BY DESC(?n) LIMIT 1",
    ).records()[0]
    iri = f"<{seg['seg']}>"
    chain = run_query(store, f"SELECT ?c WHERE {{ {iri} skos:inScheme ?c }}").rows[0][0]
    firm = run_query(store, f"SELECT ?a WHERE {{ ?a ckg:operatesInSegment {iri} }} LIMIT 1")
    firm = firm.rows[0][0]
    last = (int(seg["n"]) + 99) // 100
    s, c, f = local_name(seg["seg"]), local_name(chain), local_name(firm)
    del store
    return {
        "home": "/site/",
        "overview": "/site/overview.html",
        "chain map (largest segment's chain)": f"/site/chains/{c}.html",
        "enterprise page": f"/site/entities/{f}.html",
        "home search box (search.json, 智能)": "/site/search.json?text=%E6%99%BA%E8%83%BD",
        "enterprise ego network": f"/site/ego/{f}.html",
        "largest segment's page (a hub)": f"/site/entities/{s}.html",
        "segment listing, page 1": f"/site/segments/{s}.html?page=1",
        "segment listing, last page": f"/site/segments/{s}.html?page={last}",
        "gap report index": "/site/gaps/index.html",
        "chain gap report": f"/site/gaps/{c}.html",
    }


PAGE_SECONDS = 60  # a page slower than this is recorded as a timeout


def measure(n: int, work: Path, repeat: int, reports: bool = True) -> dict[str, str]:
    from chainkg.pipeline import build
    from chainkg.synth import synthesize

    seeds_dir, out = work / f"seeds-{n}", work / f"out-{n}"
    if not (seeds_dir / "enterprises.csv").is_file():
        synthesize(n, seeds_dir, seed=1)
    if not (out / "store").is_dir():
        build(seeds_dir, out, large=True, gap_reports=False)
    pages = pick_pages(out / "store")
    port = _free_port()
    chainkg = Path(sys.executable).with_name("chainkg")
    cmd = [str(chainkg), "serve", "--graph", str(out / "store"), "--port", str(port)]
    server = subprocess.Popen(
        [*cmd, "--pages", "live"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    row: dict[str, str] = {"enterprises": f"{n:,}"}
    try:
        row["start: /health"] = f"{wait_for(port, '/health', 300):.1f}"
        if reports:
            row["start: analysis ready"] = f"{wait_for(port, '/site/gaps/index.html', 1800):.1f}"
        else:  # the pages that do not wait for the gap analysis (see --no-reports)
            pages = {k: v for k, v in pages.items() if "gap report" not in k}
        for name, path in pages.items():
            try:
                runs = [get(port, path, PAGE_SECONDS) for _ in range(repeat)]
            except TimeoutError:  # recorded, not waited for (the server keeps rendering it)
                row[name] = "timeout"
                continue
            statuses = {status for status, _t, _b in runs}
            if statuses != {200}:
                raise RuntimeError(f"{path}: HTTP {statuses}")
            times = [t for _s, t, _b in runs]
            size = runs[0][2] / 1000
            row[name] = f"{ms(times[0])} / {ms(statistics.median(times))} ({size:.0f} kB)"
        main = psutil.Process(server.pid)
        workers = [peak_mb(p.pid) for p in main.children(recursive=True)]
        row["peak RSS: server process"] = f"{peak_mb(server.pid):.0f} MB"
        row["peak RSS: workers"] = " + ".join(f"{w:.0f}" for w in workers) + " MB"
        row["peak RSS: all"] = f"{peak_mb(server.pid) + sum(workers):.0f} MB"
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/served-scale"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-reports",
        action="store_true",
        help="do not wait for the gap analysis (a store with no gap summary at 1M) nor time "
        "the gap report pages",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = [measure(n, args.work, args.repeat, not args.no_reports) for n in args.sizes]
    names = list(dict.fromkeys(k for r in rows for k in r))
    print("| | " + " | ".join(r["enterprises"] for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for name in names[1:]:
        print(f"| {name} | " + " | ".join(r.get(name, "") for r in rows) + " |")


if __name__ == "__main__":
    main()
