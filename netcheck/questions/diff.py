"""Question: what does a change open or close? (issue #4, part 3)

Input: two snapshots (OLD, NEW) and `DiffParams` (source, optional destination).
Output: `SnapshotDiff` (netcheck.explain.exposure): per source/destination pair (matched by
resource id) the boxes of packets that get through in NEW but not in OLD (`added`) and the
reverse (`removed`). Each box's witness is walked in the snapshot where it gets through; the
walker's verdict on the same packet in the other snapshot says what stops it there.

The difference is computed symbolically on one packet: `reach_NEW(p) ∧ ¬reach_OLD(p)` is
enumerated like any reachable set (compile/headerspace.py `diff_reach`), so the boxes are
exactly the packets that changed — no more.

    >>> d = diff(netcheck.load("before"), netcheck.load("after"), dst="web-1")   # doctest: +SKIP
    >>> d.changed                                                                # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from netcheck.compile.headerspace import (
    Reach,
    cut_points,
    diff_reach,
    empty_reach,
)
from netcheck.compile.packet import fresh
from netcheck.errors import MissingResource, QueryError, TooManyChoices
from netcheck.explain.exposure import BoxChange, PairDiff, SnapshotDiff
from netcheck.explain.sets import ReachableSet, build_set
from netcheck.model.network import Network
from netcheck.model.packet import Origin
from netcheck.model.resolve import (
    Destination,
    Header,
    Source,
    resolve_destination,
    resolve_sources,
)
from netcheck.questions.exposure import resources_of
from netcheck.questions.options import build_params
from netcheck.questions.reachable_set import clips_for, network_of
from netcheck.solve.reach import build_reach
from netcheck.solve.set_results import SetOutcome
from netcheck.solve.sets import enumerate_set

__all__ = ["DiffParams", "diff"]


class DiffParams(BaseModel):
    """`src`: where packets start (default `internet`), resolved in each snapshot. `dst`: one
    destination, or None for every interface-bearing resource of either snapshot (pairs are
    matched by resource id). Every protocol, port and address is considered."""

    # An unknown field is an error (a misspelt option must not change the question).
    model_config = ConfigDict(frozen=True, extra="forbid")

    src: str = "internet"
    dst: str | None = None
    timeout_ms: int = 120000


def _resolve(network: Network, src: str, dst: str) -> tuple[tuple[Source, ...], Destination | None]:
    """Sources and destination in one snapshot (None / empty when it lacks them)."""
    try:
        sources = resolve_sources(network, src)
    except QueryError:
        sources = ()
    try:
        destination: Destination | None = resolve_destination(network, dst)
    except QueryError:
        destination = None
    return sources, destination


def _reach(
    network: Network,
    sources: tuple[Source, ...],
    destination: Destination | None,
    packet: Any,
) -> Reach:
    if destination is None or not sources:
        return empty_reach(packet)
    return build_reach(network, sources, destination, Header(), packet=packet)


def _cuts(a: Network, b: Network, extra: list[Any]) -> dict[str, list[int]]:
    ca, cb = cut_points(a, extra), cut_points(b, extra)
    return {d: sorted(set(ca[d]) | set(cb[d])) for d in ca}


def _blocked(network: Network, box_rs: ReachableSet, label: str) -> tuple[list[BoxChange], str]:
    """Walk each box's witness in the other snapshot: what stops it there (and a problem
    when it gets through there too, which would be a bug)."""
    from netcheck.walk import walk_connection

    changes: list[BoxChange] = []
    problem = ""
    for b in box_rs.boxes:
        w = b.witness
        if w is None:
            continue
        origin = Origin.parse(w.origin)
        trace = walk_connection(
            network,
            w.packet,
            origin,
            nat_ports=dict(w.nat_ports) or None,
            appliance_azs=dict(w.appliance_azs) or None,
        )
        if trace.success:
            problem = f"the witness {w.packet} also gets through in {label} (bug)"
            why = "not blocked (internal disagreement)"
        else:
            fwd = trace.forward.disposition
            end = trace.reply.disposition if trace.forward.success and trace.reply else fwd
            where = "return path: " if end is not fwd else ""
            code = end.code or end.kind.value
            why = f"{where}{end.component_id}: {end.reason or end.kind.value} [{code}]"
        changes.append(BoxChange(box=b, blocked_in_other=why))
    return changes, problem


def _one_pair(old: Network, new: Network, src: str, dst: str, timeout_ms: int) -> PairDiff:
    try:
        so, do = _resolve(old, src, dst)
        sn, dn = _resolve(new, src, dst)
    except MissingResource as e:
        # The source stands for a resource whose interface a snapshot lacks (an RDS
        # instance): what changed is unknown, not bad input.
        return PairDiff(src=src, dst=dst, status="unknown", reason=e.reason)
    extra = [c for s in (*so, *sn) for c in s.cidrs]
    cuts = _cuts(old, new, extra)
    p = fresh("diff")
    status, reason = "complete", None
    sides: list[list[BoxChange]] = []
    for (a_net, a_src, a_dst), (b_net, b_src, b_dst), label in (
        ((new, sn, dn), (old, so, do), "old"),
        ((old, so, do), (new, sn, dn), "new"),
    ):
        if a_dst is None or not a_src:
            sides.append([])
            continue
        try:
            gained = diff_reach(
                _reach(a_net, a_src, a_dst, p),
                _reach(b_net, b_src, b_dst, p),
                f"the {label} snapshot",
            )
        except (MissingResource, TooManyChoices) as e:
            status, reason = "unknown", str(e)
            sides.append([])
            continue
        outcome: SetOutcome = enumerate_set(gained, cuts, timeout_ms=timeout_ms)
        rs = build_set(a_net, outcome, src=src, dst=dst, clips=clips_for(a_src, a_dst, Header()))
        if rs.status != "complete":
            status, reason = "unknown", rs.reason
        changes, problem = _blocked(b_net, rs, label)
        if problem:
            status, reason = "unknown", problem
        sides.append(changes)
    return PairDiff(
        src=src,
        dst=dst,
        added=tuple(sides[0]),
        removed=tuple(sides[1]),
        status=status,
        reason=reason,
    )


def diff(
    old: Any,
    new: Any,
    *,
    src: str = "internet",
    dst: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> SnapshotDiff:
    """Packets that get through in `new` but not `old`, and the reverse (see the module
    docstring). Raises `QueryError` when `src` (or `dst`) is in neither snapshot, `TypeError`
    for an unknown option."""
    params = build_params(DiffParams, "diff", include=("progress",), src=src, dst=dst, **options)
    a, b = network_of(old), network_of(new)
    t0 = time.perf_counter()
    for net_pair in ((a, b),):
        _check_known(net_pair, params.src, resolve_sources)
    if params.dst is not None:
        _check_known((a, b), params.dst, resolve_destination)
        targets = [params.dst]
    else:
        own: set[str] = set()
        for n in (a, b):
            with contextlib.suppress(QueryError, MissingResource):
                own |= {s.origin.interface_id or "" for s in resolve_sources(n, params.src)}
        ids = {
            rid
            for n in (a, b)
            for rid, _k, _name, enis in resources_of(n)
            if not all(e.id in own for e in enis)
        }
        targets = sorted(ids)
    pairs = []
    same = same_network(a, b)
    for i, target in enumerate(targets):
        if same:
            # Identical networks: no packet can change (even one whose path ends where the
            # model cannot follow it — it ends there in both, the same way).
            if progress is not None:
                progress(i + 1, len(targets))
            continue
        pd = _one_pair(a, b, params.src, target, params.timeout_ms)
        if pd.added or pd.removed or pd.status != "complete":
            pairs.append(pd)
        if progress is not None:
            progress(i + 1, len(targets))
    return SnapshotDiff(
        old=a.source or "old",
        new=b.source or "new",
        origin=params.src,
        pairs=tuple(pairs),
        pairs_compared=len(targets),
        stats={"seconds": round(time.perf_counter() - t0, 3)},
    )


def same_network(a: Network, b: Network) -> bool:
    """Are two networks the same in everything the analysis reads (where they were loaded
    from and the loader's notes aside)?"""
    fields = [f for f in type(a).model_fields if f not in ("source", "notes")]
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def _check_known(nets: tuple[Network, Network], text: str, resolve: Callable[..., Any]) -> None:
    errors = []
    for n in nets:
        try:
            resolve(n, text)
            return
        except MissingResource:
            return  # the name is known; its interface is missing (each pair says unknown)
        except QueryError as e:
            errors.append(e)
    raise errors[-1]
