"""The kinds of hop a path goes through: one name per component type a packet meets.

Input: nothing above the model. Output: `HopKind`, shared by the Z3 engine's `Step`s
(netcheck/compile), the walker's `Hop`s (netcheck/walk) and everything that reads them
(solve, explain, policy, report). A `StrEnum`, so a hop kind serialises to its string and
JSON output stays as it was (`"nat-gateway"`, `"network-acl"`…).

    >>> HopKind.NAT_GATEWAY == "nat-gateway"
    True
"""

from __future__ import annotations

from enum import StrEnum


class HopKind(StrEnum):
    """What kind of component a hop is (names from the AWS docs)."""

    ENI_EGRESS = "eni-egress"  # leaving an interface (source/destination check)
    ENI_INGRESS = "eni-ingress"  # arriving at an interface
    SECURITY_GROUP = "security-group"
    NETWORK_ACL = "network-acl"
    ROUTE_TABLE = "route-table"
    SUBNET = "subnet"  # the subnet holding the destination (engine bookkeeping)
    VPC = "vpc"  # local delivery inside a VPC (engine bookkeeping)
    INTERNET_GATEWAY = "internet-gateway"
    NAT_GATEWAY = "nat-gateway"
    VPC_PEERING_CONNECTION = "vpc-peering-connection"
    TRANSIT_GATEWAY = "transit-gateway"
    TRANSIT_GATEWAY_ROUTE_TABLE = "transit-gateway-route-table"
    VIRTUAL_PRIVATE_GATEWAY = "virtual-private-gateway"
    VPC_ENDPOINT = "vpc-endpoint"  # a gateway endpoint (walker hop)
    INTERNET = "internet"
    ONPREM = "onprem"


# Packet filters decide whether a packet passes, never where it goes (exploration ignores
# them when pruning infeasible branches).
FILTER_KINDS = frozenset({HopKind.NETWORK_ACL, HopKind.SECURITY_GROUP, HopKind.ENI_EGRESS})
