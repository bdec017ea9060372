"""Policy checks: rules (YAML data) evaluated by reachability, with findings that carry the
witness path or the proof.

Input: an `Answerer` (anything that answers reachability questions on a network, e.g. the
API's `Snapshot`) and rules. Output: `CheckResult`. `netcheck.check` (in `netcheck.api`) also
takes a `Network` or a snapshot path and builds the `Snapshot` first. The CLI (`netcheck
check`, `netcheck rules`) and the reporters (text, JSON, SARIF, JUnit) sit on top of this module.

    >>> from netcheck.policy import check, load_rules
    >>> result = check(netcheck.load("fixtures/three-tier"))   # doctest: +SKIP
    >>> [(f.rule_id, f.resource_id) for f in result.findings]   # doctest: +SKIP
    >>> result.findings[0].path_text                            # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from netcheck.errors import RuleError
from netcheck.policy.config import Config, find_config, read_config
from netcheck.policy.evaluate import evaluate
from netcheck.policy.loading import builtin_rules_path, check_rule_files, load_rules
from netcheck.policy.model import Expectation, Rule, RuleFile, RuleKind, RuleSeverity, Selector
from netcheck.policy.result import CheckResult, Finding, Suppressed, Suppression, Undecided
from netcheck.policy.run import Answerer
from netcheck.policy.schema import rule_schema, schema_text

__all__ = [
    "Answerer",
    "CheckResult",
    "Config",
    "Expectation",
    "Finding",
    "Rule",
    "RuleError",
    "RuleFile",
    "RuleKind",
    "RuleSeverity",
    "Selector",
    "Suppressed",
    "Suppression",
    "Undecided",
    "apply_suppressions",
    "builtin_rules_path",
    "check",
    "check_rule_files",
    "find_config",
    "load_rules",
    "read_config",
    "rule_schema",
    "schema_text",
    "select_rules",
]


def select_rules(
    rules: Sequence[Rule], select: Iterable[str] = (), skip: Iterable[str] = ()
) -> tuple[Rule, ...]:
    """Rules whose id matches a `select` glob (all when empty) and no `skip` glob. A pattern
    that matches no rule raises `RuleError` (a typo must not silently disable checks)."""
    from fnmatch import fnmatchcase

    sel, sk = list(select), list(skip)
    for pattern in sel + sk:
        if not any(fnmatchcase(r.id, pattern) for r in rules):
            raise RuleError(
                f"--select/--skip {pattern!r} matches no rule "
                f"(known: {', '.join(sorted(r.id for r in rules))})"
            )
    return tuple(
        r
        for r in rules
        if (not sel or any(fnmatchcase(r.id, p) for p in sel))
        and not any(fnmatchcase(r.id, p) for p in sk)
    )


def apply_suppressions(
    result: CheckResult, suppressions: Sequence[Suppression], today: date | None = None
) -> CheckResult:
    """Move findings matched by a live suppression to `suppressed`; expired suppressions
    suppress nothing and are listed, as are suppressions that matched no finding."""
    today = today or datetime.now(UTC).date()
    live = [s for s in suppressions if not s.expired(today)]
    expired = tuple(s for s in suppressions if s.expired(today))
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    used: set[int] = set()
    for f in result.findings:
        match = next((i for i, s in enumerate(live) if s.matches(f)), None)
        if match is None:
            kept.append(f)
        else:
            used.add(match)
            suppressed.append(Suppressed(finding=f, suppression=live[match]))
    return result.model_copy(
        update={
            "findings": tuple(kept),
            "suppressed": result.suppressed + tuple(suppressed),
            "expired_suppressions": expired,
            "unused_suppressions": tuple(s for i, s in enumerate(live) if i not in used),
        }
    )


def check(
    answerer: Answerer,
    rules: Sequence[Rule] | None = None,
    *,
    select: Iterable[str] = (),
    skip: Iterable[str] = (),
    suppressions: Sequence[Suppression] = (),
    today: date | None = None,
    timeout_ms: int = 30_000,
    snapshot: str | None = None,
) -> CheckResult:
    """Check the answerer's network against `rules` (default: the built-in pack).

    `answerer` is a `netcheck.Snapshot` or anything with the same `network`, `query` and
    `with_network` (`Answerer`); `netcheck.check` also takes a `Network` or a path. `select` /
    `skip` are rule-id globs. Findings matched by a suppression whose expiry date is not past
    are moved to `CheckResult.suppressed`. `snapshot` names the snapshot in the result (default:
    the network's `source`). Raises `RuleError` for bad rules.
    """
    chosen = select_rules(load_rules() if rules is None else rules, select, skip)
    if snapshot is None:
        snapshot = getattr(answerer.network, "source", None)
    result = evaluate(answerer, chosen, timeout_ms=timeout_ms, snapshot=snapshot)
    return apply_suppressions(result, suppressions, today)
