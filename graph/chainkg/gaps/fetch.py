"""Fetching what the gap analysis needs from a store or endpoint: the named `gap-*` queries.

Every fact comes from `queries/gap-*.rq`, so the same analysis runs against any SPARQL
endpoint holding the graph; a `Reader` takes a query's rows from the gap summary the build
wrote (`chainkg.aggregates`) when it holds them, so a large graph is not scanned again.
Chains are resolved by name here (`resolve_chain`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from chainkg.aggregates import Answer, Answers
from chainkg.gaps.model import ChainInfo, Evidence
from chainkg.project import local_name
from chainkg.queries import bind_value, get_query, resolve_entity, run_query, term_text
from chainkg.vocab import PREFIXES

STAGE_OF_IRI = {
    "PresentProducing": "producing",
    "PresentBuilding": "building",
    "PresentSigned": "signed",
}


def rows(store: Any, name: str, **params: str) -> list[dict[str, str]]:
    """The rows of a named query with its parameters bound."""
    return run_query(store, get_query(name).text, params or None).records()


class Reader:
    """The rows of the named gap queries: taken from `answers` (the gap summary of this very
    graph, `chainkg.aggregates`) when it holds them, else asked of the store or endpoint
    (and kept in `answers` when it is recording)."""

    def __init__(self, store: Any, answers: Answers | None = None) -> None:
        self.store = store
        self.answers = answers or Answers()

    def rows(self, name: str, **params: str) -> list[dict[str, str]]:
        found = self.answers.get(name, params)
        if found is not None and found.complete:
            return found.rows
        live = rows(self.store, name, **params)
        self.answers.put(name, params, Answer(live))
        return live

    def stream(self, name: str, params: dict[str, str]) -> Iterator[dict[str, str]]:
        """The rows one by one, so a reader can stop early: the recorded ones first, then
        (past a recorded prefix) the store's others, in the query's order."""
        found = self.answers.get(name, params)
        done = found.rows if found else []
        read: list[dict[str, str]] = []
        complete = False
        try:
            for r in done:
                read.append(r)
                yield r
            if found is None or not found.complete:
                seen = Counter(_row_key(r) for r in done)
                for r in stream(self.store, name, params):
                    if seen[_row_key(r)] > 0:  # recorded already
                        seen[_row_key(r)] -= 1
                        continue
                    read.append(r)
                    yield r
            complete = True
        finally:  # keep what was read when it is more than was recorded (or not kept)
            more = found is None or not found.kept or len(read) > len(found.rows)
            more = more or complete > found.complete
            if more and (read or complete):
                self.answers.put(name, params, Answer(read, complete))


def _row_key(row: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(row.items()))


def stream(store: Any, name: str, params: dict[str, str]) -> Iterator[dict[str, str]]:
    """The rows of a named query one by one, so a reader can stop early (a local store
    evaluates lazily; a remote endpoint answers in full)."""
    text = get_query(name).text
    if not isinstance(store, ox.Store):
        yield from run_query(store, text, params).records()
        return
    substitutions = {ox.Variable(k): bind_value(v) for k, v in params.items()}
    solutions = store.query(text, prefixes=PREFIXES, substitutions=substitutions)
    assert isinstance(solutions, ox.QuerySolutions)
    columns = [v.value for v in solutions.variables]
    for solution in solutions:
        yield {c: term_text(solution[c]) for c in columns}


def true(value: str) -> bool:
    return value in ("true", "1")


def stage_of(value: str) -> str:
    """'producing' | 'building' | 'signed' from a ckg:zoneStage IRI; '' when not present."""
    return STAGE_OF_IRI.get(local_name(value), "") if value else ""


class Sources:
    """The source register (id -> headline, date), to cite articles by title and date."""

    def __init__(self, store: Any, answers: Answers | None = None):
        found = Reader(store, answers).rows("gap-sources")
        self.by_id = {r["source"]: (r["title"], r["date"]) for r in found}

    def evidence(self, row: dict[str, str], supports: str = "") -> Evidence | None:
        if not row.get("quote"):
            return None
        source = row.get("source", "")
        title, date = self.by_id.get(source, ("", ""))
        curator = row.get("mode", "").endswith("Assertion")
        return Evidence(source, row["quote"], supports, curator, title, date)


@dataclass
class Chain(ChainInfo):
    """A chain as the gap queries give it, with what it is a benchmark for."""

    benchmark_for: list[str] = field(default_factory=list)  # chains or places it models
    territory_iri: str = ""


def chains(store: Any, answers: Answers | None = None) -> list[Chain]:
    found = [
        Chain(
            r["chain"],
            r["label_zh"] or r["label_en"] or local_name(r["chain"]),
            r["label_en"],
            sorted(a for a in r["aliases"].split("|") if a),
            r["territory_label"] or local_name(r["territory"]),
            true(r["benchmark"]),
            true(r["local"]),
            sorted(b for b in r["benchmark_for"].split("|") if b),
            r["territory"],
        )
        for r in Reader(store, answers).rows("gap-chains")
    ]
    return sorted(found, key=lambda c: (c.benchmark, not c.local, c.id))


def chain_names(store: Any) -> list[str]:
    """'id (中文 / English)' for every chain, for messages."""
    return [f"{c.id} ({c.label} / {c.label_en})" for c in chains(store)]


def resolve_chain(store: Any, name: str) -> str:
    """The IRI of the chain named by IRI, id, Chinese or English label, or alias (the focal
    zone's own chain wins a shared name); a KeyError lists the matches or the chains."""
    return resolve_entity(store, "chain", name)
