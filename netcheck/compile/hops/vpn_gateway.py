"""Hop: a virtual private gateway (route target `virtual-private-gateway`): out to
on-premises over a site-to-site VPN.

Input: the routing subnet, the route, the packet copy, the steps so far, the path state.
Output: the candidate `Path`s: the VGW must be available and attached to the subnet's VPC
(else `BAD_STATE_ROUTE`); the subnet's outbound NACL; then the on-prem exit through the
VGW's VPN ranges (`compile/hops/onprem.to_onprem`).

Example: `192.168.0.0/16 -> vgw-1` whose VPN carries 192.168.0.0/16: a packet to
192.168.1.1 `exits-onprem` at vgw-1.
"""

from __future__ import annotations

from netcheck.compile.hops import onprem
from netcheck.compile.hops.context import HopContext, PathState, Steps, available
from netcheck.compile.hops.network_acl import nacl
from netcheck.compile.packet import SymPacket
from netcheck.compile.steps import Path
from netcheck.model.filtering import Direction
from netcheck.model.gateways import VpnGateway
from netcheck.model.hops import HopKind
from netcheck.model.routing import Route
from netcheck.model.vpc import Subnet


def to_vgw(
    hc: HopContext,
    s: Subnet,
    table_id: str,
    route: Route,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    g = hc.net.get(route.target_id or "")
    if not isinstance(g, VpnGateway) or not available(g.state) or s.vpc_id not in g.vpc_ids:
        return hc.bad_state(steps, table_id, route, ps)
    steps = (*steps, nacl(hc, s, Direction.EGRESS, p))
    ranges = list(hc.net.vpn_gateway_onprem_cidrs(g.id))
    return onprem.to_onprem(hc, g.id, HopKind.VIRTUAL_PRIVATE_GATEWAY, ranges, p, steps, ps)
