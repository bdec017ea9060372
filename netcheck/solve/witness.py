"""Readable witnesses: which packet of a satisfiable path to show, and its values.

Input: the solver (with a query and a path asserted), the starting copy `p0`, the `Source`,
`Destination` and `Header` of the query, the path's steps. Output: plain values — a packet as
a dict of header field -> int, `HopValue`s per step, NAT ports, a `Found`, a packet's text.

Z3 returns some model; a person reads a witness. So the solver is steered with preferences,
each kept only if packets remain: TCP, source port 49152, well-known destination ports (443,
80, 22), the first address of each range (8.8.8.8 from the internet), ICMP echo request, and
a NAT gateway keeping the source port. Example: a query `web -> db tcp` shows
`tcp 10.0.1.10:49152 -> 10.0.3.10:5432` rather than Z3's first model.
"""

from __future__ import annotations

import z3

from netcheck.compile.packet import FIELDS, SymPacket
from netcheck.compile.steps import Path, Step
from netcheck.model.addresses import Family, IPAddress, parse_address
from netcheck.model.hops import HopKind
from netcheck.model.packet import OriginKind
from netcheck.model.resolve import Destination, Header, Source
from netcheck.solve.results import Found, HopValue
from netcheck.solve.solver import Solver, value

__all__ = [
    "EXAMPLE_PREFERENCES",
    "example",
    "found",
    "hops",
    "packet",
    "preferences",
    "show",
]

# A drop's example packet tries only the first few preferences (it is a hint, not a witness).
EXAMPLE_PREFERENCES = 6


def packet(m: z3.ModelRef, p: SymPacket) -> dict[str, int]:
    return {f: value(m, p.field(f)) for f in FIELDS}


def hops(m: z3.ModelRef, steps: tuple[Step, ...]) -> tuple[HopValue, ...]:
    """The hops a user looks at, each with the rule that decided it for this packet."""
    out: list[HopValue] = []
    for st in steps:
        if st.kind in (HopKind.SUBNET, HopKind.VPC) or (
            st.kind == HopKind.NAT_GATEWAY and st.label.endswith((":protocol-ok", ":address"))
        ):
            continue  # selection bookkeeping, not a component a user would look at
        decided = next(
            (r for r in st.rules if z3.is_true(m.eval(r.cond, model_completion=True))), None
        )
        rule = decided.rule if decided is not None else None
        out.append(
            HopValue(
                st.component_id,
                st.kind,
                st.action,
                rule,
                decided.text if decided is not None else st.text,
                packet(m, st.pkt_out) if st.pkt_out is not None and st.link is not None else None,
            )
        )
    return tuple(out)


def preferences(
    header: Header, src: Source, dst: Destination, p0: SymPacket, path: Path
) -> list[z3.BoolRef]:
    """Readable witnesses: TCP, source port 49152, well-known destination ports, the
    first address of each range, the NAT keeping the source port."""
    prefs: list[z3.BoolRef] = []
    if header.protocol is None:
        prefs.append(p0.protocol == 6)
    prefs.append(p0.src_port == 49152)
    for addr in _first_addresses(src.addresses, src.cidrs, src.origin.kind is OriginKind.INTERNET):
        prefs.append(p0.src_ip == int(addr))
    for addr in _first_addresses(dst.addresses, dst.cidrs, dst.internet):
        prefs.append(p0.dst_ip == int(addr))
    dports = [header.dst_ports.start] if header.dst_ports is not None else []
    prefs.append(z3.Or(*(p0.dst_port == d for d in [*dports, 443, 80, 22])))
    for d in [*dports, 443, 80, 22]:
        prefs.append(p0.dst_port == d)
    prefs.append(p0.icmp_type == 8)
    for st in path.steps:
        for _name, var in st.choices:
            prefs.append(var == p0.src_port)
            prefs.append(var == 49152)
    return prefs


def found(
    solver: Solver,
    header: Header,
    src: Source,
    dst: Destination,
    p0: SymPacket,
    path: Path,
    rp: Path | None,
) -> Found:
    """The witness of a path (and its reply path) that gets through: the solver has both
    asserted; the preferences steer it to readable values."""
    kept = 0
    for pref in preferences(header, src, dst, p0, path):
        kept += solver.prefer(pref)
    solver.check()  # the last preference tried may have failed: re-check the kept ones
    m = solver.model()
    nat_ports = {
        name: value(m, var)
        for st in path.steps
        for name, var in st.choices
        if value(m, st.pkt_in.protocol) in (6, 17)
    }
    out = Found(
        origin=src.origin,
        packet=packet(m, p0),
        forward=hops(m, path.steps),
        reply=hops(m, rp.steps) if rp is not None else (),
        final=packet(m, path.final),
        nat_ports=nat_ports,
        end_kind=path.end.kind.value,
        end_component=path.end.component_id,
        one_way=rp is None,
        appliance_azs=dict((rp if rp is not None else path).appliance),
    )
    solver.retract(kept)
    return out


def example(
    solver: Solver, header: Header, src: Source, dst: Destination, p0: SymPacket, path: Path
) -> dict[str, int]:
    """A readable packet of the query that takes `path` (for a drop's message): only the
    first few preferences are tried."""
    with solver.scope():
        solver.add(*path.formulas())
        kept = 0
        for pref in preferences(header, src, dst, p0, path)[:EXAMPLE_PREFERENCES]:
            kept += solver.prefer(pref)
        solver.check()
        values = packet(solver.model(), p0)
        solver.retract(kept)
        return values


def show(v: dict[str, int]) -> str:
    """A packet's values in the form `Packet.__str__` uses (for messages)."""
    src, dst = Family.V4.address(v["src_ip"]), Family.V4.address(v["dst_ip"])
    if v["protocol"] in (6, 17):
        name = "tcp" if v["protocol"] == 6 else "udp"
        return f"{name} {src}:{v['src_port']} -> {dst}:{v['dst_port']}"
    if v["protocol"] == 1:
        return f"icmp {src} -> {dst} type {v['icmp_type']} code {v['icmp_code']}"
    return f"{v['protocol']} {src} -> {dst}"


def _first_addresses(addresses: tuple, cidrs: tuple, internet: bool) -> list[IPAddress]:
    out: list[IPAddress] = list(addresses[:4])
    for c in cidrs[:2]:
        out.append(c.network_address + 1 if c.prefixlen < 31 else c.network_address)
    if internet:
        out.append(parse_address("8.8.8.8", Family.V4))
    return out
