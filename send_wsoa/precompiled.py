"""Queries whose SQL is compiled once per process.

Django builds and compiles a queryset's SQL afresh every time it runs. For the fixed queries
a page always asks (the action page's history, the dashboard's lists) that costs more than
the database takes to answer: a millisecond or more each, most of a page's time at the size
of a real plan. `precompiled` builds such a query once, with stand-in values for its
arguments, keeps the SQL, and on each call runs that SQL with the real values where the
stand-ins were, reading the rows exactly as the queryset would (models, values, related
objects and prefetches).

Only a query whose shape does not depend on its arguments can be precompiled: arguments are
whole numbers, text, dates or aware datetimes used as values, never lists or None (which
change the SQL).
Anything else is refused when the query is first built, not run wrongly. Every value that
varies must be an argument, today's date included: whatever else the function reads (the
clock, a setting) is fixed at its first call."""

import copy
import datetime as dt
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Stand-ins no real argument equals: ids far past any plan's (and within PostgreSQL's
# integer), text no one types, dates nine centuries away.
_FIRST_ID = 2_000_000_000
_TEXT = "\x1fstand-in {}\x1f"


class NotPrecompilable(TypeError):
    """The query cannot be compiled once: its SQL would depend on its arguments."""


def _stand_in(position: int, value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        raise NotPrecompilable(f"argument {position} is {value!r}: it changes the SQL")
    if isinstance(value, int):
        return _FIRST_ID + position
    if isinstance(value, str):
        return _TEXT.format(position)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise NotPrecompilable(f"argument {position} is a datetime without a time zone")
        return dt.datetime(2900 + position, 1, 1, tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.date(2900 + position, 1, 1)
    raise NotPrecompilable(f"argument {position} is a {type(value).__name__}")


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: Any
    sql: str
    params: tuple
    # (index in params, argument position, whether the database is given it as text)
    slots: tuple[tuple[int, int, bool], ...]
    kinds: tuple[type, ...]


class _CompiledQuery:
    """The query of one call: the compiled query's attributes, with its compiler."""

    def __init__(self, query, compiler) -> None:
        self._query = query
        self._compiler = compiler

    def get_compiler(self, *args, **kwargs):
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)


def _as_given(value: Any, connection) -> Any:
    """A value as the database is given it when it is not given as itself: SQLite is given
    dates and datetimes as text (datetimes in UTC)."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return str(value)


def _slots(params: tuple, stand_ins: list, name: str,
           connection) -> tuple[tuple[int, int, bool], ...]:
    slots = []
    for index, param in enumerate(params):
        for position, stand_in in enumerate(stand_ins):
            if type(param) is type(stand_in) and param == stand_in:
                slots.append((index, position, False))
                break
            if isinstance(param, str) and not isinstance(stand_in, str) and \
                    param == _as_given(stand_in, connection):
                slots.append((index, position, True))
                break
        else:
            if isinstance(param, str) and "\x1fstand-in" in param:
                raise NotPrecompilable(f"{name}: an argument is changed before it is used")
    if {position for _, position, _ in slots} != set(range(len(stand_ins))):
        raise NotPrecompilable(f"{name}: an argument is not a value of the SQL")
    return tuple(slots)


class precompiled:  # noqa: N801 (used as a decorator, like functools.cache)
    """`@precompiled` on a function of plain values returning a QuerySet: calling it runs
    the query compiled on the first call and returns its rows as a list."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        functools.update_wrapper(self, build)
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def _compile(self, args: tuple) -> _Compiled:
        stand_ins = [_stand_in(position, value) for position, value in enumerate(args)]
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        return _Compiled(queryset=queryset, compiler=compiler, sql=sql, params=tuple(params),
                         slots=_slots(tuple(params), stand_ins, self.build.__qualname__,
                                      compiler.connection),
                         kinds=tuple(type(stand_in) for stand_in in stand_ins))

    def _compiled_for(self, args: tuple) -> _Compiled:
        compiled = self._compiled
        if compiled is None:
            with self._lock:
                compiled = self._compiled = self._compiled or self._compile(args)
        if tuple(type(_stand_in(0, value)) for value in args) != compiled.kinds:
            raise NotPrecompilable(f"{self.build.__qualname__} takes {compiled.kinds}")
        return compiled

    def sql(self, *args: Any) -> tuple[str, tuple]:
        """The query's SQL and its parameters for these values, for a query written round
        it (as a common table expression, say)."""
        return self._with_values(self._compiled_for(args), args)

    @staticmethod
    def _with_values(compiled: _Compiled, args: tuple) -> tuple[str, tuple]:
        connection = connections[compiled.compiler.using]
        params = list(compiled.params)
        for index, position, as_given in compiled.slots:
            params[index] = (_as_given(args[position], connection) if as_given
                             else args[position])
        return compiled.sql, tuple(params)

    def __call__(self, *args: Any) -> list:
        compiled = self._compiled_for(args)
        fixed = self._with_values(compiled, args)
        # A compiler of this call's own, on this thread's connection: it has already worked
        # out the columns and how to read them; only its SQL's values change.
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connections[compiler.using]
        compiler.as_sql = lambda *args, **kwargs: fixed
        # The compiled queryset's own state (its model, prefetches, how rows are read), never
        # run itself: copy.copy would run it, to pickle its rows.
        queryset = QuerySet.__new__(type(compiled.queryset))
        queryset.__dict__ = {**vars(compiled.queryset), "_result_cache": None,
                             "_prefetch_done": False,
                             "_query": _CompiledQuery(compiled.queryset.query, compiler)}
        return [*queryset]
