"""netcheck's Python API: load a snapshot, ask whether one endpoint can reach another.

Input: a snapshot path or an in-memory document (any format the loader reads) and query
strings. Output: `Snapshot` and `Answer` objects (verdict, witness or proof or reason).

    >>> snap = load("fixtures/three-tier")                                   # doctest: +SKIP
    >>> snap.query("web", "db", protocol="tcp", port=5432).verdict           # doctest: +SKIP
    <Verdict.REACHABLE: 'reachable'>

Query fields are AND-ed; within a field the values are OR-ed (every address of an instance,
every port of a range). Omitted fields are free: the answer is reachable if at least one
packet gets through, and the witness shows which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netcheck.compile.index import NetworkIndex, index_for
from netcheck.errors import Diagnostic, MissingResource, QueryError
from netcheck.explain.answer import Answer, Blocker, Proof, Query, Verdict, Witness
from netcheck.explain.build import build_answer
from netcheck.model.base import TCP, UDP
from netcheck.model.network import Network
from netcheck.model.resolve import (
    Header,
    parse_icmp,
    parse_ports,
    parse_protocol,
    resolve_destination,
    resolve_sources,
)
from netcheck.policy import Answerer, CheckResult, Rule, Suppression
from netcheck.policy import check as check_rules
from netcheck.questions.options import check_options, model_options, suggest_keywords
from netcheck.report.smt2 import write_smt2
from netcheck.solve.engine import Request, run
from netcheck.solve.results import Outcome

if TYPE_CHECKING:
    from datetime import date

    from netcheck.explain.exposure import Exposure
    from netcheck.explain.sets import ReachableSet

__all__ = [
    "Answer",
    "Blocker",
    "Proof",
    "Query",
    "Snapshot",
    "Verdict",
    "Witness",
    "check",
    "load",
    "parse_ports",
    "parse_protocol",
]


class Snapshot:
    """A loaded network and the loader's diagnostics; `query` answers reachability."""

    def __init__(self, network: Network, diagnostics: Sequence[Diagnostic] = ()) -> None:
        self.network = network
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)

    @cached_property
    def index(self) -> NetworkIndex:
        """The network's derived index (built on first use; this snapshot keeps it)."""
        return index_for(self.network)

    @suggest_keywords
    def query(
        self,
        src: str,
        dst: str,
        *,
        protocol: str | int = "any",
        port: int | str | None = None,
        src_port: int | str | None = None,
        one_way: bool = False,
        all_blockers: bool = False,
        emit_smt2: str | Path | None = None,
        timeout_ms: int = 30000,
        check_witness: bool = True,
        icmp_type: int | str | None = None,
        icmp_code: int | str | None = None,
    ) -> Answer:
        """Can `src` reach `dst`? TCP/UDP queries and ICMP echo requests (`icmp_type=8`,
        ping) are connections (the reply must come back) unless `one_way`; other ICMP types
        and ICMP without a type are one-way (some ICMP packet gets there). `icmp_type` /
        `icmp_code` imply protocol ICMP. `all_blockers`: every setting that would have to
        change, not only the first per path. `emit_smt2`: a folder for one SMT-LIB 2 file
        per candidate path. Raises `QueryError` for unknown endpoints or bad ports, `TypeError`
        (with the close matches) for an unknown keyword."""
        proto, itype, icode = parse_icmp(parse_protocol(protocol), icmp_type, icmp_code)
        dports = parse_ports(port, "port")
        sports = parse_ports(src_port, "source port")
        if (dports or sports) and proto not in (None, TCP, UDP):
            raise QueryError("ports only apply to TCP and UDP")
        query = Query(
            src=src,
            dst=dst,
            protocol="icmp" if itype is not None or icode is not None else str(protocol).lower(),
            port=None if dports is None else str(dports),
            src_port=None if sports is None else str(sports),
            one_way=one_way,
            icmp_type=itype,
            icmp_code=icode,
        )
        try:
            sources = resolve_sources(self.network, src)
        except MissingResource as e:
            # The source stands for a resource whose interface the snapshot lacks (an RDS
            # instance): nothing can be said, which is unknown, not bad input.
            missing = Outcome(Verdict.UNKNOWN, reason=e.reason, unknown_component=e.component_id)
            return build_answer(self.network, query, missing, check=check_witness)
        req = Request(
            network=self.network,
            sources=sources,
            destination=resolve_destination(self.network, dst),
            header=Header(
                protocol=proto,
                dst_ports=dports,
                src_ports=sports,
                icmp_type=itype,
                icmp_code=icode,
            ),
            one_way=one_way,
            all_blockers=all_blockers,
            timeout_ms=timeout_ms,
            smt2=emit_smt2 is not None,
            index=self.index,
        )
        outcome = run(req)
        if emit_smt2 is not None:
            outcome.smt2_files = write_smt2(Path(emit_smt2), outcome.smt2)
        return build_answer(self.network, query, outcome, check=check_witness)

    def reachable_set(self, src: str, dst: str, **options: Any) -> ReachableSet:
        """Every packet from `src` that gets through to `dst`, as exact boxes with a witness
        each (see `netcheck.questions.reachable_set` for the options)."""
        from netcheck.questions import ReachableSetParams, reachable_set

        known = model_options(ReachableSetParams)
        check_options("Snapshot.reachable_set", options, known)
        return reachable_set(self, src, dst, **options)

    def exposure(self, origin: str = "internet", **options: Any) -> Exposure:
        """What every interface-bearing resource exposes to `origin` (see
        `netcheck.questions.exposure` for the options)."""
        from netcheck.questions import ExposureParams, exposure

        known = model_options(ExposureParams, include=("progress",))
        check_options("Snapshot.exposure", options, known)
        return exposure(self, origin, **options)

    def with_network(self, network: Network) -> Snapshot:
        """The same questions on another network (policy rules with
        `isolate_security_groups` ask on a copy of the snapshot)."""
        return Snapshot(network)


@suggest_keywords
def load(
    path: str | Path | Mapping[str, Any],
    *,
    strict: bool = False,
    onprem_cidrs: Sequence[str] = (),
) -> Snapshot:
    """Load a snapshot (raises `SnapshotError` with every problem found): a path, or a
    document in memory — a dict of describe-* keys (`{"Vpcs": [...], "Subnets": [...]}`) or
    netcheck JSON — whose diagnostics then name the file `<memory>`."""
    from netcheck.inputs import load_snapshot

    result = load_snapshot(path, strict=strict, onprem_cidrs=onprem_cidrs)
    return Snapshot(result.network, result.diagnostics)


@suggest_keywords
def check(
    net: Answerer | Network | str | Path,
    rules: Sequence[Rule] | None = None,
    *,
    select: Iterable[str] = (),
    skip: Iterable[str] = (),
    suppressions: Sequence[Suppression] = (),
    today: date | None = None,
    timeout_ms: int = 30_000,
) -> CheckResult:
    """Check a snapshot against `rules` (default: the built-in pack): `netcheck.policy.check`
    on a `Snapshot`, a `Network` or a snapshot path (loaded first).

    `select` / `skip` are rule-id globs. Findings matched by a suppression whose expiry date is
    not past are moved to `CheckResult.suppressed`. Raises `RuleError` / `SnapshotError` for
    bad input.
    """
    # A path names the result as the user wrote it; otherwise `check_rules` names it by the
    # network's own `source`.
    source: str | None = None
    if isinstance(net, str | Path):
        answerer: Answerer = load(net)
        source = str(net)
    else:
        answerer = Snapshot(net) if isinstance(net, Network) else net
    return check_rules(
        answerer,
        rules,
        select=select,
        skip=skip,
        suppressions=suppressions,
        today=today,
        timeout_ms=timeout_ms,
        snapshot=source,
    )
