"""Security-group references across VPCs (docs/semantics/forwarding.md "Security group
references"): a reference to a group of another VPC matches over a VPC peering connection
(inbound for packets that arrived over it, outbound for packets routed into it) and across a
transit gateway only in inbound rules, only with `SecurityGroupReferencingSupport` enabled on
the TGW and on both VPC attachments; a setting missing from the snapshot is unknown. Each case
asserts the engine's answer and that the walker agrees."""

from __future__ import annotations

from typing import Any

import pytest
from strategies import Builder, egress, from_eni, ingress, ports, route, tcp
from test_engine_properties import engine, walker_verdict

import netcheck
from netcheck.api import Snapshot, Verdict
from netcheck.model import Network
from netcheck.model.base import TCP
from netcheck.model.resolve import Header

ENI_A, IP_A = "eni-a", "10.1.1.10"  # vpc-a, carries sg-app
ENI_B, IP_B = "eni-b", "10.2.1.10"  # vpc-b, carries sg-db (tcp/5432 from sg-app)
ENI_C, IP_C = "eni-c", "10.3.1.10"  # vpc-c, carries sg-app too
TGW, ATT_A, ATT_B = "tgw-1", "tgw-attach-a", "tgw-attach-b"


def net(
    link: str,
    *,
    tgw: bool | None = True,
    att_a: bool | None = True,
    att_b: bool | None = True,
    app_egress_to_db_only: bool = False,
    with_c: bool = False,
) -> Network:
    """vpc-a (10.1/16) and vpc-b (10.2/16) joined by `link`: "pcx" (pcx-ab, routes both
    ways), "tgw" (tgw-1, one route table) or "both" (the peering exists, routes go to the
    TGW). sg-db on eni-b admits tcp/5432 from sg-app; sg-app on eni-a sends anywhere, or only
    to sg-db. `with_c`: vpc-c (10.3/16) peered with vpc-b, eni-c there also in sg-app."""
    b = Builder()
    app_out = (egress(TCP, ports(5432), group="sg-db"),) if app_egress_to_db_only else (egress(),)
    b.sg("sg-app", "vpc-a", *app_out)
    b.sg("sg-db", "vpc-b", ingress(TCP, ports(5432), group="sg-app"), egress())
    b.vpc("vpc-a", "10.1.0.0/16")
    b.vpc("vpc-b", "10.2.0.0/16")
    b.subnet("subnet-a", "vpc-a", "10.1.1.0/24")
    b.subnet("subnet-b", "vpc-b", "10.2.1.0/24")
    b.eni(ENI_A, "subnet-a", IP_A, "sg-app")
    b.eni(ENI_B, "subnet-b", IP_B, "sg-db")
    routes_a, routes_b = [], [route("10.3.0.0/16", "vpc-peering-connection", "pcx-cb")]
    if link in ("pcx", "both"):
        b.pcx("pcx-ab", "vpc-a", "vpc-b")
    if link == "pcx":
        routes_a.append(route("10.2.0.0/16", "vpc-peering-connection", "pcx-ab"))
        routes_b.append(route("10.1.0.0/16", "vpc-peering-connection", "pcx-ab"))
    if link in ("tgw", "both"):
        b.tgw(TGW, sg_referencing=tgw)
        b.tgw_vpc_attachment(ATT_A, TGW, "vpc-a", "subnet-a", sg_referencing=att_a)
        b.tgw_vpc_attachment(ATT_B, TGW, "vpc-b", "subnet-b", sg_referencing=att_b)
        b.tgw_route_table(
            "tgw-rtb-1", TGW, associations=(ATT_A, ATT_B), propagations=(ATT_A, ATT_B)
        )
        routes_a.append(route("10.0.0.0/8", "transit-gateway", TGW))
        routes_b.append(route("10.1.0.0/16", "transit-gateway", TGW))
    b.main_routes("vpc-a", *routes_a)
    if with_c:
        b.vpc("vpc-c", "10.3.0.0/16")
        b.subnet("subnet-c", "vpc-c", "10.3.1.0/24")
        b.eni(ENI_C, "subnet-c", IP_C, "sg-app")
        b.pcx("pcx-cb", "vpc-c", "vpc-b")
        b.main_routes("vpc-c", route("10.2.0.0/16", "vpc-peering-connection", "pcx-cb"))
    b.main_routes("vpc-b", *routes_b)
    return b.build()


def answer(network: Network, src: str, dst: str) -> Any:
    """The engine's answer for tcp/5432 `src` -> `dst`, after checking that the walker gives
    the same verdict for a concrete packet of the query."""
    a = Snapshot(network).query(src, dst, protocol="tcp", port=5432)
    ips = {ENI_A: IP_A, ENI_B: IP_B, ENI_C: IP_C}
    packet = tcp(ips[src], ips[dst], dst_port=5432)
    assert walker_verdict(network, from_eni(src), packet) == a.verdict.value, a
    got = engine(network, from_eni(src), Header(packet=packet))
    assert got.verdict == a.verdict.value
    return a


def blockers(a: Any) -> set[tuple[str, str]]:
    assert a.proof is not None, a
    return {(b.component_id, b.code) for b in a.proof.blockers}


def test_peer_group_reference_matches_traffic_over_the_peering():
    a = answer(net("pcx"), ENI_A, ENI_B)
    assert a.verdict is Verdict.REACHABLE
    assert "pcx-ab" in [h.component_id for h in a.witness.path]


def test_peer_group_reference_in_an_outbound_rule_matches_traffic_routed_into_the_peering():
    assert answer(net("pcx", app_egress_to_db_only=True), ENI_A, ENI_B).verdict is (
        Verdict.REACHABLE
    )


def test_reference_matches_the_members_in_the_vpc_the_packet_came_from():
    # eni-c carries sg-app too; its packet arrives over pcx-cb from vpc-c, whose members
    # match for it.
    assert answer(net("pcx", with_c=True), ENI_C, ENI_B).verdict is Verdict.REACHABLE
    # eni-a's packet arrives over pcx-ab: only vpc-a's members match (eni-a is one).
    assert answer(net("pcx", with_c=True), ENI_A, ENI_B).verdict is Verdict.REACHABLE


def test_reference_across_the_tgw_needs_the_option_on_the_tgw_and_both_attachments():
    assert answer(net("tgw"), ENI_A, ENI_B).verdict is Verdict.REACHABLE
    for off in ({"tgw": False}, {"att_a": False}, {"att_b": False}):
        a = answer(net("tgw", **off), ENI_A, ENI_B)
        assert a.verdict is Verdict.UNREACHABLE, off
        assert (ENI_B, "ENI_SG_RULES_MISMATCH") in blockers(a)


def test_reference_across_the_tgw_is_inbound_only():
    a = answer(net("tgw", app_egress_to_db_only=True), ENI_A, ENI_B)
    assert a.verdict is Verdict.UNREACHABLE
    assert (ENI_A, "ENI_SG_RULES_MISMATCH") in blockers(a)


def test_traffic_over_the_tgw_does_not_use_the_peering_s_reference():
    # The peering exists (the group is a peer's), but the packet crosses the TGW, where
    # referencing is disabled: the rule does not match.
    a = answer(net("both", tgw=False), ENI_A, ENI_B)
    assert a.verdict is Verdict.UNREACHABLE
    assert (ENI_B, "ENI_SG_RULES_MISMATCH") in blockers(a)


@pytest.mark.parametrize(
    ("missing", "resource"),
    [({"tgw": None}, TGW), ({"att_a": None}, ATT_A), ({"att_b": None}, ATT_B)],
)
def test_reference_across_the_tgw_with_the_option_missing_is_unknown(missing, resource):
    a = answer(net("tgw", **missing), ENI_A, ENI_B)
    assert a.verdict is Verdict.UNKNOWN
    assert resource in a.reason and "SecurityGroupReferencingSupport" in a.reason
    # A setting disabled elsewhere decides, whatever the missing one says.
    off = {"att_b": False} if resource == TGW else {"tgw": False}
    assert answer(net("tgw", **missing, **off), ENI_A, ENI_B).verdict is Verdict.UNREACHABLE


def test_same_vpc_members_match_whatever_the_path():
    b = Builder()
    b.sg("sg-app", "vpc-a", egress())
    b.sg("sg-db", "vpc-a", ingress(TCP, ports(5432), group="sg-app"), egress())
    b.vpc("vpc-a", "10.1.0.0/16")
    b.subnet("subnet-a", "vpc-a", "10.1.1.0/24")
    b.subnet("subnet-b", "vpc-a", "10.1.2.0/24")
    b.eni(ENI_A, "subnet-a", IP_A, "sg-app")
    b.eni(ENI_B, "subnet-b", "10.1.2.10", "sg-db")
    network = b.build()
    a = Snapshot(network).query(ENI_A, ENI_B, protocol="tcp", port=5432)
    assert a.verdict is Verdict.REACHABLE
    packet = tcp(IP_A, "10.1.2.10", dst_port=5432)
    assert walker_verdict(network, from_eni(ENI_A), packet) == "reachable"


# -- the same through describe-* documents -------------------------------------------------


def _acl(vpc: str, subnet: str) -> dict[str, Any]:
    entries = [
        {"CidrBlock": "0.0.0.0/0", "Egress": e, "Protocol": "-1", "RuleAction": a, "RuleNumber": n}
        for e in (True, False)
        for a, n in (("allow", 100), ("deny", 32767))
    ]
    return {
        "NetworkAclId": f"acl-{vpc}",
        "VpcId": vpc,
        "IsDefault": True,
        "Associations": [{"NetworkAclId": f"acl-{vpc}", "SubnetId": subnet}],
        "Entries": entries,
    }


ALL_OUT = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def describe_snapshot(tgw_options: dict[str, str], vpc_options: dict[str, str] | None) -> dict:
    """vpc-0a and vpc-0b attached to tgw-0a; sg-0db (vpc-0b) admits tcp/5432 from sg-0app
    (vpc-0a). `vpc_options`: the `Options` of both VPC attachments (None: no
    describe-transit-gateway-vpc-attachments output, only the generic attachments)."""
    doc: dict[str, Any] = {
        "Vpcs": [
            {"VpcId": "vpc-0a", "CidrBlock": "10.1.0.0/16", "State": "available"},
            {"VpcId": "vpc-0b", "CidrBlock": "10.2.0.0/16", "State": "available"},
        ],
        "Subnets": [
            {
                "SubnetId": f"subnet-0{x}",
                "VpcId": f"vpc-0{x}",
                "AvailabilityZone": "us-east-1a",
                "CidrBlock": f"10.{n}.1.0/24",
                "State": "available",
            }
            for x, n in (("a", 1), ("b", 2))
        ],
        "RouteTables": [
            {
                "RouteTableId": f"rtb-0{x}",
                "VpcId": f"vpc-0{x}",
                "Associations": [{"Main": True, "RouteTableId": f"rtb-0{x}"}],
                "Routes": [
                    {"DestinationCidrBlock": f"10.{n}.0.0/16", "GatewayId": "local"},
                    {"DestinationCidrBlock": "10.0.0.0/8", "TransitGatewayId": "tgw-0a"},
                ],
            }
            for x, n in (("a", 1), ("b", 2))
        ],
        "NetworkAcls": [_acl("vpc-0a", "subnet-0a"), _acl("vpc-0b", "subnet-0b")],
        "SecurityGroups": [
            {
                "GroupId": "sg-0app",
                "VpcId": "vpc-0a",
                "IpPermissions": [],
                "IpPermissionsEgress": [
                    {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
                ],
            },
            {
                "GroupId": "sg-0db",
                "VpcId": "vpc-0b",
                "IpPermissions": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 5432,
                        "ToPort": 5432,
                        "UserIdGroupPairs": [{"GroupId": "sg-0app", "UserId": "111122223333"}],
                    }
                ],
                "IpPermissionsEgress": [
                    {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
                ],
            },
        ],
        "NetworkInterfaces": [
            {
                "NetworkInterfaceId": f"eni-0{x}",
                "SubnetId": f"subnet-0{x}",
                "VpcId": f"vpc-0{x}",
                "AvailabilityZone": "us-east-1a",
                "PrivateIpAddress": f"10.{n}.1.10",
                "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": f"10.{n}.1.10"}],
                "Groups": [{"GroupId": g}],
                "SourceDestCheck": True,
                "Status": "in-use",
                "InterfaceType": "interface",
            }
            for x, n, g in (("a", 1, "sg-0app"), ("b", 2, "sg-0db"))
        ],
        "TransitGateways": [
            {"TransitGatewayId": "tgw-0a", "State": "available", "Options": tgw_options}
        ],
        "TransitGatewayAttachments": [
            {
                "TransitGatewayAttachmentId": f"tgw-attach-0{x}",
                "TransitGatewayId": "tgw-0a",
                "ResourceType": "vpc",
                "ResourceId": f"vpc-0{x}",
                "State": "available",
                "Association": {"State": "associated", "TransitGatewayRouteTableId": "tgw-rtb-0a"},
            }
            for x in "ab"
        ],
        "TransitGatewayRouteTables": [
            {"TransitGatewayRouteTableId": "tgw-rtb-0a", "TransitGatewayId": "tgw-0a"}
        ],
        "TransitGatewayRouteTableDetails": [
            {
                "TransitGatewayRouteTableId": "tgw-rtb-0a",
                "Associations": [
                    {"TransitGatewayAttachmentId": f"tgw-attach-0{x}", "State": "associated"}
                    for x in "ab"
                ],
                "Propagations": [
                    {"TransitGatewayAttachmentId": f"tgw-attach-0{x}", "State": "enabled"}
                    for x in "ab"
                ],
                "Routes": [],
            }
        ],
    }
    if vpc_options is not None:
        doc["TransitGatewayVpcAttachments"] = [
            {
                "TransitGatewayAttachmentId": f"tgw-attach-0{x}",
                "TransitGatewayId": "tgw-0a",
                "VpcId": f"vpc-0{x}",
                "SubnetIds": [f"subnet-0{x}"],
                "State": "available",
                "Options": vpc_options,
            }
            for x in "ab"
        ]
    return doc


ENABLE = {"SecurityGroupReferencingSupport": "enable"}
DISABLE = {"SecurityGroupReferencingSupport": "disable"}


def _query(doc: dict) -> Any:
    snap = netcheck.load(doc)
    a = snap.query("eni-0a", "eni-0b", protocol="tcp", port=5432)
    packet = tcp("10.1.1.10", "10.2.1.10", dst_port=5432)
    assert walker_verdict(snap.network, from_eni("eni-0a"), packet) == a.verdict.value, a
    return a


def test_describe_options_enable_everywhere_is_reachable():
    assert _query(describe_snapshot(ENABLE, ENABLE)).verdict is Verdict.REACHABLE


def test_describe_options_disable_on_the_tgw_is_unreachable():
    assert _query(describe_snapshot(DISABLE, ENABLE)).verdict is Verdict.UNREACHABLE


def test_describe_tgw_option_absent_is_unknown_naming_the_tgw():
    a = _query(describe_snapshot({}, ENABLE))
    assert a.verdict is Verdict.UNKNOWN
    assert "tgw-0a" in a.reason


def test_describe_attachment_option_absent_is_unknown_naming_the_attachment():
    a = _query(describe_snapshot(ENABLE, {"ApplianceModeSupport": "disable"}))
    assert a.verdict is Verdict.UNKNOWN
    assert "tgw-attach-0a" in a.reason


def test_loader_reads_the_three_states():
    snap = netcheck.load(describe_snapshot(ENABLE, DISABLE))
    assert snap.network.get("tgw-0a").security_group_referencing_support is True
    assert snap.network.get("tgw-attach-0a").security_group_referencing_support is False
    snap = netcheck.load(describe_snapshot({}, None))
    assert snap.network.get("tgw-0a").security_group_referencing_support is None
    assert snap.network.get("tgw-attach-0b").security_group_referencing_support is None
