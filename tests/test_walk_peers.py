"""Concrete walker on Batfish's AWS peer snapshots: facts N1-N5 (test-nat-gateway) and
H1-H3, H10 (hybrid-cloud) of ../shared/peers/batfish-aws/expected.md, with concrete packets.

Skipped when ../shared/peers is absent (see conftest.py).
"""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from netcheck.inputs import load_snapshot
from netcheck.model import Network, SecurityGroup
from netcheck.model.packet import DispositionKind, Origin, OriginKind, Packet
from netcheck.walk import Trace, walk, walk_connection

pytestmark = pytest.mark.peers

INTERNET = Origin(kind=OriginKind.INTERNET)


def tcp(src: str, dst: str, dst_port: int, src_port: int = 49152) -> Packet:
    return Packet(src_ip=src, dst_ip=dst, protocol=6, src_port=src_port, dst_port=dst_port)  # type: ignore[arg-type]


def origin_at(net: Network, address: str) -> Origin:
    (eni,) = net.interfaces_with_address(ip_address(address))
    return Origin(kind=OriginKind.INTERFACE, interface_id=eni.id)


def path(t: Trace) -> list[str]:
    return [h.component_id for h in t.hops]


# -- test-nat-gateway (AwsConfigurationNatGatewayTest.java) --------------------------------------

NAT = "nat-07ab4846da51f4612"
NAT_EIP, NAT_IP = "3.135.127.225", "10.1.250.210"
IGW = "igw-071753b9c23d8a9b2"
TEST1_IP, TEST1_ENI = "10.1.1.98", "eni-0e4ce6a7777b9bff8"
JUMP_IP = "10.1.250.116"


@pytest.fixture
def nat_net(test_nat_gateway) -> Network:
    return load_snapshot(test_nat_gateway).network


def test_n1_instance_to_internet_through_the_nat(nat_net):
    c = walk_connection(nat_net, tcp(TEST1_IP, "8.8.8.8", 80), origin_at(nat_net, TEST1_IP))
    f = c.forward
    assert f.disposition.kind is DispositionKind.EXITS_INTERNET
    p = path(f)
    assert p.index(NAT) < p.index(IGW)
    nat_hop = next(h for h in f.hops if h.component_id == NAT)
    assert nat_hop.packet_out is not None and str(nat_hop.packet_out.src_ip) == NAT_IP
    assert 1024 <= nat_hop.packet_out.src_port <= 65535
    final = f.disposition.final_packet
    assert final is not None and str(final.src_ip) == NAT_EIP


def test_n2_return_flow_is_accepted_at_test1(nat_net):
    c = walk_connection(nat_net, tcp(TEST1_IP, "8.8.8.8", 80), origin_at(nat_net, TEST1_IP))
    assert c.success and c.reply is not None
    d = c.reply.disposition
    assert (d.kind, d.component_id) == (DispositionKind.DELIVERED, TEST1_ENI)
    p = path(c.reply)
    assert p[:2] == ["internet", IGW] and p.index(IGW) < p.index(NAT)
    assert not [h for h in c.reply.hops if h.kind == "security-group"]


def test_n3_unsupported_ip_protocol_denied_at_the_nat(nat_net):
    an = Packet(src_ip=TEST1_IP, dst_ip="8.8.8.8", protocol=107)  # type: ignore[arg-type]
    t = walk(nat_net, an, origin_at(nat_net, TEST1_IP))
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "NGW_PROTOCOL_RESTRICTION",
        NAT,
    )


def test_n4_unsolicited_inbound_to_the_nat_eip(nat_net):
    t = walk(nat_net, tcp("8.8.8.8", NAT_EIP, 80), INTERNET)
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "NGW_NO_UNSOLICITED_INBOUND",
        NAT,
    )
    assert path(t)[:2] == ["internet", IGW] and path(t)[-1] == NAT


def test_n5_intra_subnet_packet_to_the_nat(nat_net):
    t = walk(nat_net, tcp(JUMP_IP, NAT_IP, 80), origin_at(nat_net, JUMP_IP))
    d = t.disposition
    assert (d.code, d.component_id) == ("NGW_NO_UNSOLICITED_INBOUND", NAT)
    # Straight over the shared subnet: no network ACL on the way.
    assert [h.kind for h in t.hops] == [
        "eni-egress",
        "security-group",
        "route-table",
        "nat-gateway",
    ]


# -- hybrid-cloud (pybatfish notebook) --------------------------------------------------------

EAST2_PRIVATE, EAST2_PUBLIC = "10.30.1.166", "10.20.1.207"
EAST2_PUBLIC_EIP, WEST2_PUBLIC_EIP = "13.59.144.125", "54.191.42.182"
EAST2_PUBLIC_ENI, WEST2_PUBLIC_ENI = "eni-01997085076a9b98a", "eni-087e18628dadd9b48"
TGW_EAST2 = "tgw-06b348adabd13452d"
IGW_EAST2, IGW_WEST2 = "igw-02fd68f94367a67c7", "igw-0a8309f3192e7cea3"


@pytest.fixture
def hybrid(hybrid_cloud) -> Network:
    return load_snapshot(hybrid_cloud).network


def test_h1_private_to_public_instance_through_the_tgw(hybrid):
    c = walk_connection(
        hybrid, tcp(EAST2_PRIVATE, EAST2_PUBLIC, 22), origin_at(hybrid, EAST2_PRIVATE)
    )
    assert c.success
    d = c.forward.disposition
    assert (d.kind, d.component_id) == (DispositionKind.DELIVERED, EAST2_PUBLIC_ENI)
    p = path(c.forward)
    assert TGW_EAST2 in p
    # The notebook names acl-0b3d egress and acl-09c0 ingress. Both instances sit in their
    # VPC's TGW attachment subnet, so forwarding.md (AWS "Network ACLs for transit gateways")
    # evaluates acl-0b3d outbound and inbound on the way to the TGW and no rules from the TGW
    # to east2_public; acl-09c0 is evaluated on the reply (outbound and inbound).
    acls = [h.detail for h in c.forward.hops if h.kind == "network-acl"]
    assert [h.component_id for h in c.forward.hops if h.kind == "network-acl"] == [
        "acl-0b3d0f6b0978f09f8",
        "acl-0b3d0f6b0978f09f8",
    ], acls
    assert p.index("acl-0b3d0f6b0978f09f8") < p.index(TGW_EAST2)
    assert "acl-09c0bb4e71ae5f9e4" not in p
    assert c.reply is not None and "acl-09c0bb4e71ae5f9e4" in path(c.reply)
    assert p[-2:] == ["sg-0e37fc2ef01c89369", EAST2_PUBLIC_ENI]


def test_h2_public_to_other_regions_private_ip_fails(hybrid):
    t = walk(hybrid, tcp(EAST2_PUBLIC, "10.40.2.80", 22), origin_at(hybrid, EAST2_PUBLIC))
    d = t.disposition
    assert (d.kind, d.code) == (DispositionKind.DROPPED, "IGW_DESTINATION_RFC1918")
    igw_hop = next(h for h in t.hops if h.component_id == IGW_EAST2)
    assert igw_hop.packet_out is not None and str(igw_hop.packet_out.src_ip) == EAST2_PUBLIC_EIP


def test_h3_public_to_other_regions_public_ip_is_accepted(hybrid):
    c = walk_connection(
        hybrid, tcp(EAST2_PUBLIC, WEST2_PUBLIC_EIP, 22), origin_at(hybrid, EAST2_PUBLIC)
    )
    assert c.success
    f = c.forward
    assert f.disposition.component_id == WEST2_PUBLIC_ENI
    p = path(f)
    assert p.index(IGW_EAST2) < p.index("internet") < p.index(IGW_WEST2)
    assert p.index(IGW_WEST2) < p.index("acl-087574e8620270842")
    snat = next(h for h in f.hops if h.component_id == IGW_EAST2).packet_out
    dnat = next(h for h in f.hops if h.component_id == IGW_WEST2).packet_out
    assert snat is not None and str(snat.src_ip) == EAST2_PUBLIC_EIP
    assert dnat is not None and str(dnat.dst_ip) == "10.40.2.80"


def test_h10_h11_internet_to_mysql_on_east2_public(hybrid):
    c = walk_connection(hybrid, tcp("8.8.8.8", EAST2_PUBLIC_EIP, 3306), INTERNET)
    assert c.success
    f = c.forward
    assert f.disposition.component_id == EAST2_PUBLIC_ENI
    assert path(f) == [
        "internet",
        IGW_EAST2,
        "acl-09c0bb4e71ae5f9e4",
        "sg-0e37fc2ef01c89369",
        EAST2_PUBLIC_ENI,
    ]
    sg_hop = f.hops[3]
    group = hybrid.get("sg-0e37fc2ef01c89369")
    assert isinstance(group, SecurityGroup)
    rule = next(r for r in group.ingress if r.rule_id == sg_hop.rule)
    assert rule.description == "Connectivity test"
    assert rule.port_range is not None and (rule.port_range.start, rule.port_range.end) == (
        3306,
        3306,
    )
