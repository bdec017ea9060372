"""Walker hops of a transit gateway: the attachment in the source subnet's AZ
(`TGW_ROUTE_AZ_RESTRICTION`), the NACLs on the way in, TGW routing from the ingress
attachment (forwarding.md "TGW routing from ingress attachment"), then the egress attachment
(a VPC subnet to route from, or a VPN to on-premises).

Example: a TGW route table with no route to the destination drops `TGW_RTB_CANNOT_ROUTE`.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from netcheck.model import (
    Direction,
    Route,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
)
from netcheck.model.hops import HopKind
from netcheck.walk.hops import network_acl, onprem
from netcheck.walk.hops import subnet as subnet_hops
from netcheck.walk.hops.context import Arrival, Walk, available
from netcheck.walk.match import tgw_longest_prefix_match


@dataclass(frozen=True)
class _TgwTarget:
    gateway: TransitGateway
    attachments: tuple[TransitGatewayAttachment, ...]


def resolve_tgw(w: Walk, route: Route, subnet: Subnet) -> object:
    tgw = w.net.get(route.target_id or "")
    if isinstance(tgw, TransitGateway) and not w.net.transit_gateway_attachments_of_vpc(
        subnet.vpc_id, tgw.id
    ):
        # The route is active (blackholes stop earlier), so AWS has an attachment of this
        # VPC: the snapshot is missing it.
        w.unknown(
            tgw.id,
            f"route {route.destination_text} is active but no attachment of {subnet.vpc_id} "
            f"to {tgw.id} is in the snapshot (aws ec2 describe-transit-gateway-attachments; "
            "describe-transit-gateway-vpc-attachments)",
            "UNKNOWN_RESOURCE",
        )
    if not isinstance(tgw, TransitGateway) or not available(tgw.state):
        return None
    attachments = tuple(
        sorted(
            (
                a
                for a in w.net.transit_gateway_attachments_of_vpc(subnet.vpc_id, tgw.id)
                if available(a.state)
            ),
            key=lambda a: a.id,
        )
    )
    return _TgwTarget(tgw, attachments) if attachments else None


def to_tgw(w: Walk, subnet: Subnet, target: object, egress_checked: bool) -> None:
    assert isinstance(target, _TgwTarget)
    tgw = target.gateway
    az = subnet.availability_zone
    chosen: tuple[TransitGatewayAttachment, Subnet] | None = None
    for att in target.attachments:
        for sid in sorted(att.subnet_ids):
            s = w.net.get(sid)
            if chosen is None and isinstance(s, Subnet) and s.availability_zone == az:
                chosen = (att, s)
    if chosen is None:
        w.hop(tgw.id, HopKind.TRANSIT_GATEWAY, "deny", detail=f"no attachment subnet in {az}")
        w.drop(
            "TGW_ROUTE_AZ_RESTRICTION",
            tgw.id,
            f"the attachment of {subnet.vpc_id} to {tgw.id} has no subnet in {az}",
        )
    att, att_subnet = chosen
    subnet_hops.leave(w, subnet, egress_checked)
    # Also when the attachment subnet is the source subnet (AWS "Network ACLs for
    # transit gateways": both rule sets of that subnet apply on the way to the TGW).
    network_acl.nacl(w, att_subnet, Direction.INGRESS)
    w.hop(tgw.id, HopKind.TRANSIT_GATEWAY, detail=f"from {att.id} in {az}")
    tgw_route(w, att, az)


def tgw_route(w: Walk, att: TransitGatewayAttachment, az: str | None) -> NoReturn:
    """forwarding.md "TGW routing from ingress attachment"."""
    table = w.net.transit_gateway_route_table_of(att.id)
    if table is None:
        w.drop(
            "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
            att.id,
            f"{att.id} is associated with no transit gateway route table",
        )
    if not table.routes_known:
        # The snapshot lacks this table's routes: any destination may match one of them.
        w.hop(table.id, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE, detail="routes not in the snapshot")
        w.unknown(
            table.id,
            f"the routes of {table.id} are not in the snapshot (aws ec2 "
            f"search-transit-gateway-routes --transit-gateway-route-table-id {table.id} "
            "--filters Name=state,Values=active,blackhole; aws ec2 "
            "get-transit-gateway-route-table-propagations --transit-gateway-route-table-id "
            f"{table.id}; docs/formats.md)",
            "UNKNOWN_RESOURCE",
        )
    dst = w.packet.dst_ip
    route = tgw_longest_prefix_match(w.net.transit_gateway_routes(table.id), dst)
    if route is None:
        bgp = w.net.transit_gateway_unknown_propagations(table.id)
        if bgp:
            # A VPN propagates routes over BGP that the snapshot does not list.
            vpns = ", ".join(
                f"{a.resource_id or a.id} ({a.id})"
                for a in (w.net.get(i) for i in bgp)
                if isinstance(a, TransitGatewayAttachment)
            )
            w.hop(
                table.id,
                HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
                detail=f"no known route to {dst}; {vpns} propagates unknown routes",
            )
            w.unknown(
                bgp[0],
                f"{table.id} has no known route to the destination; routes that {vpns} "
                "propagates over BGP are not in the snapshot; declare on-prem ranges "
                "with --onprem",
            )
        w.hop(table.id, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE, "deny", detail=f"no route to {dst}")
        w.drop("TGW_RTB_CANNOT_ROUTE", table.id, f"{table.id} has no route to {dst}")
    if route.state.lower() == "blackhole" or not route.attachment_ids:
        w.hop(
            table.id,
            HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
            "deny",
            rule=route.label,
            detail="blackhole",
        )
        w.drop(
            "TGW_RTB_CANNOT_ROUTE",
            table.id,
            f"route {route.label} of {table.id} is a blackhole",
        )
    next_id = sorted(route.attachment_ids)[0]
    nxt = w.net.get(next_id)
    if not isinstance(nxt, TransitGatewayAttachment) or not available(nxt.state):
        w.hop(
            table.id,
            HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
            "deny",
            rule=route.label,
            detail="attachment unavailable",
        )
        w.drop(
            "TGW_RTB_CANNOT_ROUTE",
            table.id,
            f"attachment {next_id} of route {route.label} is not in the snapshot or not available",
        )
    w.hop(table.id, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE, rule=route.label, detail=f"to {nxt.id}")
    if nxt.resource_type is TransitGatewayAttachmentType.VPC:
        subnets = [s for sid in sorted(nxt.subnet_ids) if isinstance(s := w.net.get(sid), Subnet)]
        if not subnets:
            w.unknown(nxt.id, f"no subnet of {nxt.id} is in the snapshot", "UNKNOWN_RESOURCE")
        zones = sorted({s.availability_zone for s in subnets})
        if nxt.appliance_mode and len(zones) > 1:
            # Appliance mode: the TGW hashes the flow to one of the attachment's AZs, the
            # same for both directions; the walk is told which (`appliance_azs`).
            zone = w.appliance_azs.get(nxt.id, zones[0])
            if zone not in zones:
                zone = zones[0]
            egress = next(s for s in subnets if s.availability_zone == zone)
            w.hop(
                nxt.id,
                HopKind.TRANSIT_GATEWAY,
                detail=f"{nxt.id} (appliance mode): the flow crosses {zone} through {egress.id}",
            )
        else:
            egress = next((s for s in subnets if s.availability_zone == az), subnets[0])
        w.arrival = Arrival(
            att.transit_gateway_id,
            att.resource_id if att.resource_type is TransitGatewayAttachmentType.VPC else None,
            att.id,
            nxt.id,
        )
        # As if sent from inside `egress`: its outbound NACL applies when the packet leaves
        # it; towards an address in `egress` itself AWS evaluates no rules.
        subnet_hops.route_from(w, egress)
        raise AssertionError("route_from always stops")  # pragma: no cover
    if nxt.resource_type is TransitGatewayAttachmentType.VPN:
        onprem.exit_onprem(
            w, nxt.id, HopKind.TRANSIT_GATEWAY, w.net.vpn_onprem_cidrs(nxt.resource_id)
        )
    w.unknown(nxt.id, f"transit gateway {nxt.resource_type.value} attachments are not modelled")
