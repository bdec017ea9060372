"""Hop: entering a VPC through a gateway (internet gateway or virtual private gateway). A
gateway route table edge-associated with the gateway decides (only `local` targets are
modelled; any other target is `unknown`: appliances are not modelled); without one, local
delivery with no source subnet.

Input: the VPC, the gateway, the packet copy, the steps so far, the path state. Output: the
candidate `Path`s (docs/semantics/forwarding.md "Gateway route tables").

Example: igw-1 with an edge route table `10.0.1.0/24 -> eni-fw` sends a packet to 10.0.1.5
to `unknown` (the appliance); without the table it is delivered in 10.0.1.0/24.
"""

from __future__ import annotations

from netcheck.compile.hops import subnet as subnet_hops
from netcheck.compile.hops.context import DROP, HopContext, PathState, Steps
from netcheck.compile.packet import SymPacket
from netcheck.compile.routing import select_route
from netcheck.compile.steps import Path, Rule, Step
from netcheck.model.hops import HopKind
from netcheck.model.routing import RouteState, RouteTargetKind


def enter_vpc(
    hc: HopContext, vpc_id: str, gateway_id: str, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """Ingress through an IGW/VGW: its edge-associated route table if any (only `local`
    targets are modelled), else local delivery with no source subnet."""
    if not hc.ok(steps):
        return []
    tables = sorted(
        (t for t in hc.net.route_tables if t.vpc_id == vpc_id and gateway_id in t.gateway_ids),
        key=lambda t: t.id,
    )
    if not tables:
        return subnet_hops.deliver_in_vpc(hc, vpc_id, None, p, steps, ps)
    table = tables[0]
    choices, nothing = select_route(hc.net, table, p, hc.space(p, "dst_ip"))
    out = hc.leaf(
        steps,
        table.id,
        HopKind.ROUTE_TABLE,
        f"route:{table.id}:none",
        nothing,
        p,
        ps,
        "NO_ROUTE_TO_DESTINATION",
        f"gateway route table {table.id} has no route",
    )
    for route, cond in choices:
        label = f"route:{table.id}:{route.destination_text}"
        st = (
            *steps,
            Step(
                table.id,
                HopKind.ROUTE_TABLE,
                label,
                f"{table.id}: {route.label}",
                cond,
                p,
                "NO_ROUTE_TO_DESTINATION",
                (Rule(label, route.label, route.label, cond, True),),
            ),
        )
        if route.state is RouteState.BLACKHOLE:
            out += hc.end(
                st,
                DROP,
                table.id,
                ps,
                "BAD_STATE_ROUTE",
                f"route {route.label} is a blackhole",
            )
        elif route.target_kind is RouteTargetKind.LOCAL:
            out += subnet_hops.deliver_in_vpc(hc, vpc_id, None, p, st, ps)
        else:
            out += hc.unknown(
                st,
                route.target_id or table.id,
                ps,
                f"gateway route table {table.id} sends ingress traffic to {route.label}",
            )
    return out
