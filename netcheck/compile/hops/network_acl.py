"""Hop: the network ACL of a subnet, in one direction (stateless, first matching entry by
ascending rule number, else the `*` deny).

Input: the subnet, the direction and the packet copy. Output: one filter `Step`
(`SUBNET_ACL_RESTRICTION` when it blocks) whose rules are the ACL's entries. The formula is
built by `compile/filters.nacl_check` once per (ACL, content digest, direction, packet copy,
known spaces) and kept in the network index.

Example: an ACL with ingress entries 100 deny tcp/22 and 200 allow all gives a step
`nacl:acl-1:ingress` whose guard holds for every packet but tcp/22.
"""

from __future__ import annotations

from netcheck.compile.filters import nacl_check
from netcheck.compile.hops.context import HopContext
from netcheck.compile.index import Constraint
from netcheck.compile.packet import SymPacket
from netcheck.compile.steps import Step
from netcheck.errors import MissingResource
from netcheck.model.filtering import Direction, NetworkAcl
from netcheck.model.hops import HopKind
from netcheck.model.vpc import Subnet


def nacl(hc: HopContext, subnet: Subnet, direction: Direction, p: SymPacket) -> Step:
    """The network ACL of `subnet` in one direction (`SUBNET_ACL_RESTRICTION`)."""
    acl = hc.net.get(subnet.network_acl_id)
    if not isinstance(acl, NetworkAcl):
        raise MissingResource(
            subnet.network_acl_id, f"network ACL {subnet.network_acl_id} is not in the snapshot"
        )
    cache = hc.index.nacl_constraints
    key = (acl.id, hc.index.digest(acl.id), direction.value, p.name, hc.known_of(p.name))
    hit = cache.get(key)
    if hit is None:
        hit = hc.pin(
            HopKind.NETWORK_ACL,
            key,
            Constraint(*nacl_check(acl, direction, p, dict(hc.known_of(p.name)))),
        )
        cache.put(key, hit)
    return Step(
        acl.id,
        HopKind.NETWORK_ACL,
        f"nacl:{acl.id}:{direction.value}",
        f"network ACL {acl.id} of {subnet.id} ({direction.value})",
        hit.allowed,
        p,
        "SUBNET_ACL_RESTRICTION",
        tuple(hit.rules),
    )
