"""Properties of the concrete walker on random networks (tests/strategies.py): it always
ends with a disposition, is deterministic, ignores NACL input order, and its traces are
self-consistent. Also checks that the strategies produce both verdicts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from strategies import Case, asymmetric_network_and_packet, network_and_packet

from netcheck.model import Direction, Network, NetworkAcl
from netcheck.model.packet import DispositionKind, OriginKind
from netcheck.walk import MAX_HOPS, Trace, walk, walk_connection

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _final(t: Trace):
    current = t.packet
    for h in t.hops:
        if h.packet_out is not None:
            current = h.packet_out
    return current


@SETTINGS
@given(network_and_packet())
def test_walk_always_ends_and_trace_is_consistent(case: Case):
    t = walk(case.network, case.packet, case.origin)
    d = t.disposition
    assert len(t.hops) <= MAX_HOPS
    assert d.final_packet == _final(t)
    if d.kind is DispositionKind.DROPPED:
        assert d.code and d.component_id
    if d.kind is DispositionKind.UNKNOWN:
        assert d.reason and d.component_id
    if d.kind is DispositionKind.DELIVERED:
        eni = case.network.interface(d.component_id or "")
        assert d.final_packet is not None and d.final_packet.dst_ip in eni.addresses
        assert t.hops[-1].component_id == eni.id and t.hops[-1].kind == "eni-ingress"
    if d.kind is DispositionKind.EXITS_INTERNET:
        assert d.final_packet is not None and d.final_packet.dst_ip.is_global
    # Every deny hop ends the walk.
    assert all(h.action != "deny" for h in t.hops[:-1])
    assert walk(case.network, case.packet, case.origin) == t


@SETTINGS
@given(network_and_packet())
def test_connection_success_implies_forward_success_and_round_trip(case: Case):
    c = walk_connection(case.network, case.packet, case.origin)
    if c.success:
        assert c.forward.success
        if c.reply is not None and case.origin.kind is OriginKind.INTERFACE:
            back = c.reply.disposition.final_packet
            assert back is not None
            assert (back.dst_ip, back.dst_port) == (case.packet.src_ip, case.packet.src_port)
    if c.reply is not None:
        assert c.reply.packet == c.forward.final_packet.reply()
        assert not [h for h in c.reply.hops if h.kind == "security-group"]


def _reverse_acls(net: Network) -> Network:
    acls = tuple(
        NetworkAcl(**{**a.__dict__, "entries": tuple(reversed(a.entries))})
        for a in net.network_acls
    )
    return _with_acls(net, acls)


def _with_acls(net: Network, acls: tuple[NetworkAcl, ...]) -> Network:
    # Not model_copy: Network caches its lookups (by_id) and a copy would keep the old ones.
    fields = {name: getattr(net, name) for name in Network.model_fields}
    return Network(**{**fields, "network_acls": acls})


def _open_acls(net: Network) -> Network:
    from strategies import ALLOW_ALL_ACL

    acls = tuple(NetworkAcl(**{**a.__dict__, "entries": ALLOW_ALL_ACL}) for a in net.network_acls)
    return _with_acls(net, acls)


@SETTINGS
@given(network_and_packet())
def test_nacl_entry_input_order_does_not_matter(case: Case):
    a = walk(case.network, case.packet, case.origin)
    b = walk(_reverse_acls(case.network), case.packet, case.origin)
    assert a == b


@SETTINGS
@given(network_and_packet())
def test_opening_every_nacl_never_breaks_a_working_connection(case: Case):
    before = walk_connection(case.network, case.packet, case.origin)
    after = walk_connection(_open_acls(case.network), case.packet, case.origin)
    if before.success:
        assert after.success
    if after.forward.disposition.code == "SUBNET_ACL_RESTRICTION":
        raise AssertionError("an allow-all ACL denied a packet")


@pytest.mark.parametrize(
    "wanted",
    [DispositionKind.DELIVERED, DispositionKind.EXITS_INTERNET, DispositionKind.DROPPED],
)
def test_strategies_reach_every_main_outcome(wanted: DispositionKind):
    def hit(case: Case) -> bool:
        return walk(case.network, case.packet, case.origin).disposition.kind is wanted

    find(
        network_and_packet(),
        hit,
        settings=settings(
            max_examples=1000, database=None, derandomize=True, phases=[Phase.generate]
        ),
    )


def test_direction_enum_is_what_strategies_use():
    # Guard: the strategies build NACL entries through Direction, not strings.
    assert {d.value for d in Direction} == {"ingress", "egress"}


@SETTINGS
@given(asymmetric_network_and_packet())
def test_a_successful_connection_gets_the_reply_of_the_packet_sent(case: Case):
    """forwarding.md "Connections (default) and replies": on asymmetric routes too, a
    connection succeeds only when the reply comes back with the reversed header."""
    c = walk_connection(case.network, case.packet, case.origin)
    if c.success and c.reply is not None:
        assert c.reply.final_packet == case.packet.reply()
    if c.reply is not None and c.reply.disposition.code == "REPLY_ADDRESS_MISMATCH":
        assert not c.success
        assert c.reply.final_packet != case.packet.reply()


@pytest.mark.parametrize(
    "wanted", ["REPLY_ADDRESS_MISMATCH", "IGW_DESTINATION_RFC1918", "TGW_RTB_CANNOT_ROUTE", None]
)
def test_asymmetric_strategies_reach_every_reply_outcome(wanted: str | None):
    """The generator produces replies that come back translated (public IP behind a NAT
    default route), that die on a one-sided peering or TGW route, and that succeed."""

    def hit(case: Case) -> bool:
        c = walk_connection(case.network, case.packet, case.origin)
        if c.reply is None:
            return False
        return c.success if wanted is None else c.reply.disposition.code == wanted

    find(
        asymmetric_network_and_packet(),
        hit,
        settings=settings(
            max_examples=1000, database=None, derandomize=True, phases=[Phase.generate]
        ),
    )
