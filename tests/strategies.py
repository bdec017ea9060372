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

from functools import cache
from ipaddress import IPv4Address, IPv4Network, ip_network
from typing import Any, NamedTuple

from hypothesis import strategies as st

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

    def tgw(
        self, tgw_id: str, state: str = "available", *, sg_referencing: bool | None = None
    ) -> TransitGateway:
        return self._add(
            "transit_gateways",
            TransitGateway(
                id=tgw_id, state=state, security_group_referencing_support=sg_referencing
            ),
        )

    def tgw_vpc_attachment(
        self,
        att_id: str,
        tgw_id: str,
        vpc_id: str,
        *subnet_ids: str,
        state: str = "available",
        sg_referencing: bool | None = None,
        appliance_mode: bool = False,
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
                security_group_referencing_support=sg_referencing,
                appliance_mode=appliance_mode,
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


# -- hypothesis strategies ----------------------------------------------------------------------

AZS = ("us-east-1a", "us-east-1b")
S3_PREFIX_LIST = "pl-s3"
S3_RANGE = "52.216.0.0/15"
ONPREM_RANGE = "192.168.0.0/16"
INTERNET_HOSTS = ("8.8.8.8", "1.1.1.1", "52.216.4.4")
COMMON_PORTS = (22, 80, 443, 1024, 3306, 49152, 65535)
# Addresses a NACL / SG / route CIDR is drawn from (so that matches actually happen).
_WIDE_CIDRS = ("0.0.0.0/0", "10.0.0.0/8", "8.8.8.0/24", S3_RANGE, ONPREM_RANGE)


_SRC_PORTS = st.sampled_from((49152, 40000, 1000, 0)) | st.integers(0, 65535)
_DST_PORTS = (
    st.sampled_from(COMMON_PORTS * 3 + (8080,))
    | st.sampled_from(COMMON_PORTS)
    | st.integers(0, 65535)
)


def _chance(draw: st.DrawFn, yes: int, no: int) -> bool:
    """True with odds yes:no (hypothesis biases small integers, so sample a list)."""
    return draw(_odds(yes, no))


@cache
def _odds(yes: int, no: int) -> st.SearchStrategy[bool]:
    return st.sampled_from([True] * yes + [False] * no)


def _vpc_cidr(i: int) -> str:
    return f"10.{i}.0.0/16"


@st.composite
def _port_range(draw: st.DrawFn) -> PortRange | None:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return None
    if choice == 1:
        return PortRange(start=1024, end=65535)
    p = draw(st.sampled_from(COMMON_PORTS))
    return PortRange(start=p, end=p)


@st.composite
def _filter_protocol(draw: st.DrawFn) -> tuple[int, PortRange | None, tuple[int, int] | None]:
    protocol = draw(st.sampled_from((-1, TCP, -1, TCP, UDP, ICMP, 47)))
    port_range = draw(_port_range()) if protocol in (TCP, UDP) else None
    icmp_tc = draw(st.sampled_from(((-1, -1), (8, -1), (0, 0)))) if protocol == ICMP else None
    return protocol, port_range, icmp_tc


@st.composite
def _nacl_entries(draw: st.DrawFn, cidr_pool: tuple[str, ...]) -> tuple[NaclEntry, ...]:
    if _chance(draw, 1, 1):
        return ALLOW_ALL_ACL
    out: list[NaclEntry] = []
    for direction in (Direction.INGRESS, Direction.EGRESS):
        numbers = draw(st.lists(st.sampled_from(range(10, 210, 10)), max_size=4, unique=True))
        for n in numbers:
            protocol, port_range, icmp_tc = draw(_filter_protocol())
            out.append(
                nacl_entry(
                    n,
                    direction,
                    draw(st.sampled_from(("allow", "allow", "allow", "deny"))),
                    draw(st.sampled_from(cidr_pool)),
                    protocol=protocol,
                    port_range=port_range,
                    icmp=icmp_tc,
                )
            )
    draw(st.randoms()).shuffle(out)  # input order must not matter
    return tuple(out)


@st.composite
def _sg_rules(
    draw: st.DrawFn, direction: Direction, cidr_pool: tuple[str, ...], group_ids: tuple[str, ...]
) -> tuple[SecurityGroupRule, ...]:
    if direction is Direction.EGRESS and _chance(draw, 4, 1):
        return (sg_rule(direction),)
    rules = []
    if _chance(draw, 1, 1):
        wide = draw(st.sampled_from(("0.0.0.0/0", "10.0.0.0/8")))
        rules.append(sg_rule(direction, draw(st.sampled_from((-1, TCP))), cidr=wide))
    for _ in range(draw(st.sampled_from((1, 2, 0)))):
        protocol, port_range, icmp_tc = draw(_filter_protocol())
        peer = draw(st.sampled_from(("cidr", "wide", "cidr", "group", "wide", "prefix-list")))
        kw: dict[str, Any] = {}
        if peer == "group":
            kw["group"] = draw(st.sampled_from(group_ids))
        elif peer == "prefix-list":
            kw["prefix_list"] = S3_PREFIX_LIST
        elif peer == "wide":
            kw["cidr"] = draw(st.sampled_from(("0.0.0.0/0", "10.0.0.0/8")))
        else:
            kw["cidr"] = draw(st.sampled_from(cidr_pool))
        rules.append(sg_rule(direction, protocol, port_range, icmp=icmp_tc, **kw))
    return tuple(rules)


@st.composite
def networks(draw: st.DrawFn, transit: bool = False) -> Network:
    """A small random but valid network: 1-3 VPCs (10.i.0.0/16), 1-3 subnets each in 1-2
    AZs, interfaces (some public), NAT gateways, IGWs, route tables with random routes (local,
    IGW, NAT, peering, TGW, VGW, gateway endpoint, appliance, blackhole, missing targets),
    random NACLs and security groups (CIDR, prefix-list and group-reference rules), optional
    peering, a transit gateway with route tables, a VGW with or without known on-prem ranges.
    `transit`: always a TGW with a (static or BGP) VPN attachment, and routes favour it."""
    b = Builder()
    b.prefix_list(S3_PREFIX_LIST, S3_RANGE)
    n_vpcs = draw(st.integers(1, 3))
    vpcs = [f"vpc-{i}" for i in range(1, n_vpcs + 1)]
    cidr_pool = (*_WIDE_CIDRS, *(_vpc_cidr(i) for i in range(1, n_vpcs + 1)), "10.1.1.0/24")
    subnets: dict[str, list[Subnet]] = {}
    for i, vpc in enumerate(vpcs, start=1):
        b.vpc(vpc, _vpc_cidr(i))
        if _chance(draw, 3, 1):
            b.igw(f"igw-{i}", vpc)
        subnets[vpc] = []
        for j in range(1, draw(st.integers(1, 3)) + 1):
            subnets[vpc].append(
                b.subnet(f"subnet-{i}-{j}", vpc, f"10.{i}.{j}.0/24", draw(st.sampled_from(AZS)))
            )
    # Peering, TGW, VGW, endpoints.
    pcxs = []
    for a in range(1, n_vpcs + 1):
        for c in range(a + 1, n_vpcs + 1):
            if draw(st.booleans()):
                status = draw(st.sampled_from(("active", "active", "pending-acceptance")))
                pcxs.append(b.pcx(f"pcx-{a}{c}", f"vpc-{a}", f"vpc-{c}", status=status).id)
    has_tgw = transit or draw(st.booleans())
    attachments: list[str] = []
    if has_tgw:
        # SecurityGroupReferencingSupport: enabled, disabled or not in the snapshot.
        switches = st.sampled_from((True, False, None))
        b.tgw("tgw-1", sg_referencing=draw(switches))
        for i, vpc in enumerate(vpcs, start=1):
            if _chance(draw, 1, 3):
                continue
            by_az: dict[str, str] = {}
            for s in subnets[vpc]:
                by_az.setdefault(s.availability_zone, s.id)
            chosen = draw(
                st.lists(st.sampled_from(sorted(by_az.values())), min_size=1, unique=True)
            )
            attachments.append(
                b.tgw_vpc_attachment(
                    f"tgw-attach-{i}",
                    "tgw-1",
                    vpc,
                    *sorted(chosen),
                    sg_referencing=draw(switches),
                    appliance_mode=_chance(draw, 1, 4),
                ).id
            )
    has_vgw = draw(st.booleans())
    if has_vgw:
        b.vgw("vgw-1", vpcs[0])
        b.vpn("vpn-1", *((ONPREM_RANGE,) if draw(st.booleans()) else ()), vgw="vgw-1")
    if has_tgw and (transit or draw(st.booleans())):
        # A static VPN, or a BGP one whose routes are not in the snapshot.
        b.vpn("vpn-2", *(("192.168.128.0/17",) if draw(st.booleans()) else ()), tgw="tgw-1")
        attachments.append(b.tgw_vpn_attachment("tgw-attach-vpn", "tgw-1", "vpn-2").id)
    if draw(st.booleans()):
        b.gateway_endpoint("vpce-s3", vpcs[0], "com.amazonaws.us-east-1.s3", S3_PREFIX_LIST)
    # Interfaces, security groups, NAT gateways.
    group_ids = tuple(f"sg-{k}" for k in range(1, draw(st.integers(1, 3)) + 1))
    nats: dict[str, list[str]] = {vpc: [] for vpc in vpcs}
    public_octet = iter(range(1, 250))
    for vpc in vpcs:
        for s in subnets[vpc]:
            base = s.cidr_block.network_address
            for k in range(draw(st.sampled_from((1, 2, 0)))):
                public = f"3.0.0.{next(public_octet)}" if _chance(draw, 1, 1) else None
                groups = draw(
                    st.lists(st.sampled_from(group_ids), min_size=1, max_size=2, unique=True)
                )
                b.eni(
                    f"eni-{s.id[7:]}-{k}",
                    s.id,
                    str(base + 10 + k),
                    *sorted(groups),
                    public=public,
                    source_dest_check=_chance(draw, 5, 1),
                )
            if _chance(draw, 1, 2):
                public = f"3.0.0.{next(public_octet)}" if _chance(draw, 3, 1) else None
                nats[vpc].append(b.nat(f"nat-{s.id[7:]}", s.id, str(base + 100), public).id)
    for g in group_ids:
        b.sg(
            g,
            None,
            *draw(_sg_rules(Direction.INGRESS, cidr_pool, group_ids)),
            *draw(_sg_rules(Direction.EGRESS, cidr_pool, group_ids)),
        )
    # NACLs and route tables.
    for i, vpc in enumerate(vpcs, start=1):
        b.acl(f"acl-default-{vpc}", vpc, *draw(_nacl_entries(cidr_pool)))
        extra_acl = draw(st.booleans())
        if extra_acl:
            b.acl(f"acl-{i}", vpc, *draw(_nacl_entries(cidr_pool)))
        targets = _route_targets(i, vpc, nats[vpc], pcxs, has_tgw, has_vgw)
        if transit:
            targets += [("transit-gateway", "tgw-1")] * 2
        b.main_routes(vpc, *_via_tgw(draw(_routes(targets, n_vpcs)), transit))
        extra_rtb = draw(st.booleans())
        if extra_rtb:
            b.route_table(f"rtb-{i}", vpc, *_via_tgw(draw(_routes(targets, n_vpcs)), transit))
        # Re-point subnets at the extra table / ACL (the builder made them with the defaults).
        for s in subnets[vpc]:
            rtb = f"rtb-{i}" if extra_rtb and draw(st.booleans()) else f"rtb-main-{vpc}"
            acl = f"acl-{i}" if extra_acl and draw(st.booleans()) else f"acl-default-{vpc}"
            b._replace(
                "subnets",
                s.model_copy(
                    update={
                        "route_table_id": rtb,
                        "network_acl_id": acl,
                        "route_table_is_main": rtb.startswith("rtb-main"),
                    }
                ),
            )
    if has_tgw:
        _tgw_route_tables(draw, b, attachments, n_vpcs)
    onprem = ("172.20.0.0/16",) if _chance(draw, 1, 3) else ()
    _missing_data(draw, b, vpcs[0])
    return b.build(onprem=onprem)


REMOTE_PCX, REMOTE_VPC, REMOTE_RANGE = "pcx-remote", "vpc-remote", "10.9.0.0/16"


def _missing_data(draw: st.DrawFn, b: Builder, vpc: str) -> None:
    """Data a snapshot may lack (forwarding.md "Unknown because missing"), drawn last so the
    draws before it keep their meaning: the S3 prefix list without its entries, and an
    active peering from `vpc` to a VPC of another account (not in the snapshot, 10.9.0.0/16)
    with, mostly, a route back over it in `vpc`'s main table."""
    if _chance(draw, 1, 4):
        b._replace("prefix_lists", PrefixList(id=S3_PREFIX_LIST, entries_known=False))
    if _chance(draw, 1, 3):
        local = next(v for v in b.items["vpcs"] if v.id == vpc)
        b._add(
            "vpc_peering_connections",
            VpcPeeringConnection(
                id=REMOTE_PCX,
                requester=PeeringVpcInfo(vpc_id=vpc, cidr_blocks=local.cidr_blocks),
                accepter=PeeringVpcInfo(
                    vpc_id=REMOTE_VPC, cidr_blocks=(IPv4Network(REMOTE_RANGE),)
                ),
            ),
        )
        if _chance(draw, 3, 1):
            main = next(t for t in b.items["route_tables"] if t.id == f"rtb-main-{vpc}")
            back = route(REMOTE_RANGE, "vpc-peering-connection", REMOTE_PCX)
            b._replace("route_tables", main.model_copy(update={"routes": (*main.routes, back)}))


def _route_targets(
    i: int, vpc: str, nats: list[str], pcxs: list[str], has_tgw: bool, has_vgw: bool
) -> list[tuple[str, str | None]]:
    """(target kind, target id) pairs a route of VPC `i` may use, including missing ones."""
    targets: list[tuple[str, str | None]] = [
        ("internet-gateway", f"igw-{i}"),  # missing when the VPC drew no IGW
        ("nat-gateway", "nat-missing"),
        ("network-interface", "eni-appliance"),
    ]
    targets += [("nat-gateway", n) for n in nats]
    targets += [("vpc-peering-connection", p) for p in pcxs if str(i) in p[4:6]]
    if has_tgw:
        targets.append(("transit-gateway", "tgw-1"))
    if has_vgw and i == 1:
        targets.append(("virtual-private-gateway", "vgw-1"))
    return targets


def _via_tgw(routes: tuple[Route, ...], transit: bool) -> tuple[Route, ...]:
    """With `transit`, other VPCs and on-prem ranges go to tgw-1 unless a route says else."""
    if not transit:
        return routes
    taken = {str(r.destination) for r in routes}
    extra = ("10.0.0.0/8", ONPREM_RANGE, "172.20.0.0/16")
    return routes + tuple(route(d, "transit-gateway", "tgw-1") for d in extra if d not in taken)


@st.composite
def _routes(
    draw: st.DrawFn, targets: list[tuple[str, str | None]], n_vpcs: int
) -> tuple[Route, ...]:
    destinations = [
        "0.0.0.0/0",
        "8.8.8.0/24",
        "10.0.0.0/8",
        ONPREM_RANGE,
        "172.20.0.0/16",
        *(_vpc_cidr(k) for k in range(1, n_vpcs + 1)),
        "10.1.1.0/24",
    ]
    chosen = draw(st.lists(st.sampled_from(destinations), max_size=4, unique=True))
    out = []
    if "0.0.0.0/0" not in chosen and _chance(draw, 1, 1):
        # A default route to the internet gateway or a NAT gateway, as most VPCs have.
        exits = [t for t in targets if t[0] in ("internet-gateway", "nat-gateway")]
        kind, target = draw(st.sampled_from(exits[:1] * 2 + exits))
        out.append(route("0.0.0.0/0", kind, target))
    for dest in chosen:
        kind, target = draw(st.sampled_from(targets))
        state = "blackhole" if _chance(draw, 1, 7) else "active"
        out.append(route(dest, kind, target, state=state))
    if _chance(draw, 1, 3):
        out.append(route(S3_PREFIX_LIST, "gateway-endpoint", "vpce-s3"))
    return tuple(out)


def _tgw_route_tables(draw: st.DrawFn, b: Builder, attachments: list[str], n_vpcs: int) -> None:
    tables = [f"tgw-rtb-{k}" for k in range(1, draw(st.integers(1, 2)) + 1)]
    assoc: dict[str, list[str]] = {t: [] for t in tables}
    for att in attachments:
        if _chance(draw, 4, 1):
            assoc[draw(st.sampled_from(tables))].append(att)
    for t in tables:
        props = draw(st.lists(st.sampled_from(attachments), unique=True)) if attachments else []
        statics = []
        dests = ["0.0.0.0/0", *(_vpc_cidr(k) for k in range(1, n_vpcs + 1)), "10.1.1.0/24"]
        for dest in draw(st.lists(st.sampled_from(dests), max_size=2, unique=True)):
            if attachments and draw(st.booleans()):
                statics.append(tgw_route(dest, draw(st.sampled_from(attachments))))
            else:
                statics.append(tgw_route(dest, state="blackhole"))
        b.tgw_route_table(
            t,
            "tgw-1",
            *statics,
            associations=tuple(sorted(assoc[t])),
            propagations=tuple(sorted(props)),
        )


def _addresses(network: Network) -> list[str]:
    """Addresses worth sending to: the network's own (private, public, NAT), hosts on the
    internet and on-prem, and a few unowned addresses inside the VPCs."""
    out = {str(a) for e in network.network_interfaces for a in e.addresses}
    out |= {str(a) for e in network.network_interfaces for a in e.public_ips}
    out |= set(INTERNET_HOSTS) | {"192.168.1.7", "172.20.0.9", "10.9.9.9"}
    out |= {str(s.cidr_block.network_address + 99) for s in network.subnets}
    out |= {f"10.{i}.200.1" for i in range(1, len(network.vpcs) + 1)}
    return sorted(out)


@st.composite
def packets(
    draw: st.DrawFn, network: Network, src: str | None = None, dst: str | None = None
) -> Packet:
    """A packet biased towards the network's addresses and common ports; `src` / `dst` fix
    the addresses."""
    pool = _addresses(network)
    src_ip = src or draw(st.sampled_from(pool))
    dst_ip = dst or draw(st.sampled_from(pool))
    protocol = draw(st.sampled_from((TCP, TCP, TCP, UDP, ICMP, 47)))
    if protocol in (TCP, UDP):
        return Packet(
            src_ip=src_ip,  # type: ignore[arg-type]
            dst_ip=dst_ip,  # type: ignore[arg-type]
            protocol=protocol,
            src_port=draw(_SRC_PORTS),
            dst_port=draw(_DST_PORTS),
        )
    if protocol == ICMP:
        return Packet(
            src_ip=src_ip,  # type: ignore[arg-type]
            dst_ip=dst_ip,  # type: ignore[arg-type]
            protocol=ICMP,
            icmp_type=draw(st.sampled_from((8, 0, 3))),
            icmp_code=draw(st.sampled_from((0, 1))),
        )
    return Packet(src_ip=src_ip, dst_ip=dst_ip, protocol=protocol)  # type: ignore[arg-type]


@st.composite
def queries(draw: st.DrawFn, network: Network) -> tuple[Origin, Packet]:
    """An origin and a packet that suits it (mostly: an interface sends from its own address
    to another interface or a public host, the internet from a public host to a public IP of
    the network, on-prem from an on-prem host)."""
    if network.get(REMOTE_PCX) is not None and _chance(draw, 1, 3):
        # A host of the peered VPC outside the snapshot, entering over the peering.
        private = sorted({str(a) for e in network.network_interfaces for a in e.addresses})
        dst = draw(st.sampled_from(private or _addresses(network)))
        src = draw(st.sampled_from(("10.9.9.9", "10.9.0.20")))
        origin = Origin(kind=OriginKind.PEERING, peering_id=REMOTE_PCX)
        return origin, draw(packets(network, src, dst))
    kind = draw(st.sampled_from(("interface",) * 5 + ("internet", "internet", "onprem")))
    private = sorted({str(a) for e in network.network_interfaces for a in e.addresses})
    public = sorted({str(a) for e in network.network_interfaces for a in e.public_ips})
    hosts = sorted(
        str(a)
        for e in network.network_interfaces
        if e.owner_kind is not InterfaceOwnerKind.NAT_GATEWAY
        for a in e.public_ips
    )
    same_vpc: list[str] = []
    if kind == "interface" and network.network_interfaces:
        eni = draw(st.sampled_from(network.network_interfaces))
        src = str(eni.primary_address) if _chance(draw, 9, 1) else None
        dst_pool = draw(
            st.sampled_from(("same-vpc", "private", "same-vpc", "public", "internet", "any"))
        )
        same_vpc = sorted(
            {
                str(a)
                for e in network.network_interfaces
                if e.vpc_id == eni.vpc_id
                for a in e.addresses
            }
        )
    elif kind == "onprem":
        ranges = [str(c.network_address + 7) for c in network.declared_onprem_cidrs()]
        src = draw(st.sampled_from(ranges or ["192.168.1.7"]))
        dst_pool = draw(st.sampled_from(("private", "any")))
    else:
        src = draw(st.sampled_from(INTERNET_HOSTS))
        dst_pool = draw(st.sampled_from(("hosts", "hosts", "public", "any")))
    pools = {"private": private, "public": public, "hosts": hosts, "internet": list(INTERNET_HOSTS)}
    pools["same-vpc"] = same_vpc
    dst = draw(st.sampled_from(pools.get(dst_pool) or _addresses(network)))
    origin = from_eni(eni.id) if kind == "interface" and network.network_interfaces else None
    if origin is None:
        origin = ONPREM if kind == "onprem" else INTERNET
    return origin, draw(packets(network, src, dst))


class Case(NamedTuple):
    network: Network
    origin: Origin
    packet: Packet


@st.composite
def network_and_packet(draw: st.DrawFn) -> Case:
    """A random network with a query on it: `Case(network, origin, packet)`."""
    network = draw(networks())
    origin, packet = draw(queries(network))
    return Case(network, origin, packet)


# -- asymmetric routes (issue #9 §1) ------------------------------------------------------------


@st.composite
def asymmetric_networks(draw: st.DrawFn) -> Network:
    """Two VPCs whose routes are often asymmetric, so that replies take another way back than
    the forward packet (forwarding.md "Connections (default) and replies"):

    - vpc-1 has an IGW, a public subnet with nat-1, and an app subnet whose interfaces may
      have public IPs while its default route goes to nat-1 (or to the IGW);
    - vpc-1 and vpc-2 are peered (pcx-12) and attached to tgw-1; each side routes the other
      VPC's CIDR through the peering, the TGW, or not at all, drawn independently (so a route
      on one side only is common), and vpc-2 has its own IGW and a default route to it;
    - NACLs and security groups are drawn as in `networks()`.
    """
    b = Builder()
    cidr_pool = (*_WIDE_CIDRS, _vpc_cidr(1), _vpc_cidr(2), "10.1.2.0/24")
    b.vpc("vpc-1", _vpc_cidr(1))
    b.vpc("vpc-2", _vpc_cidr(2))
    b.igw("igw-1", "vpc-1")
    if _chance(draw, 3, 1):
        b.igw("igw-2", "vpc-2")
    az2 = draw(st.sampled_from(AZS))
    b.subnet("subnet-1-1", "vpc-1", "10.1.1.0/24", AZS[0], rtb="rtb-1-pub")
    b.subnet("subnet-1-2", "vpc-1", "10.1.2.0/24", AZS[0], rtb="rtb-1-app")
    b.subnet("subnet-2-1", "vpc-2", "10.2.1.0/24", az2, rtb="rtb-2")
    b.pcx("pcx-12", "vpc-1", "vpc-2")
    b.tgw("tgw-1")
    b.tgw_vpc_attachment("tgw-attach-1", "tgw-1", "vpc-1", "subnet-1-2")
    b.tgw_vpc_attachment("tgw-attach-2", "tgw-1", "vpc-2", "subnet-2-1")
    tgw_routes = [tgw_route(_vpc_cidr(i), f"tgw-attach-{i}") for i in (1, 2) if _chance(draw, 3, 1)]
    b.tgw_route_table(
        "tgw-rtb-1",
        "tgw-1",
        *tgw_routes,
        associations=("tgw-attach-1", "tgw-attach-2"),
    )
    b.nat("nat-1", "subnet-1-1", "10.1.1.100", "3.0.0.100" if _chance(draw, 4, 1) else None)

    def to_other(i: int) -> tuple[Route, ...]:
        way = draw(st.sampled_from(("pcx", "tgw", "none", "pcx", "tgw")))
        other = _vpc_cidr(3 - i)
        if way == "pcx":
            return (route(other, "vpc-peering-connection", "pcx-12"),)
        if way == "tgw":
            return (route(other, "transit-gateway", "tgw-1"),)
        return ()

    b.route_table("rtb-1-pub", "vpc-1", route("0.0.0.0/0", "internet-gateway", "igw-1"))
    app_default = draw(st.sampled_from(("nat-gateway", "nat-gateway", "internet-gateway")))
    app_target = "nat-1" if app_default == "nat-gateway" else "igw-1"
    b.route_table("rtb-1-app", "vpc-1", route("0.0.0.0/0", app_default, app_target), *to_other(1))
    b.route_table("rtb-2", "vpc-2", route("0.0.0.0/0", "internet-gateway", "igw-2"), *to_other(2))
    group_ids = ("sg-1", "sg-2")
    for g in group_ids:
        # Mostly open groups: the point here is the routes, and replies skip groups anyway.
        if _chance(draw, 2, 1):
            b.sg(g, None, ingress(), egress())
            continue
        b.sg(
            g,
            None,
            *draw(_sg_rules(Direction.INGRESS, cidr_pool, group_ids)),
            *draw(_sg_rules(Direction.EGRESS, cidr_pool, group_ids)),
        )
    public = iter(range(10, 250))
    for subnet_id, base in (
        ("subnet-1-2", "10.1.2"),
        ("subnet-2-1", "10.2.1"),
        ("subnet-1-1", "10.1.1"),
    ):
        for k in range(draw(st.integers(1, 2)) if subnet_id != "subnet-1-1" else 1):
            ip = f"3.0.0.{next(public)}" if _chance(draw, 3, 1) else None
            groups = draw(st.lists(st.sampled_from(group_ids), min_size=1, max_size=2, unique=True))
            b.eni(
                f"eni-{subnet_id[7:]}-{k}",
                subnet_id,
                f"{base}.{10 + k}",
                *sorted(groups),
                public=ip,
            )
    for vpc in ("vpc-1", "vpc-2"):
        b.acl(f"acl-default-{vpc}", vpc, *draw(_nacl_entries(cidr_pool)))
    return b.build()


@st.composite
def asymmetric_network_and_packet(draw: st.DrawFn) -> Case:
    """`asymmetric_networks()` with a query on it: `Case(network, origin, packet)`."""
    network = draw(asymmetric_networks())
    kind = draw(st.sampled_from(("internet", "across", "across", "any")))
    enis = [e for e in network.network_interfaces if e.owner_kind is InterfaceOwnerKind.INSTANCE]
    publics = sorted(str(a) for e in enis for a in e.public_ips)
    if kind == "internet" and publics:
        src, dst = draw(st.sampled_from(INTERNET_HOSTS)), draw(st.sampled_from(publics))
        return Case(network, INTERNET, draw(packets(network, src, dst)))
    if kind == "across":
        eni = draw(st.sampled_from(enis))
        others = sorted(str(e.primary_address) for e in enis if e.vpc_id != eni.vpc_id)
        if others:
            dst = draw(st.sampled_from(others))
            packet = draw(packets(network, str(eni.primary_address), dst))
            return Case(network, from_eni(eni.id), packet)
    origin, packet = draw(queries(network))
    return Case(network, origin, packet)
