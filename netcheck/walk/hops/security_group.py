"""Walker hop: the security groups of an interface in one direction (forwarding.md "Security
group matching"): the union of the rules of every group; no rule matches:
`ENI_SG_RULES_MISMATCH`; a group missing from the snapshot: `unknown`.

Example: eni-1 in sg-1 (ingress tcp/443 from 0.0.0.0/0) passes `tcp 8.8.8.8:1 -> :443` with a
`security-group` hop naming sg-1's rule.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from netcheck.model import Direction, NetworkInterface, SecurityGroup
from netcheck.model.hops import HopKind
from netcheck.walk.hops.context import Walk
from netcheck.walk.match import missing_entries, protocol_match, sg_rule_matches


def security_groups(w: Walk, eni: NetworkInterface, direction: Direction) -> None:
    """Union of the rules of every group of `eni` (forwarding.md "Security group
    matching"); no rule matches: `ENI_SG_RULES_MISMATCH`."""
    missing: list[str] = []
    for group_id in sorted(eni.group_ids):
        group = w.net.get(group_id)
        if not isinstance(group, SecurityGroup):
            missing.append(group_id)
            continue
        for rule in group.rules(direction):
            if sg_rule_matches(w.net, rule, w.packet):
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
