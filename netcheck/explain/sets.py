"""Header-space set results: boxes of packets with a witness each, replayed by the walker.

Input: a `SetOutcome` (netcheck.solve.sets) and the `Network`. Output: `ReachableSet` (the
boxes of one source/destination pair), with `PacketBox`es whose witness is the concrete
walker's trace of one packet of the box (so every witness shown has been replayed).

JSON (`ReachableSet.to_dict()`): `src`, `dst`, `protocol`, `port`, `one_way`, `status`
(`complete` or `unknown`), `reachable`, `boxes` (each `{protocol, dst_ports: [[lo, hi], …],
src_cidrs: […], src_ports, dst_ips, icmp_types, icmp_codes, witness}`), `unknown_paths`
(why some packets' fate is not known), `reason` (when `unknown`), `stats`.

Address dimensions are shown within the query's addresses: `src_cidrs` are the blocks of
the box inside the source's addresses (for the internet, every public address outside the
snapshot: `0.0.0.0/0` means "any internet host"), `dst_ips` inside the destination's.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import summarize_address_range
from typing import Any

from pydantic import BaseModel, ConfigDict

from netcheck.explain.answer import Witness
from netcheck.explain.build import to_packet
from netcheck.model.addresses import Family, IPAddress, IPPrefix, prefix_range
from netcheck.model.base import ICMP, TCP, UDP, protocol_name
from netcheck.model.network import Network
from netcheck.model.packet import Origin, Packet
from netcheck.solve.set_results import BoxValue, Interval, IntervalSet, SetOutcome

__all__ = [
    "PacketBox",
    "ReachableSet",
    "build_set",
    "cidrs_of",
    "clip",
    "protocol_text",
    "walk_witness",
]


# Every protocol number but ICMP (1), TCP (6) and UDP (17).
OTHER_PROTOCOLS = IntervalSet.of_range(0, 255) - [(ICMP, ICMP), (TCP, TCP), (UDP, UDP)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


def _pairs(ivs: Iterable[Interval]) -> list[list[int]]:
    return [[lo, hi] for lo, hi in ivs]


class PacketBox(_Frozen):
    """Packets that all get through: `protocol` x `dst_ports` x `src_cidrs` x `src_ports` x
    `dst_ips` (x ICMP types/codes). Ports are empty for protocols without ports; ICMP
    type/code lists are empty unless the protocol is ICMP. `intervals` holds the exact
    integer intervals per header field (for membership tests; not in the JSON)."""

    protocol: str
    dst_ports: tuple[Interval, ...] = ()
    src_cidrs: tuple[str, ...] = ()
    src_ports: tuple[Interval, ...] = ()
    dst_ips: tuple[str, ...] = ()
    icmp_types: tuple[Interval, ...] = ()
    icmp_codes: tuple[Interval, ...] = ()
    witness: Witness | None = None
    intervals: dict[str, IntervalSet] = {}

    def contains(self, packet: Packet) -> bool:
        """Is `packet` in the box? (The address dimensions are not clipped here: the caller
        checks that the packet belongs to the query — source and destination addresses.)"""
        fixed = _class_fixed(self.intervals)
        values = {
            "protocol": packet.protocol,
            "src_ip": int(packet.src_ip),
            "dst_ip": int(packet.dst_ip),
            "src_port": packet.src_port,
            "dst_port": packet.dst_port,
            "icmp_type": packet.icmp_type,
            "icmp_code": packet.icmp_code,
        }
        dims = {**fixed, **self.intervals}
        return all(ivs.has(values[d]) for d, ivs in dims.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "dst_ports": _pairs(self.dst_ports),
            "src_cidrs": list(self.src_cidrs),
            "src_ports": _pairs(self.src_ports),
            "dst_ips": list(self.dst_ips),
            "icmp_types": _pairs(self.icmp_types),
            "icmp_codes": _pairs(self.icmp_codes),
            "witness": self.witness.model_dump(mode="json") if self.witness else None,
        }


def _class_fixed(intervals: dict[str, IntervalSet]) -> dict[str, IntervalSet]:
    """The fields a box's protocol class fixes (ports 0 unless TCP/UDP, ICMP 0 unless ICMP)."""
    protos = intervals.get("protocol", _NOTHING)
    is_ports = protos.has(TCP) or protos.has(UDP)
    is_icmp = protos.has(ICMP)
    out: dict[str, IntervalSet] = {}
    if not is_ports:
        out["src_port"] = out["dst_port"] = _ZERO
    if not is_icmp:
        out["icmp_type"] = out["icmp_code"] = _ZERO
    return out


_NOTHING = IntervalSet()
_ZERO = IntervalSet.of_range(0, 0)


class ReachableSet(_Frozen):
    """Every packet of a query that gets through, as boxes (the union is exact). `status`
    `complete`, or `unknown` with `reason` (solver limit, unsupported component, or an
    internal disagreement with the walker). `unknown_paths`: some packets end on a component
    that is not modelled — they are not in the boxes, and may or may not get through (the
    status is then `unknown`: the boxes are a part of the set, not all of it)."""

    src: str
    dst: str
    protocol: str = "any"
    port: str | None = None
    one_way: bool = False
    status: str = "complete"
    boxes: tuple[PacketBox, ...] = ()
    unknown_paths: tuple[str, ...] = ()
    reason: str | None = None
    stats: dict[str, float] = {}

    @property
    def reachable(self) -> bool:
        return bool(self.boxes)

    def contains(self, packet: Packet) -> bool:
        return any(b.contains(packet) for b in self.boxes)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "src": self.src,
            "dst": self.dst,
            "protocol": self.protocol,
            "port": self.port,
            "one_way": self.one_way,
            "status": self.status,
            "reachable": self.reachable,
            "boxes": [b.to_dict() for b in self.boxes],
            "unknown_paths": list(self.unknown_paths),
            "stats": dict(self.stats),
        }
        if self.reason is not None:
            d["reason"] = self.reason
        return d


# -- building ---------------------------------------------------------------------------------


def protocol_text(ivs: IntervalSet) -> str:
    """`tcp`, `udp`, `icmp`, a number, or a list of numbers and ranges."""
    if len(ivs) == 1 and ivs[0][0] == ivs[0][1]:
        return protocol_name(ivs[0][0])
    return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in ivs)


def clip(ivs: IntervalSet, within: Iterable[Interval] | None) -> IntervalSet:
    """The set intersected with `within` (None: unchanged)."""
    if within is None:
        return ivs
    return ivs & within


def cidrs_of(ivs: Iterable[Interval], family: Family = Family.V4) -> list[str]:
    """The fewest CIDR blocks covering each run of address values of `family` (a single
    address prints as `a/32`)."""
    out: list[str] = []
    for lo, hi in ivs:
        for net in summarize_address_range(family.address(lo), family.address(hi)):
            out.append(str(net))
    return out


def addresses_within(
    addresses: Iterable[IPAddress], cidrs: Iterable[IPPrefix]
) -> list[Interval] | None:
    """Intervals of explicit addresses and CIDRs (None when both are empty: anything)."""
    out = [(int(a), int(a)) for a in addresses]
    out += [prefix_range(c) for c in cidrs]
    return sorted(set(out)) or None


def walk_witness(
    network: Network,
    packet: Packet,
    origin: Origin,
    nat_ports: dict[str, int],
    one_way: bool,
    appliance_azs: dict[str, str] | None = None,
) -> tuple[Witness, str | None]:
    """The walker's trace of `packet` as a witness, and why it fails (None when it gets
    through, as it must). A set's goal is existential over the AZ a transit gateway picks
    at appliance-mode attachments: without `appliance_azs`, the first AZ assignment that
    gets through (else the first's trace)."""
    from netcheck.walk import appliance_choices, walk_connection

    choices = [appliance_azs] if appliance_azs is not None else appliance_choices(network)
    azs = choices[0]
    trace = walk_connection(
        network, packet, origin, one_way=one_way, nat_ports=nat_ports or None, appliance_azs=azs
    )
    for other in choices[1:]:
        if trace.success:
            break
        again = walk_connection(
            network,
            packet,
            origin,
            one_way=one_way,
            nat_ports=nat_ports or None,
            appliance_azs=other,
        )
        if again.success:
            trace, azs = again, other
    fwd = trace.forward
    witness = Witness(
        packet=packet,
        origin=str(origin),
        path=fwd.hops,
        return_path=trace.reply.hops if trace.reply is not None else (),
        final_packet=fwd.final_packet,
        nat_ports=dict(nat_ports),
        appliance_azs=dict(azs),
        disposition=fwd.disposition.kind.value,
        destination=fwd.disposition.component_id,
        one_way=trace.reply is None,
    )
    if trace.success:
        return witness, None
    end = trace.reply.disposition if fwd.success and trace.reply else fwd.disposition
    return witness, f"{end.kind.value} at {end.component_id} ({end.code or end.reason})"


def box_of(
    network: Network, b: BoxValue, *, clips: dict[str, list[Interval]], one_way: bool
) -> tuple[PacketBox, str | None]:
    """The typed box: every dimension clipped to the query's own values (`clips`: the
    addresses and ports the query names; dimensions grow freely outside them)."""
    clips = dict(clips)
    if b.protocol_class == "other":
        # "Every other protocol": the class leaves out ICMP, TCP and UDP.
        clips["protocol"] = list(clip(OTHER_PROTOCOLS, clips.get("protocol")))
    dims = {d: clip(ivs, clips.get(d)) for d, ivs in b.dims.items()}
    if b.protocol_class == "tcp":
        dims["protocol"] = IntervalSet.of_range(TCP, TCP)
    elif b.protocol_class == "udp":
        dims["protocol"] = IntervalSet.of_range(UDP, UDP)
    elif b.protocol_class == "icmp":
        dims["protocol"] = IntervalSet.of_range(ICMP, ICMP)
    ports = b.protocol_class in ("tcp", "udp")
    icmp = b.protocol_class == "icmp"
    packet = to_packet(b.witness)
    witness, why = walk_witness(network, packet, b.origin, b.nat_ports, one_way)
    box = PacketBox(
        protocol=protocol_text(dims["protocol"]),
        dst_ports=dims["dst_port"] if ports else (),
        src_ports=dims["src_port"] if ports else (),
        src_cidrs=tuple(cidrs_of(dims["src_ip"])),
        dst_ips=tuple(cidrs_of(dims["dst_ip"])),
        icmp_types=dims["icmp_type"] if icmp else (),
        icmp_codes=dims["icmp_code"] if icmp else (),
        witness=witness,
        intervals=dims,
    )
    return box, (f"the walker does not confirm the witness {packet}: {why}" if why else None)


def _sort_key(b: PacketBox) -> tuple:
    order = {"tcp": 0, "udp": 1, "icmp": 2}
    return (order.get(b.protocol, 3), b.protocol, b.dst_ports, b.src_cidrs, b.dst_ips)


def build_set(
    network: Network,
    outcome: SetOutcome,
    *,
    src: str,
    dst: str,
    protocol: str = "any",
    port: str | None = None,
    one_way: bool = False,
    clips: dict[str, list[Interval]] | None = None,
    seconds: float = 0.0,
) -> ReachableSet:
    """The typed result (`clips`: per header field the values the query allows, e.g.
    `{"src_ip": [(lo, hi)], "dst_port": [(443, 443)]}`); a witness the walker does not
    confirm makes the status `unknown` with reason "internal disagreement … (bug)" (the box
    is kept so the bug can be seen). Packets of the query that end where the model cannot
    follow them (`unknown_paths`) make the status `unknown` too: the boxes are still packets
    that get through, but whether those others do is not known, so the set is not complete."""
    boxes: list[PacketBox] = []
    problems: list[str] = []
    for b in outcome.boxes:
        box, why = box_of(network, b, clips=clips or {}, one_way=one_way)
        boxes.append(box)
        if why:
            problems.append(why)
    status, reason = outcome.status, outcome.reason
    if problems:
        status = "unknown"
        reason = (
            "internal disagreement between the solver and the concrete walker (bug): "
            + (problems[0])
        )
    elif status == "complete" and outcome.unknown_reasons:
        status = "unknown"
        reason = (
            f"some packets end where the model cannot follow them: {outcome.unknown_reasons[0]}"
        )
    return ReachableSet(
        src=src,
        dst=dst,
        protocol=protocol,
        port=port,
        one_way=one_way,
        status=status,
        boxes=tuple(sorted(boxes, key=_sort_key)),
        unknown_paths=tuple(outcome.unknown_reasons),
        reason=reason,
        stats={
            "boxes_before_merge": outcome.raw_boxes,
            "solver_checks": outcome.checks,
            "seconds": round(seconds, 3),
        },
    )
