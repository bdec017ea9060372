"""The two Batfish peer snapshots load completely, with exact counts and field values."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from netcheck.errors import Severity
from netcheck.inputs import load_snapshot
from netcheck.model import (
    ICMP,
    TCP,
    Direction,
    InterfaceOwnerKind,
    RouteTargetKind,
    RuleAction,
    TransitGatewayAttachmentType,
)

pytestmark = pytest.mark.peers

# hybrid-cloud entities (expected.md, section A)
EAST2_PUBLIC_ENI = "eni-01997085076a9b98a"
EAST2_PUBLIC_SUBNET = "subnet-06a692ed4ef84368d"
EAST2_PUBLIC_VPC = "vpc-0574d08f8d05917e4"
EAST2_PRIVATE_SUBNET = "subnet-0cb5f4c094bee5214"
EAST2_TGW_RTB = "tgw-rtb-00e37bc5142347b03"
DELETING_PEERING = "tgw-attach-0cc6cf6a578b754e3"
LAUNCH_WIZARD_1 = "sg-0e37fc2ef01c89369"

# test-nat-gateway entities (expected.md, section B)
NAT = "nat-07ab4846da51f4612"
NAT_ENI = "eni-017aaec115610308a"
PUBLIC_SUBNET = "subnet-0428892a357fa1f94"
SUBNET_1 = "subnet-06f469bcee42e408e"
SUBNET_20 = "subnet-02ff259e663e9613e"
JUMP_SG = "sg-0253af84ae6485905"


def _counts(network):
    return {
        name: len(getattr(network, name))
        for name in type(network).model_fields
        if isinstance(getattr(network, name), tuple) and name not in ("notes", "onprem_cidrs")
    }


def test_hybrid_cloud_counts(hybrid_cloud):
    result = load_snapshot(hybrid_cloud, strict=True)
    assert _counts(result.network) == {
        "vpcs": 4,
        "subnets": 8,
        "route_tables": 4,
        "network_acls": 4,
        "security_groups": 8,
        "network_interfaces": 8,
        "instances": 4,
        "db_instances": 0,
        "internet_gateways": 2,
        "egress_only_internet_gateways": 0,
        "nat_gateways": 0,
        "vpc_endpoints": 0,
        "vpc_peering_connections": 0,
        "transit_gateways": 2,
        "transit_gateway_attachments": 6,
        "transit_gateway_route_tables": 2,
        "vpn_gateways": 0,
        "vpn_connections": 2,
        "prefix_lists": 4,
        "regional_nat_gateways": 0,
        "transit_gateway_multicast_domains": 0,
        "block_public_access_exclusions": 0,
        "idle_addresses": 0,
    }
    # Only notes: nothing unknown, nothing dangling.
    assert {d.severity for d in result.diagnostics} == {Severity.NOTE}


def test_hybrid_cloud_deleting_peering_left_out_with_a_note(hybrid_cloud):
    result = load_snapshot(hybrid_cloud)
    assert result.network.get(DELETING_PEERING) is None
    notes = [d for d in result.diagnostics if d.resource_id == DELETING_PEERING]
    assert any("left out" in d.message and "deleting" in d.message for d in notes)
    assert notes[0].file is not None and notes[0].file.endswith("TransitGatewayAttachments.json")
    assert any(DELETING_PEERING in n for n in result.network.notes)


def test_hybrid_cloud_field_values(hybrid_cloud):
    net = load_snapshot(hybrid_cloud).network
    subnet = net.subnet(EAST2_PUBLIC_SUBNET)
    assert subnet.route_table_id == "rtb-0aa3f1bdeb6d18dd3"
    assert subnet.route_table_is_main is True
    assert subnet.network_acl_id == "acl-09c0bb4e71ae5f9e4"
    assert subnet.region == "us-east-2" and subnet.account is None
    assert subnet.cidr_block == IPv4Network("10.20.1.0/24")
    assert subnet.tags == {"Name": "sub-1-1"}

    eni = net.interface(EAST2_PUBLIC_ENI)
    assert eni.public_ips == (IPv4Address("13.59.144.125"),)
    assert eni.primary_address == IPv4Address("10.20.1.207")
    assert eni.owner_kind is InterfaceOwnerKind.INSTANCE
    assert eni.owner_id == "i-01602d9efaed4409a"
    assert eni.group_ids == (LAUNCH_WIZARD_1,)

    tgw_eni = net.interface("eni-03ca2c3d64376a98b")
    assert tgw_eni.owner_kind is InterfaceOwnerKind.TRANSIT_GATEWAY_ATTACHMENT
    assert tgw_eni.owner_id == "tgw-attach-021f89744fac566dd"
    assert tgw_eni.source_dest_check is False

    table = net.route_table("rtb-0aa3f1bdeb6d18dd3")
    by_dest = {str(r.destination): r for r in table.routes}
    assert by_dest["0.0.0.0/0"].target_kind is RouteTargetKind.INTERNET_GATEWAY
    assert by_dest["0.0.0.0/0"].target_id == "igw-02fd68f94367a67c7"
    assert by_dest["10.20.0.0/16"].target_kind is RouteTargetKind.LOCAL
    assert by_dest["203.0.113.0/24"].target_kind is RouteTargetKind.TRANSIT_GATEWAY
    assert by_dest["203.0.113.0/24"].provenance.path == "$.RouteTables[1].Routes[0]"

    sg = net.security_group(LAUNCH_WIZARD_1)
    mysql = [r for r in sg.ingress if r.port_range and r.port_range.start == 3306]
    assert len(mysql) == 1
    assert mysql[0].protocol == TCP and mysql[0].description == "Connectivity test"
    assert mysql[0].rule_id == f"{LAUNCH_WIZARD_1}:ingress:1:cidr:0"
    assert str(mysql[0].cidr) == "0.0.0.0/0"

    rtb = net.transit_gateway_route_tables[0]
    assert rtb.id == EAST2_TGW_RTB
    assert rtb.propagation_attachment_ids == (
        "tgw-attach-021f89744fac566dd",
        "tgw-attach-0648110513acd6de5",
        "tgw-attach-0881ce2eb93cd63a8",
    )
    assert rtb.association_attachment_ids == rtb.propagation_attachment_ids
    assert rtb.default_association and rtb.default_propagation
    routes = {str(r.destination): r.attachment_ids for r in net.transit_gateway_routes(rtb.id)}
    assert routes == {
        "10.20.0.0/16": ("tgw-attach-0648110513acd6de5",),
        "10.30.0.0/16": ("tgw-attach-021f89744fac566dd",),
    }

    att = net.get("tgw-attach-021f89744fac566dd")
    assert att.resource_type is TransitGatewayAttachmentType.VPC
    assert att.subnet_ids == (EAST2_PRIVATE_SUBNET,)
    assert att.association_route_table_id == EAST2_TGW_RTB
    vpn_att = net.get("tgw-attach-0881ce2eb93cd63a8")
    assert vpn_att.resource_type is TransitGatewayAttachmentType.VPN
    assert vpn_att.resource_id == "vpn-01c45673532d3e33e"

    tgw = net.get("tgw-06b348adabd13452d")
    assert tgw.association_default_route_table_id == EAST2_TGW_RTB
    assert tgw.default_route_table_propagation is True
    vpn = net.get("vpn-01c45673532d3e33e")
    assert vpn.transit_gateway_id == "tgw-06b348adabd13452d"
    assert vpn.static_routes_only is False and vpn.onprem_cidrs == ()

    s3 = net.prefix_list("pl-7ba54012")
    assert s3.prefix_list_name == "com.amazonaws.us-east-2.s3"
    assert len(s3.entries) == 4
    assert net.internet_gateway_of(EAST2_PUBLIC_VPC).id == "igw-02fd68f94367a67c7"
    assert sorted(i.id for i in net.instances) == [
        "i-01602d9efaed4409a",
        "i-02cae6eaa9edeed70",
        "i-04cd3db5124a05ee6",
        "i-0a5d64b8b58c6dd09",
    ]


def test_test_nat_gateway(test_nat_gateway):
    result = load_snapshot(test_nat_gateway, strict=True)
    net = result.network
    assert result.diagnostics == ()
    assert _counts(net)["instances"] == 3
    assert _counts(net)["network_interfaces"] == 4
    assert [s.id for s in net.subnets] == [SUBNET_20, PUBLIC_SUBNET, SUBNET_1]
    assert net.subnet(SUBNET_1).route_table_id == "rtb-02fe228b42de92a7c"
    assert net.subnet(SUBNET_1).route_table_is_main is False
    assert net.subnet(SUBNET_20).route_table_id == "rtb-0e169c4a1e0b27b55"
    assert net.subnet(SUBNET_20).route_table_is_main is True
    assert net.subnet(PUBLIC_SUBNET).network_acl_id == "acl-0792adae678b88f85"
    assert net.subnet(SUBNET_1).network_acl_id == "acl-0380e24eb934b075e"
    assert all(s.region is None for s in net.subnets)

    nat_route = [r for r in net.route_table("rtb-02fe228b42de92a7c").routes if r.target_id == NAT]
    assert nat_route[0].target_kind is RouteTargetKind.NAT_GATEWAY

    nat = net.nat_gateways[0]
    assert nat.id == NAT and nat.subnet_id == PUBLIC_SUBNET
    assert nat.addresses[0].public_ip == IPv4Address("3.135.127.225")
    eni = net.interface(NAT_ENI)
    assert eni.owner_kind is InterfaceOwnerKind.NAT_GATEWAY and eni.owner_id == NAT
    assert eni.private_addresses[0].public_ip == IPv4Address("3.135.127.225")
    assert eni.private_addresses[0].allocation_id == "eipalloc-0353e2d101e93f4a1"

    acl = net.network_acl("acl-0792adae678b88f85")
    first_in = acl.ordered(Direction.INGRESS)[0]
    assert (first_in.rule_number, first_in.protocol, first_in.action) == (
        100,
        ICMP,
        RuleAction.ALLOW,
    )
    assert (first_in.icmp_type, first_in.icmp_code) == (-1, -1)
    assert str(first_in.cidr) == "10.1.1.0/24"
    assert [e.rule_text for e in acl.ordered(Direction.INGRESS)] == ["100", "200", "*"]

    icmp = [r for r in net.security_group(JUMP_SG).ingress if r.protocol == ICMP]
    assert (icmp[0].icmp_type, icmp[0].icmp_code, icmp[0].port_range) == (8, 0, None)
    assert net.get("i-0b31b509174d7f5de").tags == {"Name": "Jump Host"}
    assert net.get("i-0b31b509174d7f5de").interface_ids == ("eni-068fb5a0a9a57f23c",)
