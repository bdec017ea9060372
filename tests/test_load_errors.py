"""Bad input is first-class: every problem is a diagnostic naming the file, the JSON path and
the resource id; all problems are collected; no raw exception ever escapes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from netcheck.errors import Diagnostic, Severity, SnapshotError
from netcheck.inputs import LoadResult, load_snapshot

DATA = Path(__file__).parent / "data"
KITCHEN_SINK = DATA / "kitchen-sink.json"


def kitchen() -> dict:
    return json.loads(KITCHEN_SINK.read_text())


def write(tmp_path: Path, doc: object, name: str = "snap.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def errors_of(path: Path, **kw) -> tuple[Diagnostic, ...]:
    with pytest.raises(SnapshotError) as info:
        load_snapshot(path, **kw)
    return info.value.diagnostics


def find(diags, severity: Severity, path: str) -> Diagnostic:
    found = [d for d in diags if d.severity is severity and d.path == path]
    assert found, f"no {severity.value} at {path}: " + "\n".join(map(str, diags))
    return found[0]


def test_malformed_json_names_file_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "Vpcs": [\n    {"VpcId": "vpc-1",}\n  ]\n}\n', "Vpcs.json")
    with pytest.raises(SnapshotError) as info:
        load_snapshot(tmp_path)
    (d,) = info.value.diagnostics
    assert (d.severity, d.file, d.line, d.column) == (Severity.ERROR, str(path), 3, 23)
    assert "malformed JSON" in d.message
    assert str(d).startswith(f"error: {path}:3:23")
    assert "not usable: 1 error" in str(info.value)


def test_malformed_file_does_not_hide_other_problems(tmp_path):
    write(tmp_path, "{", "a.json")
    doc = kitchen()
    doc["Subnets"][0]["CidrBlock"] = "10.0.1.0/33"
    write(tmp_path, doc, "b.json")
    diags = errors_of(tmp_path)
    assert [d.file for d in diags if d.severity is Severity.ERROR] == [
        str(tmp_path / "a.json"),
        str(tmp_path / "b.json"),
    ]


def test_missing_snapshot_and_empty_folder(tmp_path):
    (d,) = errors_of(tmp_path / "nope")
    assert "not found" in d.message and d.file == str(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    (d,) = errors_of(tmp_path / "empty")
    assert "no JSON files" in d.message


def test_file_with_no_known_key_is_a_warning_naming_it(tmp_path):
    write(tmp_path, kitchen(), "snap.json")
    other = write(tmp_path, {"hostname": "srv-101", "hostInterfaces": {}}, "host.json")
    result = load_snapshot(tmp_path)
    d = find(result.diagnostics, Severity.WARNING, "$")
    assert d.file == str(other) and "no known describe-* key" in d.message
    assert "hostname" in d.message
    strict = errors_of(tmp_path, strict=True)
    assert find(strict, Severity.ERROR, "$").file == str(other)


def test_top_level_value_not_an_object(tmp_path):
    path = write(tmp_path, [1, 2])
    (d,) = errors_of(path)
    assert d.file == str(path) and "must be an object" in d.message


def test_unknown_field_is_a_warning_and_strict_makes_it_an_error(tmp_path):
    doc = kitchen()
    doc["Vpcs"][0]["Colour"] = "red"
    doc["RouteTables"][0]["Routes"][2]["Weight"] = 3
    doc["Spaceships"] = []
    path = write(tmp_path, doc)
    result = load_snapshot(path)
    d = find(result.diagnostics, Severity.WARNING, "$.Vpcs[0].Colour")
    assert (d.file, d.resource_id, d.message) == (
        str(path),
        "vpc-0a",
        "unknown field Colour ignored",
    )
    d = find(result.diagnostics, Severity.WARNING, "$.RouteTables[0].Routes[2].Weight")
    assert d.resource_id == "rtb-0amain"
    assert (
        "unknown top-level key Spaceships"
        in find(result.diagnostics, Severity.WARNING, "$.Spaceships").message
    )
    strict = errors_of(path, strict=True)
    assert find(strict, Severity.ERROR, "$.Vpcs[0].Colour").resource_id == "vpc-0a"


def test_route_to_missing_nat_gateway_is_a_warning(tmp_path):
    doc = kitchen()
    doc["RouteTables"][0]["Routes"][2]["NatGatewayId"] = "nat-0missing"
    path = write(tmp_path, doc)
    result = load_snapshot(path)
    d = find(result.diagnostics, Severity.WARNING, "$.RouteTables[0].Routes[2].NatGatewayId")
    assert d.file == str(path) and d.resource_id == "rtb-0amain"
    assert "nat-0missing is not in the snapshot" in d.message and "unknown" in d.message


def test_route_to_left_out_resource_says_so(tmp_path):
    doc = kitchen()
    doc["RouteTables"][0]["Routes"][2]["NatGatewayId"] = "nat-0adel"
    result = load_snapshot(write(tmp_path, doc))
    d = find(result.diagnostics, Severity.WARNING, "$.RouteTables[0].Routes[2].NatGatewayId")
    assert "nat-0adel was left out (state 'deleted')" in d.message


def test_subnet_with_missing_vpc_is_an_error(tmp_path):
    doc = kitchen()
    doc["Subnets"][2]["VpcId"] = "vpc-0gone"
    path = write(tmp_path, doc)
    d = find(errors_of(path), Severity.ERROR, "$.Subnets[2].VpcId")
    assert (d.file, d.resource_id) == (str(path), "subnet-0b1")
    assert "vpc-0gone" in d.message


def test_subnet_without_route_table_or_acl_is_an_error(tmp_path):
    doc = kitchen()
    del doc["RouteTables"], doc["NetworkAcls"]
    diags = errors_of(write(tmp_path, doc))
    d = find(diags, Severity.ERROR, "$.Subnets[0]")
    assert d.resource_id == "subnet-0a1"
    messages = [x.message for x in diags if x.resource_id == "subnet-0a1"]
    assert any("no route table" in m for m in messages)
    assert any("no network ACL" in m for m in messages)


@pytest.mark.parametrize(
    ("table", "path"),
    [
        ("NetworkAcls", "$.NetworkAcls[0].Associations[0].SubnetId"),
        ("RouteTables", "$.RouteTables[1].Associations[0].SubnetId"),
    ],
)
def test_association_to_missing_subnet_is_a_warning(tmp_path, table, path):
    doc = kitchen()
    index = 0 if table == "NetworkAcls" else 1
    doc[table][index]["Associations"][0]["SubnetId"] = "subnet-0gone"
    result = load_snapshot(write(tmp_path, doc))
    d = find(result.diagnostics, Severity.WARNING, path)
    assert "subnet-0gone is not in the snapshot" in d.message
    assert d.resource_id == doc[table][index]["NetworkAclId" if index == 0 else "RouteTableId"]


def test_security_group_referencing_missing_group_is_a_warning(tmp_path):
    doc = kitchen()
    doc["SecurityGroups"][0]["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] = "sg-0gone"
    result = load_snapshot(write(tmp_path, doc))
    path = "$.SecurityGroups[0].IpPermissions[0].UserIdGroupPairs[0].GroupId"
    d = find(result.diagnostics, Severity.WARNING, path)
    assert d.resource_id == "sg-0aweb" and "sg-0gone" in d.message
    assert "matches nothing" in d.message


def test_duplicate_id_in_one_file_names_both_places(tmp_path):
    doc = kitchen()
    doc["Vpcs"].append(copy.deepcopy(doc["Vpcs"][0]))
    path = write(tmp_path, doc)
    d = find(errors_of(path), Severity.ERROR, "$.Vpcs[2]")
    assert d.resource_id == "vpc-0a"
    assert d.message == f"duplicate id vpc-0a: also defined at {path} $.Vpcs[0]"


def test_duplicate_id_across_files(tmp_path):
    doc = kitchen()
    write(tmp_path, doc, "a.json")
    changed = dict(doc["Subnets"][1], CidrBlock="10.0.3.0/24")  # not an identical copy
    write(tmp_path, {"Subnets": [changed]}, "b.json")
    d = find(errors_of(tmp_path), Severity.ERROR, "$.Subnets[0]")
    assert d.file == str(tmp_path / "b.json") and d.resource_id == "subnet-0a2"
    assert str(tmp_path / "a.json") + " $.Subnets[1]" in d.message


@pytest.mark.parametrize(
    ("mutate", "path", "needle"),
    [
        (
            lambda d: d["Subnets"][0].update(CidrBlock="10.0.1.0/33"),
            "$.Subnets[0].CidrBlock",
            "10.0.1.0/33",
        ),
        (
            lambda d: d["Subnets"][0].update(CidrBlock="10.0.1.7/24"),
            "$.Subnets[0].CidrBlock",
            "host bits",
        ),
        (lambda d: d["Vpcs"][1].update(CidrBlock="2600::/56"), "$.Vpcs[1].CidrBlock", "IPv4"),
        (
            lambda d: d["SecurityGroups"][0]["IpPermissions"][0].update(ToPort=70000),
            "$.SecurityGroups[0].IpPermissions[0].FromPort",
            "invalid port range 443-70000",
        ),
        (
            lambda d: d["NetworkAcls"][1]["Entries"][0].update(PortRange={"From": 500, "To": 100}),
            "$.NetworkAcls[1].Entries[0].PortRange",
            "invalid port range 500-100",
        ),
        (
            lambda d: d["NetworkAcls"][1]["Entries"][0].update(Protocol="bogus"),
            "$.NetworkAcls[1].Entries[0].Protocol",
            "invalid protocol",
        ),
        (
            lambda d: d["SecurityGroups"][1]["IpPermissions"][0].update(IpProtocol="300"),
            "$.SecurityGroups[1].IpPermissions[0].IpProtocol",
            "invalid protocol",
        ),
        (
            lambda d: d["NetworkInterfaces"][0]["PrivateIpAddresses"][0].update(
                PrivateIpAddress="10.0.1"
            ),
            "$.NetworkInterfaces[0].PrivateIpAddresses[0].PrivateIpAddress",
            "invalid IPv4 address",
        ),
        (lambda d: d["Vpcs"][0].update(IsDefault="yes"), "$.Vpcs[0].IsDefault", "true or false"),
        (
            lambda d: d["NetworkAcls"][1]["Entries"][0].update(RuleAction="maybe"),
            "$.NetworkAcls[1].Entries[0].RuleAction",
            "allow or deny",
        ),
        (
            lambda d: d["RouteTables"][0]["Routes"][2].update(State="sleepy"),
            "$.RouteTables[0].Routes[2].State",
            "active or blackhole",
        ),
    ],
)
def test_invalid_values_are_errors_with_path_and_id(tmp_path, mutate, path, needle):
    doc = kitchen()
    mutate(doc)
    file = write(tmp_path, doc)
    d = find(errors_of(file), Severity.ERROR, path)
    assert d.file == str(file) and d.resource_id is not None
    assert needle in d.message


def test_all_problems_collected_in_one_pass(tmp_path):
    doc = kitchen()
    doc["Subnets"][0]["CidrBlock"] = "bad"
    doc["Subnets"][2]["VpcId"] = "vpc-0gone"
    doc["Vpcs"].append(copy.deepcopy(doc["Vpcs"][1]))
    doc["SecurityGroups"][0]["IpPermissions"][0]["FromPort"] = -5
    doc["Vpcs"][0]["Colour"] = "red"
    diags = errors_of(write(tmp_path, doc))
    error_paths = {d.path for d in diags if d.severity is Severity.ERROR}
    assert {
        "$.Subnets[0].CidrBlock",
        "$.Subnets[2].VpcId",
        "$.Vpcs[2]",
        "$.SecurityGroups[0].IpPermissions[0].FromPort",
    } <= error_paths
    assert any(d.path == "$.Vpcs[0].Colour" for d in diags if d.severity is Severity.WARNING)
    # Sorted by file, then path (naturally: [2] before [10]).
    keys = [(d.file or "", d.path or "") for d in diags]
    assert keys == sorted(keys)


def test_wrong_shapes_are_errors(tmp_path):
    doc = kitchen()
    doc["Vpcs"] = {"VpcId": "vpc-0a"}
    doc["Subnets"].append("subnet-0x")
    doc["NatGateways"].append({"VpcId": "vpc-0a"})
    diags = errors_of(write(tmp_path, doc))
    assert "must be a list" in find(diags, Severity.ERROR, "$.Vpcs").message
    assert "expected an object" in find(diags, Severity.ERROR, "$.Subnets[3]").message
    assert "NatGatewayId" in find(diags, Severity.ERROR, "$.NatGateways[2]").message


def test_invalid_onprem_cidr(tmp_path):
    diags = errors_of(KITCHEN_SINK, onprem_cidrs=["10.0.0.0/99"])
    assert any("on-prem" in d.message and "10.0.0.0/99" in d.message for d in diags)


def test_truncated_output_is_a_warning(tmp_path):
    doc = kitchen()
    doc["NextToken"] = "abc"
    result = load_snapshot(write(tmp_path, doc))
    assert "truncated" in find(result.diagnostics, Severity.WARNING, "$.NextToken").message


def test_netcheck_json_validation_errors_have_paths_and_ids(tmp_path):
    from netcheck.inputs import dumps_network

    doc = json.loads(dumps_network(load_snapshot(KITCHEN_SINK).network))
    doc["subnets"][1]["cidr_block"] = "10.0.2.0/99"
    doc["vpcs"][0]["bogus"] = 1
    path = write(tmp_path, doc)
    diags = errors_of(path)
    d = find(diags, Severity.ERROR, "$.subnets[1].cidr_block")
    assert (d.file, d.resource_id) == (str(path), doc["subnets"][1]["id"])
    assert find(diags, Severity.ERROR, "$.vpcs[0].bogus").resource_id == "vpc-0a"


def test_netcheck_json_dangling_references_and_duplicates(tmp_path):
    from netcheck.inputs import dumps_network

    doc = json.loads(dumps_network(load_snapshot(KITCHEN_SINK).network))
    doc["subnets"][0]["route_table_id"] = "rtb-0gone"
    doc["vpcs"].append(doc["vpcs"][0])
    diags = errors_of(write(tmp_path, doc))
    assert "rtb-0gone" in find(diags, Severity.ERROR, "$.subnets[0].route_table_id").message
    assert "$.vpcs[0]" in find(diags, Severity.ERROR, "$.vpcs[2]").message


def test_netcheck_json_unsupported_schema_version(tmp_path):
    doc = {"schema_version": "999", "vpcs": []}
    d = find(errors_of(write(tmp_path, doc)), Severity.ERROR, "$.schema_version")
    assert "999" in d.message


_WEIRD = (None, 7, "x", [], {"a": 1})


def _targets(doc: dict):
    """Paths to the first record of every key, its fields, and one level below them."""
    for key, records in doc.items():
        yield (key, 0)
        for field, value in records[0].items():
            yield (key, 0, field)
            if isinstance(value, list) and value and isinstance(value[0], dict):
                for inner in value[0]:
                    yield (key, 0, field, 0, inner)
            elif isinstance(value, dict):
                for inner in value:
                    yield (key, 0, field, inner)


def test_no_raw_exception_escapes_for_odd_values(tmp_path):
    path = tmp_path / "snap.json"
    # One record per key keeps each load small; the first record is the one mutated.
    text = json.dumps({k: v[:1] for k, v in kitchen().items()})
    count = 0
    for target in _targets(json.loads(text)):
        for value in _WEIRD:
            doc = json.loads(text)
            node = doc
            for part in target[:-1]:
                node = node[part]
            node[target[-1]] = value
            path.write_text(json.dumps(doc))
            try:
                outcome = load_snapshot(path)
            except SnapshotError as exc:
                assert exc.diagnostics, (target, value)
            else:
                assert isinstance(outcome, LoadResult)
            count += 1
    assert count > 1000


def test_nat_gateway_in_missing_subnet_is_an_error(tmp_path):
    doc = kitchen()
    doc["NatGateways"][0]["SubnetId"] = "subnet-0gone"
    d = find(errors_of(write(tmp_path, doc)), Severity.ERROR, "$.NatGateways[0].SubnetId")
    assert d.resource_id == "nat-0a" and "subnet-0gone" in d.message


def test_near_miss_reference_suggests_the_id(tmp_path):
    doc = kitchen()
    doc["RouteTables"][1]["Associations"][0]["SubnetId"] = "subnet-0a3"
    result = load_snapshot(write(tmp_path, doc))
    d = find(result.diagnostics, Severity.WARNING, "$.RouteTables[1].Associations[0].SubnetId")
    assert d.message.startswith("associated subnet subnet-0a3 is not in the snapshot (did you mean")
    assert "subnet-0a1" in d.message


# Network ACL entries AWS could not have printed (issue #9, section 6). On the base commit the
# sample's verdict for internet -> web tcp/443 flipped with the order of its two ingress
# entries numbered 100 (reachable as written, unreachable when swapped).
NACL_SAMPLE = DATA / "bad" / "nacl-duplicate-rule.json"
WEB_ACL = "acl-0web"


def nacl_doc() -> dict:
    return json.loads(NACL_SAMPLE.read_text())


def entries(doc: dict) -> list[dict]:
    return doc["NetworkAcls"][0]["Entries"]


@pytest.mark.parametrize("swap", [False, True])
def test_duplicate_nacl_rule_number_is_an_error_in_either_order(tmp_path, swap):
    doc = nacl_doc()
    if swap:
        entries(doc)[2], entries(doc)[3] = entries(doc)[3], entries(doc)[2]
    path = write(tmp_path, doc)
    (d,) = [d for d in errors_of(path) if d.severity is Severity.ERROR]
    assert (d.file, d.path, d.resource_id) == (str(path), "$.NetworkAcls[0].Entries[3]", WEB_ACL)
    assert d.message.startswith("duplicate rule number 100 (ingress) in acl-0web: also at ")
    assert f"{path} $.NetworkAcls[0].Entries[2]" in d.message


def test_same_rule_number_in_both_directions_is_fine(tmp_path):
    doc = nacl_doc()
    del entries(doc)[3]  # leaves 100 egress and 100 ingress
    net = load_snapshot(write(tmp_path, doc)).network
    assert len(net.network_acl(WEB_ACL).entries) == 4


@pytest.mark.parametrize(
    ("index", "change", "needle"),
    [
        (3, {"RuleAction": "allow"}, "rule 32767 is AWS's final rule (*)"),
        (1, {"RuleAction": "allow"}, "this egress entry is allow all protocols 0.0.0.0/0"),
        (3, {"Protocol": "6", "PortRange": {"From": 1, "To": 65535}}, "protocol 6"),
        (3, {"CidrBlock": "10.0.0.0/8"}, "deny all protocols 0.0.0.0/0"),
        (3, {"RuleNumber": 32768}, "deny all protocols ::/0"),
    ],
)
def test_star_rule_that_is_not_aws_s_own_is_an_error(tmp_path, index, change, needle):
    doc = nacl_doc()
    del entries(doc)[3]
    entries(doc)[index].update(change)
    path = write(tmp_path, doc)
    (d,) = [d for d in errors_of(path) if d.severity is Severity.ERROR]
    assert (d.path, d.resource_id) == (f"$.NetworkAcls[0].Entries[{index}]", WEB_ACL)
    assert needle in d.message


def test_ipv6_star_rule_32768_is_accepted(tmp_path):
    doc = nacl_doc()
    del entries(doc)[3]
    star6 = {"Ipv6CidrBlock": "::/0", "Egress": False, "Protocol": "-1", "RuleAction": "deny"}
    entries(doc).append({**star6, "RuleNumber": 32768})
    net = load_snapshot(write(tmp_path, doc)).network
    assert len(net.network_acl(WEB_ACL).entries) == 5


@pytest.mark.parametrize("number", [0, -5, 32769, 65535, 100000])
def test_user_rule_outside_1_to_32766_is_an_error(tmp_path, number):
    doc = nacl_doc()
    entries(doc)[3]["RuleNumber"] = number
    path = write(tmp_path, doc)
    (d,) = [d for d in errors_of(path) if d.severity is Severity.ERROR]
    assert (d.path, d.resource_id) == ("$.NetworkAcls[0].Entries[3]", WEB_ACL)
    assert f"rule number {number} (ingress) is out of range" in d.message
    assert "1-32766" in d.message


def _native_with_entries(tmp_path: Path, mutate) -> Path:
    """netcheck JSON of the sample (its duplicate removed), then `mutate`d."""
    from netcheck.inputs import dumps_network

    doc = nacl_doc()
    del entries(doc)[3]
    native = json.loads(dumps_network(load_snapshot(write(tmp_path, doc, "aws.json")).network))
    mutate(native["network_acls"][0]["entries"])
    return write(tmp_path, native, "net.json")


def test_netcheck_json_nacl_entries_are_checked_the_same_way(tmp_path):
    def mutate(items: list[dict]) -> None:
        items.append({**items[-1], "provenance": None})  # a second ingress 32767
        items[0]["rule_number"] = 40000

    path = _native_with_entries(tmp_path, mutate)
    diags = [d for d in errors_of(path) if d.severity is Severity.ERROR]
    by_path = {d.path: d for d in diags}
    assert set(by_path) == {"$.network_acls[0].entries[0]", "$.network_acls[0].entries[4]"}
    assert all(d.file == str(path) and d.resource_id == WEB_ACL for d in diags)
    assert "out of range" in by_path["$.network_acls[0].entries[0]"].message
    dup = by_path["$.network_acls[0].entries[4]"].message
    assert dup.startswith("duplicate rule number 32767 (ingress)")
    assert "also at $.network_acls[0].entries[3]" in dup  # one-file format: no file name


def test_netcheck_json_star_rule_allow_is_an_error(tmp_path):
    def mutate(items: list[dict]) -> None:
        items[-1]["action"] = "allow"

    path = _native_with_entries(tmp_path, mutate)
    (d,) = [d for d in errors_of(path) if d.severity is Severity.ERROR]
    assert d.path == "$.network_acls[0].entries[3]" and "final rule (*)" in d.message


def test_cli_query_on_a_snapshot_with_duplicate_nacl_rules_exits_2():
    from typer.testing import CliRunner

    from netcheck.cli import app

    argv = ["query", str(NACL_SAMPLE), "--from", "internet", "--to", "web"]
    r = CliRunner().invoke(app, [*argv, "--protocol", "tcp", "--port", "443"])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert (
        f"error: {NACL_SAMPLE} $.NetworkAcls[0].Entries[3] [acl-0web]: duplicate rule number "
        "100 (ingress)" in r.stderr
    )


# A 5,000-digit integer: Python's json module refuses integers of more than 4,300 digits with a
# ValueError that names no place; on the base commit that surfaced as "internal error".
HUGE = "7" * 5000


def test_huge_integer_in_a_file_names_file_and_path(tmp_path):
    text = json.dumps(nacl_doc()).replace('"RuleNumber": 32767', f'"RuleNumber": {HUGE}', 1)
    path = write(tmp_path, text)
    (d,) = errors_of(path)
    assert (d.severity, d.file, d.path) == (
        Severity.ERROR,
        str(path),
        "$.NetworkAcls[0].Entries[1].RuleNumber",
    )
    assert "integer of 5000 digits" in d.message and len(d.message) < 200


def test_huge_negative_integers_anywhere_are_each_reported(tmp_path):
    doc = nacl_doc()
    doc["Vpcs"][0]["Colour"] = 0
    doc["NetworkAcls"][0]["Entries"][2]["PortRange"]["To"] = 1
    text = json.dumps(doc).replace('"Colour": 0', f'"Colour": -{HUGE}')
    text = text.replace('"To": 1}', f'"To": {HUGE}}}')
    paths = {d.path for d in errors_of(write(tmp_path, text, "Vpcs.json"))}
    assert paths == {"$.Vpcs[0].Colour", "$.NetworkAcls[0].Entries[2].PortRange.To"}


def test_huge_integer_in_netcheck_json_file(tmp_path):
    from netcheck.inputs import dumps_network

    text = dumps_network(load_snapshot(KITCHEN_SINK).network)
    text = text.replace('"rule_number": 100', f'"rule_number": {HUGE}', 1)
    (d,) = errors_of(write(tmp_path, text))
    assert d.path.startswith("$.network_acls[") and d.path.endswith("].rule_number")


def test_huge_integer_in_a_document_in_memory():
    from netcheck.inputs import dumps_network

    # A reader that checks the value (an integer field) says it is too large ...
    doc = nacl_doc()
    entries(doc)[2]["RuleNumber"] = 10**5000
    diags = errors_of(doc)
    d = find(diags, Severity.ERROR, "$.NetworkAcls[0].Entries[2].RuleNumber")
    assert d.file == "<memory>" and "too large" in d.message
    # ... one that would print it (an address) is caught and the value located ...
    doc = nacl_doc()
    doc["NetworkInterfaces"][0]["PrivateIpAddresses"][0]["PrivateIpAddress"] = -(10**5000)
    d = find(
        errors_of(doc),
        Severity.ERROR,
        "$.NetworkInterfaces[0].PrivateIpAddresses[0].PrivateIpAddress",
    )
    assert "integer of 5001 digits" in d.message or "integer of 5000 digits" in d.message
    # ... and netcheck JSON in memory is located too.
    native = json.loads(dumps_network(load_snapshot(KITCHEN_SINK).network))
    native["vpcs"][0]["colour"] = 10**5000
    d = find(errors_of(native), Severity.ERROR, "$.vpcs[0].colour")
    assert d.file == "<memory>" and "digits" in d.message


def test_cli_huge_integer_exits_2_without_internal_error(tmp_path):
    from typer.testing import CliRunner

    from netcheck.cli import app

    path = write(tmp_path, json.dumps(nacl_doc()).replace("32767", HUGE, 1))
    r = CliRunner().invoke(app, ["query", str(path), "--from", "internet", "--to", "web"])
    assert r.exit_code == 2, r.output
    assert "internal error" not in r.output and "Traceback" not in r.output
    assert f"error: {path} $.NetworkAcls[0].Entries[1]" in r.stderr


# Numbers AWS prints as JSON numbers are not read from strings (nor booleans from strings,
# nor protocols from numbers): one rule, stated in the message.
@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (
            lambda d: entries(d)[2].update(RuleNumber="100"),
            "$.NetworkAcls[0].Entries[2].RuleNumber",
        ),
        (
            lambda d: entries(d)[2]["PortRange"].update(From="443"),
            "$.NetworkAcls[0].Entries[2].PortRange.From",
        ),
        (
            lambda d: d["SecurityGroups"][0]["IpPermissions"][0].update(FromPort="443"),
            "$.SecurityGroups[0].IpPermissions[0].FromPort",
        ),
        (lambda d: entries(d)[2].update(Egress="false"), "$.NetworkAcls[0].Entries[2].Egress"),
        (lambda d: entries(d)[2].update(Protocol=6), "$.NetworkAcls[0].Entries[2].Protocol"),
    ],
)
def test_values_are_read_with_the_json_type_aws_prints(tmp_path, mutate, path):
    from netcheck.inputs.values import TYPE_RULE

    doc = nacl_doc()
    del entries(doc)[3]
    mutate(doc)
    file = write(tmp_path, doc)
    d = find(errors_of(file), Severity.ERROR, path)
    assert (d.file, d.resource_id) == (
        str(file),
        doc[path.split(".")[1].split("[")[0]][0].get(
            "NetworkAclId", doc["SecurityGroups"][0]["GroupId"]
        ),
    )
    assert TYPE_RULE in d.message


@pytest.mark.parametrize(
    ("field", "value", "found"),
    [
        ("rule_number", "100", "got a string ('100')"),
        ("rule_number", True, "got a boolean"),
        ("rule_number", 100.0, "got a number"),
        ("protocol", "6", "got a string ('6')"),
    ],
)
def test_netcheck_json_values_are_not_converted(tmp_path, field, value, found):
    def mutate(items: list[dict]) -> None:
        items[0][field] = value

    path = _native_with_entries(tmp_path, mutate)
    d = find(errors_of(path), Severity.ERROR, f"$.network_acls[0].entries[0].{field}")
    assert d.resource_id == WEB_ACL
    assert found in d.message and "never converted" in d.message
