"""Hops at an interface: leaving it (source/destination check, SG egress) and arriving at it
(SG ingress, delivered). Security groups are skipped for a reply (they are stateful).

Input: the interface, the packet copy, the steps so far, the path state. Output: the
candidate `Path`s from there. Leaving continues with routing from the interface's subnet.

Example: an interface with its source/destination check enabled sending from a foreign
address ends `ENI_SOURCE_DEST_CHECK_RESTRICTION` (step `eni:eni-1:foreign-source`); from its
own address it takes `eni:eni-1:source-dest-check`, then `sg:eni-1:egress`, then its
subnet's route table.
"""

from __future__ import annotations

import z3

from netcheck.compile.hops import subnet as subnet_hops
from netcheck.compile.hops.context import HopContext, PathState, Steps
from netcheck.compile.hops.security_group import security_groups
from netcheck.compile.packet import SymPacket, ip_in_any, ip_is_any
from netcheck.compile.steps import Path, Step
from netcheck.model.filtering import Direction
from netcheck.model.hops import HopKind
from netcheck.model.interfaces import NetworkInterface
from netcheck.model.packet import DispositionKind


def leave_interface(
    hc: HopContext, eni: NetworkInterface, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """Leaving an interface: source/destination check, SG egress (not for a reply)."""
    if not eni.attached:
        return _not_attached(hc, eni, HopKind.ENI_EGRESS, p, steps, ps)
    out: list[Path] = []
    if eni.source_dest_check:
        own = ip_is_any(p.src_ip, list(eni.addresses))
        if eni.ipv4_prefixes:
            # Addresses of delegated prefixes are the interface's own (prefix delegation).
            own = z3.Or(own, ip_in_any(p.src_ip, list(eni.ipv4_prefixes)))
        out += hc.leaf(
            steps,
            eni.id,
            HopKind.ENI_EGRESS,
            f"eni:{eni.id}:foreign-source",
            z3.Not(own),
            p,
            ps,
            "ENI_SOURCE_DEST_CHECK_RESTRICTION",
            f"the source is not an address of {eni.id} (source/destination check)",
        )
        steps = (
            *steps,
            Step(
                eni.id,
                HopKind.ENI_EGRESS,
                f"eni:{eni.id}:source-dest-check",
                f"{eni.id} sends from its own address",
                own,
                p,
                "ENI_SOURCE_DEST_CHECK_RESTRICTION",
            ),
        )
    if not ps.reply:
        st, extra = security_groups(hc, eni, Direction.EGRESS, p, steps, ps)
        out += extra
        steps = (*steps, st)
    return out + subnet_hops.route_from_subnet(hc, hc.net.subnet(eni.subnet_id), p, steps, ps)


def arrive(
    hc: HopContext, eni: NetworkInterface, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """Arriving at an interface: SG ingress (skipped for a reply), then delivered. Nothing
    answers behind an interface that is not attached (`ENI_NOT_ATTACHED`)."""
    if not eni.attached:
        return _not_attached(hc, eni, HopKind.ENI_INGRESS, p, steps, ps)
    out: list[Path] = []
    if not ps.reply:
        st, extra = security_groups(hc, eni, Direction.INGRESS, p, steps, ps)
        out += extra
        steps = (*steps, st)
    return out + hc.end(
        steps, DispositionKind.DELIVERED, eni.id, ps, None, f"delivered to {eni.id}"
    )


def _not_attached(
    hc: HopContext,
    eni: NetworkInterface,
    kind: HopKind,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """An interface attached to nothing (status `available`) neither sends nor answers:
    the path ends here, dropped (`ENI_NOT_ATTACHED`)."""
    return hc.leaf(
        steps,
        eni.id,
        kind,
        f"eni:{eni.id}:not-attached",
        z3.BoolVal(True),
        p,
        ps,
        "ENI_NOT_ATTACHED",
        f"{eni.id} is not attached to an instance or service: nothing sends or answers there",
    )
