"""Pass: a network ACL's entries are numbered as AWS numbers them.

Input: a `Draft`. Output: an error (file, JSON path, ACL id) at every entry that AWS could not
have printed, since the verdict would otherwise depend on the order of the entries in the file
or on a rule AWS does not let anyone write:
- two entries of one direction with the same rule number ("Entries can't use the same rule
  number unless one is an egress rule and the other is an ingress rule");
- a user rule outside 1-32766 (CreateNetworkAclEntry: "Positive integer from 1 to 32766. The
  range 32767 to 65535 is reserved for internal use");
- a `*` rule that is not AWS's own: `describe-network-acls` lists it per direction as rule
  32767 (deny, protocol "-1", 0.0.0.0/0) and, with IPv6, rule 32768 (deny, "-1", ::/0); the
  VPC User Guide: "You can't modify or remove this rule".

    >>> from netcheck.inputs.diagnostics import Collector, Loc
    >>> from netcheck.inputs.draft import Draft, member_loc
    >>> from netcheck.model import Direction, NaclEntry, NetworkAcl, RuleAction
    >>> def entry(n, action):
    ...     return NaclEntry(rule_number=n, direction=Direction.INGRESS, protocol=-1,
    ...                      action=RuleAction(action), cidr="0.0.0.0/0")
    >>> acl = NetworkAcl(id="acl-0a", vpc_id="vpc-0a",
    ...                  entries=(entry(100, "allow"), entry(100, "deny")))
    >>> draft = Draft({"network_acls": [acl]}, cite_file=False, locate_member=member_loc,
    ...               locate=lambda f, i, r: Loc("n.json", f"$.{f}[{i}]", r.id))
    >>> c = Collector()
    >>> check_nacl_entries(draft, c)
    >>> print(c.items[0])  # doctest: +ELLIPSIS
    error: n.json $.network_acls[0].entries[1] [acl-0a]: duplicate rule number 100 (ingress)...
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network

from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.draft import Draft
from netcheck.model import ALL_PROTOCOLS, Direction, NaclEntry, NetworkAcl, RuleAction

# User rules: CreateNetworkAclEntry's RuleNumber constraint.
FIRST_RULE, LAST_RULE = 1, 32766
# AWS's own final (`*`) rules, as describe-network-acls lists them.
STAR_RULES: dict[int, IPv4Network | IPv6Network] = {
    32767: IPv4Network("0.0.0.0/0"),
    32768: IPv6Network("::/0"),
}


def _describe(e: NaclEntry) -> str:
    proto = "all protocols" if e.protocol == ALL_PROTOCOLS else f"protocol {e.protocol}"
    return f"{e.action.value} {proto} {e.cidr}"


def _star_problem(e: NaclEntry) -> str:
    """Why a 32767/32768 entry is not AWS's `*` rule ("" when it is)."""
    expected = STAR_RULES[e.rule_number]
    if e.action is RuleAction.DENY and e.protocol == ALL_PROTOCOLS and e.cidr == expected:
        return ""
    return (
        f"rule {e.rule_number} is AWS's final rule (*), which cannot be changed: deny all "
        f"protocols {expected}; this {e.direction.value} entry is {_describe(e)}"
    )


def check_nacl_entries(draft: Draft, c: Collector) -> None:
    acls: list[NetworkAcl] = draft.items("network_acls")
    for i, acl in enumerate(acls):
        parent = draft.locate("network_acls", i, acl)
        first: dict[tuple[Direction, int], Loc] = {}
        for j, e in enumerate(acl.entries):
            loc = draft.locate_member(parent, "entries", j, e)
            n, side = e.rule_number, e.direction.value
            if n in STAR_RULES:
                if problem := _star_problem(e):
                    c.error(problem, loc)
            elif not FIRST_RULE <= n <= LAST_RULE:
                c.error(
                    f"rule number {n} ({side}) is out of range: rules are numbered "
                    f"{FIRST_RULE}-{LAST_RULE}; 32767 and 32768 are AWS's final rules (*)",
                    loc,
                )
            seen = first.setdefault((e.direction, n), loc)
            if seen is not loc:
                c.error(
                    f"duplicate rule number {n} ({side}) in {acl.id}: also at "
                    f"{draft.where(seen)}; AWS allows one entry per rule number and "
                    "direction, and which of the two applies would depend on their order",
                    loc,
                )
