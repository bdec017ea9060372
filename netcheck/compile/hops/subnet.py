"""Hops of a subnet: routing from it (longest-prefix match in its route table, then the
route target's hop from the table in `compile/hops/table.py`) and local delivery inside a
VPC (the subnet holding `dst_ip`, its NACLs, the interface or NAT gateway owning `dst_ip`).

Input: the subnet (or VPC), the packet copy, the steps so far, the path state. Output: the
candidate `Path`s from there (docs/semantics/forwarding.md "Routing from a subnet",
"Local delivery").

Example: a table with `10.0.0.0/16 -> local` and `0.0.0.0/0 -> igw-1` gives one branch per
route (`route:rtb-1:10.0.0.0/16`, `route:rtb-1:0.0.0.0/0`) and a `NO_ROUTE_TO_DESTINATION`
drop for packets neither matches.
"""

from __future__ import annotations

from dataclasses import replace
from ipaddress import ip_network

import z3

from netcheck.compile.filters import prefix_list_gap
from netcheck.compile.hops import interface, nat_gateway, table
from netcheck.compile.hops.context import DROP, UNKNOWN, HopContext, PathState, Steps
from netcheck.compile.hops.network_acl import nacl
from netcheck.compile.packet import SymPacket, ip_in, ip_in_any, ip_is_any
from netcheck.compile.routing import select_route
from netcheck.compile.steps import Path, Rule, Step
from netcheck.errors import UnsupportedFeature
from netcheck.model.filtering import Direction
from netcheck.model.hops import HopKind
from netcheck.model.routing import Route, RouteState, RouteTable, RouteTargetKind
from netcheck.model.vpc import Subnet

# IPv4 multicast addresses (RFC 5771).
MULTICAST = ip_network("224.0.0.0/4")


def route_from_subnet(
    hc: HopContext, s: Subnet, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """Longest-prefix match in the subnet's route table, then the target's hop."""
    if not hc.ok(steps):
        return []
    looped = hc.looped(s.id, p, ps)
    if looped:
        return hc.unknown(steps, s.id, ps, looped)
    ps = replace(ps, routed=(*ps.routed, hc.routing_key(s.id, p)))
    rtb = hc.net.get(s.route_table_id)
    if not isinstance(rtb, RouteTable):
        return hc.unknown(
            steps,
            s.route_table_id,
            ps,
            f"route table {s.route_table_id} is not in the snapshot",
            "UNKNOWN_RESOURCE",
        )
    out: list[Path] = []
    domains = hc.net.multicast_domains_of_vpc(s.vpc_id)
    if domains:
        out, steps = _multicast(hc, s, domains, p, steps, ps)
    choices, nothing = select_route(hc.net, rtb, p, hc.space(p, "dst_ip"))
    gap_paths, pinned = _unknown_prefix_list_routes(hc, rtb, p, steps, ps)
    out += gap_paths
    if pinned is not None:
        # Outside the local routes a route whose prefix list has unknown entries may be
        # the longest match: only the destinations a local route pins are decided.
        nothing = z3.And(nothing, pinned)
        choices = [(r, z3.And(c, pinned)) for r, c in choices]
    out += hc.leaf(
        steps,
        rtb.id,
        HopKind.ROUTE_TABLE,
        f"route:{rtb.id}:none",
        nothing,
        p,
        ps,
        "NO_ROUTE_TO_DESTINATION",
        f"{rtb.id} has no route to the destination",
    )
    for route, cond in choices:
        label = f"route:{rtb.id}:{route.destination_text}"
        text = f"{rtb.id}: {route.label}"
        st = (
            *steps,
            Step(
                rtb.id,
                HopKind.ROUTE_TABLE,
                label,
                text,
                cond,
                p,
                "NO_ROUTE_TO_DESTINATION",
                (Rule(label, route.label, text, cond, True),),
            ),
        )
        if route.state is RouteState.BLACKHOLE:
            out += hc.end(
                st, DROP, rtb.id, ps, "BAD_STATE_ROUTE", f"route {route.label} is a blackhole"
            )
            continue
        try:
            out += table.dispatch(route, rtb.id)(hc, s, rtb.id, route, p, st, ps)
        except UnsupportedFeature as e:
            out += hc.unknown(st, e.component_id, ps, e.reason, e.code)
    return out


def _unknown_prefix_list_routes(
    hc: HopContext, rtb: RouteTable, p: SymPacket, steps: Steps, ps: PathState
) -> tuple[list[Path], z3.BoolRef | None]:
    """A route whose destination prefix list has unknown entries may match any destination
    with any prefix length, except where a `local` route decides (AWS accepts no route more
    specific than `local` but to an appliance; forwarding.md "Unknown because missing").
    Returns the `unknown` path for the other destinations and the "a local route matches"
    condition (None when every prefix list of the table is known)."""
    gaps = [
        (r, gap)
        for r in rtb.routes
        if r.destination_prefix_list_id is not None
        and (gap := prefix_list_gap(hc.net, r.destination_prefix_list_id)) is not None
    ]
    if not gaps:
        return [], None
    local = [
        r.destination
        for r in rtb.routes
        if r.target_kind is RouteTargetKind.LOCAL
        and r.destination is not None
        and r.destination.version == p.family.value
    ]
    pinned = z3.Or(*(ip_in(p.dst_ip, c, p.family) for c in local)) if local else z3.BoolVal(False)
    route, gap = gaps[0]
    leaf = hc.leaf(
        steps,
        route.destination_prefix_list_id or rtb.id,
        HopKind.ROUTE_TABLE,
        f"route:{rtb.id}:{route.destination_text}:entries-unknown",
        z3.Not(pinned),
        p,
        ps,
        "UNKNOWN_RESOURCE",
        f"{gap}; route {route.label} of {rtb.id} uses it",
        UNKNOWN,
    )
    return leaf, pinned


def to_local(
    hc: HopContext,
    s: Subnet,
    table_id: str,
    route: Route,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """Route target `local`: delivery inside the subnet's own VPC."""
    return deliver_in_vpc(hc, s.vpc_id, s, p, steps, ps)


def deliver_in_vpc(
    hc: HopContext, vpc_id: str, src: Subnet | None, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """Local delivery: the subnet containing `dst_ip` (none: `NO_ROUTE_TO_DESTINATION`),
    outbound NACL of the source subnet and inbound NACL of the destination subnet unless
    they are the same subnet, then the interface owning `dst_ip`."""
    if not hc.ok(steps):
        return []
    subnets = hc.net.subnets_in_vpc(vpc_id)
    inside = [ip_in(p.dst_ip, d.cidr_block) for d in subnets]
    out = hc.leaf(
        steps,
        vpc_id,
        HopKind.VPC,
        f"vpc:{vpc_id}:no-subnet",
        z3.And(*(z3.Not(c) for c in inside)),
        p,
        ps,
        "NO_ROUTE_TO_DESTINATION",
        f"the destination is in no subnet of {vpc_id}",
    )
    for d, cond in zip(subnets, inside, strict=True):
        if not _worth_entering(hc, d, ps):
            continue
        st = (
            *steps,
            Step(
                d.id,
                HopKind.SUBNET,
                f"subnet:{d.id}",
                f"{d.cidr_block} is subnet {d.id}",
                cond,
                p,
                "NO_ROUTE_TO_DESTINATION",
            ),
        )
        if src is None:
            st = (*st, nacl(hc, d, Direction.INGRESS, p))
        elif src.id != d.id:
            st = (*st, nacl(hc, src, Direction.EGRESS, p), nacl(hc, d, Direction.INGRESS, p))
        out += deliver_in_subnet(hc, d, p, st, ps)
    return out


def _worth_entering(hc: HopContext, d: Subnet, ps: PathState) -> bool:
    """Can a packet delivered into `d` end anywhere the query cares about? (A wanted
    interface, or for a reply a NAT gateway that reverses its translation.)"""
    if hc.targets is None:
        return True
    if any(hc.wanted(e.id) for e in hc.net.interfaces_in_subnet(d.id)):
        return True
    return any(x.subnet_id == d.id for x in ps.sessions)


def _multicast(
    hc: HopContext,
    s: Subnet,
    domains: tuple[str, ...],
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> tuple[list[Path], Steps]:
    """A multicast packet (224.0.0.0/4) from a VPC attached to a transit gateway with a
    multicast domain may be forwarded by that domain to its group members, which is not
    modelled: `unknown` naming the domain. Other packets route on (the returned steps)."""
    multicast = ip_in(p.dst_ip, MULTICAST)
    out = hc.leaf(
        steps,
        domains[0],
        HopKind.TRANSIT_GATEWAY,
        f"multicast:{domains[0]}",
        multicast,
        p,
        ps,
        "UNSUPPORTED_COMPONENT",
        f"multicast from {s.vpc_id} may be forwarded by transit gateway multicast domain "
        f"{', '.join(domains)}; multicast forwarding is not modelled",
        UNKNOWN,
    )
    st = Step(
        s.id,
        HopKind.ROUTE_TABLE,
        f"multicast:{s.id}:unicast",
        "the destination is not a multicast address",
        z3.Not(multicast),
        p,
    )
    return out, (*steps, st)


def deliver_in_subnet(
    hc: HopContext, d: Subnet, p: SymPacket, steps: Steps, ps: PathState
) -> list[Path]:
    """Inside subnet `d`: the NAT gateway or interface owning `dst_ip` (first owner wins);
    an address nothing owns: `NO_ROUTE_TO_DESTINATION`."""
    if not hc.ok(steps):
        return []
    out: list[Path] = []
    taken: list = []
    for nat, addrs in nat_gateway.nat_addresses(hc, d):
        mine = [a for a in addrs if a not in taken]
        taken += mine
        if mine:
            out += nat_gateway.at_nat(
                hc,
                nat,
                p,
                (
                    *steps,
                    Step(
                        nat.id,
                        HopKind.NAT_GATEWAY,
                        f"nat:{nat.id}:address",
                        f"{nat.id} owns the destination",
                        ip_is_any(p.dst_ip, mine),
                        p,
                    ),
                ),
                ps,
            )
    delegated: list = []
    for eni in sorted(hc.net.interfaces_in_subnet(d.id), key=lambda e: e.id):
        mine = [a for a in eni.addresses if a not in taken]
        taken += mine
        # Delegated prefixes (prefix delegation): AWS carves them out of the subnet apart
        # from every private address, so they never overlap another owner.
        prefixes = list(eni.ipv4_prefixes)
        delegated += prefixes
        if (mine or prefixes) and hc.wanted(eni.id):
            owns = ip_is_any(p.dst_ip, mine)
            if prefixes:
                owns = z3.Or(owns, ip_in_any(p.dst_ip, prefixes))
            st = Step(
                eni.id,
                HopKind.ENI_INGRESS,
                f"eni:{eni.id}:address",
                f"{eni.id} owns the destination",
                owns,
                p,
                "NO_ROUTE_TO_DESTINATION",
            )
            out += interface.arrive(hc, eni, p, (*steps, st), ps)
    owned = ip_is_any(p.dst_ip, taken)
    if delegated:
        owned = z3.Or(owned, ip_in_any(p.dst_ip, delegated))
    return out + hc.leaf(
        steps,
        d.id,
        HopKind.SUBNET,
        f"subnet:{d.id}:no-interface",
        z3.Not(owned),
        p,
        ps,
        "NO_ROUTE_TO_DESTINATION",
        f"no interface of {d.id} has the destination address",
    )
