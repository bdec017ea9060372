"""The concrete packet walker: follows docs/semantics/forwarding.md step by step for one
concrete packet and records every hop.

Input: a `Network`, a concrete `Packet` and its `Origin` (and, for a reply, the forward
`Trace`). Output: a `Trace` with the hops in order and the disposition.

This is the independent oracle for the Z3 engine: plain Python, no z3, nothing shared with
`netcheck/compile`. Each method implements one paragraph of forwarding.md and says which.

    >>> from netcheck.model import Network
    >>> from netcheck.model.packet import Origin, OriginKind, Packet
    >>> p = Packet(src_ip="8.8.8.8", dst_ip="1.1.1.1", protocol=6, src_port=1, dst_port=443)
    >>> walk(Network(), p, Origin(kind=OriginKind.INTERNET)).disposition.kind.value
    'exits-internet'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any, NoReturn

from netcheck.errors import QueryError
from netcheck.model import (
    ICMP,
    TCP,
    UDP,
    Direction,
    InterfaceOwnerKind,
    InternetGateway,
    NatGateway,
    Network,
    NetworkAcl,
    NetworkInterface,
    Route,
    RouteState,
    RouteTable,
    RouteTargetKind,
    RuleAction,
    SecurityGroup,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
    Vpc,
    VpcEndpoint,
    VpcEndpointType,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from netcheck.model.base import IPNetwork
from netcheck.model.packet import (
    Disposition,
    DispositionKind,
    Hop,
    Origin,
    OriginKind,
    Packet,
)
from netcheck.walk.match import (
    in_cidr,
    is_public,
    longest_prefix_match,
    nacl_decide,
    sg_rule_matches,
    tgw_longest_prefix_match,
)
from netcheck.walk.trace import Trace, reply_ends_at_origin

MAX_HOPS = 64
DEFAULT_NAT_PORT = 1024


class _Stop(Exception):
    """Raised to end a walk with its disposition (keeps every step a straight-line method)."""

    def __init__(self, disposition: Disposition) -> None:
        super().__init__(disposition.kind.value)
        self.disposition = disposition


@dataclass(frozen=True)
class NatSession:
    """A NAT gateway crossed by a forward trace: the packet as it reached the NAT and as the
    NAT sent it on."""

    nat_id: str
    before: Packet
    after: Packet


def nat_sessions(trace: Trace) -> tuple[NatSession, ...]:
    """The NAT translations of a forward trace, in path order."""
    current = trace.packet
    out: list[NatSession] = []
    for hop in trace.hops:
        if hop.packet_out is None:
            continue
        if hop.kind == "nat-gateway" and hop.action == "translate":
            out.append(NatSession(hop.component_id, current, hop.packet_out))
        current = hop.packet_out
    return tuple(out)


def _with(packet: Packet, **changes: Any) -> Packet:
    return Packet(**{**packet.model_dump(), **changes})


def _available(state: str) -> bool:
    return state.lower() == "available"


@dataclass(frozen=True)
class _TgwTarget:
    gateway: TransitGateway
    attachments: tuple[TransitGatewayAttachment, ...]


class _Walker:
    """One walk of one packet. Methods raise `_Stop` when the packet's fate is decided."""

    def __init__(
        self,
        network: Network,
        packet: Packet,
        *,
        reply_of: Trace | None,
        nat_ports: Mapping[str, int] | None,
    ) -> None:
        self.net = network
        self.packet = packet
        self.hops: list[Hop] = []
        self.is_reply = reply_of is not None
        self.sessions = nat_sessions(reply_of) if reply_of is not None else ()
        self.nat_ports = dict(nat_ports or {})

    # -- bookkeeping ----------------------------------------------------------------------

    def hop(
        self,
        component_id: str,
        kind: str,
        action: str = "pass",
        rule: str | None = None,
        detail: str = "",
        packet_out: Packet | None = None,
    ) -> None:
        if len(self.hops) >= MAX_HOPS:
            self.finish(
                DispositionKind.UNKNOWN,
                component_id,
                None,
                f"routing loop: more than {MAX_HOPS} hops (next: {component_id})",
            )
        self.hops.append(
            Hop(
                component_id=component_id,
                kind=kind,
                action=action,
                rule=rule,
                detail=detail,
                packet_out=packet_out,
            )
        )

    def finish(
        self, kind: DispositionKind, component_id: str | None, code: str | None, reason: str
    ) -> NoReturn:
        raise _Stop(
            Disposition(
                kind=kind,
                component_id=component_id,
                code=code,
                reason=reason,
                final_packet=self.packet,
            )
        )

    def drop(self, code: str, component_id: str, reason: str) -> NoReturn:
        self.finish(DispositionKind.DROPPED, component_id, code, reason)

    def unknown(
        self, component_id: str, reason: str, code: str = "UNSUPPORTED_COMPONENT"
    ) -> NoReturn:
        self.finish(DispositionKind.UNKNOWN, component_id, code, reason)

    def translate(self, component_id: str, kind: str, new: Packet, detail: str) -> None:
        self.hop(component_id, kind, "translate", detail=detail, packet_out=new)
        self.packet = new

    def lookup(self, resource_id: str, kind: type[Any], what: str) -> Any:
        """A resource the path needs; one missing from the snapshot makes the walk unknown."""
        r = self.net.get(resource_id)
        if not isinstance(r, kind):
            self.unknown(
                resource_id, f"{what} {resource_id} is not in the snapshot", "UNKNOWN_RESOURCE"
            )
        return r

    # -- origins (forwarding.md "Leaving an interface", "Entering from outside") -------------

    def start_interface(self, eni: NetworkInterface) -> None:
        subnet: Subnet = self.lookup(eni.subnet_id, Subnet, "subnet")
        if eni.source_dest_check and self.packet.src_ip not in eni.addresses:
            self.hop(eni.id, "eni-egress", "deny", rule="source/destination check")
            self.drop(
                "ENI_SOURCE_DEST_CHECK_RESTRICTION",
                eni.id,
                f"{self.packet.src_ip} is not an address of {eni.id} and its "
                "source/destination check is enabled",
            )
        check = "source/destination check" if eni.source_dest_check else "check disabled"
        self.hop(eni.id, "eni-egress", rule=check)
        if not self.is_reply:
            self.security_groups(eni, Direction.EGRESS)
        self.route_from(subnet)

    def start_internet(self) -> None:
        if not is_public(self.packet.src_ip):
            self.hop("internet", "internet", "deny", detail="source address is not public")
            self.drop(
                "SOURCE_NOT_PUBLIC",
                "internet",
                f"a packet from the internet needs a public source; {self.packet.src_ip} is not",
            )
        self.on_internet()

    def start_onprem(self, entry: _OnpremEntry) -> None:
        self.hop("onprem", "onprem", detail=f"enters through {entry.component_id}")
        if entry.attachment is not None:
            att = entry.attachment
            self.hop(att.transit_gateway_id, "transit-gateway", detail=f"from {att.id}")
            self.tgw_route(att, None)
        assert entry.vpc_id is not None
        self.hop(entry.component_id, "virtual-private-gateway", detail=f"into {entry.vpc_id}")
        self.enter_vpc_via_gateway(entry.component_id, entry.vpc_id)

    # -- filters ------------------------------------------------------------------------------

    def security_groups(self, eni: NetworkInterface, direction: Direction) -> None:
        """Union of the rules of every group of `eni` (forwarding.md "Security group
        matching"); no rule matches: `ENI_SG_RULES_MISMATCH`."""
        missing: list[str] = []
        for group_id in sorted(eni.group_ids):
            group = self.net.get(group_id)
            if not isinstance(group, SecurityGroup):
                missing.append(group_id)
                continue
            for rule in group.rules(direction):
                if sg_rule_matches(self.net, rule, self.packet):
                    self.hop(
                        group_id,
                        "security-group",
                        rule=rule.rule_id,
                        detail=f"{direction.value} {rule.peer_text}",
                    )
                    return
        if missing:
            self.unknown(
                missing[0],
                f"security group {missing[0]} of {eni.id} is not in the snapshot",
                "UNKNOWN_RESOURCE",
            )
        groups = ", ".join(sorted(eni.group_ids)) or "any group"
        self.hop(
            eni.id,
            "security-group",
            "deny",
            detail=f"no {direction.value} rule of {groups} matches",
        )
        self.drop(
            "ENI_SG_RULES_MISMATCH",
            eni.id,
            f"no {direction.value} security-group rule of {eni.id} allows {self.packet}",
        )

    def nacl(self, subnet: Subnet, direction: Direction) -> None:
        """First matching entry by ascending rule number; none: the `*` deny."""
        acl: NetworkAcl = self.lookup(subnet.network_acl_id, NetworkAcl, "network ACL")
        entry = nacl_decide(acl, direction, self.packet)
        detail = f"{direction.value} of {subnet.id}"
        if entry is not None and entry.action is RuleAction.ALLOW:
            self.hop(acl.id, "network-acl", rule=entry.rule_text, detail=detail)
            return
        rule = entry.rule_text if entry is not None else "*"
        self.hop(acl.id, "network-acl", "deny", rule=rule, detail=detail)
        self.drop(
            "SUBNET_ACL_RESTRICTION",
            acl.id,
            f"{direction.value} rule {rule} of {acl.id} ({subnet.id}) denies {self.packet}",
        )

    # -- routing (forwarding.md "Routing from a subnet") -------------------------------------

    def route_from(self, subnet: Subnet, *, egress_checked: bool = False) -> None:
        """Route from `subnet`. `egress_checked`: the subnet's outbound NACL has already
        passed this very packet (TGW egress subnet), so it is not listed twice."""
        table: RouteTable = self.lookup(subnet.route_table_id, RouteTable, "route table")
        match = longest_prefix_match(self.net, table.routes, self.packet.dst_ip)
        if match is None:
            self.hop(table.id, "route-table", "deny", detail=f"no route to {self.packet.dst_ip}")
            self.drop(
                "NO_ROUTE_TO_DESTINATION",
                table.id,
                f"{table.id} has no route to {self.packet.dst_ip}",
            )
        route = match.route
        if route.state is RouteState.BLACKHOLE:
            self.hop(table.id, "route-table", "deny", rule=route.label, detail="blackhole")
            self.drop(
                "BAD_STATE_ROUTE", table.id, f"route {route.label} of {table.id} is a blackhole"
            )
        handler = _HANDLERS.get(route.target_kind)
        if handler is None:
            self.hop(table.id, "route-table", rule=route.label, detail=f"matched {match.prefix}")
            self.unknown(
                route.target_id or table.id,
                f"route {route.label} of {table.id} targets a {route.target_kind.value}; "
                "forwarding through it is not modelled",
            )
        resolve, forward = handler
        target = resolve(self, route, subnet)
        if target is None:
            self.hop(table.id, "route-table", "deny", rule=route.label, detail="target unavailable")
            self.drop(
                "BAD_STATE_ROUTE",
                table.id,
                f"the target of route {route.label} of {table.id} is not in the snapshot or "
                "not available",
            )
        self.hop(table.id, "route-table", rule=route.label, detail=f"matched {match.prefix}")
        forward(self, subnet, target, egress_checked)

    def leave(self, subnet: Subnet, egress_checked: bool) -> None:
        if not egress_checked:
            self.nacl(subnet, Direction.EGRESS)

    # local -----------------------------------------------------------------------------------

    def _resolve_local(self, route: Route, subnet: Subnet) -> object:
        return subnet.vpc_id

    def _to_local(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        self.deliver_in_vpc(subnet.vpc_id, subnet, egress_checked=egress_checked)

    def deliver_in_vpc(
        self, vpc_id: str, source: Subnet | None, *, egress_checked: bool = False
    ) -> None:
        """Deliver inside `vpc_id` ("local"): the subnet containing `dst_ip`, its NACLs unless
        it is the source subnet, then the ENI that owns `dst_ip`."""
        dst = self.packet.dst_ip
        dest = self.net.subnet_containing(vpc_id, dst)
        if dest is None:
            self.drop("NO_ROUTE_TO_DESTINATION", vpc_id, f"{dst} is in no subnet of {vpc_id}")
        if source is None:
            self.nacl(dest, Direction.INGRESS)
        elif dest.id != source.id:
            self.leave(source, egress_checked)
            self.nacl(dest, Direction.INGRESS)
        self.arrive(dest)

    def arrive(self, subnet: Subnet) -> None:
        """forwarding.md "Arriving at an interface"."""
        dst = self.packet.dst_ip
        nat = self.nat_with_address(subnet, dst)
        if nat is not None:
            self.at_nat(nat)
        owners = sorted(
            (e for e in self.net.interfaces_with_address(dst) if e.subnet_id == subnet.id),
            key=lambda e: e.id,
        )
        if not owners:
            self.drop(
                "NO_ROUTE_TO_DESTINATION",
                subnet.id,
                f"no interface of {subnet.id} has address {dst}",
            )
        eni = owners[0]
        if not self.is_reply:
            self.security_groups(eni, Direction.INGRESS)
        self.hop(eni.id, "eni-ingress")
        self.finish(DispositionKind.DELIVERED, eni.id, None, f"delivered to {eni.id}")

    def nat_with_address(self, subnet: Subnet, address: IPv4Address) -> NatGateway | None:
        """The NAT gateway of `subnet` that owns `address` (by its addresses or its ENI)."""
        owner_ids = {
            e.owner_id
            for e in self.net.interfaces_with_address(address)
            if e.subnet_id == subnet.id and e.owner_kind is InterfaceOwnerKind.NAT_GATEWAY
        }
        eni_ids = {e.id for e in self.net.interfaces_with_address(address)}
        for nat in sorted(self.net.nat_gateways, key=lambda n: n.id):
            if nat.subnet_id != subnet.id:
                continue
            if nat.id in owner_ids or any(
                a.private_ip == address
                or (a.interface_id is not None and a.interface_id in eni_ids)
                for a in nat.addresses
            ):
                return nat
        return None

    def at_nat(self, nat: NatGateway) -> NoReturn:
        """A packet addressed to a NAT gateway: only the reply of one of its sessions passes
        (reverse translation, then routed from the NAT's subnet)."""
        p = self.packet
        for s in self.sessions:
            if (
                s.nat_id == nat.id
                and p.protocol == s.after.protocol
                and p.dst_ip == s.after.src_ip
                and (p.protocol not in (TCP, UDP) or p.dst_port == s.after.src_port)
            ):
                new = _with(p, dst_ip=s.before.src_ip, dst_port=s.before.src_port)
                self.translate(nat.id, "nat-gateway", new, "reverse translation of the NAT session")
                self.route_from(self.lookup(nat.subnet_id, Subnet, "subnet"))
                raise AssertionError("route_from always stops")  # pragma: no cover
        self.hop(nat.id, "nat-gateway", "deny", detail="unsolicited inbound")
        self.drop(
            "NGW_NO_UNSOLICITED_INBOUND", nat.id, f"{nat.id} accepts no unsolicited inbound packets"
        )

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
            target.id, "internet-gateway", _with(self.packet, src_ip=public), f"{src} -> {public}"
        )
        self.on_internet()

    def public_ip_for(self, vpc_id: str, private: IPv4Address) -> IPv4Address | None:
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

    def owner_of_public_ip(self, public: IPv4Address) -> tuple[str, IPv4Address] | None:
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
            igw.id, "internet-gateway", _with(self.packet, dst_ip=private), f"{dst} -> {private}"
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
        if isinstance(nat, NatGateway) and _available(nat.state) and nat.vpc_id == subnet.vpc_id:
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
        new = _with(p, **changes)
        self.translate(
            nat.id, "nat-gateway", new, f"{p.src_ip}:{p.src_port} -> {private}:{new.src_port}"
        )
        self.route_from(nat_subnet)

    def nat_private_ip(self, nat: NatGateway) -> IPv4Address:
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
        if not isinstance(tgw, TransitGateway) or not _available(tgw.state):
            return None
        attachments = tuple(
            sorted(
                (
                    a
                    for a in self.net.transit_gateway_attachments_of_vpc(subnet.vpc_id, tgw.id)
                    if _available(a.state)
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
        if att_subnet.id != subnet.id:
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
        if not isinstance(nxt, TransitGatewayAttachment) or not _available(nxt.state):
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
            self.nacl(egress, Direction.EGRESS)
            self.route_from(egress, egress_checked=True)
            raise AssertionError("route_from always stops")  # pragma: no cover
        if nxt.resource_type is TransitGatewayAttachmentType.VPN:
            vpn = self.net.get(nxt.resource_id or "")
            ranges = vpn.onprem_cidrs if isinstance(vpn, VpnConnection) else ()
            self.exit_onprem(nxt.id, "transit-gateway", ranges + self.net.onprem_cidrs)
        self.unknown(
            nxt.id, f"transit gateway {nxt.resource_type.value} attachments are not modelled"
        )

    # virtual private gateway, gateway endpoint ----------------------------------------------

    def _resolve_vgw(self, route: Route, subnet: Subnet) -> object:
        vgw = self.net.get(route.target_id or "")
        if isinstance(vgw, VpnGateway) and _available(vgw.state) and subnet.vpc_id in vgw.vpc_ids:
            return vgw
        return None

    def _to_vgw(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        assert isinstance(target, VpnGateway)
        self.leave(subnet, egress_checked)
        ranges = tuple(
            c
            for v in self.net.vpn_connections
            if v.vpn_gateway_id == target.id and _available(v.state)
            for c in v.onprem_cidrs
        )
        self.exit_onprem(target.id, "virtual-private-gateway", ranges + self.net.onprem_cidrs)

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
            and _available(vpce.state)
        ):
            return vpce
        return None

    def _to_vpce(self, subnet: Subnet, target: object, egress_checked: bool) -> None:
        assert isinstance(target, VpcEndpoint)
        self.leave(subnet, egress_checked)
        self.hop(target.id, "vpc-endpoint", detail=target.service_name)
        self.finish(DispositionKind.DELIVERED_SERVICE, target.id, None, target.service_name)


_Resolve = Callable[[_Walker, Route, Subnet], object]
_Forward = Callable[[_Walker, Subnet, object, bool], None]

# Route target kinds the walker follows; any other kind (appliances, GWLB endpoints, carrier
# and local gateways, core networks, egress-only IGW for IPv4) makes the walk `unknown`.
_HANDLERS: dict[RouteTargetKind, tuple[_Resolve, _Forward]] = {
    RouteTargetKind.LOCAL: (_Walker._resolve_local, _Walker._to_local),
    RouteTargetKind.INTERNET_GATEWAY: (_Walker._resolve_igw, _Walker._to_igw),
    RouteTargetKind.NAT_GATEWAY: (_Walker._resolve_nat, _Walker._to_nat),
    RouteTargetKind.VPC_PEERING_CONNECTION: (_Walker._resolve_pcx, _Walker._to_pcx),
    RouteTargetKind.TRANSIT_GATEWAY: (_Walker._resolve_tgw, _Walker._to_tgw),
    RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY: (_Walker._resolve_vgw, _Walker._to_vgw),
    RouteTargetKind.GATEWAY_ENDPOINT: (_Walker._resolve_vpce, _Walker._to_vpce),
}


# -- on-prem entry points -----------------------------------------------------------------------


@dataclass(frozen=True)
class _OnpremEntry:
    """Where an on-prem packet enters: a VGW into a VPC, or a TGW VPN attachment."""

    component_id: str
    vpc_id: str | None = None
    attachment: TransitGatewayAttachment | None = None


def _onprem_entries(network: Network, src: IPv4Address) -> tuple[_OnpremEntry, ...]:
    """Every VGW (per attached VPC) and TGW VPN attachment whose VPN has a range containing
    `src`, sorted by id."""
    out: list[_OnpremEntry] = []
    for vpn in sorted(network.vpn_connections, key=lambda v: v.id):
        if not _available(vpn.state) or not any(in_cidr(src, c) for c in vpn.onprem_cidrs):
            continue
        vgw = network.get(vpn.vpn_gateway_id or "")
        if isinstance(vgw, VpnGateway) and _available(vgw.state):
            out.extend(_OnpremEntry(vgw.id, vpc_id=v) for v in sorted(vgw.vpc_ids))
        for att in network.transit_gateway_attachments:
            if (
                att.resource_type is TransitGatewayAttachmentType.VPN
                and att.resource_id == vpn.id
                and _available(att.state)
            ):
                out.append(_OnpremEntry(att.id, attachment=att))
    unique = {(e.component_id, e.vpc_id): e for e in out}
    return tuple(unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1] or "")))


# -- entry point ----------------------------------------------------------------------------


def _run(
    network: Network,
    packet: Packet,
    origin: Origin,
    start: Callable[[_Walker], None],
    reply_of: Trace | None,
    nat_ports: Mapping[str, int] | None,
) -> Trace:
    walker = _Walker(network, packet, reply_of=reply_of, nat_ports=nat_ports)
    try:
        start(walker)
    except _Stop as stop:
        return Trace(
            origin=origin, packet=packet, hops=tuple(walker.hops), disposition=stop.disposition
        )
    raise AssertionError("a walk always ends with a disposition")  # pragma: no cover


def walk(
    network: Network,
    packet: Packet,
    origin: Origin,
    *,
    reply_of: Trace | None = None,
    nat_ports: Mapping[str, int] | None = None,
) -> Trace:
    """Walk one concrete packet from `origin` through `network` (forwarding.md).

    `reply_of`: treat `packet` as the reply of that forward trace (security groups skipped,
    NAT sessions of the forward trace reverse-translated). `nat_ports`: the source port each
    NAT gateway picks (default 1024).
    """
    run = _run
    if origin.kind is OriginKind.INTERFACE:
        eni = network.get(origin.interface_id or "")
        if not isinstance(eni, NetworkInterface):
            raise QueryError(f"origin interface {origin.interface_id!r} is not in the network")
        return run(network, packet, origin, lambda w: w.start_interface(eni), reply_of, nat_ports)
    if origin.kind is OriginKind.INTERNET:
        return run(network, packet, origin, _Walker.start_internet, reply_of, nat_ports)
    entries = _onprem_entries(network, packet.src_ip)
    if not entries:
        return run(network, packet, origin, _no_onprem_entry, reply_of, nat_ports)
    traces = [
        run(network, packet, origin, lambda w, e=e: w.start_onprem(e), reply_of, nat_ports)  # type: ignore[misc]
        for e in entries
    ]
    return _best(traces, reply_of)


def _no_onprem_entry(w: _Walker) -> None:
    src = w.packet.src_ip
    if not any(in_cidr(src, c) for c in w.net.declared_onprem_cidrs()):
        w.hop("onprem", "onprem", "deny", detail=f"{src} is in no on-prem range")
        w.drop("SOURCE_NOT_ONPREM", "onprem", f"{src} is in no declared on-prem range")
    w.hop("onprem", "onprem", detail="no VPN connection carries this range")
    w.unknown("onprem", f"no VPN connection of the snapshot is known to carry {src}")


def _best(traces: list[Trace], reply_of: Trace | None) -> Trace:
    """An on-prem packet may enter at several places (an existential choice): the first
    trace that succeeds (for a reply: that ends at the forward origin), else the first
    unknown, else the first drop."""

    def rank(t: Trace) -> int:
        if t.success and (reply_of is None or reply_ends_at_origin(reply_of.origin, t)):
            return 0
        if t.success:
            return 1
        return 2 if t.disposition.kind is DispositionKind.UNKNOWN else 3

    return min(traces, key=rank)
