"""Small describe-* snapshots (as dicts, the shapes `aws ec2 describe-*` prints) for the
"unknown because missing" rules of docs/semantics/forwarding.md: data AWS has but the
snapshot lacks makes an answer `unknown`, never `unreachable`. Test data only."""

from __future__ import annotations

import copy
from typing import Any

VPC_A, VPC_B = "vpc-0a", "vpc-0b"
SUB_A1, SUB_A2 = "subnet-0a1", "subnet-0a2"
SUB_B1 = "subnet-0b1"
RTB_A, RTB_B = "rtb-0a", "rtb-0b"
ENI_WEB, ENI_APP, ENI_B = "eni-0web", "eni-0app", "eni-0b"
IP_WEB, IP_APP, IP_B = "10.0.1.10", "10.0.2.20", "10.1.1.10"
SG_WEB, SG_APP, SG_B = "sg-0web", "sg-0app", "sg-0b"
IGW = "igw-0a"
PL = "pl-0corp"
AZ = "us-east-1a"


def _allow_all(acl_id: str, vpc_id: str) -> dict[str, Any]:
    entries = [
        {"RuleNumber": n, "Protocol": "-1", "RuleAction": a, "Egress": e, "CidrBlock": "0.0.0.0/0"}
        for e in (False, True)
        for n, a in ((100, "allow"), (32767, "deny"))
    ]
    return {
        "NetworkAclId": acl_id,
        "VpcId": vpc_id,
        "IsDefault": True,
        "Entries": entries,
        "Associations": [],
    }


def _eni(eni_id: str, subnet: str, vpc: str, ip: str, sg: str) -> dict[str, Any]:
    return {
        "NetworkInterfaceId": eni_id,
        "SubnetId": subnet,
        "VpcId": vpc,
        "AvailabilityZone": AZ,
        "InterfaceType": "interface",
        "Description": "",
        "Groups": [{"GroupId": sg, "GroupName": sg}],
        "PrivateIpAddress": ip,
        "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}],
        "SourceDestCheck": True,
        "Status": "in-use",
        "TagSet": [],
    }


def _sg(group_id: str, vpc: str, ingress: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "GroupId": group_id,
        "GroupName": group_id,
        "VpcId": vpc,
        "Description": group_id,
        "IpPermissions": ingress,
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    }


def tcp_from(cidr: str, port: int) -> dict[str, Any]:
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": cidr}]}


def tcp_from_list(pl_id: str, port: int) -> dict[str, Any]:
    return {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "PrefixListIds": [{"PrefixListId": pl_id}],
    }


def vpc_a(
    *,
    routes: list[dict[str, Any]] = (),  # type: ignore[assignment]
    app_ingress: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """vpc-0a (10.0.0.0/16) with a public web subnet and an app subnet, one main route
    table (`local` plus `routes`), allow-all network ACLs, an IGW; eni-0web (10.0.1.10,
    public 54.0.0.10) and eni-0app (10.0.2.20, ingress `app_ingress`, default tcp/22 from
    10.0.0.0/16)."""
    web = _eni(ENI_WEB, SUB_A1, VPC_A, IP_WEB, SG_WEB)
    web["Association"] = {"PublicIp": "54.0.0.10", "IpOwnerId": "amazon"}
    web["PrivateIpAddresses"][0]["Association"] = {"PublicIp": "54.0.0.10", "IpOwnerId": "amazon"}
    return {
        "Vpcs": [{"VpcId": VPC_A, "CidrBlock": "10.0.0.0/16", "State": "available"}],
        "Subnets": [
            {"SubnetId": s, "VpcId": VPC_A, "CidrBlock": c, "AvailabilityZone": AZ}
            for s, c in ((SUB_A1, "10.0.1.0/24"), (SUB_A2, "10.0.2.0/24"))
        ],
        "RouteTables": [
            {
                "RouteTableId": RTB_A,
                "VpcId": VPC_A,
                "Associations": [{"Main": True, "RouteTableId": RTB_A}],
                "Routes": [
                    {
                        "DestinationCidrBlock": "10.0.0.0/16",
                        "GatewayId": "local",
                        "State": "active",
                    },
                    *routes,
                ],
            }
        ],
        "NetworkAcls": [_allow_all("acl-0a", VPC_A)],
        "InternetGateways": [
            {"InternetGatewayId": IGW, "Attachments": [{"VpcId": VPC_A, "State": "available"}]}
        ],
        "SecurityGroups": [
            _sg(SG_WEB, VPC_A, [tcp_from("0.0.0.0/0", 443)]),
            _sg(
                SG_APP,
                VPC_A,
                app_ingress if app_ingress is not None else [tcp_from("10.0.0.0/16", 22)],
            ),
        ],
        "NetworkInterfaces": [
            web,
            _eni(ENI_APP, SUB_A2, VPC_A, IP_APP, SG_APP),
        ],
    }


def add_vpc_b(doc: dict[str, Any], *, routes: list[dict[str, Any]]) -> dict[str, Any]:
    """vpc-0b (10.1.0.0/16), one subnet with eni-0b (10.1.1.10, tcp/22 from 10.0.0.0/8)."""
    doc = copy.deepcopy(doc)
    doc["Vpcs"].append({"VpcId": VPC_B, "CidrBlock": "10.1.0.0/16", "State": "available"})
    doc["Subnets"].append(
        {"SubnetId": SUB_B1, "VpcId": VPC_B, "CidrBlock": "10.1.1.0/24", "AvailabilityZone": AZ}
    )
    doc["RouteTables"].append(
        {
            "RouteTableId": RTB_B,
            "VpcId": VPC_B,
            "Associations": [{"Main": True, "RouteTableId": RTB_B}],
            "Routes": [
                {"DestinationCidrBlock": "10.1.0.0/16", "GatewayId": "local", "State": "active"},
                *routes,
            ],
        }
    )
    doc["NetworkAcls"].append(_allow_all("acl-0b", VPC_B))
    doc["SecurityGroups"].append(_sg(SG_B, VPC_B, [tcp_from("10.0.0.0/8", 22)]))
    doc["NetworkInterfaces"].append(_eni(ENI_B, SUB_B1, VPC_B, IP_B, SG_B))
    return doc


def prefix_list(pl_id: str = PL, name: str = "corp-ranges") -> dict[str, Any]:
    """One entry of `describe-managed-prefix-lists` (which carries no entries)."""
    return {
        "PrefixListId": pl_id,
        "PrefixListName": name,
        "AddressFamily": "IPv4",
        "State": "create-complete",
        "MaxEntries": 10,
        "Version": 1,
        "OwnerId": "111122223333",
    }


def prefix_list_entries(pl_id: str, *cidrs: str) -> dict[str, Any]:
    """`aws ec2 get-managed-prefix-list-entries --prefix-list-id pl_id` output, wrapped per
    list with its id (docs/formats.md)."""
    return {"PrefixListId": pl_id, "Entries": [{"Cidr": c} for c in cidrs]}
