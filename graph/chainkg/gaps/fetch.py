"""Fetching what the gap analysis needs from a store or endpoint: the named `gap-*` queries.

Every fact comes from `queries/gap-*.rq`, so the same analysis runs against any SPARQL
endpoint holding the graph. Chains are resolved by name here (`resolve_chain`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from chainkg.gaps.model import Evidence
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

    def __init__(self, store: Any):
        self.by_id = {r["source"]: (r["title"], r["date"]) for r in rows(store, "gap-sources")}

    def evidence(self, row: dict[str, str], supports: str = "") -> Evidence | None:
        if not row.get("quote"):
            return None
        source = row.get("source", "")
        title, date = self.by_id.get(source, ("", ""))
        curator = row.get("mode", "").endswith("Assertion")
        return Evidence(source, row["quote"], supports, curator, title, date)


@dataclass
class Chain:
    iri: str
    label: str
    label_en: str
    aliases: list[str]
    territory: str
    benchmark: bool
    local: bool
    benchmark_for: list[str]  # chains or places this chain is cited as a model for
    territory_iri: str = ""

    @property
    def id(self) -> str:
        return local_name(self.iri)


def chains(store: Any) -> list[Chain]:
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
        for r in rows(store, "gap-chains")
    ]
    return sorted(found, key=lambda c: (c.benchmark, not c.local, c.id))


def chain_names(store: Any) -> list[str]:
    """'id (中文 / English)' for every chain, for messages."""
    return [f"{c.id} ({c.label} / {c.label_en})" for c in chains(store)]


def resolve_chain(store: Any, name: str) -> str:
    """The IRI of the chain named by IRI, id, Chinese or English label, or alias (the focal
    zone's own chain wins a shared name); a KeyError lists the matches or the chains."""
    return resolve_entity(store, "chain", name)
