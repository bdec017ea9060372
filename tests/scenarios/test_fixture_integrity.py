"""The bundled example networks are self-consistent AWS snapshots.

Plain `json` only (no netcheck import), so these checks hold before and independently of the
loader: every id a fixture references is defined in it, every subnet has exactly one network
ACL, every VPC has one main route table, one default ACL and a default security group, and
addresses sit inside their subnets.
"""

from __future__ import annotations

import ipaddress
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

NAMES = ("three-tier", "nat-gateway", "peering-triangle", "tgw-hub", "vpc-endpoints")

# file -> (top-level key, id key of each item)
DEFINES: dict[str, tuple[str, str]] = {
    "Vpcs": ("Vpcs", "VpcId"),
    "Subnets": ("Subnets", "SubnetId"),
    "RouteTables": ("RouteTables", "RouteTableId"),
    "NetworkAcls": ("NetworkAcls", "NetworkAclId"),
    "SecurityGroups": ("SecurityGroups", "GroupId"),
    "NetworkInterfaces": ("NetworkInterfaces", "NetworkInterfaceId"),
    "InternetGateways": ("InternetGateways", "InternetGatewayId"),
    "NatGateways": ("NatGateways", "NatGatewayId"),
    "VpcEndpoints": ("VpcEndpoints", "VpcEndpointId"),
    "VpcPeeringConnections": ("VpcPeeringConnections", "VpcPeeringConnectionId"),
    "TransitGateways": ("TransitGateways", "TransitGatewayId"),
    "TransitGatewayAttachments": ("TransitGatewayAttachments", "TransitGatewayAttachmentId"),
    "TransitGatewayRouteTables": ("TransitGatewayRouteTables", "TransitGatewayRouteTableId"),
    "PrefixLists": ("PrefixLists", "PrefixListId"),
    "VpnGateways": ("VpnGateways", "VpnGatewayId"),
    "VpnConnections": ("VpnConnections", "VpnConnectionId"),
    "CustomerGateways": ("CustomerGateways", "CustomerGatewayId"),
}
OTHER_FILES = {
    "Reservations": "Reservations",
    "TransitGatewayVpcAttachments": "TransitGatewayVpcAttachments",
    "TransitGatewayPropagations": "TransitGatewayPropagations",
    "TransitGatewayStaticRoutes": "TransitGatewayStaticRoutes",
    "RdsInstances": "DBInstances",
}
# Keys whose value (a string or a list of strings) names another resource of the snapshot.
REFERENCE_KEYS = {
    "VpcId",
    "SubnetId",
    "SubnetIds",
    "SubnetIdentifier",
    "GroupId",
    "VpcSecurityGroupId",
    "NetworkInterfaceId",
    "NetworkInterfaceIds",
    "InstanceId",
    "GatewayId",
    "NatGatewayId",
    "VpcPeeringConnectionId",
    "TransitGatewayId",
    "TransitGatewayAttachmentId",
    "TransitGatewayRouteTableId",
    "RouteTableId",
    "RouteTableIds",
    "NetworkAclId",
    "DestinationPrefixListId",
    "PrefixListId",
    "VpnGatewayId",
    "CustomerGatewayId",
    "ResourceId",
}
PREFIXES = (
    "vpc-",
    "subnet-",
    "sg-",
    "eni-",
    "i-",
    "igw-",
    "nat-",
    "pcx-",
    "tgw-",
    "rtb-",
    "acl-",
    "pl-",
    "vgw-",
    "vpn-",
    "cgw-",
    "vpce-",
)


def load(name: str) -> dict[str, Any]:
    folder = FIXTURES / name
    return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


def items(snap: dict[str, Any], file: str) -> list[dict[str, Any]]:
    key = DEFINES[file][0] if file in DEFINES else OTHER_FILES[file]
    return snap[file][key]


def instances(snap: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for r in items(snap, "Reservations") for i in r["Instances"]]


def defined_ids(snap: dict[str, Any]) -> set[str]:
    ids: list[str] = []
    for file, (_, id_key) in DEFINES.items():
        ids += [item[id_key] for item in items(snap, file)]
    ids += [i["InstanceId"] for i in instances(snap)]
    dupes = [k for k, n in Counter(ids).items() if n > 1]
    assert not dupes, f"ids defined twice: {dupes}"
    return set(ids)


def walk_references(node: Any, path: str = "$") -> list[tuple[str, str]]:
    """Every (json path, id) under a reference key."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            sub = f"{path}.{k}"
            if k in REFERENCE_KEYS:
                values = v if isinstance(v, list) else [v]
                out += [(sub, x) for x in values if isinstance(x, str)]
            out += walk_references(v, sub)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += walk_references(v, f"{path}[{i}]")
    return out


@pytest.fixture(params=NAMES)
def snap(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load(request.param)


def test_index_lists_every_fixture() -> None:
    # Only the example networks are checked here (other folders, e.g. policy/, hold data for
    # other tests).
    index = (FIXTURES / "README.md").read_text()
    for name in NAMES:
        assert f"({name}/" in index, f"fixtures/README.md does not link {name}"
        assert (FIXTURES / name / "README.md").is_file()


def test_every_file_has_its_describe_shape(snap: dict[str, Any]) -> None:
    expected = set(DEFINES) | set(OTHER_FILES)
    assert set(snap) == expected
    for file in expected:
        assert isinstance(items(snap, file), list), file


def test_every_reference_resolves(snap: dict[str, Any]) -> None:
    ids = defined_ids(snap)
    missing = [
        (path, ref)
        for file, body in snap.items()
        for path, ref in walk_references(body, file)
        if ref != "local" and ref.startswith(PREFIXES) and ref not in ids
    ]
    assert not missing, missing
    # References that do not start with a known prefix would escape the check above.
    odd = [
        (path, ref)
        for body in snap.values()
        for path, ref in walk_references(body)
        if ref != "local" and not ref.startswith(PREFIXES)
    ]
    assert not odd, odd


def test_each_vpc_has_main_table_default_acl_and_default_group(snap: dict[str, Any]) -> None:
    for vpc in items(snap, "Vpcs"):
        vid = vpc["VpcId"]
        mains = [
            t
            for t in items(snap, "RouteTables")
            if t["VpcId"] == vid and any(a.get("Main") for a in t["Associations"])
        ]
        assert len(mains) == 1, vid
        defaults = [a for a in items(snap, "NetworkAcls") if a["VpcId"] == vid and a["IsDefault"]]
        assert len(defaults) == 1, vid
        groups = [
            g
            for g in items(snap, "SecurityGroups")
            if g["VpcId"] == vid and g["GroupName"] == "default"
        ]
        assert len(groups) == 1, vid


def test_each_subnet_has_one_acl_and_at_most_one_route_table(snap: dict[str, Any]) -> None:
    subnets = {s["SubnetId"]: s for s in items(snap, "Subnets")}
    acl_assoc = Counter()
    for acl in items(snap, "NetworkAcls"):
        for a in acl["Associations"]:
            assert a["NetworkAclId"] == acl["NetworkAclId"]
            assert subnets[a["SubnetId"]]["VpcId"] == acl["VpcId"]
            acl_assoc[a["SubnetId"]] += 1
    assert acl_assoc == Counter(dict.fromkeys(subnets, 1))
    rt_assoc: Counter[str] = Counter()
    for t in items(snap, "RouteTables"):
        for a in t["Associations"]:
            assert a["RouteTableId"] == t["RouteTableId"]
            if "SubnetId" in a:
                assert subnets[a["SubnetId"]]["VpcId"] == t["VpcId"]
                rt_assoc[a["SubnetId"]] += 1
    assert all(n == 1 for n in rt_assoc.values())


def test_route_tables_have_local_routes(snap: dict[str, Any]) -> None:
    cidrs = {
        v["VpcId"]: {c["CidrBlock"] for c in v["CidrBlockAssociationSet"]}
        for v in items(snap, "Vpcs")
    }
    for t in items(snap, "RouteTables"):
        local = {r["DestinationCidrBlock"] for r in t["Routes"] if r.get("GatewayId") == "local"}
        assert local == cidrs[t["VpcId"]], t["RouteTableId"]
        for r in t["Routes"]:
            assert r["State"] in ("active", "blackhole")
            assert r["Origin"] in ("CreateRouteTable", "CreateRoute", "EnableVgwRoutePropagation")


def test_nacls_end_with_the_default_deny(snap: dict[str, Any]) -> None:
    for acl in items(snap, "NetworkAcls"):
        for egress in (False, True):
            entries = [e for e in acl["Entries"] if e["Egress"] is egress]
            numbers = [e["RuleNumber"] for e in entries]
            assert len(numbers) == len(set(numbers)), acl["NetworkAclId"]
            last = max(entries, key=lambda e: e["RuleNumber"])
            assert last["RuleNumber"] == 32767
            assert (last["Protocol"], last["RuleAction"]) == ("-1", "deny")
            for e in entries:
                assert e["Protocol"] in ("-1", "1", "6", "17"), e
                assert ("PortRange" in e) == (e["Protocol"] in ("6", "17")), e
                ipaddress.ip_network(e["CidrBlock"])


def test_addresses_sit_in_their_subnets(snap: dict[str, Any]) -> None:
    vpcs = {
        v["VpcId"]: [ipaddress.ip_network(c["CidrBlock"]) for c in v["CidrBlockAssociationSet"]]
        for v in items(snap, "Vpcs")
    }
    subnets = {s["SubnetId"]: s for s in items(snap, "Subnets")}
    for s in subnets.values():
        net = ipaddress.ip_network(s["CidrBlock"])
        assert any(net.subnet_of(c) for c in vpcs[s["VpcId"]]), s["SubnetId"]
    seen: set[tuple[str, str]] = set()
    for eni in items(snap, "NetworkInterfaces"):
        sub = subnets[eni["SubnetId"]]
        assert eni["VpcId"] == sub["VpcId"]
        assert eni["AvailabilityZone"] == sub["AvailabilityZone"]
        assert sum(p["Primary"] for p in eni["PrivateIpAddresses"]) == 1
        for p in eni["PrivateIpAddresses"]:
            addr = ipaddress.ip_address(p["PrivateIpAddress"])
            assert addr in ipaddress.ip_network(sub["CidrBlock"]), eni["NetworkInterfaceId"]
            key = (eni["VpcId"], p["PrivateIpAddress"])
            assert key not in seen, key
            seen.add(key)


def test_public_addresses_are_unique_and_public(snap: dict[str, Any]) -> None:
    publics = [
        p["Association"]["PublicIp"]
        for eni in items(snap, "NetworkInterfaces")
        for p in eni["PrivateIpAddresses"]
        if "Association" in p
    ]
    assert len(publics) == len(set(publics))
    assert all(ipaddress.ip_address(ip).is_global for ip in publics)


def test_instances_match_their_interfaces(snap: dict[str, Any]) -> None:
    enis = {e["NetworkInterfaceId"]: e for e in items(snap, "NetworkInterfaces")}
    names = []
    for inst in instances(snap):
        assert inst["State"]["Name"] == "running"
        names.append({t["Key"]: t["Value"] for t in inst["Tags"]}["Name"])
        for ni in inst["NetworkInterfaces"]:
            eni = enis[ni["NetworkInterfaceId"]]
            assert eni["Attachment"]["InstanceId"] == inst["InstanceId"]
            assert eni["PrivateIpAddress"] == ni["PrivateIpAddress"]
            assert eni["Groups"] == ni["Groups"]
        primary = inst["NetworkInterfaces"][0]
        assert inst["PrivateIpAddress"] == primary["PrivateIpAddress"]
        assert inst["SubnetId"] == primary["SubnetId"]
        assert inst.get("PublicIpAddress") == primary.get("Association", {}).get("PublicIp")
    assert len(names) == len(set(names)), "instance Name tags must be unique"


def test_managed_interfaces_match_their_owners(snap: dict[str, Any]) -> None:
    enis = {e["NetworkInterfaceId"]: e for e in items(snap, "NetworkInterfaces")}
    for nat in items(snap, "NatGateways"):
        for a in nat["NatGatewayAddresses"]:
            eni = enis[a["NetworkInterfaceId"]]
            assert eni["InterfaceType"] == "nat_gateway"
            assert eni["SubnetId"] == nat["SubnetId"]
            assert eni["PrivateIpAddress"] == a["PrivateIp"]
            assert eni["Association"]["PublicIp"] == a["PublicIp"]
    for ep in items(snap, "VpcEndpoints"):
        for eid in ep["NetworkInterfaceIds"]:
            assert enis[eid]["SubnetId"] in ep["SubnetIds"]
            assert {g["GroupId"] for g in enis[eid]["Groups"]} == {
                g["GroupId"] for g in ep["Groups"]
            }
    subnets = {s["SubnetId"]: s for s in items(snap, "Subnets")}
    for att in items(snap, "TransitGatewayVpcAttachments"):
        azs = [subnets[s]["AvailabilityZone"] for s in att["SubnetIds"]]
        assert len(azs) == len(set(azs)), "one attachment subnet per AZ"
        assert all(subnets[s]["VpcId"] == att["VpcId"] for s in att["SubnetIds"])
        tgw_enis = [
            e
            for e in enis.values()
            if e["InterfaceType"] == "transit_gateway"
            and att["TransitGatewayAttachmentId"] in e["Description"]
        ]
        assert sorted(e["SubnetId"] for e in tgw_enis) == sorted(att["SubnetIds"])
    for db in items(snap, "RdsInstances"):
        group = db["DBSubnetGroup"]
        members = {s["SubnetIdentifier"] for s in group["Subnets"]}
        assert all(subnets[s]["VpcId"] == group["VpcId"] for s in members)
        rds = [e for e in enis.values() if e.get("RequesterId") == "amazon-rds"]
        assert rds and all(e["SubnetId"] in members for e in rds)


def test_everything_has_a_name(snap: dict[str, Any]) -> None:
    """Resources a user names in a query carry a Name tag (default groups excepted)."""
    for file in (
        "Vpcs",
        "Subnets",
        "NetworkAcls",
        "InternetGateways",
        "NatGateways",
        "VpcEndpoints",
        "VpcPeeringConnections",
        "TransitGateways",
        "TransitGatewayAttachments",
        "TransitGatewayRouteTables",
        "VpnGateways",
        "VpnConnections",
        "CustomerGateways",
    ):
        for item in items(snap, file):
            assert any(t["Key"] == "Name" for t in item["Tags"]), (file, item)
    for g in items(snap, "SecurityGroups"):
        if g["GroupName"] != "default":
            assert any(t["Key"] == "Name" for t in g["Tags"]), g["GroupId"]


def test_peering_connections_join_known_vpcs(snap: dict[str, Any]) -> None:
    vpcs = {v["VpcId"]: v for v in items(snap, "Vpcs")}
    for pcx in items(snap, "VpcPeeringConnections"):
        for side in ("AccepterVpcInfo", "RequesterVpcInfo"):
            info = pcx[side]
            if "CidrBlock" in info:
                assert info["CidrBlock"] == vpcs[info["VpcId"]]["CidrBlock"]


def test_fixture_folder_exists() -> None:
    assert Path(FIXTURES).is_dir()
