"""VPCs and subnets.

Input: values from a loader. Output: `Vpc`, `Subnet`.
A subnet's route table and network ACL are *resolved* by the loader (explicit association,
else the VPC's main route table / default ACL), so consumers never repeat that rule.
"""

from __future__ import annotations

from netcheck.model.addresses import V4Prefix, V6Prefix
from netcheck.model.base import Resource


class Vpc(Resource):
    """A VPC with all its associated IPv4 CIDR blocks (primary first) and IPv6 blocks."""

    cidr_blocks: tuple[V4Prefix, ...]
    ipv6_cidr_blocks: tuple[V6Prefix, ...] = ()
    is_default: bool = False
    # VPC Block Public Access mode when known: "off", "block-bidirectional", "block-ingress".
    block_public_access: str | None = None


class Subnet(Resource):
    """A subnet: one AZ, one IPv4 CIDR, exactly one route table and one network ACL."""

    vpc_id: str
    availability_zone: str
    cidr_block: V4Prefix
    ipv6_cidr_blocks: tuple[V6Prefix, ...] = ()
    route_table_id: str
    network_acl_id: str
    # True when the route table is the VPC's main table (no explicit association).
    route_table_is_main: bool = False
