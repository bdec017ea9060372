"""Encoders for route selection: VPC route tables and transit gateway route tables.

Input: a route table (model) and a `SymPacket`. Output: one `(route, selected)` pair per route
where `selected` holds exactly when longest-prefix match picks that route for the packet's
`dst_ip`, plus the condition under which no route matches.

VPC tables (docs/semantics/forwarding.md): longest prefix wins; on equal prefix length
`local` > CIDR route > prefix-list route > propagated route. A prefix-list route matches any
entry of the list with that entry's prefix length. Example: with `10.0.0.0/16 -> local` and
`0.0.0.0/0 -> igw-1`, `selected(igw-1) = ¬(dst ∈ 10.0.0.0/16)`.
TGW tables: longest prefix wins; on equal prefix static beats propagated.
Only the routes of the packet's address family take part (an IPv4 packet never follows an
IPv6 route, and the reverse).
"""

from __future__ import annotations

import z3

from netcheck.compile.packet import Space, SymPacket, decide, ip_in
from netcheck.model.addresses import Family, IPPrefix, prefix_range
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


def route_entries(
    network: Network, table: RouteTable, family: Family = Family.V4
) -> list[tuple[IPPrefix, int, int]]:
    """(cidr, priority, route index) for every destination of `family` in the table, most
    preferred first (longest prefix, then priority, then table order)."""
    out: list[tuple[IPPrefix, int, int]] = []
    for i, r in enumerate(table.routes):
        if r.destination is not None:
            cidrs = [r.destination]
        elif r.destination_prefix_list_id is not None:
            pl = network.get(r.destination_prefix_list_id)
            cidrs = list(getattr(pl, "entries", ()))
        else:
            cidrs = []
        for c in cidrs:
            if c.version == family.value:
                out.append((c, _route_priority(r), i))
    out.sort(key=lambda e: (-e[0].prefixlen, e[1], e[2]))
    return out


def _select(
    entries: list[tuple[IPPrefix, int, int]], p: SymPacket, space: Space | None = None
) -> tuple[dict[int, z3.BoolRef], z3.BoolRef]:
    """Per route index the "picked by LPM" condition, and the "nothing matches" condition.
    With `space` (the values `dst_ip` can take, if known) an entry it never matches gets the
    condition False and adds nothing to later ones; one it always matches leaves False for
    every later entry (equivalent under the space; every route keeps its condition)."""
    picked: dict[int, list[z3.BoolRef]] = {}
    none_before: list[z3.BoolRef] = []
    covered = False  # an earlier entry matches every dst_ip of the space
    for cidr, _prio, idx in entries:
        d = None if space is None else decide(space, *prefix_range(cidr))
        if covered or d is False:
            picked.setdefault(idx, []).append(z3.BoolVal(False))
            continue
        if d is True:
            covered = True
            picked.setdefault(idx, []).append(
                z3.And(*none_before) if none_before else z3.BoolVal(True)
            )
            continue
        m = ip_in(p.dst_ip, cidr, p.family)
        picked.setdefault(idx, []).append(z3.And(*none_before, m) if none_before else m)
        none_before.append(z3.Not(m))
    sel = {idx: _or(conds) for idx, conds in picked.items()}
    if covered:
        nothing: z3.BoolRef = z3.BoolVal(False)
    else:
        nothing = z3.And(*none_before) if none_before else z3.BoolVal(True)
    return sel, nothing


def _or(conds: list[z3.BoolRef]) -> z3.BoolRef:
    live = [c for c in conds if not z3.is_false(c)]
    if len(live) == len(conds):
        return z3.Or(*conds)
    return z3.Or(*live) if live else z3.BoolVal(False)


def select_route(
    network: Network, table: RouteTable, p: SymPacket, space: Space | None = None
) -> tuple[list[tuple[Route, z3.BoolRef]], z3.BoolRef]:
    """Longest-prefix-match route selection in a VPC route table."""
    sel, nothing = _select(route_entries(network, table, p.family), p, space)
    return [(table.routes[i], sel[i]) for i in sorted(sel)], nothing


def select_tgw_route(
    routes: tuple[TransitGatewayRoute, ...], p: SymPacket, space: Space | None = None
) -> tuple[list[tuple[TransitGatewayRoute, z3.BoolRef]], z3.BoolRef]:
    """Longest-prefix-match in a TGW route table; static beats propagated on equal prefix."""
    entries = [
        (r.destination, 0 if r.route_type == "static" else 1, i)
        for i, r in enumerate(routes)
        if r.destination.version == p.family.value
    ]
    entries.sort(key=lambda e: (-e[0].prefixlen, e[1], e[2]))
    sel, nothing = _select(entries, p, space)
    return [(routes[i], sel[i]) for i in sorted(sel)], nothing
