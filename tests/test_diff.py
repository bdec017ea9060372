"""Reachability diff (issue #4, part 3): one security-group rule added, a route deleted, a
NACL deny moved behind an allow — each reports exactly the packets that changed, no more
(checked against the reachable sets of both snapshots computed independently)."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from strategies import networks

import netcheck
from netcheck.model.filtering import Direction, SecurityGroupRule
from netcheck.model.network import Network
from netcheck.questions import diff, reachable_set

WEB_SG = "sg-0ac485de9170fa064"
PUBLIC_RTB = "rtb-0e87ce260be7a6198"
DB_NACL = "acl-04ee5732256e0cf78"
WEB_1, WEB_2 = "i-064d0a088d0d68e56", "i-099afb9c8a7d0b4e6"


@pytest.fixture(scope="module")
def old() -> Network:
    return netcheck.load(FIXTURES / "three-tier").network


def _replace(net: Network, field: str, obj: object) -> Network:
    items = tuple(obj if x.id == obj.id else x for x in getattr(net, field))  # type: ignore[attr-defined]
    return net.model_copy(update={field: items})


def _view(boxes) -> list[tuple]:
    return [(b.protocol, b.dst_ports, b.src_cidrs, b.src_ports, b.dst_ips) for b in boxes]


def test_one_security_group_rule_added(old):
    sg = old.get(WEB_SG)
    rule = SecurityGroupRule(
        rule_id="sgr-new",
        direction=Direction.INGRESS,
        protocol=6,
        port_range={"start": 8443, "end": 8443},  # type: ignore[arg-type]
        cidr=ip_network("203.0.113.0/24"),
    )
    new = _replace(old, "security_groups", sg.model_copy(update={"ingress": (*sg.ingress, rule)}))
    d = diff(old, new)
    assert d.changed and d.status == "complete"
    assert sorted(p.dst for p in d.pairs) == sorted([WEB_1, WEB_2])  # web-sg carriers only
    for p in d.pairs:
        assert p.removed == ()
        assert [(c.box.protocol, c.box.dst_ports, c.box.src_cidrs) for c in p.added] == [
            ("tcp", ((8443, 8443),), ("203.0.113.0/24",))
        ]
        assert "ENI_SG_RULES_MISMATCH" in p.added[0].blocked_in_other
        assert p.added[0].box.witness.destination is not None


def test_a_route_deleted(old):
    rtb = old.get(PUBLIC_RTB)
    routes = tuple(r for r in rtb.routes if str(r.destination) != "0.0.0.0/0")
    new = _replace(old, "route_tables", rtb.model_copy(update={"routes": routes}))
    d = diff(old, new)
    assert not d.changed and d.status == "complete"
    changed = {p.dst for p in d.pairs}
    before = {r.id for r in netcheck.questions.exposure(old).resources if r.reachable}
    assert changed == before  # every resource reachable before, nothing else
    for p in d.pairs:
        assert p.added == ()
        old_set = reachable_set(old, "internet", p.dst)
        assert _view(c.box for c in p.removed) == _view(old_set.boxes)
        assert reachable_set(new, "internet", p.dst).boxes == ()
        for c in p.removed:
            assert "NO_ROUTE" in c.blocked_in_other or "route" in c.blocked_in_other


def test_a_nacl_deny_moved_behind_an_allow(old):
    acl = old.get(DB_NACL)
    entries = tuple(
        e.model_copy(update={"rule_number": 105})
        if e.rule_number == 90 and e.direction is Direction.INGRESS
        else e
        for e in acl.entries
    )
    new = _replace(old, "network_acls", acl.model_copy(update={"entries": entries}))
    d = diff(old, new, src="bastion", dst="db")
    assert d.changed and d.status == "complete"
    [pair] = d.pairs
    assert pair.removed == ()
    assert [(c.box.protocol, c.box.dst_ports, c.box.src_cidrs) for c in pair.added] == [
        ("tcp", ((3306, 3306),), ("10.0.1.20/32",))
    ]
    assert "90" in pair.added[0].blocked_in_other or "SUBNET_ACL" in pair.added[0].blocked_in_other
    # Exactly the difference of the two sets.
    before = reachable_set(old, "bastion", "db")
    after = reachable_set(new, "bastion", "db")
    assert before.boxes == ()
    assert _view(c.box for c in pair.added) == _view(after.boxes)
    # Nothing else changed for anyone from the internet.
    assert diff(old, new).pairs == ()


def test_unknown_destination_is_a_query_error(old):
    with pytest.raises(netcheck.QueryError):
        diff(old, old, dst="no-such-resource")


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(networks())
def test_a_network_does_not_differ_from_itself(network):
    """Identical networks: no pair changes, none is undecided — even where some packets end
    where the model cannot follow them (they end there in both, the same way)."""
    d = diff(network, network)
    assert d.pairs == () and not d.changed and d.status == "complete"
