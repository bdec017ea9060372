"""Hop: a gateway VPC endpoint (route target `gateway-endpoint`, a prefix-list route to S3 or
DynamoDB).

Input: the routing subnet, the route, the packet copy, the steps so far, the path state.
Output: one `Path`: the subnet's outbound NACL, then delivered to the service
(`delivered-service`); a missing, unavailable or non-gateway endpoint is `BAD_STATE_ROUTE`.

Example: `pl-63a5400a -> vpce-1` (S3) gives a path ending `delivered-service` at vpce-1 with
reason `com.amazonaws.us-east-1.s3`.
"""

from __future__ import annotations

from netcheck.compile.hops.context import HopContext, PathState, Steps, available
from netcheck.compile.hops.network_acl import nacl
from netcheck.compile.packet import SymPacket
from netcheck.compile.steps import Path
from netcheck.model.filtering import Direction
from netcheck.model.gateways import VpcEndpoint, VpcEndpointType
from netcheck.model.packet import DispositionKind
from netcheck.model.routing import Route
from netcheck.model.vpc import Subnet


def to_endpoint(
    hc: HopContext,
    s: Subnet,
    table_id: str,
    route: Route,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """Gateway endpoint (prefix-list route): outbound NACL, then the service."""
    ep = hc.net.get(route.target_id or "")
    if (
        not isinstance(ep, VpcEndpoint)
        or ep.endpoint_type is not VpcEndpointType.GATEWAY
        or not available(ep.state)
    ):
        return hc.bad_state(steps, table_id, route, ps)
    steps = (*steps, nacl(hc, s, Direction.EGRESS, p))
    return hc.end(steps, DispositionKind.DELIVERED_SERVICE, ep.id, ps, None, ep.service_name)
