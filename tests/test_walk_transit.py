"""Concrete walker: VPC peering (not transitive) and transit gateways (association,
propagation, static beats propagated, blackhole, isolation, AZ rule, attachment NACLs)."""

from __future__ import annotations

import pytest
from strategies import (
    ONPREM,
    Builder,
    egress,
    from_eni,
    inbound,
    ingress,
    outbound,
    route,
    tcp,
    tgw_route,
)

from netcheck.model import Network
from netcheck.model.packet import DispositionKind
from netcheck.walk import walk, walk_connection

# -- VPC peering --------------------------------------------------------------------------------


def peering_chain() -> Network:
    """vpc-a <-pcx-ab-> vpc-b <-pcx-bc-> vpc-c; vpc-a routes vpc-c's block to pcx-ab."""
    b = Builder()
    for name, n in (("a", 1), ("b", 2), ("c", 3)):
        b.vpc(f"vpc-{name}", f"10.{n}.0.0/16")
        b.subnet(f"subnet-{name}", f"vpc-{name}", f"10.{n}.1.0/24")
    b.igw("igw-b", "vpc-b")
    b.pcx("pcx-ab", "vpc-a", "vpc-b")
    b.pcx("pcx-bc", "vpc-b", "vpc-c")
    b.main_routes(
        "vpc-a",
        route("10.2.0.0/16", "vpc-peering-connection", "pcx-ab"),
        route("10.3.0.0/16", "vpc-peering-connection", "pcx-ab"),
        route("0.0.0.0/0", "vpc-peering-connection", "pcx-ab"),
    )
    b.main_routes(
        "vpc-b",
        route("10.1.0.0/16", "vpc-peering-connection", "pcx-ab"),
        route("10.3.0.0/16", "vpc-peering-connection", "pcx-bc"),
        route("0.0.0.0/0", "internet-gateway", "igw-b"),
    )
    b.main_routes("vpc-c", route("10.2.0.0/16", "vpc-peering-connection", "pcx-bc"))
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-a", "subnet-a", "10.1.1.10", "sg-all")
    b.eni("eni-b", "subnet-b", "10.2.1.10", "sg-all", public="3.2.1.10")
    b.eni("eni-c", "subnet-c", "10.3.1.10", "sg-all")
    return b.build()


def test_peering_delivers_into_the_peer():
    c = walk_connection(peering_chain(), tcp("10.1.1.10", "10.2.1.10"), from_eni("eni-a"))
    assert c.success
    kinds = [h.kind for h in c.forward.hops]
    assert kinds == [
        "eni-egress",
        "security-group",
        "route-table",
        "network-acl",
        "vpc-peering-connection",
        "network-acl",
        "security-group",
        "eni-ingress",
    ]


def test_peering_is_not_transitive():
    t = walk(peering_chain(), tcp("10.1.1.10", "10.3.1.10"), from_eni("eni-a"))
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
        "pcx-ab",
    )


def test_no_edge_to_edge_through_the_peers_igw():
    t = walk(peering_chain(), tcp("10.1.1.10", "8.8.8.8"), from_eni("eni-a"))
    assert (t.disposition.code, t.disposition.component_id) == (
        "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
        "pcx-ab",
    )


def test_peering_reply_needs_the_peers_route_back():
    b = Builder()
    b.vpc("vpc-a", "10.1.0.0/16")
    b.vpc("vpc-b", "10.2.0.0/16")
    b.subnet("subnet-a", "vpc-a", "10.1.1.0/24")
    b.subnet("subnet-b", "vpc-b", "10.2.1.0/24")
    b.pcx("pcx-ab", "vpc-a", "vpc-b")
    b.main_routes("vpc-a", route("10.2.0.0/16", "vpc-peering-connection", "pcx-ab"))
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-a", "subnet-a", "10.1.1.10", "sg-all")
    b.eni("eni-b", "subnet-b", "10.2.1.10", "sg-all")
    c = walk_connection(b.build(), tcp("10.1.1.10", "10.2.1.10"), from_eni("eni-a"))
    assert c.forward.success and not c.success
    assert c.reply is not None
    assert c.reply.disposition.code == "NO_ROUTE_TO_DESTINATION"


# -- transit gateway ----------------------------------------------------------------------------

TGW = "tgw-1"


def hub_and_spoke(
    *,
    spoke_routes: tuple = (),
    shared_routes: tuple = (),
    attach_acl: tuple | None = None,
    spoke1_az_b: bool = False,
) -> Network:
    """spoke1 (10.1/16), spoke2 (10.2/16), shared (10.9/16) on tgw-1. Spokes are associated
    with tgw-rtb-spokes, which has shared's propagation only (plus `spoke_routes`); shared is
    associated with tgw-rtb-shared, which has both spokes propagated (plus `shared_routes`).
    Each VPC has an app subnet and a separate attachment subnet (tgw-sub-*)."""
    b = Builder()
    b.tgw(TGW)
    for name, n in (("spoke1", 1), ("spoke2", 2), ("shared", 9)):
        vpc = f"vpc-{name}"
        b.vpc(vpc, f"10.{n}.0.0/16")
        b.main_routes(vpc, route("10.0.0.0/8", "transit-gateway", TGW))
        az = "us-east-1b" if (name == "spoke1" and spoke1_az_b) else "us-east-1a"
        b.subnet(f"subnet-{name}", vpc, f"10.{n}.1.0/24", az)
        if attach_acl is not None:
            b.acl(f"acl-tgw-{name}", vpc, *attach_acl)
        b.subnet(
            f"tgw-sub-{name}",
            vpc,
            f"10.{n}.255.0/28",
            "us-east-1a",
            acl=f"acl-tgw-{name}" if attach_acl is not None else None,
        )
        b.tgw_vpc_attachment(f"tgw-attach-{name}", TGW, vpc, f"tgw-sub-{name}")
    b.tgw_route_table(
        "tgw-rtb-spokes",
        TGW,
        *spoke_routes,
        associations=("tgw-attach-spoke1", "tgw-attach-spoke2"),
        propagations=("tgw-attach-shared",),
    )
    b.tgw_route_table(
        "tgw-rtb-shared",
        TGW,
        *shared_routes,
        associations=("tgw-attach-shared",),
        propagations=("tgw-attach-spoke1", "tgw-attach-spoke2"),
    )
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-spoke1", "subnet-spoke1", "10.1.1.10", "sg-all")
    b.eni("eni-spoke2", "subnet-spoke2", "10.2.1.10", "sg-all")
    b.eni("eni-shared", "subnet-shared", "10.9.1.10", "sg-all")
    return b.build()


S1 = from_eni("eni-spoke1")


def test_spoke_reaches_shared_and_back():
    c = walk_connection(hub_and_spoke(), tcp("10.1.1.10", "10.9.1.10"), S1)
    assert c.success
    hops = [(h.component_id, h.kind) for h in c.forward.hops]
    assert hops == [
        ("eni-spoke1", "eni-egress"),
        ("sg-all", "security-group"),
        ("rtb-main-vpc-spoke1", "route-table"),
        ("acl-default-vpc-spoke1", "network-acl"),
        ("acl-default-vpc-spoke1", "network-acl"),
        (TGW, "transit-gateway"),
        ("tgw-rtb-spokes", "transit-gateway-route-table"),
        ("rtb-main-vpc-shared", "route-table"),
        ("acl-default-vpc-shared", "network-acl"),
        ("acl-default-vpc-shared", "network-acl"),
        ("sg-all", "security-group"),
        ("eni-shared", "eni-ingress"),
    ]
    assert [h.detail for h in c.forward.hops if h.kind == "network-acl"] == [
        "egress of subnet-spoke1",
        "ingress of tgw-sub-spoke1",
        "egress of tgw-sub-shared",
        "ingress of subnet-shared",
    ]


def test_spokes_are_isolated():
    t = walk(hub_and_spoke(), tcp("10.1.1.10", "10.2.1.10"), S1)
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "TGW_RTB_CANNOT_ROUTE",
        "tgw-rtb-spokes",
    )


def test_static_route_beats_propagated_of_same_prefix():
    # A static blackhole for shared's block overrides its propagated route.
    net = hub_and_spoke(spoke_routes=(tgw_route("10.9.0.0/16", state="blackhole"),))
    t = walk(net, tcp("10.1.1.10", "10.9.1.10"), S1)
    assert (t.disposition.code, t.disposition.component_id) == (
        "TGW_RTB_CANNOT_ROUTE",
        "tgw-rtb-spokes",
    )
    assert t.hops[-1].rule == "10.9.0.0/16 -> blackhole (static)"


def test_longer_propagated_beats_shorter_static():
    net = hub_and_spoke(spoke_routes=(tgw_route("10.8.0.0/15", state="blackhole"),))
    assert walk(net, tcp("10.1.1.10", "10.9.1.10"), S1).success


def test_static_routes_enable_spoke_to_spoke_both_ways():
    one_way = hub_and_spoke(spoke_routes=(tgw_route("10.2.0.0/16", "tgw-attach-spoke2"),))
    c = walk_connection(one_way, tcp("10.1.1.10", "10.2.1.10"), S1)
    assert c.forward.success and not c.success
    assert c.reply is not None and c.reply.disposition.code == "TGW_RTB_CANNOT_ROUTE"
    both = hub_and_spoke(
        spoke_routes=(
            tgw_route("10.2.0.0/16", "tgw-attach-spoke2"),
            tgw_route("10.1.0.0/16", "tgw-attach-spoke1"),
        )
    )
    assert walk_connection(both, tcp("10.1.1.10", "10.2.1.10"), S1).success


def test_tgw_az_restriction():
    t = walk(hub_and_spoke(spoke1_az_b=True), tcp("10.1.1.10", "10.9.1.10"), S1)
    d = t.disposition
    assert (d.code, d.component_id) == ("TGW_ROUTE_AZ_RESTRICTION", TGW)


def test_missing_association_is_dropped():
    b = Builder()
    b.tgw(TGW)
    b.vpc("vpc-1", "10.1.0.0/16")
    b.main_routes("vpc-1", route("10.0.0.0/8", "transit-gateway", TGW))
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24")
    b.tgw_vpc_attachment("tgw-attach-1", TGW, "vpc-1", "subnet-1")
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.1.1.10", "sg-all")
    t = walk(b.build(), tcp("10.1.1.10", "10.2.1.10"), from_eni("eni-1"))
    assert (t.disposition.code, t.disposition.component_id) == (
        "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
        "tgw-attach-1",
    )


@pytest.mark.parametrize("state", ["active", "blackhole"])
def test_vpc_without_attachment(state):
    # An active route to a TGW implies an attachment of the VPC (AWS blackholes the route
    # once it is gone): without it in the snapshot the walk is unknown, not a drop.
    b = Builder()
    b.tgw(TGW)
    b.vpc("vpc-1", "10.1.0.0/16")
    b.main_routes("vpc-1", route("10.0.0.0/8", "transit-gateway", TGW, state=state))
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24")
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.1.1.10", "sg-all")
    t = walk(b.build(), tcp("10.1.1.10", "10.2.1.10"), from_eni("eni-1"))
    expected = (
        ("UNKNOWN_RESOURCE", TGW) if state == "active" else ("BAD_STATE_ROUTE", "rtb-main-vpc-1")
    )
    assert (t.disposition.code, t.disposition.component_id) == expected


def test_attachment_subnet_nacls_apply():
    # The attachment subnets' NACL denies traffic from spoke1's block, both ways.
    acl = (inbound(90, "deny", cidr="10.1.0.0/16"), inbound(100), outbound(100))
    t = walk(hub_and_spoke(attach_acl=acl), tcp("10.1.1.10", "10.9.1.10"), S1)
    assert (t.disposition.code, t.disposition.component_id) == (
        "SUBNET_ACL_RESTRICTION",
        "acl-tgw-spoke1",
    )
    acl = (inbound(100), outbound(90, "deny", cidr="10.9.0.0/16"), outbound(100))
    t = walk(hub_and_spoke(attach_acl=acl), tcp("10.1.1.10", "10.9.1.10"), S1)
    assert (t.disposition.code, t.disposition.component_id) == (
        "SUBNET_ACL_RESTRICTION",
        "acl-tgw-shared",
    )
    assert t.hops[-1].detail == "egress of tgw-sub-shared"


def test_tgw_vpn_attachment_to_and_from_onprem():
    b = Builder()
    b.tgw(TGW)
    b.vpc("vpc-1", "10.1.0.0/16")
    b.main_routes("vpc-1", route("0.0.0.0/0", "transit-gateway", TGW))
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24")
    b.tgw_vpc_attachment("tgw-attach-1", TGW, "vpc-1", "subnet-1")
    b.vpn("vpn-1", "203.0.113.0/24", tgw=TGW)
    b.tgw_vpn_attachment("tgw-attach-vpn", TGW, "vpn-1")
    b.tgw_route_table(
        "tgw-rtb",
        TGW,
        associations=("tgw-attach-1", "tgw-attach-vpn"),
        propagations=("tgw-attach-1", "tgw-attach-vpn"),
    )
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.1.1.10", "sg-all")
    net = b.build()
    out = walk_connection(net, tcp("10.1.1.10", "203.0.113.12"), from_eni("eni-1"))
    assert out.forward.disposition.kind is DispositionKind.EXITS_ONPREM
    assert out.forward.disposition.component_id == "tgw-attach-vpn"
    assert out.success
    inbound_ = walk_connection(net, tcp("203.0.113.12", "10.1.1.10"), ONPREM)
    assert inbound_.forward.disposition.component_id == "eni-1"
    assert inbound_.success
    t = walk(net, tcp("10.1.1.10", "198.51.100.1"), from_eni("eni-1"))
    assert (t.disposition.code, t.disposition.component_id) == (
        "TGW_RTB_CANNOT_ROUTE",
        "tgw-rtb",
    )
