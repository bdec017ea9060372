"""The symbolic packet: the only place netcheck creates Z3 bit-vector variables.

Input: a name prefix and an address family. Output: `SymPacket` (src_ip/dst_ip as wide as
the family's addresses — 32 bits for IPv4, 128 for IPv6 —, protocol 8, ports 16, ICMP
type/code 8) with its domain constraints, fresh copies after a translation, the reply of a
packet, and small predicates (`ip_in`, `port_in`) every encoder builds on.

Domain (docs/semantics/forwarding.md, "Packet"): ports are 0 unless the protocol is TCP/UDP,
ICMP type/code are 0 unless the protocol is ICMP. A packet of one family never matches a
prefix or address of the other. Example::

    p = fresh("fwd0")                                     # an IPv4 packet (the default)
    s = z3.Solver(); s.add(domain(p), p.protocol == 1)   # then p.src_port == 0 in every model
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import z3

from netcheck.model.addresses import Family, IPAddress, IPPrefix, prefix_range
from netcheck.model.base import ICMP, TCP, UDP, PortRange
from netcheck.model.intervals import IntervalSet

_counter = itertools.count()

FIELDS = ("src_ip", "dst_ip", "protocol", "src_port", "dst_port", "icmp_type", "icmp_code")


def widths(family: Family) -> dict[str, int]:
    """Bit width of every header field of a packet of `family`."""
    return {
        "src_ip": family.bits,
        "dst_ip": family.bits,
        "protocol": 8,
        "src_port": 16,
        "dst_port": 16,
        "icmp_type": 8,
        "icmp_code": 8,
    }


_WIDTHS = {family: widths(family) for family in Family}
# Today every query builds IPv4 packets; kept for readers of the IPv4 widths.
WIDTHS = _WIDTHS[Family.V4]


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
    family: Family = Family.V4

    def field(self, name: str) -> z3.BitVecRef:
        return getattr(self, name)

    def has_ports(self) -> z3.BoolRef:
        return z3.Or(self.protocol == TCP, self.protocol == UDP)


def fresh(prefix: str, family: Family = Family.V4) -> SymPacket:
    """A new packet copy of `family` with unique variable names (`<prefix>#<n>.<field>`)."""
    name = f"{prefix}#{next(_counter)}"
    w = _WIDTHS[family]

    def var(field: str) -> z3.BitVecRef:
        return z3.BitVec(f"{name}.{field}", w[field])

    # In `FIELDS` order, as the variables have always been created.
    return SymPacket(
        name,
        var("src_ip"),
        var("dst_ip"),
        var("protocol"),
        var("src_port"),
        var("dst_port"),
        var("icmp_type"),
        var("icmp_code"),
        family,
    )


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


# The address predicates take the family of the address field `bv` (a packet's `family`);
# callers that have no packet at hand get IPv4, the family of every packet built today.


def ip_in(bv: z3.BitVecRef, net: IPPrefix, family: Family = Family.V4) -> z3.BoolRef:
    """`bv` (an address of `family`) lies in `net`; a prefix of the other family never
    matches."""
    if net.version != family.value:
        return z3.BoolVal(False)
    bits = family.bits
    if net.prefixlen == 0:
        return z3.BoolVal(True)
    if net.prefixlen == bits:
        return bv == int(net.network_address)
    lo = bits - net.prefixlen
    return z3.Extract(bits - 1, lo, bv) == (int(net.network_address) >> lo)


def ip_is(bv: z3.BitVecRef, address: IPAddress, family: Family = Family.V4) -> z3.BoolRef:
    """`bv` (an address of `family`) is `address`; one of the other family never is."""
    return bv == int(address) if address.version == family.value else z3.BoolVal(False)


def ip_in_any(bv: z3.BitVecRef, nets: Iterable[IPPrefix], family: Family = Family.V4) -> z3.BoolRef:
    terms = [ip_in(bv, n, family) for n in nets]
    return z3.Or(*terms) if terms else z3.BoolVal(False)


def ip_is_any(
    bv: z3.BitVecRef, addrs: Iterable[IPAddress], family: Family = Family.V4
) -> z3.BoolRef:
    """`bv` (an address of `family`) is one of `addrs` (those of the other family never
    match); consecutive addresses become one range (smaller terms for group references
    with many members)."""
    runs = IntervalSet.of_values(int(a) for a in addrs if a.version == family.value)
    if not runs:
        return z3.BoolVal(False)
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
# addresses). Encoders given such a `Space` (the set of values the field can take under the
# query's asserted constraints, or a superset) decide address tests in Python where the
# space does: the terms they emit are equivalent to the full ones under those constraints,
# only smaller.

# An `IntervalSet`; plain sorted merged `(lo, hi)` tuples are accepted too while callers
# move over (`IntervalSet` is such a tuple).
Space = tuple[tuple[int, int], ...]


def decide(space: Space | None, lo: int, hi: int) -> bool | None:
    """Within `space`, is the value always (True), never (False) or sometimes (None) in
    `[lo, hi]`? Without a space: None."""
    if space is None:
        return None
    if type(space) is not IntervalSet:
        space = _as_set(space)
    return space.decide(lo, hi)


_SETS: dict[Space, IntervalSet] = {}


def _as_set(space: Space) -> IntervalSet:
    """`space` as an `IntervalSet`, remembered: callers that still pass plain tuples pass
    the same few (a pinned protocol or port) for every rule they test."""
    out = _SETS.get(space)
    if out is None:
        if len(_SETS) > 4096:
            _SETS.clear()
        out = _SETS[space] = IntervalSet(space)
    return out


def ip_in_space(
    bv: z3.BitVecRef, net: IPPrefix, space: Space | None, family: Family = Family.V4
) -> z3.BoolRef:
    """`ip_in`, decided in Python when `space` (values of an address of `family`) settles
    it."""
    if space is not None and net.version == family.value:
        d = decide(space, *prefix_range(net))
        if d is not None:
            return z3.BoolVal(d)
    return ip_in(bv, net, family)


def ip_in_runs(bv: z3.BitVecRef, rs: Space, space: Space | None) -> z3.BoolRef:
    """`bv` lies in one of the runs `rs` (a set of address values of `bv`'s family); within
    `space` only the runs it meets are tested, and a space inside one run is decided."""
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
