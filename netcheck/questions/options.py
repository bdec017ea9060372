"""Keyword options of the public entry points: an unknown one is a `TypeError` that names it
and the close matches, never silently ignored.

Input: the keywords a caller passed and the ones an entry point takes (a question's pydantic
parameter model, or a function's signature). Output: nothing, or a `TypeError` worded like
Python's own, with a "did you mean" (difflib) or the list of options.

A misspelt option used to change the question without a word: `exposure(snap, orign="…")`
answered for the internet, `reachable_set(…, prot="udp")` for every protocol.

    >>> check_options("exposure", ["orign"], ["origin", "timeout_ms", "group_interfaces"])
    Traceback (most recent call last):
    TypeError: exposure() got an unexpected keyword argument 'orign' (did you mean 'origin'?)
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from pydantic import BaseModel

__all__ = ["build_params", "check_options", "model_options", "suggest_keywords"]

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)


def check_options(where: str, given: Iterable[str], known: Iterable[str]) -> None:
    """Raise `TypeError` naming every keyword in `given` that `known` lacks."""
    options = sorted(set(known))
    unknown = [name for name in given if name not in options]
    if not unknown:
        return
    problems = []
    for name in unknown:
        close = difflib.get_close_matches(name, options, n=3, cutoff=0.6)
        hint = (
            f"did you mean {' or '.join(repr(c) for c in close)}?"
            if close
            else f"options: {', '.join(options)}"
        )
        problems.append(f"{where}() got an unexpected keyword argument {name!r} ({hint})")
    raise TypeError("; ".join(problems))


def model_options(model: type[BaseModel], include: Iterable[str] = ()) -> frozenset[str]:
    """The keywords an entry point built on `model` takes: its fields (those also passed
    positionally too: a keyword may name them), plus the function's own (`include`, e.g.
    `progress`)."""
    return frozenset(model.model_fields) | set(include)


def build_params(model: type[M], where: str, include: Iterable[str] = (), **fields: Any) -> M:
    """`model(**fields)` after checking every keyword is one of its fields (or `include`)."""
    check_options(where, fields, model_options(model, include=include))
    return model(**fields)


def suggest_keywords(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a function with an explicit signature so that an unexpected keyword argument
    raises `TypeError` with the close matches (Python's own error names no alternative)."""
    params = inspect.signature(func).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return func
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    known = frozenset(p.name for p in params if p.kind in kinds and p.name != "self")
    where = func.__qualname__

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not known.issuperset(kwargs):
            check_options(where, kwargs, known)
        return func(*args, **kwargs)

    return wrapper
