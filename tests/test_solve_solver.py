"""The Z3 wrapper (netcheck/solve/solver.py): scopes retract what they assert, the deadline
becomes `SolverGaveUp`, unsat cores and first-unsat steps are plain labels and indexes."""

from __future__ import annotations

import time

import pytest
import z3

from netcheck.compile.packet import fresh
from netcheck.compile.steps import Step
from netcheck.errors import NetcheckError, SolverGaveUp
from netcheck.solve.solver import INCREMENTAL_TRY, Deadline, Solver, smt2_script


def solver(timeout_ms: int = 10000, **kw: object) -> Solver:
    return Solver(Deadline(timeout_ms), **kw)  # type: ignore[arg-type]


def step(label: str, guard: z3.BoolRef, p: object, kind: str = "route-table") -> Step:
    return Step(label.split(":")[0], kind, label, label, guard, p)  # type: ignore[arg-type]


@pytest.mark.parametrize("try_units", [None, INCREMENTAL_TRY])
def test_scope_retracts_its_assertions(try_units):
    p = fresh("t")
    s = solver(try_units=try_units)
    s.add(p.dst_port == 22)
    assert s.check()
    with s.scope():
        s.add(p.dst_port == 80)
        assert not s.check()
        with s.scope():
            s.add(p.src_port == 1)  # added inside the block: retracted with it
    assert s.check()
    assert not s.sat_with([p.src_port == 1, p.src_port == 2])
    assert s.check() and s.value(p.dst_port) == 22


def test_scope_retracts_on_an_exception():
    p = fresh("t")
    s = solver()
    with pytest.raises(RuntimeError), s.scope():
        s.add(p.dst_port == 80, p.dst_port == 81)
        raise RuntimeError
    assert s.check()


def test_an_expired_deadline_gives_up_with_its_message():
    p = fresh("t")
    s = Solver(Deadline(0, expired="out of time"))
    s.add(p.dst_port == 22)
    with pytest.raises(SolverGaveUp, match="out of time"):
        s.check()
    assert issubclass(SolverGaveUp, NetcheckError)


def test_the_deadline_is_shared_and_counts_checks():
    d = Deadline(60000)
    a, b = Solver(d), Solver(d, try_units=INCREMENTAL_TRY)
    assert a.check() and b.check()
    assert d.checks == 2
    assert 0 < d.remaining_ms() <= 60000
    d.at = time.monotonic() - 1  # spent
    with pytest.raises(SolverGaveUp, match="solver timeout after 60000 ms"):
        b.check()


def test_unknown_is_never_sat():
    """A check Z3 cannot settle in time raises `SolverGaveUp` (with Z3's reason renamed)."""
    x, y, z = z3.Ints("x y z")
    hard = [x > 1, y > 1, z > 1, x * x * x + y * y * y == z * z * z]  # nonlinear: no answer
    d = Deadline(10000, timeout_text="timeout after 10000 ms")
    s = Solver(d)
    s.add(*hard)
    d.at = time.monotonic() + 0.05
    with pytest.raises(SolverGaveUp, match=r"^solver gave up: "):
        s.check()


def test_possible_needs_no_deadline_and_only_refutes_unsat():
    p = fresh("t")
    s = Solver()
    s.add(p.protocol == 6)
    with s.scope():
        s.add(p.dst_port == 22)
        assert s.possible()
    with s.scope():
        s.add(p.protocol == 17)
        assert not s.possible()
    assert s.possible()


def test_first_unsat_and_core_name_the_steps():
    p = fresh("t")
    s = solver(try_units=INCREMENTAL_TRY)
    steps = (
        step("rtb-1:route", p.dst_ip == 10, p),
        step("acl-1:ingress", p.dst_port == 22, p, "network-acl"),
        step("sg-1:ingress", p.dst_port == 443, p, "security-group"),
        step("eni-1:arrive", p.protocol == 6, p),
    )
    assert s.first_unsat(steps) == 2
    assert s.first_unsat(steps[:2]) is None
    assert s.core(steps) == ("acl-1:ingress", "sg-1:ingress")
    assert s.check()  # the steps were asserted only inside the calls


def test_first_unsat_remembers_prefixes_until_forgotten():
    p = fresh("t")
    s = solver()
    steps = (step("a", p.dst_port == 22, p), step("b", p.dst_port == 80, p))
    assert s.first_unsat(steps) == 1
    with s.scope():
        s.add(p.dst_port == 80)
        assert s.first_unsat(steps) == 1  # remembered (stale: the assertions changed)
    with s.scope(forget=True):
        s.add(p.dst_port == 80)
        assert s.first_unsat(steps) == 0


def test_prefer_keeps_what_leaves_packets_until_retracted():
    p = fresh("t")
    s = solver()
    s.add(p.dst_port >= 1000)
    kept = 0
    for pref in [p.dst_port == 22, p.dst_port == 8080, p.src_port == 9]:
        kept += s.prefer(pref)
    assert kept == 2
    assert s.check() and (s.value(p.dst_port), s.value(p.src_port)) == (8080, 9)
    s.retract(kept)
    assert not s.sat_with([p.dst_port == 22])
    assert s.sat_with([p.dst_port == 1000, p.src_port == 1])


def test_smt2_script_is_plain_declarations_and_assertions():
    p = fresh("t")
    text = smt2_script([p.dst_port == 22])
    assert "(declare-fun" in text and "(assert" in text
    assert "check-sat" not in text and "set-logic" not in text
