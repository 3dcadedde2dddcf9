"""Gap report pages and the served overview on a built output folder (read-only).

    python bench/capped_reports.py OUT LABEL [REPEATS]

Renders every gap report page as the large build's gap-pages stage does (into
/tmp/capped-reports/pages-LABEL-<out name>), prints CPU and wall seconds, the pages' sizes,
then the served overview and the first request of a chain's report (`chainkg_viz.live`).
Run it with the old code's Python and the new one's, one after the other, in one shell line.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from chainkg.aggregates import summary_for
from chainkg.gaps import gap_report_data
from chainkg.listings import open_beside
from chainkg_viz.live import LiveSite
from chainkg_viz.reports import write_reports


def clock() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def since(start: tuple[float, float]) -> str:
    cpu, wall = clock()
    return f"cpu {cpu - start[0]:.2f} wall {wall - start[1]:.2f}"


def main(out: Path, label: str, repeats: int) -> None:
    store = ox.Store.read_only(str(out / "store"))
    summary = summary_for(out / "store")
    dest = Path(f"/tmp/capped-reports/pages-{label}-{out.name}")
    files: list[Path] = []
    for _ in range(repeats):
        shutil.rmtree(dest, ignore_errors=True)
        start = clock()
        files = write_reports(store, dest, gap_report_data(store, summary=summary))
        print(label, "gap-pages", since(start), flush=True)
    sizes = sorted((p.stat().st_size, p.name) for p in files)
    total = sum(s for s, _ in sizes) / 1e6
    print(label, "files", len(files), f"total MB {total:.1f}", "largest", sizes[-3:])
    for _ in range(repeats):
        served = LiveSite(store, summary=summary, listings=open_beside(out / "store"))
        served.analysis()
        for rel in ("overview.html", "gaps/chain-0.html"):
            start = clock()
            page = served.page(rel)
            assert page is not None, rel
            digest = hashlib.sha256(page.body).hexdigest()[:12]
            print(label, rel, since(start), "bytes", len(page.body), digest, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2)
