"""The build, end to end: `build(seeds_dir, out_dir) -> BuildReport`.

Stages (each its own module, one public function):
    tables.load_seeds      seeds folder        -> Seeds (validated tables, articles)
    evidence.check_evidence Seeds              -> every quote found in its article
    assemble.assemble      Seeds               -> quads (one named graph per source)
    validate.validate      quads               -> SHACL report (fails the build)
    write.write_outputs    quads               -> out/graph.nq, graph.ttl, graph.jsonld
    gaps.write_gap_reports store (one analysis) -> out/site/gaps/<chain>.html, .md
    viz.site.build_site    store + the analysis -> out/site/ (offline HTML views)
Bad input raises SeedError and a non-conforming graph raises ValidationFailed, both before
anything is written, so the previous outputs stay as they were.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from chainkg.assemble import assemble
from chainkg.errors import ValidationFailed
from chainkg.evidence import check_evidence
from chainkg.gaps import gap_report_data, write_gap_reports
from chainkg.queries import run_query
from chainkg.store import store_from_quads
from chainkg.tables import load_seeds
from chainkg.validate import validate
from chainkg.viz.site import build_site
from chainkg.vocab import CKG_IRI, ONTOLOGY_IRI
from chainkg.write import write_outputs

log = logging.getLogger(__name__)

_CLASS_COUNTS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER(?g != <{ONTOLOGY_IRI}> && STRSTARTS(STR(?class), "{CKG_IRI}"))
}} GROUP BY ?class ORDER BY ?class
"""


@dataclass
class BuildReport:
    """What a build did: files, counts and seconds per stage."""

    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    quads: int = 0
    triples: int = 0
    quotes_checked: int = 0
    class_counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    conforms: bool = True
    violations: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report.seconds[stage] = round(time.perf_counter() - start, 3)
    log.info("%s: %.2f s", stage, report.seconds[stage])


LARGE_ENTERPRISES = 20_000  # more rows than this in enterprises.csv: the streaming build


def is_large(seeds_dir: Path | str) -> bool:
    """Whether enterprises.csv has more than LARGE_ENTERPRISES data rows (counted in bytes)."""
    path = Path(seeds_dir) / "enterprises.csv"
    if not path.is_file():
        return False
    lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            lines += chunk.count(b"\n")
            if lines > LARGE_ENTERPRISES + 1:
                return True
    return False


def build(
    seeds_dir: Path | str,
    out_dir: Path | str = "out",
    base_iri: str | None = None,
    on_stage: Callable[[str], None] | None = None,
    large: bool | None = None,
) -> BuildReport:
    """Build the graph from a seeds folder into out_dir; see the module docstring.

    `large` (default: `is_large(seeds_dir)`) switches to `chainkg.stream.build_streaming`:
    N-Quads, Turtle, an on-disk store and the gap reports, without JSON-LD and the site."""
    if large if large is not None else is_large(seeds_dir):
        from chainkg.stream import build_streaming

        return build_streaming(seeds_dir, out_dir, base_iri, on_stage)
    report = BuildReport(Path(out_dir))
    notify = on_stage or (lambda _stage: None)

    notify("load")
    with _timed(report, "load"):
        seeds = load_seeds(seeds_dir, base_iri)
    notify("evidence")
    with _timed(report, "evidence"):
        report.quotes_checked = check_evidence(seeds)
    notify("assemble")
    with _timed(report, "assemble"):
        quads = list(dict.fromkeys(assemble(seeds)))
        report.quads = len(quads)
        report.triples = len({q.triple for q in quads})
    notify("validate")
    with _timed(report, "validate"):
        shacl = validate(quads)
        report.conforms, report.violations = shacl.conforms, shacl.violations
    if not shacl.conforms:
        raise ValidationFailed(shacl.text)
    notify("write")
    with _timed(report, "write"):
        report.files = write_outputs(quads, report.out_dir, seeds.config.base_iri)
    store = store_from_quads(quads)
    notify("gaps")
    with _timed(report, "gaps"):
        analysis = gap_report_data(store)
        for path in write_gap_reports(store, report.out_dir / "site" / "gaps", data=analysis):
            report.files[f"site/gaps/{path.name}"] = path
    notify("site")
    with _timed(report, "site"):
        segment_gaps = [gap for _summary, gaps in analysis for gap in gaps]
        build_site(store, report.out_dir / "site", gaps=segment_gaps)
        report.files["site"] = report.out_dir / "site"
    notify("count")
    with _timed(report, "count"):
        report.class_counts = class_counts(store)
    return report


def class_counts(store: ox.Store) -> dict[str, int]:
    """Instances per ckg class in the data (ontology graph excluded)."""
    rows = run_query(store, _CLASS_COUNTS).rows
    return {iri[len(CKG_IRI) :]: int(n) for iri, n in rows}
