"""One evaluation's state and the questions it asks: what `evaluate` and the
`peering-least-access` check share.

Input: an `Answerer` (anything with `.network`, `.query(...)` and `.with_network(...)`; the API's
`Snapshot` is one) and the rules being evaluated. Output: `Run`, which asks questions, judges
answers against a rule, and collects findings, undecided questions, errors and notes;
`fix_hint`, the text that says which settings let a packet through (or block it).

    run = Run(snapshot, timeout_ms=30_000, snapshot="fixtures/three-tier")
    run.guarded(rule, target, question, partial(run.judge, rule, target, question))
    run.findings   # a `Finding` per question that breaks the rule

Answers are read by duck typing (`verdict`, `witness`, `proof`, `reason`), so tests can answer
with plain objects; nothing here depends on the API or on the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from netcheck.errors import Diagnostic, NetcheckError, QueryError, Severity
from netcheck.model import Network
from netcheck.model.hops import HopKind
from netcheck.model.packet import Hop
from netcheck.policy.model import Expectation, Rule
from netcheck.policy.result import BlockerInfo, Finding, Question, Undecided
from netcheck.policy.select import Target

__all__ = ["Answerer", "Run", "fix_hint", "path_of", "verdict_of"]


class Answerer(Protocol):
    """What evaluation needs from whatever answers reachability questions (the API's
    `Snapshot`): its network, `query`, and the same answerer on another network
    (`isolate_security_groups` asks on a copy of the snapshot)."""

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

    def with_network(self, network: Network) -> Answerer: ...


# Hop kinds whose deciding rule is worth naming in a fix hint, and how to say it.
_HINT_KINDS = {
    HopKind.SECURITY_GROUP: "security group",
    HopKind.NETWORK_ACL: "network ACL",
    HopKind.ROUTE_TABLE: "route table",
    HopKind.INTERNET_GATEWAY: "internet gateway",
    HopKind.VPC_PEERING_CONNECTION: "peering connection",
}


def verdict_of(answer: Any) -> str:
    v = answer.verdict
    return str(getattr(v, "value", v))


def path_of(answer: Any) -> tuple[tuple[Hop, ...], tuple[Hop, ...], str | None]:
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


class Run:
    """The state of one evaluation: the answerer, the options, and what has been found."""

    def __init__(self, answerer: Answerer, *, timeout_ms: int, snapshot: str | None) -> None:
        self.answerer = answerer
        self.net = answerer.network
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
        return self.answerer.query(
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
        path, return_path, packet = path_of(answer)
        blockers = _blockers(answer)
        r = subject.resource
        return Finding(
            rule_id=rule.id,
            severity=rule.severity,
            title=rule.title,
            resource_id=r.id if r is not None else subject.endpoint,
            resource_name=r.name if r is not None else None,
            question=q,
            verdict=verdict_of(answer),
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
        verdict = verdict_of(answer)
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
            path, _, _ = path_of(answer)
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
            if verdict_of(answer) == "reachable" and w is not None and w.packet.dst_port:
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
