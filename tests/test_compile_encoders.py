"""Unit tests per encoder: the symbolic packet and its domain, address/port predicates, NACL
first match, SG union (CIDR, prefix list, group reference), longest-prefix route selection
(tie order, prefix lists) and TGW route selection. Each asserts what the encoder allows and
what it must not allow, by asking Z3 directly."""

from __future__ import annotations

from ipaddress import IPv4Address, ip_network

import z3
from strategies import Builder, egress, inbound, ingress, ports, route, tgw_route

from netcheck.compile.filters import nacl_check, sg_check
from netcheck.compile.hops.internet import is_public
from netcheck.compile.packet import domain, fresh, in_range, ip_in, reply_of
from netcheck.compile.routing import select_route, select_tgw_route
from netcheck.model import ICMP, TCP, UDP, Direction


def sat(*fs) -> bool:
    s = z3.Solver()
    s.add(*fs)
    return s.check() == z3.sat


def valid(f) -> bool:
    return not sat(z3.Not(f))


def ip(p_field, addr: str):
    return p_field == int(IPv4Address(addr))


def test_domain_zeroes_ports_and_icmp_fields():
    p = fresh("t")
    assert not sat(domain(p), p.protocol == ICMP, p.src_port == 1)
    assert not sat(domain(p), p.protocol == TCP, p.icmp_type == 8)
    assert sat(domain(p), p.protocol == UDP, p.dst_port == 53)
    assert sat(domain(p), p.protocol == ICMP, p.icmp_type == 8)


def test_ip_in_and_ranges():
    p = fresh("t")
    net = ip_network("10.1.0.0/16")
    assert valid(z3.Implies(ip(p.dst_ip, "10.1.255.255"), ip_in(p.dst_ip, net)))
    assert not sat(ip(p.dst_ip, "10.2.0.0"), ip_in(p.dst_ip, net))
    assert valid(ip_in(p.dst_ip, ip_network("0.0.0.0/0")))
    assert not sat(ip_in(p.dst_ip, ip_network("::/0")))
    assert not sat(in_range(p.dst_port, 1024, 65535), p.dst_port == 80)


def test_public_addresses():
    p = fresh("t")
    for private in (
        "10.0.0.1",
        "172.16.5.5",
        "192.168.1.1",
        "100.64.0.1",
        "127.0.0.1",
        "169.254.1.1",
    ):
        assert not sat(ip(p.dst_ip, private), is_public(p.dst_ip)), private
    assert sat(ip(p.dst_ip, "8.8.8.8"), is_public(p.dst_ip))


def test_reply_swaps_and_answers_echo():
    f, r = fresh("f"), fresh("r")
    link = reply_of(f, r)
    assert valid(z3.Implies(z3.And(link, f.src_port == 49152), r.dst_port == 49152))
    assert valid(z3.Implies(z3.And(link, f.protocol == ICMP, f.icmp_type == 8), r.icmp_type == 0))


def acl(*entries):
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.acl("acl-1", "vpc-a", *entries)
    return b.build().network_acl("acl-1")


def test_nacl_first_match_by_rule_number_not_input_order():
    a = acl(inbound(200), inbound(100, "deny", "10.0.1.0/24", protocol=TCP, port_range=ports(22)))
    p = fresh("t")
    allowed, rules = nacl_check(a, Direction.INGRESS, p)
    ssh_from_web = z3.And(ip(p.src_ip, "10.0.1.5"), p.protocol == TCP, p.dst_port == 22)
    assert not sat(allowed, ssh_from_web)
    assert sat(allowed, ip(p.src_ip, "10.0.1.5"), p.protocol == TCP, p.dst_port == 80)
    deciding = {r.rule for r in rules if sat(r.cond, ssh_from_web)}
    assert deciding == {"100"}
    assert [r.label for r in rules][-1] == "nacl:acl-1:ingress:rule=*"


def test_nacl_default_deny_and_icmp_match():
    a = acl(inbound(100, protocol=ICMP, icmp=(8, -1)))
    p = fresh("t")
    allowed, _ = nacl_check(a, Direction.INGRESS, p)
    assert sat(allowed, domain(p), p.protocol == ICMP, p.icmp_type == 8)
    assert not sat(allowed, domain(p), p.protocol == ICMP, p.icmp_type == 0)
    assert not sat(allowed, p.protocol == TCP)
    egress_allowed, _ = nacl_check(a, Direction.EGRESS, p)
    assert not sat(egress_allowed)


def sg_net():
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.subnet("subnet-1", "vpc-a", "10.0.1.0/24")
    b.prefix_list("pl-1", "192.0.2.0/24")
    b.sg("sg-web", "vpc-a", egress())
    b.sg(
        "sg-db",
        "vpc-a",
        ingress(TCP, ports(5432), group="sg-web"),
        ingress(TCP, ports(22), prefix_list="pl-1"),
        ingress(UDP, ports(53), cidr="10.0.0.0/8"),
        ingress(TCP, ports(80), group="sg-missing"),
    )
    b.eni("eni-web", "subnet-1", "10.0.1.10", "sg-web")
    b.eni("eni-db", "subnet-1", "10.0.1.20", "sg-db")
    return b.build()


def test_sg_union_group_reference_prefix_list():
    net = sg_net()
    p = fresh("t")
    allowed, rules = sg_check(net, ("sg-db",), Direction.INGRESS, p)
    assert sat(allowed, ip(p.src_ip, "10.0.1.10"), p.protocol == TCP, p.dst_port == 5432)
    assert not sat(allowed, ip(p.src_ip, "10.0.1.11"), p.protocol == TCP, p.dst_port == 5432)
    assert sat(allowed, ip(p.src_ip, "192.0.2.7"), p.protocol == TCP, p.dst_port == 22)
    assert not sat(allowed, ip(p.src_ip, "198.51.100.7"), p.protocol == TCP, p.dst_port == 22)
    assert sat(allowed, ip(p.src_ip, "10.9.9.9"), p.protocol == UDP, p.dst_port == 53)
    # A group missing from the snapshot matches nothing.
    assert not sat(allowed, p.protocol == TCP, p.dst_port == 80)
    assert len(rules) == 4 and all(r.label.startswith("sg:sg-db:ingress:") for r in rules)
    nothing, _ = sg_check(net, (), Direction.INGRESS, p)
    assert not sat(nothing)


def rtb(*routes):
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.prefix_list("pl-s3", "52.216.0.0/15")
    b.route_table("rtb-1", "vpc-a", *routes)
    net = b.build()
    return net, net.route_table("rtb-1")


def picked(net, table, dst: str) -> str | None:
    p = fresh("t")
    choices, nothing = select_route(net, table, p)
    hits = [r.label for r, cond in choices if sat(cond, ip(p.dst_ip, dst))]
    assert len(hits) + int(sat(nothing, ip(p.dst_ip, dst))) == 1, "selection must partition"
    return hits[0] if hits else None


def test_longest_prefix_match_and_local_priority():
    net, t = rtb(
        route("0.0.0.0/0", "internet-gateway", "igw-1"),
        route("8.8.0.0/16", "nat-gateway", "nat-1"),
        route("10.0.0.0/16", "vpc-peering-connection", "pcx-1"),
        route("pl-s3", "gateway-endpoint", "vpce-1"),
    )
    assert picked(net, t, "8.8.8.8") == "8.8.0.0/16 -> nat-1"
    assert picked(net, t, "9.9.9.9") == "0.0.0.0/0 -> igw-1"
    assert picked(net, t, "10.0.3.3") == "10.0.0.0/16 -> local"  # local wins the tie
    assert picked(net, t, "52.217.0.1") == "pl-s3 -> vpce-1"


def test_cidr_route_beats_prefix_list_and_propagated_on_equal_length():
    net, t = rtb(
        route(
            "52.216.0.0/15", "virtual-private-gateway", "vgw-1", origin="EnableVgwRoutePropagation"
        ),
        route("pl-s3", "gateway-endpoint", "vpce-1"),
        route("52.216.0.0/15", "nat-gateway", "nat-1"),
    )
    assert picked(net, t, "52.216.1.1") == "52.216.0.0/15 -> nat-1"
    net, t = rtb(
        route(
            "52.216.0.0/15", "virtual-private-gateway", "vgw-1", origin="EnableVgwRoutePropagation"
        ),
        route("pl-s3", "gateway-endpoint", "vpce-1"),
    )
    assert picked(net, t, "52.216.1.1") == "pl-s3 -> vpce-1"


def test_no_route():
    net, t = rtb()
    assert picked(net, t, "8.8.8.8") is None


def test_tgw_static_beats_propagated():
    routes = (
        tgw_route("10.1.0.0/16", "tgw-attach-b", route_type="propagated"),
        tgw_route("10.1.0.0/16", "tgw-attach-c"),
        tgw_route("10.1.5.0/24", "tgw-attach-d", route_type="propagated"),
    )
    p = fresh("t")
    choices, nothing = select_tgw_route(routes, p)
    for dst, expected in (("10.1.1.1", ("tgw-attach-c",)), ("10.1.5.5", ("tgw-attach-d",))):
        hits = [r.attachment_ids for r, c in choices if sat(c, ip(p.dst_ip, dst))]
        assert hits == [expected]
    assert sat(nothing, ip(p.dst_ip, "10.2.0.1"))
