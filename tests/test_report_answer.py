"""The text and JSON renderings of answers (what `netcheck query` prints)."""

import json

import pytest
from conftest import FIXTURES
from rich.console import Console

import netcheck
from netcheck.report.answer import answer_json, render_answer_text


@pytest.fixture(scope="module")
def net():
    return netcheck.load(FIXTURES / "three-tier")


def _text(answer) -> str:
    console = Console(width=400, record=True, highlight=False)
    render_answer_text(answer, console)
    return console.export_text()


def test_witness_text_shows_packet_hops_both_ways_and_verdict(net):
    answer = net.query("app-1", "db", protocol="tcp", port=3306)
    text = _text(answer)
    assert "forward path" in text and "return path" in text
    for hop in answer.witness.path + answer.witness.return_path:
        assert hop.component_id in text
    assert str(answer.witness.packet) in text
    assert text.rstrip().endswith("verdict: REACHABLE")


def test_proof_text_names_the_blocking_rule_and_code(net):
    answer = net.query("bastion", "db", protocol="tcp", port=3306)
    text = _text(answer)
    assert "SUBNET_ACL_RESTRICTION" in text
    assert "deny tcp/3306 from 10.0.1.0/24" in text
    assert text.rstrip().endswith("verdict: UNREACHABLE")


def test_json_is_the_answer_contract(net):
    answer = net.query("internet", "db", protocol="tcp", port=3306)
    doc = json.loads(answer_json(answer))
    assert doc == answer.to_dict()
    assert doc["verdict"] == "unreachable"
    assert {"component_id", "code", "rule", "message"} <= set(doc["proof"]["blockers"][0])
