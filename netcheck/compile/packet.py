"""The symbolic packet: the only place netcheck creates Z3 bit-vector variables.

Input: a name prefix. Output: `SymPacket` (src_ip/dst_ip 32 bits, protocol 8, ports 16, ICMP
type/code 8) with its domain constraints, fresh copies after a translation, the reply of a
packet, and small predicates (`ip_in`, `port_in`) every encoder builds on.

Domain (docs/semantics/forwarding.md, "Packet"): ports are 0 unless the protocol is TCP/UDP,
ICMP type/code are 0 unless the protocol is ICMP. Example::

    p = fresh("fwd0")
    s = z3.Solver(); s.add(domain(p), p.protocol == 1)   # then p.src_port == 0 in every model
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

import z3

from netcheck.model.base import ICMP, TCP, UDP, IPNetwork, PortRange

_counter = itertools.count()

FIELDS = ("src_ip", "dst_ip", "protocol", "src_port", "dst_port", "icmp_type", "icmp_code")
WIDTHS = {
    "src_ip": 32,
    "dst_ip": 32,
    "protocol": 8,
    "src_port": 16,
    "dst_port": 16,
    "icmp_type": 8,
    "icmp_code": 8,
}


@dataclass(frozen=True)
class SymPacket:
    """A packet header as Z3 bit-vectors; `name` identifies the copy (per hop)."""

    name: str
    src_ip: z3.BitVecRef
    dst_ip: z3.BitVecRef
    protocol: z3.BitVecRef
    src_port: z3.BitVecRef
    dst_port: z3.BitVecRef
    icmp_type: z3.BitVecRef
    icmp_code: z3.BitVecRef

    def field(self, name: str) -> z3.BitVecRef:
        return getattr(self, name)

    def has_ports(self) -> z3.BoolRef:
        return z3.Or(self.protocol == TCP, self.protocol == UDP)


def fresh(prefix: str) -> SymPacket:
    """A new packet copy with unique variable names (`<prefix>#<n>.<field>`)."""
    name = f"{prefix}#{next(_counter)}"
    return SymPacket(name, *(z3.BitVec(f"{name}.{f}", WIDTHS[f]) for f in FIELDS))


def fresh_port(prefix: str) -> z3.BitVecRef:
    """An existential 16-bit port (the port a NAT gateway chooses)."""
    return z3.BitVec(f"{prefix}#{next(_counter)}", 16)


def domain(p: SymPacket) -> z3.BoolRef:
    """Ports 0 unless TCP/UDP; ICMP type/code 0 unless ICMP."""
    return z3.And(
        z3.Or(p.has_ports(), z3.And(p.src_port == 0, p.dst_port == 0)),
        z3.Or(p.protocol == ICMP, z3.And(p.icmp_type == 0, p.icmp_code == 0)),
    )


def same(a: SymPacket, b: SymPacket, *, except_: tuple[str, ...] = ()) -> z3.BoolRef:
    """Every header field equal except the named ones."""
    return z3.And(*(a.field(f) == b.field(f) for f in FIELDS if f not in except_))


def reply_of(fwd: SymPacket, rep: SymPacket) -> z3.BoolRef:
    """`rep` is the reply of `fwd` as it arrived: addresses and ports swapped, ICMP echo
    request (8) answered by echo reply (0) — the same rule as `Packet.reply`."""
    icmp_type = z3.If(
        z3.And(fwd.protocol == ICMP, fwd.icmp_type == 8), z3.BitVecVal(0, 8), fwd.icmp_type
    )
    return z3.And(
        rep.src_ip == fwd.dst_ip,
        rep.dst_ip == fwd.src_ip,
        rep.protocol == fwd.protocol,
        rep.src_port == fwd.dst_port,
        rep.dst_port == fwd.src_port,
        rep.icmp_type == icmp_type,
        rep.icmp_code == fwd.icmp_code,
    )


def ip_in(bv: z3.BitVecRef, net: IPNetwork) -> z3.BoolRef:
    """`bv` lies in the IPv4 network `net` (an IPv6 network never matches)."""
    if not isinstance(net, IPv4Network):
        return z3.BoolVal(False)
    if net.prefixlen == 0:
        return z3.BoolVal(True)
    if net.prefixlen == 32:
        return bv == int(net.network_address)
    hi = 31
    lo = 32 - net.prefixlen
    return z3.Extract(hi, lo, bv) == (int(net.network_address) >> lo)


def ip_is(bv: z3.BitVecRef, address: IPv4Address) -> z3.BoolRef:
    return bv == int(address)


def ip_in_any(bv: z3.BitVecRef, nets: tuple[IPNetwork, ...] | list[IPNetwork]) -> z3.BoolRef:
    return z3.Or(*(ip_in(bv, n) for n in nets)) if nets else z3.BoolVal(False)


def ip_is_any(bv: z3.BitVecRef, addrs: tuple[IPv4Address, ...] | list[IPv4Address]) -> z3.BoolRef:
    """`bv` is one of `addrs`; consecutive addresses become one range (smaller terms for
    group references with many members)."""
    values = sorted({int(a) for a in addrs})
    if not values:
        return z3.BoolVal(False)
    runs: list[list[int]] = [[values[0], values[0]]]
    for v in values[1:]:
        if v == runs[-1][1] + 1:
            runs[-1][1] = v
        else:
            runs.append([v, v])
    return z3.Or(*(in_range(bv, lo, hi) for lo, hi in runs))


def in_range(bv: z3.BitVecRef, start: int, end: int) -> z3.BoolRef:
    """Unsigned `start <= bv <= end`."""
    width = bv.size()
    if start <= 0 and end >= (1 << width) - 1:
        return z3.BoolVal(True)
    if start == end:
        return bv == start
    return z3.And(z3.UGE(bv, start), z3.ULE(bv, end))


def port_in(bv: z3.BitVecRef, ports: PortRange | None) -> z3.BoolRef:
    return z3.BoolVal(True) if ports is None else in_range(bv, ports.start, ports.end)


# -- known address spaces ---------------------------------------------------------------------
#
# A query pins some fields of its first packet copy (e.g. `dst_ip` to the destination's
# addresses). Encoders given such a `Space` (sorted, disjoint, non-adjacent inclusive
# `(lo, hi)` ranges that contain every value the field can take under the query's asserted
# constraints) decide address tests in Python where the space does: the terms they emit are
# equivalent to the full ones under those constraints, only smaller.

Space = tuple[tuple[int, int], ...]


def runs(values: list[int] | tuple[int, ...]) -> Space:
    """Sorted integers (or any) as merged inclusive runs."""
    vs = sorted(set(values))
    out: list[list[int]] = []
    for v in vs:
        if out and v == out[-1][1] + 1:
            out[-1][1] = v
        else:
            out.append([v, v])
    return tuple((a, b) for a, b in out)


def merge(ranges: list[tuple[int, int]]) -> Space:
    """Merge inclusive ranges into sorted, disjoint, non-adjacent ones."""
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((a, b) for a, b in out)


def net_range(net: IPv4Network) -> tuple[int, int]:
    lo = int(net.network_address)
    return lo, lo + net.num_addresses - 1


def decide(space: Space | None, lo: int, hi: int) -> bool | None:
    """Within `space`, is the value always (True), never (False) or sometimes (None) in
    `[lo, hi]`? Without a space: None."""
    if space is None:
        return None
    inside = True
    overlap = False
    for a, b in space:
        if b < lo or a > hi:
            inside = False
        else:
            overlap = True
            if a < lo or b > hi:
                inside = False
    if not overlap:
        return False
    return True if inside else None


def ip_in_space(bv: z3.BitVecRef, net: IPNetwork, space: Space | None) -> z3.BoolRef:
    """`ip_in`, decided in Python when `space` settles it."""
    if space is not None and isinstance(net, IPv4Network):
        d = decide(space, *net_range(net))
        if d is not None:
            return z3.BoolVal(d)
    return ip_in(bv, net)


def ip_in_runs(bv: z3.BitVecRef, rs: Space, space: Space | None) -> z3.BoolRef:
    """`bv` lies in one of the merged runs `rs`; within `space` only the runs it meets are
    tested, and a space inside one run is decided."""
    if space is not None:
        kept = []
        for lo, hi in rs:
            d = decide(space, lo, hi)
            if d is True:
                return z3.BoolVal(True)
            if d is None:
                kept.append((lo, hi))
        rs = tuple(kept)
    if not rs:
        return z3.BoolVal(False)
    return z3.Or(*(in_range(bv, lo, hi) for lo, hi in rs))
