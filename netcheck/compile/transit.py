"""Encoders for the transit gateway (attachment AZ rule, TGW route tables, egress subnet) and
for on-premises exits (VGW, TGW VPN attachments), following docs/semantics/forwarding.md
"TGW routing from ingress attachment" and the VGW rule.

Input: the subnet routing the packet, the chosen `Route`, the `SymPacket`, the steps so far.
Output: the candidate `Path`s that continue from there.

Example: `tgw_route` branches once per route of the ingress attachment's TGW route table
(longest prefix, static over propagated) plus a `TGW_RTB_CANNOT_ROUTE` drop for no match.
"""

from __future__ import annotations

import z3

from netcheck.compile.base import DROP, UNKNOWN, Ctx, Steps, available
from netcheck.compile.packet import SymPacket, ip_in_any
from netcheck.compile.routing import select_tgw_route
from netcheck.compile.steps import Path, Rule
from netcheck.compile.targets import Targets
from netcheck.model.base import IPNetwork
from netcheck.model.filtering import Direction
from netcheck.model.gateways import VpnGateway
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind
from netcheck.model.routing import Route
from netcheck.model.transit import (
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
)
from netcheck.model.vpc import Subnet


class Transit(Targets):
    """Transit gateway and on-premises encoders (mixed into `Explorer`)."""

    # -- transit gateway --------------------------------------------------------------------

    def to_tgw(
        self, s: Subnet, table_id: str, route: Route, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """TGW: an available attachment of the VPC with a subnet in the source subnet's AZ
        (`TGW_ROUTE_AZ_RESTRICTION`), outbound NACL of the source subnet and inbound NACL of
        the attachment subnet (also when they are the same), then TGW routing."""
        tgw = self.net.get(route.target_id or "")
        atts = sorted(
            (
                a
                for a in self.net.transit_gateway_attachments_of_vpc(s.vpc_id, route.target_id)
                if available(a.state)
            ),
            key=lambda a: a.id,
        )
        if not isinstance(tgw, TransitGateway) or not available(tgw.state) or not atts:
            return self.bad_state(steps, table_id, route, ctx)
        chosen: tuple[TransitGatewayAttachment, Subnet] | None = None
        for a in atts:
            for sid in sorted(a.subnet_ids):
                sub = self.net.get(sid)
                if (
                    chosen is None
                    and isinstance(sub, Subnet)
                    and sub.availability_zone == s.availability_zone
                ):
                    chosen = (a, sub)
        if chosen is None:
            return self.end(
                steps,
                DROP,
                tgw.id,
                ctx,
                "TGW_ROUTE_AZ_RESTRICTION",
                f"the attachment of {s.vpc_id} to {tgw.id} has no subnet in {s.availability_zone}",
            )
        att, asub = chosen
        # AWS "Network ACLs for transit gateways": the attachment subnet's inbound rules are
        # evaluated for traffic to the TGW even when it is the source subnet.
        steps = (*steps, self.nacl(s, Direction.EGRESS, p), self.nacl(asub, Direction.INGRESS, p))
        return self.tgw_route(
            att, p, steps, Ctx(ctx.reply, s.availability_zone, ctx.sessions, ctx.made, ctx.routed)
        )

    def tgw_route(
        self, att: TransitGatewayAttachment, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """TGW routing: the ingress attachment's table decides; longest prefix, static over
        propagated; blackhole or no route: `TGW_RTB_CANNOT_ROUTE`."""
        if not self.ok(steps):
            return []
        if att.id in ctx.routed:
            return self.unknown(steps, att.id, ctx, f"routing loop through {att.id}")
        ctx = Ctx(ctx.reply, ctx.az, ctx.sessions, ctx.made, (*ctx.routed, att.id))
        table = self.net.transit_gateway_route_table_of(att.id)
        if table is None:
            return self.end(
                steps,
                DROP,
                att.id,
                ctx,
                "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
                f"{att.id} is associated with no transit gateway route table",
            )
        choices, nothing = select_tgw_route(
            self.net.transit_gateway_routes(table.id), p, self.space(p, "dst_ip")
        )
        bgp = self.net.transit_gateway_unknown_propagations(table.id)
        if bgp:
            # Routes a BGP VPN propagates are not in the snapshot: no known route is unknown.
            out = self.leaf(
                steps,
                bgp[0],
                HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
                f"tgw-rtb:{table.id}:bgp",
                nothing,
                p,
                ctx,
                "UNSUPPORTED_COMPONENT",
                self._bgp_reason(table.id, bgp),
                UNKNOWN,
            )
        else:
            out = self.leaf(
                steps,
                table.id,
                HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
                f"tgw-rtb:{table.id}:none",
                nothing,
                p,
                ctx,
                "TGW_RTB_CANNOT_ROUTE",
                f"{table.id} has no route to the destination",
            )
        for r, cond in choices:
            label = f"tgw-rtb:{table.id}:{r.destination}"
            text = f"{table.id}: {r.label}"
            st = (
                *steps,
                self.step(
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
                out += self.end(
                    st,
                    DROP,
                    table.id,
                    ctx,
                    "TGW_RTB_CANNOT_ROUTE",
                    f"route {r.label} is a blackhole",
                )
                continue
            b = self.net.get(sorted(r.attachment_ids)[0])
            if not isinstance(b, TransitGatewayAttachment) or not available(b.state):
                out += self.end(
                    st,
                    DROP,
                    table.id,
                    ctx,
                    "TGW_RTB_CANNOT_ROUTE",
                    f"the attachment of route {r.label} is not in the snapshot or not available",
                )
                continue
            out += self.tgw_egress(b, p, st, ctx)
        return out

    def _bgp_reason(self, table_id: str, attachment_ids: tuple[str, ...]) -> str:
        vpns = ", ".join(
            f"{a.resource_id or a.id} ({a.id})"
            for a in (self.net.get(i) for i in attachment_ids)
            if isinstance(a, TransitGatewayAttachment)
        )
        return (
            f"{table_id} has no known route to the destination; routes that {vpns} "
            "propagates over BGP are not in the snapshot; declare on-prem ranges with --onprem"
        )

    def tgw_egress(
        self, b: TransitGatewayAttachment, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        if b.resource_type is TransitGatewayAttachmentType.VPC:
            subs = [
                x for x in (self.net.get(i) for i in sorted(b.subnet_ids)) if isinstance(x, Subnet)
            ]
            if not subs:
                return self.unknown(
                    steps, b.id, ctx, f"no subnet of {b.id} is in the snapshot", "UNKNOWN_RESOURCE"
                )
            bsub = next((x for x in subs if x.availability_zone == ctx.az), subs[0])
            # Routed as if sent from inside `bsub`: its outbound rules apply when the packet
            # leaves it; to an address in `bsub` itself no rules are evaluated (AWS).
            return self.route_from_subnet(bsub, p, steps, ctx)
        if b.resource_type is TransitGatewayAttachmentType.VPN:
            ranges = list(self.net.vpn_onprem_cidrs(b.resource_id))
            return self.to_onprem(b.id, HopKind.TRANSIT_GATEWAY, ranges, p, steps, ctx)
        return self.unknown(
            steps,
            b.id,
            ctx,
            f"transit gateway {b.resource_type.value} attachments are not modelled",
        )

    # -- on-premises, gateway endpoints -----------------------------------------------------

    def to_onprem(
        self, cid: str, kind: HopKind, ranges: list[IPNetwork], p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        """Exit to on-premises when `dst_ip` is in a known range; no range known: unknown."""
        if not ranges:
            return self.unknown(
                steps, cid, ctx, f"the on-prem ranges behind {cid} are not in the snapshot"
            )
        inside = ip_in_any(p.dst_ip, ranges)
        return self.leaf(
            steps,
            cid,
            kind,
            f"onprem:{cid}:outside",
            z3.Not(inside),
            p,
            ctx,
            "NO_ROUTE_TO_DESTINATION",
            f"the destination is in no on-prem range behind {cid}",
        ) + self.leaf(
            steps,
            cid,
            kind,
            f"onprem:{cid}",
            inside,
            p,
            ctx,
            None,
            f"exits to on-premises through {cid}",
            DispositionKind.EXITS_ONPREM,
        )

    def to_vgw(
        self, s: Subnet, table_id: str, route: Route, p: SymPacket, steps: Steps, ctx: Ctx
    ) -> list[Path]:
        g = self.net.get(route.target_id or "")
        if not isinstance(g, VpnGateway) or not available(g.state) or s.vpc_id not in g.vpc_ids:
            return self.bad_state(steps, table_id, route, ctx)
        steps = (*steps, self.nacl(s, Direction.EGRESS, p))
        ranges = list(self.net.vpn_gateway_onprem_cidrs(g.id))
        return self.to_onprem(g.id, HopKind.VIRTUAL_PRIVATE_GATEWAY, ranges, p, steps, ctx)
