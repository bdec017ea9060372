"""Pass: give every subnet its route table and network ACL (AWS defaulting).

Input: a `Draft` whose subnets may carry `UNRESOLVED` ("") as `route_table_id` /
`network_acl_id` — the input did not name one. Output: the subnets with the table a route
table's association names, else the VPC's main route table (`route_table_is_main`), and the
ACL a network ACL's association names, else the VPC's default network ACL. A subnet left
with neither is an error and is dropped; a subnet associated with two tables is an error.

AWS: "A subnet can only be associated with one route table at a time… If you don't
explicitly associate a subnet with a particular route table, the subnet is implicitly
associated with the main route table" (VPC User Guide, route tables); the same holds for
network ACLs and the VPC's default network ACL.

    >>> from netcheck.inputs.diagnostics import Collector
    >>> from netcheck.inputs.draft import Draft
    >>> from netcheck.model import NetworkAcl, RouteTable, Subnet
    >>> s = Subnet(id="subnet-0a", vpc_id="vpc-0a", availability_zone="us-east-2a",
    ...            cidr_block="10.0.1.0/24", route_table_id="", network_acl_id="")
    >>> rtb = RouteTable(id="rtb-0m", vpc_id="vpc-0a", main=True)
    >>> acl = NetworkAcl(id="acl-0d", vpc_id="vpc-0a", is_default=True)
    >>> draft = Draft({"subnets": [s], "route_tables": [rtb], "network_acls": [acl]})
    >>> resolve_subnet_associations(draft, Collector())
    >>> s = draft.collections["subnets"][0]
    >>> s.route_table_id, s.route_table_is_main, s.network_acl_id
    ('rtb-0m', True, 'acl-0d')
"""

from __future__ import annotations

from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.draft import UNRESOLVED, Draft
from netcheck.model import NetworkAcl, RouteTable, Subnet


def _by_subnet(draft: Draft, name: str, what: str, c: Collector) -> dict[str, str]:
    """Subnet id -> the table (route table or network ACL) associated with it explicitly."""
    out: dict[str, str] = {}
    for i, t in enumerate(draft.items(name)):
        for sid in t.subnet_ids:
            if sid in out and out[sid] != t.id:
                c.error(
                    f"subnet {sid} is associated with two {what}s: {out[sid]} and {t.id}",
                    draft.locate(name, i, t),
                )
            out.setdefault(sid, t.id)
    return out


def resolve_subnet_associations(draft: Draft, c: Collector) -> None:
    tables: list[RouteTable] = draft.items("route_tables")
    acls: list[NetworkAcl] = draft.items("network_acls")
    explicit_rt = _by_subnet(draft, "route_tables", "route table", c)
    explicit_acl = _by_subnet(draft, "network_acls", "network ACL", c)
    main_rt = {t.vpc_id: t.id for t in sorted(tables, key=lambda t: t.id) if t.main}
    default_acl = {a.vpc_id: a.id for a in sorted(acls, key=lambda a: a.id) if a.is_default}
    out: list[Subnet] = []
    for i, s in enumerate(draft.items("subnets")):
        update: dict[str, object] = {}
        if s.route_table_id == UNRESOLVED:
            rt_id = explicit_rt.get(s.id)
            update["route_table_is_main"] = rt_id is None
            update["route_table_id"] = rt_id or main_rt.get(s.vpc_id)
        if s.network_acl_id == UNRESOLVED:
            update["network_acl_id"] = explicit_acl.get(s.id) or default_acl.get(s.vpc_id)
        if not update:
            out.append(s)
            continue
        if "route_table_id" in update and update["route_table_id"] is None:
            c.error(
                f"subnet has no route table: no explicit association and no main route "
                f"table of {s.vpc_id} in the snapshot (add describe-route-tables output)",
                draft.locate("subnets", i, s),
            )
        if "network_acl_id" in update and update["network_acl_id"] is None:
            c.error(
                f"subnet has no network ACL: no association and no default network ACL of "
                f"{s.vpc_id} in the snapshot (add describe-network-acls output)",
                draft.locate("subnets", i, s),
            )
        if None not in update.values():
            out.append(s.model_copy(update=update))
    draft.collections["subnets"] = out
