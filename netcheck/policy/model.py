"""The rule model: what a rule file may say, as frozen pydantic objects.

Input: nothing (YAML is read by `netcheck.policy.loading`). Output: `RuleFile`, `Rule`,
`Selector`, `Expectation`, `RuleKind`, `RuleSeverity`, `References`. `rules/schema.json` is
generated from `RuleFile` (`netcheck rules schema`), so the schema and this module cannot drift.

A rule asks a reachability question for every resource its selectors pick and says what must
hold::

    rules:
      - id: NC-001
        title: SSH is not reachable from the internet
        severity: high
        rationale: Remote administration ports open to the world invite brute force.
        references: {cis: ["5.2"], prowler: [ec2_instance_port_ssh_exposed_to_internet]}
        from: internet
        to: {type: [instance]}
        protocol: tcp
        ports: [22]
        expect: unreachable

Selector fields are AND-ed; the values within one field are OR-ed (`type: [instance, rds]`
picks instances *or* RDS instances; adding `tags: {Tier: db}` keeps only those tagged so).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RULE_ID_RE = r"^[A-Z][A-Z0-9]*-[0-9]{3,}$"
_PORT_RE = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class RuleSeverity(StrEnum):
    """How bad a finding is. SARIF `security-severity` follows GitHub's bands."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def score(self) -> str:
        """GitHub code scanning `security-severity` (critical > 9.0, high 7.0-8.9, ...)."""
        return {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}[
            self.value
        ]


class Expectation(StrEnum):
    """What must hold for every selected (from, to) pair.

    - `unreachable`: no packet of the question gets through (a finding shows the witness path).
    - `reachable`: some packet gets through (a finding shows the proof: what blocks it).
    - `only-through`: every path passes one of `through` (a component id or hop kind).
      netcheck asks for one witness; a witness that avoids `through` is a finding. A witness
      that passes `through` does not prove that *every* path does (see docs/rules.md).
    """

    UNREACHABLE = "unreachable"
    REACHABLE = "reachable"
    ONLY_THROUGH = "only-through"


class RuleKind(StrEnum):
    """How a rule is evaluated. `reachability` (the default) asks `from -> to` per selected
    resource; `peering-least-access` checks each VPC peering connection against the CIDRs it
    declares (CIS 5.5); see `netcheck.policy.peering`."""

    REACHABILITY = "reachability"
    PEERING_LEAST_ACCESS = "peering-least-access"


class ResourceType(StrEnum):
    """Resource types a selector can pick (each is queried through its interfaces)."""

    INSTANCE = "instance"
    RDS = "rds"
    INTERFACE = "interface"
    SUBNET = "subnet"
    VPC = "vpc"
    NAT_GATEWAY = "nat-gateway"
    VPC_ENDPOINT = "vpc-endpoint"
    LOAD_BALANCER = "load-balancer"
    LAMBDA = "lambda"


class Selector(_Strict):
    """Which resources a side of a rule stands for.

    Fields are AND-ed; values within a field are OR-ed. An empty selector picks nothing (write
    `type: [...]` to pick every resource of a type). Names may be ids or `Name` tag values;
    `security_groups` also matches a group's name (`default`).
    """

    type: list[ResourceType] = Field(
        default_factory=list, description="Resource types (OR-ed): instance, rds, interface, …"
    )
    ids: list[str] = Field(
        default_factory=list, description="Resource ids or Name tag values (OR-ed)."
    )
    tags: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="Tag key -> value or list of values (OR-ed); `*` matches any value. "
        "Keys are AND-ed.",
    )
    security_groups: list[str] = Field(
        default_factory=list,
        description="Member of any of these security groups (id, group name or Name tag).",
    )
    subnets: list[str] = Field(
        default_factory=list, description="In any of these subnets (id or Name tag)."
    )
    vpcs: list[str] = Field(
        default_factory=list, description="In any of these VPCs (id or Name tag)."
    )
    public_subnet: bool | None = Field(
        default=None,
        description="True: in (or is) a subnet whose route table has a route to an internet "
        "gateway; false: in a subnet without one.",
    )

    @model_validator(mode="after")
    def _not_empty(self) -> Selector:
        picks = (self.type, self.ids, self.tags, self.security_groups, self.subnets, self.vpcs)
        if not any(picks) and self.public_subnet is None:
            raise ValueError("an empty selector picks nothing: set `type` or `ids`")
        return self


# A side is either an endpoint string passed to the engine as it is (`internet`, `onprem`, a
# CIDR, a resource id or Name tag), or a selector that picks resources of the snapshot.
Side = Annotated[
    str | Selector,
    Field(description="`internet`, `onprem`, a CIDR, a resource id / Name, or a selector."),
]


class References(_Strict):
    """Controls of other standards and scanners this rule covers (or supersedes)."""

    cis: list[str] = Field(default_factory=list, description="CIS AWS Foundations controls.")
    prowler: list[str] = Field(default_factory=list, description="Prowler check ids.")
    checkov: list[str] = Field(default_factory=list, description="Checkov check ids.")
    urls: list[str] = Field(default_factory=list, description="Further reading.")


class Rule(_Strict):
    """One policy rule: a reachability question for each selected resource and what must hold."""

    id: str = Field(pattern=RULE_ID_RE, description="Stable id such as NC-001; never reused.")
    title: str = Field(min_length=1, description="One line, states what must hold.")
    severity: RuleSeverity
    rationale: str = Field(min_length=1, description="Why it matters (a paragraph).")
    fix: str = Field(default="", description="How to fix a finding (shown with each finding).")
    references: References = Field(default_factory=References)
    kind: RuleKind = RuleKind.REACHABILITY
    from_: Side | None = Field(default=None, alias="from")
    to: Side | None = None
    protocol: str = Field(
        default="any",
        pattern=r"^(any|tcp|udp|icmp|[0-9]{1,3})$",
        description="tcp, udp, icmp, any, or an IP protocol number.",
    )
    ports: list[int | str] = Field(
        default_factory=list,
        description="Destination ports: numbers or `N-M` ranges. Each is a separate question.",
    )
    expect: Expectation = Expectation.UNREACHABLE
    through: list[str] = Field(
        default_factory=list,
        description="For `only-through`: component ids or hop kinds (nat-gateway, "
        "internet-gateway, vpc-endpoint, …); a path must pass one of them.",
    )
    one_way: bool = Field(
        default=False, description="Check the forward packet only (no reply needed)."
    )
    isolate_security_groups: list[str] = Field(
        default_factory=list,
        description="Judge these security groups alone (id, group name or Name tag): every "
        "interface that carries one keeps only those groups for the question. Security groups "
        "allow the union of their rules, so a path found this way exists in the real network "
        "and is allowed by these groups' own rules.",
    )
    pairs: Literal["all", "same-vpc"] = Field(
        default="all",
        description="When both sides are selectors: query every pair, or only pairs in the "
        "same VPC.",
    )

    @field_validator("ports")
    @classmethod
    def _ports(cls, ports: list[int | str]) -> list[int | str]:
        for p in ports:
            port_bounds(p)
        return ports

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.kind is RuleKind.REACHABILITY and (self.from_ is None or self.to is None):
            raise ValueError("a reachability rule needs both `from` and `to`")
        if self.expect is Expectation.ONLY_THROUGH and not self.through:
            raise ValueError("`expect: only-through` needs `through`")
        if self.through and self.expect is not Expectation.ONLY_THROUGH:
            raise ValueError("`through` is only meaningful with `expect: only-through`")
        if self.ports and self.protocol not in ("tcp", "udp", "6", "17"):
            raise ValueError("`ports` needs `protocol: tcp` or `udp`")
        return self

    @property
    def port_specs(self) -> tuple[int | str | None, ...]:
        """The destination-port argument of each question (None: any port)."""
        return tuple(self.ports) or (None,)


def port_bounds(port: int | str) -> tuple[int, int]:
    """`22` -> (22, 22); `"8000-8080"` -> (8000, 8080). Raises ValueError when invalid."""
    if isinstance(port, int):
        lo = hi = port
    else:
        m = _PORT_RE.match(port.strip())
        if not m:
            raise ValueError(f"port {port!r} is not N or N-M")
        lo = int(m.group(1))
        hi = int(m.group(2) or lo)
    if not (0 <= lo <= hi <= 65535):
        raise ValueError(f"port {port!r} is outside 0-65535 or reversed")
    return lo, hi


class RuleFile(_Strict):
    """A rule file: a list of rules (each file may hold one or many)."""

    rules: list[Rule] = Field(description="The rules of this file.")
