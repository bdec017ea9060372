"""Connections: a forward packet and its reply (forwarding.md "Connections and replies").

Input: a `Network`, the forward packet and its origin. Output: a `ConnectionTrace`.
"""

from __future__ import annotations

from collections.abc import Mapping

from netcheck.model import TCP, UDP, Network
from netcheck.model.packet import DispositionKind, Origin, OriginKind, Packet
from netcheck.walk.trace import ConnectionTrace, Trace
from netcheck.walk.walker import walk


def reply_origin(forward: Trace) -> Origin | None:
    """Where the reply of a successful forward trace starts: the ENI it was delivered to, or
    the outside it exited to. None when there is no modelled reply (a gateway endpoint's
    service, or a failed forward packet)."""
    d = forward.disposition
    if d.kind is DispositionKind.DELIVERED and d.component_id is not None:
        return Origin(kind=OriginKind.INTERFACE, interface_id=d.component_id)
    if d.kind is DispositionKind.EXITS_INTERNET:
        return Origin(kind=OriginKind.INTERNET)
    if d.kind is DispositionKind.EXITS_ONPREM:
        return Origin(kind=OriginKind.ONPREM)
    return None


def walk_connection(
    network: Network,
    packet: Packet,
    origin: Origin,
    *,
    one_way: bool = False,
    nat_ports: Mapping[str, int] | None = None,
) -> ConnectionTrace:
    """Walk `packet` and, for TCP/UDP (unless `one_way`), its reply: addresses and ports
    swapped on the packet as it arrived, security groups skipped, NAT sessions reversed."""
    forward = walk(network, packet, origin, nat_ports=nat_ports)
    if one_way or packet.protocol not in (TCP, UDP) or not forward.success:
        return ConnectionTrace(forward=forward)
    start = reply_origin(forward)
    if start is None:
        return ConnectionTrace(forward=forward)
    reply_packet = forward.final_packet.reply()
    reply = walk(network, reply_packet, start, reply_of=forward, nat_ports=nat_ports)
    return ConnectionTrace(forward=forward, reply=reply)
