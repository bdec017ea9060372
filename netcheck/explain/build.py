"""Solver outcome -> `Answer`: a witness (replayed by the independent walker first) or a
proof, or the reason for `unknown`.

Input: the `Network`, the `Query`, an `Outcome` (netcheck.solve.results). Output: `Answer`.
A witness the concrete walker (netcheck.walk) does not confirm is never shown: the answer is
`unknown` with reason "internal disagreement … (bug)".
"""

from __future__ import annotations

from netcheck.explain.answer import Answer, Blocker, Proof, Query, Verdict, Witness
from netcheck.model.addresses import Family
from netcheck.model.network import Network
from netcheck.model.packet import Hop, Packet
from netcheck.solve.results import Found, HopValue, Outcome


def to_packet(values: dict[str, int], family: Family = Family.V4) -> Packet:
    """The packet whose header fields have the solver's integer `values` (addresses of
    `family`: the packets the engine builds today are IPv4)."""
    # Validated rather than constructed: `Packet` is IPv4-typed until the walker takes both
    # families (issue #10), and validation says so if another family arrives.
    return Packet.model_validate(
        {
            **{f: values[f] for f in _PORT_FIELDS},
            "src_ip": family.address(values["src_ip"]),
            "dst_ip": family.address(values["dst_ip"]),
        }
    )


_PORT_FIELDS = ("protocol", "src_port", "dst_port", "icmp_type", "icmp_code")


def _hop(h: HopValue) -> Hop:
    return Hop(
        component_id=h.component_id,
        kind=h.kind,
        action=h.action,
        rule=h.rule,
        detail=h.detail,
        packet_out=to_packet(h.packet_out) if h.packet_out is not None else None,
    )


def witness_of(found: Found) -> Witness:
    return Witness(
        packet=to_packet(found.packet),
        origin=str(found.origin),
        path=tuple(_hop(h) for h in found.forward),
        return_path=tuple(_hop(h) for h in found.reply),
        final_packet=to_packet(found.final),
        nat_ports=dict(found.nat_ports),
        appliance_azs=dict(found.appliance_azs),
        disposition=found.end_kind,
        destination=found.end_component,
        one_way=found.one_way,
    )


def replay(network: Network, found: Found) -> str | None:
    """Replay a witness in the concrete walker; None when it agrees, else why not."""
    from netcheck.walk import walk_connection

    packet = to_packet(found.packet)
    trace = walk_connection(
        network,
        packet,
        found.origin,
        one_way=found.one_way,
        nat_ports=dict(found.nat_ports) or None,
        appliance_azs=dict(found.appliance_azs) or None,
    )
    fwd = trace.forward.disposition
    if fwd.kind.value != found.end_kind or (
        found.end_kind == "delivered" and fwd.component_id != found.end_component
    ):
        return (
            f"the walker ends the forward packet {packet} as {fwd.kind.value} "
            f"at {fwd.component_id} ({fwd.code or fwd.reason}), the solver at {found.end_component}"
        )
    if not trace.success:
        rep = trace.reply.disposition if trace.reply is not None else None
        why = (
            f"{rep.kind.value} at {rep.component_id} ({rep.code or rep.reason})"
            if rep
            else "no reply"
        )
        return f"the walker's connection for {packet} fails: {why}"
    return None


def build_answer(network: Network, query: Query, outcome: Outcome, *, check: bool = True) -> Answer:
    if outcome.verdict == "reachable" and outcome.found is not None:
        if check:
            why = replay(network, outcome.found)
            if why is not None:
                return Answer(
                    verdict=Verdict.UNKNOWN,
                    query=query,
                    reason=(
                        "internal disagreement between the solver and the concrete walker "
                        f"(bug): {why}"
                    ),
                )
        return Answer(verdict=Verdict.REACHABLE, query=query, witness=witness_of(outcome.found))
    if outcome.verdict == "unknown":
        return Answer(
            verdict=Verdict.UNKNOWN,
            query=query,
            reason=outcome.reason or "unknown",
            component_id=outcome.unknown_component,
        )
    blockers = tuple(
        Blocker(
            component_id=b.component_id,
            code=b.code,
            rule=b.rule,
            message=b.message,
            path=b.path,
            direction=b.direction,
            observed=b.observed,
            core=b.core,
        )
        for b in outcome.blockers
    )
    if not blockers:
        blockers = (
            Blocker(
                component_id=query.src,
                code="NO_PATH",
                message=f"no topological path from {query.src} to {query.dst}",
            ),
        )
    return Answer(
        verdict=Verdict.UNREACHABLE,
        query=query,
        proof=Proof(
            blockers=blockers,
            paths_checked=outcome.paths_checked,
            smt2_files=tuple(outcome.smt2_files),
        ),
    )
