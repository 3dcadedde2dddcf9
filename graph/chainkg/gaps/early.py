"""The build's gap stage before the store exists: `precompute_summary(seeds, path)` in a child
process while the bulk loader runs, then `confirm_summary(path, store, dest, graphs)`.

Nearly every answer the gap analysis reads comes from the seed tables already
(`chainkg.gaps.tables.TableAnswers`); the few it asks of the graph (the chains, their
segments, same-named segments, chain alignments: small whole-graph lists) depend on a few
tables only. `precompute_summary` builds those tables' part of the graph in memory by the
row mapping itself (`chainkg.mapping.assemble_text` over the chains, segments, places,
alignments and `benchmark_for` relations, with the ontology and the source register) and
runs the analysis over it: the same code, so levels and ranking keep their one definition.
It writes the gap summary (answers and the composed report, naming no graph yet) with the
list of answers it asked of that partial graph.

`confirm_summary` asks the built store each of those answers again: when every one holds
the very rows the partial graph gave (in order; a listing read in part, the same first
rows), the analysis would have read the same rows from the store, so it composes the same
report and records the same answers: the summary names the store and moves into place.
Otherwise (a fact of the graph the partial graph lacked) it returns False and the caller
runs the stage on the store as before.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
import pyoxigraph as ox

from chainkg.aggregates import Answer, _key, write_summary
from chainkg.gaps.compose import analyse
from chainkg.gaps.fetch import rows, stream
from chainkg.gaps.tables import TableAnswers
from chainkg.gc_pause import gc_paused
from chainkg.mapping import assemble_text
from chainkg.panorama import panorama_status
from chainkg.tables import Seeds, split_multi
from chainkg.write import graph_identity

# The tables whose rows make the triples the graph-only gap queries read (gap-chains,
# gap-segments, gap-matching-segments, gap-chain-alignments), and the relation predicates.
GRAPH_TABLES = ("chains", "segments", "places", "chain_alignments", "relations")
GRAPH_PREDICATES = frozenset({"benchmark_for"})
ASKED_TABLE = "early_asked"  # in the precomputed file only


class _NotingAsked(TableAnswers):
    """`TableAnswers` noting the answers it leaves to the graph: those it has not when
    asked (the analysis's reader then asks the graph and records the rows)."""

    def __init__(self, seeds: Seeds) -> None:
        super().__init__(seeds)
        self.asked: set[tuple[str, str]] = set()

    def get(self, name: str, params: dict[str, str]) -> Answer | None:
        found = super().get(name, params)
        if found is None:
            self.asked.add(_key(name, params))
        return found


def seed_graph(seeds: Seeds) -> ox.Store:
    """An in-memory store of the graph's part the graph-only gap queries read, made by the
    row mapping from `GRAPH_TABLES` (relations: `GRAPH_PREDICATES` only; no registry
    rows), with the sources those rows cite (the register of every source, with each
    article's full text, is most of the text at a million enterprises, and none of those
    queries reads it)."""
    tables: dict[str, pd.DataFrame] = {}
    for name in GRAPH_TABLES:
        frame = seeds.tables.get(name)
        if frame is None:
            continue
        if name == "relations":
            frame = frame[frame["predicate"].isin(GRAPH_PREDICATES)]
        tables[name] = frame
    cited = {
        source
        for frame in tables.values()
        for cell in frame["source"].tolist()
        for source in split_multi(cell)
    }
    sources = seeds.tables["sources"]
    tables["sources"] = sources[sources["id"].isin(cited)].reset_index(drop=True)
    # no registry rows: firms and their placements, which none of those queries reads (at
    # 100,000 rows, mapping and loading them was 21 of the 28 CPU-s of the summary)
    part = dataclasses.replace(seeds, tables=tables, registry={}, registry_matches={})
    store = ox.Store()
    for _nquads, ntriples in assemble_text(part):
        store.load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


def precompute_summary(seeds: Seeds, path: Path) -> None:
    """Run the gap analysis on the seed tables alone (the graph-only answers from
    `seed_graph`) and write its summary to `path`, naming no graph, with the answers asked
    of the partial graph (table ASKED_TABLE, dropped when confirmed)."""
    with gc_paused():
        answers = _NotingAsked(seeds)
        partial = seed_graph(seeds)
        analyse(partial, summary=answers)
        panorama_status(partial, summary=answers)  # from the tables (`tables.panorama`)
        write_summary(answers, path, [])
    con = sqlite3.connect(path)
    try:
        con.execute(f"CREATE TABLE {ASKED_TABLE} (query TEXT, params TEXT)")
        con.executemany(f"INSERT INTO {ASKED_TABLE} VALUES (?, ?)", sorted(answers.asked))
        con.commit()
    finally:
        con.close()


def confirm_summary(path: Path, store: Any, dest: Path, graphs: list[Path]) -> bool:
    """Whether the built `store` gives every answer the precomputed summary at `path` asked
    of the partial graph, row for row; if so the summary names `graphs` and moves to `dest`
    (True). If not, or if nothing was precomputed, `path` is removed and False returned."""
    try:
        if not path.is_file():
            return False
        con = sqlite3.connect(path)
        try:
            asked = con.execute(f"SELECT query, params FROM {ASKED_TABLE}").fetchall()
            for name, params_text in asked:
                found = con.execute(
                    "SELECT rows, complete FROM answers WHERE query = ? AND params = ?",
                    (name, params_text),
                ).fetchone()
                if found is None or not _same_rows(store, name, json.loads(params_text), found):
                    return False
            con.execute(f"DROP TABLE {ASKED_TABLE}")
            con.executemany(
                "INSERT OR IGNORE INTO graphs VALUES (?)",
                sorted((graph_identity(g),) for g in graphs),
            )
            con.commit()
        finally:
            con.close()
        os.replace(path, dest)
        return True
    finally:
        path.unlink(missing_ok=True)


def _same_rows(store: Any, name: str, params: dict[str, str], found: tuple[str, int]) -> bool:
    kept, complete = json.loads(found[0]), bool(found[1])
    if complete:
        return rows(store, name, **params) == kept
    return list(islice(stream(store, name, params), len(kept))) == kept
