"""Reading the store on more cursors, in worker threads, while the caller goes on.

A view's figures come from DuckDB queries and from Python that combines their results. DuckDB
releases Python's lock while a query runs, so one part of a view can run its queries while
another part computes in Python: on two cores the two overlap instead of taking turns.

Other cursors see only what is committed: inside ``store.connection.transaction`` the work
runs on the caller's cursor, in the caller's thread, as it would without this module.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
from concurrent.futures import Future, ThreadPoolExecutor

from store import connection


def _on_own_cursor(con, work, *args):
    cur = con.cursor()
    try:
        return work(cur, *args)
    finally:
        cur.close()


@contextlib.contextmanager
def alongside(con, work, *args):
    """Start ``work(cursor, *args)`` on a new cursor of ``con``'s database in a worker thread
    and yield its future (``future.result()`` returns what ``work`` returned, or raises what it
    raised). The block ends when the work has ended.

    ``work`` must only read. It runs in a fresh context: batch sessions and prefetched figures
    of the caller are not shared, nor are the caller's temp tables."""
    with alongside_all(con, [(work, *args)]) as (future,):
        yield future


@contextlib.contextmanager
def alongside_all(con, calls: list[tuple], workers: int = 2, share_context: bool = False):
    """:func:`alongside` for several ``(work, *args)`` calls, ``workers`` at a time; yields
    their futures in the order of ``calls``. With ``share_context`` each call runs in a copy of
    the caller's context, so it shares the caller's batch session (what it keeps is kept for
    the caller too; the work must keep nothing tied to its cursor, such as temp tables)."""
    if connection.in_transaction() or (share_context and len(calls) < 2):
        futures = []
        for work, *args in calls:
            future: Future = Future()
            try:
                future.set_result(work(con, *args))
            except Exception as e:  # noqa: BLE001 — handed back through the future, as a worker's would be
                future.set_exception(e)
            futures.append(future)
        yield futures
        return
    with ThreadPoolExecutor(max(1, min(workers, len(calls))), thread_name_prefix="alongside") as pool:
        futures = []
        for work, *args in calls:
            task = functools.partial(_on_own_cursor, con, work, *args)
            futures.append(pool.submit(contextvars.copy_context().run, task) if share_context else pool.submit(task))
        yield futures
