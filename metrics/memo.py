"""Values read once for the length of a block of code that only reads (a view computing every
goal, a batch of catalogue queries), kept in a context variable so that nested calls share them
and nothing outlives the block."""
from __future__ import annotations

import contextlib
import contextvars


_AT_EXIT = object()     # the memo's list of what to undo when its block ends


class ReadOnce:
    """A memo that exists only inside ``block()``; outside it every ``kept`` call computes."""

    def __init__(self, name: str):
        self._var: contextvars.ContextVar = contextvars.ContextVar(name, default=None)

    @contextlib.contextmanager
    def block(self):
        """Keep values until the outermost block ends (nested blocks share the outer memo)."""
        if self._var.get() is not None:
            yield
            return
        memo: dict = {}
        token = self._var.set(memo)
        try:
            yield
        finally:
            self._var.reset(token)
            for undo in reversed(memo.get(_AT_EXIT, [])):
                try:
                    undo()
                except Exception:  # noqa: BLE001 — a cursor already closed keeps nothing to undo
                    pass

    @property
    def active(self) -> bool:
        return self._var.get() is not None

    def kept(self, key, compute):
        """The value kept under ``key``, computed by ``compute()`` the first time."""
        memo = self._var.get()
        if memo is None:
            return compute()
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def at_exit(self, undo) -> None:
        """Call ``undo()`` when the outermost block ends (drop what was made for it); outside a
        block, call it at once."""
        memo = self._var.get()
        if memo is None:
            undo()
        else:
            memo.setdefault(_AT_EXIT, []).append(undo)

    def peek(self, key, default=None):
        """The value kept under ``key`` (``default`` when none, or outside a block)."""
        memo = self._var.get()
        return default if memo is None else memo.get(key, default)

    def keep(self, key, value) -> None:
        """Keep ``value`` under ``key`` (ignored outside a block)."""
        memo = self._var.get()
        if memo is not None:
            memo[key] = value
