"""Walker hop: entering a VPC through an IGW or VGW: a gateway route table edge-associated with
it decides (only `local` targets are modelled), else local delivery with no source subnet.

Example: igw-1's edge table `10.0.1.0/24 -> eni-fw` makes a packet to 10.0.1.5 `unknown`.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from netcheck.model import RouteState, RouteTargetKind
from netcheck.model.hops import HopKind
from netcheck.walk.hops import subnet as subnet_hops
from netcheck.walk.hops.context import Walk
from netcheck.walk.match import longest_prefix_match


def enter_vpc_via_gateway(w: Walk, gateway_id: str, vpc_id: str) -> None:
    """Ingress through an IGW/VGW: a gateway route table edge-associated with it decides
    (only `local` targets are modelled), else deliver as `local` with no source subnet."""
    tables = sorted(
        (t for t in w.net.route_tables if t.vpc_id == vpc_id and gateway_id in t.gateway_ids),
        key=lambda t: t.id,
    )
    if tables:
        table = tables[0]
        match = longest_prefix_match(w.net, table.routes, w.packet.dst_ip)
        if match is None:
            w.hop(
                table.id,
                HopKind.ROUTE_TABLE,
                "deny",
                detail=f"no route to {w.packet.dst_ip}",
            )
            w.drop(
                "NO_ROUTE_TO_DESTINATION",
                table.id,
                f"gateway route table {table.id} has no route",
            )
        route = match.route
        if route.state is RouteState.BLACKHOLE:
            w.hop(table.id, HopKind.ROUTE_TABLE, "deny", rule=route.label, detail="blackhole")
            w.drop("BAD_STATE_ROUTE", table.id, f"route {route.label} of {table.id} is a blackhole")
        w.hop(table.id, HopKind.ROUTE_TABLE, rule=route.label, detail="gateway route table")
        if route.target_kind is not RouteTargetKind.LOCAL:
            w.unknown(
                route.target_id or table.id,
                f"gateway route table {table.id} sends ingress traffic to "
                f"{route.target_id or route.target_kind.value} (appliances are not modelled)",
            )
    subnet_hops.deliver_in_vpc(w, vpc_id, None)
