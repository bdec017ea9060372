"""Concrete walker: the edges forwarding.md leaves to the implementation (missing resources,
several entry points, ECMP, AZ choice, NAT port choice, secondary addresses)."""

from __future__ import annotations

import pytest
from strategies import (
    INTERNET,
    ONPREM,
    Builder,
    egress,
    from_eni,
    ingress,
    route,
    tcp,
    tgw_route,
)

from netcheck.model import TCP, Network, PeeringVpcInfo, VpcPeeringConnection
from netcheck.model.packet import DispositionKind
from netcheck.walk import walk, walk_connection


def one_subnet(*groups: str, sgs: tuple = (), **eni_kw) -> Network:
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.subnet("subnet-1", "vpc-a", "10.0.1.0/24")
    for sg_id, rules in sgs:
        b.sg(sg_id, "vpc-a", *rules)
    b.sg("sg-open", "vpc-a", ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.0.1.5", "sg-open")
    b.eni("eni-2", "subnet-1", "10.0.1.6", *groups, **eni_kw)
    return b.build()


def test_reference_to_a_group_not_in_the_snapshot_matches_nothing():
    net = one_subnet("sg-s", sgs=(("sg-s", (ingress(TCP, group="sg-gone"),)),))
    t = walk(net, tcp("10.0.1.5", "10.0.1.6"), from_eni("eni-1"))
    assert (t.disposition.code, t.disposition.component_id) == ("ENI_SG_RULES_MISMATCH", "eni-2")


def test_interface_group_not_in_the_snapshot_is_unknown():
    t = walk(one_subnet("sg-gone"), tcp("10.0.1.5", "10.0.1.6"), from_eni("eni-1"))
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.UNKNOWN,
        "UNKNOWN_RESOURCE",
        "sg-gone",
    )


def test_secondary_private_address_is_delivered_and_passes_the_check():
    net = one_subnet("sg-open", extra_ips=("10.0.1.60",))
    t = walk(net, tcp("10.0.1.5", "10.0.1.60"), from_eni("eni-1"))
    assert (t.disposition.kind, t.disposition.component_id) == (DispositionKind.DELIVERED, "eni-2")
    assert walk(net, tcp("10.0.1.60", "10.0.1.5"), from_eni("eni-2")).success


def test_source_dest_check_disabled_lets_an_appliance_forward_others_addresses():
    net = one_subnet("sg-open", source_dest_check=False)
    t = walk(net, tcp("10.9.9.9", "10.0.1.5"), from_eni("eni-2"))
    assert t.success
    assert t.hops[0].rule == "check disabled"


def test_missing_network_acl_is_unknown():
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.subnet("subnet-1", "vpc-a", "10.0.1.0/24")
    b.subnet("subnet-2", "vpc-a", "10.0.2.0/24", acl="acl-gone")
    b.sg("sg-open", "vpc-a", ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.0.1.5", "sg-open")
    b.eni("eni-2", "subnet-2", "10.0.2.5", "sg-open")
    t = walk(b.build(), tcp("10.0.1.5", "10.0.2.5"), from_eni("eni-1"))
    assert (t.disposition.kind, t.disposition.component_id) == (DispositionKind.UNKNOWN, "acl-gone")


def test_peer_vpc_not_in_the_snapshot_is_unknown():
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.subnet("subnet-1", "vpc-a", "10.0.1.0/24")
    b.main_routes("vpc-a", route("10.7.0.0/16", "vpc-peering-connection", "pcx-x"))
    b._add(
        "vpc_peering_connections",
        VpcPeeringConnection(
            id="pcx-x",
            requester=PeeringVpcInfo(vpc_id="vpc-a"),
            accepter=PeeringVpcInfo(vpc_id="vpc-other-account"),
        ),
    )
    b.sg("sg-open", "vpc-a", ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.0.1.5", "sg-open")
    t = walk(b.build(), tcp("10.0.1.5", "10.7.0.5"), from_eni("eni-1"))
    d = t.disposition
    assert (d.kind, d.component_id) == (DispositionKind.UNKNOWN, "vpc-other-account")


def nat_net() -> Network:
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.igw("igw-a", "vpc-a")
    b.route_table("rtb-pub", "vpc-a", route("0.0.0.0/0", "internet-gateway", "igw-a"))
    b.route_table("rtb-app", "vpc-a", route("0.0.0.0/0", "nat-gateway", "nat-a"))
    b.subnet("subnet-pub", "vpc-a", "10.0.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-app", "vpc-a", "10.0.2.0/24", rtb="rtb-app")
    b.sg("sg-open", "vpc-a", ingress(), egress())
    b.eni("eni-app", "subnet-app", "10.0.2.5", "sg-open")
    b.nat("nat-a", "subnet-pub", "10.0.1.100", "3.0.0.100")
    return b.build()


def test_nat_port_must_be_ephemeral():
    with pytest.raises(ValueError):
        walk(
            nat_net(), tcp("10.0.2.5", "8.8.8.8", 443), from_eni("eni-app"), nat_ports={"nat-a": 80}
        )


def test_reply_of_reverses_only_the_chosen_port():
    net = nat_net()
    c = walk_connection(
        net, tcp("10.0.2.5", "8.8.8.8", 443), from_eni("eni-app"), nat_ports={"nat-a": 5000}
    )
    assert c.success and c.reply is not None
    assert c.reply.packet.dst_port == 5000
    final = c.reply.disposition.final_packet
    assert final is not None and final.dst_port == 49152


def test_nat_without_an_interface_in_the_snapshot_still_works():
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.igw("igw-a", "vpc-a")
    b.route_table("rtb-pub", "vpc-a", route("0.0.0.0/0", "internet-gateway", "igw-a"))
    b.route_table("rtb-app", "vpc-a", route("0.0.0.0/0", "nat-gateway", "nat-a"))
    b.subnet("subnet-pub", "vpc-a", "10.0.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-app", "vpc-a", "10.0.2.0/24", rtb="rtb-app")
    b.sg("sg-open", "vpc-a", ingress(), egress())
    b.eni("eni-app", "subnet-app", "10.0.2.5", "sg-open")
    b.nat("nat-a", "subnet-pub", "10.0.1.100", "3.0.0.100", with_eni=False)
    net = b.build()
    assert walk_connection(net, tcp("10.0.2.5", "8.8.8.8", 443), from_eni("eni-app")).success
    t = walk(net, tcp("8.8.8.8", "3.0.0.100", 80), INTERNET)
    assert (t.disposition.code, t.disposition.component_id) == (
        "NGW_NO_UNSOLICITED_INBOUND",
        "nat-a",
    )


def tgw_two_azs(*, ecmp: bool = False, onprem_twice: bool = False) -> Network:
    """vpc-1 (one AZ) and vpc-2 (attachment subnets in two AZs) on tgw-1."""
    b = Builder()
    b.tgw("tgw-1")
    b.vpc("vpc-1", "10.1.0.0/16")
    b.vpc("vpc-2", "10.2.0.0/16")
    b.main_routes("vpc-1", route("0.0.0.0/0", "transit-gateway", "tgw-1"))
    b.main_routes("vpc-2", route("0.0.0.0/0", "transit-gateway", "tgw-1"))
    b.subnet("subnet-1b", "vpc-1", "10.1.1.0/24", "us-east-1b")
    b.subnet("subnet-2a", "vpc-2", "10.2.1.0/24", "us-east-1a")
    b.subnet("subnet-2b", "vpc-2", "10.2.2.0/24", "us-east-1b")
    b.subnet("subnet-2c", "vpc-2", "10.2.3.0/24", "us-east-1c")
    b.tgw_vpc_attachment("tgw-attach-1", "tgw-1", "vpc-1", "subnet-1b")
    b.tgw_vpc_attachment("tgw-attach-2", "tgw-1", "vpc-2", "subnet-2a", "subnet-2b")
    routes = [tgw_route("10.2.0.0/16", "tgw-attach-2")]
    if ecmp:
        routes = [tgw_route("10.2.0.0/16", "tgw-attach-2", "tgw-attach-1")]
    if onprem_twice:
        routes.append(tgw_route("10.2.3.128/25", state="blackhole"))
    b.tgw_route_table(
        "tgw-rtb",
        "tgw-1",
        *routes,
        associations=("tgw-attach-1", "tgw-attach-2", "tgw-attach-vpn"),
        propagations=("tgw-attach-1",),
    )
    b.sg("sg-open", None, ingress(), egress())
    b.eni("eni-1", "subnet-1b", "10.1.1.5", "sg-open")
    b.eni("eni-2c", "subnet-2c", "10.2.3.5", "sg-open", extra_ips=("10.2.3.200",))
    if onprem_twice:
        b.vgw("vgw-2", "vpc-2")
        b.vpn("vpn-a", "192.168.0.0/16", vgw="vgw-2")
        b.vpn("vpn-b", "192.168.0.0/16", tgw="tgw-1")
        b.tgw_vpn_attachment("tgw-attach-vpn", "tgw-1", "vpn-b")
    return b.build()


def test_tgw_egress_uses_the_attachment_subnet_in_the_packets_az():
    t = walk(tgw_two_azs(), tcp("10.1.1.5", "10.2.3.5"), from_eni("eni-1"))
    assert t.success
    details = [h.detail for h in t.hops if h.kind == "network-acl"]
    assert "egress of subnet-2b" in details


def test_tgw_egress_falls_back_to_the_first_subnet_by_id():
    # From on-prem through the TGW VPN attachment there is no AZ: first sorted subnet.
    t = walk(tgw_two_azs(onprem_twice=True), tcp("192.168.1.1", "10.2.3.5"), ONPREM)
    assert t.success
    assert [h.component_id for h in t.hops][:3] == ["onprem", "tgw-1", "tgw-rtb"]
    details = [h.detail for h in t.hops if h.kind == "network-acl"]
    assert details == ["egress of subnet-2a", "ingress of subnet-2c"]


def test_tgw_ecmp_takes_the_first_sorted_attachment():
    t = walk(tgw_two_azs(ecmp=True), tcp("10.1.1.5", "10.2.3.5"), from_eni("eni-1"))
    rtb_hop = next(h for h in t.hops if h.kind == "transit-gateway-route-table")
    assert rtb_hop.detail == "to tgw-attach-1"


def test_onprem_with_several_entry_points_takes_a_successful_one():
    net = tgw_two_azs(onprem_twice=True)
    # Entries sorted by id: tgw-attach-vpn (blackholed for 10.2.3.128/25), then vgw-2.
    t = walk(net, tcp("192.168.1.1", "10.2.3.200"), ONPREM)
    assert t.success
    assert t.hops[1].component_id == "vgw-2"
    # Both fail: the first failure in entry order is reported.
    t = walk(net, tcp("192.168.1.1", "10.2.3.201"), ONPREM)
    assert (t.disposition.code, t.disposition.component_id) == ("TGW_RTB_CANNOT_ROUTE", "tgw-rtb")


def test_onprem_range_carried_by_no_vpn_is_unknown():
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.subnet("subnet-1", "vpc-a", "10.0.1.0/24")
    net = b.build(onprem=("172.20.0.0/16",))
    t = walk(net, tcp("172.20.0.9", "10.0.1.5"), ONPREM)
    assert (t.disposition.kind, t.disposition.component_id) == (DispositionKind.UNKNOWN, "onprem")


def test_onprem_range_of_a_vpn_without_usable_gateway_is_dropped():
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.subnet("subnet-1", "vpc-a", "10.0.1.0/24")
    b.vpn("vpn-1", "192.168.0.0/16", vgw="vgw-gone")
    t = walk(b.build(), tcp("192.168.1.1", "10.0.1.5"), ONPREM)
    assert (t.disposition.code, t.disposition.component_id) == ("NO_ROUTE_TO_DESTINATION", "vpn-1")
