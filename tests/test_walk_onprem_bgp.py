"""Concrete walker: on-prem ranges of BGP VPNs (docs/semantics/forwarding.md "TGW routing",
VGW rule, "Entering from outside"): a TGW route table into which a VPN with unknown ranges
propagates answers `unknown` for a destination no known route matches; declared on-prem
ranges stand for the ranges of every VPN whose own ranges are unknown (routes, exits, entry)."""

from __future__ import annotations

from onprem_nets import (
    ATT_VPN,
    ENI_A,
    ENI_B,
    IP_A,
    IP_B,
    TGW_RTB,
    VGW,
    VPN,
    tgw_vpn_net,
    vgw_vpn_net,
)
from strategies import ONPREM, from_eni, tcp

from netcheck.model.packet import DispositionKind
from netcheck.walk import walk, walk_connection


def test_bgp_vpn_destination_without_known_route_is_unknown_naming_the_vpn():
    t = walk(tgw_vpn_net(), tcp(IP_A, "192.168.5.5"), from_eni(ENI_A))
    d = t.disposition
    assert (d.kind, d.component_id) == (DispositionKind.UNKNOWN, ATT_VPN)
    assert VPN in d.reason and "--onprem" in d.reason and TGW_RTB in d.reason


def test_bgp_vpn_known_route_still_routes():
    c = walk_connection(tgw_vpn_net(), tcp(IP_A, IP_B), from_eni(ENI_A))
    assert c.success and c.forward.disposition.component_id == ENI_B


def test_known_route_wins_over_unknown_bgp_routes():
    """Assumption (forwarding.md): BGP-learned routes are not more specific than known ones."""
    t = walk(tgw_vpn_net(statics=("192.168.0.0/16",)), tcp(IP_A, "192.168.5.5"), from_eni(ENI_A))
    assert (t.disposition.code, t.disposition.component_id) == ("TGW_RTB_CANNOT_ROUTE", TGW_RTB)


def test_table_without_vpn_propagation_still_drops():
    t = walk(tgw_vpn_net(propagate_vpn=False), tcp(IP_A, "192.168.5.5"), from_eni(ENI_A))
    assert (t.disposition.code, t.disposition.component_id) == ("TGW_RTB_CANNOT_ROUTE", TGW_RTB)


def test_declared_ranges_are_routes_of_the_bgp_vpn_both_ways():
    net = tgw_vpn_net(declared=("192.168.0.0/16",))
    c = walk_connection(net, tcp(IP_A, "192.168.5.5"), from_eni(ENI_A))
    assert c.success
    assert (c.forward.disposition.kind, c.forward.disposition.component_id) == (
        DispositionKind.EXITS_ONPREM,
        ATT_VPN,
    )
    assert any(h.rule == f"192.168.0.0/16 -> {ATT_VPN} (propagated)" for h in c.forward.hops)
    # The reply enters through the TGW VPN attachment (it carries the declared range).
    assert c.reply is not None and c.reply.disposition.component_id == ENI_A
    # With every VPN range known, a destination outside them is dropped again.
    t = walk(net, tcp(IP_A, "172.16.0.1"), from_eni(ENI_A))
    assert (t.disposition.code, t.disposition.component_id) == ("TGW_RTB_CANNOT_ROUTE", TGW_RTB)


def test_onprem_source_in_declared_range_enters_through_the_bgp_vpn():
    net = tgw_vpn_net(declared=("192.168.0.0/16",))
    for eni, ip in ((ENI_A, IP_A), (ENI_B, IP_B)):
        c = walk_connection(net, tcp("192.168.5.5", ip), ONPREM)
        assert c.success, c.forward.disposition
        assert c.forward.disposition.component_id == eni
        assert c.forward.hops[0].detail == f"enters through {ATT_VPN}"
        assert c.reply is not None and c.reply.disposition.component_id == ATT_VPN


def test_static_vpn_keeps_its_own_ranges():
    """Declared ranges only stand in for VPNs whose ranges are unknown."""
    net = tgw_vpn_net("192.168.0.0/16", declared=("172.16.0.0/12",))
    t = walk(net, tcp(IP_A, "172.16.0.1"), from_eni(ENI_A))
    assert t.disposition.code == "TGW_RTB_CANNOT_ROUTE"
    t = walk(net, tcp("172.16.0.1", IP_A), ONPREM)
    assert (t.disposition.kind, t.disposition.component_id) == (DispositionKind.UNKNOWN, "onprem")
    assert walk_connection(net, tcp(IP_A, "192.168.1.1"), from_eni(ENI_A)).success


def test_vgw_bgp_vpn_uses_declared_ranges_both_ways():
    net = vgw_vpn_net(declared=("192.168.0.0/16",))
    c = walk_connection(net, tcp(IP_A, "192.168.5.5"), from_eni(ENI_A))
    assert c.success and c.forward.disposition.component_id == VGW
    c = walk_connection(net, tcp("192.168.5.5", IP_A), ONPREM)
    assert c.success and c.forward.disposition.component_id == ENI_A


def test_vgw_static_vpn_outside_its_ranges_is_no_route():
    net = vgw_vpn_net("192.168.0.0/16", declared=("172.16.0.0/12",))
    t = walk(net, tcp(IP_A, "172.16.0.1"), from_eni(ENI_A))
    assert (t.disposition.code, t.disposition.component_id) == ("NO_ROUTE_TO_DESTINATION", VGW)
