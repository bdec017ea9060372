"""Engine: on-prem ranges of BGP VPNs (docs/semantics/forwarding.md "TGW routing", VGW rule,
"Entering from outside"), the same cases as tests/test_walk_onprem_bgp.py, plus a grid on
which the engine's verdict must equal the walker's."""

from __future__ import annotations

import pytest
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
from test_engine_properties import engine, walker_verdict

from netcheck.api import Snapshot, Verdict
from netcheck.model.network import Network
from netcheck.model.resolve import Header


def codes(answer):
    assert answer.proof is not None, answer
    return {(b.component_id, b.code) for b in answer.proof.blockers}


def test_bgp_vpn_destination_without_known_route_is_unknown_naming_the_vpn():
    a = Snapshot(tgw_vpn_net()).query(ENI_A, "192.168.5.5", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == ATT_VPN
    assert VPN in a.reason and "--onprem" in a.reason and TGW_RTB in a.reason


def test_bgp_vpn_known_route_still_routes():
    a = Snapshot(tgw_vpn_net()).query(ENI_A, ENI_B, protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE


def test_known_route_wins_over_unknown_bgp_routes():
    a = Snapshot(tgw_vpn_net(statics=("192.168.0.0/16",))).query(
        ENI_A, "192.168.5.5", protocol="tcp", port=22
    )
    assert a.verdict is Verdict.UNREACHABLE
    assert (TGW_RTB, "TGW_RTB_CANNOT_ROUTE") in codes(a)


def test_table_without_vpn_propagation_still_drops():
    a = Snapshot(tgw_vpn_net(propagate_vpn=False)).query(
        ENI_A, "192.168.5.5", protocol="tcp", port=22
    )
    assert a.verdict is Verdict.UNREACHABLE
    assert (TGW_RTB, "TGW_RTB_CANNOT_ROUTE") in codes(a)


def test_declared_ranges_are_routes_of_the_bgp_vpn_both_ways():
    snap = Snapshot(tgw_vpn_net(declared=("192.168.0.0/16",)))
    a = snap.query(ENI_A, "192.168.5.5", protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE
    assert a.witness.disposition == "exits-onprem" and a.witness.destination == ATT_VPN
    assert ATT_VPN in [h.component_id for h in a.witness.return_path]
    b = snap.query(ENI_A, "172.16.0.1", protocol="tcp", port=22)
    assert b.verdict is Verdict.UNREACHABLE
    assert (TGW_RTB, "TGW_RTB_CANNOT_ROUTE") in codes(b)


@pytest.mark.parametrize("target", [ENI_A, ENI_B])
def test_onprem_source_in_declared_range_enters_through_the_bgp_vpn(target):
    snap = Snapshot(tgw_vpn_net(declared=("192.168.0.0/16",)))
    a = snap.query("192.168.5.5", target, protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE
    assert a.witness.path[0].component_id == ATT_VPN
    assert a.witness.return_path[-1].component_id == ATT_VPN


def test_static_vpn_keeps_its_own_ranges():
    snap = Snapshot(tgw_vpn_net("192.168.0.0/16", declared=("172.16.0.0/12",)))
    assert snap.query(ENI_A, "172.16.0.1", protocol="tcp", port=22).verdict is (Verdict.UNREACHABLE)
    assert snap.query("172.16.0.1", ENI_A, protocol="tcp", port=22).verdict is Verdict.UNKNOWN
    assert snap.query(ENI_A, "192.168.1.1", protocol="tcp", port=22).verdict is (Verdict.REACHABLE)


def test_vgw_bgp_vpn_uses_declared_ranges_both_ways():
    snap = Snapshot(vgw_vpn_net(declared=("192.168.0.0/16",)))
    a = snap.query(ENI_A, "192.168.5.5", protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE and a.witness.destination == VGW
    assert snap.query("192.168.5.5", ENI_A, protocol="tcp", port=22).verdict is (Verdict.REACHABLE)


def test_vgw_static_vpn_outside_its_ranges_is_no_route():
    snap = Snapshot(vgw_vpn_net("192.168.0.0/16", declared=("172.16.0.0/12",)))
    a = snap.query(ENI_A, "172.16.0.1", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert (VGW, "NO_ROUTE_TO_DESTINATION") in codes(a)


# -- engine == walker on every combination -----------------------------------------------------

NETWORKS = {
    "bgp": tgw_vpn_net(),
    "bgp+declared": tgw_vpn_net(declared=("192.168.0.0/16",)),
    "bgp+blackhole": tgw_vpn_net(statics=("192.168.0.0/16",)),
    "bgp-not-propagated+declared": tgw_vpn_net(propagate_vpn=False, declared=("192.168.0.0/16",)),
    "static+declared": tgw_vpn_net("192.168.0.0/16", declared=("172.16.0.0/12",)),
    "vgw-bgp": vgw_vpn_net(),
    "vgw-bgp+declared": vgw_vpn_net(declared=("192.168.0.0/16",)),
    "vgw-static+declared": vgw_vpn_net("192.168.0.0/16", declared=("172.16.0.0/12",)),
}
ADDRESSES = (IP_A, IP_B, "192.168.5.5", "172.16.0.1", "8.8.8.8")


def _cases():
    for name in NETWORKS:
        for dst in ADDRESSES:
            yield name, from_eni(ENI_A), IP_A, dst
        for src in ("192.168.5.5", "172.16.0.1"):
            for dst in (IP_A, IP_B):
                yield name, ONPREM, src, dst


@pytest.mark.parametrize(("name", "origin", "src", "dst"), list(_cases()))
def test_engine_equals_walker(name, origin, src, dst):
    network: Network = NETWORKS[name]
    packet = tcp(src, dst)
    expected = walker_verdict(network, origin, packet)
    got = engine(network, origin, Header(packet=packet))
    assert got.verdict == expected, (got.reason, [b.code for b in got.blockers])
