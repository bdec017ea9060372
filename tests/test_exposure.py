"""Exposure audit (issue #4, part 2): the Batfish hybrid-cloud facts H4-H9, the bundled
three-tier fixture, the JSON contract, and interface classes (solved once, same answer as
solving every interface on its own)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from strategies import networks

import netcheck
from netcheck.questions import exposure
from netcheck.questions.exposure import interface_classes

EAST_PUBLIC = "i-01602d9efaed4409a"
WEST_PUBLIC = "i-02cae6eaa9edeed70"
EAST_PRIVATE = "i-04cd3db5124a05ee6"
WEST_PRIVATE = "i-0a5d64b8b58c6dd09"


def services(r) -> list[tuple[str, tuple]]:
    return [(b.protocol, b.dst_ports) for b in r.boxes]


def test_hybrid_cloud_without_the_bgp_routes_is_unknown(hybrid_cloud):
    """The public subnets route 203.0.113.0/24 to the transit gateway, whose routes to it are
    learned over BGP from the VPN and are not in the snapshot: the reply to an internet host
    in that range goes who knows where, so the public instances' answers are not complete
    (issue #9 §4) — the boxes list what is known to get through."""
    ex = exposure(netcheck.load(hybrid_cloud), "internet")
    by_id = {r.id: r for r in ex.resources}
    for rid in (EAST_PUBLIC, WEST_PUBLIC):
        r = by_id[rid]
        assert r.reachable and r.status == "unknown"
        assert any("propagates over BGP" in why for why in r.unknown_paths)
    assert ex.summary()["unknown"] == 2


def test_hybrid_cloud_exposure_from_the_internet(hybrid_cloud):
    # The on-premises range behind the VPN (Batfish's snapshot has host srv-101 in it).
    ex = exposure(netcheck.load(hybrid_cloud, onprem_cidrs=["203.0.113.0/24"]), "internet")
    by_id = {r.id: r for r in ex.resources}
    # H4, H8: the public east instance: exactly TCP 22 and 3306.
    assert services(by_id[EAST_PUBLIC]) == [("tcp", ((22, 22), (3306, 3306)))]
    # H5, H9: the public west instance: exactly TCP 22.
    assert services(by_id[WEST_PUBLIC]) == [("tcp", ((22, 22),))]
    # H6, H7: nothing for the private instances, each with a one-line reason.
    for rid in (EAST_PRIVATE, WEST_PRIVATE):
        r = by_id[rid]
        assert not r.reachable and r.boxes == () and r.reason and "\n" not in r.reason
    assert [r.id for r in ex.resources if r.reachable] == [EAST_PUBLIC, WEST_PUBLIC]
    assert all(r.status == "complete" for r in ex.resources)
    for r in ex.resources:
        for b in r.boxes:
            assert b.witness is not None and b.witness.destination in r.interfaces
            assert b.contains(b.witness.packet)


def test_json_contract(hybrid_cloud):
    d = exposure(netcheck.load(hybrid_cloud)).to_dict()
    assert [r["id"] for r in d["resources"]] == sorted(r["id"] for r in d["resources"])
    for r in d["resources"]:
        assert {"id", "kind", "interfaces", "reachable", "boxes"} <= set(r)
        assert ("reason" in r) == (not r["reachable"])
        for b in r["boxes"]:
            assert {"protocol", "dst_ports", "src_cidrs", "witness"} <= set(b)
            assert all(len(pair) == 2 for pair in b["dst_ports"])
    assert d["summary"]["reachable"] == 2


def test_three_tier_from_the_internet_and_from_a_cidr():
    snap = netcheck.load(FIXTURES / "three-tier")
    ex = exposure(snap)
    reachable = {r.id: services(r) for r in ex.resources if r.reachable}
    web = reachable.pop(next(k for k in reachable if services_has(reachable[k], 80)))
    assert ("tcp", ((80, 80), (443, 443))) in web
    assert not any(r.reachable for r in ex.resources if r.kind == "rds")
    narrow = exposure(snap, "198.51.100.0/24")
    for r in narrow.resources:
        for b in r.boxes:
            assert b.src_cidrs == ("198.51.100.0/24",)


def services_has(svcs: list[tuple[str, tuple]], port: int) -> bool:
    return any(lo <= port <= hi for _p, ports in svcs for lo, hi in ports)


def test_exposure_from_a_resource_leaves_the_resource_out():
    snap = netcheck.load(FIXTURES / "three-tier")
    ex = exposure(snap, "web-1")
    assert "web-1" not in {r.name for r in ex.resources}
    assert any(r.reachable for r in ex.resources)


def test_progress_is_reported():
    calls: list[tuple[int, int]] = []
    exposure(netcheck.load(FIXTURES / "three-tier"), progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1][0] == calls[-1][1]


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(networks())
def test_classes_give_the_same_answer_as_every_interface_alone(network):
    """Same resources, verdicts and statuses, and the same sets: every box's witness of one
    answer lies in the other's boxes (the boxes themselves may be cut differently)."""
    grouped = exposure(network)
    alone = exposure(network, group_interfaces=False)
    assert [(r.id, r.reachable, r.status) for r in grouped.resources] == [
        (r.id, r.reachable, r.status) for r in alone.resources
    ]
    for a, b in zip(grouped.resources, alone.resources, strict=True):
        for x, y in ((a, b), (b, a)):
            for box in x.boxes:
                assert box.witness is not None
                assert any(o.contains(box.witness.packet) for o in y.boxes), (a.id, box)


def test_classes_group_identical_interfaces():
    from strategies import Builder

    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.subnet("subnet-1", "vpc-1", "10.1.1.0/24")
    b.sg("sg-1", "vpc-1")
    b.eni("eni-1", "subnet-1", "10.1.1.10", "sg-1", public="3.0.0.1")
    b.eni("eni-2", "subnet-1", "10.1.1.11", "sg-1", public="3.0.0.2")
    b.eni("eni-3", "subnet-1", "10.1.1.12", "sg-1")
    net = b.build()
    assert [[e.id for e in c] for c in interface_classes(net, set())] == [
        ["eni-1", "eni-2"],
        ["eni-3"],
    ]
    assert [[e.id for e in c] for c in interface_classes(net, {"eni-2"})] == [
        ["eni-1"],
        ["eni-2"],
        ["eni-3"],
    ]


@pytest.mark.parametrize("origin", ["nowhere-host"])
def test_unknown_origin_is_a_query_error(origin):
    with pytest.raises(netcheck.QueryError):
        exposure(netcheck.load(FIXTURES / "three-tier"), origin)
