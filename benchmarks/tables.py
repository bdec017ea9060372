"""Per-VPC tables of the synthetic estate: security groups, route tables and network ACLs.

Input: an `Estate` whose VPCs, subnets, gateways, peerings and TGW attachments are built.
Output: `SecurityGroups`, `RouteTables` and `NetworkAcls` items appended to `estate.out`
(their rule content comes from `benchmarks.rules`).

Example:
    >>> from benchmarks.estate import Estate, EstateParams
    >>> estate = Estate(EstateParams(interfaces=100))
    >>> _ = estate.build()
    >>> add_route_tables(estate, estate.vpcs[0])
    >>> [len(rt["Routes"]) for rt in estate.out["RouteTables"]]
    [3, 4, 4]
"""

from __future__ import annotations

from benchmarks.estate import ACCOUNT, TIERS, Estate, Json, Subnet, Vpc, tags
from benchmarks.rules import (
    allow_all_nacl_entries,
    default_security_group_permissions,
    nacl_entries,
    security_group_permissions,
)


def add_security_groups(estate: Estate, vpc: Vpc) -> None:
    """The VPC's default group and `sg_count()` application groups."""
    default = estate.new_id("sg")
    vpc.groups.append((default, "default"))
    for k in range(estate.p.sg_count()):
        vpc.groups.append((estate.new_id("sg"), f"{TIERS[k % len(TIERS)]}-{k}"))
    group_ids = [gid for gid, _ in vpc.groups]
    other_cidrs = _other_subnet_cidrs(estate, vpc)
    for gid, name in vpc.groups:
        if gid == default:
            ingress, egress = default_security_group_permissions(gid, ACCOUNT)
            ingress_list, egress_list = [ingress], [egress]
            description = "default VPC security group"
        else:
            ingress_list, egress_list = security_group_permissions(
                estate.rng, str(vpc.cidr), other_cidrs, group_ids, ACCOUNT
            )
            description = f"bench {name} tier"
        estate.out["SecurityGroups"].append(
            {
                "Description": description,
                "GroupId": gid,
                "GroupName": name,
                "IpPermissions": ingress_list,
                "IpPermissionsEgress": egress_list,
                "OwnerId": ACCOUNT,
                "Tags": [] if gid == default else tags(f"bench-{vpc.index}-{name}"),
                "VpcId": vpc.id,
            }
        )


def _other_subnet_cidrs(estate: Estate, vpc: Vpc) -> list[str]:
    return [str(s.cidr) for v in estate.vpcs if v is not vpc for s in v.subnets]


def add_route_tables(estate: Estate, vpc: Vpc) -> None:
    """Main table (local, 10/8 via the TGW), a public table (default via the IGW) and a
    private table (default via the NAT, or via the TGW in a private VPC). The last subnet
    has no explicit association and so uses the main table."""
    local = {
        "DestinationCidrBlock": str(vpc.cidr),
        "GatewayId": "local",
        "Origin": "CreateRouteTable",
        "State": "active",
    }

    def route(cidr: str, key: str, target: str) -> Json:
        return {
            "DestinationCidrBlock": cidr,
            key: target,
            "Origin": "CreateRoute",
            "State": "active",
        }

    peering = [route(str(c), "VpcPeeringConnectionId", p) for p, c in vpc.peerings]
    to_corp = route("10.0.0.0/8", "TransitGatewayId", estate.tgw)
    public = [s for s in vpc.subnets if s.public]
    private = [s for s in vpc.subnets[:-1] if not s.public]
    tables: list[tuple[str, list[Json], list[Subnet], bool]] = [
        ("main", [local, to_corp, *peering], [], True)
    ]
    if vpc.igw is not None:
        default = route("0.0.0.0/0", "GatewayId", vpc.igw)
        tables.append(("public", [local, default, to_corp, *peering], public, False))
    if vpc.nat is not None:
        default = route("0.0.0.0/0", "NatGatewayId", vpc.nat)
        tables.append(("private", [local, default, to_corp, *peering], private, False))
    else:
        default = route("0.0.0.0/0", "TransitGatewayId", estate.tgw)
        tables.append(("private", [local, default, *peering], private, False))
    for name, routes, subnets, main in tables:
        rtb = estate.new_id("rtb")
        associations: list[Json] = []
        if main:
            associations.append(
                {
                    "Main": True,
                    "RouteTableAssociationId": estate.new_id("rtbassoc"),
                    "RouteTableId": rtb,
                    "AssociationState": {"State": "associated"},
                }
            )
        for s in subnets:
            associations.append(
                {
                    "Main": False,
                    "RouteTableAssociationId": estate.new_id("rtbassoc"),
                    "RouteTableId": rtb,
                    "SubnetId": s.id,
                    "AssociationState": {"State": "associated"},
                }
            )
        estate.out["RouteTables"].append(
            {
                "Associations": associations,
                "OwnerId": ACCOUNT,
                "PropagatingVgws": [],
                "RouteTableId": rtb,
                "Routes": routes,
                "Tags": tags(f"bench-{vpc.index}-{name}"),
                "VpcId": vpc.id,
            }
        )


def add_network_acls(estate: Estate, vpc: Vpc) -> None:
    """The default NACL (allow all) keeps the last subnet; custom public/private NACLs
    take the others. Every subnet is associated with exactly one NACL, as in AWS."""
    other_cidrs = _other_subnet_cidrs(estate, vpc)
    last = vpc.subnets[-1]
    groups = [
        ("default", True, [last], allow_all_nacl_entries()),
        (
            "public",
            False,
            [s for s in vpc.subnets if s.public and s is not last],
            nacl_entries(estate.rng, True, str(vpc.cidr), other_cidrs),
        ),
        (
            "private",
            False,
            [s for s in vpc.subnets if not s.public and s is not last],
            nacl_entries(estate.rng, False, str(vpc.cidr), other_cidrs),
        ),
    ]
    for name, is_default, subnets, entries in groups:
        if not is_default and not subnets:
            continue
        acl = estate.new_id("acl")
        estate.out["NetworkAcls"].append(
            {
                "Associations": [
                    {
                        "NetworkAclAssociationId": estate.new_id("aclassoc"),
                        "NetworkAclId": acl,
                        "SubnetId": s.id,
                    }
                    for s in subnets
                ],
                "Entries": entries,
                "IsDefault": is_default,
                "NetworkAclId": acl,
                "OwnerId": ACCOUNT,
                "Tags": [] if is_default else tags(f"bench-{vpc.index}-{name}"),
                "VpcId": vpc.id,
            }
        )
