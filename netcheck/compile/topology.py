"""The topology graph: which locations of a network can hand packets to which, ignoring
headers (an over-approximation of docs/semantics/forwarding.md).

Input: a `Network`. Output: a networkx `DiGraph` of locations (`eni:<id>` leaving an
interface, `subnet:<id>` routing from a subnet, `vpc:<id>` local delivery, `to:<eni>` arriving
at an interface, `nat:<id>`, `tgw-attach:<id>`, `service:<vpce>`, `internet`, `onprem`,
`unknown`) and `connects`, which says whether any path joins an origin to a destination.
The graph is built once per network and kept in its `NetworkIndex` (`index.graph`).
The engine uses it to tell "nothing connects these endpoints" (`NO_PATH`) apart from "the
paths that exist are blocked". Example::

    connects(network, Origin(kind="interface", interface_id="eni-1"), Destination(internet=True))
"""

from __future__ import annotations

import networkx as nx

from netcheck.compile.hops.table import ROUTE_TARGETS
from netcheck.compile.index import NetworkIndex, index_for
from netcheck.model.gateways import InternetGateway, NatGateway, VpcPeeringConnection
from netcheck.model.network import Network
from netcheck.model.packet import Origin, OriginKind
from netcheck.model.resolve import Destination
from netcheck.model.routing import RouteState, RouteTable, RouteTargetKind
from netcheck.model.transit import TransitGatewayAttachment, TransitGatewayAttachmentType

# Route target kinds the engine follows (the hop table); any other kind may lead anywhere
# (`unknown`).
_MODELLED = frozenset(ROUTE_TARGETS)


def _route_edges(
    g: nx.DiGraph, network: Network, node: str, table: RouteTable, vpc_id: str
) -> None:
    for r in table.routes:
        if r.state is RouteState.BLACKHOLE:
            continue
        kind, target = r.target_kind, r.target_id or ""
        t = network.get(target)
        if kind is RouteTargetKind.LOCAL:
            g.add_edge(node, f"vpc:{vpc_id}")
        elif kind is RouteTargetKind.INTERNET_GATEWAY and isinstance(t, InternetGateway):
            g.add_edge(node, "internet")
        elif kind is RouteTargetKind.NAT_GATEWAY and isinstance(t, NatGateway):
            g.add_edge(node, f"nat:{t.id}")
        elif kind is RouteTargetKind.VPC_PEERING_CONNECTION and isinstance(t, VpcPeeringConnection):
            peer = t.peer_of(vpc_id)
            if peer:
                g.add_edge(node, f"vpc:{peer}")
        elif kind is RouteTargetKind.TRANSIT_GATEWAY:
            for a in network.transit_gateway_attachments_of_vpc(vpc_id, target):
                g.add_edge(node, f"tgw-attach:{a.id}")
        elif kind is RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY:
            g.add_edge(node, "onprem")
        elif kind is RouteTargetKind.GATEWAY_ENDPOINT:
            g.add_edge(node, f"service:{target}")
        elif kind not in _MODELLED:
            g.add_edge(node, "unknown")


def build(network: Network) -> nx.DiGraph:
    """The location graph of `network` (built afresh; `NetworkIndex.graph` keeps it)."""
    g = nx.DiGraph()
    g.add_nodes_from(("internet", "onprem", "unknown"))
    for e in network.network_interfaces:
        g.add_edge(f"eni:{e.id}", f"subnet:{e.subnet_id}")
        g.add_edge(f"vpc:{e.vpc_id}", f"to:{e.id}")
    for s in network.subnets:
        table = network.get(s.route_table_id)
        if isinstance(table, RouteTable):
            _route_edges(g, network, f"subnet:{s.id}", table, s.vpc_id)
        else:
            g.add_edge(f"subnet:{s.id}", "unknown")
    for n in network.nat_gateways:
        g.add_edge(f"nat:{n.id}", f"subnet:{n.subnet_id}")
        g.add_edge(f"vpc:{n.vpc_id}", f"nat:{n.id}")  # replies reverse-translated
    for igw in network.internet_gateways:
        for v in igw.vpc_ids:
            g.add_edge("internet", f"vpc:{v}")
    for vgw in network.vpn_gateways:
        for v in vgw.vpc_ids:
            g.add_edge("onprem", f"vpc:{v}")
    for pcx in network.vpc_peering_connections:
        # A peered VPC outside the snapshot sends packets in over the connection.
        for side in (pcx.requester, pcx.accepter):
            if network.get(side.vpc_id) is not None:
                g.add_edge(f"pcx-in:{pcx.id}", f"vpc:{side.vpc_id}")
    for t in network.route_tables:
        if t.gateway_ids:
            _route_edges(g, network, f"vpc:{t.vpc_id}", t, t.vpc_id)
    for a in network.transit_gateway_attachments:
        node = f"tgw-attach:{a.id}"
        if a.resource_type is TransitGatewayAttachmentType.VPN:
            g.add_edge("onprem", node)
        table = network.transit_gateway_route_table_of(a.id)
        if table is not None and not table.routes_known:
            g.add_edge(node, "unknown")  # the table's routes are not in the snapshot
        if table is not None and network.transit_gateway_unknown_propagations(table.id):
            g.add_edge(node, "unknown")  # routes a BGP VPN propagates are not in the snapshot
        for r in network.transit_gateway_routes(table.id) if table is not None else ():
            for b_id in r.attachment_ids:
                b = network.get(b_id)
                if not isinstance(b, TransitGatewayAttachment):
                    continue
                if b.resource_type is TransitGatewayAttachmentType.VPC:
                    for sid in b.subnet_ids:
                        g.add_edge(node, f"subnet:{sid}")
                elif b.resource_type is TransitGatewayAttachmentType.VPN:
                    g.add_edge(node, "onprem")
                else:
                    g.add_edge(node, "unknown")
    return g


def start_node(origin: Origin) -> str:
    if origin.kind is OriginKind.INTERFACE:
        return f"eni:{origin.interface_id}"
    if origin.kind is OriginKind.PEERING:
        return f"pcx-in:{origin.peering_id}"
    return origin.kind.value


def goal_nodes(dst: Destination) -> set[str]:
    goals = {f"to:{e}" for e in dst.interface_ids} | {f"service:{s}" for s in dst.service_ids}
    if dst.internet:
        goals.add("internet")
    if dst.onprem:
        goals.add("onprem")
    return goals | {"unknown"}


def connects(
    network: Network, origin: Origin, dst: Destination, index: NetworkIndex | None = None
) -> bool:
    """Is there any path of locations from `origin` to the destination (or to a component
    the model does not cover, which might lead anywhere)?"""
    g = (index if index is not None else index_for(network)).graph
    start = start_node(origin)
    if start not in g:
        return False
    reach = nx.descendants(g, start) | {start}
    return bool(reach & goal_nodes(dst))
