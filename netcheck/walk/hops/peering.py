"""Walker hop: a VPC peering connection (active, joining the subnet's VPC): the destination
must be in the peer VPC's CIDR blocks (`PCX_REQUIRES_ADDRESS_IN_VPC_CIDR`), then local
delivery in the peer VPC (peering is not transitive).

Example: vpc-a peered with vpc-b (10.1.0.0/16): a packet to 10.1.2.3 is delivered in vpc-b.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from typing import NoReturn

from netcheck.model import Route, Subnet, Vpc, VpcPeeringConnection
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind
from netcheck.walk.hops import subnet as subnet_hops
from netcheck.walk.hops.context import Arrival, Walk
from netcheck.walk.match import in_cidr


def resolve_pcx(w: Walk, route: Route, subnet: Subnet) -> object:
    pcx = w.net.get(route.target_id or "")
    if (
        isinstance(pcx, VpcPeeringConnection)
        and pcx.status.lower() == "active"
        and pcx.peer_of(subnet.vpc_id) is not None
    ):
        return pcx
    return None


def to_pcx(w: Walk, subnet: Subnet, target: object, egress_checked: bool) -> None:
    assert isinstance(target, VpcPeeringConnection)
    pcx = target
    subnet_hops.leave(w, subnet, egress_checked)
    peer_id = pcx.peer_of(subnet.vpc_id)
    assert peer_id is not None
    dst = w.packet.dst_ip
    if w.is_reply and not isinstance(w.net.get(peer_id), Vpc):
        _reply_out(w, pcx, peer_id)
    peer: Vpc = w.lookup(peer_id, Vpc, "peer VPC")
    if not any(in_cidr(dst, c) for c in peer.cidr_blocks):
        w.hop(pcx.id, HopKind.VPC_PEERING_CONNECTION, "deny", detail=f"{dst} outside {peer.id}")
        w.drop(
            "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
            pcx.id,
            f"{dst} is not in the CIDR blocks of {peer.id} (peering is not transitive)",
        )
    w.hop(pcx.id, HopKind.VPC_PEERING_CONNECTION, detail=f"{subnet.vpc_id} -> {peer.id}")
    w.arrival = Arrival(pcx.id, subnet.vpc_id)
    subnet_hops.deliver_in_vpc(w, peer.id, None)


def _reply_out(w: Walk, pcx: VpcPeeringConnection, peer_id: str) -> NoReturn:
    """A reply towards a peered VPC the snapshot does not hold leaves over the connection
    when its destination is in that VPC's CIDR blocks (the peered origin's way back);
    otherwise it is dropped (peering is not transitive). No blocks known: unknown."""
    info = pcx.requester if pcx.requester.vpc_id == peer_id else pcx.accepter
    dst = w.packet.dst_ip
    if not info.cidr_blocks:
        w.lookup(peer_id, Vpc, "peer VPC")
    if not any(in_cidr(dst, c) for c in info.cidr_blocks):
        w.hop(pcx.id, HopKind.VPC_PEERING_CONNECTION, "deny", detail=f"{dst} outside {peer_id}")
        w.drop(
            "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
            pcx.id,
            f"{dst} is not in the CIDR blocks of {peer_id} (peering is not transitive)",
        )
    w.hop(pcx.id, HopKind.VPC_PEERING_CONNECTION, detail=f"to {peer_id} (outside the snapshot)")
    w.finish(DispositionKind.EXITS_PEERING, pcx.id, None, f"leaves over {pcx.id} to {peer_id}")


def start_peering(w: Walk, pcx_id: str) -> None:
    """A packet from a peered VPC outside the snapshot (forwarding.md "Entering from
    outside"): it comes in over an active connection whose other VPC is in the snapshot,
    from an address in the remote VPC's CIDR blocks, and is delivered in the local VPC as
    over a peering route (the destination subnet's inbound NACL, then the interface)."""
    pcx = w.net.get(pcx_id)
    if not isinstance(pcx, VpcPeeringConnection) or pcx.status.lower() != "active":
        w.unknown(pcx_id, f"{pcx_id} is not an active peering connection of the snapshot")
    inside = [x for x in (pcx.requester, pcx.accepter) if isinstance(w.net.get(x.vpc_id), Vpc)]
    outside = [x for x in (pcx.requester, pcx.accepter) if x not in inside]
    if len(inside) != 1 or len(outside) != 1:
        w.unknown(pcx_id, f"{pcx_id} has no side outside the snapshot to enter from")
    src = w.packet.src_ip
    if not any(in_cidr(src, c) for c in outside[0].cidr_blocks):
        w.hop(pcx.id, HopKind.VPC_PEERING_CONNECTION, "deny", detail=f"{src} outside the peer")
        w.drop(
            "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
            pcx.id,
            f"{src} is not in the CIDR blocks of {outside[0].vpc_id}",
        )
    w.hop(
        pcx.id,
        HopKind.VPC_PEERING_CONNECTION,
        detail=f"{outside[0].vpc_id} (outside the snapshot) -> {inside[0].vpc_id}",
    )
    subnet_hops.deliver_in_vpc(w, inside[0].vpc_id, None)
