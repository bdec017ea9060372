"""The connection engine (netcheck/compile/connection.py) on fixtures/three-tier: forward
paths from a source, and for an arrival the reply paths back through the same gateways —
the pairs that point queries (solve/engine.py) and sets (solve/reach.py) both consume."""

from __future__ import annotations

import z3
from conftest import FIXTURES

import netcheck
from netcheck.compile.connection import (
    Connection,
    checked,
    known_spaces,
    reply_targets,
    targets,
)
from netcheck.compile.packet import fresh
from netcheck.compile.steps import Step
from netcheck.model.packet import DispositionKind
from netcheck.model.resolve import Header, resolve_destination, resolve_sources
from netcheck.solve.solver import Solver

ENI_WEB1 = "eni-0ef82673bed0eeff8"  # 10.0.1.10 / 54.210.17.33, web-a (public)
ENI_DB = "eni-06afd26b13458a599"  # 10.0.21.50 (RDS `db`)
IGW = "igw-0ca865bd90d48dd28"
ACL_WEB = "acl-0671578b48c27ddd1"


def network():
    return netcheck.load(FIXTURES / "three-tier").network


def connection(src: str, dst: str, **kw):
    net = network()
    (source,) = resolve_sources(net, src)
    return Connection(net, source, resolve_destination(net, dst), **kw)


def components(steps: tuple[Step, ...]) -> list[str]:
    return [st.component_id for st in steps]


def test_internet_to_web1_arrives_and_its_reply_leaves_by_the_igw():
    conn = connection("internet", "web-1")
    paths = conn.forward(fresh("fwd"))
    arrivals = [path for path in paths if conn.arrives(path)]
    assert len(arrivals) == 1
    (arrival,) = arrivals
    assert arrival.end.kind is DispositionKind.DELIVERED
    assert arrival.end.component_id == ENI_WEB1
    assert IGW in components(arrival.steps) and ACL_WEB in components(arrival.steps)
    assert conn.needs_reply(arrival)
    # The IGW maps the public address: the packet arriving is a translated copy.
    assert arrival.final.name != arrival.packet.name

    r0 = fresh("rep")
    link = conn.reply_link(arrival, r0)
    assert z3.is_and(link)
    replies = conn.replies(arrival, r0)
    back = [rp for rp in replies if conn.returns(rp)]
    assert back, [rp.end for rp in replies]
    for rp in back:
        assert rp.end.kind is DispositionKind.EXITS_INTERNET
        assert rp.packet is r0
        assert IGW in components(rp.steps)
        # A reply skips security groups (stateful) but meets the NACLs again.
        assert "security-group" not in {st.kind for st in rp.steps}
        assert ACL_WEB in components(rp.steps)


def test_the_reply_link_swaps_addresses_and_ports():
    conn = connection("web-1", "db")
    arrival = next(path for path in conn.forward(fresh("fwd")) if conn.arrives(path))
    r0 = fresh("rep")
    s = z3.Solver()
    f = arrival.final
    s.add(conn.reply_link(arrival, r0), f.src_ip == 1, f.dst_port == 3306)
    s.add(z3.Not(z3.And(r0.dst_ip == 1, r0.src_port == 3306)))
    assert s.check() == z3.unsat


def test_a_db_to_internet_connection_has_no_arrival():
    """The DB subnets route only locally and to the VPN: no forward path exits."""
    conn = connection("db", "internet")
    paths = conn.forward(fresh("fwd"))
    assert paths and not any(conn.arrives(path) for path in paths)
    for path in paths:
        assert checked(path, False) == (path.end.kind.value in ("dropped", "unknown"))


def test_one_way_and_targets():
    conn = connection("web-1", "db", one_way=True)
    arrivals = [path for path in conn.forward(fresh("fwd")) if conn.arrives(path)]
    assert arrivals and all(not conn.needs_reply(path) for path in arrivals)
    assert targets(conn.destination) == frozenset({ENI_DB})
    assert reply_targets(conn.source) == frozenset({ENI_WEB1})


def test_the_feasible_hook_prunes_with_the_callers_assertions():
    """The hook is the caller's solver: with the packet pinned to a destination outside the
    VPC, web-1's paths to the database are not built."""
    net = network()
    (source,) = resolve_sources(net, "web-1")
    conn = Connection(net, source, resolve_destination(net, "db"))
    p0 = fresh("fwd")
    pruner = Solver()
    asked: list[tuple[Step, ...]] = []

    def feasible(steps: tuple[Step, ...]) -> bool:
        asked.append(steps)
        with pruner.scope():
            pruner.add(*(st.formula() for st in steps if not st.is_filter))
            return pruner.possible()

    free = conn.forward(p0)
    assert any(conn.arrives(path) for path in free)
    pruner.add(p0.dst_ip == int.from_bytes(bytes([8, 8, 8, 8]), "big"))
    pruned = conn.forward(p0, feasible)
    assert asked
    assert not any(conn.arrives(path) for path in pruned)
    assert len(pruned) < len(free)


def test_known_spaces_swap_addresses_for_the_reply():
    net = network()
    (source,) = resolve_sources(net, "web-1")
    dst = resolve_destination(net, "db")
    header = Header(protocol=6)
    p, r = fresh("fwd"), fresh("rep")
    fwd = known_spaces(p, source, dst, header, reply=False)
    rep = known_spaces(r, source, dst, header, reply=True)
    assert fwd[(p.name, "protocol")] == ((6, 6),) == rep[(r.name, "protocol")]
    assert fwd[(p.name, "src_ip")] == rep[(r.name, "dst_ip")]
    assert fwd[(p.name, "dst_ip")] == rep[(r.name, "src_ip")]
