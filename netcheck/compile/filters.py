"""Encoders for packet filters: network ACLs (stateless, first match) and security groups
(stateful, union of rules, group references, prefix lists).

Input: model objects and a `SymPacket`. Output: a guard formula (the filter lets the packet
through) and the labelled `Rule`s that decide it.

Example: a NACL with ingress entries 100 deny tcp/22 from 0.0.0.0/0 and 200 allow all gives
the guard `¬m100 ∧ m200` where `m_n` is "entry n matches"; rule 100 decides when `m100`.
"""

from __future__ import annotations

from collections.abc import Callable

import z3

from netcheck.compile.packet import (
    Space,
    SymPacket,
    decide,
    ip_in,
    ip_in_runs,
    ip_in_space,
    port_in,
)
from netcheck.compile.steps import Rule
from netcheck.model.addresses import Family, IPPrefix
from netcheck.model.base import ALL_PROTOCOLS, ICMP, TCP, UDP, protocol_name
from netcheck.model.filtering import (
    Direction,
    NaclEntry,
    NetworkAcl,
    RuleAction,
    SecurityGroupRule,
)
from netcheck.model.gateways import PrefixList
from netcheck.model.intervals import IntervalSet
from netcheck.model.network import Network


def _protocol_match(
    p: SymPacket,
    protocol: int,
    port_range: object,
    icmp_type: int | None,
    icmp_code: int | None,
) -> z3.BoolRef:
    """Protocol part shared by NACL entries and SG rules: -1 all; TCP/UDP with a port range
    on `dst_port`; ICMP with type/code (-1 or None = any); another number = that protocol."""
    if protocol == ALL_PROTOCOLS:
        return z3.BoolVal(True)
    parts = [p.protocol == protocol]
    if protocol in (TCP, UDP):
        parts.append(port_in(p.dst_port, port_range))  # type: ignore[arg-type]
    elif protocol == ICMP:
        if icmp_type is not None and icmp_type != -1:
            parts.append(p.icmp_type == icmp_type)
        if icmp_code is not None and icmp_code != -1:
            parts.append(p.icmp_code == icmp_code)
    return z3.And(*parts)


def _protocol_decided(
    protocol: int,
    port_range: object,
    icmp_type: int | None,
    icmp_code: int | None,
    known: dict[str, Space],
) -> bool | None:
    """`_protocol_match` decided in Python from the known protocol / destination port
    spaces: True (every packet matches), False (none does) or None (build the term)."""
    if protocol == ALL_PROTOCOLS:
        return True
    proto = decide(known.get("protocol"), protocol, protocol)
    if proto is False:
        return False
    if protocol in (TCP, UDP):
        ports = (
            True
            if port_range is None
            else decide(known.get("dst_port"), port_range.start, port_range.end)  # type: ignore[attr-defined]
        )
        if ports is False:
            return False
        return True if proto is True and ports is True else None
    if protocol == ICMP and (icmp_type not in (None, -1) or icmp_code not in (None, -1)):
        return None
    return proto


def _filter_text(protocol: int, port_range: object, icmp_type: int | None) -> str:
    proto = protocol_name(protocol)
    if protocol in (TCP, UDP) and port_range is not None:
        return f"{proto}/{port_range}"
    if protocol == ICMP and icmp_type not in (None, -1):
        return f"icmp type {icmp_type}"
    return proto


def nacl_entry_match(
    entry: NaclEntry, p: SymPacket, known: dict[str, Space] | None = None
) -> z3.BoolRef:
    """NACL entry matching: ingress on `src_ip`, egress on `dst_ip`. With `known` (field ->
    the values it can take, if known) the parts it settles are decided in Python: the result
    is `BoolVal(True/False)` or a term equivalent under those spaces."""
    field = "src_ip" if entry.direction is Direction.INGRESS else "dst_ip"
    addr = p.src_ip if entry.direction is Direction.INGRESS else p.dst_ip
    if known:
        proto = _protocol_decided(
            entry.protocol, entry.port_range, entry.icmp_type, entry.icmp_code, known
        )
        where = ip_in_space(addr, entry.cidr, known.get(field), p.family)
        if proto is False or z3.is_false(where):
            return z3.BoolVal(False)
        if proto is True:
            return where
        return z3.And(
            _protocol_match(p, entry.protocol, entry.port_range, entry.icmp_type, entry.icmp_code),
            where,
        )
    return z3.And(
        _protocol_match(p, entry.protocol, entry.port_range, entry.icmp_type, entry.icmp_code),
        ip_in(addr, entry.cidr, p.family),
    )


def nacl_check(
    acl: NetworkAcl,
    direction: Direction,
    p: SymPacket,
    known: dict[str, Space] | None = None,
) -> tuple[z3.BoolRef, list[Rule]]:
    """AWS NACL: entries in increasing rule number, the first match decides, no match is the
    implicit `*` deny. Returns (allowed, rules) where each rule's `cond` is "this entry is
    the first match" and the final `*` rule decides when no entry matches. With `known`,
    an entry no packet of the query matches has cond False and constrains no later entry;
    after an entry every packet matches, later entries and `*` have cond False."""
    rules: list[Rule] = []
    none_before: list[z3.BoolRef] = []
    allowed: list[z3.BoolRef] = []
    covered = False
    for entry in acl.ordered(direction):
        m = z3.BoolVal(False) if covered else nacl_entry_match(entry, p, known)
        if z3.is_false(m):
            first = m
        elif z3.is_true(m):
            covered = True
            first = z3.And(*none_before) if none_before else m
        else:
            first = z3.And(*none_before, m) if none_before else m
        text = (
            f"{acl.id} {direction.value} rule {entry.rule_text}: {entry.action.value} "
            f"{_filter_text(entry.protocol, entry.port_range, entry.icmp_type)} "
            f"{'from' if direction is Direction.INGRESS else 'to'} {entry.cidr}"
        )
        allows = entry.action is RuleAction.ALLOW
        rules.append(
            Rule(
                f"nacl:{acl.id}:{direction.value}:rule={entry.rule_text}",
                entry.rule_text,
                text,
                first,
                allows,
            )
        )
        if allows and not z3.is_false(first):
            allowed.append(first)
        if not z3.is_false(m) and not z3.is_true(m):
            none_before.append(z3.Not(m))
    if covered:
        default = z3.BoolVal(False)
    else:
        default = z3.And(*none_before) if none_before else z3.BoolVal(True)
    rules.append(
        Rule(
            f"nacl:{acl.id}:{direction.value}:rule=*",
            "*",
            f"{acl.id} {direction.value} rule *: deny (no entry matches)",
            default,
            False,
        )
    )
    return (z3.Or(*allowed) if allowed else z3.BoolVal(False)), rules


# The private addresses (IPv4 integers) a reference to a group matches at one interface, in
# one direction, for one way of arriving (see compile/hops/security_group.py).
Members = Callable[[str], IntervalSet]


def sg_peer_match(
    network: Network,
    rule: SecurityGroupRule,
    addr: z3.BitVecRef,
    space: Space | None = None,
    family: Family = Family.V4,
    members: Members | None = None,
) -> z3.BoolRef:
    """The remote address (`addr`, of `family`) matches the rule's peer: a CIDR, a prefix
    list entry, or a private address of an interface carrying the referenced group (those
    `members` gives; default: every interface of the snapshot carrying it). `space`: the
    values `addr` can take (if known); tests it settles are decided in Python (equivalent
    under it). Peers of the other family never match."""
    if rule.cidr is not None:
        return ip_in_space(addr, rule.cidr, space, family)
    if rule.prefix_list_id is not None:
        pl = network.get(rule.prefix_list_id)
        entries: tuple[IPPrefix, ...] = getattr(pl, "entries", ())
        # Entries of the other family are left out (rather than given as False terms).
        nets = [ip_in_space(addr, e, space, family) for e in entries if e.version == family.value]
        return z3.Or(*nets) if nets else z3.BoolVal(False)
    if rule.group_id is not None:
        if family is not Family.V4:
            # A group reference matches the members' private addresses, which are IPv4
            # (`PrivateAddress.address`); their IPv6 addresses are matched with issue #10.
            return z3.BoolVal(False)
        runs = (members or network.group_address_runs)(rule.group_id)
        return ip_in_runs(addr, runs, space)
    return z3.BoolVal(False)


def sg_rule_match(
    network: Network,
    rule: SecurityGroupRule,
    p: SymPacket,
    space: Space | None = None,
    members: Members | None = None,
) -> z3.BoolRef:
    addr = p.src_ip if rule.direction is Direction.INGRESS else p.dst_ip
    return z3.And(
        _protocol_match(p, rule.protocol, rule.port_range, rule.icmp_type, rule.icmp_code),
        sg_peer_match(network, rule, addr, space, p.family, members),
    )


def sg_check(
    network: Network,
    group_ids: tuple[str, ...],
    direction: Direction,
    p: SymPacket,
    space: Space | None = None,
    members: Members | None = None,
) -> tuple[z3.BoolRef, list[Rule]]:
    """AWS security groups: the packet is allowed iff some rule of some group of the
    interface matches (`ENI_SG_RULES_MISMATCH` otherwise). Ingress rules match `src_ip`,
    egress rules `dst_ip`; `space` is what that address can be (if known); `members` the
    addresses a group reference matches (default: every member of the group)."""
    rules: list[Rule] = []
    for gid in sorted(group_ids):
        sg = network.get(gid)
        for r in getattr(sg, direction.value, ()) if sg is not None else ():
            rid = r.rule_id if r.rule_id.startswith(gid) else f"{gid}:{r.rule_id}"
            text = (
                f"{rid}: allow {_filter_text(r.protocol, r.port_range, r.icmp_type)} "
                f"{'from' if direction is Direction.INGRESS else 'to'} {r.peer_text}"
                + (f" ({r.description})" if r.description else "")
            )
            rules.append(
                Rule(
                    f"sg:{gid}:{direction.value}:{r.rule_id}",
                    rid,
                    text,
                    sg_rule_match(network, r, p, space, members),
                    True,
                )
            )
    allowed = z3.Or(*(r.cond for r in rules)) if rules else z3.BoolVal(False)
    return allowed, rules


def prefix_list_gap(network: Network, pl_id: str) -> str | None:
    """Why the entries of prefix list `pl_id` are unknown (the reason names the command that
    supplies them), or None when the snapshot has them. docs/semantics/forwarding.md
    "Unknown because missing"."""
    pl = network.get(pl_id)
    if not isinstance(pl, PrefixList):
        return (
            f"prefix list {pl_id} is not in the snapshot (aws ec2 describe-managed-prefix-lists; "
            f"aws ec2 get-managed-prefix-list-entries --prefix-list-id {pl_id})"
        )
    if not pl.entries_known:
        return (
            f"{pl_id} has no entries in the snapshot (aws ec2 get-managed-prefix-list-entries "
            f"--prefix-list-id {pl_id})"
        )
    return None


def sg_unknown_rules(
    network: Network, group_ids: tuple[str, ...], direction: Direction, p: SymPacket
) -> list[tuple[str, str, z3.BoolRef]]:
    """Rules of the groups whose peer is a prefix list with unknown entries, as
    (prefix list id, reason, "the rule's protocol and ports match"): such a rule may or may
    not match the remote address, so a packet that only it could allow is `unknown`."""
    out: list[tuple[str, str, z3.BoolRef]] = []
    for gid in sorted(group_ids):
        sg = network.get(gid)
        for r in getattr(sg, direction.value, ()) if sg is not None else ():
            if r.prefix_list_id is None:
                continue
            gap = prefix_list_gap(network, r.prefix_list_id)
            if gap is not None:
                cond = _protocol_match(p, r.protocol, r.port_range, r.icmp_type, r.icmp_code)
                out.append((r.prefix_list_id, f"{gap}; rule {r.rule_id} of {gid} uses it", cond))
    return out
