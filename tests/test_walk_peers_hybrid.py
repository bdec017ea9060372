"""Concrete walker on the on-prem facts of `hybrid-cloud` (H13, H15, with H2/H18 as the
control), whose VPNs are BGP VPNs with no routes in the snapshot: without declared ranges
the walk to on-prem is `unknown` naming the VPN; with 203.0.113.0/24 declared srv-101
(203.0.113.12) reaches all four instances at their private IPs through the TGW VPNs and the
replies route back the same way. Skipped when ../shared is absent."""

from __future__ import annotations

import pytest
from strategies import ONPREM, from_eni, tcp

from netcheck.inputs import load_snapshot
from netcheck.model import Network
from netcheck.model.packet import DispositionKind
from netcheck.walk import walk, walk_connection

pytestmark = pytest.mark.peers

SRV_101 = "203.0.113.12"
EAST2_PRIVATE_ENI, EAST2_PRIVATE_IP = "eni-05452497daf80ccb3", "10.30.1.166"
EAST2_PUBLIC_ENI, EAST2_PUBLIC_IP = "eni-01997085076a9b98a", "10.20.1.207"
VPN_EAST = "vpn-01c45673532d3e33e"
VPN_ATT_EAST = "tgw-attach-0881ce2eb93cd63a8"
VPN_ATT_WEST = "tgw-attach-0b45e5d982f47ddda"
INSTANCES = {
    EAST2_PRIVATE_ENI: (EAST2_PRIVATE_IP, VPN_ATT_EAST),
    EAST2_PUBLIC_ENI: (EAST2_PUBLIC_IP, VPN_ATT_EAST),
    "eni-00c224f9b6797aa04": ("10.50.2.251", VPN_ATT_WEST),
    "eni-087e18628dadd9b48": ("10.40.2.80", VPN_ATT_WEST),
}


@pytest.fixture
def net(hybrid_cloud) -> Network:
    return load_snapshot(hybrid_cloud).network


@pytest.fixture
def net_onprem(hybrid_cloud) -> Network:
    return load_snapshot(hybrid_cloud, onprem_cidrs=("203.0.113.0/24",)).network


def test_to_onprem_without_declared_ranges_is_unknown_naming_the_vpn(net):
    t = walk(net, tcp(EAST2_PRIVATE_IP, SRV_101), from_eni(EAST2_PRIVATE_ENI))
    d = t.disposition
    assert (d.kind, d.component_id) == (DispositionKind.UNKNOWN, VPN_ATT_EAST)
    assert VPN_EAST in d.reason and "--onprem" in d.reason


def test_to_onprem_with_declared_ranges_exits_through_the_tgw_vpn(net_onprem):
    c = walk_connection(net_onprem, tcp(EAST2_PRIVATE_IP, SRV_101), from_eni(EAST2_PRIVATE_ENI))
    assert c.success
    assert (c.forward.disposition.kind, c.forward.disposition.component_id) == (
        DispositionKind.EXITS_ONPREM,
        VPN_ATT_EAST,
    )


@pytest.mark.parametrize("eni", sorted(INSTANCES))
def test_h13_h15_srv101_reaches_every_instance_privately(net_onprem, eni):
    ip, vpn_att = INSTANCES[eni]
    c = walk_connection(net_onprem, tcp(SRV_101, ip), ONPREM)
    assert c.success, c.forward.disposition
    assert c.forward.disposition.component_id == eni
    assert c.forward.hops[0].detail == f"enters through {vpn_att}"
    assert c.reply is not None
    assert (c.reply.disposition.kind, c.reply.disposition.component_id) == (
        DispositionKind.EXITS_ONPREM,
        vpn_att,
    )


@pytest.mark.parametrize("declared", [(), ("203.0.113.0/24",)])
def test_h2_h18_other_region_private_ip_stays_unreachable(hybrid_cloud, declared):
    network = load_snapshot(hybrid_cloud, onprem_cidrs=declared).network
    t = walk(network, tcp(EAST2_PUBLIC_IP, "10.40.2.80"), from_eni(EAST2_PUBLIC_ENI))
    assert t.disposition.code == "IGW_DESTINATION_RFC1918"
