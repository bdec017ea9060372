"""Question: what can the origin reach, on which protocols, ports and source ranges — for
every interface-bearing resource of the snapshot (issue #4, part 2).

Input: a snapshot and `ExposureParams` (origin: `internet`, a CIDR or a resource).
Output: `Exposure` (netcheck.explain.exposure): per resource (interfaces grouped by owner:
instance, RDS, NAT gateway, endpoint, load balancer… or the interface itself) the exact boxes
of packets that get through with a witness each, or a one-line reason when nothing does.

Interfaces that behave identically are solved once (`interface_classes`, explained with the
soundness argument in docs/semantics/exposure.md): same subnet, same security groups, same
shape of addresses (which private addresses have a public IP), and every address in the same
elementary interval of the snapshot's CIDR boundaries as the corresponding address of the
other. The boxes of the representative carry over with the destination addresses renamed;
every carried-over witness is replayed by the walker on the member itself.

    >>> exposure(netcheck.load("fixtures/three-tier")).resources[0].id        # doctest: +SKIP
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from netcheck.compile.headerspace import cut_points, security_group_boxes, snapshot_public_ips
from netcheck.compile.index import NetworkIndex
from netcheck.errors import MissingResource
from netcheck.explain.exposure import Exposure, ResourceExposure
from netcheck.explain.sets import PacketBox, ReachableSet, build_set, cidrs_of, walk_witness
from netcheck.model.addresses import Family, IPAddress, prefix_range
from netcheck.model.base import NON_PUBLIC_RANGES
from netcheck.model.filtering import Direction, SecurityGroup, SecurityGroupRule
from netcheck.model.interfaces import InterfaceOwnerKind, NetworkInterface
from netcheck.model.intervals import IntervalSet
from netcheck.model.network import Network
from netcheck.model.packet import OriginKind
from netcheck.model.resolve import Destination, Header, Source, resolve_sources
from netcheck.questions.options import build_params
from netcheck.questions.reachable_set import clips_for, index_of, network_of, solve_pair
from netcheck.solve.engine import Request, run
from netcheck.solve.set_results import BoxValue, SetOutcome
from netcheck.solve.sets import intersect_sets

__all__ = ["ExposureParams", "exposure", "interface_classes", "resources_of"]

Progress = Callable[[int, int], None]


class ExposureParams(BaseModel):
    """`origin`: `internet` (default), a CIDR (outside hosts in it), or a resource / address
    of the snapshot (its interfaces send). Every protocol, port and source address of the
    origin is considered; the answer lists, per resource, exactly what gets through."""

    # An unknown field is an error (a misspelt option must not change the question).
    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: str = "internet"
    timeout_ms: int = 120000
    # Solve interfaces that behave identically once (False: every interface on its own).
    group_interfaces: bool = True


def resources_of(network: Network) -> list[tuple[str, str, str | None, list[NetworkInterface]]]:
    """(id, kind, name, interfaces) per interface-bearing resource, sorted by id: interfaces
    grouped by their owner (instance, RDS instance, NAT gateway, endpoint …); an interface
    with no known owner stands for itself."""
    groups: dict[str, list[NetworkInterface]] = {}
    kinds: dict[str, str] = {}
    for eni in network.network_interfaces:
        rid = eni.owner_id or eni.id
        groups.setdefault(rid, []).append(eni)
        kinds.setdefault(rid, eni.owner_kind.value if eni.owner_id else "network-interface")
    out = []
    for rid in sorted(groups):
        r = network.get(rid)
        out.append((rid, kinds[rid], r.name if r is not None else None, groups[rid]))
    return out


def interface_classes(
    network: Network,
    singles: set[str],
    extra_cidrs: list[Any] = (),  # type: ignore[assignment]
) -> list[list[NetworkInterface]]:
    """Interfaces that behave identically towards any packet from an origin outside them
    (see docs/semantics/exposure.md): same subnet, security groups and source/destination
    check, same address shape, corresponding addresses in the same elementary interval of the
    snapshot's CIDR boundaries. `singles` (origin interfaces, route targets, NAT gateway
    interfaces, shared addresses) each form their own class. Members sorted by id."""
    cuts = cut_points(network, extra_cidrs, addresses=False)["dst_ip"]
    owners: dict[IPAddress, int] = {}
    for e in network.network_interfaces:
        for a in (*e.addresses, *e.public_ips):
            owners[a] = owners.get(a, 0) + 1
    for n in network.nat_gateways:
        for na in n.addresses:
            for nat_ip in (na.private_ip, na.public_ip):
                if nat_ip is not None:
                    owners[nat_ip] = owners.get(nat_ip, 0) + 1
    classes: dict[tuple, list[NetworkInterface]] = {}
    for e in sorted(network.network_interfaces, key=lambda e: e.id):
        shared = any(owners.get(a, 0) > 1 for a in (*e.addresses, *e.public_ips))
        if (
            e.id in singles
            or (e.owner_id or "") in singles
            or shared
            or e.owner_kind is InterfaceOwnerKind.NAT_GATEWAY
            # Delegated prefixes are address ranges the renaming below does not map.
            or e.ipv4_prefixes
        ):
            key: tuple = ("single", e.id)
        else:
            key = (*placement(e, cuts), tuple(sorted(e.group_ids)))
        classes.setdefault(key, []).append(e)
    return sorted(classes.values(), key=lambda c: c[0].id)


def placement(e: NetworkInterface, cuts: list[int]) -> tuple:
    """Where an interface sits, as far as any rule of the snapshot can tell: its subnet,
    source/destination check, and per private address (in order) whether it is primary and
    the elementary intervals of the CIDR boundaries holding it and its public IP."""
    shape = tuple(
        (
            pa.primary,
            bisect_right(cuts, int(pa.address)),
            None if pa.public_ip is None else bisect_right(cuts, int(pa.public_ip)),
        )
        for pa in e.private_addresses
    )
    # An unattached interface answers nothing and delegated prefixes are owned addresses:
    # neither is shared with an interface placed otherwise alike.
    return (e.subnet_id, e.source_dest_check, shape, e.attached, e.ipv4_prefixes)


def _route_targets(network: Network) -> set[str]:
    return {r.target_id for t in network.route_tables for r in t.routes if r.target_id}


def _destination(e: NetworkInterface) -> Destination:
    return Destination(
        addresses=(*e.addresses, *e.public_ips), cidrs=e.ipv4_prefixes, interface_ids=(e.id,)
    )


def _address_map(rep: NetworkInterface, m: NetworkInterface) -> dict[int, int]:
    out: dict[int, int] = {}
    for a, b in zip(rep.private_addresses, m.private_addresses, strict=True):
        out[int(a.address)] = int(b.address)
        if a.public_ip is not None and b.public_ip is not None:
            out[int(a.public_ip)] = int(b.public_ip)
    return out


def _renamed(
    network: Network, box: PacketBox, amap: dict[int, int], member: str, one_way: bool
) -> tuple[PacketBox, str | None]:
    """The representative's box for a member: destination addresses renamed, the witness
    walked again on the member."""
    dst = sorted(amap[x] for lo, hi in box.intervals["dst_ip"] for x in range(lo, hi + 1))
    # `dst_ips` lists the renamed addresses one by one (each `a/32`), as it always has.
    points = [(x, x) for x in dst]
    intervals = {**box.intervals, "dst_ip": IntervalSet.of_values(dst)}
    witness, why = box.witness, None
    if box.witness is not None:
        packet = box.witness.packet
        moved = packet.model_copy(
            update={"dst_ip": _address_like(packet.dst_ip, amap.get(int(packet.dst_ip)))}
        )
        origin = _origin_of(box)
        witness, why = walk_witness(
            network,
            moved,
            origin,
            dict(box.witness.nat_ports),
            one_way,
            dict(box.witness.appliance_azs) or None,
        )
        if why is None and witness.destination != member:
            why = f"delivered to {witness.destination}, not {member}"
    renamed = box.model_copy(
        update={"dst_ips": tuple(cidrs_of(points)), "intervals": intervals, "witness": witness}
    )
    return renamed, why


def _address_like(address: IPAddress, value: int | None) -> IPAddress:
    """The address of `address`'s family with integer `value` (None: `address` itself)."""
    return address if value is None else type(address)(value)


def _origin_of(box: PacketBox) -> Any:
    from netcheck.model.packet import Origin

    assert box.witness is not None
    return Origin.parse(box.witness.origin)


def _reason(
    network: Network,
    sources: tuple[Source, ...],
    rep: NetworkInterface,
    rs: ReachableSet | None,
    index: NetworkIndex | None = None,
) -> str:
    """One line: why nothing from the origin reaches the interface."""
    if rs is None:
        pass
    elif rs.status != "complete":
        return f"unknown: {rs.reason}"
    if rs is not None and rs.unknown_paths:
        return (
            f"unknown: some packets end on a component that is not modelled ({rs.unknown_paths[0]})"
        )
    if all(s.origin.kind is OriginKind.INTERNET for s in sources) and not rep.public_ips:
        return "no public IP address (the internet reaches an interface only through one)"
    out = run(
        Request(
            network=network,
            sources=sources,
            destination=_destination(rep),
            header=Header(),
            index=index,
        )
    )
    if out.verdict == "unreachable" and out.blockers:
        b = out.blockers[0]
        return f"{b.message} [{b.code}]"
    return "no packet of the origin gets through and back"


NO_PUBLIC_IP = "no public IP address (the internet reaches an interface only through one)"
OPEN_GROUP = "sg-netcheck-open"


def _opened(network: Network, rep: NetworkInterface) -> Network:
    """The network with `rep`'s security groups replaced by one group that allows
    everything: what reaches it then is what the subnet's paths let through."""
    rules = tuple(
        SecurityGroupRule(
            rule_id=f"{OPEN_GROUP}:{d.value}",
            direction=d,
            protocol=-1,
            cidr=Family.V4.everything,
        )
        for d in (Direction.INGRESS, Direction.EGRESS)
    )
    group = SecurityGroup(id=OPEN_GROUP, vpc_id=rep.vpc_id, ingress=rules[:1], egress=rules[1:])
    enis = tuple(
        e.model_copy(update={"group_ids": (OPEN_GROUP,)}) if e.id == rep.id else e
        for e in network.network_interfaces
    )
    return network.model_copy(
        update={"security_groups": (*network.security_groups, group), "network_interfaces": enis}
    )


def _moved(b: BoxValue, amap: dict[int, int]) -> BoxValue:
    """A box of one interface for another of the same placement: destination addresses
    renamed by `amap`."""
    dst = [amap[x] for x in amap if b.dims["dst_ip"].has(x)]
    return BoxValue(
        b.protocol_class,
        {**b.dims, "dst_ip": IntervalSet.of_values(dst)},
        b.witness,
        b.origin,
        b.nat_ports,
    )


def public_placement(e: NetworkInterface, cuts: list[int]) -> tuple:
    """`placement` restricted to the private addresses that carry a public IP (in order):
    all the internet can reach of an interface."""
    shape = tuple(
        (pa.primary, bisect_right(cuts, int(pa.address)), bisect_right(cuts, int(pa.public_ip)))
        for pa in e.private_addresses
        if pa.public_ip is not None
    )
    return (e.subnet_id, e.source_dest_check, shape, e.attached, e.ipv4_prefixes)


def _public_map(rep: NetworkInterface, m: NetworkInterface) -> dict[int, int]:
    """`_address_map` over the addresses with a public IP only (same `public_placement`)."""
    out: dict[int, int] = {}
    mine = [pa for pa in rep.private_addresses if pa.public_ip is not None]
    theirs = [pa for pa in m.private_addresses if pa.public_ip is not None]
    for a, b in zip(mine, theirs, strict=True):
        assert a.public_ip is not None and b.public_ip is not None
        out[int(a.address)] = int(b.address)
        out[int(a.public_ip)] = int(b.public_ip)
    return out


def _public_only(outcome: SetOutcome, rep: NetworkInterface) -> bool:
    """Whether every destination of `outcome`'s boxes is an address of `rep` that carries a
    public IP, or such a public IP (so the boxes carry over by `_public_map`)."""
    ok = {int(pa.address) for pa in rep.private_addresses if pa.public_ip is not None}
    ok |= {int(pa.public_ip) for pa in rep.private_addresses if pa.public_ip is not None}
    other = [int(a) for a in (*rep.addresses, *rep.public_ips) if int(a) not in ok]
    return not any(
        lo <= x <= hi for b in outcome.boxes for lo, hi in b.dims["dst_ip"] for x in other
    )


class _Decomposed:
    """From the internet, what reaches an interface is (what its subnet's paths let through,
    for any interface placed like it) ∩ (what its security groups let in): the packet arrives
    unchanged but for the destination address, which SG rules never look at. The first part
    is solved once per placement, the second once per set of groups; their intersection is
    exact, and every witness of it is walked on the real interface."""

    def __init__(
        self,
        network: Network,
        sources: tuple[Source, ...],
        cuts: dict,
        timeout_ms: int,
        index: NetworkIndex | None = None,
    ) -> None:
        self.network, self.sources, self.cuts, self.timeout_ms = network, sources, cuts, timeout_ms
        self.index = index
        self.by_placement: dict[tuple, tuple[NetworkInterface, SetOutcome]] = {}
        self.class_cuts = cut_points(
            network, [c for s in sources for c in s.cidrs], addresses=False
        )["dst_ip"]
        self.solved = 0
        self.reasons: dict[tuple, str] = {}
        # Per (groups, VPC): the packets the groups let in (references match own-VPC members).
        self.group_boxes: dict[
            tuple[tuple[str, ...], str], list[tuple[str, dict[str, IntervalSet]]]
        ] = {}
        self.unshareable: set[tuple] = set()
        self.src_ok = _source_space(sources, network)

    def applies(self, rep: NetworkInterface) -> bool:
        return all(isinstance(self.network.get(g), SecurityGroup) for g in rep.group_ids)

    def key(self, rep: NetworkInterface) -> tuple:
        """The placement of `rep` for the subnet's paths: from the internet only the
        addresses with a public IP can be reached (the IGW maps nothing else), so the
        private-only addresses do not split placements — unless a solved placement showed
        a box reaching one of its own private-only addresses, then the full placement."""
        full = placement(rep, self.class_cuts)
        if rep.owner_kind is InterfaceOwnerKind.NAT_GATEWAY or not rep.public_ips:
            return full
        public = ("public", *public_placement(rep, self.class_cuts))
        return full if public in self.unshareable else public

    def outcome(self, rep: NetworkInterface) -> SetOutcome:
        key = self.key(rep)
        if key not in self.by_placement:
            opened = _opened(self.network, rep)
            solved = solve_pair(
                opened,
                self.sources,
                _destination(rep),
                Header(),
                timeout_ms=self.timeout_ms,
                cuts=self.cuts,
            )
            self.solved += 1
            if key[0] == "public" and not _public_only(solved, rep):
                self.unshareable.add(key)
                key = self.key(rep)
            self.by_placement[key] = (rep, solved)
        first, paths = self.by_placement[key]
        if first.id != rep.id:
            amap = _address_map(first, rep) if key[0] != "public" else _public_map(first, rep)
            paths = SetOutcome(
                paths.status,
                [_moved(b, amap) for b in paths.boxes],
                list(paths.unknown_reasons),
                paths.reason,
                paths.checks,
                paths.raw_boxes,
            )
        groups = tuple(sorted(rep.group_ids))
        gkey = (groups, rep.vpc_id)
        if gkey not in self.group_boxes:
            self.group_boxes[gkey] = [
                (cls, {d: IntervalSet(ivs) for d, ivs in dims.items()})
                for cls, dims in security_group_boxes(self.network, groups, rep.vpc_id)
            ]
        return intersect_sets(paths, self.group_boxes[gkey], self.src_ok)

    def uncertain(self, rep: NetworkInterface) -> bool:
        """Do some packets of `rep`'s placement end where the model cannot follow them? The
        placement's paths are solved with the groups opened, so such packets may be ones the
        groups stop anyway: the interface is then solved on its own (with its groups), which
        tells exactly whether a packet the groups let in has an unknown fate."""
        self.outcome(rep)
        _first, paths = self.by_placement[self.key(rep)]
        return bool(paths.unknown_reasons)

    def reason(self, rep: NetworkInterface) -> str:
        """Why nothing gets through: the subnet's paths (once per placement), else the
        security groups."""
        key = self.key(rep)
        first, paths = self.by_placement[key]
        if paths.status != "complete":
            return f"unknown: {paths.reason}"
        if paths.boxes:
            groups = ", ".join(sorted(rep.group_ids)) or "none"
            return (
                f"security groups of {rep.id} ({groups}) allow none of the packets its subnet "
                "lets through [ENI_SG_RULES_MISMATCH]"
            )
        if key not in self.reasons:
            self.reasons[key] = _reason(self.network, self.sources, first, None, self.index)
        return self.reasons[key].replace(first.id, rep.id)


def _source_space(sources: tuple[Source, ...], network: Network) -> IntervalSet:
    """Source addresses of internet origins: public, outside the snapshot, in the sources'
    CIDRs when they name any (as compile.headerspace.origin_universe). Internet origins
    send IPv4 today (the engine's packets are IPv4; issue #10 adds IPv6)."""
    family = Family.V4
    holes = IntervalSet(
        [prefix_range(n) for n in NON_PUBLIC_RANGES if n.version == family.value]
        + [(int(a), int(a)) for a in snapshot_public_ips(network)]
    )
    free = holes.complement(0, family.max_value)
    if any(not s.cidrs for s in sources):
        return free
    return free & [prefix_range(c) for s in sources for c in s.cidrs]


def exposure(
    snapshot: Any,
    origin: str = "internet",
    *,
    progress: Progress | None = None,
    **options: Any,
) -> Exposure:
    """What `origin` reaches, per resource (see the module docstring). `progress(done,
    total)` is called as interfaces are solved. Raises `QueryError` for an unknown origin,
    `TypeError` for an unknown option."""
    params = build_params(
        ExposureParams, "exposure", include=("progress",), origin=origin, **options
    )
    network = network_of(snapshot)
    index = index_of(snapshot)
    t0 = time.perf_counter()
    try:
        sources = resolve_sources(network, params.origin)
    except MissingResource as e:
        # The origin stands for a resource whose interface the snapshot lacks (an RDS
        # instance): what it reaches is unknown for every resource, not bad input.
        return _unknown_everywhere(network, params.origin, e.reason, t0)
    own = {s.origin.interface_id for s in sources if s.origin.interface_id}
    extra = [c for s in sources for c in s.cidrs]
    cuts = cut_points(network, extra)
    singles = {*own, *_route_targets(network)}
    if not params.group_interfaces:
        singles |= {e.id for e in network.network_interfaces}
    classes = interface_classes(network, singles, extra)
    total = sum(len(c) for c in classes)
    per_eni: dict[str, tuple[list[PacketBox], str | None, ReachableSet]] = {}
    done, solved = 0, 0
    internet = all(s.origin.kind is OriginKind.INTERNET for s in sources)
    fast = internet and params.group_interfaces
    split = _Decomposed(network, sources, cuts, params.timeout_ms, index) if fast else None
    for members in classes:
        if all(m.id in own for m in members):
            done += len(members)
            continue
        rep = members[0]
        dst = _destination(rep)
        reason_hint: str | None = None
        if fast and not rep.public_ips and rep.owner_kind is not InterfaceOwnerKind.NAT_GATEWAY:
            # Only a public IP brings an internet packet to an interface (forwarding.md).
            outcome, reason_hint = SetOutcome(), NO_PUBLIC_IP
        elif split is not None and split.applies(rep) and not split.uncertain(rep):
            outcome = split.outcome(rep)
            reason_hint = None if outcome.boxes else split.reason(rep)
            solved += 1
        else:
            outcome = solve_pair(
                network,
                sources,
                dst,
                Header(),
                timeout_ms=params.timeout_ms,
                cuts=cuts,
                index=index,
            )
            reason_hint = None
            solved += 1
        rs = build_set(
            network, outcome, src=params.origin, dst=rep.id, clips=clips_for(sources, dst, Header())
        )
        reason = None if rs.boxes else (reason_hint or _reason(network, sources, rep, rs, index))
        per_eni[rep.id] = (list(rs.boxes), reason, rs)
        for m in members[1:]:
            amap = _address_map(rep, m)
            boxes, problems = [], []
            for b in rs.boxes:
                nb, why = _renamed(network, b, amap, m.id, one_way=False)
                boxes.append(nb)
                if why:
                    problems.append(why)
            mrs = rs
            if problems:
                mrs = rs.model_copy(
                    update={
                        "status": "unknown",
                        "reason": f"internal disagreement (class of {rep.id}): {problems[0]}",
                    }
                )
            mreason = None if boxes else (reason or "").replace(rep.id, m.id)
            per_eni[m.id] = (boxes, mreason, mrs)
        done += len(members)
        if progress is not None:
            progress(done, total)
    resources = []
    for rid, kind, name, enis in resources_of(network):
        enis = [e for e in enis if e.id in per_eni]
        if not enis:
            continue
        resources.append(_resource(rid, kind, name, enis, per_eni))
    return Exposure(
        origin=params.origin,
        resources=tuple(resources),
        stats={
            "interfaces": total,
            "classes_solved": solved,
            "placements_solved": split.solved if split is not None else 0,
            "seconds": round(time.perf_counter() - t0, 3),
        },
    )


def _unknown_everywhere(network: Network, origin: str, reason: str, t0: float) -> Exposure:
    """Every resource `unknown` with `reason` (the origin cannot be placed)."""
    return Exposure(
        origin=origin,
        resources=tuple(
            ResourceExposure(
                id=rid,
                kind=kind,
                name=name,
                interfaces=tuple(sorted(e.id for e in enis)),
                reachable=False,
                reason=reason,
                status="unknown",
            )
            for rid, kind, name, enis in resources_of(network)
        ),
        stats={"interfaces": 0, "seconds": round(time.perf_counter() - t0, 3)},
    )


def _resource(
    rid: str,
    kind: str,
    name: str | None,
    enis: list[NetworkInterface],
    per_eni: dict[str, tuple[list[PacketBox], str | None, ReachableSet]],
) -> ResourceExposure:
    """Union of the interfaces' boxes: boxes equal but for the destination addresses are
    merged (their `dst_ips` joined, the first witness kept)."""
    merged: dict[tuple, PacketBox] = {}
    reasons: list[str] = []
    status, unknown_paths, why = "complete", [], None
    for e in enis:
        boxes, reason, rs = per_eni[e.id]
        if rs.status != "complete":
            status, why = "unknown", rs.reason
        unknown_paths += list(rs.unknown_paths)
        if reason:
            reasons.append(reason if len(enis) == 1 else f"{e.id}: {reason}")
        for b in boxes:
            key = (b.protocol, b.dst_ports, b.src_ports, b.src_cidrs, b.icmp_types, b.icmp_codes)
            if key in merged:
                old = merged[key]
                ivs = old.intervals["dst_ip"] | b.intervals["dst_ip"]
                merged[key] = old.model_copy(
                    update={
                        "dst_ips": tuple(sorted({*old.dst_ips, *b.dst_ips})),
                        "intervals": {**old.intervals, "dst_ip": ivs},
                    }
                )
            else:
                merged[key] = b
    boxes_out = tuple(merged[k] for k in sorted(merged, key=_box_order))
    reachable = bool(boxes_out)
    reason = None
    if not reachable:
        reason = why if status != "complete" and why else "; ".join(dict.fromkeys(reasons))
    return ResourceExposure(
        id=rid,
        kind=kind,
        name=name,
        interfaces=tuple(sorted(e.id for e in enis)),
        reachable=reachable,
        reason=reason,
        boxes=boxes_out,
        status=status,
        unknown_paths=tuple(dict.fromkeys(unknown_paths)),
    )


def _box_order(key: tuple) -> tuple:
    order = {"tcp": 0, "udp": 1, "icmp": 2}
    return (order.get(key[0], 3), *key)
