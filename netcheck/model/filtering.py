"""Packet filters: network ACLs (stateless, subnet level) and security groups (stateful,
interface level).

Input: values from a loader. Output: `NaclEntry`, `NetworkAcl`, `SecurityGroupRule`,
`SecurityGroup`, `RuleAction`, `Direction`.

Protocols are IANA numbers (`-1` = all). For ICMP entries, `icmp_type`/`icmp_code` carry
the type and code with `-1` meaning any; `port_range` is only set for TCP/UDP.
"""

from __future__ import annotations

from enum import StrEnum

from netcheck.model.addresses import IPPrefix
from netcheck.model.base import Frozen, PortRange, Provenance, Resource


class RuleAction(StrEnum):
    ALLOW = "allow"
    DENY = "deny"


class Direction(StrEnum):
    INGRESS = "ingress"
    EGRESS = "egress"


class NaclEntry(Frozen):
    """One network ACL entry. Inbound entries match the source, outbound the destination."""

    rule_number: int
    direction: Direction
    protocol: int
    action: RuleAction
    cidr: IPPrefix
    port_range: PortRange | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None
    provenance: Provenance | None = None

    @property
    def rule_text(self) -> str:
        """AWS-style rule number: the implicit final rules (32767/32768) print as `*`."""
        return "*" if self.rule_number >= 32767 else str(self.rule_number)


class NetworkAcl(Resource):
    """A network ACL: entries in both directions. Consumers sort by rule number."""

    vpc_id: str
    is_default: bool = False
    entries: tuple[NaclEntry, ...] = ()
    subnet_ids: tuple[str, ...] = ()

    def ordered(self, direction: Direction) -> tuple[NaclEntry, ...]:
        """Entries of one direction in evaluation order (ascending rule number)."""
        return tuple(
            sorted(
                (e for e in self.entries if e.direction is direction),
                key=lambda e: e.rule_number,
            )
        )


class SecurityGroupRule(Frozen):
    """One security-group permission with exactly one peer.

    AWS `IpPermissions` bundle several peers into one permission; the loader splits them so
    that each rule here names one peer (a CIDR, a prefix list or a group) and explanations can
    point at precisely the one that matched. `rule_id` is the AWS `SecurityGroupRuleId` when
    known, else a stable synthetic id (`sg-…:ingress:0:cidr:1`).
    """

    rule_id: str
    direction: Direction
    protocol: int
    port_range: PortRange | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None
    cidr: IPPrefix | None = None
    prefix_list_id: str | None = None
    group_id: str | None = None
    group_owner_id: str | None = None
    # Peering status of a cross-VPC group reference, when AWS reports it.
    peering_status: str | None = None
    description: str | None = None
    provenance: Provenance | None = None

    @property
    def peer_text(self) -> str:
        if self.cidr is not None:
            return str(self.cidr)
        if self.prefix_list_id is not None:
            return self.prefix_list_id
        return self.group_id or "?"


class SecurityGroup(Resource):
    """A security group: the union of its rules is allowed, everything else denied."""

    vpc_id: str | None = None
    group_name: str = ""
    description: str = ""
    ingress: tuple[SecurityGroupRule, ...] = ()
    egress: tuple[SecurityGroupRule, ...] = ()

    def rules(self, direction: Direction) -> tuple[SecurityGroupRule, ...]:
        return self.ingress if direction is Direction.INGRESS else self.egress
