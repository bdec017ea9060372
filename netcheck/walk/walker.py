"""The concrete packet walker: follows docs/semantics/forwarding.md step by step for one
concrete packet and records every hop.

Input: a `Network`, a concrete `Packet` and its `Origin` (and, for a reply, the forward
`Trace`). Output: a `Trace` with the hops in order and the disposition.

This is the independent oracle for the Z3 engine: plain Python, no z3, nothing shared with
`netcheck/compile`. The hops live in `netcheck/walk/hops/` (one module per hop kind, each
function implementing one paragraph of forwarding.md), dispatched through its own table.

    >>> from netcheck.model import Network
    >>> from netcheck.model.packet import Origin, OriginKind, Packet
    >>> p = Packet(src_ip="8.8.8.8", dst_ip="1.1.1.1", protocol=6, src_port=1, dst_port=443)
    >>> walk(Network(), p, Origin(kind=OriginKind.INTERNET)).disposition.kind.value
    'exits-internet'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from netcheck.errors import QueryError
from netcheck.model import Network, NetworkInterface
from netcheck.model.packet import DispositionKind, Origin, OriginKind, Packet
from netcheck.walk.hops import interface, internet, onprem, peering
from netcheck.walk.hops.context import Stop, Walk
from netcheck.walk.trace import Trace, reply_ends_at_origin


def _run(
    network: Network,
    packet: Packet,
    origin: Origin,
    start: Callable[[Walk], None],
    reply_of: Trace | None,
    nat_ports: Mapping[str, int] | None,
    appliance_azs: Mapping[str, str] | None = None,
) -> Trace:
    walker = Walk(
        network, packet, reply_of=reply_of, nat_ports=nat_ports, appliance_azs=appliance_azs
    )
    try:
        start(walker)
    except Stop as stop:
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
    appliance_azs: Mapping[str, str] | None = None,
) -> Trace:
    """Walk one concrete packet from `origin` through `network` (forwarding.md).

    `reply_of`: treat `packet` as the reply of that forward trace (security groups skipped,
    NAT sessions of the forward trace reverse-translated). `nat_ports`: the source port each
    NAT gateway picks (default 1024). `appliance_azs`: the AZ the transit gateway picks for
    this flow per appliance-mode attachment (default: its first AZ by name).
    """

    def run(
        network: Network,
        packet: Packet,
        origin: Origin,
        start: Callable[[Walk], None],
        reply_of: Trace | None,
        nat_ports: Mapping[str, int] | None,
    ) -> Trace:
        return _run(network, packet, origin, start, reply_of, nat_ports, appliance_azs)

    if origin.kind is OriginKind.INTERFACE:
        eni = network.get(origin.interface_id or "")
        if not isinstance(eni, NetworkInterface):
            raise QueryError(f"origin interface {origin.interface_id!r} is not in the network")
        return run(
            network,
            packet,
            origin,
            lambda w: interface.start_interface(w, eni),
            reply_of,
            nat_ports,
        )
    if origin.kind is OriginKind.INTERNET:
        return run(network, packet, origin, internet.start_internet, reply_of, nat_ports)
    if origin.kind is OriginKind.PEERING:
        pcx_id = origin.peering_id or ""
        return run(
            network,
            packet,
            origin,
            lambda w: peering.start_peering(w, pcx_id),
            reply_of,
            nat_ports,
        )
    entries = onprem.onprem_entries(network, packet.src_ip)
    if not entries:
        return run(network, packet, origin, onprem.no_onprem_entry, reply_of, nat_ports)
    traces = [
        run(network, packet, origin, lambda w, e=e: onprem.start_onprem(w, e), reply_of, nat_ports)  # type: ignore[misc]
        for e in entries
    ]
    return _best(traces, reply_of)


def _best(traces: list[Trace], reply_of: Trace | None) -> Trace:
    """An on-prem packet may enter at several places (an existential choice): the first
    trace that succeeds (for a reply: that ends at the forward origin as the reply of the
    packet sent there, forwarding.md "Connections (default) and replies"), else the first
    unknown, else the first drop."""

    def rank(t: Trace) -> int:
        if t.success and (
            reply_of is None
            or (
                reply_ends_at_origin(reply_of.origin, t)
                and t.final_packet == reply_of.packet.reply()
            )
        ):
            return 0
        if t.success:
            return 1
        return 2 if t.disposition.kind is DispositionKind.UNKNOWN else 3

    return min(traces, key=rank)
