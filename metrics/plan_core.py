"""Reads of the plan core (settings, phases) that every view needs."""
from __future__ import annotations

import datetime as dt


def workspace_mode(con) -> str:
    """'demo' when the built-in demo workspace is loaded, 'empty' or 'own' otherwise."""
    rows = con.execute("SELECT value FROM settings WHERE key = 'workspace_mode'").fetchall()
    return rows[0][0] if rows else "own"


def phase_rows(con) -> list[tuple]:
    """(code, name, start_date, end_date) of every phase, in date order."""
    return con.execute("SELECT code, name, start_date, end_date FROM phases ORDER BY start_date").fetchall()


def current_phase(con, today: dt.date) -> dict | None:
    """The phase whose dates contain ``today`` (else the latest one that started), or None."""
    rows = con.execute(
        """SELECT phase_id, code, name, start_date, end_date, follower_target, budget FROM phases
           WHERE start_date <= ? ORDER BY (end_date >= ?) DESC, start_date DESC LIMIT 1""",
        [today, today]).fetchall()
    if not rows:
        return None
    keys = ("phase_id", "code", "name", "start_date", "end_date", "follower_target", "budget")
    return dict(zip(keys, rows[0]))
