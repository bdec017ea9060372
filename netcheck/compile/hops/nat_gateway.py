"""Hops of a NAT gateway: translating a packet routed to it (outbound) and reversing the
translation for the reply of one of its sessions (a packet addressed to it).

Input: the routing subnet and route (outbound) or the NAT gateway (inbound), the packet copy,
the steps so far, the path state. Output: the candidate `Path`s from there; the outbound
translation records a `NatSession` on the path and continues by routing from the NAT
gateway's subnet (docs/semantics/forwarding.md "NAT gateway").

Example: `tcp 10.0.1.5:40000 -> 1.1.1.1:443` routed to nat-1 (private 10.0.0.9) leaves as
`tcp 10.0.0.9:<port> -> 1.1.1.1:443` where the port in 1024-65535 is nat-1's choice; an
unsolicited packet to 10.0.0.9 ends `NGW_NO_UNSOLICITED_INBOUND`.
"""

from __future__ import annotations

from dataclasses import replace

import z3

from netcheck.compile.hops import subnet as subnet_hops
from netcheck.compile.hops.context import HopContext, PathState, Steps, available
from netcheck.compile.hops.network_acl import nacl
from netcheck.compile.packet import SymPacket, fresh, fresh_port, in_range, ip_in_any, same
from netcheck.compile.steps import NatSession, Path, Step
from netcheck.model.base import ICMP, TCP, UDP
from netcheck.model.filtering import Direction
from netcheck.model.gateways import NatGateway, RegionalNatGateway
from netcheck.model.hops import HopKind
from netcheck.model.interfaces import InterfaceOwnerKind
from netcheck.model.routing import Route
from netcheck.model.vpc import Subnet


def to_nat(
    hc: HopContext,
    s: Subnet,
    table_id: str,
    route: Route,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """NAT gateway: TCP/UDP/ICMP only (`NGW_PROTOCOL_RESTRICTION`), sources inside its VPC
    (`NGW_REQUIRES_SOURCE_IN_VPC`); source := its private IP, source port := a port in
    1024-65535 it chooses (existential); then routed from its subnet."""
    n = hc.net.get(route.target_id or "")
    if isinstance(n, RegionalNatGateway) and available(n.state) and n.vpc_id == s.vpc_id:
        return _regional(hc, s, n, p, steps, ps)
    if not isinstance(n, NatGateway) or not available(n.state) or n.vpc_id != s.vpc_id:
        return hc.bad_state(steps, table_id, route, ps)
    nsub = hc.net.subnet(n.subnet_id)
    steps = (*steps, nacl(hc, s, Direction.EGRESS, p))
    if nsub.id != s.id:
        steps = (*steps, nacl(hc, nsub, Direction.INGRESS, p))
    proto_ok = z3.Or(p.protocol == TCP, p.protocol == UDP, p.protocol == ICMP)
    out = hc.leaf(
        steps,
        n.id,
        HopKind.NAT_GATEWAY,
        f"nat:{n.id}:protocol",
        z3.Not(proto_ok),
        p,
        ps,
        "NGW_PROTOCOL_RESTRICTION",
        f"{n.id} only translates TCP, UDP and ICMP",
    )
    steps = (
        *steps,
        Step(
            n.id,
            HopKind.NAT_GATEWAY,
            f"nat:{n.id}:protocol-ok",
            f"{n.id} translates TCP, UDP and ICMP",
            proto_ok,
            p,
            "NGW_PROTOCOL_RESTRICTION",
        ),
    )
    vpc = hc.net.vpc(s.vpc_id)
    inside = ip_in_any(p.src_ip, list(vpc.cidr_blocks))
    out += hc.leaf(
        steps,
        n.id,
        HopKind.NAT_GATEWAY,
        f"nat:{n.id}:source",
        z3.Not(inside),
        p,
        ps,
        "NGW_REQUIRES_SOURCE_IN_VPC",
        f"{n.id} only serves sources in {vpc.id}",
    )
    addrs = [a for a in n.addresses if a.private_ip is not None]
    if not addrs:
        return out + hc.unknown(
            steps,
            n.id,
            ps,
            f"{n.id} has no private address in the snapshot",
            "UNKNOWN_RESOURCE",
        )
    nat_ip = ([a for a in addrs if a.primary] or addrs)[0].private_ip
    assert nat_ip is not None
    port = fresh_port(f"natport:{n.id}")
    pinned = hc.nat_ports.get(n.id)
    q = fresh("nat-out")
    link = z3.And(
        same(p, q, except_=("src_ip", "src_port")),
        q.src_ip == int(nat_ip),
        in_range(port, 1024, 65535) if pinned is None else port == pinned,
        z3.If(p.has_ports(), q.src_port == port, q.src_port == p.src_port),
    )
    st = Step(
        n.id,
        HopKind.NAT_GATEWAY,
        f"nat:{n.id}:translate",
        f"{n.id} translates the source to {nat_ip}",
        inside,
        p,
        "NGW_REQUIRES_SOURCE_IN_VPC",
        (),
        link,
        q,
        ((n.id, port),),
        action="translate",
    )
    sess = NatSession(n.id, nsub.id, int(nat_ip), port, p.src_ip, p.src_port)
    ps = replace(ps, made=(*ps.made, sess))
    return out + subnet_hops.route_from_subnet(hc, nsub, q, (*steps, st), ps)


def nat_addresses(hc: HopContext, d: Subnet) -> list[tuple[NatGateway, list]]:
    """NAT gateways of subnet `d` with the addresses that reach them."""
    out = []
    for nat in sorted(hc.net.nat_gateways, key=lambda n: n.id):
        if nat.subnet_id != d.id:
            continue
        addrs = {a.private_ip for a in nat.addresses if a.private_ip is not None}
        ids = {a.interface_id for a in nat.addresses if a.interface_id}
        for e in hc.net.interfaces_in_subnet(d.id):
            if e.id in ids or (
                e.owner_kind is InterfaceOwnerKind.NAT_GATEWAY and e.owner_id == nat.id
            ):
                addrs |= set(e.addresses)
        out.append((nat, sorted(addrs)))
    return out


def at_nat(
    hc: HopContext, nat: NatGateway, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """A packet addressed to a NAT gateway: only the reply of one of its sessions passes
    (reverse translation, routed from the NAT's subnet); else `NGW_NO_UNSOLICITED_INBOUND`."""
    if not hc.ok(steps):
        return []
    out: list[Path] = []
    misses: list[z3.BoolRef] = []
    for sess in ps.sessions if ps.reply else ():
        if sess.nat_id != nat.id:
            continue
        # TCP/UDP: the port the NAT chose; ICMP (echo replies): its address alone.
        hit = z3.And(
            z3.Or(
                z3.And(z3.Or(p.protocol == TCP, p.protocol == UDP), p.dst_port == sess.port),
                p.protocol == ICMP,
            ),
            p.dst_ip == sess.nat_ip,
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
        # The reversed packet `q` is another copy, so routing it from the NAT's subnet again
        # is no loop (the guard is per component and copy: HopContext.routing_key) — e.g. a
        # reply that left through that subnet towards the NAT's own Elastic IP.
        out += subnet_hops.route_from_subnet(hc, hc.net.subnet(nat.subnet_id), q, (*steps, st), ps)
    return out + hc.leaf(
        steps,
        nat.id,
        HopKind.NAT_GATEWAY,
        f"nat:{nat.id}:unsolicited",
        z3.And(*misses),
        p,
        ps,
        "NGW_NO_UNSOLICITED_INBOUND",
        f"{nat.id} accepts no unsolicited inbound packets",
    )


def _regional(
    hc: HopContext,
    s: Subnet,
    n: RegionalNatGateway,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """A regional NAT gateway: the packet leaves the subnet (outbound NACL), then which
    address the NAT uses in this AZ and how it routes on are not in describe-* output, so
    the path ends `unknown` naming it (never a guessed drop or pass)."""
    steps = (*steps, nacl(hc, s, Direction.EGRESS, p))
    return hc.unknown(
        steps,
        n.id,
        ps,
        f"{n.id} is a regional NAT gateway (AvailabilityMode regional): the address and "
        f"path it uses in {s.availability_zone} are not in the snapshot, so what it does "
        "with the packet is not modelled",
    )
