"""Gateways and connections: internet / egress-only gateways, NAT gateways, VPC endpoints,
peering connections, virtual private gateways, VPN connections and prefix lists.

Input: raw records in a `ReadContext`. Output: the matching model objects; resources in a state that
carries no traffic (NAT not `available`, peering not `active`, endpoint or VPN deleted…) are
left out with a note.
"""

from __future__ import annotations

from collections import defaultdict
from ipaddress import IPv4Network
from typing import TypeVar

from netcheck.errors import Severity
from netcheck.inputs.aws import keys
from netcheck.inputs.aws.context import Raw, ReadContext
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.values import (
    Json,
    build,
    check_fields,
    cidr4,
    cidr_any,
    ip4,
    items,
    nested_strings,
    net_key,
    objects,
    opt_bool,
    opt_dict,
    opt_str,
    req_str,
    strings,
)
from netcheck.model import (
    EgressOnlyInternetGateway,
    InternetGateway,
    IPPrefix,
    NatGateway,
    NatGatewayAddress,
    PeeringVpcInfo,
    PrefixList,
    RegionalNatGateway,
    VpcEndpoint,
    VpcEndpointType,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)

_ATTACHED = ("available", "attached")


def _attached_vpcs(d: Json, field: str, loc: Loc, ctx: ReadContext) -> tuple[str, ...]:
    out = []
    for a, where in objects(d, field, loc, ctx.c):
        if a.get("State", "attached") in _ATTACHED and (vid := opt_str(a, "VpcId", where, ctx.c)):
            ctx.expect(vid, where.key("VpcId"), "attached VPC")
            out.append(vid)
    return tuple(sorted(set(out)))


_Gateway = TypeVar("_Gateway", InternetGateway, EgressOnlyInternetGateway)


def _read_attached_gateways(
    ctx: ReadContext, key: str, known: frozenset[str], kind: type[_Gateway]
) -> list[_Gateway]:
    """Internet and egress-only gateways share one shape: an id and their VPC attachments."""
    out = []
    for r in ctx.records(key):
        check_fields(r.data, known, r.loc, ctx.c)
        vpcs = _attached_vpcs(r.data, "Attachments", r.loc, ctx)
        if gateway := build(kind, r.loc, ctx.c, **ctx.common(r), vpc_ids=vpcs):
            out.append(gateway)
    return out


def read_internet_gateways(ctx: ReadContext) -> list[InternetGateway]:
    return _read_attached_gateways(ctx, "InternetGateways", keys.INTERNET_GATEWAY, InternetGateway)


def read_egress_only_internet_gateways(ctx: ReadContext) -> list[EgressOnlyInternetGateway]:
    return _read_attached_gateways(
        ctx,
        "EgressOnlyInternetGateways",
        keys.EGRESS_ONLY_INTERNET_GATEWAY,
        EgressOnlyInternetGateway,
    )


def read_nat_gateways(ctx: ReadContext) -> tuple[list[NatGateway], list[RegionalNatGateway]]:
    """Available NAT gateways: zonal ones (in one subnet) and regional ones
    (`AvailabilityMode: regional`, no subnet of their own)."""
    out, regional = [], []
    for r in ctx.records("NatGateways"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.NAT_GATEWAY, loc, c)
        state = opt_str(d, "State", loc, c) or "available"
        if state != "available":
            ctx.leave_out(r, "NAT gateway", state)
            continue
        addresses = _nat_addresses(d, loc, c)
        if (opt_str(d, "AvailabilityMode", loc, c) or "zonal") == "regional":
            vpc_id = req_str(d, "VpcId", loc, c)
            ctx.expect(vpc_id, loc.key("VpcId"), "VPC")
            if vpc_id is None:
                continue
            c.note(
                f"{r.id} is a regional NAT gateway: which address and path it uses per "
                "Availability Zone is not in describe-* output, so paths through it are unknown",
                loc,
                analysis=True,
            )
            rnat = build(
                RegionalNatGateway,
                loc,
                c,
                **ctx.common(r),
                vpc_id=vpc_id,
                connectivity_type=opt_str(d, "ConnectivityType", loc, c) or "public",
                public_ips=tuple(
                    sorted({a.public_ip for a in addresses if a.public_ip is not None})
                ),
                state=state,
            )
            if rnat:
                regional.append(rnat)
            continue
        vpc_id, subnet_id = req_str(d, "VpcId", loc, c), req_str(d, "SubnetId", loc, c)
        ctx.expect(vpc_id, loc.key("VpcId"), "VPC")
        # The NAT routes from its subnet: without it nothing about the NAT can be analysed.
        ctx.expect(subnet_id, loc.key("SubnetId"), "subnet", Severity.ERROR)
        if vpc_id is None or subnet_id is None:
            continue
        nat = build(
            NatGateway,
            loc,
            c,
            **ctx.common(r),
            vpc_id=vpc_id,
            subnet_id=subnet_id,
            connectivity_type=opt_str(d, "ConnectivityType", loc, c) or "public",
            addresses=tuple(addresses),
            state=state,
        )
        if nat:
            out.append(nat)
    return out, regional


def _nat_addresses(d: Json, loc: Loc, c: Collector) -> list[NatGatewayAddress]:
    addresses = []
    for i, (a, where) in enumerate(objects(d, "NatGatewayAddresses", loc, c)):
        if a.get("Status") in ("failed", "disassociating", "unassigning"):
            continue
        private = ip4(a["PrivateIp"], where.key("PrivateIp"), c) if a.get("PrivateIp") else None
        public = ip4(a["PublicIp"], where.key("PublicIp"), c) if a.get("PublicIp") else None
        addresses.append(
            NatGatewayAddress(
                interface_id=opt_str(a, "NetworkInterfaceId", where, c),
                private_ip=private,
                public_ip=public,
                allocation_id=opt_str(a, "AllocationId", where, c),
                primary=opt_bool(a, "IsPrimary", where, c, default=i == 0),
            )
        )
    return addresses


_ENDPOINT_TYPES = {t.value.lower(): t for t in VpcEndpointType}


def read_vpc_endpoints(ctx: ReadContext, prefix_lists: list[PrefixList]) -> list[VpcEndpoint]:
    pl_by_name = {p.prefix_list_name: p.id for p in prefix_lists if p.prefix_list_name}
    out = []
    for r in ctx.records("VpcEndpoints"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.VPC_ENDPOINT, loc, c)
        state = (opt_str(d, "State", loc, c) or "available").lower()
        if state != "available":
            ctx.leave_out(r, "VPC endpoint", state)
            continue
        vpc_id, service = req_str(d, "VpcId", loc, c), req_str(d, "ServiceName", loc, c)
        type_text = opt_str(d, "VpcEndpointType", loc, c) or "Gateway"
        etype = _ENDPOINT_TYPES.get(type_text.lower())
        if etype is None:
            c.error(f"unknown VpcEndpointType {type_text!r}", loc.key("VpcEndpointType"))
        if vpc_id is None or service is None or etype is None:
            continue
        ctx.expect(vpc_id, loc.key("VpcId"), "VPC")
        tables = strings(d, "RouteTableIds", loc, c)
        subnets = strings(d, "SubnetIds", loc, c)
        enis = strings(d, "NetworkInterfaceIds", loc, c)
        groups = nested_strings(d, "Groups", "GroupId", loc, c)
        for field, values, what in (
            ("RouteTableIds", tables, "route table"),
            ("SubnetIds", subnets, "subnet"),
            ("NetworkInterfaceIds", enis, "network interface"),
        ):
            for i, value in enumerate(values):
                ctx.expect(value, loc.key(field).index(i), what)
        for i, gid in enumerate(groups):
            ctx.expect(gid, loc.key("Groups").index(i).key("GroupId"), "security group")
        pl_id = pl_by_name.get(service) if etype is VpcEndpointType.GATEWAY else None
        if etype is VpcEndpointType.GATEWAY and pl_id is None:
            c.note(
                f"no prefix list named {service} in the snapshot: the endpoint's service "
                "addresses are unknown (add describe-prefix-lists output)",
                loc,
            )
        ep = build(
            VpcEndpoint,
            loc,
            c,
            **ctx.common(r),
            vpc_id=vpc_id,
            endpoint_type=etype,
            service_name=service,
            state=state,
            route_table_ids=tuple(sorted(tables)),
            subnet_ids=tuple(sorted(subnets)),
            interface_ids=tuple(sorted(enis)),
            group_ids=tuple(sorted(groups)),
            prefix_list_id=pl_id,
        )
        if ep:
            out.append(ep)
    return out


def _vpc_info(d: Json, field: str, loc: Loc, ctx: ReadContext) -> PeeringVpcInfo | None:
    c = ctx.c
    info = opt_dict(d, field, loc, c)
    where = loc.key(field)
    if info is None:
        c.error(f"missing required field {field}", loc)
        return None
    vpc_id = req_str(info, "VpcId", where, c)
    blocks: list[IPv4Network] = []
    for b, bloc in objects(info, "CidrBlockSet", where, c):
        net = cidr4(b.get("CidrBlock"), bloc.key("CidrBlock"), c)
        if net is not None and net not in blocks:
            blocks.append(net)
    if not blocks and "CidrBlock" in info:
        net = cidr4(info["CidrBlock"], where.key("CidrBlock"), c)
        if net is not None:
            blocks.append(net)
    if vpc_id is None:
        return None
    return PeeringVpcInfo(
        vpc_id=vpc_id,
        owner_id=opt_str(info, "OwnerId", where, c),
        region=opt_str(info, "Region", where, c),
        cidr_blocks=tuple(blocks),
    )


def read_peering_connections(ctx: ReadContext) -> list[VpcPeeringConnection]:
    out = []
    for r in ctx.records("VpcPeeringConnections"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.VPC_PEERING_CONNECTION, loc, c)
        status = (opt_dict(d, "Status", loc, c) or {}).get("Code", "active")
        if status != "active":
            ctx.leave_out(r, "VPC peering connection", status)
            continue
        requester = _vpc_info(d, "RequesterVpcInfo", loc, ctx)
        accepter = _vpc_info(d, "AccepterVpcInfo", loc, ctx)
        if requester is None or accepter is None:
            continue
        for field, info in (("RequesterVpcInfo", requester), ("AccepterVpcInfo", accepter)):
            ctx.expect(
                info.vpc_id,
                loc.key(field).key("VpcId"),
                "peer VPC",
                Severity.NOTE,
                "paths into it are unknown (another account or region?)",
            )
        pcx = build(
            VpcPeeringConnection,
            loc,
            c,
            **ctx.common(r),
            requester=requester,
            accepter=accepter,
            status=status,
        )
        if pcx:
            out.append(pcx)
    return out


def read_vpn_gateways(ctx: ReadContext) -> list[VpnGateway]:
    out = []
    for r in ctx.records("VpnGateways"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.VPN_GATEWAY, loc, c)
        state = opt_str(d, "State", loc, c) or "available"
        if state != "available":
            ctx.leave_out(r, "virtual private gateway", state)
            continue
        vpcs = _attached_vpcs(d, "VpcAttachments", loc, ctx)
        if vgw := build(VpnGateway, loc, c, **ctx.common(r), vpc_ids=vpcs, state=state):
            out.append(vgw)
    return out


def read_vpn_connections(ctx: ReadContext) -> list[VpnConnection]:
    out = []
    for r in ctx.records("VpnConnections"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.VPN_CONNECTION, loc, c)
        state = opt_str(d, "State", loc, c) or "available"
        if state != "available":
            ctx.leave_out(r, "VPN connection", state)
            continue
        options = opt_dict(d, "Options", loc, c) or {}
        cidrs: list[IPPrefix] = []
        for route, where in objects(d, "Routes", loc, c):
            if route.get("State", "available") not in ("available", "pending"):
                continue
            net = cidr_any(route.get("DestinationCidrBlock"), where.key("DestinationCidrBlock"), c)
            if net is not None and net not in cidrs:
                cidrs.append(net)
        vgw, tgw = opt_str(d, "VpnGatewayId", loc, c), opt_str(d, "TransitGatewayId", loc, c)
        ctx.expect(vgw, loc.key("VpnGatewayId"), "virtual private gateway")
        ctx.expect(tgw, loc.key("TransitGatewayId"), "transit gateway")
        vpn = build(
            VpnConnection,
            loc,
            c,
            **ctx.common(r),
            vpn_gateway_id=vgw,
            transit_gateway_id=tgw,
            customer_gateway_id=opt_str(d, "CustomerGatewayId", loc, c),
            static_routes_only=opt_bool(options, "StaticRoutesOnly", loc.key("Options"), c),
            onprem_cidrs=tuple(sorted(cidrs, key=net_key)),
            state=state,
        )
        if vpn:
            out.append(vpn)
    return out


def read_prefix_lists(ctx: ReadContext) -> list[PrefixList]:
    """Prefix lists from both shapes (`describe-prefix-lists` with `Cidrs`, and
    `describe-managed-prefix-lists` plus `ManagedPrefixListEntries`), merged by id."""
    c = ctx.c
    groups: dict[str, list[Raw]] = defaultdict(list)
    for r in ctx.records("PrefixLists"):
        check_fields(r.data, keys.PREFIX_LIST, r.loc, c)
        groups[r.id].append(r)
    entries: dict[str, list[IPPrefix]] = defaultdict(list)
    for r in ctx.records("ManagedPrefixListEntries"):
        ctx.expect(r.id, r.loc.key("PrefixListId"), "prefix list")
        for e, where in objects(r.data, "Entries", r.loc, c):
            net = cidr_any(e.get("Cidr"), where.key("Cidr"), c)
            if net is not None:
                entries[r.id].append(net)
    out = []
    for pl_id, records in groups.items():
        first = records[0]
        state = next((x.data["State"] for x in records if "State" in x.data), "create-complete")
        if state in ("delete-complete", "delete-in-progress", "delete-failed"):
            ctx.leave_out(first, "prefix list", state)
            continue
        nets: list[IPPrefix] = list(entries.get(pl_id, ()))
        has_entries = pl_id in entries
        name = ""
        tag_dict: dict[str, str] = {}
        for x in records:
            name = name or opt_str(x.data, "PrefixListName", x.loc, c) or ""
            tag_dict |= ctx.common(x)["tags"]
            if "Cidrs" in x.data:
                has_entries = True
                for text, where in items(x.data, "Cidrs", x.loc, c):
                    net = cidr_any(text, where, c)
                    if net is not None:
                        nets.append(net)
        if not has_entries:
            c.warning(
                f"entries of prefix list {pl_id} are not in the snapshot: routes and rules "
                "that use it are unknown on a path (aws ec2 get-managed-prefix-list-entries "
                f"--prefix-list-id {pl_id}, saved as ManagedPrefixListEntries, docs/formats.md)",
                first.loc,
                analysis=True,
            )
        unique = sorted(set(nets), key=net_key)
        common = ctx.common(first) | {"tags": tag_dict}
        pl = build(
            PrefixList,
            first.loc,
            c,
            **common,
            prefix_list_name=name,
            entries=tuple(unique),
            entries_known=has_entries,
        )
        if pl:
            out.append(pl)
    return out
