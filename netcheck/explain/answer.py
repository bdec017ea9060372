"""Answer types: what a reachability query returns.

Input: nothing (types). Output: `Verdict`, `Query`, `Witness`, `Blocker`, `Proof`, `Answer`.
`Answer.to_dict()` is the JSON contract: top-level `verdict` and `query`, then `witness`
(`packet`, `path`, `return_path`, `final_packet`, `nat_ports`, …) for a reachable answer,
`proof` (`blockers`: `component_id`, `code`, `rule`, `message`, `path`, …) for an unreachable
one, `reason` for an unknown one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from netcheck.model.packet import Hop, Packet
from netcheck.solve.results import Verdict  # one enum for the solver's and the API's verdict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Query(_Frozen):
    """The query as asked (strings as the user wrote them, normalised)."""

    src: str
    dst: str
    protocol: str = "any"
    port: str | None = None
    src_port: str | None = None
    one_way: bool = False
    icmp_type: int | None = None
    icmp_code: int | None = None


class Witness(_Frozen):
    """A concrete packet that gets through: its hops out and back, the packet as it
    arrived, the source ports NAT gateways chose (by NAT gateway id) and the AZs the
    transit gateway picked at appliance-mode attachments (by attachment id)."""

    packet: Packet
    origin: str
    path: tuple[Hop, ...]
    return_path: tuple[Hop, ...] = ()
    final_packet: Packet
    nat_ports: dict[str, int] = {}
    disposition: str
    destination: str | None = None
    one_way: bool = False
    # The Availability Zone the transit gateway picked for this flow at each appliance-mode
    # VPC attachment it crossed (by attachment id; both directions use it).
    appliance_azs: dict[str, str] = {}


class Blocker(_Frozen):
    """A setting that stops the query's packets, with its AWS Reachability Analyzer code.
    `path` numbers the candidate path; `direction` is `forward` or `return`."""

    component_id: str
    code: str
    rule: str | None = None
    message: str
    path: int | None = None
    direction: str = "forward"
    # True when packets of the query really are dropped here; False when this is the first
    # hop of a candidate path that no packet of the query gets past.
    observed: bool = False
    # Constraint labels of the path that together leave no packet (Z3 unsat core), e.g.
    # `sg:eni-1:ingress`, `route:rtb-1:0.0.0.0/0`.
    core: tuple[str, ...] = ()


class Proof(_Frozen):
    """Every candidate path is blocked: the blockers, and how many paths were checked."""

    blockers: tuple[Blocker, ...]
    paths_checked: int
    smt2_files: tuple[str, ...] = ()


class Answer(_Frozen):
    verdict: Verdict
    query: Query
    witness: Witness | None = None
    proof: Proof | None = None
    reason: str | None = None
    component_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "verdict": self.verdict.value,
            # ICMP type / code appear only when asked for (older consumers see no change).
            "query": self.query.model_dump(
                mode="json",
                exclude={k for k in ("icmp_type", "icmp_code") if getattr(self.query, k) is None},
            ),
        }
        if self.witness is not None:
            d["witness"] = self.witness.model_dump(mode="json")
        if self.proof is not None:
            d["proof"] = self.proof.model_dump(mode="json")
        if self.reason is not None:
            d["reason"] = self.reason
            if self.component_id is not None:
                d["component_id"] = self.component_id
        return d
