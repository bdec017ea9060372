"""Hop: the security groups of an interface, in one direction (stateful, the union of the
rules of every group; a reply skips them).

Input: the interface, the direction, the packet copy, the steps so far. Output: one filter
`Step` (`ENI_SG_RULES_MISMATCH` when it blocks) and, when a group is missing from the
snapshot, an `unknown` path for the packets no present rule allows. The formula is built by
`compile/filters.sg_check` once per (set of groups, content digest, direction, packet copy,
known remote addresses, scope of group references) and kept in the network index; the
scope (`group_reference`) depends on the interface's VPC and on how the packet arrived.

Example: an interface in sg-1 (ingress tcp/443 from 0.0.0.0/0) gives a step
`sg:eni-1:ingress` whose guard is "tcp and dst_port = 443".
"""

from __future__ import annotations

import z3

from netcheck.compile.filters import Members, sg_check, sg_unknown_rules
from netcheck.compile.hops.context import UNKNOWN, HopContext, PathState, Steps
from netcheck.compile.hops.group_reference import egress_scope, ingress_scope
from netcheck.compile.index import Constraint
from netcheck.compile.packet import SymPacket
from netcheck.compile.steps import Path, Step
from netcheck.model.filtering import Direction, SecurityGroup
from netcheck.model.hops import HopKind
from netcheck.model.interfaces import NetworkInterface


def _constraint(
    hc: HopContext,
    eni: NetworkInterface,
    direction: Direction,
    p: SymPacket,
    members: Members,
    scope_key: object,
) -> Constraint:
    """The groups' formula for one scope of group references, from the index's cache."""
    groups_key = tuple(sorted(eni.group_ids))
    remote = "src_ip" if direction is Direction.INGRESS else "dst_ip"
    space = hc.space(p, remote)
    cache = hc.index.sg_constraints
    key = (
        groups_key,
        hc.index.group_set_digest(groups_key),
        direction.value,
        p.name,
        (space, scope_key),
    )
    hit = cache.get(key)
    if hit is None:
        hit = hc.pin(
            HopKind.SECURITY_GROUP,
            key,
            Constraint(*sg_check(hc.net, eni.group_ids, direction, p, space, members)),
        )
        cache.put(key, hit)
    return hit


def security_groups(
    hc: HopContext,
    eni: NetworkInterface,
    direction: Direction,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> tuple[Step, list[Path]]:
    """The SGs of `eni` (union of rules, `ENI_SG_RULES_MISMATCH`). A group reference matches
    the members `group_reference` scopes for this interface, direction and way of arriving.
    When a group is missing from the snapshot, or a reference across a transit gateway
    cannot be decided from it, packets no surely-matching rule allows end `unknown`."""
    scope = ingress_scope(hc, eni, ps) if direction is Direction.INGRESS else egress_scope(hc, eni)
    hit = _constraint(hc, eni, direction, p, scope.sure, scope.key)
    allowed, rules = hit.allowed, hit.rules
    groups_key = tuple(sorted(eni.group_ids))
    groups = ", ".join(groups_key) or "none"
    st = Step(
        eni.id,
        HopKind.SECURITY_GROUP,
        f"sg:{eni.id}:{direction.value}",
        f"security groups of {eni.id} ({groups}) {direction.value}",
        allowed,
        p,
        "ENI_SG_RULES_MISMATCH",
        tuple(rules),
    )
    missing = [g for g in groups_key if not isinstance(hc.net.get(g), SecurityGroup)]
    extra: list[Path] = []
    if missing:
        extra = hc.leaf(
            steps,
            missing[0],
            HopKind.SECURITY_GROUP,
            f"sg:{missing[0]}:missing",
            z3.Not(allowed),
            p,
            ps,
            "UNKNOWN_RESOURCE",
            f"security group {missing[0]} of {eni.id} is not in the snapshot",
            UNKNOWN,
        )
    if scope.maybe is not None:
        wider = _constraint(hc, eni, direction, p, scope.maybe, (*scope.key, "maybe"))
        extra += hc.leaf(
            steps,
            scope.undecided,
            HopKind.SECURITY_GROUP,
            f"sg:{eni.id}:{direction.value}:reference-undecided",
            z3.And(z3.Not(allowed), wider.allowed),
            p,
            ps,
            "UNSUPPORTED_COMPONENT",
            scope.reason,
            UNKNOWN,
        )
    if not missing:
        gaps = sg_unknown_rules(hc.net, groups_key, direction, p)
        if gaps:
            # A rule whose prefix list has unknown entries may allow what no known rule does.
            pl_id, reason, _ = gaps[0]
            extra += hc.leaf(
                steps,
                pl_id,
                HopKind.SECURITY_GROUP,
                f"sg:{eni.id}:{direction.value}:{pl_id}:entries-unknown",
                z3.And(z3.Not(allowed), z3.Or(*(c for _, _, c in gaps))),
                p,
                ps,
                "UNKNOWN_RESOURCE",
                f"{reason} ({direction.value} of {eni.id})",
                UNKNOWN,
            )
    return st, extra
