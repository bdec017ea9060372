"""Exposure and diff results: typed answers of the `exposure` and `diff` questions.

Input: `PacketBox`es (netcheck.explain.sets) grouped by resource. Output: `ResourceExposure`,
`Exposure`, `PairDiff`, `SnapshotDiff`, each with `to_dict()`.

Exposure JSON (stable contract): `origin`, `resources` — a list sorted by id, each with `id`,
`kind`, `interfaces`, `reachable` (bool), `reason` (when not reachable) and `boxes`, each box
`{protocol, dst_ports: [[lo, hi], …], src_cidrs: […], witness}` (plus `src_ports`, `dst_ips`,
`icmp_types`, `icmp_codes`) — then `summary` and `stats`.

Diff JSON: `old`, `new`, `origin`, `pairs` (each `src`, `dst`, `added` and `removed` boxes;
an added box's `witness` is in NEW and its `blocked_in_old` says where OLD stops it; a
removed box the reverse), `changed` (bool: something became reachable).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict

from netcheck.explain.sets import PacketBox

__all__ = ["BoxChange", "Exposure", "PairDiff", "ResourceExposure", "SnapshotDiff"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ResourceExposure(_Frozen):
    """What reaches one resource (its interfaces grouped by owner) from the origin."""

    id: str
    kind: str
    name: str | None = None
    interfaces: tuple[str, ...]
    reachable: bool
    reason: str | None = None
    boxes: tuple[PacketBox, ...] = ()
    status: str = "complete"
    unknown_paths: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "interfaces": list(self.interfaces),
            "reachable": self.reachable,
        }
        if not self.reachable:
            d["reason"] = self.reason
        d["boxes"] = [b.to_dict() for b in self.boxes]
        d["status"] = self.status
        if self.unknown_paths:
            d["unknown_paths"] = list(self.unknown_paths)
        return d


def service_text(b: PacketBox) -> str:
    """`tcp/22`, `udp/53-60,123`, `icmp`, `47` — the protocol and destination ports."""
    if not b.dst_ports:
        return b.protocol
    ports = ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in b.dst_ports)
    return f"{b.protocol}/{ports}"


class Exposure(_Frozen):
    """Every interface-bearing resource and what reaches it from `origin`."""

    origin: str
    resources: tuple[ResourceExposure, ...]
    stats: dict[str, float] = {}

    def summary(self) -> dict[str, Any]:
        services: Counter[str] = Counter()
        for r in self.resources:
            for s in sorted({service_text(b) for b in r.boxes}):
                services[s] += 1
        return {
            "resources": len(self.resources),
            "reachable": sum(r.reachable for r in self.resources),
            # Proven: nothing gets through (a resource whose answer is unknown is not here).
            "not_reachable": sum(
                not r.reachable and r.status == "complete" for r in self.resources
            ),
            "unknown": sum(r.status != "complete" for r in self.resources),
            "services": dict(sorted(services.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "resources": [r.to_dict() for r in self.resources],
            "summary": self.summary(),
            "stats": dict(self.stats),
        }


class BoxChange(_Frozen):
    """A box of packets whose fate changed: `box.witness` is a packet of it walked in the
    snapshot where it gets through; `blocked_in_other` is where the other snapshot stops that
    packet (component, code and reason from the walker)."""

    box: PacketBox
    blocked_in_other: str

    def to_dict(self, other: str) -> dict[str, Any]:
        return {**self.box.to_dict(), f"blocked_in_{other}": self.blocked_in_other}


class PairDiff(_Frozen):
    """One source/destination pair (matched by resource id)."""

    src: str
    dst: str
    added: tuple[BoxChange, ...] = ()
    removed: tuple[BoxChange, ...] = ()
    status: str = "complete"
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "src": self.src,
            "dst": self.dst,
            "added": [c.to_dict("old") for c in self.added],
            "removed": [c.to_dict("new") for c in self.removed],
            "status": self.status,
        }
        if self.reason is not None:
            d["reason"] = self.reason
        return d


class SnapshotDiff(_Frozen):
    """Packets reachable in NEW but not OLD (`added`) and the reverse (`removed`), per pair;
    pairs with no change are left out."""

    old: str
    new: str
    origin: str
    pairs: tuple[PairDiff, ...] = ()
    pairs_compared: int = 0
    stats: dict[str, float] = {}

    @property
    def changed(self) -> bool:
        """Something became reachable (the CI gate)."""
        return any(p.added for p in self.pairs)

    @property
    def status(self) -> str:
        return "complete" if all(p.status == "complete" for p in self.pairs) else "unknown"

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "origin": self.origin,
            "changed": self.changed,
            "status": self.status,
            "pairs_compared": self.pairs_compared,
            "pairs": [p.to_dict() for p in self.pairs],
            "stats": dict(self.stats),
        }
