"""Symbolic forwarding: every candidate path a packet can take from an origin, as labelled
constraints over per-hop packet copies (docs/semantics/forwarding.md, rule by rule).

Input: a `Network` (and optionally its `NetworkIndex`), an `Origin` and a `SymPacket`.
Output: a list of `Path`s. For a forward packet from an interface or the internet the paths
partition the packets: each packet meets the guards of exactly one path, which ends as the
forwarding model says (delivered, exits, dropped, unknown). Branches happen where the header
decides where the packet goes (route selection, the subnet and interface owning `dst_ip`,
the IGW mapping); filters (NACL, SG) are guards of a step. On-prem packets may enter at
several places (one branch each).

`Explorer` is a facade over the hop functions of `compile/hops/` (one module per hop kind);
route targets dispatch through `compile/hops/table.ROUTE_TARGETS`, and a kind with no entry
ends the path `unknown` (appliances are not modelled), never as a silent pass or drop::

    paths = Explorer(network).from_origin(Origin(kind="interface", interface_id="eni-1"), p)
"""

from __future__ import annotations

from collections.abc import Callable

from netcheck.compile.hops import interface, internet, onprem, peering
from netcheck.compile.hops.context import HopContext, PathState, Steps
from netcheck.compile.hops.internet import is_public
from netcheck.compile.hops.table import ROUTE_TARGETS
from netcheck.compile.index import NetworkIndex, index_for
from netcheck.compile.packet import Space, SymPacket
from netcheck.compile.steps import End, NatSession, Path
from netcheck.model.network import Network
from netcheck.model.packet import DispositionKind, Origin, OriginKind

__all__ = ["ROUTE_TARGETS", "Explorer", "is_public"]


class Explorer:
    """Enumerates the candidate paths of one network, walking the topology symbolically.

    `targets`: interfaces whose arrival matters (None: all); `feasible`: checks a branch's
    routing constraints against the query; `known`: per (packet copy, field) the values the
    field can take; `index`: the network's derived index (default: `index_for(network)`).
    """

    def __init__(
        self,
        network: Network,
        nat_ports: dict[str, int] | None = None,
        targets: frozenset[str] | None = None,
        feasible: Callable[[Steps], bool] | None = None,
        known: dict[tuple[str, str], Space] | None = None,
        *,
        index: NetworkIndex | None = None,
    ) -> None:
        self.net = network
        self.hc = HopContext(
            network,
            index if index is not None else index_for(network),
            nat_ports,
            targets,
            feasible,
            known,
        )

    def from_origin(self, origin: Origin, p: SymPacket) -> list[Path]:
        """Paths of the forward packet `p` from `origin`."""
        hc = self.hc
        hc.start = p
        ps = PathState()
        if origin.kind is OriginKind.INTERFACE:
            eni = self.net.interface(origin.interface_id or "")
            return interface.leave_interface(hc, eni, p, (), ps)
        if origin.kind is OriginKind.INTERNET:
            return internet.on_internet(hc, p, (), ps)
        if origin.kind is OriginKind.PEERING:
            return peering.from_peering(hc, origin.peering_id or "", p, (), ps)
        return onprem.from_onprem(hc, p, (), ps)

    def reply_from(
        self,
        end: End,
        sessions: tuple[NatSession, ...],
        r: SymPacket,
        appliance: tuple[tuple[str, str], ...] = (),
    ) -> list[Path]:
        """Paths of the reply `r`, which starts where the forward packet arrived (SGs are
        skipped; the forward path's NAT sessions are reversed; the AZs the TGW picked for
        the flow at appliance-mode attachments are kept)."""
        hc = self.hc
        hc.start = r
        ps = PathState(reply=True, sessions=sessions, appliance=appliance)
        if end.kind is DispositionKind.DELIVERED and end.component_id:
            eni = self.net.interface(end.component_id)
            return interface.leave_interface(hc, eni, r, (), ps)
        if end.kind is DispositionKind.EXITS_INTERNET:
            return internet.on_internet(hc, r, (), ps)
        if end.kind is DispositionKind.EXITS_ONPREM:
            return onprem.from_onprem(hc, r, (), ps)
        return []
