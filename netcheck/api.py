"""netcheck's Python API: load a snapshot, ask whether one endpoint can reach another.

Input: a snapshot path (any format the loader reads) and query strings. Output: `Snapshot`
and `Answer` objects (verdict, witness or proof or reason).

    >>> snap = load("fixtures/three-tier")                                   # doctest: +SKIP
    >>> snap.query("web", "db", protocol="tcp", port=5432).verdict           # doctest: +SKIP
    <Verdict.REACHABLE: 'reachable'>

Query fields are AND-ed; within a field the values are OR-ed (every address of an instance,
every port of a range). Omitted fields are free: the answer is reachable if at least one
packet gets through, and the witness shows which.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netcheck.errors import Diagnostic, QueryError
from netcheck.explain.answer import Answer, Blocker, Proof, Query, Verdict, Witness
from netcheck.explain.build import build_answer
from netcheck.model.base import ICMP, TCP, UDP, PortRange
from netcheck.model.endpoints import Header, resolve_destination, resolve_sources
from netcheck.model.network import Network
from netcheck.report.smt2 import write_smt2
from netcheck.solve.engine import Request, run

if TYPE_CHECKING:
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
    "load",
    "parse_ports",
    "parse_protocol",
]

_PROTOCOLS = {"tcp": TCP, "udp": UDP, "icmp": ICMP}


def parse_protocol(text: str | int | None) -> int | None:
    """`tcp`/`udp`/`icmp`/`any` or an IP protocol number 0-255 (None = any)."""
    if text is None:
        return None
    if isinstance(text, int):
        number = text
    else:
        t = text.strip().lower()
        if t in ("any", "all", "-1", ""):
            return None
        if t in _PROTOCOLS:
            return _PROTOCOLS[t]
        try:
            number = int(t)
        except ValueError:
            raise QueryError(
                f"unknown protocol {text!r}", ("tcp", "udp", "icmp", "any", "a number 0-255")
            ) from None
    if not 0 <= number <= 255:
        raise QueryError(f"protocol number {number} is outside 0-255")
    return number


def parse_ports(value: int | str | None, what: str = "port") -> PortRange | None:
    """`N` or `N-M` (inclusive, 0-65535); None = any."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        if "-" in text:
            a, b = text.split("-", 1)
            start, end = int(a), int(b)
        else:
            start = end = int(text)
    except ValueError:
        raise QueryError(f"bad {what} {value!r}: expected N or N-M") from None
    if not (0 <= start <= end <= 65535):
        raise QueryError(f"bad {what} {value!r}: expected 0 <= N <= M <= 65535")
    return PortRange(start=start, end=end)


class Snapshot:
    """A loaded network and the loader's diagnostics; `query` answers reachability."""

    def __init__(self, network: Network, diagnostics: Sequence[Diagnostic] = ()) -> None:
        self.network = network
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)

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
    ) -> Answer:
        """Can `src` reach `dst`? TCP/UDP queries are connections (the reply must come back)
        unless `one_way`. `all_blockers`: every setting that would have to change, not only
        the first per path. `emit_smt2`: a folder for one SMT-LIB 2 file per candidate path.
        Raises `QueryError` for unknown endpoints or bad ports."""
        proto = parse_protocol(protocol)
        dports = parse_ports(port, "port")
        sports = parse_ports(src_port, "source port")
        if (dports or sports) and proto not in (None, TCP, UDP):
            raise QueryError("ports only apply to TCP and UDP")
        query = Query(
            src=src,
            dst=dst,
            protocol=str(protocol).lower(),
            port=None if dports is None else str(dports),
            src_port=None if sports is None else str(sports),
            one_way=one_way,
        )
        req = Request(
            network=self.network,
            sources=resolve_sources(self.network, src),
            destination=resolve_destination(self.network, dst),
            header=Header(protocol=proto, dst_ports=dports, src_ports=sports),
            one_way=one_way,
            all_blockers=all_blockers,
            timeout_ms=timeout_ms,
            smt2=emit_smt2 is not None,
        )
        outcome = run(req)
        if emit_smt2 is not None:
            outcome.smt2_files = write_smt2(Path(emit_smt2), outcome.smt2)
        return build_answer(self.network, query, outcome, check=check_witness)

    def reachable_set(self, src: str, dst: str, **options: Any) -> ReachableSet:
        """Every packet from `src` that gets through to `dst`, as exact boxes with a witness
        each (see `netcheck.questions.reachable_set` for the options)."""
        from netcheck.questions import reachable_set

        return reachable_set(self, src, dst, **options)

    def exposure(self, origin: str = "internet", **options: Any) -> Exposure:
        """What every interface-bearing resource exposes to `origin` (see
        `netcheck.questions.exposure` for the options)."""
        from netcheck.questions import exposure

        return exposure(self, origin, **options)


def load(path: str | Path, *, strict: bool = False, onprem_cidrs: Sequence[str] = ()) -> Snapshot:
    """Load a snapshot (raises `SnapshotError` with every problem found)."""
    from netcheck.load import load_snapshot

    result = load_snapshot(path, strict=strict, onprem_cidrs=onprem_cidrs)
    return Snapshot(result.network, result.diagnostics)
