"""Walker hop: the security groups of an interface in one direction (forwarding.md "Security
group matching"): the union of the rules of every group; no rule matches:
`ENI_SG_RULES_MISMATCH`; a group missing from the snapshot: `unknown`.

A rule that references a group matches the group's members in the interface's own VPC; a
member in another VPC only when the packet crosses between the two VPCs the way AWS carries
references (forwarding.md "Security group references"): inbound, when the packet arrived
over the peering connection from that VPC, or out of a transit gateway from that VPC's
attachment with `SecurityGroupReferencingSupport` enabled on the TGW and both attachments;
outbound, when the source subnet routes the member's address into the peering connection to
its VPC. A transit gateway whose setting the snapshot lacks leaves the rule undecided: if no
other rule matches, the walk ends `unknown` naming the resource.

Example: eni-1 in sg-1 (ingress tcp/443 from 0.0.0.0/0) passes `tcp 8.8.8.8:1 -> :443` with a
`security-group` hop naming sg-1's rule.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from netcheck.model import (
    Direction,
    NetworkInterface,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    TransitGateway,
    TransitGatewayAttachment,
    VpcPeeringConnection,
)
from netcheck.model.hops import HopKind
from netcheck.model.routing import RouteState, RouteTargetKind
from netcheck.walk.hops.context import Walk
from netcheck.walk.match import (
    in_cidr,
    longest_prefix_match,
    missing_entries,
    protocol_match,
    sg_rule_matches,
)


def security_groups(w: Walk, eni: NetworkInterface, direction: Direction) -> None:
    """Union of the rules of every group of `eni` (forwarding.md "Security group
    matching"); no rule matches: `ENI_SG_RULES_MISMATCH`."""
    missing: list[str] = []
    undecided: list[tuple[str, str]] = []
    for group_id in sorted(eni.group_ids):
        group = w.net.get(group_id)
        if not isinstance(group, SecurityGroup):
            missing.append(group_id)
            continue
        for rule in group.rules(direction):
            if rule.group_id is not None:
                verdict = _reference_matches(w, eni, rule, direction)
                if isinstance(verdict, tuple):
                    undecided.append(verdict)
                    continue
                matched = verdict
            else:
                matched = sg_rule_matches(w.net, rule, w.packet)
            if matched:
                w.hop(
                    group_id,
                    HopKind.SECURITY_GROUP,
                    rule=rule.rule_id,
                    detail=f"{direction.value} {rule.peer_text}",
                )
                return
    if missing:
        w.unknown(
            missing[0],
            f"security group {missing[0]} of {eni.id} is not in the snapshot",
            "UNKNOWN_RESOURCE",
        )
    if undecided:
        w.unknown(undecided[0][0], undecided[0][1])
    # A rule whose prefix list has unknown entries might allow the packet: the protocol and
    # ports are all that can be checked.
    for group_id in sorted(eni.group_ids):
        group = w.net.get(group_id)
        assert isinstance(group, SecurityGroup)
        for rule in group.rules(direction):
            if rule.prefix_list_id is None:
                continue
            why = missing_entries(w.net, rule.prefix_list_id)
            if why is not None and protocol_match(
                rule.protocol, rule.port_range, rule.icmp_type, rule.icmp_code, w.packet
            ):
                w.unknown(
                    rule.prefix_list_id,
                    f"{why}; rule {rule.rule_id} of {group_id} uses it "
                    f"({direction.value} of {eni.id})",
                    "UNKNOWN_RESOURCE",
                )
    groups = ", ".join(sorted(eni.group_ids)) or "any group"
    w.hop(
        eni.id,
        HopKind.SECURITY_GROUP,
        "deny",
        detail=f"no {direction.value} rule of {groups} matches",
    )
    w.drop(
        "ENI_SG_RULES_MISMATCH",
        eni.id,
        f"no {direction.value} security-group rule of {eni.id} allows {w.packet}",
    )


def _reference_matches(
    w: Walk, eni: NetworkInterface, rule: SecurityGroupRule, direction: Direction
) -> bool | tuple[str, str]:
    """Does a group-reference rule match the packet here? True / False, or (resource,
    reason) when the snapshot does not say whether a transit gateway carries it."""
    packet = w.packet
    if not protocol_match(rule.protocol, rule.port_range, rule.icmp_type, rule.icmp_code, packet):
        return False
    group_id = rule.group_id or ""
    if w.net.get(group_id) is None:
        return False
    remote = packet.src_ip if direction is Direction.INGRESS else packet.dst_ip
    # A member's addresses include the prefixes delegated to it (prefix delegation).
    owners = [
        m
        for m in w.net.interfaces_in_group(group_id)
        if remote in m.addresses or any(in_cidr(remote, p) for p in m.ipv4_prefixes)
    ]
    if any(m.vpc_id == eni.vpc_id for m in owners):
        return True
    vpcs = sorted({m.vpc_id for m in owners})
    if not vpcs:
        return False
    if direction is Direction.EGRESS:
        return any(_routed_into_peering(w, eni, v) for v in vpcs)
    arrival = w.arrival
    if arrival is None or arrival.source_vpc not in vpcs:
        return False
    if arrival.ingress_attachment is None:
        return True  # came over the peering connection from the member's VPC
    # Transit gateway: inbound references need the option on the TGW and both attachments.
    settings: list[tuple[str, bool | None]] = []
    tgw = w.net.get(arrival.component_id)
    settings.append(
        (
            arrival.component_id,
            tgw.security_group_referencing_support if isinstance(tgw, TransitGateway) else None,
        )
    )
    for att_id in (arrival.ingress_attachment, arrival.egress_attachment):
        att = w.net.get(att_id or "")
        settings.append(
            (
                att_id or "",
                att.security_group_referencing_support
                if isinstance(att, TransitGatewayAttachment)
                else None,
            )
        )
    if any(value is False for _, value in settings):
        return False
    unstated = [rid for rid, value in settings if value is None]
    if not unstated:
        return True
    return (
        unstated[0],
        f"whether {unstated[0]} supports security group referencing is not in the snapshot "
        "(Options.SecurityGroupReferencingSupport of describe-transit-gateways / "
        "describe-transit-gateway-vpc-attachments): a rule of "
        f"{eni.id} that references a group of {arrival.source_vpc} may match across "
        f"{arrival.component_id}",
    )


def _routed_into_peering(w: Walk, eni: NetworkInterface, member_vpc: str) -> bool:
    """Does `eni`'s subnet route the packet's destination into an active peering connection
    to `member_vpc`?"""
    subnet = w.net.get(eni.subnet_id)
    table = w.net.get(getattr(subnet, "route_table_id", "") or "")
    if not isinstance(table, RouteTable):
        return False
    match = longest_prefix_match(w.net, table.routes, w.packet.dst_ip)
    if match is None:
        return False
    route = match.route
    pcx = w.net.get(route.target_id or "")
    return (
        route.state is not RouteState.BLACKHOLE
        and route.target_kind is RouteTargetKind.VPC_PEERING_CONNECTION
        and isinstance(pcx, VpcPeeringConnection)
        and pcx.status.lower() == "active"
        and pcx.peer_of(eni.vpc_id) == member_vpc
    )
