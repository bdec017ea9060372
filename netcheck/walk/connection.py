"""Connections: a forward packet and its reply (forwarding.md "Connections (default) and
replies").

Input: a `Network`, the forward packet and its origin. Output: a `ConnectionTrace`.

A connection is established only when the reply comes back *as the reply*: it must end at
the origin (delivered to the source interface, or out to the internet / on-prem for an
outside source) with exactly the reversed 5-tuple of the packet as the source sent it, once
every translator on the way back has undone its own translation. A reply that ends there
with other addresses or ports (e.g. sent out through a NAT gateway by an instance the client
contacted at its public IP) is not recognised by the client: the walk ends it
`REPLY_ADDRESS_MISMATCH` at the hop that rewrote it.
"""

from __future__ import annotations

from collections.abc import Mapping

from netcheck.model import ICMP, TCP, UDP, Network, Subnet
from netcheck.model.packet import Disposition, DispositionKind, Origin, OriginKind, Packet
from netcheck.walk.trace import ConnectionTrace, Trace, reply_ends_at_origin
from netcheck.walk.walker import walk

REPLY_ADDRESS_MISMATCH = "REPLY_ADDRESS_MISMATCH"

_FIELDS = ("src_ip", "dst_ip", "protocol", "src_port", "dst_port", "icmp_type", "icmp_code")


def is_connection(packet: Packet) -> bool:
    """TCP, UDP and ICMP echo requests (type 8) expect a reply; other packets are one-way."""
    return packet.protocol in (TCP, UDP) or (packet.protocol == ICMP and packet.icmp_type == 8)


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
    appliance_azs: Mapping[str, str] | None = None,
) -> ConnectionTrace:
    """Walk `packet` and, for TCP/UDP and ICMP echo requests (unless `one_way`), its reply:
    addresses and ports swapped on the packet as it arrived, security groups skipped, NAT
    sessions reversed; the reply must come back as the reply of `packet` (module
    docstring). `appliance_azs`: the AZ the flow crosses per appliance-mode TGW attachment,
    the same for the packet and its reply (default: the attachment's first AZ by name)."""
    forward = walk(network, packet, origin, nat_ports=nat_ports, appliance_azs=appliance_azs)
    if one_way or not is_connection(packet) or not forward.success:
        return ConnectionTrace(forward=forward)
    start = reply_origin(forward)
    if start is None:
        return ConnectionTrace(forward=forward)
    reply_packet = forward.final_packet.reply()
    reply = walk(
        network,
        reply_packet,
        start,
        reply_of=forward,
        nat_ports=nat_ports,
        appliance_azs=appliance_azs,
    )
    return ConnectionTrace(forward=forward, reply=as_the_reply(origin, packet, reply))


def as_the_reply(origin: Origin, sent: Packet, reply: Trace) -> Trace:
    """`reply` unchanged unless it ends at the origin with a header other than the reply of
    `sent`; then it ends `REPLY_ADDRESS_MISMATCH` at the hop that went astray: the first
    that rewrote a field the client sees wrong (else the hop where the reply ended)."""
    if not (reply.success and reply_ends_at_origin(origin, reply)):
        return reply
    expected = sent.reply()
    got = reply.final_packet
    wrong = [f for f in _FIELDS if getattr(got, f) != getattr(expected, f)]
    if not wrong:
        return reply
    component = reply.disposition.component_id or str(origin)
    current = reply.packet
    for h in reply.hops:
        if h.packet_out is None:
            continue
        if any(getattr(h.packet_out, f) != getattr(current, f) for f in wrong):
            component = h.component_id
            break
        current = h.packet_out
    shown = ", ".join(f"{f} {getattr(got, f)} (expected {getattr(expected, f)})" for f in wrong)
    return reply.model_copy(
        update={
            "disposition": Disposition(
                kind=DispositionKind.DROPPED,
                component_id=component,
                code=REPLY_ADDRESS_MISMATCH,
                reason=(
                    f"the reply comes back as {got}, not as the reply of {sent}: {shown}; "
                    "the source does not recognise it"
                ),
                final_packet=got,
            )
        }
    )


# At most this many AZ assignments are listed by `appliance_choices`.
MAX_APPLIANCE_CHOICES = 64


def appliance_choices(network: Network) -> list[dict[str, str]]:
    """Every assignment of one AZ per appliance-mode VPC attachment whose subnets in the
    snapshot lie in several AZs (the flow hash picks one: forwarding.md "appliance mode"),
    attachments and AZs by name, at most `MAX_APPLIANCE_CHOICES`; `[{}]` when none has a
    choice. For replaying a witness whose AZ choice is not known."""
    per: list[tuple[str, list[str]]] = []
    for att in sorted(network.transit_gateway_attachments, key=lambda a: a.id):
        if not att.appliance_mode:
            continue
        zones = sorted(
            {s.availability_zone for i in att.subnet_ids if isinstance(s := network.get(i), Subnet)}
        )
        if len(zones) > 1:
            per.append((att.id, zones))
    out: list[dict[str, str]] = [{}]
    for att_id, zones in per:
        out = [{**c, att_id: z} for c in out for z in zones][:MAX_APPLIANCE_CHOICES]
    return out
