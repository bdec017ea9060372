"""The hop table: route target kind -> the hop function that forwards through it.

Input: a `RouteTargetKind`. Output: the hop function (`RouteHop`), called by routing from a
subnet (`compile/hops/subnet.route_from_subnet`) as
`hop(hc, subnet, table_id, route, p, steps, ps) -> list[Path]`. A kind with no entry raises
`UnsupportedFeature`, so the path ends `unknown` naming the target — never a silent pass or
drop. The walker keeps its own table (`netcheck/walk/hops/table.py`); a test keeps the two
key sets equal, and `compile/topology.py` follows exactly the kinds listed here.

    >>> RouteTargetKind.NAT_GATEWAY in ROUTE_TARGETS
    True
"""

from __future__ import annotations

from collections.abc import Callable

from netcheck.compile.hops import (
    gateway_endpoint,
    internet_gateway,
    nat_gateway,
    peering,
    subnet,
    transit_gateway,
    vpn_gateway,
)
from netcheck.compile.hops.context import HopContext, PathState, Steps
from netcheck.compile.packet import SymPacket
from netcheck.compile.steps import Path
from netcheck.errors import UnsupportedFeature
from netcheck.model.routing import Route, RouteTargetKind
from netcheck.model.vpc import Subnet

RouteHop = Callable[[HopContext, Subnet, str, Route, SymPacket, Steps, PathState], list[Path]]

# Kinds not listed (network interface, instance, GWLB endpoint, carrier / local gateway,
# core network, egress-only IGW for IPv4) end the path `unknown`.
ROUTE_TARGETS: dict[RouteTargetKind, RouteHop] = {
    RouteTargetKind.LOCAL: subnet.to_local,
    RouteTargetKind.INTERNET_GATEWAY: internet_gateway.to_igw,
    RouteTargetKind.NAT_GATEWAY: nat_gateway.to_nat,
    RouteTargetKind.VPC_PEERING_CONNECTION: peering.to_peering,
    RouteTargetKind.TRANSIT_GATEWAY: transit_gateway.to_tgw,
    RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY: vpn_gateway.to_vgw,
    RouteTargetKind.GATEWAY_ENDPOINT: gateway_endpoint.to_endpoint,
}


def dispatch(route: Route, table_id: str) -> RouteHop:
    """The hop for `route`'s target kind; a kind with no entry raises `UnsupportedFeature`
    (the path ends `unknown`, naming the target)."""
    hop = ROUTE_TARGETS.get(route.target_kind)
    if hop is None:
        raise UnsupportedFeature(
            route.target_id or table_id,
            f"route {route.label} of {table_id} targets a {route.target_kind.value}; "
            "forwarding through it is not modelled",
        )
    return hop
