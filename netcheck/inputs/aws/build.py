"""Reading a whole AWS snapshot: recognise each file's keys, collect records, keep one record
per id, build every model object in dependency order.

Input: decoded `SourceFile`s. Output: a `Draft` (model objects, the references seen, the ids
read, the resources left out) for the shared passes, and diagnostics in the `Collector`.
"""

from __future__ import annotations

from typing import Any

from netcheck.inputs.aws import (
    gateways,
    interfaces,
    keys,
    public_access,
    security,
    transit,
    vpc,
)
from netcheck.inputs.aws.context import Raw, ReadContext
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.draft import Draft
from netcheck.inputs.files import SourceFile
from netcheck.inputs.values import check_fields

# Ids that legitimately appear in two files: both sides of a cross-region connection.
_SHARED_KEYS = ("VpcPeeringConnections", "TransitGatewayAttachments")
# Keys whose records are merged by id rather than checked for duplicates.
_MERGED_KEYS = ("PrefixLists", "Addresses")


def _collect_list(key: str, value: Any, loc: Loc, f: SourceFile, ctx: ReadContext) -> None:
    c = ctx.c
    if not isinstance(value, list):
        c.error(f"{key} must be a list", loc)
        return
    id_field = keys.ID_FIELDS.get(key) or keys.WRAPPER_KEYS[key]
    for i, item in enumerate(value):
        where = loc.index(i)
        if not isinstance(item, dict):
            c.error("expected an object", where)
            continue
        rid = item.get(id_field)
        if not isinstance(rid, str) or not rid:
            c.error(f"missing required field {id_field}: resource ignored", where)
            continue
        ctx.raw[key].append(Raw(item, where.rid(rid), f.account, f.region))


def _collect_reservations(value: Any, loc: Loc, f: SourceFile, ctx: ReadContext) -> None:
    if not isinstance(value, list):
        ctx.c.error("Reservations must be a list", loc)
        return
    for i, res in enumerate(value):
        where = loc.index(i)
        if not isinstance(res, dict):
            ctx.c.error("expected an object", where)
            continue
        check_fields(res, keys.RESERVATION, where, ctx.c)
        _collect_list("Instances", res.get("Instances", []), where.key("Instances"), f, ctx)


def collect(files: list[SourceFile], ctx: ReadContext) -> None:
    """Sort every top-level key of every file into `ctx.raw` (unknown keys reported)."""
    c = ctx.c
    for f in files:
        if not isinstance(f.data, dict):
            c.error(
                "the top-level JSON value must be an object of describe-* keys (save the "
                "whole `aws ec2 describe-…` output, not a --query result)",
                f.loc,
            )
            continue
        recognised, unknown = False, []
        for key in f.data:
            loc = f.loc.key(key)
            value = f.data[key]
            if key in keys.ID_FIELDS or key in keys.WRAPPER_KEYS:
                recognised = True
                _collect_list(key, value, loc, f, ctx)
            elif key in keys.SINGLE_KEYS:
                recognised = True
                if isinstance(value, dict):
                    rid = keys.SINGLE_KEYS[key]
                    ctx.raw[key].append(Raw(value, loc.rid(rid), f.account, f.region))
                else:
                    c.error(f"{key} must be an object", loc)
            elif key == "Reservations":
                recognised = True
                _collect_reservations(value, loc, f, ctx)
            elif key in keys.NOT_MODELLED:
                recognised = True
                c.note(f"{key} is recognised but not modelled: ignored", loc)
            elif key == "NextToken":
                if value:
                    c.warning("NextToken present: this output was truncated (paginate)", loc)
            elif key not in keys.ENVELOPE:
                unknown.append(key)
        if not recognised:
            shown = ", ".join(sorted(f.data)[:5]) or "none"
            c.warning(f"no known describe-* key in this file (keys: {shown}): file ignored", f.loc)
        else:
            for key in unknown:
                c.warning(f"unknown top-level key {key} ignored", f.loc.key(key))


def check_duplicates(ctx: ReadContext) -> None:
    """Keep the first record of each id; a second one is an error naming both places, or a
    note for both sides of a cross-region peering and for an identical copy in another file."""
    for key in list(ctx.raw):
        if key in _MERGED_KEYS or key in keys.WRAPPER_KEYS or key in keys.SINGLE_KEYS:
            continue
        first: dict[str, Raw] = {}
        kept = []
        for r in ctx.raw[key]:
            prev = first.get(r.id)
            if prev is None:
                first[r.id] = r
                kept.append(r)
                continue
            shared = key == "VpcPeeringConnections" or (
                key == "TransitGatewayAttachments" and r.data.get("ResourceType") == "peering"
            )
            if shared and prev.loc.file != r.loc.file:
                ctx.c.note(
                    f"{r.id} is listed again (the other side of a peering); the first, at "
                    f"{prev.loc.file} {prev.loc.path}, is kept",
                    r.loc,
                )
            elif r.data == prev.data and prev.loc.file != r.loc.file:
                # A resource shared between accounts (RAM: shared VPC subnets, transit
                # gateways) appears, identical, in each account's output.
                ctx.c.note(
                    f"{r.id} is listed again, identical (a shared resource?); the first, at "
                    f"{prev.loc.file} {prev.loc.path}, is kept",
                    r.loc,
                )
            else:
                ctx.c.error(
                    f"duplicate id {r.id}: also defined at {prev.loc.file} {prev.loc.path}",
                    r.loc,
                )
        ctx.raw[key] = kept


def read_describe_json(files: list[SourceFile], c: Collector) -> Draft:
    """The AWS describe-* reader: records -> model objects, plus the references it saw.
    Defaulting and checks every format shares are left to `netcheck.inputs.passes`."""
    ctx = ReadContext(c)
    collect(files, ctx)
    check_duplicates(ctx)
    prefix_lists = gateways.read_prefix_lists(ctx)
    vpcs = vpc.read_vpcs(ctx)
    tables = vpc.read_route_tables(ctx)
    acls = vpc.read_network_acls(ctx)
    subnets = vpc.read_subnets(ctx, vpcs)
    vpcs, exclusions = public_access.read_block_public_access(ctx, vpcs)
    groups = security.read_security_groups(ctx)
    igws = gateways.read_internet_gateways(ctx)
    eigws = gateways.read_egress_only_internet_gateways(ctx)
    nats, regional_nats = gateways.read_nat_gateways(ctx)
    endpoints = gateways.read_vpc_endpoints(ctx, prefix_lists)
    peerings = gateways.read_peering_connections(ctx)
    vgws = gateways.read_vpn_gateways(ctx)
    vpns = gateways.read_vpn_connections(ctx)
    tgws = transit.read_transit_gateways(ctx)
    attachments = transit.read_attachments(ctx)
    tgw_tables = transit.read_route_tables(ctx, attachments)
    multicast_domains = transit.read_multicast_domains(ctx)
    instances, instance_enis = interfaces.read_instances(ctx)
    enis = interfaces.read_interfaces(ctx, instance_enis)
    # These three read describe-addresses and RDS records into the interfaces, in this
    # order: they stay with the AWS reader.
    enis = interfaces.attach_nat_interfaces(ctx, nats, enis)
    enis = interfaces.attach_endpoint_interfaces(ctx, endpoints, enis)
    enis = interfaces.apply_addresses(ctx, enis)
    dbs, enis = interfaces.read_db_instances(ctx, enis)
    collections: dict[str, list[Any]] = {
        "vpcs": vpcs,
        "subnets": subnets,
        "route_tables": tables,
        "network_acls": acls,
        "security_groups": groups,
        "network_interfaces": enis,
        "instances": instances,
        "db_instances": dbs,
        "internet_gateways": igws,
        "egress_only_internet_gateways": eigws,
        "nat_gateways": nats,
        "regional_nat_gateways": regional_nats,
        "vpc_endpoints": endpoints,
        "vpc_peering_connections": peerings,
        "transit_gateways": tgws,
        "transit_gateway_attachments": attachments,
        "transit_gateway_route_tables": tgw_tables,
        "vpn_gateways": vgws,
        "vpn_connections": vpns,
        "prefix_lists": prefix_lists,
        "transit_gateway_multicast_domains": multicast_domains,
        "block_public_access_exclusions": exclusions,
    }
    return Draft(
        collections,
        references=ctx.references,
        read_ids={r.id for records in ctx.raw.values() for r in records},
        left_out=ctx.left_out,
        settings={"idle_addresses": interfaces.idle_addresses(ctx)},
    )
