"""The listings side table: long officer listings answered a page at a time from SQLite.

The engine must evaluate and sort every row of a SPARQL listing before its first page, so
the build writes the answers of some named queries beside the graph, `out/listings.sqlite`:
each (query, parameter value) as numbered rows and a count. `run_named_query(...,
listings=open_beside(graph))` reads a page from the blocks holding it and the total from the
count; a key not written, or a query whose text changed since, is answered by SPARQL.

Layout (`FORMAT` 2): an answer is a run of rows of a body; a body's rows are stored as zlib
blocks of a JSON array (~16 KB of JSON each), so a page reads one or two blocks. An answer
whose rows equal rows already written for the same query — each chain's run of the unbound
answer, a hub's answer under each of its names — points at them instead of repeating them
(at 1M: 911 MB of one JSON text per row before). A file of another format is not read.

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
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from chainkg.config import QUERIES_DIR
from chainkg.listings.changes import (
    build_registry_changes_by_chain,
    build_registry_changes_in_zone,
)
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
from chainkg.write import compact_json, graph_identity, new_database, open_for_graph

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
FORMAT = "2"  # 2: rows in compressed blocks, an answer equal to rows already written shares them
PAGE_SIZE = 16384
BLOCK_BYTES = 16384  # a block holds about this much JSON (from its answer's first rows)
SAMPLE_ROWS = 64  # rows whose JSON sizes the blocks of an answer
MAX_BLOCK_ROWS = 256
COMPRESSION = 2  # zlib level (1M: 3.3 CPU-s and 81 MB; level 6, 6.3 CPU-s and 72 MB)
MAX_CANDIDATES = 16  # starts tried when looking for an answer among the first one's rows

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
    "registry-changes-in-zone": build_registry_changes_in_zone,  # unbound and per event
    "registry-changes-by-chain": build_registry_changes_by_chain,
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
            f"PRAGMA page_size={PAGE_SIZE};"  # before the first table
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE graphs (identity TEXT PRIMARY KEY);"
            "CREATE TABLE queries (name TEXT PRIMARY KEY, text_sha256 TEXT, columns TEXT);"
            "CREATE TABLE answers (id INTEGER PRIMARY KEY, query TEXT, key TEXT,"
            " total INTEGER, body INTEGER, start INTEGER, UNIQUE (query, key));"
            "CREATE TABLE bodies (id INTEGER PRIMARY KEY, block_rows INTEGER);"
            "CREATE TABLE blocks (body INTEGER, block INTEGER, cells BLOB,"
            " PRIMARY KEY (body, block)) WITHOUT ROWID;"
        )
        con.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        con.executemany(
            "INSERT OR IGNORE INTO graphs VALUES (?)", sorted((graph_identity(g),) for g in graphs)
        )
        answer = body = 0
        for name in sorted(builders):
            query = get_query(name, queries_dir)
            columns: list[str] | None = None
            written = _Bodies()
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
                where = written.find(frame)
                if where is None:
                    body += 1
                    where = (body, 0)
                    _write_body(con, body, frame)
                    written.add(body, frame)
                con.execute(
                    "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                    (answer, name, key, len(frame), *where),
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


def _write_body(con: sqlite3.Connection, body: int, frame: pd.DataFrame) -> None:
    """The rows of `frame` as blocks of `block_rows` rows, each a compressed JSON array."""
    rows = list(zip(*(frame[c].tolist() for c in frame.columns), strict=True))
    sample = _json(rows[:SAMPLE_ROWS])
    per = max(1, min(MAX_BLOCK_ROWS, BLOCK_BYTES * min(len(rows), SAMPLE_ROWS) // len(sample)))
    con.execute("INSERT INTO bodies VALUES (?, ?)", (body, per))
    con.executemany(
        "INSERT INTO blocks VALUES (?, ?, ?)",
        (
            (body, i // per, zlib.compress(_json(rows[i : i + per]), COMPRESSION))
            for i in range(0, len(rows), per)
        ),
    )


def _json(rows: list[tuple[object, ...]]) -> bytes:
    return compact_json(rows)


class _Bodies:
    """The bodies written for one query, to store an answer that is the whole of another or
    a run of the first (the unbound answer, of which each chain's answer is a run) once."""

    def __init__(self) -> None:
        self.first: pd.DataFrame | None = None
        self.first_body = 0
        self.cells: list[np.ndarray] = []  # the first body's columns
        self.heads: dict[object, np.ndarray] = {}  # first column's value -> its rows there
        self.whole: dict[tuple[object, ...], list[tuple[int, pd.DataFrame]]] = {}

    def add(self, body: int, frame: pd.DataFrame) -> None:
        if self.first is None:
            self.first, self.first_body = frame, body
        self.whole.setdefault(_ends(frame), []).append((body, frame))

    def _index_first(self) -> None:
        """Index the first body by its first column, when a later answer is looked for in
        it (a query with one answer never is)."""
        if self.cells or self.first is None:
            return
        self.cells = [self.first[c].to_numpy(dtype=object) for c in self.first.columns]
        codes, uniques = pd.factorize(self.cells[0], use_na_sentinel=False)
        order = np.argsort(codes, kind="stable")
        cuts = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        self.heads = {u: order[a:b] for u, a, b in zip(uniques, cuts[:-1], cuts[1:], strict=True)}

    def find(self, frame: pd.DataFrame) -> tuple[int, int] | None:
        """(body, start) of rows already written equal to `frame`'s, or None."""
        if frame.empty:
            return (0, 0)
        for body, other in self.whole.get(_ends(frame), []):
            if _same(other, 0, frame):
                return (body, 0)
        if self.first is None or len(self.first) <= len(frame):
            return None
        self._index_first()
        head = frame.iloc[0].tolist()
        at = self.heads.get(head[0], np.empty(0, dtype=np.int64))
        at = at[at <= len(self.first) - len(frame)]
        for column, value in zip(self.cells[1:], head[1:], strict=True):
            at = at[column[at] == value]
        for start in at[:MAX_CANDIDATES].tolist():
            if _same(self.first, start, frame, self.cells):
                return (self.first_body, start)
        return None


def _ends(frame: pd.DataFrame) -> tuple[object, ...]:
    if frame.empty:
        return ()
    return (len(frame), *frame.iloc[0].tolist(), *frame.iloc[-1].tolist())


def _same(
    other: pd.DataFrame, start: int, frame: pd.DataFrame, cells: list[np.ndarray] | None = None
) -> bool:
    """Whether `frame`'s rows equal `other`'s from `start`, cell for cell and type for type
    (so their JSON is the same): the same dtypes, object columns of strings only. `cells`:
    `other`'s columns as object arrays, when they are at hand."""
    end = start + len(frame)
    if end > len(other) or list(other.dtypes) != list(frame.dtypes):
        return False
    for column, (_name, mine) in enumerate(frame.items()):
        if mine.dtype == object and pd.api.types.infer_dtype(mine, skipna=False) != "string":
            return False
        if cells:
            theirs = cells[column][start:end]
        else:
            theirs = other.iloc[start:end, column].to_numpy(dtype=object)
        if not np.array_equal(mine.to_numpy(dtype=object), theirs):
            return False
    return True


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
            format_ = self._con.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if format_ != (FORMAT,):  # another version's layout: not read
                return set()
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
            "SELECT a.total, a.body, a.start, b.block_rows, q.columns FROM queries q"
            " JOIN answers a ON a.query = q.name LEFT JOIN bodies b ON b.id = a.body"
            " WHERE q.name = ? AND q.text_sha256 = ? AND a.key = ?",
            (query.name, text_digest(query.text), key),
        ).fetchone()
        if found is None:
            return None
        total, body, start, per, columns = found
        end = min(offset + limit, total) if limit else total
        rows: list[list[object]] = []
        if max(offset, 0) < end:
            first, last = start + max(offset, 0), start + end  # rows [first, last) of the body
            blocks = self._con.execute(
                "SELECT cells FROM blocks WHERE body = ? AND block BETWEEN ? AND ? ORDER BY block",
                (body, first // per, (last - 1) // per),
            )
            for (cells,) in blocks:
                rows.extend(json.loads(zlib.decompress(cells)))
            skip = first - first // per * per
            rows = rows[skip : skip + last - first]
        return QueryResult(json.loads(columns), rows, total=total, offset=offset)


def open_beside(
    graph: Path | str, on_stale: Callable[[str], None] | None = None
) -> Listings | None:
    """The listings written beside `graph` (a built graph file or store folder) for that very
    graph, or None: none written, or written for another graph (then `on_stale` is told, and
    the listings are answered by SPARQL)."""
    return open_for_graph(graph, LISTINGS_FILE, Listings, on_stale)
