"""Plain-JSON integrity checks of a describe-* snapshot folder (no netcheck code involved).

Input: a folder of `aws ec2 describe-*` JSON files. Output: a sorted list of problems, each
`File.json: <what> <id> references missing <kind> <id>`; empty when every reference resolves.

Checked: every VPC, subnet, route table, NACL, security group, interface, instance, gateway,
peering connection, TGW, TGW attachment and TGW route table id mentioned anywhere exists; ids
are unique; interfaces' addresses lie in their subnet; each subnet has one NACL and at most one
explicit route table; each VPC has one main route table; route targets belong to the VPC.

Example:
    >>> check_references(Path("benchmarks/out/estate-100-seed1"))  # doctest: +SKIP
    []
"""

from __future__ import annotations

import json
from collections import Counter
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Any

Json = dict[str, Any]


def _items(folder: Path, name: str) -> list[Json]:
    path = folder / f"{name}.json"
    if not path.exists():
        return []
    items: list[Json] = json.loads(path.read_text())[name]
    return items


def check_references(folder: Path) -> list[str]:
    """Every dangling reference or broken invariant in the snapshot at `folder`."""
    f = {
        name: _items(folder, name)
        for name in (
            "Vpcs", "Subnets", "RouteTables", "NetworkAcls", "SecurityGroups",
            "NetworkInterfaces", "Reservations", "InternetGateways", "NatGateways",
            "VpcPeeringConnections", "TransitGateways", "TransitGatewayAttachments",
            "TransitGatewayVpcAttachments", "TransitGatewayRouteTables",
            "TransitGatewayPropagations", "TransitGatewayStaticRoutes",
        )
    }  # fmt: skip
    problems: list[str] = []

    def need(where: str, owner: str, kind: str, ref: str | None, known: dict[str, Any]) -> None:
        if ref not in known:
            problems.append(f"{where}: {owner} references missing {kind} {ref}")

    vpcs = {v["VpcId"]: v for v in f["Vpcs"]}
    subnets = {s["SubnetId"]: s for s in f["Subnets"]}
    groups = {g["GroupId"]: g for g in f["SecurityGroups"]}
    enis = {e["NetworkInterfaceId"]: e for e in f["NetworkInterfaces"]}
    instances = {i["InstanceId"]: i for r in f["Reservations"] for i in r["Instances"]}
    igws = {g["InternetGatewayId"]: g for g in f["InternetGateways"]}
    nats = {n["NatGatewayId"]: n for n in f["NatGateways"]}
    pcxs = {p["VpcPeeringConnectionId"]: p for p in f["VpcPeeringConnections"]}
    tgws = {t["TransitGatewayId"]: t for t in f["TransitGateways"]}
    atts = {a["TransitGatewayAttachmentId"]: a for a in f["TransitGatewayAttachments"]}
    tgw_rtbs = {t["TransitGatewayRouteTableId"]: t for t in f["TransitGatewayRouteTables"]}

    all_ids = [
        *vpcs, *subnets, *groups, *enis, *instances, *igws, *nats, *pcxs, *tgws, *atts,
        *tgw_rtbs, *(r["RouteTableId"] for r in f["RouteTables"]),
        *(a["NetworkAclId"] for a in f["NetworkAcls"]),
    ]  # fmt: skip
    for rid, n in Counter(all_ids).items():
        if n > 1:
            problems.append(f"*: id {rid} is defined {n} times")

    for s in f["Subnets"]:
        need("Subnets.json", s["SubnetId"], "VPC", s["VpcId"], vpcs)

    main_tables: Counter[str] = Counter()
    explicit: Counter[str] = Counter()
    for rt in f["RouteTables"]:
        rid, vpc = rt["RouteTableId"], rt["VpcId"]
        need("RouteTables.json", rid, "VPC", vpc, vpcs)
        for a in rt["Associations"]:
            if a.get("Main"):
                main_tables[vpc] += 1
            if "SubnetId" in a:
                explicit[a["SubnetId"]] += 1
                need("RouteTables.json", rid, "subnet", a["SubnetId"], subnets)
                if subnets.get(a["SubnetId"], {}).get("VpcId", vpc) != vpc:
                    problems.append(f"RouteTables.json: {rid} associates a subnet of another VPC")
        for r in rt["Routes"]:
            if r.get("GatewayId", "local") != "local":
                need("RouteTables.json", rid, "internet gateway", r["GatewayId"], igws)
                vpcs_of_igw = [
                    a["VpcId"] for a in igws.get(r["GatewayId"], {}).get("Attachments", [])
                ]
                if r["GatewayId"] in igws and vpc not in vpcs_of_igw:
                    problems.append(f"RouteTables.json: {rid} routes to an IGW of another VPC")
            if "NatGatewayId" in r:
                need("RouteTables.json", rid, "NAT gateway", r["NatGatewayId"], nats)
            if "TransitGatewayId" in r:
                need("RouteTables.json", rid, "transit gateway", r["TransitGatewayId"], tgws)
            if "VpcPeeringConnectionId" in r:
                pcx = r["VpcPeeringConnectionId"]
                need("RouteTables.json", rid, "peering connection", pcx, pcxs)
                sides = {
                    pcxs.get(pcx, {}).get(k, {}).get("VpcId")
                    for k in ("AccepterVpcInfo", "RequesterVpcInfo")
                }
                if pcx in pcxs and vpc not in sides:
                    problems.append(f"RouteTables.json: {rid} routes to a peering of other VPCs")
    for vpc in vpcs:
        if main_tables[vpc] != 1:
            problems.append(f"RouteTables.json: VPC {vpc} has {main_tables[vpc]} main tables")
    for sid, n in explicit.items():
        if n > 1:
            problems.append(f"RouteTables.json: subnet {sid} has {n} explicit route tables")

    acl_of: Counter[str] = Counter()
    for acl in f["NetworkAcls"]:
        need("NetworkAcls.json", acl["NetworkAclId"], "VPC", acl["VpcId"], vpcs)
        for a in acl["Associations"]:
            acl_of[a["SubnetId"]] += 1
            need("NetworkAcls.json", acl["NetworkAclId"], "subnet", a["SubnetId"], subnets)
    for sid in subnets:
        if acl_of[sid] != 1:
            problems.append(f"NetworkAcls.json: subnet {sid} has {acl_of[sid]} NACLs")

    for g in f["SecurityGroups"]:
        need("SecurityGroups.json", g["GroupId"], "VPC", g["VpcId"], vpcs)
        for perm in g["IpPermissions"] + g["IpPermissionsEgress"]:
            for pair in perm["UserIdGroupPairs"]:
                need("SecurityGroups.json", g["GroupId"], "security group", pair["GroupId"], groups)

    addresses: Counter[tuple[str, str]] = Counter()
    for e in f["NetworkInterfaces"]:
        eid = e["NetworkInterfaceId"]
        need("NetworkInterfaces.json", eid, "subnet", e["SubnetId"], subnets)
        need("NetworkInterfaces.json", eid, "VPC", e["VpcId"], vpcs)
        subnet = subnets.get(e["SubnetId"])
        for g in e["Groups"]:
            need("NetworkInterfaces.json", eid, "security group", g["GroupId"], groups)
        if "InstanceId" in e.get("Attachment", {}):
            need(
                "NetworkInterfaces.json", eid, "instance", e["Attachment"]["InstanceId"], instances
            )
        for pa in e["PrivateIpAddresses"]:
            addresses[(e["VpcId"], pa["PrivateIpAddress"])] += 1
            if subnet and IPv4Address(pa["PrivateIpAddress"]) not in IPv4Network(
                subnet["CidrBlock"]
            ):
                problems.append(f"NetworkInterfaces.json: {eid} address outside its subnet")
    for (vpc, address), n in addresses.items():
        if n > 1:
            problems.append(f"NetworkInterfaces.json: {address} used {n} times in {vpc}")

    for iid, inst in instances.items():
        need("Reservations.json", iid, "subnet", inst["SubnetId"], subnets)
        need("Reservations.json", iid, "VPC", inst["VpcId"], vpcs)
        for g in inst["SecurityGroups"]:
            need("Reservations.json", iid, "security group", g["GroupId"], groups)
        for ni in inst["NetworkInterfaces"]:
            need("Reservations.json", iid, "interface", ni["NetworkInterfaceId"], enis)

    for gid, igw in igws.items():
        for a in igw["Attachments"]:
            need("InternetGateways.json", gid, "VPC", a["VpcId"], vpcs)
    for nid, nat in nats.items():
        need("NatGateways.json", nid, "subnet", nat["SubnetId"], subnets)
        need("NatGateways.json", nid, "VPC", nat["VpcId"], vpcs)
        for a in nat["NatGatewayAddresses"]:
            need("NatGateways.json", nid, "interface", a["NetworkInterfaceId"], enis)
    for pid, pcx in pcxs.items():
        for side in ("AccepterVpcInfo", "RequesterVpcInfo"):
            need("VpcPeeringConnections.json", pid, "VPC", pcx[side]["VpcId"], vpcs)

    for tid, tgw in tgws.items():
        for key in ("AssociationDefaultRouteTableId", "PropagationDefaultRouteTableId"):
            if key in tgw["Options"]:
                need("TransitGateways.json", tid, "TGW route table", tgw["Options"][key], tgw_rtbs)
    for aid, att in atts.items():
        need(
            "TransitGatewayAttachments.json", aid, "transit gateway", att["TransitGatewayId"], tgws
        )
        if att["ResourceType"] == "vpc":
            need("TransitGatewayAttachments.json", aid, "VPC", att["ResourceId"], vpcs)
        if "Association" in att:
            rtb = att["Association"]["TransitGatewayRouteTableId"]
            need("TransitGatewayAttachments.json", aid, "TGW route table", rtb, tgw_rtbs)
    for va in f["TransitGatewayVpcAttachments"]:
        aid = va["TransitGatewayAttachmentId"]
        need("TransitGatewayVpcAttachments.json", aid, "attachment", aid, atts)
        need("TransitGatewayVpcAttachments.json", aid, "VPC", va["VpcId"], vpcs)
        for sid in va["SubnetIds"]:
            need("TransitGatewayVpcAttachments.json", aid, "subnet", sid, subnets)
    for rtb in f["TransitGatewayRouteTables"]:
        need("TransitGatewayRouteTables.json", rtb["TransitGatewayRouteTableId"], "transit gateway",
             rtb["TransitGatewayId"], tgws)  # fmt: skip
    for prop in f["TransitGatewayPropagations"]:
        rtb = prop["TransitGatewayRouteTableId"]
        need("TransitGatewayPropagations.json", rtb, "TGW route table", rtb, tgw_rtbs)
        for p in prop["TransitGatewayRouteTablePropagations"]:
            aid = p["TransitGatewayAttachmentId"]
            need("TransitGatewayPropagations.json", rtb, "attachment", aid, atts)
    for static in f["TransitGatewayStaticRoutes"]:
        rtb = static["TransitGatewayRouteTableId"]
        need("TransitGatewayStaticRoutes.json", rtb, "TGW route table", rtb, tgw_rtbs)
        for route in static["Routes"]:
            for ta in route.get("TransitGatewayAttachments", []):
                aid = ta["TransitGatewayAttachmentId"]
                need("TransitGatewayStaticRoutes.json", rtb, "attachment", aid, atts)
    return sorted(problems)
