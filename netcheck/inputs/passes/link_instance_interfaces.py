"""Pass: an instance's interfaces are the ones built that name it as their owner or that it
lists itself.

Input: a `Draft`. Output: every instance's `interface_ids` — the listed ids that were built
(an interface left out, or not in the snapshot, is dropped) plus every interface whose
`owner_id` is the instance — sorted.

    >>> from netcheck.inputs.diagnostics import Collector
    >>> from netcheck.inputs.draft import Draft
    >>> from netcheck.model import Instance, NetworkInterface, PrivateAddress
    >>> eni = NetworkInterface(id="eni-0b", subnet_id="subnet-0a", vpc_id="vpc-0a",
    ...     private_addresses=(PrivateAddress(address="10.0.1.5", primary=True),),
    ...     owner_kind="instance", owner_id="i-0a")
    >>> draft = Draft({"network_interfaces": [eni],
    ...                "instances": [Instance(id="i-0a", interface_ids=("eni-0gone",))]})
    >>> link_instance_interfaces(draft, Collector())
    >>> draft.collections["instances"][0].interface_ids
    ('eni-0b',)
"""

from __future__ import annotations

from collections import defaultdict

from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.draft import Draft
from netcheck.model import Instance, NetworkInterface


def link_instance_interfaces(draft: Draft, c: Collector) -> None:
    enis: list[NetworkInterface] = draft.items("network_interfaces")
    instances: list[Instance] = draft.items("instances")
    eni_ids = {e.id for e in enis}
    by_owner: dict[str, set[str]] = defaultdict(set)
    for e in enis:
        if e.owner_id:
            by_owner[e.owner_id].add(e.id)
    draft.collections["instances"] = [
        i.model_copy(
            update={
                "interface_ids": tuple(
                    sorted({x for x in i.interface_ids if x in eni_ids} | by_owner.get(i.id, set()))
                )
            }
        )
        for i in instances
    ]
