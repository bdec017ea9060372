"""VPCs, subnets, route tables and network ACLs from `describe-vpcs`, `describe-subnets`,
`describe-route-tables`, `describe-network-acls`.

Input: raw records in a `ReadContext`. Output: `Vpc`, `Subnet` (route table and NACL left to
`passes.resolve_subnet_associations`), `RouteTable` (with the subnets it is associated with),
`NetworkAcl` (likewise).
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network

from netcheck.inputs.aws import keys
from netcheck.inputs.aws.context import ReadContext
from netcheck.inputs.diagnostics import Loc
from netcheck.inputs.draft import UNRESOLVED
from netcheck.inputs.values import (
    Json,
    build,
    check_fields,
    cidr4,
    cidr6,
    icmp_value,
    nested_str,
    objects,
    opt_bool,
    opt_dict,
    opt_int,
    opt_str,
    port_range,
    protocol,
    req_str,
)
from netcheck.model import (
    ICMP,
    ICMPV6,
    TCP,
    UDP,
    BlockPublicAccessMode,
    Direction,
    NaclEntry,
    NetworkAcl,
    Route,
    RouteState,
    RouteTable,
    RouteTargetKind,
    RuleAction,
    Subnet,
    Vpc,
)

_ASSOCIATED = ("associated", None)


def _ipv6_blocks(data: Json, loc: Loc, ctx: ReadContext) -> tuple[IPv6Network, ...]:
    out = []
    for assoc, where in objects(data, "Ipv6CidrBlockAssociationSet", loc, ctx.c):
        state = nested_str(assoc, "Ipv6CidrBlockState", "State", where, ctx.c)
        if state not in _ASSOCIATED:
            continue
        net = cidr6(assoc.get("Ipv6CidrBlock"), where.key("Ipv6CidrBlock"), ctx.c)
        if net is not None and net not in out:
            out.append(net)
    return tuple(out)


_BPA_MODES = {m.value: m for m in BlockPublicAccessMode}


def block_public_access_mode(
    value: object, loc: Loc, ctx: ReadContext
) -> BlockPublicAccessMode | None:
    """An `InternetGatewayBlockMode` value; an unrecognised one is an error (which mode
    applies decides whether the internet gateway passes anything)."""
    if value is None:
        return None
    mode = _BPA_MODES.get(value) if isinstance(value, str) else None
    if mode is None:
        ctx.c.error(
            f"unknown VPC Block Public Access mode {value!r} (expected one of "
            f"{', '.join(sorted(_BPA_MODES))})",
            loc,
        )
    return mode


def block_public_access_state(d: Json, loc: Loc, ctx: ReadContext) -> BlockPublicAccessMode | None:
    """The VPC BPA mode a VPC or subnet reports (`BlockPublicAccessStates`), if any."""
    states = opt_dict(d, "BlockPublicAccessStates", loc, ctx.c) or {}
    where = loc.key("BlockPublicAccessStates").key("InternetGatewayBlockMode")
    return block_public_access_mode(states.get("InternetGatewayBlockMode"), where, ctx)


def read_vpcs(ctx: ReadContext) -> list[Vpc]:
    out = []
    for r in ctx.records("Vpcs"):
        d, loc = r.data, r.loc
        check_fields(d, keys.VPC, loc, ctx.c)
        blocks: list[IPv4Network] = []
        if "CidrBlock" in d:
            primary = cidr4(d["CidrBlock"], loc.key("CidrBlock"), ctx.c)
            if primary is not None:
                blocks.append(primary)
        for assoc, where in objects(d, "CidrBlockAssociationSet", loc, ctx.c):
            state = nested_str(assoc, "CidrBlockState", "State", where, ctx.c)
            if state not in _ASSOCIATED:
                continue
            net = cidr4(assoc.get("CidrBlock"), where.key("CidrBlock"), ctx.c)
            if net is not None and net not in blocks:
                blocks.append(net)
        if not blocks:
            ctx.c.error("VPC has no IPv4 CIDR block (CidrBlock)", loc)
            continue
        vpc = build(
            Vpc,
            loc,
            ctx.c,
            **ctx.common(r),
            cidr_blocks=tuple(blocks),
            ipv6_cidr_blocks=_ipv6_blocks(d, loc, ctx),
            is_default=opt_bool(d, "IsDefault", loc, ctx.c),
            block_public_access=block_public_access_state(d, loc, ctx),
        )
        if vpc:
            out.append(vpc)
    return out


# GatewayId prefixes -> kind; other target fields in the order AWS documents them.
_GATEWAY_PREFIXES = {
    "igw-": RouteTargetKind.INTERNET_GATEWAY,
    "vgw-": RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY,
    "vpce-": RouteTargetKind.GATEWAY_ENDPOINT,
    "eigw-": RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY,
}
_TARGET_FIELDS = (
    ("NatGatewayId", RouteTargetKind.NAT_GATEWAY, "NAT gateway"),
    ("TransitGatewayId", RouteTargetKind.TRANSIT_GATEWAY, "transit gateway"),
    ("VpcPeeringConnectionId", RouteTargetKind.VPC_PEERING_CONNECTION, "VPC peering connection"),
    (
        "EgressOnlyInternetGatewayId",
        RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY,
        "egress-only IGW",
    ),
    ("CarrierGatewayId", RouteTargetKind.CARRIER_GATEWAY, ""),
    ("LocalGatewayId", RouteTargetKind.LOCAL_GATEWAY, ""),
    ("CoreNetworkArn", RouteTargetKind.CORE_NETWORK, ""),
    ("NetworkInterfaceId", RouteTargetKind.NETWORK_INTERFACE, "network interface"),
    ("InstanceId", RouteTargetKind.INSTANCE, "instance"),
)
_GATEWAY_WHAT = {
    RouteTargetKind.INTERNET_GATEWAY: "internet gateway",
    RouteTargetKind.VIRTUAL_PRIVATE_GATEWAY: "virtual private gateway",
    RouteTargetKind.GATEWAY_ENDPOINT: "VPC endpoint",
    RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY: "egress-only IGW",
}
_BLACKHOLE_HINT = "AWS shows such a route as blackhole"
# AWS reports a route `active` only while its target exists: the snapshot lacks the target,
# so paths along the route are unknown (docs/semantics/forwarding.md "unknown because missing").
_ACTIVE_HINT = "the route is active, so AWS has the target: paths along it are unknown"


def _route(d: Json, loc: Loc, ctx: ReadContext) -> Route | None:
    c = ctx.c
    check_fields(d, keys.ROUTE, loc, c)
    destination: IPv4Network | IPv6Network | None = None
    dest_pl = None
    if "DestinationCidrBlock" in d:
        destination = cidr4(d["DestinationCidrBlock"], loc.key("DestinationCidrBlock"), c)
    elif "DestinationIpv6CidrBlock" in d:
        destination = cidr6(d["DestinationIpv6CidrBlock"], loc.key("DestinationIpv6CidrBlock"), c)
    elif "DestinationPrefixListId" in d:
        dest_pl = opt_str(d, "DestinationPrefixListId", loc, c)
        ctx.expect(dest_pl, loc.key("DestinationPrefixListId"), "prefix list")
    else:
        c.error("route has no destination (DestinationCidrBlock, …Ipv6…, …PrefixListId)", loc)
        return None
    if destination is None and dest_pl is None:
        return None
    state_text = opt_str(d, "State", loc, c) or "active"
    try:
        state = RouteState(state_text)
    except ValueError:
        c.error(
            f"invalid route State {state_text!r}: expected active or blackhole", loc.key("State")
        )
        return None
    hint = _ACTIVE_HINT if state is RouteState.ACTIVE else _BLACKHOLE_HINT
    kind, target = RouteTargetKind.UNKNOWN, None
    gateway = opt_str(d, "GatewayId", loc, c)
    if gateway == "local":
        kind = RouteTargetKind.LOCAL
    elif gateway:
        target = gateway
        for prefix, k in _GATEWAY_PREFIXES.items():
            if gateway.startswith(prefix):
                kind = k
                ctx.expect(gateway, loc.key("GatewayId"), _GATEWAY_WHAT[k], consequence=hint)
                break
        else:
            c.warning(f"unrecognised GatewayId {gateway!r}: route target kept as unknown", loc)
    else:
        for field, k, what in _TARGET_FIELDS:
            value = opt_str(d, field, loc, c)
            if value:
                kind, target = k, value
                if what:
                    ctx.expect(value, loc.key(field), what, consequence=hint)
                break
        else:
            c.warning("route has no target: kept as unknown", loc)
    return build(
        Route,
        loc,
        c,
        destination=destination,
        destination_prefix_list_id=dest_pl,
        target_kind=kind,
        target_id=target,
        state=state,
        origin=opt_str(d, "Origin", loc, c) or "CreateRoute",
        provenance=loc.provenance(),
    )


def read_route_tables(ctx: ReadContext) -> list[RouteTable]:
    out = []
    for r in ctx.records("RouteTables"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.ROUTE_TABLE, loc, c)
        vpc_id = req_str(d, "VpcId", loc, c)
        if vpc_id is None:
            continue
        ctx.expect(vpc_id, loc.key("VpcId"), "VPC")
        routes = []
        for rd, where in objects(d, "Routes", loc, c):
            route = _route(rd, where, ctx)
            if route is not None:
                routes.append(route)
        main = False
        subnet_ids: list[str] = []
        gateway_ids: list[str] = []
        for assoc, where in objects(d, "Associations", loc, c):
            check_fields(assoc, keys.ROUTE_TABLE_ASSOCIATION, where, c)
            state = nested_str(assoc, "AssociationState", "State", where, c) or "associated"
            if state not in ("associated", "associating"):
                continue
            main = main or opt_bool(assoc, "Main", where, c)
            if sid := opt_str(assoc, "SubnetId", where, c):
                ctx.expect(sid, where.key("SubnetId"), "associated subnet")
                subnet_ids.append(sid)
            if gid := opt_str(assoc, "GatewayId", where, c):
                gateway_ids.append(gid)
        table = build(
            RouteTable,
            loc,
            c,
            **ctx.common(r),
            vpc_id=vpc_id,
            routes=tuple(routes),
            main=main,
            subnet_ids=tuple(sorted(set(subnet_ids))),
            gateway_ids=tuple(sorted(set(gateway_ids))),
        )
        if table:
            out.append(table)
    return out


def _nacl_entry(d: Json, loc: Loc, ctx: ReadContext) -> NaclEntry | None:
    c = ctx.c
    check_fields(d, keys.NACL_ENTRY, loc, c)
    number = opt_int(d, "RuleNumber", loc, c)
    proto = protocol(d.get("Protocol"), loc.key("Protocol"), c)
    action_text = opt_str(d, "RuleAction", loc, c)
    if number is None:
        c.error("missing required field RuleNumber", loc)
    # Its range, the `*` rules and duplicates are checked for every format by
    # `passes.check_nacl_entries`.
    action = None
    if action_text in ("allow", "deny"):
        action = RuleAction(action_text)
    else:
        c.error(
            f"invalid RuleAction {action_text!r}: expected allow or deny", loc.key("RuleAction")
        )
    if "CidrBlock" in d:
        cidr = cidr4(d["CidrBlock"], loc.key("CidrBlock"), c)
    elif "Ipv6CidrBlock" in d:
        cidr = cidr6(d["Ipv6CidrBlock"], loc.key("Ipv6CidrBlock"), c)  # type: ignore[assignment]
    else:
        c.error("NACL entry has no CidrBlock or Ipv6CidrBlock", loc)
        cidr = None
    if number is None or proto is None or action is None or cidr is None:
        return None
    ports = icmp_type = icmp_code = None
    if proto in (TCP, UDP):
        pr = opt_dict(d, "PortRange", loc, c) or {}
        where = loc.key("PortRange")
        ports = port_range(opt_int(pr, "From", where, c), opt_int(pr, "To", where, c), where, c)
        if ports is None:
            return None
    elif proto in (ICMP, ICMPV6):
        tc = opt_dict(d, "IcmpTypeCode", loc, c) or {}
        where = loc.key("IcmpTypeCode")
        icmp_type = icmp_value(opt_int(tc, "Type", where, c), where, c, "type")
        icmp_code = icmp_value(opt_int(tc, "Code", where, c), where, c, "code")
        if icmp_type is None or icmp_code is None:
            return None
    return build(
        NaclEntry,
        loc,
        c,
        rule_number=number,
        direction=Direction.EGRESS if opt_bool(d, "Egress", loc, c) else Direction.INGRESS,
        protocol=proto,
        action=action,
        cidr=cidr,
        port_range=ports,
        icmp_type=icmp_type,
        icmp_code=icmp_code,
        provenance=loc.provenance(),
    )


def read_network_acls(ctx: ReadContext) -> list[NetworkAcl]:
    out = []
    for r in ctx.records("NetworkAcls"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.NETWORK_ACL, loc, c)
        vpc_id = req_str(d, "VpcId", loc, c)
        if vpc_id is None:
            continue
        ctx.expect(vpc_id, loc.key("VpcId"), "VPC")
        entries = []
        for ed, where in objects(d, "Entries", loc, c):
            entry = _nacl_entry(ed, where, ctx)
            if entry is not None:
                entries.append(entry)
        subnet_ids = []
        for assoc, where in objects(d, "Associations", loc, c):
            check_fields(assoc, keys.NACL_ASSOCIATION, where, c)
            if sid := opt_str(assoc, "SubnetId", where, c):
                ctx.expect(sid, where.key("SubnetId"), "associated subnet")
                subnet_ids.append(sid)
        entries.sort(key=lambda e: (e.direction.value, e.rule_number))
        acl = build(
            NetworkAcl,
            loc,
            c,
            **ctx.common(r),
            vpc_id=vpc_id,
            is_default=opt_bool(d, "IsDefault", loc, c),
            entries=tuple(entries),
            subnet_ids=tuple(sorted(set(subnet_ids))),
        )
        if acl:
            out.append(acl)
    return out


def read_subnets(ctx: ReadContext, vpcs: list[Vpc]) -> list[Subnet]:
    """Subnets; their route table and network ACL stay `UNRESOLVED` here: AWS names the
    association on the table's side, `passes.resolve_subnet_associations` applies it."""
    vpc_ids = {v.id for v in vpcs}
    out = []
    for r in ctx.records("Subnets"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.SUBNET, loc, c)
        vpc_id = req_str(d, "VpcId", loc, c)
        az = req_str(d, "AvailabilityZone", loc, c)
        cidr = cidr4(d.get("CidrBlock"), loc.key("CidrBlock"), c)
        if vpc_id is None or az is None or cidr is None:
            continue
        if vpc_id not in vpc_ids:
            why = ctx.left_out.get(vpc_id, "not in the snapshot")
            c.error(f"the subnet's VPC {vpc_id} is {why}", loc.key("VpcId"))
            continue
        subnet = build(
            Subnet,
            loc,
            c,
            **ctx.common(r),
            vpc_id=vpc_id,
            availability_zone=az,
            cidr_block=cidr,
            ipv6_cidr_blocks=_ipv6_blocks(d, loc, ctx),
            route_table_id=UNRESOLVED,
            network_acl_id=UNRESOLVED,
            block_public_access=block_public_access_state(d, loc, ctx),
        )
        if subnet:
            out.append(subnet)
    return out
