"""One connection of a query: the forward paths from a source and, for each arrival, the
reply paths back — written once for point queries (solve/engine.py) and header-space sets
(solve/reach.py: reachable sets, exposure, diff).

Input: a `Network`, a resolved `Source` and `Destination` (netcheck.model.resolve), the NAT
ports pinned by the caller, and a `feasible` hook: may a packet of the query — with whatever
the caller has asserted at that moment — take these steps, filters aside? The hook is the
caller's solver (compile/ never checks anything itself); exploration is lazy so the caller
asserts the forward path before it asks for the replies.
Output: candidate `Path`s (forward from the source; reply from an arrival), whether an end
counts for the query (`arrives`, `returns`, `needs_reply`), the link making a copy the reply of
a forward path, and what the query settles about the first copies (`known_spaces`).

The connection semantics (docs/semantics/forwarding.md, "Connections (default) and
replies"): a TCP/UDP packet (or an ICMP echo request) gets through when it arrives and some
reply, addresses and ports swapped, comes back to the source through the forward path's NAT
sessions reversed — *as the reply*: with exactly the reversed header of the packet as the
source sent it (`as_sent`; a reply translated on the way back by something that did not
translate the forward packet is not recognised, `REPLY_ADDRESS_MISMATCH` at the hop that
went `astray`). One-way queries, other protocols and a gateway endpoint's service need no
reply. Example::

    conn = Connection(network, source, destination)
    for path in conn.forward(p0, feasible):
        if conn.arrives(path) and conn.needs_reply(path):
            r0 = fresh("rep")                  # asserted by the caller: conn.reply_link(path, r0)
            back = [rp for rp in conn.replies(path, r0, feasible) if conn.returns(rp)]
            ok = [z3.And(*rp.formulas(), conn.as_sent(path, rp)) for rp in back]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import z3

from netcheck.compile.explore import Explorer
from netcheck.compile.index import NetworkIndex
from netcheck.compile.packet import Space, SymPacket, reply_of
from netcheck.compile.query import accepts, reply_accepts
from netcheck.compile.steps import Path, Step
from netcheck.model.addresses import prefix_range
from netcheck.model.hops import HopKind
from netcheck.model.intervals import IntervalSet
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind
from netcheck.model.resolve import Destination, Header, Source

__all__ = [
    "CHECKED_ENDS",
    "REPLY_ADDRESS_MISMATCH",
    "Connection",
    "Feasible",
    "Known",
    "checked",
    "known_spaces",
    "reply_targets",
    "targets",
]

# The hook exploration prunes with (see the module docstring).
Feasible = Callable[[tuple[Step, ...]], bool]
# Per (packet copy name, field): the values a field can take under the caller's assertions.
Known = dict[tuple[str, str], Space]

# The explanation code of a reply that comes back with another header than the reply of the
# packet sent (no Reachability Analyzer code says this; the name follows their style).
REPLY_ADDRESS_MISMATCH = "REPLY_ADDRESS_MISMATCH"

# Path ends worth a solver check even when they do not count: they explain a failure.
CHECKED_ENDS = (DispositionKind.DROPPED, DispositionKind.UNKNOWN)


def targets(destination: Destination) -> frozenset[str]:
    """A forward packet only matters where it must arrive: the destination's interfaces."""
    return frozenset(destination.interface_ids)


def reply_targets(source: Source) -> frozenset[str]:
    """A reply only matters where it must arrive: the source interface."""
    ids = {source.origin.interface_id} if source.origin.interface_id else set()
    return frozenset(ids)


@dataclass(frozen=True)
class Connection:
    """The paths of one source's connection to a destination (see the module docstring).

    Paths come back as the plain lists the explorer builds, so the caller decides how long
    their terms live (Z3's answers depend on it: solve/solver.py)."""

    network: Network
    source: Source
    destination: Destination
    nat_ports: dict[str, int] | None = None
    one_way: bool = False
    # The network's derived index (None: `index_for(network)`); the API passes its
    # snapshot's, so every question on one snapshot shares one index.
    index: NetworkIndex | None = None

    def forward(
        self, p0: SymPacket, feasible: Feasible | None = None, known: Known | None = None
    ) -> list[Path]:
        """Every candidate forward path of `p0` from the source (one exploration)."""
        return Explorer(
            self.network,
            self.nat_ports,
            targets(self.destination),
            feasible,
            known,
            index=self.index,
        ).from_origin(self.source.origin, p0)

    def arrives(self, path: Path) -> bool:
        """Does a forward path end where the query's destination is?"""
        return accepts(self.destination, path.end)

    def needs_reply(self, path: Path) -> bool:
        """Must a reply come back for this arrival to count (for TCP/UDP packets)?"""
        return not self.one_way and path.end.kind is not DispositionKind.DELIVERED_SERVICE

    def reply_link(self, path: Path, r0: SymPacket) -> z3.BoolRef:
        """`r0` is the reply of the forward path's last copy (addresses and ports swapped)."""
        return reply_of(path.final, r0)

    def replies(
        self,
        path: Path,
        r0: SymPacket,
        feasible: Feasible | None = None,
        known: Known | None = None,
    ) -> list[Path]:
        """Every candidate path of the reply `r0` from where `path` arrived, through its NAT
        sessions reversed (one exploration; the caller asserts the forward path first)."""
        return Explorer(
            self.network,
            self.nat_ports,
            reply_targets(self.source),
            feasible,
            known,
            index=self.index,
        ).reply_from(path.end, path.sessions, r0, path.appliance)

    def returns(self, reply: Path) -> bool:
        """Does a reply path end back at the source?"""
        return reply_accepts(self.source, reply.end)

    def as_sent(self, path: Path, reply: Path) -> z3.BoolRef:
        """A reply that `returns` comes back *as the reply*: its last copy is the reply of
        the forward path's first copy (the packet as the source sent it: addresses and
        ports reversed, echo request answered by echo reply). Every translator that changed
        the forward packet must have undone its change; a translation of its own on the way
        back (a NAT gateway the forward packet never crossed, the IGW mapping another
        address) leaves a header the source does not recognise."""
        return reply_of(path.packet, reply.final)

    def astray(self, reply: Path) -> tuple[str, HopKind]:
        """Where a reply that fails `as_sent` went astray: the first NAT gateway that made a
        translation of its own on the way back, else the last hop that translated it, else
        where it ended."""
        made = [st for st in reply.steps if st.pkt_out is not None and st.link is not None]
        for st in made:
            if st.kind is HopKind.NAT_GATEWAY and st.label.endswith(":translate"):
                return st.component_id, st.kind
        if made:
            return made[-1].component_id, made[-1].kind
        return reply.end.component_id or str(self.source.origin), HopKind.ENI_INGRESS


def checked(path: Path, counts: bool) -> bool:
    """Is a path's end worth a check: it counts, or explains a failure (drop, unknown)?"""
    return counts or path.end.kind in CHECKED_ENDS


def header_spaces(header: Header, reply: bool) -> dict[str, Space]:
    """Protocol and destination port of the first copy (or of its reply) as the header
    constraint pins them."""
    out: dict[str, Space] = {}
    k = header.packet
    proto = k.protocol if k is not None else header.protocol
    if proto is not None:
        out["protocol"] = IntervalSet.of_range(proto, proto)
    ports = header.src_ports if reply else header.dst_ports
    if k is not None:
        port = k.src_port if reply else k.dst_port
        out["dst_port"] = IntervalSet.of_range(port, port)
    elif ports is not None:
        out["dst_port"] = IntervalSet.of_range(ports.start, ports.end)
    return out


def address_space(addresses: tuple, cidrs: tuple) -> Space | None:
    """The values an address constrained to `addresses` or `cidrs` can take (as
    `source_constraint` / `destination_constraint` assert it); None when unconstrained or
    not plain IPv4."""
    if not (addresses or cidrs):
        return None
    if not all(a.version == 4 for a in addresses) or not all(c.version == 4 for c in cidrs):
        return None
    return IntervalSet([(int(a), int(a)) for a in addresses] + [prefix_range(c) for c in cidrs])


def known_spaces(
    p: SymPacket, source: Source, destination: Destination, header: Header, *, reply: bool
) -> Known:
    """What the query's constraints settle about copy `p`: the first copy of the forward
    packet (`reply=False`) or the reply of an unchanged first copy (addresses swapped)."""
    src = address_space(source.addresses, source.cidrs)
    dst = address_space(destination.addresses, destination.cidrs)
    if reply:
        src, dst = dst, src
    out: Known = {(p.name, f): v for f, v in header_spaces(header, reply).items()}
    if src is not None:
        out[(p.name, "src_ip")] = src
    if dst is not None:
        out[(p.name, "dst_ip")] = dst
    return out
