"""Hops of a transit gateway: the route target `transit-gateway` (attachment AZ rule and the
NACLs on the way in), TGW routing from the ingress attachment, and the egress attachment
(a VPC subnet to route from, or a VPN out to on-premises).

Input: the routing subnet and route (or the ingress attachment), the packet copy, the steps
so far, the path state. Output: the candidate `Path`s (docs/semantics/forwarding.md "TGW
routing from ingress attachment"; AWS "Network ACLs for transit gateways").

Example: `tgw_route` branches once per route of the ingress attachment's TGW route table
(longest prefix, static over propagated) plus a `TGW_RTB_CANNOT_ROUTE` drop for no match;
a BGP VPN propagating unknown routes makes "no known route" `unknown` instead.
"""

from __future__ import annotations

from dataclasses import replace

import z3

from netcheck.compile.hops import onprem
from netcheck.compile.hops import subnet as subnet_hops
from netcheck.compile.hops.context import (
    DROP,
    UNKNOWN,
    Crossing,
    HopContext,
    PathState,
    Steps,
    available,
)
from netcheck.compile.hops.network_acl import nacl
from netcheck.compile.packet import SymPacket
from netcheck.compile.routing import select_tgw_route
from netcheck.compile.steps import Path, Rule, Step
from netcheck.model.filtering import Direction
from netcheck.model.hops import HopKind
from netcheck.model.routing import Route, RouteState
from netcheck.model.transit import (
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
)
from netcheck.model.vpc import Subnet


def to_tgw(
    hc: HopContext,
    s: Subnet,
    table_id: str,
    route: Route,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """TGW: an available attachment of the VPC with a subnet in the source subnet's AZ
    (`TGW_ROUTE_AZ_RESTRICTION`), outbound NACL of the source subnet and inbound NACL of
    the attachment subnet (also when they are the same), then TGW routing."""
    tgw = hc.net.get(route.target_id or "")
    atts = sorted(
        (
            a
            for a in hc.net.transit_gateway_attachments_of_vpc(s.vpc_id, route.target_id)
            if available(a.state)
        ),
        key=lambda a: a.id,
    )
    if (
        isinstance(tgw, TransitGateway)
        and route.state is RouteState.ACTIVE
        and not hc.net.transit_gateway_attachments_of_vpc(s.vpc_id, tgw.id)
    ):
        # An active route to a TGW implies an attachment of the VPC (AWS blackholes the
        # route once it is deleted): the snapshot lacks it.
        return hc.unknown(
            steps,
            tgw.id,
            ps,
            f"route {route.destination_text} of {table_id} is active but no attachment of "
            f"{s.vpc_id} to {tgw.id} is in the snapshot (aws ec2 "
            "describe-transit-gateway-attachments; describe-transit-gateway-vpc-attachments)",
            "UNKNOWN_RESOURCE",
        )
    if not isinstance(tgw, TransitGateway) or not available(tgw.state) or not atts:
        return hc.bad_state(steps, table_id, route, ps)
    chosen: tuple[TransitGatewayAttachment, Subnet] | None = None
    for a in atts:
        for sid in sorted(a.subnet_ids):
            sub = hc.net.get(sid)
            if (
                chosen is None
                and isinstance(sub, Subnet)
                and sub.availability_zone == s.availability_zone
            ):
                chosen = (a, sub)
    if chosen is None:
        return hc.end(
            steps,
            DROP,
            tgw.id,
            ps,
            "TGW_ROUTE_AZ_RESTRICTION",
            f"the attachment of {s.vpc_id} to {tgw.id} has no subnet in {s.availability_zone}",
        )
    att, asub = chosen
    # AWS "Network ACLs for transit gateways": the attachment subnet's inbound rules are
    # evaluated for traffic to the TGW even when it is the source subnet.
    steps = (*steps, nacl(hc, s, Direction.EGRESS, p), nacl(hc, asub, Direction.INGRESS, p))
    return tgw_route(hc, att, p, steps, replace(ps, az=s.availability_zone))


def tgw_route(
    hc: HopContext, att: TransitGatewayAttachment, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """TGW routing: the ingress attachment's table decides; longest prefix, static over
    propagated; blackhole or no route: `TGW_RTB_CANNOT_ROUTE`."""
    if not hc.ok(steps):
        return []
    looped = hc.looped(att.id, p, ps)
    if looped:
        return hc.unknown(steps, att.id, ps, looped)
    ps = replace(ps, routed=(*ps.routed, hc.routing_key(att.id, p)))
    table = hc.net.transit_gateway_route_table_of(att.id)
    if table is None:
        return hc.end(
            steps,
            DROP,
            att.id,
            ps,
            "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
            f"{att.id} is associated with no transit gateway route table",
        )
    if not table.routes_known:
        # Without the table's routes any destination may match a route the snapshot lacks.
        return hc.unknown(steps, table.id, ps, _missing_routes_reason(table.id), "UNKNOWN_RESOURCE")
    choices, nothing = select_tgw_route(
        hc.net.transit_gateway_routes(table.id), p, hc.space(p, "dst_ip")
    )
    bgp = hc.net.transit_gateway_unknown_propagations(table.id)
    if bgp:
        # Routes a BGP VPN propagates are not in the snapshot: no known route is unknown.
        out = hc.leaf(
            steps,
            bgp[0],
            HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
            f"tgw-rtb:{table.id}:bgp",
            nothing,
            p,
            ps,
            "UNSUPPORTED_COMPONENT",
            _bgp_reason(hc, table.id, bgp),
            UNKNOWN,
        )
    else:
        out = hc.leaf(
            steps,
            table.id,
            HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
            f"tgw-rtb:{table.id}:none",
            nothing,
            p,
            ps,
            "TGW_RTB_CANNOT_ROUTE",
            f"{table.id} has no route to the destination",
        )
    for r, cond in choices:
        label = f"tgw-rtb:{table.id}:{r.destination}"
        text = f"{table.id}: {r.label}"
        st = (
            *steps,
            Step(
                table.id,
                HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
                label,
                text,
                cond,
                p,
                "TGW_RTB_CANNOT_ROUTE",
                (Rule(label, r.label, text, cond, True),),
            ),
        )
        if r.state.lower() == "blackhole" or not r.attachment_ids:
            out += hc.end(
                st,
                DROP,
                table.id,
                ps,
                "TGW_RTB_CANNOT_ROUTE",
                f"route {r.label} is a blackhole",
            )
            continue
        b = hc.net.get(sorted(r.attachment_ids)[0])
        if not isinstance(b, TransitGatewayAttachment) or not available(b.state):
            out += hc.end(
                st,
                DROP,
                table.id,
                ps,
                "TGW_RTB_CANNOT_ROUTE",
                f"the attachment of route {r.label} is not in the snapshot or not available",
            )
            continue
        out += tgw_egress(hc, att, b, p, st, ps)
    return out


def _appliance_egress(
    hc: HopContext,
    b: TransitGatewayAttachment,
    subs: list[Subnet],
    azs: list[str],
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """Out through appliance-mode attachment `b` with subnets in several AZs: the TGW hashes
    each flow to one of `b`'s AZs and uses it for both directions (forwarding.md "appliance
    mode"). The hash is not known, so one path per AZ (by name; an existential choice: some
    flow lands there), recorded in the path state; a flow that already crossed `b` (the
    reply of a forward packet that left through `b`) keeps its AZ."""
    picked = dict(ps.appliance).get(b.id)
    out: list[Path] = []
    for az in [picked] if picked is not None else azs:
        # `subs` is sorted by id: the first of `b`'s subnets in that AZ.
        bsub = next((x for x in subs if x.availability_zone == az), None)
        if bsub is None:  # pragma: no cover - a recorded AZ is one of `b`'s
            continue
        text = f"{b.id} (appliance mode): the flow crosses {az} through {bsub.id}"
        st = Step(
            b.id,
            HopKind.TRANSIT_GATEWAY,
            f"tgw-appliance:{b.id}:{az}",
            text,
            z3.BoolVal(True),
            p,
        )
        chosen = ps.appliance if picked is not None else (*ps.appliance, (b.id, az))
        out += subnet_hops.route_from_subnet(
            hc, bsub, p, (*steps, st), replace(ps, appliance=chosen)
        )
    return out


def _missing_routes_reason(table_id: str) -> str:
    return (
        f"the routes of {table_id} are not in the snapshot (aws ec2 "
        f"search-transit-gateway-routes --transit-gateway-route-table-id {table_id} "
        "--filters Name=state,Values=active,blackhole; aws ec2 "
        "get-transit-gateway-route-table-propagations --transit-gateway-route-table-id "
        f"{table_id}; docs/formats.md)"
    )


def _bgp_reason(hc: HopContext, table_id: str, attachment_ids: tuple[str, ...]) -> str:
    vpns = ", ".join(
        f"{a.resource_id or a.id} ({a.id})"
        for a in (hc.net.get(i) for i in attachment_ids)
        if isinstance(a, TransitGatewayAttachment)
    )
    return (
        f"{table_id} has no known route to the destination; routes that {vpns} "
        "propagates over BGP are not in the snapshot; declare on-prem ranges with --onprem"
    )


def tgw_egress(
    hc: HopContext,
    a: TransitGatewayAttachment,
    b: TransitGatewayAttachment,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """Out of the TGW through attachment `b` (the packet came in through `a`)."""
    if b.resource_type is TransitGatewayAttachmentType.VPC:
        subs = [x for x in (hc.net.get(i) for i in sorted(b.subnet_ids)) if isinstance(x, Subnet)]
        if not subs:
            return hc.unknown(
                steps, b.id, ps, f"no subnet of {b.id} is in the snapshot", "UNKNOWN_RESOURCE"
            )
        from_vpc = a.resource_id if a.resource_type is TransitGatewayAttachmentType.VPC else None
        ps = replace(ps, via=Crossing(b.transit_gateway_id, from_vpc, (a.id, b.id)))
        azs = sorted({x.availability_zone for x in subs})
        if b.appliance_mode and len(azs) > 1:
            return _appliance_egress(hc, b, subs, azs, p, steps, ps)
        bsub = next((x for x in subs if x.availability_zone == ps.az), subs[0])
        # Routed as if sent from inside `bsub`: its outbound rules apply when the packet
        # leaves it; to an address in `bsub` itself no rules are evaluated (AWS).
        return subnet_hops.route_from_subnet(hc, bsub, p, steps, ps)
    if b.resource_type is TransitGatewayAttachmentType.VPN:
        ranges = list(hc.net.vpn_onprem_cidrs(b.resource_id))
        return onprem.to_onprem(hc, b.id, HopKind.TRANSIT_GATEWAY, ranges, p, steps, ps)
    return hc.unknown(
        steps,
        b.id,
        ps,
        f"transit gateway {b.resource_type.value} attachments are not modelled",
    )
