"""Walker hops of a NAT gateway: translating a packet routed to it (TCP/UDP/ICMP only, sources
in its VPC; source := its private IP and port := the chosen port), and reversing the
translation for the reply of one of its sessions (anything else addressed to it:
`NGW_NO_UNSOLICITED_INBOUND`).

Example: `tcp 10.0.1.5:40000 -> 1.1.1.1:443` through nat-1 (10.0.0.9) leaves as
`tcp 10.0.0.9:1024 -> 1.1.1.1:443` (port 1024 unless `nat_ports` says otherwise).

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from typing import Any, NoReturn

from netcheck.model import (
    ICMP,
    TCP,
    UDP,
    Direction,
    InterfaceOwnerKind,
    NatGateway,
    RegionalNatGateway,
    Route,
    Subnet,
    Vpc,
)
from netcheck.model.addresses import IPAddress
from netcheck.model.hops import HopKind
from netcheck.walk.hops import network_acl
from netcheck.walk.hops import subnet as subnet_hops
from netcheck.walk.hops.context import DEFAULT_NAT_PORT, Walk, available, with_changes
from netcheck.walk.match import in_cidr


def resolve_nat(w: Walk, route: Route, subnet: Subnet) -> object:
    nat = w.net.get(route.target_id or "")
    if (
        isinstance(nat, NatGateway | RegionalNatGateway)
        and available(nat.state)
        and nat.vpc_id == subnet.vpc_id
    ):
        return nat
    return None


def to_nat(w: Walk, subnet: Subnet, target: object, egress_checked: bool) -> None:
    if isinstance(target, RegionalNatGateway):
        # forwarding.md "NAT gateway": a regional NAT gateway's per-AZ address and path are
        # not in the snapshot; the packet leaves the subnet and its fate is unknown.
        subnet_hops.leave(w, subnet, egress_checked)
        w.unknown(
            target.id,
            f"{target.id} is a regional NAT gateway: the address and path it uses in "
            f"{subnet.availability_zone} are not in the snapshot",
        )
    assert isinstance(target, NatGateway)
    nat = target
    subnet_hops.leave(w, subnet, egress_checked)
    nat_subnet: Subnet = w.lookup(nat.subnet_id, Subnet, "subnet")
    if nat_subnet.id != subnet.id:
        network_acl.nacl(w, nat_subnet, Direction.INGRESS)
    p = w.packet
    if p.protocol not in (TCP, UDP, ICMP):
        w.hop(nat.id, HopKind.NAT_GATEWAY, "deny", detail=f"protocol {p.protocol}")
        w.drop("NGW_PROTOCOL_RESTRICTION", nat.id, f"{nat.id} only translates TCP, UDP and ICMP")
    vpc: Vpc = w.lookup(subnet.vpc_id, Vpc, "VPC")
    if not any(in_cidr(p.src_ip, c) for c in vpc.cidr_blocks):
        w.hop(nat.id, HopKind.NAT_GATEWAY, "deny", detail=f"source {p.src_ip} outside {vpc.id}")
        w.drop("NGW_REQUIRES_SOURCE_IN_VPC", nat.id, f"{nat.id} only serves sources in {vpc.id}")
    private = nat_private_ip(w, nat)
    changes: dict[str, Any] = {"src_ip": private}
    if p.protocol in (TCP, UDP):
        port = w.nat_ports.get(nat.id, DEFAULT_NAT_PORT)
        if not 1024 <= port <= 65535:
            raise ValueError(f"NAT port {port} for {nat.id} is outside 1024-65535")
        changes["src_port"] = port
    new = with_changes(p, **changes)
    w.translate(
        nat.id, HopKind.NAT_GATEWAY, new, f"{p.src_ip}:{p.src_port} -> {private}:{new.src_port}"
    )
    subnet_hops.route_from(w, nat_subnet)


def nat_private_ip(w: Walk, nat: NatGateway) -> IPAddress:
    addresses = [a for a in nat.addresses if a.private_ip is not None]
    primary = [a for a in addresses if a.primary] or addresses
    if not primary:
        w.unknown(nat.id, f"{nat.id} has no private address in the snapshot", "UNKNOWN_RESOURCE")
    address = primary[0].private_ip
    assert address is not None
    return address


def nat_with_address(w: Walk, subnet: Subnet, address: IPAddress) -> NatGateway | None:
    """The NAT gateway of `subnet` that owns `address` (by its addresses or its ENI)."""
    owner_ids = {
        e.owner_id
        for e in w.net.interfaces_with_address(address)
        if e.subnet_id == subnet.id and e.owner_kind is InterfaceOwnerKind.NAT_GATEWAY
    }
    eni_ids = {e.id for e in w.net.interfaces_with_address(address)}
    for nat in sorted(w.net.nat_gateways, key=lambda n: n.id):
        if nat.subnet_id != subnet.id:
            continue
        if nat.id in owner_ids or any(
            a.private_ip == address or (a.interface_id is not None and a.interface_id in eni_ids)
            for a in nat.addresses
        ):
            return nat
    return None


def at_nat(w: Walk, nat: NatGateway) -> NoReturn:
    """A packet addressed to a NAT gateway: only the reply of one of its sessions passes
    (reverse translation, then routed from the NAT's subnet)."""
    p = w.packet
    for s in w.sessions:
        if (
            s.nat_id == nat.id
            and p.protocol == s.after.protocol
            and p.dst_ip == s.after.src_ip
            and (p.protocol not in (TCP, UDP) or p.dst_port == s.after.src_port)
        ):
            new = with_changes(p, dst_ip=s.before.src_ip, dst_port=s.before.src_port)
            w.translate(nat.id, HopKind.NAT_GATEWAY, new, "reverse translation of the NAT session")
            subnet_hops.route_from(w, w.lookup(nat.subnet_id, Subnet, "subnet"))
            raise AssertionError("route_from always stops")  # pragma: no cover
    w.hop(nat.id, HopKind.NAT_GATEWAY, "deny", detail="unsolicited inbound")
    w.drop("NGW_NO_UNSOLICITED_INBOUND", nat.id, f"{nat.id} accepts no unsolicited inbound packets")
