"""A NAT gateway picks the source port (1024-65535), not the user (issue #9 §2,
forwarding.md "NAT gateway"): a connection that gets through for some of those ports only is
not reachable but unknown, "depends on the port the NAT gateway picks (k of 64,512 work)";
for every port: reachable. Point queries, sets and the walker (port by port) agree."""

from __future__ import annotations

from strategies import (
    Builder,
    egress,
    from_eni,
    inbound,
    outbound,
    ports,
    route,
    tcp,
)

from netcheck.api import Snapshot
from netcheck.model import TCP
from netcheck.model.network import Network
from netcheck.model.resolve import Destination, Header, Source
from netcheck.questions.reachable_set import solve_pair
from netcheck.walk import walk_connection

APP, NAT = "eni-app", "nat-1"


def behind_nat(reply_ports: tuple[int, int]) -> Network:
    """eni-app reaches the internet through nat-1, whose subnet's ACL admits replies from
    the internet on `reply_ports` only (and everything from inside the VPC)."""
    b = Builder()
    b.vpc("vpc-1", "10.1.0.0/16")
    b.igw("igw-1", "vpc-1")
    b.acl(
        "acl-pub",
        "vpc-1",
        inbound(100, cidr="10.1.0.0/16"),
        inbound(110, protocol=TCP, port_range=ports(*reply_ports)),
        outbound(100),
    )
    b.subnet("subnet-pub", "vpc-1", "10.1.1.0/24", rtb="rtb-pub", acl="acl-pub")
    b.subnet("subnet-app", "vpc-1", "10.1.2.0/24", rtb="rtb-app")
    b.route_table("rtb-pub", "vpc-1", route("0.0.0.0/0", "internet-gateway", "igw-1"))
    b.nat(NAT, "subnet-pub", "10.1.1.100", "3.0.0.100")
    b.route_table("rtb-app", "vpc-1", route("0.0.0.0/0", "nat-gateway", NAT))
    b.sg("sg-1", "vpc-1", egress())
    b.eni(APP, "subnet-app", "10.1.2.10", "sg-1")
    return b.build()


def test_one_port_of_the_nat_is_not_reachable_but_unknown():
    net = behind_nat((1024, 1024))
    answer = Snapshot(net).query(APP, "8.8.8.8", protocol="tcp", port=443)
    assert answer.verdict == "unknown"
    assert answer.reason is not None
    assert "depends on the port the NAT gateway picks (1 of 64,512 work)" in answer.reason
    assert answer.component_id == NAT
    # The walker, port by port: the NAT's port 1024 works, 1025 does not.
    sent = tcp("10.1.2.10", "8.8.8.8", 443)
    assert walk_connection(net, sent, from_eni(APP), nat_ports={NAT: 1024}).success
    assert not walk_connection(net, sent, from_eni(APP), nat_ports={NAT: 1025}).success
    # Pinned to a port, the question has an answer again.
    snap = Snapshot(net)
    for port, verdict in ((1024, "reachable"), (1025, "unreachable")):
        out = _pinned(snap, port)
        assert out == verdict


def _pinned(snap: Snapshot, port: int) -> str:
    from netcheck.model.resolve import resolve_destination, resolve_sources
    from netcheck.solve.engine import Request, run

    net = snap.network
    return run(
        Request(
            network=net,
            sources=resolve_sources(net, APP),
            destination=resolve_destination(net, "8.8.8.8"),
            header=Header(protocol=TCP),
            nat_ports={NAT: port},
        )
    ).verdict.value


def test_every_port_of_the_nat_is_reachable():
    net = behind_nat((1024, 65535))
    answer = Snapshot(net).query(APP, "8.8.8.8", protocol="tcp", port=443)
    assert answer.verdict == "reachable"
    assert answer.witness is not None and NAT in answer.witness.nat_ports


def test_half_the_ports_is_unknown_with_the_count():
    net = behind_nat((32768, 65535))
    answer = Snapshot(net).query(APP, "8.8.8.8", protocol="tcp")
    assert answer.verdict == "unknown"
    assert "(32,768 of 64,512 work)" in (answer.reason or "")


def _set(net: Network, **kw: object):
    return solve_pair(
        net,
        (Source(origin=from_eni(APP)),),
        Destination(internet=True, addresses=()),
        Header(protocol=TCP),
        **kw,  # type: ignore[arg-type]
    )


def test_sets_count_a_packet_only_for_every_nat_port():
    some = _set(behind_nat((1024, 1024)))
    assert not some.boxes
    # Like a path through a component not modelled: listed under the set's unknown paths.
    assert any("depends on the port the NAT gateway picks" in r for r in some.unknown_reasons)
    every = _set(behind_nat((1024, 65535)))
    assert every.status == "complete" and every.boxes and not every.unknown_reasons
    pinned = _set(behind_nat((1024, 1024)), nat_ports={NAT: 1024})
    assert pinned.status == "complete" and pinned.boxes
