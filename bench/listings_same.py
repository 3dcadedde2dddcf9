"""Check that two listings side tables hold the same answers (not a test).

    python bench/listings_same.py OLD.sqlite NEW.sqlite

OLD is a format-1 file (one JSON text per row: `rows (answer, seq, cells)`, as written before
format 2) or one `chainkg.listings.Listings` reads (format 2, e.g. written by main's code), NEW
one `Listings` reads. Every (query, key) of OLD must be in NEW with the same total, the same
rows (compared as JSON text) and the same rows in random pages.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys

from chainkg.listings import Listings
from chainkg.queries import get_query

_HAS_BLOCKS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blocks'"


def _text(rows: list[object]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in rows]


def main() -> None:
    old = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    old_blocks = Listings(sys.argv[1]) if old.execute(_HAS_BLOCKS).fetchone() else None
    new = Listings(sys.argv[2])
    answers = old.execute("SELECT id, query, key, total FROM answers ORDER BY id").fetchall()
    keys = set(new._con.execute("SELECT query, key FROM answers").fetchall())
    assert keys == {(q, k) for _, q, k, _ in answers}, "the keys differ"
    pick = random.Random(0)
    rows = 0
    for answer, name, key, total in answers:
        query = get_query(name)
        params = {next(iter(query.params)): key} if key else {}
        if old_blocks is None:  # format 1: one JSON text per row
            cells = old.execute("SELECT cells FROM rows WHERE answer = ? ORDER BY seq", (answer,))
            want = _text([json.loads(c) for (c,) in cells])
        else:
            found = old_blocks.answer(query, params)
            assert found is not None, (name, key)
            want = _text(found.rows)
        got = new.answer(query, params)
        assert got is not None and got.total == total == len(want), (name, key)
        assert _text(got.rows) == want, (name, key)
        for _ in range(3):
            offset, limit = pick.randrange(0, total + 2), pick.randrange(0, 60)
            page = new.answer(query, params, limit, offset)
            assert page is not None, (name, key)
            assert _text(page.rows) == want[offset : offset + limit if limit else None]
        rows += total
    print(f"same: {len(answers)} answers, {rows} rows")


if __name__ == "__main__":
    main()
