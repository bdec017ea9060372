"""Header-space formulas: `reachable(p)` over one symbolic packet, and boxes of packets.

Input: a `Network`, resolved `Source`s and `Destination`, a `Header` (netcheck.model.resolve).
Output: the vocabulary of sets — a `Reach` is the universe `U(p)` (the packets the query is
about), definitions `D` (the per-hop packet copies as functions of `p`) and one goal per source
and NAT-port choice, so that "p gets through" is `U(p) ∧ ∃copies. D ∧ Or(goals)` — plus the
candidate boundaries (`cut_points`) along each header dimension, `box_formula` for a box of
packets and `security_group_boxes` (an SG's allowed set read off its rules).

`Reach`es are built by solve/reach.py from the query's connections (compile/connection.py,
shared with point queries): the candidate paths that end where the query accepts; for TCP/UDP
(unless one-way, or the end is a gateway endpoint's service) some reply path must come back
to the source.

Why `D` makes the negation quantifier-free: every copy a path creates (IGW mapping, NAT,
reply) is defined by its step's link from the packet before it, and where a link leaves part of
a copy free (an unmapped address) the same step's guard is false, so no goal depends on the
free part. Hence for every `p` all copies satisfying `D` give the goals the same value, and
`¬reachable(p) ≡ ∃copies. D ∧ ¬Or(goals)`. The one real choice is the source port a NAT
gateway picks (1024-65535): when it is not pinned, the paths are explored once per candidate
port (a point of each interval between port boundaries of the snapshot's rules, where every
rule gives the same answer), so the choice becomes a finite disjunction. Example::

    reach = build_reach(net, sources, destination, Header(protocol=6))   # solve/reach.py
    s = z3.Solver(); s.add(reach.universe, *reach.defs, z3.Not(reach.goal()))
    s.add(box_formula(reach.packet, {"dst_port": (22, 22)}))   # unsat: all of tcp/22 passes
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

import z3

from netcheck.compile.index import public_owners
from netcheck.compile.packet import SymPacket, in_range
from netcheck.compile.query import source_constraint
from netcheck.model.addresses import Family, IPAddress, family_of
from netcheck.model.base import ICMP, NON_PUBLIC_RANGES, TCP, UDP
from netcheck.model.network import Network
from netcheck.model.packet import Origin, OriginKind
from netcheck.model.resolve import Source

__all__ = [
    "DIMENSIONS",
    "Branch",
    "Reach",
    "box_formula",
    "cut_points",
    "diff_reach",
    "empty_reach",
    "nat_port_intervals",
    "origin_universe",
    "security_group_boxes",
    "snapshot_public_ips",
]

# Header dimensions a box spans and their largest value.
DIMENSIONS: dict[str, int] = {
    "protocol": 255,
    "src_ip": 2**32 - 1,
    "dst_ip": 2**32 - 1,
    "src_port": 65535,
    "dst_port": 65535,
    "icmp_type": 255,
    "icmp_code": 255,
}


@dataclass(frozen=True)
class Branch:
    """One source with one assignment of NAT ports: `goal` holds for the packets that get
    through this way (over `packet` and copies defined by the `Reach`'s `defs`)."""

    origin: Origin
    nat_ports: dict[str, int]
    goal: z3.BoolRef
    # (condition, reason) of paths that end `unknown` (a component not modelled).
    unknowns: tuple[tuple[z3.BoolRef, str], ...] = ()


@dataclass
class Reach:
    """`U(p) ∧ D ∧ Or(branch goals)` is "the packet p gets through" (see module docstring)."""

    packet: SymPacket
    universe: z3.BoolRef
    defs: list[z3.BoolRef] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)

    def goal(self) -> z3.BoolRef:
        return z3.Or(*(b.goal for b in self.branches)) if self.branches else z3.BoolVal(False)

    def unknown(self) -> z3.BoolRef:
        conds = [c for b in self.branches for c, _ in b.unknowns]
        return z3.Or(*conds) if conds else z3.BoolVal(False)


def empty_reach(packet: SymPacket) -> Reach:
    """No packet gets through (a source or destination the snapshot does not have)."""
    return Reach(packet, z3.BoolVal(False))


def diff_reach(new: Reach, old: Reach, old_label: str = "the other snapshot") -> Reach:
    """Packets that get through in `new` but not in `old` (both built on the same packet).

    Whether a packet changed is unknown where its fate is unknown on either side: in `new`
    for a packet `old` does not let through, in `old` (`old_label` names it in the reason)
    for a packet `new` lets through or may let through. Those are the diff's unknowns."""
    assert new.packet is old.packet
    gone = z3.Not(z3.And(old.universe, old.goal()))
    maybe_new = z3.Or(new.goal(), new.unknown())
    old_unknowns = tuple(
        (z3.And(old.universe, cond, maybe_new), f"in {old_label}: {why}")
        for b in old.branches
        for cond, why in b.unknowns
    )
    branches = [
        Branch(
            b.origin,
            b.nat_ports,
            z3.And(b.goal, gone),
            tuple((z3.And(cond, gone), why) for cond, why in b.unknowns)
            + (old_unknowns if i == 0 else ()),
        )
        for i, b in enumerate(new.branches)
    ]
    return Reach(new.packet, new.universe, [*new.defs, *old.defs], branches)


def box_formula(p: SymPacket, box: dict[str, tuple[int, int]]) -> z3.BoolRef:
    """The packet lies in the box (an inclusive interval per dimension; others free)."""
    return z3.And(*(in_range(p.field(d), lo, hi) for d, (lo, hi) in box.items()))


def snapshot_public_ips(network: Network) -> list[IPAddress]:
    return sorted({pub for pub, _vpc, _priv in public_owners(network)})


def origin_universe(network: Network, src: Source, p: SymPacket) -> z3.BoolRef:
    """The source addresses of `src`; for the internet, public addresses outside the snapshot
    (a public IP of the snapshot is not an internet host: a reply to it re-enters the
    snapshot, so such a packet never gets through from the internet anyway)."""
    cond = source_constraint(network, src, p)
    if src.origin.kind is OriginKind.INTERNET:
        # As ranges of consecutive addresses: estates allocate public IPs in runs.
        runs: list[list[int]] = []
        for a in snapshot_public_ips(network):
            if runs and int(a) == runs[-1][1] + 1:
                runs[-1][1] = int(a)
            else:
                runs.append([int(a), int(a)])
        own = z3.Or(*(in_range(p.src_ip, lo, hi) for lo, hi in runs)) if runs else None
        if own is not None:
            cond = z3.And(cond, z3.Not(own))
    return cond


# -- candidate boundaries ------------------------------------------------------------------------


def _cidr_cuts(net: object, out: set[int]) -> None:
    # IPv4 only until the engine encodes IPv6 (issue #10).
    if isinstance(net, IPv4Network | IPv6Network) and family_of(net) is Family.V4:
        out.add(int(net.network_address))
        out.add(int(net.broadcast_address) + 1)


def _range_cuts(start: int, end: int, out: set[int]) -> None:
    out.add(start)
    out.add(end + 1)


# The source ports a NAT gateway may pick (AWS: 1024-65535), and how many there are.
NAT_PORTS = (1024, 65535)
NAT_PORT_COUNT = NAT_PORTS[1] - NAT_PORTS[0] + 1


def nat_port_intervals(network: Network) -> list[tuple[int, int]]:
    """The ports a NAT gateway may pick, cut at every port boundary of the snapshot's rules:
    within one interval every rule treats the ports alike, so "for every port the NAT may
    pick" is "for the first port of every interval" (and a count of the ports that work is
    a sum of interval lengths)."""
    lo, hi = NAT_PORTS
    starts = sorted({c for c in cut_points(network)["dst_port"] if lo <= c <= hi} | {lo})
    ends = [s - 1 for s in starts[1:]] + [hi]
    return list(zip(starts, ends, strict=True))


def cut_points(
    network: Network,
    extra_cidrs: Iterable[object] = (),
    extra_addresses: Iterable[object] = (),
    *,
    addresses: bool = True,
) -> dict[str, list[int]]:
    """Per dimension the values `x` where "x-1 gets through" and "x gets through" may differ:
    every rule and route boundary of the snapshot (CIDR starts and ends, single addresses,
    port-range ends, protocol numbers, ICMP types and codes). Growing a box stops only at
    these; a missing boundary would only cost an extra box, never a wrong one (every box is
    checked by the solver). `addresses=False`: CIDR boundaries only (no single address of an
    interface or NAT gateway) — what tells the addresses of two interfaces apart besides
    their own identity."""
    ips: set[int] = set()
    ports: set[int] = {1024}
    protos: set[int] = {ICMP, ICMP + 1, TCP, TCP + 1, UDP, UDP + 1}
    icmp: set[int] = {0, 1, 8, 9}
    for net in (*NON_PUBLIC_RANGES, *network.onprem_cidrs, *extra_cidrs):
        _cidr_cuts(net, ips)
    for vpc in network.vpcs:
        for c in vpc.cidr_blocks:
            _cidr_cuts(c, ips)
    for s in network.subnets:
        _cidr_cuts(s.cidr_block, ips)
    for t in network.route_tables:
        for r in t.routes:
            _cidr_cuts(r.destination, ips)
    for tt in network.transit_gateway_route_tables:
        for tr in tt.routes:
            _cidr_cuts(tr.destination, ips)
    for pl in network.prefix_lists:
        for e in pl.entries:
            _cidr_cuts(e, ips)
    for vpn in network.vpn_connections:
        for onprem in vpn.onprem_cidrs:
            _cidr_cuts(onprem, ips)
    for pcx in network.vpc_peering_connections:
        for info in (pcx.requester, pcx.accepter):
            for block in info.cidr_blocks:
                _cidr_cuts(block, ips)
    for acl in network.network_acls:
        for entry in acl.entries:
            _cidr_cuts(entry.cidr, ips)
            _filter_cuts(
                entry.protocol,
                entry.port_range,
                entry.icmp_type,
                entry.icmp_code,
                ports,
                protos,
                icmp,
            )
    for sg in network.security_groups:
        for rule in (*sg.ingress, *sg.egress):
            _cidr_cuts(rule.cidr, ips)
            _filter_cuts(
                rule.protocol, rule.port_range, rule.icmp_type, rule.icmp_code, ports, protos, icmp
            )
    singles: list[object] = list(extra_addresses)
    for eni in network.network_interfaces if addresses else ():
        singles += [*eni.addresses, *eni.public_ips]
        for prefix in eni.ipv4_prefixes:
            _cidr_cuts(prefix, ips)
    for n in network.nat_gateways if addresses else ():
        singles += [a.private_ip for a in n.addresses] + [a.public_ip for a in n.addresses]
    if addresses:
        # Public IPs the internet delivers to nobody (compile/hops/internet.py).
        singles += [a.public_ip for a in network.idle_addresses]
        singles += [ip for n in network.regional_nat_gateways for ip in n.public_ips]
    for a in singles:
        if isinstance(a, IPv4Address | IPv6Address) and family_of(a) is Family.V4:
            _range_cuts(int(a), int(a), ips)
    bound = {d: DIMENSIONS[d] for d in DIMENSIONS}
    raw = {
        "src_ip": ips,
        "dst_ip": ips,
        "src_port": ports,
        "dst_port": ports,
        "protocol": protos,
        "icmp_type": icmp,
        "icmp_code": icmp,
    }
    return {d: sorted(c for c in cuts if 0 < c <= bound[d]) for d, cuts in raw.items()}


def _filter_cuts(
    protocol: int,
    port_range: object,
    icmp_type: int | None,
    icmp_code: int | None,
    ports: set[int],
    protos: set[int],
    icmp: set[int],
) -> None:
    if protocol >= 0:
        _range_cuts(protocol, protocol, protos)
    start, end = getattr(port_range, "start", None), getattr(port_range, "end", None)
    if isinstance(start, int) and isinstance(end, int):
        _range_cuts(start, end, ports)
    for v in (icmp_type, icmp_code):
        if v is not None and v >= 0:
            _range_cuts(v, v, icmp)


def security_group_boxes(
    network: Network, group_ids: tuple[str, ...], vpc_id: str | None = None
) -> list[tuple[str, dict[str, tuple[tuple[int, int], ...]]]]:
    """The packets the security groups let in, read off the rules: AWS allows a packet when
    some rule of some group matches (docs/semantics/forwarding.md, "Security group
    matching"), so the allowed set is exactly the union of one box per rule and peer range:
    (protocol class, destination ports or ICMP type/code, source range). Peers: a CIDR, the
    entries of a prefix list, or the private addresses of the interfaces carrying a
    referenced group (a group not in the snapshot matches nothing). Dimensions a rule does not
    restrict are left out (free). With `vpc_id` (the interface's VPC) a group reference
    matches only members in that VPC: the packets these boxes meet come from outside the
    VPCs (the internet, on-premises), never over a peering connection or a transit gateway
    from another VPC, so references to other VPCs' members do not match them.
    Example: `tcp 22 from 10.0.0.0/8` gives
    `("tcp", {"dst_port": ((22, 22),), "src_ip": ((167772160, 184549375),)})`."""
    from netcheck.model.filtering import Direction

    out: list[tuple[str, dict[str, tuple[tuple[int, int], ...]]]] = []
    for gid in sorted(group_ids):
        sg = network.get(gid)
        for r in getattr(sg, Direction.INGRESS.value, ()) if sg is not None else ():
            members: tuple[tuple[int, int], ...] = ()
            if r.cidr is not None:
                nets = [r.cidr]
            elif r.prefix_list_id is not None:
                nets = list(getattr(network.get(r.prefix_list_id), "entries", ()))
            else:
                nets = []
                vpcs = frozenset((vpc_id,)) if vpc_id is not None else None
                members = tuple(network.member_address_runs(r.group_id or "", vpcs))
            src = tuple(
                sorted(
                    [
                        (int(n.network_address), int(n.broadcast_address))
                        for n in nets
                        if family_of(n) is Family.V4
                    ]
                    + (list(members) if not nets else [])
                )
            )
            if not src:
                continue
            full = ((0, 65535),)
            ports = full if r.port_range is None else ((r.port_range.start, r.port_range.end),)
            if r.protocol == -1:
                out += [(c, {"src_ip": src}) for c in ("tcp", "udp", "icmp", "other")]
            elif r.protocol in (TCP, UDP):
                out.append(
                    ("tcp" if r.protocol == TCP else "udp", {"src_ip": src, "dst_port": ports})
                )
            elif r.protocol == ICMP:
                dims = {"src_ip": src}
                if r.icmp_type is not None and r.icmp_type != -1:
                    dims["icmp_type"] = ((r.icmp_type, r.icmp_type),)
                if r.icmp_code is not None and r.icmp_code != -1:
                    dims["icmp_code"] = ((r.icmp_code, r.icmp_code),)
                out.append(("icmp", dims))
            else:
                out.append(("other", {"src_ip": src, "protocol": ((r.protocol, r.protocol),)}))
    return out
