"""Build a synthetic AWS estate: the documents of `aws ec2 describe-*` calls, in memory.

Input: `EstateParams` (number of network interfaces, seed, optional VPC/subnet/SG counts).
Output: `Estate.out`, the item lists of the describe calls (`Vpcs`, `Subnets`, … and the TGW
wrappers `TransitGatewayPropagations.json` / `TransitGatewayStaticRoutes.json` in the shape of
the Batfish hybrid-cloud peer snapshot). Every id a file mentions is defined in another file
(`benchmarks.references` checks that). The same parameters always give byte-identical files.

The estate is shaped like a mid-size organisation: `max(2, N // 250)` VPCs at `10.<i>.0.0/16`,
`/22` subnets spread over three AZs; even-numbered VPCs are public (IGW, public subnets, one NAT
gateway); every VPC is attached to one transit gateway whose route table propagates all of them;
every third VPC is peered with the next one. NACLs carry deny-before-allow entries and ephemeral
return rules; security groups mix CIDR and group-reference rules on a fixed set of ports
(`QUERY_PORTS`), so random queries between instances give a mix of verdicts.

Security groups, route tables and NACLs are added by `benchmarks.tables`, instances by
`benchmarks.instances`; `benchmarks.generate` runs all three and writes the files.

Example:
    >>> estate = Estate(EstateParams(interfaces=100))
    >>> sorted(estate.build())[:2]
    ['InternetGateways', 'NatGateways']
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from benchmarks.rules import SERVICE_PORTS

ACCOUNT = "123456789012"
REGION = "us-east-1"
AZS = ("us-east-1a", "us-east-1b", "us-east-1c")
AZ_IDS = ("use1-az1", "use1-az2", "use1-az4")
CREATED = "2026-01-05 09:30:00+00:00"
# Destination ports the security groups and NACLs open; the runner draws query ports from these.
QUERY_PORTS = SERVICE_PORTS
SUBNET_PREFIX = 22  # 1,019 usable addresses per subnet (AWS reserves 5)
MAX_VPCS = 200  # VPC i uses 10.i.0.0/16; 10.254/16 is a TGW blackhole route
TIERS = (
    "web", "app", "api", "db", "cache", "queue", "batch", "bastion", "monitoring", "search",
    "auth", "payments", "reports", "etl", "admin", "ml", "origin", "mail", "vpn", "legacy",
)  # fmt: skip

FILES = (
    "Vpcs",
    "Subnets",
    "RouteTables",
    "NetworkAcls",
    "SecurityGroups",
    "NetworkInterfaces",
    "Reservations",
    "InternetGateways",
    "NatGateways",
    "VpcPeeringConnections",
    "TransitGateways",
    "TransitGatewayAttachments",
    "TransitGatewayVpcAttachments",
    "TransitGatewayRouteTables",
    "TransitGatewayPropagations",
    "TransitGatewayStaticRoutes",
)

Json = dict[str, Any]


@dataclass(frozen=True)
class EstateParams:
    """What to generate. Only `interfaces` is required; the rest scale with it."""

    interfaces: int
    seed: int = 1
    vpcs: int | None = None
    subnets_per_vpc: int = 4
    security_groups_per_vpc: int | None = None

    def vpc_count(self) -> int:
        return self.vpcs if self.vpcs is not None else max(2, self.interfaces // 250)

    def sg_count(self) -> int:
        if self.security_groups_per_vpc is not None:
            return self.security_groups_per_vpc
        return max(4, min(20, self.interfaces // self.vpc_count() // 12))


@dataclass
class Subnet:
    id: str
    cidr: IPv4Network
    az: int
    public: bool
    next_host: int = 4  # .0-.3 and the last address are reserved by AWS

    def allocate(self) -> str:
        if self.next_host >= self.cidr.num_addresses - 1:
            raise ValueError(f"subnet {self.cidr} is full; use more VPCs or subnets")
        address = self.cidr.network_address + self.next_host
        self.next_host += 1
        return str(address)


@dataclass
class Vpc:
    index: int
    id: str
    cidr: IPv4Network
    public: bool
    subnets: list[Subnet] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)  # (id, name); [0] is default
    igw: str | None = None
    nat: str | None = None
    attachment: str = ""
    attachment_subnets: list[Subnet] = field(default_factory=list)
    peerings: list[tuple[str, IPv4Network]] = field(default_factory=list)


def tags(name: str) -> list[Json]:
    return [{"Key": "Name", "Value": name}]


def dns(address: str) -> str:
    return "ip-" + address.replace(".", "-") + ".ec2.internal"


class Estate:
    """Builds the describe-* documents in a fixed order from one seeded RNG."""

    def __init__(self, params: EstateParams) -> None:
        self.p = params
        self.rng = random.Random(params.seed)
        self.out: dict[str, list[Json]] = {name: [] for name in FILES}
        self._ids: set[str] = set()
        self._public_ips = 0
        self.vpcs: list[Vpc] = []
        self.tgw = ""
        self.tgw_rtb = ""

    # -- small helpers ---------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}-{self.rng.getrandbits(68):017x}"
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    def public_ip(self) -> str:
        self._public_ips += 1
        return str(IPv4Address("3.128.0.9") + self._public_ips)

    def mac(self) -> str:
        raw = self.rng.getrandbits(40)
        return "0a:" + ":".join(f"{(raw >> s) & 0xFF:02x}" for s in range(32, -1, -8))

    # -- the estate, in dependency order ------------------------------------------------------

    def build(self) -> dict[str, list[Json]]:
        n_vpcs = self.p.vpc_count()
        if not 2 <= n_vpcs <= MAX_VPCS:
            raise ValueError(f"VPC count must be 2..{MAX_VPCS}, got {n_vpcs}")
        if self.p.subnets_per_vpc < 2 or self.p.subnets_per_vpc > 64:
            raise ValueError("subnets_per_vpc must be 2..64")
        self.tgw = self.new_id("tgw")
        self.tgw_rtb = self.new_id("tgw-rtb")
        for i in range(n_vpcs):
            self._vpc(i)
        self._peerings()
        for vpc in self.vpcs:
            self._gateways(vpc)
        self._transit_gateway()
        return self.out

    def _vpc(self, i: int) -> None:
        vpc = Vpc(i, self.new_id("vpc"), IPv4Network(f"10.{i}.0.0/16"), public=i % 2 == 0)
        self.vpcs.append(vpc)
        self.out["Vpcs"].append(
            {
                "CidrBlock": str(vpc.cidr),
                "CidrBlockAssociationSet": [
                    {
                        "AssociationId": self.new_id("vpc-cidr-assoc"),
                        "CidrBlock": str(vpc.cidr),
                        "CidrBlockState": {"State": "associated"},
                    }
                ],
                "DhcpOptionsId": "dopt-0a1b2c3d4e5f60718",
                "InstanceTenancy": "default",
                "IsDefault": False,
                "OwnerId": ACCOUNT,
                "State": "available",
                "Tags": tags(f"bench-vpc-{i}"),
                "VpcId": vpc.id,
            }
        )
        n_public = max(1, self.p.subnets_per_vpc // 2) if vpc.public else 0
        subnets = list(vpc.cidr.subnets(new_prefix=SUBNET_PREFIX))
        for j in range(self.p.subnets_per_vpc):
            subnet = Subnet(self.new_id("subnet"), subnets[j], j % len(AZS), j < n_public)
            vpc.subnets.append(subnet)
            self.out["Subnets"].append(
                {
                    "AssignIpv6AddressOnCreation": False,
                    "AvailabilityZone": AZS[subnet.az],
                    "AvailabilityZoneId": AZ_IDS[subnet.az],
                    "AvailableIpAddressCount": subnet.cidr.num_addresses - 5,
                    "CidrBlock": str(subnet.cidr),
                    "DefaultForAz": False,
                    "Ipv6CidrBlockAssociationSet": [],
                    "MapPublicIpOnLaunch": subnet.public,
                    "OwnerId": ACCOUNT,
                    "State": "available",
                    "SubnetArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{subnet.id}",
                    "SubnetId": subnet.id,
                    "Tags": tags(f"bench-{i}-{'public' if subnet.public else 'private'}-{j}"),
                    "VpcId": vpc.id,
                }
            )

    def _peerings(self) -> None:
        """Every third VPC is peered with the next one (active, same account and region)."""
        for i in range(0, len(self.vpcs) - 1, 3):
            a, b = self.vpcs[i], self.vpcs[i + 1]
            pcx = self.new_id("pcx")
            a.peerings.append((pcx, b.cidr))
            b.peerings.append((pcx, a.cidr))

            def info(v: Vpc) -> Json:
                return {
                    "CidrBlock": str(v.cidr),
                    "CidrBlockSet": [{"CidrBlock": str(v.cidr)}],
                    "OwnerId": ACCOUNT,
                    "PeeringOptions": {
                        "AllowDnsResolutionFromRemoteVpc": False,
                        "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
                        "AllowEgressFromLocalVpcToRemoteClassicLink": False,
                    },
                    "VpcId": v.id,
                    "Region": REGION,
                }

            self.out["VpcPeeringConnections"].append(
                {
                    "AccepterVpcInfo": info(b),
                    "RequesterVpcInfo": info(a),
                    "Status": {"Code": "active", "Message": "Active"},
                    "Tags": tags(f"bench-peer-{a.index}-{b.index}"),
                    "VpcPeeringConnectionId": pcx,
                }
            )

    def _gateways(self, vpc: Vpc) -> None:
        """An IGW and a NAT gateway (in the first public subnet) for each public VPC."""
        if not vpc.public:
            return
        vpc.igw = self.new_id("igw")
        self.out["InternetGateways"].append(
            {
                "Attachments": [{"State": "available", "VpcId": vpc.id}],
                "InternetGatewayId": vpc.igw,
                "OwnerId": ACCOUNT,
                "Tags": tags(f"bench-igw-{vpc.index}"),
            }
        )
        vpc.nat = self.new_id("nat")
        subnet = vpc.subnets[0]
        eni, alloc, private, public = (
            self.new_id("eni"),
            self.new_id("eipalloc"),
            subnet.allocate(),
            self.public_ip(),
        )
        self.out["NatGateways"].append(
            {
                "CreateTime": CREATED,
                "NatGatewayAddresses": [
                    {
                        "AllocationId": alloc,
                        "NetworkInterfaceId": eni,
                        "PrivateIp": private,
                        "PublicIp": public,
                    }
                ],
                "NatGatewayId": vpc.nat,
                "State": "available",
                "SubnetId": subnet.id,
                "Tags": tags(f"bench-nat-{vpc.index}"),
                "VpcId": vpc.id,
                "ConnectivityType": "public",
            }
        )
        association = {
            "AllocationId": alloc,
            "AssociationId": self.new_id("eipassoc"),
            "IpOwnerId": ACCOUNT,
            "PublicDnsName": f"ec2-{public.replace('.', '-')}.compute-1.amazonaws.com",
            "PublicIp": public,
        }
        self.out["NetworkInterfaces"].append(
            self.eni_json(
                eni,
                vpc,
                subnet,
                [(private, association)],
                groups=[],
                attachment={
                    "AttachmentId": self.new_id("ela-attach"),
                    "DeleteOnTermination": False,
                    "DeviceIndex": 1,
                    "InstanceOwnerId": "amazon-aws",
                    "Status": "attached",
                },
                description=f"Interface for NAT Gateway {vpc.nat}",
                interface_type="nat_gateway",
                requester_managed=True,
            )
        )

    def _transit_gateway(self) -> None:
        """One TGW, one route table associated with and propagating every VPC attachment."""
        self.out["TransitGateways"].append(
            {
                "CreationTime": CREATED,
                "Description": "bench hub",
                "Options": {
                    "AmazonSideAsn": 64512,
                    "AssociationDefaultRouteTableId": self.tgw_rtb,
                    "AutoAcceptSharedAttachments": "disable",
                    "DefaultRouteTableAssociation": "enable",
                    "DefaultRouteTablePropagation": "enable",
                    "DnsSupport": "enable",
                    "PropagationDefaultRouteTableId": self.tgw_rtb,
                    "VpnEcmpSupport": "enable",
                },
                "OwnerId": ACCOUNT,
                "State": "available",
                "Tags": tags("bench-tgw"),
                "TransitGatewayArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:transit-gateway/{self.tgw}",
                "TransitGatewayId": self.tgw,
            }
        )
        self.out["TransitGatewayRouteTables"].append(
            {
                "CreationTime": CREATED,
                "DefaultAssociationRouteTable": True,
                "DefaultPropagationRouteTable": True,
                "State": "available",
                "Tags": tags("bench-tgw-rtb"),
                "TransitGatewayId": self.tgw,
                "TransitGatewayRouteTableId": self.tgw_rtb,
            }
        )
        propagations: list[Json] = []
        for vpc in self.vpcs:
            vpc.attachment = self.new_id("tgw-attach")
            # One attachment subnet per AZ the VPC uses (the last subnet of each AZ), so that
            # every subnet can reach the TGW from its own AZ.
            by_az: dict[int, Subnet] = {s.az: s for s in vpc.subnets}
            vpc.attachment_subnets = [by_az[az] for az in sorted(by_az)]
            name = f"bench-tgw-vpc-{vpc.index}"
            self.out["TransitGatewayAttachments"].append(
                {
                    "Association": {
                        "State": "associated",
                        "TransitGatewayRouteTableId": self.tgw_rtb,
                    },
                    "CreationTime": CREATED,
                    "ResourceId": vpc.id,
                    "ResourceOwnerId": ACCOUNT,
                    "ResourceType": "vpc",
                    "State": "available",
                    "Tags": tags(name),
                    "TransitGatewayAttachmentId": vpc.attachment,
                    "TransitGatewayId": self.tgw,
                    "TransitGatewayOwnerId": ACCOUNT,
                }
            )
            self.out["TransitGatewayVpcAttachments"].append(
                {
                    "CreationTime": CREATED,
                    "Options": {
                        "ApplianceModeSupport": "disable",
                        "DnsSupport": "enable",
                        "Ipv6Support": "disable",
                    },
                    "State": "available",
                    "SubnetIds": [s.id for s in vpc.attachment_subnets],
                    "Tags": tags(name),
                    "TransitGatewayAttachmentId": vpc.attachment,
                    "TransitGatewayId": self.tgw,
                    "VpcId": vpc.id,
                    "VpcOwnerId": ACCOUNT,
                }
            )
            propagations.append(
                {
                    "ResourceId": vpc.id,
                    "ResourceType": "vpc",
                    "State": "enabled",
                    "TransitGatewayAttachmentId": vpc.attachment,
                }
            )
            for subnet in vpc.attachment_subnets:
                self.out["NetworkInterfaces"].append(
                    self.eni_json(
                        self.new_id("eni"),
                        vpc,
                        subnet,
                        [(subnet.allocate(), None)],
                        groups=[],
                        attachment={
                            "AttachmentId": self.new_id("ela-attach"),
                            "DeleteOnTermination": False,
                            "DeviceIndex": 1,
                            "InstanceOwnerId": "amazon-aws",
                            "Status": "attached",
                        },
                        description=(
                            f"Network Interface for Transit Gateway Attachment {vpc.attachment}"
                        ),
                        interface_type="transit_gateway",
                        requester_managed=False,
                    )
                )
        self.out["TransitGatewayPropagations"].append(
            {
                "TransitGatewayRouteTableId": self.tgw_rtb,
                "TransitGatewayRouteTablePropagations": propagations,
            }
        )
        # A more specific static route over a propagated one, and a blackhole.
        second = self.vpcs[1]
        routes: list[Json] = [
            {
                "DestinationCidrBlock": str(second.subnets[0].cidr),
                "State": "active",
                "TransitGatewayAttachments": [
                    {
                        "ResourceId": second.id,
                        "ResourceType": "vpc",
                        "TransitGatewayAttachmentId": second.attachment,
                    }
                ],
                "Type": "static",
            },
            {"DestinationCidrBlock": "10.254.0.0/16", "State": "blackhole", "Type": "static"},
        ]
        self.out["TransitGatewayStaticRoutes"].append(
            {
                "AdditionalRoutesAvailable": False,
                "Routes": routes,
                "TransitGatewayRouteTableId": self.tgw_rtb,
            }
        )

    def eni_json(
        self,
        eni_id: str,
        vpc: Vpc,
        subnet: Subnet,
        addresses: list[tuple[str, Json | None]],
        groups: list[tuple[str, str]],
        attachment: Json,
        description: str,
        interface_type: str,
        requester_managed: bool,
    ) -> Json:
        """One `describe-network-interfaces` item; `addresses[0]` is the primary address."""
        private_ips = []
        for k, (address, association) in enumerate(addresses):
            item: Json = {}
            if association is not None:
                item["Association"] = association
            item.update(
                {"Primary": k == 0, "PrivateDnsName": dns(address), "PrivateIpAddress": address}
            )
            private_ips.append(item)
        eni: Json = {}
        if addresses[0][1] is not None:
            eni["Association"] = addresses[0][1]
        eni.update(
            {
                "Attachment": attachment,
                "AvailabilityZone": AZS[subnet.az],
                "Description": description,
                "Groups": [{"GroupId": g, "GroupName": n} for g, n in groups],
                "InterfaceType": interface_type,
                "Ipv6Addresses": [],
                "MacAddress": self.mac(),
                "NetworkInterfaceId": eni_id,
                "OwnerId": ACCOUNT,
                "PrivateDnsName": dns(addresses[0][0]),
                "PrivateIpAddress": addresses[0][0],
                "PrivateIpAddresses": private_ips,
                "RequesterManaged": requester_managed,
                "SourceDestCheck": interface_type == "interface",
                "Status": "in-use",
                "SubnetId": subnet.id,
                "TagSet": [],
                "VpcId": vpc.id,
            }
        )
        return eni
