"""The reachability engine for point queries: a query's connections -> a plain verdict,
witness values, blockers.

Input: a `Request` (network, resolved sources and destination, header constraints, options).
Output: an `Outcome` (netcheck.solve.results) with no Z3 object in it (SMT-LIB texts of the
failed candidates, when asked for, are strings; report/smt2.py writes them).

For each source the connection (compile/connection.py) enumerates candidate forward paths;
the solver (solve/solver.py) keeps the query constraints asserted and checks one path at a
time in a scope. A forward path that arrives is reachable for one-way queries and
non-TCP/UDP packets; for TCP/UDP its reply paths are enumerated from where it arrived and
checked together with it (connection semantics). An unsat candidate gets its first unsat hop
(steps added in order) as blocker (solve/blame.py); a satisfiable drop leaf is a blocker
where packets of the query really die; a satisfiable `unknown` leaf or a solver timeout makes
the verdict unknown unless some packet gets through. Witnesses are steered to readable
values (solve/witness.py). The order of assertions and checks is part of the answer (it
decides which model Z3 returns): keep it when changing this module.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import z3

from netcheck.compile.connection import (
    REPLY_ADDRESS_MISMATCH,
    Connection,
    checked,
    known_spaces,
)
from netcheck.compile.headerspace import NAT_PORT_COUNT, nat_port_intervals
from netcheck.compile.index import NetworkIndex
from netcheck.compile.packet import SymPacket, domain, fresh
from netcheck.compile.query import (
    destination_constraint,
    header_constraint,
    is_connection,
    source_constraint,
)
from netcheck.compile.steps import Path, Step
from netcheck.errors import SolverGaveUp, TooManyChoices, UnsupportedFeature
from netcheck.model.base import TCP, UDP
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind
from netcheck.model.resolve import Destination, Header, Source
from netcheck.solve import witness
from netcheck.solve.blame import blame, blocker_for_step, filter_blockers, last_rule, no_path
from netcheck.solve.results import BlockerValue, Outcome, Verdict
from netcheck.solve.solver import INCREMENTAL_TRY, Deadline, Solver, smt2_script

__all__ = ["Request", "SolverGaveUp", "run"]

# Drops after this many in one query get no example packet (each costs solver checks).
MAX_EXAMPLES = 3
# At most this many combinations of NAT-port intervals are checked per witness.
MAX_NAT_CHOICES = 256


@dataclass(frozen=True)
class Request:
    network: Network
    sources: tuple[Source, ...]
    destination: Destination
    header: Header
    one_way: bool = False
    all_blockers: bool = False
    timeout_ms: int = 30000
    # Collect the SMT-LIB 2 text of every failed candidate (`Outcome.smt2`).
    smt2: bool = False
    # Pin the source port a NAT gateway picks (by NAT id), e.g. to compare with the walker.
    nat_ports: dict[str, int] | None = None
    # The network's derived index (None: `index_for(network)`): the snapshot's, passed down.
    index: NetworkIndex | None = None


class Engine:
    def __init__(self, req: Request) -> None:
        self.req = req
        self.net = req.network
        deadline = Deadline(req.timeout_ms, timeout_text=f"timeout after {req.timeout_ms} ms")
        self.solver = Solver(deadline, try_units=INCREMENTAL_TRY)
        self.out = Outcome(Verdict.UNREACHABLE)
        self.unknowns: list[tuple[str, str]] = []
        self.smt2: list[tuple[str, list[z3.BoolRef]]] = []
        self._examples = 0

    def run(self) -> Outcome:
        if self.req.destination.missing:
            # The destination's interfaces are not in the snapshot: nothing can be shown to
            # arrive, and that is missing data, not a drop.
            comp, why = self.req.destination.missing[0]
            self.out.verdict = Verdict.UNKNOWN
            self.out.unknown_component = comp
            self.out.reason = why
            return self.out
        try:
            for k, src in enumerate(self.req.sources):
                if self._source(k, src):
                    self.out.verdict = Verdict.REACHABLE
                    break
            else:
                if self.unknowns:
                    self.out.verdict = Verdict.UNKNOWN
                    comp, why = self.unknowns[0]
                    self.out.unknown_component = comp
                    self.out.reason = why
        except SolverGaveUp as e:
            self.out.verdict = Verdict.UNKNOWN
            self.out.reason = str(e)
        except UnsupportedFeature as e:
            self.out.verdict = Verdict.UNKNOWN
            self.out.reason = str(e)
            self.out.unknown_component = e.component_id
        except KeyError as e:  # a lookup of something the snapshot lacks
            self.out.verdict = Verdict.UNKNOWN
            self.out.reason = f"a resource on a path is not in the snapshot: {e}"
        if self.out.verdict is Verdict.UNREACHABLE and self.out.paths_checked == 0:
            self.out.blockers += no_path(self.net, self.req.sources, self.req.destination)
        if self.req.smt2:
            self.out.smt2 = [(name, smt2_script(formulas)) for name, formulas in self.smt2]
        self._dedupe()
        return self.out

    def _feasible(self, steps: tuple[Step, ...]) -> bool:
        """Can a packet of the query (with what is asserted now) take these steps, filters
        aside? Branches that fail are routing-infeasible and are not explored."""
        return self.solver.sat_with([st.formula() for st in steps if not st.is_filter])

    # -- one source ------------------------------------------------------------------------
    # The order of assertions, checks and term creation below, and how long locals hold
    # terms, decide which model Z3 returns (solve/solver.py): witnesses and cores depend on
    # it. Change it only together with the golden answers.

    def _source(self, k: int, src: Source) -> bool:
        solver, req = self.solver, self.req
        conn = Connection(
            self.net, src, req.destination, req.nat_ports, req.one_way, index=req.index
        )
        p0 = fresh("fwd")
        base = [
            header_constraint(req.header, p0),
            source_constraint(self.net, src, p0),
            destination_constraint(req.destination, p0),
        ]
        with solver.scope(forget=True):
            solver.add(*base)
            if not solver.check():
                self.out.blockers.append(
                    BlockerValue(
                        str(src.origin),
                        "NO_PATH",
                        None,
                        f"no packet from {src.origin} satisfies the query's constraints",
                    )
                )
                return False
            known = known_spaces(p0, src, req.destination, req.header, reply=False)
            paths = conn.forward(p0, self._feasible, known)
            return any(self._forward(k, conn, p0, base, i, path) for i, path in enumerate(paths))

    def _forward(
        self, k: int, conn: Connection, p0: SymPacket, base: list[z3.BoolRef], i: int, path: Path
    ) -> bool:
        solver = self.solver
        cand = conn.arrives(path)
        if not checked(path, cand):
            return False
        if cand:
            self.out.paths_checked += 1
        if not solver.sat_with(path.formulas()):
            if cand:
                self._unsat(path, i, "forward")
                self.smt2.append((f"src{k}-path{i}", [*base, *path.formulas()]))
            return False
        if path.end.kind is DispositionKind.UNKNOWN:
            self.unknowns.append(
                (path.end.component_id or "?", f"{path.end.component_id}: {path.end.reason}")
            )
            return False
        if path.end.kind is DispositionKind.DROPPED:
            self.out.blockers.append(
                BlockerValue(
                    path.end.component_id or "?",
                    path.end.code or "NO_PATH",
                    last_rule(path),
                    self._drop_message(conn.source, p0, path),
                    i,
                    observed=True,
                )
            )
            return False
        with solver.scope():
            solver.add(*path.formulas())
            return self._arrived(k, conn, p0, base, i, path)

    def _arrived(
        self, k: int, conn: Connection, p0: SymPacket, base: list[z3.BoolRef], i: int, path: Path
    ) -> bool:
        """The forward path is satisfiable: check the connection (or accept one-way)."""
        solver, src = self.solver, conn.source
        if not conn.needs_reply(path):
            self._found(src, p0, path, None)
            return True
        with solver.scope(forget=True):
            replies: list[z3.BoolRef] = []
            r0 = fresh("rep")
            # The reply of the forward packet as it arrived, a well-formed packet.
            link = z3.And(conn.reply_link(path, r0), domain(r0))
            solver.add(is_connection(p0), link)
            if solver.check():
                # What the query settles about the reply of the unchanged first copy
                # (addresses swapped); after a translation nothing is known.
                known = (
                    known_spaces(r0, src, self.req.destination, self.req.header, reply=True)
                    if path.final.name == p0.name
                    else {}
                )
                rpaths = conn.replies(path, r0, self._feasible, known)
                for rp in rpaths:
                    ok = conn.returns(rp)
                    if not checked(rp, ok):
                        continue
                    if not ok:
                        if solver.sat_with(rp.formulas()):
                            self._failed_reply(rp, i)
                        continue
                    # It comes back to the source: as the reply of the packet sent?
                    back = [*rp.formulas(), conn.as_sent(path, rp)]
                    replies.append(z3.And(*back))
                    if solver.sat_with(back):
                        if not self._free_nat_ports(path, rp):
                            solver.add(*back)
                            self._found(src, p0, path, rp)
                            return True
                        if self._for_every_nat_port(src, p0, path, rp, back):
                            return True
                        continue
                    if solver.sat_with(rp.formulas()):
                        self._astray(conn, rp, i)
                    else:
                        self._unsat(rp, i, "return")
        with solver.scope():
            solver.add(z3.Not(is_connection(p0)))
            if solver.check():
                self._found(src, p0, path, None)
                return True
        conn_ok = z3.Or(z3.Not(is_connection(p0)), z3.And(link, z3.Or(*replies)))
        self.smt2.append((f"src{k}-path{i}", [*base, *path.formulas(), conn_ok]))
        return False

    def _failed_reply(self, rp: Path, i: int) -> None:
        """Some reply takes `rp` and ends unknown or dropped instead of coming back."""
        if rp.end.kind is DispositionKind.UNKNOWN:
            self.unknowns.append(
                (
                    rp.end.component_id or "?",
                    f"return path: {rp.end.component_id}: {rp.end.reason}",
                )
            )
        else:
            self.out.blockers.append(
                BlockerValue(
                    rp.end.component_id or "?",
                    rp.end.code or "NO_PATH",
                    last_rule(rp),
                    "return path: " + rp.end.reason,
                    i,
                    "return",
                    observed=True,
                )
            )

    # -- the port a NAT gateway picks -------------------------------------------------------

    def _free_nat_ports(self, path: Path, rp: Path) -> list[tuple[str, z3.BitVecRef]]:
        """The NAT gateways on a connection whose source port is the NAT's choice (not
        pinned by the request), with their port variables."""
        pinned = self.req.nat_ports or {}
        out: dict[str, z3.BitVecRef] = {}
        for st in (*path.steps, *rp.steps):
            for name, var in st.choices:
                if name not in pinned:
                    out.setdefault(name, var)
        return sorted(out.items(), key=lambda kv: kv[0])

    def _for_every_nat_port(
        self, src: Source, p0: SymPacket, path: Path, rp: Path, back: list[z3.BoolRef]
    ) -> bool:
        """A NAT gateway picks the source port (1024-65535), not the user: the connection of
        the witness packet counts only if it works for every port the NAT may pick
        (forwarding.md "NAT gateway"). Counted per interval of ports the snapshot's rules
        treat alike. When only some ports work the witness is withdrawn and the port share
        is remembered: the verdict is then unknown unless another path works for all."""
        solver = self.solver
        free = self._free_nat_ports(path, rp)
        with solver.scope():
            solver.add(*back)
            self._found(src, p0, path, rp)
            found = self.out.found
            assert found is not None
            if found.packet["protocol"] not in (TCP, UDP):
                return True  # ICMP keeps its identifier; no port is picked
            intervals = nat_port_intervals(self.net)
            if len(intervals) ** len(free) > MAX_NAT_CHOICES:
                raise TooManyChoices(tuple(name for name, _ in free), len(intervals))
            solver.add(*(p0.field(f) == v for f, v in found.packet.items()))
            works = 0
            for combo in itertools.product(intervals, repeat=len(free)):
                pins = [var == lo for (_name, var), (lo, _hi) in zip(free, combo, strict=True)]
                if solver.sat_with(pins):
                    works += math.prod(hi - lo + 1 for lo, hi in combo)
        total = NAT_PORT_COUNT ** len(free)
        if works == total:
            return True
        self.out.found = None
        names = ", ".join(name for name, _ in free)
        self.unknowns.append(
            (
                free[0][0],
                f"depends on the port the NAT gateway picks ({works:,} of {total:,} work): "
                f"{names} picks the source port of the connection in 1024-65535, and the "
                f"connection of {witness.show(found.packet)} gets through for some ports only",
            )
        )
        return False

    def _astray(self, conn: Connection, rp: Path, i: int) -> None:
        """Replies take `rp` back to the source, but none as the reply of the packet sent
        (forwarding.md "Connections (default) and replies")."""
        component, _kind = conn.astray(rp)
        self.out.blockers.append(
            BlockerValue(
                component,
                REPLY_ADDRESS_MISMATCH,
                None,
                f"return path: the reply comes back to {rp.end.component_id} translated by "
                f"{component}, with other addresses or ports than the reply of the packet "
                "sent; the source does not recognise it",
                i,
                "return",
                observed=True,
            )
        )

    def _unsat(self, path: Path, i: int, direction: str) -> None:
        """No packet of the query takes this candidate: blame its first impossible step
        (with an unsat core), and every filter on its own when all blockers are asked for."""
        solver = self.solver
        j = blame(solver, path.steps, solver.first_unsat(path.steps))
        if j is not None:
            blocker = blocker_for_step(solver, path.steps, j, i, direction)
            self.out.blockers.append(replace(blocker, core=solver.core(path.steps)))
        if self.req.all_blockers:
            self.out.blockers += filter_blockers(solver, path, i, direction)

    # -- witness ---------------------------------------------------------------------------

    def _drop_message(self, src: Source, p0: SymPacket, path: Path) -> str:
        """The drop's reason, with an example packet for the first few drops of a query."""
        self._examples += 1
        if self._examples > MAX_EXAMPLES:
            return path.end.reason
        example = witness.example(self.solver, self.req.header, src, self.req.destination, p0, path)
        return f"{path.end.reason} (e.g. {witness.show(example)})"

    def _found(self, src: Source, p0: SymPacket, path: Path, rp: Path | None) -> None:
        self.out.found = witness.found(
            self.solver, self.req.header, src, self.req.destination, p0, path, rp
        )

    def _dedupe(self) -> None:
        """Drop repeats; blockers where packets really end come first."""
        seen: set[tuple[str, str, str | None, str, str]] = set()
        kept: list[BlockerValue] = []
        for b in sorted(self.out.blockers, key=lambda b: not b.observed):
            key = (b.component_id, b.code, b.rule, b.message, b.direction)
            if key not in seen:
                seen.add(key)
                kept.append(b)
        self.out.blockers = kept


def run(req: Request) -> Outcome:
    """Answer one reachability request."""
    return Engine(req).run()
