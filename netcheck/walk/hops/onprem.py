"""Walker hops at the on-premises edge: a packet entering from on-premises through a VGW or a
TGW VPN attachment (`OnpremEntry`), and a packet leaving to on-premises when its destination
is in a range behind the gateway (none known: `unknown`).

Example: a packet to 192.168.1.1 behind vgw-1 (ranges 192.168.0.0/16) ends `exits-onprem`.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from netcheck.model import (
    Network,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
    VpnConnection,
    VpnGateway,
)
from netcheck.model.addresses import IPAddress, IPPrefix
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind
from netcheck.walk.hops import gateway_route_table, transit_gateway
from netcheck.walk.hops.context import Walk, available
from netcheck.walk.match import in_cidr


def exit_onprem(
    w: Walk, component_id: str, kind: HopKind, ranges: tuple[IPPrefix, ...]
) -> NoReturn:
    dst = w.packet.dst_ip
    if not ranges:
        w.hop(component_id, kind, detail="on-prem ranges unknown")
        w.unknown(component_id, f"the on-prem ranges behind {component_id} are not in the snapshot")
    if any(in_cidr(dst, c) for c in ranges):
        w.hop(component_id, kind)
        w.hop("onprem", HopKind.ONPREM)
        w.finish(DispositionKind.EXITS_ONPREM, component_id, None, f"{dst} is on-prem")
    w.hop(component_id, kind, "deny", detail=f"{dst} is in no on-prem range")
    w.drop(
        "NO_ROUTE_TO_DESTINATION",
        component_id,
        f"{dst} is in no on-prem range behind {component_id}",
    )


def start_onprem(w: Walk, entry: OnpremEntry) -> None:
    w.hop("onprem", HopKind.ONPREM, detail=f"enters through {entry.component_id}")
    if entry.attachment is not None:
        att = entry.attachment
        w.hop(att.transit_gateway_id, HopKind.TRANSIT_GATEWAY, detail=f"from {att.id}")
        transit_gateway.tgw_route(w, att, None)
    assert entry.vpc_id is not None
    w.hop(entry.component_id, HopKind.VIRTUAL_PRIVATE_GATEWAY, detail=f"into {entry.vpc_id}")
    gateway_route_table.enter_vpc_via_gateway(w, entry.component_id, entry.vpc_id)


@dataclass(frozen=True)
class OnpremEntry:
    """Where an on-prem packet enters: a VGW into a VPC, or a TGW VPN attachment."""

    component_id: str
    vpc_id: str | None = None
    attachment: TransitGatewayAttachment | None = None


def carrying_vpns(network: Network, src: IPAddress) -> list[VpnConnection]:
    """Available VPN connections with a range containing `src` (its own ranges, or the
    declared ones for a BGP VPN: `Network.vpn_onprem_cidrs`), sorted by id."""
    return [
        vpn
        for vpn in sorted(network.vpn_connections, key=lambda v: v.id)
        if available(vpn.state) and any(in_cidr(src, c) for c in network.vpn_onprem_cidrs(vpn.id))
    ]


def onprem_entries(network: Network, src: IPAddress) -> tuple[OnpremEntry, ...]:
    """Every VGW (per attached VPC) and TGW VPN attachment whose VPN has a range containing
    `src`, sorted by id."""
    out: list[OnpremEntry] = []
    for vpn in carrying_vpns(network, src):
        vgw = network.get(vpn.vpn_gateway_id or "")
        if isinstance(vgw, VpnGateway) and available(vgw.state):
            out.extend(OnpremEntry(vgw.id, vpc_id=v) for v in sorted(vgw.vpc_ids))
        for att in network.transit_gateway_attachments:
            if (
                att.resource_type is TransitGatewayAttachmentType.VPN
                and att.resource_id == vpn.id
                and available(att.state)
            ):
                out.append(OnpremEntry(att.id, attachment=att))
    unique = {(e.component_id, e.vpc_id): e for e in out}
    return tuple(unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1] or "")))


def no_onprem_entry(w: Walk) -> None:
    src = w.packet.src_ip
    vpns = carrying_vpns(w.net, src)
    if vpns:
        # A VPN carries the range but none of its gateways / attachments is usable.
        w.hop("onprem", HopKind.ONPREM, "deny", detail=f"{vpns[0].id} has no available gateway")
        w.drop(
            "NO_ROUTE_TO_DESTINATION",
            vpns[0].id,
            f"{vpns[0].id} carries {src} but its gateway is not in the snapshot or not available",
        )
    if not any(in_cidr(src, c) for c in w.net.declared_onprem_cidrs()):
        w.hop("onprem", HopKind.ONPREM, "deny", detail=f"{src} is in no on-prem range")
        w.drop("SOURCE_NOT_ONPREM", "onprem", f"{src} is in no declared on-prem range")
    w.hop("onprem", HopKind.ONPREM, detail="no VPN connection carries this range")
    w.unknown("onprem", f"no VPN connection of the snapshot is known to carry {src}")
