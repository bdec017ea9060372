"""Symbolic forwarding: every candidate path a packet can take from an origin, as labelled
constraints over per-hop packet copies (docs/semantics/forwarding.md, rule by rule).

Input: a `Network`, an `Origin` and a `SymPacket`. Output: a list of `Path`s. For a forward
packet from an interface or the internet the paths partition the packets: each packet meets
the guards of exactly one path, which ends as the forwarding model says (delivered, exits,
dropped, unknown). Branches happen where the header decides where the packet goes (route
selection, the subnet and interface owning `dst_ip`, the IGW mapping); filters (NACL, SG)
are guards of a step. On-prem packets may enter at several places (one branch each).

Route targets dispatch through `ROUTE_TARGETS`; a kind with no entry ends the path `unknown`
(appliances are not modelled), never as a silent pass or drop. Example::

    paths = Explorer(network).from_origin(Origin(kind="interface", interface_id="eni-1"), p)
"""

from __future__ import annotations

from collections.abc import Callable

import z3

from netcheck.compile.base import DROP, UNKNOWN, Ctx, Steps, available, is_public
from netcheck.compile.packet import SymPacket, fresh, ip_in, ip_in_any, ip_is_any, same
from netcheck.compile.routing import select_route
from netcheck.compile.steps import End, NatSession, Path, Rule, Step
from netcheck.compile.transit import Transit
from netcheck.errors import UnsupportedFeature
from netcheck.model.base import TCP, UDP
from netcheck.model.filtering import Direction
from netcheck.model.gateways import NatGateway, VpnGateway
from netcheck.model.hops import HopKind
from netcheck.model.interfaces import InterfaceOwnerKind, NetworkInterface
from netcheck.model.packet import DispositionKind, Origin, OriginKind
from netcheck.model.routing import Route, RouteState, RouteTable, RouteTargetKind
from netcheck.model.transit import TransitGatewayAttachmentType
from netcheck.model.vpc import Subnet

__all__ = ["ROUTE_TARGETS", "Explorer", "is_public"]


class Explorer(Transit):
    """Enumerates the candidate paths of one network, walking the topology symbolically."""

    # -- origins ---------------------------------------------------------------------------

    def from_origin(self, origin: Origin, p: SymPacket) -> list[Path]:
        self.start = p
        ctx = Ctx()
        if origin.kind is OriginKind.INTERFACE:
            return self.leave_interface(self.net.interface(origin.interface_id or ""), p, (), ctx)
        if origin.kind is OriginKind.INTERNET:
            return self.on_internet(p, (), ctx)
        return self.from_onprem(p, (), ctx)

    def reply_from(self, end: End, sessions: tuple[NatSession, ...], r: SymPacket) -> list[Path]:
        """Paths of the reply `r`, which starts where the forward packet arrived (SGs are
        skipped; the forward path's NAT sessions are reversed)."""
        self.start = r
        ctx = Ctx(reply=True, sessions=sessions)
        if end.kind is DispositionKind.DELIVERED and end.component_id:
            return self.leave_interface(self.net.interface(end.component_id), r, (), ctx)
        if end.kind is DispositionKind.EXITS_INTERNET:
            return self.on_internet(r, (), ctx)
        if end.kind is DispositionKind.EXITS_ONPREM:
            return self.from_onprem(r, (), ctx)
        return []

    def leave_interface(
        self, eni: NetworkInterface, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """Leaving an interface: source/destination check, SG egress (not for a reply)."""
        out: list[Path] = []
        if eni.source_dest_check:
            own = ip_is_any(p.src_ip, list(eni.addresses))
            out += self.leaf(
                steps,
                eni.id,
                HopKind.ENI_EGRESS,
                f"eni:{eni.id}:foreign-source",
                z3.Not(own),
                p,
                ctx,
                "ENI_SOURCE_DEST_CHECK_RESTRICTION",
                f"the source is not an address of {eni.id} (source/destination check)",
            )
            steps = (
                *steps,
                self.step(
                    eni.id,
                    HopKind.ENI_EGRESS,
                    f"eni:{eni.id}:source-dest-check",
                    f"{eni.id} sends from its own address",
                    own,
                    p,
                    "ENI_SOURCE_DEST_CHECK_RESTRICTION",
                ),
            )
        if not ctx.reply:
            st, extra = self.security_groups(eni, Direction.EGRESS, p, steps, ctx)
            out += extra
            steps = (*steps, st)
        return out + self.route_from_subnet(self.net.subnet(eni.subnet_id), p, steps, ctx)

    def from_onprem(self, p: SymPacket, steps: Steps, ctx: Ctx) -> list[Path]:
        """Entering from on-premises through every VGW (per attached VPC) and TGW VPN
        attachment whose VPN has a range containing `src_ip` (`Network.vpn_onprem_cidrs`:
        its own ranges, or the declared ones for a BGP VPN); an existential choice."""
        out: list[Path] = []
        carried: list[z3.BoolRef] = []
        for vpn in sorted(self.net.vpn_connections, key=lambda v: v.id):
            if not available(vpn.state):
                continue
            enter = ip_in_any(p.src_ip, list(self.net.vpn_onprem_cidrs(vpn.id)))
            carried.append(enter)
            g = self.net.get(vpn.vpn_gateway_id or "")
            if isinstance(g, VpnGateway) and available(g.state):
                for vpc_id in sorted(g.vpc_ids):
                    st = self.step(
                        g.id,
                        HopKind.VIRTUAL_PRIVATE_GATEWAY,
                        f"vgw:{g.id}:ingress",
                        f"enters {vpc_id} through {g.id} ({vpn.id})",
                        enter,
                        p,
                        "NO_ROUTE_TO_DESTINATION",
                    )
                    out += self.enter_vpc(vpc_id, g.id, p, (*steps, st), ctx)
            for att in sorted(self.net.transit_gateway_attachments, key=lambda a: a.id):
                if (
                    att.resource_type is TransitGatewayAttachmentType.VPN
                    and att.resource_id == vpn.id
                    and available(att.state)
                ):
                    st = self.step(
                        att.id,
                        HopKind.TRANSIT_GATEWAY,
                        f"tgw-attach:{att.id}:ingress",
                        f"enters {att.transit_gateway_id} through {att.id} ({vpn.id})",
                        enter,
                        p,
                        "NO_ROUTE_TO_DESTINATION",
                    )
                    out += self.tgw_route(
                        att,
                        p,
                        (*steps, st),
                        Ctx(ctx.reply, None, ctx.sessions, ctx.made, ctx.routed),
                    )
        nowhere = z3.And(*(z3.Not(c) for c in carried)) if carried else z3.BoolVal(True)
        declared = ip_in_any(p.src_ip, list(self.net.declared_onprem_cidrs()))
        out += self.leaf(
            steps,
            "onprem",
            HopKind.ONPREM,
            "onprem:no-vpn",
            z3.And(nowhere, declared),
            p,
            ctx,
            "UNSUPPORTED_COMPONENT",
            "no VPN connection of the snapshot is known to carry the source",
            UNKNOWN,
        )
        out += self.leaf(
            steps,
            "onprem",
            HopKind.ONPREM,
            "onprem:not-onprem",
            z3.And(nowhere, z3.Not(declared)),
            p,
            ctx,
            "SOURCE_NOT_ONPREM",
            "the source is in no declared on-prem range",
        )
        return out

    # -- routing from a subnet -------------------------------------------------------------

    def route_from_subnet(self, s: Subnet, p: SymPacket, steps: Steps, ctx: Ctx) -> list[Path]:
        """Longest-prefix match in the subnet's route table, then the target's encoder."""
        if not self.ok(steps):
            return []
        if s.id in ctx.routed:
            return self.unknown(steps, s.id, ctx, f"routing loop through {s.id}")
        ctx = Ctx(ctx.reply, ctx.az, ctx.sessions, ctx.made, (*ctx.routed, s.id))
        table = self.net.get(s.route_table_id)
        if not isinstance(table, RouteTable):
            return self.unknown(
                steps,
                s.route_table_id,
                ctx,
                f"route table {s.route_table_id} is not in the snapshot",
                "UNKNOWN_RESOURCE",
            )
        choices, nothing = select_route(self.net, table, p, self.space(p, "dst_ip"))
        out = self.leaf(
            steps,
            table.id,
            HopKind.ROUTE_TABLE,
            f"route:{table.id}:none",
            nothing,
            p,
            ctx,
            "NO_ROUTE_TO_DESTINATION",
            f"{table.id} has no route to the destination",
        )
        for route, cond in choices:
            label = f"route:{table.id}:{route.destination_text}"
            text = f"{table.id}: {route.label}"
            st = (
                *steps,
                self.step(
                    table.id,
                    HopKind.ROUTE_TABLE,
                    label,
                    text,
                    cond,
                    p,
                    "NO_ROUTE_TO_DESTINATION",
                    (Rule(label, route.label, text, cond, True),),
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
                continue
            try:
                out += dispatch(route.target_kind, route, table.id)(
                    self, s, table.id, route, p, st, ctx
                )
            except UnsupportedFeature as e:
                out += self.unknown(st, e.component_id, ctx, e.reason, e.code)
        return out

    def to_local(
        self, s: Subnet, table_id: str, route: Route, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        return self.deliver_in_vpc(s.vpc_id, s, p, steps, ctx)

    def deliver_in_vpc(
        self, vpc_id: str, src: Subnet | None, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """Local delivery: the subnet containing `dst_ip` (none: `NO_ROUTE_TO_DESTINATION`),
        outbound NACL of the source subnet and inbound NACL of the destination subnet unless
        they are the same subnet, then the interface owning `dst_ip`."""
        if not self.ok(steps):
            return []
        subnets = self.net.subnets_in_vpc(vpc_id)
        inside = [ip_in(p.dst_ip, d.cidr_block) for d in subnets]
        out = self.leaf(
            steps,
            vpc_id,
            HopKind.VPC,
            f"vpc:{vpc_id}:no-subnet",
            z3.And(*(z3.Not(c) for c in inside)),
            p,
            ctx,
            "NO_ROUTE_TO_DESTINATION",
            f"the destination is in no subnet of {vpc_id}",
        )
        for d, cond in zip(subnets, inside, strict=True):
            if not self._worth_entering(d, ctx):
                continue
            st = (
                *steps,
                self.step(
                    d.id,
                    HopKind.SUBNET,
                    f"subnet:{d.id}",
                    f"{d.cidr_block} is subnet {d.id}",
                    cond,
                    p,
                    "NO_ROUTE_TO_DESTINATION",
                ),
            )
            if src is None:
                st = (*st, self.nacl(d, Direction.INGRESS, p))
            elif src.id != d.id:
                st = (*st, self.nacl(src, Direction.EGRESS, p), self.nacl(d, Direction.INGRESS, p))
            out += self.deliver_in_subnet(d, p, st, ctx)
        return out

    def _worth_entering(self, d: Subnet, ctx: Ctx) -> bool:
        """Can a packet delivered into `d` end anywhere the query cares about? (A wanted
        interface, or for a reply a NAT gateway that reverses its translation.)"""
        if self.targets is None:
            return True
        if any(self.wanted(e.id) for e in self.net.interfaces_in_subnet(d.id)):
            return True
        return any(x.subnet_id == d.id for x in ctx.sessions)

    def _nat_addresses(self, d: Subnet) -> list[tuple[NatGateway, list]]:
        """NAT gateways of subnet `d` with the addresses that reach them."""
        out = []
        for nat in sorted(self.net.nat_gateways, key=lambda n: n.id):
            if nat.subnet_id != d.id:
                continue
            addrs = {a.private_ip for a in nat.addresses if a.private_ip is not None}
            ids = {a.interface_id for a in nat.addresses if a.interface_id}
            for e in self.net.interfaces_in_subnet(d.id):
                if e.id in ids or (
                    e.owner_kind is InterfaceOwnerKind.NAT_GATEWAY and e.owner_id == nat.id
                ):
                    addrs |= set(e.addresses)
            out.append((nat, sorted(addrs)))
        return out

    def deliver_in_subnet(self, d: Subnet, p: SymPacket, steps: Steps, ctx: Ctx) -> list[Path]:
        if not self.ok(steps):
            return []
        out: list[Path] = []
        taken: list = []
        for nat, addrs in self._nat_addresses(d):
            mine = [a for a in addrs if a not in taken]
            taken += mine
            if mine:
                out += self.at_nat(
                    nat,
                    p,
                    (
                        *steps,
                        self.step(
                            nat.id,
                            HopKind.NAT_GATEWAY,
                            f"nat:{nat.id}:address",
                            f"{nat.id} owns the destination",
                            ip_is_any(p.dst_ip, mine),
                            p,
                        ),
                    ),
                    ctx,
                )
        for eni in sorted(self.net.interfaces_in_subnet(d.id), key=lambda e: e.id):
            mine = [a for a in eni.addresses if a not in taken]
            taken += mine
            if mine and self.wanted(eni.id):
                st = self.step(
                    eni.id,
                    HopKind.ENI_INGRESS,
                    f"eni:{eni.id}:address",
                    f"{eni.id} owns the destination",
                    ip_is_any(p.dst_ip, mine),
                    p,
                    "NO_ROUTE_TO_DESTINATION",
                )
                out += self.arrive(eni, p, (*steps, st), ctx)
        return out + self.leaf(
            steps,
            d.id,
            HopKind.SUBNET,
            f"subnet:{d.id}:no-interface",
            z3.Not(ip_is_any(p.dst_ip, taken)),
            p,
            ctx,
            "NO_ROUTE_TO_DESTINATION",
            f"no interface of {d.id} has the destination address",
        )

    def arrive(self, eni: NetworkInterface, p: SymPacket, steps: Steps, ctx: Ctx) -> list[Path]:
        """Arriving at an interface: SG ingress (skipped for a reply), then delivered."""
        out: list[Path] = []
        if not ctx.reply:
            st, extra = self.security_groups(eni, Direction.INGRESS, p, steps, ctx)
            out += extra
            steps = (*steps, st)
        return out + self.end(
            steps, DispositionKind.DELIVERED, eni.id, ctx, None, f"delivered to {eni.id}"
        )

    def at_nat(self, nat: NatGateway, p: SymPacket, steps: Steps, ctx: Ctx) -> list[Path]:
        """A packet addressed to a NAT gateway: only the reply of one of its sessions passes
        (reverse translation, routed from the NAT's subnet); else `NGW_NO_UNSOLICITED_INBOUND`."""
        if not self.ok(steps):
            return []
        out: list[Path] = []
        misses: list[z3.BoolRef] = []
        for sess in ctx.sessions if ctx.reply else ():
            if sess.nat_id != nat.id:
                continue
            hit = z3.And(
                *(
                    c
                    for c in [
                        z3.Or(p.protocol == TCP, p.protocol == UDP),
                        p.dst_ip == sess.nat_ip,
                        p.dst_port == sess.port,
                    ]
                ),
                *(m for m in misses),
            )
            misses.append(z3.Not(hit))
            q = fresh("nat-rev")
            link = z3.And(
                same(p, q, except_=("dst_ip", "dst_port")),
                q.dst_ip == sess.orig_src_ip,
                q.dst_port == sess.orig_src_port,
            )
            st = Step(
                nat.id,
                HopKind.NAT_GATEWAY,
                f"nat:{nat.id}:reverse",
                f"{nat.id} reverses its translation",
                hit,
                p,
                "NGW_NO_UNSOLICITED_INBOUND",
                (),
                link,
                q,
                action="translate",
            )
            out += self.route_from_subnet(self.net.subnet(nat.subnet_id), q, (*steps, st), ctx)
        return out + self.leaf(
            steps,
            nat.id,
            HopKind.NAT_GATEWAY,
            f"nat:{nat.id}:unsolicited",
            z3.And(*misses),
            p,
            ctx,
            "NGW_NO_UNSOLICITED_INBOUND",
            f"{nat.id} accepts no unsolicited inbound packets",
        )


Handler = Callable[[Explorer, Subnet, str, Route, SymPacket, Steps, Ctx], list[Path]]


def dispatch(kind: RouteTargetKind, route: Route, table_id: str) -> Handler:
    """The encoder for a route target kind; a kind with no entry raises `UnsupportedFeature`
    (the path ends `unknown`, naming the target)."""
    handler = ROUTE_TARGETS.get(kind)
    if handler is None:
        raise UnsupportedFeature(
            route.target_id or table_id,
            f"route {route.label} of {table_id} targets a {kind.value}; "
            "forwarding through it is not modelled",
        )
    return handler


# The dispatch table: route target kind -> encoder. Kinds not listed (network interface,
# instance, GWLB endpoint, carrier / local gateway, core network, egress-only IGW for IPv4)
# end the path `unknown`.
ROUTE_TARGETS: dict[RouteTargetKind, Handler] = {
    RouteTargetKind.LOCAL: Explorer.to_local,
    RouteTargetKind.INTERNET_GATEWAY: Explorer.to_igw,
    RouteTargetKind.NAT_GATEWAY: Explorer.to_nat,
    RouteTargetKind.VPC_PEERING_CONNECTION: Explorer.to_peering,
    RouteTargetKind.TRANSIT_GATEWAY: Explorer.to_tgw,
    RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY: Explorer.to_vgw,
    RouteTargetKind.GATEWAY_ENDPOINT: Explorer.to_endpoint,
}
