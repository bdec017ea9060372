"""Building `Reach` formulas: a query's connections (compile/connection.py) -> "the packet p
gets through" over one symbolic packet, for reachable sets, exposure and diff.

Input: a `Network`, resolved `Source`s and `Destination`, a `Header`, options (one-way, NAT
ports pinned). Output: a `Reach` (compile/headerspace.py): universe, definitions of the copies
and one goal per source and NAT-port assignment (the module docstring of headerspace says
why the negation stays quantifier-free).

This lives in solve/ because exploration is pruned by a solver: a branch no packet of the
universe can take (routing aside from filters) is not explored, and a forward path no packet
can take gets no reply exploration. The pruning solver has no deadline — `possible` never
gives up, so an unsure answer keeps the branch (it only costs formulas). When a NAT gateway's
source port is left free on some path, the paths are explored once per port assignment (one
port per interval between the snapshot's port boundaries); beyond `MAX_NAT_CHOICES`
assignments the set is not expanded (`TooManyChoices`, which becomes `unknown`). Example::

    reach = build_reach(net, sources, destination, Header(protocol=6))
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import z3

from netcheck.compile.connection import Connection
from netcheck.compile.headerspace import Branch, Reach, nat_port_intervals, origin_universe
from netcheck.compile.index import NetworkIndex
from netcheck.compile.packet import SymPacket, domain, fresh
from netcheck.compile.query import destination_constraint, header_constraint, is_connection
from netcheck.compile.steps import Path, Step
from netcheck.errors import TooManyChoices
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind
from netcheck.model.resolve import Destination, Header, Source
from netcheck.solve.solver import Solver

__all__ = ["MAX_NAT_CHOICES", "build_reach"]

# At most this many NAT-port assignments are explored per source (beyond: unsupported).
MAX_NAT_CHOICES = 256


def build_reach(
    network: Network,
    sources: Iterable[Source],
    destination: Destination,
    header: Header,
    *,
    one_way: bool = False,
    nat_ports: dict[str, int] | None = None,
    packet: SymPacket | None = None,
    index: NetworkIndex | None = None,
) -> Reach:
    """The formulas of "a packet of the query gets through" (see the module docstring).
    Raises `MissingResource` when a path needs a resource the snapshot lacks, and
    `TooManyChoices` when the NAT-port expansion is too large."""
    p0 = packet if packet is not None else fresh("set")
    sources = tuple(sources)
    per_source = [origin_universe(network, s, p0) for s in sources]
    universe = z3.And(
        header_constraint(header, p0),
        destination_constraint(destination, p0),
        z3.Or(*per_source) if per_source else z3.BoolVal(False),
    )
    reach = Reach(p0, universe)
    seen: set[int] = set()
    for src, src_universe in zip(sources, per_source, strict=True):
        pinned = dict(nat_ports or {})
        live = z3.And(universe, src_universe)
        first = _branch(network, src, destination, p0, one_way, pinned, live, index)
        runs = [(pinned, first)]
        if first[3]:
            runs = [
                (ports, _branch(network, src, destination, p0, one_way, ports, live, index))
                for ports in _assignments(network, first[3], pinned)
            ]
        for _ports, (defs, _goal, _unknowns, _free) in runs:
            for d in defs:
                if d.get_id() not in seen:
                    seen.add(d.get_id())
                    reach.defs.append(d)
        reach.branches.append(_every_port(src, src_universe, runs, first[3]))
    return reach


def _every_port(
    src: Source,
    src_universe: z3.BoolRef,
    runs: list[tuple[dict[str, int], tuple[Any, z3.BoolRef, list[tuple[z3.BoolRef, str]], Any]]],
    free: set[str],
) -> Branch:
    """The branch of one source. A NAT gateway picks its source port, not the user: with
    free ports (one run per assignment of a port per interval) a packet gets through only
    if it does for every assignment; one that gets through for some only is unknown
    ("depends on the port the NAT gateway picks")."""
    goals = [goal for _ports, (_d, goal, _u, _f) in runs]
    unknowns = [(z3.And(src_universe, c), why) for _p, (_d, _g, us, _f) in runs for c, why in us]
    if len(goals) > 1:
        unknowns.append(
            (
                z3.And(src_universe, z3.Or(*goals), z3.Not(z3.And(*goals))),
                "depends on the port the NAT gateway picks (some of 64,512 work): "
                f"{', '.join(sorted(free))} picks the source port of the connection in 1024-65535",
            )
        )
    return Branch(src.origin, runs[0][0], z3.And(src_universe, *goals), tuple(unknowns))


def _guards(path: Path) -> z3.BoolRef:
    return z3.And(*(st.guard for st in path.steps))


def _links(path: Path) -> list[z3.BoolRef]:
    return [st.link for st in path.steps if st.link is not None]


def _branch(
    network: Network,
    src: Source,
    dst: Destination,
    p0: SymPacket,
    one_way: bool,
    nat_ports: dict[str, int],
    live: z3.BoolRef,
    index: NetworkIndex | None = None,
) -> tuple[list[z3.BoolRef], z3.BoolRef, list[tuple[z3.BoolRef, str]], set[str]]:
    """Definitions, goal and unknown ends of one source with the NAT ports in `nat_ports`
    pinned, and the NAT gateways whose port was left free on some path. Forward paths no
    packet of `live` (the universe) can take are left out before their replies are explored
    (they add nothing to the goal). The order of term creation and how long locals hold
    terms decide which boxes Z3 finds first (solve/solver.py): keep them."""
    pruner = Solver()
    pruner.add(live)

    def feasible(steps: tuple[Step, ...]) -> bool:
        """May a packet of the universe (and of the forward path, for a reply) take these
        steps, filters aside? Branches that fail are not explored (their guards are false
        for every packet of the set's universe)."""
        with pruner.scope():
            pruner.add(*(st.formula() for st in steps if not st.is_filter))
            return pruner.possible()

    connection = Connection(network, src, dst, nat_ports, one_way, index=index)
    defs: list[z3.BoolRef] = []
    goals: list[z3.BoolRef] = []
    unknowns: list[tuple[z3.BoolRef, str]] = []
    paths = connection.forward(p0, feasible)
    free: set[str] = set()
    for path in paths:
        # Only the copies of paths that count need definitions (see headerspace's docstring).
        kind = path.end.kind
        if kind is DispositionKind.UNKNOWN:
            defs += _links(path)
            unknowns.append((_guards(path), f"{path.end.component_id}: {path.end.reason}"))
            continue
        if not connection.arrives(path):
            continue
        with pruner.scope():
            pruner.add(*path.formulas())
            dead = not pruner.possible()
        if dead:
            continue
        defs += _links(path)
        free |= _nat_ids([path])
        fwd = _guards(path)
        if not connection.needs_reply(path):
            goals.append(fwd)
            continue
        r0 = fresh("set-rep")
        defs.append(connection.reply_link(path, r0))
        back: list[z3.BoolRef] = []
        with pruner.scope():
            pruner.add(*path.formulas(), connection.reply_link(path, r0), is_connection(p0))
            rpaths = connection.replies(path, r0, feasible)
            for rp in rpaths:
                if connection.returns(rp):
                    # A reply path no packet can take adds nothing (and its NAT gateways no
                    # port choices to expand).
                    with pruner.scope():
                        pruner.add(*rp.formulas())
                        live_reply = pruner.possible()
                    if not live_reply:
                        continue
                    defs += _links(rp)
                    free |= _nat_ids([rp])
                    # Only a reply that comes back as the reply of the packet sent counts.
                    back.append(z3.And(_guards(rp), connection.as_sent(path, rp)))
                elif rp.end.kind is DispositionKind.UNKNOWN:
                    defs += _links(rp)
                    unknowns.append(
                        (
                            z3.And(fwd, is_connection(p0), _guards(rp)),
                            f"return path: {rp.end.component_id}: {rp.end.reason}",
                        )
                    )
        conn = z3.And(domain(r0), z3.Or(*back)) if back else z3.BoolVal(False)
        goals.append(z3.And(fwd, z3.Or(z3.Not(is_connection(p0)), conn)))
    goal = z3.Or(*goals) if goals else z3.BoolVal(False)
    return defs, goal, unknowns, free - set(nat_ports)


def _nat_ids(paths: list[Path]) -> set[str]:
    return {name for path in paths for st in path.steps for name, _var in st.choices}


def _assignments(network: Network, free: set[str], pinned: dict[str, int]) -> list[dict[str, int]]:
    """For the NAT gateways whose port is free, every combination of one port per interval
    between the snapshot's port boundaries within 1024-65535."""
    ports = _port_representatives(network)
    nats = sorted(free)
    if len(ports) ** len(nats) > MAX_NAT_CHOICES:
        raise TooManyChoices(tuple(nats), len(ports))
    combos = itertools.product(ports, repeat=len(nats))
    return [{**pinned, **dict(zip(nats, combo, strict=True))} for combo in combos]


def _port_representatives(network: Network) -> list[int]:
    """One port per interval between consecutive port boundaries (every rule treats the ports
    of one interval alike)."""
    return [lo for lo, _hi in nat_port_intervals(network)]
