"""What the concrete walker returns: `Trace` (one packet's path) and `ConnectionTrace` (a
forward packet and its reply).

Input: hops and a disposition built by `netcheck.walk.walker`. Output: frozen values that the
explain stage and the tests read.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from netcheck.model.packet import Disposition, DispositionKind, Hop, Origin, OriginKind, Packet


class Trace(BaseModel):
    """One packet's walk: where it started, the header as sent, every hop in order (each with
    the rule that decided) and how it ended (`disposition.final_packet` is the header after
    every translation)."""

    model_config = ConfigDict(frozen=True)

    origin: Origin
    packet: Packet
    hops: tuple[Hop, ...]
    disposition: Disposition

    @property
    def success(self) -> bool:
        return self.disposition.success

    @property
    def final_packet(self) -> Packet:
        return self.disposition.final_packet or self.packet


class ConnectionTrace(BaseModel):
    """A connection: the forward trace and the reply trace (None for one-way queries,
    protocols other than TCP/UDP, a failed forward packet, or a forward packet delivered to a
    gateway endpoint's service)."""

    model_config = ConfigDict(frozen=True)

    forward: Trace
    reply: Trace | None = None

    @property
    def success(self) -> bool:
        """The forward packet succeeded and, when there is a reply, the reply succeeded and
        ended where it must: delivered to the origin ENI, or exited to the internet / on-prem
        for an outside origin."""
        if not self.forward.success:
            return False
        if self.reply is None:
            return True
        return self.reply.success and reply_ends_at_origin(self.forward.origin, self.reply)


def reply_ends_at_origin(origin: Origin, reply: Trace) -> bool:
    d = reply.disposition
    if origin.kind is OriginKind.INTERFACE:
        return d.kind is DispositionKind.DELIVERED and d.component_id == origin.interface_id
    if origin.kind is OriginKind.INTERNET:
        return d.kind is DispositionKind.EXITS_INTERNET
    if origin.kind is OriginKind.PEERING:
        return d.kind is DispositionKind.EXITS_PEERING and d.component_id == origin.peering_id
    return d.kind is DispositionKind.EXITS_ONPREM
