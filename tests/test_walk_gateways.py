"""Concrete walker: internet gateway and public addresses, the internet, NAT gateways,
virtual private gateways / on-prem, and gateway endpoints."""

from __future__ import annotations

from strategies import (
    INTERNET,
    ONPREM,
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
)

from netcheck.model import TCP, Network
from netcheck.model.packet import DispositionKind, Packet
from netcheck.walk import walk, walk_connection

VPC = "vpc-a"
IGW = "igw-a"
NAT, NAT_IP, NAT_EIP = "nat-a", "10.0.1.100", "3.0.0.100"
WEB, WEB_IP, WEB_EIP = "eni-web", "10.0.1.10", "3.0.0.10"
APP, APP_IP = "eni-app", "10.0.2.20"
ACL_PUB = "acl-pub"


def public_private(pub_acl: tuple = (inbound(100), outbound(100)), igw: bool = True) -> Network:
    """subnet-pub (0/0 -> igw-a, acl-pub) with web (EIP) and nat-a; subnet-app (0/0 -> nat-a)
    with app (no public IP)."""
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    if igw:
        b.igw(IGW, VPC)
    b.acl(ACL_PUB, VPC, *pub_acl)
    b.route_table("rtb-pub", VPC, route("0.0.0.0/0", "internet-gateway", IGW))
    b.route_table("rtb-app", VPC, route("0.0.0.0/0", "nat-gateway", NAT))
    b.subnet("subnet-pub", VPC, "10.0.1.0/24", rtb="rtb-pub", acl=ACL_PUB)
    b.subnet("subnet-app", VPC, "10.0.2.0/24", rtb="rtb-app")
    b.sg("sg-web", VPC, ingress(TCP, ports(443)), egress())
    b.sg("sg-app", VPC, ingress(TCP, ports(8080), cidr="10.0.0.0/16"), egress())
    b.eni(WEB, "subnet-pub", WEB_IP, "sg-web", public=WEB_EIP)
    b.eni(APP, "subnet-app", APP_IP, "sg-app")
    b.nat(NAT, "subnet-pub", NAT_IP, NAT_EIP)
    return b.build()


# -- internet gateway -------------------------------------------------------------------------


def test_igw_egress_maps_to_the_public_ip_and_exits():
    t = walk(public_private(), tcp(WEB_IP, "8.8.8.8", 443), from_eni(WEB))
    d = t.disposition
    assert (d.kind, d.component_id) == (DispositionKind.EXITS_INTERNET, "internet")
    assert d.final_packet is not None and str(d.final_packet.src_ip) == WEB_EIP
    igw_hop = next(h for h in t.hops if h.component_id == IGW)
    assert igw_hop.action == "translate" and igw_hop.packet_out == d.final_packet


def test_igw_egress_without_public_ip_is_dropped():
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.igw(IGW, VPC)
    b.main_routes(VPC, route("0.0.0.0/0", "internet-gateway", IGW))
    b.subnet("subnet-1", VPC, "10.0.1.0/24")
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.0.1.5", "sg-all")
    t = walk(b.build(), tcp("10.0.1.5", "8.8.8.8", 443), from_eni("eni-1"))
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
        IGW,
    )


def test_internet_drops_private_destinations():
    t = walk(public_private(), tcp(WEB_IP, "10.9.9.9", 443), from_eni(WEB))
    d = t.disposition
    assert (d.code, d.component_id) == ("IGW_DESTINATION_RFC1918", "internet")
    for dst in ("100.64.1.1", "192.168.1.1", "172.16.0.1", "169.254.169.254", "224.0.0.1"):
        t = walk(public_private(), tcp(WEB_IP, dst, 443), from_eni(WEB))
        assert t.disposition.code == "IGW_DESTINATION_RFC1918", dst


def test_internet_inbound_to_public_ip_delivered_with_dnat():
    t = walk(public_private(), tcp("8.8.8.8", WEB_EIP, 443), INTERNET)
    d = t.disposition
    assert (d.kind, d.component_id) == (DispositionKind.DELIVERED, WEB)
    assert d.final_packet is not None and str(d.final_packet.dst_ip) == WEB_IP
    assert [(h.component_id, h.kind) for h in t.hops] == [
        ("internet", "internet"),
        (IGW, "internet-gateway"),
        (ACL_PUB, "network-acl"),
        ("sg-web", "security-group"),
        (WEB, "eni-ingress"),
    ]


def test_internet_connection_reply_leaves_through_the_igw():
    c = walk_connection(public_private(), tcp("8.8.8.8", WEB_EIP, 443), INTERNET)
    assert c.success and c.reply is not None
    assert c.reply.disposition.kind is DispositionKind.EXITS_INTERNET
    final = c.reply.disposition.final_packet
    assert final is not None and (str(final.src_ip), str(final.dst_ip)) == (WEB_EIP, "8.8.8.8")


def test_internet_inbound_sg_and_nacl_still_apply():
    assert not walk(public_private(), tcp("8.8.8.8", WEB_EIP, 22), INTERNET).success
    acl = (inbound(100, "deny", cidr="8.8.8.0/24"), inbound(200), outbound(100))
    t = walk(public_private(pub_acl=acl), tcp("8.8.8.8", WEB_EIP, 443), INTERNET)
    assert (t.disposition.code, t.disposition.component_id) == ("SUBNET_ACL_RESTRICTION", ACL_PUB)


def test_public_ip_of_the_snapshot_reenters_through_its_igw():
    # web -> its own VPC's NAT EIP: out through the IGW, back in, unsolicited at the NAT.
    t = walk(public_private(), tcp(WEB_IP, NAT_EIP, 443), from_eni(WEB))
    assert (t.disposition.code, t.disposition.component_id) == ("NGW_NO_UNSOLICITED_INBOUND", NAT)
    assert [h.component_id for h in t.hops].count(IGW) == 2


def test_public_ip_of_vpc_without_igw_is_dropped():
    b = Builder()
    b.vpc("vpc-x", "10.5.0.0/16")
    b.subnet("subnet-x", "vpc-x", "10.5.1.0/24")
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-x", "subnet-x", "10.5.1.5", "sg-all", public="3.9.9.9")
    t = walk(b.build(), tcp("8.8.8.8", "3.9.9.9", 443), INTERNET)
    assert (t.disposition.code, t.disposition.component_id) == ("NO_ROUTE_TO_DESTINATION", "vpc-x")


def test_internet_origin_needs_a_public_source():
    t = walk(public_private(), tcp("10.1.1.1", WEB_EIP, 443), INTERNET)
    assert (t.disposition.kind, t.disposition.code) == (
        DispositionKind.DROPPED,
        "SOURCE_NOT_PUBLIC",
    )


def test_internet_to_unknown_public_address_exits():
    t = walk(public_private(), tcp("8.8.8.8", "1.1.1.1", 443), INTERNET)
    assert t.disposition.kind is DispositionKind.EXITS_INTERNET


def test_gateway_route_table_with_appliance_target_is_unknown():
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.igw(IGW, VPC)
    b.subnet("subnet-1", VPC, "10.0.1.0/24")
    b.route_table(
        "rtb-edge", VPC, route("10.0.1.0/24", "network-interface", "eni-fw"), gateways=(IGW,)
    )
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.0.1.5", "sg-all", public="3.1.1.5")
    t = walk(b.build(), tcp("8.8.8.8", "3.1.1.5", 443), INTERNET)
    assert (t.disposition.kind, t.disposition.component_id) == (DispositionKind.UNKNOWN, "eni-fw")


# -- NAT gateway --------------------------------------------------------------------------------


def test_nat_outbound_translates_source_and_port():
    t = walk(public_private(), tcp(APP_IP, "8.8.8.8", 443), from_eni(APP), nat_ports={NAT: 40000})
    assert t.disposition.kind is DispositionKind.EXITS_INTERNET
    nat_hop = next(h for h in t.hops if h.component_id == NAT)
    assert nat_hop.action == "translate" and nat_hop.packet_out is not None
    assert (str(nat_hop.packet_out.src_ip), nat_hop.packet_out.src_port) == (NAT_IP, 40000)
    final = t.disposition.final_packet
    assert final is not None and (str(final.src_ip), final.src_port) == (NAT_EIP, 40000)
    assert [h.component_id for h in t.hops] == [
        APP,
        "sg-app",
        "rtb-app",
        "acl-default-vpc-a",
        ACL_PUB,
        NAT,
        "rtb-pub",
        ACL_PUB,
        IGW,
        "internet",
    ]


def test_nat_default_port_is_1024():
    t = walk(public_private(), tcp(APP_IP, "8.8.8.8", 443), from_eni(APP))
    assert t.disposition.final_packet is not None
    assert t.disposition.final_packet.src_port == 1024


def test_nat_connection_reply_returns_through_the_nat():
    c = walk_connection(public_private(), tcp(APP_IP, "8.8.8.8", 443), from_eni(APP))
    assert c.success and c.reply is not None
    d = c.reply.disposition
    assert (d.kind, d.component_id) == (DispositionKind.DELIVERED, APP)
    assert d.final_packet is not None
    assert (str(d.final_packet.dst_ip), d.final_packet.dst_port) == (APP_IP, 49152)
    assert ("nat-gateway", "translate") in [(h.kind, h.action) for h in c.reply.hops]


def test_nat_reply_on_another_port_is_unsolicited():
    c = walk_connection(public_private(), tcp(APP_IP, "8.8.8.8", 443), from_eni(APP))
    wrong = Packet(
        src_ip="8.8.8.8",
        dst_ip=NAT_EIP,
        protocol=TCP,
        src_port=443,
        dst_port=1025,  # type: ignore[arg-type]
    )
    t = walk(public_private(), wrong, INTERNET, reply_of=c.forward)
    assert (t.disposition.code, t.disposition.component_id) == ("NGW_NO_UNSOLICITED_INBOUND", NAT)


def test_nat_unsolicited_inbound_from_internet_is_dropped():
    t = walk(public_private(), tcp("8.8.8.8", NAT_EIP, 80), INTERNET)
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "NGW_NO_UNSOLICITED_INBOUND",
        NAT,
    )


def test_nat_protocol_restriction():
    gre = Packet(src_ip=APP_IP, dst_ip="8.8.8.8", protocol=47)  # type: ignore[arg-type]
    t = walk(public_private(), gre, from_eni(APP))
    assert (t.disposition.code, t.disposition.component_id) == ("NGW_PROTOCOL_RESTRICTION", NAT)
    assert walk(public_private(), icmp(APP_IP, "8.8.8.8"), from_eni(APP)).success


def test_nat_requires_source_in_vpc():
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.igw(IGW, VPC)
    b.route_table("rtb-pub", VPC, route("0.0.0.0/0", "internet-gateway", IGW))
    b.route_table("rtb-app", VPC, route("0.0.0.0/0", "nat-gateway", NAT))
    b.subnet("subnet-pub", VPC, "10.0.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-app", VPC, "10.0.2.0/24", rtb="rtb-app")
    b.sg("sg-all", None, ingress(), egress())
    # An appliance that forwards someone else's source address (check disabled).
    b.eni("eni-fw", "subnet-app", "10.0.2.5", "sg-all", source_dest_check=False)
    b.nat(NAT, "subnet-pub", NAT_IP, NAT_EIP)
    t = walk(b.build(), tcp("172.31.0.9", "8.8.8.8", 443), from_eni("eni-fw"))
    assert (t.disposition.code, t.disposition.component_id) == ("NGW_REQUIRES_SOURCE_IN_VPC", NAT)


def test_nat_subnet_nacl_applies_on_the_way_in():
    acl = (inbound(100, "deny", cidr="10.0.2.0/24"), inbound(200), outbound(100))
    t = walk(public_private(pub_acl=acl), tcp(APP_IP, "8.8.8.8", 443), from_eni(APP))
    assert (t.disposition.code, t.disposition.component_id) == ("SUBNET_ACL_RESTRICTION", ACL_PUB)
    assert t.hops[-1].detail == "ingress of subnet-pub"


def test_nat_reply_needs_the_nat_subnet_nacl():
    # acl-pub lets replies to the NAT's port range in only from 8.8.8.0/24.
    acl = (
        inbound(100, cidr="10.0.0.0/16"),
        inbound(200, cidr="8.8.8.0/24", protocol=TCP, port_range=ports(1024, 65535)),
        outbound(100),
    )
    net = public_private(pub_acl=acl)
    assert walk_connection(net, tcp(APP_IP, "8.8.8.8", 443), from_eni(APP)).success
    c = walk_connection(net, tcp(APP_IP, "9.9.9.9", 443), from_eni(APP))
    assert c.forward.success and not c.success
    assert c.reply is not None and c.reply.disposition.component_id == ACL_PUB


def test_instance_in_nat_subnet_to_nat_private_ip_is_unsolicited():
    t = walk(public_private(), tcp(WEB_IP, NAT_IP, 80), from_eni(WEB))
    assert (t.disposition.code, t.disposition.component_id) == ("NGW_NO_UNSOLICITED_INBOUND", NAT)
    assert not [h for h in t.hops if h.kind == "network-acl"]


# -- virtual private gateway / on-prem ----------------------------------------------------------


def vpn_net(*cidrs: str, declared: tuple[str, ...] = ()) -> Network:
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.vgw("vgw-a", VPC)
    b.vpn("vpn-a", *cidrs, vgw="vgw-a")
    b.main_routes(VPC, route("192.168.0.0/16", "virtual-private-gateway", "vgw-a"))
    b.subnet("subnet-1", VPC, "10.0.1.0/24")
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.0.1.5", "sg-all")
    return b.build(onprem=declared)


def test_vgw_exits_onprem_for_a_known_range():
    t = walk(vpn_net("192.168.10.0/24"), tcp("10.0.1.5", "192.168.10.7"), from_eni("eni-1"))
    assert (t.disposition.kind, t.disposition.component_id) == (
        DispositionKind.EXITS_ONPREM,
        "vgw-a",
    )


def test_vgw_outside_known_ranges_is_no_route():
    t = walk(vpn_net("192.168.10.0/24"), tcp("10.0.1.5", "192.168.99.7"), from_eni("eni-1"))
    assert (t.disposition.code, t.disposition.component_id) == ("NO_ROUTE_TO_DESTINATION", "vgw-a")


def test_vgw_with_no_known_range_is_unknown():
    t = walk(vpn_net(), tcp("10.0.1.5", "192.168.10.7"), from_eni("eni-1"))
    assert (t.disposition.kind, t.disposition.component_id) == (DispositionKind.UNKNOWN, "vgw-a")


def test_user_declared_onprem_range_counts():
    net = vpn_net(declared=("192.168.10.0/24",))
    assert walk(net, tcp("10.0.1.5", "192.168.10.7"), from_eni("eni-1")).success


def test_onprem_origin_enters_through_the_vgw_and_reply_returns():
    c = walk_connection(vpn_net("192.168.10.0/24"), tcp("192.168.10.7", "10.0.1.5"), ONPREM)
    assert c.forward.disposition.component_id == "eni-1"
    assert [h.kind for h in c.forward.hops][:2] == ["onprem", "virtual-private-gateway"]
    assert c.success and c.reply is not None
    assert c.reply.disposition.kind is DispositionKind.EXITS_ONPREM


def test_onprem_origin_outside_every_range():
    t = walk(vpn_net("192.168.10.0/24"), tcp("172.20.0.1", "10.0.1.5"), ONPREM)
    assert (t.disposition.kind, t.disposition.code) == (
        DispositionKind.DROPPED,
        "SOURCE_NOT_ONPREM",
    )
