"""Hop: the internet. Non-public destinations drop (`IGW_DESTINATION_RFC1918`); a public IP
of the snapshot enters its VPC through that VPC's internet gateway, which maps it to the
private address in a fresh packet copy (no IGW: `NO_ROUTE_TO_DESTINATION`); any other
public destination exits to the internet.

Input: the packet copy, the steps so far, the path state. Output: the candidate `Path`s
(docs/semantics/forwarding.md "On the internet").

Example: a packet to 54.1.2.3, the public IP of 10.0.1.5 in vpc-a behind igw-1, takes
`igw:igw-1:ingress` and is delivered in vpc-a (or by igw-1's gateway route table); one to
8.8.8.8 ends `exits-internet` (`internet:exit`).
"""

from __future__ import annotations

import z3

from netcheck.compile.hops import gateway_route_table
from netcheck.compile.hops.block_public_access import BPA_CODE, ingress_allowed
from netcheck.compile.hops.context import HopContext, PathState, Steps
from netcheck.compile.packet import SymPacket, fresh, ip_in_any, ip_is_any, same
from netcheck.compile.steps import Path, Step
from netcheck.model.addresses import IPAddress
from netcheck.model.base import NON_PUBLIC_RANGES
from netcheck.model.hops import HopKind
from netcheck.model.packet import DispositionKind

# Not carried by the internet (forwarding.md "On the internet").
NON_PUBLIC = NON_PUBLIC_RANGES


def is_public(bv: z3.BitVecRef) -> z3.BoolRef:
    """The internet can carry this address (not RFC 1918/6598, loopback, link-local…)."""
    return z3.Not(ip_in_any(bv, list(NON_PUBLIC)))


def on_internet(hc: HopContext, p: SymPacket, steps: Steps, ps: PathState) -> list[Path]:
    """On the internet: non-public destinations drop (`IGW_DESTINATION_RFC1918`); a public
    IP of the snapshot enters through its VPC's IGW (none: drop); else exits."""
    if not hc.ok(steps):
        return []
    out = hc.leaf(
        steps,
        "internet",
        HopKind.INTERNET,
        "internet:non-public",
        z3.Not(is_public(p.dst_ip)),
        p,
        ps,
        "IGW_DESTINATION_RFC1918",
        "the internet does not route to a non-public address",
    )
    owners = hc.index.public_owners
    by_vpc: dict[str, list[tuple[IPAddress, IPAddress]]] = {}
    for pub, vpc_id, priv in owners:
        by_vpc.setdefault(vpc_id, []).append((priv, pub))
    for vpc_id, pairs in sorted(by_vpc.items()):
        igw = hc.net.internet_gateway_of(vpc_id)
        if igw is not None and not _vpc_wanted(hc, vpc_id, igw.id, ps):
            continue
        hit = ip_is_any(p.dst_ip, [b for _, b in pairs])
        if igw is not None:
            blocked = [b for a, b in pairs if not ingress_allowed(hc, vpc_id, a, ps)]
            if blocked:
                out += hc.leaf(
                    steps,
                    igw.id,
                    HopKind.INTERNET_GATEWAY,
                    f"igw:{igw.id}:block-public-access:ingress",
                    ip_is_any(p.dst_ip, blocked),
                    p,
                    ps,
                    BPA_CODE,
                    f"VPC Block Public Access blocks internet traffic into {vpc_id} "
                    f"through {igw.id}",
                )
                pairs = [(a, b) for a, b in pairs if b not in blocked]
                if not pairs:
                    continue
                hit = ip_is_any(p.dst_ip, [b for _, b in pairs])
        if igw is None:
            out += hc.leaf(
                steps,
                vpc_id,
                HopKind.INTERNET,
                f"internet:{vpc_id}:no-igw",
                hit,
                p,
                ps,
                "NO_ROUTE_TO_DESTINATION",
                f"the public address belongs to {vpc_id}, which has no internet gateway",
            )
            continue
        q = fresh("igw-in")
        link = z3.And(
            same(p, q, except_=("dst_ip",)),
            *(z3.Implies(p.dst_ip == int(b), q.dst_ip == int(a)) for a, b in pairs),
        )
        st = Step(
            igw.id,
            HopKind.INTERNET_GATEWAY,
            f"igw:{igw.id}:ingress",
            f"{igw.id} maps the public destination to its private address",
            hit,
            p,
            "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
            (),
            link,
            q,
            action="translate",
        )
        out += gateway_route_table.enter_vpc(hc, vpc_id, igw.id, q, (*steps, st), ps)
    silent = silent_public_ips(hc)
    for pub, cid, code, reason in silent:
        out += hc.leaf(
            steps,
            cid,
            HopKind.INTERNET,
            f"internet:{cid}:{pub}",
            p.dst_ip == int(pub),
            p,
            ps,
            code,
            reason,
        )
    known = [o[0] for o in owners] + [x[0] for x in silent]
    exits = z3.And(is_public(p.dst_ip), z3.Not(ip_is_any(p.dst_ip, known)))
    return out + hc.leaf(
        steps,
        "internet",
        HopKind.INTERNET,
        "internet:exit",
        exits,
        p,
        ps,
        None,
        "exits to the internet",
        DispositionKind.EXITS_INTERNET,
    )


def silent_public_ips(hc: HopContext) -> list[tuple[IPAddress, str, str, str]]:
    """Public IPs of the snapshot that nothing answers behind, with the component, code
    and reason of the drop (forwarding.md "On the internet"): the Elastic IPs kept by
    interfaces of instances that are not running (`INSTANCE_NOT_RUNNING`) and a regional
    NAT gateway's addresses (a NAT gateway accepts no unsolicited inbound traffic,
    `NGW_NO_UNSOLICITED_INBOUND`). A public IP an interface maps is never listed here."""
    mapped = {o[0] for o in hc.index.public_owners}
    out: dict[IPAddress, tuple[IPAddress, str, str, str]] = {}
    for a in hc.net.idle_addresses:
        if a.public_ip not in mapped:
            owner = a.owner_id or a.interface_id or str(a.public_ip)
            out.setdefault(
                a.public_ip,
                (
                    a.public_ip,
                    owner,
                    "INSTANCE_NOT_RUNNING",
                    f"{a.public_ip} belongs to {owner}, which is {a.state}: nothing answers",
                ),
            )
    for n in hc.net.regional_nat_gateways:
        for ip in n.public_ips:
            if ip not in mapped:
                out.setdefault(
                    ip,
                    (
                        ip,
                        n.id,
                        "NGW_NO_UNSOLICITED_INBOUND",
                        f"{ip} is an address of NAT gateway {n.id}, which accepts no "
                        "unsolicited inbound traffic",
                    ),
                )
    return [out[k] for k in sorted(out)]


def _vpc_wanted(hc: HopContext, vpc_id: str, gateway_id: str, ps: PathState) -> bool:
    """Can a packet entering `vpc_id` through `gateway_id` end anywhere the query cares
    about? (A wanted interface, a NAT reversing a reply, or an edge route table.)"""
    if hc.targets is None:
        return True
    if gateway_id in hc.index.edge_gateways:
        return True
    nat_subnets = {x.subnet_id for x in ps.sessions}
    if any(hc.net.subnet(sid).vpc_id == vpc_id for sid in nat_subnets):
        return True
    return any(hc.wanted(e.id) for e in hc.index.interfaces_by_vpc.get(vpc_id, ()))
