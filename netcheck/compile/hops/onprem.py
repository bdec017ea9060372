"""Hops at the on-premises edge: a packet entering from on-premises (through every VGW and
TGW VPN attachment whose VPN carries its source) and a packet leaving to on-premises (through
a VGW or a TGW VPN attachment, when its destination is in a range behind it).

Input: the packet copy, the steps so far, the path state (and for an exit the gateway or
attachment and its on-prem ranges). Output: the candidate `Path`s (docs/semantics/
forwarding.md "Entering from outside", "On-premises").

Example: with vpn-1 on vgw-1 (vpc-a) carrying 192.168.0.0/16, a packet from 192.168.1.1
enters vpc-a through `vgw:vgw-1:ingress`; a source no VPN carries but inside a declared
on-prem range ends `unknown` (`onprem:no-vpn`); outside them: `SOURCE_NOT_ONPREM`.
"""

from __future__ import annotations

from dataclasses import replace

import z3

from netcheck.compile.hops import gateway_route_table, transit_gateway
from netcheck.compile.hops.context import UNKNOWN, HopContext, PathState, Steps, available
from netcheck.compile.packet import SymPacket, ip_in_any
from netcheck.compile.steps import Path, Step
from netcheck.model.addresses import IPPrefix
from netcheck.model.gateways import VpnGateway
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind
from netcheck.model.transit import TransitGatewayAttachmentType


def from_onprem(hc: HopContext, p: SymPacket, steps: Steps, ps: PathState) -> list[Path]:
    """Entering from on-premises through every VGW (per attached VPC) and TGW VPN
    attachment whose VPN has a range containing `src_ip` (`Network.vpn_onprem_cidrs`:
    its own ranges, or the declared ones for a BGP VPN); an existential choice."""
    out: list[Path] = []
    carried: list[z3.BoolRef] = []
    for vpn in sorted(hc.net.vpn_connections, key=lambda v: v.id):
        if not available(vpn.state):
            continue
        enter = ip_in_any(p.src_ip, list(hc.net.vpn_onprem_cidrs(vpn.id)))
        carried.append(enter)
        g = hc.net.get(vpn.vpn_gateway_id or "")
        if isinstance(g, VpnGateway) and available(g.state):
            for vpc_id in sorted(g.vpc_ids):
                st = Step(
                    g.id,
                    HopKind.VIRTUAL_PRIVATE_GATEWAY,
                    f"vgw:{g.id}:ingress",
                    f"enters {vpc_id} through {g.id} ({vpn.id})",
                    enter,
                    p,
                    "NO_ROUTE_TO_DESTINATION",
                )
                out += gateway_route_table.enter_vpc(hc, vpc_id, g.id, p, (*steps, st), ps)
        for att in sorted(hc.net.transit_gateway_attachments, key=lambda a: a.id):
            if (
                att.resource_type is TransitGatewayAttachmentType.VPN
                and att.resource_id == vpn.id
                and available(att.state)
            ):
                st = Step(
                    att.id,
                    HopKind.TRANSIT_GATEWAY,
                    f"tgw-attach:{att.id}:ingress",
                    f"enters {att.transit_gateway_id} through {att.id} ({vpn.id})",
                    enter,
                    p,
                    "NO_ROUTE_TO_DESTINATION",
                )
                out += transit_gateway.tgw_route(
                    hc,
                    att,
                    p,
                    (*steps, st),
                    replace(ps, az=None),
                )
    nowhere = z3.And(*(z3.Not(c) for c in carried)) if carried else z3.BoolVal(True)
    declared = ip_in_any(p.src_ip, list(hc.net.declared_onprem_cidrs()))
    out += hc.leaf(
        steps,
        "onprem",
        HopKind.ONPREM,
        "onprem:no-vpn",
        z3.And(nowhere, declared),
        p,
        ps,
        "UNSUPPORTED_COMPONENT",
        "no VPN connection of the snapshot is known to carry the source",
        UNKNOWN,
    )
    out += hc.leaf(
        steps,
        "onprem",
        HopKind.ONPREM,
        "onprem:not-onprem",
        z3.And(nowhere, z3.Not(declared)),
        p,
        ps,
        "SOURCE_NOT_ONPREM",
        "the source is in no declared on-prem range",
    )
    return out


def to_onprem(
    hc: HopContext,
    cid: str,
    kind: HopKind,
    ranges: list[IPPrefix],
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """Exit to on-premises when `dst_ip` is in a known range; no range known: unknown."""
    if not ranges:
        return hc.unknown(
            steps, cid, ps, f"the on-prem ranges behind {cid} are not in the snapshot"
        )
    inside = ip_in_any(p.dst_ip, ranges)
    return hc.leaf(
        steps,
        cid,
        kind,
        f"onprem:{cid}:outside",
        z3.Not(inside),
        p,
        ps,
        "NO_ROUTE_TO_DESTINATION",
        f"the destination is in no on-prem range behind {cid}",
    ) + hc.leaf(
        steps,
        cid,
        kind,
        f"onprem:{cid}",
        inside,
        p,
        ps,
        None,
        f"exits to on-premises through {cid}",
        DispositionKind.EXITS_ONPREM,
    )
