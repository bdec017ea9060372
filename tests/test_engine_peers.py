"""The Batfish peer facts (../shared/peers/batfish-aws/expected.md) as engine tests:
H1-H12 on `hybrid-cloud`, N1-N5 on `test-nat-gateway`. Skipped when ../shared is absent."""

from __future__ import annotations

import pytest
from conftest import HYBRID_CLOUD, TEST_NAT_GATEWAY, require_peers

from netcheck.api import Snapshot, Verdict, load

pytestmark = pytest.mark.peers

EAST2_PRIVATE = "i-04cd3db5124a05ee6"
EAST2_PUBLIC = "i-01602d9efaed4409a"
WEST2_PRIVATE = "i-0a5d64b8b58c6dd09"
WEST2_PUBLIC = "i-02cae6eaa9edeed70"
EAST2_PUBLIC_ENI = "eni-01997085076a9b98a"
WEST2_PUBLIC_ENI = "eni-087e18628dadd9b48"
TGW_EAST = "tgw-06b348adabd13452d"
IGW_EAST = "igw-02fd68f94367a67c7"
SG_LAUNCH_WIZARD_1 = "sg-0e37fc2ef01c89369"

TEST1 = "i-0a128d26e59be60f3"
JUMP_HOST = "i-0b31b509174d7f5de"
NAT = "nat-07ab4846da51f4612"
NAT_PRIVATE = "10.1.250.210"
NAT_EIP = "3.135.127.225"
NAT_IGW = "igw-071753b9c23d8a9b2"


@pytest.fixture(scope="module")
def hybrid() -> Snapshot:
    require_peers()
    return load(HYBRID_CLOUD)


@pytest.fixture(scope="module")
def natnet() -> Snapshot:
    require_peers()
    return load(TEST_NAT_GATEWAY)


def components(hops):
    return [h.component_id for h in hops]


def blocker_codes(answer):
    return {b.code for b in answer.proof.blockers}


def test_h1_private_to_public_over_tgw(hybrid):
    a = hybrid.query(EAST2_PRIVATE, "10.20.1.207", protocol="tcp", port=22, src_port=49152)
    assert a.verdict is Verdict.REACHABLE
    path = a.witness.path
    assert str(a.witness.packet.src_ip) == "10.30.1.166"
    ids = components(path)
    # Both instances are in their VPC's TGW attachment subnet: acl-0b3d is evaluated outbound
    # and inbound on the way to the TGW, no rules from the TGW to east2_public, and acl-09c0
    # on the reply (forwarding.md, AWS "Network ACLs for transit gateways"; Batfish's trace
    # names acl-09c0 ingress on the forward path).
    assert ids.count("acl-0b3d0f6b0978f09f8") == 2 and EAST2_PUBLIC_ENI in ids
    assert "acl-09c0bb4e71ae5f9e4" not in ids
    assert "acl-09c0bb4e71ae5f9e4" in components(a.witness.return_path)
    assert any(h.kind == "transit-gateway-route-table" for h in path)
    assert a.witness.destination == EAST2_PUBLIC_ENI


def test_h2_public_to_other_region_private_ip_fails(hybrid):
    a = hybrid.query(EAST2_PUBLIC, "10.40.2.80", protocol="tcp", port=22, src_port=49152)
    assert a.verdict is Verdict.UNREACHABLE
    assert "IGW_DESTINATION_RFC1918" in blocker_codes(a)


def test_h3_public_to_other_region_public_ip(hybrid):
    a = hybrid.query(EAST2_PUBLIC, "54.191.42.182", protocol="tcp", port=22, src_port=49152)
    assert a.verdict is Verdict.REACHABLE
    w = a.witness
    igw_hops = [h for h in w.path if h.kind == "internet-gateway" and h.packet_out is not None]
    assert str(igw_hops[0].packet_out.src_ip) == "13.59.144.125"  # SNAT at the east IGW
    assert str(igw_hops[1].packet_out.dst_ip) == "10.40.2.80"  # DNAT at the west IGW
    assert w.destination == WEST2_PUBLIC_ENI
    assert "acl-087574e8620270842" in components(w.path)


@pytest.mark.parametrize(
    ("instance", "verdict"),
    [
        (EAST2_PUBLIC, Verdict.REACHABLE),  # H4
        (WEST2_PUBLIC, Verdict.REACHABLE),  # H5
        (EAST2_PRIVATE, Verdict.UNREACHABLE),  # H6
        (WEST2_PRIVATE, Verdict.UNREACHABLE),  # H7
    ],
)
def test_h4_to_h7_from_the_internet(hybrid, instance, verdict):
    assert hybrid.query("internet", instance).verdict is verdict


def test_h8_h9_non_ssh_from_the_internet(hybrid):
    east = hybrid.query("internet", EAST2_PUBLIC, protocol="tcp", port="23-65535")
    assert east.verdict is Verdict.REACHABLE
    assert east.witness.packet.dst_port >= 23
    west = hybrid.query("internet", WEST2_PUBLIC, protocol="tcp", port="23-65535")
    assert west.verdict is Verdict.UNREACHABLE
    assert any(
        b.code == "ENI_SG_RULES_MISMATCH" and b.component_id == WEST2_PUBLIC_ENI
        for b in west.proof.blockers
    )
    for private in (EAST2_PRIVATE, WEST2_PRIVATE):
        assert hybrid.query("internet", private, protocol="tcp", port="23-65535").verdict is (
            Verdict.UNREACHABLE
        )


def test_h10_h11_mysql_from_8_8_8_8_and_the_deciding_rule(hybrid):
    a = hybrid.query("8.8.8.8", "13.59.144.125", protocol="tcp", port=3306, src_port=49152)
    assert a.verdict is Verdict.REACHABLE
    w = a.witness
    assert str(w.final_packet.dst_ip) == "10.20.1.207"
    assert IGW_EAST in components(w.path) and "acl-09c0bb4e71ae5f9e4" in components(w.path)
    sg_hop = next(h for h in w.path if h.kind == "security-group")
    assert sg_hop.rule.startswith(SG_LAUNCH_WIZARD_1)
    assert "Connectivity test" in sg_hop.detail and "3306" in sg_hop.detail


def test_h12_open_sg_is_not_internet_exposure(hybrid):
    """Both private instances allow tcp/22 from 0.0.0.0/0, yet the internet cannot reach
    them: no public IP, no IGW route."""
    for private in (EAST2_PRIVATE, WEST2_PRIVATE):
        a = hybrid.query("0.0.0.0/0", private, protocol="tcp", port=22)
        assert a.verdict is Verdict.UNREACHABLE
        assert "ENI_SG_RULES_MISMATCH" not in blocker_codes(a)


def test_n1_n2_nat_to_internet_and_back(natnet):
    a = natnet.query(TEST1, "8.8.8.8", protocol="tcp", port=80, src_port=49152)
    assert a.verdict is Verdict.REACHABLE
    w = a.witness
    assert str(w.final_packet.src_ip) == NAT_EIP
    port = w.nat_ports[NAT]
    assert 1024 <= port <= 65535 and w.final_packet.src_port == port
    nat_hop = next(h for h in w.path if h.component_id == NAT and h.packet_out is not None)
    assert str(nat_hop.packet_out.src_ip) == NAT_PRIVATE
    assert components(w.path).index(NAT) < components(w.path).index(NAT_IGW)
    # N2: the reply comes back through the IGW and the NAT to test1.
    back = components(w.return_path)
    assert back.index(NAT_IGW) < back.index(NAT)
    assert back[-1].startswith("eni-")


def test_n3_unsupported_protocol_dropped_at_nat(natnet):
    a = natnet.query(TEST1, "8.8.8.8", protocol=47)
    assert a.verdict is Verdict.UNREACHABLE
    assert {(b.component_id, b.code) for b in a.proof.blockers} == {
        (NAT, "NGW_PROTOCOL_RESTRICTION")
    }


def test_n4_unsolicited_inbound_to_nat_eip(natnet):
    a = natnet.query("8.8.8.8", NAT_EIP, protocol="tcp", port=80, src_port=49152)
    assert a.verdict is Verdict.UNREACHABLE
    assert (NAT, "NGW_NO_UNSOLICITED_INBOUND") in {
        (b.component_id, b.code) for b in a.proof.blockers
    }


def test_n5_nat_does_not_serve_its_own_subnet(natnet):
    a = natnet.query(JUMP_HOST, NAT_PRIVATE, protocol="tcp", port=80, src_port=49152)
    assert a.verdict is Verdict.UNREACHABLE
    assert (NAT, "NGW_NO_UNSOLICITED_INBOUND") in {
        (b.component_id, b.code) for b in a.proof.blockers
    }
