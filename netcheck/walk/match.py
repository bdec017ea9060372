"""Rule matching for the concrete walker: network ACL entries, security-group rules, route
longest-prefix match and the internet's non-public address ranges.

Input: one concrete `Packet` and model objects. Output: the entry / rule / route that decides.
Plain Python on purpose: this is the independent oracle the Z3 encoders are checked against,
so nothing here is shared with `netcheck/compile` (forwarding.md keeps both in step).

    >>> from ipaddress import ip_address
    >>> is_public(ip_address("10.1.2.3")), is_public(ip_address("8.8.8.8"))
    (False, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network, ip_network

from netcheck.model import (
    ALL_PROTOCOLS,
    ICMP,
    TCP,
    UDP,
    Direction,
    IPAddress,
    IPPrefix,
    NaclEntry,
    Network,
    NetworkAcl,
    PortRange,
    Route,
    RouteTargetKind,
    SecurityGroupRule,
    TransitGatewayRoute,
)
from netcheck.model.packet import Packet

# The internet never delivers these (forwarding.md "On the internet"): RFC 1918, RFC 6598,
# loopback, link-local, 0.0.0.0/8 ("this network"), multicast and reserved (240/4, which
# includes the limited broadcast 255.255.255.255). The Z3 side keeps its own copy on purpose.
NON_PUBLIC_RANGES: tuple[IPv4Network, ...] = tuple(
    IPv4Network(c)
    for c in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)


def is_public(address: IPAddress) -> bool:
    """True when the internet can carry `address`: an IPv4 address in none of
    `NON_PUBLIC_RANGES`; an IPv6 address in the IANA global-unicast registry (Python's
    `is_global`; the walker's IPv6 semantics are issue #10's)."""
    if address.version == 6:
        return address.is_global
    return not any(address in r for r in NON_PUBLIC_RANGES)


def in_cidr(address: IPAddress, cidr: IPPrefix | None) -> bool:
    """`address in cidr`, False for IPv6 networks (the walker is IPv4 only)."""
    return isinstance(cidr, IPv4Network) and address in cidr


def _ports_match(port_range: PortRange | None, port: int) -> bool:
    return port_range is None or port in port_range


def _icmp_match(rule_type: int | None, rule_code: int | None, packet: Packet) -> bool:
    type_ok = rule_type is None or rule_type == -1 or rule_type == packet.icmp_type
    code_ok = rule_code is None or rule_code == -1 or rule_code == packet.icmp_code
    return type_ok and code_ok


def protocol_match(
    protocol: int,
    port_range: PortRange | None,
    icmp_type: int | None,
    icmp_code: int | None,
    packet: Packet,
) -> bool:
    """The protocol part of an ACL entry or SG rule: `-1` all; TCP/UDP with the port range on
    `dst_port` (no range = all ports); ICMP with type/code (-1 = any); another number matches
    that protocol, all ports."""
    if protocol == ALL_PROTOCOLS:
        return True
    if protocol != packet.protocol:
        return False
    if protocol in (TCP, UDP):
        return _ports_match(port_range, packet.dst_port)
    if protocol == ICMP:
        return _icmp_match(icmp_type, icmp_code, packet)
    return True


def nacl_entry_matches(entry: NaclEntry, packet: Packet) -> bool:
    """Ingress entries match `src_ip`, egress entries `dst_ip`."""
    address = packet.src_ip if entry.direction is Direction.INGRESS else packet.dst_ip
    if not in_cidr(address, entry.cidr):
        return False
    return protocol_match(
        entry.protocol, entry.port_range, entry.icmp_type, entry.icmp_code, packet
    )


def nacl_decide(acl: NetworkAcl, direction: Direction, packet: Packet) -> NaclEntry | None:
    """The first entry (ascending rule number, never input order) that matches, or None for
    the implicit `*` deny."""
    for entry in sorted(
        (e for e in acl.entries if e.direction is direction), key=lambda e: e.rule_number
    ):
        if nacl_entry_matches(entry, packet):
            return entry
    return None


def sg_rule_matches(network: Network, rule: SecurityGroupRule, packet: Packet) -> bool:
    """A security-group rule matches when protocol/ports match and the peer contains the
    remote address (`src_ip` for ingress, `dst_ip` for egress): a CIDR, a prefix list entry,
    or a private address of an ENI carrying the referenced group (a group that is not in the
    snapshot matches nothing)."""
    if not protocol_match(rule.protocol, rule.port_range, rule.icmp_type, rule.icmp_code, packet):
        return False
    remote = packet.src_ip if rule.direction is Direction.INGRESS else packet.dst_ip
    if rule.cidr is not None:
        return in_cidr(remote, rule.cidr)
    if rule.prefix_list_id is not None:
        return any(in_cidr(remote, c) for c in prefix_list_entries(network, rule.prefix_list_id))
    if rule.group_id is not None:
        if network.get(rule.group_id) is None:
            return False
        # A member's addresses include the prefixes delegated to it (prefix delegation).
        return any(
            remote in eni.addresses or any(in_cidr(remote, p) for p in eni.ipv4_prefixes)
            for eni in network.interfaces_in_group(rule.group_id)
        )
    return False


def missing_entries(network: Network, prefix_list_id: str) -> str | None:
    """Why the snapshot cannot say what prefix list `prefix_list_id` holds (the list or its
    entries are absent; the reason names the AWS CLI command that supplies them), or None."""
    try:
        pl = network.prefix_list(prefix_list_id)
    except KeyError:
        return (
            f"prefix list {prefix_list_id} is not in the snapshot (aws ec2 "
            "describe-managed-prefix-lists; aws ec2 get-managed-prefix-list-entries "
            f"--prefix-list-id {prefix_list_id})"
        )
    if pl.entries_known:
        return None
    return (
        f"{prefix_list_id} has no entries in the snapshot (aws ec2 "
        f"get-managed-prefix-list-entries --prefix-list-id {prefix_list_id})"
    )


def prefix_list_entries(network: Network, prefix_list_id: str) -> tuple[IPPrefix, ...]:
    """Entries of a prefix list; a list missing from the snapshot has none."""
    try:
        return network.prefix_list(prefix_list_id).entries
    except KeyError:
        return ()


# -- longest prefix match ---------------------------------------------------------------------

# Tie order on equal prefix length (forwarding.md): local > CIDR > prefix list > propagated.
_RANK_LOCAL, _RANK_CIDR, _RANK_PREFIX_LIST, _RANK_PROPAGATED = 3, 2, 1, 0


def _is_propagated(route: Route) -> bool:
    return route.origin == "EnableVgwRoutePropagation"


@dataclass(frozen=True)
class RouteMatch:
    """The route a VPC route table picked, with the prefix that matched."""

    route: Route
    prefix: IPPrefix


def _route_candidate(network: Network, route: Route, dst: IPAddress) -> tuple[int, int] | None:
    """(prefix length, tie rank) of `route` for `dst`, or None when it does not match."""
    if route.destination is not None:
        if not in_cidr(dst, route.destination):
            return None
        if route.target_kind is RouteTargetKind.LOCAL:
            rank = _RANK_LOCAL
        elif _is_propagated(route):
            rank = _RANK_PROPAGATED
        else:
            rank = _RANK_CIDR
        return route.destination.prefixlen, rank
    if route.destination_prefix_list_id is not None:
        lengths = [
            c.prefixlen
            for c in prefix_list_entries(network, route.destination_prefix_list_id)
            if in_cidr(dst, c)
        ]
        if not lengths:
            return None
        return max(lengths), _RANK_PREFIX_LIST
    return None


def longest_prefix_match(
    network: Network, routes: tuple[Route, ...], dst: IPAddress
) -> RouteMatch | None:
    """The route for `dst`: longest prefix, then the tie order; among routes still equal the
    first in table order wins (AWS does not allow such duplicates)."""
    best: tuple[int, int] | None = None
    chosen: Route | None = None
    for route in routes:
        key = _route_candidate(network, route, dst)
        if key is not None and (best is None or key > best):
            best, chosen = key, route
    if chosen is None or best is None:
        return None
    prefix = ip_network(f"{dst}/{best[0]}", strict=False)
    return RouteMatch(route=chosen, prefix=prefix)


def tgw_longest_prefix_match(
    routes: tuple[TransitGatewayRoute, ...], dst: IPAddress
) -> TransitGatewayRoute | None:
    """TGW route for `dst`: longest prefix; on equal prefix static beats propagated; then the
    first in the given (sorted) order."""
    best: tuple[int, int] | None = None
    chosen: TransitGatewayRoute | None = None
    for route in routes:
        if not in_cidr(dst, route.destination):
            continue
        key = (route.destination.prefixlen, 1 if route.route_type == "static" else 0)
        if best is None or key > best:
            best, chosen = key, route
    return chosen
