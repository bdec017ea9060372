"""The query as constraints: where packets start, where they may be sent, their header, and
which path ends count as success.

Input: `Source`, `Destination`, `Header` (netcheck.model.resolve) and the starting
`SymPacket`. Output: Z3 formulas over that packet and predicates on a `Path`'s end.

Values within a field are OR-ed (any of the addresses), fields are AND-ed.
"""

from __future__ import annotations

import z3

from netcheck.compile.hops.internet import is_public
from netcheck.compile.hops.peering import peered_side
from netcheck.compile.packet import SymPacket, domain, in_range, ip_in_any, ip_is_any
from netcheck.compile.steps import End
from netcheck.model.base import ICMP, TCP, UDP
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind, OriginKind
from netcheck.model.resolve import Destination, Header, Source


def source_constraint(network: Network, src: Source, p: SymPacket) -> z3.BoolRef:
    """`src_ip` of a packet starting at `src`: its addresses/CIDRs, public for the internet,
    inside a known on-prem range for on-prem."""
    parts: list[z3.BoolRef] = []
    if src.addresses or src.cidrs:
        parts.append(
            z3.Or(ip_is_any(p.src_ip, list(src.addresses)), ip_in_any(p.src_ip, list(src.cidrs)))
        )
    if src.origin.kind is OriginKind.INTERNET:
        parts.append(is_public(p.src_ip))
    elif src.origin.kind is OriginKind.ONPREM:
        parts.append(ip_in_any(p.src_ip, list(network.declared_onprem_cidrs())))
    elif src.origin.kind is OriginKind.PEERING:
        sides = peered_side(network, src.origin.peering_id or "")
        parts.append(
            ip_in_any(p.src_ip, list(sides[1].cidr_blocks)) if sides else z3.BoolVal(False)
        )
    return z3.And(*parts) if parts else z3.BoolVal(True)


def destination_constraint(dst: Destination, p: SymPacket) -> z3.BoolRef:
    """`dst_ip` as sent: the destination's addresses / CIDRs; "the internet" alone means
    any public address."""
    if not (dst.addresses or dst.cidrs):
        only_internet = dst.internet and not (dst.interface_ids or dst.onprem or dst.service_ids)
        return is_public(p.dst_ip) if only_internet else z3.BoolVal(True)
    return z3.Or(ip_is_any(p.dst_ip, list(dst.addresses)), ip_in_any(p.dst_ip, list(dst.cidrs)))


def header_constraint(h: Header, p: SymPacket) -> z3.BoolRef:
    parts = [domain(p)]
    if h.packet is not None:
        k = h.packet
        parts += [
            p.src_ip == int(k.src_ip),
            p.dst_ip == int(k.dst_ip),
            p.protocol == k.protocol,
            p.src_port == k.src_port,
            p.dst_port == k.dst_port,
            p.icmp_type == k.icmp_type,
            p.icmp_code == k.icmp_code,
        ]
    if h.protocol is not None:
        parts.append(p.protocol == h.protocol)
    if h.dst_ports is not None or h.src_ports is not None:
        parts.append(z3.Or(p.protocol == TCP, p.protocol == UDP))
    if h.dst_ports is not None:
        parts.append(in_range(p.dst_port, h.dst_ports.start, h.dst_ports.end))
    if h.src_ports is not None:
        parts.append(in_range(p.src_port, h.src_ports.start, h.src_ports.end))
    if h.icmp_type is not None:
        parts.append(p.icmp_type == h.icmp_type)
    if h.icmp_code is not None:
        parts.append(p.icmp_code == h.icmp_code)
    return z3.And(*parts)


def accepts(dst: Destination, end: End) -> bool:
    """Does a forward path ending in `end` arrive at the destination?"""
    if end.kind is DispositionKind.DELIVERED:
        return end.component_id in dst.interface_ids
    if end.kind is DispositionKind.EXITS_INTERNET:
        return dst.internet
    if end.kind is DispositionKind.EXITS_ONPREM:
        return dst.onprem
    if end.kind is DispositionKind.DELIVERED_SERVICE:
        return end.component_id in dst.service_ids
    return False


def reply_accepts(src: Source, end: End) -> bool:
    """Does a reply path ending in `end` come back to the source?"""
    if src.origin.kind is OriginKind.INTERFACE:
        return end.kind is DispositionKind.DELIVERED and end.component_id == src.origin.interface_id
    if src.origin.kind is OriginKind.INTERNET:
        return end.kind is DispositionKind.EXITS_INTERNET
    if src.origin.kind is OriginKind.PEERING:
        # Back over the connection it came in by.
        return (
            end.kind is DispositionKind.EXITS_PEERING and end.component_id == src.origin.peering_id
        )
    return end.kind is DispositionKind.EXITS_ONPREM


def is_connection(p: SymPacket) -> z3.BoolRef:
    """TCP and UDP packets and ICMP echo requests (type 8, answered by echo replies, type 0)
    are connections: the reply must come back. Other ICMP packets and other protocols are
    one-way."""
    return z3.Or(p.protocol == TCP, p.protocol == UDP, z3.And(p.protocol == ICMP, p.icmp_type == 8))
