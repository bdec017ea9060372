"""Evaluating rules against a snapshot: one reachability question per selected resource and
port set, each answered by the engine (`Snapshot.query`).

Input: an engine (anything with `.network` and `.query(...)`, i.e. `netcheck.api.Snapshot`)
and `Rule`s. Output: `CheckResult` (findings with the witness path or proof, undecided
questions, notes).

    result = evaluate(snapshot, load_rules())
    result.findings[0].path   # the hops of a packet that breaks the rule

For `unreachable` / `only-through` rules with ports, each (from, to) pair is first asked with
no port at all (shared by every rule): when nothing of the protocol gets through, every port is
proven unreachable at once. Otherwise the span of the port list is asked and split at the port
of each witness (`_search`), so a host with few open ports costs few questions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

from netcheck.errors import Diagnostic, NetcheckError, QueryError, Severity
from netcheck.model import Network
from netcheck.model.hops import HopKind
from netcheck.model.packet import Hop
from netcheck.policy.model import Expectation, Rule, RuleKind, port_bounds
from netcheck.policy.result import BlockerInfo, CheckResult, Finding, Question, Undecided
from netcheck.policy.select import Target, has_interfaces, resolve_side


class Engine(Protocol):
    """What evaluation needs from `netcheck.api.Snapshot`."""

    @property
    def network(self) -> Network: ...

    def query(
        self,
        src: str,
        dst: str,
        *,
        protocol: str = "any",
        port: int | str | None = None,
        one_way: bool = False,
        timeout_ms: int = 30000,
    ) -> Any: ...


# Hop kinds whose deciding rule is worth naming in a fix hint, and how to say it.
_HINT_KINDS = {
    HopKind.SECURITY_GROUP: "security group",
    HopKind.NETWORK_ACL: "network ACL",
    HopKind.ROUTE_TABLE: "route table",
    HopKind.INTERNET_GATEWAY: "internet gateway",
    HopKind.VPC_PEERING_CONNECTION: "peering connection",
}


def _verdict(answer: Any) -> str:
    v = answer.verdict
    return str(getattr(v, "value", v))


def _path(answer: Any) -> tuple[tuple[Hop, ...], tuple[Hop, ...], str | None]:
    w = getattr(answer, "witness", None)
    if w is None:
        return (), (), None
    return tuple(w.path), tuple(getattr(w, "return_path", None) or ()), str(w.packet)


def _blockers(answer: Any) -> tuple[BlockerInfo, ...]:
    proof = getattr(answer, "proof", None)
    if proof is None:
        return ()
    return tuple(
        BlockerInfo(component_id=b.component_id, code=b.code, rule=b.rule, message=b.message or "")
        for b in proof.blockers
    )


def fix_hint(rule: Rule, path: Sequence[Hop], blockers: Sequence[BlockerInfo]) -> str:
    """The rule's fix text plus the settings of this path that let the packet through (or, for
    `reachable` rules, the settings that block it)."""
    specific = ""
    if path:
        seen: list[str] = []
        for h in path:
            what = _HINT_KINDS.get(h.kind)
            if what and h.action != "deny":
                if h.kind == HopKind.SECURITY_GROUP and h.rule:
                    item = f"security group rule {h.rule}"  # the hop's component is the ENI
                elif h.kind == HopKind.ROUTE_TABLE and h.rule:
                    item = f"route table {h.component_id} route {h.rule}"
                else:
                    item = f"{what} {h.component_id}" + (f" rule {h.rule}" if h.rule else "")
                if item not in seen:
                    seen.append(item)
        if seen:
            specific = "Allowed by: " + "; ".join(seen) + "."
    elif blockers:
        specific = "Blocked by: " + "; ".join(
            f"{b.component_id} ({b.code}{', ' + b.rule if b.rule else ''})" for b in blockers
        )
        specific += "."
    return " ".join(x for x in (specific, rule.fix.strip()) if x)


def _through(hops: Sequence[Hop], through: Sequence[str]) -> bool:
    wanted = set(through)
    return any(h.component_id in wanted or h.kind in wanted for h in hops)


class _Run:
    """The state of one evaluation: the engine, the options, and what has been found."""

    def __init__(self, engine: Engine, *, timeout_ms: int, snapshot: str | None) -> None:
        self.engine = engine
        self.net = engine.network
        self.timeout_ms = timeout_ms
        self.snapshot = snapshot
        self.findings: list[Finding] = []
        self.undecided: list[Undecided] = []
        self.errors: list[Diagnostic] = []
        self.notes: list[str] = []
        self.questions = 0
        # (src, dst, protocol, one_way) -> no packet of the protocol gets through at all.
        self.closed: dict[tuple[str, str, str, bool], bool] = {}
        # The same key -> destination ports some witness showed open (splits port searches).
        self.open_ports: dict[tuple[str, str, str, bool], set[int]] = {}

    def ask(self, q: Question) -> Any:
        self.questions += 1
        return self.engine.query(
            q.src,
            q.dst,
            protocol=q.protocol,
            port=q.port,
            one_way=q.one_way,
            timeout_ms=self.timeout_ms,
        )

    def finding(
        self, rule: Rule, subject: Target, q: Question, answer: Any, message: str
    ) -> Finding:
        path, return_path, packet = _path(answer)
        blockers = _blockers(answer)
        r = subject.resource
        return Finding(
            rule_id=rule.id,
            severity=rule.severity,
            title=rule.title,
            resource_id=r.id if r is not None else subject.endpoint,
            resource_name=r.name if r is not None else None,
            question=q,
            verdict=_verdict(answer),
            message=message,
            fix=fix_hint(rule, path, blockers),
            packet=packet,
            path=path,
            return_path=return_path,
            blockers=blockers,
            location=r.provenance if r is not None else None,
            snapshot=self.snapshot,
        )

    def judge(self, rule: Rule, subject: Target, q: Question, answer: Any) -> bool:
        """Record what `answer` means for `rule`; True when the rule holds for `q`."""
        verdict = _verdict(answer)
        if verdict == "unknown":
            reason = getattr(answer, "reason", None) or "the engine could not decide"
            self.undecided.append(
                Undecided(rule_id=rule.id, resource_id=subject.endpoint, question=q, reason=reason)
            )
            return True
        what = f"{q.protocol}{'/' + q.port if q.port else ''} from {q.src} to {q.dst}"
        if rule.expect is Expectation.UNREACHABLE and verdict == "reachable":
            msg = f"{subject.label} breaks {rule.id}: {what} is reachable"
        elif rule.expect is Expectation.REACHABLE and verdict == "unreachable":
            msg = f"{subject.label} breaks {rule.id}: {what} is unreachable"
        elif rule.expect is Expectation.ONLY_THROUGH and verdict == "reachable":
            path, _, _ = _path(answer)
            if _through(path, rule.through):
                return True
            msg = (
                f"{subject.label} breaks {rule.id}: {what} is reachable on a path that avoids "
                + " / ".join(rule.through)
            )
        else:
            return True
        self.findings.append(self.finding(rule, subject, q, answer, msg))
        return False

    def guarded(
        self, rule: Rule, subject: Target, q: Question, then: Callable[[Any], object]
    ) -> None:
        """Ask `q` and pass the answer on; engine errors become notes, undecided or errors."""
        try:
            answer = self.ask(q)
            w = getattr(answer, "witness", None)
            if _verdict(answer) == "reachable" and w is not None and w.packet.dst_port:
                key = (q.src, q.dst, q.protocol, q.one_way)
                self.open_ports.setdefault(key, set()).add(w.packet.dst_port)
        except QueryError as e:
            if "no network interface" in str(e):
                self.notes.append(f"{rule.id}: {q}: not analysed: {e}")
            else:
                self.errors.append(
                    Diagnostic(
                        severity=Severity.ERROR,
                        message=f"{rule.id}: {q}: {e}",
                        resource_id=subject.endpoint,
                    )
                )
            return
        except NetcheckError as e:
            self.undecided.append(
                Undecided(rule_id=rule.id, resource_id=subject.endpoint, question=q, reason=str(e))
            )
            return
        then(answer)


def isolate_groups(net: Network, names: Sequence[str]) -> Network:
    """`net` with every interface that carries one of the named security groups keeping only
    those groups (`isolate_security_groups`). Other interfaces are unchanged."""
    keys = set(names)
    groups = {
        g.id
        for g in net.security_groups
        if g.id in keys or g.group_name in keys or (g.name is not None and g.name in keys)
    }
    enis = tuple(
        e.model_copy(update={"group_ids": tuple(g for g in e.group_ids if g in groups)})
        if groups & set(e.group_ids)
        else e
        for e in net.network_interfaces
    )
    fields = {name: getattr(net, name) for name in type(net).model_fields}
    # A fresh object (not model_copy) so that no cached lookup of the original survives.
    return type(net)(**{**fields, "network_interfaces": enis})


def _reachability(run: _Run, rule: Rule) -> None:
    assert rule.from_ is not None and rule.to is not None
    if rule.isolate_security_groups:
        from netcheck.api import Snapshot

        # Answers are per network: the port caches start empty and are put back after.
        saved = run.engine, run.closed, run.open_ports
        run.engine = Snapshot(isolate_groups(run.net, rule.isolate_security_groups))
        run.closed, run.open_ports = {}, {}
        try:
            _questions(run, rule)
        finally:
            run.engine, run.closed, run.open_ports = saved
        return
    _questions(run, rule)


def _questions(run: _Run, rule: Rule) -> None:
    assert rule.from_ is not None and rule.to is not None
    froms = resolve_side(run.net, rule.from_)
    tos = resolve_side(run.net, rule.to)
    for side, targets in (("from", froms), ("to", tos)):
        for t in targets:
            if not has_interfaces(run.net, t):
                run.notes.append(
                    f"{rule.id}: {t.label} has no network interface in the snapshot; "
                    f"not analysed as `{side}`"
                )
    froms = [t for t in froms if has_interfaces(run.net, t)]
    tos = [t for t in tos if has_interfaces(run.net, t)]
    for f in froms:
        for t in tos:
            if f.resource is not None and f.resource is t.resource:
                continue
            if rule.pairs == "same-vpc" and f.vpc_id != t.vpc_id:
                continue
            subject = t if t.resource is not None or f.resource is None else f
            _pair(run, rule, f, t, subject)


def _pair(run: _Run, rule: Rule, f: Target, t: Target, subject: Target) -> None:
    def question(port: int | str | None) -> Question:
        return Question(
            src=f.endpoint,
            dst=t.endpoint,
            protocol=rule.protocol,
            port=None if port is None else str(port),
            one_way=rule.one_way,
        )

    def each(specs: Sequence[int | str | None]) -> None:
        for port in specs:
            q = question(port)
            run.guarded(rule, subject, q, partial(run.judge, rule, subject, q))

    if rule.expect is Expectation.REACHABLE or not rule.ports:
        each(rule.port_specs)
        return
    # Closed to the protocol altogether (asked once per pair, shared by every rule)?
    closed_key = (f.endpoint, t.endpoint, rule.protocol, rule.one_way)
    if closed_key not in run.closed:
        q = question(None)

        def note_closed(answer: Any) -> None:
            run.closed[closed_key] = _verdict(answer) == "unreachable"

        run.guarded(rule, subject, q, note_closed)
    if run.closed.get(closed_key, False):
        return
    specs = sorted(((port_bounds(p), p) for p in rule.ports), key=lambda x: x[0])
    _search(run, rule, subject, question, specs)


def _search(
    run: _Run,
    rule: Rule,
    subject: Target,
    question: Callable[[int | str | None], Question],
    specs: Sequence[tuple[tuple[int, int], int | str]],
) -> None:
    """Ask the span of `specs` (sorted port specs); if some packet gets through, the
    witness's port splits the list: the spec holding it is a finding (the witness is a valid
    witness for that spec's own question) and the ports on either side are searched the same
    way. Costs one question per open port found plus one per closed gap."""
    if not specs:
        return
    if len(specs) == 1:
        q = question(specs[0][1])
        run.guarded(rule, subject, q, partial(run.judge, rule, subject, q))
        return
    lo, hi = specs[0][0][0], max(b for (_, b), _ in specs)
    q0 = question(None)
    known = run.open_ports.get((q0.src, q0.dst, q0.protocol, q0.one_way), set())
    between = sorted(
        p for p in known if lo <= p <= hi and not any(a <= p <= b for (a, b), _ in specs)
    )
    if between:  # an open port outside the list splits it without a question
        p = between[0]
        _search(run, rule, subject, question, [s for s in specs if s[0][1] < p])
        _search(run, rule, subject, question, [s for s in specs if s[0][0] > p])
        return
    span = f"{lo}-{hi}"

    def split(answer: Any) -> None:
        verdict = _verdict(answer)
        if verdict == "unreachable":
            return
        w = getattr(answer, "witness", None)
        port = w.packet.dst_port if verdict == "reachable" and w is not None else None
        hit = [s for s in specs if port is not None and s[0][0] <= port <= s[0][1]]
        for spec in hit:  # overlapping entries all hold the witness port
            run.judge(rule, subject, question(spec[1]), answer)
        if port is None:  # unknown: halve
            mid = len(specs) // 2
            _search(run, rule, subject, question, specs[:mid])
            _search(run, rule, subject, question, specs[mid:])
            return
        _search(run, rule, subject, question, [s for s in specs if s[0][1] < port])
        _search(run, rule, subject, question, [s for s in specs if s[0][0] > port])

    run.guarded(rule, subject, question(span), split)


def evaluate(
    engine: Engine,
    rules: Sequence[Rule],
    *,
    timeout_ms: int = 30_000,
    snapshot: str | None = None,
) -> CheckResult:
    """Check every rule against the engine's snapshot. Rules are evaluated in id order and
    findings sorted by (rule, resource, question) so that output is deterministic."""
    from netcheck.policy.peering import peering_least_access

    run = _Run(engine, timeout_ms=timeout_ms, snapshot=snapshot)
    ordered = sorted(rules, key=lambda r: r.id)
    for rule in ordered:
        if rule.kind is RuleKind.PEERING_LEAST_ACCESS:
            peering_least_access(run, rule)
        else:
            _reachability(run, rule)

    def key(x: Finding | Undecided) -> tuple[str, str, str, str, str]:
        q = x.question
        return (x.rule_id, x.resource_id, q.src, q.dst, q.port or "")

    return CheckResult(
        rules=tuple(ordered),
        findings=tuple(sorted(run.findings, key=key)),
        undecided=tuple(sorted(run.undecided, key=key)),
        errors=tuple(run.errors),
        notes=tuple(run.notes),
        questions=run.questions,
        snapshots=(snapshot,) if snapshot else (),
    )
