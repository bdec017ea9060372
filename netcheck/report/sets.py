"""Render header-space answers: reachable sets, exposure audits and reachability diffs.

Input: `ReachableSet`, `Exposure`, `SnapshotDiff` (netcheck.explain). Output: rich tables
(boxes sorted by protocol and port, resources by id, a summary table) or their JSON
(`to_dict()`, two-space indent). Rendering only: no analysis happens here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from netcheck.explain.exposure import Exposure, SnapshotDiff
    from netcheck.explain.sets import PacketBox, ReachableSet

__all__ = ["render_diff", "render_exposure", "render_set", "to_json"]


def to_json(answer: Any) -> str:
    return json.dumps(answer.to_dict(), indent=2)


def _ranges(ivs: Sequence[tuple[int, int]]) -> str:
    return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in ivs)


def _short(items: Sequence[str], limit: int = 6) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" … (+{len(items) - limit})"


def _box_row(b: PacketBox) -> list[str]:
    if b.dst_ports:
        what = _ranges(b.dst_ports)
    elif b.icmp_types:
        what = f"type {_ranges(b.icmp_types)} code {_ranges(b.icmp_codes)}"
    else:
        what = "-"
    sports = "" if not b.src_ports or b.src_ports == ((0, 65535),) else _ranges(b.src_ports)
    return [
        b.protocol,
        what,
        _short(list(b.src_cidrs)),
        sports,
        _short(list(b.dst_ips), 3),
        str(b.witness.packet) if b.witness is not None else "",
    ]


def _box_table(title: str, boxes: Sequence[PacketBox], extra: str | None = None) -> Table:
    t = Table(title=title, title_justify="left", pad_edge=False)
    for col in ("protocol", "dst ports", "sources", "src ports", "to", "witness"):
        t.add_column(col, overflow="fold")
    if extra:
        t.add_column(extra, overflow="fold")
    return t


def render_set(rs: ReachableSet, console: Console) -> None:
    console.print(
        f"reachable set: {rs.src} -> {rs.dst}, protocol {rs.protocol}"
        + (f", port {rs.port}" if rs.port else "")
        + (", one-way" if rs.one_way else ", connection (reply checked)")
    )
    if rs.boxes:
        t = _box_table("packets that get through", rs.boxes)
        for b in rs.boxes:
            t.add_row(*_box_row(b))
        console.print(t)
    else:
        console.print("no packet gets through")
    for why in rs.unknown_paths:
        console.print(f"[yellow]not known:[/] {why}", markup=True)
    if rs.status != "complete":
        console.print(f"[bold yellow]status: unknown[/] — {rs.reason}", markup=True)


def render_exposure(ex: Exposure, console: Console) -> None:
    console.print(f"exposure from {ex.origin}")
    for r in ex.resources:
        name = f" ({r.name})" if r.name else ""
        head = f"{r.id}{name} [{r.kind}] {', '.join(r.interfaces)}"
        if not r.reachable and r.status != "complete":
            console.print(f"[yellow]{head}: unknown — {r.reason}[/]", markup=True)
            continue
        if not r.reachable:
            console.print(f"[dim]{head}: not reachable — {r.reason}[/]", markup=True)
            continue
        t = _box_table(head, r.boxes)
        for b in r.boxes:
            t.add_row(*_box_row(b))
        console.print(t)
        if r.status != "complete":
            console.print(f"[yellow]  unknown:[/] {r.reason or ''}", markup=True)
        for why in r.unknown_paths:
            console.print(f"[yellow]  not known:[/] {why}", markup=True)
    s = ex.summary()
    summary = Table(title="summary", title_justify="left", pad_edge=False)
    summary.add_column("")
    summary.add_column("count", justify="right")
    summary.add_row("resources", str(s["resources"]))
    summary.add_row("reachable", str(s["reachable"]))
    summary.add_row("not reachable", str(s["not_reachable"]))
    summary.add_row("unknown", str(s["unknown"]))
    for service, n in list(s["services"].items())[:20]:
        summary.add_row(f"  {service}", str(n))
    console.print(summary)


def render_diff(d: SnapshotDiff, console: Console) -> None:
    console.print(f"reachability diff from {d.origin}: {d.old} -> {d.new}")
    if not d.pairs:
        console.print(f"no change ({d.pairs_compared} pairs compared)")
    for p in d.pairs:
        for label, changes, other in (
            ("now reachable", p.added, "blocked in old"),
            ("no longer reachable", p.removed, "blocked in new"),
        ):
            if not changes:
                continue
            t = _box_table(f"{p.src} -> {p.dst}: {label}", [c.box for c in changes], other)
            for c in changes:
                t.add_row(*_box_row(c.box), c.blocked_in_other)
            console.print(t)
        if p.status != "complete":
            console.print(f"[yellow]{p.src} -> {p.dst}: unknown — {p.reason}[/]", markup=True)
    added = sum(len(p.added) for p in d.pairs)
    removed = sum(len(p.removed) for p in d.pairs)
    console.print(f"{added} box(es) now reachable, {removed} no longer reachable")
