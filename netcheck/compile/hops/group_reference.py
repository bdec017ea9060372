"""Which interfaces a security-group reference (`UserIdGroupPairs`) matches at one interface,
in one direction, for the way the packet arrived (docs/semantics/forwarding.md "Security
group references").

Input: the `HopContext`, the interface whose groups are checked, the path state (how the
packet crossed into this VPC, if it did). Output: a `Scope`: the member addresses that surely
match, and, when the snapshot cannot say whether a transit gateway carries group references,
the larger set that would match if it did (the difference is answered unknown).

AWS rules followed:
- members in the interface's own VPC always match;
- a group of a peered VPC matches inbound only for packets that arrived over that peering
  connection, and outbound only for packets the source subnet routes into that peering
  connection ("Update your security groups to reference peer security groups", VPC Peering
  Guide);
- a group of a VPC attached to the same transit gateway matches only in inbound rules, and
  only when `SecurityGroupReferencingSupport` is enabled on the transit gateway and on both
  VPC attachments (Transit Gateway Guide, "Security group referencing";
  `TransitGatewayVpcAttachmentOptions`).

Example: eni-b in vpc-b, rule "tcp/22 from sg-a" (sg-a's members are in vpc-a): for a packet
that came through pcx-ab from vpc-a the scope holds sg-a's addresses; for one that came from
the internet it holds only sg-a's members inside vpc-b (none).
"""

from __future__ import annotations

from dataclasses import dataclass

from netcheck.compile.filters import Members
from netcheck.compile.hops.context import Crossing, HopContext, PathState
from netcheck.compile.routing import route_entries
from netcheck.model.filtering import Direction, SecurityGroup
from netcheck.model.gateways import VpcPeeringConnection
from netcheck.model.interfaces import NetworkInterface
from netcheck.model.intervals import IntervalSet
from netcheck.model.network import Network
from netcheck.model.routing import RouteState, RouteTable, RouteTargetKind
from netcheck.model.transit import TransitGateway, TransitGatewayAttachment


@dataclass(frozen=True)
class Scope:
    """The addresses a group reference matches here. `key` identifies the scope in the
    constraint cache; `maybe` (with `undecided`, the resource and the reason) is set when a
    transit gateway crossing may or may not carry the reference."""

    key: tuple[object, ...]
    sure: Members
    maybe: Members | None = None
    undecided: str = ""
    reason: str = ""


def members_in(network: Network, vpc_ids: frozenset[str]) -> Members:
    """The private addresses (delegated prefixes included) of the interfaces in `vpc_ids`
    carrying a group (a group not in the snapshot matches nothing)."""

    def runs(group_id: str) -> IntervalSet:
        return network.member_address_runs(group_id, vpc_ids)

    return runs


# The scope of an interface whose referenced groups have members only where the reference
# reaches: every member matches, and the constraint is shared with every other interface
# carrying the same groups (as before scopes existed).
EVERY_MEMBER_KEY: tuple[object, ...] = ()


def member_vpcs(network: Network, eni: NetworkInterface, direction: Direction) -> frozenset[str]:
    """The VPCs of the members of the groups that `eni`'s rules in `direction` reference."""
    out: set[str] = set()
    for gid in eni.group_ids:
        sg = network.get(gid)
        if not isinstance(sg, SecurityGroup):
            continue
        for rule in sg.rules(direction):
            if rule.group_id is not None:
                out |= network.group_member_vpcs(rule.group_id)
    return frozenset(out)


def ingress_scope(hc: HopContext, eni: NetworkInterface, ps: PathState) -> Scope:
    """Inbound rules of `eni`: its own VPC's members, plus those of the VPC the packet came
    from over a peering connection, or over a transit gateway that carries references."""
    own = eni.vpc_id
    via = ps.via
    vpcs = member_vpcs(hc.net, eni, Direction.INGRESS)
    if vpcs <= {own}:
        return Scope(EVERY_MEMBER_KEY, hc.net.group_address_runs)
    if via is None or via.from_vpc is None or via.from_vpc == own:
        return Scope(("in", own), members_in(hc.net, frozenset({own})))
    both = frozenset({own, via.from_vpc})
    if via.is_peering:
        if vpcs <= both:
            return Scope(EVERY_MEMBER_KEY, hc.net.group_address_runs)
        return Scope(("in", own, via.component_id, via.from_vpc), members_in(hc.net, both))
    decided, resource = tgw_carries_references(hc.net, via)
    if decided is True and vpcs <= both:
        return Scope(EVERY_MEMBER_KEY, hc.net.group_address_runs)
    key = ("in", own, via.component_id, via.from_vpc, via.attachments, decided)
    if decided is True:
        return Scope(key, members_in(hc.net, both))
    sure = members_in(hc.net, frozenset({own}))
    if decided is False:
        return Scope(key, sure)
    return Scope(
        key,
        sure,
        members_in(hc.net, both),
        resource,
        undecided_reason(resource, via.component_id, via.from_vpc, eni.id),
    )


def egress_scope(hc: HopContext, eni: NetworkInterface) -> Scope:
    """Outbound rules of `eni`: its own VPC's members, plus members of a peered VPC whose
    address the source subnet routes into the peering connection to that VPC (never across
    a transit gateway: AWS supports only inbound references there)."""
    own = eni.vpc_id
    net = hc.net
    if member_vpcs(net, eni, Direction.EGRESS) <= {own}:
        return Scope(EVERY_MEMBER_KEY, net.group_address_runs)
    subnet = net.get(eni.subnet_id)
    table = net.get(getattr(subnet, "route_table_id", "") or "")
    local = members_in(net, frozenset({own}))
    if not isinstance(table, RouteTable):
        return Scope(("out", own), local)
    entries = route_entries(net, table)

    def runs(group_id: str) -> IntervalSet:
        mine = local(group_id)
        if net.get(group_id) is None:
            return mine
        extra = []
        for m in net.interfaces_in_group(group_id):
            if m.vpc_id == own:
                continue
            for a in m.addresses:
                # The route the source subnet picks for this member's address (longest
                # prefix first, as `route_entries` orders them).
                hit = next((i for cidr, _prio, i in entries if a in cidr), None)
                if hit is None:
                    continue
                route = table.routes[hit]
                pcx = net.get(route.target_id or "")
                if (
                    route.state is not RouteState.BLACKHOLE
                    and route.target_kind is RouteTargetKind.VPC_PEERING_CONNECTION
                    and isinstance(pcx, VpcPeeringConnection)
                    and pcx.status.lower() == "active"
                    and pcx.peer_of(own) == m.vpc_id
                ):
                    extra.append(int(a))
        return mine.union(IntervalSet.of_values(extra)) if extra else mine

    return Scope(("out", own, table.id), runs)


def tgw_carries_references(network: Network, via: Crossing) -> tuple[bool | None, str]:
    """Does the transit gateway crossing carry security-group references? True when the
    TGW and both VPC attachments enable `SecurityGroupReferencingSupport`, False when one
    disables it (or is not a VPC attachment), None when one of them does not say (with its
    id)."""
    tgw = network.get(via.component_id)
    parts: list[tuple[str, bool | None]] = [
        (
            via.component_id,
            tgw.security_group_referencing_support if isinstance(tgw, TransitGateway) else None,
        )
    ]
    for att_id in via.attachments:
        att = network.get(att_id)
        parts.append(
            (
                att_id,
                att.security_group_referencing_support
                if isinstance(att, TransitGatewayAttachment)
                else None,
            )
        )
    if any(v is False for _, v in parts):
        return False, ""
    missing = [i for i, v in parts if v is None]
    if missing:
        return None, missing[0]
    return True, ""


def undecided_reason(resource: str, tgw_id: str, from_vpc: str, eni_id: str) -> str:
    return (
        f"whether {resource} supports security group referencing is not in the snapshot "
        "(Options.SecurityGroupReferencingSupport of describe-transit-gateways / "
        "describe-transit-gateway-vpc-attachments): a rule of "
        f"{eni_id} that references a group of {from_vpc} may match across {tgw_id}"
    )


__all__ = [
    "EVERY_MEMBER_KEY",
    "Scope",
    "egress_scope",
    "ingress_scope",
    "member_vpcs",
    "members_in",
    "tgw_carries_references",
    "undecided_reason",
]
