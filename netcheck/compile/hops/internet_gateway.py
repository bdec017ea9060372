"""Hop: an internet gateway on the way out (route target `internet-gateway`).

Input: the routing subnet, the route, the packet copy, the steps so far, the path state.
Output: the candidate `Path`s: the IGW must be attached to the subnet's VPC (else
`BAD_STATE_ROUTE`); the subnet's outbound NACL; the private source maps to its public IP in
a fresh packet copy (`IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS` when it has none); then the
internet (`compile/hops/internet.on_internet`).

Example: 10.0.1.5 with public IP 54.1.2.3 sending through igw-1 leaves as 54.1.2.3
(step `igw:igw-1:egress`, a translation); 10.0.1.6 without one ends at
`igw:igw-1:no-public-ip`.
"""

from __future__ import annotations

import z3

from netcheck.compile.hops import internet
from netcheck.compile.hops.block_public_access import BPA_CODE, egress_allowed
from netcheck.compile.hops.context import HopContext, PathState, Steps
from netcheck.compile.hops.network_acl import nacl
from netcheck.compile.packet import SymPacket, fresh, ip_is_any, same
from netcheck.compile.steps import Path, Step
from netcheck.model.filtering import Direction
from netcheck.model.gateways import InternetGateway
from netcheck.model.hops import HopKind
from netcheck.model.routing import Route
from netcheck.model.vpc import Subnet


def to_igw(
    hc: HopContext,
    s: Subnet,
    table_id: str,
    route: Route,
    p: SymPacket,
    steps: Steps,
    ps: PathState,
) -> list[Path]:
    """IGW egress: outbound NACL, then the private source maps to its public IP
    (`IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS` when it has none); then on the internet."""
    igw = hc.net.get(route.target_id or "")
    if not isinstance(igw, InternetGateway) or s.vpc_id not in igw.vpc_ids:
        return hc.bad_state(steps, table_id, route, ps)
    steps = (*steps, nacl(hc, s, Direction.EGRESS, p))
    out: list[Path] = []
    allowed = egress_allowed(hc, s, p)
    if allowed is not None:
        out += hc.leaf(
            steps,
            igw.id,
            HopKind.INTERNET_GATEWAY,
            f"igw:{igw.id}:block-public-access:{s.id}",
            z3.Not(allowed),
            p,
            ps,
            BPA_CODE,
            f"VPC Block Public Access ({hc.net.internet_gateway_block(s.id).value}) blocks "
            f"traffic from {s.id} to {igw.id}",
        )
        steps = (
            *steps,
            Step(
                igw.id,
                HopKind.INTERNET_GATEWAY,
                f"igw:{igw.id}:block-public-access-ok:{s.id}",
                f"VPC Block Public Access lets this traffic from {s.id} through {igw.id}",
                allowed,
                p,
                BPA_CODE,
            ),
        )
    pairs = hc.index.public_map(s.vpc_id)
    q = fresh("igw-out")
    mapped = ip_is_any(p.src_ip, [a for a, _ in pairs])
    link = z3.And(
        same(p, q, except_=("src_ip",)),
        *(z3.Implies(p.src_ip == int(a), q.src_ip == int(b)) for a, b in pairs),
    )
    st = Step(
        igw.id,
        HopKind.INTERNET_GATEWAY,
        f"igw:{igw.id}:egress",
        f"{igw.id} maps the private source address to its public IP",
        mapped,
        p,
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
        (),
        link,
        q,
        action="translate",
    )
    out += hc.leaf(
        steps,
        igw.id,
        HopKind.INTERNET_GATEWAY,
        f"igw:{igw.id}:no-public-ip",
        z3.Not(mapped),
        p,
        ps,
        "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
        f"the source has no public IP for {igw.id} to map it to",
    )
    return out + internet.on_internet(hc, q, (*steps, st), ps)
