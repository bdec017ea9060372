"""VPC Block Public Access (`describe-vpc-block-public-access-options`,
`describe-vpc-block-public-access-exclusions`).

Input: raw records in a `ReadContext` and the VPCs already read (with the mode each reports in
its own `BlockPublicAccessStates`). Output: the VPCs, where one reports no mode of its own
given the account's mode for its region, and the `BlockPublicAccessExclusion`s in effect.

An exclusion names its VPC or subnet by ARN (`arn:aws:ec2:<region>:<account>:subnet/subnet-…`).
Exclusions that are not in effect (being created, failed, deleted, disabled) are left out
with a note; with `ExclusionsAllowed: not-allowed` (a declarative policy) every exclusion is
left out, because AWS then ignores them.
"""

from __future__ import annotations

from netcheck.errors import Severity
from netcheck.inputs.aws import keys
from netcheck.inputs.aws.context import Raw, ReadContext
from netcheck.inputs.aws.vpc import block_public_access_mode
from netcheck.inputs.values import build, check_fields, opt_str, req_str
from netcheck.model import (
    BlockPublicAccessExclusion,
    BlockPublicAccessExclusionMode,
    BlockPublicAccessMode,
    Vpc,
)

# Exclusion states in which the exclusion applies (an update keeps the previous mode).
_IN_EFFECT = ("create-complete", "update-complete", "update-in-progress", "update-failed")
_EXCLUSION_MODES = {m.value: m for m in BlockPublicAccessExclusionMode}


def read_block_public_access(
    ctx: ReadContext, vpcs: list[Vpc]
) -> tuple[list[Vpc], list[BlockPublicAccessExclusion]]:
    """The VPCs with the account's BPA mode filled in, and the exclusions in effect."""
    allowed = True
    for r in ctx.records("VpcBlockPublicAccessOptions"):
        vpcs = _apply_options(ctx, r, vpcs)
        if r.data.get("ExclusionsAllowed") == "not-allowed":
            allowed = False
    out = []
    for r in ctx.records("VpcBlockPublicAccessExclusions"):
        exclusion = _exclusion(ctx, r)
        if exclusion is None:
            continue
        if not allowed:
            ctx.c.note(
                f"exclusion {r.id} left out: the account's VPC Block Public Access options "
                "say ExclusionsAllowed: not-allowed",
                r.loc,
                analysis=True,
            )
            continue
        out.append(exclusion)
    return vpcs, out


def _apply_options(ctx: ReadContext, r: Raw, vpcs: list[Vpc]) -> list[Vpc]:
    d, loc, c = r.data, r.loc, ctx.c
    check_fields(d, keys.VPC_BPA_OPTIONS, loc, c)
    mode = block_public_access_mode(
        d.get("InternetGatewayBlockMode"), loc.key("InternetGatewayBlockMode"), ctx
    )
    if mode is None:
        return vpcs
    account = opt_str(d, "AwsAccountId", loc, c) or r.account
    region = opt_str(d, "AwsRegion", loc, c) or r.region
    out = []
    for v in vpcs:
        # The options hold for one account and region; a VPC's own state, when the snapshot
        # reports it, is the state that applies to it and is kept.
        applies = (account is None or v.account in (None, account)) and (
            region is None or v.region in (None, region)
        )
        if applies and v.block_public_access is None:
            v = v.model_copy(update={"block_public_access": mode})
        out.append(v)
    if mode is not BlockPublicAccessMode.OFF:
        c.note(
            f"VPC Block Public Access is {mode.value} for account {account or '?'} in "
            f"{region or '?'}: internet gateway traffic is blocked accordingly",
            loc,
            analysis=True,
        )
    return out


def _exclusion(ctx: ReadContext, r: Raw) -> BlockPublicAccessExclusion | None:
    d, loc, c = r.data, r.loc, ctx.c
    check_fields(d, keys.VPC_BPA_EXCLUSION, loc, c)
    state = opt_str(d, "State", loc, c) or "create-complete"
    if state not in _IN_EFFECT:
        ctx.leave_out(r, "VPC Block Public Access exclusion", state)
        return None
    arn = req_str(d, "ResourceArn", loc, c)
    raw_mode = req_str(d, "InternetGatewayExclusionMode", loc, c)
    if arn is None or raw_mode is None:
        return None
    mode = _EXCLUSION_MODES.get(raw_mode)
    if mode is None:
        c.error(
            f"unknown exclusion mode {raw_mode!r} (expected one of "
            f"{', '.join(sorted(_EXCLUSION_MODES))})",
            loc.key("InternetGatewayExclusionMode"),
        )
        return None
    resource_id = arn.rsplit("/", 1)[-1]
    if not resource_id.startswith(("vpc-", "subnet-")):
        c.error(f"ResourceArn {arn!r} names no VPC or subnet", loc.key("ResourceArn"))
        return None
    ctx.expect(resource_id, loc.key("ResourceArn"), "VPC or subnet", Severity.NOTE)
    return build(
        BlockPublicAccessExclusion,
        loc,
        c,
        **ctx.common(r),
        resource_id=resource_id,
        mode=mode,
    )
