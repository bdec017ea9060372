"""Route tables and routes.

Input: values from a loader. Output: `Route`, `RouteTable`, `RouteTargetKind`.
A route's destination is a CIDR or a managed prefix list id (resolved by consumers through
`Network.prefix_list`). The target is kept as a kind plus an id so that encoders dispatch on
the kind and explanations can name the id.
"""

from __future__ import annotations

from enum import StrEnum

from netcheck.model.addresses import IPPrefix
from netcheck.model.base import Frozen, Provenance, Resource


class RouteTargetKind(StrEnum):
    """What a route sends traffic to (names follow the AWS route target types)."""

    LOCAL = "local"
    INTERNET_GATEWAY = "internet-gateway"
    EGRESS_ONLY_INTERNET_GATEWAY = "egress-only-internet-gateway"
    NAT_GATEWAY = "nat-gateway"
    VIRTUAL_PRIVATE_GATEWAY = "virtual-private-gateway"
    VPC_PEERING_CONNECTION = "vpc-peering-connection"
    TRANSIT_GATEWAY = "transit-gateway"
    GATEWAY_ENDPOINT = "gateway-endpoint"
    GATEWAY_LOAD_BALANCER_ENDPOINT = "gateway-load-balancer-endpoint"
    NETWORK_INTERFACE = "network-interface"
    INSTANCE = "instance"
    CARRIER_GATEWAY = "carrier-gateway"
    LOCAL_GATEWAY = "local-gateway"
    CORE_NETWORK = "core-network"
    UNKNOWN = "unknown"


class RouteState(StrEnum):
    ACTIVE = "active"
    BLACKHOLE = "blackhole"


class Route(Frozen):
    """One route: destination (CIDR or prefix list) -> target."""

    destination: IPPrefix | None = None
    destination_prefix_list_id: str | None = None
    target_kind: RouteTargetKind
    target_id: str | None = None
    state: RouteState = RouteState.ACTIVE
    # CreateRouteTable (local), CreateRoute (static), EnableVgwRoutePropagation.
    origin: str = "CreateRoute"
    provenance: Provenance | None = None

    @property
    def destination_text(self) -> str:
        if self.destination is not None:
            return str(self.destination)
        return self.destination_prefix_list_id or "?"

    @property
    def label(self) -> str:
        return f"{self.destination_text} -> {self.target_id or self.target_kind.value}"


class RouteTable(Resource):
    """A VPC route table with its associations."""

    vpc_id: str
    routes: tuple[Route, ...] = ()
    main: bool = False
    subnet_ids: tuple[str, ...] = ()
    # Edge associations (gateway route tables): IGW or VGW ids whose ingress traffic this
    # table routes.
    gateway_ids: tuple[str, ...] = ()
