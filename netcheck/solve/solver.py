"""The one Z3 wrapper: an assertion stack with scopes, a deadline, and plain answers.

Input: Z3 formulas (from compile/). Output: `True`/`False` per check, model values as ints,
the first step of a path that leaves no packet, an unsat core as labels, SMT-LIB text — or
`SolverGaveUp` when the deadline passes or Z3 answers unknown ("not unsat" is never "sat").

Every check of one question shares a `Deadline`: the time left becomes the check's timeout.
Scopes replace push/try/pop::

    solver = Solver(Deadline(30000))
    solver.add(query)
    with solver.scope():
        solver.add(*path.formulas())
        if solver.check():
            values = solver.value(p.dst_port)

`possible` is the check exploration prunes with: it never gives up (an unknown answer keeps
the branch). `prefer` keeps a preference only if it leaves a packet (readable witnesses).

Z3 answers depend on more than the formulas: the order in which terms are created and
asserted, and which terms are alive (Z3 recycles the ids of freed terms, and ids order its
internal work). So this wrapper asserts exactly when told and holds no term longer than a
plain push/pop would — keep it that way, or witnesses and cores change.
"""

from __future__ import annotations

import time

import z3

from netcheck.compile.steps import Step
from netcheck.errors import SolverGaveUp

__all__ = ["INCREMENTAL_TRY", "Deadline", "Solver", "SolverGaveUp", "smt2_script"]

# How much work the incremental solver may spend on a check before a one-shot solver takes
# over, in Z3 resource units (`rlimit`): about 50 ms on the benchmark machine. A unit count,
# not a time, so which solver answers — and with it which witness a user sees — does not
# depend on how busy the machine is.
INCREMENTAL_TRY = 60_000
# Z3's reason when a check ran out of its resource units (not of time).
_OUT_OF_UNITS = "max. resource limit exceeded"


class Deadline:
    """The time budget of one question, shared by all its solvers; counts their checks.

    `expired` is the message when the budget is spent before a check starts;
    `timeout_text` (if set) replaces Z3's "timeout"/"canceled" in the give-up message.
    """

    def __init__(
        self, timeout_ms: int, *, expired: str | None = None, timeout_text: str | None = None
    ) -> None:
        self.at = time.monotonic() + timeout_ms / 1000
        self.timeout_ms = timeout_ms
        self.expired = expired if expired is not None else f"solver timeout after {timeout_ms} ms"
        self.timeout_text = timeout_text
        self.checks = 0

    def remaining_ms(self) -> int:
        return int((self.at - time.monotonic()) * 1000)

    def budget_ms(self) -> int:
        """The time left, or `SolverGaveUp` when none is."""
        remaining = self.remaining_ms()
        if remaining <= 0:
            raise SolverGaveUp(self.expired)
        return remaining

    def gave_up(self, reason: str) -> SolverGaveUp:
        if self.timeout_text is not None and reason in ("timeout", "canceled"):
            reason = self.timeout_text
        return SolverGaveUp(f"solver gave up: {reason}")


class _Scope:
    """Retracts a scope's assertions when the block ends (see `Solver.scope`). Holds no
    formula: Z3 recycles the ids of terms no one holds, and which model it returns depends on
    those ids, so the wrapper never keeps a term alive longer than a plain push/pop would."""

    __slots__ = ("_forget", "_solver")

    def __init__(self, solver: Solver, forget: bool) -> None:
        self._solver = solver
        self._forget = forget

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self._solver._s.pop()
        if self._forget:
            self._solver.forget()


class Solver:
    """A Z3 assertion stack with a deadline.

    `try_units`: a check first runs on the incremental stack for at most this many Z3
    resource units; if that does not settle it, a fresh one-shot QF_BV solver gets the rest of
    the time budget (Z3's bit-blasting tactic is much faster than its incremental core on
    large address sets). None: every check runs on the stack with the whole remaining budget.
    Without a deadline only `possible` may be used (checks that never give up).
    """

    def __init__(self, deadline: Deadline | None = None, *, try_units: int | None = None) -> None:
        self._s = z3.Solver()
        self.deadline = deadline
        self.try_units = try_units
        # The model of the last sat check (with `try_units`: kept, as it may come from the
        # one-shot solver); without `try_units` it is read from the stack when asked for.
        self._model: z3.ModelRef | None = None
        self._sat = False
        # first_unsat results per prefix of steps (by identity), valid until `forget`.
        self._prefixes: dict[tuple[int, ...], bool] = {}

    # -- the assertion stack --------------------------------------------------------------

    def add(self, *formulas: z3.BoolRef) -> None:
        self._s.add(*formulas)

    def scope(self, *, forget: bool = False) -> _Scope:
        """A new level of the stack: what the `with` block adds is retracted when it ends.
        The level opens when `scope()` is called, before the block builds its formulas (a
        term built before the push gets other ids than one built after: see above).
        `forget`: the assertions under `first_unsat`'s remembered prefixes change, so the
        remembered results are dropped on entry and on exit."""
        self._s.push()
        if forget:
            self.forget()
        return _Scope(self, forget)

    def prefer(self, preference: z3.BoolRef) -> bool:
        """Assert `preference` in a new scope level if some assignment is left (True: the
        caller retracts it with `retract`), else leave the stack as it was (False)."""
        self._s.push()
        self._s.add(preference)
        if self.check():
            return True
        self._s.pop()
        return False

    def retract(self, levels: int) -> None:
        """Drop the last `levels` kept preferences."""
        for _ in range(levels):
            self._s.pop()

    def assertions(self) -> z3.AstVector:
        return self._s.assertions()

    # -- checks -----------------------------------------------------------------------------

    def check(self) -> bool:
        """Is some assignment left? Raises `SolverGaveUp` past the deadline or on unknown."""
        deadline = self.deadline
        assert deadline is not None, "a solver without a deadline only answers `possible`"
        remaining = deadline.budget_ms()
        deadline.checks += 1
        self._s.set("timeout", remaining)
        if self.try_units is None:
            r = self._s.check()
            if r == z3.unknown:
                raise deadline.gave_up(self._s.reason_unknown())
            self._sat = bool(r == z3.sat)
            return self._sat
        self._s.set("rlimit", self.try_units)
        r = self._s.check()
        self._s.set("rlimit", 0)
        if r != z3.unknown:
            self._model = self._s.model() if r == z3.sat else None
            return bool(r == z3.sat)
        if self._s.reason_unknown() != _OUT_OF_UNITS:
            raise deadline.gave_up(self._s.reason_unknown())
        one = z3.SolverFor("QF_BV")
        one.set("timeout", deadline.budget_ms())
        one.add(self._s.assertions())
        r = one.check()
        if r == z3.unknown:
            raise deadline.gave_up(one.reason_unknown())
        self._model = one.model() if r == z3.sat else None
        return bool(r == z3.sat)

    def sat_with(self, formulas: list[z3.BoolRef]) -> bool:
        """Is the current assertion set satisfiable together with `formulas`?"""
        with self.scope():
            self._s.add(*formulas)
            return self.check()

    def possible(self) -> bool:
        """Not proven unsat (no deadline: unknown counts as possible). For pruning, where a
        wrong "no" would lose packets."""
        return bool(self._s.check() != z3.unsat)

    # -- answers ------------------------------------------------------------------------------

    def model(self) -> z3.ModelRef:
        """The model of the last satisfiable `check` (ask before the assertions change)."""
        if self.try_units is None:
            assert self._sat
            return self._s.model()
        assert self._model is not None
        return self._model

    def value(self, e: z3.ExprRef) -> int:
        return value(self.model(), e)

    def first_unsat(self, steps: tuple[Step, ...]) -> int | None:
        """Index of the first step after which no packet is left (steps added in order).
        Candidate paths share prefixes: results are remembered per prefix until `forget`."""
        with self.scope():
            key: tuple[int, ...] = ()
            for i, st in enumerate(steps):
                self._s.add(st.formula())
                key = (*key, id(st))
                sat = self._prefixes.get(key)
                if sat is None:
                    sat = self._prefixes[key] = self.check()
                if not sat:
                    return i
            return None

    def forget(self) -> None:
        """The assertions under the steps changed: prefix results no longer hold."""
        self._prefixes.clear()

    def core(self, steps: tuple[Step, ...]) -> tuple[str, ...]:
        """Labels of steps that together leave no packet (an unsat core of the path, each
        step tracked by its own literal); empty when the solver does not find one quickly."""
        deadline = self.deadline
        assert deadline is not None
        lits = [z3.Bool(f"track#{i}:{st.label}") for i, st in enumerate(steps)]
        with self.scope():
            for lit, st in zip(lits, steps, strict=True):
                self._s.add(z3.Implies(lit, st.formula()))
            # A bounded effort (units, not time: the same core on a busy machine).
            self._s.set("timeout", max(1, deadline.remaining_ms()))
            self._s.set("rlimit", INCREMENTAL_TRY * 4)
            found = self._s.check(*lits)
            self._s.set("rlimit", 0)
            if found != z3.unsat:
                return ()
            core = {str(c) for c in self._s.unsat_core()}
            return tuple(st.label for lit, st in zip(lits, steps, strict=True) if str(lit) in core)


def value(m: z3.ModelRef, e: z3.ExprRef) -> int:
    """The integer `e` takes in model `m` (free variables completed)."""
    return int(m.eval(e, model_completion=True).as_long())


def smt2_script(formulas: list[z3.BoolRef]) -> str:
    """The declarations and assertions of `formulas` in SMT-LIB 2 (no logic, no check-sat:
    report/smt2.py writes the file around it)."""
    s = z3.Solver()
    s.add(*formulas)
    return str(s.sexpr())
