"""Pass: tell routes to Gateway Load Balancer endpoints from routes to gateway endpoints.

Input: a `Draft`. A route to a Gateway Load Balancer endpoint names a `vpce-…` target like a
route to a gateway endpoint (the same `GatewayId` in `describe-route-tables`, the same
`vpc_endpoint_id` in Terraform). Output: the route tables with every such route's
`target_kind` set from the endpoint's type.

    >>> from netcheck.inputs.diagnostics import Collector
    >>> from netcheck.inputs.draft import Draft
    >>> from netcheck.model import Route, RouteTable, RouteTargetKind as K, VpcEndpoint
    >>> r = Route(destination="0.0.0.0/0", target_kind=K.GATEWAY_ENDPOINT, target_id="vpce-0g")
    >>> e = VpcEndpoint(id="vpce-0g", vpc_id="vpc-0a", endpoint_type="GatewayLoadBalancer",
    ...                 service_name="com.amazonaws.vpce.us-east-2.vpce-svc-0a")
    >>> draft = Draft({"route_tables": [RouteTable(id="rtb-0a", vpc_id="vpc-0a", routes=(r,))],
    ...                "vpc_endpoints": [e]})
    >>> classify_endpoint_routes(draft, Collector())
    >>> draft.collections["route_tables"][0].routes[0].target_kind.value
    'gateway-load-balancer-endpoint'
"""

from __future__ import annotations

from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.draft import Draft
from netcheck.model import RouteTable, RouteTargetKind, VpcEndpoint, VpcEndpointType


def classify_endpoint_routes(draft: Draft, c: Collector) -> None:
    endpoints: list[VpcEndpoint] = draft.items("vpc_endpoints")
    gwlbe = {e.id for e in endpoints if e.endpoint_type is VpcEndpointType.GATEWAY_LOAD_BALANCER}
    if not gwlbe:
        return
    tables: list[RouteTable] = draft.items("route_tables")
    out = []
    for t in tables:
        routes = tuple(
            r.model_copy(update={"target_kind": RouteTargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT})
            if r.target_kind is RouteTargetKind.GATEWAY_ENDPOINT and r.target_id in gwlbe
            else r
            for r in t.routes
        )
        out.append(t.model_copy(update={"routes": routes}))
    draft.collections["route_tables"] = out
