"""Property tests: header-space sets are exact on random networks.

1. A random packet of the query (source origin fixed, protocol fixed, NAT ports pinned to the
   walker's default) is inside the union of boxes if and only if the concrete walker lets its
   connection through.
2. The set is non-empty exactly when the engine answers `reachable` for the same free query.
3. Every box's witness is replayed by the walker (`build_set` checks it: status stays
   `complete`).
4. (1) on networks with asymmetric routes (`asymmetric_networks`), where the reply must come
   back *as the reply*.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import asymmetric_network_and_packet, network_and_packet, packets

from netcheck.compile.index import public_owners
from netcheck.explain.sets import ReachableSet, build_set
from netcheck.model.base import NON_PUBLIC_RANGES
from netcheck.model.network import Network
from netcheck.model.packet import Origin, OriginKind, Packet
from netcheck.model.resolve import Destination, Header, Source
from netcheck.questions.reachable_set import clips_for, solve_pair
from netcheck.solve.engine import Request, run
from netcheck.walk import appliance_choices, walk_connection

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def anywhere(network: Network) -> Destination:
    return Destination(
        interface_ids=tuple(e.id for e in network.network_interfaces),
        internet=True,
        onprem=True,
        service_ids=tuple(e.id for e in network.vpc_endpoints),
    )


def pinned(network: Network) -> dict[str, int]:
    return {n.id: 1024 for n in network.nat_gateways}


def in_origin(network: Network, origin: Origin, packet: Packet) -> bool:
    """Is the packet's source one the origin may use (the universe of the set)?"""
    if origin.kind is OriginKind.INTERNET:
        public = not any(packet.src_ip in n for n in NON_PUBLIC_RANGES)
        return public and packet.src_ip not in {pub for pub, _v, _p in public_owners(network)}
    if origin.kind is OriginKind.ONPREM:
        return any(packet.src_ip in c for c in network.declared_onprem_cidrs())
    if origin.kind is OriginKind.PEERING:
        # An address of the peered VPC outside the snapshot (forwarding.md).
        pcx = network.get(origin.peering_id or "")
        sides = (pcx.requester, pcx.accepter) if pcx is not None else ()
        return any(
            packet.src_ip in c
            for x in sides
            if network.get(x.vpc_id) is None
            for c in x.cidr_blocks
        )
    return True


def the_set(network: Network, origin: Origin, protocol: int) -> ReachableSet:
    sources, dst, header = (Source(origin=origin),), anywhere(network), Header(protocol=protocol)
    outcome = solve_pair(network, sources, dst, header, nat_ports=pinned(network))
    clips = clips_for(sources, dst, header)
    return build_set(network, outcome, src=str(origin), dst="anywhere", clips=clips)


@SETTINGS
@given(network_and_packet(), st.data())
def test_a_packet_is_in_the_set_iff_the_walker_lets_it_through(case, data):
    _in_the_set_iff_the_walker_lets_it_through(case, data)


@SETTINGS
@given(asymmetric_network_and_packet(), st.data())
def test_on_asymmetric_routes_a_packet_is_in_the_set_iff_the_walker_lets_it_through(case, data):
    _in_the_set_iff_the_walker_lets_it_through(case, data)


def settled(rs: object) -> bool:
    """The set is complete, or unknown only because some packets end where the model cannot
    follow them (`unknown_paths`: those packets are not in the boxes, and the walker does not
    let them through either) — never a solver limit or a disagreement with the walker."""
    status, unknown = rs.status, rs.unknown_paths  # type: ignore[attr-defined]
    reason = rs.reason or ""  # type: ignore[attr-defined]
    return status == "complete" or (bool(unknown) and "internal disagreement" not in reason)


def gets_through(network: Network, p: Packet, origin: Origin) -> bool:
    """Does the walker let `p` through for some AZ a transit gateway may pick at its
    appliance-mode attachments (a set holds the packets some flow gets through with)?"""
    return any(
        walk_connection(network, p, origin, nat_ports=pinned(network), appliance_azs=azs).success
        for azs in appliance_choices(network)
    )


def _in_the_set_iff_the_walker_lets_it_through(case, data) -> None:
    network, origin, packet = case
    extra = data.draw(st.lists(packets(network), max_size=3))
    for p in [packet, *(x for x in extra if x.protocol == packet.protocol)]:
        rs = the_set(network, origin, p.protocol)
        assert settled(rs), rs.reason
        walked = gets_through(network, p, origin)
        inside = in_origin(network, origin, p) and rs.contains(p)
        assert inside == walked, (
            f"{p} from {origin}: in set {inside}, walker {walked}; boxes "
            f"{[b.to_dict() | {'witness': None} for b in rs.boxes]}"
        )


def _point(data: st.DataObject, box: object) -> Packet:
    """A random packet of a box (one interval per field, then a value in it)."""
    values = {}
    for field, ivs in box.intervals.items():  # type: ignore[attr-defined]
        lo, hi = data.draw(st.sampled_from(ivs))
        values[field] = data.draw(st.sampled_from((lo, hi)) | st.integers(lo, hi))
    proto = values["protocol"]
    ports = proto in (6, 17)
    return Packet(
        src_ip=IPv4Address(values["src_ip"]),
        dst_ip=IPv4Address(values["dst_ip"]),
        protocol=proto,
        src_port=values.get("src_port", 0) if ports else 0,
        dst_port=values.get("dst_port", 0) if ports else 0,
        icmp_type=values.get("icmp_type", 0) if proto == 1 else 0,
        icmp_code=values.get("icmp_code", 0) if proto == 1 else 0,
    )


@SETTINGS
@given(network_and_packet(), st.data())
def test_a_random_packet_of_a_box_gets_through(case, data):
    network, origin, packet = case
    rs = the_set(network, origin, packet.protocol)
    assert settled(rs), rs.reason
    for box in rs.boxes:
        p = _point(data, box)
        if not in_origin(network, origin, p):
            continue
        assert gets_through(network, p, origin), (
            f"{p} from {origin} is in {box.to_dict() | {'witness': None}}"
        )


@SETTINGS
@given(network_and_packet())
def test_the_set_is_empty_iff_the_engine_finds_no_packet(case):
    network, origin, packet = case
    rs = the_set(network, origin, packet.protocol)
    out = run(
        Request(
            network=network,
            sources=(Source(origin=origin),),
            destination=anywhere(network),
            header=Header(protocol=packet.protocol),
            nat_ports=pinned(network),
        )
    )
    assert settled(rs), rs.reason
    if out.verdict == "reachable":
        assert rs.reachable
    elif out.verdict == "unreachable":
        assert not rs.reachable
    for b in rs.boxes:
        assert b.witness is not None
        assert b.contains(b.witness.packet)


def test_in_origin_excludes_snapshot_public_ips():
    from strategies import Builder

    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24")
    b.eni("eni-1", "subnet-1", "10.1.1.10", public="3.0.0.1")
    net = b.build()
    inet = Origin(kind=OriginKind.INTERNET)
    p = Packet(src_ip=IPv4Address("3.0.0.1"), dst_ip=IPv4Address("8.8.8.8"), protocol=6)
    assert not in_origin(net, inet, p)
