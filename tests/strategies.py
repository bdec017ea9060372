"""Hand-built and random networks for tests, made directly from model classes (no JSON).

- `Builder`: a concise way to write tiny networks in unit tests (every VPC gets a main route
  table with its local route and a default allow-all network ACL unless told otherwise).
- Hypothesis strategies: `networks()` (small random but valid networks), `packets(network)`
  (packets biased towards the network's own addresses and ports), `queries(network)`
  (an `Origin` with a packet that suits it) and `network_and_packet()` (a `Case`:
  network, origin, packet). The Z3 engine's property test compares its verdict with the
  concrete walker's on these.

Import as `from strategies import networks` (pytest puts `tests/` on `sys.path`).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, ip_network
from typing import Any

from netcheck.model import (
    ICMP,
    TCP,
    UDP,
    Direction,
    InterfaceOwnerKind,
    InternetGateway,
    NaclEntry,
    NatGateway,
    NatGatewayAddress,
    Network,
    NetworkAcl,
    NetworkInterface,
    PeeringVpcInfo,
    PortRange,
    PrefixList,
    PrivateAddress,
    Route,
    RouteState,
    RouteTable,
    RouteTargetKind,
    RuleAction,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    Vpc,
    VpcEndpoint,
    VpcEndpointType,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from netcheck.model.packet import Origin, OriginKind, Packet

# -- tiny builders for unit tests -----------------------------------------------------------


def ports(start: int, end: int | None = None) -> PortRange:
    return PortRange(start=start, end=start if end is None else end)


def nacl_entry(
    number: int,
    direction: Direction,
    action: str = "allow",
    cidr: str = "0.0.0.0/0",
    protocol: int = -1,
    port_range: PortRange | None = None,
    icmp: tuple[int, int] | None = None,
) -> NaclEntry:
    return NaclEntry(
        rule_number=number,
        direction=direction,
        protocol=protocol,
        action=RuleAction(action),
        cidr=ip_network(cidr),
        port_range=port_range,
        icmp_type=icmp[0] if icmp else None,
        icmp_code=icmp[1] if icmp else None,
    )


def inbound(number: int, action: str = "allow", cidr: str = "0.0.0.0/0", **kw: Any) -> NaclEntry:
    return nacl_entry(number, Direction.INGRESS, action, cidr, **kw)


def outbound(number: int, action: str = "allow", cidr: str = "0.0.0.0/0", **kw: Any) -> NaclEntry:
    return nacl_entry(number, Direction.EGRESS, action, cidr, **kw)


ALLOW_ALL_ACL = (inbound(100), outbound(100))

_rule_counter = [0]


def sg_rule(
    direction: Direction,
    protocol: int = -1,
    port_range: PortRange | None = None,
    *,
    cidr: str | None = None,
    group: str | None = None,
    prefix_list: str | None = None,
    icmp: tuple[int, int] | None = None,
    rule_id: str | None = None,
) -> SecurityGroupRule:
    """A security-group rule; with no peer given the peer is 0.0.0.0/0."""
    _rule_counter[0] += 1
    if cidr is None and group is None and prefix_list is None:
        cidr = "0.0.0.0/0"
    return SecurityGroupRule(
        rule_id=rule_id or f"sgr-{_rule_counter[0]:04d}",
        direction=direction,
        protocol=protocol,
        port_range=port_range,
        icmp_type=icmp[0] if icmp else None,
        icmp_code=icmp[1] if icmp else None,
        cidr=ip_network(cidr) if cidr else None,
        group_id=group,
        prefix_list_id=prefix_list,
    )


def ingress(
    protocol: int = -1, port_range: PortRange | None = None, **kw: Any
) -> SecurityGroupRule:
    return sg_rule(Direction.INGRESS, protocol, port_range, **kw)


def egress(protocol: int = -1, port_range: PortRange | None = None, **kw: Any) -> SecurityGroupRule:
    return sg_rule(Direction.EGRESS, protocol, port_range, **kw)


def route(
    destination: str,
    kind: RouteTargetKind | str,
    target: str | None = None,
    *,
    state: str = "active",
    origin: str = "CreateRoute",
) -> Route:
    """A route; `destination` is a CIDR or a prefix list id (`pl-…`)."""
    is_pl = destination.startswith("pl-")
    return Route(
        destination=None if is_pl else ip_network(destination),
        destination_prefix_list_id=destination if is_pl else None,
        target_kind=RouteTargetKind(kind),
        target_id=target,
        state=RouteState(state),
        origin=origin,
    )


class Builder:
    """Collects model objects; `build()` returns the `Network` (collections sorted by id)."""

    def __init__(self) -> None:
        self.items: dict[str, list[Any]] = {}
        self._main_rtb: dict[str, str] = {}
        self._default_acl: dict[str, str] = {}

    def _add(self, field: str, obj: Any) -> Any:
        self.items.setdefault(field, []).append(obj)
        return obj

    def _replace(self, field: str, obj: Any) -> Any:
        self.items[field] = [o for o in self.items.get(field, []) if o.id != obj.id] + [obj]
        return obj

    def vpc(self, vpc_id: str, *cidrs: str) -> Vpc:
        vpc = self._add("vpcs", Vpc(id=vpc_id, cidr_blocks=tuple(IPv4Network(c) for c in cidrs)))
        self._main_rtb[vpc_id] = f"rtb-main-{vpc_id}"
        self._default_acl[vpc_id] = f"acl-default-{vpc_id}"
        self.route_table(f"rtb-main-{vpc_id}", vpc_id, main=True)
        self.acl(f"acl-default-{vpc_id}", vpc_id, *ALLOW_ALL_ACL)
        return vpc

    def route_table(
        self,
        rtb_id: str,
        vpc_id: str,
        *routes: Route,
        main: bool = False,
        gateways: tuple[str, ...] = (),
    ) -> RouteTable:
        """A route table; the local routes of the VPC come first automatically."""
        vpc = next(v for v in self.items["vpcs"] if v.id == vpc_id)
        local = tuple(
            route(str(c), "local", "local", origin="CreateRouteTable") for c in vpc.cidr_blocks
        )
        return self._replace(
            "route_tables",
            RouteTable(
                id=rtb_id, vpc_id=vpc_id, routes=local + routes, main=main, gateway_ids=gateways
            ),
        )

    def main_routes(self, vpc_id: str, *routes: Route) -> RouteTable:
        return self.route_table(self._main_rtb[vpc_id], vpc_id, *routes, main=True)

    def acl(self, acl_id: str, vpc_id: str, *entries: NaclEntry) -> NetworkAcl:
        return self._replace("network_acls", NetworkAcl(id=acl_id, vpc_id=vpc_id, entries=entries))

    def subnet(
        self,
        subnet_id: str,
        vpc_id: str,
        cidr: str,
        az: str = "us-east-1a",
        *,
        rtb: str | None = None,
        acl: str | None = None,
    ) -> Subnet:
        return self._add(
            "subnets",
            Subnet(
                id=subnet_id,
                vpc_id=vpc_id,
                availability_zone=az,
                cidr_block=IPv4Network(cidr),
                route_table_id=rtb or self._main_rtb[vpc_id],
                network_acl_id=acl or self._default_acl[vpc_id],
                route_table_is_main=rtb is None,
            ),
        )

    def sg(self, sg_id: str, vpc_id: str | None, *rules: SecurityGroupRule) -> SecurityGroup:
        ing = tuple(r for r in rules if r.direction is Direction.INGRESS)
        egr = tuple(r for r in rules if r.direction is Direction.EGRESS)
        return self._add(
            "security_groups", SecurityGroup(id=sg_id, vpc_id=vpc_id, ingress=ing, egress=egr)
        )

    def eni(
        self,
        eni_id: str,
        subnet_id: str,
        ip: str,
        *groups: str,
        public: str | None = None,
        source_dest_check: bool = True,
        owner_kind: InterfaceOwnerKind = InterfaceOwnerKind.INSTANCE,
        owner_id: str | None = None,
        extra_ips: tuple[str, ...] = (),
    ) -> NetworkInterface:
        subnet = next(s for s in self.items["subnets"] if s.id == subnet_id)
        addresses = (
            PrivateAddress(
                address=IPv4Address(ip),
                primary=True,
                public_ip=IPv4Address(public) if public else None,
            ),
            *(PrivateAddress(address=IPv4Address(x)) for x in extra_ips),
        )
        return self._add(
            "network_interfaces",
            NetworkInterface(
                id=eni_id,
                subnet_id=subnet_id,
                vpc_id=subnet.vpc_id,
                availability_zone=subnet.availability_zone,
                private_addresses=addresses,
                group_ids=groups,
                source_dest_check=source_dest_check,
                owner_kind=owner_kind,
                owner_id=owner_id,
            ),
        )

    def igw(self, igw_id: str, *vpc_ids: str) -> InternetGateway:
        return self._add("internet_gateways", InternetGateway(id=igw_id, vpc_ids=vpc_ids))

    def nat(
        self,
        nat_id: str,
        subnet_id: str,
        ip: str,
        public: str | None = None,
        *,
        state: str = "available",
        with_eni: bool = True,
    ) -> NatGateway:
        subnet = next(s for s in self.items["subnets"] if s.id == subnet_id)
        eni_id = f"eni-{nat_id}"
        if with_eni:
            self.eni(
                eni_id,
                subnet_id,
                ip,
                public=public,
                source_dest_check=False,
                owner_kind=InterfaceOwnerKind.NAT_GATEWAY,
                owner_id=nat_id,
            )
        return self._add(
            "nat_gateways",
            NatGateway(
                id=nat_id,
                vpc_id=subnet.vpc_id,
                subnet_id=subnet_id,
                connectivity_type="public" if public else "private",
                addresses=(
                    NatGatewayAddress(
                        interface_id=eni_id if with_eni else None,
                        private_ip=IPv4Address(ip),
                        public_ip=IPv4Address(public) if public else None,
                    ),
                ),
                state=state,
            ),
        )

    def pcx(
        self, pcx_id: str, requester: str, accepter: str, status: str = "active"
    ) -> VpcPeeringConnection:
        def info(vpc_id: str) -> PeeringVpcInfo:
            vpc = next((v for v in self.items["vpcs"] if v.id == vpc_id), None)
            return PeeringVpcInfo(vpc_id=vpc_id, cidr_blocks=vpc.cidr_blocks if vpc else ())

        return self._add(
            "vpc_peering_connections",
            VpcPeeringConnection(
                id=pcx_id, requester=info(requester), accepter=info(accepter), status=status
            ),
        )

    def tgw(self, tgw_id: str, state: str = "available") -> TransitGateway:
        return self._add("transit_gateways", TransitGateway(id=tgw_id, state=state))

    def tgw_vpc_attachment(
        self, att_id: str, tgw_id: str, vpc_id: str, *subnet_ids: str, state: str = "available"
    ) -> TransitGatewayAttachment:
        return self._add(
            "transit_gateway_attachments",
            TransitGatewayAttachment(
                id=att_id,
                transit_gateway_id=tgw_id,
                resource_type=TransitGatewayAttachmentType.VPC,
                resource_id=vpc_id,
                subnet_ids=subnet_ids,
                state=state,
            ),
        )

    def tgw_vpn_attachment(self, att_id: str, tgw_id: str, vpn_id: str) -> TransitGatewayAttachment:
        return self._add(
            "transit_gateway_attachments",
            TransitGatewayAttachment(
                id=att_id,
                transit_gateway_id=tgw_id,
                resource_type=TransitGatewayAttachmentType.VPN,
                resource_id=vpn_id,
            ),
        )

    def tgw_route_table(
        self,
        rtb_id: str,
        tgw_id: str,
        *routes: TransitGatewayRoute,
        associations: tuple[str, ...] = (),
        propagations: tuple[str, ...] = (),
    ) -> TransitGatewayRouteTable:
        return self._add(
            "transit_gateway_route_tables",
            TransitGatewayRouteTable(
                id=rtb_id,
                transit_gateway_id=tgw_id,
                routes=routes,
                association_attachment_ids=associations,
                propagation_attachment_ids=propagations,
            ),
        )

    def vgw(self, vgw_id: str, *vpc_ids: str) -> VpnGateway:
        return self._add("vpn_gateways", VpnGateway(id=vgw_id, vpc_ids=vpc_ids))

    def vpn(
        self, vpn_id: str, *cidrs: str, vgw: str | None = None, tgw: str | None = None
    ) -> VpnConnection:
        return self._add(
            "vpn_connections",
            VpnConnection(
                id=vpn_id,
                vpn_gateway_id=vgw,
                transit_gateway_id=tgw,
                onprem_cidrs=tuple(ip_network(c) for c in cidrs),
            ),
        )

    def prefix_list(self, pl_id: str, *cidrs: str) -> PrefixList:
        return self._add(
            "prefix_lists", PrefixList(id=pl_id, entries=tuple(ip_network(c) for c in cidrs))
        )

    def gateway_endpoint(self, vpce_id: str, vpc_id: str, service: str, pl_id: str) -> VpcEndpoint:
        return self._add(
            "vpc_endpoints",
            VpcEndpoint(
                id=vpce_id,
                vpc_id=vpc_id,
                endpoint_type=VpcEndpointType.GATEWAY,
                service_name=service,
                prefix_list_id=pl_id,
            ),
        )

    def build(self, onprem: tuple[str, ...] = ()) -> Network:
        fields = {k: tuple(sorted(v, key=lambda o: o.id)) for k, v in self.items.items()}
        return Network(**fields, onprem_cidrs=tuple(ip_network(c) for c in onprem))


def tgw_route(
    destination: str, *attachments: str, route_type: str = "static", state: str = "active"
) -> TransitGatewayRoute:
    return TransitGatewayRoute(
        destination=ip_network(destination),
        route_type=route_type,
        state=state,
        attachment_ids=attachments,
    )


def tcp(src: str, dst: str, dst_port: int = 22, src_port: int = 49152) -> Packet:
    return Packet(src_ip=src, dst_ip=dst, protocol=TCP, src_port=src_port, dst_port=dst_port)  # type: ignore[arg-type]


def udp(src: str, dst: str, dst_port: int = 53, src_port: int = 49152) -> Packet:
    return Packet(src_ip=src, dst_ip=dst, protocol=UDP, src_port=src_port, dst_port=dst_port)  # type: ignore[arg-type]


def icmp(src: str, dst: str, icmp_type: int = 8, icmp_code: int = 0) -> Packet:
    return Packet(src_ip=src, dst_ip=dst, protocol=ICMP, icmp_type=icmp_type, icmp_code=icmp_code)  # type: ignore[arg-type]


def from_eni(eni_id: str) -> Origin:
    return Origin(kind=OriginKind.INTERFACE, interface_id=eni_id)


INTERNET = Origin(kind=OriginKind.INTERNET)
ONPREM = Origin(kind=OriginKind.ONPREM)
