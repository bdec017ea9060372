"""Walker hop: a VPC peering connection (active, joining the subnet's VPC): the destination
must be in the peer VPC's CIDR blocks (`PCX_REQUIRES_ADDRESS_IN_VPC_CIDR`), then local
delivery in the peer VPC (peering is not transitive).

Example: vpc-a peered with vpc-b (10.1.0.0/16): a packet to 10.1.2.3 is delivered in vpc-b.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from netcheck.model import Route, Subnet, Vpc, VpcPeeringConnection
from netcheck.model.hops import HopKind
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
    peer: Vpc = w.lookup(peer_id, Vpc, "peer VPC")
    dst = w.packet.dst_ip
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
