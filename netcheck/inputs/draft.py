"""What a format reader hands to the shared passes: the vendor-independent pieces of a network.

Input: whatever a reader in `netcheck.inputs.formats.FORMATS` built from its files. Output: a
`Draft` — model objects per `Network` collection, the references the reader saw (checked once
everything is built), the ids it read (built or not), the resources it left out — that the
passes in `netcheck.inputs.passes.PASSES` complete and check, and `assemble` turns into the
frozen `Network`.

A reader reports what it read and defaults nothing another format would default the same way
(a subnet's main route table, an instance's interfaces…): that is what the passes are for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from netcheck.errors import Severity
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.model import Network, Resource

# The `Network` fields that hold resources, in the model's order.
COLLECTIONS: tuple[str, ...] = (
    "vpcs",
    "subnets",
    "route_tables",
    "network_acls",
    "security_groups",
    "network_interfaces",
    "instances",
    "db_instances",
    "internet_gateways",
    "egress_only_internet_gateways",
    "nat_gateways",
    "regional_nat_gateways",
    "vpc_endpoints",
    "vpc_peering_connections",
    "transit_gateways",
    "transit_gateway_attachments",
    "transit_gateway_route_tables",
    "transit_gateway_multicast_domains",
    "vpn_gateways",
    "vpn_connections",
    "prefix_lists",
    "block_public_access_exclusions",
)

# A subnet whose route table / network ACL the input does not name explicitly carries this
# value until `passes.resolve_subnet_associations` applies the VPC's main table / default ACL.
UNRESOLVED = ""


@dataclass
class Reference:
    """An id read at `loc` that must name a resource of the snapshot (`what`: "subnet"…)."""

    ref_id: str
    loc: Loc
    what: str
    severity: Severity = Severity.WARNING
    consequence: str = ""
    # Severity when the reference names a resource that was left out (inactive).
    left_out_severity: Severity | None = None
    # Whether a dangling reference gets a "did you mean" among ids of the same kind.
    suggest: bool = True


def provenance_loc(field_name: str, index: int, resource: Resource) -> Loc:
    """Where a resource was read, from its provenance (the default `Draft.locate`)."""
    p = resource.provenance
    assert p is not None, f"{resource.id} has no provenance"
    return Loc(p.file, p.path, resource.id)


def provenance_member_loc(parent: Loc, attr: str, index: int, member: Any) -> Loc:
    """Where a part of a resource (a NACL entry…) was read: its own provenance when the
    reader recorded one (the AWS reader does), else `parent.<attr>[index]`."""
    p = getattr(member, "provenance", None)
    if p is not None:
        return Loc(p.file, p.path, parent.resource_id)
    return member_loc(parent, attr, index, member)


def member_loc(parent: Loc, attr: str, index: int, member: Any) -> Loc:
    """`parent.<attr>[index]`: for readers whose model objects sit where the file has them."""
    return parent.key(attr).index(index)


@dataclass
class Draft:
    """A network under construction. `collections` maps `Network` field names to resources in
    reading order; passes replace or drop resources there."""

    collections: dict[str, list[Any]]
    references: list[Reference] = field(default_factory=list)
    # Every id the input held, built or not: a reference to one that was not built already
    # had an error of its own, so it is not reported again.
    read_ids: set[str] = field(default_factory=set)
    # id -> why it was left out (e.g. "state 'deleting'")
    left_out: dict[str, str] = field(default_factory=dict)
    # Where the `index`-th resource of a collection is, for messages about it.
    locate: Callable[[str, int, Resource], Loc] = provenance_loc
    # Where the `index`-th member of a resource's list field (`entries`…) is, given where the
    # resource is.
    locate_member: Callable[[Loc, str, int, Any], Loc] = provenance_member_loc
    # Whether a message naming another place cites its file too (False: one-file formats).
    cite_file: bool = True
    # The other `Network` fields (source, onprem_cidrs, notes…); notes left unset become the
    # collector's analysis notes.
    settings: dict[str, Any] = field(default_factory=dict)
    # Whether `assemble` sorts every collection by id (readers that keep the input's order,
    # like netcheck JSON, say False).
    sort_by_id: bool = True

    def items(self, name: str) -> list[Any]:
        return self.collections.setdefault(name, [])

    def ids(self) -> set[str]:
        return {r.id for items in self.collections.values() for r in items}

    def where(self, loc: Loc) -> str:
        """How a message names another place: `file $.path`, or `$.path` in one-file formats."""
        return f"{loc.file} {loc.path}" if self.cite_file else loc.path


def _by_id(resource: Resource) -> str:
    return resource.id


def assemble(draft: Draft, c: Collector) -> Network:
    """The frozen `Network` of a completed draft."""
    fields = dict(draft.settings)
    fields.setdefault("notes", tuple(sorted(set(c.analysis_notes))))
    for name, items in draft.collections.items():
        fields[name] = tuple(sorted(items, key=_by_id)) if draft.sort_by_id else tuple(items)
    return Network(**fields)
