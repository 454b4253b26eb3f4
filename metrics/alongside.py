"""Reading the store on a second cursor, in a worker thread, while the caller goes on.

A view's figures come from DuckDB queries and from Python that combines their results. DuckDB
releases Python's lock while a query runs, so one part of a view can run its queries while
another part computes in Python: on two cores the two overlap instead of taking turns.
"""
from __future__ import annotations

import contextlib
from concurrent.futures import Future, ThreadPoolExecutor


@contextlib.contextmanager
def alongside(con, work, *args):
    """Start ``work(cursor, *args)`` on a new cursor of ``con``'s database in a worker thread
    and yield its future (``future.result()`` returns what ``work`` returned, or raises what it
    raised). The block ends when the work has ended, and closes the cursor.

    ``work`` must only read. It runs in a fresh context: batch sessions and prefetched figures
    of the caller are not shared, nor are the caller's temp tables."""
    cur = con.cursor()
    pool = ThreadPoolExecutor(1, thread_name_prefix="alongside")
    try:
        future: Future = pool.submit(work, cur, *args)
        yield future
    finally:
        pool.shutdown(wait=True)
        cur.close()
