"""Engine behaviour through gateways: IGW and public IPs, NAT gateway, peering (not
transitive), transit gateway (isolation, blackhole, AZ), gateway endpoints, VGW/on-prem, and
`unknown` for appliances and missing on-prem ranges. Tiny networks built in each test."""

from __future__ import annotations

import pytest
from strategies import Builder, egress, inbound, ingress, outbound, ports, route, tgw_route

from netcheck.api import Snapshot, Verdict
from netcheck.model import TCP


def codes(answer):
    assert answer.proof is not None, answer
    return {(b.component_id, b.code) for b in answer.proof.blockers}


def base(
    b: Builder, vpc: str, cidr: str, n: int, *, public: str | None = None, rtb=None, az="us-east-1a"
):
    """vpc `vpc` with one subnet (x.x.1.0/24) and one open instance ENI at .10."""
    prefix = cidr.rsplit(".", 2)[0]
    b.vpc(vpc, cidr)
    if rtb is not None:
        b.route_table(f"rtb-{n}", vpc, *rtb)
    b.subnet(
        f"subnet-{n}", vpc, f"{prefix}.1.0/24", az, rtb=f"rtb-{n}" if rtb is not None else None
    )
    b.sg(f"sg-{n}", vpc, ingress(), egress())
    b.eni(f"eni-{n}", f"subnet-{n}", f"{prefix}.1.10", f"sg-{n}", public=public)


# -- internet gateway --------------------------------------------------------------------


def igw_net(public: str | None):
    b = Builder()
    base(
        b,
        "vpc-a",
        "10.0.0.0/16",
        1,
        public=public,
        rtb=(route("0.0.0.0/0", "internet-gateway", "igw-a"),),
    )
    b.igw("igw-a", "vpc-a")
    return Snapshot(b.build())


def test_igw_egress_needs_public_ip():
    assert (
        igw_net("3.0.0.1").query("eni-1", "internet", protocol="tcp", port=443).verdict
        is Verdict.REACHABLE
    )
    a = igw_net(None).query("eni-1", "internet", protocol="tcp", port=443)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("igw-a", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS") in codes(a)


def test_igw_ingress_maps_public_ip_and_witness_shows_translation():
    a = igw_net("3.0.0.1").query("internet", "eni-1", protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE
    w = a.witness
    assert str(w.packet.dst_ip) == "3.0.0.1" and str(w.final_packet.dst_ip) == "10.0.1.10"
    igw_hop = next(h for h in w.path if h.component_id == "igw-a")
    assert str(igw_hop.packet_out.dst_ip) == "10.0.1.10"


def test_no_route_to_igw_is_no_route():
    b = Builder()
    base(b, "vpc-a", "10.0.0.0/16", 1, public="3.0.0.1")
    b.igw("igw-a", "vpc-a")
    a = Snapshot(b.build()).query("eni-1", "internet", protocol="tcp", port=443)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("rtb-main-vpc-a", "NO_ROUTE_TO_DESTINATION") in codes(a)


def test_blackhole_route_is_bad_state():
    b = Builder()
    base(
        b,
        "vpc-a",
        "10.0.0.0/16",
        1,
        public="3.0.0.1",
        rtb=(route("0.0.0.0/0", "internet-gateway", "igw-gone", state="blackhole"),),
    )
    a = Snapshot(b.build()).query("eni-1", "internet", protocol="tcp", port=443)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("rtb-1", "BAD_STATE_ROUTE") in codes(a)


# -- NAT gateway -------------------------------------------------------------------------


def nat_net(acl_pub=None):
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.igw("igw-a", "vpc-a")
    b.route_table("rtb-pub", "vpc-a", route("0.0.0.0/0", "internet-gateway", "igw-a"))
    b.route_table("rtb-priv", "vpc-a", route("0.0.0.0/0", "nat-gateway", "nat-a"))
    if acl_pub is not None:
        b.acl("acl-pub", "vpc-a", *acl_pub)
    b.subnet(
        "subnet-pub", "vpc-a", "10.0.1.0/24", rtb="rtb-pub", acl="acl-pub" if acl_pub else None
    )
    b.subnet("subnet-priv", "vpc-a", "10.0.2.0/24", rtb="rtb-priv")
    b.sg("sg-all", "vpc-a", ingress(), egress())
    b.eni("eni-priv", "subnet-priv", "10.0.2.10", "sg-all")
    b.nat("nat-a", "subnet-pub", "10.0.1.100", "3.0.0.100")
    return Snapshot(b.build())


def test_nat_gateway_to_internet_with_chosen_port():
    a = nat_net().query("eni-priv", "internet", protocol="tcp", port=443)
    assert a.verdict is Verdict.REACHABLE
    w = a.witness
    assert str(w.final_packet.src_ip) == "3.0.0.100"
    assert 1024 <= w.nat_ports["nat-a"] <= 65535
    assert w.final_packet.src_port == w.nat_ports["nat-a"]
    assert any(h.component_id == "nat-a" for h in w.return_path)


def test_nat_reply_needs_nacl_for_the_nat_port():
    """The NAT subnet's inbound ACL admits replies only on 1024-2000: the NAT picks the port,
    not the user, so the connection works for 977 of its 64,512 ports — unknown, not
    reachable (forwarding.md "The port a NAT gateway picks")."""
    acl = (
        inbound(100, protocol=TCP, port_range=ports(1024, 2000)),
        inbound(110, cidr="10.0.0.0/16"),
        outbound(100),
    )
    a = nat_net(acl).query("eni-priv", "internet", protocol="tcp", port=443)
    assert a.verdict is Verdict.UNKNOWN
    assert "depends on the port the NAT gateway picks (977 of 64,512 work)" in (a.reason or "")
    opened = (inbound(100, protocol=TCP, port_range=ports(1024, 65535)), *acl[1:])
    b = nat_net(opened).query("eni-priv", "internet", protocol="tcp", port=443)
    assert b.verdict is Verdict.REACHABLE
    assert 1024 <= b.witness.nat_ports["nat-a"] <= 65535


def test_nat_rejects_unsolicited_inbound():
    a = nat_net().query("internet", "3.0.0.100", protocol="tcp", port=80)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("nat-a", "NGW_NO_UNSOLICITED_INBOUND") in codes(a)


# -- peering -------------------------------------------------------------------------------


def peering_net():
    """a <-> b <-> c: a routes c's CIDR to pcx-ab (peering is not transitive)."""
    b = Builder()
    base(
        b,
        "vpc-a",
        "10.0.0.0/16",
        1,
        rtb=(
            route("10.1.0.0/16", "vpc-peering-connection", "pcx-ab"),
            route("10.2.0.0/16", "vpc-peering-connection", "pcx-ab"),
        ),
    )
    base(
        b,
        "vpc-b",
        "10.1.0.0/16",
        2,
        rtb=(
            route("10.0.0.0/16", "vpc-peering-connection", "pcx-ab"),
            route("10.2.0.0/16", "vpc-peering-connection", "pcx-bc"),
        ),
    )
    base(
        b,
        "vpc-c",
        "10.2.0.0/16",
        3,
        rtb=(route("10.1.0.0/16", "vpc-peering-connection", "pcx-bc"),),
    )
    b.pcx("pcx-ab", "vpc-a", "vpc-b")
    b.pcx("pcx-bc", "vpc-b", "vpc-c")
    return Snapshot(b.build())


def test_peering_works_and_is_not_transitive():
    snap = peering_net()
    assert snap.query("eni-1", "eni-2", protocol="tcp", port=22).verdict is Verdict.REACHABLE
    a = snap.query("eni-1", "eni-3", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("pcx-ab", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR") in codes(a)


def test_peering_needs_routes_on_both_sides():
    """b reaches c over pcx-bc (routes both ways); c has no route to a at all."""
    snap = peering_net()
    assert snap.query("eni-2", "eni-3", protocol="tcp", port=22).verdict is Verdict.REACHABLE
    assert snap.query("eni-3", "eni-1", protocol="tcp", port=22).verdict is Verdict.UNREACHABLE


# -- transit gateway -----------------------------------------------------------------------


def tgw_net(*, rt_a=(), rt_b=(), az_b="us-east-1a", att_az="us-east-1a"):
    b = Builder()
    base(b, "vpc-a", "10.0.0.0/16", 1, rtb=(route("10.0.0.0/8", "transit-gateway", "tgw-1"),))
    base(
        b,
        "vpc-b",
        "10.1.0.0/16",
        2,
        rtb=(route("10.0.0.0/8", "transit-gateway", "tgw-1"),),
        az=az_b,
    )
    base(b, "vpc-c", "10.2.0.0/16", 3, rtb=(route("10.0.0.0/8", "transit-gateway", "tgw-1"),))
    b.subnet("subnet-att-b", "vpc-b", "10.1.9.0/24", att_az)
    b.tgw("tgw-1")
    b.tgw_vpc_attachment("tgw-attach-a", "tgw-1", "vpc-a", "subnet-1")
    b.tgw_vpc_attachment("tgw-attach-b", "tgw-1", "vpc-b", "subnet-att-b")
    b.tgw_vpc_attachment("tgw-attach-c", "tgw-1", "vpc-c", "subnet-3")
    # Spokes a and c only route to b (the hub); b routes to both.
    b.tgw_route_table(
        "tgw-rtb-spoke",
        "tgw-1",
        *rt_a,
        associations=("tgw-attach-a", "tgw-attach-c"),
        propagations=("tgw-attach-b",),
    )
    b.tgw_route_table(
        "tgw-rtb-hub",
        "tgw-1",
        *rt_b,
        associations=("tgw-attach-b",),
        propagations=("tgw-attach-a", "tgw-attach-c"),
    )
    return Snapshot(b.build())


def test_tgw_hub_and_spoke_isolation():
    snap = tgw_net()
    assert snap.query("eni-1", "eni-2", protocol="tcp", port=22).verdict is Verdict.REACHABLE
    a = snap.query("eni-1", "eni-3", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("tgw-rtb-spoke", "TGW_RTB_CANNOT_ROUTE") in codes(a)


def test_tgw_blackhole_route():
    snap = tgw_net(rt_a=(tgw_route("10.1.1.0/24", state="blackhole"),))
    a = snap.query("eni-1", "eni-2", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("tgw-rtb-spoke", "TGW_RTB_CANNOT_ROUTE") in codes(a)


def test_tgw_az_restriction():
    """vpc-b's instance is in us-east-1b but its attachment only has a subnet in us-east-1a:
    its packets cannot enter the TGW."""
    snap = tgw_net(az_b="us-east-1b")
    a = snap.query("eni-2", "eni-1", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert ("tgw-1", "TGW_ROUTE_AZ_RESTRICTION") in codes(a)


# -- endpoints, on-prem, unknown ---------------------------------------------------------------


def test_gateway_endpoint_reaches_service_only_by_prefix_list():
    b = Builder()
    base(b, "vpc-a", "10.0.0.0/16", 1, rtb=(route("pl-s3", "gateway-endpoint", "vpce-s3"),))
    b.prefix_list("pl-s3", "52.216.0.0/15")
    b.gateway_endpoint("vpce-s3", "vpc-a", "com.amazonaws.us-east-1.s3", "pl-s3")
    snap = Snapshot(b.build())
    a = snap.query("eni-1", "vpce-s3", protocol="tcp", port=443)
    assert a.verdict is Verdict.REACHABLE
    assert a.witness.disposition == "delivered-service"
    assert a.witness.packet.dst_ip in __import__("ipaddress").ip_network("52.216.0.0/15")
    assert snap.query("eni-1", "internet", protocol="tcp", port=443).verdict is Verdict.UNREACHABLE


def vgw_net(ranges: tuple[str, ...]):
    b = Builder()
    base(
        b, "vpc-a", "10.0.0.0/16", 1, rtb=(route("0.0.0.0/0", "virtual-private-gateway", "vgw-1"),)
    )
    b.vgw("vgw-1", "vpc-a")
    b.vpn("vpn-1", *ranges, vgw="vgw-1")
    return Snapshot(b.build())


def test_vgw_to_onprem_range_and_back():
    snap = vgw_net(("192.168.0.0/16",))
    a = snap.query("eni-1", "192.168.5.5", protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE and a.witness.disposition == "exits-onprem"
    back = snap.query("192.168.5.5", "eni-1", protocol="tcp", port=22)
    assert back.verdict is Verdict.REACHABLE


def test_vgw_without_known_ranges_is_unknown():
    a = vgw_net(()).query("eni-1", "192.168.5.5", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNKNOWN
    assert "vgw-1" in a.reason


def test_route_to_appliance_is_unknown_naming_it():
    b = Builder()
    base(
        b,
        "vpc-a",
        "10.0.0.0/16",
        1,
        public="3.0.0.1",
        rtb=(route("0.0.0.0/0", "network-interface", "eni-fw"),),
    )
    a = Snapshot(b.build()).query("eni-1", "internet", protocol="tcp", port=443)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == "eni-fw" and "not modelled" in a.reason


def test_unknown_does_not_hide_a_reachable_path():
    """Port 443 goes to an appliance (unknown) but the VPC-local destination is reachable."""
    b = Builder()
    base(b, "vpc-a", "10.0.0.0/16", 1, rtb=(route("0.0.0.0/0", "network-interface", "eni-fw"),))
    b.eni("eni-x", "subnet-1", "10.0.1.20", "sg-1")
    a = Snapshot(b.build()).query("eni-1", "eni-x", protocol="tcp", port=22)
    assert a.verdict is Verdict.REACHABLE


@pytest.mark.parametrize("timeout_ms", [0])
def test_solver_timeout_is_unknown(timeout_ms):
    a = nat_net().query("eni-priv", "internet", protocol="tcp", timeout_ms=timeout_ms)
    assert a.verdict is Verdict.UNKNOWN
    assert "timeout" in a.reason


def test_nothing_connects_is_no_path():
    """Two VPCs with no peering, TGW or gateway: the proof says no topological path."""
    b = Builder()
    base(b, "vpc-a", "10.0.0.0/16", 1)
    base(b, "vpc-b", "10.1.0.0/16", 2)
    a = Snapshot(b.build()).query("eni-1", "eni-2", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    assert a.proof.paths_checked == 0
    assert "NO_PATH" in {x.code for x in a.proof.blockers}
    assert ("rtb-main-vpc-a", "NO_ROUTE_TO_DESTINATION") in codes(a)


def test_topology_graph_connects():
    from netcheck.compile.topology import connects
    from netcheck.model.packet import Origin, OriginKind
    from netcheck.model.resolve import Destination

    net = peering_net().network
    eni1 = Origin(kind=OriginKind.INTERFACE, interface_id="eni-1")
    assert connects(net, eni1, Destination(interface_ids=("eni-2",)))
    # The graph ignores headers: a reaches vpc-b, but nothing in vpc-b forwards on to c.
    assert not connects(net, eni1, Destination(interface_ids=("eni-3",)))
    assert not connects(net, eni1, Destination(internet=True))


def test_missing_security_group_is_unknown_not_a_drop():
    b = Builder()
    base(b, "vpc-a", "10.0.0.0/16", 1)
    b.eni("eni-x", "subnet-1", "10.0.1.20", "sg-gone")
    a = Snapshot(b.build()).query("eni-1", "eni-x", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == "sg-gone"


def test_missing_network_acl_is_unknown():
    b = Builder()
    base(b, "vpc-a", "10.0.0.0/16", 1)
    b.subnet("subnet-x", "vpc-a", "10.0.2.0/24", acl="acl-gone")
    b.eni("eni-x", "subnet-x", "10.0.2.20", "sg-1")
    a = Snapshot(b.build()).query("eni-1", "eni-x", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNKNOWN
    assert "acl-gone" in a.reason


def test_blocker_is_the_filter_that_rules_out_a_route():
    """web's SG only allows egress to 10.0.0.0/16, so the path to app's public IP (through the
    internet) is blocked by that SG, not by the route table it would have used."""
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.igw("igw-a", "vpc-a")
    b.route_table("rtb-pub", "vpc-a", route("0.0.0.0/0", "internet-gateway", "igw-a"))
    b.subnet("subnet-1", "vpc-a", "10.0.1.0/24", rtb="rtb-pub")
    b.sg("sg-web", "vpc-a", egress(cidr="10.0.0.0/16"))
    b.sg("sg-app", "vpc-a", ingress(TCP, ports(22), cidr="192.0.2.0/24"))
    b.eni("eni-web", "subnet-1", "10.0.1.10", "sg-web", public="3.0.0.10")
    b.eni("eni-app", "subnet-1", "10.0.1.20", "sg-app", public="3.0.0.20")
    a = Snapshot(b.build()).query("eni-web", "eni-app", protocol="tcp", port=22)
    assert a.verdict is Verdict.UNREACHABLE
    found = codes(a)
    assert ("eni-app", "ENI_SG_RULES_MISMATCH") in found  # the local path
    assert ("eni-web", "ENI_SG_RULES_MISMATCH") in found  # the path through the internet
    assert not any(code == "NO_ROUTE_TO_DESTINATION" for _, code in found)


def test_tgw_peering_attachment_is_unknown():
    from netcheck.model import TransitGatewayAttachment, TransitGatewayAttachmentType

    b = Builder()
    base(b, "vpc-a", "10.0.0.0/16", 1, rtb=(route("10.9.0.0/16", "transit-gateway", "tgw-1"),))
    b.tgw("tgw-1")
    b.tgw_vpc_attachment("tgw-attach-a", "tgw-1", "vpc-a", "subnet-1")
    b._add(
        "transit_gateway_attachments",
        TransitGatewayAttachment(
            id="tgw-attach-peer",
            transit_gateway_id="tgw-1",
            resource_type=TransitGatewayAttachmentType.PEERING,
            resource_id="tgw-remote",
        ),
    )
    b.tgw_route_table(
        "tgw-rtb-1",
        "tgw-1",
        tgw_route("10.9.0.0/16", "tgw-attach-peer"),
        associations=("tgw-attach-a",),
    )
    a = Snapshot(b.build()).query("eni-1", "10.9.1.1", protocol="tcp", port=443)
    assert a.verdict is Verdict.UNKNOWN
    assert a.component_id == "tgw-attach-peer"
