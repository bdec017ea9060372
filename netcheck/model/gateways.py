"""Gateways and connections out of a VPC.

Input: values from a loader. Output: `InternetGateway`, `EgressOnlyInternetGateway`,
`NatGateway`, `NatGatewayAddress`, `VpcEndpoint`, `VpcPeeringConnection`, `VpnGateway`,
`VpnConnection`, `PrefixList`.
"""

from __future__ import annotations

from enum import StrEnum

from netcheck.model.addresses import IPPrefix, V4Address, V4Prefix
from netcheck.model.base import Frozen, Resource


class InternetGateway(Resource):
    """An internet gateway and the VPCs it is attached to (state `available`/`attached`)."""

    vpc_ids: tuple[str, ...] = ()


class EgressOnlyInternetGateway(Resource):
    """An egress-only internet gateway (IPv6 outbound only)."""

    vpc_ids: tuple[str, ...] = ()


class NatGatewayAddress(Frozen):
    interface_id: str | None = None
    private_ip: V4Address | None = None
    public_ip: V4Address | None = None
    allocation_id: str | None = None
    primary: bool = True


class NatGateway(Resource):
    """A NAT gateway (only `available` ones are kept)."""

    vpc_id: str
    subnet_id: str
    connectivity_type: str = "public"  # "public" or "private"
    addresses: tuple[NatGatewayAddress, ...] = ()
    state: str = "available"


class RegionalNatGateway(Resource):
    """A regional NAT gateway (`AvailabilityMode: regional`): one NAT gateway for every AZ
    of its VPC, with no subnet of its own. Which address and which path it uses per AZ is
    not in describe-* output, so routes to it end `unknown` (forwarding.md "NAT gateway")."""

    vpc_id: str
    connectivity_type: str = "public"
    # The public (Elastic) IPs it translates to, when the snapshot lists them.
    public_ips: tuple[V4Address, ...] = ()
    state: str = "available"


class VpcEndpointType(StrEnum):
    GATEWAY = "Gateway"
    INTERFACE = "Interface"
    GATEWAY_LOAD_BALANCER = "GatewayLoadBalancer"


class VpcEndpoint(Resource):
    """A VPC endpoint. Gateway endpoints work through route tables; interface endpoints
    through their interfaces."""

    vpc_id: str
    endpoint_type: VpcEndpointType
    service_name: str
    state: str = "available"
    route_table_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    interface_ids: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()
    # For gateway endpoints: the service's managed prefix list, when found in the snapshot.
    prefix_list_id: str | None = None


class PeeringVpcInfo(Frozen):
    vpc_id: str
    owner_id: str | None = None
    region: str | None = None
    cidr_blocks: tuple[V4Prefix, ...] = ()


class VpcPeeringConnection(Resource):
    """A VPC peering connection; only `active` ones carry traffic."""

    requester: PeeringVpcInfo
    accepter: PeeringVpcInfo
    status: str = "active"

    def peer_of(self, vpc_id: str) -> str | None:
        """The VPC on the other side of this connection from `vpc_id`."""
        if self.requester.vpc_id == vpc_id:
            return self.accepter.vpc_id
        if self.accepter.vpc_id == vpc_id:
            return self.requester.vpc_id
        return None

    def side(self, vpc_id: str) -> PeeringVpcInfo | None:
        """The requester or accepter information of `vpc_id` (None: not a side of it)."""
        if self.requester.vpc_id == vpc_id:
            return self.requester
        if self.accepter.vpc_id == vpc_id:
            return self.accepter
        return None


class VpnGateway(Resource):
    """A virtual private gateway and its VPC attachments."""

    vpc_ids: tuple[str, ...] = ()
    state: str = "available"


class VpnConnection(Resource):
    """A site-to-site VPN connection to a VGW or a transit gateway.

    `onprem_cidrs` are the customer-side ranges known from the snapshot (static routes). With
    BGP the set is empty; `Network.vpn_onprem_cidrs` then stands the user-declared ranges in
    for it, and with none declared paths towards on-premises are `unknown`, not `unreachable`.
    """

    vpn_gateway_id: str | None = None
    transit_gateway_id: str | None = None
    customer_gateway_id: str | None = None
    static_routes_only: bool = False
    onprem_cidrs: tuple[IPPrefix, ...] = ()
    state: str = "available"


class PrefixList(Resource):
    """A managed prefix list (customer-managed or AWS-managed, e.g. S3).

    `entries_known` is False when the snapshot has the list but not its entries
    (`describe-managed-prefix-lists` carries none; they come from
    `get-managed-prefix-list-entries`): a route or rule using it is then `unknown` on a path.
    """

    prefix_list_name: str = ""
    entries: tuple[IPPrefix, ...] = ()
    entries_known: bool = True
