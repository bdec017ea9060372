"""Missing data is unknown, never unreachable (issue #9 section 3; docs/semantics/forwarding.md
"Unknown because missing"): prefix lists without their entries, TGW route tables without
their routes, active routes whose target the snapshot lacks. Each case is a small describe-*
snapshot loaded with `netcheck.load(dict)`; the engine's answer is asserted, and the walker's
verdict on the same concrete packet must agree."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from missing_nets import (
    AZ as AZ_A,
)
from missing_nets import (
    ENI_APP,
    ENI_WEB,
    IGW,
    IP_APP,
    IP_B,
    IP_WEB,
    PL,
    RTB_A,
    SUB_A2,
    SUB_B1,
    VPC_A,
    VPC_B,
    add_vpc_b,
    prefix_list,
    prefix_list_entries,
    tcp_from,
    tcp_from_list,
    vpc_a,
)
from strategies import from_eni, tcp
from test_engine_properties import walker_verdict

import netcheck
from netcheck.api import Verdict
from netcheck.model.packet import Origin, OriginKind
from netcheck.questions import diff

S3_PL, S3_VPCE = "pl-63a5400a", "vpce-0s3"
S3_HOST = "52.216.4.4"


def agree(doc: dict[str, Any], src_eni: str, src_ip: str, dst_ip: str, port: int):
    """The engine's answer for tcp/`port` from `src_eni` to `dst_ip`, after checking that the
    walker gives the same verdict for one concrete packet of it."""
    snap = netcheck.load(doc)
    answer = snap.query(src_eni, dst_ip, protocol="tcp", port=port)
    walked = walker_verdict(snap.network, from_eni(src_eni), tcp(src_ip, dst_ip, port))
    assert walked == answer.verdict.value, (walked, answer)
    return answer


# -- managed prefix lists without their entries ---------------------------------------------


def _sg_uses_list(*entries: str | None, extra_rule: bool = False) -> dict[str, Any]:
    """eni-0app admits tcp/22 from the prefix list only; `entries` None: the snapshot has
    the list (describe-managed-prefix-lists) but not its entries."""
    rules = [tcp_from_list(PL, 22)] + ([tcp_from("10.0.1.0/24", 22)] if extra_rule else [])
    doc = vpc_a(app_ingress=rules)
    doc["PrefixLists"] = [prefix_list()]
    if entries != (None,):
        doc["ManagedPrefixListEntries"] = [prefix_list_entries(PL, *entries)]  # type: ignore[arg-type]
    return doc


def test_sg_rule_with_a_prefix_list_without_entries_is_unknown_naming_the_command():
    a = agree(_sg_uses_list(None), ENI_WEB, IP_WEB, IP_APP, 22)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == PL
    assert f"aws ec2 get-managed-prefix-list-entries --prefix-list-id {PL}" in a.reason
    assert ENI_APP in a.reason


def test_sg_rule_with_prefix_list_entries_from_the_wrapper_decides():
    assert agree(_sg_uses_list("10.0.1.0/24"), ENI_WEB, IP_WEB, IP_APP, 22).verdict is (
        Verdict.REACHABLE
    )
    a = agree(_sg_uses_list("192.168.0.0/16"), ENI_WEB, IP_WEB, IP_APP, 22)
    assert a.verdict is Verdict.UNREACHABLE
    assert {b.code for b in a.proof.blockers} == {"ENI_SG_RULES_MISMATCH"}


def test_a_known_rule_that_allows_decides_without_the_entries():
    a = agree(_sg_uses_list(None, extra_rule=True), ENI_WEB, IP_WEB, IP_APP, 22)
    assert a.verdict is Verdict.REACHABLE


def test_prefix_list_rule_for_another_port_leaves_the_drop_decided():
    a = agree(_sg_uses_list(None), ENI_WEB, IP_WEB, IP_APP, 80)
    assert a.verdict is Verdict.UNREACHABLE


def test_sg_rule_with_a_prefix_list_missing_from_the_snapshot_is_unknown():
    doc = vpc_a(app_ingress=[tcp_from_list(PL, 22)])
    a = agree(doc, ENI_WEB, IP_WEB, IP_APP, 22)
    assert a.verdict is Verdict.UNKNOWN
    assert "describe-managed-prefix-lists" in a.reason and PL in a.reason


def _s3_endpoint(entries: tuple[str, ...] | None) -> dict[str, Any]:
    """The S3 gateway endpoint's prefix-list route next to a default route to the IGW."""
    doc = vpc_a(
        routes=[
            {"DestinationPrefixListId": S3_PL, "GatewayId": S3_VPCE, "State": "active"},
            {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": IGW, "State": "active"},
        ]
    )
    doc["PrefixLists"] = [prefix_list(S3_PL, "com.amazonaws.us-east-1.s3")]
    doc["VpcEndpoints"] = [
        {
            "VpcEndpointId": S3_VPCE,
            "VpcEndpointType": "Gateway",
            "VpcId": VPC_A,
            "ServiceName": "com.amazonaws.us-east-1.s3",
            "State": "available",
            "RouteTableIds": [RTB_A],
        }
    ]
    if entries is not None:
        doc["ManagedPrefixListEntries"] = [prefix_list_entries(S3_PL, *entries)]
    return doc


def test_gateway_endpoint_route_without_entries_is_unknown_outside_the_vpc():
    a = agree(_s3_endpoint(None), ENI_WEB, IP_WEB, S3_HOST, 443)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == S3_PL
    assert f"get-managed-prefix-list-entries --prefix-list-id {S3_PL}" in a.reason
    assert RTB_A in a.reason
    # The internet route is no longer trusted either: the list might hold 8.8.8.8.
    assert agree(_s3_endpoint(None), ENI_WEB, IP_WEB, "8.8.8.8", 443).verdict is Verdict.UNKNOWN


def test_local_route_decides_even_with_unknown_prefix_list_entries():
    a = agree(_s3_endpoint(None), ENI_WEB, IP_WEB, IP_APP, 22)
    assert a.verdict is Verdict.REACHABLE


def test_gateway_endpoint_route_with_entries_reaches_the_service():
    a = agree(_s3_endpoint(("52.216.0.0/15",)), ENI_WEB, IP_WEB, S3_HOST, 443)
    assert a.verdict is Verdict.REACHABLE
    assert a.witness.disposition == "delivered-service"
    b = agree(_s3_endpoint(("52.216.0.0/15",)), ENI_WEB, IP_WEB, "8.8.8.8", 443)
    assert b.verdict is Verdict.REACHABLE


def test_prefix_list_without_entries_is_a_warning_naming_the_command():
    snap = netcheck.load(_s3_endpoint(None))
    texts = [str(d) for d in snap.diagnostics]
    assert any(
        S3_PL in t and f"get-managed-prefix-list-entries --prefix-list-id {S3_PL}" in t
        for t in texts
    ), texts
    pl = snap.network.prefix_list(S3_PL)
    assert not pl.entries_known
    loaded = netcheck.load(_s3_endpoint(("52.216.0.0/15",))).network.prefix_list(S3_PL)
    assert loaded.entries_known and [str(e) for e in loaded.entries] == ["52.216.0.0/15"]


# -- transit gateway route tables without their routes ------------------------------------

TGW, TGW_RTB = "tgw-0hub", "tgw-rtb-0hub"
ATT_A, ATT_B = "tgw-attach-0a", "tgw-attach-0b"


def _tgw(*wrappers: str) -> dict[str, Any]:
    """vpc-0a and vpc-0b send 10.0.0.0/8 to tgw-0hub; one TGW route table associated with
    both attachments, into which both propagate. `wrappers` says which per-table outputs
    the snapshot holds: "details" (search-transit-gateway-routes with propagations),
    "static" (Batfish TransitGatewayStaticRoutes), "propagations"."""
    to_tgw = [{"DestinationCidrBlock": "10.0.0.0/8", "TransitGatewayId": TGW, "State": "active"}]
    doc = add_vpc_b(vpc_a(routes=to_tgw), routes=to_tgw)
    doc["TransitGateways"] = [
        {
            "TransitGatewayId": TGW,
            "State": "available",
            "Options": {
                "DefaultRouteTableAssociation": "disable",
                "DefaultRouteTablePropagation": "disable",
            },
        }
    ]
    atts = ((ATT_A, VPC_A, SUB_A2), (ATT_B, VPC_B, SUB_B1))
    doc["TransitGatewayAttachments"] = [
        {
            "TransitGatewayAttachmentId": att,
            "TransitGatewayId": TGW,
            "ResourceType": "vpc",
            "ResourceId": vpc,
            "State": "available",
            "Association": {"TransitGatewayRouteTableId": TGW_RTB, "State": "associated"},
        }
        for att, vpc, _ in atts
    ]
    doc["TransitGatewayVpcAttachments"] = [
        {
            "TransitGatewayAttachmentId": att,
            "TransitGatewayId": TGW,
            "VpcId": vpc,
            "State": "available",
            "SubnetIds": [sub],
        }
        for att, vpc, sub in atts
    ]
    doc["TransitGatewayRouteTables"] = [
        {"TransitGatewayRouteTableId": TGW_RTB, "TransitGatewayId": TGW, "State": "available"}
    ]
    propagations = [
        {
            "TransitGatewayAttachmentId": att,
            "ResourceId": vpc,
            "ResourceType": "vpc",
            "State": "enabled",
        }
        for att, vpc, _ in atts
    ]
    routes = [
        {
            "DestinationCidrBlock": cidr,
            "Type": "propagated",
            "State": "active",
            "TransitGatewayAttachments": [
                {"TransitGatewayAttachmentId": att, "ResourceId": vpc, "ResourceType": "vpc"}
            ],
        }
        for (att, vpc, _), cidr in zip(atts, ("10.0.0.0/16", "10.1.0.0/16"), strict=True)
    ]
    if "details" in wrappers:
        doc["TransitGatewayRouteTableDetails"] = [
            {"TransitGatewayRouteTableId": TGW_RTB, "Routes": routes, "Propagations": propagations}
        ]
    if "static" in wrappers:
        doc["TransitGatewayStaticRoutes"] = [
            {
                "TransitGatewayRouteTableId": TGW_RTB,
                "Routes": [],
                "AdditionalRoutesAvailable": False,
            }
        ]
    if "propagations" in wrappers:
        doc["TransitGatewayPropagations"] = [
            {
                "TransitGatewayRouteTableId": TGW_RTB,
                "TransitGatewayRouteTablePropagations": propagations,
            }
        ]
    return doc


@pytest.mark.parametrize("wrappers", [(), ("static",), ("propagations",)])
def test_tgw_route_table_without_its_routes_is_unknown_naming_the_commands(wrappers):
    a = agree(_tgw(*wrappers), ENI_APP, IP_APP, IP_B, 22)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == TGW_RTB
    assert f"search-transit-gateway-routes --transit-gateway-route-table-id {TGW_RTB}" in a.reason
    assert "get-transit-gateway-route-table-propagations" in a.reason


@pytest.mark.parametrize("wrappers", [("details",), ("static", "propagations")])
def test_tgw_route_table_with_its_routes_routes(wrappers):
    assert agree(_tgw(*wrappers), ENI_APP, IP_APP, IP_B, 22).verdict is Verdict.REACHABLE
    assert netcheck.load(_tgw(*wrappers)).network.get(TGW_RTB).routes_known


def test_tgw_route_table_without_routes_is_a_warning():
    snap = netcheck.load(_tgw("propagations"))
    assert not snap.network.get(TGW_RTB).routes_known
    assert any(TGW_RTB in str(d) and "unknown" in str(d) for d in snap.diagnostics)


# -- active routes whose target is not in the snapshot --------------------------------------


@pytest.mark.parametrize(
    ("route", "target", "dst"),
    [
        (
            {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0gone"},
            "nat-0gone",
            "8.8.8.8",
        ),
        (
            {"DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-0gone"},
            "pcx-0gone",
            IP_B,
        ),
        (
            {"DestinationCidrBlock": "52.216.0.0/15", "GatewayId": "vpce-0gone"},
            "vpce-0gone",
            S3_HOST,
        ),
        ({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0gone"}, "igw-0gone", "8.8.8.8"),
        (
            {"DestinationCidrBlock": "10.1.0.0/16", "TransitGatewayId": "tgw-0gone"},
            "tgw-0gone",
            IP_B,
        ),
    ],
)
def test_active_route_to_a_target_not_in_the_snapshot_is_unknown(route, target, dst):
    doc = vpc_a(routes=[{**route, "State": "active"}])
    a = agree(doc, ENI_APP, IP_APP, dst, 443)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == target
    assert RTB_A in a.reason and route["DestinationCidrBlock"] in a.reason
    assert "not in the snapshot" in a.reason


def test_blackhole_route_to_a_missing_target_still_drops():
    route = {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0gone", "State": "blackhole"}
    a = agree(vpc_a(routes=[route]), ENI_APP, IP_APP, "8.8.8.8", 443)
    assert a.verdict is Verdict.UNREACHABLE
    assert "BAD_STATE_ROUTE" in {b.code for b in a.proof.blockers}


def test_active_route_to_a_present_but_unusable_target_still_drops():
    doc = vpc_a(routes=[{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": IGW, "State": "active"}])
    doc = copy.deepcopy(doc)
    doc["InternetGateways"][0]["Attachments"] = []  # detached: present, not usable from vpc-0a
    a = agree(doc, ENI_WEB, IP_WEB, "8.8.8.8", 443)
    assert a.verdict is Verdict.UNREACHABLE


# -- an RDS instance whose network interface is not in the snapshot -------------------------

DB = "db-orders"
SG_DB = "sg-0db"


def _rds(with_interface: bool) -> dict[str, Any]:
    """db-orders in the app subnet (its group admits tcp/5432 from 10.0.0.0/16), with or
    without the interface AWS gives it (describe-network-interfaces, RDSNetworkInterface)."""
    doc = vpc_a()
    doc["SecurityGroups"].append(
        {
            "GroupId": SG_DB,
            "GroupName": "db",
            "VpcId": VPC_A,
            "Description": "db",
            "IpPermissions": [tcp_from("10.0.0.0/16", 5432)],
            "IpPermissionsEgress": [],
        }
    )
    doc["DBInstances"] = [
        {
            "DBInstanceIdentifier": DB,
            "Engine": "postgres",
            "DBInstanceStatus": "available",
            "PubliclyAccessible": False,
            "Endpoint": {"Address": f"{DB}.abc.us-east-1.rds.amazonaws.com", "Port": 5432},
            "DBSubnetGroup": {
                "DBSubnetGroupName": "db",
                "VpcId": VPC_A,
                "Subnets": [{"SubnetIdentifier": SUB_A2, "SubnetAvailabilityZone": {"Name": AZ_A}}],
            },
            "VpcSecurityGroups": [{"VpcSecurityGroupId": SG_DB, "Status": "active"}],
        }
    ]
    if with_interface:
        doc["NetworkInterfaces"].append(
            {
                "NetworkInterfaceId": "eni-0db",
                "SubnetId": SUB_A2,
                "VpcId": VPC_A,
                "AvailabilityZone": AZ_A,
                "InterfaceType": "interface",
                "Description": "RDSNetworkInterface",
                "RequesterId": "amazon-rds",
                "RequesterManaged": True,
                "Groups": [{"GroupId": SG_DB, "GroupName": "db"}],
                "PrivateIpAddress": "10.0.2.50",
                "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": "10.0.2.50"}],
                "SourceDestCheck": True,
                "Status": "in-use",
            }
        )
    return doc


def test_rds_without_its_interface_is_unknown_not_an_input_error():
    a = netcheck.load(_rds(False)).query(ENI_WEB, DB, protocol="tcp", port=5432)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == DB
    assert "describe-network-interfaces" in a.reason and "RDSNetworkInterface" in a.reason


def test_rds_with_its_interface_is_decided():
    snap = netcheck.load(_rds(True))
    assert snap.query(ENI_WEB, DB, protocol="tcp", port=5432).verdict is Verdict.REACHABLE
    assert snap.query(ENI_WEB, DB, protocol="tcp", port=22).verdict is Verdict.UNREACHABLE


def test_rds_without_its_interface_leaves_the_set_unknown():
    s = netcheck.load(_rds(False)).reachable_set(ENI_WEB, DB, protocol="tcp")
    assert s.status == "unknown" and DB in s.reason


def test_rds_without_its_interface_makes_the_data_store_rule_undecided():
    result = netcheck.check(netcheck.load(_rds(False)), select=["NC-007"])
    assert not result.findings
    assert [u.rule_id for u in result.undecided] == ["NC-007"], result
    assert result.exit_code == 3


# -- a source in a peered VPC of another account or region ----------------------------------

PCX = "pcx-0xacct"
REMOTE_VPC = "vpc-0remote"
REMOTE_IP = "10.50.1.5"


def _peered(*, route_back: bool = True, nacl_denies_remote: bool = False) -> dict[str, Any]:
    """vpc-0a peered (active) with vpc-0remote (10.50.0.0/16) of account 444455556666 in
    us-west-2, which is not in the snapshot; vpc-0a's table routes 10.50.0.0/16 back over the
    connection (`route_back`); eni-0app admits tcp/22 from 10.0.0.0/8."""
    routes = (
        [{"DestinationCidrBlock": "10.50.0.0/16", "VpcPeeringConnectionId": PCX, "State": "active"}]
        if route_back
        else []
    )
    doc = vpc_a(routes=routes, app_ingress=[tcp_from("10.0.0.0/8", 22)])
    doc["VpcPeeringConnections"] = [
        {
            "VpcPeeringConnectionId": PCX,
            "Status": {"Code": "active", "Message": "Active"},
            "RequesterVpcInfo": {
                "VpcId": VPC_A,
                "OwnerId": "111122223333",
                "Region": "us-east-1",
                "CidrBlock": "10.0.0.0/16",
                "CidrBlockSet": [{"CidrBlock": "10.0.0.0/16"}],
            },
            "AccepterVpcInfo": {
                "VpcId": REMOTE_VPC,
                "OwnerId": "444455556666",
                "Region": "us-west-2",
                "CidrBlock": "10.50.0.0/16",
                "CidrBlockSet": [{"CidrBlock": "10.50.0.0/16"}],
            },
        }
    ]
    if nacl_denies_remote:
        doc["NetworkAcls"][0]["Entries"].insert(
            0,
            {
                "RuleNumber": 50,
                "Protocol": "-1",
                "RuleAction": "deny",
                "Egress": False,
                "CidrBlock": "10.50.0.0/16",
            },
        )
    return doc


def _peered_agree(doc: dict[str, Any], src: str, port: int):
    snap = netcheck.load(doc)
    answer = snap.query(src, ENI_APP, protocol="tcp", port=port)
    origin = Origin(kind=OriginKind.PEERING, peering_id=PCX)
    walked = walker_verdict(snap.network, origin, tcp(src, IP_APP, port))
    assert walked == answer.verdict.value, (walked, answer)
    return answer


def test_source_in_a_peered_vpc_outside_the_snapshot_enters_over_the_peering():
    a = _peered_agree(_peered(), REMOTE_IP, 22)
    assert a.verdict is Verdict.REACHABLE
    assert a.witness.path[0].component_id == PCX
    assert a.witness.return_path[-1].component_id == PCX
    assert "peered VPC" in a.witness.origin


def test_peered_source_answers_on_the_local_filters():
    a = _peered_agree(_peered(), REMOTE_IP, 80)  # eni-0app admits only tcp/22
    assert a.verdict is Verdict.UNREACHABLE
    assert "ENI_SG_RULES_MISMATCH" in {b.code for b in a.proof.blockers}
    b = _peered_agree(_peered(nacl_denies_remote=True), REMOTE_IP, 22)
    assert b.verdict is Verdict.UNREACHABLE
    assert "SUBNET_ACL_RESTRICTION" in {x.code for x in b.proof.blockers}


def test_peered_source_needs_the_route_back_over_the_peering():
    a = _peered_agree(_peered(route_back=False), REMOTE_IP, 22)
    assert a.verdict is Verdict.UNREACHABLE


def test_a_peered_source_in_exposure_and_diff():
    """The peered origin in the set questions: exposure lists what it reaches (tcp/22 to the
    app, its witness replayed by the walker from the peering), and a diff that closes the
    route back over the peering removes exactly that."""
    snap = netcheck.load(_peered())
    ex = snap.exposure(REMOTE_IP)
    app = next(r for r in ex.resources if ENI_APP in r.interfaces)
    assert app.reachable and app.status == "complete", app.reason
    assert {(b.protocol, b.dst_ports) for b in app.boxes} == {("tcp", ((22, 22),))}
    assert all("peered VPC" in b.witness.origin for b in app.boxes if b.witness)
    d = diff(snap, netcheck.load(_peered(route_back=False)), src=REMOTE_IP)
    assert d.status == "complete", [p.reason for p in d.pairs]
    assert not d.changed and all(p.added == () for p in d.pairs)
    app_id = app.id
    (pair,) = [p for p in d.pairs if p.dst == app_id]
    assert {(c.box.protocol, c.box.dst_ports) for c in pair.removed} == {("tcp", ((22, 22),))}


def test_address_in_no_peered_vpc_still_cannot_start():
    from netcheck.errors import QueryError

    with pytest.raises(QueryError, match="packets cannot start there"):
        netcheck.load(_peered()).query("10.60.1.5", ENI_APP, protocol="tcp", port=22)


def test_active_route_to_a_tgw_without_the_vpcs_attachment_in_the_snapshot_is_unknown():
    doc = _tgw("details")
    doc["TransitGatewayAttachments"] = [
        a for a in doc["TransitGatewayAttachments"] if a["ResourceId"] != VPC_A
    ]
    doc["TransitGatewayVpcAttachments"] = [
        a for a in doc["TransitGatewayVpcAttachments"] if a["VpcId"] != VPC_A
    ]
    a = agree(doc, ENI_APP, IP_APP, IP_B, 22)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == TGW and VPC_A in a.reason
    assert "describe-transit-gateway-attachments" in a.reason


def test_rds_without_its_interface_as_the_source_is_unknown():
    snap = netcheck.load(_rds(False))
    a = snap.query(DB, ENI_WEB, protocol="tcp", port=443)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == DB and "RDSNetworkInterface" in a.reason
    s = snap.reachable_set(DB, ENI_WEB, protocol="tcp")
    assert s.status == "unknown" and DB in s.reason


def test_rds_without_its_interface_as_the_origin_of_exposure_and_diff_is_unknown():
    """Every question, not only query: what the DB instance reaches is unknown for every
    resource (exposure) and for every pair (diff) — not an input error (exit 2)."""
    snap = netcheck.load(_rds(False))
    ex = snap.exposure(DB)
    assert ex.resources and all(
        r.status == "unknown" and not r.reachable and "RDSNetworkInterface" in (r.reason or "")
        for r in ex.resources
    )
    changed = _rds(False)
    changed["Vpcs"][0]["Tags"] = [{"Key": "Name", "Value": "renamed"}]  # any change at all
    d = diff(snap, netcheck.load(changed), src=DB)
    assert d.status == "unknown" and d.pairs
    assert all("RDSNetworkInterface" in (p.reason or "") for p in d.pairs)
