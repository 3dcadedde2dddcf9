"""`chainkg.listings.rows.distinct` equals dropping duplicate rows, then sorting them
(`ordered`), on hand-made frames with the values that tie in a sort without being equal:
a missing string and "", a missing number, numbers and booleans in an object column."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkg.listings.rows import distinct, ordered, ranks

TEXTS = st.sampled_from(["", "a", "b", "ab", "株洲", None])
NUMBERS = st.sampled_from([0.0, 1.0, 2.0, float("nan")])
MIXED = st.sampled_from(["1", 1, 1.0, True, "a", None])  # one key for 1, 1.0 and True


def reference(
    frame: pd.DataFrame, by: list[str], descending: list[str], subset: list[str]
) -> pd.DataFrame:
    return ordered(frame[~frame.duplicated(subset)], by, descending)


def assert_same_rows(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.index) == list(want.index)  # the same rows of the frame, in one order
    pd.testing.assert_frame_equal(got, want)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(TEXTS, TEXTS, NUMBERS, st.booleans(), TEXTS), max_size=40),
    by=st.permutations(["s", "t", "n", "b", "u"]).map(lambda c: c[:3]),
    extra=st.sets(st.sampled_from(["s", "t", "n", "b", "u"])),
    down=st.sets(st.sampled_from(["s", "t", "n", "b", "u"])),
)
def test_distinct_equals_dropping_then_sorting(
    rows: list[tuple[object, ...]], by: list[str], extra: set[str], down: set[str]
) -> None:
    frame = pd.DataFrame(rows, columns=["s", "t", "n", "b", "u"])
    frame = frame.astype({"s": object, "t": object, "u": object, "n": float, "b": bool})
    subset = sorted(set(by) | extra)  # the sort's columns among them: rows tied in runs
    descending = sorted(down & set(by))
    got = distinct(frame, by, descending, subset=subset)
    assert_same_rows(got, reference(frame, by, descending, subset))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(MIXED, TEXTS), max_size=30),
    by_all=st.booleans(),
)
def test_distinct_of_numbers_in_an_object_column(
    rows: list[tuple[object, ...]], by_all: bool
) -> None:
    frame = pd.DataFrame(rows, columns=["m", "s"], dtype=object)
    by = ["m", "s"] if by_all else ["s"]
    got = distinct(frame, by, subset=["m", "s"])
    assert_same_rows(got, reference(frame, by, [], ["m", "s"]))


def test_distinct_with_a_sort_column_outside_the_compared_ones() -> None:
    frame = pd.DataFrame(
        {"k": ["x", "y", "x", "z", "y"], "rank": [3, 1, 2, 5, 4], "v": ["1", "2", "1", "3", "2"]}
    )
    got = distinct(frame, ["rank"], subset=["k", "v"])  # the first of equal rows, then sorted
    assert got["rank"].tolist() == [1, 3, 5]
    assert_same_rows(got, reference(frame, ["rank"], [], ["k", "v"]))


def test_distinct_keeps_the_seeds_order_of_tied_rows() -> None:
    frame = pd.DataFrame({"a": ["b", "a", "b", "a", "b"], "q": ["3", "1", "3", "2", "1"]})
    got = distinct(frame, ["a"])
    assert got.index.tolist() == [1, 3, 0, 4]
    assert np.array_equal(got["q"].to_numpy(), np.array(["1", "2", "3", "1"], dtype=object))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(TEXTS, TEXTS, NUMBERS), max_size=30),
    others=st.lists(TEXTS, max_size=10),
    unique=st.booleans(),
)
def test_ranks_given_sort_as_the_values(
    rows: list[tuple[object, ...]], others: list[object], unique: bool
) -> None:
    """Ranks of a column taken from a ranking of more values (as `entity_label_ranks` of
    every label, by position) sort its rows as its own values do."""
    frame = pd.DataFrame(rows, columns=["s", "t", "n"]).astype({"s": object, "t": object})
    every = pd.Series([*frame["s"].tolist(), *others], dtype=object)
    given_ranks = {"s": ranks(every)[: len(frame)]}
    by = ["s", "n", "t"]
    if unique:
        got, want = distinct(frame, by, ranked=given_ranks), distinct(frame, by)
    else:
        got, want = ordered(frame, by, ranked=given_ranks), ordered(frame, by)
    assert_same_rows(got, want)
    assert_same_rows(want, reference(frame, by, [], by) if unique else ordered(frame, by))
