"""Walker hop: a virtual private gateway on the way out: the subnet's outbound NACL, then the
on-prem exit through the VGW's VPN ranges.

Example: `192.168.0.0/16 -> vgw-1` whose VPN carries it: a packet to 192.168.1.1 exits.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from netcheck.model import Route, Subnet, VpnGateway
from netcheck.model.hops import HopKind
from netcheck.walk.hops import onprem
from netcheck.walk.hops import subnet as subnet_hops
from netcheck.walk.hops.context import Walk, available


def resolve_vgw(w: Walk, route: Route, subnet: Subnet) -> object:
    vgw = w.net.get(route.target_id or "")
    if isinstance(vgw, VpnGateway) and available(vgw.state) and subnet.vpc_id in vgw.vpc_ids:
        return vgw
    return None


def to_vgw(w: Walk, subnet: Subnet, target: object, egress_checked: bool) -> None:
    assert isinstance(target, VpnGateway)
    subnet_hops.leave(w, subnet, egress_checked)
    ranges = w.net.vpn_gateway_onprem_cidrs(target.id)
    onprem.exit_onprem(w, target.id, HopKind.VIRTUAL_PRIVATE_GATEWAY, ranges)
