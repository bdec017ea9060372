"""Header-space sets (issue #4, part 1): scenario tests on the bundled fixtures and on tiny
hand-built networks, plus unit tests of the merge and the search helpers."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest
from conftest import FIXTURES
from strategies import Builder, egress, inbound, ingress, outbound, ports, route

import netcheck
from netcheck.model.base import TCP, UDP
from netcheck.model.packet import Packet
from netcheck.questions import QUESTIONS, reachable_set
from netcheck.solve.sets import _gallop, merge

WEB_1 = "eni-0ef82673bed0eeff8"


@pytest.fixture(scope="module")
def three_tier() -> netcheck.Snapshot:
    return netcheck.load(FIXTURES / "three-tier")


def test_internet_to_web_is_exactly_http_and_https(three_tier):
    rs = reachable_set(three_tier, "internet", "web-1")
    assert rs.status == "complete"
    assert [(b.protocol, b.dst_ports, b.src_cidrs) for b in rs.boxes] == [
        ("tcp", ((80, 80), (443, 443)), ("0.0.0.0/0",))
    ]
    box = rs.boxes[0]
    assert box.dst_ips == ("54.210.17.33/32",)
    assert box.witness is not None and box.witness.destination == WEB_1
    assert box.witness.return_path, "a TCP witness shows the reply"


def test_internet_to_db_is_empty(three_tier):
    rs = reachable_set(three_tier, "internet", "db")
    assert rs.status == "complete" and not rs.reachable and rs.boxes == ()


def test_query_options_narrow_the_set(three_tier):
    rs = reachable_set(three_tier, "internet", "web-1", protocol="tcp", port="443")
    assert [b.dst_ports for b in rs.boxes] == [((443, 443),)]
    assert reachable_set(three_tier, "internet", "web-1", protocol="udp").boxes == ()


def test_every_witness_is_inside_its_box_and_matches_the_engine(three_tier):
    rs = reachable_set(three_tier, "web-1", "app-1")
    assert rs.reachable
    for b in rs.boxes:
        assert b.witness is not None and b.contains(b.witness.packet)
        q = three_tier.query("web-1", "app-1", protocol=b.protocol, port=b.dst_ports[0][0])
        assert q.verdict.value == "reachable"


def test_to_dict_has_the_box_contract(three_tier):
    d = reachable_set(three_tier, "internet", "web-1").to_dict()
    assert d["status"] == "complete" and d["reachable"] is True
    box = d["boxes"][0]
    assert {"protocol", "dst_ports", "src_cidrs", "witness"} <= set(box)
    assert box["dst_ports"] == [[80, 80], [443, 443]]
    assert box["witness"]["packet"]["protocol"] == TCP


def test_questions_are_listed_explicitly():
    names = [q.__name__ for q in QUESTIONS]
    assert names == sorted(names) and "reachable_set" in names


# -- hand-built networks ------------------------------------------------------------------------


def _private_behind_nat(nat_subnet_acl: tuple = ()) -> netcheck.Snapshot:
    """eni-a (private subnet) -> nat-1 (public subnet) -> igw-1 -> internet."""
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.igw("igw-1", "vpc-1")
    b.route_table("rtb-pub", "vpc-1", route("0.0.0.0/0", "internet-gateway", "igw-1"))
    b.route_table("rtb-priv", "vpc-1", route("0.0.0.0/0", "nat-gateway", "nat-1"))
    if nat_subnet_acl:
        b.acl("acl-pub", "vpc-1", *nat_subnet_acl)
    b.subnet(
        "subnet-pub",
        "vpc-1",
        "10.1.1.0/24",
        rtb="rtb-pub",
        acl="acl-pub" if nat_subnet_acl else None,
    )
    b.subnet("subnet-priv", "vpc-1", "10.1.2.0/24", rtb="rtb-priv")
    b.sg("sg-1", "vpc-1", egress(TCP, ports(443)))
    b.eni("eni-a", "subnet-priv", "10.1.2.10", "sg-1")
    b.nat("nat-1", "subnet-pub", "10.1.1.100", public="3.0.0.100")
    return netcheck.Snapshot(b.build())


def test_nat_port_is_the_nat_gateways_choice():
    # The NAT subnet only lets replies in on ports 2000-3000, and the NAT picks the port (not
    # the user): no packet gets through for every port, so the set is empty and the packets
    # that get through for some ports are listed as unknown.
    acl = (
        inbound(100, protocol=TCP, port_range=ports(2000, 3000)),
        inbound(110, cidr="10.1.0.0/16"),
        outbound(100),
    )
    snap = _private_behind_nat(acl)
    rs = reachable_set(snap, "eni-a", "8.8.8.8")
    # Not complete: whether those packets get through depends on the NAT's pick.
    assert rs.status == "unknown" and "depends on the port" in (rs.reason or "")
    assert rs.boxes == ()
    assert any("depends on the port the NAT gateway picks" in r for r in rs.unknown_paths)
    # Pinned inside that range, the packets get through; outside it, nothing gets back.
    pinned = reachable_set(snap, "eni-a", "8.8.8.8", nat_ports={"nat-1": 2500})
    assert [(b.protocol, b.dst_ports, b.src_ports) for b in pinned.boxes] == [
        ("tcp", ((443, 443),), ((0, 65535),))
    ]
    w = pinned.boxes[0].witness
    assert w is not None and w.nat_ports["nat-1"] == 2500
    assert reachable_set(snap, "eni-a", "8.8.8.8", nat_ports={"nat-1": 1024}).boxes == ()


def test_ephemeral_reply_rule_shows_as_source_ports():
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.igw("igw-1", "vpc-1")
    b.route_table("rtb-pub", "vpc-1", route("0.0.0.0/0", "internet-gateway", "igw-1"))
    b.acl(
        "acl-1",
        "vpc-1",
        inbound(100, protocol=TCP, port_range=ports(22)),
        inbound(200, "deny", cidr="203.0.113.0/24"),
        outbound(100, protocol=TCP, port_range=ports(1024, 65535)),
    )
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24", rtb="rtb-pub", acl="acl-1")
    b.sg("sg-1", "vpc-1", ingress(TCP, ports(22), cidr="198.51.100.0/24"), ingress(UDP))
    b.eni("eni-1", "subnet-1", "10.1.1.10", "sg-1", public="3.0.0.1")
    rs = reachable_set(netcheck.Snapshot(b.build()), "internet", "eni-1")
    assert [(b.protocol, b.dst_ports, b.src_ports, b.src_cidrs) for b in rs.boxes] == [
        ("tcp", ((22, 22),), ((1024, 65535),), ("198.51.100.0/24",))
    ]
    inside = Packet(
        src_ip=IPv4Address("198.51.100.7"),
        dst_ip=IPv4Address("3.0.0.1"),
        protocol=TCP,
        src_port=40000,
        dst_port=22,
    )
    assert rs.contains(inside)
    assert not rs.contains(inside.model_copy(update={"src_port": 1023}))


# -- helpers ------------------------------------------------------------------------------------


def test_merge_joins_boxes_that_differ_in_one_dimension():
    a = {"dst_port": ((22, 22),), "src_ip": ((0, 9),)}
    b = {"dst_port": ((23, 80),), "src_ip": ((0, 9),)}
    c = {"dst_port": ((443, 443),), "src_ip": ((5, 20),)}
    assert merge([a, b, c]) == [
        {"dst_port": ((22, 80),), "src_ip": ((0, 9),)},
        {"dst_port": ((443, 443),), "src_ip": ((5, 20),)},
    ]


@pytest.mark.parametrize("limit", [-1, 0, 1, 2, 5, 9, 10])
def test_gallop_finds_the_last_ok_candidate(limit):
    candidates = list(range(11))
    calls: list[int] = []

    def ok(x: int) -> bool:
        calls.append(x)
        return x <= limit

    assert _gallop(candidates, ok, -5) == (limit if limit >= 0 else -5)
    assert len(calls) <= 8
