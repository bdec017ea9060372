"""Network interfaces, EC2 instances and RDS DB instances (`describe-network-interfaces`,
`describe-instances`, `rds describe-db-instances`, `describe-addresses`).

Input: raw records in a `ReadContext` plus NAT gateways and VPC endpoints already read.
Output: `NetworkInterface`s (owner kind and id derived from InterfaceType, Attachment,
RequesterId and the Description AWS writes), running `Instance`s, `DbInstance`s.

An instance interface that appears only inside `describe-instances` is built from there; every
NAT gateway address gets an interface (synthesized, with a note, when the snapshot lacks it);
interfaces of resources left out (a stopped instance, a deleted NAT) are left out too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from netcheck.errors import Severity
from netcheck.inputs.aws import keys
from netcheck.inputs.aws.context import Raw, ReadContext
from netcheck.inputs.diagnostics import Loc
from netcheck.inputs.values import (
    Json,
    build,
    check_fields,
    cidr4,
    cidr6,
    ip4,
    ip6,
    nested_strings,
    objects,
    opt_bool,
    opt_dict,
    opt_int,
    opt_str,
    req_str,
)
from netcheck.model import (
    DbInstance,
    IdleAddress,
    Instance,
    InterfaceOwnerKind,
    NatGateway,
    NetworkInterface,
    PrivateAddress,
    VpcEndpoint,
    VpcEndpointType,
)

Kind = InterfaceOwnerKind

# InterfaceType values (both the documented camelCase and the snake_case the API returns).
_TYPE_KINDS = {
    "nat_gateway": Kind.NAT_GATEWAY,
    "natGateway": Kind.NAT_GATEWAY,
    "transit_gateway": Kind.TRANSIT_GATEWAY_ATTACHMENT,
    "vpc_endpoint": Kind.VPC_ENDPOINT,
    "gateway_load_balancer_endpoint": Kind.GATEWAY_LOAD_BALANCER_ENDPOINT,
    "load_balancer": Kind.LOAD_BALANCER,
    "network_load_balancer": Kind.LOAD_BALANCER,
    "gateway_load_balancer": Kind.LOAD_BALANCER,
    "lambda": Kind.LAMBDA,
    "efs": Kind.EFS,
}
# Descriptions AWS writes on managed interfaces: pattern -> kind (group 1 = owner id).
_DESCRIPTIONS = (
    (re.compile(r"^Interface for NAT Gateway (nat-[0-9a-f]+)"), Kind.NAT_GATEWAY),
    (
        re.compile(r"^Network Interface for Transit Gateway Attachment (tgw-attach-[0-9a-f]+)"),
        Kind.TRANSIT_GATEWAY_ATTACHMENT,
    ),
    (re.compile(r"^VPC Endpoint Interface (vpce-[0-9a-f]+)"), Kind.VPC_ENDPOINT),
    (re.compile(r"^RDSNetworkInterface()"), Kind.RDS),
    (re.compile(r"^ELB (\S+)"), Kind.LOAD_BALANCER),
    (re.compile(r"^AWS Lambda VPC ENI-?(\S*)"), Kind.LAMBDA),
    (re.compile(r"^EFS mount target for (fs-[0-9a-f]+)"), Kind.EFS),
)
_REQUESTERS = {"amazon-rds": Kind.RDS, "amazon-elb": Kind.LOAD_BALANCER}


def owner_of(d: Json, instance_id: str | None) -> tuple[Kind, str | None]:
    """What an interface belongs to, from its InterfaceType, attachment, requester and
    description (`Interface for NAT Gateway nat-…` -> (nat-gateway, nat-…))."""
    description = d.get("Description") if isinstance(d.get("Description"), str) else ""
    for pattern, kind in _DESCRIPTIONS:
        m = pattern.match(description or "")
        if m:
            return kind, m.group(1) or None
    itype = d.get("InterfaceType")
    if isinstance(itype, str) and itype in _TYPE_KINDS:
        return _TYPE_KINDS[itype], None
    if instance_id:
        return Kind.INSTANCE, instance_id
    requester = d.get("RequesterId")
    if isinstance(requester, str) and requester in _REQUESTERS:
        return _REQUESTERS[requester], None
    if d.get("Status") == "available" and not d.get("Attachment"):
        return Kind.UNATTACHED, None
    return Kind.OTHER, None


def _addresses(d: Json, loc: Loc, ctx: ReadContext) -> list[PrivateAddress]:
    c = ctx.c
    out: list[PrivateAddress] = []
    listed = list(objects(d, "PrivateIpAddresses", loc, c))
    if not listed and "PrivateIpAddress" in d:
        listed = [({**d, "Primary": True}, loc)]
    for pa, where in listed:
        addr = ip4(pa.get("PrivateIpAddress"), where.key("PrivateIpAddress"), c)
        if addr is None:
            continue
        assoc = opt_dict(pa, "Association", where, c) or {}
        aloc = where.key("Association")
        public = ip4(assoc["PublicIp"], aloc.key("PublicIp"), c) if assoc.get("PublicIp") else None
        out.append(
            PrivateAddress(
                address=addr,
                primary=opt_bool(pa, "Primary", where, c),
                public_ip=public,
                allocation_id=opt_str(assoc, "AllocationId", aloc, c),
            )
        )
    return out


def _ipv6(d: Json, loc: Loc, ctx: ReadContext) -> tuple[IPv6Address, ...]:
    out = []
    for item, where in objects(d, "Ipv6Addresses", loc, ctx.c):
        addr = ip6(item.get("Ipv6Address"), where.key("Ipv6Address"), ctx.c)
        if addr is not None:
            out.append(addr)
    return tuple(out)


def _prefixes(d: Json, loc: Loc, ctx: ReadContext) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The IPv4 and IPv6 prefixes delegated to an interface (`Ipv4Prefixes[].Ipv4Prefix`,
    `Ipv6Prefixes[].Ipv6Prefix`): every address in them belongs to the interface."""
    v4 = []
    for item, where in objects(d, "Ipv4Prefixes", loc, ctx.c):
        net = cidr4(item.get("Ipv4Prefix"), where.key("Ipv4Prefix"), ctx.c)
        if net is not None and net not in v4:
            v4.append(net)
    v6 = []
    for item, where in objects(d, "Ipv6Prefixes", loc, ctx.c):
        net6 = cidr6(item.get("Ipv6Prefix"), where.key("Ipv6Prefix"), ctx.c)
        if net6 is not None and net6 not in v6:
            v6.append(net6)
    return tuple(v4), tuple(v6)


def _idle(
    ctx: ReadContext,
    addresses: list[PrivateAddress],
    interface_id: str | None,
    owner_id: str,
) -> None:
    """Record the public IPs of an interface whose instance is not running."""
    for pa in addresses:
        if pa.public_ip is not None:
            ctx.idle.append(
                IdleAddress(
                    public_ip=pa.public_ip,
                    private_ip=pa.address,
                    interface_id=interface_id,
                    owner_id=owner_id,
                    state=ctx.not_running.get(owner_id, "stopped"),
                )
            )


def idle_addresses(ctx: ReadContext) -> tuple[IdleAddress, ...]:
    """The public IPs of interfaces of instances that are not running, one per address
    (sorted), for `Network.idle_addresses`."""
    seen: dict[Any, IdleAddress] = {}
    for a in ctx.idle:
        seen.setdefault(a.public_ip, a)
    return tuple(seen[k] for k in sorted(seen))


def _interface(r: Raw, ctx: ReadContext, **defaults: Any) -> NetworkInterface | None:
    d, loc, c = r.data, r.loc, ctx.c
    attachment = opt_dict(d, "Attachment", loc, c) or {}
    instance_id = opt_str(attachment, "InstanceId", loc.key("Attachment"), c)
    instance_id = instance_id or defaults.pop("instance_id", None)
    subnet_id = req_str(d, "SubnetId", loc, c)
    vpc_id = req_str(d, "VpcId", loc, c)
    addresses = _addresses(d, loc, ctx)
    if subnet_id is None or vpc_id is None:
        return None
    if not addresses:
        c.warning(
            "interface has no private IPv4 address: left out (IPv6-only is not modelled)",
            loc,
            analysis=True,
        )
        return None
    kind, owner_id = owner_of(d, instance_id)
    if kind is Kind.INSTANCE or (instance_id and owner_id is None):
        owner_id = instance_id
    if owner_id and owner_id in ctx.left_out:
        if owner_id in ctx.not_running:
            _idle(ctx, addresses, r.id, owner_id)
        c.note(
            f"interface {r.id} left out: its owner {owner_id} was left out "
            f"({ctx.left_out[owner_id]})",
            loc,
            analysis=True,
        )
        ctx.left_out[r.id] = f"owner {owner_id} left out"
        return None
    ctx.expect(subnet_id, loc.key("SubnetId"), "subnet", Severity.ERROR)
    ipv4_prefixes, ipv6_prefixes = _prefixes(d, loc, ctx)
    groups = nested_strings(d, "Groups", "GroupId", loc, c)
    for i, gid in enumerate(groups):
        ctx.expect(gid, loc.key("Groups").index(i).key("GroupId"), "security group")
    return build(
        NetworkInterface,
        loc,
        c,
        **ctx.common(r, "TagSet"),
        subnet_id=subnet_id,
        vpc_id=vpc_id,
        availability_zone=opt_str(d, "AvailabilityZone", loc, c) or defaults.get("az"),
        private_addresses=tuple(addresses),
        ipv6_addresses=_ipv6(d, loc, ctx),
        ipv4_prefixes=ipv4_prefixes,
        ipv6_prefixes=ipv6_prefixes,
        group_ids=tuple(groups),
        source_dest_check=opt_bool(d, "SourceDestCheck", loc, c, default=True),
        interface_type=opt_str(d, "InterfaceType", loc, c) or "interface",
        owner_kind=kind,
        owner_id=owner_id,
        description=opt_str(d, "Description", loc, c) or "",
        status=opt_str(d, "Status", loc, c) or "in-use",
    )


def read_instances(ctx: ReadContext) -> tuple[list[Instance], list[Raw]]:
    """Running instances, and the interface records found inside them."""
    out, enis = [], []
    for r in ctx.records("Instances"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.INSTANCE, loc, c)
        state = (opt_dict(d, "State", loc, c) or {}).get("Name", "running")
        if state != "running":
            ctx.leave_out(r, "instance", state)
            # Its Elastic IPs stay associated: the internet delivers to nobody behind them.
            ctx.not_running[r.id] = str(state)
            for nd, where in objects(d, "NetworkInterfaces", loc, c):
                eid = opt_str(nd, "NetworkInterfaceId", where, c)
                _idle(ctx, _addresses(nd, where, ctx), eid, r.id)
            continue
        placement = opt_dict(d, "Placement", loc, c) or {}
        eni_ids = []
        for nd, where in objects(d, "NetworkInterfaces", loc, c):
            eid = req_str(nd, "NetworkInterfaceId", where, c)
            if eid:
                eni_ids.append(eid)
                data = {**nd, "_instance": r.id, "_az": placement.get("AvailabilityZone")}
                enis.append(Raw(data, where.rid(eid), r.account, r.region))
        instance = build(
            Instance,
            loc,
            c,
            **ctx.common(r),
            state=state,
            subnet_id=opt_str(d, "SubnetId", loc, c),
            vpc_id=opt_str(d, "VpcId", loc, c),
            interface_ids=tuple(sorted(set(eni_ids))),
            source_dest_check=opt_bool(d, "SourceDestCheck", loc, c, default=True),
        )
        if instance:
            out.append(instance)
    return out, enis


def read_interfaces(ctx: ReadContext, instance_enis: list[Raw]) -> list[NetworkInterface]:
    out: dict[str, NetworkInterface] = {}
    for r in ctx.records("NetworkInterfaces"):
        check_fields(r.data, keys.NETWORK_INTERFACE, r.loc, ctx.c)
        eni = _interface(r, ctx)
        if eni is not None:
            out[eni.id] = eni
    for r in instance_enis:
        if r.id in out or r.id in ctx.left_out:
            continue
        data = dict(r.data)
        instance_id, az = data.pop("_instance"), data.pop("_az")
        check_fields(data, keys.NETWORK_INTERFACE, r.loc, ctx.c)
        eni = _interface(Raw(data, r.loc, r.account, r.region), ctx, instance_id=instance_id, az=az)
        if eni is not None:
            ctx.c.note(
                f"interface {eni.id} of {instance_id} built from describe-instances "
                "(not in describe-network-interfaces)",
                r.loc,
            )
            out[eni.id] = eni
    return list(out.values())


def attach_nat_interfaces(
    ctx: ReadContext, nats: list[NatGateway], enis: list[NetworkInterface]
) -> list[NetworkInterface]:
    """Make sure every NAT gateway address has an interface owned by its NAT gateway."""
    by_id = {e.id: e for e in enis}
    for nat in nats:
        assert nat.provenance is not None
        loc = Loc(nat.provenance.file, nat.provenance.path, nat.id)
        grouped: dict[str, list[PrivateAddress]] = defaultdict(list)
        for i, a in enumerate(nat.addresses):
            if a.private_ip is None:
                continue
            eni_id = a.interface_id or f"eni-for-{nat.id}-{i}"
            grouped[eni_id].append(
                PrivateAddress(
                    address=a.private_ip,
                    primary=a.primary,
                    public_ip=a.public_ip,
                    allocation_id=a.allocation_id,
                )
            )
        for eni_id, addresses in grouped.items():
            eni = by_id.get(eni_id)
            if eni is None:
                ctx.c.note(
                    f"interface {eni_id} of NAT gateway {nat.id} synthesized from "
                    "NatGatewayAddresses (not in describe-network-interfaces)",
                    loc.key("NatGatewayAddresses"),
                    analysis=True,
                )
                eni = NetworkInterface(
                    id=eni_id,
                    region=nat.region,
                    account=nat.account,
                    provenance=loc.key("NatGatewayAddresses").provenance(),
                    subnet_id=nat.subnet_id,
                    vpc_id=nat.vpc_id,
                    private_addresses=tuple(addresses),
                    source_dest_check=False,
                    interface_type="nat_gateway",
                    owner_kind=Kind.NAT_GATEWAY,
                    owner_id=nat.id,
                    description=f"Interface for NAT Gateway {nat.id}",
                )
            else:
                known = {pa.address: pa for pa in eni.private_addresses}
                merged = list(eni.private_addresses)
                for pa in addresses:
                    if pa.address not in known:
                        merged.append(pa)
                    elif known[pa.address].public_ip is None and pa.public_ip is not None:
                        merged[merged.index(known[pa.address])] = pa
                eni = eni.model_copy(
                    update={
                        "owner_kind": Kind.NAT_GATEWAY,
                        "owner_id": nat.id,
                        "private_addresses": tuple(merged),
                    }
                )
            by_id[eni_id] = eni
    return list(by_id.values())


def attach_endpoint_interfaces(
    ctx: ReadContext, endpoints: list[VpcEndpoint], enis: list[NetworkInterface]
) -> list[NetworkInterface]:
    """Mark the interfaces of interface / GWLB endpoints as owned by their endpoint."""
    by_id = {e.id: e for e in enis}
    for ep in endpoints:
        kind = (
            Kind.GATEWAY_LOAD_BALANCER_ENDPOINT
            if ep.endpoint_type is VpcEndpointType.GATEWAY_LOAD_BALANCER
            else Kind.VPC_ENDPOINT
        )
        for eni_id in ep.interface_ids:
            if eni_id in by_id:
                by_id[eni_id] = by_id[eni_id].model_copy(
                    update={"owner_kind": kind, "owner_id": ep.id}
                )
    return list(by_id.values())


def apply_addresses(ctx: ReadContext, enis: list[NetworkInterface]) -> list[NetworkInterface]:
    """Fill in Elastic IPs from `describe-addresses` where an interface lacks its public IP."""
    by_id = {e.id: e for e in enis}
    for r in ctx.records("Addresses"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.ADDRESS, loc, c)
        eni_id = opt_str(d, "NetworkInterfaceId", loc, c)
        if not eni_id:
            continue
        # An Elastic IP stays associated with a stopped instance's interface: a note then.
        ctx.expect(
            eni_id,
            loc.key("NetworkInterfaceId"),
            "network interface",
            left_out_severity=Severity.NOTE,
        )
        eni = by_id.get(eni_id)
        public = ip4(d.get("PublicIp"), loc.key("PublicIp"), c)
        private = (
            ip4(d.get("PrivateIpAddress"), loc.key("PrivateIpAddress"), c)
            if d.get("PrivateIpAddress")
            else None
        )
        instance_id = opt_str(d, "InstanceId", loc, c)
        if eni is None and public is not None and instance_id in ctx.not_running:
            assert instance_id is not None
            ctx.idle.append(
                IdleAddress(
                    public_ip=public,
                    private_ip=private,
                    interface_id=eni_id,
                    owner_id=instance_id,
                    state=ctx.not_running[instance_id],
                )
            )
        if eni is None or public is None:
            continue
        target: IPv4Address | IPv6Address = private or eni.primary_address
        updated = []
        for pa in eni.private_addresses:
            if pa.address == target and pa.public_ip is None:
                pa = pa.model_copy(
                    update={
                        "public_ip": public,
                        "allocation_id": opt_str(d, "AllocationId", loc, c),
                    }
                )
            updated.append(pa)
        by_id[eni_id] = eni.model_copy(update={"private_addresses": tuple(updated)})
    return list(by_id.values())


_DB_INACTIVE = {"creating", "deleting", "deleted", "failed", "stopped", "stopping", "starting"}


def read_db_instances(
    ctx: ReadContext, enis: list[NetworkInterface]
) -> tuple[list[DbInstance], list[NetworkInterface]]:
    """RDS DB instances, linked to their interfaces: RDS interfaces of the DB's VPC in one of
    its subnets carrying exactly its security groups."""
    rds = [e for e in enis if e.owner_kind is Kind.RDS]
    owners: dict[str, list[str]] = defaultdict(list)
    out = []
    for r in ctx.records("DBInstances"):
        d, loc, c = r.data, r.loc, ctx.c
        check_fields(d, keys.DB_INSTANCE, loc, c)
        status = opt_str(d, "DBInstanceStatus", loc, c) or "available"
        if status in _DB_INACTIVE:
            ctx.leave_out(r, "DB instance", status)
            continue
        endpoint = opt_dict(d, "Endpoint", loc, c) or {}
        eloc = loc.key("Endpoint")
        group = opt_dict(d, "DBSubnetGroup", loc, c) or {}
        gloc = loc.key("DBSubnetGroup")
        vpc_id = opt_str(group, "VpcId", gloc, c)
        subnet_ids = []
        for s, where in objects(group, "Subnets", gloc, c):
            if sid := opt_str(s, "SubnetIdentifier", where, c):
                subnet_ids.append(sid)
                ctx.expect(sid, where.key("SubnetIdentifier"), "DB subnet")
        group_ids = nested_strings(d, "VpcSecurityGroups", "VpcSecurityGroupId", loc, c)
        for i, gid in enumerate(group_ids):
            where = loc.key("VpcSecurityGroups").index(i).key("VpcSecurityGroupId")
            ctx.expect(gid, where, "security group")
        linked = sorted(
            e.id
            for e in rds
            if e.vpc_id == vpc_id
            and e.subnet_id in subnet_ids
            and set(e.group_ids) == set(group_ids)
        )
        for eid in linked:
            owners[eid].append(r.id)
        db = build(
            DbInstance,
            loc,
            c,
            **ctx.common(r, "TagList"),
            engine=opt_str(d, "Engine", loc, c) or "",
            endpoint_address=opt_str(endpoint, "Address", eloc, c),
            port=opt_int(endpoint, "Port", eloc, c),
            vpc_id=vpc_id,
            subnet_ids=tuple(sorted(set(subnet_ids))),
            group_ids=tuple(sorted(set(group_ids))),
            publicly_accessible=opt_bool(d, "PubliclyAccessible", loc, c),
            status=status,
            interface_ids=tuple(linked),
        )
        if db:
            out.append(db)
    updated = [
        e.model_copy(update={"owner_id": owners[e.id][0]}) if len(owners.get(e.id, ())) == 1 else e
        for e in enis
    ]
    return out, updated
