"""The one place that opens the DuckDB store.

One DuckDB instance per process and database file; every caller works through its
own ``cursor()`` because DuckDB 2.0 refuses concurrent calls on one connection.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import threading
from pathlib import Path

import duckdb

from store import schema

# DuckDB's own default takes 80 % of the machine's memory for its buffers; the board shares a
# small machine with the browser and other sessions. Queries spill to disk beyond the limit.
MEMORY_LIMIT = os.environ.get("OPSBOARD_MEMORY_LIMIT", "1GB")
# DuckDB writes the data file over (a checkpoint) when the write-ahead log passes this size;
# at the 16 MB default a single 100k-row import checkpoints inside its own COMMIT. Weekly
# uploads stay in the log until it passes this size or the store is closed.
CHECKPOINT_THRESHOLD = os.environ.get("OPSBOARD_CHECKPOINT_THRESHOLD", "256MB")
DEFAULT_DB = Path(os.environ.get("OPSBOARD_DB", Path(__file__).resolve().parent.parent / "workspace" / "board.duckdb"))

_roots: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


def open_root(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Return the process-wide root connection for ``path``, migrating the schema on first open.

    Raises ``duckdb.IOException`` when another process holds the file.
    """
    key = str(Path(path or DEFAULT_DB).resolve()) if str(path) != ":memory:" else ":memory:"
    with _lock:
        con = _roots.get(key)
        if con is None:
            if key != ":memory:":
                Path(key).parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(key, config={"autoinstall_known_extensions": "false",
                                              "autoload_known_extensions": "false",
                                              "memory_limit": MEMORY_LIMIT,
                                              "checkpoint_threshold": CHECKPOINT_THRESHOLD})
            schema.migrate(con)
            _roots[key] = con
        return con


def cursor(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the shared instance: one per Streamlit run or thread."""
    return open_root(path).cursor()


def close(path: str | os.PathLike | None = None) -> None:
    """Close and forget the root connection for ``path`` (tests, reset)."""
    key = str(Path(path or DEFAULT_DB).resolve()) if str(path) != ":memory:" else ":memory:"
    with _lock:
        con = _roots.pop(key, None)
    if con is not None:
        con.close()


_WRITING: contextvars.ContextVar = contextvars.ContextVar("store_writing", default=False)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """``BEGIN`` … ``COMMIT``; ``ROLLBACK`` on any exception, which is re-raised."""
    con.execute("BEGIN TRANSACTION")
    token = _WRITING.set(True)
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")
    finally:
        _WRITING.reset(token)


def in_transaction() -> bool:
    """Whether this thread is inside :func:`transaction`: another cursor would not see what the
    transaction wrote yet, so reads that would go to other cursors stay on the caller's."""
    return _WRITING.get()


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that rises after every import, undo or plan edit (use it in cache keys)."""
    return con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0]


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Raise the data version; call inside the writing transaction."""
    con.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
