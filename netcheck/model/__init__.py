"""netcheck's vendor-independent network model (frozen pydantic objects with provenance).

Input: nothing above it. Output: the types every later stage reads; `Network` holds them all.
"""

from netcheck.model.base import (
    ALL_PORTS,
    ALL_PROTOCOLS,
    EPHEMERAL_PORTS,
    ICMP,
    ICMPV6,
    TCP,
    UDP,
    IPAddress,
    IPPrefix,
    PortRange,
    Provenance,
    Resource,
    protocol_name,
)
from netcheck.model.filtering import (
    Direction,
    NaclEntry,
    NetworkAcl,
    RuleAction,
    SecurityGroup,
    SecurityGroupRule,
)
from netcheck.model.gateways import (
    EgressOnlyInternetGateway,
    InternetGateway,
    NatGateway,
    NatGatewayAddress,
    PeeringVpcInfo,
    PrefixList,
    VpcEndpoint,
    VpcEndpointType,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from netcheck.model.interfaces import (
    DbInstance,
    Instance,
    InterfaceOwnerKind,
    NetworkInterface,
    PrivateAddress,
)
from netcheck.model.network import SCHEMA_VERSION, Network
from netcheck.model.routing import Route, RouteState, RouteTable, RouteTargetKind
from netcheck.model.transit import (
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
)
from netcheck.model.vpc import Subnet, Vpc

__all__ = [
    "ALL_PORTS",
    "ALL_PROTOCOLS",
    "EPHEMERAL_PORTS",
    "ICMP",
    "ICMPV6",
    "SCHEMA_VERSION",
    "TCP",
    "UDP",
    "DbInstance",
    "Direction",
    "EgressOnlyInternetGateway",
    "IPAddress",
    "IPPrefix",
    "Instance",
    "InterfaceOwnerKind",
    "InternetGateway",
    "NaclEntry",
    "NatGateway",
    "NatGatewayAddress",
    "Network",
    "NetworkAcl",
    "NetworkInterface",
    "PeeringVpcInfo",
    "PortRange",
    "PrefixList",
    "PrivateAddress",
    "Provenance",
    "Resource",
    "Route",
    "RouteState",
    "RouteTable",
    "RouteTargetKind",
    "RuleAction",
    "SecurityGroup",
    "SecurityGroupRule",
    "Subnet",
    "TransitGateway",
    "TransitGatewayAttachment",
    "TransitGatewayAttachmentType",
    "TransitGatewayRoute",
    "TransitGatewayRouteTable",
    "Vpc",
    "VpcEndpoint",
    "VpcEndpointType",
    "VpcPeeringConnection",
    "VpnConnection",
    "VpnGateway",
    "protocol_name",
]
