"""Hop: the security groups of an interface, in one direction (stateful, the union of the
rules of every group; a reply skips them).

Input: the interface, the direction, the packet copy, the steps so far. Output: one filter
`Step` (`ENI_SG_RULES_MISMATCH` when it blocks) and, when a group is missing from the
snapshot, an `unknown` path for the packets no present rule allows. The formula is built by
`compile/filters.sg_check` once per (set of groups, content digest, direction, packet copy,
known remote addresses) and kept in the network index.

Example: an interface in sg-1 (ingress tcp/443 from 0.0.0.0/0) gives a step
`sg:eni-1:ingress` whose guard is "tcp and dst_port = 443".
"""

from __future__ import annotations

import z3

from netcheck.compile.filters import sg_check, sg_unknown_rules
from netcheck.compile.hops.context import UNKNOWN, HopContext, PathState, Steps
from netcheck.compile.index import Constraint
from netcheck.compile.packet import SymPacket
from netcheck.compile.steps import Path, Step
from netcheck.model.filtering import Direction, SecurityGroup
from netcheck.model.hops import HopKind
from netcheck.model.interfaces import NetworkInterface


def security_groups(
    hc: HopContext,
    eni: NetworkInterface,
    direction: Direction,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> tuple[Step, list[Path]]:
    """The SGs of `eni` (union of rules, `ENI_SG_RULES_MISMATCH`). When a group is missing
    from the snapshot, packets no present rule allows end `unknown`."""
    groups_key = tuple(sorted(eni.group_ids))
    remote = "src_ip" if direction is Direction.INGRESS else "dst_ip"
    space = hc.space(p, remote)
    cache = hc.index.sg_constraints
    key = (groups_key, hc.index.group_set_digest(groups_key), direction.value, p.name, space)
    hit = cache.get(key)
    if hit is None:
        hit = hc.pin(
            HopKind.SECURITY_GROUP,
            key,
            Constraint(*sg_check(hc.net, eni.group_ids, direction, p, space)),
        )
        cache.put(key, hit)
    allowed, rules = hit.allowed, hit.rules
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
    else:
        gaps = sg_unknown_rules(hc.net, groups_key, direction, p)
        if gaps:
            # A rule whose prefix list has unknown entries may allow what no known rule does.
            pl_id, reason, _ = gaps[0]
            extra = hc.leaf(
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
