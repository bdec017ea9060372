"""Batfish peer facts that need the on-prem side of `hybrid-cloud` (H13, H15, with H2/H18
as the control), as engine tests: the VPNs are BGP VPNs whose routes are not in the
snapshot. Without declared ranges a path to on-prem is `unknown` naming the VPN; with
203.0.113.0/24 declared (`--onprem`) on-prem is reached through each region's TGW VPN
attachment and srv-101 (203.0.113.12) reaches all four instances at their private IPs.
Skipped when ../shared is absent."""

from __future__ import annotations

import pytest
from conftest import HYBRID_CLOUD, require_peers

from netcheck.api import Snapshot, Verdict, load

pytestmark = pytest.mark.peers

EAST2_PRIVATE = "i-04cd3db5124a05ee6"
EAST2_PUBLIC = "i-01602d9efaed4409a"
SRV_101 = "203.0.113.12"
ONPREM = "203.0.113.0/24"
VPN_EAST = "vpn-01c45673532d3e33e"
VPN_ATT_EAST = "tgw-attach-0881ce2eb93cd63a8"
VPN_ATT_WEST = "tgw-attach-0b45e5d982f47ddda"
TGW_RTB_EAST = "tgw-rtb-00e37bc5142347b03"

# Private IP, ENI, the VPN attachment of its region.
INSTANCES = {
    "east2_private": ("10.30.1.166", "eni-05452497daf80ccb3", VPN_ATT_EAST),
    "east2_public": ("10.20.1.207", "eni-01997085076a9b98a", VPN_ATT_EAST),
    "west2_private": ("10.50.2.251", "eni-00c224f9b6797aa04", VPN_ATT_WEST),
    "west2_public": ("10.40.2.80", "eni-087e18628dadd9b48", VPN_ATT_WEST),
}


@pytest.fixture(scope="module")
def hybrid() -> Snapshot:
    require_peers()
    return load(HYBRID_CLOUD)


@pytest.fixture(scope="module")
def hybrid_onprem() -> Snapshot:
    require_peers()
    return load(HYBRID_CLOUD, onprem_cidrs=(ONPREM,))


def test_to_onprem_without_declared_ranges_is_unknown_naming_the_vpn(hybrid):
    a = hybrid.query(EAST2_PRIVATE, SRV_101, protocol="tcp", port=22)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == VPN_ATT_EAST
    assert VPN_EAST in a.reason and TGW_RTB_EAST in a.reason and "--onprem" in a.reason


def test_to_onprem_with_declared_ranges_is_reachable_through_the_tgw_vpn(hybrid_onprem):
    a = hybrid_onprem.query(EAST2_PRIVATE, SRV_101, protocol="tcp", port=22, src_port=49152)
    assert a.verdict is Verdict.REACHABLE
    w = a.witness
    assert w.disposition == "exits-onprem" and w.destination == VPN_ATT_EAST
    assert TGW_RTB_EAST in [h.component_id for h in w.path]
    assert w.return_path[0].component_id == VPN_ATT_EAST  # the reply enters through it


@pytest.mark.parametrize("name", sorted(INSTANCES))
def test_h13_h15_srv101_reaches_every_instance_privately(hybrid_onprem, name):
    ip, eni, vpn_att = INSTANCES[name]
    a = hybrid_onprem.query(SRV_101, ip, protocol="tcp", port=22, src_port=49152)
    assert a.verdict is Verdict.REACHABLE
    w = a.witness
    assert w.destination == eni and str(w.final_packet.dst_ip) == ip
    assert w.path[0].component_id == vpn_att
    # The reply routes 203.0.113.0/24 -> TGW -> VPN back to on-prem.
    back = [h.component_id for h in w.return_path]
    assert back[-1] == vpn_att
    assert any(h.kind == "transit-gateway-route-table" for h in w.return_path)


@pytest.mark.parametrize("snapshot", ["hybrid", "hybrid_onprem"])
def test_h2_h18_other_region_private_ip_stays_unreachable(snapshot, request):
    snap = request.getfixturevalue(snapshot)
    a = snap.query(EAST2_PUBLIC, "10.40.2.80", protocol="tcp", port=22, src_port=49152)
    assert a.verdict is Verdict.UNREACHABLE
    assert "IGW_DESTINATION_RFC1918" in {b.code for b in a.proof.blockers}
