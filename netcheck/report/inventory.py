"""Render a snapshot's inventory (`netcheck show`) and its validation (`netcheck validate`).

Input: a `Network` and load `Diagnostic`s. Output: rich tables / one-line summaries for
people, JSON documents for programs. Deterministic: every table is sorted by resource id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from netcheck.errors import Diagnostic, Severity
from netcheck.model import Network, NetworkInterface, Resource

# (collection, singular, plural) in the order the summary line lists them.
_COUNTED = (
    ("vpcs", "VPC", "VPCs"),
    ("subnets", "subnet", "subnets"),
    ("route_tables", "route table", "route tables"),
    ("network_acls", "network ACL", "network ACLs"),
    ("security_groups", "security group", "security groups"),
    ("network_interfaces", "interface", "interfaces"),
    ("instances", "instance", "instances"),
    ("db_instances", "DB instance", "DB instances"),
    ("internet_gateways", "internet gateway", "internet gateways"),
    ("egress_only_internet_gateways", "egress-only IGW", "egress-only IGWs"),
    ("nat_gateways", "NAT gateway", "NAT gateways"),
    ("vpc_endpoints", "VPC endpoint", "VPC endpoints"),
    ("vpc_peering_connections", "peering connection", "peering connections"),
    ("transit_gateways", "transit gateway", "transit gateways"),
    ("transit_gateway_attachments", "TGW attachment", "TGW attachments"),
    ("transit_gateway_route_tables", "TGW route table", "TGW route tables"),
    ("vpn_gateways", "VPN gateway", "VPN gateways"),
    ("vpn_connections", "VPN connection", "VPN connections"),
    ("prefix_lists", "prefix list", "prefix lists"),
)
# Always shown in the summary, even when zero.
_ALWAYS = {"vpcs", "subnets", "network_interfaces", "instances"}


def counts(network: Network) -> dict[str, int]:
    """Number of resources per collection (`{"vpcs": 4, …}`)."""
    return {name: len(getattr(network, name)) for name, _, _ in _COUNTED}


def summary_line(network: Network) -> str:
    """`4 VPCs, 8 subnets, 8 interfaces, 4 instances, 2 transit gateways, …` (zeros omitted
    except for the first four)."""
    parts = []
    for name, one, many in _COUNTED:
        n = len(getattr(network, name))
        if n or name in _ALWAYS:
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def severity_counts(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    return {s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity}


def validation_json(source: str, network: Network | None, diagnostics: Sequence[Diagnostic]) -> str:
    """`netcheck validate --format json`: usable, counts, diagnostics (file, path, id)."""
    doc: dict[str, Any] = {
        "snapshot": source,
        "usable": network is not None,
        "severity_counts": severity_counts(diagnostics),
        "counts": counts(network) if network is not None else None,
        "diagnostics": [d.model_dump(mode="json") for d in diagnostics],
    }
    return json.dumps(doc, indent=2)


def _name(r: Resource) -> str:
    return r.name or ""


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


def _join(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def _addresses(eni: NetworkInterface) -> tuple[str, str]:
    private = _join([*eni.addresses, *eni.ipv4_prefixes, *eni.ipv6_prefixes])
    public = _join(eni.public_ips)
    return private, public


def inventory_tables(network: Network) -> list[Table]:
    """The rich tables of `netcheck show`, in a fixed order; empty sections are omitted."""
    n = network
    tables = []
    t = _table("VPCs", "id", "name", "CIDR blocks", "region", "account")
    for v in n.vpcs:
        blocks = list(v.cidr_blocks) + list(v.ipv6_cidr_blocks)
        t.add_row(v.id, _name(v), _join(blocks), v.region or "", v.account or "")
    tables.append(t)
    t = _table("Subnets", "id", "name", "VPC", "AZ", "CIDR", "route table", "network ACL")
    for s in n.subnets:
        rt = s.route_table_id + (" (main)" if s.route_table_is_main else "")
        t.add_row(
            s.id, _name(s), s.vpc_id, s.availability_zone, str(s.cidr_block), rt, s.network_acl_id
        )
    tables.append(t)
    t = _table("Interfaces", "id", "subnet", "private IPs", "public IPs", "groups", "owner")
    for e in n.network_interfaces:
        private, public = _addresses(e)
        owner = e.owner_kind.value + (f" {e.owner_id}" if e.owner_id else "")
        t.add_row(e.id, e.subnet_id, private, public, _join(e.group_ids), owner)
    tables.append(t)
    gateways = _table("Gateways", "id", "kind", "VPC / subnet", "details")
    for igw in n.internet_gateways:
        gateways.add_row(igw.id, "internet gateway", _join(igw.vpc_ids), _name(igw))
    for eigw in n.egress_only_internet_gateways:
        gateways.add_row(eigw.id, "egress-only IGW", _join(eigw.vpc_ids), _name(eigw))
    for nat in n.nat_gateways:
        addrs = _join(
            f"{a.private_ip}" + (f" -> {a.public_ip}" if a.public_ip else "") for a in nat.addresses
        )
        gateways.add_row(
            nat.id,
            f"NAT gateway ({nat.connectivity_type})",
            f"{nat.vpc_id} / {nat.subnet_id}",
            addrs,
        )
    for rnat in n.regional_nat_gateways:
        gateways.add_row(
            rnat.id,
            f"regional NAT gateway ({rnat.connectivity_type})",
            rnat.vpc_id,
            _join(rnat.public_ips),
        )
    for vgw in n.vpn_gateways:
        gateways.add_row(vgw.id, "virtual private gateway", _join(vgw.vpc_ids), _name(vgw))
    for ep in n.vpc_endpoints:
        where = _join(ep.route_table_ids) if ep.route_table_ids else _join(ep.subnet_ids)
        gateways.add_row(
            ep.id, f"{ep.endpoint_type.value} endpoint", f"{ep.vpc_id} / {where}", ep.service_name
        )
    if gateways.row_count:
        tables.append(gateways)
    if n.vpc_peering_connections:
        t = _table("VPC peering connections", "id", "requester", "accepter", "status")
        for p in n.vpc_peering_connections:
            t.add_row(
                p.id,
                f"{p.requester.vpc_id} {_join(p.requester.cidr_blocks)}",
                f"{p.accepter.vpc_id} {_join(p.accepter.cidr_blocks)}",
                p.status,
            )
        tables.append(t)
    if n.transit_gateways:
        t = _table("Transit gateways", "id", "name", "attachments", "route tables")
        for tgw in n.transit_gateways:
            atts = [
                f"{a.id} ({a.resource_type.value} {a.resource_id or ''})".replace(" )", ")")
                for a in n.transit_gateway_attachments
                if a.transit_gateway_id == tgw.id
            ]
            tables_of = [
                r.id for r in n.transit_gateway_route_tables if r.transit_gateway_id == tgw.id
            ]
            t.add_row(tgw.id, _name(tgw), "\n".join(atts), "\n".join(tables_of))
        tables.append(t)
    if n.transit_gateway_route_tables:
        t = _table("TGW route tables", "id", "associations", "propagations", "routes")
        for tgw_rt in n.transit_gateway_route_tables:
            routes = [r.label for r in n.transit_gateway_routes(tgw_rt.id)]
            t.add_row(
                tgw_rt.id,
                "\n".join(tgw_rt.association_attachment_ids),
                "\n".join(tgw_rt.propagation_attachment_ids),
                "\n".join(routes),
            )
        tables.append(t)
    if n.db_instances:
        t = _table("DB instances", "id", "engine", "endpoint", "VPC", "groups", "interfaces")
        for db in n.db_instances:
            endpoint = f"{db.endpoint_address or ''}:{db.port or ''}".strip(":")
            if db.publicly_accessible:
                endpoint += " (public)"
            t.add_row(
                db.id,
                db.engine,
                endpoint,
                db.vpc_id or "",
                _join(db.group_ids),
                _join(db.interface_ids),
            )
        tables.append(t)
    if n.vpn_connections:
        t = _table("VPN connections", "id", "gateway", "on-prem CIDRs", "static routes only")
        for vpn in n.vpn_connections:
            gw = vpn.transit_gateway_id or vpn.vpn_gateway_id or ""
            t.add_row(
                vpn.id, gw, _join(vpn.onprem_cidrs), "yes" if vpn.static_routes_only else "no"
            )
        tables.append(t)
    return tables


def print_inventory(network: Network, console: Console) -> None:
    for table in inventory_tables(network):
        console.print(table)
        console.print()
    console.print(summary_line(network), markup=False, highlight=False, soft_wrap=True)
