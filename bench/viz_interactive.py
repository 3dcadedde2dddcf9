"""How long each view takes to become interactive in headless Chromium (network blocked).

    python bench/viz_interactive.py                 # seed graph (out/graph.nq) + synthetic 5k
    python bench/viz_interactive.py --enterprises 4800 --runs 3 --seed-graph out/graph.nq

For each view: `drawn` = seconds from navigation start to vis-network's first drawing
(performance.now() in the page); `interactive` = wall-clock seconds from `goto` until the page
has drawn and answers a script call (main thread free). Median of --runs cold loads, each in
the same browser. The synthetic graph comes from `chainkg.synth` (assembled, not SHACL-checked).
Results are recorded by hand in bench/RESULTS-viz.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from chainkg.assemble import assemble
from chainkg.store import open_store, store_from_quads
from chainkg.synth import synthesize
from chainkg.tables import load_seeds
from chainkg_viz import views
from chainkg_viz.browser import offline_page
from chainkg_viz.data import collect
from chainkg_viz.html import STATIC
from chainkg_viz.network import network_html
from chainkg_viz.site import VIS_FILES, vis_network_dir


def write_views(store: ox.Store, site: Path) -> dict[str, tuple[Path, int, float]]:
    """Overview, the largest chain map and the largest ego network; {name: (page, nodes, s)}."""
    data = collect(store)
    g = data.graph
    (site / "chains").mkdir(parents=True, exist_ok=True)
    (site / "ego").mkdir(parents=True, exist_ok=True)
    (site / "static").mkdir(parents=True, exist_ok=True)
    for src in STATIC.iterdir():
        shutil.copyfile(src, site / "static" / src.name)
    for name, target in VIS_FILES.items():
        shutil.copyfile(vis_network_dir() / name, site / "static" / target)
    chains = [n for n, a in g.nodes(data=True) if a["type"] == "IndustrialChain"]
    hub = max(g.nodes, key=lambda n: (g.degree(n), n))
    pages = {  # name: (page, how to compute the view, the page's way back to the site root)
        "overview": ("overview.html", lambda: views.overview(g), ""),
        "chain map (largest)": (
            "chains/largest.html",
            lambda: max(
                (views.chain_map(g, data, c) for c in sorted(chains)),
                key=lambda v: v.number_of_nodes(),
            ),
            "../",
        ),
        "ego (busiest node)": ("ego/hub.html", lambda: views.ego(g, hub), "../"),
    }
    out = {}
    for name, (page, compute, root) in pages.items():
        t = time.perf_counter()
        view = compute()
        html = network_html(view, title=name.split(" ")[0], site_title="bench", root=root)
        (site / page).write_text(html, encoding="utf-8")
        out[name] = (site / page, view.number_of_nodes(), time.perf_counter() - t)
    return out


def measure(pages: dict[str, tuple[Path, int, float]], runs: int, label: str) -> list[str]:
    rows = []
    with offline_page() as op:
        for name, (page, n, build_s) in pages.items():
            samples = [op.open_view(page) for _ in range(runs)]
            counts = op.view_counts()
            assert counts["drawn"] == n, (counts, n)
            assert not op.blocked and not op.console_errors and not op.page_errors
            drawn = statistics.median(s["drawn"] for s in samples)
            inter = statistics.median(s["interactive"] for s in samples)
            size = page.stat().st_size / 1e6
            cells = [label, name, n, f"{build_s:.2f}", f"{size:.2f}"]
            cells += [f"{drawn:.2f}", f"{inter:.2f}"]
            rows.append("| " + " | ".join(map(str, cells)) + " |")
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=4800)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed-graph", type=Path, default=Path("out/graph.nq"))
    args = parser.parse_args()
    header = [
        "| graph | view | nodes | layout+HTML s | page MB | drawn s | interactive s |",
        "|---|---|---|---|---|---|---|",
    ]
    print("\n".join(header), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if args.seed_graph.is_file():
            seed_pages = write_views(open_store(args.seed_graph), root / "seed")
            measure(seed_pages, args.runs, "seed")
        synthesize(args.enterprises, root / "synth", seed=0)
        store = store_from_quads(list(assemble(load_seeds(root / "synth"))))
        synth_pages = write_views(store, root / "synth-site")
        measure(synth_pages, args.runs, f"synth {args.enterprises} ent.")


if __name__ == "__main__":
    main()
