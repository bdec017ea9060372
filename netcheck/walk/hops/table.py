"""The walker's hop table: route target kind -> (resolve the target, forward through it).

Input: a `RouteTargetKind`. Output: a `(resolve, forward)` pair, used by routing from a
subnet (`netcheck/walk/hops/subnet.route_from`): `resolve(w, route, subnet)` returns the
target, or None when it is missing or not available (`BAD_STATE_ROUTE`);
`forward(w, subnet, target, egress_checked)` walks on. A kind with no entry makes the walk
`unknown` (appliances, GWLB endpoints, carrier / local gateways, core networks, egress-only
IGW for IPv4). Independent of the engine's table (`netcheck/compile/hops/table.py`); a test
keeps the two key sets equal.
"""

from __future__ import annotations

from collections.abc import Callable

from netcheck.model import Route, RouteTargetKind, Subnet
from netcheck.walk.hops import (
    gateway_endpoint,
    internet_gateway,
    nat_gateway,
    peering,
    subnet,
    transit_gateway,
    vpn_gateway,
)
from netcheck.walk.hops.context import Walk

Resolve = Callable[[Walk, Route, Subnet], object]
Forward = Callable[[Walk, Subnet, object, bool], None]

ROUTE_TARGETS: dict[RouteTargetKind, tuple[Resolve, Forward]] = {
    RouteTargetKind.LOCAL: (subnet.resolve_local, subnet.to_local),
    RouteTargetKind.INTERNET_GATEWAY: (internet_gateway.resolve_igw, internet_gateway.to_igw),
    RouteTargetKind.NAT_GATEWAY: (nat_gateway.resolve_nat, nat_gateway.to_nat),
    RouteTargetKind.VPC_PEERING_CONNECTION: (peering.resolve_pcx, peering.to_pcx),
    RouteTargetKind.TRANSIT_GATEWAY: (transit_gateway.resolve_tgw, transit_gateway.to_tgw),
    RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY: (vpn_gateway.resolve_vgw, vpn_gateway.to_vgw),
    RouteTargetKind.GATEWAY_ENDPOINT: (gateway_endpoint.resolve_vpce, gateway_endpoint.to_vpce),
}
