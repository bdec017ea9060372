"""Concrete walker: local delivery, network ACLs, security groups, source/destination check."""

from __future__ import annotations

import pytest
from strategies import (
    Builder,
    egress,
    from_eni,
    icmp,
    inbound,
    ingress,
    outbound,
    ports,
    route,
    tcp,
    udp,
)

from netcheck.errors import QueryError
from netcheck.model import ICMP, TCP, UDP, Network
from netcheck.model.packet import DispositionKind, Packet
from netcheck.walk import walk, walk_connection

VPC = "vpc-a"
WEB, APP, APP2, DB = "eni-web", "eni-app", "eni-app2", "eni-db"
SG_WEB, SG_APP, SG_DB = "sg-web", "sg-app", "sg-db"
ACL_APP, ACL_DB = "acl-app", "acl-db"
WEB_IP, APP_IP, APP2_IP, DB_IP = "10.0.1.10", "10.0.2.20", "10.0.2.21", "10.0.3.30"


def three_tier(
    app_acl: tuple = (inbound(100), outbound(100)),
    db_acl: tuple = (inbound(100), outbound(100)),
) -> Network:
    """web (sg-web) -> app (sg-app: tcp/8080 from sg-web) -> db (sg-db: tcp/5432 from sg-app)."""
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.acl(ACL_APP, VPC, *app_acl)
    b.acl(ACL_DB, VPC, *db_acl)
    b.subnet("subnet-web", VPC, "10.0.1.0/24")
    b.subnet("subnet-app", VPC, "10.0.2.0/24", acl=ACL_APP)
    b.subnet("subnet-db", VPC, "10.0.3.0/24", acl=ACL_DB)
    b.sg(SG_WEB, VPC, ingress(TCP, ports(443), cidr="0.0.0.0/0"), egress())
    b.sg(
        SG_APP,
        VPC,
        ingress(TCP, ports(8080), group=SG_WEB),
        egress(),
        ingress(ICMP, icmp=(8, -1), cidr="10.0.0.0/16"),
    )
    b.sg(SG_DB, VPC, ingress(TCP, ports(5432), group=SG_APP, rule_id="sgr-db-from-app"))
    b.eni(WEB, "subnet-web", WEB_IP, SG_WEB)
    b.eni(APP, "subnet-app", APP_IP, SG_APP)
    b.eni(APP2, "subnet-app", APP2_IP, SG_APP)
    b.eni(DB, "subnet-db", DB_IP, SG_DB)
    return b.build()


def test_cross_subnet_delivery_lists_every_check_in_order():
    t = walk(three_tier(), tcp(WEB_IP, APP_IP, 8080), from_eni(WEB))
    assert t.disposition.kind is DispositionKind.DELIVERED
    assert t.disposition.component_id == APP
    assert [(h.component_id, h.kind, h.action, h.rule) for h in t.hops] == [
        (WEB, "eni-egress", "pass", "source/destination check"),
        (SG_WEB, "security-group", "pass", t.hops[1].rule),
        ("rtb-main-vpc-a", "route-table", "pass", "10.0.0.0/16 -> local"),
        ("acl-default-vpc-a", "network-acl", "pass", "100"),
        (ACL_APP, "network-acl", "pass", "100"),
        (SG_APP, "security-group", "pass", t.hops[5].rule),
        (APP, "eni-ingress", "pass", None),
    ]
    assert t.hops[3].detail == "egress of subnet-web"
    assert t.hops[4].detail == "ingress of subnet-app"


def test_same_subnet_skips_the_nacl():
    deny_all = (inbound(100, "deny"), outbound(100, "deny"))
    # sg-app allows ICMP echo from the VPC; the subnet's NACL denies everything.
    t = walk(three_tier(app_acl=deny_all), icmp(APP2_IP, APP_IP), from_eni(APP2))
    assert t.disposition.kind is DispositionKind.DELIVERED
    assert not [h for h in t.hops if h.kind == "network-acl"]


def test_nacl_deny_before_allow_by_rule_number_not_input_order():
    # Input order lists the allow first; rule 90 (deny) must still win.
    acl = (inbound(200, "allow"), inbound(90, "deny", cidr="10.0.1.0/24"), outbound(100))
    t = walk(three_tier(app_acl=acl), tcp(WEB_IP, APP_IP, 8080), from_eni(WEB))
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "SUBNET_ACL_RESTRICTION",
        ACL_APP,
    )
    assert t.hops[-1].rule == "90" and t.hops[-1].action == "deny"


def test_nacl_allow_before_deny_passes():
    acl = (inbound(200, "deny"), inbound(90, "allow", cidr="10.0.1.0/24"), outbound(100))
    t = walk(three_tier(app_acl=acl), tcp(WEB_IP, APP_IP, 8080), from_eni(WEB))
    assert t.disposition.kind is DispositionKind.DELIVERED


def test_nacl_default_deny_when_nothing_matches():
    acl = (inbound(100, cidr="192.168.0.0/16"), outbound(100))
    t = walk(three_tier(app_acl=acl), tcp(WEB_IP, APP_IP, 8080), from_eni(WEB))
    assert t.disposition.code == "SUBNET_ACL_RESTRICTION"
    assert t.hops[-1].rule == "*"


def test_nacl_ports_match_the_destination_port():
    acl = (inbound(100, protocol=TCP, port_range=ports(8080)), outbound(100))
    net = three_tier(app_acl=acl)
    assert walk(net, tcp(WEB_IP, APP_IP, 8080, src_port=40000), from_eni(WEB)).success
    # A source port of 8080 does not make a packet to 9090 match.
    t = walk(net, tcp(WEB_IP, APP_IP, 9090, src_port=8080), from_eni(WEB))
    assert t.disposition.code == "SUBNET_ACL_RESTRICTION"


def test_nacl_protocol_must_match():
    acl = (inbound(100, protocol=UDP), outbound(100))
    t = walk(three_tier(app_acl=acl), tcp(WEB_IP, APP_IP, 8080), from_eni(WEB))
    assert t.disposition.code == "SUBNET_ACL_RESTRICTION"


def test_nacl_icmp_type_and_code():
    acl = (inbound(100, protocol=ICMP, icmp=(8, -1)), outbound(100))
    net = three_tier(app_acl=acl)
    assert walk(net, icmp(WEB_IP, APP_IP, 8, 0), from_eni(WEB)).disposition.code != (
        "SUBNET_ACL_RESTRICTION"
    )
    t = walk(net, icmp(WEB_IP, APP_IP, 13, 0), from_eni(WEB))
    assert t.disposition.code == "SUBNET_ACL_RESTRICTION"


def test_nacl_reply_needs_ephemeral_ports():
    # app's subnet lets 8080 in but only lets replies out to ports 1024-65535.
    acl = (
        inbound(100, protocol=TCP, port_range=ports(8080)),
        outbound(100, protocol=TCP, port_range=ports(1024, 65535)),
    )
    net = three_tier(app_acl=acl)
    ok = walk_connection(net, tcp(WEB_IP, APP_IP, 8080, src_port=49152), from_eni(WEB))
    assert ok.success and ok.reply is not None
    assert ok.reply.disposition.component_id == WEB
    assert [h.rule for h in ok.reply.hops if h.component_id == ACL_APP] == ["100"]
    # A client using a privileged source port gets no reply through the outbound list.
    bad = walk_connection(net, tcp(WEB_IP, APP_IP, 8080, src_port=1000), from_eni(WEB))
    assert bad.forward.success and not bad.success
    assert bad.reply is not None
    assert (bad.reply.disposition.code, bad.reply.disposition.component_id) == (
        "SUBNET_ACL_RESTRICTION",
        ACL_APP,
    )
    assert bad.reply.hops[-1].detail == "egress of subnet-app"


def test_reply_skips_security_groups():
    c = walk_connection(three_tier(), tcp(WEB_IP, APP_IP, 8080), from_eni(WEB))
    assert c.success and c.reply is not None
    assert not [h for h in c.reply.hops if h.kind == "security-group"]
    assert c.reply.packet == c.forward.final_packet.reply()


def test_one_way_and_icmp_other_than_echo_request_have_no_reply():
    net = three_tier()
    assert (
        walk_connection(net, tcp(WEB_IP, APP_IP, 8080), from_eni(WEB), one_way=True).reply is None
    )
    assert walk_connection(net, icmp(WEB_IP, APP_IP, 3), from_eni(WEB)).reply is None
    assert walk_connection(net, icmp(WEB_IP, APP_IP, 0), from_eni(WEB)).reply is None


def test_an_echo_request_has_an_echo_reply():
    trace = walk_connection(three_tier(), icmp(WEB_IP, APP_IP, 8), from_eni(WEB))
    assert trace.forward.success
    assert trace.reply is not None and trace.reply.packet.icmp_type == 0


def test_sg_ingress_denies_without_a_matching_rule():
    t = walk(three_tier(), tcp(WEB_IP, APP_IP, 9999), from_eni(WEB))
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "ENI_SG_RULES_MISMATCH",
        APP,
    )
    assert (t.hops[-1].component_id, t.hops[-1].kind, t.hops[-1].action) == (
        APP,
        "security-group",
        "deny",
    )


def test_sg_egress_denies_at_the_source():
    # sg-db has no egress rule at all.
    t = walk(three_tier(), tcp(DB_IP, APP_IP, 8080), from_eni(DB))
    assert (t.disposition.code, t.disposition.component_id) == ("ENI_SG_RULES_MISMATCH", DB)
    assert len(t.hops) == 2


def test_sg_group_chaining_web_app_db():
    net = three_tier()
    assert walk(net, tcp(APP_IP, DB_IP, 5432), from_eni(APP)).success
    t = walk(net, tcp(WEB_IP, DB_IP, 5432), from_eni(WEB))
    assert (t.disposition.code, t.disposition.component_id) == ("ENI_SG_RULES_MISMATCH", DB)
    hop = next(
        h
        for h in walk(net, tcp(APP_IP, DB_IP, 5432), from_eni(APP)).hops
        if h.component_id == SG_DB
    )
    assert hop.rule == "sgr-db-from-app"


def test_sg_group_reference_matches_private_addresses_only():
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.igw("igw-a", VPC)
    b.main_routes(VPC, route("0.0.0.0/0", "internet-gateway", "igw-a"))
    b.subnet("subnet-1", VPC, "10.0.1.0/24")
    b.sg("sg-client", VPC, egress())
    b.sg("sg-srv", VPC, ingress(TCP, ports(22), group="sg-client"))
    b.eni("eni-client", "subnet-1", "10.0.1.5", "sg-client", public="3.0.0.5")
    b.eni("eni-srv", "subnet-1", "10.0.1.6", "sg-srv", public="3.0.0.6")
    net = b.build()
    assert walk(net, tcp("10.0.1.5", "10.0.1.6"), from_eni("eni-client")).success
    # Through the public addresses the source is 3.0.0.5, which no group reference matches.
    t = walk(net, tcp("10.0.1.5", "3.0.0.6"), from_eni("eni-client"))
    assert (t.disposition.code, t.disposition.component_id) == ("ENI_SG_RULES_MISMATCH", "eni-srv")


def test_sg_rule_protocol_and_ports():
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.subnet("subnet-1", VPC, "10.0.1.0/24")
    b.sg("sg-c", VPC, egress())
    b.sg(
        "sg-s",
        VPC,
        ingress(UDP, ports(53), cidr="10.0.0.0/16"),
        ingress(47, cidr="10.0.0.0/16"),
        ingress(ICMP, icmp=(8, 0), cidr="10.0.0.0/16"),
    )
    b.eni("eni-c", "subnet-1", "10.0.1.5", "sg-c")
    b.eni("eni-s", "subnet-1", "10.0.1.6", "sg-s")
    net = b.build()
    c = from_eni("eni-c")
    assert walk(net, udp("10.0.1.5", "10.0.1.6", 53), c).success
    assert not walk(net, tcp("10.0.1.5", "10.0.1.6", 53), c).success
    assert not walk(net, udp("10.0.1.5", "10.0.1.6", 54), c).success
    gre = Packet(src_ip="10.0.1.5", dst_ip="10.0.1.6", protocol=47)  # type: ignore[arg-type]
    assert walk(net, gre, c).success
    assert walk(net, icmp("10.0.1.5", "10.0.1.6", 8, 0), c).success
    assert not walk(net, icmp("10.0.1.5", "10.0.1.6", 8, 1), c).success


def test_sg_prefix_list_peer():
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.subnet("subnet-1", VPC, "10.0.1.0/24")
    b.prefix_list("pl-office", "10.0.1.0/28")
    b.sg("sg-c", VPC, egress())
    b.sg("sg-s", VPC, ingress(TCP, ports(22), prefix_list="pl-office"))
    b.eni("eni-c", "subnet-1", "10.0.1.5", "sg-c")
    b.eni("eni-c2", "subnet-1", "10.0.1.100", "sg-c")
    b.eni("eni-s", "subnet-1", "10.0.1.6", "sg-s")
    net = b.build()
    assert walk(net, tcp("10.0.1.5", "10.0.1.6"), from_eni("eni-c")).success
    assert not walk(net, tcp("10.0.1.100", "10.0.1.6"), from_eni("eni-c2")).success


def test_source_dest_check():
    t = walk(three_tier(), tcp("10.0.1.99", APP_IP, 8080), from_eni(WEB))
    d = t.disposition
    assert (d.code, d.component_id) == ("ENI_SOURCE_DEST_CHECK_RESTRICTION", WEB)
    assert [(h.kind, h.action) for h in t.hops] == [("eni-egress", "deny")]


def test_unknown_origin_interface_is_a_query_error():
    with pytest.raises(QueryError):
        walk(three_tier(), tcp(WEB_IP, APP_IP), from_eni("eni-nope"))


def test_address_in_vpc_but_in_no_subnet():
    t = walk(three_tier(), tcp(WEB_IP, "10.0.99.1", 8080), from_eni(WEB))
    assert (t.disposition.code, t.disposition.component_id) == ("NO_ROUTE_TO_DESTINATION", VPC)


def test_address_in_subnet_but_on_no_interface():
    t = walk(three_tier(), tcp(WEB_IP, "10.0.2.99", 8080), from_eni(WEB))
    assert (t.disposition.code, t.disposition.component_id) == (
        "NO_ROUTE_TO_DESTINATION",
        "subnet-app",
    )
