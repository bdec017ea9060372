"""The derived index of one network: lookups the compiler needs again and again, built once
per `Network` and never written onto the frozen model.

Input: a `Network`. Output: `NetworkIndex` — interfaces per VPC, the (private, public) pairs
an internet gateway maps per VPC, the owners of the snapshot's public IPs, the gateways that
have an edge-associated route table, the topology graph (compile/topology.py) — and the
per-resource constraint caches of the filter hops (network ACLs, sets of security groups).

A constraint cache entry is keyed by `(resource id, digest of the resource's content,
direction, packet copy name, known-space key)`: the resource id and digest are the unit a
later incremental re-check invalidates (a changed ACL has a new digest), the packet copy and
the known spaces pin the formula to the variables and the settled tests it was built with.

The API's `Snapshot` owns one index; callers that pass none get `index_for(network)`, which
keeps the indexes of the last few networks so each is still built once. Example::

    index = index_for(network)
    index.public_owners            # [(public IP, VPC id, private IP), ...], sorted
    Explorer(network, index=index).from_origin(origin, p)
"""

from __future__ import annotations

import hashlib
import weakref
from functools import cached_property
from typing import TYPE_CHECKING

import z3

from netcheck.compile.steps import Rule
from netcheck.model.addresses import IPAddress
from netcheck.model.interfaces import NetworkInterface
from netcheck.model.network import Network

if TYPE_CHECKING:
    import networkx as nx

# (resource id, content digest, direction, packet copy name, known-space key)
ConstraintKey = tuple[object, str, str, str, object]


class Constraint:
    """A compiled filter: `allowed` (the packet passes) and the deciding `rules`."""

    __slots__ = ("__weakref__", "allowed", "rules")

    def __init__(self, allowed: z3.BoolRef, rules: list[Rule]) -> None:
        self.allowed = allowed
        self.rules = rules


class ConstraintCache:
    """Compiled filter constraints of one kind (NACL or SG set), keyed by `ConstraintKey`.

    An entry lives as long as a walk that uses it pins it (`HopContext.pin`): a walk's
    packet copies are its own, so a finished walk's entries could never be hit again, and
    keeping their Z3 terms alive would change how Z3 numbers the terms of later queries
    (and with that which witness it finds)."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: weakref.WeakValueDictionary[ConstraintKey, Constraint] = (
            weakref.WeakValueDictionary()
        )

    def get(self, key: ConstraintKey) -> Constraint | None:
        return self.entries.get(key)

    def put(self, key: ConstraintKey, value: Constraint) -> None:
        self.entries[key] = value

    def invalidate(self, resource_id: object) -> None:
        """Drop every entry built from `resource_id` (for an incremental re-check)."""
        for key in [k for k in list(self.entries.keys()) if k[0] == resource_id]:
            self.entries.pop(key, None)


class NetworkIndex:
    """Everything the compiler derives from one `network` (built lazily, once)."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._public_maps: dict[str, list[tuple[IPAddress, IPAddress]]] = {}
        self._digests: dict[object, str] = {}
        self.nacl_constraints = ConstraintCache()
        self.sg_constraints = ConstraintCache()

    # -- resource digests -------------------------------------------------------------------

    def digest(self, resource_id: str) -> str:
        """A short digest of the content of resource `resource_id` ("-" when missing)."""
        d = self._digests.get(resource_id)
        if d is None:
            r = self.network.get(resource_id)
            d = "-" if r is None else _digest(r.model_dump_json())
            self._digests[resource_id] = d
        return d

    def group_set_digest(self, group_ids: tuple[str, ...]) -> str:
        """The digest of a set of security groups (sorted ids), from each group's digest."""
        d = self._digests.get(group_ids)
        if d is None:
            d = _digest(",".join(self.digest(g) for g in group_ids))
            self._digests[group_ids] = d
        return d

    # -- lookups ----------------------------------------------------------------------------

    @cached_property
    def interfaces_by_vpc(self) -> dict[str, list[NetworkInterface]]:
        """Interfaces per VPC, sorted by id (do not modify the lists)."""
        acc: dict[str, list[NetworkInterface]] = {}
        for e in sorted(self.network.network_interfaces, key=lambda e: e.id):
            acc.setdefault(e.vpc_id, []).append(e)
        return acc

    def public_map(self, vpc_id: str) -> list[tuple[IPAddress, IPAddress]]:
        """(private, public) pairs an IGW of `vpc_id` maps: ENI addresses, then NAT
        addresses (do not modify the list)."""
        out = self._public_maps.get(vpc_id)
        if out is None:
            out = self._public_maps[vpc_id] = self._public_map(vpc_id)
        return out

    def _public_map(self, vpc_id: str) -> list[tuple[IPAddress, IPAddress]]:
        pairs: dict[IPAddress, IPAddress] = {}
        for e in self.interfaces_by_vpc.get(vpc_id, ()):
            for pa in e.private_addresses:
                if pa.public_ip is not None:
                    pairs.setdefault(pa.address, pa.public_ip)
        for n in sorted(self.network.nat_gateways, key=lambda n: n.id):
            if n.vpc_id == vpc_id:
                for a in n.addresses:
                    if a.private_ip is not None and a.public_ip is not None:
                        pairs.setdefault(a.private_ip, a.public_ip)
        return sorted(pairs.items())

    @cached_property
    def public_owners(self) -> list[tuple[IPAddress, str, IPAddress]]:
        """(public IP, VPC, private IP) for every public IP of the snapshot; an ENI's mapping
        wins over a NAT gateway's for the same public IP (do not modify the list)."""
        owners: dict[IPAddress, tuple[str, IPAddress]] = {}
        for e in self.network.network_interfaces:
            for pa in e.private_addresses:
                if pa.public_ip is not None:
                    owners[pa.public_ip] = (e.vpc_id, pa.address)
        for n in sorted(self.network.nat_gateways, key=lambda n: n.id):
            for a in n.addresses:
                if a.public_ip is not None and a.private_ip is not None:
                    owners.setdefault(a.public_ip, (n.vpc_id, a.private_ip))
        return sorted((pub, v, priv) for pub, (v, priv) in owners.items())

    @cached_property
    def edge_gateways(self) -> frozenset[str]:
        """Gateways (IGW, VGW) with an edge-associated route table."""
        return frozenset(g for t in self.network.route_tables for g in t.gateway_ids)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The topology graph (compile/topology.py)."""
        from netcheck.compile.topology import build  # topology reads the index

        return build(self.network)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


# The indexes of the last few networks, by identity: callers that pass no index still build
# each network's index once (a diff alternates between two networks).
_RECENT: list[NetworkIndex] = []
_KEEP = 4


def index_for(network: Network) -> NetworkIndex:
    """The index of `network` (built on first use, kept for the last few networks)."""
    for ix in _RECENT:
        if ix.network is network:
            return ix
    ix = NetworkIndex(network)
    _RECENT.insert(0, ix)
    del _RECENT[_KEEP:]
    return ix


def public_owners(network: Network) -> list[tuple[IPAddress, str, IPAddress]]:
    """`NetworkIndex.public_owners` of `network`."""
    return index_for(network).public_owners


__all__ = [
    "Constraint",
    "ConstraintCache",
    "ConstraintKey",
    "NetworkIndex",
    "index_for",
    "public_owners",
]
