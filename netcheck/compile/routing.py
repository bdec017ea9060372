"""Encoders for route selection: VPC route tables and transit gateway route tables.

Input: a route table (model) and a `SymPacket`. Output: one `(route, selected)` pair per route
where `selected` holds exactly when longest-prefix match picks that route for the packet's
`dst_ip`, plus the condition under which no route matches.

VPC tables (docs/semantics/forwarding.md): longest prefix wins; on equal prefix length
`local` > CIDR route > prefix-list route > propagated route. A prefix-list route matches any
entry of the list with that entry's prefix length. Example: with `10.0.0.0/16 -> local` and
`0.0.0.0/0 -> igw-1`, `selected(igw-1) = ¬(dst ∈ 10.0.0.0/16)`.
TGW tables: longest prefix wins; on equal prefix static beats propagated.
"""

from __future__ import annotations

from ipaddress import IPv4Network

import z3

from netcheck.compile.packet import SymPacket, ip_in
from netcheck.model.network import Network
from netcheck.model.routing import Route, RouteTable, RouteTargetKind
from netcheck.model.transit import TransitGatewayRoute


def _route_priority(route: Route) -> int:
    if route.target_kind is RouteTargetKind.LOCAL:
        return 0
    if "Propagation" in route.origin:
        return 3
    if route.destination_prefix_list_id is not None:
        return 2
    return 1


def route_entries(network: Network, table: RouteTable) -> list[tuple[IPv4Network, int, int]]:
    """(cidr, priority, route index) for every IPv4 destination of the table, most preferred
    first (longest prefix, then priority, then table order)."""
    out: list[tuple[IPv4Network, int, int]] = []
    for i, r in enumerate(table.routes):
        if r.destination is not None:
            cidrs = [r.destination]
        elif r.destination_prefix_list_id is not None:
            pl = network.get(r.destination_prefix_list_id)
            cidrs = list(getattr(pl, "entries", ()))
        else:
            cidrs = []
        for c in cidrs:
            if isinstance(c, IPv4Network):
                out.append((c, _route_priority(r), i))
    out.sort(key=lambda e: (-e[0].prefixlen, e[1], e[2]))
    return out


def _select(
    entries: list[tuple[IPv4Network, int, int]], p: SymPacket
) -> tuple[dict[int, z3.BoolRef], z3.BoolRef]:
    """Per route index the "picked by LPM" condition, and the "nothing matches" condition."""
    picked: dict[int, list[z3.BoolRef]] = {}
    none_before: list[z3.BoolRef] = []
    for cidr, _prio, idx in entries:
        m = ip_in(p.dst_ip, cidr)
        picked.setdefault(idx, []).append(z3.And(*none_before, m) if none_before else m)
        none_before.append(z3.Not(m))
    sel = {idx: z3.Or(*conds) for idx, conds in picked.items()}
    nothing = z3.And(*none_before) if none_before else z3.BoolVal(True)
    return sel, nothing


def select_route(
    network: Network, table: RouteTable, p: SymPacket
) -> tuple[list[tuple[Route, z3.BoolRef]], z3.BoolRef]:
    """Longest-prefix-match route selection in a VPC route table."""
    sel, nothing = _select(route_entries(network, table), p)
    return [(table.routes[i], sel[i]) for i in sorted(sel)], nothing


def select_tgw_route(
    routes: tuple[TransitGatewayRoute, ...], p: SymPacket
) -> tuple[list[tuple[TransitGatewayRoute, z3.BoolRef]], z3.BoolRef]:
    """Longest-prefix-match in a TGW route table; static beats propagated on equal prefix."""
    entries = [
        (r.destination, 0 if r.route_type == "static" else 1, i)
        for i, r in enumerate(routes)
        if isinstance(r.destination, IPv4Network)
    ]
    entries.sort(key=lambda e: (-e[0].prefixlen, e[1], e[2]))
    sel, nothing = _select(entries, p)
    return [(routes[i], sel[i]) for i in sorted(sel)], nothing
