"""Concrete walker: route lookup (longest prefix, tie order, prefix lists), blackholes,
missing targets, unsupported targets and routing loops."""

from __future__ import annotations

import pytest
from strategies import Builder, egress, from_eni, ingress, route, tcp, tgw_route

from netcheck.model import Network
from netcheck.model.packet import DispositionKind
from netcheck.walk import MAX_HOPS, walk

VPC = "vpc-a"
RTB = "rtb-app"


def net_with_routes(*routes, extra=None) -> Network:
    """vpc-a 10.0.0.0/16 with igw-a, nat-a (in subnet-pub), pcx-a to vpc-b, a gateway
    endpoint; subnet-app uses `rtb-app` with `routes`."""
    b = Builder()
    b.vpc(VPC, "10.0.0.0/16")
    b.vpc("vpc-b", "10.1.0.0/16")
    b.igw("igw-a", VPC)
    b.route_table(RTB, VPC, *routes)
    b.route_table("rtb-pub", VPC, route("0.0.0.0/0", "internet-gateway", "igw-a"))
    b.subnet("subnet-app", VPC, "10.0.2.0/24", rtb=RTB)
    b.subnet("subnet-pub", VPC, "10.0.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-b", "vpc-b", "10.1.1.0/24")
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-app", "subnet-app", "10.0.2.10", "sg-all", public="3.0.0.10")
    b.eni("eni-b", "subnet-b", "10.1.1.10", "sg-all")
    b.nat("nat-a", "subnet-pub", "10.0.1.100", "3.0.0.100")
    b.pcx("pcx-ab", VPC, "vpc-b")
    b.prefix_list("pl-s3", "52.216.0.0/15", "54.231.0.0/17")
    b.gateway_endpoint("vpce-s3", VPC, "com.amazonaws.us-east-1.s3", "pl-s3")
    if extra:
        extra(b)
    return b.build()


APP = from_eni("eni-app")


def chosen_route(net: Network, dst: str) -> str | None:
    t = walk(net, tcp("10.0.2.10", dst, 443), APP)
    return next(h.rule for h in t.hops if h.component_id == RTB)


def test_longest_prefix_wins():
    net = net_with_routes(
        route("0.0.0.0/0", "internet-gateway", "igw-a"),
        route("8.8.0.0/16", "nat-gateway", "nat-a"),
    )
    assert chosen_route(net, "8.8.8.8") == "8.8.0.0/16 -> nat-a"
    assert chosen_route(net, "9.9.9.9") == "0.0.0.0/0 -> igw-a"


def test_longest_prefix_does_not_depend_on_route_order():
    a = (
        route("0.0.0.0/0", "internet-gateway", "igw-a"),
        route("8.8.0.0/16", "nat-gateway", "nat-a"),
    )
    assert chosen_route(net_with_routes(*reversed(a)), "8.8.8.8") == "8.8.0.0/16 -> nat-a"


def test_prefix_list_route_uses_the_matching_entry_length():
    # pl-s3 entry 54.231.0.0/17 is longer than the /16 CIDR route to the NAT.
    net = net_with_routes(
        route("54.231.0.0/16", "nat-gateway", "nat-a"),
        route("pl-s3", "gateway-endpoint", "vpce-s3"),
    )
    assert chosen_route(net, "54.231.1.1") == "pl-s3 -> vpce-s3"
    t = walk(net, tcp("10.0.2.10", "54.231.1.1", 443), APP)
    d = t.disposition
    assert (d.kind, d.component_id) == (DispositionKind.DELIVERED_SERVICE, "vpce-s3")
    assert [h.kind for h in t.hops][-2:] == ["network-acl", "vpc-endpoint"]


def test_tie_cidr_beats_prefix_list_beats_propagated():
    net = net_with_routes(
        route("pl-s3", "gateway-endpoint", "vpce-s3"),
        route("52.216.0.0/15", "nat-gateway", "nat-a"),
    )
    assert chosen_route(net, "52.216.1.1") == "52.216.0.0/15 -> nat-a"
    net = net_with_routes(
        route("52.216.0.0/15", "nat-gateway", "nat-a", origin="EnableVgwRoutePropagation"),
        route("pl-s3", "gateway-endpoint", "vpce-s3"),
    )
    assert chosen_route(net, "52.216.1.1") == "pl-s3 -> vpce-s3"


def test_local_route_beats_an_equal_more_general_route():
    # A CIDR route for exactly the VPC block loses the tie to `local`.
    net = net_with_routes(route("10.0.0.0/16", "nat-gateway", "nat-a"))
    assert chosen_route(net, "10.0.1.100") == "10.0.0.0/16 -> local"


def test_no_route():
    t = walk(net_with_routes(), tcp("10.0.2.10", "8.8.8.8", 443), APP)
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.DROPPED,
        "NO_ROUTE_TO_DESTINATION",
        RTB,
    )
    assert (t.hops[-1].kind, t.hops[-1].action) == ("route-table", "deny")


def test_blackhole_route():
    net = net_with_routes(route("8.8.0.0/16", "nat-gateway", "nat-gone", state="blackhole"))
    t = walk(net, tcp("10.0.2.10", "8.8.8.8", 443), APP)
    assert (t.disposition.code, t.disposition.component_id) == ("BAD_STATE_ROUTE", RTB)
    assert t.hops[-1].rule == "8.8.0.0/16 -> nat-gone"


@pytest.mark.parametrize(
    "bad",
    [
        route("0.0.0.0/0", "nat-gateway", "nat-missing"),
        route("0.0.0.0/0", "internet-gateway", "igw-missing"),
        route("0.0.0.0/0", "vpc-peering-connection", "pcx-missing"),
        route("0.0.0.0/0", "transit-gateway", "tgw-missing"),
        route("0.0.0.0/0", "virtual-private-gateway", "vgw-missing"),
        route("0.0.0.0/0", "gateway-endpoint", "vpce-missing"),
    ],
    ids=lambda r: r.target_kind.value,
)
def test_missing_target_of_an_active_route_is_unknown(bad):
    # AWS shows a route active only while its target exists: the snapshot lacks the target.
    t = walk(net_with_routes(bad), tcp("10.0.2.10", "8.8.8.8", 443), APP)
    assert t.disposition.kind.value == "unknown"
    assert (t.disposition.code, t.disposition.component_id) == ("UNKNOWN_RESOURCE", bad.target_id)
    assert RTB in t.disposition.reason


def test_unavailable_nat_and_inactive_peering_are_bad_state_routes():
    def extra(b: Builder) -> None:
        b.nat("nat-pending", "subnet-pub", "10.0.1.101", state="pending", with_eni=False)
        b.pcx("pcx-pending", VPC, "vpc-b", status="pending-acceptance")

    net = net_with_routes(
        route("8.8.0.0/16", "nat-gateway", "nat-pending"),
        route("10.1.0.0/16", "vpc-peering-connection", "pcx-pending"),
        extra=extra,
    )
    for dst in ("8.8.8.8", "10.1.1.10"):
        t = walk(net, tcp("10.0.2.10", dst, 443), APP)
        assert (t.disposition.code, t.disposition.component_id) == ("BAD_STATE_ROUTE", RTB)


def test_igw_not_attached_to_this_vpc_is_bad_state_route():
    net = net_with_routes(
        route("0.0.0.0/0", "internet-gateway", "igw-b"), extra=lambda b: b.igw("igw-b", "vpc-b")
    )
    t = walk(net, tcp("10.0.2.10", "8.8.8.8", 443), APP)
    assert (t.disposition.code, t.disposition.component_id) == ("BAD_STATE_ROUTE", RTB)


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("network-interface", "eni-appliance"),
        ("instance", "i-natinstance"),
        ("gateway-load-balancer-endpoint", "vpce-gwlb"),
        ("egress-only-internet-gateway", "eigw-1"),
        ("carrier-gateway", "cagw-1"),
    ],
)
def test_appliance_and_unsupported_targets_are_unknown(kind, target):
    t = walk(net_with_routes(route("0.0.0.0/0", kind, target)), tcp("10.0.2.10", "8.8.8.8"), APP)
    d = t.disposition
    assert (d.kind, d.code, d.component_id) == (
        DispositionKind.UNKNOWN,
        "UNSUPPORTED_COMPONENT",
        target,
    )
    assert target in d.reason


def test_routing_loop_is_unknown():
    # Two TGW-attached VPCs whose default routes point at each other through the TGW.
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.vpc("vpc-2", "10.2.0.0/16")
    b.tgw("tgw-1")
    b.main_routes("vpc-1", route("0.0.0.0/0", "transit-gateway", "tgw-1"))
    b.main_routes("vpc-2", route("0.0.0.0/0", "transit-gateway", "tgw-1"))
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24")
    b.subnet("subnet-2", "vpc-2", "10.2.1.0/24")
    b.tgw_vpc_attachment("tgw-attach-1", "tgw-1", "vpc-1", "subnet-1")
    b.tgw_vpc_attachment("tgw-attach-2", "tgw-1", "vpc-2", "subnet-2")
    b.tgw_route_table(
        "tgw-rtb-1",
        "tgw-1",
        tgw_route("0.0.0.0/0", "tgw-attach-2"),
        associations=("tgw-attach-1",),
    )
    b.tgw_route_table(
        "tgw-rtb-2",
        "tgw-1",
        tgw_route("0.0.0.0/0", "tgw-attach-1"),
        associations=("tgw-attach-2",),
    )
    b.sg("sg-all", None, ingress(), egress())
    b.eni("eni-1", "subnet-1", "10.1.1.10", "sg-all")
    t = walk(b.build(), tcp("10.1.1.10", "8.8.8.8"), from_eni("eni-1"))
    assert t.disposition.kind is DispositionKind.UNKNOWN
    assert "routing loop" in t.disposition.reason
    assert len(t.hops) == MAX_HOPS
