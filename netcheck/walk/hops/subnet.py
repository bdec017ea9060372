"""Walker hops of a subnet: routing from it (forwarding.md "Routing from a subnet": longest
prefix match, then the route target's (resolve, forward) pair from `table.ROUTE_TARGETS`) and
local delivery inside a VPC (the subnet holding `dst_ip`, its NACLs unless it is the source
subnet, then the owner of `dst_ip`).

Example: `10.0.0.0/16 -> local` takes a packet to 10.0.2.7 into the subnet holding it.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from netcheck.model import Direction, Route, RouteState, RouteTable, RouteTargetKind, Subnet
from netcheck.model.hops import HopKind
from netcheck.walk.hops import interface, network_acl
from netcheck.walk.hops import table as hop_table
from netcheck.walk.hops.context import Walk
from netcheck.walk.match import in_cidr, longest_prefix_match, missing_entries

# IPv4 multicast (RFC 5771), 224.0.0.0/4.
MULTICAST = IPv4Network("224.0.0.0/4")


def route_from(w: Walk, subnet: Subnet, *, egress_checked: bool = False) -> None:
    """Route from `subnet`. `egress_checked`: the subnet's outbound NACL has already
    passed this very packet, so it is not listed twice (no caller needs it since a TGW
    egress subnet is routed like a packet from inside it)."""
    table: RouteTable = w.lookup(subnet.route_table_id, RouteTable, "route table")
    domains = w.net.multicast_domains_of_vpc(subnet.vpc_id)
    if domains and in_cidr(w.packet.dst_ip, MULTICAST):
        # forwarding.md "Transit gateway multicast": a multicast domain of an attached TGW
        # may forward this packet to its group members, which is not modelled.
        w.unknown(
            domains[0],
            f"multicast to {w.packet.dst_ip} from {subnet.vpc_id} may be forwarded by "
            f"transit gateway multicast domain {', '.join(domains)}; not modelled",
        )
    _unknown_prefix_lists(w, table)
    match = longest_prefix_match(w.net, table.routes, w.packet.dst_ip)
    if match is None:
        w.hop(table.id, HopKind.ROUTE_TABLE, "deny", detail=f"no route to {w.packet.dst_ip}")
        w.drop(
            "NO_ROUTE_TO_DESTINATION",
            table.id,
            f"{table.id} has no route to {w.packet.dst_ip}",
        )
    route = match.route
    if route.state is RouteState.BLACKHOLE:
        w.hop(table.id, HopKind.ROUTE_TABLE, "deny", rule=route.label, detail="blackhole")
        w.drop("BAD_STATE_ROUTE", table.id, f"route {route.label} of {table.id} is a blackhole")
    handler = hop_table.ROUTE_TARGETS.get(route.target_kind)
    if handler is None:
        w.hop(table.id, HopKind.ROUTE_TABLE, rule=route.label, detail=f"matched {match.prefix}")
        w.unknown(
            route.target_id or table.id,
            f"route {route.label} of {table.id} targets a {route.target_kind.value}; "
            "forwarding through it is not modelled",
        )
    resolve, forward = handler
    target = resolve(w, route, subnet)
    if target is None and route.target_id and w.net.get(route.target_id) is None:
        # AWS shows a route `active` only while its target exists (a deleted target turns it
        # into a blackhole): the snapshot is missing the target, not the network.
        w.hop(table.id, HopKind.ROUTE_TABLE, rule=route.label, detail=f"matched {match.prefix}")
        w.unknown(
            route.target_id,
            f"route {route.destination_text} of {table.id} is active but its target "
            f"{route.target_id} is not in the snapshot",
            "UNKNOWN_RESOURCE",
        )
    if target is None:
        w.hop(table.id, HopKind.ROUTE_TABLE, "deny", rule=route.label, detail="target unavailable")
        w.drop(
            "BAD_STATE_ROUTE",
            table.id,
            f"the target of route {route.label} of {table.id} is not in the snapshot or "
            "not available",
        )
    w.hop(table.id, HopKind.ROUTE_TABLE, rule=route.label, detail=f"matched {match.prefix}")
    forward(w, subnet, target, egress_checked)


def _unknown_prefix_lists(w: Walk, table: RouteTable) -> None:
    """A route to a prefix list whose entries the snapshot lacks could be the longest match
    for any destination that no `local` route covers (AWS allows no route more specific
    than `local` but to an appliance): the walk is unknown there."""
    dst = w.packet.dst_ip
    for route in table.routes:
        if route.destination_prefix_list_id is None:
            continue
        why = missing_entries(w.net, route.destination_prefix_list_id)
        if why is None:
            continue
        if any(
            r.target_kind is RouteTargetKind.LOCAL and in_cidr(dst, r.destination)
            for r in table.routes
        ):
            return
        w.hop(table.id, HopKind.ROUTE_TABLE, rule=route.label, detail="entries unknown")
        w.unknown(
            route.destination_prefix_list_id,
            f"{why}; route {route.label} of {table.id} uses it",
            "UNKNOWN_RESOURCE",
        )


def leave(w: Walk, subnet: Subnet, egress_checked: bool) -> None:
    if not egress_checked:
        network_acl.nacl(w, subnet, Direction.EGRESS)


def resolve_local(w: Walk, route: Route, subnet: Subnet) -> object:
    return subnet.vpc_id


def to_local(w: Walk, subnet: Subnet, target: object, egress_checked: bool) -> None:
    deliver_in_vpc(w, subnet.vpc_id, subnet, egress_checked=egress_checked)


def deliver_in_vpc(
    w: Walk, vpc_id: str, source: Subnet | None, *, egress_checked: bool = False
) -> None:
    """Deliver inside `vpc_id` ("local"): the subnet containing `dst_ip`, its NACLs unless
    it is the source subnet, then the ENI that owns `dst_ip`."""
    dst = w.packet.dst_ip
    dest = w.net.subnet_containing(vpc_id, dst)
    if dest is None:
        w.drop("NO_ROUTE_TO_DESTINATION", vpc_id, f"{dst} is in no subnet of {vpc_id}")
    if source is None:
        network_acl.nacl(w, dest, Direction.INGRESS)
    elif dest.id != source.id:
        leave(w, source, egress_checked)
        network_acl.nacl(w, dest, Direction.INGRESS)
    interface.arrive(w, dest)
