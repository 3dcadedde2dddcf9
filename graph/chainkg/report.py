"""What a build is asked for (`BuildOptions`), what it did (`BuildReport`), and the stage
timer both build paths fill the report with.

A bottom-layer module: the small path (`pipeline`) and the streaming path (`stream`) import it,
it imports neither.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

log = logging.getLogger("chainkg.pipeline")


@dataclass(frozen=True)
class BuildOptions:
    """What a build is asked for, read by both paths (`pipeline.build` makes it)."""

    base_iri: str | None = None  # overrides the data set's base IRI
    on_stage: Callable[[str], None] | None = None  # told each stage's name as it starts
    shapes: Path | None = None  # a SHACL file instead of the packaged ontology/shapes.ttl
    full_shacl: bool = False  # check what the mapping guarantees too (see `chainkg build`)
    progress: Progress | None = None  # streaming: a bar per stage (started by the caller)
    # streaming: False skips the gap summary and pages, True writes the pages at any size
    gap_reports: bool | None = None

    def notify(self, stage: str) -> None:
        if self.on_stage is not None:
            self.on_stage(stage)


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
    elapsed: float | None = None  # wall clock of the whole build (stages may overlap)
    streaming: bool = False  # the large-graph path: no Turtle, JSON-LD or site
    # registry rows a later export of the same credit code supersedes (not mapped)
    superseded_rows: int = 0

    @property
    def total_seconds(self) -> float:
        return self.elapsed if self.elapsed is not None else sum(self.seconds.values())


@contextmanager
def timed(report: BuildReport, stage: str) -> Iterator[None]:
    """Add the seconds the block takes to `report.seconds[stage]`, and log them."""
    start = time.perf_counter()
    yield
    report.seconds[stage] = round(report.seconds.get(stage, 0.0) + time.perf_counter() - start, 3)
    log.info("%s: %.2f s", stage, report.seconds[stage])
