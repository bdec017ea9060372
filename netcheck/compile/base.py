"""Shared pieces of the symbolic forwarding explorer: the path context, step builders and
the filter steps (network ACLs, security groups).

Input: a `Network`. Output: `Ctx`, `ExplorerBase` (extended by compile/targets.py and
compile/explore.py). A path is a tuple of `Step`s; a leaf is a finished `Path`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import z3

from netcheck.compile.filters import nacl_check, sg_check
from netcheck.compile.packet import Space, SymPacket, ip_in_any
from netcheck.compile.steps import End, NatSession, Path, Rule, Step
from netcheck.errors import UnsupportedFeature
from netcheck.model.base import NON_PUBLIC_RANGES
from netcheck.model.filtering import Direction, NetworkAcl, SecurityGroup
from netcheck.model.hops import HopKind
from netcheck.model.interfaces import NetworkInterface
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind
from netcheck.model.vpc import Subnet

# Not carried by the internet (forwarding.md "On the internet").
NON_PUBLIC = NON_PUBLIC_RANGES

DROP = DispositionKind.DROPPED
UNKNOWN = DispositionKind.UNKNOWN
Steps = tuple[Step, ...]


def is_public(bv: z3.BitVecRef) -> z3.BoolRef:
    """The internet can carry this address (not RFC 1918/6598, loopback, link-local…)."""
    return z3.Not(ip_in_any(bv, list(NON_PUBLIC)))


def available(state: str) -> bool:
    return state.lower() in ("available", "active")


@dataclass(frozen=True)
class Ctx:
    """Path context: a reply skips SGs and may reverse the forward path's NAT sessions."""

    reply: bool = False
    az: str | None = None
    sessions: tuple[NatSession, ...] = ()  # the forward path's sessions (for a reply)
    made: tuple[NatSession, ...] = ()  # sessions created on this path
    routed: tuple[str, ...] = ()  # subnets / attachments routed from (loop guard)


class ExplorerBase:
    """Step builders shared by the explorer's modules."""

    def __init__(
        self,
        network: Network,
        nat_ports: dict[str, int] | None = None,
        targets: frozenset[str] | None = None,
        feasible: Callable[[Steps], bool] | None = None,
        known: dict[tuple[str, str], Space] | None = None,
    ) -> None:
        self.net = network
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
        # Compiled NACL constraints per (ACL, direction, packet copy): many branches of one
        # walk check the same ACL on the same packet.
        self._nacl_cache: dict[tuple[str, str, str], tuple[z3.BoolRef, list[Rule]]] = {}
        # Likewise per (set of groups, direction, packet copy): interfaces share groups.
        self._sg_cache: dict[tuple[tuple[str, ...], str, str], tuple[z3.BoolRef, list[Rule]]] = {}

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

    def wanted(self, eni_id: str) -> bool:
        return self.targets is None or eni_id in self.targets

    def end(
        self,
        steps: Steps,
        kind: DispositionKind,
        cid: str | None,
        ctx: Ctx,
        code: str | None = None,
        reason: str = "",
    ) -> list[Path]:
        assert self.start is not None
        return [Path(self.start, steps, End(kind, cid, code, reason), ctx.made)]

    @staticmethod
    def step(
        cid: str,
        kind: HopKind,
        label: str,
        text: str,
        guard: z3.BoolRef,
        p: SymPacket,
        code: str | None = None,
        rules: tuple[Rule, ...] = (),
    ) -> Step:
        return Step(cid, kind, label, text, guard, p, code, rules)

    def leaf(
        self,
        steps: Steps,
        cid: str,
        kind: HopKind,
        label: str,
        cond: z3.BoolRef,
        p: SymPacket,
        ctx: Ctx,
        code: str | None,
        reason: str,
        end: DispositionKind = DROP,
    ) -> list[Path]:
        """A path that ends here for the packets meeting `cond` (a drop, unknown or exit)."""
        action = {DROP: "drop", UNKNOWN: "unknown"}.get(end, "pass")
        st = Step(cid, kind, label, reason, cond, p, None, (), action=action)
        return self.end((*steps, st), end, cid, ctx, code, reason)

    def unknown(
        self, steps: Steps, cid: str, ctx: Ctx, reason: str, code: str = "UNSUPPORTED_COMPONENT"
    ) -> list[Path]:
        return self.end(steps, UNKNOWN, cid, ctx, code, reason)

    # -- filters ---------------------------------------------------------------------------

    def nacl(self, subnet: Subnet, direction: Direction, p: SymPacket) -> Step:
        """The network ACL of `subnet` in one direction (`SUBNET_ACL_RESTRICTION`)."""
        acl = self.net.get(subnet.network_acl_id)
        if not isinstance(acl, NetworkAcl):
            raise MissingResource(
                subnet.network_acl_id, f"network ACL {subnet.network_acl_id} is not in the snapshot"
            )
        key = (acl.id, direction.value, p.name)
        if key not in self._nacl_cache:
            known = {f: v for (name, f), v in self.known.items() if name == p.name}
            self._nacl_cache[key] = nacl_check(acl, direction, p, known)
        allowed, rules = self._nacl_cache[key]
        return self.step(
            acl.id,
            HopKind.NETWORK_ACL,
            f"nacl:{acl.id}:{direction.value}",
            f"network ACL {acl.id} of {subnet.id} ({direction.value})",
            allowed,
            p,
            "SUBNET_ACL_RESTRICTION",
            tuple(rules),
        )

    def security_groups(
        self, eni: NetworkInterface, direction: Direction, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> tuple[Step, list[Path]]:
        """The SGs of `eni` (union of rules, `ENI_SG_RULES_MISMATCH`). When a group is missing
        from the snapshot, packets no present rule allows end `unknown`."""
        key = (tuple(sorted(eni.group_ids)), direction.value, p.name)
        if key not in self._sg_cache:
            remote = "src_ip" if direction is Direction.INGRESS else "dst_ip"
            self._sg_cache[key] = sg_check(
                self.net, eni.group_ids, direction, p, self.space(p, remote)
            )
        allowed, rules = self._sg_cache[key]
        groups = ", ".join(sorted(eni.group_ids)) or "none"
        st = self.step(
            eni.id,
            HopKind.SECURITY_GROUP,
            f"sg:{eni.id}:{direction.value}",
            f"security groups of {eni.id} ({groups}) {direction.value}",
            allowed,
            p,
            "ENI_SG_RULES_MISMATCH",
            tuple(rules),
        )
        missing = [
            g for g in sorted(eni.group_ids) if not isinstance(self.net.get(g), SecurityGroup)
        ]
        extra: list[Path] = []
        if missing:
            extra = self.leaf(
                steps,
                missing[0],
                HopKind.SECURITY_GROUP,
                f"sg:{missing[0]}:missing",
                z3.Not(allowed),
                p,
                ctx,
                "UNKNOWN_RESOURCE",
                f"security group {missing[0]} of {eni.id} is not in the snapshot",
                UNKNOWN,
            )
        return st, extra


class MissingResource(UnsupportedFeature):
    """A resource a path needs is not in the snapshot (the path ends `unknown`)."""

    def __init__(self, resource_id: str, reason: str) -> None:
        super().__init__(resource_id, reason, "UNKNOWN_RESOURCE")
        self.resource_id = resource_id
