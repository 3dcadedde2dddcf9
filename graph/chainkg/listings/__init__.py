"""The listings side table: long officer listings answered a page at a time from SQLite.

The engine must evaluate and sort every row of a SPARQL listing before its first page, so
the build writes the answers of some named queries beside the graph, `out/listings.sqlite`:
each (query, parameter value) as numbered rows and a count. `run_named_query(...,
listings=open_beside(graph))` reads a page with LIMIT/OFFSET on the row number and the total
from the count; a key not written, or a query whose text changed since, is answered by SPARQL.

Rows are derived from the seed tables by a builder per query (`BUILDERS`, the contract in
`chainkg.listings.rows`), never by querying the store; the tests prove each builder's rows
equal the query's answer. The file names the graph it was built with
(`chainkg.write.graph_identity`, as `names.sqlite` and `gaps.sqlite` do) and each query's
text (SHA-256): `open_beside` never opens one left by another build.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from chainkg.config import QUERIES_DIR
from chainkg.listings.enterprises import (
    build_chain_enterprises,
    build_local_enterprises,
    build_nonlocal_enterprises_in_chains,
    build_segment_enterprises,
)
from chainkg.listings.rows import MIN_ROWS, Builder, ListingRows
from chainkg.listings.ties import (
    build_enterprise_profile,
    build_evidence_for_entity,
    build_list_early_stage_projects,
    build_list_main_enterprises,
    build_relations_with_evidence,
    build_suppliers_of,
)
from chainkg.queries import NamedQuery, QueryResult, get_query
from chainkg.tables import Seeds
from chainkg.write import graph_identity, new_database, open_for_graph

__all__ = [
    "BUILDERS",
    "LISTINGS_FILE",
    "MIN_ROWS",
    "Builder",
    "ListingRows",
    "Listings",
    "listing_key",
    "name_graphs",
    "open_beside",
    "write_listings",
]

LISTINGS_FILE = "listings.sqlite"
FORMAT = "1"

# query name -> builder; one line per query
BUILDERS: dict[str, Builder] = {
    "chain-enterprises": build_chain_enterprises,
    "segment-enterprises": build_segment_enterprises,
    "local-enterprises": build_local_enterprises,
    "nonlocal-enterprises-in-chains": build_nonlocal_enterprises_in_chains,
    "suppliers-of": build_suppliers_of,  # every tie, and the supplier hubs
    "relations-with-evidence": build_relations_with_evidence,
    "list-main-enterprises": build_list_main_enterprises,
    "list-early-stage-projects": build_list_early_stage_projects,
    "enterprise-profile": build_enterprise_profile,  # the hubs only
    "evidence-for-entity": build_evidence_for_entity,  # the hubs' names only
}


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def listing_key(query: NamedQuery, params: Mapping[str, str]) -> str | None:
    """The key a query's answer is stored under for these (resolved) parameters: "" when
    none is given, the value of the one given; None (not stored) for anything else."""
    if not params:
        return ""
    if len(params) == 1:
        value = next(iter(params.values())).strip()  # as `bind_value` gives it to SPARQL
        return value or None
    return None


def write_listings(
    seeds: Seeds,
    path: Path,
    graphs: Iterable[Path],
    builders: Mapping[str, Builder] | None = None,
    queries_dir: Path = QUERIES_DIR,
) -> Path:
    """Write every builder's answers to `path` atomically, naming `graphs` (the graph files
    or store folders built from the same seeds); return the path. Same seeds, same bytes."""
    builders = BUILDERS if builders is None else builders
    with new_database(path) as con:
        con.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE graphs (identity TEXT PRIMARY KEY);"
            "CREATE TABLE queries (name TEXT PRIMARY KEY, text_sha256 TEXT, columns TEXT);"
            "CREATE TABLE answers (id INTEGER PRIMARY KEY, query TEXT, key TEXT,"
            " total INTEGER, UNIQUE (query, key));"
            "CREATE TABLE rows (answer INTEGER, seq INTEGER, cells TEXT,"
            " PRIMARY KEY (answer, seq)) WITHOUT ROWID;"
        )
        con.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        con.executemany(
            "INSERT OR IGNORE INTO graphs VALUES (?)", sorted((graph_identity(g),) for g in graphs)
        )
        answer = 0
        for name in sorted(builders):
            query = get_query(name, queries_dir)
            columns: list[str] | None = None
            for key, frame in builders[name](seeds):
                found = [str(c) for c in frame.columns]
                if columns is None:
                    columns = found
                    con.execute(
                        "INSERT INTO queries VALUES (?, ?, ?)",
                        (name, text_digest(query.text), json.dumps(columns)),
                    )
                elif found != columns:
                    raise ValueError(
                        f"listing '{name}': key {key!r} has columns {found}, not {columns}"
                    )
                answer += 1
                con.execute(
                    "INSERT INTO answers VALUES (?, ?, ?, ?)", (answer, name, key, len(frame))
                )
                con.executemany(
                    "INSERT INTO rows VALUES (?, ?, ?)",
                    (
                        (answer, seq, json.dumps(row, ensure_ascii=False, separators=(",", ":")))
                        for seq, row in enumerate(frame.itertuples(index=False, name=None))
                    ),
                )
    return path


def name_graphs(path: Path, graphs: Iterable[Path]) -> None:
    """Add `graphs` to the graphs a written side table names: for a table written before
    its graph existed (the large build writes it while the store is still being loaded)."""
    with sqlite3.connect(path) as con:
        con.executemany(
            "INSERT OR IGNORE INTO graphs VALUES (?)", sorted((graph_identity(g),) for g in graphs)
        )
    con.close()


class Listings:
    """A written side table, read-only; one connection may serve several threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Listings:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def identities(self) -> set[str]:
        try:
            return {r[0] for r in self._con.execute("SELECT identity FROM graphs")}
        except sqlite3.DatabaseError:  # not a listings file
            return set()

    def totals(self, name: str) -> dict[str, int]:
        """key -> row count of every stored answer of the named query."""
        found = self._con.execute("SELECT key, total FROM answers WHERE query = ?", (name,))
        return dict(found.fetchall())

    def answer(
        self, query: NamedQuery, params: Mapping[str, str], limit: int = 0, offset: int = 0
    ) -> QueryResult | None:
        """`limit` rows (0: all) from `offset` of the stored answer of `query` with the
        resolved `params`, with its total; None when it is not stored (another key, or the
        query's text is not the one the rows were built for)."""
        key = listing_key(query, params)
        if key is None:
            return None
        found = self._con.execute(
            "SELECT a.id, a.total, q.columns FROM queries q JOIN answers a ON a.query = q.name"
            " WHERE q.name = ? AND q.text_sha256 = ? AND a.key = ?",
            (query.name, text_digest(query.text), key),
        ).fetchone()
        if found is None:
            return None
        answer, total, columns = found
        end = offset + limit if limit else total
        cells = self._con.execute(
            "SELECT cells FROM rows WHERE answer = ? AND seq >= ? AND seq < ? ORDER BY seq",
            (answer, offset, end),
        )
        rows = [json.loads(c) for (c,) in cells]
        return QueryResult(json.loads(columns), rows, total=total, offset=offset)


def open_beside(
    graph: Path | str, on_stale: Callable[[str], None] | None = None
) -> Listings | None:
    """The listings written beside `graph` (a built graph file or store folder) for that very
    graph, or None: none written, or written for another graph (then `on_stale` is told, and
    the listings are answered by SPARQL)."""
    return open_for_graph(graph, LISTINGS_FILE, Listings, on_stale)
