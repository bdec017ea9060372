"""Walker hop: the network ACL of a subnet in one direction: the first matching entry by
ascending rule number decides; none: the `*` deny (`SUBNET_ACL_RESTRICTION`).

Example: ingress entries 100 deny tcp/22, 200 allow all: tcp/22 is dropped by rule 100.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from netcheck.model import Direction, NetworkAcl, RuleAction, Subnet
from netcheck.model.hops import HopKind
from netcheck.walk.hops.context import Walk
from netcheck.walk.match import nacl_decide


def nacl(w: Walk, subnet: Subnet, direction: Direction) -> None:
    """First matching entry by ascending rule number; none: the `*` deny."""
    acl: NetworkAcl = w.lookup(subnet.network_acl_id, NetworkAcl, "network ACL")
    entry = nacl_decide(acl, direction, w.packet)
    detail = f"{direction.value} of {subnet.id}"
    if entry is not None and entry.action is RuleAction.ALLOW:
        w.hop(acl.id, HopKind.NETWORK_ACL, rule=entry.rule_text, detail=detail)
        return
    rule = entry.rule_text if entry is not None else "*"
    w.hop(acl.id, HopKind.NETWORK_ACL, "deny", rule=rule, detail=detail)
    w.drop(
        "SUBNET_ACL_RESTRICTION",
        acl.id,
        f"{direction.value} rule {rule} of {acl.id} ({subnet.id}) denies {w.packet}",
    )
