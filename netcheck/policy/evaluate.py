"""Evaluating rules against a snapshot: one reachability question per selected resource and
port set, each answered by the engine (`Snapshot.query`).

Input: an `Answerer` (`netcheck.policy.run`: anything with `.network`, `.query(...)` and
`.with_network(...)`, e.g. the API's `Snapshot`) and `Rule`s. Output: `CheckResult` (findings
with the witness path or proof, undecided questions, notes).

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
from typing import Any

from netcheck.model import DbInstance, Network
from netcheck.policy.model import Expectation, Rule, RuleKind, port_bounds
from netcheck.policy.peering import peering_least_access
from netcheck.policy.result import CheckResult, Finding, Question, Undecided
from netcheck.policy.run import Answerer, Run, verdict_of
from netcheck.policy.select import Target, has_interfaces, resolve_side


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


def _reachability(run: Run, rule: Rule) -> None:
    assert rule.from_ is not None and rule.to is not None
    if rule.isolate_security_groups:
        # Answers are per network: the port caches start empty and are put back after.
        saved = run.answerer, run.closed, run.open_ports
        run.answerer = run.answerer.with_network(
            isolate_groups(run.net, rule.isolate_security_groups)
        )
        run.closed, run.open_ports = {}, {}
        try:
            _questions(run, rule)
        finally:
            run.answerer, run.closed, run.open_ports = saved
        return
    _questions(run, rule)


def _questions(run: Run, rule: Rule) -> None:
    assert rule.from_ is not None and rule.to is not None
    froms = resolve_side(run.net, rule.from_)
    tos = resolve_side(run.net, rule.to)
    for side, targets in (("from", froms), ("to", tos)):
        for t in targets:
            if not has_interfaces(run.net, t) and not _asked_anyway(side, t):
                run.notes.append(
                    f"{rule.id}: {t.label} has no network interface in the snapshot; "
                    f"not analysed as `{side}`"
                )
    froms = [t for t in froms if has_interfaces(run.net, t)]
    tos = [t for t in tos if has_interfaces(run.net, t) or _asked_anyway("to", t)]
    for f in froms:
        for t in tos:
            if f.resource is not None and f.resource is t.resource:
                continue
            if rule.pairs == "same-vpc" and f.vpc_id != t.vpc_id:
                continue
            subject = t if t.resource is not None or f.resource is None else f
            _pair(run, rule, f, t, subject)


def _asked_anyway(side: str, t: Target) -> bool:
    """A DB instance always has an interface in AWS: when the snapshot lacks it, the rule
    still asks (the answer is `unknown`, so the rule is undecided, not silently passed)."""
    return side == "to" and isinstance(t.resource, DbInstance)


def _pair(run: Run, rule: Rule, f: Target, t: Target, subject: Target) -> None:
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
            run.closed[closed_key] = verdict_of(answer) == "unreachable"

        run.guarded(rule, subject, q, note_closed)
    if run.closed.get(closed_key, False):
        return
    specs = sorted(((port_bounds(p), p) for p in rule.ports), key=lambda x: x[0])
    _search(run, rule, subject, question, specs)


def _search(
    run: Run,
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
        verdict = verdict_of(answer)
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
    answerer: Answerer,
    rules: Sequence[Rule],
    *,
    timeout_ms: int = 30_000,
    snapshot: str | None = None,
) -> CheckResult:
    """Check every rule against the answerer's snapshot. Rules are evaluated in id order and
    findings sorted by (rule, resource, question) so that output is deterministic."""
    run = Run(answerer, timeout_ms=timeout_ms, snapshot=snapshot)
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
