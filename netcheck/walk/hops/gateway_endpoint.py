"""Walker hop: a gateway VPC endpoint (prefix-list route to S3 / DynamoDB): the subnet's
outbound NACL, then `delivered-service`.

Example: `pl-63a5400a -> vpce-1` delivers to the S3 service behind vpce-1.

Input: a `Walk` in progress. Output: nothing — a hop records its `Hop`s on the walk and
ends it (`Stop`) or calls the next hop.
"""

from __future__ import annotations

from netcheck.model import Route, Subnet, VpcEndpoint, VpcEndpointType
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind
from netcheck.walk.hops import subnet as subnet_hops
from netcheck.walk.hops.context import Walk, available


def resolve_vpce(w: Walk, route: Route, subnet: Subnet) -> object:
    vpce = w.net.get(route.target_id or "")
    if (
        isinstance(vpce, VpcEndpoint)
        and vpce.endpoint_type is VpcEndpointType.GATEWAY
        and available(vpce.state)
    ):
        return vpce
    return None


def to_vpce(w: Walk, subnet: Subnet, target: object, egress_checked: bool) -> None:
    assert isinstance(target, VpcEndpoint)
    subnet_hops.leave(w, subnet, egress_checked)
    w.hop(target.id, HopKind.VPC_ENDPOINT, detail=target.service_name)
    w.finish(DispositionKind.DELIVERED_SERVICE, target.id, None, target.service_name)
