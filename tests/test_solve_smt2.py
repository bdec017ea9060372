"""`emit_smt2`: every candidate path of an unreachable query is written as SMT-LIB 2
(QF_BV) and an independent solver (cvc5) confirms each file is unsatisfiable; z3 agrees."""

from __future__ import annotations

import cvc5
import z3
from strategies import Builder, egress, inbound, ingress, outbound, ports, route

from netcheck.api import Snapshot, Verdict
from netcheck.model import TCP


def cvc5_check(text: str) -> str:
    solver = cvc5.Solver()
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "netcheck")
    symbols = parser.getSymbolManager()
    results = []
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        out = cmd.invoke(solver, symbols)
        if out.strip():
            results.append(out.strip())
    assert len(results) == 1, results
    return results[0]


def snapshot() -> Snapshot:
    """web (public) and app subnets; the app SG allows 22 only; the app ACL denies 22 from
    the web subnet; the app instance also has a public IP (a second candidate path)."""
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.igw("igw-a", "vpc-a")
    b.route_table("rtb-pub", "vpc-a", route("0.0.0.0/0", "internet-gateway", "igw-a"))
    b.acl(
        "acl-app",
        "vpc-a",
        inbound(90, "deny", "10.0.1.0/24", protocol=TCP, port_range=ports(22)),
        inbound(100),
        outbound(100),
    )
    b.subnet("subnet-web", "vpc-a", "10.0.1.0/24", rtb="rtb-pub")
    b.subnet("subnet-app", "vpc-a", "10.0.2.0/24", rtb="rtb-pub", acl="acl-app")
    b.sg("sg-web", "vpc-a", ingress(TCP, ports(443)), egress())
    b.sg("sg-app", "vpc-a", ingress(TCP, ports(22), cidr="10.0.0.0/16"), egress())
    b.eni("eni-web", "subnet-web", "10.0.1.10", "sg-web", public="3.0.0.10")
    b.eni("eni-app", "subnet-app", "10.0.2.10", "sg-app", public="3.0.0.20")
    return Snapshot(b.build())


def test_unreachable_paths_are_unsat_in_cvc5_and_z3(tmp_path):
    a = snapshot().query("eni-web", "eni-app", protocol="tcp", port=22, emit_smt2=tmp_path)
    assert a.verdict is Verdict.UNREACHABLE
    files = sorted(tmp_path.glob("*.smt2"))
    assert len(files) == a.proof.paths_checked >= 2
    assert set(a.proof.smt2_files) == {str(f) for f in files}
    for f in files:
        text = f.read_text()
        assert text.startswith("(set-logic QF_BV)") and text.rstrip().endswith("(check-sat)")
        assert cvc5_check(text) == "unsat", f
        s = z3.Solver()
        s.from_string(text)
        assert s.check() == z3.unsat, f


def test_reachable_query_paths_are_not_claimed_unsat(tmp_path):
    """Emission on a reachable query writes only the paths that failed; cvc5 agrees."""
    a = snapshot().query("eni-app", "eni-web", protocol="tcp", port=443, emit_smt2=tmp_path)
    assert a.verdict is Verdict.REACHABLE
    for f in tmp_path.glob("*.smt2"):
        assert cvc5_check(f.read_text()) == "unsat"


def test_connection_whose_reply_fails_is_unsat_with_its_replies(tmp_path):
    """The forward packet arrives but the app subnet's outbound ACL drops every reply to an
    ephemeral port: the emitted formula (forward and some reply) is unsat."""
    b = Builder()
    b.vpc("vpc-a", "10.0.0.0/16")
    b.acl("acl-app", "vpc-a", inbound(100), outbound(100, protocol=TCP, port_range=ports(22)))
    b.subnet("subnet-web", "vpc-a", "10.0.1.0/24")
    b.subnet("subnet-app", "vpc-a", "10.0.2.0/24", acl="acl-app")
    b.sg("sg-all", "vpc-a", ingress(), egress())
    b.eni("eni-web", "subnet-web", "10.0.1.10", "sg-all")
    b.eni("eni-app", "subnet-app", "10.0.2.10", "sg-all")
    a = Snapshot(b.build()).query(
        "eni-web", "eni-app", protocol="tcp", port=22, src_port="1024-65535", emit_smt2=tmp_path
    )
    assert a.verdict is Verdict.UNREACHABLE
    assert any(x.direction == "return" for x in a.proof.blockers)
    files = list(tmp_path.glob("*.smt2"))
    assert files
    for f in files:
        assert cvc5_check(f.read_text()) == "unsat"
