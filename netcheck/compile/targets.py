"""Encoders for route targets other than `local`: internet gateway (and the internet), NAT
gateway, VPC peering, transit gateway (and TGW routing), virtual private gateway, gateway
endpoint — one method per AWS behaviour, following docs/semantics/forwarding.md.

Input: the subnet routing the packet, the chosen `Route`, the `SymPacket`, the steps so far.
Output: the candidate `Path`s that continue from there.

Example: `to_igw` adds the source subnet's outbound NACL, then an IGW step whose guard is
"src_ip has a public IP" (`IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS`) and whose link maps the
private source to that public IP in a fresh packet copy.
"""

from __future__ import annotations

import z3

from netcheck.compile.base import (
    DROP,
    UNKNOWN,
    Ctx,
    ExplorerBase,
    Steps,
    available,
    is_public,
)
from netcheck.compile.packet import (
    SymPacket,
    fresh,
    fresh_port,
    in_range,
    ip_in_any,
    ip_is_any,
    same,
)
from netcheck.compile.routing import select_route
from netcheck.compile.steps import NatSession, Path, Rule, Step
from netcheck.model.addresses import IPAddress
from netcheck.model.base import ICMP, TCP, UDP
from netcheck.model.filtering import Direction
from netcheck.model.gateways import (
    InternetGateway,
    NatGateway,
    VpcEndpoint,
    VpcEndpointType,
    VpcPeeringConnection,
)
from netcheck.model.interfaces import NetworkInterface
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind
from netcheck.model.routing import Route, RouteState, RouteTargetKind
from netcheck.model.vpc import Subnet, Vpc


def public_map(network: Network, vpc_id: str) -> list[tuple[IPAddress, IPAddress]]:
    """(private, public) pairs an IGW of `vpc_id` maps: ENI addresses, then NAT addresses.
    Built once per network and VPC (do not modify the list)."""
    key = ("public_map", vpc_id)
    if key not in network.derived:
        network.derived[key] = _public_map(network, vpc_id)
    out: list[tuple[IPAddress, IPAddress]] = network.derived[key]
    return out


def _interfaces_by_vpc(network: Network) -> dict[str, list[NetworkInterface]]:
    """Interfaces per VPC, sorted by id (built once per network)."""
    key = "interfaces_by_vpc"
    if key not in network.derived:
        acc: dict[str, list[NetworkInterface]] = {}
        for e in sorted(network.network_interfaces, key=lambda e: e.id):
            acc.setdefault(e.vpc_id, []).append(e)
        network.derived[key] = acc
    out: dict[str, list[NetworkInterface]] = network.derived[key]
    return out


def _public_map(network: Network, vpc_id: str) -> list[tuple[IPAddress, IPAddress]]:
    pairs: dict[IPAddress, IPAddress] = {}
    for e in _interfaces_by_vpc(network).get(vpc_id, ()):
        for pa in e.private_addresses:
            if pa.public_ip is not None:
                pairs.setdefault(pa.address, pa.public_ip)
    for n in sorted(network.nat_gateways, key=lambda n: n.id):
        if n.vpc_id == vpc_id:
            for a in n.addresses:
                if a.private_ip is not None and a.public_ip is not None:
                    pairs.setdefault(a.private_ip, a.public_ip)
    return sorted(pairs.items())


def public_owners(network: Network) -> list[tuple[IPAddress, str, IPAddress]]:
    """(public IP, VPC, private IP) for every public IP of the snapshot; an ENI's mapping
    wins over a NAT gateway's for the same public IP. Built once per network (do not modify
    the list)."""
    if "public_owners" not in network.derived:
        network.derived["public_owners"] = _public_owners(network)
    out: list[tuple[IPAddress, str, IPAddress]] = network.derived["public_owners"]
    return out


def _public_owners(network: Network) -> list[tuple[IPAddress, str, IPAddress]]:
    owners: dict[IPAddress, tuple[str, IPAddress]] = {}
    for e in network.network_interfaces:
        for pa in e.private_addresses:
            if pa.public_ip is not None:
                owners[pa.public_ip] = (e.vpc_id, pa.address)
    for n in sorted(network.nat_gateways, key=lambda n: n.id):
        for a in n.addresses:
            if a.public_ip is not None and a.private_ip is not None:
                owners.setdefault(a.public_ip, (n.vpc_id, a.private_ip))
    return sorted((pub, v, priv) for pub, (v, priv) in owners.items())


class Targets(ExplorerBase):
    """Route-target encoders (mixed into `Explorer`)."""

    def route_from_subnet(self, s: Subnet, p: SymPacket, steps: Steps, ctx: Ctx) -> list[Path]:
        raise NotImplementedError

    def deliver_in_vpc(
        self, vpc_id: str, src: Subnet | None, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        raise NotImplementedError

    def bad_state(self, steps: Steps, table_id: str, route: Route, ctx: Ctx) -> list[Path]:
        return self.end(
            steps,
            DROP,
            table_id,
            ctx,
            "BAD_STATE_ROUTE",
            f"the target of route {route.label} is not in the snapshot or not available",
        )

    # -- internet gateway and the internet --------------------------------------------------

    def to_igw(
        self, s: Subnet, table_id: str, route: Route, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """IGW egress: outbound NACL, then the private source maps to its public IP
        (`IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS` when it has none); then on the internet."""
        igw = self.net.get(route.target_id or "")
        if not isinstance(igw, InternetGateway) or s.vpc_id not in igw.vpc_ids:
            return self.bad_state(steps, table_id, route, ctx)
        steps = (*steps, self.nacl(s, Direction.EGRESS, p))
        pairs = public_map(self.net, s.vpc_id)
        q = fresh("igw-out")
        mapped = ip_is_any(p.src_ip, [a for a, _ in pairs])
        link = z3.And(
            same(p, q, except_=("src_ip",)),
            *(z3.Implies(p.src_ip == int(a), q.src_ip == int(b)) for a, b in pairs),
        )
        st = Step(
            igw.id,
            "internet-gateway",
            f"igw:{igw.id}:egress",
            f"{igw.id} maps the private source address to its public IP",
            mapped,
            p,
            "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
            (),
            link,
            q,
            action="translate",
        )
        out = self.leaf(
            steps,
            igw.id,
            "internet-gateway",
            f"igw:{igw.id}:no-public-ip",
            z3.Not(mapped),
            p,
            ctx,
            "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
            f"the source has no public IP for {igw.id} to map it to",
        )
        return out + self.on_internet(q, (*steps, st), ctx)

    def on_internet(self, p: SymPacket, steps: Steps, ctx: Ctx) -> list[Path]:
        """On the internet: non-public destinations drop (`IGW_DESTINATION_RFC1918`); a public
        IP of the snapshot enters through its VPC's IGW (none: drop); else exits."""
        if not self.ok(steps):
            return []
        out = self.leaf(
            steps,
            "internet",
            "internet",
            "internet:non-public",
            z3.Not(is_public(p.dst_ip)),
            p,
            ctx,
            "IGW_DESTINATION_RFC1918",
            "the internet does not route to a non-public address",
        )
        owners = public_owners(self.net)
        by_vpc: dict[str, list[tuple[IPAddress, IPAddress]]] = {}
        for pub, vpc_id, priv in owners:
            by_vpc.setdefault(vpc_id, []).append((priv, pub))
        for vpc_id, pairs in sorted(by_vpc.items()):
            igw = self.net.internet_gateway_of(vpc_id)
            if igw is not None and not self._vpc_wanted(vpc_id, igw.id, ctx):
                continue
            hit = ip_is_any(p.dst_ip, [b for _, b in pairs])
            if igw is None:
                out += self.leaf(
                    steps,
                    vpc_id,
                    "internet",
                    f"internet:{vpc_id}:no-igw",
                    hit,
                    p,
                    ctx,
                    "NO_ROUTE_TO_DESTINATION",
                    f"the public address belongs to {vpc_id}, which has no internet gateway",
                )
                continue
            q = fresh("igw-in")
            link = z3.And(
                same(p, q, except_=("dst_ip",)),
                *(z3.Implies(p.dst_ip == int(b), q.dst_ip == int(a)) for a, b in pairs),
            )
            st = Step(
                igw.id,
                "internet-gateway",
                f"igw:{igw.id}:ingress",
                f"{igw.id} maps the public destination to its private address",
                hit,
                p,
                "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
                (),
                link,
                q,
                action="translate",
            )
            out += self.enter_vpc(vpc_id, igw.id, q, (*steps, st), ctx)
        exits = z3.And(is_public(p.dst_ip), z3.Not(ip_is_any(p.dst_ip, [o[0] for o in owners])))
        return out + self.leaf(
            steps,
            "internet",
            "internet",
            "internet:exit",
            exits,
            p,
            ctx,
            None,
            "exits to the internet",
            DispositionKind.EXITS_INTERNET,
        )

    def _vpc_wanted(self, vpc_id: str, gateway_id: str, ctx: Ctx) -> bool:
        """Can a packet entering `vpc_id` through `gateway_id` end anywhere the query cares
        about? (A wanted interface, a NAT reversing a reply, or an edge route table.)"""
        if self.targets is None:
            return True
        derived = self.net.derived
        if "edge_gateways" not in derived:
            derived["edge_gateways"] = frozenset(
                g for t in self.net.route_tables for g in t.gateway_ids
            )
        if gateway_id in derived["edge_gateways"]:
            return True
        nat_subnets = {x.subnet_id for x in ctx.sessions}
        if any(self.net.subnet(sid).vpc_id == vpc_id for sid in nat_subnets):
            return True
        return any(self.wanted(e.id) for e in _interfaces_by_vpc(self.net).get(vpc_id, ()))

    def enter_vpc(
        self, vpc_id: str, gateway_id: str, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """Ingress through an IGW/VGW: its edge-associated route table if any (only `local`
        targets are modelled), else local delivery with no source subnet."""
        if not self.ok(steps):
            return []
        tables = sorted(
            (
                t
                for t in self.net.route_tables
                if t.vpc_id == vpc_id and gateway_id in t.gateway_ids
            ),
            key=lambda t: t.id,
        )
        if not tables:
            return self.deliver_in_vpc(vpc_id, None, p, steps, ctx)
        table = tables[0]
        choices, nothing = select_route(self.net, table, p, self.space(p, "dst_ip"))
        out = self.leaf(
            steps,
            table.id,
            "route-table",
            f"route:{table.id}:none",
            nothing,
            p,
            ctx,
            "NO_ROUTE_TO_DESTINATION",
            f"gateway route table {table.id} has no route",
        )
        for route, cond in choices:
            label = f"route:{table.id}:{route.destination_text}"
            st = (
                *steps,
                self.step(
                    table.id,
                    "route-table",
                    label,
                    f"{table.id}: {route.label}",
                    cond,
                    p,
                    "NO_ROUTE_TO_DESTINATION",
                    (Rule(label, route.label, route.label, cond, True),),
                ),
            )
            if route.state is RouteState.BLACKHOLE:
                out += self.end(
                    st,
                    DROP,
                    table.id,
                    ctx,
                    "BAD_STATE_ROUTE",
                    f"route {route.label} is a blackhole",
                )
            elif route.target_kind is RouteTargetKind.LOCAL:
                out += self.deliver_in_vpc(vpc_id, None, p, st, ctx)
            else:
                out += self.unknown(
                    st,
                    route.target_id or table.id,
                    ctx,
                    f"gateway route table {table.id} sends ingress traffic to {route.label}",
                )
        return out

    # -- NAT gateway ------------------------------------------------------------------------

    def to_nat(
        self, s: Subnet, table_id: str, route: Route, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """NAT gateway: TCP/UDP/ICMP only (`NGW_PROTOCOL_RESTRICTION`), sources inside its VPC
        (`NGW_REQUIRES_SOURCE_IN_VPC`); source := its private IP, source port := a port in
        1024-65535 it chooses (existential); then routed from its subnet."""
        n = self.net.get(route.target_id or "")
        if not isinstance(n, NatGateway) or not available(n.state) or n.vpc_id != s.vpc_id:
            return self.bad_state(steps, table_id, route, ctx)
        nsub = self.net.subnet(n.subnet_id)
        steps = (*steps, self.nacl(s, Direction.EGRESS, p))
        if nsub.id != s.id:
            steps = (*steps, self.nacl(nsub, Direction.INGRESS, p))
        proto_ok = z3.Or(p.protocol == TCP, p.protocol == UDP, p.protocol == ICMP)
        out = self.leaf(
            steps,
            n.id,
            "nat-gateway",
            f"nat:{n.id}:protocol",
            z3.Not(proto_ok),
            p,
            ctx,
            "NGW_PROTOCOL_RESTRICTION",
            f"{n.id} only translates TCP, UDP and ICMP",
        )
        steps = (
            *steps,
            self.step(
                n.id,
                "nat-gateway",
                f"nat:{n.id}:protocol-ok",
                f"{n.id} translates TCP, UDP and ICMP",
                proto_ok,
                p,
                "NGW_PROTOCOL_RESTRICTION",
            ),
        )
        vpc = self.net.vpc(s.vpc_id)
        inside = ip_in_any(p.src_ip, list(vpc.cidr_blocks))
        out += self.leaf(
            steps,
            n.id,
            "nat-gateway",
            f"nat:{n.id}:source",
            z3.Not(inside),
            p,
            ctx,
            "NGW_REQUIRES_SOURCE_IN_VPC",
            f"{n.id} only serves sources in {vpc.id}",
        )
        addrs = [a for a in n.addresses if a.private_ip is not None]
        if not addrs:
            return out + self.unknown(
                steps,
                n.id,
                ctx,
                f"{n.id} has no private address in the snapshot",
                "UNKNOWN_RESOURCE",
            )
        nat_ip = ([a for a in addrs if a.primary] or addrs)[0].private_ip
        assert nat_ip is not None
        port = fresh_port(f"natport:{n.id}")
        pinned = self.nat_ports.get(n.id)
        q = fresh("nat-out")
        link = z3.And(
            same(p, q, except_=("src_ip", "src_port")),
            q.src_ip == int(nat_ip),
            in_range(port, 1024, 65535) if pinned is None else port == pinned,
            z3.If(p.has_ports(), q.src_port == port, q.src_port == p.src_port),
        )
        st = Step(
            n.id,
            "nat-gateway",
            f"nat:{n.id}:translate",
            f"{n.id} translates the source to {nat_ip}",
            inside,
            p,
            "NGW_REQUIRES_SOURCE_IN_VPC",
            (),
            link,
            q,
            ((n.id, port),),
            action="translate",
        )
        sess = NatSession(n.id, nsub.id, int(nat_ip), port, p.src_ip, p.src_port)
        ctx = Ctx(ctx.reply, ctx.az, ctx.sessions, (*ctx.made, sess), ctx.routed)
        return out + self.route_from_subnet(nsub, q, (*steps, st), ctx)

    # -- VPC peering ------------------------------------------------------------------------

    def to_peering(
        self, s: Subnet, table_id: str, route: Route, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """Peering: active and joining this VPC; the destination must be in the peer's CIDR
        blocks (`PCX_REQUIRES_ADDRESS_IN_VPC_CIDR`); delivered there, never routed on."""
        pcx = self.net.get(route.target_id or "")
        if (
            not isinstance(pcx, VpcPeeringConnection)
            or pcx.status.lower() != "active"
            or pcx.peer_of(s.vpc_id) is None
        ):
            return self.bad_state(steps, table_id, route, ctx)
        steps = (*steps, self.nacl(s, Direction.EGRESS, p))
        peer_id = pcx.peer_of(s.vpc_id) or ""
        peer = self.net.get(peer_id)
        if not isinstance(peer, Vpc):
            return self.unknown(
                steps,
                peer_id,
                ctx,
                f"peer VPC {peer_id} is not in the snapshot",
                "UNKNOWN_RESOURCE",
            )
        inside = ip_in_any(p.dst_ip, list(peer.cidr_blocks))
        out = self.leaf(
            steps,
            pcx.id,
            "vpc-peering-connection",
            f"pcx:{pcx.id}:outside",
            z3.Not(inside),
            p,
            ctx,
            "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
            f"the destination is not in the CIDR blocks of {peer.id} (peering is not transitive)",
        )
        st = self.step(
            pcx.id,
            "vpc-peering-connection",
            f"pcx:{pcx.id}",
            f"{pcx.id}: {s.vpc_id} -> {peer.id}",
            inside,
            p,
            "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
        )
        return out + self.deliver_in_vpc(peer.id, None, p, (*steps, st), ctx)

    def to_endpoint(
        self, s: Subnet, table_id: str, route: Route, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """Gateway endpoint (prefix-list route): outbound NACL, then the service."""
        ep = self.net.get(route.target_id or "")
        if (
            not isinstance(ep, VpcEndpoint)
            or ep.endpoint_type is not VpcEndpointType.GATEWAY
            or not available(ep.state)
        ):
            return self.bad_state(steps, table_id, route, ctx)
        steps = (*steps, self.nacl(s, Direction.EGRESS, p))
        return self.end(steps, DispositionKind.DELIVERED_SERVICE, ep.id, ctx, None, ep.service_name)


__all__ = ["UNKNOWN", "Targets", "public_map", "public_owners"]
