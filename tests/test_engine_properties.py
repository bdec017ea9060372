"""Property tests: the Z3 engine agrees with the concrete walker (docs/semantics/forwarding.md
implemented twice) on random networks.

1. For a random concrete packet (every header field pinned, NAT ports pinned to the walker's
   default), the engine's verdict equals the walker's connection verdict.
2. Every witness of a free query (only the origin fixed) replays in the walker.
3. Both on networks with asymmetric routes (tests/strategies.py `asymmetric_networks`:
   public IPs behind a NAT default route, peering and TGW routes on one side only), where
   the reply must come back *as the reply*.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import asymmetric_network_and_packet, network_and_packet

from netcheck.explain.build import replay
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind, Origin, Packet
from netcheck.model.resolve import Destination, Header, Source
from netcheck.solve.engine import Request, run
from netcheck.walk import ConnectionTrace, appliance_choices, walk_connection

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def anywhere(network: Network) -> Destination:
    """Every success disposition counts (what the walker calls success)."""
    return Destination(
        interface_ids=tuple(e.id for e in network.network_interfaces),
        internet=True,
        onprem=True,
        service_ids=tuple(e.id for e in network.vpc_endpoints),
    )


def walker_verdict(
    network: Network, origin: Origin, packet: Packet, target: str | None = None
) -> str:
    """The walker's connection verdict, existential over the AZ a transit gateway picks at
    each appliance-mode attachment (every assignment is walked): reachable when some
    assignment gets through, else unknown when some ends unknown, else unreachable — so an
    engine "unreachable" means the walker fails for every AZ choice. `target`: only a
    delivery to that interface counts."""
    verdicts = {
        _one_verdict(walk_connection(network, packet, origin, appliance_azs=azs), target)
        for azs in appliance_choices(network)
    }
    for v in ("reachable", "unknown"):
        if v in verdicts:
            return v
    return "unreachable"


def _one_verdict(trace: ConnectionTrace, target: str | None) -> str:
    fwd = trace.forward.disposition
    if (
        target is not None
        and fwd.success
        and not (fwd.kind is DispositionKind.DELIVERED and fwd.component_id == target)
    ):
        return "unreachable"
    if trace.success:
        return "reachable"
    ends = [fwd]
    if trace.forward.success and trace.reply is not None:
        ends.append(trace.reply.disposition)
    if any(d.kind is DispositionKind.UNKNOWN for d in ends):
        return "unknown"
    return "unreachable"


def engine(network: Network, origin: Origin, header: Header) -> object:
    return run(
        Request(
            network=network,
            sources=(Source(origin=origin),),
            destination=anywhere(network),
            header=header,
            nat_ports={n.id: 1024 for n in network.nat_gateways},
        )
    )


@SETTINGS
@given(network_and_packet())
def test_engine_verdict_equals_walker_on_concrete_packets(case):
    network, origin, packet = case
    expected = walker_verdict(network, origin, packet)
    got = engine(network, origin, Header(packet=packet))
    assert got.verdict == expected, (
        f"engine {got.verdict} ({got.reason or [b.code for b in got.blockers]}) vs walker "
        f"{expected} for {packet} from {origin}"
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_and_packet())
def test_witnesses_of_free_queries_replay_in_the_walker(case):
    network, origin, _packet = case
    out = engine(network, origin, Header())
    if out.verdict == "reachable":
        assert out.found is not None
        assert replay(network, out.found) is None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_and_packet(), st.integers(0, 1000))
def test_single_interface_destination_agrees_with_the_walker(case, pick):
    """With one destination interface the engine builds arrivals for it only (pruning): the
    verdict must still be the walker's, restricted to that interface."""
    network, origin, packet = case
    if not network.network_interfaces:
        return
    target = network.network_interfaces[pick % len(network.network_interfaces)].id
    expected = walker_verdict(network, origin, packet, target)
    got = run(
        Request(
            network=network,
            sources=(Source(origin=origin),),
            destination=Destination(interface_ids=(target,)),
            header=Header(packet=packet),
            nat_ports={n.id: 1024 for n in network.nat_gateways},
        )
    )
    assert got.verdict == expected, (got.reason, [b.code for b in got.blockers], packet, target)


@SETTINGS
@given(asymmetric_network_and_packet())
def test_engine_verdict_equals_walker_on_asymmetric_routes(case):
    network, origin, packet = case
    expected = walker_verdict(network, origin, packet)
    got = engine(network, origin, Header(packet=packet))
    assert got.verdict == expected, (
        f"engine {got.verdict} ({got.reason or [b.code for b in got.blockers]}) vs walker "
        f"{expected} for {packet} from {origin}"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(asymmetric_network_and_packet())
def test_witnesses_on_asymmetric_routes_replay_in_the_walker(case):
    network, origin, packet = case
    out = engine(network, origin, Header(protocol=packet.protocol))
    if out.verdict == "reachable":
        assert out.found is not None
        assert replay(network, out.found) is None
