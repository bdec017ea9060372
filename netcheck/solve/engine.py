"""The reachability engine: candidate paths -> Z3 -> plain verdict, witness values, blockers.

Input: a `Request` (network, resolved sources and destination, header constraints, options).
Output: an `Outcome` (netcheck.solve.results) with no Z3 object in it.

For each source the explorer (compile/explore.py) enumerates candidate paths; the solver
keeps the query constraints asserted and checks one path at a time (push/pop). A forward path
that arrives is reachable for one-way queries and non-TCP/UDP packets; for TCP/UDP its reply
paths are enumerated from where it arrived and checked together with it (connection
semantics). An unsat candidate gets its first unsat hop (steps added in order) as blocker;
a satisfiable drop leaf is a blocker where packets of the query really die; a satisfiable
`unknown` leaf or a solver timeout makes the verdict unknown unless some packet gets through.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path as FsPath

import z3

from netcheck.compile.explore import Explorer
from netcheck.compile.packet import (
    FIELDS,
    Space,
    SymPacket,
    domain,
    fresh,
    merge,
    net_range,
    reply_of,
)
from netcheck.compile.query import (
    accepts,
    destination_constraint,
    header_constraint,
    is_connection,
    reply_accepts,
    source_constraint,
)
from netcheck.compile.steps import Path, Step
from netcheck.compile.topology import connects
from netcheck.errors import UnsupportedFeature
from netcheck.model.hops import HopKind
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind, OriginKind
from netcheck.model.resolve import Destination, Header, Source
from netcheck.solve.results import BlockerValue, Found, HopValue, Outcome, Verdict

INCREMENTAL_TRY_MS = 50
EXAMPLE_PREFERENCES = 6
MAX_EXAMPLES = 3
CHECKED_ENDS = (DispositionKind.DROPPED, DispositionKind.UNKNOWN)


@dataclass(frozen=True)
class Request:
    network: Network
    sources: tuple[Source, ...]
    destination: Destination
    header: Header
    one_way: bool = False
    all_blockers: bool = False
    timeout_ms: int = 30000
    emit_smt2: FsPath | None = None
    # Pin the source port a NAT gateway picks (by NAT id), e.g. to compare with the walker.
    nat_ports: dict[str, int] | None = None


class SolverGaveUp(Exception):
    pass


class Checker:
    """A Z3 assertion stack with a deadline shared by every check of one query.

    `s` keeps the assertions (push/pop) and answers small checks incrementally; a check it
    does not finish quickly runs on a fresh one-shot QF_BV solver (Z3's bit-blasting tactic
    is much faster than its incremental core on large address sets).
    """

    def __init__(self, timeout_ms: int) -> None:
        self.s = z3.Solver()
        self.deadline = time.monotonic() + timeout_ms / 1000
        self.timeout_ms = timeout_ms
        self._model: z3.ModelRef | None = None
        self.prefixes: dict[tuple[int, ...], bool] = {}

    def check(self) -> bool:
        remaining = int((self.deadline - time.monotonic()) * 1000)
        if remaining <= 0:
            raise SolverGaveUp(f"solver timeout after {self.timeout_ms} ms")
        # Small problems: the incremental solver answers at once. Large ones: after a short
        # try, a one-shot bit-blasting solver (much faster on big address sets).
        self.s.set("timeout", min(remaining, INCREMENTAL_TRY_MS))
        r = self.s.check()
        if r != z3.unknown:
            self._model = self.s.model() if r == z3.sat else None
            return bool(r == z3.sat)
        remaining = int((self.deadline - time.monotonic()) * 1000)
        if remaining <= 0:
            raise SolverGaveUp(f"solver timeout after {self.timeout_ms} ms")
        one = z3.SolverFor("QF_BV")
        one.set("timeout", remaining)
        one.add(self.s.assertions())
        r = one.check()
        if r == z3.unknown:
            reason = one.reason_unknown()
            if reason in ("timeout", "canceled"):
                reason = f"timeout after {self.timeout_ms} ms"
            raise SolverGaveUp(f"solver gave up: {reason}")
        self._model = one.model() if r == z3.sat else None
        return bool(r == z3.sat)

    def model(self) -> z3.ModelRef:
        assert self._model is not None
        return self._model

    def sat_with(self, formulas: list[z3.BoolRef]) -> bool:
        """Is the current assertion set satisfiable together with `formulas`?"""
        self.s.push()
        try:
            self.s.add(*formulas)
            return self.check()
        finally:
            self.s.pop()

    def first_unsat(self, steps: tuple[Step, ...]) -> int | None:
        """Index of the first step after which no packet is left (steps added in order).
        Candidate paths share prefixes: results are remembered per prefix until `forget`."""
        self.s.push()
        try:
            key: tuple[int, ...] = ()
            for i, st in enumerate(steps):
                self.s.add(st.formula())
                key = (*key, id(st))
                sat = self.prefixes.get(key)
                if sat is None:
                    sat = self.prefixes[key] = self.check()
                if not sat:
                    return i
            return None
        finally:
            self.s.pop()

    def core(self, steps: tuple[Step, ...]) -> tuple[str, ...]:
        """Labels of steps that together leave no packet (an unsat core of the path, each
        step tracked by its own literal); empty when the solver does not find one quickly."""
        lits = [z3.Bool(f"track#{i}:{st.label}") for i, st in enumerate(steps)]
        self.s.push()
        try:
            for lit, st in zip(lits, steps, strict=True):
                self.s.add(z3.Implies(lit, st.formula()))
            self.s.set("timeout", max(1, min(INCREMENTAL_TRY_MS * 4, self._remaining())))
            if self.s.check(*lits) != z3.unsat:
                return ()
            core = {str(c) for c in self.s.unsat_core()}
            return tuple(st.label for lit, st in zip(lits, steps, strict=True) if str(lit) in core)
        finally:
            self.s.pop()

    def _remaining(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)

    def forget(self) -> None:
        """The assertions under the steps changed: prefix results no longer hold."""
        self.prefixes.clear()


def _val(m: z3.ModelRef, e: z3.ExprRef) -> int:
    return int(m.eval(e, model_completion=True).as_long())


def _packet(m: z3.ModelRef, p: SymPacket) -> dict[str, int]:
    return {f: _val(m, p.field(f)) for f in FIELDS}


def _hops(m: z3.ModelRef, steps: tuple[Step, ...]) -> tuple[HopValue, ...]:
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
                _packet(m, st.pkt_out) if st.pkt_out is not None and st.link is not None else None,
            )
        )
    return tuple(out)


def _blocker_for_step(
    ck: Checker,
    steps: tuple[Step, ...],
    i: int,
    path: int,
    direction: str,
    *,
    alone: bool = False,
) -> BlockerValue:
    """Why step `i` lets no packet through: the deny rules that catch the packets that get
    there (first match), or the missing allow/route. `alone`: judge the step on its own
    (other filters of the path left out), as for `all_blockers`."""
    st = steps[i]
    rule_texts: list[str] = []
    rule_ids: list[str] = []
    deny = [r for r in st.rules if not r.allows]
    if deny:
        ck.s.push()
        try:
            for k, prev in enumerate(steps):
                if k < i and not (alone and prev.is_filter):
                    ck.s.add(prev.formula())
                elif alone and prev.link is not None:
                    ck.s.add(prev.link)
            for r in deny:
                ck.s.push()
                ck.s.add(r.cond)
                if ck.check():
                    rule_ids.append(r.rule)
                    rule_texts.append(r.text)
                ck.s.pop()
        finally:
            ck.s.pop()
    msg = (
        st.text
        + ": "
        + (
            ("; ".join(rule_texts))
            if rule_texts
            else _NO_PASS.get(st.code or "", "lets no packet of the query through")
        )
    )
    return BlockerValue(
        st.component_id, st.code or "NO_PATH", ",".join(rule_ids) or None, msg, path, direction
    )


_NO_PASS = {
    "ENI_SG_RULES_MISMATCH": "no rule allows the packet",
    "SUBNET_ACL_RESTRICTION": "no entry allows the packet",
    "NO_ROUTE_TO_DESTINATION": "the packet does not take this route (another or none matches)",
    "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS": "the source has no public IP address",
    "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS": "the destination is not a mapped public IP",
    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR": "the destination is outside the peer VPC's CIDR blocks",
    "TGW_RTB_CANNOT_ROUTE": "the packet does not take this TGW route",
    "NGW_PROTOCOL_RESTRICTION": "the protocol is not TCP, UDP or ICMP",
    "NGW_REQUIRES_SOURCE_IN_VPC": "the source is outside the NAT gateway's VPC",
    "NGW_NO_UNSOLICITED_INBOUND": "the packet is not the reply of a NAT session",
    "ENI_SOURCE_DEST_CHECK_RESTRICTION": "the source address is not the interface's own",
}


class Engine:
    def __init__(self, req: Request) -> None:
        self.req = req
        self.net = req.network
        self.ck = Checker(req.timeout_ms)
        self.out = Outcome(Verdict.UNREACHABLE)
        self.unknowns: list[tuple[str, str]] = []
        self.smt2: list[tuple[str, list[z3.BoolRef]]] = []
        self._examples = 0

    def run(self) -> Outcome:
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
            self._no_path()
        if self.req.emit_smt2 is not None:
            self._emit()
        self._dedupe()
        return self.out

    def _feasible(self, steps: tuple[Step, ...]) -> bool:
        """Can a packet of the query (with what is asserted now) take these steps, filters
        aside? Branches that fail are routing-infeasible and are not explored."""
        return self.ck.sat_with([st.formula() for st in steps if not st.is_filter])

    def _header(self, reply: bool) -> dict[str, Space]:
        """Protocol and destination port of the first copy (or of its reply) as the header
        constraint pins them."""
        h = self.req.header
        out: dict[str, Space] = {}
        k = h.packet
        proto = k.protocol if k is not None else h.protocol
        if proto is not None:
            out["protocol"] = ((proto, proto),)
        ports = h.src_ports if reply else h.dst_ports
        if k is not None:
            port = k.src_port if reply else k.dst_port
            out["dst_port"] = ((port, port),)
        elif ports is not None:
            out["dst_port"] = ((ports.start, ports.end),)
        return out

    def _dst_space(self) -> Space | None:
        return _space(self.req.destination.addresses, self.req.destination.cidrs)

    def _targets(self) -> frozenset[str] | None:
        return frozenset(self.req.destination.interface_ids)

    # -- one source ------------------------------------------------------------------------

    def _source(self, k: int, src: Source) -> bool:
        ck, req = self.ck, self.req
        p0 = fresh("fwd")
        base = [
            header_constraint(req.header, p0),
            source_constraint(self.net, src, p0),
            destination_constraint(req.destination, p0),
        ]
        ck.s.push()
        ck.forget()
        try:
            ck.s.add(*base)
            if not ck.check():
                self.out.blockers.append(
                    BlockerValue(
                        str(src.origin),
                        "NO_PATH",
                        None,
                        f"no packet from {src.origin} satisfies the query's constraints",
                    )
                )
                return False
            known = _known(
                p0, _space(src.addresses, src.cidrs), self._dst_space(), self._header(False)
            )
            paths = Explorer(
                self.net, self.req.nat_ports, self._targets(), self._feasible, known
            ).from_origin(src.origin, p0)
            return any(self._forward(k, src, p0, base, i, path) for i, path in enumerate(paths))
        finally:
            ck.s.pop()

    def _forward(
        self, k: int, src: Source, p0: SymPacket, base: list[z3.BoolRef], i: int, path: Path
    ) -> bool:
        ck = self.ck
        cand = accepts(self.req.destination, path.end)
        if not cand and path.end.kind not in CHECKED_ENDS:
            return False
        if cand:
            self.out.paths_checked += 1
        if not ck.sat_with(path.formulas()):
            if cand:
                j = _blame(ck, path.steps, ck.first_unsat(path.steps))
                if j is not None:
                    blocker = _blocker_for_step(ck, path.steps, j, i, "forward")
                    self.out.blockers.append(replace(blocker, core=ck.core(path.steps)))
                if self.req.all_blockers:
                    self._all_blockers(path, i, "forward")
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
                    _last_rule(path),
                    self._drop_message(src, p0, path),
                    i,
                    observed=True,
                )
            )
            return False
        ck.s.push()
        try:
            ck.s.add(*path.formulas())
            return self._arrived(k, src, p0, base, i, path)
        finally:
            ck.s.pop()

    def _arrived(
        self, k: int, src: Source, p0: SymPacket, base: list[z3.BoolRef], i: int, path: Path
    ) -> bool:
        """The forward path is satisfiable: check the connection (or accept one-way)."""
        ck = self.ck
        if self.req.one_way or path.end.kind is DispositionKind.DELIVERED_SERVICE:
            self._found(src, p0, path, None)
            return True
        ck.s.push()
        replies: list[z3.BoolRef] = []
        r0 = fresh("rep")
        link = z3.And(reply_of(path.final, r0), domain(r0))
        ck.forget()
        try:
            ck.s.add(is_connection(p0), link)
            if ck.check():
                # The reply of the unchanged first copy: addresses swapped (`link`).
                known = (
                    _known(
                        r0, self._dst_space(), _space(src.addresses, src.cidrs), self._header(True)
                    )
                    if path.final.name == p0.name
                    else {}
                )
                rpaths = Explorer(
                    self.net, self.req.nat_ports, _reply_targets(src), self._feasible, known
                ).reply_from(path.end, path.sessions, r0)
                for rp in rpaths:
                    ok = reply_accepts(src, rp.end)
                    if not ok and rp.end.kind not in CHECKED_ENDS:
                        continue
                    if ok:
                        replies.append(z3.And(*rp.formulas()))
                    if ck.sat_with(rp.formulas()):
                        if ok:
                            ck.s.add(*rp.formulas())
                            self._found(src, p0, path, rp)
                            return True
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
                                    _last_rule(rp),
                                    "return path: " + rp.end.reason,
                                    i,
                                    "return",
                                    observed=True,
                                )
                            )
                    elif ok:
                        j = _blame(ck, rp.steps, ck.first_unsat(rp.steps))
                        if j is not None:
                            blocker = _blocker_for_step(ck, rp.steps, j, i, "return")
                            self.out.blockers.append(replace(blocker, core=ck.core(rp.steps)))
                        if self.req.all_blockers:
                            self._all_blockers(rp, i, "return")
        finally:
            ck.s.pop()
            ck.forget()
        ck.s.push()
        try:
            ck.s.add(z3.Not(is_connection(p0)))
            if ck.check():
                self._found(src, p0, path, None)
                return True
        finally:
            ck.s.pop()
        conn = z3.Or(z3.Not(is_connection(p0)), z3.And(link, z3.Or(*replies)))
        self.smt2.append((f"src{k}-path{i}", [*base, *path.formulas(), conn]))
        return False

    def _all_blockers(self, path: Path, i: int, direction: str) -> None:
        """Every filter of the path that no packet of the query gets through on its own
        (with the path's routing and translations, other filters left out)."""
        ck = self.ck
        routing = [st.formula() for st in path.steps if not st.is_filter]
        for j, st in enumerate(path.steps):
            if st.is_filter and not ck.sat_with([*routing, st.guard]):
                self.out.blockers.append(
                    _blocker_for_step(ck, path.steps, j, i, direction, alone=True)
                )

    # -- witness ---------------------------------------------------------------------------

    def _drop_message(self, src: Source, p0: SymPacket, path: Path) -> str:
        """The drop's reason, with an example packet for the first few drops of a query."""
        self._examples += 1
        if self._examples > MAX_EXAMPLES:
            return path.end.reason
        return f"{path.end.reason} (e.g. {_show(self._example(src, p0, path))})"

    def _example(self, src: Source, p0: SymPacket, path: Path) -> dict[str, int]:
        """A readable packet of the query that takes `path` (for a drop's message)."""
        ck = self.ck
        ck.s.push()
        try:
            ck.s.add(*path.formulas())
            kept = 0
            for pref in self._preferences(src, p0, path)[:EXAMPLE_PREFERENCES]:
                ck.s.push()
                ck.s.add(pref)
                if ck.check():
                    kept += 1
                else:
                    ck.s.pop()
            ck.check()
            values = _packet(ck.model(), p0)
            for _ in range(kept):
                ck.s.pop()
            return values
        finally:
            ck.s.pop()

    def _found(self, src: Source, p0: SymPacket, path: Path, rp: Path | None) -> None:
        ck = self.ck
        pushed = 0
        for pref in self._preferences(src, p0, path):
            ck.s.push()
            ck.s.add(pref)
            if ck.check():
                pushed += 1
            else:
                ck.s.pop()
        ck.check()  # the last preference tried may have failed: re-check the kept ones
        m = ck.model()
        nat_ports = {
            name: _val(m, var)
            for st in path.steps
            for name, var in st.choices
            if _val(m, st.pkt_in.protocol) in (6, 17)
        }
        self.out.found = Found(
            origin=src.origin,
            packet=_packet(m, p0),
            forward=_hops(m, path.steps),
            reply=_hops(m, rp.steps) if rp is not None else (),
            final=_packet(m, path.final),
            nat_ports=nat_ports,
            end_kind=path.end.kind.value,
            end_component=path.end.component_id,
            one_way=rp is None,
        )
        for _ in range(pushed):
            ck.s.pop()

    def _preferences(self, src: Source, p0: SymPacket, path: Path) -> list[z3.BoolRef]:
        """Readable witnesses: TCP, source port 49152, well-known destination ports, the
        first address of each range, the NAT keeping the source port."""
        h = self.req.header
        prefs: list[z3.BoolRef] = []
        if h.protocol is None:
            prefs.append(p0.protocol == 6)
        prefs.append(p0.src_port == 49152)
        for addr in _first_addresses(
            src.addresses, src.cidrs, src.origin.kind is OriginKind.INTERNET
        ):
            prefs.append(p0.src_ip == int(addr))
        dst = self.req.destination
        for addr in _first_addresses(dst.addresses, dst.cidrs, dst.internet):
            prefs.append(p0.dst_ip == int(addr))
        dports = [h.dst_ports.start] if h.dst_ports is not None else []
        prefs.append(z3.Or(*(p0.dst_port == d for d in [*dports, 443, 80, 22])))
        for d in [*dports, 443, 80, 22]:
            prefs.append(p0.dst_port == d)
        prefs.append(p0.icmp_type == 8)
        for st in path.steps:
            for _name, var in st.choices:
                prefs.append(var == p0.src_port)
                prefs.append(var == 49152)
        return prefs

    # -- output ----------------------------------------------------------------------------

    def _emit(self) -> None:
        assert self.req.emit_smt2 is not None
        d = FsPath(self.req.emit_smt2)
        d.mkdir(parents=True, exist_ok=True)
        for name, formulas in self.smt2:
            s = z3.Solver()
            s.add(*formulas)
            f = d / f"{name}.smt2"
            f.write_text("(set-logic QF_BV)\n" + s.sexpr() + "(check-sat)\n")
            self.out.smt2_files.append(str(f))

    def _no_path(self) -> None:
        """No candidate path arrives at the destination: say whether anything connects."""
        for src in self.req.sources:
            if not connects(self.net, src.origin, self.req.destination):
                self.out.blockers.append(
                    BlockerValue(
                        str(src.origin),
                        "NO_PATH",
                        None,
                        f"no topological path from {src.origin} to the destination: no route, "
                        "peering, gateway or transit gateway attachment leads there",
                    )
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


def _show(v: dict[str, int]) -> str:
    """A packet's values in the form `Packet.__str__` uses (for messages)."""
    src, dst = IPv4Address(v["src_ip"]), IPv4Address(v["dst_ip"])
    if v["protocol"] in (6, 17):
        name = "tcp" if v["protocol"] == 6 else "udp"
        return f"{name} {src}:{v['src_port']} -> {dst}:{v['dst_port']}"
    if v["protocol"] == 1:
        return f"icmp {src} -> {dst} type {v['icmp_type']} code {v['icmp_code']}"
    return f"{v['protocol']} {src} -> {dst}"


def _blame(ck: Checker, steps: tuple[Step, ...], j: int | None) -> int | None:
    """The step to report when no packet gets past step `j`. Explored paths are routing-
    feasible, so when `j` is a routing step an earlier filter narrowed the packets so that
    this route no longer applies (e.g. an SG that only allows private destinations on a path
    through the internet): report the first filter that alone makes step `j` impossible."""
    if j is None or steps[j].is_filter:
        return j
    routing = [st.formula() for st in steps[: j + 1] if not st.is_filter]
    for k in range(j):
        if steps[k].is_filter and not ck.sat_with([*routing, steps[k].formula()]):
            return k
    return j


def _space(addresses: tuple, cidrs: tuple) -> Space | None:
    """The values an address constrained to `addresses` or `cidrs` can take (as
    `source_constraint` / `destination_constraint` assert it); None when unconstrained or
    not plain IPv4."""
    if not (addresses or cidrs):
        return None
    if not all(isinstance(a, IPv4Address) for a in addresses) or not all(
        isinstance(c, IPv4Network) for c in cidrs
    ):
        return None
    return merge([(int(a), int(a)) for a in addresses] + [net_range(c) for c in cidrs])


def _known(
    p: SymPacket, src: Space | None, dst: Space | None, header: dict[str, Space]
) -> dict[tuple[str, str], Space]:
    out: dict[tuple[str, str], Space] = {(p.name, f): v for f, v in header.items()}
    if src is not None:
        out[(p.name, "src_ip")] = src
    if dst is not None:
        out[(p.name, "dst_ip")] = dst
    return out


def _reply_targets(src: Source) -> frozenset[str]:
    """A reply only matters where it must arrive: the source interface."""
    ids = {src.origin.interface_id} if src.origin.interface_id else set()
    return frozenset(ids)


def _last_rule(path: Path) -> str | None:
    """The rule that sent a dropped packet where it died (e.g. the blackhole route)."""
    for st in reversed(path.steps):
        if st.rules:
            return st.rules[0].rule if len(st.rules) == 1 else None
    return None


def _first_addresses(addresses: tuple, cidrs: tuple, internet: bool) -> list[IPv4Address]:
    out: list[IPv4Address] = list(addresses[:4])
    for c in cidrs[:2]:
        out.append(c.network_address + 1 if c.prefixlen < 31 else c.network_address)
    if internet:
        out.append(IPv4Address("8.8.8.8"))
    return out


def run(req: Request) -> Outcome:
    """Answer one reachability request."""
    return Engine(req).run()
