"""Transit gateways, their attachments and route tables.

Input: raw records of `describe-transit-gateways`, `describe-transit-gateway-attachments`,
`describe-transit-gateway-vpc-attachments`, `describe-transit-gateway-route-tables`, and the
per-table wrappers (AWS returns routes, associations and propagations only per table):
Batfish's `TransitGatewayPropagations` / `TransitGatewayStaticRoutes` and netcheck's
`TransitGatewayRouteTableDetails` (docs/formats.md).
Output: `TransitGateway`, `TransitGatewayAttachment` (only `available` / `modifying`),
`TransitGatewayRouteTable` with associations, propagations and routes.
"""

from __future__ import annotations

from collections import defaultdict

from netcheck.errors import Severity
from netcheck.inputs.aws import keys
from netcheck.inputs.aws.context import Raw, ReadContext
from netcheck.inputs.diagnostics import Loc
from netcheck.inputs.values import (
    Json,
    build,
    check_fields,
    cidr_any,
    nested_strings,
    objects,
    opt_bool,
    opt_dict,
    opt_str,
    req_str,
    strings,
)
from netcheck.model import (
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayAttachmentType,
    TransitGatewayMulticastDomain,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
)

ACTIVE_ATTACHMENT_STATES = ("available", "modifying")
_TYPES = {t.value: t for t in TransitGatewayAttachmentType}


def read_transit_gateways(ctx: ReadContext) -> list[TransitGateway]:
    out = []
    for r in ctx.records("TransitGateways"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.TRANSIT_GATEWAY, loc, c)
        state = opt_str(d, "State", loc, c) or "available"
        if state not in ("available", "modifying"):
            ctx.leave_out(r, "transit gateway", state)
            continue
        o = opt_dict(d, "Options", loc, c) or {}
        oloc = loc.key("Options")
        tgw = build(
            TransitGateway,
            loc,
            c,
            **ctx.common(r),
            state=state,
            owner_id=opt_str(d, "OwnerId", loc, c),
            default_route_table_association=o.get("DefaultRouteTableAssociation") == "enable",
            default_route_table_propagation=o.get("DefaultRouteTablePropagation") == "enable",
            association_default_route_table_id=opt_str(
                o, "AssociationDefaultRouteTableId", oloc, c
            ),
            propagation_default_route_table_id=opt_str(
                o, "PropagationDefaultRouteTableId", oloc, c
            ),
            security_group_referencing_support=_switch(o, "SecurityGroupReferencingSupport"),
        )
        if tgw:
            out.append(tgw)
    return out


def _switch(options: Json, key: str) -> bool | None:
    """An `enable` / `disable` option; None when the snapshot does not state it (or states
    something else), so that a decision depending on it is unknown rather than guessed."""
    value = options.get(key)
    if value == "enable":
        return True
    if value == "disable":
        return False
    return None


def read_attachments(ctx: ReadContext) -> list[TransitGatewayAttachment]:
    """Attachments from `TransitGatewayAttachments`, completed by `TransitGatewayVpcAttachments`
    (subnets, appliance mode); a VPC attachment listed only in the latter is read from it."""
    c = ctx.c
    general = {r.id: r for r in ctx.records("TransitGatewayAttachments")}
    vpc = {r.id: r for r in ctx.records("TransitGatewayVpcAttachments")}
    out = []
    for att_id in sorted(general.keys() | vpc.keys()):
        g, v = general.get(att_id), vpc.get(att_id)
        if g is not None:
            check_fields(g.data, keys.TRANSIT_GATEWAY_ATTACHMENT, g.loc, c)
        if v is not None:
            check_fields(v.data, keys.TRANSIT_GATEWAY_VPC_ATTACHMENT, v.loc, c)
        main = g or v
        assert main is not None
        d, loc = main.data, main.loc
        state = opt_str(d, "State", loc, c) or "available"
        if state not in ACTIVE_ATTACHMENT_STATES:
            ctx.leave_out(main, "transit gateway attachment", state)
            continue
        tgw_id = req_str(d, "TransitGatewayId", loc, c)
        if g is not None:
            type_text = opt_str(g.data, "ResourceType", loc, c) or ""
            rtype = _TYPES.get(type_text)
            if rtype is None:
                c.error(f"unknown ResourceType {type_text!r}", loc.key("ResourceType"))
                continue
            resource_id = opt_str(g.data, "ResourceId", loc, c)
        else:
            rtype, resource_id = TransitGatewayAttachmentType.VPC, opt_str(d, "VpcId", loc, c)
        if tgw_id is None:
            continue
        ctx.expect(tgw_id, loc.key("TransitGatewayId"), "transit gateway")
        if rtype is TransitGatewayAttachmentType.VPC:
            ctx.expect(resource_id, loc.key("ResourceId" if g else "VpcId"), "attached VPC")
        elif rtype is TransitGatewayAttachmentType.VPN:
            ctx.expect(resource_id, loc.key("ResourceId"), "VPN connection")
        subnet_ids: list[str] = []
        appliance = False
        sg_referencing: bool | None = None
        if v is not None:
            subnet_ids = strings(v.data, "SubnetIds", v.loc, c)
            for i, sid in enumerate(subnet_ids):
                ctx.expect(sid, v.loc.key("SubnetIds").index(i), "attachment subnet")
            options = opt_dict(v.data, "Options", v.loc, c) or {}
            appliance = options.get("ApplianceModeSupport") == "enable"
            sg_referencing = _switch(options, "SecurityGroupReferencingSupport")
        elif rtype is TransitGatewayAttachmentType.VPC:
            c.warning(
                "subnets of this VPC attachment are unknown: add "
                "describe-transit-gateway-vpc-attachments output",
                loc,
                analysis=True,
            )
        assoc = (opt_dict(g.data, "Association", loc, c) if g else None) or {}
        assoc_rt = None
        if assoc.get("State", "associated") in ("associated", "associating"):
            assoc_rt = opt_str(assoc, "TransitGatewayRouteTableId", loc.key("Association"), c)
            ctx.expect(
                assoc_rt,
                loc.key("Association").key("TransitGatewayRouteTableId"),
                "transit gateway route table",
            )
        att = build(
            TransitGatewayAttachment,
            loc,
            c,
            **ctx.common(main),
            transit_gateway_id=tgw_id,
            resource_type=rtype,
            resource_id=resource_id,
            state=state,
            subnet_ids=tuple(sorted(set(subnet_ids))),
            association_route_table_id=assoc_rt,
            appliance_mode=appliance,
            security_group_referencing_support=sg_referencing,
        )
        if att:
            out.append(att)
    return out


def _links(d: Json, fields: tuple[str, ...], active: str, loc: Loc, ctx: ReadContext) -> list[str]:
    """Attachment ids of associations / propagations in state `active`."""
    out = []
    for field in fields:
        for item, where in objects(d, field, loc, ctx.c):
            check_fields(item, keys.TRANSIT_GATEWAY_ROUTE_TABLE_LINK, where, ctx.c)
            att = req_str(item, "TransitGatewayAttachmentId", where, ctx.c)
            if att and item.get("State", active) == active:
                ctx.expect(
                    att,
                    where.key("TransitGatewayAttachmentId"),
                    "transit gateway attachment",
                    left_out_severity=Severity.NOTE,
                )
                out.append(att)
    return out


def _tgw_route(d: Json, loc: Loc, ctx: ReadContext) -> TransitGatewayRoute | None:
    c = ctx.c
    check_fields(d, keys.TRANSIT_GATEWAY_ROUTE, loc, c)
    state = opt_str(d, "State", loc, c) or "active"
    if state not in ("active", "blackhole"):
        c.note(f"transit gateway route in state {state!r} left out", loc, analysis=True)
        return None
    if "DestinationCidrBlock" not in d:
        c.warning(
            "transit gateway route without DestinationCidrBlock (prefix-list routes are not "
            "modelled) left out",
            loc,
            analysis=True,
        )
        return None
    dest = cidr_any(d["DestinationCidrBlock"], loc.key("DestinationCidrBlock"), c)
    attachments = nested_strings(
        d, "TransitGatewayAttachments", "TransitGatewayAttachmentId", loc, c
    )
    for i, att in enumerate(attachments):
        ctx.expect(
            att,
            loc.key("TransitGatewayAttachments").index(i).key("TransitGatewayAttachmentId"),
            "transit gateway attachment",
        )
    if dest is None:
        return None
    return build(
        TransitGatewayRoute,
        loc,
        c,
        destination=dest,
        route_type=opt_str(d, "Type", loc, c) or "static",
        state=state,
        attachment_ids=tuple(sorted(set(attachments))),
        provenance=loc.provenance(),
    )


def read_route_tables(
    ctx: ReadContext, attachments: list[TransitGatewayAttachment]
) -> list[TransitGatewayRouteTable]:
    c = ctx.c
    associations: dict[str, list[str]] = defaultdict(list)
    propagations: dict[str, list[str]] = defaultdict(list)
    routes: dict[str, dict[tuple[str, str, tuple[str, ...]], TransitGatewayRoute]] = defaultdict(
        dict
    )
    detailed: set[str] = set()
    # Which parts of each table the snapshot has: all its routes (search output, static and
    # propagated), its static routes only (Batfish), its propagations.
    all_routes: set[str] = set()
    static_routes: set[str] = set()
    propagation_lists: set[str] = set()
    for a in attachments:
        if a.association_route_table_id:
            associations[a.association_route_table_id].append(a.id)
    wrappers: list[tuple[Raw, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
        (r, ("TransitGatewayRouteTablePropagations",), (), ())
        for r in ctx.records("TransitGatewayPropagations")
    ]
    wrappers += [(r, (), (), ("Routes",)) for r in ctx.records("TransitGatewayStaticRoutes")]
    wrappers += [
        (r, ("Propagations",), ("Associations",), ("Routes",))
        for r in ctx.records("TransitGatewayRouteTableDetails")
    ]
    for r, prop_fields, assoc_fields, route_fields in wrappers:
        ctx.expect(r.id, r.loc.key("TransitGatewayRouteTableId"), "transit gateway route table")
        check_fields(
            r.data,
            {"TransitGatewayRouteTableId", "AdditionalRoutesAvailable"}
            | set(prop_fields + assoc_fields + route_fields),
            r.loc,
            c,
        )
        if r.data.get("AdditionalRoutesAvailable") is True:
            c.warning(
                "AdditionalRoutesAvailable: the route list is truncated", r.loc, analysis=True
            )
        detailed.add(r.id)
        if any(f in r.data for f in prop_fields):
            propagation_lists.add(r.id)
        if "Routes" in r.data:
            (all_routes if prop_fields or assoc_fields else static_routes).add(r.id)
        propagations[r.id] += _links(r.data, prop_fields, "enabled", r.loc, ctx)
        associations[r.id] += _links(r.data, assoc_fields, "associated", r.loc, ctx)
        for field in route_fields:
            for rd, where in objects(r.data, field, r.loc, c):
                route = _tgw_route(rd, where, ctx)
                if route is not None:
                    key = (str(route.destination), route.route_type, route.attachment_ids)
                    routes[r.id].setdefault(key, route)
    live = {a.id for a in attachments}
    out = []
    for r in ctx.records("TransitGatewayRouteTables"):
        d, loc = r.data, r.loc
        check_fields(d, keys.TRANSIT_GATEWAY_ROUTE_TABLE, loc, c)
        state = opt_str(d, "State", loc, c) or "available"
        if state not in ("available", "pending"):
            ctx.leave_out(r, "transit gateway route table", state)
            continue
        tgw_id = req_str(d, "TransitGatewayId", loc, c)
        if tgw_id is None:
            continue
        ctx.expect(tgw_id, loc.key("TransitGatewayId"), "transit gateway")
        routes_known = r.id in all_routes or (r.id in static_routes and r.id in propagation_lists)
        if r.id not in detailed:
            c.warning(
                "routes and propagations of this transit gateway route table are not in the "
                "snapshot; only associations are known, and routing through it is unknown "
                "(add TransitGatewayRouteTableDetails, docs/formats.md)",
                loc,
                analysis=True,
            )
        elif not routes_known:
            c.warning(
                "the routes of this transit gateway route table are not all in the snapshot "
                "(its search-transit-gateway-routes output, or static routes and propagations, "
                "are missing): routing through it is unknown (docs/formats.md)",
                loc,
                analysis=True,
            )
        table = build(
            TransitGatewayRouteTable,
            loc,
            c,
            **ctx.common(r),
            transit_gateway_id=tgw_id,
            routes=tuple(
                sorted(
                    routes[r.id].values(),
                    key=lambda x: (
                        x.destination.version,
                        int(x.destination.network_address),
                        x.destination.prefixlen,
                        x.route_type,
                        x.attachment_ids,
                    ),
                )
            ),
            association_attachment_ids=tuple(sorted(set(associations[r.id]) & live)),
            propagation_attachment_ids=tuple(sorted(set(propagations[r.id]) & live)),
            default_association=opt_bool(d, "DefaultAssociationRouteTable", loc, c),
            default_propagation=opt_bool(d, "DefaultPropagationRouteTable", loc, c),
            routes_known=routes_known,
        )
        if table:
            out.append(table)
    return out


def read_multicast_domains(ctx: ReadContext) -> list[TransitGatewayMulticastDomain]:
    """Transit gateway multicast domains (`describe-transit-gateway-multicast-domains`);
    multicast forwarding itself is not modelled (paths that may use it end unknown)."""
    out = []
    for r in ctx.records("TransitGatewayMulticastDomains"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.TRANSIT_GATEWAY_MULTICAST_DOMAIN, loc, c)
        state = opt_str(d, "State", loc, c) or "available"
        if state not in ("available", "pending"):
            ctx.leave_out(r, "transit gateway multicast domain", state)
            continue
        tgw_id = req_str(d, "TransitGatewayId", loc, c)
        ctx.expect(tgw_id, loc.key("TransitGatewayId"), "transit gateway")
        if tgw_id is None:
            continue
        c.note(
            f"{r.id} is a multicast domain of {tgw_id}: multicast forwarding is not modelled, "
            "multicast packets from VPCs attached to it are unknown",
            loc,
            analysis=True,
        )
        domain = build(
            TransitGatewayMulticastDomain,
            loc,
            c,
            **ctx.common(r),
            transit_gateway_id=tgw_id,
            state=state,
        )
        if domain:
            out.append(domain)
    return out
