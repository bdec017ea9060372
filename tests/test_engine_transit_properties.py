"""Property test: the Z3 engine agrees with the concrete walker on random networks that
always have a transit gateway with a VPN attachment (static or BGP, with or without declared
on-prem ranges) and routes that favour it (`networks(transit=True)`): TGW routing, attachment
subnet NACLs and on-prem ranges of BGP VPNs (docs/semantics/forwarding.md)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import Case, networks, queries
from test_engine_properties import engine, walker_verdict

from netcheck.model.resolve import Header


@st.composite
def transit_cases(draw: st.DrawFn) -> Case:
    network = draw(networks(transit=True))
    origin, packet = draw(queries(network))
    return Case(network, origin, packet)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(transit_cases())
def test_engine_verdict_equals_walker_with_a_transit_gateway(case):
    network, origin, packet = case
    expected = walker_verdict(network, origin, packet)
    got = engine(network, origin, Header(packet=packet))
    assert got.verdict == expected, (
        f"engine {got.verdict} ({got.reason or [b.code for b in got.blockers]}) vs walker "
        f"{expected} for {packet} from {origin}"
    )
