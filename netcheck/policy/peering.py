"""`kind: peering-least-access` (CIS 5.5): a VPC peering connection reaches no more than the
CIDRs it declares.

Input: the evaluation state and the rule. Output: findings on the peering connection, one per
interface outside the declared CIDRs that the other VPC can reach *through that connection*.

A peering connection declares what it is for with the tag `netcheck:allowed-cidrs` (CIDRs
separated by commas or spaces); connections without it are noted as not checked. For every
interface on either side with an address outside the declared CIDRs, the question is "can the
other VPC reach this interface" (the rule's protocol, connection semantics unless `one_way`).
A reachable answer whose witness path passes the peering connection is a finding. A witness
that goes another way (a transit gateway) is not this rule's concern; netcheck asks for one
witness, so a second path through the peering connection would then go unreported (the
limitation is documented in docs/rules.md).
"""

from __future__ import annotations

import re
from functools import partial
from ipaddress import ip_network
from typing import Any

from netcheck.errors import Diagnostic, Severity
from netcheck.model import NetworkInterface, VpcPeeringConnection
from netcheck.model.addresses import Family, IPPrefix, family_of
from netcheck.policy.model import Rule
from netcheck.policy.result import Question
from netcheck.policy.run import Run
from netcheck.policy.select import Target

ALLOWED_TAG = "netcheck:allowed-cidrs"


def declared_cidrs(pcx: VpcPeeringConnection) -> tuple[IPPrefix, ...] | None:
    """The CIDRs a peering connection declares (None: no tag). Raises ValueError."""
    text = pcx.tags.get(ALLOWED_TAG)
    if text is None:
        return None
    out = []
    for part in re.split(r"[,\s]+", text.strip()):
        if part:
            net = ip_network(part, strict=False)
            if family_of(net) is not Family.V4:
                raise ValueError(f"{part}: only IPv4 CIDRs are supported")
            out.append(net)
    return tuple(out)


def _outside(eni: NetworkInterface, allowed: tuple[IPPrefix, ...]) -> bool:
    return any(not any(a in c for c in allowed) for a in eni.addresses)


def peering_least_access(run: Run, rule: Rule) -> None:
    for pcx in run.net.vpc_peering_connections:
        if pcx.status != "active":
            continue
        try:
            allowed = declared_cidrs(pcx)
        except ValueError as e:
            where = pcx.provenance
            run.errors.append(
                Diagnostic(
                    severity=Severity.ERROR,
                    message=f"{rule.id}: tag {ALLOWED_TAG} of {pcx.id}: {e}",
                    file=where.file if where else None,
                    path=where.path if where else None,
                    resource_id=pcx.id,
                )
            )
            continue
        if allowed is None:
            run.notes.append(
                f"{rule.id}: {pcx.id} declares no CIDRs (tag {ALLOWED_TAG}); not checked"
            )
            continue
        subject = Target(endpoint=pcx.id, resource=pcx)
        for src_vpc, dst_vpc in (
            (pcx.requester.vpc_id, pcx.accepter.vpc_id),
            (pcx.accepter.vpc_id, pcx.requester.vpc_id),
        ):
            if run.net.get(src_vpc) is None or run.net.get(dst_vpc) is None:
                run.notes.append(f"{rule.id}: {pcx.id}: a peer VPC is not in the snapshot")
                break
            for eni in run.net.network_interfaces:
                if eni.vpc_id != dst_vpc or not _outside(eni, allowed):
                    continue
                q = Question(src=src_vpc, dst=eni.id, protocol=rule.protocol, one_way=rule.one_way)
                run.guarded(
                    rule,
                    subject,
                    q,
                    partial(_judge, run, rule, subject, q, pcx, eni, allowed),
                )


def _judge(
    run: Run,
    rule: Rule,
    subject: Target,
    q: Question,
    pcx: VpcPeeringConnection,
    eni: NetworkInterface,
    allowed: tuple[IPPrefix, ...],
    answer: Any,
) -> None:
    if getattr(answer.verdict, "value", answer.verdict) != "reachable":
        run.judge(rule, subject, q, answer)
        return
    hops = answer.witness.path if answer.witness is not None else ()
    if any(h.component_id == pcx.id for h in hops):
        addresses = ", ".join(str(a) for a in eni.addresses)
        msg = (
            f"{pcx.id} lets {q.src} reach {eni.id} ({addresses}), outside the declared "
            + ", ".join(str(c) for c in allowed)
        )
        run.findings.append(run.finding(rule, subject, q, answer, msg))
