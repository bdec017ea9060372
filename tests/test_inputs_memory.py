"""Loading documents already in memory (what a live collector hands over): the same network as
loading the files, diagnostics naming `<memory>` as the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import netcheck
from netcheck.errors import Severity, SnapshotError
from netcheck.inputs import dumps_network, load_snapshot

ROOT = Path(__file__).parent.parent
THREE_TIER = ROOT / "fixtures" / "three-tier"
KITCHEN_SINK = Path(__file__).parent / "data" / "kitchen-sink.json"


def describe_keys(folder: Path) -> dict[str, Any]:
    """Every describe-* key of a fixture folder in one dict (one key per file there)."""
    doc: dict[str, Any] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text())
        assert not set(data) & set(doc), path
        doc |= data
    return doc


def without_file_names(value: Any) -> Any:
    """A `model_dump` with provenance file names, the source and the notes' file names blanked."""
    if isinstance(value, dict):
        return {
            k: "<file>" if k in ("file", "source") else without_file_names(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [without_file_names(v) for v in value]
    if isinstance(value, str):
        return value.replace(str(THREE_TIER), "<dir>")
    return value


def test_describe_keys_in_memory_give_the_same_network_as_the_folder():
    from_files = netcheck.load(THREE_TIER)
    from_memory = netcheck.load(describe_keys(THREE_TIER))
    assert from_memory.network.source == "<memory>"
    assert {r.provenance.file for r in from_memory.network.all_resources() if r.provenance} == {
        "<memory>"
    }
    a = without_file_names(from_files.network.model_dump())
    b = without_file_names(from_memory.network.model_dump())
    notes_a = [n.split(" ", 2)[2] for n in a.pop("notes")]
    notes_b = [n.split(" ", 2)[2] for n in b.pop("notes")]
    assert a == b
    assert notes_a == notes_b
    # The folder also holds a README (noted as skipped); everything else is the same.
    assert sorted(
        (d.severity.value, d.path or "", d.message)
        for d in from_files.diagnostics
        if "non-JSON file(s) skipped" not in d.message
    ) == sorted((d.severity.value, d.path or "", d.message) for d in from_memory.diagnostics)
    assert {d.file for d in from_memory.diagnostics} <= {"<memory>"}


def test_the_same_answer_from_memory():
    snap = netcheck.load(describe_keys(THREE_TIER))
    files = netcheck.load(THREE_TIER)
    a = snap.query("internet", "web-1", protocol="tcp", port=443)
    b = files.query("internet", "web-1", protocol="tcp", port=443)
    assert a.verdict == b.verdict


def test_netcheck_json_in_memory_round_trips():
    net = load_snapshot(KITCHEN_SINK).network
    doc = json.loads(dumps_network(net))
    assert netcheck.load(doc).network == net


def test_diagnostics_in_memory_name_memory_as_the_file():
    doc = json.loads(KITCHEN_SINK.read_text())
    doc["Subnets"][0]["VpcId"] = "vpc-0gone"
    with pytest.raises(SnapshotError) as info:
        load_snapshot(doc)
    assert str(info.value).startswith("snapshot <memory> is not usable: 1 error")
    (d,) = [d for d in info.value.diagnostics if d.severity is Severity.ERROR]
    assert (d.file, d.path, d.resource_id) == ("<memory>", "$.Subnets[0].VpcId", "subnet-0a1")
    assert str(d) == (
        "error: <memory> $.Subnets[0].VpcId [subnet-0a1]: the subnet's VPC vpc-0gone is not in "
        "the snapshot"
    )


def test_onprem_and_strict_apply_in_memory():
    doc = json.loads(KITCHEN_SINK.read_text())
    net = load_snapshot(doc, onprem_cidrs=["192.168.0.0/16"]).network
    assert [str(c) for c in net.onprem_cidrs] == ["192.168.0.0/16"]
    doc["Vpcs"][0]["Bogus"] = 1
    with pytest.raises(SnapshotError):
        load_snapshot(doc, strict=True)


def test_the_document_is_not_modified():
    doc = describe_keys(THREE_TIER)
    before = json.dumps(doc, sort_keys=True)
    netcheck.load(doc)
    assert json.dumps(doc, sort_keys=True) == before
