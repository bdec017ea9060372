"""Enumerating header-space sets: `Reach` formulas -> a disjoint union of boxes of packets.

Input: a `Reach` (compile/headerspace.py) and the candidate boundaries per dimension.
Output: a `SetOutcome` — plain Python: boxes as inclusive integer intervals per header
dimension, each with one concrete packet inside it that gets through (and the origin and NAT
ports that make it get through), or `unknown` with the reason. No Z3 object in it.

The loop, per protocol class (TCP, UDP, ICMP, every other protocol): find a packet that gets
through and lies in no box found so far; grow it one dimension at a time to the largest
interval such that the whole box gets through (`box ∧ U ∧ D ∧ ¬goal` unsat — the solver
checks every box); stopping points are tried at the snapshot's rule boundaries (galloping,
then bisection); block the box; repeat until no packet is left. Boxes that agree on all
dimensions but one are then merged (that dimension becomes a union of intervals). Since each
box is checked and the loop runs until unsat, the union is exactly the set of packets that
get through (within the query's universe `U`). All checks of one set share a `Deadline`
(solve/solver.py); `SetOutcome.checks` counts them.
"""

from __future__ import annotations

import z3

from netcheck.compile.headerspace import DIMENSIONS, Reach, box_formula
from netcheck.compile.packet import FIELDS, SymPacket, in_range
from netcheck.errors import SolverGaveUp
from netcheck.model.base import ICMP, TCP, UDP
from netcheck.model.packet import Origin
from netcheck.solve.set_results import BoxValue, Interval, IntervalSet, SetOutcome
from netcheck.solve.solver import Deadline, Solver, value

__all__ = [
    "CLASSES",
    "BoxValue",
    "SetOutcome",
    "SolverGaveUp",
    "enumerate_set",
    "intersect_sets",
    "merge",
]

# Protocol classes: the protocol they fix (None: every protocol but ICMP/TCP/UDP) and the
# dimensions a box grows along, in order (destination first, source address last, so that
# the source ranges of one port come out as large as possible).
CLASSES: dict[str, tuple[int | None, tuple[str, ...]]] = {
    "tcp": (TCP, ("dst_ip", "dst_port", "src_port", "src_ip")),
    "udp": (UDP, ("dst_ip", "dst_port", "src_port", "src_ip")),
    "icmp": (ICMP, ("dst_ip", "icmp_type", "icmp_code", "src_ip")),
    "other": (None, ("protocol", "dst_ip", "src_ip")),
}


class _Solvers:
    """The finder (packets that get through) and the refuter (packets that do not) of one
    protocol class, sharing the set's deadline."""

    def __init__(self, reach: Reach, cls: z3.BoolRef, deadline: Deadline) -> None:
        base = [reach.universe, cls, *reach.defs]
        self.finder = Solver(deadline)
        self.finder.add(*base, reach.goal())
        self.refuter = Solver(deadline)
        self.refuter.add(*base, z3.Not(reach.goal()))
        # The finder accumulates "not in a found box"; witnesses are picked without that.
        self.picker = Solver(deadline)
        self.picker.add(*base, reach.goal())

    def inside(self, p: SymPacket, box: dict[str, Interval]) -> bool:
        """Does every packet of the box (within the universe) get through?"""
        with self.refuter.scope():
            self.refuter.add(box_formula(p, box))
            return not self.refuter.check()


def class_constraint(p: SymPacket, name: str) -> z3.BoolRef:
    proto, _dims = CLASSES[name]
    if proto is not None:
        return p.protocol == proto
    return z3.And(p.protocol != ICMP, p.protocol != TCP, p.protocol != UDP)


def _grow(
    sv: _Solvers,
    p: SymPacket,
    box: dict[str, Interval],
    dim: str,
    cuts: list[int],
    pointwise: bool = False,
) -> None:
    """Widen `box[dim]` as far as the whole box keeps getting through (`pointwise`: the
    universe allows only a few values here — all of them, or this one)."""
    top = DIMENSIONS[dim]
    lo, hi = box[dim]
    if sv.inside(p, {**box, dim: (0, top)}):
        box[dim] = (0, top)
        return
    if pointwise:
        return
    ups = sorted({c - 1 for c in cuts if c - 1 > hi} | ({top} if top > hi else set()))
    hi = _gallop(ups, lambda x: sv.inside(p, {**box, dim: (lo, x)}), hi)
    downs = sorted({c for c in cuts if c < lo} | ({0} if lo > 0 else set()), reverse=True)
    lo = _gallop(downs, lambda x: sv.inside(p, {**box, dim: (x, hi)}), lo)
    box[dim] = (lo, hi)


def _gallop(candidates: list[int], ok: object, current: int) -> int:
    """The last candidate (in order) that is ok, assuming ok is monotone (once false, false
    ever after); `current` when none is."""
    assert callable(ok)
    good, step, i = -1, 1, 0
    bad = len(candidates)
    while i < len(candidates):
        if ok(candidates[i]):
            good = i
            i = good + step
            step *= 2
        else:
            bad = i
            break
    lo_i, hi_i = good + 1, min(bad, len(candidates)) - 1
    while lo_i <= hi_i:
        mid = (lo_i + hi_i) // 2
        if ok(candidates[mid]):
            good, lo_i = mid, mid + 1
        else:
            hi_i = mid - 1
    return candidates[good] if good >= 0 else current


def _branch_of(reach: Reach, m: z3.ModelRef) -> tuple[Origin, dict[str, int]]:
    for b in reach.branches:
        if z3.is_true(m.eval(b.goal, model_completion=True)):
            return b.origin, dict(b.nat_ports)
    b = reach.branches[0]
    return b.origin, dict(b.nat_ports)


def _interval_set_formula(bv: z3.BitVecRef, ivs: IntervalSet) -> z3.BoolRef:
    return z3.Or(*(in_range(bv, lo, hi) for lo, hi in ivs))


def merged_box_formula(p: SymPacket, dims: dict[str, IntervalSet]) -> z3.BoolRef:
    return z3.And(*(_interval_set_formula(p.field(d), ivs) for d, ivs in dims.items()))


def merge(boxes: list[dict[str, IntervalSet]]) -> list[dict[str, IntervalSet]]:
    """Merge boxes that agree on every dimension but one (exact: the union of two such boxes
    is the box with the union of that dimension)."""
    current = [dict(b) for b in boxes]
    changed = True
    while changed and len(current) > 1:
        changed = False
        dims = sorted(current[0])
        for d in dims:
            groups: dict[tuple, dict[str, IntervalSet]] = {}
            for b in current:
                key = tuple((k, b[k]) for k in dims if k != d)
                if key in groups:
                    groups[key][d] = IntervalSet(groups[key][d]) | b[d]
                    changed = True
                else:
                    groups[key] = dict(b)
            current = list(groups.values())
    return sorted(current, key=lambda b: tuple(b[k] for k in sorted(b)))


def enumerate_set(
    reach: Reach,
    cuts: dict[str, list[int]],
    *,
    classes: tuple[str, ...] = tuple(CLASSES),
    timeout_ms: int = 60000,
    max_boxes: int = 5000,
    pointwise: frozenset[str] = frozenset(),
) -> SetOutcome:
    """Every packet of `reach.universe` that gets through, as merged boxes with witnesses.
    `pointwise`: dimensions where the universe allows only a few values (the addresses of an
    interface): a box takes all of them or one (the merge joins the rest)."""
    out = SetOutcome()
    deadline = Deadline(timeout_ms, expired="solver time limit reached")
    try:
        for name in classes:
            _enumerate_class(reach, cuts, name, deadline, out, max_boxes, pointwise)
        _unknowns(reach, deadline, out)
    except SolverGaveUp as e:
        out.status = "unknown"
        out.reason = str(e)
    out.checks += deadline.checks
    return out


def _enumerate_class(
    reach: Reach,
    cuts: dict[str, list[int]],
    name: str,
    deadline: Deadline,
    out: SetOutcome,
    max_boxes: int,
    pointwise: frozenset[str] = frozenset(),
) -> None:
    p = reach.packet
    cls = class_constraint(p, name)
    sv = _Solvers(reach, cls, deadline)
    dims = CLASSES[name][1]
    raw: list[dict[str, IntervalSet]] = []
    while sv.finder.check():
        m = sv.finder.model()
        box = {d: (value(m, p.field(d)), value(m, p.field(d))) for d in dims}
        for d in dims:
            _grow(sv, p, box, d, cuts[d], d in pointwise)
        raw.append({d: IntervalSet.of_range(*iv) for d, iv in box.items()})
        sv.finder.add(z3.Not(box_formula(p, box)))
        if len(raw) > max_boxes:
            raise SolverGaveUp(f"more than {max_boxes} boxes for {name}")
    out.raw_boxes += len(raw)
    for dims_set in merge(raw):
        out.boxes.append(_witness(sv, reach, name, dims_set))


def _witness(sv: _Solvers, reach: Reach, name: str, dims: dict[str, IntervalSet]) -> BoxValue:
    """A readable packet of the box: TCP source port 49152, the first destination port,
    8.8.8.8 from the internet, ICMP echo request — when the box allows."""
    p = reach.packet
    s = sv.picker
    with s.scope():
        s.add(merged_box_formula(p, dims))
        prefs = [
            p.src_port == 49152,
            p.src_ip == 0x08080808,
            p.icmp_type == 8,
        ]
        if "dst_port" in dims:
            prefs.insert(0, p.dst_port == dims["dst_port"][0][0])
        kept = 0
        for pref in prefs:
            kept += s.prefer(pref)
        if not s.check():  # cannot happen: the box has packets that get through
            raise SolverGaveUp("internal error: an enumerated box has no packet")
        m = s.model()
        packet = {f: value(m, p.field(f)) for f in FIELDS}
        origin, nat_ports = _branch_of(reach, m)
        s.retract(kept)
    return BoxValue(name, dims, packet, origin, nat_ports)


def _unknowns(reach: Reach, deadline: Deadline, out: SetOutcome) -> None:
    """Reasons of paths that end `unknown` for some packet of the universe (those packets
    are not in the set: whether they get through is not known)."""
    conds = [(c, why) for b in reach.branches for c, why in b.unknowns]
    if not conds:
        return
    s = Solver(deadline)
    s.add(reach.universe, *reach.defs)
    seen: set[str] = set()
    for cond, why in conds[:20]:
        if why in seen:
            continue
        with s.scope():
            s.add(cond)
            if s.check():
                seen.add(why)
                out.unknown_reasons.append(why)


def intersect_sets(
    paths: SetOutcome,
    filters: list[tuple[str, dict[str, IntervalSet]]],
    src_ok: IntervalSet,
) -> SetOutcome:
    """The boxes of `paths` ∩ `filters` (pairwise box intersections, merged; the
    intersection of two exact unions of boxes is exact). `src_ok`: the source addresses the
    origin may use — a box with none of them is dropped; each box's witness is a point of it
    with such a source, taken from the `paths` box it came from where possible."""
    out = SetOutcome(
        status=paths.status,
        unknown_reasons=list(paths.unknown_reasons),
        reason=paths.reason,
        checks=paths.checks,
    )
    if out.status != "complete":
        return out
    for name in CLASSES:
        mine = [b for b in paths.boxes if b.protocol_class == name]
        theirs = [dims for cls, dims in filters if cls == name]
        raw = []
        for a in mine:
            for b in theirs:
                dims = {d: a.dims[d] & b[d] if d in b else a.dims[d] for d in a.dims}
                if all(dims.values()) and dims["src_ip"].intersection(src_ok):
                    raw.append(dims)
        out.raw_boxes += len(raw)
        # Rules overlap, so their boxes may too: drop boxes inside another one.
        raw = [
            b
            for i, b in enumerate(raw)
            if not any(
                j != i and _within(b, o) and (not _within(o, b) or j < i) for j, o in enumerate(raw)
            )
        ]
        for dims in merge(raw):
            home = next(
                (a for a in mine if all(a.dims[d].intersection(dims[d]) for d in a.dims)), mine[0]
            )
            out.boxes.append(
                BoxValue(name, dims, _point(dims, home, src_ok), home.origin, dict(home.nat_ports))
            )
    return out


def _point(dims: dict[str, IntervalSet], home: BoxValue, src_ok: IntervalSet) -> dict[str, int]:
    """A packet of the box: the `home` witness's value where it fits, else a readable one
    (source port 49152, 8.8.8.8, ICMP echo request, the first value)."""
    nice = {"src_port": 49152, "src_ip": 0x08080808, "icmp_type": 8}
    out = {f: 0 for f in FIELDS}
    proto = CLASSES[home.protocol_class][0]
    out["protocol"] = proto if proto is not None else dims["protocol"][0][0]
    for d, ivs in dims.items():
        if d == "src_ip":
            ivs = ivs & src_ok
        for v in (home.witness.get(d), nice.get(d)):
            if v is not None and ivs.has(v):
                out[d] = v
                break
        else:
            out[d] = ivs[0][0]
    return out


def _within(a: dict[str, IntervalSet], b: dict[str, IntervalSet]) -> bool:
    """Is box `a` inside box `b`?"""
    return all(a[d].within(b[d]) for d in a)
