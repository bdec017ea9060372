"""Rule files: the model, YAML loading with file/line/field messages, the generated schema, and
`netcheck rules validate / list / schema`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import typer
import yaml
from typer.testing import CliRunner

from netcheck.cli.check import register
from netcheck.policy import RuleError, builtin_rules_path, check_rule_files, load_rules
from netcheck.policy.loading import read_rule_file
from netcheck.policy.schema import rule_schema, schema_text

REPO = Path(__file__).resolve().parent.parent

GOOD = """\
rules:
  - id: XY-101
    title: App servers only reach the internet through the NAT gateway
    severity: low
    rationale: Egress is inspected at the NAT.
    from: {type: [instance], tags: {Tier: app}}
    to: internet
    protocol: tcp
    ports: [443, 8000-8080]
    expect: only-through
    through: [nat-gateway]
"""


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def problems(tmp_path: Path, text: str) -> list:
    rules, diags = read_rule_file(write(tmp_path, text))
    assert not rules
    return diags


def test_good_file_loads(tmp_path):
    (rule,) = load_rules(write(tmp_path, GOOD))
    assert rule.id == "XY-101" and rule.port_specs == (443, "8000-8080")
    assert rule.through == ["nat-gateway"]


def test_builtin_pack_loads_with_unique_ids():
    rules = load_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids)) >= 9
    assert all(r.rationale and r.fix and r.title for r in rules)


def test_bad_port_names_file_line_and_field(tmp_path):
    (d,) = problems(tmp_path, GOOD.replace("8000-8080", "70000"))
    assert d.file.endswith("rules.yaml")
    assert d.line == 9  # the `ports` line
    assert d.path == "rules[0].ports"
    assert d.resource_id == "XY-101"
    assert "70000" in d.message
    assert str(d).startswith(f"error: {d.file}:9:")


def test_unknown_field_and_bad_enum(tmp_path):
    text = GOOD.replace("severity: low", "severity: extreme").replace(
        "protocol: tcp", "protocol: tcp\n    colour: red"
    )
    diags = {d.path: d for d in problems(tmp_path, text)}
    assert diags["rules[0].severity"].line == 4
    assert "critical" in diags["rules[0].severity"].message
    assert diags["rules[0].colour"].line == 9
    assert "not permitted" in diags["rules[0].colour"].message


def test_missing_field_points_at_the_rule(tmp_path):
    diags = problems(tmp_path, GOOD.replace("    rationale: Egress is inspected at the NAT.\n", ""))
    (d,) = diags
    assert d.path == "rules[0].rationale" and "required" in d.message.lower()
    assert d.line == 2  # the rule's mapping starts on line 2


def test_cross_field_checks(tmp_path):
    (d,) = problems(tmp_path, GOOD.replace("    through: [nat-gateway]\n", ""))
    assert "needs `through`" in d.message and d.path == "rules[0]"
    (d,) = problems(tmp_path, GOOD.replace("protocol: tcp", "protocol: icmp"))
    assert "`ports` needs" in d.message


def test_selector_errors_are_not_drowned_by_union_noise(tmp_path):
    diags = problems(tmp_path, GOOD.replace("type: [instance]", "type: [router]"))
    assert len(diags) == 1
    assert diags[0].path == "rules[0].from.type[0]" and diags[0].line == 6
    diags = problems(
        tmp_path, GOOD.replace("from: {type: [instance], tags: {Tier: app}}", "from: {}")
    )
    assert len(diags) == 1 and "picks nothing" in diags[0].message


def test_yaml_syntax_error_has_line(tmp_path):
    (d,) = problems(tmp_path, "rules:\n  - id: [unclosed\n")
    assert "not valid YAML" in d.message and d.line == 3


def test_duplicate_key_is_an_error(tmp_path):
    (d,) = problems(
        tmp_path, GOOD.replace("    protocol: tcp\n", "    protocol: tcp\n    protocol: udp\n")
    )
    assert "duplicate key 'protocol'" in d.message and d.line == 9


def test_unsafe_yaml_is_refused(tmp_path):
    (d,) = problems(tmp_path, "rules: !!python/object/apply:os.system ['true']\n")
    assert "not valid YAML" in d.message


def test_duplicate_ids_across_files(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    rules, diags = check_rule_files([tmp_path])
    assert len(rules) == 1
    (d,) = diags
    assert d.file.endswith("b.yaml") and "already used" in d.message
    with pytest.raises(RuleError) as e:
        load_rules(tmp_path)
    assert e.value.diagnostics == (d,)


def test_missing_path(tmp_path):
    with pytest.raises(RuleError):
        load_rules(tmp_path / "nope.yaml")


def test_committed_schema_is_the_generated_one():
    committed = (REPO / "rules" / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "regenerate: netcheck rules schema > rules/schema.json"


def test_schema_accepts_the_pack_and_rejects_bad_rules(tmp_path):
    schema = rule_schema()
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for f in sorted(builtin_rules_path().glob("*.yaml")):
        validator.validate(yaml.safe_load(f.read_text(encoding="utf-8")))
    validator.validate(yaml.safe_load(GOOD))
    bad = yaml.safe_load(GOOD.replace("severity: low", "severity: extreme"))
    assert not validator.is_valid(bad)
    bad = yaml.safe_load(GOOD.replace("id: XY-101", "id: nc1"))
    assert not validator.is_valid(bad)


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        pass

    return app


def test_cli_validate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(cli(), ["rules", "validate"])
    assert ok.exit_code == 0, ok.output
    assert "valid" in ok.output
    bad = write(tmp_path, GOOD.replace("8000-8080", "70000"))
    res = runner.invoke(cli(), ["rules", "validate", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}:9:" in res.output and "rules[0].ports" in res.output


def test_cli_list_and_schema():
    runner = CliRunner()
    res = runner.invoke(cli(), ["rules", "list"])
    assert res.exit_code == 0 and "NC-001" in res.output
    res = runner.invoke(cli(), ["rules", "schema"])
    assert res.exit_code == 0 and json.loads(res.output)["title"] == "netcheck rule file"
