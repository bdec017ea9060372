"""Transit gateways.

Input: values from a loader. Output: `TransitGateway`, `TransitGatewayAttachment`,
`TransitGatewayRoute`, `TransitGatewayRouteTable`, `TransitGatewayMulticastDomain`.

Routes are kept as the snapshot states them; routes that come from propagation of a VPC
attachment are derived by `Network.transit_gateway_routes` (the VPC's CIDRs), so they are
right even when a snapshot lacks `SearchTransitGatewayRoutes` output.
"""

from __future__ import annotations

from enum import StrEnum

from netcheck.model.addresses import IPPrefix
from netcheck.model.base import Frozen, Provenance, Resource


class TransitGatewayAttachmentType(StrEnum):
    VPC = "vpc"
    VPN = "vpn"
    DIRECT_CONNECT_GATEWAY = "direct-connect-gateway"
    PEERING = "peering"
    CONNECT = "connect"
    TGW_PEERING = "tgw-peering"
    NETWORK_FUNCTION = "network-function"


class TransitGateway(Resource):
    """A transit gateway with the options that decide default association/propagation."""

    state: str = "available"
    owner_id: str | None = None
    default_route_table_association: bool = True
    default_route_table_propagation: bool = True
    association_default_route_table_id: str | None = None
    propagation_default_route_table_id: str | None = None
    # `Options.SecurityGroupReferencingSupport`; None: the snapshot does not say (a group
    # reference across this TGW is then undecided, never guessed).
    security_group_referencing_support: bool | None = None


class TransitGatewayAttachment(Resource):
    """An attachment of a VPC, VPN, peering… to a transit gateway (only `available`)."""

    transit_gateway_id: str
    resource_type: TransitGatewayAttachmentType
    resource_id: str | None = None
    state: str = "available"
    # VPC attachments: one subnet per AZ that the attachment serves.
    subnet_ids: tuple[str, ...] = ()
    association_route_table_id: str | None = None
    appliance_mode: bool = False
    # VPC attachments: `Options.SecurityGroupReferencingSupport` of
    # describe-transit-gateway-vpc-attachments; None: not in the snapshot.
    security_group_referencing_support: bool | None = None


class TransitGatewayRoute(Frozen):
    """A TGW route: static or propagated, active or blackhole."""

    destination: IPPrefix
    route_type: str = "static"  # "static" or "propagated"
    state: str = "active"  # "active" or "blackhole"
    attachment_ids: tuple[str, ...] = ()
    provenance: Provenance | None = None

    @property
    def label(self) -> str:
        target = ",".join(self.attachment_ids) if self.attachment_ids else self.state
        return f"{self.destination} -> {target} ({self.route_type})"


class TransitGatewayRouteTable(Resource):
    """A TGW route table with its associations and propagations.

    `routes_known` is False when the snapshot lacks the table's routes (AWS returns them
    only per table: `search-transit-gateway-routes`, or its static routes together with
    `get-transit-gateway-route-table-propagations`): routing through it is then `unknown`,
    never a drop for a missing route.
    """

    transit_gateway_id: str
    routes: tuple[TransitGatewayRoute, ...] = ()
    association_attachment_ids: tuple[str, ...] = ()
    propagation_attachment_ids: tuple[str, ...] = ()
    default_association: bool = False
    default_propagation: bool = False
    routes_known: bool = True


class TransitGatewayMulticastDomain(Resource):
    """A transit gateway multicast domain. Multicast forwarding (group members, IGMP) is not
    modelled: a multicast packet that may reach its transit gateway ends `unknown`."""

    transit_gateway_id: str
    state: str = "available"
