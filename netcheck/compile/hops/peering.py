"""Hop: a VPC peering connection (route target `vpc-peering-connection`).

Input: the routing subnet, the route, the packet copy, the steps so far, the path state.
Output: the candidate `Path`s: the connection must be active and join the subnet's VPC (else
`BAD_STATE_ROUTE`), the destination must be in the peer VPC's CIDR blocks
(`PCX_REQUIRES_ADDRESS_IN_VPC_CIDR`: peering is not transitive); then local delivery in the
peer VPC, never routed on (docs/semantics/forwarding.md "VPC peering").

Example: vpc-a (10.0.0.0/16) peered with vpc-b (10.1.0.0/16) through pcx-1: a packet to
10.1.2.3 takes `pcx:pcx-1` and is delivered in vpc-b; one to 10.2.0.1 ends at
`pcx:pcx-1:outside`.
"""

from __future__ import annotations

from dataclasses import replace

import z3

from netcheck.compile.hops import subnet as subnet_hops
from netcheck.compile.hops.context import Crossing, HopContext, PathState, Steps
from netcheck.compile.hops.network_acl import nacl
from netcheck.compile.packet import SymPacket, ip_in_any
from netcheck.compile.steps import Path, Step
from netcheck.model.filtering import Direction
from netcheck.model.gateways import VpcPeeringConnection
from netcheck.model.hops import HopKind
from netcheck.model.routing import Route
from netcheck.model.vpc import Subnet, Vpc


def to_peering(
    hc: HopContext,
    s: Subnet,
    table_id: str,
    route: Route,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """Peering: active and joining this VPC; the destination must be in the peer's CIDR
    blocks (`PCX_REQUIRES_ADDRESS_IN_VPC_CIDR`); delivered there, never routed on."""
    pcx = hc.net.get(route.target_id or "")
    if (
        not isinstance(pcx, VpcPeeringConnection)
        or pcx.status.lower() != "active"
        or pcx.peer_of(s.vpc_id) is None
    ):
        return hc.bad_state(steps, table_id, route, ps)
    steps = (*steps, nacl(hc, s, Direction.EGRESS, p))
    peer_id = pcx.peer_of(s.vpc_id) or ""
    peer = hc.net.get(peer_id)
    if not isinstance(peer, Vpc):
        return hc.unknown(
            steps,
            peer_id,
            ps,
            f"peer VPC {peer_id} is not in the snapshot",
            "UNKNOWN_RESOURCE",
        )
    inside = ip_in_any(p.dst_ip, list(peer.cidr_blocks))
    out = hc.leaf(
        steps,
        pcx.id,
        HopKind.VPC_PEERING_CONNECTION,
        f"pcx:{pcx.id}:outside",
        z3.Not(inside),
        p,
        ps,
        "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
        f"the destination is not in the CIDR blocks of {peer.id} (peering is not transitive)",
    )
    st = Step(
        pcx.id,
        HopKind.VPC_PEERING_CONNECTION,
        f"pcx:{pcx.id}",
        f"{pcx.id}: {s.vpc_id} -> {peer.id}",
        inside,
        p,
        "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
    )
    # Arrived over this peering: a reference to a group of the sending VPC matches now.
    ps = replace(ps, via=Crossing(pcx.id, s.vpc_id))
    return out + subnet_hops.deliver_in_vpc(hc, peer.id, None, p, (*steps, st), ps)
