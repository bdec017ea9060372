"""Security groups from `describe-security-groups`.

Input: raw `SecurityGroups` records. Output: `SecurityGroup`s whose `IpPermissions` are split
into one `SecurityGroupRule` per peer (a CIDR, an IPv6 CIDR, a prefix list or a group), each
with a stable synthetic id `sg-…:ingress:<permission>:<kind>:<peer>` and its description.

Ports: for TCP/UDP `FromPort`/`ToPort` are a port range (missing or -1 = all ports); for
ICMP/ICMPv6 they are the type and code (-1 = any); other protocols have no ports.
"""

from __future__ import annotations

from typing import Any

from netcheck.inputs.aws import keys
from netcheck.inputs.aws.context import ReadContext
from netcheck.inputs.diagnostics import Loc
from netcheck.inputs.values import (
    Json,
    build,
    check_fields,
    cidr4,
    cidr6,
    icmp_value,
    objects,
    opt_int,
    opt_str,
    port_range,
    protocol,
    req_str,
)
from netcheck.model import ICMP, ICMPV6, TCP, UDP, Direction, SecurityGroup, SecurityGroupRule

# (list field, kind tag in the rule id, field holding the peer)
_PEERS = (
    ("IpRanges", "cidr", "CidrIp"),
    ("Ipv6Ranges", "ipv6", "CidrIpv6"),
    ("PrefixListIds", "prefix-list", "PrefixListId"),
    ("UserIdGroupPairs", "group", "GroupId"),
)


def _match_fields(perm: Json, loc: Loc, ctx: ReadContext) -> dict[str, Any] | None:
    """Protocol, port range and ICMP type/code of one permission (None if invalid)."""
    c = ctx.c
    proto = protocol(perm.get("IpProtocol"), loc.key("IpProtocol"), c)
    if proto is None:
        return None
    start, end = opt_int(perm, "FromPort", loc, c), opt_int(perm, "ToPort", loc, c)
    out: dict[str, Any] = {"protocol": proto}
    if proto in (TCP, UDP):
        out["port_range"] = port_range(start, end, loc.key("FromPort"), c)
        if out["port_range"] is None:
            return None
    elif proto in (ICMP, ICMPV6):
        out["icmp_type"] = icmp_value(start, loc.key("FromPort"), c, "type")
        out["icmp_code"] = icmp_value(end, loc.key("ToPort"), c, "code")
        if out["icmp_type"] is None or out["icmp_code"] is None:
            return None
    return out


def _rules(
    d: Json, field: str, direction: Direction, group_id: str, loc: Loc, ctx: ReadContext
) -> list[SecurityGroupRule]:
    c = ctx.c
    out = []
    for p_index, (perm, ploc) in enumerate(objects(d, field, loc, c)):
        check_fields(perm, keys.IP_PERMISSION, ploc, c)
        match = _match_fields(perm, ploc, ctx)
        if match is None:
            continue
        for list_field, kind, peer_field in _PEERS:
            for i, (peer, where) in enumerate(objects(perm, list_field, ploc, c)):
                rule_id = f"{group_id}:{direction.value}:{p_index}:{kind}:{i}"
                fields: dict[str, Any] = {
                    "rule_id": rule_id,
                    "direction": direction,
                    "description": opt_str(peer, "Description", where, c),
                    "provenance": where.provenance(),
                    **match,
                }
                value = peer.get(peer_field)
                if kind == "cidr":
                    fields["cidr"] = cidr4(value, where.key(peer_field), c)
                elif kind == "ipv6":
                    fields["cidr"] = cidr6(value, where.key(peer_field), c)
                elif kind == "prefix-list":
                    fields["prefix_list_id"] = req_str(peer, peer_field, where, c)
                    ctx.expect(
                        fields["prefix_list_id"],
                        where.key(peer_field),
                        "prefix list",
                        consequence="the rule matches nothing",
                    )
                else:
                    fields["group_id"] = req_str(peer, peer_field, where, c)
                    fields["group_owner_id"] = opt_str(peer, "UserId", where, c)
                    fields["peering_status"] = opt_str(peer, "PeeringStatus", where, c)
                    ctx.expect(
                        fields["group_id"],
                        where.key(peer_field),
                        "referenced security group",
                        consequence="the rule matches nothing",
                    )
                if fields.get("cidr") is None and not (
                    fields.get("prefix_list_id") or fields.get("group_id")
                ):
                    continue
                rule = build(SecurityGroupRule, where, c, **fields)
                if rule is not None:
                    out.append(rule)
    return out


def read_security_groups(ctx: ReadContext) -> list[SecurityGroup]:
    out = []
    for r in ctx.records("SecurityGroups"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.SECURITY_GROUP, loc, c)
        vpc_id = opt_str(d, "VpcId", loc, c)
        ctx.expect(vpc_id, loc.key("VpcId"), "VPC")
        group = build(
            SecurityGroup,
            loc,
            c,
            **ctx.common(r),
            vpc_id=vpc_id,
            group_name=opt_str(d, "GroupName", loc, c) or "",
            description=opt_str(d, "Description", loc, c) or "",
            ingress=tuple(_rules(d, "IpPermissions", Direction.INGRESS, r.id, loc, ctx)),
            egress=tuple(_rules(d, "IpPermissionsEgress", Direction.EGRESS, r.id, loc, ctx)),
        )
        if group:
            out.append(group)
    return out
