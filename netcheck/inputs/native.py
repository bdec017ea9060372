"""netcheck's own JSON: `Network.model_dump(mode="json")`, with a top-level `schema_version`.

Input: a decoded JSON file holding `schema_version` and `vpcs`. Output: a `Draft` of the
validated network for the shared passes (or diagnostics with JSON paths such as
`$.subnets[3].cidr_block` and the resource id).
Writing is `dumps_network`; `load(dump(n)) == n` holds exactly.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from netcheck.errors import Severity
from netcheck.inputs.aws.keys import NATIVE_MARKERS
from netcheck.inputs.diagnostics import Collector, Loc
from netcheck.inputs.draft import COLLECTIONS, Draft, Reference, member_loc
from netcheck.inputs.files import SourceFile, report_huge_numbers
from netcheck.model import SCHEMA_VERSION, Network, Resource


def is_native(data: Any) -> bool:
    """Whether decoded JSON is netcheck's own format (not AWS describe-* output)."""
    return isinstance(data, dict) and all(k in data for k in NATIVE_MARKERS)


def dumps_network(network: Network) -> str:
    """netcheck JSON text for `network` (deterministic: collections are sorted by id)."""
    return json.dumps(network.model_dump(mode="json"), indent=2) + "\n"


def _where(data: Any, loc: tuple[int | str, ...]) -> tuple[str, str | None]:
    """JSON path of a pydantic error location, and the id of the resource it is in."""
    path, node, rid = "$", data, None
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            path += f"[{part}]"
            node = node[part]
            if isinstance(node, dict) and isinstance(node.get("id"), str) and rid is None:
                rid = node["id"]
        elif isinstance(part, str) and isinstance(node, dict):
            path += f".{part}"
            node = node.get(part)
        else:  # a union member tag or a position past the data: not part of the path
            break
    return path, rid


# The rule a type error states (as `values.TYPE_RULE` does for AWS files).
_TYPE_RULE = "netcheck reads each field with the JSON type it writes, never converted"


def _message(err: Any) -> str:
    """A pydantic error as a diagnostic: type errors say what was found and the rule."""
    if not err["type"].endswith("_type") or "input" not in err:
        return str(err["msg"])
    found = err["input"]
    kinds = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    kinds |= {list: "a list", dict: "an object", type(None): "null"}
    kind = kinds.get(type(found), type(found).__name__)
    shown = f" ({found!r})" if isinstance(found, str) and len(found) <= 40 else ""
    return f"{err['msg']}, got {kind}{shown}; {_TYPE_RULE}"


def read_native(files: list[SourceFile], c: Collector) -> Draft | None:
    """The netcheck JSON reader (one file: `Format.alone`). Its references — the ones a
    consumer relies on: subnet -> VPC, route table, ACL; interface -> subnet, VPC; route
    table and ACL -> VPC — are errors, with no "did you mean"."""
    (f,) = files
    data = f.data
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        c.error(
            f"unsupported schema_version {version!r}: this netcheck reads {SCHEMA_VERSION!r}",
            Loc(f.name, "$.schema_version"),
        )
        return None
    try:
        # Validated from JSON text in strict mode: a field must have the JSON type netcheck
        # writes (`"rule_number": 100`, not `"100"`; `true`, not `"true"` or `1`) — the same
        # rule as for AWS files (`values.TYPE_RULE`). `default=str`: a document built in
        # memory may hold the model's own values (addresses, networks).
        text = json.dumps(data, default=str)
    except ValueError:
        if report_huge_numbers(f.name, data, c):
            return None
        raise
    try:
        network = Network.model_validate_json(text, strict=True)
    except ValidationError as exc:
        seen = set()
        for err in exc.errors():
            path, rid = _where(data, err["loc"])
            message = _message(err)
            key = (path, message)
            if key in seen:
                continue
            seen.add(key)
            c.error(message, Loc(f.name, path, rid))
        return None
    references = [
        Reference(
            getattr(res, attr),
            Loc(f.name, f"$.{field}[{i}].{attr}", res.id),
            what,
            Severity.ERROR,
            suggest=False,
        )
        for field, attr, what in _REFERENCES
        for i, res in enumerate(getattr(network, field))
    ]
    name = f.name

    def locate(field: str, index: int, resource: Resource) -> Loc:
        return Loc(name, f"$.{field}[{index}]", resource.id)

    return Draft(
        {field: list(getattr(network, field)) for field in COLLECTIONS},
        references=references,
        locate=locate,
        # A netcheck JSON file may carry the provenance of the files it was made from:
        # messages name the place in this file.
        locate_member=member_loc,
        cite_file=False,
        settings={k: getattr(network, k) for k in Network.model_fields if k not in COLLECTIONS},
        sort_by_id=False,
    )


_REFERENCES = (
    ("subnets", "vpc_id", "VPC"),
    ("subnets", "route_table_id", "route table"),
    ("subnets", "network_acl_id", "network ACL"),
    ("network_interfaces", "subnet_id", "subnet"),
    ("network_interfaces", "vpc_id", "VPC"),
    ("route_tables", "vpc_id", "VPC"),
    ("network_acls", "vpc_id", "VPC"),
)
