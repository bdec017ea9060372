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

from netcheck.errors import QueryError
from netcheck.model import (
    Direction,
    Network,
    NetworkInterface,
    Subnet,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
    VpnConnection,
    VpnGateway,
)
from netcheck.model.hops import HopKind
from netcheck.model.packet import (
    DispositionKind,
    Origin,
    OriginKind,
    Packet,
)
from netcheck.walk.core import Stop, available
from netcheck.walk.gateways import GatewayWalker
from netcheck.walk.match import (
    in_cidr,
    is_public,
)
from netcheck.walk.trace import Trace, reply_ends_at_origin


class _Walker(GatewayWalker):
    """A walk from an origin."""

    # -- origins (forwarding.md "Leaving an interface", "Entering from outside") -------------

    def start_interface(self, eni: NetworkInterface) -> None:
        subnet: Subnet = self.lookup(eni.subnet_id, Subnet, "subnet")
        if eni.source_dest_check and self.packet.src_ip not in eni.addresses:
            self.hop(eni.id, HopKind.ENI_EGRESS, "deny", rule="source/destination check")
            self.drop(
                "ENI_SOURCE_DEST_CHECK_RESTRICTION",
                eni.id,
                f"{self.packet.src_ip} is not an address of {eni.id} and its "
                "source/destination check is enabled",
            )
        check = "source/destination check" if eni.source_dest_check else "check disabled"
        self.hop(eni.id, HopKind.ENI_EGRESS, rule=check)
        if not self.is_reply:
            self.security_groups(eni, Direction.EGRESS)
        self.route_from(subnet)

    def start_internet(self) -> None:
        if not is_public(self.packet.src_ip):
            self.hop("internet", HopKind.INTERNET, "deny", detail="source address is not public")
            self.drop(
                "SOURCE_NOT_PUBLIC",
                "internet",
                f"a packet from the internet needs a public source; {self.packet.src_ip} is not",
            )
        self.on_internet()

    def start_onprem(self, entry: _OnpremEntry) -> None:
        self.hop("onprem", HopKind.ONPREM, detail=f"enters through {entry.component_id}")
        if entry.attachment is not None:
            att = entry.attachment
            self.hop(att.transit_gateway_id, HopKind.TRANSIT_GATEWAY, detail=f"from {att.id}")
            self.tgw_route(att, None)
        assert entry.vpc_id is not None
        self.hop(entry.component_id, HopKind.VIRTUAL_PRIVATE_GATEWAY, detail=f"into {entry.vpc_id}")
        self.enter_vpc_via_gateway(entry.component_id, entry.vpc_id)


# -- on-prem entry points -----------------------------------------------------------------------


@dataclass(frozen=True)
class _OnpremEntry:
    """Where an on-prem packet enters: a VGW into a VPC, or a TGW VPN attachment."""

    component_id: str
    vpc_id: str | None = None
    attachment: TransitGatewayAttachment | None = None


def _carrying_vpns(network: Network, src: IPv4Address) -> list[VpnConnection]:
    """Available VPN connections with a range containing `src` (its own ranges, or the
    declared ones for a BGP VPN: `Network.vpn_onprem_cidrs`), sorted by id."""
    return [
        vpn
        for vpn in sorted(network.vpn_connections, key=lambda v: v.id)
        if available(vpn.state) and any(in_cidr(src, c) for c in network.vpn_onprem_cidrs(vpn.id))
    ]


def _onprem_entries(network: Network, src: IPv4Address) -> tuple[_OnpremEntry, ...]:
    """Every VGW (per attached VPC) and TGW VPN attachment whose VPN has a range containing
    `src`, sorted by id."""
    out: list[_OnpremEntry] = []
    for vpn in _carrying_vpns(network, src):
        vgw = network.get(vpn.vpn_gateway_id or "")
        if isinstance(vgw, VpnGateway) and available(vgw.state):
            out.extend(_OnpremEntry(vgw.id, vpc_id=v) for v in sorted(vgw.vpc_ids))
        for att in network.transit_gateway_attachments:
            if (
                att.resource_type is TransitGatewayAttachmentType.VPN
                and att.resource_id == vpn.id
                and available(att.state)
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
    vpns = _carrying_vpns(w.net, src)
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
