"""Question: every packet that gets from SRC to DST, as boxes (issue #4, part 1).

Input: a snapshot (`netcheck.api.Snapshot` or a `Network`) and `ReachableSetParams`.
Output: `ReachableSet` (netcheck.explain.sets): boxes protocol x destination ports x source
CIDRs (x source ports, destination addresses, ICMP types where they matter), each with a
witness replayed by the concrete walker. The union is exact: a packet of the query is in a
box if and only if it gets through (connection semantics as in `query`).

    >>> snap = netcheck.load("fixtures/three-tier")                          # doctest: +SKIP
    >>> rs = reachable_set(snap, "internet", "web-1")                        # doctest: +SKIP
    >>> [(b.protocol, b.dst_ports) for b in rs.boxes]                        # doctest: +SKIP
    [('tcp', ((80, 80), (443, 443)))]
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, ConfigDict

from netcheck.compile.headerspace import cut_points
from netcheck.compile.index import NetworkIndex, index_for
from netcheck.errors import MissingResource, TooManyChoices
from netcheck.explain.sets import ReachableSet, addresses_within, build_set
from netcheck.model.base import ICMP, TCP, UDP
from netcheck.model.network import Network
from netcheck.model.resolve import (
    Destination,
    Header,
    Source,
    parse_icmp,
    parse_ports,
    parse_protocol,
    resolve_destination,
    resolve_sources,
)
from netcheck.questions.options import build_params
from netcheck.solve.reach import build_reach
from netcheck.solve.set_results import SetOutcome
from netcheck.solve.sets import CLASSES, enumerate_set

__all__ = ["ReachableSetParams", "index_of", "network_of", "reachable_set", "solve_pair"]


class ReachableSetParams(BaseModel):
    """Which packets to consider. Fields are AND-ed; within a field values are OR-ed (every
    address of SRC, every port of a range). Omitted fields are free: the set then covers
    every protocol, port and address the endpoints allow.

    - `src`, `dst`: endpoints as in `query` (resource id, Name tag, IP/CIDR, `internet`).
    - `protocol`: `tcp`, `udp`, `icmp`, a number, or `any`.
    - `port`, `src_port`: `N` or `N-M` (TCP/UDP only).
    - `icmp_type`, `icmp_code`: 0-255 (imply ICMP). An ICMP echo request (type 8) is a
      connection: its echo reply must come back; other ICMP packets are one-way.
    - `one_way`: forward packets only (no reply needed).
    - `nat_ports`: pin the source port a NAT gateway picks (by NAT id); by default the NAT
      may pick any port in 1024-65535, and a packet is in the set only if it gets through
      for every one of them (those that get through for some only are listed as unknown).
    """

    # An unknown field is an error (a misspelt option must not change the question).
    model_config = ConfigDict(frozen=True, extra="forbid")

    src: str
    dst: str
    protocol: str | int = "any"
    port: int | str | None = None
    src_port: int | str | None = None
    icmp_type: int | str | None = None
    icmp_code: int | str | None = None
    one_way: bool = False
    timeout_ms: int = 120000
    nat_ports: dict[str, int] | None = None


def network_of(snapshot: Any) -> Network:
    """A `Network` from a `Snapshot` (anything with `.network`) or a `Network`."""
    return snapshot if isinstance(snapshot, Network) else snapshot.network


def index_of(snapshot: Any) -> NetworkIndex:
    """The derived index a `Snapshot` owns (a bare `Network`: `index_for(network)`)."""
    index = getattr(snapshot, "index", None)
    return index if isinstance(index, NetworkIndex) else index_for(network_of(snapshot))


def classes_for(header: Header) -> tuple[str, ...]:
    if header.dst_ports is not None or header.src_ports is not None:
        return ("tcp", "udp") if header.protocol is None else _one(header.protocol)
    if header.protocol is None:
        return tuple(CLASSES)
    return _one(header.protocol)


def _one(protocol: int) -> tuple[str, ...]:
    return ({TCP: ("tcp",), UDP: ("udp",), ICMP: ("icmp",)}).get(protocol, ("other",))


def solve_pair(
    network: Network,
    sources: tuple[Source, ...],
    destination: Destination,
    header: Header,
    *,
    one_way: bool = False,
    nat_ports: dict[str, int] | None = None,
    timeout_ms: int = 120000,
    cuts: dict[str, list[int]] | None = None,
    index: NetworkIndex | None = None,
) -> SetOutcome:
    """The boxes of one resolved source/destination pair (an `unknown` outcome when a path
    needs a resource the snapshot lacks or the NAT-port choices are too many)."""
    if destination.missing:
        return SetOutcome(status="unknown", reason=destination.missing[0][1])
    try:
        reach = build_reach(
            network,
            sources,
            destination,
            header,
            one_way=one_way,
            nat_ports=nat_ports,
            index=index,
        )
    except (MissingResource, TooManyChoices) as e:
        return SetOutcome(status="unknown", reason=str(e))
    if cuts is None:
        cuts = cut_points(network, _query_cidrs(sources, destination), ())
    pointwise = set()
    if destination.addresses and not destination.cidrs:
        pointwise.add("dst_ip")
    if sources and all(s.addresses and not s.cidrs for s in sources):
        pointwise.add("src_ip")
    return enumerate_set(
        reach,
        cuts,
        classes=classes_for(header),
        timeout_ms=timeout_ms,
        pointwise=frozenset(pointwise),
    )


def _query_cidrs(sources: tuple[Source, ...], destination: Destination) -> list[Any]:
    out: list[Any] = [c for s in sources for c in s.cidrs]
    out += list(destination.cidrs)
    return out


def source_within(sources: tuple[Source, ...]) -> list[tuple[int, int]] | None:
    """Where to show source addresses: the sources' explicit addresses, or None when some
    source may use any address of its origin."""
    out: list[tuple[int, int]] = []
    for s in sources:
        w = addresses_within(s.addresses, s.cidrs)
        if w is None:
            return None
        out += w
    return sorted(set(out)) or None


def clips_for(
    sources: tuple[Source, ...], destination: Destination, header: Header
) -> dict[str, list[tuple[int, int]]]:
    """The values of each header field the query allows explicitly (boxes are shown within
    them): source and destination addresses, and the port ranges asked for."""
    out: dict[str, list[tuple[int, int]]] = {}
    src = source_within(sources)
    if src is not None:
        out["src_ip"] = src
    dst = addresses_within(destination.addresses, destination.cidrs)
    if dst is not None:
        out["dst_ip"] = dst
    if header.protocol is not None:
        out["protocol"] = [(header.protocol, header.protocol)]
    if header.dst_ports is not None:
        out["dst_port"] = [(header.dst_ports.start, header.dst_ports.end)]
    if header.src_ports is not None:
        out["src_port"] = [(header.src_ports.start, header.src_ports.end)]
    return out


def reachable_set(snapshot: Any, src: str, dst: str, **options: Any) -> ReachableSet:
    """Every packet from `src` to `dst` that gets through, as boxes with witnesses
    (options: the other fields of `ReachableSetParams`). Raises `QueryError` for unknown
    endpoints or bad ports, `TypeError` for an unknown option."""
    from netcheck.errors import QueryError

    params = build_params(ReachableSetParams, "reachable_set", src=src, dst=dst, **options)
    network = network_of(snapshot)
    proto, itype, icode = parse_icmp(
        parse_protocol(params.protocol), params.icmp_type, params.icmp_code
    )
    dports = parse_ports(params.port, "port")
    sports = parse_ports(params.src_port, "source port")
    if (dports or sports) and proto not in (None, TCP, UDP):
        raise QueryError("ports only apply to TCP and UDP")
    gap: str | None = None
    try:
        sources = resolve_sources(network, src)
    except MissingResource as e:  # an RDS source without its interface: unknown
        sources, gap = (), e.reason
    destination = resolve_destination(network, dst)
    header = Header(
        protocol=proto, dst_ports=dports, src_ports=sports, icmp_type=itype, icmp_code=icode
    )
    t0 = time.perf_counter()
    if gap is not None:
        outcome = SetOutcome(status="unknown", reason=gap)
    else:
        outcome = solve_pair(
            network,
            sources,
            destination,
            header,
            one_way=params.one_way,
            nat_ports=params.nat_ports,
            timeout_ms=params.timeout_ms,
            index=index_of(snapshot),
        )
    return build_set(
        network,
        outcome,
        src=src,
        dst=dst,
        protocol="icmp" if (itype, icode) != (None, None) else str(params.protocol).lower(),
        port=None if dports is None else str(dports),
        one_way=params.one_way,
        clips=clips_for(sources, destination, header),
        seconds=time.perf_counter() - t0,
    )
