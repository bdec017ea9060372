"""Unit tests per hop function of compile/hops/: each hop on a tiny network gives the expected
steps (kind, label, code), path ends and next locations; the hop tables of the engine and
the walker agree; the derived index is built once per network and caches filter constraints
per resource."""

from __future__ import annotations

import gc

import pytest
import z3
from strategies import Builder, egress, ingress, route, tgw_route

from netcheck.compile import topology
from netcheck.compile.explore import Explorer
from netcheck.compile.hops import (
    gateway_endpoint,
    interface,
    internet,
    nat_gateway,
    network_acl,
    onprem,
    peering,
    security_group,
    subnet,
    transit_gateway,
    vpn_gateway,
)
from netcheck.compile.hops.context import HopContext, PathState
from netcheck.compile.hops.table import ROUTE_TARGETS
from netcheck.compile.index import NetworkIndex, index_for
from netcheck.compile.packet import fresh
from netcheck.errors import MissingResource
from netcheck.model import Direction, Network, RouteTargetKind
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind, Origin, OriginKind
from netcheck.walk.hops.table import ROUTE_TARGETS as WALK_ROUTE_TARGETS

VPC_A, VPC_B = "vpc-a", "vpc-b"
ENI_1, ENI_2 = "eni-1", "eni-2"
SUBNET_1, SUBNET_2 = "subnet-1", "subnet-2"
RTB_1 = "rtb-1"
ACL_A = "acl-default-vpc-a"

# Route target kinds the engine does not model: a route to one ends its path `unknown`.
UNMODELLED = frozenset(
    {
        RouteTargetKind.NETWORK_INTERFACE,
        RouteTargetKind.INSTANCE,
        RouteTargetKind.GATEWAY_LOAD_BALANCER_ENDPOINT,
        RouteTargetKind.CARRIER_GATEWAY,
        RouteTargetKind.LOCAL_GATEWAY,
        RouteTargetKind.CORE_NETWORK,
        RouteTargetKind.EGRESS_ONLY_INTERNET_GATEWAY,
        RouteTargetKind.UNKNOWN,
    }
)


def net(*routes, public: str | None = "3.0.0.1", build=None) -> Network:
    """vpc-a 10.0.0.0/16: subnet-1 (10.0.1.0/24, table rtb-1 with `routes`) holding eni-1
    (10.0.1.10, public IP `public`) and subnet-2 (10.0.2.0/24) holding eni-2 (10.0.2.20);
    sg-1 allows everything."""
    b = Builder()
    b.vpc(VPC_A, "10.0.0.0/16")
    b.route_table(RTB_1, VPC_A, *routes)
    b.subnet(SUBNET_1, VPC_A, "10.0.1.0/24", rtb=RTB_1)
    b.subnet(SUBNET_2, VPC_A, "10.0.2.0/24")
    b.sg("sg-1", VPC_A, ingress(), egress())
    b.eni(ENI_1, SUBNET_1, "10.0.1.10", "sg-1", public=public)
    b.eni(ENI_2, SUBNET_2, "10.0.2.20", "sg-1")
    if build is not None:
        build(b)
    return b.build()


def ctx(network: Network) -> tuple[HopContext, object]:
    hc = HopContext(network, NetworkIndex(network))
    p = fresh("t")
    hc.start = p
    return hc, p


def ends(paths) -> list[tuple[str, str | None, str | None]]:
    """(disposition, code, component) of each path."""
    return [(x.end.kind.value, x.end.code, x.end.component_id) for x in paths]


def labels(path) -> list[str]:
    return [st.label for st in path.steps]


def sat(*fs) -> bool:
    s = z3.Solver()
    s.add(*fs)
    return s.check() == z3.sat


# -- interface -------------------------------------------------------------------------------


def test_leave_interface_checks_source_then_sg_then_routes():
    hc, p = ctx(net())
    eni = hc.net.interface(ENI_1)
    paths = interface.leave_interface(hc, eni, p, (), PathState())
    first = paths[0]
    assert labels(first) == [f"eni:{ENI_1}:foreign-source"]
    assert first.end.code == "ENI_SOURCE_DEST_CHECK_RESTRICTION"
    assert first.steps[0].kind is HopKind.ENI_EGRESS and first.steps[0].action == "drop"
    delivered = [x for x in paths if x.end.kind is DispositionKind.DELIVERED]
    assert {x.end.component_id for x in delivered} == {ENI_1, ENI_2}
    to_2 = next(x for x in delivered if x.end.component_id == ENI_2)
    assert labels(to_2) == [
        f"eni:{ENI_1}:source-dest-check",
        f"sg:{ENI_1}:egress",
        f"route:{RTB_1}:10.0.0.0/16",
        f"subnet:{SUBNET_2}",
        f"nacl:{ACL_A}:egress",
        f"nacl:{ACL_A}:ingress",
        f"eni:{ENI_2}:address",
        f"sg:{ENI_2}:ingress",
    ]
    assert [st.kind for st in to_2.steps] == [
        HopKind.ENI_EGRESS,
        HopKind.SECURITY_GROUP,
        HopKind.ROUTE_TABLE,
        HopKind.SUBNET,
        HopKind.NETWORK_ACL,
        HopKind.NETWORK_ACL,
        HopKind.ENI_INGRESS,
        HopKind.SECURITY_GROUP,
    ]


def test_a_reply_skips_security_groups():
    hc, p = ctx(net())
    paths = interface.leave_interface(hc, hc.net.interface(ENI_1), p, (), PathState(reply=True))
    assert not any(st.kind is HopKind.SECURITY_GROUP for x in paths for st in x.steps)


def test_arrive_is_sg_ingress_then_delivered():
    hc, p = ctx(net())
    (path,) = interface.arrive(hc, hc.net.interface(ENI_2), p, (), PathState())
    assert labels(path) == [f"sg:{ENI_2}:ingress"]
    assert path.steps[0].code == "ENI_SG_RULES_MISMATCH"
    assert ends([path]) == [("delivered", None, ENI_2)]


# -- filters ---------------------------------------------------------------------------------


def test_nacl_step_and_its_cache_entry():
    hc, p = ctx(net())
    s1 = hc.net.subnet(SUBNET_1)
    st = network_acl.nacl(hc, s1, Direction.INGRESS, p)
    assert (st.kind, st.label, st.code) == (
        HopKind.NETWORK_ACL,
        f"nacl:{ACL_A}:ingress",
        "SUBNET_ACL_RESTRICTION",
    )
    assert st.rules and st.is_filter
    again = network_acl.nacl(hc, s1, Direction.INGRESS, p)
    assert again.guard is st.guard  # built once per (ACL, digest, direction, copy, known)
    other = network_acl.nacl(hc, s1, Direction.INGRESS, fresh("u"))
    assert other.guard is not st.guard
    key = next(iter(hc.index.nacl_constraints.entries.keys()))
    assert key[0] == ACL_A and key[1] == hc.index.digest(ACL_A) and key[2] == "ingress"
    hc.index.nacl_constraints.invalidate(ACL_A)
    assert not list(hc.index.nacl_constraints.entries.keys())


def test_constraint_cache_entries_live_with_the_walk():
    network = net()
    index = NetworkIndex(network)
    hc = HopContext(network, index)
    network_acl.nacl(hc, network.subnet(SUBNET_1), Direction.EGRESS, fresh("t"))
    assert len(index.nacl_constraints.entries) == 1
    del hc
    gc.collect()
    assert len(index.nacl_constraints.entries) == 0


def test_missing_nacl_raises_missing_resource():
    def orphan(b: Builder) -> None:
        b.subnet("subnet-x", VPC_A, "10.0.9.0/24", acl="acl-gone")

    hc, p = ctx(net(build=orphan))
    with pytest.raises(MissingResource) as e:
        network_acl.nacl(hc, hc.net.subnet("subnet-x"), Direction.EGRESS, p)
    assert e.value.code == "UNKNOWN_RESOURCE" and e.value.resource_id == "acl-gone"


def test_security_groups_with_a_missing_group_add_an_unknown_path():
    def extra(b: Builder) -> None:
        b.eni("eni-9", SUBNET_2, "10.0.2.99", "sg-1", "sg-gone")

    hc, p = ctx(net(build=extra))
    eni = hc.net.interface("eni-9")
    st, more = security_group.security_groups(hc, eni, Direction.INGRESS, p, (), PathState())
    assert (st.kind, st.label, st.code) == (
        HopKind.SECURITY_GROUP,
        "sg:eni-9:ingress",
        "ENI_SG_RULES_MISMATCH",
    )
    assert ends(more) == [("unknown", "UNKNOWN_RESOURCE", "sg-gone")]


# -- routing from a subnet, local delivery ----------------------------------------------------


def test_route_from_subnet_branches_per_route_and_drops_the_rest():
    hc, p = ctx(net(route("192.168.0.0/16", "local", "local", state="blackhole")))
    paths = subnet.route_from_subnet(hc, hc.net.subnet(SUBNET_1), p, (), PathState())
    assert labels(paths[0]) == [f"route:{RTB_1}:none"]
    assert paths[0].end.code == "NO_ROUTE_TO_DESTINATION"
    hole = [x for x in paths if x.end.code == "BAD_STATE_ROUTE"]
    assert [labels(x) for x in hole] == [[f"route:{RTB_1}:192.168.0.0/16"]]
    assert any(x.end.kind is DispositionKind.DELIVERED for x in paths)


def test_route_to_an_unmodelled_target_is_unknown_naming_it():
    hc, p = ctx(net(route("0.0.0.0/0", "network-interface", "eni-fw")))
    paths = subnet.route_from_subnet(hc, hc.net.subnet(SUBNET_1), p, (), PathState())
    (fw,) = [x for x in paths if x.end.component_id == "eni-fw"]
    assert fw.end.kind is DispositionKind.UNKNOWN and fw.end.code == "UNSUPPORTED_COMPONENT"
    assert "not modelled" in fw.end.reason


def test_routing_loop_is_unknown():
    hc, p = ctx(net())
    ps = PathState(routed=(hc.routing_key(SUBNET_1, p),))
    paths = subnet.route_from_subnet(hc, hc.net.subnet(SUBNET_1), p, (), ps)
    assert ends(paths) == [("unknown", "UNSUPPORTED_COMPONENT", SUBNET_1)]


def test_another_copy_routed_from_the_same_subnet_is_no_loop():
    """A translated packet (another copy) may be routed from a subnet again."""
    hc, p = ctx(net())
    ps = PathState(routed=(hc.routing_key(SUBNET_1, fresh("other")),))
    paths = subnet.route_from_subnet(hc, hc.net.subnet(SUBNET_1), p, (), ps)
    assert all(x.end.kind is not DispositionKind.UNKNOWN for x in paths)


def test_deliver_in_vpc_same_subnet_has_no_nacl():
    hc, p = ctx(net())
    s1 = hc.net.subnet(SUBNET_1)
    paths = subnet.deliver_in_vpc(hc, VPC_A, s1, p, (), PathState())
    assert labels(paths[0]) == [f"vpc:{VPC_A}:no-subnet"]
    own = next(x for x in paths if x.end.component_id == ENI_1)
    assert labels(own) == [f"subnet:{SUBNET_1}", f"eni:{ENI_1}:address", f"sg:{ENI_1}:ingress"]


# -- gateways ----------------------------------------------------------------------------------


def test_igw_egress_translates_to_the_public_ip_then_the_internet():
    def igw(b: Builder) -> None:
        b.igw("igw-a", VPC_A)

    hc, p = ctx(net(route("0.0.0.0/0", "internet-gateway", "igw-a"), build=igw))
    paths = subnet.route_from_subnet(hc, hc.net.subnet(SUBNET_1), p, (), PathState())
    nopub = [x for x in paths if x.end.code == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"]
    assert [labels(x)[-1] for x in nopub] == ["igw:igw-a:no-public-ip"]
    (out,) = [x for x in paths if x.end.kind is DispositionKind.EXITS_INTERNET]
    step = next(st for st in out.steps if st.label == "igw:igw-a:egress")
    assert step.kind is HopKind.INTERNET_GATEWAY and step.action == "translate"
    assert step.pkt_out is not None and step.link is not None
    assert labels(out)[-1] == "internet:exit"


def test_unknown_when_the_igw_of_an_active_route_is_missing():
    # AWS reports a route active only while its target exists: the snapshot lacks it.
    hc, p = ctx(net(route("0.0.0.0/0", "internet-gateway", "igw-gone")))
    paths = subnet.route_from_subnet(hc, hc.net.subnet(SUBNET_1), p, (), PathState())
    assert ("unknown", "UNKNOWN_RESOURCE", "igw-gone") in ends(paths)
    assert ("dropped", "BAD_STATE_ROUTE", RTB_1) not in ends(paths)


def test_bad_state_route_when_the_igw_of_a_blackhole_route_is_missing():
    hc, p = ctx(net(route("0.0.0.0/0", "internet-gateway", "igw-gone", state="blackhole")))
    paths = subnet.route_from_subnet(hc, hc.net.subnet(SUBNET_1), p, (), PathState())
    assert ("dropped", "BAD_STATE_ROUTE", RTB_1) in ends(paths)


def test_on_internet_drops_non_public_and_enters_through_the_igw():
    def igw(b: Builder) -> None:
        b.igw("igw-a", VPC_A)

    hc, p = ctx(net(build=igw))
    paths = internet.on_internet(hc, p, (), PathState())
    assert labels(paths[0]) == ["internet:non-public"]
    assert paths[0].end.code == "IGW_DESTINATION_RFC1918"
    entered = [x for x in paths if "igw:igw-a:ingress" in labels(x)]
    # only eni-1 owns the public IP: the other delivery branches have unsatisfiable guards
    live = {
        x.end.component_id
        for x in entered
        if x.end.kind is DispositionKind.DELIVERED and sat(*x.formulas())
    }
    assert live == {ENI_1}
    assert labels(paths[-1]) == ["internet:exit"]
    assert paths[-1].end.kind is DispositionKind.EXITS_INTERNET


def nat_net(**kw) -> Network:
    def nat(b: Builder) -> None:
        b.nat("nat-1", SUBNET_2, "10.0.2.5", "3.0.0.9")

    return net(route("0.0.0.0/0", "nat-gateway", "nat-1"), public=None, build=nat)


def test_nat_gateway_checks_protocol_and_source_then_translates():
    hc, p = ctx(nat_net())
    s1 = hc.net.subnet(SUBNET_1)
    rt = next(r for r in hc.net.get(RTB_1).routes if r.target_id == "nat-1")
    paths = nat_gateway.to_nat(hc, s1, RTB_1, rt, p, (), PathState())
    assert paths[0].end.code == "NGW_PROTOCOL_RESTRICTION"
    assert labels(paths[0])[-1] == "nat:nat-1:protocol"
    assert paths[1].end.code == "NGW_REQUIRES_SOURCE_IN_VPC"
    routed = paths[2:]
    assert routed and all(len(x.sessions) == 1 for x in routed)
    tr = next(st for st in routed[0].steps if st.label == "nat:nat-1:translate")
    assert tr.kind is HopKind.NAT_GATEWAY and tr.action == "translate"
    assert [name for name, _ in tr.choices] == ["nat-1"]
    # routed on from the NAT gateway's subnet (subnet-2 uses the main table: local only)
    assert "route:rtb-main-vpc-a:10.0.0.0/16" in labels(routed[-1])


def test_nat_gateway_refuses_unsolicited_inbound():
    hc, p = ctx(nat_net())
    nat = hc.net.get("nat-1")
    paths = nat_gateway.at_nat(hc, nat, p, (), PathState())
    assert ends(paths) == [("dropped", "NGW_NO_UNSOLICITED_INBOUND", "nat-1")]
    assert labels(paths[0]) == ["nat:nat-1:unsolicited"]


def test_peering_needs_the_destination_in_the_peer_vpc():
    def peer(b: Builder) -> None:
        b.vpc(VPC_B, "10.1.0.0/16")
        b.subnet("subnet-b", VPC_B, "10.1.1.0/24")
        b.sg("sg-b", VPC_B, ingress(), egress())
        b.eni("eni-b", "subnet-b", "10.1.1.10", "sg-b")
        b.pcx("pcx-1", VPC_A, VPC_B)

    hc, p = ctx(net(route("10.1.0.0/16", "vpc-peering-connection", "pcx-1"), build=peer))
    rt = next(r for r in hc.net.get(RTB_1).routes if r.target_id == "pcx-1")
    paths = peering.to_peering(hc, hc.net.subnet(SUBNET_1), RTB_1, rt, p, (), PathState())
    assert ends(paths)[0] == ("dropped", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "pcx-1")
    assert labels(paths[0]) == [f"nacl:{ACL_A}:egress", "pcx:pcx-1:outside"]
    delivered = [x for x in paths if x.end.kind is DispositionKind.DELIVERED]
    assert [x.end.component_id for x in delivered] == ["eni-b"]
    assert "pcx:pcx-1" in labels(delivered[0])


def tgw_net(att_az: str = "us-east-1a") -> Network:
    def tgw(b: Builder) -> None:
        b.vpc(VPC_B, "10.1.0.0/16")
        b.subnet("subnet-b", VPC_B, "10.1.1.0/24", att_az)
        b.sg("sg-b", VPC_B, ingress(), egress())
        b.eni("eni-b", "subnet-b", "10.1.1.10", "sg-b")
        b.subnet("subnet-att", VPC_A, "10.0.9.0/24", att_az)
        b.tgw("tgw-1")
        b.tgw_vpc_attachment("att-a", "tgw-1", VPC_A, "subnet-att")
        b.tgw_vpc_attachment("att-b", "tgw-1", VPC_B, "subnet-b")
        b.tgw_route_table(
            "tgw-rtb", "tgw-1", tgw_route("10.1.0.0/16", "att-b"), associations=("att-a",)
        )

    return net(route("10.1.0.0/16", "transit-gateway", "tgw-1"), build=tgw)


def test_transit_gateway_routes_from_the_ingress_attachment():
    hc, p = ctx(tgw_net())
    rt = next(r for r in hc.net.get(RTB_1).routes if r.target_id == "tgw-1")
    paths = transit_gateway.to_tgw(hc, hc.net.subnet(SUBNET_1), RTB_1, rt, p, (), PathState())
    assert labels(paths[0])[:3] == [
        f"nacl:{ACL_A}:egress",
        f"nacl:{ACL_A}:ingress",
        "tgw-rtb:tgw-rtb:none",
    ]
    assert paths[0].end.code == "TGW_RTB_CANNOT_ROUTE"
    assert any(x.end.component_id == "eni-b" for x in paths)
    routed = next(x for x in paths if x.end.component_id == "eni-b")
    assert "tgw-rtb:tgw-rtb:10.1.0.0/16" in labels(routed)


def test_transit_gateway_needs_an_attachment_subnet_in_the_az():
    hc, p = ctx(tgw_net(att_az="us-east-1b"))
    rt = next(r for r in hc.net.get(RTB_1).routes if r.target_id == "tgw-1")
    paths = transit_gateway.to_tgw(hc, hc.net.subnet(SUBNET_1), RTB_1, rt, p, (), PathState())
    assert ends(paths) == [("dropped", "TGW_ROUTE_AZ_RESTRICTION", "tgw-1")]


def vgw_net(*ranges: str) -> Network:
    def vgw(b: Builder) -> None:
        b.vgw("vgw-1", VPC_A)
        b.vpn("vpn-1", *ranges, vgw="vgw-1")

    return net(route("192.168.0.0/16", "virtual-private-gateway", "vgw-1"), build=vgw)


def test_vpn_gateway_exits_to_the_ranges_behind_it():
    hc, p = ctx(vgw_net("192.168.0.0/16"))
    rt = next(r for r in hc.net.get(RTB_1).routes if r.target_id == "vgw-1")
    paths = vpn_gateway.to_vgw(hc, hc.net.subnet(SUBNET_1), RTB_1, rt, p, (), PathState())
    assert ends(paths) == [
        ("dropped", "NO_ROUTE_TO_DESTINATION", "vgw-1"),
        ("exits-onprem", None, "vgw-1"),
    ]
    assert [labels(x)[-1] for x in paths] == ["onprem:vgw-1:outside", "onprem:vgw-1"]
    assert paths[1].steps[-1].kind is HopKind.VIRTUAL_PRIVATE_GATEWAY


def test_vpn_gateway_without_known_ranges_is_unknown():
    hc, p = ctx(vgw_net())
    rt = next(r for r in hc.net.get(RTB_1).routes if r.target_id == "vgw-1")
    paths = vpn_gateway.to_vgw(hc, hc.net.subnet(SUBNET_1), RTB_1, rt, p, (), PathState())
    assert ends(paths) == [("unknown", "UNSUPPORTED_COMPONENT", "vgw-1")]


def test_from_onprem_enters_through_the_vgw_or_ends():
    hc, p = ctx(vgw_net("192.168.0.0/16"))
    paths = onprem.from_onprem(hc, p, (), PathState())
    assert all(labels(x)[0] == "vgw:vgw-1:ingress" for x in paths[:-2])
    assert paths[0].steps[0].kind is HopKind.VIRTUAL_PRIVATE_GATEWAY
    assert [labels(x) for x in paths[-2:]] == [["onprem:no-vpn"], ["onprem:not-onprem"]]
    assert ends(paths[-2:]) == [
        ("unknown", "UNSUPPORTED_COMPONENT", "onprem"),
        ("dropped", "SOURCE_NOT_ONPREM", "onprem"),
    ]


def test_gateway_endpoint_delivers_to_the_service():
    def vpce(b: Builder) -> None:
        b.prefix_list("pl-s3", "52.216.0.0/15")
        b.gateway_endpoint("vpce-s3", VPC_A, "com.amazonaws.us-east-1.s3", "pl-s3")

    hc, p = ctx(net(route("pl-s3", "gateway-endpoint", "vpce-s3"), build=vpce))
    rt = next(r for r in hc.net.get(RTB_1).routes if r.target_id == "vpce-s3")
    paths = gateway_endpoint.to_endpoint(hc, hc.net.subnet(SUBNET_1), RTB_1, rt, p, (), PathState())
    assert ends(paths) == [("delivered-service", None, "vpce-s3")]
    assert labels(paths[0]) == [f"nacl:{ACL_A}:egress"]


# -- the tables, the facade, the index -----------------------------------------------------------


def test_every_route_target_kind_is_a_hop_or_documented_unknown_in_both_tables():
    modelled = set(ROUTE_TARGETS)
    assert modelled == set(WALK_ROUTE_TARGETS), "the engine's and the walker's tables differ"
    assert modelled.isdisjoint(UNMODELLED)
    assert modelled | UNMODELLED == set(RouteTargetKind)
    assert frozenset(modelled) == topology._MODELLED


def test_explorer_facade_takes_an_index():
    network = net()
    index = NetworkIndex(network)
    p = fresh("t")
    origin = Origin(kind=OriginKind.INTERFACE, interface_id=ENI_1)
    with_index = Explorer(network, index=index).from_origin(origin, p)
    assert ends(with_index) == ends(Explorer(network).from_origin(origin, p))


def test_index_is_built_once_per_network_and_not_on_the_model():
    network = net()
    assert index_for(network) is index_for(network)
    assert not hasattr(network, "derived")
    ix = index_for(network)
    assert ix.public_owners == [(ix.public_owners[0][0], VPC_A, ix.public_owners[0][2])]
    assert ix.graph is ix.graph
    assert [e.id for e in ix.interfaces_by_vpc[VPC_A]] == [ENI_1, ENI_2]
    assert ix.digest(ACL_A) == NetworkIndex(net()).digest(ACL_A)
