"""What every hop function receives: the walk's shared state (`HopContext`) and the state of
one path (`PathState`), plus the few helpers that end a path.

Input: a `Network`, its `NetworkIndex` and the caller's options (NAT ports, target
interfaces, feasibility check, known spaces). Output: `HopContext`, `PathState`, `Steps`.

A hop function has the shape `hop(hc, <where>, p, steps, ps) -> list[Path]`: it appends its
labelled `Step`s to `steps`, ends the paths that stop here (`hc.leaf`, `hc.end`,
`hc.unknown`) and continues the others by calling the next hop. Nothing is inherited: the
shared state is this one object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import z3

from netcheck.compile.index import Constraint, NetworkIndex
from netcheck.compile.packet import Space, SymPacket
from netcheck.compile.steps import End, NatSession, Path, Rule, Step
from netcheck.model.hops import HopKind
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind
from netcheck.model.routing import Route, RouteState

DROP = DispositionKind.DROPPED
UNKNOWN = DispositionKind.UNKNOWN
# Routing decisions one path may take before it counts as a loop (a chain of translators
# routing to each other creates a new packet copy each time, so the per-copy guard alone
# would not stop it). The walker stops at 64 hops (walk/hops/context.py MAX_HOPS).
MAX_ROUTINGS = 24
Steps = tuple[Step, ...]


def available(state: str) -> bool:
    return state.lower() in ("available", "active")


@dataclass(frozen=True)
class Crossing:
    """The last hop that carried the packet from one VPC into another: a VPC peering
    connection (`attachments` empty) or a transit gateway (its ingress and egress
    attachments). A security-group reference to a group of `from_vpc` matches only through
    such a crossing (docs/semantics/forwarding.md "Security group matching")."""

    component_id: str  # pcx-… or tgw-…
    from_vpc: str | None  # the VPC the packet came from (None: a VPN, on-premises…)
    attachments: tuple[str, ...] = ()  # (ingress, egress) for a transit gateway

    @property
    def is_peering(self) -> bool:
        return not self.attachments


@dataclass(frozen=True)
class PathState:
    """One path's state: a reply skips SGs and may reverse the forward path's NAT sessions."""

    reply: bool = False
    az: str | None = None
    sessions: tuple[NatSession, ...] = ()  # the forward path's sessions (for a reply)
    made: tuple[NatSession, ...] = ()  # sessions created on this path
    # (subnet / attachment, packet copy) routed from on this path (the loop guard).
    routed: tuple[str, ...] = ()
    via: Crossing | None = None  # how the packet entered the VPC it is in (if it crossed)
    # (attachment id, AZ) per appliance-mode attachment the flow crossed out of the TGW: one
    # AZ per flow for both directions, so a reply starts with the forward path's choices.
    appliance: tuple[tuple[str, str], ...] = ()


class HopContext:
    """The shared state of one symbolic walk (one origin, one packet)."""

    __slots__ = (
        "_known",
        "_pinned_nacl",
        "_pinned_sg",
        "feasible",
        "index",
        "known",
        "nat_ports",
        "net",
        "start",
        "targets",
    )

    def __init__(
        self,
        network: Network,
        index: NetworkIndex,
        nat_ports: dict[str, int] | None = None,
        targets: frozenset[str] | None = None,
        feasible: Callable[[Steps], bool] | None = None,
        known: dict[tuple[str, str], Space] | None = None,
    ) -> None:
        self.net = network
        self.index = index
        # Per (packet copy name, field): the values the field can take under the caller's
        # asserted constraints (a superset). Encoders decide tests it settles in Python; the
        # terms stay equivalent under those constraints. Empty: nothing known.
        self.known = dict(known or {})
        self.nat_ports = dict(nat_ports or {})
        self.start: SymPacket | None = None
        # Interfaces whose arrival matters (None: all). Arrivals elsewhere end a path as a
        # success the query does not ask for, so they are not built at all (this keeps the
        # number of security-group constraints small on large networks).
        self.targets = targets
        # Checks a branch's routing constraints (filters left out) against the query, so
        # that branches no packet of the query can take are not explored at all.
        self.feasible = feasible
        self._known: dict[str, tuple[tuple[str, Space], ...]] = {}
        # The index's constraint cache entries this walk built (per kind, in the order
        # built): they live while the walk does. When the walk ends they are released NACLs
        # first, each entry's rules before its constraint — the order Z3 gets their terms
        # back decides the ids of later terms, and with them which model it returns, so
        # the order is kept as it was when each walk had its own caches.
        self._pinned_nacl: dict[object, tuple[z3.BoolRef, list[Rule], Constraint]] = {}
        self._pinned_sg: dict[object, tuple[z3.BoolRef, list[Rule], Constraint]] = {}

    def pin(self, kind: HopKind, key: object, entry: Constraint) -> Constraint:
        """Keep a constraint cache entry (of a NETWORK_ACL or SECURITY_GROUP hop) alive for
        as long as this walk."""
        pinned = self._pinned_nacl if kind is HopKind.NETWORK_ACL else self._pinned_sg
        pinned[key] = (entry.allowed, entry.rules, entry)
        return entry

    @staticmethod
    def routing_key(component_id: str, p: SymPacket) -> str:
        """The loop guard's key: a component routing one packet copy. A copy made by a
        translation (NAT gateway, internet gateway) is another packet, so routing it from a
        subnet already routed from is no loop (a NAT gateway's reply hairpinning through
        the internet gateway comes back to the NAT's own subnet)."""
        return f"{component_id}|{p.name}"

    def looped(self, component_id: str, p: SymPacket, ps: PathState) -> str:
        """Why routing `p` from `component_id` would loop ("" when it would not)."""
        if self.routing_key(component_id, p) in ps.routed:
            return f"routing loop through {component_id}"
        if len(ps.routed) >= MAX_ROUTINGS:
            return (
                f"routing loop: more than {MAX_ROUTINGS} routing decisions (next: {component_id})"
            )
        return ""

    def ok(self, steps: Steps) -> bool:
        """May some packet of the query take this branch? (Always, without a checker.) A
        routing step whose guard is literally False (decided in Python) answers at once."""
        if self.feasible is None:
            return True
        if any(z3.is_false(st.guard) for st in steps if not st.is_filter):
            return False
        return self.feasible(steps)

    def space(self, p: SymPacket, field: str) -> Space | None:
        """What `field` of copy `p` can be, if the caller knows (else None)."""
        return self.known.get((p.name, field))

    def known_of(self, name: str) -> tuple[tuple[str, Space], ...]:
        """Every known space of packet copy `name`, as (field, space) sorted by field (the
        known-space part of a constraint cache key)."""
        out = self._known.get(name)
        if out is None:
            out = tuple(sorted((f, v) for (n, f), v in self.known.items() if n == name))
            self._known[name] = out
        return out

    def wanted(self, eni_id: str) -> bool:
        return self.targets is None or eni_id in self.targets

    def end(
        self,
        steps: Steps,
        kind: DispositionKind,
        cid: str | None,
        ps: PathState,
        code: str | None = None,
        reason: str = "",
    ) -> list[Path]:
        assert self.start is not None
        return [Path(self.start, steps, End(kind, cid, code, reason), ps.made, ps.appliance)]

    def leaf(
        self,
        steps: Steps,
        cid: str,
        kind: HopKind,
        label: str,
        cond: z3.BoolRef,
        p: SymPacket,
        ps: PathState,
        code: str | None,
        reason: str,
        end: DispositionKind = DROP,
    ) -> list[Path]:
        """A path that ends here for the packets meeting `cond` (a drop, unknown or exit)."""
        action = {DROP: "drop", UNKNOWN: "unknown"}.get(end, "pass")
        st = Step(cid, kind, label, reason, cond, p, None, (), action=action)
        return self.end((*steps, st), end, cid, ps, code, reason)

    def unknown(
        self,
        steps: Steps,
        cid: str,
        ps: PathState,
        reason: str,
        code: str = "UNSUPPORTED_COMPONENT",
    ) -> list[Path]:
        return self.end(steps, UNKNOWN, cid, ps, code, reason)

    def bad_state(self, steps: Steps, table_id: str, route: Route, ps: PathState) -> list[Path]:
        """The route's target is missing or not available (`BAD_STATE_ROUTE`). An `active`
        route whose target is not in the snapshot is `unknown` instead: AWS reports a route
        active only while its target exists, so the snapshot lacks it."""
        if (
            route.state is RouteState.ACTIVE
            and route.target_id
            and self.net.get(route.target_id) is None
        ):
            return self.end(
                steps,
                UNKNOWN,
                route.target_id,
                ps,
                "UNKNOWN_RESOURCE",
                f"route {route.destination_text} of {table_id} is active but its target "
                f"{route.target_id} is not in the snapshot",
            )
        return self.end(
            steps,
            DROP,
            table_id,
            ps,
            "BAD_STATE_ROUTE",
            f"the target of route {route.label} is not in the snapshot or not available",
        )


__all__ = ["DROP", "UNKNOWN", "Crossing", "HopContext", "PathState", "Steps", "available"]
