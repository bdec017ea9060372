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
from netcheck.model.gateways import PeeringVpcInfo, VpcPeeringConnection
from netcheck.model.hops import HopKind
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind
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
    remote = pcx.side(peer_id)
    if not isinstance(peer, Vpc) and ps.reply and remote is not None and remote.cidr_blocks:
        # A reply into a peered VPC outside the snapshot leaves over the connection (the
        # peered origin's way back); outside that VPC's blocks it is dropped (not transitive).
        inside = ip_in_any(p.dst_ip, list(remote.cidr_blocks))
        out = hc.leaf(
            steps,
            pcx.id,
            HopKind.VPC_PEERING_CONNECTION,
            f"pcx:{pcx.id}:outside",
            z3.Not(inside),
            p,
            ps,
            "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
            f"the destination is not in the CIDR blocks of {peer_id} (peering is not transitive)",
        )
        return out + hc.leaf(
            steps,
            pcx.id,
            HopKind.VPC_PEERING_CONNECTION,
            f"pcx:{pcx.id}:exit",
            inside,
            p,
            ps,
            None,
            f"{pcx.id}: to {peer_id} (outside the snapshot)",
            DispositionKind.EXITS_PEERING,
        )
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


def peered_side(network: Network, pcx_id: str) -> tuple[str, PeeringVpcInfo] | None:
    """For an active peering connection with exactly one side in the snapshot: that side's
    VPC id and the other (remote) side's information; else None."""
    pcx = network.get(pcx_id)
    if not isinstance(pcx, VpcPeeringConnection) or pcx.status.lower() != "active":
        return None
    a, b = pcx.requester, pcx.accepter
    a_in, b_in = isinstance(network.get(a.vpc_id), Vpc), isinstance(network.get(b.vpc_id), Vpc)
    if a_in and not b_in:
        return a.vpc_id, b
    if b_in and not a_in:
        return b.vpc_id, a
    return None


def from_peering(
    hc: HopContext, pcx_id: str, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """A packet from a peered VPC outside the snapshot enters over the connection: its
    `src_ip` is in the remote VPC's CIDR blocks, and it is delivered in the local VPC as
    over a peering route (no source subnet: the destination subnet's inbound NACL, then the
    interface's security groups)."""
    sides = peered_side(hc.net, pcx_id)
    if sides is None:
        return hc.unknown(
            steps, pcx_id, ps, f"{pcx_id} is not an active peering with a side outside the snapshot"
        )
    local, remote = sides
    st = Step(
        pcx_id,
        HopKind.VPC_PEERING_CONNECTION,
        f"pcx:{pcx_id}:enter",
        f"{pcx_id}: {remote.vpc_id} (outside the snapshot) -> {local}",
        ip_in_any(p.src_ip, list(remote.cidr_blocks)),
        p,
        "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
    )
    return subnet_hops.deliver_in_vpc(hc, local, None, p, (*steps, st), ps)
