"""Helpers shared by the serve and remote tests: comparable query answers."""

from __future__ import annotations

import re
from pathlib import Path

from chainkg.queries import NamedQuery, QueryResult, list_queries

TEST_QUERIES = Path(__file__).resolve().parent / "queries"
_SEPARATOR = re.compile(r'SEPARATOR\s*=\s*"((?:[^"\\]|\\.)*)"', re.IGNORECASE)


def all_named_queries() -> list[NamedQuery]:
    """The project's named queries plus the test-only ones (without the slow one)."""
    extra = [q for q in list_queries(TEST_QUERIES) if q.name != "slow-cross-join"]
    return [*list_queries(), *extra]


def comparable(result: QueryResult, text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """Columns and sorted rows; GROUP_CONCAT cells as sorted parts.

    SPARQL leaves the order of GROUP_CONCAT and of rows tied under ORDER BY to the engine, and
    two stores with the same data may lay it out differently, so those orders are not compared.
    """
    separators = _SEPARATOR.findall(text)
    if "GROUP_CONCAT" in text.upper() and not separators:
        separators = [" "]

    def cell(value: str) -> str:
        parts = [value]
        for sep in separators:
            parts = [p for part in parts for p in part.split(sep)]
        return "\x1f".join(sorted(parts))

    rows = sorted(tuple(cell(v) for v in row) for row in result.rows)
    return result.columns, rows
