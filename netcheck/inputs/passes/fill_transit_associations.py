"""Pass: a transit gateway attachment's associated route table, from the route tables' side.

Input: a `Draft` whose attachments may lack `association_route_table_id` (AWS lists the
association per route table; `describe-transit-gateway-attachments` may not say). Output: the
attachments with it set when exactly one route table names the attachment among its
associations (an attachment is associated with at most one route table).

    >>> from netcheck.inputs.diagnostics import Collector
    >>> from netcheck.inputs.draft import Draft
    >>> from netcheck.model import TransitGatewayAttachment as A, TransitGatewayRouteTable as T
    >>> a = A(id="tgw-attach-0a", transit_gateway_id="tgw-0a", resource_type="vpc")
    >>> t = T(id="tgw-rtb-0a", transit_gateway_id="tgw-0a",
    ...       association_attachment_ids=("tgw-attach-0a",))
    >>> draft = Draft({"transit_gateway_attachments": [a], "transit_gateway_route_tables": [t]})
    >>> fill_transit_associations(draft, Collector())
    >>> draft.collections["transit_gateway_attachments"][0].association_route_table_id
    'tgw-rtb-0a'
"""

from __future__ import annotations

from collections import defaultdict

from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.draft import Draft
from netcheck.model import TransitGatewayAttachment, TransitGatewayRouteTable


def fill_transit_associations(draft: Draft, c: Collector) -> None:
    tables: list[TransitGatewayRouteTable] = draft.items("transit_gateway_route_tables")
    attachments: list[TransitGatewayAttachment] = draft.items("transit_gateway_attachments")
    table_of: dict[str, set[str]] = defaultdict(set)
    for t in tables:
        for att in t.association_attachment_ids:
            table_of[att].add(t.id)
    draft.collections["transit_gateway_attachments"] = [
        a.model_copy(update={"association_route_table_id": next(iter(table_of[a.id]))})
        if a.association_route_table_id is None and len(table_of.get(a.id, ())) == 1
        else a
        for a in attachments
    ]
