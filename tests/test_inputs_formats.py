"""The input-format registry: which format reads a document, what happens when none or two do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netcheck.errors import Severity, SnapshotError
from netcheck.inputs import FORMATS, load_snapshot
from netcheck.inputs.diagnostics import Collector
from netcheck.inputs.files import SourceFile
from netcheck.inputs.formats import (
    AWS_DESCRIBE_JSON,
    NETCHECK_JSON,
    Format,
    choose_format,
    detect_format,
)
from netcheck.inputs.native import dumps_network

KITCHEN_SINK = Path(__file__).parent / "data" / "kitchen-sink.json"


@pytest.fixture(scope="module")
def native_doc() -> dict:
    return json.loads(dumps_network(load_snapshot(KITCHEN_SINK).network))


def test_the_registry_lists_netcheck_json_before_the_aws_fallback():
    assert FORMATS == (NETCHECK_JSON, AWS_DESCRIBE_JSON)
    assert [f.name for f in FORMATS] == ["netcheck JSON", "AWS describe-* JSON"]
    assert NETCHECK_JSON.alone and not AWS_DESCRIBE_JSON.alone


def test_detection(native_doc):
    assert detect_format(native_doc) is NETCHECK_JSON
    assert detect_format({"Vpcs": [], "Subnets": []}) is AWS_DESCRIBE_JSON
    # The AWS reader is the fallback: it reports documents it cannot use itself.
    assert detect_format([1, 2]) is AWS_DESCRIBE_JSON
    assert detect_format({"schema_version": "1"}) is AWS_DESCRIBE_JSON  # no `vpcs`: not native


def test_a_document_in_no_format_is_an_error():
    only_native = (NETCHECK_JSON,)
    c = Collector()
    assert choose_format([SourceFile("a.json", {"Vpcs": []})], c, only_native) is None
    (d,) = c.items
    assert d.severity is Severity.ERROR and d.file == "a.json"
    assert d.message == "not in any input format netcheck reads (netcheck JSON)"


def test_unknown_format_through_load_snapshot(tmp_path):
    path = tmp_path / "snap.json"
    path.write_text(json.dumps({"Vpcs": []}))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(path, formats=(NETCHECK_JSON,))
    assert "not in any input format" in info.value.diagnostics[0].message


def test_a_one_file_format_cannot_be_mixed(native_doc):
    files = [SourceFile("n.json", native_doc), SourceFile("v.json", {"Vpcs": []})]
    c = Collector()
    assert choose_format(files, c) is None
    assert [(d.file, d.message) for d in c.items] == [
        ("n.json", "netcheck JSON cannot be mixed with other files; load it on its own")
    ]


def test_two_formats_cannot_be_mixed():
    tagged = Format("tagged", lambda d: isinstance(d, dict) and "tag" in d, lambda fs, c: None)
    files = [SourceFile("v.json", {"Vpcs": []}), SourceFile("t.json", {"tag": 1})]
    c = Collector()
    assert choose_format(files, c, (tagged, AWS_DESCRIBE_JSON)) is None
    assert [(d.file, d.message) for d in c.items] == [
        ("t.json", "tagged cannot be mixed with AWS describe-* JSON files")
    ]


def test_the_chosen_format_reads_all_files():
    files = [SourceFile("v.json", {"Vpcs": []}), SourceFile("s.json", {"Subnets": []})]
    c = Collector()
    chosen = choose_format(files, c)
    assert chosen is not None and chosen[0] is AWS_DESCRIBE_JSON and chosen[1] == files
    assert not c.items


def test_a_new_format_is_one_tuple_entry(tmp_path):
    """A format placed before the fallback reads its documents into a Draft; the shared passes
    and assembly do the rest."""
    from netcheck.inputs.draft import Draft
    from netcheck.model import Vpc

    def read(files, c):
        vpcs = [Vpc(id=d["id"], cidr_blocks=(d["cidr"],)) for d in files[0].data["my_vpcs"]]
        return Draft({"vpcs": vpcs})

    mine = Format("mine", lambda d: isinstance(d, dict) and "my_vpcs" in d, read)
    doc = {
        "my_vpcs": [
            {"id": "vpc-0b", "cidr": "10.1.0.0/16"},
            {"id": "vpc-0a", "cidr": "10.0.0.0/16"},
        ]
    }
    net = load_snapshot(doc, formats=(mine, *FORMATS)).network
    assert [v.id for v in net.vpcs] == ["vpc-0a", "vpc-0b"]
    assert net.source == "<memory>"
