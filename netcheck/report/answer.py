"""Render reachability answers for people (text) and programs (JSON).

Input: an `Answer` from `netcheck.api` (verdict, query, witness or proof or reason).
Output: a rich-rendered hop table with a one-line verdict, or the JSON contract of
`Answer.to_dict()` (top-level `verdict`, `query`, and `witness` / `proof` / `reason`).
Rendering only: no analysis happens here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from netcheck.model.packet import Hop, Packet

if TYPE_CHECKING:
    from netcheck.explain.answer import Answer

_VERDICT_STYLE = {"reachable": "bold green", "unreachable": "bold red", "unknown": "bold yellow"}


def answer_json(answer: Answer) -> str:
    """The JSON document of an answer (stable key order, two-space indent)."""
    return json.dumps(answer.to_dict(), indent=2)


def _hop_table(title: str, hops: Sequence[Hop], start: Packet | None) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, pad_edge=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("component")
    table.add_column("kind", style="cyan")
    table.add_column("action")
    table.add_column("rule / route")
    table.add_column("packet after hop / detail", overflow="fold")
    current = start
    for i, hop in enumerate(hops, 1):
        after = ""
        if hop.packet_out is not None and hop.packet_out != current:
            current = hop.packet_out
            after = str(hop.packet_out)
        # Route hops repeat "<table>: <route>" in their detail; the columns already say it.
        redundant = hop.rule is not None and hop.detail == f"{hop.component_id}: {hop.rule}"
        detail = " ".join(x for x in (after, "" if redundant else hop.detail) if x)
        action_style = "red" if hop.action == "deny" else ""
        table.add_row(
            str(i),
            hop.component_id,
            hop.kind,
            Text(hop.action, style=action_style),
            hop.rule or "",
            detail,
        )
    return table


def _query_line(answer: Answer) -> str:
    q: dict[str, Any] = answer.query.model_dump(mode="json")
    parts = [f"{q.get('src')} -> {q.get('dst')}", f"protocol {q.get('protocol', 'any')}"]
    if q.get("port") is not None:
        parts.append(f"port {q['port']}")
    if q.get("src_port") is not None:
        parts.append(f"src-port {q['src_port']}")
    if q.get("icmp_type") is not None:
        parts.append(f"icmp-type {q['icmp_type']}")
    if q.get("icmp_code") is not None:
        parts.append(f"icmp-code {q['icmp_code']}")
    parts.append("one-way" if q.get("one_way") else "connection (reply checked)")
    return ", ".join(parts)


def render_answer_text(answer: Answer, console: Console) -> None:
    """Print a readable explanation of an answer: hop tables, blockers, one-line verdict."""
    console.print(Text("query: ", style="bold") + Text(_query_line(answer)))
    verdict = answer.verdict.value
    if answer.witness is not None:
        w = answer.witness
        console.print(Text("packet: ", style="bold") + Text(str(w.packet)))
        console.print(_hop_table("forward path", w.path, w.packet))
        if w.return_path:
            reply_start = w.final_packet.reply() if w.final_packet is not None else None
            console.print(_hop_table("return path", w.return_path, reply_start))
        if w.nat_ports:
            ports = ", ".join(f"{k}: {v}" for k, v in sorted(w.nat_ports.items()))
            console.print(Text("NAT source ports chosen: ", style="bold") + Text(ports))
        if w.appliance_azs:
            azs = ", ".join(f"{k}: {v}" for k, v in sorted(w.appliance_azs.items()))
            console.print(Text("TGW appliance-mode AZs of the flow: ", style="bold") + Text(azs))
    if answer.proof is not None:
        table = Table(title="blocking components", title_justify="left", pad_edge=False)
        table.add_column("path", justify="right", style="dim")
        table.add_column("component")
        table.add_column("code", style="magenta")
        table.add_column("rule")
        table.add_column("why", overflow="fold")
        for b in answer.proof.blockers:
            table.add_row(
                "" if b.path is None else str(b.path),
                b.component_id,
                b.code,
                b.rule or "",
                b.message,
            )
        console.print(table)
    line = Text("verdict: ", style="bold") + Text(verdict.upper(), style=_VERDICT_STYLE[verdict])
    if answer.reason:
        line += Text(f" — {answer.reason}")
    console.print(line)
