"""The port search of `netcheck.policy.evaluate` against a fake engine with a known set of open
ports: findings are exactly the rule's port entries that hold an open port (whatever witness
port the engine picks), and a closed host costs one question."""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from netcheck.api import load
from netcheck.model.packet import Hop
from netcheck.policy import Rule, check
from netcheck.policy.model import port_bounds

WEB = "i-0a00000000000web1"


@cache
def network():
    return load(FIXTURES / "policy" / "clean" / "snapshot.json").network


class PortEngine:
    """Reachable exactly on `open_ports` (TCP); the witness port is the lowest or highest open
    port of the asked range."""

    def __init__(self, open_ports: set[int], pick_high: bool = False) -> None:
        self.network = network()
        self.open = open_ports
        self.pick_high = pick_high
        self.asked: list[str | None] = []

    def query(self, src, dst, *, protocol="any", port=None, one_way=False, timeout_ms=0):
        self.asked.append(port)
        lo, hi = port_bounds(port) if port is not None else (0, 65535)
        hits = sorted(p for p in self.open if lo <= p <= hi)
        if not hits:
            return SimpleNamespace(verdict="unreachable", witness=None, proof=None, reason=None)
        p = hits[-1] if self.pick_high else hits[0]
        packet = SimpleNamespace(dst_port=p, __str__=lambda self: f"tcp -> {p}")
        hop = Hop(component_id=dst, kind="eni-ingress")
        witness = SimpleNamespace(packet=packet, path=(hop,), return_path=())
        return SimpleNamespace(verdict="reachable", witness=witness, proof=None, reason=None)


def rule(ports: list[int | str]) -> Rule:
    return Rule.model_validate(
        {
            "id": "XY-001",
            "title": "t",
            "severity": "high",
            "rationale": "r",
            "from": "internet",
            "to": WEB,
            "protocol": "tcp",
            "ports": ports,
        }
    )


def expected(ports: list[int | str], open_ports: set[int]) -> set[str]:
    out = set()
    for p in ports:
        lo, hi = port_bounds(p)
        if any(lo <= o <= hi for o in open_ports):
            out.add(str(p))
    return out


def test_closed_host_costs_one_question():
    engine = PortEngine(set())
    result = check(engine, [rule([22, 3389, "8000-8080"])])
    assert result.findings == () and engine.asked == [None]


def test_open_port_outside_the_list_splits_without_a_question():
    engine = PortEngine({443})
    result = check(engine, [rule([22, 3389])])
    assert result.findings == ()
    assert engine.asked == [None, "22", "3389"]


def test_findings_name_the_entry_and_carry_the_witness():
    engine = PortEngine({22, 8080})
    result = check(engine, [rule([22, 3389, "8000-8080"])])
    assert [f.question.port for f in result.findings] == ["22", "8000-8080"]
    assert all(f.path for f in result.findings)


port_entries = st.lists(
    st.one_of(
        st.integers(0, 200),
        st.tuples(st.integers(0, 200), st.integers(0, 20)).map(lambda t: f"{t[0]}-{t[0] + t[1]}"),
    ),
    min_size=1,
    max_size=8,
    unique_by=str,
)


@settings(max_examples=60, deadline=None)
@given(port_entries, st.sets(st.integers(0, 220), max_size=6), st.booleans())
def test_search_finds_exactly_the_open_entries(ports, open_ports, pick_high):
    engine = PortEngine(open_ports, pick_high)
    result = check(engine, [rule(ports)])
    assert {f.question.port for f in result.findings} == expected(ports, open_ports)
    assert not result.undecided
    # Never more questions than one per entry plus the closed probe, the span and the gaps.
    assert len(engine.asked) <= 2 * len(ports) + 2
