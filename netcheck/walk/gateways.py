"""Route targets other than `local`, the internet and on-prem exits (forwarding.md "Routing
from a subnet", "TGW routing", "On the internet").

Input: a walk in progress (`WalkerBase`). Output: `GatewayWalker`, whose `handler()` is the
explicit dispatch table from route target kind to (resolve target, forward through it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from netcheck.model import (
    ICMP,
    TCP,
    UDP,
    Direction,
    InternetGateway,
    NatGateway,
    Route,
    RouteState,
    RouteTargetKind,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
    Vpc,
    VpcEndpoint,
    VpcEndpointType,
    VpcPeeringConnection,
    VpnGateway,
)
from netcheck.model.addresses import IPAddress
from netcheck.model.base import IPNetwork
from netcheck.model.packet import (
    DispositionKind,
)
from netcheck.walk.core import DEFAULT_NAT_PORT, Handler, WalkerBase, available, with_changes
from netcheck.walk.match import (
    in_cidr,
    is_public,
    longest_prefix_match,
    tgw_longest_prefix_match,
)


@dataclass(frozen=True)
class _TgwTarget:
    gateway: TransitGateway
    attachments: tuple[TransitGatewayAttachment, ...]


class GatewayWalker(WalkerBase):
    """Forwarding through gateways, peering, transit gateways and endpoints."""

    # internet gateway ------------------------------------------------------------------------

    def _resolve_igw(self, route: Route, subnet: Subnet) -> object:
        igw = self.net.get(route.target_id or "")
        if isinstance(igw, InternetGateway) and subnet.vpc_id in igw.vpc_ids:
            return igw
        return None

    def _to_igw(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        assert isinstance(target, InternetGateway)
        self.leave(subnet, egress_checked)
        src = self.packet.src_ip
        public = self.public_ip_for(subnet.vpc_id, src)
        if public is None:
            self.hop(target.id, "internet-gateway", "deny", detail=f"{src} has no public IP")
            self.drop(
                "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
                target.id,
                f"{src} has no public IP for {target.id} to map it to",
            )
        self.translate(
            target.id,
            "internet-gateway",
            with_changes(self.packet, src_ip=public),
            f"{src} -> {public}",
        )
        self.on_internet()

    def public_ip_for(self, vpc_id: str, private: IPAddress) -> IPAddress | None:
        for eni in sorted(self.net.interfaces_with_address(private), key=lambda e: e.id):
            if eni.vpc_id != vpc_id:
                continue
            for pa in eni.private_addresses:
                if pa.address == private and pa.public_ip is not None:
                    return pa.public_ip
        for nat in sorted(self.net.nat_gateways, key=lambda n: n.id):
            for a in nat.addresses:
                if nat.vpc_id == vpc_id and a.private_ip == private and a.public_ip is not None:
                    return a.public_ip
        return None

    def owner_of_public_ip(self, public: IPAddress) -> tuple[str, IPAddress] | None:
        """(VPC id, private address) that a public IP of the snapshot maps to."""
        eni = self.net.interface_with_public_ip(public)
        if eni is not None:
            for pa in eni.private_addresses:
                if pa.public_ip == public:
                    return eni.vpc_id, pa.address
        for nat in sorted(self.net.nat_gateways, key=lambda n: n.id):
            for a in nat.addresses:
                if a.public_ip == public and a.private_ip is not None:
                    return nat.vpc_id, a.private_ip
        return None

    def on_internet(self) -> NoReturn:
        """forwarding.md "On the internet"."""
        dst = self.packet.dst_ip
        if not is_public(dst):
            self.hop("internet", "internet", "deny", detail=f"{dst} is not a public address")
            self.drop(
                "IGW_DESTINATION_RFC1918", "internet", f"the internet does not route to {dst}"
            )
        owner = self.owner_of_public_ip(dst)
        if owner is None:
            self.hop("internet", "internet")
            self.finish(
                DispositionKind.EXITS_INTERNET, "internet", None, f"{dst} is on the internet"
            )
        vpc_id, private = owner
        igw = self.net.internet_gateway_of(vpc_id)
        if igw is None:
            self.hop("internet", "internet", "deny", detail=f"{vpc_id} has no internet gateway")
            self.drop(
                "NO_ROUTE_TO_DESTINATION",
                vpc_id,
                f"{dst} belongs to {vpc_id}, which has no internet gateway",
            )
        self.hop("internet", "internet")
        self.translate(
            igw.id,
            "internet-gateway",
            with_changes(self.packet, dst_ip=private),
            f"{dst} -> {private}",
        )
        self.enter_vpc_via_gateway(igw.id, vpc_id)
        raise AssertionError("enter_vpc_via_gateway always stops")  # pragma: no cover

    def enter_vpc_via_gateway(self, gateway_id: str, vpc_id: str) -> None:
        """Ingress through an IGW/VGW: a gateway route table edge-associated with it decides
        (only `local` targets are modelled), else deliver as `local` with no source subnet."""
        tables = sorted(
            (
                t
                for t in self.net.route_tables
                if t.vpc_id == vpc_id and gateway_id in t.gateway_ids
            ),
            key=lambda t: t.id,
        )
        if tables:
            table = tables[0]
            match = longest_prefix_match(self.net, table.routes, self.packet.dst_ip)
            if match is None:
                self.hop(
                    table.id, "route-table", "deny", detail=f"no route to {self.packet.dst_ip}"
                )
                self.drop(
                    "NO_ROUTE_TO_DESTINATION",
                    table.id,
                    f"gateway route table {table.id} has no route",
                )
            route = match.route
            if route.state is RouteState.BLACKHOLE:
                self.hop(table.id, "route-table", "deny", rule=route.label, detail="blackhole")
                self.drop(
                    "BAD_STATE_ROUTE", table.id, f"route {route.label} of {table.id} is a blackhole"
                )
            self.hop(table.id, "route-table", rule=route.label, detail="gateway route table")
            if route.target_kind is not RouteTargetKind.LOCAL:
                self.unknown(
                    route.target_id or table.id,
                    f"gateway route table {table.id} sends ingress traffic to "
                    f"{route.target_id or route.target_kind.value} (appliances are not modelled)",
                )
        self.deliver_in_vpc(vpc_id, None)

    # NAT gateway ---------------------------------------------------------------------------

    def _resolve_nat(self, route: Route, subnet: Subnet) -> object:
        nat = self.net.get(route.target_id or "")
        if isinstance(nat, NatGateway) and available(nat.state) and nat.vpc_id == subnet.vpc_id:
            return nat
        return None

    def _to_nat(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        assert isinstance(target, NatGateway)
        nat = target
        self.leave(subnet, egress_checked)
        nat_subnet: Subnet = self.lookup(nat.subnet_id, Subnet, "subnet")
        if nat_subnet.id != subnet.id:
            self.nacl(nat_subnet, Direction.INGRESS)
        p = self.packet
        if p.protocol not in (TCP, UDP, ICMP):
            self.hop(nat.id, "nat-gateway", "deny", detail=f"protocol {p.protocol}")
            self.drop(
                "NGW_PROTOCOL_RESTRICTION", nat.id, f"{nat.id} only translates TCP, UDP and ICMP"
            )
        vpc: Vpc = self.lookup(subnet.vpc_id, Vpc, "VPC")
        if not any(in_cidr(p.src_ip, c) for c in vpc.cidr_blocks):
            self.hop(nat.id, "nat-gateway", "deny", detail=f"source {p.src_ip} outside {vpc.id}")
            self.drop(
                "NGW_REQUIRES_SOURCE_IN_VPC", nat.id, f"{nat.id} only serves sources in {vpc.id}"
            )
        private = self.nat_private_ip(nat)
        changes: dict[str, Any] = {"src_ip": private}
        if p.protocol in (TCP, UDP):
            port = self.nat_ports.get(nat.id, DEFAULT_NAT_PORT)
            if not 1024 <= port <= 65535:
                raise ValueError(f"NAT port {port} for {nat.id} is outside 1024-65535")
            changes["src_port"] = port
        new = with_changes(p, **changes)
        self.translate(
            nat.id, "nat-gateway", new, f"{p.src_ip}:{p.src_port} -> {private}:{new.src_port}"
        )
        self.route_from(nat_subnet)

    def nat_private_ip(self, nat: NatGateway) -> IPAddress:
        addresses = [a for a in nat.addresses if a.private_ip is not None]
        primary = [a for a in addresses if a.primary] or addresses
        if not primary:
            self.unknown(
                nat.id, f"{nat.id} has no private address in the snapshot", "UNKNOWN_RESOURCE"
            )
        address = primary[0].private_ip
        assert address is not None
        return address

    # VPC peering ---------------------------------------------------------------------------

    def _resolve_pcx(self, route: Route, subnet: Subnet) -> object:
        pcx = self.net.get(route.target_id or "")
        if (
            isinstance(pcx, VpcPeeringConnection)
            and pcx.status.lower() == "active"
            and pcx.peer_of(subnet.vpc_id) is not None
        ):
            return pcx
        return None

    def _to_pcx(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        assert isinstance(target, VpcPeeringConnection)
        pcx = target
        self.leave(subnet, egress_checked)
        peer_id = pcx.peer_of(subnet.vpc_id)
        assert peer_id is not None
        peer: Vpc = self.lookup(peer_id, Vpc, "peer VPC")
        dst = self.packet.dst_ip
        if not any(in_cidr(dst, c) for c in peer.cidr_blocks):
            self.hop(pcx.id, "vpc-peering-connection", "deny", detail=f"{dst} outside {peer.id}")
            self.drop(
                "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
                pcx.id,
                f"{dst} is not in the CIDR blocks of {peer.id} (peering is not transitive)",
            )
        self.hop(pcx.id, "vpc-peering-connection", detail=f"{subnet.vpc_id} -> {peer.id}")
        self.deliver_in_vpc(peer.id, None)

    # transit gateway -----------------------------------------------------------------------

    def _resolve_tgw(self, route: Route, subnet: Subnet) -> object:
        tgw = self.net.get(route.target_id or "")
        if not isinstance(tgw, TransitGateway) or not available(tgw.state):
            return None
        attachments = tuple(
            sorted(
                (
                    a
                    for a in self.net.transit_gateway_attachments_of_vpc(subnet.vpc_id, tgw.id)
                    if available(a.state)
                ),
                key=lambda a: a.id,
            )
        )
        return _TgwTarget(tgw, attachments) if attachments else None

    def _to_tgw(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        assert isinstance(target, _TgwTarget)
        tgw = target.gateway
        az = subnet.availability_zone
        chosen: tuple[TransitGatewayAttachment, Subnet] | None = None
        for att in target.attachments:
            for sid in sorted(att.subnet_ids):
                s = self.net.get(sid)
                if chosen is None and isinstance(s, Subnet) and s.availability_zone == az:
                    chosen = (att, s)
        if chosen is None:
            self.hop(tgw.id, "transit-gateway", "deny", detail=f"no attachment subnet in {az}")
            self.drop(
                "TGW_ROUTE_AZ_RESTRICTION",
                tgw.id,
                f"the attachment of {subnet.vpc_id} to {tgw.id} has no subnet in {az}",
            )
        att, att_subnet = chosen
        self.leave(subnet, egress_checked)
        # Also when the attachment subnet is the source subnet (AWS "Network ACLs for
        # transit gateways": both rule sets of that subnet apply on the way to the TGW).
        self.nacl(att_subnet, Direction.INGRESS)
        self.hop(tgw.id, "transit-gateway", detail=f"from {att.id} in {az}")
        self.tgw_route(att, az)

    def tgw_route(self, att: TransitGatewayAttachment, az: str | None) -> NoReturn:
        """forwarding.md "TGW routing from ingress attachment"."""
        table = self.net.transit_gateway_route_table_of(att.id)
        if table is None:
            self.drop(
                "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
                att.id,
                f"{att.id} is associated with no transit gateway route table",
            )
        dst = self.packet.dst_ip
        route = tgw_longest_prefix_match(self.net.transit_gateway_routes(table.id), dst)
        if route is None:
            bgp = self.net.transit_gateway_unknown_propagations(table.id)
            if bgp:
                # A VPN propagates routes over BGP that the snapshot does not list.
                vpns = ", ".join(
                    f"{a.resource_id or a.id} ({a.id})"
                    for a in (self.net.get(i) for i in bgp)
                    if isinstance(a, TransitGatewayAttachment)
                )
                self.hop(
                    table.id,
                    "transit-gateway-route-table",
                    detail=f"no known route to {dst}; {vpns} propagates unknown routes",
                )
                self.unknown(
                    bgp[0],
                    f"{table.id} has no known route to the destination; routes that {vpns} "
                    "propagates over BGP are not in the snapshot; declare on-prem ranges "
                    "with --onprem",
                )
            self.hop(table.id, "transit-gateway-route-table", "deny", detail=f"no route to {dst}")
            self.drop("TGW_RTB_CANNOT_ROUTE", table.id, f"{table.id} has no route to {dst}")
        if route.state.lower() == "blackhole" or not route.attachment_ids:
            self.hop(
                table.id,
                "transit-gateway-route-table",
                "deny",
                rule=route.label,
                detail="blackhole",
            )
            self.drop(
                "TGW_RTB_CANNOT_ROUTE",
                table.id,
                f"route {route.label} of {table.id} is a blackhole",
            )
        next_id = sorted(route.attachment_ids)[0]
        nxt = self.net.get(next_id)
        if not isinstance(nxt, TransitGatewayAttachment) or not available(nxt.state):
            self.hop(
                table.id,
                "transit-gateway-route-table",
                "deny",
                rule=route.label,
                detail="attachment unavailable",
            )
            self.drop(
                "TGW_RTB_CANNOT_ROUTE",
                table.id,
                f"attachment {next_id} of route {route.label} is not in the snapshot "
                "or not available",
            )
        self.hop(table.id, "transit-gateway-route-table", rule=route.label, detail=f"to {nxt.id}")
        if nxt.resource_type is TransitGatewayAttachmentType.VPC:
            subnets = [
                s for sid in sorted(nxt.subnet_ids) if isinstance(s := self.net.get(sid), Subnet)
            ]
            if not subnets:
                self.unknown(
                    nxt.id, f"no subnet of {nxt.id} is in the snapshot", "UNKNOWN_RESOURCE"
                )
            egress = next((s for s in subnets if s.availability_zone == az), subnets[0])
            # As if sent from inside `egress`: its outbound NACL applies when the packet leaves
            # it; towards an address in `egress` itself AWS evaluates no rules.
            self.route_from(egress)
            raise AssertionError("route_from always stops")  # pragma: no cover
        if nxt.resource_type is TransitGatewayAttachmentType.VPN:
            self.exit_onprem(nxt.id, "transit-gateway", self.net.vpn_onprem_cidrs(nxt.resource_id))
        self.unknown(
            nxt.id, f"transit gateway {nxt.resource_type.value} attachments are not modelled"
        )

    # virtual private gateway, gateway endpoint ----------------------------------------------

    def _resolve_vgw(self, route: Route, subnet: Subnet) -> object:
        vgw = self.net.get(route.target_id or "")
        if isinstance(vgw, VpnGateway) and available(vgw.state) and subnet.vpc_id in vgw.vpc_ids:
            return vgw
        return None

    def _to_vgw(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        assert isinstance(target, VpnGateway)
        self.leave(subnet, egress_checked)
        ranges = self.net.vpn_gateway_onprem_cidrs(target.id)
        self.exit_onprem(target.id, "virtual-private-gateway", ranges)

    def exit_onprem(self, component_id: str, kind: str, ranges: tuple[IPNetwork, ...]) -> NoReturn:
        dst = self.packet.dst_ip
        if not ranges:
            self.hop(component_id, kind, detail="on-prem ranges unknown")
            self.unknown(
                component_id, f"the on-prem ranges behind {component_id} are not in the snapshot"
            )
        if any(in_cidr(dst, c) for c in ranges):
            self.hop(component_id, kind)
            self.hop("onprem", "onprem")
            self.finish(DispositionKind.EXITS_ONPREM, component_id, None, f"{dst} is on-prem")
        self.hop(component_id, kind, "deny", detail=f"{dst} is in no on-prem range")
        self.drop(
            "NO_ROUTE_TO_DESTINATION",
            component_id,
            f"{dst} is in no on-prem range behind {component_id}",
        )

    def _resolve_vpce(self, route: Route, subnet: Subnet) -> object:
        vpce = self.net.get(route.target_id or "")
        if (
            isinstance(vpce, VpcEndpoint)
            and vpce.endpoint_type is VpcEndpointType.GATEWAY
            and available(vpce.state)
        ):
            return vpce
        return None

    def _to_vpce(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        assert isinstance(target, VpcEndpoint)
        self.leave(subnet, egress_checked)
        self.hop(target.id, "vpc-endpoint", detail=target.service_name)
        self.finish(DispositionKind.DELIVERED_SERVICE, target.id, None, target.service_name)

    def handler(self, kind: RouteTargetKind) -> Handler | None:
        return _HANDLERS.get(kind)


# Route target kinds the walker follows; any other kind (appliances, GWLB endpoints, carrier
# and local gateways, core networks, egress-only IGW for IPv4) makes the walk `unknown`.
_HANDLERS: dict[RouteTargetKind, Handler] = {
    RouteTargetKind.LOCAL: (WalkerBase._resolve_local, WalkerBase._to_local),
    RouteTargetKind.INTERNET_GATEWAY: (GatewayWalker._resolve_igw, GatewayWalker._to_igw),
    RouteTargetKind.NAT_GATEWAY: (GatewayWalker._resolve_nat, GatewayWalker._to_nat),
    RouteTargetKind.VPC_PEERING_CONNECTION: (GatewayWalker._resolve_pcx, GatewayWalker._to_pcx),
    RouteTargetKind.TRANSIT_GATEWAY: (GatewayWalker._resolve_tgw, GatewayWalker._to_tgw),
    RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY: (GatewayWalker._resolve_vgw, GatewayWalker._to_vgw),
    RouteTargetKind.GATEWAY_ENDPOINT: (GatewayWalker._resolve_vpce, GatewayWalker._to_vpce),
}
