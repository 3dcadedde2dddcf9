"""The name index: substring search in Chinese and English, exact resolution, determinism."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chainkg.search import INDEX_FILE, NameIndex, add_names, build_index, open_beside

E = "https://example.org/enterprise/"
ROWS = [
    (E + "a", "北汽株洲公司", "label_zh", "Enterprise"),
    (E + "a", "BAIC Zhuzhou", "label", "Enterprise"),
    (E + "a", "北汽", "alias", "Enterprise"),
    (E + "a", "baic-zhuzhou", "id", "Enterprise"),
    (E + "b", "菲仕电机", "label_zh", "Enterprise"),
    (E + "c", "电机电控", "label_zh", "ChainSegment"),
    (E + "d", "100%_纯电", "label_zh", "Enterprise"),
]


@pytest.fixture()
def index(tmp_path: Path) -> NameIndex:
    with NameIndex(build_index(ROWS, tmp_path / "names.sqlite")) as opened:
        yield opened


def test_substring_search_long_and_short(index: NameIndex) -> None:
    assert [h.iri for h in index.search("电机")] == [E + "c", E + "b"]  # shorter name first
    assert [h.label for h in index.search("株洲公司")] == ["北汽株洲公司"]
    assert [h.label for h in index.search("zhuzhou")] == ["北汽株洲公司"]  # case-insensitive
    assert index.search("北汽")[0].matched == "北汽"  # the exact alias ranks first


def test_wildcards_are_literal(index: NameIndex) -> None:
    assert [h.iri for h in index.search("%_")] == [E + "d"]
    assert index.search("_") == index.search("%_")
    assert index.search("x%") == []


def test_limit_and_empty(index: NameIndex) -> None:
    assert len(index.search("电", limit=1)) == 1
    assert index.search("  ") == []


def test_resolve_exact_names_aliases_ids(index: NameIndex) -> None:
    assert index.resolve("北汽") == index.resolve("BAIC-ZHUZHOU") == [E + "a"]
    assert index.resolve("北") == []


def test_same_rows_same_bytes(tmp_path: Path) -> None:
    one = build_index(ROWS, tmp_path / "one.sqlite").read_bytes()
    two = build_index(list(reversed(ROWS)), tmp_path / "two.sqlite").read_bytes()
    assert one == two


def test_a_row_given_again_is_stored_once(tmp_path: Path) -> None:
    """Repeated rows (an alias written twice in a cell) are skipped wherever they come."""
    once = build_index(ROWS, tmp_path / "once.sqlite").read_bytes()
    again = ROWS[:2] + ROWS + list(reversed(ROWS))
    assert build_index(again, tmp_path / "again.sqlite").read_bytes() == once


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no name index"):
        NameIndex(tmp_path / "nope.sqlite")


def test_an_index_built_with_another_graph_is_not_used(tmp_path: Path) -> None:
    """open_beside: the index is used only beside the graph.nq it was built with; an older
    build's index (another graph, or no fingerprint) is refused with a message."""
    graph = tmp_path / "graph.nq"
    graph.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    build_index(ROWS, tmp_path / INDEX_FILE, graph)
    notes: list[str] = []
    with open_beside(tmp_path / "store", notes.append) as index:  # a store folder beside it
        assert index.resolve("北汽") == [E + "a"]
    assert open_beside(graph, notes.append) is not None and notes == []
    graph.write_text("<urn:a> <urn:b> <urn:d> .\n", encoding="utf-8")  # a new build's graph
    assert open_beside(graph, notes.append) is None
    assert "was not built with" in notes[0] and str(graph) in notes[0]
    build_index(ROWS, tmp_path / INDEX_FILE)  # no fingerprint recorded
    assert open_beside(graph, notes.append) is None and len(notes) == 2
    assert open_beside(tmp_path / "elsewhere" / "graph.nq") is None  # no index there


def _sorted_search(rows: list[tuple[str, str, str, str]], text: str, limit: int) -> list[tuple]:
    """The search's order, by sorting every match (what the index avoids at scale)."""
    generic = ("Place", "Organization", "Enterprise")
    matches = sorted(
        (r for r in rows if text.lower() in r[1].lower()),
        key=lambda r: (r[1].lower() != text.lower(), len(r[1]), r[1], r[0], r[3] in generic, r[3]),
    )
    best: dict[str, tuple[str, str]] = {}
    for iri, name, _kind, type_ in matches:
        best.setdefault(iri, (type_, name))
    return [(iri, t, m) for iri, (t, m) in list(best.items())[:limit]]


def test_search_reads_matches_in_stored_order_as_a_full_sort_would(tmp_path: Path) -> None:
    """Rows are stored in the search's order, so a search stops at its limit; the hits are
    those a sort of every match gives (exact names first, then shorter, then by name)."""
    words = ["智能", "电机", "智能电机", "Rail", "rail", "株洲智能装备", "电机电控", "智"]
    rows = [
        (f"{E}{i}", f"{words[i % 8]}{'甲乙丙'[: i % 4]}{i % 5 or ''}", "label_zh", t)
        for i in range(60)
        for t in (("Enterprise", "ChainSegment")[i % 2],)
    ]
    rows += [(f"{E}{i}", words[(i * 3) % 8], "alias", "Enterprise") for i in range(0, 60, 7)]
    rows += [(f"{E}{i}", f"ent-{i}", "id", "Enterprise") for i in range(60)]  # ASCII, short
    texts = ("智能", "电机", "rail", "智", "智能电机", "甲乙", "株洲智能", "1", "t-1", "能1")
    with NameIndex(build_index(rows, tmp_path / INDEX_FILE)) as index:
        for text in texts:
            for limit in (1, 5, 50):
                hits = [(h.iri, h.type, h.matched) for h in index.search(text, limit)]
                assert hits == _sorted_search(rows, text, limit), (text, limit)
            assert index.count(text) == len(_sorted_search(rows, text, 1000)), text
    # an index written before the ASCII column (names read the same, by a full scan)
    con = sqlite3.connect(tmp_path / INDEX_FILE)
    con.executescript("DROP INDEX names_by_script; ALTER TABLE names DROP COLUMN ascii;")
    con.close()
    with NameIndex(tmp_path / INDEX_FILE) as legacy:
        for text in texts:
            hits = [(h.iri, h.type, h.matched) for h in legacy.search(text, 50)]
            assert hits == _sorted_search(rows, text, 50), text


def test_an_index_in_two_parts_answers_as_one_index_of_all_rows(tmp_path: Path) -> None:
    """`add_names` (the store's few names, added after the seed tables' part was written
    while the store loaded): search, count, resolve and labels as one `build_index` of
    all the rows, including hits that interleave across the parts."""
    words = ["智能", "电机", "智能电机", "Rail", "rail", "株洲智能装备", "电机电控", "智"]
    rows = [
        (f"{E}{i}", f"{words[i % 8]}{'甲乙丙'[: i % 4]}{i % 5 or ''}", "label_zh", "Enterprise")
        for i in range(40)
    ] + [(f"{E}{i}", f"ent-{i}", "id", "Enterprise") for i in range(40)]
    later = [
        (f"{E}s{i}", f"{words[(i * 3) % 8]}统计{i % 3}", "label_zh", "Statistic") for i in range(25)
    ]
    later += [(f"{E}s{i}", f"st-{i}", "id", "Statistic") for i in range(25)]
    later += [(f"{E}s1", "电机", "alias", "Statistic")]  # an exact name in the later part
    (tmp_path / "g.nq").write_text("<a> <b> <c> .\n", encoding="utf-8")
    whole = build_index(rows + later, tmp_path / "whole.sqlite", tmp_path / "g.nq")
    parts = add_names(build_index(rows, tmp_path / "parts.sqlite"), later, tmp_path / "g.nq")
    texts = (
        "智能",
        "电机",
        "rail",
        "智",
        "统计",
        "智能电机",
        "甲乙",
        "株洲智能",
        "1",
        "t-1",
        "能1",
    )
    with NameIndex(whole) as one, NameIndex(parts) as two:
        assert two._parts == [1, len(rows) + 1] and one._parts == [1]
        assert two.graph_identity() == one.graph_identity() != ""
        for text in texts:
            for limit in (1, 3, 50):
                assert two.search(text, limit) == one.search(text, limit), (text, limit)
            assert two.count(text) == one.count(text) and two.count(text, 2) == one.count(text, 2)
        assert any(h.type == "Statistic" for h in two.search("电机", 3))  # the parts interleave
        for name in ("电机", "ST-3", "ent-7", "智"):
            assert two.resolve(name) == one.resolve(name), name
            assert two.resolve(name, "Statistic") == one.resolve(name, "Statistic"), name
        assert two.known("Statistic", 5) == one.known("Statistic", 5)
    # nothing to add: the parts stay as they were
    add_names(parts, [])
    with NameIndex(parts) as same:
        assert same._parts == [1, len(rows) + 1]


def test_a_capped_count_stops_past_the_cap_and_a_page_says_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chainkg import queries

    rows = [(f"{E}e{i}", f"智能装备{i}号公司", "label_zh", "Enterprise") for i in range(30)]
    rows += [(f"{E}e{i}", f"e{i}", "id", "Enterprise") for i in range(30)]
    with NameIndex(build_index(rows, tmp_path / INDEX_FILE)) as index:
        for text in ("智能", "智能装备"):  # the LIKE scan and the trigram index
            assert index.count(text) == 30
            assert index.count(text, cap=10) == 11  # "more than 10"
            assert index.count(text, cap=30) == 30
        monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 10)
        page = queries.search_result(index, "智能", limit=5, offset=0)
        assert (page.total, page.total_exact, len(page.rows)) == (10, False, 5)
        assert "共 10+ 行" in page.page_line() and "more than 10" in page.page_line()
        assert '"total_exact": false' in queries.format_result(page, "json")
        whole = queries.search_result(index, "智能")  # no page: the exact total
        assert (whole.total, whole.total_exact, len(whole.rows)) == (30, True, 30)
        late = queries.search_result(index, "智能", limit=5, offset=20)  # past the cap
        assert late.total == 25 and not late.total_exact and len(late.rows) == 5
        monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 100)
        exact = queries.search_result(index, "智能", limit=5)
        assert (exact.total, exact.total_exact) == (30, True)


def test_a_page_that_holds_every_match_is_counted_by_its_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short text scans the names (no trigram): a page holding every match takes its
    total from the search instead of a second scan, and the total is the count's."""
    from chainkg import queries

    rows = [(f"{E}e{i}", f"智能装备{i}号公司", "label_zh", "Enterprise") for i in range(7)]
    rows += [(f"{E}z", "Zhineng 智能", "label_zh", "Enterprise"), (f"{E}y", "A股", "alias", "X")]
    with NameIndex(build_index(rows, tmp_path / INDEX_FILE)) as index:
        counted: list[str] = []
        count = index.count
        monkeypatch.setattr(index, "count", lambda t, cap=None: counted.append(t) or count(t, cap))
        for text, limit, offset in (("智能", 20, 0), ("智能", 5, 3), ("装备", 8, 0), ("a股", 5, 0)):
            page = queries.search_result(index, text, limit=limit, offset=offset)
            assert (page.total, page.total_exact) == (count(text), True), text
            assert len(page.rows) == min(limit, page.total - offset), text
        assert counted == ["智能"]  # only the page that did not hold every match
        assert [h.iri for h in index.search("a股")] == [E + "y"]  # any case, by LIKE
