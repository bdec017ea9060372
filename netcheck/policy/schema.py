"""The JSON Schema of rule files, generated from the pydantic model.

Input: `netcheck.policy.model.RuleFile`. Output: the schema as a dict or as the exact text
committed in `rules/schema.json` (a test checks the two are equal; regenerate with
`netcheck rules schema > rules/schema.json`).
"""

from __future__ import annotations

import json
from typing import Any

from netcheck.policy.model import RuleFile

SCHEMA_ID = "https://github.com/netcheck/netcheck/rules/schema.json"


def rule_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a rule file."""
    schema = RuleFile.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "netcheck rule file",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    """The schema as committed: two-space indent, sorted keys, trailing newline."""
    return json.dumps(rule_schema(), indent=2, sort_keys=True) + "\n"
