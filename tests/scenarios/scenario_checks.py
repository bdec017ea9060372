"""Shared assertions for the scenario tables (tests/scenarios/test_<fixture>.py).

Each table row is `(query kwargs, expected verdict, expectations)`:

- reachable: `expectations` lists component ids the witness path must cross. A component is
  crossed when a hop names it as `component_id` or its id appears in the hop's deciding rule
  (a security group shows up either as its own hop or as the rule of the interface's hop).
- unreachable: `expectations` lists `(component, code)` pairs that must appear among
  `answer.proof.blockers`. Either side may be a tuple of acceptable alternatives (where the
  forwarding model allows more than one faithful answer, e.g. an interface or its security
  group), or `None` for "any".

Only properties are asserted (the witness packet satisfies the query), never values a solver
is free to choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import netcheck

PROTOCOLS = {"tcp": 6, "udp": 17, "icmp": 1}
EPHEMERAL = range(1024, 65536)
ID_RE = re.compile(
    r"\b(?:vpc|subnet|rtb|acl|sg|eni|i|igw|nat|pcx|tgw-attach|tgw-rtb|tgw|vgw|vpn|vpce|pl)"
    r"-[0-9a-f]{8,17}\b"
)

Alternatives = str | tuple[str, ...] | None
REACHABLE, UNREACHABLE = "reachable", "unreachable"
# Codes for a packet from the internet to an address with no public IP (forwarding.md, "On
# the internet": a private destination is dropped; AWS reports the IGW ingress family).
IGW_INGRESS_CODES = ("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "IGW_DESTINATION_RFC1918")


def q(src: str, dst: str, protocol: str = "tcp", port: int | None = None) -> dict[str, Any]:
    """Keyword arguments of `Snapshot.query`."""
    out: dict[str, Any] = {"src": src, "dst": dst, "protocol": protocol}
    if port is not None:
        out["port"] = port
    return out


def _one_of(value: str | None, expected: Alternatives) -> bool:
    if expected is None:
        return True
    if isinstance(expected, str):
        return value == expected
    return value in expected


def run(net: Any, query: dict[str, Any]) -> Any:
    """Ask the query as the public API documents it: `net.query(src, dst, protocol=, port=)`."""
    rest = {k: v for k, v in query.items() if k not in ("src", "dst")}
    return net.query(query["src"], query["dst"], **rest)


def crossed(hops: Iterable[Any]) -> set[str]:
    """Every component id a sequence of hops names (as component or inside its rule)."""
    out: set[str] = set()
    for hop in hops:
        out.add(hop.component_id)
        out.update(ID_RE.findall(str(hop.rule or "")))
    return out


def blocker_matches(blocker: Any, component: Alternatives, code: Alternatives) -> bool:
    ids = {blocker.component_id, *ID_RE.findall(str(blocker.rule or ""))}
    component_ok = component is None or any(_one_of(i, component) for i in ids)
    return component_ok and _one_of(blocker.code, code)


def check_answer(answer: Any, query: dict[str, Any], verdict: str, expect: tuple) -> None:
    assert answer.verdict == netcheck.Verdict(verdict), _describe(answer)
    if verdict == "reachable":
        witness = answer.witness
        assert witness is not None and witness.path, "a reachable answer carries a witness"
        check_packet(witness.packet, query)
        seen = crossed(witness.path)
        missing = [c for c in expect if c not in seen]
        assert not missing, f"witness path does not cross {missing}: {sorted(seen)}"
    elif verdict == "unreachable":
        blockers = answer.proof.blockers
        assert blockers, "an unreachable answer names what blocks it"
        for component, code in expect:
            assert any(blocker_matches(b, component, code) for b in blockers), (
                f"no blocker ({component}, {code}) among "
                f"{[(b.component_id, b.code, b.rule) for b in blockers]}"
            )


def check_packet(packet: Any, query: dict[str, Any]) -> None:
    """The witness packet satisfies the query's protocol and port."""
    proto = PROTOCOLS[query.get("protocol", "tcp")]
    assert packet.protocol == proto
    if "port" in query:
        assert packet.dst_port == query["port"]
    if proto in (6, 17):
        assert 0 <= packet.src_port <= 65535
    else:
        assert packet.src_port == 0 and packet.dst_port == 0


def decided_by_rule(blockers: Iterable[Any], component: str, number: int) -> bool:
    """Some blocker on `component` names rule `number` (e.g. `90` or `...:rule=90`)."""
    pattern = re.compile(rf"(?<![0-9]){number}$")
    return any(
        component in {b.component_id, *ID_RE.findall(str(b.rule or ""))}
        and pattern.search(str(b.rule or "").strip())
        for b in blockers
    )


def _describe(answer: Any) -> str:
    parts = [f"verdict={answer.verdict}"]
    proof = getattr(answer, "proof", None)
    if proof is not None:
        parts.append(f"blockers={[(b.component_id, b.code) for b in proof.blockers]}")
    witness = getattr(answer, "witness", None)
    if witness is not None:
        parts.append(f"path={[h.component_id for h in witness.path]}")
    return " ".join(parts)
