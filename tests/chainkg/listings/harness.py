"""The equality test of a listing builder, for every builder (`chainkg.listings`):
`assert_listing_matches(name, builder, store, seeds, keys)` compares the builder's rows of
each key with `run_named_query` on the graph built from the same seeds, row for row.

What the query leaves open is compared as such: rows the ORDER BY ties (equal on its
projected variables) as multisets within their run, and GROUP_CONCAT values as sets of
their parts (the engine concatenates in its own order)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from chainkg.listings import Builder
from chainkg.queries import NamedQuery, get_query, run_named_query
from chainkg.tables import Seeds

_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?SEPARATOR\s*=\s*\"([^\"]*)\"\s*\)\s*AS\s*\?(\w+)",
    re.IGNORECASE,
)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b(.*)\Z", re.IGNORECASE | re.DOTALL)


def concat_columns(query: NamedQuery) -> dict[str, str]:
    """column -> separator, for the GROUP_CONCAT columns of the query."""
    return {column: sep for sep, column in _CONCAT.findall(query.text)}


def order_columns(query: NamedQuery) -> list[str]:
    """The variables of the query's final ORDER BY (inside ASC/DESC too)."""
    found = _ORDER_BY.search(query.text.rsplit("}", 1)[-1])
    return re.findall(r"\?(\w+)", found.group(1)) if found else []


def comparable(query: NamedQuery, columns: list[str], rows: list[list[str]]) -> list[tuple]:
    """Rows with their GROUP_CONCAT cells as sorted tuples of parts."""
    concat = concat_columns(query)
    return [
        tuple(
            tuple(sorted(v.split(concat[c]))) if c in concat else v
            for c, v in zip(columns, row, strict=True)
        )
        for row in rows
    ]


def runs(query: NamedQuery, columns: list[str], rows: list[tuple]) -> list[tuple[tuple, Counter]]:
    """Rows cut into maximal runs equal on the projected ORDER BY variables: (those values,
    the run's rows as a multiset)."""
    where = [columns.index(c) for c in order_columns(query) if c in columns]
    out: list[tuple[tuple, Counter]] = []
    for row in rows:
        key = tuple(row[i] for i in where)
        if out and out[-1][0] == key:
            out[-1][1][row] += 1
        else:
            out.append((key, Counter([row])))
    return out


def assert_listing_matches(
    name: str,
    builder: Builder,
    store: ox.Store,
    seeds: Seeds,
    keys: Iterable[str] | None = None,
) -> set[str]:
    """Assert that the builder's rows of each of `keys` (default: every key it yields) equal
    the named query's answer on `store` (built from `seeds`); return the keys compared (a
    key the builder does not yield is answered by SPARQL and not compared)."""
    query = get_query(name)
    built = dict(builder(seeds))
    wanted = list(built) if keys is None else [k for k in keys if k in built]
    for key in wanted:
        frame = built[key]
        params = {next(iter(query.params)): key} if key else {}
        expected = run_named_query(store, query, params)
        columns = [str(c) for c in frame.columns]
        assert columns == expected.columns, (name, key, columns, expected.columns)
        rows = [list(r) for r in frame.itertuples(index=False, name=None)]
        assert all(isinstance(v, str) for row in rows for v in row), (name, key, "not strings")
        got = runs(query, columns, comparable(query, columns, rows))
        want = runs(query, columns, comparable(query, columns, expected.rows))
        assert len(rows) == len(expected.rows), (name, key, len(rows), len(expected.rows))
        if got != want:
            first = next(
                i
                for i in range(max(len(got), len(want)))
                if i >= min(len(got), len(want)) or got[i] != want[i]
            )
            raise AssertionError(
                f"{name} [{key or 'unbound'}]: run {first} differs:\n"
                f" builder {got[first] if first < len(got) else None}\n"
                f" sparql  {want[first] if first < len(want) else None}"
            )
    return set(wanted)
