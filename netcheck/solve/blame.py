"""Blockers: why no packet of a query gets along a candidate path, as plain `BlockerValue`s.

Input: the solver (with the query asserted), a path's steps, the index of the step no packet
gets past. Output: `BlockerValue`s — the component, its Reachability Analyzer code, the deny
rules that catch the packets that get there (first match) or the missing allow/route in
words — and, when no candidate path arrives at all, whether anything connects the endpoints
(compile/topology.py). Example: an SG allowing only 443 on a tcp/22 query gives
`sg-app ENI_SG_RULES_MISMATCH "security groups of eni-app: no rule allows the packet"`.
"""

from __future__ import annotations

from netcheck.compile.steps import Path, Step
from netcheck.compile.topology import connects
from netcheck.model.network import Network
from netcheck.model.resolve import Destination, Source
from netcheck.solve.results import BlockerValue
from netcheck.solve.solver import Solver

__all__ = ["NO_PASS", "blame", "blocker_for_step", "filter_blockers", "last_rule", "no_path"]

# What a step whose guard no packet meets means, by code, when no deny rule catches packets.
NO_PASS = {
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
    "VPC_BLOCK_PUBLIC_ACCESS_ENABLED": "VPC Block Public Access blocks it at the internet gateway",
}


def blame(solver: Solver, steps: tuple[Step, ...], j: int | None) -> int | None:
    """The step to report when no packet gets past step `j`. Explored paths are routing-
    feasible, so when `j` is a routing step an earlier filter narrowed the packets so that
    this route no longer applies (e.g. an SG that only allows private destinations on a path
    through the internet): report the first filter that alone makes step `j` impossible."""
    if j is None or steps[j].is_filter:
        return j
    routing = [st.formula() for st in steps[: j + 1] if not st.is_filter]
    for k in range(j):
        if steps[k].is_filter and not solver.sat_with([*routing, steps[k].formula()]):
            return k
    return j


def blocker_for_step(
    solver: Solver,
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
        with solver.scope():
            for k, prev in enumerate(steps):
                if k < i and not (alone and prev.is_filter):
                    solver.add(prev.formula())
                elif alone and prev.link is not None:
                    solver.add(prev.link)
            for r in deny:
                if solver.sat_with([r.cond]):
                    rule_ids.append(r.rule)
                    rule_texts.append(r.text)
    msg = (
        st.text
        + ": "
        + (
            ("; ".join(rule_texts))
            if rule_texts
            else NO_PASS.get(st.code or "", "lets no packet of the query through")
        )
    )
    return BlockerValue(
        st.component_id, st.code or "NO_PATH", ",".join(rule_ids) or None, msg, path, direction
    )


def filter_blockers(solver: Solver, path: Path, i: int, direction: str) -> list[BlockerValue]:
    """Every filter of the path that no packet of the query gets through on its own
    (with the path's routing and translations, other filters left out)."""
    routing = [st.formula() for st in path.steps if not st.is_filter]
    return [
        blocker_for_step(solver, path.steps, j, i, direction, alone=True)
        for j, st in enumerate(path.steps)
        if st.is_filter and not solver.sat_with([*routing, st.guard])
    ]


def last_rule(path: Path) -> str | None:
    """The rule that sent a dropped packet where it died (e.g. the blackhole route)."""
    for st in reversed(path.steps):
        if st.rules:
            return st.rules[0].rule if len(st.rules) == 1 else None
    return None


def no_path(
    network: Network, sources: tuple[Source, ...], destination: Destination
) -> list[BlockerValue]:
    """No candidate path arrives at the destination: say whether anything connects (the
    topology graph over-approximates forwarding, so "nothing connects" is a proof)."""
    return [
        BlockerValue(
            str(src.origin),
            "NO_PATH",
            None,
            f"no topological path from {src.origin} to the destination: no route, "
            "peering, gateway or transit gateway attachment leads there",
        )
        for src in sources
        if not connects(network, src.origin, destination)
    ]
