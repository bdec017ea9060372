"""`IntervalSet` (netcheck.model.intervals): every operation agrees with Python sets on small
universes, runs are always sorted and merged (adjacent runs join), and the set behaves like
the plain tuples of runs it replaced (equality, hashing, ordering, iteration)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcheck.model.intervals import IntervalSet

UNIVERSE = 120

runs = st.lists(
    st.tuples(st.integers(0, UNIVERSE - 1), st.integers(0, 6)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=24,  # beyond 8 runs the set searches instead of scanning
)


def values(ivs: IntervalSet) -> set[int]:
    return {v for lo, hi in ivs for v in range(lo, hi + 1)}


def of_runs(rs: list[tuple[int, int]]) -> set[int]:
    return {v for lo, hi in rs for v in range(lo, hi + 1)}


def assert_canonical(ivs: IntervalSet) -> None:
    """Sorted, each run non-empty, neither overlapping nor adjacent to the next."""
    assert isinstance(ivs, IntervalSet)
    for lo, hi in ivs:
        assert lo <= hi
    for (_, hi), (lo, _) in pairwise(ivs):
        assert hi + 1 < lo


@given(runs)
def test_construction_keeps_the_values_and_normalises(rs):
    s = IntervalSet(rs)
    assert_canonical(s)
    assert values(s) == of_runs(rs)


@given(runs, runs)
def test_union_intersection_difference_agree_with_sets(ra, rb):
    a, b = IntervalSet(ra), IntervalSet(rb)
    for got, want in (
        (a | b, of_runs(ra) | of_runs(rb)),
        (a & b, of_runs(ra) & of_runs(rb)),
        (a - b, of_runs(ra) - of_runs(rb)),
        (a.union(rb), of_runs(ra) | of_runs(rb)),
        (a.intersection(rb), of_runs(ra) & of_runs(rb)),
        (a.difference(rb), of_runs(ra) - of_runs(rb)),
    ):
        assert_canonical(got)
        assert values(got) == want


@given(runs, st.integers(-2, UNIVERSE + 8))
def test_membership_agrees_with_sets(rs, v):
    assert IntervalSet(rs).has(v) == (v in of_runs(rs))


@given(runs, st.integers(0, UNIVERSE + 6), st.integers(0, 8))
def test_covers_meets_and_decide_agree_with_sets(rs, lo, width):
    hi = lo + width
    s = IntervalSet(rs)
    span = set(range(lo, hi + 1))
    vals = of_runs(rs)
    assert s.covers(lo, hi) == (span <= vals)
    assert s.meets(lo, hi) == bool(span & vals)
    want = False if not (span & vals) else (True if vals <= span else None)
    assert s.decide(lo, hi) is want


@given(runs, runs)
def test_within_agrees_with_subset(ra, rb):
    assert IntervalSet(ra).within(IntervalSet(rb)) == (of_runs(ra) <= of_runs(rb))


@given(runs, st.integers(0, 10), st.integers(0, UNIVERSE + 10))
def test_complement_within_a_range(rs, lo, hi):
    s = IntervalSet(rs)
    got = s.complement(lo, hi)
    assert_canonical(got)
    assert values(got) == set(range(lo, hi + 1)) - of_runs(rs)


@given(st.lists(st.integers(0, UNIVERSE), max_size=12))
def test_of_values_joins_consecutive_values(vs):
    s = IntervalSet.of_values(vs)
    assert_canonical(s)
    assert values(s) == set(vs)


def test_adjacent_and_overlapping_runs_merge():
    assert IntervalSet([(4, 6), (1, 3), (10, 10), (5, 8)]) == ((1, 8), (10, 10))
    assert IntervalSet.of_values([3, 1, 2, 7]) == ((1, 3), (7, 7))
    assert IntervalSet([(1, 2)]) | [(3, 4)] == ((1, 4),)


def test_empty_set():
    e = IntervalSet()
    assert e == () and not e and len(e) == 0
    assert IntervalSet.of_range(5, 4) == ()
    assert not e.has(0) and not e.meets(0, 100) and e.decide(0, 100) is False
    assert e.within(IntervalSet.of_range(0, 0))
    assert IntervalSet.of_range(1, 3) & e == ()
    assert IntervalSet.of_range(1, 3) - e == ((1, 3),)
    assert e.complement(0, 9) == ((0, 9),)


def test_full_address_and_port_ranges():
    top = 2**32 - 1
    full = IntervalSet.of_range(0, top)
    assert full.has(0) and full.has(top) and full.covers(0, top)
    assert full.decide(0, top) is True
    assert full - [(10, 20)] == ((0, 9), (21, top))
    assert full.complement(0, top) == ()
    ports = IntervalSet.of_range(0, 65535)
    assert ports & [(1024, 65535)] == ((1024, 65535),)
    assert full.first == 0


def test_invalid_run_is_rejected():
    with pytest.raises(ValueError):
        IntervalSet([(5, 4)])


def test_behaves_like_the_tuple_of_its_runs():
    """Equality, hashing and ordering with plain tuples: sorting boxes and keying dicts by
    their dimensions gives the same order as before the class existed."""
    a = IntervalSet([(1, 2), (5, 5)])
    assert a == ((1, 2), (5, 5)) and hash(a) == hash(((1, 2), (5, 5)))
    assert sorted([IntervalSet([(3, 3)]), a]) == [a, ((3, 3),)]
    assert [list(r) for r in a] == [[1, 2], [5, 5]]
    assert a[0][0] == a.first == 1
    assert IntervalSet(a) is a  # already normalised: no copy
    assert repr(a) == "IntervalSet(((1, 2), (5, 5)))"


def test_pydantic_field_validates_and_serialises_as_runs():
    from pydantic import BaseModel

    class M(BaseModel):
        dims: dict[str, IntervalSet]

    m = M(dims={"dst_port": [(22, 22), (23, 80)]})
    assert isinstance(m.dims["dst_port"], IntervalSet)
    assert m.dims["dst_port"] == ((22, 80),)
    assert m.model_dump(mode="json") == {"dims": {"dst_port": [[22, 80]]}}
