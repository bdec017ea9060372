"""Sets of integers as sorted, merged, inclusive runs: the one place netcheck does interval
arithmetic (address runs, port ranges, header-space box dimensions).

Input: integer runs `(lo, hi)` (inclusive) or single values. Output: `IntervalSet`, an
immutable set of integers stored as its runs: sorted, disjoint and non-adjacent (`(1, 2)`
and `(3, 4)` become `(1, 4)`), so two equal sets always have the same runs.

`IntervalSet` is a `tuple` of `(lo, hi)` pairs: code that reads runs (the JSON output
`[[lo, hi], …]`, Z3 range terms, sort keys) iterates it like the plain tuples netcheck used
before, at C speed, and sets compare, hash and sort exactly like those tuples did. Every
constructor normalises, so the invariant always holds. Example::

    >>> a = IntervalSet([(1, 3), (4, 6), (10, 10)])
    >>> a
    IntervalSet(((1, 6), (10, 10)))
    >>> a & IntervalSet.of_range(5, 20), a.has(4), a.decide(0, 8)
    (IntervalSet(((5, 6), (10, 10))), True, None)

Why not the `portion` library: its intervals are continuous (integer runs need its discrete
subclass to join `[1, 3]` and `[4, 6]`), and a micro-benchmark of the operations the hot
paths use (build from runs, intersection, union, difference, membership, containment)
measured it 7 to 50 times slower than this tuple + scan/bisect implementation (numbers in
the commit that introduced this module) — and these run per rule and per box.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

Run = tuple[int, int]

__all__ = ["IntervalSet", "Run"]


class IntervalSet(tuple[Run, ...]):
    """An immutable set of integers as sorted, disjoint, non-adjacent inclusive runs."""

    __slots__ = ()

    def __new__(cls, runs: Iterable[Run] = ()) -> IntervalSet:
        if type(runs) is cls:
            return runs  # already normalised
        if type(runs) is tuple and len(runs) == 1:
            # One run (a pinned protocol or port): the common case on hot paths.
            lo, hi = runs[0]
            if lo > hi:
                raise ValueError(f"empty run ({lo}, {hi}): lo must not exceed hi")
            return tuple.__new__(cls, ((lo, hi),))
        out: list[list[int]] = []
        for lo, hi in sorted(runs):
            if lo > hi:
                raise ValueError(f"empty run ({lo}, {hi}): lo must not exceed hi")
            if out and lo <= out[-1][1] + 1:
                if hi > out[-1][1]:
                    out[-1][1] = hi
            else:
                out.append([lo, hi])
        return tuple.__new__(cls, [(a, b) for a, b in out])

    @classmethod
    def _trusted(cls, runs: Iterable[Run]) -> IntervalSet:
        """Runs known to be sorted, disjoint and non-adjacent (no check)."""
        return tuple.__new__(cls, runs)

    @classmethod
    def of_range(cls, lo: int, hi: int) -> IntervalSet:
        """`[lo, hi]` (empty when `lo > hi`)."""
        return tuple.__new__(cls, ((lo, hi),) if lo <= hi else ())

    @classmethod
    def of_values(cls, values: Iterable[int]) -> IntervalSet:
        """The set of `values`; consecutive ones become one run."""
        out: list[list[int]] = []
        for v in sorted(set(values)):
            if out and v == out[-1][1] + 1:
                out[-1][1] = v
            else:
                out.append([v, v])
        return tuple.__new__(cls, [(a, b) for a, b in out])

    def __repr__(self) -> str:
        return f"IntervalSet({tuple(self)!r})"

    # -- set algebra ----------------------------------------------------------------------

    def union(self, other: Iterable[Run]) -> IntervalSet:
        return IntervalSet((*self, *other))

    def intersection(self, other: Iterable[Run]) -> IntervalSet:
        """Both sets (a sweep over the two run lists; the result is merged when both are)."""
        b = other if type(other) is IntervalSet else IntervalSet(other)
        if len(self) == 1 and len(b) == 1:
            # One run each (most box dimensions): no sweep.
            (lo1, hi1), (lo2, hi2) = self[0], b[0]
            lo = lo1 if lo1 > lo2 else lo2
            hi = hi1 if hi1 < hi2 else hi2
            return tuple.__new__(IntervalSet, ((lo, hi),) if lo <= hi else ())
        out: list[Run] = []
        i = j = 0
        while i < len(self) and j < len(b):
            lo1, hi1 = self[i]
            lo2, hi2 = b[j]
            lo, hi = max(lo1, lo2), min(hi1, hi2)
            if lo <= hi:
                out.append((lo, hi))
            if hi1 < hi2:
                i += 1
            else:
                j += 1
        return tuple.__new__(IntervalSet, out)

    def difference(self, other: Iterable[Run]) -> IntervalSet:
        """The values of this set that are not in `other`."""
        b = IntervalSet(other)
        out: list[Run] = []
        j = 0
        for lo, hi in self:
            at = lo
            while j < len(b) and b[j][1] < at:
                j += 1
            k = j
            while k < len(b) and b[k][0] <= hi:
                x, y = b[k]
                if x > at:
                    out.append((at, x - 1))
                at = max(at, y + 1)
                if y >= hi:
                    break
                k += 1
            if at <= hi:
                out.append((at, hi))
        return IntervalSet._trusted(out)

    def complement(self, lo: int, hi: int) -> IntervalSet:
        """The values of `[lo, hi]` that are not in this set."""
        return IntervalSet.of_range(lo, hi).difference(self)

    __or__ = union
    __and__ = intersection
    __sub__ = difference

    # -- membership and containment -------------------------------------------------------

    # Sets on hot paths have a few runs: below `_SCAN` runs a scan beats a binary search.

    def has(self, value: int) -> bool:
        """Is `value` in the set?"""
        if len(self) < _SCAN:
            for lo, hi in self:
                if value <= hi:
                    return lo <= value
            return False
        i = bisect_right(self, (value, _INF)) - 1
        return i >= 0 and self[i][1] >= value

    def covers(self, lo: int, hi: int) -> bool:
        """Is every value of `[lo, hi]` in the set? (One run must hold it: runs are merged.)"""
        if len(self) < _SCAN:
            for a, b in self:
                if lo <= b:
                    return a <= lo and hi <= b
            return False
        i = bisect_right(self, (lo, _INF)) - 1
        return i >= 0 and self[i][1] >= hi

    def within(self, other: IntervalSet) -> bool:
        """Is this set a subset of `other`?"""
        return all(other.covers(lo, hi) for lo, hi in self)

    def meets(self, lo: int, hi: int) -> bool:
        """Does the set hold some value of `[lo, hi]`?"""
        if len(self) < _SCAN:
            for a, b in self:
                if b >= lo:
                    return a <= hi
            return False
        i = bisect_right(self, (hi, _INF)) - 1
        return i >= 0 and self[i][1] >= lo

    def decide(self, lo: int, hi: int) -> bool | None:
        """Taking the set as the values a field can have: is the field always (True), never
        (False) or sometimes (None) in `[lo, hi]`? The empty set is never in it."""
        if not self:
            return False
        if lo <= self[0][0] and self[-1][1] <= hi:
            return True
        return None if self.meets(lo, hi) else False

    @property
    def first(self) -> int:
        """The smallest value (the set must not be empty)."""
        return self[0][0]

    # -- pydantic ---------------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        pair = core_schema.tuple_schema([core_schema.int_schema(), core_schema.int_schema()])
        runs = core_schema.tuple_schema([pair], variadic_item_index=0)
        return core_schema.no_info_after_validator_function(cls, runs)


_INF = float("inf")
_SCAN = 8
