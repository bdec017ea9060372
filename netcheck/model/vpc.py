"""VPCs and subnets.

Input: values from a loader. Output: `Vpc`, `Subnet`.
A subnet's route table and network ACL are *resolved* by the loader (explicit association,
else the VPC's main route table / default ACL), so consumers never repeat that rule.
"""

from __future__ import annotations

from enum import StrEnum

from netcheck.model.addresses import V4Prefix, V6Prefix
from netcheck.model.base import Resource


class BlockPublicAccessMode(StrEnum):
    """VPC Block Public Access modes (`InternetGatewayBlockMode`)."""

    OFF = "off"
    BLOCK_BIDIRECTIONAL = "block-bidirectional"
    BLOCK_INGRESS = "block-ingress"


class BlockPublicAccessExclusionMode(StrEnum):
    """What a VPC BPA exclusion allows (`InternetGatewayExclusionMode`)."""

    ALLOW_BIDIRECTIONAL = "allow-bidirectional"
    ALLOW_EGRESS = "allow-egress"


class InternetGatewayBlock(StrEnum):
    """The effective VPC Block Public Access rule for one subnet's internet gateway traffic
    (its VPC's or account's mode with the exclusions applied; `Network.internet_gateway_block`).

    - `none`: nothing blocked;
    - `bidirectional`: all traffic to and from the IGW blocked;
    - `ingress`: only traffic to and from NAT gateways passes (they only allow outbound
      connections to be established);
    - `egress-only`: (`block-bidirectional` with an `allow-egress` exclusion) outbound
      traffic and its replies pass, internet-initiated traffic is blocked.
    """

    NONE = "none"
    BIDIRECTIONAL = "bidirectional"
    INGRESS = "ingress"
    EGRESS_ONLY = "egress-only"


class BlockPublicAccessExclusion(Resource):
    """A VPC BPA exclusion (`describe-vpc-block-public-access-exclusions`) of one VPC or
    subnet; only exclusions in effect are kept by the loader."""

    resource_id: str
    mode: BlockPublicAccessExclusionMode


class Vpc(Resource):
    """A VPC with all its associated IPv4 CIDR blocks (primary first) and IPv6 blocks."""

    cidr_blocks: tuple[V4Prefix, ...]
    ipv6_cidr_blocks: tuple[V6Prefix, ...] = ()
    is_default: bool = False
    # VPC Block Public Access mode when known (the VPC's `BlockPublicAccessStates`, else the
    # account's `describe-vpc-block-public-access-options` for its region).
    block_public_access: BlockPublicAccessMode | None = None


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
    # The subnet's own `BlockPublicAccessStates` mode when the snapshot reports it.
    block_public_access: BlockPublicAccessMode | None = None
